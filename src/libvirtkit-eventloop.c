/* The public event loop calls: the six hooks an application may supply, and the default loop
 * behind virEventRegisterDefaultImpl, which runs in GLib's default main context so that a
 * program iterating that context (a daemon's GMainLoop) serves events without further ado. */
#include <glib-unix.h>

#include "libvirtkit-priv.h"

/* The hooks in force. Set once; libvirt refuses to replace a registered loop, so do we. */
static struct {
    GMutex lock;
    virEventAddHandleFunc addHandle;
    virEventUpdateHandleFunc updateHandle;
    virEventRemoveHandleFunc removeHandle;
    virEventAddTimeoutFunc addTimeout;
    virEventUpdateTimeoutFunc updateTimeout;
    virEventRemoveTimeoutFunc removeTimeout;
} hooks;

void virEventRegisterImpl(virEventAddHandleFunc addHandle, virEventUpdateHandleFunc updateHandle,
                          virEventRemoveHandleFunc removeHandle, virEventAddTimeoutFunc addTimeout,
                          virEventUpdateTimeoutFunc updateTimeout,
                          virEventRemoveTimeoutFunc removeTimeout)
{
    g_autoptr(GMutexLocker) locker = g_mutex_locker_new(&hooks.lock);

    if (hooks.addHandle || hooks.updateHandle || hooks.removeHandle || hooks.addTimeout ||
        hooks.updateTimeout || hooks.removeTimeout)
        return;
    hooks.addHandle = addHandle;
    hooks.updateHandle = updateHandle;
    hooks.removeHandle = removeHandle;
    hooks.addTimeout = addTimeout;
    hooks.updateTimeout = updateTimeout;
    hooks.removeTimeout = removeTimeout;
}

int virEventAddHandle(int fd, int events, virEventHandleCallback cb, void *opaque,
                      virFreeCallback ff)
{
    virEventAddHandleFunc fn;

    g_mutex_lock(&hooks.lock);
    fn = hooks.addHandle;
    g_mutex_unlock(&hooks.lock);
    return fn ? fn(fd, events, cb, opaque, ff) : -1;
}

void virEventUpdateHandle(int watch, int events)
{
    virEventUpdateHandleFunc fn;

    g_mutex_lock(&hooks.lock);
    fn = hooks.updateHandle;
    g_mutex_unlock(&hooks.lock);
    if (fn)
        fn(watch, events);
}

int virEventRemoveHandle(int watch)
{
    virEventRemoveHandleFunc fn;

    g_mutex_lock(&hooks.lock);
    fn = hooks.removeHandle;
    g_mutex_unlock(&hooks.lock);
    return fn ? fn(watch) : -1;
}

int virEventAddTimeout(int frequency, virEventTimeoutCallback cb, void *opaque, virFreeCallback ff)
{
    virEventAddTimeoutFunc fn;

    g_mutex_lock(&hooks.lock);
    fn = hooks.addTimeout;
    g_mutex_unlock(&hooks.lock);
    return fn ? fn(frequency, cb, opaque, ff) : -1;
}

void virEventUpdateTimeout(int timer, int frequency)
{
    virEventUpdateTimeoutFunc fn;

    g_mutex_lock(&hooks.lock);
    fn = hooks.updateTimeout;
    g_mutex_unlock(&hooks.lock);
    if (fn)
        fn(timer, frequency);
}

int virEventRemoveTimeout(int timer)
{
    virEventRemoveTimeoutFunc fn;

    g_mutex_lock(&hooks.lock);
    fn = hooks.removeTimeout;
    g_mutex_unlock(&hooks.lock);
    return fn ? fn(timer) : -1;
}

/* ---- the default loop: GLib sources in the default main context ---- */

/* A handle or a timer. Its GSource comes and goes with updates; the record itself lives until
 * the idle callback that runs its free function, after any dispatch in progress. */
typedef struct {
    int id;
    gboolean isTimer;
    int fd;
    int events;   /* handles: virEventHandleType bits */
    int interval; /* timers: milliseconds, -1 disabled */
    GSource *source;
    virEventHandleCallback handleCb;
    virEventTimeoutCallback timerCb;
    void *opaque;
    virFreeCallback ff;
} vkLoopEntry;

static struct {
    GMutex lock;
    GHashTable *entries; /* id -> vkLoopEntry, removed ones excluded */
    int nextHandle;
    int nextTimer;
} loop;

static GIOCondition eventsToCondition(int events)
{
    GIOCondition cond = 0;

    if (events & VIR_EVENT_HANDLE_READABLE)
        cond |= G_IO_IN;
    if (events & VIR_EVENT_HANDLE_WRITABLE)
        cond |= G_IO_OUT;
    if (events & VIR_EVENT_HANDLE_ERROR)
        cond |= G_IO_ERR;
    if (events & VIR_EVENT_HANDLE_HANGUP)
        cond |= G_IO_HUP;
    return cond;
}

static int conditionToEvents(GIOCondition cond)
{
    int events = 0;

    if (cond & G_IO_IN)
        events |= VIR_EVENT_HANDLE_READABLE;
    if (cond & G_IO_OUT)
        events |= VIR_EVENT_HANDLE_WRITABLE;
    /* An invalid descriptor is an error to the caller: libvirt tells them apart no further. */
    if (cond & (G_IO_ERR | G_IO_NVAL))
        events |= VIR_EVENT_HANDLE_ERROR;
    if (cond & G_IO_HUP)
        events |= VIR_EVENT_HANDLE_HANGUP;
    return events;
}

/* Handles and timers have separate id spaces, as in libvirt; the table keys them apart. */
static gpointer entryKey(int id, gboolean isTimer)
{
    return GINT_TO_POINTER(isTimer ? -id : id);
}

static gboolean handleDispatch(int fd, GIOCondition cond, gpointer data)
{
    vkLoopEntry *e = data;

    e->handleCb(e->id, fd, conditionToEvents(cond), e->opaque);
    return G_SOURCE_CONTINUE;
}

static gboolean timerDispatch(gpointer data)
{
    vkLoopEntry *e = data;

    e->timerCb(e->id, e->opaque);
    return G_SOURCE_CONTINUE;
}

/* A source of the entry's current settings, attached; or none when they ask for nothing. */
static void attachSource(vkLoopEntry *e)
{
    if (e->isTimer) {
        if (e->interval < 0)
            return;
        e->source = g_timeout_source_new(e->interval);
        g_source_set_callback(e->source, timerDispatch, e, NULL);
    } else {
        if (e->events == 0)
            return;
        e->source = g_unix_fd_source_new(e->fd, eventsToCondition(e->events));
        g_source_set_callback(e->source, G_SOURCE_FUNC(handleDispatch), e, NULL);
    }
    g_source_attach(e->source, NULL);
}

static void detachSource(vkLoopEntry *e)
{
    if (!e->source)
        return;
    g_source_destroy(e->source);
    g_clear_pointer(&e->source, g_source_unref);
}

static int addEntry(vkLoopEntry *e)
{
    g_autoptr(GMutexLocker) locker = g_mutex_locker_new(&loop.lock);

    e->id = e->isTimer ? loop.nextTimer++ : loop.nextHandle++;
    g_hash_table_insert(loop.entries, entryKey(e->id, e->isTimer), e);
    attachSource(e);
    return e->id;
}

static int loopAddHandle(int fd, int events, virEventHandleCallback cb, void *opaque,
                         virFreeCallback ff)
{
    vkLoopEntry *e = g_new0(vkLoopEntry, 1);

    e->fd = fd;
    e->events = events;
    e->handleCb = cb;
    e->opaque = opaque;
    e->ff = ff;
    return addEntry(e);
}

static int loopAddTimeout(int interval, virEventTimeoutCallback cb, void *opaque,
                          virFreeCallback ff)
{
    vkLoopEntry *e = g_new0(vkLoopEntry, 1);

    e->isTimer = TRUE;
    e->interval = interval;
    e->timerCb = cb;
    e->opaque = opaque;
    e->ff = ff;
    return addEntry(e);
}

static void updateEntry(int id, gboolean isTimer, int value)
{
    g_autoptr(GMutexLocker) locker = g_mutex_locker_new(&loop.lock);
    vkLoopEntry *e = g_hash_table_lookup(loop.entries, entryKey(id, isTimer));

    if (!e)
        return;
    if (isTimer) {
        /* A timer set again starts its interval afresh, even with the same value. */
        detachSource(e);
        e->interval = value;
    } else {
        if (e->events == value)
            return;
        detachSource(e);
        e->events = value;
    }
    attachSource(e);
}

static void loopUpdateHandle(int watch, int events)
{
    updateEntry(watch, FALSE, events);
}

static void loopUpdateTimeout(int timer, int interval)
{
    updateEntry(timer, TRUE, interval);
}

/* Runs in the loop, after whatever dispatch removed the entry has returned. */
static gboolean releaseEntry(gpointer data)
{
    vkLoopEntry *e = data;

    if (e->ff)
        e->ff(e->opaque);
    g_free(e);
    return G_SOURCE_REMOVE;
}

static int removeEntry(int id, gboolean isTimer)
{
    g_autoptr(GMutexLocker) locker = g_mutex_locker_new(&loop.lock);
    vkLoopEntry *e = g_hash_table_lookup(loop.entries, entryKey(id, isTimer));

    if (!e)
        return -1;
    g_hash_table_remove(loop.entries, entryKey(id, isTimer));
    detachSource(e);
    g_idle_add_full(G_PRIORITY_HIGH, releaseEntry, e, NULL);
    return 0;
}

static int loopRemoveHandle(int watch)
{
    return removeEntry(watch, FALSE);
}

static int loopRemoveTimeout(int timer)
{
    return removeEntry(timer, TRUE);
}

static gpointer registerDefault(gpointer data)
{
    loop.entries = g_hash_table_new(NULL, NULL);
    loop.nextHandle = 1;
    loop.nextTimer = 1;
    virEventRegisterImpl(loopAddHandle, loopUpdateHandle, loopRemoveHandle, loopAddTimeout,
                         loopUpdateTimeout, loopRemoveTimeout);
    return NULL;
}

int virEventRegisterDefaultImpl(void)
{
    static GOnce once = G_ONCE_INIT;

    vkResetLastError();
    g_once(&once, registerDefault, NULL);
    return 0;
}

int virEventRunDefaultImpl(void)
{
    vkResetLastError();
    g_main_context_iteration(NULL, TRUE);
    return 0;
}

/* Event callbacks and their delivery. Events are queued by whoever notices a change, in any
 * thread, and delivered from the event loop by a timer that is armed while the queue is not
 * empty; the callbacks run without the state's lock held, so they may call back into the
 * library, deregister themselves or others, and register more. */
#include "object_event.h"

#include <string.h>

#include "util/vkerror.h"

typedef struct {
    int id;
    virConnectPtr conn; /* referenced */
    vkObjectEventKind kind;
    int eventID;
    gboolean filtered; /* only events of the object with uuid */
    unsigned char uuid[VIR_UUID_BUFLEN];
    void (*cb)(void);
    void *opaque;
    virFreeCallback freecb;
    gboolean legacy;
    gboolean deleted; /* removed during a delivery: skipped, freed once it is over */
} vkEventCallback;

typedef struct {
    vkObjectEventKind kind;
    int eventID;
    char *name;
    unsigned char uuid[VIR_UUID_BUFLEN];
    int id;
    int event;
    int detail;
} vkObjectEvent;

struct _vkObjectEventState {
    gint refs;
    /* Registrations, serialised with the watcher's start and stop; taken before the lock. */
    GMutex regLock;
    const vkObjectEventWatch *watch; /* NULL: nothing to start */
    void *watchOpaque;
    void *watcher; /* running while there are callbacks */

    GMutex lock;          /* guards everything below */
    GPtrArray *callbacks; /* vkEventCallback *, in registration order */
    GPtrArray *queue;     /* vkObjectEvent *, oldest first */
    int nextID;
    int timer; /* delivers the queue; exists while there are callbacks; -1: none */
    gboolean dispatching;
};

static void eventFree(gpointer data)
{
    vkObjectEvent *ev = data;

    g_free(ev->name);
    g_free(ev);
}

/* Runs the free function and drops the connection; never with the state's lock held, as
 * either may reenter the library. */
static void callbackFree(gpointer data)
{
    vkEventCallback *cb = data;

    if (cb->freecb)
        cb->freecb(cb->opaque);
    vkConnectUnref(cb->conn);
    g_free(cb);
}

vkObjectEventState *vkObjectEventStateNew(void)
{
    vkObjectEventState *state = g_new0(vkObjectEventState, 1);

    state->refs = 1;
    g_mutex_init(&state->regLock);
    g_mutex_init(&state->lock);
    state->callbacks = g_ptr_array_new();
    state->queue = g_ptr_array_new_with_free_func(eventFree);
    state->timer = -1;
    return state;
}

vkObjectEventState *vkObjectEventStateNewWatched(const vkObjectEventWatch *watch, void *opaque)
{
    vkObjectEventState *state = vkObjectEventStateNew();

    state->watch = watch;
    state->watchOpaque = opaque;
    return state;
}

vkObjectEventState *vkObjectEventStateRef(vkObjectEventState *state)
{
    g_atomic_int_inc(&state->refs);
    return state;
}

void vkObjectEventStateUnref(vkObjectEventState *state)
{
    if (!state || !g_atomic_int_dec_and_test(&state->refs))
        return;
    /* The timer holds a reference: none is left, so neither are callbacks, nor a watcher,
     * which runs only while there are callbacks. */
    g_ptr_array_free(state->callbacks, TRUE);
    g_ptr_array_free(state->queue, TRUE);
    g_mutex_clear(&state->lock);
    g_mutex_clear(&state->regLock);
    g_free(state);
}

static void timerRelease(void *opaque)
{
    vkObjectEventStateUnref(opaque);
}

/* The timer goes with the last callback, and with it whatever was still queued. Lock held. */
static void dropTimerIfIdle(vkObjectEventState *state)
{
    if (state->callbacks->len > 0 || state->timer < 0)
        return;
    virEventRemoveTimeout(state->timer);
    state->timer = -1;
    g_ptr_array_set_size(state->queue, 0);
}

static gboolean callbackMatches(const vkEventCallback *cb, const vkObjectEvent *ev)
{
    if (cb->deleted || cb->kind != ev->kind || cb->eventID != ev->eventID)
        return FALSE;
    return !cb->filtered || memcmp(cb->uuid, ev->uuid, VIR_UUID_BUFLEN) == 0;
}

static void deliver(const vkEventCallback *cb, const vkObjectEvent *ev)
{
    if (ev->kind == VK_OBJECT_EVENT_DOMAIN) {
        virDomainPtr dom = vkDomainNew(cb->conn, ev->name, ev->uuid, ev->id);

        ((virConnectDomainEventCallback)cb->cb)(cb->conn, dom, ev->event, ev->detail, cb->opaque);
        vkDomainUnref(dom);
    } else if (ev->kind == VK_OBJECT_EVENT_NETWORK) {
        virNetworkPtr net = vkNetworkNew(cb->conn, ev->name, ev->uuid);

        ((virConnectNetworkEventLifecycleCallback)cb->cb)(cb->conn, net, ev->event, ev->detail,
                                                          cb->opaque);
        vkNetworkUnref(net);
    } else {
        virStoragePoolPtr pool = vkStoragePoolNew(cb->conn, ev->name, ev->uuid);

        if (ev->eventID == VIR_STORAGE_POOL_EVENT_ID_LIFECYCLE)
            ((virConnectStoragePoolEventLifecycleCallback)cb->cb)(cb->conn, pool, ev->event,
                                                                  ev->detail, cb->opaque);
        else
            ((virConnectStoragePoolEventGenericCallback)cb->cb)(cb->conn, pool, cb->opaque);
        vkStoragePoolUnref(pool);
    }
}

/* Lock held; dropped around each callback. Callbacks added meanwhile see only later events;
 * removed ones are marked, so the array keeps its members until the purge. */
static void deliverOne(vkObjectEventState *state, const vkObjectEvent *ev)
{
    guint n = state->callbacks->len;

    for (guint i = 0; i < n; i++) {
        vkEventCallback *cb = g_ptr_array_index(state->callbacks, i);

        if (!callbackMatches(cb, ev))
            continue;
        g_mutex_unlock(&state->lock);
        deliver(cb, ev);
        g_mutex_lock(&state->lock);
    }
}

static void flush(int timer, void *opaque)
{
    vkObjectEventState *state = vkObjectEventStateRef(opaque);
    g_autoptr(GPtrArray) queue = NULL;
    g_autoptr(GPtrArray) dead = g_ptr_array_new_with_free_func(callbackFree);

    g_mutex_lock(&state->lock);
    state->dispatching = TRUE;
    queue = g_steal_pointer(&state->queue);
    state->queue = g_ptr_array_new_with_free_func(eventFree);
    if (state->timer >= 0)
        virEventUpdateTimeout(state->timer, -1);
    for (guint i = 0; i < queue->len; i++)
        deliverOne(state, g_ptr_array_index(queue, i));
    for (guint i = state->callbacks->len; i-- > 0;) {
        vkEventCallback *cb = g_ptr_array_index(state->callbacks, i);

        if (cb->deleted)
            g_ptr_array_add(dead, g_ptr_array_steal_index(state->callbacks, i));
    }
    dropTimerIfIdle(state);
    state->dispatching = FALSE;
    g_mutex_unlock(&state->lock);
    g_clear_pointer(&dead, g_ptr_array_unref);
    vkObjectEventStateUnref(state);
}

static gboolean sameFilter(const vkEventCallback *cb, const unsigned char *uuid)
{
    if (!uuid)
        return !cb->filtered;
    return cb->filtered && memcmp(cb->uuid, uuid, VIR_UUID_BUFLEN) == 0;
}

static int addCallback(vkObjectEventState *state, virConnectPtr conn, vkObjectEventKind kind,
                       int eventID, const unsigned char *uuid, void (*cb)(void), void *opaque,
                       virFreeCallback freecb, gboolean legacy)
{
    g_autoptr(GMutexLocker) locker = g_mutex_locker_new(&state->lock);
    vkEventCallback *entry;

    for (guint i = 0; i < state->callbacks->len; i++) {
        const vkEventCallback *other = g_ptr_array_index(state->callbacks, i);

        if (!other->deleted && other->conn == conn && other->kind == kind &&
            other->eventID == eventID && sameFilter(other, uuid) && other->legacy == legacy &&
            other->cb == cb) {
            vkReportError(VIR_FROM_NONE, VIR_ERR_INVALID_ARG, "%s",
                          "event callback already tracked");
            return -1;
        }
    }
    if (state->timer < 0) {
        /* Registration is where a missing event loop shows, as in libvirt. */
        state->timer = virEventAddTimeout(-1, flush, vkObjectEventStateRef(state), timerRelease);
        if (state->timer < 0) {
            vkObjectEventStateUnref(state);
            vkReportError(VIR_FROM_NONE, VIR_ERR_INTERNAL_ERROR, "%s",
                          "could not initialize domain event timer");
            return -1;
        }
    }
    entry = g_new0(vkEventCallback, 1);
    entry->id = state->nextID++;
    vkConnectRef(conn);
    entry->conn = conn;
    entry->kind = kind;
    entry->eventID = eventID;
    if (uuid) {
        entry->filtered = TRUE;
        memcpy(entry->uuid, uuid, VIR_UUID_BUFLEN);
    }
    entry->cb = cb;
    entry->opaque = opaque;
    entry->freecb = freecb;
    entry->legacy = legacy;
    g_ptr_array_add(state->callbacks, entry);
    return entry->id;
}

static int removeCallback(vkObjectEventState *state, virConnectPtr conn, int callbackID,
                          gboolean runFree)
{
    vkEventCallback *found = NULL;

    g_mutex_lock(&state->lock);
    for (guint i = 0; i < state->callbacks->len; i++) {
        vkEventCallback *cb = g_ptr_array_index(state->callbacks, i);

        if (cb->id != callbackID || cb->conn != conn || cb->deleted)
            continue;
        if (!runFree)
            cb->freecb = NULL;
        if (state->dispatching) {
            cb->deleted = TRUE;
        } else {
            found = g_ptr_array_steal_index(state->callbacks, i);
            dropTimerIfIdle(state);
        }
        g_mutex_unlock(&state->lock);
        if (found)
            callbackFree(found);
        return 0;
    }
    g_mutex_unlock(&state->lock);
    vkReportError(VIR_FROM_NONE, VIR_ERR_INVALID_ARG,
                  "could not find event callback %d for deletion", callbackID);
    return -1;
}

int vkObjectEventStateRegister(vkObjectEventState *state, virConnectPtr conn,
                               vkObjectEventKind kind, int eventID, const unsigned char *uuid,
                               void (*cb)(void), void *opaque, virFreeCallback freecb,
                               gboolean legacy)
{
    g_autoptr(GMutexLocker) locker = g_mutex_locker_new(&state->regLock);
    int id = addCallback(state, conn, kind, eventID, uuid, cb, opaque, freecb, legacy);

    if (id < 0 || !state->watch || state->watcher)
        return id;
    if (!(state->watcher = state->watch->start(state->watchOpaque, state))) {
        virErrorPtr saved = vkSaveError();

        removeCallback(state, conn, id, FALSE);
        vkRestoreError(saved);
        return -1;
    }
    return id;
}

int vkObjectEventStateDeregister(vkObjectEventState *state, virConnectPtr conn, int callbackID,
                                 gboolean runFree)
{
    g_autoptr(GMutexLocker) locker = g_mutex_locker_new(&state->regLock);

    if (removeCallback(state, conn, callbackID, runFree) < 0)
        return -1;
    if (state->watcher && vkObjectEventStateCount(state) == 0)
        state->watch->stop(g_steal_pointer(&state->watcher));
    return 0;
}

int vkObjectEventStateLegacyID(vkObjectEventState *state, virConnectPtr conn, void (*cb)(void))
{
    g_autoptr(GMutexLocker) locker = g_mutex_locker_new(&state->lock);

    for (guint i = 0; i < state->callbacks->len; i++) {
        const vkEventCallback *entry = g_ptr_array_index(state->callbacks, i);

        if (!entry->deleted && entry->legacy && entry->conn == conn && entry->cb == cb &&
            entry->kind == VK_OBJECT_EVENT_DOMAIN && entry->eventID == 0 && !entry->filtered)
            return entry->id;
    }
    vkReportError(VIR_FROM_NONE, VIR_ERR_INVALID_ARG, "event callback function %p not registered",
                  (void *)cb);
    return -1;
}

int vkObjectEventStateCount(vkObjectEventState *state)
{
    g_autoptr(GMutexLocker) locker = g_mutex_locker_new(&state->lock);
    int count = 0;

    for (guint i = 0; i < state->callbacks->len; i++) {
        if (!((vkEventCallback *)g_ptr_array_index(state->callbacks, i))->deleted)
            count++;
    }
    return count;
}

static void queueEvent(vkObjectEventState *state, vkObjectEventKind kind, int eventID,
                       const char *name, const unsigned char *uuid, int id, int event, int detail)
{
    g_autoptr(GMutexLocker) locker = g_mutex_locker_new(&state->lock);
    vkObjectEvent *ev;

    if (state->timer < 0)
        return;
    ev = g_new0(vkObjectEvent, 1);
    ev->kind = kind;
    ev->eventID = eventID;
    ev->name = g_strdup(name);
    memcpy(ev->uuid, uuid, VIR_UUID_BUFLEN);
    ev->id = id;
    ev->event = event;
    ev->detail = detail;
    g_ptr_array_add(state->queue, ev);
    if (state->queue->len == 1)
        virEventUpdateTimeout(state->timer, 0);
}

void vkObjectEventStateQueueLifecycle(vkObjectEventState *state, vkObjectEventKind kind,
                                      const char *name, const unsigned char *uuid, int id,
                                      int event, int detail)
{
    /* Every kind's lifecycle event id is 0. */
    queueEvent(state, kind, 0, name, uuid, id, event, detail);
}

void vkObjectEventStateQueueRefresh(vkObjectEventState *state, const char *name,
                                    const unsigned char *uuid)
{
    queueEvent(state, VK_OBJECT_EVENT_STORAGE_POOL, VIR_STORAGE_POOL_EVENT_ID_REFRESH, name, uuid,
               -1, 0, 0);
}

/* ---- one watcher, several states ---- */

struct _vkObjectEventFanout {
    GMutex lock;
    GPtrArray *states; /* vkObjectEventState *, referenced */
};

vkObjectEventFanout *vkObjectEventFanoutNew(void)
{
    vkObjectEventFanout *fanout = g_new0(vkObjectEventFanout, 1);

    g_mutex_init(&fanout->lock);
    fanout->states = g_ptr_array_new_with_free_func((GDestroyNotify)vkObjectEventStateUnref);
    return fanout;
}

void vkObjectEventFanoutFree(vkObjectEventFanout *fanout)
{
    if (!fanout)
        return;
    g_ptr_array_unref(fanout->states);
    g_mutex_clear(&fanout->lock);
    g_free(fanout);
}

void vkObjectEventFanoutAdd(vkObjectEventFanout *fanout, vkObjectEventState *state)
{
    g_autoptr(GMutexLocker) locker = g_mutex_locker_new(&fanout->lock);

    g_ptr_array_add(fanout->states, vkObjectEventStateRef(state));
}

guint vkObjectEventFanoutRemove(vkObjectEventFanout *fanout, vkObjectEventState *state)
{
    g_autoptr(GMutexLocker) locker = g_mutex_locker_new(&fanout->lock);

    g_ptr_array_remove(fanout->states, state);
    return fanout->states->len;
}

void vkObjectEventFanoutQueueLifecycle(vkObjectEventFanout *fanout, vkObjectEventKind kind,
                                       const char *name, const unsigned char *uuid, int id,
                                       int event, int detail)
{
    g_autoptr(GMutexLocker) locker = g_mutex_locker_new(&fanout->lock);

    for (guint i = 0; i < fanout->states->len; i++)
        vkObjectEventStateQueueLifecycle(g_ptr_array_index(fanout->states, i), kind, name, uuid, id,
                                         event, detail);
}

void vkObjectEventFanoutQueueRefresh(vkObjectEventFanout *fanout, const char *name,
                                     const unsigned char *uuid)
{
    g_autoptr(GMutexLocker) locker = g_mutex_locker_new(&fanout->lock);

    for (guint i = 0; i < fanout->states->len; i++)
        vkObjectEventStateQueueRefresh(g_ptr_array_index(fanout->states, i), name, uuid);
}

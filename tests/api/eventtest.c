/* The event loop and event callbacks through the public API on test:///default: the loop's
 * handles and timers, the lifecycle events each call emits, libvirt's errors, callbacks that
 * remove themselves, free functions run once, and many threads registering at once. */
#include <errno.h>
#include <unistd.h>

#include "apitest.h"

/* ---- recording events ---- */

typedef struct {
    char *name;
    int id;
    int event;
    int detail;
    gboolean network;
} Seen;

typedef struct {
    GMutex lock;
    GPtrArray *seen; /* Seen * */
    int frees;
} Recorder;

static void seenFree(gpointer data)
{
    Seen *s = data;
    g_free(s->name);
    g_free(s);
}

static void recorderInit(Recorder *r)
{
    g_mutex_init(&r->lock);
    r->seen = g_ptr_array_new_with_free_func(seenFree);
    r->frees = 0;
}

static void recorderClear(Recorder *r)
{
    g_ptr_array_unref(r->seen);
    g_mutex_clear(&r->lock);
}

static void record(Recorder *r, const char *name, int id, int event, int detail, gboolean net)
{
    Seen *s = g_new0(Seen, 1);

    s->name = g_strdup(name);
    s->id = id;
    s->event = event;
    s->detail = detail;
    s->network = net;
    g_mutex_lock(&r->lock);
    g_ptr_array_add(r->seen, s);
    g_mutex_unlock(&r->lock);
}

static int domainLifecycle(virConnectPtr conn, virDomainPtr dom, int event, int detail,
                           void *opaque)
{
    g_assert_true(virDomainGetConnect(dom) == conn);
    record(opaque, virDomainGetName(dom), (int)virDomainGetID(dom), event, detail, FALSE);
    return 0;
}

static void networkLifecycle(virConnectPtr conn, virNetworkPtr net, int event, int detail,
                             void *opaque)
{
    g_assert_true(virNetworkGetConnect(net) == conn);
    record(opaque, virNetworkGetName(net), -1, event, detail, TRUE);
}

static void countFree(void *opaque)
{
    Recorder *r = opaque;

    g_mutex_lock(&r->lock);
    r->frees++;
    g_mutex_unlock(&r->lock);
}

static void markFired(int timer, void *opaque)
{
    *(gboolean *)opaque = TRUE;
}

/* Runs the loop until everything queued so far has been delivered: events are delivered by a
 * timer that is due at once, so it fires no later than a marker added after the call. */
static void pump(void)
{
    gboolean fired = FALSE;
    int timer = virEventAddTimeout(0, markFired, &fired, NULL);

    g_assert_cmpint(timer, >, 0);
    while (!fired)
        g_assert_cmpint(virEventRunDefaultImpl(), ==, 0);
    g_assert_cmpint(virEventRemoveTimeout(timer), ==, 0);
}

/* The recorder saw exactly EXPECTED ("name:event:detail" each, in order) since last time. */
static void assertSeen(Recorder *r, const char *const *expected)
{
    g_autoptr(GString) got = g_string_new(NULL);
    g_autoptr(GString) want = g_string_new(NULL);

    pump();
    g_mutex_lock(&r->lock);
    for (guint i = 0; i < r->seen->len; i++) {
        Seen *s = g_ptr_array_index(r->seen, i);
        g_string_append_printf(got, "%s%s:%d:%d", i ? " " : "", s->name, s->event, s->detail);
    }
    g_ptr_array_set_size(r->seen, 0);
    g_mutex_unlock(&r->lock);
    for (guint i = 0; expected[i]; i++)
        g_string_append_printf(want, "%s%s", i ? " " : "", expected[i]);
    g_assert_cmpstr(got->str, ==, want->str);
}

#define SEEN(r, ...) assertSeen(r, (const char *const[]){ __VA_ARGS__, NULL })
#define SEEN_NONE(r) assertSeen(r, (const char *const[]){ NULL })

/* ---- without an event loop (runs first, before any test registers one) ---- */

static void testNoLoop(void)
{
    virConnectPtr conn = apiOpenDefault();
    Recorder r;

    recorderInit(&r);
    g_assert_cmpint(virEventAddTimeout(0, markFired, NULL, NULL), ==, -1);
    g_assert_cmpint(virEventAddHandle(0, VIR_EVENT_HANDLE_READABLE, NULL, NULL, NULL), ==, -1);
    g_assert_cmpint(virEventRemoveTimeout(1), ==, -1);
    g_assert_cmpint(virEventRemoveHandle(1), ==, -1);
    g_assert_cmpint(virConnectDomainEventRegisterAny(conn, NULL, VIR_DOMAIN_EVENT_ID_LIFECYCLE,
                                                     VIR_DOMAIN_EVENT_CALLBACK(domainLifecycle), &r,
                                                     countFree),
                    ==, -1);
    apiAssertErrorMessage(VIR_ERR_INTERNAL_ERROR,
                          "internal error: could not initialize domain event timer");
    g_assert_cmpint(virGetLastError()->domain, ==, VIR_FROM_NONE);
    g_assert_cmpint(virConnectDomainEventRegister(conn, domainLifecycle, &r, countFree), ==, -1);
    apiAssertError(VIR_ERR_INTERNAL_ERROR, "could not initialize domain event timer");
    g_assert_cmpint(virConnectNetworkEventRegisterAny(conn, NULL, VIR_NETWORK_EVENT_ID_LIFECYCLE,
                                                      VIR_NETWORK_EVENT_CALLBACK(networkLifecycle),
                                                      &r, countFree),
                    ==, -1);
    apiAssertError(VIR_ERR_INTERNAL_ERROR, "could not initialize domain event timer");
    /* A failed registration never takes the opaque data. */
    g_assert_cmpint(r.frees, ==, 0);
    recorderClear(&r);
    apiClose(conn);

    g_assert_cmpint(virEventRegisterDefaultImpl(), ==, 0);
    g_assert_cmpint(virEventRegisterDefaultImpl(), ==, 0);
}

/* ---- the loop itself ---- */

typedef struct {
    int ticks;
    int frees;
} Counter;

static void countTicks(int timer, void *opaque)
{
    ((Counter *)opaque)->ticks++;
}

static void countCalls(void *opaque)
{
    ((Counter *)opaque)->frees++;
}

static void testTimers(void)
{
    Counter c1 = { 0 }, c2 = { 0 };
    int t1 = virEventAddTimeout(0, countTicks, &c1, countCalls);
    int t2 = virEventAddTimeout(-1, countTicks, &c2, NULL);

    g_assert_cmpint(t1, >, 0);
    g_assert_cmpint(t2, >, 0);
    g_assert_cmpint(t1, !=, t2);
    while (c1.ticks < 3)
        virEventRunDefaultImpl();
    g_assert_cmpint(c2.ticks, ==, 0);
    /* Disabled, then armed again. */
    virEventUpdateTimeout(t1, -1);
    virEventUpdateTimeout(t2, 0);
    c1.ticks = 0;
    while (c2.ticks < 2)
        virEventRunDefaultImpl();
    g_assert_cmpint(c1.ticks, ==, 0);
    g_assert_cmpint(virEventRemoveTimeout(t1), ==, 0);
    g_assert_cmpint(virEventRemoveTimeout(t2), ==, 0);
    g_assert_cmpint(virEventRemoveTimeout(t1), ==, -1);
    /* The free function runs from the loop, once. */
    g_assert_cmpint(c1.frees, ==, 0);
    pump();
    pump();
    g_assert_cmpint(c1.frees, ==, 1);
    g_assert_cmpint(virEventRemoveTimeout(9999), ==, -1);
    virEventUpdateTimeout(9999, 0);
}

typedef struct {
    int calls;
    int lastEvents;
    int fd;
} HandleSeen;

static void onHandle(int watch, int fd, int events, void *opaque)
{
    HandleSeen *h = opaque;
    char c;

    h->calls++;
    h->lastEvents = events;
    h->fd = fd;
    /* At the end of the pipe there is nothing left to read. */
    if ((events & VIR_EVENT_HANDLE_READABLE) && read(fd, &c, 1) < 0)
        g_error("read: %s", g_strerror(errno));
}

static void testHandles(void)
{
    int fds[2];
    HandleSeen h = { 0 };
    Counter c = { 0 };
    int watch;

    g_assert_cmpint(pipe(fds), ==, 0);
    watch = virEventAddHandle(fds[0], VIR_EVENT_HANDLE_READABLE, onHandle, &h, NULL);
    g_assert_cmpint(watch, >, 0);
    g_assert_cmpint(write(fds[1], "x", 1), ==, 1);
    while (h.calls == 0)
        virEventRunDefaultImpl();
    g_assert_cmpint(h.lastEvents, ==, VIR_EVENT_HANDLE_READABLE);
    g_assert_cmpint(h.fd, ==, fds[0]);

    /* Asking for nothing stops the callbacks; asking again resumes them. */
    virEventUpdateHandle(watch, 0);
    g_assert_cmpint(write(fds[1], "y", 1), ==, 1);
    pump();
    g_assert_cmpint(h.calls, ==, 1);
    virEventUpdateHandle(watch, VIR_EVENT_HANDLE_READABLE);
    while (h.calls == 1)
        virEventRunDefaultImpl();

    /* The writer gone, the reader hangs up. */
    close(fds[1]);
    while (!(h.lastEvents & VIR_EVENT_HANDLE_HANGUP))
        virEventRunDefaultImpl();
    g_assert_cmpint(virEventRemoveHandle(watch), ==, 0);
    g_assert_cmpint(virEventRemoveHandle(watch), ==, -1);
    /* A second handle on the same descriptor, removed at once: its free function runs once. */
    watch = virEventAddHandle(fds[0], 0, onHandle, &c, countCalls);
    g_assert_cmpint(watch, >, 0);
    g_assert_cmpint(virEventRemoveHandle(watch), ==, 0);
    pump();
    g_assert_cmpint(c.frees, ==, 1);
    close(fds[0]);
}

/* A GMainLoop on the default context serves the default implementation, as a daemon runs. */
static gboolean quitLoop(gpointer data)
{
    g_main_loop_quit(data);
    return G_SOURCE_REMOVE;
}

static void testGMainLoop(void)
{
    virConnectPtr conn = apiOpenDefault();
    g_autoptr(virDomain) dom = virDomainLookupByName(conn, "test");
    g_autoptr(GMainLoop) loop = g_main_loop_new(NULL, FALSE);
    Recorder r;
    int id;

    recorderInit(&r);
    id = virConnectDomainEventRegisterAny(conn, NULL, VIR_DOMAIN_EVENT_ID_LIFECYCLE,
                                          VIR_DOMAIN_EVENT_CALLBACK(domainLifecycle), &r, NULL);
    g_assert_cmpint(id, >=, 0);
    g_assert_cmpint(virDomainSuspend(dom), ==, 0);
    g_idle_add_full(G_PRIORITY_LOW, quitLoop, loop, NULL);
    g_main_loop_run(loop);
    g_assert_cmpuint(r.seen->len, ==, 1);
    SEEN(&r, "test:3:0");
    g_assert_cmpint(virDomainResume(dom), ==, 0);
    g_assert_cmpint(virConnectDomainEventDeregisterAny(conn, id), ==, 0);
    recorderClear(&r);
    g_clear_pointer(&dom, virDomainFree);
    apiClose(conn);
}

/* ---- what each call emits (libvirt's test driver is the reference, see
 *      libvirt-events-compare.py) ---- */

static const char *const transientXML = "<domain type='test'><name>tr</name><memory>1024</memory>"
                                        "<os><type>hvm</type></os></domain>";

static void testDomainEvents(void)
{
    virConnectPtr conn = apiOpenDefault();
    virConnectPtr other = apiOpenDefault();
    g_autoptr(virDomain) dom = virDomainLookupByName(conn, "test");
    g_autoptr(virDomain) tr = NULL;
    g_autofree char *xml = NULL;
    Recorder r, o;
    int id, oid;

    recorderInit(&r);
    recorderInit(&o);
    id =
        virConnectDomainEventRegisterAny(conn, NULL, VIR_DOMAIN_EVENT_ID_LIFECYCLE,
                                         VIR_DOMAIN_EVENT_CALLBACK(domainLifecycle), &r, countFree);
    g_assert_cmpint(id, >=, 0);
    oid = virConnectDomainEventRegisterAny(other, NULL, VIR_DOMAIN_EVENT_ID_LIFECYCLE,
                                           VIR_DOMAIN_EVENT_CALLBACK(domainLifecycle), &o, NULL);
    g_assert_cmpint(oid, >=, 0);
    g_assert_cmpint(oid, !=, id);

    g_assert_cmpint(virDomainSuspend(dom), ==, 0);
    SEEN(&r, "test:3:0");
    g_assert_cmpint(virDomainResume(dom), ==, 0);
    SEEN(&r, "test:4:0");
    g_assert_cmpint(virDomainDestroy(dom), ==, 0);
    SEEN(&r, "test:5:1");
    g_assert_cmpint(virDomainCreate(dom), ==, 0);
    SEEN(&r, "test:2:0");
    g_assert_cmpint(virDomainShutdown(dom), ==, 0);
    SEEN(&r, "test:5:0");
    /* Failing calls emit nothing. */
    g_assert_cmpint(virDomainResume(dom), ==, -1);
    SEEN_NONE(&r);
    g_assert_cmpint(virDomainCreate(dom), ==, 0);
    g_assert_cmpint(virDomainReboot(dom, 0), ==, 0);
    SEEN(&r, "test:2:0");
    xml = virDomainGetXMLDesc(dom, VIR_DOMAIN_XML_INACTIVE);
    g_clear_pointer(&dom, virDomainFree);
    dom = virDomainDefineXML(conn, xml);
    g_assert_nonnull(dom);
    SEEN(&r, "test:0:1");
    g_assert_cmpint(virDomainUndefine(dom), ==, 0);
    SEEN(&r, "test:1:0");
    g_assert_cmpint(virDomainDestroy(dom), ==, 0);
    SEEN(&r, "test:5:1");
    g_clear_pointer(&dom, virDomainFree);
    dom = virDomainDefineXML(conn, xml);
    SEEN(&r, "test:0:0");

    tr = virDomainCreateXML(conn, transientXML, 0);
    g_assert_nonnull(tr);
    SEEN(&r, "tr:2:0");
    g_assert_cmpint(virDomainDestroy(tr), ==, 0);
    SEEN(&r, "tr:5:1");

    /* The other connection to the same world saw it all, on its own handles. */
    g_mutex_lock(&o.lock);
    g_assert_cmpuint(o.seen->len, ==, 12);
    g_mutex_unlock(&o.lock);

    g_assert_cmpint(virConnectDomainEventDeregisterAny(conn, id), ==, 0);
    g_assert_cmpint(r.frees, ==, 1);
    g_assert_cmpint(virConnectDomainEventDeregisterAny(other, oid), ==, 0);
    g_assert_cmpint(virDomainCreate(dom), ==, 0);
    SEEN_NONE(&r);
    g_assert_cmpint(r.frees, ==, 1);
    recorderClear(&r);
    recorderClear(&o);
    g_clear_pointer(&dom, virDomainFree);
    g_clear_pointer(&tr, virDomainFree);
    apiClose(other);
    apiClose(conn);
}

static void testDomainFilter(void)
{
    virConnectPtr conn = apiOpenDefault();
    g_autoptr(virDomain) dom = virDomainLookupByName(conn, "test");
    g_autoptr(virDomain) tr = NULL;
    Recorder r;
    int id;

    recorderInit(&r);
    id = virConnectDomainEventRegisterAny(conn, dom, VIR_DOMAIN_EVENT_ID_LIFECYCLE,
                                          VIR_DOMAIN_EVENT_CALLBACK(domainLifecycle), &r, NULL);
    g_assert_cmpint(id, >=, 0);
    tr = virDomainCreateXML(conn, transientXML, 0);
    g_assert_cmpint(virDomainDestroy(tr), ==, 0);
    g_assert_cmpint(virDomainSuspend(dom), ==, 0);
    g_assert_cmpint(virDomainResume(dom), ==, 0);
    SEEN(&r, "test:3:0", "test:4:0");
    g_assert_cmpint(virConnectDomainEventDeregisterAny(conn, id), ==, 0);
    recorderClear(&r);
    g_clear_pointer(&dom, virDomainFree);
    g_clear_pointer(&tr, virDomainFree);
    apiClose(conn);
}

static const char *const netXML = "<network><name>evnet</name><bridge name='evbr0'/></network>";

static void testNetworkEvents(void)
{
    virConnectPtr conn = apiOpenDefault();
    g_autoptr(virNetwork) net = NULL;
    g_autoptr(virNetwork) def = virNetworkLookupByName(conn, "default");
    Recorder r, only;
    int id, oid;

    recorderInit(&r);
    recorderInit(&only);
    id = virConnectNetworkEventRegisterAny(conn, NULL, VIR_NETWORK_EVENT_ID_LIFECYCLE,
                                           VIR_NETWORK_EVENT_CALLBACK(networkLifecycle), &r, NULL);
    g_assert_cmpint(id, >=, 0);
    oid = virConnectNetworkEventRegisterAny(conn, def, VIR_NETWORK_EVENT_ID_LIFECYCLE,
                                            VIR_NETWORK_EVENT_CALLBACK(networkLifecycle), &only,
                                            NULL);
    g_assert_cmpint(oid, >, id);

    net = virNetworkDefineXML(conn, netXML);
    g_assert_nonnull(net);
    SEEN(&r, "evnet:0:0");
    g_assert_cmpint(virNetworkCreate(net), ==, 0);
    SEEN(&r, "evnet:2:0");
    g_assert_cmpint(virNetworkDestroy(net), ==, 0);
    SEEN(&r, "evnet:3:0");
    g_assert_cmpint(virNetworkUndefine(net), ==, 0);
    SEEN(&r, "evnet:1:0");
    g_clear_pointer(&net, virNetworkFree);
    net = virNetworkCreateXML(conn, netXML);
    SEEN(&r, "evnet:2:0");
    g_assert_cmpint(virNetworkDestroy(net), ==, 0);
    SEEN(&r, "evnet:3:0");
    g_assert_cmpint(virNetworkDestroy(def), ==, 0);
    g_assert_cmpint(virNetworkCreate(def), ==, 0);
    SEEN(&r, "default:3:0", "default:2:0");
    SEEN(&only, "default:3:0", "default:2:0");

    g_assert_cmpint(virConnectNetworkEventDeregisterAny(conn, id), ==, 0);
    g_assert_cmpint(virConnectNetworkEventDeregisterAny(conn, oid), ==, 0);
    recorderClear(&r);
    recorderClear(&only);
    g_clear_pointer(&net, virNetworkFree);
    g_clear_pointer(&def, virNetworkFree);
    apiClose(conn);
}

/* ---- libvirt's errors ---- */

static void testErrors(void)
{
    virConnectPtr conn = apiOpenDefault();
    virConnectPtr other = apiOpenDefault();
    g_autoptr(virDomain) foreign = virDomainLookupByName(other, "test");
    g_autoptr(virNetwork) foreignNet = virNetworkLookupByName(other, "default");
    virStoragePoolPtr foreignPool = virStoragePoolLookupByName(other, "default-pool");
    Recorder r;
    int id, otherID, legacy;

    recorderInit(&r);
    g_assert_cmpint(virConnectDomainEventRegisterAny(
                        NULL, NULL, 0, VIR_DOMAIN_EVENT_CALLBACK(domainLifecycle), &r, NULL),
                    ==, -1);
    apiAssertError(VIR_ERR_INVALID_CONN, NULL);
    g_assert_cmpint(virConnectDomainEventRegisterAny(conn, NULL, 0, NULL, &r, NULL), ==, -1);
    apiAssertErrorMessage(VIR_ERR_INVALID_ARG, "cb in virConnectDomainEventRegisterAny must not be "
                                               "NULL");
    g_assert_cmpint(virConnectDomainEventRegisterAny(
                        conn, NULL, -1, VIR_DOMAIN_EVENT_CALLBACK(domainLifecycle), &r, NULL),
                    ==, -1);
    apiAssertErrorMessage(VIR_ERR_INVALID_ARG,
                          "eventID in virConnectDomainEventRegisterAny must be "
                          "zero or greater");
    g_assert_cmpint(virConnectDomainEventRegisterAny(
                        conn, NULL, 27, VIR_DOMAIN_EVENT_CALLBACK(domainLifecycle), &r, NULL),
                    ==, -1);
    apiAssertErrorMessage(VIR_ERR_INVALID_ARG, "eventID must be less than 27");
    g_assert_cmpint(virConnectDomainEventRegisterAny(
                        conn, foreign, 0, VIR_DOMAIN_EVENT_CALLBACK(domainLifecycle), &r, NULL),
                    ==, -1);
    apiAssertErrorMessage(VIR_ERR_INVALID_ARG, "domain 'test' must match connection");
    g_assert_cmpint(virConnectNetworkEventRegisterAny(
                        conn, NULL, 1, VIR_NETWORK_EVENT_CALLBACK(networkLifecycle), &r, NULL),
                    ==, -1);
    apiAssertErrorMessage(VIR_ERR_INVALID_ARG,
                          "eventID in virConnectNetworkEventRegisterAny must be "
                          "less than 1");
    g_assert_cmpint(virConnectNetworkEventRegisterAny(conn, foreignNet, 0,
                                                      VIR_NETWORK_EVENT_CALLBACK(networkLifecycle),
                                                      &r, NULL),
                    ==, -1);
    apiAssertErrorMessage(VIR_ERR_INVALID_ARG,
                          "network 'default' in "
                          "virConnectNetworkEventRegisterAny must match connection");
    g_assert_cmpint(virConnectStoragePoolEventRegisterAny(
                        conn, NULL, 2, VIR_STORAGE_POOL_EVENT_CALLBACK(networkLifecycle), &r, NULL),
                    ==, -1);
    apiAssertErrorMessage(VIR_ERR_INVALID_ARG,
                          "eventID in virConnectStoragePoolEventRegisterAny must be "
                          "less than 2");
    g_assert_cmpint(virGetLastError()->domain, ==, VIR_FROM_STORAGE);
    g_assert_cmpint(virConnectStoragePoolEventRegisterAny(conn, NULL, 0, NULL, &r, NULL), ==, -1);
    apiAssertErrorMessage(VIR_ERR_INVALID_ARG,
                          "cb in virConnectStoragePoolEventRegisterAny must not be NULL");
    g_assert_cmpint(
        virConnectStoragePoolEventRegisterAny(
            conn, foreignPool, 0, VIR_STORAGE_POOL_EVENT_CALLBACK(networkLifecycle), &r, NULL),
        ==, -1);
    apiAssertErrorMessage(VIR_ERR_INVALID_ARG,
                          "storage pool 'default-pool' in "
                          "virConnectStoragePoolEventRegisterAny must match connection");
    g_assert_cmpint(virConnectStoragePoolEventDeregisterAny(conn, -1), ==, -1);
    apiAssertErrorMessage(VIR_ERR_INVALID_ARG,
                          "callbackID in virConnectStoragePoolEventDeregisterAny must be zero or "
                          "greater");
    g_assert_cmpint(virConnectStoragePoolEventDeregisterAny(conn, 4242), ==, -1);
    apiAssertError(VIR_ERR_INVALID_ARG, "could not find event callback 4242 for deletion");
    virStoragePoolFree(foreignPool);
    g_assert_cmpint(virConnectDomainEventDeregisterAny(conn, -1), ==, -1);
    apiAssertErrorMessage(VIR_ERR_INVALID_ARG, "callbackID in virConnectDomainEventDeregisterAny "
                                               "must be zero or greater");
    g_assert_cmpint(virGetLastError()->domain, ==, VIR_FROM_DOMAIN);
    g_assert_cmpint(virConnectDomainEventDeregisterAny(conn, 4242), ==, -1);
    apiAssertErrorMessage(VIR_ERR_INVALID_ARG,
                          "invalid argument: could not find event callback 4242 for deletion");
    g_assert_cmpint(virConnectNetworkEventDeregisterAny(conn, 4242), ==, -1);
    apiAssertError(VIR_ERR_INVALID_ARG, "could not find event callback 4242 for deletion");

    /* The same function for the same events twice is refused, as libvirt does. */
    id = virConnectDomainEventRegisterAny(conn, NULL, 0, VIR_DOMAIN_EVENT_CALLBACK(domainLifecycle),
                                          &r, NULL);
    g_assert_cmpint(id, >=, 0);
    g_assert_cmpint(virConnectDomainEventRegisterAny(
                        conn, NULL, 0, VIR_DOMAIN_EVENT_CALLBACK(domainLifecycle), &r, NULL),
                    ==, -1);
    apiAssertErrorMessage(VIR_ERR_INVALID_ARG, "invalid argument: event callback already tracked");
    /* Another event id, or another connection, is another registration. */
    otherID = virConnectDomainEventRegisterAny(
        other, NULL, 0, VIR_DOMAIN_EVENT_CALLBACK(domainLifecycle), &r, NULL);
    g_assert_cmpint(otherID, >=, 0);
    /* A callback belongs to the connection that registered it. */
    g_assert_cmpint(virConnectDomainEventDeregisterAny(other, id), ==, -1);
    apiAssertError(VIR_ERR_INVALID_ARG, "could not find event callback");

    /* The legacy calls: registered by function, answered with 0. */
    legacy = virConnectDomainEventRegister(conn, domainLifecycle, &r, countFree);
    g_assert_cmpint(legacy, ==, 0);
    g_assert_cmpint(virConnectDomainEventRegister(conn, domainLifecycle, &r, countFree), ==, -1);
    apiAssertError(VIR_ERR_INVALID_ARG, "event callback already tracked");
    g_assert_cmpint(virConnectDomainEventDeregister(conn, domainLifecycle), ==, 0);
    g_assert_cmpint(r.frees, ==, 1);
    g_assert_cmpint(virConnectDomainEventDeregister(conn, domainLifecycle), ==, -1);
    apiAssertError(VIR_ERR_INVALID_ARG, "not registered");
    g_assert_cmpint(virConnectDomainEventRegister(conn, NULL, NULL, NULL), ==, -1);
    apiAssertError(VIR_ERR_INVALID_ARG, "cb in virConnectDomainEventRegister must not be NULL");

    /* A connection with callbacks stays referenced by them, as in libvirt. */
    g_assert_cmpint(virConnectDomainEventDeregisterAny(conn, id), ==, 0);
    g_assert_cmpint(virConnectRef(other), ==, 0);
    /* Its own reference, two handles, the callback and the one just taken, less one. */
    g_assert_cmpint(virConnectClose(other), ==, 4);
    recorderClear(&r);
    g_clear_pointer(&foreign, virDomainFree);
    g_clear_pointer(&foreignNet, virNetworkFree);
    apiClose(conn);
    g_assert_cmpint(virConnectDomainEventDeregisterAny(other, otherID), ==, 0);
    apiClose(other);
}

/* Every event id libvirt 9.0 has can be registered on the test driver, as on libvirt's. */
static void testAllEventIDs(void)
{
    virConnectPtr conn = apiOpenDefault();
    int ids[27];
    Recorder r;

    recorderInit(&r);
    for (int i = 0; i < 27; i++) {
        ids[i] = virConnectDomainEventRegisterAny(
            conn, NULL, i, VIR_DOMAIN_EVENT_CALLBACK(domainLifecycle), &r, countFree);
        g_assert_cmpint(ids[i], >=, 0);
    }
    for (int i = 0; i < 27; i++)
        g_assert_cmpint(virConnectDomainEventDeregisterAny(conn, ids[i]), ==, 0);
    g_assert_cmpint(r.frees, ==, 27);
    recorderClear(&r);
    apiClose(conn);
}

/* ---- callbacks that change the registrations ---- */

typedef struct {
    Recorder rec;
    virConnectPtr conn;
    int self;
    int victim;
    int calls;
} Remover;

static int removeSelf(virConnectPtr conn, virDomainPtr dom, int event, int detail, void *opaque)
{
    Remover *rm = opaque;

    rm->calls++;
    g_assert_cmpint(virConnectDomainEventDeregisterAny(conn, rm->self), ==, 0);
    /* Removed means gone: a second removal fails at once. */
    g_assert_cmpint(virConnectDomainEventDeregisterAny(conn, rm->self), ==, -1);
    if (rm->victim >= 0) {
        g_assert_cmpint(virConnectDomainEventDeregisterAny(conn, rm->victim), ==, 0);
        rm->victim = -1;
    }
    /* Its free function waits until the delivery is over. */
    g_assert_cmpint(rm->rec.frees, ==, 0);
    return 0;
}

static void testRemoveInCallback(void)
{
    virConnectPtr conn = apiOpenDefault();
    g_autoptr(virDomain) dom = virDomainLookupByName(conn, "test");
    Remover rm = { .conn = conn };
    Recorder later;

    recorderInit(&rm.rec);
    recorderInit(&later);
    rm.self = virConnectDomainEventRegisterAny(conn, NULL, 0, VIR_DOMAIN_EVENT_CALLBACK(removeSelf),
                                               &rm, countFree);
    g_assert_cmpint(rm.self, >=, 0);
    /* Registered after the remover, so delivered after it: removed before its turn comes. */
    rm.victim = virConnectDomainEventRegisterAny(
        conn, NULL, 0, VIR_DOMAIN_EVENT_CALLBACK(domainLifecycle), &later, countFree);
    g_assert_cmpint(rm.victim, >, rm.self);
    g_assert_cmpint(virDomainSuspend(dom), ==, 0);
    g_assert_cmpint(virDomainResume(dom), ==, 0);
    pump();
    g_assert_cmpint(rm.calls, ==, 1);
    SEEN_NONE(&later);
    g_assert_cmpint(rm.rec.frees, ==, 1);
    g_assert_cmpint(later.frees, ==, 1);
    recorderClear(&rm.rec);
    recorderClear(&later);
    g_clear_pointer(&dom, virDomainFree);
    apiClose(conn);
}

/* ---- threads ---- */

#define THREADS 8
#define ROUNDS  200

typedef struct {
    virConnectPtr conn;
    Recorder *rec;
    int first; /* event ids first, first + THREADS, ...: none shared with another thread */
    int registered;
} Churn;

static int churnLifecycle(virConnectPtr conn, virDomainPtr dom, int event, int detail, void *opaque)
{
    return 0;
}

static gpointer churn(gpointer data)
{
    Churn *c = data;

    for (int i = 0; i < ROUNDS; i++) {
        int id = virConnectDomainEventRegisterAny(c->conn, NULL, c->first + THREADS * (i % 3),
                                                  VIR_DOMAIN_EVENT_CALLBACK(churnLifecycle), c->rec,
                                                  countFree);
        g_assert_cmpint(id, >=, 0);
        c->registered++;
        g_assert_cmpint(virConnectDomainEventDeregisterAny(c->conn, id), ==, 0);
    }
    return NULL;
}

static gpointer runLoop(gpointer data)
{
    while (!g_atomic_int_get((int *)data))
        virEventRunDefaultImpl();
    return NULL;
}

static void wakeLoop(int timer, void *opaque)
{
}

static void testThreads(void)
{
    virConnectPtr conns[THREADS];
    Churn churns[THREADS];
    GThread *threads[THREADS];
    virConnectPtr conn = apiOpenDefault();
    g_autoptr(virDomain) dom = virDomainLookupByName(conn, "test");
    Recorder rec, watcher;
    int stop = 0, total = 0;
    int wake = virEventAddTimeout(1, wakeLoop, NULL, NULL);
    GThread *loop = g_thread_new("loop", runLoop, &stop);
    int id;

    recorderInit(&rec);
    recorderInit(&watcher);
    id = virConnectDomainEventRegisterAny(conn, NULL, 0, VIR_DOMAIN_EVENT_CALLBACK(domainLifecycle),
                                          &watcher, countFree);
    for (int i = 0; i < THREADS; i++) {
        /* Half share one connection, half have their own. */
        conns[i] = i % 2 ? conn : apiOpenDefault();
        churns[i] = (Churn){ .conn = conns[i], .rec = &rec, .first = i };
        threads[i] = g_thread_new("churn", churn, &churns[i]);
    }
    /* Events keep flowing meanwhile. */
    for (int i = 0; i < 100; i++) {
        g_assert_cmpint(virDomainSuspend(dom), ==, 0);
        g_assert_cmpint(virDomainResume(dom), ==, 0);
    }
    for (int i = 0; i < THREADS; i++) {
        g_thread_join(threads[i]);
        total += churns[i].registered;
    }
    g_atomic_int_set(&stop, 1);
    g_thread_join(loop);
    virEventRemoveTimeout(wake);
    /* Callbacks removed while a delivery was under way go when it is over: after this. */
    pump();
    for (int i = 0; i < THREADS; i++) {
        if (conns[i] != conn)
            apiClose(conns[i]);
    }
    g_assert_cmpint(total, ==, THREADS * ROUNDS);
    g_assert_cmpint(rec.frees, ==, total);
    g_mutex_lock(&watcher.lock);
    g_assert_cmpuint(watcher.seen->len, ==, 200);
    g_mutex_unlock(&watcher.lock);
    g_assert_cmpint(virConnectDomainEventDeregisterAny(conn, id), ==, 0);
    g_assert_cmpint(watcher.frees, ==, 1);
    recorderClear(&rec);
    recorderClear(&watcher);
    g_clear_pointer(&dom, virDomainFree);
    apiClose(conn);
}

int main(int argc, char **argv)
{
    apiTestInit(&argc, &argv);
    /* Order matters: the first test runs before any event loop is registered. */
    g_test_add_func("/event/no-loop", testNoLoop);
    g_test_add_func("/event/loop/timers", testTimers);
    g_test_add_func("/event/loop/handles", testHandles);
    g_test_add_func("/event/loop/gmainloop", testGMainLoop);
    g_test_add_func("/event/domain/lifecycle", testDomainEvents);
    g_test_add_func("/event/domain/filter", testDomainFilter);
    g_test_add_func("/event/network/lifecycle", testNetworkEvents);
    g_test_add_func("/event/errors", testErrors);
    g_test_add_func("/event/all-ids", testAllEventIDs);
    g_test_add_func("/event/remove-in-callback", testRemoveInCallback);
    g_test_add_func("/event/threads", testThreads);
    return g_test_run();
}

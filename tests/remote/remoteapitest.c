/* The remote driver through the public API, as an application uses it, against Debian's libvirtd
 * run privately by remote-api.sh: its qemu driver with a real guest (TCG) and its test driver,
 * over the unix sockets (read-write and read-only), TCP and TLS with a throw-away CA; errors
 * arrive verbatim; several threads share one connection; a daemon that dies mid-call gives a
 * clean error. */
#include <glib.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include <virtkit/virtkit.h>

static const char *sock;
static const char *sockRO;
static const char *pkiDir;
static const char *tcpPort;
static pid_t daemonPid;

/* Errors are asserted explicitly: nothing printed. */
static void quietHandler(void *data, virErrorPtr err)
{
}

/* The thread's last error is exactly CODE, DOMAIN (-1: any) and MESSAGE (NULL: any; a
 * trailing '*' matches a prefix). */
#define assertError(code, domain, message) assertErrorAt(__FILE__, __LINE__, code, domain, message)
static void assertErrorAt(const char *file, int line, int code, int domain, const char *message)
{
    virErrorPtr err = virGetLastError();
    size_t n;

    if (!err)
        g_error("%s:%d: expected error %d, got none", file, line, code);
    if (err->code != code || (domain >= 0 && err->domain != domain))
        g_error("%s:%d: expected error %d/%d, got %d/%d: %s", file, line, code, domain, err->code,
                err->domain, err->message);
    if (!message)
        return;
    n = strlen(message);
    if (n && message[n - 1] == '*' ? strncmp(err->message, message, n - 1) != 0
                                   : strcmp(err->message, message) != 0)
        g_error("%s:%d: message '%s', expected '%s'", file, line, err->message, message);
}

static char *uriFor(const char *driver, const char *path, const char *socket)
{
    return g_strdup_printf("%s+unix://%s?socket=%s", driver, path, socket);
}

static virConnectPtr openQemu(void)
{
    g_autofree char *uri = uriFor("qemu", "/system", sock);
    virConnectPtr conn = virConnectOpen(uri);

    if (!conn)
        g_error("open %s: %s", uri, virGetLastErrorMessage());
    return conn;
}

static virConnectPtr openTest(void)
{
    g_autofree char *uri = uriFor("test", "/default", sock);
    virConnectPtr conn = virConnectOpen(uri);

    if (!conn)
        g_error("open %s: %s", uri, virGetLastErrorMessage());
    return conn;
}

/* A guest libvirtd can run here: TCG, no disk, a name of this run's own. */
static char *guestXML(const char *name)
{
    return g_strdup_printf("<domain type='qemu'><name>%s</name>"
                           "<memory unit='MiB'>64</memory><vcpu>1</vcpu>"
                           "<os><type arch='x86_64'>hvm</type></os></domain>",
                           name);
}

/* ---- the connection ---- */

static void testConnection(void)
{
    virConnectPtr conn = openQemu();
    g_autofree char *uri = uriFor("qemu", "/system", sock);
    g_autofree char *gotURI = virConnectGetURI(conn);
    g_autofree char *hostname = virConnectGetHostname(conn);
    g_autofree char *caps = virConnectGetCapabilities(conn);
    unsigned long hv = 0, lib = 0;
    virNodeInfo info;

    g_assert_cmpstr(gotURI, ==, uri);
    g_assert_cmpstr(virConnectGetType(conn), ==, "QEMU");
    g_assert_cmpint(virConnectGetVersion(conn, &hv), ==, 0);
    g_assert_cmpuint(hv, >=, 5000000);
    g_assert_cmpint(virConnectGetLibVersion(conn, &lib), ==, 0);
    g_assert_cmpuint(lib, ==, 9000000); /* Debian's libvirtd, not this library */
    g_assert_nonnull(hostname);
    g_assert_nonnull(strstr(caps, "<capabilities>"));
    g_assert_cmpint(virNodeGetInfo(conn, &info), ==, 0);
    g_assert_cmpuint(info.cpus, >=, 1);
    g_assert_cmpint(virConnectIsAlive(conn), ==, 1);
    g_assert_cmpint(virConnectIsSecure(conn), ==, 1);    /* a unix socket */
    g_assert_cmpint(virConnectIsEncrypted(conn), ==, 0); /* but no TLS */
    g_assert_cmpint(virConnectGetMaxVcpus(conn, "kvm"), >=, 1);
    g_assert_cmpint(virConnectClose(conn), ==, 0);
}

/* What the URI says goes where it should, and bad URIs fail with libvirt's words. */
static void testURIs(void)
{
    virConnectPtr conn;

    /* the default sockets are virtkitd's (none in these namespaces) */
    g_assert_null(virConnectOpen("qemu+unix:///system"));
    assertError(VIR_ERR_SYSTEM_ERROR, VIR_FROM_RPC,
                "Failed to connect socket to '/run/virtkit/virtkit-sock': No such file or "
                "directory");
    g_assert_null(virConnectOpenReadOnly("qemu+unix:///system"));
    assertError(VIR_ERR_SYSTEM_ERROR, VIR_FROM_RPC,
                "Failed to connect socket to '/run/virtkit/virtkit-sock-ro': No such file or "
                "directory");
    g_assert_null(virConnectOpen("qemu+unix://somehost/system"));
    assertError(VIR_ERR_INVALID_ARG, VIR_FROM_REMOTE,
                "invalid argument: using unix socket and remote server 'somehost' is not "
                "supported.");
    g_assert_null(virConnectOpen("qemu+tls://localhost/system?no_verify=maybe"));
    assertError(VIR_ERR_INVALID_ARG, VIR_FROM_REMOTE,
                "invalid argument: Failed to parse value of URI component no_verify");
    g_assert_null(virConnectOpen("qemu+unix:///system?mode=sideways"));
    assertError(VIR_ERR_INVALID_ARG, VIR_FROM_REMOTE,
                "invalid argument: Unknown remote mode 'sideways'");
    g_assert_null(virConnectOpen("qemu+ssh://host/system"));
    assertError(VIR_ERR_NO_CONNECT, -1, NULL);

    /* name= is what the server opens, whatever the URI's own driver */
    g_autofree char *byName =
        g_strdup_printf("qemu+unix:///system?socket=%s&name=test:///default", sock);
    conn = virConnectOpen(byName);
    g_assert_nonnull(conn);
    g_assert_cmpstr(virConnectGetType(conn), ==, "TEST");
    virConnectClose(conn);

    /* the server's refusal of what it is asked to open, verbatim */
    g_autofree char *bad = g_strdup_printf("qemu+unix:///nowhere?socket=%s", sock);
    g_assert_null(virConnectOpen(bad));
    assertError(VIR_ERR_INTERNAL_ERROR, VIR_FROM_NONE,
                "internal error: unexpected qemu URI path '/nowhere', try qemu:///system");
}

/* A session URI of another user than root goes to that user's runtime directory. */
static void testSessionSocket(void)
{
    pid_t pid = fork();
    int status;

    g_assert_cmpint(pid, >=, 0);
    if (pid == 0) {
        virErrorPtr err;

        if (setgid(65534) < 0 || setuid(65534) < 0)
            _exit(2);
        g_setenv("XDG_RUNTIME_DIR", "/nonexistent-vkremote", TRUE);
        if (virConnectOpen("qemu+unix:///session"))
            _exit(3);
        err = virGetLastError();
        _exit(err && strcmp(err->message, "Failed to connect socket to "
                                          "'/nonexistent-vkremote/virtkit/virtkit-sock': No "
                                          "such file or directory") == 0
                  ? 0
                  : 4);
    }
    g_assert_cmpint(waitpid(pid, &status, 0), ==, pid);
    g_assert_true(WIFEXITED(status));
    g_assert_cmpint(WEXITSTATUS(status), ==, 0);
}

/* ---- domains ---- */

static void testDomainLifecycle(void)
{
    virConnectPtr conn = openQemu();
    g_autofree char *name = g_strdup_printf("vkapi-%d", (int)getpid());
    g_autofree char *xml = guestXML(name);
    unsigned char uuid[VIR_UUID_BUFLEN];
    virDomainPtr dom, byId, byUUID, byName;
    virDomainInfo info;
    int state = -1, reason = -1, autostart = -1;
    g_autofree char *liveXML = NULL;
    g_autofree char *ostype = NULL;
    char **msgs = NULL;

    dom = virDomainDefineXML(conn, xml);
    g_assert_nonnull(dom);
    g_assert_cmpstr(virDomainGetName(dom), ==, name);
    g_assert_cmpint((int)virDomainGetID(dom), ==, -1);
    g_assert_cmpint(virDomainIsPersistent(dom), ==, 1);
    g_assert_cmpint(virDomainIsActive(dom), ==, 0);
    g_assert_cmpint(virDomainGetAutostart(dom, &autostart), ==, 0);
    g_assert_cmpint(autostart, ==, 0);
    g_assert_cmpint(virDomainSetAutostart(dom, 1), ==, 0);
    g_assert_cmpint(virDomainGetAutostart(dom, &autostart), ==, 0);
    g_assert_cmpint(autostart, ==, 1);
    g_assert_cmpint(virDomainSetAutostart(dom, 0), ==, 0);
    g_assert_cmpint(virDomainHasManagedSaveImage(dom, 0), ==, 0);
    ostype = virDomainGetOSType(dom);
    g_assert_cmpstr(ostype, ==, "hvm");
    g_assert_cmpuint(virDomainGetMaxMemory(dom), ==, 65536);

    g_assert_cmpint(virDomainCreate(dom), ==, 0);
    g_assert_cmpint((int)virDomainGetID(dom), >, 0); /* looked up again after DOMAIN_CREATE */
    g_assert_cmpint(virDomainGetState(dom, &state, &reason, 0), ==, 0);
    g_assert_cmpint(state, ==, VIR_DOMAIN_RUNNING);
    g_assert_cmpint(reason, ==, VIR_DOMAIN_RUNNING_BOOTED);
    g_assert_cmpint(virDomainGetInfo(dom, &info), ==, 0);
    g_assert_cmpint(info.state, ==, VIR_DOMAIN_RUNNING);
    g_assert_cmpuint(info.maxMem, ==, 65536);
    g_assert_cmpint(info.nrVirtCpu, ==, 1);
    liveXML = virDomainGetXMLDesc(dom, 0);
    g_assert_nonnull(strstr(liveXML, "<domain type='qemu' id="));
    /* qemu runs as root here: libvirtd's taint message reaches us */
    g_assert_cmpint(virDomainGetMessages(dom, &msgs, 0), >=, 1);
    g_assert_nonnull(strstr(msgs[0], "tainted"));
    g_strfreev(msgs);

    byId = virDomainLookupByID(conn, virDomainGetID(dom));
    g_assert_nonnull(byId);
    g_assert_cmpstr(virDomainGetName(byId), ==, name);
    g_assert_cmpint(virDomainGetUUID(dom, uuid), ==, 0);
    byUUID = virDomainLookupByUUID(conn, uuid);
    g_assert_nonnull(byUUID);
    g_assert_cmpuint(virDomainGetID(byUUID), ==, virDomainGetID(dom));
    byName = virDomainLookupByName(conn, name);
    g_assert_nonnull(byName);

    /* errors travel verbatim: code, domain and message are libvirtd's qemu driver's */
    g_assert_cmpint(virDomainCreate(dom), ==, -1);
    assertError(VIR_ERR_OPERATION_INVALID, VIR_FROM_QEMU,
                "Requested operation is not valid: domain is already running");
    g_assert_cmpint(virDomainSuspend(dom), ==, 0);
    g_assert_cmpint(virDomainGetState(dom, &state, &reason, 0), ==, 0);
    g_assert_cmpint(state, ==, VIR_DOMAIN_PAUSED);
    g_assert_cmpint(virDomainResume(dom), ==, 0);

    g_assert_cmpint(virDomainDestroy(dom), ==, 0);
    g_assert_cmpint((int)virDomainGetID(dom), ==, -1);
    g_assert_cmpint(virDomainGetState(byName, &state, &reason, 0), ==, 0);
    g_assert_cmpint(state, ==, VIR_DOMAIN_SHUTOFF);
    g_assert_cmpint(reason, ==, VIR_DOMAIN_SHUTOFF_DESTROYED);
    g_assert_cmpint(virDomainDestroy(dom), ==, -1);
    assertError(VIR_ERR_OPERATION_INVALID, VIR_FROM_DOMAIN,
                "Requested operation is not valid: domain is not running");

    /* with flags: the *_FLAGS procedures */
    g_assert_cmpint(virDomainCreateWithFlags(dom, VIR_DOMAIN_START_PAUSED), ==, 0);
    g_assert_cmpint((int)virDomainGetID(dom), >, 0);
    g_assert_cmpint(virDomainGetState(dom, &state, NULL, 0), ==, 0);
    g_assert_cmpint(state, ==, VIR_DOMAIN_PAUSED);
    g_assert_cmpint(virDomainDestroyFlags(dom, VIR_DOMAIN_DESTROY_GRACEFUL), ==, 0);
    g_assert_cmpint(virDomainUndefineFlags(dom, 0), ==, 0);
    g_assert_null(virDomainLookupByName(conn, name));
    g_autofree char *notFound =
        g_strdup_printf("Domain not found: no domain with matching name '%s'", name);
    assertError(VIR_ERR_NO_DOMAIN, VIR_FROM_QEMU, notFound);
    g_assert_null(virDomainLookupByID(conn, 4242));
    assertError(VIR_ERR_NO_DOMAIN, VIR_FROM_QEMU,
                "Domain not found: no domain with matching id 4242");

    g_assert_null(virDomainDefineXML(conn, "<domain type='qemu'><name>x"));
    assertError(VIR_ERR_XML_DETAIL, VIR_FROM_DOMAIN, "(domain_definition):1: *");

    virDomainFree(byId);
    virDomainFree(byUUID);
    virDomainFree(byName);
    virDomainFree(dom);
    g_assert_cmpint(virConnectClose(conn), ==, 0);
}

static void testDomainLists(void)
{
    virConnectPtr conn = openTest();
    virDomainPtr *doms = NULL;
    int ids[8];
    char *names[8];
    int n;

    /* libvirt's test world: 'test' running with id 1 */
    n = virConnectListAllDomains(conn, &doms, 0);
    g_assert_cmpint(n, ==, 1);
    g_assert_cmpstr(virDomainGetName(doms[0]), ==, "test");
    g_assert_cmpint(virDomainGetID(doms[0]), ==, 1);
    g_assert_null(doms[1]);
    virDomainFree(doms[0]);
    free(doms);
    g_assert_cmpint(virConnectListAllDomains(conn, NULL, VIR_CONNECT_LIST_DOMAINS_INACTIVE), ==, 0);
    g_assert_cmpint(virConnectNumOfDomains(conn), ==, 1);
    g_assert_cmpint(virConnectListDomains(conn, ids, 8), ==, 1);
    g_assert_cmpint(ids[0], ==, 1);
    g_assert_cmpint(virConnectNumOfDefinedDomains(conn), ==, 0);

    virDomainPtr test = virDomainLookupByName(conn, "test");
    g_assert_cmpint(virDomainDestroy(test), ==, 0);
    virDomainFree(test);
    g_assert_cmpint(virConnectNumOfDefinedDomains(conn), ==, 1);
    g_assert_cmpint(virConnectListDefinedDomains(conn, names, 8), ==, 1);
    g_assert_cmpstr(names[0], ==, "test");
    free(names[0]);
    g_assert_cmpint(virConnectListDefinedDomains(conn, names, 20000), ==, -1);
    assertError(VIR_ERR_RPC, VIR_FROM_REMOTE,
                "too many remote strings: 20000 > 16384,in parameter 'names' for "
                "'virConnectListDefinedDomains'");
    g_assert_cmpint(virConnectListDomains(conn, ids, 20000), ==, -1);
    assertError(VIR_ERR_RPC, VIR_FROM_REMOTE, "Too many domains '20000' for limit '16384'");

    g_assert_null(virDomainLookupByName(conn, "nosuch"));
    assertError(VIR_ERR_NO_DOMAIN, VIR_FROM_TEST, "Domain not found");
    /* the last reference: the test driver's world goes with the last connection to it */
    g_assert_cmpint(virConnectClose(conn), ==, 0);
}

/* ---- networks ---- */

static void testNetworks(void)
{
    virConnectPtr conn = openTest();
    const char *xml = "<network><name>vkapinet</name><bridge name='vkapibr0'/>"
                      "<ip address='192.168.213.1' netmask='255.255.255.0'/></network>";
    virNetworkPtr *nets = NULL;
    virNetworkPtr def, net;
    char *names[8];
    int autostart = -1;

    def = virNetworkLookupByName(conn, "default");
    g_assert_nonnull(def);
    g_assert_cmpint(virNetworkIsActive(def), ==, 1);
    g_assert_cmpint(virNetworkIsPersistent(def), ==, 1);
    g_autofree char *bridge = virNetworkGetBridgeName(def);
    g_assert_cmpstr(bridge, ==, "virbr0");
    g_autofree char *defXML = virNetworkGetXMLDesc(def, 0);
    g_assert_nonnull(strstr(defXML, "<name>default</name>"));
    g_assert_cmpint(virNetworkGetAutostart(def, &autostart), ==, 0);

    net = virNetworkDefineXML(conn, xml);
    g_assert_nonnull(net);
    g_assert_cmpint(virConnectNumOfDefinedNetworks(conn), ==, 1);
    g_assert_cmpint(virConnectListDefinedNetworks(conn, names, 8), ==, 1);
    g_assert_cmpstr(names[0], ==, "vkapinet");
    free(names[0]);
    g_assert_cmpint(virNetworkCreate(net), ==, 0);
    g_assert_cmpint(virNetworkCreate(net), ==, -1);
    assertError(VIR_ERR_OPERATION_INVALID, VIR_FROM_TEST,
                "Requested operation is not valid: Network 'vkapinet' is already running");
    g_assert_cmpint(virConnectNumOfNetworks(conn), ==, 2);
    g_assert_cmpint(virConnectListNetworks(conn, names, 8), ==, 2);
    free(names[0]);
    free(names[1]);
    g_assert_cmpint(virConnectListAllNetworks(conn, &nets, VIR_CONNECT_LIST_NETWORKS_ACTIVE), ==,
                    2);
    for (int i = 0; nets[i]; i++)
        virNetworkFree(nets[i]);
    free(nets);
    g_assert_cmpint(virNetworkSetAutostart(net, 1), ==, 0);
    g_assert_cmpint(virNetworkGetAutostart(net, &autostart), ==, 0);
    g_assert_cmpint(autostart, ==, 1);

    unsigned char uuid[VIR_UUID_BUFLEN];
    g_assert_cmpint(virNetworkGetUUID(net, uuid), ==, 0);
    virNetworkPtr byUUID = virNetworkLookupByUUID(conn, uuid);
    g_assert_nonnull(byUUID);
    g_assert_cmpstr(virNetworkGetName(byUUID), ==, "vkapinet");
    virNetworkFree(byUUID);

    g_assert_cmpint(virNetworkDestroy(net), ==, 0);
    g_assert_cmpint(virNetworkUndefine(net), ==, 0);
    g_assert_null(virNetworkLookupByName(conn, "vkapinet"));
    assertError(VIR_ERR_NO_NETWORK, VIR_FROM_TEST,
                "Network not found: no network with matching name 'vkapinet'");
    virNetworkFree(net);

    /* transient, through CREATE_XML and CREATE_XML_FLAGS */
    net = virNetworkCreateXML(conn, xml);
    g_assert_nonnull(net);
    g_assert_cmpint(virNetworkIsPersistent(net), ==, 0);
    g_assert_cmpint(virNetworkDestroy(net), ==, 0);
    virNetworkFree(net);
    net = virNetworkCreateXMLFlags(conn, xml, VIR_NETWORK_CREATE_VALIDATE);
    g_assert_nonnull(net);
    g_assert_cmpint(virNetworkDestroy(net), ==, 0);
    virNetworkFree(net);

    virNetworkFree(def);
    virConnectClose(conn);
}

/* ---- read-only ---- */

static void testReadOnly(void)
{
    g_autofree char *uri = uriFor("test", "/default", sock);
    g_autofree char *roSocketURI = uriFor("test", "/default", sockRO);
    virConnectPtr conn;
    virDomainPtr dom;
    virNetworkPtr net;
    int state;

    /* opened read-only: the library refuses, the server is not asked */
    conn = virConnectOpenReadOnly(uri);
    g_assert_nonnull(conn);
    dom = virDomainLookupByName(conn, "test");
    g_assert_nonnull(dom);
    g_assert_cmpint(virDomainGetState(dom, &state, NULL, 0), ==, 0);
    g_assert_cmpint(virDomainDestroy(dom), ==, -1);
    assertError(VIR_ERR_OPERATION_DENIED, VIR_FROM_DOMAIN,
                "operation forbidden: read only access prevents virDomainDestroy");
    virDomainFree(dom);
    virConnectClose(conn);

    /* the read-only socket, the client asking for read-write: the server refuses */
    conn = virConnectOpen(roSocketURI);
    g_assert_nonnull(conn);
    dom = virDomainLookupByName(conn, "test");
    g_assert_nonnull(dom);
    g_assert_cmpint(virDomainSuspend(dom), ==, -1);
    assertError(VIR_ERR_OPERATION_DENIED, VIR_FROM_DOMAIN,
                "operation forbidden: read only access prevents virDomainSuspend");
    g_assert_null(virDomainDefineXML(conn, "<domain type='test'><name>x</name></domain>"));
    assertError(VIR_ERR_OPERATION_DENIED, VIR_FROM_DOMAIN,
                "operation forbidden: read only access prevents virDomainDefineXML");
    net = virNetworkLookupByName(conn, "default");
    g_assert_nonnull(net);
    g_assert_cmpint(virNetworkDestroy(net), ==, -1);
    assertError(VIR_ERR_OPERATION_DENIED, VIR_FROM_NETWORK,
                "operation forbidden: read only access prevents virNetworkDestroy");
    g_assert_cmpint(virDomainGetState(dom, &state, NULL, 0), ==, 0);
    g_assert_cmpint(state, ==, VIR_DOMAIN_RUNNING);
    virNetworkFree(net);
    virDomainFree(dom);
    virConnectClose(conn);
}

/* ---- threads ---- */

#define THREADS 8
#define ROUNDS  200

static gpointer threadMain(gpointer data)
{
    virConnectPtr conn = data;
    int failures = 0;

    for (int i = 0; i < ROUNDS; i++) {
        virDomainPtr dom = virDomainLookupByName(conn, "test");
        virDomainPtr *doms = NULL;
        char *xml;
        int state = -1;

        if (!dom) {
            failures++;
            continue;
        }
        xml = virDomainGetXMLDesc(dom, 0);
        if (!xml || !strstr(xml, "<name>test</name>"))
            failures++;
        free(xml);
        if (virDomainGetState(dom, &state, NULL, 0) < 0 || state != VIR_DOMAIN_RUNNING)
            failures++;
        if (virConnectListAllDomains(conn, &doms, 0) != 1)
            failures++;
        else {
            virDomainFree(doms[0]);
            free(doms);
        }
        /* a failing call in the middle: its error is this thread's */
        if (virDomainLookupByName(conn, "nosuch") || virGetLastErrorCode() != VIR_ERR_NO_DOMAIN)
            failures++;
        virDomainFree(dom);
    }
    return GINT_TO_POINTER(failures);
}

static void testThreads(void)
{
    virConnectPtr conn = openTest();
    GThread *threads[THREADS];

    for (int i = 0; i < THREADS; i++)
        threads[i] = g_thread_new("caller", threadMain, conn);
    for (int i = 0; i < THREADS; i++)
        g_assert_cmpint(GPOINTER_TO_INT(g_thread_join(threads[i])), ==, 0);
    g_assert_cmpint(virConnectIsAlive(conn), ==, 1);
    virConnectClose(conn);
}

/* ---- events ---- */

typedef struct {
    GPtrArray *seen; /* "name event detail" */
    virConnectPtr conn;
    int statesAsked; /* the callback asked the server, from the event loop */
} Recorder;

static void onDomainLifecycle(virConnectPtr conn, virDomainPtr dom, int event, int detail,
                              void *opaque)
{
    Recorder *r = opaque;
    int state;

    g_ptr_array_add(r->seen, g_strdup_printf("%s %d %d", virDomainGetName(dom), event, detail));
    /* a callback may call the server: delivery is not in the connection's I/O thread */
    if (virDomainGetState(dom, &state, NULL, 0) == 0 || virGetLastErrorCode() == VIR_ERR_NO_DOMAIN)
        r->statesAsked++;
}

static int onLegacyLifecycle(virConnectPtr conn, virDomainPtr dom, int event, int detail,
                             void *opaque)
{
    onDomainLifecycle(conn, dom, event, detail, opaque);
    return 0;
}

static void onNetworkLifecycle(virConnectPtr conn, virNetworkPtr net, int event, int detail,
                               void *opaque)
{
    Recorder *r = opaque;

    g_ptr_array_add(r->seen, g_strdup_printf("%s %d %d", virNetworkGetName(net), event, detail));
}

/* Removes itself with the first event: a call to the server from within the delivery. */
typedef struct {
    int id;
    int calls;
    int rc;
} SelfRemoving;

static void onceLifecycle(virConnectPtr conn, virDomainPtr dom, int event, int detail, void *opaque)
{
    SelfRemoving *s = opaque;

    if (s->calls++ == 0)
        s->rc = virConnectDomainEventDeregisterAny(conn, s->id);
}

static void tick(int timer, void *opaque)
{
}

/* Runs the event loop until R has seen N events (a timer wakes it every 50 ms; the bound only
 * keeps a broken peer from hanging the test). */
static void runUntil(Recorder *r, guint n)
{
    int timer = virEventAddTimeout(50, tick, NULL, NULL);

    for (int i = 0; i < 400 && r->seen->len < n; i++)
        g_assert_cmpint(virEventRunDefaultImpl(), ==, 0);
    virEventRemoveTimeout(timer);
    g_assert_cmpuint(r->seen->len, >=, n);
}

/* Runs the loop a little: what had to arrive by now has. */
static void runAWhile(void)
{
    int timer = virEventAddTimeout(50, tick, NULL, NULL);

    for (int i = 0; i < 6; i++)
        virEventRunDefaultImpl();
    virEventRemoveTimeout(timer);
}

static void assertSeen(Recorder *r, const char *const *expected)
{
    g_autofree char *got = NULL;
    g_autofree char *want = g_strjoinv(", ", (char **)expected);

    runUntil(r, g_strv_length((char **)expected));
    g_ptr_array_add(r->seen, NULL);
    got = g_strjoinv(", ", (char **)r->seen->pdata);
    g_ptr_array_set_size(r->seen, 0);
    g_assert_cmpstr(got, ==, want);
}

static void testEvents(void)
{
    virConnectPtr listen = openTest();
    virConnectPtr actor = openTest();
    Recorder all = { g_ptr_array_new_with_free_func(g_free) };
    Recorder onlyTest = { g_ptr_array_new_with_free_func(g_free) };
    Recorder legacy = { g_ptr_array_new_with_free_func(g_free) };
    Recorder nets = { g_ptr_array_new_with_free_func(g_free) };
    virDomainPtr test = virDomainLookupByName(listen, "test");
    SelfRemoving once = { .rc = -2 };
    virDomainPtr dom;
    virNetworkPtr net;
    int idAll, idTest, idNet, idReboot;

    g_assert_cmpint(virEventRegisterDefaultImpl(), ==, 0);
    idAll =
        virConnectDomainEventRegisterAny(listen, NULL, VIR_DOMAIN_EVENT_ID_LIFECYCLE,
                                         VIR_DOMAIN_EVENT_CALLBACK(onDomainLifecycle), &all, NULL);
    g_assert_cmpint(idAll, >=, 0);
    idTest = virConnectDomainEventRegisterAny(listen, test, VIR_DOMAIN_EVENT_ID_LIFECYCLE,
                                              VIR_DOMAIN_EVENT_CALLBACK(onDomainLifecycle),
                                              &onlyTest, NULL);
    g_assert_cmpint(idTest, >=, 0);
    g_assert_cmpint(virConnectDomainEventRegister(listen, onLegacyLifecycle, &legacy, NULL), ==, 0);
    idNet = virConnectNetworkEventRegisterAny(listen, NULL, VIR_NETWORK_EVENT_ID_LIFECYCLE,
                                              VIR_NETWORK_EVENT_CALLBACK(onNetworkLifecycle), &nets,
                                              NULL);
    g_assert_cmpint(idNet, >=, 0);
    once.id =
        virConnectDomainEventRegisterAny(listen, NULL, VIR_DOMAIN_EVENT_ID_LIFECYCLE,
                                         VIR_DOMAIN_EVENT_CALLBACK(onceLifecycle), &once, NULL);
    g_assert_cmpint(once.id, >=, 0);
    /* other events are registered with the server as libvirt's client does (only lifecycle
     * messages are delivered so far) */
    idReboot =
        virConnectDomainEventRegisterAny(listen, NULL, VIR_DOMAIN_EVENT_ID_REBOOT,
                                         VIR_DOMAIN_EVENT_CALLBACK(onDomainLifecycle), &all, NULL);
    g_assert_cmpint(idReboot, >=, 0);

    /* changes made through another connection reach the listener's loop */
    dom = virDomainDefineXML(actor, "<domain type='test'><name>vkev</name>"
                                    "<memory>1024</memory><os><type>hvm</type></os></domain>");
    g_assert_nonnull(dom);
    g_assert_cmpint(virDomainCreate(dom), ==, 0);
    g_assert_cmpint(virDomainDestroy(dom), ==, 0);
    g_assert_cmpint(virDomainUndefine(dom), ==, 0);
    virDomainFree(dom);
    dom = virDomainLookupByName(actor, "test");
    g_assert_cmpint(virDomainSuspend(dom), ==, 0);
    g_assert_cmpint(virDomainResume(dom), ==, 0);
    virDomainFree(dom);
    assertSeen(&all, (const char *const[]){ "vkev 0 0", "vkev 2 0", "vkev 5 1", "vkev 1 0",
                                            "test 3 0", "test 4 0", NULL });
    assertSeen(&legacy, (const char *const[]){ "vkev 0 0", "vkev 2 0", "vkev 5 1", "vkev 1 0",
                                               "test 3 0", "test 4 0", NULL });
    assertSeen(&onlyTest, (const char *const[]){ "test 3 0", "test 4 0", NULL });
    g_assert_cmpint(all.statesAsked, ==, 6);
    g_assert_cmpint(once.calls, ==, 1);
    g_assert_cmpint(once.rc, ==, 0);

    net = virNetworkDefineXML(actor, "<network><name>vkevnet</name><bridge name='vkevbr0'/>"
                                     "</network>");
    g_assert_nonnull(net);
    g_assert_cmpint(virNetworkCreate(net), ==, 0);
    g_assert_cmpint(virNetworkDestroy(net), ==, 0);
    g_assert_cmpint(virNetworkUndefine(net), ==, 0);
    virNetworkFree(net);
    assertSeen(&nets, (const char *const[]){ "vkevnet 0 0", "vkevnet 2 0", "vkevnet 3 0",
                                             "vkevnet 1 0", NULL });

    /* after deregistration nothing more arrives; the other callbacks go on */
    g_assert_cmpint(virConnectDomainEventDeregisterAny(listen, idTest), ==, 0);
    g_assert_cmpint(virConnectDomainEventDeregisterAny(listen, idTest), ==, -1);
    g_assert_cmpint(virConnectDomainEventDeregisterAny(listen, idReboot), ==, 0);
    g_assert_cmpint(virConnectDomainEventDeregister(listen, onLegacyLifecycle), ==, 0);
    g_assert_cmpint(virConnectNetworkEventDeregisterAny(listen, idNet), ==, 0);
    dom = virDomainLookupByName(actor, "test");
    g_assert_cmpint(virDomainSuspend(dom), ==, 0);
    g_assert_cmpint(virDomainResume(dom), ==, 0);
    virDomainFree(dom);
    assertSeen(&all, (const char *const[]){ "test 3 0", "test 4 0", NULL });
    g_assert_cmpint(virConnectDomainEventDeregisterAny(listen, idAll), ==, 0);
    runAWhile();
    g_assert_cmpuint(onlyTest.seen->len + legacy.seen->len + nets.seen->len, ==, 0);

    g_ptr_array_free(all.seen, TRUE);
    g_ptr_array_free(onlyTest.seen, TRUE);
    g_ptr_array_free(legacy.seen, TRUE);
    g_ptr_array_free(nets.seen, TRUE);
    virDomainFree(test);
    g_assert_cmpint(virConnectClose(actor), ==, 0);
    g_assert_cmpint(virConnectClose(listen), ==, 0);
}

/* ---- TCP and TLS ---- */

static void testTCP(void)
{
    g_autofree char *uri = g_strdup_printf("test+tcp://127.0.0.1:%s/default", tcpPort);
    virConnectPtr conn = virConnectOpen(uri);

    g_assert_nonnull(conn);
    g_assert_cmpint(virConnectNumOfDomains(conn), ==, 1);
    g_assert_cmpint(virConnectIsSecure(conn), ==, 0);
    g_assert_cmpint(virConnectIsEncrypted(conn), ==, 0);
    virConnectClose(conn);

    /* no port: libvirt's 16509, where nobody listens here */
    g_assert_null(virConnectOpen("test+tcp://127.0.0.1/default"));
    assertError(VIR_ERR_SYSTEM_ERROR, VIR_FROM_RPC,
                "unable to connect to server at '127.0.0.1:16509': Connection refused");
}

static void testTLS(void)
{
    g_autofree char *withPki =
        g_strdup_printf("qemu+tls://localhost/system?pkipath=%s/client", pkiDir);
    g_autofree char *otherCA =
        g_strdup_printf("test+tls://localhost/default?pkipath=%s/otherca", pkiDir);
    g_autofree char *otherCANoVerify = g_strdup_printf("%s&no_verify=1", otherCA);
    g_autofree char *noCert =
        g_strdup_printf("test+tls://localhost/default?pkipath=%s/nocert", pkiDir);
    g_autofree char *wrongName =
        g_strdup_printf("test+tls://vkwrongname/default?pkipath=%s/client", pkiDir);
    g_autofree char *wrongNameNoVerify = g_strdup_printf("%s&no_verify=1", wrongName);
    virConnectPtr conn;

    conn = virConnectOpen(withPki);
    g_assert_nonnull(conn);
    g_assert_cmpstr(virConnectGetType(conn), ==, "QEMU");
    g_assert_cmpint(virConnectIsSecure(conn), ==, 1);
    g_assert_cmpint(virConnectIsEncrypted(conn), ==, 1);
    virConnectClose(conn);

    /* without pkipath: libvirt's default files, /etc/pki here private to the test */
    conn = virConnectOpen("test+tls://localhost/default");
    g_assert_nonnull(conn);
    g_assert_cmpint(virConnectNumOfDomains(conn), ==, 1);
    virConnectClose(conn);

    /* a server certificate of another CA: refused, unless no_verify=1 */
    g_assert_null(virConnectOpen(otherCA));
    assertError(VIR_ERR_AUTH_FAILED, VIR_FROM_RPC,
                "authentication failed: Failed to verify peer's certificate");
    conn = virConnectOpen(otherCANoVerify);
    g_assert_nonnull(conn);
    virConnectClose(conn);

    /* a name the server's certificate does not carry */
    g_assert_null(virConnectOpen(wrongName));
    assertError(VIR_ERR_AUTH_FAILED, VIR_FROM_RPC,
                "authentication failed: Failed to verify peer's certificate");
    conn = virConnectOpen(wrongNameNoVerify);
    g_assert_nonnull(conn);
    virConnectClose(conn);

    /* no client certificate: libvirtd hangs up without its confirmation byte */
    g_assert_null(virConnectOpen(noCert));
    assertError(VIR_ERR_RPC, VIR_FROM_RPC,
                "server verification (of our certificate or IP address) failed");
}

/* ---- the daemon dies ---- */

/* Polls COND every 20 ms for up to 20 s: the bound only keeps a broken peer from hanging the
 * test; nothing is asserted about how long it took. */
#define waitFor(cond)                                \
    do {                                             \
        for (int w_ = 0; w_ < 1000 && !(cond); w_++) \
            g_usleep(20000);                         \
        g_assert_true(cond);                         \
    } while (0)

/* Gone or a zombie: its descriptors are closed either way. */
static gboolean processGone(pid_t pid)
{
    g_autofree char *path = g_strdup_printf("/proc/%d/stat", (int)pid);
    g_autofree char *stat = NULL;
    const char *end;

    if (!g_file_get_contents(path, &stat, NULL, NULL))
        return TRUE;
    end = strrchr(stat, ')');
    return end && end[1] == ' ' && end[2] == 'Z';
}

typedef struct {
    virConnectPtr conn;
    GMutex lock;
    GCond cond;
    gboolean calling;
    int rc;
    virError err;
} DyingCall;

static gpointer dyingCallMain(gpointer data)
{
    DyingCall *c = data;
    unsigned long ver;

    g_mutex_lock(&c->lock);
    c->calling = TRUE;
    g_cond_signal(&c->cond);
    g_mutex_unlock(&c->lock);
    c->rc = virConnectGetVersion(c->conn, &ver);
    virCopyLastError(&c->err);
    return NULL;
}

static void testDaemonDies(void)
{
    DyingCall c = { .conn = openQemu() };
    virConnectPtr idle = openTest();
    GThread *thread;
    unsigned long ver;

    /* stopped, the daemon cannot answer: the call is in flight when it is killed */
    g_mutex_init(&c.lock);
    g_cond_init(&c.cond);
    g_assert_cmpint(kill(daemonPid, SIGSTOP), ==, 0);
    thread = g_thread_new("dying", dyingCallMain, &c);
    g_mutex_lock(&c.lock);
    while (!c.calling)
        g_cond_wait(&c.cond, &c.lock);
    g_mutex_unlock(&c.lock);
    g_usleep(200 * 1000); /* let it reach the socket; nothing depends on the timing */
    g_assert_cmpint(kill(daemonPid, SIGKILL), ==, 0);
    g_thread_join(thread);

    g_assert_cmpint(c.rc, ==, -1);
    g_assert_cmpint(c.err.code, ==, VIR_ERR_SYSTEM_ERROR);
    g_assert_cmpint(c.err.domain, ==, VIR_FROM_RPC);
    /* our call was never read: the kernel resets the connection (libvirt's words for it) */
    g_assert_cmpstr(c.err.message, ==, "Cannot recv data: Connection reset by peer");

    /* later calls fail at once with the same error; the connection says it is dead */
    g_assert_cmpint(virConnectGetVersion(c.conn, &ver), ==, -1);
    assertError(VIR_ERR_SYSTEM_ERROR, VIR_FROM_RPC, c.err.message);
    virResetError(&c.err);
    g_assert_null(virConnectGetType(c.conn));
    assertError(VIR_ERR_SYSTEM_ERROR, VIR_FROM_RPC, NULL);
    g_assert_cmpint(virConnectIsAlive(c.conn), ==, 0);
    g_assert_cmpint(virConnectClose(c.conn), ==, 0);

    /* a connection with nothing in flight sees the end of the data */
    waitFor(processGone(daemonPid));
    waitFor(virConnectIsAlive(idle) == 0);
    g_assert_cmpint(virConnectNumOfDomains(idle), ==, -1);
    assertError(VIR_ERR_SYSTEM_ERROR, VIR_FROM_RPC,
                "End of file while reading data: Input/output error");
    g_assert_cmpint(virConnectClose(idle), ==, 0);

    /* and nobody answers a new one */
    g_autofree char *uri = uriFor("qemu", "/system", sock);
    g_autofree char *refused =
        g_strdup_printf("Failed to connect socket to '%s': Connection refused", sock);
    g_assert_null(virConnectOpen(uri));
    assertError(VIR_ERR_SYSTEM_ERROR, VIR_FROM_RPC, refused);
    g_mutex_clear(&c.lock);
    g_cond_clear(&c.cond);
}

int main(int argc, char **argv)
{
    const char *pid;

    g_test_init(&argc, &argv, NULL);
    virSetErrorFunc(NULL, quietHandler);
    sock = g_getenv("VKTEST_SOCK");
    sockRO = g_getenv("VKTEST_SOCK_RO");
    pkiDir = g_getenv("VKTEST_PKI");
    tcpPort = g_getenv("VKTEST_TCP_PORT");
    pid = g_getenv("VKTEST_LIBVIRTD_PID");
    if (!sock || !sockRO || !pid) {
        g_test_skip("run through remote-api.sh");
        return g_test_run();
    }
    daemonPid = atoi(pid);
    g_test_add_func("/remote/connection", testConnection);
    g_test_add_func("/remote/uris", testURIs);
    g_test_add_func("/remote/session-socket", testSessionSocket);
    g_test_add_func("/remote/domain-lifecycle", testDomainLifecycle);
    g_test_add_func("/remote/domain-lists", testDomainLists);
    g_test_add_func("/remote/networks", testNetworks);
    g_test_add_func("/remote/read-only", testReadOnly);
    g_test_add_func("/remote/threads", testThreads);
    g_test_add_func("/remote/events", testEvents);
    if (tcpPort)
        g_test_add_func("/remote/tcp", testTCP);
    if (pkiDir)
        g_test_add_func("/remote/tls", testTLS);
    /* last: it kills the daemon */
    g_test_add_func("/remote/daemon-dies", testDaemonDies);
    return g_test_run();
}

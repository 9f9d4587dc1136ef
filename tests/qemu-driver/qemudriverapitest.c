/* The qemu driver through the public API, as an application sees it: real guests on
 * qemu:///embed, their states, ids and info, and the error codes libvirt gives on the error
 * paths. Run by api.sh, which provides the root (VKQ_ROOT) and removes what is left. */
#include <glib.h>
#include <string.h>
#include <virtkit/virtkit.h>

static char *uri;
static const char *prefix;
static const char *virtType;

G_DEFINE_AUTOPTR_CLEANUP_FUNC(virDomain, virDomainFree)

/* Errors are asserted explicitly; the default handler would print each one. */
static void quietHandler(void *data, virErrorPtr err)
{
    (void)data;
    (void)err;
}

/* The last error has CODE, comes from the qemu driver and its message contains TEXT. */
static void assertErrorAt(const char *file, int line, int code, const char *text)
{
    virErrorPtr err = virGetLastError();

    if (!err)
        g_error("%s:%d: expected error code %d, got no error", file, line, code);
    if (err->code != code)
        g_error("%s:%d: expected error code %d, got %d: %s", file, line, code, err->code,
                err->message);
    if (err->domain != VIR_FROM_QEMU)
        g_error("%s:%d: error domain %d, expected VIR_FROM_QEMU", file, line, err->domain);
    if (text && (!err->message || !strstr(err->message, text)))
        g_error("%s:%d: message '%s' lacks '%s'", file, line, err->message, text);
}

#define assertError(code, text) assertErrorAt(__FILE__, __LINE__, code, text)

/* A minimal guest with a uuid of its own, fixed in the XML so that the same text names the
 * same domain twice. */
static char *domainXML(const char *name)
{
    g_autofree char *uuid = g_uuid_string_random();

    return g_strdup_printf("<domain type='%s'><name>%s%s</name><uuid>%s</uuid>"
                           "<memory unit='MiB'>64</memory><vcpu>1</vcpu>"
                           "<os><type arch='x86_64'>hvm</type></os>"
                           "<devices><graphics type='vnc' autoport='yes'/></devices></domain>",
                           virtType, prefix, name, uuid);
}

static virConnectPtr openConn(void)
{
    virConnectPtr conn = virConnectOpen(uri);

    g_assert_nonnull(conn);
    return conn;
}

static int stateOf(virDomainPtr dom, int *reason)
{
    int state = -1;

    g_assert_cmpint(virDomainGetState(dom, &state, reason, 0), ==, 0);
    return state;
}

static void assertState(virDomainPtr dom, int state, int reason)
{
    int r = -1;

    g_assert_cmpint(stateOf(dom, &r), ==, state);
    g_assert_cmpint(r, ==, reason);
}

static void testLifecycle(void)
{
    virConnectPtr conn = openConn();
    virConnectPtr other = openConn();
    g_autofree char *xml = domainXML("life");
    g_autofree char *name = g_strconcat(prefix, "life", NULL);
    g_autoptr(virDomain) dom = NULL;
    g_autoptr(virDomain) byID = NULL;
    g_autoptr(virDomain) seen = NULL;
    char uuid[VIR_UUID_STRING_BUFLEN], uuid2[VIR_UUID_STRING_BUFLEN];
    virDomainInfo info;
    unsigned int id;

    g_assert_cmpstr(virConnectGetType(conn), ==, "QEMU");
    dom = virDomainDefineXML(conn, xml);
    g_assert_nonnull(dom);
    g_assert_cmpuint(virDomainGetID(dom), ==, (unsigned int)-1);
    assertState(dom, VIR_DOMAIN_SHUTOFF, VIR_DOMAIN_SHUTOFF_UNKNOWN);
    g_assert_cmpint(virDomainIsActive(dom), ==, 0);
    g_assert_cmpint(virDomainIsPersistent(dom), ==, 1);

    /* Error paths of a shut off domain. */
    g_assert_cmpint(virDomainDestroy(dom), ==, -1);
    assertError(VIR_ERR_OPERATION_INVALID, "domain is not running");
    g_assert_cmpint(virDomainSuspend(dom), ==, -1);
    assertError(VIR_ERR_OPERATION_INVALID, "domain is not running");

    g_assert_cmpint(virDomainCreate(dom), ==, 0);
    g_assert_null(virGetLastError());
    id = virDomainGetID(dom);
    g_assert_cmpint((int)id, >, 0);
    assertState(dom, VIR_DOMAIN_RUNNING, VIR_DOMAIN_RUNNING_BOOTED);
    g_assert_cmpint(virDomainIsActive(dom), ==, 1);

    g_assert_cmpint(virDomainGetInfo(dom, &info), ==, 0);
    g_assert_cmpint(info.state, ==, VIR_DOMAIN_RUNNING);
    g_assert_cmpuint(info.maxMem, ==, 65536);
    g_assert_cmpuint(info.memory, ==, 65536);
    g_assert_cmpuint(info.nrVirtCpu, ==, 1);
    /* qemu has done some work by now: the time is its process's. */
    g_assert_cmpuint(info.cpuTime, >, 0);

    byID = virDomainLookupByID(conn, (int)id);
    g_assert_nonnull(byID);
    g_assert_cmpstr(virDomainGetName(byID), ==, name);
    g_assert_cmpint(virDomainGetUUIDString(dom, uuid), ==, 0);
    g_assert_cmpint(virDomainGetUUIDString(byID, uuid2), ==, 0);
    g_assert_cmpstr(uuid, ==, uuid2);

    /* Another connection (in a real program: another process) sees the same guest. */
    seen = virDomainLookupByName(other, name);
    g_assert_nonnull(seen);
    g_assert_cmpuint(virDomainGetID(seen), ==, id);
    assertState(seen, VIR_DOMAIN_RUNNING, VIR_DOMAIN_RUNNING_BOOTED);

    g_assert_cmpint(virDomainCreate(dom), ==, -1);
    assertError(VIR_ERR_OPERATION_INVALID, "domain is already running");
    g_assert_cmpuint(virDomainGetID(dom), ==, id);

    g_assert_cmpint(virDomainSuspend(seen), ==, 0);
    assertState(dom, VIR_DOMAIN_PAUSED, VIR_DOMAIN_PAUSED_USER);
    g_assert_cmpint(virDomainGetInfo(dom, &info), ==, 0);
    g_assert_cmpint(info.state, ==, VIR_DOMAIN_PAUSED);
    g_assert_cmpint(virDomainResume(dom), ==, 0);
    assertState(seen, VIR_DOMAIN_RUNNING, VIR_DOMAIN_RUNNING_UNPAUSED);

    g_assert_cmpint(virDomainDestroy(dom), ==, 0);
    g_assert_cmpuint(virDomainGetID(dom), ==, (unsigned int)-1);
    assertState(dom, VIR_DOMAIN_SHUTOFF, VIR_DOMAIN_SHUTOFF_DESTROYED);
    assertState(seen, VIR_DOMAIN_SHUTOFF, VIR_DOMAIN_SHUTOFF_DESTROYED);
    g_assert_cmpint(virDomainGetInfo(dom, &info), ==, 0);
    g_assert_cmpint(info.state, ==, VIR_DOMAIN_SHUTOFF);
    g_assert_cmpint(virDomainIsActive(dom), ==, 0);

    g_assert_cmpint(virDomainDestroy(seen), ==, -1);
    assertError(VIR_ERR_OPERATION_INVALID, "domain is not running");
    g_assert_null(virDomainLookupByID(conn, (int)id));
    assertError(VIR_ERR_NO_DOMAIN, NULL);

    /* Started again: a new, larger id. */
    g_assert_cmpint(virDomainCreate(seen), ==, 0);
    g_assert_cmpuint(virDomainGetID(seen), >, id);
    g_assert_cmpint(virDomainDestroy(seen), ==, 0);

    g_assert_cmpint(virDomainUndefine(dom), ==, 0);
    g_assert_cmpint(virDomainGetState(dom, &(int){ 0 }, NULL, 0), ==, -1);
    assertError(VIR_ERR_NO_DOMAIN, NULL);
    g_assert_null(virDomainLookupByName(conn, name));
    assertError(VIR_ERR_NO_DOMAIN, name);

    /* Handles hold their connection: released first, the connections close for good. */
    g_clear_pointer(&seen, virDomainFree);
    g_clear_pointer(&byID, virDomainFree);
    g_clear_pointer(&dom, virDomainFree);
    g_assert_cmpint(virConnectClose(other), ==, 0);
    g_assert_cmpint(virConnectClose(conn), ==, 0);
}

static void testTransient(void)
{
    virConnectPtr conn = openConn();
    g_autofree char *xml = domainXML("tr");
    g_autofree char *name = g_strconcat(prefix, "tr", NULL);
    g_autoptr(virDomain) dom = NULL;
    g_autoptr(virDomain) paused = NULL;

    dom = virDomainCreateXML(conn, xml, 0);
    g_assert_nonnull(dom);
    g_assert_cmpint((int)virDomainGetID(dom), >, 0);
    assertState(dom, VIR_DOMAIN_RUNNING, VIR_DOMAIN_RUNNING_BOOTED);
    g_assert_cmpint(virDomainIsPersistent(dom), ==, 0);

    g_assert_null(virDomainCreateXML(conn, xml, 0));
    assertError(VIR_ERR_OPERATION_INVALID, "is already active");
    g_assert_cmpint(virDomainUndefine(dom), ==, -1);
    assertError(VIR_ERR_OPERATION_INVALID, "cannot undefine transient domain");
    g_assert_cmpint(virDomainSetAutostart(dom, 1), ==, -1);
    assertError(VIR_ERR_OPERATION_INVALID, "transient");

    g_assert_cmpint(virDomainDestroy(dom), ==, 0);
    g_assert_null(virDomainLookupByName(conn, name));
    assertError(VIR_ERR_NO_DOMAIN, name);
    g_assert_cmpint(virDomainGetState(dom, &(int){ 0 }, NULL, 0), ==, -1);
    assertError(VIR_ERR_NO_DOMAIN, NULL);

    paused = virDomainCreateXML(conn, xml, VIR_DOMAIN_START_PAUSED);
    g_assert_nonnull(paused);
    assertState(paused, VIR_DOMAIN_PAUSED, VIR_DOMAIN_PAUSED_USER);
    g_assert_cmpint(virDomainDestroy(paused), ==, 0);
    g_assert_null(virDomainLookupByName(conn, name));
    assertError(VIR_ERR_NO_DOMAIN, NULL);

    g_clear_pointer(&dom, virDomainFree);
    g_clear_pointer(&paused, virDomainFree);
    g_assert_cmpint(virConnectClose(conn), ==, 0);
}

static void testLookupErrors(void)
{
    virConnectPtr conn = openConn();

    g_assert_null(virDomainLookupByName(conn, "no-such-domain"));
    assertError(VIR_ERR_NO_DOMAIN, "no-such-domain");
    g_assert_null(virDomainLookupByID(conn, 999999));
    assertError(VIR_ERR_NO_DOMAIN, NULL);
    g_assert_null(virDomainLookupByUUIDString(conn, "8f3c1e4a-2b7d-4e5f-9a6b-0c1d2e3f4a5b"));
    assertError(VIR_ERR_NO_DOMAIN, NULL);
    g_assert_cmpint(virConnectClose(conn), ==, 0);
}

int main(int argc, char **argv)
{
    const char *root = g_getenv("VKQ_ROOT");

    g_test_init(&argc, &argv, NULL);
    prefix = g_getenv("VKQ_PREFIX");
    virtType = g_getenv("VKQ_VIRT_TYPE");
    if (!root || !prefix || !virtType)
        g_error("run by api.sh: VKQ_ROOT, VKQ_PREFIX and VKQ_VIRT_TYPE must be set");
    uri = g_strdup_printf("qemu:///embed?root=%s", root);
    virSetErrorFunc(NULL, quietHandler);

    g_test_add_func("/qemu-driver/api/lifecycle", testLifecycle);
    g_test_add_func("/qemu-driver/api/transient", testTransient);
    g_test_add_func("/qemu-driver/api/lookup-errors", testLookupErrors);

    int ret = g_test_run();
    g_free(uri);
    return ret;
}

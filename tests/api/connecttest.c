/* Connections: URI dispatch and its errors, reference counting, the host queries of the test
 * driver, the shared test:///default world and private node-file worlds. */
#include <unistd.h>
#include "apitest.h"

static void testOpenClose(void)
{
    g_assert_cmpint(virInitialize(), ==, 0);
    virConnectPtr conn = virConnectOpen("test:///default");

    g_assert_nonnull(conn);
    apiAssertNoError();
    g_assert_cmpint(virConnectRef(conn), ==, 0);
    /* virConnectClose returns the references left, 0 when the connection is gone. */
    g_assert_cmpint(virConnectClose(conn), ==, 1);
    virDomainPtr dom = virDomainLookupByName(conn, "test");
    g_assert_cmpint(virConnectClose(conn), ==, 1);
    g_assert_cmpint(virDomainFree(dom), ==, 0);

    g_assert_cmpint(virConnectClose(NULL), ==, -1);
    apiAssertErrorMessage(VIR_ERR_INVALID_CONN, "invalid connection pointer in virConnectClose");
    g_assert_cmpint(virConnectRef(NULL), ==, -1);
}

static void testHostQueries(void)
{
    virConnectPtr conn = apiOpenDefault();
    unsigned long ver = 0, typeVer = 0;
    virNodeInfo node;

    g_assert_cmpstr(virConnectGetType(conn), ==, "TEST");
    g_assert_cmpint(virConnectGetVersion(conn, &ver), ==, 0);
    g_assert_cmpuint(ver, ==, 2);
    g_assert_cmpint(virConnectGetLibVersion(conn, &ver), ==, 0);
    g_assert_cmpuint(ver, ==, LIBVIR_VERSION_NUMBER);
    g_assert_cmpuint(ver, ==, 9000000);
    g_assert_cmpint(virGetVersion(&ver, "Test", &typeVer), ==, 0);
    g_assert_cmpuint(ver, ==, 9000000);
    g_assert_cmpuint(typeVer, ==, 9000000);
    g_assert_cmpint(virGetVersion(NULL, NULL, NULL), ==, -1);
    apiAssertError(VIR_ERR_INVALID_ARG, "libVer");
    g_assert_true(LIBVIR_CHECK_VERSION(9, 0, 0));
    g_assert_false(LIBVIR_CHECK_VERSION(9, 0, 1));

    g_autofree char *host = virConnectGetHostname(conn);
    g_assert_cmpstr(host, ==, g_get_host_name());
    g_autofree char *uri = virConnectGetURI(conn);
    g_assert_cmpstr(uri, ==, "test:///default");
    g_assert_cmpint(virConnectIsAlive(conn), ==, 1);
    g_assert_cmpint(virConnectIsEncrypted(conn), ==, 0);
    g_assert_cmpint(virConnectIsSecure(conn), ==, 1);
    g_assert_cmpint(virConnectGetMaxVcpus(conn, NULL), ==, 32);

    g_autofree char *caps = virConnectGetCapabilities(conn);
    g_autofree char *expectCaps = apiReadData("default-capabilities.xml");
    g_assert_cmpstr(caps, ==, expectCaps);
    g_autofree char *sysinfo = virConnectGetSysinfo(conn, 0);
    g_assert_nonnull(strstr(sysinfo, "<entry name='vendor'>LENOVO</entry>"));

    g_assert_cmpint(virNodeGetInfo(conn, &node), ==, 0);
    g_assert_cmpstr(node.model, ==, "i686");
    g_assert_cmpuint(node.memory, ==, 3145728);
    g_assert_cmpuint(node.cpus, ==, 16);
    g_assert_cmpuint(node.mhz, ==, 1400);
    g_assert_cmpuint(node.nodes, ==, 2);
    g_assert_cmpuint(VIR_NODEINFO_MAXCPUS(node), ==, 16);

    g_assert_cmpint(virConnectGetVersion(conn, NULL), ==, -1);
    apiAssertErrorMessage(VIR_ERR_INVALID_ARG, "hvVer in virConnectGetVersion must not be NULL");
    g_assert_null(virConnectGetType(NULL));
    apiAssertError(VIR_ERR_INVALID_CONN, "virConnectGetType");
    g_assert_null(virConnectGetURI(NULL));
    g_assert_cmpint(virConnectIsAlive(NULL), ==, -1);
    apiClose(conn);
}

static void assertNoConnect(const char *uri, const char *message)
{
    g_assert_null(virConnectOpen(uri));
    apiAssertErrorMessage(VIR_ERR_NO_CONNECT, message);
}

static void testBadURIs(void)
{
    assertNoConnect("foo:///bar", "no connection driver available for foo:///bar");
    /* A scheme no driver serves: the same error, naming the URI. */
    assertNoConnect("xen:///system", "no connection driver available for xen:///system");
    assertNoConnect("test://somehost/default",
                    "no connection driver available for test://somehost/default");
    assertNoConnect("test", "no connection driver available for URI 'test' does not include a "
                            "driver name");

    g_assert_null(virConnectOpen("test://"));
    apiAssertErrorMessage(VIR_ERR_INVALID_ARG,
                          "invalid argument: testOpen: supply a path or use test:///default");
    g_assert_null(virConnectOpen("test:///"));
    apiAssertError(VIR_ERR_INVALID_ARG, "testOpen");
    g_assert_null(virConnectOpen("test:///nonexistent/node.xml"));
    apiAssertErrorMessage(VIR_ERR_XML_ERROR,
                          "XML error: failed to parse xml document '/nonexistent/node.xml'");
    g_assert_null(virConnectOpenAuth("test:///default", NULL, 4));
    apiAssertError(VIR_ERR_INVALID_ARG, "unsupported flags (0x4)");
}

static void testDefaultURI(void)
{
    g_setenv("VIRTKIT_DEFAULT_URI", "test:///default", TRUE);
    virConnectPtr conn = virConnectOpen(NULL);
    g_assert_nonnull(conn);
    g_autofree char *uri = virConnectGetURI(conn);
    g_assert_cmpstr(uri, ==, "test:///default");
    apiClose(conn);

    conn = virConnectOpen("");
    g_assert_nonnull(conn);
    apiClose(conn);

    /* Without it the default is qemu:///session, rooted in XDG_DATA_HOME. */
    g_autofree char *home = g_dir_make_tmp("vkapi-XXXXXX", NULL);
    g_assert_nonnull(home);
    g_setenv("XDG_DATA_HOME", home, TRUE);
    g_unsetenv("VIRTKIT_DEFAULT_URI");
    conn = virConnectOpen(NULL);
    g_assert_nonnull(conn);
    g_assert_cmpstr(virConnectGetType(conn), ==, "QEMU");
    g_autofree char *quri = virConnectGetURI(conn);
    g_assert_cmpstr(quri, ==, "qemu:///session");
    apiClose(conn);
    rmdir(home);
}

static void testOpenAuth(void)
{
    virConnectPtr conn =
        virConnectOpenAuth("test:///default", virConnectAuthPtrDefault, VIR_CONNECT_RO);
    g_assert_nonnull(conn);
    virDomainPtr dom = virDomainLookupByName(conn, "test");
    g_assert_cmpint(virDomainDestroy(dom), ==, -1);
    apiAssertError(VIR_ERR_OPERATION_DENIED, NULL);
    virDomainFree(dom);
    apiClose(conn);
}

/* test:///default connections share one world while any is open, as in libvirt. */
static void testSharedDefault(void)
{
    virConnectPtr a = apiOpenDefault();
    virConnectPtr b = apiOpenDefault();
    virDomainPtr viaA = virDomainLookupByName(a, "test");

    g_assert_cmpint(virDomainDestroy(viaA), ==, 0);
    virDomainPtr viaB = virDomainLookupByName(b, "test");
    g_assert_cmpint(virDomainIsActive(viaB), ==, 0);
    virDomainFree(viaA);
    virDomainFree(viaB);
    apiClose(a);

    /* b still holds the world: the change persists. */
    g_assert_cmpint(virConnectNumOfDomains(b), ==, 0);
    apiClose(b);

    /* With every connection gone, a new one starts from the default world again. */
    virConnectPtr c = apiOpenDefault();
    g_assert_cmpint(virConnectNumOfDomains(c), ==, 1);
    apiClose(c);
}

static void testNodeFile(void)
{
    g_autofree char *path = apiDataPath("node.xml");
    g_autofree char *uri = g_strdup_printf("test://%s", path);
    virConnectPtr conn = virConnectOpen(uri);
    virNodeInfo node;
    int reason = -1;

    g_assert_nonnull(conn);
    g_autofree char *got = virConnectGetURI(conn);
    g_assert_cmpstr(got, ==, uri);

    /* Domains start in file order and take ids 1, 2, ...; shut off ones take none. */
    virDomainPtr off = virDomainLookupByName(conn, "off");
    virDomainPtr paused = virDomainLookupByName(conn, "paused");
    virDomainPtr fleeting = virDomainLookupByName(conn, "fleeting");
    virDomainPtr fromfile = virDomainLookupByName(conn, "fromfile");
    g_assert_cmpint((int)virDomainGetID(off), ==, -1);
    g_assert_cmpint(apiState(off, &reason), ==, VIR_DOMAIN_SHUTOFF);
    g_assert_cmpint(reason, ==, 0);
    g_assert_cmpuint(virDomainGetID(paused), ==, 1);
    g_assert_cmpint(apiState(paused, &reason), ==, VIR_DOMAIN_PAUSED);
    g_assert_cmpint(reason, ==, 0);
    g_assert_cmpuint(virDomainGetID(fleeting), ==, 2);
    g_assert_cmpint(virDomainIsPersistent(fleeting), ==, 0);
    g_assert_cmpuint(virDomainGetID(fromfile), ==, 3);
    g_assert_cmpint(apiState(fromfile, &reason), ==, VIR_DOMAIN_RUNNING);
    g_assert_cmpint(reason, ==, 0);
    g_assert_cmpuint(virDomainGetMaxMemory(fromfile), ==, 2048);

    virNetworkPtr n1 = virNetworkLookupByName(conn, "n1");
    virNetworkPtr n2 = virNetworkLookupByName(conn, "n2");
    g_assert_cmpint(virNetworkIsActive(n1), ==, 1);
    g_assert_cmpint(virNetworkIsPersistent(n2), ==, 1);
    g_autofree char *br2 = virNetworkGetBridgeName(n2);
    g_assert_cmpstr(br2, ==, "br2");

    g_assert_cmpint(virNodeGetInfo(conn, &node), ==, 0);
    g_assert_cmpstr(node.model, ==, "x86_64");
    g_assert_cmpuint(node.cpus, ==, 6);
    g_assert_cmpuint(node.mhz, ==, 2000);
    g_assert_cmpuint(node.sockets, ==, 2);
    g_assert_cmpuint(node.memory, ==, 4096000);
    g_autofree char *caps = virConnectGetCapabilities(conn);
    g_assert_nonnull(strstr(caps, "<cells num='0'>\n      </cells>"));

    /* Each node-file connection has a world of its own. */
    virConnectPtr other = virConnectOpen(uri);
    g_assert_cmpint(virDomainDestroy(fromfile), ==, 0);
    virDomainPtr again = virDomainLookupByName(other, "fromfile");
    g_assert_cmpint(virDomainIsActive(again), ==, 1);
    /* Ids continue from the file's. */
    g_assert_cmpint(virDomainCreate(off), ==, 0);
    g_assert_cmpuint(virDomainGetID(off), ==, 4);

    virDomainFree(again);
    virDomainFree(off);
    virDomainFree(paused);
    virDomainFree(fleeting);
    virDomainFree(fromfile);
    virNetworkFree(n1);
    virNetworkFree(n2);
    apiClose(other);
    apiClose(conn);
}

static void assertBadNodeFile(const char *file, int code, const char *message)
{
    g_autofree char *path = apiDataPath(file);
    g_autofree char *uri = g_strdup_printf("test://%s", path);

    g_assert_null(virConnectOpen(uri));
    apiAssertErrorMessage(code, message);
}

static void testBadNodeFiles(void)
{
    assertBadNodeFile("node-bad-runstate.xml", VIR_ERR_XML_ERROR,
                      "XML error: runstate '9' out of range'");
    assertBadNodeFile("node-bad-transient.xml", VIR_ERR_XML_ERROR,
                      "XML error: transient domain cannot have runstate 'shutoff'");
    assertBadNodeFile("node-bad-root.xml", VIR_ERR_XML_ERROR,
                      "XML error: expecting root element of 'node', not 'domain'");
    assertBadNodeFile("node-bad-cpu.xml", VIR_ERR_XML_ERROR,
                      "XML error: invalid node cpu sockets value");
}

int main(int argc, char **argv)
{
    apiTestInit(&argc, &argv);
    g_test_add_func("/connect/open-close", testOpenClose);
    g_test_add_func("/connect/host-queries", testHostQueries);
    g_test_add_func("/connect/bad-uris", testBadURIs);
    g_test_add_func("/connect/default-uri", testDefaultURI);
    g_test_add_func("/connect/open-auth", testOpenAuth);
    g_test_add_func("/connect/shared-default", testSharedDefault);
    g_test_add_func("/connect/node-file", testNodeFile);
    g_test_add_func("/connect/bad-node-files", testBadNodeFiles);
    return g_test_run();
}

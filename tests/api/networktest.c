/* Network calls against the test driver: the default network, lookups, define/create/
 * destroy/undefine transitions, listings, and the errors libvirt gives. */
#include "apitest.h"

#define DEFAULT_UUID "dd8fe884-6c02-601e-7551-cca97df1c5df"

static char *networkXML(const char *name, const char *uuid, const char *bridge)
{
    return g_strdup_printf("<network><name>%s</name>%s%s%s%s%s%s</network>", name,
                           uuid ? "<uuid>" : "", uuid ? uuid : "", uuid ? "</uuid>" : "",
                           bridge ? "<bridge name='" : "", bridge ? bridge : "",
                           bridge ? "'/>" : "");
}

static virNetworkPtr lookup(virConnectPtr conn, const char *name)
{
    virNetworkPtr net = virNetworkLookupByName(conn, name);
    g_assert_nonnull(net);
    return net;
}

static void testDefaultNetwork(void)
{
    virConnectPtr conn = apiOpenDefault();
    virNetworkPtr net = lookup(conn, "default");
    char uuid[VIR_UUID_STRING_BUFLEN];
    int autostart = -1;

    g_assert_cmpstr(virNetworkGetName(net), ==, "default");
    g_assert_cmpint(virNetworkGetUUIDString(net, uuid), ==, 0);
    g_assert_cmpstr(uuid, ==, DEFAULT_UUID);
    g_assert_cmpint(virNetworkIsActive(net), ==, 1);
    g_assert_cmpint(virNetworkIsPersistent(net), ==, 1);
    g_assert_cmpint(virNetworkGetAutostart(net, &autostart), ==, 0);
    g_assert_cmpint(autostart, ==, 0);
    g_assert_true(virNetworkGetConnect(net) == conn);

    g_autofree char *bridge = virNetworkGetBridgeName(net);
    g_assert_cmpstr(bridge, ==, "virbr0");

    g_autofree char *xml = virNetworkGetXMLDesc(net, 0);
    g_autofree char *expect = apiReadData("default-network.xml");
    g_assert_cmpstr(xml, ==, expect);
    /* libvirt's test driver has no separate inactive form to show and refuses the flag. */
    g_assert_null(virNetworkGetXMLDesc(net, VIR_NETWORK_XML_INACTIVE));
    apiAssertErrorMessage(VIR_ERR_INVALID_ARG,
                          "unsupported flags (0x1) in function testNetworkGetXMLDesc");

    g_assert_cmpint(virConnectNumOfNetworks(conn), ==, 1);
    g_assert_cmpint(virConnectNumOfDefinedNetworks(conn), ==, 0);
    char *names[2] = { NULL, NULL };
    g_assert_cmpint(virConnectListNetworks(conn, names, 2), ==, 1);
    g_assert_cmpstr(names[0], ==, "default");
    free(names[0]);
    virNetworkFree(net);
    apiClose(conn);
}

static void testLookup(void)
{
    virConnectPtr conn = apiOpenDefault();
    unsigned char raw[VIR_UUID_BUFLEN];
    virNetworkPtr net = lookup(conn, "default");

    g_assert_cmpint(virNetworkGetUUID(net, raw), ==, 0);
    virNetworkFree(net);
    net = virNetworkLookupByUUID(conn, raw);
    g_assert_cmpstr(virNetworkGetName(net), ==, "default");
    virNetworkFree(net);
    net = virNetworkLookupByUUIDString(conn, DEFAULT_UUID);
    g_assert_cmpstr(virNetworkGetName(net), ==, "default");
    virNetworkFree(net);

    g_assert_null(virNetworkLookupByName(conn, "nope"));
    apiAssertErrorMessage(VIR_ERR_NO_NETWORK,
                          "Network not found: no network with matching name 'nope'");
    g_assert_cmpint(virGetLastError()->domain, ==, VIR_FROM_TEST);
    g_assert_null(virNetworkLookupByUUIDString(conn, "dd8fe884-6c02-601e-7551-cca97df1c5d0"));
    apiAssertErrorMessage(VIR_ERR_NO_NETWORK, "Network not found: no network with matching uuid "
                                              "'dd8fe884-6c02-601e-7551-cca97df1c5d0'");
    g_assert_null(virNetworkLookupByUUIDString(conn, "not-a-uuid"));
    apiAssertErrorMessage(VIR_ERR_INVALID_ARG,
                          "uuidstr in virNetworkLookupByUUIDString must be a valid UUID");
    g_assert_cmpint(virGetLastError()->domain, ==, VIR_FROM_NETWORK);
    g_assert_null(virNetworkLookupByName(conn, NULL));
    apiAssertError(VIR_ERR_INVALID_ARG, "name in virNetworkLookupByName must not be NULL");
    apiClose(conn);
}

static void testDefaultLifecycle(void)
{
    virConnectPtr conn = apiOpenDefault();
    virNetworkPtr net = lookup(conn, "default");

    g_assert_cmpint(virNetworkCreate(net), ==, -1);
    apiAssertErrorMessage(VIR_ERR_OPERATION_INVALID,
                          "Requested operation is not valid: Network 'default' is already running");
    g_assert_cmpint(virNetworkUndefine(net), ==, -1);
    apiAssertErrorMessage(VIR_ERR_OPERATION_INVALID,
                          "Requested operation is not valid: Network 'default' is still running");

    g_assert_cmpint(virNetworkDestroy(net), ==, 0);
    g_assert_cmpint(virNetworkIsActive(net), ==, 0);
    g_assert_cmpint(virNetworkIsPersistent(net), ==, 1);
    g_assert_cmpint(virConnectNumOfNetworks(conn), ==, 0);
    g_assert_cmpint(virConnectNumOfDefinedNetworks(conn), ==, 1);
    /* As in libvirt's test driver, destroying an inactive network succeeds. */
    g_assert_cmpint(virNetworkDestroy(net), ==, 0);

    char *names[1] = { NULL };
    g_assert_cmpint(virConnectListDefinedNetworks(conn, names, 1), ==, 1);
    g_assert_cmpstr(names[0], ==, "default");
    free(names[0]);

    g_assert_cmpint(virNetworkCreate(net), ==, 0);
    g_assert_cmpint(virNetworkIsActive(net), ==, 1);
    g_assert_cmpint(virNetworkDestroy(net), ==, 0);
    g_assert_cmpint(virNetworkUndefine(net), ==, 0);
    g_assert_cmpint(virConnectNumOfDefinedNetworks(conn), ==, 0);
    g_assert_cmpint(virNetworkIsActive(net), ==, -1);
    apiAssertError(VIR_ERR_NO_NETWORK, DEFAULT_UUID);
    g_assert_cmpint(virNetworkUndefine(net), ==, -1);
    apiAssertErrorMessage(VIR_ERR_NO_NETWORK,
                          "Network not found: no network with matching name 'default'");
    virNetworkFree(net);
    apiClose(conn);
}

static void testDefineCreate(void)
{
    virConnectPtr conn = apiOpenDefault();
    g_autofree char *persistentXML = networkXML("pp", "0d9b6a6e-1c2f-4b3a-8e7d-5f4c3b2a1908", NULL);
    g_autofree char *transientXML = networkXML("tr", NULL, "vkbr7");

    virNetworkPtr pp = virNetworkDefineXML(conn, persistentXML);
    g_assert_nonnull(pp);
    g_assert_cmpint(virNetworkIsActive(pp), ==, 0);
    g_assert_cmpint(virNetworkIsPersistent(pp), ==, 1);
    g_assert_null(virNetworkGetBridgeName(pp));
    apiAssertErrorMessage(VIR_ERR_INTERNAL_ERROR,
                          "internal error: network 'pp' does not have a bridge name.");
    g_assert_cmpint(virNetworkCreate(pp), ==, 0);
    g_assert_cmpint(virNetworkIsActive(pp), ==, 1);

    virNetworkPtr tr = virNetworkCreateXML(conn, transientXML);
    g_assert_nonnull(tr);
    g_assert_cmpint(virNetworkIsActive(tr), ==, 1);
    g_assert_cmpint(virNetworkIsPersistent(tr), ==, 0);
    g_autofree char *bridge = virNetworkGetBridgeName(tr);
    g_assert_cmpstr(bridge, ==, "vkbr7");
    g_assert_cmpint(virNetworkUndefine(tr), ==, -1);
    apiAssertError(VIR_ERR_OPERATION_INVALID, "Network 'tr' is still running");
    /* A transient network vanishes when it stops. */
    g_assert_cmpint(virNetworkDestroy(tr), ==, 0);
    g_assert_null(virNetworkLookupByName(conn, "tr"));
    apiAssertError(VIR_ERR_NO_NETWORK, NULL);
    virNetworkFree(tr);

    /* Name and uuid clashes, in libvirt's words. */
    g_autofree char *sameName = networkXML("default", NULL, NULL);
    g_assert_null(virNetworkDefineXML(conn, sameName));
    apiAssertErrorMessage(
        VIR_ERR_OPERATION_FAILED,
        "operation failed: network 'default' already exists with uuid " DEFAULT_UUID);
    g_assert_cmpint(virGetLastError()->domain, ==, VIR_FROM_NETWORK);
    g_assert_null(virNetworkCreateXML(conn, sameName));
    apiAssertError(VIR_ERR_OPERATION_FAILED, "already exists");
    g_autofree char *sameUUID = networkXML("other", DEFAULT_UUID, NULL);
    g_assert_null(virNetworkDefineXML(conn, sameUUID));
    apiAssertErrorMessage(
        VIR_ERR_OPERATION_FAILED,
        "operation failed: network 'default' is already defined with uuid " DEFAULT_UUID);
    g_autofree char *running = networkXML("default", DEFAULT_UUID, "virbr0");
    g_assert_null(virNetworkCreateXML(conn, running));
    apiAssertErrorMessage(VIR_ERR_OPERATION_INVALID,
                          "Requested operation is not valid: network is already active as "
                          "'default'");
    g_assert_null(virNetworkDefineXML(conn, "<network>"));
    g_assert_nonnull(virGetLastError());
    g_assert_null(virNetworkDefineXMLFlags(conn, persistentXML, 2));
    apiAssertError(VIR_ERR_INVALID_ARG, "unsupported flags (0x2)");
    g_assert_null(virNetworkCreateXMLFlags(conn, NULL, 0));
    apiAssertError(VIR_ERR_INVALID_ARG, "must not be NULL");

    g_assert_cmpint(virNetworkDestroy(pp), ==, 0);
    g_assert_cmpint(virNetworkUndefine(pp), ==, 0);
    virNetworkFree(pp);
    apiClose(conn);
}

/* A definition made while the network runs is what it comes back with. */
static void testRedefineActive(void)
{
    virConnectPtr conn = apiOpenDefault();
    virNetworkPtr net = lookup(conn, "default");
    g_autofree char *xml = networkXML("default", DEFAULT_UUID, "virbr9");

    virNetworkPtr again = virNetworkDefineXMLFlags(conn, xml, 0);
    g_assert_nonnull(again);
    virNetworkFree(again);
    g_autofree char *live = virNetworkGetBridgeName(net);
    g_assert_cmpstr(live, ==, "virbr0");
    g_autofree char *stillLive = virNetworkGetXMLDesc(net, 0);
    g_assert_nonnull(strstr(stillLive, "virbr0"));

    g_assert_cmpint(virNetworkDestroy(net), ==, 0);
    g_assert_cmpint(virNetworkCreate(net), ==, 0);
    g_autofree char *now = virNetworkGetBridgeName(net);
    g_assert_cmpstr(now, ==, "virbr9");
    virNetworkFree(net);
    apiClose(conn);
}

static char *listNames(virConnectPtr conn, unsigned int flags)
{
    virNetworkPtr *nets = NULL;
    int n = virConnectListAllNetworks(conn, &nets, flags);
    g_autoptr(GString) out = g_string_new(NULL);

    g_assert_cmpint(n, >=, 0);
    for (int i = 0; i < n; i++) {
        g_string_append_printf(out, "%s%s", i ? "," : "", virNetworkGetName(nets[i]));
        virNetworkFree(nets[i]);
    }
    g_assert_null(nets[n]);
    free(nets);
    g_assert_cmpint(virConnectListAllNetworks(conn, NULL, flags), ==, n);
    return g_string_free(g_steal_pointer(&out), FALSE);
}

static void assertList(virConnectPtr conn, unsigned int flags, const char *expect)
{
    g_autofree char *got = listNames(conn, flags);
    g_assert_cmpstr(got, ==, expect);
}

static void testListAll(void)
{
    virConnectPtr conn = apiOpenDefault();
    g_autofree char *off = networkXML("off", NULL, NULL);
    g_autofree char *tr = networkXML("tr", NULL, NULL);
    int autostart = -1;

    virNetworkPtr o = virNetworkDefineXML(conn, off);
    g_assert_cmpint(virNetworkSetAutostart(o, 1), ==, 0);
    g_assert_cmpint(virNetworkGetAutostart(o, &autostart), ==, 0);
    g_assert_cmpint(autostart, ==, 1);
    virNetworkPtr t = virNetworkCreateXML(conn, tr);

    assertList(conn, 0, "default,off,tr");
    assertList(conn, VIR_CONNECT_LIST_NETWORKS_ACTIVE, "default,tr");
    assertList(conn, VIR_CONNECT_LIST_NETWORKS_INACTIVE, "off");
    assertList(conn, VIR_CONNECT_LIST_NETWORKS_PERSISTENT, "default,off");
    assertList(conn, VIR_CONNECT_LIST_NETWORKS_TRANSIENT, "tr");
    assertList(conn, VIR_CONNECT_LIST_NETWORKS_AUTOSTART, "off");
    assertList(conn, VIR_CONNECT_LIST_NETWORKS_NO_AUTOSTART, "default,tr");
    assertList(conn, VIR_CONNECT_LIST_NETWORKS_ACTIVE | VIR_CONNECT_LIST_NETWORKS_PERSISTENT,
               "default");
    g_assert_cmpint(virConnectListAllNetworks(conn, NULL, 1u << 6), ==, -1);
    apiAssertError(VIR_ERR_INVALID_ARG, "unsupported flags (0x40)");

    g_assert_cmpint(virConnectListNetworks(conn, NULL, 1), ==, -1);
    apiAssertError(VIR_ERR_INVALID_ARG, "names in virConnectListNetworks must not be NULL");
    g_assert_cmpint(virConnectListDefinedNetworks(conn, NULL, 0), ==, 0);

    g_assert_cmpint(virNetworkDestroy(t), ==, 0);
    g_assert_cmpint(virNetworkUndefine(o), ==, 0);
    virNetworkFree(o);
    virNetworkFree(t);
    apiClose(conn);
}

static void testReadOnly(void)
{
    virConnectPtr conn = virConnectOpenReadOnly("test:///default");
    virNetworkPtr net = lookup(conn, "default");
    g_autofree char *xml = networkXML("x", NULL, NULL);

#define DENIED(call, name)                                                             \
    do {                                                                               \
        g_assert_true(call);                                                           \
        apiAssertErrorMessage(VIR_ERR_OPERATION_DENIED,                                \
                              "operation forbidden: read only access prevents " name); \
        g_assert_cmpint(virGetLastError()->domain, ==, VIR_FROM_NETWORK);              \
    } while (0)
    DENIED(virNetworkDestroy(net) == -1, "virNetworkDestroy");
    DENIED(virNetworkCreate(net) == -1, "virNetworkCreate");
    DENIED(virNetworkUndefine(net) == -1, "virNetworkUndefine");
    DENIED(virNetworkSetAutostart(net, 1) == -1, "virNetworkSetAutostart");
    DENIED(virNetworkDefineXML(conn, xml) == NULL, "virNetworkDefineXML");
    DENIED(virNetworkDefineXMLFlags(conn, xml, 0) == NULL, "virNetworkDefineXMLFlags");
    DENIED(virNetworkCreateXML(conn, xml) == NULL, "virNetworkCreateXML");
    DENIED(virNetworkCreateXMLFlags(conn, xml, 0) == NULL, "virNetworkCreateXMLFlags");
#undef DENIED

    g_autofree char *desc = virNetworkGetXMLDesc(net, 0);
    g_assert_nonnull(desc);
    g_assert_cmpint(virNetworkIsActive(net), ==, 1);
    virNetworkFree(net);
    apiClose(conn);
}

static void testInvalidHandles(void)
{
    char uuid[VIR_UUID_STRING_BUFLEN];

    g_assert_cmpint(virNetworkDestroy(NULL), ==, -1);
    apiAssertErrorMessage(VIR_ERR_INVALID_NETWORK, "invalid network pointer in virNetworkDestroy");
    g_assert_cmpint(virGetLastError()->domain, ==, VIR_FROM_NETWORK);
    g_assert_null(virNetworkGetName(NULL));
    g_assert_cmpint(virNetworkGetUUIDString(NULL, uuid), ==, -1);
    g_assert_cmpint(virNetworkFree(NULL), ==, -1);
    g_assert_cmpint(virConnectNumOfNetworks(NULL), ==, -1);
    apiAssertErrorMessage(VIR_ERR_INVALID_CONN,
                          "invalid connection pointer in virConnectNumOfNetworks");

    virConnectPtr conn = apiOpenDefault();
    virNetworkPtr net = lookup(conn, "default");
    g_assert_cmpint(virNetworkGetAutostart(net, NULL), ==, -1);
    apiAssertError(VIR_ERR_INVALID_ARG, "autostart in virNetworkGetAutostart must not be NULL");
    g_assert_cmpint(virNetworkRef(net), ==, 0);
    g_assert_cmpint(virNetworkFree(net), ==, 0);
    g_assert_cmpint(virConnectClose(conn), ==, 1);
    g_assert_cmpint(virNetworkIsActive(net), ==, 1);
    g_assert_cmpint(virNetworkFree(net), ==, 0);
}

int main(int argc, char **argv)
{
    apiTestInit(&argc, &argv);
    g_test_add_func("/network/default", testDefaultNetwork);
    g_test_add_func("/network/lookup", testLookup);
    g_test_add_func("/network/default-lifecycle", testDefaultLifecycle);
    g_test_add_func("/network/define-create", testDefineCreate);
    g_test_add_func("/network/redefine-active", testRedefineActive);
    g_test_add_func("/network/list-all", testListAll);
    g_test_add_func("/network/read-only", testReadOnly);
    g_test_add_func("/network/invalid-handles", testInvalidHandles);
    return g_test_run();
}

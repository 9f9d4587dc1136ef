/* Tests of vkNetworkGetListenAddress, the lookup behind <listen type='network'>: its rules for
 * each forward mode and its errors, on real interfaces in network namespaces of their own. */
#include "nettest.h"
#include "network/network_driver.h"

static void quiet(void *data, virErrorPtr err)
{
}

static virNetworkPtr defineAndStart(virConnectPtr conn, const char *xml)
{
    virNetworkPtr net = virNetworkDefineXML(conn, xml);

    if (!net)
        nettestFailed("virNetworkDefineXML");
    if (virNetworkCreate(net) < 0)
        nettestFailed("virNetworkCreate");
    return net;
}

static void assertListen(virConnectPtr conn, const char *netname, const char *expected)
{
    g_autofree char *addr = NULL;

    if (vkNetworkGetListenAddress(vkNetworkDriverStateOf(conn), netname, &addr) < 0)
        nettestFailed("vkNetworkGetListenAddress");
    g_assert_cmpstr(addr, ==, expected);
}

static void assertNoListen(virConnectPtr conn, const char *netname, int code, const char *needle)
{
    g_autofree char *addr = NULL;

    g_assert_cmpint(vkNetworkGetListenAddress(vkNetworkDriverStateOf(conn), netname, &addr), ==,
                    -1);
    g_assert_null(addr);
    g_assert_cmpint(virGetLastError()->domain, ==, VIR_FROM_NETWORK);
    nettestAssertError(code, needle);
}

/* Networks with addresses of their own: the first <ip>, of whichever family. */
static void testOwnAddresses(NetFixture *f)
{
    virConnectPtr conn = nettestOpen(f);
    virNetworkPtr v6first = defineAndStart(conn, "<network><name>v6first</name>"
                                                 "<bridge name='vkl6'/>"
                                                 "<ip family='ipv6' address='fd00:77::1' "
                                                 "prefix='64'/>"
                                                 "<ip address='10.77.0.1' prefix='24'/></network>");
    virNetworkPtr nat = defineAndStart(conn, "<network><name>nat</name><forward mode='nat'/>"
                                             "<bridge name='vklnat'/>"
                                             "<ip address='10.78.0.1' prefix='24'/>"
                                             "<ip family='ipv6' address='fd00:78::1' "
                                             "prefix='64'/></network>");
    virNetworkPtr routed = defineAndStart(conn, "<network><name>routed</name>"
                                                "<forward mode='route'/><bridge name='vklrt'/>"
                                                "<ip address='10.79.0.1' prefix='24'/></network>");
    virNetworkPtr opened = defineAndStart(conn, "<network><name>opened</name>"
                                                "<forward mode='open'/><bridge name='vklop'/>"
                                                "<ip address='10.80.0.1' prefix='24'/></network>");
    virNetworkPtr bare =
        defineAndStart(conn, "<network><name>bare</name><bridge name='vklbare'/></network>");
    virNetworkPtr idle = virNetworkDefineXML(conn, "<network><name>idle</name>"
                                                   "<ip address='10.81.0.1' prefix='24'/>"
                                                   "</network>");

    assertListen(conn, "v6first", "fd00:77::1");
    assertListen(conn, "nat", "10.78.0.1");
    assertListen(conn, "routed", "10.79.0.1");
    assertListen(conn, "opened", "10.80.0.1");
    assertNoListen(conn, "bare", VIR_ERR_CONFIG_UNSUPPORTED,
                   "network 'bare' doesn't have an IP address");
    assertNoListen(conn, "idle", VIR_ERR_OPERATION_INVALID, "network 'idle' is not active");
    assertNoListen(conn, "missing", VIR_ERR_NO_NETWORK,
                   "Network not found: no network with matching name 'missing'");

    for (virNetworkPtr *n = (virNetworkPtr[]){ v6first, nat, routed, opened, bare, NULL }; *n;
         n++) {
        virNetworkDestroy(*n);
        virNetworkFree(*n);
    }
    virNetworkFree(idle);
    virConnectClose(conn);
}

/* Bridge mode: the host's bridge address, IPv4 first, else a usable global IPv6 address. */
static void testHostBridge(NetFixture *f)
{
    virConnectPtr conn = nettestOpen(f);
    virNetworkPtr net;

    g_free(nettestRun("ip link add vklb0 type bridge"));
    g_free(nettestRun("ip link set vklb0 up"));
    g_free(nettestRun("ip addr add fd00:82::5/64 dev vklb0 nodad"));
    g_free(nettestRun("ip addr add 10.82.0.5/24 dev vklb0"));
    net = defineAndStart(conn, "<network><name>br</name><forward mode='bridge'/>"
                               "<bridge name='vklb0'/></network>");

    assertListen(conn, "br", "10.82.0.5");
    g_free(nettestRun("ip addr del 10.82.0.5/24 dev vklb0"));
    assertListen(conn, "br", "fd00:82::5");

    /* A link-local address needs a scope a client never gives, and a tentative one cannot
     * be bound: neither is usable. A bridge without ports has no carrier, so an address added
     * with duplicate address detection stays tentative. */
    g_free(nettestRun("ip addr del fd00:82::5/64 dev vklb0"));
    g_free(nettestRun("ip addr flush dev vklb0"));
    assertNoListen(conn, "br", VIR_ERR_INTERNAL_ERROR, "no IP address found for interface 'vklb0'");
    g_free(nettestRun("ip addr add fe80::5/64 dev vklb0"));
    g_free(nettestRun("ip addr add fd00:82::9/64 dev vklb0"));
    assertNoListen(conn, "br", VIR_ERR_INTERNAL_ERROR,
                   "cannot find an address to listen on for network 'br': no usable IP address "
                   "found for interface 'vklb0'");

    /* A bridge that vanished takes its network down with it. */
    g_free(nettestRun("ip link del vklb0"));
    assertNoListen(conn, "br", VIR_ERR_OPERATION_INVALID, "network 'br' is not active");
    virNetworkFree(net);
    virConnectClose(conn);
}

/* macvtap-style pools: the first device's address. */
static void testDevicePool(NetFixture *f)
{
    virConnectPtr conn = nettestOpen(f);
    virNetworkPtr pool;
    virNetworkPtr single;

    g_free(nettestRun("ip link add vklv0 type veth peer name vklv0p"));
    g_free(nettestRun("ip link add vklv1 type veth peer name vklv1p"));
    g_free(nettestRun("ip addr add 10.83.0.5/24 dev vklv0"));
    g_free(nettestRun("ip addr add 10.83.1.5/24 dev vklv1"));
    pool = defineAndStart(conn, "<network><name>pool</name><forward mode='vepa'>"
                                "<interface dev='vklv0'/><interface dev='vklv1'/>"
                                "</forward></network>");
    single = defineAndStart(conn, "<network><name>single</name>"
                                  "<forward mode='passthrough' dev='vklv1'/></network>");

    assertListen(conn, "pool", "10.83.0.5");
    assertListen(conn, "single", "10.83.1.5");

    g_free(nettestRun("ip link del vklv0"));
    assertNoListen(conn, "pool", VIR_ERR_OPERATION_FAILED,
                   "interface 'vklv0' of network 'pool' does not exist on this host");

    virNetworkDestroy(pool);
    virNetworkDestroy(single);
    virNetworkFree(pool);
    virNetworkFree(single);
    virConnectClose(conn);
}

static void testHostdev(NetFixture *f)
{
    virConnectPtr conn = nettestOpen(f);
    virNetworkPtr net = defineAndStart(conn, "<network><name>hd</name>"
                                             "<forward mode='hostdev' managed='yes'/></network>");

    assertNoListen(conn, "hd", VIR_ERR_CONFIG_UNSUPPORTED,
                   "network 'hd' uses forward mode 'hostdev' without a physical function device");
    virNetworkDestroy(net);
    virNetworkFree(net);
    virConnectClose(conn);
}

/* The state also works without a connection, for the daemon and tools. */
static void testStateWithoutConnection(NetFixture *f)
{
    g_autoptr(GError) gerr = NULL;
    g_autoptr(GUri) uri = g_uri_parse(f->uri, G_URI_FLAGS_NONE, &gerr);
    g_autoptr(vkNetworkDriverState) state = vkNetworkDriverStateNew(uri);
    virConnectPtr conn = nettestOpen(f);
    virNetworkPtr net = defineAndStart(conn, "<network><name>plain</name>"
                                             "<bridge name='vklplain'/>"
                                             "<ip address='10.84.0.1' prefix='24'/></network>");
    g_autofree char *addr = NULL;

    g_assert_nonnull(state);
    g_assert_cmpint(vkNetworkGetListenAddress(state, "plain", &addr), ==, 0);
    g_assert_cmpstr(addr, ==, "10.84.0.1");
    g_assert_null(vkNetworkDriverStateOf(NULL));
    virNetworkDestroy(net);
    virNetworkFree(net);
    virConnectClose(conn);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    virSetErrorFunc(NULL, quiet);

    NETTEST_ADD("/network/listen/own-addresses", testOwnAddresses);
    NETTEST_ADD("/network/listen/host-bridge", testHostBridge);
    NETTEST_ADD("/network/listen/device-pool", testDevicePool);
    NETTEST_ADD("/network/listen/hostdev", testHostdev);
    NETTEST_ADD("/network/listen/without-connection", testStateWithoutConnection);
    return g_test_run();
}

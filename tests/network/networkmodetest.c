/* Integration tests of each forward mode and of libvirt's define/create/undefine/autostart rules,
 * through the public API, checked with ip, nft, /proc and the process table in namespaces. */
#include "nettest.h"

static void quiet(void *data, virErrorPtr err)
{
}

static virNetworkPtr define(virConnectPtr conn, const char *xml)
{
    virNetworkPtr net = virNetworkDefineXML(conn, xml);

    if (!net)
        nettestFailed("virNetworkDefineXML");
    return net;
}

static void start(virNetworkPtr net)
{
    if (virNetworkCreate(net) < 0)
        nettestFailed("virNetworkCreate");
}

static void stop(virNetworkPtr net)
{
    if (virNetworkDestroy(net) < 0)
        nettestFailed("virNetworkDestroy");
}

static pid_t dnsmasqPid(NetFixture *f, const char *name)
{
    g_autofree char *rel = g_strdup_printf("run/network/%s.pid", name);
    g_autofree char *path = nettestRootFile(f, rel);
    g_autofree char *text = nettestReadFile(path);

    return text ? atoi(text) : 0;
}

/* The process of PID runs dnsmasq with our configuration file for NAME. */
static void assertOurDnsmasq(NetFixture *f, const char *name, pid_t pid)
{
    g_autofree char *path = g_strdup_printf("/proc/%d/cmdline", (int)pid);
    g_autofree char *cmdline = NULL;
    gsize len = 0;
    g_autofree char *expect = g_strdup_printf("--conf-file=%s/run/network/%s.conf", f->root, name);

    g_assert_true(nettestProcessAlive(pid));
    g_assert_true(g_file_get_contents(path, &cmdline, &len, NULL));
    for (gsize i = 0; i + 1 < len; i++) {
        if (!cmdline[i])
            cmdline[i] = ' ';
    }
    g_assert_nonnull(strstr(cmdline, "dnsmasq"));
    g_assert_nonnull(strstr(cmdline, expect));
}

static void assertFileExists(NetFixture *f, const char *rel, gboolean exists)
{
    g_autofree char *path = nettestRootFile(f, rel);

    if (g_file_test(path, G_FILE_TEST_EXISTS) != exists)
        g_error("%s should %sexist", path, exists ? "" : "not ");
}

static char *readSysctl(const char *path)
{
    g_autofree char *text = nettestReadFile(path);
    return g_strdup(text ? g_strstrip(text) : "");
}

static void assertContains(const char *haystack, const char *needle)
{
    if (!strstr(haystack, needle))
        g_error("\"%s\" lacks \"%s\"", haystack, needle);
}

static void assertLacks(const char *haystack, const char *needle)
{
    if (strstr(haystack, needle))
        g_error("\"%s\" has \"%s\"", haystack, needle);
}

/* ---- isolated ---- */

static const char isolatedXML[] = "<network>\n"
                                  "  <name>iso</name>\n"
                                  "  <uuid>0b7e8c4e-6f35-4d7b-9d6e-000000000001</uuid>\n"
                                  "  <bridge name='vkiso0' stp='off'/>\n"
                                  "  <mac address='52:54:00:00:11:22'/>\n"
                                  "  <mtu size='1400'/>\n"
                                  "  <ip address='10.10.0.1' prefix='24'>\n"
                                  "    <dhcp>\n"
                                  "      <range start='10.10.0.10' end='10.10.0.20'/>\n"
                                  "      <host mac='52:54:00:aa:bb:cc' name='h1' ip='10.10.0.5'/>\n"
                                  "    </dhcp>\n"
                                  "  </ip>\n"
                                  "  <ip family='ipv6' address='fd00:10::1' prefix='64'/>\n"
                                  "</network>\n";

static void testIsolated(NetFixture *f)
{
    virConnectPtr conn = nettestOpen(f);
    virNetworkPtr net = define(conn, isolatedXML);
    g_autofree char *link = NULL;
    g_autofree char *addrs = NULL;
    g_autofree char *conf = NULL;
    g_autofree char *confPath = nettestRootFile(f, "run/network/iso.conf");
    g_autofree char *table = NULL;
    pid_t pid;

    assertFileExists(f, "etc/network/iso.xml", TRUE);
    g_assert_cmpint(virNetworkIsActive(net), ==, 0);
    g_assert_false(nettestLinkExists("vkiso0"));

    start(net);
    g_assert_cmpint(virNetworkIsActive(net), ==, 1);
    assertFileExists(f, "run/network/iso.xml", TRUE);

    link = nettestRun("ip -d link show dev vkiso0");
    assertContains(link, "link/ether 52:54:00:00:11:22");
    assertContains(link, "mtu 1400");
    assertContains(link, "bridge forward_delay 0");
    assertContains(link, "stp_state 0");
    assertContains(link, ",UP");
    addrs = nettestRun("ip addr show dev vkiso0");
    assertContains(addrs, "inet 10.10.0.1/24");
    assertContains(addrs, "inet6 fd00:10::1/64");

    pid = dnsmasqPid(f, "iso");
    g_assert_cmpint(pid, >, 0);
    assertOurDnsmasq(f, "iso", pid);
    conf = nettestReadFile(confPath);
    g_assert_nonnull(conf);
    assertContains(conf, "interface=vkiso0\n");
    assertContains(conf, "dhcp-range=10.10.0.10,10.10.0.20,255.255.255.0\n");
    assertContains(conf, "dhcp-host=52:54:00:aa:bb:cc,10.10.0.5,h1\n");
    assertContains(conf, "no-resolv\n");
    assertContains(conf, "dhcp-option=option:mtu,1400\n");
    assertContains(conf, "dhcp-range=fd00:10::1,ra-only\n");

    /* Isolated: the bridge's traffic stays on the bridge. */
    table = nettestRun("nft list table inet virtkit_vkiso0");
    assertContains(table, "iifname \"vkiso0\" oifname \"vkiso0\" accept");
    assertContains(table, "iifname \"vkiso0\" reject");
    assertContains(table, "oifname \"vkiso0\" reject");
    assertLacks(table, "masquerade");

    stop(net);
    g_assert_cmpint(virNetworkIsActive(net), ==, 0);
    g_assert_false(nettestLinkExists("vkiso0"));
    g_assert_false(nettestNftTableExists("vkiso0"));
    g_assert_false(nettestProcessAlive(pid));
    assertFileExists(f, "run/network/iso.xml", FALSE);
    assertFileExists(f, "run/network/iso.pid", FALSE);
    assertFileExists(f, "run/network/iso.conf", FALSE);
    assertFileExists(f, "etc/network/iso.xml", TRUE);

    /* Stopping again is an error, and changes nothing. */
    g_assert_cmpint(virNetworkDestroy(net), ==, -1);
    nettestAssertError(VIR_ERR_OPERATION_INVALID, "network 'iso' is not active");

    g_assert_cmpint(virNetworkUndefine(net), ==, 0);
    assertFileExists(f, "etc/network/iso.xml", FALSE);
    g_assert_null(virNetworkLookupByName(conn, "iso"));
    nettestAssertError(VIR_ERR_NO_NETWORK,
                       "Network not found: no network with matching name 'iso'");
    virNetworkFree(net);
    virConnectClose(conn);
}

/* ---- nat ---- */

static const char natXML[] = "<network>\n"
                             "  <name>nat</name>\n"
                             "  <forward mode='nat'>\n"
                             "    <nat>\n"
                             "      <port start='2000' end='3000'/>\n"
                             "    </nat>\n"
                             "  </forward>\n"
                             "  <bridge name='vknat0'/>\n"
                             "  <ip address='10.20.0.1' netmask='255.255.255.0'>\n"
                             "    <dhcp>\n"
                             "      <range start='10.20.0.100' end='10.20.0.199'/>\n"
                             "    </dhcp>\n"
                             "  </ip>\n"
                             "</network>\n";

static void testNat(NetFixture *f)
{
    virConnectPtr conn = nettestOpen(f);
    virNetworkPtr net = define(conn, natXML);
    g_autofree char *table = NULL;
    g_autofree char *forward = NULL;
    g_autofree char *link = NULL;
    pid_t pid;

    g_free(nettestRun("sysctl -q -w net.ipv4.ip_forward=0"));
    start(net);
    forward = readSysctl("/proc/sys/net/ipv4/ip_forward");
    g_assert_cmpstr(forward, ==, "1");

    link = nettestRun("ip -d link show dev vknat0");
    /* libvirt's default for a bridge it makes: STP on (the kernel raises the forward delay
     * of 0 to STP's minimum of 2 seconds, as it does for libvirt). */
    assertContains(link, "stp_state 1");

    table = nettestRun("nft list table inet virtkit_vknat0");
    assertContains(table, "iifname \"vknat0\" ip saddr 10.20.0.0/24 accept");
    assertContains(table,
                   "oifname \"vknat0\" ip daddr 10.20.0.0/24 ct state established,related accept");
    assertContains(table, "ip saddr 10.20.0.0/24 ip daddr 224.0.0.0/24 return");
    assertContains(table, "ip saddr 10.20.0.0/24 ip daddr 255.255.255.255 return");
    assertContains(table,
                   "ip saddr 10.20.0.0/24 ip daddr != 10.20.0.0/24 meta l4proto tcp masquerade "
                   "to :2000-3000");
    assertContains(table, "ip saddr 10.20.0.0/24 ip daddr != 10.20.0.0/24 masquerade\n");
    assertContains(table, "iifname \"vknat0\" reject");
    assertFileExists(f, "run/network/nat.nft", TRUE);

    pid = dnsmasqPid(f, "nat");
    assertOurDnsmasq(f, "nat", pid);

    stop(net);
    g_assert_false(nettestNftTableExists("vknat0"));
    g_assert_false(nettestLinkExists("vknat0"));
    g_assert_false(nettestProcessAlive(pid));
    assertFileExists(f, "run/network/nat.nft", FALSE);
    /* Like libvirt, forwarding stays on: others may rely on it. */
    g_free(forward);
    forward = readSysctl("/proc/sys/net/ipv4/ip_forward");
    g_assert_cmpstr(forward, ==, "1");

    virNetworkFree(net);
    virConnectClose(conn);
}

/* ---- route, dual stack, no DHCP ---- */

static void testRoute(NetFixture *f)
{
    static const char xml[] = "<network>\n"
                              "  <name>routed</name>\n"
                              "  <forward mode='route'/>\n"
                              "  <bridge name='vkrt0'/>\n"
                              "  <ip address='10.30.0.1' prefix='24'/>\n"
                              "  <ip family='ipv6' address='fd00:30::1' prefix='64'/>\n"
                              "</network>\n";
    virConnectPtr conn = nettestOpen(f);
    virNetworkPtr net = define(conn, xml);
    g_autofree char *table = NULL;
    g_autofree char *v4 = NULL;
    g_autofree char *v6 = NULL;
    g_autofree char *bridge = NULL;

    start(net);
    v4 = readSysctl("/proc/sys/net/ipv4/ip_forward");
    v6 = readSysctl("/proc/sys/net/ipv6/conf/all/forwarding");
    g_assert_cmpstr(v4, ==, "1");
    g_assert_cmpstr(v6, ==, "1");
    table = nettestRun("nft list table inet virtkit_vkrt0");
    assertContains(table, "iifname \"vkrt0\" ip saddr 10.30.0.0/24 accept");
    assertContains(table, "oifname \"vkrt0\" ip daddr 10.30.0.0/24 accept");
    assertContains(table, "iifname \"vkrt0\" ip6 saddr fd00:30::/64 accept");
    assertContains(table, "oifname \"vkrt0\" ip6 daddr fd00:30::/64 accept");
    assertLacks(table, "masquerade");
    /* No DHCP, no dnsmasq. */
    assertFileExists(f, "run/network/routed.pid", FALSE);
    assertFileExists(f, "run/network/routed.conf", FALSE);
    /* A name was assigned and kept at define. */
    bridge = virNetworkGetBridgeName(net);
    g_assert_cmpstr(bridge, ==, "vkrt0");

    stop(net);
    g_assert_false(nettestNftTableExists("vkrt0"));
    g_assert_false(nettestLinkExists("vkrt0"));
    virNetworkFree(net);
    virConnectClose(conn);
}

/* ---- open ---- */

static void testOpen(NetFixture *f)
{
    static const char xml[] = "<network>\n"
                              "  <name>opened</name>\n"
                              "  <forward mode='open'/>\n"
                              "  <bridge name='vkopen0'/>\n"
                              "  <ip address='10.40.0.1' prefix='24'/>\n"
                              "</network>\n";
    virConnectPtr conn = nettestOpen(f);
    virNetworkPtr net = define(conn, xml);
    g_autofree char *ruleset = NULL;

    start(net);
    g_assert_true(nettestLinkExists("vkopen0"));
    /* open promises no firewall rules at all. */
    g_assert_false(nettestNftTableExists("vkopen0"));
    ruleset = nettestRun("nft list ruleset");
    assertLacks(ruleset, "vkopen0");
    assertFileExists(f, "run/network/opened.nft", FALSE);
    stop(net);
    g_assert_false(nettestLinkExists("vkopen0"));
    virNetworkFree(net);
    virConnectClose(conn);
}

/* ---- bridge mode on the host's bridge ---- */

static void testHostBridge(NetFixture *f)
{
    static const char xml[] = "<network>\n"
                              "  <name>hostbr</name>\n"
                              "  <forward mode='bridge'/>\n"
                              "  <bridge name='vkhost0'/>\n"
                              "</network>\n";
    virConnectPtr conn = nettestOpen(f);
    virNetworkPtr net = define(conn, xml);

    g_assert_cmpint(virNetworkCreate(net), ==, -1);
    nettestAssertError(VIR_ERR_OPERATION_FAILED,
                       "bridge 'vkhost0' of network 'hostbr' does not exist on this host");
    g_assert_cmpint(virNetworkIsActive(net), ==, 0);
    assertFileExists(f, "run/network/hostbr.xml", FALSE);

    g_free(nettestRun("ip link add vkhost0 type veth peer name vkhost0p"));
    g_assert_cmpint(virNetworkCreate(net), ==, -1);
    nettestAssertError(VIR_ERR_OPERATION_FAILED,
                       "interface 'vkhost0' of network 'hostbr' is not a bridge");
    g_free(nettestRun("ip link del vkhost0"));

    g_free(nettestRun("ip link add vkhost0 type bridge"));
    start(net);
    g_assert_cmpint(virNetworkIsActive(net), ==, 1);
    g_assert_false(nettestNftTableExists("vkhost0"));
    stop(net);
    /* Nothing of ours was created, so nothing is removed. */
    g_assert_true(nettestLinkExists("vkhost0"));
    virNetworkFree(net);
    virConnectClose(conn);
}

/* ---- macvtap-style modes on device pools ---- */

static void checkDeviceMode(virConnectPtr conn, const char *mode)
{
    g_autofree char *xml = g_strdup_printf("<network>\n"
                                           "  <name>dev-%s</name>\n"
                                           "  <forward mode='%s'>\n"
                                           "    <interface dev='vkdev0'/>\n"
                                           "    <interface dev='vkdev1'/>\n"
                                           "  </forward>\n"
                                           "</network>\n",
                                           mode, mode);
    g_autofree char *needle0 =
        g_strdup_printf("interface 'vkdev0' of network 'dev-%s' does not exist on this host", mode);
    g_autofree char *needle1 =
        g_strdup_printf("interface 'vkdev1' of network 'dev-%s' does not exist on this host", mode);
    g_autofree char *before = NULL;
    g_autofree char *after = NULL;
    virNetworkPtr net = define(conn, xml);

    g_assert_cmpint(virNetworkCreate(net), ==, -1);
    nettestAssertError(VIR_ERR_OPERATION_FAILED, needle0);
    g_free(nettestRun("ip link add vkdev0 type veth peer name vkdev0p"));
    g_assert_cmpint(virNetworkCreate(net), ==, -1);
    nettestAssertError(VIR_ERR_OPERATION_FAILED, needle1);
    g_free(nettestRun("ip link add vkdev1 type veth peer name vkdev1p"));

    before = nettestRun("ip -o link show");
    start(net);
    after = nettestRun("ip -o link show");
    g_assert_cmpstr(before, ==, after);
    stop(net);
    g_assert_true(nettestLinkExists("vkdev0"));
    g_assert_cmpint(virNetworkUndefine(net), ==, 0);
    virNetworkFree(net);
    g_free(nettestRun("ip link del vkdev0"));
    g_free(nettestRun("ip link del vkdev1"));
}

static void testDeviceModes(NetFixture *f)
{
    static const char *const modes[] = { "bridge", "private", "vepa", "passthrough" };
    virConnectPtr conn = nettestOpen(f);

    for (size_t i = 0; i < G_N_ELEMENTS(modes); i++)
        checkDeviceMode(conn, modes[i]);
    virConnectClose(conn);
}

static void testHostdev(NetFixture *f)
{
    static const char xml[] = "<network>\n"
                              "  <name>hd</name>\n"
                              "  <forward mode='hostdev' managed='yes'/>\n"
                              "</network>\n";
    virConnectPtr conn = nettestOpen(f);
    virNetworkPtr net = define(conn, xml);

    start(net);
    g_assert_cmpint(virNetworkIsActive(net), ==, 1);
    stop(net);
    virNetworkFree(net);
    virConnectClose(conn);
}

/* ---- libvirt's rules for definitions ---- */

static void testRedefineActive(NetFixture *f)
{
    static const char v1[] = "<network>\n"
                             "  <name>redef</name>\n"
                             "  <uuid>0b7e8c4e-6f35-4d7b-9d6e-000000000002</uuid>\n"
                             "  <bridge name='vkredef0'/>\n"
                             "  <ip address='10.60.0.1' prefix='24'/>\n"
                             "</network>\n";
    static const char v2[] = "<network>\n"
                             "  <name>redef</name>\n"
                             "  <uuid>0b7e8c4e-6f35-4d7b-9d6e-000000000002</uuid>\n"
                             "  <bridge name='vkredef0'/>\n"
                             "  <ip address='10.61.0.1' prefix='24'/>\n"
                             "</network>\n";
    virConnectPtr conn = nettestOpen(f);
    virNetworkPtr net = define(conn, v1);
    virNetworkPtr again = NULL;
    g_autofree char *live = NULL;
    g_autofree char *inactive = NULL;
    g_autofree char *after = NULL;
    g_autofree char *addrs = NULL;

    start(net);
    again = define(conn, v2);
    live = virNetworkGetXMLDesc(net, 0);
    inactive = virNetworkGetXMLDesc(net, VIR_NETWORK_XML_INACTIVE);
    assertContains(live, "10.60.0.1");
    assertContains(inactive, "10.61.0.1");
    addrs = nettestRun("ip addr show dev vkredef0");
    assertContains(addrs, "10.60.0.1/24");

    stop(net);
    after = virNetworkGetXMLDesc(net, 0);
    assertContains(after, "10.61.0.1");
    start(net);
    g_free(addrs);
    addrs = nettestRun("ip addr show dev vkredef0");
    assertContains(addrs, "10.61.0.1/24");
    stop(net);
    virNetworkFree(again);
    virNetworkFree(net);
    virConnectClose(conn);
}

static void testUniqueness(NetFixture *f)
{
    static const char a[] = "<network>\n"
                            "  <name>a</name>\n"
                            "  <uuid>0b7e8c4e-6f35-4d7b-9d6e-00000000000a</uuid>\n"
                            "  <ip address='10.70.0.1' prefix='24'/>\n"
                            "</network>\n";
    static const char aOtherUUID[] = "<network>\n"
                                     "  <name>a</name>\n"
                                     "  <uuid>0b7e8c4e-6f35-4d7b-9d6e-0000000000ff</uuid>\n"
                                     "</network>\n";
    static const char bSameUUID[] = "<network>\n"
                                    "  <name>b</name>\n"
                                    "  <uuid>0b7e8c4e-6f35-4d7b-9d6e-00000000000a</uuid>\n"
                                    "</network>\n";
    static const char c[] = "<network>\n"
                            "  <name>c</name>\n"
                            "  <ip address='10.71.0.1' prefix='24'/>\n"
                            "</network>\n";
    virConnectPtr conn = nettestOpen(f);
    virNetworkPtr netA = define(conn, a);
    virNetworkPtr netC = NULL;
    g_autofree char *xmlA = NULL;
    g_autofree char *xmlC = NULL;
    g_autofree char *clash = NULL;

    /* libvirt's driver picks the first free virbrN and a random MAC, and keeps them. */
    xmlA = virNetworkGetXMLDesc(netA, 0);
    assertContains(xmlA, "<bridge name='virbr0' stp='on' delay='0'/>");
    assertContains(xmlA, "<mac address='52:54:00:");
    netC = define(conn, c);
    xmlC = virNetworkGetXMLDesc(netC, 0);
    assertContains(xmlC, "<bridge name='virbr1' stp='on' delay='0'/>");

    g_assert_null(virNetworkDefineXML(conn, aOtherUUID));
    nettestAssertError(VIR_ERR_OPERATION_FAILED,
                       "network 'a' already exists with uuid 0b7e8c4e-6f35-4d7b-9d6e-00000000000a");
    g_assert_null(virNetworkDefineXML(conn, bSameUUID));
    nettestAssertError(VIR_ERR_OPERATION_FAILED, "network 'a' is already defined with uuid "
                                                 "0b7e8c4e-6f35-4d7b-9d6e-00000000000a");
    clash = g_strdup_printf("<network><name>d</name><bridge name='virbr0'/>"
                            "<ip address='10.72.0.1' prefix='24'/></network>");
    g_assert_null(virNetworkDefineXML(conn, clash));
    nettestAssertError(VIR_ERR_INTERNAL_ERROR, "bridge name 'virbr0' already in use.");

    start(netA);
    g_assert_cmpint(virNetworkCreate(netA), ==, -1);
    nettestAssertError(VIR_ERR_OPERATION_INVALID, "network is already active");
    g_assert_null(virNetworkCreateXML(conn, xmlA));
    nettestAssertError(VIR_ERR_OPERATION_INVALID, "network is already active as 'a'");
    stop(netA);

    g_assert_null(virNetworkLookupByName(conn, "nope"));
    nettestAssertError(VIR_ERR_NO_NETWORK, "no network with matching name 'nope'");
    g_assert_null(virNetworkLookupByUUIDString(conn, "0b7e8c4e-6f35-4d7b-9d6e-0000000000ee"));
    nettestAssertError(VIR_ERR_NO_NETWORK,
                       "no network with matching uuid '0b7e8c4e-6f35-4d7b-9d6e-0000000000ee'");
    virNetworkPtr byUUID =
        virNetworkLookupByUUIDString(conn, "0b7e8c4e-6f35-4d7b-9d6e-00000000000a");
    g_assert_nonnull(byUUID);
    g_assert_cmpstr(virNetworkGetName(byUUID), ==, "a");
    virNetworkFree(byUUID);

    virNetworkFree(netA);
    virNetworkFree(netC);
    virConnectClose(conn);
}

static void testTransientAndAutostart(NetFixture *f)
{
    static const char xml[] = "<network>\n"
                              "  <name>tr</name>\n"
                              "  <uuid>0b7e8c4e-6f35-4d7b-9d6e-000000000003</uuid>\n"
                              "  <bridge name='vktr0'/>\n"
                              "  <ip address='10.80.0.1' prefix='24'/>\n"
                              "</network>\n";
    virConnectPtr conn = nettestOpen(f);
    virNetworkPtr net = virNetworkCreateXML(conn, xml);
    int autostart = -1;

    if (!net)
        nettestFailed("virNetworkCreateXML");
    g_assert_cmpint(virNetworkIsActive(net), ==, 1);
    g_assert_cmpint(virNetworkIsPersistent(net), ==, 0);
    assertFileExists(f, "etc/network/tr.xml", FALSE);
    g_assert_true(nettestLinkExists("vktr0"));
    g_assert_cmpint(virNetworkSetAutostart(net, 1), ==, -1);
    nettestAssertError(VIR_ERR_OPERATION_INVALID, "cannot set autostart for transient network");
    g_assert_cmpint(virNetworkUndefine(net), ==, -1);
    nettestAssertError(VIR_ERR_OPERATION_INVALID, "can't undefine transient network");

    /* Defining it makes it persistent; undefining it while running makes it transient. */
    virNetworkFree(define(conn, xml));
    g_assert_cmpint(virNetworkIsPersistent(net), ==, 1);
    g_assert_cmpint(virNetworkSetAutostart(net, 1), ==, 0);
    g_assert_cmpint(virNetworkGetAutostart(net, &autostart), ==, 0);
    g_assert_cmpint(autostart, ==, 1);
    assertFileExists(f, "etc/network/autostart/tr.xml", TRUE);
    g_assert_cmpint(virConnectListAllNetworks(conn, NULL, VIR_CONNECT_LIST_NETWORKS_AUTOSTART), ==,
                    1);
    g_assert_cmpint(virNetworkUndefine(net), ==, 0);
    assertFileExists(f, "etc/network/autostart/tr.xml", FALSE);
    g_assert_cmpint(virNetworkIsActive(net), ==, 1);
    g_assert_cmpint(virNetworkIsPersistent(net), ==, 0);

    /* A transient network is gone once stopped. */
    stop(net);
    g_assert_false(nettestLinkExists("vktr0"));
    g_assert_null(virNetworkLookupByName(conn, "tr"));
    nettestAssertError(VIR_ERR_NO_NETWORK, "no network with matching name 'tr'");
    g_assert_cmpint(virNetworkIsActive(net), ==, -1);
    nettestAssertError(VIR_ERR_NO_NETWORK, "no network with matching uuid");
    virNetworkFree(net);
    virConnectClose(conn);
}

/* ---- a subnet the host already routes ---- */

/* A NAT network on SUBNET.0/24 ("10.61.0") with address SUBNET.HOST and a DHCP range. */
static char *subnetXML(const char *name, const char *bridge, const char *subnet, int host)
{
    return g_strdup_printf("<network>\n"
                           "  <name>%s</name>\n"
                           "  <forward mode='nat'/>\n"
                           "  <bridge name='%s'/>\n"
                           "  <ip address='%s.%d' prefix='24'>\n"
                           "    <dhcp>\n"
                           "      <range start='%s.100' end='%s.110'/>\n"
                           "    </dhcp>\n"
                           "  </ip>\n"
                           "</network>\n",
                           name, bridge, subnet, host, subnet, subnet);
}

/* Refused as libvirt refuses it, before anything is set up, and with nothing left behind. */
static void assertRefusedInUse(NetFixture *f, virNetworkPtr net, const char *name,
                               const char *bridge, const char *ifname)
{
    g_autofree char *message = g_strdup_printf("Network is already in use by interface %s", ifname);
    g_autofree char *status = g_strdup_printf("run/network/%s.xml", name);

    g_assert_cmpint(virNetworkCreate(net), ==, -1);
    nettestAssertError(VIR_ERR_INTERNAL_ERROR, message);
    g_assert_cmpint(virNetworkIsActive(net), ==, 0);
    g_assert_false(nettestLinkExists(bridge));
    g_assert_false(nettestNftTableExists(bridge));
    g_assert_cmpuint(nettestCountDnsmasq(f, name), ==, 0);
    assertFileExists(f, status, FALSE);
}

static void testRouteCollision(NetFixture *f)
{
    g_autofree char *xmlA = subnetXML("first", "vkfirst0", "10.61.0", 1);
    g_autofree char *xmlB = subnetXML("second", "vksecond0", "10.61.0", 50);
    g_autofree char *xmlC = subnetXML("hostsub", "vkhostsub0", "10.62.0", 1);
    g_autofree char *routes = NULL;
    virConnectPtr conn = nettestOpen(f);
    virNetworkPtr a = define(conn, xmlA);
    virNetworkPtr b = define(conn, xmlB);
    virNetworkPtr c = define(conn, xmlC);

    /* Another network's subnet. */
    start(a);
    assertRefusedInUse(f, b, "second", "vksecond0", "vkfirst0");
    /* One route to the subnet, the first network's. */
    routes = nettestRun("ip -4 route show 10.61.0.0/24");
    assertContains(routes, "dev vkfirst0");
    g_assert_null(strchr(routes, '\n') ? strchr(strchr(routes, '\n') + 1, '\n') : NULL);
    /* Free again once the other network stops. */
    stop(a);
    start(b);
    stop(b);

    /* The subnet of an address of the host. */
    g_free(nettestRun("ip link add vkhostdev type veth peer name vkhostdevp"));
    g_free(nettestRun("ip addr add 10.62.0.5/24 dev vkhostdev"));
    g_free(nettestRun("ip link set vkhostdevp up"));
    g_free(nettestRun("ip link set vkhostdev up"));
    assertRefusedInUse(f, c, "hostsub", "vkhostsub0", "vkhostdev");
    g_free(nettestRun("ip link del vkhostdev"));
    start(c);
    stop(c);

    virNetworkFree(a);
    virNetworkFree(b);
    virNetworkFree(c);
    virConnectClose(conn);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    virSetErrorFunc(NULL, quiet);

    NETTEST_ADD("/network/mode/isolated", testIsolated);
    NETTEST_ADD("/network/mode/nat", testNat);
    NETTEST_ADD("/network/mode/route", testRoute);
    NETTEST_ADD("/network/mode/open", testOpen);
    NETTEST_ADD("/network/mode/bridge-host", testHostBridge);
    NETTEST_ADD("/network/mode/device-pools", testDeviceModes);
    NETTEST_ADD("/network/mode/hostdev", testHostdev);
    NETTEST_ADD("/network/mode/route-collision", testRouteCollision);
    NETTEST_ADD("/network/define/redefine-active", testRedefineActive);
    NETTEST_ADD("/network/define/uniqueness", testUniqueness);
    NETTEST_ADD("/network/define/transient-autostart", testTransientAndAutostart);
    return g_test_run();
}

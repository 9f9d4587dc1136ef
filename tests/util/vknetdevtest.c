/* Integration tests for vknetdev. Each test gets a network namespace of its own, created and
 * removed by the fixture; the test body runs in a subprocess that has entered it, so nothing
 * touches the host's interfaces. Needs root (CAP_SYS_ADMIN), and reports a skip without it. */
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "testutil.h"
#include "util/vknetdev.h"

#define NETNS_ENV "VKTEST_NETNS"

typedef struct {
    char *netns;
    const char *skipReason;
} Fixture;

typedef struct {
    const char *path;
    void (*body)(void);
} NetnsCase;

static unsigned int netnsCounter;

static char *runCommand(const char *cmdline, gboolean *ok)
{
    g_autoptr(GError) gerr = NULL;
    g_autofree char *err = NULL;
    char *out = NULL;
    int status = -1;

    g_assert_true(g_spawn_command_line_sync(cmdline, &out, &err, &status, &gerr));
    g_assert_no_error(gerr);
    *ok = g_spawn_check_wait_status(status, NULL);
    if (!*ok)
        g_test_message("'%s' failed: %s", cmdline, err);
    return out;
}

/* Runs CMDLINE, which must succeed, and returns its standard output. */
static char *run(const char *cmdline)
{
    gboolean ok;
    char *out = runCommand(cmdline, &ok);

    g_assert_true(ok);
    return out;
}

static void writeProc(const char *path, const char *value)
{
    FILE *fp = fopen(path, "w");

    g_assert_nonnull(fp);
    g_assert_cmpint(fputs(value, fp), >=, 0);
    g_assert_cmpint(fclose(fp), ==, 0);
}

static void netnsSetup(Fixture *f, gconstpointer data)
{
    g_autofree char *cmd = NULL;
    gboolean ok;

    if (g_test_subprocess()) {
        g_autofree char *path = g_build_filename("/run/netns", g_getenv(NETNS_ENV), NULL);
        int fd = open(path, O_RDONLY | O_CLOEXEC);

        g_assert_cmpint(fd, >=, 0);
        g_assert_cmpint(setns(fd, CLONE_NEWNET), ==, 0);
        close(fd);
        return;
    }
    if (geteuid() != 0) {
        f->skipReason = "needs root to create a network namespace";
        return;
    }
    f->netns = g_strdup_printf("vktest-%d-%u", (int)getpid(), ++netnsCounter);
    cmd = g_strdup_printf("ip netns add %s", f->netns);
    g_free(runCommand(cmd, &ok));
    /* Root without CAP_SYS_ADMIN, as in an unprivileged container. */
    if (!ok) {
        f->skipReason = "cannot create a network namespace here (see the message above)";
        g_clear_pointer(&f->netns, g_free);
    }
}

static void netnsTeardown(Fixture *f, gconstpointer data)
{
    g_autofree char *cmd = NULL;

    if (!f->netns)
        return;
    cmd = g_strdup_printf("ip netns delete %s", f->netns);
    g_free(run(cmd));
    g_free(f->netns);
}

static void runInNetns(Fixture *f, gconstpointer data)
{
    const NetnsCase *tc = data;

    if (g_test_subprocess()) {
        tc->body();
        return;
    }
    if (f->skipReason) {
        g_test_skip(f->skipReason);
        return;
    }
    g_setenv(NETNS_ENV, f->netns, TRUE);
    g_test_trap_subprocess(NULL, 0, G_TEST_SUBPROCESS_INHERIT_STDERR);
    /* Not g_test_trap_assert_passed: it aborts, and the teardown must still remove the
     * namespace. */
    if (!g_test_trap_has_passed())
        g_test_fail();
}

/* "ip -d link show IFNAME", or NULL if there is no such interface. */
static char *linkShow(const char *ifname)
{
    g_autofree char *cmd = g_strdup_printf("ip -d link show %s", ifname);
    gboolean ok;
    char *out = runCommand(cmd, &ok);

    if (!ok)
        g_clear_pointer(&out, g_free);
    return out;
}

static char *addrShow(const char *family, const char *ifname)
{
    g_autofree char *cmd = g_strdup_printf("ip %s addr show dev %s", family, ifname);
    return run(cmd);
}

static gboolean linkIsUp(const char *ifname)
{
    g_autofree char *out = linkShow(ifname);
    g_autoptr(GRegex) re = g_regex_new("<([A-Z_-]+,)*UP[,>]", 0, 0, NULL);

    g_assert_nonnull(out);
    return g_regex_match(re, out, 0, NULL);
}

/* A veth pair with both ends up, so that the kernel runs duplicate address detection. */
static void vethPair(const char *a, const char *b)
{
    g_autofree char *cmd = g_strdup_printf("ip link add %s type veth peer name %s", a, b);

    g_free(run(cmd));
    g_assert_cmpint(vkNetDevSetOnline(a, TRUE), ==, 0);
    g_assert_cmpint(vkNetDevSetOnline(b, TRUE), ==, 0);
}

static void assertListen(const char *ifname, const char *expected)
{
    g_autofree char *addr = NULL;

    if (vkNetDevGetListenAddress(ifname, &addr) < 0)
        g_error("listen address of %s: %s", ifname, virGetLastError()->message);
    g_assert_cmpstr(addr, ==, expected);
}

static void assertNoListen(const char *ifname, const char *needle)
{
    g_autofree char *addr = NULL;

    g_assert_cmpint(vkNetDevGetListenAddress(ifname, &addr), ==, -1);
    g_assert_null(addr);
    assertLastError(VIR_ERR_INTERNAL_ERROR, needle);
}

static void testBridgeLifecycle(void)
{
    const unsigned char mac[VK_NETDEV_MAC_LEN] = { 0x52, 0x54, 0x00, 0x12, 0x34, 0x56 };
    const unsigned char mac2[VK_NETDEV_MAC_LEN] = { 0x52, 0x54, 0x00, 0xaa, 0xbb, 0xcc };
    unsigned char got[VK_NETDEV_MAC_LEN];
    g_autofree char *out = NULL;
    g_autofree char *indexPrefix = NULL;
    unsigned int mtu = 0;
    int ifindex = 0;

    g_assert_cmpint(vkNetDevExists("vkbr0"), ==, 0);
    g_assert_cmpint(vkNetDevBridgeCreate("vkbr0", mac), ==, 0);
    g_assert_cmpint(vkNetDevBridgeCreate("vkbr0", NULL), ==, -1);
    assertLastError(VIR_ERR_SYSTEM_ERROR, "cannot create bridge 'vkbr0': File exists");

    g_assert_cmpint(vkNetDevExists("vkbr0"), ==, 1);
    g_assert_cmpint(vkNetDevIsBridge("vkbr0"), ==, 1);
    out = linkShow("vkbr0");
    g_assert_nonnull(out);
    g_assert_nonnull(strstr(out, "\n    bridge "));
    g_assert_nonnull(strstr(out, "link/ether 52:54:00:12:34:56"));

    g_assert_cmpint(vkNetDevGetIndex("vkbr0", &ifindex), ==, 0);
    indexPrefix = g_strdup_printf("%d: vkbr0:", ifindex);
    g_assert_true(g_str_has_prefix(out, indexPrefix));
    g_clear_pointer(&out, g_free);

    g_assert_cmpint(vkNetDevGetMAC("vkbr0", got), ==, 0);
    g_assert_cmpmem(got, sizeof(got), mac, sizeof(mac));
    g_assert_cmpint(vkNetDevSetMAC("vkbr0", mac2), ==, 0);
    g_assert_cmpint(vkNetDevGetMAC("vkbr0", got), ==, 0);
    g_assert_cmpmem(got, sizeof(got), mac2, sizeof(mac2));

    g_assert_cmpint(vkNetDevSetMTU("vkbr0", 1400), ==, 0);
    g_assert_cmpint(vkNetDevGetMTU("vkbr0", &mtu), ==, 0);
    g_assert_cmpuint(mtu, ==, 1400);

    /* The delay first: with STP on the kernel refuses delays under two seconds. */
    g_assert_cmpint(vkNetDevBridgeSetForwardDelay("vkbr0", 2000), ==, 0);
    g_assert_cmpint(vkNetDevBridgeSetSTP("vkbr0", TRUE), ==, 0);
    out = linkShow("vkbr0");
    g_assert_nonnull(strstr(out, " forward_delay 200 "));
    g_assert_nonnull(strstr(out, " stp_state 1 "));
    g_clear_pointer(&out, g_free);
    g_assert_cmpint(vkNetDevBridgeSetSTP("vkbr0", FALSE), ==, 0);
    g_assert_cmpint(vkNetDevBridgeSetForwardDelay("vkbr0", 0), ==, 0);
    out = linkShow("vkbr0");
    g_assert_nonnull(strstr(out, " forward_delay 0 "));
    g_assert_nonnull(strstr(out, " stp_state 0 "));
    g_clear_pointer(&out, g_free);

    g_assert_false(linkIsUp("vkbr0"));
    g_assert_cmpint(vkNetDevSetOnline("vkbr0", TRUE), ==, 0);
    g_assert_true(linkIsUp("vkbr0"));
    g_assert_cmpint(vkNetDevSetOnline("vkbr0", FALSE), ==, 0);
    g_assert_false(linkIsUp("vkbr0"));

    g_assert_cmpint(vkNetDevBridgeDelete("vkbr0"), ==, 0);
    g_assert_cmpint(vkNetDevExists("vkbr0"), ==, 0);
    g_assert_null(linkShow("vkbr0"));
}

static void testBridgeErrors(void)
{
    int ifindex = 0;

    g_free(run("ip link add vkv0 type veth peer name vkv1"));
    g_assert_cmpint(vkNetDevIsBridge("vkv0"), ==, 0);
    g_assert_cmpint(vkNetDevBridgeDelete("vkv0"), ==, -1);
    assertLastError(VIR_ERR_OPERATION_INVALID, "interface 'vkv0' is not a bridge");
    g_assert_cmpint(vkNetDevExists("vkv0"), ==, 1);
    g_assert_cmpint(vkNetDevBridgeSetSTP("vkv0", TRUE), ==, -1);
    assertLastError(VIR_ERR_SYSTEM_ERROR, "'vkv0'");

    g_assert_cmpint(vkNetDevBridgeDelete("vknobr0"), ==, -1);
    assertLastError(VIR_ERR_SYSTEM_ERROR, "interface 'vknobr0': No such device");
    g_assert_cmpint(vkNetDevBridgeSetSTP("vknobr0", TRUE), ==, -1);
    assertLastError(VIR_ERR_SYSTEM_ERROR, "bridge 'vknobr0': No such device");
    g_assert_cmpint(vkNetDevBridgeSetForwardDelay("vknobr0", 0), ==, -1);
    assertLastError(VIR_ERR_SYSTEM_ERROR, "bridge 'vknobr0': No such device");
    g_assert_cmpint(vkNetDevGetIndex("vknobr0", &ifindex), ==, -1);
    assertLastError(VIR_ERR_SYSTEM_ERROR, "'vknobr0'");
    g_assert_cmpint(vkNetDevSetMTU("vknobr0", 1500), ==, -1);
    assertLastError(VIR_ERR_SYSTEM_ERROR, "'vknobr0'");
    g_assert_cmpint(vkNetDevExists("a-name-far-too-long-for-linux"), ==, 0);

    g_assert_cmpint(vkNetDevBridgeCreate("vkbr0", NULL), ==, 0);
    g_assert_cmpint(vkNetDevBridgeSetForwardDelay("vkbr0", 1000), ==, 0);
    g_assert_cmpint(vkNetDevBridgeSetSTP("vkbr0", TRUE), ==, 0);
    g_assert_cmpint(vkNetDevBridgeSetForwardDelay("vkbr0", 500000), ==, -1);
    assertLastError(VIR_ERR_SYSTEM_ERROR, "cannot set the forward delay of bridge 'vkbr0'");
}

static void assertOk(int rc)
{
    if (rc < 0)
        g_error("unexpected failure: %s", virGetLastError()->message);
}

static void testAddresses(void)
{
    g_autofree char *out = NULL;

    vethPair("vka0", "vka1");
    assertOk(vkNetDevAddAddress("vka0", "10.10.0.1", 24, 0));
    out = addrShow("-4", "vka0");
    g_assert_nonnull(strstr(out, "inet 10.10.0.1/24 brd 10.10.0.255 scope global vka0"));
    g_clear_pointer(&out, g_free);
    g_assert_cmpint(vkNetDevAddAddress("vka0", "10.10.0.1", 24, 0), ==, 0);

    g_assert_cmpint(vkNetDevAddAddress("vka0", "2001:db8:1::1", 64, VK_NETDEV_ADDR_NODAD), ==, 0);
    out = addrShow("-6", "vka0");
    g_assert_nonnull(strstr(out, "inet6 2001:db8:1::1/64 scope global nodad \n"));
    g_clear_pointer(&out, g_free);

    g_assert_cmpint(vkNetDevDelAddress("vka0", "10.10.0.1", 24), ==, 0);
    out = addrShow("-4", "vka0");
    g_assert_null(strstr(out, "10.10.0.1"));
    g_clear_pointer(&out, g_free);
    g_assert_cmpint(vkNetDevDelAddress("vka0", "10.10.0.1", 24), ==, -1);
    assertLastError(VIR_ERR_SYSTEM_ERROR, "from interface 'vka0'");

    g_assert_cmpint(vkNetDevDelAddress("vka0", "2001:db8:1::1", 64), ==, 0);
    out = addrShow("-6", "vka0");
    g_assert_null(strstr(out, "2001:db8:1::1"));

    g_assert_cmpint(vkNetDevAddAddress("vka0", "10.10.0.300", 24, 0), ==, -1);
    assertLastError(VIR_ERR_INVALID_ARG, "'10.10.0.300'");
    g_assert_cmpint(vkNetDevAddAddress("vka0", "10.10.0.1", 33, 0), ==, -1);
    assertLastError(VIR_ERR_INVALID_ARG, "prefix 33");
    g_assert_cmpint(vkNetDevAddAddress("vka0", "2001:db8::1", 129, 0), ==, -1);
    assertLastError(VIR_ERR_INVALID_ARG, "prefix 129");
    g_assert_cmpint(vkNetDevAddAddress("vknope0", "10.10.0.1", 24, 0), ==, -1);
    assertLastError(VIR_ERR_SYSTEM_ERROR, "'vknope0'");
}

static void testListenPrefersIPv4(void)
{
    vethPair("vkl0", "vkl1");
    /* IPv6 first, so that the choice is not merely the order of addition. */
    g_assert_cmpint(vkNetDevAddAddress("vkl0", "2001:db8:5::1", 64, VK_NETDEV_ADDR_NODAD), ==, 0);
    assertListen("vkl0", "2001:db8:5::1");
    g_assert_cmpint(vkNetDevAddAddress("vkl0", "192.168.77.1", 24, 0), ==, 0);
    g_assert_cmpint(vkNetDevAddAddress("vkl0", "192.168.77.2", 24, 0), ==, 0);
    assertListen("vkl0", "192.168.77.1");
}

static void testListenIPv6Global(void)
{
    vethPair("vk6a", "vk6b");
    /* A confirmed link-local address alone is not enough. */
    g_assert_cmpint(vkNetDevAddAddress("vk6a", "fe80::1", 64, VK_NETDEV_ADDR_NODAD), ==, 0);
    assertNoListen("vk6a", "no usable IP address found for interface 'vk6a'");

    /* Any spelling in, the canonical one out. */
    g_assert_cmpint(vkNetDevAddAddress("vk6a", "2001:DB8:6:0:0:0:0:1", 64, VK_NETDEV_ADDR_NODAD),
                    ==, 0);
    assertListen("vk6a", "2001:db8:6::1");
}

static void testListenSkipsTentative(void)
{
    g_autofree char *out = NULL;

    g_free(run("ip link add vkt0 type veth peer name vkt1"));
    /* Many probes a second apart keep the address tentative for the whole test. */
    writeProc("/proc/sys/net/ipv6/conf/vkt0/dad_transmits", "100");
    g_assert_cmpint(vkNetDevSetOnline("vkt0", TRUE), ==, 0);
    g_assert_cmpint(vkNetDevSetOnline("vkt1", TRUE), ==, 0);

    g_assert_cmpint(vkNetDevAddAddress("vkt0", "2001:db8:7::1", 64, 0), ==, 0);
    out = addrShow("-6", "vkt0");
    g_assert_nonnull(strstr(out, "inet6 2001:db8:7::1/64 scope global tentative"));
    assertNoListen("vkt0", "no usable IP address found for interface 'vkt0'");

    g_assert_cmpint(vkNetDevAddAddress("vkt0", "2001:db8:7::2", 64, VK_NETDEV_ADDR_NODAD), ==, 0);
    assertListen("vkt0", "2001:db8:7::2");
}

static void testListenSkipsDadFailed(void)
{
    g_autofree char *out = NULL;

    vethPair("vkd0", "vkd1");
    writeProc("/proc/sys/net/ipv6/neigh/vkd0/retrans_time_ms", "100");
    g_assert_cmpint(vkNetDevAddAddress("vkd1", "2001:db8:8::1", 64, VK_NETDEV_ADDR_NODAD), ==, 0);
    g_assert_cmpint(vkNetDevAddAddress("vkd0", "2001:db8:8::1", 64, 0), ==, 0);

    /* The peer answers the probe, which takes about a retransmit interval. */
    for (int i = 0; i < 100; i++) {
        g_clear_pointer(&out, g_free);
        out = addrShow("-6", "vkd0");
        if (strstr(out, "dadfailed"))
            break;
        g_usleep(100 * 1000);
    }
    g_assert_nonnull(strstr(out, "inet6 2001:db8:8::1/64 scope global dadfailed"));
    assertNoListen("vkd0", "no usable IP address found for interface 'vkd0'");
}

static void testListenMissingInterface(void)
{
    assertNoListen("vknope0", "network device 'vknope0' not found");
}

static void testListenNoAddress(void)
{
    /* Down, so the kernel has not given it an IPv6 link-local address either. */
    g_assert_cmpint(vkNetDevBridgeCreate("vkbr1", NULL), ==, 0);
    assertNoListen("vkbr1", "no IP address found for interface 'vkbr1'");
}

static void testTap(void)
{
    g_autofree char *name = NULL;
    g_autofree char *out = NULL;
    int fd = -1;

    g_assert_cmpint(vkNetDevTapCreate("vktap%d", 0, &name, &fd), ==, 0);
    g_assert_cmpstr(name, ==, "vktap0");
    g_assert_cmpint(fd, >=, 0);
    g_assert_cmpint(fcntl(fd, F_GETFD), ==, FD_CLOEXEC);
    out = linkShow("vktap0");
    g_assert_nonnull(strstr(out, "tun type tap pi off vnet_hdr off persist off"));
    g_clear_pointer(&out, g_free);
    g_assert_cmpint(vkNetDevIsBridge("vktap0"), ==, 0);

    g_assert_cmpint(vkNetDevBridgeCreate("vkbr2", NULL), ==, 0);
    g_assert_cmpint(vkNetDevBridgeAddPort("vkbr2", "vktap0"), ==, 0);
    out = linkShow("vktap0");
    g_assert_nonnull(strstr(out, " master vkbr2 "));
    g_clear_pointer(&out, g_free);
    g_assert_cmpint(vkNetDevBridgeRemovePort("vkbr2", "vktap0"), ==, 0);
    out = linkShow("vktap0");
    g_assert_null(strstr(out, " master "));
    g_clear_pointer(&out, g_free);
    g_assert_cmpint(vkNetDevBridgeRemovePort("vkbr2", "vktap0"), ==, -1);
    assertLastError(VIR_ERR_OPERATION_INVALID, "interface 'vktap0' is not attached to bridge");
    g_assert_cmpint(vkNetDevBridgeAddPort("vkbr2", "vknope0"), ==, -1);
    assertLastError(VIR_ERR_SYSTEM_ERROR, "'vknope0'");

    /* Without PERSIST the device goes with the descriptor. */
    close(fd);
    g_assert_cmpint(vkNetDevExists("vktap0"), ==, 0);

    g_clear_pointer(&name, g_free);
    g_assert_cmpint(
        vkNetDevTapCreate("vkp0", VK_NETDEV_TAP_PERSIST | VK_NETDEV_TAP_VNET_HDR, &name, &fd), ==,
        0);
    g_assert_cmpstr(name, ==, "vkp0");
    close(fd);
    out = linkShow("vkp0");
    g_assert_nonnull(strstr(out, "tun type tap pi off vnet_hdr on persist on"));

    /* IFF_TUN_EXCL: an existing device is never taken over. */
    g_clear_pointer(&name, g_free);
    g_assert_cmpint(vkNetDevTapCreate("vkp0", 0, &name, &fd), ==, -1);
    assertLastError(VIR_ERR_SYSTEM_ERROR, "cannot create tap device 'vkp0'");
    g_assert_null(name);
    g_assert_cmpint(fd, ==, -1);
    g_assert_cmpint(vkNetDevTapCreate("vk-tap-name-too-long", 0, &name, &fd), ==, -1);
    assertLastError(VIR_ERR_INVALID_ARG, "'vk-tap-name-too-long'");

    g_assert_cmpint(vkNetDevTapDelete("vkbr2"), ==, -1);
    assertLastError(VIR_ERR_OPERATION_INVALID, "interface 'vkbr2' is not a tap device");
    g_assert_cmpint(vkNetDevTapDelete("vkp0"), ==, 0);
    g_assert_cmpint(vkNetDevExists("vkp0"), ==, 0);
}

static const NetnsCase cases[] = {
    { "/netdev/bridge/lifecycle", testBridgeLifecycle },
    { "/netdev/bridge/errors", testBridgeErrors },
    { "/netdev/address/add-remove", testAddresses },
    { "/netdev/listen/prefers-ipv4", testListenPrefersIPv4 },
    { "/netdev/listen/ipv6-global-not-link-local", testListenIPv6Global },
    { "/netdev/listen/skips-tentative", testListenSkipsTentative },
    { "/netdev/listen/skips-dadfailed", testListenSkipsDadFailed },
    { "/netdev/listen/missing-interface", testListenMissingInterface },
    { "/netdev/listen/no-address", testListenNoAddress },
    { "/netdev/tap", testTap },
};

/* A run killed before its teardown (a timeout, say) leaves its namespaces behind; ours are
 * named vktest-PID-N, so those of dead processes can go. */
static void removeStaleNamespaces(void)
{
    g_autoptr(GDir) dir = g_dir_open("/run/netns", 0, NULL);
    const char *name;

    while (dir && (name = g_dir_read_name(dir))) {
        g_autofree char *cmd = NULL;
        int pid;

        if (sscanf(name, "vktest-%d-", &pid) != 1 || pid == getpid() ||
            (kill(pid, 0) == 0 || errno != ESRCH))
            continue;
        cmd = g_strdup_printf("ip netns delete %s", name);
        g_free(run(cmd));
    }
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);

    if (geteuid() == 0 && !g_test_subprocess())
        removeStaleNamespaces();

    for (size_t i = 0; i < G_N_ELEMENTS(cases); i++)
        g_test_add(cases[i].path, Fixture, &cases[i], netnsSetup, runInNetns, netnsTeardown);
    return g_test_run();
}

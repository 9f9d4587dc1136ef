/* Integration tests of network autostart: once per host boot, at the first open of the driver,
 * under the driver lock, with failures as warnings and unprivileged openers limited to what they
 * may start. */
#include "nettest.h"
#include "util/vkfile.h"

#define OTHER_BOOT_ID "00000000-0000-4000-8000-000000000000"

static const char *const unprivileged[] = { "setpriv", "--reuid=65534", "--regid=65534",
                                            "--clear-groups", NULL };

static void quiet(void *data, virErrorPtr err)
{
}

static void assertContains(const char *haystack, const char *needle)
{
    if (!haystack || !strstr(haystack, needle))
        g_error("\"%s\" lacks \"%s\"", haystack ? haystack : "(null)", needle);
}

/* An isolated network with DHCP, so that a start runs dnsmasq that can be counted. */
static char *isolatedXML(const char *name, const char *bridge, int subnet)
{
    return g_strdup_printf("<network>\n"
                           "  <name>%s</name>\n"
                           "  <bridge name='%s' stp='off'/>\n"
                           "  <ip address='10.%d.0.1' prefix='24'>\n"
                           "    <dhcp>\n"
                           "      <range start='10.%d.0.10' end='10.%d.0.20'/>\n"
                           "    </dhcp>\n"
                           "  </ip>\n"
                           "</network>\n",
                           name, bridge, subnet, subnet, subnet);
}

static char *bridgedXML(const char *name, const char *bridge)
{
    return g_strdup_printf("<network>\n"
                           "  <name>%s</name>\n"
                           "  <forward mode='bridge'/>\n"
                           "  <bridge name='%s'/>\n"
                           "</network>\n",
                           name, bridge);
}

/* Defines XML and marks it for autostart, leaving it inactive. */
static void defineAutostart(NetFixture *f, const char *xml)
{
    virConnectPtr conn = nettestOpen(f);
    virNetworkPtr net = virNetworkDefineXML(conn, xml);

    if (!net)
        nettestFailed("virNetworkDefineXML");
    if (virNetworkSetAutostart(net, 1) < 0)
        nettestFailed("virNetworkSetAutostart");
    g_assert_cmpint(virNetworkIsActive(net), ==, 0);
    virNetworkFree(net);
    virConnectClose(conn);
}

static int isActive(NetFixture *f, const char *name)
{
    virConnectPtr conn = virConnectOpen(f->uri);
    virNetworkPtr net;
    int active;

    /* Not nettestOpen's connection: callers check what the open itself did. */
    if (!conn)
        nettestFailed("virConnectOpen");
    if (!(net = virNetworkLookupByName(conn, name)))
        nettestFailed("virNetworkLookupByName");
    active = virNetworkIsActive(net);
    virNetworkFree(net);
    virConnectClose(conn);
    return active;
}

static void destroy(NetFixture *f, const char *name)
{
    virConnectPtr conn = nettestOpen(f);
    virNetworkPtr net = virNetworkLookupByName(conn, name);

    if (!net || virNetworkDestroy(net) < 0)
        nettestFailed("virNetworkDestroy");
    virNetworkFree(net);
    virConnectClose(conn);
}

static char *bootId(void)
{
    g_autofree char *text = nettestReadFile("/proc/sys/kernel/random/boot_id");

    g_assert_nonnull(text);
    return g_strdup(g_strstrip(text));
}

static char *markerPath(NetFixture *f)
{
    return nettestRootFile(f, "run/network/autostarted");
}

static void assertMarker(NetFixture *f, const char *suffix)
{
    g_autofree char *path = markerPath(f);
    g_autofree char *text = nettestReadFile(path);
    g_autofree char *boot = bootId();
    g_autofree char *expect = g_strdup_printf("%s%s\n", boot, suffix);

    g_assert_cmpstr(text, ==, expect);
}

/* What a reboot does to the marker: a /run on tmpfs loses it; a root on a persistent disk
 * keeps the previous boot's. */
static void forgetBoot(NetFixture *f, gboolean keepStale)
{
    g_autofree char *path = markerPath(f);

    if (keepStale)
        g_assert_true(g_file_set_contents(path, OTHER_BOOT_ID "\n", -1, NULL));
    else
        g_assert_cmpint(g_unlink(path), ==, 0);
}

/* Runs "nethelper URI list" (WRAPPER: see nettestHelperSpawn) and returns its exit status with
 * its stdout and stderr. */
static int helperList(NetFixture *f, const char *const *wrapper, char **out, char **err)
{
    NetHelper helper;

    nettestHelperSpawn(f, wrapper, NULL, "list", "", TRUE, &helper);
    return nettestHelperWait(&helper, out, err);
}

static pid_t dnsmasqPid(NetFixture *f, const char *name)
{
    g_autofree char *rel = g_strdup_printf("run/network/%s.pid", name);
    g_autofree char *path = nettestRootFile(f, rel);
    g_autofree char *text = nettestReadFile(path);

    return text ? atoi(text) : 0;
}

static void assertBridgeUp(const char *bridge, const char *address)
{
    g_autofree char *up = nettestRunf("ip -o link show dev %s up", bridge);
    g_autofree char *addrs = nettestRunf("ip -o addr show dev %s", bridge);

    assertContains(up, bridge);
    assertContains(addrs, address);
}

/* ---- once per boot ---- */

static void testOncePerBoot(NetFixture *f)
{
    g_autofree char *iso = isolatedXML("iso", "vkaiso0", 91);
    g_autofree char *bridged = bridgedXML("br", "vkahost0");
    g_autofree char *out = NULL;
    g_autofree char *err = NULL;
    g_autofree char *statusPath = nettestRootFile(f, "run/network/br.xml");
    pid_t dnsmasq;

    g_free(nettestRun("ip link add vkahost0 type bridge"));
    g_free(nettestRun("ip link set vkahost0 up"));
    defineAutostart(f, iso);
    defineAutostart(f, bridged);
    /* The first open of this boot found nothing marked; marks made since wait for the next. */
    assertMarker(f, "");
    g_assert_cmpint(isActive(f, "iso"), ==, 0);
    g_assert_cmpint(isActive(f, "br"), ==, 0);

    /* A reboot empties /run: the next open, from any process, starts both. */
    forgetBoot(f, FALSE);
    g_assert_cmpint(helperList(f, NULL, &out, &err), ==, 0);
    g_assert_cmpstr(err, ==, "");
    g_assert_cmpstr(out, ==, "br active persistent\niso active persistent\n");
    assertBridgeUp("vkaiso0", "inet 10.91.0.1/24");
    g_assert_cmpuint(nettestCountDnsmasq(f, "iso"), ==, 1);
    g_assert_true(g_file_test(statusPath, G_FILE_TEST_IS_REGULAR));
    assertMarker(f, "");

    /* Stopped by its owner, it stays stopped for the rest of the boot. */
    destroy(f, "iso");
    g_assert_false(nettestLinkExists("vkaiso0"));
    g_assert_cmpint(isActive(f, "iso"), ==, 0);
    g_assert_false(nettestLinkExists("vkaiso0"));
    g_assert_cmpuint(nettestCountDnsmasq(f, "iso"), ==, 0);

    /* A root on a persistent disk keeps the previous boot's marker: it is started again. */
    forgetBoot(f, TRUE);
    g_assert_cmpint(isActive(f, "iso"), ==, 1);
    assertBridgeUp("vkaiso0", "inet 10.91.0.1/24");
    g_assert_cmpuint(nettestCountDnsmasq(f, "iso"), ==, 1);
    g_assert_cmpint(isActive(f, "br"), ==, 1);
    assertMarker(f, "");

    /* ...and its status from before the reboot names a bridge and a dnsmasq that are gone:
     * the network is cleaned up after and started afresh, not taken for running. */
    dnsmasq = dnsmasqPid(f, "iso");
    g_assert_cmpint(dnsmasq, >, 0);
    kill(dnsmasq, SIGKILL);
    for (int i = 0; i < 100 && nettestProcessAlive(dnsmasq); i++)
        g_usleep(10000);
    g_free(nettestRun("ip link del vkaiso0"));
    forgetBoot(f, TRUE);
    g_assert_cmpint(isActive(f, "iso"), ==, 1);
    assertBridgeUp("vkaiso0", "inet 10.91.0.1/24");
    g_assert_cmpuint(nettestCountDnsmasq(f, "iso"), ==, 1);
    g_assert_true(nettestNftTableExists("vkaiso0"));

    destroy(f, "iso");
    destroy(f, "br");
}

/* ---- the driver lock decides ---- */

/* TRUE if HELPER exits within MS milliseconds. */
static gboolean helperExitsWithin(NetHelper *helper, int ms)
{
    for (int waited = 0; waited < ms; waited += 10) {
        int status;
        pid_t rc = waitpid(helper->pid, &status, WNOHANG);

        g_assert_cmpint(rc, >=, 0);
        if (rc == helper->pid) {
            /* Reaped here: nettestHelperWait must not wait for it again. */
            helper->pid = 0;
            g_assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
            return TRUE;
        }
        g_usleep(10000);
    }
    return FALSE;
}

static void testDriverLock(NetFixture *f)
{
    g_autofree char *iso = isolatedXML("locked", "vkalock0", 92);
    g_autofree char *run = nettestRootFile(f, "run");
    g_autofree char *err = NULL;
    vkFileLock *lock;
    NetHelper helper;

    defineAutostart(f, iso);
    lock = vkFileLockAcquire(run, "network");
    g_assert_nonnull(lock);

    /* Marker current: an open decides from the marker alone, without waiting for the lock. */
    nettestHelperSpawn(f, NULL, NULL, "list", "", FALSE, &helper);
    g_assert_true(helperExitsWithin(&helper, 10000));
    g_free(nettestReadAll(helper.errFd));
    g_assert_false(nettestLinkExists("vkalock0"));

    /* After a reboot the open waits for whoever holds the lock, then starts the network. */
    forgetBoot(f, FALSE);
    nettestHelperSpawn(f, NULL, NULL, "list", "", FALSE, &helper);
    g_assert_false(helperExitsWithin(&helper, 500));
    g_assert_false(nettestLinkExists("vkalock0"));
    vkFileLockRelease(lock);
    g_assert_cmpint(nettestHelperWait(&helper, NULL, &err), ==, 0);
    g_assert_cmpstr(err, ==, "");
    g_assert_true(nettestLinkExists("vkalock0"));
    g_assert_cmpuint(nettestCountDnsmasq(f, "locked"), ==, 1);
    destroy(f, "locked");
}

/* ---- a network that cannot start ---- */

static void testFailureWarns(NetFixture *f)
{
    g_autofree char *good = isolatedXML("good", "vkagood0", 93);
    g_autofree char *broken = bridgedXML("broken", "vkamiss0");
    g_autofree char *out = NULL;
    g_autofree char *err = NULL;
    g_autofree char *out2 = NULL;
    g_autofree char *err2 = NULL;

    defineAutostart(f, broken);
    defineAutostart(f, good);
    forgetBoot(f, FALSE);

    /* "broken" comes first: its failure is a warning, and "good" still starts. */
    g_assert_cmpint(helperList(f, NULL, &out, &err), ==, 0);
    assertContains(err, "warning: cannot autostart network 'broken': ");
    assertContains(err, "bridge 'vkamiss0' of network 'broken' does not exist on this host");
    g_assert_null(strstr(err, "'good'"));
    g_assert_cmpstr(out, ==, "broken inactive persistent\ngood active persistent\n");
    g_assert_cmpuint(nettestCountDnsmasq(f, "good"), ==, 1);
    assertMarker(f, "");

    /* One try per boot: later opens neither retry nor warn again. */
    g_free(nettestRun("ip link add vkamiss0 type bridge"));
    g_assert_cmpint(helperList(f, NULL, &out2, &err2), ==, 0);
    g_assert_cmpstr(err2, ==, "");
    g_assert_cmpstr(out2, ==, "broken inactive persistent\ngood active persistent\n");
    destroy(f, "good");
}

/* ---- concurrent first opens ---- */

#define RACERS 4

static void testConcurrentOpens(NetFixture *f)
{
    g_autofree char *iso = isolatedXML("race", "vkarace0", 94);

    defineAutostart(f, iso);
    for (int round = 0; round < 5; round++) {
        NetHelper helpers[RACERS];

        forgetBoot(f, round % 2 == 1);
        for (int i = 0; i < RACERS; i++)
            nettestHelperSpawn(f, NULL, NULL, "list", "", TRUE, &helpers[i]);
        for (int i = 0; i < RACERS; i++) {
            g_autofree char *out = NULL;
            g_autofree char *err = NULL;
            int rc = nettestHelperWait(&helpers[i], &out, &err);

            if (rc != 0 || *err || !g_str_equal(out, "race active persistent\n"))
                g_error("round %d, opener %d: exit %d, stdout \"%s\", stderr \"%s\"", round, i, rc,
                        out, err);
        }
        g_assert_cmpuint(nettestCountDnsmasq(f, "race"), ==, 1);
        assertMarker(f, "");
        destroy(f, "race");
        g_assert_cmpuint(nettestCountDnsmasq(f, "race"), ==, 0);
    }
}

/* ---- unprivileged openers ---- */

static void testUnprivileged(NetFixture *f)
{
    g_autofree char *iso = isolatedXML("iso", "vkauiso0", 95);
    g_autofree char *bridged = bridgedXML("shared", "vkaushr0");
    g_autofree char *chown = g_strdup_printf("chown -R 65534:65534 %s", f->root);
    g_autofree char *chownRoot = g_strdup_printf("chown -R 0:0 %s", f->root);
    g_autofree char *out = NULL;
    g_autofree char *err = NULL;
    g_autofree char *out2 = NULL;
    g_autofree char *err2 = NULL;
    NetHelper helper;

    g_free(nettestRun("ip link add vkaushr0 type bridge"));
    defineAutostart(f, iso);
    defineAutostart(f, bridged);
    forgetBoot(f, FALSE);
    g_free(nettestRun(chown));

    /* Bridge mode needs no privileges and starts; the bridge the isolated network would
     * create needs root, which the warning says. */
    g_assert_cmpint(helperList(f, unprivileged, &out, &err), ==, 0);
    g_assert_cmpstr(out, ==, "iso inactive persistent\nshared active persistent\n");
    assertContains(err, "warning: cannot autostart network 'iso': ");
    assertContains(err, "needs root privileges");
    g_assert_false(nettestLinkExists("vkauiso0"));
    assertMarker(f, " unprivileged");

    g_assert_cmpint(helperList(f, unprivileged, &out2, &err2), ==, 0);
    g_assert_cmpstr(err2, ==, "");

    /* Its owner stops the shared network. */
    nettestHelperSpawn(f, unprivileged, NULL, "destroy", "shared", FALSE, &helper);
    g_clear_pointer(&err2, g_free);
    g_assert_cmpint(nettestHelperWait(&helper, NULL, &err2), ==, 0);

    /* Root does not act on state another user owns: its links could point anywhere. */
    g_assert_null(virConnectOpen(f->uri));
    g_assert_cmpint(virGetLastErrorCode(), ==, VIR_ERR_OPERATION_DENIED);
    assertContains(virGetLastErrorMessage(), "is owned by uid 65534");

    /* Once root owns it, a privileged open later in the boot still owes the isolated network
     * its start, but not the shared one another. */
    g_free(nettestRun(chownRoot));
    g_assert_cmpint(isActive(f, "iso"), ==, 1);
    g_assert_cmpint(isActive(f, "shared"), ==, 0);
    assertBridgeUp("vkauiso0", "inet 10.95.0.1/24");
    assertMarker(f, "");
    destroy(f, "iso");
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    virSetErrorFunc(NULL, quiet);

    NETTEST_ADD("/network/autostart/once-per-boot", testOncePerBoot);
    NETTEST_ADD("/network/autostart/driver-lock", testDriverLock);
    NETTEST_ADD("/network/autostart/failure-warns", testFailureWarns);
    NETTEST_ADD("/network/autostart/concurrent-opens", testConcurrentOpens);
    NETTEST_ADD("/network/autostart/unprivileged", testUnprivileged);
    return g_test_run();
}

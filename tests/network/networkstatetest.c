/* Integration tests of state across processes: reopening, vanished bridges, racing starts,
 * corrupt files, failed and killed starts, unprivileged callers and the iptables fallback. */
#include <grp.h>

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

static char *natXML(const char *name, const char *bridge, int subnet)
{
    return g_strdup_printf("<network>\n"
                           "  <name>%s</name>\n"
                           "  <forward mode='nat'/>\n"
                           "  <bridge name='%s'/>\n"
                           "  <ip address='10.%d.0.1' prefix='24'>\n"
                           "    <dhcp>\n"
                           "      <range start='10.%d.0.10' end='10.%d.0.20'/>\n"
                           "    </dhcp>\n"
                           "  </ip>\n"
                           "</network>\n",
                           name, bridge, subnet, subnet, subnet);
}

static char *rootFile(NetFixture *f, const char *name, const char *suffix)
{
    g_autofree char *rel = g_strdup_printf("run/network/%s.%s", name, suffix);
    return nettestRootFile(f, rel);
}

static gboolean rootFileExists(NetFixture *f, const char *name, const char *suffix)
{
    g_autofree char *path = rootFile(f, name, suffix);
    return g_file_test(path, G_FILE_TEST_EXISTS);
}

static pid_t dnsmasqPid(NetFixture *f, const char *name)
{
    g_autofree char *path = rootFile(f, name, "pid");
    g_autofree char *text = nettestReadFile(path);

    return text ? atoi(text) : 0;
}

static void assertContains(const char *haystack, const char *needle)
{
    if (!haystack || !strstr(haystack, needle))
        g_error("\"%s\" lacks \"%s\"", haystack ? haystack : "(null)", needle);
}

/* A directory of stand-in programs, searched before the real PATH. */
static char *fakeBin(NetFixture *f)
{
    g_autofree char *dir = nettestRootFile(f, "fakebin");

    g_assert_cmpint(g_mkdir_with_parents(dir, 0755), ==, 0);
    return g_steal_pointer(&dir);
}

static void fakeProgram(const char *dir, const char *name, const char *script)
{
    g_autofree char *path = g_build_filename(dir, name, NULL);
    g_autofree char *text = g_strdup_printf("#!/bin/sh\n%s\n", script);

    g_assert_true(g_file_set_contents(path, text, -1, NULL));
    g_assert_cmpint(chmod(path, 0755), ==, 0);
}

static void realProgram(const char *dir, const char *name)
{
    g_autofree char *real = g_find_program_in_path(name);
    g_autofree char *path = g_build_filename(dir, name, NULL);

    g_assert_nonnull(real);
    g_assert_cmpint(symlink(real, path), ==, 0);
}

/* ---- reopening the driver ---- */

static void testReopenKeepsRunning(NetFixture *f)
{
    g_autofree char *xml = natXML("keep", "vkkeep0", 91);
    virConnectPtr conn = nettestOpen(f);
    virNetworkPtr net = define(conn, xml);
    g_autofree char *linkBefore = NULL;
    g_autofree char *linkAfter = NULL;
    g_autofree char *tableBefore = NULL;
    g_autofree char *tableAfter = NULL;
    pid_t pid;

    start(net);
    pid = dnsmasqPid(f, "keep");
    linkBefore = nettestRun("ip -o link show dev vkkeep0");
    tableBefore = nettestRun("nft -a list table inet virtkit_vkkeep0");
    virNetworkFree(net);
    virConnectClose(conn);

    /* Another connection, as another process would open it: it sees the same running network
     * and touches nothing. */
    conn = nettestOpen(f);
    net = virNetworkLookupByName(conn, "keep");
    g_assert_nonnull(net);
    g_assert_cmpint(virNetworkIsActive(net), ==, 1);
    g_assert_cmpint(virConnectNumOfNetworks(conn), ==, 1);
    g_assert_cmpint(dnsmasqPid(f, "keep"), ==, pid);
    g_assert_true(nettestProcessAlive(pid));
    linkAfter = nettestRun("ip -o link show dev vkkeep0");
    tableAfter = nettestRun("nft -a list table inet virtkit_vkkeep0");
    g_assert_cmpstr(linkBefore, ==, linkAfter);
    g_assert_cmpstr(tableBefore, ==, tableAfter);

    /* A dnsmasq that died is started again, and nothing else changes. */
    kill(pid, SIGKILL);
    for (int i = 0; i < 100 && nettestProcessAlive(pid); i++)
        g_usleep(10000);
    g_assert_cmpint(virNetworkIsActive(net), ==, 1);
    g_assert_cmpint(dnsmasqPid(f, "keep"), !=, pid);
    g_assert_true(nettestProcessAlive(dnsmasqPid(f, "keep")));
    g_assert_cmpuint(nettestCountDnsmasq(f, "keep"), ==, 1);

    stop(net);
    g_assert_cmpuint(nettestCountDnsmasq(f, "keep"), ==, 0);
    virNetworkFree(net);
    virConnectClose(conn);
}

static void testVanishedBridge(NetFixture *f)
{
    g_autofree char *xml = natXML("gone", "vkgone0", 92);
    virConnectPtr conn = nettestOpen(f);
    virNetworkPtr net = define(conn, xml);
    pid_t pid;

    start(net);
    pid = dnsmasqPid(f, "gone");
    virConnectClose(conn);

    /* Someone deletes the bridge while no connection is open. */
    g_free(nettestRun("ip link del vkgone0"));

    conn = nettestOpen(f);
    g_assert_cmpint(virConnectNumOfNetworks(conn), ==, 0);
    g_assert_cmpint(virConnectNumOfDefinedNetworks(conn), ==, 1);
    g_assert_false(nettestProcessAlive(pid));
    g_assert_false(nettestNftTableExists("vkgone0"));
    g_assert_false(rootFileExists(f, "gone", "xml"));
    g_assert_false(rootFileExists(f, "gone", "pid"));

    /* What is left is an ordinary inactive network. */
    start(net);
    g_assert_true(nettestLinkExists("vkgone0"));
    stop(net);
    virNetworkFree(net);
    virConnectClose(conn);
}

/* ---- two processes starting one network ---- */

static void testConcurrentStart(NetFixture *f)
{
    g_autofree char *xml = natXML("race", "vkrace0", 93);
    virConnectPtr conn = nettestOpen(f);
    virNetworkPtr net = define(conn, xml);

    for (int round = 0; round < 5; round++) {
        NetHelper a, b;
        g_autofree char *outA = NULL;
        g_autofree char *outB = NULL;
        int rcA, rcB;

        nettestHelperSpawn(f, NULL, NULL, "start", "race", FALSE, &a);
        nettestHelperSpawn(f, NULL, NULL, "start", "race", FALSE, &b);
        rcA = nettestHelperWait(&a, NULL, &outA);
        rcB = nettestHelperWait(&b, NULL, &outB);

        if (!((rcA == 0 && rcB == 1) || (rcA == 1 && rcB == 0)))
            g_error("round %d: exit codes %d and %d (%s / %s)", round, rcA, rcB, outA, outB);
        assertContains(rcA ? outA : outB, "network is already active");
        g_assert_cmpint(virNetworkIsActive(net), ==, 1);
        g_assert_cmpuint(nettestCountDnsmasq(f, "race"), ==, 1);
        stop(net);
        g_assert_cmpuint(nettestCountDnsmasq(f, "race"), ==, 0);
        g_assert_false(nettestLinkExists("vkrace0"));
    }
    virNetworkFree(net);
    virConnectClose(conn);
}

/* ---- corrupt files ---- */

static void writeRootFile(NetFixture *f, const char *rel, const char *text)
{
    g_autofree char *path = nettestRootFile(f, rel);
    g_autofree char *dir = g_path_get_dirname(path);

    g_assert_cmpint(g_mkdir_with_parents(dir, 0700), ==, 0);
    g_assert_true(g_file_set_contents(path, text, -1, NULL));
}

static void testCorruptFiles(NetFixture *f)
{
    virConnectPtr conn = nettestOpen(f);
    NetHelper helper;
    g_autofree char *err = NULL;
    g_autofree char *badPath = nettestRootFile(f, "etc/network/bad.xml");
    g_autofree char *misnamedPath = nettestRootFile(f, "etc/network/misnamed.xml");
    g_autofree char *statusPath = nettestRootFile(f, "run/network/good2.xml");
    g_autofree char *list = NULL;
    g_autofree char *listCmd = NULL;
    virNetworkPtr good2;

    virNetworkFree(define(conn, "<network><name>good1</name><bridge name='vkg1'/></network>"));
    good2 = define(conn, "<network><name>good2</name><bridge name='vkg2'/></network>");
    writeRootFile(f, "etc/network/bad.xml", "<network><name>bad</name");
    writeRootFile(f, "etc/network/misnamed.xml", "<network><name>other</name></network>\n");
    writeRootFile(f, "run/network/good2.xml", "garbage\n");

    /* Every other network still loads; the bad files are named on stderr. */
    g_assert_cmpint(virConnectNumOfDefinedNetworks(conn), ==, 2);
    g_assert_cmpint(virConnectNumOfNetworks(conn), ==, 0);
    nettestHelperSpawn(f, NULL, NULL, "list", "", FALSE, &helper);
    g_assert_cmpint(nettestHelperWait(&helper, NULL, &err), ==, 0);
    assertContains(err, badPath);
    assertContains(err, misnamedPath);
    assertContains(err, statusPath);
    listCmd = g_strdup_printf("ip netns exec %s %s %s list", f->netns, g_getenv("VKTEST_NETHELPER"),
                              f->uri);
    list = nettestRun(listCmd);
    g_assert_cmpstr(list, ==, "good1 inactive persistent\ngood2 inactive persistent\n");

    /* Asking for the corrupt network itself reports the file. */
    g_assert_null(virNetworkLookupByName(conn, "bad"));
    assertContains(virGetLastError()->message, badPath);
    virResetLastError();
    g_assert_null(virNetworkLookupByName(conn, "misnamed"));
    assertContains(virGetLastError()->message, "it defines network 'other'");
    virResetLastError();

    /* A corrupt status does not keep its network from starting again. */
    start(good2);
    g_assert_cmpint(virNetworkIsActive(good2), ==, 1);
    stop(good2);
    virNetworkFree(good2);
    virConnectClose(conn);
}

/* ---- starts that fail or die halfway ---- */

static void assertNothingLeft(NetFixture *f, const char *name, const char *bridge)
{
    g_assert_false(nettestLinkExists(bridge));
    g_assert_false(nettestNftTableExists(bridge));
    g_assert_false(rootFileExists(f, name, "xml"));
    g_assert_false(rootFileExists(f, name, "pid"));
    g_assert_false(rootFileExists(f, name, "conf"));
    g_assert_false(rootFileExists(f, name, "nft"));
    g_assert_cmpuint(nettestCountDnsmasq(f, name), ==, 0);
}

static void testStartFailsHalfway(NetFixture *f)
{
    g_autofree char *xml = natXML("half", "vkhalf0", 94);
    g_autofree char *bin = fakeBin(f);
    g_autofree char *oldPath = g_strdup(g_getenv("PATH"));
    g_autofree char *path = g_strdup_printf("%s:%s", bin, oldPath);
    g_autofree char *fakeDnsmasq = g_build_filename(bin, "dnsmasq", NULL);
    virConnectPtr conn = nettestOpen(f);
    virNetworkPtr net = define(conn, xml);

    g_setenv("PATH", path, TRUE);

    /* The last step fails: dnsmasq cannot start. */
    fakeProgram(bin, "dnsmasq",
                "echo 'dnsmasq: failed to create listening socket for 10.94.0.1: Address already "
                "in use' >&2; exit 2");
    g_assert_cmpint(virNetworkCreate(net), ==, -1);
    assertContains(virGetLastError()->message, "cannot start dnsmasq for network 'half'");
    assertContains(virGetLastError()->message, "Address already in use");
    virResetLastError();
    g_assert_cmpint(virNetworkIsActive(net), ==, 0);
    assertNothingLeft(f, "half", "vkhalf0");
    g_unlink(fakeDnsmasq);

    /* A middle step fails: the firewall refuses the rules. */
    fakeProgram(bin, "nft",
                "echo 'Error: Could not process rule: Operation not supported' >&2; "
                "exit 1");
    g_assert_cmpint(virNetworkCreate(net), ==, -1);
    assertContains(virGetLastError()->message,
                   "cannot install the firewall rules of network 'half'");
    assertContains(virGetLastError()->message, "Operation not supported");
    virResetLastError();
    g_setenv("PATH", oldPath, TRUE);
    assertNothingLeft(f, "half", "vkhalf0");

    /* The first step fails: the bridge name is taken by someone else's interface, which
     * must survive the rollback. */
    g_free(nettestRun("ip link add vkhalf0 type veth peer name vkhalf0p"));
    g_assert_cmpint(virNetworkCreate(net), ==, -1);
    assertContains(virGetLastError()->message, "interface 'vkhalf0' already exists");
    virResetLastError();
    g_assert_true(nettestLinkExists("vkhalf0"));
    g_assert_false(rootFileExists(f, "half", "xml"));
    g_free(nettestRun("ip link del vkhalf0"));

    /* And with working tools it starts. */
    start(net);
    g_assert_cmpuint(nettestCountDnsmasq(f, "half"), ==, 1);
    stop(net);
    assertNothingLeft(f, "half", "vkhalf0");
    virNetworkFree(net);
    virConnectClose(conn);
}

static void replaceInFile(const char *path, const char *from, const char *to)
{
    g_autofree char *text = nettestReadFile(path);
    g_auto(GStrv) parts = NULL;
    g_autofree char *replaced = NULL;

    g_assert_nonnull(text);
    parts = g_strsplit(text, from, -1);
    g_assert_cmpuint(g_strv_length(parts), ==, 2);
    replaced = g_strjoinv(to, parts);
    g_assert_true(g_file_set_contents(path, replaced, -1, NULL));
}

static gboolean waitFor(gboolean (*cond)(NetFixture *f), NetFixture *f)
{
    for (int i = 0; i < 500; i++) {
        if (cond(f))
            return TRUE;
        g_usleep(20000);
    }
    return FALSE;
}

/* The start has reached its last step: the status says so and the firewall is in. */
static gboolean startReachedDnsmasq(NetFixture *f)
{
    g_autofree char *statusPath = rootFile(f, "crash", "xml");
    g_autofree char *status = nettestReadFile(statusPath);

    return status && strstr(status, "state='starting'") && rootFileExists(f, "crash", "conf") &&
           nettestNftTableExists("vkcrash0");
}

static void testKilledHalfway(NetFixture *f)
{
    g_autofree char *xml = natXML("crash", "vkcrash0", 95);
    g_autofree char *bin = fakeBin(f);
    g_autofree char *path = g_strdup_printf("%s:%s", bin, g_getenv("PATH"));
    const char *env[] = { "PATH", path, NULL };
    virConnectPtr conn = nettestOpen(f);
    virNetworkPtr net = define(conn, xml);
    g_autofree char *err = NULL;
    g_autofree char *statusPath = rootFile(f, "crash", "xml");
    NetHelper helper;

    g_autofree char *fakePidFile = nettestRootFile(f, "fake-dnsmasq.pid");
    g_autofree char *fakeScript = g_strdup_printf("echo $$ >%s; exec sleep 300", fakePidFile);
    g_autofree char *fakePid = NULL;

    /* A dnsmasq that never answers keeps the start waiting in its last step... */
    fakeProgram(bin, "dnsmasq", fakeScript);
    nettestHelperSpawn(f, NULL, env, "start", "crash", FALSE, &helper);
    if (!waitFor(startReachedDnsmasq, f))
        g_error("the start never reached dnsmasq");
    /* ...where it is killed, leaving a bridge, rules and a status that says "starting". */
    kill(helper.pid, SIGKILL);
    g_assert_cmpint(nettestHelperWait(&helper, NULL, &err), ==, -1);
    g_assert_true(nettestLinkExists("vkcrash0"));

    /* The next look at the network cleans up after the dead start, the process it had
     * spawned included: the status named it before it ran. */
    g_assert_cmpint(virNetworkIsActive(net), ==, 0);
    assertNothingLeft(f, "crash", "vkcrash0");
    fakePid = nettestReadFile(fakePidFile);
    g_assert_nonnull(fakePid);
    g_assert_false(nettestProcessAlive(atoi(fakePid)));

    /* Killed while stopping: the status says "stopping" and the lock is free. */
    start(net);
    replaceInFile(statusPath, "state='active'", "state='stopping'");
    g_assert_cmpint(virNetworkIsActive(net), ==, 0);
    assertNothingLeft(f, "crash", "vkcrash0");

    virNetworkFree(net);
    virConnectClose(conn);
}

/* ---- dnsmasq is known by the process we forked, never by its pid file ---- */

/* A stand-in for dnsmasq that runs the real one after SETUP (a shell fragment; $conf is the
 * configuration file virtkit wrote). */
static void wrapDnsmasq(const char *bin, const char *setup)
{
    g_autofree char *real = g_find_program_in_path("dnsmasq");
    g_autofree char *script = NULL;

    g_assert_nonnull(real);
    script = g_strdup_printf("conf=${1#--conf-file=}\n%s\nexec %s \"$@\"", setup, real);
    fakeProgram(bin, "dnsmasq", script);
}

/* Starts NET through a wrapped dnsmasq, then stops it: whatever the start says, no dnsmasq of
 * the network may outlive the stop, and the same range starts again with the real one. */
static void startStopWrapped(NetFixture *f, virNetworkPtr net, const char *name, const char *bridge,
                             const char *bin, const char *setup)
{
    g_autofree char *oldPath = g_strdup(g_getenv("PATH"));
    g_autofree char *path = g_strdup_printf("%s:%s", bin, oldPath);
    int rc;

    wrapDnsmasq(bin, setup);
    g_setenv("PATH", path, TRUE);
    rc = virNetworkCreate(net);
    g_setenv("PATH", oldPath, TRUE);
    if (rc == 0) {
        g_assert_cmpuint(nettestCountDnsmasq(f, name), ==, 1);
        stop(net);
    } else {
        g_test_message("start through the wrapper failed: %s", virGetLastError()->message);
        virResetLastError();
    }
    assertNothingLeft(f, name, bridge);

    start(net);
    g_assert_cmpuint(nettestCountDnsmasq(f, name), ==, 1);
    stop(net);
    assertNothingLeft(f, name, bridge);
}

static void testDnsmasqTrackedByFork(NetFixture *f)
{
    g_autofree char *xml = natXML("track", "vktrack0", 98);
    g_autofree char *bin = fakeBin(f);
    g_autofree char *elsewhere = nettestRootFile(f, "elsewhere.pid");
    g_autofree char *movePid =
        g_strdup_printf("sed -i 's|^pid-file=.*|pid-file=%s|' \"$conf\"", elsewhere);
    g_autofree char *forgePid =
        g_strdup_printf("%s\necho 1 >%s/run/network/track.pid", movePid, f->root);
    g_autofree char *pidFile = rootFile(f, "track", "pid");
    virConnectPtr conn = nettestOpen(f);
    virNetworkPtr net = define(conn, xml);
    g_autofree char *confArg = g_strdup_printf("--conf-file=%s/run/network/track.conf", f->root);
    const char *decoyArgv[] = { "sh", "-c", "sleep 300; :", "decoy", confArg, NULL };
    g_autoptr(GError) gerr = NULL;
    g_autofree char *decoyText = NULL;
    GPid decoy;
    pid_t real;

    /* dnsmasq writes its pid where virtkit does not look, as it does when the path in its
     * configuration reads differently to it (a tab in a network's name). */
    startStopWrapped(f, net, "track", "vktrack0", bin, movePid);
    /* The expected pid file names another process altogether. */
    startStopWrapped(f, net, "track", "vktrack0", bin, forgePid);

    /* A stop kills the process the start recorded, not what the pid file says: here a
     * decoy whose command line even looks like the network's dnsmasq. */
    start(net);
    real = dnsmasqPid(f, "track");
    g_assert_cmpint(real, >, 1);
    g_assert_true(g_spawn_async(NULL, (char **)decoyArgv, NULL,
                                G_SPAWN_SEARCH_PATH | G_SPAWN_DO_NOT_REAP_CHILD |
                                    G_SPAWN_STDOUT_TO_DEV_NULL | G_SPAWN_STDERR_TO_DEV_NULL,
                                NULL, NULL, &decoy, &gerr));
    decoyText = g_strdup_printf("%d\n", (int)decoy);
    g_assert_true(g_file_set_contents(pidFile, decoyText, -1, NULL));
    stop(net);
    g_assert_false(nettestProcessAlive(real));
    g_assert_true(nettestProcessAlive(decoy));
    kill(decoy, SIGKILL);
    waitpid(decoy, NULL, 0);
    assertNothingLeft(f, "track", "vktrack0");

    virNetworkFree(net);
    virConnectClose(conn);
}

/* A dnsmasq that fails after it has bound its sockets (it cannot write its pid file) fails
 * the start, every time, with its own words; nothing keeps the bridge or the range. */
static void testDnsmasqFailsLate(NetFixture *f)
{
    g_autofree char *xml = natXML("late", "vklate0", 99);
    g_autofree char *bin = fakeBin(f);
    g_autofree char *oldPath = g_strdup(g_getenv("PATH"));
    g_autofree char *path = g_strdup_printf("%s:%s", bin, oldPath);
    g_autofree char *fakeDnsmasq = g_build_filename(bin, "dnsmasq", NULL);
    virConnectPtr conn = nettestOpen(f);
    virNetworkPtr net = define(conn, xml);

    wrapDnsmasq(bin, "sed -i 's|^pid-file=.*|pid-file=/nonexistent/late.pid|' \"$conf\"");
    g_setenv("PATH", path, TRUE);
    /* Repeated: the end of dnsmasq's output and its exit must never be mistaken for a
     * successful start. */
    for (int i = 0; i < 10; i++) {
        g_assert_cmpint(virNetworkCreate(net), ==, -1);
        assertContains(virGetLastError()->message, "cannot start dnsmasq for network 'late'");
        assertContains(virGetLastError()->message, "/nonexistent/late.pid");
        virResetLastError();
        assertNothingLeft(f, "late", "vklate0");
    }
    g_setenv("PATH", oldPath, TRUE);
    g_unlink(fakeDnsmasq);

    start(net);
    g_assert_cmpuint(nettestCountDnsmasq(f, "late"), ==, 1);
    stop(net);
    assertNothingLeft(f, "late", "vklate0");
    virNetworkFree(net);
    virConnectClose(conn);
}

/* ---- an unprivileged caller ---- */

static void testUnprivileged(NetFixture *f)
{
    static const char bridged[] = "<network>\n"
                                  "  <name>shared</name>\n"
                                  "  <forward mode='bridge'/>\n"
                                  "  <bridge name='vkuser0'/>\n"
                                  "</network>\n";
    static const char pooled[] = "<network>\n"
                                 "  <name>pool</name>\n"
                                 "  <forward mode='vepa'>\n"
                                 "    <interface dev='vkuserdev'/>\n"
                                 "  </forward>\n"
                                 "</network>\n";
    g_autofree char *nat = natXML("mine", "vkmine0", 96);
    g_autofree char *xdg = nettestRootFile(f, "xdg");
    g_autofree char *sessionConfig = nettestRootFile(f, "xdg/virtkit/etc/network/shared.xml");
    g_autofree char *chown = g_strdup_printf("chown -R 65534:65534 %s", f->root);
    virConnectPtr conn;
    virNetworkPtr net;

    g_free(nettestRun("ip link add vkuser0 type bridge"));
    g_free(nettestRun("ip link add vkuserdev type veth peer name vkuserdevp"));
    g_free(nettestRun(chown));
    g_assert_cmpint(setgroups(0, NULL), ==, 0);
    g_assert_cmpint(setgid(65534), ==, 0);
    g_assert_cmpint(setuid(65534), ==, 0);

    conn = nettestOpen(f);
    net = define(conn, bridged);
    start(net);
    g_assert_cmpint(virNetworkIsActive(net), ==, 1);
    stop(net);
    virNetworkFree(net);
    net = define(conn, pooled);
    start(net);
    stop(net);
    virNetworkFree(net);

    /* Creating a bridge needs root: refused with a clear error, nothing left behind. */
    net = define(conn, nat);
    g_assert_cmpint(virNetworkCreate(net), ==, -1);
    nettestAssertError(VIR_ERR_OPERATION_DENIED,
                       "starting network 'mine' (forward mode 'nat') creates bridge 'vkmine0' and "
                       "needs root privileges");
    g_assert_false(nettestLinkExists("vkmine0"));
    g_assert_false(rootFileExists(f, "mine", "xml"));
    virNetworkFree(net);
    virConnectClose(conn);

    /* qemu:///session keeps its networks in the user's data directory. */
    g_setenv("XDG_DATA_HOME", xdg, TRUE);
    conn = virConnectOpen("qemu:///session");
    g_assert_nonnull(conn);
    net = define(conn, bridged);
    g_assert_true(g_file_test(sessionConfig, G_FILE_TEST_IS_REGULAR));
    start(net);
    stop(net);
    virNetworkFree(net);
    virConnectClose(conn);

    g_assert_null(virConnectOpen("qemu:///system"));
    nettestAssertError(VIR_ERR_OPERATION_DENIED, "qemu:///system needs root privileges");
}

/* ---- iptables where nft is missing ---- */

static void testIptablesFallback(NetFixture *f)
{
    g_autofree char *xml = natXML("ipt", "vkipt0", 97);
    g_autofree char *bin = fakeBin(f);
    g_autofree char *oldPath = g_strdup(g_getenv("PATH"));
    g_autofree char *rules = NULL;
    g_autofree char *nat = NULL;
    g_autofree char *rules6 = NULL;
    g_autofree char *status = NULL;
    g_autofree char *statusPath = rootFile(f, "ipt", "xml");
    virConnectPtr conn = nettestOpen(f);
    virNetworkPtr net = define(conn, xml);

    realProgram(bin, "dnsmasq");
    realProgram(bin, "iptables");
    realProgram(bin, "ip6tables");
    g_setenv("PATH", bin, TRUE);
    start(net);
    g_setenv("PATH", oldPath, TRUE);

    status = nettestReadFile(statusPath);
    assertContains(status, "firewall='iptables'");
    g_assert_false(nettestNftTableExists("vkipt0"));
    rules = nettestRun("iptables -w -S VK_FWD_vkipt0");
    assertContains(rules, "-A VK_FWD_vkipt0 -s 10.97.0.0/24 -i vkipt0 -j ACCEPT");
    assertContains(rules, "-A VK_FWD_vkipt0 -i vkipt0 -j REJECT");
    rules6 = nettestRun("ip6tables -w -S VK_FWD_vkipt0");
    assertContains(rules6, "-A VK_FWD_vkipt0 -o vkipt0 -j REJECT");
    nat = nettestRun("iptables -w -t nat -S VK_NAT_vkipt0");
    assertContains(nat, "-j MASQUERADE --to-ports 1024-65535");

    /* The stop uses the backend the rules went in with, whatever PATH says now. */
    stop(net);
    g_assert_false(nettestSucceedsf("iptables -w -S VK_FWD_vkipt0"));
    g_assert_false(nettestSucceedsf("ip6tables -w -S VK_FWD_vkipt0"));
    g_assert_false(nettestSucceedsf("iptables -w -t nat -S VK_NAT_vkipt0"));
    g_assert_false(nettestLinkExists("vkipt0"));
    virNetworkFree(net);
    virConnectClose(conn);
}

static gboolean hasIptables(void)
{
    g_autofree char *ipt = g_find_program_in_path("iptables");
    g_autofree char *ipt6 = g_find_program_in_path("ip6tables");
    return ipt && ipt6;
}

static void skipNoIptables(void)
{
    g_test_skip("iptables is not installed (Debian package iptables)");
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    virSetErrorFunc(NULL, quiet);

    NETTEST_ADD("/network/state/reopen-keeps-running", testReopenKeepsRunning);
    NETTEST_ADD("/network/state/vanished-bridge", testVanishedBridge);
    NETTEST_ADD("/network/state/concurrent-start", testConcurrentStart);
    NETTEST_ADD("/network/state/corrupt-files", testCorruptFiles);
    NETTEST_ADD("/network/state/start-fails-halfway", testStartFailsHalfway);
    NETTEST_ADD("/network/state/killed-halfway", testKilledHalfway);
    NETTEST_ADD("/network/state/dnsmasq-tracked-by-fork", testDnsmasqTrackedByFork);
    NETTEST_ADD("/network/state/dnsmasq-fails-late", testDnsmasqFailsLate);
    NETTEST_ADD("/network/state/unprivileged", testUnprivileged);
    if (hasIptables())
        NETTEST_ADD("/network/state/iptables-fallback", testIptablesFallback);
    else
        g_test_add_func("/network/state/iptables-fallback", skipNoIptables);
    return g_test_run();
}

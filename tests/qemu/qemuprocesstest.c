/* Integration tests of qemu process lifecycle against the real qemu, with no guest OS: start
 * to QMP running, stop, start failures quoting qemu, reconnect from another process, dead
 * and impostor pids, QMP events, taps on a bridge (in a private network namespace), every
 * golden command line run for real, and start/stop timings against a hand-rolled launch. */
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>

#include "qemu/qemu_tpm.h"
#include "qemu/qemu_process.h"
#include "qemutestutil.h"
#include "util/vkfile.h"
#include "util/vknetdev.h"
#include "util/vkprocess.h"
#include "util/vkuuid.h"

typedef struct {
    char *root;
    char *runDir;
    char *logDir;
    vkQEMUProcessPaths paths;
} Fixture;

static void fixtureSetup(Fixture *f, gconstpointer data)
{
    f->root = testMakeTmpDir("vkqemuproc-XXXXXX");
    f->runDir = g_build_filename(f->root, "run", "qemu", NULL);
    f->logDir = g_build_filename(f->root, "log", "qemu", NULL);
    f->paths.runDir = f->runDir;
    f->paths.logDir = f->logDir;
}

static void fixtureTeardown(Fixture *f, gconstpointer data)
{
    testRemoveTree(f->root);
    g_free(f->root);
    g_free(f->runDir);
    g_free(f->logDir);
}

/* ---- helpers ---- */

static const char *virtType(void)
{
    return vkQEMUHostHasKVM() ? "kvm" : "qemu";
}

static vkDomainDef *guestDefOfType(const char *type, const char *name, const char *machine,
                                   const char *devices)
{
    g_autofree char *xml =
        g_strdup_printf("<domain type='%s'>\n"
                        "  <name>%s</name>\n"
                        "  <uuid>3d6f5c1a-8e2b-4a7d-b9c0-%012x</uuid>\n"
                        "  <memory unit='MiB'>64</memory>\n"
                        "  <vcpu>1</vcpu>\n"
                        "  <os><type arch='x86_64' machine='%s'>hvm</type></os>\n"
                        "  <devices>\n"
                        "    %s\n"
                        "    <memballoon model='none'/>\n"
                        "  </devices>\n"
                        "</domain>\n",
                        type, name, g_str_hash(name), machine, devices ? devices : "");
    vkDomainDef *def = vkDomainDefParseString(xml, VK_DOMAIN_DEF_PARSE_INACTIVE);

    assertOK(def != NULL);
    return def;
}

static vkDomainDef *guestDef(const char *name, const char *machine, const char *devices)
{
    return guestDefOfType(virtType(), name, machine, devices);
}

static vkQEMUProcess *startDef(Fixture *f, const vkDomainDef *def, vkQEMURuntime *rt,
                               unsigned int flags)
{
    g_autoptr(vkQEMURuntime) ownRt = rt ? NULL : vkQEMURuntimeNew(def);
    vkQEMUProcess *proc = NULL;

    assertOK(vkQEMUProcessStart(&f->paths, def, rt ? rt : ownRt, NULL, flags, &proc) == 0);
    return proc;
}

static vkQEMUProcess *startGuest(Fixture *f, const char *name)
{
    g_autoptr(vkDomainDef) def = guestDef(name, "pc", NULL);

    return startDef(f, def, NULL, 0);
}

static char *runFile(Fixture *f, const char *name, const char *suffix)
{
    g_autofree char *base = g_strconcat(name, suffix, NULL);

    return g_build_filename(f->runDir, base, NULL);
}

static void assertRunFiles(Fixture *f, const char *name, gboolean present)
{
    static const char *const suffixes[] = { ".xml", ".pid", ".monitor" };

    for (size_t i = 0; i < G_N_ELEMENTS(suffixes); i++) {
        g_autofree char *path = runFile(f, name, suffixes[i]);

        if (g_file_test(path, G_FILE_TEST_EXISTS) != present)
            g_error("%s is %s", path, present ? "missing" : "still there");
    }
}

/* TRUE if some process carries -name guest=NAME,... : a qemu left behind. */
static gboolean qemuRunsFor(const char *name)
{
    g_autoptr(GDir) proc = g_dir_open("/proc", 0, NULL);
    g_autofree char *marker = g_strdup_printf("guest=%s,debug-threads=on", name);
    const char *entry;

    while ((entry = g_dir_read_name(proc))) {
        g_auto(GStrv) argv = NULL;
        gint64 pid;

        if (!g_ascii_string_to_signed(entry, 10, 1, G_MAXINT32, &pid, NULL))
            continue;
        argv = vkProcessGetCmdline((pid_t)pid);
        for (char **a = argv; a && *a; a++) {
            if (g_str_equal(*a, marker))
                return TRUE;
        }
    }
    return FALSE;
}

static gboolean argvHasPair(char **argv, const char *opt, const char *value)
{
    for (char **a = argv; a && *a && a[1]; a++) {
        if (g_str_equal(*a, opt) && g_str_equal(a[1], value))
            return TRUE;
    }
    return FALSE;
}

static void assertQMPStatus(vkQEMUProcess *proc, const char *expected)
{
    g_autofree char *status = NULL;
    gboolean running;

    assertOK(vkQEMUMonitorQueryStatus(vkQEMUProcessGetMonitor(proc), &running, &status) == 0);
    g_assert_cmpstr(status, ==, expected);
}

static void killAndWait(pid_t pid, int sig)
{
    g_assert_cmpint(kill(pid, sig), ==, 0);
    g_assert_cmpint(vkProcessWaitExit(pid, 0, 10000), ==, 0);
}

/* ---- lifecycle ---- */

static void testStartStop(Fixture *f, gconstpointer data)
{
    g_autofree char *qemu = testFindQEMU();
    g_autoptr(vkQEMUProcess) proc = NULL;
    g_autoptr(vkQEMUDomainStatus) st = NULL;
    g_autofree char *statusPath = runFile(f, "lifecycle", ".xml");
    g_autofree char *logPath = g_build_filename(f->logDir, "lifecycle.log", NULL);
    g_autofree char *log = NULL;
    g_auto(GStrv) cmdline = NULL;
    g_autoptr(vkDomainDef) def = NULL;
    g_autofree char *statusText = NULL;
    const char *pty;
    char uuid[VIR_UUID_STRING_BUFLEN];
    pid_t pid, filePid;
    int reason;

    if (!qemu)
        return;
    def = guestDef("lifecycle", "pc",
                   "<serial type='pty'/>"
                   "<graphics type='vnc' passwd='start-secret'><listen type='none'/></graphics>");
    proc = startDef(f, def, NULL, 0);
    pid = vkQEMUProcessGetPid(proc);
    g_assert_true(vkProcessIsAlive(pid, vkQEMUProcessGetStartTime(proc)));
    assertQMPStatus(proc, "running");
    g_assert_cmpint(vkQEMUProcessGetState(proc, &reason), ==, VIR_DOMAIN_RUNNING);
    g_assert_cmpint(reason, ==, VIR_DOMAIN_RUNNING_BOOTED);
    g_assert_cmpint(vkQEMUProcessGetDef(proc)->id, ==, pid);

    assertRunFiles(f, "lifecycle", TRUE);
    g_autofree char *pidPath = runFile(f, "lifecycle", ".pid");
    assertOK(vkPidFileRead(pidPath, &filePid) == 0);
    g_assert_cmpint(filePid, ==, pid);
    assertOK(vkQEMUDomainStatusRead(statusPath, &st) == 0);
    g_assert_cmpint(st->pid, ==, pid);
    g_assert_cmpint(st->state, ==, VIR_DOMAIN_RUNNING);
    g_assert_cmpuint(st->startTime, ==, vkQEMUProcessGetStartTime(proc));

    g_assert_true(g_file_get_contents(logPath, &log, NULL, NULL));
    g_assert_nonnull(strstr(log, ": starting up\n"));
    g_assert_nonnull(strstr(log, "guest=lifecycle,debug-threads=on"));

    cmdline = vkProcessGetCmdline(pid);
    g_assert_true(argvHasPair(cmdline, "-name", "guest=lifecycle,debug-threads=on"));
    vkUUIDFormat(vkQEMUProcessGetDef(proc)->uuid, uuid);
    g_assert_true(argvHasPair(cmdline, "-uuid", uuid));
    g_assert_true(argvHasPair(cmdline, "-vnc", "none,password=on,audiodev=audio1"));
    for (char **a = cmdline; *a; a++)
        g_assert_null(strstr(*a, "start-secret"));
    g_assert_null(strstr(log, "start-secret"));

    /* qemu chose the pty; the live definition and the status file name it. */
    pty = vkQEMUProcessGetDef(proc)->serials[0]->path;
    g_assert_nonnull(pty);
    g_assert_true(g_str_has_prefix(pty, "/dev/pts/"));
    g_assert_true(g_file_test(pty, G_FILE_TEST_EXISTS));
    g_assert_cmpstr(st->def->serials[0]->path, ==, pty);
    g_assert_true(g_file_get_contents(statusPath, &statusText, NULL, NULL));
    g_assert_nonnull(strstr(statusText, "passwd='start-secret'"));

    assertOK(vkQEMUProcessStop(proc, VIR_DOMAIN_SHUTOFF_DESTROYED, VK_QEMU_PROCESS_STOP_GRACE_MS) ==
             0);
    g_assert_false(vkProcessIsAlive(pid, 0));
    g_assert_false(vkQEMUProcessIsActive(proc));
    g_assert_null(vkQEMUProcessGetMonitor(proc));
    g_assert_cmpint(vkQEMUProcessGetState(proc, &reason), ==, VIR_DOMAIN_SHUTOFF);
    g_assert_cmpint(reason, ==, VIR_DOMAIN_SHUTOFF_DESTROYED);
    assertRunFiles(f, "lifecycle", FALSE);
    /* The log stays for whoever wants to know what happened. */
    g_assert_true(g_file_test(logPath, G_FILE_TEST_EXISTS));
}

static void assertStartFails(Fixture *f, const vkDomainDef *def, const char *const *needles)
{
    g_autoptr(vkQEMURuntime) rt = vkQEMURuntimeNew(def);
    vkQEMUProcess *proc = NULL;
    virErrorPtr err;

    g_assert_cmpint(vkQEMUProcessStart(&f->paths, def, rt, NULL, 0, &proc), ==, -1);
    g_assert_null(proc);
    err = virGetLastError();
    g_assert_nonnull(err);
    for (const char *const *n = needles; *n; n++) {
        if (!strstr(err->message, *n))
            g_error("error \"%s\" lacks \"%s\"", err->message, *n);
    }
    g_test_message("start failed as expected: %s", err->message);
    vkResetLastError();
    assertRunFiles(f, def->name, FALSE);
    g_assert_false(qemuRunsFor(def->name));
}

static void testStartFailureMachine(Fixture *f, gconstpointer data)
{
    g_autofree char *qemu = testFindQEMU();
    g_autoptr(vkDomainDef) def = NULL;
    static const char *const needles[] = { "qemu failed to start", "unsupported machine type",
                                           NULL };

    if (!qemu)
        return;
    def = guestDef("badmachine", "bogus-machine", NULL);
    assertStartFails(f, def, needles);
}

static void testStartFailureDisk(Fixture *f, gconstpointer data)
{
    g_autofree char *qemu = testFindQEMU();
    g_autoptr(vkDomainDef) def = NULL;
    static const char *const needles[] = { "qemu failed to start",
                                           "Could not open '/nonexistent/vk-disk.img'",
                                           "No such file or directory", NULL };

    if (!qemu)
        return;
    def = guestDef("baddisk", "pc",
                   "<disk type='file' device='disk'><driver name='qemu' type='raw'/>"
                   "<source file='/nonexistent/vk-disk.img'/><target dev='vda'/></disk>");
    assertStartFails(f, def, needles);
}

static void testAlreadyRunning(Fixture *f, gconstpointer data)
{
    g_autofree char *qemu = testFindQEMU();
    g_autoptr(vkQEMUProcess) proc = NULL;
    g_autoptr(vkDomainDef) def = NULL;
    g_autoptr(vkQEMURuntime) rt = NULL;
    vkQEMUProcess *second = NULL;

    if (!qemu)
        return;
    proc = startGuest(f, "twice");
    def = guestDef("twice", "pc", NULL);
    rt = vkQEMURuntimeNew(def);
    g_assert_cmpint(vkQEMUProcessStart(&f->paths, def, rt, NULL, 0, &second), ==, -1);
    assertLastError(VIR_ERR_OPERATION_INVALID, "domain 'twice' is already running");
    /* The refused start touched nothing of the running guest. */
    assertRunFiles(f, "twice", TRUE);
    assertQMPStatus(proc, "running");
    assertOK(vkQEMUProcessStop(proc, VIR_DOMAIN_SHUTOFF_DESTROYED, 1000) == 0);
}

/* ---- reconnection ---- */

/* Runs in a forked child: a process that never saw the start. */
static int childReconnect(Fixture *f, const char *name, pid_t expectPid)
{
    g_autoptr(vkQEMUProcess) proc = NULL;
    g_autofree char *status = NULL;
    gboolean running = FALSE;
    int reason = -1;

    if (vkQEMUProcessReconnect(&f->paths, name, &proc, &reason) != VK_QEMU_RECONNECT_RUNNING)
        return 2;
    if (vkQEMUProcessGetPid(proc) != expectPid)
        return 3;
    if (vkQEMUMonitorQueryStatus(vkQEMUProcessGetMonitor(proc), &running, &status) < 0 ||
        !running || !g_str_equal(status, "running"))
        return 4;
    if (vkQEMUProcessGetState(proc, &reason) != VIR_DOMAIN_RUNNING ||
        reason != VIR_DOMAIN_RUNNING_BOOTED)
        return 5;
    return 0;
}

static void testReconnectFromChild(Fixture *f, gconstpointer data)
{
    g_autofree char *qemu = testFindQEMU();
    g_autoptr(vkQEMUProcess) again = NULL;
    vkQEMUProcess *proc;
    pid_t pid, child;
    int status, reason;

    if (!qemu)
        return;
    proc = startGuest(f, "reconnect");
    pid = vkQEMUProcessGetPid(proc);
    /* qemu serves one QMP client at a time: let go of it, as a finished command would. */
    vkQEMUProcessFree(proc);

    child = fork();
    g_assert_cmpint(child, >=, 0);
    if (child == 0)
        _exit(childReconnect(f, "reconnect", pid));
    g_assert_cmpint(waitpid(child, &status, 0), ==, child);
    g_assert_true(WIFEXITED(status));
    g_assert_cmpint(WEXITSTATUS(status), ==, 0);

    g_assert_cmpint(vkQEMUProcessReconnect(&f->paths, "reconnect", &again, &reason), ==,
                    VK_QEMU_RECONNECT_RUNNING);
    g_assert_cmpint(vkQEMUProcessGetPid(again), ==, pid);
    assertOK(vkQEMUProcessStop(again, VIR_DOMAIN_SHUTOFF_DESTROYED, 1000) == 0);
    assertRunFiles(f, "reconnect", FALSE);
    g_clear_pointer(&again, vkQEMUProcessFree);
    g_assert_cmpint(vkQEMUProcessReconnect(&f->paths, "reconnect", &again, &reason), ==,
                    VK_QEMU_RECONNECT_NOT_RUNNING);
}

static void testReconnectAfterKill(Fixture *f, int sig, int expectReason)
{
    g_autofree char *qemu = testFindQEMU();
    g_autoptr(vkQEMUProcess) again = NULL;
    vkQEMUProcess *proc;
    pid_t pid;
    int reason;

    if (!qemu)
        return;
    proc = startGuest(f, "killed");
    pid = vkQEMUProcessGetPid(proc);
    vkQEMUProcessFree(proc);
    killAndWait(pid, sig);

    g_assert_cmpint(vkQEMUProcessReconnect(&f->paths, "killed", &again, &reason), ==,
                    VK_QEMU_RECONNECT_DIED);
    g_assert_null(again);
    g_assert_cmpint(reason, ==, expectReason);
    assertRunFiles(f, "killed", FALSE);
}

static void testReconnectKill9(Fixture *f, gconstpointer data)
{
    testReconnectAfterKill(f, SIGKILL, VIR_DOMAIN_SHUTOFF_CRASHED);
}

static void testReconnectSigterm(Fixture *f, gconstpointer data)
{
    testReconnectAfterKill(f, SIGTERM, VIR_DOMAIN_SHUTOFF_DESTROYED);
}

/* A status file whose pid now belongs to another process (same pid, other start time). */
static void testReconnectPidReuse(Fixture *f, gconstpointer data)
{
    const char *const sleepArgv[] = { "sleep", "60", NULL };
    vkProcessSpawnOptions opts = { .argv = sleepArgv };
    g_autoptr(vkQEMUDomainStatus) st = g_new0(vkQEMUDomainStatus, 1);
    g_autoptr(vkQEMUProcess) proc = NULL;
    g_autofree char *statusPath = runFile(f, "impostor", ".xml");
    g_autofree char *pidPath = runFile(f, "impostor", ".pid");
    unsigned long long realStart;
    pid_t sleeper;
    int reason;

    assertOK(vkProcessSpawn(&opts, &sleeper) == 0);
    assertOK(vkProcessGetStartTime(sleeper, &realStart) == 0);
    st->def = guestDef("impostor", "pc", NULL);
    st->def->id = 1;
    st->state = VIR_DOMAIN_RUNNING;
    st->reason = VIR_DOMAIN_RUNNING_BOOTED;
    st->pid = sleeper;
    st->startTime = realStart + 4242;
    st->monitorPath = runFile(f, "impostor", ".monitor");
    st->emulator = g_strdup("/usr/bin/qemu-system-x86_64");
    st->accel = g_strdup("tcg");
    assertOK(vkFileMakePath(f->runDir, 0755) == 0);
    assertOK(vkQEMUDomainStatusWrite(statusPath, st) == 0);
    assertOK(vkPidFileWrite(pidPath, sleeper) == 0);
    g_assert_true(g_file_set_contents(st->monitorPath, "", 0, NULL));

    g_assert_cmpint(vkQEMUProcessReconnect(&f->paths, "impostor", &proc, &reason), ==,
                    VK_QEMU_RECONNECT_DIED);
    g_assert_cmpint(reason, ==, VIR_DOMAIN_SHUTOFF_CRASHED);
    assertRunFiles(f, "impostor", FALSE);
    /* The stranger with the recycled pid was left alone. */
    g_assert_true(vkProcessIsAlive(sleeper, realStart));
    assertOK(vkProcessKill(sleeper, realStart, 1000) == 0);
}

/* ---- events ---- */

static void handleUntil(vkQEMUProcess *proc, int state)
{
    gint64 deadline = g_get_monotonic_time() + 10 * G_USEC_PER_SEC;

    while (vkQEMUProcessGetState(proc, NULL) != state) {
        g_assert_cmpint(g_get_monotonic_time(), <, deadline);
        assertOK(vkQEMUProcessHandleEvents(proc, 1000) >= 0);
    }
}

static void testEvents(Fixture *f, gconstpointer data)
{
    g_autofree char *qemu = testFindQEMU();
    g_autoptr(vkDomainDef) def = NULL;
    g_autoptr(vkQEMUProcess) proc = NULL;
    g_autoptr(vkQEMUDomainStatus) st = NULL;
    g_autofree char *statusPath = runFile(f, "events", ".xml");
    vkQEMUMonitor *mon;
    pid_t pid;
    int reason;

    if (!qemu)
        return;
    def = guestDef("events", "pc", NULL);
    proc = startDef(f, def, NULL, VK_QEMU_PROCESS_START_PAUSED);
    pid = vkQEMUProcessGetPid(proc);
    mon = vkQEMUProcessGetMonitor(proc);
    g_assert_cmpint(vkQEMUProcessGetState(proc, &reason), ==, VIR_DOMAIN_PAUSED);
    g_assert_cmpint(reason, ==, VIR_DOMAIN_PAUSED_USER);
    assertQMPStatus(proc, "prelaunch");

    assertOK(vkQEMUMonitorCont(mon) == 0);
    handleUntil(proc, VIR_DOMAIN_RUNNING);
    g_assert_cmpint(vkQEMUProcessGetState(proc, &reason), ==, VIR_DOMAIN_RUNNING);
    g_assert_cmpint(reason, ==, VIR_DOMAIN_RUNNING_UNPAUSED);

    assertOK(vkQEMUMonitorStop(mon) == 0);
    handleUntil(proc, VIR_DOMAIN_PAUSED);
    /* The status file follows the events. */
    assertOK(vkQEMUDomainStatusRead(statusPath, &st) == 0);
    g_assert_cmpint(st->state, ==, VIR_DOMAIN_PAUSED);

    assertOK(vkQEMUMonitorSystemReset(mon) == 0);
    g_assert_cmpint(vkQEMUProcessHandleEvents(proc, 2000), >=, 1);
    g_assert_cmpint(vkQEMUProcessGetState(proc, NULL), ==, VIR_DOMAIN_PAUSED);

    /* quit: a SHUTDOWN event, then qemu exits and closes the monitor. */
    assertOK(vkQEMUMonitorQuit(mon) == 0);
    handleUntil(proc, VIR_DOMAIN_SHUTOFF);
    g_assert_cmpint(vkQEMUProcessGetState(proc, &reason), ==, VIR_DOMAIN_SHUTOFF);
    g_assert_cmpint(reason, ==, VIR_DOMAIN_SHUTOFF_SHUTDOWN);
    g_assert_false(vkQEMUProcessIsActive(proc));
    g_assert_false(vkProcessIsAlive(pid, 0));
    assertRunFiles(f, "events", FALSE);
}

/* qemu killed while someone follows its events. */
static void eventsAfterKill(Fixture *f, int sig, int expectReason)
{
    g_autofree char *qemu = testFindQEMU();
    g_autoptr(vkQEMUProcess) proc = NULL;
    int reason;

    if (!qemu)
        return;
    proc = startGuest(f, "crash");
    killAndWait(vkQEMUProcessGetPid(proc), sig);
    handleUntil(proc, VIR_DOMAIN_SHUTOFF);
    g_assert_cmpint(vkQEMUProcessGetState(proc, &reason), ==, VIR_DOMAIN_SHUTOFF);
    g_assert_cmpint(reason, ==, expectReason);
    assertRunFiles(f, "crash", FALSE);
}

static void testEventsCrash(Fixture *f, gconstpointer data)
{
    eventsAfterKill(f, SIGKILL, VIR_DOMAIN_SHUTOFF_CRASHED);
}

static void testEventsSigterm(Fixture *f, gconstpointer data)
{
    eventsAfterKill(f, SIGTERM, VIR_DOMAIN_SHUTOFF_DESTROYED);
}

/* ---- a private network namespace for taps and bridges ---- */

/* Runs BODY in a subprocess that has a network namespace of its own, so bridges and taps
 * never touch the host and vanish with the subprocess. */
static void runInNetns(Fixture *f, void (*body)(Fixture *f))
{
    g_autofree char *qemu = testFindQEMU();

    if (!qemu)
        return;
    if (g_test_subprocess()) {
        if (unshare(CLONE_NEWNET) < 0)
            g_error("unshare(CLONE_NEWNET): %s", g_strerror(errno));
        /* A new namespace's loopback is down, and with it 127.0.0.1 and ::1. */
        assertOK(vkNetDevSetOnline("lo", TRUE) == 0);
        body(f);
        return;
    }
    if (geteuid() != 0) {
        g_test_skip("needs root for a network namespace, bridges and taps");
        return;
    }
    g_test_trap_subprocess(NULL, 300 * G_USEC_PER_SEC,
                           G_TEST_SUBPROCESS_INHERIT_STDERR | G_TEST_SUBPROCESS_INHERIT_STDOUT);
    g_test_trap_assert_passed();
}

static void makeBridge(const char *name)
{
    assertOK(vkNetDevBridgeCreate(name, NULL) == 0);
    assertOK(vkNetDevSetOnline(name, TRUE) == 0);
}

/* TRUE if IFNAME is a port of BRIDGE. Asks netlink ("ip"), not /sys: sysfs shows the
 * namespace it was mounted in, not ours. */
static gboolean linkHasMaster(const char *ifname, const char *bridge)
{
    const char *argv[] = { "ip", "-o", "link", "show", "dev", ifname, NULL };
    g_autofree char *out = NULL;
    g_autofree char *needle = g_strdup_printf(" master %s ", bridge);

    g_assert_true(g_spawn_sync(NULL, (char **)argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, &out,
                               NULL, NULL, NULL));
    return strstr(out, needle) != NULL;
}

static const char tapDevices[] = "<interface type='bridge'><mac address='52:54:00:7a:00:01'/>"
                                 "<source bridge='vkbr0'/><model type='virtio'/></interface>"
                                 "<interface type='network'><mac address='52:54:00:7a:00:02'/>"
                                 "<source network='testnet'/><model type='e1000'/></interface>"
                                 "<interface type='user'><mac address='52:54:00:7a:00:03'/>"
                                 "</interface>";

static vkQEMUProcess *startTapGuest(Fixture *f, const char *name)
{
    g_autoptr(vkDomainDef) def = guestDef(name, "pc", tapDevices);
    g_autoptr(vkQEMURuntime) rt = vkQEMURuntimeNew(def);

    rt->nets[1].bridge = g_strdup("vkbr0");
    return startDef(f, def, rt, 0);
}

static void tapBody(Fixture *f)
{
    g_autoptr(vkQEMUProcess) proc = NULL;
    g_autoptr(vkQEMUProcess) again = NULL;
    const vkQEMUDomainStatus *st;
    unsigned char mac[VK_NETDEV_MAC_LEN];
    char *taps[2] = { NULL, NULL };
    int reason;

    makeBridge("vkbr0");
    proc = startTapGuest(f, "tapguest");
    st = vkQEMUProcessGetStatus(proc);
    g_assert_cmpuint(st->ntaps, ==, 2);
    for (size_t i = 0; i < 2; i++) {
        taps[i] = g_strdup(vkQEMUProcessGetDef(proc)->nets[i]->ifname);
        g_assert_cmpstr(taps[i], ==, st->taps[i].name);
        g_assert_cmpstr(st->taps[i].bridge, ==, "vkbr0");
        g_assert_cmpint(vkNetDevExists(taps[i]), ==, 1);
        g_assert_true(linkHasMaster(taps[i], "vkbr0"));
        assertOK(vkNetDevGetMAC(taps[i], mac) == 0);
        g_assert_cmphex(mac[0], ==, 0xfe);
        g_assert_cmphex(mac[5], ==, i + 1);
    }
    g_assert_null(vkQEMUProcessGetDef(proc)->nets[2]->ifname);
    assertQMPStatus(proc, "running");
    assertOK(vkQEMUProcessStop(proc, VIR_DOMAIN_SHUTOFF_DESTROYED, 1000) == 0);
    for (size_t i = 0; i < 2; i++)
        g_assert_cmpint(vkNetDevExists(taps[i]), ==, 0);

    /* A qemu killed behind our back takes its taps along as well. */
    g_clear_pointer(&proc, vkQEMUProcessFree);
    proc = startTapGuest(f, "tapguest");
    g_free(taps[0]);
    taps[0] = g_strdup(vkQEMUProcessGetDef(proc)->nets[0]->ifname);
    g_assert_cmpint(vkNetDevExists(taps[0]), ==, 1);
    killAndWait(vkQEMUProcessGetPid(proc), SIGKILL);
    g_clear_pointer(&proc, vkQEMUProcessFree);
    g_assert_cmpint(vkQEMUProcessReconnect(&f->paths, "tapguest", &again, &reason), ==,
                    VK_QEMU_RECONNECT_DIED);
    g_assert_cmpint(vkNetDevExists(taps[0]), ==, 0);
    assertRunFiles(f, "tapguest", FALSE);
    g_free(taps[0]);
    g_free(taps[1]);
}

static void testTapBridge(Fixture *f, gconstpointer data)
{
    runInNetns(f, tapBody);
}

static void tapFailureBody(Fixture *f)
{
    g_autoptr(vkDomainDef) def = guestDef("tapfail", "bogus-machine", tapDevices);
    g_autoptr(vkQEMURuntime) rt = vkQEMURuntimeNew(def);
    vkQEMUProcess *proc = NULL;

    makeBridge("vkbr0");
    rt->nets[1].bridge = g_strdup("vkbr0");
    g_assert_cmpint(vkQEMUProcessStart(&f->paths, def, rt, NULL, 0, &proc), ==, -1);
    assertLastError(VIR_ERR_INTERNAL_ERROR, "unsupported machine type");
    /* Nothing may stay attached to the bridge. */
    g_assert_cmpint(vkNetDevExists("vnet0"), ==, 0);
    g_assert_cmpint(vkNetDevExists("vnet1"), ==, 0);
    assertRunFiles(f, "tapfail", FALSE);

    /* An interface of type network that nobody resolved fails before anything starts. */
    g_clear_pointer(&rt->nets[1].bridge, g_free);
    g_free(def->os.machine);
    def->os.machine = g_strdup("pc");
    g_assert_cmpint(vkQEMUProcessStart(&f->paths, def, rt, NULL, 0, &proc), ==, -1);
    assertLastError(VIR_ERR_INTERNAL_ERROR, "network 'testnet' was not resolved to a bridge");
    g_assert_cmpint(vkNetDevExists("vnet0"), ==, 0);
    assertRunFiles(f, "tapfail", FALSE);
}

static void testTapFailure(Fixture *f, gconstpointer data)
{
    runInNetns(f, tapFailureBody);
}

/* ---- every golden command line, run for real ---- */

typedef struct {
    char *dir;        /* scratch files of the case */
    GPtrArray *loops; /* loop devices standing in for block devices */
    int nextPort;     /* TCP ports are handed out upwards from here */
    char *tlsDir;     /* SPICE certificates, NULL without openssl */
    char *kernel;     /* the host's kernel and initrd for direct boot, or NULL */
    char *initrd;
} GoldenEnv;

static gboolean portFree(int port)
{
    struct sockaddr_in6 sa = { .sin6_family = AF_INET6,
                               .sin6_port = htons(port),
                               .sin6_addr = IN6ADDR_ANY_INIT };
    int fd = socket(AF_INET6, SOCK_STREAM | SOCK_CLOEXEC, 0);
    int one = 1;
    gboolean ok;

    g_assert_cmpint(fd, >=, 0);
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
    ok = bind(fd, (struct sockaddr *)&sa, sizeof(sa)) == 0;
    close(fd);
    return ok;
}

static int takePort(GoldenEnv *env)
{
    while (!portFree(env->nextPort))
        env->nextPort++;
    return env->nextPort++;
}

static void runSync(const char *const *argv)
{
    g_autoptr(GError) gerr = NULL;
    int status;

    g_assert_true(
        g_spawn_sync(NULL, (char **)argv, NULL,
                     G_SPAWN_SEARCH_PATH | G_SPAWN_STDOUT_TO_DEV_NULL | G_SPAWN_STDERR_TO_DEV_NULL,
                     NULL, NULL, NULL, NULL, &status, &gerr));
    g_assert_no_error(gerr);
    g_assert_true(g_spawn_check_wait_status(status, NULL));
}

static char *scratchImage(GoldenEnv *env, size_t i, int format)
{
    char *path = g_strdup_printf("%s/disk%zu.img", env->dir, i);

    if (format == VK_DOMAIN_DISK_FORMAT_QCOW2) {
        const char *argv[] = { "qemu-img", "create", "-q", "-f", "qcow2", path, "16M", NULL };
        runSync(argv);
    } else {
        g_autofree char *zeros = g_malloc0(1 << 20);
        g_assert_true(g_file_set_contents(path, zeros, 1 << 20, NULL));
    }
    return path;
}

static char *attachLoop(const char *image)
{
    const char *argv[] = { "losetup", "--find", "--show", image, NULL };
    g_autoptr(GError) gerr = NULL;
    char *out = NULL;
    int status;

    g_assert_true(g_spawn_sync(NULL, (char **)argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, &out,
                               NULL, &status, &gerr));
    g_assert_no_error(gerr);
    g_assert_true(g_spawn_check_wait_status(status, NULL));
    return g_strstrip(out);
}

static void detachLoop(gpointer loop)
{
    const char *argv[] = { "losetup", "--detach", loop, NULL };

    runSync(argv);
    g_free(loop);
}

/* Points everything the definition needs from the host at scratch things: images, log
 * files, sockets, free ports, reachable addresses. The command line keeps its shape. */
static gboolean adaptGolden(GoldenEnv *env, vkDomainDef *def, vkQEMURuntime *rt)
{
    for (size_t i = 0; i < def->ndisks; i++) {
        vkDomainDiskDef *disk = def->disks[i];

        if (!disk->src)
            continue;
        g_free(disk->src);
        disk->src = scratchImage(env, i, disk->format);
        if (disk->type == VK_DOMAIN_DISK_TYPE_BLOCK) {
            char *loop = attachLoop(disk->src);
            g_free(disk->src);
            disk->src = g_strdup(loop);
            g_ptr_array_add(env->loops, loop);
        }
        /* A comma in a path is part of what the golden case checks. */
        if (strchr(def->name, ',') && disk->type == VK_DOMAIN_DISK_TYPE_FILE) {
            g_autofree char *comma = g_strdup_printf("%s/a,b%zu.img", env->dir, i);
            g_assert_cmpint(g_rename(disk->src, comma), ==, 0);
            g_free(disk->src);
            disk->src = g_steal_pointer(&comma);
        }
    }
    for (size_t i = 0; i < def->nserials; i++) {
        if (def->serials[i]->path) {
            g_free(def->serials[i]->path);
            def->serials[i]->path = g_strdup_printf("%s/serial,%zu.log", env->dir, i);
        }
    }
    for (size_t i = 0; i < def->nrngs; i++) {
        if (def->rngs[i]->egdPath) {
            g_free(def->rngs[i]->egdPath);
            def->rngs[i]->egdPath = g_strdup_printf("%s/egd,%zu.sock", env->dir, i);
        }
    }
    for (size_t i = 0; i < def->nchannels; i++) {
        if (def->channels[i]->path) {
            g_free(def->channels[i]->path);
            def->channels[i]->path = g_strdup_printf("%s/channel,%zu.sock", env->dir, i);
        }
    }
    if (def->os.loader.path) {
        g_free(def->os.loader.path);
        def->os.loader.path = scratchImage(env, 100, VK_DOMAIN_DISK_FORMAT_RAW);
    }
    if (def->os.nvram) {
        g_free(def->os.nvram);
        def->os.nvram = scratchImage(env, 101, VK_DOMAIN_DISK_FORMAT_RAW);
    }
    if (def->os.kernel) {
        g_free(def->os.kernel);
        g_free(def->os.initrd);
        def->os.kernel = g_strdup(env->kernel);
        def->os.initrd = g_strdup(env->initrd);
    }
    if (def->cpu && def->cpu->mode == VK_DOMAIN_CPU_MODE_HOST_PASSTHROUGH && !vkQEMUHostHasKVM())
        return FALSE;
    /* Nested KVM often has no SMM, which a Secure Boot firmware needs: TCG has. */
    if (!vkQEMUHostHasKVM() || def->smm == VK_DOMAIN_TRISTATE_YES)
        rt->accel = g_strdup("tcg");
    for (size_t i = 0; i < def->ntpms; i++) {
        vkQemuTPMPaths tpmPaths = { env->dir, env->dir, env->dir };
        g_autofree char *swtpm = g_find_program_in_path("swtpm");

        /* A host TPM to pass through is rare; an emulated one gets its swtpm. */
        if (def->tpms[i]->type == VK_DOMAIN_TPM_TYPE_PASSTHROUGH) {
            if (!g_file_test(def->tpms[i]->path, G_FILE_TEST_EXISTS))
                return FALSE;
            continue;
        }
        if (!swtpm)
            return FALSE;
        assertOK(vkQemuTPMStart(&tpmPaths, def, rt) == 0);
    }
    for (size_t i = 0; i < def->nnets; i++) {
        if (def->nets[i]->type == VK_DOMAIN_NET_TYPE_NETWORK)
            rt->nets[i].bridge = g_strdup("virbr0");
    }
    for (size_t i = 0; i < def->ngraphics; i++) {
        vkDomainGraphicsDef *g = def->graphics[i];
        vkDomainGraphicsListenDef *l = &g->listens[0];
        vkQEMUGraphicsRuntime *rg = &rt->graphics[i];

        if (l->type == VK_DOMAIN_GRAPHICS_LISTEN_TYPE_SOCKET) {
            rg->socket = g_strdup_printf("%s/vnc,%zu.sock", env->dir, i);
            continue;
        }
        if (l->type == VK_DOMAIN_GRAPHICS_LISTEN_TYPE_NONE)
            continue;
        rg->port = takePort(env);
        if (g->websocket)
            rg->websocket = takePort(env);
        if (g->tlsPort) {
            if (!env->tlsDir)
                return FALSE;
            rg->tlsPort = takePort(env);
            rt->spiceTLSDir = g_strdup(env->tlsDir);
        }
        /* The documentation addresses of the golden cases exist on no host. */
        if (l->address && strchr(l->address, ':'))
            rg->address = g_strdup("::1");
        else if (!l->address || !g_str_equal(l->address, "0.0.0.0"))
            rg->address = g_strdup("127.0.0.1");
    }
    return TRUE;
}

static char *makeSpiceCerts(const char *dir)
{
    g_autofree char *openssl = g_find_program_in_path("openssl");
    char *pki = g_build_filename(dir, "pki", NULL);
    g_autofree char *key = g_build_filename(pki, "server-key.pem", NULL);
    g_autofree char *cert = g_build_filename(pki, "server-cert.pem", NULL);
    g_autofree char *ca = g_build_filename(pki, "ca-cert.pem", NULL);
    const char *argv[] = { "openssl", "req",     "-x509", "-newkey",    "rsa:2048",
                           "-nodes",  "-keyout", key,     "-out",       cert,
                           "-days",   "1",       "-subj", "/CN=vktest", NULL };
    g_autofree char *pem = NULL;

    if (!openssl) {
        g_free(pki);
        return NULL;
    }
    g_assert_cmpint(g_mkdir_with_parents(pki, 0700), ==, 0);
    runSync(argv);
    g_assert_true(g_file_get_contents(cert, &pem, NULL, NULL));
    g_assert_true(g_file_set_contents(ca, pem, -1, NULL));
    return pki;
}

/* The smallest kernel qemu's -kernel loads: a multiboot header with explicit load addresses
 * in front of "hlt; jmp $-1". The guest never runs here; loading it is the test. */
static char *makeMultibootKernel(const char *dir)
{
    guint32 image[16] = { 0 };
    guint8 *code = (guint8 *)&image[8];
    char *path = g_build_filename(dir, "kernel,mb", NULL);

    image[0] = GUINT32_TO_LE(0x1BADB002); /* magic */
    image[1] = GUINT32_TO_LE(0x00010000); /* flags: the address fields below are valid */
    image[2] = GUINT32_TO_LE(-(0x1BADB002u + 0x00010000u));
    image[3] = GUINT32_TO_LE(0x100000); /* header_addr */
    image[4] = GUINT32_TO_LE(0x100000); /* load_addr */
    image[5] = 0;                       /* load_end_addr: the whole file */
    image[6] = 0;                       /* bss_end_addr: none */
    image[7] = GUINT32_TO_LE(0x100020); /* entry_addr: the code below */
    code[0] = 0xf4, code[1] = 0xeb, code[2] = 0xfd;
    g_assert_true(g_file_set_contents(path, (const char *)image, sizeof(image), NULL));
    return path;
}

/* Every channel is a chardev of the running qemu (query-chardev), a unix one at the path of
 * the live definition (the driver's choice when the XML names none). */
static void assertChardevs(vkQEMUMonitor *mon, const vkDomainDef *def)
{
    json_object *reply = NULL;
    g_autofree char *text = NULL;

    if (def->nchannels == 0)
        return;
    assertOK(vkQEMUMonitorCommand(mon, "query-chardev", NULL, 5000, &reply, NULL) == 0);
    text = g_strdup(json_object_to_json_string(reply));
    for (size_t i = 0; i < def->nchannels; i++) {
        g_autofree char *label = g_strdup_printf("\"charchannel%zu\"", i);

        if (!strstr(text, label))
            g_error("%s missing from query-chardev: %s", label, text);
        if (def->channels[i]->type == VK_DOMAIN_CHR_TYPE_UNIX)
            g_assert_true(g_file_test(def->channels[i]->path, G_FILE_TEST_EXISTS));
    }
    json_object_put(reply);
}

/* Sound cards, USB redirectors and RNGs are devices of the running qemu (qom-list of
 * /machine/peripheral, where devices with an id live). */
static void assertPeripherals(vkQEMUMonitor *mon, const vkDomainDef *def)
{
    g_autoptr(GPtrArray) want = g_ptr_array_new_with_free_func(g_free);
    json_object *args, *reply = NULL;
    g_autofree char *text = NULL;

    for (size_t i = 0; i < def->nsounds; i++)
        g_ptr_array_add(want, g_strdup_printf("\"sound%zu\"", i));
    for (size_t i = 0; i < def->nredirdevs; i++)
        g_ptr_array_add(want, g_strdup_printf("\"redir%zu\"", i));
    for (size_t i = 0; i < def->nrngs; i++)
        g_ptr_array_add(want, g_strdup_printf("\"rng%zu\"", i));
    if (!want->len)
        return;
    args = json_object_new_object();
    json_object_object_add(args, "path", json_object_new_string("/machine/peripheral"));
    assertOK(vkQEMUMonitorCommand(mon, "qom-list", args, 5000, &reply, NULL) == 0);
    json_object_put(args);
    text = g_strdup(json_object_to_json_string(reply));
    for (guint i = 0; i < want->len; i++) {
        if (!strstr(text, want->pdata[i]))
            g_error("%s missing from /machine/peripheral: %s", (char *)want->pdata[i], text);
    }
    json_object_put(reply);
}

/* ID's "port" property in the running qemu is the port of its USB address. */
static void assertUSBPort(vkQEMUMonitor *mon, const char *id, const vkDomainDeviceInfo *info)
{
    g_autofree char *path = g_strdup_printf("/machine/peripheral/%s", id);
    g_autofree char *want = g_strdup_printf("%u", info->addr.usb.port);
    json_object *args = json_object_new_object(), *reply = NULL;

    if (info->addr.type != VK_DOMAIN_ADDRESS_TYPE_USB || !info->addr.usb.port) {
        json_object_put(args);
        return;
    }
    json_object_object_add(args, "path", json_object_new_string(path));
    json_object_object_add(args, "property", json_object_new_string("port"));
    assertOK(vkQEMUMonitorCommand(mon, "qom-get", args, 5000, &reply, NULL) == 0);
    json_object_put(args);
    g_assert_cmpstr(json_object_get_string(reply), ==, want);
    json_object_put(reply);
}

/* USB inputs and redirectors sit on the ports the definition gives them. */
static void assertUSBPorts(vkQEMUMonitor *mon, const vkDomainDef *def)
{
    for (size_t i = 0; i < def->ninputs; i++) {
        g_autofree char *id = g_strdup_printf("input%zu", i);

        if (def->inputs[i]->bus == VK_DOMAIN_INPUT_BUS_USB)
            assertUSBPort(mon, id, &def->inputs[i]->info);
    }
    for (size_t i = 0; i < def->nredirdevs; i++) {
        g_autofree char *id = g_strdup_printf("redir%zu", i);

        assertUSBPort(mon, id, &def->redirdevs[i]->info);
    }
}

/* PROP of the QOM object at PATH. */
static json_object *qomGet(vkQEMUMonitor *mon, const char *path, const char *prop)
{
    json_object *args = json_object_new_object(), *reply = NULL;

    json_object_object_add(args, "path", json_object_new_string(path));
    json_object_object_add(args, "property", json_object_new_string(prop));
    assertOK(vkQEMUMonitorCommand(mon, "qom-get", args, 5000, &reply, NULL) == 0);
    json_object_put(args);
    return reply;
}

/* The first vCPU of the running qemu has the vendor and the features the custom CPU of DEF
 * requires (on) or refuses (off), under qemu's names (lahf_lm: lahf-lm). Nested KVM may not
 * offer every feature of a model: the golden case requires ones it does. */
static void assertCPUFeatures(vkQEMUMonitor *mon, const vkDomainDef *def)
{
    const vkDomainCPUDef *cpu = def->cpu;
    json_object *cpus = NULL, *reply;
    g_autofree char *path = NULL;

    if (!cpu || cpu->mode != VK_DOMAIN_CPU_MODE_CUSTOM || (!cpu->nfeatures && !cpu->vendorId))
        return;
    assertOK(vkQEMUMonitorCommand(mon, "query-cpus-fast", NULL, 5000, &cpus, NULL) == 0);
    path = g_strdup(json_object_get_string(
        json_object_object_get(json_object_array_get_idx(cpus, 0), "qom-path")));
    json_object_put(cpus);
    if (cpu->vendorId) {
        reply = qomGet(mon, path, "vendor");
        g_assert_cmpstr(json_object_get_string(reply), ==, cpu->vendorId);
        json_object_put(reply);
    }
    for (size_t i = 0; i < cpu->nfeatures; i++) {
        const vkDomainCPUFeatureDef *f = &cpu->features[i];
        g_autofree char *name = g_strdelimit(g_strdup(f->name), "_", '-');
        gboolean on =
            f->policy == VK_DOMAIN_CPU_FEATURE_REQUIRE || f->policy == VK_DOMAIN_CPU_FEATURE_FORCE;

        if (f->policy == VK_DOMAIN_CPU_FEATURE_OPTIONAL)
            continue;
        reply = qomGet(mon, path, name);
        if (json_object_get_boolean(reply) != on)
            g_error("CPU feature %s is %s in qemu", name, on ? "off" : "on");
        json_object_put(reply);
    }
}

/* <vcpu cpuset=...>: qemu and every one of its threads (vcpus included) run on those CPUs. */
static void assertAffinity(pid_t pid, const vkBitmap *cpus)
{
    g_autofree char *taskDir = g_strdup_printf("/proc/%d/task", pid);
    g_autoptr(GDir) tasks = g_dir_open(taskDir, 0, NULL);
    const char *tid;
    guint n = 0;

    g_assert_nonnull(tasks);
    while ((tid = g_dir_read_name(tasks))) {
        cpu_set_t set;

        CPU_ZERO(&set);
        g_assert_cmpint(sched_getaffinity(atoi(tid), sizeof(set), &set), ==, 0);
        for (unsigned int cpu = 0; cpu < CPU_SETSIZE; cpu++)
            g_assert_cmpint(!!CPU_ISSET(cpu, &set), ==, vkBitmapIsSet(cpus, cpu));
        n++;
    }
    g_assert_cmpuint(n, >, 1);
}

static gboolean runGoldenCase(Fixture *f, GoldenEnv *env, const char *xmlPath)
{
    g_autoptr(vkDomainDef) def = vkDomainDefParseFile(xmlPath, VK_DOMAIN_DEF_PARSE_INACTIVE);
    g_autofree char *base = g_path_get_basename(xmlPath);
    g_autoptr(vkQEMURuntime) rt = NULL;
    g_autoptr(vkQEMUProcess) proc = NULL;
    g_autofree char *status = NULL;
    g_autofree char *channelDir = NULL;
    gboolean running;

    assertOK(def != NULL);
    /* As qemucommandtest builds them: from the definition the driver stores. */
    if (g_str_has_prefix(base, "defaults-"))
        assertOK(testQEMUPostParse(def) == 0);
    rt = vkQEMURuntimeNew(def);
    if (!adaptGolden(env, def, rt)) {
        g_printerr("%s: not runnable on this host, skipped\n", xmlPath);
        return TRUE;
    }
    if (vkQEMUProcessStart(&f->paths, def, rt, NULL, VK_QEMU_PROCESS_START_PAUSED, &proc) < 0) {
        const char *msg = virGetLastError()->message;
        /* Nested KVM on some hosts cannot run the host's own CPU model at all. */
        gboolean hostLimit = strstr(msg, "failed to set MSR") != NULL;

        /* The subprocess's messages are not shown; stderr is. */
        g_printerr("%s: %s%s\n", xmlPath, hostLimit ? "host cannot run this CPU, skipped: " : "",
                   msg);
        vkResetLastError();
        if (def->ntpms) {
            vkQemuTPMPaths tpmPaths = { env->dir, env->dir, env->dir };

            vkQemuTPMStop(&tpmPaths, def->name);
        }
        return hostLimit;
    }
    assertOK(vkQEMUMonitorQueryStatus(vkQEMUProcessGetMonitor(proc), &running, &status) == 0);
    g_assert_cmpstr(status, ==, "prelaunch");
    if (def->cpumask)
        assertAffinity(vkQEMUProcessGetPid(proc), def->cpumask);
    assertChardevs(vkQEMUProcessGetMonitor(proc), vkQEMUProcessGetDef(proc));
    assertPeripherals(vkQEMUProcessGetMonitor(proc), def);
    assertUSBPorts(vkQEMUProcessGetMonitor(proc), def);
    assertCPUFeatures(vkQEMUProcessGetMonitor(proc), def);
    assertOK(vkQEMUProcessStop(proc, VIR_DOMAIN_SHUTOFF_DESTROYED, 2000) == 0);
    if (def->ntpms) {
        vkQemuTPMPaths tpmPaths = { env->dir, env->dir, env->dir };

        assertOK(vkQemuTPMStop(&tpmPaths, def->name) == 0);
    }
    assertRunFiles(f, def->name, FALSE);
    /* The channel sockets the driver placed go with qemu. */
    channelDir = runFile(f, def->name, ".channel");
    if (g_file_test(channelDir, G_FILE_TEST_EXISTS))
        g_error("%s is still there", channelDir);
    return TRUE;
}

static void goldenBody(Fixture *f)
{
    g_autoptr(GDir) dir = g_dir_open(QEMU_TEST_DATA, 0, NULL);
    g_autoptr(GPtrArray) failed = g_ptr_array_new_with_free_func(g_free);
    GoldenEnv env = { .dir = g_build_filename(f->root, "golden", NULL), .nextPort = 5950 };

    env.loops = g_ptr_array_new_with_free_func(detachLoop);
    const char *entry;
    guint ran = 0;

    g_assert_cmpint(g_mkdir_with_parents(env.dir, 0700), ==, 0);
    env.tlsDir = makeSpiceCerts(env.dir);
    env.kernel = makeMultibootKernel(env.dir);
    env.initrd = scratchImage(&env, 99, VK_DOMAIN_DISK_FORMAT_RAW);
    makeBridge("virbr0");
    makeBridge("br0");
    /* SPICE resolves its listen address with AI_ADDRCONFIG, which wants an address of the
     * family on an interface other than loopback. */
    assertOK(vkNetDevAddAddress("virbr0", "192.0.2.1", 24, 0) == 0);
    assertOK(vkNetDevAddAddress("virbr0", "2001:db8::1", 64, VK_NETDEV_ADDR_NODAD) == 0);
    g_assert_nonnull(dir);
    while ((entry = g_dir_read_name(dir))) {
        g_autofree char *path = g_build_filename(QEMU_TEST_DATA, entry, NULL);
        g_autofree char *errPath = NULL;

        if (!g_str_has_suffix(entry, ".xml"))
            continue;
        errPath = g_strdup_printf("%.*s.err", (int)strlen(path) - 4, path);
        if (g_file_test(errPath, G_FILE_TEST_EXISTS))
            continue;
        if (!runGoldenCase(f, &env, path))
            g_ptr_array_add(failed, g_strdup(entry));
        g_ptr_array_set_size(env.loops, 0);
        ran++;
    }
    g_test_message("%u golden cases started in qemu", ran);
    if (failed->len) {
        g_ptr_array_add(failed, NULL);
        g_error("qemu refused: %s", g_strjoinv(" ", (char **)failed->pdata));
    }
    g_ptr_array_unref(env.loops);
    g_free(env.dir);
    g_free(env.tlsDir);
    g_free(env.kernel);
    g_free(env.initrd);
}

static void testGoldenRun(Fixture *f, gconstpointer data)
{
    runInNetns(f, goldenBody);
}

/* ---- timings ---- */

static int compareDoubles(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;

    return x < y ? -1 : x > y;
}

static double median(double *v, size_t n)
{
    qsort(v, n, sizeof(*v), compareDoubles);
    return v[n / 2];
}

/* One line of JSON from the QMP socket; crude, but this is the baseline, not the product. */
static void qmpExpect(FILE *fp, const char *needle)
{
    char line[4096];

    while (fgets(line, sizeof(line), fp)) {
        if (strstr(line, needle))
            return;
    }
    g_error("QMP closed before \"%s\"", needle);
}

/* What a script would do: fork/exec qemu, poll for its socket, QMP cont, kill. */
static void launchByHand(char **argv, const char *socketPath, double *startMs, double *stopMs)
{
    struct sockaddr_un sa = { .sun_family = AF_UNIX };
    gint64 t0 = g_get_monotonic_time(), delay = 1000;
    FILE *fp;
    pid_t pid;
    int fd, status;

    g_strlcpy(sa.sun_path, socketPath, sizeof(sa.sun_path));
    pid = fork();
    g_assert_cmpint(pid, >=, 0);
    if (pid == 0) {
        int null = open("/dev/null", O_RDWR);
        dup2(null, 0), dup2(null, 1), dup2(null, 2);
        execv(argv[0], argv);
        _exit(127);
    }
    fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    while (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
        g_assert_cmpint(g_get_monotonic_time() - t0, <, 30 * G_USEC_PER_SEC);
        g_usleep(delay);
        delay = MIN(delay * 2, 20000);
    }
    fp = fdopen(fd, "r+");
    qmpExpect(fp, "\"QMP\"");
    fputs("{\"execute\":\"qmp_capabilities\"}\n", fp);
    fflush(fp);
    qmpExpect(fp, "\"return\"");
    fputs("{\"execute\":\"cont\"}\n", fp);
    fflush(fp);
    qmpExpect(fp, "\"return\"");
    *startMs = testElapsedMs(t0);
    t0 = g_get_monotonic_time();
    fclose(fp);
    kill(pid, SIGTERM);
    g_assert_cmpint(waitpid(pid, &status, 0), ==, pid);
    *stopMs = testElapsedMs(t0);
    unlink(socketPath);
}

#define TIMING_RUNS 9

static void measure(Fixture *f, const char *type)
{
    double vkStart[TIMING_RUNS], vkStop[TIMING_RUNS];
    double handStart[TIMING_RUNS], handStop[TIMING_RUNS];
    g_autoptr(vkDomainDef) def = guestDefOfType(type, "timing", "pc", NULL);
    g_autoptr(vkQEMURuntime) rt = vkQEMURuntimeNew(def);
    g_auto(GStrv) argv = NULL;
    g_autofree char *socketPath = g_build_filename(f->root, "hand.monitor", NULL);

    /* The same command line, but qemu creates its socket and the launcher polls for it. */
    rt->monitorPath = g_strdup(socketPath);
    argv = vkQEMUBuildCommandLine(def, rt, NULL);
    assertOK(argv != NULL);
    for (int i = 0; i < TIMING_RUNS; i++) {
        g_autoptr(vkQEMURuntime) runRt = vkQEMURuntimeNew(def);
        g_autoptr(vkQEMUProcess) proc = NULL;
        gint64 t0 = g_get_monotonic_time();

        assertOK(vkQEMUProcessStart(&f->paths, def, runRt, NULL, 0, &proc) == 0);
        vkStart[i] = testElapsedMs(t0);
        t0 = g_get_monotonic_time();
        assertOK(vkQEMUProcessStop(proc, VIR_DOMAIN_SHUTOFF_DESTROYED,
                                   VK_QEMU_PROCESS_STOP_GRACE_MS) == 0);
        vkStop[i] = testElapsedMs(t0);
        launchByHand(argv, socketPath, &handStart[i], &handStop[i]);
    }
    g_test_message("timing (%s, median of %d): start %.1f ms (by hand %.1f ms), "
                   "stop %.1f ms (by hand %.1f ms)",
                   g_str_equal(type, "kvm") ? "kvm" : "tcg", TIMING_RUNS,
                   median(vkStart, TIMING_RUNS), median(handStart, TIMING_RUNS),
                   median(vkStop, TIMING_RUNS), median(handStop, TIMING_RUNS));
}

static void testTimings(Fixture *f, gconstpointer data)
{
    g_autofree char *qemu = testFindQEMU();

    if (!qemu)
        return;
    if (vkQEMUHostHasKVM())
        measure(f, "kvm");
    measure(f, "qemu");
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
#define ADD(path, fn) g_test_add(path, Fixture, NULL, fixtureSetup, fn, fixtureTeardown)
    ADD("/qemu/process/start-stop", testStartStop);
    ADD("/qemu/process/start-failure/machine", testStartFailureMachine);
    ADD("/qemu/process/start-failure/disk", testStartFailureDisk);
    ADD("/qemu/process/start-failure/already-running", testAlreadyRunning);
    ADD("/qemu/process/reconnect/child", testReconnectFromChild);
    ADD("/qemu/process/reconnect/kill-9", testReconnectKill9);
    ADD("/qemu/process/reconnect/sigterm", testReconnectSigterm);
    ADD("/qemu/process/reconnect/pid-reuse", testReconnectPidReuse);
    ADD("/qemu/process/events/lifecycle", testEvents);
    ADD("/qemu/process/events/crash", testEventsCrash);
    ADD("/qemu/process/events/sigterm", testEventsSigterm);
    ADD("/qemu/process/tap/bridge", testTapBridge);
    ADD("/qemu/process/tap/failure", testTapFailure);
    ADD("/qemu/process/golden-cases-run", testGoldenRun);
    ADD("/qemu/process/timings", testTimings);
#undef ADD
    return g_test_run();
}

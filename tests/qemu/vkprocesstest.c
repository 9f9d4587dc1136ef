/* Tests for vkprocess: detaching that outlives the caller, descriptor passing, log files, pid
 * files, start-time identity and SIGTERM-to-SIGKILL escalation. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include "qemutestutil.h"
#include "util/vkprocess.h"

typedef struct {
    char *dir;
} Fixture;

static void fixtureSetup(Fixture *f, gconstpointer data)
{
    f->dir = testMakeTmpDir("vkprocesstest-XXXXXX");
}

static void fixtureTeardown(Fixture *f, gconstpointer data)
{
    testRemoveTree(f->dir);
    g_free(f->dir);
}

static char *readFile(const char *path)
{
    char *text = NULL;

    g_assert_true(g_file_get_contents(path, &text, NULL, NULL));
    return text;
}

/* Waits until PATH contains NEEDLE: the program has got past the point that prints it. */
static void waitForText(const char *path, const char *needle)
{
    gint64 deadline = g_get_monotonic_time() + 10 * G_USEC_PER_SEC;

    while (g_get_monotonic_time() < deadline) {
        g_autofree char *text = NULL;
        if (g_file_get_contents(path, &text, NULL, NULL) && strstr(text, needle))
            return;
        g_usleep(5000);
    }
    g_error("'%s' never appeared in %s", needle, path);
}

/* The parent pid and session id of PID: fields 4 and 6 of /proc/PID/stat. */
static void readParentAndSession(pid_t pid, int *ppid, int *sid)
{
    g_autofree char *path = g_strdup_printf("/proc/%d/stat", (int)pid);
    g_autofree char *stat = readFile(path);
    const char *rest = strrchr(stat, ')');
    char state;

    g_assert_nonnull(rest);
    g_assert_cmpint(sscanf(rest + 2, "%c %d %*d %d", &state, ppid, sid), ==, 3);
}

static pid_t spawnSimple(const char *const *argv, const char *log, gboolean detach)
{
    vkProcessSpawnOptions opts = { .argv = argv, .logFile = log, .detach = detach };
    pid_t pid = 0;

    assertOK(vkProcessSpawn(&opts, &pid) == 0);
    g_assert_cmpint(pid, >, 1);
    return pid;
}

static void testLogAppended(Fixture *f, gconstpointer data)
{
    g_autofree char *log = g_build_filename(f->dir, "out.log", NULL);
    const char *argv[] = { "sh", "-c", "echo to-stdout; echo to-stderr >&2; read x; echo read=$x",
                           NULL };
    g_autofree char *text = NULL;
    pid_t pid;

    g_assert_true(g_file_set_contents(log, "earlier line\n", -1, NULL));
    pid = spawnSimple(argv, log, FALSE);
    g_assert_cmpint(vkProcessWaitExit(pid, 0, 10000), ==, 0);

    /* stdin is /dev/null, so read gets nothing and the program does not hang. */
    text = readFile(log);
    g_assert_cmpstr(text, ==, "earlier line\nto-stdout\nto-stderr\nread=\n");
    /* The child was reaped: it is no longer ours to wait for. */
    g_assert_cmpint(waitpid(pid, NULL, WNOHANG), ==, -1);
    g_assert_cmpint(errno, ==, ECHILD);
}

static void testExecFailures(Fixture *f, gconstpointer data)
{
    g_autofree char *script = g_build_filename(f->dir, "not-executable", NULL);
    const char *missing[] = { "/nonexistent/program", NULL };
    const char *unknown[] = { "virtkit-no-such-program", NULL };
    const char *noexec[] = { script, NULL };
    vkProcessSpawnOptions opts = { .argv = missing };
    pid_t pid = 0;

    g_assert_cmpint(vkProcessSpawn(&opts, &pid), ==, -1);
    assertLastError(VIR_ERR_SYSTEM_ERROR, "cannot execute '/nonexistent/program'");

    opts.argv = unknown;
    g_assert_cmpint(vkProcessSpawn(&opts, &pid), ==, -1);
    assertLastError(VIR_ERR_SYSTEM_ERROR, "cannot find 'virtkit-no-such-program' in PATH");

    /* Detached, the failure comes from the grandchild and must still reach us. */
    g_assert_true(g_file_set_contents(script, "#!/bin/sh\n", -1, NULL));
    opts.argv = noexec;
    opts.detach = TRUE;
    g_assert_cmpint(vkProcessSpawn(&opts, &pid), ==, -1);
    assertLastError(VIR_ERR_SYSTEM_ERROR, "Permission denied");
}

static void testDetachSurvivesParent(Fixture *f, gconstpointer data)
{
    g_autofree char *pidFile = g_build_filename(f->dir, "sleep.pid", NULL);
    const char *argv[] = { "sleep", "100", NULL };
    unsigned long long startTime;
    int status;
    int ppid;
    int sid;
    pid_t caller;
    pid_t pid;

    /* The caller is a short-lived process, as the shell is: it spawns and exits at once. */
    if ((caller = fork()) == 0) {
        vkProcessSpawnOptions opts = { .argv = argv, .pidFile = pidFile, .detach = TRUE };
        pid_t child;
        _exit(vkProcessSpawn(&opts, &child) == 0 ? 0 : 1);
    }
    g_assert_cmpint(waitpid(caller, &status, 0), ==, caller);
    g_assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);

    assertOK(vkPidFileRead(pidFile, &pid) == 0);
    g_assert_cmpint(pid, >, 1);
    g_assert_true(vkProcessIsAlive(pid, 0));
    assertOK(vkProcessGetStartTime(pid, &startTime) == 0);

    readParentAndSession(pid, &ppid, &sid);
    g_assert_cmpint(ppid, !=, caller);
    g_assert_cmpint(ppid, !=, getpid());
    g_assert_cmpint(sid, !=, getsid(0));

    /* Not our child: vkProcessKill has to watch /proc rather than waitpid. */
    assertOK(vkProcessKill(pid, startTime, 5000) == 0);
    g_assert_false(vkProcessIsAlive(pid, startTime));
}

static void testIdentity(Fixture *f, gconstpointer data)
{
    const char *argv[] = { "sleep", "100", NULL };
    g_auto(GStrv) cmdline = NULL;
    unsigned long long startTime;
    pid_t pid = spawnSimple(argv, NULL, TRUE);

    assertOK(vkProcessGetStartTime(pid, &startTime) == 0);
    g_assert_cmpuint(startTime, >, 0);
    g_assert_true(vkProcessIsAlive(pid, startTime));
    g_assert_true(vkProcessIsAlive(pid, 0));
    g_assert_false(vkProcessIsAlive(pid, startTime + 1));

    cmdline = vkProcessGetCmdline(pid);
    assertOK(cmdline != NULL);
    g_assert_cmpuint(g_strv_length(cmdline), ==, 2);
    g_assert_cmpstr(cmdline[0], ==, "sleep");
    g_assert_cmpstr(cmdline[1], ==, "100");

    /* A start time that does not match means another process owns the pid now: it must
     * be left alone, and for us the old process is gone. */
    assertOK(vkProcessKill(pid, startTime + 1, 100) == 0);
    g_assert_true(vkProcessIsAlive(pid, startTime));

    /* Until init reaps it, the killed process lingers as a zombie, which counts as gone. */
    assertOK(vkProcessKill(pid, startTime, 5000) == 0);
    g_assert_false(vkProcessIsAlive(pid, 0));
}

/* A stopped process answers nobody: looks at a stopped qemu must not wait for it. */
static void testStopped(Fixture *f, gconstpointer data)
{
    const char *argv[] = { "sleep", "100", NULL };
    unsigned long long startTime;
    pid_t pid = spawnSimple(argv, NULL, TRUE);

    assertOK(vkProcessGetStartTime(pid, &startTime) == 0);
    g_assert_false(vkProcessIsStopped(pid, startTime));
    g_assert_cmpint(kill(pid, SIGSTOP), ==, 0);
    for (int i = 0; i < 500 && !vkProcessIsStopped(pid, startTime); i++)
        g_usleep(10000);
    g_assert_true(vkProcessIsStopped(pid, startTime));
    g_assert_true(vkProcessIsStopped(pid, 0));
    g_assert_false(vkProcessIsStopped(pid, startTime + 1));
    g_assert_true(vkProcessIsAlive(pid, startTime));
    g_assert_cmpint(kill(pid, SIGCONT), ==, 0);
    for (int i = 0; i < 500 && vkProcessIsStopped(pid, startTime); i++)
        g_usleep(10000);
    g_assert_false(vkProcessIsStopped(pid, startTime));
    assertOK(vkProcessKill(pid, startTime, 5000) == 0);
    g_assert_false(vkProcessIsStopped(pid, 0));
}

static void testIdentityOfReaped(Fixture *f, gconstpointer data)
{
    const char *argv[] = { "true", NULL };
    unsigned long long startTime;
    pid_t pid = spawnSimple(argv, NULL, FALSE);

    /* Our own child, reaped here: its pid names nothing any more. */
    g_assert_cmpint(vkProcessWaitExit(pid, 0, 10000), ==, 0);
    g_assert_false(vkProcessIsAlive(pid, 0));
    g_assert_cmpint(vkProcessGetStartTime(pid, &startTime), ==, -1);
    assertLastError(VIR_ERR_SYSTEM_ERROR, "No such process");
    g_assert_null(vkProcessGetCmdline(pid));
    assertLastError(VIR_ERR_SYSTEM_ERROR, "No such process");
}

static void testKillEscalates(Fixture *f, gconstpointer data)
{
    g_autofree char *log = g_build_filename(f->dir, "stubborn.log", NULL);
    /* The shell only sets up the ignored SIGTERM; exec keeps it ignored in sleep. */
    const char *argv[] = { "sh", "-c", "trap '' TERM; echo ready; exec sleep 100", NULL };
    unsigned long long startTime;
    gint64 start;
    double ms;
    pid_t pid = spawnSimple(argv, log, TRUE);

    assertOK(vkProcessGetStartTime(pid, &startTime) == 0);
    waitForText(log, "ready");

    start = g_get_monotonic_time();
    assertOK(vkProcessKill(pid, startTime, 300) == 0);
    ms = testElapsedMs(start);
    g_assert_false(vkProcessIsAlive(pid, startTime));
    g_assert_cmpfloat(ms, >=, 300);
    g_assert_cmpfloat(ms, <, 5000);
    g_test_message("ignored SIGTERM: killed after %.0f ms (grace 300 ms)", ms);
}

static void testKillOwnChild(Fixture *f, gconstpointer data)
{
    const char *argv[] = { "sleep", "100", NULL };
    gint64 start;
    pid_t pid = spawnSimple(argv, NULL, FALSE);

    start = g_get_monotonic_time();
    assertOK(vkProcessKill(pid, 0, 5000) == 0);
    g_assert_cmpfloat(testElapsedMs(start), <, 1000);
    /* Reaped, not left a zombie. */
    g_assert_cmpint(waitpid(pid, NULL, WNOHANG), ==, -1);
    g_assert_cmpint(errno, ==, ECHILD);

    /* Already gone is fine; signalling init or a process group never is. */
    assertOK(vkProcessKill(pid, 0, 0) == 0);
    g_assert_cmpint(vkProcessKill(0, 0, 0), ==, -1);
    assertLastError(VIR_ERR_INVALID_ARG, "refusing to kill process 0");
    g_assert_cmpint(vkProcessKill(1, 0, 0), ==, -1);
    assertLastError(VIR_ERR_INVALID_ARG, "refusing to kill process 1");
}

/* Moves FD to a number at or above 30, out of the way of the targets 7 and 8. */
static int moveHigh(int fd)
{
    int high = fcntl(fd, F_DUPFD, 30);

    g_assert_cmpint(high, >=, 30);
    close(fd);
    return high;
}

static void testPassFds(Fixture *f, gconstpointer data)
{
    g_autofree char *log = g_build_filename(f->dir, "fds.log", NULL);
    const char *argv[] = { "sh", "-c", "echo one >&7; echo two >&8; ls /proc/$$/fd", NULL };
    /* Our 7 and 8 are asked for swapped: both must be moved aside before either is placed,
     * or placing the first would close the second. */
    const vkProcessFd fds[] = { { 7, 8 }, { 8, 7 } };
    vkProcessSpawnOptions opts = {
        .argv = argv, .logFile = log, .fds = fds, .nfds = G_N_ELEMENTS(fds), .detach = TRUE
    };
    g_autofree char *text = NULL;
    g_autofree char *joined = NULL;
    g_auto(GStrv) listed = NULL;
    int a[2];
    int b[2];
    int leaked;
    char buf[16];
    pid_t pid;

    g_assert_cmpint(pipe(a), ==, 0);
    g_assert_cmpint(pipe(b), ==, 0);
    a[0] = moveHigh(a[0]);
    b[0] = moveHigh(b[0]);
    g_assert_cmpint(dup2(a[1], 7), ==, 7);
    g_assert_cmpint(dup2(b[1], 8), ==, 8);
    if (a[1] != 7 && a[1] != 8)
        close(a[1]);
    if (b[1] != 7 && b[1] != 8)
        close(b[1]);
    /* Deliberately inheritable: the program must still not see it. */
    leaked = open("/dev/null", O_RDONLY);
    g_assert_cmpint(leaked, >=, 0);

    assertOK(vkProcessSpawn(&opts, &pid) == 0);
    close(7);
    close(8);
    g_assert_cmpint(vkProcessWaitExit(pid, 0, 10000), ==, 0);

    /* Program's 7 is our 8, b's write end; program's 8 is our 7, a's. */
    g_assert_cmpint(read(b[0], buf, sizeof(buf)), ==, 4);
    g_assert_cmpint(memcmp(buf, "one\n", 4), ==, 0);
    g_assert_cmpint(read(a[0], buf, sizeof(buf)), ==, 4);
    g_assert_cmpint(memcmp(buf, "two\n", 4), ==, 0);

    text = readFile(log);
    listed = g_strsplit(g_strstrip(text), "\n", -1);
    joined = g_strjoinv(" ", listed);
    g_assert_cmpstr(joined, ==, "0 1 2 7 8");

    close(a[0]);
    close(b[0]);
    close(leaked);
}

static void testBadFdTargets(Fixture *f, gconstpointer data)
{
    const char *argv[] = { "true", NULL };
    vkProcessFd low[] = { { 0, 2 } };
    vkProcessFd twice[] = { { 0, 5 }, { 1, 5 } };
    vkProcessSpawnOptions opts = { .argv = argv, .fds = low, .nfds = 1 };
    pid_t pid;

    g_assert_cmpint(vkProcessSpawn(&opts, &pid), ==, -1);
    assertLastError(VIR_ERR_INVALID_ARG, "targets start at 3");
    opts.fds = twice;
    opts.nfds = 2;
    g_assert_cmpint(vkProcessSpawn(&opts, &pid), ==, -1);
    assertLastError(VIR_ERR_INVALID_ARG, "descriptor number 5 is requested twice");
}

static void testSignalsReset(Fixture *f, gconstpointer data)
{
    g_autofree char *log = g_build_filename(f->dir, "sig.log", NULL);
    const char *argv[] = { "grep", "-E", "^Sig(Blk|Ign)", "/proc/self/status", NULL };
    g_autofree char *text = NULL;
    struct sigaction ign = { .sa_handler = SIG_IGN };
    struct sigaction oldPipe;
    sigset_t block;
    sigset_t oldMask;
    pid_t pid;

    /* A caller that ignores SIGPIPE and blocks SIGUSR1 must not pass that on to qemu. */
    sigaction(SIGPIPE, &ign, &oldPipe);
    sigemptyset(&block);
    sigaddset(&block, SIGUSR1);
    pthread_sigmask(SIG_BLOCK, &block, &oldMask);
    pid = spawnSimple(argv, log, FALSE);
    pthread_sigmask(SIG_SETMASK, &oldMask, NULL);
    sigaction(SIGPIPE, &oldPipe, NULL);

    g_assert_cmpint(vkProcessWaitExit(pid, 0, 10000), ==, 0);
    text = readFile(log);
    g_assert_nonnull(strstr(text, "SigBlk:\t0000000000000000"));
    g_assert_nonnull(strstr(text, "SigIgn:\t0000000000000000"));
}

static void testPidFile(Fixture *f, gconstpointer data)
{
    g_autofree char *path = g_build_filename(f->dir, "x.pid", NULL);
    g_autofree char *text = NULL;
    pid_t pid = -1;

    assertOK(vkPidFileRead(path, &pid) == 0);
    g_assert_cmpint(pid, ==, 0);

    assertOK(vkPidFileWrite(path, 4242) == 0);
    text = readFile(path);
    g_assert_cmpstr(text, ==, "4242\n");
    assertOK(vkPidFileRead(path, &pid) == 0);
    g_assert_cmpint(pid, ==, 4242);

    g_assert_true(g_file_set_contents(path, "garbage\n", -1, NULL));
    g_assert_cmpint(vkPidFileRead(path, &pid), ==, -1);
    assertLastError(VIR_ERR_INTERNAL_ERROR, "holds no pid: 'garbage'");

    assertOK(vkPidFileRemove(path) == 0);
    g_assert_false(g_file_test(path, G_FILE_TEST_EXISTS));
    assertOK(vkPidFileRemove(path) == 0);
}

/* ---- the hook between fork and exec ---- */

typedef struct {
    const char *marker; /* the program creates this file when it runs */
    const char *pidFile;
    pid_t seen;
    gboolean markerExisted;
    gboolean pidFileExisted;
    int result;
    gboolean dieHere; /* simulates the caller being killed inside the hook */
} HookData;

static int hook(pid_t pid, void *opaque)
{
    HookData *d = opaque;

    d->seen = pid;
    d->markerExisted = g_file_test(d->marker, G_FILE_TEST_EXISTS);
    d->pidFileExisted = g_file_test(d->pidFile, G_FILE_TEST_EXISTS);
    /* Give a program that did not wait for us every chance to show it. */
    g_usleep(100000);
    d->markerExisted |= g_file_test(d->marker, G_FILE_TEST_EXISTS);
    if (d->dieHere)
        _exit(0);
    return d->result;
}

static void hookSetup(Fixture *f, HookData *d, char **marker, char **pidFile, const char **argv)
{
    *marker = g_build_filename(f->dir, "ran", NULL);
    *pidFile = g_build_filename(f->dir, "p.pid", NULL);
    d->marker = *marker;
    d->pidFile = *pidFile;
    argv[0] = "sh";
    argv[1] = "-c";
    argv[2] = "touch \"$0\"; sleep 100";
    argv[3] = *marker;
    argv[4] = NULL;
}

static void testHookBeforeExec(Fixture *f, gconstpointer data)
{
    g_autofree char *marker = NULL;
    g_autofree char *pidFile = NULL;
    const char *argv[5];
    HookData d = { 0 };
    unsigned long long startTime;
    pid_t pid = 0;
    pid_t recorded = 0;

    hookSetup(f, &d, &marker, &pidFile, argv);
    vkProcessSpawnOptions opts = {
        .argv = argv, .pidFile = pidFile, .beforeExec = hook, .opaque = &d, .detach = TRUE
    };
    assertOK(vkProcessSpawn(&opts, &pid) == 0);
    /* The hook saw the final pid and the pid file, and the program had not run yet. */
    g_assert_cmpint(d.seen, ==, pid);
    g_assert_true(d.pidFileExisted);
    g_assert_false(d.markerExisted);
    assertOK(vkPidFileRead(pidFile, &recorded) == 0);
    g_assert_cmpint(recorded, ==, pid);
    waitForText(marker, "");
    assertOK(vkProcessGetStartTime(pid, &startTime) == 0);
    assertOK(vkProcessKill(pid, startTime, 5000) == 0);
}

static void testHookFails(Fixture *f, gconstpointer data)
{
    g_autofree char *marker = NULL;
    g_autofree char *pidFile = NULL;
    const char *argv[5];
    HookData d = { .result = -1 };
    pid_t pid = 0;

    hookSetup(f, &d, &marker, &pidFile, argv);
    vkProcessSpawnOptions opts = { .argv = argv, .beforeExec = hook, .opaque = &d };
    vkReportError(VIR_FROM_NONE, VIR_ERR_OPERATION_FAILED, "%s", "the hook said no");
    g_assert_cmpint(vkProcessSpawn(&opts, &pid), ==, -1);
    assertLastError(VIR_ERR_OPERATION_FAILED, "the hook said no");
    g_usleep(200000);
    g_assert_false(g_file_test(marker, G_FILE_TEST_EXISTS));
    /* Not detached: the child that gave up was reaped. */
    g_assert_cmpint(waitpid(d.seen, NULL, WNOHANG), ==, -1);
}

/* The caller dies after the fork but before it has recorded the pid: the program must never
 * run, or nobody would know about it. */
static void testCallerDiesInHook(Fixture *f, gconstpointer data)
{
    g_autofree char *marker = NULL;
    g_autofree char *pidFile = NULL;
    const char *argv[5];
    HookData d = { .dieHere = TRUE };
    int status;
    pid_t caller;
    pid_t pid = 0;

    hookSetup(f, &d, &marker, &pidFile, argv);
    if ((caller = fork()) == 0) {
        vkProcessSpawnOptions opts = {
            .argv = argv, .pidFile = pidFile, .beforeExec = hook, .opaque = &d, .detach = TRUE
        };
        vkProcessSpawn(&opts, &pid);
        _exit(1);
    }
    g_assert_cmpint(waitpid(caller, &status, 0), ==, caller);
    g_assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    assertOK(vkPidFileRead(pidFile, &pid) == 0);
    g_assert_cmpint(pid, >, 1);
    /* The waiting process sees end of file and exits instead of executing. */
    for (int i = 0; i < 200 && vkProcessIsAlive(pid, 0); i++)
        g_usleep(10000);
    g_assert_false(vkProcessIsAlive(pid, 0));
    g_assert_false(g_file_test(marker, G_FILE_TEST_EXISTS));
}

/* A caller that spawns sleep and is then killed; returns the sleep's pid, read from PIDFILE. */
static pid_t spawnThenDie(const char *pidFile, gboolean dieWithCaller)
{
    const char *argv[] = { "sleep", "100", NULL };
    int status;
    pid_t caller;
    pid_t pid = 0;

    if ((caller = fork()) == 0) {
        vkProcessSpawnOptions opts = { .argv = argv,
                                       .pidFile = pidFile,
                                       .dieWithCaller = dieWithCaller };
        pid_t child;

        if (vkProcessSpawn(&opts, &child) < 0)
            _exit(1);
        raise(SIGKILL);
    }
    g_assert_cmpint(waitpid(caller, &status, 0), ==, caller);
    g_assert_true(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);
    assertOK(vkPidFileRead(pidFile, &pid) == 0);
    g_assert_cmpint(pid, >, 1);
    return pid;
}

static void testDieWithCaller(Fixture *f, gconstpointer data)
{
    g_autofree char *pidFile = g_build_filename(f->dir, "sleep.pid", NULL);
    unsigned long long startTime;
    pid_t pid;

    /* A helper that must not outlive its caller goes with it, even on SIGKILL. */
    pid = spawnThenDie(pidFile, TRUE);
    g_assert_cmpint(vkProcessWaitExit(pid, 0, 10000), ==, 0);

    /* Without the option it is orphaned and lives on, which is what the test above rules
     * out. */
    pid = spawnThenDie(pidFile, FALSE);
    g_usleep(100000);
    g_assert_true(vkProcessIsAlive(pid, 0));
    assertOK(vkProcessGetStartTime(pid, &startTime) == 0);
    assertOK(vkProcessKill(pid, startTime, 5000) == 0);
}

static void testDieWithCallerNotDetached(Fixture *f, gconstpointer data)
{
    const char *argv[] = { "true", NULL };
    vkProcessSpawnOptions opts = { .argv = argv, .detach = TRUE, .dieWithCaller = TRUE };
    pid_t pid = 0;

    g_assert_cmpint(vkProcessSpawn(&opts, &pid), ==, -1);
    assertLastError(VIR_ERR_INVALID_ARG, "a detached program cannot die with its caller");
}

/* Output into a pipe: its end of file says the program (and every copy of its stdout and
 * stderr) is done with it. */
static void testLogFd(Fixture *f, gconstpointer data)
{
    const char *argv[] = { "sh", "-c", "echo to-stdout; echo to-stderr >&2", NULL };
    g_autoptr(GString) out = g_string_new(NULL);
    int pipeFds[2];
    char buf[256];
    ssize_t n;
    pid_t pid = 0;

    g_assert_cmpint(pipe2(pipeFds, O_CLOEXEC), ==, 0);
    vkProcessSpawnOptions opts = { .argv = argv, .logFd = pipeFds[1], .detach = TRUE };
    assertOK(vkProcessSpawn(&opts, &pid) == 0);
    close(pipeFds[1]);
    while ((n = read(pipeFds[0], buf, sizeof(buf))) > 0)
        g_string_append_len(out, buf, n);
    close(pipeFds[0]);
    g_assert_cmpstr(out->str, ==, "to-stdout\nto-stderr\n");

    opts.logFd = 2;
    g_assert_cmpint(vkProcessSpawn(&opts, &pid), ==, -1);
    assertLastError(VIR_ERR_INVALID_ARG, "cannot log to descriptor 2");
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);

#define ADD(name, func) \
    g_test_add("/vkprocess/" name, Fixture, NULL, fixtureSetup, func, fixtureTeardown)
    ADD("log-appended", testLogAppended);
    ADD("exec-failures", testExecFailures);
    ADD("detach-survives-parent", testDetachSurvivesParent);
    ADD("identity", testIdentity);
    ADD("identity-of-reaped", testIdentityOfReaped);
    ADD("stopped", testStopped);
    ADD("kill-escalates", testKillEscalates);
    ADD("kill-own-child", testKillOwnChild);
    ADD("pass-fds", testPassFds);
    ADD("bad-fd-targets", testBadFdTargets);
    ADD("signals-reset", testSignalsReset);
    ADD("pid-file", testPidFile);
    ADD("hook-before-exec", testHookBeforeExec);
    ADD("hook-fails", testHookFails);
    ADD("caller-dies-in-hook", testCallerDiesInHook);
    ADD("die-with-caller", testDieWithCaller);
    ADD("die-with-caller-not-detached", testDieWithCallerNotDetached);
    ADD("log-fd", testLogFd);
#undef ADD

    return g_test_run();
}

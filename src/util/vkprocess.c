/* Host processes: detached spawning with a controlled set of descriptors, pid files, and
 * process identity (pid + start time) so that a reused pid is never mistaken for ours. */
#include "vkprocess.h"

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "vkerror.h"
#include "vkfile.h"

extern char **environ;

/* A process that survives SIGKILL this long is stuck in the kernel (D state). */
#define KILL_TIMEOUT_MS 10000

/* Everything the forked child needs, prepared before fork: between fork and exec only
 * async-signal-safe calls are allowed, because another thread may hold the malloc lock. */
typedef struct {
    const char *path;
    char *const *argv;
    char *const *envp;
    int nullFd;
    int logFd;
    int errFd;     /* write end of the close-on-exec pipe that reports exec failures */
    int goFd;      /* read end of the pipe on which the parent allows the exec */
    int goWriteFd; /* the parent's end, which the children must not keep open */
    const vkProcessFd *fds;
    size_t nfds;
    int *moved;  /* nfds slots: where each fds[i].fd is parked during the shuffle */
    int floorFd; /* above every target, so parked copies never collide with one */
    int maxFd;   /* bound for the close-on-exec loop when close_range is unavailable */
    gboolean detach;
    pid_t caller; /* the caller's pid, when the program must die with it; else 0 */
} vkSpawnPlan;

/* What the children tell the parent over the status pipe. Messages are smaller than
 * PIPE_BUF, so the middle process and the program never interleave theirs; they may arrive
 * in either order. */
typedef enum {
    SPAWN_MSG_PID = 1,    /* the program's pid, from the middle process of a double fork */
    SPAWN_MSG_DETACH_ERR, /* errno of setsid or fork in the middle process */
    SPAWN_MSG_EXEC_ERR,   /* errno of preparing or executing the program */
} vkSpawnMsgKind;

typedef struct {
    int32_t kind;
    int32_t value;
} vkSpawnMsg;

static void childSend(int fd, vkSpawnMsgKind kind, int value)
{
    vkSpawnMsg msg = { .kind = kind, .value = value };
    ssize_t ignored = write(fd, &msg, sizeof(msg));
    (void)ignored;
}

static void G_GNUC_NORETURN childFail(int errFd, int err)
{
    childSend(errFd, SPAWN_MSG_EXEC_ERR, err);
    _exit(127);
}

/* Handlers and a blocked mask are inherited across fork, and ignored signals even across
 * exec; qemu must start with the defaults whatever the caller has installed. */
static void childResetSignals(void)
{
    struct sigaction dfl;
    sigset_t none;

    memset(&dfl, 0, sizeof(dfl));
    dfl.sa_handler = SIG_DFL;
    for (int sig = 1; sig < NSIG; sig++)
        sigaction(sig, &dfl, NULL);
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, NULL);
}

/* PR_SET_PDEATHSIG only covers a parent that dies after it is set: one already gone has left
 * us to init (or a subreaper), which getppid() shows. Returns an errno value, or 0. */
static int childDieWithCaller(pid_t caller)
{
    if (prctl(PR_SET_PDEATHSIG, SIGKILL) < 0)
        return errno;
    if (getppid() != caller)
        _exit(126);
    return 0;
}

void vkProcessDieWithCallerSetup(gpointer caller)
{
    if (childDieWithCaller(GPOINTER_TO_INT(caller)) != 0)
        _exit(127);
}

static void childCloexecAll(int maxFd)
{
    if (close_range(3, ~0U, CLOSE_RANGE_CLOEXEC) == 0)
        return;
    for (int fd = 3; fd < maxFd; fd++)
        fcntl(fd, F_SETFD, FD_CLOEXEC);
}

static void G_GNUC_NORETURN childExec(const vkSpawnPlan *plan)
{
    int errFd = plan->errFd;
    int nullFd;
    int logFd;
    int goFd;
    char go = 0;
    ssize_t n;
    int err;

    childResetSignals();
    close(plan->goWriteFd);
    /* Before anything else: from here on a killed caller takes us along. */
    if (plan->caller && (err = childDieWithCaller(plan->caller)) != 0)
        childFail(plan->errFd, err);

    /* Park every descriptor we need above all targets first, so that placing one at its
     * target can never close another that has not been placed yet. */
    if ((errFd = fcntl(plan->errFd, F_DUPFD_CLOEXEC, plan->floorFd)) < 0)
        childFail(plan->errFd, errno);
    if ((nullFd = fcntl(plan->nullFd, F_DUPFD_CLOEXEC, plan->floorFd)) < 0)
        childFail(errFd, errno);
    if ((logFd = fcntl(plan->logFd, F_DUPFD_CLOEXEC, plan->floorFd)) < 0)
        childFail(errFd, errno);
    if ((goFd = fcntl(plan->goFd, F_DUPFD_CLOEXEC, plan->floorFd)) < 0)
        childFail(errFd, errno);
    for (size_t i = 0; i < plan->nfds; i++) {
        if ((plan->moved[i] = fcntl(plan->fds[i].fd, F_DUPFD_CLOEXEC, plan->floorFd)) < 0)
            childFail(errFd, errno);
    }

    /* Whatever the caller had open (sockets, lock files, other guests' taps) must not leak
     * into a process that lives for months. dup2 below clears the flag on the copies we
     * hand over; the parked copies and the error pipe close at exec. */
    childCloexecAll(plan->maxFd);

    if (dup2(nullFd, STDIN_FILENO) < 0 || dup2(logFd, STDOUT_FILENO) < 0 ||
        dup2(logFd, STDERR_FILENO) < 0)
        childFail(errFd, errno);
    for (size_t i = 0; i < plan->nfds; i++) {
        if (dup2(plan->moved[i], plan->fds[i].target) < 0)
            childFail(errFd, errno);
    }

    /* A detached program must not pin the caller's working directory (an unmountable
     * filesystem) for as long as it runs. */
    if (plan->detach && chdir("/") < 0)
        childFail(errFd, errno);

    /* The parent records our pid first; end of file means it died before it could, and then
     * nobody would know this program if it ran. */
    while ((n = read(goFd, &go, 1)) < 0 && errno == EINTR) {
    }
    if (n != 1 || go != 'g')
        _exit(126);
    execve(plan->path, plan->argv, plan->envp);
    childFail(errFd, errno);
}

/* The middle process of the double fork: it gives the program a new session and exits, so
 * that the program is reparented to init, which reaps it when it exits. */
static void G_GNUC_NORETURN childDetach(const vkSpawnPlan *plan)
{
    pid_t pid;

    childResetSignals();
    close(plan->goWriteFd);
    if (setsid() < 0) {
        childSend(plan->errFd, SPAWN_MSG_DETACH_ERR, errno);
    } else if ((pid = fork()) == 0) {
        childExec(plan);
    } else if (pid < 0) {
        childSend(plan->errFd, SPAWN_MSG_DETACH_ERR, errno);
    } else {
        childSend(plan->errFd, SPAWN_MSG_PID, pid);
    }
    _exit(0);
}

static ssize_t readFull(int fd, void *buf, size_t len)
{
    size_t done = 0;

    while (done < len) {
        ssize_t n = read(fd, (char *)buf + done, len - done);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            return -1;
        if (n == 0)
            break;
        done += n;
    }
    return done;
}

static void waitChild(pid_t pid)
{
    while (waitpid(pid, NULL, 0) < 0 && errno == EINTR) {
    }
}

static char *resolveProgram(const char *name)
{
    char *path;

    if (strchr(name, '/'))
        return g_canonicalize_filename(name, NULL);
    if (!(path = g_find_program_in_path(name)))
        vkReportSystemError(VIR_FROM_NONE, ENOENT, "cannot find '%s' in PATH", name);
    return path;
}

static int checkFds(const vkProcessSpawnOptions *opts, int *maxTarget)
{
    *maxTarget = 2;
    for (size_t i = 0; i < opts->nfds; i++) {
        int target = opts->fds[i].target;
        if (target < 3 || opts->fds[i].fd < 0) {
            vkReportError(VIR_FROM_NONE, VIR_ERR_INVALID_ARG,
                          "cannot pass descriptor %d as %d: targets start at 3", opts->fds[i].fd,
                          target);
            return -1;
        }
        for (size_t j = 0; j < i; j++) {
            if (opts->fds[j].target == target) {
                vkReportError(VIR_FROM_NONE, VIR_ERR_INVALID_ARG,
                              "descriptor number %d is requested twice", target);
                return -1;
            }
        }
        *maxTarget = MAX(*maxTarget, target);
    }
    return 0;
}

/* A descriptor closed when it goes out of scope; -1 means none. */
typedef int vkAutoFd;
static void closeFdValue(int fd)
{
    close(fd);
}
G_DEFINE_AUTO_CLEANUP_FREE_FUNC(vkAutoFd, closeFdValue, -1)

static int openFd(const char *path, int flags, mode_t mode)
{
    int fd = open(path, flags | O_CLOEXEC, mode);
    if (fd < 0)
        vkReportSystemError(VIR_FROM_NONE, errno, "cannot open '%s'", path);
    return fd;
}

/* Reads the status pipe until the program's pid is known: at once without detaching, else
 * from the middle process, which exits right after sending it. */
static int collectSpawnPid(int readFd, pid_t forked, gboolean detach, const char *path, pid_t *pid,
                           int *execErrno)
{
    int detachErrno = 0;
    vkSpawnMsg msg;

    *pid = detach ? 0 : forked;
    while (detach && *pid <= 0 && !detachErrno && !*execErrno &&
           readFull(readFd, &msg, sizeof(msg)) == sizeof(msg)) {
        if (msg.kind == SPAWN_MSG_PID)
            *pid = msg.value;
        else if (msg.kind == SPAWN_MSG_DETACH_ERR)
            detachErrno = msg.value;
        else
            *execErrno = msg.value;
    }
    /* The middle process exits right after it reports. */
    if (detach)
        waitChild(forked);
    if (detachErrno) {
        vkReportSystemError(VIR_FROM_NONE, detachErrno, "cannot detach '%s'", path);
        return -1;
    }
    if (*pid <= 0 && !*execErrno) {
        vkReportError(VIR_FROM_NONE, VIR_ERR_INTERNAL_ERROR,
                      "process detaching '%s' exited without a pid", path);
        return -1;
    }
    return 0;
}

/* Reads the status pipe to its end, which comes once the program has been executed (the pipe
 * is close-on-exec) or has failed to be. */
static int collectExecStatus(int readFd, pid_t pid, gboolean detach, const char *path,
                             int execErrno)
{
    vkSpawnMsg msg;
    ssize_t n;

    while ((n = readFull(readFd, &msg, sizeof(msg))) == sizeof(msg)) {
        if (msg.kind == SPAWN_MSG_EXEC_ERR)
            execErrno = msg.value;
    }
    if (execErrno || n != 0) {
        /* A program that failed to execute is about to exit: ours to reap unless init has
         * adopted it. */
        if (!detach && pid > 0)
            waitChild(pid);
        vkReportSystemError(VIR_FROM_NONE, execErrno ? execErrno : EIO, "cannot execute '%s'",
                            path);
        return -1;
    }
    return 0;
}

/* Tells the waiting program to go ahead (GO) or to give up; closing the pipe does the latter. */
static void releaseChild(int *goWriteFd, gboolean go)
{
    if (go) {
        ssize_t ignored = write(*goWriteFd, "g", 1);
        (void)ignored;
    }
    close(g_steal_fd(goWriteFd));
}

/* Forks (twice when detaching), lets the caller record the pid (pid file, BEFOREEXEC), then
 * lets the program execute, and returns once exec has succeeded. */
static int spawnWithPlan(vkSpawnPlan *plan, const vkProcessSpawnOptions *opts, pid_t *pid)
{
    g_auto(vkAutoFd) readFd = -1;
    g_auto(vkAutoFd) writeFd = -1;
    g_auto(vkAutoFd) goReadFd = -1;
    g_auto(vkAutoFd) goWriteFd = -1;
    int pipeFds[2];
    int execErrno = 0;
    pid_t forked;

    if (pipe2(pipeFds, O_CLOEXEC) < 0) {
        vkReportSystemError(VIR_FROM_NONE, errno, "%s", "cannot create a pipe");
        return -1;
    }
    readFd = pipeFds[0];
    writeFd = pipeFds[1];
    if (pipe2(pipeFds, O_CLOEXEC) < 0) {
        vkReportSystemError(VIR_FROM_NONE, errno, "%s", "cannot create a pipe");
        return -1;
    }
    goReadFd = pipeFds[0];
    goWriteFd = pipeFds[1];
    plan->errFd = writeFd;
    plan->goFd = goReadFd;
    plan->goWriteFd = goWriteFd;

    if ((forked = fork()) < 0) {
        vkReportSystemError(VIR_FROM_NONE, errno, "cannot fork to run '%s'", plan->path);
        return -1;
    }
    if (forked == 0) {
        if (plan->detach)
            childDetach(plan);
        childExec(plan);
    }
    /* Our copies of the children's ends must go, or we would never see end of file. */
    close(g_steal_fd(&writeFd));
    close(g_steal_fd(&goReadFd));
    if (collectSpawnPid(readFd, forked, plan->detach, plan->path, pid, &execErrno) < 0) {
        releaseChild(&goWriteFd, FALSE);
        return -1;
    }
    if (!execErrno && ((opts->pidFile && vkPidFileWrite(opts->pidFile, *pid) < 0) ||
                       (opts->beforeExec && opts->beforeExec(*pid, opts->opaque) < 0))) {
        virErrorPtr saved = vkSaveError();

        releaseChild(&goWriteFd, FALSE);
        collectExecStatus(readFd, *pid, plan->detach, plan->path, 0);
        if (!plan->detach)
            waitChild(*pid);
        vkRestoreError(saved);
        return -1;
    }
    releaseChild(&goWriteFd, TRUE);
    return collectExecStatus(readFd, *pid, plan->detach, plan->path, execErrno);
}

int vkProcessSpawn(const vkProcessSpawnOptions *opts, pid_t *pid)
{
    g_autofree char *path = NULL;
    g_autofree int *moved = NULL;
    g_auto(vkAutoFd) nullFd = -1;
    g_auto(vkAutoFd) logFd = -1;
    int maxTarget;

    if (!opts->argv || !opts->argv[0]) {
        vkReportError(VIR_FROM_NONE, VIR_ERR_INVALID_ARG, "%s", "no program to run");
        return -1;
    }
    if (opts->detach && opts->dieWithCaller) {
        vkReportError(VIR_FROM_NONE, VIR_ERR_INVALID_ARG, "%s",
                      "a detached program cannot die with its caller");
        return -1;
    }
    if (opts->logFd && (opts->logFd < 3 || opts->logFile)) {
        vkReportError(VIR_FROM_NONE, VIR_ERR_INVALID_ARG,
                      "cannot log to descriptor %d: it must be above 2 and without a log file",
                      opts->logFd);
        return -1;
    }
    if (checkFds(opts, &maxTarget) < 0 || !(path = resolveProgram(opts->argv[0])))
        return -1;
    if ((nullFd = openFd("/dev/null", O_RDONLY, 0)) < 0)
        return -1;
    if (opts->logFd) {
        if ((logFd = fcntl(opts->logFd, F_DUPFD_CLOEXEC, 3)) < 0) {
            vkReportSystemError(VIR_FROM_NONE, errno, "cannot duplicate descriptor %d",
                                opts->logFd);
            return -1;
        }
    } else if ((logFd = openFd(opts->logFile ? opts->logFile : "/dev/null",
                               O_WRONLY | O_APPEND | O_CREAT | O_NOFOLLOW, 0600)) < 0) {
        return -1;
    }

    moved = g_new0(int, opts->nfds + 1);
    vkSpawnPlan plan = {
        .path = path,
        .argv = (char *const *)opts->argv,
        .envp = opts->envp ? (char *const *)opts->envp : environ,
        .nullFd = nullFd,
        .logFd = logFd,
        .fds = opts->fds,
        .nfds = opts->nfds,
        .moved = moved,
        .floorFd = maxTarget + 1,
        .maxFd = (int)CLAMP(sysconf(_SC_OPEN_MAX), 1024, 1 << 20),
        .detach = opts->detach,
        .caller = opts->dieWithCaller ? getpid() : 0,
    };
    return spawnWithPlan(&plan, opts, pid);
}

/* Reads a small /proc file whole; NULL with errno set on failure, nothing reported. */
static char *readProcFile(pid_t pid, const char *name, gsize *len)
{
    g_autofree char *path = g_strdup_printf("/proc/%d/%s", (int)pid, name);
    g_autoptr(GString) buf = g_string_sized_new(512);
    g_auto(vkAutoFd) fd = open(path, O_RDONLY | O_CLOEXEC);
    char chunk[4096];
    ssize_t n;

    if (fd < 0)
        return NULL;
    while ((n = read(fd, chunk, sizeof(chunk))) != 0) {
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            return NULL;
        g_string_append_len(buf, chunk, n);
    }
    *len = buf->len;
    return g_string_free(g_steal_pointer(&buf), FALSE);
}

/* What /proc/PID/stat tells about a process. */
typedef struct {
    char state;                   /* field 3 */
    unsigned long flags;          /* field 9, the kernel's PF_* flags */
    unsigned long long startTime; /* field 22 */
} vkProcStat;

/* The kernel's flag for a process inside exit(): set before it closes its descriptors. */
#define PROC_FLAG_EXITING 0x4

static gboolean parseNumber(const char *text, unsigned long long *value)
{
    char *end;

    if (!g_ascii_isdigit(text[0]))
        return FALSE;
    errno = 0;
    *value = g_ascii_strtoull(text, &end, 10);
    return !errno && (!*end || *end == ' ');
}

/* Splits a /proc/PID/stat line. The command name (field 2) may contain blanks and
 * parentheses, so fields are counted from the last ')'. */
static gboolean parseStat(const char *stat, vkProcStat *out)
{
    g_auto(GStrv) fields = NULL;
    const char *rest = strrchr(stat, ')');
    unsigned long long flags;

    if (!rest || rest[1] != ' ')
        return FALSE;
    fields = g_strsplit(rest + 2, " ", 21);
    /* fields[0] is field 3 (state), so field 9 (flags) is fields[6] and field 22 (starttime)
     * is fields[19]. */
    if (g_strv_length(fields) < 20 || !fields[0][0] || !parseNumber(fields[6], &flags) ||
        !parseNumber(fields[19], &out->startTime))
        return FALSE;
    out->state = fields[0][0];
    out->flags = (unsigned long)flags;
    return TRUE;
}

/* -1 with errno set on failure, nothing reported. */
static int readStat(pid_t pid, vkProcStat *out)
{
    g_autofree char *stat = NULL;
    gsize len;

    if (!(stat = readProcFile(pid, "stat", &len)))
        return -1;
    if (!parseStat(stat, out)) {
        errno = EINVAL;
        return -1;
    }
    return 0;
}

int vkProcessGetStartTime(pid_t pid, unsigned long long *startTime)
{
    vkProcStat st;

    if (readStat(pid, &st) < 0) {
        vkReportSystemError(VIR_FROM_NONE, errno == ENOENT ? ESRCH : errno,
                            "cannot read the start time of process %d", (int)pid);
        return -1;
    }
    *startTime = st.startTime;
    return 0;
}

char **vkProcessGetCmdline(pid_t pid)
{
    g_autofree char *data = NULL;
    g_autoptr(GPtrArray) args = g_ptr_array_new_with_free_func(g_free);
    gsize len;

    if (!(data = readProcFile(pid, "cmdline", &len))) {
        vkReportSystemError(VIR_FROM_NONE, errno == ENOENT ? ESRCH : errno,
                            "cannot read the command line of process %d", (int)pid);
        return NULL;
    }
    /* Each argument ends in a NUL; readProcFile added one more after the last. */
    for (gsize off = 0; off < len; off += strlen(data + off) + 1)
        g_ptr_array_add(args, g_strdup(data + off));
    g_ptr_array_add(args, NULL);
    return (char **)g_ptr_array_free(g_steal_pointer(&args), FALSE);
}

/* Reads PID's stat if it is alive and (unless EXPECTEDSTARTTIME is 0) started then. */
static gboolean statIfAlive(pid_t pid, unsigned long long expectedStartTime, vkProcStat *st)
{
    if (pid <= 0 || readStat(pid, st) < 0)
        return FALSE;
    if (st->state == 'Z' || st->state == 'X')
        return FALSE;
    return expectedStartTime == 0 || st->startTime == expectedStartTime;
}

gboolean vkProcessIsAlive(pid_t pid, unsigned long long expectedStartTime)
{
    vkProcStat st;

    return statIfAlive(pid, expectedStartTime, &st);
}

gboolean vkProcessIsRunning(pid_t pid, unsigned long long expectedStartTime)
{
    vkProcStat st;

    return statIfAlive(pid, expectedStartTime, &st) && !(st.flags & PROC_FLAG_EXITING);
}

gboolean vkProcessIsStopped(pid_t pid, unsigned long long expectedStartTime)
{
    vkProcStat st;

    return statIfAlive(pid, expectedStartTime, &st) && (st.state == 'T' || st.state == 't');
}

/* Reaps PID if it is our exited child. FALSE also when it is not our child at all. */
static gboolean reapIfChild(pid_t pid)
{
    pid_t r;

    while ((r = waitpid(pid, NULL, WNOHANG)) < 0 && errno == EINTR) {
    }
    return r == pid;
}

int vkProcessWaitExit(pid_t pid, unsigned long long startTime, int timeoutMs)
{
    gint64 deadline = g_get_monotonic_time() + (gint64)timeoutMs * 1000;
    gint64 delayUs = 1000;

    /* A detached program is not our child, so there is nothing to block on: poll, starting
     * fast because a well-behaved process exits within milliseconds of SIGTERM. */
    for (;;) {
        if (reapIfChild(pid))
            return 0;
        if (!vkProcessIsAlive(pid, startTime)) {
            reapIfChild(pid);
            return 0;
        }
        gint64 now = g_get_monotonic_time();
        if (timeoutMs >= 0 && now >= deadline)
            return 1;
        g_usleep(timeoutMs >= 0 ? MIN(delayUs, deadline - now) : delayUs);
        delayUs = MIN(delayUs * 2, 50000);
    }
}

/* Returns 1 when the process is already gone, so there was nobody to signal. */
static int sendSignal(pid_t pid, unsigned long long startTime, int sig)
{
    if (!vkProcessIsAlive(pid, startTime))
        return 1;
    if (kill(pid, sig) < 0) {
        if (errno == ESRCH)
            return 1;
        vkReportSystemError(VIR_FROM_NONE, errno, "cannot send %s to process %d", sigabbrev_np(sig),
                            (int)pid);
        return -1;
    }
    return 0;
}

int vkProcessKill(pid_t pid, unsigned long long startTime, int graceMs)
{
    int rc;

    /* kill() reads pid 0 and negative pids as process groups, and pid 1 is init. */
    if (pid <= 1) {
        vkReportError(VIR_FROM_NONE, VIR_ERR_INVALID_ARG, "refusing to kill process %d", (int)pid);
        return -1;
    }
    if ((rc = sendSignal(pid, startTime, SIGTERM)) < 0)
        return -1;
    if (rc == 0 && vkProcessWaitExit(pid, startTime, graceMs) != 0) {
        if ((rc = sendSignal(pid, startTime, SIGKILL)) < 0)
            return -1;
        if (rc == 0 && vkProcessWaitExit(pid, startTime, KILL_TIMEOUT_MS) != 0) {
            vkReportError(VIR_FROM_NONE, VIR_ERR_OPERATION_FAILED,
                          "process %d is still there %d ms after SIGKILL", (int)pid,
                          KILL_TIMEOUT_MS);
            return -1;
        }
    }
    reapIfChild(pid);
    return 0;
}

int vkPidFileWrite(const char *path, pid_t pid)
{
    g_autofree char *text = g_strdup_printf("%d\n", (int)pid);

    return vkFileWriteRunState(path, text, -1, 0644);
}

int vkPidFileRead(const char *path, pid_t *pid)
{
    g_autofree char *text = NULL;
    gint64 value;

    *pid = 0;
    if (vkFileReadIfExists(path, &text, NULL) < 0)
        return -1;
    if (!text)
        return 0;
    g_strchomp(text);
    if (!g_ascii_string_to_signed(text, 10, 1, G_MAXINT32, &value, NULL)) {
        vkReportError(VIR_FROM_NONE, VIR_ERR_INTERNAL_ERROR, "pid file '%s' holds no pid: '%s'",
                      path, text);
        return -1;
    }
    *pid = (pid_t)value;
    return 0;
}

int vkPidFileRemove(const char *path)
{
    return vkFileRemoveIfExists(path);
}

int vkProcessSetAffinity(pid_t pid, const vkBitmap *cpus)
{
    size_t size = CPU_ALLOC_SIZE(vkBitmapSize(cpus));
    cpu_set_t *set = CPU_ALLOC(vkBitmapSize(cpus));
    int rc;

    CPU_ZERO_S(size, set);
    for (int i = vkBitmapNextSet(cpus, -1); i >= 0; i = vkBitmapNextSet(cpus, i))
        CPU_SET_S(i, size, set);
    rc = sched_setaffinity(pid, size, set);
    CPU_FREE(set);
    if (rc < 0) {
        vkReportSystemError(VIR_FROM_NONE, errno, "cannot set CPU affinity on process %d", pid);
        return -1;
    }
    return 0;
}

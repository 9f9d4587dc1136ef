/* Starting, following, stopping and re-finding a guest's qemu. Start does the host work
 * (taps, the monitor socket, the log), runs qemu detached with -S, sets the guest up over
 * QMP and only then lets it run; any failure undoes everything it did. */
#include "qemu_process.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <unistd.h>

#include "util/vkerror.h"
#include "util/vkfile.h"
#include "util/vknetdev.h"
#include "util/vkprocess.h"
#include "util/vkuuid.h"
#include "qemu_command_priv.h"

#define PROC_ERR VIR_FROM_QEMU

/* Descriptor numbers in qemu: the monitors first, then one per tap. */
#define MONITOR_FD   3
#define EVENTS_FD    4
#define FIRST_TAP_FD 5
/* Watchers waiting their turn on the events socket (qemu serves one) queue in its backlog. */
#define EVENTS_BACKLOG 32

/* A big guest can take a while to allocate its memory before qemu greets. */
#define START_MONITOR_TIMEOUT_MS 30000
/* A live qemu that does not greet within this is wedged, or another client holds the
 * monitor: qemu serves one at a time. */
#define RECONNECT_MONITOR_TIMEOUT_MS 10000
/* How long a qemu whose monitor fails on reconnection gets to show that it is exiting. */
#define DYING_WAIT_MS 2000
/* How long an exiting qemu may take to disappear once its monitor has closed. */
#define EXIT_WAIT_MS 5000
/* A process that survives SIGKILL this long is stuck in the kernel. */
#define KILL_TIMEOUT_MS 10000
/* How long a qemu whose monitor failed at start gets to show that it is exiting anyway. */
#define START_EXIT_GRACE_MS 500
/* qemu's output quoted in a start error; its own messages are short. */
#define LOG_EXCERPT_MAX 4096

struct _vkQEMUProcess {
    char *name;
    char *statusPath;
    char *pidPath;
    char *reasonPath;
    char *logPath;
    char *vncPath;    /* where the VNC socket goes unless the XML names one */
    char *eventsPath; /* the QMP socket of event watchers */
    char *socketDir;  /* the directory of the sockets of a long name; NULL for none */
    char *channelDir; /* the channel sockets the driver places */
    vkQEMUDomainStatus *st;
    vkQEMUMonitor *mon;
    gboolean active;
    gboolean ownsRunFiles; /* start made sure no other qemu of the guest uses them */
    gboolean monitorUp;    /* start got as far as a working monitor */
    int shutdownReason;    /* why qemu announced a shutdown (SHUTDOWN event); 0: it did not */
    int reasonWritten;     /* the shut off reason in the reason file; -1: none written yet */
};

typedef int vkQEMUAutoFd;

static void closeFd(int fd)
{
    if (fd >= 0)
        close(fd);
}

G_DEFINE_AUTO_CLEANUP_FREE_FUNC(vkQEMUAutoFd, closeFd, -1)

static void clearPassedFd(gpointer data)
{
    closeFd(((vkProcessFd *)data)->fd);
}

void vkQEMUProcessFree(vkQEMUProcess *proc)
{
    if (!proc)
        return;
    g_clear_pointer(&proc->mon, vkQEMUMonitorClose);
    vkQEMUDomainStatusFree(proc->st);
    g_free(proc->name);
    g_free(proc->statusPath);
    g_free(proc->pidPath);
    g_free(proc->reasonPath);
    g_free(proc->logPath);
    g_free(proc->vncPath);
    g_free(proc->eventsPath);
    g_free(proc->socketDir);
    g_free(proc->channelDir);
    g_free(proc);
}

static vkQEMUProcess *processNew(const vkQEMUProcessPaths *paths, const char *name)
{
    vkQEMUProcess *proc = g_new0(vkQEMUProcess, 1);

    proc->name = g_strdup(name);
    proc->statusPath = vkQEMUDomainStatusPath(paths, name);
    proc->pidPath = vkQEMUDomainPidPath(paths, name);
    proc->reasonPath = vkQEMUDomainReasonPath(paths, name);
    proc->logPath = vkQEMUDomainLogPath(paths, name);
    proc->vncPath = vkQEMUDomainVNCSocketPath(paths, name);
    proc->eventsPath = vkQEMUDomainEventsPath(paths, name);
    proc->socketDir = vkQEMUDomainSocketDir(paths, name);
    proc->channelDir = vkQEMUDomainChannelDir(paths, name);
    proc->reasonWritten = -1;
    return proc;
}

pid_t vkQEMUProcessGetPid(const vkQEMUProcess *proc)
{
    return proc->st->pid;
}

unsigned long long vkQEMUProcessGetStartTime(const vkQEMUProcess *proc)
{
    return proc->st->startTime;
}

int vkQEMUProcessGetState(const vkQEMUProcess *proc, int *reason)
{
    if (reason)
        *reason = proc->st->reason;
    return proc->st->state;
}

gboolean vkQEMUProcessIsActive(const vkQEMUProcess *proc)
{
    return proc->active;
}

vkDomainDef *vkQEMUProcessGetDef(vkQEMUProcess *proc)
{
    return proc->st->def;
}

vkQEMUMonitor *vkQEMUProcessGetMonitor(vkQEMUProcess *proc)
{
    return proc->mon;
}

const vkQEMUDomainStatus *vkQEMUProcessGetStatus(const vkQEMUProcess *proc)
{
    return proc->st;
}

/* ---- run files and the log ---- */

/* The sockets qemu leaves behind (it does not unlink its VNC socket when it exits) and the
 * directory that holds them for a long name. */
/* The channel directory holds only the sockets qemu made there. Most guests have none, so
 * opendir rather than g_dir_open, whose failure converts the path for its message and with
 * that loads the C library's character set converters. */
static int removeChannelDir(const char *dir)
{
    DIR *d = opendir(dir);
    struct dirent *entry;
    int ret = 0;

    if (!d)
        return 0;
    while ((entry = readdir(d))) {
        g_autofree char *path = NULL;

        if (g_str_equal(entry->d_name, ".") || g_str_equal(entry->d_name, ".."))
            continue;
        path = g_build_filename(dir, entry->d_name, NULL);
        if (vkFileRemoveIfExists(path) < 0)
            ret = -1;
    }
    closedir(d);
    if (rmdir(dir) < 0 && errno != ENOENT) {
        vkReportSystemError(PROC_ERR, errno, "cannot remove directory '%s'", dir);
        ret = -1;
    }
    return ret;
}

static int removeSockets(const char *monitorPath, const char *eventsPath, const char *vncPath,
                         const char *channelDir, const char *socketDir)
{
    int ret = 0;

    if (removeChannelDir(channelDir) < 0)
        ret = -1;

    if (monitorPath && vkFileRemoveIfExists(monitorPath) < 0)
        ret = -1;
    if (vkFileRemoveIfExists(eventsPath) < 0)
        ret = -1;
    if (vkFileRemoveIfExists(vncPath) < 0)
        ret = -1;
    if (socketDir && rmdir(socketDir) < 0 && errno != ENOENT) {
        vkReportSystemError(PROC_ERR, errno, "cannot remove directory '%s'", socketDir);
        ret = -1;
    }
    return ret;
}

/* Removes every run file, even after one fails. */
/* The status file goes last: a process killed half way leaves a status naming a dead qemu,
 * which the next look cleans up, rather than files nobody accounts for. */
static int removeRunFiles(vkQEMUProcess *proc)
{
    int ret = 0;

    if (vkFileRemoveIfExists(proc->pidPath) < 0)
        ret = -1;
    if (removeSockets(proc->st->monitorPath, proc->eventsPath, proc->vncPath, proc->channelDir,
                      proc->socketDir) < 0)
        ret = -1;
    if (vkFileRemoveIfExists(proc->statusPath) < 0)
        ret = -1;
    return ret;
}

/* Appends the start time and the command to the log, and returns where qemu's own output
 * will begin, so that a failed start can quote exactly what this qemu said. */
static int writeLogHeader(const char *path, char **argv, gint64 *offset)
{
    g_auto(vkQEMUAutoFd) fd = -1;
    g_autoptr(GDateTime) now = g_date_time_new_now_utc();
    g_autofree char *stamp = g_date_time_format(now, "%Y-%m-%d %H:%M:%S.%fZ");
    g_autoptr(GString) text = g_string_new(NULL);
    struct stat sb;

    /* Never through a symbolic link or into a fifo: whoever planted one would have us append
     * to a file of their choosing, or hang. */
    fd = vkFileOpenState(path, O_WRONLY | O_APPEND | O_CREAT, 0600, "cannot open log file");
    if (fd < 0)
        return -1;
    g_string_append_printf(text, "%s: starting up\n", stamp);
    for (char **a = argv; *a; a++) {
        g_autofree char *quoted = g_shell_quote(*a);
        g_string_append_printf(text, "%s%s", a == argv ? "" : " ", quoted);
    }
    g_string_append_c(text, '\n');
    if (vkFileWriteFd(fd, text->str, text->len) < 0 || fstat(fd, &sb) < 0) {
        vkReportSystemError(PROC_ERR, errno, "cannot write log file '%s'", path);
        return -1;
    }
    *offset = sb.st_size;
    return 0;
}

/* What qemu wrote to the log since OFFSET, trimmed, at most LOG_EXCERPT_MAX bytes from its
 * end; NULL when it wrote nothing. Reports nothing: the caller has a better error. */
static char *readLogSince(const char *path, gint64 offset)
{
    g_auto(vkQEMUAutoFd) fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK);
    g_autofree char *buf = NULL;
    struct stat sb;
    gint64 from;
    ssize_t n;

    if (fd < 0 || fstat(fd, &sb) < 0 || sb.st_size <= offset)
        return NULL;
    from = MAX(offset, (gint64)sb.st_size - LOG_EXCERPT_MAX);
    buf = g_malloc0(LOG_EXCERPT_MAX + 1);
    if ((n = pread(fd, buf, LOG_EXCERPT_MAX, from)) <= 0)
        return NULL;
    buf[n] = '\0';
    g_strstrip(buf);
    return *buf ? g_steal_pointer(&buf) : NULL;
}

/* Why a qemu that is gone went away: qemu logs the signal that made it quit, while SIGKILL
 * and crashes leave nothing. */
static int deathReason(vkQEMUProcess *proc)
{
    g_autofree char *log = readLogSince(proc->logPath, proc->st->logOffset);

    if (proc->shutdownReason)
        return proc->shutdownReason;
    /* An event watcher saw qemu announce the shutdown (the guest powered off, or QMP quit)
     * and recorded it before qemu went, as libvirt's own state does. */
    if (proc->st->state == VIR_DOMAIN_SHUTDOWN)
        return VIR_DOMAIN_SHUTOFF_SHUTDOWN;
    if (log && strstr(log, "terminating on signal"))
        return VIR_DOMAIN_SHUTOFF_DESTROYED;
    return VIR_DOMAIN_SHUTOFF_CRASHED;
}

/* ---- waiting for qemu to exit ---- */

/* TRUE if PID is still the process that started at STARTTIME, zombie or not. */
static gboolean sameProcess(pid_t pid, unsigned long long startTime)
{
    virErrorPtr saved = vkSaveError();
    unsigned long long now = 0;
    gboolean same = vkProcessGetStartTime(pid, &now) == 0 && now == startTime;

    /* A pid that is gone is an answer here, not an error to leave behind. */
    vkRestoreError(saved);
    return same;
}

/* A process counts as gone once its main thread is a zombie, but its other threads may still
 * be exiting and holding its descriptors, and with them the taps. Without pidfds, poll until
 * the pid is free or reused, or only the zombie main thread is left. */
static gboolean pollThreadsGone(pid_t pid, unsigned long long startTime, int timeoutMs)
{
    g_autofree char *taskDir = g_strdup_printf("/proc/%d/task", (int)pid);
    gint64 deadline = g_get_monotonic_time() + (gint64)timeoutMs * 1000;
    gulong delayUs = 200;

    for (;;) {
        g_autoptr(GDir) dir = NULL;
        guint threads = 0;

        if (!sameProcess(pid, startTime) || !(dir = g_dir_open(taskDir, 0, NULL)))
            return TRUE;
        while (g_dir_read_name(dir))
            threads++;
        if (threads <= 1)
            return TRUE;
        if (g_get_monotonic_time() >= deadline)
            return FALSE;
        g_usleep(delayUs);
        delayUs = MIN(delayUs * 2, 10000);
    }
}

/* A pidfd of qemu: it becomes readable once every thread has exited, and so has released
 * the descriptors (and the taps); exact where polling /proc guesses. -1 when qemu is already
 * gone or its pid reused, -2 when the kernel has no pidfds. */
static int openPidfd(pid_t pid, unsigned long long startTime)
{
    int fd = syscall(SYS_pidfd_open, pid, 0);

    if (fd < 0)
        return errno == ESRCH ? -1 : -2;
    /* The pidfd pins the pid: checked now, it cannot turn into someone else later. */
    if (!sameProcess(pid, startTime)) {
        close(fd);
        return -1;
    }
    return fd;
}

static gboolean pidfdWait(int fd, int timeoutMs)
{
    struct pollfd p = { .fd = fd, .events = POLLIN };
    gint64 deadline = g_get_monotonic_time() + (gint64)timeoutMs * 1000;
    int rc;

    while ((rc = poll(&p, 1, MAX(0, (int)((deadline - g_get_monotonic_time()) / 1000)))) < 0 &&
           errno == EINTR) {
    }
    return rc > 0;
}

/* TRUE once every thread of qemu is gone, waiting up to TIMEOUTMS. */
static gboolean waitGone(pid_t pid, unsigned long long startTime, int timeoutMs)
{
    g_auto(vkQEMUAutoFd) fd = openPidfd(pid, startTime);

    if (fd == -1)
        return TRUE;
    if (fd >= 0)
        return pidfdWait(fd, timeoutMs);
    return vkProcessWaitExit(pid, startTime, timeoutMs) == 0 &&
           pollThreadsGone(pid, startTime, timeoutMs);
}

static int signalPidfd(int fd, pid_t pid, int sig)
{
    if (syscall(SYS_pidfd_send_signal, fd, sig, NULL, 0) < 0 && errno != ESRCH) {
        vkReportSystemError(PROC_ERR, errno, "cannot send %s to qemu (pid %d)", sigabbrev_np(sig),
                            (int)pid);
        return -1;
    }
    return 0;
}

/* Work that need not wait for qemu to be gone, done while it exits. */
typedef void (*vkQEMUExitingFunc)(void *opaque);

/* SIGTERM, GRACEMS for qemu to finish, then SIGKILL; returns once all of qemu is gone.
 * EXITING (if not NULL) runs once qemu has been asked to exit, or is found gone already. */
static int killQEMU(pid_t pid, unsigned long long startTime, int graceMs, vkQEMUExitingFunc exiting,
                    void *opaque)
{
    g_auto(vkQEMUAutoFd) fd = openPidfd(pid, startTime);

    if (fd == -1) {
        if (exiting)
            exiting(opaque);
        return 0;
    }
    if (fd == -2) {
        if (vkProcessKill(pid, startTime, graceMs) < 0)
            return -1;
        if (exiting)
            exiting(opaque);
        waitGone(pid, startTime, EXIT_WAIT_MS);
        return 0;
    }
    if (signalPidfd(fd, pid, SIGTERM) < 0)
        return -1;
    if (exiting)
        exiting(opaque);
    if (pidfdWait(fd, graceMs))
        return 0;
    if (signalPidfd(fd, pid, SIGKILL) < 0)
        return -1;
    if (pidfdWait(fd, KILL_TIMEOUT_MS))
        return 0;
    vkReportError(PROC_ERR, VIR_ERR_OPERATION_FAILED,
                  "qemu (pid %d) is still there %d ms after SIGKILL", (int)pid, KILL_TIMEOUT_MS);
    return -1;
}

static int writeReason(vkQEMUProcess *proc, int reason)
{
    const char *text = vkQEMUDomainStateReasonToString(VIR_DOMAIN_SHUTOFF, reason);

    if (proc->reasonWritten == reason)
        return 0;
    if (vkFileWriteRunState(proc->reasonPath, text ? text : "unknown", -1, 0600) < 0)
        return -1;
    proc->reasonWritten = reason;
    return 0;
}

/* qemu is gone, every thread of it: the guest is shut off and nothing of the run stays
 * behind. The kernel has already removed the taps with qemu's descriptors; deleting them by
 * name could hit a tap another guest has since been given under the same name. */
static void markExited(vkQEMUProcess *proc, int reason)
{
    g_clear_pointer(&proc->mon, vkQEMUMonitorClose);
    proc->active = FALSE;
    proc->st->state = VIR_DOMAIN_SHUTOFF;
    proc->st->reason = reason;
    /* The guest is shut off whatever becomes of its files. Files that cannot be changed (a
     * read-only root) keep naming a dead qemu, which every later look recognises as such. */
    if (writeReason(proc, reason) < 0 || removeRunFiles(proc) < 0)
        vkErrorWarn("cannot record that the domain stopped");
}

/* As markExited, for a qemu whose main thread is gone but whose other threads may still be
 * exiting (and holding the taps): they are waited for first. */
static void markGone(vkQEMUProcess *proc, int reason)
{
    waitGone(proc->st->pid, proc->st->startTime, EXIT_WAIT_MS);
    markExited(proc, reason);
}

int vkQEMUProcessRemoveStale(const vkQEMUProcessPaths *paths, const char *name)
{
    g_autofree char *status = vkQEMUDomainStatusPath(paths, name);
    g_autofree char *pid = vkQEMUDomainPidPath(paths, name);
    g_autofree char *monitor = vkQEMUDomainMonitorPath(paths, name);
    g_autofree char *vnc = vkQEMUDomainVNCSocketPath(paths, name);
    g_autofree char *events = vkQEMUDomainEventsPath(paths, name);
    g_autofree char *socketDir = vkQEMUDomainSocketDir(paths, name);
    g_autofree char *channelDir = vkQEMUDomainChannelDir(paths, name);

    if (g_file_test(status, G_FILE_TEST_EXISTS))
        return 0;
    if (vkFileRemoveIfExists(pid) < 0 ||
        removeSockets(monitor, events, vnc, channelDir, socketDir) < 0)
        return -1;
    return 0;
}

typedef struct {
    vkQEMUProcess *proc;
    int reason;
    vkQEMUExitingFunc exiting; /* the caller's */
    void *opaque;
} vkQEMUStopping;

/* While qemu exits: the reason is recorded and the files only a live qemu needs go, so that
 * once it is gone, removing the status file is all that is left. The status file itself
 * stays until then: it is what finds qemu again if this process dies now. What fails here
 * is tried again once qemu is gone. */
static void whileExiting(void *opaque)
{
    vkQEMUStopping *stop = opaque;
    virErrorPtr saved = vkSaveError();

    if (writeReason(stop->proc, stop->reason) == 0) {
        vkFileRemoveIfExists(stop->proc->pidPath);
        vkFileRemoveIfExists(stop->proc->st->monitorPath);
    }
    if (stop->exiting)
        stop->exiting(stop->opaque);
    vkRestoreError(saved);
}

int vkQEMUProcessStopWith(vkQEMUProcess *proc, int reason, int graceMs,
                          void (*exiting)(void *opaque), void *opaque)
{
    vkQEMUStopping stop = { proc, reason, exiting, opaque };

    if (!proc->active)
        return 0;
    /* qemu finishes its work on SIGTERM; nobody needs the monitor for that. */
    g_clear_pointer(&proc->mon, vkQEMUMonitorClose);
    /* killQEMU returns once all of qemu is gone: nothing left to wait for. */
    if (killQEMU(proc->st->pid, proc->st->startTime, graceMs, whileExiting, &stop) < 0)
        return -1;
    markExited(proc, reason);
    return 0;
}

int vkQEMUProcessStop(vkQEMUProcess *proc, int reason, int graceMs)
{
    return vkQEMUProcessStopWith(proc, reason, graceMs, NULL, NULL);
}

static int writeStatus(vkQEMUProcess *proc)
{
    return vkQEMUDomainStatusWrite(proc->statusPath, proc->st);
}

int vkQEMUProcessSetState(vkQEMUProcess *proc, int state, int reason)
{
    if (proc->st->state == state && proc->st->reason == reason)
        return 0;
    proc->st->state = state;
    proc->st->reason = reason;
    return proc->active ? writeStatus(proc) : 0;
}

/* ---- host resources for a start ---- */

/* Whether PID's command line names guest NAME with UUID. */
static gboolean isOurQEMU(pid_t pid, const char *name, const unsigned char *uuid)
{
    g_auto(GStrv) cmdline = vkProcessGetCmdline(pid);
    g_autoptr(GString) marker = g_string_new("guest=");
    char uuidstr[VIR_UUID_STRING_BUFLEN];
    gboolean named = FALSE, same = FALSE;

    vkCmdAppendEscaped(marker, name);
    g_string_append_c(marker, ',');
    vkUUIDFormat(uuid, uuidstr);
    for (char **a = cmdline; a && *a; a++) {
        if (g_str_has_prefix(*a, marker->str))
            named = TRUE;
        if (g_str_equal(*a, "-uuid") && a[1] && g_str_equal(a[1], uuidstr))
            same = TRUE;
    }
    return named && same;
}

/* A guest whose status file names a live qemu is running; leftovers of a dead one go. */
static int checkNotRunning(vkQEMUProcess *proc)
{
    g_autoptr(vkQEMUDomainStatus) old = NULL;
    pid_t pid = 0;

    if (vkQEMUDomainStatusRead(proc->statusPath, &old) < 0)
        return -1;
    if (old && vkProcessIsAlive(old->pid, old->startTime)) {
        vkReportError(PROC_ERR, VIR_ERR_OPERATION_INVALID,
                      "domain '%s' is already running (qemu pid %d)", proc->name, (int)old->pid);
        return -1;
    }
    /* A pid file without a status file: a start was killed in the instant between qemu's
     * spawn and its first status write. The pid file is in our run directory, and a process
     * carrying this guest's name and uuid is that qemu, which nobody else can know about. */
    if (!old && vkPidFileRead(proc->pidPath, &pid) == 0 && pid > 0 && vkProcessIsAlive(pid, 0) &&
        isOurQEMU(pid, proc->name, proc->st->def->uuid)) {
        unsigned long long startTime = 0;

        if (vkProcessGetStartTime(pid, &startTime) < 0 ||
            killQEMU(pid, startTime, 0, NULL, NULL) < 0)
            return -1;
    }
    vkResetLastError();
    return removeRunFiles(proc);
}

/* The monitor socket is created here and handed to qemu already listening: the connection
 * succeeds at once and qemu's greeting is the only thing to wait for, so start never polls
 * for a socket file, and a qemu that dies makes the wait end with end of file. */
static int monitorListen(const char *path, int backlog, int *fdOut)
{
    struct sockaddr_un addr = { .sun_family = AF_UNIX };
    g_auto(vkQEMUAutoFd) fd = -1;

    if (strlen(path) >= sizeof(addr.sun_path)) {
        vkReportError(PROC_ERR, VIR_ERR_INTERNAL_ERROR,
                      "monitor socket path '%s' is longer than a unix socket allows", path);
        return -1;
    }
    g_strlcpy(addr.sun_path, path, sizeof(addr.sun_path));
    if ((fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0)) < 0 ||
        bind(fd, (struct sockaddr *)&addr, sizeof(addr)) < 0 || listen(fd, backlog) < 0) {
        vkReportSystemError(PROC_ERR, errno, "cannot listen on monitor socket '%s'", path);
        return -1;
    }
    *fdOut = g_steal_fd(&fd);
    return 0;
}

static gboolean netModelIsVirtio(const vkDomainNetDef *net)
{
    return net->model && g_str_has_prefix(net->model, "virtio");
}

/* Creates the tap of interface I, attaches it to its bridge and queues its descriptor for
 * qemu as descriptor TARGET. The tap is not persistent: it disappears with the last
 * descriptor, so a qemu that dies takes its taps along. */
static int setupTap(vkQEMUProcess *proc, vkQEMURuntime *rt, size_t i, int target, GArray *fds)
{
    vkDomainNetDef *net = proc->st->def->nets[i];
    const char *bridge = NULL;
    g_autofree char *ifname = NULL;
    g_auto(vkQEMUAutoFd) tapfd = -1;
    unsigned char mac[VK_NETDEV_MAC_LEN];
    unsigned int mtu;

    if (net->type == VK_DOMAIN_NET_TYPE_BRIDGE)
        bridge = net->bridge;
    else if (net->type == VK_DOMAIN_NET_TYPE_NETWORK && !(bridge = rt->nets[i].bridge)) {
        vkReportError(PROC_ERR, VIR_ERR_INTERNAL_ERROR,
                      "interface %zu: network '%s' was not resolved to a bridge", i, net->network);
        return -1;
    }
    if (vkNetDevTapCreate(net->ifname ? net->ifname : "vnet%d",
                          netModelIsVirtio(net) ? VK_NETDEV_TAP_VNET_HDR : 0, &ifname, &tapfd) < 0)
        return -1;
    /* The guest owns its MAC; a bridge takes the lowest MAC of its ports as its own, and fe:
     * keeps the tap from ever being that lowest one. */
    memcpy(mac, net->mac, sizeof(mac));
    mac[0] = 0xfe;
    if (vkNetDevSetMAC(ifname, mac) < 0)
        return -1;
    if (bridge && (vkNetDevGetMTU(bridge, &mtu) < 0 || vkNetDevSetMTU(ifname, mtu) < 0 ||
                   vkNetDevBridgeAddPort(bridge, ifname) < 0))
        return -1;
    if (vkNetDevSetOnline(ifname, TRUE) < 0)
        return -1;
    vkQEMUDomainStatusAddTap(proc->st, ifname, bridge);
    g_free(net->ifname);
    net->ifname = g_steal_pointer(&ifname);
    rt->nets[i].tapFd = target;
    g_array_append_val(fds, ((vkProcessFd){ .fd = g_steal_fd(&tapfd), .target = target }));
    return 0;
}

static int setupTaps(vkQEMUProcess *proc, vkQEMURuntime *rt, GArray *fds)
{
    vkDomainDef *def = proc->st->def;
    int target = FIRST_TAP_FD;

    if (rt->nnets < def->nnets) {
        vkReportError(PROC_ERR, VIR_ERR_INTERNAL_ERROR, "%s",
                      "runtime facts do not cover every interface");
        return -1;
    }
    for (size_t i = 0; i < def->nnets; i++) {
        if (vkQEMUNetUsesTap(def->nets[i]) && setupTap(proc, rt, i, target++, fds) < 0)
            return -1;
    }
    return 0;
}

/* The live definition shows what the guest really got: ports, addresses, sockets. */
static void applyGraphicsFacts(vkDomainDef *def, const vkQEMURuntime *rt)
{
    for (size_t i = 0; i < def->ngraphics && i < rt->ngraphics; i++) {
        vkDomainGraphicsDef *g = def->graphics[i];
        const vkQEMUGraphicsRuntime *rg = &rt->graphics[i];
        vkDomainGraphicsListenDef *l = vkDomainGraphicsGetListen(g, 0);

        if (rg->port)
            g->port = rg->port;
        if (rg->tlsPort)
            g->tlsPort = rg->tlsPort;
        if (rg->websocket) {
            g->websocketGenerated = g->websocket == -1;
            g->websocket = rg->websocket;
        }
        if (!l)
            continue;
        /* An address listen without an address gets the driver's default: this host's
         * setting, which never travels with the guest. */
        if (l->type == VK_DOMAIN_GRAPHICS_LISTEN_TYPE_ADDRESS && !l->address)
            l->fromConfig = TRUE;
        if (rg->address) {
            g_free(l->address);
            l->address = g_strdup(rg->address);
        } else if (l->type == VK_DOMAIN_GRAPHICS_LISTEN_TYPE_ADDRESS && !l->address) {
            l->address = g_strdup(VK_QEMU_DEFAULT_LISTEN);
        }
        if (rg->socket && l->type == VK_DOMAIN_GRAPHICS_LISTEN_TYPE_SOCKET) {
            l->autoGenerated = l->socket == NULL;
            g_free(l->socket);
            l->socket = g_strdup(rg->socket);
        }
    }
}

/* ---- setup over QMP ---- */

static int setPasswords(vkQEMUProcess *proc)
{
    vkDomainDef *def = proc->st->def;

    for (size_t i = 0; i < def->ngraphics; i++) {
        const vkDomainGraphicsDef *g = def->graphics[i];

        if (g->passwd && vkQEMUMonitorSetPassword(proc->mon, vkDomainGraphicsTypeToString(g->type),
                                                  g->passwd) < 0)
            return -1;
    }
    return 0;
}

static void setPtyPath(vkDomainChrDef **chrs, size_t n, const char *label, const char *pty)
{
    for (size_t i = 0; i < n; i++) {
        g_autofree char *alias = vkQEMUChrAlias(chrs[i], i);
        g_autofree char *id = g_strconcat("char", alias, NULL);

        if (chrs[i]->type == VK_DOMAIN_CHR_TYPE_PTY && g_str_equal(id, label)) {
            g_free(chrs[i]->path);
            chrs[i]->path = g_strdup(pty);
        }
    }
}

/* qemu picks the ptys; the live definition names them so that consoles can find them. */
static int fetchPtyPaths(vkQEMUProcess *proc)
{
    vkDomainDef *def = proc->st->def;
    g_autoptr(json_object) ret = NULL;
    gboolean wanted = FALSE;

    for (size_t i = 0; i < def->nserials; i++)
        wanted |= def->serials[i]->type == VK_DOMAIN_CHR_TYPE_PTY;
    for (size_t i = 0; i < def->nconsoles; i++)
        wanted |= def->consoles[i]->type == VK_DOMAIN_CHR_TYPE_PTY;
    if (!wanted)
        return 0;
    if (vkQEMUMonitorCommand(proc->mon, "query-chardev", NULL, START_MONITOR_TIMEOUT_MS, &ret,
                             NULL) < 0)
        return -1;
    for (size_t i = 0;
         json_object_is_type(ret, json_type_array) && i < json_object_array_length(ret); i++) {
        json_object *entry = json_object_array_get_idx(ret, i);
        const char *label = vkQEMUJSONGetString(entry, "label");
        const char *filename = vkQEMUJSONGetString(entry, "filename");

        if (!label || !filename || !g_str_has_prefix(filename, "pty:"))
            continue;
        setPtyPath(def->serials, def->nserials, label, filename + 4);
        setPtyPath(def->consoles, def->nconsoles, label, filename + 4);
    }
    return 0;
}

static int setupBalloon(vkQEMUProcess *proc)
{
    const vkDomainDef *def = proc->st->def;
    const vkDomainMemballoonDef *balloon = def->memballoon;
    g_autofree char *path = NULL;

    if (!balloon || balloon->model == VK_DOMAIN_MEMBALLOON_MODEL_NONE)
        return 0;
    if (def->currentMemory < def->memory) {
        g_autoptr(json_object) args = json_object_new_object();

        json_object_object_add(args, "value",
                               json_object_new_int64((gint64)def->currentMemory * 1024));
        if (vkQEMUMonitorCommand(proc->mon, "balloon", args, START_MONITOR_TIMEOUT_MS, NULL, NULL) <
            0)
            return -1;
    }
    if (balloon->period) {
        g_autoptr(json_object) args = json_object_new_object();

        path = g_strdup_printf("/machine/peripheral/%s",
                               balloon->info.alias ? balloon->info.alias : "balloon0");
        json_object_object_add(args, "path", json_object_new_string(path));
        json_object_object_add(args, "property",
                               json_object_new_string("guest-stats-polling-interval"));
        json_object_object_add(args, "value", json_object_new_int64(balloon->period));
        if (vkQEMUMonitorCommand(proc->mon, "qom-set", args, START_MONITOR_TIMEOUT_MS, NULL, NULL) <
            0)
            return -1;
    }
    return 0;
}

/* ---- start ---- */

/* The caller's environment, plus TZ for a guest clock in a named time zone. */
static char **buildEnvironment(const vkDomainDef *def)
{
    if (def->clock.offset != VK_DOMAIN_CLOCK_OFFSET_TIMEZONE || !def->clock.timezone)
        return NULL;
    return g_environ_setenv(g_get_environ(), "TZ", def->clock.timezone, TRUE);
}

/* Runs between fork and exec: the provisional status names the process before qemu runs, so
 * that a start whose process dies at any moment leaves either nothing or a qemu the next
 * process finds (and stops, see Reconnect). */
static int recordSpawned(pid_t pid, void *opaque)
{
    vkQEMUProcess *proc = opaque;

    proc->st->pid = pid;
    if (vkProcessGetStartTime(pid, &proc->st->startTime) < 0)
        return -1;
    /* Before qemu runs, so that every thread it starts inherits the CPUs. */
    if (proc->st->def->cpumask && vkProcessSetAffinity(pid, proc->st->def->cpumask) < 0)
        return -1;
    return writeStatus(proc);
}

static int spawnQEMU(vkQEMUProcess *proc, char **argv, GArray *fds)
{
    g_auto(GStrv) envp = buildEnvironment(proc->st->def);
    vkProcessSpawnOptions opts = {
        .argv = (const char *const *)argv,
        .envp = (const char *const *)envp,
        .logFile = proc->logPath,
        .fds = (const vkProcessFd *)fds->data,
        .nfds = fds->len,
        .pidFile = proc->pidPath,
        .beforeExec = recordSpawned,
        .opaque = proc,
        .detach = TRUE,
    };

    if (vkProcessSpawn(&opts, &proc->st->pid) < 0)
        return -1;
    proc->active = TRUE;
    /* qemu holds the only copies now: its death must close the monitor and the taps. */
    g_array_set_size(fds, 0);
    return 0;
}

/* Unix channels without a path (the guest agent's, as virt-install writes it) get a socket in
 * the guest's channel directory; the live definition shows where. */
static int placeChannelSockets(vkQEMUProcess *proc, vkQEMURuntime *rt)
{
    vkDomainDef *def = proc->st->def;
    gboolean made = FALSE;

    g_free(rt->channelDir);
    rt->channelDir = g_strdup(proc->channelDir);
    for (size_t i = 0; i < def->nchannels; i++) {
        vkDomainChrDef *chr = def->channels[i];

        if (chr->type != VK_DOMAIN_CHR_TYPE_UNIX || chr->path)
            continue;
        if (!(chr->path = vkQEMUChannelSocketPath(proc->channelDir, chr)))
            return -1;
        chr->autoPath = TRUE;
        chr->listen = TRUE;
        if (strlen(chr->path) >= sizeof(((struct sockaddr_un *)NULL)->sun_path)) {
            vkReportError(PROC_ERR, VIR_ERR_CONFIG_UNSUPPORTED,
                          "channel socket path '%s' is too long", chr->path);
            return -1;
        }
        if (!made && vkFileMakePath(proc->channelDir, 0700) < 0)
            return -1;
        made = TRUE;
    }
    return 0;
}

static int startSteps(vkQEMUProcess *proc, const vkQEMUProcessPaths *paths, vkQEMURuntime *rt,
                      const vkQEMUCaps *caps, unsigned int flags)
{
    vkQEMUDomainStatus *st = proc->st;
    vkDomainDef *def = st->def;
    g_autoptr(GArray) fds = g_array_new(FALSE, FALSE, sizeof(vkProcessFd));
    g_auto(GStrv) argv = NULL;
    vkProcessFd monitor = { .fd = -1, .target = MONITOR_FD };
    vkProcessFd events = { .fd = -1, .target = EVENTS_FD };

    g_array_set_clear_func(fds, clearPassedFd);
    if (vkFileMakePath(paths->runDir, 0755) < 0 || vkFileMakePath(paths->logDir, 0755) < 0 ||
        checkNotRunning(proc) < 0)
        return -1;
    proc->ownsRunFiles = TRUE;
    if (proc->socketDir && vkFileMakePath(proc->socketDir, 0700) < 0)
        return -1;
    if (placeChannelSockets(proc, rt) < 0)
        return -1;
    if (setupTaps(proc, rt, fds) < 0 || monitorListen(st->monitorPath, 1, &monitor.fd) < 0)
        return -1;
    g_array_append_val(fds, monitor);
    if (monitorListen(proc->eventsPath, EVENTS_BACKLOG, &events.fd) < 0)
        return -1;
    g_array_append_val(fds, events);
    g_free(rt->monitorPath);
    rt->monitorPath = g_strdup(st->monitorPath);
    rt->monitorFd = MONITOR_FD;
    g_free(rt->eventsPath);
    rt->eventsPath = g_strdup(proc->eventsPath);
    rt->eventsFd = EVENTS_FD;
    applyGraphicsFacts(def, rt);
    if (!(argv = vkQEMUBuildCommandLine(def, rt, caps)))
        return -1;
    st->emulator = g_strdup(argv[0]);
    st->accel = g_strdup(rt->accel                             ? rt->accel
                         : def->virtType == VK_DOMAIN_VIRT_KVM ? "kvm"
                                                               : "tcg");
    if (writeLogHeader(proc->logPath, argv, &st->logOffset) < 0 || spawnQEMU(proc, argv, fds) < 0)
        return -1;
    if (!(proc->mon = vkQEMUMonitorOpen(st->monitorPath, st->pid, START_MONITOR_TIMEOUT_MS)))
        return -1;
    proc->monitorUp = TRUE;
    /* An incoming guest's balloon comes with its state from the source. */
    if (setPasswords(proc) < 0 || fetchPtyPaths(proc) < 0 ||
        (!(flags & VK_QEMU_PROCESS_START_INCOMING) && setupBalloon(proc) < 0))
        return -1;
    if (def->id <= 0)
        def->id = st->pid;
    if (flags & VK_QEMU_PROCESS_START_INCOMING) {
        st->state = VIR_DOMAIN_PAUSED;
        st->reason = VIR_DOMAIN_PAUSED_MIGRATION;
    } else if (flags & VK_QEMU_PROCESS_START_PAUSED) {
        st->state = VIR_DOMAIN_PAUSED;
        st->reason = VIR_DOMAIN_PAUSED_USER;
    } else {
        st->state = VIR_DOMAIN_RUNNING;
        st->reason = VIR_DOMAIN_RUNNING_BOOTED;
    }
    /* On disk before the guest runs: from here on any process can find this qemu. */
    if (writeStatus(proc) < 0)
        return -1;
    if (st->state == VIR_DOMAIN_RUNNING && vkQEMUMonitorCont(proc->mon) < 0)
        return -1;
    return 0;
}

/* Undoes a failed start. When qemu itself gave up, its own words replace the error. */
static void startFailed(vkQEMUProcess *proc)
{
    virErrorPtr saved = vkSaveError();
    gboolean qemuDied = FALSE;
    g_autofree char *log = NULL;

    if (proc->active) {
        /* A monitor that failed before greeting usually means qemu is on its way out; give
         * it a moment to be seen gone rather than killed by us. */
        qemuDied =
            waitGone(proc->st->pid, proc->st->startTime, proc->monitorUp ? 0 : START_EXIT_GRACE_MS);
        /* Also makes sure qemu has written all it will write. */
        vkQEMUProcessStop(proc, VIR_DOMAIN_SHUTOFF_FAILED, 0);
        log = readLogSince(proc->logPath, proc->st->logOffset);
    }
    /* Those of a guest that was already running are not ours to remove. */
    if (proc->ownsRunFiles)
        removeRunFiles(proc);
    proc->active = FALSE;
    vkRestoreError(saved);
    if (qemuDied && log)
        vkReportError(PROC_ERR, VIR_ERR_INTERNAL_ERROR, "qemu failed to start: %s", log);
}

int vkQEMUProcessStart(const vkQEMUProcessPaths *paths, const vkDomainDef *def, vkQEMURuntime *rt,
                       const vkQEMUCaps *caps, unsigned int flags, vkQEMUProcess **out)
{
    g_autoptr(vkQEMUProcess) proc = processNew(paths, def->name);

    *out = NULL;
    proc->st = g_new0(vkQEMUDomainStatus, 1);
    proc->st->def = vkDomainDefCopy(def);
    proc->st->monitorPath = vkQEMUDomainMonitorPath(paths, def->name);
    proc->st->state = VIR_DOMAIN_PAUSED;
    proc->st->reason = VIR_DOMAIN_PAUSED_STARTING_UP;
    if (startSteps(proc, paths, rt, caps, flags) < 0) {
        startFailed(proc);
        return -1;
    }
    *out = g_steal_pointer(&proc);
    return 0;
}

/* ---- events and reconnection ---- */

/* A guest that powered off or panicked is stopped when its lifecycle action says destroy;
 * the other actions (restart, preserve, coredump) are the driver's to carry out. */
static int applyLifecycle(vkQEMUProcess *proc, int action, int reason)
{
    if (action != VK_DOMAIN_LIFECYCLE_DESTROY)
        return 0;
    return vkQEMUProcessStop(proc, reason, VK_QEMU_PROCESS_STOP_GRACE_MS);
}

static int applyEvent(vkQEMUProcess *proc, const vkQEMUMonitorEvent *event)
{
    vkQEMUDomainStatus *st = proc->st;

    if (g_str_equal(event->name, "STOP")) {
        if (st->state == VIR_DOMAIN_RUNNING)
            return vkQEMUProcessSetState(proc, VIR_DOMAIN_PAUSED, VIR_DOMAIN_PAUSED_UNKNOWN);
    } else if (g_str_equal(event->name, "RESUME")) {
        if (st->state == VIR_DOMAIN_PAUSED)
            return vkQEMUProcessSetState(proc, VIR_DOMAIN_RUNNING, VIR_DOMAIN_RUNNING_UNPAUSED);
    } else if (g_str_equal(event->name, "SHUTDOWN")) {
        json_object *guest = vkQEMUJSONGetMember(event->data, "guest", json_type_boolean);
        const char *why = vkQEMUJSONGetString(event->data, "reason");

        proc->shutdownReason = g_strcmp0(why, "host-signal") == 0 ? VIR_DOMAIN_SHUTOFF_DESTROYED
                                                                  : VIR_DOMAIN_SHUTOFF_SHUTDOWN;
        if (vkQEMUProcessSetState(proc, VIR_DOMAIN_SHUTDOWN, VIR_DOMAIN_SHUTDOWN_UNKNOWN) < 0)
            return -1;
        /* A shutdown the host asked for (quit, a signal) ends qemu by itself; only the
         * guest's own poweroff leaves it waiting, under -no-shutdown, for the lifecycle
         * action. */
        if (!guest || !json_object_get_boolean(guest))
            return 0;
        return applyLifecycle(proc, st->def->onPoweroff, VIR_DOMAIN_SHUTOFF_SHUTDOWN);
    } else if (g_str_equal(event->name, "GUEST_PANICKED")) {
        if (vkQEMUProcessSetState(proc, VIR_DOMAIN_CRASHED, VIR_DOMAIN_CRASHED_PANICKED) < 0)
            return -1;
        return applyLifecycle(proc, st->def->onCrash, VIR_DOMAIN_SHUTOFF_CRASHED);
    }
    /* RESET changes nothing we track: the guest keeps running through a reboot. */
    return 0;
}

/* qemu closed the monitor: it is exiting. Wait for it, then record why it went. */
static int monitorClosed(vkQEMUProcess *proc)
{
    if (!waitGone(proc->st->pid, proc->st->startTime, EXIT_WAIT_MS)) {
        vkReportError(PROC_ERR, VIR_ERR_OPERATION_FAILED,
                      "qemu (pid %d) closed its monitor but did not exit", (int)proc->st->pid);
        return -1;
    }
    markExited(proc, deathReason(proc));
    return 0;
}

int vkQEMUProcessHandleEvents(vkQEMUProcess *proc, int timeoutMs)
{
    int handled = 0;

    while (proc->active) {
        g_autoptr(vkQEMUMonitorEvent) event = NULL;
        int rc = vkQEMUMonitorNextEvent(proc->mon, NULL, handled ? 0 : timeoutMs, &event);

        if (rc == 0)
            break;
        if (rc < 0) {
            if (!vkQEMUMonitorIsClosed(proc->mon))
                return -1;
            /* End of file is how qemu says it exited, not a failure of ours. */
            vkResetLastError();
            return monitorClosed(proc) < 0 ? -1 : handled;
        }
        if (applyEvent(proc, event) < 0)
            return -1;
        handled++;
    }
    return handled;
}

/* The state qemu reports, for a process that was not watching its events. */
static int refreshState(vkQEMUProcess *proc)
{
    vkQEMUDomainStatus *st = proc->st;
    g_autofree char *status = NULL;
    gboolean running;

    if (vkQEMUMonitorQueryStatus(proc->mon, &running, &status) < 0)
        return -1;
    if (running) {
        if (st->state != VIR_DOMAIN_RUNNING)
            return vkQEMUProcessSetState(proc, VIR_DOMAIN_RUNNING, VIR_DOMAIN_RUNNING_UNPAUSED);
        return 0;
    }
    if (g_str_equal(status, "shutdown")) {
        proc->shutdownReason = VIR_DOMAIN_SHUTOFF_SHUTDOWN;
        return vkQEMUProcessStop(proc, VIR_DOMAIN_SHUTOFF_SHUTDOWN, VK_QEMU_PROCESS_STOP_GRACE_MS);
    }
    if (g_str_equal(status, "guest-panicked")) {
        if (vkQEMUProcessSetState(proc, VIR_DOMAIN_CRASHED, VIR_DOMAIN_CRASHED_PANICKED) < 0)
            return -1;
        return applyLifecycle(proc, st->def->onCrash, VIR_DOMAIN_SHUTOFF_CRASHED);
    }
    if (g_str_equal(status, "io-error"))
        return vkQEMUProcessSetState(proc, VIR_DOMAIN_PAUSED, VIR_DOMAIN_PAUSED_IOERROR);
    if (g_str_equal(status, "watchdog"))
        return vkQEMUProcessSetState(proc, VIR_DOMAIN_PAUSED, VIR_DOMAIN_PAUSED_WATCHDOG);
    /* prelaunch, paused and the rest: keep the recorded reason for a guest already paused. */
    if (st->state != VIR_DOMAIN_PAUSED)
        return vkQEMUProcessSetState(proc, VIR_DOMAIN_PAUSED, VIR_DOMAIN_PAUSED_UNKNOWN);
    return 0;
}

/* How closely attach looks at a live qemu. */
typedef enum {
    ATTACH_PROCESS, /* the status file and the process: no monitor */
    ATTACH_MONITOR, /* connect the monitor and take qemu's state; its silence is an error */
    ATTACH_PROBE,   /* ask qemu for its state within a bound; its silence leaves the record */
} vkQEMUAttachMode;

/* A probed qemu that did not answer: what the status file says stands. */
static int noAnswer(vkQEMUProcess *proc, vkQEMUProcess **out)
{
    vkResetLastError();
    g_clear_pointer(&proc->mon, vkQEMUMonitorClose);
    *out = proc;
    return VK_QEMU_RECONNECT_NO_ANSWER;
}

/* KNOWN (if not NULL) is the status, read under the guest's lock, taken over. */
static int attach(const vkQEMUProcessPaths *paths, const char *name, vkQEMUAttachMode mode,
                  int timeoutMs, vkQEMUDomainStatus **known, vkQEMUProcess **out, int *reason)
{
    g_autoptr(vkQEMUProcess) proc = processNew(paths, name);
    gboolean probe = mode == ATTACH_PROBE;
    gint64 deadline = g_get_monotonic_time() + (gint64)timeoutMs * 1000;
    vkQEMUDomainStatus *st;

    *out = NULL;
    *reason = VIR_DOMAIN_SHUTOFF_UNKNOWN;
    if (known)
        proc->st = g_steal_pointer(known);
    else if (vkQEMUDomainStatusRead(proc->statusPath, &proc->st) < 0)
        return -1;
    if (!(st = proc->st))
        return VK_QEMU_RECONNECT_NOT_RUNNING;
    if (!vkProcessIsAlive(st->pid, st->startTime)) {
        *reason = deathReason(proc);
        markGone(proc, *reason);
        return VK_QEMU_RECONNECT_DIED;
    }
    proc->active = TRUE;
    /* The caller holds the guest's lock, which the starting process held until it finished:
     * a status still starting up means that process died half way. Its qemu never got its
     * setup, so it is stopped, as libvirt stops a guest whose start it did not see finish. */
    if (st->state == VIR_DOMAIN_PAUSED && st->reason == VIR_DOMAIN_PAUSED_STARTING_UP) {
        if (vkQEMUProcessStop(proc, VIR_DOMAIN_SHUTOFF_FAILED, 0) < 0)
            return -1;
        *reason = VIR_DOMAIN_SHUTOFF_FAILED;
        return VK_QEMU_RECONNECT_DIED;
    }
    if (mode == ATTACH_PROCESS) {
        *out = g_steal_pointer(&proc);
        return VK_QEMU_RECONNECT_RUNNING;
    }
    /* A stopped qemu cannot greet: asking would only wait out the bound. */
    if (probe && vkProcessIsStopped(st->pid, st->startTime))
        return noAnswer(g_steal_pointer(&proc), out);
    if (!(proc->mon = vkQEMUMonitorOpen(st->monitorPath, st->pid, timeoutMs))) {
        /* It may be dying: a killed qemu closes its sockets before the kernel has torn down
         * its memory, and only then is it gone. */
        int wait = probe ? (int)MAX(0, (deadline - g_get_monotonic_time()) / 1000) : DYING_WAIT_MS;

        if (!waitGone(st->pid, st->startTime, wait))
            return probe ? noAnswer(g_steal_pointer(&proc), out) : -1;
        vkResetLastError();
        *reason = deathReason(proc);
        markGone(proc, *reason);
        return VK_QEMU_RECONNECT_DIED;
    }
    proc->monitorUp = TRUE;
    if (probe)
        vkQEMUMonitorSetDefaultTimeout(
            proc->mon, (int)MAX(1, (deadline - g_get_monotonic_time() + 999) / 1000));
    if (refreshState(proc) < 0) {
        if (probe && virGetLastErrorCode() == VIR_ERR_OPERATION_TIMEOUT)
            return noAnswer(g_steal_pointer(&proc), out);
        return -1;
    }
    if (!proc->active) {
        *reason = st->reason;
        return VK_QEMU_RECONNECT_DIED;
    }
    *out = g_steal_pointer(&proc);
    return VK_QEMU_RECONNECT_RUNNING;
}

int vkQEMUProcessReconnect(const vkQEMUProcessPaths *paths, const char *name, vkQEMUProcess **out,
                           int *reason)
{
    return attach(paths, name, ATTACH_MONITOR, RECONNECT_MONITOR_TIMEOUT_MS, NULL, out, reason);
}

int vkQEMUProcessProbe(const vkQEMUProcessPaths *paths, const char *name, int timeoutMs,
                       vkQEMUProcess **out, int *reason)
{
    return attach(paths, name, ATTACH_PROBE, timeoutMs, NULL, out, reason);
}

int vkQEMUProcessAttach(const vkQEMUProcessPaths *paths, const char *name, vkQEMUProcess **out,
                        int *reason)
{
    return attach(paths, name, ATTACH_PROCESS, 0, NULL, out, reason);
}

int vkQEMUProcessAttachStatus(const vkQEMUProcessPaths *paths, const char *name,
                              vkQEMUDomainStatus **st, vkQEMUProcess **out, int *reason)
{
    return attach(paths, name, ATTACH_PROCESS, 0, st, out, reason);
}

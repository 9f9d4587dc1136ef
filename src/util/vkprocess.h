/* Host processes: starting long-lived programs such as qemu detached from their caller, pid
 * files, and stopping a process safely even though its pid may have been reused since. */
#pragma once

#include <sys/types.h>
#include <glib.h>

#include "vkbitmap.h"

/* A descriptor the new program inherits: FD in the caller becomes TARGET in the program. */
typedef struct {
    int fd;
    int target; /* 3 or above; each target at most once */
} vkProcessFd;

typedef struct {
    /* argv[0] is a path, or a bare name looked up in PATH; no shell is involved. */
    const char *const *argv;
    /* NULL: the caller's environment. */
    const char *const *envp;
    /* stdout and stderr are appended to this file (created 0600 if missing); NULL: /dev/null.
     * stdin is always /dev/null. */
    const char *logFile;
    /* Instead of LOGFILE: stdout and stderr go to this descriptor (a pipe, an unnamed file).
     * 0 means none; 1 and 2 cannot be passed. */
    int logFd;
    /* The only descriptors besides 0-2 that stay open in the program. */
    const vkProcessFd *fds;
    size_t nfds;
    /* Written atomically with the pid before the program is executed; NULL: none. */
    const char *pidFile;
    /* Called with the new process's pid after the pid file is written and before the program
     * is executed; the process waits for it. If the caller dies before this returns, the
     * process exits instead of running the program, so a caller that records PID here (a
     * status file) never leaves behind a program it has no record of. A negative return
     * cancels the spawn: the process exits and vkProcessSpawn fails. NULL: none. */
    int (*beforeExec)(pid_t pid, void *opaque);
    void *opaque;
    /* TRUE: the program runs in its own session, is reparented to init through a double
     * fork and starts in "/", so it outlives the caller and never becomes the caller's
     * zombie. FALSE: it stays the caller's child, in the caller's process group (a
     * terminal's Ctrl-C reaches both), and vkProcessKill or vkProcessWaitExit reaps it. */
    gboolean detach;
    /* TRUE (only without DETACH): the program is killed (SIGKILL) when the thread that
     * spawned it exits, however that happens, so that a helper meant to live no longer than
     * its caller (a probe, a command) never outlives a caller that was killed. */
    gboolean dieWithCaller;
} vkProcessSpawnOptions;

/* Starts the program; returns 0 once it is executing, with *PID set. Failing to execute it
 * (missing binary, no permission) is reported here, not left to show up as an early exit. */
int vkProcessSpawn(const vkProcessSpawnOptions *opts, pid_t *pid);

/* For g_spawn_*()'s child_setup, with CALLER the spawning process's pid (GINT_TO_POINTER):
 * the child gets SIGKILL when the thread that spawned it exits, and exits at once if the
 * caller is already gone. */
void vkProcessDieWithCallerSetup(gpointer caller);

/* The start time of PID in clock ticks since boot (field 22 of /proc/PID/stat). Together
 * with the pid it names one process for the life of the host. */
int vkProcessGetStartTime(pid_t pid, unsigned long long *startTime);

/* The argument vector of PID as the kernel shows it (/proc/PID/cmdline); empty for kernel
 * threads and zombies. */
char **vkProcessGetCmdline(pid_t pid);

/* TRUE if PID exists, has not exited (a zombie counts as gone) and, unless EXPECTEDSTARTTIME
 * is 0, is still the process that started at that time. Reports nothing. */
gboolean vkProcessIsAlive(pid_t pid, unsigned long long expectedStartTime);

/* As vkProcessIsAlive, but a process already inside exit() counts as gone too: it may have
 * closed its descriptors (a pipe's end of file) a moment before it becomes a zombie. */
gboolean vkProcessIsRunning(pid_t pid, unsigned long long expectedStartTime);

/* TRUE if PID (unless EXPECTEDSTARTTIME is 0, the process that started then) is stopped, by
 * a signal such as SIGSTOP or by a tracer: it answers nobody until it is continued. Reports
 * nothing. */
gboolean vkProcessIsStopped(pid_t pid, unsigned long long expectedStartTime);

/* Waits up to TIMEOUTMS (negative: forever) for the process to be gone, reaping it when it
 * is the caller's child. Returns 0 when gone, 1 when it is still alive at the timeout. */
int vkProcessWaitExit(pid_t pid, unsigned long long startTime, int timeoutMs);

/* Stops the process: SIGTERM, up to GRACEMS for it to exit, then SIGKILL, and returns 0
 * only once it is really gone. STARTTIME (0: not checked) guards against signalling a
 * stranger that reused the pid; a process that is already gone is a success. */
int vkProcessKill(pid_t pid, unsigned long long startTime, int graceMs);

/* Writes "PID\n" to PATH atomically. */
/* Lets PID (and the threads and processes it creates afterwards) run only on the host CPUs in
 * CPUS, as libvirt does for <vcpu cpuset=...>. */
int vkProcessSetAffinity(pid_t pid, const vkBitmap *cpus);

int vkPidFileWrite(const char *path, pid_t pid);

/* Reads a pid file; a missing file is not an error and yields *PID 0. */
int vkPidFileRead(const char *path, pid_t *pid);

/* Removes a pid file; a missing one counts as removed. */
int vkPidFileRemove(const char *path);

/* The life of one qemu process: start a guest (taps, monitor socket, detached qemu, QMP
 * setup, status file), follow its QMP events, stop it, and find it again from another
 * process through its status file. */
#pragma once

#include <glib.h>

#include "conf/domain_conf.h"
#include "qemu/qemu_capabilities.h"
#include "qemu/qemu_command.h"
#include "qemu/qemu_domain.h"
#include "qemu/qemu_monitor.h"

/* A running (or just stopped) guest's qemu. Not locked: the driver serialises the calls for
 * one guest, across processes too (a lock file per guest), because qemu serves one QMP
 * client at a time. */
typedef struct _vkQEMUProcess vkQEMUProcess;

typedef enum {
    /* Leave the vCPUs stopped after setup: state paused, reason user. */
    VK_QEMU_PROCESS_START_PAUSED = 1 << 0,
    /* qemu waits for a migration's data (RT's incoming): state paused, reason migration, until
     * the driver resumes it. */
    VK_QEMU_PROCESS_START_INCOMING = 1 << 1,
} vkQEMUProcessStartFlags;

/* How long qemu gets to exit after SIGTERM before SIGKILL. */
#define VK_QEMU_PROCESS_STOP_GRACE_MS 10000

/* Starts DEF (a persistent or live definition; it is copied) and returns once qemu runs
 * (or, with VK_QEMU_PROCESS_START_PAUSED, waits) and the status file is written.
 *
 * RT holds the facts resolved beforehand (emulator, accelerator, graphics ports and
 * addresses, the bridge of each interface of type network); this function fills in the
 * monitor socket and the tap descriptors. CAPS may be NULL (see vkQEMUBuildCommandLine).
 * The live definition gets the id (DEF's own if it is positive, else qemu's pid), the tap
 * names, the allocated ptys and the resolved graphics facts.
 *
 * qemu's output goes to LOGDIR/NAME.log, after a line with the command. If anything fails,
 * qemu is killed, the run files are removed, the taps disappear with their descriptors,
 * and the error carries qemu's own message from the log when qemu was the one to fail. */
int vkQEMUProcessStart(const vkQEMUProcessPaths *paths, const vkDomainDef *def, vkQEMURuntime *rt,
                       const vkQEMUCaps *caps, unsigned int flags, vkQEMUProcess **out);

typedef enum {
    VK_QEMU_RECONNECT_NOT_RUNNING, /* no status file: the guest was not running */
    VK_QEMU_RECONNECT_RUNNING,     /* qemu is alive and its monitor answers */
    VK_QEMU_RECONNECT_DIED,        /* qemu is gone (or powered off); run files cleaned up */
    VK_QEMU_RECONNECT_NO_ANSWER,   /* qemu lives but did not answer (vkQEMUProcessProbe) */
} vkQEMUReconnectResult;

/* Finds the guest NAME started by any process: reads its status file, checks that the pid
 * is still the same qemu (same start time, so a reused pid does not count), reconnects the
 * monitor and refreshes the state from qemu. A qemu that has died leaves the guest shut off
 * with *REASON (virDomainShutoffReason) destroyed (it was sent SIGTERM), shutdown (the
 * guest powered off; qemu is stopped now) or crashed (anything else). Returns the result, or
 * -1 on error (a damaged status file, a live qemu whose monitor does not answer). */
int vkQEMUProcessReconnect(const vkQEMUProcessPaths *paths, const char *name, vkQEMUProcess **out,
                           int *reason);

/* Like vkQEMUProcessReconnect, for a caller that only wants the state: qemu has TIMEOUTMS in
 * all to greet and answer, and one that is stopped (SIGSTOP, a debugger) is not asked at all.
 * Not answering is no error but VK_QEMU_RECONNECT_NO_ANSWER: *OUT then holds the state the
 * status file records, without a monitor. */
int vkQEMUProcessProbe(const vkQEMUProcessPaths *paths, const char *name, int timeoutMs,
                       vkQEMUProcess **out, int *reason);

/* Like vkQEMUProcessReconnect, but trusts the status file for the state and leaves the monitor
 * closed (vkQEMUProcessGetMonitor gives NULL): enough to stop qemu, which needs no monitor, and
 * it spares the QMP round trips. */
int vkQEMUProcessAttach(const vkQEMUProcessPaths *paths, const char *name, vkQEMUProcess **out,
                        int *reason);

/* Like vkQEMUProcessAttach, with the status the caller has just read while holding the
 * guest's lock (*ST, taken over: set to NULL) rather than reading and parsing it again. */
int vkQEMUProcessAttachStatus(const vkQEMUProcessPaths *paths, const char *name,
                              vkQEMUDomainStatus **st, vkQEMUProcess **out, int *reason);

/* Stops qemu (SIGTERM, then SIGKILL after GRACEMS), waits until it is gone and removes the
 * run files; the state becomes shut off with REASON, which is recorded in the reason file
 * (vkQEMUDomainReasonPath) before the status file goes. A qemu already gone is no error. */
int vkQEMUProcessStop(vkQEMUProcess *proc, int reason, int graceMs);

/* Like vkQEMUProcessStop, and runs EXITING(OPAQUE) once qemu has been signalled, while it
 * exits: bookkeeping of the caller's that need not wait for qemu to be gone runs in the time
 * qemu takes to exit anyway. */
int vkQEMUProcessStopWith(vkQEMUProcess *proc, int reason, int graceMs,
                          void (*exiting)(void *opaque), void *opaque);

/* Reads QMP events for up to TIMEOUTMS (0: only those already received) and applies them:
 * STOP and RESUME pause and resume; GUEST_PANICKED crashes the guest; SHUTDOWN marks it
 * shutting down, and when the guest itself powered off (qemu then waits, paused, thanks to
 * -no-shutdown) an on_poweroff of destroy stops qemu, as on_crash destroy does after a
 * panic. qemu closing the monitor means it exited: the guest is shut off (reason shutdown
 * after a SHUTDOWN event, destroyed after SIGTERM, else crashed) and its run files go. The
 * status file follows every change. Returns the number of events handled, or -1. */
int vkQEMUProcessHandleEvents(vkQEMUProcess *proc, int timeoutMs);

/* Records a state the driver brought about itself (e.g. paused by the user) in the process
 * and its status file. */
int vkQEMUProcessSetState(vkQEMUProcess *proc, int state, int reason);

/* Removes NAME's pid file and monitor socket when it has no status file: what a start that was
 * killed before qemu ran leaves behind. The caller holds the guest's lock. */
int vkQEMUProcessRemoveStale(const vkQEMUProcessPaths *paths, const char *name);

/* Closes the monitor and forgets the process; qemu keeps running. */
void vkQEMUProcessFree(vkQEMUProcess *proc);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(vkQEMUProcess, vkQEMUProcessFree)

pid_t vkQEMUProcessGetPid(const vkQEMUProcess *proc);
unsigned long long vkQEMUProcessGetStartTime(const vkQEMUProcess *proc);
/* virDomainState, with its reason in *REASON (may be NULL). */
int vkQEMUProcessGetState(const vkQEMUProcess *proc, int *reason);
/* TRUE until the process has been stopped or found dead. */
gboolean vkQEMUProcessIsActive(const vkQEMUProcess *proc);
/* The live definition; owned by the process. */
vkDomainDef *vkQEMUProcessGetDef(vkQEMUProcess *proc);
/* NULL once the process is inactive. */
vkQEMUMonitor *vkQEMUProcessGetMonitor(vkQEMUProcess *proc);
const vkQEMUDomainStatus *vkQEMUProcessGetStatus(const vkQEMUProcess *proc);

/* QMP client: one JSON conversation with a running qemu over its unix monitor socket,
 * synchronous commands with timeouts, and a queue of the asynchronous events qemu sends. */
#pragma once

#include <sys/types.h>
#include <glib.h>
#include <json-c/json.h>

G_DEFINE_AUTOPTR_CLEANUP_FUNC(json_object, json_object_put)

typedef struct _vkQEMUMonitor vkQEMUMonitor;

/* Readers for QMP messages: the member KEY of OBJ (which may be NULL) if it has the expected
 * type, else NULL or FALLBACK. */
json_object *vkQEMUJSONGetMember(json_object *obj, const char *key, json_type type);
const char *vkQEMUJSONGetString(json_object *obj, const char *key);
gint64 vkQEMUJSONGetInt(json_object *obj, const char *key, gint64 fallback);

/* An event such as SHUTDOWN, STOP, RESUME, RESET or GUEST_PANICKED. */
typedef struct {
    char *name;
    json_object *data;  /* the event's "data" member; NULL when qemu sent none */
    gint64 timestampUs; /* qemu's wall-clock time of the event, microseconds since the epoch */
} vkQEMUMonitorEvent;

void vkQEMUMonitorEventFree(vkQEMUMonitorEvent *event);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(vkQEMUMonitorEvent, vkQEMUMonitorEventFree)

/* Connects to the QMP socket at PATH, reads the greeting and negotiates capabilities. qemu
 * creates the socket only some time after it starts, so connecting is retried for up to
 * TIMEOUTMS; if PID is not 0 and that process exits meanwhile, it fails at once. */
vkQEMUMonitor *vkQEMUMonitorOpen(const char *path, pid_t pid, int timeoutMs);

/* The same over FD, one end of a connected socket whose other end qemu holds (its monitor
 * chardev given fd=N): no socket file is involved. FD belongs to the monitor from now on, even
 * on failure. If qemu exits first, the greeting finds end of file. */
vkQEMUMonitor *vkQEMUMonitorOpenFd(int fd, int timeoutMs);

/* Closes the connection; qemu keeps running. */
void vkQEMUMonitorClose(vkQEMUMonitor *mon);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(vkQEMUMonitor, vkQEMUMonitorClose)

/* qemu's version from the greeting, numbered major * 1000000 + minor * 1000 + micro. */
unsigned long vkQEMUMonitorGetVersion(vkQEMUMonitor *mon);

/* Runs CMD with ARGS (an object, or NULL; borrowed) and waits up to TIMEOUTMS for the reply.
 * On success *RET (if not NULL) holds the "return" value. If qemu answers with an error, the
 * error is reported with qemu's text and, if ERRORCLASS is not NULL, *ERRORCLASS holds its
 * class (e.g. "CommandNotFound"). A reply that misses the timeout is discarded when it comes
 * in later. */
int vkQEMUMonitorCommand(vkQEMUMonitor *mon, const char *cmd, json_object *args, int timeoutMs,
                         json_object **ret, char **errorClass);

/* Sends JSON, a QMP command a user wrote (virDomainQemuMonitorCommand), as it is (but for its
 * id) and sets *REPLY to qemu's whole reply as text, an error from qemu included, as libvirt
 * hands it back. Fails (reported) when JSON is no object, or qemu does not answer in the
 * default timeout. */
int vkQEMUMonitorArbitraryCommand(vkQEMUMonitor *mon, const char *json, char **reply);

/* Events are queued as they arrive, whatever the monitor is doing; up to 1024 are kept and
 * the oldest are dropped beyond that.
 *
 * Takes the oldest queued event whose name is NAME (NULL: any), reading from qemu for up to
 * TIMEOUTMS (0: only what has already arrived) while there is none. Returns 1 with *EVENT
 * set, 0 at the timeout, -1 on error or end of file (reported). Other events stay queued. */
int vkQEMUMonitorNextEvent(vkQEMUMonitor *mon, const char *name, int timeoutMs,
                           vkQEMUMonitorEvent **event);

/* Waits up to TIMEOUTMS for qemu to close the monitor, as it does when it exits, queueing
 * any events it sends first. Returns 0 at end of file, -1 on timeout or error (reported). */
int vkQEMUMonitorWaitClosed(vkQEMUMonitor *mon, int timeoutMs);

/* TRUE once qemu has closed the connection. */
gboolean vkQEMUMonitorIsClosed(vkQEMUMonitor *mon);

/* ---- common commands; all use the monitor's default timeout ---- */

/* The timeout used by the helpers below, in milliseconds (initially 30000). */
void vkQEMUMonitorSetDefaultTimeout(vkQEMUMonitor *mon, int timeoutMs);

/* query-status: whether vCPUs run, and qemu's status word ("prelaunch", "running",
 * "paused", "shutdown", "guest-panicked", ...). STATUS may be NULL. */
int vkQEMUMonitorQueryStatus(vkQEMUMonitor *mon, gboolean *running, char **status);

int vkQEMUMonitorCont(vkQEMUMonitor *mon);
int vkQEMUMonitorStop(vkQEMUMonitor *mon);
int vkQEMUMonitorSystemPowerdown(vkQEMUMonitor *mon);
int vkQEMUMonitorSystemReset(vkQEMUMonitor *mon);

/* Asks qemu to exit. qemu may close the socket before its reply arrives; that counts as
 * success. */
int vkQEMUMonitorQuit(vkQEMUMonitor *mon);

/* Sets the password of the "vnc" or "spice" display. */
int vkQEMUMonitorSetPassword(vkQEMUMonitor *mon, const char *protocol, const char *password);

/* Where a display server actually listens (qemu may have picked the port itself). */
typedef struct {
    gboolean enabled;
    char *host;  /* NULL when not enabled */
    int port;    /* -1 when not listening on TCP */
    int tlsPort; /* spice only; -1 when none */
} vkQEMUMonitorGraphics;

void vkQEMUMonitorGraphicsClear(vkQEMUMonitorGraphics *info);

int vkQEMUMonitorQueryVNC(vkQEMUMonitor *mon, vkQEMUMonitorGraphics *info);
int vkQEMUMonitorQuerySpice(vkQEMUMonitor *mon, vkQEMUMonitorGraphics *info);

/* QMP client over a unix socket: json-c parses the byte stream, replies are matched to
 * commands by id, and events that arrive in between are queued for the caller. */
#include "qemu_monitor.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "util/vkerror.h"
#include "util/vkprocess.h"

#define MAX_QUEUED_EVENTS  1024
#define DEFAULT_TIMEOUT_MS 30000

struct _vkQEMUMonitor {
    GMutex lock; /* one conversation at a time: a reply belongs to whoever sent the command */
    int fd;
    json_tokener *tok;
    GByteArray *pending; /* received bytes the tokener has not consumed yet */
    GQueue events;       /* vkQEMUMonitorEvent *, oldest first */
    unsigned long version;
    guint64 nextId;
    int defaultTimeoutMs;
    gboolean eof;    /* qemu closed the socket */
    gboolean broken; /* the stream no longer parses; nothing after it can be trusted */
};

void vkQEMUMonitorEventFree(vkQEMUMonitorEvent *event)
{
    if (!event)
        return;
    g_free(event->name);
    if (event->data)
        json_object_put(event->data);
    g_free(event);
}

static void eventFreeFunc(gpointer event)
{
    vkQEMUMonitorEventFree(event);
}

void vkQEMUMonitorClose(vkQEMUMonitor *mon)
{
    if (!mon)
        return;
    if (mon->fd >= 0)
        close(mon->fd);
    json_tokener_free(mon->tok);
    g_byte_array_unref(mon->pending);
    g_queue_clear_full(&mon->events, eventFreeFunc);
    g_mutex_clear(&mon->lock);
    g_free(mon);
}

static gint64 deadlineAfter(int timeoutMs)
{
    return g_get_monotonic_time() + (gint64)MAX(timeoutMs, 0) * 1000;
}

/* Milliseconds left before DEADLINE, rounded up so that poll never spins on a 0 timeout. */
static int msUntil(gint64 deadline)
{
    gint64 left = deadline - g_get_monotonic_time();

    return left <= 0 ? 0 : (int)MIN((left + 999) / 1000, G_MAXINT);
}

/* ---- reading and writing the stream ---- */

static void reportEOF(void)
{
    vkReportError(VIR_FROM_QEMU, VIR_ERR_OPERATION_FAILED, "%s", "End of file from qemu monitor");
}

static int checkUsable(vkQEMUMonitor *mon)
{
    if (mon->broken) {
        vkReportError(VIR_FROM_QEMU, VIR_ERR_OPERATION_FAILED, "%s",
                      "QEMU monitor is unusable after a protocol error");
        return -1;
    }
    if (mon->eof) {
        reportEOF();
        return -1;
    }
    return 0;
}

/* Waits for EVENTS on the socket. Returns 1 when ready, 0 at the deadline, -1 on error. */
static int waitSocket(vkQEMUMonitor *mon, short events, gint64 deadline)
{
    struct pollfd pfd = { .fd = mon->fd, .events = events };
    int rc;

    do {
        rc = poll(&pfd, 1, msUntil(deadline));
    } while (rc < 0 && errno == EINTR);
    if (rc < 0) {
        vkReportSystemError(VIR_FROM_QEMU, errno, "%s", "cannot poll the QEMU monitor");
        return -1;
    }
    return rc;
}

/* Receives what is available into mon->pending. Returns 1 if anything arrived or the socket
 * closed, 0 at the deadline, -1 on error. */
static int receive(vkQEMUMonitor *mon, gint64 deadline)
{
    char chunk[8192];
    ssize_t n;
    int rc;

    if ((rc = waitSocket(mon, POLLIN, deadline)) <= 0)
        return rc;
    do {
        n = recv(mon->fd, chunk, sizeof(chunk), 0);
    } while (n < 0 && errno == EINTR);
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
        return 1;
    /* qemu exiting right after its last message may reset the connection rather than
     * close it; either way nothing more will come. */
    if (n == 0 || (n < 0 && errno == ECONNRESET)) {
        mon->eof = TRUE;
        return 1;
    }
    if (n < 0) {
        vkReportSystemError(VIR_FROM_QEMU, errno, "%s", "cannot read from the QEMU monitor");
        return -1;
    }
    g_byte_array_append(mon->pending, (const guint8 *)chunk, n);
    return 1;
}

/* Takes the next complete JSON value from the buffered bytes, if there is one. */
static int parsePending(vkQEMUMonitor *mon, json_object **msg)
{
    enum json_tokener_error err;
    json_object *obj;

    *msg = NULL;
    if (mon->pending->len == 0)
        return 0;
    obj = json_tokener_parse_ex(mon->tok, (const char *)mon->pending->data,
                                (int)MIN(mon->pending->len, G_MAXINT));
    g_byte_array_remove_range(mon->pending, 0, json_tokener_get_parse_end(mon->tok));
    if (obj) {
        if (!json_object_is_type(obj, json_type_object)) {
            json_object_put(obj);
            mon->broken = TRUE;
            vkReportError(VIR_FROM_QEMU, VIR_ERR_INTERNAL_ERROR, "%s",
                          "QEMU monitor sent a message that is not a JSON object");
            return -1;
        }
        *msg = obj;
        return 1;
    }
    if ((err = json_tokener_get_error(mon->tok)) != json_tokener_continue) {
        mon->broken = TRUE;
        vkReportError(VIR_FROM_QEMU, VIR_ERR_INTERNAL_ERROR,
                      "cannot parse a message from the QEMU monitor: %s",
                      json_tokener_error_desc(err));
        return -1;
    }
    return 0;
}

/* End of file is no error for a caller that asked qemu to quit, so it is not reported. */
#define READ_EOF (-2)

/* The next message from qemu, whatever it is. Returns 1 with *MSG, 0 at the deadline,
 * READ_EOF when qemu has closed the socket (not reported), -1 on error. */
static int readMessage(vkQEMUMonitor *mon, gint64 deadline, json_object **msg)
{
    for (;;) {
        int rc;

        if (mon->broken)
            return checkUsable(mon);
        if ((rc = parsePending(mon, msg)) != 0)
            return rc;
        if (mon->eof)
            return READ_EOF;
        if ((rc = receive(mon, deadline)) <= 0)
            return rc;
    }
}

static int sendAll(vkQEMUMonitor *mon, const char *data, size_t len, gint64 deadline)
{
    size_t done = 0;

    while (done < len) {
        ssize_t n = send(mon->fd, data + done, len - done, MSG_NOSIGNAL);
        int rc;

        if (n >= 0) {
            done += n;
            continue;
        }
        if (errno == EINTR)
            continue;
        if (errno == EPIPE || errno == ECONNRESET) {
            mon->eof = TRUE;
            return READ_EOF;
        }
        if (errno != EAGAIN && errno != EWOULDBLOCK) {
            vkReportSystemError(VIR_FROM_QEMU, errno, "%s", "cannot write to the QEMU monitor");
            return -1;
        }
        if ((rc = waitSocket(mon, POLLOUT, deadline)) < 0)
            return -1;
        if (rc == 0) {
            /* Half a command in qemu's buffer would garble whatever we send next. */
            mon->broken = done > 0;
            vkReportError(VIR_FROM_QEMU, VIR_ERR_OPERATION_TIMEOUT, "%s",
                          "QEMU monitor does not accept more input");
            return -1;
        }
    }
    return 0;
}

/* ---- messages ---- */

const char *vkQEMUJSONGetString(json_object *obj, const char *key)
{
    json_object *val = vkQEMUJSONGetMember(obj, key, json_type_string);

    return val ? json_object_get_string(val) : NULL;
}

json_object *vkQEMUJSONGetMember(json_object *obj, const char *key, json_type type)
{
    json_object *val;

    if (!obj || !json_object_object_get_ex(obj, key, &val) || !json_object_is_type(val, type))
        return NULL;
    return val;
}

gint64 vkQEMUJSONGetInt(json_object *obj, const char *key, gint64 fallback)
{
    json_object *val = vkQEMUJSONGetMember(obj, key, json_type_int);

    return val ? json_object_get_int64(val) : fallback;
}

static void queueEvent(vkQEMUMonitor *mon, json_object *msg)
{
    vkQEMUMonitorEvent *event = g_new0(vkQEMUMonitorEvent, 1);
    json_object *stamp = vkQEMUJSONGetMember(msg, "timestamp", json_type_object);
    json_object *data = vkQEMUJSONGetMember(msg, "data", json_type_object);

    event->name = g_strdup(vkQEMUJSONGetString(msg, "event"));
    event->data = data ? json_object_get(data) : NULL;
    event->timestampUs = vkQEMUJSONGetInt(stamp, "seconds", 0) * G_USEC_PER_SEC +
                         vkQEMUJSONGetInt(stamp, "microseconds", 0);
    if (g_queue_get_length(&mon->events) >= MAX_QUEUED_EVENTS)
        vkQEMUMonitorEventFree(g_queue_pop_head(&mon->events));
    g_queue_push_tail(&mon->events, event);
}

/* Reads until the reply to command ID arrives, queueing events and discarding stale replies
 * to commands that timed out earlier. Returns like readMessage. */
static int readReply(vkQEMUMonitor *mon, const char *id, gint64 deadline, json_object **reply)
{
    for (;;) {
        g_autoptr(json_object) msg = NULL;
        const char *msgId;
        int rc;

        if ((rc = readMessage(mon, deadline, &msg)) <= 0)
            return rc;
        if (vkQEMUJSONGetString(msg, "event")) {
            queueEvent(mon, msg);
            continue;
        }
        msgId = vkQEMUJSONGetString(msg, "id");
        if (msgId && strcmp(msgId, id) == 0) {
            *reply = g_steal_pointer(&msg);
            return 1;
        }
    }
}

static void reportQEMUError(const char *cmd, json_object *error, char **errorClass)
{
    const char *klass = vkQEMUJSONGetString(error, "class");
    const char *desc = vkQEMUJSONGetString(error, "desc");

    vkReportError(VIR_FROM_QEMU, VIR_ERR_INTERNAL_ERROR, "unable to execute QEMU command '%s': %s",
                  cmd, desc ? desc : "unknown error");
    if (errorClass)
        *errorClass = g_strdup(klass ? klass : "GenericError");
}

/* Sends REQUEST (an id is set in it) and waits for its reply, the whole of it in *REPLY.
 * Returns 1 with *REPLY set, 0 when qemu closed the socket and EOFOK allows it, -1 (reported)
 * on error, end of file or timeout. CMD names the command in errors. */
static int exchange(vkQEMUMonitor *mon, json_object *request, const char *cmd, int timeoutMs,
                    gboolean eofOk, json_object **reply)
{
    g_autofree char *id = g_strdup_printf("vk-%" G_GUINT64_FORMAT, ++mon->nextId);
    g_autofree char *text = NULL;
    gint64 deadline = deadlineAfter(timeoutMs);
    int rc;

    if (eofOk && mon->eof && !mon->broken)
        return 0;
    if (checkUsable(mon) < 0)
        return -1;
    json_object_object_add(request, "id", json_object_new_string(id));
    text =
        g_strconcat(json_object_to_json_string_ext(request, JSON_C_TO_STRING_PLAIN), "\r\n", NULL);

    if ((rc = sendAll(mon, text, strlen(text), deadline)) == 0)
        rc = readReply(mon, id, deadline, reply);
    if (rc == READ_EOF && eofOk)
        return 0;
    if (rc == READ_EOF)
        reportEOF();
    if (rc < 0)
        return -1;
    if (rc == 0) {
        vkReportError(VIR_FROM_QEMU, VIR_ERR_OPERATION_TIMEOUT,
                      "QEMU did not answer '%s' within %d ms", cmd, timeoutMs);
        return -1;
    }
    return 1;
}

/* With EOFOK, qemu closing the socket instead of replying is a success with *RET NULL. */
static int runCommand(vkQEMUMonitor *mon, const char *cmd, json_object *args, int timeoutMs,
                      gboolean eofOk, json_object **ret, char **errorClass)
{
    g_autoptr(json_object) request = json_object_new_object();
    g_autoptr(json_object) reply = NULL;
    json_object *val;
    int rc;

    if (ret)
        *ret = NULL;
    if (errorClass)
        *errorClass = NULL;
    json_object_object_add(request, "execute", json_object_new_string(cmd));
    if (args)
        json_object_object_add(request, "arguments", json_object_get(args));
    if ((rc = exchange(mon, request, cmd, timeoutMs, eofOk, &reply)) <= 0)
        return rc;
    if ((val = vkQEMUJSONGetMember(reply, "error", json_type_object))) {
        reportQEMUError(cmd, val, errorClass);
        return -1;
    }
    if (!json_object_object_get_ex(reply, "return", &val)) {
        vkReportError(VIR_FROM_QEMU, VIR_ERR_INTERNAL_ERROR,
                      "QEMU reply to '%s' has neither a return value nor an error", cmd);
        return -1;
    }
    if (ret)
        *ret = json_object_get(val);
    return 0;
}

int vkQEMUMonitorCommand(vkQEMUMonitor *mon, const char *cmd, json_object *args, int timeoutMs,
                         json_object **ret, char **errorClass)
{
    g_autoptr(GMutexLocker) locker = g_mutex_locker_new(&mon->lock);

    return runCommand(mon, cmd, args, timeoutMs, FALSE, ret, errorClass);
}

int vkQEMUMonitorArbitraryCommand(vkQEMUMonitor *mon, const char *json, char **reply)
{
    g_autoptr(GMutexLocker) locker = g_mutex_locker_new(&mon->lock);
    g_autoptr(json_object) request = NULL;
    g_autoptr(json_object) answer = NULL;
    enum json_tokener_error jerr;
    const char *cmd;

    *reply = NULL;
    if (!(request = json_tokener_parse_verbose(json, &jerr)) ||
        !json_object_is_type(request, json_type_object)) {
        vkReportError(VIR_FROM_QEMU, VIR_ERR_INTERNAL_ERROR, "cannot parse json %s: %s", json,
                      request ? "not an object" : json_tokener_error_desc(jerr));
        return -1;
    }
    cmd = vkQEMUJSONGetString(request, "execute");
    if (exchange(mon, request, cmd ? cmd : "(none)", mon->defaultTimeoutMs, FALSE, &answer) < 0)
        return -1;
    *reply = g_strdup(json_object_to_json_string_ext(answer, JSON_C_TO_STRING_PLAIN));
    return 0;
}

/* ---- connecting ---- */

static int connectOnce(const char *path, int *fd)
{
    struct sockaddr_un addr = { .sun_family = AF_UNIX };
    int sock;

    if (strlen(path) >= sizeof(addr.sun_path)) {
        vkReportError(VIR_FROM_QEMU, VIR_ERR_INTERNAL_ERROR, "monitor socket path '%s' is too long",
                      path);
        return -1;
    }
    strcpy(addr.sun_path, path);
    if ((sock = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0)) < 0) {
        vkReportSystemError(VIR_FROM_QEMU, errno, "%s", "cannot create a unix socket");
        return -1;
    }
    if (connect(sock, (struct sockaddr *)&addr, sizeof(addr)) == 0) {
        *fd = sock;
        return 1;
    }
    int err = errno;
    close(sock);
    /* Not created yet, or created but not listening yet: qemu is still starting. */
    if (err == ENOENT || err == ECONNREFUSED || err == EAGAIN)
        return 0;
    vkReportSystemError(VIR_FROM_QEMU, err, "cannot connect to QEMU monitor socket '%s'", path);
    return -1;
}

static int connectRetrying(const char *path, pid_t pid, gint64 deadline, int timeoutMs)
{
    gint64 delayUs = 1000;
    int fd = -1;

    for (;;) {
        int rc = connectOnce(path, &fd);

        if (rc < 0)
            return -1;
        if (rc > 0)
            return fd;
        if (pid > 0 && !vkProcessIsAlive(pid, 0)) {
            vkReportError(VIR_FROM_QEMU, VIR_ERR_OPERATION_FAILED,
                          "QEMU (pid %d) exited before its monitor socket '%s' was ready", (int)pid,
                          path);
            return -1;
        }
        gint64 left = deadline - g_get_monotonic_time();
        if (left <= 0) {
            vkReportError(VIR_FROM_QEMU, VIR_ERR_OPERATION_TIMEOUT,
                          "QEMU monitor socket '%s' did not accept a connection within %d ms", path,
                          timeoutMs);
            return -1;
        }
        g_usleep(MIN(delayUs, left));
        delayUs = MIN(delayUs * 2, 20000);
    }
}

static int readGreeting(vkQEMUMonitor *mon, gint64 deadline)
{
    g_autoptr(json_object) msg = NULL;
    json_object *qmp;
    json_object *qemu;
    int rc;

    if ((rc = readMessage(mon, deadline, &msg)) == READ_EOF)
        reportEOF();
    if (rc < 0)
        return -1;
    if (rc == 0) {
        vkReportError(VIR_FROM_QEMU, VIR_ERR_OPERATION_TIMEOUT, "%s",
                      "QEMU monitor sent no greeting");
        return -1;
    }
    if (!(qmp = vkQEMUJSONGetMember(msg, "QMP", json_type_object))) {
        vkReportError(VIR_FROM_QEMU, VIR_ERR_INTERNAL_ERROR, "%s",
                      "QEMU monitor greeting lacks the QMP member");
        return -1;
    }
    qemu = vkQEMUJSONGetMember(vkQEMUJSONGetMember(qmp, "version", json_type_object), "qemu",
                               json_type_object);
    mon->version = vkQEMUJSONGetInt(qemu, "major", 0) * 1000000 +
                   vkQEMUJSONGetInt(qemu, "minor", 0) * 1000 + vkQEMUJSONGetInt(qemu, "micro", 0);
    return 0;
}

static vkQEMUMonitor *monitorNew(void)
{
    vkQEMUMonitor *mon = g_new0(vkQEMUMonitor, 1);

    g_mutex_init(&mon->lock);
    g_queue_init(&mon->events);
    mon->fd = -1;
    mon->tok = json_tokener_new();
    mon->pending = g_byte_array_new();
    mon->defaultTimeoutMs = DEFAULT_TIMEOUT_MS;
    return mon;
}

static int handshake(vkQEMUMonitor *mon, gint64 deadline)
{
    if (readGreeting(mon, deadline) < 0)
        return -1;
    /* Until capabilities are negotiated qemu accepts no other command. */
    return runCommand(mon, "qmp_capabilities", NULL, msUntil(deadline), FALSE, NULL, NULL);
}

vkQEMUMonitor *vkQEMUMonitorOpen(const char *path, pid_t pid, int timeoutMs)
{
    g_autoptr(vkQEMUMonitor) mon = monitorNew();
    gint64 deadline = deadlineAfter(timeoutMs);

    if ((mon->fd = connectRetrying(path, pid, deadline, timeoutMs)) < 0 ||
        handshake(mon, deadline) < 0)
        return NULL;
    return g_steal_pointer(&mon);
}

vkQEMUMonitor *vkQEMUMonitorOpenFd(int fd, int timeoutMs)
{
    g_autoptr(vkQEMUMonitor) mon = monitorNew();
    int flags;

    mon->fd = fd;
    if ((flags = fcntl(fd, F_GETFL)) < 0 || fcntl(fd, F_SETFL, flags | O_NONBLOCK) < 0) {
        vkReportSystemError(VIR_FROM_QEMU, errno, "%s", "cannot set up the QEMU monitor socket");
        return NULL;
    }
    if (handshake(mon, deadlineAfter(timeoutMs)) < 0)
        return NULL;
    return g_steal_pointer(&mon);
}

unsigned long vkQEMUMonitorGetVersion(vkQEMUMonitor *mon)
{
    return mon->version;
}

/* ---- events ---- */

static vkQEMUMonitorEvent *takeQueuedEvent(vkQEMUMonitor *mon, const char *name)
{
    for (GList *l = mon->events.head; l; l = l->next) {
        vkQEMUMonitorEvent *event = l->data;
        if (!name || g_str_equal(event->name, name)) {
            g_queue_delete_link(&mon->events, l);
            return event;
        }
    }
    return NULL;
}

int vkQEMUMonitorNextEvent(vkQEMUMonitor *mon, const char *name, int timeoutMs,
                           vkQEMUMonitorEvent **event)
{
    g_autoptr(GMutexLocker) locker = g_mutex_locker_new(&mon->lock);
    gint64 deadline = deadlineAfter(timeoutMs);

    *event = NULL;
    for (;;) {
        g_autoptr(json_object) msg = NULL;
        int rc;

        if ((*event = takeQueuedEvent(mon, name)))
            return 1;
        if ((rc = readMessage(mon, deadline, &msg)) == READ_EOF)
            reportEOF();
        if (rc <= 0)
            return rc < 0 ? -1 : 0;
        /* Anything else is a reply to a command that timed out: nobody waits for it. */
        if (vkQEMUJSONGetString(msg, "event"))
            queueEvent(mon, msg);
    }
}

int vkQEMUMonitorWaitClosed(vkQEMUMonitor *mon, int timeoutMs)
{
    g_autoptr(GMutexLocker) locker = g_mutex_locker_new(&mon->lock);
    gint64 deadline = deadlineAfter(timeoutMs);

    for (;;) {
        g_autoptr(json_object) msg = NULL;
        int rc = readMessage(mon, deadline, &msg);

        if (rc == READ_EOF)
            return 0;
        if (rc < 0)
            return -1;
        if (rc == 0) {
            vkReportError(VIR_FROM_QEMU, VIR_ERR_OPERATION_TIMEOUT,
                          "QEMU did not close its monitor within %d ms", timeoutMs);
            return -1;
        }
        if (vkQEMUJSONGetString(msg, "event"))
            queueEvent(mon, msg);
    }
}

gboolean vkQEMUMonitorIsClosed(vkQEMUMonitor *mon)
{
    g_autoptr(GMutexLocker) locker = g_mutex_locker_new(&mon->lock);

    return mon->eof;
}

/* ---- common commands ---- */

void vkQEMUMonitorSetDefaultTimeout(vkQEMUMonitor *mon, int timeoutMs)
{
    g_autoptr(GMutexLocker) locker = g_mutex_locker_new(&mon->lock);

    mon->defaultTimeoutMs = timeoutMs;
}

static int simpleCommand(vkQEMUMonitor *mon, const char *cmd, json_object *args, json_object **ret)
{
    g_autoptr(GMutexLocker) locker = g_mutex_locker_new(&mon->lock);

    return runCommand(mon, cmd, args, mon->defaultTimeoutMs, FALSE, ret, NULL);
}

/* The return value of CMD, which must be an object. */
static json_object *queryObject(vkQEMUMonitor *mon, const char *cmd)
{
    g_autoptr(json_object) ret = NULL;

    if (simpleCommand(mon, cmd, NULL, &ret) < 0)
        return NULL;
    if (!json_object_is_type(ret, json_type_object)) {
        vkReportError(VIR_FROM_QEMU, VIR_ERR_INTERNAL_ERROR,
                      "QEMU returned something other than an object for '%s'", cmd);
        return NULL;
    }
    return g_steal_pointer(&ret);
}

int vkQEMUMonitorQueryStatus(vkQEMUMonitor *mon, gboolean *running, char **status)
{
    g_autoptr(json_object) ret = queryObject(mon, "query-status");
    json_object *val;
    const char *word;

    if (!ret)
        return -1;
    if (!(val = vkQEMUJSONGetMember(ret, "running", json_type_boolean)) ||
        !(word = vkQEMUJSONGetString(ret, "status"))) {
        vkReportError(VIR_FROM_QEMU, VIR_ERR_INTERNAL_ERROR, "%s",
                      "query-status reply lacks 'running' or 'status'");
        return -1;
    }
    *running = json_object_get_boolean(val);
    if (status)
        *status = g_strdup(word);
    return 0;
}

int vkQEMUMonitorCont(vkQEMUMonitor *mon)
{
    return simpleCommand(mon, "cont", NULL, NULL);
}

int vkQEMUMonitorStop(vkQEMUMonitor *mon)
{
    return simpleCommand(mon, "stop", NULL, NULL);
}

int vkQEMUMonitorSystemPowerdown(vkQEMUMonitor *mon)
{
    return simpleCommand(mon, "system_powerdown", NULL, NULL);
}

int vkQEMUMonitorSystemReset(vkQEMUMonitor *mon)
{
    return simpleCommand(mon, "system_reset", NULL, NULL);
}

int vkQEMUMonitorQuit(vkQEMUMonitor *mon)
{
    g_autoptr(GMutexLocker) locker = g_mutex_locker_new(&mon->lock);

    return runCommand(mon, "quit", NULL, mon->defaultTimeoutMs, TRUE, NULL, NULL);
}

int vkQEMUMonitorSetPassword(vkQEMUMonitor *mon, const char *protocol, const char *password)
{
    g_autoptr(json_object) args = json_object_new_object();

    json_object_object_add(args, "protocol", json_object_new_string(protocol));
    json_object_object_add(args, "password", json_object_new_string(password));
    return simpleCommand(mon, "set_password", args, NULL);
}

static void graphicsInit(vkQEMUMonitorGraphics *info)
{
    info->enabled = FALSE;
    info->host = NULL;
    info->port = -1;
    info->tlsPort = -1;
}

void vkQEMUMonitorGraphicsClear(vkQEMUMonitorGraphics *info)
{
    g_free(info->host);
    graphicsInit(info);
}

/* qemu reports a VNC port as a service string; a unix socket listener has no number. */
static int parsePort(const char *service)
{
    guint64 port;

    if (!service || !g_ascii_string_to_unsigned(service, 10, 0, 65535, &port, NULL))
        return -1;
    return (int)port;
}

int vkQEMUMonitorQueryVNC(vkQEMUMonitor *mon, vkQEMUMonitorGraphics *info)
{
    g_autoptr(json_object) ret = queryObject(mon, "query-vnc");
    json_object *enabled;

    graphicsInit(info);
    if (!ret)
        return -1;
    enabled = vkQEMUJSONGetMember(ret, "enabled", json_type_boolean);
    if (!enabled || !json_object_get_boolean(enabled))
        return 0;
    info->enabled = TRUE;
    info->host = g_strdup(vkQEMUJSONGetString(ret, "host"));
    info->port = parsePort(vkQEMUJSONGetString(ret, "service"));
    return 0;
}

int vkQEMUMonitorQuerySpice(vkQEMUMonitor *mon, vkQEMUMonitorGraphics *info)
{
    g_autoptr(json_object) ret = queryObject(mon, "query-spice");
    json_object *enabled;

    graphicsInit(info);
    if (!ret)
        return -1;
    enabled = vkQEMUJSONGetMember(ret, "enabled", json_type_boolean);
    if (!enabled || !json_object_get_boolean(enabled))
        return 0;
    info->enabled = TRUE;
    info->host = g_strdup(vkQEMUJSONGetString(ret, "host"));
    info->port = (int)vkQEMUJSONGetInt(ret, "port", -1);
    info->tlsPort = (int)vkQEMUJSONGetInt(ret, "tls-port", -1);
    return 0;
}

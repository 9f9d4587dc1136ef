/* Console streams (DOMAIN_OPEN_CONSOLE): the guest's serial console is a pty whose path the
 * live XML gives; the daemon opens it raw and pumps bytes between it and STREAM frames on the
 * serial of the opening call, as libvirtd does. One console session per pty in this daemon
 * (VIR_DOMAIN_CONSOLE_FORCE takes it over). Stream I/O runs in the main loop. */
#include "daemon_stream.h"

#include <errno.h>
#include <fcntl.h>
#include <glib-unix.h>
#include <termios.h>
#include <unistd.h>

#include "daemon_dispatch_priv.h"
#include "daemon_server.h"
#include "driver.h"
#include "util/vkxml.h"

#define STREAMS_KEY "vk-daemon-streams"
/* Guest output waits (reading the pty stops) while this much is queued for a slow client. */
#define TX_QUEUED_MAX (4 * 1024 * 1024)
/* Client input the pty has not taken yet; beyond it the stream is aborted. */
#define RX_PENDING_MAX (1024 * 1024)

/* libvirt's virDomainConsoleFlags. */
enum {
    CONSOLE_FORCE = 1 << 0,
    CONSOLE_SAFE = 1 << 1,
};

typedef struct _Console Console;
struct _Console {
    vkDaemonStream base;
    gint refs;
    vkDaemonClient *client; /* a reference */
    GMainContext *context;
    vkrpc_header header; /* of the opening call: program, procedure, serial */
    char *path;
    int fd;
    GSource *readSource;
    GSource *writeSource;
    GSource *retry;
    GByteArray *pending;
    gboolean started; /* its I/O runs (main loop) */
    gboolean closed;
};

/* ---- consoles in use in this daemon, by pty path ---- */

static GMutex inUseLock;
static GHashTable *inUse; /* path -> Console (not a reference) */

static Console *consoleRef(Console *c)
{
    g_atomic_int_inc(&c->refs);
    return c;
}

static void consoleUnref(Console *c)
{
    if (!c || !g_atomic_int_dec_and_test(&c->refs))
        return;
    if (c->fd >= 0)
        close(c->fd);
    g_byte_array_unref(c->pending);
    g_main_context_unref(c->context);
    vkDaemonClientUnref(c->client);
    g_free(c->path);
    g_free(c);
}

/* The streams of one client, by serial. Tables are read and changed under streamsLock: a
 * stream is added by the worker that opened it, before the reply goes out, so that the frames
 * the client sends as soon as it has the reply find it (an addition left to the main loop could
 * come after them, and they would be dropped). Never taken with a client's lock held. */
static GMutex streamsLock;

typedef struct {
    GHashTable *bySerial; /* serial -> vkDaemonStream (a reference) */
} Streams;

static void streamsFree(gpointer data)
{
    Streams *s = data;
    GHashTableIter iter;
    gpointer value;

    /* an addition in progress ends before the table does (and is closed with it) */
    g_mutex_lock(&streamsLock);
    g_mutex_unlock(&streamsLock);
    g_hash_table_iter_init(&iter, s->bySerial);
    while (g_hash_table_iter_next(&iter, NULL, &value)) {
        vkDaemonStream *st = value;
        st->ops->close(st);
        st->ops->unref(st);
    }
    g_hash_table_unref(s->bySerial);
    g_free(s);
}

static Streams *streamsOf(vkDaemonClient *client, gboolean create)
{
    Streams *s = vkDaemonClientGetPrivate(client, STREAMS_KEY);

    if (!s && create) {
        s = g_new0(Streams, 1);
        s->bySerial = g_hash_table_new(NULL, NULL);
        if (!vkDaemonClientSetPrivate(client, STREAMS_KEY, s, streamsFree))
            s = NULL; /* the client is gone */
    }
    return s;
}

gboolean vkDaemonStreamAdd(vkDaemonClient *client, guint32 serial, vkDaemonStream *st)
{
    g_autoptr(GMutexLocker) locker = g_mutex_locker_new(&streamsLock);
    Streams *s = streamsOf(client, TRUE);

    if (!s)
        return FALSE;
    g_hash_table_replace(s->bySerial, GUINT_TO_POINTER(serial), st->ops->ref(st));
    return TRUE;
}

void vkDaemonStreamForget(vkDaemonClient *client, guint32 serial, vkDaemonStream *st)
{
    vkDaemonStream *found = NULL;
    Streams *s;

    g_mutex_lock(&streamsLock);
    s = streamsOf(client, FALSE);
    if (s && g_hash_table_lookup(s->bySerial, GUINT_TO_POINTER(serial)) == st) {
        g_hash_table_remove(s->bySerial, GUINT_TO_POINTER(serial));
        found = st;
    }
    g_mutex_unlock(&streamsLock);
    if (found)
        found->ops->unref(found);
}

void vkDaemonStreamHandleMessage(vkDaemonClient *client, vkRpcMessage *msg)
{
    vkDaemonStream *st = NULL;
    Streams *s;

    g_mutex_lock(&streamsLock);
    s = streamsOf(client, FALSE);
    if (s && (st = g_hash_table_lookup(s->bySerial, GUINT_TO_POINTER(msg->header.serial))))
        st = st->ops->ref(st);
    g_mutex_unlock(&streamsLock);
    if (!st || st->header.proc != msg->header.proc || st->header.prog != msg->header.prog) {
        /* data for a stream that is gone (or never was): libvirtd drops it too */
        g_debug("dropping stream data for serial %u", msg->header.serial);
        if (st)
            st->ops->unref(st);
        return;
    }
    st->ops->message(st, msg);
    st->ops->unref(st);
}

/* Forgets C in its client's table. */
static void streamsForget(Console *c)
{
    vkDaemonStreamForget(c->client, c->header.serial, &c->base);
}

/* ---- I/O (main loop) ---- */

static void dropSource(GSource **src)
{
    if (!*src)
        return;
    g_source_destroy(*src);
    g_source_unref(*src);
    *src = NULL;
}

/* Stops the console's I/O and gives the pty back; safe twice. */
static void consoleClose(Console *c)
{
    if (c->closed)
        return;
    c->closed = TRUE;
    dropSource(&c->readSource);
    dropSource(&c->writeSource);
    dropSource(&c->retry);
    if (c->fd >= 0) {
        close(c->fd);
        c->fd = -1;
    }
    g_mutex_lock(&inUseLock);
    if (inUse && g_hash_table_lookup(inUse, c->path) == c)
        g_hash_table_remove(inUse, c->path);
    g_mutex_unlock(&inUseLock);
}

static void sendFrame(Console *c, vkRpcMessage *msg)
{
    if (vkDaemonClientSend(c->client, msg) < 0)
        vkResetLastError(); /* the client is gone: its close ends the console */
}

/* The guest's side ended (qemu gone, or another session took the console): an empty data
 * frame tells the client, which then finishes the stream. */
static void consoleHangup(Console *c)
{
    const vkrpc_header *h = &c->header;

    if (c->closed)
        return;
    consoleClose(c);
    sendFrame(c, vkRpcMessageNewStreamData(h->prog, h->vers, h->proc, h->serial, NULL, 0));
}

static void watchRead(Console *c);

static gboolean onRetry(gpointer data)
{
    Console *c = data;

    g_source_unref(g_steal_pointer(&c->retry));
    watchRead(c);
    return G_SOURCE_REMOVE;
}

static gboolean onReadable(gint fd, GIOCondition cond, gpointer data)
{
    Console *c = data;
    const vkrpc_header *h = &c->header;
    g_autofree guint8 *buf = g_malloc(VKRPC_STREAM_CHUNK_MAX);
    ssize_t n;

    /* a client that does not keep up slows the guest's output down instead of the daemon
     * queueing without bound */
    if (vkRpcConnQueuedBytes(vkDaemonClientRpcConn(c->client)) > TX_QUEUED_MAX) {
        g_source_unref(g_steal_pointer(&c->readSource));
        c->retry = g_timeout_source_new(50);
        g_source_set_callback(c->retry, onRetry, c, NULL);
        g_source_attach(c->retry, c->context);
        return G_SOURCE_REMOVE;
    }
    do {
        n = read(c->fd, buf, VKRPC_STREAM_CHUNK_MAX);
    } while (n < 0 && errno == EINTR);
    if (n < 0 && errno == EAGAIN)
        return G_SOURCE_CONTINUE;
    if (n <= 0) {
        /* EIO: the pty's other end (qemu) is gone */
        g_source_unref(g_steal_pointer(&c->readSource));
        consoleHangup(c);
        return G_SOURCE_REMOVE;
    }
    sendFrame(c, vkRpcMessageNewStreamData(h->prog, h->vers, h->proc, h->serial, buf, (size_t)n));
    return G_SOURCE_CONTINUE;
}

static void watchRead(Console *c)
{
    if (c->closed || c->readSource)
        return;
    c->readSource = g_unix_fd_source_new(c->fd, G_IO_IN | G_IO_HUP | G_IO_ERR);
    g_source_set_callback(c->readSource, (GSourceFunc)(void (*)(void))onReadable, c, NULL);
    g_source_attach(c->readSource, c->context);
}

static void flushPending(Console *c);

static gboolean onWritable(gint fd, GIOCondition cond, gpointer data)
{
    Console *c = data;

    g_source_unref(g_steal_pointer(&c->writeSource));
    flushPending(c);
    return G_SOURCE_REMOVE;
}

static void flushPending(Console *c)
{
    while (!c->closed && c->pending->len > 0) {
        ssize_t n = write(c->fd, c->pending->data, c->pending->len);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0 && errno == EAGAIN) {
            if (!c->writeSource) {
                c->writeSource = g_unix_fd_source_new(c->fd, G_IO_OUT | G_IO_HUP | G_IO_ERR);
                g_source_set_callback(c->writeSource, (GSourceFunc)(void (*)(void))onWritable, c,
                                      NULL);
                g_source_attach(c->writeSource, c->context);
            }
            return;
        }
        if (n < 0) {
            consoleHangup(c);
            return;
        }
        g_byte_array_remove_range(c->pending, 0, (guint)n);
    }
}

/* After the reply went out: the guest's output may follow it. */
static gboolean consoleStart(gpointer data)
{
    Console *c = data;

    c->started = TRUE;
    watchRead(c);
    flushPending(c);
    return G_SOURCE_REMOVE;
}

/* Another session took the console over (VIR_DOMAIN_CONSOLE_FORCE). */
static gboolean consoleStop(gpointer data)
{
    consoleHangup(data);
    return G_SOURCE_REMOVE;
}

/* ---- frames from the client (main loop) ---- */

static void consoleMessage(vkDaemonStream *st, vkRpcMessage *msg)
{
    Console *c = (Console *)st;
    const vkrpc_header *h = &msg->header;
    const guint8 *data;
    size_t len;

    switch (h->status) {
    case VKRPC_CONTINUE:
        data = vkRpcMessageBody(msg, &len);
        if (len == 0 || c->closed)
            break; /* the client's end of data: the console stays open for reading */
        if (c->pending->len + len > RX_PENDING_MAX) {
            consoleHangup(c);
            break;
        }
        g_byte_array_append(c->pending, data, (guint)len);
        if (c->started)
            flushPending(c);
        break;
    case VKRPC_OK:
    case VKRPC_ERROR:
        /* finish or abort: either way the stream ends, confirmed with an empty STREAM/OK */
        consoleClose(c);
        sendFrame(c, vkRpcMessageNewStreamFinish(h->prog, h->vers, h->proc, h->serial));
        streamsForget(c);
        break;
    default:
        break;
    }
}

static vkDaemonStream *consoleStreamRef(vkDaemonStream *st)
{
    return &consoleRef((Console *)st)->base;
}

static void consoleStreamUnref(vkDaemonStream *st)
{
    consoleUnref((Console *)st);
}

static void consoleStreamClose(vkDaemonStream *st)
{
    consoleClose((Console *)st);
}

static const vkDaemonStreamOps consoleOps = {
    .message = consoleMessage,
    .close = consoleStreamClose,
    .ref = consoleStreamRef,
    .unref = consoleStreamUnref,
};

/* ---- opening (a worker) ---- */

/* The pty behind character device DEVNAME of the live XML (NULL: the first console, else the
 * first serial port). Named by alias, or by libvirt's alias scheme (serial0, console0). */
static char *findPty(const char *xml, const char *devName)
{
    g_autoptr(xmlDoc) doc = vkXMLParseString(xml, "(domain_definition)", VIR_FROM_DOMAIN);
    xmlNodePtr devices, node, chosen = NULL;
    g_autofree char *type = NULL;
    g_autofree char *path = NULL;
    int serials = 0, consoles = 0;

    if (!doc)
        return NULL;
    devices = vkXMLChild(xmlDocGetRootElement(doc), "devices");
    for (node = devices ? devices->children : NULL; node && !chosen; node = node->next) {
        gboolean serial = xmlStrEqual(node->name, BAD_CAST "serial");
        gboolean console = xmlStrEqual(node->name, BAD_CAST "console");
        xmlNodePtr alias = vkXMLChild(node, "alias");
        g_autofree char *aliasName = alias ? vkXMLProp(alias, "name") : NULL;
        g_autofree char *implied = NULL;

        if (node->type != XML_ELEMENT_NODE || (!serial && !console))
            continue;
        implied =
            g_strdup_printf("%s%d", serial ? "serial" : "console", serial ? serials++ : consoles++);
        if (devName ? g_strcmp0(devName, aliasName ? aliasName : implied) == 0
                    : (console || !chosen))
            chosen = node;
    }
    /* without a name, a console comes before the serial port it usually mirrors */
    if (!devName && chosen && xmlStrEqual(chosen->name, BAD_CAST "serial")) {
        for (node = chosen->next; node; node = node->next) {
            if (xmlStrEqual(node->name, BAD_CAST "console")) {
                chosen = node;
                break;
            }
        }
    }
    if (!chosen) {
        vkReportError(VIR_FROM_QEMU, VIR_ERR_INTERNAL_ERROR, "cannot find character device %s",
                      devName ? devName : "<null>");
        return NULL;
    }
    type = vkXMLProp(chosen, "type");
    if ((node = vkXMLChild(chosen, "source")))
        path = vkXMLProp(node, "path");
    if (g_strcmp0(type, "pty") != 0 || !path) {
        vkReportError(VIR_FROM_QEMU, VIR_ERR_INTERNAL_ERROR,
                      "character device %s is not using a PTY", devName ? devName : "<null>");
        return NULL;
    }
    return g_steal_pointer(&path);
}

/* Opens the pty raw, as libvirt does, so that bytes pass untouched both ways. */
static int openPty(const char *path)
{
    struct termios tio;
    int fd = open(path, O_RDWR | O_NOCTTY | O_NONBLOCK | O_CLOEXEC);

    if (fd < 0) {
        vkReportSystemError(VIR_FROM_STREAMS, errno, "Unable to open '%s'", path);
        return -1;
    }
    if (tcgetattr(fd, &tio) == 0) {
        cfmakeraw(&tio);
        tcsetattr(fd, TCSADRAIN, &tio);
    }
    return fd;
}

/* Claims PATH for C; an existing session is refused, or with FORCE hung up. */
static int claim(Console *c, gboolean force)
{
    Console *old;

    g_mutex_lock(&inUseLock);
    if (!inUse)
        inUse = g_hash_table_new(g_str_hash, g_str_equal);
    old = g_hash_table_lookup(inUse, c->path);
    if (old && !force) {
        g_mutex_unlock(&inUseLock);
        vkReportError(VIR_FROM_NONE, VIR_ERR_OPERATION_FAILED, "%s",
                      "Active console session exists for this domain");
        return -1;
    }
    if (old) {
        g_hash_table_remove(inUse, old->path);
        /* the old session ends in the loop that runs it */
        g_main_context_invoke_full(old->context, G_PRIORITY_DEFAULT, consoleStop, consoleRef(old),
                                   (GDestroyNotify)consoleUnref);
    }
    g_hash_table_insert(inUse, c->path, c);
    g_mutex_unlock(&inUseLock);
    return 0;
}

static void startAfterReply(vkDaemonCall *call)
{
    Console *c = call->afterData;

    g_main_context_invoke_full(c->context, G_PRIORITY_DEFAULT, consoleStart, consoleRef(c),
                               (GDestroyNotify)consoleUnref);
}

static int openConsole(vkDaemonCall *call, vkr_domain_open_console_args *args, void *ret)
{
    g_autofree char *xml = NULL;
    g_autofree char *path = NULL;
    Console *c;
    int active;

    CALL_DOMAIN(call, &args->dom);
    if (vkCheckFlags("qemuDomainOpenConsole", VIR_FROM_QEMU, args->flags,
                     CONSOLE_FORCE | CONSOLE_SAFE) < 0 ||
        (active = virDomainIsActive(dom)) < 0)
        return -1;
    if (!active) {
        vkReportError(VIR_FROM_QEMU, VIR_ERR_OPERATION_INVALID, "%s", "domain is not running");
        return -1;
    }
    if (!(xml = virDomainGetXMLDesc(dom, 0)) ||
        !(path = findPty(xml, args->dev_name ? *args->dev_name : NULL)))
        return -1;

    c = g_new0(Console, 1);
    c->base.ops = &consoleOps;
    c->base.header = call->header;
    c->refs = 1;
    c->client = vkDaemonClientRef(call->client);
    c->context = g_main_context_ref(vkDaemonServerContext(vkDaemonClientServer(call->client)));
    c->header = call->header;
    c->path = g_steal_pointer(&path);
    c->pending = g_byte_array_new();
    if ((c->fd = openPty(c->path)) < 0 || claim(c, (args->flags & CONSOLE_FORCE) != 0) < 0) {
        consoleClose(c);
        consoleUnref(c);
        return -1;
    }
    if (!vkDaemonStreamAdd(c->client, c->header.serial, &c->base)) {
        /* the client is gone, and hears nothing; no I/O is attached yet */
        vkReportError(VIR_FROM_RPC, VIR_ERR_INTERNAL_ERROR, "%s", "client closed");
        consoleClose(c);
        consoleUnref(c);
        return -1;
    }
    call->afterReply = startAfterReply;
    call->afterData = c;
    call->afterDataFree = (GDestroyNotify)consoleUnref;
    return 0;
}

const vkDaemonProc vkDaemonStreamProcs[] = {
    { VKR_PROC_DOMAIN_OPEN_CONSOLE, HANDLER(openConsole), VK_DAEMON_RUN_PRIO, 0,
      "virDomainOpenConsole", VIR_FROM_DOMAIN },
    { 0 },
};

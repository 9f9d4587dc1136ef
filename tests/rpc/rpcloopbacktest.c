/* Our client against a small server built from our own transport (the pieces the daemon will
 * use): replies out of order, errors, events, streams, keepalive in both directions, a peer
 * that dies mid-call, hostile frames and a peer that stops reading (the server closes them and
 * keeps serving others), peer credentials, and server-side TLS with the DN allowlist and hook
 * (with certtool). */
#include <errno.h>
#include <glib-unix.h>
#include <glib/gstdio.h>
#include <sys/socket.h>
#include <unistd.h>

#include "rpc/rpc_client.h"
#include "rpc/rpc_keepalive.h"
#include "rpctestutil.h"

#define REMOTE (&vkRpcRemoteProgram)

/* ---- the server ---- */

typedef struct Server Server;

typedef struct {
    Server *server;
    vkRpcConn *conn;
    vkRpcKeepalive *keepalive;
    guint32 streamSerial;
} Peer;

struct Server {
    GMutex lock;
    GMainContext *context;
    GMainLoop *loop;
    GThread *thread;
    int listenFd;
    char *path;
    vkRpcTLSContext *tls;
    GPtrArray *peers;    /* Peer, owned */
    GPtrArray *closeWhy; /* messages of the errors that closed peers ("" for none) */
    guint served;        /* calls answered */
    gboolean silent;     /* stop reading new connections' frames (a hung daemon) */
    size_t maxQueued;
    uid_t peerUid;
    int peerCredRc;
};

static void sendOrWarn(Peer *peer, vkRpcMessage *msg)
{
    if (vkRpcConnSend(peer->conn, msg) < 0) {
        g_test_message("server send: %s", virGetLastErrorMessage());
        vkResetLastError();
    }
}

static void replyError(Peer *peer, const vkrpc_header *call, int domain, int code, const char *text)
{
    vkrpc_header h = *call;
    h.type = VKRPC_REPLY;
    vkReportError(domain, code, "%s", text);
    sendOrWarn(peer, vkRpcMessageEncodeError(&h, NULL));
    vkResetLastError();
}

static void reply(Peer *peer, const vkrpc_header *call, const vkRpcProc *proc, void *ret)
{
    sendOrWarn(peer, vkRpcMessageNewReply(call, proc ? proc->ret : NULL, ret));
}

typedef struct {
    Peer *peer;
    vkRpcMessage *reply;
} Delayed;

static gboolean sendDelayed(gpointer data)
{
    Delayed *d = data;
    sendOrWarn(d->peer, d->reply);
    g_free(d);
    return G_SOURCE_REMOVE;
}

static void handleStream(Peer *peer, vkRpcMessage *msg)
{
    const vkrpc_header *h = &msg->header;
    size_t len;
    const guint8 *body = vkRpcMessageBody(msg, &len);

    if (h->status == VKRPC_CONTINUE && len > 0) {
        /* echo, upper-cased */
        g_autofree char *up = g_ascii_strup((const char *)body, len);
        sendOrWarn(peer, vkRpcMessageNewStreamData(h->prog, h->vers, h->proc, h->serial, up, len));
    } else if (h->status == VKRPC_CONTINUE) {
        sendOrWarn(peer, vkRpcMessageNewStreamData(h->prog, h->vers, h->proc, h->serial, NULL, 0));
    } else if (h->status == VKRPC_OK) {
        sendOrWarn(peer, vkRpcMessageNewStreamFinish(h->prog, h->vers, h->proc, h->serial));
    } else {
        vkReportError(VIR_FROM_STREAMS, VIR_ERR_OPERATION_ABORTED, "%s", "stream aborted");
        sendOrWarn(peer, vkRpcMessageNewStreamAbort(h->prog, h->vers, h->proc, h->serial,
                                                    virGetLastError()));
        vkResetLastError();
    }
}

static void handleCall(Peer *peer, vkRpcMessage *msg)
{
    const vkrpc_header *h = &msg->header;
    const vkRpcProc *proc = vkRpcProgramLookup(REMOTE, h->proc);
    g_autofree void *args = NULL;

    if (h->prog != VKR_PROGRAM || !proc || (proc->flags & VK_RPC_PROC_EVENT)) {
        g_autofree char *text = g_strdup_printf("unknown procedure: %d", h->proc);
        replyError(peer, h, VIR_FROM_REMOTE, VIR_ERR_RPC, text);
        return;
    }
    args = g_malloc0(proc->argsSize ? proc->argsSize : 1);
    if (vkRpcMessageDecodeBody(msg, proc->args, args, proc->argsSize) < 0) {
        replyError(peer, h, VIR_FROM_RPC, VIR_ERR_RPC, virGetLastErrorMessage());
        return;
    }
    g_mutex_lock(&peer->server->lock);
    peer->server->served++;
    g_mutex_unlock(&peer->server->lock);

    switch (h->proc) {
    case VKR_PROC_CONNECT_GET_TYPE: {
        vkr_connect_get_type_ret ret = { (char *)"LOOPBACK" };
        reply(peer, h, proc, &ret);
        break;
    }
    case VKR_PROC_DOMAIN_LOOKUP_BY_NAME: {
        vkr_domain_lookup_by_name_args *a = args;
        vkr_domain_lookup_by_name_ret ret = { { a->name, { 0 }, 5 } };
        if (g_str_equal(a->name, "missing"))
            replyError(peer, h, VIR_FROM_QEMU, VIR_ERR_NO_DOMAIN,
                       "no domain with matching name 'missing'");
        else
            reply(peer, h, proc, &ret);
        break;
    }
    case VKR_PROC_DOMAIN_GET_XML_DESC: {
        /* answered after FLAGS milliseconds: later calls overtake earlier ones */
        vkr_domain_flags_args *a = args;
        g_autofree char *xml = g_strdup_printf("<domain><name>%s</name></domain>", a->dom.name);
        vkr_domain_get_xml_desc_ret ret = { xml };
        Delayed *d = g_new0(Delayed, 1);
        GSource *timer = g_timeout_source_new(a->flags);
        d->peer = peer;
        d->reply = vkRpcMessageNewReply(h, proc->ret, &ret);
        g_source_set_callback(timer, sendDelayed, d, NULL);
        g_source_attach(timer, peer->server->context);
        g_source_unref(timer);
        break;
    }
    case VKR_PROC_CONNECT_DOMAIN_EVENT_CALLBACK_REGISTER_ANY: {
        vkr_connect_domain_event_callback_register_any_ret ret = { 7 };
        vkr_domain_event_callback_lifecycle_msg ev = { 7, { { (char *)"guest", { 0 }, 5 }, 5, 1 } };
        const vkRpcProc *evProc =
            vkRpcProgramLookup(REMOTE, VKR_PROC_DOMAIN_EVENT_CALLBACK_LIFECYCLE);
        reply(peer, h, proc, &ret);
        sendOrWarn(peer,
                   vkRpcMessageNewEvent(VKR_PROGRAM, VKR_VERSION, evProc->proc, evProc->args, &ev));
        break;
    }
    case VKR_PROC_DOMAIN_OPEN_CONSOLE:
        reply(peer, h, proc, NULL);
        sendOrWarn(peer,
                   vkRpcMessageNewStreamData(h->prog, h->vers, h->proc, h->serial, "login: ", 7));
        break;
    case VKR_PROC_DOMAIN_DESTROY:
        /* dies mid-call */
        vkRpcConnClose(peer->conn, FALSE);
        break;
    case VKR_PROC_CONNECT_GET_HOSTNAME: {
        /* a reply larger than a slow reader's socket buffer, several times */
        g_autofree char *big = g_strnfill(1024 * 1024, 'h');
        vkr_connect_get_hostname_ret ret = { big };
        for (int i = 0; i < 8; i++)
            reply(peer, h, proc, &ret);
        break;
    }
    default:
        replyError(peer, h, VIR_FROM_REMOTE, VIR_ERR_NO_SUPPORT, "not in the loopback server");
        break;
    }
    vkRpcXdrFree(proc->args, args, proc->argsSize);
}

static void onServerMessage(vkRpcConn *conn, vkRpcMessage *msg, gpointer opaque)
{
    Peer *peer = opaque;

    if (!vkRpcKeepaliveHandle(peer->keepalive, msg)) {
        if (msg->header.type == VKRPC_CALL)
            handleCall(peer, msg);
        else if (msg->header.type == VKRPC_STREAM)
            handleStream(peer, msg);
    }
    vkRpcMessageFree(msg);
}

static void onServerClosed(vkRpcConn *conn, const virError *why, gpointer opaque)
{
    Peer *peer = opaque;

    g_mutex_lock(&peer->server->lock);
    g_ptr_array_add(peer->server->closeWhy, g_strdup(why && why->message ? why->message : ""));
    g_mutex_unlock(&peer->server->lock);
}

static gboolean onAccept(gint fd, GIOCondition cond, gpointer data)
{
    static const vkRpcConnCallbacks cb = { onServerMessage, onServerClosed, NULL };
    Server *server = data;
    int cfd = vkRpcSocketAccept(fd);
    vkRpcPeerCred cred = { 0 };
    Peer *peer;

    if (cfd < 0)
        return G_SOURCE_CONTINUE;
    peer = g_new0(Peer, 1);
    peer->server = server;
    peer->conn = vkRpcConnNew(cfd, TRUE);
    peer->keepalive = vkRpcKeepaliveNew(peer->conn);
    if (server->maxQueued)
        vkRpcConnSetMaxQueued(peer->conn, server->maxQueued);
    if (server->tls)
        g_assert_cmpint(vkRpcConnSetTLS(peer->conn, server->tls, NULL), ==, 0);
    g_mutex_lock(&server->lock);
    server->peerCredRc = vkRpcConnPeerCred(peer->conn, &cred);
    server->peerUid = cred.uid;
    g_ptr_array_add(server->peers, peer);
    if (server->silent)
        vkRpcConnSetReadPaused(peer->conn, TRUE);
    g_mutex_unlock(&server->lock);
    vkRpcConnAttach(peer->conn, server->context, &cb, peer);
    return G_SOURCE_CONTINUE;
}

static gpointer serverThread(gpointer data)
{
    Server *server = data;

    g_main_context_push_thread_default(server->context);
    g_main_loop_run(server->loop);
    g_main_context_pop_thread_default(server->context);
    return NULL;
}

static Server *serverNew(const char *dir, vkRpcTLSContext *tls, size_t maxQueued)
{
    Server *server = g_new0(Server, 1);
    GSource *src;

    g_mutex_init(&server->lock);
    server->context = g_main_context_new();
    server->loop = g_main_loop_new(server->context, FALSE);
    server->path = g_build_filename(dir, "sock", NULL);
    server->listenFd = vkRpcSocketListenUnix(server->path, 0700);
    g_assert_cmpint(server->listenFd, >=, 0);
    server->tls = tls ? vkRpcTLSContextRef(tls) : NULL;
    server->maxQueued = maxQueued;
    server->peers = g_ptr_array_new();
    server->closeWhy = g_ptr_array_new_with_free_func(g_free);
    src = g_unix_fd_source_new(server->listenFd, G_IO_IN);
    g_source_set_callback(src, (GSourceFunc)(void (*)(void))onAccept, server, NULL);
    g_source_attach(src, server->context);
    g_source_unref(src);
    server->thread = g_thread_new("server", serverThread, server);
    return server;
}

static gboolean quit(gpointer loop)
{
    g_main_loop_quit(loop);
    return G_SOURCE_REMOVE;
}

static void serverFree(Server *server)
{
    g_main_context_invoke(server->context, quit, server->loop);
    g_thread_join(server->thread);
    for (guint i = 0; i < server->peers->len; i++) {
        Peer *peer = server->peers->pdata[i];
        vkRpcConnClose(peer->conn, FALSE);
    }
    while (g_main_context_iteration(server->context, FALSE))
        ;
    for (guint i = 0; i < server->peers->len; i++) {
        Peer *peer = server->peers->pdata[i];
        vkRpcKeepaliveFree(peer->keepalive);
        vkRpcConnUnref(peer->conn);
        g_free(peer);
    }
    /* the accept source goes with the context */
    g_main_loop_unref(server->loop);
    g_main_context_unref(server->context);
    close(server->listenFd);
    unlink(server->path);
    g_free(server->path);
    vkRpcTLSContextUnref(server->tls);
    g_ptr_array_free(server->peers, TRUE);
    g_ptr_array_free(server->closeWhy, TRUE);
    g_mutex_clear(&server->lock);
    g_free(server);
}

static gboolean serverClosedWith(Server *server, const char *needle)
{
    gboolean found = FALSE;

    g_mutex_lock(&server->lock);
    for (guint i = 0; i < server->closeWhy->len && !found; i++)
        found = strstr(server->closeWhy->pdata[i], needle) != NULL;
    g_mutex_unlock(&server->lock);
    return found;
}

/* ---- fixture ---- */

typedef struct {
    char *dir;
    Server *server;
    vkRpcClient *client;
} Fixture;

static void setup(Fixture *f, gconstpointer data)
{
    f->dir = g_dir_make_tmp("vkrpcloop-XXXXXX", NULL);
    f->server = serverNew(f->dir, NULL, GPOINTER_TO_SIZE(data));
    f->client = vkRpcClientNewUnix(f->server->path);
    g_assert_nonnull(f->client);
}

static void teardown(Fixture *f, gconstpointer data)
{
    vkRpcClientFree(f->client);
    serverFree(f->server);
    g_rmdir(f->dir);
    g_free(f->dir);
}

static char *getType(vkRpcClient *client)
{
    vkr_connect_get_type_ret ret = { 0 };
    char *type;

    if (vkRpcClientCall(client, REMOTE, VKR_PROC_CONNECT_GET_TYPE, NULL, &ret) < 0)
        return NULL;
    type = g_strdup(ret.type);
    vkRpcXdrFree((xdrproc_t)xdr_vkr_connect_get_type_ret, &ret, sizeof(ret));
    return type;
}

/* ---- tests ---- */

static void testBasics(Fixture *f, gconstpointer data)
{
    g_autofree char *type = getType(f->client);
    vkr_domain_lookup_by_name_args missing = { (char *)"missing" };
    vkr_domain_lookup_by_name_ret ret = { 0 };

    g_assert_cmpstr(type, ==, "LOOPBACK");
    g_assert_cmpint(
        vkRpcClientCall(f->client, REMOTE, VKR_PROC_DOMAIN_LOOKUP_BY_NAME, &missing, &ret), ==, -1);
    g_assert_cmpint(virGetLastError()->domain, ==, VIR_FROM_QEMU);
    assertLastError(VIR_ERR_NO_DOMAIN, "Domain not found: no domain with matching name 'missing'");
    /* a procedure the server does not have reads as "not supported" */
    g_assert_cmpint(vkRpcClientCall(f->client, REMOTE, VKR_PROC_NODE_GET_INFO, NULL, NULL), ==, -1);
    assertLastError(VIR_ERR_NO_SUPPORT, "not in the loopback server");
    /* procedures outside the table cannot be called, events neither */
    g_assert_cmpint(vkRpcClientCall(f->client, REMOTE, 8, NULL, NULL), ==, -1);
    assertLastError(VIR_ERR_INTERNAL_ERROR, "cannot be called");
    g_assert_cmpint(
        vkRpcClientCall(f->client, REMOTE, VKR_PROC_DOMAIN_EVENT_CALLBACK_LIFECYCLE, NULL, NULL),
        ==, -1);
    assertLastError(VIR_ERR_INTERNAL_ERROR, "cannot be called");

    g_mutex_lock(&f->server->lock);
    g_assert_cmpint(f->server->peerCredRc, ==, 0);
    g_assert_cmpuint(f->server->peerUid, ==, getuid());
    g_mutex_unlock(&f->server->lock);
}

typedef struct {
    vkRpcClient *client;
    const char *name;
    unsigned int delay;
    char *xml;
    gint64 finished;
} XmlCall;

static gpointer xmlCall(gpointer data)
{
    XmlCall *c = data;
    vkr_domain_flags_args args = { { (char *)c->name, { 0 }, 1 }, c->delay };
    vkr_domain_get_xml_desc_ret ret = { 0 };

    if (vkRpcClientCall(c->client, REMOTE, VKR_PROC_DOMAIN_GET_XML_DESC, &args, &ret) == 0)
        c->xml = g_strdup(ret.xml);
    c->finished = g_get_monotonic_time();
    vkRpcXdrFree((xdrproc_t)xdr_vkr_domain_get_xml_desc_ret, &ret, sizeof(ret));
    return NULL;
}

/* The server answers the slow call last: every caller still gets its own reply. */
static void testOutOfOrder(Fixture *f, gconstpointer data)
{
    XmlCall calls[3] = {
        { f->client, "slow", 600, NULL, 0 },
        { f->client, "middle", 300, NULL, 0 },
        { f->client, "fast", 0, NULL, 0 },
    };
    GThread *threads[3];

    for (int i = 0; i < 3; i++) {
        threads[i] = g_thread_new("call", xmlCall, &calls[i]);
        g_usleep(20000);
    }
    for (int i = 0; i < 3; i++) {
        g_autofree char *expect =
            g_strdup_printf("<domain><name>%s</name></domain>", calls[i].name);
        g_thread_join(threads[i]);
        g_assert_cmpstr(calls[i].xml, ==, expect);
        g_free(calls[i].xml);
    }
    /* the replies did come in the server's order, not the calls' */
    g_assert_cmpint(calls[2].finished, <, calls[0].finished);
}

typedef struct {
    GMutex lock;
    char *last;
    vkRpcClient *client;
    int nestedRc;
    char *nestedError;
} EventSink;

static void onEvent(vkRpcClient *client, const vkRpcProgram *program, const vkRpcProc *proc,
                    void *body, gpointer opaque)
{
    EventSink *sink = opaque;
    vkr_domain_event_callback_lifecycle_msg *m = body;
    int rc;

    /* a call from the I/O thread would wait for itself: it is refused */
    rc = vkRpcClientCall(client, REMOTE, VKR_PROC_CONNECT_GET_TYPE, NULL, NULL);
    g_mutex_lock(&sink->lock);
    sink->nestedRc = rc;
    sink->nestedError = g_strdup(virGetLastErrorMessage());
    vkResetLastError();
    sink->last = g_strdup_printf("%s %s %d %d %d", proc->name, m->msg.dom.name, m->msg.event,
                                 m->msg.detail, m->callback_id);
    g_mutex_unlock(&sink->lock);
}

static gboolean sinkHas(EventSink *sink)
{
    gboolean has;
    g_mutex_lock(&sink->lock);
    has = sink->last != NULL;
    g_mutex_unlock(&sink->lock);
    return has;
}

static void testEvents(Fixture *f, gconstpointer data)
{
    EventSink sink = { 0 };
    vkr_connect_domain_event_callback_register_any_args args = { 0, NULL };
    vkr_connect_domain_event_callback_register_any_ret ret = { 0 };

    g_mutex_init(&sink.lock);
    vkRpcClientSetEventCallback(f->client, onEvent, &sink);
    assertCall(f->client, REMOTE, VKR_PROC_CONNECT_DOMAIN_EVENT_CALLBACK_REGISTER_ANY, &args, &ret);
    g_assert_cmpint(ret.callback_id, ==, 7);
    waitFor(sinkHas(&sink));
    g_assert_cmpstr(sink.last, ==, "DOMAIN_EVENT_CALLBACK_LIFECYCLE guest 5 1 7");
    g_assert_cmpint(sink.nestedRc, ==, -1);
    g_assert_nonnull(strstr(sink.nestedError, "I/O thread"));
    vkRpcClientSetEventCallback(f->client, NULL, NULL);
    g_free(sink.last);
    g_free(sink.nestedError);
    g_mutex_clear(&sink.lock);
}

static void testStream(Fixture *f, gconstpointer data)
{
    vkRpcClientStream *stream =
        vkRpcClientStreamNew(f->client, REMOTE, VKR_PROC_DOMAIN_OPEN_CONSOLE);
    vkr_domain_open_console_args args = { { (char *)"guest", { 0 }, 5 }, NULL, 0 };
    g_autofree char *big = g_strnfill(VKRPC_STREAM_CHUNK_MAX + 1000, 'x');
    GString *got = g_string_new(NULL);
    char buf[4096];
    ssize_t n;

    g_assert_nonnull(stream);
    g_assert_cmpint(vkRpcClientStreamRecv(stream, buf, sizeof(buf), TRUE), ==, -1);
    assertLastError(VIR_ERR_INVALID_STREAM, "not open");
    g_assert_cmpint(vkRpcClientStreamOpen(stream, &args, NULL), ==, 0);
    /* what the server sent right after its reply is not lost */
    while (got->len < 7 && (n = vkRpcClientStreamRecv(stream, buf, 3, FALSE)) > 0)
        g_string_append_len(got, buf, n);
    g_assert_cmpstr(got->str, ==, "login: ");
    g_assert_cmpint(vkRpcClientStreamRecv(stream, buf, sizeof(buf), TRUE), ==, -2);

    /* more than one chunk goes out as several frames and comes back whole */
    g_string_truncate(got, 0);
    g_assert_cmpint(vkRpcClientStreamSend(stream, big, strlen(big)), ==, 0);
    while (got->len < strlen(big) &&
           (n = vkRpcClientStreamRecv(stream, buf, sizeof(buf), FALSE)) > 0)
        g_string_append_len(got, buf, n);
    g_assert_cmpuint(got->len, ==, strlen(big));
    g_assert_true(got->str[0] == 'X' && got->str[got->len - 1] == 'X');

    /* our end of data: the server answers with its own, then the finish handshake */
    g_assert_cmpint(vkRpcClientStreamSend(stream, "", 0), ==, 0);
    g_assert_cmpint(vkRpcClientStreamRecv(stream, buf, sizeof(buf), FALSE), ==, 0);
    g_assert_cmpint(vkRpcClientStreamFinish(stream), ==, 0);
    g_assert_cmpint(vkRpcClientStreamSend(stream, "late", 4), ==, -1);
    assertLastError(VIR_ERR_INVALID_STREAM, "not open");
    vkRpcClientStreamFree(stream);
    g_string_free(got, TRUE);

    /* an abort is answered by the server's error frame */
    stream = vkRpcClientStreamNew(f->client, REMOTE, VKR_PROC_DOMAIN_OPEN_CONSOLE);
    g_assert_cmpint(vkRpcClientStreamOpen(stream, &args, NULL), ==, 0);
    g_assert_cmpint(vkRpcClientStreamAbort(stream), ==, 0);
    vkRpcClientStreamFree(stream);

    /* the connection is still fine */
    g_autofree char *type = getType(f->client);
    g_assert_cmpstr(type, ==, "LOOPBACK");
}

typedef struct {
    GMutex lock;
    char *why;
    gboolean called;
} CloseSink;

static void onClientClosed(vkRpcClient *client, const virError *why, gpointer opaque)
{
    CloseSink *sink = opaque;
    g_mutex_lock(&sink->lock);
    sink->called = TRUE;
    sink->why = g_strdup(why ? why->message : "");
    g_mutex_unlock(&sink->lock);
}

/* The server goes away in the middle of a call: the caller gets a clean error, later calls
 * too, and the close callback says why. */
static void testPeerDiesMidCall(Fixture *f, gconstpointer data)
{
    CloseSink sink = { 0 };
    vkr_domain_args args = { { (char *)"guest", { 0 }, 5 } };

    g_mutex_init(&sink.lock);
    vkRpcClientSetCloseCallback(f->client, onClientClosed, &sink);
    g_assert_cmpint(vkRpcClientCall(f->client, REMOTE, VKR_PROC_DOMAIN_DESTROY, &args, NULL), ==,
                    -1);
    assertLastError(VIR_ERR_SYSTEM_ERROR, "End of file while reading data");
    g_assert_false(vkRpcClientIsOpen(f->client));
    g_assert_null(getType(f->client));
    assertLastError(VIR_ERR_SYSTEM_ERROR, "End of file while reading data");
    waitFor(sink.called);
    g_assert_nonnull(strstr(sink.why, "End of file"));
    g_free(sink.why);
    g_mutex_clear(&sink.lock);
}

/* Our keepalive against a server that stops reading: the connection is declared dead. */
static void testKeepaliveTimeout(Fixture *f, gconstpointer data)
{
    g_autoptr(vkRpcClient) second = NULL;
    guint pings = 0, pongs = 0;

    /* first, a server that answers: PONGs come back and the connection lives */
    g_assert_cmpint(vkRpcClientStartKeepalive(f->client, 1, 1), ==, 0);
    waitFor((vkRpcClientKeepaliveCounts(f->client, &pings, &pongs), pongs >= 2));
    g_assert_true(vkRpcClientIsOpen(f->client));

    g_mutex_lock(&f->server->lock);
    f->server->silent = TRUE;
    g_mutex_unlock(&f->server->lock);
    second = vkRpcClientNewUnix(f->server->path);
    g_assert_nonnull(second);
    g_assert_cmpint(vkRpcClientStartKeepalive(second, 1, 1), ==, 0);
    waitFor(!vkRpcClientIsOpen(second));
    g_assert_null(getType(second));
    assertLastError(VIR_ERR_SYSTEM_ERROR, "connection closed due to keepalive timeout");
}

/* Hostile peers get closed with a reason; the server keeps serving everyone else. */
static void testHostileFrames(Fixture *f, gconstpointer data)
{
    static const struct {
        const char *bytes;
        size_t len;
        const char *why;
    } cases[] = {
        { "\xff\xff\xff\xff", 4, "too large" },
        { "\x00\x00\x00\x0a", 4, "too small" },
        { "\x00\x00\x00\x00", 4, "too small" },
        /* a frame announced longer than what comes before the peer hangs up */
        { "\x00\x00\x01\x00\x20\x00\x80\x86", 8, "End of file" },
        /* message type 9 */
        { "\x00\x00\x00\x1c\x20\x00\x80\x86\x00\x00\x00\x01\x00\x00\x00\x03\x00\x00\x00\x09"
          "\x00\x00\x00\x01\x00\x00\x00\x00",
          28, "Unexpected message type 9" },
    };

    for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
        int fd = vkRpcSocketConnectUnix(f->server->path);
        g_assert_cmpint(fd, >=, 0);
        g_assert_cmpint(write(fd, cases[i].bytes, cases[i].len), ==, (ssize_t)cases[i].len);
        shutdown(fd, SHUT_WR);
        waitFor(serverClosedWith(f->server, cases[i].why));
        close(fd);
    }
    /* garbage arguments: an error reply, the connection stays */
    {
        int fd = vkRpcSocketConnectUnix(f->server->path);
        /* LOOKUP_BY_NAME whose string claims more bytes than the frame has */
        static const guint8 call[] = { 0, 0, 0, 0x24, 0x20, 0, 0x80, 0x86, 0,   0,   0,   1,
                                       0, 0, 0, 23,   0,    0, 0,    0,    0,   0,   0,   9,
                                       0, 0, 0, 0,    0,    0, 0,    0x50, 'a', 'b', 'c', 'd' };
        guint8 head[28];
        g_assert_cmpint(write(fd, call, sizeof(call)), ==, sizeof(call));
        g_unix_set_fd_nonblocking(fd, FALSE, NULL);
        g_assert_cmpint(recv(fd, head, sizeof(head), MSG_WAITALL), ==, 28);
        g_assert_cmpint(head[19], ==, VKRPC_REPLY);
        g_assert_cmpint(head[23], ==, 9);           /* our serial */
        g_assert_cmpint(head[27], ==, VKRPC_ERROR); /* Unable to decode message payload */
        close(fd);
    }
    g_autofree char *type = getType(f->client);
    g_assert_cmpstr(type, ==, "LOOPBACK");
}

/* A peer that asks for much and never reads: the server drops it at the queue limit. */
static void testStopsReading(Fixture *f, gconstpointer data)
{
    int fd = vkRpcSocketConnectUnix(f->server->path);
    vkRpcMessage *call =
        vkRpcMessageNewCall(VKR_PROGRAM, VKR_VERSION, VKR_PROC_CONNECT_GET_HOSTNAME, 1, NULL, NULL);

    g_assert_cmpint(write(fd, call->frame, call->frameLen), ==, (ssize_t)call->frameLen);
    vkRpcMessageFree(call);
    waitFor(serverClosedWith(f->server, "does not read"));
    close(fd);
    g_autofree char *type = getType(f->client);
    g_assert_cmpstr(type, ==, "LOOPBACK");
}

/* ---- TLS ---- */

static const char *tlsDir;

static char *pki(const char *name)
{
    return g_build_filename(tlsDir, name, NULL);
}

static vkRpcTLSContext *clientTLS(const char *who)
{
    g_autofree char *ca = pki("cacert.pem");
    g_autofree char *cert = who ? g_strdup_printf("%s/%scert.pem", tlsDir, who) : NULL;
    g_autofree char *key = who ? g_strdup_printf("%s/%skey.pem", tlsDir, who) : NULL;
    vkRpcTLSContext *ctx = vkRpcTLSContextNewClient(ca, cert, key, TRUE);
    g_assert_nonnull(ctx);
    return ctx;
}

static gboolean denyAll(const char *dn, gpointer opaque)
{
    g_mutex_lock(opaque);
    g_mutex_unlock(opaque);
    return FALSE;
}

static void testTLS(void)
{
    static const char *const allowed[] = { "*CN=vkclient*", NULL };
    g_autofree char *dir = g_dir_make_tmp("vkrpctls-XXXXXX", NULL);
    g_autofree char *ca = pki("cacert.pem");
    g_autofree char *cert = pki("servercert.pem");
    g_autofree char *key = pki("serverkey.pem");
    g_autoptr(vkRpcTLSContext) server = vkRpcTLSContextNewServer(ca, cert, key, TRUE, allowed);
    g_autoptr(vkRpcTLSContext) good = clientTLS("client");
    g_autoptr(vkRpcTLSContext) intruder = clientTLS("intruder");
    g_autoptr(vkRpcTLSContext) anonymous = clientTLS(NULL);
    Server *srv;
    vkRpcClient *client;
    char *type;
    int fd;
    GMutex hookLock;

    g_assert_nonnull(server);
    srv = serverNew(dir, server, 0);

    fd = vkRpcSocketConnectUnix(srv->path);
    client = vkRpcClientNewFd(fd, good, "localhost");
    g_assert_nonnull(client);
    g_assert_true(vkRpcClientIsEncrypted(client));
    type = getType(client);
    g_assert_cmpstr(type, ==, "LOOPBACK");
    g_free(type);
    vkRpcClientFree(client);

    /* refused clients see the server hang up instead of confirming */
    fd = vkRpcSocketConnectUnix(srv->path);
    g_assert_null(vkRpcClientNewFd(fd, intruder, "localhost"));
    assertLastError(VIR_ERR_RPC, "server verification (of our certificate or IP address) failed");
    fd = vkRpcSocketConnectUnix(srv->path);
    g_assert_null(vkRpcClientNewFd(fd, anonymous, "localhost"));
    assertLastError(VIR_ERR_RPC, "server verification (of our certificate or IP address) failed");
    waitFor(serverClosedWith(srv, "Failed to verify peer's certificate"));

    /* the daemon's own hook replaces the pattern list */
    g_mutex_init(&hookLock);
    vkRpcTLSContextSetDNCheck(server, denyAll, &hookLock);
    fd = vkRpcSocketConnectUnix(srv->path);
    g_assert_null(vkRpcClientNewFd(fd, good, "localhost"));
    vkResetLastError();

    /* a host name the server's certificate does not carry */
    vkRpcTLSContextSetDNCheck(server, NULL, NULL);
    fd = vkRpcSocketConnectUnix(srv->path);
    g_assert_null(vkRpcClientNewFd(fd, good, "elsewhere.example"));
    assertLastError(VIR_ERR_AUTH_FAILED, "Failed to verify peer's certificate");

    serverFree(srv);
    g_mutex_clear(&hookLock);
    g_rmdir(dir);
}

static void testTLSFiles(void)
{
    g_autofree char *ca = pki("cacert.pem");

    g_assert_null(vkRpcTLSContextNewClient("/nonexistent/ca.pem", NULL, NULL, TRUE));
    assertLastError(VIR_ERR_SYSTEM_ERROR, "Cannot read CA certificate '/nonexistent/ca.pem'");
    g_assert_null(vkRpcTLSContextNewServer(ca, NULL, NULL, TRUE, NULL));
    assertLastError(VIR_ERR_INVALID_ARG, "needs a certificate");
    g_assert_null(vkRpcTLSContextNewServer(ca, ca, "/nonexistent/key.pem", TRUE, NULL));
    assertLastError(VIR_ERR_SYSTEM_ERROR, "Cannot read private key");
}

/* ---- sockets ---- */

static void testListenUnix(void)
{
    g_autofree char *dir = g_dir_make_tmp("vkrpcsock-XXXXXX", NULL);
    g_autofree char *path = g_build_filename(dir, "sock", NULL);
    int fd = vkRpcSocketListenUnix(path, 0700);
    int again;
    GStatBuf st;

    g_assert_cmpint(fd, >=, 0);
    g_assert_cmpint(g_stat(path, &st), ==, 0);
    g_assert_cmpint(st.st_mode & 0777, ==, 0700);
    /* a live socket is not taken over */
    g_assert_cmpint(vkRpcSocketListenUnix(path, 0700), ==, -1);
    assertLastError(VIR_ERR_OPERATION_INVALID, "already listens");
    close(fd);
    /* nor is a file that is no socket */
    {
        g_autofree char *file = g_build_filename(dir, "file", NULL);
        g_assert_true(g_file_set_contents(file, "keep me", -1, NULL));
        g_assert_cmpint(vkRpcSocketListenUnix(file, 0700), ==, -1);
        assertLastError(VIR_ERR_OPERATION_INVALID, "is not a socket");
        g_assert_true(g_file_test(file, G_FILE_TEST_IS_REGULAR));
        unlink(file);
    }
    /* a stale one is */
    again = vkRpcSocketListenUnix(path, 0);
    g_assert_cmpint(again, >=, 0);
    close(again);
    g_assert_cmpint(vkRpcSocketAccept(again), ==, -1);
    g_assert_true(vkHasError());
    vkResetLastError();
    unlink(path);
    g_assert_null(vkRpcClientNewUnix(path));
    assertLastError(VIR_ERR_SYSTEM_ERROR, "Failed to connect socket to");
    g_rmdir(dir);
}

#define ADD(name, fn, data) \
    g_test_add("/rpc/loopback/" name, Fixture, GSIZE_TO_POINTER(data), setup, fn, teardown)

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    tlsDir = g_getenv("VKTEST_TLS_DIR");
    ADD("basics", testBasics, 0);
    ADD("out-of-order", testOutOfOrder, 0);
    ADD("events", testEvents, 0);
    ADD("stream", testStream, 0);
    ADD("peer-dies-mid-call", testPeerDiesMidCall, 0);
    ADD("keepalive-timeout", testKeepaliveTimeout, 0);
    ADD("hostile-frames", testHostileFrames, 0);
    ADD("stops-reading", testStopsReading, 1024 * 1024);
    g_test_add_func("/rpc/sockets/listen-unix", testListenUnix);
    if (tlsDir) {
        g_test_add_func("/rpc/tls/server-and-client", testTLS);
        g_test_add_func("/rpc/tls/files", testTLSFiles);
    }
    return g_test_run();
}

/* A client of virtkitd: frames in (main loop), checks before decoding, calls served inline or
 * on workers, replies by serial, flow control, and teardown that never waits for a worker. */
#include "daemon_client.h"

#include <string.h>

#include "daemon_server.h"
#include "daemon_stream.h"
#include "rpc/rpc_keepalive.h"
#include "util/vkerror.h"
#include "util/vkquickcall.h"

#define VIR_FROM_THIS VIR_FROM_RPC

/* What a client that stops reading may leave queued before it is dropped: two of the largest
 * frames, so that no legitimate reply is ever refused. */
#define MAX_QUEUED_BYTES (2 * (size_t)VK_RPC_FRAME_MAX)

struct _vkDaemonClient {
    gint refs;
    vkDaemonServer *server;
    vkRpcConn *conn;
    vkRpcKeepalive *keepalive; /* main loop only; NULL once closed */

    GMutex lock; /* guards the fields below */
    gboolean readonly;
    gboolean authenticated;
    virConnectPtr vconn;
    char *uri;
    guint inflight;  /* calls read and not yet answered */
    guint exclusive; /* of those, VK_DAEMON_PROC_EXCLUSIVE ones */
    guint held;      /* streams that asked for reading to stop (vkDaemonClientHoldReading) */
    gboolean paused; /* reading stopped for flow control */
    gboolean closed;
    gboolean closeCallback;
    GData *priv;
};

vkDaemonClient *vkDaemonClientRef(vkDaemonClient *client)
{
    g_atomic_int_inc(&client->refs);
    return client;
}

void vkDaemonClientUnref(vkDaemonClient *client)
{
    if (!client || !g_atomic_int_dec_and_test(&client->refs))
        return;
    if (client->vconn) {
        /* closing a driver may report; the caller's error is not ours to lose */
        virErrorPtr saved = vkSaveError();
        vkConnectUnref(client->vconn);
        vkRestoreError(saved);
    }
    g_free(client->uri);
    g_datalist_clear(&client->priv);
    vkRpcConnUnref(client->conn);
    g_mutex_clear(&client->lock);
    g_free(client);
}

vkDaemonServer *vkDaemonClientServer(vkDaemonClient *client)
{
    return client->server;
}

vkRpcConn *vkDaemonClientRpcConn(vkDaemonClient *client)
{
    return client->conn;
}

gboolean vkDaemonClientIsReadonly(vkDaemonClient *client)
{
    g_autoptr(GMutexLocker) locker = g_mutex_locker_new(&client->lock);

    return client->readonly;
}

void vkDaemonClientClose(vkDaemonClient *client)
{
    vkRpcConnClose(client->conn, TRUE);
}

int vkDaemonClientSend(vkDaemonClient *client, vkRpcMessage *msg)
{
    if (!msg)
        return -1;
    return vkRpcConnSend(client->conn, msg);
}

/* ---- the library connection ---- */

virConnectPtr vkDaemonClientGetConn(vkDaemonClient *client)
{
    g_autoptr(GMutexLocker) locker = g_mutex_locker_new(&client->lock);

    if (!client->vconn)
        return NULL;
    vkConnectRef(client->vconn);
    return client->vconn;
}

int vkDaemonClientSetConn(vkDaemonClient *client, virConnectPtr conn, const char *uri,
                          gboolean readonly)
{
    g_autoptr(GMutexLocker) locker = g_mutex_locker_new(&client->lock);

    if (client->vconn) {
        vkReportError(VIR_FROM_THIS, VIR_ERR_INTERNAL_ERROR, "%s", "connection already open");
        return -1;
    }
    client->vconn = conn;
    client->uri = g_strdup(uri);
    /* asked for on the read-write socket, read-only is binding too, as in libvirtd */
    client->readonly = client->readonly || readonly;
    return 0;
}

char *vkDaemonClientGetURI(vkDaemonClient *client)
{
    g_autoptr(GMutexLocker) locker = g_mutex_locker_new(&client->lock);

    return g_strdup(client->uri);
}

gboolean vkDaemonClientSetCloseCallback(vkDaemonClient *client, gboolean on)
{
    g_autoptr(GMutexLocker) locker = g_mutex_locker_new(&client->lock);
    gboolean was = client->closeCallback;

    client->closeCallback = on;
    return was;
}

int vkDaemonClientStartKeepalive(vkDaemonClient *client)
{
    const vkDaemonConfig *cfg = vkDaemonServerConfig(client->server);

    /* asked twice, or keepalive_interval = -1: the client may still send PINGs */
    if (!client->keepalive || cfg->keepaliveInterval <= 0)
        return 0;
    if (vkRpcKeepaliveStart(client->keepalive, vkDaemonServerContext(client->server),
                            cfg->keepaliveInterval, cfg->keepaliveCount) < 0)
        vkResetLastError(); /* already running */
    return 0;
}

/* ---- private data of other parts ---- */

gpointer vkDaemonClientGetPrivate(vkDaemonClient *client, const char *key)
{
    g_autoptr(GMutexLocker) locker = g_mutex_locker_new(&client->lock);

    return g_datalist_get_data(&client->priv, key);
}

gboolean vkDaemonClientSetPrivate(vkDaemonClient *client, const char *key, gpointer data,
                                  GDestroyNotify destroy)
{
    g_mutex_lock(&client->lock);
    if (client->closed) {
        g_mutex_unlock(&client->lock);
        if (destroy && data)
            destroy(data);
        return FALSE;
    }
    g_datalist_set_data_full(&client->priv, key, data, destroy);
    g_mutex_unlock(&client->lock);
    return TRUE;
}

/* ---- flow control ---- */

/* With the lock held. */
static void updatePause(vkDaemonClient *client)
{
    const vkDaemonConfig *cfg = vkDaemonServerConfig(client->server);
    gboolean pause =
        client->held > 0 || client->exclusive > 0 || client->inflight >= cfg->maxClientRequests;

    if (pause != client->paused) {
        client->paused = pause;
        vkRpcConnSetReadPaused(client->conn, pause);
    }
}

void vkDaemonClientHoldReading(vkDaemonClient *client, gboolean hold)
{
    g_mutex_lock(&client->lock);
    if (hold)
        client->held++;
    else if (client->held > 0)
        client->held--;
    if (!client->closed)
        updatePause(client);
    g_mutex_unlock(&client->lock);
}

/* ---- serving calls ---- */

static void callFree(vkDaemonCall *call)
{
    if (call->rpc) {
        vkRpcXdrFree(call->rpc->args, call->args, call->rpc->argsSize);
        vkRpcXdrFree(call->rpc->ret, call->ret, call->rpc->retSize);
    }
    g_free(call->args);
    g_free(call->ret);
    if (call->afterDataFree && call->afterData)
        call->afterDataFree(call->afterData);
    vkDaemonClientUnref(call->client);
    g_free(call);
}

static void sendError(vkDaemonClient *client, const vkrpc_header *hdr)
{
    vkrpc_header h = *hdr;

    h.type = VKRPC_REPLY;
    if (vkDaemonClientSend(client, vkRpcMessageEncodeError(&h, NULL)) < 0)
        g_debug("client gone before its error reply");
    vkResetLastError();
}

/* Answers CALL, whose handler returned RC, and lets it go. */
static void callFinish(vkDaemonCall *call, int rc)
{
    vkDaemonClient *client = call->client;
    vkRpcMessage *reply = NULL;

    if (rc == 0 && !(reply = vkRpcMessageNewReply(&call->header, call->rpc->ret, call->ret)))
        rc = -1; /* too large for a frame: the client hears why */
    if (rc < 0) {
        sendError(client, &call->header);
    } else if (vkDaemonClientSend(client, reply) == 0 && call->afterReply) {
        call->afterReply(call);
    }
    vkResetLastError();

    g_mutex_lock(&client->lock);
    client->inflight--;
    if (call->proc->flags & VK_DAEMON_PROC_EXCLUSIVE)
        client->exclusive--;
    if (!client->closed)
        updatePause(client);
    g_mutex_unlock(&client->lock);
    callFree(call);
}

void vkDaemonCallRun(vkDaemonCall *call)
{
    callFinish(call, call->proc->handler(call, call->args, call->ret));
}

/* Runs a VK_DAEMON_RUN_QUICK call here, in the main loop, unless the driver finds it would
 * have to wait: then nothing is sent, and FALSE says the call is for a worker. The calls of
 * that class only read, so running one again is safe. */
static gboolean runQuick(vkDaemonCall *call)
{
    int rc;

    vkQuickCallBegin();
    rc = call->proc->handler(call, call->args, call->ret);
    if (vkQuickCallEnd()) {
        vkRpcXdrFree(call->rpc->ret, call->ret, call->rpc->retSize);
        memset(call->ret, 0, MAX(call->rpc->retSize, 1));
        vkResetLastError();
        return FALSE;
    }
    callFinish(call, rc);
    return TRUE;
}

/* Answers a call refused before it was decoded with the thread's last error. */
static void refuse(vkDaemonClient *client, const vkrpc_header *hdr)
{
    sendError(client, hdr);
}

static void handleCall(vkDaemonClient *client, vkRpcMessage *msg)
{
    const vkrpc_header *hdr = &msg->header;
    const vkRpcProgram *program = vkRpcProgramFind(hdr->prog, hdr->vers);
    const vkRpcProc *rpc;
    const vkDaemonProc *proc;
    vkDaemonCall *call;
    gboolean readonly, authenticated;

    if (!program) {
        vkReportError(VIR_FROM_THIS, VIR_ERR_RPC, "Cannot find program %d version %d",
                      (int)hdr->prog, (int)hdr->vers);
        return refuse(client, hdr);
    }
    if (hdr->status != VKRPC_OK) {
        vkReportError(VIR_FROM_THIS, VIR_ERR_RPC, "Unexpected message status %u", hdr->status);
        return refuse(client, hdr);
    }
    rpc = vkRpcProgramLookup(program, hdr->proc);
    proc = vkDaemonProcLookup(program, hdr->proc);
    if (!rpc || !proc || (rpc->flags & VK_RPC_PROC_EVENT)) {
        vkReportError(VIR_FROM_THIS, VIR_ERR_RPC, "unknown procedure: %d", hdr->proc);
        return refuse(client, hdr);
    }

    g_mutex_lock(&client->lock);
    readonly = client->readonly;
    authenticated = client->authenticated;
    g_mutex_unlock(&client->lock);
    if (!authenticated && !(rpc->flags & VK_RPC_PROC_NOAUTH)) {
        vkReportError(VIR_FROM_THIS, VIR_ERR_RPC, "%s", "authentication required");
        return refuse(client, hdr);
    }
    /* the public API would refuse too; refusing here means nothing is ever decoded for it */
    if (readonly && !(rpc->flags & VK_RPC_PROC_READONLY)) {
        vkReportError(proc->errDomain, VIR_ERR_OPERATION_DENIED, "read only access prevents %s",
                      proc->api);
        return refuse(client, hdr);
    }

    call = g_new0(vkDaemonCall, 1);
    call->client = vkDaemonClientRef(client);
    call->header = *hdr;
    call->program = program;
    call->rpc = rpc;
    call->proc = proc;
    call->args = g_malloc0(MAX(rpc->argsSize, 1));
    call->ret = g_malloc0(MAX(rpc->retSize, 1));
    if (vkRpcMessageDecodeBody(msg, rpc->args, call->args, rpc->argsSize) < 0) {
        sendError(client, hdr);
        callFree(call);
        return;
    }

    g_mutex_lock(&client->lock);
    client->inflight++;
    if (proc->flags & VK_DAEMON_PROC_EXCLUSIVE)
        client->exclusive++;
    updatePause(client);
    g_mutex_unlock(&client->lock);

    if (!(rpc->flags & VK_RPC_PROC_LONG)) {
        if (proc->run == VK_DAEMON_RUN_INLINE) {
            vkDaemonCallRun(call);
            return;
        }
        if (proc->run == VK_DAEMON_RUN_QUICK && runQuick(call))
            return;
    }
    vkDaemonServerQueueCall(client->server, call,
                            proc->run == VK_DAEMON_RUN_LONG || (rpc->flags & VK_RPC_PROC_LONG));
}

/* ---- the connection's callbacks (main loop) ---- */

static void onMessage(vkRpcConn *conn, vkRpcMessage *msg, gpointer opaque)
{
    vkDaemonClient *client = opaque;

    if (client->keepalive && vkRpcKeepaliveHandle(client->keepalive, msg)) {
        vkRpcMessageFree(msg);
        return;
    }
    switch (msg->header.type) {
    case VKRPC_CALL:
    case VKRPC_CALL_WITH_FDS:
        handleCall(client, msg);
        break;
    case VKRPC_STREAM:
        vkDaemonStreamHandleMessage(client, msg);
        break;
    default:
        /* replies and events are what a server sends, never receives */
        g_debug("ignoring a %s frame from a client", vkRpcTypeName(msg->header.type));
        break;
    }
    vkRpcMessageFree(msg);
}

static void onClosed(vkRpcConn *conn, const virError *why, gpointer opaque)
{
    vkDaemonClient *client = opaque;
    GData *priv;

    if (why)
        g_debug("client closed: %s", why->message);
    g_mutex_lock(&client->lock);
    client->closed = TRUE;
    priv = client->priv;
    client->priv = NULL;
    g_mutex_unlock(&client->lock);
    /* event registrations and streams end here, in the main loop where they live */
    g_datalist_clear(&priv);
    vkRpcKeepaliveFree(g_steal_pointer(&client->keepalive));
    vkDaemonServerClientClosed(client->server, client);
}

vkDaemonClient *vkDaemonClientNew(vkDaemonServer *server, vkRpcConn *conn, unsigned int flags)
{
    static const vkRpcConnCallbacks callbacks = { onMessage, onClosed, NULL };
    vkDaemonClient *client = g_new0(vkDaemonClient, 1);

    client->refs = 1;
    client->server = server;
    client->conn = conn;
    g_mutex_init(&client->lock);
    g_datalist_init(&client->priv);
    client->readonly = (flags & VK_DAEMON_CLIENT_READONLY) != 0;
    client->authenticated = !(flags & VK_DAEMON_CLIENT_UNAUTHENTICATED);
    client->keepalive = vkRpcKeepaliveNew(conn);
    vkRpcConnSetMaxQueued(conn, MAX_QUEUED_BYTES);
    vkRpcConnAttach(conn, vkDaemonServerContext(server), &callbacks, client);
    return client;
}

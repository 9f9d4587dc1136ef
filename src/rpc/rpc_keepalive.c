/* Keepalive PING/PONG and dead peer detection, as libvirt's clients and daemon do it. */
#include "rpc/rpc_keepalive.h"

#include "util/vkerror.h"

#define VIR_FROM_THIS VIR_FROM_RPC

struct _vkRpcKeepalive {
    GMutex lock;
    vkRpcConn *conn;
    GSource *timer;
    int interval;
    unsigned int count;
    unsigned int left; /* PINGs we may still send without an answer */
    gint64 lastRx;     /* monotonic time of the last frame received */
    guint pingsIn, pongsIn;
};

vkRpcKeepalive *vkRpcKeepaliveNew(vkRpcConn *conn)
{
    vkRpcKeepalive *ka = g_new0(vkRpcKeepalive, 1);

    g_mutex_init(&ka->lock);
    ka->conn = vkRpcConnRef(conn);
    ka->lastRx = g_get_monotonic_time();
    return ka;
}

void vkRpcKeepaliveStop(vkRpcKeepalive *ka)
{
    GSource *timer;

    g_mutex_lock(&ka->lock);
    timer = g_steal_pointer(&ka->timer);
    g_mutex_unlock(&ka->lock);
    if (timer) {
        g_source_destroy(timer);
        g_source_unref(timer);
    }
}

void vkRpcKeepaliveFree(vkRpcKeepalive *ka)
{
    if (!ka)
        return;
    vkRpcKeepaliveStop(ka);
    vkRpcConnUnref(ka->conn);
    g_mutex_clear(&ka->lock);
    g_free(ka);
}

static gboolean onTimer(gpointer data)
{
    vkRpcKeepalive *ka = data;
    gint64 now = g_get_monotonic_time();
    gboolean dead = FALSE, ping = FALSE;

    g_mutex_lock(&ka->lock);
    if (now - ka->lastRx >= (gint64)ka->interval * G_USEC_PER_SEC) {
        if (ka->left == 0) {
            dead = TRUE;
        } else {
            ka->left--;
            ping = TRUE;
        }
    }
    g_mutex_unlock(&ka->lock);

    if (dead) {
        vkReportError(VIR_FROM_THIS, VIR_ERR_SYSTEM_ERROR, "%s",
                      "connection closed due to keepalive timeout");
        vkRpcConnCloseWithError(ka->conn);
        return G_SOURCE_CONTINUE;
    }
    if (ping && vkRpcConnSend(ka->conn, vkRpcMessageNewKeepalive(VKRPC_KEEPALIVE_PING)) < 0)
        vkResetLastError(); /* closed already: the closed callback tells why */
    return G_SOURCE_CONTINUE;
}

int vkRpcKeepaliveStart(vkRpcKeepalive *ka, GMainContext *context, int interval, unsigned int count)
{
    GSource *timer;

    if (interval < 1 || interval > G_MAXINT / 1000) {
        vkReportError(VIR_FROM_THIS, VIR_ERR_INVALID_ARG, "keepalive interval %d out of range",
                      interval);
        return -1;
    }
    g_mutex_lock(&ka->lock);
    if (ka->timer) {
        g_mutex_unlock(&ka->lock);
        vkReportError(VIR_FROM_THIS, VIR_ERR_INTERNAL_ERROR, "%s",
                      "keepalive interval already set");
        return -1;
    }
    ka->interval = interval;
    ka->count = count;
    ka->left = count;
    ka->lastRx = g_get_monotonic_time();
    /* checks twice per interval, so that a PING follows silence within 1.5 intervals */
    timer = g_timeout_source_new(interval * 500);
    g_source_set_callback(timer, onTimer, ka, NULL);
    g_source_set_name(timer, "vkRpcKeepalive");
    ka->timer = timer;
    g_source_attach(timer, context);
    g_mutex_unlock(&ka->lock);
    return 0;
}

gboolean vkRpcKeepaliveHandle(vkRpcKeepalive *ka, const vkRpcMessage *msg)
{
    g_mutex_lock(&ka->lock);
    ka->lastRx = g_get_monotonic_time();
    ka->left = ka->count;
    g_mutex_unlock(&ka->lock);

    if (msg->header.prog != VKRPC_KEEPALIVE_PROGRAM)
        return FALSE;
    if (msg->header.vers != VKRPC_KEEPALIVE_VERSION || msg->header.type != VKRPC_MESSAGE) {
        g_debug("ignoring keepalive frame version %u type %d", msg->header.vers, msg->header.type);
        return TRUE;
    }
    g_mutex_lock(&ka->lock);
    if (msg->header.proc == VKRPC_KEEPALIVE_PING)
        ka->pingsIn++;
    else if (msg->header.proc == VKRPC_KEEPALIVE_PONG)
        ka->pongsIn++;
    g_mutex_unlock(&ka->lock);
    if (msg->header.proc == VKRPC_KEEPALIVE_PING) {
        if (vkRpcConnSend(ka->conn, vkRpcMessageNewKeepalive(VKRPC_KEEPALIVE_PONG)) < 0)
            vkResetLastError();
    }
    return TRUE;
}

void vkRpcKeepaliveCounts(vkRpcKeepalive *ka, guint *pingsIn, guint *pongsIn)
{
    g_mutex_lock(&ka->lock);
    *pingsIn = ka->pingsIn;
    *pongsIn = ka->pongsIn;
    g_mutex_unlock(&ka->lock);
}

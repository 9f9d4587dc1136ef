/* The library's virStream over the wire: a call that opens a stream (STORAGE_VOL_UPLOAD,
 * STORAGE_VOL_DOWNLOAD, DOMAIN_OPEN_CONSOLE) attaches this backend, whose data travels as the
 * STREAM frames of that call (vkRpcClientStream). Events come from the RPC client's I/O thread
 * and are delivered through the application's event loop (virStreamEventAddCallback). */
#include "remote_priv.h"
#include "stream.h"

#define VIR_FROM_THIS VK_REMOTE_ERR

static vkRpcClientStream *rpcStream(virStreamPtr st)
{
    return st->backendData;
}

static int remoteSend(virStreamPtr st, const char *data, size_t nbytes)
{
    if (nbytes > G_MAXINT)
        nbytes = G_MAXINT;
    if (vkRpcClientStreamSend(rpcStream(st), data, nbytes) < 0)
        return -1;
    return (int)nbytes;
}

static int remoteRecv(virStreamPtr st, char *data, size_t nbytes)
{
    ssize_t got;

    if (nbytes > G_MAXINT)
        nbytes = G_MAXINT;
    got =
        vkRpcClientStreamRecv(rpcStream(st), data, nbytes, (st->flags & VIR_STREAM_NONBLOCK) != 0);
    return (int)got;
}

static int remoteFinish(virStreamPtr st)
{
    return vkRpcClientStreamFinish(rpcStream(st));
}

static int remoteAbort(virStreamPtr st)
{
    return vkRpcClientStreamAbort(rpcStream(st));
}

static void remoteRelease(virStreamPtr st)
{
    vkRpcClientStreamFree(rpcStream(st));
}

/* As libvirt's client: writing never waits for the peer long, and what arrived (data, the end,
 * an error) is readable. */
static int remotePending(virStreamPtr st)
{
    int events = VIR_STREAM_EVENT_WRITABLE;

    if (vkRpcClientStreamHasInput(rpcStream(st)))
        events |= VIR_STREAM_EVENT_READABLE;
    return events;
}

static const vkStreamBackend remoteBackend = {
    .send = remoteSend,
    .recv = remoteRecv,
    .finish = remoteFinish,
    .abort = remoteAbort,
    .release = remoteRelease,
    .eventPending = remotePending,
};

/* The RPC client's I/O thread: a frame arrived for the stream, or the connection ended. */
static void onArrival(vkRpcClientStream *stream, gpointer opaque)
{
    vkStreamEventWake(opaque);
}

int vkRemoteStreamOpen(virConnectPtr conn, virStreamPtr st, int proc, const void *args)
{
    vkRpcClientStream *rs;

    if (!(rs = vkRpcClientStreamNew(vkRemotePriv(conn)->client, &vkRpcRemoteProgram, proc)))
        return -1;
    if (vkStreamAttach(st, &remoteBackend, rs) < 0) {
        vkRpcClientStreamFree(rs);
        return -1;
    }
    /* The stream outlives the callback: releasing the backend frees RS, which waits for it. */
    vkRpcClientStreamSetCallback(rs, onArrival, st);
    if (vkRpcClientStreamOpen(rs, args, NULL) < 0) {
        virErrorPtr saved = vkSaveError();

        vkStreamDetach(st);
        vkRestoreError(saved);
        return -1;
    }
    return 0;
}

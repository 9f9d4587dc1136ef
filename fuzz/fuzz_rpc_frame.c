/* libFuzzer target for what a peer sends us: the input is a byte stream of frames. It goes
 * twice through our code: frame by frame through the decoder, every body through the codecs
 * of the procedure table (and as typed parameters), and as a whole through a vkRpcConn reading
 * it from a socket. Any crash, leak, hang or sanitizer report is a bug; errors are expected. */
#include <glib-unix.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "rpc/rpc_conn.h"
#include "rpc/rpc_procs.h"
#include "rpc/rpc_typedparams.h"
#include "util/vkerror.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Decodes BODY with CODEC; a success must encode again, and that encoding must decode. */
static void tryCodec(const vkRpcMessage *msg, xdrproc_t codec, size_t size)
{
    g_autofree void *obj = NULL;
    g_autofree void *again = NULL;
    g_autoptr(vkRpcMessage) encoded = NULL;
    g_autoptr(vkRpcMessage) redecoded = NULL;

    if (!codec)
        return;
    obj = g_malloc0(size);
    if (vkRpcMessageDecodeBody(msg, codec, obj, size) < 0) {
        vkResetLastError();
        return;
    }
    encoded = vkRpcMessageEncode(&msg->header, codec, obj);
    if (encoded) {
        redecoded =
            vkRpcMessageDecode(g_memdup2(encoded->frame, encoded->frameLen), encoded->frameLen);
        if (!redecoded) {
            fprintf(stderr, "fuzz_rpc_frame: an encoded frame does not decode: %s\n",
                    virGetLastErrorMessage());
            abort();
        }
        again = g_malloc0(size);
        if (vkRpcMessageDecodeBody(redecoded, codec, again, size) < 0) {
            fprintf(stderr, "fuzz_rpc_frame: a re-encoded body does not decode: %s\n",
                    virGetLastErrorMessage());
            abort();
        }
        vkRpcXdrFree(codec, again, size);
    }
    vkResetLastError();
    vkRpcXdrFree(codec, obj, size);
}

/* The body as a list of typed parameters, then into vkTypedParam. */
static bool_t xdrParams(XDR *xdr, void *obj)
{
    struct {
        u_int len;
        vkr_typed_param *val;
    } *list = obj;
    return xdr_array(xdr, (char **)&list->val, &list->len, VKR_TYPED_PARAMS_MAX,
                     sizeof(vkr_typed_param), (xdrproc_t)xdr_vkr_typed_param);
}

static void tryTypedParams(const vkRpcMessage *msg)
{
    struct {
        u_int len;
        vkr_typed_param *val;
    } list = { 0 };
    vkTypedParam *params = NULL;
    int n = 0;

    if (vkRpcMessageDecodeBody(msg, (xdrproc_t)xdrParams, &list, sizeof(list)) < 0) {
        vkResetLastError();
        return;
    }
    if (vkRpcTypedParamsDeserialize(list.val, list.len, 16, &params, &n) == 0)
        vkTypedParamsFree(params, n);
    vkResetLastError();
    vkRpcXdrFree((xdrproc_t)xdrParams, &list, sizeof(list));
}

/* What a client or server would do with the frame. */
static void handleMessage(const vkRpcMessage *msg)
{
    const vkRpcProgram *program = vkRpcProgramFind(msg->header.prog, msg->header.vers);
    const vkRpcProc *proc = program ? vkRpcProgramLookup(program, msg->header.proc) : NULL;

    if (msg->header.status == VKRPC_ERROR) {
        vkRpcMessageRaiseError(msg);
        vkResetLastError();
    }
    if (proc) {
        tryCodec(msg, proc->args, proc->argsSize);
        tryCodec(msg, proc->ret, proc->retSize);
    }
    tryTypedParams(msg);
}

static void decodeStream(const uint8_t *data, size_t size)
{
    while (size >= VKRPC_LEN_SIZE) {
        guint32 total;
        vkRpcMessage *msg;

        if (vkRpcFrameLength(data, &total) < 0 || total > size)
            break;
        msg = vkRpcMessageDecode(g_memdup2(data, total), total);
        if (msg) {
            handleMessage(msg);
            vkRpcMessageFree(msg);
        }
        vkResetLastError();
        data += total;
        size -= total;
    }
    vkResetLastError();
}

/* ---- the same bytes through a connection ---- */

static void onMessage(vkRpcConn *conn, vkRpcMessage *msg, gpointer opaque)
{
    handleMessage(msg);
    vkRpcMessageFree(msg);
}

static void onClosed(vkRpcConn *conn, const virError *why, gpointer opaque)
{
    *(gboolean *)opaque = TRUE;
}

static void readThroughConn(const uint8_t *data, size_t size)
{
    static const vkRpcConnCallbacks cb = { onMessage, onClosed, NULL };
    GMainContext *ctx = g_main_context_new();
    vkRpcConn *conn;
    gboolean closed = FALSE;
    int sv[2];
    size_t off = 0;

    if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) < 0)
        abort();
    conn = vkRpcConnNew(sv[0], TRUE);
    vkRpcConnAttach(conn, ctx, &cb, &closed);
    g_unix_set_fd_nonblocking(sv[1], TRUE, NULL);
    /* feed while the connection reads: the input may exceed the socket's buffer */
    while (!closed) {
        if (off < size) {
            ssize_t n = write(sv[1], data + off, size - off);
            if (n > 0)
                off += n;
            if (off == size) {
                close(sv[1]);
                sv[1] = -1;
            }
        } else if (size == 0 && sv[1] >= 0) {
            close(sv[1]);
            sv[1] = -1;
        }
        g_main_context_iteration(ctx, off == size);
    }
    if (sv[1] >= 0)
        close(sv[1]);
    vkRpcConnUnref(conn);
    while (g_main_context_iteration(ctx, FALSE))
        ;
    g_main_context_unref(ctx);
    vkResetLastError();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    decodeStream(data, size);
    readThroughConn(data, size);
    return 0;
}

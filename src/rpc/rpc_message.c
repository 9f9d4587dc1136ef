/* Frames of libvirt's wire protocol: encoding, decoding within libvirt's limits, error bodies. */
#include "rpc/rpc_message.h"

#include <string.h>

#include "util/vkerror.h"

#define VIR_FROM_THIS VIR_FROM_RPC

static const char *const typeNames[] = {
    "call", "reply", "message", "stream", "call-with-fds", "reply-with-fds", "stream-hole",
};

const char *vkRpcTypeName(int type)
{
    if (type >= 0 && (size_t)type < G_N_ELEMENTS(typeNames))
        return typeNames[type];
    return "unknown";
}

void vkRpcMessageFree(vkRpcMessage *msg)
{
    if (!msg)
        return;
    g_free(msg->frame);
    g_free(msg);
}

static void putU32(guint8 *p, guint32 v)
{
    p[0] = v >> 24;
    p[1] = v >> 16;
    p[2] = v >> 8;
    p[3] = v;
}

static guint32 getU32(const guint8 *p)
{
    return ((guint32)p[0] << 24) | ((guint32)p[1] << 16) | ((guint32)p[2] << 8) | p[3];
}

/* A message with room for BODYLEN body bytes, its length word and header already written. */
static vkRpcMessage *messageNew(const vkrpc_header *header, size_t bodyLen)
{
    g_autoptr(vkRpcMessage) msg = NULL;
    XDR xdr;

    if (header->type == VKRPC_CALL_WITH_FDS || header->type == VKRPC_REPLY_WITH_FDS) {
        /* no procedure we speak passes descriptors, and the transport cannot send them */
        vkReportError(VIR_FROM_THIS, VIR_ERR_OPERATION_UNSUPPORTED, "%s",
                      "passing file descriptors is not supported");
        return NULL;
    }
    if (bodyLen > VKRPC_PAYLOAD_MAX) {
        vkReportError(VIR_FROM_THIS, VIR_ERR_RPC,
                      "message too large: %zu bytes of payload, %d bytes allowed", bodyLen,
                      VKRPC_PAYLOAD_MAX);
        return NULL;
    }
    msg = g_new0(vkRpcMessage, 1);
    msg->header = *header;
    msg->frameLen = VK_RPC_FRAME_MIN + bodyLen;
    msg->bodyOffset = VK_RPC_FRAME_MIN;
    msg->frame = g_malloc(msg->frameLen);
    putU32(msg->frame, msg->frameLen);

    xdrmem_create(&xdr, (char *)msg->frame + VKRPC_LEN_SIZE, VKRPC_HEADER_SIZE, XDR_ENCODE);
    if (!xdr_vkrpc_header(&xdr, &msg->header)) {
        xdr_destroy(&xdr);
        vkReportError(VIR_FROM_THIS, VIR_ERR_RPC, "%s", "Unable to encode message header");
        return NULL;
    }
    xdr_destroy(&xdr);
    return g_steal_pointer(&msg);
}

vkRpcMessage *vkRpcMessageEncode(const vkrpc_header *header, xdrproc_t codec, const void *obj)
{
    g_autoptr(vkRpcMessage) msg = NULL;
    unsigned long bodyLen = 0;
    XDR xdr;
    bool_t ok;

    if (codec) {
        bodyLen = xdr_sizeof(codec, (void *)obj);
        if (bodyLen == 0) {
            vkReportError(VIR_FROM_THIS, VIR_ERR_RPC, "%s", "Unable to encode message payload");
            return NULL;
        }
    }
    if (!(msg = messageNew(header, bodyLen)))
        return NULL;
    if (bodyLen == 0)
        return g_steal_pointer(&msg);

    xdrmem_create(&xdr, (char *)msg->frame + msg->bodyOffset, bodyLen, XDR_ENCODE);
    ok = codec(&xdr, (void *)obj);
    xdr_destroy(&xdr);
    if (!ok) {
        vkReportError(VIR_FROM_THIS, VIR_ERR_RPC, "%s", "Unable to encode message payload");
        return NULL;
    }
    return g_steal_pointer(&msg);
}

vkRpcMessage *vkRpcMessageEncodeRaw(const vkrpc_header *header, const void *data, size_t len)
{
    vkRpcMessage *msg;

    if (len > VKRPC_PAYLOAD_MAX) {
        vkReportError(VIR_FROM_THIS, VIR_ERR_RPC,
                      "Stream data too long to send (%zu bytes needed, %d bytes available)", len,
                      VKRPC_PAYLOAD_MAX);
        return NULL;
    }
    if (!(msg = messageNew(header, len)))
        return NULL;
    if (len)
        memcpy(msg->frame + msg->bodyOffset, data, len);
    return msg;
}

vkRpcMessage *vkRpcMessageEncodeError(const vkrpc_header *header, const virError *err)
{
    vkrpc_header h = *header;
    vkr_error rerr = { 0 };
    vkRpcMessage *msg;

    h.status = VKRPC_ERROR;
    vkRpcErrorFromVir(err, &rerr);
    msg = vkRpcMessageEncode(&h, (xdrproc_t)xdr_vkr_error, &rerr);
    vkRpcXdrFree((xdrproc_t)xdr_vkr_error, &rerr, sizeof(rerr));
    return msg;
}

vkRpcMessage *vkRpcMessageNewCall(guint32 prog, guint32 vers, int proc, guint32 serial,
                                  xdrproc_t codec, const void *args)
{
    vkrpc_header h = { prog, vers, proc, VKRPC_CALL, serial, VKRPC_OK };
    return vkRpcMessageEncode(&h, codec, args);
}

vkRpcMessage *vkRpcMessageNewReply(const vkrpc_header *call, xdrproc_t codec, const void *ret)
{
    vkrpc_header h = *call;
    h.type = VKRPC_REPLY;
    h.status = VKRPC_OK;
    return vkRpcMessageEncode(&h, codec, ret);
}

vkRpcMessage *vkRpcMessageNewEvent(guint32 prog, guint32 vers, int proc, xdrproc_t codec,
                                   const void *msg)
{
    vkrpc_header h = { prog, vers, proc, VKRPC_MESSAGE, 1, VKRPC_OK };
    return vkRpcMessageEncode(&h, codec, msg);
}

vkRpcMessage *vkRpcMessageNewKeepalive(int proc)
{
    vkrpc_header h = {
        VKRPC_KEEPALIVE_PROGRAM, VKRPC_KEEPALIVE_VERSION, proc, VKRPC_MESSAGE, 0, VKRPC_OK,
    };
    return vkRpcMessageEncode(&h, NULL, NULL);
}

vkRpcMessage *vkRpcMessageNewStreamData(guint32 prog, guint32 vers, int proc, guint32 serial,
                                        const void *data, size_t len)
{
    vkrpc_header h = { prog, vers, proc, VKRPC_STREAM, serial, VKRPC_CONTINUE };

    if (len > VKRPC_STREAM_CHUNK_MAX) {
        vkReportError(VIR_FROM_THIS, VIR_ERR_RPC,
                      "stream chunk of %zu bytes exceeds the limit of %d bytes", len,
                      VKRPC_STREAM_CHUNK_MAX);
        return NULL;
    }
    return vkRpcMessageEncodeRaw(&h, data, len);
}

vkRpcMessage *vkRpcMessageNewStreamFinish(guint32 prog, guint32 vers, int proc, guint32 serial)
{
    vkrpc_header h = { prog, vers, proc, VKRPC_STREAM, serial, VKRPC_OK };
    return vkRpcMessageEncodeRaw(&h, NULL, 0);
}

vkRpcMessage *vkRpcMessageNewStreamAbort(guint32 prog, guint32 vers, int proc, guint32 serial,
                                         const virError *err)
{
    vkrpc_header h = { prog, vers, proc, VKRPC_STREAM, serial, VKRPC_ERROR };

    if (err)
        return vkRpcMessageEncodeError(&h, err);
    return vkRpcMessageEncodeRaw(&h, NULL, 0);
}

/* ---- decoding ---- */

int vkRpcFrameLength(const guint8 word[VKRPC_LEN_SIZE], guint32 *total)
{
    guint32 len = getU32(word);

    if (len < VK_RPC_FRAME_MIN) {
        vkReportError(VIR_FROM_THIS, VIR_ERR_RPC,
                      "packet %u bytes received from server too small, want %d", len,
                      VK_RPC_FRAME_MIN);
        return -1;
    }
    if (len > VK_RPC_FRAME_MAX) {
        vkReportError(VIR_FROM_THIS, VIR_ERR_RPC,
                      "packet %u bytes received from server too large, want %d", len,
                      VK_RPC_FRAME_MAX);
        return -1;
    }
    *total = len;
    return 0;
}

vkRpcMessage *vkRpcMessageDecode(guint8 *frame, size_t len)
{
    g_autoptr(vkRpcMessage) msg = g_new0(vkRpcMessage, 1);
    guint32 total;
    XDR xdr;
    bool_t ok;

    msg->frame = frame;
    msg->frameLen = len;
    if (len < VKRPC_LEN_SIZE) {
        vkReportError(VIR_FROM_THIS, VIR_ERR_RPC, "%s", "Unable to decode message length");
        return NULL;
    }
    if (vkRpcFrameLength(frame, &total) < 0)
        return NULL;
    if (total != len) {
        vkReportError(VIR_FROM_THIS, VIR_ERR_RPC,
                      "packet length %u does not match the %zu bytes received", total, len);
        return NULL;
    }

    xdrmem_create(&xdr, (char *)frame + VKRPC_LEN_SIZE, VKRPC_HEADER_SIZE, XDR_DECODE);
    ok = xdr_vkrpc_header(&xdr, &msg->header);
    xdr_destroy(&xdr);
    if (!ok) {
        vkReportError(VIR_FROM_THIS, VIR_ERR_RPC, "%s", "Unable to decode message header");
        return NULL;
    }
    if ((guint)msg->header.type > VKRPC_STREAM_HOLE) {
        vkReportError(VIR_FROM_THIS, VIR_ERR_RPC, "Unexpected message type %u",
                      (guint)msg->header.type);
        return NULL;
    }
    if ((guint)msg->header.status > VKRPC_CONTINUE) {
        vkReportError(VIR_FROM_THIS, VIR_ERR_RPC, "Unexpected message status %u",
                      (guint)msg->header.status);
        return NULL;
    }

    msg->bodyOffset = VK_RPC_FRAME_MIN;
    if (msg->header.type == VKRPC_CALL_WITH_FDS || msg->header.type == VKRPC_REPLY_WITH_FDS) {
        if (len < VK_RPC_FRAME_MIN + 4) {
            vkReportError(VIR_FROM_THIS, VIR_ERR_RPC, "%s", "Unable to decode number of FDs");
            return NULL;
        }
        msg->nfds = getU32(frame + VK_RPC_FRAME_MIN);
        if (msg->nfds > VKRPC_FDS_MAX) {
            vkReportError(VIR_FROM_THIS, VIR_ERR_RPC,
                          "Received too many FDs %u, expected %d maximum", msg->nfds,
                          VKRPC_FDS_MAX);
            return NULL;
        }
        msg->bodyOffset += 4;
    }
    return g_steal_pointer(&msg);
}

int vkRpcMessageDecodeBody(const vkRpcMessage *msg, xdrproc_t codec, void *obj, size_t size)
{
    XDR xdr;
    bool_t ok;

    if (!codec)
        return 0;
    xdrmem_create(&xdr, (char *)msg->frame + msg->bodyOffset, msg->frameLen - msg->bodyOffset,
                  XDR_DECODE);
    ok = codec(&xdr, obj);
    xdr_destroy(&xdr);
    if (!ok) {
        vkRpcXdrFree(codec, obj, size);
        vkReportError(VIR_FROM_THIS, VIR_ERR_RPC, "%s", "Unable to decode message payload");
        return -1;
    }
    return 0;
}

const guint8 *vkRpcMessageBody(const vkRpcMessage *msg, size_t *len)
{
    *len = msg->frameLen - msg->bodyOffset;
    return msg->frame + msg->bodyOffset;
}

/* ---- errors ---- */

static vkr_string dupString(const char *s)
{
    vkr_string out;

    if (!s)
        return NULL;
    out = g_new0(vkr_nonnull_string, 1);
    *out = g_strdup(s);
    return out;
}

void vkRpcErrorFromVir(const virError *err, vkr_error *out)
{
    memset(out, 0, sizeof(*out));
    if (!err)
        err = virGetLastError();
    if (!err || err->code == VIR_ERR_OK) {
        out->code = VIR_ERR_INTERNAL_ERROR;
        out->domain = VIR_FROM_RPC;
        out->message = dupString("Library function returned error but did not set virError");
        out->level = VIR_ERR_ERROR;
        return;
    }
    out->code = err->code;
    out->domain = err->domain;
    out->message = dupString(err->message);
    out->level = err->level;
    out->str1 = dupString(err->str1);
    out->str2 = dupString(err->str2);
    out->str3 = dupString(err->str3);
    out->int1 = err->int1;
    out->int2 = err->int2;
}

void vkRpcErrorRaise(const vkr_error *rerr)
{
    virErrorPtr err = g_new0(virError, 1);

    err->code = rerr->code;
    err->domain = rerr->domain;
    err->level = rerr->level;
    err->int1 = rerr->int1;
    err->int2 = rerr->int2;
    err->str1 = rerr->str1 ? g_strdup(*rerr->str1) : NULL;
    err->str2 = rerr->str2 ? g_strdup(*rerr->str2) : NULL;
    err->str3 = rerr->str3 ? g_strdup(*rerr->str3) : NULL;
    if (rerr->message)
        err->message = g_strdup(*rerr->message);
    else
        err->message = g_strdup(vkErrorCodeFormat(err->code, FALSE));
    if (err->code == VIR_ERR_OK)
        err->code = VIR_ERR_INTERNAL_ERROR;
    /* libvirt's clients turn a server's "unknown procedure" into "not supported". */
    if ((err->domain == VIR_FROM_REMOTE || err->domain == VIR_FROM_RPC) &&
        err->code == VIR_ERR_RPC && err->level == VIR_ERR_ERROR &&
        g_str_has_prefix(err->message, "unknown procedure"))
        err->code = VIR_ERR_NO_SUPPORT;
    vkRestoreError(err); /* copies into the thread's last error and frees err */
}

void vkRpcMessageRaiseError(const vkRpcMessage *msg)
{
    vkr_error rerr = { 0 };

    if (vkRpcMessageDecodeBody(msg, (xdrproc_t)xdr_vkr_error, &rerr, sizeof(rerr)) < 0)
        return;
    vkRpcErrorRaise(&rerr);
    vkRpcXdrFree((xdrproc_t)xdr_vkr_error, &rerr, sizeof(rerr));
}

/* One frame of libvirt's wire protocol: u32 length (counting itself), the 24-byte header, the
 * XDR body. Encoding, decoding with libvirt's limits, error bodies, events, stream frames and
 * keepalive frames. Every failure reports a VIR_FROM_RPC error and returns NULL or -1. */
#pragma once

#include <glib.h>

#include "rpc/rpc_xdr.h"
#include "virtkit/virtkit.h"

/* The smallest frame: length word and header, empty body. */
#define VK_RPC_FRAME_MIN (VKRPC_LEN_SIZE + VKRPC_HEADER_SIZE)
/* The largest frame, length word included. */
#define VK_RPC_FRAME_MAX (VKRPC_LEN_SIZE + VKRPC_MESSAGE_MAX)

typedef struct {
    vkrpc_header header;
    guint8 *frame;     /* length word + header + body */
    size_t frameLen;   /* what the length word says */
    size_t bodyOffset; /* where the XDR body starts (after the fd count of *_WITH_FDS frames) */
    guint32 nfds;      /* descriptors announced by a *_WITH_FDS frame */
} vkRpcMessage;

void vkRpcMessageFree(vkRpcMessage *msg);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(vkRpcMessage, vkRpcMessageFree)

/* ---- encoding ---- */

/* A frame with HEADER and the XDR encoding of OBJ by CODEC (NULL for an empty body).
 * Fails with "message too large" beyond VKRPC_MESSAGE_MAX. */
vkRpcMessage *vkRpcMessageEncode(const vkrpc_header *header, xdrproc_t codec, const void *obj);
/* A frame whose body is LEN raw bytes (stream data). */
vkRpcMessage *vkRpcMessageEncodeRaw(const vkrpc_header *header, const void *data, size_t len);
/* A frame of HEADER's type with status ERROR and ERR (NULL: the calling thread's last error)
 * as body. */
vkRpcMessage *vkRpcMessageEncodeError(const vkrpc_header *header, const virError *err);

/* Shorthands for the frames everyone sends. */
vkRpcMessage *vkRpcMessageNewCall(guint32 prog, guint32 vers, int proc, guint32 serial,
                                  xdrproc_t codec, const void *args);
vkRpcMessage *vkRpcMessageNewReply(const vkrpc_header *call, xdrproc_t codec, const void *ret);
/* An event: MESSAGE/OK with serial 1, as libvirtd sends them. */
vkRpcMessage *vkRpcMessageNewEvent(guint32 prog, guint32 vers, int proc, xdrproc_t codec,
                                   const void *msg);
/* KEEPALIVE PING or PONG: empty MESSAGE frames with serial 0. */
vkRpcMessage *vkRpcMessageNewKeepalive(int proc);

/* Stream frames on the serial of the call that opened the stream. Data: STREAM/CONTINUE with
 * LEN raw bytes (LEN 0: end of data), at most VKRPC_STREAM_CHUNK_MAX. Finish: STREAM/OK,
 * empty. Abort: STREAM/ERROR, empty from a client, with ERR from a server (err != NULL). */
vkRpcMessage *vkRpcMessageNewStreamData(guint32 prog, guint32 vers, int proc, guint32 serial,
                                        const void *data, size_t len);
vkRpcMessage *vkRpcMessageNewStreamFinish(guint32 prog, guint32 vers, int proc, guint32 serial);
vkRpcMessage *vkRpcMessageNewStreamAbort(guint32 prog, guint32 vers, int proc, guint32 serial,
                                         const virError *err);

/* ---- decoding ---- */

/* Checks the length word at the start of a frame; *total is the whole frame's size. */
int vkRpcFrameLength(const guint8 word[VKRPC_LEN_SIZE], guint32 *total);

/* Takes FRAME (g_malloc'ed, LEN bytes, length word included, LEN equal to what it says),
 * decodes and checks the header. Consumes FRAME even on failure. */
vkRpcMessage *vkRpcMessageDecode(guint8 *frame, size_t len);

/* Decodes the body into OBJ (zeroed, CODEC's type). On failure whatever was allocated is
 * released and OBJ is zeroed again. Release a success with vkRpcXdrFree. */
int vkRpcMessageDecodeBody(const vkRpcMessage *msg, xdrproc_t codec, void *obj, size_t size);

/* The raw body of a stream data frame. */
const guint8 *vkRpcMessageBody(const vkRpcMessage *msg, size_t *len);

/* ---- errors ---- */

/* Fills OUT (zeroed) from ERR, or from the thread's last error if ERR is NULL; release with
 * vkRpcXdrFree(xdr_vkr_error). */
void vkRpcErrorFromVir(const virError *err, vkr_error *out);
/* Makes the remote error the calling thread's last error, as a libvirt client does: message
 * verbatim; an "unknown procedure" answer becomes VIR_ERR_NO_SUPPORT. */
void vkRpcErrorRaise(const vkr_error *rerr);
/* Decodes the vkr_error body of an ERROR frame and raises it (or reports why it could not). */
void vkRpcMessageRaiseError(const vkRpcMessage *msg);

/* Names for log and error messages. */
const char *vkRpcTypeName(int type);

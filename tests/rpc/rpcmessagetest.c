/* Frames: layout on the wire, libvirt's limits, hostile input, error bodies, events, streams,
 * keepalive frames and typed parameters. */
#include <string.h>

#include "rpc/rpc_message.h"
#include "rpc/rpc_procs.h"
#include "rpc/rpc_typedparams.h"
#include "util/vkerror.h"

#define assertLastError(expectCode, needle)                                        \
    do {                                                                           \
        virErrorPtr err_ = virGetLastError();                                      \
        g_assert_nonnull(err_);                                                    \
        g_assert_cmpint(err_->code, ==, (expectCode));                             \
        if (!strstr(err_->message, (needle)))                                      \
            g_error("error message \"%s\" lacks \"%s\"", err_->message, (needle)); \
        vkResetLastError();                                                        \
    } while (0)

static guint32 be32(const guint8 *p)
{
    return ((guint32)p[0] << 24) | ((guint32)p[1] << 16) | ((guint32)p[2] << 8) | p[3];
}

static void putBe32(guint8 *p, guint32 v)
{
    p[0] = v >> 24;
    p[1] = v >> 16;
    p[2] = v >> 8;
    p[3] = v;
}

/* A copy of MSG's frame, decoded again as a receiver would. */
static vkRpcMessage *redecode(const vkRpcMessage *msg)
{
    return vkRpcMessageDecode(g_memdup2(msg->frame, msg->frameLen), msg->frameLen);
}

/* A hand-made frame: header words then body words. */
static vkRpcMessage *decodeWords(const guint32 *words, size_t n)
{
    guint8 *frame = g_malloc(4 * (n + 1));
    putBe32(frame, 4 * (n + 1));
    for (size_t i = 0; i < n; i++)
        putBe32(frame + 4 * (i + 1), words[i]);
    return vkRpcMessageDecode(frame, 4 * (n + 1));
}

static void testCallLayout(void)
{
    vkr_domain_lookup_by_name_args args = { .name = (char *)"test" };
    vkr_domain_lookup_by_name_args back = { 0 };
    g_autoptr(vkRpcMessage) msg = NULL;
    g_autoptr(vkRpcMessage) in = NULL;

    msg = vkRpcMessageNewCall(VKR_PROGRAM, VKR_VERSION, VKR_PROC_DOMAIN_LOOKUP_BY_NAME, 7,
                              (xdrproc_t)xdr_vkr_domain_lookup_by_name_args, &args);
    g_assert_nonnull(msg);
    /* length, six header words, string length 4, "test" */
    g_assert_cmpuint(msg->frameLen, ==, 4 + 24 + 4 + 4);
    g_assert_cmpuint(be32(msg->frame), ==, 36);
    g_assert_cmphex(be32(msg->frame + 4), ==, 0x20008086);
    g_assert_cmpuint(be32(msg->frame + 8), ==, 1);
    g_assert_cmpuint(be32(msg->frame + 12), ==, 23);
    g_assert_cmpuint(be32(msg->frame + 16), ==, VKRPC_CALL);
    g_assert_cmpuint(be32(msg->frame + 20), ==, 7);
    g_assert_cmpuint(be32(msg->frame + 24), ==, VKRPC_OK);
    g_assert_cmpuint(be32(msg->frame + 28), ==, 4);
    g_assert_cmpmem(msg->frame + 32, 4, "test", 4);

    in = redecode(msg);
    g_assert_nonnull(in);
    g_assert_cmpint(in->header.proc, ==, 23);
    g_assert_cmpuint(in->header.serial, ==, 7);
    g_assert_cmpint(vkRpcMessageDecodeBody(in, (xdrproc_t)xdr_vkr_domain_lookup_by_name_args, &back,
                                           sizeof(back)),
                    ==, 0);
    g_assert_cmpstr(back.name, ==, "test");
    vkRpcXdrFree((xdrproc_t)xdr_vkr_domain_lookup_by_name_args, &back, sizeof(back));
    g_assert_null(back.name);
}

static void testEmptyCall(void)
{
    g_autoptr(vkRpcMessage) msg =
        vkRpcMessageNewCall(VKR_PROGRAM, VKR_VERSION, VKR_PROC_AUTH_LIST, 1, NULL, NULL);
    g_assert_cmpuint(msg->frameLen, ==, VK_RPC_FRAME_MIN);
    g_assert_cmpuint(VK_RPC_FRAME_MIN, ==, 28);
}

static void testLengthLimits(void)
{
    guint8 word[4];
    guint32 total = 0;

    putBe32(word, 28);
    g_assert_cmpint(vkRpcFrameLength(word, &total), ==, 0);
    g_assert_cmpuint(total, ==, 28);
    putBe32(word, 4 + 33554432);
    g_assert_cmpint(vkRpcFrameLength(word, &total), ==, 0);

    putBe32(word, 27);
    g_assert_cmpint(vkRpcFrameLength(word, &total), ==, -1);
    assertLastError(VIR_ERR_RPC, "too small");
    putBe32(word, 0);
    g_assert_cmpint(vkRpcFrameLength(word, &total), ==, -1);
    assertLastError(VIR_ERR_RPC, "too small");
    putBe32(word, 4 + 33554432 + 1);
    g_assert_cmpint(vkRpcFrameLength(word, &total), ==, -1);
    assertLastError(VIR_ERR_RPC, "too large");
    putBe32(word, 0xffffffff);
    g_assert_cmpint(vkRpcFrameLength(word, &total), ==, -1);
    assertLastError(VIR_ERR_RPC, "too large");
}

static void testBadHeaders(void)
{
    const guint32 badType[] = { VKR_PROGRAM, 1, 1, 7, 1, 0 };
    const guint32 badStatus[] = { VKR_PROGRAM, 1, 1, 0, 1, 3 };
    const guint32 manyFds[] = { VKR_PROGRAM, 1, 1, VKRPC_CALL_WITH_FDS, 1, 0, 33 };
    const guint32 noFdCount[] = { VKR_PROGRAM, 1, 1, VKRPC_CALL_WITH_FDS, 1, 0 };
    const guint32 twoFds[] = { VKR_PROGRAM, 1, 1, VKRPC_REPLY_WITH_FDS, 1, 0, 2, 42 };
    g_autoptr(vkRpcMessage) fds = NULL;
    guint8 *frame;

    g_assert_null(decodeWords(badType, G_N_ELEMENTS(badType)));
    assertLastError(VIR_ERR_RPC, "Unexpected message type 7");
    g_assert_null(decodeWords(badStatus, G_N_ELEMENTS(badStatus)));
    assertLastError(VIR_ERR_RPC, "Unexpected message status 3");
    g_assert_null(decodeWords(manyFds, G_N_ELEMENTS(manyFds)));
    assertLastError(VIR_ERR_RPC, "too many FDs 33");
    g_assert_null(decodeWords(noFdCount, G_N_ELEMENTS(noFdCount)));
    assertLastError(VIR_ERR_RPC, "number of FDs");
    fds = decodeWords(twoFds, G_N_ELEMENTS(twoFds));
    g_assert_nonnull(fds);
    g_assert_cmpuint(fds->nfds, ==, 2);
    g_assert_cmpuint(fds->bodyOffset, ==, 32);
    /* we never send descriptors: encoding such a frame is refused, not half done */
    g_assert_null(vkRpcMessageEncode(&fds->header, NULL, NULL));
    assertLastError(VIR_ERR_OPERATION_UNSUPPORTED, "file descriptors");

    /* the length word disagrees with what arrived */
    frame = g_malloc0(40);
    putBe32(frame, 44);
    g_assert_null(vkRpcMessageDecode(frame, 40));
    assertLastError(VIR_ERR_RPC, "does not match");
    frame = g_malloc0(3);
    g_assert_null(vkRpcMessageDecode(frame, 3));
    g_assert_true(vkHasError());
    vkResetLastError();
}

static void testBadBodies(void)
{
    /* LIST_ALL_DOMAINS reply announcing 3 domains, carrying one */
    const guint32 truncated[] = { VKR_PROGRAM, 1,          273, VKRPC_REPLY, 5, 0, 3,
                                  4,           0x74657374, 0,   0,           0, 0, 1 };
    /* a string longer than the limit */
    const guint32 longString[] = { VKR_PROGRAM, 1, 23, VKRPC_CALL, 5, 0, 4194305, 0 };
    /* a string longer than the frame */
    const guint32 shortString[] = { VKR_PROGRAM, 1, 23, VKRPC_CALL, 5, 0, 100, 0x41414141 };
    /* more list entries than the protocol allows */
    const guint32 longList[] = { VKR_PROGRAM, 1, 273, VKRPC_REPLY, 5, 0, 16385, 0 };
    const struct {
        const guint32 *words;
        size_t n;
        xdrproc_t codec;
    } cases[] = {
        { truncated, G_N_ELEMENTS(truncated), (xdrproc_t)xdr_vkr_connect_list_all_domains_ret },
        { longString, G_N_ELEMENTS(longString), (xdrproc_t)xdr_vkr_domain_lookup_by_name_args },
        { shortString, G_N_ELEMENTS(shortString), (xdrproc_t)xdr_vkr_domain_lookup_by_name_args },
        { longList, G_N_ELEMENTS(longList), (xdrproc_t)xdr_vkr_connect_list_all_domains_ret },
    };

    for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
        g_autoptr(vkRpcMessage) msg = decodeWords(cases[i].words, cases[i].n);
        union {
            vkr_connect_list_all_domains_ret list;
            vkr_domain_lookup_by_name_args lookup;
        } out;

        memset(&out, 0xa5, sizeof(out));
        memset(&out, 0, sizeof(out));
        g_assert_nonnull(msg);
        g_assert_cmpint(vkRpcMessageDecodeBody(msg, cases[i].codec, &out, sizeof(out)), ==, -1);
        assertLastError(VIR_ERR_RPC, "Unable to decode message payload");
        /* nothing left allocated (AddressSanitizer checks the leak side) */
        g_assert_null(out.list.domains.domains_val);
    }
}

static void testTooLarge(void)
{
    /* nine 4 MiB strings: each within the string limit, together over the message limit */
    g_autofree char *big = g_malloc(VKRPC_STRING_MAX + 2);
    char *cpus[9];
    vkr_connect_baseline_hypervisor_cpu_args args = { 0 };

    memset(big, 'x', VKRPC_STRING_MAX + 1);
    big[VKRPC_STRING_MAX] = '\0';
    for (size_t i = 0; i < G_N_ELEMENTS(cpus); i++)
        cpus[i] = big;
    args.xml_cpus.xml_cpus_len = G_N_ELEMENTS(cpus);
    args.xml_cpus.xml_cpus_val = cpus;
    g_assert_null(vkRpcMessageNewCall(VKR_PROGRAM, 1, VKR_PROC_CONNECT_BASELINE_HYPERVISOR_CPU, 1,
                                      (xdrproc_t)xdr_vkr_connect_baseline_hypervisor_cpu_args,
                                      &args));
    assertLastError(VIR_ERR_RPC, "message too large");

    /* one string over the string limit */
    big[VKRPC_STRING_MAX] = 'x';
    big[VKRPC_STRING_MAX + 1] = '\0';
    vkr_domain_lookup_by_name_args lookup = { .name = big };
    g_assert_null(vkRpcMessageNewCall(VKR_PROGRAM, 1, VKR_PROC_DOMAIN_LOOKUP_BY_NAME, 1,
                                      (xdrproc_t)xdr_vkr_domain_lookup_by_name_args, &lookup));
    assertLastError(VIR_ERR_RPC, "Unable to encode message payload");
}

static void testErrorRoundTrip(void)
{
    vkrpc_header call = { VKR_PROGRAM, 1, VKR_PROC_DOMAIN_LOOKUP_BY_NAME, VKRPC_CALL, 9, 0 };
    g_autoptr(vkRpcMessage) msg = NULL;
    g_autoptr(vkRpcMessage) in = NULL;
    virErrorPtr err;

    vkReportError(VIR_FROM_QEMU, VIR_ERR_NO_DOMAIN, "no domain with matching name '%s'", "nope");
    call.type = VKRPC_REPLY;
    msg = vkRpcMessageEncodeError(&call, NULL);
    g_assert_nonnull(msg);
    vkResetLastError();

    in = redecode(msg);
    g_assert_cmpint(in->header.status, ==, VKRPC_ERROR);
    g_assert_cmpint(in->header.type, ==, VKRPC_REPLY);
    g_assert_cmpuint(in->header.serial, ==, 9);
    vkRpcMessageRaiseError(in);
    err = virGetLastError();
    g_assert_nonnull(err);
    g_assert_cmpint(err->code, ==, VIR_ERR_NO_DOMAIN);
    g_assert_cmpint(err->domain, ==, VIR_FROM_QEMU);
    g_assert_cmpint(err->level, ==, VIR_ERR_ERROR);
    g_assert_cmpstr(err->message, ==, "Domain not found: no domain with matching name 'nope'");
    g_assert_cmpstr(err->str2, ==, "no domain with matching name 'nope'");
    vkResetLastError();
}

static void testErrorSpecialCases(void)
{
    vkr_error rerr = { 0 };
    vkr_nonnull_string text = (char *)"unknown procedure: 999";

    /* nothing recorded: libvirt's fallback text */
    vkResetLastError();
    vkRpcErrorFromVir(NULL, &rerr);
    g_assert_cmpint(rerr.code, ==, VIR_ERR_INTERNAL_ERROR);
    g_assert_cmpstr(*rerr.message, ==, "Library function returned error but did not set virError");
    vkRpcXdrFree((xdrproc_t)xdr_vkr_error, &rerr, sizeof(rerr));

    /* an unknown procedure reads as "not supported" on the client */
    rerr.code = VIR_ERR_RPC;
    rerr.domain = VIR_FROM_RPC;
    rerr.level = VIR_ERR_ERROR;
    rerr.message = &text;
    vkRpcErrorRaise(&rerr);
    assertLastError(VIR_ERR_NO_SUPPORT, "unknown procedure: 999");

    /* no message at all: the code's generic text */
    memset(&rerr, 0, sizeof(rerr));
    rerr.code = VIR_ERR_NO_NETWORK;
    rerr.domain = VIR_FROM_NETWORK;
    rerr.level = VIR_ERR_ERROR;
    vkRpcErrorRaise(&rerr);
    assertLastError(VIR_ERR_NO_NETWORK, "Network not found");
}

static void testEvent(void)
{
    vkr_domain_event_callback_lifecycle_msg ev = { 0 }, back = { 0 };
    g_autoptr(vkRpcMessage) msg = NULL;
    g_autoptr(vkRpcMessage) in = NULL;
    const vkRpcProc *proc =
        vkRpcProgramLookup(&vkRpcRemoteProgram, VKR_PROC_DOMAIN_EVENT_CALLBACK_LIFECYCLE);

    ev.callback_id = 3;
    ev.msg.dom.name = (char *)"test";
    memset(ev.msg.dom.uuid, 0x11, sizeof(ev.msg.dom.uuid));
    ev.msg.dom.id = 1;
    ev.msg.event = 3; /* suspended */
    ev.msg.detail = 0;
    msg = vkRpcMessageNewEvent(VKR_PROGRAM, VKR_VERSION, proc->proc, proc->args, &ev);
    in = redecode(msg);
    g_assert_cmpint(in->header.type, ==, VKRPC_MESSAGE);
    g_assert_cmpint(in->header.status, ==, VKRPC_OK);
    g_assert_cmpuint(in->header.serial, ==, 1);
    g_assert_cmpint(in->header.proc, ==, 318);
    g_assert_cmpint(vkRpcMessageDecodeBody(in, proc->args, &back, proc->argsSize), ==, 0);
    g_assert_cmpint(back.callback_id, ==, 3);
    g_assert_cmpstr(back.msg.dom.name, ==, "test");
    g_assert_cmpint(back.msg.event, ==, 3);
    vkRpcXdrFree(proc->args, &back, proc->argsSize);
}

static void testStreamFrames(void)
{
    g_autofree guint8 *chunk = g_malloc0(VKRPC_STREAM_CHUNK_MAX + 1);
    g_autoptr(vkRpcMessage) data = NULL;
    g_autoptr(vkRpcMessage) eof = NULL;
    g_autoptr(vkRpcMessage) fin = NULL;
    g_autoptr(vkRpcMessage) abortClient = NULL;
    g_autoptr(vkRpcMessage) abortServer = NULL;
    g_autoptr(vkRpcMessage) in = NULL;
    const guint8 *body;
    size_t len;

    data = vkRpcMessageNewStreamData(VKR_PROGRAM, 1, 201, 12, "hello", 5);
    in = redecode(data);
    g_assert_cmpint(in->header.type, ==, VKRPC_STREAM);
    g_assert_cmpint(in->header.status, ==, VKRPC_CONTINUE);
    g_assert_cmpuint(in->header.serial, ==, 12);
    body = vkRpcMessageBody(in, &len);
    /* raw bytes, no XDR length */
    g_assert_cmpmem(body, len, "hello", 5);

    g_clear_pointer(&in, vkRpcMessageFree);
    in = vkRpcMessageNewStreamData(VKR_PROGRAM, 1, 201, 12, chunk, VKRPC_STREAM_CHUNK_MAX);
    g_assert_nonnull(in);
    g_assert_cmpuint(in->frameLen, ==, 28 + VKRPC_STREAM_CHUNK_MAX);
    g_assert_null(
        vkRpcMessageNewStreamData(VKR_PROGRAM, 1, 201, 12, chunk, VKRPC_STREAM_CHUNK_MAX + 1));
    assertLastError(VIR_ERR_RPC, "exceeds the limit");

    eof = vkRpcMessageNewStreamData(VKR_PROGRAM, 1, 201, 12, NULL, 0);
    g_assert_cmpuint(eof->frameLen, ==, 28);
    g_assert_cmpint(eof->header.status, ==, VKRPC_CONTINUE);
    fin = vkRpcMessageNewStreamFinish(VKR_PROGRAM, 1, 201, 12);
    g_assert_cmpuint(fin->frameLen, ==, 28);
    g_assert_cmpint(fin->header.status, ==, VKRPC_OK);
    abortClient = vkRpcMessageNewStreamAbort(VKR_PROGRAM, 1, 201, 12, NULL);
    g_assert_cmpuint(abortClient->frameLen, ==, 28);
    g_assert_cmpint(abortClient->header.status, ==, VKRPC_ERROR);

    vkReportError(VIR_FROM_STREAMS, VIR_ERR_OPERATION_FAILED, "%s", "console gone");
    abortServer = vkRpcMessageNewStreamAbort(VKR_PROGRAM, 1, 201, 12, virGetLastError());
    vkResetLastError();
    g_clear_pointer(&in, vkRpcMessageFree);
    in = redecode(abortServer);
    vkRpcMessageRaiseError(in);
    assertLastError(VIR_ERR_OPERATION_FAILED, "console gone");
}

static void testKeepalive(void)
{
    g_autoptr(vkRpcMessage) ping = vkRpcMessageNewKeepalive(VKRPC_KEEPALIVE_PING);
    g_autoptr(vkRpcMessage) in = redecode(ping);

    g_assert_cmpuint(ping->frameLen, ==, 28);
    g_assert_cmphex(in->header.prog, ==, 0x6b656570);
    g_assert_cmpint(in->header.proc, ==, 1);
    g_assert_cmpint(in->header.type, ==, VKRPC_MESSAGE);
    g_assert_cmpuint(in->header.serial, ==, 0);
}

/* ---- typed parameters ---- */

static void testTypedParamsRoundTrip(void)
{
    vkTypedParam params[7] = { 0 };
    vkr_typed_param *wire = NULL;
    u_int wireLen = 0;
    vkTypedParam *back = NULL;
    int n = 0;
    guint8 buf[1024];
    XDR xdr;

    for (int i = 0; i < 7; i++) {
        g_snprintf(params[i].field, sizeof(params[i].field), "field.%d", i);
        params[i].type = i + 1;
    }
    params[0].value.i = -5;
    params[1].value.ui = 4000000000u;
    params[2].value.l = -(1LL << 40);
    params[3].value.ul = 1ULL << 63;
    params[4].value.d = 0.25;
    params[5].value.b = 1;
    params[6].value.s = (char *)"text";

    g_assert_cmpint(vkRpcTypedParamsSerialize(params, 7, VKR_TYPED_PARAMS_MAX, &wire, &wireLen), ==,
                    0);
    /* through XDR and back */
    xdrmem_create(&xdr, (char *)buf, sizeof(buf), XDR_ENCODE);
    for (u_int i = 0; i < wireLen; i++)
        g_assert_true(xdr_vkr_typed_param(&xdr, &wire[i]));
    xdr_destroy(&xdr);
    vkRpcTypedParamsWireFree(wire, wireLen);
    wire = g_new0(vkr_typed_param, 7);
    xdrmem_create(&xdr, (char *)buf, sizeof(buf), XDR_DECODE);
    for (u_int i = 0; i < 7; i++)
        g_assert_true(xdr_vkr_typed_param(&xdr, &wire[i]));
    xdr_destroy(&xdr);

    g_assert_cmpint(vkRpcTypedParamsDeserialize(wire, 7, VKR_TYPED_PARAMS_MAX, &back, &n), ==, 0);
    vkRpcTypedParamsWireFree(wire, 7);
    g_assert_cmpint(n, ==, 7);
    g_assert_cmpstr(back[6].field, ==, "field.6");
    g_assert_cmpint(back[0].value.i, ==, -5);
    g_assert_cmpuint(back[1].value.ui, ==, 4000000000u);
    g_assert_cmpint(back[2].value.l, ==, -(1LL << 40));
    g_assert_cmpuint(back[3].value.ul, ==, 1ULL << 63);
    g_assert_cmpfloat(back[4].value.d, ==, 0.25);
    g_assert_cmpint(back[5].value.b, ==, 1);
    g_assert_cmpstr(back[6].value.s, ==, "text");
    vkTypedParamsFree(back, n);
}

static void testTypedParamsLimits(void)
{
    vkTypedParam params[65] = { 0 };
    vkr_typed_param *wire = NULL;
    vkr_typed_param bad[2] = { 0 };
    u_int wireLen = 0;
    vkTypedParam *back = NULL;
    int n = 0;
    g_autofree char *longField = g_strnfill(80, 'f');

    for (int i = 0; i < 65; i++) {
        g_snprintf(params[i].field, sizeof(params[i].field), "p%d", i);
        params[i].type = VK_TYPED_PARAM_INT;
    }
    g_assert_cmpint(vkRpcTypedParamsSerialize(params, 65, VKR_TYPED_PARAMS_MAX, &wire, &wireLen),
                    ==, -1);
    assertLastError(VIR_ERR_RPC, "too many parameters '65' for limit '64'");
    g_assert_cmpint(vkRpcTypedParamsSerialize(params, 64, VKR_TYPED_PARAMS_MAX, &wire, &wireLen),
                    ==, 0);
    g_assert_cmpint(vkRpcTypedParamsDeserialize(wire, 64, 16, &back, &n), ==, -1);
    assertLastError(VIR_ERR_RPC, "too many parameters '64' for limit '16'");
    vkRpcTypedParamsWireFree(wire, wireLen);

    params[1].type = 9;
    g_assert_cmpint(vkRpcTypedParamsSerialize(params, 2, 64, &wire, &wireLen), ==, -1);
    assertLastError(VIR_ERR_RPC, "unknown parameter type: 9");

    /* a string, then an unknown type: the string is not leaked */
    bad[0].field = (char *)"ok";
    bad[0].value.type = VK_TYPED_PARAM_STRING;
    bad[0].value.vkr_typed_param_value_u.s = (char *)"s";
    bad[1].field = (char *)"bad";
    bad[1].value.type = 12;
    g_assert_cmpint(vkRpcTypedParamsDeserialize(bad, 2, 64, &back, &n), ==, -1);
    assertLastError(VIR_ERR_RPC, "unknown parameter type: 12");

    bad[1].field = longField;
    bad[1].value.type = VK_TYPED_PARAM_INT;
    g_assert_cmpint(vkRpcTypedParamsDeserialize(bad, 2, 64, &back, &n), ==, -1);
    assertLastError(VIR_ERR_INTERNAL_ERROR, "too big for destination");
}

/* An unknown union discriminant on the wire is a decode error, not a crash. */
static void testTypedParamsBadWire(void)
{
    const guint32 words[] = { 1, 0x61000000, 12, 0 };
    guint8 buf[sizeof(words)];
    vkr_typed_param p = { 0 };
    XDR xdr;

    for (size_t i = 0; i < G_N_ELEMENTS(words); i++)
        putBe32(buf + 4 * i, words[i]);
    xdrmem_create(&xdr, (char *)buf, sizeof(buf), XDR_DECODE);
    g_assert_false(xdr_vkr_typed_param(&xdr, &p));
    xdr_destroy(&xdr);
    xdr_free((xdrproc_t)xdr_vkr_typed_param, &p);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/rpc/message/call-layout", testCallLayout);
    g_test_add_func("/rpc/message/empty-call", testEmptyCall);
    g_test_add_func("/rpc/message/length-limits", testLengthLimits);
    g_test_add_func("/rpc/message/bad-headers", testBadHeaders);
    g_test_add_func("/rpc/message/bad-bodies", testBadBodies);
    g_test_add_func("/rpc/message/too-large", testTooLarge);
    g_test_add_func("/rpc/message/error-round-trip", testErrorRoundTrip);
    g_test_add_func("/rpc/message/error-special-cases", testErrorSpecialCases);
    g_test_add_func("/rpc/message/event", testEvent);
    g_test_add_func("/rpc/message/stream-frames", testStreamFrames);
    g_test_add_func("/rpc/message/keepalive", testKeepalive);
    g_test_add_func("/rpc/typed-params/round-trip", testTypedParamsRoundTrip);
    g_test_add_func("/rpc/typed-params/limits", testTypedParamsLimits);
    g_test_add_func("/rpc/typed-params/bad-wire", testTypedParamsBadWire);
    return g_test_run();
}

/* virtkitd against hostile and careless peers: malformed frames, lengths over the limit,
 * truncated bodies, garbage, 1,000 idle connections, a client that stops reading, clients that
 * hang up mid-call, max_clients and keepalive. Each case checks that the daemon closes or
 * answers cleanly, that another client is served meanwhile, and that no descriptor stays
 * behind; the daemon's clean exit (leak-free under AddressSanitizer) is checked at the end. */
#include <dirent.h>
#include <pthread.h>

#include "daemontestutil.h"

static TestDaemon *daemon_;
/* Descriptors of the daemon with no client connected. */
static int idleFds;

/* Descriptors the daemon holds: nothing a client did may leave one behind. */
static int daemonFds(TestDaemon *d)
{
    g_autofree char *path = g_strdup_printf("/proc/%d/fd", d->pid);
    DIR *dir = opendir(path);
    int n = 0;

    g_assert_nonnull(dir);
    while (readdir(dir))
        n++;
    closedir(dir);
    return n;
}

static void waitFds(TestDaemon *d, int expected)
{
    for (int i = 0; i < 2000 && daemonFds(d) != expected; i++)
        g_usleep(10000);
    g_assert_cmpint(daemonFds(d), ==, expected);
}

/* Another client is served, start to end. */
static void assertServed(TestDaemon *d)
{
    int fd = rawConnect(d->rw);
    vkr_connect_get_lib_version_ret ver = { 0 };

    rawOpen(fd, 0);
    assertReplyOk(rawCall(fd, VKR_PROC_CONNECT_GET_LIB_VERSION, 2, NULL, NULL),
                  (xdrproc_t)xdr_vkr_connect_get_lib_version_ret, &ver, sizeof(ver));
    g_assert_cmpuint(ver.lib_ver, ==, 9000000);
    close(fd);
}

static void sendWords(int fd, const guint32 *words, size_t n)
{
    g_autofree guint32 *be = g_new(guint32, n);

    for (size_t i = 0; i < n; i++)
        be[i] = GUINT32_TO_BE(words[i]);
    rawWrite(fd, be, n * sizeof(guint32));
}

static void testBadLengths(void)
{
    const guint32 lengths[] = { 0, 4, 27, 33554432 + 4 + 1, 0xffffffff };

    for (guint i = 0; i < G_N_ELEMENTS(lengths); i++) {
        int fd = rawConnect(daemon_->rw);
        sendWords(fd, &lengths[i], 1);
        g_assert_true(rawClosed(fd, 20000));
        close(fd);
        assertServed(daemon_);
    }
    waitFds(daemon_, idleFds);
}

static void testBadHeaders(void)
{
    /* length, prog, vers, proc, type, serial, status */
    const guint32 frames[][7] = {
        { 28, VKR_PROGRAM, 1, VKR_PROC_AUTH_LIST, 99, 1, 0 }, /* no such type */
        { 28, VKR_PROGRAM, 1, VKR_PROC_AUTH_LIST, 0, 1, 7 },  /* no such status */
    };

    for (guint i = 0; i < G_N_ELEMENTS(frames); i++) {
        int fd = rawConnect(daemon_->rw);
        sendWords(fd, frames[i], 7);
        g_assert_true(rawClosed(fd, 20000));
        close(fd);
    }
    assertServed(daemon_);
    waitFds(daemon_, idleFds);
}

/* A frame that is whole but whose body is cut short: an error reply, and the connection goes on. */
static void testTruncatedBody(void)
{
    int fd = rawConnect(daemon_->rw);
    vkr_domain_lookup_by_name_args args = { (char *)"a-rather-long-domain-name" };
    g_autoptr(vkRpcMessage) full =
        vkRpcMessageNewCall(VKR_PROGRAM, VKR_VERSION, VKR_PROC_DOMAIN_LOOKUP_BY_NAME, 5,
                            (xdrproc_t)xdr_vkr_domain_lookup_by_name_args, &args);
    guint32 cut = (guint32)full->frameLen - 8;
    vkRpcMessage *reply;
    vkr_error err = { 0 };

    rawOpen(fd, 0);
    sendWords(fd, &cut, 1);
    rawWrite(fd, full->frame + 4, cut - 4);
    reply = rawReply(fd, 5);
    g_assert_cmpint(reply->header.status, ==, VKRPC_ERROR);
    g_assert_cmpint(vkRpcMessageDecodeBody(reply, (xdrproc_t)xdr_vkr_error, &err, sizeof(err)), ==,
                    0);
    g_assert_cmpint(err.code, ==, VIR_ERR_RPC);
    vkRpcXdrFree((xdrproc_t)xdr_vkr_error, &err, sizeof(err));
    vkRpcMessageFree(reply);
    assertReplyOk(rawCall(fd, VKR_PROC_CONNECT_GET_LIB_VERSION, 6, NULL, NULL), NULL, NULL, 0);
    close(fd);
}

/* Bytes from a fixed-seed generator, some with a plausible length word in front. */
static void testGarbage(void)
{
    GRand *rand = g_rand_new_with_seed(20240610);

    for (int round = 0; round < 50; round++) {
        int fd = rawConnect(daemon_->rw);
        guint len = g_rand_int_range(rand, 1, 4096);
        g_autofree guint8 *buf = g_malloc(len);

        for (guint i = 0; i < len; i++)
            buf[i] = (guint8)g_rand_int(rand);
        if (round % 2 && len >= 28) {
            guint32 be = GUINT32_TO_BE(len);
            memcpy(buf, &be, 4);
        }
        if (send(fd, buf, len, MSG_NOSIGNAL) < 0)
            g_assert_cmpint(errno, ==, EPIPE);
        /* whatever it made of the bytes, it answers or hangs up: never waits forever */
        shutdown(fd, SHUT_WR);
        g_assert_true(rawClosed(fd, 20000));
        close(fd);
    }
    g_rand_free(rand);
    assertServed(daemon_);
    waitFds(daemon_, idleFds);
}

static void testIdleThousand(void)
{
    const int n = 1000;
    g_autofree int *fds = g_new(int, n);

    for (int i = 0; i < n; i++)
        fds[i] = rawConnect(i % 2 ? daemon_->rw : daemon_->ro);
    /* they say nothing; someone else is served all the same */
    assertServed(daemon_);
    waitFds(daemon_, idleFds + n);
    for (int i = 0; i < n; i++)
        close(fds[i]);
    waitFds(daemon_, idleFds);
    assertServed(daemon_);
}

/* ---- a client that stops reading ---- */

static void defineBigDomain(int fd, const char *name)
{
    GString *xml = g_string_new(NULL);
    g_autofree char *desc = g_strnfill(3 * 1024 * 1024, 'x');
    vkr_domain_define_xml_args args;
    vkr_domain_define_xml_ret ret = { 0 };

    g_string_append_printf(xml,
                           "<domain type='qemu'><name>%s</name><memory>65536</memory>"
                           "<description>%s</description><os><type arch='x86_64'>hvm</type></os>"
                           "</domain>",
                           name, desc);
    args.xml = xml->str;
    assertReplyOk(rawCall(fd, VKR_PROC_DOMAIN_DEFINE_XML, 2,
                          (xdrproc_t)xdr_vkr_domain_define_xml_args, &args),
                  (xdrproc_t)xdr_vkr_domain_define_xml_ret, &ret, sizeof(ret));
    vkRpcXdrFree((xdrproc_t)xdr_vkr_domain_define_xml_ret, &ret, sizeof(ret));
    g_string_free(xml, TRUE);
}

/* TRUE once the daemon hung up on FD, found without reading anything from it. */
static gboolean hungUp(int fd)
{
    struct pollfd pfd = { fd, 0, 0 };

    for (int i = 0; i < 600; i++) {
        if (poll(&pfd, 1, 1000) > 0 && (pfd.revents & POLLHUP))
            return TRUE;
    }
    return FALSE;
}

static void testStopsReading(void)
{
    int fd = rawConnect(daemon_->rw);
    vkr_domain_lookup_by_name_args look = { (char *)"big" };
    vkr_domain_lookup_by_name_ret dom = { 0 };
    gboolean closed = FALSE;

    rawOpen(fd, 0);
    defineBigDomain(fd, "big");
    assertReplyOk(rawCall(fd, VKR_PROC_DOMAIN_LOOKUP_BY_NAME, 3,
                          (xdrproc_t)xdr_vkr_domain_lookup_by_name_args, &look),
                  (xdrproc_t)xdr_vkr_domain_lookup_by_name_ret, &dom, sizeof(dom));
    /* asks for 3 MiB replies and never reads them: past 64 MiB queued the daemon lets go */
    for (guint32 serial = 10; serial < 200 && !closed; serial++) {
        vkr_domain_flags_args args = { dom.dom, 0 };
        vkRpcMessage *call =
            vkRpcMessageNewCall(VKR_PROGRAM, VKR_VERSION, VKR_PROC_DOMAIN_GET_XML_DESC, serial,
                                (xdrproc_t)xdr_vkr_domain_flags_args, &args);
        if (send(fd, call->frame, call->frameLen, MSG_NOSIGNAL) < 0)
            closed = TRUE;
        vkRpcMessageFree(call);
        if (serial % 20 == 0)
            assertServed(daemon_);
    }
    vkRpcXdrFree((xdrproc_t)xdr_vkr_domain_lookup_by_name_ret, &dom, sizeof(dom));
    g_assert_true(hungUp(fd));
    close(fd);
    assertServed(daemon_);
    waitFds(daemon_, idleFds);

    fd = rawConnect(daemon_->rw);
    rawOpen(fd, 0);
    {
        vkr_domain_lookup_by_name_ret again = { 0 };
        assertReplyOk(rawCall(fd, VKR_PROC_DOMAIN_LOOKUP_BY_NAME, 3,
                              (xdrproc_t)xdr_vkr_domain_lookup_by_name_args, &look),
                      (xdrproc_t)xdr_vkr_domain_lookup_by_name_ret, &again, sizeof(again));
        assertReplyOk(
            rawCall(fd, VKR_PROC_DOMAIN_UNDEFINE, 4, (xdrproc_t)xdr_vkr_domain_args, &again.dom),
            NULL, NULL, 0);
        vkRpcXdrFree((xdrproc_t)xdr_vkr_domain_lookup_by_name_ret, &again, sizeof(again));
    }
    close(fd);
}

/* Calls that take a while (the first probes qemu), their callers gone before the answer. */
static void testGoneMidCall(void)
{

    for (int i = 0; i < 20; i++) {
        int fd = rawConnect(daemon_->rw);
        rawOpen(fd, 0);
        rawSend(fd, vkRpcMessageNewCall(VKR_PROGRAM, VKR_VERSION, VKR_PROC_CONNECT_GET_CAPABILITIES,
                                        2, NULL, NULL));
        rawSend(fd, vkRpcMessageNewCall(VKR_PROGRAM, VKR_VERSION, VKR_PROC_CONNECT_LIST_ALL_DOMAINS,
                                        3, (xdrproc_t)xdr_vkr_connect_list_all_domains_args,
                                        &(vkr_connect_list_all_domains_args){ 1, 0 }));
        close(fd);
    }
    assertServed(daemon_);
    waitFds(daemon_, idleFds);
}

/* ---- settings that need a daemon of their own ---- */

static void testMaxClients(void)
{
    TestDaemon *d = testDaemonStart("max_clients = 3\n");
    int fds[3], extra;
    vkRpcMessage *reply;

    for (int i = 0; i < 3; i++) {
        fds[i] = rawConnect(d->rw);
        assertReplyOk(rawCall(fds[i], VKR_PROC_AUTH_LIST, 1, NULL, NULL), NULL, NULL, 0);
    }
    /* the fourth waits in the kernel's queue, unanswered, while three are connected */
    extra = rawConnect(d->ro);
    rawSend(extra,
            vkRpcMessageNewCall(VKR_PROGRAM, VKR_VERSION, VKR_PROC_AUTH_LIST, 1, NULL, NULL));
    g_assert_null(rawRecv(extra, 500));
    close(fds[0]);
    reply = rawReply(extra, 1);
    assertReplyOk(reply, NULL, NULL, 0);
    close(fds[1]);
    close(fds[2]);
    close(extra);
    testDaemonStop(d);
}

static void testKeepalive(void)
{
    TestDaemon *d = testDaemonStart("keepalive_interval = 1\nkeepalive_count = 2\n");
    int fd = rawConnect(d->rw);
    vkr_connect_supports_feature_args feat = { 10 };
    guint pings = 0;
    vkRpcMessage *msg;

    assertReplyOk(rawCall(fd, VKR_PROC_CONNECT_SUPPORTS_FEATURE, 1,
                          (xdrproc_t)xdr_vkr_connect_supports_feature_args, &feat),
                  NULL, NULL, 0);
    /* a peer that never answers is pinged, then dropped */
    while ((msg = rawRecv(fd, 30000))) {
        g_assert_cmpint(msg->header.prog, ==, VKRPC_KEEPALIVE_PROGRAM);
        g_assert_cmpint(msg->header.proc, ==, VKRPC_KEEPALIVE_PING);
        pings++;
        vkRpcMessageFree(msg);
    }
    g_assert_cmpuint(pings, ==, 2);
    close(fd);

    /* one that answers stays */
    fd = rawConnect(d->rw);
    assertReplyOk(rawCall(fd, VKR_PROC_CONNECT_SUPPORTS_FEATURE, 1,
                          (xdrproc_t)xdr_vkr_connect_supports_feature_args, &feat),
                  NULL, NULL, 0);
    for (int i = 0; i < 4; i++) {
        msg = rawRecv(fd, 30000);
        g_assert_nonnull(msg);
        g_assert_cmpint(msg->header.proc, ==, VKRPC_KEEPALIVE_PING);
        vkRpcMessageFree(msg);
        rawSend(fd, vkRpcMessageNewKeepalive(VKRPC_KEEPALIVE_PONG));
    }
    assertReplyOk(rawCall(fd, VKR_PROC_AUTH_LIST, 2, NULL, NULL), NULL, NULL, 0);
    close(fd);
    testDaemonStop(d);
}

int main(int argc, char **argv)
{
    int rc;

    g_test_init(&argc, &argv, NULL);
    if (!g_getenv("VIRTKITD")) {
        g_test_skip("VIRTKITD is not set");
        return g_test_run();
    }
    raiseFileLimit();
    daemon_ = testDaemonStart(NULL);
    idleFds = daemonFds(daemon_);
    g_test_add_func("/daemon/hostile/bad-lengths", testBadLengths);
    g_test_add_func("/daemon/hostile/bad-headers", testBadHeaders);
    g_test_add_func("/daemon/hostile/truncated-body", testTruncatedBody);
    g_test_add_func("/daemon/hostile/garbage", testGarbage);
    g_test_add_func("/daemon/hostile/idle-thousand", testIdleThousand);
    g_test_add_func("/daemon/hostile/stops-reading", testStopsReading);
    g_test_add_func("/daemon/hostile/gone-mid-call", testGoneMidCall);
    g_test_add_func("/daemon/hostile/max-clients", testMaxClients);
    g_test_add_func("/daemon/hostile/keepalive", testKeepalive);
    rc = g_test_run();
    testDaemonStop(daemon_);
    return rc;
}

/* Helpers for the virtkitd tests: a daemon of our own on a fresh root (the binary named by
 * $VIRTKITD), and a raw client that writes and reads frames itself, so that tests can send what
 * no well-behaved client would. */
#pragma once

#include <errno.h>
#include <fcntl.h>
#include <glib.h>
#include <glib/gstdio.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include "rpc/rpc_message.h"
#include "rpc/rpc_procs.h"
#include "util/vkerror.h"

typedef struct {
    GPid pid;
    char *root;
    char *rw; /* ROOT/run/virtkit-sock */
    char *ro;
    char *log;
    char *pidFile;
} TestDaemon;

/* A daemon outlives no test: an aborted test's daemon gets SIGTERM and exits cleanly. */
static inline void testDaemonChildSetup(gpointer unused)
{
    prctl(PR_SET_PDEATHSIG, SIGTERM);
}

/* Starts virtkitd --root on a fresh directory with CONF as its virtkitd.conf (NULL: none) and
 * waits for its pid file, written once it serves. */
static inline TestDaemon *testDaemonStart(const char *conf)
{
    const char *bin = g_getenv("VIRTKITD");
    TestDaemon *d = g_new0(TestDaemon, 1);
    g_autoptr(GError) gerr = NULL;
    g_autofree char *etc = NULL;
    g_autofree char *confPath = NULL;
    int logFd;

    g_assert_nonnull(bin);
    d->root = g_dir_make_tmp("vkdtest-XXXXXX", &gerr);
    g_assert_no_error(gerr);
    etc = g_build_filename(d->root, "etc", NULL);
    g_assert_cmpint(g_mkdir_with_parents(etc, 0755), ==, 0);
    confPath = g_build_filename(etc, "virtkitd.conf", NULL);
    if (conf)
        g_assert_true(g_file_set_contents(confPath, conf, -1, NULL));
    d->rw = g_build_filename(d->root, "run", "virtkit-sock", NULL);
    d->ro = g_build_filename(d->root, "run", "virtkit-sock-ro", NULL);
    d->log = g_build_filename(d->root, "virtkitd.log", NULL);
    d->pidFile = g_build_filename(d->root, "run", "virtkitd.pid", NULL);
    logFd = open(d->log, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    g_assert_cmpint(logFd, >=, 0);
    {
        const char *argv[] = { bin, "--root", d->root, NULL };
        GSpawnFlags flags = G_SPAWN_DO_NOT_REAP_CHILD | G_SPAWN_STDIN_FROM_DEV_NULL;

        g_assert_true(g_spawn_async_with_pipes_and_fds(
            NULL, argv, NULL, flags, testDaemonChildSetup, NULL, -1, logFd, logFd, NULL, NULL, 0,
            &d->pid, NULL, NULL, NULL, &gerr));
        g_assert_no_error(gerr);
    }
    close(logFd);
    for (int i = 0; i < 2000 && !g_file_test(d->pidFile, G_FILE_TEST_EXISTS); i++) {
        g_assert_cmpint(waitpid(d->pid, NULL, WNOHANG), ==, 0);
        g_usleep(10000);
    }
    g_assert_true(g_file_test(d->pidFile, G_FILE_TEST_EXISTS));
    return d;
}

/* Stops it with SIGTERM and checks that it exited cleanly (under AddressSanitizer that also
 * means nothing leaked). */
static inline void testDaemonStop(TestDaemon *d)
{
    const char *argv[] = { "rm", "-rf", d->root, NULL };
    int status = -1;

    g_assert_cmpint(kill(d->pid, SIGTERM), ==, 0);
    g_assert_cmpint(waitpid(d->pid, &status, 0), ==, d->pid);
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        g_autofree char *log = NULL;
        g_file_get_contents(d->log, &log, NULL, NULL);
        g_error("virtkitd ended with status 0x%x:\n%s", status, log ? log : "");
    }
    g_assert_false(g_file_test(d->rw, G_FILE_TEST_EXISTS));
    g_assert_false(g_file_test(d->pidFile, G_FILE_TEST_EXISTS));
    g_spawn_sync(NULL, (char **)argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, NULL, NULL, NULL,
                 NULL);
    g_free(d->root);
    g_free(d->rw);
    g_free(d->ro);
    g_free(d->log);
    g_free(d->pidFile);
    g_free(d);
}

/* ---- a raw client ---- */

static inline int rawConnect(const char *path)
{
    struct sockaddr_un sun = { .sun_family = AF_UNIX };
    int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);

    g_assert_cmpint(fd, >=, 0);
    g_strlcpy(sun.sun_path, path, sizeof(sun.sun_path));
    g_assert_cmpint(connect(fd, (struct sockaddr *)&sun, sizeof(sun)), ==, 0);
    return fd;
}

static inline void rawWrite(int fd, const void *data, size_t len)
{
    const guint8 *p = data;

    while (len > 0) {
        ssize_t n = send(fd, p, len, MSG_NOSIGNAL);
        if (n < 0 && errno == EINTR)
            continue;
        g_assert_cmpint(n, >, 0);
        p += n;
        len -= (size_t)n;
    }
}

static inline void rawSend(int fd, vkRpcMessage *msg)
{
    g_assert_nonnull(msg);
    rawWrite(fd, msg->frame, msg->frameLen);
    vkRpcMessageFree(msg);
}

/* Reads exactly LEN bytes; FALSE at end of data, or after TIMEOUTMS without any. */
static inline gboolean rawReadAll(int fd, guint8 *buf, size_t len, int timeoutMs)
{
    while (len > 0) {
        struct pollfd pfd = { fd, POLLIN, 0 };
        ssize_t n;

        if (poll(&pfd, 1, timeoutMs) <= 0)
            return FALSE;
        n = read(fd, buf, len);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return FALSE;
        buf += n;
        len -= (size_t)n;
    }
    return TRUE;
}

/* The next frame, or NULL at end of data or after TIMEOUTMS of silence. */
static inline vkRpcMessage *rawRecv(int fd, int timeoutMs)
{
    guint8 word[VKRPC_LEN_SIZE];
    guint32 total;
    guint8 *frame;

    if (!rawReadAll(fd, word, sizeof(word), timeoutMs))
        return NULL;
    g_assert_cmpint(vkRpcFrameLength(word, &total), ==, 0);
    frame = g_malloc(total);
    memcpy(frame, word, sizeof(word));
    g_assert_true(rawReadAll(fd, frame + VKRPC_LEN_SIZE, total - VKRPC_LEN_SIZE, 20000));
    return vkRpcMessageDecode(frame, total);
}

/* The reply to SERIAL, skipping keepalive and event frames. */
static inline vkRpcMessage *rawReply(int fd, guint32 serial)
{
    for (;;) {
        vkRpcMessage *msg = rawRecv(fd, 60000);
        g_assert_nonnull(msg);
        if (msg->header.type == VKRPC_REPLY && msg->header.serial == serial)
            return msg;
        vkRpcMessageFree(msg);
    }
}

/* A REMOTE call and its reply. */
static inline vkRpcMessage *rawCall(int fd, int proc, guint32 serial, xdrproc_t codec,
                                    const void *args)
{
    rawSend(fd, vkRpcMessageNewCall(VKR_PROGRAM, VKR_VERSION, proc, serial, codec, args));
    return rawReply(fd, serial);
}

/* REPLY is an error with CODE, DOMAIN and exactly MESSAGE; consumes REPLY. */
static inline void assertReplyError(vkRpcMessage *reply, int code, int domain, const char *message)
{
    vkr_error err = { 0 };

    g_assert_cmpint(reply->header.type, ==, VKRPC_REPLY);
    g_assert_cmpint(reply->header.status, ==, VKRPC_ERROR);
    g_assert_cmpint(vkRpcMessageDecodeBody(reply, (xdrproc_t)xdr_vkr_error, &err, sizeof(err)), ==,
                    0);
    if (err.code != code || err.domain != domain || !err.message ||
        !g_str_equal(*err.message, message))
        g_error("error %d/%d \"%s\", expected %d/%d \"%s\"", err.code, err.domain,
                err.message ? *err.message : "(none)", code, domain, message);
    vkRpcXdrFree((xdrproc_t)xdr_vkr_error, &err, sizeof(err));
    vkRpcMessageFree(reply);
}

/* REPLY is a success; its body decoded into RET by CODEC. Consumes REPLY. */
static inline void assertReplyOk(vkRpcMessage *reply, xdrproc_t codec, void *ret, size_t size)
{
    if (reply->header.status != VKRPC_OK) {
        vkr_error err = { 0 };
        vkRpcMessageDecodeBody(reply, (xdrproc_t)xdr_vkr_error, &err, sizeof(err));
        g_error("call %d failed: %s", reply->header.proc, err.message ? *err.message : "?");
    }
    if (codec)
        g_assert_cmpint(vkRpcMessageDecodeBody(reply, codec, ret, size), ==, 0);
    vkRpcMessageFree(reply);
}

/* Opens the client's connection (qemu:///system, mapped to the daemon's root). */
static inline void rawOpen(int fd, unsigned int flags)
{
    char *name = (char *)"qemu:///system";
    vkr_connect_open_args args = { &name, flags };

    assertReplyOk(
        rawCall(fd, VKR_PROC_CONNECT_OPEN, 1, (xdrproc_t)xdr_vkr_connect_open_args, &args), NULL,
        NULL, 0);
}

/* TRUE once the daemon closed FD (reads until end of data, dropping frames). */
static inline gboolean rawClosed(int fd, int timeoutMs)
{
    guint8 buf[4096];

    for (;;) {
        struct pollfd pfd = { fd, POLLIN, 0 };
        ssize_t n;

        if (poll(&pfd, 1, timeoutMs) <= 0)
            return FALSE;
        n = read(fd, buf, sizeof(buf));
        if (n == 0 || (n < 0 && errno == ECONNRESET))
            return TRUE;
        if (n < 0 && errno != EINTR)
            return TRUE;
    }
}

static inline void raiseFileLimit(void)
{
    struct rlimit rl;

    if (getrlimit(RLIMIT_NOFILE, &rl) == 0) {
        rl.rlim_cur = rl.rlim_max;
        setrlimit(RLIMIT_NOFILE, &rl);
    }
}

/* libFuzzer target for virtkitd's core: the input is what a client sends once connected and
 * its connection opened, fed over a socketpair to a server driven in-process (the daemon's own
 * code: checks before decoding, dispatch, handlers on an embedded root, replies, events,
 * streams, teardown). The first byte picks the client: read-only, and unauthenticated when its
 * low bit is set. Read-only, so that no input starts a guest or changes the host; every
 * procedure still reaches its check, and the read-only ones their handler. Any crash, leak,
 * hang or sanitizer report is a bug; errors are expected. */
#include <glib-unix.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <unistd.h>

#include "daemon_server.h"
#include "util/vkerror.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static vkDaemonServer *server;
static char *root;

static void quiet(void *data, virErrorPtr err)
{
}

/* The root goes with the process (libFuzzer and the replay end by exit()). */
static void removeRoot(void)
{
    const char *argv[] = { "rm", "-rf", root, NULL };

    g_spawn_sync(NULL, (char **)argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, NULL, NULL, NULL,
                 NULL);
}

static void setup(void)
{
    static vkDaemonConfig *cfg;
    g_autofree char *uri = NULL;

    if (!(root = g_dir_make_tmp("vkfuzzd-XXXXXX", NULL)))
        abort();
    atexit(removeRoot);
    uri = g_strdup_printf("qemu:///embed?root=%s", root);
    cfg = vkDaemonConfigNew();
    virSetErrorFunc(NULL, quiet);
    virEventRegisterDefaultImpl();
    server = vkDaemonServerNew(cfg, VK_DAEMON_MODE_ROOT, uri, NULL);
}

/* Writes what it can of DATA to FD (non-blocking) and reads whatever came back. */
static void pump(int fd, const uint8_t *data, size_t size, size_t *off)
{
    char sink[65536];
    ssize_t n;

    if (*off < size && (n = write(fd, data + *off, size - *off)) > 0)
        *off += (size_t)n;
    while ((n = read(fd, sink, sizeof(sink))) > 0)
        ;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *name = (char *)"qemu:///system";
    vkr_connect_open_args open = { &name, 0 };
    g_autoptr(vkRpcMessage) prelude = NULL;
    unsigned int flags = VK_DAEMON_CLIENT_READONLY;
    size_t off = 0, preOff = 0;
    int sv[2];

    if (!server)
        setup();
    if (size > 0) {
        if (data[0] & 1)
            flags |= VK_DAEMON_CLIENT_UNAUTHENTICATED;
        data++;
        size--;
    }
    if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) < 0)
        abort();
    g_unix_set_fd_nonblocking(sv[1], TRUE, NULL);
    vkDaemonServerAddClient(server, sv[0], flags);
    prelude = vkRpcMessageNewCall(VKR_PROGRAM, VKR_VERSION, VKR_PROC_CONNECT_OPEN, 0xfffffff0,
                                  (xdrproc_t)xdr_vkr_connect_open_args, &open);
    while (preOff < prelude->frameLen || off < size) {
        if (preOff < prelude->frameLen)
            pump(sv[1], prelude->frame, prelude->frameLen, &preOff);
        else
            pump(sv[1], data, size, &off);
        g_main_context_iteration(NULL, FALSE);
        if (vkDaemonServerNumClients(server) == 0)
            break; /* the daemon hung up on it */
    }
    shutdown(sv[1], SHUT_WR);
    while (!vkDaemonServerIdle(server)) {
        pump(sv[1], NULL, 0, &off);
        g_main_context_iteration(NULL, TRUE);
    }
    close(sv[1]);
    while (g_main_context_iteration(NULL, FALSE))
        ;
    vkResetLastError();
    return 0;
}

/* virtkitd's core driven in-process (as the fuzzer drives it), for what no socket of the real
 * daemon offers: a client that has not authenticated gets its AUTH_* calls answered and
 * everything else refused before anything is decoded; and a server whose client left falls
 * idle with nothing of the client left. */
#include <glib-unix.h>
#include <sys/socket.h>

#include "daemon_server.h"
#include "daemontestutil.h"

typedef struct {
    char *root;
    vkDaemonConfig *cfg;
    vkDaemonServer *srv;
} Core;

static Core *coreNew(void)
{
    Core *c = g_new0(Core, 1);
    g_autofree char *uri = NULL;

    c->root = g_dir_make_tmp("vkdcore-XXXXXX", NULL);
    g_assert_nonnull(c->root);
    uri = g_strdup_printf("qemu:///embed?root=%s", c->root);
    c->cfg = vkDaemonConfigNew();
    c->srv = vkDaemonServerNew(c->cfg, VK_DAEMON_MODE_ROOT, uri, NULL);
    return c;
}

static void coreFree(Core *c)
{
    const char *argv[] = { "rm", "-rf", c->root, NULL };

    vkDaemonServerFree(c->srv);
    vkDaemonConfigFree(c->cfg);
    g_spawn_sync(NULL, (char **)argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, NULL, NULL, NULL,
                 NULL);
    g_free(c->root);
    g_free(c);
}

/* The reply to SERIAL on FD, iterating the server's loop meanwhile. */
static vkRpcMessage *reply(int fd, guint32 serial)
{
    for (int i = 0; i < 100000; i++) {
        vkRpcMessage *msg;

        g_main_context_iteration(NULL, FALSE);
        if ((msg = rawRecv(fd, 1))) {
            if (msg->header.type == VKRPC_REPLY && msg->header.serial == serial)
                return msg;
            vkRpcMessageFree(msg);
        }
    }
    g_error("no reply to %u", serial);
}

static vkRpcMessage *call(int fd, int proc, guint32 serial, xdrproc_t codec, const void *args)
{
    rawSend(fd, vkRpcMessageNewCall(VKR_PROGRAM, VKR_VERSION, proc, serial, codec, args));
    return reply(fd, serial);
}

static void testUnauthenticated(void)
{
    Core *c = coreNew();
    int sv[2];
    char *name = (char *)"qemu:///system";
    vkr_connect_open_args open = { &name, 0 };
    static const guint8 junk[] = { 0xff };
    vkrpc_header h = { VKR_PROGRAM, VKR_VERSION, VKR_PROC_DOMAIN_LOOKUP_BY_NAME,
                       VKRPC_CALL,  9,           VKRPC_OK };

    g_assert_cmpint(socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv), ==, 0);
    vkDaemonServerAddClient(c->srv, sv[0], VK_DAEMON_CLIENT_UNAUTHENTICATED);
    assertReplyOk(call(sv[1], VKR_PROC_AUTH_LIST, 1, NULL, NULL), NULL, NULL, 0);
    assertReplyError(
        call(sv[1], VKR_PROC_CONNECT_OPEN, 2, (xdrproc_t)xdr_vkr_connect_open_args, &open),
        VIR_ERR_RPC, VIR_FROM_RPC, "authentication required");
    /* refused before decoding: an undecodable body gets the same answer */
    rawSend(sv[1], vkRpcMessageEncodeRaw(&h, junk, sizeof(junk)));
    assertReplyError(reply(sv[1], 9), VIR_ERR_RPC, VIR_FROM_RPC, "authentication required");
    close(sv[1]);
    while (!vkDaemonServerIdle(c->srv))
        g_main_context_iteration(NULL, TRUE);
    coreFree(c);
}

/* Calls in flight on the workers when the client goes: the server waits for them at the end
 * and nothing is left (the sanitizer build checks). */
static void testGoneWithCallsInFlight(void)
{
    Core *c = coreNew();
    int sv[2];
    char *name = (char *)"qemu:///system";
    vkr_connect_open_args open = { &name, 0 };

    g_assert_cmpint(socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv), ==, 0);
    vkDaemonServerAddClient(c->srv, sv[0], 0);
    assertReplyOk(
        call(sv[1], VKR_PROC_CONNECT_OPEN, 1, (xdrproc_t)xdr_vkr_connect_open_args, &open), NULL,
        NULL, 0);
    for (guint32 serial = 2; serial < 6; serial++)
        rawSend(sv[1], vkRpcMessageNewCall(VKR_PROGRAM, VKR_VERSION,
                                           VKR_PROC_CONNECT_GET_CAPABILITIES, serial, NULL, NULL));
    close(sv[1]);
    /* freeing the server now: it closes the client and waits for its calls */
    coreFree(c);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    virEventRegisterDefaultImpl();
    g_test_add_func("/daemon/core/unauthenticated", testUnauthenticated);
    g_test_add_func("/daemon/core/gone-with-calls-in-flight", testGoneWithCallsInFlight);
    return g_test_run();
}

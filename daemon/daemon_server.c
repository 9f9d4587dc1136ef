/* virtkitd's listeners, clients and worker pools. Accepting stops while max_clients are
 * connected (the kernel queues newcomers, as with libvirtd) and resumes when one leaves. */
#include "daemon_server.h"

#include <glib-unix.h>
#include <unistd.h>

#include "rpc/rpc_socket.h"
#include "util/vkerror.h"

#define VIR_FROM_THIS VIR_FROM_RPC

typedef struct {
    vkDaemonServer *srv;
    int fd;
    gboolean readonly;
    vkRpcTLSContext *tls; /* TLS listener */
    char *path;           /* unix socket to remove at the end */
    GSource *source;      /* NULL while accepting is paused */
} Listener;

struct _vkDaemonServer {
    const vkDaemonConfig *cfg;
    vkDaemonMode mode;
    char *driverURI;
    GMainContext *context;

    GPtrArray *listeners; /* Listener */
    GHashTable *clients;  /* vkDaemonClient -> itself, holding the server's reference */
    gboolean accepting;

    GThreadPool *workers;     /* calls that may block */
    GThreadPool *prioWorkers; /* quick calls */
    gint queued;              /* calls handed to either pool and not finished */

    guint idleSeconds;
    GSourceFunc idleFunc;
    gpointer idleData;
    GSource *idleTimer;
};

/* ---- workers ---- */

static void workerRun(gpointer data, gpointer opaque)
{
    vkDaemonServer *srv = opaque;

    vkDaemonCallRun(data);
    /* whoever waits in the loop for the server to fall idle (shutdown, the fuzzer) hears it */
    if (g_atomic_int_dec_and_test(&srv->queued))
        g_main_context_wakeup(srv->context);
}

void vkDaemonServerQueueCall(vkDaemonServer *srv, vkDaemonCall *call, gboolean isLong)
{
    g_autoptr(GError) gerr = NULL;

    g_atomic_int_inc(&srv->queued);
    if (!g_thread_pool_push(isLong ? srv->workers : srv->prioWorkers, call, &gerr)) {
        /* no new thread could be made: serve it here rather than drop it */
        g_warning("worker pool: %s", gerr->message);
        workerRun(call, srv);
    }
}

/* ---- the idle timeout ---- */

static gboolean onIdle(gpointer data)
{
    vkDaemonServer *srv = data;

    g_source_unref(g_steal_pointer(&srv->idleTimer));
    if (srv->idleFunc)
        srv->idleFunc(srv->idleData);
    return G_SOURCE_REMOVE;
}

static void idleTimerUpdate(vkDaemonServer *srv)
{
    gboolean idle = g_hash_table_size(srv->clients) == 0;

    if (!srv->idleSeconds || idle == (srv->idleTimer != NULL))
        return;
    if (idle) {
        srv->idleTimer = g_timeout_source_new_seconds(srv->idleSeconds);
        g_source_set_callback(srv->idleTimer, onIdle, srv, NULL);
        g_source_attach(srv->idleTimer, srv->context);
    } else {
        g_source_destroy(srv->idleTimer);
        g_source_unref(g_steal_pointer(&srv->idleTimer));
    }
}

void vkDaemonServerSetIdleTimeout(vkDaemonServer *srv, guint seconds, GSourceFunc on, gpointer data)
{
    srv->idleSeconds = seconds;
    srv->idleFunc = on;
    srv->idleData = data;
    idleTimerUpdate(srv);
}

/* ---- accepting ---- */

static void listenersSetAccepting(vkDaemonServer *srv, gboolean on);

static void addClient(vkDaemonServer *srv, vkRpcConn *conn, unsigned int flags)
{
    vkDaemonClient *client = vkDaemonClientNew(srv, conn, flags);

    g_hash_table_add(srv->clients, client);
    idleTimerUpdate(srv);
    if (g_hash_table_size(srv->clients) >= srv->cfg->maxClients)
        listenersSetAccepting(srv, FALSE);
}

static gboolean onAccept(gint fd, GIOCondition cond, gpointer data)
{
    Listener *l = data;
    vkDaemonServer *srv = l->srv;

    while (srv->accepting && g_hash_table_size(srv->clients) < srv->cfg->maxClients) {
        int cfd = vkRpcSocketAccept(l->fd);
        vkRpcConn *conn;

        if (cfd == -2)
            break;
        if (cfd < 0) {
            /* out of descriptors, most likely: others may leave; try again later */
            g_warning("%s", virGetLastErrorMessage());
            vkResetLastError();
            break;
        }
        conn = vkRpcConnNew(cfd, TRUE);
        if (l->tls && vkRpcConnSetTLS(conn, l->tls, NULL) < 0) {
            g_warning("%s", virGetLastErrorMessage());
            vkResetLastError();
            vkRpcConnUnref(conn);
            continue;
        }
        addClient(srv, conn, l->readonly ? VK_DAEMON_CLIENT_READONLY : 0);
    }
    return G_SOURCE_CONTINUE;
}

static void listenerWatch(Listener *l)
{
    l->source = g_unix_fd_source_new(l->fd, G_IO_IN);
    g_source_set_callback(l->source, (GSourceFunc)(void (*)(void))onAccept, l, NULL);
    g_source_attach(l->source, l->srv->context);
}

static void listenerUnwatch(Listener *l)
{
    if (!l->source)
        return;
    g_source_destroy(l->source);
    g_source_unref(g_steal_pointer(&l->source));
}

static void listenersSetAccepting(vkDaemonServer *srv, gboolean on)
{
    if (srv->accepting == on)
        return;
    srv->accepting = on;
    for (guint i = 0; i < srv->listeners->len; i++) {
        Listener *l = g_ptr_array_index(srv->listeners, i);
        if (on)
            listenerWatch(l);
        else
            listenerUnwatch(l);
    }
}

static void listenerFree(gpointer data)
{
    Listener *l = data;

    listenerUnwatch(l);
    if (l->fd >= 0)
        close(l->fd);
    if (l->path)
        unlink(l->path);
    if (l->tls)
        vkRpcTLSContextUnref(l->tls);
    g_free(l->path);
    g_free(l);
}

static void addListener(vkDaemonServer *srv, int fd, gboolean readonly, vkRpcTLSContext *tls,
                        const char *path)
{
    Listener *l = g_new0(Listener, 1);

    l->srv = srv;
    l->fd = fd;
    l->readonly = readonly;
    l->tls = tls ? vkRpcTLSContextRef(tls) : NULL;
    l->path = g_strdup(path);
    g_ptr_array_add(srv->listeners, l);
    if (srv->accepting)
        listenerWatch(l);
}

int vkDaemonServerListenUnix(vkDaemonServer *srv, const char *path, mode_t mode, gid_t gid,
                             gboolean readonly)
{
    int fd = vkRpcSocketListenUnix(path, mode);

    if (fd < 0)
        return -1;
    if (gid != (gid_t)-1 && chown(path, (uid_t)-1, gid) < 0) {
        vkReportSystemError(VIR_FROM_THIS, errno, "Failed to change group ID of '%s'", path);
        close(fd);
        unlink(path);
        return -1;
    }
    addListener(srv, fd, readonly, NULL, path);
    return 0;
}

int vkDaemonServerListenTCP(vkDaemonServer *srv, const char *addr, const char *port,
                            vkRpcTLSContext *tls)
{
    g_autofree int *fds = NULL;
    int n = vkRpcSocketListenTCP(addr, port, &fds);

    if (n < 0)
        return -1;
    for (int i = 0; i < n; i++)
        addListener(srv, fds[i], FALSE, tls, NULL);
    return 0;
}

int vkDaemonServerListenFd(vkDaemonServer *srv, int fd, gboolean readonly, vkRpcTLSContext *tls)
{
    g_unix_set_fd_nonblocking(fd, TRUE, NULL);
    addListener(srv, fd, readonly, tls, NULL);
    return 0;
}

vkDaemonClient *vkDaemonServerAddClient(vkDaemonServer *srv, int fd, unsigned int flags)
{
    vkRpcConn *conn = vkRpcConnNew(fd, TRUE);
    vkDaemonClient *client = vkDaemonClientNew(srv, conn, flags);

    g_hash_table_add(srv->clients, client);
    idleTimerUpdate(srv);
    return client;
}

void vkDaemonServerClientClosed(vkDaemonServer *srv, vkDaemonClient *client)
{
    if (!g_hash_table_steal(srv->clients, client))
        return;
    if (g_hash_table_size(srv->clients) < srv->cfg->maxClients)
        listenersSetAccepting(srv, TRUE);
    idleTimerUpdate(srv);
    vkDaemonClientUnref(client);
}

/* ---- the server ---- */

vkDaemonServer *vkDaemonServerNew(const vkDaemonConfig *cfg, vkDaemonMode mode,
                                  const char *driverURI, GMainContext *context)
{
    vkDaemonServer *srv = g_new0(vkDaemonServer, 1);

    srv->cfg = cfg;
    srv->mode = mode;
    srv->driverURI = g_strdup(driverURI);
    srv->context = g_main_context_ref(context ? context : g_main_context_default());
    srv->listeners = g_ptr_array_new_with_free_func(listenerFree);
    srv->clients = g_hash_table_new(NULL, NULL);
    srv->accepting = TRUE;
    srv->workers = g_thread_pool_new(workerRun, srv, (gint)cfg->maxWorkers, FALSE, NULL);
    srv->prioWorkers = g_thread_pool_new(workerRun, srv, (gint)cfg->prioWorkers, FALSE, NULL);
    return srv;
}

void vkDaemonServerFree(vkDaemonServer *srv)
{
    GList *clients;

    if (!srv)
        return;
    g_ptr_array_set_size(srv->listeners, 0);
    srv->accepting = FALSE;
    clients = g_hash_table_get_keys(srv->clients);
    for (GList *l = clients; l; l = l->next)
        vkRpcConnClose(vkDaemonClientRpcConn(l->data), FALSE);
    g_list_free(clients);
    /* the closed callbacks run in the context; then the calls in flight finish */
    while (g_hash_table_size(srv->clients) > 0)
        g_main_context_iteration(srv->context, TRUE);
    g_thread_pool_free(srv->workers, TRUE, TRUE);
    g_thread_pool_free(srv->prioWorkers, TRUE, TRUE);
    /* what the finished calls queued for closed clients is dropped with them */
    while (g_main_context_iteration(srv->context, FALSE))
        ;
    if (srv->idleTimer) {
        g_source_destroy(srv->idleTimer);
        g_source_unref(srv->idleTimer);
    }
    g_ptr_array_free(srv->listeners, TRUE);
    g_hash_table_unref(srv->clients);
    g_main_context_unref(srv->context);
    g_free(srv->driverURI);
    g_free(srv);
}

gboolean vkDaemonServerIdle(vkDaemonServer *srv)
{
    return g_hash_table_size(srv->clients) == 0 && g_atomic_int_get(&srv->queued) == 0;
}

guint vkDaemonServerNumClients(vkDaemonServer *srv)
{
    return g_hash_table_size(srv->clients);
}

const vkDaemonConfig *vkDaemonServerConfig(vkDaemonServer *srv)
{
    return srv->cfg;
}

GMainContext *vkDaemonServerContext(vkDaemonServer *srv)
{
    return srv->context;
}

/* ---- the URIs clients open ---- */

const char *vkDaemonServerPublicURI(vkDaemonServer *srv)
{
    return srv->mode == VK_DAEMON_MODE_SESSION ? "qemu:///session" : "qemu:///system";
}

char *vkDaemonServerResolveURI(vkDaemonServer *srv, const char *name)
{
    g_autoptr(GUri) uri = NULL;
    const char *scheme, *path;
    gboolean hasQuery;

    if (!name || !*name)
        return g_strdup(srv->driverURI);
    uri = g_uri_parse(name, G_URI_FLAGS_NONE, NULL);
    scheme = uri ? g_uri_get_scheme(uri) : NULL;
    /* the in-memory test driver touches nothing of the host: any client may have one */
    if (scheme && g_str_equal(scheme, "test"))
        return g_strdup(name);
    if (!scheme || !g_str_equal(scheme, "qemu") || (g_uri_get_host(uri) && *g_uri_get_host(uri))) {
        vkReportError(VIR_FROM_NONE, VIR_ERR_NO_CONNECT, "%s", name);
        return NULL;
    }
    path = g_uri_get_path(uri);
    hasQuery = g_uri_get_query(uri) && *g_uri_get_query(uri);
    /* as libvirt's qemu driver: a privileged daemon also answers /session */
    if (srv->mode == VK_DAEMON_MODE_SESSION) {
        if (g_str_equal(path, "/session") && !hasQuery)
            return g_strdup(srv->driverURI);
        vkReportError(VIR_FROM_QEMU, VIR_ERR_INTERNAL_ERROR,
                      "unexpected qemu URI path '%s', try qemu:///session", path);
        return NULL;
    }
    if ((g_str_equal(path, "/system") || g_str_equal(path, "/session")) && !hasQuery)
        return g_strdup(srv->driverURI);
    vkReportError(VIR_FROM_QEMU, VIR_ERR_INTERNAL_ERROR,
                  "unexpected qemu URI path '%s', try qemu:///system", path);
    return NULL;
}

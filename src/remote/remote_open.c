/* Opening and closing a remote connection: what the URI asks for (transport, socket or host,
 * TLS files, the URI the server opens), the transport, and libvirt's client preamble (AUTH_LIST,
 * keepalive probe, CONNECT_OPEN, event and close-callback features) and matching close. */
#include <string.h>
#include <unistd.h>

#include "remote_driver.h"
#include "remote_priv.h"
#include "rpc/rpc_tls.h"

#define VIR_FROM_THIS VK_REMOTE_ERR

/* libvirt's default ports (libvirtd.conf's tcp_port and tls_port). */
#define REMOTE_TCP_PORT "16509"
#define REMOTE_TLS_PORT "16514"

/* virtkit's daemon sockets (ARCHITECTURE.md): the system instance's, and under the user's
 * runtime directory a session daemon's. libvirtd's own live in /run/libvirt: reach them with
 * ?socket=. */
#define REMOTE_SYSTEM_SOCKET_DIR "/run/virtkit"
#define REMOTE_SOCKET_NAME       "virtkit-sock"
#define REMOTE_SOCKET_NAME_RO    "virtkit-sock-ro"

/* libvirt's default PKI files for a client, and the per-user directory that non-root users'
 * files may come from. */
#define REMOTE_PKI_CACERT     "/etc/pki/CA/cacert.pem"
#define REMOTE_PKI_CLIENTCERT "/etc/pki/libvirt/clientcert.pem"
#define REMOTE_PKI_CLIENTKEY  "/etc/pki/libvirt/private/clientkey.pem"

/* Keepalive as libvirt's clients run it: a PING after 5 silent seconds, the connection given up
 * after 5 unanswered. */
#define REMOTE_KEEPALIVE_INTERVAL 5
#define REMOTE_KEEPALIVE_COUNT    5

/* libvirt's features that the preamble asks about (VIR_DRV_FEATURE_*). */
enum {
    FEATURE_PROGRAM_KEEPALIVE = 10,
    FEATURE_REMOTE_EVENT_CALLBACK = 14,
    FEATURE_REMOTE_CLOSE_CALLBACK = 15,
};

/* CONNECT_OPEN's flags, libvirt's client's: the read-only socket, and a per-user daemon. */
enum {
    OPEN_RO = 1 << 0,
    OPEN_USER = 1 << 1,
};

typedef enum {
    TRANSPORT_UNIX,
    TRANSPORT_TCP,
    TRANSPORT_TLS,
} Transport;

/* What a URI asks for, once its query has been taken apart. */
typedef struct {
    Transport transport;
    char *host; /* TCP and TLS: the server, "localhost" when the URI names none */
    char *port;
    char *name; /* the URI the server opens: the transport and our parameters stripped */
    char *socket;
    char *pkipath;
    char *authtype;
    gboolean verify;
    unsigned int openFlags;
} OpenParams;

static void openParamsClear(OpenParams *p)
{
    g_free(p->host);
    g_free(p->port);
    g_free(p->name);
    g_free(p->socket);
    g_free(p->pkipath);
    g_free(p->authtype);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC(OpenParams, openParamsClear)

/* ---- the URI ---- */

static int parseTransport(const char *scheme, char **driver, Transport *transport)
{
    const char *plus = strchr(scheme, '+');
    g_autofree char *name = NULL;

    if (!plus) {
        vkReportError(VIR_FROM_THIS, VIR_ERR_INVALID_ARG, "%s",
                      "remote_open: transport in URL not recognised "
                      "(should be tls|unix|ssh|ext|tcp|libssh2|libssh)");
        return -1;
    }
    *driver = g_strndup(scheme, plus - scheme);
    name = g_ascii_strdown(plus + 1, -1);
    if (g_str_equal(name, "unix")) {
        *transport = TRANSPORT_UNIX;
    } else if (g_str_equal(name, "tcp")) {
        *transport = TRANSPORT_TCP;
    } else if (g_str_equal(name, "tls")) {
        *transport = TRANSPORT_TLS;
    } else {
        vkReportError(VIR_FROM_THIS, VIR_ERR_INVALID_ARG, "%s",
                      "remote_open: transport in URL not recognised "
                      "(should be tls|unix|ssh|ext|tcp|libssh2|libssh)");
        return -1;
    }
    return 0;
}

/* A parameter that only the client uses (libvirt's list, ssh's included so that a URI written
 * for libvirt works): its value is stored in *STR (when STR is given), and it is not sent. */
static gboolean takeStringParam(const char *key, const char *value, OpenParams *p, char **name)
{
    static const char *const clientOnly[] = {
        "command",      "sshauth",  "netcat", "keyfile", "known_hosts", "known_hosts_verify",
        "tls_priority", "authfile", NULL,
    };
    char **slot = NULL;

    if (!g_ascii_strcasecmp(key, "name"))
        slot = name;
    else if (!g_ascii_strcasecmp(key, "socket"))
        slot = &p->socket;
    else if (!g_ascii_strcasecmp(key, "pkipath"))
        slot = &p->pkipath;
    else if (!g_ascii_strcasecmp(key, "auth"))
        slot = &p->authtype;
    if (slot) {
        g_free(*slot);
        *slot = g_strdup(value);
        return TRUE;
    }
    for (size_t i = 0; clientOnly[i]; i++) {
        if (!g_ascii_strcasecmp(key, clientOnly[i]))
            return TRUE;
    }
    return FALSE;
}

/* mode= and proxy= choose between libvirt's daemons and ssh helpers: checked, then moot. */
static int checkChoiceParam(const char *key, const char *value, gboolean *taken)
{
    static const char *const modes[] = { "auto", "legacy", "direct", NULL };
    static const char *const proxies[] = { "auto", "netcat", "native", NULL };

    *taken = TRUE;
    if (!g_ascii_strcasecmp(key, "mode")) {
        if (!g_strv_contains(modes, value)) {
            vkReportError(VIR_FROM_THIS, VIR_ERR_INVALID_ARG, "Unknown remote mode '%s'", value);
            return -1;
        }
    } else if (!g_ascii_strcasecmp(key, "proxy")) {
        if (!g_strv_contains(proxies, value)) {
            /* libvirt's spelling */
            vkReportError(VIR_FROM_THIS, VIR_ERR_INVALID_ARG, "Unnkown proxy type '%s'", value);
            return -1;
        }
    } else {
        *taken = FALSE;
    }
    return 0;
}

static int takeBoolParam(const char *key, const char *value, OpenParams *p, gboolean *taken)
{
    gint64 v;

    *taken = !g_ascii_strcasecmp(key, "no_verify") || !g_ascii_strcasecmp(key, "no_tty") ||
             !g_ascii_strcasecmp(key, "no_sanity");
    if (!*taken)
        return 0;
    if (!g_ascii_string_to_signed(value, 10, G_MININT, G_MAXINT, &v, NULL)) {
        vkReportError(VIR_FROM_THIS, VIR_ERR_INVALID_ARG,
                      "Failed to parse value of URI component %s", key);
        return -1;
    }
    if (!g_ascii_strcasecmp(key, "no_verify"))
        p->verify = v == 0;
    return 0;
}

/* Takes our parameters out of QUERY (still encoded); the others go to the server in *REST. */
static int parseQuery(const char *query, OpenParams *p, char **name, char **rest)
{
    g_auto(GStrv) items = g_regex_split_simple("[&;]", query ? query : "", 0, 0);
    g_autoptr(GPtrArray) kept = g_ptr_array_new();

    for (size_t i = 0; items[i]; i++) {
        const char *eq = strchr(items[i], '=');
        g_autofree char *key = NULL;
        g_autofree char *value = NULL;
        gboolean taken;

        if (!*items[i])
            continue;
        key = g_uri_unescape_segment(items[i], eq, NULL);
        value = eq ? g_uri_unescape_string(eq + 1, NULL) : g_strdup("");
        if (!key || !value) {
            vkReportError(VIR_FROM_THIS, VIR_ERR_INVALID_ARG, "Malformed URI parameter '%s'",
                          items[i]);
            return -1;
        }
        if (takeStringParam(key, value, p, name))
            continue;
        if (checkChoiceParam(key, value, &taken) < 0 ||
            (!taken && takeBoolParam(key, value, p, &taken) < 0))
            return -1;
        if (!taken)
            g_ptr_array_add(kept, items[i]);
    }
    g_ptr_array_add(kept, NULL);
    *rest = g_strjoinv("&", (char **)kept->pdata);
    return 0;
}

/* The user's session daemon serves /session URIs and, as in libvirt, the test driver; root
 * always talks to the system daemon. */
static gboolean wantsUserDaemon(const char *driver, const char *path)
{
    return geteuid() != 0 && (g_strcmp0(path, "/session") == 0 || g_str_equal(driver, "test"));
}

static char *defaultSocket(unsigned int openFlags)
{
    const char *file = (openFlags & OPEN_RO) ? REMOTE_SOCKET_NAME_RO : REMOTE_SOCKET_NAME;

    if (openFlags & OPEN_USER)
        return g_build_filename(g_get_user_runtime_dir(), "virtkit", file, NULL);
    return g_build_filename(REMOTE_SYSTEM_SOCKET_DIR, file, NULL);
}

static int parseURI(const char *text, unsigned int flags, OpenParams *p)
{
    g_autoptr(GError) gerr = NULL;
    g_autoptr(GUri) uri = NULL;
    g_autofree char *driver = NULL;
    g_autofree char *name = NULL;
    g_autofree char *rest = NULL;
    const char *host;
    const char *fragment;

    uri = g_uri_parse(
        text, G_URI_FLAGS_ENCODED_QUERY | G_URI_FLAGS_ENCODED_PATH | G_URI_FLAGS_ENCODED_FRAGMENT,
        &gerr);
    if (!uri) {
        vkReportError(VIR_FROM_URI, VIR_ERR_INTERNAL_ERROR, "Unable to parse URI %s", text);
        return -1;
    }
    if (parseTransport(g_uri_get_scheme(uri), &driver, &p->transport) < 0)
        return -1;
    host = g_uri_get_host(uri);
    if (host && !*host)
        host = NULL;
    if (p->transport == TRANSPORT_UNIX && host) {
        vkReportError(VIR_FROM_THIS, VIR_ERR_INVALID_ARG,
                      "using unix socket and remote server '%s' is not supported.", host);
        return -1;
    }
    p->verify = TRUE;
    if (parseQuery(g_uri_get_query(uri), p, &name, &rest) < 0)
        return -1;

    if (p->transport != TRANSPORT_UNIX) {
        p->host = g_strdup(host ? host : "localhost");
        if (g_uri_get_port(uri) > 0)
            p->port = g_strdup_printf("%d", g_uri_get_port(uri));
        else
            p->port = g_strdup(p->transport == TRANSPORT_TLS ? REMOTE_TLS_PORT : REMOTE_TCP_PORT);
    }
    if (flags & VIR_CONNECT_RO)
        p->openFlags |= OPEN_RO;
    if (wantsUserDaemon(driver, g_uri_get_path(uri)))
        p->openFlags |= OPEN_USER;
    if (p->transport == TRANSPORT_UNIX && !p->socket)
        p->socket = defaultSocket(p->openFlags);

    /* As libvirt's client sends it: the driver's scheme, no server, the path, the parameters
     * that are not ours, the fragment. */
    fragment = g_uri_get_fragment(uri);
    if (name) {
        p->name = g_steal_pointer(&name);
    } else {
        p->name = g_strdup_printf("%s://%s%s%s%s%s", driver, g_uri_get_path(uri), *rest ? "?" : "",
                                  rest, fragment ? "#" : "", fragment ? fragment : "");
    }
    return 0;
}

/* ---- TLS ---- */

/* The client's files: pkipath= if given; otherwise, for other users than root, those of
 * ~/.pki/libvirt that exist (the certificate and key as a pair); the rest from /etc/pki. A
 * client certificate is optional, as in libvirt: missing files are simply not offered. */
static vkRpcTLSContext *tlsContextNew(const OpenParams *p)
{
    g_autofree char *ca = NULL;
    g_autofree char *cert = NULL;
    g_autofree char *key = NULL;

    if (p->pkipath) {
        ca = g_build_filename(p->pkipath, "cacert.pem", NULL);
        cert = g_build_filename(p->pkipath, "clientcert.pem", NULL);
        key = g_build_filename(p->pkipath, "clientkey.pem", NULL);
    } else if (geteuid() != 0) {
        g_autofree char *dir = g_build_filename(g_get_home_dir(), ".pki", "libvirt", NULL);

        ca = g_build_filename(dir, "cacert.pem", NULL);
        cert = g_build_filename(dir, "clientcert.pem", NULL);
        key = g_build_filename(dir, "clientkey.pem", NULL);
        if (!g_file_test(ca, G_FILE_TEST_EXISTS))
            g_clear_pointer(&ca, g_free);
        if (!g_file_test(cert, G_FILE_TEST_EXISTS) || !g_file_test(key, G_FILE_TEST_EXISTS)) {
            g_clear_pointer(&cert, g_free);
            g_clear_pointer(&key, g_free);
        }
    }
    if (!ca)
        ca = g_strdup(REMOTE_PKI_CACERT);
    if (!cert) {
        cert = g_strdup(REMOTE_PKI_CLIENTCERT);
        key = g_strdup(REMOTE_PKI_CLIENTKEY);
    }
    if (!g_file_test(cert, G_FILE_TEST_EXISTS) || !g_file_test(key, G_FILE_TEST_EXISTS)) {
        g_clear_pointer(&cert, g_free);
        g_clear_pointer(&key, g_free);
    }
    return vkRpcTLSContextNewClient(ca, cert, key, p->verify);
}

static vkRpcClient *transportOpen(const OpenParams *p)
{
    g_autoptr(vkRpcTLSContext) tls = NULL;

    switch (p->transport) {
    case TRANSPORT_UNIX:
        return vkRpcClientNewUnix(p->socket);
    case TRANSPORT_TLS:
        if (!(tls = tlsContextNew(p)))
            return NULL;
        return vkRpcClientNewTCP(p->host, p->port, tls, p->verify ? p->host : NULL);
    case TRANSPORT_TCP:
    default:
        return vkRpcClientNewTCP(p->host, p->port, NULL, NULL);
    }
}

/* ---- the preamble ---- */

int vkRemoteCall(virConnectPtr conn, int proc, const void *args, void *ret)
{
    return vkRpcClientCall(vkRemotePriv(conn)->client, &vkRpcRemoteProgram, proc, args, ret);
}

void vkRemoteRetFree(int proc, void *ret)
{
    const vkRpcProc *row = vkRpcProgramLookup(&vkRpcRemoteProgram, proc);

    if (row)
        vkRpcXdrFree(row->ret, ret, row->retSize);
}

static int supportsFeature(virConnectPtr conn, int feature)
{
    vkr_connect_supports_feature_args args = { feature };
    vkr_connect_supports_feature_ret ret = { 0 };

    if (vkRemoteCall(conn, VKR_PROC_CONNECT_SUPPORTS_FEATURE, &args, &ret) < 0)
        return -1;
    return ret.supported != 0;
}

/* AUTH_LIST: only servers that let us in without credentials are reachable (no SASL or polkit
 * here). libvirt's wording when it cannot do what the server asks. */
static int authenticate(virConnectPtr conn, const char *authtype)
{
    vkr_auth_list_ret ret = { 0 };
    int type = VKR_AUTH_NONE;

    if (vkRemoteCall(conn, VKR_PROC_AUTH_LIST, NULL, &ret) < 0) {
        if (virGetLastErrorCode() != VIR_ERR_NO_SUPPORT)
            return -1;
        vkResetLastError(); /* a server from before AUTH_LIST */
        return 0;
    }
    if (ret.types.types_len == 0) {
        vkRemoteRetFree(VKR_PROC_AUTH_LIST, &ret);
        return 0;
    }
    if (authtype) {
        int want = -1;

        if (!g_ascii_strcasecmp(authtype, "sasl") || !g_ascii_strncasecmp(authtype, "sasl.", 5))
            want = VKR_AUTH_SASL;
        else if (!g_ascii_strcasecmp(authtype, "polkit"))
            want = VKR_AUTH_POLKIT;
        if (want < 0) {
            vkReportError(VIR_FROM_THIS, VIR_ERR_AUTH_FAILED, "unknown authentication type %s",
                          authtype);
            vkRemoteRetFree(VKR_PROC_AUTH_LIST, &ret);
            return -1;
        }
        for (guint i = 0; i < ret.types.types_len; i++) {
            if ((int)ret.types.types_val[i] == want)
                type = want;
        }
        if (type == VKR_AUTH_NONE) {
            vkReportError(VIR_FROM_THIS, VIR_ERR_AUTH_FAILED,
                          "requested authentication type %s rejected", authtype);
            vkRemoteRetFree(VKR_PROC_AUTH_LIST, &ret);
            return -1;
        }
    } else {
        type = ret.types.types_val[0];
    }
    vkRemoteRetFree(VKR_PROC_AUTH_LIST, &ret);
    if (type != VKR_AUTH_NONE) {
        vkReportError(VIR_FROM_THIS, VIR_ERR_AUTH_FAILED, "unsupported authentication type %d",
                      type);
        return -1;
    }
    return 0;
}

/* What virsh sends before its first command, in its order. */
static int preamble(virConnectPtr conn, const OpenParams *p)
{
    vkRemoteConn *priv = vkRemotePriv(conn);
    vkr_nonnull_string name = p->name;
    vkr_connect_open_args args = { &name, p->openFlags };
    int rc;

    if (authenticate(conn, p->authtype) < 0)
        return -1;
    if ((rc = supportsFeature(conn, FEATURE_PROGRAM_KEEPALIVE)) < 0)
        return -1;
    if (rc && vkRpcClientStartKeepalive(priv->client, REMOTE_KEEPALIVE_INTERVAL,
                                        REMOTE_KEEPALIVE_COUNT) < 0)
        return -1;
    if (vkRemoteCall(conn, VKR_PROC_CONNECT_OPEN, &args, NULL) < 0)
        return -1;
    if ((rc = supportsFeature(conn, FEATURE_REMOTE_EVENT_CALLBACK)) < 0)
        return -1;
    priv->eventFilter = rc;
    if ((rc = supportsFeature(conn, FEATURE_REMOTE_CLOSE_CALLBACK)) < 0)
        return -1;
    priv->closeCallback = rc;
    if (priv->closeCallback &&
        vkRemoteCall(conn, VKR_PROC_CONNECT_REGISTER_CLOSE_CALLBACK, NULL, NULL) < 0)
        return -1;
    return 0;
}

static void privFree(vkRemoteConn *priv)
{
    /* the client first: its I/O thread delivers to the events */
    vkRpcClientFree(priv->client);
    vkRemoteEventsFree(priv->events);
    g_free(priv->type);
    g_mutex_clear(&priv->lock);
    g_free(priv);
}

vkDrvOpenStatus vkRemoteConnectOpen(virConnectPtr conn, GUri *uri, unsigned int flags)
{
    g_auto(OpenParams) p = { 0 };
    vkRemoteConn *priv;

    if (parseURI(conn->uri, flags, &p) < 0)
        return VK_DRV_OPEN_ERROR;
    priv = g_new0(vkRemoteConn, 1);
    g_mutex_init(&priv->lock);
    priv->secure = p.transport != TRANSPORT_TCP;
    priv->events = vkRemoteEventsNew();
    if (!(priv->client = transportOpen(&p))) {
        privFree(priv);
        return VK_DRV_OPEN_ERROR;
    }
    vkRpcClientSetEventCallback(priv->client, vkRemoteEventReceived, priv->events);
    conn->privateData = priv;
    if (preamble(conn, &p) < 0) {
        virErrorPtr saved = vkSaveError();

        conn->privateData = NULL;
        privFree(priv);
        vkRestoreError(saved);
        return VK_DRV_OPEN_ERROR;
    }
    return VK_DRV_OPEN_SUCCESS;
}

int vkRemoteConnectClose(virConnectPtr conn)
{
    vkRemoteConn *priv = g_steal_pointer(&conn->privateData);
    virErrorPtr saved;
    int rc = 0;

    if (!priv)
        return 0;
    /* The closing calls must not replace an error the caller is about to see. */
    saved = vkSaveError();
    conn->privateData = priv;
    if (vkRpcClientIsOpen(priv->client)) {
        if (priv->closeCallback)
            vkRemoteCall(conn, VKR_PROC_CONNECT_UNREGISTER_CLOSE_CALLBACK, NULL, NULL);
        if (vkRemoteCall(conn, VKR_PROC_CONNECT_CLOSE, NULL, NULL) < 0)
            rc = -1;
    }
    conn->privateData = NULL;
    privFree(priv);
    vkRestoreError(saved);
    return rc;
}

/* ---- the transport's state ---- */

int vkRemoteConnectIsAlive(virConnectPtr conn)
{
    return vkRpcClientIsOpen(vkRemotePriv(conn)->client) ? 1 : 0;
}

/* Both as libvirt's client answers them: the transport's property, and the server's word
 * that its own end (the hypervisor connection) is secure. */
int vkRemoteConnectIsSecure(virConnectPtr conn)
{
    vkr_connect_is_secure_ret ret = { 0 };

    if (vkRemoteCall(conn, VKR_PROC_CONNECT_IS_SECURE, NULL, &ret) < 0)
        return -1;
    return vkRemotePriv(conn)->secure && ret.secure ? 1 : 0;
}

int vkRemoteConnectIsEncrypted(virConnectPtr conn)
{
    vkr_connect_is_secure_ret ret = { 0 };

    if (vkRemoteCall(conn, VKR_PROC_CONNECT_IS_SECURE, NULL, &ret) < 0)
        return -1;
    return vkRpcClientIsEncrypted(vkRemotePriv(conn)->client) && ret.secure ? 1 : 0;
}

/* ---- the scheme registry's entry ---- */

/* libvirt's remote driver serves DRIVER+TRANSPORT for any driver; these are the drivers a
 * virtkit or libvirt daemon is asked for: qemu, and test (libvirtd serves test:///default). */
static const char *const remoteSchemes[] = {
    "qemu+unix", "qemu+tcp", "qemu+tls", "test+unix", "test+tcp", "test+tls", NULL,
};

const vkConnectDriver vkRemoteConnectDriver = {
    .uriSchemes = remoteSchemes,
    .localOnly = FALSE,
    .hypervisorDriver = &vkRemoteHypervisorDriver,
    .networkDriver = &vkRemoteNetworkDriver,
};

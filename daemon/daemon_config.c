/* virtkitd.conf: every key virtkitd knows, read with libvirt's syntax and checked before the
 * daemon binds anything, so that a typo never leaves a daemon running with a setting ignored. */
#include "daemon_config.h"

#include <string.h>

#include "util/vkconf.h"
#include "util/vkerror.h"
#include "util/vkuuid.h"

#define DEFAULT_KEY_FILE  "/etc/pki/libvirt/private/serverkey.pem"
#define DEFAULT_CERT_FILE "/etc/pki/libvirt/servercert.pem"
#define DEFAULT_CA_FILE   "/etc/pki/CA/cacert.pem"

vkDaemonConfig *vkDaemonConfigNew(void)
{
    vkDaemonConfig *cfg = g_new0(vkDaemonConfig, 1);

    cfg->listenTLS = TRUE;
    cfg->tcpPort = g_strdup("16509");
    cfg->tlsPort = g_strdup("16514");
    cfg->unixSockRwPerms = 0700;
    cfg->unixSockRoPerms = 0666;
    cfg->keyFile = g_strdup(DEFAULT_KEY_FILE);
    cfg->certFile = g_strdup(DEFAULT_CERT_FILE);
    cfg->caFile = g_strdup(DEFAULT_CA_FILE);
    cfg->maxClients = 5000;
    cfg->maxWorkers = 20;
    cfg->prioWorkers = 5;
    cfg->maxClientRequests = 5;
    cfg->keepaliveInterval = 5;
    cfg->keepaliveCount = 5;
    return cfg;
}

void vkDaemonConfigFree(vkDaemonConfig *cfg)
{
    if (!cfg)
        return;
    g_free(cfg->tcpPort);
    g_free(cfg->tlsPort);
    g_free(cfg->listenAddr);
    g_free(cfg->unixSockDir);
    g_free(cfg->unixSockGroup);
    g_free(cfg->keyFile);
    g_free(cfg->certFile);
    g_free(cfg->caFile);
    g_free(cfg->crlFile);
    g_strfreev(cfg->tlsAllowedDNList);
    g_free(cfg->hostUUID);
    g_free(cfg);
}

/* ---- checks of single values ---- */

static int badValue(const vkConf *conf, const char *key, const char *fmt, ...) G_GNUC_PRINTF(3, 4);

static int badValue(const vkConf *conf, const char *key, const char *fmt, ...)
{
    va_list ap;
    g_autofree char *what = NULL;

    va_start(ap, fmt);
    what = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    vkReportError(VIR_FROM_CONF, VIR_ERR_CONF_SYNTAX, "%s:%d: %s: %s", vkConfPath(conf),
                  vkConfLookup(conf, key)->line, key, what);
    return -1;
}

static int getPerms(const vkConf *conf, const char *key, mode_t *dst)
{
    g_autofree char *text = NULL;
    guint64 mode;
    char *end = NULL;

    if (vkConfGetString(conf, key, &text) < 0)
        return -1;
    if (!text)
        return 0;
    mode = g_ascii_strtoull(text, &end, 8);
    if (!*text || *end || mode > 0777)
        return badValue(conf, key, "Failed to parse mode '%s'", text);
    *dst = (mode_t)mode;
    return 0;
}

static int getPort(const vkConf *conf, const char *key, char **dst)
{
    g_autofree char *text = NULL;
    guint64 port = 0;

    if (vkConfGetString(conf, key, &text) < 0)
        return -1;
    if (!text)
        return 0;
    if (!g_ascii_string_to_unsigned(text, 10, 1, 65535, &port, NULL))
        return badValue(conf, key, "invalid port '%s' (1 to 65535)", text);
    g_free(*dst);
    *dst = g_steal_pointer(&text);
    return 0;
}

/* libvirt's auth_* values are none, sasl and polkit; virtkitd has no SASL and no polkit. */
static int getAuth(const vkConf *conf, const char *key, gboolean *isNone)
{
    g_autofree char *text = NULL;

    if (vkConfGetString(conf, key, &text) < 0)
        return -1;
    if (!text)
        return 0;
    if (g_str_equal(text, "none")) {
        if (isNone)
            *isNone = TRUE;
        return 0;
    }
    if (g_str_equal(text, "sasl") || g_str_equal(text, "polkit"))
        return badValue(conf, key, "unsupported auth %s: virtkitd supports only \"none\"", text);
    return badValue(conf, key, "unsupported auth %s", text);
}

static int getPositive(const vkConf *conf, const char *key, unsigned int *dst)
{
    if (vkConfGetUInt(conf, key, dst) < 0)
        return -1;
    if (vkConfLookup(conf, key) && *dst == 0)
        return badValue(conf, key, "'%s' must be greater than 0", key);
    return 0;
}

/* libvirt refuses a host UUID of one repeated byte (all zeros, all 'f's): firmware placeholders
 * that many machines share. */
static gboolean uuidLooksReal(const unsigned char *uuid)
{
    for (int i = 1; i < VIR_UUID_BUFLEN; i++) {
        if (uuid[i] != uuid[0])
            return TRUE;
    }
    return FALSE;
}

static int getHostUUID(const vkConf *conf, const char *key, char **dst)
{
    g_autofree char *text = NULL;
    unsigned char uuid[VIR_UUID_BUFLEN];

    if (vkConfGetString(conf, key, &text) < 0)
        return -1;
    if (!text)
        return 0;
    if (vkUUIDParse(text, uuid) < 0 || !uuidLooksReal(uuid))
        return badValue(conf, key, "invalid host UUID '%s'", text);
    g_free(*dst);
    *dst = g_steal_pointer(&text);
    return 0;
}

static int getKeepaliveInterval(const vkConf *conf, const char *key, int *dst)
{
    if (vkConfGetInt(conf, key, dst) < 0)
        return -1;
    if (vkConfLookup(conf, key) && *dst == 0)
        return badValue(conf, key, "0 is not an interval: -1 turns keepalive off");
    return 0;
}

static int getPath(const vkConf *conf, const char *key, char **dst)
{
    g_autofree char *text = NULL;

    if (vkConfGetString(conf, key, &text) < 0)
        return -1;
    if (!text)
        return 0;
    if (!g_path_is_absolute(text))
        return badValue(conf, key, "'%s' is not an absolute path", text);
    g_free(*dst);
    *dst = g_steal_pointer(&text);
    return 0;
}

/* ---- the keys ---- */

/* libvirtd.conf settings virtkitd does not offer: named as such rather than as typos. */
static const char *const libvirtdOnlyKeys[] = {
    "access_drivers",
    "admin_keepalive_count",
    "admin_keepalive_interval",
    "admin_max_client_requests",
    "admin_max_clients",
    "admin_max_queued_clients",
    "admin_max_workers",
    "admin_min_workers",
    "audit_level",
    "audit_logging",
    "host_uuid_source",
    "keepalive_required",
    "log_filters",
    "log_level",
    "log_outputs",
    "max_anonymous_clients",
    "max_queued_clients",
    "max_requests",
    "mdns_adv",
    "mdns_name",
    "min_workers",
    "ovs_timeout",
    "sasl_allowed_username_list",
    "tcp_min_ssf",
    "tls_no_sanity_certificate",
    "tls_priority",
    "unix_sock_admin_perms",
    NULL,
};

static const char *const knownKeys[] = {
    "auth_tcp",
    "auth_tls",
    "auth_unix_ro",
    "auth_unix_rw",
    "ca_file",
    "cert_file",
    "crl_file",
    "host_uuid",
    "keepalive_count",
    "keepalive_interval",
    "key_file",
    "libvirt_sockets",
    "listen_addr",
    "listen_tcp",
    "listen_tls",
    "max_client_requests",
    "max_clients",
    "max_workers",
    "prio_workers",
    "tcp_port",
    "tls_allowed_dn_list",
    "tls_no_verify_certificate",
    "tls_port",
    "unix_sock_dir",
    "unix_sock_group",
    "unix_sock_ro_perms",
    "unix_sock_rw_perms",
    NULL,
};

const char *const *vkDaemonConfigKeys(void)
{
    return knownKeys;
}

static int checkKeys(const vkConf *conf)
{
    for (const char *const *key = vkConfKeys(conf); *key; key++) {
        int line = vkConfLookup(conf, *key)->line;

        if (g_strv_contains(knownKeys, *key))
            continue;
        if (g_strv_contains(libvirtdOnlyKeys, *key))
            vkReportError(VIR_FROM_CONF, VIR_ERR_CONF_SYNTAX,
                          "%s:%d: '%s' is a libvirtd setting that virtkitd does not support",
                          vkConfPath(conf), line, *key);
        else
            vkReportError(VIR_FROM_CONF, VIR_ERR_CONF_SYNTAX, "%s:%d: unknown setting '%s'",
                          vkConfPath(conf), line, *key);
        return -1;
    }
    return 0;
}

static int applySettings(vkDaemonConfig *cfg, const vkConf *conf)
{
    gboolean tcpNone = FALSE;

    if (vkConfGetBool(conf, "listen_tcp", &cfg->listenTCP) < 0 ||
        vkConfGetBool(conf, "listen_tls", &cfg->listenTLS) < 0 ||
        getPort(conf, "tcp_port", &cfg->tcpPort) < 0 ||
        getPort(conf, "tls_port", &cfg->tlsPort) < 0 ||
        vkConfGetString(conf, "listen_addr", &cfg->listenAddr) < 0 ||
        getPath(conf, "unix_sock_dir", &cfg->unixSockDir) < 0 ||
        vkConfGetString(conf, "unix_sock_group", &cfg->unixSockGroup) < 0 ||
        getPerms(conf, "unix_sock_rw_perms", &cfg->unixSockRwPerms) < 0 ||
        getPerms(conf, "unix_sock_ro_perms", &cfg->unixSockRoPerms) < 0 ||
        getAuth(conf, "auth_unix_rw", NULL) < 0 || getAuth(conf, "auth_unix_ro", NULL) < 0 ||
        getAuth(conf, "auth_tcp", &tcpNone) < 0 || getAuth(conf, "auth_tls", NULL) < 0 ||
        vkConfGetBool(conf, "tls_no_verify_certificate", &cfg->tlsNoVerifyCertificate) < 0 ||
        getPath(conf, "key_file", &cfg->keyFile) < 0 ||
        getPath(conf, "cert_file", &cfg->certFile) < 0 ||
        getPath(conf, "ca_file", &cfg->caFile) < 0 ||
        getPath(conf, "crl_file", &cfg->crlFile) < 0 ||
        vkConfGetStringList(conf, "tls_allowed_dn_list", &cfg->tlsAllowedDNList) < 0 ||
        getPositive(conf, "max_clients", &cfg->maxClients) < 0 ||
        getPositive(conf, "max_workers", &cfg->maxWorkers) < 0 ||
        getPositive(conf, "prio_workers", &cfg->prioWorkers) < 0 ||
        getPositive(conf, "max_client_requests", &cfg->maxClientRequests) < 0 ||
        getKeepaliveInterval(conf, "keepalive_interval", &cfg->keepaliveInterval) < 0 ||
        vkConfGetUInt(conf, "keepalive_count", &cfg->keepaliveCount) < 0 ||
        getHostUUID(conf, "host_uuid", &cfg->hostUUID) < 0 ||
        vkConfGetBool(conf, "libvirt_sockets", &cfg->libvirtSockets) < 0)
        return -1;
    cfg->authTCPNone = tcpNone;
    if (cfg->listenTCP && !cfg->authTCPNone) {
        const vkConfValue *v = vkConfLookup(conf, "listen_tcp");
        vkReportError(VIR_FROM_CONF, VIR_ERR_CONF_SYNTAX,
                      "%s:%d: listen_tcp: plain TCP needs auth_tcp = \"none\" set explicitly "
                      "(libvirtd's default there is sasl, which virtkitd does not have)",
                      vkConfPath(conf), v->line);
        return -1;
    }
    return 0;
}

vkDaemonConfig *vkDaemonConfigLoad(const char *path, gboolean missingOk)
{
    g_autoptr(vkDaemonConfig) cfg = vkDaemonConfigNew();
    g_autoptr(vkConf) conf = vkConfReadFile(path, missingOk);

    if (!conf || checkKeys(conf) < 0 || applySettings(cfg, conf) < 0)
        return NULL;
    return g_steal_pointer(&cfg);
}

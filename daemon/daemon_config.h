/* virtkitd.conf: libvirtd.conf's key names and syntax for what virtkitd supports, libvirtd's
 * defaults, and strict checking (an unknown key or a bad value names the key and its line and
 * the daemon does not start). Documented in virtkitd.conf.5. */
#pragma once

#include <glib.h>
#include <sys/types.h>

typedef struct {
    gboolean listenTCP;     /* listen_tcp: 0 */
    gboolean listenTLS;     /* listen_tls: 1 (both only with -l/--listen) */
    char *tcpPort;          /* tcp_port: "16509" */
    char *tlsPort;          /* tls_port: "16514" */
    char *listenAddr;       /* listen_addr: NULL, every address */
    char *unixSockDir;      /* unix_sock_dir: NULL, the daemon's default directory */
    char *unixSockGroup;    /* unix_sock_group: NULL, the daemon's group */
    mode_t unixSockRwPerms; /* unix_sock_rw_perms: "0700" */
    mode_t unixSockRoPerms; /* unix_sock_ro_perms: "0666" */
    /* auth_unix_rw, auth_unix_ro, auth_tcp, auth_tls: only "none" exists in virtkitd; the TCP
     * listener needs auth_tcp = "none" said explicitly (libvirtd's default is sasl). */
    gboolean authTCPNone;
    gboolean tlsNoVerifyCertificate; /* tls_no_verify_certificate: 0 */
    char *keyFile;                   /* key_file: /etc/pki/libvirt/private/serverkey.pem */
    char *certFile;                  /* cert_file: /etc/pki/libvirt/servercert.pem */
    char *caFile;                    /* ca_file: /etc/pki/CA/cacert.pem */
    char *crlFile;                   /* crl_file: NULL */
    GStrv tlsAllowedDNList;          /* tls_allowed_dn_list: NULL, any verified client */
    unsigned int maxClients;         /* max_clients: 5000 */
    unsigned int maxWorkers;         /* max_workers: 20, for calls that may block */
    unsigned int prioWorkers;        /* prio_workers: 5, for the quick calls */
    unsigned int maxClientRequests;  /* max_client_requests: 5 calls in flight per client */
    int keepaliveInterval;           /* keepalive_interval: 5 seconds, -1 off */
    unsigned int keepaliveCount;     /* keepalive_count: 5 */
    char *hostUUID;                  /* host_uuid: NULL */
    gboolean libvirtSockets;         /* libvirt_sockets: 0 (also --libvirt-sockets) */
} vkDaemonConfig;

vkDaemonConfig *vkDaemonConfigNew(void);
void vkDaemonConfigFree(vkDaemonConfig *cfg);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(vkDaemonConfig, vkDaemonConfigFree)

/* Reads PATH over the defaults. A missing file is fine when MISSINGOK (the default path), an
 * error otherwise. Errors (reported, VIR_FROM_CONF) name the file, the line and the key. */
vkDaemonConfig *vkDaemonConfigLoad(const char *path, gboolean missingOk);

/* The keys virtkitd.conf may set (NULL-terminated), for the documentation's tests. */
const char *const *vkDaemonConfigKeys(void);

/* GnuTLS x509 for the wire protocol: credentials shared by many connections (a context) and
 * one non-blocking session per connection, with libvirt's checks: the server verifies client
 * certificates against its CA and an allowlist of distinguished names, the client verifies the
 * server's certificate and host name. */
#pragma once

#include <glib.h>
#include <sys/types.h>

typedef struct _vkRpcTLSContext vkRpcTLSContext;
typedef struct _vkRpcTLSSession vkRpcTLSSession;

/* Decides whether a client whose certificate has distinguished name DN may connect. */
typedef gboolean (*vkRpcTLSDNCheck)(const char *dn, gpointer opaque);

/* Server credentials. With VERIFYPEER a client must present a certificate signed by CAFILE;
 * ALLOWEDDN (NULL: anyone) lists fnmatch patterns of accepted distinguished names, as
 * libvirtd's tls_allowed_dn_list. */
vkRpcTLSContext *vkRpcTLSContextNewServer(const char *caFile, const char *certFile,
                                          const char *keyFile, gboolean verifyPeer,
                                          const char *const *allowedDN);
/* Client credentials: CAFILE to check the server; CERTFILE/KEYFILE (both or neither) for
 * servers that verify clients. Without VERIFYPEER a bad server certificate is accepted. */
vkRpcTLSContext *vkRpcTLSContextNewClient(const char *caFile, const char *certFile,
                                          const char *keyFile, gboolean verifyPeer);
/* Refuses peers whose certificate the PEM revocation list CRLFILE revokes (libvirt's
 * crl_file). */
int vkRpcTLSContextSetCRL(vkRpcTLSContext *ctx, const char *crlFile);
/* Replaces the pattern allowlist with a decision of the caller's (the daemon's hook). */
void vkRpcTLSContextSetDNCheck(vkRpcTLSContext *ctx, vkRpcTLSDNCheck check, gpointer opaque);
vkRpcTLSContext *vkRpcTLSContextRef(vkRpcTLSContext *ctx);
void vkRpcTLSContextUnref(vkRpcTLSContext *ctx);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(vkRpcTLSContext, vkRpcTLSContextUnref)

/* A session on the connected socket FD (not owned). HOSTNAME: the name the client expects in
 * the server's certificate (clients only; NULL skips the host name check). */
vkRpcTLSSession *vkRpcTLSSessionNew(vkRpcTLSContext *ctx, int fd, gboolean isServer,
                                    const char *hostname);
void vkRpcTLSSessionFree(vkRpcTLSSession *sess);

/* One step of the handshake: 0 when done, 1 to call again once the socket is ready for
 * vkRpcTLSSessionDirection(), -1 on failure (error reported). */
int vkRpcTLSSessionHandshake(vkRpcTLSSession *sess);
/* G_IO_IN or G_IO_OUT: what the blocked handshake, read or write waits for. */
int vkRpcTLSSessionDirection(vkRpcTLSSession *sess);
/* After the handshake: the peer's certificate checks (see the context constructors). */
int vkRpcTLSSessionVerify(vkRpcTLSSession *sess);
/* The peer's distinguished name once verified, or NULL. */
const char *vkRpcTLSSessionPeerDN(vkRpcTLSSession *sess);

/* Record I/O: bytes moved; 0 at the peer's end of data (reads); -1 with errno EAGAIN when the
 * socket is not ready; -1 with an error reported otherwise. A write that returned EAGAIN must
 * be repeated with the same buffer. */
ssize_t vkRpcTLSSessionRead(vkRpcTLSSession *sess, void *buf, size_t len);
ssize_t vkRpcTLSSessionWrite(vkRpcTLSSession *sess, const void *buf, size_t len);
/* Decrypted bytes waiting inside the session (poll() does not see them). */
size_t vkRpcTLSSessionPending(vkRpcTLSSession *sess);

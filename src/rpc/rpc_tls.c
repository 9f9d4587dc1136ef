/* GnuTLS x509 credentials and non-blocking sessions, with libvirt's peer checks and wording. */
#include "rpc/rpc_tls.h"

#include <errno.h>
#include <fnmatch.h>
#include <gnutls/gnutls.h>
#include <gnutls/x509.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "util/vkerror.h"

#define VIR_FROM_THIS VIR_FROM_RPC

struct _vkRpcTLSContext {
    gint refs;
    gnutls_certificate_credentials_t creds;
    gboolean isServer;
    gboolean verifyPeer;
    char **allowedDN;
    vkRpcTLSDNCheck check;
    gpointer checkData;
};

struct _vkRpcTLSSession {
    vkRpcTLSContext *ctx;
    int fd;
    gnutls_session_t session;
    gboolean isServer;
    char *hostname;
    char *peerDN;
};

static int checkReadable(const char *what, const char *file)
{
    if (access(file, R_OK) < 0) {
        vkReportSystemError(VIR_FROM_THIS, errno, "Cannot read %s '%s'", what, file);
        return -1;
    }
    return 0;
}

static vkRpcTLSContext *contextNew(gboolean isServer, const char *caFile, const char *certFile,
                                   const char *keyFile, gboolean verifyPeer)
{
    g_autoptr(vkRpcTLSContext) ctx = g_new0(vkRpcTLSContext, 1);
    int rc;

    ctx->refs = 1;
    ctx->isServer = isServer;
    ctx->verifyPeer = verifyPeer;
    if ((rc = gnutls_certificate_allocate_credentials(&ctx->creds)) < 0) {
        vkReportError(VIR_FROM_THIS, VIR_ERR_SYSTEM_ERROR,
                      "Unable to allocate x509 credentials: %s", gnutls_strerror(rc));
        return NULL;
    }
    if (caFile && *caFile) {
        if (checkReadable("CA certificate", caFile) < 0)
            return NULL;
        rc = gnutls_certificate_set_x509_trust_file(ctx->creds, caFile, GNUTLS_X509_FMT_PEM);
        if (rc < 0) {
            vkReportError(VIR_FROM_THIS, VIR_ERR_SYSTEM_ERROR,
                          "Unable to set x509 CA certificate: %s: %s", caFile, gnutls_strerror(rc));
            return NULL;
        }
    }
    if (certFile && keyFile) {
        if (checkReadable(isServer ? "server certificate" : "client certificate", certFile) < 0 ||
            checkReadable("private key", keyFile) < 0)
            return NULL;
        rc = gnutls_certificate_set_x509_key_file(ctx->creds, certFile, keyFile,
                                                  GNUTLS_X509_FMT_PEM);
        if (rc < 0) {
            vkReportError(VIR_FROM_THIS, VIR_ERR_SYSTEM_ERROR,
                          "Unable to set x509 key and certificate: %s, %s: %s", keyFile, certFile,
                          gnutls_strerror(rc));
            return NULL;
        }
    } else if (certFile || keyFile) {
        vkReportError(VIR_FROM_THIS, VIR_ERR_INVALID_ARG, "%s",
                      "a TLS certificate needs its private key and the other way round");
        return NULL;
    }
    return g_steal_pointer(&ctx);
}

vkRpcTLSContext *vkRpcTLSContextNewServer(const char *caFile, const char *certFile,
                                          const char *keyFile, gboolean verifyPeer,
                                          const char *const *allowedDN)
{
    vkRpcTLSContext *ctx;

    if (!certFile || !keyFile) {
        vkReportError(VIR_FROM_THIS, VIR_ERR_INVALID_ARG, "%s",
                      "a TLS server needs a certificate and a private key");
        return NULL;
    }
    if (!(ctx = contextNew(TRUE, caFile, certFile, keyFile, verifyPeer)))
        return NULL;
    ctx->allowedDN = g_strdupv((char **)allowedDN);
    return ctx;
}

vkRpcTLSContext *vkRpcTLSContextNewClient(const char *caFile, const char *certFile,
                                          const char *keyFile, gboolean verifyPeer)
{
    return contextNew(FALSE, caFile, certFile, keyFile, verifyPeer);
}

int vkRpcTLSContextSetCRL(vkRpcTLSContext *ctx, const char *crlFile)
{
    int rc;

    if (checkReadable("certificate revocation list", crlFile) < 0)
        return -1;
    /* gnutls checks the peer's certificate against it during verification */
    rc = gnutls_certificate_set_x509_crl_file(ctx->creds, crlFile, GNUTLS_X509_FMT_PEM);
    if (rc < 0) {
        vkReportError(VIR_FROM_THIS, VIR_ERR_SYSTEM_ERROR,
                      "Unable to set x509 certificate revocation list: %s: %s", crlFile,
                      gnutls_strerror(rc));
        return -1;
    }
    return 0;
}

void vkRpcTLSContextSetDNCheck(vkRpcTLSContext *ctx, vkRpcTLSDNCheck check, gpointer opaque)
{
    ctx->check = check;
    ctx->checkData = opaque;
}

vkRpcTLSContext *vkRpcTLSContextRef(vkRpcTLSContext *ctx)
{
    g_atomic_int_inc(&ctx->refs);
    return ctx;
}

void vkRpcTLSContextUnref(vkRpcTLSContext *ctx)
{
    if (!ctx || !g_atomic_int_dec_and_test(&ctx->refs))
        return;
    if (ctx->creds)
        gnutls_certificate_free_credentials(ctx->creds);
    g_strfreev(ctx->allowedDN);
    g_free(ctx);
}

static ssize_t tlsPush(gnutls_transport_ptr_t ptr, const void *buf, size_t len)
{
    vkRpcTLSSession *sess = ptr;
    ssize_t n = send(sess->fd, buf, len, MSG_NOSIGNAL);

    if (n < 0)
        gnutls_transport_set_errno(sess->session, errno);
    return n;
}

static ssize_t tlsPull(gnutls_transport_ptr_t ptr, void *buf, size_t len)
{
    vkRpcTLSSession *sess = ptr;
    ssize_t n = recv(sess->fd, buf, len, 0);

    if (n < 0)
        gnutls_transport_set_errno(sess->session, errno);
    return n;
}

vkRpcTLSSession *vkRpcTLSSessionNew(vkRpcTLSContext *ctx, int fd, gboolean isServer,
                                    const char *hostname)
{
    vkRpcTLSSession *sess = g_new0(vkRpcTLSSession, 1);
    int rc;

    sess->isServer = isServer;
    sess->hostname = g_strdup(hostname);
    if ((rc = gnutls_init(&sess->session,
                          (isServer ? GNUTLS_SERVER : GNUTLS_CLIENT) | GNUTLS_NONBLOCK)) < 0) {
        vkReportError(VIR_FROM_THIS, VIR_ERR_SYSTEM_ERROR, "Failed to initialize TLS session: %s",
                      gnutls_strerror(rc));
        g_free(sess->hostname);
        g_free(sess);
        return NULL;
    }
    sess->ctx = vkRpcTLSContextRef(ctx);
    if ((rc = gnutls_set_default_priority(sess->session)) < 0 ||
        (rc = gnutls_credentials_set(sess->session, GNUTLS_CRD_CERTIFICATE, ctx->creds)) < 0) {
        vkReportError(VIR_FROM_THIS, VIR_ERR_SYSTEM_ERROR, "Failed to set up TLS session: %s",
                      gnutls_strerror(rc));
        vkRpcTLSSessionFree(sess);
        return NULL;
    }
    /* Request, not require: a missing certificate is then refused by our own check, after the
     * handshake, as libvirtd does. */
    if (isServer && ctx->verifyPeer)
        gnutls_certificate_server_set_request(sess->session, GNUTLS_CERT_REQUEST);
    /* our own transport functions: a peer that hung up must not raise SIGPIPE in a library */
    sess->fd = fd;
    gnutls_transport_set_ptr(sess->session, sess);
    gnutls_transport_set_push_function(sess->session, tlsPush);
    gnutls_transport_set_pull_function(sess->session, tlsPull);
    return sess;
}

void vkRpcTLSSessionFree(vkRpcTLSSession *sess)
{
    if (!sess)
        return;
    gnutls_deinit(sess->session);
    vkRpcTLSContextUnref(sess->ctx);
    g_free(sess->hostname);
    g_free(sess->peerDN);
    g_free(sess);
}

int vkRpcTLSSessionHandshake(vkRpcTLSSession *sess)
{
    int rc = gnutls_handshake(sess->session);

    if (rc == 0)
        return 0;
    if (rc == GNUTLS_E_AGAIN || rc == GNUTLS_E_INTERRUPTED || !gnutls_error_is_fatal(rc))
        return 1;
    vkReportError(VIR_FROM_THIS, VIR_ERR_AUTH_FAILED, "TLS handshake failed %s",
                  gnutls_strerror(rc));
    return -1;
}

int vkRpcTLSSessionDirection(vkRpcTLSSession *sess)
{
    return gnutls_record_get_direction(sess->session) ? G_IO_OUT : G_IO_IN;
}

static gboolean dnAllowed(vkRpcTLSContext *ctx, const char *dn)
{
    if (ctx->check) {
        if (ctx->check(dn, ctx->checkData))
            return TRUE;
        if (vkHasError())
            return FALSE;
    } else {
        if (!ctx->allowedDN)
            return TRUE;
        for (char **p = ctx->allowedDN; *p; p++) {
            if (fnmatch(*p, dn, 0) == 0)
                return TRUE;
        }
    }
    g_debug("Failed ACL check for client DN '%s'", dn);
    vkReportError(VIR_FROM_THIS, VIR_ERR_SYSTEM_ERROR, "%s",
                  "Client's Distinguished Name is not on the list of allowed clients "
                  "(tls_allowed_dn_list).  Use 'virt-pki-query-dn clientcert.pem' to view the "
                  "Distinguished Name field in the client certificate, or run this daemon with "
                  "--verbose option.");
    return FALSE;
}

static const char *statusReason(unsigned int status)
{
    if (status & GNUTLS_CERT_REVOKED)
        return "The certificate has been revoked.";
    if (status & GNUTLS_CERT_SIGNER_NOT_FOUND)
        return "The certificate hasn't got a known issuer.";
    if (status & GNUTLS_CERT_INSECURE_ALGORITHM)
        return "The certificate uses an insecure algorithm";
    if (status & GNUTLS_CERT_EXPIRED)
        return "The certificate has expired.";
    if (status & GNUTLS_CERT_NOT_ACTIVATED)
        return "The certificate is not yet active.";
    if (status & GNUTLS_CERT_INVALID)
        return "The certificate is not trusted.";
    return "Invalid certificate";
}

/* The checks proper; reports the precise reason. */
static int verifyPeer(vkRpcTLSSession *sess)
{
    const gnutls_datum_t *certs;
    unsigned int ncerts = 0, status = 0;
    gnutls_x509_crt_t cert = NULL;
    size_t size;
    int rc;

    if (gnutls_certificate_type_get(sess->session) != GNUTLS_CRT_X509) {
        vkReportError(VIR_FROM_THIS, VIR_ERR_SYSTEM_ERROR, "%s",
                      "Only x509 certificates are supported");
        return -1;
    }
    certs = gnutls_certificate_get_peers(sess->session, &ncerts);
    if (!certs || ncerts == 0) {
        vkReportError(VIR_FROM_THIS, VIR_ERR_SYSTEM_ERROR, "%s", "The certificate has no peers");
        return -1;
    }
    if ((rc = gnutls_certificate_verify_peers2(sess->session, &status)) < 0) {
        vkReportError(VIR_FROM_THIS, VIR_ERR_SYSTEM_ERROR, "Unable to verify TLS peer: %s",
                      gnutls_strerror(rc));
        return -1;
    }
    if (status) {
        vkReportError(VIR_FROM_THIS, VIR_ERR_SYSTEM_ERROR, "Certificate failed validation: %s",
                      statusReason(status));
        return -1;
    }
    if (gnutls_x509_crt_init(&cert) < 0 ||
        gnutls_x509_crt_import(cert, &certs[0], GNUTLS_X509_FMT_DER) < 0) {
        if (cert)
            gnutls_x509_crt_deinit(cert);
        vkReportError(VIR_FROM_THIS, VIR_ERR_SYSTEM_ERROR, "%s", "Unable to load certificate");
        return -1;
    }
    /* the DN in the spelling libvirtd matches tls_allowed_dn_list against */
    size = 0;
    rc = gnutls_x509_crt_get_dn(cert, NULL, &size);
    if (rc == GNUTLS_E_SHORT_MEMORY_BUFFER) {
        g_free(sess->peerDN);
        sess->peerDN = g_malloc0(size + 1);
        rc = gnutls_x509_crt_get_dn(cert, sess->peerDN, &size);
    }
    if (rc != 0) {
        gnutls_x509_crt_deinit(cert);
        vkReportError(VIR_FROM_THIS, VIR_ERR_SYSTEM_ERROR,
                      "Failed to get certificate [session] distinguished name: %s",
                      gnutls_strerror(rc));
        return -1;
    }
    if (!sess->isServer && sess->hostname &&
        !gnutls_x509_crt_check_hostname(cert, sess->hostname)) {
        gnutls_x509_crt_deinit(cert);
        vkReportError(VIR_FROM_THIS, VIR_ERR_RPC,
                      "Certificate [session] owner does not match the hostname %s", sess->hostname);
        return -1;
    }
    gnutls_x509_crt_deinit(cert);
    if (sess->isServer && !dnAllowed(sess->ctx, sess->peerDN ? sess->peerDN : ""))
        return -1;
    return 0;
}

int vkRpcTLSSessionVerify(vkRpcTLSSession *sess)
{
    if (verifyPeer(sess) == 0)
        return 0;
    g_debug("TLS certificate check failed: %s", virGetLastErrorMessage());
    if (!sess->ctx->verifyPeer) {
        vkResetLastError();
        return 0;
    }
    /* libvirt's wording: the precise reason goes to the debug log only */
    vkReportError(VIR_FROM_THIS, VIR_ERR_AUTH_FAILED, "%s", "Failed to verify peer's certificate");
    return -1;
}

const char *vkRpcTLSSessionPeerDN(vkRpcTLSSession *sess)
{
    return sess->peerDN;
}

static ssize_t ioResult(ssize_t rc, gboolean reading)
{
    if (rc >= 0)
        return rc;
    if (rc == GNUTLS_E_AGAIN || rc == GNUTLS_E_INTERRUPTED) {
        errno = EAGAIN;
        return -1;
    }
    /* a peer that closes without a TLS goodbye has still ended the stream */
    if (reading && rc == GNUTLS_E_PREMATURE_TERMINATION)
        return 0;
    vkReportError(VIR_FROM_THIS, VIR_ERR_GNUTLS_ERROR, "Cannot %s data: %s",
                  reading ? "recv" : "send", gnutls_strerror((int)rc));
    errno = EIO;
    return -1;
}

ssize_t vkRpcTLSSessionRead(vkRpcTLSSession *sess, void *buf, size_t len)
{
    return ioResult(gnutls_record_recv(sess->session, buf, len), TRUE);
}

ssize_t vkRpcTLSSessionWrite(vkRpcTLSSession *sess, const void *buf, size_t len)
{
    return ioResult(gnutls_record_send(sess->session, buf, len), FALSE);
}

size_t vkRpcTLSSessionPending(vkRpcTLSSession *sess)
{
    return gnutls_record_check_pending(sess->session);
}

/* Connecting, listening and accepting for the wire protocol; peer credentials. */
#include "rpc/rpc_socket.h"

#include <errno.h>
#include <fcntl.h>
#include <glib-unix.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "util/vkerror.h"

#define VIR_FROM_THIS VIR_FROM_RPC

static int unixAddr(const char *path, struct sockaddr_un *sun, socklen_t *len)
{
    memset(sun, 0, sizeof(*sun));
    sun->sun_family = AF_UNIX;
    if (strlen(path) >= sizeof(sun->sun_path)) {
        vkReportError(VIR_FROM_THIS, VIR_ERR_INTERNAL_ERROR, "Path %s too long for unix socket",
                      path);
        return -1;
    }
    strcpy(sun->sun_path, path);
    *len = sizeof(*sun);
    return 0;
}

int vkRpcSocketConnectUnix(const char *path)
{
    struct sockaddr_un sun;
    socklen_t len;
    int fd;

    if (unixAddr(path, &sun, &len) < 0)
        return -1;
    if ((fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0)) < 0) {
        vkReportSystemError(VIR_FROM_THIS, errno, "%s", "Failed to create socket");
        return -1;
    }
    if (connect(fd, (struct sockaddr *)&sun, len) < 0) {
        vkReportSystemError(VIR_FROM_THIS, errno, "Failed to connect socket to '%s'", path);
        close(fd);
        return -1;
    }
    g_unix_set_fd_nonblocking(fd, TRUE, NULL);
    return fd;
}

int vkRpcSocketConnectTCP(const char *host, const char *service)
{
    struct addrinfo hints = { .ai_socktype = SOCK_STREAM, .ai_flags = AI_ADDRCONFIG };
    struct addrinfo *ai = NULL;
    int savedErrno = ECONNREFUSED;
    int rc;

    if ((rc = getaddrinfo(host, service, &hints, &ai)) != 0) {
        vkReportError(VIR_FROM_THIS, VIR_ERR_SYSTEM_ERROR,
                      "Unable to resolve address '%s' service '%s': %s", host, service,
                      gai_strerror(rc));
        return -1;
    }
    for (struct addrinfo *a = ai; a; a = a->ai_next) {
        int fd = socket(a->ai_family, a->ai_socktype | SOCK_CLOEXEC, a->ai_protocol);
        int one = 1;

        if (fd < 0) {
            savedErrno = errno;
            continue;
        }
        setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
        if (connect(fd, a->ai_addr, a->ai_addrlen) == 0) {
            freeaddrinfo(ai);
            g_unix_set_fd_nonblocking(fd, TRUE, NULL);
            return fd;
        }
        savedErrno = errno;
        close(fd);
    }
    freeaddrinfo(ai);
    vkReportSystemError(VIR_FROM_THIS, savedErrno, "unable to connect to server at '%s:%s'", host,
                        service);
    return -1;
}

/* TRUE if something accepts connections on PATH. */
static gboolean unixSocketAlive(const struct sockaddr_un *sun, socklen_t len)
{
    int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    gboolean alive;

    if (fd < 0)
        return FALSE;
    alive = connect(fd, (const struct sockaddr *)sun, len) == 0;
    close(fd);
    return alive;
}

int vkRpcSocketListenUnix(const char *path, mode_t mode)
{
    struct sockaddr_un sun;
    struct stat st;
    socklen_t len;
    int fd;

    if (unixAddr(path, &sun, &len) < 0)
        return -1;
    if (unixSocketAlive(&sun, len)) {
        vkReportError(VIR_FROM_THIS, VIR_ERR_OPERATION_INVALID,
                      "another process already listens on '%s'", path);
        return -1;
    }
    if ((fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0)) < 0) {
        vkReportSystemError(VIR_FROM_THIS, errno, "%s", "Failed to create socket");
        return -1;
    }
    if (lstat(path, &st) == 0 && !S_ISSOCK(st.st_mode)) {
        vkReportError(VIR_FROM_THIS, VIR_ERR_OPERATION_INVALID, "'%s' exists and is not a socket",
                      path);
        close(fd);
        return -1;
    }
    if (unlink(path) < 0 && errno != ENOENT) {
        vkReportSystemError(VIR_FROM_THIS, errno, "Failed to remove stale socket '%s'", path);
        close(fd);
        return -1;
    }
    if (bind(fd, (struct sockaddr *)&sun, len) < 0) {
        vkReportSystemError(VIR_FROM_THIS, errno, "Failed to bind socket to '%s'", path);
        close(fd);
        return -1;
    }
    if (mode && chmod(path, mode) < 0) {
        vkReportSystemError(VIR_FROM_THIS, errno, "Failed to change permissions of '%s'", path);
        unlink(path);
        close(fd);
        return -1;
    }
    if (listen(fd, 64) < 0) {
        vkReportSystemError(VIR_FROM_THIS, errno, "%s", "Unable to listen on socket");
        unlink(path);
        close(fd);
        return -1;
    }
    g_unix_set_fd_nonblocking(fd, TRUE, NULL);
    return fd;
}

int vkRpcSocketListenTCP(const char *addr, const char *service, int **fds)
{
    struct addrinfo hints = {
        .ai_socktype = SOCK_STREAM,
        .ai_flags = AI_PASSIVE | AI_ADDRCONFIG,
    };
    struct addrinfo *ai = NULL;
    g_autoptr(GArray) out = g_array_new(FALSE, FALSE, sizeof(int));
    int bindErrno = 0;
    int rc;

    if ((rc = getaddrinfo(addr, service, &hints, &ai)) != 0) {
        vkReportError(VIR_FROM_THIS, VIR_ERR_SYSTEM_ERROR,
                      "Unable to resolve address '%s' service '%s': %s", addr ? addr : "*", service,
                      gai_strerror(rc));
        return -1;
    }
    for (struct addrinfo *a = ai; a; a = a->ai_next) {
        int fd = socket(a->ai_family, a->ai_socktype | SOCK_CLOEXEC, a->ai_protocol);
        int one = 1;

        if (fd < 0)
            continue;
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
        if (a->ai_family == AF_INET6)
            setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof(one));
        if (bind(fd, a->ai_addr, a->ai_addrlen) < 0 || listen(fd, 64) < 0) {
            bindErrno = errno;
            close(fd);
            continue;
        }
        g_unix_set_fd_nonblocking(fd, TRUE, NULL);
        g_array_append_val(out, fd);
    }
    freeaddrinfo(ai);
    if (out->len == 0) {
        if (bindErrno)
            vkReportSystemError(VIR_FROM_THIS, bindErrno, "%s", "Unable to bind to port");
        else
            vkReportError(VIR_FROM_THIS, VIR_ERR_INTERNAL_ERROR, "%s", "No addresses to bind to");
        return -1;
    }
    rc = out->len;
    *fds = (int *)g_array_free(g_steal_pointer(&out), FALSE);
    return rc;
}

int vkRpcSocketAccept(int listenFd)
{
    int fd = accept4(listenFd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);

    if (fd >= 0)
        return fd;
    /* a client that gave up before we got to it is no error of ours */
    if (errno == EAGAIN || errno == EWOULDBLOCK || errno == ECONNABORTED || errno == EINTR)
        return -2;
    vkReportSystemError(VIR_FROM_THIS, errno, "%s", "Unable to accept client");
    return -1;
}

int vkRpcSocketPeerCred(int fd, vkRpcPeerCred *cred)
{
    struct ucred uc;
    socklen_t len = sizeof(uc);

    if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &uc, &len) < 0) {
        vkReportSystemError(VIR_FROM_THIS, errno, "%s", "Failed to get client socket identity");
        return -1;
    }
    cred->uid = uc.uid;
    cred->gid = uc.gid;
    cred->pid = uc.pid;
    return 0;
}

gboolean vkRpcSocketIsUnix(int fd)
{
    struct sockaddr_storage ss;
    socklen_t len = sizeof(ss);

    if (getsockname(fd, (struct sockaddr *)&ss, &len) < 0)
        return FALSE;
    return ss.ss_family == AF_UNIX;
}

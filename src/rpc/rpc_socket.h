/* Sockets for the wire protocol: connecting (unix, TCP), listening, accepting, and the unix
 * peer's credentials. Every descriptor returned is non-blocking and close-on-exec; failures
 * report a VIR_FROM_RPC error naming the path or address. */
#pragma once

#include <glib.h>
#include <sys/types.h>

int vkRpcSocketConnectUnix(const char *path);
/* Tries every address HOST resolves to, in order. */
int vkRpcSocketConnectTCP(const char *host, const char *service);

/* Binds PATH with permissions MODE (0 keeps the umask's). A socket file nobody answers on is
 * replaced; a live one, or a file that is no socket, is refused with
 * VIR_ERR_OPERATION_INVALID. */
int vkRpcSocketListenUnix(const char *path, mode_t mode);
/* Binds every address ADDR (NULL: all) resolves to, IPv6 sockets v6-only. Returns the number
 * of descriptors stored in *fds (g_free it), or -1. */
int vkRpcSocketListenTCP(const char *addr, const char *service, int **fds);
/* A connection waiting on a listening socket: its descriptor, -2 when none is waiting,
 * or -1 on error. */
int vkRpcSocketAccept(int listenFd);

typedef struct {
    uid_t uid;
    gid_t gid;
    pid_t pid;
} vkRpcPeerCred;

/* The credentials of the process at the other end of a unix socket (SO_PEERCRED). */
int vkRpcSocketPeerCred(int fd, vkRpcPeerCred *cred);
/* TRUE for AF_UNIX sockets. */
gboolean vkRpcSocketIsUnix(int fd);

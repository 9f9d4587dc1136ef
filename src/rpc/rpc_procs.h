/* The procedure table shared by the daemon and the remote driver: for every procedure of a
 * program, its name, the XDR codecs of its bodies and what the server may allow. */
#pragma once

#include <glib.h>

#include "rpc/rpc_xdr.h"

typedef enum {
    /* Allowed on a read-only connection: never changes anything. */
    VK_RPC_PROC_READONLY = 1 << 0,
    /* Allowed before the client has authenticated (the AUTH_* calls). */
    VK_RPC_PROC_NOAUTH = 1 << 1,
    /* May block for long (starts qemu, waits for a guest, probes the host): the server runs
     * it on a worker thread rather than in its main loop. */
    VK_RPC_PROC_LONG = 1 << 2,
    /* Sent by the server as a MESSAGE frame (an event); never called. */
    VK_RPC_PROC_EVENT = 1 << 3,
    /* Its successful reply opens a stream on the call's serial (console bytes both ways, a
     * volume's data one way). */
    VK_RPC_PROC_STREAM = 1 << 4,
} vkRpcProcFlags;

typedef struct {
    int proc;
    const char *name; /* the enum name without its prefix: "DOMAIN_LOOKUP_BY_NAME" */
    /* Body of the first frame: the CALL's arguments, or an event's MESSAGE. */
    xdrproc_t args;
    size_t argsSize;
    /* Body of a successful REPLY. NULL and 0 stand for an empty body (no arguments, nothing
     * returned, events). */
    xdrproc_t ret;
    size_t retSize;
    unsigned int flags; /* vkRpcProcFlags */
} vkRpcProc;

typedef struct {
    guint32 prog;
    guint32 vers;
    const char *name;
    const vkRpcProc *procs; /* sorted by number, unique */
    size_t nprocs;
} vkRpcProgram;

extern const vkRpcProgram vkRpcRemoteProgram;
extern const vkRpcProgram vkRpcQemuProgram;

/* The row of PROC in PROGRAM, or NULL if we do not know it. */
const vkRpcProc *vkRpcProgramLookup(const vkRpcProgram *program, int proc);

/* The program with number PROG and version VERS among ours (REMOTE, QEMU), or NULL.
 * KEEPALIVE has no table: its frames are empty and handled by rpc_keepalive. */
const vkRpcProgram *vkRpcProgramFind(guint32 prog, guint32 vers);

/* virtkitd's dispatch table: for each procedure it serves, the handler that calls the public
 * API on the client's connection, where it runs, and, for calls that change something, the
 * public function libvirt names when it refuses them on a read-only connection. A procedure of
 * src/rpc's table without a row here is answered as libvirt answers an unknown one. */
#pragma once

#include <glib.h>

#include "datatypes.h"
#include "rpc/rpc_procs.h"

typedef struct _vkDaemonClient vkDaemonClient;
typedef struct _vkDaemonCall vkDaemonCall;

/* Fills RET (zeroed, the row's ret type) from ARGS (decoded) and returns 0, or returns -1 with
 * the thread's last error set: that error is what the client receives. */
typedef int (*vkDaemonHandler)(vkDaemonCall *call, void *args, void *ret);

typedef enum {
    /* Quick driver calls (lookups, reads of state files): on the priority workers, so that a
     * call held up by a slow guest never stalls the main loop. */
    VK_DAEMON_RUN_PRIO = 0,
    /* Never blocks (connection state, constants, event registrations): in the main loop. */
    VK_DAEMON_RUN_INLINE,
    /* Reads that usually need no wait (a lookup, the XML of a shut off domain): tried in the
     * main loop, sparing the two thread switches of a worker, which cost more than the call;
     * a driver that would have to wait defers it (vkquickcall.h) to the priority workers. */
    VK_DAEMON_RUN_QUICK,
    /* May block for long (starts qemu, probes the host): on the workers (max_workers). Rows
     * src/rpc flags VK_RPC_PROC_LONG run there whatever their row says. */
    VK_DAEMON_RUN_LONG,
} vkDaemonRunClass;

typedef enum {
    /* Nothing else from the client is read until this call is answered (CONNECT_OPEN: later
     * calls need the connection it opens; CONNECT_CLOSE). */
    VK_DAEMON_PROC_EXCLUSIVE = 1 << 0,
} vkDaemonProcFlags;

typedef struct {
    int proc;
    vkDaemonHandler handler;
    vkDaemonRunClass run;
    unsigned int flags; /* vkDaemonProcFlags */
    /* For the procedures src/rpc does not mark read-only: the public function whose name the
     * refusal carries ("read only access prevents virDomainSuspend") and its error domain. */
    const char *api;
    int errDomain;
} vkDaemonProc;

/* A call being served. Handlers may set the fields below the line. */
struct _vkDaemonCall {
    vkDaemonClient *client; /* holds a reference */
    vkrpc_header header;
    const vkRpcProgram *program;
    const vkRpcProc *rpc;
    const vkDaemonProc *proc;
    void *args;
    void *ret;

    /* Runs right after the successful reply went into the client's queue (in the thread that
     * served the call): a stream starts flowing, a closing client is let go. */
    void (*afterReply)(vkDaemonCall *call);
    gpointer afterData;
    GDestroyNotify afterDataFree;
};

/* Serves CALL and sends its reply; any thread. Frees CALL. */
void vkDaemonCallRun(vkDaemonCall *call);

/* The row for PROC of PROGRAM, or NULL when virtkitd does not serve it. */
const vkDaemonProc *vkDaemonProcLookup(const vkRpcProgram *program, int proc);

/* The families' rows (daemon_dispatch_*.c), each array ending with a zero row. */
extern const vkDaemonProc vkDaemonConnectProcs[];
extern const vkDaemonProc vkDaemonDomainProcs[];
extern const vkDaemonProc vkDaemonNetworkProcs[];
extern const vkDaemonProc vkDaemonStorageProcs[];
extern const vkDaemonProc vkDaemonEventProcs[];
extern const vkDaemonProc vkDaemonStreamProcs[];
extern const vkDaemonProc vkDaemonVolumeStreamProcs[];
extern const vkDaemonProc vkDaemonMigrateProcs[];

/* ---- for handlers ---- */

/* The client's connection (a new reference), or NULL with libvirt's "hypervisor connection
 * not open" when the client has not opened one. */
virConnectPtr vkDaemonCallConn(vkDaemonCall *call);

/* Handles from their wire form, without a lookup (the driver finds the object by name and
 * uuid on every call, as libvirt's daemon does), and back. */
virDomainPtr vkDaemonDomainFromWire(virConnectPtr conn, const vkr_nonnull_domain *wire);
void vkDaemonDomainToWire(virDomainPtr dom, vkr_nonnull_domain *wire);
virNetworkPtr vkDaemonNetworkFromWire(virConnectPtr conn, const vkr_nonnull_network *wire);
void vkDaemonNetworkToWire(virNetworkPtr net, vkr_nonnull_network *wire);
virStoragePoolPtr vkDaemonPoolFromWire(virConnectPtr conn, const vkr_nonnull_storage_pool *wire);
void vkDaemonPoolToWire(virStoragePoolPtr pool, vkr_nonnull_storage_pool *wire);
virStorageVolPtr vkDaemonVolFromWire(virConnectPtr conn, const vkr_nonnull_storage_vol *wire);
void vkDaemonVolToWire(virStorageVolPtr vol, vkr_nonnull_storage_vol *wire);

/* A copy that XDR's free releases. */
char *vkDaemonStrdup(const char *s);

/* Releasing handles in handlers without touching the thread's error (the public Free calls
 * reset it, and the error must survive until the reply is encoded). */
G_DEFINE_AUTOPTR_CLEANUP_FUNC(virConnect, vkConnectUnref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC(virDomain, vkDomainUnref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC(virNetwork, vkNetworkUnref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC(virStoragePool, vkStoragePoolUnref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC(virStorageVol, vkStorageVolUnref)

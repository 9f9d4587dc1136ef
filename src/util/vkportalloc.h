/* TCP ports for guest servers (VNC, SPICE, websockets) handed out from a range, checked free on
 * the host and reserved in a file that every process using the same directory shares. */
#pragma once

#include <glib.h>

/* One range of ports ("display", "websocket") over a reservation store, DIR/reservations,
 * guarded by the lock file DIR/reservations.lock for each whole read-check-write, so two
 * processes acquiring at the same moment never get the same port.
 *
 * All allocators on one DIR share the store: a port reserved through one range is taken for
 * every other, because the ranges overlap (websocket ports 5700-65535 contain the display
 * range). Each reservation records its range's name and its owner (a guest's name), and the
 * release calls only touch reservations of their own range.
 *
 * The allocator holds no state in memory besides its parameters, so one instance may be used
 * from several threads; the lock file serialises them as it serialises processes. */
typedef struct _vkPortAllocator vkPortAllocator;

/* NAME (letters, digits, '_', '-') names the range in reservations and messages. DIR is
 * created if missing; it should hold nothing else. Errors are reported with ERRDOMAIN: a bad
 * name, a range that is empty or leaves 1-65535, a directory that cannot be created. */
vkPortAllocator *vkPortAllocatorNew(const char *name, const char *dir, unsigned int start,
                                    unsigned int end, int errDomain);
void vkPortAllocatorFree(vkPortAllocator *pa);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(vkPortAllocator, vkPortAllocatorFree)

/* In the calls below, OWNER is the guest a port is for: non-empty, without a newline. ADDRESS
 * is where its server will listen, for the check that a port is free right now: a port is in
 * use if binding it there (with SO_REUSEADDR, as qemu binds) fails with EADDRINUSE. NULL, "",
 * a wildcard address (0.0.0.0, ::) and anything that is not a numeric IP address (a host name)
 * are checked on the wildcard addresses of both IPv4 and IPv6, which conflict with a listener
 * on any address; a numeric address is checked on that address alone. */

/* Reserves for OWNER the lowest port of the range that is neither reserved (by anyone, in any
 * range) nor in use on ADDRESS, and sets *PORT to it. Fails, with *PORT 0, when the range is
 * exhausted or the check itself fails (an address not on this host). */
int vkPortAllocatorAcquire(vkPortAllocator *pa, const char *address, const char *owner,
                           unsigned int *port);

/* Reserves PORT, a port the user chose, for OWNER; it need not lie in the range. Fails, naming
 * the port, when another owner or range holds it or it is in use on ADDRESS. A port OWNER
 * already holds in this range succeeds without the check, because OWNER's server may be
 * listening on it (a driver re-reserving the ports of a running guest). */
int vkPortAllocatorReserve(vkPortAllocator *pa, const char *address, const char *owner,
                           unsigned int port);

/* Drops OWNER's reservation of PORT in this range. A port that is not reserved, or is reserved
 * by someone else or in another range, is left as it is; that is no error, so cleanup paths
 * may release whatever they might have reserved. PORT 0 means none. */
int vkPortAllocatorRelease(vkPortAllocator *pa, const char *owner, unsigned int port);

/* Drops every reservation OWNER holds in this range: the guest stopped or its qemu died. */
int vkPortAllocatorReleaseOwner(vkPortAllocator *pa, const char *owner);

/* Asked for each reservation of the range: FALSE drops it. */
typedef gboolean (*vkPortAllocatorStillOwnsFunc)(const char *owner, unsigned int port,
                                                 void *opaque);

/* Drops the reservations of this range whose owner no longer holds them according to
 * STILLOWNS, e.g. owners that are not running any more, and sets *DROPPED (if not NULL) to how
 * many went. STILLOWNS runs with the store locked: it must not call into any allocator on the
 * same directory, which would wait for that lock forever. */
int vkPortAllocatorReleaseIf(vkPortAllocator *pa, vkPortAllocatorStillOwnsFunc stillOwns,
                             void *opaque, unsigned int *dropped);

/* Several of the calls above as one step: the store is locked and read once, the calls see
 * each other's changes, and the file is written once, at the commit; freeing a transaction
 * that was not committed leaves the store as it was, so a failure half way reserves nothing.
 * Every allocator used with a transaction must share the directory of the one that began it.
 * While a transaction is open, the calls above on the same directory wait for it (also in
 * the same thread: do not mix them). */
typedef struct _vkPortTransaction vkPortTransaction;

/* Locks and reads the store of PA's directory. */
vkPortTransaction *vkPortTransactionBegin(vkPortAllocator *pa);
/* Unlocks the store, discarding what was not committed. */
void vkPortTransactionFree(vkPortTransaction *txn);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(vkPortTransaction, vkPortTransactionFree)

/* As vkPortAllocatorAcquire, vkPortAllocatorReserve, vkPortAllocatorReleaseIf and
 * vkPortAllocatorReleaseOwner. */
int vkPortTransactionAcquire(vkPortTransaction *txn, vkPortAllocator *pa, const char *address,
                             const char *owner, unsigned int *port);
int vkPortTransactionReserve(vkPortTransaction *txn, vkPortAllocator *pa, const char *address,
                             const char *owner, unsigned int port);
int vkPortTransactionReleaseIf(vkPortTransaction *txn, vkPortAllocator *pa,
                               vkPortAllocatorStillOwnsFunc stillOwns, void *opaque);
int vkPortTransactionReleaseOwner(vkPortTransaction *txn, vkPortAllocator *pa, const char *owner);
/* Writes what changed; the store stays locked until the transaction is freed. */
int vkPortTransactionCommit(vkPortTransaction *txn);

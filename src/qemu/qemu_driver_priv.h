/* Internals of the qemu driver: its per-connection state, a domain as its files describe it,
 * and the resolution of runtime facts at start. */
#pragma once

#include "qemu/qemu_tpm.h"
#include <glib.h>

#include "conf/domain_conf.h"
#include "driver.h"
#include "network/network_driver.h"
#include "qemu/qemu_conf.h"
#include "qemu/qemu_process.h"
#include "util/vkerror.h"
#include "util/vkfile.h"
#include "util/vkobjstore.h"
#include "util/vkpaths.h"
#include "util/vkportalloc.h"

#define VK_QEMU_ERR VIR_FROM_QEMU

/* One per connection. Everything lasting is on disk under the root, so any number of these,
 * in any number of processes, see the same domains. */
typedef struct {
    vkDriverPaths *paths;         /* etc: configs; run: status, monitors, locks; log; cache */
    vkQEMUProcessPaths procPaths; /* borrowed from paths */
    char *autostartDir;           /* etc/autostart */
    char *lockDir;                /* run/driver: the driver-wide locks and the id counter */
    char *portDir;                /* run/ports: graphics port reservations */
    vkObjStore *store;            /* configs, status files, autostart marks, domain locks */
    virConnectPtr conn;           /* for the network driver's state; not referenced; may be NULL */
    GMutex lock;                  /* guards the lazily made members below */
    vkQEMUConfig *config;
    struct _vkObjectEventState *events; /* event callbacks, watched by qemu_events.c */
    GHashTable *silent;                 /* name -> guest whose qemu left a look unanswered lately */
    /* The domains with a reason file in run (name -> its reason + 1, 0 while unread), as one
     * readdir found them when the index stood at REASONSMARK: a reason file is written only
     * while its domain's status is in the index and removed only after its config left it,
     * so while the index stays at that mark, a shut off domain's file is as found. */
    GHashTable *reasons;
    vkObjIndexMark reasonsMark;
} vkQemuDriverState;

/* A state over PATHS (taken), for CONN (NULL: for work of the driver's own, such as the event
 * watcher's, which outlives no connection it serves but has none of its own). */
vkQemuDriverState *vkQemuDriverStateNew(vkDriverPaths *paths, virConnectPtr conn);
void vkQemuDriverStateFree(vkQemuDriverState *state);

/* A domain as its files say: the persistent config (NULL for a transient domain), the live
 * status (NULL while shut off), the autostart mark and the reason it last stopped. */
typedef struct {
    char *name;
    vkDomainDef *config;
    vkQEMUDomainStatus *status;
    gboolean autostart;
    int shutoffReason;      /* virDomainShutoffReason, while shut off */
    gboolean portsReleased; /* its graphics ports went back while its qemu exited */
} vkQemuDomainObj;

void vkQemuDomainObjFree(vkQemuDomainObj *obj);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(vkQemuDomainObj, vkQemuDomainObjFree)

/* The definition in force: the live one while running, else the persistent one. */
const vkDomainDef *vkQemuDomainObjDef(const vkQemuDomainObj *obj);
gboolean vkQemuDomainObjIsActive(const vkQemuDomainObj *obj);
/* virDomainState and its reason. */
int vkQemuDomainObjGetState(const vkQemuDomainObj *obj, int *reason);
/* Whether NAME's domain, with UUID, is shut off as the index tells, without parsing its config
 * (then *REASON is set); FALSE: read the domain to know. */
gboolean vkQemuDomainObjQuickShutoff(vkQemuDriverState *state, const char *name,
                                     const unsigned char *uuid, int *reason);

/* ---- on disk (qemu_domainobj.c) ---- */

/* How the object store reads and names a domain's files. */
extern const vkObjStoreClass vkQemuDomainStoreClass;

/* Reads NAME's files as they are. Returns 1 with *OBJ set, 0 when NAME has neither config nor
 * status, -1 when a file is unreadable or corrupt (reported with its path). */
int vkQemuDomainObjRead(vkQemuDriverState *state, const char *name, vkQemuDomainObj **obj);
/* The domains of NAMES (NULL-terminated) that exist, in that order; corrupt ones are warned
 * about and skipped. For the few candidates the index names. */
GPtrArray *vkQemuDomainObjReadNames(vkQemuDriverState *state, const char *const *names);
/* The index key (vkObjStoreFindKey) of the running guest with id ID. */
char *vkQemuDomainIDKey(int id);

/* Brings OBJ's status up to date with its qemu: a qemu that died is cleaned up after (run
 * files, taps, ports) and OBJ becomes shut off with the reason. With LOCKED FALSE the caller
 * does not hold the domain's lock: the refresh happens only if the lock is free at once,
 * otherwise OBJ is left as the files say (its owner is busy with it). */
int vkQemuDomainObjRefresh(vkQemuDriverState *state, vkQemuDomainObj *obj, gboolean locked);

int vkQemuDomainConfigSave(vkQemuDriverState *state, const vkDomainDef *def);
/* Removes the config, the autostart mark and the recorded shutoff reason. */
int vkQemuDomainConfigDelete(vkQemuDriverState *state, const char *name);
int vkQemuDomainAutostartSet(vkQemuDriverState *state, const char *name, gboolean on);
/* Bookkeeping after OBJ's qemu stopped (its reason file is written by then): its ports go
 * back, and a transient domain leaves nothing behind. */
int vkQemuDomainStopped(vkQemuDriverState *state, vkQemuDomainObj *obj, int reason);

/* The lock that serialises every lifecycle call on one domain, across processes. */
vkFileLock *vkQemuDomainLock(vkQemuDriverState *state, const char *name);
/* Makes "are this name and uuid free?" and "take them" one step. Taken before any domain's
 * lock, never while holding one. */
vkFileLock *vkQemuDriverLock(vkQemuDriverState *state);
/* The next domain id (1, 2, ...), counted across processes; never 0 or negative. */
int vkQemuNextDomainID(vkQemuDriverState *state, int *id);

/* The driver's configuration (ROOT/etc/qemu/qemu.conf), loaded on first use. */
const vkQEMUConfig *vkQemuDriverConfig(vkQemuDriverState *state);

/* ---- starting (qemu_runtime.c) ---- */

/* Resolves what DEF needs from the host before qemu runs: the emulator and its capabilities,
 * the accelerator, the bridges of network interfaces and the graphics listen addresses (a
 * network listen asks the network driver) and ports (reserved for DEF's name). On failure
 * nothing stays reserved. */
int vkQemuRuntimeResolve(vkQemuDriverState *state, vkDomainDef *def, vkQEMURuntime **rt,
                         vkQEMUCaps **caps);
/* Gives back the graphics ports reserved for NAME. LIVE, when known, is the definition it ran
 * with: without graphics devices it held no port, and the store is left alone. */
void vkQemuRuntimeRelease(vkQemuDriverState *state, const char *name, const vkDomainDef *live);

/* ---- starting (qemu_driver.c) and autostart (qemu_autostart.c) ---- */

/* Starts the guest CONFIG describes; the caller holds its lock and knows it is shut off.
 * FLAGS: VIR_DOMAIN_START_PAUSED. Sets *ID (if not NULL) to the id the running guest got. */
/* Where the guests' swtpm keep their state, sockets and logs. */
void vkQemuDriverTPMPaths(const vkQemuDriverState *state, vkQemuTPMPaths *paths);

int vkQemuDomainStart(vkQemuDriverState *state, const vkDomainDef *config, unsigned int flags,
                      int *id);

/* Where the qemu of an incoming migration of DEF is to listen ("tcp:ADDR:PORT", allocated), or
 * NULL (reported); asked once DEF's graphics are resolved and before qemu starts. */
typedef char *(*vkQemuIncomingFunc)(vkQemuDriverState *state, const vkDomainDef *def, void *opaque);

/* As vkQemuDomainStart, for a guest that waits, paused (reason migration), for a migration's
 * data where INCOMING says. */
int vkQemuDomainStartIncoming(vkQemuDriverState *state, const vkDomainDef *def,
                              vkQemuIncomingFunc incoming, void *opaque, int *id);

/* ---- what the migration steps share with the rest of the driver (qemu_driver.c) ---- */

vkQemuDriverState *vkQemuDriverStateOf(virConnectPtr conn);
/* The domain of DOM (or NAME), refreshed: the caller holds its lock. */
vkQemuDomainObj *vkQemuDomainObjByHandle(virDomainPtr dom);
vkQemuDomainObj *vkQemuDomainObjByName(vkQemuDriverState *state, const char *name);
/* Its running qemu with the monitor connected, or NULL ("domain is not running"). */
vkQEMUProcess *vkQemuDomainActiveProcess(vkQemuDriverState *state, vkQemuDomainObj *obj,
                                         virDomainPtr dom);
/* Stops PROC as destroy does, with REASON, and does the bookkeeping. */
int vkQemuDomainStopProcess(vkQemuDriverState *state, vkQemuDomainObj *obj, virDomainPtr dom,
                            vkQEMUProcess *proc, int reason);
/* The post-parse of a definition being defined or created (emulator, machine, defaults). */
int vkQemuDomainDefPrepare(vkQemuDriverState *state, vkDomainDef *def);
/* libvirt's name and uuid rules against the domains on disk; the driver lock is held. */
int vkQemuDomainCheckUnique(vkQemuDriverState *state, const vkDomainDef *def, gboolean checkLive);

/* ---- migration (qemu_migration.c): the driver's migration entries ---- */

char *vkQemuMigrationBegin(virDomainPtr dom, const vkMigrateParams *params, char **cookieout,
                           int *cookieoutlen, unsigned int flags);
int vkQemuMigrationPrepare(virConnectPtr dconn, const vkMigrateParams *params, const char *cookiein,
                           int cookieinlen, char **cookieout, int *cookieoutlen, char **uriOut,
                           unsigned int flags);
int vkQemuMigrationPerform(virDomainPtr dom, const char *dconnuri, const vkMigrateParams *params,
                           const char *cookiein, int cookieinlen, char **cookieout,
                           int *cookieoutlen, unsigned int flags);
virDomainPtr vkQemuMigrationFinish(virConnectPtr dconn, const vkMigrateParams *params,
                                   const char *cookiein, int cookieinlen, char **cookieout,
                                   int *cookieoutlen, unsigned int flags, int cancelled);
int vkQemuMigrationConfirm(virDomainPtr dom, const vkMigrateParams *params, const char *cookiein,
                           int cookieinlen, unsigned int flags, int cancelled);

/* ---- events (qemu_events.c) ---- */

/* Event callbacks of a connection. While any is registered, a watcher follows the domains on
 * disk (inotify on the config and run directories), each running qemu (a pidfd, and the QMP
 * events socket when no other watcher holds it) and emits libvirt's lifecycle events for every
 * change, whichever process made it. */
int vkQemuDomainEventRegister(virConnectPtr conn, virConnectDomainEventCallback cb, void *opaque,
                              virFreeCallback freecb);
int vkQemuDomainEventDeregister(virConnectPtr conn, virConnectDomainEventCallback cb);
int vkQemuDomainEventRegisterAny(virConnectPtr conn, virDomainPtr dom, int eventID,
                                 virConnectDomainEventGenericCallback cb, void *opaque,
                                 virFreeCallback freecb);
int vkQemuDomainEventDeregisterAny(virConnectPtr conn, int callbackID);

/* Starts the persistent guests marked for autostart that are shut off, once per host boot:
 * the first open after a boot does it, every later one costs two small reads. A guest that
 * cannot start is a warning on stderr; the others still start. */
void vkQemuAutostartOnBoot(vkQemuDriverState *state);

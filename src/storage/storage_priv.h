/* Internals shared by the storage driver's files: the driver state, a pool as its files say,
 * the backends that build, start and stop pools on the host, and the volume operations. */
#pragma once

#include <glib.h>

#include "conf/storage_conf.h"
#include "storage_driver.h"
#include "util/vkerror.h"
#include "util/vkfile.h"
#include "util/vkobjstore.h"
#include "util/vkpaths.h"

#define ERR VK_STORAGE_ERR

struct _vkStorageDriverState {
    vkDriverPaths *paths; /* etc: pool configs; run: status files and locks */
    vkObjStore *store;
    char *imagesDir;          /* the default pool's directory */
    vkStorageInUseFunc inUse; /* set by the qemu driver of the same connection */
    void *inUseData;
    GMutex lock;                        /* guards events */
    struct _vkObjectEventState *events; /* event callbacks, made on first use */
};

/* Where a started pool is. STARTING and STOPPING found with the pool's lock free mean the
 * process that was starting or stopping it died; the steps are undone. */
typedef enum {
    VK_STORAGE_POOL_STATUS_STARTING,
    VK_STORAGE_POOL_STATUS_ACTIVE,
    VK_STORAGE_POOL_STATUS_STOPPING,
    VK_STORAGE_POOL_STATUS_LAST
} vkStoragePoolStatusState;
VK_ENUM_DECL(vkStoragePoolStatusState);

/* ROOT/run/storage/NAME.xml. */
typedef struct {
    int state;
    gboolean redefined;    /* the config changed while the pool ran: --inactive shows it */
    vkStoragePoolDef *def; /* the live definition, with what the host said */
} vkStoragePoolStatus;

void vkStoragePoolStatusFree(vkStoragePoolStatus *status);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(vkStoragePoolStatus, vkStoragePoolStatusFree)

/* A pool as the object store reads it: config is a vkStoragePoolDef, status a
 * vkStoragePoolStatus. */
#define vkStoragePoolObj vkObjStoreObj

static inline vkStoragePoolDef *vkStoragePoolObjConfig(const vkStoragePoolObj *obj)
{
    return obj->config;
}

static inline vkStoragePoolStatus *vkStoragePoolObjStatus(const vkStoragePoolObj *obj)
{
    return obj->status;
}

/* The definition in force: the live one while active, else the persistent one. */
const vkStoragePoolDef *vkStoragePoolObjDef(const vkStoragePoolObj *obj);
gboolean vkStoragePoolObjIsActive(const vkStoragePoolObj *obj);

/* Starts the pool of STATUS->def (the caller holds its lock and knows it inactive): the status
 * file says STARTING before the host is touched and ACTIVE after; on failure nothing stays. */
int vkStoragePoolStartDef(vkStorageDriverState *state, vkStoragePoolStatus *status);

/* ---- state on disk (storage_state.c) ---- */

extern const vkObjStoreClass vkStoragePoolStoreClass;
/* The index key (vkObjStoreFindKey) of the directory no other pool of DEF's type may have as
 * its target; NULL for pools whose target is no such directory. */
char *vkStoragePoolTargetKey(const vkStoragePoolDef *def);

int vkStoragePoolConfigSave(vkStorageDriverState *state, const vkStoragePoolDef *def);
int vkStoragePoolStatusSave(vkStorageDriverState *state, const vkStoragePoolStatus *status);

/* Makes OBJ true to the host for a caller holding its lock (LOCKED) or not: a start or stop
 * whose process died is undone, an fs pool whose mount vanished becomes inactive. */
int vkStoragePoolReconcile(vkStorageDriverState *state, vkStoragePoolObj *obj, gboolean locked);

/* The pool 'default' in the images directory, defined, marked for autostart and started the
 * first time a writable connection opens the driver on a root; never again after that, so
 * that an administrator may undefine it. Trouble is a warning. */
void vkStorageDefaultPoolEnsure(vkStorageDriverState *state);

/* Events that change no pool file (a build, a delete, a refresh) are counted in
 * ROOT/run/storage/NAME.event, so that the event watchers of every process see them happen. */
typedef enum {
    VK_STORAGE_EVENT_CREATED,
    VK_STORAGE_EVENT_DELETED,
    VK_STORAGE_EVENT_REFRESH,
    VK_STORAGE_EVENT_LAST
} vkStorageEventRecord;

typedef struct {
    guint64 count[VK_STORAGE_EVENT_LAST];
} vkStorageEventCounts;

/* Counts one more RECORD for pool NAME; the caller holds the pool's lock. Trouble is a warning:
 * the operation itself went well. */
void vkStoragePoolEventRecord(vkStorageDriverState *state, const char *name, int record);
/* Drops NAME's counts, when the pool is gone (undefined, or transient and stopped). */
void vkStoragePoolEventForget(vkStorageDriverState *state, const char *name);
/* NAME's counts now (all 0 without a file). */
void vkStoragePoolEventCountsRead(const vkStorageDriverState *state, const char *name,
                                  vkStorageEventCounts *counts);

/* ---- backends (storage_backend.c) ---- */

/* Whether virtkit has a backend for TYPE; otherwise reports libvirt's "missing backend". */
int vkStorageBackendCheck(int type);
int vkStorageBackendBuild(vkStorageDriverState *state, const vkStoragePoolDef *def,
                          unsigned int flags);
/* Brings the pool up on the host (mount, activate) and fills in sizes and permissions. */
int vkStorageBackendStart(vkStorageDriverState *state, vkStoragePoolDef *def);
/* Undoes a start; what is undone already is fine. */
int vkStorageBackendStop(vkStorageDriverState *state, const vkStoragePoolDef *def);
int vkStorageBackendDelete(vkStorageDriverState *state, const vkStoragePoolDef *def,
                           unsigned int flags);
/* Sizes (statvfs of the target, or the volume group) and the target's permissions. */
int vkStorageBackendRefresh(vkStorageDriverState *state, vkStoragePoolDef *def);
/* TRUE while an fs pool's target is mounted. */
gboolean vkStorageBackendIsMounted(const char *target);
/* Runs ARGV to completion; a failure is reported with the command line and its stderr, as
 * libvirt reports a failed child. */
int vkStorageRunCommand(const char *const *argv, char **output);

/* ---- volumes (storage_vol.c) ---- */

/* Every volume of an active pool, sorted by name. */
GPtrArray *vkStorageVolList(const vkStoragePoolDef *pool);
/* The same with only names, keys, paths and types filled in, for listings of names and
 * handles: a directory pool's files are not opened (a logical pool's are listed whole). */
GPtrArray *vkStorageVolListNames(const vkStoragePoolDef *pool);
/* NAME's volume, 1; 0 when there is none (nothing reported); -1 reported. */
int vkStorageVolRead(const vkStoragePoolDef *pool, const char *name, vkStorageVolDef **vol);
/* Creates DEF in POOL (from INPUT's contents when given) so that a process killed half way
 * leaves either the finished volume or nothing visible. */
int vkStorageVolCreate(const vkStoragePoolDef *pool, vkStorageVolDef *def,
                       const vkStorageVolDef *input, unsigned int flags);
int vkStorageVolDeleteFile(const vkStoragePoolDef *pool, const vkStorageVolDef *vol,
                           unsigned int flags);
int vkStorageVolResizeFile(const vkStoragePoolDef *pool, const vkStorageVolDef *vol,
                           unsigned long long capacity, unsigned int flags);
int vkStorageVolWipeFile(const vkStoragePoolDef *pool, const vkStorageVolDef *vol,
                         unsigned int algorithm);
/* Removes what killed creations left behind in an active pool. */
void vkStorageVolCleanStale(const vkStoragePoolDef *pool);
/* The file descriptor of a volume opened for a stream: read (download) or write (upload),
 * positioned at OFFSET. */
int vkStorageVolOpenStream(const vkStorageVolDef *vol, gboolean write, unsigned long long offset);

/* ---- events (storage_events.c) ---- */

/* Pool events for the callbacks of CONN: a watcher of the config and run directories turns the
 * changes any process makes into libvirt's events. */
int vkStoragePoolEventRegisterAny(virConnectPtr conn, virStoragePoolPtr pool, int eventID,
                                  virConnectStoragePoolEventGenericCallback cb, void *opaque,
                                  virFreeCallback freecb);
int vkStoragePoolEventDeregisterAny(virConnectPtr conn, int callbackID);

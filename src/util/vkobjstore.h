/* The on-disk life every embedded driver gives its objects (domains, networks, pools): a
 * persistent config in ETC/NAME.xml, a live status in RUN/NAME.xml, an autostart mark in
 * ETC/autostart, a lock per object and one for the driver, and autostart once per boot. A
 * driver describes its files once (a vkObjStoreClass) and gets reading, listing, atomic
 * writes, locks and the boot pass from here. */
#pragma once

#include <glib.h>

#include "vkfile.h"

typedef struct {
    const char *kind; /* "pool", "network", ...: names objects in warnings */
    int errDomain;    /* VIR_FROM_* for the errors the store reports itself */
    /* Parse a config or a status file's text into a definition (reported on failure); the
     * store checks the name the definition carries against the file's name. */
    void *(*parseConfig)(const char *text);
    void *(*parseStatus)(const char *text);
    const char *(*configName)(const void *config);
    const char *(*statusName)(const void *status);
    GDestroyNotify freeConfig;
    GDestroyNotify freeStatus;
    /* Optional: with both, parsed files are kept while the file on disk is the same one
     * (device, inode, size, change time), and callers get copies: a driver that looks at one
     * object many times in a row (a listing with details) parses its files once. */
    void *(*copyConfig)(const void *config);
    void *(*copyStatus)(const void *status);
} vkObjStoreClass;

typedef struct {
    const vkObjStoreClass *cls;
    char *etc;          /* configs */
    char *run;          /* status files, object locks, the boot mark */
    char *autostartDir; /* etc/autostart */
    gboolean privileged;
    GMutex cacheLock;  /* guards cache */
    GHashTable *cache; /* file path -> parsed definition of that file, see copyConfig */
} vkObjStore;

/* An object as its files say: either part may be NULL, never both. */
typedef struct {
    char *name;
    void *config;
    void *status;
    gboolean autostart;
    const vkObjStoreClass *cls; /* frees the parts */
} vkObjStoreObj;

vkObjStore *vkObjStoreNew(const vkObjStoreClass *cls, const char *etc, const char *run);
void vkObjStoreFree(vkObjStore *store);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(vkObjStore, vkObjStoreFree)

void vkObjStoreObjFree(vkObjStoreObj *obj);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(vkObjStoreObj, vkObjStoreObjFree)

char *vkObjStoreConfigPath(const vkObjStore *store, const char *name);
char *vkObjStoreStatusPath(const vkObjStore *store, const char *name);

/* NAME's files. 1 with *OBJ, 0 when NAME has neither file (nothing reported), -1 when the
 * config is unreadable or corrupt (reported with its path). A corrupt status is warned about
 * and ignored: it says nothing reliable, and the config stays usable. */
int vkObjStoreRead(const vkObjStore *store, const char *name, vkObjStoreObj **obj);
/* The same without looking at the autostart mark (obj->autostart is FALSE): one system call
 * less for callers that only need the definitions. */
int vkObjStoreReadDefs(const vkObjStore *store, const char *name, vkObjStoreObj **obj);
/* NAME's status alone, or NULL when there is none; a status that cannot be read is warned
 * about ("unreadable/corrupt/misnamed KIND status ignored") and counts as none. */
void *vkObjStoreStatusRead(const vkObjStore *store, const char *name);
/* Every object, sorted by name; a corrupt one is warned about and skipped. */
GPtrArray *vkObjStoreReadAll(const vkObjStore *store);

/* Atomic replacement of the config (durable) and of the status (until reboot). */
int vkObjStoreConfigWrite(const vkObjStore *store, const char *name, const char *text);
int vkObjStoreStatusWrite(const vkObjStore *store, const char *name, const char *text);
/* Removes the autostart mark, then the config; missing ones count as removed. */
int vkObjStoreConfigDelete(const vkObjStore *store, const char *name);
int vkObjStoreStatusDelete(const vkObjStore *store, const char *name);
int vkObjStoreAutostartSet(const vkObjStore *store, const char *name, gboolean on);

/* The lock that serialises every change to one object, across threads and processes. */
vkFileLock *vkObjStoreLock(const vkObjStore *store, const char *name);
/* Does not wait: 0 with *LOCK, 1 busy, -1 reported. */
int vkObjStoreTryLock(const vkObjStore *store, const char *name, vkFileLock **lock);
/* "Is this name or uuid free?" and "take it" as one step: taken before any object's lock. */
vkFileLock *vkObjStoreDriverLock(const vkObjStore *store);

/* Runs START for every object marked for autostart, once per host boot (RUN/autostarted
 * records the boot), under the driver lock; a failure is a warning naming the object, and
 * each object gets one try per boot. START is called with the object's lock held. */
typedef int (*vkObjStoreStartFunc)(const vkObjStore *store, const char *name, void *opaque);
void vkObjStoreAutostartOnce(const vkObjStore *store, vkObjStoreStartFunc start, void *opaque);

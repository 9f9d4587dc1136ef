/* The on-disk life every embedded driver gives its objects (domains, networks, pools): a
 * persistent config in ETC/NAME.xml, a live status in RUN/NAME.xml, an autostart mark in
 * ETC/autostart, a lock per object and one for the driver, and autostart once per boot. A
 * driver describes its files once (a vkObjStoreClass) and gets reading, listing, atomic
 * writes, locks and the boot pass from here. */
#pragma once

#include <glib.h>

#include "vkfile.h"
#include "vkobjindex.h"

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
    /* The config as the driver stores it: a config write parses the text back and formats it
     * again, and refuses text that would not load as the same definition, so that a define
     * that reports success always loads again. */
    char *(*formatConfig)(const void *config);
    /* The project's rule for the kind's names (src/conf/object_name.h), which util cannot
     * call itself: NAMEVALID says quietly whether NAME may name an object, NAMECHECK reports
     * why not. The store makes no path of a name that fails: a lookup by it finds nothing, a
     * listing warns about its file and skips it, a write refuses it. */
    gboolean (*nameValid)(const char *name);
    int (*nameCheck)(const char *name);
    /* libvirt's error for "no such object" (VIR_ERR_NO_DOMAIN, ...) and the noun of its
     * message ("no storage pool with matching name 'x'"): what a lock on a bad name reports. */
    int noObjectCode;
    const char *noObjectNoun;
    /* Optional: with both, parsed files are kept (for the whole process, whatever store read
     * them) while the file on disk is the same one (device, inode, size, change time), and
     * callers get copies: a lookup or a listing with details costs a stat and a copy instead
     * of a read and a parse. */
    void *(*copyConfig)(const void *config);
    void *(*copyStatus)(const void *status);
    /* What the store's index (vkobjindex.h) keeps of a config and of a status: the uuid
     * (optional: none makes every uuid null) and the keys no two objects may share
     * ("bridge=virbr0"; optional), which vkObjStoreFindKey finds. */
    const unsigned char *(*configUUID)(const void *config);
    const unsigned char *(*statusUUID)(const void *status);
    void (*configKeys)(const void *config, GPtrArray *keys);
    void (*statusKeys)(const void *status, GPtrArray *keys);
} vkObjStoreClass;

typedef struct {
    const vkObjStoreClass *cls;
    char *etc;          /* configs */
    char *run;          /* status files, object locks, the boot mark */
    char *autostartDir; /* etc/autostart */
    gboolean privileged;
    vkObjIndex *index; /* shared by every store of the process on these directories */
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

/* NAME's files. 1 with *OBJ, 0 when NAME has neither file or is no valid name (nothing
 * reported), -1 when the config is unreadable or corrupt (reported with its path). A corrupt
 * status is warned about and ignored: it says nothing reliable, and the config stays usable.
 * Files are read only when they are regular files, never through a symbolic link. */
int vkObjStoreRead(const vkObjStore *store, const char *name, vkObjStoreObj **obj);
/* The same without looking at the autostart mark (obj->autostart is FALSE): one system call
 * less for callers that only need the definitions. */
int vkObjStoreReadDefs(const vkObjStore *store, const char *name, vkObjStoreObj **obj);
/* NAME's status alone, or NULL when there is none; a status that cannot be read is warned
 * about ("unreadable/corrupt/misnamed KIND status ignored") and counts as none. */
void *vkObjStoreStatusRead(const vkObjStore *store, const char *name);
/* Every object, sorted by name; a corrupt one, a symbolic link and a file whose name is no
 * valid name are warned about and skipped, as is a directory that cannot be read (the listing
 * is never silently empty); temporaries of killed writers are removed on the way
 * (vkFileReadObjects). */
GPtrArray *vkObjStoreReadAll(const vkObjStore *store);

/* Atomic replacement of the config (durable, and only with text that loads again, see
 * formatConfig) and of the status (until reboot; TEXT is STATUS formatted). */
int vkObjStoreConfigWrite(const vkObjStore *store, const char *name, const char *text);
int vkObjStoreStatusWrite(const vkObjStore *store, const char *name, const void *status,
                          const char *text);
/* Removes the autostart mark, then the config; missing ones count as removed. */
int vkObjStoreConfigDelete(const vkObjStore *store, const char *name);
int vkObjStoreStatusDelete(const vkObjStore *store, const char *name);
int vkObjStoreAutostartSet(const vkObjStore *store, const char *name, gboolean on);
/* Whether NAME carries an autostart mark (a look at the mark alone). */
gboolean vkObjStoreAutostartGet(const vkObjStore *store, const char *name);

/* ---- the index: questions about all objects without reading them all ---- */

/* Every object the index knows, sorted by name (vkObjIndexEntry: name, whether it has a config
 * and maybe a status, uuid); what the directory holds that is no object (a corrupt config, a
 * link, a bad name) is warned about, as vkObjStoreReadAll does. A status is only a maybe:
 * whoever needs to know reads it (vkObjStoreStatusRead). */
GPtrArray *vkObjStoreList(const vkObjStore *store);
/* The names of the objects whose config or status has UUID, or carries KEY (see the class's
 * configKeys): candidates, sorted, that the caller confirms by reading them. */
GStrv vkObjStoreFindUUID(const vkObjStore *store, const unsigned char *uuid);
GStrv vkObjStoreFindKey(const vkObjStore *store, const char *key);
/* The objects a new one named NAME with UUID (NULL: any) and KEYS (NULL-terminated, may be
 * NULL) could clash with, read from their files and sorted by name (vkObjStoreObj): NAME's own
 * and the index's candidates for the uuid and every key, a corrupt one warned about and
 * skipped as vkObjStoreReadAll does. Whoever checks uniqueness against every object can check
 * against these alone. */
GPtrArray *vkObjStoreReadCandidates(const vkObjStore *store, const char *name,
                                    const unsigned char *uuid, const char *const *keys);
/* What the index says of NAME (see vkObjIndexEntry): NULL when there is no such object. With
 * no status, NAME has no status file; with a config, its config is there with that uuid (as
 * virtkit wrote it: a file rewritten in place by someone else is not seen). */
vkObjIndexEntry *vkObjStoreEntry(const vkObjStore *store, const char *name);
/* The same, and where the index stood when it answered (see vkObjIndexMark); an invalid
 * name leaves MARK invalid. */
vkObjIndexEntry *vkObjStoreEntryMarked(const vkObjStore *store, const char *name,
                                       vkObjIndexMark *mark);
/* For status files a driver writes itself rather than through vkObjStoreStatusWrite: NAME may
 * have one from now on, with UUID and KEYS (NULL-terminated, may be NULL) -- said before the
 * file is first written; and NAME has none any more -- said after it is removed (checked). */
void vkObjStoreStatusNote(const vkObjStore *store, const char *name, const unsigned char *uuid,
                          const char *const *keys);
void vkObjStoreStatusGone(const vkObjStore *store, const char *name);

/* The lock that serialises every change to one object, across threads and processes; a
 * shared one where the state cannot be written (see vkFileLockAcquire). A name that is no
 * valid name has no lock: "no KIND with matching name" is reported. */
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

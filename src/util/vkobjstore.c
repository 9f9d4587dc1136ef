/* One object store for the embedded drivers: config, status, autostart mark and locks of named
 * objects in two directories, read and written the same way by every driver. */
#include "vkobjstore.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "vkbootmark.h"
#include "vkerror.h"

#define DIR_MODE  0700
#define FILE_MODE 0600

/* RUN/autostarted: no ".xml", so no object's files can clash with it. */
#define BOOT_MARK "autostarted"

vkObjStore *vkObjStoreNew(const vkObjStoreClass *cls, const char *etc, const char *run)
{
    vkObjStore *store = g_new0(vkObjStore, 1);

    store->cls = cls;
    store->etc = g_strdup(etc);
    store->run = g_strdup(run);
    store->autostartDir = g_build_filename(etc, "autostart", NULL);
    store->privileged = geteuid() == 0;
    store->index = vkObjIndexGet(etc, run);
    return store;
}

void vkObjStoreFree(vkObjStore *store)
{
    if (!store)
        return;
    g_free(store->etc);
    g_free(store->run);
    g_free(store->autostartDir);
    vkObjIndexUnref(store->index);
    g_free(store);
}

void vkObjStoreObjFree(vkObjStoreObj *obj)
{
    if (!obj)
        return;
    if (obj->config)
        obj->cls->freeConfig(obj->config);
    if (obj->status)
        obj->cls->freeStatus(obj->status);
    g_free(obj->name);
    g_free(obj);
}

static char *fileIn(const char *dir, const char *name)
{
    g_autofree char *base = g_strdup_printf("%s.xml", name);
    return g_build_filename(dir, base, NULL);
}

char *vkObjStoreConfigPath(const vkObjStore *store, const char *name)
{
    return fileIn(store->etc, name);
}

char *vkObjStoreStatusPath(const vkObjStore *store, const char *name)
{
    return fileIn(store->run, name);
}

/* ---- names ---- */

/* Whether NAME may become a file name at all; quiet. */
static gboolean nameValid(const vkObjStore *store, const char *name)
{
    return store->cls->nameValid(name);
}

/* The same, reported: for writes, which must never make a path of a bad name. */
static int nameCheck(const vkObjStore *store, const char *name)
{
    return store->cls->nameCheck(name);
}

/* ---- reading ---- */

static int checkName(const vkObjStore *store, const char *path, const char *name,
                     const char *inFile)
{
    if (g_strcmp0(inFile, name) == 0)
        return 0;
    vkReportError(store->cls->errDomain, VIR_ERR_XML_ERROR,
                  "cannot load '%s': it defines %s '%s', but its file name says '%s'", path,
                  store->cls->kind, inFile, name);
    return -1;
}

/* ---- the parse cache ---- */

/* One cache for the whole process, keyed by the file's path, so that every connection of a
 * daemon (each has its own driver state and store) profits from what any of them parsed. An
 * entry stands for one file on disk (device, inode, size, change time): a file replaced or
 * rewritten by anyone (another connection, an embedded process on the same root) no longer
 * matches and is parsed again. Entries of files found gone are dropped. */
typedef struct {
    dev_t dev;
    ino_t ino;
    off_t size;
    struct timespec ctime;
    gboolean status;
    void *def;
    const vkObjStoreClass *cls;
} vkObjStoreCached;

static GMutex cacheLock;
static GHashTable *cache; /* file path -> vkObjStoreCached */
/* Files deleted by other processes leave their entries until read again: past this many, the
 * cache starts over rather than grow without end. */
#define CACHE_MAX 65536

static void cachedFree(gpointer data)
{
    vkObjStoreCached *c = data;

    (c->status ? c->cls->freeStatus : c->cls->freeConfig)(c->def);
    g_free(c);
}

static gboolean sameFile(const vkObjStoreCached *c, const struct stat *st)
{
    return c->dev == st->st_dev && c->ino == st->st_ino && c->size == st->st_size &&
           c->ctime.tv_sec == st->st_ctim.tv_sec && c->ctime.tv_nsec == st->st_ctim.tv_nsec;
}

/* A copy of what PATH (as ST describes it) parsed to last time, or NULL. */
static void *cacheLookup(const vkObjStore *store, const char *path, const struct stat *st,
                         gboolean status)
{
    const vkObjStoreClass *cls = store->cls;
    G_GNUC_UNUSED g_autoptr(GMutexLocker) locker = g_mutex_locker_new(&cacheLock);
    vkObjStoreCached *c = cache ? g_hash_table_lookup(cache, path) : NULL;

    if (!c || c->cls != cls || c->status != status || !sameFile(c, st))
        return NULL;
    return status ? cls->copyStatus(c->def) : cls->copyConfig(c->def);
}

static void cacheStore(const vkObjStore *store, const char *path, const struct stat *st,
                       gboolean status, const void *def)
{
    const vkObjStoreClass *cls = store->cls;
    vkObjStoreCached *c = g_new0(vkObjStoreCached, 1);

    /* The copy outside the lock: other readers need not wait for it. */
    c->dev = st->st_dev;
    c->ino = st->st_ino;
    c->size = st->st_size;
    c->ctime = st->st_ctim;
    c->status = status;
    c->cls = cls;
    c->def = status ? cls->copyStatus(def) : cls->copyConfig(def);
    g_mutex_lock(&cacheLock);
    if (!cache)
        cache = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, cachedFree);
    if (g_hash_table_size(cache) >= CACHE_MAX)
        g_hash_table_remove_all(cache);
    g_hash_table_replace(cache, g_strdup(path), c);
    g_mutex_unlock(&cacheLock);
}

static void cacheForget(const char *path)
{
    vkObjStoreCached *c = NULL;
    gpointer key = NULL;

    g_mutex_lock(&cacheLock);
    if (cache && g_hash_table_steal_extended(cache, path, &key, (gpointer *)&c)) {
        g_mutex_unlock(&cacheLock);
        /* Freed outside the lock, as it was made. */
        g_free(key);
        cachedFree(c);
        return;
    }
    g_mutex_unlock(&cacheLock);
}

/* After a write of TEXT, parsed as DEF, to PATH: what is there now is kept as DEF if it is that
 * text, so that the next read (a start, a lookup) needs no parse. Read back rather than
 * trusted, since another process may have replaced the file already. */
static void cacheSeed(const vkObjStore *store, const char *path, const char *text, const void *def)
{
    g_autofree char *again = NULL;
    struct stat before, after;

    if (!store->cls->copyConfig || !store->cls->copyStatus || lstat(path, &before) < 0 ||
        !S_ISREG(before.st_mode))
        return;
    if (vkFileReadIfExists(path, &again, NULL) < 0) {
        vkResetLastError();
        return;
    }
    if (again && g_str_equal(again, text) && lstat(path, &after) == 0 &&
        after.st_ino == before.st_ino && after.st_ctim.tv_sec == before.st_ctim.tv_sec &&
        after.st_ctim.tv_nsec == before.st_ctim.tv_nsec && after.st_size == before.st_size)
        cacheStore(store, path, &after, FALSE, def);
}

/* What the index keeps of DEF, a config or (STATUS) a status. */
static void factsOf(const vkObjStore *store, const void *def, gboolean status,
                    vkObjIndexFacts *facts)
{
    const vkObjStoreClass *cls = store->cls;
    const unsigned char *uuid = status ? (cls->statusUUID ? cls->statusUUID(def) : NULL)
                                       : (cls->configUUID ? cls->configUUID(def) : NULL);
    void (*keys)(const void *, GPtrArray *) = status ? cls->statusKeys : cls->configKeys;

    vkObjIndexFactsInit(facts);
    facts->hasUUID = TRUE;
    if (uuid)
        memcpy(facts->uuid, uuid, VK_OBJ_INDEX_UUID_LEN);
    if (keys)
        keys(def, facts->keys);
}

/* How reading a file failed, for the warning about an ignored status. */
typedef enum {
    READ_UNREADABLE,
    READ_CORRUPT,
    READ_MISNAMED,
} vkObjStoreReadFailure;

/* A status file that does not parse: said as an internal error naming the file, since no
 * user wrote it, with what the parser said. */
static void reportStatusCorrupt(const vkObjStoreClass *cls, const char *path)
{
    virErrorPtr err = virGetLastError();
    g_autofree char *why = g_strdup(err && err->message ? err->message : "unknown error");

    vkReportError(cls->errDomain, VIR_ERR_INTERNAL_ERROR, "cannot load status file '%s': %s", path,
                  why);
}

/* 1 with *DEF, 0 without the file, -1 reported with the path (and *WHY set). */
static int readFile(const vkObjStore *store, const char *dir, const char *name, gboolean status,
                    void **def, vkObjStoreReadFailure *why)
{
    const vkObjStoreClass *cls = store->cls;
    g_autofree char *path = fileIn(dir, name);
    g_autofree char *text = NULL;
    gboolean cached = cls->copyConfig && cls->copyStatus;
    struct stat before = { 0 };
    struct stat after;
    gboolean haveBefore;

    *def = NULL;
    /* The file is recognised by what stat says of it before it is read and after: a file
     * replaced in between is parsed but not kept. Only a regular file is looked up: the
     * reader refuses anything else (a symbolic link above all), and a link to a file that was
     * parsed before must not pass for it. */
    if (cached && lstat(path, &before) < 0 && errno == ENOENT) {
        /* Nothing there: no need to try opening it, and nothing to keep of it. */
        cacheForget(path);
        return 0;
    }
    haveBefore = cached && S_ISREG(before.st_mode);
    if (haveBefore && (*def = cacheLookup(store, path, &before, status)))
        return 1;
    *why = READ_UNREADABLE;
    if (vkFileReadIfExists(path, &text, NULL) < 0)
        return -1;
    if (!text)
        return 0;
    *why = READ_CORRUPT;
    if (!(*def = status ? cls->parseStatus(text) : cls->parseConfig(text))) {
        if (status)
            reportStatusCorrupt(cls, path);
        else
            vkErrorPrefix(cls->errDomain, "cannot load '%s'", path);
        return -1;
    }
    *why = READ_MISNAMED;
    if (checkName(store, path, name, status ? cls->statusName(*def) : cls->configName(*def)) < 0) {
        (status ? cls->freeStatus : cls->freeConfig)(*def);
        *def = NULL;
        return -1;
    }
    if (haveBefore && lstat(path, &after) == 0 && after.st_ino == before.st_ino &&
        after.st_ctim.tv_sec == before.st_ctim.tv_sec &&
        after.st_ctim.tv_nsec == before.st_ctim.tv_nsec && after.st_size == before.st_size)
        cacheStore(store, path, &after, status, *def);
    return 1;
}

void *vkObjStoreStatusRead(const vkObjStore *store, const char *name)
{
    static const char *const whyText[] = { "unreadable", "corrupt", "misnamed" };
    vkObjStoreReadFailure why;
    void *status = NULL;

    if (!nameValid(store, name))
        return NULL;
    /* A status that cannot be read says nothing reliable about the host: the object counts as
     * inactive, which keeps its config usable, and the file stays for an administrator. */
    if (readFile(store, store->run, name, TRUE, &status, &why) < 0) {
        g_autofree char *what =
            g_strdup_printf("%s %s status ignored", whyText[why], store->cls->kind);
        vkErrorWarn(what);
    }
    return status;
}

static int readObj(const vkObjStore *store, const char *name, gboolean autostart,
                   vkObjStoreObj **obj)
{
    vkObjStoreReadFailure why;
    void *config = NULL;
    void *status = NULL;

    *obj = NULL;
    /* A name that is no valid name (from a lookup, a handle, a guest's XML or a stray file)
     * names nothing, and must never become a path: "../../x" would read files outside the
     * root. */
    if (!nameValid(store, name))
        return 0;
    if (readFile(store, store->etc, name, FALSE, &config, &why) < 0)
        return -1;
    status = vkObjStoreStatusRead(store, name);
    if (!config && !status)
        return 0;
    *obj = g_new0(vkObjStoreObj, 1);
    (*obj)->cls = store->cls;
    (*obj)->name = g_strdup(name);
    (*obj)->config = config;
    (*obj)->status = status;
    (*obj)->autostart = autostart && config && vkFileAutostartGet(store->autostartDir, name);
    return 1;
}

int vkObjStoreRead(const vkObjStore *store, const char *name, vkObjStoreObj **obj)
{
    return readObj(store, name, TRUE, obj);
}

int vkObjStoreReadDefs(const vkObjStore *store, const char *name, vkObjStoreObj **obj)
{
    return readObj(store, name, FALSE, obj);
}

static int readOne(void *opaque, const char *name, void **obj)
{
    /* A file whose name no object may have (left by an older version, or put there by hand)
     * is worth a warning rather than silence. */
    if (nameCheck(opaque, name) < 0)
        return -1;
    return vkObjStoreRead(opaque, name, (vkObjStoreObj **)obj);
}

GPtrArray *vkObjStoreReadAll(const vkObjStore *store)
{
    const char *dirs[] = { store->etc, store->run, NULL };

    return vkFileReadObjects(dirs, "xml", readOne, (void *)store, (GDestroyNotify)vkObjStoreObjFree,
                             store->cls->kind);
}

/* ---- writing ---- */

/* A config that reports success must load again: TEXT is read back the way readFile reads
 * it, and must name NAME and give the same text once more. *DEF gets what it read. */
static int checkLoadsAgain(const vkObjStore *store, const char *name, const char *text, void **def)
{
    const vkObjStoreClass *cls = store->cls;
    void *again = cls->parseConfig(text);
    g_autofree char *retext = again ? cls->formatConfig(again) : NULL;
    g_autofree char *why = NULL;

    if (retext && g_str_equal(cls->configName(again), name) && g_str_equal(retext, text)) {
        *def = again;
        return 0;
    }
    if (again)
        cls->freeConfig(again);
    why = g_strdup(!retext ? virGetLastErrorMessage() : "it reads back as a different definition");
    vkReportError(cls->errDomain, VIR_ERR_INTERNAL_ERROR,
                  "refusing to store %s '%s', which would not load again: %s", cls->kind, name,
                  why);
    return -1;
}

int vkObjStoreConfigWrite(const vkObjStore *store, const char *name, const char *text)
{
    g_autoptr(vkObjIndexChange) change = NULL;
    g_autofree char *path = NULL;
    void *def = NULL;
    int rc;

    if (nameCheck(store, name) < 0 || checkLoadsAgain(store, name, text, &def) < 0)
        return -1;
    /* From before the directory changes until the index says so (vkobjindex.c). */
    change = vkObjIndexChangeBegin(store->index);
    path = fileIn(store->etc, name);
    if ((rc = vkFileMakePath(store->etc, DIR_MODE)) == 0 &&
        (rc = vkFileWriteAtomic(path, text, -1, FILE_MODE)) == 0) {
        vkObjIndexFacts facts;

        factsOf(store, def, FALSE, &facts);
        vkObjIndexChangeConfig(change, name, &facts);
        vkObjIndexFactsClear(&facts);
        cacheSeed(store, path, text, def);
    }
    store->cls->freeConfig(def);
    return rc;
}

int vkObjStoreStatusWrite(const vkObjStore *store, const char *name, const void *status,
                          const char *text)
{
    g_autofree char *path = NULL;
    vkObjIndexFacts facts;

    if (nameCheck(store, name) < 0 || vkFileMakePath(store->run, DIR_MODE) < 0)
        return -1;
    /* The index hears of a status before it exists, so that it never misses one. */
    factsOf(store, status, TRUE, &facts);
    vkObjIndexNoteStatus(store->index, name, &facts);
    vkObjIndexFactsClear(&facts);
    path = fileIn(store->run, name);
    return vkFileWriteRunState(path, text, -1, FILE_MODE);
}

int vkObjStoreConfigDelete(const vkObjStore *store, const char *name)
{
    g_autoptr(vkObjIndexChange) change = NULL;
    g_autofree char *path = NULL;

    if (nameCheck(store, name) < 0)
        return -1;
    change = vkObjIndexChangeBegin(store->index);
    /* The mark first: a config that survives a crash here keeps its object defined, which is
     * the safe side. */
    if (vkFileAutostartSet(store->autostartDir, name, FALSE) < 0)
        return -1;
    path = fileIn(store->etc, name);
    if (vkFileRemoveIfExists(path) < 0)
        return -1;
    cacheForget(path);
    vkObjIndexChangeConfig(change, name, NULL);
    return 0;
}

int vkObjStoreStatusDelete(const vkObjStore *store, const char *name)
{
    g_autofree char *path = NULL;

    if (nameCheck(store, name) < 0)
        return -1;
    path = fileIn(store->run, name);
    if (vkFileRemoveIfExists(path) < 0)
        return -1;
    cacheForget(path);
    vkObjIndexNoteStatus(store->index, name, NULL);
    return 0;
}

int vkObjStoreAutostartSet(const vkObjStore *store, const char *name, gboolean on)
{
    g_autoptr(vkObjIndexChange) change = NULL;

    if (nameCheck(store, name) < 0)
        return -1;
    /* Making the autostart directory changes the config directory. */
    change = vkObjIndexChangeBegin(store->index);
    return vkFileAutostartSet(store->autostartDir, name, on);
}

/* ---- the index ---- */

static int indexReadConfig(const void *opaque, const char *name, vkObjIndexFacts *facts)
{
    const vkObjStore *store = opaque;
    vkObjStoreReadFailure why;
    void *def = NULL;
    int rc = readFile(store, store->etc, name, FALSE, &def, &why);

    if (rc > 0) {
        vkObjIndexFactsClear(facts);
        factsOf(store, def, FALSE, facts);
        store->cls->freeConfig(def);
    }
    return rc;
}

static int indexReadStatus(const void *opaque, const char *name, vkObjIndexFacts *facts)
{
    const vkObjStore *store = opaque;
    vkObjStoreReadFailure why;
    void *def = NULL;
    int rc = readFile(store, store->run, name, TRUE, &def, &why);

    if (rc > 0) {
        vkObjIndexFactsClear(facts);
        factsOf(store, def, TRUE, facts);
        store->cls->freeStatus(def);
    }
    return rc;
}

static void indexSource(const vkObjStore *store, vkObjIndexSource *src)
{
    src->kind = store->cls->kind;
    src->nameValid = store->cls->nameValid;
    src->nameCheck = store->cls->nameCheck;
    src->readConfig = indexReadConfig;
    src->readStatus = indexReadStatus;
    src->opaque = store;
}

GPtrArray *vkObjStoreList(const vkObjStore *store)
{
    vkObjIndexSource src;

    indexSource(store, &src);
    return vkObjIndexList(store->index, &src, TRUE);
}

GStrv vkObjStoreFindUUID(const vkObjStore *store, const unsigned char *uuid)
{
    vkObjIndexSource src;

    indexSource(store, &src);
    return vkObjIndexFindUUID(store->index, &src, uuid);
}

GStrv vkObjStoreFindKey(const vkObjStore *store, const char *key)
{
    vkObjIndexSource src;

    indexSource(store, &src);
    return vkObjIndexFind(store->index, &src, key);
}

static int compareNames(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static void addNames(GHashTable *set, GStrv names)
{
    for (char **n = names; n && *n; n++)
        g_hash_table_add(set, g_steal_pointer(n));
    g_free(names);
}

GPtrArray *vkObjStoreReadCandidates(const vkObjStore *store, const char *name,
                                    const unsigned char *uuid, const char *const *keys)
{
    g_autoptr(GHashTable) set = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    g_autofree char **names = NULL;
    GPtrArray *objs = g_ptr_array_new_with_free_func((GDestroyNotify)vkObjStoreObjFree);
    guint n = 0;

    if (name)
        g_hash_table_add(set, g_strdup(name));
    if (uuid)
        addNames(set, vkObjStoreFindUUID(store, uuid));
    for (const char *const *k = keys; k && *k; k++)
        addNames(set, vkObjStoreFindKey(store, *k));
    names = (char **)g_hash_table_get_keys_as_array(set, &n);
    qsort(names, n, sizeof(*names), compareNames);
    for (guint i = 0; i < n; i++) {
        vkObjStoreObj *obj = NULL;
        int rc = vkObjStoreRead(store, names[i], &obj);

        if (rc < 0) {
            g_autofree char *what = g_strdup_printf("%s '%s' skipped", store->cls->kind, names[i]);
            vkErrorWarn(what);
        } else if (rc > 0) {
            g_ptr_array_add(objs, obj);
        }
    }
    return objs;
}

gboolean vkObjStoreAutostartGet(const vkObjStore *store, const char *name)
{
    return nameValid(store, name) && vkFileAutostartGet(store->autostartDir, name);
}

vkObjIndexEntry *vkObjStoreEntry(const vkObjStore *store, const char *name)
{
    return vkObjStoreEntryMarked(store, name, NULL);
}

vkObjIndexEntry *vkObjStoreEntryMarked(const vkObjStore *store, const char *name,
                                       vkObjIndexMark *mark)
{
    vkObjIndexSource src;

    if (mark)
        mark->valid = FALSE;
    if (!nameValid(store, name))
        return NULL;
    indexSource(store, &src);
    return vkObjIndexLookupMarked(store->index, &src, name, mark);
}

void vkObjStoreStatusNote(const vkObjStore *store, const char *name, const unsigned char *uuid,
                          const char *const *keys)
{
    vkObjIndexFacts facts;

    if (!nameValid(store, name))
        return;
    vkObjIndexFactsInit(&facts);
    facts.hasUUID = uuid != NULL;
    if (uuid)
        memcpy(facts.uuid, uuid, VK_OBJ_INDEX_UUID_LEN);
    for (const char *const *k = keys; k && *k; k++)
        g_ptr_array_add(facts.keys, g_strdup(*k));
    vkObjIndexNoteStatus(store->index, name, &facts);
    vkObjIndexFactsClear(&facts);
}

void vkObjStoreStatusGone(const vkObjStore *store, const char *name)
{
    g_autofree char *path = NULL;
    struct stat st;

    if (!nameValid(store, name))
        return;
    path = fileIn(store->run, name);
    if (lstat(path, &st) < 0 && errno == ENOENT) {
        cacheForget(path);
        vkObjIndexNoteStatus(store->index, name, NULL);
    }
}

/* ---- locks ---- */

/* The lock file's name comes from the object's: a bad one is no object at all. */
static int lockName(const vkObjStore *store, const char *name)
{
    const vkObjStoreClass *cls = store->cls;

    if (nameValid(store, name))
        return 0;
    vkReportError(cls->errDomain, cls->noObjectCode, "no %s with matching name '%s'",
                  cls->noObjectNoun, name);
    return -1;
}

vkFileLock *vkObjStoreLock(const vkObjStore *store, const char *name)
{
    if (lockName(store, name) < 0 || vkFileMakePath(store->run, DIR_MODE) < 0)
        return NULL;
    return vkFileLockAcquire(store->run, name);
}

int vkObjStoreTryLock(const vkObjStore *store, const char *name, vkFileLock **lock)
{
    *lock = NULL;
    if (lockName(store, name) < 0 || vkFileMakePath(store->run, DIR_MODE) < 0)
        return -1;
    return vkFileLockTryAcquire(store->run, name, lock);
}

vkFileLock *vkObjStoreDriverLock(const vkObjStore *store)
{
    g_autofree char *parent = g_path_get_dirname(store->run);
    g_autofree char *base = g_path_get_basename(store->run);

    /* RUN.lock beside the directory rather than in it, where it could clash with the lock of
     * an object named like the directory. */
    if (vkFileMakePath(store->run, DIR_MODE) < 0)
        return NULL;
    return vkFileLockAcquire(parent, base);
}

/* ---- autostart ---- */

void vkObjStoreAutostartOnce(const vkObjStore *store, vkObjStoreStartFunc start, void *opaque)
{
    g_autofree char *marker = g_build_filename(store->run, BOOT_MARK, NULL);
    g_autofree char *bootId = vkBootIdRead();
    g_autoptr(vkFileLock) driverLock = NULL;
    g_auto(GStrv) names = NULL;

    /* Every open after the first of a boot: two small reads, no lock. */
    if (vkBootMarkDone(vkBootMarkRead(marker, bootId), TRUE))
        return;
    if (!(driverLock = vkObjStoreDriverLock(store))) {
        g_autofree char *what = g_strdup_printf("cannot autostart %ss", store->cls->kind);
        vkErrorWarn(what);
        return;
    }
    /* Whoever held the lock before us may have done this boot's pass. */
    if (vkBootMarkDone(vkBootMarkRead(marker, bootId), TRUE))
        return;
    names = vkFileAutostartList(store->autostartDir);
    for (char **name = names; *name; name++) {
        g_autoptr(vkFileLock) lock = vkObjStoreLock(store, *name);

        if (!lock || start(store, *name, opaque) < 0) {
            g_autofree char *what =
                g_strdup_printf("cannot autostart %s '%s'", store->cls->kind, *name);
            vkErrorWarn(what);
        }
    }
    /* One try per boot: an object that failed waits for its owner. */
    if (vkBootMarkWrite(marker, bootId, TRUE) < 0) {
        g_autofree char *what =
            g_strdup_printf("cannot record that %ss were autostarted", store->cls->kind);
        vkErrorWarn(what);
    }
}

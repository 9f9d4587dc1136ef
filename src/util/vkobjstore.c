/* One object store for the embedded drivers: config, status, autostart mark and locks of named
 * objects in two directories, read and written the same way by every driver. */
#include "vkobjstore.h"

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
    return store;
}

void vkObjStoreFree(vkObjStore *store)
{
    if (!store)
        return;
    g_free(store->etc);
    g_free(store->run);
    g_free(store->autostartDir);
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

/* 1 with *DEF, 0 without the file, -1 reported with the path. */
static int readFile(const vkObjStore *store, const char *dir, const char *name, gboolean status,
                    void **def)
{
    const vkObjStoreClass *cls = store->cls;
    g_autofree char *path = fileIn(dir, name);
    g_autofree char *text = NULL;

    *def = NULL;
    if (vkFileReadIfExists(path, &text, NULL) < 0)
        return -1;
    if (!text)
        return 0;
    if (!(*def = status ? cls->parseStatus(text) : cls->parseConfig(text))) {
        vkErrorPrefix(cls->errDomain, "cannot load '%s'", path);
        return -1;
    }
    if (checkName(store, path, name, status ? cls->statusName(*def) : cls->configName(*def)) < 0) {
        (status ? cls->freeStatus : cls->freeConfig)(*def);
        *def = NULL;
        return -1;
    }
    return 1;
}

int vkObjStoreRead(const vkObjStore *store, const char *name, vkObjStoreObj **obj)
{
    void *config = NULL;
    void *status = NULL;

    *obj = NULL;
    if (readFile(store, store->etc, name, FALSE, &config) < 0)
        return -1;
    if (readFile(store, store->run, name, TRUE, &status) < 0) {
        g_autofree char *what = g_strdup_printf("corrupt %s status ignored", store->cls->kind);
        vkErrorWarn(what);
    }
    if (!config && !status)
        return 0;
    *obj = g_new0(vkObjStoreObj, 1);
    (*obj)->cls = store->cls;
    (*obj)->name = g_strdup(name);
    (*obj)->config = config;
    (*obj)->status = status;
    (*obj)->autostart = config && vkFileAutostartGet(store->autostartDir, name);
    return 1;
}

static int readOne(void *opaque, const char *name, void **obj)
{
    return vkObjStoreRead(opaque, name, (vkObjStoreObj **)obj);
}

GPtrArray *vkObjStoreReadAll(const vkObjStore *store)
{
    const char *dirs[] = { store->etc, store->run, NULL };

    return vkFileReadObjects(dirs, "xml", readOne, (void *)store, (GDestroyNotify)vkObjStoreObjFree,
                             store->cls->kind);
}

/* ---- writing ---- */

int vkObjStoreConfigWrite(const vkObjStore *store, const char *name, const char *text)
{
    g_autofree char *path = fileIn(store->etc, name);

    if (vkFileMakePath(store->etc, DIR_MODE) < 0)
        return -1;
    return vkFileWriteAtomic(path, text, -1, FILE_MODE);
}

int vkObjStoreStatusWrite(const vkObjStore *store, const char *name, const char *text)
{
    g_autofree char *path = fileIn(store->run, name);

    if (vkFileMakePath(store->run, DIR_MODE) < 0)
        return -1;
    return vkFileWriteRunState(path, text, -1, FILE_MODE);
}

int vkObjStoreConfigDelete(const vkObjStore *store, const char *name)
{
    g_autofree char *path = fileIn(store->etc, name);

    /* The mark first: a config that survives a crash here keeps its object defined, which is
     * the safe side. */
    if (vkFileAutostartSet(store->autostartDir, name, FALSE) < 0)
        return -1;
    return vkFileRemoveIfExists(path);
}

int vkObjStoreStatusDelete(const vkObjStore *store, const char *name)
{
    g_autofree char *path = fileIn(store->run, name);
    return vkFileRemoveIfExists(path);
}

int vkObjStoreAutostartSet(const vkObjStore *store, const char *name, gboolean on)
{
    return vkFileAutostartSet(store->autostartDir, name, on);
}

/* ---- locks ---- */

vkFileLock *vkObjStoreLock(const vkObjStore *store, const char *name)
{
    if (vkFileMakePath(store->run, DIR_MODE) < 0)
        return NULL;
    return vkFileLockAcquire(store->run, name);
}

int vkObjStoreTryLock(const vkObjStore *store, const char *name, vkFileLock **lock)
{
    *lock = NULL;
    if (vkFileMakePath(store->run, DIR_MODE) < 0)
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

/* Pools on disk: the object store's class for pool configs and status files, reconciling a
 * pool with the host after a crash, and the default pool. */
#include <errno.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

#include "conf/object_name.h"
#include "storage_priv.h"
#include "util/vkuuid.h"
#include "util/vkxml.h"

VK_ENUM_IMPL(vkStoragePoolStatusState, VK_STORAGE_POOL_STATUS_LAST, "starting", "active",
             "stopping");

void vkStoragePoolStatusFree(vkStoragePoolStatus *status)
{
    if (!status)
        return;
    vkStoragePoolDefFree(status->def);
    g_free(status);
}

const vkStoragePoolDef *vkStoragePoolObjDef(const vkStoragePoolObj *obj)
{
    return obj->status ? vkStoragePoolObjStatus(obj)->def : vkStoragePoolObjConfig(obj);
}

gboolean vkStoragePoolObjIsActive(const vkStoragePoolObj *obj)
{
    return obj->status && vkStoragePoolObjStatus(obj)->state == VK_STORAGE_POOL_STATUS_ACTIVE;
}

/* ---- the object store's view of pool files ---- */

static void *configParse(const char *text)
{
    return vkStoragePoolDefParseString(text);
}

static char *statusFormat(const vkStoragePoolStatus *status)
{
    g_autofree char *pool = vkStoragePoolDefFormatIndented(status->def, 2);
    GString *out = g_string_new(NULL);

    g_string_append_printf(out, "<poolstatus state='%s' redefined='%s'>\n",
                           vkStoragePoolStatusStateTypeToString(status->state),
                           status->redefined ? "yes" : "no");
    g_string_append(out, pool);
    g_string_append(out, "</poolstatus>\n");
    return g_string_free(out, FALSE);
}

static void *statusParse(const char *text)
{
    static const char *const attrs[] = { "state", "redefined", NULL };
    g_autoptr(xmlDoc) doc = vkXMLParseString(text, "pool_status", ERR);
    g_autoptr(vkStoragePoolStatus) status = g_new0(vkStoragePoolStatus, 1);
    xmlNodePtr root;
    xmlNodePtr node;
    int rc;

    if (!doc || !(root = vkXMLRoot(doc, "poolstatus", ERR)) ||
        vkXMLCheckAttrs(root, attrs, ERR) < 0)
        return NULL;
    if ((rc = vkXMLPropEnum(root, "state", vkStoragePoolStatusStateTypeFromString, &status->state,
                            ERR)) <= 0) {
        if (rc == 0)
            vkXMLReportAt(root, ERR, VIR_ERR_XML_ERROR, "%s", "status without a state");
        return NULL;
    }
    if (vkXMLPropBool(root, "redefined", FALSE, &status->redefined, ERR) < 0)
        return NULL;
    if (!(node = vkXMLChild(root, "pool"))) {
        vkXMLReportAt(root, ERR, VIR_ERR_XML_ERROR, "%s", "status without a <pool>");
        return NULL;
    }
    if (!(status->def = vkStoragePoolDefParseNode(doc, node)))
        return NULL;
    return g_steal_pointer(&status);
}

static const char *configName(const void *config)
{
    return ((const vkStoragePoolDef *)config)->name;
}

static const char *statusName(const void *status)
{
    return ((const vkStoragePoolStatus *)status)->def->name;
}

static void *configCopy(const void *config)
{
    return vkStoragePoolDefCopy(config);
}

static char *configFormat(const void *config)
{
    return vkStoragePoolDefFormat(config);
}

static gboolean nameValid(const char *name)
{
    return vkObjectNameIsValid(VK_OBJECT_POOL, name);
}

static int nameCheck(const char *name)
{
    return vkObjectNameCheck(VK_OBJECT_POOL, name);
}

static const unsigned char *configUUID(const void *config)
{
    return ((const vkStoragePoolDef *)config)->uuid;
}

static const unsigned char *statusUUID(const void *status)
{
    return ((const vkStoragePoolStatus *)status)->def->uuid;
}

char *vkStoragePoolTargetKey(const vkStoragePoolDef *def)
{
    /* A volume group's path follows from its name, which the uuid and name checks cover. */
    if (def->type == VK_STORAGE_POOL_LOGICAL || !def->target.path)
        return NULL;
    return g_strdup_printf("target=%d:%s", def->type, def->target.path);
}

static void defKeys(const vkStoragePoolDef *def, GPtrArray *keys)
{
    char *key = vkStoragePoolTargetKey(def);

    if (key)
        g_ptr_array_add(keys, key);
}

static void configKeys(const void *config, GPtrArray *keys)
{
    defKeys(config, keys);
}

static void statusKeys(const void *status, GPtrArray *keys)
{
    defKeys(((const vkStoragePoolStatus *)status)->def, keys);
}

static void *statusCopy(const void *status)
{
    const vkStoragePoolStatus *from = status;
    vkStoragePoolStatus *copy = g_memdup2(from, sizeof(*from));

    copy->def = vkStoragePoolDefCopy(from->def);
    return copy;
}

const vkObjStoreClass vkStoragePoolStoreClass = {
    .kind = "pool",
    .errDomain = ERR,
    .parseConfig = configParse,
    .parseStatus = statusParse,
    .configName = configName,
    .statusName = statusName,
    .freeConfig = (GDestroyNotify)vkStoragePoolDefFree,
    .freeStatus = (GDestroyNotify)vkStoragePoolStatusFree,
    .copyConfig = configCopy,
    .copyStatus = statusCopy,
    .formatConfig = configFormat,
    .nameValid = nameValid,
    .nameCheck = nameCheck,
    .noObjectCode = VIR_ERR_NO_STORAGE_POOL,
    .noObjectNoun = "storage pool",
    .configUUID = configUUID,
    .statusUUID = statusUUID,
    .configKeys = configKeys,
    .statusKeys = statusKeys,
};

int vkStoragePoolConfigSave(vkStorageDriverState *state, const vkStoragePoolDef *def)
{
    g_autoptr(vkStoragePoolDef) stored = vkStoragePoolDefCopy(def);
    g_autofree char *text = NULL;

    /* Sizes are the host's to say, at each refresh; the config never carries them. */
    stored->capacity = stored->allocation = stored->available = 0;
    text = vkStoragePoolDefFormat(stored);
    return vkObjStoreConfigWrite(state->store, def->name, text);
}

int vkStoragePoolStatusSave(vkStorageDriverState *state, const vkStoragePoolStatus *status)
{
    g_autofree char *text = statusFormat(status);
    return vkObjStoreStatusWrite(state->store, status->def->name, status, text);
}

/* ---- reconciling ---- */

/* Whether an active pool is still up on the host: an fs pool's mount and a logical pool's
 * volume group device directory go away with a reboot, a dir pool's directory with rm. */
static gboolean stillUp(const vkStoragePoolDef *def)
{
    switch (def->type) {
    case VK_STORAGE_POOL_FS:
        return vkStorageBackendIsMounted(def->target.path);
    default:
        return g_file_test(def->target.path, G_FILE_TEST_IS_DIR);
    }
}

static int reconcileLocked(vkStorageDriverState *state, vkStoragePoolObj *obj)
{
    vkStoragePoolStatus *status = vkStoragePoolObjStatus(obj);

    if (!status)
        return 0;
    if (status->state == VK_STORAGE_POOL_STATUS_ACTIVE && stillUp(status->def))
        return 0;
    /* A start or stop whose process died, or a pool the host lost: undo what may be left. */
    if (status->state != VK_STORAGE_POOL_STATUS_ACTIVE &&
        vkStorageBackendStop(state, status->def) < 0)
        return -1;
    if (vkObjStoreStatusDelete(state->store, obj->name) < 0)
        return -1;
    obj->cls->freeStatus(obj->status);
    obj->status = NULL;
    return 0;
}

int vkStoragePoolReconcile(vkStorageDriverState *state, vkStoragePoolObj *obj, gboolean locked)
{
    vkStoragePoolStatus *status = vkStoragePoolObjStatus(obj);
    g_autoptr(vkFileLock) lock = NULL;
    int rc;

    if (!status || (status->state == VK_STORAGE_POOL_STATUS_ACTIVE && stillUp(status->def)))
        return 0;
    if (locked)
        return reconcileLocked(state, obj);
    /* A busy lock: its owner is starting or stopping the pool right now. */
    if ((rc = vkObjStoreTryLock(state->store, obj->name, &lock)) != 0)
        return rc < 0 ? -1 : 0;
    return reconcileLocked(state, obj);
}

/* ---- the default pool ---- */

/* ROOT/etc/storage/default-pool-created: no ".xml", so no pool's files clash with it. */
#define DEFAULT_MARK "default-pool-created"

void vkStorageDefaultPoolEnsure(vkStorageDriverState *state)
{
    g_autofree char *mark = g_build_filename(state->paths->etc, DEFAULT_MARK, NULL);
    g_autoptr(vkFileLock) driverLock = NULL;
    g_autoptr(vkFileLock) lock = NULL;
    g_autoptr(vkStoragePoolDef) def = NULL;
    g_autoptr(vkStoragePoolStatus) status = NULL;
    g_autoptr(vkStoragePoolObj) obj = NULL;

    /* Every open after the first: one stat. */
    if (g_file_test(mark, G_FILE_TEST_EXISTS))
        return;
    if (!(driverLock = vkObjStoreDriverLock(state->store)) ||
        !(lock = vkObjStoreLock(state->store, "default")))
        goto warn;
    if (g_file_test(mark, G_FILE_TEST_EXISTS))
        return;
    if (vkObjStoreRead(state->store, "default", &obj) < 0)
        goto warn;
    if (!obj) {
        def = g_new0(vkStoragePoolDef, 1);
        def->type = VK_STORAGE_POOL_DIR;
        def->name = g_strdup("default");
        vkUUIDGenerate(def->uuid);
        def->source.format = -1;
        def->target.path = g_strdup(state->imagesDir);
        def->target.perms.mode = def->target.perms.uid = def->target.perms.gid = -1;
        /* libvirt's tools make the directory 0711 and the pool autostarted. */
        if (vkFileMakePath(state->imagesDir, 0711) < 0 || vkStoragePoolConfigSave(state, def) < 0 ||
            vkObjStoreAutostartSet(state->store, "default", TRUE) < 0)
            goto warn;
        status = g_new0(vkStoragePoolStatus, 1);
        status->def = vkStoragePoolDefCopy(def);
        status->state = VK_STORAGE_POOL_STATUS_ACTIVE;
        if (vkStorageBackendStart(state, status->def) < 0 ||
            vkStoragePoolStatusSave(state, status) < 0)
            goto warn;
    }
    if (vkFileWriteAtomic(mark, "", 0, 0600) < 0)
        goto warn;
    return;

warn:
    vkErrorWarn("cannot create the default storage pool");
}

/* ---- event records ---- */

static const char *const recordNames[VK_STORAGE_EVENT_LAST] = { "created", "deleted", "refresh" };

static char *eventPath(const vkStorageDriverState *state, const char *name)
{
    g_autofree char *file = g_strconcat(name, ".event", NULL);

    return g_build_filename(state->paths->run, file, NULL);
}

void vkStoragePoolEventCountsRead(const vkStorageDriverState *state, const char *name,
                                  vkStorageEventCounts *counts)
{
    g_autofree char *path = eventPath(state, name);
    g_autofree char *text = NULL;
    g_auto(GStrv) lines = NULL;

    memset(counts, 0, sizeof(*counts));
    if (vkFileReadIfExists(path, &text, NULL) < 0) {
        vkResetLastError();
        return;
    }
    if (!text)
        return;
    lines = g_strsplit(text, "\n", -1);
    for (char **l = lines; *l; l++) {
        for (int i = 0; i < VK_STORAGE_EVENT_LAST; i++) {
            const char *value;

            if (g_str_has_prefix(*l, recordNames[i]) &&
                *(value = *l + strlen(recordNames[i])) == ' ')
                counts->count[i] = g_ascii_strtoull(value + 1, NULL, 10);
        }
    }
}

void vkStoragePoolEventRecord(vkStorageDriverState *state, const char *name, int record)
{
    g_autofree char *path = eventPath(state, name);
    g_autoptr(GString) text = g_string_new(NULL);
    vkStorageEventCounts counts;

    vkStoragePoolEventCountsRead(state, name, &counts);
    counts.count[record]++;
    for (int i = 0; i < VK_STORAGE_EVENT_LAST; i++)
        g_string_append_printf(text, "%s %" G_GUINT64_FORMAT "\n", recordNames[i], counts.count[i]);
    if (vkFileWriteRunState(path, text->str, text->len, 0600) < 0)
        vkErrorWarn("cannot record the storage pool event");
}

void vkStoragePoolEventForget(vkStorageDriverState *state, const char *name)
{
    g_autofree char *path = eventPath(state, name);

    if (unlink(path) < 0 && errno != ENOENT) {
        vkReportSystemError(ERR, errno, "cannot remove '%s'", path);
        vkErrorWarn("cannot forget the storage pool's events");
    }
}

/* The storage calls of qemu:/// connections: libvirt's semantics for pools and volumes over
 * state that lives in files under the driver's root and on the host. */
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "conf/object_name.h"
#include "object_event.h"
#include "storage_priv.h"
#include "stream.h"
#include "util/vkuuid.h"

/* ---- the state ---- */

vkStorageDriverState *vkStorageDriverStateNew(GUri *uri)
{
    vkDriverPaths *paths = vkDriverPathsNew(uri, "storage", ERR);
    vkStorageDriverState *state;

    if (!paths)
        return NULL;
    state = g_new0(vkStorageDriverState, 1);
    state->paths = paths;
    state->store = vkObjStoreNew(&vkStoragePoolStoreClass, paths->etc, paths->run);
    state->imagesDir = paths->root ? g_build_filename(paths->root, "images", NULL)
                                   : g_strdup("/var/lib/virtkit/images");
    g_mutex_init(&state->lock);
    return state;
}

void vkStorageDriverStateFree(vkStorageDriverState *state)
{
    if (!state)
        return;
    vkDriverPathsFree(state->paths);
    vkObjStoreFree(state->store);
    g_free(state->imagesDir);
    vkObjectEventStateUnref(state->events);
    g_mutex_clear(&state->lock);
    g_free(state);
}

vkStorageDriverState *vkStorageDriverStateOf(virConnectPtr conn)
{
    if (!conn || !conn->driver || conn->driver->storageDriver != &vkHostStorageDriver)
        return NULL;
    return conn->storagePrivateData;
}

static vkStorageDriverState *stateOf(virConnectPtr conn)
{
    return conn->storagePrivateData;
}

/* ---- finding pools ---- */

static void reportNoName(const char *name)
{
    vkReportError(ERR, VIR_ERR_NO_STORAGE_POOL, "no storage pool with matching name '%s'", name);
}

static void reportNoUUID(const unsigned char *uuid, const char *name)
{
    char uuidstr[VIR_UUID_STRING_BUFLEN];

    vkUUIDFormat(uuid, uuidstr);
    if (name)
        vkReportError(ERR, VIR_ERR_NO_STORAGE_POOL, "no storage pool with matching uuid '%s' (%s)",
                      uuidstr, name);
    else
        vkReportError(ERR, VIR_ERR_NO_STORAGE_POOL, "no storage pool with matching uuid '%s'",
                      uuidstr);
}

static void reconcileQuietly(vkStorageDriverState *state, vkStoragePoolObj *obj)
{
    if (vkStoragePoolReconcile(state, obj, FALSE) < 0) {
        g_autofree char *what = g_strdup_printf("cannot refresh storage pool '%s'", obj->name);
        vkErrorWarn(what);
    }
}

static gboolean objExists(const vkStoragePoolObj *obj)
{
    return obj->config || obj->status;
}

static vkStoragePoolObj *objByName(vkStorageDriverState *state, const char *name, gboolean locked)
{
    g_autoptr(vkStoragePoolObj) obj = NULL;
    /* A name that could not be a pool's file names no pool: the store reads nothing for it. */
    int rc = vkObjStoreRead(state->store, name, &obj);

    if (rc < 0)
        return NULL;
    if (rc > 0 && locked && vkStoragePoolReconcile(state, obj, TRUE) < 0)
        return NULL;
    if (rc > 0 && !locked)
        reconcileQuietly(state, obj);
    if (rc == 0 || !objExists(obj)) {
        reportNoName(name);
        return NULL;
    }
    return g_steal_pointer(&obj);
}

static vkStoragePoolObj *objByHandle(virStoragePoolPtr pool, gboolean locked)
{
    g_autoptr(vkStoragePoolObj) obj = objByName(stateOf(pool->conn), pool->name, locked);

    if (!obj) {
        if (virGetLastErrorCode() == VIR_ERR_NO_STORAGE_POOL)
            reportNoUUID(pool->uuid, pool->name);
        return NULL;
    }
    if (memcmp(vkStoragePoolObjDef(obj)->uuid, pool->uuid, VIR_UUID_BUFLEN) != 0) {
        reportNoUUID(pool->uuid, pool->name);
        return NULL;
    }
    return g_steal_pointer(&obj);
}

static virStoragePoolPtr newPoolHandle(virConnectPtr conn, const vkStoragePoolObj *obj)
{
    const vkStoragePoolDef *def = vkStoragePoolObjDef(obj);
    return vkStoragePoolNew(conn, def->name, def->uuid);
}

static GPtrArray *allPools(vkStorageDriverState *state)
{
    GPtrArray *objs = vkObjStoreReadAll(state->store);

    for (guint i = objs->len; i-- > 0;) {
        vkStoragePoolObj *obj = g_ptr_array_index(objs, i);
        reconcileQuietly(state, obj);
        if (!objExists(obj))
            g_ptr_array_remove_index(objs, i);
    }
    return objs;
}

static int requireActive(const vkStoragePoolObj *obj)
{
    if (vkStoragePoolObjIsActive(obj))
        return 0;
    vkReportError(ERR, VIR_ERR_OPERATION_INVALID, "storage pool '%s' is not active", obj->name);
    return -1;
}

static int requireInactive(const vkStoragePoolObj *obj)
{
    if (!obj->status)
        return 0;
    vkReportError(ERR, VIR_ERR_OPERATION_INVALID, "storage pool '%s' is still active", obj->name);
    return -1;
}

/* ---- the connection ---- */

void vkStorageDriverSetInUseCheck(vkStorageDriverState *state, vkStorageInUseFunc fn, void *opaque)
{
    state->inUse = fn;
    state->inUseData = opaque;
}

static int autostartOne(const vkObjStore *store, const char *name, void *opaque)
{
    vkStorageDriverState *state = opaque;
    g_autoptr(vkStoragePoolObj) obj = NULL;
    g_autoptr(vkStoragePoolStatus) status = NULL;

    if (vkObjStoreRead(store, name, &obj) < 0 ||
        (obj && vkStoragePoolReconcile(state, obj, TRUE) < 0))
        return -1;
    if (!obj || !obj->config || !obj->autostart || obj->status)
        return 0;
    status = g_new0(vkStoragePoolStatus, 1);
    status->def = vkStoragePoolDefCopy(vkStoragePoolObjConfig(obj));
    return vkStoragePoolStartDef(state, status);
}

void vkStorageAutostartOnBoot(vkStorageDriverState *state)
{
    vkObjStoreAutostartOnce(state->store, autostartOne, state);
}

static vkDrvOpenStatus connectOpen(virConnectPtr conn, GUri *uri, unsigned int flags)
{
    vkStorageDriverState *state = vkStorageDriverStateNew(uri);

    if (!state)
        return VK_DRV_OPEN_ERROR;
    /* Read-only connections look; they never create or start anything. Neither can anyone on
     * a root that cannot hold the driver's state (a read-only one, made before pools existed):
     * one warning says so, rather than one for each thing that is not done, and listing still
     * works. */
    if (!(flags & VIR_CONNECT_RO)) {
        if (vkFileMakePath(state->paths->run, 0700) < 0) {
            vkErrorWarn("cannot set up storage pools");
        } else {
            vkStorageDefaultPoolEnsure(state);
            vkStorageAutostartOnBoot(state);
        }
    }
    conn->storagePrivateData = state;
    return VK_DRV_OPEN_SUCCESS;
}

static int connectClose(virConnectPtr conn)
{
    vkStorageDriverStateFree(g_steal_pointer(&conn->storagePrivateData));
    return 0;
}

/* ---- starting and stopping (pool lock held) ---- */

int vkStoragePoolStartDef(vkStorageDriverState *state, vkStoragePoolStatus *status)
{
    status->state = VK_STORAGE_POOL_STATUS_STARTING;
    if (vkStoragePoolStatusSave(state, status) < 0)
        return -1;
    if (vkStorageBackendStart(state, status->def) < 0)
        goto fail;
    vkStorageVolCleanStale(status->def);
    status->state = VK_STORAGE_POOL_STATUS_ACTIVE;
    if (vkStoragePoolStatusSave(state, status) < 0)
        goto fail;
    return 0;

fail : {
    virErrorPtr saved = vkSaveError();
    vkStorageBackendStop(state, status->def);
    vkObjStoreStatusDelete(state->store, status->def->name);
    vkRestoreError(saved);
    return -1;
}
}

static int stopPool(vkStorageDriverState *state, vkStoragePoolStatus *status)
{
    status->state = VK_STORAGE_POOL_STATUS_STOPPING;
    if (vkStoragePoolStatusSave(state, status) < 0 || vkStorageBackendStop(state, status->def) < 0)
        return -1;
    return vkObjStoreStatusDelete(state->store, status->def->name);
}

/* ---- listing ---- */

#define LIST_FILTERS_ALL ((1u << 20) - 1)

static gboolean matchFilter(const vkStoragePoolObj *obj, unsigned int flags)
{
    return vkStoragePoolListMatch(flags, vkStoragePoolObjIsActive(obj), obj->config != NULL,
                                  obj->autostart, vkStoragePoolObjDef(obj)->type);
}

static int listAllPools(virConnectPtr conn, virStoragePoolPtr **pools, unsigned int flags)
{
    g_autoptr(GPtrArray) objs = NULL;
    GPtrArray *handles;

    if (vkCheckFlags("storageConnectListAllStoragePools", ERR, flags, LIST_FILTERS_ALL) < 0)
        return -1;
    objs = allPools(stateOf(conn));
    handles = g_ptr_array_new_with_free_func((GDestroyNotify)vkStoragePoolUnref);
    for (guint i = 0; i < objs->len; i++) {
        vkStoragePoolObj *obj = g_ptr_array_index(objs, i);
        if (matchFilter(obj, flags))
            g_ptr_array_add(handles, newPoolHandle(conn, obj));
    }
    return vkListHandlesReturn(handles, (void ***)pools);
}

static int countPools(virConnectPtr conn, gboolean active)
{
    g_autoptr(GPtrArray) objs = allPools(stateOf(conn));
    int count = 0;

    for (guint i = 0; i < objs->len; i++)
        count += vkStoragePoolObjIsActive(g_ptr_array_index(objs, i)) == active;
    return count;
}

static int numOfPools(virConnectPtr conn)
{
    return countPools(conn, TRUE);
}

static int numOfDefinedPools(virConnectPtr conn)
{
    return countPools(conn, FALSE);
}

static int listNames(virConnectPtr conn, char **const names, int maxnames, gboolean active)
{
    g_autoptr(GPtrArray) objs = allPools(stateOf(conn));
    int n = 0;

    if (maxnames > 0)
        memset(names, 0, sizeof(*names) * maxnames);
    for (guint i = 0; i < objs->len && n < maxnames; i++) {
        vkStoragePoolObj *obj = g_ptr_array_index(objs, i);
        if (vkStoragePoolObjIsActive(obj) == active)
            names[n++] = g_strdup(obj->name);
    }
    return n;
}

static int listPools(virConnectPtr conn, char **const names, int maxnames)
{
    return listNames(conn, names, maxnames, TRUE);
}

static int listDefinedPools(virConnectPtr conn, char **const names, int maxnames)
{
    return listNames(conn, names, maxnames, FALSE);
}

static char *getPoolCapabilities(virConnectPtr conn, unsigned int flags)
{
    GString *out;

    if (vkCheckFlags("storageConnectGetStoragePoolCapabilities", ERR, flags, 0) < 0)
        return NULL;
    out = g_string_new("<storagepoolCapabilities>\n");
    for (int type = 0; type < VK_STORAGE_POOL_LAST; type++) {
        gboolean supported = type <= VK_STORAGE_POOL_LOGICAL;

        g_string_append_printf(out, "  <pool type='%s' supported='%s'>\n",
                               vkStoragePoolTypeToString(type), supported ? "yes" : "no");
        if (supported && type != VK_STORAGE_POOL_DIR) {
            g_string_append_printf(out, "    <poolOptions>\n");
            g_string_append_printf(out, "      <defaultFormat type='%s'/>\n",
                                   type == VK_STORAGE_POOL_FS ? "auto" : "lvm2");
            g_string_append_printf(out, "      <enum name='sourceFormatType'>\n");
            if (type == VK_STORAGE_POOL_FS) {
                for (int f = 0; f < VK_STORAGE_POOL_FS_LAST; f++)
                    g_string_append_printf(out, "        <value>%s</value>\n",
                                           vkStoragePoolFormatFSTypeToString(f));
            } else {
                for (int f = 0; f < VK_STORAGE_POOL_LOGICAL_LAST; f++)
                    g_string_append_printf(out, "        <value>%s</value>\n",
                                           vkStoragePoolFormatLogicalTypeToString(f));
            }
            g_string_append_printf(out, "      </enum>\n    </poolOptions>\n");
        }
        if (supported && type != VK_STORAGE_POOL_LOGICAL) {
            g_string_append_printf(out, "    <volOptions>\n");
            g_string_append_printf(out, "      <defaultFormat type='raw'/>\n");
            g_string_append_printf(out, "      <enum name='targetFormatType'>\n");
            for (int f = 0; f < VK_STORAGE_FILE_LAST; f++)
                g_string_append_printf(out, "        <value>%s</value>\n",
                                       vkStorageFileFormatTypeToString(f));
            g_string_append_printf(out, "      </enum>\n    </volOptions>\n");
        }
        g_string_append_printf(out, "  </pool>\n");
    }
    g_string_append(out, "</storagepoolCapabilities>\n");
    return g_string_free(out, FALSE);
}

/* ---- pool lookup ---- */

static virStoragePoolPtr poolLookupByName(virConnectPtr conn, const char *name)
{
    g_autoptr(vkStoragePoolObj) obj = objByName(stateOf(conn), name, FALSE);

    return obj ? newPoolHandle(conn, obj) : NULL;
}

static virStoragePoolPtr poolLookupByUUID(virConnectPtr conn, const unsigned char *uuid)
{
    g_autoptr(GPtrArray) objs = allPools(stateOf(conn));

    for (guint i = 0; i < objs->len; i++) {
        vkStoragePoolObj *obj = g_ptr_array_index(objs, i);
        if (memcmp(vkStoragePoolObjDef(obj)->uuid, uuid, VIR_UUID_BUFLEN) == 0)
            return newPoolHandle(conn, obj);
    }
    reportNoUUID(uuid, NULL);
    return NULL;
}

static virStoragePoolPtr poolLookupByVolume(virStorageVolPtr vol)
{
    g_autoptr(vkStoragePoolObj) obj = objByName(stateOf(vol->conn), vol->pool, FALSE);

    if (!obj) {
        vkResetLastError();
        vkReportError(ERR, VIR_ERR_NO_STORAGE_POOL, "no storage pool with matching name '%s'",
                      vol->pool);
        return NULL;
    }
    return newPoolHandle(vol->conn, obj);
}

static virStoragePoolPtr poolLookupByTargetPath(virConnectPtr conn, const char *path)
{
    g_autoptr(GPtrArray) objs = allPools(stateOf(conn));
    g_autofree char *canon = g_canonicalize_filename(path, "/");

    for (guint i = 0; i < objs->len; i++) {
        vkStoragePoolObj *obj = g_ptr_array_index(objs, i);
        if (vkStoragePoolObjIsActive(obj) &&
            g_strcmp0(vkStoragePoolObjDef(obj)->target.path, canon) == 0)
            return newPoolHandle(conn, obj);
    }
    vkReportError(ERR, VIR_ERR_NO_STORAGE_POOL, "no storage pool with matching target path '%s'",
                  path);
    return NULL;
}

/* ---- pool lifecycle ---- */

static gboolean sameUUID(const vkStoragePoolObj *obj, const vkStoragePoolDef *def)
{
    return memcmp(vkStoragePoolObjDef(obj)->uuid, def->uuid, VIR_UUID_BUFLEN) == 0;
}

/* libvirt's rules: a known uuid keeps its name and a known name its uuid; two pools never share
 * a target directory or a source device. */
static int checkUnique(GPtrArray *objs, const vkStoragePoolDef *def, gboolean checkLive)
{
    char uuidstr[VIR_UUID_STRING_BUFLEN];

    for (guint i = 0; i < objs->len; i++) {
        const vkStoragePoolObj *obj = g_ptr_array_index(objs, i);

        if (!sameUUID(obj, def))
            continue;
        if (!g_str_equal(obj->name, def->name)) {
            vkUUIDFormat(def->uuid, uuidstr);
            vkReportError(ERR, VIR_ERR_OPERATION_FAILED,
                          "pool '%s' is already defined with uuid %s", obj->name, uuidstr);
            return -1;
        }
        if (checkLive && obj->status) {
            vkReportError(ERR, VIR_ERR_OPERATION_INVALID, "pool is already active as '%s'",
                          obj->name);
            return -1;
        }
    }
    for (guint i = 0; i < objs->len; i++) {
        const vkStoragePoolObj *obj = g_ptr_array_index(objs, i);
        const vkStoragePoolDef *other = vkStoragePoolObjDef(obj);

        if (g_str_equal(obj->name, def->name)) {
            if (sameUUID(obj, def))
                continue;
            vkUUIDFormat(other->uuid, uuidstr);
            vkReportError(ERR, VIR_ERR_OPERATION_FAILED, "pool '%s' already exists with uuid %s",
                          def->name, uuidstr);
            return -1;
        }
        if (other->type == def->type && def->type != VK_STORAGE_POOL_LOGICAL &&
            g_strcmp0(other->target.path, def->target.path) == 0) {
            vkReportError(ERR, VIR_ERR_OPERATION_FAILED, "Storage source conflict with pool: '%s'",
                          obj->name);
            return -1;
        }
    }
    return 0;
}

/* The pools DEF could clash with (see checkUnique): the index's candidates for its name, uuid
 * and target, or every pool where the target has no key (no path). */
static GPtrArray *clashCandidates(const vkStorageDriverState *state, const vkStoragePoolDef *def)
{
    g_autofree char *key = vkStoragePoolTargetKey(def);
    const char *keys[] = { key, NULL };

    if (!key && def->type != VK_STORAGE_POOL_LOGICAL)
        return vkObjStoreReadAll(state->store);
    return vkObjStoreReadCandidates(state->store, def->name, def->uuid, keys);
}

static vkStoragePoolDef *parsePool(const char *xml)
{
    g_autoptr(vkStoragePoolDef) def = vkStoragePoolDefParseString(xml);

    /* The parser applied the name rule already. */
    if (!def || vkStorageBackendCheck(def->type) < 0)
        return NULL;
    return g_steal_pointer(&def);
}

static virStoragePoolPtr poolDefineXML(virConnectPtr conn, const char *xml, unsigned int flags)
{
    vkStorageDriverState *state = stateOf(conn);
    g_autoptr(vkStoragePoolDef) def = NULL;
    g_autoptr(vkFileLock) driverLock = NULL;
    g_autoptr(vkFileLock) lock = NULL;
    g_autoptr(GPtrArray) objs = NULL;
    g_autoptr(vkStoragePoolObj) obj = NULL;

    if (vkCheckFlags("storagePoolDefineXML", ERR, flags, VIR_STORAGE_POOL_DEFINE_VALIDATE) < 0 ||
        !(def = parsePool(xml)) || !(driverLock = vkObjStoreDriverLock(state->store)) ||
        !(lock = vkObjStoreLock(state->store, def->name)))
        return NULL;
    objs = clashCandidates(state, def);
    if (checkUnique(objs, def, FALSE) < 0 || vkStoragePoolConfigSave(state, def) < 0)
        return NULL;
    /* A running pool keeps its live definition; the new one applies from its next start. */
    if (vkObjStoreRead(state->store, def->name, &obj) > 0 && obj->status &&
        !vkStoragePoolObjStatus(obj)->redefined) {
        vkStoragePoolObjStatus(obj)->redefined = TRUE;
        if (vkStoragePoolStatusSave(state, vkStoragePoolObjStatus(obj)) < 0)
            return NULL;
    }
    return vkStoragePoolNew(conn, def->name, def->uuid);
}

static int buildFlagsFromCreate(unsigned int flags)
{
    if (flags & VIR_STORAGE_POOL_CREATE_WITH_BUILD_OVERWRITE)
        return VIR_STORAGE_POOL_BUILD_OVERWRITE;
    if (flags & VIR_STORAGE_POOL_CREATE_WITH_BUILD_NO_OVERWRITE)
        return VIR_STORAGE_POOL_BUILD_NO_OVERWRITE;
    return 0;
}

static int checkCreateFlags(const char *func, unsigned int flags)
{
    const unsigned int all = VIR_STORAGE_POOL_CREATE_WITH_BUILD |
                             VIR_STORAGE_POOL_CREATE_WITH_BUILD_OVERWRITE |
                             VIR_STORAGE_POOL_CREATE_WITH_BUILD_NO_OVERWRITE;

    if (vkCheckFlags(func, ERR, flags, all) < 0)
        return -1;
    if ((flags & VIR_STORAGE_POOL_CREATE_WITH_BUILD_OVERWRITE) &&
        (flags & VIR_STORAGE_POOL_CREATE_WITH_BUILD_NO_OVERWRITE)) {
        vkReportError(ERR, VIR_ERR_INVALID_ARG, "%s",
                      "Flags 'VIR_STORAGE_POOL_CREATE_WITH_BUILD_OVERWRITE' and "
                      "'VIR_STORAGE_POOL_CREATE_WITH_BUILD_NO_OVERWRITE' are mutually exclusive");
        return -1;
    }
    return 0;
}

static virStoragePoolPtr poolCreateXML(virConnectPtr conn, const char *xml, unsigned int flags)
{
    vkStorageDriverState *state = stateOf(conn);
    g_autoptr(vkStoragePoolDef) def = NULL;
    g_autoptr(vkFileLock) driverLock = NULL;
    g_autoptr(vkFileLock) lock = NULL;
    g_autoptr(GPtrArray) objs = NULL;
    g_autoptr(vkStoragePoolStatus) status = NULL;

    if (checkCreateFlags("storagePoolCreateXML", flags) < 0 || !(def = parsePool(xml)) ||
        !(driverLock = vkObjStoreDriverLock(state->store)) ||
        !(lock = vkObjStoreLock(state->store, def->name)))
        return NULL;
    objs = clashCandidates(state, def);
    if (checkUnique(objs, def, TRUE) < 0)
        return NULL;
    for (guint i = 0; i < objs->len; i++) {
        if (g_str_equal(((vkStoragePoolObj *)g_ptr_array_index(objs, i))->name, def->name)) {
            vkReportError(ERR, VIR_ERR_OPERATION_INVALID, "storage pool '%s' is already defined",
                          def->name);
            return NULL;
        }
    }
    if ((flags &
         (VIR_STORAGE_POOL_CREATE_WITH_BUILD | VIR_STORAGE_POOL_CREATE_WITH_BUILD_OVERWRITE |
          VIR_STORAGE_POOL_CREATE_WITH_BUILD_NO_OVERWRITE)) &&
        vkStorageBackendBuild(state, def, buildFlagsFromCreate(flags)) < 0)
        return NULL;
    status = g_new0(vkStoragePoolStatus, 1);
    status->def = g_steal_pointer(&def);
    if (vkStoragePoolStartDef(state, status) < 0)
        return NULL;
    return vkStoragePoolNew(conn, status->def->name, status->def->uuid);
}

static int poolBuild(virStoragePoolPtr pool, unsigned int flags)
{
    vkStorageDriverState *state = stateOf(pool->conn);
    g_autoptr(vkFileLock) lock = NULL;
    g_autoptr(vkStoragePoolObj) obj = NULL;

    if (vkCheckFlags("storagePoolBuild", ERR, flags,
                     VIR_STORAGE_POOL_BUILD_OVERWRITE | VIR_STORAGE_POOL_BUILD_NO_OVERWRITE) < 0)
        return -1;
    if ((flags & VIR_STORAGE_POOL_BUILD_OVERWRITE) &&
        (flags & VIR_STORAGE_POOL_BUILD_NO_OVERWRITE)) {
        vkReportError(ERR, VIR_ERR_INVALID_ARG, "%s",
                      "Flags 'VIR_STORAGE_POOL_BUILD_OVERWRITE' and "
                      "'VIR_STORAGE_POOL_BUILD_NO_OVERWRITE' are mutually exclusive");
        return -1;
    }
    if (!(lock = vkObjStoreLock(state->store, pool->name)) || !(obj = objByHandle(pool, TRUE)))
        return -1;
    if (obj->status) {
        vkReportError(ERR, VIR_ERR_OPERATION_INVALID, "storage pool '%s' is already active",
                      obj->name);
        return -1;
    }
    if (vkStorageBackendBuild(state, vkStoragePoolObjDef(obj), flags) < 0)
        return -1;
    /* Only pool-build tells of it, as in libvirt: a start or create that builds is announced
     * as started, and no more. */
    vkStoragePoolEventRecord(state, obj->name, VK_STORAGE_EVENT_CREATED);
    return 0;
}

static int poolUndefine(virStoragePoolPtr pool)
{
    vkStorageDriverState *state = stateOf(pool->conn);
    g_autoptr(vkFileLock) lock = NULL;
    g_autoptr(vkStoragePoolObj) obj = NULL;

    if (!(lock = vkObjStoreLock(state->store, pool->name)) || !(obj = objByHandle(pool, TRUE)) ||
        requireInactive(obj) < 0)
        return -1;
    if (!obj->config) {
        vkReportError(ERR, VIR_ERR_OPERATION_INVALID, "storage pool '%s' is transient", obj->name);
        return -1;
    }
    if (vkObjStoreConfigDelete(state->store, obj->name) < 0)
        return -1;
    vkStoragePoolEventForget(state, obj->name);
    return 0;
}

static int poolCreate(virStoragePoolPtr pool, unsigned int flags)
{
    vkStorageDriverState *state = stateOf(pool->conn);
    g_autoptr(vkFileLock) lock = NULL;
    g_autoptr(vkStoragePoolObj) obj = NULL;
    g_autoptr(vkStoragePoolStatus) status = NULL;

    if (checkCreateFlags("storagePoolCreate", flags) < 0 ||
        !(lock = vkObjStoreLock(state->store, pool->name)) || !(obj = objByHandle(pool, TRUE)))
        return -1;
    if (obj->status) {
        vkReportError(ERR, VIR_ERR_OPERATION_INVALID, "storage pool '%s' is already active",
                      obj->name);
        return -1;
    }
    if ((flags &
         (VIR_STORAGE_POOL_CREATE_WITH_BUILD | VIR_STORAGE_POOL_CREATE_WITH_BUILD_OVERWRITE |
          VIR_STORAGE_POOL_CREATE_WITH_BUILD_NO_OVERWRITE)) &&
        vkStorageBackendBuild(state, vkStoragePoolObjConfig(obj), buildFlagsFromCreate(flags)) < 0)
        return -1;
    status = g_new0(vkStoragePoolStatus, 1);
    status->def = vkStoragePoolDefCopy(vkStoragePoolObjConfig(obj));
    return vkStoragePoolStartDef(state, status);
}

static int poolDestroy(virStoragePoolPtr pool)
{
    vkStorageDriverState *state = stateOf(pool->conn);
    g_autoptr(vkFileLock) lock = NULL;
    g_autoptr(vkStoragePoolObj) obj = NULL;

    if (!(lock = vkObjStoreLock(state->store, pool->name)) || !(obj = objByHandle(pool, TRUE)) ||
        requireActive(obj) < 0 || stopPool(state, vkStoragePoolObjStatus(obj)) < 0)
        return -1;
    if (!obj->config)
        vkStoragePoolEventForget(state, obj->name);
    return 0;
}

static int poolDelete(virStoragePoolPtr pool, unsigned int flags)
{
    vkStorageDriverState *state = stateOf(pool->conn);
    g_autoptr(vkFileLock) lock = NULL;
    g_autoptr(vkStoragePoolObj) obj = NULL;

    if (vkCheckFlags("storagePoolDelete", ERR, flags, VIR_STORAGE_POOL_DELETE_ZEROED) < 0 ||
        !(lock = vkObjStoreLock(state->store, pool->name)) || !(obj = objByHandle(pool, TRUE)) ||
        requireInactive(obj) < 0 ||
        vkStorageBackendDelete(state, vkStoragePoolObjDef(obj), flags) < 0)
        return -1;
    vkStoragePoolEventRecord(state, obj->name, VK_STORAGE_EVENT_DELETED);
    return 0;
}

static int poolRefresh(virStoragePoolPtr pool, unsigned int flags)
{
    vkStorageDriverState *state = stateOf(pool->conn);
    g_autoptr(vkFileLock) lock = NULL;
    g_autoptr(vkStoragePoolObj) obj = NULL;
    vkStoragePoolStatus *status;

    if (vkCheckFlags("storagePoolRefresh", ERR, flags, 0) < 0 ||
        !(lock = vkObjStoreLock(state->store, pool->name)) || !(obj = objByHandle(pool, TRUE)) ||
        requireActive(obj) < 0)
        return -1;
    status = vkStoragePoolObjStatus(obj);
    vkStorageVolCleanStale(status->def);
    if (vkStorageBackendRefresh(state, status->def) < 0) {
        /* A pool whose storage vanished stops, as libvirt stops it. */
        virErrorPtr saved = vkSaveError();
        if (stopPool(state, status) == 0 && !obj->config)
            vkStoragePoolEventForget(state, obj->name);
        vkRestoreError(saved);
        return -1;
    }
    if (vkStoragePoolStatusSave(state, status) < 0)
        return -1;
    vkStoragePoolEventRecord(state, obj->name, VK_STORAGE_EVENT_REFRESH);
    return 0;
}

/* ---- pool queries ---- */

/* The live definition with the host's numbers of now. */
static vkStoragePoolDef *liveDef(vkStorageDriverState *state, const vkStoragePoolObj *obj)
{
    vkStoragePoolDef *def = vkStoragePoolDefCopy(vkStoragePoolObjDef(obj));

    if (vkStoragePoolObjIsActive(obj) && vkStorageBackendRefresh(state, def) < 0)
        vkResetLastError();
    return def;
}

static int poolGetInfo(virStoragePoolPtr pool, virStoragePoolInfoPtr info)
{
    g_autoptr(vkStoragePoolObj) obj = objByHandle(pool, FALSE);
    g_autoptr(vkStoragePoolDef) def = NULL;

    if (!obj)
        return -1;
    info->state =
        vkStoragePoolObjIsActive(obj) ? VIR_STORAGE_POOL_RUNNING : VIR_STORAGE_POOL_INACTIVE;
    if (!vkStoragePoolObjIsActive(obj))
        return 0;
    def = liveDef(stateOf(pool->conn), obj);
    info->capacity = def->capacity;
    info->allocation = def->allocation;
    info->available = def->available;
    return 0;
}

static char *poolGetXMLDesc(virStoragePoolPtr pool, unsigned int flags)
{
    g_autoptr(vkStoragePoolObj) obj = NULL;
    g_autoptr(vkStoragePoolDef) def = NULL;
    const vkStoragePoolStatus *status;

    if (vkCheckFlags("storagePoolGetXMLDesc", ERR, flags, VIR_STORAGE_XML_INACTIVE) < 0 ||
        !(obj = objByHandle(pool, FALSE)))
        return NULL;
    status = vkStoragePoolObjStatus(obj);
    if ((flags & VIR_STORAGE_XML_INACTIVE) && obj->config && status && status->redefined)
        return vkStoragePoolDefFormat(vkStoragePoolObjConfig(obj));
    def = liveDef(stateOf(pool->conn), obj);
    return vkStoragePoolDefFormat(def);
}

static int poolGetAutostart(virStoragePoolPtr pool, int *autostart)
{
    g_autoptr(vkStoragePoolObj) obj = objByHandle(pool, FALSE);

    if (!obj)
        return -1;
    *autostart = obj->autostart;
    return 0;
}

static int poolSetAutostart(virStoragePoolPtr pool, int autostart)
{
    vkStorageDriverState *state = stateOf(pool->conn);
    g_autoptr(vkFileLock) lock = NULL;
    g_autoptr(vkStoragePoolObj) obj = NULL;

    if (!(lock = vkObjStoreLock(state->store, pool->name)) || !(obj = objByHandle(pool, TRUE)))
        return -1;
    if (!obj->config) {
        vkReportError(ERR, VIR_ERR_INTERNAL_ERROR, "%s", "cannot set autostart for transient pool");
        return -1;
    }
    return vkObjStoreAutostartSet(state->store, obj->name, autostart != 0);
}

static int poolIsActive(virStoragePoolPtr pool)
{
    g_autoptr(vkStoragePoolObj) obj = objByHandle(pool, FALSE);

    return obj ? vkStoragePoolObjIsActive(obj) : -1;
}

static int poolIsPersistent(virStoragePoolPtr pool)
{
    g_autoptr(vkStoragePoolObj) obj = objByHandle(pool, FALSE);

    return obj ? obj->config != NULL : -1;
}

/* ---- the volumes of a pool ---- */

/* The names and keys of an active pool's volumes (no volume is read: listings need no more). */
static GPtrArray *activeVols(virStoragePoolPtr pool, vkStoragePoolObj **objOut)
{
    g_autoptr(vkStoragePoolObj) obj = objByHandle(pool, FALSE);
    GPtrArray *vols;

    if (!obj || requireActive(obj) < 0 || !(vols = vkStorageVolListNames(vkStoragePoolObjDef(obj))))
        return NULL;
    if (objOut)
        *objOut = g_steal_pointer(&obj);
    return vols;
}

static int poolNumOfVolumes(virStoragePoolPtr pool)
{
    g_autoptr(GPtrArray) vols = activeVols(pool, NULL);

    return vols ? (int)vols->len : -1;
}

static int poolListVolumes(virStoragePoolPtr pool, char **const names, int maxnames)
{
    g_autoptr(GPtrArray) vols = activeVols(pool, NULL);
    int n = 0;

    if (!vols)
        return -1;
    if (maxnames > 0)
        memset(names, 0, sizeof(*names) * maxnames);
    for (guint i = 0; i < vols->len && n < maxnames; i++)
        names[n++] = g_strdup(((vkStorageVolDef *)g_ptr_array_index(vols, i))->name);
    return n;
}

static virStorageVolPtr newVolHandle(virConnectPtr conn, const char *pool,
                                     const vkStorageVolDef *vol)
{
    return vkStorageVolNew(conn, pool, vol->name, vol->key);
}

static int poolListAllVolumes(virStoragePoolPtr pool, virStorageVolPtr **vols, unsigned int flags)
{
    g_autoptr(GPtrArray) defs = NULL;
    GPtrArray *handles;

    if (vkCheckFlags("storagePoolListAllVolumes", ERR, flags, 0) < 0 ||
        !(defs = activeVols(pool, NULL)))
        return -1;
    handles = g_ptr_array_new_with_free_func((GDestroyNotify)vkStorageVolUnref);
    for (guint i = 0; i < defs->len; i++)
        g_ptr_array_add(handles, newVolHandle(pool->conn, pool->name, g_ptr_array_index(defs, i)));
    return vkListHandlesReturn(handles, (void ***)vols);
}

/* ---- finding volumes ---- */

static void reportNoVol(const char *what, const char *value)
{
    vkReportError(ERR, VIR_ERR_NO_STORAGE_VOL, "no storage vol with matching %s '%s'", what, value);
}

/* The volume NAME of the active pool OBJ: 1 found, 0 none (reported), -1 reported. */
static vkStorageVolDef *volInPool(const vkStoragePoolObj *obj, const char *name)
{
    g_autoptr(vkStorageVolDef) vol = NULL;
    int rc = vkStorageVolRead(vkStoragePoolObjDef(obj), name, &vol);

    if (rc < 0)
        return NULL;
    if (rc == 0) {
        reportNoVol("name", name);
        return NULL;
    }
    return g_steal_pointer(&vol);
}

static virStorageVolPtr volLookupByName(virStoragePoolPtr pool, const char *name)
{
    g_autoptr(vkStoragePoolObj) obj = objByHandle(pool, FALSE);
    g_autoptr(vkStorageVolDef) vol = NULL;

    if (!obj || requireActive(obj) < 0 || !(vol = volInPool(obj, name)))
        return NULL;
    return newVolHandle(pool->conn, obj->name, vol);
}

/* The active pool holding the volume at PATH, and that volume; NULL when none does. */
static vkStorageVolDef *volByPath(vkStorageDriverState *state, const char *path, char **poolName)
{
    g_autoptr(GPtrArray) objs = allPools(state);
    g_autofree char *canon = g_canonicalize_filename(path, "/");
    g_autofree char *dir = g_path_get_dirname(canon);
    g_autofree char *base = g_path_get_basename(canon);

    for (guint i = 0; i < objs->len; i++) {
        vkStoragePoolObj *obj = g_ptr_array_index(objs, i);
        const vkStoragePoolDef *def = vkStoragePoolObjDef(obj);
        vkStorageVolDef *vol = NULL;

        if (!vkStoragePoolObjIsActive(obj) || g_strcmp0(def->target.path, dir) != 0)
            continue;
        if (vkStorageVolRead(def, base, &vol) > 0) {
            *poolName = g_strdup(obj->name);
            return vol;
        }
        vkResetLastError();
    }
    return NULL;
}

static virStorageVolPtr volLookupByPath(virConnectPtr conn, const char *path)
{
    g_autofree char *poolName = NULL;
    g_autoptr(vkStorageVolDef) vol = volByPath(stateOf(conn), path, &poolName);

    if (!vol) {
        reportNoVol("path", path);
        return NULL;
    }
    return newVolHandle(conn, poolName, vol);
}

static virStorageVolPtr volLookupByKey(virConnectPtr conn, const char *key)
{
    g_autoptr(GPtrArray) objs = allPools(stateOf(conn));

    /* File volumes' keys are their paths: one directory to look at. */
    if (g_path_is_absolute(key)) {
        g_autofree char *poolName = NULL;
        g_autoptr(vkStorageVolDef) vol = volByPath(stateOf(conn), key, &poolName);

        if (vol && g_str_equal(vol->key, key))
            return newVolHandle(conn, poolName, vol);
    }
    for (guint i = 0; i < objs->len; i++) {
        vkStoragePoolObj *obj = g_ptr_array_index(objs, i);
        g_autoptr(GPtrArray) vols = NULL;

        if (!vkStoragePoolObjIsActive(obj) ||
            vkStoragePoolObjDef(obj)->type != VK_STORAGE_POOL_LOGICAL ||
            !(vols = vkStorageVolList(vkStoragePoolObjDef(obj)))) {
            vkResetLastError();
            continue;
        }
        for (guint j = 0; j < vols->len; j++) {
            vkStorageVolDef *vol = g_ptr_array_index(vols, j);
            if (g_str_equal(vol->key, key))
                return newVolHandle(conn, obj->name, vol);
        }
    }
    vkReportError(ERR, VIR_ERR_NO_STORAGE_VOL, "no storage vol with matching key %s", key);
    return NULL;
}

/* The active pool a volume handle names, as its files say: for the calls that only look at a
 * volume, which a listing makes for every volume (no autostart mark, no reconciling: a pool
 * whose storage vanished simply has no volumes). */
static vkStoragePoolObj *poolOfVolQuick(vkStorageDriverState *state, virStorageVolPtr vol)
{
    g_autoptr(vkStoragePoolObj) obj = NULL;
    int rc = 0;

    if (!strchr(vol->pool, '/') && vol->pool[0] != '.')
        rc = vkObjStoreReadDefs(state->store, vol->pool, &obj);
    if (rc < 0)
        return NULL;
    if (rc == 0 || !objExists(obj)) {
        reportNoName(vol->pool);
        return NULL;
    }
    if (requireActive(obj) < 0)
        return NULL;
    return g_steal_pointer(&obj);
}

/* The pool (locked when LOCK is given) and volume a handle names. */
static vkStorageVolDef *volByHandle(virStorageVolPtr vol, vkFileLock **lock,
                                    vkStoragePoolObj **objOut)
{
    vkStorageDriverState *state = stateOf(vol->conn);
    g_autoptr(vkStoragePoolObj) obj = NULL;
    g_autoptr(vkStorageVolDef) def = NULL;

    if (lock && !(*lock = vkObjStoreLock(state->store, vol->pool)))
        return NULL;
    if (!lock)
        obj = poolOfVolQuick(state, vol);
    else if ((obj = objByName(state, vol->pool, TRUE)) && requireActive(obj) < 0)
        g_clear_pointer(&obj, vkObjStoreObjFree);
    if (!obj)
        return NULL;
    if (!(def = volInPool(obj, vol->name)))
        return NULL;
    if (objOut)
        *objOut = g_steal_pointer(&obj);
    return g_steal_pointer(&def);
}

/* A volume a running guest uses is neither deleted nor wiped. */
static int checkNotInUse(vkStorageDriverState *state, const vkStorageVolDef *vol)
{
    g_autofree char *owner = NULL;

    if (!state->inUse || !(owner = state->inUse(vol->target.path, state->inUseData)))
        return 0;
    vkReportError(ERR, VIR_ERR_OPERATION_INVALID,
                  "storage volume '%s' is in use by running domain '%s'", vol->name, owner);
    return -1;
}

/* ---- volume lifecycle ---- */

static vkStorageVolDef *parseVol(const vkStoragePoolObj *obj, const char *xml)
{
    g_autoptr(vkStorageVolDef) def =
        vkStorageVolDefParseString(xml, vkStoragePoolObjDef(obj)->type);

    /* Where libvirt applies it: the in-memory test driver makes no file of the name. */
    if (!def || vkObjectNameCheck(VK_OBJECT_VOLUME, def->name) < 0)
        return NULL;
    return g_steal_pointer(&def);
}

static virStorageVolPtr createVol(virStoragePoolPtr pool, const char *xml, virStorageVolPtr clone,
                                  unsigned int flags)
{
    vkStorageDriverState *state = stateOf(pool->conn);
    g_autoptr(vkFileLock) lock = NULL;
    g_autoptr(vkStoragePoolObj) obj = NULL;
    g_autoptr(vkStorageVolDef) def = NULL;
    g_autoptr(vkStorageVolDef) existing = NULL;
    g_autoptr(vkStorageVolDef) input = NULL;
    g_autoptr(vkStorageVolDef) created = NULL;
    const vkStoragePoolDef *poolDef;

    if (!(lock = vkObjStoreLock(state->store, pool->name)) || !(obj = objByHandle(pool, TRUE)) ||
        requireActive(obj) < 0 || !(def = parseVol(obj, xml)))
        return NULL;
    poolDef = vkStoragePoolObjDef(obj);
    if (vkStorageVolRead(poolDef, def->name, &existing) < 0)
        return NULL;
    if (existing) {
        if (clone)
            vkReportError(ERR, VIR_ERR_INTERNAL_ERROR, "storage volume name '%s' already in use.",
                          def->name);
        else
            vkReportError(ERR, VIR_ERR_STORAGE_VOL_EXIST, "'%s'", def->name);
        return NULL;
    }
    if (clone) {
        g_autoptr(vkFileLock) inputLock = NULL;
        g_autoptr(vkStoragePoolObj) inputObj = NULL;

        /* The input pool's lock, unless it is this pool's, which is held already. */
        if (!(input = volByHandle(clone, g_str_equal(clone->pool, pool->name) ? NULL : &inputLock,
                                  &inputObj)))
            return NULL;
        if (def->capacity < input->capacity)
            def->capacity = input->capacity;
    }
    if (vkStorageVolCreate(poolDef, def, input, flags) < 0)
        return NULL;
    if (vkStorageVolRead(poolDef, def->name, &created) <= 0) {
        if (!vkHasError())
            reportNoVol("name", def->name);
        return NULL;
    }
    return newVolHandle(pool->conn, pool->name, created);
}

static virStorageVolPtr volCreateXML(virStoragePoolPtr pool, const char *xml, unsigned int flags)
{
    if (vkCheckFlags("storageVolCreateXML", ERR, flags,
                     VIR_STORAGE_VOL_CREATE_PREALLOC_METADATA | VIR_STORAGE_VOL_CREATE_VALIDATE) <
        0)
        return NULL;
    return createVol(pool, xml, NULL, flags & ~VIR_STORAGE_VOL_CREATE_VALIDATE);
}

static virStorageVolPtr volCreateXMLFrom(virStoragePoolPtr pool, const char *xml,
                                         virStorageVolPtr clone, unsigned int flags)
{
    if (vkCheckFlags("storageVolCreateXMLFrom", ERR, flags,
                     VIR_STORAGE_VOL_CREATE_PREALLOC_METADATA | VIR_STORAGE_VOL_CREATE_REFLINK |
                         VIR_STORAGE_VOL_CREATE_VALIDATE) < 0)
        return NULL;
    return createVol(pool, xml, clone, flags & VIR_STORAGE_VOL_CREATE_PREALLOC_METADATA);
}

static int volDelete(virStorageVolPtr vol, unsigned int flags)
{
    g_autoptr(vkFileLock) lock = NULL;
    g_autoptr(vkStoragePoolObj) obj = NULL;
    g_autoptr(vkStorageVolDef) def = NULL;

    if (vkCheckFlags("storageVolDelete", ERR, flags,
                     VIR_STORAGE_VOL_DELETE_ZEROED | VIR_STORAGE_VOL_DELETE_WITH_SNAPSHOTS) < 0 ||
        !(def = volByHandle(vol, &lock, &obj)) || checkNotInUse(stateOf(vol->conn), def) < 0)
        return -1;
    if ((flags & VIR_STORAGE_VOL_DELETE_ZEROED) &&
        vkStorageVolWipeFile(vkStoragePoolObjDef(obj), def, VIR_STORAGE_VOL_WIPE_ALG_ZERO) < 0)
        return -1;
    return vkStorageVolDeleteFile(vkStoragePoolObjDef(obj), def, flags);
}

static int volWipePattern(virStorageVolPtr vol, unsigned int algorithm, unsigned int flags)
{
    g_autoptr(vkFileLock) lock = NULL;
    g_autoptr(vkStoragePoolObj) obj = NULL;
    g_autoptr(vkStorageVolDef) def = NULL;

    if (vkCheckFlags("storageVolWipePattern", ERR, flags, 0) < 0)
        return -1;
    if (algorithm >= VIR_STORAGE_VOL_WIPE_ALG_TRIM + 1) {
        vkReportError(ERR, VIR_ERR_INVALID_ARG, "wiping algorithm %d not supported", algorithm);
        return -1;
    }
    if (!(def = volByHandle(vol, &lock, &obj)) || checkNotInUse(stateOf(vol->conn), def) < 0)
        return -1;
    return vkStorageVolWipeFile(vkStoragePoolObjDef(obj), def, algorithm);
}

static int volGetInfoFlags(virStorageVolPtr vol, virStorageVolInfoPtr info, unsigned int flags)
{
    g_autoptr(vkStorageVolDef) def = NULL;

    if (vkCheckFlags("storageVolGetInfoFlags", ERR, flags, VIR_STORAGE_VOL_GET_PHYSICAL) < 0 ||
        !(def = volByHandle(vol, NULL, NULL)))
        return -1;
    info->type = def->type;
    info->capacity = def->capacity;
    info->allocation = (flags & VIR_STORAGE_VOL_GET_PHYSICAL) ? def->physical : def->allocation;
    return 0;
}

static char *volGetXMLDesc(virStorageVolPtr vol, unsigned int flags)
{
    g_autoptr(vkStorageVolDef) def = NULL;

    if (vkCheckFlags("storageVolGetXMLDesc", ERR, flags, 0) < 0 ||
        !(def = volByHandle(vol, NULL, NULL)))
        return NULL;
    return vkStorageVolDefFormat(def);
}

static char *volGetPath(virStorageVolPtr vol)
{
    g_autoptr(vkStoragePoolObj) obj = poolOfVolQuick(stateOf(vol->conn), vol);
    g_autofree char *path = NULL;
    struct stat st;

    if (!obj)
        return NULL;
    /* A file volume's path is its pool's directory and its name: only its existence needs
     * checking, not its contents. */
    if (vkStoragePoolObjDef(obj)->type != VK_STORAGE_POOL_LOGICAL) {
        path = g_build_filename(vkStoragePoolObjDef(obj)->target.path, vol->name, NULL);
        if (strchr(vol->name, '/') || lstat(path, &st) < 0 ||
            (!S_ISREG(st.st_mode) && !S_ISDIR(st.st_mode))) {
            reportNoVol("name", vol->name);
            return NULL;
        }
        return g_steal_pointer(&path);
    }
    {
        g_autoptr(vkStorageVolDef) def = volInPool(obj, vol->name);
        return def ? g_strdup(def->target.path) : NULL;
    }
}

static int volResize(virStorageVolPtr vol, unsigned long long capacity, unsigned int flags)
{
    g_autoptr(vkFileLock) lock = NULL;
    g_autoptr(vkStoragePoolObj) obj = NULL;
    g_autoptr(vkStorageVolDef) def = NULL;
    g_autoptr(vkStoragePoolDef) live = NULL;

    if (vkCheckFlags("storageVolResize", ERR, flags,
                     VIR_STORAGE_VOL_RESIZE_ALLOCATE | VIR_STORAGE_VOL_RESIZE_DELTA |
                         VIR_STORAGE_VOL_RESIZE_SHRINK) < 0 ||
        !(def = volByHandle(vol, &lock, &obj)))
        return -1;
    if (flags & VIR_STORAGE_VOL_RESIZE_DELTA) {
        if (flags & VIR_STORAGE_VOL_RESIZE_SHRINK)
            capacity = capacity > def->capacity ? 0 : def->capacity - capacity;
        else
            capacity += def->capacity;
    }
    if (capacity < def->capacity && !(flags & VIR_STORAGE_VOL_RESIZE_SHRINK)) {
        vkReportError(ERR, VIR_ERR_INVALID_ARG, "%s",
                      "Can't shrink capacity below current capacity unless shrink flag "
                      "explicitly specified");
        return -1;
    }
    if (capacity < def->allocation) {
        vkReportError(ERR, VIR_ERR_INVALID_ARG, "%s",
                      "Can't shrink capacity below current allocation");
        return -1;
    }
    live = liveDef(stateOf(vol->conn), obj);
    if ((flags & VIR_STORAGE_VOL_RESIZE_ALLOCATE) && capacity > def->capacity &&
        capacity - def->capacity > live->available) {
        vkReportError(ERR, VIR_ERR_OPERATION_FAILED, "%s", "Not enough space left in storage pool");
        return -1;
    }
    return vkStorageVolResizeFile(vkStoragePoolObjDef(obj), def, capacity, flags);
}

/* After an upload, as libvirt does when the stream closes (finished or not): the pool is
 * refreshed, since the file's size or format may have changed, and its Refresh event told. */
typedef struct {
    virConnectPtr conn; /* a reference */
    char *pool;
} vkUploadClosed;

static void *uploadClosedNew(virConnectPtr conn, const char *pool)
{
    vkUploadClosed *uc = g_new0(vkUploadClosed, 1);

    uc->conn = conn;
    uc->pool = g_strdup(pool);
    return uc;
}

static void uploadClosedFree(void *opaque)
{
    vkUploadClosed *uc = opaque;

    virConnectClose(uc->conn);
    g_free(uc->pool);
    g_free(uc);
}

static void uploadClosed(virStreamPtr st G_GNUC_UNUSED, void *opaque)
{
    vkUploadClosed *uc = opaque;
    vkStorageDriverState *state = stateOf(uc->conn);
    g_autoptr(vkFileLock) lock = vkObjStoreLock(state->store, uc->pool);
    g_autoptr(vkStoragePoolObj) obj = lock ? objByName(state, uc->pool, TRUE) : NULL;
    vkStoragePoolStatus *status;

    if (!obj || !vkStoragePoolObjIsActive(obj))
        return;
    status = vkStoragePoolObjStatus(obj);
    /* A refresh that fails leaves the pool as it was; libvirt tells the event all the same. */
    if (vkStorageBackendRefresh(state, status->def) == 0)
        vkStoragePoolStatusSave(state, status);
    vkStoragePoolEventRecord(state, obj->name, VK_STORAGE_EVENT_REFRESH);
}

/* Upload and download: the volume's file, opened now, becomes the stream's other end; the
 * caller (or the daemon on a client's behalf) then moves the bytes. */
static int volTransfer(virStorageVolPtr vol, virStreamPtr st, unsigned long long offset,
                       unsigned long long length, unsigned int flags, gboolean upload)
{
    g_autoptr(vkStorageVolDef) def = NULL;
    int fd;

    if (vkCheckFlags(upload ? "storageVolUpload" : "storageVolDownload", ERR, flags, 0) < 0 ||
        !(def = volByHandle(vol, NULL, NULL)))
        return -1;
    if (upload && checkNotInUse(stateOf(vol->conn), def) < 0)
        return -1;
    if ((fd = vkStorageVolOpenStream(def, upload, offset)) < 0)
        return -1;
    if (!upload)
        return vkStreamAttachFd(st, fd, length, def->target.path);
    virConnectRef(vol->conn);
    return vkStreamAttachFdFull(st, fd, length, def->target.path, uploadClosed,
                                uploadClosedNew(vol->conn, vol->pool), uploadClosedFree);
}

static int volDownload(virStorageVolPtr vol, virStreamPtr st, unsigned long long offset,
                       unsigned long long length, unsigned int flags)
{
    return volTransfer(vol, st, offset, length, flags, FALSE);
}

static int volUpload(virStorageVolPtr vol, virStreamPtr st, unsigned long long offset,
                     unsigned long long length, unsigned int flags)
{
    return volTransfer(vol, st, offset, length, flags, TRUE);
}

/* ---- for the qemu driver ---- */

int vkStorageVolumeResolve(vkStorageDriverState *state, const char *pool, const char *vol,
                           char **path, char **format)
{
    g_autoptr(vkStoragePoolObj) obj = objByName(state, pool, FALSE);
    g_autoptr(vkStorageVolDef) def = NULL;

    *path = *format = NULL;
    if (!obj)
        return -1;
    if (!vkStoragePoolObjIsActive(obj)) {
        vkReportError(ERR, VIR_ERR_OPERATION_INVALID,
                      "storage pool '%s' containing volume '%s' is not active", pool, vol);
        return -1;
    }
    if (!(def = volInPool(obj, vol)))
        return -1;
    *path = g_strdup(def->target.path);
    *format = def->target.format >= 0
                  ? g_strdup(vkStorageFileFormatTypeToString(def->target.format))
                  : g_strdup("raw");
    return 0;
}

const vkStorageDriver vkHostStorageDriver = {
    .name = "storage",
    .connectOpen = connectOpen,
    .connectClose = connectClose,
    .connectListAllStoragePools = listAllPools,
    .connectNumOfStoragePools = numOfPools,
    .connectListStoragePools = listPools,
    .connectNumOfDefinedStoragePools = numOfDefinedPools,
    .connectListDefinedStoragePools = listDefinedPools,
    .connectGetStoragePoolCapabilities = getPoolCapabilities,
    .storagePoolLookupByName = poolLookupByName,
    .storagePoolLookupByUUID = poolLookupByUUID,
    .storagePoolLookupByVolume = poolLookupByVolume,
    .storagePoolLookupByTargetPath = poolLookupByTargetPath,
    .storagePoolCreateXML = poolCreateXML,
    .storagePoolDefineXML = poolDefineXML,
    .storagePoolBuild = poolBuild,
    .storagePoolUndefine = poolUndefine,
    .storagePoolCreate = poolCreate,
    .storagePoolDestroy = poolDestroy,
    .storagePoolDelete = poolDelete,
    .storagePoolRefresh = poolRefresh,
    .storagePoolGetInfo = poolGetInfo,
    .storagePoolGetXMLDesc = poolGetXMLDesc,
    .storagePoolGetAutostart = poolGetAutostart,
    .storagePoolSetAutostart = poolSetAutostart,
    .storagePoolIsActive = poolIsActive,
    .storagePoolIsPersistent = poolIsPersistent,
    .storagePoolNumOfVolumes = poolNumOfVolumes,
    .storagePoolListVolumes = poolListVolumes,
    .storagePoolListAllVolumes = poolListAllVolumes,
    .storageVolLookupByName = volLookupByName,
    .storageVolLookupByKey = volLookupByKey,
    .storageVolLookupByPath = volLookupByPath,
    .storageVolCreateXML = volCreateXML,
    .storageVolCreateXMLFrom = volCreateXMLFrom,
    .storageVolDownload = volDownload,
    .storageVolUpload = volUpload,
    .storageVolDelete = volDelete,
    .storageVolWipePattern = volWipePattern,
    .storageVolGetInfoFlags = volGetInfoFlags,
    .storageVolGetXMLDesc = volGetXMLDesc,
    .storageVolGetPath = volGetPath,
    .storageVolResize = volResize,
    .connectStoragePoolEventRegisterAny = vkStoragePoolEventRegisterAny,
    .connectStoragePoolEventDeregisterAny = vkStoragePoolEventDeregisterAny,
};

/* The test driver's storage pools and volumes: kept in memory with the sizes libvirt's test
 * driver gives them (every pool 100 GiB, volumes counted against it), and its messages. */
#include <string.h>

#include "test_private.h"
#include "util/vkuuid.h"

#define POOL_CAPACITY (100ULL * 1024 * 1024 * 1024)

/* ---- the object list (driver->lock held) ---- */

void vkTestPoolObjFree(vkTestPoolObj *obj)
{
    if (!obj)
        return;
    vkStoragePoolDefFree(obj->def);
    vkStoragePoolDefFree(obj->newDef);
    g_ptr_array_unref(obj->vols);
    g_free(obj);
}

static vkTestPoolObj *findByName(vkTestDriver *driver, const char *name)
{
    for (guint i = 0; i < driver->pools->len; i++) {
        vkTestPoolObj *obj = g_ptr_array_index(driver->pools, i);
        if (g_str_equal(obj->def->name, name))
            return obj;
    }
    return NULL;
}

static vkTestPoolObj *findByUUID(vkTestDriver *driver, const unsigned char *uuid)
{
    for (guint i = 0; i < driver->pools->len; i++) {
        vkTestPoolObj *obj = g_ptr_array_index(driver->pools, i);
        if (memcmp(obj->def->uuid, uuid, VIR_UUID_BUFLEN) == 0)
            return obj;
    }
    return NULL;
}

static void setDefaults(vkStoragePoolDef *def)
{
    def->capacity = POOL_CAPACITY;
    def->allocation = 0;
    def->available = POOL_CAPACITY;
}

/* libvirt's rules for adding a pool: no two pools on one target directory, a known uuid keeps
 * its name and a known name its uuid; a known pair gets the new definition (waiting in newDef
 * while the pool runs). CHECKLIVE refuses a running match. Takes *DEF on success. */
vkTestPoolObj *vkTestPoolAdd(vkTestDriver *driver, vkStoragePoolDef **def, gboolean checkLive)
{
    char uuidstr[VIR_UUID_STRING_BUFLEN];
    vkTestPoolObj *obj;

    for (guint i = 0; i < driver->pools->len; i++) {
        vkTestPoolObj *other = g_ptr_array_index(driver->pools, i);

        if (!g_str_equal(other->def->name, (*def)->name) && other->def->type == (*def)->type &&
            (*def)->target.path && g_strcmp0(other->def->target.path, (*def)->target.path) == 0) {
            vkReportError(VK_TEST_ERR, VIR_ERR_OPERATION_FAILED,
                          "Storage source conflict with pool: '%s'", other->def->name);
            return NULL;
        }
    }
    if ((obj = findByUUID(driver, (*def)->uuid))) {
        if (!g_str_equal(obj->def->name, (*def)->name)) {
            vkUUIDFormat((*def)->uuid, uuidstr);
            vkReportError(VK_TEST_ERR, VIR_ERR_OPERATION_FAILED,
                          "pool '%s' is already defined with uuid %s", obj->def->name, uuidstr);
            return NULL;
        }
        if (checkLive && obj->active) {
            vkReportError(VK_TEST_ERR, VIR_ERR_OPERATION_INVALID, "pool is already active as '%s'",
                          obj->def->name);
            return NULL;
        }
        if (obj->active) {
            vkStoragePoolDefFree(obj->newDef);
            obj->newDef = g_steal_pointer(def);
        } else {
            vkStoragePoolDefFree(obj->def);
            obj->def = g_steal_pointer(def);
        }
        return obj;
    }
    if ((obj = findByName(driver, (*def)->name))) {
        vkUUIDFormat(obj->def->uuid, uuidstr);
        vkReportError(VK_TEST_ERR, VIR_ERR_OPERATION_FAILED,
                      "pool '%s' already exists with uuid %s", (*def)->name, uuidstr);
        return NULL;
    }
    obj = g_new0(vkTestPoolObj, 1);
    obj->def = g_steal_pointer(def);
    obj->vols = g_ptr_array_new_with_free_func((GDestroyNotify)vkStorageVolDefFree);
    g_ptr_array_add(driver->pools, obj);
    return obj;
}

int vkTestPoolAddVol(vkTestPoolObj *obj, vkStorageVolDef *vol)
{
    vkStoragePoolDef *def = obj->def;

    if (!vol->target.path)
        vol->target.path = g_strdup_printf("%s/%s", def->target.path, vol->name);
    if (!vol->key)
        vol->key = g_strdup(vol->target.path);
    g_ptr_array_add(obj->vols, vol);
    def->allocation += vol->allocation;
    def->available = def->capacity - def->allocation;
    return 0;
}

void vkTestPoolSetDefaults(vkTestPoolObj *obj)
{
    setDefaults(obj->def);
    obj->persistent = TRUE;
}

static void removePool(vkTestDriver *driver, vkTestPoolObj *obj)
{
    g_ptr_array_remove(driver->pools, obj);
}

/* ---- finding pools ---- */

static vkTestPoolObj *poolByName(vkTestDriver *driver, const char *name)
{
    vkTestPoolObj *obj = findByName(driver, name);

    if (!obj)
        vkReportError(VK_TEST_ERR, VIR_ERR_NO_STORAGE_POOL,
                      "no storage pool with matching name '%s'", name);
    return obj;
}

static vkTestPoolObj *poolActive(vkTestDriver *driver, const char *name)
{
    vkTestPoolObj *obj = poolByName(driver, name);

    if (obj && !obj->active) {
        vkReportError(VK_TEST_ERR, VIR_ERR_OPERATION_INVALID, "storage pool '%s' is not active",
                      name);
        return NULL;
    }
    return obj;
}

static vkTestPoolObj *poolInactive(vkTestDriver *driver, const char *name)
{
    vkTestPoolObj *obj = poolByName(driver, name);

    if (obj && obj->active) {
        vkReportError(VK_TEST_ERR, VIR_ERR_OPERATION_INVALID, "storage pool '%s' is active", name);
        return NULL;
    }
    return obj;
}

static virStoragePoolPtr newPoolHandle(virConnectPtr conn, const vkTestPoolObj *obj)
{
    return vkStoragePoolNew(conn, obj->def->name, obj->def->uuid);
}

#define LOCKED(conn)                             \
    vkTestDriver *driver = vkTestDriverOf(conn); \
    g_autoptr(GMutexLocker) locker = g_mutex_locker_new(&driver->lock)

/* ---- the connection's pools ---- */

static int listAllPools(virConnectPtr conn, virStoragePoolPtr **pools, unsigned int flags)
{
    LOCKED(conn);
    GPtrArray *handles;

    if (vkTestCheckFlags("vkTestConnectListAllStoragePools", flags, (1u << 20) - 1) < 0)
        return -1;
    handles = g_ptr_array_new_with_free_func((GDestroyNotify)vkStoragePoolUnref);
    for (guint i = 0; i < driver->pools->len; i++) {
        vkTestPoolObj *obj = g_ptr_array_index(driver->pools, i);
        if (vkStoragePoolListMatch(flags, obj->active, obj->persistent,
                                   obj->persistent && obj->autostart, obj->def->type))
            g_ptr_array_add(handles, newPoolHandle(conn, obj));
    }
    return vkListHandlesReturn(handles, (void ***)pools);
}

static int countPools(virConnectPtr conn, gboolean active)
{
    LOCKED(conn);
    int n = 0;

    for (guint i = 0; i < driver->pools->len; i++)
        n += ((vkTestPoolObj *)g_ptr_array_index(driver->pools, i))->active == active;
    return n;
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
    LOCKED(conn);
    int n = 0;

    if (maxnames > 0)
        memset(names, 0, sizeof(*names) * maxnames);
    for (guint i = 0; i < driver->pools->len && n < maxnames; i++) {
        vkTestPoolObj *obj = g_ptr_array_index(driver->pools, i);
        if (obj->active == active)
            names[n++] = g_strdup(obj->def->name);
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

static virStoragePoolPtr poolLookupByName(virConnectPtr conn, const char *name)
{
    LOCKED(conn);
    vkTestPoolObj *obj = poolByName(driver, name);

    return obj ? newPoolHandle(conn, obj) : NULL;
}

static virStoragePoolPtr poolLookupByUUID(virConnectPtr conn, const unsigned char *uuid)
{
    LOCKED(conn);
    vkTestPoolObj *obj = findByUUID(driver, uuid);
    char uuidstr[VIR_UUID_STRING_BUFLEN];

    if (!obj) {
        vkUUIDFormat(uuid, uuidstr);
        vkReportError(VK_TEST_ERR, VIR_ERR_NO_STORAGE_POOL,
                      "no storage pool with matching uuid '%s'", uuidstr);
        return NULL;
    }
    return newPoolHandle(conn, obj);
}

static virStoragePoolPtr poolLookupByVolume(virStorageVolPtr vol)
{
    LOCKED(vol->conn);
    vkTestPoolObj *obj = poolByName(driver, vol->pool);

    return obj ? newPoolHandle(vol->conn, obj) : NULL;
}

/* ---- pool lifecycle ---- */

/* As libvirt's test driver: each call that changes a pool tells of it, a build and a delete
 * included, though nothing is built or deleted here. */
static void queueEvent(vkTestDriver *driver, const vkTestPoolObj *obj, int event)
{
    vkObjectEventStateQueueLifecycle(driver->events, VK_OBJECT_EVENT_STORAGE_POOL, obj->def->name,
                                     obj->def->uuid, -1, event, 0);
}

static virStoragePoolPtr poolCreateXML(virConnectPtr conn, const char *xml, unsigned int flags)
{
    g_autoptr(vkStoragePoolDef) def = NULL;
    vkTestPoolObj *obj;

    if (vkTestCheckFlags("vkTestStoragePoolCreateXML", flags, 0) < 0 ||
        !(def = vkStoragePoolDefParseString(xml)))
        return NULL;
    LOCKED(conn);
    if (!(obj = vkTestPoolAdd(driver, &def, TRUE)))
        return NULL;
    setDefaults(obj->def);
    obj->active = TRUE;
    queueEvent(driver, obj, VIR_STORAGE_POOL_EVENT_STARTED);
    return newPoolHandle(conn, obj);
}

static virStoragePoolPtr poolDefineXML(virConnectPtr conn, const char *xml, unsigned int flags)
{
    g_autoptr(vkStoragePoolDef) def = NULL;
    vkTestPoolObj *obj;

    if (vkTestCheckFlags("vkTestStoragePoolDefineXML", flags, VIR_STORAGE_POOL_DEFINE_VALIDATE) <
            0 ||
        !(def = vkStoragePoolDefParseString(xml)))
        return NULL;
    setDefaults(def);
    LOCKED(conn);
    if (!(obj = vkTestPoolAdd(driver, &def, FALSE)))
        return NULL;
    setDefaults(obj->def);
    obj->persistent = TRUE;
    queueEvent(driver, obj, VIR_STORAGE_POOL_EVENT_DEFINED);
    return newPoolHandle(conn, obj);
}

static int poolUndefine(virStoragePoolPtr pool)
{
    LOCKED(pool->conn);
    vkTestPoolObj *obj = poolInactive(driver, pool->name);

    if (!obj)
        return -1;
    queueEvent(driver, obj, VIR_STORAGE_POOL_EVENT_UNDEFINED);
    removePool(driver, obj);
    return 0;
}

static int poolBuild(virStoragePoolPtr pool, unsigned int flags)
{
    vkTestPoolObj *obj;

    if (vkTestCheckFlags("vkTestStoragePoolBuild", flags, 0) < 0)
        return -1;
    LOCKED(pool->conn);
    if (!(obj = poolInactive(driver, pool->name)))
        return -1;
    queueEvent(driver, obj, VIR_STORAGE_POOL_EVENT_CREATED);
    return 0;
}

static int poolCreate(virStoragePoolPtr pool, unsigned int flags)
{
    vkTestPoolObj *obj;

    if (vkTestCheckFlags("vkTestStoragePoolCreate", flags, 0) < 0)
        return -1;
    LOCKED(pool->conn);
    if (!(obj = poolInactive(driver, pool->name)))
        return -1;
    obj->active = TRUE;
    queueEvent(driver, obj, VIR_STORAGE_POOL_EVENT_STARTED);
    return 0;
}

static int poolDestroy(virStoragePoolPtr pool)
{
    LOCKED(pool->conn);
    vkTestPoolObj *obj = poolActive(driver, pool->name);

    if (!obj)
        return -1;
    obj->active = FALSE;
    queueEvent(driver, obj, VIR_STORAGE_POOL_EVENT_STOPPED);
    if (!obj->persistent)
        removePool(driver, obj);
    return 0;
}

static int poolDelete(virStoragePoolPtr pool, unsigned int flags)
{
    vkTestPoolObj *obj;

    if (vkTestCheckFlags("vkTestStoragePoolDelete", flags, 0) < 0)
        return -1;
    LOCKED(pool->conn);
    if (!(obj = poolInactive(driver, pool->name)))
        return -1;
    queueEvent(driver, obj, VIR_STORAGE_POOL_EVENT_DELETED);
    return 0;
}

static int poolRefresh(virStoragePoolPtr pool, unsigned int flags)
{
    vkTestPoolObj *obj;

    if (vkTestCheckFlags("vkTestStoragePoolRefresh", flags, 0) < 0)
        return -1;
    LOCKED(pool->conn);
    if (!(obj = poolActive(driver, pool->name)))
        return -1;
    vkObjectEventStateQueueRefresh(driver->events, obj->def->name, obj->def->uuid);
    return 0;
}

/* ---- pool queries ---- */

static int poolGetInfo(virStoragePoolPtr pool, virStoragePoolInfoPtr info)
{
    LOCKED(pool->conn);
    vkTestPoolObj *obj = poolByName(driver, pool->name);

    if (!obj)
        return -1;
    info->state = obj->active ? VIR_STORAGE_POOL_RUNNING : VIR_STORAGE_POOL_INACTIVE;
    info->capacity = obj->def->capacity;
    info->allocation = obj->def->allocation;
    info->available = obj->def->available;
    return 0;
}

static char *poolGetXMLDesc(virStoragePoolPtr pool, unsigned int flags)
{
    vkTestPoolObj *obj;

    if (vkTestCheckFlags("vkTestStoragePoolGetXMLDesc", flags, 0) < 0)
        return NULL;
    LOCKED(pool->conn);
    if (!(obj = poolByName(driver, pool->name)))
        return NULL;
    return vkStoragePoolDefFormat(obj->def);
}

static int poolGetAutostart(virStoragePoolPtr pool, int *autostart)
{
    LOCKED(pool->conn);
    vkTestPoolObj *obj = poolByName(driver, pool->name);

    if (!obj)
        return -1;
    *autostart = obj->persistent && obj->autostart;
    return 0;
}

static int poolSetAutostart(virStoragePoolPtr pool, int autostart)
{
    LOCKED(pool->conn);
    vkTestPoolObj *obj = poolByName(driver, pool->name);

    if (!obj)
        return -1;
    if (!obj->persistent) {
        vkReportError(VK_TEST_ERR, VIR_ERR_INVALID_ARG, "%s", "pool has no config file");
        return -1;
    }
    obj->autostart = autostart != 0;
    return 0;
}

/* The pool a handle names, by uuid as libvirt's test driver finds it for these calls. */
static vkTestPoolObj *poolByHandleUUID(vkTestDriver *driver, virStoragePoolPtr pool)
{
    vkTestPoolObj *obj = findByUUID(driver, pool->uuid);
    char uuidstr[VIR_UUID_STRING_BUFLEN];

    if (!obj) {
        vkUUIDFormat(pool->uuid, uuidstr);
        vkReportError(VK_TEST_ERR, VIR_ERR_NO_STORAGE_POOL,
                      "no storage pool with matching uuid '%s'", uuidstr);
    }
    return obj;
}

static int poolIsActive(virStoragePoolPtr pool)
{
    LOCKED(pool->conn);
    vkTestPoolObj *obj = poolByHandleUUID(driver, pool);

    return obj ? obj->active : -1;
}

static int poolIsPersistent(virStoragePoolPtr pool)
{
    LOCKED(pool->conn);
    vkTestPoolObj *obj = poolByHandleUUID(driver, pool);

    return obj ? obj->persistent : -1;
}

/* ---- volumes ---- */

static vkStorageVolDef *volByName(vkTestPoolObj *obj, const char *name, gboolean report)
{
    for (guint i = 0; i < obj->vols->len; i++) {
        vkStorageVolDef *vol = g_ptr_array_index(obj->vols, i);
        if (g_str_equal(vol->name, name))
            return vol;
    }
    if (report)
        vkReportError(VK_TEST_ERR, VIR_ERR_NO_STORAGE_VOL, "no storage vol with matching name '%s'",
                      name);
    return NULL;
}

static virStorageVolPtr newVolHandle(virConnectPtr conn, const vkTestPoolObj *obj,
                                     const vkStorageVolDef *vol)
{
    return vkStorageVolNew(conn, obj->def->name, vol->name, vol->key);
}

static int poolNumOfVolumes(virStoragePoolPtr pool)
{
    LOCKED(pool->conn);
    vkTestPoolObj *obj = poolActive(driver, pool->name);

    return obj ? (int)obj->vols->len : -1;
}

static int poolListVolumes(virStoragePoolPtr pool, char **const names, int maxnames)
{
    LOCKED(pool->conn);
    vkTestPoolObj *obj = poolActive(driver, pool->name);
    int n = 0;

    if (!obj)
        return -1;
    if (maxnames > 0)
        memset(names, 0, sizeof(*names) * maxnames);
    for (guint i = 0; i < obj->vols->len && n < maxnames; i++)
        names[n++] = g_strdup(((vkStorageVolDef *)g_ptr_array_index(obj->vols, i))->name);
    return n;
}

static int poolListAllVolumes(virStoragePoolPtr pool, virStorageVolPtr **vols, unsigned int flags)
{
    vkTestPoolObj *obj;
    GPtrArray *handles;

    if (vkTestCheckFlags("vkTestStoragePoolListAllVolumes", flags, 0) < 0)
        return -1;
    LOCKED(pool->conn);
    if (!(obj = poolByHandleUUID(driver, pool)))
        return -1;
    if (!obj->active) {
        vkReportError(VK_TEST_ERR, VIR_ERR_OPERATION_INVALID, "%s", "storage pool is not active");
        return -1;
    }
    handles = g_ptr_array_new_with_free_func((GDestroyNotify)vkStorageVolUnref);
    for (guint i = 0; i < obj->vols->len; i++)
        g_ptr_array_add(handles, newVolHandle(pool->conn, obj, g_ptr_array_index(obj->vols, i)));
    return vkListHandlesReturn(handles, (void ***)vols);
}

static virStorageVolPtr volLookupByName(virStoragePoolPtr pool, const char *name)
{
    LOCKED(pool->conn);
    vkTestPoolObj *obj = poolActive(driver, pool->name);
    vkStorageVolDef *vol;

    if (!obj || !(vol = volByName(obj, name, TRUE)))
        return NULL;
    return newVolHandle(pool->conn, obj, vol);
}

/* The volume of an active pool whose key (BYKEY) or path is VALUE. */
static virStorageVolPtr volLookup(virConnectPtr conn, const char *value, gboolean byKey)
{
    LOCKED(conn);

    for (guint i = 0; i < driver->pools->len; i++) {
        vkTestPoolObj *obj = g_ptr_array_index(driver->pools, i);

        for (guint j = 0; obj->active && j < obj->vols->len; j++) {
            vkStorageVolDef *vol = g_ptr_array_index(obj->vols, j);
            if (g_strcmp0(byKey ? vol->key : vol->target.path, value) == 0)
                return newVolHandle(conn, obj, vol);
        }
    }
    vkReportError(VK_TEST_ERR, VIR_ERR_NO_STORAGE_VOL, "no storage vol with matching %s '%s'",
                  byKey ? "key" : "path", value);
    return NULL;
}

static virStorageVolPtr volLookupByKey(virConnectPtr conn, const char *key)
{
    return volLookup(conn, key, TRUE);
}

static virStorageVolPtr volLookupByPath(virConnectPtr conn, const char *path)
{
    return volLookup(conn, path, FALSE);
}

static virStorageVolPtr volCreate(virStoragePoolPtr pool, const char *xml, virStorageVolPtr clone,
                                  unsigned int flags, const char *func)
{
    vkTestPoolObj *obj;
    g_autoptr(vkStorageVolDef) vol = NULL;
    vkStorageVolDef *added;

    if (vkTestCheckFlags(func, flags, VIR_STORAGE_VOL_CREATE_VALIDATE) < 0)
        return NULL;
    LOCKED(pool->conn);
    if (!(obj = poolActive(driver, pool->name)) ||
        !(vol = vkStorageVolDefParseString(xml, obj->def->type)))
        return NULL;
    if (volByName(obj, vol->name, FALSE)) {
        vkReportError(VK_TEST_ERR, VIR_ERR_OPERATION_FAILED, "%s", "storage vol already exists");
        return NULL;
    }
    if (clone && !volByName(obj, clone->name, FALSE)) {
        vkReportError(VK_TEST_ERR, VIR_ERR_NO_STORAGE_VOL, "no storage vol with matching name '%s'",
                      clone->name);
        return NULL;
    }
    if (obj->def->allocation + vol->allocation > obj->def->capacity) {
        vkReportError(VK_TEST_ERR, VIR_ERR_INTERNAL_ERROR,
                      "Not enough free space in pool for volume '%s'", vol->name);
        return NULL;
    }
    /* Created volumes take their pool's path, whatever the XML said. */
    g_clear_pointer(&vol->target.path, g_free);
    g_clear_pointer(&vol->key, g_free);
    added = g_steal_pointer(&vol);
    vkTestPoolAddVol(obj, added);
    return newVolHandle(pool->conn, obj, added);
}

static virStorageVolPtr volCreateXML(virStoragePoolPtr pool, const char *xml, unsigned int flags)
{
    return volCreate(pool, xml, NULL, flags, "vkTestStorageVolCreateXML");
}

static virStorageVolPtr volCreateXMLFrom(virStoragePoolPtr pool, const char *xml,
                                         virStorageVolPtr clone, unsigned int flags)
{
    return volCreate(pool, xml, clone, flags, "vkTestStorageVolCreateXMLFrom");
}

/* The pool (active) and volume a handle names. */
static vkStorageVolDef *volOfHandle(vkTestDriver *driver, virStorageVolPtr vol,
                                    vkTestPoolObj **objOut)
{
    vkTestPoolObj *obj = poolActive(driver, vol->pool);

    if (!obj)
        return NULL;
    *objOut = obj;
    return volByName(obj, vol->name, TRUE);
}

static int volDelete(virStorageVolPtr vol, unsigned int flags)
{
    vkTestPoolObj *obj = NULL;
    vkStorageVolDef *def;

    if (vkTestCheckFlags("vkTestStorageVolDelete", flags, 0) < 0)
        return -1;
    LOCKED(vol->conn);
    if (!(def = volOfHandle(driver, vol, &obj)))
        return -1;
    obj->def->allocation -= def->allocation;
    obj->def->available = obj->def->capacity - obj->def->allocation;
    g_ptr_array_remove(obj->vols, def);
    return 0;
}

static int volGetInfoFlags(virStorageVolPtr vol, virStorageVolInfoPtr info, unsigned int flags)
{
    vkTestPoolObj *obj = NULL;
    vkStorageVolDef *def;

    if (vkTestCheckFlags("vkTestStorageVolGetInfoFlags", flags, 0) < 0)
        return -1;
    LOCKED(vol->conn);
    if (!(def = volOfHandle(driver, vol, &obj)))
        return -1;
    switch (obj->def->type) {
    case VK_STORAGE_POOL_DIR:
    case VK_STORAGE_POOL_FS:
    case VK_STORAGE_POOL_NETFS:
    case VK_STORAGE_POOL_VSTORAGE:
        info->type = VIR_STORAGE_VOL_FILE;
        break;
    case VK_STORAGE_POOL_SHEEPDOG:
    case VK_STORAGE_POOL_ISCSI_DIRECT:
    case VK_STORAGE_POOL_GLUSTER:
    case VK_STORAGE_POOL_RBD:
        info->type = VIR_STORAGE_VOL_NETWORK;
        break;
    default:
        info->type = VIR_STORAGE_VOL_BLOCK;
        break;
    }
    info->capacity = def->capacity;
    info->allocation = def->allocation;
    return 0;
}

static char *volGetXMLDesc(virStorageVolPtr vol, unsigned int flags)
{
    vkTestPoolObj *obj = NULL;
    vkStorageVolDef *def;

    if (vkTestCheckFlags("vkTestStorageVolGetXMLDesc", flags, 0) < 0)
        return NULL;
    LOCKED(vol->conn);
    if (!(def = volOfHandle(driver, vol, &obj)))
        return NULL;
    return vkStorageVolDefFormat(def);
}

static char *volGetPath(virStorageVolPtr vol)
{
    vkTestPoolObj *obj = NULL;
    vkStorageVolDef *def;

    LOCKED(vol->conn);
    if (!(def = volOfHandle(driver, vol, &obj)))
        return NULL;
    return g_strdup(def->target.path);
}

/* Calls libvirt's test driver lacks (capabilities, target path lookup, resize, wipe, streams)
 * stay NULL: they fail as not supported, as there. */
const vkStorageDriver vkTestStorageDriver = {
    .name = "Test",
    .connectListAllStoragePools = listAllPools,
    .connectNumOfStoragePools = numOfPools,
    .connectListStoragePools = listPools,
    .connectNumOfDefinedStoragePools = numOfDefinedPools,
    .connectListDefinedStoragePools = listDefinedPools,
    .storagePoolLookupByName = poolLookupByName,
    .storagePoolLookupByUUID = poolLookupByUUID,
    .storagePoolLookupByVolume = poolLookupByVolume,
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
    .storageVolDelete = volDelete,
    .storageVolGetInfoFlags = volGetInfoFlags,
    .storageVolGetXMLDesc = volGetXMLDesc,
    .storageVolGetPath = volGetPath,
    .connectStoragePoolEventRegisterAny = vkTestStoragePoolEventRegisterAny,
    .connectStoragePoolEventDeregisterAny = vkTestStoragePoolEventDeregisterAny,
};

/* Storage pool and volume calls over the wire: the remote driver's storage table. The
 * connection is the hypervisor table's (conn->privateData); each public call sends libvirt's
 * procedure for it (virStorageVolWipe STORAGE_VOL_WIPE, virStorageVolWipePattern
 * STORAGE_VOL_WIPE_PATTERN, and so on). Upload and download open a stream (remote_stream.c). */
#include <string.h>

#include "remote_priv.h"

#define VIR_FROM_THIS VK_REMOTE_ERR

/* ---- handles ---- */

static void poolToWire(virStoragePoolPtr pool, vkr_nonnull_storage_pool *out)
{
    out->name = pool->name;
    memcpy(out->uuid, pool->uuid, VIR_UUID_BUFLEN);
}

static void volToWire(virStorageVolPtr vol, vkr_nonnull_storage_vol *out)
{
    out->pool = vol->pool;
    out->name = vol->name;
    out->key = vol->key;
}

static virStoragePoolPtr poolFromWire(virConnectPtr conn, const vkr_nonnull_storage_pool *pool)
{
    return vkStoragePoolNew(conn, pool->name, (const unsigned char *)pool->uuid);
}

static virStorageVolPtr volFromWire(virConnectPtr conn, const vkr_nonnull_storage_vol *vol)
{
    return vkStorageVolNew(conn, vol->pool, vol->name, vol->key);
}

/* ---- the connection's pools ---- */

static int connectListAllStoragePools(virConnectPtr conn, virStoragePoolPtr **pools,
                                      unsigned int flags)
{
    vkr_connect_list_all_storage_pools_args args = { pools != NULL, flags };
    vkr_connect_list_all_storage_pools_ret ret = { 0 };
    GPtrArray *handles;
    int count;

    if (vkRemoteCall(conn, VKR_PROC_CONNECT_LIST_ALL_STORAGE_POOLS, &args, &ret) < 0)
        return -1;
    handles = g_ptr_array_new_with_free_func((GDestroyNotify)vkStoragePoolUnref);
    for (guint i = 0; i < ret.pools.pools_len; i++)
        g_ptr_array_add(handles, poolFromWire(conn, &ret.pools.pools_val[i]));
    count = ret.ret;
    vkRemoteRetFree(VKR_PROC_CONNECT_LIST_ALL_STORAGE_POOLS, &ret);
    if (!pools) {
        g_ptr_array_free(handles, TRUE);
        return count;
    }
    return vkListHandlesReturn(handles, (void ***)pools);
}

/* The calls whose reply is one int (counts, flags of a pool). */
static int callInt(virConnectPtr conn, int proc, const void *args)
{
    int value = 0;

    if (vkRemoteCall(conn, proc, args, &value) < 0)
        return -1;
    return value;
}

static int connectNumOfStoragePools(virConnectPtr conn)
{
    return callInt(conn, VKR_PROC_CONNECT_NUM_OF_STORAGE_POOLS, NULL);
}

static int connectNumOfDefinedStoragePools(virConnectPtr conn)
{
    return callInt(conn, VKR_PROC_CONNECT_NUM_OF_DEFINED_STORAGE_POOLS, NULL);
}

/* A listing by name: ARGS (maxnames first) asking for at most MAXNAMES below LIMIT. */
static int listNames(virConnectPtr conn, int proc, const void *args, char **const names,
                     int maxnames, int limit, const char *func)
{
    vkr_connect_list_storage_pools_ret ret = { 0 }; /* every listing reply has this layout */
    int n;

    if (vkRemoteCheckNamesLimit(maxnames, limit, func) < 0 ||
        vkRemoteCall(conn, proc, args, &ret) < 0)
        return -1;
    n = vkRemoteCopyNames(names, maxnames, ret.names.names_val, ret.names.names_len, func);
    vkRemoteRetFree(proc, &ret);
    return n;
}

static int connectListStoragePools(virConnectPtr conn, char **const names, int maxnames)
{
    vkr_connect_list_storage_pools_args args = { maxnames };

    return listNames(conn, VKR_PROC_CONNECT_LIST_STORAGE_POOLS, &args, names, maxnames,
                     VKR_STORAGE_POOL_LIST_MAX, "virConnectListStoragePools");
}

static int connectListDefinedStoragePools(virConnectPtr conn, char **const names, int maxnames)
{
    vkr_connect_list_defined_storage_pools_args args = { maxnames };

    return listNames(conn, VKR_PROC_CONNECT_LIST_DEFINED_STORAGE_POOLS, &args, names, maxnames,
                     VKR_STORAGE_POOL_LIST_MAX, "virConnectListDefinedStoragePools");
}

/* The calls whose reply is one string. */
static char *callString(virConnectPtr conn, int proc, const void *args)
{
    vkr_nonnull_string ret = NULL; /* every such reply is one string */
    char *s;

    if (vkRemoteCall(conn, proc, args, &ret) < 0)
        return NULL;
    s = g_strdup(ret);
    vkRemoteRetFree(proc, &ret);
    return s;
}

static char *connectGetStoragePoolCapabilities(virConnectPtr conn, unsigned int flags)
{
    vkr_connect_get_storage_pool_capabilities_args args = { flags };

    return callString(conn, VKR_PROC_CONNECT_GET_STORAGE_POOL_CAPABILITIES, &args);
}

/* ---- calls answering a pool ---- */

typedef struct {
    vkr_nonnull_storage_pool pool;
} PoolRet;

static virStoragePoolPtr callPool(virConnectPtr conn, int proc, const void *args)
{
    PoolRet ret = { 0 };
    virStoragePoolPtr pool;

    if (vkRemoteCall(conn, proc, args, &ret) < 0)
        return NULL;
    pool = poolFromWire(conn, &ret.pool);
    vkRemoteRetFree(proc, &ret);
    return pool;
}

static virStoragePoolPtr storagePoolLookupByName(virConnectPtr conn, const char *name)
{
    vkr_storage_pool_lookup_by_name_args args = { (char *)name };

    return callPool(conn, VKR_PROC_STORAGE_POOL_LOOKUP_BY_NAME, &args);
}

static virStoragePoolPtr storagePoolLookupByUUID(virConnectPtr conn, const unsigned char *uuid)
{
    vkr_storage_pool_lookup_by_uuid_args args;

    memcpy(args.uuid, uuid, VIR_UUID_BUFLEN);
    return callPool(conn, VKR_PROC_STORAGE_POOL_LOOKUP_BY_UUID, &args);
}

static virStoragePoolPtr storagePoolLookupByVolume(virStorageVolPtr vol)
{
    vkr_storage_pool_lookup_by_volume_args args;

    volToWire(vol, &args.vol);
    return callPool(vol->conn, VKR_PROC_STORAGE_POOL_LOOKUP_BY_VOLUME, &args);
}

static virStoragePoolPtr storagePoolLookupByTargetPath(virConnectPtr conn, const char *path)
{
    vkr_storage_pool_lookup_by_target_path_args args = { (char *)path };

    return callPool(conn, VKR_PROC_STORAGE_POOL_LOOKUP_BY_TARGET_PATH, &args);
}

static virStoragePoolPtr storagePoolCreateXML(virConnectPtr conn, const char *xml,
                                              unsigned int flags)
{
    vkr_storage_pool_create_xml_args args = { (char *)xml, flags };

    return callPool(conn, VKR_PROC_STORAGE_POOL_CREATE_XML, &args);
}

static virStoragePoolPtr storagePoolDefineXML(virConnectPtr conn, const char *xml,
                                              unsigned int flags)
{
    vkr_storage_pool_define_xml_args args = { (char *)xml, flags };

    return callPool(conn, VKR_PROC_STORAGE_POOL_DEFINE_XML, &args);
}

/* ---- calls on a pool ---- */

/* PROC with the pool as its only argument; RET: its reply (NULL: none). */
static int callOnPool(virStoragePoolPtr pool, int proc, void *ret)
{
    vkr_storage_pool_args args;

    poolToWire(pool, &args.pool);
    return vkRemoteCall(pool->conn, proc, &args, ret);
}

/* PROC with the pool and flags. */
static int callOnPoolFlags(virStoragePoolPtr pool, int proc, unsigned int flags, void *ret)
{
    vkr_storage_pool_flags_args args = { .flags = flags };

    poolToWire(pool, &args.pool);
    return vkRemoteCall(pool->conn, proc, &args, ret);
}

static int storagePoolBuild(virStoragePoolPtr pool, unsigned int flags)
{
    return callOnPoolFlags(pool, VKR_PROC_STORAGE_POOL_BUILD, flags, NULL);
}

static int storagePoolUndefine(virStoragePoolPtr pool)
{
    return callOnPool(pool, VKR_PROC_STORAGE_POOL_UNDEFINE, NULL);
}

static int storagePoolCreate(virStoragePoolPtr pool, unsigned int flags)
{
    return callOnPoolFlags(pool, VKR_PROC_STORAGE_POOL_CREATE, flags, NULL);
}

static int storagePoolDestroy(virStoragePoolPtr pool)
{
    return callOnPool(pool, VKR_PROC_STORAGE_POOL_DESTROY, NULL);
}

static int storagePoolDelete(virStoragePoolPtr pool, unsigned int flags)
{
    return callOnPoolFlags(pool, VKR_PROC_STORAGE_POOL_DELETE, flags, NULL);
}

static int storagePoolRefresh(virStoragePoolPtr pool, unsigned int flags)
{
    return callOnPoolFlags(pool, VKR_PROC_STORAGE_POOL_REFRESH, flags, NULL);
}

static int storagePoolGetInfo(virStoragePoolPtr pool, virStoragePoolInfoPtr info)
{
    vkr_storage_pool_get_info_ret ret = { 0 };

    if (callOnPool(pool, VKR_PROC_STORAGE_POOL_GET_INFO, &ret) < 0)
        return -1;
    info->state = ret.state;
    info->capacity = ret.capacity;
    info->allocation = ret.allocation;
    info->available = ret.available;
    return 0;
}

static char *storagePoolGetXMLDesc(virStoragePoolPtr pool, unsigned int flags)
{
    vkr_storage_pool_flags_args args = { .flags = flags };

    poolToWire(pool, &args.pool);
    return callString(pool->conn, VKR_PROC_STORAGE_POOL_GET_XML_DESC, &args);
}

/* The pool calls whose reply is one int. */
static int callPoolInt(virStoragePoolPtr pool, int proc)
{
    vkr_storage_pool_args args;

    poolToWire(pool, &args.pool);
    return callInt(pool->conn, proc, &args);
}

static int storagePoolGetAutostart(virStoragePoolPtr pool, int *autostart)
{
    int rc = callPoolInt(pool, VKR_PROC_STORAGE_POOL_GET_AUTOSTART);

    if (rc < 0)
        return -1;
    *autostart = rc;
    return 0;
}

static int storagePoolSetAutostart(virStoragePoolPtr pool, int autostart)
{
    vkr_storage_pool_set_autostart_args args = { .autostart = autostart };

    poolToWire(pool, &args.pool);
    return vkRemoteCall(pool->conn, VKR_PROC_STORAGE_POOL_SET_AUTOSTART, &args, NULL);
}

static int storagePoolIsActive(virStoragePoolPtr pool)
{
    return callPoolInt(pool, VKR_PROC_STORAGE_POOL_IS_ACTIVE);
}

static int storagePoolIsPersistent(virStoragePoolPtr pool)
{
    return callPoolInt(pool, VKR_PROC_STORAGE_POOL_IS_PERSISTENT);
}

static int storagePoolNumOfVolumes(virStoragePoolPtr pool)
{
    return callPoolInt(pool, VKR_PROC_STORAGE_POOL_NUM_OF_VOLUMES);
}

static int storagePoolListVolumes(virStoragePoolPtr pool, char **const names, int maxnames)
{
    vkr_storage_pool_list_volumes_args args = { .maxnames = maxnames };

    poolToWire(pool, &args.pool);
    return listNames(pool->conn, VKR_PROC_STORAGE_POOL_LIST_VOLUMES, &args, names, maxnames,
                     VKR_STORAGE_VOL_LIST_MAX, "virStoragePoolListVolumes");
}

static int storagePoolListAllVolumes(virStoragePoolPtr pool, virStorageVolPtr **vols,
                                     unsigned int flags)
{
    vkr_storage_pool_list_all_volumes_args args = { .need_results = vols != NULL, .flags = flags };
    vkr_storage_pool_list_all_volumes_ret ret = { 0 };
    GPtrArray *handles;
    int count;

    poolToWire(pool, &args.pool);
    if (vkRemoteCall(pool->conn, VKR_PROC_STORAGE_POOL_LIST_ALL_VOLUMES, &args, &ret) < 0)
        return -1;
    handles = g_ptr_array_new_with_free_func((GDestroyNotify)vkStorageVolUnref);
    for (guint i = 0; i < ret.vols.vols_len; i++)
        g_ptr_array_add(handles, volFromWire(pool->conn, &ret.vols.vols_val[i]));
    count = ret.ret;
    vkRemoteRetFree(VKR_PROC_STORAGE_POOL_LIST_ALL_VOLUMES, &ret);
    if (!vols) {
        g_ptr_array_free(handles, TRUE);
        return count;
    }
    return vkListHandlesReturn(handles, (void ***)vols);
}

/* ---- calls answering a volume ---- */

typedef struct {
    vkr_nonnull_storage_vol vol;
} VolRet;

static virStorageVolPtr callVol(virConnectPtr conn, int proc, const void *args)
{
    VolRet ret = { 0 };
    virStorageVolPtr vol;

    if (vkRemoteCall(conn, proc, args, &ret) < 0)
        return NULL;
    vol = volFromWire(conn, &ret.vol);
    vkRemoteRetFree(proc, &ret);
    return vol;
}

static virStorageVolPtr storageVolLookupByName(virStoragePoolPtr pool, const char *name)
{
    vkr_storage_vol_lookup_by_name_args args = { .name = (char *)name };

    poolToWire(pool, &args.pool);
    return callVol(pool->conn, VKR_PROC_STORAGE_VOL_LOOKUP_BY_NAME, &args);
}

static virStorageVolPtr storageVolLookupByKey(virConnectPtr conn, const char *key)
{
    vkr_storage_vol_lookup_by_key_args args = { (char *)key };

    return callVol(conn, VKR_PROC_STORAGE_VOL_LOOKUP_BY_KEY, &args);
}

static virStorageVolPtr storageVolLookupByPath(virConnectPtr conn, const char *path)
{
    vkr_storage_vol_lookup_by_path_args args = { (char *)path };

    return callVol(conn, VKR_PROC_STORAGE_VOL_LOOKUP_BY_PATH, &args);
}

static virStorageVolPtr storageVolCreateXML(virStoragePoolPtr pool, const char *xml,
                                            unsigned int flags)
{
    vkr_storage_vol_create_xml_args args = { .xml = (char *)xml, .flags = flags };

    poolToWire(pool, &args.pool);
    return callVol(pool->conn, VKR_PROC_STORAGE_VOL_CREATE_XML, &args);
}

static virStorageVolPtr storageVolCreateXMLFrom(virStoragePoolPtr pool, const char *xml,
                                                virStorageVolPtr clone, unsigned int flags)
{
    vkr_storage_vol_create_xml_from_args args = { .xml = (char *)xml, .flags = flags };

    poolToWire(pool, &args.pool);
    volToWire(clone, &args.clonevol);
    return callVol(pool->conn, VKR_PROC_STORAGE_VOL_CREATE_XML_FROM, &args);
}

/* ---- calls on a volume ---- */

/* PROC with the volume and flags; RET: its reply (NULL: none). */
static int callOnVolFlags(virStorageVolPtr vol, int proc, unsigned int flags, void *ret)
{
    vkr_storage_vol_flags_args args = { .flags = flags };

    volToWire(vol, &args.vol);
    return vkRemoteCall(vol->conn, proc, &args, ret);
}

static int storageVolDelete(virStorageVolPtr vol, unsigned int flags)
{
    return callOnVolFlags(vol, VKR_PROC_STORAGE_VOL_DELETE, flags, NULL);
}

static int storageVolWipe(virStorageVolPtr vol, unsigned int flags)
{
    return callOnVolFlags(vol, VKR_PROC_STORAGE_VOL_WIPE, flags, NULL);
}

static int storageVolWipePattern(virStorageVolPtr vol, unsigned int algorithm, unsigned int flags)
{
    vkr_storage_vol_wipe_pattern_args args = { .algorithm = algorithm, .flags = flags };

    volToWire(vol, &args.vol);
    return vkRemoteCall(vol->conn, VKR_PROC_STORAGE_VOL_WIPE_PATTERN, &args, NULL);
}

/* The two info replies share their layout, not their type. */
static void copyVolInfo(char type, unsigned long long capacity, unsigned long long allocation,
                        virStorageVolInfoPtr info)
{
    info->type = type;
    info->capacity = capacity;
    info->allocation = allocation;
}

static int storageVolGetInfo(virStorageVolPtr vol, virStorageVolInfoPtr info)
{
    vkr_storage_vol_get_info_args args;
    vkr_storage_vol_get_info_ret ret = { 0 };

    volToWire(vol, &args.vol);
    if (vkRemoteCall(vol->conn, VKR_PROC_STORAGE_VOL_GET_INFO, &args, &ret) < 0)
        return -1;
    copyVolInfo(ret.type, ret.capacity, ret.allocation, info);
    return 0;
}

static int storageVolGetInfoFlags(virStorageVolPtr vol, virStorageVolInfoPtr info,
                                  unsigned int flags)
{
    vkr_storage_vol_get_info_flags_ret ret = { 0 };

    if (callOnVolFlags(vol, VKR_PROC_STORAGE_VOL_GET_INFO_FLAGS, flags, &ret) < 0)
        return -1;
    copyVolInfo(ret.type, ret.capacity, ret.allocation, info);
    return 0;
}

static char *storageVolGetXMLDesc(virStorageVolPtr vol, unsigned int flags)
{
    vkr_storage_vol_flags_args args = { .flags = flags };

    volToWire(vol, &args.vol);
    return callString(vol->conn, VKR_PROC_STORAGE_VOL_GET_XML_DESC, &args);
}

static char *storageVolGetPath(virStorageVolPtr vol)
{
    vkr_storage_vol_args args;

    volToWire(vol, &args.vol);
    return callString(vol->conn, VKR_PROC_STORAGE_VOL_GET_PATH, &args);
}

static int storageVolResize(virStorageVolPtr vol, unsigned long long capacity, unsigned int flags)
{
    vkr_storage_vol_resize_args args = { .capacity = capacity, .flags = flags };

    volToWire(vol, &args.vol);
    return vkRemoteCall(vol->conn, VKR_PROC_STORAGE_VOL_RESIZE, &args, NULL);
}

/* ---- upload and download: the call opens a stream ---- */

static int volTransfer(virStorageVolPtr vol, virStreamPtr st, int proc, unsigned long long offset,
                       unsigned long long length, unsigned int flags)
{
    vkr_storage_vol_transfer_args args = { .offset = offset, .length = length, .flags = flags };

    volToWire(vol, &args.vol);
    return vkRemoteStreamOpen(vol->conn, st, proc, &args);
}

static int storageVolDownload(virStorageVolPtr vol, virStreamPtr st, unsigned long long offset,
                              unsigned long long length, unsigned int flags)
{
    return volTransfer(vol, st, VKR_PROC_STORAGE_VOL_DOWNLOAD, offset, length, flags);
}

static int storageVolUpload(virStorageVolPtr vol, virStreamPtr st, unsigned long long offset,
                            unsigned long long length, unsigned int flags)
{
    return volTransfer(vol, st, VKR_PROC_STORAGE_VOL_UPLOAD, offset, length, flags);
}

const vkStorageDriver vkRemoteStorageDriver = {
    .name = "remote",
    .connectListAllStoragePools = connectListAllStoragePools,
    .connectNumOfStoragePools = connectNumOfStoragePools,
    .connectListStoragePools = connectListStoragePools,
    .connectNumOfDefinedStoragePools = connectNumOfDefinedStoragePools,
    .connectListDefinedStoragePools = connectListDefinedStoragePools,
    .connectGetStoragePoolCapabilities = connectGetStoragePoolCapabilities,
    .storagePoolLookupByName = storagePoolLookupByName,
    .storagePoolLookupByUUID = storagePoolLookupByUUID,
    .storagePoolLookupByVolume = storagePoolLookupByVolume,
    .storagePoolLookupByTargetPath = storagePoolLookupByTargetPath,
    .storagePoolCreateXML = storagePoolCreateXML,
    .storagePoolDefineXML = storagePoolDefineXML,
    .storagePoolBuild = storagePoolBuild,
    .storagePoolUndefine = storagePoolUndefine,
    .storagePoolCreate = storagePoolCreate,
    .storagePoolDestroy = storagePoolDestroy,
    .storagePoolDelete = storagePoolDelete,
    .storagePoolRefresh = storagePoolRefresh,
    .storagePoolGetInfo = storagePoolGetInfo,
    .storagePoolGetXMLDesc = storagePoolGetXMLDesc,
    .storagePoolGetAutostart = storagePoolGetAutostart,
    .storagePoolSetAutostart = storagePoolSetAutostart,
    .storagePoolIsActive = storagePoolIsActive,
    .storagePoolIsPersistent = storagePoolIsPersistent,
    .storagePoolNumOfVolumes = storagePoolNumOfVolumes,
    .storagePoolListVolumes = storagePoolListVolumes,
    .storagePoolListAllVolumes = storagePoolListAllVolumes,
    .storageVolLookupByName = storageVolLookupByName,
    .storageVolLookupByKey = storageVolLookupByKey,
    .storageVolLookupByPath = storageVolLookupByPath,
    .storageVolCreateXML = storageVolCreateXML,
    .storageVolCreateXMLFrom = storageVolCreateXMLFrom,
    .storageVolDownload = storageVolDownload,
    .storageVolUpload = storageVolUpload,
    .storageVolDelete = storageVolDelete,
    .storageVolWipePattern = storageVolWipePattern,
    .storageVolGetInfoFlags = storageVolGetInfoFlags,
    .storageVolGetXMLDesc = storageVolGetXMLDesc,
    .storageVolGetPath = storageVolGetPath,
    .storageVolResize = storageVolResize,
    .connectStoragePoolEventRegisterAny = vkRemoteStoragePoolEventRegisterAny,
    .connectStoragePoolEventDeregisterAny = vkRemoteEventDeregisterAny,
    .storageVolWipe = storageVolWipe,
    .storageVolGetInfo = storageVolGetInfo,
};

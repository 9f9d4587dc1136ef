/* The storage procedures, each one public call on the client's connection. Whatever builds,
 * fills, wipes or resizes runs on the workers. */
#include "daemon_dispatch_priv.h"

#include <stdlib.h>

/* ---- listing pools ---- */

static int listAllPools(vkDaemonCall *call, vkr_connect_list_all_storage_pools_args *args,
                        vkr_connect_list_all_storage_pools_ret *ret)
{
    virStoragePoolPtr *pools = NULL;
    int n;

    CALL_SECONDARY_CONN(call);
    if ((n = virConnectListAllStoragePools(conn, args->need_results ? &pools : NULL, args->flags)) <
        0)
        return -1;
    if (n > VKR_STORAGE_POOL_LIST_MAX) {
        vkReportError(VIR_FROM_RPC, VIR_ERR_INTERNAL_ERROR,
                      "Too many storage pools '%d' for limit '%d'", n, VKR_STORAGE_POOL_LIST_MAX);
    } else if (pools && n > 0) {
        ret->pools.pools_len = (u_int)n;
        ret->pools.pools_val = g_new0(vkr_nonnull_storage_pool, n);
        for (int i = 0; i < n; i++)
            vkDaemonPoolToWire(pools[i], &ret->pools.pools_val[i]);
    }
    ret->ret = (u_int)n;
    if (pools) {
        for (int i = 0; i < n; i++)
            vkStoragePoolUnref(pools[i]);
        free(pools);
    }
    return n > VKR_STORAGE_POOL_LIST_MAX ? -1 : 0;
}

static int numOfPools(vkDaemonCall *call, void *args, vkr_connect_num_of_storage_pools_ret *ret)
{
    CALL_SECONDARY_CONN(call);
    return (ret->num = virConnectNumOfStoragePools(conn)) < 0 ? -1 : 0;
}

static int numOfDefinedPools(vkDaemonCall *call, void *args,
                             vkr_connect_num_of_defined_storage_pools_ret *ret)
{
    CALL_SECONDARY_CONN(call);
    return (ret->num = virConnectNumOfDefinedStoragePools(conn)) < 0 ? -1 : 0;
}

typedef int (*ListNamesFunc)(virConnectPtr conn, char **const names, int maxnames);

static int listPoolNames(vkDaemonCall *call, ListNamesFunc list, int maxnames, u_int *len,
                         char ***names)
{
    int n;

    CALL_SECONDARY_CONN(call);
    if (vkDaemonCheckListMax(maxnames, VKR_STORAGE_POOL_LIST_MAX, "names",
                             "REMOTE_STORAGE_POOL_LIST_MAX") < 0)
        return -1;
    *names = g_new0(char *, MAX(maxnames, 1));
    if ((n = list(conn, *names, maxnames)) < 0)
        return -1;
    *len = (u_int)n;
    return 0;
}

static int listPools(vkDaemonCall *call, vkr_connect_list_storage_pools_args *args,
                     vkr_connect_list_storage_pools_ret *ret)
{
    return listPoolNames(call, virConnectListStoragePools, args->maxnames, &ret->names.names_len,
                         &ret->names.names_val);
}

static int listDefinedPools(vkDaemonCall *call, vkr_connect_list_defined_storage_pools_args *args,
                            vkr_connect_list_defined_storage_pools_ret *ret)
{
    return listPoolNames(call, virConnectListDefinedStoragePools, args->maxnames,
                         &ret->names.names_len, &ret->names.names_val);
}

static int poolCapabilities(vkDaemonCall *call,
                            vkr_connect_get_storage_pool_capabilities_args *args,
                            vkr_connect_get_storage_pool_capabilities_ret *ret)
{
    CALL_SECONDARY_CONN(call);
    return (ret->capabilities = virConnectGetStoragePoolCapabilities(conn, args->flags)) ? 0 : -1;
}

/* ---- calls that return a pool ---- */

static int returnPool(virStoragePoolPtr pool, vkr_nonnull_storage_pool *wire)
{
    if (!pool)
        return -1;
    vkDaemonPoolToWire(pool, wire);
    vkStoragePoolUnref(pool);
    return 0;
}

static int poolCreateXML(vkDaemonCall *call, vkr_storage_pool_create_xml_args *args,
                         vkr_storage_pool_create_xml_ret *ret)
{
    CALL_SECONDARY_CONN(call);
    return returnPool(virStoragePoolCreateXML(conn, args->xml, args->flags), &ret->pool);
}

static int poolDefineXML(vkDaemonCall *call, vkr_storage_pool_define_xml_args *args,
                         vkr_storage_pool_define_xml_ret *ret)
{
    CALL_SECONDARY_CONN(call);
    return returnPool(virStoragePoolDefineXML(conn, args->xml, args->flags), &ret->pool);
}

static int poolLookupByName(vkDaemonCall *call, vkr_storage_pool_lookup_by_name_args *args,
                            vkr_storage_pool_lookup_by_name_ret *ret)
{
    CALL_SECONDARY_CONN(call);
    return returnPool(virStoragePoolLookupByName(conn, args->name), &ret->pool);
}

static int poolLookupByUUID(vkDaemonCall *call, vkr_storage_pool_lookup_by_uuid_args *args,
                            vkr_storage_pool_lookup_by_uuid_ret *ret)
{
    CALL_SECONDARY_CONN(call);
    return returnPool(virStoragePoolLookupByUUID(conn, (const unsigned char *)args->uuid),
                      &ret->pool);
}

static int poolLookupByVolume(vkDaemonCall *call, vkr_storage_pool_lookup_by_volume_args *args,
                              vkr_storage_pool_lookup_by_volume_ret *ret)
{
    CALL_VOL(call, &args->vol);
    return returnPool(virStoragePoolLookupByVolume(vol), &ret->pool);
}

static int poolLookupByTargetPath(vkDaemonCall *call,
                                  vkr_storage_pool_lookup_by_target_path_args *args,
                                  vkr_storage_pool_lookup_by_target_path_ret *ret)
{
    CALL_SECONDARY_CONN(call);
    return returnPool(virStoragePoolLookupByTargetPath(conn, args->path), &ret->pool);
}

/* ---- calls on a pool ---- */

#define POOL_VOID(fn, argsType, call_expr)                       \
    static int fn(vkDaemonCall *call, argsType *args, void *ret) \
    {                                                            \
        CALL_POOL(call, &args->pool);                            \
        return call_expr < 0 ? -1 : 0;                           \
    }

POOL_VOID(poolCreate, vkr_storage_pool_flags_args, virStoragePoolCreate(pool, args->flags))
POOL_VOID(poolBuild, vkr_storage_pool_flags_args, virStoragePoolBuild(pool, args->flags))
POOL_VOID(poolRefresh, vkr_storage_pool_flags_args, virStoragePoolRefresh(pool, args->flags))
POOL_VOID(poolDelete, vkr_storage_pool_flags_args, virStoragePoolDelete(pool, args->flags))
POOL_VOID(poolDestroy, vkr_storage_pool_args, virStoragePoolDestroy(pool))
POOL_VOID(poolUndefine, vkr_storage_pool_args, virStoragePoolUndefine(pool))
POOL_VOID(poolSetAutostart, vkr_storage_pool_set_autostart_args,
          virStoragePoolSetAutostart(pool, args->autostart))

static int poolGetInfo(vkDaemonCall *call, vkr_storage_pool_args *args,
                       vkr_storage_pool_get_info_ret *ret)
{
    virStoragePoolInfo info = { 0 };

    CALL_POOL(call, &args->pool);
    if (virStoragePoolGetInfo(pool, &info) < 0)
        return -1;
    ret->state = (u_char)info.state;
    ret->capacity = info.capacity;
    ret->allocation = info.allocation;
    ret->available = info.available;
    return 0;
}

static int poolGetXMLDesc(vkDaemonCall *call, vkr_storage_pool_flags_args *args,
                          vkr_storage_pool_get_xml_desc_ret *ret)
{
    CALL_POOL(call, &args->pool);
    return (ret->xml = virStoragePoolGetXMLDesc(pool, args->flags)) ? 0 : -1;
}

static int poolGetAutostart(vkDaemonCall *call, vkr_storage_pool_args *args,
                            vkr_storage_pool_get_autostart_ret *ret)
{
    CALL_POOL(call, &args->pool);
    return virStoragePoolGetAutostart(pool, &ret->autostart) < 0 ? -1 : 0;
}

static int poolIsActive(vkDaemonCall *call, vkr_storage_pool_args *args,
                        vkr_storage_pool_is_active_ret *ret)
{
    CALL_POOL(call, &args->pool);
    return (ret->active = virStoragePoolIsActive(pool)) < 0 ? -1 : 0;
}

static int poolIsPersistent(vkDaemonCall *call, vkr_storage_pool_args *args,
                            vkr_storage_pool_is_persistent_ret *ret)
{
    CALL_POOL(call, &args->pool);
    return (ret->persistent = virStoragePoolIsPersistent(pool)) < 0 ? -1 : 0;
}

static int poolNumOfVolumes(vkDaemonCall *call, vkr_storage_pool_args *args,
                            vkr_storage_pool_num_of_volumes_ret *ret)
{
    CALL_POOL(call, &args->pool);
    return (ret->num = virStoragePoolNumOfVolumes(pool)) < 0 ? -1 : 0;
}

static int poolListVolumes(vkDaemonCall *call, vkr_storage_pool_list_volumes_args *args,
                           vkr_storage_pool_list_volumes_ret *ret)
{
    int n;

    CALL_POOL(call, &args->pool);
    if (vkDaemonCheckListMax(args->maxnames, VKR_STORAGE_VOL_LIST_MAX, "names",
                             "REMOTE_STORAGE_VOL_LIST_MAX") < 0)
        return -1;
    ret->names.names_val = g_new0(char *, MAX(args->maxnames, 1));
    if ((n = virStoragePoolListVolumes(pool, ret->names.names_val, args->maxnames)) < 0)
        return -1;
    ret->names.names_len = (u_int)n;
    return 0;
}

static int poolListAllVolumes(vkDaemonCall *call, vkr_storage_pool_list_all_volumes_args *args,
                              vkr_storage_pool_list_all_volumes_ret *ret)
{
    virStorageVolPtr *vols = NULL;
    int n;

    CALL_POOL(call, &args->pool);
    if ((n = virStoragePoolListAllVolumes(pool, args->need_results ? &vols : NULL, args->flags)) <
        0)
        return -1;
    if (n > VKR_STORAGE_VOL_LIST_MAX) {
        vkReportError(VIR_FROM_RPC, VIR_ERR_INTERNAL_ERROR,
                      "Too many storage volumes '%d' for limit '%d'", n, VKR_STORAGE_VOL_LIST_MAX);
    } else if (vols && n > 0) {
        ret->vols.vols_len = (u_int)n;
        ret->vols.vols_val = g_new0(vkr_nonnull_storage_vol, n);
        for (int i = 0; i < n; i++)
            vkDaemonVolToWire(vols[i], &ret->vols.vols_val[i]);
    }
    ret->ret = (u_int)n;
    if (vols) {
        for (int i = 0; i < n; i++)
            vkStorageVolUnref(vols[i]);
        free(vols);
    }
    return n > VKR_STORAGE_VOL_LIST_MAX ? -1 : 0;
}

/* ---- calls that return a volume ---- */

static int returnVol(virStorageVolPtr vol, vkr_nonnull_storage_vol *wire)
{
    if (!vol)
        return -1;
    vkDaemonVolToWire(vol, wire);
    vkStorageVolUnref(vol);
    return 0;
}

static int volCreateXML(vkDaemonCall *call, vkr_storage_vol_create_xml_args *args,
                        vkr_storage_vol_create_xml_ret *ret)
{
    CALL_POOL(call, &args->pool);
    return returnVol(virStorageVolCreateXML(pool, args->xml, args->flags), &ret->vol);
}

static int volCreateXMLFrom(vkDaemonCall *call, vkr_storage_vol_create_xml_from_args *args,
                            vkr_storage_vol_create_xml_from_ret *ret)
{
    CALL_POOL(call, &args->pool);
    g_autoptr(virStorageVol) clone = vkDaemonVolFromWire(conn, &args->clonevol);
    return returnVol(virStorageVolCreateXMLFrom(pool, args->xml, clone, args->flags), &ret->vol);
}

static int volLookupByName(vkDaemonCall *call, vkr_storage_vol_lookup_by_name_args *args,
                           vkr_storage_vol_lookup_by_name_ret *ret)
{
    CALL_POOL(call, &args->pool);
    return returnVol(virStorageVolLookupByName(pool, args->name), &ret->vol);
}

static int volLookupByKey(vkDaemonCall *call, vkr_storage_vol_lookup_by_key_args *args,
                          vkr_storage_vol_lookup_by_key_ret *ret)
{
    CALL_SECONDARY_CONN(call);
    return returnVol(virStorageVolLookupByKey(conn, args->key), &ret->vol);
}

static int volLookupByPath(vkDaemonCall *call, vkr_storage_vol_lookup_by_path_args *args,
                           vkr_storage_vol_lookup_by_path_ret *ret)
{
    CALL_SECONDARY_CONN(call);
    return returnVol(virStorageVolLookupByPath(conn, args->path), &ret->vol);
}

/* ---- calls on a volume ---- */

#define VOL_VOID(fn, argsType, call_expr)                        \
    static int fn(vkDaemonCall *call, argsType *args, void *ret) \
    {                                                            \
        CALL_VOL(call, &args->vol);                              \
        return call_expr < 0 ? -1 : 0;                           \
    }

VOL_VOID(volDelete, vkr_storage_vol_flags_args, virStorageVolDelete(vol, args->flags))
VOL_VOID(volWipe, vkr_storage_vol_flags_args, virStorageVolWipe(vol, args->flags))
VOL_VOID(volWipePattern, vkr_storage_vol_wipe_pattern_args,
         virStorageVolWipePattern(vol, args->algorithm, args->flags))
VOL_VOID(volResize, vkr_storage_vol_resize_args,
         virStorageVolResize(vol, args->capacity, args->flags))

static int volInfo(virStorageVolPtr vol, unsigned int flags, gboolean withFlags, char *type,
                   u_quad_t *capacity, u_quad_t *allocation)
{
    virStorageVolInfo info = { 0 };

    if ((withFlags ? virStorageVolGetInfoFlags(vol, &info, flags)
                   : virStorageVolGetInfo(vol, &info)) < 0)
        return -1;
    *type = (char)info.type;
    *capacity = info.capacity;
    *allocation = info.allocation;
    return 0;
}

static int volGetInfo(vkDaemonCall *call, vkr_storage_vol_get_info_args *args,
                      vkr_storage_vol_get_info_ret *ret)
{
    CALL_VOL(call, &args->vol);
    return volInfo(vol, 0, FALSE, &ret->type, &ret->capacity, &ret->allocation);
}

static int volGetInfoFlags(vkDaemonCall *call, vkr_storage_vol_flags_args *args,
                           vkr_storage_vol_get_info_flags_ret *ret)
{
    CALL_VOL(call, &args->vol);
    return volInfo(vol, args->flags, TRUE, &ret->type, &ret->capacity, &ret->allocation);
}

static int volGetXMLDesc(vkDaemonCall *call, vkr_storage_vol_flags_args *args,
                         vkr_storage_vol_get_xml_desc_ret *ret)
{
    CALL_VOL(call, &args->vol);
    return (ret->xml = virStorageVolGetXMLDesc(vol, args->flags)) ? 0 : -1;
}

static int volGetPath(vkDaemonCall *call, vkr_storage_vol_args *args,
                      vkr_storage_vol_get_path_ret *ret)
{
    CALL_VOL(call, &args->vol);
    return (ret->name = virStorageVolGetPath(vol)) ? 0 : -1;
}

#define RW(proc, fn, api)                                                          \
    {                                                                              \
        VKR_PROC_##proc, HANDLER(fn), VK_DAEMON_RUN_LONG, 0, api, VIR_FROM_STORAGE \
    }

const vkDaemonProc vkDaemonStorageProcs[] = {
    { VKR_PROC_CONNECT_LIST_ALL_STORAGE_POOLS, HANDLER(listAllPools) },
    { VKR_PROC_CONNECT_NUM_OF_STORAGE_POOLS, HANDLER(numOfPools) },
    { VKR_PROC_CONNECT_LIST_STORAGE_POOLS, HANDLER(listPools) },
    { VKR_PROC_CONNECT_NUM_OF_DEFINED_STORAGE_POOLS, HANDLER(numOfDefinedPools) },
    { VKR_PROC_CONNECT_LIST_DEFINED_STORAGE_POOLS, HANDLER(listDefinedPools) },
    { VKR_PROC_CONNECT_GET_STORAGE_POOL_CAPABILITIES, HANDLER(poolCapabilities) },
    RW(STORAGE_POOL_CREATE_XML, poolCreateXML, "virStoragePoolCreateXML"),
    RW(STORAGE_POOL_DEFINE_XML, poolDefineXML, "virStoragePoolDefineXML"),
    RW(STORAGE_POOL_CREATE, poolCreate, "virStoragePoolCreate"),
    RW(STORAGE_POOL_BUILD, poolBuild, "virStoragePoolBuild"),
    RW(STORAGE_POOL_DESTROY, poolDestroy, "virStoragePoolDestroy"),
    RW(STORAGE_POOL_DELETE, poolDelete, "virStoragePoolDelete"),
    RW(STORAGE_POOL_UNDEFINE, poolUndefine, "virStoragePoolUndefine"),
    RW(STORAGE_POOL_REFRESH, poolRefresh, "virStoragePoolRefresh"),
    RW(STORAGE_POOL_SET_AUTOSTART, poolSetAutostart, "virStoragePoolSetAutostart"),
    { VKR_PROC_STORAGE_POOL_LOOKUP_BY_NAME, HANDLER(poolLookupByName) },
    { VKR_PROC_STORAGE_POOL_LOOKUP_BY_UUID, HANDLER(poolLookupByUUID) },
    { VKR_PROC_STORAGE_POOL_LOOKUP_BY_VOLUME, HANDLER(poolLookupByVolume) },
    { VKR_PROC_STORAGE_POOL_LOOKUP_BY_TARGET_PATH, HANDLER(poolLookupByTargetPath) },
    { VKR_PROC_STORAGE_POOL_GET_INFO, HANDLER(poolGetInfo) },
    { VKR_PROC_STORAGE_POOL_GET_XML_DESC, HANDLER(poolGetXMLDesc) },
    { VKR_PROC_STORAGE_POOL_GET_AUTOSTART, HANDLER(poolGetAutostart) },
    { VKR_PROC_STORAGE_POOL_IS_ACTIVE, HANDLER(poolIsActive) },
    { VKR_PROC_STORAGE_POOL_IS_PERSISTENT, HANDLER(poolIsPersistent) },
    { VKR_PROC_STORAGE_POOL_NUM_OF_VOLUMES, HANDLER(poolNumOfVolumes) },
    { VKR_PROC_STORAGE_POOL_LIST_VOLUMES, HANDLER(poolListVolumes) },
    { VKR_PROC_STORAGE_POOL_LIST_ALL_VOLUMES, HANDLER(poolListAllVolumes) },
    RW(STORAGE_VOL_CREATE_XML, volCreateXML, "virStorageVolCreateXML"),
    RW(STORAGE_VOL_CREATE_XML_FROM, volCreateXMLFrom, "virStorageVolCreateXMLFrom"),
    RW(STORAGE_VOL_DELETE, volDelete, "virStorageVolDelete"),
    RW(STORAGE_VOL_WIPE, volWipe, "virStorageVolWipe"),
    RW(STORAGE_VOL_WIPE_PATTERN, volWipePattern, "virStorageVolWipePattern"),
    RW(STORAGE_VOL_RESIZE, volResize, "virStorageVolResize"),
    { VKR_PROC_STORAGE_VOL_LOOKUP_BY_NAME, HANDLER(volLookupByName) },
    { VKR_PROC_STORAGE_VOL_LOOKUP_BY_KEY, HANDLER(volLookupByKey) },
    { VKR_PROC_STORAGE_VOL_LOOKUP_BY_PATH, HANDLER(volLookupByPath) },
    { VKR_PROC_STORAGE_VOL_GET_INFO, HANDLER(volGetInfo) },
    { VKR_PROC_STORAGE_VOL_GET_INFO_FLAGS, HANDLER(volGetInfoFlags) },
    { VKR_PROC_STORAGE_VOL_GET_XML_DESC, HANDLER(volGetXMLDesc) },
    { VKR_PROC_STORAGE_VOL_GET_PATH, HANDLER(volGetPath) },
    { 0 },
};

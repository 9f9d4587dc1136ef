/* Public entry points for storage pools and volumes: argument checks, read-only refusal,
 * dispatch to the connection's storage driver. */
#include <string.h>

#include "libvirtkit-priv.h"
#include "util/vkuuid.h"

#define ERR_STORAGE VIR_FROM_STORAGE

gboolean vkApiEnterStoragePool(virStoragePoolPtr pool, const char *func)
{
    vkResetLastError();
    if (vkIsStoragePool(pool))
        return TRUE;
    vkReportError(ERR_STORAGE, VIR_ERR_INVALID_STORAGE_POOL, "%s", func);
    vkApiDispatch(NULL);
    return FALSE;
}

gboolean vkApiEnterStorageVol(virStorageVolPtr vol, const char *func)
{
    vkResetLastError();
    if (vkIsStorageVol(vol))
        return TRUE;
    vkReportError(ERR_STORAGE, VIR_ERR_INVALID_STORAGE_VOL, "%s", func);
    vkApiDispatch(NULL);
    return FALSE;
}

/* The storage driver of CONN, or NULL after reporting VIR_ERR_NO_SUPPORT for FUNC when it has
 * none or lacks the call (MEMBER is that call's slot, NULL meaning missing). */
#define STORAGE_CALL(conn, member, func)             \
    const vkStorageDriver *drv = vkApiStorage(conn); \
    if (!drv || !drv->member)                        \
        return vkApiUnsupported(conn, ERR_STORAGE, func);
#define STORAGE_CALL_PTR(conn, member, func)         \
    const vkStorageDriver *drv = vkApiStorage(conn); \
    if (!drv || !drv->member)                        \
        return vkApiUnsupportedPtr(conn, ERR_STORAGE, func);

static gboolean enterPoolMutating(virStoragePoolPtr pool, const char *func)
{
    return vkApiEnterStoragePool(pool, func) && !vkApiDenyReadOnly(pool->conn, ERR_STORAGE, func);
}

static gboolean enterVolMutating(virStorageVolPtr vol, const char *func)
{
    return vkApiEnterStorageVol(vol, func) && !vkApiDenyReadOnly(vol->conn, ERR_STORAGE, func);
}

/* ---- the connection's pools ---- */

int virConnectListAllStoragePools(virConnectPtr conn, virStoragePoolPtr **pools, unsigned int flags)
{
    if (pools)
        *pools = NULL;
    if (!vkApiEnterConnect(conn, ERR_STORAGE, __func__))
        return -1;
    STORAGE_CALL(conn, connectListAllStoragePools, __func__);
    return vkApiResultInt(conn, drv->connectListAllStoragePools(conn, pools, flags));
}

int virConnectNumOfStoragePools(virConnectPtr conn)
{
    if (!vkApiEnterConnect(conn, ERR_STORAGE, __func__))
        return -1;
    STORAGE_CALL(conn, connectNumOfStoragePools, __func__);
    return vkApiResultInt(conn, drv->connectNumOfStoragePools(conn));
}

int virConnectListStoragePools(virConnectPtr conn, char **const names, int maxnames)
{
    if (!vkApiEnterConnect(conn, ERR_STORAGE, __func__) ||
        vkApiDenyBadArray(conn, names, maxnames, ERR_STORAGE, __func__, "names", "maxnames"))
        return -1;
    STORAGE_CALL(conn, connectListStoragePools, __func__);
    return vkApiResultInt(conn, drv->connectListStoragePools(conn, names, maxnames));
}

int virConnectNumOfDefinedStoragePools(virConnectPtr conn)
{
    if (!vkApiEnterConnect(conn, ERR_STORAGE, __func__))
        return -1;
    STORAGE_CALL(conn, connectNumOfDefinedStoragePools, __func__);
    return vkApiResultInt(conn, drv->connectNumOfDefinedStoragePools(conn));
}

int virConnectListDefinedStoragePools(virConnectPtr conn, char **const names, int maxnames)
{
    if (!vkApiEnterConnect(conn, ERR_STORAGE, __func__) ||
        vkApiDenyBadArray(conn, names, maxnames, ERR_STORAGE, __func__, "names", "maxnames"))
        return -1;
    STORAGE_CALL(conn, connectListDefinedStoragePools, __func__);
    return vkApiResultInt(conn, drv->connectListDefinedStoragePools(conn, names, maxnames));
}

char *virConnectGetStoragePoolCapabilities(virConnectPtr conn, unsigned int flags)
{
    if (!vkApiEnterConnect(conn, ERR_STORAGE, __func__))
        return NULL;
    STORAGE_CALL_PTR(conn, connectGetStoragePoolCapabilities, __func__);
    return vkApiResultPtr(conn, drv->connectGetStoragePoolCapabilities(conn, flags));
}

/* ---- pool lookup ---- */

virStoragePoolPtr virStoragePoolLookupByName(virConnectPtr conn, const char *name)
{
    if (!vkApiEnterConnect(conn, ERR_STORAGE, __func__) ||
        vkApiDenyNull(conn, name, ERR_STORAGE, __func__, "name"))
        return NULL;
    STORAGE_CALL_PTR(conn, storagePoolLookupByName, __func__);
    return vkApiResultPtr(conn, drv->storagePoolLookupByName(conn, name));
}

virStoragePoolPtr virStoragePoolLookupByUUID(virConnectPtr conn, const unsigned char *uuid)
{
    if (!vkApiEnterConnect(conn, ERR_STORAGE, __func__) ||
        vkApiDenyNull(conn, uuid, ERR_STORAGE, __func__, "uuid"))
        return NULL;
    STORAGE_CALL_PTR(conn, storagePoolLookupByUUID, __func__);
    return vkApiResultPtr(conn, drv->storagePoolLookupByUUID(conn, uuid));
}

virStoragePoolPtr virStoragePoolLookupByUUIDString(virConnectPtr conn, const char *uuidstr)
{
    unsigned char uuid[VIR_UUID_BUFLEN];

    if (!vkApiEnterConnect(conn, ERR_STORAGE, __func__) ||
        vkApiDenyNull(conn, uuidstr, ERR_STORAGE, __func__, "uuidstr"))
        return NULL;
    if (vkUUIDParse(uuidstr, uuid) < 0) {
        vkReportInvalidArg(ERR_STORAGE, __func__, "uuidstr", "uuidstr in %s must be a valid UUID",
                           __func__);
        vkApiDispatch(conn);
        return NULL;
    }
    return virStoragePoolLookupByUUID(conn, uuid);
}

virStoragePoolPtr virStoragePoolLookupByVolume(virStorageVolPtr vol)
{
    if (!vkApiEnterStorageVol(vol, __func__))
        return NULL;
    STORAGE_CALL_PTR(vol->conn, storagePoolLookupByVolume, __func__);
    return vkApiResultPtr(vol->conn, drv->storagePoolLookupByVolume(vol));
}

virStoragePoolPtr virStoragePoolLookupByTargetPath(virConnectPtr conn, const char *path)
{
    if (!vkApiEnterConnect(conn, ERR_STORAGE, __func__) ||
        vkApiDenyNull(conn, path, ERR_STORAGE, __func__, "path"))
        return NULL;
    STORAGE_CALL_PTR(conn, storagePoolLookupByTargetPath, __func__);
    return vkApiResultPtr(conn, drv->storagePoolLookupByTargetPath(conn, path));
}

/* ---- pool lifecycle ---- */

virStoragePoolPtr virStoragePoolCreateXML(virConnectPtr conn, const char *xmlDesc,
                                          unsigned int flags)
{
    if (!vkApiEnterConnect(conn, ERR_STORAGE, __func__) ||
        vkApiDenyNull(conn, xmlDesc, ERR_STORAGE, __func__, "xmlDesc") ||
        vkApiDenyReadOnly(conn, ERR_STORAGE, __func__))
        return NULL;
    STORAGE_CALL_PTR(conn, storagePoolCreateXML, __func__);
    return vkApiResultPtr(conn, drv->storagePoolCreateXML(conn, xmlDesc, flags));
}

virStoragePoolPtr virStoragePoolDefineXML(virConnectPtr conn, const char *xml, unsigned int flags)
{
    if (!vkApiEnterConnect(conn, ERR_STORAGE, __func__) ||
        vkApiDenyReadOnly(conn, ERR_STORAGE, __func__) ||
        vkApiDenyNull(conn, xml, ERR_STORAGE, __func__, "xml"))
        return NULL;
    STORAGE_CALL_PTR(conn, storagePoolDefineXML, __func__);
    return vkApiResultPtr(conn, drv->storagePoolDefineXML(conn, xml, flags));
}

/* The pool calls that change something and return an int, all alike. */
#define POOL_MUTATOR(func, member, ...)     \
    if (!enterPoolMutating(pool, func))     \
        return -1;                          \
    STORAGE_CALL(pool->conn, member, func); \
    return vkApiResultInt(pool->conn, drv->member(pool, ##__VA_ARGS__));

int virStoragePoolBuild(virStoragePoolPtr pool, unsigned int flags)
{
    POOL_MUTATOR(__func__, storagePoolBuild, flags);
}

int virStoragePoolUndefine(virStoragePoolPtr pool)
{
    POOL_MUTATOR(__func__, storagePoolUndefine);
}

int virStoragePoolCreate(virStoragePoolPtr pool, unsigned int flags)
{
    POOL_MUTATOR(__func__, storagePoolCreate, flags);
}

int virStoragePoolDestroy(virStoragePoolPtr pool)
{
    POOL_MUTATOR(__func__, storagePoolDestroy);
}

int virStoragePoolDelete(virStoragePoolPtr pool, unsigned int flags)
{
    POOL_MUTATOR(__func__, storagePoolDelete, flags);
}

int virStoragePoolRefresh(virStoragePoolPtr pool, unsigned int flags)
{
    POOL_MUTATOR(__func__, storagePoolRefresh, flags);
}

int virStoragePoolSetAutostart(virStoragePoolPtr pool, int autostart)
{
    POOL_MUTATOR(__func__, storagePoolSetAutostart, autostart);
}

int virStoragePoolRef(virStoragePoolPtr pool)
{
    if (!vkApiEnterStoragePool(pool, __func__))
        return -1;
    vkStoragePoolRef(pool);
    return 0;
}

int virStoragePoolFree(virStoragePoolPtr pool)
{
    if (!vkApiEnterStoragePool(pool, __func__))
        return -1;
    vkStoragePoolUnref(pool);
    return 0;
}

/* ---- pool queries ---- */

const char *virStoragePoolGetName(virStoragePoolPtr pool)
{
    if (!vkApiEnterStoragePool(pool, __func__))
        return NULL;
    return pool->name;
}

int virStoragePoolGetUUID(virStoragePoolPtr pool, unsigned char *uuid)
{
    if (!vkApiEnterStoragePool(pool, __func__) ||
        vkApiDenyNull(pool->conn, uuid, ERR_STORAGE, __func__, "uuid"))
        return -1;
    memcpy(uuid, pool->uuid, VIR_UUID_BUFLEN);
    return 0;
}

int virStoragePoolGetUUIDString(virStoragePoolPtr pool, char *buf)
{
    if (!vkApiEnterStoragePool(pool, __func__) ||
        vkApiDenyNull(pool->conn, buf, ERR_STORAGE, __func__, "buf"))
        return -1;
    vkUUIDFormat(pool->uuid, buf);
    return 0;
}

int virStoragePoolGetInfo(virStoragePoolPtr pool, virStoragePoolInfoPtr info)
{
    if (!vkApiEnterStoragePool(pool, __func__) ||
        vkApiDenyNull(pool->conn, info, ERR_STORAGE, __func__, "info"))
        return -1;
    memset(info, 0, sizeof(*info));
    STORAGE_CALL(pool->conn, storagePoolGetInfo, __func__);
    return vkApiResultInt(pool->conn, drv->storagePoolGetInfo(pool, info));
}

char *virStoragePoolGetXMLDesc(virStoragePoolPtr pool, unsigned int flags)
{
    if (!vkApiEnterStoragePool(pool, __func__))
        return NULL;
    STORAGE_CALL_PTR(pool->conn, storagePoolGetXMLDesc, __func__);
    return vkApiResultPtr(pool->conn, drv->storagePoolGetXMLDesc(pool, flags));
}

int virStoragePoolGetAutostart(virStoragePoolPtr pool, int *autostart)
{
    if (!vkApiEnterStoragePool(pool, __func__) ||
        vkApiDenyNull(pool->conn, autostart, ERR_STORAGE, __func__, "autostart"))
        return -1;
    STORAGE_CALL(pool->conn, storagePoolGetAutostart, __func__);
    return vkApiResultInt(pool->conn, drv->storagePoolGetAutostart(pool, autostart));
}

virConnectPtr virStoragePoolGetConnect(virStoragePoolPtr pool)
{
    if (!vkApiEnterStoragePool(pool, __func__))
        return NULL;
    return pool->conn;
}

int virStoragePoolIsActive(virStoragePoolPtr pool)
{
    if (!vkApiEnterStoragePool(pool, __func__))
        return -1;
    STORAGE_CALL(pool->conn, storagePoolIsActive, __func__);
    return vkApiResultInt(pool->conn, drv->storagePoolIsActive(pool));
}

int virStoragePoolIsPersistent(virStoragePoolPtr pool)
{
    if (!vkApiEnterStoragePool(pool, __func__))
        return -1;
    STORAGE_CALL(pool->conn, storagePoolIsPersistent, __func__);
    return vkApiResultInt(pool->conn, drv->storagePoolIsPersistent(pool));
}

int virStoragePoolNumOfVolumes(virStoragePoolPtr pool)
{
    if (!vkApiEnterStoragePool(pool, __func__))
        return -1;
    STORAGE_CALL(pool->conn, storagePoolNumOfVolumes, __func__);
    return vkApiResultInt(pool->conn, drv->storagePoolNumOfVolumes(pool));
}

int virStoragePoolListVolumes(virStoragePoolPtr pool, char **const names, int maxnames)
{
    if (!vkApiEnterStoragePool(pool, __func__) ||
        vkApiDenyBadArray(pool->conn, names, maxnames, ERR_STORAGE, __func__, "names", "maxnames"))
        return -1;
    STORAGE_CALL(pool->conn, storagePoolListVolumes, __func__);
    return vkApiResultInt(pool->conn, drv->storagePoolListVolumes(pool, names, maxnames));
}

int virStoragePoolListAllVolumes(virStoragePoolPtr pool, virStorageVolPtr **vols,
                                 unsigned int flags)
{
    if (vols)
        *vols = NULL;
    if (!vkApiEnterStoragePool(pool, __func__))
        return -1;
    STORAGE_CALL(pool->conn, storagePoolListAllVolumes, __func__);
    return vkApiResultInt(pool->conn, drv->storagePoolListAllVolumes(pool, vols, flags));
}

/* ---- volumes ---- */

virConnectPtr virStorageVolGetConnect(virStorageVolPtr vol)
{
    if (!vkApiEnterStorageVol(vol, __func__))
        return NULL;
    return vol->conn;
}

virStorageVolPtr virStorageVolLookupByName(virStoragePoolPtr pool, const char *name)
{
    if (!vkApiEnterStoragePool(pool, __func__) ||
        vkApiDenyNull(pool->conn, name, ERR_STORAGE, __func__, "name"))
        return NULL;
    STORAGE_CALL_PTR(pool->conn, storageVolLookupByName, __func__);
    return vkApiResultPtr(pool->conn, drv->storageVolLookupByName(pool, name));
}

virStorageVolPtr virStorageVolLookupByKey(virConnectPtr conn, const char *key)
{
    if (!vkApiEnterConnect(conn, ERR_STORAGE, __func__) ||
        vkApiDenyNull(conn, key, ERR_STORAGE, __func__, "key"))
        return NULL;
    STORAGE_CALL_PTR(conn, storageVolLookupByKey, __func__);
    return vkApiResultPtr(conn, drv->storageVolLookupByKey(conn, key));
}

virStorageVolPtr virStorageVolLookupByPath(virConnectPtr conn, const char *path)
{
    if (!vkApiEnterConnect(conn, ERR_STORAGE, __func__) ||
        vkApiDenyNull(conn, path, ERR_STORAGE, __func__, "path"))
        return NULL;
    STORAGE_CALL_PTR(conn, storageVolLookupByPath, __func__);
    return vkApiResultPtr(conn, drv->storageVolLookupByPath(conn, path));
}

const char *virStorageVolGetName(virStorageVolPtr vol)
{
    if (!vkApiEnterStorageVol(vol, __func__))
        return NULL;
    return vol->name;
}

const char *virStorageVolGetKey(virStorageVolPtr vol)
{
    if (!vkApiEnterStorageVol(vol, __func__))
        return NULL;
    return vol->key;
}

virStorageVolPtr virStorageVolCreateXML(virStoragePoolPtr pool, const char *xmldesc,
                                        unsigned int flags)
{
    if (!vkApiEnterStoragePool(pool, __func__) ||
        vkApiDenyNull(pool->conn, xmldesc, ERR_STORAGE, __func__, "xmldesc") ||
        vkApiDenyReadOnly(pool->conn, ERR_STORAGE, __func__))
        return NULL;
    STORAGE_CALL_PTR(pool->conn, storageVolCreateXML, __func__);
    return vkApiResultPtr(pool->conn, drv->storageVolCreateXML(pool, xmldesc, flags));
}

virStorageVolPtr virStorageVolCreateXMLFrom(virStoragePoolPtr pool, const char *xmldesc,
                                            virStorageVolPtr clonevol, unsigned int flags)
{
    if (!vkApiEnterStoragePool(pool, __func__))
        return NULL;
    if (!vkIsStorageVol(clonevol)) {
        vkReportError(ERR_STORAGE, VIR_ERR_INVALID_STORAGE_VOL, "%s", __func__);
        vkApiDispatch(pool->conn);
        return NULL;
    }
    if (vkApiDenyNull(pool->conn, xmldesc, ERR_STORAGE, __func__, "xmldesc") ||
        vkApiDenyReadOnly(pool->conn, ERR_STORAGE, __func__))
        return NULL;
    STORAGE_CALL_PTR(pool->conn, storageVolCreateXMLFrom, __func__);
    return vkApiResultPtr(pool->conn, drv->storageVolCreateXMLFrom(pool, xmldesc, clonevol, flags));
}

static int transfer(virStorageVolPtr vol, virStreamPtr stream, unsigned long long offset,
                    unsigned long long length, unsigned int flags, gboolean upload,
                    const char *func)
{
    if (!enterVolMutating(vol, func))
        return -1;
    if (!stream) {
        vkReportInvalidArg(ERR_STORAGE, func, "stream", "stream in %s must not be NULL", func);
        vkApiDispatch(vol->conn);
        return -1;
    }
    const vkStorageDriver *drv = vkApiStorage(vol->conn);
    if (!drv || !(upload ? drv->storageVolUpload : drv->storageVolDownload))
        return vkApiUnsupported(vol->conn, ERR_STORAGE, func);
    return vkApiResultInt(vol->conn,
                          upload ? drv->storageVolUpload(vol, stream, offset, length, flags)
                                 : drv->storageVolDownload(vol, stream, offset, length, flags));
}

int virStorageVolDownload(virStorageVolPtr vol, virStreamPtr stream, unsigned long long offset,
                          unsigned long long length, unsigned int flags)
{
    return transfer(vol, stream, offset, length, flags, FALSE, __func__);
}

int virStorageVolUpload(virStorageVolPtr vol, virStreamPtr stream, unsigned long long offset,
                        unsigned long long length, unsigned int flags)
{
    return transfer(vol, stream, offset, length, flags, TRUE, __func__);
}

int virStorageVolDelete(virStorageVolPtr vol, unsigned int flags)
{
    if (!enterVolMutating(vol, __func__))
        return -1;
    STORAGE_CALL(vol->conn, storageVolDelete, __func__);
    return vkApiResultInt(vol->conn, drv->storageVolDelete(vol, flags));
}

int virStorageVolWipe(virStorageVolPtr vol, unsigned int flags)
{
    if (!enterVolMutating(vol, __func__))
        return -1;
    STORAGE_CALL(vol->conn, storageVolWipePattern, __func__);
    return vkApiResultInt(vol->conn,
                          drv->storageVolWipePattern(vol, VIR_STORAGE_VOL_WIPE_ALG_ZERO, flags));
}

int virStorageVolWipePattern(virStorageVolPtr vol, unsigned int algorithm, unsigned int flags)
{
    if (!enterVolMutating(vol, __func__))
        return -1;
    STORAGE_CALL(vol->conn, storageVolWipePattern, __func__);
    return vkApiResultInt(vol->conn, drv->storageVolWipePattern(vol, algorithm, flags));
}

int virStorageVolRef(virStorageVolPtr vol)
{
    if (!vkApiEnterStorageVol(vol, __func__))
        return -1;
    vkStorageVolRef(vol);
    return 0;
}

int virStorageVolFree(virStorageVolPtr vol)
{
    if (!vkApiEnterStorageVol(vol, __func__))
        return -1;
    vkStorageVolUnref(vol);
    return 0;
}

int virStorageVolGetInfoFlags(virStorageVolPtr vol, virStorageVolInfoPtr info, unsigned int flags)
{
    if (!vkApiEnterStorageVol(vol, __func__) ||
        vkApiDenyNull(vol->conn, info, ERR_STORAGE, __func__, "info"))
        return -1;
    memset(info, 0, sizeof(*info));
    STORAGE_CALL(vol->conn, storageVolGetInfoFlags, __func__);
    return vkApiResultInt(vol->conn, drv->storageVolGetInfoFlags(vol, info, flags));
}

int virStorageVolGetInfo(virStorageVolPtr vol, virStorageVolInfoPtr info)
{
    return virStorageVolGetInfoFlags(vol, info, 0);
}

char *virStorageVolGetXMLDesc(virStorageVolPtr vol, unsigned int flags)
{
    if (!vkApiEnterStorageVol(vol, __func__))
        return NULL;
    STORAGE_CALL_PTR(vol->conn, storageVolGetXMLDesc, __func__);
    return vkApiResultPtr(vol->conn, drv->storageVolGetXMLDesc(vol, flags));
}

char *virStorageVolGetPath(virStorageVolPtr vol)
{
    if (!vkApiEnterStorageVol(vol, __func__))
        return NULL;
    STORAGE_CALL_PTR(vol->conn, storageVolGetPath, __func__);
    return vkApiResultPtr(vol->conn, drv->storageVolGetPath(vol));
}

int virStorageVolResize(virStorageVolPtr vol, unsigned long long capacity, unsigned int flags)
{
    if (!enterVolMutating(vol, __func__))
        return -1;
    STORAGE_CALL(vol->conn, storageVolResize, __func__);
    return vkApiResultInt(vol->conn, drv->storageVolResize(vol, capacity, flags));
}

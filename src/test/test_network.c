/* The test driver's virtual networks: define/create/destroy/undefine as libvirt's test driver
 * moves them, with no bridge or firewall touched. */
#include <string.h>

#include "test_private.h"
#include "util/vkuuid.h"

/* ---- the object list (driver->lock held) ---- */

void vkTestNetworkObjFree(vkTestNetworkObj *obj)
{
    if (!obj)
        return;
    vkNetworkDefFree(obj->def);
    vkNetworkDefFree(obj->newDef);
    g_free(obj);
}

static vkTestNetworkObj *findByUUID(vkTestDriver *driver, const unsigned char *uuid)
{
    for (guint i = 0; i < driver->networks->len; i++) {
        vkTestNetworkObj *obj = g_ptr_array_index(driver->networks, i);
        if (memcmp(obj->def->uuid, uuid, VIR_UUID_BUFLEN) == 0)
            return obj;
    }
    return NULL;
}

static vkTestNetworkObj *findByName(vkTestDriver *driver, const char *name)
{
    for (guint i = 0; i < driver->networks->len; i++) {
        vkTestNetworkObj *obj = g_ptr_array_index(driver->networks, i);
        if (g_str_equal(obj->def->name, name))
            return obj;
    }
    return NULL;
}

/* A live definition replaces what runs, keeping the persistent one for later; a persistent
 * one waits in newDef while the network is active. */
static void assignDef(vkTestNetworkObj *obj, vkNetworkDef **def, gboolean live)
{
    if (live) {
        if (obj->persistent && !obj->newDef)
            obj->newDef = obj->def;
        else
            vkNetworkDefFree(obj->def);
        obj->def = g_steal_pointer(def);
        return;
    }
    g_clear_pointer(&obj->newDef, vkNetworkDefFree);
    if (obj->active) {
        obj->newDef = g_steal_pointer(def);
    } else {
        vkNetworkDefFree(obj->def);
        obj->def = g_steal_pointer(def);
    }
    obj->persistent = TRUE;
}

vkTestNetworkObj *vkTestNetworkAdd(vkTestDriver *driver, vkNetworkDef **def, gboolean live)
{
    char uuidstr[VIR_UUID_STRING_BUFLEN];
    vkTestNetworkObj *obj = findByUUID(driver, (*def)->uuid);

    if (obj) {
        if (!g_str_equal(obj->def->name, (*def)->name)) {
            vkUUIDFormat(obj->def->uuid, uuidstr);
            vkReportError(VIR_FROM_NETWORK, VIR_ERR_OPERATION_FAILED,
                          "network '%s' is already defined with uuid %s", obj->def->name, uuidstr);
            return NULL;
        }
        /* Creating from XML refuses a running network of that name. */
        if (live && obj->active) {
            vkReportError(VIR_FROM_NETWORK, VIR_ERR_OPERATION_INVALID,
                          "network is already active as '%s'", obj->def->name);
            return NULL;
        }
        assignDef(obj, def, live);
        return obj;
    }

    if ((obj = findByName(driver, (*def)->name))) {
        vkUUIDFormat(obj->def->uuid, uuidstr);
        vkReportError(VIR_FROM_NETWORK, VIR_ERR_OPERATION_FAILED,
                      "network '%s' already exists with uuid %s", (*def)->name, uuidstr);
        return NULL;
    }
    obj = g_new0(vkTestNetworkObj, 1);
    obj->def = g_steal_pointer(def);
    obj->persistent = !live;
    g_ptr_array_add(driver->networks, obj);
    return obj;
}

static void removeObj(vkTestDriver *driver, vkTestNetworkObj *obj)
{
    g_ptr_array_remove(driver->networks, obj);
}

/* ---- helpers for the driver calls ---- */

static vkTestNetworkObj *objByName(vkTestDriver *driver, const char *name)
{
    vkTestNetworkObj *obj = findByName(driver, name);

    if (!obj)
        vkReportError(VK_TEST_ERR, VIR_ERR_NO_NETWORK, "no network with matching name '%s'", name);
    return obj;
}

static vkTestNetworkObj *objByUUID(vkTestDriver *driver, const unsigned char *uuid)
{
    vkTestNetworkObj *obj = findByUUID(driver, uuid);

    if (!obj) {
        char uuidstr[VIR_UUID_STRING_BUFLEN];
        vkUUIDFormat(uuid, uuidstr);
        vkReportError(VK_TEST_ERR, VIR_ERR_NO_NETWORK, "no network with matching uuid '%s'",
                      uuidstr);
    }
    return obj;
}

static virNetworkPtr newHandle(virConnectPtr conn, const vkTestNetworkObj *obj)
{
    return vkNetworkNew(conn, obj->def->name, obj->def->uuid);
}

static int compareNetworkNames(gconstpointer a, gconstpointer b)
{
    const vkTestNetworkObj *na = *(vkTestNetworkObj *const *)a;
    const vkTestNetworkObj *nb = *(vkTestNetworkObj *const *)b;
    return strcmp(na->def->name, nb->def->name);
}

static GPtrArray *sortedNetworks(vkTestDriver *driver)
{
    /* A plain copy would inherit the list's free function; this one only borrows. */
    GPtrArray *list = g_ptr_array_sized_new(driver->networks->len);

    for (guint i = 0; i < driver->networks->len; i++)
        g_ptr_array_add(list, g_ptr_array_index(driver->networks, i));
    g_ptr_array_sort(list, compareNetworkNames);
    return list;
}

/* ---- listing ---- */

#define LIST_FILTERS_ALL 0x3fu

static gboolean matchFilter(const vkTestNetworkObj *obj, unsigned int flags)
{
    return vkNetworkListMatch(flags, obj->active, obj->persistent, obj->autostart);
}

static int listAllNetworks(virConnectPtr conn, virNetworkPtr **nets, unsigned int flags)
{
    vkTestDriver *driver = vkTestDriverOf(conn);

    if (vkTestCheckFlags("vkTestConnectListAllNetworks", flags, LIST_FILTERS_ALL) < 0)
        return -1;

    g_autoptr(GMutexLocker) locker = g_mutex_locker_new(&driver->lock);
    g_autoptr(GPtrArray) all = sortedNetworks(driver);
    GPtrArray *handles = g_ptr_array_new_with_free_func((GDestroyNotify)vkNetworkUnref);

    for (guint i = 0; i < all->len; i++) {
        vkTestNetworkObj *obj = g_ptr_array_index(all, i);
        if (matchFilter(obj, flags))
            g_ptr_array_add(handles, newHandle(conn, obj));
    }
    return vkListHandlesReturn(handles, (void ***)nets);
}

static int countNetworks(virConnectPtr conn, gboolean active)
{
    vkTestDriver *driver = vkTestDriverOf(conn);
    g_autoptr(GMutexLocker) locker = g_mutex_locker_new(&driver->lock);
    int count = 0;

    for (guint i = 0; i < driver->networks->len; i++) {
        vkTestNetworkObj *obj = g_ptr_array_index(driver->networks, i);
        if (obj->active == active)
            count++;
    }
    return count;
}

static int numOfNetworks(virConnectPtr conn)
{
    return countNetworks(conn, TRUE);
}

static int numOfDefinedNetworks(virConnectPtr conn)
{
    return countNetworks(conn, FALSE);
}

static int listNames(virConnectPtr conn, char **const names, int maxnames, gboolean active)
{
    vkTestDriver *driver = vkTestDriverOf(conn);
    g_autoptr(GMutexLocker) locker = g_mutex_locker_new(&driver->lock);
    g_autoptr(GPtrArray) all = sortedNetworks(driver);
    int n = 0;

    if (maxnames > 0)
        memset(names, 0, sizeof(*names) * maxnames);
    for (guint i = 0; i < all->len && n < maxnames; i++) {
        vkTestNetworkObj *obj = g_ptr_array_index(all, i);
        if (obj->active == active)
            names[n++] = g_strdup(obj->def->name);
    }
    return n;
}

static int listNetworks(virConnectPtr conn, char **const names, int maxnames)
{
    return listNames(conn, names, maxnames, TRUE);
}

static int listDefinedNetworks(virConnectPtr conn, char **const names, int maxnames)
{
    return listNames(conn, names, maxnames, FALSE);
}

/* ---- lookup ---- */

static virNetworkPtr lookupByName(virConnectPtr conn, const char *name)
{
    vkTestDriver *driver = vkTestDriverOf(conn);
    g_autoptr(GMutexLocker) locker = g_mutex_locker_new(&driver->lock);
    vkTestNetworkObj *obj = objByName(driver, name);

    return obj ? newHandle(conn, obj) : NULL;
}

static virNetworkPtr lookupByUUID(virConnectPtr conn, const unsigned char *uuid)
{
    vkTestDriver *driver = vkTestDriverOf(conn);
    g_autoptr(GMutexLocker) locker = g_mutex_locker_new(&driver->lock);
    vkTestNetworkObj *obj = objByUUID(driver, uuid);

    return obj ? newHandle(conn, obj) : NULL;
}

/* ---- lifecycle ---- */

static void queueEvent(vkTestDriver *driver, const char *name, const unsigned char *uuid, int event)
{
    vkObjectEventStateQueueLifecycle(driver->events, VK_OBJECT_EVENT_NETWORK, name, uuid, -1, event,
                                     0);
}

static virNetworkPtr defineXML(virConnectPtr conn, const char *xml, unsigned int flags)
{
    vkTestDriver *driver = vkTestDriverOf(conn);

    if (vkTestCheckFlags("vkTestNetworkDefineXMLFlags", flags, VIR_NETWORK_DEFINE_VALIDATE) < 0)
        return NULL;

    g_autoptr(vkNetworkDef) def = vkNetworkDefParseString(xml, 0);
    if (!def)
        return NULL;

    g_autoptr(GMutexLocker) locker = g_mutex_locker_new(&driver->lock);
    vkTestNetworkObj *obj = vkTestNetworkAdd(driver, &def, FALSE);
    if (!obj)
        return NULL;
    queueEvent(driver, obj->def->name, obj->def->uuid, VIR_NETWORK_EVENT_DEFINED);
    return newHandle(conn, obj);
}

static virNetworkPtr createXML(virConnectPtr conn, const char *xml, unsigned int flags)
{
    vkTestDriver *driver = vkTestDriverOf(conn);

    if (vkTestCheckFlags("vkTestNetworkCreateXMLFlags", flags, VIR_NETWORK_CREATE_VALIDATE) < 0)
        return NULL;

    g_autoptr(vkNetworkDef) def = vkNetworkDefParseString(xml, 0);
    if (!def)
        return NULL;

    g_autoptr(GMutexLocker) locker = g_mutex_locker_new(&driver->lock);
    vkTestNetworkObj *obj = vkTestNetworkAdd(driver, &def, TRUE);
    if (!obj)
        return NULL;
    obj->active = TRUE;
    queueEvent(driver, obj->def->name, obj->def->uuid, VIR_NETWORK_EVENT_STARTED);
    return newHandle(conn, obj);
}

static int undefine(virNetworkPtr net)
{
    vkTestDriver *driver = vkTestDriverOf(net->conn);
    g_autoptr(GMutexLocker) locker = g_mutex_locker_new(&driver->lock);
    vkTestNetworkObj *obj = objByName(driver, net->name);

    if (!obj)
        return -1;
    if (obj->active) {
        vkReportError(VK_TEST_ERR, VIR_ERR_OPERATION_INVALID, "Network '%s' is still running",
                      net->name);
        return -1;
    }
    queueEvent(driver, net->name, net->uuid, VIR_NETWORK_EVENT_UNDEFINED);
    removeObj(driver, obj);
    return 0;
}

static int create(virNetworkPtr net)
{
    vkTestDriver *driver = vkTestDriverOf(net->conn);
    g_autoptr(GMutexLocker) locker = g_mutex_locker_new(&driver->lock);
    vkTestNetworkObj *obj = objByName(driver, net->name);

    if (!obj)
        return -1;
    if (obj->active) {
        vkReportError(VK_TEST_ERR, VIR_ERR_OPERATION_INVALID, "Network '%s' is already running",
                      net->name);
        return -1;
    }
    obj->active = TRUE;
    queueEvent(driver, obj->def->name, obj->def->uuid, VIR_NETWORK_EVENT_STARTED);
    return 0;
}

static int destroy(virNetworkPtr net)
{
    vkTestDriver *driver = vkTestDriverOf(net->conn);
    g_autoptr(GMutexLocker) locker = g_mutex_locker_new(&driver->lock);
    vkTestNetworkObj *obj = objByName(driver, net->name);

    if (!obj)
        return -1;
    /* Like libvirt's test driver, stopping an inactive network is not an error, and is
     * announced all the same. */
    obj->active = FALSE;
    queueEvent(driver, obj->def->name, obj->def->uuid, VIR_NETWORK_EVENT_STOPPED);
    if (!obj->persistent) {
        removeObj(driver, obj);
        return 0;
    }
    /* A definition made while it ran takes effect now. */
    if (obj->newDef) {
        vkNetworkDefFree(obj->def);
        obj->def = g_steal_pointer(&obj->newDef);
    }
    return 0;
}

/* ---- queries ---- */

static char *getXMLDesc(virNetworkPtr net, unsigned int flags)
{
    vkTestDriver *driver = vkTestDriverOf(net->conn);

    /* libvirt's test driver refuses VIR_NETWORK_XML_INACTIVE too: virsh net-dumpxml
     * --inactive fails there, and scripts see the same here. */
    if (vkTestCheckFlags("vkTestNetworkGetXMLDesc", flags, 0) < 0)
        return NULL;

    g_autoptr(GMutexLocker) locker = g_mutex_locker_new(&driver->lock);
    vkTestNetworkObj *obj = objByName(driver, net->name);
    return obj ? vkNetworkDefFormat(obj->def, 0) : NULL;
}

static char *getBridgeName(virNetworkPtr net)
{
    vkTestDriver *driver = vkTestDriverOf(net->conn);
    g_autoptr(GMutexLocker) locker = g_mutex_locker_new(&driver->lock);
    vkTestNetworkObj *obj = objByName(driver, net->name);

    if (!obj)
        return NULL;
    if (!obj->def->bridge.name) {
        vkReportError(VK_TEST_ERR, VIR_ERR_INTERNAL_ERROR,
                      "network '%s' does not have a bridge name.", obj->def->name);
        return NULL;
    }
    return g_strdup(obj->def->bridge.name);
}

static int isActive(virNetworkPtr net)
{
    vkTestDriver *driver = vkTestDriverOf(net->conn);
    g_autoptr(GMutexLocker) locker = g_mutex_locker_new(&driver->lock);
    vkTestNetworkObj *obj = objByUUID(driver, net->uuid);

    return obj ? obj->active : -1;
}

static int isPersistent(virNetworkPtr net)
{
    vkTestDriver *driver = vkTestDriverOf(net->conn);
    g_autoptr(GMutexLocker) locker = g_mutex_locker_new(&driver->lock);
    vkTestNetworkObj *obj = objByUUID(driver, net->uuid);

    return obj ? obj->persistent : -1;
}

static int getAutostart(virNetworkPtr net, int *autostart)
{
    vkTestDriver *driver = vkTestDriverOf(net->conn);
    g_autoptr(GMutexLocker) locker = g_mutex_locker_new(&driver->lock);
    vkTestNetworkObj *obj = objByName(driver, net->name);

    if (!obj)
        return -1;
    *autostart = obj->autostart;
    return 0;
}

static int setAutostart(virNetworkPtr net, int autostart)
{
    vkTestDriver *driver = vkTestDriverOf(net->conn);
    g_autoptr(GMutexLocker) locker = g_mutex_locker_new(&driver->lock);
    vkTestNetworkObj *obj = objByName(driver, net->name);

    if (!obj)
        return -1;
    obj->autostart = autostart != 0;
    return 0;
}

const vkNetworkDriver vkTestNetworkDriver = {
    .name = "Test",
    .connectListAllNetworks = listAllNetworks,
    .connectNumOfNetworks = numOfNetworks,
    .connectListNetworks = listNetworks,
    .connectNumOfDefinedNetworks = numOfDefinedNetworks,
    .connectListDefinedNetworks = listDefinedNetworks,
    .networkLookupByName = lookupByName,
    .networkLookupByUUID = lookupByUUID,
    .networkDefineXMLFlags = defineXML,
    .networkCreateXMLFlags = createXML,
    .networkUndefine = undefine,
    .networkCreate = create,
    .networkDestroy = destroy,
    .networkGetXMLDesc = getXMLDesc,
    .networkGetBridgeName = getBridgeName,
    .networkIsActive = isActive,
    .networkIsPersistent = isPersistent,
    .networkGetAutostart = getAutostart,
    .networkSetAutostart = setAutostart,
    .connectNetworkEventRegisterAny = vkTestNetworkEventRegisterAny,
    .connectNetworkEventDeregisterAny = vkTestNetworkEventDeregisterAny,
};

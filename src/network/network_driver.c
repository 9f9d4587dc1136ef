/* The network calls of qemu:/// connections: libvirt's semantics for define, undefine, create,
 * start, destroy and autostart, over state that lives in files and on the host. */
#include <string.h>
#include <unistd.h>

#include "network_priv.h"
#include "object_event.h"
#include "util/vknetdev.h"
#include "util/vkuuid.h"

#define MAX_BRIDGE_ID 256

/* ---- the state ---- */

vkNetworkDriverState *vkNetworkDriverStateNew(GUri *uri)
{
    vkNetworkDriverState *state;
    vkDriverPaths *paths = vkDriverPathsNew(uri, "network", VK_NET_ERR);

    if (!paths)
        return NULL;
    state = g_new0(vkNetworkDriverState, 1);
    state->paths = paths;
    state->autostartDir = g_build_filename(paths->etc, "autostart", NULL);
    state->privileged = geteuid() == 0;
    state->store = vkObjStoreNew(&vkNetworkStoreClass, paths->etc, paths->run);
    g_mutex_init(&state->lock);
    return state;
}

void vkNetworkDriverStateFree(vkNetworkDriverState *state)
{
    if (!state)
        return;
    vkObjectEventStateUnref(state->events);
    vkDriverPathsFree(state->paths);
    g_free(state->autostartDir);
    vkObjStoreFree(state->store);
    g_mutex_clear(&state->lock);
    g_free(state);
}

vkNetworkDriverState *vkNetworkDriverStateOf(virConnectPtr conn)
{
    if (!conn || !conn->driver || conn->driver->networkDriver != &vkHostNetworkDriver)
        return NULL;
    return conn->networkPrivateData;
}

static vkNetworkDriverState *stateOf(virConnectPtr conn)
{
    return conn->networkPrivateData;
}

static vkDrvOpenStatus connectOpen(virConnectPtr conn, GUri *uri, unsigned int flags)
{
    /* Only names the directories: beyond the autostart check, which is a read of one marker
     * after the first open of a boot, nothing is read or probed until a call needs it. */
    vkNetworkDriverState *state = vkNetworkDriverStateNew(uri);

    if (!state)
        return VK_DRV_OPEN_ERROR;
    vkNetworkAutostartOnBoot(state);
    conn->networkPrivateData = state;
    return VK_DRV_OPEN_SUCCESS;
}

static int connectClose(virConnectPtr conn)
{
    vkNetworkDriverStateFree(g_steal_pointer(&conn->networkPrivateData));
    return 0;
}

/* ---- finding networks ---- */

static void reportNoName(const char *name)
{
    vkReportError(VK_NET_ERR, VIR_ERR_NO_NETWORK, "no network with matching name '%s'", name);
}

static void reportNoUUID(const unsigned char *uuid, const char *name)
{
    char uuidstr[VIR_UUID_STRING_BUFLEN];

    vkUUIDFormat(uuid, uuidstr);
    if (name)
        vkReportError(VK_NET_ERR, VIR_ERR_NO_NETWORK, "no network with matching uuid '%s' (%s)",
                      uuidstr, name);
    else
        vkReportError(VK_NET_ERR, VIR_ERR_NO_NETWORK, "no network with matching uuid '%s'",
                      uuidstr);
}

/* Trouble repairing a network's status must not fail a call that only looks at it. */
static void reconcileQuietly(const vkNetworkDriverState *state, vkNetworkObj *obj)
{
    if (vkNetworkReconcile(state, obj, FALSE) < 0) {
        g_autofree char *what =
            g_strdup_printf("cannot refresh the state of network '%s'", obj->name);
        vkNetworkWarn(what);
    }
}

static gboolean objExists(const vkNetworkObj *obj)
{
    return obj->config || obj->status;
}

/* NAME's network, reconciled with the host (LOCKED: the caller holds its lock). */
static vkNetworkObj *objByName(const vkNetworkDriverState *state, const char *name, gboolean locked)
{
    g_autoptr(vkNetworkObj) obj = NULL;
    int rc = vkNetworkObjRead(state, name, &obj);

    if (rc < 0)
        return NULL;
    if (rc > 0 && locked && vkNetworkReconcile(state, obj, TRUE) < 0)
        return NULL;
    if (rc > 0 && !locked)
        reconcileQuietly(state, obj);
    if (rc == 0 || !objExists(obj)) {
        reportNoName(name);
        return NULL;
    }
    return g_steal_pointer(&obj);
}

/* The network a handle names. Like libvirt, a handle matches by uuid, so that one which
 * outlived its network never reaches a new network of the same name. */
static vkNetworkObj *objByHandle(virNetworkPtr net, gboolean locked)
{
    g_autoptr(vkNetworkObj) obj = objByName(stateOf(net->conn), net->name, locked);

    if (!obj) {
        if (virGetLastErrorCode() == VIR_ERR_NO_NETWORK)
            reportNoUUID(net->uuid, net->name);
        return NULL;
    }
    if (memcmp(vkNetworkObjDef(obj)->uuid, net->uuid, VIR_UUID_BUFLEN) != 0) {
        reportNoUUID(net->uuid, net->name);
        return NULL;
    }
    return g_steal_pointer(&obj);
}

static virNetworkPtr newHandle(virConnectPtr conn, const vkNetworkObj *obj)
{
    const vkNetworkDef *def = vkNetworkObjDef(obj);
    return vkNetworkNew(conn, def->name, def->uuid);
}

/* ---- checks across networks (driver lock held) ---- */

static gboolean sameUUID(const vkNetworkObj *obj, const vkNetworkDef *def)
{
    return memcmp(vkNetworkObjDef(obj)->uuid, def->uuid, VIR_UUID_BUFLEN) == 0;
}

/* libvirt's rules: a known uuid must keep its name, and a known name its uuid; with
 * CHECKLIVE, a network that is already running cannot be created again. */
static int checkUnique(GPtrArray *objs, const vkNetworkDef *def, gboolean checkLive)
{
    char uuidstr[VIR_UUID_STRING_BUFLEN];

    for (guint i = 0; i < objs->len; i++) {
        const vkNetworkObj *obj = g_ptr_array_index(objs, i);

        if (!sameUUID(obj, def))
            continue;
        if (!g_str_equal(obj->name, def->name)) {
            vkUUIDFormat(def->uuid, uuidstr);
            vkReportError(VK_NET_ERR, VIR_ERR_OPERATION_FAILED,
                          "network '%s' is already defined with uuid %s", obj->name, uuidstr);
            return -1;
        }
        if (checkLive && obj->status) {
            vkReportError(VK_NET_ERR, VIR_ERR_OPERATION_INVALID,
                          "network is already active as '%s'", obj->name);
            return -1;
        }
        return 0;
    }
    for (guint i = 0; i < objs->len; i++) {
        const vkNetworkObj *obj = g_ptr_array_index(objs, i);

        if (g_str_equal(obj->name, def->name)) {
            vkUUIDFormat(vkNetworkObjDef(obj)->uuid, uuidstr);
            vkReportError(VK_NET_ERR, VIR_ERR_OPERATION_FAILED,
                          "network '%s' already exists with uuid %s", def->name, uuidstr);
            return -1;
        }
    }
    return 0;
}

/* Whether a network other than NETNAME has BRIDGE in its config or status: those the index
 * names, confirmed from their files. */
static gboolean bridgeUsedByOther(const vkNetworkDriverState *state, const char *netname,
                                  const char *bridge)
{
    g_autofree char *key = vkNetworkBridgeKey(bridge);
    g_autoptr(GPtrArray) objs = vkNetworkObjReadCandidates(state, NULL, NULL, key);

    for (guint i = 0; i < objs->len; i++) {
        const vkNetworkObj *obj = g_ptr_array_index(objs, i);

        if (g_str_equal(obj->name, netname))
            continue;
        if ((obj->config && g_strcmp0(obj->config->bridge.name, bridge) == 0) ||
            (obj->status && g_strcmp0(obj->status->def->bridge.name, bridge) == 0))
            return TRUE;
    }
    return FALSE;
}

/* What libvirt's driver fills in for a network that gets a bridge of its own: a bridge name
 * free among networks and on the host (virbrN), and a random MAC address from qemu's range;
 * both are stored, so that the network keeps them. */
static int assignBridge(const vkNetworkDriverState *state, vkNetworkDef *def)
{
    if (!vkNetworkMakesBridge(def))
        return 0;
    if (!def->mac) {
        guint32 r = g_random_int();
        def->mac =
            g_strdup_printf("52:54:00:%02x:%02x:%02x", r & 0xff, (r >> 8) & 0xff, (r >> 16) & 0xff);
    }
    if (def->bridge.name) {
        if (bridgeUsedByOther(state, def->name, def->bridge.name)) {
            vkReportError(VK_NET_ERR, VIR_ERR_INTERNAL_ERROR, "bridge name '%s' already in use.",
                          def->bridge.name);
            return -1;
        }
        return 0;
    }
    for (int id = 0; id <= MAX_BRIDGE_ID; id++) {
        g_autofree char *name = g_strdup_printf("virbr%d", id);

        if (!bridgeUsedByOther(state, def->name, name) && vkNetDevExists(name) == 0) {
            def->bridge.name = g_steal_pointer(&name);
            return 0;
        }
        vkResetLastError();
    }
    vkReportError(VK_NET_ERR, VIR_ERR_INTERNAL_ERROR, "Bridge generation exceeded max id %d",
                  MAX_BRIDGE_ID);
    return -1;
}

/* ---- listing ---- */

#define LIST_FILTERS_ALL                                                          \
    (VIR_CONNECT_LIST_NETWORKS_ACTIVE | VIR_CONNECT_LIST_NETWORKS_INACTIVE |      \
     VIR_CONNECT_LIST_NETWORKS_PERSISTENT | VIR_CONNECT_LIST_NETWORKS_TRANSIENT | \
     VIR_CONNECT_LIST_NETWORKS_AUTOSTART | VIR_CONNECT_LIST_NETWORKS_NO_AUTOSTART)

/* A network as a listing shows it. */
typedef struct {
    char *name;
    unsigned char uuid[VIR_UUID_BUFLEN];
    gboolean active;
    gboolean persistent;
    gboolean autostart;
} vkNetworkListed;

static void listedFree(vkNetworkListed *l)
{
    g_free(l->name);
    g_free(l);
}

static void listedAdd(GPtrArray *out, const char *name, const unsigned char *uuid, gboolean active,
                      gboolean persistent, gboolean autostart)
{
    vkNetworkListed *l = g_new0(vkNetworkListed, 1);

    l->name = g_strdup(name);
    memcpy(l->uuid, uuid, VIR_UUID_BUFLEN);
    l->active = active;
    l->persistent = persistent;
    l->autostart = autostart;
    g_ptr_array_add(out, l);
}

/* Every network, by name, reading no more than a listing shows: one whose index entry has no
 * status is defined and inactive, with the index's name and uuid; the others are read and
 * reconciled with the host, and left out once they vanished. AUTOSTART: the marks are wanted
 * (a look each). */
static GPtrArray *allNetworks(const vkNetworkDriverState *state, gboolean autostart)
{
    g_autoptr(GPtrArray) entries = vkObjStoreList(state->store);
    GPtrArray *out = g_ptr_array_new_full(entries->len, (GDestroyNotify)listedFree);

    for (guint i = 0; i < entries->len; i++) {
        const vkObjIndexEntry *e = g_ptr_array_index(entries, i);
        g_autoptr(vkNetworkObj) obj = NULL;
        int rc;

        if (!e->status) {
            if (e->config)
                listedAdd(out, e->name, e->uuid, FALSE, TRUE,
                          autostart && vkObjStoreAutostartGet(state->store, e->name));
            continue;
        }
        if ((rc = vkNetworkObjRead(state, e->name, &obj)) < 0) {
            g_autofree char *what = g_strdup_printf("network '%s' skipped", e->name);
            vkNetworkWarn(what);
            continue;
        }
        if (rc == 0)
            continue;
        reconcileQuietly(state, obj);
        if (objExists(obj))
            listedAdd(out, obj->name, vkNetworkObjDef(obj)->uuid, vkNetworkObjIsActive(obj),
                      obj->config != NULL, obj->autostart);
    }
    return out;
}

#define LIST_AUTOSTART_FILTERS \
    (VIR_CONNECT_LIST_NETWORKS_AUTOSTART | VIR_CONNECT_LIST_NETWORKS_NO_AUTOSTART)

static int listAllNetworks(virConnectPtr conn, virNetworkPtr **nets, unsigned int flags)
{
    g_autoptr(GPtrArray) all = NULL;
    GPtrArray *handles;

    if (vkCheckFlags("networkConnectListAllNetworks", VK_NET_ERR, flags, LIST_FILTERS_ALL) < 0)
        return -1;
    all = allNetworks(stateOf(conn), (flags & LIST_AUTOSTART_FILTERS) != 0);
    handles = g_ptr_array_new_with_free_func((GDestroyNotify)vkNetworkUnref);
    for (guint i = 0; i < all->len; i++) {
        const vkNetworkListed *l = g_ptr_array_index(all, i);
        if (vkNetworkListMatch(flags, l->active, l->persistent, l->autostart))
            g_ptr_array_add(handles, vkNetworkNew(conn, l->name, l->uuid));
    }
    return vkListHandlesReturn(handles, (void ***)nets);
}

static int countNetworks(virConnectPtr conn, gboolean active)
{
    g_autoptr(GPtrArray) all = allNetworks(stateOf(conn), FALSE);
    int count = 0;

    for (guint i = 0; i < all->len; i++) {
        if (((const vkNetworkListed *)g_ptr_array_index(all, i))->active == active)
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
    g_autoptr(GPtrArray) all = allNetworks(stateOf(conn), FALSE);
    int n = 0;

    if (maxnames > 0)
        memset(names, 0, sizeof(*names) * maxnames);
    for (guint i = 0; i < all->len && n < maxnames; i++) {
        const vkNetworkListed *l = g_ptr_array_index(all, i);
        if (l->active == active)
            names[n++] = g_strdup(l->name);
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

/* Whether the handle's network is defined and not running, as its index entry tells without
 * reading its files (no status in the index means no status file): what a listing asks of
 * every network is then answered from the index. */
static gboolean quickInactive(virNetworkPtr net)
{
    g_autoptr(vkObjIndexEntry) e = vkObjStoreEntry(stateOf(net->conn)->store, net->name);

    return e && e->config && !e->status && e->hasUUID &&
           memcmp(e->uuid, net->uuid, VIR_UUID_BUFLEN) == 0;
}

/* ---- lookup ---- */

static virNetworkPtr lookupByName(virConnectPtr conn, const char *name)
{
    g_autoptr(vkNetworkObj) obj = objByName(stateOf(conn), name, FALSE);

    return obj ? newHandle(conn, obj) : NULL;
}

static virNetworkPtr lookupByUUID(virConnectPtr conn, const unsigned char *uuid)
{
    const vkNetworkDriverState *state = stateOf(conn);
    g_autoptr(GPtrArray) objs = vkNetworkObjReadCandidates(state, NULL, uuid, NULL);

    for (guint i = 0; i < objs->len; i++) {
        vkNetworkObj *obj = g_ptr_array_index(objs, i);

        reconcileQuietly(state, obj);
        if (objExists(obj) && memcmp(vkNetworkObjDef(obj)->uuid, uuid, VIR_UUID_BUFLEN) == 0)
            return newHandle(conn, obj);
    }
    reportNoUUID(uuid, NULL);
    return NULL;
}

/* ---- lifecycle ---- */

static virNetworkPtr defineXML(virConnectPtr conn, const char *xml, unsigned int flags)
{
    vkNetworkDriverState *state = stateOf(conn);
    g_autoptr(vkNetworkDef) def = NULL;
    g_autoptr(vkFileLock) driverLock = NULL;
    g_autoptr(GPtrArray) objs = NULL;

    if (vkCheckFlags("networkDefineXMLFlags", VK_NET_ERR, flags, VIR_NETWORK_DEFINE_VALIDATE) < 0)
        return NULL;
    if (!(def = vkNetworkDefParseString(xml, 0)) || !(driverLock = vkNetworkDriverLock(state)))
        return NULL;

    /* A running network keeps its live definition (in its status file); this one applies
     * from its next start. */
    objs = vkNetworkObjReadCandidates(state, def->name, def->uuid, NULL);
    if (checkUnique(objs, def, FALSE) < 0 || assignBridge(state, def) < 0 ||
        vkNetworkConfigSave(state, def) < 0)
        return NULL;
    return vkNetworkNew(conn, def->name, def->uuid);
}

static virNetworkPtr createXML(virConnectPtr conn, const char *xml, unsigned int flags)
{
    vkNetworkDriverState *state = stateOf(conn);
    g_autoptr(vkNetworkDef) def = NULL;
    g_autoptr(vkFileLock) driverLock = NULL;
    g_autoptr(vkFileLock) lock = NULL;
    g_autoptr(vkNetworkObj) obj = NULL;
    g_autoptr(GPtrArray) objs = NULL;
    g_autoptr(vkNetworkStatus) status = NULL;

    if (vkCheckFlags("networkCreateXMLFlags", VK_NET_ERR, flags, VIR_NETWORK_CREATE_VALIDATE) < 0)
        return NULL;
    if (!(def = vkNetworkDefParseString(xml, 0)))
        return NULL;
    /* The driver lock stays held until the status file claims the name, uuid and bridge. */
    if (!(driverLock = vkNetworkDriverLock(state)) || !(lock = vkNetworkLock(state, def->name)))
        return NULL;
    if (vkNetworkObjRead(state, def->name, &obj) < 0 ||
        (obj && vkNetworkReconcile(state, obj, TRUE) < 0))
        return NULL;

    objs = vkNetworkObjReadCandidates(state, def->name, def->uuid, NULL);
    if (checkUnique(objs, def, TRUE) < 0 || assignBridge(state, def) < 0)
        return NULL;
    status = g_new0(vkNetworkStatus, 1);
    status->def = g_steal_pointer(&def);
    if (vkNetworkStart(state, status) < 0)
        return NULL;
    return vkNetworkNew(conn, status->def->name, status->def->uuid);
}

static int undefine(virNetworkPtr net)
{
    vkNetworkDriverState *state = stateOf(net->conn);
    g_autoptr(vkFileLock) lock = vkNetworkLock(state, net->name);
    g_autoptr(vkNetworkObj) obj = NULL;

    if (!lock || !(obj = objByHandle(net, TRUE)))
        return -1;
    if (!obj->config) {
        vkReportError(VK_NET_ERR, VIR_ERR_OPERATION_INVALID, "%s",
                      "can't undefine transient network");
        return -1;
    }
    if (vkNetworkConfigDelete(state, net->name) < 0)
        return -1;
    /* An active network lives on as a transient one; an inactive one is gone, leases too. */
    if (!obj->status) {
        g_autofree char *leases = vkNetworkRunFile(state, net->name, "leases");
        return vkFileRemoveIfExists(leases);
    }
    return 0;
}

static int create(virNetworkPtr net)
{
    vkNetworkDriverState *state = stateOf(net->conn);
    g_autoptr(vkFileLock) lock = vkNetworkLock(state, net->name);
    g_autoptr(vkNetworkObj) obj = NULL;
    g_autoptr(vkNetworkStatus) status = NULL;

    if (!lock || !(obj = objByHandle(net, TRUE)))
        return -1;
    if (obj->status) {
        vkReportError(VK_NET_ERR, VIR_ERR_OPERATION_INVALID, "%s", "network is already active");
        return -1;
    }
    status = g_new0(vkNetworkStatus, 1);
    status->def = vkNetworkDefCopy(obj->config);
    return vkNetworkStart(state, status);
}

static int destroy(virNetworkPtr net)
{
    vkNetworkDriverState *state = stateOf(net->conn);
    g_autoptr(vkFileLock) lock = vkNetworkLock(state, net->name);
    g_autoptr(vkNetworkObj) obj = NULL;
    gboolean wasStarting;

    /* No reconciling first: whatever the status says ran, and whatever of it is left, the
     * stop undoes; a network whose bridge vanished just stops cleanly. */
    if (!lock || vkNetworkObjRead(state, net->name, &obj) < 0)
        return -1;
    if (!obj || memcmp(vkNetworkObjDef(obj)->uuid, net->uuid, VIR_UUID_BUFLEN) != 0) {
        reportNoUUID(net->uuid, net->name);
        return -1;
    }
    wasStarting = obj->status && obj->status->state == VK_NETWORK_STATUS_STARTING;
    if (!obj->status || wasStarting) {
        /* A start whose owner died never made the network active: clean up after it. */
        if (wasStarting && vkNetworkStop(state, obj->status) < 0)
            return -1;
        vkReportError(VK_NET_ERR, VIR_ERR_OPERATION_INVALID, "network '%s' is not active",
                      net->name);
        return -1;
    }
    if (vkNetworkStop(state, obj->status) < 0)
        return -1;
    /* A transient network is gone now, and nothing keeps its leases. */
    if (!obj->config) {
        g_autofree char *leases = vkNetworkRunFile(state, net->name, "leases");
        return vkFileRemoveIfExists(leases);
    }
    return 0;
}

/* ---- queries ---- */

static char *getXMLDesc(virNetworkPtr net, unsigned int flags)
{
    g_autoptr(vkNetworkObj) obj = NULL;
    const vkNetworkDef *def;

    if (vkCheckFlags("networkGetXMLDesc", VK_NET_ERR, flags, VIR_NETWORK_XML_INACTIVE) < 0 ||
        !(obj = objByHandle(net, FALSE)))
        return NULL;
    def = (flags & VIR_NETWORK_XML_INACTIVE) && obj->config ? obj->config : vkNetworkObjDef(obj);
    return vkNetworkDefFormat(def, flags & VIR_NETWORK_XML_INACTIVE ? VK_NETWORK_DEF_FORMAT_INACTIVE
                                                                    : 0);
}

static char *getBridgeName(virNetworkPtr net)
{
    g_autoptr(vkNetworkObj) obj = objByHandle(net, FALSE);
    const vkNetworkDef *def;

    if (!obj)
        return NULL;
    def = vkNetworkObjDef(obj);
    if (!def->bridge.name) {
        vkReportError(VK_NET_ERR, VIR_ERR_INTERNAL_ERROR,
                      "network '%s' does not have a bridge name.", def->name);
        return NULL;
    }
    return g_strdup(def->bridge.name);
}

static int isActive(virNetworkPtr net)
{
    g_autoptr(vkNetworkObj) obj = NULL;

    if (quickInactive(net))
        return 0;
    obj = objByHandle(net, FALSE);
    return obj ? vkNetworkObjIsActive(obj) : -1;
}

static int isPersistent(virNetworkPtr net)
{
    g_autoptr(vkNetworkObj) obj = NULL;

    if (quickInactive(net))
        return 1;
    obj = objByHandle(net, FALSE);
    return obj ? obj->config != NULL : -1;
}

static int getAutostart(virNetworkPtr net, int *autostart)
{
    g_autoptr(vkNetworkObj) obj = NULL;

    if (quickInactive(net)) {
        *autostart = vkObjStoreAutostartGet(stateOf(net->conn)->store, net->name);
        return 0;
    }
    obj = objByHandle(net, FALSE);
    if (!obj)
        return -1;
    *autostart = obj->autostart;
    return 0;
}

static int setAutostart(virNetworkPtr net, int autostart)
{
    vkNetworkDriverState *state = stateOf(net->conn);
    g_autoptr(vkFileLock) lock = vkNetworkLock(state, net->name);
    g_autoptr(vkNetworkObj) obj = NULL;

    if (!lock || !(obj = objByHandle(net, TRUE)))
        return -1;
    if (!obj->config) {
        vkReportError(VK_NET_ERR, VIR_ERR_OPERATION_INVALID, "%s",
                      "cannot set autostart for transient network");
        return -1;
    }
    return vkNetworkAutostartSet(state, net->name, autostart != 0);
}

const vkNetworkDriver vkHostNetworkDriver = {
    .name = "bridge",
    .connectOpen = connectOpen,
    .connectClose = connectClose,
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
    .connectNetworkEventRegisterAny = vkNetworkEventRegisterAny,
    .connectNetworkEventDeregisterAny = vkNetworkEventDeregisterAny,
};

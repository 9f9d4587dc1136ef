/* The qemu driver of qemu:/// connections: libvirt's domain calls over state that lives in
 * files under the driver's root and in the qemu processes themselves, so that every process
 * sees the same guests and a guest outlives the process that started it. Networks go to
 * src/network. */
#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "qemu_driver.h"
#include "virtkit/virtkit-qemu.h"
#include "qemu_command.h"
#include "qemu_domcaps.h"
#include "qemu_firmware.h"
#include "object_event.h"
#include "qemu_driver_priv.h"
#include "qemu_host.h"
#include "qemu_postparse.h"
#include "storage/storage_driver.h"
#include "stream.h"
#include "util/vkprocess.h"
#include "util/vkquickcall.h"
#include "util/vkuuid.h"

/* ---- the connection ---- */

static vkQemuDriverState *stateOf(virConnectPtr conn)
{
    return conn->privateData;
}

vkQemuDriverState *vkQemuDriverStateNew(vkDriverPaths *paths, virConnectPtr conn)
{
    vkQemuDriverState *state = g_new0(vkQemuDriverState, 1);

    state->paths = paths;
    state->procPaths.runDir = paths->run;
    state->procPaths.logDir = paths->log;
    state->autostartDir = g_build_filename(paths->etc, "autostart", NULL);
    state->lockDir = g_build_filename(paths->run, "driver", NULL);
    state->portDir = g_build_filename(paths->run, "ports", NULL);
    state->store = vkObjStoreNew(&vkQemuDomainStoreClass, paths->etc, paths->run);
    state->conn = conn;
    g_mutex_init(&state->lock);
    return state;
}

void vkQemuDriverStateFree(vkQemuDriverState *state)
{
    if (!state)
        return;
    vkObjectEventStateUnref(state->events);
    vkDriverPathsFree(state->paths);
    g_free(state->autostartDir);
    g_free(state->lockDir);
    g_free(state->portDir);
    vkObjStoreFree(state->store);
    vkQEMUConfigFree(state->config);
    g_clear_pointer(&state->silent, g_hash_table_unref);
    g_clear_pointer(&state->reasons, g_hash_table_unref);
    g_mutex_clear(&state->lock);
    g_free(state);
}

static vkDrvOpenStatus connectOpen(virConnectPtr conn, GUri *uri, unsigned int flags)
{
    vkDriverPaths *paths = vkDriverPathsNew(uri, "qemu", VK_QEMU_ERR);

    /* Beyond making sure the state directory is there, as libvirt does at open, nothing is
     * read or probed until a call needs it. A root that cannot hold state (a file, a place we
     * may not create it) fails the connection rather than every call looking at nothing. */
    if (!paths)
        return VK_DRV_OPEN_ERROR;
    if (g_mkdir_with_parents(paths->run, 0700) < 0) {
        vkReportSystemError(VK_QEMU_ERR, errno, "Failed to create state dir %s", paths->run);
        vkDriverPathsFree(paths);
        return VK_DRV_OPEN_ERROR;
    }
    conn->privateData = vkQemuDriverStateNew(paths, conn);
    return VK_DRV_OPEN_SUCCESS;
}

static int connectClose(virConnectPtr conn)
{
    vkQemuDriverStateFree(g_steal_pointer(&conn->privateData));
    return 0;
}

const vkQEMUConfig *vkQemuDriverConfig(vkQemuDriverState *state)
{
    g_autoptr(GMutexLocker) locker = g_mutex_locker_new(&state->lock);

    if (!state->config) {
        g_autofree char *path = vkQEMUConfigPath(state->paths);
        state->config = vkQEMUConfigLoad(path);
    }
    return state->config;
}

static GPtrArray *maybeRunning(vkQemuDriverState *state);

/* The running guest whose disks include the file at PATH, for the storage driver. */
static char *diskInUse(const char *path, void *opaque)
{
    g_autoptr(GPtrArray) objs = maybeRunning(opaque);

    for (guint i = 0; i < objs->len; i++) {
        vkQemuDomainObj *obj = g_ptr_array_index(objs, i);

        if (!obj->status || !vkProcessIsAlive(obj->status->pid, obj->status->startTime))
            continue;
        for (size_t d = 0; d < obj->status->def->ndisks; d++) {
            if (g_strcmp0(obj->status->def->disks[d]->src, path) == 0)
                return g_strdup(obj->name);
        }
    }
    return NULL;
}

/* Read-only connections look; they never start anything. */
static void connectOpened(virConnectPtr conn)
{
    /* conn->driver is set only once the open succeeded; the qemu connection driver's storage
     * driver is the host one, whose state this is. */
    vkStorageDriverState *storage = conn->storagePrivateData;

    if (storage)
        vkStorageDriverSetInUseCheck(storage, diskInUse, stateOf(conn));
    if (!(conn->flags & VIR_CONNECT_RO))
        vkQemuAutostartOnBoot(stateOf(conn));
}

static const char *connectGetType(virConnectPtr conn)
{
    return "QEMU";
}

static char *connectGetHostname(virConnectPtr conn)
{
    return g_strdup(g_get_host_name());
}

static int connectIsAlive(virConnectPtr conn)
{
    return 1;
}

static int connectIsEncrypted(virConnectPtr conn)
{
    return 0;
}

/* Embedded: nothing crosses a wire. */
static int connectIsSecure(virConnectPtr conn)
{
    return 1;
}

static int connectGetVersion(virConnectPtr conn, unsigned long *hvVer)
{
    g_autoptr(vkQEMUCaps) caps =
        vkQEMUCapsGet(stateOf(conn)->paths->cache, VK_QEMU_DEFAULT_EMULATOR);

    if (!caps)
        return -1;
    *hvVer = vkQEMUCapsGetVersion(caps);
    return 0;
}

static char *connectGetCapabilities(virConnectPtr conn)
{
    g_autoptr(vkQEMUCaps) caps =
        vkQEMUCapsGet(stateOf(conn)->paths->cache, VK_QEMU_DEFAULT_EMULATOR);

    return caps ? vkQemuHostCapabilitiesFormat(caps) : NULL;
}

static int connectGetMaxVcpus(virConnectPtr conn, const char *type)
{
    g_autoptr(vkQEMUCaps) caps = NULL;
    const char *machine;
    unsigned int max;

    if (type && g_ascii_strcasecmp(type, "qemu") != 0 && g_ascii_strcasecmp(type, "kvm") != 0) {
        vkReportError(VK_QEMU_ERR, VIR_ERR_INVALID_ARG, "unknown type '%s'", type);
        return -1;
    }
    if (!(caps = vkQEMUCapsGet(stateOf(conn)->paths->cache, VK_QEMU_DEFAULT_EMULATOR)))
        return -1;
    machine = vkQEMUCapsGetDefaultMachine(caps);
    max = machine ? vkQEMUCapsGetMachineMaxCpus(caps, machine) : 0;
    return max ? (int)max : 255;
}

static char *connectGetDomainCapabilities(virConnectPtr conn, const char *emulatorbin,
                                          const char *arch, const char *machine,
                                          const char *virttype, unsigned int flags)
{
    g_autoptr(vkQEMUCaps) caps = NULL;

    if (vkCheckFlags("qemuConnectGetDomainCapabilities", VK_QEMU_ERR, flags, 0) < 0 ||
        !(caps = vkQEMUCapsGet(stateOf(conn)->paths->cache,
                               emulatorbin ? emulatorbin : VK_QEMU_DEFAULT_EMULATOR)))
        return NULL;
    return vkQemuDomainCapabilitiesFormat(caps, arch, machine, virttype);
}

static char *connectBaselineHypervisorCPU(virConnectPtr conn, const char *emulator,
                                          const char *arch, const char *machine,
                                          const char *virttype, const char **xmlCPUs,
                                          unsigned int ncpus, unsigned int flags)
{
    g_autoptr(vkQEMUCaps) caps =
        vkQEMUCapsGet(stateOf(conn)->paths->cache, emulator ? emulator : VK_QEMU_DEFAULT_EMULATOR);

    if (!caps || vkQemuDomainCapsCheck(caps, arch, machine, virttype) < 0)
        return NULL;
    return vkQemuBaselineCPU(xmlCPUs, ncpus, flags);
}

static int nodeGetInfo(virConnectPtr conn, virNodeInfoPtr info)
{
    return vkQemuHostNodeInfo(info);
}

static int nodeGetSecurityModel(virConnectPtr conn, virSecurityModelPtr secmodel)
{
    /* No security driver confines the guests: libvirt names that model "none", DOI 0. */
    memset(secmodel, 0, sizeof(*secmodel));
    g_strlcpy(secmodel->model, "none", sizeof(secmodel->model));
    g_strlcpy(secmodel->doi, "0", sizeof(secmodel->doi));
    return 0;
}

/* ---- finding domains ---- */

static void reportNoName(const char *name)
{
    vkReportError(VK_QEMU_ERR, VIR_ERR_NO_DOMAIN, "no domain with matching name '%s'", name);
}

static void reportNoUUID(const unsigned char *uuid, const char *name)
{
    char uuidstr[VIR_UUID_STRING_BUFLEN];

    vkUUIDFormat(uuid, uuidstr);
    if (name)
        vkReportError(VK_QEMU_ERR, VIR_ERR_NO_DOMAIN, "no domain with matching uuid '%s' (%s)",
                      uuidstr, name);
    else
        vkReportError(VK_QEMU_ERR, VIR_ERR_NO_DOMAIN, "no domain with matching uuid '%s'", uuidstr);
}

static gboolean objExists(const vkQemuDomainObj *obj)
{
    return obj->config || obj->status;
}

/* Trouble refreshing a domain's state must not fail a call that only looks at it. */
static void refreshQuietly(vkQemuDriverState *state, vkQemuDomainObj *obj)
{
    if (vkQemuDomainObjRefresh(state, obj, FALSE) < 0) {
        g_autofree char *what = g_strdup_printf("cannot refresh domain '%s'", obj->name);
        vkErrorWarn(what);
    }
}

/* How closely a call looks at a domain's qemu before it answers. */
typedef enum {
    LOOK_QUICK,  /* the status file and a live pid: enough to name a domain or read its config */
    LOOK_FULL,   /* also ask a live qemu, within a short bound, for what only it knows (a
                  * guest that powered off or paused on an I/O error while nobody watched);
                  * a qemu that does not answer leaves the recorded state */
    LOOK_LOCKED, /* LOOK_FULL by a caller holding the domain's lock, whose errors count */
} vkLook;

static int look(vkQemuDriverState *state, vkQemuDomainObj *obj, vkLook how)
{
    gboolean refresh;

    if (how == LOOK_LOCKED)
        return vkQemuDomainObjRefresh(state, obj, TRUE);
    /* A dead qemu needs the full look either way: it is cleaned up after. */
    refresh = how == LOOK_FULL || !obj->status ||
              !vkProcessIsAlive(obj->status->pid, obj->status->startTime);
    /* Asking a qemu, or cleaning up after a dead one, may wait: not in a daemon's main loop.
     * A shut off domain's look only tests for files a killed start left behind. */
    if (refresh && obj->status && vkQuickCallActive()) {
        vkQuickCallDefer();
        return -1;
    }
    if (refresh)
        refreshQuietly(state, obj);
    return 0;
}

/* NAME's domain, as true to its qemu as HOW asks. */
static vkQemuDomainObj *objByName(vkQemuDriverState *state, const char *name, vkLook how)
{
    g_autoptr(vkQemuDomainObj) obj = NULL;
    int rc = vkQemuDomainObjRead(state, name, &obj);

    if (rc < 0 || (rc > 0 && look(state, obj, how) < 0))
        return NULL;
    if (rc == 0 || !objExists(obj)) {
        reportNoName(name);
        return NULL;
    }
    return g_steal_pointer(&obj);
}

/* The domain a handle names; like libvirt, a handle matches by uuid, so one that outlived its
 * domain never reaches a new domain of the same name. */
static vkQemuDomainObj *objByHandle(virDomainPtr dom, vkLook how)
{
    g_autoptr(vkQemuDomainObj) obj = objByName(stateOf(dom->conn), dom->name, how);

    if (!obj) {
        if (virGetLastErrorCode() == VIR_ERR_NO_DOMAIN)
            reportNoUUID(dom->uuid, dom->name);
        return NULL;
    }
    if (memcmp(vkQemuDomainObjDef(obj)->uuid, dom->uuid, VIR_UUID_BUFLEN) != 0) {
        reportNoUUID(dom->uuid, dom->name);
        return NULL;
    }
    return g_steal_pointer(&obj);
}

static virDomainPtr newHandle(virConnectPtr conn, const vkQemuDomainObj *obj)
{
    const vkDomainDef *def = vkQemuDomainObjDef(obj);

    return vkDomainNew(conn, def->name, def->uuid, obj->status ? def->id : -1);
}

/* Running guests asked about at once while listing, so that hung ones cost one bound in all
 * rather than one each. */
#define LOOK_THREADS_MAX 16

typedef struct {
    vkQemuDriverState *state;
    vkLook how;
} vkLookTask;

static void lookTask(gpointer obj, gpointer opaque)
{
    vkLookTask *task = opaque;

    look(task->state, obj, task->how);
}

/* OBJS made as true to their qemu as HOW asks; transient ones whose qemu died are left out. */
static void lookAll(vkQemuDriverState *state, GPtrArray *objs, vkLook how)
{
    vkLookTask task = { state, how };
    GThreadPool *pool = NULL;
    guint running = 0;

    for (guint i = 0; i < objs->len; i++)
        running += ((vkQemuDomainObj *)g_ptr_array_index(objs, i))->status != NULL;
    /* A shared pool cannot fail to be made. */
    if (how == LOOK_FULL && running > 1)
        pool = g_thread_pool_new(lookTask, &task, MIN(running, LOOK_THREADS_MAX), FALSE, NULL);
    for (guint i = 0; i < objs->len; i++) {
        if (pool)
            g_thread_pool_push(pool, g_ptr_array_index(objs, i), NULL);
        else
            lookTask(g_ptr_array_index(objs, i), &task);
    }
    if (pool)
        g_thread_pool_free(pool, FALSE, TRUE);
    for (guint i = objs->len; i-- > 0;) {
        if (!objExists(g_ptr_array_index(objs, i)))
            g_ptr_array_remove_index(objs, i);
    }
}

/* The domains the index says may have a status file, read (whether their qemu lives is for the
 * caller to ask). */
static GPtrArray *maybeRunning(vkQemuDriverState *state)
{
    g_autoptr(GPtrArray) entries = vkObjStoreList(state->store);
    g_autoptr(GPtrArray) names = g_ptr_array_new();

    for (guint i = 0; i < entries->len; i++) {
        const vkObjIndexEntry *e = g_ptr_array_index(entries, i);
        if (e->status)
            g_ptr_array_add(names, e->name);
    }
    g_ptr_array_add(names, NULL);
    return vkQemuDomainObjReadNames(state, (const char *const *)names->pdata);
}

/* A domain as a listing shows it. */
typedef struct {
    char *name;
    unsigned char uuid[VIR_UUID_BUFLEN];
    int id; /* -1 while inactive */
    vkDomainListFacts facts;
} vkListed;

static void listedFree(vkListed *l)
{
    g_free(l->name);
    g_free(l);
}

static vkListed *listedFromObj(const vkQemuDomainObj *obj)
{
    const vkDomainDef *def = vkQemuDomainObjDef(obj);
    vkListed *l = g_new0(vkListed, 1);
    int reason;

    l->name = g_strdup(obj->name);
    memcpy(l->uuid, def->uuid, VIR_UUID_BUFLEN);
    l->id = obj->status ? def->id : -1;
    l->facts.active = vkQemuDomainObjIsActive(obj);
    l->facts.persistent = obj->config != NULL;
    l->facts.autostart = obj->autostart;
    l->facts.state = vkQemuDomainObjGetState(obj, &reason);
    return l;
}

/* Every domain, by name, reading no more than the listing shows: a domain whose index entry
 * has no status is shut off, and its name and uuid are the index's; the others are read and
 * made as true to their qemu as HOW asks. AUTOSTART: the marks are wanted. */
static GPtrArray *listed(vkQemuDriverState *state, vkLook how, gboolean autostart)
{
    g_autoptr(GPtrArray) entries = vkObjStoreList(state->store);
    g_autoptr(GPtrArray) names = g_ptr_array_new();
    g_autoptr(GPtrArray) objs = NULL;
    GPtrArray *out = g_ptr_array_new_full(entries->len, (GDestroyNotify)listedFree);
    guint o = 0;

    for (guint i = 0; i < entries->len; i++) {
        const vkObjIndexEntry *e = g_ptr_array_index(entries, i);
        if (e->status)
            g_ptr_array_add(names, e->name);
    }
    g_ptr_array_add(names, NULL);
    objs = vkQemuDomainObjReadNames(state, (const char *const *)names->pdata);
    lookAll(state, objs, how);
    /* Both in name order: merged. */
    for (guint i = 0; i < entries->len; i++) {
        const vkObjIndexEntry *e = g_ptr_array_index(entries, i);
        vkListed *l;

        if (e->status) {
            vkQemuDomainObj *obj = NULL;

            while (o < objs->len && strcmp((obj = g_ptr_array_index(objs, o))->name, e->name) < 0)
                o++;
            if (o < objs->len && g_str_equal(obj->name, e->name))
                g_ptr_array_add(out, listedFromObj(obj));
            continue;
        }
        l = g_new0(vkListed, 1);
        l->name = g_strdup(e->name);
        memcpy(l->uuid, e->uuid, VIR_UUID_BUFLEN);
        l->id = -1;
        l->facts.persistent = TRUE;
        l->facts.state = VIR_DOMAIN_SHUTOFF;
        l->facts.autostart = autostart && vkFileAutostartGet(state->autostartDir, e->name);
        g_ptr_array_add(out, l);
    }
    return out;
}

#define LIST_AUTOSTART_FILTERS \
    (VIR_CONNECT_LIST_DOMAINS_AUTOSTART | VIR_CONNECT_LIST_DOMAINS_NO_AUTOSTART)

/* ---- listing ---- */

#define LIST_FILTERS_ALL 0xffffu

static int listAllDomains(virConnectPtr conn, virDomainPtr **domains, unsigned int flags)
{
    g_autoptr(GPtrArray) all = NULL;
    GPtrArray *handles;

    if (vkCheckFlags("qemuConnectListAllDomains", VK_QEMU_ERR, flags, LIST_FILTERS_ALL) < 0)
        return -1;
    all = listed(stateOf(conn), LOOK_FULL, (flags & LIST_AUTOSTART_FILTERS) != 0);
    handles = g_ptr_array_new_full(all->len, (GDestroyNotify)vkDomainUnref);
    for (guint i = 0; i < all->len; i++) {
        const vkListed *l = g_ptr_array_index(all, i);
        if (vkDomainListMatch(flags, &l->facts))
            g_ptr_array_add(handles, vkDomainNew(conn, l->name, l->uuid, l->id));
    }
    return vkListHandlesReturn(handles, (void ***)domains);
}

static int countDomains(virConnectPtr conn, gboolean active)
{
    g_autoptr(GPtrArray) all = listed(stateOf(conn), LOOK_FULL, FALSE);
    int count = 0;

    for (guint i = 0; i < all->len; i++) {
        if (((vkListed *)g_ptr_array_index(all, i))->facts.active == active)
            count++;
    }
    return count;
}

static int numOfDomains(virConnectPtr conn)
{
    return countDomains(conn, TRUE);
}

static int numOfDefinedDomains(virConnectPtr conn)
{
    return countDomains(conn, FALSE);
}

static int compareInts(gconstpointer a, gconstpointer b)
{
    int ia = *(const int *)a, ib = *(const int *)b;
    return (ia > ib) - (ia < ib);
}

static int listDomains(virConnectPtr conn, int *ids, int maxids)
{
    g_autoptr(GPtrArray) all = listed(stateOf(conn), LOOK_FULL, FALSE);
    g_autoptr(GArray) active = g_array_new(FALSE, FALSE, sizeof(int));
    int n;

    for (guint i = 0; i < all->len; i++) {
        const vkListed *l = g_ptr_array_index(all, i);
        if (l->facts.active)
            g_array_append_val(active, l->id);
    }
    g_array_sort(active, compareInts);
    n = MIN((int)active->len, maxids);
    for (int i = 0; i < n; i++)
        ids[i] = g_array_index(active, int, i);
    return n;
}

static int listDefinedDomains(virConnectPtr conn, char **const names, int maxnames)
{
    g_autoptr(GPtrArray) all = listed(stateOf(conn), LOOK_FULL, FALSE);
    int n = 0;

    if (maxnames > 0)
        memset(names, 0, sizeof(*names) * maxnames);
    for (guint i = 0; i < all->len && n < maxnames; i++) {
        const vkListed *l = g_ptr_array_index(all, i);
        if (!l->facts.active)
            names[n++] = g_strdup(l->name);
    }
    return n;
}

/* ---- lookup ---- */

static int compareStrings(gconstpointer a, gconstpointer b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static virDomainPtr lookupByName(virConnectPtr conn, const char *name)
{
    g_autoptr(vkQemuDomainObj) obj = objByName(stateOf(conn), name, LOOK_QUICK);

    return obj ? newHandle(conn, obj) : NULL;
}

/* The domains the index names as holders of KEY (or of UUID), read and looked at as HOW asks:
 * candidates, which the caller checks. */
static GPtrArray *candidates(vkQemuDriverState *state, const char *key, const unsigned char *uuid,
                             vkLook how)
{
    g_auto(GStrv) names =
        key ? vkObjStoreFindKey(state->store, key) : vkObjStoreFindUUID(state->store, uuid);
    GPtrArray *objs = vkQemuDomainObjReadNames(state, (const char *const *)names);

    lookAll(state, objs, how);
    return objs;
}

static virDomainPtr lookupByID(virConnectPtr conn, int id)
{
    g_autofree char *key = vkQemuDomainIDKey(id);
    g_autoptr(GPtrArray) objs = candidates(stateOf(conn), key, NULL, LOOK_QUICK);

    for (guint i = 0; i < objs->len; i++) {
        vkQemuDomainObj *obj = g_ptr_array_index(objs, i);
        if (obj->status && obj->status->def->id == id)
            return newHandle(conn, obj);
    }
    vkReportError(VK_QEMU_ERR, VIR_ERR_NO_DOMAIN, "no domain with matching id %d", id);
    return NULL;
}

static virDomainPtr lookupByUUID(virConnectPtr conn, const unsigned char *uuid)
{
    g_autoptr(GPtrArray) objs = candidates(stateOf(conn), NULL, uuid, LOOK_QUICK);

    for (guint i = 0; i < objs->len; i++) {
        vkQemuDomainObj *obj = g_ptr_array_index(objs, i);
        if (memcmp(vkQemuDomainObjDef(obj)->uuid, uuid, VIR_UUID_BUFLEN) == 0)
            return newHandle(conn, obj);
    }
    reportNoUUID(uuid, NULL);
    return NULL;
}

/* ---- defaults the driver fills in ---- */

/* What libvirt's qemu driver stores with a new definition: the emulator it will run, and the
 * machine type pinned to its versioned name ("pc" becomes "pc-i440fx-7.2"), so that the guest
 * keeps its virtual hardware when qemu is upgraded. */
static int postParse(vkQemuDriverState *state, vkDomainDef *def)
{
    g_autoptr(vkQEMUCaps) caps = NULL;
    const char *machine;

    if (!def->emulator)
        def->emulator = g_strdup(VK_QEMU_DEFAULT_EMULATOR);
    if (!(caps = vkQEMUCapsGet(state->paths->cache, def->emulator)))
        return -1;
    machine = def->os.machine ? vkQEMUCapsGetCanonicalMachine(caps, def->os.machine)
                              : vkQEMUCapsGetDefaultMachine(caps);
    if (!machine) {
        vkReportError(VK_QEMU_ERR, VIR_ERR_CONFIG_UNSUPPORTED,
                      "Emulator '%s' does not support machine type '%s'", def->emulator,
                      def->os.machine ? def->os.machine : "(default)");
        return -1;
    }
    g_free(def->os.machine);
    def->os.machine = g_strdup(machine);
    vkQemuFirmwareFillNVRAMPath(state->paths->lib, def);
    return vkQEMUDomainDefPostParse(def, caps);
}

/* ---- uniqueness (driver lock held) ---- */

/* The domains that could clash with DEF: the one of its name, and those the index says have
 * its uuid; read as their files are, in name order. */
static GPtrArray *clashCandidates(vkQemuDriverState *state, const vkDomainDef *def)
{
    g_auto(GStrv) holders = vkObjStoreFindUUID(state->store, def->uuid);
    g_autoptr(GPtrArray) names = g_ptr_array_new();

    g_ptr_array_add(names, def->name);
    for (char **h = holders; *h; h++) {
        if (!g_str_equal(*h, def->name))
            g_ptr_array_add(names, *h);
    }
    g_ptr_array_sort(names, compareStrings);
    g_ptr_array_add(names, NULL);
    return vkQemuDomainObjReadNames(state, (const char *const *)names->pdata);
}

/* libvirt's rules: a known uuid keeps its name and a known name its uuid; with CHECKLIVE, a
 * running domain cannot be created again. */
static int checkUnique(GPtrArray *objs, const vkDomainDef *def, gboolean checkLive)
{
    char uuidstr[VIR_UUID_STRING_BUFLEN];

    for (guint i = 0; i < objs->len; i++) {
        const vkQemuDomainObj *obj = g_ptr_array_index(objs, i);

        if (memcmp(vkQemuDomainObjDef(obj)->uuid, def->uuid, VIR_UUID_BUFLEN) != 0)
            continue;
        if (!g_str_equal(obj->name, def->name)) {
            vkUUIDFormat(def->uuid, uuidstr);
            vkReportError(VK_QEMU_ERR, VIR_ERR_OPERATION_FAILED,
                          "domain '%s' is already defined with uuid %s", obj->name, uuidstr);
            return -1;
        }
        if (checkLive && obj->status) {
            vkReportError(VK_QEMU_ERR, VIR_ERR_OPERATION_INVALID, "domain '%s' is already active",
                          obj->name);
            return -1;
        }
        return 0;
    }
    for (guint i = 0; i < objs->len; i++) {
        const vkQemuDomainObj *obj = g_ptr_array_index(objs, i);

        if (g_str_equal(obj->name, def->name)) {
            vkUUIDFormat(vkQemuDomainObjDef(obj)->uuid, uuidstr);
            vkReportError(VK_QEMU_ERR, VIR_ERR_OPERATION_FAILED,
                          "domain '%s' already exists with uuid %s", def->name, uuidstr);
            return -1;
        }
    }
    return 0;
}

/* ---- starting and stopping (domain lock held) ---- */

void vkQemuDriverTPMPaths(const vkQemuDriverState *state, vkQemuTPMPaths *paths)
{
    paths->libDir = state->paths->lib;
    paths->runDir = state->procPaths.runDir;
    paths->logDir = state->procPaths.logDir;
}

/* A start: fresh (INCOMING NULL), or waiting for a migration's data there. FLAGS are the
 * public start flags, PROCFLAGS the process's. */
static int startGuest(vkQemuDriverState *state, const vkDomainDef *config, unsigned int flags,
                      unsigned int procFlags, vkQemuIncomingFunc incoming, void *opaque, int *id)
{
    g_autoptr(vkDomainDef) def = vkDomainDefCopy(config);
    g_autoptr(vkQEMURuntime) rt = NULL;
    g_autoptr(vkQEMUCaps) caps = NULL;
    g_autoptr(vkQEMUProcess) proc = NULL;
    vkQemuTPMPaths tpmPaths;

    g_autofree char *idKey = NULL;

    if (vkQemuFirmwarePrepare(state->paths->lib, def, (flags & VIR_DOMAIN_START_RESET_NVRAM) != 0) <
            0 ||
        vkQemuNextDomainID(state, &def->id) < 0 || vkQemuRuntimeResolve(state, def, &rt, &caps) < 0)
        return -1;
    if (incoming && !(rt->incoming = incoming(state, def, opaque))) {
        vkQemuRuntimeRelease(state, def->name, def);
        return -1;
    }
    vkQemuDriverTPMPaths(state, &tpmPaths);
    if (vkQemuTPMStart(&tpmPaths, def, rt) < 0) {
        virErrorPtr saved = vkSaveError();
        vkQemuRuntimeRelease(state, def->name, def);
        vkRestoreError(saved);
        return -1;
    }
    /* The index hears of the status file, and of the id, before the file is written. */
    idKey = vkQemuDomainIDKey(def->id);
    vkObjStoreStatusNote(state->store, def->name, def->uuid, (const char *const[]){ idKey, NULL });
    if (vkQEMUProcessStart(&state->procPaths, def, rt, caps, procFlags, &proc) < 0) {
        virErrorPtr saved = vkSaveError();
        vkQemuTPMStop(&tpmPaths, def->name);
        vkQemuRuntimeRelease(state, def->name, def);
        vkObjStoreStatusGone(state->store, def->name);
        vkRestoreError(saved);
        return -1;
    }
    if (vkQEMUProcessGetDef(proc)->id != def->id) {
        g_free(idKey);
        idKey = vkQemuDomainIDKey(vkQEMUProcessGetDef(proc)->id);
        vkObjStoreStatusNote(state->store, def->name, def->uuid,
                             (const char *const[]){ idKey, NULL });
    }
    if (id)
        *id = vkQEMUProcessGetDef(proc)->id;
    return 0;
}

int vkQemuDomainStart(vkQemuDriverState *state, const vkDomainDef *config, unsigned int flags,
                      int *id)
{
    return startGuest(state, config, flags,
                      flags & VIR_DOMAIN_START_PAUSED ? VK_QEMU_PROCESS_START_PAUSED : 0, NULL,
                      NULL, id);
}

int vkQemuDomainStartIncoming(vkQemuDriverState *state, const vkDomainDef *def,
                              vkQemuIncomingFunc incoming, void *opaque, int *id)
{
    return startGuest(state, def, 0, VK_QEMU_PROCESS_START_INCOMING, incoming, opaque, id);
}

typedef struct {
    vkQemuDriverState *state;
    vkQemuDomainObj *obj;
    const vkDomainDef *live; /* the running definition, NULL if unknown */
} vkStopping;

/* While qemu exits: a port it still listens on is no free port to anyone, as the allocator
 * checks, so its reservations can go now rather than after the wait. */
static void releasePorts(void *opaque)
{
    vkStopping *stop = opaque;

    vkQemuRuntimeRelease(stop->state, stop->obj->name, stop->live);
    stop->obj->portsReleased = TRUE;
}

/* After qemu stopped: the handle forgets the id, and the rest is the domain's bookkeeping. */
static int afterStop(vkQemuDriverState *state, vkQemuDomainObj *obj, virDomainPtr dom, int reason)
{
    if (dom)
        vkDomainSetCachedID(dom, -1);
    return vkQemuDomainStopped(state, obj, reason);
}

/* The running qemu of a domain whose lock the caller holds, with its monitor connected; a
 * qemu found dead is cleaned up after and reported as not running. */
static vkQEMUProcess *activeProcess(vkQemuDriverState *state, vkQemuDomainObj *obj,
                                    virDomainPtr dom, gboolean monitor)
{
    g_autoptr(vkQEMUProcess) proc = NULL;
    int reason;
    int rc;

    /* Without the monitor, the status just read under the lock is all there is to know: it
     * moves over to the process rather than being read and parsed once more. */
    if (monitor)
        rc = vkQEMUProcessReconnect(&state->procPaths, obj->name, &proc, &reason);
    else if (obj->status)
        rc = vkQEMUProcessAttachStatus(&state->procPaths, obj->name, &obj->status, &proc, &reason);
    else
        rc = vkQEMUProcessAttach(&state->procPaths, obj->name, &proc, &reason);

    if (rc < 0)
        return NULL;
    if (rc == VK_QEMU_RECONNECT_DIED && afterStop(state, obj, dom, reason) < 0)
        return NULL;
    if (rc != VK_QEMU_RECONNECT_RUNNING) {
        vkReportError(VK_QEMU_ERR, VIR_ERR_OPERATION_INVALID, "%s", "domain is not running");
        return NULL;
    }
    return g_steal_pointer(&proc);
}

/* ---- lifecycle ---- */

static virDomainPtr defineXML(virConnectPtr conn, const char *xml, unsigned int flags)
{
    vkQemuDriverState *state = stateOf(conn);
    g_autoptr(vkDomainDef) def = NULL;
    g_autoptr(vkFileLock) driverLock = NULL;
    g_autoptr(GPtrArray) objs = NULL;

    if (vkCheckFlags("qemuDomainDefineXMLFlags", VK_QEMU_ERR, flags, VIR_DOMAIN_DEFINE_VALIDATE) <
        0)
        return NULL;
    if (!(def = vkDomainDefParseString(xml, VK_DOMAIN_DEF_PARSE_INACTIVE)) ||
        postParse(state, def) < 0 || !(driverLock = vkQemuDriverLock(state)))
        return NULL;
    /* A running domain keeps its live definition (in its status file); this one applies from
     * its next start. */
    objs = clashCandidates(state, def);
    if (checkUnique(objs, def, FALSE) < 0 || vkQemuDomainConfigSave(state, def) < 0)
        return NULL;
    for (guint i = 0; i < objs->len; i++) {
        vkQemuDomainObj *obj = g_ptr_array_index(objs, i);
        if (obj->status && g_str_equal(obj->name, def->name))
            return vkDomainNew(conn, def->name, def->uuid, obj->status->def->id);
    }
    return vkDomainNew(conn, def->name, def->uuid, -1);
}

/* The guest's variable store goes with it only when asked; without either flag, libvirt
 * refuses to leave it behind unowned. */
static int undefineNVRAM(vkQemuDriverState *state, const vkDomainDef *def, unsigned int flags)
{
    g_autofree char *path = NULL;

    if ((flags & VIR_DOMAIN_UNDEFINE_NVRAM) && (flags & VIR_DOMAIN_UNDEFINE_KEEP_NVRAM)) {
        vkReportError(VK_QEMU_ERR, VIR_ERR_OPERATION_INVALID, "%s",
                      "cannot both keep and delete nvram");
        return -1;
    }
    if (def->os.nvram)
        path = g_strdup(def->os.nvram);
    else if (def->os.firmware == VK_DOMAIN_OS_FIRMWARE_EFI)
        path = vkQemuFirmwareNVRAMPath(state->paths->lib, def);
    if (!path || !g_file_test(path, G_FILE_TEST_EXISTS))
        return 0;
    if (flags & VIR_DOMAIN_UNDEFINE_NVRAM) {
        if (unlink(path) < 0) {
            vkReportSystemError(VK_QEMU_ERR, errno, "failed to remove nvram: %s", path);
            return -1;
        }
    } else if (!(flags & VIR_DOMAIN_UNDEFINE_KEEP_NVRAM)) {
        vkReportError(VK_QEMU_ERR, VIR_ERR_OPERATION_INVALID, "%s",
                      "cannot undefine domain with nvram");
        return -1;
    }
    return 0;
}

static int undefineFlags(virDomainPtr dom, unsigned int flags)
{
    vkQemuDriverState *state = stateOf(dom->conn);
    g_autoptr(vkFileLock) lock = NULL;
    g_autoptr(vkQemuDomainObj) obj = NULL;
    vkQemuTPMPaths tpmPaths;

    if (vkCheckFlags("qemuDomainUndefineFlags", VK_QEMU_ERR, flags,
                     VIR_DOMAIN_UNDEFINE_MANAGED_SAVE | VIR_DOMAIN_UNDEFINE_SNAPSHOTS_METADATA |
                         VIR_DOMAIN_UNDEFINE_NVRAM | VIR_DOMAIN_UNDEFINE_KEEP_NVRAM |
                         VIR_DOMAIN_UNDEFINE_CHECKPOINTS_METADATA | VIR_DOMAIN_UNDEFINE_TPM |
                         VIR_DOMAIN_UNDEFINE_KEEP_TPM) < 0)
        return -1;
    if (!(lock = vkQemuDomainLock(state, dom->name)) || !(obj = objByHandle(dom, LOOK_LOCKED)))
        return -1;
    if (!obj->config) {
        vkReportError(VK_QEMU_ERR, VIR_ERR_OPERATION_INVALID, "%s",
                      "cannot undefine transient domain");
        return -1;
    }
    vkQemuDriverTPMPaths(state, &tpmPaths);
    if (undefineNVRAM(state, obj->config, flags) < 0 ||
        vkQemuTPMUndefine(&tpmPaths, obj->config, flags) < 0)
        return -1;
    /* A running domain lives on, transient, until it stops. */
    return vkQemuDomainConfigDelete(state, dom->name);
}

static virDomainPtr createXML(virConnectPtr conn, const char *xml, unsigned int flags)
{
    vkQemuDriverState *state = stateOf(conn);
    g_autoptr(vkDomainDef) def = NULL;
    g_autoptr(vkFileLock) driverLock = NULL;
    g_autoptr(vkFileLock) lock = NULL;
    g_autoptr(vkQemuDomainObj) obj = NULL;
    g_autoptr(GPtrArray) objs = NULL;
    g_autofree char *statusPath = NULL;
    g_autoptr(vkQEMUDomainStatus) st = NULL;

    if (vkCheckFlags("qemuDomainCreateXML", VK_QEMU_ERR, flags,
                     VIR_DOMAIN_START_PAUSED | VIR_DOMAIN_START_VALIDATE) < 0)
        return NULL;
    if (!(def = vkDomainDefParseString(xml, VK_DOMAIN_DEF_PARSE_INACTIVE)) ||
        postParse(state, def) < 0)
        return NULL;
    /* The driver lock stays held until the status file claims the name and uuid. */
    if (!(driverLock = vkQemuDriverLock(state)) || !(lock = vkQemuDomainLock(state, def->name)))
        return NULL;
    if (vkQemuDomainObjRead(state, def->name, &obj) < 0 ||
        (obj && vkQemuDomainObjRefresh(state, obj, TRUE) < 0))
        return NULL;
    objs = clashCandidates(state, def);
    if (checkUnique(objs, def, TRUE) < 0)
        return NULL;
    if (vkQemuDomainStart(state, def, flags, NULL) < 0) {
        /* A guest that never ran and has no config leaves no trace, not even its reason. */
        if (!obj || !obj->config) {
            virErrorPtr saved = vkSaveError();
            g_autofree char *reason = vkQEMUDomainReasonPath(&state->procPaths, def->name);

            vkFileRemoveIfExists(reason);
            vkRestoreError(saved);
        }
        return NULL;
    }
    statusPath = vkQEMUDomainStatusPath(&state->procPaths, def->name);
    if (vkQEMUDomainStatusRead(statusPath, &st) < 0 || !st) {
        if (!st)
            vkReportError(VK_QEMU_ERR, VIR_ERR_OPERATION_FAILED, "domain '%s' stopped at once",
                          def->name);
        return NULL;
    }
    return vkDomainNew(conn, def->name, def->uuid, st->def->id);
}

static int createWithFlags(virDomainPtr dom, unsigned int flags)
{
    vkQemuDriverState *state = stateOf(dom->conn);
    g_autoptr(vkFileLock) lock = NULL;
    g_autoptr(vkQemuDomainObj) obj = NULL;
    int id;

    if (vkCheckFlags("qemuDomainCreateWithFlags", VK_QEMU_ERR, flags,
                     VIR_DOMAIN_START_PAUSED | VIR_DOMAIN_START_BYPASS_CACHE |
                         VIR_DOMAIN_START_FORCE_BOOT | VIR_DOMAIN_START_RESET_NVRAM) < 0)
        return -1;
    if (!(lock = vkQemuDomainLock(state, dom->name)) || !(obj = objByHandle(dom, LOOK_LOCKED)))
        return -1;
    if (obj->status) {
        vkReportError(VK_QEMU_ERR, VIR_ERR_OPERATION_INVALID, "%s", "domain is already running");
        return -1;
    }
    if (vkQemuDomainStart(state, obj->config, flags, &id) < 0)
        return -1;
    vkDomainSetCachedID(dom, id);
    return 0;
}

static int destroyFlags(virDomainPtr dom, unsigned int flags)
{
    vkQemuDriverState *state = stateOf(dom->conn);
    g_autoptr(vkFileLock) lock = NULL;
    g_autoptr(vkQemuDomainObj) obj = NULL;
    g_autoptr(vkQEMUProcess) proc = NULL;
    int reason;

    if (vkCheckFlags("qemuDomainDestroyFlags", VK_QEMU_ERR, flags, VIR_DOMAIN_DESTROY_GRACEFUL) < 0)
        return -1;
    if (!(lock = vkQemuDomainLock(state, dom->name)) || !(obj = objByHandle(dom, LOOK_QUICK)) ||
        !(proc = activeProcess(state, obj, dom, FALSE)))
        return -1;
    if (vkQEMUProcessStopWith(proc, VIR_DOMAIN_SHUTOFF_DESTROYED, VK_QEMU_PROCESS_STOP_GRACE_MS,
                              releasePorts,
                              &(vkStopping){ state, obj, vkQEMUProcessGetDef(proc) }) < 0)
        return -1;
    vkQEMUProcessGetState(proc, &reason);
    return afterStop(state, obj, dom, reason);
}

static int shutdownFlags(virDomainPtr dom, unsigned int flags)
{
    vkQemuDriverState *state = stateOf(dom->conn);
    g_autoptr(vkFileLock) lock = NULL;
    g_autoptr(vkQemuDomainObj) obj = NULL;
    g_autoptr(vkQEMUProcess) proc = NULL;

    if (vkCheckFlags("qemuDomainShutdownFlags", VK_QEMU_ERR, flags,
                     VIR_DOMAIN_SHUTDOWN_ACPI_POWER_BTN) < 0)
        return -1;
    if (!(lock = vkQemuDomainLock(state, dom->name)) || !(obj = objByHandle(dom, LOOK_QUICK)) ||
        !(proc = activeProcess(state, obj, dom, TRUE)))
        return -1;
    /* Only a request: the guest powers off when it will, and the next look at it sees so. */
    return vkQEMUMonitorSystemPowerdown(vkQEMUProcessGetMonitor(proc));
}

static int reboot(virDomainPtr dom, unsigned int flags)
{
    vkQemuDriverState *state = stateOf(dom->conn);
    g_autoptr(vkFileLock) lock = NULL;
    g_autoptr(vkQemuDomainObj) obj = NULL;
    g_autoptr(vkQEMUProcess) proc = NULL;

    if (vkCheckFlags("qemuDomainReboot", VK_QEMU_ERR, flags, VIR_DOMAIN_REBOOT_ACPI_POWER_BTN) < 0)
        return -1;
    if (!(lock = vkQemuDomainLock(state, dom->name)) || !(obj = objByHandle(dom, LOOK_QUICK)) ||
        !(proc = activeProcess(state, obj, dom, TRUE)))
        return -1;
    return vkQEMUMonitorSystemReset(vkQEMUProcessGetMonitor(proc));
}

static int suspend(virDomainPtr dom)
{
    vkQemuDriverState *state = stateOf(dom->conn);
    g_autoptr(vkFileLock) lock = NULL;
    g_autoptr(vkQemuDomainObj) obj = NULL;
    g_autoptr(vkQEMUProcess) proc = NULL;

    if (!(lock = vkQemuDomainLock(state, dom->name)) || !(obj = objByHandle(dom, LOOK_QUICK)) ||
        !(proc = activeProcess(state, obj, dom, TRUE)))
        return -1;
    /* Suspending a paused guest is no error, as in libvirt. */
    if (vkQEMUProcessGetState(proc, NULL) == VIR_DOMAIN_PAUSED)
        return 0;
    if (vkQEMUMonitorStop(vkQEMUProcessGetMonitor(proc)) < 0)
        return -1;
    return vkQEMUProcessSetState(proc, VIR_DOMAIN_PAUSED, VIR_DOMAIN_PAUSED_USER);
}

static int resume(virDomainPtr dom)
{
    vkQemuDriverState *state = stateOf(dom->conn);
    g_autoptr(vkFileLock) lock = NULL;
    g_autoptr(vkQemuDomainObj) obj = NULL;
    g_autoptr(vkQEMUProcess) proc = NULL;
    int st;
    int reason;

    if (!(lock = vkQemuDomainLock(state, dom->name)) || !(obj = objByHandle(dom, LOOK_QUICK)) ||
        !(proc = activeProcess(state, obj, dom, TRUE)))
        return -1;
    st = vkQEMUProcessGetState(proc, &reason);
    if (st == VIR_DOMAIN_RUNNING) {
        vkReportError(VK_QEMU_ERR, VIR_ERR_OPERATION_INVALID, "%s", "domain is already running");
        return -1;
    }
    if (st != VIR_DOMAIN_PAUSED &&
        !(st == VIR_DOMAIN_CRASHED && reason == VIR_DOMAIN_CRASHED_PANICKED))
        return 0;
    if (vkQEMUMonitorCont(vkQEMUProcessGetMonitor(proc)) < 0)
        return -1;
    return vkQEMUProcessSetState(proc, VIR_DOMAIN_RUNNING, VIR_DOMAIN_RUNNING_UNPAUSED);
}

/* A human monitor command waits as long as the monitor's other commands. */
#define MONITOR_COMMAND_TIMEOUT_MS 30000

/* virsh qemu-monitor-command: QMP as the user wrote it (the whole reply back, qemu's error
 * included, as libvirt does), or a human monitor command line with the HMP flag. */
static int qemuMonitorCommand(virDomainPtr dom, const char *cmd, char **result, unsigned int flags)
{
    vkQemuDriverState *state = stateOf(dom->conn);
    g_autoptr(vkFileLock) lock = NULL;
    g_autoptr(vkQemuDomainObj) obj = NULL;
    g_autoptr(vkQEMUProcess) proc = NULL;
    g_autoptr(json_object) args = NULL;
    g_autoptr(json_object) ret = NULL;
    g_autofree char *errorClass = NULL;

    if (vkCheckFlags("qemuDomainQemuMonitorCommandWithFiles", VK_QEMU_ERR, flags,
                     VIR_DOMAIN_QEMU_MONITOR_COMMAND_HMP) < 0)
        return -1;
    if (!(lock = vkQemuDomainLock(state, dom->name)) || !(obj = objByHandle(dom, LOOK_QUICK)) ||
        !(proc = activeProcess(state, obj, dom, TRUE)))
        return -1;
    if (!(flags & VIR_DOMAIN_QEMU_MONITOR_COMMAND_HMP))
        return vkQEMUMonitorArbitraryCommand(vkQEMUProcessGetMonitor(proc), cmd, result);
    args = json_object_new_object();
    json_object_object_add(args, "command-line", json_object_new_string(cmd));
    if (vkQEMUMonitorCommand(vkQEMUProcessGetMonitor(proc), "human-monitor-command", args,
                             MONITOR_COMMAND_TIMEOUT_MS, &ret, &errorClass) < 0) {
        if (g_strcmp0(errorClass, "CommandNotFound") == 0) {
            vkResetLastError();
            vkReportError(VK_QEMU_ERR, VIR_ERR_OPERATION_UNSUPPORTED,
                          "Human monitor command is not available to run %s", cmd);
        }
        return -1;
    }
    *result =
        g_strdup(json_object_is_type(ret, json_type_string) ? json_object_get_string(ret) : "");
    return 0;
}

/* ---- queries ---- */

static char *getXMLDesc(virDomainPtr dom, unsigned int flags)
{
    g_autoptr(vkQemuDomainObj) obj = NULL;
    const vkDomainDef *def;

    if (vkCheckFlags("qemuDomainGetXMLDesc", VK_QEMU_ERR, flags,
                     VIR_DOMAIN_XML_SECURE | VIR_DOMAIN_XML_INACTIVE | VIR_DOMAIN_XML_UPDATE_CPU |
                         VIR_DOMAIN_XML_MIGRATABLE) < 0 ||
        !(obj = objByHandle(dom, LOOK_FULL)))
        return NULL;
    def = (flags & VIR_DOMAIN_XML_INACTIVE) && obj->config ? obj->config : vkQemuDomainObjDef(obj);
    if (flags & VIR_DOMAIN_XML_MIGRATABLE) {
        g_autoptr(vkDomainDef) copy = vkDomainDefCopy(def);

        vkQEMUDomainDefMigratable(copy);
        return vkDomainDefFormat(copy, flags & ~VIR_DOMAIN_XML_UPDATE_CPU);
    }
    /* VIR_DOMAIN_XML_* and VK_DOMAIN_DEF_FORMAT_* share their values. */
    return vkDomainDefFormat(def, flags & ~VIR_DOMAIN_XML_UPDATE_CPU);
}

static int getInfo(virDomainPtr dom, virDomainInfoPtr info)
{
    g_autoptr(vkQemuDomainObj) obj = objByHandle(dom, LOOK_FULL);
    const vkDomainDef *def;
    int reason;

    if (!obj)
        return -1;
    def = vkQemuDomainObjDef(obj);
    memset(info, 0, sizeof(*info));
    info->state = vkQemuDomainObjGetState(obj, &reason);
    info->maxMem = def->memory;
    info->memory = def->currentMemory;
    info->nrVirtCpu = def->vcpusCurrent ? def->vcpusCurrent : def->vcpus;
    if (obj->status && vkQemuHostProcessCPUTime(obj->status->pid, &info->cpuTime) < 0)
        return -1;
    return 0;
}

static int getState(virDomainPtr dom, int *state, int *reason, unsigned int flags)
{
    g_autoptr(vkQemuDomainObj) obj = NULL;
    int r;

    if (vkCheckFlags("qemuDomainGetState", VK_QEMU_ERR, flags, 0) < 0)
        return -1;
    /* A listing asks this of every domain: a shut off one is answered without parsing it. */
    if (vkQemuDomainObjQuickShutoff(stateOf(dom->conn), dom->name, dom->uuid, &r)) {
        *state = VIR_DOMAIN_SHUTOFF;
        if (reason)
            *reason = r;
        return 0;
    }
    if (!(obj = objByHandle(dom, LOOK_FULL)))
        return -1;
    *state = vkQemuDomainObjGetState(obj, &r);
    if (reason)
        *reason = r;
    return 0;
}

static unsigned long long getMaxMemory(virDomainPtr dom)
{
    g_autoptr(vkQemuDomainObj) obj = objByHandle(dom, LOOK_QUICK);

    return obj ? vkQemuDomainObjDef(obj)->memory : 0;
}

static char *getOSType(virDomainPtr dom)
{
    g_autoptr(vkQemuDomainObj) obj = objByHandle(dom, LOOK_QUICK);

    return obj ? g_strdup(vkDomainDefGetOSType(vkQemuDomainObjDef(obj))) : NULL;
}

static int getSecurityLabel(virDomainPtr dom, virSecurityLabelPtr seclabel)
{
    g_autoptr(vkQemuDomainObj) obj = objByHandle(dom, LOOK_QUICK);

    memset(seclabel, 0, sizeof(*seclabel));
    return obj ? 0 : -1;
}

static int hasManagedSaveImage(virDomainPtr dom, unsigned int flags)
{
    g_autoptr(vkQemuDomainObj) obj = NULL;

    if (vkCheckFlags("qemuDomainHasManagedSaveImage", VK_QEMU_ERR, flags, 0) < 0 ||
        !(obj = objByHandle(dom, LOOK_QUICK)))
        return -1;
    return 0;
}

static int isActive(virDomainPtr dom)
{
    g_autoptr(vkQemuDomainObj) obj = objByHandle(dom, LOOK_FULL);

    return obj ? vkQemuDomainObjIsActive(obj) : -1;
}

static int isPersistent(virDomainPtr dom)
{
    g_autoptr(vkQemuDomainObj) obj = objByHandle(dom, LOOK_QUICK);

    return obj ? obj->config != NULL : -1;
}

static int getAutostart(virDomainPtr dom, int *autostart)
{
    g_autoptr(vkQemuDomainObj) obj = objByHandle(dom, LOOK_QUICK);

    if (!obj)
        return -1;
    *autostart = obj->autostart;
    return 0;
}

static int setAutostart(virDomainPtr dom, int autostart)
{
    vkQemuDriverState *state = stateOf(dom->conn);
    g_autoptr(vkFileLock) lock = vkQemuDomainLock(state, dom->name);
    g_autoptr(vkQemuDomainObj) obj = NULL;

    if (!lock || !(obj = objByHandle(dom, LOOK_LOCKED)))
        return -1;
    if (!obj->config) {
        vkReportError(VK_QEMU_ERR, VIR_ERR_OPERATION_INVALID, "%s",
                      "cannot set autostart for transient domain");
        return -1;
    }
    return vkQemuDomainAutostartSet(state, dom->name, autostart != 0);
}

/* ---- metadata ---- */

/* Which definitions a call with FLAGS (virDomainModificationImpact) touches: CURRENT means the
 * live one of a running guest, else the persistent one. */
static int modificationImpact(const vkQemuDomainObj *obj, unsigned int *flags)
{
    gboolean active = vkQemuDomainObjIsActive(obj);

    if ((*flags & (VIR_DOMAIN_AFFECT_LIVE | VIR_DOMAIN_AFFECT_CONFIG)) == 0)
        *flags |= active ? VIR_DOMAIN_AFFECT_LIVE : VIR_DOMAIN_AFFECT_CONFIG;
    if (!active && (*flags & VIR_DOMAIN_AFFECT_LIVE)) {
        vkReportError(VIR_FROM_DOMAIN, VIR_ERR_OPERATION_INVALID, "%s", "domain is not running");
        return -1;
    }
    if (!obj->config && (*flags & VIR_DOMAIN_AFFECT_CONFIG)) {
        vkReportError(VIR_FROM_DOMAIN, VIR_ERR_OPERATION_INVALID, "%s",
                      "transient domains do not have any persistent config");
        return -1;
    }
    return 0;
}

static gboolean metadataTypeKnown(int type)
{
    if (type >= 0 && type <= VIR_DOMAIN_METADATA_ELEMENT)
        return TRUE;
    vkReportError(VIR_FROM_DOMAIN, VIR_ERR_INVALID_ARG, "unknown metadata type '%d'", type);
    return FALSE;
}

static char *getMetadata(virDomainPtr dom, int type, const char *uri, unsigned int flags)
{
    g_autoptr(vkQemuDomainObj) obj = NULL;

    if (vkCheckFlags("virDomainObjGetMetadata", VIR_FROM_DOMAIN, flags,
                     VIR_DOMAIN_AFFECT_LIVE | VIR_DOMAIN_AFFECT_CONFIG) < 0 ||
        !metadataTypeKnown(type) || !(obj = objByHandle(dom, LOOK_QUICK)) ||
        modificationImpact(obj, &flags) < 0)
        return NULL;
    return vkDomainDefGetMetadata(
        (flags & VIR_DOMAIN_AFFECT_CONFIG) ? obj->config : obj->status->def, type, uri);
}

/* Both definitions change in memory before either file is written, so bad metadata leaves
 * both files as they were. */
static int setMetadata(virDomainPtr dom, int type, const char *metadata, const char *key,
                       const char *uri, unsigned int flags)
{
    vkQemuDriverState *state = stateOf(dom->conn);
    g_autoptr(vkFileLock) lock = NULL;
    g_autoptr(vkQemuDomainObj) obj = NULL;
    vkDomainDef *live = NULL;

    if (vkCheckFlags("qemuDomainSetMetadata", VK_QEMU_ERR, flags,
                     VIR_DOMAIN_AFFECT_LIVE | VIR_DOMAIN_AFFECT_CONFIG) < 0)
        return -1;
    if (!(lock = vkQemuDomainLock(state, dom->name)) || !(obj = objByHandle(dom, LOOK_LOCKED)) ||
        modificationImpact(obj, &flags) < 0)
        return -1;
    if (flags & VIR_DOMAIN_AFFECT_LIVE) {
        live = obj->status->def;
        if (vkDomainDefSetMetadata(live, type, metadata, key, uri) < 0)
            return -1;
    }
    if ((flags & VIR_DOMAIN_AFFECT_CONFIG) &&
        vkDomainDefSetMetadata(obj->config, type, metadata, key, uri) < 0)
        return -1;
    if (live) {
        g_autofree char *path = vkQEMUDomainStatusPath(&state->procPaths, dom->name);

        if (vkQEMUDomainStatusWrite(path, obj->status) < 0)
            return -1;
    }
    if ((flags & VIR_DOMAIN_AFFECT_CONFIG) && vkQemuDomainConfigSave(state, obj->config) < 0)
        return -1;
    return 0;
}

/* virtkit records no taint and no deprecation of a guest: every domain has no message. */
static int getMessages(virDomainPtr dom, char ***msgs, unsigned int flags)
{
    g_autoptr(vkQemuDomainObj) obj = NULL;

    if (vkCheckFlags("qemuDomainGetMessages", VK_QEMU_ERR, flags,
                     VIR_DOMAIN_MESSAGE_DEPRECATION | VIR_DOMAIN_MESSAGE_TAINTING) < 0 ||
        !(obj = objByHandle(dom, LOOK_QUICK)))
        return -1;
    *msgs = g_new0(char *, 1);
    return 0;
}

/* No snapshot is kept yet: every domain has none. */
static int snapshotNum(virDomainPtr dom, unsigned int flags)
{
    g_autoptr(vkQemuDomainObj) obj = NULL;

    if (vkCheckFlags("qemuDomainSnapshotNum", VK_QEMU_ERR, flags,
                     (VIR_DOMAIN_SNAPSHOT_LIST_TOPOLOGICAL << 1) - 1) < 0 ||
        !(obj = objByHandle(dom, LOOK_QUICK)))
        return -1;
    return 0;
}

/* ---- consoles ---- */

/* Whether DEV_NAME names CHR, the I-th of its kind (NULL never does). */
static gboolean chrNamed(const vkDomainChrDef *chr, size_t i, const char *devName)
{
    g_autofree char *alias = vkQEMUChrAlias(chr, i);

    return devName && g_str_equal(alias, devName);
}

/* The character device a console session opens: DEV_NAME's, or the first console (or serial
 * port) without one. A console aliasing a serial port is that port. */
static const vkDomainChrDef *findConsole(const vkDomainDef *def, const char *devName)
{
    for (size_t i = 0; i < def->nconsoles; i++) {
        const vkDomainChrDef *chr = def->consoles[i];
        size_t idx = i;

        if (chr->targetType == VK_DOMAIN_CHR_CONSOLE_TARGET_SERIAL && i < def->nserials)
            chr = def->serials[i];
        if (!devName || chrNamed(chr, idx, devName))
            return chr;
    }
    for (size_t i = 0; i < def->nserials; i++) {
        if (!devName || chrNamed(def->serials[i], i, devName))
            return def->serials[i];
    }
    vkReportError(VK_QEMU_ERR, VIR_ERR_INTERNAL_ERROR, "cannot find character device %s",
                  devName ? devName : "<null>");
    return NULL;
}

static int openConsole(virDomainPtr dom, const char *devName, virStreamPtr st, unsigned int flags)
{
    g_autoptr(vkQemuDomainObj) obj = NULL;
    const vkDomainChrDef *chr;

    if (vkCheckFlags("qemuDomainOpenConsole", VK_QEMU_ERR, flags,
                     VIR_DOMAIN_CONSOLE_FORCE | VIR_DOMAIN_CONSOLE_SAFE) < 0 ||
        !(obj = objByHandle(dom, LOOK_FULL)))
        return -1;
    if (!vkQemuDomainObjIsActive(obj)) {
        vkReportError(VK_QEMU_ERR, VIR_ERR_OPERATION_INVALID, "%s", "domain is not running");
        return -1;
    }
    if (!(chr = findConsole(obj->status->def, devName)))
        return -1;
    if (chr->type != VK_DOMAIN_CHR_TYPE_PTY || !chr->path) {
        g_autofree char *alias = vkQEMUChrAlias(chr, 0);

        vkReportError(VK_QEMU_ERR, VIR_ERR_INTERNAL_ERROR, "character device %s is not using a PTY",
                      devName ? devName : alias);
        return -1;
    }
    /* Sessions exclude each other through a lock on the terminal, also across processes. */
    return vkStreamOpenTerminal(st, chr->path, (flags & VIR_DOMAIN_CONSOLE_FORCE) != 0);
}

/* ---- for the migration steps (qemu_migration.c) ---- */

vkQemuDriverState *vkQemuDriverStateOf(virConnectPtr conn)
{
    return stateOf(conn);
}

vkQemuDomainObj *vkQemuDomainObjByHandle(virDomainPtr dom)
{
    return objByHandle(dom, LOOK_LOCKED);
}

vkQemuDomainObj *vkQemuDomainObjByName(vkQemuDriverState *state, const char *name)
{
    return objByName(state, name, LOOK_LOCKED);
}

vkQEMUProcess *vkQemuDomainActiveProcess(vkQemuDriverState *state, vkQemuDomainObj *obj,
                                         virDomainPtr dom)
{
    return activeProcess(state, obj, dom, TRUE);
}

int vkQemuDomainStopProcess(vkQemuDriverState *state, vkQemuDomainObj *obj, virDomainPtr dom,
                            vkQEMUProcess *proc, int reason)
{
    if (vkQEMUProcessStopWith(proc, reason, VK_QEMU_PROCESS_STOP_GRACE_MS, releasePorts,
                              &(vkStopping){ state, obj }) < 0)
        return -1;
    vkQEMUProcessGetState(proc, &reason);
    return afterStop(state, obj, dom, reason);
}

int vkQemuDomainDefPrepare(vkQemuDriverState *state, vkDomainDef *def)
{
    return postParse(state, def);
}

int vkQemuDomainCheckUnique(vkQemuDriverState *state, const vkDomainDef *def, gboolean checkLive)
{
    g_autoptr(GPtrArray) objs = clashCandidates(state, def);

    return checkUnique(objs, def, checkLive);
}

static const vkHypervisorDriver qemuHypervisorDriver = {
    .name = "QEMU",
    .connectOpen = connectOpen,
    .connectClose = connectClose,
    .connectOpened = connectOpened,
    .connectGetType = connectGetType,
    .connectGetVersion = connectGetVersion,
    .connectGetHostname = connectGetHostname,
    .connectGetCapabilities = connectGetCapabilities,
    .connectGetMaxVcpus = connectGetMaxVcpus,
    .connectIsAlive = connectIsAlive,
    .connectIsEncrypted = connectIsEncrypted,
    .connectIsSecure = connectIsSecure,
    .nodeGetInfo = nodeGetInfo,
    .nodeGetSecurityModel = nodeGetSecurityModel,
    .connectGetDomainCapabilities = connectGetDomainCapabilities,
    .connectBaselineHypervisorCPU = connectBaselineHypervisorCPU,
    .connectListAllDomains = listAllDomains,
    .connectNumOfDomains = numOfDomains,
    .connectListDomains = listDomains,
    .connectNumOfDefinedDomains = numOfDefinedDomains,
    .connectListDefinedDomains = listDefinedDomains,
    .domainLookupByName = lookupByName,
    .domainLookupByID = lookupByID,
    .domainLookupByUUID = lookupByUUID,
    .domainDefineXMLFlags = defineXML,
    .domainUndefineFlags = undefineFlags,
    .domainCreateXML = createXML,
    .domainCreateWithFlags = createWithFlags,
    .domainShutdownFlags = shutdownFlags,
    .domainDestroyFlags = destroyFlags,
    .domainSuspend = suspend,
    .domainQemuMonitorCommand = qemuMonitorCommand,
    .domainResume = resume,
    .domainReboot = reboot,
    .domainGetXMLDesc = getXMLDesc,
    .domainGetInfo = getInfo,
    .domainGetState = getState,
    .domainGetMaxMemory = getMaxMemory,
    .domainGetOSType = getOSType,
    .domainGetSecurityLabel = getSecurityLabel,
    .domainHasManagedSaveImage = hasManagedSaveImage,
    .domainIsActive = isActive,
    .domainIsPersistent = isPersistent,
    .domainGetAutostart = getAutostart,
    .domainSetAutostart = setAutostart,
    .domainSetMetadata = setMetadata,
    .domainGetMetadata = getMetadata,
    .domainSnapshotNum = snapshotNum,
    .domainGetMessages = getMessages,
    .domainOpenConsole = openConsole,
    .domainMigrateBegin3Params = vkQemuMigrationBegin,
    .domainMigratePrepare3Params = vkQemuMigrationPrepare,
    .domainMigratePerform3Params = vkQemuMigrationPerform,
    .domainMigrateFinish3Params = vkQemuMigrationFinish,
    .domainMigrateConfirm3Params = vkQemuMigrationConfirm,
    .connectDomainEventRegister = vkQemuDomainEventRegister,
    .connectDomainEventDeregister = vkQemuDomainEventDeregister,
    .connectDomainEventRegisterAny = vkQemuDomainEventRegisterAny,
    .connectDomainEventDeregisterAny = vkQemuDomainEventDeregisterAny,
};

static const char *const qemuSchemes[] = { "qemu", NULL };

const vkConnectDriver vkQemuConnectDriver = {
    .uriSchemes = qemuSchemes,
    .localOnly = TRUE,
    .hypervisorDriver = &qemuHypervisorDriver,
    .networkDriver = &vkHostNetworkDriver,
    .storageDriver = &vkHostStorageDriver,
};

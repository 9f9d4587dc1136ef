/* The test driver's domains: lookup, the lifecycle state machine of libvirt's test driver
 * (ids, reasons, transient and persistent definitions), and the domain queries. */
#include <string.h>

#include "test_private.h"
#include "util/vkuuid.h"
#include "util/vkxml.h"

/* ---- parsing ---- */

/* libvirt's test driver assumes an i686 host: a domain that names no architecture gets it. */
static void defaultArch(xmlNodePtr root)
{
    xmlNodePtr os = vkXMLChild(root, "os");
    xmlNodePtr type = os ? vkXMLChild(os, "type") : NULL;

    if (type && !xmlHasProp(type, BAD_CAST "arch"))
        xmlSetProp(type, BAD_CAST "arch", BAD_CAST "i686");
}

static gboolean ifnameUsed(const vkDomainDef *def, const char *ifname)
{
    for (size_t i = 0; i < def->nnets; i++) {
        if (def->nets[i]->ifname && g_str_equal(def->nets[i]->ifname, ifname))
            return TRUE;
    }
    return FALSE;
}

/* Interfaces without a target get testnetN names, the first free ones, as in libvirt. */
static void generateIfnames(vkDomainDef *def)
{
    for (size_t i = 0; i < def->nnets; i++) {
        if (def->nets[i]->ifname)
            continue;
        for (unsigned int n = 0;; n++) {
            g_autofree char *name = g_strdup_printf("testnet%u", n);
            if (!ifnameUsed(def, name)) {
                def->nets[i]->ifname = g_steal_pointer(&name);
                break;
            }
        }
    }
}

vkDomainDef *vkTestDomainDefParseNode(xmlDocPtr doc, xmlNodePtr root)
{
    defaultArch(root);
    vkDomainDef *def = vkDomainDefParseNode(doc, root, VK_DOMAIN_DEF_PARSE_INACTIVE);
    if (def)
        generateIfnames(def);
    return def;
}

static vkDomainDef *parseString(const char *xml)
{
    g_autoptr(xmlDoc) doc = vkXMLParseString(xml, "domain_definition", VIR_FROM_DOMAIN);
    xmlNodePtr root;

    if (!doc || !(root = vkXMLRoot(doc, "domain", VIR_FROM_DOMAIN)))
        return NULL;
    return vkTestDomainDefParseNode(doc, root);
}

/* ---- the object list (driver->lock held) ---- */

void vkTestDomainObjFree(vkTestDomainObj *obj)
{
    if (!obj)
        return;
    vkDomainDefFree(obj->def);
    vkDomainDefFree(obj->newDef);
    g_free(obj);
}

static vkTestDomainObj *findByUUID(vkTestDriver *driver, const unsigned char *uuid)
{
    for (guint i = 0; i < driver->domains->len; i++) {
        vkTestDomainObj *obj = g_ptr_array_index(driver->domains, i);
        if (memcmp(obj->def->uuid, uuid, VIR_UUID_BUFLEN) == 0)
            return obj;
    }
    return NULL;
}

static vkTestDomainObj *findByName(vkTestDriver *driver, const char *name)
{
    for (guint i = 0; i < driver->domains->len; i++) {
        vkTestDomainObj *obj = g_ptr_array_index(driver->domains, i);
        if (g_str_equal(obj->def->name, name))
            return obj;
    }
    return NULL;
}

static gboolean isActive(const vkTestDomainObj *obj)
{
    return obj->def->id >= 0;
}

static vkTestDomainObj *findByID(vkTestDriver *driver, int id)
{
    for (guint i = 0; i < driver->domains->len; i++) {
        vkTestDomainObj *obj = g_ptr_array_index(driver->domains, i);
        if (isActive(obj) && obj->def->id == id)
            return obj;
    }
    return NULL;
}

/* A new definition while the domain runs is kept for its next start; otherwise (or when it
 * describes the live domain itself) it takes effect now. */
static void assignDef(vkTestDomainObj *obj, vkDomainDef **def, gboolean live)
{
    if (isActive(obj)) {
        vkDomainDefFree(obj->newDef);
        obj->newDef = g_steal_pointer(def);
    } else if (live) {
        if (!obj->newDef)
            obj->newDef = obj->def;
        else
            vkDomainDefFree(obj->def);
        obj->def = g_steal_pointer(def);
    } else {
        vkDomainDefFree(obj->def);
        obj->def = g_steal_pointer(def);
    }
}

vkTestDomainObj *vkTestDomainAdd(vkTestDriver *driver, vkDomainDef **def, gboolean live,
                                 gboolean checkLive)
{
    char uuidstr[VIR_UUID_STRING_BUFLEN];
    vkTestDomainObj *obj = findByUUID(driver, (*def)->uuid);

    if (obj) {
        if (!g_str_equal(obj->def->name, (*def)->name)) {
            vkUUIDFormat(obj->def->uuid, uuidstr);
            vkReportError(VIR_FROM_DOMAIN, VIR_ERR_OPERATION_FAILED,
                          "domain '%s' is already defined with uuid %s", obj->def->name, uuidstr);
            return NULL;
        }
        if (checkLive && isActive(obj)) {
            vkReportError(VIR_FROM_DOMAIN, VIR_ERR_OPERATION_INVALID,
                          "domain '%s' is already active", obj->def->name);
            return NULL;
        }
        if (checkLive && !obj->persistent) {
            vkReportError(VIR_FROM_DOMAIN, VIR_ERR_OPERATION_INVALID,
                          "domain '%s' is already being started", obj->def->name);
            return NULL;
        }
        assignDef(obj, def, live);
        return obj;
    }

    if ((obj = findByName(driver, (*def)->name))) {
        vkUUIDFormat(obj->def->uuid, uuidstr);
        vkReportError(VIR_FROM_DOMAIN, VIR_ERR_OPERATION_FAILED,
                      "domain '%s' already exists with uuid %s", (*def)->name, uuidstr);
        return NULL;
    }
    obj = g_new0(vkTestDomainObj, 1);
    obj->def = g_steal_pointer(def);
    obj->def->id = -1;
    obj->state = VIR_DOMAIN_SHUTOFF;
    obj->reason = VIR_DOMAIN_SHUTOFF_UNKNOWN;
    g_ptr_array_add(driver->domains, obj);
    return obj;
}

void vkTestDomainRemove(vkTestDriver *driver, vkTestDomainObj *obj)
{
    g_ptr_array_remove(driver->domains, obj);
}

void vkTestDomainStartState(vkTestDriver *driver, vkTestDomainObj *obj, int reason)
{
    obj->state = VIR_DOMAIN_RUNNING;
    obj->reason = reason;
    obj->def->id = driver->nextDomID++;
    /* Changes made to the live definition must not leak into the persistent one. */
    if (obj->persistent && !obj->newDef) {
        obj->newDef = vkDomainDefCopy(obj->def);
        obj->newDef->id = -1;
    }
    obj->hasManagedSave = FALSE;
}

void vkTestDomainShutdownState(vkTestDomainObj *obj, int reason)
{
    if (obj->newDef) {
        vkDomainDefFree(obj->def);
        obj->def = g_steal_pointer(&obj->newDef);
    }
    obj->def->id = -1;
    obj->state = VIR_DOMAIN_SHUTOFF;
    obj->reason = reason;
}

/* ---- helpers for the driver calls ---- */

/* The object a handle names, or NULL with VIR_ERR_NO_DOMAIN reported. */
static vkTestDomainObj *objFromHandle(vkTestDriver *driver, virDomainPtr dom)
{
    char uuidstr[VIR_UUID_STRING_BUFLEN];
    vkTestDomainObj *obj = findByUUID(driver, dom->uuid);

    if (!obj) {
        vkUUIDFormat(dom->uuid, uuidstr);
        vkReportError(VK_TEST_ERR, VIR_ERR_NO_DOMAIN, "no domain with matching uuid '%s' (%s)",
                      uuidstr, dom->name);
    }
    return obj;
}

static int checkActive(const vkTestDomainObj *obj)
{
    if (isActive(obj))
        return 0;
    vkReportError(VIR_FROM_DOMAIN, VIR_ERR_OPERATION_INVALID, "%s", "domain is not running");
    return -1;
}

static virDomainPtr newHandle(virConnectPtr conn, const vkTestDomainObj *obj)
{
    return vkDomainNew(conn, obj->def->name, obj->def->uuid, obj->def->id);
}

static void queueEventID(vkTestDriver *driver, const vkTestDomainObj *obj, int id, int event,
                         int detail)
{
    vkObjectEventStateQueueLifecycle(driver->events, VK_OBJECT_EVENT_DOMAIN, obj->def->name,
                                     obj->def->uuid, id, event, detail);
}

static void queueEvent(vkTestDriver *driver, const vkTestDomainObj *obj, int event, int detail)
{
    queueEventID(driver, obj, obj->def->id, event, detail);
}

/* Stops OBJ and announces it. libvirt's test driver builds the event from the definition left
 * in force: the persistent one (id -1), or for a transient domain the live one, which keeps
 * the id it ran with. */
static void stopWithEvent(vkTestDriver *driver, vkTestDomainObj *obj, int reason, int detail)
{
    int id = obj->newDef ? -1 : obj->def->id;

    vkTestDomainShutdownState(obj, reason);
    queueEventID(driver, obj, id, VIR_DOMAIN_EVENT_STOPPED, detail);
}

/* libvirt's define replaces an old definition (UPDATED) unless the domain is new or is a
 * running transient one, which had no persistent definition (ADDED). */
static int defineDetail(vkTestDriver *driver, const vkDomainDef *def)
{
    vkTestDomainObj *old = findByUUID(driver, def->uuid);

    if (!old || (isActive(old) && !old->newDef))
        return VIR_DOMAIN_EVENT_DEFINED_ADDED;
    return VIR_DOMAIN_EVENT_DEFINED_UPDATED;
}

/* After a shutdown: the handle forgets the id and a transient domain ceases to exist. */
static void afterStop(vkTestDriver *driver, vkTestDomainObj *obj, virDomainPtr dom)
{
    vkDomainSetCachedID(dom, -1);
    if (!obj->persistent)
        vkTestDomainRemove(driver, obj);
}

/* Whether the domain's configured reaction to a guest power-off or reboot restarts it. */
static gboolean actionRestarts(int action)
{
    return action == VK_DOMAIN_LIFECYCLE_RESTART || action == VK_DOMAIN_LIFECYCLE_RENAME_RESTART;
}

static int compareDomainNames(gconstpointer a, gconstpointer b)
{
    const vkTestDomainObj *da = *(vkTestDomainObj *const *)a;
    const vkTestDomainObj *db = *(vkTestDomainObj *const *)b;
    return strcmp(da->def->name, db->def->name);
}

/* The domains in name order, for stable listings. The pointers are borrowed. */
static GPtrArray *sortedDomains(vkTestDriver *driver)
{
    /* A plain copy would inherit the list's free function; this one only borrows. */
    GPtrArray *list = g_ptr_array_sized_new(driver->domains->len);

    for (guint i = 0; i < driver->domains->len; i++)
        g_ptr_array_add(list, g_ptr_array_index(driver->domains, i));
    g_ptr_array_sort(list, compareDomainNames);
    return list;
}

/* ---- listing ---- */

#define LIST_FILTERS_ALL 0xffffu

static gboolean matchFilter(const vkTestDomainObj *obj, unsigned int flags)
{
    vkDomainListFacts facts = {
        .active = isActive(obj),
        .persistent = obj->persistent,
        .managedSave = obj->hasManagedSave,
        .autostart = obj->autostart,
        .state = obj->state,
    };

    return vkDomainListMatch(flags, &facts);
}

int vkTestConnectListAllDomains(virConnectPtr conn, virDomainPtr **domains, unsigned int flags)
{
    vkTestDriver *driver = vkTestDriverOf(conn);

    if (vkTestCheckFlags(__func__, flags, LIST_FILTERS_ALL) < 0)
        return -1;

    g_autoptr(GMutexLocker) locker = g_mutex_locker_new(&driver->lock);
    g_autoptr(GPtrArray) all = sortedDomains(driver);
    GPtrArray *handles = g_ptr_array_new_with_free_func((GDestroyNotify)vkDomainUnref);

    for (guint i = 0; i < all->len; i++) {
        vkTestDomainObj *obj = g_ptr_array_index(all, i);
        if (matchFilter(obj, flags))
            g_ptr_array_add(handles, newHandle(conn, obj));
    }
    return vkListHandlesReturn(handles, (void ***)domains);
}

static int countDomains(virConnectPtr conn, gboolean active)
{
    vkTestDriver *driver = vkTestDriverOf(conn);
    g_autoptr(GMutexLocker) locker = g_mutex_locker_new(&driver->lock);
    int count = 0;

    for (guint i = 0; i < driver->domains->len; i++) {
        if (isActive(g_ptr_array_index(driver->domains, i)) == active)
            count++;
    }
    return count;
}

int vkTestConnectNumOfDomains(virConnectPtr conn)
{
    return countDomains(conn, TRUE);
}

int vkTestConnectNumOfDefinedDomains(virConnectPtr conn)
{
    return countDomains(conn, FALSE);
}

static int compareInts(gconstpointer a, gconstpointer b)
{
    int ia = *(const int *)a, ib = *(const int *)b;
    return (ia > ib) - (ia < ib);
}

int vkTestConnectListDomains(virConnectPtr conn, int *ids, int maxids)
{
    vkTestDriver *driver = vkTestDriverOf(conn);
    g_autoptr(GMutexLocker) locker = g_mutex_locker_new(&driver->lock);
    g_autoptr(GArray) active = g_array_new(FALSE, FALSE, sizeof(int));

    for (guint i = 0; i < driver->domains->len; i++) {
        vkTestDomainObj *obj = g_ptr_array_index(driver->domains, i);
        if (isActive(obj))
            g_array_append_val(active, obj->def->id);
    }
    g_array_sort(active, compareInts);

    int n = MIN((int)active->len, maxids);
    for (int i = 0; i < n; i++)
        ids[i] = g_array_index(active, int, i);
    return n;
}

int vkTestConnectListDefinedDomains(virConnectPtr conn, char **const names, int maxnames)
{
    vkTestDriver *driver = vkTestDriverOf(conn);
    g_autoptr(GMutexLocker) locker = g_mutex_locker_new(&driver->lock);
    g_autoptr(GPtrArray) all = sortedDomains(driver);
    int n = 0;

    if (maxnames > 0)
        memset(names, 0, sizeof(*names) * maxnames);
    for (guint i = 0; i < all->len && n < maxnames; i++) {
        vkTestDomainObj *obj = g_ptr_array_index(all, i);
        if (!isActive(obj))
            names[n++] = g_strdup(obj->def->name);
    }
    return n;
}

/* ---- lookup ---- */

virDomainPtr vkTestDomainLookupByName(virConnectPtr conn, const char *name)
{
    vkTestDriver *driver = vkTestDriverOf(conn);
    g_autoptr(GMutexLocker) locker = g_mutex_locker_new(&driver->lock);
    vkTestDomainObj *obj = findByName(driver, name);

    if (!obj) {
        vkReportError(VK_TEST_ERR, VIR_ERR_NO_DOMAIN, "no domain with matching name '%s'", name);
        return NULL;
    }
    return newHandle(conn, obj);
}

virDomainPtr vkTestDomainLookupByID(virConnectPtr conn, int id)
{
    vkTestDriver *driver = vkTestDriverOf(conn);
    g_autoptr(GMutexLocker) locker = g_mutex_locker_new(&driver->lock);
    vkTestDomainObj *obj = findByID(driver, id);

    if (!obj) {
        vkReportError(VK_TEST_ERR, VIR_ERR_NO_DOMAIN, "no domain with matching id %d", id);
        return NULL;
    }
    return newHandle(conn, obj);
}

virDomainPtr vkTestDomainLookupByUUID(virConnectPtr conn, const unsigned char *uuid)
{
    vkTestDriver *driver = vkTestDriverOf(conn);
    g_autoptr(GMutexLocker) locker = g_mutex_locker_new(&driver->lock);
    vkTestDomainObj *obj = findByUUID(driver, uuid);

    if (!obj) {
        char uuidstr[VIR_UUID_STRING_BUFLEN];
        vkUUIDFormat(uuid, uuidstr);
        vkReportError(VK_TEST_ERR, VIR_ERR_NO_DOMAIN, "no domain with matching uuid '%s'", uuidstr);
        return NULL;
    }
    return newHandle(conn, obj);
}

/* ---- lifecycle ---- */

virDomainPtr vkTestDomainDefineXMLFlags(virConnectPtr conn, const char *xml, unsigned int flags)
{
    vkTestDriver *driver = vkTestDriverOf(conn);

    if (vkTestCheckFlags(__func__, flags, VIR_DOMAIN_DEFINE_VALIDATE) < 0)
        return NULL;

    g_autoptr(vkDomainDef) def = parseString(xml);
    if (!def)
        return NULL;
    if (strchr(def->name, '\n')) {
        vkReportError(VIR_FROM_XML, VIR_ERR_XML_DETAIL, "invalid char in name: %c", '\n');
        return NULL;
    }

    g_autoptr(GMutexLocker) locker = g_mutex_locker_new(&driver->lock);
    int detail = defineDetail(driver, def);
    vkTestDomainObj *obj = vkTestDomainAdd(driver, &def, FALSE, FALSE);
    if (!obj)
        return NULL;
    obj->persistent = TRUE;
    queueEvent(driver, obj, VIR_DOMAIN_EVENT_DEFINED, detail);
    return newHandle(conn, obj);
}

int vkTestDomainUndefineFlags(virDomainPtr dom, unsigned int flags)
{
    vkTestDriver *driver = vkTestDriverOf(dom->conn);

    if (vkTestCheckFlags(__func__, flags,
                         VIR_DOMAIN_UNDEFINE_MANAGED_SAVE |
                             VIR_DOMAIN_UNDEFINE_SNAPSHOTS_METADATA) < 0)
        return -1;

    g_autoptr(GMutexLocker) locker = g_mutex_locker_new(&driver->lock);
    vkTestDomainObj *obj = objFromHandle(driver, dom);
    if (!obj)
        return -1;
    if (obj->hasManagedSave && !(flags & VIR_DOMAIN_UNDEFINE_MANAGED_SAVE)) {
        vkReportError(VK_TEST_ERR, VIR_ERR_OPERATION_INVALID, "%s",
                      "Refusing to undefine while domain managed save image exists");
        return -1;
    }
    queueEvent(driver, obj, VIR_DOMAIN_EVENT_UNDEFINED, VIR_DOMAIN_EVENT_UNDEFINED_REMOVED);
    obj->hasManagedSave = FALSE;
    /* A running domain stays up, now transient; it disappears when it stops. */
    if (isActive(obj))
        obj->persistent = FALSE;
    else
        vkTestDomainRemove(driver, obj);
    return 0;
}

virDomainPtr vkTestDomainCreateXML(virConnectPtr conn, const char *xml, unsigned int flags)
{
    vkTestDriver *driver = vkTestDriverOf(conn);

    if (vkTestCheckFlags(__func__, flags, VIR_DOMAIN_START_VALIDATE) < 0)
        return NULL;

    g_autoptr(vkDomainDef) def = parseString(xml);
    if (!def)
        return NULL;

    g_autoptr(GMutexLocker) locker = g_mutex_locker_new(&driver->lock);
    vkTestDomainObj *obj = vkTestDomainAdd(driver, &def, TRUE, TRUE);
    if (!obj)
        return NULL;
    vkTestDomainStartState(driver, obj, VIR_DOMAIN_RUNNING_BOOTED);
    queueEvent(driver, obj, VIR_DOMAIN_EVENT_STARTED, VIR_DOMAIN_EVENT_STARTED_BOOTED);
    return newHandle(conn, obj);
}

int vkTestDomainCreateWithFlags(virDomainPtr dom, unsigned int flags)
{
    vkTestDriver *driver = vkTestDriverOf(dom->conn);

    if (vkTestCheckFlags(__func__, flags, 0) < 0)
        return -1;

    g_autoptr(GMutexLocker) locker = g_mutex_locker_new(&driver->lock);
    vkTestDomainObj *obj = objFromHandle(driver, dom);
    if (!obj)
        return -1;
    if (obj->state != VIR_DOMAIN_SHUTOFF) {
        vkReportError(VK_TEST_ERR, VIR_ERR_INTERNAL_ERROR, "Domain '%s' is already running",
                      dom->name);
        return -1;
    }
    vkTestDomainStartState(driver, obj, VIR_DOMAIN_RUNNING_BOOTED);
    queueEvent(driver, obj, VIR_DOMAIN_EVENT_STARTED, VIR_DOMAIN_EVENT_STARTED_BOOTED);
    vkDomainSetCachedID(dom, obj->def->id);
    return 0;
}

int vkTestDomainShutdownFlags(virDomainPtr dom, unsigned int flags)
{
    vkTestDriver *driver = vkTestDriverOf(dom->conn);

    if (vkTestCheckFlags(__func__, flags, 0) < 0)
        return -1;

    g_autoptr(GMutexLocker) locker = g_mutex_locker_new(&driver->lock);
    vkTestDomainObj *obj = objFromHandle(driver, dom);
    if (!obj)
        return -1;
    if (obj->state == VIR_DOMAIN_SHUTOFF) {
        vkReportError(VK_TEST_ERR, VIR_ERR_INTERNAL_ERROR, "domain '%s' not running", dom->name);
        return -1;
    }
    /* The guest powers off; what follows is its <on_poweroff> action. */
    if (actionRestarts(obj->def->onPoweroff)) {
        obj->state = VIR_DOMAIN_RUNNING;
        obj->reason = VIR_DOMAIN_RUNNING_BOOTED;
        return 0;
    }
    stopWithEvent(driver, obj, VIR_DOMAIN_SHUTOFF_SHUTDOWN, VIR_DOMAIN_EVENT_STOPPED_SHUTDOWN);
    afterStop(driver, obj, dom);
    return 0;
}

int vkTestDomainReboot(virDomainPtr dom, unsigned int flags)
{
    vkTestDriver *driver = vkTestDriverOf(dom->conn);

    if (vkTestCheckFlags(__func__, flags,
                         VIR_DOMAIN_REBOOT_ACPI_POWER_BTN | VIR_DOMAIN_REBOOT_GUEST_AGENT |
                             VIR_DOMAIN_REBOOT_INITCTL | VIR_DOMAIN_REBOOT_SIGNAL |
                             VIR_DOMAIN_REBOOT_PARAVIRT) < 0)
        return -1;

    g_autoptr(GMutexLocker) locker = g_mutex_locker_new(&driver->lock);
    vkTestDomainObj *obj = objFromHandle(driver, dom);
    if (!obj || checkActive(obj) < 0)
        return -1;
    if (actionRestarts(obj->def->onReboot)) {
        obj->state = VIR_DOMAIN_RUNNING;
        obj->reason = VIR_DOMAIN_RUNNING_BOOTED;
        return 0;
    }
    stopWithEvent(driver, obj, VIR_DOMAIN_SHUTOFF_SHUTDOWN, VIR_DOMAIN_EVENT_STOPPED_SHUTDOWN);
    afterStop(driver, obj, dom);
    return 0;
}

int vkTestDomainDestroyFlags(virDomainPtr dom, unsigned int flags)
{
    vkTestDriver *driver = vkTestDriverOf(dom->conn);

    if (vkTestCheckFlags(__func__, flags, VIR_DOMAIN_DESTROY_GRACEFUL) < 0)
        return -1;

    g_autoptr(GMutexLocker) locker = g_mutex_locker_new(&driver->lock);
    vkTestDomainObj *obj = objFromHandle(driver, dom);
    if (!obj || checkActive(obj) < 0)
        return -1;
    stopWithEvent(driver, obj, VIR_DOMAIN_SHUTOFF_DESTROYED, VIR_DOMAIN_EVENT_STOPPED_DESTROYED);
    afterStop(driver, obj, dom);
    return 0;
}

int vkTestDomainSuspend(virDomainPtr dom)
{
    vkTestDriver *driver = vkTestDriverOf(dom->conn);
    g_autoptr(GMutexLocker) locker = g_mutex_locker_new(&driver->lock);
    vkTestDomainObj *obj = objFromHandle(driver, dom);

    if (!obj)
        return -1;
    if (obj->state == VIR_DOMAIN_SHUTOFF || obj->state == VIR_DOMAIN_PAUSED) {
        vkReportError(VK_TEST_ERR, VIR_ERR_INTERNAL_ERROR, "domain '%s' not running", dom->name);
        return -1;
    }
    obj->state = VIR_DOMAIN_PAUSED;
    obj->reason = VIR_DOMAIN_PAUSED_USER;
    queueEvent(driver, obj, VIR_DOMAIN_EVENT_SUSPENDED, VIR_DOMAIN_EVENT_SUSPENDED_PAUSED);
    return 0;
}

int vkTestDomainResume(virDomainPtr dom)
{
    vkTestDriver *driver = vkTestDriverOf(dom->conn);
    g_autoptr(GMutexLocker) locker = g_mutex_locker_new(&driver->lock);
    vkTestDomainObj *obj = objFromHandle(driver, dom);

    if (!obj)
        return -1;
    if (obj->state != VIR_DOMAIN_PAUSED) {
        vkReportError(VK_TEST_ERR, VIR_ERR_INTERNAL_ERROR, "domain '%s' not paused", dom->name);
        return -1;
    }
    obj->state = VIR_DOMAIN_RUNNING;
    obj->reason = VIR_DOMAIN_RUNNING_UNPAUSED;
    queueEvent(driver, obj, VIR_DOMAIN_EVENT_RESUMED, VIR_DOMAIN_EVENT_RESUMED_UNPAUSED);
    return 0;
}

/* ---- queries ---- */

char *vkTestDomainGetXMLDesc(virDomainPtr dom, unsigned int flags)
{
    vkTestDriver *driver = vkTestDriverOf(dom->conn);

    if (vkTestCheckFlags(__func__, flags,
                         VIR_DOMAIN_XML_SECURE | VIR_DOMAIN_XML_INACTIVE |
                             VIR_DOMAIN_XML_MIGRATABLE) < 0)
        return NULL;

    g_autoptr(GMutexLocker) locker = g_mutex_locker_new(&driver->lock);
    vkTestDomainObj *obj = objFromHandle(driver, dom);
    if (!obj)
        return NULL;
    const vkDomainDef *def =
        (flags & VIR_DOMAIN_XML_INACTIVE) && obj->newDef ? obj->newDef : obj->def;
    /* VIR_DOMAIN_XML_* and VK_DOMAIN_DEF_FORMAT_* share their values. */
    return vkDomainDefFormat(def, flags);
}

int vkTestDomainGetInfo(virDomainPtr dom, virDomainInfoPtr info)
{
    vkTestDriver *driver = vkTestDriverOf(dom->conn);
    g_autoptr(GMutexLocker) locker = g_mutex_locker_new(&driver->lock);
    vkTestDomainObj *obj = objFromHandle(driver, dom);

    if (!obj)
        return -1;
    info->state = obj->state;
    info->memory = obj->def->currentMemory;
    info->maxMem = obj->def->memory;
    info->nrVirtCpu = obj->def->vcpusCurrent ? obj->def->vcpusCurrent : obj->def->vcpus;
    /* No guest runs, so like libvirt's test driver report the wall clock as CPU time. */
    info->cpuTime = (unsigned long long)g_get_real_time() * 1000;
    return 0;
}

int vkTestDomainGetState(virDomainPtr dom, int *state, int *reason, unsigned int flags)
{
    vkTestDriver *driver = vkTestDriverOf(dom->conn);

    if (vkTestCheckFlags(__func__, flags, 0) < 0)
        return -1;

    g_autoptr(GMutexLocker) locker = g_mutex_locker_new(&driver->lock);
    vkTestDomainObj *obj = objFromHandle(driver, dom);
    if (!obj)
        return -1;
    *state = obj->state;
    if (reason)
        *reason = obj->reason;
    return 0;
}

unsigned long long vkTestDomainGetMaxMemory(virDomainPtr dom)
{
    vkTestDriver *driver = vkTestDriverOf(dom->conn);
    g_autoptr(GMutexLocker) locker = g_mutex_locker_new(&driver->lock);
    vkTestDomainObj *obj = objFromHandle(driver, dom);

    return obj ? obj->def->memory : 0;
}

char *vkTestDomainGetOSType(virDomainPtr dom)
{
    /* libvirt's test driver answers "linux" for every domain; scripts see the same. */
    return g_strdup("linux");
}

int vkTestDomainGetSecurityLabel(virDomainPtr dom, virSecurityLabelPtr seclabel)
{
    vkTestDriver *driver = vkTestDriverOf(dom->conn);
    g_autoptr(GMutexLocker) locker = g_mutex_locker_new(&driver->lock);
    vkTestDomainObj *obj = objFromHandle(driver, dom);

    memset(seclabel, 0, sizeof(*seclabel));
    if (!obj)
        return -1;
    /* The test host's "testSecurity" model labels running domains only. */
    if (isActive(obj)) {
        g_strlcpy(seclabel->label, "libvirt-test", sizeof(seclabel->label));
        seclabel->enforcing = 1;
    }
    return 0;
}

int vkTestDomainHasManagedSaveImage(virDomainPtr dom, unsigned int flags)
{
    vkTestDriver *driver = vkTestDriverOf(dom->conn);

    if (vkTestCheckFlags("vkTestDomainHasManagedSaveImage", flags, 0) < 0)
        return -1;

    g_autoptr(GMutexLocker) locker = g_mutex_locker_new(&driver->lock);
    vkTestDomainObj *obj = objFromHandle(driver, dom);
    return obj ? obj->hasManagedSave : -1;
}

int vkTestDomainIsActive(virDomainPtr dom)
{
    vkTestDriver *driver = vkTestDriverOf(dom->conn);
    g_autoptr(GMutexLocker) locker = g_mutex_locker_new(&driver->lock);
    vkTestDomainObj *obj = objFromHandle(driver, dom);

    return obj ? isActive(obj) : -1;
}

int vkTestDomainIsPersistent(virDomainPtr dom)
{
    vkTestDriver *driver = vkTestDriverOf(dom->conn);
    g_autoptr(GMutexLocker) locker = g_mutex_locker_new(&driver->lock);
    vkTestDomainObj *obj = objFromHandle(driver, dom);

    return obj ? obj->persistent : -1;
}

int vkTestDomainGetAutostart(virDomainPtr dom, int *autostart)
{
    vkTestDriver *driver = vkTestDriverOf(dom->conn);
    g_autoptr(GMutexLocker) locker = g_mutex_locker_new(&driver->lock);
    vkTestDomainObj *obj = objFromHandle(driver, dom);

    if (!obj)
        return -1;
    *autostart = obj->autostart;
    return 0;
}

int vkTestDomainSetAutostart(virDomainPtr dom, int autostart)
{
    vkTestDriver *driver = vkTestDriverOf(dom->conn);
    g_autoptr(GMutexLocker) locker = g_mutex_locker_new(&driver->lock);
    vkTestDomainObj *obj = objFromHandle(driver, dom);

    if (!obj)
        return -1;
    obj->autostart = autostart != 0;
    return 0;
}

/* The definition FLAGS (virDomainModificationImpact) selects, as libvirt's domain objects pick
 * it; NULL (reported) when it does not exist. With BOTH, a running persistent domain gives its
 * live one in *DEF and its persistent one in *PERS. */
static int metadataDefs(vkTestDomainObj *obj, unsigned int flags, vkDomainDef **def,
                        vkDomainDef **pers)
{
    gboolean active = isActive(obj);

    if ((flags & (VIR_DOMAIN_AFFECT_LIVE | VIR_DOMAIN_AFFECT_CONFIG)) == 0)
        flags |= active ? VIR_DOMAIN_AFFECT_LIVE : VIR_DOMAIN_AFFECT_CONFIG;
    if (!active && (flags & VIR_DOMAIN_AFFECT_LIVE)) {
        vkReportError(VIR_FROM_DOMAIN, VIR_ERR_OPERATION_INVALID, "%s", "domain is not running");
        return -1;
    }
    if (!obj->persistent && (flags & VIR_DOMAIN_AFFECT_CONFIG)) {
        vkReportError(VIR_FROM_DOMAIN, VIR_ERR_OPERATION_INVALID, "%s",
                      "transient domains do not have any persistent config");
        return -1;
    }
    *def = (flags & VIR_DOMAIN_AFFECT_LIVE) ? obj->def : NULL;
    *pers = (flags & VIR_DOMAIN_AFFECT_CONFIG) ? (active ? obj->newDef : obj->def) : NULL;
    return 0;
}

char *vkTestDomainGetMetadata(virDomainPtr dom, int type, const char *uri, unsigned int flags)
{
    vkTestDriver *driver = vkTestDriverOf(dom->conn);
    g_autoptr(GMutexLocker) locker = g_mutex_locker_new(&driver->lock);
    vkTestDomainObj *obj;
    vkDomainDef *live, *pers;

    if (vkTestCheckFlags(__func__, flags, VIR_DOMAIN_AFFECT_LIVE | VIR_DOMAIN_AFFECT_CONFIG) < 0 ||
        !(obj = objFromHandle(driver, dom)))
        return NULL;
    if (type < 0 || type > VIR_DOMAIN_METADATA_ELEMENT) {
        vkReportError(VIR_FROM_DOMAIN, VIR_ERR_INVALID_ARG, "unknown metadata type '%d'", type);
        return NULL;
    }
    if (metadataDefs(obj, flags, &live, &pers) < 0)
        return NULL;
    return vkDomainDefGetMetadata(live ? live : pers, type, uri);
}

int vkTestDomainSetMetadata(virDomainPtr dom, int type, const char *metadata, const char *key,
                            const char *uri, unsigned int flags)
{
    vkTestDriver *driver = vkTestDriverOf(dom->conn);
    g_autoptr(GMutexLocker) locker = g_mutex_locker_new(&driver->lock);
    vkTestDomainObj *obj;
    vkDomainDef *live, *pers;

    if (vkTestCheckFlags(__func__, flags, VIR_DOMAIN_AFFECT_LIVE | VIR_DOMAIN_AFFECT_CONFIG) < 0 ||
        !(obj = objFromHandle(driver, dom)) || metadataDefs(obj, flags, &live, &pers) < 0)
        return -1;
    if (live && vkDomainDefSetMetadata(live, type, metadata, key, uri) < 0)
        return -1;
    if (pers && vkDomainDefSetMetadata(pers, type, metadata, key, uri) < 0)
        return -1;
    return 0;
}

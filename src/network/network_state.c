/* Networks on disk: configs in ROOT/etc/network, status in ROOT/run/network, autostart marks
 * and the locks that serialise changes across processes, kept by the shared object store; this
 * file says how a network's files are parsed and formatted. */
#include <errno.h>
#include <string.h>
#include <sys/stat.h>

#include "conf/object_name.h"
#include "network_priv.h"
#include "util/vkxml.h"

VK_ENUM_IMPL(vkNetworkStatusState, VK_NETWORK_STATUS_LAST, "starting", "active", "stopping");
VK_ENUM_IMPL(vkNetworkFirewallBackend, VK_NETWORK_FIREWALL_LAST, "none", "nft", "iptables");

void vkNetworkStatusFree(vkNetworkStatus *status)
{
    if (!status)
        return;
    vkNetworkDefFree(status->def);
    g_free(status);
}

void vkNetworkObjFree(vkNetworkObj *obj)
{
    if (!obj)
        return;
    g_free(obj->name);
    vkNetworkDefFree(obj->config);
    vkNetworkStatusFree(obj->status);
    g_free(obj);
}

const vkNetworkDef *vkNetworkObjDef(const vkNetworkObj *obj)
{
    return obj->status ? obj->status->def : obj->config;
}

gboolean vkNetworkObjIsActive(const vkNetworkObj *obj)
{
    return obj->status && obj->status->state == VK_NETWORK_STATUS_ACTIVE;
}

void vkNetworkErrorPrefix(const char *fmt, ...)
{
    g_autofree char *context = NULL;
    va_list ap;

    va_start(ap, fmt);
    context = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    vkErrorPrefix(VK_NET_ERR, "%s", context);
}

/* ---- file names ---- */

char *vkNetworkRunFile(const vkNetworkDriverState *state, const char *name, const char *suffix)
{
    g_autofree char *base = g_strdup_printf("%s.%s", name, suffix);
    return g_build_filename(state->paths->run, base, NULL);
}

char *vkNetworkConfigFile(const vkNetworkDriverState *state, const char *name)
{
    return vkObjStoreConfigPath(state->store, name);
}

/* ---- the status file ---- */

static char *statusFormat(const vkNetworkStatus *status)
{
    g_autofree char *net = vkNetworkDefFormat(status->def, 0);
    g_auto(GStrv) lines = NULL;
    GString *out;

    if (!net)
        return NULL;
    out = g_string_new(NULL);
    g_string_append_printf(out, "<networkstatus state='%s' firewall='%s'>\n",
                           vkNetworkStatusStateTypeToString(status->state),
                           vkNetworkFirewallBackendTypeToString(status->firewall));
    if (status->dnsmasqPid > 0)
        g_string_append_printf(out, "  <dnsmasq pid='%d' starttime='%llu'/>\n",
                               (int)status->dnsmasqPid, status->dnsmasqStartTime);
    lines = g_strsplit(net, "\n", -1);
    for (char **line = lines; *line; line++) {
        if (**line)
            g_string_append_printf(out, "  %s\n", *line);
    }
    g_string_append(out, "</networkstatus>\n");
    return g_string_free(out, FALSE);
}

static int statusParseDnsmasq(xmlNodePtr node, vkNetworkStatus *status)
{
    static const char *const attrs[] = { "pid", "starttime", NULL };
    unsigned long long pid = 0;
    int rc;

    if (vkXMLCheckAttrs(node, attrs, VK_NET_ERR) < 0)
        return -1;
    if ((rc = vkXMLPropULL(node, "pid", 1, G_MAXINT32, &pid, VK_NET_ERR)) <= 0) {
        if (rc == 0)
            vkXMLReportAt(node, VK_NET_ERR, VIR_ERR_XML_ERROR, "%s", "<dnsmasq> without a pid");
        return -1;
    }
    if (vkXMLPropULL(node, "starttime", 0, G_MAXUINT64, &status->dnsmasqStartTime, VK_NET_ERR) < 0)
        return -1;
    status->dnsmasqPid = (pid_t)pid;
    return 0;
}

static vkNetworkStatus *statusParse(const char *text)
{
    static const char *const attrs[] = { "state", "firewall", NULL };
    static const char *const children[] = { "dnsmasq", "network", NULL };
    g_autoptr(xmlDoc) doc = vkXMLParseString(text, "network_status", VK_NET_ERR);
    g_autoptr(vkNetworkStatus) status = g_new0(vkNetworkStatus, 1);
    xmlNodePtr root;
    xmlNodePtr node;
    int rc;

    if (!doc || !(root = vkXMLRoot(doc, "networkstatus", VK_NET_ERR)))
        return NULL;
    if (vkXMLCheckAttrs(root, attrs, VK_NET_ERR) < 0 ||
        vkXMLCheckChildren(root, children, VK_NET_ERR) < 0)
        return NULL;
    if ((rc = vkXMLPropEnum(root, "state", vkNetworkStatusStateTypeFromString, &status->state,
                            VK_NET_ERR)) <= 0) {
        if (rc == 0)
            vkXMLReportAt(root, VK_NET_ERR, VIR_ERR_XML_ERROR, "%s", "status without a state");
        return NULL;
    }
    if (vkXMLPropEnum(root, "firewall", vkNetworkFirewallBackendTypeFromString, &status->firewall,
                      VK_NET_ERR) < 0)
        return NULL;
    if ((node = vkXMLChild(root, "dnsmasq")) && statusParseDnsmasq(node, status) < 0)
        return NULL;
    if (!(node = vkXMLChild(root, "network"))) {
        vkXMLReportAt(root, VK_NET_ERR, VIR_ERR_XML_ERROR, "%s", "status without a <network>");
        return NULL;
    }
    if (!(status->def = vkNetworkDefParseNode(doc, node, 0)))
        return NULL;
    return g_steal_pointer(&status);
}

int vkNetworkStatusSave(const vkNetworkDriverState *state, const vkNetworkStatus *status)
{
    g_autofree char *text = statusFormat(status);

    if (!text)
        return -1;
    return vkObjStoreStatusWrite(state->store, status->def->name, status, text);
}

int vkNetworkStatusDelete(const vkNetworkDriverState *state, const char *name)
{
    return vkObjStoreStatusDelete(state->store, name);
}

/* ---- the config file and autostart mark ---- */

int vkNetworkConfigSave(const vkNetworkDriverState *state, const vkNetworkDef *def)
{
    g_autofree char *text = vkNetworkDefFormat(def, VK_NETWORK_DEF_FORMAT_INACTIVE);

    /* The store refuses text that would not load again. */
    if (!text)
        return -1;
    return vkObjStoreConfigWrite(state->store, def->name, text);
}

int vkNetworkConfigDelete(const vkNetworkDriverState *state, const char *name)
{
    return vkObjStoreConfigDelete(state->store, name);
}

int vkNetworkAutostartSet(const vkNetworkDriverState *state, const char *name, gboolean on)
{
    return vkObjStoreAutostartSet(state->store, name, on);
}

/* ---- the object store's view of network files ---- */

static void *configParse(const char *text)
{
    g_autoptr(xmlDoc) doc = vkXMLParseString(text, "network_definition", VK_NET_ERR);
    xmlNodePtr root;

    if (!doc || !(root = vkXMLRoot(doc, "network", VK_NET_ERR)))
        return NULL;
    return vkNetworkDefParseNode(doc, root, 0);
}

static char *configFormat(const void *config)
{
    return vkNetworkDefFormat(config, VK_NETWORK_DEF_FORMAT_INACTIVE);
}

static void *statusParseText(const char *text)
{
    return statusParse(text);
}

static const char *configName(const void *config)
{
    return ((const vkNetworkDef *)config)->name;
}

static const char *statusName(const void *status)
{
    return ((const vkNetworkStatus *)status)->def->name;
}

static gboolean nameValid(const char *name)
{
    return vkObjectNameIsValid(VK_OBJECT_NETWORK, name);
}

static const unsigned char *configUUID(const void *config)
{
    return ((const vkNetworkDef *)config)->uuid;
}

static const unsigned char *statusUUID(const void *status)
{
    return ((const vkNetworkStatus *)status)->def->uuid;
}

/* No two networks may have one bridge, whether defined or running. */
static void defKeys(const vkNetworkDef *def, GPtrArray *keys)
{
    if (def->bridge.name)
        g_ptr_array_add(keys, vkNetworkBridgeKey(def->bridge.name));
}

static void configKeys(const void *config, GPtrArray *keys)
{
    defKeys(config, keys);
}

static void statusKeys(const void *status, GPtrArray *keys)
{
    defKeys(((const vkNetworkStatus *)status)->def, keys);
}

char *vkNetworkBridgeKey(const char *bridge)
{
    return g_strconcat("bridge=", bridge, NULL);
}

static int nameCheck(const char *name)
{
    return vkObjectNameCheck(VK_OBJECT_NETWORK, name);
}

const vkObjStoreClass vkNetworkStoreClass = {
    .kind = "network",
    .errDomain = VK_NET_ERR,
    .parseConfig = configParse,
    .parseStatus = statusParseText,
    .configName = configName,
    .statusName = statusName,
    .freeConfig = (GDestroyNotify)vkNetworkDefFree,
    .freeStatus = (GDestroyNotify)vkNetworkStatusFree,
    .formatConfig = configFormat,
    .nameValid = nameValid,
    .nameCheck = nameCheck,
    .noObjectCode = VIR_ERR_NO_NETWORK,
    .noObjectNoun = "network",
    .configUUID = configUUID,
    .statusUUID = statusUUID,
    .configKeys = configKeys,
    .statusKeys = statusKeys,
};

/* ---- reading ---- */

void vkNetworkWarn(const char *what)
{
    vkErrorWarn(what);
}

/* The driver's object from what the store read, whose parts it takes. */
static vkNetworkObj *objFromStored(vkObjStoreObj *stored)
{
    vkNetworkObj *obj = g_new0(vkNetworkObj, 1);

    obj->name = g_strdup(stored->name);
    obj->config = g_steal_pointer(&stored->config);
    obj->status = g_steal_pointer(&stored->status);
    obj->autostart = stored->autostart;
    return obj;
}

int vkNetworkObjRead(const vkNetworkDriverState *state, const char *name, vkNetworkObj **obj)
{
    g_autoptr(vkObjStoreObj) stored = NULL;
    int rc = vkObjStoreRead(state->store, name, &stored);

    *obj = rc > 0 ? objFromStored(stored) : NULL;
    return rc;
}

GPtrArray *vkNetworkObjReadAll(const vkNetworkDriverState *state)
{
    g_autoptr(GPtrArray) stored = vkObjStoreReadAll(state->store);
    GPtrArray *objs = g_ptr_array_new_full(stored->len, (GDestroyNotify)vkNetworkObjFree);

    for (guint i = 0; i < stored->len; i++)
        g_ptr_array_add(objs, objFromStored(g_ptr_array_index(stored, i)));
    return objs;
}

/* ---- locks ---- */

vkFileLock *vkNetworkLock(const vkNetworkDriverState *state, const char *name)
{
    return vkObjStoreLock(state->store, name);
}

vkFileLock *vkNetworkDriverLock(const vkNetworkDriverState *state)
{
    /* ROOT/run/network.lock: beside the directory rather than in it, where it could clash
     * with the lock of a network named "network". */
    return vkObjStoreDriverLock(state->store);
}

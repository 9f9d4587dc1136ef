/* Networks on disk: configs in ROOT/etc/network, status in ROOT/run/network, autostart marks,
 * and the lock files that serialise changes across processes. */
#include <errno.h>
#include <string.h>
#include <sys/stat.h>

#include "conf/object_name.h"
#include "network_priv.h"
#include "util/vkxml.h"

#define DIR_MODE  0700
#define FILE_MODE 0600

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

static char *fileIn(const char *dir, const char *name, const char *suffix)
{
    g_autofree char *base = g_strdup_printf("%s.%s", name, suffix);
    return g_build_filename(dir, base, NULL);
}

char *vkNetworkRunFile(const vkNetworkDriverState *state, const char *name, const char *suffix)
{
    return fileIn(state->paths->run, name, suffix);
}

char *vkNetworkConfigFile(const vkNetworkDriverState *state, const char *name)
{
    return fileIn(state->paths->etc, name, "xml");
}

static char *autostartLink(const vkNetworkDriverState *state, const char *name)
{
    return fileIn(state->autostartDir, name, "xml");
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
    g_autofree char *path = vkNetworkRunFile(state, status->def->name, "xml");
    g_autofree char *text = statusFormat(status);

    if (!text || vkFileMakePath(state->paths->run, DIR_MODE) < 0)
        return -1;
    return vkFileWriteRunState(path, text, -1, FILE_MODE);
}

int vkNetworkStatusDelete(const vkNetworkDriverState *state, const char *name)
{
    g_autofree char *path = vkNetworkRunFile(state, name, "xml");
    return vkFileRemoveIfExists(path);
}

/* ---- the config file and autostart mark ---- */

static vkNetworkDef *configParse(const char *text);

/* A define that reports success must load again: TEXT is read back the way configRead reads
 * it, and must name the same network and give the same text once more. */
static int checkLoadsAgain(const vkNetworkDef *def, const char *text)
{
    g_autoptr(vkNetworkDef) again = configParse(text);
    g_autofree char *retext =
        again ? vkNetworkDefFormat(again, VK_NETWORK_DEF_FORMAT_INACTIVE) : NULL;
    g_autofree char *why = NULL;

    if (again && retext && g_str_equal(again->name, def->name) && g_str_equal(retext, text))
        return 0;
    why = g_strdup(!again || !retext ? virGetLastErrorMessage()
                                     : "it reads back as a different definition");
    vkReportError(VK_NET_ERR, VIR_ERR_INTERNAL_ERROR,
                  "refusing to store network '%s', which would not load again: %s", def->name, why);
    return -1;
}

int vkNetworkConfigSave(const vkNetworkDriverState *state, const vkNetworkDef *def)
{
    g_autofree char *path = vkNetworkConfigFile(state, def->name);
    g_autofree char *text = vkNetworkDefFormat(def, VK_NETWORK_DEF_FORMAT_INACTIVE);

    if (!text || checkLoadsAgain(def, text) < 0 || vkFileMakePath(state->paths->etc, DIR_MODE) < 0)
        return -1;
    return vkFileWriteAtomic(path, text, -1, FILE_MODE);
}

int vkNetworkConfigDelete(const vkNetworkDriverState *state, const char *name)
{
    g_autofree char *link = autostartLink(state, name);
    g_autofree char *path = vkNetworkConfigFile(state, name);

    /* The mark first: a mark without its config would start nothing, but a config that
     * survives a crash here keeps its network defined, which is the safe side. */
    if (vkFileSymlinkRemove(link) < 0)
        return -1;
    return vkFileRemoveIfExists(path);
}

int vkNetworkAutostartSet(const vkNetworkDriverState *state, const char *name, gboolean on)
{
    return vkFileAutostartSet(state->autostartDir, name, on);
}

/* ---- reading ---- */

static vkNetworkDef *configParse(const char *text)
{
    g_autoptr(xmlDoc) doc = vkXMLParseString(text, "network_definition", VK_NET_ERR);
    xmlNodePtr root;

    if (!doc || !(root = vkXMLRoot(doc, "network", VK_NET_ERR)))
        return NULL;
    return vkNetworkDefParseNode(doc, root, 0);
}

static int checkFileName(const char *path, const char *name, const vkNetworkDef *def)
{
    if (g_str_equal(def->name, name))
        return 0;
    vkReportError(VK_NET_ERR, VIR_ERR_XML_ERROR,
                  "cannot load '%s': it defines network '%s', but its file name says '%s'", path,
                  def->name, name);
    return -1;
}

/* 1 with *DEF, 0 when the file does not exist, -1 reported. */
static int configRead(const vkNetworkDriverState *state, const char *name, vkNetworkDef **def)
{
    g_autofree char *path = vkNetworkConfigFile(state, name);
    g_autofree char *text = NULL;

    *def = NULL;
    if (vkFileReadIfExists(path, &text, NULL) < 0)
        return -1;
    if (!text)
        return 0;
    if (!(*def = configParse(text))) {
        vkNetworkErrorPrefix("cannot load '%s'", path);
        return -1;
    }
    if (checkFileName(path, name, *def) < 0) {
        g_clear_pointer(def, vkNetworkDefFree);
        return -1;
    }
    return 1;
}

void vkNetworkWarn(const char *what)
{
    vkErrorWarn(what);
}

/* A status that cannot be read says nothing reliable about the host; like libvirt, the
 * network then counts as inactive (its next start or an administrator sorts the host out),
 * which keeps its config usable. */
static vkNetworkStatus *statusRead(const vkNetworkDriverState *state, const char *name)
{
    g_autofree char *path = vkNetworkRunFile(state, name, "xml");
    g_autofree char *text = NULL;
    vkNetworkStatus *status;

    if (vkFileReadIfExists(path, &text, NULL) < 0) {
        vkNetworkWarn("unreadable network status ignored");
        return NULL;
    }
    if (!text)
        return NULL;
    if (!(status = statusParse(text))) {
        vkNetworkErrorPrefix("cannot load '%s'", path);
        vkNetworkWarn("corrupt network status ignored");
        return NULL;
    }
    if (checkFileName(path, name, status->def) < 0) {
        vkNetworkWarn("misnamed network status ignored");
        vkNetworkStatusFree(status);
        return NULL;
    }
    return status;
}

int vkNetworkObjRead(const vkNetworkDriverState *state, const char *name, vkNetworkObj **obj)
{
    g_autoptr(vkNetworkDef) config = NULL;
    g_autoptr(vkNetworkStatus) status = NULL;

    *obj = NULL;
    /* A name that is no valid name (from a lookup, a handle, a guest's XML or a stray file)
     * names nothing, and must never become a path: "../../x" would read files outside the
     * root. */
    if (!vkObjectNameIsValid(VK_OBJECT_NETWORK, name))
        return 0;
    if (configRead(state, name, &config) < 0)
        return -1;
    status = statusRead(state, name);
    if (!config && !status)
        return 0;

    *obj = g_new0(vkNetworkObj, 1);
    (*obj)->name = g_strdup(name);
    (*obj)->config = g_steal_pointer(&config);
    (*obj)->status = g_steal_pointer(&status);
    (*obj)->autostart = (*obj)->config && vkFileAutostartGet(state->autostartDir, name);
    return 1;
}

static int readOne(void *state, const char *name, void **obj)
{
    /* A file whose name no object may have (left by an older version, or put there by hand)
     * is worth a warning rather than silence. */
    if (vkObjectNameCheck(VK_OBJECT_NETWORK, name) < 0)
        return -1;
    return vkNetworkObjRead(state, name, (vkNetworkObj **)obj);
}

GPtrArray *vkNetworkObjReadAll(const vkNetworkDriverState *state)
{
    const char *dirs[] = { state->paths->etc, state->paths->run, NULL };

    /* The reader takes the state as it is; reading changes nothing in it. */
    return vkFileReadObjects(dirs, "xml", readOne, (void *)state, (GDestroyNotify)vkNetworkObjFree,
                             "network");
}

/* ---- locks ---- */

vkFileLock *vkNetworkLock(const vkNetworkDriverState *state, const char *name)
{
    /* The lock file's name comes from the network's: a bad one is no network at all. */
    if (!vkObjectNameIsValid(VK_OBJECT_NETWORK, name)) {
        vkReportError(VK_NET_ERR, VIR_ERR_NO_NETWORK, "no network with matching name '%s'", name);
        return NULL;
    }
    if (vkFileMakePath(state->paths->run, DIR_MODE) < 0)
        return NULL;
    return vkFileLockAcquire(state->paths->run, name);
}

vkFileLock *vkNetworkDriverLock(const vkNetworkDriverState *state)
{
    g_autofree char *parent = g_path_get_dirname(state->paths->run);
    g_autofree char *base = g_path_get_basename(state->paths->run);

    /* ROOT/run/network.lock: beside the directory rather than in it, where it could clash
     * with the lock of a network named "network". */
    if (vkFileMakePath(state->paths->run, DIR_MODE) < 0)
        return NULL;
    return vkFileLockAcquire(parent, base);
}

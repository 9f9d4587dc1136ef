/* The live status file of a running qemu guest, and the names of its run files. The file is
 * the only record of a running guest that outlives the process which started it. */
#include "qemu_domain.h"

#include <string.h>
#include <sys/un.h>

#include "util/vkenum.h"
#include "util/vkerror.h"
#include "util/vkfile.h"
#include "util/vkxml.h"

#define STATUS_ERR VIR_FROM_QEMU

/* ---- run files ---- */

static char *runFile(const char *dir, const char *name, const char *suffix)
{
    g_autofree char *base = g_strconcat(name, suffix, NULL);

    return g_build_filename(dir, base, NULL);
}

char *vkQEMUDomainStatusPath(const vkQEMUProcessPaths *paths, const char *name)
{
    return runFile(paths->runDir, name, ".xml");
}

/* A unix socket address holds 107 bytes of path. */
#define SOCKET_PATH_MAX (sizeof(((struct sockaddr_un *)NULL)->sun_path) - 1)

char *vkQEMUDomainSocketDir(const vkQEMUProcessPaths *paths, const char *name)
{
    g_autofree char *digest = NULL;
    g_autofree char *base = NULL;

    /* NAME.monitor is the longest of the sockets named after the guest. */
    if (strlen(paths->runDir) + 1 + strlen(name) + strlen(".monitor") <= SOCKET_PATH_MAX)
        return NULL;
    /* No '.' in it, so it can never be the NAME.SUFFIX file of another guest; derived from
     * the name alone, so that whoever finds the name finds the directory. */
    digest = g_compute_checksum_for_string(G_CHECKSUM_SHA256, name, -1);
    base = g_strdup_printf("domain-%.16s", digest);
    return g_build_filename(paths->runDir, base, NULL);
}

static char *socketPath(const vkQEMUProcessPaths *paths, const char *name, const char *suffix,
                        const char *inDir)
{
    g_autofree char *dir = vkQEMUDomainSocketDir(paths, name);

    return dir ? g_build_filename(dir, inDir, NULL) : runFile(paths->runDir, name, suffix);
}

char *vkQEMUDomainMonitorPath(const vkQEMUProcessPaths *paths, const char *name)
{
    return socketPath(paths, name, ".monitor", "monitor.sock");
}

char *vkQEMUDomainVNCSocketPath(const vkQEMUProcessPaths *paths, const char *name)
{
    return socketPath(paths, name, ".vnc", "vnc.sock");
}

char *vkQEMUDomainEventsPath(const vkQEMUProcessPaths *paths, const char *name)
{
    return socketPath(paths, name, ".events", "events.sock");
}

char *vkQEMUDomainChannelDir(const vkQEMUProcessPaths *paths, const char *name)
{
    return socketPath(paths, name, ".channel", "channel");
}

char *vkQEMUDomainPidPath(const vkQEMUProcessPaths *paths, const char *name)
{
    return runFile(paths->runDir, name, ".pid");
}

char *vkQEMUDomainReasonPath(const vkQEMUProcessPaths *paths, const char *name)
{
    return runFile(paths->runDir, name, ".reason");
}

char *vkQEMUDomainLogPath(const vkQEMUProcessPaths *paths, const char *name)
{
    return runFile(paths->logDir, name, ".log");
}

/* ---- states and reasons ---- */

#define STATE_COUNT (VIR_DOMAIN_PMSUSPENDED + 1)

static const char *const stateNames[STATE_COUNT] = {
    "nostate", "running", "blocked", "paused", "shutdown", "shutoff", "crashed", "pmsuspended",
};

static const char *const unknownReasons[] = { "unknown", NULL };
static const char *const runningReasons[] = {
    "unknown",
    "booted",
    "migrated",
    "restored",
    "from snapshot",
    "unpaused",
    "migration canceled",
    "save canceled",
    "wakeup",
    "crashed",
    "post-copy",
    "post-copy failed",
    NULL,
};
static const char *const pausedReasons[] = {
    "unknown",   "user",
    "migration", "save",
    "dump",      "ioerror",
    "watchdog",  "from snapshot",
    "shutdown",  "snapshot",
    "panicked",  "starting up",
    "post-copy", "post-copy failed",
    NULL,
};
static const char *const shutdownReasons[] = { "unknown", "user", NULL };
static const char *const shutoffReasons[] = {
    "unknown", "shutdown", "destroyed",     "crashed", "migrated",
    "saved",   "failed",   "from snapshot", "daemon",  NULL,
};
static const char *const crashedReasons[] = { "unknown", "panicked", NULL };

static const char *const *const reasonTables[STATE_COUNT] = {
    [VIR_DOMAIN_NOSTATE] = unknownReasons,   [VIR_DOMAIN_RUNNING] = runningReasons,
    [VIR_DOMAIN_BLOCKED] = unknownReasons,   [VIR_DOMAIN_PAUSED] = pausedReasons,
    [VIR_DOMAIN_SHUTDOWN] = shutdownReasons, [VIR_DOMAIN_SHUTOFF] = shutoffReasons,
    [VIR_DOMAIN_CRASHED] = crashedReasons,   [VIR_DOMAIN_PMSUSPENDED] = unknownReasons,
};

const char *vkQEMUDomainStateToString(int state)
{
    return vkEnumToString(stateNames, STATE_COUNT, state);
}

int vkQEMUDomainStateFromString(const char *str)
{
    return vkEnumFromString(stateNames, STATE_COUNT, str);
}

const char *vkQEMUDomainStateReasonToString(int state, int reason)
{
    const char *const *table;

    if (state < 0 || state >= STATE_COUNT || reason < 0)
        return NULL;
    table = reasonTables[state];
    for (int i = 0; table[i]; i++) {
        if (i == reason)
            return table[i];
    }
    return NULL;
}

int vkQEMUDomainStateReasonFromString(int state, const char *str)
{
    const char *const *table;

    if (state < 0 || state >= STATE_COUNT)
        return -1;
    table = reasonTables[state];
    for (int i = 0; table[i]; i++) {
        if (g_str_equal(table[i], str))
            return i;
    }
    return -1;
}

/* ---- the status document ---- */

void vkQEMUDomainStatusFree(vkQEMUDomainStatus *st)
{
    if (!st)
        return;
    g_free(st->monitorPath);
    for (size_t i = 0; i < st->ntaps; i++) {
        g_free(st->taps[i].name);
        g_free(st->taps[i].bridge);
    }
    g_free(st->taps);
    g_free(st->emulator);
    g_free(st->accel);
    vkDomainDefFree(st->def);
    g_free(st);
}

vkQEMUDomainStatus *vkQEMUDomainStatusCopy(const vkQEMUDomainStatus *st)
{
    vkQEMUDomainStatus *copy = g_memdup2(st, sizeof(*st));

    copy->monitorPath = g_strdup(st->monitorPath);
    copy->taps = st->ntaps ? g_new0(vkQEMUDomainTap, st->ntaps) : NULL;
    for (size_t i = 0; i < st->ntaps; i++) {
        copy->taps[i].name = g_strdup(st->taps[i].name);
        copy->taps[i].bridge = g_strdup(st->taps[i].bridge);
    }
    copy->emulator = g_strdup(st->emulator);
    copy->accel = g_strdup(st->accel);
    copy->def = st->def ? vkDomainDefCopy(st->def) : NULL;
    return copy;
}

void vkQEMUDomainStatusAddTap(vkQEMUDomainStatus *st, const char *name, const char *bridge)
{
    st->taps = g_renew(vkQEMUDomainTap, st->taps, st->ntaps + 1);
    st->taps[st->ntaps].name = g_strdup(name);
    st->taps[st->ntaps].bridge = g_strdup(bridge);
    st->ntaps++;
}

char *vkQEMUDomainStatusFormat(const vkQEMUDomainStatus *st)
{
    g_autofree char *domain = NULL;
    g_auto(GStrv) lines = NULL;
    vkBuf buf;

    if (!(domain = vkDomainDefFormat(st->def,
                                     VK_DOMAIN_DEF_FORMAT_SECURE | VK_DOMAIN_DEF_FORMAT_STATUS)))
        return NULL;
    vkBufInit(&buf);
    vkBufAddf(&buf, "<domstatus state='%s' reason='%s' pid='%lld' starttime='%llu'>\n",
              vkQEMUDomainStateToString(st->state),
              vkQEMUDomainStateReasonToString(st->state, st->reason), (long long)st->pid,
              st->startTime);
    vkBufAdjustIndent(&buf, 2);
    vkBufEscapef(&buf, "<monitor path='%s' type='unix'/>\n", st->monitorPath);
    if (st->ntaps) {
        vkBufAddf(&buf, "<taps>\n");
        vkBufAdjustIndent(&buf, 2);
        for (size_t i = 0; i < st->ntaps; i++) {
            vkBufEscapef(&buf, "<tap name='%s'", st->taps[i].name);
            if (st->taps[i].bridge)
                vkBufEscapef(&buf, " bridge='%s'", st->taps[i].bridge);
            vkBufAddf(&buf, "/>\n");
        }
        vkBufAdjustIndent(&buf, -2);
        vkBufAddf(&buf, "</taps>\n");
    }
    vkBufEscapef(&buf, "<runtime emulator='%s'", st->emulator);
    vkBufEscapef(&buf, " accel='%s'", st->accel);
    vkBufAddf(&buf, " logOffset='%" G_GINT64_FORMAT "'/>\n", st->logOffset);
    /* The domain document is already escaped; only its indentation changes. */
    lines = g_strsplit(domain, "\n", -1);
    for (char **l = lines; *l; l++) {
        if (**l)
            vkBufAddf(&buf, "%s\n", *l);
    }
    vkBufAdjustIndent(&buf, -2);
    vkBufAddf(&buf, "</domstatus>\n");
    return vkBufFinish(&buf);
}

static int statusError(const char *what)
{
    vkReportError(STATUS_ERR, VIR_ERR_INTERNAL_ERROR, "invalid status file: %s", what);
    return -1;
}

static int parseState(vkQEMUDomainStatus *st, xmlNodePtr root)
{
    g_autofree char *state = vkXMLProp(root, "state");
    g_autofree char *reason = vkXMLProp(root, "reason");
    unsigned long long pid = 0;
    int rc;

    if (!state || (st->state = vkQEMUDomainStateFromString(state)) < 0)
        return statusError("missing or unknown state");
    if (!reason || (st->reason = vkQEMUDomainStateReasonFromString(st->state, reason)) < 0)
        return statusError("missing or unknown reason");
    if ((rc = vkXMLPropULL(root, "pid", 2, G_MAXINT32, &pid, STATUS_ERR)) < 0)
        return -1;
    if (rc == 0)
        return statusError("missing pid");
    if ((rc = vkXMLPropULL(root, "starttime", 1, G_MAXUINT64, &st->startTime, STATUS_ERR)) < 0)
        return -1;
    if (rc == 0)
        return statusError("missing start time");
    st->pid = (pid_t)pid;
    return 0;
}

static int parseTaps(vkQEMUDomainStatus *st, xmlNodePtr taps)
{
    static const char *const attrs[] = { "name", "bridge", NULL };
    static const char *const children[] = { "tap", NULL };

    if (vkXMLCheckChildren(taps, children, STATUS_ERR) < 0)
        return -1;
    for (xmlNodePtr c = taps->children; c; c = c->next) {
        g_autofree char *name = NULL;
        g_autofree char *bridge = NULL;

        if (c->type != XML_ELEMENT_NODE)
            continue;
        if (vkXMLCheckLeaf(c, attrs, STATUS_ERR) < 0)
            return -1;
        if (!(name = vkXMLProp(c, "name")))
            return statusError("a tap without a name");
        bridge = vkXMLProp(c, "bridge");
        vkQEMUDomainStatusAddTap(st, name, bridge);
    }
    return 0;
}

static int parseRuntime(vkQEMUDomainStatus *st, xmlNodePtr node)
{
    static const char *const attrs[] = { "emulator", "accel", "logOffset", NULL };
    unsigned long long offset = 0;

    if (vkXMLCheckLeaf(node, attrs, STATUS_ERR) < 0 ||
        vkXMLPropULL(node, "logOffset", 0, G_MAXINT64, &offset, STATUS_ERR) < 0)
        return -1;
    st->emulator = vkXMLProp(node, "emulator");
    st->accel = vkXMLProp(node, "accel");
    st->logOffset = (gint64)offset;
    if (!st->emulator || !st->accel)
        return statusError("runtime facts lack the emulator or accelerator");
    return 0;
}

static vkQEMUDomainStatus *parseStatus(xmlDocPtr doc, xmlNodePtr root)
{
    static const char *const attrs[] = { "state", "reason", "pid", "starttime", NULL };
    static const char *const children[] = { "monitor", "taps", "runtime", "domain", NULL };
    static const char *const monitorAttrs[] = { "path", "type", NULL };
    g_autoptr(vkQEMUDomainStatus) st = g_new0(vkQEMUDomainStatus, 1);
    xmlNodePtr monitor, taps, runtime, domain;

    if (vkXMLCheckAttrs(root, attrs, STATUS_ERR) < 0 ||
        vkXMLCheckChildren(root, children, STATUS_ERR) < 0 || parseState(st, root) < 0)
        return NULL;
    if (!(monitor = vkXMLChild(root, "monitor")) || !(runtime = vkXMLChild(root, "runtime")) ||
        !(domain = vkXMLChild(root, "domain"))) {
        statusError("<monitor>, <runtime> and <domain> are required");
        return NULL;
    }
    if (vkXMLCheckLeaf(monitor, monitorAttrs, STATUS_ERR) < 0)
        return NULL;
    if (!(st->monitorPath = vkXMLProp(monitor, "path"))) {
        statusError("no monitor path");
        return NULL;
    }
    if ((taps = vkXMLChild(root, "taps")) && parseTaps(st, taps) < 0)
        return NULL;
    if (parseRuntime(st, runtime) < 0)
        return NULL;
    /* The live form: the id, pty paths, tap names and resolved listens are kept. */
    if (!(st->def = vkDomainDefParseNode(doc, domain, VK_DOMAIN_DEF_PARSE_STATUS)))
        return NULL;
    return g_steal_pointer(&st);
}

vkQEMUDomainStatus *vkQEMUDomainStatusParse(const char *xml)
{
    g_autoptr(xmlDoc) doc = NULL;
    xmlNodePtr root;

    if (!(doc = vkXMLParseString(xml, "domain_status", STATUS_ERR)) ||
        !(root = vkXMLRoot(doc, "domstatus", STATUS_ERR)))
        return NULL;
    return parseStatus(doc, root);
}

int vkQEMUDomainStatusWrite(const char *path, const vkQEMUDomainStatus *st)
{
    g_autofree char *xml = vkQEMUDomainStatusFormat(st);

    if (!xml)
        return -1;
    return vkFileWriteRunState(path, xml, -1, 0600);
}

int vkQEMUDomainStatusRead(const char *path, vkQEMUDomainStatus **st)
{
    g_autofree char *xml = NULL;

    *st = NULL;
    if (vkFileReadIfExists(path, &xml, NULL) < 0)
        return -1;
    if (!xml)
        return 0;
    if (!(*st = vkQEMUDomainStatusParse(xml))) {
        virErrorPtr err = virGetLastError();
        g_autofree char *why = g_strdup(err && err->message ? err->message : "unknown error");

        /* Name the file: a damaged status file is something an administrator must find. */
        vkReportError(STATUS_ERR, VIR_ERR_INTERNAL_ERROR, "cannot load status file '%s': %s", path,
                      why);
        return -1;
    }
    return 0;
}

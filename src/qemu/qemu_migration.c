/* Migration between hosts, libvirt's version 3 with parameters: Begin and Perform and Confirm
 * on the source, Prepare and Finish on the destination. Each step is a call of its own from the
 * client, so what lasts between steps is on disk: the destination's incoming qemu has its status
 * file (paused, reason migration) and the source's guest is paused with reason migration once its
 * state has left. Whatever fails after Prepare, the destination's qemu is killed and the source's
 * resumed: there are never two guests running. */
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "qemu/qemu_driver_priv.h"
#include "qemu/qemu_migration_cookie.h"
#include "qemu/qemu_postparse.h"
#include "util/vkportalloc.h"

#define VIR_FROM_THIS VIR_FROM_QEMU

/* The flags we carry out; the others are refused by name. */
#define MIGRATE_FLAGS                                                            \
    (VIR_MIGRATE_LIVE | VIR_MIGRATE_PERSIST_DEST | VIR_MIGRATE_UNDEFINE_SOURCE | \
     VIR_MIGRATE_PAUSED | VIR_MIGRATE_CHANGE_PROTECTION | VIR_MIGRATE_OFFLINE |  \
     VIR_MIGRATE_ABORT_ON_ERROR)

/* How often Perform asks qemu how the transfer goes, and how long Finish waits for the last of
 * the state to be loaded once the source says it sent everything. */
#define POLL_INTERVAL_MS       50
#define FINISH_LOAD_TIMEOUT_MS 60000
#define MONITOR_TIMEOUT_MS     30000

/* qemu's default speed (32 MiB/s) would make every migration crawl; libvirt lifts it too. */
#define UNLIMITED_BANDWIDTH (G_MAXINT64 / 2)

static int checkFlags(const char *func, unsigned int flags)
{
    if (vkCheckFlags(func, VIR_FROM_THIS, flags, MIGRATE_FLAGS) < 0)
        return -1;
    if ((flags & VIR_MIGRATE_OFFLINE) && !(flags & VIR_MIGRATE_PERSIST_DEST)) {
        vkReportError(VIR_FROM_THIS, VIR_ERR_OPERATION_INVALID, "%s",
                      "offline migration must be specified with the persistent flag set");
        return -1;
    }
    return 0;
}

static void bake(const vkQemuMigrationCookie *cookie, char **out, int *outlen)
{
    if (out && outlen)
        vkQemuMigrationCookieBake(cookie, out, outlen);
}

/* ---- Begin (source) ---- */

char *vkQemuMigrationBegin(virDomainPtr dom, const vkMigrateParams *params, char **cookieout,
                           int *cookieoutlen, unsigned int flags)
{
    vkQemuDriverState *state = vkQemuDriverStateOf(dom->conn);
    g_autoptr(vkFileLock) lock = NULL;
    g_autoptr(vkQemuDomainObj) obj = NULL;
    g_autoptr(vkQemuMigrationCookie) cookie = NULL;
    g_autoptr(vkDomainDef) copy = NULL;
    const vkDomainDef *def;

    if (checkFlags("qemuDomainMigrateBegin3Params", flags) < 0 ||
        !(lock = vkQemuDomainLock(state, dom->name)) || !(obj = vkQemuDomainObjByHandle(dom)))
        return NULL;
    if (flags & VIR_MIGRATE_OFFLINE) {
        if (!obj->config) {
            vkReportError(VIR_FROM_THIS, VIR_ERR_OPERATION_INVALID, "%s",
                          "cannot migrate a transient domain offline");
            return NULL;
        }
        def = obj->config;
    } else {
        if (!obj->status) {
            vkReportError(VIR_FROM_THIS, VIR_ERR_OPERATION_INVALID, "%s", "domain is not running");
            return NULL;
        }
        def = obj->status->def;
    }
    if (!(cookie = vkQemuMigrationCookieNew(def)))
        return NULL;
    bake(cookie, cookieout, cookieoutlen);
    /* The XML that travels is the migratable form: a network listen carries no address, and
     * the destination resolves it on its own host. */
    if (params->destXML)
        return g_strdup(params->destXML);
    copy = vkDomainDefCopy(def);
    vkQEMUDomainDefMigratable(copy);
    return vkDomainDefFormat(copy,
                             VK_DOMAIN_DEF_FORMAT_SECURE | VK_DOMAIN_DEF_FORMAT_MIGRATABLE |
                                 (flags & VIR_MIGRATE_OFFLINE ? VK_DOMAIN_DEF_FORMAT_INACTIVE : 0));
}

/* ---- Prepare (destination) ---- */

/* The definition the destination runs (or, offline, keeps): destination_xml, renamed to
 * destination_name; *ORIGNAME (if not NULL) is the name the source knows it by. */
static vkDomainDef *incomingDef(vkQemuDriverState *state, const vkMigrateParams *params,
                                char **origName)
{
    g_autoptr(vkDomainDef) def = NULL;

    if (!params->destXML) {
        vkReportError(VIR_FROM_THIS, VIR_ERR_INVALID_ARG, "%s", "no domain XML passed");
        return NULL;
    }
    if (!(def = vkDomainDefParseString(params->destXML, VK_DOMAIN_DEF_PARSE_INACTIVE)))
        return NULL;
    if (origName)
        *origName = g_strdup(def->name);
    if (params->destName && !g_str_equal(params->destName, def->name)) {
        g_free(def->name);
        def->name = g_strdup(params->destName);
    }
    if (vkQemuDomainDefPrepare(state, def) < 0)
        return NULL;
    return g_steal_pointer(&def);
}

/* The host part of the URI the source connects to. */
static const char *advertisedHost(vkQemuDriverState *state)
{
    const vkQEMUConfig *cfg = vkQemuDriverConfig(state);

    return cfg->migrationHost ? cfg->migrationHost : g_get_host_name();
}

typedef struct {
    const vkMigrateParams *params;
    unsigned int port; /* out */
} vkIncoming;

static char *bracketed(const char *addr)
{
    return strchr(addr, ':') && addr[0] != '[' ? g_strdup_printf("[%s]", addr) : g_strdup(addr);
}

/* Every address: IPv6's, which takes IPv4 too, where the host has IPv6 (as libvirt). */
static const char *anyAddress(void)
{
    int fd = socket(AF_INET6, SOCK_STREAM | SOCK_CLOEXEC, 0);

    if (fd < 0)
        return "0.0.0.0";
    close(fd);
    return "::";
}

/* Picks the port qemu will listen on: free right now on the listen address. The reservation is
 * dropped at once: qemu holds the port from its start, and the allocator sees ports in use. */
static char *allocIncoming(vkQemuDriverState *state, const vkDomainDef *def, void *opaque)
{
    vkIncoming *in = opaque;
    const vkQEMUConfig *cfg = vkQemuDriverConfig(state);
    const char *addr = in->params->listenAddress ? in->params->listenAddress
                       : cfg->migrationAddress   ? cfg->migrationAddress
                                                 : anyAddress();
    g_autoptr(vkPortAllocator) pa = NULL;
    g_autofree char *host = bracketed(addr);

    if (!(pa = vkPortAllocatorNew("migration", state->portDir, cfg->migrationPortMin,
                                  cfg->migrationPortMax, VIR_FROM_THIS)) ||
        vkPortAllocatorAcquire(pa, addr, def->name, &in->port) < 0)
        return NULL;
    vkPortAllocatorRelease(pa, def->name, in->port);
    return g_strdup_printf("tcp:%s:%u", host, in->port);
}

static int prepareOffline(vkQemuDriverState *state, const vkDomainDef *def)
{
    g_autoptr(vkFileLock) driverLock = vkQemuDriverLock(state);

    return driverLock ? vkQemuDomainCheckUnique(state, def, FALSE) : -1;
}

static int prepareLive(vkQemuDriverState *state, const vkDomainDef *def,
                       const vkMigrateParams *params, unsigned int *port)
{
    g_autoptr(vkFileLock) driverLock = NULL;
    g_autoptr(vkFileLock) lock = NULL;
    g_autoptr(vkQemuDomainObj) obj = NULL;
    vkIncoming in = { params, 0 };

    /* The driver lock stays held until the status file claims the name and uuid. */
    if (!(driverLock = vkQemuDriverLock(state)) || !(lock = vkQemuDomainLock(state, def->name)))
        return -1;
    if (vkQemuDomainObjRead(state, def->name, &obj) < 0 ||
        (obj && vkQemuDomainObjRefresh(state, obj, TRUE) < 0) ||
        vkQemuDomainCheckUnique(state, def, TRUE) < 0)
        return -1;
    if (vkQemuDomainStartIncoming(state, def, allocIncoming, &in, NULL) < 0)
        return -1;
    *port = in.port;
    return 0;
}

int vkQemuMigrationPrepare(virConnectPtr dconn, const vkMigrateParams *params, const char *cookiein,
                           int cookieinlen, char **cookieout, int *cookieoutlen, char **uriOut,
                           unsigned int flags)
{
    vkQemuDriverState *state = vkQemuDriverStateOf(dconn);
    g_autoptr(vkDomainDef) def = NULL;
    g_autoptr(vkQemuMigrationCookie) theirs = NULL;
    g_autoptr(vkQemuMigrationCookie) ours = NULL;
    g_autofree char *origName = NULL;
    g_autofree char *host = NULL;
    unsigned int port = 0;

    if (uriOut)
        *uriOut = NULL;
    if (checkFlags("qemuDomainMigratePrepare3Params", flags) < 0 ||
        !(def = incomingDef(state, params, &origName)))
        return -1;
    if (vkQemuMigrationCookieEat(cookiein, cookieinlen, origName, def->uuid, &theirs) < 0 ||
        !(ours = vkQemuMigrationCookieNew(def)))
        return -1;
    if (flags & VIR_MIGRATE_OFFLINE) {
        if (prepareOffline(state, def) < 0)
            return -1;
    } else if (prepareLive(state, def, params, &port) < 0) {
        return -1;
    }
    host = bracketed(advertisedHost(state));
    if (uriOut)
        *uriOut =
            port ? g_strdup_printf("tcp://%s:%u", host, port) : g_strdup_printf("tcp://%s", host);
    bake(ours, cookieout, cookieoutlen);
    return 0;
}

/* ---- Perform (source) ---- */

/* libvirt's tcp://HOST:PORT as qemu's tcp:HOST:PORT. */
static char *qemuURI(const char *uri)
{
    g_autoptr(GUri) parsed = NULL;

    if (!uri) {
        vkReportError(VIR_FROM_THIS, VIR_ERR_INVALID_ARG, "%s", "missing migration URI");
        return NULL;
    }
    if (!(parsed = g_uri_parse(uri, G_URI_FLAGS_NONE, NULL)) ||
        !g_str_equal(g_uri_get_scheme(parsed), "tcp") || !g_uri_get_host(parsed) ||
        g_uri_get_port(parsed) <= 0) {
        vkReportError(VIR_FROM_THIS, VIR_ERR_INVALID_ARG, "unsupported migration URI '%s'", uri);
        return NULL;
    }
    if (strchr(g_uri_get_host(parsed), ':'))
        return g_strdup_printf("tcp:[%s]:%d", g_uri_get_host(parsed), g_uri_get_port(parsed));
    return g_strdup_printf("tcp:%s:%d", g_uri_get_host(parsed), g_uri_get_port(parsed));
}

static int setBandwidth(vkQEMUMonitor *mon, unsigned long long mibps)
{
    g_autoptr(json_object) args = json_object_new_object();
    gint64 bytes = mibps && mibps < (unsigned long long)(UNLIMITED_BANDWIDTH >> 20)
                       ? (gint64)(mibps << 20)
                       : UNLIMITED_BANDWIDTH;

    json_object_object_add(args, "max-bandwidth", json_object_new_int64(bytes));
    return vkQEMUMonitorCommand(mon, "migrate-set-parameters", args, MONITOR_TIMEOUT_MS, NULL,
                                NULL);
}

/* Waits for qemu's outgoing migration to end: 0 once completed, -1 (reported, with qemu's
 * reason) when it failed or was cancelled. */
static int waitCompleted(vkQEMUMonitor *mon)
{
    for (;;) {
        g_autoptr(json_object) ret = NULL;
        const char *status;

        if (vkQEMUMonitorCommand(mon, "query-migrate", NULL, MONITOR_TIMEOUT_MS, &ret, NULL) < 0)
            return -1;
        status = vkQEMUJSONGetString(ret, "status");
        if (g_strcmp0(status, "completed") == 0)
            return 0;
        if (g_strcmp0(status, "failed") == 0 || g_strcmp0(status, "cancelled") == 0) {
            const char *why = vkQEMUJSONGetString(ret, "error-desc");
            vkReportError(VIR_FROM_THIS, VIR_ERR_OPERATION_FAILED, "migration out job: %s",
                          why ? why : status);
            return -1;
        }
        g_usleep(POLL_INTERVAL_MS * 1000);
    }
}

/* Puts the guest back as it was before Perform: running, unless it was paused. */
static void resumeSource(vkQEMUProcess *proc, gboolean wasRunning)
{
    virErrorPtr saved = vkSaveError();
    vkQEMUMonitor *mon = vkQEMUProcessGetMonitor(proc);
    gboolean running = FALSE;

    if (mon) {
        /* a transfer still going would keep the guest's state half sent */
        vkQEMUMonitorCommand(mon, "migrate_cancel", NULL, MONITOR_TIMEOUT_MS, NULL, NULL);
        if (wasRunning && vkQEMUMonitorQueryStatus(mon, &running, NULL) == 0 && !running &&
            vkQEMUMonitorCont(mon) == 0)
            vkQEMUProcessSetState(proc, VIR_DOMAIN_RUNNING, VIR_DOMAIN_RUNNING_MIGRATION_CANCELED);
    }
    vkRestoreError(saved);
}

int vkQemuMigrationPerform(virDomainPtr dom, const char *dconnuri, const vkMigrateParams *params,
                           const char *cookiein, int cookieinlen, char **cookieout,
                           int *cookieoutlen, unsigned int flags)
{
    vkQemuDriverState *state = vkQemuDriverStateOf(dom->conn);
    g_autoptr(vkFileLock) lock = NULL;
    g_autoptr(vkQemuDomainObj) obj = NULL;
    g_autoptr(vkQEMUProcess) proc = NULL;
    g_autoptr(vkQemuMigrationCookie) theirs = NULL;
    g_autoptr(vkQemuMigrationCookie) ours = NULL;
    g_autoptr(json_object) args = NULL;
    g_autofree char *uri = NULL;
    const vkDomainDef *live;
    vkQEMUMonitor *mon;
    gboolean wasRunning;

    if (checkFlags("qemuDomainMigratePerform3Params", flags) < 0)
        return -1;
    if (dconnuri) {
        vkReportError(VIR_FROM_THIS, VIR_ERR_OPERATION_UNSUPPORTED, "%s",
                      "peer-to-peer migration is not supported");
        return -1;
    }
    if (!(lock = vkQemuDomainLock(state, dom->name)) || !(obj = vkQemuDomainObjByHandle(dom)) ||
        !(proc = vkQemuDomainActiveProcess(state, obj, dom)))
        return -1;
    live = vkQEMUProcessGetDef(proc);
    if (vkQemuMigrationCookieEat(cookiein, cookieinlen, live->name, live->uuid, &theirs) < 0 ||
        !(ours = vkQemuMigrationCookieNew(live)) || !(uri = qemuURI(params->uri)))
        return -1;
    if (flags & VIR_MIGRATE_PERSIST_DEST) {
        const vkDomainDef *keep = obj->config ? obj->config : live;

        ours->persistent = params->persistXML
                               ? g_strdup(params->persistXML)
                               : vkDomainDefFormat(keep, VK_DOMAIN_DEF_FORMAT_SECURE |
                                                             VK_DOMAIN_DEF_FORMAT_INACTIVE);
        if (!ours->persistent)
            return -1;
    }
    mon = vkQEMUProcessGetMonitor(proc);
    wasRunning = vkQEMUProcessGetState(proc, NULL) == VIR_DOMAIN_RUNNING;
    args = json_object_new_object();
    json_object_object_add(args, "uri", json_object_new_string(uri));
    if (setBandwidth(mon, params->bandwidth) < 0 ||
        vkQEMUMonitorCommand(mon, "migrate", args, MONITOR_TIMEOUT_MS, NULL, NULL) < 0 ||
        waitCompleted(mon) < 0) {
        resumeSource(proc, wasRunning);
        return -1;
    }
    /* qemu stopped the vCPUs to send the last pages: the guest waits here for Confirm */
    if (vkQEMUProcessSetState(proc, VIR_DOMAIN_PAUSED, VIR_DOMAIN_PAUSED_MIGRATION) < 0) {
        resumeSource(proc, wasRunning);
        return -1;
    }
    bake(ours, cookieout, cookieoutlen);
    return 0;
}

/* ---- Finish (destination) ---- */

/* Keeps the definition the source sent (or persistent_xml) as this host's config of NAME. */
static int persist(vkQemuDriverState *state, const char *xml, const char *name)
{
    g_autoptr(vkDomainDef) def = vkDomainDefParseString(xml, VK_DOMAIN_DEF_PARSE_INACTIVE);
    g_autoptr(vkFileLock) driverLock = NULL;

    if (!def)
        return -1;
    if (!g_str_equal(def->name, name)) {
        g_free(def->name);
        def->name = g_strdup(name);
    }
    if (vkQemuDomainDefPrepare(state, def) < 0 || !(driverLock = vkQemuDriverLock(state)) ||
        vkQemuDomainCheckUnique(state, def, FALSE) < 0)
        return -1;
    return vkQemuDomainConfigSave(state, def);
}

static virDomainPtr finishOffline(virConnectPtr dconn, vkQemuDriverState *state,
                                  const vkDomainDef *def, const vkMigrateParams *params)
{
    if (persist(state, params->persistXML ? params->persistXML : params->destXML, def->name) < 0)
        return NULL;
    return vkDomainNew(dconn, def->name, def->uuid, -1);
}

/* Waits until qemu has loaded all of the incoming state: its status leaves "inmigrate". */
static int waitLoaded(vkQEMUMonitor *mon)
{
    gint64 deadline = g_get_monotonic_time() + (gint64)FINISH_LOAD_TIMEOUT_MS * 1000;

    for (;;) {
        g_autofree char *status = NULL;
        gboolean running;

        if (vkQEMUMonitorQueryStatus(mon, &running, &status) < 0)
            return -1;
        if (g_strcmp0(status, "inmigrate") != 0) {
            if (running || g_str_equal(status, "paused") || g_str_equal(status, "prelaunch"))
                return 0;
            vkReportError(VIR_FROM_THIS, VIR_ERR_OPERATION_FAILED,
                          "incoming migration failed: qemu is %s", status);
            return -1;
        }
        if (g_get_monotonic_time() > deadline) {
            vkReportError(VIR_FROM_THIS, VIR_ERR_OPERATION_TIMEOUT, "%s",
                          "incoming migration did not complete");
            return -1;
        }
        g_usleep(POLL_INTERVAL_MS * 1000);
    }
}

/* The incoming guest is killed: the source keeps the only copy. */
static void killIncoming(vkQemuDriverState *state, vkQemuDomainObj *obj, virDomainPtr dom,
                         vkQEMUProcess *proc)
{
    virErrorPtr saved = vkSaveError();

    if (proc)
        vkQemuDomainStopProcess(state, obj, dom, proc, VIR_DOMAIN_SHUTOFF_FAILED);
    vkRestoreError(saved);
}

/* The incoming guest, its state loaded, keeps the definition it is to keep, then is resumed
 * (or left paused): DOM, or NULL with qemu killed and a definition made here removed again. */
static virDomainPtr finishLive(vkQemuDriverState *state, vkQemuDomainObj *obj, virDomainPtr dom,
                               vkQEMUProcess *proc, const vkDomainDef *def,
                               const vkMigrateParams *params, const char *cookiein, int cookieinlen,
                               unsigned int flags)
{
    g_autoptr(vkQemuMigrationCookie) theirs = NULL;
    gboolean defined = FALSE;
    const char *keep;

    if (vkQemuMigrationCookieEat(cookiein, cookieinlen, def->name, def->uuid, &theirs) < 0 ||
        waitLoaded(vkQEMUProcessGetMonitor(proc)) < 0)
        goto fail;
    keep = params->persistXML ? params->persistXML : theirs ? theirs->persistent : NULL;
    if ((flags & VIR_MIGRATE_PERSIST_DEST) && keep) {
        if (persist(state, keep, def->name) < 0) {
            virErrorPtr err = vkSaveError();
            vkReportError(VIR_FROM_THIS, VIR_ERR_MIGRATE_PERSIST_FAILED,
                          "failed to persist domain: %s", err && err->message ? err->message : "");
            virFreeError(err);
            goto fail;
        }
        defined = !obj->config;
    }
    if (!(flags & VIR_MIGRATE_PAUSED)) {
        if (vkQEMUMonitorCont(vkQEMUProcessGetMonitor(proc)) < 0 ||
            vkQEMUProcessSetState(proc, VIR_DOMAIN_RUNNING, VIR_DOMAIN_RUNNING_MIGRATED) < 0)
            goto fail;
    } else if (vkQEMUProcessSetState(proc, VIR_DOMAIN_PAUSED, VIR_DOMAIN_PAUSED_USER) < 0) {
        goto fail;
    }
    vkDomainSetCachedID(dom, vkQEMUProcessGetDef(proc)->id);
    return dom;

fail:
    killIncoming(state, obj, dom, proc);
    if (defined) {
        virErrorPtr saved = vkSaveError();
        vkQemuDomainConfigDelete(state, def->name);
        vkRestoreError(saved);
    }
    return NULL;
}

virDomainPtr vkQemuMigrationFinish(virConnectPtr dconn, const vkMigrateParams *params,
                                   const char *cookiein, int cookieinlen, char **cookieout,
                                   int *cookieoutlen, unsigned int flags, int cancelled)
{
    vkQemuDriverState *state = vkQemuDriverStateOf(dconn);
    g_autoptr(vkDomainDef) def = NULL;
    g_autoptr(vkFileLock) lock = NULL;
    g_autoptr(vkQemuDomainObj) obj = NULL;
    g_autoptr(vkQEMUProcess) proc = NULL;
    virDomainPtr dom = NULL;
    virDomainPtr ret;

    if (checkFlags("qemuDomainMigrateFinish3Params", flags) < 0 ||
        !(def = incomingDef(state, params, NULL)))
        return NULL;
    if (flags & VIR_MIGRATE_OFFLINE) {
        if (cancelled) {
            vkReportError(VIR_FROM_THIS, VIR_ERR_MIGRATE_FINISH_OK, "%s", "");
            return NULL;
        }
        return finishOffline(dconn, state, def, params);
    }
    if (!(lock = vkQemuDomainLock(state, def->name)) ||
        !(obj = vkQemuDomainObjByName(state, def->name)))
        return NULL;
    dom = vkDomainNew(dconn, def->name, def->uuid, obj->status ? obj->status->def->id : -1);
    if (!(proc = vkQemuDomainActiveProcess(state, obj, dom))) {
        vkDomainUnref(dom);
        return NULL;
    }
    if (cancelled) {
        killIncoming(state, obj, dom, proc);
        vkDomainUnref(dom);
        vkReportError(VIR_FROM_THIS, VIR_ERR_MIGRATE_FINISH_OK, "%s", "");
        return NULL;
    }
    if (!(ret = finishLive(state, obj, dom, proc, def, params, cookiein, cookieinlen, flags))) {
        vkDomainUnref(dom);
        return NULL;
    }
    if (cookieout && cookieoutlen) {
        g_autoptr(vkQemuMigrationCookie) ours = vkQemuMigrationCookieNew(def);
        if (ours)
            bake(ours, cookieout, cookieoutlen);
    }
    return ret;
}

/* ---- Confirm (source) ---- */

int vkQemuMigrationConfirm(virDomainPtr dom, const vkMigrateParams *params, const char *cookiein,
                           int cookieinlen, unsigned int flags, int cancelled)
{
    vkQemuDriverState *state = vkQemuDriverStateOf(dom->conn);
    g_autoptr(vkFileLock) lock = NULL;
    g_autoptr(vkQemuDomainObj) obj = NULL;
    g_autoptr(vkQEMUProcess) proc = NULL;
    int reason;

    if (checkFlags("qemuDomainMigrateConfirm3Params", flags) < 0 ||
        !(lock = vkQemuDomainLock(state, dom->name)) || !(obj = vkQemuDomainObjByHandle(dom)))
        return -1;
    if (flags & VIR_MIGRATE_OFFLINE) {
        if (!cancelled && (flags & VIR_MIGRATE_UNDEFINE_SOURCE) && obj->config)
            return vkQemuDomainConfigDelete(state, dom->name);
        return 0;
    }
    if (!(proc = vkQemuDomainActiveProcess(state, obj, dom)))
        return -1;
    if (cancelled) {
        /* Only a guest that left because of this migration is resumed. */
        if (vkQEMUProcessGetState(proc, &reason) == VIR_DOMAIN_PAUSED &&
            reason == VIR_DOMAIN_PAUSED_MIGRATION && !(flags & VIR_MIGRATE_PAUSED))
            resumeSource(proc, TRUE);
        return 0;
    }
    if (vkQemuDomainStopProcess(state, obj, dom, proc, VIR_DOMAIN_SHUTOFF_MIGRATED) < 0)
        return -1;
    if ((flags & VIR_MIGRATE_UNDEFINE_SOURCE) && obj->config)
        return vkQemuDomainConfigDelete(state, dom->name);
    return 0;
}

/* virtkit shell: waiting for events (event, net-event, pool-event), with virsh's options, messages
 * and output. The command runs the library's default event loop itself until it is done, times out
 * or is interrupted with Ctrl-C. */
#include <errno.h>
#include <glib-unix.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>

#include "virtkit-storage.h"
#include "virtkit.h"

/* ---- waiting ---- */

typedef enum {
    VSH_WAIT_RUNNING,
    VSH_WAIT_DONE,
    VSH_WAIT_TIMEOUT,
    VSH_WAIT_INTERRUPT,
} vshWaitState;

/* What every callback of one command shares. */
typedef struct {
    vshShell *sh;
    bool loop;
    bool timestamp;
    int count;
    vshWaitState state;
} vshEventWait;

static void vshWaitTimeout(int timer, void *opaque)
{
    ((vshEventWait *)opaque)->state = VSH_WAIT_TIMEOUT;
}

static gboolean vshWaitInterrupt(gpointer opaque)
{
    ((vshEventWait *)opaque)->state = VSH_WAIT_INTERRUPT;
    return G_SOURCE_CONTINUE;
}

/* Runs the loop until an event ends a one-shot wait, TIMEOUTMS pass (0: no limit) or SIGINT. */
static void vshWaitRun(vshEventWait *wait, int timeoutMs)
{
    int timer = -1;
    guint sigint = g_unix_signal_add(SIGINT, vshWaitInterrupt, wait);

    if (timeoutMs > 0)
        timer = virEventAddTimeout(timeoutMs, vshWaitTimeout, wait, NULL);
    while (wait->state == VSH_WAIT_RUNNING)
        virEventRunDefaultImpl();
    if (timer >= 0)
        virEventRemoveTimeout(timer);
    g_source_remove(sigint);
}

static void vshWaitReport(vshShell *sh, const vshEventWait *wait)
{
    if (wait->state == VSH_WAIT_INTERRUPT)
        vshPrint(sh, "event loop interrupted\n");
    else if (wait->state == VSH_WAIT_TIMEOUT)
        vshPrint(sh, "event loop timed out\n");
    vshPrint(sh, "events received: %d\n", wait->count);
}

/* Prints one event, as virsh does: the first only, unless looping. */
static void vshWaitPrint(vshEventWait *wait, const char *msg)
{
    if (!wait->loop && wait->count)
        return;
    if (wait->timestamp) {
        g_autoptr(GDateTime) now = g_date_time_new_now_utc();
        g_autofree char *stamp = g_date_time_format(now, "%Y-%m-%d %H:%M:%S");

        vshPrint(wait->sh, "%s.%03d+0000: %s", stamp, g_date_time_get_microsecond(now) / 1000, msg);
    } else {
        vshPrint(wait->sh, "%s", msg);
    }
    wait->count++;
    if (!wait->loop)
        wait->state = VSH_WAIT_DONE;
}

/* virsh's --timeout: whole seconds, more than zero. 0 when absent, -1 reported. */
static int vshOptTimeoutMs(vshShell *sh, const vshCmd *cmd, int *ms)
{
    const char *str = NULL;
    char *end = NULL;
    unsigned long long val;

    *ms = 0;
    if (vshOptString(sh, cmd, "timeout", &str) < 0)
        return -1;
    if (!str)
        return 0;
    errno = 0;
    val = g_ascii_strtoull(str, &end, 10);
    if (*str == '-' || !*str || *end || errno || val == 0 || val > G_MAXINT / 1000) {
        vshError(sh, "Numeric value '%s' for <%s> option is malformed or out of range", str,
                 "timeout");
        return -1;
    }
    *ms = (int)val * 1000;
    return 0;
}

/* ---- event: domain events ---- */

static const char *const vshDomainEventNames[] = {
    "Defined", "Undefined", "Started",     "Suspended", "Resumed",
    "Stopped", "Shutdown",  "PMSuspended", "Crashed",
};

static const char *const *const vshDomainEventDetails[] = {
    (const char *const[]){ "Added", "Updated", "Renamed", "Snapshot", NULL },
    (const char *const[]){ "Removed", "Renamed", NULL },
    (const char *const[]){ "Booted", "Migrated", "Restored", "Snapshot", "Event wakeup", NULL },
    (const char *const[]){ "Paused", "Migrated", "I/O Error", "Watchdog", "Restored", "Snapshot",
                           "API error", "Post-copy", "Post-copy Error", NULL },
    (const char *const[]){ "Unpaused", "Migrated", "Snapshot", "Post-copy", "Post-copy Error",
                           NULL },
    (const char *const[]){ "Shutdown", "Destroyed", "Crashed", "Migrated", "Saved", "Failed",
                           "Snapshot", NULL },
    (const char *const[]){ "Finished", "Finished after guest request",
                           "Finished after host request", NULL },
    (const char *const[]){ "Memory", "Disk", NULL },
    (const char *const[]){ "Panicked", "Crashloaded", NULL },
};

static const char *vshDomainEventDetail(int event, int detail)
{
    const char *const *names;

    if (event < 0 || event >= (int)G_N_ELEMENTS(vshDomainEventDetails) || detail < 0)
        return "unknown";
    names = vshDomainEventDetails[event];
    for (int i = 0; names[i]; i++) {
        if (i == detail)
            return names[i];
    }
    return "unknown";
}

/* One per event id of libvirt 9.0, in id order, as virsh lists them. */
static const char *const vshDomainEventIDs[] = {
    "lifecycle",
    "reboot",
    "rtc-change",
    "watchdog",
    "io-error",
    "graphics",
    "io-error-reason",
    "control-error",
    "block-job",
    "disk-change",
    "tray-change",
    "pm-wakeup",
    "pm-suspend",
    "balloon-change",
    "pm-suspend-disk",
    "device-removed",
    "block-job-2",
    "tunable",
    "agent-lifecycle",
    "device-added",
    "migration-iteration",
    "job-completed",
    "device-removal-failed",
    "metadata-change",
    "block-threshold",
    "memory-failure",
    "memory-device-size-change",
};

typedef struct {
    vshEventWait *wait;
    int eventID;
    int callbackID;
} vshDomainEventReg;

static int vshPrintLifecycle(virConnectPtr conn, virDomainPtr dom, int event, int detail,
                             void *opaque)
{
    vshDomainEventReg *reg = opaque;
    const char *name = event >= 0 && event < (int)G_N_ELEMENTS(vshDomainEventNames)
                           ? vshDomainEventNames[event]
                           : "unknown";
    g_autofree char *msg =
        g_strdup_printf("event 'lifecycle' for domain '%s': %s %s\n", virDomainGetName(dom), name,
                        vshDomainEventDetail(event, detail));

    vshWaitPrint(reg->wait, msg);
    return 0;
}

/* The other ids: no driver of ours emits them, but a registration for --all is still made, as
 * virsh makes it. Their details would come in arguments this printer ignores. */
static void vshPrintGeneric(virConnectPtr conn, virDomainPtr dom, void *opaque)
{
    vshDomainEventReg *reg = opaque;
    g_autofree char *msg = g_strdup_printf("event '%s' for domain '%s'\n",
                                           vshDomainEventIDs[reg->eventID], virDomainGetName(dom));

    vshWaitPrint(reg->wait, msg);
}

static const vshOptDef vshOptsEvent[] = {
    { "domain", VSH_OT_STRING, 0, "filter by domain name, id or uuid" },
    { "event", VSH_OT_STRING, 0, "which event type to wait for" },
    { "all", VSH_OT_BOOL, 0, "wait for all events instead of just one type" },
    { "loop", VSH_OT_BOOL, 0, "loop until timeout or interrupt, rather than one-shot" },
    { "timeout", VSH_OT_INT, 0, "timeout seconds" },
    { "list", VSH_OT_BOOL, 0, "list valid event types" },
    { "timestamp", VSH_OT_BOOL, 0, "show timestamp for each printed event" },
    { NULL },
};

static bool vshCmdEvent(vshShell *sh, const vshCmd *cmd)
{
    g_autoptr(vshDomainRef) dom = NULL;
    vshDomainEventReg regs[G_N_ELEMENTS(vshDomainEventIDs)];
    vshEventWait wait = { .sh = sh };
    const char *eventName = NULL;
    bool all = vshOptBool(cmd, "all");
    size_t nregs = 0;
    bool ok = true;
    int timeoutMs;

    if (!vshOptExclusive(sh, cmd, "all", "event") || !vshOptExclusive(sh, cmd, "list", "all") ||
        !vshOptExclusive(sh, cmd, "list", "event"))
        return false;
    if (vshOptBool(cmd, "list")) {
        for (size_t i = 0; i < G_N_ELEMENTS(vshDomainEventIDs); i++)
            vshPrint(sh, "%s\n", vshDomainEventIDs[i]);
        return true;
    }
    if (vshOptString(sh, cmd, "event", &eventName) < 0)
        return false;
    if (!eventName && !all) {
        vshError(sh, "%s", "one of --list, --all, or --event <type> is required");
        return false;
    }
    for (size_t i = 0; i < G_N_ELEMENTS(vshDomainEventIDs); i++) {
        if (eventName && strcmp(eventName, vshDomainEventIDs[i]) != 0)
            continue;
        regs[nregs++] = (vshDomainEventReg){ .wait = &wait, .eventID = (int)i, .callbackID = -1 };
    }
    if (nregs == 0) {
        vshError(sh, "unknown event type %s", eventName);
        return false;
    }
    if (vshOptTimeoutMs(sh, cmd, &timeoutMs) < 0)
        return false;
    if (vshOptBool(cmd, "domain") &&
        !(dom = vshLookupDomain(sh, cmd, NULL, VSH_BYID | VSH_BYUUID | VSH_BYNAME)))
        return false;

    wait.loop = vshOptBool(cmd, "loop");
    wait.timestamp = vshOptBool(cmd, "timestamp");
    virEventRegisterDefaultImpl();
    for (size_t i = 0; i < nregs; i++) {
        virConnectDomainEventGenericCallback cb = regs[i].eventID == VIR_DOMAIN_EVENT_ID_LIFECYCLE
                                                      ? VIR_DOMAIN_EVENT_CALLBACK(vshPrintLifecycle)
                                                      : vshPrintGeneric;

        regs[i].callbackID = virConnectDomainEventRegisterAny(vshShellConn(sh), dom,
                                                              regs[i].eventID, cb, &regs[i], NULL);
        if (regs[i].callbackID >= 0)
            continue;
        /* As virsh: with the first registration made, a later one that fails is taken for an
         * event the other side does not know. */
        if (i == 0)
            return false;
        vshResetLibError(sh);
    }
    vshWaitRun(&wait, timeoutMs);
    vshWaitReport(sh, &wait);
    for (size_t i = 0; i < nregs; i++) {
        if (regs[i].callbackID >= 0 &&
            virConnectDomainEventDeregisterAny(vshShellConn(sh), regs[i].callbackID) < 0)
            ok = false;
    }
    return ok && wait.count > 0;
}

/* ---- net-event: network events ---- */

static const char *const vshNetworkEventNames[] = { "Defined", "Undefined", "Started", "Stopped" };

static void vshPrintNetLifecycle(virConnectPtr conn, virNetworkPtr net, int event, int detail,
                                 void *opaque)
{
    const char *name = event >= 0 && event < (int)G_N_ELEMENTS(vshNetworkEventNames)
                           ? vshNetworkEventNames[event]
                           : "unknown";
    g_autofree char *msg =
        g_strdup_printf("event 'lifecycle' for network %s: %s\n", virNetworkGetName(net), name);

    vshWaitPrint(opaque, msg);
}

const vshOptDef vshOptsNetEvent[] = {
    { "network", VSH_OT_STRING, 0, "filter by network name or uuid" },
    { "event", VSH_OT_STRING, 0, "which event type to wait for" },
    { "loop", VSH_OT_BOOL, 0, "loop until timeout or interrupt, rather than one-shot" },
    { "timeout", VSH_OT_INT, 0, "timeout seconds" },
    { "list", VSH_OT_BOOL, 0, "list valid event types" },
    { "timestamp", VSH_OT_BOOL, 0, "show timestamp for each printed event" },
    { NULL },
};

bool vshCmdNetEvent(vshShell *sh, const vshCmd *cmd)
{
    g_autoptr(vshNetworkRef) net = NULL;
    vshEventWait wait = { .sh = sh };
    const char *eventName = NULL;
    int timeoutMs;
    int id;
    bool ok = true;

    if (vshOptBool(cmd, "list")) {
        vshPrint(sh, "lifecycle\n");
        return true;
    }
    if (vshOptString(sh, cmd, "event", &eventName) < 0)
        return false;
    if (!eventName) {
        vshError(sh, "%s", "either --list or --event <type> is required");
        return false;
    }
    if (strcmp(eventName, "lifecycle") != 0) {
        vshError(sh, "unknown event type %s", eventName);
        return false;
    }
    wait.loop = vshOptBool(cmd, "loop");
    wait.timestamp = vshOptBool(cmd, "timestamp");
    if (vshOptTimeoutMs(sh, cmd, &timeoutMs) < 0)
        return false;
    /* virsh reports a network it cannot find, then waits for the events of all networks. */
    if (vshOptBool(cmd, "network"))
        net = vshLookupNetwork(sh, cmd, NULL, VSH_BYUUID | VSH_BYNAME);

    virEventRegisterDefaultImpl();
    id = virConnectNetworkEventRegisterAny(vshShellConn(sh), net, VIR_NETWORK_EVENT_ID_LIFECYCLE,
                                           VIR_NETWORK_EVENT_CALLBACK(vshPrintNetLifecycle), &wait,
                                           NULL);
    if (id < 0)
        return false;
    vshWaitRun(&wait, timeoutMs);
    vshWaitReport(sh, &wait);
    if (virConnectNetworkEventDeregisterAny(vshShellConn(sh), id) < 0)
        ok = false;
    return ok && wait.count > 0;
}

/* ---- pool-event: storage pool events ---- */

static const char *const vshPoolEventNames[] = { "Defined", "Undefined", "Started",
                                                 "Stopped", "Created",   "Deleted" };

static void vshPrintPoolLifecycle(virConnectPtr conn, virStoragePoolPtr pool, int event, int detail,
                                  void *opaque)
{
    const char *name = event >= 0 && event < (int)G_N_ELEMENTS(vshPoolEventNames)
                           ? vshPoolEventNames[event]
                           : "unknown";
    g_autofree char *msg = g_strdup_printf("event 'lifecycle' for storage pool %s: %s\n",
                                           virStoragePoolGetName(pool), name);

    vshWaitPrint(opaque, msg);
}

static void vshPrintPoolRefresh(virConnectPtr conn, virStoragePoolPtr pool, void *opaque)
{
    g_autofree char *msg =
        g_strdup_printf("event 'refresh' for storage pool %s\n", virStoragePoolGetName(pool));

    vshWaitPrint(opaque, msg);
}

/* virsh's event names, by id. */
static const struct {
    const char *name;
    virConnectStoragePoolEventGenericCallback cb;
} vshPoolEvents[] = {
    { "lifecycle", VIR_STORAGE_POOL_EVENT_CALLBACK(vshPrintPoolLifecycle) },
    { "refresh", vshPrintPoolRefresh },
};

const vshOptDef vshOptsPoolEvent[] = {
    { "pool", VSH_OT_STRING, 0, "filter by storage pool name or uuid" },
    { "event", VSH_OT_STRING, 0, "which event type to wait for" },
    { "loop", VSH_OT_BOOL, 0, "loop until timeout or interrupt, rather than one-shot" },
    { "timeout", VSH_OT_INT, 0, "timeout seconds" },
    { "list", VSH_OT_BOOL, 0, "list valid event types" },
    { "timestamp", VSH_OT_BOOL, 0, "show timestamp for each printed event" },
    { NULL },
};

bool vshCmdPoolEvent(vshShell *sh, const vshCmd *cmd)
{
    g_autoptr(vshPoolRef) pool = NULL;
    vshEventWait wait = { .sh = sh };
    const char *eventName = NULL;
    int timeoutMs;
    int event;
    int id;
    bool ok = true;

    if (vshOptBool(cmd, "list")) {
        for (size_t i = 0; i < G_N_ELEMENTS(vshPoolEvents); i++)
            vshPrint(sh, "%s\n", vshPoolEvents[i].name);
        return true;
    }
    if (vshOptString(sh, cmd, "event", &eventName) < 0)
        return false;
    if (!eventName) {
        vshError(sh, "%s", "either --list or --event <type> is required");
        return false;
    }
    for (event = 0; event < (int)G_N_ELEMENTS(vshPoolEvents); event++) {
        if (strcmp(eventName, vshPoolEvents[event].name) == 0)
            break;
    }
    if (event == (int)G_N_ELEMENTS(vshPoolEvents)) {
        vshError(sh, "unknown event type %s", eventName);
        return false;
    }
    wait.loop = vshOptBool(cmd, "loop");
    wait.timestamp = vshOptBool(cmd, "timestamp");
    if (vshOptTimeoutMs(sh, cmd, &timeoutMs) < 0)
        return false;
    /* virsh reports a pool it cannot find, then waits for the events of all pools. */
    if (vshOptBool(cmd, "pool"))
        pool = vshLookupPool(sh, cmd, "pool", NULL);

    virEventRegisterDefaultImpl();
    id = virConnectStoragePoolEventRegisterAny(vshShellConn(sh), pool, event,
                                               vshPoolEvents[event].cb, &wait, NULL);
    if (id < 0)
        return false;
    vshWaitRun(&wait, timeoutMs);
    vshWaitReport(sh, &wait);
    if (virConnectStoragePoolEventDeregisterAny(vshShellConn(sh), id) < 0)
        ok = false;
    return ok && wait.count > 0;
}

const vshCmdDef vshEventCmds[] = {
    { "event", vshCmdEvent, vshOptsEvent, "Domain Events",
      "List event types, or wait for domain events to occur", 0 },
    { NULL },
};

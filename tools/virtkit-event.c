/* virtkit shell: waiting for events (event, net-event), with virsh's options, messages and
 * output. The command runs the library's default event loop itself until it is done, times
 * out or is interrupted with Ctrl-C. */
#include <errno.h>
#include <glib-unix.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>

#include "virtkit.h"

/* ---- waiting ---- */

typedef enum {
    VK_WAIT_RUNNING,
    VK_WAIT_DONE,
    VK_WAIT_TIMEOUT,
    VK_WAIT_INTERRUPT,
} vkWaitState;

/* What every callback of one command shares. */
typedef struct {
    vkShell *sh;
    bool loop;
    bool timestamp;
    int count;
    vkWaitState state;
} vkEventWait;

static void vkWaitTimeout(int timer, void *opaque)
{
    ((vkEventWait *)opaque)->state = VK_WAIT_TIMEOUT;
}

static gboolean vkWaitInterrupt(gpointer opaque)
{
    ((vkEventWait *)opaque)->state = VK_WAIT_INTERRUPT;
    return G_SOURCE_CONTINUE;
}

/* Runs the loop until an event ends a one-shot wait, TIMEOUTMS pass (0: no limit) or SIGINT. */
static void vkWaitRun(vkEventWait *wait, int timeoutMs)
{
    int timer = -1;
    guint sigint = g_unix_signal_add(SIGINT, vkWaitInterrupt, wait);

    if (timeoutMs > 0)
        timer = virEventAddTimeout(timeoutMs, vkWaitTimeout, wait, NULL);
    while (wait->state == VK_WAIT_RUNNING)
        virEventRunDefaultImpl();
    if (timer >= 0)
        virEventRemoveTimeout(timer);
    g_source_remove(sigint);
}

static void vkWaitReport(vkShell *sh, const vkEventWait *wait)
{
    if (wait->state == VK_WAIT_INTERRUPT)
        vkPrint(sh, "event loop interrupted\n");
    else if (wait->state == VK_WAIT_TIMEOUT)
        vkPrint(sh, "event loop timed out\n");
    vkPrint(sh, "events received: %d\n", wait->count);
}

/* Prints one event, as virsh does: the first only, unless looping. */
static void vkWaitPrint(vkEventWait *wait, const char *msg)
{
    if (!wait->loop && wait->count)
        return;
    if (wait->timestamp) {
        g_autoptr(GDateTime) now = g_date_time_new_now_utc();
        g_autofree char *stamp = g_date_time_format(now, "%Y-%m-%d %H:%M:%S");

        vkPrint(wait->sh, "%s.%03d+0000: %s", stamp, g_date_time_get_microsecond(now) / 1000, msg);
    } else {
        vkPrint(wait->sh, "%s", msg);
    }
    wait->count++;
    if (!wait->loop)
        wait->state = VK_WAIT_DONE;
}

/* virsh's --timeout: whole seconds, more than zero. 0 when absent, -1 reported. */
static int vkOptTimeoutMs(vkShell *sh, const vkCmd *cmd, int *ms)
{
    const char *str = NULL;
    char *end = NULL;
    unsigned long long val;

    *ms = 0;
    if (vkOptString(sh, cmd, "timeout", &str) < 0)
        return -1;
    if (!str)
        return 0;
    errno = 0;
    val = g_ascii_strtoull(str, &end, 10);
    if (*str == '-' || !*str || *end || errno || val == 0 || val > G_MAXINT / 1000) {
        vkError(sh, "Numeric value '%s' for <%s> option is malformed or out of range", str,
                "timeout");
        return -1;
    }
    *ms = (int)val * 1000;
    return 0;
}

/* ---- event: domain events ---- */

static const char *const vkDomainEventNames[] = {
    "Defined", "Undefined", "Started",     "Suspended", "Resumed",
    "Stopped", "Shutdown",  "PMSuspended", "Crashed",
};

static const char *const *const vkDomainEventDetails[] = {
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

static const char *vkDomainEventDetail(int event, int detail)
{
    const char *const *names;

    if (event < 0 || event >= (int)G_N_ELEMENTS(vkDomainEventDetails) || detail < 0)
        return "unknown";
    names = vkDomainEventDetails[event];
    for (int i = 0; names[i]; i++) {
        if (i == detail)
            return names[i];
    }
    return "unknown";
}

/* One per event id of libvirt 9.0, in id order, as virsh lists them. */
static const char *const vkDomainEventIDs[] = {
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
    vkEventWait *wait;
    int eventID;
    int callbackID;
} vkDomainEventReg;

static int vkPrintLifecycle(virConnectPtr conn, virDomainPtr dom, int event, int detail,
                            void *opaque)
{
    vkDomainEventReg *reg = opaque;
    const char *name = event >= 0 && event < (int)G_N_ELEMENTS(vkDomainEventNames)
                           ? vkDomainEventNames[event]
                           : "unknown";
    g_autofree char *msg =
        g_strdup_printf("event 'lifecycle' for domain '%s': %s %s\n", virDomainGetName(dom), name,
                        vkDomainEventDetail(event, detail));

    vkWaitPrint(reg->wait, msg);
    return 0;
}

/* The other ids: no driver of ours emits them, but a registration for --all is still made, as
 * virsh makes it. Their details would come in arguments this printer ignores. */
static void vkPrintGeneric(virConnectPtr conn, virDomainPtr dom, void *opaque)
{
    vkDomainEventReg *reg = opaque;
    g_autofree char *msg = g_strdup_printf("event '%s' for domain '%s'\n",
                                           vkDomainEventIDs[reg->eventID], virDomainGetName(dom));

    vkWaitPrint(reg->wait, msg);
}

static const vkOptDef vkOptsEvent[] = {
    { "domain", VK_OT_STRING, 0, "filter by domain name, id or uuid" },
    { "event", VK_OT_STRING, 0, "which event type to wait for" },
    { "all", VK_OT_BOOL, 0, "wait for all events instead of just one type" },
    { "loop", VK_OT_BOOL, 0, "loop until timeout or interrupt, rather than one-shot" },
    { "timeout", VK_OT_INT, 0, "timeout seconds" },
    { "list", VK_OT_BOOL, 0, "list valid event types" },
    { "timestamp", VK_OT_BOOL, 0, "show timestamp for each printed event" },
    { NULL },
};

static bool vkCmdEvent(vkShell *sh, const vkCmd *cmd)
{
    g_autoptr(vkDomainRef) dom = NULL;
    vkDomainEventReg regs[G_N_ELEMENTS(vkDomainEventIDs)];
    vkEventWait wait = { .sh = sh };
    const char *eventName = NULL;
    bool all = vkOptBool(cmd, "all");
    size_t nregs = 0;
    bool ok = true;
    int timeoutMs;

    if (!vkOptExclusive(sh, cmd, "all", "event") || !vkOptExclusive(sh, cmd, "list", "all") ||
        !vkOptExclusive(sh, cmd, "list", "event"))
        return false;
    if (vkOptBool(cmd, "list")) {
        for (size_t i = 0; i < G_N_ELEMENTS(vkDomainEventIDs); i++)
            vkPrint(sh, "%s\n", vkDomainEventIDs[i]);
        return true;
    }
    if (vkOptString(sh, cmd, "event", &eventName) < 0)
        return false;
    if (!eventName && !all) {
        vkError(sh, "%s", "one of --list, --all, or --event <type> is required");
        return false;
    }
    for (size_t i = 0; i < G_N_ELEMENTS(vkDomainEventIDs); i++) {
        if (eventName && strcmp(eventName, vkDomainEventIDs[i]) != 0)
            continue;
        regs[nregs++] = (vkDomainEventReg){ .wait = &wait, .eventID = (int)i, .callbackID = -1 };
    }
    if (nregs == 0) {
        vkError(sh, "unknown event type %s", eventName);
        return false;
    }
    if (vkOptTimeoutMs(sh, cmd, &timeoutMs) < 0)
        return false;
    if (vkOptBool(cmd, "domain") &&
        !(dom = vkLookupDomain(sh, cmd, NULL, VK_BYID | VK_BYUUID | VK_BYNAME)))
        return false;

    wait.loop = vkOptBool(cmd, "loop");
    wait.timestamp = vkOptBool(cmd, "timestamp");
    virEventRegisterDefaultImpl();
    for (size_t i = 0; i < nregs; i++) {
        virConnectDomainEventGenericCallback cb = regs[i].eventID == VIR_DOMAIN_EVENT_ID_LIFECYCLE
                                                      ? VIR_DOMAIN_EVENT_CALLBACK(vkPrintLifecycle)
                                                      : vkPrintGeneric;

        regs[i].callbackID = virConnectDomainEventRegisterAny(vkShellConn(sh), dom, regs[i].eventID,
                                                              cb, &regs[i], NULL);
        if (regs[i].callbackID >= 0)
            continue;
        /* As virsh: with the first registration made, a later one that fails is taken for an
         * event the other side does not know. */
        if (i == 0)
            return false;
        vkResetLibError(sh);
    }
    vkWaitRun(&wait, timeoutMs);
    vkWaitReport(sh, &wait);
    for (size_t i = 0; i < nregs; i++) {
        if (regs[i].callbackID >= 0 &&
            virConnectDomainEventDeregisterAny(vkShellConn(sh), regs[i].callbackID) < 0)
            ok = false;
    }
    return ok && wait.count > 0;
}

/* ---- net-event: network events ---- */

static const char *const vkNetworkEventNames[] = { "Defined", "Undefined", "Started", "Stopped" };

static void vkPrintNetLifecycle(virConnectPtr conn, virNetworkPtr net, int event, int detail,
                                void *opaque)
{
    const char *name = event >= 0 && event < (int)G_N_ELEMENTS(vkNetworkEventNames)
                           ? vkNetworkEventNames[event]
                           : "unknown";
    g_autofree char *msg =
        g_strdup_printf("event 'lifecycle' for network %s: %s\n", virNetworkGetName(net), name);

    vkWaitPrint(opaque, msg);
}

const vkOptDef vkOptsNetEvent[] = {
    { "network", VK_OT_STRING, 0, "filter by network name or uuid" },
    { "event", VK_OT_STRING, 0, "which event type to wait for" },
    { "loop", VK_OT_BOOL, 0, "loop until timeout or interrupt, rather than one-shot" },
    { "timeout", VK_OT_INT, 0, "timeout seconds" },
    { "list", VK_OT_BOOL, 0, "list valid event types" },
    { "timestamp", VK_OT_BOOL, 0, "show timestamp for each printed event" },
    { NULL },
};

bool vkCmdNetEvent(vkShell *sh, const vkCmd *cmd)
{
    g_autoptr(vkNetworkRef) net = NULL;
    vkEventWait wait = { .sh = sh };
    const char *eventName = NULL;
    int timeoutMs;
    int id;
    bool ok = true;

    if (vkOptBool(cmd, "list")) {
        vkPrint(sh, "lifecycle\n");
        return true;
    }
    if (vkOptString(sh, cmd, "event", &eventName) < 0)
        return false;
    if (!eventName) {
        vkError(sh, "%s", "either --list or --event <type> is required");
        return false;
    }
    if (strcmp(eventName, "lifecycle") != 0) {
        vkError(sh, "unknown event type %s", eventName);
        return false;
    }
    wait.loop = vkOptBool(cmd, "loop");
    wait.timestamp = vkOptBool(cmd, "timestamp");
    if (vkOptTimeoutMs(sh, cmd, &timeoutMs) < 0)
        return false;
    /* virsh reports a network it cannot find, then waits for the events of all networks. */
    if (vkOptBool(cmd, "network"))
        net = vkLookupNetwork(sh, cmd, NULL, VK_BYUUID | VK_BYNAME);

    virEventRegisterDefaultImpl();
    id = virConnectNetworkEventRegisterAny(vkShellConn(sh), net, VIR_NETWORK_EVENT_ID_LIFECYCLE,
                                           VIR_NETWORK_EVENT_CALLBACK(vkPrintNetLifecycle), &wait,
                                           NULL);
    if (id < 0)
        return false;
    vkWaitRun(&wait, timeoutMs);
    vkWaitReport(sh, &wait);
    if (virConnectNetworkEventDeregisterAny(vkShellConn(sh), id) < 0)
        ok = false;
    return ok && wait.count > 0;
}

const vkCmdDef vkEventCmds[] = {
    { "event", vkCmdEvent, vkOptsEvent, "Domain Events",
      "List event types, or wait for domain events to occur", 0 },
    { NULL },
};

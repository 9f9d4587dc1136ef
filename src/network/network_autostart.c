/* Autostart of persistent networks, once per host boot: the first open of the driver on a boot
 * starts the inactive networks marked for autostart, as libvirt's daemon does when it starts. */
#include "network_priv.h"
#include "util/vkbootmark.h"

/* ROOT/run/network/autostarted: no ".xml", so no network's files can clash with it. */
#define MARKER_NAME "autostarted"

/* Starts NAME unless it is running, unmarked or gone by the time its lock is ours; with
 * ONLYBRIDGES, only if it creates its bridge (what an unprivileged pass left over). */
static int autostartOne(const vkNetworkDriverState *state, const char *name, gboolean onlyBridges)
{
    g_autoptr(vkFileLock) lock = vkNetworkLock(state, name);
    g_autoptr(vkNetworkObj) obj = NULL;
    g_autoptr(vkNetworkStatus) status = NULL;

    /* Reconciled first: a status left by the previous boot names a bridge that is gone. */
    if (!lock || vkNetworkObjRead(state, name, &obj) < 0 ||
        (obj && vkNetworkReconcile(state, obj, TRUE) < 0))
        return -1;
    if (!obj || !obj->config || !obj->autostart || obj->status)
        return 0;
    if (onlyBridges && !vkNetworkMakesBridge(obj->config))
        return 0;
    status = g_new0(vkNetworkStatus, 1);
    status->def = vkNetworkDefCopy(obj->config);
    return vkNetworkStart(state, status);
}

void vkNetworkAutostartOnBoot(const vkNetworkDriverState *state)
{
    g_autofree char *marker = g_build_filename(state->paths->run, MARKER_NAME, NULL);
    g_autofree char *bootId = vkBootIdRead();
    g_autoptr(vkFileLock) driverLock = NULL;
    g_auto(GStrv) names = NULL;
    vkBootMarkPass done;

    /* The common case, every open after the first of a boot: two small reads, no lock. */
    if (vkBootMarkDone(vkBootMarkRead(marker, bootId), state->privileged))
        return;
    if (!(driverLock = vkNetworkDriverLock(state))) {
        vkNetworkWarn("cannot autostart networks");
        return;
    }
    /* Whoever held the lock before us may have done this boot's pass. */
    done = vkBootMarkRead(marker, bootId);
    if (vkBootMarkDone(done, state->privileged))
        return;

    names = vkFileAutostartList(state->autostartDir);
    for (char **name = names; *name; name++) {
        if (autostartOne(state, *name, done == VK_BOOT_MARK_UNPRIVILEGED) < 0) {
            g_autofree char *what = g_strdup_printf("cannot autostart network '%s'", *name);
            vkNetworkWarn(what);
        }
    }
    /* Written whatever failed: like libvirt, each network gets one try per boot, and a failed
     * one waits for its owner rather than being retried at every open. */
    if (vkBootMarkWrite(marker, bootId, state->privileged) < 0)
        vkNetworkWarn("cannot record that networks were autostarted");
}

/* Autostart of persistent guests, once per host boot: the first open of the driver after a
 * boot starts the shut off guests marked for autostart, as libvirt's daemon does when it
 * starts. The networks they use were autostarted by the network driver's open just before. */
#include "qemu_driver_priv.h"
#include "util/vkbootmark.h"

/* ROOT/run/qemu/autostarted: no ".xml", so no guest's files can clash with it. */
#define MARKER_NAME "autostarted"

/* Starts NAME unless it is running, unmarked or gone by the time its lock is ours. */
static int autostartOne(vkQemuDriverState *state, const char *name)
{
    g_autoptr(vkFileLock) lock = vkQemuDomainLock(state, name);
    g_autoptr(vkQemuDomainObj) obj = NULL;

    /* Refreshed first: a status left by the previous boot names a qemu that is gone. */
    if (!lock || vkQemuDomainObjRead(state, name, &obj) < 0 ||
        (obj && vkQemuDomainObjRefresh(state, obj, TRUE) < 0))
        return -1;
    if (!obj || !obj->config || !obj->autostart || obj->status)
        return 0;
    return vkQemuDomainStart(state, obj->config, 0, NULL);
}

void vkQemuAutostartOnBoot(vkQemuDriverState *state)
{
    g_autofree char *marker = g_build_filename(state->paths->run, MARKER_NAME, NULL);
    g_autofree char *bootId = vkBootIdRead();
    g_autoptr(vkFileLock) driverLock = NULL;
    g_auto(GStrv) names = NULL;

    /* Guests need no privilege to start, so every pass is a full one. */
    if (vkBootMarkDone(vkBootMarkRead(marker, bootId), TRUE))
        return;
    if (!(driverLock = vkQemuDriverLock(state))) {
        vkErrorWarn("cannot autostart domains");
        return;
    }
    /* Whoever held the lock before us may have done this boot's pass. */
    if (vkBootMarkDone(vkBootMarkRead(marker, bootId), TRUE))
        return;
    names = vkFileAutostartList(state->autostartDir);
    for (char **name = names; *name; name++) {
        if (autostartOne(state, *name) < 0) {
            g_autofree char *what = g_strdup_printf("cannot autostart domain '%s'", *name);
            vkErrorWarn(what);
        }
    }
    /* One try per boot, as for networks: a guest that failed waits for its owner. */
    if (vkFileMakePath(state->paths->run, 0700) < 0 || vkBootMarkWrite(marker, bootId, TRUE) < 0)
        vkErrorWarn("cannot record that domains were autostarted");
}

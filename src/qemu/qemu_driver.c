/* The start of the qemu driver: opens and closes qemu:/// connections and answers host queries;
 * domain calls are not wired yet (VIR_ERR_NO_SUPPORT), networks go to src/network. */

#include "network/network_driver.h"
#include "qemu_driver.h"
#include "util/vkerror.h"
#include "util/vkpaths.h"

#define VK_QEMU_ERR VIR_FROM_QEMU

typedef struct {
    vkDriverPaths *paths; /* ROOT/etc/qemu, ROOT/run/qemu, ... */
} vkQemuDriverState;

static vkDrvOpenStatus connectOpen(virConnectPtr conn, GUri *uri, unsigned int flags)
{
    vkQemuDriverState *state;
    vkDriverPaths *paths = vkDriverPathsNew(uri, "qemu", VK_QEMU_ERR);

    /* No probing here: capabilities and directories wait for the first call that needs them. */
    if (!paths)
        return VK_DRV_OPEN_ERROR;
    state = g_new0(vkQemuDriverState, 1);
    state->paths = paths;
    conn->privateData = state;
    return VK_DRV_OPEN_SUCCESS;
}

static int connectClose(virConnectPtr conn)
{
    vkQemuDriverState *state = g_steal_pointer(&conn->privateData);

    if (state) {
        vkDriverPathsFree(state->paths);
        g_free(state);
    }
    return 0;
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

static const vkHypervisorDriver qemuHypervisorDriver = {
    .name = "QEMU",
    .connectOpen = connectOpen,
    .connectClose = connectClose,
    .connectGetType = connectGetType,
    .connectGetHostname = connectGetHostname,
    .connectIsAlive = connectIsAlive,
    .connectIsEncrypted = connectIsEncrypted,
    .connectIsSecure = connectIsSecure,
};

static const char *const qemuSchemes[] = { "qemu", NULL };

const vkConnectDriver vkQemuConnectDriver = {
    .uriSchemes = qemuSchemes,
    .localOnly = TRUE,
    .hypervisorDriver = &qemuHypervisorDriver,
    .networkDriver = &vkHostNetworkDriver,
};

/* The registry of connection drivers built into libvirtkit: adding a driver is one entry. */
#include "driver.h"

#include "qemu/qemu_driver.h"
#include "remote/remote_driver.h"
#include "test/test_driver.h"
#include "util/vkerror.h"

static const vkConnectDriver *const connectDrivers[] = {
    &vkTestConnectDriver,
    &vkQemuConnectDriver,
    &vkRemoteConnectDriver,
};

const vkConnectDriver *vkDriverForScheme(const char *scheme)
{
    for (size_t i = 0; i < G_N_ELEMENTS(connectDrivers); i++) {
        for (const char *const *s = connectDrivers[i]->uriSchemes; *s; s++) {
            if (g_str_equal(*s, scheme))
                return connectDrivers[i];
        }
    }
    return NULL;
}

int vkCheckFlags(const char *func, int errDomain, unsigned int flags, unsigned int supported)
{
    if (flags & ~supported) {
        vkReportInvalidArg(errDomain, func, "flags", "unsupported flags (0x%x) in function %s",
                           flags & ~supported, func);
        return -1;
    }
    return 0;
}

static gboolean matchGroup(unsigned int flags, unsigned int yes, unsigned int no, gboolean value)
{
    if (!(flags & (yes | no)))
        return TRUE;
    return ((flags & yes) && value) || ((flags & no) && !value);
}

static gboolean matchState(unsigned int flags, int state)
{
    unsigned int states = VIR_CONNECT_LIST_DOMAINS_RUNNING | VIR_CONNECT_LIST_DOMAINS_PAUSED |
                          VIR_CONNECT_LIST_DOMAINS_SHUTOFF | VIR_CONNECT_LIST_DOMAINS_OTHER;

    if (!(flags & states))
        return TRUE;
    switch (state) {
    case VIR_DOMAIN_RUNNING:
        return flags & VIR_CONNECT_LIST_DOMAINS_RUNNING;
    case VIR_DOMAIN_PAUSED:
        return flags & VIR_CONNECT_LIST_DOMAINS_PAUSED;
    case VIR_DOMAIN_SHUTOFF:
        return flags & VIR_CONNECT_LIST_DOMAINS_SHUTOFF;
    default:
        return flags & VIR_CONNECT_LIST_DOMAINS_OTHER;
    }
}

gboolean vkDomainListMatch(unsigned int flags, const vkDomainListFacts *facts)
{
    /* Neither driver keeps snapshots or checkpoints. */
    return matchGroup(flags, VIR_CONNECT_LIST_DOMAINS_ACTIVE, VIR_CONNECT_LIST_DOMAINS_INACTIVE,
                      facts->active) &&
           matchGroup(flags, VIR_CONNECT_LIST_DOMAINS_PERSISTENT,
                      VIR_CONNECT_LIST_DOMAINS_TRANSIENT, facts->persistent) &&
           matchGroup(flags, VIR_CONNECT_LIST_DOMAINS_MANAGEDSAVE,
                      VIR_CONNECT_LIST_DOMAINS_NO_MANAGEDSAVE, facts->managedSave) &&
           matchGroup(flags, VIR_CONNECT_LIST_DOMAINS_AUTOSTART,
                      VIR_CONNECT_LIST_DOMAINS_NO_AUTOSTART, facts->autostart) &&
           matchGroup(flags, VIR_CONNECT_LIST_DOMAINS_HAS_SNAPSHOT,
                      VIR_CONNECT_LIST_DOMAINS_NO_SNAPSHOT, FALSE) &&
           matchGroup(flags, VIR_CONNECT_LIST_DOMAINS_HAS_CHECKPOINT,
                      VIR_CONNECT_LIST_DOMAINS_NO_CHECKPOINT, FALSE) &&
           matchState(flags, facts->state);
}

gboolean vkNetworkListMatch(unsigned int flags, gboolean active, gboolean persistent,
                            gboolean autostart)
{
    return matchGroup(flags, VIR_CONNECT_LIST_NETWORKS_ACTIVE, VIR_CONNECT_LIST_NETWORKS_INACTIVE,
                      active) &&
           matchGroup(flags, VIR_CONNECT_LIST_NETWORKS_PERSISTENT,
                      VIR_CONNECT_LIST_NETWORKS_TRANSIENT, persistent) &&
           matchGroup(flags, VIR_CONNECT_LIST_NETWORKS_AUTOSTART,
                      VIR_CONNECT_LIST_NETWORKS_NO_AUTOSTART, autostart);
}

gboolean vkStoragePoolListMatch(unsigned int flags, gboolean active, gboolean persistent,
                                gboolean autostart, int type)
{
    /* The type flags follow libvirt's pool type numbers from bit 6 on. */
    unsigned int types = flags & ~((1u << 6) - 1);

    return matchGroup(flags, VIR_CONNECT_LIST_STORAGE_POOLS_ACTIVE,
                      VIR_CONNECT_LIST_STORAGE_POOLS_INACTIVE, active) &&
           matchGroup(flags, VIR_CONNECT_LIST_STORAGE_POOLS_PERSISTENT,
                      VIR_CONNECT_LIST_STORAGE_POOLS_TRANSIENT, persistent) &&
           matchGroup(flags, VIR_CONNECT_LIST_STORAGE_POOLS_AUTOSTART,
                      VIR_CONNECT_LIST_STORAGE_POOLS_NO_AUTOSTART, autostart) &&
           (!types || (types & (1u << (6 + type))));
}

int vkListHandlesReturn(GPtrArray *handles, void ***out)
{
    int count = (int)handles->len;

    if (!out) {
        g_ptr_array_free(handles, TRUE);
        return count;
    }
    g_ptr_array_set_free_func(handles, NULL);
    g_ptr_array_add(handles, NULL);
    *out = g_ptr_array_free(handles, FALSE);
    return count;
}

/* The registry of connection drivers: the ones built into libvirtkit (adding one is one entry),
 * and the remote driver, a module loaded the first time a DRIVER+TRANSPORT URI is opened. */
#include <dlfcn.h>
#include <string.h>

#include "driver.h"

#include "qemu/qemu_driver.h"
#include "test/test_driver.h"
#include "util/vkerror.h"

static const vkConnectDriver *const connectDrivers[] = {
    &vkTestConnectDriver,
    &vkQemuConnectDriver,
};

#define REMOTE_MODULE "libvirtkit_driver_remote.so"

/* In the build tree the module sits next to libvirtkit.so; installed, it lives in
 * VK_DRIVER_DIR (libvirtkit.so itself is in the libdir above it, so the two never mix). */
static char *remoteModulePath(void)
{
    const char *dir = g_getenv("VIRTKIT_DRIVER_DIR");
    Dl_info info;

    if (dir && *dir)
        return g_build_filename(dir, REMOTE_MODULE, NULL);
    if (dladdr((void *)remoteModulePath, &info) && info.dli_fname) {
        g_autofree char *libdir = g_path_get_dirname(info.dli_fname);
        g_autofree char *beside = g_build_filename(libdir, REMOTE_MODULE, NULL);

        if (g_file_test(beside, G_FILE_TEST_EXISTS))
            return g_steal_pointer(&beside);
    }
    return g_build_filename(VK_DRIVER_DIR, REMOTE_MODULE, NULL);
}

static const vkConnectDriver *remoteDriver;
static char *remoteLoadError;

/* Loaded once per process and never unloaded: connections and their threads keep using it. */
static gpointer loadRemote(gpointer unused G_GNUC_UNUSED)
{
    g_autofree char *path = remoteModulePath();
    void *handle = dlopen(path, RTLD_NOW | RTLD_LOCAL);

    if (!handle) {
        remoteLoadError = g_strdup_printf("Failed to load module '%s': %s", path, dlerror());
        return NULL;
    }
    remoteDriver = dlsym(handle, "vkRemoteConnectDriver");
    if (!remoteDriver)
        remoteLoadError = g_strdup_printf("Failed to find symbol 'vkRemoteConnectDriver' in "
                                          "module '%s'",
                                          path);
    return NULL;
}

static const vkConnectDriver *matchScheme(const vkConnectDriver *drv, const char *scheme)
{
    for (const char *const *s = drv->uriSchemes; *s; s++) {
        if (g_str_equal(*s, scheme))
            return drv;
    }
    return NULL;
}

const vkConnectDriver *vkDriverForScheme(const char *scheme)
{
    static GOnce once = G_ONCE_INIT;

    for (size_t i = 0; i < G_N_ELEMENTS(connectDrivers); i++) {
        if (matchScheme(connectDrivers[i], scheme))
            return connectDrivers[i];
    }
    if (!strchr(scheme, '+'))
        return NULL;
    g_once(&once, loadRemote, NULL);
    if (!remoteDriver) {
        vkReportError(VIR_FROM_NONE, VIR_ERR_INTERNAL_ERROR, "%s", remoteLoadError);
        return NULL;
    }
    return matchScheme(remoteDriver, scheme);
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

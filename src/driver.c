/* The registry of connection drivers built into libvirtkit: adding a driver is one entry. */
#include "driver.h"

#include "qemu/qemu_driver.h"
#include "test/test_driver.h"
#include "util/vkerror.h"

static const vkConnectDriver *const connectDrivers[] = {
    &vkTestConnectDriver,
    &vkQemuConnectDriver,
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

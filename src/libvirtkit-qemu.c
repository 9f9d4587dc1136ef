/* Public entry points of virtkit-qemu.h (libvirt's libvirt-qemu.h): the guest's qemu reached
 * directly. */
#include "libvirtkit-priv.h"
#include "virtkit/virtkit-qemu.h"

/* libvirt words this family's own errors without a domain of their own. */
#define ERR_QEMU_API VIR_FROM_NONE

int virDomainQemuMonitorCommand(virDomainPtr domain, const char *cmd, char **result,
                                unsigned int flags)
{
    if (result)
        *result = NULL;
    if (!vkApiEnterDomain(domain, __func__) ||
        vkApiDenyNull(domain->conn, cmd, ERR_QEMU_API, __func__, "cmd") ||
        vkApiDenyNull(domain->conn, result, ERR_QEMU_API, __func__, "result") ||
        vkApiDenyReadOnly(domain->conn, ERR_QEMU_API, __func__))
        return -1;
    const vkHypervisorDriver *drv = vkApiHypervisor(domain->conn);
    if (!drv->domainQemuMonitorCommand)
        return vkApiUnsupported(domain->conn, ERR_QEMU_API, __func__);
    return vkApiResultInt(domain->conn, drv->domainQemuMonitorCommand(domain, cmd, result, flags));
}

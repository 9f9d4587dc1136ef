/* The QEMU program (virsh qemu-monitor-command): the guest's monitor through the public call of
 * virtkit-qemu.h. */
#include "daemon_dispatch_priv.h"
#include "virtkit/virtkit-qemu.h"

static int monitorCommand(vkDaemonCall *call, vkq_domain_monitor_command_args *args,
                          vkq_domain_monitor_command_ret *ret)
{
    CALL_DOMAIN(call, &args->dom);
    return virDomainQemuMonitorCommand(dom, args->cmd, &ret->result, args->flags);
}

const vkDaemonProc vkDaemonQemuProcs[] = {
    { VKQ_PROC_DOMAIN_MONITOR_COMMAND, HANDLER(monitorCommand), VK_DAEMON_RUN_LONG, 0,
      "virDomainQemuMonitorCommand", VIR_FROM_NONE },
    { 0 },
};

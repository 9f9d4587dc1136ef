/* What the qemu driver reports about the host: the capabilities document, node facts from
 * the kernel, and the CPU time of a guest's qemu. */
#pragma once

#include "qemu/qemu_capabilities.h"
#include "virtkit/virtkit.h"

/* libvirt's <capabilities> document for a host whose guests run on CAPS's binary. */
char *vkQemuHostCapabilitiesFormat(const vkQEMUCaps *caps);

/* CPUs, memory and clock from sysconf and /proc. */
int vkQemuHostNodeInfo(virNodeInfoPtr info);

/* The user plus system CPU time PID has used, in nanoseconds. */
int vkQemuHostProcessCPUTime(pid_t pid, unsigned long long *ns);

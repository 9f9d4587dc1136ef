/* Domain capabilities and CPU baselines of the qemu driver (virConnectGetDomainCapabilities,
 * virConnectBaselineHypervisorCPU): what management tools such as virt-install ask before they
 * write a guest's XML. */
#pragma once

#include <glib.h>

#include "qemu_capabilities.h"

/* The <domainCapabilities> document for a guest of VIRTTYPE ("qemu" or "kvm", NULL: the best
 * the host offers), ARCH (NULL: the host's) and MACHINE (NULL: the emulator's default) with the
 * probed CAPS, listing only what virtkit's domain model and command line handle. Errors are
 * libvirt's: unknown virttype or architecture, an accelerator or machine the emulator lacks. */
char *vkQemuDomainCapabilitiesFormat(const vkQEMUCaps *caps, const char *arch, const char *machine,
                                     const char *virttype);

/* Checks ARCH, MACHINE and VIRTTYPE (each may be NULL) as the document above does. */
int vkQemuDomainCapsCheck(const vkQEMUCaps *caps, const char *arch, const char *machine,
                          const char *virttype);

/* The baseline of NCPUS CPU definitions (XML documents holding a <cpu>): the common model and
 * vendor, and the features every one of them requires. Definitions of different models have
 * no baseline without libvirt's CPU map, which virtkit does not carry: that is refused. */
char *vkQemuBaselineCPU(const char **xmlCPUs, unsigned int ncpus, unsigned int flags);

/* The defaults libvirt's qemu driver stores with a new definition: implicit devices and
 * controllers, models, the default CPU, drive and PCI addresses. */
#pragma once

#include "conf/domain_conf.h"
#include "qemu/qemu_capabilities.h"

/* Fill in DEF (already parsed, its machine type canonical) as libvirt 9.0's qemu driver does
 * when a domain is defined or created, and refuse what it refuses then. CAPS may be NULL: qemu
 * 7.2 on x86_64 is assumed. Pure: no host access. Returns 0, or -1 with an error reported when
 * DEF cannot be completed (an address conflict, a root controller that does not fit the
 * machine, no PCI slot left) or qemu could not run it (memory hotplug without NUMA nodes). */
int vkQEMUDomainDefPostParse(vkDomainDef *def, const vkQEMUCaps *caps);
/* The same for a definition libvirt did not just receive (its qemuxml2xml tests parse so): USB
 * ports are assigned and checked only where every USB device already has one. */
int vkQEMUDomainDefPostParseExisting(vkDomainDef *def, const vkQEMUCaps *caps);

/* Removes from DEF what vkQEMUDomainDefPostParse added that a receiver adds back by itself,
 * for the migratable form (VIR_DOMAIN_XML_MIGRATABLE), as libvirt does for older receivers:
 * the default USB controller of an i440fx machine, a lone pci-root, and the default audio
 * backend. */
void vkQEMUDomainDefMigratable(vkDomainDef *def);

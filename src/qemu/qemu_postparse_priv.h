/* Shared by the files of the qemu driver's post-parse: the machine a definition is for, and
 * the PCI address assignment (qemu_pciaddr.c). */
#pragma once

#include "qemu/qemu_postparse.h"

/* The kind of machine a definition names. */
typedef struct {
    gboolean x86;
    gboolean i440fx;
    gboolean q35;
} vkQEMUMachine;

void vkQEMUMachineInit(const vkDomainDef *def, vkQEMUMachine *m);
/* Whether C is of TYPE and MODEL (NULL: no model written). */
gboolean vkQEMUControllerIs(const vkDomainControllerDef *c, int type, const char *model);
vkDomainControllerDef *vkQEMUFindController(const vkDomainDef *def, int type, int index);

/* qemu_pciaddr.c: gives every device of DEF that needs one a PCI address on an i440fx or q35
 * machine (others are left alone), adding the PCI controllers the devices need. CAPS may be
 * NULL (qemu 7.2). */
int vkQEMUDomainAssignPCIAddresses(vkDomainDef *def, const vkQEMUMachine *m,
                                   const vkQEMUCaps *caps);

/* qemu_usbaddr.c: gives every USB device of DEF a port on a USB controller; unless NEWDOMAIN,
 * only where every USB device has one (vkQEMUDomainDefPostParseExisting). */
int vkQEMUDomainAssignUSBAddresses(vkDomainDef *def, gboolean newDomain);

/* <controller>: the buses devices plug into (PCI, USB, SCSI, SATA, IDE, ...). */
#pragma once

#include "conf/domain_common.h"

typedef enum {
    VK_DOMAIN_CONTROLLER_TYPE_IDE,
    VK_DOMAIN_CONTROLLER_TYPE_FDC,
    VK_DOMAIN_CONTROLLER_TYPE_SCSI,
    VK_DOMAIN_CONTROLLER_TYPE_SATA,
    VK_DOMAIN_CONTROLLER_TYPE_VIRTIO_SERIAL,
    VK_DOMAIN_CONTROLLER_TYPE_USB,
    VK_DOMAIN_CONTROLLER_TYPE_PCI,
    VK_DOMAIN_CONTROLLER_TYPE_LAST
} vkDomainControllerType;
VK_ENUM_DECL(vkDomainController);

/* The model names valid for a controller type (NULL if the type has none), and the model's
 * index in that list; -1 when unknown. Models are stored as that index, -1 for "none". */
const char *vkDomainControllerModelToString(int type, int model);
int vkDomainControllerModelFromString(int type, const char *model);

/* The qemu device behind a pci controller, <model name='...'/> (libvirt's names). */
typedef enum {
    VK_DOMAIN_CONTROLLER_PCI_MODEL_NAME_PCI_BRIDGE,
    VK_DOMAIN_CONTROLLER_PCI_MODEL_NAME_I82801B11_BRIDGE,
    VK_DOMAIN_CONTROLLER_PCI_MODEL_NAME_IOH3420,
    VK_DOMAIN_CONTROLLER_PCI_MODEL_NAME_X3130_UPSTREAM,
    VK_DOMAIN_CONTROLLER_PCI_MODEL_NAME_XIO3130_DOWNSTREAM,
    VK_DOMAIN_CONTROLLER_PCI_MODEL_NAME_PXB,
    VK_DOMAIN_CONTROLLER_PCI_MODEL_NAME_PXB_PCIE,
    VK_DOMAIN_CONTROLLER_PCI_MODEL_NAME_PCIE_ROOT_PORT,
    VK_DOMAIN_CONTROLLER_PCI_MODEL_NAME_SPAPR_PCI_HOST_BRIDGE,
    VK_DOMAIN_CONTROLLER_PCI_MODEL_NAME_PCIE_PCI_BRIDGE,
    VK_DOMAIN_CONTROLLER_PCI_MODEL_NAME_LAST
} vkDomainControllerPCIModelName;
VK_ENUM_DECL(vkDomainControllerPCIModelName);

typedef struct {
    int type;  /* vkDomainControllerType */
    int index; /* -1 only while parsing */
    int model; /* see vkDomainControllerModelToString; -1 for none */
    /* pci controllers only; -1 when not given */
    int modelName; /* vkDomainControllerPCIModelName */
    int chassisNr; /* <target chassisNr=...> of a pci-bridge */
    int chassis;   /* <target chassis=... port=...> of a PCIe port */
    int port;
    vkDomainDeviceInfo info;
} vkDomainControllerDef;

/* Add a controller of TYPE with INDEX and MODEL (-1 for none) where libvirt puts it: after
 * the last one of its type, ordered by index. Returns the new controller, or NULL when one of
 * that type and index already exists (nothing is added). */
vkDomainControllerDef *vkDomainDefAddController(vkDomainDef *def, int type, int index, int model);

void vkDomainControllerDefFree(vkDomainControllerDef *def);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(vkDomainControllerDef, vkDomainControllerDefFree)

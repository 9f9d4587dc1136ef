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

/* The models of each type, in the order of their name lists. */
typedef enum {
    VK_DOMAIN_CONTROLLER_MODEL_PCI_ROOT,
    VK_DOMAIN_CONTROLLER_MODEL_PCIE_ROOT,
    VK_DOMAIN_CONTROLLER_MODEL_PCI_BRIDGE,
    VK_DOMAIN_CONTROLLER_MODEL_DMI_TO_PCI_BRIDGE,
    VK_DOMAIN_CONTROLLER_MODEL_PCIE_TO_PCI_BRIDGE,
    VK_DOMAIN_CONTROLLER_MODEL_PCIE_ROOT_PORT,
    VK_DOMAIN_CONTROLLER_MODEL_PCIE_SWITCH_UPSTREAM_PORT,
    VK_DOMAIN_CONTROLLER_MODEL_PCIE_SWITCH_DOWNSTREAM_PORT,
    VK_DOMAIN_CONTROLLER_MODEL_PCI_EXPANDER_BUS,
    VK_DOMAIN_CONTROLLER_MODEL_PCIE_EXPANDER_BUS,
} vkDomainControllerModelPCI;

typedef enum {
    VK_DOMAIN_CONTROLLER_MODEL_USB_PIIX3_UHCI,
    VK_DOMAIN_CONTROLLER_MODEL_USB_PIIX4_UHCI,
    VK_DOMAIN_CONTROLLER_MODEL_USB_EHCI,
    VK_DOMAIN_CONTROLLER_MODEL_USB_ICH9_EHCI1,
    VK_DOMAIN_CONTROLLER_MODEL_USB_ICH9_UHCI1,
    VK_DOMAIN_CONTROLLER_MODEL_USB_ICH9_UHCI2,
    VK_DOMAIN_CONTROLLER_MODEL_USB_ICH9_UHCI3,
    VK_DOMAIN_CONTROLLER_MODEL_USB_VT82C686B_UHCI,
    VK_DOMAIN_CONTROLLER_MODEL_USB_PCI_OHCI,
    VK_DOMAIN_CONTROLLER_MODEL_USB_NEC_XHCI,
    VK_DOMAIN_CONTROLLER_MODEL_USB_QUSB1,
    VK_DOMAIN_CONTROLLER_MODEL_USB_QUSB2,
    VK_DOMAIN_CONTROLLER_MODEL_USB_QEMU_XHCI,
    VK_DOMAIN_CONTROLLER_MODEL_USB_NONE,
} vkDomainControllerModelUSB;

typedef enum {
    VK_DOMAIN_CONTROLLER_MODEL_SCSI_AUTO,
    VK_DOMAIN_CONTROLLER_MODEL_SCSI_BUSLOGIC,
    VK_DOMAIN_CONTROLLER_MODEL_SCSI_LSILOGIC,
    VK_DOMAIN_CONTROLLER_MODEL_SCSI_LSISAS1068,
    VK_DOMAIN_CONTROLLER_MODEL_SCSI_VMPVSCSI,
    VK_DOMAIN_CONTROLLER_MODEL_SCSI_IBMVSCSI,
    VK_DOMAIN_CONTROLLER_MODEL_SCSI_VIRTIO_SCSI,
    VK_DOMAIN_CONTROLLER_MODEL_SCSI_LSISAS1078,
    VK_DOMAIN_CONTROLLER_MODEL_SCSI_VIRTIO_TRANSITIONAL,
    VK_DOMAIN_CONTROLLER_MODEL_SCSI_VIRTIO_NON_TRANSITIONAL,
    VK_DOMAIN_CONTROLLER_MODEL_SCSI_NCR53C90,
    VK_DOMAIN_CONTROLLER_MODEL_SCSI_DC390,
    VK_DOMAIN_CONTROLLER_MODEL_SCSI_AM53C974,
} vkDomainControllerModelSCSI;

typedef enum {
    VK_DOMAIN_CONTROLLER_MODEL_VIRTIO_SERIAL_VIRTIO,
    VK_DOMAIN_CONTROLLER_MODEL_VIRTIO_SERIAL_TRANSITIONAL,
    VK_DOMAIN_CONTROLLER_MODEL_VIRTIO_SERIAL_NON_TRANSITIONAL,
} vkDomainControllerModelVirtioSerial;

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
    int hotplug; /* vkDomainTristate (on/off): <target hotplug=...> of a port or bridge */
    int ports;   /* usb and virtio-serial: ports=...; -1 when not given */
    int vectors; /* virtio-serial: vectors=...; -1 when not given */
    /* usb companions: <master startport=...>, the first port of the EHCI controller of the
     * same index it serves (ich9-uhciN default to 2*(N-1)); -1 for none */
    int masterStartPort;
    /* Added by vkDomainDefAddImplicitControllers for what the definition implies, not written
     * in it; never formatted (a stored definition has it written). */
    gboolean implicit;
    vkDomainDeviceInfo info;
} vkDomainControllerDef;

/* Add a controller of TYPE with INDEX and MODEL (-1 for none) where libvirt puts it: after
 * the last one of its type, ordered by index. Returns the new controller, or NULL when one of
 * that type and index already exists (nothing is added). */
vkDomainControllerDef *vkDomainDefAddController(vkDomainDef *def, int type, int index, int model);

void vkDomainControllerDefFree(vkDomainControllerDef *def);
/* Removes the controllers vkDomainDefAddImplicitControllers added, for a driver that adds its
 * own defaults first and the implied controllers after them, as libvirt orders them. */
void vkDomainDefRemoveImplicitControllers(vkDomainDef *def);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(vkDomainControllerDef, vkDomainControllerDefFree)

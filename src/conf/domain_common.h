/* Shared by every element of the domain model: optional yes/no values, device addresses and
 * the bookkeeping every device carries. */
#pragma once

#include <glib.h>
#include <libxml/tree.h>
#include "util/vkenum.h"
#include "virtkit/virtkit.h"

/* Optional yes/no (or on/off) attributes: absent, or the value written. */
typedef enum {
    VK_DOMAIN_TRISTATE_ABSENT = 0,
    VK_DOMAIN_TRISTATE_YES, /* 'yes' or 'on' */
    VK_DOMAIN_TRISTATE_NO,  /* 'no' or 'off' */
} vkDomainTristate;

/* Where a table starts with a "default"/"none" entry, that value means "not written" and is
 * refused on input. */

typedef enum {
    VK_DOMAIN_ADDRESS_TYPE_NONE = 0,
    VK_DOMAIN_ADDRESS_TYPE_PCI,
    VK_DOMAIN_ADDRESS_TYPE_DRIVE,
    VK_DOMAIN_ADDRESS_TYPE_VIRTIO_SERIAL,
    VK_DOMAIN_ADDRESS_TYPE_USB,
    VK_DOMAIN_ADDRESS_TYPE_LAST
} vkDomainAddressType;
VK_ENUM_DECL(vkDomainAddress);

/* Device bookkeeping shared by most devices. */
typedef struct {
    int type; /* vkDomainAddressType */
    struct {
        unsigned int domain, bus, slot, function;
        int multi; /* vkDomainTristate: multifunction on/off */
    } pci;
    struct {
        unsigned int controller, bus, target, unit;
    } drive;
    struct {
        unsigned int controller, bus, port;
    } vioserial;
    struct {
        unsigned int bus;
        unsigned int port; /* 0: none given; a port behind a hub ("1.2") is refused */
    } usb;
} vkDomainDeviceAddress;

typedef struct {
    char *alias;            /* runtime name (<alias name=.../>); user aliases start "ua-" */
    unsigned int bootIndex; /* <boot order=.../>; 0 when absent */
    vkDomainDeviceAddress addr;
} vkDomainDeviceInfo;

typedef struct _vkDomainDef vkDomainDef;

/* The kinds of devices, as the callbacks of vkDomainDefForEachDeviceInfo see them. */
typedef enum {
    VK_DOMAIN_DEVICE_DISK,
    VK_DOMAIN_DEVICE_CONTROLLER,
    VK_DOMAIN_DEVICE_NET,
    VK_DOMAIN_DEVICE_CHR, /* serial ports and consoles */
    VK_DOMAIN_DEVICE_INPUT,
    VK_DOMAIN_DEVICE_GRAPHICS,
    VK_DOMAIN_DEVICE_AUDIO,
    VK_DOMAIN_DEVICE_VIDEO,
    VK_DOMAIN_DEVICE_MEMBALLOON,
    VK_DOMAIN_DEVICE_SOUND,
    VK_DOMAIN_DEVICE_RNG,
    VK_DOMAIN_DEVICE_REDIRDEV,
    VK_DOMAIN_DEVICE_TPM,
    VK_DOMAIN_DEVICE_LAST
} vkDomainDeviceType;

/* Called with the bookkeeping of one device (DEV, of kind TYPE). A negative return stops the
 * walk and is returned from it. */
typedef int (*vkDomainDeviceInfoFunc)(vkDomainDef *def, int type, void *dev,
                                      vkDomainDeviceInfo *info, void *opaque);

/* Calls FN for every device of DEF that has an address, alias or boot order, kind by kind in
 * the order libvirt writes them. Returns 0, or FN's first negative return. */
int vkDomainDefForEachDeviceInfo(vkDomainDef *def, vkDomainDeviceInfoFunc fn, void *opaque);

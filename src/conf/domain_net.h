/* <interface>: network interfaces and their MAC addresses. */
#pragma once

#include "conf/domain_common.h"

typedef enum {
    VK_DOMAIN_NET_TYPE_USER,
    VK_DOMAIN_NET_TYPE_ETHERNET,
    VK_DOMAIN_NET_TYPE_NETWORK,
    VK_DOMAIN_NET_TYPE_BRIDGE,
    VK_DOMAIN_NET_TYPE_LAST
} vkDomainNetType;
VK_ENUM_DECL(vkDomainNet);

typedef struct {
    int type; /* vkDomainNetType */
    unsigned char mac[6];
    gboolean macGenerated; /* no <mac> was given; mac was made up in 52:54:00:xx:xx:xx */
    char *network;         /* type network: <source network=...> */
    char *bridge;          /* type bridge: <source bridge=...> */
    char *ifname;          /* <target dev=...>; names starting vnet are runtime data */
    char *model;           /* <model type=...>, canonical spelling for known models */
    vkDomainDeviceInfo info;
} vkDomainNetDef;

/* Generate a MAC address in QEMU's 52:54:00 range. */
void vkDomainNetGenerateMAC(unsigned char mac[6]);
/* Format as "aa:bb:cc:dd:ee:ff" into buf (at least VK_DOMAIN_MAC_STRLEN bytes). */
#define VK_DOMAIN_MAC_STRLEN 18
void vkDomainNetFormatMAC(const unsigned char mac[6], char *buf);

/* Whether MODEL is one of the interface models libvirt knows by name. */
gboolean vkDomainNetModelIsKnown(const char *model);

void vkDomainNetDefFree(vkDomainNetDef *def);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(vkDomainNetDef, vkDomainNetDefFree)

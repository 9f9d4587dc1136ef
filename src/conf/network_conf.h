/* The libvirt-compatible <network> XML model: parse and validate into structs, format back
 * out in libvirt's layout. No host access. */
#pragma once

#include <glib.h>
#include <libxml/tree.h>

#include "util/vkenum.h"
#include "util/vksocketaddr.h"
#include "virtkit/virtkit.h"

/* Same value as VIR_NETWORK_XML_INACTIVE. */
#define VK_NETWORK_DEF_FORMAT_INACTIVE (1u << 0)

/* libvirt's VIR_NETWORK_FORWARD_* values and order. */
typedef enum {
    VK_NETWORK_FORWARD_NONE = 0, /* isolated: no <forward> element */
    VK_NETWORK_FORWARD_NAT,
    VK_NETWORK_FORWARD_ROUTE,
    VK_NETWORK_FORWARD_OPEN,
    VK_NETWORK_FORWARD_BRIDGE,
    VK_NETWORK_FORWARD_PRIVATE,
    VK_NETWORK_FORWARD_VEPA,
    VK_NETWORK_FORWARD_PASSTHROUGH,
    VK_NETWORK_FORWARD_HOSTDEV,
    VK_NETWORK_FORWARD_LAST
} vkNetworkForwardType;
VK_ENUM_DECL(vkNetworkForward);

/* <bridge stp='...'>; libvirt's tristate order (absent, on, off). */
typedef enum {
    VK_NETWORK_STP_DEFAULT = 0,
    VK_NETWORK_STP_ON,
    VK_NETWORK_STP_OFF,
} vkNetworkSTP;

typedef struct {
    vkSocketAddr start;
    vkSocketAddr end;
} vkNetworkDHCPRange;

typedef struct {
    char *mac;  /* canonical lower-case form, or NULL */
    char *name; /* or NULL; an IPv4 host has a mac or a name, an IPv6 host a name */
    vkSocketAddr ip;
} vkNetworkDHCPHost;

typedef struct {
    int family;         /* AF_INET or AF_INET6: the family of address */
    gboolean familySet; /* family='...' was written; libvirt echoes it only then */
    vkSocketAddr address;
    vkSocketAddr netmask; /* AF_UNSPEC unless netmask='...' was given (IPv4 only) */
    unsigned int prefix;  /* 0 unless prefix='...' was given; never both with netmask */
    vkNetworkDHCPRange *ranges;
    size_t nranges;
    vkNetworkDHCPHost *hosts;
    size_t nhosts;
} vkNetworkIPDef;

typedef struct _vkNetworkDef vkNetworkDef;
struct _vkNetworkDef {
    char *name;
    unsigned char uuid[VIR_UUID_BUFLEN]; /* generated when the XML has none, as libvirt does */
    struct {
        int type; /* vkNetworkForwardType */
        /* As in libvirt, <forward dev='x'> is the first member of the interface pool: after
         * parsing, dev == ifs[0] whenever either was given. */
        char *dev;
        char **ifs; /* NULL-terminated, nifs entries */
        size_t nifs;
        gboolean managed;                      /* hostdev mode only */
        unsigned int natPortStart, natPortEnd; /* both 0 when not given */
    } forward;
    struct {
        char *name;
        /* vkNetworkSTP. For the modes that create a bridge (none, nat, route, open) parsing
         * fills in libvirt's defaults: stp on, delay 0 (delaySet). */
        int stp;
        unsigned int delay; /* seconds */
        gboolean delaySet;
    } bridge;
    char *mac;        /* bridge MAC, canonical lower-case form, or NULL */
    char *domainName; /* DNS domain, or NULL */
    unsigned int mtu; /* 0 when not given */
    vkNetworkIPDef *ips;
    size_t nips;
};

/* Parse flags are reserved; pass 0. On failure these report one error (VIR_FROM_NETWORK) and
 * return NULL. */
vkNetworkDef *vkNetworkDefParseString(const char *xml, unsigned int flags);
vkNetworkDef *vkNetworkDefParseFile(const char *path, unsigned int flags);
/* ROOT is a <network> element anywhere in DOC, e.g. inside a test driver's node file. */
vkNetworkDef *vkNetworkDefParseNode(xmlDocPtr doc, xmlNodePtr root, unsigned int flags);

/* libvirt's layout: two-space indentation, single quotes, libvirt's element and attribute
 * order. FLAGS: VK_NETWORK_DEF_FORMAT_INACTIVE (nothing in this model is live-only yet, so
 * it does not change the output). Returns NULL and reports for an unknown forward type. */
char *vkNetworkDefFormat(const vkNetworkDef *def, unsigned int flags);

vkNetworkDef *vkNetworkDefCopy(const vkNetworkDef *def);
void vkNetworkDefFree(vkNetworkDef *def);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(vkNetworkDef, vkNetworkDefFree)

/* The Nth <ip> of FAMILY (AF_UNSPEC: of any family) in document order, or NULL. */
const vkNetworkIPDef *vkNetworkDefGetIP(const vkNetworkDef *def, int family, size_t n);

/* The prefix in force for IP: its prefix, else its netmask's, else the address's natural
 * prefix (see vkSocketAddrNaturalPrefix). -1 if there is none. */
int vkNetworkIPDefPrefix(const vkNetworkIPDef *ip);

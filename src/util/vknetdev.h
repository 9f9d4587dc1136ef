/* Host network devices over rtnetlink (libnl-3): links, bridges, addresses, taps, and the
 * address a server should listen on for an interface. Acts on the caller's network namespace. */
#pragma once

#include <glib.h>

#define VK_NETDEV_MAC_LEN 6

/* 1 if IFNAME exists, 0 if not, -1 on error. */
int vkNetDevExists(const char *ifname);
int vkNetDevGetIndex(const char *ifname, int *ifindex);
/* 1 if IFNAME is a Linux bridge (link kind "bridge"), 0 if another kind, -1 on error. */
int vkNetDevIsBridge(const char *ifname);

int vkNetDevGetMAC(const char *ifname, unsigned char mac[VK_NETDEV_MAC_LEN]);
int vkNetDevSetMAC(const char *ifname, const unsigned char mac[VK_NETDEV_MAC_LEN]);
int vkNetDevGetMTU(const char *ifname, unsigned int *mtu);
int vkNetDevSetMTU(const char *ifname, unsigned int mtu);
int vkNetDevSetOnline(const char *ifname, gboolean online);

/* MAC may be NULL to let the kernel choose one. Fails if BRNAME exists already. */
int vkNetDevBridgeCreate(const char *brname, const unsigned char *mac);
/* Refuses to delete an interface that is not a bridge. */
int vkNetDevBridgeDelete(const char *brname);
int vkNetDevBridgeSetSTP(const char *brname, gboolean enable);
/* DELAY in milliseconds, stored by the kernel in hundredths of a second. With STP on, the
 * kernel only accepts 2 to 30 seconds, so set the delay before turning STP on. */
int vkNetDevBridgeSetForwardDelay(const char *brname, unsigned int delayMs);
int vkNetDevBridgeAddPort(const char *brname, const char *ifname);
int vkNetDevBridgeRemovePort(const char *brname, const char *ifname);

typedef enum {
    /* IPv6 only: usable at once, without duplicate address detection. */
    VK_NETDEV_ADDR_NODAD = 1 << 0,
} vkNetDevAddrFlags;

/* ADDR is an IPv4 or IPv6 address in text form; an IPv4 address also gets the broadcast
 * address of its subnet. Adding an address the interface already has is not an error. */
int vkNetDevAddAddress(const char *ifname, const char *addr, unsigned int prefix,
                       unsigned int flags);
int vkNetDevDelAddress(const char *ifname, const char *addr, unsigned int prefix);

/* Sets *ADDR to the address a server should listen on to be reachable through IFNAME: its
 * first IPv4 address, or failing that its first global IPv6 address that has passed
 * duplicate address detection (not tentative, not dadfailed). Link-local addresses are never
 * chosen. The text is canonical (inet_ntop). */
int vkNetDevGetListenAddress(const char *ifname, char **addr);

/* Looks in the main routing table for a route to exactly the subnet ADDR/PREFIX (ADDR is
 * masked by PREFIX) that leaves through a device other than IGNORE (may be NULL): returns 1 and
 * sets *IFNAME to that device, 0 when there is none, -1 on error. Routes without a device
 * (blackhole, unreachable) do not count. */
int vkNetDevFindRoute(const char *addr, unsigned int prefix, const char *ignore, char **ifname);

typedef enum {
    /* The guest side uses virtio-net headers (IFF_VNET_HDR). */
    VK_NETDEV_TAP_VNET_HDR = 1 << 0,
    /* The device outlives the descriptor; remove it with vkNetDevTapDelete. */
    VK_NETDEV_TAP_PERSIST = 1 << 1,
} vkNetDevTapFlags;

/* Creates a tap device named NAME, or from a template with "%d" ("vnet%d") that the kernel
 * fills in, and returns its close-on-exec descriptor in *TAPFD and the final name in
 * *IFNAME. Without VK_NETDEV_TAP_PERSIST the device disappears with the last descriptor. */
int vkNetDevTapCreate(const char *name, unsigned int flags, char **ifname, int *tapfd);
/* Refuses to delete an interface that is not a tun/tap device. */
int vkNetDevTapDelete(const char *ifname);

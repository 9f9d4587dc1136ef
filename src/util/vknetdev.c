/* Host network devices through libnl-3's rtnetlink calls; one netlink socket per call keeps
 * every function safe to use from several threads without shared state. */
#include "vknetdev.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <linux/if.h>
#include <linux/if_addr.h>
#include <linux/if_link.h>
#include <linux/if_tun.h>
#include <linux/rtnetlink.h>

#include <netlink/netlink.h>
#include <netlink/route/addr.h>
#include <netlink/route/link.h>
#include <netlink/route/link/bridge.h>
#include <netlink/route/route.h>

#include "vkerror.h"

typedef struct nl_sock vkNlSock;
typedef struct nl_msg vkNlMsg;
typedef struct nl_addr vkNlAddr;
typedef struct nl_cache vkNlCache;
typedef struct rtnl_link vkNlLink;
typedef struct rtnl_addr vkNlIfAddr;
G_DEFINE_AUTOPTR_CLEANUP_FUNC(vkNlSock, nl_socket_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC(vkNlMsg, nlmsg_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC(vkNlAddr, nl_addr_put)
G_DEFINE_AUTOPTR_CLEANUP_FUNC(vkNlCache, nl_cache_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC(vkNlLink, rtnl_link_put)
G_DEFINE_AUTOPTR_CLEANUP_FUNC(vkNlIfAddr, rtnl_addr_put)

/* libnl folds the kernel's errno into its own NLE_ codes; turning the common ones back lets
 * messages end in the familiar strerror text and lets callers read the errno from int1. */
static int nlErrorToErrno(int nlerr)
{
    switch (abs(nlerr)) {
    case NLE_PERM:
        return EPERM;
    case NLE_NOACCESS:
        return EACCES;
    case NLE_NODEV:
        return ENODEV;
    case NLE_OBJ_NOTFOUND:
        return ENOENT;
    case NLE_EXIST:
        return EEXIST;
    case NLE_BUSY:
        return EBUSY;
    case NLE_INVAL:
        return EINVAL;
    case NLE_RANGE:
        return ERANGE;
    case NLE_NOMEM:
        return ENOMEM;
    case NLE_NOADDR:
        return EADDRNOTAVAIL;
    case NLE_AF_NOSUPPORT:
        return EAFNOSUPPORT;
    case NLE_OPNOTSUPP:
        return EOPNOTSUPP;
    case NLE_AGAIN:
        return EAGAIN;
    case NLE_INTR:
        return EINTR;
    default:
        return 0;
    }
}

static void reportNlError(int nlerr, const char *fmt, ...) G_GNUC_PRINTF(2, 3);
static void reportNlError(int nlerr, const char *fmt, ...)
{
    g_autofree char *what = NULL;
    int errnum = nlErrorToErrno(nlerr);
    va_list ap;

    va_start(ap, fmt);
    what = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    if (errnum)
        vkReportSystemError(VIR_FROM_NONE, errnum, "%s", what);
    else
        vkReportError(VIR_FROM_NONE, VIR_ERR_INTERNAL_ERROR, "%s: %s", what, nl_geterror(nlerr));
}

static vkNlSock *nlOpen(void)
{
    g_autoptr(vkNlSock) sock = nl_socket_alloc();
    int rc;

    if (!sock) {
        vkReportOOM();
        return NULL;
    }
    if ((rc = nl_connect(sock, NETLINK_ROUTE)) < 0) {
        reportNlError(rc, "cannot open a netlink socket");
        return NULL;
    }
    return g_steal_pointer(&sock);
}

static gboolean nlIsMissing(int rc)
{
    return rc == -NLE_NODEV || rc == -NLE_OBJ_NOTFOUND;
}

/* Returns 0 or a negative NLE_ code without reporting; a name too long for the kernel can
 * name no device, so it is missing rather than invalid. */
static int linkFetch(vkNlSock *sock, const char *ifname, vkNlLink **link)
{
    *link = NULL;
    if (strlen(ifname) >= IFNAMSIZ)
        return -NLE_NODEV;
    return rtnl_link_get_kernel(sock, 0, ifname, link);
}

static vkNlLink *linkGet(vkNlSock *sock, const char *ifname)
{
    vkNlLink *link = NULL;
    int rc = linkFetch(sock, ifname, &link);

    if (rc < 0) {
        reportNlError(rc, "cannot look up interface '%s'", ifname);
        return NULL;
    }
    return link;
}

static gboolean linkIsKind(vkNlLink *link, const char *kind)
{
    const char *type = rtnl_link_get_type(link);
    return type && strcmp(type, kind) == 0;
}

int vkNetDevExists(const char *ifname)
{
    g_autoptr(vkNlSock) sock = nlOpen();
    g_autoptr(vkNlLink) link = NULL;
    int rc;

    if (!sock)
        return -1;
    rc = linkFetch(sock, ifname, &link);
    if (nlIsMissing(rc))
        return 0;
    if (rc < 0) {
        reportNlError(rc, "cannot look up interface '%s'", ifname);
        return -1;
    }
    return 1;
}

int vkNetDevGetIndex(const char *ifname, int *ifindex)
{
    g_autoptr(vkNlSock) sock = nlOpen();
    g_autoptr(vkNlLink) link = NULL;

    if (!sock || !(link = linkGet(sock, ifname)))
        return -1;
    *ifindex = rtnl_link_get_ifindex(link);
    return 0;
}

int vkNetDevIsBridge(const char *ifname)
{
    g_autoptr(vkNlSock) sock = nlOpen();
    g_autoptr(vkNlLink) link = NULL;

    if (!sock || !(link = linkGet(sock, ifname)))
        return -1;
    return linkIsKind(link, "bridge") ? 1 : 0;
}

int vkNetDevGetMAC(const char *ifname, unsigned char mac[VK_NETDEV_MAC_LEN])
{
    g_autoptr(vkNlSock) sock = nlOpen();
    g_autoptr(vkNlLink) link = NULL;
    struct nl_addr *lladdr;

    if (!sock || !(link = linkGet(sock, ifname)))
        return -1;
    lladdr = rtnl_link_get_addr(link);
    if (!lladdr || nl_addr_get_len(lladdr) != VK_NETDEV_MAC_LEN) {
        vkReportError(VIR_FROM_NONE, VIR_ERR_OPERATION_INVALID,
                      "interface '%s' has no Ethernet MAC address", ifname);
        return -1;
    }
    memcpy(mac, nl_addr_get_binary_addr(lladdr), VK_NETDEV_MAC_LEN);
    return 0;
}

/* Applies CHANGES to IFNAME; WHAT completes "cannot ... of interface 'X'" in the error. */
static int linkChange(const char *ifname, vkNlLink *changes, const char *what)
{
    g_autoptr(vkNlSock) sock = nlOpen();
    g_autoptr(vkNlLink) link = NULL;
    int rc;

    if (!sock || !(link = linkGet(sock, ifname)))
        return -1;
    if ((rc = rtnl_link_change(sock, link, changes, 0)) < 0) {
        reportNlError(rc, "cannot %s of interface '%s'", what, ifname);
        return -1;
    }
    return 0;
}

int vkNetDevSetMAC(const char *ifname, const unsigned char mac[VK_NETDEV_MAC_LEN])
{
    g_autoptr(vkNlLink) changes = rtnl_link_alloc();
    g_autoptr(vkNlAddr) lladdr = nl_addr_build(AF_LLC, mac, VK_NETDEV_MAC_LEN);

    if (!changes || !lladdr) {
        vkReportOOM();
        return -1;
    }
    rtnl_link_set_addr(changes, lladdr);
    return linkChange(ifname, changes, "set the MAC address");
}

int vkNetDevGetMTU(const char *ifname, unsigned int *mtu)
{
    g_autoptr(vkNlSock) sock = nlOpen();
    g_autoptr(vkNlLink) link = NULL;

    if (!sock || !(link = linkGet(sock, ifname)))
        return -1;
    *mtu = rtnl_link_get_mtu(link);
    return 0;
}

int vkNetDevSetMTU(const char *ifname, unsigned int mtu)
{
    g_autoptr(vkNlLink) changes = rtnl_link_alloc();

    if (!changes) {
        vkReportOOM();
        return -1;
    }
    rtnl_link_set_mtu(changes, mtu);
    return linkChange(ifname, changes, "set the MTU");
}

int vkNetDevSetOnline(const char *ifname, gboolean online)
{
    g_autoptr(vkNlLink) changes = rtnl_link_alloc();

    if (!changes) {
        vkReportOOM();
        return -1;
    }
    if (online)
        rtnl_link_set_flags(changes, IFF_UP);
    else
        rtnl_link_unset_flags(changes, IFF_UP);
    return linkChange(ifname, changes, online ? "bring up the link" : "bring down the link");
}

int vkNetDevBridgeCreate(const char *brname, const unsigned char *mac)
{
    g_autoptr(vkNlSock) sock = nlOpen();
    g_autoptr(vkNlLink) link = rtnl_link_bridge_alloc();
    g_autoptr(vkNlAddr) lladdr = NULL;
    int rc;

    if (!sock)
        return -1;
    if (!link) {
        vkReportOOM();
        return -1;
    }
    rtnl_link_set_name(link, brname);
    if (mac) {
        if (!(lladdr = nl_addr_build(AF_LLC, mac, VK_NETDEV_MAC_LEN))) {
            vkReportOOM();
            return -1;
        }
        rtnl_link_set_addr(link, lladdr);
    }
    if ((rc = rtnl_link_add(sock, link, NLM_F_CREATE | NLM_F_EXCL)) < 0) {
        reportNlError(rc, "cannot create bridge '%s'", brname);
        return -1;
    }
    return 0;
}

/* KIND is the rtnetlink link kind, DESC the word for it in the error. */
static int linkDeleteOfKind(const char *ifname, const char *kind, const char *desc)
{
    g_autoptr(vkNlSock) sock = nlOpen();
    g_autoptr(vkNlLink) link = NULL;
    int rc;

    if (!sock || !(link = linkGet(sock, ifname)))
        return -1;
    if (!linkIsKind(link, kind)) {
        vkReportError(VIR_FROM_NONE, VIR_ERR_OPERATION_INVALID, "interface '%s' is not a %s",
                      ifname, desc);
        return -1;
    }
    if ((rc = rtnl_link_delete(sock, link)) < 0) {
        reportNlError(rc, "cannot delete %s '%s'", desc, ifname);
        return -1;
    }
    return 0;
}

int vkNetDevBridgeDelete(const char *brname)
{
    return linkDeleteOfKind(brname, "bridge", "bridge");
}

/* libnl-route 3.7 has setters for bridge ports (IFLA_BRPORT_*) but none for the bridge's
 * own IFLA_BR_* options, so the request is built with libnl's message calls. Netlink rather
 * than sysfs: it acts in the caller's network namespace and works where /sys is read-only. */
static int bridgeSetOption(const char *brname, int attr, guint32 value, const char *what)
{
    struct ifinfomsg ifi = { .ifi_family = AF_UNSPEC };
    g_autoptr(vkNlSock) sock = nlOpen();
    g_autoptr(vkNlMsg) msg = nlmsg_alloc_simple(RTM_NEWLINK, 0);
    struct nlattr *linkinfo;
    struct nlattr *data;
    int rc;

    if (!sock)
        return -1;
    /* No NLM_F_CREATE: the kernel looks BRNAME up by name and answers ENODEV if it is gone. */
    if (!msg || nlmsg_append(msg, &ifi, sizeof(ifi), NLMSG_ALIGNTO) < 0 ||
        nla_put_string(msg, IFLA_IFNAME, brname) < 0 ||
        !(linkinfo = nla_nest_start(msg, IFLA_LINKINFO)) ||
        nla_put_string(msg, IFLA_INFO_KIND, "bridge") < 0 ||
        !(data = nla_nest_start(msg, IFLA_INFO_DATA)) || nla_put_u32(msg, attr, value) < 0) {
        vkReportOOM();
        return -1;
    }
    nla_nest_end(msg, data);
    nla_nest_end(msg, linkinfo);

    if ((rc = nl_send_sync(sock, g_steal_pointer(&msg))) < 0) {
        reportNlError(rc, "cannot %s of bridge '%s'", what, brname);
        return -1;
    }
    return 0;
}

int vkNetDevBridgeSetSTP(const char *brname, gboolean enable)
{
    return bridgeSetOption(brname, IFLA_BR_STP_STATE, enable ? 1 : 0, "set the STP state");
}

int vkNetDevBridgeSetForwardDelay(const char *brname, unsigned int delayMs)
{
    guint64 ticks = (guint64)delayMs * (guint64)sysconf(_SC_CLK_TCK) / 1000;

    return bridgeSetOption(brname, IFLA_BR_FORWARD_DELAY, (guint32)MIN(ticks, G_MAXUINT32),
                           "set the forward delay");
}

int vkNetDevBridgeAddPort(const char *brname, const char *ifname)
{
    g_autoptr(vkNlSock) sock = nlOpen();
    g_autoptr(vkNlLink) bridge = NULL;
    g_autoptr(vkNlLink) port = NULL;
    int rc;

    if (!sock || !(bridge = linkGet(sock, brname)) || !(port = linkGet(sock, ifname)))
        return -1;
    if ((rc = rtnl_link_enslave(sock, bridge, port)) < 0) {
        reportNlError(rc, "cannot attach interface '%s' to bridge '%s'", ifname, brname);
        return -1;
    }
    return 0;
}

int vkNetDevBridgeRemovePort(const char *brname, const char *ifname)
{
    g_autoptr(vkNlSock) sock = nlOpen();
    g_autoptr(vkNlLink) bridge = NULL;
    g_autoptr(vkNlLink) port = NULL;
    int rc;

    if (!sock || !(bridge = linkGet(sock, brname)) || !(port = linkGet(sock, ifname)))
        return -1;
    if (rtnl_link_get_master(port) != rtnl_link_get_ifindex(bridge)) {
        vkReportError(VIR_FROM_NONE, VIR_ERR_OPERATION_INVALID,
                      "interface '%s' is not attached to bridge '%s'", ifname, brname);
        return -1;
    }
    if ((rc = rtnl_link_release(sock, port)) < 0) {
        reportNlError(rc, "cannot detach interface '%s' from bridge '%s'", ifname, brname);
        return -1;
    }
    return 0;
}

/* Strict text form only: nl_addr_parse would also take "default", hex and prefixed forms. */
static vkNlAddr *parseIPAddress(const char *text, unsigned int prefix)
{
    struct in6_addr bin;
    int family = AF_INET;
    unsigned int maxPrefix = 32;
    vkNlAddr *addr;

    if (inet_pton(AF_INET, text, &bin) != 1) {
        family = AF_INET6;
        maxPrefix = 128;
        if (inet_pton(AF_INET6, text, &bin) != 1) {
            vkReportError(VIR_FROM_NONE, VIR_ERR_INVALID_ARG, "invalid IP address '%s'", text);
            return NULL;
        }
    }
    if (prefix > maxPrefix) {
        vkReportError(VIR_FROM_NONE, VIR_ERR_INVALID_ARG, "invalid prefix %u for address '%s'",
                      prefix, text);
        return NULL;
    }
    if (!(addr = nl_addr_build(family, &bin, family == AF_INET ? 4 : 16))) {
        vkReportOOM();
        return NULL;
    }
    nl_addr_set_prefixlen(addr, (int)prefix);
    return addr;
}

/* The subnet's all-ones address, as "ip addr add ... broadcast +" would set it. */
static vkNlAddr *ipv4Broadcast(vkNlAddr *local, unsigned int prefix)
{
    guint32 host;
    vkNlAddr *bcast;

    memcpy(&host, nl_addr_get_binary_addr(local), sizeof(host));
    host = htonl(ntohl(host) | (prefix ? G_MAXUINT32 >> prefix : G_MAXUINT32));
    if (!(bcast = nl_addr_build(AF_INET, &host, sizeof(host))))
        vkReportOOM();
    return bcast;
}

static vkNlIfAddr *addressBuild(vkNlSock *sock, const char *ifname, const char *text,
                                unsigned int prefix)
{
    g_autoptr(vkNlLink) link = NULL;
    g_autoptr(vkNlAddr) local = NULL;
    g_autoptr(vkNlIfAddr) addr = rtnl_addr_alloc();
    int rc;

    if (!addr) {
        vkReportOOM();
        return NULL;
    }
    if (!(local = parseIPAddress(text, prefix)) || !(link = linkGet(sock, ifname)))
        return NULL;
    rtnl_addr_set_ifindex(addr, rtnl_link_get_ifindex(link));
    if ((rc = rtnl_addr_set_local(addr, local)) < 0) {
        reportNlError(rc, "cannot use address '%s'", text);
        return NULL;
    }
    rtnl_addr_set_prefixlen(addr, (int)prefix);
    return g_steal_pointer(&addr);
}

int vkNetDevAddAddress(const char *ifname, const char *text, unsigned int prefix,
                       unsigned int flags)
{
    g_autoptr(vkNlSock) sock = nlOpen();
    g_autoptr(vkNlIfAddr) addr = NULL;
    int rc;

    if (!sock || !(addr = addressBuild(sock, ifname, text, prefix)))
        return -1;
    if (rtnl_addr_get_family(addr) == AF_INET && prefix < 31) {
        g_autoptr(vkNlAddr) bcast = ipv4Broadcast(rtnl_addr_get_local(addr), prefix);
        if (!bcast)
            return -1;
        rtnl_addr_set_broadcast(addr, bcast);
    }
    if (rtnl_addr_get_family(addr) == AF_INET6 && (flags & VK_NETDEV_ADDR_NODAD))
        rtnl_addr_set_flags(addr, IFA_F_NODAD);

    /* Without NLM_F_REPLACE the kernel answers EEXIST for an address already there. */
    if ((rc = rtnl_addr_add(sock, addr, NLM_F_REPLACE)) < 0) {
        reportNlError(rc, "cannot add address %s/%u to interface '%s'", text, prefix, ifname);
        return -1;
    }
    return 0;
}

int vkNetDevDelAddress(const char *ifname, const char *text, unsigned int prefix)
{
    g_autoptr(vkNlSock) sock = nlOpen();
    g_autoptr(vkNlIfAddr) addr = NULL;
    int rc;

    if (!sock || !(addr = addressBuild(sock, ifname, text, prefix)))
        return -1;
    if ((rc = rtnl_addr_delete(sock, addr, 0)) < 0) {
        reportNlError(rc, "cannot remove address %s/%u from interface '%s'", text, prefix, ifname);
        return -1;
    }
    return 0;
}

/* A server bound to a tentative or dadfailed address cannot receive, and a link-local one
 * needs a scope id that clients of a listen address never give; the scope test excludes
 * link-local (and loopback) addresses, since the kernel derives an IPv6 address's scope
 * from the address itself. */
static gboolean ipv6Usable(struct rtnl_addr *addr)
{
    return rtnl_addr_get_scope(addr) == RT_SCOPE_UNIVERSE &&
           !(rtnl_addr_get_flags(addr) & (IFA_F_TENTATIVE | IFA_F_DADFAILED));
}

static char *formatAddress(struct rtnl_addr *addr)
{
    struct nl_addr *local = rtnl_addr_get_local(addr);
    char buf[INET6_ADDRSTRLEN];

    if (!inet_ntop(nl_addr_get_family(local), nl_addr_get_binary_addr(local), buf, sizeof(buf)))
        return NULL;
    return g_strdup(buf);
}

int vkNetDevGetListenAddress(const char *ifname, char **addr)
{
    g_autoptr(vkNlSock) sock = nlOpen();
    g_autoptr(vkNlLink) link = NULL;
    g_autoptr(vkNlCache) cache = NULL;
    struct rtnl_addr *ipv6 = NULL;
    gboolean seenAny = FALSE;
    int ifindex;
    int rc;

    *addr = NULL;
    if (!sock)
        return -1;
    rc = linkFetch(sock, ifname, &link);
    if (nlIsMissing(rc)) {
        vkReportError(VIR_FROM_NONE, VIR_ERR_INTERNAL_ERROR, "network device '%s' not found",
                      ifname);
        return -1;
    }
    if (rc < 0) {
        reportNlError(rc, "cannot look up interface '%s'", ifname);
        return -1;
    }
    ifindex = rtnl_link_get_ifindex(link);

    if ((rc = rtnl_addr_alloc_cache(sock, &cache)) < 0) {
        reportNlError(rc, "cannot list the addresses of interface '%s'", ifname);
        return -1;
    }

    /* The cache keeps the kernel's order: IPv4 before IPv6, primary before secondary. */
    for (struct nl_object *obj = nl_cache_get_first(cache); obj; obj = nl_cache_get_next(obj)) {
        struct rtnl_addr *cur = (struct rtnl_addr *)obj;

        if (rtnl_addr_get_ifindex(cur) != ifindex || !rtnl_addr_get_local(cur))
            continue;
        seenAny = TRUE;
        if (rtnl_addr_get_family(cur) == AF_INET) {
            *addr = formatAddress(cur);
            break;
        }
        if (!ipv6 && rtnl_addr_get_family(cur) == AF_INET6 && ipv6Usable(cur))
            ipv6 = cur;
    }
    if (!*addr && ipv6)
        *addr = formatAddress(ipv6);
    if (*addr)
        return 0;

    if (!seenAny) {
        vkReportError(VIR_FROM_NONE, VIR_ERR_INTERNAL_ERROR,
                      "no IP address found for interface '%s'", ifname);
    } else {
        vkReportError(VIR_FROM_NONE, VIR_ERR_INTERNAL_ERROR,
                      "no usable IP address found for interface '%s': it has no IPv4 address "
                      "and its IPv6 addresses are link-local or not yet (or never) confirmed "
                      "by duplicate address detection",
                      ifname);
    }
    return -1;
}

/* The device a route leaves through: its first next hop's. 0 for routes without one
 * (blackhole, unreachable). */
static int routeIfindex(struct rtnl_route *route)
{
    struct rtnl_nexthop *nh = rtnl_route_nexthop_n(route, 0);

    return nh ? rtnl_route_nh_get_ifindex(nh) : 0;
}

int vkNetDevFindRoute(const char *text, unsigned int prefix, const char *ignore, char **ifname)
{
    g_autoptr(vkNlSock) sock = NULL;
    g_autoptr(vkNlCache) routes = NULL;
    g_autoptr(vkNlCache) links = NULL;
    g_autoptr(vkNlAddr) net = NULL;
    int ignoreIndex = 0;
    int rc;

    *ifname = NULL;
    if (!(net = parseIPAddress(text, prefix)) || !(sock = nlOpen()))
        return -1;
    if ((rc = rtnl_link_alloc_cache(sock, AF_UNSPEC, &links)) < 0 ||
        (rc = rtnl_route_alloc_cache(sock, nl_addr_get_family(net), 0, &routes)) < 0) {
        reportNlError(rc, "cannot read the routing table");
        return -1;
    }
    if (ignore)
        ignoreIndex = rtnl_link_name2i(links, ignore);
    for (struct nl_object *obj = nl_cache_get_first(routes); obj; obj = nl_cache_get_next(obj)) {
        struct rtnl_route *route = (struct rtnl_route *)obj;
        struct nl_addr *dst = rtnl_route_get_dst(route);
        int ifindex = routeIfindex(route);
        char name[IFNAMSIZ];

        /* The main table is what the kernel routes by for everyone, and what libvirt reads
         * from /proc/net/route; the local table only holds the host's own addresses. */
        if (rtnl_route_get_table(route) != RT_TABLE_MAIN || !dst || ifindex <= 0 ||
            ifindex == ignoreIndex)
            continue;
        if (nl_addr_get_prefixlen(dst) != prefix || nl_addr_cmp_prefix(dst, net) != 0)
            continue;
        if (!rtnl_link_i2name(links, ifindex, name, sizeof(name)))
            g_snprintf(name, sizeof(name), "%d", ifindex);
        *ifname = g_strdup(name);
        return 1;
    }
    return 0;
}

int vkNetDevTapCreate(const char *name, unsigned int flags, char **ifname, int *tapfd)
{
    struct ifreq ifr = { 0 };
    int fd;

    *ifname = NULL;
    *tapfd = -1;
    if (strlen(name) >= sizeof(ifr.ifr_name)) {
        vkReportError(VIR_FROM_NONE, VIR_ERR_INVALID_ARG,
                      "tap device name '%s' is longer than %zu characters", name,
                      sizeof(ifr.ifr_name) - 1);
        return -1;
    }
    if ((fd = open("/dev/net/tun", O_RDWR | O_CLOEXEC)) < 0) {
        vkReportSystemError(VIR_FROM_NONE, errno, "cannot open '/dev/net/tun'");
        return -1;
    }

    /* IFF_TUN_EXCL: never attach to a persistent device someone else left behind. */
    /* ifr_flags is a short; IFF_TUN_EXCL is its top bit, which the kernel reads back as such. */
    ifr.ifr_flags = (short)(unsigned short)(IFF_TAP | IFF_NO_PI | IFF_TUN_EXCL);
    if (flags & VK_NETDEV_TAP_VNET_HDR)
        ifr.ifr_flags |= IFF_VNET_HDR;
    g_strlcpy(ifr.ifr_name, name, sizeof(ifr.ifr_name));

    if (ioctl(fd, TUNSETIFF, &ifr) < 0) {
        int err = errno;
        close(fd);
        vkReportSystemError(VIR_FROM_NONE, err, "cannot create tap device '%s'", name);
        return -1;
    }
    if ((flags & VK_NETDEV_TAP_PERSIST) && ioctl(fd, TUNSETPERSIST, 1) < 0) {
        int err = errno;
        close(fd);
        vkReportSystemError(VIR_FROM_NONE, err, "cannot make tap device '%s' persistent",
                            ifr.ifr_name);
        return -1;
    }
    *ifname = g_strdup(ifr.ifr_name);
    *tapfd = fd;
    return 0;
}

int vkNetDevTapDelete(const char *ifname)
{
    return linkDeleteOfKind(ifname, "tun", "tap device");
}

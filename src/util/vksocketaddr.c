/* IP address parsing, formatting and prefix arithmetic over a family-tagged byte array. */
#include "vksocketaddr.h"

#include <arpa/inet.h>
#include <string.h>

static guint addrLen(int family)
{
    switch (family) {
    case AF_INET:
        return 4;
    case AF_INET6:
        return 16;
    default:
        return 0;
    }
}

int vkSocketAddrParse(const char *str, vkSocketAddr *out)
{
    return vkSocketAddrParseFamily(str, AF_UNSPEC, out);
}

int vkSocketAddrParseFamily(const char *str, int family, vkSocketAddr *out)
{
    vkSocketAddr addr = { .family = AF_UNSPEC };

    if (!str)
        return -1;
    /* inet_pton is strict where getaddrinfo is lenient: no "10.1", no "%zone", no names, so
     * what we store always prints back as the same address. */
    if (inet_pton(AF_INET, str, &addr.data.v4) == 1)
        addr.family = AF_INET;
    else if (inet_pton(AF_INET6, str, &addr.data.v6) == 1)
        addr.family = AF_INET6;
    else
        return -1;
    if (family != AF_UNSPEC && family != addr.family)
        return -1;
    *out = addr;
    return 0;
}

char *vkSocketAddrFormat(const vkSocketAddr *addr)
{
    char buf[VK_SOCKET_ADDR_STRLEN];

    if (!vkSocketAddrIsValid(addr))
        return NULL;
    if (!inet_ntop(addr->family, &addr->data, buf, sizeof(buf)))
        return NULL;
    return g_strdup(buf);
}

gboolean vkSocketAddrIsValid(const vkSocketAddr *addr)
{
    return addr && addrLen(addr->family) > 0;
}

gboolean vkSocketAddrIsFamily(const vkSocketAddr *addr, int family)
{
    return addr && addr->family == family;
}

gboolean vkSocketAddrEqual(const vkSocketAddr *a, const vkSocketAddr *b)
{
    return vkSocketAddrCompare(a, b) == 0;
}

int vkSocketAddrCompare(const vkSocketAddr *a, const vkSocketAddr *b)
{
    if (a->family != b->family)
        return a->family < b->family ? -1 : 1;
    return memcmp(a->data.bytes, b->data.bytes, addrLen(a->family));
}

gboolean vkSocketAddrIsWildcard(const vkSocketAddr *addr)
{
    guint len = addrLen(addr->family);

    if (len == 0)
        return FALSE;
    for (guint i = 0; i < len; i++) {
        if (addr->data.bytes[i])
            return FALSE;
    }
    return TRUE;
}

unsigned int vkSocketAddrMaxPrefix(int family)
{
    return addrLen(family) * 8;
}

int vkSocketAddrNetmaskToPrefix(const vkSocketAddr *netmask)
{
    guint len = addrLen(netmask->family);
    int prefix = 0;
    guint i = 0;

    if (len == 0)
        return -1;
    for (; i < len && netmask->data.bytes[i] == 0xff; i++)
        prefix += 8;
    if (i < len) {
        guint8 b = netmask->data.bytes[i++];
        /* A contiguous partial byte is some ones followed only by zeros. */
        while (b & 0x80) {
            prefix++;
            b <<= 1;
        }
        if (b)
            return -1;
    }
    for (; i < len; i++) {
        if (netmask->data.bytes[i])
            return -1;
    }
    return prefix;
}

int vkSocketAddrPrefixToNetmask(unsigned int prefix, int family, vkSocketAddr *netmask)
{
    guint len = addrLen(family);
    vkSocketAddr mask = { .family = family };

    if (len == 0 || prefix > len * 8)
        return -1;
    for (guint i = 0; i < len; i++) {
        if (prefix >= 8) {
            mask.data.bytes[i] = 0xff;
            prefix -= 8;
        } else {
            mask.data.bytes[i] = (guint8)(0xff00 >> prefix);
            prefix = 0;
        }
    }
    *netmask = mask;
    return 0;
}

int vkSocketAddrMaskByPrefix(const vkSocketAddr *addr, unsigned int prefix, vkSocketAddr *network)
{
    vkSocketAddr mask;
    vkSocketAddr out = { .family = addr->family };

    if (vkSocketAddrPrefixToNetmask(prefix, addr->family, &mask) < 0)
        return -1;
    for (guint i = 0; i < addrLen(addr->family); i++)
        out.data.bytes[i] = addr->data.bytes[i] & mask.data.bytes[i];
    *network = out;
    return 0;
}

int vkSocketAddrBroadcastByPrefix(const vkSocketAddr *addr, unsigned int prefix,
                                  vkSocketAddr *broadcast)
{
    vkSocketAddr mask;
    vkSocketAddr out = { .family = AF_INET };

    if (addr->family != AF_INET || vkSocketAddrPrefixToNetmask(prefix, AF_INET, &mask) < 0)
        return -1;
    for (guint i = 0; i < 4; i++)
        out.data.bytes[i] = addr->data.bytes[i] | (guint8)~mask.data.bytes[i];
    *broadcast = out;
    return 0;
}

gboolean vkSocketAddrInNetwork(const vkSocketAddr *addr, const vkSocketAddr *network,
                               unsigned int prefix)
{
    vkSocketAddr a, n;

    if (addr->family != network->family)
        return FALSE;
    if (vkSocketAddrMaskByPrefix(addr, prefix, &a) < 0 ||
        vkSocketAddrMaskByPrefix(network, prefix, &n) < 0)
        return FALSE;
    return vkSocketAddrEqual(&a, &n);
}

int vkSocketAddrNaturalPrefix(const vkSocketAddr *addr)
{
    guint8 first;

    if (!vkSocketAddrIsValid(addr))
        return -1;
    if (vkSocketAddrIsWildcard(addr))
        return 0;
    if (addr->family == AF_INET6)
        return 64;
    first = addr->data.bytes[0];
    if ((first & 0x80) == 0)
        return 8;
    if ((first & 0xc0) == 0x80)
        return 16;
    if ((first & 0xe0) == 0xc0)
        return 24;
    return -1;
}

int vkSocketAddrToSockaddr(const vkSocketAddr *addr, guint16 port, struct sockaddr_storage *ss,
                           socklen_t *len)
{
    memset(ss, 0, sizeof(*ss));
    if (addr->family == AF_INET) {
        struct sockaddr_in *in = (struct sockaddr_in *)ss;
        in->sin_family = AF_INET;
        in->sin_port = htons(port);
        in->sin_addr = addr->data.v4;
        *len = sizeof(*in);
        return 0;
    }
    if (addr->family == AF_INET6) {
        struct sockaddr_in6 *in6 = (struct sockaddr_in6 *)ss;
        in6->sin6_family = AF_INET6;
        in6->sin6_port = htons(port);
        in6->sin6_addr = addr->data.v6;
        *len = sizeof(*in6);
        return 0;
    }
    return -1;
}

int vkSocketAddrFromSockaddr(const struct sockaddr *sa, vkSocketAddr *out)
{
    vkSocketAddr addr = { .family = AF_UNSPEC };

    if (!sa)
        return -1;
    if (sa->sa_family == AF_INET)
        memcpy(&addr.data.v4, &((const struct sockaddr_in *)(const void *)sa)->sin_addr, 4);
    else if (sa->sa_family == AF_INET6)
        memcpy(&addr.data.v6, &((const struct sockaddr_in6 *)(const void *)sa)->sin6_addr, 16);
    else
        return -1;
    addr.family = sa->sa_family;
    *out = addr;
    return 0;
}

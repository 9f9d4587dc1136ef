/* IP addresses without ports: strict numeric parsing, canonical text, and the netmask/prefix
 * arithmetic that network definitions, the network driver and listen addresses share. */
#pragma once

#include <glib.h>
#include <netinet/in.h>
#include <sys/socket.h>

typedef struct {
    int family; /* AF_UNSPEC (no address), AF_INET or AF_INET6 */
    union {
        struct in_addr v4;
        struct in6_addr v6;
        guint8 bytes[16]; /* network byte order; 4 or 16 of them are used */
    } data;
} vkSocketAddr;

/* Enough for the text of any address vkSocketAddrFormat produces, with its NUL. */
#define VK_SOCKET_ADDR_STRLEN INET6_ADDRSTRLEN

/* Parse a numeric IPv4 (dotted quad) or IPv6 address. Host names, shorthands such as "10.1"
 * and IPv6 zone ids are refused. Returns 0, or -1 without reporting an error: the caller
 * knows which element or option to name in its message. */
int vkSocketAddrParse(const char *str, vkSocketAddr *out);
/* Like vkSocketAddrParse, also failing unless the address is of FAMILY (AF_UNSPEC: any). */
int vkSocketAddrParseFamily(const char *str, int family, vkSocketAddr *out);

/* Canonical text (lower-case, shortest IPv6 form); g_free it. NULL for an empty address. */
char *vkSocketAddrFormat(const vkSocketAddr *addr);

gboolean vkSocketAddrIsValid(const vkSocketAddr *addr);
gboolean vkSocketAddrIsFamily(const vkSocketAddr *addr, int family);
gboolean vkSocketAddrEqual(const vkSocketAddr *a, const vkSocketAddr *b);
/* Order by family, then numerically: <0, 0 or >0 like strcmp. */
int vkSocketAddrCompare(const vkSocketAddr *a, const vkSocketAddr *b);
/* 0.0.0.0 or :: */
gboolean vkSocketAddrIsWildcard(const vkSocketAddr *addr);

/* 32 for AF_INET, 128 for AF_INET6, 0 for anything else. */
unsigned int vkSocketAddrMaxPrefix(int family);
/* Number of leading one bits of NETMASK, or -1 if it is empty or its one bits are not
 * contiguous. */
int vkSocketAddrNetmaskToPrefix(const vkSocketAddr *netmask);
/* Returns 0, or -1 if FAMILY is not an IP family or PREFIX exceeds its width. */
int vkSocketAddrPrefixToNetmask(unsigned int prefix, int family, vkSocketAddr *netmask);
/* The network address of ADDR/PREFIX (host bits cleared). Returns 0 or -1 as above. */
int vkSocketAddrMaskByPrefix(const vkSocketAddr *addr, unsigned int prefix, vkSocketAddr *network);
/* The IPv4 broadcast address of ADDR/PREFIX (host bits set); -1 for IPv6 or a bad prefix. */
int vkSocketAddrBroadcastByPrefix(const vkSocketAddr *addr, unsigned int prefix,
                                  vkSocketAddr *broadcast);
/* TRUE if ADDR lies in the network NETWORK/PREFIX (NETWORK's host bits are ignored). */
gboolean vkSocketAddrInNetwork(const vkSocketAddr *addr, const vkSocketAddr *network,
                               unsigned int prefix);
/* The prefix an address implies when none is given, as libvirt computes it: the classful
 * prefix (8, 16 or 24) for IPv4, 64 for IPv6, 0 for a wildcard address, -1 for IPv4
 * multicast and reserved addresses or an empty address. */
int vkSocketAddrNaturalPrefix(const vkSocketAddr *addr);

/* Fill a struct sockaddr for bind()/connect(). Returns 0, or -1 for an empty address. */
int vkSocketAddrToSockaddr(const vkSocketAddr *addr, guint16 port, struct sockaddr_storage *ss,
                           socklen_t *len);
/* Take the address of an AF_INET or AF_INET6 sockaddr; -1 for other families. */
int vkSocketAddrFromSockaddr(const struct sockaddr *sa, vkSocketAddr *out);

/* Integration tests of DHCP on the wire: complete DHCPv4 and DHCPv6 exchanges with the dnsmasq
 * the driver runs, from a client in a second namespace whose veth is a port of the bridge. */
#include <arpa/inet.h>
#include <net/if.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>

#include "nettest.h"

#define GUEST_IF "vkguest0"
#define PORT_IF  "vkport0"
/* The first packets may be lost while the bridge port comes up, and dnsmasq pings an address
 * for up to 3 seconds before it offers it: retry for a while. */
#define ATTEMPTS 40
#define WAIT_MS  500

static void quiet(void *data, virErrorPtr err)
{
}

/* A network under test: its name, bridge, and the addresses and DHCP ranges of its <ip>s. */
typedef struct {
    const char *name;
    const char *bridge;
    const char *server4;
    const char *first4;
    const char *last4;
    const char *first6;
    const char *last6;
} DhcpNet;

static virNetworkPtr defineAndStart(virConnectPtr conn, const char *xml)
{
    virNetworkPtr net = virNetworkDefineXML(conn, xml);

    if (!net)
        nettestFailed("virNetworkDefineXML");
    if (virNetworkCreate(net) < 0)
        nettestFailed("virNetworkCreate");
    return net;
}

static void assertContains(const char *haystack, const char *needle)
{
    if (!haystack || !strstr(haystack, needle))
        g_error("\"%s\" lacks \"%s\"", haystack ? haystack : "(null)", needle);
}

/* ---- the guest ---- */

static char *guestNetns(NetFixture *f)
{
    /* NAME-peer: the harness removes it with the case's own namespace. */
    return g_strdup_printf("%s-peer", f->netns);
}

/* The guest's port keeps one MAC address. dnsmasq tells DHCPv4 clients apart by the hardware
 * address in the message, so one port can play several clients; changing the port's address
 * instead would leave the host's neighbour entry for the guest's link-local address stale, and
 * DHCPv6 answers would go to the old address until neighbour discovery notices, seconds later. */
#define GUEST_MAC "52:54:00:65:43:21"

static void plugGuest(NetFixture *f, const char *bridge)
{
    g_autofree char *peer = guestNetns(f);

    g_free(nettestRunf("ip netns add %s", peer));
    g_free(nettestRunf("ip -n %s link set lo up", peer));
    g_free(nettestRun("ip link add " PORT_IF " type veth peer name " GUEST_IF));
    g_free(nettestRunf("ip link set " GUEST_IF " netns %s", peer));
    g_free(nettestRunf("ip link set " PORT_IF " master %s up", bridge));
    g_free(nettestRunf("ip -n %s link set " GUEST_IF " address " GUEST_MAC " up", peer));
}

/* A UDP socket of the guest (a socket belongs to the namespace it was made in), bound to PORT
 * on GUEST_IF; *IFINDEX is GUEST_IF's index there. */
static int guestSocket(NetFixture *f, int family, int port, unsigned int *ifindex)
{
    g_autofree char *peer = guestNetns(f);
    g_autofree char *peerPath = g_build_filename("/run/netns", peer, NULL);
    int home = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
    int other = open(peerPath, O_RDONLY | O_CLOEXEC);
    int one = 1;
    int sock;

    g_assert_cmpint(home, >=, 0);
    g_assert_cmpint(other, >=, 0);
    g_assert_cmpint(setns(other, CLONE_NEWNET), ==, 0);
    sock = socket(family, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    *ifindex = if_nametoindex(GUEST_IF);
    g_assert_cmpint(setns(home, CLONE_NEWNET), ==, 0);
    close(home);
    close(other);
    g_assert_cmpint(sock, >=, 0);
    g_assert_cmpuint(*ifindex, >, 0);

    g_assert_cmpint(setsockopt(sock, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)), ==, 0);
    g_assert_cmpint(setsockopt(sock, SOL_SOCKET, SO_BINDTODEVICE, GUEST_IF, strlen(GUEST_IF)), ==,
                    0);
    if (family == AF_INET) {
        struct sockaddr_in src = { .sin_family = AF_INET, .sin_port = htons(port) };

        /* No address yet: replies come as broadcasts. */
        g_assert_cmpint(setsockopt(sock, SOL_SOCKET, SO_BROADCAST, &one, sizeof(one)), ==, 0);
        g_assert_cmpint(bind(sock, (struct sockaddr *)&src, sizeof(src)), ==, 0);
    } else {
        struct sockaddr_in6 src = { .sin6_family = AF_INET6, .sin6_port = htons(port) };
        int index = *ifindex;

        g_assert_cmpint(setsockopt(sock, IPPROTO_IPV6, IPV6_MULTICAST_IF, &index, sizeof(index)),
                        ==, 0);
        g_assert_cmpint(bind(sock, (struct sockaddr *)&src, sizeof(src)), ==, 0);
    }
    return sock;
}

typedef gboolean (*ReplyMatch)(const guint8 *pkt, size_t len, gconstpointer data);

/* Sends REQ to DST until a packet that MATCH accepts comes back into REPLY; returns its length,
 * or 0 when none came. */
static size_t exchange(int sock, const guint8 *req, size_t len, const struct sockaddr *dst,
                       socklen_t dstLen, ReplyMatch match, gconstpointer data, guint8 *reply,
                       size_t replySize)
{
    for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
        struct pollfd pfd = { .fd = sock, .events = POLLIN };

        g_assert_cmpint(sendto(sock, req, len, 0, dst, dstLen), ==, (ssize_t)len);
        while (poll(&pfd, 1, WAIT_MS) > 0) {
            ssize_t n = recv(sock, reply, replySize, 0);

            if (n > 0 && match(reply, n, data))
                return n;
        }
    }
    return 0;
}

/* Waits until the leases file of NAME has a line holding every one of NEEDLES: dnsmasq writes
 * it once the exchange is over, which the client cannot see. */
static void waitLease(NetFixture *f, const char *name, const char *const *needles)
{
    g_autofree char *rel = g_strdup_printf("run/network/%s.leases", name);
    g_autofree char *path = nettestRootFile(f, rel);
    g_autofree char *text = NULL;

    for (int i = 0; i < 200; i++) {
        g_auto(GStrv) lines = NULL;

        g_free(text);
        text = nettestReadFile(path);
        lines = g_strsplit(text ? text : "", "\n", -1);
        for (char **line = lines; *line; line++) {
            const char *const *needle = needles;

            while (*needle && strstr(*line, *needle))
                needle++;
            if (!*needle)
                return;
        }
        g_usleep(10000);
    }
    g_error("no lease with %s and %s in %s: \"%s\"", needles[0], needles[1], path,
            text ? text : "(missing)");
}

/* ---- DHCPv4 (RFC 2131, 2132) ---- */

enum {
    DHCP_DISCOVER = 1,
    DHCP_OFFER = 2,
    DHCP_REQUEST = 3,
    DHCP_ACK = 5,
    DHCP_NAK = 6,
};

#define DHCP4_LEN         300
#define DHCP4_OPTIONS     240
#define OPT_REQUESTED_IP  50
#define OPT_LEASE_TIME    51
#define OPT_MESSAGE_TYPE  53
#define OPT_SERVER_ID     54
#define OPT_END           255
#define DHCP4_COOKIE_OFFS 236

typedef struct {
    guint32 xid;
    guint8 mac[6];
} Dhcp4Client;

typedef struct {
    guint8 type;
    struct in_addr yiaddr;
    struct in_addr serverId;
    guint32 leaseTime; /* 0 when absent */
} Dhcp4Reply;

static const guint8 dhcpCookie[4] = { 99, 130, 83, 99 };

static void putOption4(guint8 *pkt, size_t *off, guint8 code, guint8 len, const void *data)
{
    pkt[(*off)++] = code;
    pkt[(*off)++] = len;
    memcpy(pkt + *off, data, len);
    *off += len;
}

static void dhcp4Build(guint8 pkt[DHCP4_LEN], const Dhcp4Client *c, guint8 type,
                       const struct in_addr *requested, const struct in_addr *server)
{
    size_t off = DHCP4_OPTIONS;

    memset(pkt, 0, DHCP4_LEN);
    pkt[0] = 1; /* BOOTREQUEST */
    pkt[1] = 1; /* Ethernet */
    pkt[2] = 6;
    memcpy(pkt + 4, &c->xid, 4);
    pkt[10] = 0x80; /* broadcast: we have no address to receive a unicast reply on */
    memcpy(pkt + 28, c->mac, 6);
    memcpy(pkt + DHCP4_COOKIE_OFFS, dhcpCookie, 4);
    putOption4(pkt, &off, OPT_MESSAGE_TYPE, 1, &type);
    if (requested)
        putOption4(pkt, &off, OPT_REQUESTED_IP, 4, requested);
    if (server)
        putOption4(pkt, &off, OPT_SERVER_ID, 4, server);
    pkt[off] = OPT_END;
}

/* Option CODE of a reply, with *LEN, or NULL. */
static const guint8 *option4(const guint8 *pkt, size_t len, guint8 code, guint8 *optLen)
{
    size_t off = DHCP4_OPTIONS;

    while (off < len && pkt[off] != OPT_END) {
        if (pkt[off] == 0) {
            off++;
            continue;
        }
        if (off + 2 > len || off + 2 + pkt[off + 1] > len)
            return NULL;
        if (pkt[off] == code) {
            *optLen = pkt[off + 1];
            return pkt + off + 2;
        }
        off += 2 + pkt[off + 1];
    }
    return NULL;
}

/* What answers a request: the client's transaction, and a type that answers the request's
 * (an OFFER to a retried DISCOVER may still arrive after the REQUEST went out). */
typedef struct {
    const Dhcp4Client *client;
    guint8 request;
} Dhcp4Expect;

static gboolean isReply4(const guint8 *pkt, size_t len, gconstpointer data)
{
    const Dhcp4Expect *e = data;
    const guint8 *type;
    guint8 optLen = 0;

    if (len <= DHCP4_OPTIONS || pkt[0] != 2 || memcmp(pkt + 4, &e->client->xid, 4) != 0 ||
        memcmp(pkt + 28, e->client->mac, 6) != 0 ||
        memcmp(pkt + DHCP4_COOKIE_OFFS, dhcpCookie, 4) != 0)
        return FALSE;
    if (!(type = option4(pkt, len, OPT_MESSAGE_TYPE, &optLen)) || optLen != 1)
        return FALSE;
    if (e->request == DHCP_DISCOVER)
        return *type == DHCP_OFFER;
    return *type == DHCP_ACK || *type == DHCP_NAK;
}

/* Sends a message of TYPE and returns the server's answer; no answer fails the case. */
static Dhcp4Reply dhcp4Send(int sock, const Dhcp4Client *c, guint8 type,
                            const struct in_addr *requested, const struct in_addr *server)
{
    struct sockaddr_in dst = { .sin_family = AF_INET, .sin_port = htons(67) };
    Dhcp4Expect expect = { .client = c, .request = type };
    guint8 pkt[DHCP4_LEN];
    guint8 reply[1500];
    Dhcp4Reply r = { 0 };
    const guint8 *opt;
    guint8 optLen = 0;
    size_t len;

    dst.sin_addr.s_addr = htonl(INADDR_BROADCAST);
    dhcp4Build(pkt, c, type, requested, server);
    len = exchange(sock, pkt, sizeof(pkt), (struct sockaddr *)&dst, sizeof(dst), isReply4, &expect,
                   reply, sizeof(reply));
    if (!len)
        g_error("no answer to DHCP message type %u", type);
    r.type = *option4(reply, len, OPT_MESSAGE_TYPE, &optLen);
    memcpy(&r.yiaddr, reply + 16, 4);
    if ((opt = option4(reply, len, OPT_SERVER_ID, &optLen)) && optLen == 4)
        memcpy(&r.serverId, opt, 4);
    if ((opt = option4(reply, len, OPT_LEASE_TIME, &optLen)) && optLen == 4)
        r.leaseTime = ((guint32)opt[0] << 24) | (opt[1] << 16) | (opt[2] << 8) | opt[3];
    return r;
}

static void parseMAC(const char *text, guint8 mac[6])
{
    g_assert_cmpint(sscanf(text, "%hhx:%hhx:%hhx:%hhx:%hhx:%hhx", &mac[0], &mac[1], &mac[2],
                           &mac[3], &mac[4], &mac[5]),
                    ==, 6);
}

static struct in_addr addr4(const char *text)
{
    struct in_addr a;

    g_assert_cmpint(inet_pton(AF_INET, text, &a), ==, 1);
    return a;
}

static char *format4(struct in_addr a)
{
    char buf[INET_ADDRSTRLEN];

    return g_strdup(inet_ntop(AF_INET, &a, buf, sizeof(buf)));
}

static void assertInRange4(struct in_addr a, const char *first, const char *last)
{
    g_autofree char *text = format4(a);

    if (ntohl(a.s_addr) < ntohl(addr4(first).s_addr) || ntohl(a.s_addr) > ntohl(addr4(last).s_addr))
        g_error("%s is outside the range %s-%s", text, first, last);
}

/* DISCOVER, OFFER, REQUEST, ACK for a client with hardware address MAC; returns the address
 * leased, after checking that the offer and the acknowledgement agree and come from the
 * network, and that dnsmasq recorded the lease. */
static struct in_addr dhcp4Lease(NetFixture *f, const DhcpNet *n, int sock, const char *mac)
{
    Dhcp4Client c = { .xid = g_random_int() };
    Dhcp4Reply offer;
    Dhcp4Reply ack;
    g_autofree char *server = NULL;
    g_autofree char *leased = NULL;

    parseMAC(mac, c.mac);
    offer = dhcp4Send(sock, &c, DHCP_DISCOVER, NULL, NULL);
    g_assert_cmpuint(offer.type, ==, DHCP_OFFER);
    server = format4(offer.serverId);
    g_assert_cmpstr(server, ==, n->server4);
    g_assert_cmpuint(offer.leaseTime, >, 0);

    ack = dhcp4Send(sock, &c, DHCP_REQUEST, &offer.yiaddr, &offer.serverId);
    g_assert_cmpuint(ack.type, ==, DHCP_ACK);
    g_assert_cmpuint(ack.yiaddr.s_addr, ==, offer.yiaddr.s_addr);
    g_assert_cmpuint(ack.serverId.s_addr, ==, offer.serverId.s_addr);
    g_assert_cmpuint(ack.leaseTime, >, 0);

    /* dnsmasq's lease line: expiry, MAC, address, name, client id. */
    leased = format4(ack.yiaddr);
    waitLease(f, n->name, (const char *const[]){ mac, leased, NULL });
    return ack.yiaddr;
}

static void checkDHCPv4(NetFixture *f, const DhcpNet *n, const char *reservedMAC,
                        const char *reservedIP)
{
    unsigned int ifindex;
    int sock = guestSocket(f, AF_INET, 68, &ifindex);
    Dhcp4Client stranger = { .xid = g_random_int() };
    struct in_addr leased;
    struct in_addr elsewhere = addr4("10.199.0.5");
    g_autofree char *reserved = NULL;
    Dhcp4Reply nak;

    leased = dhcp4Lease(f, n, sock, GUEST_MAC);
    assertInRange4(leased, n->first4, n->last4);

    if (reservedMAC) {
        leased = dhcp4Lease(f, n, sock, reservedMAC);
        reserved = format4(leased);
        g_assert_cmpstr(reserved, ==, reservedIP);
    }

    /* dhcp-authoritative: a client back from another network, asking for its old address
     * (INIT-REBOOT, no server id), is told no at once instead of waiting for a timeout. */
    parseMAC("52:54:00:77:77:77", stranger.mac);
    nak = dhcp4Send(sock, &stranger, DHCP_REQUEST, &elsewhere, NULL);
    g_assert_cmpuint(nak.type, ==, DHCP_NAK);
    close(sock);
}

/* ---- DHCPv6 (RFC 8415) ---- */

enum {
    DHCP6_SOLICIT = 1,
    DHCP6_ADVERTISE = 2,
    DHCP6_REQUEST = 3,
    DHCP6_REPLY = 7,
};

enum {
    OPT6_CLIENTID = 1,
    OPT6_SERVERID = 2,
    OPT6_IA_NA = 3,
    OPT6_IAADDR = 5,
    OPT6_ELAPSED_TIME = 8,
    OPT6_STATUS_CODE = 13,
};

#define DUID_LL_LEN 10

typedef struct {
    guint8 xid[3];
    guint8 duid[DUID_LL_LEN]; /* DUID-LL: type 3, hardware type 1, the MAC */
    guint8 iaid[4];
} Dhcp6Client;

typedef struct {
    guint8 type;
    GBytes *serverId;
    gboolean hasAddr;
    struct in6_addr addr;
    guint32 validLifetime;
    int status; /* the first status code in the message or its IA_NA; -1 when none */
} Dhcp6Reply;

static void putOption6(GByteArray *pkt, guint16 code, const void *data, guint16 len)
{
    guint8 head[4] = { code >> 8, code & 0xff, len >> 8, len & 0xff };

    g_byte_array_append(pkt, head, 4);
    g_byte_array_append(pkt, data, len);
}

static guint32 get32(const guint8 *p)
{
    return ((guint32)p[0] << 24) | ((guint32)p[1] << 16) | ((guint32)p[2] << 8) | p[3];
}

/* An IA_NA for the client's IAID, asking for ADDR when not NULL. */
static GByteArray *iaNA(const Dhcp6Client *c, const struct in6_addr *addr)
{
    GByteArray *ia = g_byte_array_new();
    guint8 times[8] = { 0 };

    g_byte_array_append(ia, c->iaid, 4);
    g_byte_array_append(ia, times, 8); /* T1, T2: the server's choice */
    if (addr) {
        guint8 iaaddr[24] = { 0 };

        memcpy(iaaddr, addr, 16); /* lifetimes 0: the server's choice */
        putOption6(ia, OPT6_IAADDR, iaaddr, sizeof(iaaddr));
    }
    return ia;
}

static GByteArray *dhcp6Build(const Dhcp6Client *c, guint8 type, GBytes *serverId,
                              const struct in6_addr *addr)
{
    GByteArray *pkt = g_byte_array_new();
    g_autoptr(GByteArray) ia = iaNA(c, addr);
    static const guint8 elapsed[2] = { 0, 0 };

    g_byte_array_append(pkt, &type, 1);
    g_byte_array_append(pkt, c->xid, 3);
    putOption6(pkt, OPT6_CLIENTID, c->duid, sizeof(c->duid));
    if (serverId)
        putOption6(pkt, OPT6_SERVERID, g_bytes_get_data(serverId, NULL),
                   g_bytes_get_size(serverId));
    putOption6(pkt, OPT6_ELAPSED_TIME, elapsed, sizeof(elapsed));
    putOption6(pkt, OPT6_IA_NA, ia->data, ia->len);
    return pkt;
}

/* Calls FUNC for each option in DATA (LEN bytes); FALSE when they overrun it. */
static gboolean forEachOption6(const guint8 *data, size_t len,
                               void (*func)(guint16 code, const guint8 *value, guint16 valueLen,
                                            Dhcp6Reply *r),
                               Dhcp6Reply *r)
{
    size_t off = 0;

    while (off + 4 <= len) {
        guint16 code = (data[off] << 8) | data[off + 1];
        guint16 valueLen = (data[off + 2] << 8) | data[off + 3];

        if (off + 4 + valueLen > len)
            return FALSE;
        func(code, data + off + 4, valueLen, r);
        off += 4 + valueLen;
    }
    return off == len;
}

static void noteStatus(const guint8 *value, guint16 len, Dhcp6Reply *r)
{
    if (len >= 2 && r->status < 0)
        r->status = (value[0] << 8) | value[1];
}

static void parseIAOption(guint16 code, const guint8 *value, guint16 len, Dhcp6Reply *r)
{
    if (code == OPT6_STATUS_CODE)
        noteStatus(value, len, r);
    if (code == OPT6_IAADDR && len >= 24) {
        r->hasAddr = TRUE;
        memcpy(&r->addr, value, 16);
        r->validLifetime = get32(value + 20);
    }
}

static void parseOption6(guint16 code, const guint8 *value, guint16 len, Dhcp6Reply *r)
{
    if (code == OPT6_SERVERID && !r->serverId)
        r->serverId = g_bytes_new(value, len);
    if (code == OPT6_STATUS_CODE)
        noteStatus(value, len, r);
    if (code == OPT6_IA_NA && len >= 12)
        g_assert_true(forEachOption6(value + 12, len - 12, parseIAOption, r));
}

typedef struct {
    const Dhcp6Client *client;
    guint8 request;
} Dhcp6Expect;

/* The client's transaction, and the type that answers the request's (RFC 8415 allows a REPLY
 * to a SOLICIT only with rapid commit, which we do not ask for). */
static gboolean isReply6(const guint8 *pkt, size_t len, gconstpointer data)
{
    const Dhcp6Expect *e = data;

    return len >= 4 && pkt[0] == (e->request == DHCP6_SOLICIT ? DHCP6_ADVERTISE : DHCP6_REPLY) &&
           memcmp(pkt + 1, e->client->xid, 3) == 0;
}

static void dhcp6ReplyClear(Dhcp6Reply *r)
{
    g_clear_pointer(&r->serverId, g_bytes_unref);
}

/* Sends a message of TYPE to All_DHCP_Relay_Agents_and_Servers and parses the answer into *R;
 * no answer fails the case. */
static void dhcp6Send(int sock, unsigned int ifindex, const Dhcp6Client *c, guint8 type,
                      GBytes *serverId, const struct in6_addr *addr, Dhcp6Reply *r)
{
    struct sockaddr_in6 dst = { .sin6_family = AF_INET6,
                                .sin6_port = htons(547),
                                .sin6_scope_id = ifindex };
    g_autoptr(GByteArray) pkt = dhcp6Build(c, type, serverId, addr);
    Dhcp6Expect expect = { .client = c, .request = type };
    guint8 reply[1500];
    size_t len;

    g_assert_cmpint(inet_pton(AF_INET6, "ff02::1:2", &dst.sin6_addr), ==, 1);
    len = exchange(sock, pkt->data, pkt->len, (struct sockaddr *)&dst, sizeof(dst), isReply6,
                   &expect, reply, sizeof(reply));
    if (!len)
        g_error("no answer to DHCPv6 message type %u", type);
    memset(r, 0, sizeof(*r));
    r->status = -1;
    r->type = reply[0];
    g_assert_true(forEachOption6(reply + 4, len - 4, parseOption6, r));
}

static char *format6(const struct in6_addr *a)
{
    char buf[INET6_ADDRSTRLEN];

    return g_strdup(inet_ntop(AF_INET6, a, buf, sizeof(buf)));
}

static void assertInRange6(const struct in6_addr *a, const char *first, const char *last)
{
    struct in6_addr lo;
    struct in6_addr hi;
    g_autofree char *text = format6(a);

    g_assert_cmpint(inet_pton(AF_INET6, first, &lo), ==, 1);
    g_assert_cmpint(inet_pton(AF_INET6, last, &hi), ==, 1);
    if (memcmp(a, &lo, 16) < 0 || memcmp(a, &hi, 16) > 0)
        g_error("%s is outside the range %s-%s", text, first, last);
}

/* Waits until IFNAME (in namespace NS, NULL for ours) has a link-local address out of duplicate
 * address detection: DHCPv6 runs between link-local addresses, and a tentative one can neither
 * send nor receive. */
static void waitLinkLocal(const char *ns, const char *ifname)
{
    for (int i = 0; i < 500; i++) {
        g_autofree char *out = nettestRunf("ip %s%s -6 -o addr show dev %s scope link",
                                           ns ? "-n " : "", ns ? ns : "", ifname);

        if (strstr(out, "fe80::") && !strstr(out, "tentative"))
            return;
        g_usleep(20000);
    }
    g_error("%s never got a usable link-local address", ifname);
}

static void checkDHCPv6(NetFixture *f, const DhcpNet *n)
{
    g_autofree char *peer = guestNetns(f);
    Dhcp6Client c = { .duid = { 0, 3, 0, 1 } }; /* DUID-LL of Ethernet: the guest's MAC */
    Dhcp6Reply advertise;
    Dhcp6Reply reply;
    g_autofree char *offered = NULL;
    g_autofree char *leased = NULL;
    g_autofree char *iaid = NULL;
    unsigned int ifindex;
    guint32 xid = g_random_int();
    int sock;

    memcpy(c.xid, &xid, 3);
    memcpy(c.iaid, (guint8[]){ 0, 0, 0x12, 0x34 }, 4);
    parseMAC(GUEST_MAC, c.duid + 4);
    waitLinkLocal(NULL, n->bridge);
    waitLinkLocal(peer, GUEST_IF);
    sock = guestSocket(f, AF_INET6, 546, &ifindex);

    dhcp6Send(sock, ifindex, &c, DHCP6_SOLICIT, NULL, NULL, &advertise);
    g_assert_cmpuint(advertise.type, ==, DHCP6_ADVERTISE);
    g_assert_nonnull(advertise.serverId);
    g_assert_true(advertise.hasAddr);
    g_assert_cmpint(advertise.status, <=, 0);
    assertInRange6(&advertise.addr, n->first6, n->last6);
    offered = format6(&advertise.addr);

    dhcp6Send(sock, ifindex, &c, DHCP6_REQUEST, advertise.serverId, &advertise.addr, &reply);
    g_assert_cmpuint(reply.type, ==, DHCP6_REPLY);
    g_assert_true(reply.hasAddr);
    g_assert_cmpint(reply.status, <=, 0);
    g_assert_cmpuint(reply.validLifetime, >, 0);
    leased = format6(&reply.addr);
    g_assert_cmpstr(leased, ==, offered);
    g_assert_true(g_bytes_equal(reply.serverId, advertise.serverId));

    /* dnsmasq's IPv6 lease line: expiry, IAID (in decimal), address, name, DUID. */
    iaid = g_strdup_printf(" %u ", 0x1234);
    waitLease(f, n->name, (const char *const[]){ iaid, leased, "00:03:00:01:" GUEST_MAC, NULL });
    dhcp6ReplyClear(&advertise);
    dhcp6ReplyClear(&reply);
    close(sock);
}

/* ---- the cases ---- */

static const DhcpNet isolated = {
    .name = "lease",
    .bridge = "vklease0",
    .server4 = "10.50.0.1",
    .first4 = "10.50.0.100",
    .last4 = "10.50.0.110",
    .first6 = "fd00:50::100",
    .last6 = "fd00:50::1ff",
};

static const char isolatedXML[] = "<network>\n"
                                  "  <name>lease</name>\n"
                                  "  <bridge name='vklease0' stp='off'/>\n"
                                  "  <ip address='10.50.0.1' prefix='24'>\n"
                                  "    <dhcp>\n"
                                  "      <range start='10.50.0.100' end='10.50.0.110'/>\n"
                                  "      <host mac='52:54:00:12:34:56' ip='10.50.0.7'/>\n"
                                  "    </dhcp>\n"
                                  "  </ip>\n"
                                  "  <ip family='ipv6' address='fd00:50::1' prefix='64'>\n"
                                  "    <dhcp>\n"
                                  "      <range start='fd00:50::100' end='fd00:50::1ff'/>\n"
                                  "    </dhcp>\n"
                                  "  </ip>\n"
                                  "</network>\n";

static const DhcpNet nat = {
    .name = "natlease",
    .bridge = "vknatl0",
    .server4 = "192.168.150.1",
    .first4 = "192.168.150.2",
    .last4 = "192.168.150.254",
    .first6 = "2001:db8:150::1:10",
    .last6 = "2001:db8:150::1:ff",
};

static const char natXML[] = "<network>\n"
                             "  <name>natlease</name>\n"
                             "  <forward mode='nat'/>\n"
                             "  <bridge name='vknatl0' stp='off'/>\n"
                             "  <ip address='192.168.150.1' netmask='255.255.255.0'>\n"
                             "    <dhcp>\n"
                             "      <range start='192.168.150.2' end='192.168.150.254'/>\n"
                             "    </dhcp>\n"
                             "  </ip>\n"
                             "  <ip family='ipv6' address='2001:db8:150::1' prefix='64'>\n"
                             "    <dhcp>\n"
                             "      <range start='2001:db8:150::1:10' end='2001:db8:150::1:ff'/>\n"
                             "    </dhcp>\n"
                             "  </ip>\n"
                             "</network>\n";

static void testIsolatedV4(NetFixture *f)
{
    virConnectPtr conn = nettestOpen(f);
    virNetworkPtr net = defineAndStart(conn, isolatedXML);

    plugGuest(f, isolated.bridge);
    checkDHCPv4(f, &isolated, "52:54:00:12:34:56", "10.50.0.7");
    virNetworkDestroy(net);
    virNetworkFree(net);
    virConnectClose(conn);
}

static void testIsolatedV6(NetFixture *f)
{
    virConnectPtr conn = nettestOpen(f);
    virNetworkPtr net = defineAndStart(conn, isolatedXML);

    plugGuest(f, isolated.bridge);
    checkDHCPv6(f, &isolated);
    virNetworkDestroy(net);
    virNetworkFree(net);
    virConnectClose(conn);
}

/* Both families on a nat network, whose firewall rules sit between the guest and dnsmasq. */
static void testNatDualStack(NetFixture *f)
{
    virConnectPtr conn = nettestOpen(f);
    virNetworkPtr net = defineAndStart(conn, natXML);
    g_autofree char *leasesPath = nettestRootFile(f, "run/network/natlease.leases");
    g_autofree char *leases = NULL;

    plugGuest(f, nat.bridge);
    checkDHCPv4(f, &nat, NULL, NULL);
    checkDHCPv6(f, &nat);
    g_assert_cmpint(virNetworkDestroy(net), ==, 0);
    /* A persistent network keeps its leases across a stop, for its next start. */
    leases = nettestReadFile(leasesPath);
    assertContains(leases, GUEST_MAC);
    virNetworkFree(net);
    virConnectClose(conn);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    virSetErrorFunc(NULL, quiet);

    NETTEST_ADD("/network/dhcp/isolated-v4", testIsolatedV4);
    NETTEST_ADD("/network/dhcp/isolated-v6", testIsolatedV6);
    NETTEST_ADD("/network/dhcp/nat-dual-stack", testNatDualStack);
    return g_test_run();
}

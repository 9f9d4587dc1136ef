/* dnsmasq for a network's DHCP (and DNS): the generated configuration, starting it, and stopping
 * exactly the process we started. */
#include <string.h>

#include "network_priv.h"
#include "util/vkprocess.h"

#define DNSMASQ_STOP_GRACE_MS 5000

gboolean vkDnsmasqNeeded(const vkNetworkDef *def)
{
    for (size_t i = 0; i < def->nips; i++) {
        if (def->ips[i].nranges || def->ips[i].nhosts)
            return TRUE;
    }
    return FALSE;
}

/* The first <ip> of FAMILY with DHCP; the parser allows one per family. */
static const vkNetworkIPDef *dhcpIP(const vkNetworkDef *def, int family)
{
    const vkNetworkIPDef *ip;

    for (size_t i = 0; (ip = vkNetworkDefGetIP(def, family, i)); i++) {
        if (ip->nranges || ip->nhosts)
            return ip;
    }
    return NULL;
}

/* Addresses in a range, counted as libvirt does from the last two bytes (the parser has
 * made sure the others agree). */
static unsigned int rangeSize(const vkNetworkDHCPRange *range)
{
    size_t len = range->start.family == AF_INET ? 4 : 16;
    const guint8 *s = range->start.data.bytes;
    const guint8 *e = range->end.data.bytes;

    return (e[len - 2] * 256 + e[len - 1]) - (s[len - 2] * 256 + s[len - 1]) + 1;
}

static void formatHost(GString *conf, const vkNetworkDHCPHost *host, gboolean ipv6)
{
    g_autofree char *ip = vkSocketAddrFormat(&host->ip);

    /* dnsmasq's dhcp-host syntax: an IPv6 address goes in brackets, and a name alone must come
     * before the address so that it is not read as a MAC address. */
    if (ipv6)
        g_string_append_printf(conf, "dhcp-host=%s%s[%s]\n", host->name ? host->name : "",
                               host->name ? "," : "", ip);
    else if (host->mac && host->name)
        g_string_append_printf(conf, "dhcp-host=%s,%s,%s\n", host->mac, ip, host->name);
    else if (host->mac)
        g_string_append_printf(conf, "dhcp-host=%s,%s\n", host->mac, ip);
    else
        g_string_append_printf(conf, "dhcp-host=%s,%s\n", host->name, ip);
}

/* The DHCP part for one address; adds its range sizes to *LEASES. */
static void formatDHCP(GString *conf, const vkNetworkIPDef *ip, unsigned int *leases)
{
    gboolean ipv6 = ip->address.family == AF_INET6;
    int prefix = vkNetworkIPDefPrefix(ip);
    g_autofree char *mask = NULL;

    if (!ipv6) {
        vkSocketAddr netmask;
        if (vkSocketAddrPrefixToNetmask(prefix, AF_INET, &netmask) == 0)
            mask = vkSocketAddrFormat(&netmask);
    }
    for (size_t r = 0; r < ip->nranges; r++) {
        g_autofree char *start = vkSocketAddrFormat(&ip->ranges[r].start);
        g_autofree char *end = vkSocketAddrFormat(&ip->ranges[r].end);

        /* dnsmasq wants a netmask for IPv4 and a prefix length for IPv6. */
        if (ipv6)
            g_string_append_printf(conf, "dhcp-range=%s,%s,%d\n", start, end, prefix);
        else
            g_string_append_printf(conf, "dhcp-range=%s,%s,%s\n", start, end, mask);
        *leases += rangeSize(&ip->ranges[r]);
    }
    /* Hosts without a range: dnsmasq serves only when some dhcp-range names the subnet. */
    if (!ip->nranges && ip->nhosts) {
        g_autofree char *addr = vkSocketAddrFormat(&ip->address);
        if (ipv6)
            g_string_append_printf(conf, "dhcp-range=%s,static,%d\n", addr, prefix);
        else
            g_string_append_printf(conf, "dhcp-range=%s,static\n", addr);
    }
    if (!ipv6)
        g_string_append(conf, "dhcp-no-override\ndhcp-authoritative\n");
    for (size_t h = 0; h < ip->nhosts; h++)
        formatHost(conf, &ip->hosts[h], ipv6);
}

char *vkDnsmasqConfFormat(const vkNetworkDef *def, const char *pidFile, const char *leaseFile)
{
    const vkNetworkIPDef *ipv4 = dhcpIP(def, AF_INET);
    const vkNetworkIPDef *ipv6 = dhcpIP(def, AF_INET6);
    const vkNetworkIPDef *ip;
    GString *conf = g_string_new(NULL);
    unsigned int leases = 0;

    g_string_append_printf(conf,
                           "# Written by virtkit for network '%s' at each start; edits are lost.\n"
                           "strict-order\n",
                           def->name);
    if (def->domainName)
        g_string_append_printf(conf, "domain=%s\nexpand-hosts\n", def->domainName);
    g_string_append_printf(conf, "pid-file=%s\n", pidFile);
    /* Serve the bridge only: never loopback, and bind-dynamic rather than wildcard sockets so
     * that queries arriving on other interfaces go unanswered (libvirt's CVE-2012-3411 fix). */
    g_string_append_printf(conf, "except-interface=lo\nbind-dynamic\ninterface=%s\n",
                           def->bridge.name);
    /* An isolated network has no way out: no default route for guests, no upstream DNS, and
     * router advertisements that advertise no route. */
    if (def->forward.type == VK_NETWORK_FORWARD_NONE)
        g_string_append(conf, "dhcp-option=3\nno-resolv\nra-param=*,0,0\n");

    if (ipv4)
        formatDHCP(conf, ipv4, &leases);
    if (ipv6)
        formatDHCP(conf, ipv6, &leases);
    if (leases)
        g_string_append_printf(conf, "dhcp-lease-max=%u\n", leases);
    g_string_append_printf(conf, "dhcp-leasefile=%s\n", leaseFile);
    if (def->mtu)
        g_string_append_printf(conf, "dhcp-option=option:mtu,%u\n", def->mtu);

    /* Router advertisements: stateful with DHCPv6, else stateless for each IPv6 address. */
    if (ipv6) {
        g_string_append(conf, "enable-ra\n");
    } else {
        for (size_t i = 0; (ip = vkNetworkDefGetIP(def, AF_INET6, i)); i++) {
            g_autofree char *addr = vkSocketAddrFormat(&ip->address);
            g_string_append_printf(conf, "dhcp-range=%s,ra-only\n", addr);
        }
    }
    return g_string_free(conf, FALSE);
}

/* TRUE if PID runs dnsmasq with CONFFILE: a pid file alone may name a recycled pid. */
static gboolean isOurDnsmasq(pid_t pid, const char *confArg)
{
    g_auto(GStrv) argv = vkProcessGetCmdline(pid);

    if (!argv) {
        vkResetLastError();
        return FALSE;
    }
    return g_strv_contains((const char *const *)argv, confArg);
}

int vkDnsmasqStart(const vkNetworkDriverState *state, const vkNetworkDef *def, pid_t *pid,
                   unsigned long long *startTime)
{
    g_autofree char *confFile = vkNetworkRunFile(state, def->name, "conf");
    g_autofree char *pidFile = vkNetworkRunFile(state, def->name, "pid");
    g_autofree char *leaseFile = vkNetworkRunFile(state, def->name, "leases");
    g_autofree char *conf = vkDnsmasqConfFormat(def, pidFile, leaseFile);
    g_autofree char *binary = vkNetworkFindProgram("dnsmasq");
    g_autofree char *confArg = g_strdup_printf("--conf-file=%s", confFile);
    const char *argv[] = { binary, confArg, NULL };

    *pid = 0;
    *startTime = 0;
    if (!binary) {
        vkReportError(VK_NET_ERR, VIR_ERR_OPERATION_FAILED,
                      "network '%s' needs dnsmasq for DHCP, but it is not installed "
                      "(Debian package dnsmasq-base)",
                      def->name);
        return -1;
    }
    if (vkFileRefuseSymlink(leaseFile) < 0 || vkFileWriteRunState(confFile, conf, -1, 0600) < 0 ||
        vkPidFileRemove(pidFile) < 0)
        return -1;

    /* dnsmasq daemonizes itself, and its first process exits only once the daemon has bound
     * its sockets and written the pid file, with an error message and status if it could
     * not: so running it to completion is the readiness check. */
    if (vkNetworkRunCommand(argv) < 0) {
        vkNetworkErrorPrefix("cannot start dnsmasq for network '%s'", def->name);
        return -1;
    }
    if (vkPidFileRead(pidFile, pid) < 0)
        return -1;
    if (*pid <= 0) {
        vkReportError(VK_NET_ERR, VIR_ERR_OPERATION_FAILED,
                      "dnsmasq for network '%s' started but left no pid in '%s'", def->name,
                      pidFile);
        return -1;
    }
    if (vkProcessGetStartTime(*pid, startTime) < 0) {
        vkNetworkErrorPrefix("dnsmasq for network '%s' exited right after starting", def->name);
        *pid = 0;
        return -1;
    }
    return 0;
}

/* The dnsmasq that PIDFILE names, if its command line proves it is ours; 0 when there is none
 * (a missing or unreadable pid file, a process gone or recycled). */
static pid_t pidFromFile(const char *pidFile, const char *confArg, unsigned long long *startTime)
{
    pid_t pid = 0;

    if (vkPidFileRead(pidFile, &pid) < 0 || pid <= 0 || !isOurDnsmasq(pid, confArg) ||
        vkProcessGetStartTime(pid, startTime) < 0) {
        vkResetLastError();
        return 0;
    }
    return pid;
}

int vkDnsmasqStop(const vkNetworkDriverState *state, const char *name, pid_t pid,
                  unsigned long long startTime)
{
    g_autofree char *confFile = vkNetworkRunFile(state, name, "conf");
    g_autofree char *pidFile = vkNetworkRunFile(state, name, "pid");
    g_autofree char *confArg = g_strdup_printf("--conf-file=%s", confFile);

    /* Without a recorded pid (a start that died before recording it), the pid file names the
     * process. */
    if (pid <= 0)
        pid = pidFromFile(pidFile, confArg, &startTime);
    if (pid > 0 && vkProcessKill(pid, startTime, DNSMASQ_STOP_GRACE_MS) < 0) {
        vkNetworkErrorPrefix("cannot stop dnsmasq of network '%s'", name);
        return -1;
    }
    if (vkPidFileRemove(pidFile) < 0 || vkFileRemoveIfExists(confFile) < 0)
        return -1;
    return 0;
}

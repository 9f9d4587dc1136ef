/* dnsmasq for a network's DHCP (and DNS): the generated configuration, starting it, and stopping
 * exactly the process we started. */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <string.h>
#include <unistd.h>

#include "network_priv.h"
#include "util/vkprocess.h"

#define DNSMASQ_STOP_GRACE_MS 5000
/* dnsmasq is up in milliseconds; a start that takes this long is stuck. */
#define DNSMASQ_START_TIMEOUT_MS 30000
/* Enough of dnsmasq's complaint for the error message. */
#define DNSMASQ_OUTPUT_MAX 4096

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

/* Records the forked dnsmasq in the status before it runs: from then on the network names the
 * process itself, whatever dnsmasq makes of its pid file. */
typedef struct {
    const vkNetworkDriverState *state;
    vkNetworkStatus *status;
} vkDnsmasqSpawn;

static int recordSpawned(pid_t pid, void *opaque)
{
    vkDnsmasqSpawn *spawn = opaque;

    spawn->status->dnsmasqPid = pid;
    if (vkProcessGetStartTime(pid, &spawn->status->dnsmasqStartTime) < 0)
        return -1;
    return vkNetworkStatusSave(spawn->state, spawn->status);
}

/* Reads FD, dnsmasq's stdout and stderr, until end of file, which comes when dnsmasq has
 * finished starting (it then points both at /dev/null) or has exited. At most
 * DNSMASQ_OUTPUT_MAX bytes are kept. Returns 0 at end of file, 1 at the timeout. */
static int readUntilStarted(int fd, GString *out)
{
    gint64 deadline = g_get_monotonic_time() + (gint64)DNSMASQ_START_TIMEOUT_MS * 1000;
    char buf[4096];

    for (;;) {
        struct pollfd pfd = { .fd = fd, .events = POLLIN };
        gint64 left = deadline - g_get_monotonic_time();
        ssize_t n;
        int rc;

        if (left <= 0)
            return 1;
        rc = poll(&pfd, 1, (int)MAX(left / 1000, 1));
        if (rc == 0 || (rc < 0 && errno == EINTR))
            continue;
        /* Whether dnsmasq runs then tells how its start went. */
        if (rc < 0)
            return 0;
        n = read(fd, buf, sizeof(buf));
        if (n < 0 && (errno == EINTR || errno == EAGAIN))
            continue;
        if (n <= 0)
            return 0;
        if (out->len < DNSMASQ_OUTPUT_MAX)
            g_string_append_len(out, buf, MIN((gsize)n, DNSMASQ_OUTPUT_MAX - out->len));
    }
}

/* Stops what a failed start spawned, keeping the start's error. */
static void killSpawned(const vkNetworkStatus *status)
{
    virErrorPtr saved = vkSaveError();

    if (status->dnsmasqPid > 0)
        vkProcessKill(status->dnsmasqPid, status->dnsmasqStartTime, 0);
    vkRestoreError(saved);
}

/* dnsmasq started by us in the foreground, tracked by the pid we forked. */
static int spawnDnsmasq(const vkNetworkDriverState *state, vkNetworkStatus *status,
                        const char *const *argv)
{
    const char *name = status->def->name;
    vkDnsmasqSpawn spawn = { .state = state, .status = status };
    g_autoptr(GString) out = g_string_new(NULL);
    int pipeFds[2];
    pid_t pid;
    int rc;

    if (pipe2(pipeFds, O_CLOEXEC) < 0) {
        vkReportSystemError(VK_NET_ERR, errno, "%s", "cannot create a pipe");
        return -1;
    }
    vkProcessSpawnOptions opts = {
        .argv = argv,
        .logFd = pipeFds[1],
        .beforeExec = recordSpawned,
        .opaque = &spawn,
        .detach = TRUE,
    };
    rc = vkProcessSpawn(&opts, &pid);
    close(pipeFds[1]);
    if (rc < 0) {
        close(pipeFds[0]);
        /* The hook may have recorded a process that then never ran. */
        status->dnsmasqPid = 0;
        status->dnsmasqStartTime = 0;
        vkNetworkErrorPrefix("cannot start dnsmasq for network '%s'", name);
        return -1;
    }
    rc = readUntilStarted(pipeFds[0], out);
    close(pipeFds[0]);
    if (rc > 0) {
        vkReportError(VK_NET_ERR, VIR_ERR_OPERATION_TIMEOUT,
                      "cannot start dnsmasq for network '%s': it did not finish starting within "
                      "%d ms",
                      name, DNSMASQ_START_TIMEOUT_MS);
        killSpawned(status);
        return -1;
    }
    if (!vkProcessIsRunning(status->dnsmasqPid, status->dnsmasqStartTime)) {
        g_strstrip(out->str);
        vkReportError(VK_NET_ERR, VIR_ERR_OPERATION_FAILED,
                      "cannot start dnsmasq for network '%s': %s", name,
                      *out->str ? out->str : "it exited while starting");
        return -1;
    }
    return 0;
}

int vkDnsmasqStart(const vkNetworkDriverState *state, vkNetworkStatus *status)
{
    const vkNetworkDef *def = status->def;
    g_autofree char *confFile = vkNetworkRunFile(state, def->name, "conf");
    g_autofree char *pidFile = vkNetworkRunFile(state, def->name, "pid");
    g_autofree char *leaseFile = vkNetworkRunFile(state, def->name, "leases");
    g_autofree char *conf = vkDnsmasqConfFormat(def, pidFile, leaseFile);
    g_autofree char *binary = vkNetworkFindProgram("dnsmasq");
    g_autofree char *confArg = g_strdup_printf("--conf-file=%s", confFile);
    /* In the foreground dnsmasq stays the process we forked, so the status names it for good;
     * a daemonizing dnsmasq could only be found again through its pid file. */
    const char *argv[] = { binary, confArg, "--keep-in-foreground", NULL };

    status->dnsmasqPid = 0;
    status->dnsmasqStartTime = 0;
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
    return spawnDnsmasq(state, status, argv);
}

int vkDnsmasqStop(const vkNetworkDriverState *state, const char *name, pid_t pid,
                  unsigned long long startTime)
{
    g_autofree char *confFile = vkNetworkRunFile(state, name, "conf");
    g_autofree char *pidFile = vkNetworkRunFile(state, name, "pid");

    /* Only the recorded process: the pid file is dnsmasq's to write, at a path derived from
     * the network's name, and may name anything. */
    if (pid > 0 && vkProcessKill(pid, startTime, DNSMASQ_STOP_GRACE_MS) < 0) {
        vkNetworkErrorPrefix("cannot stop dnsmasq of network '%s'", name);
        return -1;
    }
    if (vkPidFileRemove(pidFile) < 0 || vkFileRemoveIfExists(confFile) < 0)
        return -1;
    return 0;
}

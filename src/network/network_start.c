/* Starting and stopping networks on the host, by forward mode, with progress recorded before
 * each step so that neither a failure nor a crash halfway leaves anything unaccounted for. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "network_priv.h"
#include "util/vknetdev.h"
#include "util/vkprocess.h"

/* What a start of a bridge-creating network has done, so that a failure undoes exactly that. */
typedef enum {
    STEP_BRIDGE = 1 << 0,
    STEP_FIREWALL = 1 << 1,
    STEP_DNSMASQ = 1 << 2,
    STEPS_ALL = STEP_BRIDGE | STEP_FIREWALL | STEP_DNSMASQ,
} vkStartSteps;

/* ---- host helpers ---- */

static char *commandLine(const char *const *argv)
{
    return g_strjoinv(" ", (char **)argv);
}

int vkNetworkRunCommand(const char *const *argv)
{
    g_autoptr(GError) gerr = NULL;
    g_autofree char *out = NULL;
    g_autofree char *err = NULL;
    g_autofree char *cmd = commandLine(argv);
    int status = 0;

    /* A command killed with us leaves the host as a crash would, which the next process
     * undoes; one that finished after that undo would leave rules nobody accounts for. */
    if (!g_spawn_sync(NULL, (char **)argv, NULL, G_SPAWN_DEFAULT, vkProcessDieWithCallerSetup,
                      GINT_TO_POINTER(getpid()), &out, &err, &status, &gerr)) {
        vkReportError(VK_NET_ERR, VIR_ERR_INTERNAL_ERROR, "cannot run '%s': %s", cmd,
                      vkGErrorMessage(gerr));
        return -1;
    }
    if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
        return 0;
    g_strstrip(err);
    if (WIFEXITED(status))
        vkReportError(VK_NET_ERR, VIR_ERR_INTERNAL_ERROR,
                      "Child process (%s) unexpected exit status %d%s%s", cmd, WEXITSTATUS(status),
                      *err ? ": " : "", err);
    else
        vkReportError(VK_NET_ERR, VIR_ERR_INTERNAL_ERROR,
                      "Child process (%s) unexpected fatal signal %d", cmd, WTERMSIG(status));
    return -1;
}

char *vkNetworkFindProgram(const char *program)
{
    static const char *const fallback[] = { "/usr/sbin", "/sbin", "/usr/bin", "/bin" };

    if (g_getenv("PATH"))
        return g_find_program_in_path(program);
    for (size_t i = 0; i < G_N_ELEMENTS(fallback); i++) {
        g_autofree char *path = g_build_filename(fallback[i], program, NULL);
        if (g_file_test(path, G_FILE_TEST_IS_EXECUTABLE))
            return g_steal_pointer(&path);
    }
    return NULL;
}

/* Writes VALUE to a /proc/sys file; a file that does not exist is an error unless MISSINGOK
 * (an interface's IPv6 settings when the kernel has no IPv6). */
static int sysctlSet(const char *path, const char *value, gboolean missingOk)
{
    int fd = open(path, O_WRONLY | O_CLOEXEC);
    ssize_t len = strlen(value);

    if (fd < 0 && errno == ENOENT && missingOk)
        return 0;
    if (fd < 0 || write(fd, value, len) != len) {
        int err = errno;
        if (fd >= 0)
            close(fd);
        vkReportSystemError(VK_NET_ERR, err, "cannot set '%s' to %s", path, value);
        return -1;
    }
    close(fd);
    return 0;
}

/* ---- what each forward mode needs ---- */

gboolean vkNetworkMakesBridge(const vkNetworkDef *def)
{
    return def->forward.type == VK_NETWORK_FORWARD_NONE ||
           def->forward.type == VK_NETWORK_FORWARD_NAT ||
           def->forward.type == VK_NETWORK_FORWARD_ROUTE ||
           def->forward.type == VK_NETWORK_FORWARD_OPEN;
}

static const char *modeName(const vkNetworkDef *def)
{
    return def->forward.type == VK_NETWORK_FORWARD_NONE
               ? "isolated"
               : vkNetworkForwardTypeToString(def->forward.type);
}

static int checkPrivileged(const vkNetworkDriverState *state, const vkNetworkDef *def)
{
    if (state->privileged)
        return 0;
    vkReportError(VK_NET_ERR, VIR_ERR_OPERATION_DENIED,
                  "starting network '%s' (forward mode '%s') creates bridge '%s' and needs root "
                  "privileges; without them only networks on an existing bridge or device can "
                  "be started",
                  def->name, modeName(def), def->bridge.name);
    return -1;
}

/* Bridge mode with a bridge name: the administrator's bridge must be there already. */
static int checkHostBridge(const vkNetworkDef *def)
{
    const char *br = def->bridge.name;
    int rc;

    if ((rc = vkNetDevExists(br)) < 0)
        return -1;
    if (rc == 0) {
        vkReportError(VK_NET_ERR, VIR_ERR_OPERATION_FAILED,
                      "bridge '%s' of network '%s' does not exist on this host", br, def->name);
        return -1;
    }
    if ((rc = vkNetDevIsBridge(br)) < 0)
        return -1;
    if (rc == 0) {
        vkReportError(VK_NET_ERR, VIR_ERR_OPERATION_FAILED,
                      "interface '%s' of network '%s' is not a bridge", br, def->name);
        return -1;
    }
    return 0;
}

/* macvtap-style modes: every device of the pool must exist. */
static int checkHostDevices(const vkNetworkDef *def)
{
    for (size_t i = 0; i < def->forward.nifs; i++) {
        int rc = vkNetDevExists(def->forward.ifs[i]);

        if (rc < 0)
            return -1;
        if (rc == 0) {
            vkReportError(VK_NET_ERR, VIR_ERR_OPERATION_FAILED,
                          "interface '%s' of network '%s' does not exist on this host",
                          def->forward.ifs[i], def->name);
            return -1;
        }
    }
    return 0;
}

/* libvirt's check: a subnet the host already routes through an interface (another network's
 * bridge, an address of the host) would get a second route and half its traffic. Like libvirt,
 * IPv4 subnets are compared with the main routing table, by network and prefix. IGNORE is the
 * network's own bridge once it exists. */
static int checkRouteCollision(const vkNetworkDef *def, const char *ignore)
{
    const vkNetworkIPDef *ip;

    for (size_t i = 0; (ip = vkNetworkDefGetIP(def, AF_INET, i)); i++) {
        g_autofree char *addr = vkSocketAddrFormat(&ip->address);
        g_autofree char *dev = NULL;
        int prefix = vkNetworkIPDefPrefix(ip);
        int rc;

        /* addAddresses reports an unusable prefix. */
        if (!addr || prefix < 0)
            continue;
        if ((rc = vkNetDevFindRoute(addr, (unsigned int)prefix, ignore, &dev)) < 0)
            return -1;
        if (rc > 0) {
            vkReportError(VK_NET_ERR, VIR_ERR_INTERNAL_ERROR,
                          "Network is already in use by interface %s", dev);
            return -1;
        }
    }
    return 0;
}

/* The checks that need no change to the host, done before the status file claims anything:
 * a bridge that is already there is someone else's, and must never be undone by our rollback
 * or crash recovery. */
static int prepare(const vkNetworkDriverState *state, vkNetworkStatus *status)
{
    const vkNetworkDef *def = status->def;
    g_autofree char *dnsmasq = NULL;
    int rc;

    if (def->forward.type == VK_NETWORK_FORWARD_BRIDGE && def->bridge.name)
        return checkHostBridge(def);
    if (!vkNetworkMakesBridge(def))
        return checkHostDevices(def);

    if (checkPrivileged(state, def) < 0)
        return -1;
    if (vkDnsmasqNeeded(def) && !(dnsmasq = vkNetworkFindProgram("dnsmasq"))) {
        vkReportError(VK_NET_ERR, VIR_ERR_OPERATION_FAILED,
                      "network '%s' needs dnsmasq for DHCP, but it is not installed "
                      "(Debian package dnsmasq-base)",
                      def->name);
        return -1;
    }
    if ((rc = vkNetDevExists(def->bridge.name)) < 0)
        return -1;
    if (rc == 1) {
        vkReportError(VK_NET_ERR, VIR_ERR_OPERATION_FAILED,
                      "cannot start network '%s': interface '%s' already exists on this host",
                      def->name, def->bridge.name);
        return -1;
    }
    if (checkRouteCollision(def, NULL) < 0)
        return -1;
    return vkFirewallSelectBackend(def, &status->firewall);
}

/* ---- bridge-creating modes: isolated, nat, route, open ---- */

static int parseMAC(const char *text, unsigned char mac[VK_NETDEV_MAC_LEN])
{
    if (sscanf(text, "%hhx:%hhx:%hhx:%hhx:%hhx:%hhx", &mac[0], &mac[1], &mac[2], &mac[3], &mac[4],
               &mac[5]) != VK_NETDEV_MAC_LEN) {
        vkReportError(VK_NET_ERR, VIR_ERR_INVALID_MAC, "%s", text);
        return -1;
    }
    return 0;
}

/* Guests get their IPv6 routes from our router advertisements; the bridge itself must not
 * configure itself from theirs. Without IPv6 addresses the bridge gets no IPv6 at all. */
static int setIPv6Sysctls(const vkNetworkDef *def)
{
    g_autofree char *dir = g_build_filename("/proc/sys/net/ipv6/conf", def->bridge.name, NULL);
    g_autofree char *disable = g_build_filename(dir, "disable_ipv6", NULL);
    g_autofree char *acceptRA = g_build_filename(dir, "accept_ra", NULL);
    g_autofree char *autoconf = g_build_filename(dir, "autoconf", NULL);

    if (!vkNetworkDefGetIP(def, AF_INET6, 0))
        return sysctlSet(disable, "1", TRUE);
    if (sysctlSet(disable, "0", FALSE) < 0 || sysctlSet(acceptRA, "0", FALSE) < 0)
        return -1;
    return sysctlSet(autoconf, "0", FALSE);
}

static int addAddresses(const vkNetworkDef *def)
{
    for (size_t i = 0; i < def->nips; i++) {
        const vkNetworkIPDef *ip = &def->ips[i];
        g_autofree char *addr = vkSocketAddrFormat(&ip->address);
        int prefix = vkNetworkIPDefPrefix(ip);

        if (prefix < 0) {
            vkReportError(VK_NET_ERR, VIR_ERR_INTERNAL_ERROR,
                          "bridge '%s' has an invalid prefix for address %s", def->bridge.name,
                          addr);
            return -1;
        }
        /* No duplicate address detection: the bridge is ours and the address is the
         * network's by definition, and dnsmasq and guests need it usable at once (a bridge
         * without ports would otherwise keep it tentative). */
        if (vkNetDevAddAddress(def->bridge.name, addr, prefix,
                               ip->address.family == AF_INET6 ? VK_NETDEV_ADDR_NODAD : 0) < 0)
            return -1;
    }
    return 0;
}

static int bridgeSetup(const vkNetworkDef *def, unsigned int *done)
{
    const char *br = def->bridge.name;
    unsigned char mac[VK_NETDEV_MAC_LEN];

    if (def->mac && parseMAC(def->mac, mac) < 0)
        return -1;
    if (vkNetDevBridgeCreate(br, def->mac ? mac : NULL) < 0)
        return -1;
    *done |= STEP_BRIDGE;
    if (def->mtu && vkNetDevSetMTU(br, def->mtu) < 0)
        return -1;
    /* The kernel checks the delay against STP's limits only while STP is on. */
    if (vkNetDevBridgeSetForwardDelay(br, def->bridge.delay * 1000) < 0 ||
        vkNetDevBridgeSetSTP(br, def->bridge.stp != VK_NETWORK_STP_OFF) < 0)
        return -1;
    if (setIPv6Sysctls(def) < 0 || addAddresses(def) < 0)
        return -1;
    return vkNetDevSetOnline(br, TRUE);
}

/* nat and route pass traffic between the bridge and the world. Like libvirt, forwarding is
 * never switched off again: other networks and the administrator may rely on it. */
static int enableForwarding(const vkNetworkDef *def)
{
    if (def->forward.type != VK_NETWORK_FORWARD_NAT &&
        def->forward.type != VK_NETWORK_FORWARD_ROUTE)
        return 0;
    if (vkNetworkDefGetIP(def, AF_INET, 0) &&
        sysctlSet("/proc/sys/net/ipv4/ip_forward", "1", FALSE) < 0)
        return -1;
    if (vkNetworkDefGetIP(def, AF_INET6, 0) &&
        sysctlSet("/proc/sys/net/ipv6/conf/all/forwarding", "1", FALSE) < 0)
        return -1;
    return 0;
}

static int startVirtual(const vkNetworkDriverState *state, vkNetworkStatus *status,
                        unsigned int *done)
{
    const vkNetworkDef *def = status->def;

    /* Checked again now that our own route exists: a network with the same subnet may have
     * been starting at the same time. */
    if (bridgeSetup(def, done) < 0 || checkRouteCollision(def, def->bridge.name) < 0 ||
        enableForwarding(def) < 0)
        return -1;
    *done |= STEP_FIREWALL;
    if (vkFirewallApply(state, def, status->firewall) < 0)
        return -1;
    if (!vkDnsmasqNeeded(def))
        return 0;
    *done |= STEP_DNSMASQ;
    return vkDnsmasqStart(state, status);
}

/* Undoes the steps in DONE, in reverse, going on past failures so that as much as possible is
 * undone; the first failure is the one reported. */
static int stopVirtual(const vkNetworkDriverState *state, const vkNetworkStatus *status,
                       unsigned int done)
{
    const vkNetworkDef *def = status->def;
    virErrorPtr first = NULL;
    int rc;

    if ((done & STEP_DNSMASQ) &&
        vkDnsmasqStop(state, def->name, status->dnsmasqPid, status->dnsmasqStartTime) < 0)
        first = vkSaveError();
    if ((done & STEP_FIREWALL) && vkFirewallRemove(state, def, status->firewall) < 0 && !first)
        first = vkSaveError();
    if (done & STEP_BRIDGE) {
        rc = vkNetDevExists(def->bridge.name);
        if ((rc < 0 || (rc == 1 && vkNetDevBridgeDelete(def->bridge.name) < 0)) && !first)
            first = vkSaveError();
    }
    if (first) {
        vkRestoreError(first);
        return -1;
    }
    return 0;
}

/* ---- the calls ---- */

int vkNetworkStart(const vkNetworkDriverState *state, vkNetworkStatus *status)
{
    unsigned int done = 0;
    int rc = 0;

    status->state = VK_NETWORK_STATUS_STARTING;
    status->firewall = VK_NETWORK_FIREWALL_NONE;
    status->dnsmasqPid = 0;
    status->dnsmasqStartTime = 0;
    if (prepare(state, status) < 0)
        return -1;
    vkFirewallFillLiveDefaults(status->def);
    if (vkNetworkStatusSave(state, status) < 0)
        return -1;

    if (vkNetworkMakesBridge(status->def))
        rc = startVirtual(state, status, &done);
    if (rc == 0) {
        status->state = VK_NETWORK_STATUS_ACTIVE;
        rc = vkNetworkStatusSave(state, status);
    }
    if (rc < 0) {
        virErrorPtr saved = vkSaveError();
        if (vkNetworkMakesBridge(status->def))
            stopVirtual(state, status, done);
        vkNetworkStatusDelete(state, status->def->name);
        vkRestoreError(saved);
        return -1;
    }
    return 0;
}

int vkNetworkStop(const vkNetworkDriverState *state, vkNetworkStatus *status)
{
    status->state = VK_NETWORK_STATUS_STOPPING;
    /* Only a hint for crash recovery, which finds an ACTIVE status just as well: a full disk
     * must not keep a network from stopping. */
    if (vkNetworkStatusSave(state, status) < 0)
        vkResetLastError();
    if (vkNetworkMakesBridge(status->def) && stopVirtual(state, status, STEPS_ALL) < 0)
        return -1;
    return vkNetworkStatusDelete(state, status->def->name);
}

/* ---- keeping the status true to the host ---- */

static gboolean hostStateVanished(const vkNetworkDef *def)
{
    /* A failing query says nothing about the bridge; only a clear "not there" counts. */
    if (vkNetworkMakesBridge(def) ||
        (def->forward.type == VK_NETWORK_FORWARD_BRIDGE && def->bridge.name))
        return vkNetDevExists(def->bridge.name) == 0;
    return FALSE;
}

static gboolean dnsmasqDied(const vkNetworkStatus *status)
{
    if (!vkNetworkMakesBridge(status->def) || !vkDnsmasqNeeded(status->def))
        return FALSE;
    return !vkProcessIsAlive(status->dnsmasqPid, status->dnsmasqStartTime);
}

/* Only the privileged may run dnsmasq, so only they look after a dead one. */
static gboolean needsRepair(const vkNetworkDriverState *state, const vkNetworkStatus *status)
{
    return status->state != VK_NETWORK_STATUS_ACTIVE || hostStateVanished(status->def) ||
           (state->privileged && dnsmasqDied(status));
}

/* With the lock held: STATUS is what the file says now. */
static int repair(const vkNetworkDriverState *state, vkNetworkObj *obj)
{
    vkNetworkStatus *status = obj->status;

    if (status->state != VK_NETWORK_STATUS_ACTIVE || hostStateVanished(status->def)) {
        if (vkNetworkStop(state, status) < 0)
            return -1;
        g_clear_pointer(&obj->status, vkNetworkStatusFree);
        return 0;
    }
    if (state->privileged && dnsmasqDied(status)) {
        if (vkDnsmasqStart(state, status) < 0)
            return -1;
        return vkNetworkStatusSave(state, status);
    }
    return 0;
}

int vkNetworkReconcile(const vkNetworkDriverState *state, vkNetworkObj *obj, gboolean locked)
{
    g_autoptr(vkFileLock) lock = NULL;
    g_autoptr(vkNetworkObj) fresh = NULL;

    if (!obj->status || !needsRepair(state, obj->status))
        return 0;
    if (locked)
        return repair(state, obj);

    /* Someone may be starting or stopping it right now: wait for them, then look again. */
    if (!(lock = vkNetworkLock(state, obj->name)))
        return -1;
    if (vkNetworkObjRead(state, obj->name, &fresh) < 0)
        return -1;
    g_clear_pointer(&obj->status, vkNetworkStatusFree);
    if (!fresh)
        return 0;
    vkNetworkDefFree(obj->config);
    obj->config = g_steal_pointer(&fresh->config);
    obj->status = g_steal_pointer(&fresh->status);
    obj->autostart = fresh->autostart;
    if (!obj->status || !needsRepair(state, obj->status))
        return 0;
    return repair(state, obj);
}

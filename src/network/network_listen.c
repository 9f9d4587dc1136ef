/* The address a graphics server listens on for <listen type='network'>: chosen from the
 * network's live definition and, for networks on host interfaces, from the host. */
#include "network_priv.h"
#include "util/vknetdev.h"

/* The interface whose host address stands for the network, or NULL when the network has
 * addresses of its own (*OWN set) or none can be named (reported). */
static const char *listenDevice(const vkNetworkDef *def, const vkNetworkIPDef **own)
{
    *own = NULL;
    switch ((vkNetworkForwardType)def->forward.type) {
    case VK_NETWORK_FORWARD_NONE:
    case VK_NETWORK_FORWARD_NAT:
    case VK_NETWORK_FORWARD_ROUTE:
    case VK_NETWORK_FORWARD_OPEN:
        if (!(*own = vkNetworkDefGetIP(def, AF_UNSPEC, 0)))
            vkReportError(VK_NET_ERR, VIR_ERR_CONFIG_UNSUPPORTED,
                          "network '%s' doesn't have an IP address", def->name);
        return NULL;

    case VK_NETWORK_FORWARD_BRIDGE:
    case VK_NETWORK_FORWARD_PRIVATE:
    case VK_NETWORK_FORWARD_VEPA:
    case VK_NETWORK_FORWARD_PASSTHROUGH:
        /* A bridge name means the host's bridge; otherwise macvtap on the pool's devices,
         * of which a guest would get the first. */
        if (def->forward.type == VK_NETWORK_FORWARD_BRIDGE && def->bridge.name)
            return def->bridge.name;
        if (def->forward.nifs > 0)
            return def->forward.ifs[0];
        vkReportError(VK_NET_ERR, VIR_ERR_CONFIG_UNSUPPORTED,
                      "network '%s' has no associated interface or bridge", def->name);
        return NULL;

    case VK_NETWORK_FORWARD_HOSTDEV:
        /* The guest owns the virtual function outright; only the physical function has a host
         * address, and this network model does not name one (<pf dev='...'/>). */
        vkReportError(VK_NET_ERR, VIR_ERR_CONFIG_UNSUPPORTED,
                      "network '%s' uses forward mode 'hostdev' without a physical function "
                      "device, so it has no host interface address to listen on",
                      def->name);
        return NULL;

    case VK_NETWORK_FORWARD_LAST:
        break;
    }
    vkReportError(VK_NET_ERR, VIR_ERR_INTERNAL_ERROR, "network '%s' has unknown forward mode %d",
                  def->name, def->forward.type);
    return NULL;
}

/* NETNAME's network, true to the host and active, for a guest about to use it. */
static vkNetworkObj *activeNetwork(vkNetworkDriverState *state, const char *netname)
{
    g_autoptr(vkNetworkObj) obj = NULL;
    int rc;

    if ((rc = vkNetworkObjRead(state, netname, &obj)) < 0)
        return NULL;
    if (rc == 0) {
        vkReportError(VK_NET_ERR, VIR_ERR_NO_NETWORK, "no network with matching name '%s'",
                      netname);
        return NULL;
    }
    if (vkNetworkReconcile(state, obj, FALSE) < 0)
        return NULL;
    if (!vkNetworkObjIsActive(obj)) {
        vkReportError(VK_NET_ERR, VIR_ERR_OPERATION_INVALID, "network '%s' is not active", netname);
        return NULL;
    }
    return g_steal_pointer(&obj);
}

int vkNetworkGetListenAddress(vkNetworkDriverState *state, const char *netname, char **address)
{
    g_autoptr(vkNetworkObj) obj = NULL;
    const vkNetworkIPDef *own = NULL;
    const vkNetworkDef *def;
    const char *dev;
    int rc;

    *address = NULL;
    if (!(obj = activeNetwork(state, netname)))
        return -1;
    def = vkNetworkObjDef(obj);
    if (!(dev = listenDevice(def, &own))) {
        if (!own)
            return -1;
        *address = vkSocketAddrFormat(&own->address);
        return 0;
    }
    if ((rc = vkNetDevExists(dev)) == 0) {
        vkReportError(VK_NET_ERR, VIR_ERR_OPERATION_FAILED,
                      "interface '%s' of network '%s' does not exist on this host", dev, netname);
        return -1;
    }
    if (rc < 0 || vkNetDevGetListenAddress(dev, address) < 0) {
        vkNetworkErrorPrefix("cannot find an address to listen on for network '%s'", netname);
        return -1;
    }
    return 0;
}

/* The bridge a guest's tap joins for <interface type='network'>: the network must be active
 * and have a bridge, of its own or the host's. Networks over host devices (macvtap style) have
 * none, and a guest reaches them with <interface type='direct'>, which this driver lacks. */
int vkNetworkGetBridge(vkNetworkDriverState *state, const char *netname, char **bridge)
{
    g_autoptr(vkNetworkObj) obj = NULL;
    const vkNetworkDef *def;

    *bridge = NULL;
    if (!(obj = activeNetwork(state, netname)))
        return -1;
    def = vkNetworkObjDef(obj);
    if (!def->bridge.name) {
        vkReportError(VK_NET_ERR, VIR_ERR_CONFIG_UNSUPPORTED,
                      "network '%s' has no bridge a guest interface could join (forward mode "
                      "'%s' over host devices)",
                      netname, vkNetworkForwardTypeToString(def->forward.type));
        return -1;
    }
    *bridge = g_strdup(def->bridge.name);
    return 0;
}

/* The network driver of qemu:/// connections: persistent virtual networks on the host
 * (bridges, dnsmasq, NAT) and the listen address lookup that the qemu driver calls directly. */
#pragma once

#include <glib.h>

#include "driver.h"

/* One per connection: where the networks live and who is asking. All state is on disk and on
 * the host, so any number of these, in any number of processes, see the same networks. */
typedef struct _vkNetworkDriverState vkNetworkDriverState;

/* The network calls of qemu:/// connections; its connectOpen sets conn->networkPrivateData. */
extern const vkNetworkDriver vkHostNetworkDriver;

/* For callers without a connection (the daemon, tools): the state for a qemu:/// URI.
 * Reports and returns NULL for a URI the driver cannot serve. */
vkNetworkDriverState *vkNetworkDriverStateNew(GUri *uri);
void vkNetworkDriverStateFree(vkNetworkDriverState *state);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(vkNetworkDriverState, vkNetworkDriverStateFree)

/* Starts, the first time the driver is opened on a host boot, every persistent network marked
 * for autostart that is inactive, once: ROOT/run/network/autostarted records the boot it was
 * done on. connectOpen calls it; a caller of vkNetworkDriverStateNew that serves clients (the
 * daemon) must too. Every later open of the boot costs two small reads. Nothing is reported:
 * a network that cannot start is a warning on stderr, and never keeps the driver from opening
 * or the other networks from starting. An unprivileged caller starts only what it may (bridge
 * and device modes), and leaves the networks that create bridges to a privileged opener. */
void vkNetworkAutostartOnBoot(const vkNetworkDriverState *state);

/* The state behind a qemu:/// connection, or NULL for a connection of another driver. */
vkNetworkDriverState *vkNetworkDriverStateOf(virConnectPtr conn);

/* The address a graphics server should listen on for <listen type='network' network=NETNAME>:
 * the first <ip> of a network that has its own addresses (isolated, nat, route, open); the
 * host address of the bridge (bridge mode with a bridge name) or of the first device (bridge,
 * private, vepa and passthrough with devices), IPv4 preferred, else a global IPv6 address that
 * is neither link-local nor tentative. The network must be active. Every failure is reported
 * naming the network and, where one is involved, the interface; *ADDRESS is then NULL. */
int vkNetworkGetListenAddress(vkNetworkDriverState *state, const char *netname, char **address);

/* The bridge a guest interface of type network joins: the active network's own bridge, or the
 * host bridge it forwards to. Networks over host devices (macvtap style) have none; that and
 * every other failure is reported naming the network. */
int vkNetworkGetBridge(vkNetworkDriverState *state, const char *netname, char **bridge);

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

/* The state behind a qemu:/// connection, or NULL for a connection of another driver. */
vkNetworkDriverState *vkNetworkDriverStateOf(virConnectPtr conn);

/* The address a graphics server should listen on for <listen type='network' network=NETNAME>:
 * the first <ip> of a network that has its own addresses (isolated, nat, route, open); the
 * host address of the bridge (bridge mode with a bridge name) or of the first device (bridge,
 * private, vepa and passthrough with devices), IPv4 preferred, else a global IPv6 address that
 * is neither link-local nor tentative. The network must be active. Every failure is reported
 * naming the network and, where one is involved, the interface; *ADDRESS is then NULL. */
int vkNetworkGetListenAddress(vkNetworkDriverState *state, const char *netname, char **address);

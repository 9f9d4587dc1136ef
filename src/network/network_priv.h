/* Internals shared by the network driver's files: the driver state, a network as its files
 * describe it, and the host steps that start and stop it. */
#pragma once

#include <sys/types.h>
#include <glib.h>

#include "conf/network_conf.h"
#include "network_driver.h"
#include "util/vkenum.h"
#include "util/vkerror.h"
#include "util/vkfile.h"
#include "util/vkobjstore.h"
#include "util/vkpaths.h"

#define VK_NET_ERR VIR_FROM_NETWORK

struct _vkNetworkDriverState {
    vkDriverPaths *paths; /* paths->etc holds configs, paths->run status, locks, dnsmasq files */
    char *autostartDir;   /* paths->etc/autostart */
    gboolean privileged;  /* may create bridges, firewall rules and processes on the host */
    vkObjStore *store;    /* configs, status files, autostart marks and locks */
    GMutex lock;          /* guards events */
    struct _vkObjectEventState *events; /* event callbacks, made on first use */
};

/* How the object store reads and names a network's files (network_state.c). */
extern const vkObjStoreClass vkNetworkStoreClass;
/* The index key of a bridge a network defines or runs (vkObjStoreFindKey). */
char *vkNetworkBridgeKey(const char *bridge);

/* ---- a network on disk (network_state.c) ---- */

/* Where a started network is. A start writes STARTING before it touches the host and ACTIVE
 * when it is done; a stop writes STOPPING first. Finding STARTING or STOPPING while the
 * network's lock is free means its owner died half way, and the steps are undone. */
typedef enum {
    VK_NETWORK_STATUS_STARTING,
    VK_NETWORK_STATUS_ACTIVE,
    VK_NETWORK_STATUS_STOPPING,
    VK_NETWORK_STATUS_LAST
} vkNetworkStatusState;
VK_ENUM_DECL(vkNetworkStatusState);

typedef enum {
    VK_NETWORK_FIREWALL_NONE,
    VK_NETWORK_FIREWALL_NFT,
    VK_NETWORK_FIREWALL_IPTABLES,
    VK_NETWORK_FIREWALL_LAST
} vkNetworkFirewallBackend;
VK_ENUM_DECL(vkNetworkFirewallBackend);

/* ROOT/run/network/NAME.xml: what runs, and the facts needed to stop it. */
typedef struct {
    int state;    /* vkNetworkStatusState */
    int firewall; /* vkNetworkFirewallBackend the rules were installed with */
    pid_t dnsmasqPid;
    unsigned long long dnsmasqStartTime; /* with the pid, names the process for good */
    vkNetworkDef *def;                   /* the live definition */
} vkNetworkStatus;

void vkNetworkStatusFree(vkNetworkStatus *status);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(vkNetworkStatus, vkNetworkStatusFree)

typedef struct {
    char *name;
    vkNetworkDef *config;    /* ROOT/etc/network/NAME.xml, NULL for a transient network */
    vkNetworkStatus *status; /* NULL while inactive */
    gboolean autostart;
} vkNetworkObj;

void vkNetworkObjFree(vkNetworkObj *obj);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(vkNetworkObj, vkNetworkObjFree)

/* The definition in force: the live one while active, else the persistent one. */
const vkNetworkDef *vkNetworkObjDef(const vkNetworkObj *obj);
gboolean vkNetworkObjIsActive(const vkNetworkObj *obj);

/* ROOT/run/network/NAME.SUFFIX (SUFFIX "xml", "conf", "pid", "leases", "nft"). */
char *vkNetworkRunFile(const vkNetworkDriverState *state, const char *name, const char *suffix);
char *vkNetworkConfigFile(const vkNetworkDriverState *state, const char *name);

/* Reads NAME's files as they are. Returns 1 with *OBJ set, 0 when NAME has neither a config
 * nor a status (nothing reported), -1 when a file is unreadable or corrupt (reported with the
 * file's path). */
int vkNetworkObjRead(const vkNetworkDriverState *state, const char *name, vkNetworkObj **obj);

/* Every network on disk, sorted by name, read as vkNetworkObjRead does. A network whose files
 * are corrupt is reported on stderr with the file's path and skipped, so that one bad file
 * never hides the others. */
GPtrArray *vkNetworkObjReadAll(const vkNetworkDriverState *state);

int vkNetworkConfigSave(const vkNetworkDriverState *state, const vkNetworkDef *def);
/* Removes the config and the autostart mark; missing ones count as removed. */
int vkNetworkConfigDelete(const vkNetworkDriverState *state, const char *name);
int vkNetworkStatusSave(const vkNetworkDriverState *state, const vkNetworkStatus *status);
int vkNetworkStatusDelete(const vkNetworkDriverState *state, const char *name);
int vkNetworkAutostartSet(const vkNetworkDriverState *state, const char *name, gboolean on);

/* The lock that serialises every change to one network, across threads and processes. */
vkFileLock *vkNetworkLock(const vkNetworkDriverState *state, const char *name);
/* The lock that makes "is this name, uuid or bridge free?" and "take it" one step. Taken
 * before any network's lock, never while holding one. */
vkFileLock *vkNetworkDriverLock(const vkNetworkDriverState *state);

/* Reports the calling thread's last error on stderr as a warning about WHAT, and clears it:
 * for trouble that must not fail the call at hand (one corrupt file among many). */
void vkNetworkWarn(const char *what);

/* Prefixes the calling thread's last error with CONTEXT ("network 'x': ..."), keeping its
 * code, so that a low-level failure names what it was about. */
void vkNetworkErrorPrefix(const char *fmt, ...) G_GNUC_PRINTF(1, 2);

/* ---- events (network_events.c) ---- */

/* Network lifecycle callbacks of a qemu:/// connection: while any is registered, inotify on
 * the config and run directories turns the changes any process makes into libvirt's events. */
int vkNetworkEventRegisterAny(virConnectPtr conn, virNetworkPtr net, int eventID,
                              virConnectNetworkEventGenericCallback cb, void *opaque,
                              virFreeCallback freecb);
int vkNetworkEventDeregisterAny(virConnectPtr conn, int callbackID);

/* ---- starting and stopping on the host (network_start.c) ---- */

/* TRUE for the modes whose bridge the driver creates: isolated, nat, route and open. */
gboolean vkNetworkMakesBridge(const vkNetworkDef *def);

/* Brings the network of STATUS->def up on the host, recording progress in its status file;
 * on success the status is ACTIVE on disk and in STATUS. On failure every step done is undone,
 * the status file is gone and one error is reported. The caller holds the network's lock. */
int vkNetworkStart(const vkNetworkDriverState *state, vkNetworkStatus *status);

/* Undoes every step of a start, in reverse, tolerating steps already undone (a crash, a
 * previous failed stop, an administrator), and removes the status file. The caller holds the
 * network's lock. */
int vkNetworkStop(const vkNetworkDriverState *state, vkNetworkStatus *status);

/* Makes OBJ's status true to the host, for a caller that read it without the lock: a start or
 * stop whose owner died is finished as a stop, a network whose bridge vanished is stopped, and
 * a dnsmasq that died is started again. What runs is never disturbed. LOCKED says whether the
 * caller holds the network's lock already. */
int vkNetworkReconcile(const vkNetworkDriverState *state, vkNetworkObj *obj, gboolean locked);

/* Runs ARGV[0] (a path) to completion; a non-zero exit is reported with the command's error
 * output. */
int vkNetworkRunCommand(const char *const *argv);
/* The full path of PROGRAM from PATH (with /usr/sbin and /sbin when PATH is unset), or NULL. */
char *vkNetworkFindProgram(const char *program);

/* ---- dnsmasq (network_dnsmasq.c) ---- */

/* TRUE when some <ip> of DEF has DHCP ranges or hosts, so the network needs dnsmasq. */
gboolean vkDnsmasqNeeded(const vkNetworkDef *def);
/* The configuration file for DEF's dnsmasq: pure, for golden tests. */
char *vkDnsmasqConfFormat(const vkNetworkDef *def, const char *pidFile, const char *leaseFile);
/* Writes the config and runs dnsmasq for STATUS->def, which is up and serving when this
 * returns 0. The process is recorded in STATUS, and saved with it, before dnsmasq runs, so
 * that a caller killed at any moment leaves no dnsmasq its network does not name. On failure
 * nothing that was started runs any more. */
int vkDnsmasqStart(const vkNetworkDriverState *state, vkNetworkStatus *status);
/* Stops NAME's dnsmasq, the process PID/STARTTIME (none when PID is 0; gone already is fine),
 * and removes its pid and config files. */
int vkDnsmasqStop(const vkNetworkDriverState *state, const char *name, pid_t pid,
                  unsigned long long startTime);

/* ---- firewall (network_firewall.c) ---- */

/* TRUE for the modes that get firewall rules: isolated, nat and route. */
gboolean vkFirewallNeeded(const vkNetworkDef *def);
/* Which backend DEF's rules need: NONE for modes without rules, else nft, else iptables when
 * nft is not installed. Reports when rules are needed and neither is installed. */
int vkFirewallSelectBackend(const vkNetworkDef *def, int *backend);
/* Fills in what the rules imply but the definition left out (the NAT port range), as libvirt
 * does for the live definition of a started network. */
void vkFirewallFillLiveDefaults(vkNetworkDef *def);
/* The nft script that replaces DEF's table: pure, for golden tests. */
char *vkFirewallNftScript(const vkNetworkDef *def);
/* The iptables/ip6tables command lines (each a NULL-terminated vector, program name first)
 * that install DEF's rules, or remove them when REMOVE: pure, for golden tests. */
GPtrArray *vkFirewallIptablesCommands(const vkNetworkDef *def, gboolean remove);
int vkFirewallApply(const vkNetworkDriverState *state, const vkNetworkDef *def, int backend);
/* Removing rules that are not there is a success. */
int vkFirewallRemove(const vkNetworkDriverState *state, const vkNetworkDef *def, int backend);

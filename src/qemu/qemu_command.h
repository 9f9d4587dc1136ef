/* The qemu command line: a pure function from a domain definition and the runtime facts the
 * driver resolved at start (paths, descriptors, addresses, ports) to qemu's argument vector. */
#pragma once

#include <glib.h>

#include "conf/domain_conf.h"
#include "qemu/qemu_capabilities.h"

/* The emulator used when neither the runtime facts nor <emulator> name one. */
#define VK_QEMU_DEFAULT_EMULATOR "/usr/bin/qemu-system-x86_64"
/* Where VNC and SPICE listen when an address listen gives no address (libvirt's qemu.conf
 * default). */
#define VK_QEMU_DEFAULT_LISTEN "127.0.0.1"

/* What one <graphics> device actually uses. Unset fields (NULL, 0) fall back to the
 * definition; ports the definition leaves to the driver (autoport, websocket='-1') must be
 * set here. */
typedef struct {
    char *address; /* listen address: a network listen resolved, or the default filled in */
    int port;      /* VNC or SPICE TCP port */
    int tlsPort;   /* SPICE TLS port */
    int websocket; /* VNC websocket port */
    char *socket;  /* VNC unix socket path */
} vkQEMUGraphicsRuntime;

/* What one <interface> actually uses. */
typedef struct {
    int tapFd;    /* network, bridge, ethernet: the tap's descriptor number in qemu; -1 none */
    char *bridge; /* network: the bridge the network resolved to (bridge: <source bridge>) */
} vkQEMUNetRuntime;

/* Runtime facts: everything the command line depends on besides the definition. */
typedef struct {
    char *emulator;         /* NULL: <emulator>, else VK_QEMU_DEFAULT_EMULATOR */
    char *accel;            /* "kvm" or "tcg"; NULL: kvm for type='kvm', tcg for type='qemu' */
    char *monitorPath;      /* the QMP socket */
    int monitorFd;          /* a socket listening on monitorPath, passed to qemu as this descriptor
                             * number; -1: qemu creates the socket itself */
    char *eventsPath;       /* a second QMP socket, for event watchers only; NULL with eventsFd -1:
                             * none */
    int eventsFd;           /* as monitorFd, for eventsPath */
    vkQEMUNetRuntime *nets; /* one per def->nets entry */
    size_t nnets;
    vkQEMUGraphicsRuntime *graphics; /* one per def->graphics entry */
    size_t ngraphics;
    char *spiceTLSDir; /* x509-dir for a SPICE tls-port; NULL: qemu's default */
    char *channelDir;  /* where unix channels without a path get their socket */
    char *tpmSocket;   /* the control socket of the guest's swtpm (an emulated TPM) */
    gint64 now;        /* seconds since the epoch, for <clock offset='variable'> */
    char *incoming;    /* -incoming: where qemu waits for a migration's data ("tcp:ADDR:PORT");
                        * NULL: a fresh start */
} vkQEMURuntime;

/* Runtime facts sized for DEF: one entry per interface and graphics device, all unset (tap
 * descriptors -1), no monitor descriptor, NOW the current time. */
vkQEMURuntime *vkQEMURuntimeNew(const vkDomainDef *def);
void vkQEMURuntimeFree(vkQEMURuntime *rt);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(vkQEMURuntime, vkQEMURuntimeFree)

/* TRUE if interface NET is backed by a tap the driver opens and passes to qemu. */
gboolean vkQEMUNetUsesTap(const vkDomainNetDef *net);

/* The id qemu knows a device by (libvirt's alias scheme, or the user's "ua-" alias). I is
 * the device's index in its array of DEF. */
char *vkQEMUDiskAlias(const vkDomainDef *def, size_t i);
char *vkQEMUChrAlias(const vkDomainChrDef *chr, size_t i);
/* The socket of a unix channel without a path, in DIR: named after the channel (the guest
 * agent's org.qemu.guest_agent.0), or after its port as libvirt names it. NULL (reported)
 * for a name that cannot be a file name. */
char *vkQEMUChannelSocketPath(const char *dir, const vkDomainChrDef *chr);

/* The machine type qemu gets: <type machine>, made canonical through CAPS when CAPS knows it
 * (q35 -> pc-q35-7.2); without CAPS, or for a name CAPS does not know, as written ("pc"
 * when absent), so that qemu itself reports an unknown machine. */
const char *vkQEMUMachineName(const vkDomainDef *def, const vkQEMUCaps *caps);

/* What libvirt refuses when it builds the command line, and which therefore needs no runtime
 * fact: checked by the builder, and by the driver before it reserves anything for a start
 * (one graphics device of each type). */
int vkQEMUCommandLineValidate(const vkDomainDef *def);

/* The argument vector (argv[0] is the emulator), or NULL with an error reported when DEF asks
 * for something qemu cannot do or RT lacks a fact the definition needs. CAPS may be NULL:
 * the builder then assumes qemu 7.2 on x86_64 and makes no capability checks. No shell is
 * involved: each element is one argument. */
GStrv vkQEMUBuildCommandLine(const vkDomainDef *def, const vkQEMURuntime *rt,
                             const vkQEMUCaps *caps);

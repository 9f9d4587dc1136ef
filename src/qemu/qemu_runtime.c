/* What a guest needs from this host before its qemu runs: emulator and accelerator, the
 * bridges its interfaces join, and where its VNC and SPICE servers listen (a network listen is
 * resolved by the network driver, here and now) on which reserved ports. */
#include <string.h>

#include "qemu_driver_priv.h"
#include "storage/storage_driver.h"
#include "util/vkprocess.h"

/* ---- emulator and accelerator ---- */

static int resolveEmulator(vkQemuDriverState *state, const vkDomainDef *def, vkQEMURuntime *rt,
                           vkQEMUCaps **caps)
{
    const char *emulator = def->emulator ? def->emulator : VK_QEMU_DEFAULT_EMULATOR;

    if (!(*caps = vkQEMUCapsGet(state->paths->cache, emulator)))
        return -1;
    rt->emulator = g_strdup(vkQEMUCapsGetBinary(*caps));
    if (def->virtType != VK_DOMAIN_VIRT_KVM) {
        rt->accel = g_strdup("tcg");
        return 0;
    }
    if (!vkQEMUHostHasKVM() || !vkQEMUCapsHasKVM(*caps)) {
        vkReportError(VK_QEMU_ERR, VIR_ERR_CONFIG_UNSUPPORTED,
                      "Emulator '%s' does not support virt type 'kvm' on this host (/dev/kvm is "
                      "missing or unusable); use <domain type='qemu'> for TCG",
                      rt->emulator);
        return -1;
    }
    rt->accel = g_strdup("kvm");
    return 0;
}

/* ---- disks ---- */

/* <disk type='volume'>: the storage driver says, at each start, which file or device the
 * volume is now; the live definition shows that path. */
static int resolveDisks(vkQemuDriverState *state, vkDomainDef *def)
{
    for (size_t i = 0; i < def->ndisks; i++) {
        vkDomainDiskDef *disk = def->disks[i];
        vkStorageDriverState *storage = vkStorageDriverStateOf(state->conn);
        g_autofree char *path = NULL;
        g_autofree char *format = NULL;

        if (disk->type != VK_DOMAIN_DISK_TYPE_VOLUME || !disk->srcVolume)
            continue;
        if (!storage) {
            vkReportError(VK_QEMU_ERR, VIR_ERR_NO_SUPPORT, "%s",
                          "no storage driver to resolve disks of type volume");
            return -1;
        }
        if (vkStorageVolumeResolve(storage, disk->srcPool, disk->srcVolume, &path, &format) < 0)
            return -1;
        disk->type =
            g_str_has_prefix(path, "/dev/") ? VK_DOMAIN_DISK_TYPE_BLOCK : VK_DOMAIN_DISK_TYPE_FILE;
        g_free(disk->src);
        disk->src = g_steal_pointer(&path);
        g_clear_pointer(&disk->srcPool, g_free);
        g_clear_pointer(&disk->srcVolume, g_free);
        if (!disk->format && vkDomainDiskFormatTypeFromString(format) > 0)
            disk->format = vkDomainDiskFormatTypeFromString(format);
    }
    return 0;
}

/* ---- interfaces ---- */

static int resolveNets(vkQemuDriverState *state, const vkDomainDef *def, vkQEMURuntime *rt)
{
    for (size_t i = 0; i < def->nnets; i++) {
        const vkDomainNetDef *net = def->nets[i];
        vkNetworkDriverState *netState = vkNetworkDriverStateOf(state->conn);

        if (net->type != VK_DOMAIN_NET_TYPE_NETWORK)
            continue;
        if (!netState) {
            vkReportError(VK_QEMU_ERR, VIR_ERR_NO_SUPPORT, "%s",
                          "no network driver to resolve interfaces of type network");
            return -1;
        }
        if (vkNetworkGetBridge(netState, net->network, &rt->nets[i].bridge) < 0)
            return -1;
    }
    return 0;
}

/* ---- graphics ---- */

static vkPortAllocator *allocator(vkQemuDriverState *state, gboolean websocket)
{
    const vkQEMUConfig *cfg = vkQemuDriverConfig(state);

    if (!cfg)
        return NULL;
    if (websocket)
        return vkPortAllocatorNew("websocket", state->portDir, cfg->websocketPortMin,
                                  cfg->websocketPortMax, VK_QEMU_ERR);
    return vkPortAllocatorNew("display", state->portDir, cfg->displayPortMin, cfg->displayPortMax,
                              VK_QEMU_ERR);
}

/* A reservation outlives its guest only when the guest's qemu died unseen. A guest counts as
 * running while its status file names a live qemu, and also while its lock is held: a start in
 * progress has reserved its ports before qemu runs. */
static gboolean ownerRuns(const char *owner, unsigned int port, void *opaque)
{
    vkQemuDriverState *state = opaque;
    g_autofree char *path = vkQEMUDomainStatusPath(&state->procPaths, owner);
    g_autoptr(vkQEMUDomainStatus) st = NULL;
    g_autoptr(vkFileLock) lock = NULL;
    int rc;

    /* An unreadable status keeps its ports: better a port lost than one given twice. */
    if (vkQEMUDomainStatusRead(path, &st) < 0) {
        vkResetLastError();
        return TRUE;
    }
    if (st && vkProcessIsAlive(st->pid, st->startTime))
        return TRUE;
    rc = vkFileLockTryAcquire(state->paths->run, owner, &lock);
    vkResetLastError();
    return rc != 0;
}

/* *PORT as the definition asks: a free one when it is -1 (autoport), else the given one if it
 * is free; 0 asks for nothing. */
static int takePort(vkPortTransaction *txn, vkPortAllocator *pa, const char *owner,
                    const char *address, int *port)
{
    unsigned int got = 0;

    if (*port == 0)
        return 0;
    if (*port > 0)
        return vkPortTransactionReserve(txn, pa, address, owner, (unsigned int)*port);
    if (vkPortTransactionAcquire(txn, pa, address, owner, &got) < 0)
        return -1;
    *port = (int)got;
    return 0;
}

static const char *defaultListen(vkQemuDriverState *state, const vkDomainGraphicsDef *g)
{
    const vkQEMUConfig *cfg = vkQemuDriverConfig(state);

    if (!cfg)
        return VK_QEMU_DEFAULT_LISTEN;
    return g->type == VK_DOMAIN_GRAPHICS_TYPE_SPICE ? cfg->spiceListen : cfg->vncListen;
}

static int resolveListenAddress(vkQemuDriverState *state, const vkDomainGraphicsDef *g,
                                const vkDomainGraphicsListenDef *l, char **address)
{
    vkNetworkDriverState *netState;

    if (l->type == VK_DOMAIN_GRAPHICS_LISTEN_TYPE_ADDRESS) {
        *address = g_strdup(l->address ? l->address : defaultListen(state, g));
        return 0;
    }
    /* A network listen: whatever the network means on this host, asked afresh at every start
     * so that a changed interface address is picked up. */
    if (!(netState = vkNetworkDriverStateOf(state->conn))) {
        vkReportError(VK_QEMU_ERR, VIR_ERR_NO_SUPPORT,
                      "no network driver to resolve the listen on network '%s'", l->network);
        return -1;
    }
    return vkNetworkGetListenAddress(netState, l->network, address);
}

/* qemu.conf's defaults for what the definition leaves open: a password, and for VNC without a
 * listen address, a unix socket instead of the default address (vnc_auto_unix_socket). */
static void applyConfigDefaults(vkQemuDriverState *state, vkDomainGraphicsDef *g)
{
    const vkQEMUConfig *cfg = vkQemuDriverConfig(state);
    gboolean spice = g->type == VK_DOMAIN_GRAPHICS_TYPE_SPICE;
    vkDomainGraphicsListenDef *l = &g->listens[0];
    const char *passwd;

    if (!cfg)
        return;
    passwd = spice ? cfg->spicePassword : cfg->vncPassword;
    if (!g->passwd && passwd)
        g->passwd = g_strdup(passwd);
    if (!spice && cfg->vncAutoUnixSocket && l->type == VK_DOMAIN_GRAPHICS_LISTEN_TYPE_ADDRESS &&
        !l->address) {
        l->type = VK_DOMAIN_GRAPHICS_LISTEN_TYPE_SOCKET;
        l->autoGenerated = TRUE;
    }
}

/* The TLS port of a SPICE server: libvirt's rules, where qemu.conf's spice_tls decides whether
 * there may be one at all. With autoport, a TLS port comes with the plain one. */
static int resolveSpiceTLS(vkQemuDriverState *state, vkDomainGraphicsDef *g,
                           vkQEMUGraphicsRuntime *rg, vkQEMURuntime *rt)
{
    const vkQEMUConfig *cfg = vkQemuDriverConfig(state);
    gboolean pick = (g->autoport && cfg->spiceTLS) || g->tlsPort == -1;

    if (pick && !cfg->spiceTLS) {
        vkReportError(VK_QEMU_ERR, VIR_ERR_CONFIG_UNSUPPORTED, "%s",
                      "Auto allocation of spice TLS port requested but spice TLS is disabled in "
                      "qemu.conf");
        return -1;
    }
    if (!pick && g->tlsPort <= 0)
        return 0;
    if (!cfg->spiceTLS) {
        vkReportError(VK_QEMU_ERR, VIR_ERR_CONFIG_UNSUPPORTED, "%s",
                      "spice TLS port set in XML configuration, but TLS is disabled in qemu.conf");
        return -1;
    }
    if (!g_file_test(cfg->spiceTLSx509certdir, G_FILE_TEST_IS_DIR)) {
        vkReportError(VK_QEMU_ERR, VIR_ERR_CONF_SYNTAX,
                      "spice_tls_x509_cert_dir directory '%s' does not exist",
                      cfg->spiceTLSx509certdir);
        return -1;
    }
    rg->tlsPort = pick ? -1 : g->tlsPort;
    g_free(rt->spiceTLSDir);
    rt->spiceTLSDir = g_strdup(cfg->spiceTLSx509certdir);
    return 0;
}

/* Where each graphics device listens, and which ports it asks for (-1: any free one). Sets
 * *PORTS when any is asked for. Reserves nothing. */
static int resolveListens(vkQemuDriverState *state, vkDomainDef *def, vkQEMURuntime *rt,
                          gboolean *ports)
{
    *ports = FALSE;
    for (size_t i = 0; i < def->ngraphics; i++) {
        vkDomainGraphicsDef *g = def->graphics[i];
        vkQEMUGraphicsRuntime *rg = &rt->graphics[i];
        const vkDomainGraphicsListenDef *l = g->nlistens ? &g->listens[0] : NULL;
        gboolean spice = g->type == VK_DOMAIN_GRAPHICS_TYPE_SPICE;

        if (!l || l->type == VK_DOMAIN_GRAPHICS_LISTEN_TYPE_NONE)
            continue;
        applyConfigDefaults(state, g);
        if (l->type == VK_DOMAIN_GRAPHICS_LISTEN_TYPE_SOCKET) {
            if (spice) {
                vkReportError(VK_QEMU_ERR, VIR_ERR_CONFIG_UNSUPPORTED, "%s",
                              "spice graphics do not support listening on a unix socket");
                return -1;
            }
            if (!l->socket)
                rg->socket = vkQEMUDomainVNCSocketPath(&state->procPaths, def->name);
            continue;
        }
        if (resolveListenAddress(state, g, l, &rg->address) < 0)
            return -1;
        rg->port = g->autoport || g->port < 0 ? -1 : g->port;
        if (spice && resolveSpiceTLS(state, g, rg, rt) < 0)
            return -1;
        if (!spice)
            rg->websocket = g->websocket;
        *ports |= rg->port != 0 || rg->tlsPort != 0 || rg->websocket != 0;
    }
    return 0;
}

/* The ports of every graphics device, in one pass over the reservations under their lock:
 * all of them, or none when one is not to be had. */
static int reservePorts(vkQemuDriverState *state, vkDomainDef *def, vkQEMURuntime *rt)
{
    g_autoptr(vkPortAllocator) display = allocator(state, FALSE);
    g_autoptr(vkPortAllocator) websocket = allocator(state, TRUE);
    g_autoptr(vkPortTransaction) txn = NULL;

    if (!display || !websocket || !(txn = vkPortTransactionBegin(display)) ||
        vkPortTransactionReleaseIf(txn, display, ownerRuns, state) < 0 ||
        vkPortTransactionReleaseIf(txn, websocket, ownerRuns, state) < 0)
        return -1;
    for (size_t i = 0; i < def->ngraphics; i++) {
        vkQEMUGraphicsRuntime *rg = &rt->graphics[i];

        if (takePort(txn, display, def->name, rg->address, &rg->port) < 0 ||
            takePort(txn, display, def->name, rg->address, &rg->tlsPort) < 0 ||
            takePort(txn, websocket, def->name, rg->address, &rg->websocket) < 0)
            return -1;
    }
    return vkPortTransactionCommit(txn);
}

/* What libvirt refuses only when it builds the command line is refused before anything is
 * reserved, so that a definition with thousands of graphics devices costs nothing. */
static int resolveGraphics(vkQemuDriverState *state, vkDomainDef *def, vkQEMURuntime *rt)
{
    gboolean ports;

    if (vkQEMUCommandLineValidate(def) < 0 || resolveListens(state, def, rt, &ports) < 0)
        return -1;
    return ports ? reservePorts(state, def, rt) : 0;
}

void vkQemuRuntimeRelease(vkQemuDriverState *state, const char *name, const vkDomainDef *live)
{
    g_autoptr(vkPortAllocator) display = NULL;
    g_autoptr(vkPortAllocator) websocket = NULL;
    g_autoptr(vkPortTransaction) txn = NULL;

    /* Only graphics devices hold ports: a guest without any spares every stop the store. */
    if (live && live->ngraphics == 0)
        return;
    /* A reservation that cannot be dropped now is pruned once its owner is gone. */
    if (!(display = allocator(state, FALSE)) || !(websocket = allocator(state, TRUE)) ||
        !(txn = vkPortTransactionBegin(display)) ||
        vkPortTransactionReleaseOwner(txn, display, name) < 0 ||
        vkPortTransactionReleaseOwner(txn, websocket, name) < 0 || vkPortTransactionCommit(txn) < 0)
        vkErrorWarn("cannot release graphics ports");
}

int vkQemuRuntimeResolve(vkQemuDriverState *state, vkDomainDef *def, vkQEMURuntime **rt,
                         vkQEMUCaps **caps)
{
    g_autoptr(vkQEMURuntime) out = vkQEMURuntimeNew(def);
    g_autoptr(vkQEMUCaps) qcaps = NULL;

    *rt = NULL;
    *caps = NULL;
    /* A broken qemu.conf fails the start with its own error rather than being half applied. */
    if (!vkQemuDriverConfig(state))
        return -1;
    if (resolveDisks(state, def) < 0 || resolveEmulator(state, def, out, &qcaps) < 0 ||
        resolveNets(state, def, out) < 0)
        return -1;
    if (resolveGraphics(state, def, out) < 0) {
        virErrorPtr saved = vkSaveError();
        vkQemuRuntimeRelease(state, def->name, def);
        vkRestoreError(saved);
        return -1;
    }
    *rt = g_steal_pointer(&out);
    *caps = g_steal_pointer(&qcaps);
    return 0;
}

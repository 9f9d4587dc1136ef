/* virtkit shell: domain commands (definition, life cycle, XML, names, graphical displays),
 * with virsh's options, messages and output layout. */
#include <netdb.h>
#include <netinet/in.h>
#include <string.h>
#include <sys/socket.h>

#include <libxml/uri.h>

#include "virtkit.h"

#define VK_OPT_DOMAIN(help) VK_OPT("domain", VK_OT_DATA, VK_OFLAG_REQ, help)
#define VK_OPT_DOMAIN_FULL  VK_OPT_DOMAIN("domain name, id or uuid")
#define VK_OPT_CONSOLE      VK_OPT("console", VK_OT_BOOL, 0, "attach to console after creation")
#define VK_OPT_PAUSED       VK_OPT("paused", VK_OT_BOOL, 0, "leave the guest paused after creation")
#define VK_OPT_AUTODESTROY \
    VK_OPT("autodestroy", VK_OT_BOOL, 0, "automatically destroy the guest when virsh disconnects")
#define VK_OPT_PASS_FDS \
    VK_OPT("pass-fds", VK_OT_STRING, 0, "pass file descriptors N,M,... to the guest")
#define VK_OPT_RESET_NVRAM \
    VK_OPT("reset-nvram", VK_OT_BOOL, 0, "re-initialize NVRAM from its pristine template")
#define VK_OPT_VALIDATE VK_OPT("validate", VK_OT_BOOL, 0, "validate the XML against the schema")
#define VK_OPT_MODE \
    VK_OPT("mode", VK_OT_STRING, 0, "shutdown mode: acpi|agent|initctl|signal|paravirt")

/* A console needs a stream to the guest's serial port, which the API does not offer yet. */
static bool vkConsoleUnsupported(vkShell *sh, virDomainPtr dom)
{
    vkError(sh, "cannot attach to the console of domain '%s': not supported by virtkit",
            virDomainGetName(dom));
    return false;
}

#ifndef VK_HAVE_PASS_FDS
/* Reported like a driver without the feature; the library has no calls that take files yet. */
static void vkPassFdsUnsupported(vkShell *sh)
{
    vkError(sh, "%s",
            "this function is not supported by the connection driver: "
            "passing file descriptors to a new guest");
}
#endif

/* --pass-fds N,M: descriptors this process holds, handed to the new guest. */
static bool vkPassFds(vkShell *sh, const vkCmd *cmd, int **fds, unsigned int *nfds)
{
    const char *arg = NULL;
    g_auto(GStrv) parts = NULL;
    size_t i;

    *fds = NULL;
    *nfds = 0;
    if (vkOptStringQuiet(cmd, "pass-fds", &arg) <= 0)
        return true;
    parts = g_strsplit(arg, ",", -1);
    *nfds = g_strv_length(parts);
    *fds = g_new0(int, *nfds);
    for (i = 0; parts[i]; i++) {
        if (vkParseInt(parts[i], 10, &(*fds)[i]) < 0) {
            vkError(sh, "Unable to parse FD number '%s'", parts[i]);
            g_clear_pointer(fds, g_free);
            return false;
        }
    }
    return true;
}

/* ---- define, create, undefine ---- */

static const vkOptDef vkOptsDefine[] = {
    { "file", VK_OT_DATA, VK_OFLAG_REQ, "file containing an XML domain description" },
    VK_OPT_VALIDATE,
    { NULL },
};

static bool vkCmdDefine(vkShell *sh, const vkCmd *cmd)
{
    g_autoptr(vkDomainRef) dom = NULL;
    g_autofree char *xml = NULL;
    const char *file = NULL;
    unsigned int flags = 0;

    if (vkOptString(sh, cmd, "file", &file) < 0)
        return false;
    if (vkOptBool(cmd, "validate"))
        flags |= VIR_DOMAIN_DEFINE_VALIDATE;
    if (!(xml = vkReadFile(sh, file)))
        return false;

    if (flags)
        dom = virDomainDefineXMLFlags(vkShellConn(sh), xml, flags);
    else
        dom = virDomainDefineXML(vkShellConn(sh), xml);
    if (!dom) {
        vkError(sh, "Failed to define domain from %s", file);
        return false;
    }
    vkPrintExtra(sh, "Domain '%s' defined from %s\n", virDomainGetName(dom), file);
    return true;
}

static const vkOptDef vkOptsCreate[] = {
    { "file", VK_OT_DATA, VK_OFLAG_REQ, "file containing an XML domain description" },
    VK_OPT_CONSOLE,
    VK_OPT_PAUSED,
    VK_OPT_AUTODESTROY,
    VK_OPT_PASS_FDS,
    VK_OPT_VALIDATE,
    VK_OPT_RESET_NVRAM,
    { NULL },
};

static bool vkCmdCreate(vkShell *sh, const vkCmd *cmd)
{
    g_autoptr(vkDomainRef) dom = NULL;
    g_autofree char *xml = NULL;
    g_autofree int *fds = NULL;
    unsigned int nfds = 0;
    const char *file = NULL;
    unsigned int flags = 0;

    if (vkOptString(sh, cmd, "file", &file) < 0)
        return false;
    if (!(xml = vkReadFile(sh, file)))
        return false;
    if (!vkPassFds(sh, cmd, &fds, &nfds))
        return false;

    flags = vkOptFlags(cmd, (const vkOptFlag[]){ { "paused", VIR_DOMAIN_START_PAUSED },
                                                 { "autodestroy", VIR_DOMAIN_START_AUTODESTROY },
                                                 { "validate", VIR_DOMAIN_START_VALIDATE },
                                                 { "reset-nvram", VIR_DOMAIN_START_RESET_NVRAM },
                                                 { NULL } });

    if (nfds) {
#ifdef VK_HAVE_PASS_FDS
        dom = virDomainCreateXMLWithFiles(vkShellConn(sh), xml, nfds, fds, flags);
#else
        vkPassFdsUnsupported(sh);
#endif
    } else {
        dom = virDomainCreateXML(vkShellConn(sh), xml, flags);
    }
    if (!dom) {
        vkError(sh, "Failed to create domain from %s", file);
        return false;
    }
    vkPrintExtra(sh, "Domain '%s' created from %s\n", virDomainGetName(dom), file);
    /* virsh reports the domain as created even when the console fails. */
    if (vkOptBool(cmd, "console"))
        vkConsoleUnsupported(sh, dom);
    return true;
}

static const vkOptDef vkOptsUndefine[] = {
    VK_OPT_DOMAIN_FULL,
    { "managed-save", VK_OT_BOOL, 0, "remove domain managed state file" },
    { "storage", VK_OT_STRING, 0,
      "remove associated storage volumes (comma separated list of targets or source paths) "
      "(see domblklist)" },
    { "remove-all-storage", VK_OT_BOOL, 0,
      "remove all associated storage volumes (use with caution)" },
    { "delete-snapshots", VK_OT_ALIAS, 0, "delete-storage-volume-snapshots" },
    { "delete-storage-volume-snapshots", VK_OT_BOOL, 0,
      "delete snapshots associated with volume(s), requires --remove-all-storage (must be "
      "supported by storage driver)" },
    { "wipe-storage", VK_OT_BOOL, 0, "wipe data on the removed volumes" },
    { "snapshots-metadata", VK_OT_BOOL, 0,
      "remove all domain snapshot metadata (vm must be inactive)" },
    { "checkpoints-metadata", VK_OT_BOOL, 0,
      "remove all domain checkpoint metadata (vm must be inactive)" },
    { "nvram", VK_OT_BOOL, 0, "remove nvram file" },
    { "keep-nvram", VK_OT_BOOL, 0, "keep nvram file" },
    { "tpm", VK_OT_BOOL, 0, "remove TPM state" },
    { "keep-tpm", VK_OT_BOOL, 0, "keep TPM state" },
    { NULL },
};

/* A disk's volume that undefine --storage/--remove-all-storage removes. */
typedef struct {
    virStorageVolPtr vol;
    char *target;
    char *source;
} vkUndefineVol;

static void vkUndefineVolFree(gpointer data)
{
    vkUndefineVol *v = data;

    virStorageVolFree(v->vol);
    g_free(v->target);
    g_free(v->source);
    g_free(v);
}

/* The volumes behind the domain's disks (all, or those LIST names by target or source), found
 * as virsh finds them: by pool and name, or by path. Disks that are no volume are reported and
 * skipped; NULL when LIST names something no disk has. */
static GPtrArray *vkUndefineStorage(vkShell *sh, virDomainPtr dom, const char *list)
{
    g_autoptr(xmlDoc) doc = NULL;
    g_autoptr(xmlXPathContext) ctxt = NULL;
    g_autoptr(xmlXPathObject) disks = NULL;
    g_auto(GStrv) wanted = list ? vkSplitList(list) : NULL;
    g_autofree char *xml = virDomainGetXMLDesc(dom, 0);
    g_autoptr(GPtrArray) vols = g_ptr_array_new_with_free_func(vkUndefineVolFree);
    bool missing = false;
    int i;

    if (!xml) {
        vkError(sh, "%s", "Failed to get domain description xml");
        return NULL;
    }
    if (!(doc = vkParseXML(xml, &ctxt))) {
        vkError(sh, "%s", "Failed to parse domain description xml");
        return NULL;
    }
    disks = xmlXPathEval(BAD_CAST "./devices/disk", ctxt);
    for (i = 0; disks && disks->nodesetval && i < disks->nodesetval->nodeNr; i++) {
        g_autofree char *target = NULL;
        g_autofree char *source = NULL;
        g_autofree char *pool = NULL;
        virStorageVolPtr vol = NULL;
        vkUndefineVol *v;
        char **w;

        ctxt->node = disks->nodesetval->nodeTab[i];
        target = vkXPathString(ctxt, "string(./target/@dev)");
        source = vkXPathString(ctxt, "string(./source/@file|./source/@dir|./source/@name|"
                                     "./source/@dev|./source/@volume)");
        if (!target) {
            vkError(sh, "%s", "Failed to get domain description xml");
            return NULL;
        }
        if (!source)
            continue;
        pool = vkXPathString(ctxt, "string(./source/@pool)");
        if (wanted) {
            for (w = wanted; *w; w++) {
                if (**w && (strcmp(*w, target) == 0 || strcmp(*w, source) == 0)) {
                    **w = '\0';
                    break;
                }
            }
            if (!*w)
                continue;
        }
        if (pool) {
            virStoragePoolPtr p = virStoragePoolLookupByName(vkShellConn(sh), pool);

            if (!p) {
                vkError(sh, "Storage pool '%s' for volume '%s' not found.", pool, target);
                vkResetLibError(sh);
                continue;
            }
            vol = virStorageVolLookupByName(p, source);
            virStoragePoolFree(p);
        } else {
            vol = virStorageVolLookupByPath(vkShellConn(sh), source);
        }
        if (!vol) {
            vkError(sh, "Storage volume '%s'(%s) is not managed by libvirt. Remove it manually.\n",
                    target, source);
            vkResetLibError(sh);
            continue;
        }
        v = g_new0(vkUndefineVol, 1);
        v->vol = vol;
        v->target = g_steal_pointer(&target);
        v->source = g_steal_pointer(&source);
        g_ptr_array_add(vols, v);
    }
    for (i = 0; wanted && wanted[i]; i++) {
        if (*wanted[i]) {
            vkError(sh, "Volume '%s' was not found in domain's definition.\n", wanted[i]);
            missing = true;
        }
    }
    vkResetLibError(sh);
    return missing ? NULL : g_steal_pointer(&vols);
}

/* Wipes (when asked) and deletes the volumes of an undefined domain, as virsh reports them. */
static bool vkUndefineRemoveVols(vkShell *sh, GPtrArray *vols, bool wipe, unsigned int flags)
{
    bool ok = true;

    for (guint i = 0; vols && i < vols->len; i++) {
        vkUndefineVol *v = g_ptr_array_index(vols, i);

        if (wipe) {
            vkPrintExtra(sh, "Wiping volume '%s'(%s) ... ", v->target, v->source);
            if (virStorageVolWipe(v->vol, 0) < 0) {
                vkError(sh, "%s", "Failed! Volume not removed.");
                ok = false;
                continue;
            }
            vkPrintExtra(sh, "Done.\n");
        }
        if (virStorageVolDelete(v->vol, flags) < 0) {
            vkError(sh, "Failed to remove storage volume '%s'(%s)", v->target, v->source);
            ok = false;
        } else {
            vkPrintExtra(sh, "Volume '%s'(%s) removed.\n", v->target, v->source);
        }
    }
    return ok;
}

/* Which undefine flags to send: extra state that does not exist needs no flag, which lets
 * drivers that reject unknown flags still undefine. Snapshots do not exist in virtkit, so
 * --snapshots-metadata never has work to do and adds no flag. */
static int vkUndefineFlags(vkShell *sh, const vkCmd *cmd, virDomainPtr dom, int running,
                           int *managed)
{
    static const vkOptFlag map[] = {
        { "managed-save", VIR_DOMAIN_UNDEFINE_MANAGED_SAVE },
        { "checkpoints-metadata", VIR_DOMAIN_UNDEFINE_CHECKPOINTS_METADATA },
        { "nvram", VIR_DOMAIN_UNDEFINE_NVRAM },
        { "keep-nvram", VIR_DOMAIN_UNDEFINE_KEEP_NVRAM },
        { "tpm", VIR_DOMAIN_UNDEFINE_TPM },
        { "keep-tpm", VIR_DOMAIN_UNDEFINE_KEEP_TPM },
        { NULL },
    };
    unsigned int flags = vkOptFlags(cmd, map);

    *managed = 0;
    if (!running) {
        *managed = vkManagedSaveExists(dom);
        if (*managed < 0) {
            if (vkLastErrorCode(sh) != VIR_ERR_NO_SUPPORT)
                return -1;
            vkResetLibError(sh);
            *managed = 0;
        }
    }
    if (!*managed)
        flags &= ~VIR_DOMAIN_UNDEFINE_MANAGED_SAVE;
    return (int)flags;
}

static bool vkCmdUndefine(vkShell *sh, const vkCmd *cmd)
{
    g_autoptr(vkDomainRef) dom = NULL;
    const char *name = NULL;
    const char *storage = NULL;
    bool all_storage = vkOptBool(cmd, "remove-all-storage");
    bool managed_save = vkOptBool(cmd, "managed-save");
    bool nvram = vkOptBool(cmd, "nvram");
    int managed = 0;
    int running;
    int flags;
    int rc = -1;
    g_autoptr(GPtrArray) vols = NULL;

    if (vkOptBool(cmd, "delete-storage-volume-snapshots") && !all_storage) {
        vkError(sh, "Option --%s is required by option --%s", "remove-all-storage",
                "delete-storage-volume-snapshots");
        return false;
    }
    if (!vkOptExclusive(sh, cmd, "nvram", "keep-nvram") ||
        !vkOptExclusive(sh, cmd, "tpm", "keep-tpm"))
        return false;
    vkOptStringQuiet(cmd, "storage", &storage);
    if (!(storage || all_storage) && vkOptBool(cmd, "wipe-storage")) {
        vkError(sh, "%s",
                "'--wipe-storage' requires '--storage <string>' or '--remove-all-storage'");
        return false;
    }

    if (!(dom = vkLookupDomain(sh, cmd, &name, VK_BYID | VK_BYUUID | VK_BYNAME)))
        return false;
    if ((running = virDomainIsActive(dom)) < 0)
        return false;
    if ((flags = vkUndefineFlags(sh, cmd, dom, running, &managed)) < 0)
        return false;

    if (storage || all_storage) {
        if (running) {
            vkError(sh, "%s", "Storage volume deletion is supported only on stopped domains");
            return false;
        }
        if (storage && all_storage) {
            vkError(sh, "%s", "Specified both --storage and --remove-all-storage");
            return false;
        }
        if (!(vols = vkUndefineStorage(sh, dom, storage)))
            return false;
    }

    /* A managed save image that the user did not ask to remove must survive. */
    if (!managed || managed_save || nvram) {
        rc = virDomainUndefineFlags(dom, flags);
        if (rc < 0 && !nvram &&
            (vkLastErrorCode(sh) == VIR_ERR_NO_SUPPORT ||
             vkLastErrorCode(sh) == VIR_ERR_INVALID_ARG)) {
            vkResetLibError(sh);
            if (managed && vkManagedSaveRemove(sh, dom) < 0)
                return false;
            rc = virDomainUndefine(dom);
        }
    } else {
        vkError(sh, "%s", "Refusing to undefine while domain managed save image exists");
        return false;
    }

    if (rc < 0) {
        vkError(sh, "Failed to undefine domain '%s'", name);
        return false;
    }
    vkPrintExtra(sh, "Domain '%s' has been undefined\n", name);
    return vkUndefineRemoveVols(sh, vols, vkOptBool(cmd, "wipe-storage"),
                                vkOptBool(cmd, "delete-storage-volume-snapshots")
                                    ? VIR_STORAGE_VOL_DELETE_WITH_SNAPSHOTS
                                    : 0);
}

/* ---- life cycle ---- */

static const vkOptDef vkOptsStart[] = {
    VK_OPT_DOMAIN("name of the inactive domain"),
    VK_OPT_CONSOLE,
    VK_OPT_PAUSED,
    VK_OPT_AUTODESTROY,
    { "bypass-cache", VK_OT_BOOL, 0, "avoid file system cache when loading" },
    { "force-boot", VK_OT_BOOL, 0, "force fresh boot by discarding any managed save" },
    VK_OPT_PASS_FDS,
    VK_OPT_RESET_NVRAM,
    { NULL },
};

static int vkStartDomain(vkShell *sh, virDomainPtr dom, int *fds, unsigned int nfds,
                         unsigned int flags)
{
    if (nfds) {
#ifdef VK_HAVE_PASS_FDS
        return virDomainCreateWithFiles(dom, nfds, fds, flags);
#else
        vkPassFdsUnsupported(sh);
        return -1;
#endif
    }
    if (flags)
        return virDomainCreateWithFlags(dom, flags);
    return virDomainCreate(dom);
}

static bool vkCmdStart(vkShell *sh, const vkCmd *cmd)
{
    g_autoptr(vkDomainRef) dom = NULL;
    g_autofree int *fds = NULL;
    unsigned int nfds = 0;
    unsigned int flags = 0;

    if (!(dom = vkLookupDomain(sh, cmd, NULL, VK_BYNAME | VK_BYUUID)))
        return false;
    if (virDomainGetID(dom) != (unsigned int)-1) {
        vkError(sh, "%s", "Domain is already active");
        return false;
    }
    if (!vkPassFds(sh, cmd, &fds, &nfds))
        return false;

    flags = vkOptFlags(cmd, (const vkOptFlag[]){ { "paused", VIR_DOMAIN_START_PAUSED },
                                                 { "autodestroy", VIR_DOMAIN_START_AUTODESTROY },
                                                 { "bypass-cache", VIR_DOMAIN_START_BYPASS_CACHE },
                                                 { "force-boot", VIR_DOMAIN_START_FORCE_BOOT },
                                                 { "reset-nvram", VIR_DOMAIN_START_RESET_NVRAM },
                                                 { NULL } });

    if (flags & VIR_DOMAIN_START_FORCE_BOOT) {
        if (vkStartDomain(sh, dom, fds, nfds, flags) == 0)
            goto started;
        if (vkLastErrorCode(sh) != VIR_ERR_NO_SUPPORT && vkLastErrorCode(sh) != VIR_ERR_INVALID_ARG)
            return false;
        /* Emulate a forced boot for drivers without the flag: drop the saved state. */
        vkResetLibError(sh);
        if (vkManagedSaveExists(dom) > 0 && vkManagedSaveRemove(sh, dom) < 0)
            return false;
        vkResetLibError(sh);
        flags &= ~VIR_DOMAIN_START_FORCE_BOOT;
    }
    if (vkStartDomain(sh, dom, fds, nfds, flags) < 0) {
        vkError(sh, "Failed to start domain '%s'", virDomainGetName(dom));
        return false;
    }

started:
    vkPrintExtra(sh, "Domain '%s' started\n", virDomainGetName(dom));
    if (vkOptBool(cmd, "console"))
        return vkConsoleUnsupported(sh, dom);
    return true;
}

/* Parses --mode acpi,agent,... into shutdown or reboot flags (their values are equal). */
static bool vkShutdownMode(vkShell *sh, const vkCmd *cmd, const char *sep, unsigned int *flags)
{
    static const struct {
        const char *name;
        unsigned int flag;
    } modes[] = {
        { "acpi", VIR_DOMAIN_SHUTDOWN_ACPI_POWER_BTN },
        { "agent", VIR_DOMAIN_SHUTDOWN_GUEST_AGENT },
        { "initctl", VIR_DOMAIN_SHUTDOWN_INITCTL },
        { "signal", VIR_DOMAIN_SHUTDOWN_SIGNAL },
        { "paravirt", VIR_DOMAIN_SHUTDOWN_PARAVIRT },
    };
    const char *arg = NULL;
    g_auto(GStrv) parts = NULL;
    char **p;
    size_t i;

    *flags = 0;
    if (vkOptString(sh, cmd, "mode", &arg) < 0)
        return false;
    if (!arg)
        return true;
    parts = g_strsplit(arg, ",", 0);
    for (p = parts; *p; p++) {
        for (i = 0; i < G_N_ELEMENTS(modes); i++) {
            if (strcmp(*p, modes[i].name) == 0)
                break;
        }
        if (i == G_N_ELEMENTS(modes)) {
            vkError(sh,
                    "Unknown mode %s value, expecting 'acpi', 'agent', 'initctl', 'signal'%s "
                    "or 'paravirt'",
                    *p, sep);
            return false;
        }
        *flags |= modes[i].flag;
    }
    return true;
}

static const vkOptDef vkOptsShutdown[] = {
    VK_OPT_DOMAIN_FULL,
    VK_OPT_MODE,
    { NULL },
};

static bool vkCmdShutdown(vkShell *sh, const vkCmd *cmd)
{
    g_autoptr(vkDomainRef) dom = NULL;
    const char *name = NULL;
    unsigned int flags = 0;
    int rc;

    if (!vkShutdownMode(sh, cmd, ",", &flags))
        return false;
    if (!(dom = vkLookupDomain(sh, cmd, &name, VK_BYID | VK_BYUUID | VK_BYNAME)))
        return false;
    rc = flags ? virDomainShutdownFlags(dom, flags) : virDomainShutdown(dom);
    if (rc != 0) {
        vkError(sh, "Failed to shutdown domain '%s'", name);
        return false;
    }
    vkPrintExtra(sh, "Domain '%s' is being shutdown\n", name);
    return true;
}

static bool vkCmdReboot(vkShell *sh, const vkCmd *cmd)
{
    g_autoptr(vkDomainRef) dom = NULL;
    const char *name = NULL;
    unsigned int flags = 0;

    if (!vkShutdownMode(sh, cmd, "", &flags))
        return false;
    if (!(dom = vkLookupDomain(sh, cmd, &name, VK_BYID | VK_BYUUID | VK_BYNAME)))
        return false;
    if (virDomainReboot(dom, flags) != 0) {
        vkError(sh, "Failed to reboot domain '%s'", name);
        return false;
    }
    vkPrintExtra(sh, "Domain '%s' is being rebooted\n", name);
    return true;
}

static const vkOptDef vkOptsDestroy[] = {
    VK_OPT_DOMAIN_FULL,
    { "graceful", VK_OT_BOOL, 0, "terminate gracefully" },
    { "remove-logs", VK_OT_BOOL, 0, "remove domain logs" },
    { NULL },
};

static bool vkCmdDestroy(vkShell *sh, const vkCmd *cmd)
{
    g_autoptr(vkDomainRef) dom = NULL;
    const char *name = NULL;
    unsigned int flags = 0;
    int rc;

    if (!(dom = vkLookupDomain(sh, cmd, &name, VK_BYID | VK_BYUUID | VK_BYNAME)))
        return false;
    flags = vkOptFlags(cmd, (const vkOptFlag[]){ { "graceful", VIR_DOMAIN_DESTROY_GRACEFUL },
                                                 { "remove-logs", VIR_DOMAIN_DESTROY_REMOVE_LOGS },
                                                 { NULL } });
    rc = flags ? virDomainDestroyFlags(dom, flags) : virDomainDestroy(dom);
    if (rc < 0) {
        vkError(sh, "Failed to destroy domain '%s'", name);
        return false;
    }
    vkPrintExtra(sh, "Domain '%s' destroyed\n", name);
    return true;
}

static const vkOptDef vkOptsDomain[] = {
    VK_OPT_DOMAIN_FULL,
    { NULL },
};

/* A state change on a named domain: "Failed to VERB domain 'N'" or "Domain 'N' DONE". */
static bool vkDomainAction(vkShell *sh, const vkCmd *cmd, int (*action)(virDomainPtr),
                           const char *verb, const char *done)
{
    g_autoptr(vkDomainRef) dom = NULL;
    const char *name = NULL;

    if (!(dom = vkLookupDomain(sh, cmd, &name, VK_BYID | VK_BYUUID | VK_BYNAME)))
        return false;
    if (action(dom) != 0) {
        vkError(sh, "Failed to %s domain '%s'", verb, name);
        return false;
    }
    vkPrintExtra(sh, "Domain '%s' %s\n", name, done);
    return true;
}

static bool vkCmdSuspend(vkShell *sh, const vkCmd *cmd)
{
    return vkDomainAction(sh, cmd, virDomainSuspend, "suspend", "suspended");
}

static bool vkCmdResume(vkShell *sh, const vkCmd *cmd)
{
    return vkDomainAction(sh, cmd, virDomainResume, "resume", "resumed");
}

static const vkOptDef vkOptsAutostart[] = {
    VK_OPT_DOMAIN_FULL,
    { "disable", VK_OT_BOOL, 0, "disable autostarting" },
    { NULL },
};

static bool vkCmdAutostart(vkShell *sh, const vkCmd *cmd)
{
    g_autoptr(vkDomainRef) dom = NULL;
    const char *name = NULL;
    int autostart = !vkOptBool(cmd, "disable");

    if (!(dom = vkLookupDomain(sh, cmd, &name, VK_BYID | VK_BYUUID | VK_BYNAME)))
        return false;
    if (virDomainSetAutostart(dom, autostart) < 0) {
        vkError(sh, "Failed to %s domain '%s' as autostarted", autostart ? "mark" : "unmark", name);
        return false;
    }
    vkPrintExtra(sh, "Domain '%s' %s as autostarted\n", name, autostart ? "marked" : "unmarked");
    return true;
}

/* ---- XML and names ---- */

static const vkOptDef vkOptsDumpXML[] = {
    VK_OPT_DOMAIN_FULL,
    { "inactive", VK_OT_BOOL, 0, "show inactive defined XML" },
    { "security-info", VK_OT_BOOL, 0, "include security sensitive information in XML dump" },
    { "update-cpu", VK_OT_BOOL, 0, "update guest CPU according to host CPU" },
    { "migratable", VK_OT_BOOL, 0, "provide XML suitable for migrations" },
    { "xpath", VK_OT_STRING, VK_OFLAG_REQ_OPT, "xpath expression to filter the XML document" },
    { "wrap", VK_OT_BOOL, 0, "wrap xpath results in an common root element" },
    { NULL },
};

static bool vkCmdDumpXML(vkShell *sh, const vkCmd *cmd)
{
    g_autoptr(vkDomainRef) dom = NULL;
    g_autofree char *xml = NULL;
    const char *xpath = NULL;
    unsigned int flags = 0;

    flags = vkOptFlags(cmd, (const vkOptFlag[]){ { "inactive", VIR_DOMAIN_XML_INACTIVE },
                                                 { "security-info", VIR_DOMAIN_XML_SECURE },
                                                 { "update-cpu", VIR_DOMAIN_XML_UPDATE_CPU },
                                                 { "migratable", VIR_DOMAIN_XML_MIGRATABLE },
                                                 { NULL } });

    if (!(dom = vkLookupDomain(sh, cmd, NULL, VK_BYID | VK_BYUUID | VK_BYNAME)))
        return false;
    if (vkOptStringQuiet(cmd, "xpath", &xpath) < 0)
        return false;
    if (!(xml = virDomainGetXMLDesc(dom, flags)))
        return false;
    return vkDumpXML(sh, xml, "domain", xpath, vkOptBool(cmd, "wrap"));
}

static const vkOptDef vkOptsDomname[] = {
    VK_OPT_DOMAIN("domain id or uuid"),
    { NULL },
};

static bool vkCmdDomname(vkShell *sh, const vkCmd *cmd)
{
    g_autoptr(vkDomainRef) dom = vkLookupDomain(sh, cmd, NULL, VK_BYID | VK_BYUUID);

    if (!dom)
        return false;
    vkPrint(sh, "%s\n", virDomainGetName(dom));
    return true;
}

static const vkOptDef vkOptsDomid[] = {
    VK_OPT_DOMAIN("domain name or uuid"),
    { NULL },
};

static bool vkCmdDomid(vkShell *sh, const vkCmd *cmd)
{
    g_autoptr(vkDomainRef) dom = vkLookupDomain(sh, cmd, NULL, VK_BYNAME | VK_BYUUID);
    unsigned int id;

    if (!dom)
        return false;
    id = virDomainGetID(dom);
    if (id == (unsigned int)-1)
        vkPrint(sh, "%s\n", "-");
    else
        vkPrint(sh, "%d\n", (int)id);
    return true;
}

static const vkOptDef vkOptsDomuuid[] = {
    VK_OPT_DOMAIN("domain id or name"),
    { NULL },
};

static bool vkCmdDomuuid(vkShell *sh, const vkCmd *cmd)
{
    g_autoptr(vkDomainRef) dom = vkLookupDomain(sh, cmd, NULL, VK_BYNAME | VK_BYID);
    char uuid[VIR_UUID_STRING_BUFLEN];

    if (!dom)
        return false;
    if (virDomainGetUUIDString(dom, uuid) != -1)
        vkPrint(sh, "%s\n", uuid);
    else
        vkError(sh, "%s", "failed to get domain UUID");
    return true;
}

/* ---- graphical displays ---- */

static const vkOptDef vkOptsDomdisplay[] = {
    VK_OPT_DOMAIN_FULL,
    { "include-password", VK_OT_BOOL, 0,
      "includes the password into the connection URI if available" },
    { "type", VK_OT_STRING, 0,
      "select particular graphical display (e.g. \"vnc\", \"spice\", \"rdp\", \"dbus\")" },
    { "all", VK_OT_BOOL, 0, "show all possible graphical displays" },
    { NULL },
};

#define VK_GRAPHICS_XPATH "string(/domain/devices/graphics[@type='%s']/%s)"

/* An integer attribute of the first <graphics> of this type: -1 when absent, -2 when it is
 * not a number. */
static int vkGraphicsInt(xmlXPathContextPtr ctxt, const char *type, const char *attr, int *value)
{
    g_autofree char *str = vkXPathString(ctxt, VK_GRAPHICS_XPATH, type, attr);

    if (!str)
        return -1;
    return vkParseInt(str, 10, value) < 0 ? -2 : 0;
}

/* 0.0.0.0 and :: tell the viewer nothing; any other numeric or named host is kept. */
static bool vkAddressIsWildcard(const char *addr)
{
    struct addrinfo hints = { .ai_family = AF_UNSPEC, .ai_flags = AI_NUMERICHOST };
    struct addrinfo *res = NULL;
    bool wildcard = false;

    if (getaddrinfo(addr, NULL, &hints, &res) != 0)
        return false;
    if (res->ai_family == AF_INET) {
        struct sockaddr_in *in = (struct sockaddr_in *)res->ai_addr;

        wildcard = in->sin_addr.s_addr == htonl(INADDR_ANY);
    } else if (res->ai_family == AF_INET6) {
        struct sockaddr_in6 *in6 = (struct sockaddr_in6 *)res->ai_addr;

        wildcard = IN6_IS_ADDR_UNSPECIFIED(&in6->sin6_addr);
    }
    freeaddrinfo(res);
    return wildcard;
}

/* The server part of the connection URI, without IPv6 brackets; NULL for local URIs. */
static char *vkConnServer(vkShell *sh)
{
    g_autofree char *uri = virConnectGetURI(vkShellConn(sh));
    xmlURIPtr parsed;
    char *server = NULL;

    if (!uri || !(parsed = xmlParseURI(uri)))
        return NULL;
    if (parsed->server) {
        size_t len = strlen(parsed->server);

        if (len >= 2 && parsed->server[0] == '[' && parsed->server[len - 1] == ']')
            server = g_strndup(parsed->server + 1, len - 2);
        else
            server = g_strdup(parsed->server);
    }
    xmlFreeURI(parsed);
    return server;
}

static char *vkDbusDisplay(vkShell *sh, xmlXPathContextPtr ctxt)
{
    g_autofree char *addr =
        vkXPathString(ctxt, "string(/domain/devices/graphics[@type='dbus']/@address)");

    if (!addr)
        return NULL;
    if (g_str_has_prefix(addr, "unix:path="))
        return g_strdup_printf("dbus+unix://%s", addr + strlen("unix:path="));
    vkError(sh, "'%s' D-Bus address is not handled", addr);
    return NULL;
}

/* The URI of one graphics type: SCHEME://[:PASSWD@]HOST[:PORT][?tls-port=N&password=P],
 * where VNC counts displays from 5900 and a UNIX socket replaces host and port. */
static char *vkOneDisplay(vkShell *sh, const char *scheme, xmlXPathContextPtr ctxt)
{
    g_autofree char *listen = NULL;
    g_autofree char *type = NULL;
    g_autofree char *sock = NULL;
    g_autofree char *passwd = NULL;
    GString *uri;
    int port = 0;
    int tls_port = 0;

    if (strcmp(scheme, "dbus") == 0)
        return vkDbusDisplay(sh, ctxt);

    if (vkGraphicsInt(ctxt, scheme, "@port", &port) < 0)
        port = 0;
    if (vkGraphicsInt(ctxt, scheme, "@tlsPort", &tls_port) < 0)
        tls_port = 0;
    listen = vkXPathString(ctxt, VK_GRAPHICS_XPATH, scheme, "@listen");
    type = vkXPathString(ctxt, VK_GRAPHICS_XPATH, scheme, "listen/@type");
    if (g_strcmp0(type, "socket") == 0)
        sock = vkXPathString(ctxt, VK_GRAPHICS_XPATH, scheme, "listen/@socket");
    if (!port && !tls_port && !sock)
        return NULL;

    if (!listen) {
        listen = vkXPathString(ctxt, VK_GRAPHICS_XPATH, scheme, "listen/@address");
    } else if (vkAddressIsWildcard(listen)) {
        g_free(listen);
        listen = vkConnServer(sh);
    }
    passwd = vkXPathString(ctxt, VK_GRAPHICS_XPATH, scheme, "@passwd");

    uri = g_string_new(scheme);
    g_string_append(uri, sock ? "+unix://" : "://");
    if (strcmp(scheme, "vnc") == 0 && passwd)
        g_string_append_printf(uri, ":%s@", passwd);
    if (sock)
        g_string_append(uri, sock);
    else if (!listen)
        g_string_append(uri, "localhost");
    else if (strchr(listen, ':'))
        g_string_append_printf(uri, "[%s]", listen);
    else
        g_string_append(uri, listen);
    if (port)
        g_string_append_printf(uri, ":%d", strcmp(scheme, "vnc") == 0 ? port - 5900 : port);

    g_string_append_c(uri, '?');
    if (tls_port)
        g_string_append_printf(uri, "tls-port=%d&", tls_port);
    if (strcmp(scheme, "spice") == 0 && passwd)
        g_string_append_printf(uri, "password=%s&", passwd);
    g_string_truncate(uri, uri->len - 1);
    return g_string_free(uri, FALSE);
}

static bool vkCmdDomdisplay(vkShell *sh, const vkCmd *cmd)
{
    static const char *const schemes[] = { "vnc", "spice", "rdp", "dbus" };
    g_autoptr(vkDomainRef) dom = NULL;
    g_autoptr(xmlDoc) doc = NULL;
    g_autoptr(xmlXPathContext) ctxt = NULL;
    bool all = vkOptBool(cmd, "all");
    const char *type = NULL;
    unsigned int flags = 0;
    bool found = false;
    size_t i;

    if (!vkOptExclusive(sh, cmd, "all", "type"))
        return false;
    if (!(dom = vkLookupDomain(sh, cmd, NULL, VK_BYID | VK_BYUUID | VK_BYNAME)))
        return false;
    if (!virDomainIsActive(dom)) {
        vkError(sh, "%s", "Domain is not running");
        return false;
    }
    if (vkOptBool(cmd, "include-password"))
        flags |= VIR_DOMAIN_XML_SECURE;
    if (vkOptString(sh, cmd, "type", &type) < 0)
        return false;
    if (!(doc = vkDomainGetXML(sh, dom, flags, &ctxt)))
        return false;

    for (i = 0; i < G_N_ELEMENTS(schemes); i++) {
        g_autofree char *display = NULL;

        if (!all && type && strcmp(type, schemes[i]) != 0)
            continue;
        if (!(display = vkOneDisplay(sh, schemes[i], ctxt)))
            continue;
        /* Without --all the URI ends without a newline, as in virsh; the command loop's
         * separator line ends it (and -q leaves it unterminated). */
        vkPrint(sh, "%s", display);
        found = true;
        if (!all)
            break;
        vkPrint(sh, "\n");
    }
    if (!found) {
        if (type)
            vkError(sh, "No graphical display with type '%s' found", type);
        else
            vkError(sh, "%s", "No graphical display found");
    }
    return found;
}

static bool vkCmdVncdisplay(vkShell *sh, const vkCmd *cmd)
{
    g_autoptr(vkDomainRef) dom = NULL;
    g_autoptr(xmlDoc) doc = NULL;
    g_autoptr(xmlXPathContext) ctxt = NULL;
    g_autofree char *listen = NULL;
    int port = 0;

    if (!(dom = vkLookupDomain(sh, cmd, NULL, VK_BYID | VK_BYUUID | VK_BYNAME)))
        return false;
    if (!virDomainIsActive(dom)) {
        vkError(sh, "%s", "Domain is not running");
        return false;
    }
    if (!(doc = vkDomainGetXML(sh, dom, 0, &ctxt)))
        return false;
    if (vkGraphicsInt(ctxt, "vnc", "@port", &port) != 0) {
        vkError(sh, "%s", "Failed to get VNC port. Is this domain using VNC?");
        return false;
    }
    listen = vkXPathString(ctxt, "string(/domain/devices/graphics[@type='vnc']/@listen)");
    if (!listen)
        listen =
            vkXPathString(ctxt, "string(/domain/devices/graphics[@type='vnc']/listen/@address)");
    if (!listen || strcmp(listen, "0.0.0.0") == 0)
        vkPrint(sh, ":%d\n", port - 5900);
    else
        vkPrint(sh, "%s:%d\n", listen, port - 5900);
    return true;
}

const vkCmdDef vkDomainCmds[] = {
    { "autostart", vkCmdAutostart, vkOptsAutostart, "autostart a domain",
      "Configure a domain to be automatically started at boot.", 0 },
    { "create", vkCmdCreate, vkOptsCreate, "create a domain from an XML file", "Create a domain.",
      0 },
    { "define", vkCmdDefine, vkOptsDefine, "define (but don't start) a domain from an XML file",
      "Define a domain.", 0 },
    { "destroy", vkCmdDestroy, vkOptsDestroy, "destroy (stop) a domain",
      "Forcefully stop a given domain, but leave its resources intact.", 0 },
    { "domdisplay", vkCmdDomdisplay, vkOptsDomdisplay, "domain display connection URI",
      "Output the IP address and port number for the graphical display.", 0 },
    { "domid", vkCmdDomid, vkOptsDomid, "convert a domain name or UUID to domain id", "", 0 },
    { "domname", vkCmdDomname, vkOptsDomname, "convert a domain id or UUID to domain name", "", 0 },
    { "domuuid", vkCmdDomuuid, vkOptsDomuuid, "convert a domain name or id to domain UUID", "", 0 },
    { "dumpxml", vkCmdDumpXML, vkOptsDumpXML, "domain information in XML",
      "Output the domain information as an XML dump to stdout.", 0 },
    { "reboot", vkCmdReboot, vkOptsShutdown, "reboot a domain",
      "Run a reboot command in the target domain.", 0 },
    { "resume", vkCmdResume, vkOptsDomain, "resume a domain",
      "Resume a previously suspended domain.", 0 },
    { "shutdown", vkCmdShutdown, vkOptsShutdown, "gracefully shutdown a domain",
      "Run shutdown in the target domain.", 0 },
    { "start", vkCmdStart, vkOptsStart, "start a (previously defined) inactive domain",
      "Start a domain, either from the last managedsave\n"
      "    state, or via a fresh boot if no managedsave state\n"
      "    is present.",
      0 },
    { "suspend", vkCmdSuspend, vkOptsDomain, "suspend a domain", "Suspend a running domain.", 0 },
    { "undefine", vkCmdUndefine, vkOptsUndefine, "undefine a domain",
      "Undefine an inactive domain, or convert persistent to transient.", 0 },
    { "vncdisplay", vkCmdVncdisplay, vkOptsDomain, "vnc display",
      "Output the IP address and port number for the VNC display.", 0 },
    { NULL },
};

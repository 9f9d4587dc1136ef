/* virtkit shell: domain commands (definition, life cycle, XML, names, graphical displays),
 * with virsh's options, messages and output layout. */
#include <netdb.h>
#include <netinet/in.h>
#include <string.h>
#include <sys/socket.h>

#include <libxml/uri.h>

#include "virtkit.h"

#define VSH_OPT_DOMAIN(help) VSH_OPT("domain", VSH_OT_DATA, VSH_OFLAG_REQ, help)
#define VSH_OPT_DOMAIN_FULL  VSH_OPT_DOMAIN("domain name, id or uuid")
#define VSH_OPT_CONSOLE      VSH_OPT("console", VSH_OT_BOOL, 0, "attach to console after creation")
#define VSH_OPT_PAUSED       VSH_OPT("paused", VSH_OT_BOOL, 0, "leave the guest paused after creation")
#define VSH_OPT_AUTODESTROY \
    VSH_OPT("autodestroy", VSH_OT_BOOL, 0, "automatically destroy the guest when virsh disconnects")
#define VSH_OPT_PASS_FDS \
    VSH_OPT("pass-fds", VSH_OT_STRING, 0, "pass file descriptors N,M,... to the guest")
#define VSH_OPT_RESET_NVRAM \
    VSH_OPT("reset-nvram", VSH_OT_BOOL, 0, "re-initialize NVRAM from its pristine template")
#define VSH_OPT_VALIDATE VSH_OPT("validate", VSH_OT_BOOL, 0, "validate the XML against the schema")
#define VSH_OPT_MODE \
    VSH_OPT("mode", VSH_OT_STRING, 0, "shutdown mode: acpi|agent|initctl|signal|paravirt")

/* A console needs a stream to the guest's serial port, which the API does not offer yet. */
static bool vshConsoleUnsupported(vshShell *sh, virDomainPtr dom)
{
    vshError(sh, "cannot attach to the console of domain '%s': not supported by virtkit",
             virDomainGetName(dom));
    return false;
}

/* Reported like a driver without the feature; the library has no calls that take files yet. */
static void vshPassFdsUnsupported(vshShell *sh)
{
    vshError(sh, "%s",
             "this function is not supported by the connection driver: "
             "passing file descriptors to a new guest");
}

/* --pass-fds N,M: descriptors this process holds, handed to the new guest. */
static bool vshPassFds(vshShell *sh, const vshCmd *cmd, int **fds, unsigned int *nfds)
{
    const char *arg = NULL;
    g_auto(GStrv) parts = NULL;
    size_t i;

    *fds = NULL;
    *nfds = 0;
    if (vshOptStringQuiet(cmd, "pass-fds", &arg) <= 0)
        return true;
    parts = g_strsplit(arg, ",", -1);
    *nfds = g_strv_length(parts);
    *fds = g_new0(int, *nfds);
    for (i = 0; parts[i]; i++) {
        if (vshParseInt(parts[i], 10, &(*fds)[i]) < 0) {
            vshError(sh, "Unable to parse FD number '%s'", parts[i]);
            g_clear_pointer(fds, g_free);
            return false;
        }
    }
    return true;
}

/* ---- define, create, undefine ---- */

static const vshOptDef vshOptsDefine[] = {
    { "file", VSH_OT_DATA, VSH_OFLAG_REQ, "file containing an XML domain description" },
    VSH_OPT_VALIDATE,
    { NULL },
};

static bool vshCmdDefine(vshShell *sh, const vshCmd *cmd)
{
    g_autoptr(vshDomainRef) dom = NULL;
    g_autofree char *xml = NULL;
    const char *file = NULL;
    unsigned int flags = 0;

    if (vshOptString(sh, cmd, "file", &file) < 0)
        return false;
    if (vshOptBool(cmd, "validate"))
        flags |= VIR_DOMAIN_DEFINE_VALIDATE;
    if (!(xml = vshReadFile(sh, file)))
        return false;

    if (flags)
        dom = virDomainDefineXMLFlags(vshShellConn(sh), xml, flags);
    else
        dom = virDomainDefineXML(vshShellConn(sh), xml);
    if (!dom) {
        vshError(sh, "Failed to define domain from %s", file);
        return false;
    }
    vshPrintExtra(sh, "Domain '%s' defined from %s\n", virDomainGetName(dom), file);
    return true;
}

static const vshOptDef vshOptsCreate[] = {
    { "file", VSH_OT_DATA, VSH_OFLAG_REQ, "file containing an XML domain description" },
    VSH_OPT_CONSOLE,
    VSH_OPT_PAUSED,
    VSH_OPT_AUTODESTROY,
    VSH_OPT_PASS_FDS,
    VSH_OPT_VALIDATE,
    VSH_OPT_RESET_NVRAM,
    { NULL },
};

static bool vshCmdCreate(vshShell *sh, const vshCmd *cmd)
{
    g_autoptr(vshDomainRef) dom = NULL;
    g_autofree char *xml = NULL;
    g_autofree int *fds = NULL;
    unsigned int nfds = 0;
    const char *file = NULL;
    unsigned int flags = 0;

    if (vshOptString(sh, cmd, "file", &file) < 0)
        return false;
    if (!(xml = vshReadFile(sh, file)))
        return false;
    if (!vshPassFds(sh, cmd, &fds, &nfds))
        return false;

    flags = vshOptFlags(cmd, (const vshOptFlag[]){ { "paused", VIR_DOMAIN_START_PAUSED },
                                                   { "autodestroy", VIR_DOMAIN_START_AUTODESTROY },
                                                   { "validate", VIR_DOMAIN_START_VALIDATE },
                                                   { "reset-nvram", VIR_DOMAIN_START_RESET_NVRAM },
                                                   { NULL } });

    if (nfds) {
        vshPassFdsUnsupported(sh);
    } else {
        dom = virDomainCreateXML(vshShellConn(sh), xml, flags);
    }
    if (!dom) {
        vshError(sh, "Failed to create domain from %s", file);
        return false;
    }
    vshPrintExtra(sh, "Domain '%s' created from %s\n", virDomainGetName(dom), file);
    /* virsh reports the domain as created even when the console fails. */
    if (vshOptBool(cmd, "console"))
        vshConsoleUnsupported(sh, dom);
    return true;
}

static const vshOptDef vshOptsUndefine[] = {
    VSH_OPT_DOMAIN_FULL,
    { "managed-save", VSH_OT_BOOL, 0, "remove domain managed state file" },
    { "storage", VSH_OT_STRING, 0,
      "remove associated storage volumes (comma separated list of targets or source paths) "
      "(see domblklist)" },
    { "remove-all-storage", VSH_OT_BOOL, 0,
      "remove all associated storage volumes (use with caution)" },
    { "delete-snapshots", VSH_OT_ALIAS, 0, "delete-storage-volume-snapshots" },
    { "delete-storage-volume-snapshots", VSH_OT_BOOL, 0,
      "delete snapshots associated with volume(s), requires --remove-all-storage (must be "
      "supported by storage driver)" },
    { "wipe-storage", VSH_OT_BOOL, 0, "wipe data on the removed volumes" },
    { "snapshots-metadata", VSH_OT_BOOL, 0,
      "remove all domain snapshot metadata (vm must be inactive)" },
    { "checkpoints-metadata", VSH_OT_BOOL, 0,
      "remove all domain checkpoint metadata (vm must be inactive)" },
    { "nvram", VSH_OT_BOOL, 0, "remove nvram file" },
    { "keep-nvram", VSH_OT_BOOL, 0, "keep nvram file" },
    { "tpm", VSH_OT_BOOL, 0, "remove TPM state" },
    { "keep-tpm", VSH_OT_BOOL, 0, "keep TPM state" },
    { NULL },
};

/* A disk's volume that undefine --storage/--remove-all-storage removes. */
typedef struct {
    virStorageVolPtr vol;
    char *target;
    char *source;
} vshUndefineVol;

static void vshUndefineVolFree(gpointer data)
{
    vshUndefineVol *v = data;

    virStorageVolFree(v->vol);
    g_free(v->target);
    g_free(v->source);
    g_free(v);
}

/* The volumes behind the domain's disks (all, or those LIST names by target or source), found
 * as virsh finds them: by pool and name, or by path. Disks that are no volume are reported and
 * skipped; NULL when LIST names something no disk has. */
static GPtrArray *vshUndefineStorage(vshShell *sh, virDomainPtr dom, const char *list)
{
    g_autoptr(xmlDoc) doc = NULL;
    g_autoptr(xmlXPathContext) ctxt = NULL;
    g_autoptr(xmlXPathObject) disks = NULL;
    g_auto(GStrv) wanted = list ? vshSplitList(list) : NULL;
    g_autofree char *xml = virDomainGetXMLDesc(dom, 0);
    g_autoptr(GPtrArray) vols = g_ptr_array_new_with_free_func(vshUndefineVolFree);
    bool missing = false;
    int i;

    if (!xml) {
        vshError(sh, "%s", "Failed to get domain description xml");
        return NULL;
    }
    if (!(doc = vshParseXML(xml, &ctxt))) {
        vshError(sh, "%s", "Failed to parse domain description xml");
        return NULL;
    }
    disks = xmlXPathEval(BAD_CAST "./devices/disk", ctxt);
    for (i = 0; disks && disks->nodesetval && i < disks->nodesetval->nodeNr; i++) {
        g_autofree char *target = NULL;
        g_autofree char *source = NULL;
        g_autofree char *pool = NULL;
        virStorageVolPtr vol = NULL;
        vshUndefineVol *v;
        char **w;

        ctxt->node = disks->nodesetval->nodeTab[i];
        target = vshXPathString(ctxt, "string(./target/@dev)");
        source = vshXPathString(ctxt, "string(./source/@file|./source/@dir|./source/@name|"
                                      "./source/@dev|./source/@volume)");
        if (!target) {
            vshError(sh, "%s", "Failed to get domain description xml");
            return NULL;
        }
        if (!source)
            continue;
        pool = vshXPathString(ctxt, "string(./source/@pool)");
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
            virStoragePoolPtr p = virStoragePoolLookupByName(vshShellConn(sh), pool);

            if (!p) {
                vshError(sh, "Storage pool '%s' for volume '%s' not found.", pool, target);
                vshResetLibError(sh);
                continue;
            }
            vol = virStorageVolLookupByName(p, source);
            virStoragePoolFree(p);
        } else {
            vol = virStorageVolLookupByPath(vshShellConn(sh), source);
        }
        if (!vol) {
            vshError(sh, "Storage volume '%s'(%s) is not managed by libvirt. Remove it manually.\n",
                     target, source);
            vshResetLibError(sh);
            continue;
        }
        v = g_new0(vshUndefineVol, 1);
        v->vol = vol;
        v->target = g_steal_pointer(&target);
        v->source = g_steal_pointer(&source);
        g_ptr_array_add(vols, v);
    }
    for (i = 0; wanted && wanted[i]; i++) {
        if (*wanted[i]) {
            vshError(sh, "Volume '%s' was not found in domain's definition.\n", wanted[i]);
            missing = true;
        }
    }
    vshResetLibError(sh);
    return missing ? NULL : g_steal_pointer(&vols);
}

/* Wipes (when asked) and deletes the volumes of an undefined domain, as virsh reports them. */
static bool vshUndefineRemoveVols(vshShell *sh, GPtrArray *vols, bool wipe, unsigned int flags)
{
    bool ok = true;

    for (guint i = 0; vols && i < vols->len; i++) {
        vshUndefineVol *v = g_ptr_array_index(vols, i);

        if (wipe) {
            vshPrintExtra(sh, "Wiping volume '%s'(%s) ... ", v->target, v->source);
            if (virStorageVolWipe(v->vol, 0) < 0) {
                vshError(sh, "%s", "Failed! Volume not removed.");
                ok = false;
                continue;
            }
            vshPrintExtra(sh, "Done.\n");
        }
        if (virStorageVolDelete(v->vol, flags) < 0) {
            vshError(sh, "Failed to remove storage volume '%s'(%s)", v->target, v->source);
            ok = false;
        } else {
            vshPrintExtra(sh, "Volume '%s'(%s) removed.\n", v->target, v->source);
        }
    }
    return ok;
}

/* Which undefine flags to send: extra state that does not exist needs no flag, which lets
 * drivers that reject unknown flags still undefine. Snapshots do not exist in virtkit, so
 * --snapshots-metadata never has work to do and adds no flag. */
static int vshUndefineFlags(vshShell *sh, const vshCmd *cmd, virDomainPtr dom, int running,
                            int *managed)
{
    static const vshOptFlag map[] = {
        { "managed-save", VIR_DOMAIN_UNDEFINE_MANAGED_SAVE },
        { "checkpoints-metadata", VIR_DOMAIN_UNDEFINE_CHECKPOINTS_METADATA },
        { "nvram", VIR_DOMAIN_UNDEFINE_NVRAM },
        { "keep-nvram", VIR_DOMAIN_UNDEFINE_KEEP_NVRAM },
        { "tpm", VIR_DOMAIN_UNDEFINE_TPM },
        { "keep-tpm", VIR_DOMAIN_UNDEFINE_KEEP_TPM },
        { NULL },
    };
    unsigned int flags = vshOptFlags(cmd, map);

    *managed = 0;
    if (!running) {
        *managed = vshManagedSaveExists(dom);
        if (*managed < 0) {
            if (vshLastErrorCode(sh) != VIR_ERR_NO_SUPPORT)
                return -1;
            vshResetLibError(sh);
            *managed = 0;
        }
    }
    if (!*managed)
        flags &= ~VIR_DOMAIN_UNDEFINE_MANAGED_SAVE;
    return (int)flags;
}

static bool vshCmdUndefine(vshShell *sh, const vshCmd *cmd)
{
    g_autoptr(vshDomainRef) dom = NULL;
    const char *name = NULL;
    const char *storage = NULL;
    bool all_storage = vshOptBool(cmd, "remove-all-storage");
    bool managed_save = vshOptBool(cmd, "managed-save");
    bool nvram = vshOptBool(cmd, "nvram");
    int managed = 0;
    int running;
    int flags;
    int rc = -1;
    g_autoptr(GPtrArray) vols = NULL;

    if (vshOptBool(cmd, "delete-storage-volume-snapshots") && !all_storage) {
        vshError(sh, "Option --%s is required by option --%s", "remove-all-storage",
                 "delete-storage-volume-snapshots");
        return false;
    }
    if (!vshOptExclusive(sh, cmd, "nvram", "keep-nvram") ||
        !vshOptExclusive(sh, cmd, "tpm", "keep-tpm"))
        return false;
    vshOptStringQuiet(cmd, "storage", &storage);
    if (!(storage || all_storage) && vshOptBool(cmd, "wipe-storage")) {
        vshError(sh, "%s",
                 "'--wipe-storage' requires '--storage <string>' or '--remove-all-storage'");
        return false;
    }

    if (!(dom = vshLookupDomain(sh, cmd, &name, VSH_BYID | VSH_BYUUID | VSH_BYNAME)))
        return false;
    if ((running = virDomainIsActive(dom)) < 0)
        return false;
    if ((flags = vshUndefineFlags(sh, cmd, dom, running, &managed)) < 0)
        return false;

    if (storage || all_storage) {
        if (running) {
            vshError(sh, "%s", "Storage volume deletion is supported only on stopped domains");
            return false;
        }
        if (storage && all_storage) {
            vshError(sh, "%s", "Specified both --storage and --remove-all-storage");
            return false;
        }
        if (!(vols = vshUndefineStorage(sh, dom, storage)))
            return false;
    }

    /* A managed save image that the user did not ask to remove must survive. */
    if (!managed || managed_save || nvram) {
        rc = virDomainUndefineFlags(dom, flags);
        if (rc < 0 && !nvram &&
            (vshLastErrorCode(sh) == VIR_ERR_NO_SUPPORT ||
             vshLastErrorCode(sh) == VIR_ERR_INVALID_ARG)) {
            vshResetLibError(sh);
            if (managed && vshManagedSaveRemove(sh, dom) < 0)
                return false;
            rc = virDomainUndefine(dom);
        }
    } else {
        vshError(sh, "%s", "Refusing to undefine while domain managed save image exists");
        return false;
    }

    if (rc < 0) {
        vshError(sh, "Failed to undefine domain '%s'", name);
        return false;
    }
    vshPrintExtra(sh, "Domain '%s' has been undefined\n", name);
    return vshUndefineRemoveVols(sh, vols, vshOptBool(cmd, "wipe-storage"),
                                 vshOptBool(cmd, "delete-storage-volume-snapshots")
                                     ? VIR_STORAGE_VOL_DELETE_WITH_SNAPSHOTS
                                     : 0);
}

/* ---- life cycle ---- */

static const vshOptDef vshOptsStart[] = {
    VSH_OPT_DOMAIN("name of the inactive domain"),
    VSH_OPT_CONSOLE,
    VSH_OPT_PAUSED,
    VSH_OPT_AUTODESTROY,
    { "bypass-cache", VSH_OT_BOOL, 0, "avoid file system cache when loading" },
    { "force-boot", VSH_OT_BOOL, 0, "force fresh boot by discarding any managed save" },
    VSH_OPT_PASS_FDS,
    VSH_OPT_RESET_NVRAM,
    { NULL },
};

static int vshStartDomain(vshShell *sh, virDomainPtr dom, int *fds, unsigned int nfds,
                          unsigned int flags)
{
    if (nfds) {
        vshPassFdsUnsupported(sh);
        return -1;
    }
    if (flags)
        return virDomainCreateWithFlags(dom, flags);
    return virDomainCreate(dom);
}

static bool vshCmdStart(vshShell *sh, const vshCmd *cmd)
{
    g_autoptr(vshDomainRef) dom = NULL;
    g_autofree int *fds = NULL;
    unsigned int nfds = 0;
    unsigned int flags = 0;

    if (!(dom = vshLookupDomain(sh, cmd, NULL, VSH_BYNAME | VSH_BYUUID)))
        return false;
    if (virDomainGetID(dom) != (unsigned int)-1) {
        vshError(sh, "%s", "Domain is already active");
        return false;
    }
    if (!vshPassFds(sh, cmd, &fds, &nfds))
        return false;

    flags =
        vshOptFlags(cmd, (const vshOptFlag[]){ { "paused", VIR_DOMAIN_START_PAUSED },
                                               { "autodestroy", VIR_DOMAIN_START_AUTODESTROY },
                                               { "bypass-cache", VIR_DOMAIN_START_BYPASS_CACHE },
                                               { "force-boot", VIR_DOMAIN_START_FORCE_BOOT },
                                               { "reset-nvram", VIR_DOMAIN_START_RESET_NVRAM },
                                               { NULL } });

    if (flags & VIR_DOMAIN_START_FORCE_BOOT) {
        if (vshStartDomain(sh, dom, fds, nfds, flags) == 0)
            goto started;
        if (vshLastErrorCode(sh) != VIR_ERR_NO_SUPPORT &&
            vshLastErrorCode(sh) != VIR_ERR_INVALID_ARG)
            return false;
        /* Emulate a forced boot for drivers without the flag: drop the saved state. */
        vshResetLibError(sh);
        if (vshManagedSaveExists(dom) > 0 && vshManagedSaveRemove(sh, dom) < 0)
            return false;
        vshResetLibError(sh);
        flags &= ~VIR_DOMAIN_START_FORCE_BOOT;
    }
    if (vshStartDomain(sh, dom, fds, nfds, flags) < 0) {
        vshError(sh, "Failed to start domain '%s'", virDomainGetName(dom));
        return false;
    }

started:
    vshPrintExtra(sh, "Domain '%s' started\n", virDomainGetName(dom));
    if (vshOptBool(cmd, "console"))
        return vshConsoleUnsupported(sh, dom);
    return true;
}

/* Parses --mode acpi,agent,... into shutdown or reboot flags (their values are equal). */
static bool vshShutdownMode(vshShell *sh, const vshCmd *cmd, const char *sep, unsigned int *flags)
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
    if (vshOptString(sh, cmd, "mode", &arg) < 0)
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
            vshError(sh,
                     "Unknown mode %s value, expecting 'acpi', 'agent', 'initctl', 'signal'%s "
                     "or 'paravirt'",
                     *p, sep);
            return false;
        }
        *flags |= modes[i].flag;
    }
    return true;
}

static const vshOptDef vshOptsShutdown[] = {
    VSH_OPT_DOMAIN_FULL,
    VSH_OPT_MODE,
    { NULL },
};

static bool vshCmdShutdown(vshShell *sh, const vshCmd *cmd)
{
    g_autoptr(vshDomainRef) dom = NULL;
    const char *name = NULL;
    unsigned int flags = 0;
    int rc;

    if (!vshShutdownMode(sh, cmd, ",", &flags))
        return false;
    if (!(dom = vshLookupDomain(sh, cmd, &name, VSH_BYID | VSH_BYUUID | VSH_BYNAME)))
        return false;
    rc = flags ? virDomainShutdownFlags(dom, flags) : virDomainShutdown(dom);
    if (rc != 0) {
        vshError(sh, "Failed to shutdown domain '%s'", name);
        return false;
    }
    vshPrintExtra(sh, "Domain '%s' is being shutdown\n", name);
    return true;
}

static bool vshCmdReboot(vshShell *sh, const vshCmd *cmd)
{
    g_autoptr(vshDomainRef) dom = NULL;
    const char *name = NULL;
    unsigned int flags = 0;

    if (!vshShutdownMode(sh, cmd, "", &flags))
        return false;
    if (!(dom = vshLookupDomain(sh, cmd, &name, VSH_BYID | VSH_BYUUID | VSH_BYNAME)))
        return false;
    if (virDomainReboot(dom, flags) != 0) {
        vshError(sh, "Failed to reboot domain '%s'", name);
        return false;
    }
    vshPrintExtra(sh, "Domain '%s' is being rebooted\n", name);
    return true;
}

static const vshOptDef vshOptsDestroy[] = {
    VSH_OPT_DOMAIN_FULL,
    { "graceful", VSH_OT_BOOL, 0, "terminate gracefully" },
    { "remove-logs", VSH_OT_BOOL, 0, "remove domain logs" },
    { NULL },
};

static bool vshCmdDestroy(vshShell *sh, const vshCmd *cmd)
{
    g_autoptr(vshDomainRef) dom = NULL;
    const char *name = NULL;
    unsigned int flags = 0;
    int rc;

    if (!(dom = vshLookupDomain(sh, cmd, &name, VSH_BYID | VSH_BYUUID | VSH_BYNAME)))
        return false;
    flags =
        vshOptFlags(cmd, (const vshOptFlag[]){ { "graceful", VIR_DOMAIN_DESTROY_GRACEFUL },
                                               { "remove-logs", VIR_DOMAIN_DESTROY_REMOVE_LOGS },
                                               { NULL } });
    rc = flags ? virDomainDestroyFlags(dom, flags) : virDomainDestroy(dom);
    if (rc < 0) {
        vshError(sh, "Failed to destroy domain '%s'", name);
        return false;
    }
    vshPrintExtra(sh, "Domain '%s' destroyed\n", name);
    return true;
}

static const vshOptDef vshOptsDomain[] = {
    VSH_OPT_DOMAIN_FULL,
    { NULL },
};

/* A state change on a named domain: "Failed to VERB domain 'N'" or "Domain 'N' DONE". */
static bool vshDomainAction(vshShell *sh, const vshCmd *cmd, int (*action)(virDomainPtr),
                            const char *verb, const char *done)
{
    g_autoptr(vshDomainRef) dom = NULL;
    const char *name = NULL;

    if (!(dom = vshLookupDomain(sh, cmd, &name, VSH_BYID | VSH_BYUUID | VSH_BYNAME)))
        return false;
    if (action(dom) != 0) {
        vshError(sh, "Failed to %s domain '%s'", verb, name);
        return false;
    }
    vshPrintExtra(sh, "Domain '%s' %s\n", name, done);
    return true;
}

static bool vshCmdSuspend(vshShell *sh, const vshCmd *cmd)
{
    return vshDomainAction(sh, cmd, virDomainSuspend, "suspend", "suspended");
}

static bool vshCmdResume(vshShell *sh, const vshCmd *cmd)
{
    return vshDomainAction(sh, cmd, virDomainResume, "resume", "resumed");
}

static const vshOptDef vshOptsAutostart[] = {
    VSH_OPT_DOMAIN_FULL,
    { "disable", VSH_OT_BOOL, 0, "disable autostarting" },
    { NULL },
};

static bool vshCmdAutostart(vshShell *sh, const vshCmd *cmd)
{
    g_autoptr(vshDomainRef) dom = NULL;
    const char *name = NULL;
    int autostart = !vshOptBool(cmd, "disable");

    if (!(dom = vshLookupDomain(sh, cmd, &name, VSH_BYID | VSH_BYUUID | VSH_BYNAME)))
        return false;
    if (virDomainSetAutostart(dom, autostart) < 0) {
        vshError(sh, "Failed to %s domain '%s' as autostarted", autostart ? "mark" : "unmark",
                 name);
        return false;
    }
    vshPrintExtra(sh, "Domain '%s' %s as autostarted\n", name, autostart ? "marked" : "unmarked");
    return true;
}

/* ---- XML and names ---- */

static const vshOptDef vshOptsDumpXML[] = {
    VSH_OPT_DOMAIN_FULL,
    { "inactive", VSH_OT_BOOL, 0, "show inactive defined XML" },
    { "security-info", VSH_OT_BOOL, 0, "include security sensitive information in XML dump" },
    { "update-cpu", VSH_OT_BOOL, 0, "update guest CPU according to host CPU" },
    { "migratable", VSH_OT_BOOL, 0, "provide XML suitable for migrations" },
    { "xpath", VSH_OT_STRING, VSH_OFLAG_REQ_OPT, "xpath expression to filter the XML document" },
    { "wrap", VSH_OT_BOOL, 0, "wrap xpath results in an common root element" },
    { NULL },
};

static bool vshCmdDumpXML(vshShell *sh, const vshCmd *cmd)
{
    g_autoptr(vshDomainRef) dom = NULL;
    g_autofree char *xml = NULL;
    const char *xpath = NULL;
    unsigned int flags = 0;

    flags = vshOptFlags(cmd, (const vshOptFlag[]){ { "inactive", VIR_DOMAIN_XML_INACTIVE },
                                                   { "security-info", VIR_DOMAIN_XML_SECURE },
                                                   { "update-cpu", VIR_DOMAIN_XML_UPDATE_CPU },
                                                   { "migratable", VIR_DOMAIN_XML_MIGRATABLE },
                                                   { NULL } });

    if (!(dom = vshLookupDomain(sh, cmd, NULL, VSH_BYID | VSH_BYUUID | VSH_BYNAME)))
        return false;
    if (vshOptStringQuiet(cmd, "xpath", &xpath) < 0)
        return false;
    if (!(xml = virDomainGetXMLDesc(dom, flags)))
        return false;
    return vshDumpXML(sh, xml, "domain", xpath, vshOptBool(cmd, "wrap"));
}

static const vshOptDef vshOptsDomname[] = {
    VSH_OPT_DOMAIN("domain id or uuid"),
    { NULL },
};

static bool vshCmdDomname(vshShell *sh, const vshCmd *cmd)
{
    g_autoptr(vshDomainRef) dom = vshLookupDomain(sh, cmd, NULL, VSH_BYID | VSH_BYUUID);

    if (!dom)
        return false;
    vshPrint(sh, "%s\n", virDomainGetName(dom));
    return true;
}

static const vshOptDef vshOptsDomid[] = {
    VSH_OPT_DOMAIN("domain name or uuid"),
    { NULL },
};

static bool vshCmdDomid(vshShell *sh, const vshCmd *cmd)
{
    g_autoptr(vshDomainRef) dom = vshLookupDomain(sh, cmd, NULL, VSH_BYNAME | VSH_BYUUID);
    unsigned int id;

    if (!dom)
        return false;
    id = virDomainGetID(dom);
    if (id == (unsigned int)-1)
        vshPrint(sh, "%s\n", "-");
    else
        vshPrint(sh, "%d\n", (int)id);
    return true;
}

static const vshOptDef vshOptsDomuuid[] = {
    VSH_OPT_DOMAIN("domain id or name"),
    { NULL },
};

static bool vshCmdDomuuid(vshShell *sh, const vshCmd *cmd)
{
    g_autoptr(vshDomainRef) dom = vshLookupDomain(sh, cmd, NULL, VSH_BYNAME | VSH_BYID);
    char uuid[VIR_UUID_STRING_BUFLEN];

    if (!dom)
        return false;
    if (virDomainGetUUIDString(dom, uuid) != -1)
        vshPrint(sh, "%s\n", uuid);
    else
        vshError(sh, "%s", "failed to get domain UUID");
    return true;
}

/* ---- graphical displays ---- */

static const vshOptDef vshOptsDomdisplay[] = {
    VSH_OPT_DOMAIN_FULL,
    { "include-password", VSH_OT_BOOL, 0,
      "includes the password into the connection URI if available" },
    { "type", VSH_OT_STRING, 0,
      "select particular graphical display (e.g. \"vnc\", \"spice\", \"rdp\", \"dbus\")" },
    { "all", VSH_OT_BOOL, 0, "show all possible graphical displays" },
    { NULL },
};

#define VSH_GRAPHICS_XPATH "string(/domain/devices/graphics[@type='%s']/%s)"

/* An integer attribute of the first <graphics> of this type: -1 when absent, -2 when it is
 * not a number. */
static int vshGraphicsInt(xmlXPathContextPtr ctxt, const char *type, const char *attr, int *value)
{
    g_autofree char *str = vshXPathString(ctxt, VSH_GRAPHICS_XPATH, type, attr);

    if (!str)
        return -1;
    return vshParseInt(str, 10, value) < 0 ? -2 : 0;
}

/* 0.0.0.0 and :: tell the viewer nothing; any other numeric or named host is kept. */
static bool vshAddressIsWildcard(const char *addr)
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
static char *vshConnServer(vshShell *sh)
{
    g_autofree char *uri = virConnectGetURI(vshShellConn(sh));
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

static char *vshDbusDisplay(vshShell *sh, xmlXPathContextPtr ctxt)
{
    g_autofree char *addr =
        vshXPathString(ctxt, "string(/domain/devices/graphics[@type='dbus']/@address)");

    if (!addr)
        return NULL;
    if (g_str_has_prefix(addr, "unix:path="))
        return g_strdup_printf("dbus+unix://%s", addr + strlen("unix:path="));
    vshError(sh, "'%s' D-Bus address is not handled", addr);
    return NULL;
}

/* The URI of one graphics type: SCHEME://[:PASSWD@]HOST[:PORT][?tls-port=N&password=P],
 * where VNC counts displays from 5900 and a UNIX socket replaces host and port. */
static char *vshOneDisplay(vshShell *sh, const char *scheme, xmlXPathContextPtr ctxt)
{
    g_autofree char *listen = NULL;
    g_autofree char *type = NULL;
    g_autofree char *sock = NULL;
    g_autofree char *passwd = NULL;
    GString *uri;
    int port = 0;
    int tls_port = 0;

    if (strcmp(scheme, "dbus") == 0)
        return vshDbusDisplay(sh, ctxt);

    if (vshGraphicsInt(ctxt, scheme, "@port", &port) < 0)
        port = 0;
    if (vshGraphicsInt(ctxt, scheme, "@tlsPort", &tls_port) < 0)
        tls_port = 0;
    listen = vshXPathString(ctxt, VSH_GRAPHICS_XPATH, scheme, "@listen");
    type = vshXPathString(ctxt, VSH_GRAPHICS_XPATH, scheme, "listen/@type");
    if (g_strcmp0(type, "socket") == 0)
        sock = vshXPathString(ctxt, VSH_GRAPHICS_XPATH, scheme, "listen/@socket");
    if (!port && !tls_port && !sock)
        return NULL;

    if (!listen) {
        listen = vshXPathString(ctxt, VSH_GRAPHICS_XPATH, scheme, "listen/@address");
    } else if (vshAddressIsWildcard(listen)) {
        g_free(listen);
        listen = vshConnServer(sh);
    }
    passwd = vshXPathString(ctxt, VSH_GRAPHICS_XPATH, scheme, "@passwd");

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

static bool vshCmdDomdisplay(vshShell *sh, const vshCmd *cmd)
{
    static const char *const schemes[] = { "vnc", "spice", "rdp", "dbus" };
    g_autoptr(vshDomainRef) dom = NULL;
    g_autoptr(xmlDoc) doc = NULL;
    g_autoptr(xmlXPathContext) ctxt = NULL;
    bool all = vshOptBool(cmd, "all");
    const char *type = NULL;
    unsigned int flags = 0;
    bool found = false;
    size_t i;

    if (!vshOptExclusive(sh, cmd, "all", "type"))
        return false;
    if (!(dom = vshLookupDomain(sh, cmd, NULL, VSH_BYID | VSH_BYUUID | VSH_BYNAME)))
        return false;
    if (!virDomainIsActive(dom)) {
        vshError(sh, "%s", "Domain is not running");
        return false;
    }
    if (vshOptBool(cmd, "include-password"))
        flags |= VIR_DOMAIN_XML_SECURE;
    if (vshOptString(sh, cmd, "type", &type) < 0)
        return false;
    if (!(doc = vshDomainGetXML(sh, dom, flags, &ctxt)))
        return false;

    for (i = 0; i < G_N_ELEMENTS(schemes); i++) {
        g_autofree char *display = NULL;

        if (!all && type && strcmp(type, schemes[i]) != 0)
            continue;
        if (!(display = vshOneDisplay(sh, schemes[i], ctxt)))
            continue;
        /* Without --all the URI ends without a newline, as in virsh; the command loop's
         * separator line ends it (and -q leaves it unterminated). */
        vshPrint(sh, "%s", display);
        found = true;
        if (!all)
            break;
        vshPrint(sh, "\n");
    }
    if (!found) {
        if (type)
            vshError(sh, "No graphical display with type '%s' found", type);
        else
            vshError(sh, "%s", "No graphical display found");
    }
    return found;
}

static bool vshCmdVncdisplay(vshShell *sh, const vshCmd *cmd)
{
    g_autoptr(vshDomainRef) dom = NULL;
    g_autoptr(xmlDoc) doc = NULL;
    g_autoptr(xmlXPathContext) ctxt = NULL;
    g_autofree char *listen = NULL;
    int port = 0;

    if (!(dom = vshLookupDomain(sh, cmd, NULL, VSH_BYID | VSH_BYUUID | VSH_BYNAME)))
        return false;
    if (!virDomainIsActive(dom)) {
        vshError(sh, "%s", "Domain is not running");
        return false;
    }
    if (!(doc = vshDomainGetXML(sh, dom, 0, &ctxt)))
        return false;
    if (vshGraphicsInt(ctxt, "vnc", "@port", &port) != 0) {
        vshError(sh, "%s", "Failed to get VNC port. Is this domain using VNC?");
        return false;
    }
    listen = vshXPathString(ctxt, "string(/domain/devices/graphics[@type='vnc']/@listen)");
    if (!listen)
        listen =
            vshXPathString(ctxt, "string(/domain/devices/graphics[@type='vnc']/listen/@address)");
    if (!listen || strcmp(listen, "0.0.0.0") == 0)
        vshPrint(sh, ":%d\n", port - 5900);
    else
        vshPrint(sh, "%s:%d\n", listen, port - 5900);
    return true;
}

/* ---- description, title and metadata ---- */

#define VSH_OPT_LIVE    VSH_OPT("live", VSH_OT_BOOL, 0, "modify/get running state")
#define VSH_OPT_CONFIG  VSH_OPT("config", VSH_OT_BOOL, 0, "modify/get persistent configuration")
#define VSH_OPT_CURRENT VSH_OPT("current", VSH_OT_BOOL, 0, "modify/get current state configuration")

/* virDomainModificationImpact flags of --live, --config and --current. */
static bool vshImpactFlags(vshShell *sh, const vshCmd *cmd, unsigned int *flags)
{
    if (!vshOptExclusive(sh, cmd, "current", "live") ||
        !vshOptExclusive(sh, cmd, "current", "config"))
        return false;
    *flags = VIR_DOMAIN_AFFECT_CURRENT;
    if (vshOptBool(cmd, "config"))
        *flags |= VIR_DOMAIN_AFFECT_CONFIG;
    if (vshOptBool(cmd, "live"))
        *flags |= VIR_DOMAIN_AFFECT_LIVE;
    return true;
}

static const vshOptDef vshOptsDesc[] = {
    VSH_OPT_DOMAIN_FULL,
    VSH_OPT_LIVE,
    VSH_OPT_CONFIG,
    VSH_OPT_CURRENT,
    { "title", VSH_OT_BOOL, 0, "modify/get the title instead of description" },
    { "new-desc", VSH_OT_ARGV, 0, "message" },
    { NULL },
};

static bool vshCmdDesc(vshShell *sh, const vshCmd *cmd)
{
    g_autoptr(vshDomainRef) dom = NULL;
    g_autoptr(GString) words = g_string_new(NULL);
    g_autofree char *current = NULL;
    bool title = vshOptBool(cmd, "title");
    const char *what = title ? "title" : "description";
    const vshCmdOpt *opt = NULL;
    unsigned int flags;

    if (!vshImpactFlags(sh, cmd, &flags) ||
        !(dom = vshLookupDomain(sh, cmd, NULL, VSH_BYID | VSH_BYUUID | VSH_BYNAME)) ||
        vshDomainState(sh, dom, NULL) < 0)
        return false;
    while ((opt = vshOptArgv(cmd, opt)))
        g_string_append_printf(words, "%s%s", words->len ? " " : "", opt->data);
    /* virsh reads the current text before it replaces it, and shows it when given none; it
     * reads with the XML flags of --config (VIR_DOMAIN_XML_INACTIVE, the value of
     * VIR_DOMAIN_AFFECT_CONFIG), so --live reads the current state */
    if (!(current = vshDomainDescription(sh, dom, title, flags & VIR_DOMAIN_AFFECT_CONFIG)))
        return false;
    if (!vshOptArgv(cmd, NULL)) {
        if (*current)
            vshPrint(sh, "%s", current);
        else
            vshPrintExtra(sh, "No %s for domain: %s", what, virDomainGetName(dom));
        return true;
    }
    if (virDomainSetMetadata(dom,
                             title ? VIR_DOMAIN_METADATA_TITLE : VIR_DOMAIN_METADATA_DESCRIPTION,
                             words->str, NULL, NULL, flags) < 0) {
        vshError(sh, "Failed to set new domain %s", what);
        return false;
    }
    vshPrintExtra(sh, "Domain %s updated successfully", what);
    return true;
}

static const vshOptDef vshOptsMetadata[] = {
    VSH_OPT_DOMAIN_FULL,
    { "uri", VSH_OT_DATA, VSH_OFLAG_REQ, "URI of the namespace" },
    VSH_OPT_LIVE,
    VSH_OPT_CONFIG,
    VSH_OPT_CURRENT,
    { "key", VSH_OT_STRING, VSH_OFLAG_REQ_OPT, "key to be used as a namespace identifier" },
    { "set", VSH_OT_STRING, VSH_OFLAG_REQ_OPT, "new metadata to set" },
    { "remove", VSH_OT_BOOL, 0, "remove the metadata corresponding to an uri" },
    { NULL },
};

static bool vshCmdMetadata(vshShell *sh, const vshCmd *cmd)
{
    g_autoptr(vshDomainRef) dom = NULL;
    g_autofree char *data = NULL;
    const char *uri = NULL, *key = NULL, *set = NULL;
    bool rem = vshOptBool(cmd, "remove");
    unsigned int flags;

    if (!vshImpactFlags(sh, cmd, &flags))
        return false;
    if (vshOptStringQuiet(cmd, "set", &set) > 0 && rem) {
        vshError(sh, "%s", "Options --remove and --set are mutually exclusive");
        return false;
    }
    if (!(dom = vshLookupDomain(sh, cmd, NULL, VSH_BYID | VSH_BYUUID | VSH_BYNAME)))
        return false;
    if (vshOptString(sh, cmd, "uri", &uri) < 0 || vshOptString(sh, cmd, "key", &key) < 0 ||
        vshOptString(sh, cmd, "set", &set) < 0)
        return false;
    if (set && !key) {
        vshError(sh, "%s", "namespace key is required when modifying metadata");
        return false;
    }
    if (set || rem) {
        if (virDomainSetMetadata(dom, VIR_DOMAIN_METADATA_ELEMENT, set, key, uri, flags) != 0)
            return false;
        vshPrintExtra(sh, "%s\n", rem ? "Metadata removed" : "Metadata modified");
        return true;
    }
    if (!(data = virDomainGetMetadata(dom, VIR_DOMAIN_METADATA_ELEMENT, uri, flags)))
        return false;
    vshPrint(sh, "%s\n", data);
    return true;
}

const vshCmdDef vshDomainCmds[] = {
    { "autostart", vshCmdAutostart, vshOptsAutostart, "autostart a domain",
      "Configure a domain to be automatically started at boot.", 0 },
    { "console", vshCmdConsole, vshOptsConsole, "connect to the guest console",
      "Connect the virtual serial console for the guest", 0 },
    { "create", vshCmdCreate, vshOptsCreate, "create a domain from an XML file", "Create a domain.",
      0 },
    { "define", vshCmdDefine, vshOptsDefine, "define (but don't start) a domain from an XML file",
      "Define a domain.", 0 },
    { "desc", vshCmdDesc, vshOptsDesc, "show or set domain's description or title",
      "Allows setting or modifying the description or title of a domain.", 0 },
    { "destroy", vshCmdDestroy, vshOptsDestroy, "destroy (stop) a domain",
      "Forcefully stop a given domain, but leave its resources intact.", 0 },
    { "domdisplay", vshCmdDomdisplay, vshOptsDomdisplay, "domain display connection URI",
      "Output the IP address and port number for the graphical display.", 0 },
    { "domid", vshCmdDomid, vshOptsDomid, "convert a domain name or UUID to domain id", "", 0 },
    { "domname", vshCmdDomname, vshOptsDomname, "convert a domain id or UUID to domain name", "",
      0 },
    { "domuuid", vshCmdDomuuid, vshOptsDomuuid, "convert a domain name or id to domain UUID", "",
      0 },
    { "dumpxml", vshCmdDumpXML, vshOptsDumpXML, "domain information in XML",
      "Output the domain information as an XML dump to stdout.", 0 },
    { "metadata", vshCmdMetadata, vshOptsMetadata, "show or set domain's custom XML metadata",
      "Shows or modifies the XML metadata of a domain.", 0 },
    { "reboot", vshCmdReboot, vshOptsShutdown, "reboot a domain",
      "Run a reboot command in the target domain.", 0 },
    { "resume", vshCmdResume, vshOptsDomain, "resume a domain",
      "Resume a previously suspended domain.", 0 },
    { "shutdown", vshCmdShutdown, vshOptsShutdown, "gracefully shutdown a domain",
      "Run shutdown in the target domain.", 0 },
    { "start", vshCmdStart, vshOptsStart, "start a (previously defined) inactive domain",
      "Start a domain, either from the last managedsave\n"
      "    state, or via a fresh boot if no managedsave state\n"
      "    is present.",
      0 },
    { "suspend", vshCmdSuspend, vshOptsDomain, "suspend a domain", "Suspend a running domain.", 0 },
    { "undefine", vshCmdUndefine, vshOptsUndefine, "undefine a domain",
      "Undefine an inactive domain, or convert persistent to transient.", 0 },
    { "vncdisplay", vshCmdVncdisplay, vshOptsDomain, "vnc display",
      "Output the IP address and port number for the VNC display.", 0 },
    { NULL },
};

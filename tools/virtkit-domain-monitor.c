/* virtkit shell: domain monitoring commands (list, dominfo, domstate), with virsh's options,
 * table layout and state names. */
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "virtkit.h"

static const vshOptDef vshOptsDominfo[] = {
    { "domain", VSH_OT_DATA, VSH_OFLAG_REQ, "domain name, id or uuid" },
    { NULL },
};

static const vshOptDef vshOptsList[] = {
    { "inactive", VSH_OT_BOOL, 0, "list inactive domains" },
    { "all", VSH_OT_BOOL, 0, "list inactive & active domains" },
    { "transient", VSH_OT_BOOL, 0, "list transient domains" },
    { "persistent", VSH_OT_BOOL, 0, "list persistent domains" },
    { "with-snapshot", VSH_OT_BOOL, 0, "list domains with existing snapshot" },
    { "without-snapshot", VSH_OT_BOOL, 0, "list domains without a snapshot" },
    { "with-checkpoint", VSH_OT_BOOL, 0, "list domains with existing checkpoint" },
    { "without-checkpoint", VSH_OT_BOOL, 0, "list domains without a checkpoint" },
    { "state-running", VSH_OT_BOOL, 0, "list domains in running state" },
    { "state-paused", VSH_OT_BOOL, 0, "list domains in paused state" },
    { "state-shutoff", VSH_OT_BOOL, 0, "list domains in shutoff state" },
    { "state-other", VSH_OT_BOOL, 0, "list domains in other states" },
    { "autostart", VSH_OT_BOOL, 0, "list domains with autostart enabled" },
    { "no-autostart", VSH_OT_BOOL, 0, "list domains with autostart disabled" },
    { "with-managed-save", VSH_OT_BOOL, 0, "list domains with managed save state" },
    { "without-managed-save", VSH_OT_BOOL, 0, "list domains without managed save" },
    { "uuid", VSH_OT_BOOL, 0, "list uuid's only" },
    { "name", VSH_OT_BOOL, 0, "list domain names only" },
    { "id", VSH_OT_BOOL, 0, "list domain IDs only" },
    { "table", VSH_OT_BOOL, 0, "list table (default)" },
    { "managed-save", VSH_OT_BOOL, 0, "mark inactive domains with managed save state" },
    { "title", VSH_OT_BOOL, 0, "show domain title" },
    { NULL },
};

static const vshOptFlag vshListFilters[] = {
    { "persistent", VIR_CONNECT_LIST_DOMAINS_PERSISTENT },
    { "transient", VIR_CONNECT_LIST_DOMAINS_TRANSIENT },
    { "with-managed-save", VIR_CONNECT_LIST_DOMAINS_MANAGEDSAVE },
    { "without-managed-save", VIR_CONNECT_LIST_DOMAINS_NO_MANAGEDSAVE },
    { "autostart", VIR_CONNECT_LIST_DOMAINS_AUTOSTART },
    { "no-autostart", VIR_CONNECT_LIST_DOMAINS_NO_AUTOSTART },
    { "with-snapshot", VIR_CONNECT_LIST_DOMAINS_HAS_SNAPSHOT },
    { "without-snapshot", VIR_CONNECT_LIST_DOMAINS_NO_SNAPSHOT },
    { "with-checkpoint", VIR_CONNECT_LIST_DOMAINS_HAS_CHECKPOINT },
    { "without-checkpoint", VIR_CONNECT_LIST_DOMAINS_NO_CHECKPOINT },
    { "state-running", VIR_CONNECT_LIST_DOMAINS_RUNNING },
    { "state-paused", VIR_CONNECT_LIST_DOMAINS_PAUSED },
    { "state-shutoff", VIR_CONNECT_LIST_DOMAINS_SHUTOFF },
    { "state-other", VIR_CONNECT_LIST_DOMAINS_OTHER },
    { NULL },
};

/* Whether the flag pair (yes, no) admits a domain for which the property is `value`. */
static bool vshFilterPair(unsigned int flags, unsigned int yes, unsigned int no, bool value)
{
    if (!(flags & (yes | no)))
        return true;
    return ((flags & yes) && value) || ((flags & no) && !value);
}

/* Applies filters in the shell for drivers that only know active/inactive. Snapshots and
 * checkpoints have no API here: every domain has none of them. */
static int vshListFilter(vshShell *sh, virDomainPtr dom, unsigned int flags)
{
    const unsigned int states = VIR_CONNECT_LIST_DOMAINS_RUNNING | VIR_CONNECT_LIST_DOMAINS_PAUSED |
                                VIR_CONNECT_LIST_DOMAINS_SHUTOFF | VIR_CONNECT_LIST_DOMAINS_OTHER;
    int persistent = 0;
    int autostart = 0;
    int managed = 0;
    int state = 0;

    if ((flags & (VIR_CONNECT_LIST_DOMAINS_PERSISTENT | VIR_CONNECT_LIST_DOMAINS_TRANSIENT)) &&
        (persistent = virDomainIsPersistent(dom)) < 0) {
        vshError(sh, "%s", "Failed to get domain persistence info");
        return -1;
    }
    if (!vshFilterPair(flags, VIR_CONNECT_LIST_DOMAINS_PERSISTENT,
                       VIR_CONNECT_LIST_DOMAINS_TRANSIENT, persistent))
        return 0;
    if (flags & states) {
        if (virDomainGetState(dom, &state, NULL, 0) < 0) {
            vshError(sh, "%s", "Failed to get domain state");
            return -1;
        }
        if (!(((flags & VIR_CONNECT_LIST_DOMAINS_RUNNING) && state == VIR_DOMAIN_RUNNING) ||
              ((flags & VIR_CONNECT_LIST_DOMAINS_PAUSED) && state == VIR_DOMAIN_PAUSED) ||
              ((flags & VIR_CONNECT_LIST_DOMAINS_SHUTOFF) && state == VIR_DOMAIN_SHUTOFF) ||
              ((flags & VIR_CONNECT_LIST_DOMAINS_OTHER) && state != VIR_DOMAIN_RUNNING &&
               state != VIR_DOMAIN_PAUSED && state != VIR_DOMAIN_SHUTOFF)))
            return 0;
    }
    if ((flags & (VIR_CONNECT_LIST_DOMAINS_AUTOSTART | VIR_CONNECT_LIST_DOMAINS_NO_AUTOSTART)) &&
        virDomainGetAutostart(dom, &autostart) < 0) {
        vshError(sh, "%s", "Failed to get domain autostart state");
        return -1;
    }
    if (!vshFilterPair(flags, VIR_CONNECT_LIST_DOMAINS_AUTOSTART,
                       VIR_CONNECT_LIST_DOMAINS_NO_AUTOSTART, autostart))
        return 0;
    if ((flags &
         (VIR_CONNECT_LIST_DOMAINS_MANAGEDSAVE | VIR_CONNECT_LIST_DOMAINS_NO_MANAGEDSAVE)) &&
        (managed = vshManagedSaveExists(dom)) < 0) {
        vshError(sh, "%s", "Failed to check for managed save image");
        return -1;
    }
    if (!vshFilterPair(flags, VIR_CONNECT_LIST_DOMAINS_MANAGEDSAVE,
                       VIR_CONNECT_LIST_DOMAINS_NO_MANAGEDSAVE, managed))
        return 0;
    return vshFilterPair(flags, VIR_CONNECT_LIST_DOMAINS_HAS_SNAPSHOT,
                         VIR_CONNECT_LIST_DOMAINS_NO_SNAPSHOT, false) &&
           vshFilterPair(flags, VIR_CONNECT_LIST_DOMAINS_HAS_CHECKPOINT,
                         VIR_CONNECT_LIST_DOMAINS_NO_CHECKPOINT, false);
}

/* Running domains first by id, then inactive ones by name, ignoring case. */
static int vshDomainSort(const void *a, const void *b)
{
    virDomainPtr da = *(virDomainPtr const *)a;
    virDomainPtr db = *(virDomainPtr const *)b;
    unsigned int ida = virDomainGetID(da);
    unsigned int idb = virDomainGetID(db);
    const unsigned int inactive = (unsigned int)-1;

    if (ida == inactive && idb == inactive)
        return g_ascii_strcasecmp(virDomainGetName(da), virDomainGetName(db));
    if (ida != inactive && idb != inactive)
        return ida < idb ? -1 : ida > idb;
    return ida != inactive ? -1 : 1;
}

static void vshDomainUnref(gpointer dom)
{
    virDomainFree(dom);
}

static GPtrArray *vshListDomains(vshShell *sh, unsigned int flags)
{
    GPtrArray *list = g_ptr_array_new_with_free_func(vshDomainUnref);
    virDomainPtr *doms = NULL;
    bool filter = false;
    int n;
    int i;

    n = virConnectListAllDomains(vshShellConn(sh), &doms, flags);
    if (n < 0 && vshLastErrorCode(sh) == VIR_ERR_INVALID_ARG) {
        vshResetLibError(sh);
        filter = true;
        n = virConnectListAllDomains(
            vshShellConn(sh), &doms,
            flags & (VIR_CONNECT_LIST_DOMAINS_ACTIVE | VIR_CONNECT_LIST_DOMAINS_INACTIVE));
    }
    if (n < 0) {
        vshError(sh, "%s", "Failed to list domains");
        g_ptr_array_free(list, TRUE);
        return NULL;
    }
    for (i = 0; i < n; i++)
        g_ptr_array_add(list, doms[i]);
    free(doms);

    for (i = 0; filter && i < (int)list->len; i++) {
        int keep = vshListFilter(sh, list->pdata[i], flags);

        if (keep < 0) {
            g_ptr_array_free(list, TRUE);
            return NULL;
        }
        if (!keep)
            g_ptr_array_remove_index(list, i--);
    }
    g_ptr_array_sort(list, vshDomainSort);
    return list;
}

static bool vshListPrintTable(vshShell *sh, const vshCmd *cmd, GPtrArray *list)
{
    bool title = vshOptBool(cmd, "title");
    bool managed = vshOptBool(cmd, "managed-save");
    g_autoptr(vshTable) table = NULL;
    guint i;

    if (title)
        table = vshTableNew("Id", "Name", "State", "Title", NULL);
    else
        table = vshTableNew("Id", "Name", "State", NULL);

    for (i = 0; i < list->len; i++) {
        virDomainPtr dom = list->pdata[i];
        unsigned int id = virDomainGetID(dom);
        g_autofree char *idstr = NULL;
        g_autofree char *text = NULL;
        const char *state_name;
        int state = vshDomainState(sh, dom, NULL);

        /* The domain may have gone away since the listing. */
        if (state < 0)
            continue;
        idstr = id == (unsigned int)-1 ? g_strdup("-") : g_strdup_printf("%d", (int)id);
        state_name = vshDomainStateName(state);
        if (managed && state == VIR_DOMAIN_SHUTOFF && vshManagedSaveExists(dom) > 0)
            state_name = "saved";
        if (title) {
            if (!(text = vshDomainDescription(sh, dom, true, 0)))
                return false;
            vshTableAdd(table, idstr, virDomainGetName(dom), state_name, text, NULL);
        } else {
            vshTableAdd(table, idstr, virDomainGetName(dom), state_name, NULL);
        }
    }
    vshTablePrint(sh, table);
    return true;
}

static bool vshCmdList(vshShell *sh, const vshCmd *cmd)
{
    bool opt_uuid = vshOptBool(cmd, "uuid");
    bool opt_name = vshOptBool(cmd, "name");
    bool opt_id = vshOptBool(cmd, "id");
    unsigned int flags = VIR_CONNECT_LIST_DOMAINS_ACTIVE;
    g_autoptr(GPtrArray) list = NULL;
    guint i;

    if (vshOptBool(cmd, "inactive") || vshOptBool(cmd, "state-shutoff"))
        flags = VIR_CONNECT_LIST_DOMAINS_INACTIVE;
    if (vshOptBool(cmd, "all"))
        flags = VIR_CONNECT_LIST_DOMAINS_INACTIVE | VIR_CONNECT_LIST_DOMAINS_ACTIVE;
    flags |= vshOptFlags(cmd, vshListFilters);
    if (!vshOptExclusive(sh, cmd, "table", "name") || !vshOptExclusive(sh, cmd, "table", "uuid") ||
        !vshOptExclusive(sh, cmd, "table", "id"))
        return false;

    if (!(list = vshListDomains(sh, flags)))
        return false;
    if (!opt_uuid && !opt_name && !opt_id)
        return vshListPrintTable(sh, cmd, list);

    for (i = 0; i < list->len; i++) {
        virDomainPtr dom = list->pdata[i];
        unsigned int id = virDomainGetID(dom);
        const char *sep = "";

        if (opt_uuid) {
            char uuid[VIR_UUID_STRING_BUFLEN];

            if (virDomainGetUUIDString(dom, uuid) < 0) {
                vshError(sh, "%s", "Failed to get domain's UUID");
                return false;
            }
            vshPrint(sh, "%s", uuid);
            sep = " ";
        }
        if (opt_id) {
            /* Alone, --id lists running domains only: others have no id to show. */
            if (id == (unsigned int)-1 && !opt_uuid && !opt_name)
                continue;
            if (id == (unsigned int)-1)
                vshPrint(sh, "%s-", sep);
            else
                vshPrint(sh, "%s%d", sep, (int)id);
            sep = " ";
        }
        if (opt_name)
            vshPrint(sh, "%s%s", sep, virDomainGetName(dom));
        vshPrint(sh, "\n");
    }
    return true;
}

/* The "Security model" lines; false only for failures virsh treats as fatal. */
static bool vshDominfoSecurity(vshShell *sh, virDomainPtr dom)
{
    virSecurityModel model;
    virSecurityLabel label;

    memset(&model, 0, sizeof(model));
    if (virNodeGetSecurityModel(vshShellConn(sh), &model) < 0) {
        if (vshLastErrorCode(sh) != VIR_ERR_NO_SUPPORT)
            return false;
        vshResetLibError(sh);
        return true;
    }
    if (!model.model[0])
        return true;
    vshPrint(sh, "%-15s %s\n", "Security model:", model.model);
    vshPrint(sh, "%-15s %s\n", "Security DOI:", model.doi);

    memset(&label, 0, sizeof(label));
    if (virDomainGetSecurityLabel(dom, &label) < 0)
        return false;
    if (label.label[0])
        vshPrint(sh, "%-15s %s (%s)\n", "Security label:", label.label,
                 label.enforcing ? "enforcing" : "permissive");
    return true;
}

static bool vshCmdDominfo(vshShell *sh, const vshCmd *cmd)
{
    g_autoptr(vshDomainRef) dom = NULL;
    g_autofree char *ostype = NULL;
    char uuid[VIR_UUID_STRING_BUFLEN];
    virDomainInfo info;
    unsigned int id;
    int persistent;
    int autostart;
    int managed;
    bool ret = true;

    if (!(dom = vshLookupDomain(sh, cmd, NULL, VSH_BYID | VSH_BYUUID | VSH_BYNAME)))
        return false;

    id = virDomainGetID(dom);
    if (id == (unsigned int)-1)
        vshPrint(sh, "%-15s %s\n", "Id:", "-");
    else
        vshPrint(sh, "%-15s %d\n", "Id:", (int)id);
    vshPrint(sh, "%-15s %s\n", "Name:", virDomainGetName(dom));
    if (virDomainGetUUIDString(dom, uuid) == 0)
        vshPrint(sh, "%-15s %s\n", "UUID:", uuid);
    if ((ostype = virDomainGetOSType(dom)))
        vshPrint(sh, "%-15s %s\n", "OS Type:", ostype);

    if (virDomainGetInfo(dom, &info) == 0) {
        vshPrint(sh, "%-15s %s\n", "State:", vshDomainStateName(info.state));
        vshPrint(sh, "%-15s %d\n", "CPU(s):", info.nrVirtCpu);
        if (info.cpuTime != 0)
            vshPrint(sh, "%-15s %.1lfs\n", "CPU time:", info.cpuTime / 1000000000.0);
        if (info.maxMem != UINT_MAX)
            vshPrint(sh, "%-15s %lu KiB\n", "Max memory:", info.maxMem);
        else
            vshPrint(sh, "%-15s %s\n", "Max memory:", "no limit");
        vshPrint(sh, "%-15s %lu KiB\n", "Used memory:", info.memory);
    } else {
        ret = false;
    }

    persistent = virDomainIsPersistent(dom);
    if (persistent < 0)
        vshPrint(sh, "%-15s %s\n", "Persistent:", "unknown");
    else
        vshPrint(sh, "%-15s %s\n", "Persistent:", persistent ? "yes" : "no");
    if (virDomainGetAutostart(dom, &autostart) == 0)
        vshPrint(sh, "%-15s %s\n", "Autostart:", autostart ? "enable" : "disable");
    managed = vshManagedSaveExists(dom);
    if (managed < 0)
        vshPrint(sh, "%-15s %s\n", "Managed save:", "unknown");
    else
        vshPrint(sh, "%-15s %s\n", "Managed save:", managed ? "yes" : "no");

    if (!vshDominfoSecurity(sh, dom))
        return false;

    char **messages = NULL;
    int n;

    if ((n = virDomainGetMessages(dom, &messages, 0)) > 0) {
        int i;

        for (i = 0; i < n; i++)
            vshPrint(sh, "%-15s %s\n", i == 0 ? "Messages:" : "", messages[i]);
    }
    g_strfreev(messages);
    return ret;
}

static const vshOptDef vshOptsDomstate[] = {
    { "domain", VSH_OT_DATA, VSH_OFLAG_REQ, "domain name, id or uuid" },
    { "reason", VSH_OT_BOOL, 0, "also print reason for the state" },
    { NULL },
};

static const char *vshStateReason(int state, int reason)
{
    static const char *const running[] = {
        "unknown",       "booted",   "migrated",           "restored",
        "from snapshot", "unpaused", "migration canceled", "save canceled",
        "event wakeup",  "crashed",  "post-copy",          "post-copy failed",
    };
    static const char *const paused[] = {
        "unknown",   "user",        "migrating",     "saving",           "dumping",
        "I/O error", "watchdog",    "from snapshot", "shutting down",    "creating snapshot",
        "crashed",   "starting up", "post-copy",     "post-copy failed",
    };
    static const char *const shutdown[] = { "unknown", "user" };
    static const char *const shutoff[] = {
        "unknown", "shutdown", "destroyed",     "crashed", "migrated",
        "saved",   "failed",   "from snapshot", "daemon",
    };
    static const char *const crashed[] = { "unknown", "panicked" };
    static const char *const unknown_only[] = { "unknown" };
    const char *const *names = unknown_only;
    size_t n = G_N_ELEMENTS(unknown_only);

    switch (state) {
    case VIR_DOMAIN_RUNNING:
        names = running;
        n = G_N_ELEMENTS(running);
        break;
    case VIR_DOMAIN_PAUSED:
        names = paused;
        n = G_N_ELEMENTS(paused);
        break;
    case VIR_DOMAIN_SHUTDOWN:
        names = shutdown;
        n = G_N_ELEMENTS(shutdown);
        break;
    case VIR_DOMAIN_SHUTOFF:
        names = shutoff;
        n = G_N_ELEMENTS(shutoff);
        break;
    case VIR_DOMAIN_CRASHED:
        names = crashed;
        n = G_N_ELEMENTS(crashed);
        break;
    }
    if (reason < 0 || (size_t)reason >= n)
        return "unknown";
    return names[reason];
}

static bool vshCmdDomstate(vshShell *sh, const vshCmd *cmd)
{
    g_autoptr(vshDomainRef) dom = NULL;
    int state;
    int reason;

    if (!(dom = vshLookupDomain(sh, cmd, NULL, VSH_BYID | VSH_BYUUID | VSH_BYNAME)))
        return false;
    if ((state = vshDomainState(sh, dom, &reason)) < 0)
        return false;
    if (vshOptBool(cmd, "reason"))
        vshPrint(sh, "%s (%s)\n", vshDomainStateName(state), vshStateReason(state, reason));
    else
        vshPrint(sh, "%s\n", vshDomainStateName(state));
    return true;
}

const vshCmdDef vshMonitorCmds[] = {
    { "dominfo", vshCmdDominfo, vshOptsDominfo, "domain information",
      "Returns basic information about the domain.", 0 },
    { "domstate", vshCmdDomstate, vshOptsDomstate, "domain state", "Returns state about a domain.",
      0 },
    { "list", vshCmdList, vshOptsList, "list domains", "Returns list of domains.", 0 },
    { NULL },
};

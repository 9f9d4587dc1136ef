/* virtkit shell: domain monitoring commands (list, dominfo, domstate), with virsh's options,
 * table layout and state names. */
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "virtkit.h"

static const vkOptDef vkOptsDominfo[] = {
    { "domain", VK_OT_DATA, VK_OFLAG_REQ, "domain name, id or uuid" },
    { NULL },
};

static const vkOptDef vkOptsList[] = {
    { "inactive", VK_OT_BOOL, 0, "list inactive domains" },
    { "all", VK_OT_BOOL, 0, "list inactive & active domains" },
    { "transient", VK_OT_BOOL, 0, "list transient domains" },
    { "persistent", VK_OT_BOOL, 0, "list persistent domains" },
    { "with-snapshot", VK_OT_BOOL, 0, "list domains with existing snapshot" },
    { "without-snapshot", VK_OT_BOOL, 0, "list domains without a snapshot" },
    { "with-checkpoint", VK_OT_BOOL, 0, "list domains with existing checkpoint" },
    { "without-checkpoint", VK_OT_BOOL, 0, "list domains without a checkpoint" },
    { "state-running", VK_OT_BOOL, 0, "list domains in running state" },
    { "state-paused", VK_OT_BOOL, 0, "list domains in paused state" },
    { "state-shutoff", VK_OT_BOOL, 0, "list domains in shutoff state" },
    { "state-other", VK_OT_BOOL, 0, "list domains in other states" },
    { "autostart", VK_OT_BOOL, 0, "list domains with autostart enabled" },
    { "no-autostart", VK_OT_BOOL, 0, "list domains with autostart disabled" },
    { "with-managed-save", VK_OT_BOOL, 0, "list domains with managed save state" },
    { "without-managed-save", VK_OT_BOOL, 0, "list domains without managed save" },
    { "uuid", VK_OT_BOOL, 0, "list uuid's only" },
    { "name", VK_OT_BOOL, 0, "list domain names only" },
    { "id", VK_OT_BOOL, 0, "list domain IDs only" },
    { "table", VK_OT_BOOL, 0, "list table (default)" },
    { "managed-save", VK_OT_BOOL, 0, "mark inactive domains with managed save state" },
    { "title", VK_OT_BOOL, 0, "show domain title" },
    { NULL },
};

static const vkOptFlag vkListFilters[] = {
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
static bool vkFilterPair(unsigned int flags, unsigned int yes, unsigned int no, bool value)
{
    if (!(flags & (yes | no)))
        return true;
    return ((flags & yes) && value) || ((flags & no) && !value);
}

/* Applies filters in the shell for drivers that only know active/inactive. Snapshots and
 * checkpoints have no API here: every domain has none of them. */
static int vkListFilter(vkShell *sh, virDomainPtr dom, unsigned int flags)
{
    const unsigned int states = VIR_CONNECT_LIST_DOMAINS_RUNNING | VIR_CONNECT_LIST_DOMAINS_PAUSED |
                                VIR_CONNECT_LIST_DOMAINS_SHUTOFF | VIR_CONNECT_LIST_DOMAINS_OTHER;
    int persistent = 0;
    int autostart = 0;
    int managed = 0;
    int state = 0;

    if ((flags & (VIR_CONNECT_LIST_DOMAINS_PERSISTENT | VIR_CONNECT_LIST_DOMAINS_TRANSIENT)) &&
        (persistent = virDomainIsPersistent(dom)) < 0) {
        vkError(sh, "%s", "Failed to get domain persistence info");
        return -1;
    }
    if (!vkFilterPair(flags, VIR_CONNECT_LIST_DOMAINS_PERSISTENT,
                      VIR_CONNECT_LIST_DOMAINS_TRANSIENT, persistent))
        return 0;
    if (flags & states) {
        if (virDomainGetState(dom, &state, NULL, 0) < 0) {
            vkError(sh, "%s", "Failed to get domain state");
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
        vkError(sh, "%s", "Failed to get domain autostart state");
        return -1;
    }
    if (!vkFilterPair(flags, VIR_CONNECT_LIST_DOMAINS_AUTOSTART,
                      VIR_CONNECT_LIST_DOMAINS_NO_AUTOSTART, autostart))
        return 0;
    if ((flags &
         (VIR_CONNECT_LIST_DOMAINS_MANAGEDSAVE | VIR_CONNECT_LIST_DOMAINS_NO_MANAGEDSAVE)) &&
        (managed = vkManagedSaveExists(dom)) < 0) {
        vkError(sh, "%s", "Failed to check for managed save image");
        return -1;
    }
    if (!vkFilterPair(flags, VIR_CONNECT_LIST_DOMAINS_MANAGEDSAVE,
                      VIR_CONNECT_LIST_DOMAINS_NO_MANAGEDSAVE, managed))
        return 0;
    return vkFilterPair(flags, VIR_CONNECT_LIST_DOMAINS_HAS_SNAPSHOT,
                        VIR_CONNECT_LIST_DOMAINS_NO_SNAPSHOT, false) &&
           vkFilterPair(flags, VIR_CONNECT_LIST_DOMAINS_HAS_CHECKPOINT,
                        VIR_CONNECT_LIST_DOMAINS_NO_CHECKPOINT, false);
}

/* Running domains first by id, then inactive ones by name, ignoring case. */
static int vkDomainSort(const void *a, const void *b)
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

static void vkDomainUnref(gpointer dom)
{
    virDomainFree(dom);
}

static GPtrArray *vkListDomains(vkShell *sh, unsigned int flags)
{
    GPtrArray *list = g_ptr_array_new_with_free_func(vkDomainUnref);
    virDomainPtr *doms = NULL;
    bool filter = false;
    int n;
    int i;

    n = virConnectListAllDomains(vkShellConn(sh), &doms, flags);
    if (n < 0 && vkLastErrorCode(sh) == VIR_ERR_INVALID_ARG) {
        vkResetLibError(sh);
        filter = true;
        n = virConnectListAllDomains(
            vkShellConn(sh), &doms,
            flags & (VIR_CONNECT_LIST_DOMAINS_ACTIVE | VIR_CONNECT_LIST_DOMAINS_INACTIVE));
    }
    if (n < 0) {
        vkError(sh, "%s", "Failed to list domains");
        g_ptr_array_free(list, TRUE);
        return NULL;
    }
    for (i = 0; i < n; i++)
        g_ptr_array_add(list, doms[i]);
    free(doms);

    for (i = 0; filter && i < (int)list->len; i++) {
        int keep = vkListFilter(sh, list->pdata[i], flags);

        if (keep < 0) {
            g_ptr_array_free(list, TRUE);
            return NULL;
        }
        if (!keep)
            g_ptr_array_remove_index(list, i--);
    }
    g_ptr_array_sort(list, vkDomainSort);
    return list;
}

static char *vkDomainTitle(vkShell *sh, virDomainPtr dom)
{
    g_autoptr(xmlDoc) doc = NULL;
    g_autoptr(xmlXPathContext) ctxt = NULL;
    char *title;

    if (!(doc = vkDomainGetXML(sh, dom, 0, &ctxt)))
        return NULL;
    title = vkXPathString(ctxt, "string(./title[1])");
    return title ? title : g_strdup("");
}

static bool vkListPrintTable(vkShell *sh, const vkCmd *cmd, GPtrArray *list)
{
    bool title = vkOptBool(cmd, "title");
    bool managed = vkOptBool(cmd, "managed-save");
    g_autoptr(vkTable) table = NULL;
    guint i;

    if (title)
        table = vkTableNew("Id", "Name", "State", "Title", NULL);
    else
        table = vkTableNew("Id", "Name", "State", NULL);

    for (i = 0; i < list->len; i++) {
        virDomainPtr dom = list->pdata[i];
        unsigned int id = virDomainGetID(dom);
        g_autofree char *idstr = NULL;
        g_autofree char *text = NULL;
        const char *state_name;
        int state = vkDomainState(sh, dom, NULL);

        /* The domain may have gone away since the listing. */
        if (state < 0)
            continue;
        idstr = id == (unsigned int)-1 ? g_strdup("-") : g_strdup_printf("%d", (int)id);
        state_name = vkDomainStateName(state);
        if (managed && state == VIR_DOMAIN_SHUTOFF && vkManagedSaveExists(dom) > 0)
            state_name = "saved";
        if (title) {
            if (!(text = vkDomainTitle(sh, dom)))
                return false;
            vkTableAdd(table, idstr, virDomainGetName(dom), state_name, text, NULL);
        } else {
            vkTableAdd(table, idstr, virDomainGetName(dom), state_name, NULL);
        }
    }
    vkTablePrint(sh, table);
    return true;
}

static bool vkCmdList(vkShell *sh, const vkCmd *cmd)
{
    bool opt_uuid = vkOptBool(cmd, "uuid");
    bool opt_name = vkOptBool(cmd, "name");
    bool opt_id = vkOptBool(cmd, "id");
    unsigned int flags = VIR_CONNECT_LIST_DOMAINS_ACTIVE;
    g_autoptr(GPtrArray) list = NULL;
    guint i;

    if (vkOptBool(cmd, "inactive") || vkOptBool(cmd, "state-shutoff"))
        flags = VIR_CONNECT_LIST_DOMAINS_INACTIVE;
    if (vkOptBool(cmd, "all"))
        flags = VIR_CONNECT_LIST_DOMAINS_INACTIVE | VIR_CONNECT_LIST_DOMAINS_ACTIVE;
    flags |= vkOptFlags(cmd, vkListFilters);
    if (!vkOptExclusive(sh, cmd, "table", "name") || !vkOptExclusive(sh, cmd, "table", "uuid") ||
        !vkOptExclusive(sh, cmd, "table", "id"))
        return false;

    if (!(list = vkListDomains(sh, flags)))
        return false;
    if (!opt_uuid && !opt_name && !opt_id)
        return vkListPrintTable(sh, cmd, list);

    for (i = 0; i < list->len; i++) {
        virDomainPtr dom = list->pdata[i];
        unsigned int id = virDomainGetID(dom);
        const char *sep = "";

        if (opt_uuid) {
            char uuid[VIR_UUID_STRING_BUFLEN];

            if (virDomainGetUUIDString(dom, uuid) < 0) {
                vkError(sh, "%s", "Failed to get domain's UUID");
                return false;
            }
            vkPrint(sh, "%s", uuid);
            sep = " ";
        }
        if (opt_id) {
            /* Alone, --id lists running domains only: others have no id to show. */
            if (id == (unsigned int)-1 && !opt_uuid && !opt_name)
                continue;
            if (id == (unsigned int)-1)
                vkPrint(sh, "%s-", sep);
            else
                vkPrint(sh, "%s%d", sep, (int)id);
            sep = " ";
        }
        if (opt_name)
            vkPrint(sh, "%s%s", sep, virDomainGetName(dom));
        vkPrint(sh, "\n");
    }
    return true;
}

/* The "Security model" lines; false only for failures virsh treats as fatal. */
static bool vkDominfoSecurity(vkShell *sh, virDomainPtr dom)
{
#ifdef VK_HAVE_SECURITY_MODEL
    virSecurityModel model;
    virSecurityLabel label;

    memset(&model, 0, sizeof(model));
    if (virNodeGetSecurityModel(vkShellConn(sh), &model) < 0) {
        if (vkLastErrorCode(sh) != VIR_ERR_NO_SUPPORT)
            return false;
        vkResetLibError(sh);
        return true;
    }
    if (!model.model[0])
        return true;
    vkPrint(sh, "%-15s %s\n", "Security model:", model.model);
    vkPrint(sh, "%-15s %s\n", "Security DOI:", model.doi);

    memset(&label, 0, sizeof(label));
    if (virDomainGetSecurityLabel(dom, &label) < 0)
        return false;
    if (label.label[0])
        vkPrint(sh, "%-15s %s (%s)\n", "Security label:", label.label,
                label.enforcing ? "enforcing" : "permissive");
    return true;
#else
    /* As for a driver without a security model: no lines at all. */
    return true;
#endif
}

static bool vkCmdDominfo(vkShell *sh, const vkCmd *cmd)
{
    g_autoptr(vkDomainRef) dom = NULL;
    g_autofree char *ostype = NULL;
    char uuid[VIR_UUID_STRING_BUFLEN];
    virDomainInfo info;
    unsigned int id;
    int persistent;
    int autostart;
    int managed;
    bool ret = true;

    if (!(dom = vkLookupDomain(sh, cmd, NULL, VK_BYID | VK_BYUUID | VK_BYNAME)))
        return false;

    id = virDomainGetID(dom);
    if (id == (unsigned int)-1)
        vkPrint(sh, "%-15s %s\n", "Id:", "-");
    else
        vkPrint(sh, "%-15s %d\n", "Id:", (int)id);
    vkPrint(sh, "%-15s %s\n", "Name:", virDomainGetName(dom));
    if (virDomainGetUUIDString(dom, uuid) == 0)
        vkPrint(sh, "%-15s %s\n", "UUID:", uuid);
    if ((ostype = virDomainGetOSType(dom)))
        vkPrint(sh, "%-15s %s\n", "OS Type:", ostype);

    if (virDomainGetInfo(dom, &info) == 0) {
        vkPrint(sh, "%-15s %s\n", "State:", vkDomainStateName(info.state));
        vkPrint(sh, "%-15s %d\n", "CPU(s):", info.nrVirtCpu);
        if (info.cpuTime != 0)
            vkPrint(sh, "%-15s %.1lfs\n", "CPU time:", info.cpuTime / 1000000000.0);
        if (info.maxMem != UINT_MAX)
            vkPrint(sh, "%-15s %lu KiB\n", "Max memory:", info.maxMem);
        else
            vkPrint(sh, "%-15s %s\n", "Max memory:", "no limit");
        vkPrint(sh, "%-15s %lu KiB\n", "Used memory:", info.memory);
    } else {
        ret = false;
    }

    persistent = virDomainIsPersistent(dom);
    if (persistent < 0)
        vkPrint(sh, "%-15s %s\n", "Persistent:", "unknown");
    else
        vkPrint(sh, "%-15s %s\n", "Persistent:", persistent ? "yes" : "no");
    if (virDomainGetAutostart(dom, &autostart) == 0)
        vkPrint(sh, "%-15s %s\n", "Autostart:", autostart ? "enable" : "disable");
    managed = vkManagedSaveExists(dom);
    if (managed < 0)
        vkPrint(sh, "%-15s %s\n", "Managed save:", "unknown");
    else
        vkPrint(sh, "%-15s %s\n", "Managed save:", managed ? "yes" : "no");

    if (!vkDominfoSecurity(sh, dom))
        return false;

#ifdef VK_HAVE_DOMAIN_MESSAGES
    char **messages = NULL;
    int n;

    if ((n = virDomainGetMessages(dom, &messages, 0)) > 0) {
        int i;

        for (i = 0; i < n; i++)
            vkPrint(sh, "%-15s %s\n", i == 0 ? "Messages:" : "", messages[i]);
    }
    g_strfreev(messages);
#endif
    return ret;
}

static const vkOptDef vkOptsDomstate[] = {
    { "domain", VK_OT_DATA, VK_OFLAG_REQ, "domain name, id or uuid" },
    { "reason", VK_OT_BOOL, 0, "also print reason for the state" },
    { NULL },
};

static const char *vkStateReason(int state, int reason)
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

static bool vkCmdDomstate(vkShell *sh, const vkCmd *cmd)
{
    g_autoptr(vkDomainRef) dom = NULL;
    int state;
    int reason;

    if (!(dom = vkLookupDomain(sh, cmd, NULL, VK_BYID | VK_BYUUID | VK_BYNAME)))
        return false;
    if ((state = vkDomainState(sh, dom, &reason)) < 0)
        return false;
    if (vkOptBool(cmd, "reason"))
        vkPrint(sh, "%s (%s)\n", vkDomainStateName(state), vkStateReason(state, reason));
    else
        vkPrint(sh, "%s\n", vkDomainStateName(state));
    return true;
}

const vkCmdDef vkMonitorCmds[] = {
    { "dominfo", vkCmdDominfo, vkOptsDominfo, "domain information",
      "Returns basic information about the domain.", 0 },
    { "domstate", vkCmdDomstate, vkOptsDomstate, "domain state", "Returns state about a domain.",
      0 },
    { "list", vkCmdList, vkOptsList, "list domains", "Returns list of domains.", 0 },
    { NULL },
};

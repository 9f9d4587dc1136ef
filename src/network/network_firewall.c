/* Firewall rules of isolated, nat and route networks: one policy, written as an nftables table
 * of the network's own, or as iptables chains where nft is not installed. */
#include <string.h>

#include "network_priv.h"

#define NFT_TABLE_PREFIX   "virtkit_"
#define IPT_FORWARD_PREFIX "VK_FWD_"
#define IPT_NAT_PREFIX     "VK_NAT_"
#define NAT_PORT_MIN       1024
#define NAT_PORT_MAX       65535

typedef enum {
    VERDICT_ACCEPT,
    VERDICT_REJECT,
    VERDICT_RETURN,
    VERDICT_MASQUERADE,
} Verdict;

/* One rule of the policy, before it is spelled for a backend. */
typedef struct {
    int family;        /* AF_INET, AF_INET6, or AF_UNSPEC for both */
    const char *in;    /* input interface, or NULL */
    const char *out;   /* output interface, or NULL */
    char *saddr;       /* "ADDR/PREFIX", or NULL */
    char *daddr;       /* "ADDR/PREFIX", or NULL */
    gboolean daddrNot; /* match destinations outside daddr */
    gboolean replies;  /* only connections already established (or related to one) */
    const char *proto; /* "tcp", "udp", or NULL */
    Verdict verdict;
    unsigned int portMin; /* masquerade source ports, 0 for any */
    unsigned int portMax;
} Rule;

static void ruleFree(gpointer data)
{
    Rule *rule = data;
    g_free(rule->saddr);
    g_free(rule->daddr);
    g_free(rule);
}

gboolean vkFirewallNeeded(const vkNetworkDef *def)
{
    /* open networks are promised no rules at all, and the modes without a bridge of ours
     * have nothing to protect. */
    return def->forward.type == VK_NETWORK_FORWARD_NONE ||
           def->forward.type == VK_NETWORK_FORWARD_NAT ||
           def->forward.type == VK_NETWORK_FORWARD_ROUTE;
}

static char *subnetOf(const vkNetworkIPDef *ip)
{
    int prefix = vkNetworkIPDefPrefix(ip);
    vkSocketAddr net;

    if (prefix < 0 || vkSocketAddrMaskByPrefix(&ip->address, prefix, &net) < 0)
        return NULL;
    g_autofree char *text = vkSocketAddrFormat(&net);
    return g_strdup_printf("%s/%d", text, prefix);
}

static Rule *ruleAdd(GPtrArray *rules, int family, const char *in, const char *out, Verdict verdict)
{
    Rule *rule = g_new0(Rule, 1);

    rule->family = family;
    rule->in = in;
    rule->out = out;
    rule->verdict = verdict;
    g_ptr_array_add(rules, rule);
    return rule;
}

/* The forward chain: guests may talk among themselves; a nat network lets its subnet out and
 * only replies in; a route network lets its subnet out and anything addressed to it in (and so
 * does nat for IPv6, which libvirt routes rather than masquerades); everything else crossing
 * the bridge is rejected, which is all an isolated network gets. */
static GPtrArray *forwardRules(const vkNetworkDef *def)
{
    GPtrArray *rules = g_ptr_array_new_with_free_func(ruleFree);
    const char *br = def->bridge.name;
    const char *dev = def->forward.dev;
    Rule *rule;

    ruleAdd(rules, AF_UNSPEC, br, br, VERDICT_ACCEPT);
    for (size_t i = 0; def->forward.type != VK_NETWORK_FORWARD_NONE && i < def->nips; i++) {
        const vkNetworkIPDef *ip = &def->ips[i];
        int family = ip->address.family;
        char *subnet = subnetOf(ip);

        if (!subnet)
            continue;
        rule = ruleAdd(rules, family, br, dev, VERDICT_ACCEPT);
        rule->saddr = subnet;
        rule = ruleAdd(rules, family, dev, br, VERDICT_ACCEPT);
        rule->daddr = g_strdup(subnet);
        rule->replies = def->forward.type == VK_NETWORK_FORWARD_NAT && family == AF_INET;
    }
    ruleAdd(rules, AF_UNSPEC, br, NULL, VERDICT_REJECT);
    ruleAdd(rules, AF_UNSPEC, NULL, br, VERDICT_REJECT);
    return rules;
}

/* The nat chain: masquerade what leaves an IPv4 subnet, except multicast and broadcast, with
 * TCP and UDP source ports from the <nat><port> range (1024-65535 by default). */
static GPtrArray *natRules(const vkNetworkDef *def)
{
    static const char *const keep[] = { "224.0.0.0/24", "255.255.255.255/32" };
    static const char *const protos[] = { "tcp", "udp", NULL };
    GPtrArray *rules = g_ptr_array_new_with_free_func(ruleFree);
    const char *dev = def->forward.dev;
    unsigned int portMin = def->forward.natPortStart ? def->forward.natPortStart : NAT_PORT_MIN;
    unsigned int portMax = def->forward.natPortEnd ? def->forward.natPortEnd : NAT_PORT_MAX;
    Rule *rule;

    if (def->forward.type != VK_NETWORK_FORWARD_NAT)
        return rules;
    for (size_t i = 0; i < def->nips; i++) {
        g_autofree char *subnet = NULL;

        if (def->ips[i].address.family != AF_INET || !(subnet = subnetOf(&def->ips[i])))
            continue;
        for (size_t k = 0; k < G_N_ELEMENTS(keep); k++) {
            rule = ruleAdd(rules, AF_INET, NULL, dev, VERDICT_RETURN);
            rule->saddr = g_strdup(subnet);
            rule->daddr = g_strdup(keep[k]);
        }
        for (size_t p = 0; p < G_N_ELEMENTS(protos); p++) {
            rule = ruleAdd(rules, AF_INET, NULL, dev, VERDICT_MASQUERADE);
            rule->saddr = g_strdup(subnet);
            rule->daddr = g_strdup(subnet);
            rule->daddrNot = TRUE;
            rule->proto = protos[p];
            if (protos[p]) {
                rule->portMin = portMin;
                rule->portMax = portMax;
            }
        }
    }
    return rules;
}

/* ---- nftables ---- */

static char *nftTable(const vkNetworkDef *def)
{
    /* Bridge names are unique among networks and limited to letters, digits, '_', '.' and
     * '-', all of which an nft identifier may hold after its first letter. */
    return g_strdup_printf(NFT_TABLE_PREFIX "%s", def->bridge.name);
}

static void nftRule(GString *out, const Rule *rule)
{
    const char *ipkw = rule->family == AF_INET6 ? "ip6" : "ip";

    g_string_append(out, "\t\t");
    if (rule->in)
        g_string_append_printf(out, "iifname \"%s\" ", rule->in);
    if (rule->out)
        g_string_append_printf(out, "oifname \"%s\" ", rule->out);
    if (rule->saddr)
        g_string_append_printf(out, "%s saddr %s ", ipkw, rule->saddr);
    if (rule->daddr)
        g_string_append_printf(out, "%s daddr %s%s ", ipkw, rule->daddrNot ? "!= " : "",
                               rule->daddr);
    if (rule->replies)
        g_string_append(out, "ct state established,related ");
    if (rule->proto)
        g_string_append_printf(out, "meta l4proto %s ", rule->proto);
    switch (rule->verdict) {
    case VERDICT_ACCEPT:
        g_string_append(out, "accept\n");
        break;
    case VERDICT_REJECT:
        g_string_append(out, "reject\n");
        break;
    case VERDICT_RETURN:
        g_string_append(out, "return\n");
        break;
    case VERDICT_MASQUERADE:
        if (rule->portMin)
            g_string_append_printf(out, "masquerade to :%u-%u\n", rule->portMin, rule->portMax);
        else
            g_string_append(out, "masquerade\n");
        break;
    }
}

static void nftChain(GString *out, const char *name, const char *hook, GPtrArray *rules)
{
    g_string_append_printf(out, "\tchain %s {\n\t\t%s; policy accept;\n", name, hook);
    for (guint i = 0; i < rules->len; i++)
        nftRule(out, g_ptr_array_index(rules, i));
    g_string_append(out, "\t}\n");
}

char *vkFirewallNftScript(const vkNetworkDef *def)
{
    g_autofree char *table = nftTable(def);
    g_autoptr(GPtrArray) forward = forwardRules(def);
    g_autoptr(GPtrArray) nat = natRules(def);
    GString *out = g_string_new(NULL);

    /* Declaring the table before deleting it makes the delete succeed whether or not a table
     * was left over, and nft applies the whole file as one transaction. */
    g_string_append_printf(out,
                           "# Written by virtkit for network '%s' at each start.\n"
                           "table inet %s\ndelete table inet %s\ntable inet %s {\n",
                           def->name, table, table, table);
    nftChain(out, "forward", "type filter hook forward priority filter", forward);
    if (nat->len)
        nftChain(out, "postrouting", "type nat hook postrouting priority srcnat", nat);
    g_string_append(out, "}\n");
    return g_string_free(out, FALSE);
}

static int nftApply(const vkNetworkDriverState *state, const vkNetworkDef *def)
{
    g_autofree char *nft = vkNetworkFindProgram("nft");
    g_autofree char *path = vkNetworkRunFile(state, def->name, "nft");
    g_autofree char *script = vkFirewallNftScript(def);
    const char *argv[] = { nft, "-f", path, NULL };

    if (!nft) {
        vkReportError(VK_NET_ERR, VIR_ERR_OPERATION_FAILED, "%s",
                      "nft is not installed (Debian package nftables)");
        return -1;
    }
    if (vkFileWriteRunState(path, script, -1, 0600) < 0)
        return -1;
    /* nft applies a file as one transaction: when it fails, nothing of it is installed. */
    if (vkNetworkRunCommand(argv) < 0) {
        virErrorPtr saved = vkSaveError();
        vkFileRemoveIfExists(path);
        vkRestoreError(saved);
        return -1;
    }
    return 0;
}

static int nftRemove(const vkNetworkDriverState *state, const vkNetworkDef *def)
{
    g_autofree char *nft = vkNetworkFindProgram("nft");
    g_autofree char *path = vkNetworkRunFile(state, def->name, "nft");
    g_autofree char *table = nftTable(def);
    g_autofree char *cmd = g_strdup_printf("add table inet %s; delete table inet %s", table, table);
    const char *argv[] = { nft, cmd, NULL };

    if (!nft) {
        vkReportError(VK_NET_ERR, VIR_ERR_OPERATION_FAILED,
                      "cannot remove nftables table '%s': nft is no longer installed", table);
        return -1;
    }
    if (vkNetworkRunCommand(argv) < 0)
        return -1;
    return vkFileRemoveIfExists(path);
}

/* ---- iptables ---- */

static void iptAddArgs(GPtrArray *argv, ...)
{
    va_list ap;
    const char *arg;

    va_start(ap, argv);
    while ((arg = va_arg(ap, const char *)))
        g_ptr_array_add(argv, g_strdup(arg));
    va_end(ap);
}

static GPtrArray *iptCommand(int family, const char *table)
{
    GPtrArray *argv = g_ptr_array_new_with_free_func(g_free);

    iptAddArgs(argv, family == AF_INET6 ? "ip6tables" : "iptables", "-w", NULL);
    if (table)
        iptAddArgs(argv, "-t", table, NULL);
    return argv;
}

static void iptPush(GPtrArray *commands, GPtrArray *argv)
{
    g_ptr_array_add(argv, NULL);
    g_ptr_array_add(commands, g_ptr_array_free(argv, FALSE));
}

static void iptRule(GPtrArray *commands, int family, const char *table, const char *chain,
                    const Rule *rule)
{
    static const char *const targets[] = { "ACCEPT", "REJECT", "RETURN", "MASQUERADE" };
    GPtrArray *argv = iptCommand(family, table);

    iptAddArgs(argv, "-A", chain, NULL);
    if (rule->in)
        iptAddArgs(argv, "-i", rule->in, NULL);
    if (rule->out)
        iptAddArgs(argv, "-o", rule->out, NULL);
    if (rule->saddr)
        iptAddArgs(argv, "-s", rule->saddr, NULL);
    if (rule->daddr && rule->daddrNot)
        iptAddArgs(argv, "!", NULL);
    if (rule->daddr)
        iptAddArgs(argv, "-d", rule->daddr, NULL);
    if (rule->proto)
        iptAddArgs(argv, "-p", rule->proto, NULL);
    if (rule->replies)
        iptAddArgs(argv, "-m", "conntrack", "--ctstate", "ESTABLISHED,RELATED", NULL);
    iptAddArgs(argv, "-j", targets[rule->verdict], NULL);
    if (rule->portMin) {
        g_autofree char *ports = g_strdup_printf("%u-%u", rule->portMin, rule->portMax);
        iptAddArgs(argv, "--to-ports", ports, NULL);
    }
    iptPush(commands, argv);
}

/* One chain of ours in TABLE, jumped to from the built-in chain HOOK. The jump goes in last
 * when adding, and first when removing, so traffic never meets a half-built chain. */
static void iptChain(GPtrArray *commands, int family, const char *table, const char *hook,
                     const char *chain, GPtrArray *rules, gboolean remove)
{
    GPtrArray *argv;

    if (remove) {
        argv = iptCommand(family, table);
        iptAddArgs(argv, "-D", hook, "-j", chain, NULL);
        iptPush(commands, argv);
        argv = iptCommand(family, table);
        iptAddArgs(argv, "-F", chain, NULL);
        iptPush(commands, argv);
        argv = iptCommand(family, table);
        iptAddArgs(argv, "-X", chain, NULL);
        iptPush(commands, argv);
        return;
    }
    argv = iptCommand(family, table);
    iptAddArgs(argv, "-N", chain, NULL);
    iptPush(commands, argv);
    for (guint i = 0; i < rules->len; i++) {
        const Rule *rule = g_ptr_array_index(rules, i);
        if (rule->family == AF_UNSPEC || rule->family == family)
            iptRule(commands, family, table, chain, rule);
    }
    argv = iptCommand(family, table);
    iptAddArgs(argv, "-I", hook, "-j", chain, NULL);
    iptPush(commands, argv);
}

GPtrArray *vkFirewallIptablesCommands(const vkNetworkDef *def, gboolean remove)
{
    static const int families[] = { AF_INET, AF_INET6 };
    GPtrArray *commands = g_ptr_array_new_with_free_func((GDestroyNotify)g_strfreev);
    g_autoptr(GPtrArray) forward = forwardRules(def);
    g_autoptr(GPtrArray) nat = natRules(def);
    g_autofree char *fwdChain = g_strdup_printf(IPT_FORWARD_PREFIX "%s", def->bridge.name);
    g_autofree char *natChain = g_strdup_printf(IPT_NAT_PREFIX "%s", def->bridge.name);

    for (size_t i = 0; i < G_N_ELEMENTS(families); i++)
        iptChain(commands, families[i], NULL, "FORWARD", fwdChain, forward, remove);
    if (nat->len)
        iptChain(commands, AF_INET, "nat", "POSTROUTING", natChain, nat, remove);
    return commands;
}

/* Runs COMMANDS; with TOLERANT, failures (rules already gone) are ignored. */
static int iptRun(GPtrArray *commands, gboolean tolerant)
{
    for (guint i = 0; i < commands->len; i++) {
        char **argv = g_ptr_array_index(commands, i);
        g_autofree char *path = vkNetworkFindProgram(argv[0]);
        g_autofree const char **resolved = NULL;

        if (!path && tolerant)
            continue;
        if (!path) {
            vkReportError(VK_NET_ERR, VIR_ERR_OPERATION_FAILED, "%s is not installed", argv[0]);
            return -1;
        }
        resolved = g_new0(const char *, g_strv_length(argv) + 1);
        resolved[0] = path;
        for (guint j = 1; argv[j]; j++)
            resolved[j] = argv[j];
        if (vkNetworkRunCommand(resolved) < 0) {
            if (!tolerant)
                return -1;
            vkResetLastError();
        }
    }
    return 0;
}

static int iptApply(const vkNetworkDef *def)
{
    g_autoptr(GPtrArray) remove = vkFirewallIptablesCommands(def, TRUE);
    g_autoptr(GPtrArray) add = vkFirewallIptablesCommands(def, FALSE);

    /* Chains left over from a crash would make -N fail. */
    iptRun(remove, TRUE);
    if (iptRun(add, FALSE) < 0) {
        virErrorPtr saved = vkSaveError();
        iptRun(remove, TRUE);
        vkRestoreError(saved);
        return -1;
    }
    return 0;
}

/* ---- the backend-neutral calls ---- */

void vkFirewallFillLiveDefaults(vkNetworkDef *def)
{
    /* libvirt records the source port range it masquerades with in the live definition, so
     * that the running XML shows what is in force. */
    if (def->forward.type == VK_NETWORK_FORWARD_NAT && !def->forward.natPortStart &&
        !def->forward.natPortEnd && vkNetworkDefGetIP(def, AF_INET, 0)) {
        def->forward.natPortStart = NAT_PORT_MIN;
        def->forward.natPortEnd = NAT_PORT_MAX;
    }
}

int vkFirewallSelectBackend(const vkNetworkDef *def, int *backend)
{
    g_autofree char *nft = NULL;
    g_autofree char *iptables = NULL;

    *backend = VK_NETWORK_FIREWALL_NONE;
    if (!vkFirewallNeeded(def))
        return 0;
    if ((nft = vkNetworkFindProgram("nft"))) {
        *backend = VK_NETWORK_FIREWALL_NFT;
        return 0;
    }
    if ((iptables = vkNetworkFindProgram("iptables"))) {
        *backend = VK_NETWORK_FIREWALL_IPTABLES;
        return 0;
    }
    vkReportError(VK_NET_ERR, VIR_ERR_OPERATION_FAILED,
                  "network '%s' needs firewall rules, but neither nft (Debian package nftables) "
                  "nor iptables is installed",
                  def->name);
    return -1;
}

int vkFirewallApply(const vkNetworkDriverState *state, const vkNetworkDef *def, int backend)
{
    int rc = 0;

    if (backend == VK_NETWORK_FIREWALL_NFT)
        rc = nftApply(state, def);
    else if (backend == VK_NETWORK_FIREWALL_IPTABLES)
        rc = iptApply(def);
    if (rc < 0)
        vkNetworkErrorPrefix("cannot install the firewall rules of network '%s'", def->name);
    return rc;
}

int vkFirewallRemove(const vkNetworkDriverState *state, const vkNetworkDef *def, int backend)
{
    if (backend == VK_NETWORK_FIREWALL_NFT && nftRemove(state, def) < 0) {
        vkNetworkErrorPrefix("cannot remove the firewall rules of network '%s'", def->name);
        return -1;
    }
    if (backend == VK_NETWORK_FIREWALL_IPTABLES) {
        g_autoptr(GPtrArray) remove = vkFirewallIptablesCommands(def, TRUE);
        iptRun(remove, TRUE);
    }
    return 0;
}

/* The procedure table against the protocol description: every procedure number in
 * rpc_protocol.x has exactly one row with the enum's name, rows are sorted and unique, and the
 * flags make sense together. */
#include <string.h>

#include "rpc/rpc_procs.h"

/* NAME = NUMBER pairs of one enum block of the .x file (prefix PREFIX). */
static GHashTable *parseEnum(const char *prefix)
{
    g_autofree char *text = NULL;
    g_autoptr(GError) gerr = NULL;
    g_autoptr(GRegex) re = NULL;
    g_autoptr(GMatchInfo) mi = NULL;
    g_autofree char *pattern = g_strdup_printf("^\\s*%s([A-Z0-9_]+)\\s*=\\s*([0-9]+)", prefix);
    GHashTable *map = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);

    g_file_get_contents(VK_RPC_PROTOCOL_X, &text, NULL, &gerr);
    g_assert_no_error(gerr);
    re = g_regex_new(pattern, G_REGEX_MULTILINE, 0, &gerr);
    g_assert_no_error(gerr);
    g_regex_match(re, text, 0, &mi);
    while (g_match_info_matches(mi)) {
        g_autofree char *name = g_match_info_fetch(mi, 1);
        g_autofree char *num = g_match_info_fetch(mi, 2);
        g_assert_false(g_hash_table_contains(map, name));
        g_hash_table_insert(map, g_steal_pointer(&name),
                            GINT_TO_POINTER((int)g_ascii_strtoll(num, NULL, 10)));
        g_match_info_next(mi, NULL);
    }
    return map;
}

static void checkProgram(const vkRpcProgram *program, const char *prefix, size_t expected)
{
    g_autoptr(GHashTable) names = parseEnum(prefix);

    g_assert_cmpuint(program->nprocs, ==, g_hash_table_size(names));
    g_assert_cmpuint(program->nprocs, ==, expected);
    for (size_t i = 0; i < program->nprocs; i++) {
        const vkRpcProc *p = &program->procs[i];
        gpointer num;

        if (i > 0)
            g_assert_cmpint(program->procs[i - 1].proc, <, p->proc);
        g_assert_true(g_hash_table_lookup_extended(names, p->name, NULL, &num));
        g_assert_cmpint(GPOINTER_TO_INT(num), ==, p->proc);
        g_assert_true(vkRpcProgramLookup(program, p->proc) == p);
        /* A codec and its size come together. */
        g_assert_true((p->args == NULL) == (p->argsSize == 0));
        g_assert_true((p->ret == NULL) == (p->retSize == 0));
        if (p->flags & VK_RPC_PROC_EVENT) {
            g_assert_nonnull(p->args);
            g_assert_null(p->ret);
            g_assert_cmpuint(p->flags, ==, VK_RPC_PROC_EVENT);
        }
        if (p->flags & VK_RPC_PROC_NOAUTH)
            g_assert_true(g_str_has_prefix(p->name, "AUTH_"));
    }
    g_assert_null(vkRpcProgramLookup(program, 0));
    g_assert_null(vkRpcProgramLookup(program, -1));
    g_assert_null(vkRpcProgramLookup(program, 100000));
}

static void testRemote(void)
{
    /* 89 procedures real clients need, plus the rest of virtkit's public API (the four of
     * storage pool events, the five of migration and the two of metadata included). */
    checkProgram(&vkRpcRemoteProgram, "VKR_PROC_", 134);
    g_assert_cmphex(vkRpcRemoteProgram.prog, ==, 0x20008086);
    g_assert_true(vkRpcProgramFind(0x20008086, 1) == &vkRpcRemoteProgram);
}

static void testQemu(void)
{
    checkProgram(&vkRpcQemuProgram, "VKQ_PROC_", 1);
    g_assert_true(vkRpcProgramFind(0x20008087, 1) == &vkRpcQemuProgram);
    g_assert_null(vkRpcProgramFind(0x20008087, 2));
    g_assert_null(vkRpcProgramFind(VKRPC_KEEPALIVE_PROGRAM, 1));
}

/* Spot checks of numbers and of libvirt's read-only policy. */
static void testKnownRows(void)
{
    const struct {
        int proc;
        const char *name;
        gboolean readonly;
    } known[] = {
        { 1, "CONNECT_OPEN", TRUE },
        { 23, "DOMAIN_LOOKUP_BY_NAME", TRUE },
        { 34, "DOMAIN_SUSPEND", FALSE },
        { 66, "AUTH_LIST", TRUE },
        { 201, "DOMAIN_OPEN_CONSOLE", FALSE },
        { 273, "CONNECT_LIST_ALL_DOMAINS", TRUE },
        { 316, "CONNECT_DOMAIN_EVENT_CALLBACK_REGISTER_ANY", TRUE },
        { 342, "CONNECT_GET_DOMAIN_CAPABILITIES", FALSE },
        { 394, "CONNECT_BASELINE_HYPERVISOR_CPU", FALSE },
        { 437, "NETWORK_CREATE_XML_FLAGS", FALSE },
    };

    for (size_t i = 0; i < G_N_ELEMENTS(known); i++) {
        const vkRpcProc *p = vkRpcProgramLookup(&vkRpcRemoteProgram, known[i].proc);
        g_assert_nonnull(p);
        g_assert_cmpstr(p->name, ==, known[i].name);
        g_assert_cmpint(!!(p->flags & VK_RPC_PROC_READONLY), ==, known[i].readonly);
    }
    g_assert_true(vkRpcProgramLookup(&vkRpcRemoteProgram, 318)->flags & VK_RPC_PROC_EVENT);
    g_assert_true(vkRpcProgramLookup(&vkRpcRemoteProgram, 66)->flags & VK_RPC_PROC_NOAUTH);
    g_assert_false(vkRpcProgramLookup(&vkRpcRemoteProgram, 1)->flags & VK_RPC_PROC_NOAUTH);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/rpc/procs/remote", testRemote);
    g_test_add_func("/rpc/procs/qemu", testQemu);
    g_test_add_func("/rpc/procs/known-rows", testKnownRows);
    return g_test_run();
}

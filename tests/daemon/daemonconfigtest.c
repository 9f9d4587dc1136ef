/* The example virtkitd.conf (daemon/virtkitd.conf) documents every key virtkitd knows with its
 * default: as shipped (all commented) it gives the defaults, and with every setting uncommented
 * it is accepted. */
#include <glib/gstdio.h>
#include <string.h>
#include <unistd.h>

#include "daemon_config.h"
#include "util/vkerror.h"

static const char *example;

static void testShippedIsDefaults(void)
{
    g_autoptr(vkDaemonConfig) cfg = vkDaemonConfigLoad(example, FALSE);
    g_autoptr(vkDaemonConfig) def = vkDaemonConfigNew();

    g_assert_nonnull(cfg);
    g_assert_cmpint(cfg->listenTLS, ==, def->listenTLS);
    g_assert_cmpint(cfg->listenTCP, ==, def->listenTCP);
    g_assert_cmpuint(cfg->maxClients, ==, def->maxClients);
    g_assert_cmpint(cfg->keepaliveInterval, ==, def->keepaliveInterval);
    g_assert_cmpuint(cfg->unixSockRoPerms, ==, def->unixSockRoPerms);
}

static void testEveryKeyDocumented(void)
{
    g_autofree char *text = NULL;
    g_autoptr(GString) uncommented = g_string_new(NULL);
    g_auto(GStrv) lines = NULL;
    g_autofree char *path = NULL;
    g_autoptr(vkDaemonConfig) cfg = NULL;
    g_autoptr(GHashTable) seen = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    GError *gerr = NULL;
    int fd;

    g_assert_true(g_file_get_contents(example, &text, NULL, NULL));
    lines = g_strsplit(text, "\n", -1);
    /* "#key = value" is a setting; "# words" is prose */
    for (char **l = lines; *l; l++) {
        if (g_ascii_isalpha((*l)[0]) || ((*l)[0] == '#' && g_ascii_isalpha((*l)[1]))) {
            const char *line = (*l)[0] == '#' ? *l + 1 : *l;
            g_string_append_printf(uncommented, "%s\n", line);
            g_hash_table_add(seen, g_strndup(line, strcspn(line, " =")));
        }
    }
    for (const char *const *key = vkDaemonConfigKeys(); *key; key++) {
        if (!g_hash_table_contains(seen, *key))
            g_error("daemon/virtkitd.conf does not document '%s'", *key);
    }
    g_assert_cmpuint(g_hash_table_size(seen), ==, g_strv_length((GStrv)vkDaemonConfigKeys()));

    fd = g_file_open_tmp("virtkitd-XXXXXX.conf", &path, &gerr);
    g_assert_no_error(gerr);
    close(fd);
    g_assert_true(g_file_set_contents(path, uncommented->str, -1, NULL));
    cfg = vkDaemonConfigLoad(path, FALSE);
    if (!cfg)
        g_error("the example, uncommented, is refused: %s", virGetLastErrorMessage());
    g_assert_nonnull(cfg->tlsAllowedDNList);
    g_unlink(path);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    example = g_getenv("VIRTKITD_CONF");
    g_assert_nonnull(example);
    g_test_add_func("/daemon/config/shipped-is-defaults", testShippedIsDefaults);
    g_test_add_func("/daemon/config/every-key-documented", testEveryKeyDocumented);
    return g_test_run();
}

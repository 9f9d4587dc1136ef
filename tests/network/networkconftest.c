/* Golden-file tests of the dnsmasq config, nft script and iptables commands generated from
 * tests/data/network-driver/NAME.xml; VIRTKIT_TEST_REGENERATE=1 rewrites the expected files. */
#include <string.h>

#include <glib/gstdio.h>

#include "network/network_priv.h"

static gboolean regenerate;

static void compareOrWrite(const char *path, const char *actual)
{
    g_autofree char *expected = NULL;

    if (regenerate) {
        if (actual)
            g_assert_true(g_file_set_contents(path, actual, -1, NULL));
        else
            g_unlink(path);
        return;
    }
    if (!g_file_get_contents(path, &expected, NULL, NULL))
        expected = NULL;
    if (!actual && expected)
        g_error("%s: nothing generated, but the file expects output", path);
    if (actual && !expected)
        g_error("%s: missing; generated:\n%s", path, actual);
    if (actual && strcmp(actual, expected) != 0)
        g_error("%s differs; generated:\n%s", path, actual);
}

static char *iptablesText(const vkNetworkDef *def)
{
    GString *out = g_string_new("# add\n");

    for (int remove = 0; remove <= 1; remove++) {
        g_autoptr(GPtrArray) commands = vkFirewallIptablesCommands(def, remove);

        if (remove)
            g_string_append(out, "# remove\n");
        for (guint i = 0; i < commands->len; i++) {
            g_autofree char *line = g_strjoinv(" ", g_ptr_array_index(commands, i));
            g_string_append_printf(out, "%s\n", line);
        }
    }
    return g_string_free(out, FALSE);
}

static void testCase(gconstpointer data)
{
    const char *name = data;
    g_autofree char *base = g_build_filename(VK_TEST_DATA_DIR, name, NULL);
    g_autofree char *xmlPath = g_strdup_printf("%s.xml", base);
    g_autofree char *xml = NULL;
    g_autoptr(vkNetworkDef) def = NULL;
    g_autofree char *pidFile = g_strdup_printf("/run/virtkit/network/%s.pid", name);
    g_autofree char *leaseFile = g_strdup_printf("/run/virtkit/network/%s.leases", name);
    g_autofree char *dnsmasq = NULL;
    g_autofree char *nft = NULL;
    g_autofree char *ipt = NULL;
    g_autofree char *path = NULL;

    g_assert_true(g_file_get_contents(xmlPath, &xml, NULL, NULL));
    def = vkNetworkDefParseString(xml, 0);
    if (!def)
        g_error("%s: %s", xmlPath, virGetLastError()->message);

    if (vkDnsmasqNeeded(def))
        dnsmasq = vkDnsmasqConfFormat(def, pidFile, leaseFile);
    path = g_strdup_printf("%s.dnsmasq", base);
    compareOrWrite(path, dnsmasq);

    if (vkFirewallNeeded(def)) {
        nft = vkFirewallNftScript(def);
        ipt = iptablesText(def);
    }
    g_free(path);
    path = g_strdup_printf("%s.nft", base);
    compareOrWrite(path, nft);
    g_free(path);
    path = g_strdup_printf("%s.iptables", base);
    compareOrWrite(path, ipt);
}

static int compareNames(gconstpointer a, gconstpointer b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

int main(int argc, char **argv)
{
    g_autoptr(GDir) dir = NULL;
    g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func(g_free);
    const char *entry;

    g_test_init(&argc, &argv, NULL);
    regenerate = g_strcmp0(g_getenv("VIRTKIT_TEST_REGENERATE"), "1") == 0;

    dir = g_dir_open(VK_TEST_DATA_DIR, 0, NULL);
    g_assert_nonnull(dir);
    while ((entry = g_dir_read_name(dir))) {
        if (g_str_has_suffix(entry, ".xml"))
            g_ptr_array_add(names, g_strndup(entry, strlen(entry) - 4));
    }
    g_ptr_array_sort(names, compareNames);
    for (guint i = 0; i < names->len; i++) {
        const char *name = g_ptr_array_index(names, i);
        g_autofree char *path = g_strdup_printf("/network/conf/%s", name);
        g_test_add_data_func(path, name, testCase);
    }
    return g_test_run();
}

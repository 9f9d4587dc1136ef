/* Tests for vkconf, the virConf syntax reader: lists kept with their elements, names in file
 * order, the first of two settings winning, and the typed getters' errors with their line. */
#include <string.h>

#include "testutil.h"
#include "util/vkconf.h"

static vkConf *parse(const char *text)
{
    vkConf *conf = vkConfParse("t.conf", text, strlen(text));

    g_assert_nonnull(conf);
    return conf;
}

static void testLists(void)
{
    g_autoptr(vkConf) conf = parse("a = [ \"x\",\n  'y', ]\nb = \"one\"\nc = []\n");
    g_auto(GStrv) a = NULL, b = NULL, c = NULL;

    g_assert_cmpint(vkConfGetStringList(conf, "a", &a), ==, 0);
    g_assert_cmpint(g_strv_length(a), ==, 2);
    g_assert_cmpstr(a[0], ==, "x");
    g_assert_cmpstr(a[1], ==, "y");
    /* a single string is a list of one, as libvirt's compatString reading */
    g_assert_cmpint(vkConfGetStringList(conf, "b", &b), ==, 0);
    g_assert_cmpint(g_strv_length(b), ==, 1);
    g_assert_cmpint(vkConfGetStringList(conf, "c", &c), ==, 0);
    g_assert_cmpint(g_strv_length(c), ==, 0);
    g_assert_cmpint(vkConfLookup(conf, "a")->line, ==, 1);
    g_assert_cmpint(vkConfLookup(conf, "b")->line, ==, 3);
}

static void testKeysInOrder(void)
{
    g_autoptr(vkConf) conf = parse("# comment\nzeta = 1\nalpha = 2; mid = 'm'\nzeta = 3\n");
    const char *const *keys = vkConfKeys(conf);
    int zeta = 0;

    g_assert_cmpint(g_strv_length((GStrv)keys), ==, 3);
    g_assert_cmpstr(keys[0], ==, "zeta");
    g_assert_cmpstr(keys[1], ==, "alpha");
    g_assert_cmpstr(keys[2], ==, "mid");
    g_assert_cmpint(vkConfGetInt(conf, "zeta", &zeta), ==, 0);
    g_assert_cmpint(zeta, ==, 1);
}

static void testGetterErrors(void)
{
    g_autoptr(vkConf) conf = parse("s = 5\nl = [ 1 ]\nn = -3000000000\nb = 2\nu = -1\n");
    g_autofree char *s = NULL;
    g_auto(GStrv) l = NULL;
    int n = 0;
    gboolean b = FALSE;
    unsigned int u = 0;

    g_assert_cmpint(vkConfGetString(conf, "s", &s), ==, -1);
    assertLastError(VIR_ERR_INTERNAL_ERROR, "t.conf:1: expected a string for 's' parameter");
    g_assert_cmpint(vkConfGetStringList(conf, "l", &l), ==, -1);
    assertLastError(VIR_ERR_INTERNAL_ERROR, "t.conf:2: expected a string list for 'l'");
    g_assert_cmpint(vkConfGetInt(conf, "n", &n), ==, -1);
    assertLastError(VIR_ERR_INTERNAL_ERROR, "t.conf:3: value for 'n' parameter must be in range");
    g_assert_cmpint(vkConfGetBool(conf, "b", &b), ==, -1);
    assertLastError(VIR_ERR_INTERNAL_ERROR, "t.conf:4: value for 'b' parameter must be 0 or 1");
    g_assert_cmpint(vkConfGetUInt(conf, "u", &u), ==, -1);
    assertLastError(VIR_ERR_INTERNAL_ERROR, "t.conf:5: expected an unsigned integer for 'u'");
    /* unset keys leave the default */
    u = 7;
    g_assert_cmpint(vkConfGetUInt(conf, "missing", &u), ==, 0);
    g_assert_cmpint(u, ==, 7);
}

static void testSyntaxError(void)
{
    const char *text = "a = 1\nb = [ \"x\" \"y\" ]\n";

    g_assert_null(vkConfParse("t.conf", text, strlen(text)));
    assertLastError(VIR_ERR_CONF_SYNTAX, "t.conf:2: expecting a separator in list");
}

static void testMissingFile(void)
{
    g_autoptr(vkConf) conf = vkConfReadFile("/nonexistent/vkconftest.conf", TRUE);

    g_assert_nonnull(conf);
    g_assert_cmpint(g_strv_length((GStrv)vkConfKeys(conf)), ==, 0);
    g_assert_null(vkConfReadFile("/nonexistent/vkconftest.conf", FALSE));
    assertLastError(VIR_ERR_SYSTEM_ERROR, "/nonexistent/vkconftest.conf");
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/vkconf/lists", testLists);
    g_test_add_func("/vkconf/keys-in-order", testKeysInOrder);
    g_test_add_func("/vkconf/getter-errors", testGetterErrors);
    g_test_add_func("/vkconf/syntax-error", testSyntaxError);
    g_test_add_func("/vkconf/missing-file", testMissingFile);
    return g_test_run();
}

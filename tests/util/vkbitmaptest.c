/* Tests for vkbitmap: libvirt's textual sets of numbers ("0-3,^2,8") in both directions, and
 * what is refused (out of range, malformed, descending ranges). */
#include "util/vkbitmap.h"

static void checkRoundTrip(const char *in, unsigned int size, const char *canonical)
{
    g_autoptr(vkBitmap) map = vkBitmapParse(in, size);
    g_autofree char *out = NULL;

    if (!map)
        g_error("'%s' did not parse", in);
    out = vkBitmapFormat(map);
    g_assert_cmpstr(out, ==, canonical);
}

static void testParseFormat(void)
{
    checkRoundTrip("0", 8, "0");
    checkRoundTrip("0-3", 8, "0-3");
    checkRoundTrip("3,1,2,0", 8, "0-3");
    checkRoundTrip(" 1 - 2 , 5 ", 8, "1-2,5");
    checkRoundTrip("0-7,^3", 8, "0-2,4-7");
    checkRoundTrip("0-7,^0,^7", 8, "1-6");
    checkRoundTrip("1,3,5,6,7", 8, "1,3,5-7");
    checkRoundTrip("^2", 8, "");
    checkRoundTrip("4095", 4096, "4095");
    checkRoundTrip("1,", 8, "1"); /* libvirt accepts a trailing comma */
}

static void testRefused(void)
{
    const char *bad[] = { "",
                          " ",
                          "8",
                          "0-8",
                          "3-1",
                          "a",
                          "1,,2",
                          "-1",
                          "^1-2",
                          "1 2",
                          "0x1",
                          "1-",
                          "99999999999999999999" };

    for (size_t i = 0; i < G_N_ELEMENTS(bad); i++) {
        if (vkBitmapParse(bad[i], 8))
            g_error("'%s' was accepted", bad[i]);
    }
    g_assert_null(vkBitmapParse(NULL, 8));
}

static void testOperations(void)
{
    g_autoptr(vkBitmap) a = vkBitmapNew(10);
    g_autoptr(vkBitmap) b = NULL;
    g_autoptr(vkBitmap) c = vkBitmapParse("0-9", 10);

    g_assert_true(vkBitmapSet(a, 2));
    g_assert_true(vkBitmapSet(a, 9));
    g_assert_false(vkBitmapSet(a, 10));
    g_assert_cmpuint(vkBitmapCount(a), ==, 2);
    g_assert_cmpint(vkBitmapNextSet(a, -1), ==, 2);
    g_assert_cmpint(vkBitmapNextSet(a, 2), ==, 9);
    g_assert_cmpint(vkBitmapNextSet(a, 9), ==, -1);
    g_assert_false(vkBitmapIsSet(a, 100));
    b = vkBitmapCopy(a);
    g_assert_true(vkBitmapEqual(a, b));
    vkBitmapSet(b, 3);
    g_assert_false(vkBitmapEqual(a, b));
    g_assert_false(vkBitmapIsAllSet(a));
    g_assert_true(vkBitmapIsAllSet(c));
    g_assert_cmpuint(vkBitmapSize(c), ==, 10);
    g_assert_true(vkBitmapEqual(NULL, NULL));
    g_assert_false(vkBitmapEqual(a, NULL));
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/bitmap/parse-format", testParseFormat);
    g_test_add_func("/bitmap/refused", testRefused);
    g_test_add_func("/bitmap/operations", testOperations);
    return g_test_run();
}

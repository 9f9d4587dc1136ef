/* Storage pool and volume XML model tests: the corpora in tests/data/storagepool/ and
 * tests/data/storagevol/ (input, expected output, and the expected output formats to itself),
 * and documents that must be refused with libvirt's code and message. */
#include <string.h>

#include "conf/storage_conf.h"
#include "util/vkerror.h"

static const char *dataDir;

/* VK_TEST_REGENERATE=1 rewrites expected files instead of comparing; review the diff. */
static gboolean regenerate(void)
{
    const char *v = g_getenv("VK_TEST_REGENERATE");
    return v && g_str_equal(v, "1");
}

static char *readFile(const char *path)
{
    g_autoptr(GError) err = NULL;
    char *contents = NULL;

    if (!g_file_get_contents(path, &contents, NULL, &err))
        g_error("%s", err->message);
    return contents;
}

static void checkOrWrite(const char *path, const char *actual)
{
    g_autofree char *expected = NULL;

    if (regenerate()) {
        g_assert_true(g_file_set_contents(path, actual, -1, NULL));
        return;
    }
    expected = readFile(path);
    g_assert_cmpstr(actual, ==, expected);
}

static char *poolRoundTrip(const char *xml)
{
    g_autoptr(vkStoragePoolDef) def = NULL;

    vkResetLastError();
    if (!(def = vkStoragePoolDefParseString(xml)))
        g_error("parse failed: %s", virGetLastErrorMessage());
    return vkStoragePoolDefFormat(def);
}

static char *volRoundTrip(const char *xml)
{
    g_autoptr(vkStorageVolDef) def = NULL;

    vkResetLastError();
    if (!(def = vkStorageVolDefParseString(xml, VK_STORAGE_POOL_DIR)))
        g_error("parse failed: %s", virGetLastErrorMessage());
    return vkStorageVolDefFormat(def);
}

static void testCase(gconstpointer data)
{
    const char *rel = data; /* "storagepool/NAME" or "storagevol/NAME" */
    gboolean pool = g_str_has_prefix(rel, "storagepool/");
    g_autofree char *in = g_strdup_printf("%s/%s.xml", dataDir, rel);
    g_autofree char *out = g_strdup_printf("%s/%s.out.xml", dataDir, rel);
    g_autofree char *xml = readFile(in);
    g_autofree char *formatted = pool ? poolRoundTrip(xml) : volRoundTrip(xml);
    g_autofree char *expected = NULL;
    g_autofree char *again = NULL;

    checkOrWrite(out, formatted);
    /* Formatting is the inverse of parsing: the output parses back to itself. */
    expected = readFile(out);
    again = pool ? poolRoundTrip(expected) : volRoundTrip(expected);
    g_assert_cmpstr(again, ==, expected);
}

typedef struct {
    const char *name;
    gboolean pool;
    const char *xml;
    int code;
    const char *message;
} InvalidCase;

static const InvalidCase invalidCases[] = {
    { "pool-type-unknown", TRUE,
      "<pool type='nosuch'><name>p</name><target><path>/p</path></target></pool>",
      VIR_ERR_XML_ERROR, "Invalid value for attribute 'type' in element 'pool': 'nosuch'." },
    { "pool-type-missing", TRUE, "<pool><name>p</name></pool>", VIR_ERR_XML_ERROR,
      "Missing required attribute 'type' in element 'pool'" },
    { "pool-name-slash", TRUE,
      "<pool type='dir'><name>a/b</name><target><path>/p</path></target></pool>", VIR_ERR_XML_ERROR,
      "name a/b cannot contain '/'" },
    { "pool-name-missing", TRUE, "<pool type='dir'><target><path>/p</path></target></pool>",
      VIR_ERR_XML_ERROR, "missing pool source name element" },
    { "pool-target-missing", TRUE, "<pool type='dir'><name>p</name></pool>", VIR_ERR_XML_ERROR,
      "missing storage pool target path" },
    { "pool-uuid-bad", TRUE,
      "<pool type='dir'><name>p</name><uuid>nope</uuid><target><path>/p</path></target></pool>",
      VIR_ERR_XML_ERROR, "malformed uuid element" },
    { "pool-fs-no-device", TRUE,
      "<pool type='fs'><name>p</name><target><path>/p</path></target></pool>", VIR_ERR_XML_ERROR,
      "missing storage pool source device name" },
    { "pool-fs-format-bad", TRUE,
      "<pool type='fs'><name>p</name><source><device path='/dev/x'/><format type='zz'/>"
      "</source><target><path>/p</path></target></pool>",
      VIR_ERR_XML_ERROR, "unknown pool format type zz" },
    { "pool-mode-bad", TRUE,
      "<pool type='dir'><name>p</name><target><path>/p</path><permissions><mode>999</mode>"
      "</permissions></target></pool>",
      VIR_ERR_XML_ERROR, "malformed octal mode" },
    { "vol-name-missing", FALSE, "<volume><capacity>1</capacity></volume>", VIR_ERR_XML_ERROR,
      "missing volume name element" },
    { "vol-capacity-missing", FALSE, "<volume><name>v</name></volume>", VIR_ERR_XML_ERROR,
      "missing capacity element" },
    { "vol-format-unknown", FALSE,
      "<volume><name>v</name><capacity>1</capacity><target><format type='zz'/></target>"
      "</volume>",
      VIR_ERR_CONFIG_UNSUPPORTED, "unknown volume format type zz" },
    { "vol-type-unknown", FALSE, "<volume type='zz'><name>v</name><capacity>1</capacity></volume>",
      VIR_ERR_CONFIG_UNSUPPORTED, "unknown volume type 'zz'" },
    { "vol-unit-unknown", FALSE,
      "<volume><name>v</name><capacity unit='parsecs'>1</capacity></volume>", VIR_ERR_INVALID_ARG,
      "unknown suffix 'parsecs'" },
    { "vol-capacity-negative", FALSE, "<volume><name>v</name><capacity>-1</capacity></volume>",
      VIR_ERR_XML_ERROR, "malformed capacity element" },
    { "vol-capacity-overflow", FALSE,
      "<volume><name>v</name><capacity unit='E'>100</capacity></volume>", VIR_ERR_OVERFLOW,
      "value too large" },
};

static void testInvalid(gconstpointer data)
{
    const InvalidCase *c = data;
    virErrorPtr err;

    vkResetLastError();
    if (c->pool) {
        g_autoptr(vkStoragePoolDef) def = vkStoragePoolDefParseString(c->xml);
        g_assert_null(def);
    } else {
        g_autoptr(vkStorageVolDef) def = vkStorageVolDefParseString(c->xml, VK_STORAGE_POOL_DIR);
        g_assert_null(def);
    }
    err = virGetLastError();
    g_assert_nonnull(err);
    g_assert_cmpint(err->code, ==, c->code);
    g_assert_cmpint(err->domain, ==, VIR_FROM_STORAGE);
    if (!strstr(err->message, c->message))
        g_error("message '%s' lacks '%s'", err->message, c->message);
}

static void addCorpus(const char *kind)
{
    g_autofree char *dir = g_build_filename(dataDir, kind, NULL);
    g_autoptr(GDir) d = g_dir_open(dir, 0, NULL);
    g_autoptr(GPtrArray) names = g_ptr_array_new();
    const char *entry;

    g_assert_nonnull(d);
    while ((entry = g_dir_read_name(d))) {
        if (g_str_has_suffix(entry, ".xml") && !g_str_has_suffix(entry, ".out.xml"))
            g_ptr_array_add(names, g_strndup(entry, strlen(entry) - 4));
    }
    g_ptr_array_sort(names, (GCompareFunc)g_strcmp0);
    for (guint i = 0; i < names->len; i++) {
        const char *name = g_ptr_array_index(names, i);
        g_autofree char *path = g_strdup_printf("/%s/%s", kind, name);
        /* The data outlives the test run: handed to GLib's test framework. */
        char *rel = g_strdup_printf("%s/%s", kind, name);

        g_test_add_data_func(path, rel, testCase);
        g_free((char *)name);
    }
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    dataDir = VK_TEST_DATA_DIR;
    addCorpus("storagepool");
    addCorpus("storagevol");
    for (size_t i = 0; i < G_N_ELEMENTS(invalidCases); i++) {
        g_autofree char *path = g_strdup_printf("/invalid/%s", invalidCases[i].name);
        g_test_add_data_func(path, &invalidCases[i], testInvalid);
    }
    return g_test_run();
}

/* The storage API on an embedded root (qemu:///embed, dir pools only, no root needed): names
 * that try to leave their directory refused at every entry point that takes one, read-only
 * connections, stale and invalid handles, streams, list filters, test:///'s pool in memory. */
#include <fcntl.h>
#include <glib/gstdio.h>
#include <stdio.h>
#include <unistd.h>

#include "apitest.h"

static char *root;
static char *uri;

static virConnectPtr openRoot(void)
{
    virConnectPtr conn = virConnectOpen(uri);
    g_assert_nonnull(conn);
    return conn;
}

static char *poolXML(const char *name, const char *target)
{
    return g_strdup_printf("<pool type='dir'><name>%s</name><target><path>%s</path></target>"
                           "</pool>",
                           name, target);
}

static char *volXML(const char *name)
{
    return g_strdup_printf("<volume><name>%s</name><capacity unit='KiB'>64</capacity>"
                           "<allocation>0</allocation></volume>",
                           name);
}

/* Names that must never become a file name, with the text of each in XML. */
static const struct {
    const char *label;
    const char *name;    /* as the API gets it */
    const char *xmlName; /* as XML carries it */
} badNames[] = {
    { "slash", "a/b", "a/b" },
    { "dotdot", "..", ".." },
    { "dot", ".", "." },
    { "dotdot-path", "../../etc/passwd", "../../etc/passwd" },
    { "tab", "a\tb", "a&#9;b" },
    { "newline", "a\nb", "a&#10;b" },
    { "leading-dot", ".hidden", ".hidden" },
};

static void testDefaultPool(void)
{
    virConnectPtr conn = openRoot();
    virStoragePoolPtr pool = virStoragePoolLookupByName(conn, "default");
    virStoragePoolInfo info;
    g_autofree char *images = g_build_filename(root, "images", NULL);
    g_autofree char *xml = NULL;
    int autostart = 0;

    g_assert_nonnull(pool);
    g_assert_cmpint(virStoragePoolIsActive(pool), ==, 1);
    g_assert_cmpint(virStoragePoolIsPersistent(pool), ==, 1);
    g_assert_cmpint(virStoragePoolGetAutostart(pool, &autostart), ==, 0);
    g_assert_cmpint(autostart, ==, 1);
    g_assert_cmpint(virStoragePoolGetInfo(pool, &info), ==, 0);
    g_assert_cmpint(info.state, ==, VIR_STORAGE_POOL_RUNNING);
    g_assert_cmpuint(info.capacity, >, 0);
    xml = virStoragePoolGetXMLDesc(pool, 0);
    g_assert_nonnull(strstr(xml, images));
    virStoragePoolFree(pool);
    virConnectClose(conn);
}

static void testBadNames(void)
{
    virConnectPtr conn = openRoot();
    virStoragePoolPtr pool = virStoragePoolLookupByName(conn, "default");
    g_autofree char *outside = g_build_filename(root, "outside", NULL);

    g_assert_nonnull(pool);
    g_assert_cmpint(g_mkdir_with_parents(outside, 0700), ==, 0);
    for (size_t i = 0; i < G_N_ELEMENTS(badNames); i++) {
        g_autofree char *vxml = volXML(badNames[i].xmlName);
        g_autofree char *target = g_build_filename(root, "pools", badNames[i].label, NULL);
        g_autofree char *pxml = poolXML(badNames[i].xmlName, target);
        virStorageVolPtr vol;
        virStoragePoolPtr p;

        g_test_message("name %s", badNames[i].label);
        vol = virStorageVolCreateXML(pool, vxml, 0);
        g_assert_null(vol);
        g_assert_nonnull(virGetLastError());
        p = virStoragePoolDefineXML(conn, pxml, 0);
        g_assert_null(p);
        g_assert_nonnull(virGetLastError());
        p = virStoragePoolCreateXML(conn, pxml, 0);
        g_assert_null(p);
        g_assert_nonnull(virGetLastError());
        /* Lookups by such a name find nothing, and read nothing outside. */
        g_assert_null(virStorageVolLookupByName(pool, badNames[i].name));
        apiAssertError(VIR_ERR_NO_STORAGE_VOL, NULL);
        g_assert_null(virStoragePoolLookupByName(conn, badNames[i].name));
        apiAssertError(VIR_ERR_NO_STORAGE_POOL, NULL);
    }
    /* A file outside, named through '..', is no pool's config and no volume. */
    {
        g_autofree char *leak = g_build_filename(outside, "leak.xml", NULL);
        g_autofree char *rel = g_strdup("../../outside/leak");

        g_assert_true(g_file_set_contents(leak, "root:SECRET\n", -1, NULL));
        g_assert_null(virStoragePoolLookupByName(conn, rel));
        apiAssertErrorMessage(VIR_ERR_NO_STORAGE_POOL,
                              "Storage pool not found: no storage pool with matching name "
                              "'../../outside/leak'");
        g_assert_null(virStorageVolLookupByName(pool, "../outside/leak.xml"));
        apiAssertError(VIR_ERR_NO_STORAGE_VOL, NULL);
    }
    g_assert_cmpint(g_rmdir(outside) == 0 || g_file_test(outside, G_FILE_TEST_IS_DIR), ==, 1);
    virStoragePoolFree(pool);
    virConnectClose(conn);
}

static void testReadOnly(void)
{
    virConnectPtr rw = openRoot();
    virConnectPtr ro = virConnectOpenReadOnly(uri);
    virStoragePoolPtr pool;
    virStorageVolPtr vol;
    g_autofree char *vxml = volXML("ro.img");
    g_autofree char *key = NULL;

    g_assert_nonnull(ro);
    pool = virStoragePoolLookupByName(ro, "default");
    g_assert_nonnull(pool);
    g_assert_null(virStorageVolCreateXML(pool, vxml, 0));
    apiAssertErrorMessage(VIR_ERR_OPERATION_DENIED,
                          "operation forbidden: read only access prevents virStorageVolCreateXML");
    g_assert_cmpint(virStoragePoolDestroy(pool), ==, -1);
    apiAssertError(VIR_ERR_OPERATION_DENIED, "virStoragePoolDestroy");
    g_assert_cmpint(virStoragePoolSetAutostart(pool, 0), ==, -1);
    apiAssertError(VIR_ERR_OPERATION_DENIED, "virStoragePoolSetAutostart");
    virStoragePoolFree(pool);

    pool = virStoragePoolLookupByName(rw, "default");
    vol = virStorageVolCreateXML(pool, vxml, 0);
    g_assert_nonnull(vol);
    virStorageVolFree(vol);
    key = g_build_filename(root, "images", "ro.img", NULL);
    vol = virStorageVolLookupByKey(ro, key);
    g_assert_nonnull(vol);
    g_assert_cmpint(virStorageVolDelete(vol, 0), ==, -1);
    apiAssertError(VIR_ERR_OPERATION_DENIED, "virStorageVolDelete");
    g_assert_cmpint(virStorageVolWipe(vol, 0), ==, -1);
    apiAssertError(VIR_ERR_OPERATION_DENIED, "virStorageVolWipe");
    virStorageVolFree(vol);
    virStoragePoolFree(pool);
    virConnectClose(ro);
    virConnectClose(rw);
}

static void testStaleHandle(void)
{
    virConnectPtr conn = openRoot();
    g_autofree char *target = g_build_filename(root, "pools", "stale", NULL);
    g_autofree char *pxml = poolXML("stale", target);
    virStoragePoolPtr pool = virStoragePoolDefineXML(conn, pxml, 0);
    virStoragePoolPtr again;

    g_assert_nonnull(pool);
    g_assert_cmpint(virStoragePoolUndefine(pool), ==, 0);
    again = virStoragePoolDefineXML(conn, pxml, 0); /* the same name, a new uuid */
    g_assert_nonnull(again);
    /* The old handle never reaches the new pool. */
    g_assert_cmpint(virStoragePoolIsActive(pool), ==, -1);
    apiAssertError(VIR_ERR_NO_STORAGE_POOL, "no storage pool with matching uuid");
    g_assert_cmpint(virStoragePoolUndefine(again), ==, 0);
    virStoragePoolFree(again);
    virStoragePoolFree(pool);

    g_assert_cmpint(virStoragePoolIsActive(NULL), ==, -1);
    apiAssertError(VIR_ERR_INVALID_STORAGE_POOL, "virStoragePoolIsActive");
    g_assert_null(virStorageVolGetPath(NULL));
    apiAssertError(VIR_ERR_INVALID_STORAGE_VOL, "virStorageVolGetPath");
    g_assert_cmpint(virStreamFree(NULL), ==, -1);
    apiAssertError(VIR_ERR_INVALID_STREAM, "virStreamFree");
    virConnectClose(conn);
}

static int sourceBytes(virStreamPtr st, char *data, size_t nbytes, void *opaque)
{
    GString *src = opaque;
    size_t n = MIN(nbytes, src->len);

    memcpy(data, src->str, n);
    g_string_erase(src, 0, n);
    return (int)n;
}

static int sinkBytes(virStreamPtr st, const char *data, size_t nbytes, void *opaque)
{
    g_string_append_len(opaque, data, nbytes);
    return (int)nbytes;
}

static void testStreams(void)
{
    virConnectPtr conn = openRoot();
    virStoragePoolPtr pool = virStoragePoolLookupByName(conn, "default");
    g_autofree char *vxml = volXML("stream.img");
    virStorageVolPtr vol = virStorageVolCreateXML(pool, vxml, 0);
    g_autoptr(GString) in = g_string_new(NULL);
    g_autoptr(GString) out = g_string_new(NULL);
    g_autofree char *copy = NULL;
    virStreamPtr st;

    g_assert_nonnull(vol);
    for (int i = 0; i < 40000; i++)
        g_string_append_c(in, (char)(i * 7));
    copy = g_memdup2(in->str, in->len);

    st = virStreamNew(conn, 0);
    g_assert_cmpint(virStreamSend(st, "x", 1), ==, -1); /* nothing attached yet */
    apiAssertError(VIR_ERR_OPERATION_INVALID, "stream is not open");
    g_assert_cmpint(virStorageVolUpload(vol, st, 100, 40000, 0), ==, 0);
    g_assert_cmpint(virStorageVolUpload(vol, st, 0, 0, 0), ==, -1); /* busy */
    g_assert_cmpint(virStreamSendAll(st, sourceBytes, in), ==, 0);
    g_assert_cmpint(virStreamFinish(st), ==, 0);
    virStreamFree(st);

    st = virStreamNew(conn, 0);
    g_assert_cmpint(virStorageVolDownload(vol, st, 100, 40000, 0), ==, 0);
    g_assert_cmpint(virStreamRecvAll(st, sinkBytes, out), ==, 0);
    g_assert_cmpint(virStreamFinish(st), ==, 0);
    virStreamFree(st);
    g_assert_cmpuint(out->len, ==, 40000);
    g_assert_true(memcmp(out->str, copy, 40000) == 0);

    /* Writing past the length given is refused. */
    st = virStreamNew(conn, 0);
    g_assert_cmpint(virStorageVolUpload(vol, st, 0, 10, 0), ==, 0);
    g_assert_cmpint(virStreamSend(st, "0123456789A", 11), ==, -1);
    apiAssertError(VIR_ERR_OPERATION_FAILED, "exceeds");
    g_assert_cmpint(virStreamAbort(st), ==, 0);
    virStreamFree(st);

    g_assert_cmpint(virStorageVolDelete(vol, 0), ==, 0);
    virStorageVolFree(vol);
    virStoragePoolFree(pool);
    virConnectClose(conn);
}

static void testListFilters(void)
{
    virConnectPtr conn = openRoot();
    g_autofree char *target = g_build_filename(root, "pools", "inactive", NULL);
    g_autofree char *pxml = poolXML("inactive", target);
    virStoragePoolPtr pool = virStoragePoolDefineXML(conn, pxml, 0);
    virStoragePoolPtr *pools = NULL;
    int n;

    g_assert_nonnull(pool);
    n = virConnectListAllStoragePools(conn, &pools, VIR_CONNECT_LIST_STORAGE_POOLS_INACTIVE);
    g_assert_cmpint(n, ==, 1);
    g_assert_cmpstr(virStoragePoolGetName(pools[0]), ==, "inactive");
    g_assert_null(pools[1]);
    virStoragePoolFree(pools[0]);
    free(pools);
    g_assert_cmpint(virConnectListAllStoragePools(conn, NULL, VIR_CONNECT_LIST_STORAGE_POOLS_FS),
                    ==, 0);
    g_assert_cmpint(virConnectListAllStoragePools(conn, NULL, VIR_CONNECT_LIST_STORAGE_POOLS_DIR),
                    ==, 2);
    g_assert_cmpint(virConnectNumOfStoragePools(conn), ==, 1);
    g_assert_cmpint(virConnectNumOfDefinedStoragePools(conn), ==, 1);
    g_assert_cmpint(virConnectListAllStoragePools(conn, NULL, 1u << 30), ==, -1);
    apiAssertError(VIR_ERR_INVALID_ARG, "unsupported flags");
    g_assert_cmpint(virStoragePoolUndefine(pool), ==, 0);
    virStoragePoolFree(pool);
    virConnectClose(conn);
}

/* test:///default has libvirt's test pool 'default-pool': 100 GiB, volumes in memory counted
 * against it. */
static void testTestDriver(void)
{
    virConnectPtr conn = apiOpenDefault();
    virStoragePoolPtr pool = virStoragePoolLookupByName(conn, "default-pool");
    virStorageVolPtr vol;
    virStoragePoolInfo info;
    g_autofree char *path = NULL;

    g_assert_nonnull(pool);
    g_assert_cmpint(virStoragePoolGetInfo(pool, &info), ==, 0);
    g_assert_cmpuint(info.capacity, ==, 100ULL << 30);
    vol = virStorageVolCreateXML(pool,
                                 "<volume><name>t</name><capacity>1048576</capacity>"
                                 "</volume>",
                                 0);
    g_assert_nonnull(vol);
    path = virStorageVolGetPath(vol);
    g_assert_cmpstr(path, ==, "/default-pool/t");
    g_assert_cmpint(virStoragePoolGetInfo(pool, &info), ==, 0);
    g_assert_cmpuint(info.allocation, ==, 1048576);
    g_assert_null(virStorageVolCreateXML(pool,
                                         "<volume><name>huge</name><capacity unit='T'>1"
                                         "</capacity></volume>",
                                         0));
    apiAssertErrorMessage(VIR_ERR_INTERNAL_ERROR,
                          "internal error: Not enough free space in pool for volume 'huge'");
    g_assert_cmpint(virStorageVolResize(vol, 1 << 21, 0), ==, -1);
    apiAssertError(VIR_ERR_NO_SUPPORT, "virStorageVolResize");
    g_assert_cmpint(virStorageVolDelete(vol, 0), ==, 0);
    virStorageVolFree(vol);
    virStoragePoolFree(pool);
    apiClose(conn);
}

/* A node file's pools start active, with their volumes under the pool's path. */
static void testTestNodeFile(void)
{
    g_autofree char *path = g_build_filename(root, "node.xml", NULL);
    g_autofree char *nodeUri = g_strdup_printf("test://%s", path);
    virConnectPtr conn;
    virStoragePoolPtr pool;
    virStorageVolPtr vol;
    virStorageVolInfo info;

    g_assert_true(g_file_set_contents(
        path,
        "<node><pool type='dir'><name>np</name><target><path>/np</path></target>"
        "<volume><name>nv</name><capacity unit='MiB'>2</capacity>"
        "<allocation unit='MiB'>1</allocation></volume></pool></node>",
        -1, NULL));
    conn = virConnectOpen(nodeUri);
    g_assert_nonnull(conn);
    pool = virStoragePoolLookupByName(conn, "np");
    g_assert_nonnull(pool);
    g_assert_cmpint(virStoragePoolIsActive(pool), ==, 1);
    vol = virStorageVolLookupByPath(conn, "/np/nv");
    g_assert_nonnull(vol);
    g_assert_cmpint(virStorageVolGetInfo(vol, &info), ==, 0);
    g_assert_cmpuint(info.capacity, ==, 2 << 20);
    g_assert_cmpuint(info.allocation, ==, 1 << 20);
    virStorageVolFree(vol);
    virStoragePoolFree(pool);
    virConnectClose(conn);
}

int main(int argc, char **argv)
{
    int rc;

    apiTestInit(&argc, &argv);
    root = g_dir_make_tmp("vkstorageapi-XXXXXX", NULL);
    g_assert_nonnull(root);
    uri = g_strdup_printf("qemu:///embed?root=%s", root);
    g_setenv("HOME", root, TRUE);
    g_test_add_func("/storage/default-pool", testDefaultPool);
    g_test_add_func("/storage/bad-names", testBadNames);
    g_test_add_func("/storage/read-only", testReadOnly);
    g_test_add_func("/storage/stale-handle", testStaleHandle);
    g_test_add_func("/storage/streams", testStreams);
    g_test_add_func("/storage/list-filters", testListFilters);
    g_test_add_func("/storage/test-driver", testTestDriver);
    g_test_add_func("/storage/test-node-file", testTestNodeFile);
    rc = g_test_run();
    {
        g_autofree char *cmd = g_strdup_printf("rm -rf '%s'", root);
        if (system(cmd) != 0)
            g_printerr("cannot remove %s\n", root);
    }
    return rc;
}

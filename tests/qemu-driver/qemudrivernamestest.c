/* Hostile names through every public entry point that takes one (lookups, define and create
 * of domains, networks and storage pools, volume creation, network, pool and volume names
 * inside a guest's XML) on qemu:///embed and test:///default: each gets a clear error, and nothing
 * outside the root is read or written. Then the define property over the XML corpora: what a define
 * accepts loads again. Run by api.sh, which provides the root (VKQ_ROOT) and a directory outside it
 * (VKQ_SCRATCH), and removes both. */
#include <glib.h>
#include <glib/gstdio.h>
#include <string.h>
#include <virtkit/virtkit.h>

static char *uri;
static const char *prefix;
static const char *virtType;
static char *baitDir;   /* a directory outside the root, with leak.xml in it */
static char *traversal; /* "../../../..BAITDIR/leak": from ROOT/etc/qemu/ to BAITDIR/leak */

/* A valid domain, so that a lookup that reads it gets far enough to tell. */
#define SECRET "root:SECRET-of-the-bait"
#define BAIT                                                                    \
    "<domain type='kvm'><name>leak</name><description>" SECRET "</description>" \
    "<memory>65536</memory><os><type>hvm</type></os></domain>\n"

G_DEFINE_AUTOPTR_CLEANUP_FUNC(virDomain, virDomainFree)
G_DEFINE_AUTOPTR_CLEANUP_FUNC(virNetwork, virNetworkFree)
G_DEFINE_AUTOPTR_CLEANUP_FUNC(virStoragePool, virStoragePoolFree)

static void quietHandler(void *data, virErrorPtr err)
{
    (void)data;
    (void)err;
}

/* The last error has CODE and its message contains TEXT, and never the bait's content. */
static void assertErrorAt(const char *file, int line, const char *what, int code, const char *text)
{
    virErrorPtr err = virGetLastError();

    if (!err)
        g_error("%s:%d: %s: expected error code %d, got no error", file, line, what, code);
    if (err->message && strstr(err->message, "SECRET"))
        g_error("%s:%d: %s: the error quotes the bait: %s", file, line, what, err->message);
    if (err->code != code)
        g_error("%s:%d: %s: expected error code %d, got %d: %s", file, line, what, code, err->code,
                err->message);
    if (text && (!err->message || !strstr(err->message, text)))
        g_error("%s:%d: %s: message '%s' lacks '%s'", file, line, what, err->message, text);
}

#define assertError(what, code, text) assertErrorAt(__FILE__, __LINE__, what, code, text)

/* The XML text of NAME: markup and control characters as character references. */
static char *xmlText(const char *name)
{
    GString *out = g_string_new(NULL);

    for (const char *p = name; *p; p++) {
        if ((unsigned char)*p < 0x20 || *p == 0x7f || strchr("<>&'\"", *p))
            g_string_append_printf(out, "&#%d;", (unsigned char)*p);
        else
            g_string_append_c(out, *p);
    }
    return g_string_free(out, FALSE);
}

typedef struct {
    const char *label;
    char *name;
    int code;         /* of a definition naming it */
    const char *text; /* in that error's message */
} vkHostileName;

static GPtrArray *hostileNames(void)
{
    GPtrArray *names = g_ptr_array_new();
    vkHostileName all[] = {
        { "traversal", g_strdup(traversal), VIR_ERR_XML_ERROR, "cannot contain '/'" },
        { "slash", g_strdup("a/b"), VIR_ERR_XML_ERROR, "cannot contain '/'" },
        { "tab", g_strdup("x\ty"), VIR_ERR_XML_DETAIL, "invalid char in name: \\t" },
        { "newline", g_strdup("a\nb"), VIR_ERR_XML_DETAIL, "invalid char in name: \\n" },
        { "cr", g_strdup("a\rb"), VIR_ERR_XML_DETAIL, "invalid char in name: \\r" },
        { "del", g_strdup("a\x7f"), VIR_ERR_XML_DETAIL, "invalid char in name: \\177" },
        { "leading-dot", g_strdup(".hidden"), VIR_ERR_XML_ERROR, "cannot start with '.'" },
        { "dot-dot", g_strdup(".."), VIR_ERR_XML_ERROR, "cannot start with '.'" },
        { "300-bytes", g_strnfill(300, 'n'), VIR_ERR_XML_ERROR, "more than the limit of 239" },
        { "240-bytes", g_strnfill(240, 'n'), VIR_ERR_XML_ERROR, "more than the limit of 239" },
    };

    for (size_t i = 0; i < G_N_ELEMENTS(all); i++)
        g_ptr_array_add(names, g_memdup2(&all[i], sizeof(all[i])));
    return names;
}

static void hostileNamesFree(GPtrArray *names)
{
    for (guint i = 0; i < names->len; i++) {
        vkHostileName *h = g_ptr_array_index(names, i);
        g_free(h->name);
        g_free(h);
    }
    g_ptr_array_free(names, TRUE);
}

static char *domainXML(const char *type, const char *name, const char *devices)
{
    g_autofree char *text = xmlText(name);

    return g_strdup_printf("<domain type='%s'><name>%s</name>"
                           "<memory unit='MiB'>64</memory><vcpu>1</vcpu>"
                           "<os><type arch='x86_64'>hvm</type></os>"
                           "<devices>%s</devices></domain>",
                           type, text, devices ? devices : "");
}

static char *networkXML(const char *name)
{
    g_autofree char *text = xmlText(name);

    return g_strdup_printf("<network><name>%s</name></network>", text);
}

static char *poolXML(const char *name)
{
    g_autofree char *text = xmlText(name);

    return g_strdup_printf("<pool type='dir'><name>%s</name>"
                           "<target><path>/nonexistent/vk-pool</path></target></pool>",
                           text);
}

static char *volumeXML(const char *name)
{
    g_autofree char *text = xmlText(name);

    return g_strdup_printf("<volume><name>%s</name><capacity>1024</capacity></volume>", text);
}

/* The pool every connection has: "default" embedded, "default-pool" in libvirt's test driver. */
static virStoragePoolPtr defaultPool(virConnectPtr conn)
{
    virStoragePoolPtr pool = virStoragePoolLookupByName(conn, "default");

    if (!pool)
        pool = virStoragePoolLookupByName(conn, "default-pool");
    g_assert_nonnull(pool);
    return pool;
}

/* Nothing but leak.xml, unchanged, is in the bait directory. */
static void assertBaitUntouched(void)
{
    g_autoptr(GDir) dir = g_dir_open(baitDir, 0, NULL);
    g_autofree char *path = g_build_filename(baitDir, "leak.xml", NULL);
    g_autofree char *content = NULL;
    const char *entry;

    g_assert_nonnull(dir);
    while ((entry = g_dir_read_name(dir)))
        g_assert_cmpstr(entry, ==, "leak.xml");
    g_assert_true(g_file_get_contents(path, &content, NULL, NULL));
    g_assert_cmpstr(content, ==, BAIT);
}

/* Lookups by name: a bad name names nothing, as libvirt says of an unknown one. */
static void checkLookups(virConnectPtr conn, GPtrArray *names)
{
    g_autoptr(virStoragePool) pool = defaultPool(conn);

    for (guint i = 0; i < names->len; i++) {
        vkHostileName *h = g_ptr_array_index(names, i);

        g_assert_null(virDomainLookupByName(conn, h->name));
        assertError(h->label, VIR_ERR_NO_DOMAIN, "no domain with matching name");
        g_assert_null(virNetworkLookupByName(conn, h->name));
        assertError(h->label, VIR_ERR_NO_NETWORK, "no network with matching name");
        g_assert_null(virStoragePoolLookupByName(conn, h->name));
        assertError(h->label, VIR_ERR_NO_STORAGE_POOL, "no storage pool with matching name");
        g_assert_null(virStorageVolLookupByName(pool, h->name));
        assertError(h->label, VIR_ERR_NO_STORAGE_VOL, "no storage vol with matching name");
    }
    assertBaitUntouched();
}

/* Pools and volumes named H. */
static void checkStorageDefinitions(virConnectPtr conn, virStoragePoolPtr pool,
                                    const vkHostileName *h, gboolean volumes)
{
    g_autofree char *pxml = poolXML(h->name);
    g_autofree char *vxml = volumeXML(h->name);
    /* libvirt's storage driver refuses a '/' in a volume name in its own words. */
    gboolean slash = strchr(h->name, '/') != NULL;

    g_assert_null(virStoragePoolDefineXML(conn, pxml, 0));
    assertError(h->label, h->code, h->text);
    g_assert_null(virStoragePoolCreateXML(conn, pxml, 0));
    assertError(h->label, h->code, h->text);
    if (!volumes)
        return;
    g_assert_null(virStorageVolCreateXML(pool, vxml, 0));
    assertError(h->label, slash ? VIR_ERR_OPERATION_INVALID : h->code,
                slash ? "volume name '" : h->text);
}

/* Definitions naming a bad name: refused with the name check's error. Volumes only where a
 * name becomes a file (VOLUMES): libvirt's test driver, in memory, takes any volume name. */
static void checkDefinitions(virConnectPtr conn, const char *type, GPtrArray *names,
                             gboolean volumes)
{
    g_autoptr(virStoragePool) pool = defaultPool(conn);

    for (guint i = 0; i < names->len; i++) {
        vkHostileName *h = g_ptr_array_index(names, i);
        g_autofree char *dxml = domainXML(type, h->name, NULL);
        g_autofree char *nxml = networkXML(h->name);
        /* libvirt's network driver refuses a '/' in its own words. */
        gboolean slash = strchr(h->name, '/') != NULL;
        int netCode = slash ? VIR_ERR_XML_DETAIL : h->code;
        const char *netText = slash ? "invalid char in name: /" : h->text;

        g_assert_null(virDomainDefineXML(conn, dxml));
        assertError(h->label, h->code, h->text);
        g_assert_null(virDomainCreateXML(conn, dxml, 0));
        assertError(h->label, h->code, h->text);
        g_assert_null(virNetworkDefineXML(conn, nxml));
        assertError(h->label, netCode, netText);
        g_assert_null(virNetworkCreateXML(conn, nxml));
        assertError(h->label, netCode, netText);
        checkStorageDefinitions(conn, pool, h, volumes);
    }
    g_assert_null(virDomainDefineXML(conn, "<domain type='kvm'><name></name><memory>1024</memory>"
                                           "<os><type>hvm</type></os></domain>"));
    assertError("empty", VIR_ERR_NO_NAME, "missing name information");
    g_assert_null(virNetworkDefineXML(conn, "<network><name></name></network>"));
    assertError("empty", VIR_ERR_NO_NAME, "missing name information");
    assertBaitUntouched();
}

static void testLookupsEmbed(void)
{
    virConnectPtr conn = virConnectOpen(uri);
    GPtrArray *names = hostileNames();

    g_assert_nonnull(conn);
    checkLookups(conn, names);
    hostileNamesFree(names);
    g_assert_cmpint(virConnectClose(conn), ==, 0);
}

static void testLookupsTest(void)
{
    virConnectPtr conn = virConnectOpen("test:///default");
    GPtrArray *names = hostileNames();

    g_assert_nonnull(conn);
    checkLookups(conn, names);
    hostileNamesFree(names);
    g_assert_cmpint(virConnectClose(conn), ==, 0);
}

static void testDefineEmbed(void)
{
    virConnectPtr conn = virConnectOpen(uri);
    GPtrArray *names = hostileNames();

    g_assert_nonnull(conn);
    checkDefinitions(conn, virtType, names, TRUE);
    hostileNamesFree(names);
    g_assert_cmpint(virConnectClose(conn), ==, 0);
}

static void testDefineTest(void)
{
    virConnectPtr conn = virConnectOpen("test:///default");
    GPtrArray *names = hostileNames();

    g_assert_nonnull(conn);
    checkDefinitions(conn, "test", names, FALSE);
    hostileNamesFree(names);
    g_assert_cmpint(virConnectClose(conn), ==, 0);
}

/* Network, pool and volume names inside a guest's XML: the guest defines (as in libvirt, which
 * resolves them at start), and its start finds no such object. */
static void testReferences(void)
{
    virConnectPtr conn = virConnectOpen(uri);
    GPtrArray *names = hostileNames();

    g_assert_nonnull(conn);
    for (guint i = 0; i < names->len; i++) {
        vkHostileName *h = g_ptr_array_index(names, i);
        g_autofree char *ref = xmlText(h->name);
        g_autofree char *listen = g_strdup_printf(
            "<graphics type='vnc' autoport='yes'><listen type='network' network='%s'/></graphics>",
            ref);
        g_autofree char *iface =
            g_strdup_printf("<interface type='network'><source network='%s'/></interface>", ref);
        g_autofree char *inPool = g_strdup_printf(
            "<disk type='volume'><source pool='%s' volume='v'/><target dev='vda'/></disk>", ref);
        g_autofree char *volume = g_strdup_printf(
            "<disk type='volume'><source pool='default' volume='%s'/><target dev='vda'/></disk>",
            ref);
        const char *devices[] = { listen, iface, inPool, volume };
        const int codes[] = { VIR_ERR_NO_NETWORK, VIR_ERR_NO_NETWORK, VIR_ERR_NO_STORAGE_POOL,
                              VIR_ERR_NO_STORAGE_VOL };
        const char *texts[] = { "no network with matching name", "no network with matching name",
                                "no storage pool with matching name",
                                "no storage vol with matching name" };

        for (size_t d = 0; d < G_N_ELEMENTS(devices); d++) {
            g_autofree char *name = g_strdup_printf("%sref-%s-%zu", prefix, h->label, d);
            g_autofree char *xml = domainXML(virtType, name, devices[d]);
            g_autoptr(virDomain) dom = virDomainDefineXML(conn, xml);

            g_assert_nonnull(dom);
            g_assert_cmpint(virDomainCreate(dom), ==, -1);
            assertError(h->label, codes[d], texts[d]);
            g_assert_cmpint(virDomainUndefine(dom), ==, 0);
            g_assert_null(virDomainCreateXML(conn, xml, 0));
            assertError(h->label, codes[d], texts[d]);
        }
    }
    hostileNamesFree(names);
    assertBaitUntouched();
    g_assert_cmpint(virConnectClose(conn), ==, 0);
}

/* Every file a pattern of VKQ_CORPUS (':'-separated shell patterns) matches, sorted. */
static GPtrArray *corpusFiles(const char *patterns)
{
    g_auto(GStrv) list = g_strsplit(patterns, ":", -1);
    GPtrArray *files = g_ptr_array_new_with_free_func(g_free);

    for (char **p = list; *p; p++) {
        g_autofree char *dir = g_path_get_dirname(*p);
        g_autofree char *glob = g_path_get_basename(*p);
        g_autoptr(GPatternSpec) spec = g_pattern_spec_new(glob);
        g_autoptr(GDir) d = g_dir_open(dir, 0, NULL);
        const char *entry;

        while (d && (entry = g_dir_read_name(d))) {
            if (g_pattern_spec_match_string(spec, entry))
                g_ptr_array_add(files, g_build_filename(dir, entry, NULL));
        }
    }
    g_ptr_array_sort(files, (GCompareFunc)g_strcmp0);
    return files;
}

/* A pool XML: 1 when it defined and OTHER reads it back to the same text, 0 when refused. */
static guint checkPoolLoadsAgain(virConnectPtr conn, virConnectPtr other, const char *path,
                                 const char *xml)
{
    g_autoptr(virStoragePool) pool = virStoragePoolDefineXML(conn, xml, 0);
    g_autoptr(virStoragePool) seen = NULL;
    g_autofree char *mine = NULL;
    g_autofree char *theirs = NULL;

    if (!pool)
        return 0;
    seen = virStoragePoolLookupByName(other, virStoragePoolGetName(pool));
    if (!seen)
        g_error("%s: defined, but not found again: %s", path, virGetLastErrorMessage());
    mine = virStoragePoolGetXMLDesc(pool, VIR_STORAGE_XML_INACTIVE);
    theirs = virStoragePoolGetXMLDesc(seen, VIR_STORAGE_XML_INACTIVE);
    g_assert_nonnull(mine);
    g_assert_cmpstr(mine, ==, theirs);
    g_assert_cmpint(virStoragePoolUndefine(pool), ==, 0);
    return 1;
}

/* What a define accepted is found by another connection (in real life, another process), which
 * reads it back from its file to the same text. */
static void testCorpusDefines(void)
{
    const char *patterns = g_getenv("VKQ_CORPUS");
    virConnectPtr conn = virConnectOpen(uri);
    virConnectPtr other = virConnectOpen(uri);
    g_autoptr(GPtrArray) files = NULL;
    guint defined = 0, networks = 0, pools = 0;

    if (!patterns) {
        g_test_skip("VKQ_CORPUS is not set");
        return;
    }
    g_assert_nonnull(conn);
    g_assert_nonnull(other);
    files = corpusFiles(patterns);
    g_assert_cmpuint(files->len, >, 0);
    for (guint i = 0; i < files->len; i++) {
        const char *path = g_ptr_array_index(files, i);
        g_autofree char *xml = NULL;
        g_autoptr(virDomain) dom = NULL;
        g_autoptr(virDomain) seen = NULL;
        g_autoptr(virNetwork) net = NULL;
        g_autoptr(virNetwork) netSeen = NULL;
        g_autofree char *mine = NULL;
        g_autofree char *theirs = NULL;

        g_assert_true(g_file_get_contents(path, &xml, NULL, NULL));
        if (strstr(xml, "<pool")) {
            pools += checkPoolLoadsAgain(conn, other, path, xml);
            continue;
        }
        if (strstr(xml, "<network")) {
            if (!(net = virNetworkDefineXML(conn, xml)))
                continue;
            networks++;
            netSeen = virNetworkLookupByName(other, virNetworkGetName(net));
            if (!netSeen)
                g_error("%s: defined, but not found again: %s", path, virGetLastErrorMessage());
            mine = virNetworkGetXMLDesc(net, VIR_NETWORK_XML_INACTIVE);
            theirs = virNetworkGetXMLDesc(netSeen, VIR_NETWORK_XML_INACTIVE);
            g_assert_nonnull(mine);
            g_assert_cmpstr(mine, ==, theirs);
            g_assert_cmpint(virNetworkUndefine(net), ==, 0);
            continue;
        }
        if (!(dom = virDomainDefineXML(conn, xml)))
            continue;
        defined++;
        seen = virDomainLookupByName(other, virDomainGetName(dom));
        if (!seen)
            g_error("%s: defined, but not found again: %s", path, virGetLastErrorMessage());
        mine = virDomainGetXMLDesc(dom, VIR_DOMAIN_XML_INACTIVE | VIR_DOMAIN_XML_SECURE);
        theirs = virDomainGetXMLDesc(seen, VIR_DOMAIN_XML_INACTIVE | VIR_DOMAIN_XML_SECURE);
        g_assert_nonnull(mine);
        g_assert_cmpstr(mine, ==, theirs);
        g_assert_cmpint(virDomainUndefine(dom), ==, 0);
    }
    g_test_message("%u of %u files defined as domains, %u as networks, %u as pools", defined,
                   files->len, networks, pools);
    g_assert_cmpuint(defined, >, 0);
    g_assert_cmpuint(pools, >, 0);
    g_assert_cmpint(virConnectClose(other), ==, 0);
    g_assert_cmpint(virConnectClose(conn), ==, 0);
}

/* From ROOT/etc/qemu (or ROOT/run/network, ...) up to "/" and down to TARGET/leak: with
 * ROOT /tmp/X, "../../../../tmp/BAIT/leak". */
static char *upToSlash(const char *root, const char *target)
{
    g_auto(GStrv) parts = g_strsplit(root, "/", -1);
    GString *path = g_string_new(NULL);
    guint depth = 2; /* etc/qemu */

    for (char **p = parts; *p; p++)
        depth += **p ? 1 : 0;
    for (guint i = 0; i < depth; i++)
        g_string_append(path, i ? "/.." : "..");
    g_string_append_printf(path, "%s/leak", target);
    return g_string_free(path, FALSE);
}

int main(int argc, char **argv)
{
    const char *root = g_getenv("VKQ_ROOT");
    g_autofree char *bait = NULL;
    int ret;

    g_test_init(&argc, &argv, NULL);
    prefix = g_getenv("VKQ_PREFIX");
    virtType = g_getenv("VKQ_VIRT_TYPE");
    if (!root || !prefix || !virtType)
        g_error("run by api.sh: VKQ_ROOT, VKQ_PREFIX and VKQ_VIRT_TYPE must be set");
    uri = g_strdup_printf("qemu:///embed?root=%s", root);
    virSetErrorFunc(NULL, quietHandler);

    /* A used root has its state directories, through which a traversal would walk. */
    for (const char *const *d =
             (const char *const[]){ "etc/qemu", "etc/network", "run/qemu", "run/network", NULL };
         *d; d++) {
        g_autofree char *dir = g_build_filename(root, *d, NULL);
        g_assert_cmpint(g_mkdir_with_parents(dir, 0700), ==, 0);
    }
    /* api.sh removes its scratch directory however the test ends. */
    if (!g_getenv("VKQ_SCRATCH"))
        g_error("run by api.sh: VKQ_SCRATCH must be set");
    baitDir = g_build_filename(g_getenv("VKQ_SCRATCH"), "bait", NULL);
    g_assert_cmpint(g_mkdir_with_parents(baitDir, 0700), ==, 0);
    bait = g_build_filename(baitDir, "leak.xml", NULL);
    g_assert_true(g_file_set_contents(bait, BAIT, -1, NULL));
    traversal = upToSlash(root, baitDir);

    g_test_add_func("/qemu-driver/names/lookups-embed", testLookupsEmbed);
    g_test_add_func("/qemu-driver/names/lookups-test", testLookupsTest);
    g_test_add_func("/qemu-driver/names/define-embed", testDefineEmbed);
    g_test_add_func("/qemu-driver/names/define-test", testDefineTest);
    g_test_add_func("/qemu-driver/names/references", testReferences);
    g_test_add_func("/qemu-driver/names/corpus-defines-load-again", testCorpusDefines);

    ret = g_test_run();
    g_unlink(bait);
    g_rmdir(baitDir);
    g_free(baitDir);
    g_free(traversal);
    g_free(uri);
    return ret;
}

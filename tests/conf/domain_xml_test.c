/* Domain XML model tests: the corpus in tests/data/domain{,-invalid}/ (one g_test case per
 * input file), and unit tests for what the corpus cannot show (random UUIDs and MACs, units,
 * runtime data set by a driver, copies, the embedded-node entry point). */
#include <string.h>

#include "conf/domain_conf.h"
#include "util/vkerror.h"
#include "util/vkuuid.h"
#include "util/vkxml.h"

/*
 * Corpus conventions, for tests/data/domain/CASE.xml:
 *   CASE.out.xml       format(parse(CASE.xml, 0), 0)
 *   CASE.inactive.xml  format(parse(CASE.xml, 0), VK_DOMAIN_DEF_FORMAT_INACTIVE), optional
 *   CASE.secure.xml    format(parse(CASE.xml, 0), VK_DOMAIN_DEF_FORMAT_SECURE), optional
 * Each expected file must parse and format back to itself with the same flags. Inputs carry a
 * uuid and MAC addresses so that outputs are deterministic.
 * tests/data/domain-invalid/CASE.xml must fail to parse; CASE.err holds the error code's name
 * and the full message, one per line.
 *
 * Comparison with libvirt 9.0.0 (virsh -c test:///default define F; dumpxml UUID): for the
 * inputs without an id the output is the same bytes, except that
 *  - the test driver names taps testnetN and assigns drive addresses (with the controllers
 *    those imply); we assign no addresses (device-boot-order, disk-types);
 *  - the test driver takes the default arch from its capabilities (i686); we use x86_64;
 *  - controllers: libvirt leaves one written without an index after those of its type parsed
 *    before it, even ones with a higher index than it then receives, so its output does not
 *    parse back to the same order; we move it to where its index sorts (controllers);
 *  - disks: libvirt orders disks of one bus by the bus as written, before filling in the
 *    bus a target name implies, which again does not survive a round trip; we order by the
 *    effective bus (disk-types: fda);
 * For inputs with an id, virsh define (which drops runtime data) gives our .inactive.xml.
 * test-default.xml is `virsh -c test:///default dumpxml test` verbatim and round-trips.
 *
 * VK_TEST_REGENERATE=1 rewrites the expected files instead of comparing: review the diff.
 */

static const char *dataDir;

static const struct {
    int code;
    const char *name;
} codeNames[] = {
    { VIR_ERR_INTERNAL_ERROR, "VIR_ERR_INTERNAL_ERROR" },
    { VIR_ERR_INVALID_ARG, "VIR_ERR_INVALID_ARG" },
    { VIR_ERR_XML_ERROR, "VIR_ERR_XML_ERROR" },
    { VIR_ERR_XML_DETAIL, "VIR_ERR_XML_DETAIL" },
    { VIR_ERR_NO_NAME, "VIR_ERR_NO_NAME" },
    { VIR_ERR_CONFIG_UNSUPPORTED, "VIR_ERR_CONFIG_UNSUPPORTED" },
    { VIR_ERR_SYSTEM_ERROR, "VIR_ERR_SYSTEM_ERROR" },
};

static const char *codeName(int code)
{
    for (size_t i = 0; i < G_N_ELEMENTS(codeNames); i++) {
        if (codeNames[i].code == code)
            return codeNames[i].name;
    }
    return "unknown";
}

static gboolean regenerate(void)
{
    return !g_strcmp0(g_getenv("VK_TEST_REGENERATE"), "1");
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

static vkDomainDef *mustParse(const char *xml, unsigned int flags)
{
    vkDomainDef *def;

    vkResetLastError();
    if (!(def = vkDomainDefParseString(xml, flags)))
        g_error("parse failed: %s", virGetLastErrorMessage());
    return def;
}

static char *mustFormat(const vkDomainDef *def, unsigned int flags)
{
    char *xml = vkDomainDefFormat(def, flags);

    g_assert_nonnull(xml);
    return xml;
}

/* An expected output parses and formats back to the same bytes. */
static void assertStable(const char *path, unsigned int formatFlags)
{
    g_autofree char *xml = readFile(path);
    g_autoptr(vkDomainDef) def = mustParse(xml, 0);
    g_autofree char *again = mustFormat(def, formatFlags);

    g_assert_cmpstr(again, ==, xml);
}

static void checkVariant(const vkDomainDef *def, const char *name, const char *suffix,
                         unsigned int flags, gboolean required)
{
    g_autofree char *path = g_strdup_printf("%s/domain/%s.%s.xml", dataDir, name, suffix);
    g_autofree char *actual = NULL;

    if (!required && !g_file_test(path, G_FILE_TEST_EXISTS))
        return;
    actual = mustFormat(def, flags);
    checkOrWrite(path, actual);
    assertStable(path, flags);
}

static void testValidCase(gconstpointer data)
{
    const char *name = data;
    g_autofree char *in = g_strdup_printf("%s/domain/%s.xml", dataDir, name);
    g_autofree char *xml = readFile(in);
    g_autoptr(vkDomainDef) def = mustParse(xml, 0);
    g_autoptr(vkDomainDef) fromFile = NULL;
    g_autoptr(vkDomainDef) copy = NULL;
    g_autofree char *actual = NULL;
    g_autofree char *again = NULL;
    g_autofree char *status = NULL;

    /* Corpus inputs must give everything that would otherwise be random. */
    g_assert_nonnull(strstr(xml, "<uuid>"));
    for (size_t i = 0; i < def->nnets; i++)
        g_assert_false(def->nets[i]->macGenerated);
    checkVariant(def, name, "out", 0, TRUE);
    checkVariant(def, name, "inactive", VK_DOMAIN_DEF_FORMAT_INACTIVE, FALSE);
    checkVariant(def, name, "secure", VK_DOMAIN_DEF_FORMAT_SECURE, FALSE);

    /* The file entry point and a deep copy describe the same domain. */
    actual = mustFormat(def, VK_DOMAIN_DEF_FORMAT_SECURE);
    fromFile = vkDomainDefParseFile(in, 0);
    g_assert_nonnull(fromFile);
    again = mustFormat(fromFile, VK_DOMAIN_DEF_FORMAT_SECURE);
    g_assert_cmpstr(again, ==, actual);
    g_clear_pointer(&again, g_free);
    /* The status form too: the object store's cache hands out copies of live definitions. */
    status = mustFormat(def, VK_DOMAIN_DEF_FORMAT_SECURE | VK_DOMAIN_DEF_FORMAT_STATUS);
    copy = vkDomainDefCopy(def);
    g_clear_pointer(&def, vkDomainDefFree);
    again = mustFormat(copy, VK_DOMAIN_DEF_FORMAT_SECURE);
    g_assert_cmpstr(again, ==, actual);
    g_clear_pointer(&again, g_free);
    again = mustFormat(copy, VK_DOMAIN_DEF_FORMAT_SECURE | VK_DOMAIN_DEF_FORMAT_STATUS);
    g_assert_cmpstr(again, ==, status);
}

static void testInvalidCase(gconstpointer data)
{
    const char *name = data;
    g_autofree char *in = g_strdup_printf("%s/domain-invalid/%s.xml", dataDir, name);
    g_autofree char *errPath = g_strdup_printf("%s/domain-invalid/%s.err", dataDir, name);
    g_autofree char *xml = readFile(in);
    g_autoptr(vkDomainDef) def = NULL;
    g_autofree char *actual = NULL;

    vkResetLastError();
    def = vkDomainDefParseString(xml, 0);
    g_assert_null(def);
    g_assert_cmpint(virGetLastErrorDomain(), ==, VIR_FROM_DOMAIN);
    actual = g_strdup_printf("%s\n%s\n", codeName(virGetLastErrorCode()), virGetLastErrorMessage());
    checkOrWrite(errPath, actual);
}

/* ---- what the corpus cannot show ---- */

#define UUID_LINE "  <uuid>c7a5fdbd-edaf-9455-926a-d65c16db1809</uuid>\n"

/* A small domain around the given <devices> content (and uuid line). */
static char *domainXML(const char *uuid, const char *devices)
{
    return g_strdup_printf("<domain type='kvm'>\n  <name>t</name>\n%s  <memory>65536</memory>\n"
                           "  <os><type>hvm</type></os>\n  <devices>%s</devices>\n</domain>\n",
                           uuid, devices);
}

static vkDomainDef *parseDevices(const char *devices, unsigned int flags)
{
    g_autofree char *xml = domainXML(UUID_LINE, devices);
    return mustParse(xml, flags);
}

static char *parseError(const char *xml, unsigned int flags)
{
    g_autoptr(vkDomainDef) def = NULL;

    vkResetLastError();
    def = vkDomainDefParseString(xml, flags);
    g_assert_null(def);
    return g_strdup(virGetLastErrorMessage());
}

static void testUUIDGenerated(void)
{
    g_autofree char *xml = domainXML("", "");
    g_autoptr(vkDomainDef) a = mustParse(xml, 0);
    g_autoptr(vkDomainDef) b = mustParse(xml, 0);
    g_autofree char *out = mustFormat(a, 0);
    char uuid[VIR_UUID_STRING_BUFLEN];
    g_autofree char *line = NULL;

    g_assert_false(vkUUIDIsNull(a->uuid));
    g_assert_true(memcmp(a->uuid, b->uuid, VIR_UUID_BUFLEN) != 0);
    vkUUIDFormat(a->uuid, uuid);
    g_assert_cmpint(uuid[14], ==, '4'); /* a version 4 (random) UUID */
    line = g_strdup_printf("  <uuid>%s</uuid>\n", uuid);
    g_assert_nonnull(strstr(out, line));
}

static void testUUIDSpellings(void)
{
    static const char *const spellings[] = {
        "c7a5fdbd-edaf-9455-926a-d65c16db1809",
        "c7a5fdbdedaf9455926ad65c16db1809",
        "C7A5FDBD-EDAF-9455-926A-D65C16DB1809",
        "  c7a5fdbd-edaf-9455-926a-d65c16db1809\n  ",
    };

    for (size_t i = 0; i < G_N_ELEMENTS(spellings); i++) {
        g_autofree char *uuid = g_strdup_printf("  <uuid>%s</uuid>\n", spellings[i]);
        g_autofree char *xml = domainXML(uuid, "");
        g_autoptr(vkDomainDef) def = mustParse(xml, 0);
        g_autofree char *out = mustFormat(def, 0);

        g_assert_nonnull(strstr(out, UUID_LINE));
    }
}

static void testMACGenerated(void)
{
    static const char devices[] = "<interface type='user'/><interface type='network'>"
                                  "<mac/><source network='default'/></interface>";
    g_autoptr(vkDomainDef) a = parseDevices(devices, 0);
    g_autoptr(vkDomainDef) b = parseDevices(devices, 0);
    g_autofree char *out = mustFormat(a, 0);
    char mac[VK_DOMAIN_MAC_STRLEN];
    g_autofree char *line = NULL;

    g_assert_cmpuint(a->nnets, ==, 2);
    for (size_t i = 0; i < a->nnets; i++) {
        g_assert_true(a->nets[i]->macGenerated);
        g_assert_cmpuint(a->nets[i]->mac[0], ==, 0x52);
        g_assert_cmpuint(a->nets[i]->mac[1], ==, 0x54);
        g_assert_cmpuint(a->nets[i]->mac[2], ==, 0x00);
    }
    /* 24 random bits: two parses agreeing on both would be a broken generator. */
    g_assert_false(memcmp(a->nets[0]->mac, b->nets[0]->mac, 6) == 0 &&
                   memcmp(a->nets[1]->mac, b->nets[1]->mac, 6) == 0);
    vkDomainNetFormatMAC(a->nets[0]->mac, mac);
    g_assert_true(g_str_has_prefix(mac, "52:54:00:"));
    line = g_strdup_printf("<mac address='%s'/>", mac);
    g_assert_nonnull(strstr(out, line));

    /* A generated MAC is then part of the definition and survives a round trip. */
    {
        g_autoptr(vkDomainDef) again = mustParse(out, 0);
        g_assert_false(again->nets[0]->macGenerated);
        g_assert_cmpmem(again->nets[0]->mac, 6, a->nets[0]->mac, 6);
    }
}

static void testMACSpellings(void)
{
    g_autoptr(vkDomainDef) def =
        parseDevices("<interface type='user'><mac address='52:54:0:A:b:C'/></interface>", 0);
    char mac[VK_DOMAIN_MAC_STRLEN];

    vkDomainNetFormatMAC(def->nets[0]->mac, mac);
    g_assert_cmpstr(mac, ==, "52:54:00:0a:0b:0c");
    g_assert_false(def->nets[0]->macGenerated);
}

static void testUnitScaling(void)
{
    static const struct {
        unsigned long long value;
        const char *unit;
        unsigned long long kib;
    } cases[] = {
        { 1024, NULL, 1024 },
        { 1024, "", 1024 },
        { 1, "b", 1 },
        { 1025, "bytes", 2 },
        { 2048, "byte", 2 },
        { 7, "k", 7 },
        { 7, "KiB", 7 },
        { 7, "kib", 7 },
        { 1000, "KB", 977 },
        { 3, "M", 3 * 1024 },
        { 3, "MiB", 3 * 1024 },
        { 3, "MB", 2930 },
        { 2, "G", 2 * 1024 * 1024 },
        { 2, "GiB", 2 * 1024 * 1024 },
        { 2, "GB", 1953125 },
        { 1, "T", 1024ULL * 1024 * 1024 },
        { 1, "TiB", 1024ULL * 1024 * 1024 },
        { 1, "TB", 976562500 },
        { 1, "P", 1024ULL * 1024 * 1024 * 1024 },
        { 1, "PB", 976562500000ULL },
        { 4, "E", 4ULL * 1024 * 1024 * 1024 * 1024 * 1024 },
        { 0, "G", 0 },
    };
    static const char *const unknown[] = { "XB", "Ki", "KiBs", "kbb", "q", "GiBi" };
    unsigned long long kib = 0;
    gboolean overflow = TRUE;

    for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
        g_assert_cmpint(vkDomainScaleToKiB(cases[i].value, cases[i].unit, &kib, &overflow), ==, 0);
        g_assert_cmpuint(kib, ==, cases[i].kib);
        g_assert_false(overflow);
    }
    for (size_t i = 0; i < G_N_ELEMENTS(unknown); i++) {
        g_assert_cmpint(vkDomainScaleToKiB(1, unknown[i], &kib, &overflow), ==, -1);
        g_assert_false(overflow);
    }
    g_assert_cmpint(vkDomainScaleToKiB(8, "E", &kib, &overflow), ==, -1);
    g_assert_true(overflow);
    g_assert_cmpint(vkDomainScaleToKiB(G_MAXUINT64, NULL, &kib, &overflow), ==, -1);
    g_assert_true(overflow);
    /* The largest size libvirt accepts: just below 2^63 bytes. */
    g_assert_cmpint(vkDomainScaleToKiB(G_MAXINT64 / 1024, "k", &kib, &overflow), ==, 0);
    g_assert_cmpuint(kib, ==, G_MAXINT64 / 1024);
}

static void testUnitErrors(void)
{
    static const struct {
        const char *element;
        const char *message;
    } cases[] = {
        { "<memory unit='XiB'>1</memory>", "XML error: unknown unit 'XiB' for <memory> at line 4" },
        { "<memory unit='E'>8</memory>",
          "XML error: value '8' of <memory> is too large at line 4" },
        { "<memory>-5</memory>",
          "XML error: invalid value '-5' for <memory>: expected a non-negative integer at line 4" },
        { "<memory>99999999999999999999</memory>",
          "XML error: invalid value '99999999999999999999' for <memory>: expected a "
          "non-negative integer at line 4" },
    };

    for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
        g_autofree char *xml = g_strdup_printf("<domain type='kvm'>\n  <name>t</name>\n" UUID_LINE
                                               "  %s\n  <os><type>hvm</type></os>\n"
                                               "</domain>\n",
                                               cases[i].element);
        g_autofree char *msg = parseError(xml, 0);

        g_assert_cmpstr(msg, ==, cases[i].message);
        g_assert_cmpint(virGetLastErrorCode(), ==, VIR_ERR_XML_ERROR);
    }
}

static void testLegacyListen(void)
{
    g_autoptr(vkDomainDef) def = NULL;
    g_autofree char *msg = NULL;
    vkDomainGraphicsListenDef *l;

    /* The attribute alone becomes an address listen. */
    def = parseDevices("<graphics type='vnc' listen='10.0.0.1'/>", 0);
    l = vkDomainGraphicsGetListen(def->graphics[0], 0);
    g_assert_nonnull(l);
    g_assert_cmpuint(def->graphics[0]->nlistens, ==, 1);
    g_assert_cmpint(l->type, ==, VK_DOMAIN_GRAPHICS_LISTEN_TYPE_ADDRESS);
    g_assert_cmpstr(l->address, ==, "10.0.0.1");
    g_assert_null(vkDomainGraphicsGetListen(def->graphics[0], 1));
    g_clear_pointer(&def, vkDomainDefFree);

    /* It fills in a first address listen that has no address... */
    def = parseDevices("<graphics type='spice' port='5900' listen='::1'>"
                       "<listen type='address'/><listen type='address' address='::2'/>"
                       "</graphics>",
                       0);
    g_assert_cmpstr(def->graphics[0]->listens[0].address, ==, "::1");
    g_assert_cmpstr(def->graphics[0]->listens[1].address, ==, "::2");
    g_clear_pointer(&def, vkDomainDefFree);

    /* ...but must agree with one that has. */
    msg = parseError("<domain type='kvm'><name>t</name><memory>1</memory><os><type>hvm</type>"
                     "</os><devices><graphics type='vnc' listen='10.0.0.1'>\n"
                     "<listen type='address' address='10.0.0.2'/></graphics></devices></domain>",
                     0);
    g_assert_cmpint(virGetLastErrorCode(), ==, VIR_ERR_CONFIG_UNSUPPORTED);
    g_assert_cmpstr(msg, ==,
                    "unsupported configuration: graphics 'listen' attribute '10.0.0.1' must "
                    "match 'address' attribute of first listen element (found '10.0.0.2') at "
                    "line 2");
    g_clear_pointer(&msg, g_free);

    /* For a network listen the attribute is the resolved address: runtime data. */
    def = parseDevices("<graphics type='vnc' listen='192.168.1.1'>"
                       "<listen type='network' network='lan'/></graphics>",
                       0);
    g_assert_cmpstr(def->graphics[0]->listens[0].address, ==, "192.168.1.1");
    g_clear_pointer(&def, vkDomainDefFree);
    def = parseDevices("<graphics type='vnc' listen='192.168.1.1'>"
                       "<listen type='network' network='lan' address='192.168.1.1'/></graphics>",
                       VK_DOMAIN_DEF_PARSE_INACTIVE);
    g_assert_null(def->graphics[0]->listens[0].address);
    g_assert_cmpstr(def->graphics[0]->listens[0].network, ==, "lan");
    g_clear_pointer(&def, vkDomainDefFree);

    /* The socket attribute of vnc works the same way. */
    def = parseDevices("<graphics type='vnc' socket='/run/vnc.sock'><listen type='socket'/>"
                       "</graphics>",
                       0);
    g_assert_cmpint(def->graphics[0]->listens[0].type, ==, VK_DOMAIN_GRAPHICS_LISTEN_TYPE_SOCKET);
    g_assert_cmpstr(def->graphics[0]->listens[0].socket, ==, "/run/vnc.sock");
    g_clear_pointer(&def, vkDomainDefFree);

    /* Only the first listen is compared. */
    def = parseDevices("<graphics type='vnc' listen='1.1.1.1'><listen type='address' "
                       "address='1.1.1.1'/><listen type='address' address='2.2.2.2'/></graphics>",
                       0);
    g_assert_cmpuint(def->graphics[0]->nlistens, ==, 2);
}

static vkDomainDef *runningWithGraphics(void)
{
    static const char xml[] =
        "<domain type='kvm' id='4'><name>r</name>" UUID_LINE "<memory>1024</memory>"
        "<os><type>hvm</type></os><devices>"
        "<graphics type='vnc' autoport='yes'><listen type='network' network='lan'/></graphics>"
        "<graphics type='vnc'><listen type='socket'/></graphics>"
        "<graphics type='spice' autoport='yes'><listen type='address' address='0.0.0.0'/>"
        "</graphics></devices></domain>";
    return mustParse(xml, 0);
}

/* What a driver sets at start must show in the live XML and never in the persistent one. */
static void testRuntimeData(void)
{
    g_autoptr(vkDomainDef) def = runningWithGraphics();
    g_autofree char *live = NULL;
    g_autofree char *inactive = NULL;
    g_autofree char *migratable = NULL;
    g_autofree char *stopped = NULL;

    def->graphics[0]->listens[0].address = g_strdup("192.168.7.1");
    def->graphics[0]->port = 5900;
    def->graphics[0]->websocket = 5700;
    def->graphics[0]->websocketGenerated = TRUE;
    def->graphics[1]->listens[0].socket = g_strdup("/run/vk/vnc-1.sock");
    def->graphics[1]->listens[0].autoGenerated = TRUE;
    def->graphics[2]->port = 5901;
    def->graphics[2]->tlsPort = 5902;

    live = mustFormat(def, 0);
    g_assert_nonnull(strstr(live, "<domain type='kvm' id='4'>"));
    g_assert_nonnull(strstr(live, "<graphics type='vnc' port='5900' autoport='yes' "
                                  "websocket='5700' listen='192.168.7.1'>"));
    g_assert_nonnull(strstr(live, "<listen type='network' address='192.168.7.1' "
                                  "network='lan'/>"));
    g_assert_nonnull(strstr(live, "<graphics type='vnc' socket='/run/vk/vnc-1.sock'>"));
    g_assert_nonnull(strstr(live, "<listen type='socket' socket='/run/vk/vnc-1.sock'/>"));
    g_assert_nonnull(strstr(live, "<graphics type='spice' port='5901' tlsPort='5902' "
                                  "autoport='yes' listen='0.0.0.0'>"));

    inactive = mustFormat(def, VK_DOMAIN_DEF_FORMAT_INACTIVE);
    g_assert_nonnull(strstr(inactive, "<domain type='kvm'>"));
    g_assert_nonnull(strstr(inactive, "<graphics type='vnc' port='-1' autoport='yes' "
                                      "websocket='-1'>"));
    g_assert_nonnull(strstr(inactive, "<listen type='network' network='lan'/>"));
    g_assert_nonnull(strstr(inactive, "<graphics type='vnc'>"));
    g_assert_nonnull(strstr(inactive, "<listen type='socket'/>"));
    g_assert_nonnull(strstr(inactive, "<graphics type='spice' autoport='yes' "
                                      "listen='0.0.0.0'>"));
    g_assert_null(strstr(inactive, "192.168.7.1"));

    /* Migratable output leaves host-specific data behind the same way. */
    migratable = mustFormat(def, VK_DOMAIN_DEF_FORMAT_MIGRATABLE);
    g_assert_cmpstr(migratable, ==, inactive);

    /* A domain that is not running has no runtime data to show. */
    def->id = -1;
    stopped = mustFormat(def, 0);
    g_assert_cmpstr(stopped, ==, inactive);
}

/* VK_DOMAIN_DEF_PARSE_INACTIVE drops runtime data while parsing. */
static void testParseInactive(void)
{
    static const char xml[] =
        "<domain type='kvm' id='9'><name>r</name>" UUID_LINE "<memory>1024</memory>"
        "<os><type>hvm</type></os><devices>"
        "<interface type='network'><mac address='52:54:00:00:00:01'/>"
        "<source network='default'/><target dev='vnet3'/><alias name='net0'/></interface>"
        "<interface type='ethernet'><mac address='52:54:00:00:00:02'/>"
        "<target dev='mytap'/><alias name='ua-mine'/></interface>"
        "<serial type='pty'><source path='/dev/pts/4'/><target port='0'/></serial>"
        "<graphics type='vnc' port='5904' autoport='yes' listen='10.1.1.1'>"
        "<listen type='network' network='lan' address='10.1.1.1'/></graphics>"
        "<graphics type='spice' port='5905' tlsPort='5906' autoport='yes'/>"
        "</devices></domain>";
    g_autoptr(vkDomainDef) live = mustParse(xml, 0);
    g_autoptr(vkDomainDef) def = mustParse(xml, VK_DOMAIN_DEF_PARSE_INACTIVE);

    g_assert_cmpint(live->id, ==, 9);
    g_assert_cmpstr(live->nets[0]->ifname, ==, "vnet3");
    g_assert_cmpstr(live->nets[0]->info.alias, ==, "net0");
    g_assert_cmpstr(live->serials[0]->path, ==, "/dev/pts/4");
    g_assert_cmpint(live->graphics[0]->port, ==, 5904);
    g_assert_cmpstr(live->graphics[0]->listens[0].address, ==, "10.1.1.1");

    g_assert_cmpint(def->id, ==, -1);
    g_assert_null(def->nets[0]->ifname);
    g_assert_null(def->nets[0]->info.alias);
    g_assert_cmpstr(def->nets[1]->ifname, ==, "mytap");
    g_assert_cmpstr(def->nets[1]->info.alias, ==, "ua-mine");
    g_assert_null(def->serials[0]->path);
    g_assert_cmpint(def->graphics[0]->port, ==, 0);
    g_assert_true(def->graphics[0]->autoport);
    g_assert_null(def->graphics[0]->listens[0].address);
    g_assert_cmpint(def->graphics[1]->port, ==, 0);
    g_assert_cmpint(def->graphics[1]->tlsPort, ==, 0);
}

static void testFormatId(void)
{
    g_autofree char *xml = domainXML(UUID_LINE, "");
    g_autoptr(vkDomainDef) def = mustParse(xml, 0);
    g_autofree char *stopped = NULL;
    g_autofree char *running = NULL;
    g_autofree char *inactive = NULL;
    g_autofree char *migratable = NULL;

    g_assert_cmpint(def->id, ==, -1);
    stopped = mustFormat(def, 0);
    g_assert_true(g_str_has_prefix(stopped, "<domain type='kvm'>\n"));
    def->id = 0;
    running = mustFormat(def, 0);
    g_assert_true(g_str_has_prefix(running, "<domain type='kvm' id='0'>\n"));
    inactive = mustFormat(def, VK_DOMAIN_DEF_FORMAT_INACTIVE);
    g_assert_cmpstr(inactive, ==, stopped);
    migratable = mustFormat(def, VK_DOMAIN_DEF_FORMAT_MIGRATABLE);
    g_assert_cmpstr(migratable, ==, stopped);
}

static void testCopyIsDeep(void)
{
    g_autofree char *path = g_strdup_printf("%s/domain/full-kvm.xml", dataDir);
    g_autoptr(vkDomainDef) orig = vkDomainDefParseFile(path, 0);
    g_autoptr(vkDomainDef) copy = NULL;
    g_autofree char *before = NULL;
    g_autofree char *after = NULL;
    g_autofree char *copied = NULL;

    g_assert_nonnull(orig);
    before = mustFormat(orig, VK_DOMAIN_DEF_FORMAT_SECURE);
    copy = vkDomainDefCopy(orig);
    copied = mustFormat(copy, VK_DOMAIN_DEF_FORMAT_SECURE);
    g_assert_cmpstr(copied, ==, before);

    /* Changing every kind of copied data leaves the original alone. */
    g_assert_true(copy->name != orig->name);
    copy->name[0] = 'X';
    copy->os.arch[0] = 'X';
    copy->disks[0]->src[0] = 'X';
    copy->nets[0]->mac[5] ^= 0xff;
    copy->nets[0]->network[0] = 'X';
    copy->graphics[0]->listens[0].address[0] = '9';
    copy->graphics[0]->passwd[0] = 'X';
    copy->cpu->check = VK_DOMAIN_CPU_CHECK_FULL;
    copy->clock.timers[0].tickpolicy = VK_DOMAIN_TICKPOLICY_MERGE;
    copy->os.nvram[0] = 'X';
    copy->controllers[0]->info.addr.pci.slot = 9;
    copy->videos[0]->vram = 1;
    copy->memballoon->period = 99;
    after = mustFormat(orig, VK_DOMAIN_DEF_FORMAT_SECURE);
    g_assert_cmpstr(after, ==, before);
}

static void testParseNode(void)
{
    static const char wrapper[] =
        "<node>\n  <domain type='test'>\n    <name>inner</name>\n"
        "    <uuid>c7a5fdbd-edaf-9455-926a-d65c16db1809</uuid>\n"
        "    <memory unit='MiB'>64</memory>\n    <os><type>hvm</type></os>\n  </domain>\n"
        "  <domain type='test'>\n    <name>bad/name</name>\n"
        "    <os><type>hvm</type></os>\n  </domain>\n</node>\n";
    g_autoptr(xmlDoc) doc = vkXMLParseString(wrapper, "node", VIR_FROM_TEST);
    xmlNodePtr root = xmlDocGetRootElement(doc);
    xmlNodePtr first = vkXMLChild(root, "domain");
    xmlNodePtr second = first->next;
    g_autoptr(vkDomainDef) def = NULL;

    while (second && second->type != XML_ELEMENT_NODE)
        second = second->next;
    def = vkDomainDefParseNode(doc, first, 0);
    g_assert_nonnull(def);
    g_assert_cmpstr(def->name, ==, "inner");
    g_assert_cmpint(def->virtType, ==, VK_DOMAIN_VIRT_TEST);
    g_assert_cmpuint(def->memory, ==, 65536);

    vkResetLastError();
    g_assert_null(vkDomainDefParseNode(doc, second, 0));
    g_assert_cmpstr(virGetLastErrorMessage(), ==, "XML error: name bad/name cannot contain '/'");

    vkResetLastError();
    g_assert_null(vkDomainDefParseNode(doc, root, 0));
    g_assert_cmpstr(virGetLastErrorMessage(), ==,
                    "XML error: expecting root element of 'domain', not 'node'");
}

static void testParseFileMissing(void)
{
    vkResetLastError();
    g_assert_null(vkDomainDefParseFile("/nonexistent/virtkit/domain.xml", 0));
    g_assert_cmpint(virGetLastErrorCode(), ==, VIR_ERR_SYSTEM_ERROR);
    g_assert_nonnull(strstr(virGetLastErrorMessage(), "/nonexistent/virtkit/domain.xml"));
}

static void testSizeLimit(void)
{
    GString *xml = g_string_new("<domain type='kvm'><name>big</name><description>");
    g_autofree char *msg = NULL;

    while (xml->len <= VK_XML_MAX_SIZE)
        g_string_append(xml, "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef");
    g_string_append(xml, "</description></domain>");
    msg = parseError(xml->str, 0);
    g_assert_cmpint(virGetLastErrorCode(), ==, VIR_ERR_XML_ERROR);
    g_assert_nonnull(strstr(msg, "larger than the limit"));
    g_string_free(xml, TRUE);
}

static void testEnums(void)
{
    g_autofree char *xml = domainXML(UUID_LINE, "");
    g_autoptr(vkDomainDef) def = mustParse(xml, 0);

    g_assert_cmpstr(vkDomainDefGetOSType(def), ==, "hvm");
    g_assert_cmpstr(vkDomainVirtTypeToString(VK_DOMAIN_VIRT_KVM), ==, "kvm");
    g_assert_cmpint(vkDomainVirtTypeFromString("qemu"), ==, VK_DOMAIN_VIRT_QEMU);
    g_assert_cmpint(vkDomainVirtTypeFromString("xen"), ==, -1);
    g_assert_cmpstr(vkDomainGraphicsTypeToString(VK_DOMAIN_GRAPHICS_TYPE_SPICE), ==, "spice");
    g_assert_cmpint(vkDomainGraphicsTypeFromString("vnc"), ==, VK_DOMAIN_GRAPHICS_TYPE_VNC);
    g_assert_null(vkDomainGraphicsTypeToString(VK_DOMAIN_GRAPHICS_TYPE_LAST));
    g_assert_cmpstr(vkDomainGraphicsListenTypeToString(VK_DOMAIN_GRAPHICS_LISTEN_TYPE_NETWORK), ==,
                    "network");
    g_assert_cmpstr(vkDomainDiskBusTypeToString(VK_DOMAIN_DISK_BUS_VIRTIO), ==, "virtio");
    g_assert_cmpstr(vkDomainNetTypeToString(VK_DOMAIN_NET_TYPE_BRIDGE), ==, "bridge");
    g_assert_cmpstr(vkDomainLifecycleTypeToString(VK_DOMAIN_LIFECYCLE_COREDUMP_RESTART), ==,
                    "coredump-restart");
    g_assert_cmpstr(
        vkDomainControllerModelToString(
            VK_DOMAIN_CONTROLLER_TYPE_USB,
            vkDomainControllerModelFromString(VK_DOMAIN_CONTROLLER_TYPE_USB, "qemu-xhci")),
        ==, "qemu-xhci");
    g_assert_cmpint(vkDomainControllerModelFromString(VK_DOMAIN_CONTROLLER_TYPE_SATA, "ahci"), ==,
                    -1);
}

/* The fields a driver reads, on a complete example. */
static void testStructFields(void)
{
    g_autofree char *path = g_strdup_printf("%s/domain/full-kvm.xml", dataDir);
    g_autoptr(vkDomainDef) def = vkDomainDefParseFile(path, 0);
    const vkDomainGraphicsDef *g;

    g_assert_nonnull(def);
    g_assert_cmpint(def->virtType, ==, VK_DOMAIN_VIRT_KVM);
    g_assert_cmpstr(def->name, ==, "full-kvm");
    g_assert_cmpuint(def->memory, ==, 1048576);
    g_assert_cmpuint(def->currentMemory, ==, 524288);
    g_assert_cmpuint(def->maxMemory, ==, 8388608);
    g_assert_cmpuint(def->maxMemorySlots, ==, 16);
    g_assert_cmpuint(def->vcpus, ==, 4);
    g_assert_cmpuint(def->vcpusCurrent, ==, 2);
    g_assert_cmpstr(def->os.arch, ==, "x86_64");
    g_assert_cmpstr(def->os.machine, ==, "pc-q35-7.2");
    g_assert_true(def->features[VK_DOMAIN_FEATURE_ACPI]);
    g_assert_cmpint(def->cpu->mode, ==, VK_DOMAIN_CPU_MODE_HOST_PASSTHROUGH);
    g_assert_cmpint(def->onCrash, ==, VK_DOMAIN_LIFECYCLE_COREDUMP_RESTART);
    g_assert_cmpstr(def->emulator, ==, "/usr/bin/qemu-system-x86_64");
    g_assert_cmpuint(def->ndisks, ==, 2);
    g_assert_cmpint(def->disks[0]->format, ==, VK_DOMAIN_DISK_FORMAT_QCOW2);
    g_assert_cmpint(def->disks[1]->device, ==, VK_DOMAIN_DISK_DEVICE_CDROM);
    g_assert_true(def->disks[1]->readonly);
    g_assert_cmpuint(def->nnets, ==, 2);
    g_assert_cmpstr(def->nets[1]->bridge, ==, "br0");
    g_assert_cmpuint(def->ngraphics, ==, 2);
    g = def->graphics[0];
    g_assert_cmpint(g->type, ==, VK_DOMAIN_GRAPHICS_TYPE_VNC);
    g_assert_cmpint(g->port, ==, 5900);
    g_assert_false(g->autoport);
    g_assert_cmpint(g->websocket, ==, 5700);
    g_assert_cmpstr(g->passwd, ==, "secret");
    g_assert_cmpstr(g->keymap, ==, "en-us");
    g_assert_cmpuint(g->nlistens, ==, 1);
    g_assert_cmpstr(g->listens[0].address, ==, "127.0.0.1");
    g = def->graphics[1];
    g_assert_cmpint(g->type, ==, VK_DOMAIN_GRAPHICS_TYPE_SPICE);
    g_assert_true(g->autoport);
    g_assert_cmpint(g->listens[0].type, ==, VK_DOMAIN_GRAPHICS_LISTEN_TYPE_NETWORK);
    g_assert_cmpstr(g->listens[0].network, ==, "default");
    g_assert_cmpuint(def->nvideos, ==, 1);
    g_assert_true(def->videos[0]->primary);
    g_assert_nonnull(def->memballoon);
}

static gint compareStrings(gconstpointer a, gconstpointer b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Case names: every NAME.xml in dir that is not an expected output. */
static GPtrArray *listCases(const char *dir)
{
    static const char *const outputs[] = { ".out.xml", ".inactive.xml", ".secure.xml" };
    g_autoptr(GError) err = NULL;
    g_autoptr(GDir) d = g_dir_open(dir, 0, &err);
    GPtrArray *names = g_ptr_array_new_with_free_func(g_free);
    const char *entry;

    if (!d)
        g_error("%s", err->message);
    while ((entry = g_dir_read_name(d))) {
        gboolean output = FALSE;

        for (size_t i = 0; i < G_N_ELEMENTS(outputs); i++)
            output |= g_str_has_suffix(entry, outputs[i]);
        if (g_str_has_suffix(entry, ".xml") && !output)
            g_ptr_array_add(names, g_strndup(entry, strlen(entry) - strlen(".xml")));
    }
    g_ptr_array_sort(names, compareStrings);
    return names;
}

static void addCases(const char *subdir, const char *prefix, GTestDataFunc func)
{
    g_autofree char *dir = g_build_filename(dataDir, subdir, NULL);
    GPtrArray *names = listCases(dir);

    for (guint i = 0; i < names->len; i++) {
        g_autofree char *path = g_strdup_printf("%s/%s", prefix, (char *)names->pdata[i]);
        g_test_add_data_func(path, names->pdata[i], func);
    }
    /* The names must outlive g_test_run: they are the cases' data. */
    g_ptr_array_set_free_func(names, NULL);
    g_ptr_array_unref(names);
}

/* virDomainGetMetadata/SetMetadata over a definition, with libvirt 9.0's results (its test
 * driver through python3-libvirt on data/domain/metadata.xml). */
static void testMetadata(void)
{
    g_autofree char *path = g_build_filename(dataDir, "domain", "metadata.xml", NULL);
    g_autoptr(vkDomainDef) def = vkDomainDefParseFile(path, 0);
    g_autoptr(vkDomainDef) empty = NULL;
    const char *osinfo = "http://libosinfo.org/xmlns/libvirt/domain/1.0";
    g_autofree char *os = NULL, *bar = NULL, *foo = NULL, *xml = NULL, *xml2 = NULL;

    g_assert_nonnull(def);
    os = vkDomainDefGetMetadata(def, VIR_DOMAIN_METADATA_ELEMENT, osinfo);
    g_assert_cmpstr(os, ==,
                    "<libosinfo>\n  <os id=\"http://debian.org/debian/11\"/>\n</libosinfo>");
    bar = vkDomainDefGetMetadata(def, VIR_DOMAIN_METADATA_ELEMENT, "http://example.org/app2");
    g_assert_cmpstr(bar, ==,
                    "<bar a=\"1\">\n  <deep>\n    <deeper/>\n  </deep>\n  <!-- a comment -->\n"
                    "</bar>");
    foo = vkDomainDefGetMetadata(def, VIR_DOMAIN_METADATA_ELEMENT, "http://example.org/app1/");
    g_assert_cmpstr(foo, ==, "<foo>fooish <b>bold</b> text</foo>");

    g_assert_cmpint(vkDomainDefSetMetadata(def, VIR_DOMAIN_METADATA_ELEMENT,
                                           "<os id='x'><sub>t</sub></os>", "lo", osinfo),
                    ==, 0);
    g_assert_cmpint(vkDomainDefSetMetadata(def, VIR_DOMAIN_METADATA_ELEMENT, NULL, NULL,
                                           "http://example.org/app2"),
                    ==, 0);
    g_assert_cmpint(vkDomainDefSetMetadata(def, VIR_DOMAIN_METADATA_TITLE, "", NULL, NULL), ==, 0);
    xml = vkDomainDefFormat(def, 0);
    g_assert_nonnull(strstr(
        xml,
        "  <description>With applications&apos; metadata</description>\n"
        "  <metadata xmlns:app2=\"http://example.org/app2\">\n"
        "    <app1:foo xmlns:app1=\"http://example.org/app1/\">fooish <b>bold</b> text</app1:foo>\n"
        "    <lo:os xmlns:lo=\"http://libosinfo.org/xmlns/libvirt/domain/1.0\" id=\"x\">\n"
        "      <lo:sub>t</lo:sub>\n"
        "    </lo:os>\n"
        "  </metadata>\n"
        "  <memory unit='KiB'>524288</memory>\n"));

    g_assert_null(vkDomainDefGetMetadata(def, VIR_DOMAIN_METADATA_TITLE, NULL));
    g_assert_cmpint(virGetLastError()->code, ==, VIR_ERR_NO_DOMAIN_METADATA);
    g_assert_null(vkDomainDefGetMetadata(def, VIR_DOMAIN_METADATA_ELEMENT, "http://none"));
    g_assert_cmpint(virGetLastError()->code, ==, VIR_ERR_NO_DOMAIN_METADATA);
    g_assert_cmpint(
        vkDomainDefSetMetadata(def, VIR_DOMAIN_METADATA_ELEMENT, "<a/>", "1bad", "http://x"), ==,
        -1);
    g_assert_nonnull(strstr(virGetLastError()->message, "failed to validate prefix"));
    g_assert_cmpint(vkDomainDefSetMetadata(def, VIR_DOMAIN_METADATA_ELEMENT, "<a", "k", "http://x"),
                    ==, -1);
    g_assert_cmpint(vkDomainDefSetMetadata(def, 3, "<a/>", "k", "http://x"), ==, -1);
    g_assert_cmpint(virGetLastError()->code, ==, VIR_ERR_INVALID_ARG);
    vkResetLastError();

    /* A definition without <metadata> gets one. */
    empty = vkDomainDefParseString("<domain type='kvm'><name>e</name><os><type>hvm</type></os>"
                                   "<memory>1024</memory></domain>",
                                   0);
    g_assert_nonnull(empty);
    g_assert_cmpint(
        vkDomainDefSetMetadata(empty, VIR_DOMAIN_METADATA_ELEMENT, "<a b='1'/>", "k", "http://k"),
        ==, 0);
    xml2 = vkDomainDefFormat(empty, 0);
    g_assert_nonnull(
        strstr(xml2, "  <metadata>\n    <k:a xmlns:k=\"http://k\" b=\"1\"/>\n  </metadata>\n"));
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    dataDir = g_getenv("VK_TEST_DATA_DIR");
    if (!dataDir)
        dataDir = VK_TEST_DATA_DIR;

    addCases("domain", "/domain/xml", testValidCase);
    addCases("domain-invalid", "/domain/invalid", testInvalidCase);
    g_test_add_func("/domain/uuid/generated", testUUIDGenerated);
    g_test_add_func("/domain/uuid/spellings", testUUIDSpellings);
    g_test_add_func("/domain/mac/generated", testMACGenerated);
    g_test_add_func("/domain/mac/spellings", testMACSpellings);
    g_test_add_func("/domain/units/scaling", testUnitScaling);
    g_test_add_func("/domain/units/errors", testUnitErrors);
    g_test_add_func("/domain/graphics/legacy-listen", testLegacyListen);
    g_test_add_func("/domain/graphics/runtime-data", testRuntimeData);
    g_test_add_func("/domain/parse/inactive", testParseInactive);
    g_test_add_func("/domain/parse/node", testParseNode);
    g_test_add_func("/domain/parse/file-missing", testParseFileMissing);
    g_test_add_func("/domain/parse/size-limit", testSizeLimit);
    g_test_add_func("/domain/format/id", testFormatId);
    g_test_add_func("/domain/copy/deep", testCopyIsDeep);
    g_test_add_func("/domain/metadata/get-set", testMetadata);
    g_test_add_func("/domain/enum/tables", testEnums);
    g_test_add_func("/domain/struct/fields", testStructFields);
    return g_test_run();
}

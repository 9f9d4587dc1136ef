/* qemu.conf: libvirt's defaults, every supported key, libvirt's syntax (comments, quoting, lists,
 * separators), syntax errors with their line, wrong types and the port ranges libvirt refuses. */
#include "qemu/qemu_conf.h"
#include "qemutestutil.h"

typedef struct {
    char *dir;
    char *path;
} Fixture;

static void fixtureSetup(Fixture *f, gconstpointer data)
{
    f->dir = testMakeTmpDir("qemuconftest-XXXXXX");
    f->path = g_build_filename(f->dir, "qemu.conf", NULL);
}

static void fixtureTeardown(Fixture *f, gconstpointer data)
{
    testRemoveTree(f->dir);
    g_free(f->path);
    g_free(f->dir);
}

static void writeConf(Fixture *f, const char *text)
{
    g_autoptr(GError) gerr = NULL;

    g_file_set_contents(f->path, text, -1, &gerr);
    g_assert_no_error(gerr);
}

static vkQEMUConfig *loadText(Fixture *f, const char *text)
{
    vkQEMUConfig *cfg;

    writeConf(f, text);
    cfg = vkQEMUConfigLoad(f->path);
    assertOK(cfg != NULL);
    return cfg;
}

static void assertDefaults(const vkQEMUConfig *cfg)
{
    g_assert_cmpstr(cfg->vncListen, ==, "127.0.0.1");
    g_assert_cmpstr(cfg->spiceListen, ==, "127.0.0.1");
    g_assert_false(cfg->vncAutoUnixSocket);
    g_assert_cmpuint(cfg->displayPortMin, ==, 5900);
    g_assert_cmpuint(cfg->displayPortMax, ==, 65535);
    g_assert_cmpuint(cfg->websocketPortMin, ==, 5700);
    g_assert_cmpuint(cfg->websocketPortMax, ==, 65535);
    g_assert_null(cfg->vncPassword);
    g_assert_null(cfg->spicePassword);
    g_assert_false(cfg->spiceTLS);
    g_assert_cmpstr(cfg->spiceTLSx509certdir, ==, "/etc/pki/qemu");
}

static void testDefaults(Fixture *f, gconstpointer data)
{
    g_autoptr(vkQEMUConfig) fresh = vkQEMUConfigNew();
    g_autoptr(vkQEMUConfig) missing = vkQEMUConfigLoad(f->path);
    g_autoptr(vkQEMUConfig) empty = NULL;
    g_autoptr(vkQEMUConfig) blank = NULL;
    g_autoptr(vkQEMUConfig) unknown = NULL;

    assertDefaults(fresh);
    /* No file is no error. */
    assertOK(missing != NULL);
    g_assert_false(vkHasError());
    assertDefaults(missing);

    empty = loadText(f, "");
    assertDefaults(empty);
    blank = loadText(f, "\n  \n\t\n# vnc_listen = \"0.0.0.0\"\n   # indented comment\n\n");
    assertDefaults(blank);
    /* Settings we do not support are ignored, whatever their type, as libvirt ignores them. */
    unknown = loadText(f, "security_driver = \"none\"\nmax_processes = 0\nuser = 'qemu'\n"
                          "cgroup_device_acl = [\n    \"/dev/null\", \"/dev/full\",\n"
                          "    \"/dev/zero\",\n]\nnamespaces = [ ]\nvnc_tls = 1\n");
    assertDefaults(unknown);
}

static void testEveryKey(Fixture *f, gconstpointer data)
{
    g_autoptr(vkQEMUConfig) cfg = loadText(f, "vnc_listen = \"0.0.0.0\"\n"
                                              "spice_listen = \"192.168.122.1\"\n"
                                              "vnc_auto_unix_socket = 1\n"
                                              "remote_display_port_min = 6000\n"
                                              "remote_display_port_max = 6100\n"
                                              "remote_websocket_port_min = 5800\n"
                                              "remote_websocket_port_max = 5899\n"
                                              "vnc_password = \"secret\"\n"
                                              "spice_password = \"a longer spice secret\"\n"
                                              "spice_tls = 1\n"
                                              "spice_tls_x509_cert_dir = \"/srv/pki/spice\"\n"
                                              "default_tls_x509_cert_dir = \"/srv/pki\"\n");
    g_autoptr(vkQEMUConfig) fallback = NULL;

    g_assert_cmpstr(cfg->vncListen, ==, "0.0.0.0");
    g_assert_cmpstr(cfg->spiceListen, ==, "192.168.122.1");
    g_assert_true(cfg->vncAutoUnixSocket);
    g_assert_cmpuint(cfg->displayPortMin, ==, 6000);
    g_assert_cmpuint(cfg->displayPortMax, ==, 6100);
    g_assert_cmpuint(cfg->websocketPortMin, ==, 5800);
    g_assert_cmpuint(cfg->websocketPortMax, ==, 5899);
    g_assert_cmpstr(cfg->vncPassword, ==, "secret");
    g_assert_cmpstr(cfg->spicePassword, ==, "a longer spice secret");
    g_assert_true(cfg->spiceTLS);
    /* The SPICE directory wins over the default one, wherever it is written. */
    g_assert_cmpstr(cfg->spiceTLSx509certdir, ==, "/srv/pki/spice");
    fallback = loadText(f, "default_tls_x509_cert_dir = \"/srv/pki\"\n");
    g_assert_cmpstr(fallback->spiceTLSx509certdir, ==, "/srv/pki");
}

static void testSyntax(Fixture *f, gconstpointer data)
{
    g_autoptr(vkQEMUConfig) cfg = NULL;

    /* Comments after values, '#' inside strings, ';' separators, both quotes, long strings
     * (one over lines), blanks around '=', a signed integer, CRLF line ends and no final newline.
     */
    cfg = loadText(f, "# qemu.conf\r\n"
                      "vnc_listen=\"::1\"   # the IPv6 loopback\r\n"
                      "spice_listen = '::' ; vnc_auto_unix_socket = +0\r\n"
                      "\tvnc_password\t=\t\"#not-a-comment\"\r\n"
                      "spice_password = \"\"\"two 'quoted' \"words\" here\"\"\"\r\n"
                      "future_setting = \"\"\"over\ntwo lines\"\"\"\r\n"
                      "remote_display_port_min = 5900; remote_display_port_max = 5999;\n"
                      "remote_websocket_port_max = 65535");
    g_assert_cmpstr(cfg->vncListen, ==, "::1");
    g_assert_cmpstr(cfg->spiceListen, ==, "::");
    g_assert_false(cfg->vncAutoUnixSocket);
    g_assert_cmpstr(cfg->vncPassword, ==, "#not-a-c");
    g_assert_cmpstr(cfg->spicePassword, ==, "two 'quoted' \"words\" here");
    g_assert_cmpuint(cfg->displayPortMin, ==, 5900);
    g_assert_cmpuint(cfg->displayPortMax, ==, 5999);
    g_assert_cmpuint(cfg->websocketPortMax, ==, 65535);
}

static void testFirstOccurrenceCounts(Fixture *f, gconstpointer data)
{
    g_autoptr(vkQEMUConfig) cfg = loadText(f, "vnc_listen = \"10.0.0.1\"\n"
                                              "vnc_listen = \"10.0.0.2\"\n"
                                              "remote_display_port_min = 6000\n"
                                              "remote_display_port_min = 100\n");

    g_assert_cmpstr(cfg->vncListen, ==, "10.0.0.1");
    g_assert_cmpuint(cfg->displayPortMin, ==, 6000);
}

static void testListenAddresses(Fixture *f, gconstpointer data)
{
    g_autoptr(vkQEMUConfig) cfg = loadText(f, "vnc_listen = \"fd00:1::5\"\n"
                                              "spice_listen = \"::\"\n");
    g_autoptr(vkQEMUConfig) any = NULL;

    /* Kept verbatim: the text goes into the live XML as it is. */
    g_assert_cmpstr(cfg->vncListen, ==, "fd00:1::5");
    g_assert_cmpstr(cfg->spiceListen, ==, "::");
    any = loadText(f, "vnc_listen = \"0.0.0.0\"\nspice_listen = \"192.0.2.7\"\n");
    g_assert_cmpstr(any->vncListen, ==, "0.0.0.0");
    g_assert_cmpstr(any->spiceListen, ==, "192.0.2.7");
}

static void testVNCPasswordTruncated(Fixture *f, gconstpointer data)
{
    g_autoptr(vkQEMUConfig) cfg = loadText(f, "vnc_password = \"123456789abc\"\n"
                                              "spice_password = \"123456789abc\"\n");
    g_autoptr(vkQEMUConfig) exact = NULL;

    g_assert_cmpstr(cfg->vncPassword, ==, "12345678");
    g_assert_cmpstr(cfg->spicePassword, ==, "123456789abc");
    exact = loadText(f, "vnc_password = \"12345678\"\n");
    g_assert_cmpstr(exact->vncPassword, ==, "12345678");
}

typedef struct {
    const char *text;
    int line;
    const char *message;
} SyntaxCase;

static const SyntaxCase syntaxCases[] = {
    { "vnc_listen = \n", 1, "expecting a value" },
    { "vnc_listen = 127.0.0.1\n", 1, "expecting a separator" },
    { "vnc_listen = localhost\n", 1, "expecting a value" },
    { "# comment\n\nvnc_listen \"::1\"\n", 3, "expecting an assignment" },
    { "vnc_listen = \"::1\"\n  = 5\n", 2, "expecting a name" },
    { "1key = 5\n", 1, "expecting a name" },
    { "vnc-listen = \"::1\"\n", 1, "expecting an assignment" },
    { "a = 1\nvnc_listen = \"abc\nspice_listen = \"x\"\n", 2, "unterminated string" },
    { "vnc_listen = 'abc\"\n", 1, "unterminated string" },
    { "a = 1\n\nb = \"\"\"open\n\n", 5, "unterminated string" },
    { "a = 1\nb = 2 3\n", 2, "expecting a separator" },
    { "a = 1 , b = 2\n", 1, "expecting a separator" },
    { "a = -\n", 1, "unterminated number" },
    { "a = 99999999999999999999\n", 1, "number too large" },
    { "a = [ \"x\" \"y\" ]\n", 1, "expecting a separator in list" },
    { "a = [ \"x\",\n  \"y\"\n", 3, "list is not closed with ]" },
    { "a = [ \"x\",\n  # no comments in lists\n]\n", 2, "expecting a value" },
    { "a = [ , ]\n", 1, "expecting a value" },
};

static void testSyntaxErrors(Fixture *f, gconstpointer data)
{
    for (gsize i = 0; i < G_N_ELEMENTS(syntaxCases); i++) {
        const SyntaxCase *c = &syntaxCases[i];
        g_autofree char *needle = g_strdup_printf("configuration file syntax error: %s:%d: %s",
                                                  f->path, c->line, c->message);

        writeConf(f, c->text);
        g_assert_null(vkQEMUConfigLoad(f->path));
        g_assert_cmpint(virGetLastError()->domain, ==, VIR_FROM_CONF);
        assertLastError(VIR_ERR_CONF_SYNTAX, needle);
    }
}

typedef struct {
    const char *text;
    const char *message; /* after "PATH:" */
} ValueCase;

static const ValueCase typeCases[] = {
    { "vnc_listen = 1\n", "1: expected a string for 'vnc_listen' parameter" },
    { "\nspice_listen = [ \"::1\" ]\n", "2: expected a string for 'spice_listen' parameter" },
    { "vnc_password = 12345678\n", "1: expected a string for 'vnc_password' parameter" },
    { "spice_password = -1\n", "1: expected a string for 'spice_password' parameter" },
    { "vnc_auto_unix_socket = \"yes\"\n", "1: expected a bool for 'vnc_auto_unix_socket'" },
    { "vnc_auto_unix_socket = -0\n", "1: expected a bool for 'vnc_auto_unix_socket'" },
    { "vnc_auto_unix_socket = 2\n",
      "1: value for 'vnc_auto_unix_socket' parameter must be 0 or 1" },
    { "remote_display_port_min = \"5900\"\n",
      "1: expected an unsigned integer for 'remote_display_port_min' parameter" },
    { "a = 1\nremote_display_port_max = -65535\n",
      "2: expected an unsigned integer for 'remote_display_port_max' parameter" },
    { "remote_websocket_port_min = [ 5700 ]\n",
      "1: expected an unsigned integer for 'remote_websocket_port_min' parameter" },
    { "remote_websocket_port_max = 4294967296\n",
      "1: value for 'remote_websocket_port_max' parameter must be in range 0:4294967295" },
};

static void testWrongTypes(Fixture *f, gconstpointer data)
{
    for (gsize i = 0; i < G_N_ELEMENTS(typeCases); i++) {
        g_autofree char *needle = g_strdup_printf("%s:%s", f->path, typeCases[i].message);

        writeConf(f, typeCases[i].text);
        g_assert_null(vkQEMUConfigLoad(f->path));
        assertLastError(VIR_ERR_INTERNAL_ERROR, needle);
    }
}

/* Values the driver could not carry unchanged into a guest's live XML, its status file and
 * qemu's command line are refused at load, naming the key and the line: a listen address must
 * read back from the status file as written (no host names, as in the XML), and nothing may
 * smuggle options onto qemu's command line. */
static const ValueCase badValueCases[] = {
    { "vnc_listen = \"localhost\"\n",
      "1: invalid listen address 'localhost' for 'vnc_listen': expected an IPv4 or IPv6 address" },
    { "# comment\nvnc_listen = \"127.0.0.1,password=off\"\n",
      "2: invalid listen address '127.0.0.1,password=off' for 'vnc_listen'" },
    { "spice_listen = \"127.0.0.1,disable-ticketing=on\"\n",
      "1: invalid listen address '127.0.0.1,disable-ticketing=on' for 'spice_listen'" },
    { "spice_listen = \"\"\n", "1: invalid listen address '' for 'spice_listen'" },
    { "vnc_listen = \"[::1]\"\n", "1: invalid listen address '[::1]' for 'vnc_listen'" },
    { "vnc_listen = \" 127.0.0.1\"\n", "1: invalid listen address ' 127.0.0.1' for 'vnc_listen'" },
    { "vnc_password = \"a\tb\"\n",
      "1: the value of 'vnc_password' contains a control character (0x09)" },
    { "spice_password = \"\"\"a\nb\"\"\"\n",
      "1: the value of 'spice_password' contains a control character (0x0a)" },
    { "spice_password = \"\"\"a\rb\"\"\"\n",
      "1: the value of 'spice_password' contains a control character (0x0d)" },
    { "vnc_password = \"x\x01y\"\n",
      "1: the value of 'vnc_password' contains a control character (0x01)" },
    { "vnc_password = \"x\x7fy\"\n",
      "1: the value of 'vnc_password' contains a control character (0x7f)" },
    { "vnc_password = \"\xff\xfe\"\n", "1: the value of 'vnc_password' is not valid UTF-8" },
    { "spice_tls_x509_cert_dir = \"/etc/pki\nqemu\"\n", "1: unterminated string" },
    { "default_tls_x509_cert_dir = \"/etc/\x1bpki\"\n",
      "1: the value of 'default_tls_x509_cert_dir' contains a control character (0x1b)" },
};

static void testBadValues(Fixture *f, gconstpointer data)
{
    g_autoptr(vkQEMUConfig) ok = NULL;

    for (gsize i = 0; i < G_N_ELEMENTS(badValueCases); i++) {
        g_autofree char *needle = g_strdup_printf("%s:%s", f->path, badValueCases[i].message);
        virErrorPtr err;

        writeConf(f, badValueCases[i].text);
        g_assert_null(vkQEMUConfigLoad(f->path));
        err = virGetLastError();
        g_assert_nonnull(err);
        if (!strstr(err->message, needle))
            g_error("case %" G_GSIZE_FORMAT ": \"%s\" lacks \"%s\"", i, err->message, needle);
        vkResetLastError();
    }

    /* Any other text is fine, commas and non-ASCII included (qemu gets passwords over QMP and
     * certificate directories escaped). */
    ok = loadText(f, "vnc_password = \"p,w='x'\"\nspice_password = \"h\xc3\xa9llo w\"\n"
                     "spice_tls_x509_cert_dir = \"/srv/pki,qemu\"\n");
    g_assert_cmpstr(ok->vncPassword, ==, "p,w='x'");
    g_assert_cmpstr(ok->spicePassword, ==, "h\xc3\xa9llo w");
    g_assert_cmpstr(ok->spiceTLSx509certdir, ==, "/srv/pki,qemu");
}

static const ValueCase rangeCases[] = {
    { "remote_display_port_min = 5899\n",
      "remote_display_port_min: port must be greater than or equal to 5900" },
    { "remote_display_port_min = 0\n",
      "remote_display_port_min: port must be greater than or equal to 5900" },
    { "remote_display_port_max = 65536\n",
      "remote_display_port_max: port must be between the minimal port and 65535" },
    { "remote_display_port_min = 6000\nremote_display_port_max = 5999\n",
      "remote_display_port_max: port must be between the minimal port and 65535" },
    { "remote_display_port_min = 70000\n",
      "remote_display_port_max: port must be between the minimal port and 65535" },
    { "remote_websocket_port_min = 5699\n",
      "remote_websocket_port_min: port must be greater than or equal to 5700" },
    { "remote_websocket_port_max = 100000\n",
      "remote_websocket_port_max: port must be between the minimal port and 65535" },
    { "remote_websocket_port_min = 5800\nremote_websocket_port_max = 5700\n",
      "remote_websocket_port_max: port must be between the minimal port and 65535" },
};

static void testBadRanges(Fixture *f, gconstpointer data)
{
    g_autoptr(vkQEMUConfig) single = NULL;

    for (gsize i = 0; i < G_N_ELEMENTS(rangeCases); i++) {
        g_autofree char *needle = g_strdup_printf("%s: %s", f->path, rangeCases[i].message);

        writeConf(f, rangeCases[i].text);
        g_assert_null(vkQEMUConfigLoad(f->path));
        g_assert_cmpint(virGetLastError()->domain, ==, VIR_FROM_QEMU);
        assertLastError(VIR_ERR_INTERNAL_ERROR, needle);
    }

    /* A range of one port is a range. */
    single = loadText(f, "remote_display_port_min = 5900\nremote_display_port_max = 5900\n"
                         "remote_websocket_port_min = 5700\nremote_websocket_port_max = 5700\n");
    g_assert_cmpuint(single->displayPortMax, ==, 5900);
    g_assert_cmpuint(single->websocketPortMax, ==, 5700);
}

static void testUnreadable(Fixture *f, gconstpointer data)
{
    /* A directory cannot be read, even by root. */
    g_assert_cmpint(g_mkdir(f->path, 0700), ==, 0);
    g_assert_null(vkQEMUConfigLoad(f->path));
    assertLastError(VIR_ERR_SYSTEM_ERROR, f->path);
}

static void testPath(Fixture *f, gconstpointer data)
{
    g_autoptr(vkDriverPaths) paths = NULL;
    g_autofree char *path = NULL;

    paths = vkDriverPathsNewFromString("qemu:///embed?root=/srv/vk", "qemu", VIR_FROM_QEMU);
    assertOK(paths != NULL);
    path = vkQEMUConfigPath(paths);
    g_assert_cmpstr(path, ==, "/srv/vk/etc/qemu/qemu.conf");
}

#define ADD(name, fn) \
    g_test_add("/qemu-conf/" name, Fixture, NULL, fixtureSetup, fn, fixtureTeardown)

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);

    ADD("defaults", testDefaults);
    ADD("every-key", testEveryKey);
    ADD("syntax", testSyntax);
    ADD("first-occurrence-counts", testFirstOccurrenceCounts);
    ADD("listen-addresses", testListenAddresses);
    ADD("bad-values", testBadValues);
    ADD("vnc-password-truncated", testVNCPasswordTruncated);
    ADD("syntax-errors", testSyntaxErrors);
    ADD("wrong-types", testWrongTypes);
    ADD("bad-ranges", testBadRanges);
    ADD("unreadable", testUnreadable);
    ADD("path", testPath);
    return g_test_run();
}

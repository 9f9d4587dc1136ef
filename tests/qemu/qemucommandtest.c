/* Golden tests of the qemu command-line builder: each tests/qemu/data/CASE.xml is built with
 * fixed runtime facts and compared with CASE.args (one argument per line), or, for a
 * definition qemu cannot run, with the error text in CASE.err. A CASE named defaults-* is
 * first completed as the driver completes a new definition (qemu_postparse.c).
 * VK_TEST_REGENERATE=1 rewrites the expected files instead. */
#include <string.h>

#include "qemu/qemu_command.h"
#include "qemutestutil.h"

typedef struct {
    char *name;
    char *xmlPath;
    char *argsPath;
    char *errPath;
} TestCase;

static const char *dataDir;

static gboolean regenerate(void)
{
    const char *v = g_getenv("VK_TEST_REGENERATE");
    return v && *v && !g_str_equal(v, "0");
}

/* The facts a driver would have resolved: descriptor numbers as vkQEMUProcessStart hands
 * them out, ports from the bottom of each range, a documentation address for networks. */
static vkQEMURuntime *goldenRuntime(const vkDomainDef *def)
{
    vkQEMURuntime *rt = vkQEMURuntimeNew(def);
    int nextFd = 5;

    rt->monitorPath = g_strdup_printf("/run/virtkit/qemu/%s.monitor", def->name);
    rt->monitorFd = 3;
    rt->eventsPath = g_strdup_printf("/run/virtkit/qemu/%s.events", def->name);
    rt->eventsFd = 4;
    rt->now = 1700000000; /* 2023-11-14T22:13:20Z */
    rt->spiceTLSDir = g_strdup("/etc/pki/virtkit-spice");
    rt->channelDir = g_strdup_printf("/run/virtkit/qemu/%s.channel", def->name);
    rt->tpmSocket = g_strdup_printf("/run/virtkit/qemu/%s.swtpm.sock", def->name);
    for (size_t i = 0; i < def->nnets; i++) {
        if (vkQEMUNetUsesTap(def->nets[i]))
            rt->nets[i].tapFd = nextFd++;
        if (def->nets[i]->type == VK_DOMAIN_NET_TYPE_NETWORK)
            rt->nets[i].bridge = g_strdup("virbr0");
    }
    for (size_t i = 0; i < def->ngraphics; i++) {
        const vkDomainGraphicsDef *g = def->graphics[i];
        const vkDomainGraphicsListenDef *l = &g->listens[0];
        vkQEMUGraphicsRuntime *rg = &rt->graphics[i];

        if (g->autoport || g->port == -1)
            rg->port = 5900 + (int)i;
        if (g->type == VK_DOMAIN_GRAPHICS_TYPE_SPICE && g->tlsPort == -1)
            rg->tlsPort = 5910 + (int)i;
        if (g->websocket == -1)
            rg->websocket = 5700 + (int)i;
        if (l->type == VK_DOMAIN_GRAPHICS_LISTEN_TYPE_NETWORK && !l->address)
            rg->address = g_strdup("192.0.2.1");
        if (l->type == VK_DOMAIN_GRAPHICS_LISTEN_TYPE_SOCKET && !l->socket)
            rg->socket = g_strdup_printf("/run/virtkit/qemu/%s.vnc", def->name);
    }
    return rt;
}

/* The command line as the .args file holds it, or NULL with the error message in *ERR. */
static char *buildCase(const TestCase *tc, char **err)
{
    g_autoptr(vkDomainDef) def = NULL;
    g_autoptr(vkQEMURuntime) rt = NULL;
    g_auto(GStrv) argv = NULL;
    g_autoptr(GString) out = g_string_new(NULL);

    vkResetLastError();
    def = vkDomainDefParseFile(tc->xmlPath, VK_DOMAIN_DEF_PARSE_INACTIVE);
    assertOK(def != NULL);
    /* defaults-* cases are built from the definition the driver stores. */
    if (g_str_has_prefix(tc->name, "defaults-"))
        assertOK(testQEMUPostParse(def) == 0);
    rt = goldenRuntime(def);
    if (!(argv = vkQEMUBuildCommandLine(def, rt, NULL))) {
        g_assert_true(vkHasError());
        *err = g_strdup_printf("%s\n", virGetLastError()->message);
        vkResetLastError();
        return NULL;
    }
    g_assert_false(vkHasError());
    for (char **a = argv; *a; a++) {
        /* One argument per line only works while no argument holds a newline. */
        g_assert_null(strchr(*a, '\n'));
        /* Passwords go over QMP: the command line is visible to every local user. */
        for (size_t i = 0; i < def->ngraphics; i++) {
            if (def->graphics[i]->passwd)
                g_assert_null(strstr(*a, def->graphics[i]->passwd));
        }
        g_string_append_printf(out, "%s\n", *a);
    }
    return g_string_free(g_steal_pointer(&out), FALSE);
}

static void writeExpected(const char *path, const char *text)
{
    g_autoptr(GError) gerr = NULL;

    g_assert_true(g_file_set_contents(path, text, -1, &gerr));
    g_test_message("rewrote %s", path);
}

static void compareText(const char *path, const char *actual)
{
    g_autofree char *expected = NULL;
    g_autoptr(GError) gerr = NULL;
    g_auto(GStrv) want = NULL;
    g_auto(GStrv) got = NULL;

    if (!g_file_get_contents(path, &expected, NULL, &gerr))
        g_error("%s: %s (VK_TEST_REGENERATE=1 creates it)", path, gerr->message);
    if (g_str_equal(expected, actual))
        return;
    want = g_strsplit(expected, "\n", -1);
    got = g_strsplit(actual, "\n", -1);
    for (guint i = 0;; i++) {
        if (g_strcmp0(want[i], got[i]) != 0)
            g_error("%s line %u:\n  expected: %s\n  actual:   %s", path, i + 1,
                    want[i] ? want[i] : "<end>", got[i] ? got[i] : "<end>");
        if (!want[i])
            break;
    }
}

static void testCase(gconstpointer data)
{
    const TestCase *tc = data;
    g_autofree char *err = NULL;
    g_autofree char *args = buildCase(tc, &err);
    gboolean expectErr = g_file_test(tc->errPath, G_FILE_TEST_EXISTS);

    if (regenerate()) {
        writeExpected(args ? tc->argsPath : tc->errPath, args ? args : err);
        if (args && expectErr)
            g_assert_cmpint(g_unlink(tc->errPath), ==, 0);
        return;
    }
    if (expectErr && args)
        g_error("%s: expected an error, got a command line", tc->name);
    if (!expectErr && !args)
        g_error("%s: %s", tc->name, err);
    compareText(args ? tc->argsPath : tc->errPath, args ? args : err);
}

static void testCaseFree(gpointer data)
{
    TestCase *tc = data;

    g_free(tc->name);
    g_free(tc->xmlPath);
    g_free(tc->argsPath);
    g_free(tc->errPath);
    g_free(tc);
}

static gint compareNames(gconstpointer a, gconstpointer b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static GPtrArray *listCases(void)
{
    g_autoptr(GError) gerr = NULL;
    g_autoptr(GDir) dir = g_dir_open(dataDir, 0, &gerr);
    g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func(g_free);
    GPtrArray *cases = g_ptr_array_new_with_free_func(testCaseFree);
    const char *entry;

    g_assert_no_error(gerr);
    while ((entry = g_dir_read_name(dir))) {
        if (g_str_has_suffix(entry, ".xml"))
            g_ptr_array_add(names, g_strndup(entry, strlen(entry) - 4));
    }
    g_ptr_array_sort(names, compareNames);
    for (guint i = 0; i < names->len; i++) {
        TestCase *tc = g_new0(TestCase, 1);
        const char *name = names->pdata[i];

        tc->name = g_strdup(name);
        tc->xmlPath = g_strdup_printf("%s/%s.xml", dataDir, name);
        tc->argsPath = g_strdup_printf("%s/%s.args", dataDir, name);
        tc->errPath = g_strdup_printf("%s/%s.err", dataDir, name);
        g_ptr_array_add(cases, tc);
    }
    return cases;
}

/* ---- behaviour outside the golden files ---- */

static vkDomainDef *parseCase(const char *name)
{
    g_autofree char *path = g_strdup_printf("%s/%s.xml", dataDir, name);
    vkDomainDef *def = vkDomainDefParseFile(path, VK_DOMAIN_DEF_PARSE_INACTIVE);

    assertOK(def != NULL);
    return def;
}

static gboolean argvHasPair(char **argv, const char *opt, const char *value)
{
    for (char **a = argv; *a && a[1]; a++) {
        if (g_str_equal(*a, opt) && g_str_equal(a[1], value))
            return TRUE;
    }
    return FALSE;
}

/* Without a pre-opened socket qemu creates the monitor socket at the path itself. */
static void testMonitorPath(void)
{
    g_autoptr(vkDomainDef) def = parseCase("minimal-kvm");
    g_autoptr(vkQEMURuntime) rt = vkQEMURuntimeNew(def);
    g_auto(GStrv) argv = NULL;

    rt->monitorPath = g_strdup("/run/a,b/x.monitor");
    argv = vkQEMUBuildCommandLine(def, rt, NULL);
    assertOK(argv != NULL);
    g_assert_true(argvHasPair(argv, "-chardev",
                              "socket,id=charmonitor,path=/run/a,,b/x.monitor,server=on,wait=off"));
    /* No events socket was asked for: none is there. */
    g_assert_false(argvHasPair(argv, "-mon", "chardev=charevents,id=events,mode=control"));

    rt->eventsPath = g_strdup("/run/a,b/x.events");
    g_clear_pointer(&argv, g_strfreev);
    argv = vkQEMUBuildCommandLine(def, rt, NULL);
    assertOK(argv != NULL);
    g_assert_true(argvHasPair(argv, "-chardev",
                              "socket,id=charevents,path=/run/a,,b/x.events,server=on,wait=off"));
    g_assert_true(argvHasPair(argv, "-mon", "chardev=charevents,id=events,mode=control"));
}

static void testMissingFacts(void)
{
    g_autoptr(vkDomainDef) tap = parseCase("net-tap");
    g_autoptr(vkDomainDef) vnc = parseCase("graphics-vnc-autoport");
    g_autoptr(vkQEMURuntime) rt = vkQEMURuntimeNew(tap);
    g_autoptr(vkQEMURuntime) vncRt = vkQEMURuntimeNew(vnc);

    g_assert_null(vkQEMUBuildCommandLine(tap, rt, NULL));
    assertLastError(VIR_ERR_INTERNAL_ERROR, "no QMP monitor socket");
    rt->monitorPath = g_strdup("/tmp/m");
    g_assert_null(vkQEMUBuildCommandLine(tap, rt, NULL));
    assertLastError(VIR_ERR_INTERNAL_ERROR, "interface 0 (type 'network') has no tap descriptor");
    vncRt->monitorPath = g_strdup("/tmp/m");
    g_assert_null(vkQEMUBuildCommandLine(vnc, vncRt, NULL));
    assertLastError(VIR_ERR_INTERNAL_ERROR, "vnc graphics: no port was allocated");
}

/* With capabilities the machine type is the canonical name qemu reports. */
static void testCanonicalMachine(void)
{
    g_autofree char *qemu = testFindQEMU();
    g_autofree char *cache = NULL;
    g_autoptr(vkQEMUCaps) caps = NULL;
    g_autoptr(vkDomainDef) def = NULL;

    if (!qemu)
        return;
    cache = testMakeTmpDir("vkqemucmd-XXXXXX");
    caps = vkQEMUCapsGet(cache, qemu);
    assertOK(caps != NULL);
    def = parseCase("minimal-kvm");
    g_assert_cmpstr(vkQEMUMachineName(def, NULL), ==, "pc");
    g_assert_true(g_str_has_prefix(vkQEMUMachineName(def, caps), "pc-i440fx-"));
    g_free(def->os.machine);
    def->os.machine = g_strdup("q35");
    g_assert_true(g_str_has_prefix(vkQEMUMachineName(def, caps), "pc-q35-"));
    g_free(def->os.machine);
    def->os.machine = g_strdup("no-such-machine");
    g_assert_cmpstr(vkQEMUMachineName(def, caps), ==, "no-such-machine");
    g_clear_pointer(&def->os.machine, g_free);
    g_assert_cmpstr(vkQEMUMachineName(def, caps), ==, vkQEMUCapsGetDefaultMachine(caps));
    testRemoveTree(cache);
}

int main(int argc, char **argv)
{
    g_autoptr(GPtrArray) cases = NULL;

    g_test_init(&argc, &argv, NULL);
    dataDir = g_getenv("VK_QEMU_TEST_DATA");
    if (!dataDir)
        dataDir = QEMU_TEST_DATA;
    cases = listCases();
    for (guint i = 0; i < cases->len; i++) {
        const TestCase *tc = cases->pdata[i];
        g_autofree char *path = g_strdup_printf("/qemu/command/golden/%s", tc->name);

        g_test_add_data_func(path, tc, testCase);
    }
    g_test_add_func("/qemu/command/monitor-path", testMonitorPath);
    g_test_add_func("/qemu/command/missing-facts", testMissingFacts);
    g_test_add_func("/qemu/command/canonical-machine", testCanonicalMachine);
    return g_test_run();
}

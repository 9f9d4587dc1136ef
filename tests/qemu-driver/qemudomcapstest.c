/* What tools ask before they write a guest (virt-install, virt-manager): domain capabilities
 * (valid against libvirt's schema, libvirt's errors for what the emulator cannot do), CPU
 * baselines, the snapshot count and the messages, through the public API on qemu:///embed. Run by
 * api.sh, which provides the root (VKQ_ROOT). */
#include <glib.h>
#include <stdlib.h>
#include <string.h>
#include <virtkit/virtkit.h>

#define DOMCAPS_SCHEMA "/usr/share/libvirt/schemas/domaincaps.rng"

static char *uri;
static const char *root;
static const char *virtType;

static void quietHandler(void *data, virErrorPtr err)
{
}

static void assertError(int code, int domain, const char *text)
{
    virErrorPtr err = virGetLastError();

    g_assert_nonnull(err);
    if (err->code != code || err->domain != domain || !strstr(err->message, text))
        g_error("error %d/%d '%s', expected %d/%d with '%s'", err->code, err->domain, err->message,
                code, domain, text);
}

/* DOC passes libvirt's schema (when installed) and holds NEEDLE. */
static void assertDomcaps(const char *doc, const char *needle)
{
    g_autofree char *path = g_build_filename(root, "domcaps.xml", NULL);
    const char *argv[] = { "xmllint", "--noout", "--relaxng", DOMCAPS_SCHEMA, path, NULL };
    g_autofree char *err = NULL;
    int status = -1;

    g_assert_nonnull(doc);
    if (!strstr(doc, needle))
        g_error("no '%s' in:\n%s", needle, doc);
    if (!g_file_test(DOMCAPS_SCHEMA, G_FILE_TEST_EXISTS))
        return;
    g_assert_true(g_file_set_contents(path, doc, -1, NULL));
    g_assert_true(g_spawn_sync(NULL, (char **)argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, NULL,
                               &err, &status, NULL));
    if (!g_spawn_check_wait_status(status, NULL))
        g_error("libvirt's schema refuses:\n%s\n%s", doc, err);
}

static void testDomcaps(void)
{
    virConnectPtr conn = virConnectOpen(uri);
    g_autofree char *def = NULL, *q35 = NULL, *tcg = NULL;

    g_assert_nonnull(conn);
    def = virConnectGetDomainCapabilities(conn, NULL, NULL, NULL, NULL, 0);
    assertDomcaps(def, "<path>/usr/bin/qemu-system-x86_64</path>");
    assertDomcaps(def, "<arch>x86_64</arch>");
    q35 = virConnectGetDomainCapabilities(conn, "/usr/bin/qemu-system-x86_64", "x86_64", "q35",
                                          "qemu", 0);
    assertDomcaps(q35, "<machine>pc-q35-");
    assertDomcaps(q35, "<domain>qemu</domain>");
    /* without KVM there is no host CPU to pass through */
    assertDomcaps(q35, "<mode name='host-passthrough' supported='no'/>");
    tcg = virConnectGetDomainCapabilities(conn, NULL, NULL, NULL, virtType, 0);
    assertDomcaps(tcg, g_str_equal(virtType, "kvm")
                           ? "<mode name='host-passthrough' supported='yes'>"
                           : "<domain>qemu</domain>");

    g_assert_null(virConnectGetDomainCapabilities(conn, NULL, NULL, NULL, "xen", 0));
    assertError(VIR_ERR_INVALID_ARG, VIR_FROM_QEMU, "unknown virttype: xen");
    g_assert_null(virConnectGetDomainCapabilities(conn, NULL, "pdp11", NULL, NULL, 0));
    assertError(VIR_ERR_INVALID_ARG, VIR_FROM_QEMU, "unknown architecture: pdp11");
    g_assert_null(virConnectGetDomainCapabilities(conn, NULL, "aarch64", NULL, NULL, 0));
    assertError(VIR_ERR_INVALID_ARG, VIR_FROM_QEMU,
                "architecture from emulator 'x86_64' doesn't match given architecture 'aarch64'");
    g_assert_null(virConnectGetDomainCapabilities(conn, NULL, NULL, "pc-nope", NULL, 0));
    assertError(VIR_ERR_INVALID_ARG, VIR_FROM_QEMU,
                "the machine 'pc-nope' is not supported by emulator");
    g_assert_null(virConnectGetDomainCapabilities(conn, NULL, NULL, NULL, NULL, 1));
    assertError(VIR_ERR_INVALID_ARG, VIR_FROM_QEMU, "unsupported flags (0x1)");
    virConnectClose(conn);

    conn = virConnectOpenReadOnly(uri);
    g_assert_null(virConnectGetDomainCapabilities(conn, NULL, NULL, NULL, NULL, 0));
    assertError(VIR_ERR_OPERATION_DENIED, VIR_FROM_DOMAIN,
                "read only access prevents virConnectGetDomainCapabilities");
    virConnectClose(conn);
}

static void testBaseline(void)
{
    virConnectPtr conn = virConnectOpen(uri);
    const char *same[] = {
        "<cpu><model>Haswell</model><vendor>Intel</vendor>"
        "<feature policy='require' name='aes'/><feature name='x2apic'/></cpu>",
        "<capabilities><host><cpu><arch>x86_64</arch><model>Haswell</model>"
        "<feature name='aes'/></cpu></host></capabilities>",
    };
    const char *differ[] = { "<cpu><model>Haswell</model></cpu>",
                             "<cpu><model>Skylake-Client</model></cpu>" };
    const char *bad[] = { "<cpu><model>" };
    const char *nomodel[] = { "<cpu><vendor>Intel</vendor></cpu>" };
    g_autofree char *cpu = NULL;

    g_assert_nonnull(conn);
    cpu = virConnectBaselineHypervisorCPU(conn, NULL, NULL, NULL, NULL, same, 2, 0);
    g_assert_cmpstr(cpu, ==,
                    "<cpu mode='custom' match='exact'>\n"
                    "  <model fallback='forbid'>Haswell</model>\n"
                    "  <vendor>Intel</vendor>\n"
                    "  <feature policy='require' name='aes'/>\n"
                    "</cpu>\n");
    g_assert_null(virConnectBaselineHypervisorCPU(conn, NULL, NULL, NULL, NULL, differ, 2, 0));
    assertError(VIR_ERR_OPERATION_UNSUPPORTED, VIR_FROM_QEMU, "'Haswell' and 'Skylake-Client'");
    g_assert_null(virConnectBaselineHypervisorCPU(conn, NULL, NULL, NULL, NULL, same, 0, 0));
    assertError(VIR_ERR_INVALID_ARG, VIR_FROM_QEMU, "no CPUs given");
    g_assert_null(virConnectBaselineHypervisorCPU(conn, NULL, NULL, NULL, NULL, bad, 1, 0));
    g_assert_cmpint(virGetLastErrorCode(), ==, VIR_ERR_XML_DETAIL);
    g_assert_null(virConnectBaselineHypervisorCPU(conn, NULL, NULL, NULL, NULL, nomodel, 1, 0));
    assertError(VIR_ERR_INVALID_ARG, VIR_FROM_QEMU, "no CPU model specified at index 0");
    g_assert_null(virConnectBaselineHypervisorCPU(conn, NULL, NULL, NULL, "xen", same, 1, 0));
    assertError(VIR_ERR_INVALID_ARG, VIR_FROM_QEMU, "unknown virttype: xen");
    g_assert_null(virConnectBaselineHypervisorCPU(conn, NULL, NULL, NULL, NULL, NULL, 1, 0));
    g_assert_cmpint(virGetLastErrorCode(), ==, VIR_ERR_INVALID_ARG);
    virConnectClose(conn);
}

static void testSnapshotNum(void)
{
    virConnectPtr conn = virConnectOpen(uri);
    g_autofree char *xml =
        g_strdup_printf("<domain type='%s'><name>%ssnap</name><memory unit='MiB'>64</memory>"
                        "<os><type arch='x86_64'>hvm</type></os></domain>",
                        virtType, g_getenv("VKQ_PREFIX"));
    virDomainPtr dom = virDomainDefineXML(conn, xml);

    g_assert_nonnull(dom);
    g_assert_cmpint(virDomainSnapshotNum(dom, 0), ==, 0);
    g_assert_cmpint(virDomainSnapshotNum(dom, VIR_DOMAIN_SNAPSHOT_LIST_ROOTS |
                                                  VIR_DOMAIN_SNAPSHOT_LIST_TOPOLOGICAL),
                    ==, 0);
    g_assert_cmpint(virDomainSnapshotNum(dom, 1u << 11), ==, -1);
    assertError(VIR_ERR_INVALID_ARG, VIR_FROM_QEMU, "unsupported flags (0x800)");
    /* no taint or deprecation is recorded: no message */
    {
        char **msgs = NULL;
        g_assert_cmpint(virDomainGetMessages(dom, &msgs, 0), ==, 0);
        g_assert_nonnull(msgs);
        g_assert_null(msgs[0]);
        free(msgs);
        g_assert_cmpint(virDomainGetMessages(dom, &msgs, 4), ==, -1);
        assertError(VIR_ERR_INVALID_ARG, VIR_FROM_QEMU, "unsupported flags (0x4)");
    }
    g_assert_cmpint(virDomainUndefine(dom), ==, 0);
    g_assert_cmpint(virDomainSnapshotNum(dom, 0), ==, -1);
    assertError(VIR_ERR_NO_DOMAIN, VIR_FROM_QEMU, "no domain with matching uuid");
    virDomainFree(dom);
    virConnectClose(conn);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    root = g_getenv("VKQ_ROOT");
    virtType = g_getenv("VKQ_VIRT_TYPE");
    g_assert_nonnull(root);
    g_assert_nonnull(virtType);
    uri = g_strdup_printf("qemu:///embed?root=%s", root);
    virSetErrorFunc(NULL, quietHandler);
    g_test_add_func("/qemu-driver/domcaps/document", testDomcaps);
    g_test_add_func("/qemu-driver/domcaps/baseline", testBaseline);
    g_test_add_func("/qemu-driver/domcaps/snapshot-num", testSnapshotNum);
    return g_test_run();
}

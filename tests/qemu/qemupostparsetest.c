/* The defaults the qemu driver stores with a new definition: each
 * tests/qemu/data/postparse/CASE.xml, completed as the driver completes a definition, must
 * format as CASE.out.xml, which is what virsh dumpxml printed after defining CASE.xml on
 * libvirt 9.0's embedded qemu driver with qemu 7.2, less the blank line virsh appends
 * (postparse-libvirt.sh checks that against libvirt itself, and writes them with
 * --regenerate). The outputs validate against libvirt's domain.rng. VK_TEST_REGENERATE=1
 * rewrites them from our output instead; review the diff.
 *
 * The PCI cases go to the limits of address assignment: every slot of pcie-root full of root
 * ports (240), root ports sharing slots with ones the definition placed, more devices than
 * pci-root has slots, functions of one slot given in the definition, devices behind bridges
 * that do not exist yet, conventional devices on a PCIe machine.
 *
 * USB devices get their ports as libvirt gives them (q35-usb, pc-usb-ports); where libvirt would
 * add USB hubs, virtkit refuses (testErrors). Every case matches libvirt. */
#include <string.h>

#include "qemutestutil.h"

static const char *dataDir;

static gboolean regenerate(void)
{
    const char *v = g_getenv("VK_TEST_REGENERATE");
    return v && *v && !g_str_equal(v, "0");
}

static char *postParsed(const char *xml)
{
    g_autoptr(vkDomainDef) def = vkDomainDefParseString(xml, VK_DOMAIN_DEF_PARSE_INACTIVE);

    assertOK(def != NULL);
    assertOK(testQEMUPostParse(def) == 0);
    return vkDomainDefFormat(def, VK_DOMAIN_DEF_FORMAT_INACTIVE);
}

static void testCase(gconstpointer data)
{
    const char *name = data;
    g_autofree char *inPath = g_strdup_printf("%s/%s.xml", dataDir, name);
    g_autofree char *outPath = g_strdup_printf("%s/%s.out.xml", dataDir, name);
    g_autofree char *input = NULL;
    g_autofree char *expected = NULL;
    g_autofree char *actual = NULL;
    g_autofree char *again = NULL;
    g_autoptr(GError) gerr = NULL;

    g_assert_true(g_file_get_contents(inPath, &input, NULL, &gerr));
    actual = postParsed(input);
    /* The stored definition is read back and completed again on every define: a fixed
     * point. */
    again = postParsed(actual);
    g_assert_cmpstr(again, ==, actual);
    if (regenerate()) {
        g_assert_true(g_file_set_contents(outPath, actual, -1, &gerr));
        return;
    }
    if (!g_file_get_contents(outPath, &expected, NULL, &gerr))
        g_error("%s: %s (VK_TEST_REGENERATE=1 creates it)", outPath, gerr->message);
    g_assert_cmpstr(actual, ==, expected);
}

static void expectError(const char *xml, int code, const char *needle)
{
    g_autoptr(vkDomainDef) def = vkDomainDefParseString(xml, VK_DOMAIN_DEF_PARSE_INACTIVE);

    assertOK(def != NULL);
    g_assert_cmpint(testQEMUPostParse(def), ==, -1);
    assertLastError(code, needle);
}

#define DOMAIN_HEAD                                                                    \
    "<domain type='kvm'><name>e</name><memory>262144</memory><os><type arch='x86_64' " \
    "machine='pc'>hvm</type></os><devices>"

static void testErrors(void)
{
    expectError(DOMAIN_HEAD "<controller type='pci' index='0' model='pcie-root'/></devices>"
                            "</domain>",
                VIR_ERR_XML_ERROR, "must be model='pci-root' for this machine type");
    expectError(DOMAIN_HEAD "<controller type='usb' index='0' model='piix3-uhci'><address "
                            "type='pci' slot='5'/></controller></devices></domain>",
                VIR_ERR_INTERNAL_ERROR, "must have PCI address 0:0:1.2");
    expectError(DOMAIN_HEAD "<interface type='user'><address type='pci' slot='3'/></interface>"
                            "<video><model type='vga'/><address type='pci' slot='3'/></video>"
                            "</devices></domain>",
                VIR_ERR_XML_ERROR, "Attempted double use of PCI Address 0000:00:03.0");
    /* The address hdd gets from its name is the one hda names: libvirt refuses at define,
     * where qemu would only fail at start with a duplicate device id. */
    expectError(DOMAIN_HEAD "<disk type='file' device='cdrom'><target dev='hdd' bus='ide'/>"
                            "</disk><disk type='file' device='cdrom'><target dev='hda' "
                            "bus='ide'/><address type='drive' controller='0' bus='1' "
                            "target='0' unit='1'/></disk></devices></domain>",
                VIR_ERR_CONFIG_UNSUPPORTED,
                "Found duplicate drive address for disk with target name 'hda' controller='0' "
                "bus='1' target='0' unit='1'");
    /* 30 slots of pcie-root hold 240 root ports; no controller can be added for one more. */
    {
        g_autoptr(GString) xml = g_string_new("<domain type='kvm'><name>e</name><memory>262144"
                                              "</memory><os><type arch='x86_64' machine='q35'>"
                                              "hvm</type></os><devices><controller type='pci' "
                                              "index='0' model='pcie-root'/>");

        for (int i = 0; i < 241; i++)
            g_string_append(xml, "<controller type='pci' model='pcie-root-port'/>");
        g_string_append(xml, "</devices></domain>");
        expectError(xml->str, VIR_ERR_INTERNAL_ERROR,
                    "a PCI slot is needed to connect a PCI controller model='pcie-root-port', "
                    "but none is available, and it cannot be automatically added");
    }
    expectError(DOMAIN_HEAD "</devices><cpu mode='host-passthrough'><cache mode='emulate'/>"
                            "</cpu></domain>",
                VIR_ERR_CONFIG_UNSUPPORTED,
                "CPU cache mode 'emulate' can only be used with level='3'");
    expectError(DOMAIN_HEAD "</devices><cpu><model>qemu64</model><cache mode='passthrough'/>"
                            "</cpu></domain>",
                VIR_ERR_CONFIG_UNSUPPORTED,
                "CPU cache mode 'passthrough' can only be used with 'host-passthrough' / "
                "'maximum' CPUs");
    expectError(DOMAIN_HEAD "</devices><cpu mode='host-passthrough'><cache level='2' "
                            "mode='disable'/></cpu></domain>",
                VIR_ERR_CONFIG_UNSUPPORTED, "unsupported CPU cache level for mode 'disable'");
    /* piix3-uhci has two ports: libvirt would add a usb-hub for the third device. */
    expectError(DOMAIN_HEAD "<input type='tablet' bus='usb'/><input type='mouse' bus='usb'/>"
                            "<input type='keyboard' bus='usb'/></devices></domain>",
                VIR_ERR_CONFIG_UNSUPPORTED,
                "3 USB devices need more than the 2 ports of the USB controllers: USB hubs are "
                "not supported");
    expectError(DOMAIN_HEAD "<input type='tablet' bus='usb'><address type='usb' bus='0' "
                            "port='2'/></input><input type='mouse' bus='usb'><address type='usb' "
                            "bus='0' port='2'/></input></devices></domain>",
                VIR_ERR_XML_ERROR, "Duplicate USB address bus 0 port 2");
    expectError(DOMAIN_HEAD "<input type='tablet' bus='usb'><address type='usb' bus='0' "
                            "port='3'/></input></devices></domain>",
                VIR_ERR_XML_ERROR, "requested USB port 3 not present on USB bus 0");
    expectError(DOMAIN_HEAD "<input type='tablet' bus='usb'><address type='usb' bus='1' "
                            "port='1'/></input></devices></domain>",
                VIR_ERR_XML_ERROR, "Missing USB bus 1");
    expectError(DOMAIN_HEAD "<input type='tablet' bus='usb'><address type='usb' bus='1'/>"
                            "</input></devices></domain>",
                VIR_ERR_XML_ERROR,
                "USB bus 1 requested but no controller with that index is present");
    expectError(DOMAIN_HEAD "<controller type='usb' model='none'/><input type='tablet' "
                            "bus='usb'/></devices></domain>",
                VIR_ERR_CONFIG_UNSUPPORTED,
                "USB is disabled for this domain, but USB devices are present in the domain XML");
    expectError("<domain type='kvm'><name>e</name><maxMemory slots='16' unit='KiB'>1524288"
                "</maxMemory><memory>262144</memory><os><type arch='x86_64' machine='pc'>hvm"
                "</type></os></domain>",
                VIR_ERR_CONFIG_UNSUPPORTED,
                "At least one numa node has to be configured when enabling memory hotplug");
}

/* Ports behind hubs ("1.2") need hubs, which virtkit does not have. */
static void testUSBAddressParse(void)
{
    static const struct {
        const char *addr;
        const char *error;
    } bad[] = {
        { "<address type='usb' bus='0' port='1.2'/>", "USB hubs are not supported" },
        { "<address type='usb' bus='0' port='x'/>", "Cannot parse <address> 'port' attribute" },
        { "<address type='usb' bus='0' port='-1'/>", "Cannot parse <address> 'port' attribute" },
        { "<address type='usb' bus='x'/>", "bus" },
        { "<address type='usb' bus='0' slot='1'/>", "slot" },
    };

    for (size_t i = 0; i < G_N_ELEMENTS(bad); i++) {
        g_autofree char *xml = g_strdup_printf(DOMAIN_HEAD "<input type='tablet' bus='usb'>%s"
                                                           "</input></devices></domain>",
                                               bad[i].addr);

        g_assert_null(vkDomainDefParseString(xml, VK_DOMAIN_DEF_PARSE_INACTIVE));
        g_assert_nonnull(virGetLastError());
        if (!strstr(virGetLastError()->message, bad[i].error))
            g_error("%s: \"%s\" lacks \"%s\"", bad[i].addr, virGetLastError()->message,
                    bad[i].error);
        vkResetLastError();
    }
}

/* <audio>: the backends that need no host setup, each with its own id. */
static void testAudioParse(void)
{
    static const struct {
        const char *audio;
        const char *error;
    } bad[] = {
        { "<audio id='1' type='pulseaudio'/>", "unsupported audio type 'pulseaudio'" },
        { "<audio type='none'/>", "missing required attribute" },
        { "<audio id='0' type='none'/>", "id" },
        { "<audio id='1' type='none'/><audio id='1' type='spice'/>", "audio id '1' is not unique" },
    };

    for (size_t i = 0; i < G_N_ELEMENTS(bad); i++) {
        g_autofree char *xml = g_strdup_printf(DOMAIN_HEAD "%s</devices></domain>", bad[i].audio);

        g_assert_null(vkDomainDefParseString(xml, VK_DOMAIN_DEF_PARSE_INACTIVE));
        g_assert_nonnull(virGetLastError());
        if (!strstr(virGetLastError()->message, bad[i].error))
            g_error("%s: \"%s\" lacks \"%s\"", bad[i].audio, virGetLastError()->message,
                    bad[i].error);
        vkResetLastError();
    }
}

static gint compareNames(gconstpointer a, gconstpointer b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

int main(int argc, char **argv)
{
    g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func(g_free);
    g_autoptr(GError) gerr = NULL;
    g_autoptr(GDir) dir = NULL;
    const char *entry;

    g_test_init(&argc, &argv, NULL);
    dataDir = g_getenv("VK_QEMU_POSTPARSE_DATA");
    if (!dataDir)
        dataDir = QEMU_TEST_DATA "/postparse";
    dir = g_dir_open(dataDir, 0, &gerr);
    g_assert_no_error(gerr);
    while ((entry = g_dir_read_name(dir))) {
        if (g_str_has_suffix(entry, ".xml") && !g_str_has_suffix(entry, ".out.xml"))
            g_ptr_array_add(names, g_strndup(entry, strlen(entry) - 4));
    }
    g_ptr_array_sort(names, compareNames);
    for (guint i = 0; i < names->len; i++) {
        g_autofree char *path = g_strdup_printf("/qemu/postparse/%s", (char *)names->pdata[i]);
        g_test_add_data_func(path, names->pdata[i], testCase);
    }
    g_test_add_func("/qemu/postparse/errors", testErrors);
    g_test_add_func("/qemu/postparse/usb-address-parse", testUSBAddressParse);
    g_test_add_func("/qemu/postparse/audio-parse", testAudioParse);
    return g_test_run();
}

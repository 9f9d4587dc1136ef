/* The live status file: format and parse are inverse, it is written atomically and privately,
 * a damaged file is reported with its path, and the state names are libvirt's. */
#include <string.h>
#include <sys/stat.h>

#include "qemu/qemu_domain.h"
#include "qemutestutil.h"

static const char domainXML[] =
    "<domain type='kvm' id='7'>\n"
    "  <name>status-guest</name>\n"
    "  <uuid>0c4f7a2e-5b1d-4e8a-9f3c-2d6b8a1e4c70</uuid>\n"
    "  <memory unit='KiB'>131072</memory>\n"
    "  <vcpu>1</vcpu>\n"
    "  <os>\n"
    "    <type arch='x86_64' machine='pc'>hvm</type>\n"
    "  </os>\n"
    "  <devices>\n"
    "    <interface type='bridge'>\n"
    "      <mac address='52:54:00:01:02:03'/>\n"
    "      <source bridge='br0'/>\n"
    "      <target dev='vnet3'/>\n"
    "    </interface>\n"
    "    <serial type='pty'>\n"
    "      <source path='/dev/pts/9'/>\n"
    "    </serial>\n"
    "    <graphics type='vnc' port='5901' autoport='no' passwd='kept-in-status'/>\n"
    "  </devices>\n"
    "</domain>\n";

static vkQEMUDomainStatus *sampleStatus(void)
{
    vkQEMUDomainStatus *st = g_new0(vkQEMUDomainStatus, 1);

    st->def = vkDomainDefParseString(domainXML, 0);
    assertOK(st->def != NULL);
    st->state = VIR_DOMAIN_PAUSED;
    st->reason = VIR_DOMAIN_PAUSED_USER;
    st->pid = 4242;
    st->startTime = 987654321;
    st->monitorPath = g_strdup("/root/run/qemu/status-guest.monitor");
    st->emulator = g_strdup("/usr/bin/qemu-system-x86_64");
    st->accel = g_strdup("kvm");
    st->logOffset = 1234;
    vkQEMUDomainStatusAddTap(st, "vnet3", "br0");
    vkQEMUDomainStatusAddTap(st, "vnet4", NULL);
    return st;
}

static void testRoundTrip(void)
{
    g_autoptr(vkQEMUDomainStatus) st = sampleStatus();
    g_autoptr(vkQEMUDomainStatus) back = NULL;
    g_autofree char *xml = vkQEMUDomainStatusFormat(st);
    g_autofree char *again = NULL;

    assertOK(xml != NULL);
    g_assert_true(g_str_has_prefix(
        xml, "<domstatus state='paused' reason='user' pid='4242' starttime='987654321'>\n"
             "  <monitor path='/root/run/qemu/status-guest.monitor' type='unix'/>\n"
             "  <taps>\n"
             "    <tap name='vnet3' bridge='br0'/>\n"
             "    <tap name='vnet4'/>\n"
             "  </taps>\n"
             "  <runtime emulator='/usr/bin/qemu-system-x86_64' accel='kvm' logOffset='1234'/>\n"
             "  <domain type='kvm' id='7'>\n"));
    /* The status file keeps what the live definition has, secrets included. */
    g_assert_nonnull(strstr(xml, "passwd='kept-in-status'"));
    g_assert_nonnull(strstr(xml, "<target dev='vnet3'/>"));
    g_assert_nonnull(strstr(xml, "/dev/pts/9"));
    g_assert_true(g_str_has_suffix(xml, "  </domain>\n</domstatus>\n"));

    back = vkQEMUDomainStatusParse(xml);
    assertOK(back != NULL);
    g_assert_cmpint(back->state, ==, VIR_DOMAIN_PAUSED);
    g_assert_cmpint(back->reason, ==, VIR_DOMAIN_PAUSED_USER);
    g_assert_cmpint(back->pid, ==, 4242);
    g_assert_cmpuint(back->startTime, ==, 987654321);
    g_assert_cmpuint(back->ntaps, ==, 2);
    g_assert_cmpstr(back->taps[1].name, ==, "vnet4");
    g_assert_null(back->taps[1].bridge);
    g_assert_cmpint(back->def->id, ==, 7);
    again = vkQEMUDomainStatusFormat(back);
    g_assert_cmpstr(again, ==, xml);
}

static void testWriteRead(void)
{
    g_autofree char *dir = testMakeTmpDir("vkqemudomain-XXXXXX");
    g_autofree char *path = g_build_filename(dir, "status-guest.xml", NULL);
    g_autoptr(vkQEMUDomainStatus) st = sampleStatus();
    g_autoptr(vkQEMUDomainStatus) back = NULL;
    struct stat sb;

    assertOK(vkQEMUDomainStatusRead(path, &back) == 0);
    g_assert_null(back);
    assertOK(vkQEMUDomainStatusWrite(path, st) == 0);
    g_assert_cmpint(stat(path, &sb), ==, 0);
    /* It holds graphics passwords. */
    g_assert_cmpint(sb.st_mode & 0077, ==, 0);
    assertOK(vkQEMUDomainStatusRead(path, &back) == 0);
    g_assert_nonnull(back);
    g_assert_cmpstr(back->def->name, ==, "status-guest");

    g_assert_true(g_file_set_contents(path, "<domstatus state='running'/>", -1, NULL));
    g_clear_pointer(&back, vkQEMUDomainStatusFree);
    g_assert_cmpint(vkQEMUDomainStatusRead(path, &back), ==, -1);
    assertLastError(VIR_ERR_INTERNAL_ERROR, "cannot load status file");
    testRemoveTree(dir);
}

static void testInvalid(void)
{
    static const struct {
        const char *xml;
        const char *error;
    } cases[] = {
        { "<domstatus/>", "missing or unknown state" },
        { "<domstatus state='running' reason='napping' pid='2' starttime='1'/>",
          "missing or unknown reason" },
        { "<domstatus state='running' reason='booted' starttime='1'/>", "missing pid" },
        { "<domstatus state='running' reason='booted' pid='2'/>", "missing start time" },
        { "<domstatus state='running' reason='booted' pid='2' starttime='1'/>",
          "<monitor>, <runtime> and <domain> are required" },
        { "<domstatus state='running' reason='booted' pid='2' starttime='1' extra='x'/>", "extra" },
        { "<status/>", "domstatus" },
    };

    for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
        g_assert_null(vkQEMUDomainStatusParse(cases[i].xml));
        assertLastError(virGetLastError()->code, cases[i].error);
    }
}

static void testStateNames(void)
{
    g_assert_cmpstr(vkQEMUDomainStateToString(VIR_DOMAIN_SHUTOFF), ==, "shutoff");
    g_assert_cmpint(vkQEMUDomainStateFromString("pmsuspended"), ==, VIR_DOMAIN_PMSUSPENDED);
    g_assert_cmpint(vkQEMUDomainStateFromString("asleep"), ==, -1);
    g_assert_cmpstr(vkQEMUDomainStateReasonToString(VIR_DOMAIN_SHUTOFF, VIR_DOMAIN_SHUTOFF_CRASHED),
                    ==, "crashed");
    g_assert_cmpstr(
        vkQEMUDomainStateReasonToString(VIR_DOMAIN_PAUSED, VIR_DOMAIN_PAUSED_STARTING_UP), ==,
        "starting up");
    g_assert_cmpint(vkQEMUDomainStateReasonFromString(VIR_DOMAIN_RUNNING, "from snapshot"), ==,
                    VIR_DOMAIN_RUNNING_FROM_SNAPSHOT);
    g_assert_null(vkQEMUDomainStateReasonToString(VIR_DOMAIN_CRASHED, 2));
    g_assert_null(vkQEMUDomainStateReasonToString(99, 0));
}

static void testPaths(void)
{
    vkQEMUProcessPaths paths = { .runDir = "/r/run/qemu", .logDir = "/r/log/qemu" };
    g_autofree char *status = vkQEMUDomainStatusPath(&paths, "g");
    g_autofree char *monitor = vkQEMUDomainMonitorPath(&paths, "g");
    g_autofree char *pid = vkQEMUDomainPidPath(&paths, "g");
    g_autofree char *log = vkQEMUDomainLogPath(&paths, "g");

    g_assert_cmpstr(status, ==, "/r/run/qemu/g.xml");
    g_assert_cmpstr(monitor, ==, "/r/run/qemu/g.monitor");
    g_assert_cmpstr(pid, ==, "/r/run/qemu/g.pid");
    g_assert_cmpstr(log, ==, "/r/log/qemu/g.log");
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/qemu/domain/status/round-trip", testRoundTrip);
    g_test_add_func("/qemu/domain/status/write-read", testWriteRead);
    g_test_add_func("/qemu/domain/status/invalid", testInvalid);
    g_test_add_func("/qemu/domain/state-names", testStateNames);
    g_test_add_func("/qemu/domain/paths", testPaths);
    return g_test_run();
}

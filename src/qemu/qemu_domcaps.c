/* Domain capabilities and CPU baselines: the document is built from the probed emulator and
 * from the enum tables of virtkit's domain model, so it never offers what virtkit would refuse
 * in a guest's XML. */
#include "qemu_domcaps.h"
#include "qemu_firmware.h"

#include <string.h>
#include <sys/utsname.h>

#include "conf/domain_conf.h"
#include "qemu_driver_priv.h"
#include "util/vkerror.h"
#include "util/vkxml.h"

/* ---- which guest: libvirt's resolution of the arguments ---- */

static const char *hostArch(void)
{
    static char arch[65];
    struct utsname uts;

    if (!arch[0])
        g_strlcpy(arch, uname(&uts) == 0 ? uts.machine : "x86_64", sizeof(arch));
    return arch;
}

/* The emulator virtkit runs is qemu-system-x86_64, which serves both x86 architectures. */
static gboolean archServed(const char *arch)
{
    return g_str_equal(arch, "x86_64") || g_str_equal(arch, "i686");
}

static int resolve(const vkQEMUCaps *caps, const char **arch, const char **machine,
                   const char **virttype)
{
    const char *binary = vkQEMUCapsGetBinary(caps);

    if (*virttype && !g_str_equal(*virttype, "qemu") && !g_str_equal(*virttype, "kvm")) {
        vkReportError(VK_QEMU_ERR, VIR_ERR_INVALID_ARG, "unknown virttype: %s", *virttype);
        return -1;
    }
    if (*arch && !vkDomainArchIsKnown(*arch)) {
        vkReportError(VK_QEMU_ERR, VIR_ERR_INVALID_ARG, "unknown architecture: %s", *arch);
        return -1;
    }
    if (!*arch)
        *arch = hostArch();
    if (!archServed(*arch)) {
        vkReportError(VK_QEMU_ERR, VIR_ERR_INVALID_ARG,
                      "architecture from emulator '%s' doesn't match given architecture '%s'",
                      "x86_64", *arch);
        return -1;
    }
    if (!*virttype)
        *virttype = vkQEMUCapsHasKVM(caps) ? "kvm" : "qemu";
    if (g_str_equal(*virttype, "kvm") && !vkQEMUCapsHasKVM(caps)) {
        vkReportError(VK_QEMU_ERR, VIR_ERR_INVALID_ARG,
                      "the accel '%s' is not supported by '%s' on this host", "kvm", binary);
        return -1;
    }
    if (*machine) {
        const char *canonical = vkQEMUCapsGetCanonicalMachine(caps, *machine);
        if (!canonical) {
            vkReportError(VK_QEMU_ERR, VIR_ERR_INVALID_ARG,
                          "the machine '%s' is not supported by emulator '%s'", *machine, binary);
            return -1;
        }
        *machine = canonical;
    } else {
        *machine = vkQEMUCapsGetDefaultMachine(caps);
    }
    return 0;
}

int vkQemuDomainCapsCheck(const vkQEMUCaps *caps, const char *arch, const char *machine,
                          const char *virttype)
{
    return resolve(caps, &arch, &machine, &virttype);
}

/* ---- the document ---- */

typedef const char *(*EnumName)(int value);

/* <enum name='NAME'> with the values FIRST..LAST-1 of an enum table. */
static void addEnum(vkBuf *buf, const char *name, EnumName toString, int first, int last)
{
    vkBufAddf(buf, "<enum name='%s'>\n", name);
    vkBufAdjustIndent(buf, 2);
    for (int i = first; i < last; i++)
        vkBufAddf(buf, "<value>%s</value>\n", toString(i));
    vkBufAdjustIndent(buf, -2);
    vkBufAddf(buf, "</enum>\n");
}

static void addValues(vkBuf *buf, const char *name, const char *const *values)
{
    vkBufAddf(buf, "<enum name='%s'>\n", name);
    vkBufAdjustIndent(buf, 2);
    for (; *values; values++)
        vkBufAddf(buf, "<value>%s</value>\n", *values);
    vkBufAdjustIndent(buf, -2);
    vkBufAddf(buf, "</enum>\n");
}

/* The firmware the host's descriptors offer for MACHINE, as libvirt reports it. */
static void formatOS(vkBuf *buf, const char *machine, const char *arch)
{
    static const char *const yesNo[] = { "yes", "no", NULL };
    static const char *const no[] = { "no", NULL };
    g_auto(GStrv) loaders = NULL;
    unsigned int firmwares = 0;
    gboolean secure = FALSE;

    vkQemuFirmwareGetSupported(machine, arch, &firmwares, &secure, &loaders);
    vkBufAddf(buf, "<os supported='yes'>\n");
    vkBufAdjustIndent(buf, 2);
    if (firmwares) {
        vkBufAddf(buf, "<enum name='firmware'>\n");
        vkBufAdjustIndent(buf, 2);
        for (int f = VK_DOMAIN_OS_FIRMWARE_BIOS; f < VK_DOMAIN_OS_FIRMWARE_LAST; f++) {
            if (firmwares & (1u << f))
                vkBufAddf(buf, "<value>%s</value>\n", vkDomainOSFirmwareTypeToString(f));
        }
        vkBufAdjustIndent(buf, -2);
        vkBufAddf(buf, "</enum>\n");
    } else {
        vkBufAddf(buf, "<enum name='firmware'/>\n");
    }
    vkBufAddf(buf, "<loader supported='yes'>\n");
    vkBufAdjustIndent(buf, 2);
    for (char **l = loaders; l && *l; l++)
        vkBufEscapef(buf, "<value>%s</value>\n", *l);
    addEnum(buf, "type", vkDomainLoaderTypeToString, VK_DOMAIN_LOADER_TYPE_ROM,
            VK_DOMAIN_LOADER_TYPE_LAST);
    addValues(buf, "readonly", yesNo);
    addValues(buf, "secure", secure ? yesNo : no);
    vkBufAdjustIndent(buf, -2);
    vkBufAddf(buf, "</loader>\n");
    vkBufAdjustIndent(buf, -2);
    vkBufAddf(buf, "</os>\n");
}

/* host-passthrough needs KVM; the maximum CPU works with both accelerators. There is no CPU
 * map to name a host model or to tell which named models the host can run. */
static void formatCPU(vkBuf *buf, gboolean kvm)
{
    static const char *const onOff[] = { "on", "off", NULL };

    vkBufAddf(buf, "<cpu>\n");
    vkBufAdjustIndent(buf, 2);
    if (kvm) {
        vkBufAddf(buf, "<mode name='host-passthrough' supported='yes'>\n");
        vkBufAdjustIndent(buf, 2);
        addValues(buf, "hostPassthroughMigratable", onOff);
        vkBufAdjustIndent(buf, -2);
        vkBufAddf(buf, "</mode>\n");
    } else {
        vkBufAddf(buf, "<mode name='host-passthrough' supported='no'/>\n");
    }
    vkBufAddf(buf, "<mode name='maximum' supported='yes'>\n");
    vkBufAdjustIndent(buf, 2);
    addValues(buf, "maximumMigratable", onOff);
    vkBufAdjustIndent(buf, -2);
    vkBufAddf(buf, "</mode>\n");
    vkBufAddf(buf, "<mode name='host-model' supported='no'/>\n");
    vkBufAddf(buf, "<mode name='custom' supported='no'/>\n");
    vkBufAdjustIndent(buf, -2);
    vkBufAddf(buf, "</cpu>\n");
}

/* TPM models on x86, and the emulator (with the versions swtpm_setup can make) only when swtpm
 * is installed, as libvirt reports them. */
static void formatTPM(vkBuf *buf)
{
    static const char *const models[] = { "tpm-tis", "tpm-crb", NULL };
    static const char *const withSwtpm[] = { "passthrough", "emulator", "external", NULL };
    static const char *const withoutSwtpm[] = { "passthrough", NULL };
    static const char *const versions[] = { "1.2", "2.0", NULL };
    g_autofree char *swtpm = g_find_program_in_path("swtpm");
    g_autofree char *setup = swtpm ? g_find_program_in_path("swtpm_setup") : NULL;

    vkBufAddf(buf, "<tpm supported='yes'>\n");
    vkBufAdjustIndent(buf, 2);
    addValues(buf, "model", models);
    addValues(buf, "backendModel", swtpm ? withSwtpm : withoutSwtpm);
    if (setup)
        addValues(buf, "backendVersion", versions);
    vkBufAdjustIndent(buf, -2);
    vkBufAddf(buf, "</tpm>\n");
}

static void formatDevices(vkBuf *buf, const vkQEMUCaps *caps)
{
    static const char *const unsupported[] = { "hostdev",  "rng",     "filesystem", "tpm",
                                               "redirdev", "channel", NULL };

    vkBufAddf(buf, "<devices>\n");
    vkBufAdjustIndent(buf, 2);

    vkBufAddf(buf, "<disk supported='yes'>\n");
    vkBufAdjustIndent(buf, 2);
    addEnum(buf, "diskDevice", vkDomainDiskDeviceTypeToString, 0, VK_DOMAIN_DISK_DEVICE_LAST);
    addEnum(buf, "bus", vkDomainDiskBusTypeToString, VK_DOMAIN_DISK_BUS_IDE,
            VK_DOMAIN_DISK_BUS_LAST);
    vkBufAdjustIndent(buf, -2);
    vkBufAddf(buf, "</disk>\n");

    vkBufAddf(buf, "<graphics supported='yes'>\n");
    vkBufAdjustIndent(buf, 2);
    vkBufAddf(buf, "<enum name='type'>\n");
    vkBufAdjustIndent(buf, 2);
    vkBufAddf(buf, "<value>vnc</value>\n");
    if (vkQEMUCapsHasCommand(caps, "query-spice"))
        vkBufAddf(buf, "<value>spice</value>\n");
    vkBufAdjustIndent(buf, -2);
    vkBufAddf(buf, "</enum>\n");
    vkBufAdjustIndent(buf, -2);
    vkBufAddf(buf, "</graphics>\n");

    vkBufAddf(buf, "<video supported='yes'>\n");
    vkBufAdjustIndent(buf, 2);
    addEnum(buf, "modelType", vkDomainVideoTypeToString, VK_DOMAIN_VIDEO_TYPE_VGA,
            VK_DOMAIN_VIDEO_TYPE_LAST);
    vkBufAdjustIndent(buf, -2);
    vkBufAddf(buf, "</video>\n");

    for (const char *const *dev = unsupported; *dev; dev++) {
        if (g_str_equal(*dev, "tpm"))
            formatTPM(buf);
        else
            vkBufAddf(buf, "<%s supported='no'/>\n", *dev);
    }
    vkBufAdjustIndent(buf, -2);
    vkBufAddf(buf, "</devices>\n");
}

static void formatFeatures(vkBuf *buf)
{
    static const char *const features[] = { "gic",    "vmcoreinfo", "genid", "backingStoreInput",
                                            "backup", "sev",        "sgx",   NULL };

    vkBufAddf(buf, "<features>\n");
    vkBufAdjustIndent(buf, 2);
    for (const char *const *f = features; *f; f++)
        vkBufAddf(buf, "<%s supported='no'/>\n", *f);
    vkBufAdjustIndent(buf, -2);
    vkBufAddf(buf, "</features>\n");
}

char *vkQemuDomainCapabilitiesFormat(const vkQEMUCaps *caps, const char *arch, const char *machine,
                                     const char *virttype)
{
    vkBuf buf;
    unsigned int maxCpus;

    if (resolve(caps, &arch, &machine, &virttype) < 0)
        return NULL;
    maxCpus = machine ? vkQEMUCapsGetMachineMaxCpus(caps, machine) : 0;

    vkBufInit(&buf);
    vkBufAddf(&buf, "<domainCapabilities>\n");
    vkBufAdjustIndent(&buf, 2);
    vkBufEscapef(&buf, "<path>%s</path>\n", vkQEMUCapsGetBinary(caps));
    vkBufAddf(&buf, "<domain>%s</domain>\n", virttype);
    if (machine)
        vkBufEscapef(&buf, "<machine>%s</machine>\n", machine);
    vkBufAddf(&buf, "<arch>%s</arch>\n", arch);
    vkBufAddf(&buf, "<vcpu max='%u'/>\n", maxCpus ? maxCpus : 255);
    vkBufAddf(&buf, "<iothreads supported='no'/>\n");
    formatOS(&buf, machine, arch);
    formatCPU(&buf, g_str_equal(virttype, "kvm"));
    vkBufAddf(&buf, "<memoryBacking supported='no'/>\n");
    formatDevices(&buf, caps);
    formatFeatures(&buf);
    vkBufAdjustIndent(&buf, -2);
    vkBufAddf(&buf, "</domainCapabilities>\n");
    return vkBufFinish(&buf);
}

/* ---- CPU baselines ---- */

typedef struct {
    char *model;
    char *vendor;
    GPtrArray *features; /* names the CPU requires */
} BaselineCPU;

static void baselineCPUClear(BaselineCPU *cpu)
{
    g_free(cpu->model);
    g_free(cpu->vendor);
    if (cpu->features)
        g_ptr_array_unref(cpu->features);
}

static xmlNodePtr findCPU(xmlNodePtr node)
{
    for (; node; node = node->next) {
        xmlNodePtr found;
        if (node->type != XML_ELEMENT_NODE)
            continue;
        if (xmlStrEqual(node->name, BAD_CAST "cpu"))
            return node;
        if ((found = findCPU(node->children)))
            return found;
    }
    return NULL;
}

static int parseCPU(const char *xml, unsigned int index, BaselineCPU *cpu)
{
    g_autoptr(xmlDoc) doc = NULL;
    xmlNodePtr node, child;

    if (!xml) {
        vkReportError(VK_QEMU_ERR, VIR_ERR_INVALID_ARG, "invalid CPU definition at index %u",
                      index);
        return -1;
    }
    if (!(doc = vkXMLParseString(xml, "(CPU_definition)", VIR_FROM_CPU)))
        return -1;
    if (!(node = findCPU(xmlDocGetRootElement(doc)))) {
        vkReportError(VIR_FROM_CPU, VIR_ERR_XML_ERROR, "%s", "missing CPU definition");
        return -1;
    }
    cpu->features = g_ptr_array_new_with_free_func(g_free);
    for (child = node->children; child; child = child->next) {
        if (child->type != XML_ELEMENT_NODE)
            continue;
        if (xmlStrEqual(child->name, BAD_CAST "model") && !cpu->model) {
            cpu->model = vkXMLText(child);
        } else if (xmlStrEqual(child->name, BAD_CAST "vendor") && !cpu->vendor) {
            cpu->vendor = vkXMLText(child);
        } else if (xmlStrEqual(child->name, BAD_CAST "feature")) {
            g_autofree char *policy = vkXMLProp(child, "policy");
            char *name = vkXMLProp(child, "name");
            if (name && (!policy || g_str_equal(policy, "require") || g_str_equal(policy, "force")))
                g_ptr_array_add(cpu->features, name);
            else
                g_free(name);
        }
    }
    if (!cpu->model || !*cpu->model) {
        vkReportError(VK_QEMU_ERR, VIR_ERR_INVALID_ARG, "no CPU model specified at index %u",
                      index);
        return -1;
    }
    return 0;
}

static gboolean hasFeature(const BaselineCPU *cpu, const char *name)
{
    for (guint i = 0; i < cpu->features->len; i++) {
        if (g_str_equal(g_ptr_array_index(cpu->features, i), name))
            return TRUE;
    }
    return FALSE;
}

char *vkQemuBaselineCPU(const char **xmlCPUs, unsigned int ncpus, unsigned int flags)
{
    g_autofree BaselineCPU *cpus = NULL;
    char *result = NULL;
    unsigned int parsed = 0;
    vkBuf buf;

    /* every entry is cleared at the end, parsed or not */

    if (vkCheckFlags("qemuConnectBaselineHypervisorCPU", VK_QEMU_ERR, flags,
                     VIR_CONNECT_BASELINE_CPU_EXPAND_FEATURES |
                         VIR_CONNECT_BASELINE_CPU_MIGRATABLE) < 0)
        return NULL;
    if (ncpus < 1) {
        vkReportError(VK_QEMU_ERR, VIR_ERR_INVALID_ARG, "%s", "no CPUs given");
        return NULL;
    }
    cpus = g_new0(BaselineCPU, ncpus);
    for (; parsed < ncpus; parsed++) {
        if (parseCPU(xmlCPUs[parsed], parsed, &cpus[parsed]) < 0)
            goto out;
        if (!g_str_equal(cpus[parsed].model, cpus[0].model)) {
            vkReportError(VK_QEMU_ERR, VIR_ERR_OPERATION_UNSUPPORTED,
                          "cannot compute a baseline of CPU models '%s' and '%s' without a CPU "
                          "map",
                          cpus[0].model, cpus[parsed].model);
            goto out;
        }
    }

    vkBufInit(&buf);
    vkBufAddf(&buf, "<cpu mode='custom' match='exact'>\n");
    vkBufAdjustIndent(&buf, 2);
    vkBufEscapef(&buf, "<model fallback='forbid'>%s</model>\n", cpus[0].model);
    if (cpus[0].vendor)
        vkBufEscapef(&buf, "<vendor>%s</vendor>\n", cpus[0].vendor);
    for (guint f = 0; f < cpus[0].features->len; f++) {
        const char *name = g_ptr_array_index(cpus[0].features, f);
        gboolean everywhere = TRUE;
        for (unsigned int i = 1; i < ncpus && everywhere; i++)
            everywhere = hasFeature(&cpus[i], name);
        if (everywhere)
            vkBufEscapef(&buf, "<feature policy='require' name='%s'/>\n", name);
    }
    vkBufAdjustIndent(&buf, -2);
    vkBufAddf(&buf, "</cpu>\n");
    result = vkBufFinish(&buf);

out:
    for (unsigned int i = 0; i < ncpus; i++)
        baselineCPUClear(&cpus[i]);
    return result;
}

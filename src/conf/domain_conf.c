/* The <domain> document itself: identity, memory, vcpus, os, features, cpu, clock and
 * lifecycle elements parsed and formatted side by side; the entry points; copy and free. */
#include "conf/domain_priv.h"

#include <string.h>

#include "conf/object_name.h"
#include "util/vkuuid.h"

VK_ENUM_IMPL(vkDomainVirt, VK_DOMAIN_VIRT_LAST, "qemu", "kvm", "test")
VK_ENUM_IMPL(vkDomainBoot, VK_DOMAIN_BOOT_LAST, "fd", "cdrom", "hd", "network")
VK_ENUM_IMPL(vkDomainLoader, VK_DOMAIN_LOADER_TYPE_LAST, "none", "rom", "pflash")
VK_ENUM_IMPL(vkDomainOSFirmware, VK_DOMAIN_OS_FIRMWARE_LAST, "none", "bios", "efi")
VK_ENUM_IMPL(vkDomainOSFirmwareFeature, VK_DOMAIN_OS_FIRMWARE_FEATURE_LAST, "enrolled-keys",
             "secure-boot")
VK_ENUM_IMPL(vkDomainFeature, VK_DOMAIN_FEATURE_LAST, "acpi", "apic", "pae")
VK_ENUM_IMPL(vkDomainLifecycle, VK_DOMAIN_LIFECYCLE_LAST, "destroy", "restart", "rename-restart",
             "preserve", "coredump-destroy", "coredump-restart")
VK_ENUM_IMPL(vkDomainPlacement, VK_DOMAIN_PLACEMENT_LAST, "static", "auto")
VK_ENUM_IMPL(vkDomainNumatuneMode, VK_DOMAIN_NUMATUNE_LAST, "strict", "preferred", "interleave",
             "restrictive")
VK_ENUM_IMPL(vkDomainCPUMode, VK_DOMAIN_CPU_MODE_LAST, "custom", "host-model", "host-passthrough",
             "maximum")
VK_ENUM_IMPL(vkDomainCPUMatch, VK_DOMAIN_CPU_MATCH_LAST, "minimum", "exact", "strict")
VK_ENUM_IMPL(vkDomainCPUCheck, VK_DOMAIN_CPU_CHECK_LAST, "default", "none", "partial", "full")
VK_ENUM_IMPL(vkDomainCPUFallback, VK_DOMAIN_CPU_FALLBACK_LAST, "allow", "forbid")
VK_ENUM_IMPL(vkDomainClockOffset, VK_DOMAIN_CLOCK_OFFSET_LAST, "utc", "localtime", "variable",
             "timezone")
VK_ENUM_IMPL(vkDomainClockBasis, VK_DOMAIN_CLOCK_BASIS_LAST, "utc", "localtime")
VK_ENUM_IMPL(vkDomainTimer, VK_DOMAIN_TIMER_LAST, "platform", "pit", "rtc", "hpet", "tsc",
             "kvmclock", "hypervclock", "armvtimer")
VK_ENUM_IMPL(vkDomainTickpolicy, VK_DOMAIN_TICKPOLICY_LAST, "none", "delay", "catchup", "merge",
             "discard")

/* libvirt's architecture names (virArch), which <type arch=...> must be one of. */
static const char *const archNames[] = {
    "alpha",    "armv6l",  "armv7l",    "armv7b",   "aarch64",    "cris",
    "i686",     "ia64",    "lm32",      "m68k",     "microblaze", "microblazeel",
    "mips",     "mipsel",  "mips64",    "mips64el", "openrisc",   "parisc",
    "parisc64", "ppc",     "ppcle",     "ppc64",    "ppc64le",    "ppcemb",
    "riscv32",  "riscv64", "s390",      "s390x",    "sh4",        "sh4eb",
    "sparc",    "sparc64", "unicore32", "x86_64",   "xtensa",     "xtensaeb",
};

gboolean vkDomainArchIsKnown(const char *arch)
{
    return arch && vkEnumFromString(archNames, G_N_ELEMENTS(archNames), arch) >= 0;
}

/* Libvirt caps vcpu counts at its cpumask size. */
#define VK_DOMAIN_VCPUS_MAX 16384

/* ---- helpers shared by the domain files ---- */

int vkDomainPropEnum(xmlNodePtr node, const char *name, int (*fromString)(const char *),
                     gboolean nonzero, int *out)
{
    int value = 0;
    int rc = vkXMLPropEnum(node, name, fromString, &value, VK_DOMAIN_ERR);

    if (rc <= 0)
        return rc;
    if (nonzero && value == 0) {
        g_autofree char *v = vkXMLProp(node, name);
        vkXMLReportAt(node, VK_DOMAIN_ERR, VIR_ERR_CONFIG_UNSUPPORTED, "unknown %s '%s' for <%s>",
                      name, v, (const char *)node->name);
        return -1;
    }
    *out = value;
    return 1;
}

int vkDomainPropTristate(xmlNodePtr node, const char *name, gboolean onOff, int *out)
{
    gboolean value = FALSE;
    int rc = vkXMLPropBool(node, name, onOff, &value, VK_DOMAIN_ERR);

    if (rc > 0)
        *out = value ? VK_DOMAIN_TRISTATE_YES : VK_DOMAIN_TRISTATE_NO;
    return rc;
}

const char *vkDomainTristateString(int value, gboolean onOff)
{
    static const char *const names[2][3] = { { "", "yes", "no" }, { "", "on", "off" } };

    if (value < 0 || value > VK_DOMAIN_TRISTATE_NO)
        return "";
    return names[onOff ? 1 : 0][value];
}

char *vkDomainPropRequired(xmlNodePtr node, const char *name)
{
    char *value = vkXMLProp(node, name);

    if (!value)
        vkXMLReportAt(node, VK_DOMAIN_ERR, VIR_ERR_XML_ERROR,
                      "missing required attribute '%s' on <%s>", name, (const char *)node->name);
    return value;
}

char *vkDomainLeafText(xmlNodePtr node, const char *const *allowedAttrs)
{
    xmlNodePtr c = node->children;

    if (vkXMLCheckLeaf(node, allowedAttrs, VK_DOMAIN_ERR) < 0)
        return NULL;
    /* The common case, a single text node, needs no libxml2 allocation. */
    if (!c)
        return g_strdup("");
    if (!c->next && c->type == XML_TEXT_NODE)
        return g_strdup((const char *)c->content);
    return vkXMLText(node);
}

int vkDomainReportDuplicate(xmlNodePtr node)
{
    vkXMLReportAt(node, VK_DOMAIN_ERR, VIR_ERR_XML_ERROR, "element <%s> appears more than once",
                  (const char *)node->name);
    return -1;
}

const char *vkDomainDefGetOSType(const vkDomainDef *def)
{
    return def->os.type;
}

/* ---- memory sizes ---- */

int vkDomainScaleToKiB(unsigned long long value, const char *unit, unsigned long long *kib,
                       gboolean *overflow)
{
    const unsigned long long limit = G_MAXINT64;
    unsigned long long scale = 1024;
    unsigned long long bytes;

    *overflow = FALSE;
    if (unit && *unit) {
        if (!g_ascii_strcasecmp(unit, "b") || !g_ascii_strcasecmp(unit, "byte") ||
            !g_ascii_strcasecmp(unit, "bytes")) {
            scale = 1;
        } else {
            /* One letter means powers of 1024, as does "iB" after it; "B" means 1000. */
            unsigned long long base;
            const char *powers = "kmgtpe";
            const char *p = strchr(powers, g_ascii_tolower(unit[0]));

            if (!unit[1] || !g_ascii_strcasecmp(unit + 1, "iB"))
                base = 1024;
            else if (g_ascii_tolower(unit[1]) == 'b' && !unit[2])
                base = 1000;
            else
                return -1;
            if (!p || !unit[0])
                return -1;
            scale = 1;
            for (const char *q = powers; q <= p; q++)
                scale *= base;
        }
    }
    if (value && value > limit / scale) {
        *overflow = TRUE;
        return -1;
    }
    bytes = value * scale;
    *kib = bytes / 1024 + (bytes % 1024 != 0);
    /* libvirt keeps KiB values strictly below the byte limit divided by 1024, rounded up. */
    if (*kib >= limit / 1024 + 1) {
        *overflow = TRUE;
        return -1;
    }
    return 0;
}

static int parseMemory(xmlNodePtr node, const char *const *attrs, unsigned long long *kib)
{
    g_autofree char *text = vkDomainLeafText(node, attrs);
    g_autofree char *unit = NULL;
    const char *name = (const char *)node->name;
    guint64 value = 0;
    gboolean overflow = FALSE;

    if (!text)
        return -1;
    g_strstrip(text);
    if (!g_ascii_string_to_unsigned(text, 10, 0, G_MAXUINT64, &value, NULL)) {
        vkXMLReportAt(node, VK_DOMAIN_ERR, VIR_ERR_XML_ERROR,
                      "invalid value '%s' for <%s>: expected a non-negative integer", text, name);
        return -1;
    }
    unit = vkXMLProp(node, "unit");
    if (vkDomainScaleToKiB(value, unit, kib, &overflow) < 0) {
        if (overflow)
            vkXMLReportAt(node, VK_DOMAIN_ERR, VIR_ERR_XML_ERROR, "value '%s' of <%s> is too large",
                          text, name);
        else
            vkXMLReportAt(node, VK_DOMAIN_ERR, VIR_ERR_XML_ERROR, "unknown unit '%s' for <%s>",
                          unit, name);
        return -1;
    }
    return 0;
}

static int parseMemoryElement(vkDomainDef *def, xmlNodePtr node, unsigned int flags)
{
    static const char *const attrs[] = { "unit", NULL };
    return parseMemory(node, attrs, &def->memory);
}

static int parseCurrentMemory(vkDomainDef *def, xmlNodePtr node, unsigned int flags)
{
    static const char *const attrs[] = { "unit", NULL };
    return parseMemory(node, attrs, &def->currentMemory);
}

static int parseMaxMemory(vkDomainDef *def, xmlNodePtr node, unsigned int flags)
{
    static const char *const attrs[] = { "unit", "slots", NULL };
    unsigned long long slots = 0;

    if (parseMemory(node, attrs, &def->maxMemory) < 0)
        return -1;
    if (vkXMLPropULL(node, "slots", 0, G_MAXUINT, &slots, VK_DOMAIN_ERR) < 0)
        return -1;
    def->maxMemorySlots = slots;
    return 0;
}

static void formatMemory(vkBuf *buf, const vkDomainDef *def)
{
    if (def->maxMemory && def->maxMemorySlots)
        vkBufAddf(buf, "<maxMemory slots='%u' unit='KiB'>%llu</maxMemory>\n", def->maxMemorySlots,
                  def->maxMemory);
    vkBufAddf(buf, "<memory unit='KiB'>%llu</memory>\n", def->memory);
    vkBufAddf(buf, "<currentMemory unit='KiB'>%llu</currentMemory>\n", def->currentMemory);
}

/* ---- identity ---- */

static int parseName(vkDomainDef *def, xmlNodePtr node, unsigned int flags)
{
    g_autofree char *name = vkDomainLeafText(node, NULL);

    if (!name || vkObjectNameCheck(VK_OBJECT_DOMAIN, name) < 0)
        return -1;
    def->name = g_steal_pointer(&name);
    return 0;
}

static int parseUUID(vkDomainDef *def, xmlNodePtr node, unsigned int flags)
{
    g_autofree char *text = vkDomainLeafText(node, NULL);

    if (!text)
        return -1;
    if (vkUUIDParse(text, def->uuid) < 0) {
        vkXMLReportAt(node, VK_DOMAIN_ERR, VIR_ERR_XML_ERROR, "malformed uuid '%s'", text);
        return -1;
    }
    return 0;
}

static int parseTitle(vkDomainDef *def, xmlNodePtr node, unsigned int flags)
{
    g_autofree char *text = vkDomainLeafText(node, NULL);

    if (!text)
        return -1;
    if (strchr(text, '\n')) {
        /* libvirt's words, which name no line. A carriage return stays: it is written back
         * as a character reference. */
        vkReportError(VK_DOMAIN_ERR, VIR_ERR_XML_ERROR, "%s",
                      "Domain title can't contain newlines");
        return -1;
    }
    def->title = g_steal_pointer(&text);
    return 0;
}

static int parseDescription(vkDomainDef *def, xmlNodePtr node, unsigned int flags)
{
    return (def->description = vkDomainLeafText(node, NULL)) ? 0 : -1;
}

/* ---- vcpus ---- */

static int parseVcpu(vkDomainDef *def, xmlNodePtr node, unsigned int flags)
{
    static const char *const attrs[] = { "placement", "cpuset", "current", NULL };
    g_autofree char *text = vkDomainLeafText(node, attrs);
    g_autofree char *cpuset = NULL;
    unsigned long long current = 0;
    guint64 count = 0;
    int rc;

    if (!text)
        return -1;
    g_strstrip(text);
    if (!g_ascii_string_to_unsigned(text, 10, 1, VK_DOMAIN_VCPUS_MAX, &count, NULL)) {
        vkXMLReportAt(node, VK_DOMAIN_ERR, VIR_ERR_XML_ERROR,
                      "invalid vcpu count '%s': expected an integer from 1 to %d", text,
                      VK_DOMAIN_VCPUS_MAX);
        return -1;
    }
    def->vcpus = def->vcpusCurrent = count;
    if ((rc = vkXMLPropULL(node, "current", 1, VK_DOMAIN_VCPUS_MAX, &current, VK_DOMAIN_ERR)) < 0)
        return -1;
    if (rc > 0) {
        if (current > count) {
            vkXMLReportAt(node, VK_DOMAIN_ERR, VIR_ERR_CONFIG_UNSUPPORTED,
                          "maximum vCPU count must not be less than current vCPU count");
            return -1;
        }
        def->vcpusCurrent = current;
    }
    if (vkDomainPropEnum(node, "placement", vkDomainPlacementTypeFromString, FALSE,
                         &def->placement) < 0)
        return -1;
    /* As libvirt: automatic placement ignores a cpuset. */
    if (def->placement == VK_DOMAIN_PLACEMENT_AUTO || !(cpuset = vkXMLProp(node, "cpuset")))
        return 0;
    if (!(def->cpumask = vkBitmapParse(cpuset, VK_DOMAIN_CPUMASK_LEN))) {
        vkXMLReportAt(node, VK_DOMAIN_ERR, VIR_ERR_INVALID_ARG, "Failed to parse bitmap '%s'",
                      cpuset);
        return -1;
    }
    if (vkBitmapCount(def->cpumask) == 0) {
        vkXMLReportAt(node, VK_DOMAIN_ERR, VIR_ERR_CONFIG_UNSUPPORTED,
                      "Invalid value of 'cpuset': %s", cpuset);
        return -1;
    }
    return 0;
}

static void formatVcpu(vkBuf *buf, const vkDomainDef *def)
{
    vkBufAddf(buf, "<vcpu placement='%s'", vkDomainPlacementTypeToString(def->placement));
    if (def->cpumask && !vkBitmapIsAllSet(def->cpumask)) {
        g_autofree char *cpuset = vkBitmapFormat(def->cpumask);

        vkBufAddf(buf, " cpuset='%s'", cpuset);
    }
    if (def->vcpusCurrent < def->vcpus)
        vkBufAddf(buf, " current='%u'", def->vcpusCurrent);
    vkBufAddf(buf, ">%u</vcpu>\n", def->vcpus);
}

/* Only automatic placement is modelled: a nodeset would need libvirt's bitmap syntax. */
static int parseNumatune(vkDomainDef *def, xmlNodePtr node, unsigned int flags)
{
    static const char *const children[] = { "memory", NULL };
    static const char *const memAttrs[] = { "mode", "placement", NULL };
    xmlNodePtr mem;
    int placement = -1;

    if (vkXMLCheckAttrs(node, NULL, VK_DOMAIN_ERR) < 0 ||
        vkXMLCheckChildren(node, children, VK_DOMAIN_ERR) < 0 ||
        vkXMLCheckUnique(node, "memory", VK_DOMAIN_ERR) < 0)
        return -1;
    if (!(mem = vkXMLChild(node, "memory")))
        return 0;
    if (vkXMLCheckLeaf(mem, memAttrs, VK_DOMAIN_ERR) < 0)
        return -1;
    def->numatune.specified = TRUE;
    def->numatune.mode = VK_DOMAIN_NUMATUNE_STRICT;
    if (vkDomainPropEnum(mem, "mode", vkDomainNumatuneModeTypeFromString, FALSE,
                         &def->numatune.mode) < 0 ||
        vkDomainPropEnum(mem, "placement", vkDomainPlacementTypeFromString, FALSE, &placement) < 0)
        return -1;
    if (placement == VK_DOMAIN_PLACEMENT_STATIC) {
        vkXMLReportAt(mem, VK_DOMAIN_ERR, VIR_ERR_CONFIG_UNSUPPORTED,
                      "numatune placement 'static' needs a nodeset, which is not supported");
        return -1;
    }
    /* Parsed after <vcpu>: without a placement of its own it follows the vcpus'. */
    if (placement == -1 && def->placement != VK_DOMAIN_PLACEMENT_AUTO) {
        vkXMLReportAt(mem, VK_DOMAIN_ERR, VIR_ERR_CONFIG_UNSUPPORTED,
                      "numatune memory placement defaults to 'static', which needs a nodeset, "
                      "which is not supported");
        return -1;
    }
    /* Automatic memory placement makes the vcpu placement automatic too, unless the vcpus are
     * pinned to a cpuset (as libvirt decides). */
    if (!def->cpumask)
        def->placement = VK_DOMAIN_PLACEMENT_AUTO;
    return 0;
}

static void formatNumatune(vkBuf *buf, const vkDomainDef *def)
{
    if (!def->numatune.specified)
        return;
    vkBufAddf(buf, "<numatune>\n");
    vkBufAdjustIndent(buf, 2);
    vkBufAddf(buf, "<memory mode='%s' placement='auto'/>\n",
              vkDomainNumatuneModeTypeToString(def->numatune.mode));
    vkBufAdjustIndent(buf, -2);
    vkBufAddf(buf, "</numatune>\n");
}

/* ---- os ---- */

static int parseOSType(vkDomainDef *def, xmlNodePtr node)
{
    static const char *const attrs[] = { "arch", "machine", NULL };
    g_autofree char *text = vkDomainLeafText(node, attrs);
    g_autofree char *arch = NULL;

    if (!text)
        return -1;
    if (!g_str_equal(text, "hvm")) {
        vkXMLReportAt(node, VK_DOMAIN_ERR, VIR_ERR_CONFIG_UNSUPPORTED, "unsupported OS type '%s'",
                      text);
        return -1;
    }
    arch = vkXMLProp(node, "arch");
    if (arch && vkEnumFromString(archNames, G_N_ELEMENTS(archNames), arch) < 0) {
        vkXMLReportAt(node, VK_DOMAIN_ERR, VIR_ERR_CONFIG_UNSUPPORTED, "unknown architecture '%s'",
                      arch);
        return -1;
    }
    def->os.type = g_steal_pointer(&text);
    def->os.arch = g_steal_pointer(&arch);
    def->os.machine = vkXMLProp(node, "machine");
    return 0;
}

static int parseLoader(vkDomainDef *def, xmlNodePtr node)
{
    static const char *const attrs[] = { "readonly", "secure", "type", NULL };
    g_autofree char *path = vkDomainLeafText(node, attrs);

    if (!path)
        return -1;
    if (vkDomainPropTristate(node, "readonly", FALSE, &def->os.loader.readonly) < 0 ||
        vkDomainPropTristate(node, "secure", FALSE, &def->os.loader.secure) < 0 ||
        vkDomainPropEnum(node, "type", vkDomainLoaderTypeFromString, TRUE, &def->os.loader.type) <
            0)
        return -1;
    if (*path)
        def->os.loader.path = g_steal_pointer(&path);
    return 0;
}

static int parseNvram(vkDomainDef *def, xmlNodePtr node)
{
    static const char *const attrs[] = { "template", NULL };
    g_autofree char *path = vkDomainLeafText(node, attrs);

    if (!path)
        return -1;
    def->os.nvramTemplate = vkXMLProp(node, "template");
    if (*path)
        def->os.nvram = g_steal_pointer(&path);
    return 0;
}

static int parseBoot(vkDomainDef *def, xmlNodePtr node)
{
    static const char *const attrs[] = { "dev", NULL };
    int dev = 0;
    int rc;

    if (vkXMLCheckLeaf(node, attrs, VK_DOMAIN_ERR) < 0)
        return -1;
    if (def->os.nBootDevs == VK_DOMAIN_BOOT_LAST) {
        vkXMLReportAt(node, VK_DOMAIN_ERR, VIR_ERR_XML_ERROR,
                      "at most %d <boot> elements are supported", VK_DOMAIN_BOOT_LAST);
        return -1;
    }
    if ((rc = vkDomainPropEnum(node, "dev", vkDomainBootTypeFromString, FALSE, &dev)) < 0)
        return -1;
    if (rc == 0) {
        g_free(vkDomainPropRequired(node, "dev"));
        return -1;
    }
    def->os.bootDevs[def->os.nBootDevs++] = dev;
    return 0;
}

static int parseBootmenu(vkDomainDef *def, xmlNodePtr node)
{
    static const char *const attrs[] = { "enable", "timeout", NULL };
    unsigned long long timeout = 0;
    int rc;

    if (vkXMLCheckLeaf(node, attrs, VK_DOMAIN_ERR) < 0)
        return -1;
    if ((rc = vkDomainPropTristate(node, "enable", FALSE, &def->os.bootmenu)) < 0)
        return -1;
    if (rc == 0) {
        g_free(vkDomainPropRequired(node, "enable"));
        return -1;
    }
    if ((rc = vkXMLPropULL(node, "timeout", 0, 65535, &timeout, VK_DOMAIN_ERR)) < 0)
        return -1;
    if (rc > 0) {
        if (def->os.bootmenu != VK_DOMAIN_TRISTATE_YES) {
            vkXMLReportAt(node, VK_DOMAIN_ERR, VIR_ERR_XML_ERROR,
                          "boot menu timeout needs enable='yes'");
            return -1;
        }
        def->os.bootmenuTimeout = timeout;
        def->os.bootmenuTimeoutSet = TRUE;
    }
    return 0;
}

/* <firmware><feature enabled=... name=.../>...</firmware>: what firmware autoselection must
 * pick. */
static int parseFirmwareFeatures(vkDomainDef *def, xmlNodePtr node)
{
    static const char *const children[] = { "feature", NULL };
    static const char *const attrs[] = { "enabled", "name", NULL };

    if (vkXMLCheckAttrs(node, NULL, VK_DOMAIN_ERR) < 0 ||
        vkXMLCheckChildren(node, children, VK_DOMAIN_ERR) < 0)
        return -1;
    for (xmlNodePtr c = node->children; c; c = c->next) {
        int name = 0, enabled = 0, rc;

        if (c->type != XML_ELEMENT_NODE)
            continue;
        if (vkXMLCheckLeaf(c, attrs, VK_DOMAIN_ERR) < 0 ||
            (rc = vkDomainPropEnum(c, "name", vkDomainOSFirmwareFeatureTypeFromString, FALSE,
                                   &name)) < 0)
            return -1;
        if (rc == 0) {
            g_free(vkDomainPropRequired(c, "name"));
            return -1;
        }
        if ((rc = vkDomainPropTristate(c, "enabled", FALSE, &enabled)) < 0)
            return -1;
        if (rc == 0) {
            g_free(vkDomainPropRequired(c, "enabled"));
            return -1;
        }
        def->os.firmwareFeatures[name] = enabled;
    }
    return 0;
}

static int parseOSText(xmlNodePtr node, char **out)
{
    return (*out = vkDomainLeafText(node, NULL)) ? 0 : -1;
}

static int parseOS(vkDomainDef *def, xmlNodePtr node, unsigned int flags)
{
    static const char *const children[] = { "type",   "firmware", "loader", "nvram",    "kernel",
                                            "initrd", "cmdline",  "boot",   "bootmenu", NULL };
    static const char *const single[] = { "type",   "firmware", "loader",   "nvram", "kernel",
                                          "initrd", "cmdline",  "bootmenu", NULL };
    static const char *const attrs[] = { "firmware", NULL };

    if (vkXMLCheckAttrs(node, attrs, VK_DOMAIN_ERR) < 0 ||
        vkXMLCheckChildren(node, children, VK_DOMAIN_ERR) < 0 ||
        vkDomainPropEnum(node, "firmware", vkDomainOSFirmwareTypeFromString, TRUE,
                         &def->os.firmware) < 0)
        return -1;
    for (const char *const *s = single; *s; s++) {
        if (vkXMLCheckUnique(node, *s, VK_DOMAIN_ERR) < 0)
            return -1;
    }
    for (xmlNodePtr c = node->children; c; c = c->next) {
        const char *name = (const char *)c->name;
        int rc = 0;

        if (c->type != XML_ELEMENT_NODE)
            continue;
        if (g_str_equal(name, "type"))
            rc = parseOSType(def, c);
        else if (g_str_equal(name, "firmware"))
            rc = parseFirmwareFeatures(def, c);
        else if (g_str_equal(name, "loader"))
            rc = parseLoader(def, c);
        else if (g_str_equal(name, "nvram"))
            rc = parseNvram(def, c);
        else if (g_str_equal(name, "kernel"))
            rc = parseOSText(c, &def->os.kernel);
        else if (g_str_equal(name, "initrd"))
            rc = parseOSText(c, &def->os.initrd);
        else if (g_str_equal(name, "cmdline"))
            rc = parseOSText(c, &def->os.cmdline);
        else if (g_str_equal(name, "boot"))
            rc = parseBoot(def, c);
        else
            rc = parseBootmenu(def, c);
        if (rc < 0)
            return -1;
    }
    if (!def->os.type) {
        vkReportError(VK_DOMAIN_ERR, VIR_ERR_XML_ERROR, "%s", "an os <type> must be specified");
        return -1;
    }
    return 0;
}

static void formatLoader(vkBuf *buf, const vkDomainDef *def)
{
    const typeof(def->os.loader) *l = &def->os.loader;
    gboolean attrs = l->readonly || l->secure || l->type;

    if (attrs || l->path) {
        vkBufAddf(buf, "<loader");
        if (l->readonly)
            vkBufAddf(buf, " readonly='%s'", vkDomainTristateString(l->readonly, FALSE));
        if (l->secure)
            vkBufAddf(buf, " secure='%s'", vkDomainTristateString(l->secure, FALSE));
        if (l->type)
            vkBufAddf(buf, " type='%s'", vkDomainLoaderTypeToString(l->type));
        if (l->path)
            vkBufEscapef(buf, ">%s</loader>\n", l->path);
        else
            vkBufAddf(buf, "/>\n");
    }
    if (def->os.nvramTemplate || def->os.nvram) {
        vkBufAddf(buf, "<nvram");
        if (def->os.nvramTemplate)
            vkBufEscapef(buf, " template='%s'", def->os.nvramTemplate);
        if (def->os.nvram)
            vkBufEscapef(buf, ">%s</nvram>\n", def->os.nvram);
        else
            vkBufAddf(buf, "/>\n");
    }
}

static void formatFirmwareFeatures(vkBuf *buf, const vkDomainDef *def)
{
    gboolean any = FALSE;

    for (int i = 0; i < VK_DOMAIN_OS_FIRMWARE_FEATURE_LAST; i++)
        any |= def->os.firmwareFeatures[i] != VK_DOMAIN_TRISTATE_ABSENT;
    if (!any)
        return;
    vkBufAddf(buf, "<firmware>\n");
    vkBufAdjustIndent(buf, 2);
    for (int i = 0; i < VK_DOMAIN_OS_FIRMWARE_FEATURE_LAST; i++) {
        if (def->os.firmwareFeatures[i])
            vkBufAddf(buf, "<feature enabled='%s' name='%s'/>\n",
                      vkDomainTristateString(def->os.firmwareFeatures[i], FALSE),
                      vkDomainOSFirmwareFeatureTypeToString(i));
    }
    vkBufAdjustIndent(buf, -2);
    vkBufAddf(buf, "</firmware>\n");
}

static void formatOS(vkBuf *buf, const vkDomainDef *def)
{
    if (def->os.firmware)
        vkBufAddf(buf, "<os firmware='%s'>\n", vkDomainOSFirmwareTypeToString(def->os.firmware));
    else
        vkBufAddf(buf, "<os>\n");
    vkBufAdjustIndent(buf, 2);
    vkBufAddf(buf, "<type");
    if (def->os.arch)
        vkBufEscapef(buf, " arch='%s'", def->os.arch);
    if (def->os.machine)
        vkBufEscapef(buf, " machine='%s'", def->os.machine);
    vkBufEscapef(buf, ">%s</type>\n", def->os.type);
    formatFirmwareFeatures(buf, def);
    formatLoader(buf, def);
    if (def->os.kernel)
        vkBufEscapef(buf, "<kernel>%s</kernel>\n", def->os.kernel);
    if (def->os.initrd)
        vkBufEscapef(buf, "<initrd>%s</initrd>\n", def->os.initrd);
    if (def->os.cmdline)
        vkBufEscapef(buf, "<cmdline>%s</cmdline>\n", def->os.cmdline);
    for (size_t i = 0; i < def->os.nBootDevs; i++)
        vkBufAddf(buf, "<boot dev='%s'/>\n", vkDomainBootTypeToString(def->os.bootDevs[i]));
    if (def->os.bootmenu) {
        vkBufAddf(buf, "<bootmenu enable='%s'", vkDomainTristateString(def->os.bootmenu, FALSE));
        if (def->os.bootmenuTimeoutSet)
            vkBufAddf(buf, " timeout='%u'", def->os.bootmenuTimeout);
        vkBufAddf(buf, "/>\n");
    }
    vkBufAdjustIndent(buf, -2);
    vkBufAddf(buf, "</os>\n");
}

/* ---- features ---- */

static int parseFeatures(vkDomainDef *def, xmlNodePtr node, unsigned int flags)
{
    static const char *const children[] = {
        "acpi", "apic", "pae", "hyperv", "vmport", "smm", NULL
    };
    static const char *const stateAttrs[] = { "state", NULL };

    if (vkXMLCheckAttrs(node, NULL, VK_DOMAIN_ERR) < 0 ||
        vkXMLCheckChildren(node, children, VK_DOMAIN_ERR) < 0 ||
        vkXMLCheckUnique(node, "vmport", VK_DOMAIN_ERR) < 0 ||
        vkXMLCheckUnique(node, "smm", VK_DOMAIN_ERR) < 0 ||
        vkXMLCheckUnique(node, "hyperv", VK_DOMAIN_ERR) < 0)
        return -1;
    for (xmlNodePtr c = node->children; c; c = c->next) {
        int f;

        if (c->type != XML_ELEMENT_NODE)
            continue;
        if (xmlStrEqual(c->name, BAD_CAST "hyperv")) {
            if (vkDomainHypervParse(&def->hyperv, c) < 0)
                return -1;
            continue;
        }
        if (xmlStrEqual(c->name, BAD_CAST "vmport")) {
            /* As libvirt: <vmport/> alone turns it on. */
            if (vkXMLCheckLeaf(c, stateAttrs, VK_DOMAIN_ERR) < 0 ||
                vkDomainPropTristate(c, "state", TRUE, &def->vmport) < 0)
                return -1;
            if (!def->vmport)
                def->vmport = VK_DOMAIN_TRISTATE_YES;
            continue;
        }
        if (xmlStrEqual(c->name, BAD_CAST "smm")) {
            /* <tseg> sizes are not supported: refused as an unknown child. */
            if (vkXMLCheckLeaf(c, stateAttrs, VK_DOMAIN_ERR) < 0 ||
                vkDomainPropTristate(c, "state", TRUE, &def->smm) < 0)
                return -1;
            if (!def->smm)
                def->smm = VK_DOMAIN_TRISTATE_YES;
            continue;
        }
        if (vkXMLCheckLeaf(c, NULL, VK_DOMAIN_ERR) < 0)
            return -1;
        f = vkDomainFeatureTypeFromString((const char *)c->name);
        if (def->features[f])
            return vkDomainReportDuplicate(c);
        def->features[f] = TRUE;
    }
    return 0;
}

static void formatFeatures(vkBuf *buf, const vkDomainDef *def)
{
    gboolean any = FALSE;

    for (int f = 0; f < VK_DOMAIN_FEATURE_LAST; f++)
        any |= def->features[f];
    if (!any && !def->vmport && !def->smm && !def->hyperv.mode)
        return;
    vkBufAddf(buf, "<features>\n");
    vkBufAdjustIndent(buf, 2);
    for (int f = 0; f < VK_DOMAIN_FEATURE_LAST; f++) {
        if (def->features[f])
            vkBufAddf(buf, "<%s/>\n", vkDomainFeatureTypeToString(f));
    }
    /* libvirt's order of features: hyperv before vmport. */
    vkDomainHypervFormat(buf, &def->hyperv);
    if (def->vmport)
        vkBufAddf(buf, "<vmport state='%s'/>\n", vkDomainTristateString(def->vmport, TRUE));
    if (def->smm)
        vkBufAddf(buf, "<smm state='%s'/>\n", vkDomainTristateString(def->smm, TRUE));
    vkBufAdjustIndent(buf, -2);
    vkBufAddf(buf, "</features>\n");
}

/* ---- clock ---- */

static int parseTimer(vkDomainClockDef *clock, xmlNodePtr node)
{
    static const char *const attrs[] = { "name", "present", "tickpolicy", NULL };
    vkDomainTimerDef timer = { 0 };
    int rc;

    if (vkXMLCheckLeaf(node, attrs, VK_DOMAIN_ERR) < 0)
        return -1;
    if ((rc = vkDomainPropEnum(node, "name", vkDomainTimerTypeFromString, FALSE, &timer.name)) < 0)
        return -1;
    if (rc == 0) {
        g_free(vkDomainPropRequired(node, "name"));
        return -1;
    }
    if (vkDomainPropTristate(node, "present", FALSE, &timer.present) < 0 ||
        vkDomainPropEnum(node, "tickpolicy", vkDomainTickpolicyTypeFromString, TRUE,
                         &timer.tickpolicy) < 0)
        return -1;
    clock->timers = g_renew(vkDomainTimerDef, clock->timers, clock->ntimers + 1);
    clock->timers[clock->ntimers++] = timer;
    return 0;
}

static int parseClockAdjustment(vkDomainClockDef *clock, xmlNodePtr node)
{
    g_autofree char *adj = vkXMLProp(node, "adjustment");
    gint64 value = 0;

    if (!adj)
        return 0;
    if (clock->offset == VK_DOMAIN_CLOCK_OFFSET_VARIABLE) {
        if (!g_ascii_string_to_signed(adj, 10, G_MININT64, G_MAXINT64, &value, NULL)) {
            vkXMLReportAt(node, VK_DOMAIN_ERR, VIR_ERR_XML_ERROR,
                          "invalid value '%s' for attribute 'adjustment' of <clock>", adj);
            return -1;
        }
        clock->adjustment = value;
    } else if (g_str_equal(adj, "reset")) {
        clock->adjustmentReset = TRUE;
    } else {
        vkXMLReportAt(node, VK_DOMAIN_ERR, VIR_ERR_XML_ERROR,
                      "invalid value '%s' for attribute 'adjustment' of <clock>: only 'reset' "
                      "is valid with offset '%s'",
                      adj, vkDomainClockOffsetTypeToString(clock->offset));
        return -1;
    }
    return 0;
}

static int parseClock(vkDomainDef *def, xmlNodePtr node, unsigned int flags)
{
    static const char *const attrsByOffset[VK_DOMAIN_CLOCK_OFFSET_LAST][4] = {
        [VK_DOMAIN_CLOCK_OFFSET_UTC] = { "offset", "adjustment", NULL },
        [VK_DOMAIN_CLOCK_OFFSET_LOCALTIME] = { "offset", "adjustment", NULL },
        [VK_DOMAIN_CLOCK_OFFSET_VARIABLE] = { "offset", "adjustment", "basis", NULL },
        [VK_DOMAIN_CLOCK_OFFSET_TIMEZONE] = { "offset", "timezone", NULL },
    };
    static const char *const children[] = { "timer", NULL };
    vkDomainClockDef *clock = &def->clock;

    if (vkDomainPropEnum(node, "offset", vkDomainClockOffsetTypeFromString, FALSE, &clock->offset) <
            0 ||
        vkXMLCheckAttrs(node, attrsByOffset[clock->offset], VK_DOMAIN_ERR) < 0 ||
        vkXMLCheckChildren(node, children, VK_DOMAIN_ERR) < 0 ||
        parseClockAdjustment(clock, node) < 0 ||
        vkDomainPropEnum(node, "basis", vkDomainClockBasisTypeFromString, FALSE, &clock->basis) < 0)
        return -1;
    if (clock->offset == VK_DOMAIN_CLOCK_OFFSET_TIMEZONE &&
        !(clock->timezone = vkDomainPropRequired(node, "timezone")))
        return -1;
    for (xmlNodePtr c = node->children; c; c = c->next) {
        if (c->type == XML_ELEMENT_NODE && parseTimer(clock, c) < 0)
            return -1;
    }
    return 0;
}

static void formatClock(vkBuf *buf, const vkDomainClockDef *clock)
{
    vkBufAddf(buf, "<clock offset='%s'", vkDomainClockOffsetTypeToString(clock->offset));
    switch (clock->offset) {
    case VK_DOMAIN_CLOCK_OFFSET_UTC:
    case VK_DOMAIN_CLOCK_OFFSET_LOCALTIME:
        if (clock->adjustmentReset)
            vkBufAddf(buf, " adjustment='reset'");
        break;
    case VK_DOMAIN_CLOCK_OFFSET_VARIABLE:
        vkBufAddf(buf, " adjustment='%lld' basis='%s'", clock->adjustment,
                  vkDomainClockBasisTypeToString(clock->basis));
        break;
    case VK_DOMAIN_CLOCK_OFFSET_TIMEZONE:
        vkBufEscapef(buf, " timezone='%s'", clock->timezone);
        break;
    }
    if (!clock->ntimers) {
        vkBufAddf(buf, "/>\n");
        return;
    }
    vkBufAddf(buf, ">\n");
    vkBufAdjustIndent(buf, 2);
    for (size_t i = 0; i < clock->ntimers; i++) {
        const vkDomainTimerDef *t = &clock->timers[i];

        vkBufAddf(buf, "<timer name='%s'", vkDomainTimerTypeToString(t->name));
        if (t->present)
            vkBufAddf(buf, " present='%s'", vkDomainTristateString(t->present, FALSE));
        if (t->tickpolicy)
            vkBufAddf(buf, " tickpolicy='%s'", vkDomainTickpolicyTypeToString(t->tickpolicy));
        vkBufAddf(buf, "/>\n");
    }
    vkBufAdjustIndent(buf, -2);
    vkBufAddf(buf, "</clock>\n");
}

/* ---- lifecycle ---- */

static int parseLifecycle(xmlNodePtr node, int *out)
{
    g_autofree char *text = vkDomainLeafText(node, NULL);
    const char *event = (const char *)node->name;
    int action;

    if (!text)
        return -1;
    g_strstrip(text);
    if ((action = vkDomainLifecycleTypeFromString(text)) < 0) {
        vkXMLReportAt(node, VK_DOMAIN_ERR, VIR_ERR_CONFIG_UNSUPPORTED, "unknown %s action: %s",
                      event, text);
        return -1;
    }
    if (!g_str_equal(event, "on_crash") && (action == VK_DOMAIN_LIFECYCLE_COREDUMP_DESTROY ||
                                            action == VK_DOMAIN_LIFECYCLE_COREDUMP_RESTART)) {
        vkXMLReportAt(node, VK_DOMAIN_ERR, VIR_ERR_CONFIG_UNSUPPORTED,
                      "Lifecycle event '%s' doesn't support '%s' action", event + 3, text);
        return -1;
    }
    *out = action;
    return 0;
}

static int parseOnPoweroff(vkDomainDef *def, xmlNodePtr node, unsigned int flags)
{
    return parseLifecycle(node, &def->onPoweroff);
}

static int parseOnReboot(vkDomainDef *def, xmlNodePtr node, unsigned int flags)
{
    return parseLifecycle(node, &def->onReboot);
}

static int parseOnCrash(vkDomainDef *def, xmlNodePtr node, unsigned int flags)
{
    return parseLifecycle(node, &def->onCrash);
}

/* ---- power management ---- */

static int parsePM(vkDomainDef *def, xmlNodePtr node, unsigned int flags)
{
    static const char *const children[] = { "suspend-to-mem", "suspend-to-disk", NULL };
    static const char *const attrs[] = { "enabled", NULL };

    if (vkXMLCheckAttrs(node, NULL, VK_DOMAIN_ERR) < 0 ||
        vkXMLCheckChildren(node, children, VK_DOMAIN_ERR) < 0)
        return -1;
    for (xmlNodePtr c = node->children; c; c = c->next) {
        gboolean mem = xmlStrEqual(c->name, BAD_CAST "suspend-to-mem");

        if (c->type != XML_ELEMENT_NODE)
            continue;
        if (vkXMLCheckLeaf(c, attrs, VK_DOMAIN_ERR) < 0 ||
            vkDomainPropTristate(c, "enabled", FALSE, mem ? &def->pmS3 : &def->pmS4) < 0)
            return -1;
    }
    return 0;
}

static void formatPM(vkBuf *buf, const vkDomainDef *def)
{
    if (!def->pmS3 && !def->pmS4)
        return;
    vkBufAddf(buf, "<pm>\n");
    vkBufAdjustIndent(buf, 2);
    if (def->pmS3)
        vkBufAddf(buf, "<suspend-to-mem enabled='%s'/>\n",
                  vkDomainTristateString(def->pmS3, FALSE));
    if (def->pmS4)
        vkBufAddf(buf, "<suspend-to-disk enabled='%s'/>\n",
                  vkDomainTristateString(def->pmS4, FALSE));
    vkBufAdjustIndent(buf, -2);
    vkBufAddf(buf, "</pm>\n");
}

static int parseDevices(vkDomainDef *def, xmlNodePtr node, unsigned int flags)
{
    return vkDomainDevicesParse(def, node, flags);
}

/* ---- the document ---- */

typedef int (*vkDomainElementParser)(vkDomainDef *def, xmlNodePtr node, unsigned int flags);

/* Every child <domain> may have, each at most once, and its parser at the same index. */
static const char *const domainElementNames[] = {
    "name",      "uuid",     "title",   "description", "maxMemory", "memory", "currentMemory",
    "vcpu",      "numatune", "os",      "features",    "cpu",       "clock",  "on_poweroff",
    "on_reboot", "on_crash", "devices", "metadata",    "pm",        NULL,
};
static const vkDomainElementParser domainElementParsers[] = {
    parseName,
    parseUUID,
    parseTitle,
    parseDescription,
    parseMaxMemory,
    parseMemoryElement,
    parseCurrentMemory,
    parseVcpu,
    parseNumatune,
    parseOS,
    parseFeatures,
    vkDomainCPUParse,
    parseClock,
    parseOnPoweroff,
    parseOnReboot,
    parseOnCrash,
    parseDevices,
    vkDomainMetadataParse,
    parsePM,
};
G_STATIC_ASSERT(G_N_ELEMENTS(domainElementNames) == G_N_ELEMENTS(domainElementParsers) + 1);
#define DOMAIN_ELEMENT_UUID     1
#define DOMAIN_ELEMENT_NUMATUNE 8

static vkDomainDef *domainDefNew(void)
{
    vkDomainDef *def = g_new0(vkDomainDef, 1);

    def->id = -1;
    def->onPoweroff = VK_DOMAIN_LIFECYCLE_DESTROY;
    def->onReboot = VK_DOMAIN_LIFECYCLE_RESTART;
    def->onCrash = VK_DOMAIN_LIFECYCLE_DESTROY;
    return def;
}

static int parseRootAttrs(vkDomainDef *def, xmlNodePtr root, unsigned int flags)
{
    static const char *const attrs[] = { "type", "id", NULL };
    int rc;

    if (vkXMLCheckAttrs(root, attrs, VK_DOMAIN_ERR) < 0)
        return -1;
    if ((rc = vkDomainPropEnum(root, "type", vkDomainVirtTypeFromString, FALSE, &def->virtType)) <
        0)
        return -1;
    if (rc == 0) {
        g_free(vkDomainPropRequired(root, "type"));
        return -1;
    }
    /* The id only describes a running instance. */
    if (!(flags & VK_DOMAIN_DEF_PARSE_INACTIVE) &&
        vkXMLPropInt(root, "id", 0, G_MAXINT, &def->id, VK_DOMAIN_ERR) < 0)
        return -1;
    return 0;
}

vkDomainDef *vkDomainDefParseNode(xmlDocPtr doc, xmlNodePtr root, unsigned int flags)
{
    g_autoptr(vkDomainDef) def = NULL;
    xmlNodePtr numatune = NULL;
    guint32 seen = 0;
    int idx;

    (void)doc;
    if (!root || root->type != XML_ELEMENT_NODE || !xmlStrEqual(root->name, BAD_CAST "domain")) {
        vkReportError(VK_DOMAIN_ERR, VIR_ERR_XML_ERROR,
                      "expecting root element of 'domain', not '%s'",
                      root && root->name ? (const char *)root->name : "");
        return NULL;
    }
    if (root->ns) {
        vkXMLReportAt(root, VK_DOMAIN_ERR, VIR_ERR_XML_ERROR,
                      "unsupported namespace on element <domain>");
        return NULL;
    }
    def = domainDefNew();
    if (parseRootAttrs(def, root, flags) < 0)
        return NULL;
    if (vkXMLCheckChildren(root, domainElementNames, VK_DOMAIN_ERR) < 0)
        return NULL;
    for (xmlNodePtr c = root->children; c; c = c->next) {
        if (c->type != XML_ELEMENT_NODE)
            continue;
        idx = vkEnumFromString(domainElementNames, G_N_ELEMENTS(domainElementParsers),
                               (const char *)c->name);
        if (seen & (1u << idx)) {
            vkDomainReportDuplicate(c);
            return NULL;
        }
        seen |= 1u << idx;
        if (idx == DOMAIN_ELEMENT_NUMATUNE)
            numatune = c;
        else if (domainElementParsers[idx](def, c, flags) < 0)
            return NULL;
    }
    if (numatune && parseNumatune(def, numatune, flags) < 0)
        return NULL;
    if (!def->name) {
        vkXMLReportAt(root, VK_DOMAIN_ERR, VIR_ERR_XML_ERROR,
                      "missing required element <name> in <domain>");
        return NULL;
    }
    if (!def->os.type) {
        vkReportError(VK_DOMAIN_ERR, VIR_ERR_XML_ERROR, "%s", "an os <type> must be specified");
        return NULL;
    }
    if (!(seen & (1u << DOMAIN_ELEMENT_UUID)))
        vkUUIDGenerate(def->uuid);
    if (vkDomainDefPostParse(def, flags) < 0)
        return NULL;
    return g_steal_pointer(&def);
}

static vkDomainDef *parseDoc(xmlDocPtr doc, unsigned int flags)
{
    xmlNodePtr root;

    if (!(root = vkXMLRoot(doc, "domain", VK_DOMAIN_ERR)))
        return NULL;
    return vkDomainDefParseNode(doc, root, flags);
}

vkDomainDef *vkDomainDefParseString(const char *xml, unsigned int flags)
{
    g_autoptr(xmlDoc) doc = vkXMLParseString(xml, "domain_definition", VK_DOMAIN_ERR);

    return doc ? parseDoc(doc, flags) : NULL;
}

vkDomainDef *vkDomainDefParseFile(const char *path, unsigned int flags)
{
    g_autoptr(xmlDoc) doc = vkXMLParseFile(path, NULL, VK_DOMAIN_ERR);

    return doc ? parseDoc(doc, flags) : NULL;
}

char *vkDomainDefFormat(const vkDomainDef *def, unsigned int flags)
{
    char uuid[VIR_UUID_STRING_BUFLEN];
    vkBuf buf;

    /* Runtime data exists only while the domain runs, and never travels with it. */
    if (def->id < 0 || (flags & VK_DOMAIN_DEF_FORMAT_MIGRATABLE))
        flags |= VK_DOMAIN_DEF_FORMAT_INACTIVE;

    vkBufInit(&buf);
    vkBufAddf(&buf, "<domain type='%s'", vkDomainVirtTypeToString(def->virtType));
    if (!(flags & VK_DOMAIN_DEF_FORMAT_INACTIVE))
        vkBufAddf(&buf, " id='%d'", def->id);
    vkBufAddf(&buf, ">\n");
    vkBufAdjustIndent(&buf, 2);
    vkBufEscapef(&buf, "<name>%s</name>\n", def->name);
    vkUUIDFormat(def->uuid, uuid);
    vkBufAddf(&buf, "<uuid>%s</uuid>\n", uuid);
    if (def->title)
        vkBufEscapef(&buf, "<title>%s</title>\n", def->title);
    if (def->description)
        vkBufEscapef(&buf, "<description>%s</description>\n", def->description);
    vkDomainMetadataFormat(&buf, def);
    formatMemory(&buf, def);
    formatVcpu(&buf, def);
    formatNumatune(&buf, def);
    formatOS(&buf, def);
    formatFeatures(&buf, def);
    if (def->cpu)
        vkDomainCPUFormat(&buf, def->cpu);
    formatClock(&buf, &def->clock);
    vkBufAddf(&buf, "<on_poweroff>%s</on_poweroff>\n",
              vkDomainLifecycleTypeToString(def->onPoweroff));
    vkBufAddf(&buf, "<on_reboot>%s</on_reboot>\n", vkDomainLifecycleTypeToString(def->onReboot));
    vkBufAddf(&buf, "<on_crash>%s</on_crash>\n", vkDomainLifecycleTypeToString(def->onCrash));
    formatPM(&buf, def);
    vkDomainDevicesFormat(&buf, def, flags);
    vkBufAdjustIndent(&buf, -2);
    vkBufAddf(&buf, "</domain>\n");
    return vkBufFinish(&buf);
}

/* ---- copy and free ---- */

vkDomainDef *vkDomainDefCopy(const vkDomainDef *src)
{
    vkDomainDef *def = g_new0(vkDomainDef, 1);

    /* Scalars and fixed arrays first, then replace every pointer with a copy. */
    *def = *src;
    def->name = g_strdup(src->name);
    def->title = g_strdup(src->title);
    def->description = g_strdup(src->description);
    def->metadata = vkDomainMetadataCopy(src->metadata);
    def->hyperv.vendorId = g_strdup(src->hyperv.vendorId);
    def->cpumask = vkBitmapCopy(src->cpumask);
    def->os.type = g_strdup(src->os.type);
    def->os.arch = g_strdup(src->os.arch);
    def->os.machine = g_strdup(src->os.machine);
    def->os.loader.path = g_strdup(src->os.loader.path);
    def->os.nvram = g_strdup(src->os.nvram);
    def->os.nvramTemplate = g_strdup(src->os.nvramTemplate);
    def->os.kernel = g_strdup(src->os.kernel);
    def->os.initrd = g_strdup(src->os.initrd);
    def->os.cmdline = g_strdup(src->os.cmdline);
    def->cpu = vkDomainCPUDefCopy(src->cpu);
    def->clock.timezone = g_strdup(src->clock.timezone);
    def->clock.timers =
        src->clock.ntimers
            ? g_memdup2(src->clock.timers, src->clock.ntimers * sizeof(*src->clock.timers))
            : NULL;
    vkDomainDevicesCopy(def, src);
    return def;
}

void vkDomainDefFree(vkDomainDef *def)
{
    if (!def)
        return;
    g_free(def->name);
    g_free(def->title);
    g_free(def->description);
    if (def->metadata)
        xmlFreeDoc(def->metadata);
    vkBitmapFree(def->cpumask);
    g_free(def->hyperv.vendorId);
    g_free(def->os.type);
    g_free(def->os.arch);
    g_free(def->os.machine);
    g_free(def->os.loader.path);
    g_free(def->os.nvram);
    g_free(def->os.nvramTemplate);
    g_free(def->os.kernel);
    g_free(def->os.initrd);
    g_free(def->os.cmdline);
    vkDomainCPUDefFree(def->cpu);
    g_free(def->clock.timezone);
    g_free(def->clock.timers);
    vkDomainDevicesFree(def);
    g_free(def);
}

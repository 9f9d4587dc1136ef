/* <cpu>: the guest CPU's mode, model, vendor, topology, cache and feature policies, parsed with
 * libvirt's checks and formatted as libvirt writes them. */
#include "conf/domain_priv.h"

#include <string.h>

VK_ENUM_IMPL(vkDomainCPUFeaturePolicy, VK_DOMAIN_CPU_FEATURE_LAST, "force", "require", "optional",
             "disable", "forbid")
VK_ENUM_IMPL(vkDomainCPUCacheMode, VK_DOMAIN_CPU_CACHE_LAST, "emulate", "passthrough", "disable")

/* libvirt's VIR_CPU_VENDOR_ID_LENGTH: what CPUID leaf 0 holds. */
#define VENDOR_ID_LENGTH 12

void vkDomainCPUDefFree(vkDomainCPUDef *cpu)
{
    if (!cpu)
        return;
    for (size_t i = 0; i < cpu->nfeatures; i++)
        g_free(cpu->features[i].name);
    g_free(cpu->features);
    g_free(cpu->model);
    g_free(cpu->vendorId);
    g_free(cpu->vendor);
    g_free(cpu);
}

vkDomainCPUDef *vkDomainCPUDefCopy(const vkDomainCPUDef *src)
{
    vkDomainCPUDef *cpu;

    if (!src)
        return NULL;
    cpu = g_memdup2(src, sizeof(*src));
    cpu->model = g_strdup(src->model);
    cpu->vendorId = g_strdup(src->vendorId);
    cpu->vendor = g_strdup(src->vendor);
    cpu->features = g_new0(vkDomainCPUFeatureDef, src->nfeatures);
    for (size_t i = 0; i < src->nfeatures; i++) {
        cpu->features[i].name = g_strdup(src->features[i].name);
        cpu->features[i].policy = src->features[i].policy;
    }
    return cpu;
}

static int parseModel(vkDomainCPUDef *cpu, xmlNodePtr node)
{
    static const char *const attrs[] = { "fallback", "vendor_id", NULL };
    g_autofree char *model = vkDomainLeafText(node, attrs);
    g_autofree char *vendorId = NULL;

    if (!model)
        return -1;
    if (cpu->mode != VK_DOMAIN_CPU_MODE_CUSTOM && cpu->mode != VK_DOMAIN_CPU_MODE_HOST_MODEL) {
        vkXMLReportAt(node, VK_DOMAIN_ERR, VIR_ERR_XML_ERROR,
                      "a CPU <model> is not valid with mode '%s'",
                      vkDomainCPUModeTypeToString(cpu->mode));
        return -1;
    }
    if (vkDomainPropEnum(node, "fallback", vkDomainCPUFallbackTypeFromString, FALSE,
                         &cpu->fallback) < 0)
        return -1;
    if ((vendorId = vkXMLProp(node, "vendor_id"))) {
        if (strlen(vendorId) != VENDOR_ID_LENGTH) {
            vkXMLReportAt(node, VK_DOMAIN_ERR, VIR_ERR_XML_ERROR,
                          "vendor_id must be exactly %d characters long", VENDOR_ID_LENGTH);
            return -1;
        }
        /* qemu reads -cpu as a comma separated list */
        if (strchr(vendorId, ',')) {
            vkXMLReportAt(node, VK_DOMAIN_ERR, VIR_ERR_XML_ERROR, "vendor id is invalid");
            return -1;
        }
        cpu->vendorId = g_steal_pointer(&vendorId);
    }
    g_strstrip(model);
    if (*model)
        cpu->model = g_steal_pointer(&model);
    return 0;
}

static int parseTopology(vkDomainCPUDef *cpu, xmlNodePtr node)
{
    static const char *const attrs[] = { "sockets", "dies", "cores", "threads", NULL };
    static const char *const required[] = { "sockets", "cores", "threads" };
    unsigned long long v[4] = { 0, 1, 0, 0 };

    if (vkXMLCheckLeaf(node, attrs, VK_DOMAIN_ERR) < 0)
        return -1;
    for (size_t i = 0; i < G_N_ELEMENTS(required); i++) {
        g_autofree char *s = vkDomainPropRequired(node, required[i]);
        if (!s)
            return -1;
    }
    for (size_t i = 0; i < 4; i++) {
        if (vkXMLPropULL(node, attrs[i], 1, G_MAXUINT, &v[i], VK_DOMAIN_ERR) < 0)
            return -1;
    }
    cpu->sockets = v[0];
    cpu->dies = v[1];
    cpu->cores = v[2];
    cpu->threads = v[3];
    return 0;
}

static int parseVendor(vkDomainCPUDef *cpu, xmlNodePtr node)
{
    g_autofree char *vendor = vkDomainLeafText(node, NULL);

    if (!vendor)
        return -1;
    cpu->vendor = g_steal_pointer(&vendor);
    return 0;
}

static int parseFeature(vkDomainCPUDef *cpu, xmlNodePtr node)
{
    static const char *const attrs[] = { "policy", "name", NULL };
    g_autofree char *policy = NULL;
    g_autofree char *name = NULL;
    vkDomainCPUFeatureDef *f;
    int value = VK_DOMAIN_CPU_FEATURE_REQUIRE;

    if (vkXMLCheckLeaf(node, attrs, VK_DOMAIN_ERR) < 0)
        return -1;
    if ((policy = vkXMLProp(node, "policy")) &&
        (value = vkDomainCPUFeaturePolicyTypeFromString(policy)) < 0) {
        vkXMLReportAt(node, VK_DOMAIN_ERR, VIR_ERR_CONFIG_UNSUPPORTED,
                      "Invalid CPU feature policy");
        return -1;
    }
    if (!(name = vkXMLProp(node, "name")) || !*name) {
        vkXMLReportAt(node, VK_DOMAIN_ERR, VIR_ERR_XML_ERROR, "Invalid CPU feature name");
        return -1;
    }
    for (size_t i = 0; i < cpu->nfeatures; i++) {
        if (g_str_equal(cpu->features[i].name, name)) {
            vkXMLReportAt(node, VK_DOMAIN_ERR, VIR_ERR_XML_ERROR,
                          "CPU feature '%s' specified more than once", name);
            return -1;
        }
    }
    cpu->features = g_renew(vkDomainCPUFeatureDef, cpu->features, cpu->nfeatures + 1);
    f = &cpu->features[cpu->nfeatures++];
    f->name = g_steal_pointer(&name);
    f->policy = value;
    return 0;
}

static int parseCache(vkDomainCPUDef *cpu, xmlNodePtr node)
{
    static const char *const attrs[] = { "level", "mode", NULL };
    unsigned long long level = 0;
    int rc;

    if (vkXMLCheckLeaf(node, attrs, VK_DOMAIN_ERR) < 0 ||
        (rc = vkXMLPropULL(node, "level", 0, G_MAXINT, &level, VK_DOMAIN_ERR)) < 0)
        return -1;
    if (rc > 0 && (level < 1 || level > 3)) {
        vkXMLReportAt(node, VK_DOMAIN_ERR, VIR_ERR_XML_ERROR,
                      "invalid CPU cache level, must be in range [1,3]");
        return -1;
    }
    if ((rc = vkDomainPropEnum(node, "mode", vkDomainCPUCacheModeTypeFromString, FALSE,
                               &cpu->cacheMode)) < 0)
        return -1;
    if (rc == 0) {
        g_free(vkDomainPropRequired(node, "mode"));
        return -1;
    }
    cpu->hasCache = TRUE;
    cpu->cacheLevel = rc > 0 && level ? (int)level : -1;
    return 0;
}

static int parseChild(vkDomainCPUDef *cpu, xmlNodePtr c)
{
    const char *name = (const char *)c->name;

    if (g_str_equal(name, "model"))
        return parseModel(cpu, c);
    if (g_str_equal(name, "topology"))
        return parseTopology(cpu, c);
    if (g_str_equal(name, "vendor"))
        return parseVendor(cpu, c);
    if (g_str_equal(name, "cache"))
        return parseCache(cpu, c);
    return parseFeature(cpu, c);
}

/* libvirt's checks across the children, once all are read. */
static int checkChildren(const vkDomainCPUDef *cpu, xmlNodePtr node, gboolean hasMatch)
{
    if (cpu->vendor && !cpu->model) {
        vkXMLReportAt(node, VK_DOMAIN_ERR, VIR_ERR_XML_ERROR,
                      "CPU vendor specified without CPU model");
        return -1;
    }
    if (cpu->nfeatures && !cpu->model && cpu->mode == VK_DOMAIN_CPU_MODE_CUSTOM) {
        vkXMLReportAt(node, VK_DOMAIN_ERR, VIR_ERR_XML_ERROR,
                      "Non-empty feature list specified without CPU model");
        return -1;
    }
    /* libvirt prints no attributes for a custom CPU without a model, so they would vanish. */
    if (cpu->mode == VK_DOMAIN_CPU_MODE_CUSTOM && !cpu->model && (hasMatch || cpu->check)) {
        vkXMLReportAt(node, VK_DOMAIN_ERR, VIR_ERR_XML_ERROR,
                      "CPU mode 'custom' with match or check needs a <model>");
        return -1;
    }
    return 0;
}

int vkDomainCPUParse(vkDomainDef *def, xmlNodePtr node, unsigned int flags)
{
    static const char *const attrs[] = { "mode", "match", "check", "migratable", NULL };
    static const char *const children[] = {
        "model", "topology", "vendor", "feature", "cache", NULL
    };
    static const char *const unique[] = { "model", "topology", "vendor", "cache" };
    g_autoptr(vkDomainCPUDef) cpu = g_new0(vkDomainCPUDef, 1);
    int hasMatch;

    if (vkXMLCheckAttrs(node, attrs, VK_DOMAIN_ERR) < 0 ||
        vkXMLCheckChildren(node, children, VK_DOMAIN_ERR) < 0)
        return -1;
    for (size_t i = 0; i < G_N_ELEMENTS(unique); i++) {
        if (vkXMLCheckUnique(node, unique[i], VK_DOMAIN_ERR) < 0)
            return -1;
    }
    cpu->match = VK_DOMAIN_CPU_MATCH_EXACT;
    if (vkDomainPropEnum(node, "mode", vkDomainCPUModeTypeFromString, FALSE, &cpu->mode) < 0 ||
        (hasMatch = vkDomainPropEnum(node, "match", vkDomainCPUMatchTypeFromString, FALSE,
                                     &cpu->match)) < 0 ||
        vkDomainPropEnum(node, "check", vkDomainCPUCheckTypeFromString, TRUE, &cpu->check) < 0 ||
        vkDomainPropTristate(node, "migratable", TRUE, &cpu->migratable) < 0)
        return -1;
    if (hasMatch && cpu->mode != VK_DOMAIN_CPU_MODE_CUSTOM) {
        vkXMLReportAt(node, VK_DOMAIN_ERR, VIR_ERR_XML_ERROR,
                      "CPU match is only valid with mode 'custom'");
        return -1;
    }
    if (cpu->migratable && cpu->mode != VK_DOMAIN_CPU_MODE_HOST_PASSTHROUGH &&
        cpu->mode != VK_DOMAIN_CPU_MODE_MAXIMUM) {
        vkXMLReportAt(node, VK_DOMAIN_ERR, VIR_ERR_XML_ERROR,
                      "Attribute migratable is only allowed for 'host-passthrough' / "
                      "'maximum' CPU mode");
        return -1;
    }
    for (xmlNodePtr c = node->children; c; c = c->next) {
        if (c->type == XML_ELEMENT_NODE && parseChild(cpu, c) < 0)
            return -1;
    }
    if (checkChildren(cpu, node, hasMatch != 0) < 0)
        return -1;
    def->cpu = g_steal_pointer(&cpu);
    return 0;
}

static void formatModel(vkBuf *buf, const vkDomainCPUDef *cpu)
{
    vkBufAddf(buf, "<model");
    if (cpu->model)
        vkBufAddf(buf, " fallback='%s'", vkDomainCPUFallbackTypeToString(cpu->fallback));
    if (cpu->vendorId)
        vkBufEscapef(buf, " vendor_id='%s'", cpu->vendorId);
    if (cpu->model)
        vkBufEscapef(buf, ">%s</model>\n", cpu->model);
    else
        vkBufAddf(buf, "/>\n");
}

static void formatChildren(vkBuf *buf, const vkDomainCPUDef *cpu, gboolean withModel)
{
    if (withModel && (cpu->model || cpu->vendorId))
        formatModel(buf, cpu);
    if (withModel && cpu->vendor)
        vkBufEscapef(buf, "<vendor>%s</vendor>\n", cpu->vendor);
    if (cpu->sockets)
        vkBufAddf(buf, "<topology sockets='%u' dies='%u' cores='%u' threads='%u'/>\n", cpu->sockets,
                  cpu->dies, cpu->cores, cpu->threads);
    if (cpu->hasCache) {
        vkBufAddf(buf, "<cache ");
        if (cpu->cacheLevel != -1)
            vkBufAddf(buf, "level='%d' ", cpu->cacheLevel);
        vkBufAddf(buf, "mode='%s'/>\n", vkDomainCPUCacheModeTypeToString(cpu->cacheMode));
    }
    for (size_t i = 0; i < cpu->nfeatures; i++) {
        vkBufAddf(buf, "<feature policy='%s'",
                  vkDomainCPUFeaturePolicyTypeToString(cpu->features[i].policy));
        vkBufEscapef(buf, " name='%s'/>\n", cpu->features[i].name);
    }
}

void vkDomainCPUFormat(vkBuf *buf, const vkDomainCPUDef *cpu)
{
    gboolean attrs = cpu->mode != VK_DOMAIN_CPU_MODE_CUSTOM || cpu->model;
    gboolean withModel =
        cpu->mode == VK_DOMAIN_CPU_MODE_CUSTOM || cpu->mode == VK_DOMAIN_CPU_MODE_HOST_MODEL;
    gboolean children = (withModel && (cpu->model || cpu->vendorId || cpu->vendor)) ||
                        cpu->sockets || cpu->hasCache || cpu->nfeatures;

    if (!attrs && !children)
        return;
    vkBufAddf(buf, "<cpu");
    if (attrs) {
        vkBufAddf(buf, " mode='%s'", vkDomainCPUModeTypeToString(cpu->mode));
        if (cpu->mode == VK_DOMAIN_CPU_MODE_CUSTOM)
            vkBufAddf(buf, " match='%s'", vkDomainCPUMatchTypeToString(cpu->match));
        if (cpu->check)
            vkBufAddf(buf, " check='%s'", vkDomainCPUCheckTypeToString(cpu->check));
        if (cpu->migratable)
            vkBufAddf(buf, " migratable='%s'", vkDomainTristateString(cpu->migratable, TRUE));
    }
    if (!children) {
        vkBufAddf(buf, "/>\n");
        return;
    }
    vkBufAddf(buf, ">\n");
    vkBufAdjustIndent(buf, 2);
    formatChildren(buf, cpu, withModel);
    vkBufAdjustIndent(buf, -2);
    vkBufAddf(buf, "</cpu>\n");
}

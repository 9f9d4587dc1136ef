/* Attributes described by a table (see domain_priv.h): one parser and one formatter for the
 * many elements of the domain XML that are mostly lists of attributes. */
#include "conf/domain_priv.h"

#include <errno.h>
#include <stddef.h>

#define FIELD(obj, spec, type)  ((type *)((char *)(obj) + (spec)->offset))
#define CFIELD(obj, spec, type) ((const type *)((const char *)(obj) + (spec)->offset))

static unsigned long long specMax(const vkAttrSpec *s)
{
    if (s->max)
        return s->max;
    switch (s->type) {
    case VK_ATTR_UINT:
        return (s->flags & VK_ATTR_ZERO) ? G_MAXUINT - 1 : G_MAXUINT;
    case VK_ATTR_ULL:
        return (s->flags & VK_ATTR_ZERO) ? G_MAXUINT64 - 1 : G_MAXUINT64;
    default:
        return G_MAXINT;
    }
}

void vkAttrsInit(const vkAttrSpec *specs, void *obj)
{
    for (const vkAttrSpec *s = specs; s->name; s++) {
        switch (s->type) {
        case VK_ATTR_STRING:
            *FIELD(obj, s, char *) = NULL;
            break;
        case VK_ATTR_ENUM_ANY:
        case VK_ATTR_INT:
            *FIELD(obj, s, int) = -1;
            break;
        case VK_ATTR_UINT:
            *FIELD(obj, s, unsigned int) = (s->flags & VK_ATTR_ZERO) ? G_MAXUINT : 0;
            break;
        case VK_ATTR_ULL:
            *FIELD(obj, s, unsigned long long) = (s->flags & VK_ATTR_ZERO) ? G_MAXUINT64 : 0;
            break;
        default:
            *FIELD(obj, s, int) = 0;
            break;
        }
    }
}

/* An unsigned number in base 10, or with VK_ATTR_HEX in C notation (0x.., 0..). */
static int parseNumber(xmlNodePtr node, const vkAttrSpec *s, const char *v, unsigned long long *out)
{
    char *end = NULL;
    guint64 n;

    if (!g_ascii_isdigit(*v))
        goto bad;
    errno = 0;
    n = g_ascii_strtoull(v, &end, (s->flags & VK_ATTR_HEX) ? 0 : 10);
    if (errno || *end || n < s->min || n > specMax(s))
        goto bad;
    *out = n;
    return 0;
bad:
    vkXMLReportAt(node, VK_DOMAIN_ERR, VIR_ERR_XML_ERROR,
                  "invalid value '%s' for attribute '%s' of <%s>: expected an integer from %llu "
                  "to %llu",
                  v, s->name, (const char *)node->name, s->min, specMax(s));
    return -1;
}

static int parseOne(xmlNodePtr node, const vkAttrSpec *s, void *obj)
{
    g_autofree char *v = vkXMLProp(node, s->name);
    unsigned long long n = 0;
    int e;

    if (!v) {
        if (s->flags & VK_ATTR_REQUIRED) {
            vkXMLReportAt(node, VK_DOMAIN_ERR, VIR_ERR_XML_ERROR,
                          "missing required attribute '%s' on <%s>", s->name,
                          (const char *)node->name);
            return -1;
        }
        return 0;
    }
    switch (s->type) {
    case VK_ATTR_STRING:
        g_free(*FIELD(obj, s, char *));
        *FIELD(obj, s, char *) = g_steal_pointer(&v);
        return 0;
    case VK_ATTR_ENUM:
    case VK_ATTR_ENUM_ANY:
        if ((e = s->fromString(v)) < 0 || (s->type == VK_ATTR_ENUM && e == 0)) {
            vkXMLReportAt(node, VK_DOMAIN_ERR, VIR_ERR_CONFIG_UNSUPPORTED,
                          "unknown %s '%s' for <%s>", s->name, v, (const char *)node->name);
            return -1;
        }
        *FIELD(obj, s, int) = e;
        return 0;
    case VK_ATTR_YESNO:
    case VK_ATTR_ONOFF:
        return vkDomainPropTristate(node, s->name, s->type == VK_ATTR_ONOFF, FIELD(obj, s, int)) < 0
                   ? -1
                   : 0;
    case VK_ATTR_UINT:
    case VK_ATTR_ULL:
    case VK_ATTR_INT:
        if (parseNumber(node, s, v, &n) < 0)
            return -1;
        if (s->type == VK_ATTR_UINT)
            *FIELD(obj, s, unsigned int) = n;
        else if (s->type == VK_ATTR_ULL)
            *FIELD(obj, s, unsigned long long) = n;
        else
            *FIELD(obj, s, int) = n;
        return 0;
    }
    return 0;
}

int vkAttrsParse(xmlNodePtr node, const vkAttrSpec *specs, const char *const *extra, void *obj)
{
    const char *names[64];
    size_t n = 0;

    for (const vkAttrSpec *s = specs; s->name && n < G_N_ELEMENTS(names) - 1; s++)
        names[n++] = s->name;
    for (const char *const *e = extra; e && *e && n < G_N_ELEMENTS(names) - 1; e++)
        names[n++] = *e;
    names[n] = NULL;
    if (vkXMLCheckAttrs(node, names, VK_DOMAIN_ERR) < 0)
        return -1;
    for (const vkAttrSpec *s = specs; s->name; s++) {
        if (parseOne(node, s, obj) < 0)
            return -1;
    }
    return 0;
}

int vkAttrsParseLeaf(xmlNodePtr node, const vkAttrSpec *specs, void *obj)
{
    if (vkXMLCheckChildren(node, NULL, VK_DOMAIN_ERR) < 0)
        return -1;
    return vkAttrsParse(node, specs, NULL, obj);
}

static gboolean isSet(const vkAttrSpec *s, const void *obj)
{
    switch (s->type) {
    case VK_ATTR_STRING:
        return *CFIELD(obj, s, char *) != NULL;
    case VK_ATTR_ENUM_ANY:
    case VK_ATTR_INT:
        return *CFIELD(obj, s, int) >= 0;
    case VK_ATTR_UINT:
        return *CFIELD(obj, s, unsigned int) != ((s->flags & VK_ATTR_ZERO) ? G_MAXUINT : 0);
    case VK_ATTR_ULL:
        return *CFIELD(obj, s, unsigned long long) != ((s->flags & VK_ATTR_ZERO) ? G_MAXUINT64 : 0);
    default:
        return *CFIELD(obj, s, int) != 0;
    }
}

gboolean vkAttrsAnySet(const vkAttrSpec *specs, const void *obj)
{
    for (const vkAttrSpec *s = specs; s->name; s++) {
        if (isSet(s, obj))
            return TRUE;
    }
    return FALSE;
}

void vkAttrsFormat(vkBuf *buf, const vkAttrSpec *specs, const void *obj)
{
    for (const vkAttrSpec *s = specs; s->name; s++) {
        if (!isSet(s, obj))
            continue;
        switch (s->type) {
        case VK_ATTR_STRING: {
            g_autofree char *fmt = g_strdup_printf(" %s='%%s'", s->name);
            vkBufEscapef(buf, fmt, *CFIELD(obj, s, char *));
            break;
        }
        case VK_ATTR_ENUM:
        case VK_ATTR_ENUM_ANY:
            vkBufAddf(buf, " %s='%s'", s->name, s->toString(*CFIELD(obj, s, int)));
            break;
        case VK_ATTR_YESNO:
        case VK_ATTR_ONOFF:
            vkBufAddf(buf, " %s='%s'", s->name,
                      vkDomainTristateString(*CFIELD(obj, s, int), s->type == VK_ATTR_ONOFF));
            break;
        case VK_ATTR_UINT:
            vkBufAddf(buf, (s->flags & VK_ATTR_HEX) ? " %s='0x%x'" : " %s='%u'", s->name,
                      *CFIELD(obj, s, unsigned int));
            break;
        case VK_ATTR_ULL:
            vkBufAddf(buf, (s->flags & VK_ATTR_HEX) ? " %s='0x%llx'" : " %s='%llu'", s->name,
                      *CFIELD(obj, s, unsigned long long));
            break;
        case VK_ATTR_INT:
            vkBufAddf(buf, (s->flags & VK_ATTR_HEX) ? " %s='0x%x'" : " %s='%d'", s->name,
                      *CFIELD(obj, s, int));
            break;
        }
    }
}

void vkAttrsCopyStrings(const vkAttrSpec *specs, void *dst, const void *src)
{
    for (const vkAttrSpec *s = specs; s->name; s++) {
        if (s->type == VK_ATTR_STRING)
            *FIELD(dst, s, char *) = g_strdup(*CFIELD(src, s, char *));
    }
}

void vkAttrsFreeStrings(const vkAttrSpec *specs, void *obj)
{
    for (const vkAttrSpec *s = specs; s->name; s++) {
        if (s->type == VK_ATTR_STRING)
            g_clear_pointer(FIELD(obj, s, char *), g_free);
    }
}

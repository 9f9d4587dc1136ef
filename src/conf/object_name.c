/* Object names that are safe as file names: the check every driver applies to a name before it
 * derives a path from it, whether the name comes from XML, an API call or a directory listing. */
#include "object_name.h"

#include <string.h>

#include "util/vkerror.h"

typedef enum {
    NAME_OK,
    NAME_EMPTY,
    NAME_SLASH,
    NAME_CONTROL,
    NAME_DOT,
    NAME_LONG,
} vkNameFault;

typedef struct {
    const char *what; /* for our own messages: "domain name is ..." */
    int errDomain;
} vkObjectKindInfo;

static const vkObjectKindInfo kinds[VK_OBJECT_LAST] = {
    [VK_OBJECT_DOMAIN] = { "domain", VIR_FROM_DOMAIN },
    [VK_OBJECT_NETWORK] = { "network", VIR_FROM_NETWORK },
    [VK_OBJECT_POOL] = { "storage pool", VIR_FROM_STORAGE },
    [VK_OBJECT_VOLUME] = { "storage volume", VIR_FROM_STORAGE },
};

/* The first fault of NAME; *BAD is the offending byte for NAME_SLASH and NAME_CONTROL. */
static vkNameFault nameFault(const char *name, char *bad)
{
    const char *p;

    if (!name || !*name)
        return NAME_EMPTY;
    for (p = name; *p; p++) {
        if (*p == '/' || (unsigned char)*p < 0x20 || *p == 0x7f) {
            *bad = *p;
            return *p == '/' ? NAME_SLASH : NAME_CONTROL;
        }
    }
    if (name[0] == '.')
        return NAME_DOT;
    if (p - name > VK_OBJECT_NAME_MAX)
        return NAME_LONG;
    return NAME_OK;
}

gboolean vkObjectNameIsValid(vkObjectKind kind, const char *name)
{
    char bad = 0;

    (void)kind;
    return nameFault(name, &bad) == NAME_OK;
}

/* libvirt's drivers refuse a '/' each in their own words. */
static void reportSlash(vkObjectKind kind, int errDomain, const char *name)
{
    switch (kind) {
    case VK_OBJECT_NETWORK:
        vkReportError(errDomain, VIR_ERR_XML_DETAIL, "%s", "invalid char in name: /");
        return;
    case VK_OBJECT_VOLUME:
        vkReportError(errDomain, VIR_ERR_OPERATION_INVALID, "volume name '%s' cannot contain '/'",
                      name);
        return;
    case VK_OBJECT_DOMAIN:
    case VK_OBJECT_POOL:
    case VK_OBJECT_LAST:
        break;
    }
    vkReportError(errDomain, VIR_ERR_XML_ERROR, "name %s cannot contain '/'", name);
}

int vkObjectNameCheck(vkObjectKind kind, const char *name)
{
    const vkObjectKindInfo *info = &kinds[kind];
    char bad = 0;
    g_autofree char *shown = NULL;

    switch (nameFault(name, &bad)) {
    case NAME_OK:
        return 0;
    case NAME_EMPTY:
        /* libvirt reads an empty <name/> as a missing one. */
        vkReportError(info->errDomain, VIR_ERR_NO_NAME, "%s", "");
        return -1;
    case NAME_SLASH:
        reportSlash(kind, info->errDomain, name);
        return -1;
    case NAME_CONTROL: {
        /* libvirt's words for a newline, with the byte escaped: a raw newline or carriage
         * return would garble the very message that explains it. */
        char raw[2] = { bad, 0 };

        shown = g_strescape(raw, NULL);
        vkReportError(info->errDomain, VIR_ERR_XML_DETAIL, "invalid char in name: %s", shown);
        return -1;
    }
    case NAME_DOT:
        /* A hidden file, and "." or ".." would name a directory. */
        vkReportError(info->errDomain, VIR_ERR_XML_ERROR, "name %s cannot start with '.'", name);
        return -1;
    case NAME_LONG:
        vkReportError(info->errDomain, VIR_ERR_XML_ERROR,
                      "%s name is %zu bytes long, more than the limit of %d", info->what,
                      strlen(name), VK_OBJECT_NAME_MAX);
        return -1;
    }
    return -1;
}

/* The migration cookie (<qemu-migration>), written and read as libvirt's qemu driver does, so
 * that either side may be libvirtd. */
#include "qemu/qemu_migration_cookie.h"

#include <string.h>

#include "util/vkerror.h"
#include "util/vkhostuuid.h"
#include "util/vkuuid.h"
#include "util/vkxml.h"

#define VIR_FROM_THIS VIR_FROM_QEMU

void vkQemuMigrationCookieFree(vkQemuMigrationCookie *cookie)
{
    if (!cookie)
        return;
    g_free(cookie->name);
    g_free(cookie->hostname);
    g_free(cookie->persistent);
    g_free(cookie);
}

vkQemuMigrationCookie *vkQemuMigrationCookieNew(const vkDomainDef *def)
{
    g_autoptr(vkQemuMigrationCookie) cookie = g_new0(vkQemuMigrationCookie, 1);

    if (vkHostUUIDGet(cookie->hostuuid) < 0)
        return NULL;
    cookie->name = g_strdup(def->name);
    memcpy(cookie->uuid, def->uuid, VIR_UUID_BUFLEN);
    cookie->hostname = g_strdup(g_get_host_name());
    return g_steal_pointer(&cookie);
}

void vkQemuMigrationCookieBake(const vkQemuMigrationCookie *cookie, char **out, int *outlen)
{
    char uuid[VIR_UUID_STRING_BUFLEN];
    char hostuuid[VIR_UUID_STRING_BUFLEN];
    vkBuf buf;

    vkUUIDFormat(cookie->uuid, uuid);
    vkUUIDFormat(cookie->hostuuid, hostuuid);
    vkBufInit(&buf);
    vkBufAddf(&buf, "<qemu-migration>\n");
    vkBufAdjustIndent(&buf, 2);
    vkBufEscapef(&buf, "<name>%s</name>\n", cookie->name);
    vkBufAddf(&buf, "<uuid>%s</uuid>\n", uuid);
    vkBufEscapef(&buf, "<hostname>%s</hostname>\n", cookie->hostname);
    vkBufAddf(&buf, "<hostuuid>%s</hostuuid>\n", hostuuid);
    if (cookie->persistent) {
        /* the definition keeps its own indentation: it is parsed back, not compared */
        g_auto(GStrv) lines = g_strsplit(cookie->persistent, "\n", -1);
        for (char **l = lines; *l; l++) {
            if (**l)
                vkBufAddf(&buf, "%s\n", *l);
        }
    }
    vkBufAdjustIndent(&buf, -2);
    vkBufAddf(&buf, "</qemu-migration>\n");
    *out = vkBufFinish(&buf);
    *outlen = (int)strlen(*out) + 1;
}

static char *childText(xmlNodePtr root, const char *name)
{
    xmlNodePtr node = vkXMLChild(root, name);

    if (!node) {
        vkReportError(VIR_FROM_THIS, VIR_ERR_INTERNAL_ERROR, "missing %s element in migration data",
                      name);
        return NULL;
    }
    return vkXMLText(node);
}

static char *nodeText(xmlNodePtr node)
{
    xmlBufferPtr out = xmlBufferCreate();
    char *text;

    xmlNodeDump(out, node->doc, node, 0, 0);
    text = g_strdup((const char *)xmlBufferContent(out));
    xmlBufferFree(out);
    return text;
}

static int checkIdentity(vkQemuMigrationCookie *cookie, xmlNodePtr root, const char *name,
                         const unsigned char *uuid)
{
    g_autofree char *uuidText = NULL;
    g_autofree char *hostuuid = NULL;
    unsigned char local[VIR_UUID_BUFLEN];
    char want[VIR_UUID_STRING_BUFLEN];

    if (!(cookie->name = childText(root, "name")))
        return -1;
    if (!g_str_equal(cookie->name, name)) {
        vkReportError(VIR_FROM_THIS, VIR_ERR_INTERNAL_ERROR,
                      "Incoming cookie data had unexpected name %s vs %s", cookie->name, name);
        return -1;
    }
    if (!(uuidText = childText(root, "uuid")))
        return -1;
    vkUUIDFormat(uuid, want);
    if (vkUUIDParse(uuidText, cookie->uuid) < 0 || memcmp(cookie->uuid, uuid, VIR_UUID_BUFLEN)) {
        vkReportError(VIR_FROM_THIS, VIR_ERR_INTERNAL_ERROR,
                      "Incoming cookie data had unexpected UUID %s vs %s", uuidText, want);
        return -1;
    }
    if (!(cookie->hostname = childText(root, "hostname")) ||
        !(hostuuid = childText(root, "hostuuid")))
        return -1;
    if (vkUUIDParse(hostuuid, cookie->hostuuid) < 0) {
        vkReportError(VIR_FROM_THIS, VIR_ERR_INTERNAL_ERROR, "%s",
                      "malformed hostuuid element in migration data");
        return -1;
    }
    if (vkHostUUIDGet(local) < 0)
        return -1;
    if (memcmp(local, cookie->hostuuid, VIR_UUID_BUFLEN) == 0) {
        vkReportError(VIR_FROM_THIS, VIR_ERR_INTERNAL_ERROR,
                      "Attempt to migrate guest to the same host %s", hostuuid);
        return -1;
    }
    return 0;
}

int vkQemuMigrationCookieEat(const char *text, int len, const char *name, const unsigned char *uuid,
                             vkQemuMigrationCookie **out)
{
    g_autoptr(vkQemuMigrationCookie) cookie = NULL;
    g_autoptr(xmlDoc) doc = NULL;
    g_autofree char *copy = NULL;
    xmlNodePtr root, domain;

    *out = NULL;
    if (!text || len <= 0)
        return 0;
    /* the wire's length is authoritative: the text need not end in a NUL */
    copy = g_strndup(text, (gsize)len);
    if (!*copy)
        return 0;
    if (!(doc = vkXMLParseString(copy, "(qemu_migration_cookie)", VIR_FROM_THIS)) ||
        !(root = vkXMLRoot(doc, "qemu-migration", VIR_FROM_THIS)))
        return -1;
    cookie = g_new0(vkQemuMigrationCookie, 1);
    if (checkIdentity(cookie, root, name, uuid) < 0)
        return -1;
    if ((domain = vkXMLChild(root, "domain")))
        cookie->persistent = nodeText(domain);
    *out = g_steal_pointer(&cookie);
    return 0;
}

/* Storage pool and volume XML: each element parsed and formatted side by side, enum strings from
 * one table each, messages as libvirt words them. */
#include "storage_conf.h"

#include <errno.h>
#include <string.h>

#include "conf/object_name.h"
#include "util/vkerror.h"
#include "util/vkuuid.h"
#include "util/vkxml.h"

#define ERR VK_STORAGE_ERR

VK_ENUM_IMPL(vkStoragePool, VK_STORAGE_POOL_LAST, "dir", "fs", "netfs", "logical", "disk", "iscsi",
             "iscsi-direct", "scsi", "mpath", "rbd", "sheepdog", "gluster", "zfs", "vstorage");
VK_ENUM_IMPL(vkStoragePoolFormatFS, VK_STORAGE_POOL_FS_LAST, "auto", "ext2", "ext3", "ext4", "ufs",
             "iso9660", "udf", "gfs", "gfs2", "vfat", "hfs+", "xfs", "ocfs2", "vmfs");
VK_ENUM_IMPL(vkStoragePoolFormatLogical, VK_STORAGE_POOL_LOGICAL_LAST, "unknown", "lvm2");
VK_ENUM_IMPL(vkStorageFileFormat, VK_STORAGE_FILE_LAST, "none", "raw", "dir", "bochs", "cloop",
             "dmg", "iso", "vpc", "vdi", "fat", "vhd", "ploop", "cow", "qcow", "qcow2", "qed",
             "vmdk");
VK_ENUM_IMPL(vkStorageVolType, VIR_STORAGE_VOL_PLOOP + 1, "file", "block", "dir", "network",
             "netdir", "ploop");

/* ---- sizes ---- */

int vkStorageScaleBytes(unsigned long long value, const char *unit, unsigned long long *bytes)
{
    unsigned long long scale = 1;

    if (unit && *unit && g_ascii_strcasecmp(unit, "b") != 0 &&
        g_ascii_strcasecmp(unit, "bytes") != 0) {
        const char *powers = "kmgtpe";
        const char *p = strchr(powers, g_ascii_tolower(unit[0]));
        unsigned long long base = 0;

        /* One letter, or "iB" after it, means powers of 1024; "B" after it means 1000. */
        if (!unit[1] || !g_ascii_strcasecmp(unit + 1, "iB"))
            base = 1024;
        else if (g_ascii_tolower(unit[1]) == 'b' && !unit[2])
            base = 1000;
        if (!p || !base) {
            vkReportError(ERR, VIR_ERR_INVALID_ARG, "unknown suffix '%s'", unit);
            return -1;
        }
        for (const char *q = powers; q <= p; q++)
            scale *= base;
    }
    if (value > G_MAXUINT64 / scale) {
        vkReportError(ERR, VIR_ERR_OVERFLOW, "value too large: %llu%s", value, unit);
        return -1;
    }
    *bytes = value * scale;
    return 0;
}

/* <NAME unit='U'>N</NAME> below PARENT: 1 with *BYTES, 0 when absent, -1 reported. */
static int parseSize(xmlNodePtr parent, const char *name, unsigned long long *bytes)
{
    xmlNodePtr node = vkXMLChild(parent, name);
    g_autofree char *text = NULL;
    g_autofree char *unit = NULL;
    unsigned long long value;
    char *end = NULL;

    if (!node)
        return 0;
    text = vkXMLText(node);
    unit = vkXMLProp(node, "unit");
    g_strstrip(text);
    errno = 0;
    value = g_ascii_strtoull(text, &end, 10);
    if (!*text || *end || errno || text[0] == '-') {
        vkReportError(ERR, VIR_ERR_XML_ERROR, "malformed %s element", name);
        return -1;
    }
    if (vkStorageScaleBytes(value, unit, bytes) < 0)
        return -1;
    return 1;
}

/* ---- permissions ---- */

static void permsInit(vkStoragePerms *perms)
{
    perms->mode = perms->uid = perms->gid = -1;
    perms->label = NULL;
}

static int parseId(xmlNodePtr node, const char *what, long long *out)
{
    g_autofree char *text = g_strstrip(vkXMLText(node));
    char *end = NULL;
    long long v = g_ascii_strtoll(text, &end, 10);

    if (!*text || *end || v < -1 || v > G_MAXUINT32) {
        vkReportError(ERR, VIR_ERR_XML_ERROR, "malformed %s element", what);
        return -1;
    }
    *out = v;
    return 0;
}

static int permsParse(xmlNodePtr parent, vkStoragePerms *perms)
{
    xmlNodePtr node = vkXMLChild(parent, "permissions");
    xmlNodePtr child;

    permsInit(perms);
    if (!node)
        return 0;
    if ((child = vkXMLChild(node, "mode"))) {
        g_autofree char *text = g_strstrip(vkXMLText(child));
        char *end = NULL;
        long long mode = g_ascii_strtoll(text, &end, 8);

        if (!*text || *end || mode < 0 || mode > 0777) {
            vkReportError(ERR, VIR_ERR_XML_ERROR, "%s", "malformed octal mode");
            return -1;
        }
        perms->mode = mode;
    }
    if ((child = vkXMLChild(node, "owner")) && parseId(child, "owner", &perms->uid) < 0)
        return -1;
    if ((child = vkXMLChild(node, "group")) && parseId(child, "group", &perms->gid) < 0)
        return -1;
    if ((child = vkXMLChild(node, "label")))
        perms->label = g_strstrip(vkXMLText(child));
    return 0;
}

static void permsFormat(vkBuf *buf, const vkStoragePerms *perms)
{
    if (perms->mode < 0 && perms->uid < 0 && perms->gid < 0 && !perms->label)
        return;
    vkBufAddf(buf, "<permissions>\n");
    vkBufAdjustIndent(buf, 2);
    if (perms->mode >= 0)
        vkBufAddf(buf, "<mode>0%llo</mode>\n", (unsigned long long)perms->mode);
    if (perms->uid >= 0)
        vkBufAddf(buf, "<owner>%d</owner>\n", (int)perms->uid);
    if (perms->gid >= 0)
        vkBufAddf(buf, "<group>%d</group>\n", (int)perms->gid);
    if (perms->label)
        vkBufEscapef(buf, "<label>%s</label>\n", perms->label);
    vkBufAdjustIndent(buf, -2);
    vkBufAddf(buf, "</permissions>\n");
}

/* ---- pools ---- */

void vkStoragePoolDefFree(vkStoragePoolDef *def)
{
    if (!def)
        return;
    g_free(def->name);
    g_strfreev(def->source.devices);
    g_free(def->source.dir);
    g_free(def->source.name);
    g_free(def->target.path);
    g_free(def->target.perms.label);
    g_free(def);
}

vkStoragePoolDef *vkStoragePoolDefCopy(const vkStoragePoolDef *def)
{
    vkStoragePoolDef *copy = g_memdup2(def, sizeof(*def));

    copy->name = g_strdup(def->name);
    copy->source.devices = g_strdupv(def->source.devices);
    copy->source.dir = g_strdup(def->source.dir);
    copy->source.name = g_strdup(def->source.name);
    copy->target.path = g_strdup(def->target.path);
    copy->target.perms.label = g_strdup(def->target.perms.label);
    return copy;
}

/* The source format a pool of TYPE has when its XML names none; -1: the type has none. */
static int defaultSourceFormat(int type)
{
    switch (type) {
    case VK_STORAGE_POOL_FS:
        return VK_STORAGE_POOL_FS_AUTO;
    case VK_STORAGE_POOL_LOGICAL:
        return VK_STORAGE_POOL_LOGICAL_LVM2;
    default:
        return -1;
    }
}

static int sourceParse(xmlNodePtr source, vkStoragePoolDef *def)
{
    g_autoptr(GPtrArray) devices = g_ptr_array_new_with_free_func(g_free);
    xmlNodePtr child;

    def->source.format = defaultSourceFormat(def->type);
    if (!source)
        return 0;
    for (child = source->children; child; child = child->next) {
        if (child->type != XML_ELEMENT_NODE)
            continue;
        if (xmlStrEqual(child->name, BAD_CAST "device")) {
            char *path = vkXMLProp(child, "path");

            if (!path) {
                vkReportError(ERR, VIR_ERR_XML_ERROR, "%s",
                              "missing storage pool source device path");
                return -1;
            }
            g_ptr_array_add(devices, path);
        } else if (xmlStrEqual(child->name, BAD_CAST "dir")) {
            g_free(def->source.dir);
            def->source.dir = vkXMLProp(child, "path");
        } else if (xmlStrEqual(child->name, BAD_CAST "name")) {
            g_free(def->source.name);
            def->source.name = g_strstrip(vkXMLText(child));
        } else if (xmlStrEqual(child->name, BAD_CAST "format")) {
            g_autofree char *format = vkXMLProp(child, "type");
            int value = -1;

            if (def->type == VK_STORAGE_POOL_FS)
                value = vkStoragePoolFormatFSTypeFromString(format ? format : "");
            else if (def->type == VK_STORAGE_POOL_LOGICAL)
                value = vkStoragePoolFormatLogicalTypeFromString(format ? format : "");
            else
                continue;
            if (value < 0) {
                vkReportError(ERR, VIR_ERR_XML_ERROR, "unknown pool format type %s",
                              format ? format : "");
                return -1;
            }
            def->source.format = value;
        }
    }
    if (devices->len) {
        g_ptr_array_set_free_func(devices, NULL);
        g_ptr_array_add(devices, NULL);
        def->source.devices = (char **)g_ptr_array_free(g_steal_pointer(&devices), FALSE);
    }
    return 0;
}

static void sourceFormat(vkBuf *buf, const vkStoragePoolDef *def)
{
    vkBufAddf(buf, "<source>\n");
    vkBufAdjustIndent(buf, 2);
    if (def->type == VK_STORAGE_POOL_FS || def->type == VK_STORAGE_POOL_LOGICAL) {
        for (char **dev = def->source.devices; dev && *dev; dev++)
            vkBufEscapef(buf, "<device path='%s'/>\n", *dev);
    }
    if (def->type == VK_STORAGE_POOL_LOGICAL && def->source.name)
        vkBufEscapef(buf, "<name>%s</name>\n", def->source.name);
    if (def->type == VK_STORAGE_POOL_FS)
        vkBufAddf(buf, "<format type='%s'/>\n",
                  vkStoragePoolFormatFSTypeToString(def->source.format));
    else if (def->type == VK_STORAGE_POOL_LOGICAL)
        vkBufAddf(buf, "<format type='%s'/>\n",
                  vkStoragePoolFormatLogicalTypeToString(def->source.format));
    vkBufAdjustIndent(buf, -2);
    vkBufAddf(buf, "</source>\n");
}

/* libvirt's virFileSanitizePath: doubled slashes collapse, a trailing slash goes. */
static char *sanitizePath(const char *path)
{
    GString *out = g_string_new(NULL);

    for (const char *p = path; *p; p++) {
        if (*p == '/' && out->len && out->str[out->len - 1] == '/')
            continue;
        g_string_append_c(out, *p);
    }
    if (out->len > 1 && out->str[out->len - 1] == '/')
        g_string_truncate(out, out->len - 1);
    return g_string_free(out, FALSE);
}

static int targetParse(xmlNodePtr root, vkStoragePoolDef *def)
{
    xmlNodePtr target = vkXMLChild(root, "target");
    xmlNodePtr pathNode = target ? vkXMLChild(target, "path") : NULL;
    g_autofree char *path = NULL;

    permsInit(&def->target.perms);
    if (def->type == VK_STORAGE_POOL_LOGICAL) {
        path = g_strdup_printf("/dev/%s", def->source.name);
    } else if (pathNode) {
        path = g_strstrip(vkXMLText(pathNode));
    }
    if (!path || !*path) {
        vkReportError(ERR, VIR_ERR_XML_ERROR, "%s", "missing storage pool target path");
        return -1;
    }
    def->target.path = sanitizePath(path);
    return target ? permsParse(target, &def->target.perms) : 0;
}

vkStoragePoolDef *vkStoragePoolDefParseNode(xmlDocPtr doc, xmlNodePtr root)
{
    g_autoptr(vkStoragePoolDef) def = g_new0(vkStoragePoolDef, 1);
    g_autofree char *type = vkXMLProp(root, "type");
    xmlNodePtr node;

    if (!type) {
        vkReportError(ERR, VIR_ERR_XML_ERROR, "Missing required attribute 'type' in element '%s'",
                      "pool");
        return NULL;
    }
    if ((def->type = vkStoragePoolTypeFromString(type)) < 0) {
        vkReportError(ERR, VIR_ERR_XML_ERROR,
                      "Invalid value for attribute 'type' in element 'pool': '%s'.", type);
        return NULL;
    }
    if (sourceParse(vkXMLChild(root, "source"), def) < 0)
        return NULL;
    /* An empty <name/> is a missing one, as libvirt reads it. */
    if ((node = vkXMLChild(root, "name")) && !(def->name = vkXMLText(node))[0])
        g_clear_pointer(&def->name, g_free);
    if (!def->name && def->type == VK_STORAGE_POOL_LOGICAL)
        def->name = g_strdup(def->source.name);
    if (!def->name) {
        vkReportError(ERR, VIR_ERR_XML_ERROR, "%s", "missing pool source name element");
        return NULL;
    }
    /* The name becomes the pool's file names (and, by default, a volume group's name). */
    if (vkObjectNameCheck(VK_OBJECT_POOL, def->name) < 0)
        return NULL;
    if ((node = vkXMLChild(root, "uuid"))) {
        g_autofree char *uuid = g_strstrip(vkXMLText(node));

        if (vkUUIDParse(uuid, def->uuid) < 0) {
            vkReportError(ERR, VIR_ERR_XML_ERROR, "%s", "malformed uuid element");
            return NULL;
        }
    } else {
        vkUUIDGenerate(def->uuid);
    }
    if (def->type == VK_STORAGE_POOL_LOGICAL && !def->source.name)
        def->source.name = g_strdup(def->name);
    if (def->type == VK_STORAGE_POOL_FS && !def->source.devices) {
        vkReportError(ERR, VIR_ERR_XML_ERROR, "%s", "missing storage pool source device name");
        return NULL;
    }
    /* The pools virtkit has no backend for keep no target: what they need is refused later,
     * by name, as libvirt's driver refuses them. */
    if (def->type > VK_STORAGE_POOL_LOGICAL)
        return g_steal_pointer(&def);
    if (targetParse(root, def) < 0)
        return NULL;
    /* Status files keep what the host said. */
    if (parseSize(root, "capacity", &def->capacity) < 0 ||
        parseSize(root, "allocation", &def->allocation) < 0 ||
        parseSize(root, "available", &def->available) < 0)
        return NULL;
    return g_steal_pointer(&def);
}

vkStoragePoolDef *vkStoragePoolDefParseString(const char *xml)
{
    g_autoptr(xmlDoc) doc = vkXMLParseString(xml, "storage_pool_definition", ERR);
    xmlNodePtr root;

    if (!doc || !(root = vkXMLRoot(doc, "pool", ERR)))
        return NULL;
    return vkStoragePoolDefParseNode(doc, root);
}

static void poolFormatBuf(vkBuf *buf, const vkStoragePoolDef *def)
{
    char uuid[VIR_UUID_STRING_BUFLEN];

    vkUUIDFormat(def->uuid, uuid);
    vkBufAddf(buf, "<pool type='%s'>\n", vkStoragePoolTypeToString(def->type));
    vkBufAdjustIndent(buf, 2);
    vkBufEscapef(buf, "<name>%s</name>\n", def->name);
    vkBufAddf(buf, "<uuid>%s</uuid>\n", uuid);
    vkBufAddf(buf, "<capacity unit='bytes'>%llu</capacity>\n", def->capacity);
    vkBufAddf(buf, "<allocation unit='bytes'>%llu</allocation>\n", def->allocation);
    vkBufAddf(buf, "<available unit='bytes'>%llu</available>\n", def->available);
    sourceFormat(buf, def);
    if (def->target.path) {
        vkBufAddf(buf, "<target>\n");
        vkBufAdjustIndent(buf, 2);
        vkBufEscapef(buf, "<path>%s</path>\n", def->target.path);
        permsFormat(buf, &def->target.perms);
        vkBufAdjustIndent(buf, -2);
        vkBufAddf(buf, "</target>\n");
    }
    vkBufAdjustIndent(buf, -2);
    vkBufAddf(buf, "</pool>\n");
}

char *vkStoragePoolDefFormat(const vkStoragePoolDef *def)
{
    return vkStoragePoolDefFormatIndented(def, 0);
}

char *vkStoragePoolDefFormatIndented(const vkStoragePoolDef *def, int indent)
{
    vkBuf buf;

    vkBufInit(&buf);
    vkBufAdjustIndent(&buf, indent);
    poolFormatBuf(&buf, def);
    return vkBufFinish(&buf);
}

/* ---- volumes ---- */

static void volTargetClear(vkStorageVolTarget *target)
{
    g_free(target->path);
    g_free(target->perms.label);
}

void vkStorageVolDefFree(vkStorageVolDef *def)
{
    if (!def)
        return;
    g_free(def->name);
    g_free(def->key);
    volTargetClear(&def->target);
    volTargetClear(&def->backing);
    g_free(def);
}

static int parseFormat(xmlNodePtr parent, int poolType, int *format)
{
    xmlNodePtr node = parent ? vkXMLChild(parent, "format") : NULL;
    g_autofree char *type = node ? vkXMLProp(node, "type") : NULL;

    /* Logical volumes have no format. */
    if (poolType == VK_STORAGE_POOL_LOGICAL) {
        *format = -1;
        return 0;
    }
    *format = VK_STORAGE_FILE_RAW;
    if (!type)
        return 0;
    if ((*format = vkStorageFileFormatTypeFromString(type)) < 0) {
        vkReportError(ERR, VIR_ERR_CONFIG_UNSUPPORTED, "unknown volume format type %s", type);
        return -1;
    }
    return 0;
}

vkStorageVolDef *vkStorageVolDefParseString(const char *xml, int poolType)
{
    g_autoptr(xmlDoc) doc = vkXMLParseString(xml, "storage_volume_definition", ERR);
    g_autoptr(vkStorageVolDef) def = g_new0(vkStorageVolDef, 1);
    g_autofree char *type = NULL;
    xmlNodePtr root;
    xmlNodePtr node;
    int rc;

    if (!doc || !(root = vkXMLRoot(doc, "volume", ERR)))
        return NULL;
    /* An empty <name/> is a missing one, as libvirt reads it. The name's other rules are the
     * driver's to apply, as in libvirt: the in-memory test driver makes no file of it. */
    if (!(node = vkXMLChild(root, "name")) || !(def->name = vkXMLText(node))[0]) {
        vkReportError(ERR, VIR_ERR_XML_ERROR, "%s", "missing volume name element");
        return NULL;
    }
    def->type = poolType == VK_STORAGE_POOL_LOGICAL ? VIR_STORAGE_VOL_BLOCK : VIR_STORAGE_VOL_FILE;
    if ((type = vkXMLProp(root, "type")) &&
        (def->type = vkStorageVolTypeTypeFromString(type)) < 0) {
        vkReportError(ERR, VIR_ERR_CONFIG_UNSUPPORTED, "unknown volume type '%s'", type);
        return NULL;
    }
    if ((node = vkXMLChild(root, "backingStore"))) {
        xmlNodePtr path = vkXMLChild(node, "path");

        if (path) {
            def->hasBacking = TRUE;
            def->backing.path = g_strstrip(vkXMLText(path));
            if (parseFormat(node, poolType, &def->backing.format) < 0 ||
                permsParse(node, &def->backing.perms) < 0)
                return NULL;
        }
    }
    if ((rc = parseSize(root, "capacity", &def->capacity)) < 0)
        return NULL;
    if (rc == 0 && !def->hasBacking) {
        vkReportError(ERR, VIR_ERR_XML_ERROR, "%s", "missing capacity element");
        return NULL;
    }
    if ((rc = parseSize(root, "allocation", &def->allocation)) < 0)
        return NULL;
    def->hasAllocation = rc > 0;
    if (!def->hasAllocation)
        def->allocation = def->capacity;
    node = vkXMLChild(root, "target");
    if (parseFormat(node, poolType, &def->target.format) < 0)
        return NULL;
    if (node) {
        xmlNodePtr path = vkXMLChild(node, "path");

        if (path)
            def->target.path = g_strstrip(vkXMLText(path));
        if (permsParse(node, &def->target.perms) < 0)
            return NULL;
    } else {
        permsInit(&def->target.perms);
    }
    return g_steal_pointer(&def);
}

static void timeFormat(vkBuf *buf, const char *name, const struct timespec *ts)
{
    if (ts->tv_nsec)
        vkBufAddf(buf, "<%s>%lld.%09ld</%s>\n", name, (long long)ts->tv_sec, ts->tv_nsec, name);
    else
        vkBufAddf(buf, "<%s>%lld</%s>\n", name, (long long)ts->tv_sec, name);
}

static void volTargetFormat(vkBuf *buf, const vkStorageVolTarget *target, const char *element)
{
    vkBufAddf(buf, "<%s>\n", element);
    vkBufAdjustIndent(buf, 2);
    if (target->path)
        vkBufEscapef(buf, "<path>%s</path>\n", target->path);
    if (target->format >= 0)
        vkBufAddf(buf, "<format type='%s'/>\n", vkStorageFileFormatTypeToString(target->format));
    permsFormat(buf, &target->perms);
    if (target->hasTimes) {
        const struct timespec btime = { 0, 0 };

        vkBufAddf(buf, "<timestamps>\n");
        vkBufAdjustIndent(buf, 2);
        timeFormat(buf, "atime", &target->atime);
        timeFormat(buf, "mtime", &target->mtime);
        timeFormat(buf, "ctime", &target->ctime);
        timeFormat(buf, "btime", &btime);
        vkBufAdjustIndent(buf, -2);
        vkBufAddf(buf, "</timestamps>\n");
    }
    vkBufAdjustIndent(buf, -2);
    vkBufAddf(buf, "</%s>\n", element);
}

char *vkStorageVolDefFormat(const vkStorageVolDef *def)
{
    vkBuf buf;

    vkBufInit(&buf);
    vkBufAddf(&buf, "<volume type='%s'>\n", vkStorageVolTypeTypeToString(def->type));
    vkBufAdjustIndent(&buf, 2);
    vkBufEscapef(&buf, "<name>%s</name>\n", def->name);
    if (def->key)
        vkBufEscapef(&buf, "<key>%s</key>\n", def->key);
    vkBufAddf(&buf, "<capacity unit='bytes'>%llu</capacity>\n", def->capacity);
    vkBufAddf(&buf, "<allocation unit='bytes'>%llu</allocation>\n", def->allocation);
    if (def->physical)
        vkBufAddf(&buf, "<physical unit='bytes'>%llu</physical>\n", def->physical);
    volTargetFormat(&buf, &def->target, "target");
    if (def->hasBacking)
        volTargetFormat(&buf, &def->backing, "backingStore");
    vkBufAdjustIndent(&buf, -2);
    vkBufAddf(&buf, "</volume>\n");
    return vkBufFinish(&buf);
}

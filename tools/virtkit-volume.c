/* virtkit shell: storage volume commands (vol-*), with virsh's options, messages and output
 * layout. */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "virtkit-storage.h"

/* ---- volumes: create ---- */

static const vkOptDef vkOptsVolCreate[] = {
    OPT_POOL_FULL,
    { "file", VK_OT_DATA, VK_OFLAG_REQ, "file containing an XML vol description" },
    { "prealloc-metadata", VK_OT_BOOL, 0,
      "preallocate metadata (for qcow2 instead of full allocation)" },
    { "validate", VK_OT_BOOL, 0, "validate the XML against the schema" },
    { NULL },
};

static bool vkCmdVolCreate(vkShell *sh, const vkCmd *cmd)
{
    g_autoptr(vkPoolRef) pool = NULL;
    g_autoptr(vkVolRef) vol = NULL;
    g_autofree char *xml = NULL;
    const char *file = NULL;
    unsigned int flags = 0;

    if (vkOptBool(cmd, "prealloc-metadata"))
        flags |= VIR_STORAGE_VOL_CREATE_PREALLOC_METADATA;
    if (vkOptBool(cmd, "validate"))
        flags |= VIR_STORAGE_VOL_CREATE_VALIDATE;
    if (!(pool = vkLookupPool(sh, cmd, "pool", NULL)) || vkOptString(sh, cmd, "file", &file) < 0 ||
        !(xml = vkReadFile(sh, file)))
        return false;
    if (!(vol = virStorageVolCreateXML(pool, xml, flags))) {
        vkError(sh, "Failed to create vol from %s", file);
        return false;
    }
    vkPrintExtra(sh, "Vol %s created from %s\n", virStorageVolGetName(vol), file);
    return true;
}

static const vkOptDef vkOptsVolCreateAs[] = {
    OPT_POOL_FULL,
    { "name", VK_OT_DATA, VK_OFLAG_REQ, "name of the volume" },
    { "capacity", VK_OT_DATA, VK_OFLAG_REQ, "size of the vol, as scaled integer (default bytes)" },
    { "allocation", VK_OT_STRING, 0, "initial allocation size, as scaled integer (default bytes)" },
    { "format", VK_OT_STRING, 0, "file format type raw,bochs,qcow,qcow2,qed,vmdk" },
    { "backing-vol", VK_OT_STRING, 0, "the backing volume if taking a snapshot" },
    { "backing-vol-format", VK_OT_STRING, 0, "format of backing volume if taking a snapshot" },
    { "prealloc-metadata", VK_OT_BOOL, 0,
      "preallocate metadata (for qcow2 instead of full allocation)" },
    { "print-xml", VK_OT_BOOL, 0, "print XML document, but don't define/create" },
    { NULL },
};

static bool vkCmdVolCreateAs(vkShell *sh, const vkCmd *cmd)
{
    g_autoptr(vkPoolRef) pool = NULL;
    g_autoptr(vkVolRef) vol = NULL;
    const char *name = NULL, *capStr = NULL, *allocStr = NULL, *format = NULL;
    const char *backing = NULL, *backingFormat = NULL;
    unsigned long long capacity = 0, allocation = 0;
    unsigned int flags = 0;
    g_autoptr(GString) buf = NULL;

    if (vkOptBool(cmd, "prealloc-metadata"))
        flags |= VIR_STORAGE_VOL_CREATE_PREALLOC_METADATA;
    if (!(pool = vkLookupPool(sh, cmd, "pool", NULL)) || vkOptString(sh, cmd, "name", &name) < 0 ||
        vkOptString(sh, cmd, "capacity", &capStr) < 0)
        return false;
    if (vkParseSize(capStr, &capacity) < 0) {
        vkError(sh, "Malformed size %s", capStr);
        return false;
    }
    if (vkOptStringQuiet(cmd, "allocation", &allocStr) > 0 &&
        vkParseSize(allocStr, &allocation) < 0) {
        vkError(sh, "Malformed size %s", allocStr);
        return false;
    }
    if (vkOptString(sh, cmd, "format", &format) < 0 ||
        vkOptString(sh, cmd, "backing-vol", &backing) < 0 ||
        vkOptString(sh, cmd, "backing-vol-format", &backingFormat) < 0)
        return false;
    buf = g_string_new("<volume>\n");
    g_string_append_printf(buf, "  <name>%s</name>\n  <capacity>%llu</capacity>\n", name, capacity);
    if (allocStr)
        g_string_append_printf(buf, "  <allocation>%llu</allocation>\n", allocation);
    if (format)
        g_string_append_printf(buf, "  <target>\n    <format type='%s'/>\n  </target>\n", format);
    if (backing) {
        g_autoptr(vkVolRef) bvol = virStorageVolLookupByName(pool, backing);
        g_autofree char *bpath = NULL;

        if (!bvol)
            bvol = virStorageVolLookupByKey(vkShellConn(sh), backing);
        if (!bvol)
            bvol = virStorageVolLookupByPath(vkShellConn(sh), backing);
        if (!bvol) {
            vkError(sh, "failed to get vol '%s'", backing);
            return false;
        }
        if (!(bpath = virStorageVolGetPath(bvol)))
            return false;
        g_string_append_printf(buf, "  <backingStore>\n    <path>%s</path>\n", bpath);
        if (backingFormat)
            g_string_append_printf(buf, "    <format type='%s'/>\n", backingFormat);
        g_string_append(buf, "  </backingStore>\n");
    }
    g_string_append(buf, "</volume>\n");
    if (vkOptBool(cmd, "print-xml")) {
        vkPrint(sh, "%s", buf->str);
        return true;
    }
    if (!(vol = virStorageVolCreateXML(pool, buf->str, flags))) {
        vkError(sh, "Failed to create vol %s", name);
        return false;
    }
    vkPrintExtra(sh, "Vol %s created\n", name);
    return true;
}

static const vkOptDef vkOptsVolCreateFrom[] = {
    OPT_POOL_FULL,
    { "file", VK_OT_DATA, VK_OFLAG_REQ, "file containing an XML vol description" },
    OPT_VOL_FULL,
    { "inputpool", VK_OT_STRING, 0, "pool name or uuid of the input volume's pool" },
    { "prealloc-metadata", VK_OT_BOOL, 0,
      "preallocate metadata (for qcow2 instead of full allocation)" },
    { "reflink", VK_OT_BOOL, 0, "use btrfs COW lightweight copy" },
    { "validate", VK_OT_BOOL, 0, "validate the XML against the schema" },
    { NULL },
};

static unsigned int vkVolCloneFlags(const vkCmd *cmd)
{
    return vkOptFlags(
        cmd, (const vkOptFlag[]){ { "prealloc-metadata", VIR_STORAGE_VOL_CREATE_PREALLOC_METADATA },
                                  { "reflink", VIR_STORAGE_VOL_CREATE_REFLINK },
                                  { "validate", VIR_STORAGE_VOL_CREATE_VALIDATE },
                                  { NULL } });
}

static bool vkCmdVolCreateFrom(vkShell *sh, const vkCmd *cmd)
{
    g_autoptr(vkPoolRef) pool = NULL;
    g_autoptr(vkVolRef) input = NULL;
    g_autoptr(vkVolRef) vol = NULL;
    g_autofree char *xml = NULL;
    const char *file = NULL;

    if (!(pool = vkLookupPool(sh, cmd, "pool", NULL)) || vkOptString(sh, cmd, "file", &file) < 0 ||
        !(input = vkLookupVol(sh, cmd, "vol", "inputpool", NULL, VK_BYUUID | VK_BYNAME)) ||
        !(xml = vkReadFile(sh, file)))
        return false;
    if (!(vol = virStorageVolCreateXMLFrom(pool, xml, input, vkVolCloneFlags(cmd)))) {
        vkError(sh, "Failed to create vol from %s", file);
        return false;
    }
    vkPrintExtra(sh, "Vol %s created from input vol %s\n", virStorageVolGetName(vol),
                 virStorageVolGetName(input));
    return true;
}

static const vkOptDef vkOptsVolClone[] = {
    OPT_VOL_FULL,
    { "newname", VK_OT_DATA, VK_OFLAG_REQ, "clone name" },
    OPT_POOL_OPTIONAL,
    { "prealloc-metadata", VK_OT_BOOL, 0,
      "preallocate metadata (for qcow2 instead of full allocation)" },
    { "reflink", VK_OT_BOOL, 0, "use btrfs COW lightweight copy" },
    { "print-xml", VK_OT_BOOL, 0, "print XML document rather than clone the volume" },
    { NULL },
};

/* The volume's XML with /volume/name replaced, as virsh builds a clone. */
static char *vkCloneXML(const char *xml, const char *newname)
{
    g_autoptr(xmlXPathContext) ctxt = NULL;
    g_autoptr(xmlDoc) doc = vkParseXML(xml, &ctxt);
    g_autoptr(xmlXPathObject) obj = NULL;
    xmlChar *out = NULL;
    int len = 0;
    char *ret;

    if (!doc || !(obj = xmlXPathEval(BAD_CAST "/volume/name", ctxt)) || !obj->nodesetval ||
        obj->nodesetval->nodeNr < 1)
        return NULL;
    xmlNodeSetContent(obj->nodesetval->nodeTab[0], NULL);
    xmlNodeAddContent(obj->nodesetval->nodeTab[0], BAD_CAST newname);
    xmlDocDumpMemory(doc, &out, &len);
    ret = g_strdup((const char *)out);
    xmlFree(out);
    return ret;
}

static bool vkCmdVolClone(vkShell *sh, const vkCmd *cmd)
{
    g_autoptr(vkVolRef) orig = NULL;
    g_autoptr(vkPoolRef) pool = NULL;
    g_autoptr(vkVolRef) vol = NULL;
    g_autofree char *origxml = NULL;
    g_autofree char *newxml = NULL;
    const char *newname = NULL;

    if (!(orig = vkOptVol(sh, cmd, NULL)))
        return false;
    if (!(pool = virStoragePoolLookupByVolume(orig))) {
        vkError(sh, "%s", "failed to get parent pool");
        return false;
    }
    if (vkOptString(sh, cmd, "newname", &newname) < 0 ||
        !(origxml = virStorageVolGetXMLDesc(orig, 0)))
        return false;
    if (!(newxml = vkCloneXML(origxml, newname))) {
        vkError(sh, "%s", "Failed to allocate XML buffer");
        return false;
    }
    if (vkOptBool(cmd, "print-xml")) {
        vkPrint(sh, "%s", newxml);
        return true;
    }
    if (!(vol = virStorageVolCreateXMLFrom(pool, newxml, orig, vkVolCloneFlags(cmd)))) {
        vkError(sh, "Failed to clone vol from %s", virStorageVolGetName(orig));
        return false;
    }
    vkPrintExtra(sh, "Vol %s cloned from %s\n", virStorageVolGetName(vol),
                 virStorageVolGetName(orig));
    return true;
}

/* ---- volumes: change ---- */

static const vkOptDef vkOptsVolDelete[] = {
    OPT_VOL_FULL,
    OPT_POOL_OPTIONAL,
    { "delete-snapshots", VK_OT_BOOL, 0,
      "delete snapshots associated with volume (must be supported by storage driver)" },
    { NULL },
};

static bool vkCmdVolDelete(vkShell *sh, const vkCmd *cmd)
{
    g_autoptr(vkVolRef) vol = NULL;
    const char *name = NULL;
    unsigned int flags =
        vkOptBool(cmd, "delete-snapshots") ? VIR_STORAGE_VOL_DELETE_WITH_SNAPSHOTS : 0;

    if (!(vol = vkOptVol(sh, cmd, &name)))
        return false;
    if (virStorageVolDelete(vol, flags) != 0) {
        vkError(sh, "Failed to delete vol %s", name);
        return false;
    }
    vkPrintExtra(sh, "Vol %s deleted\n", name);
    return true;
}

static const vkOptDef vkOptsVolWipe[] = {
    OPT_VOL_FULL,
    OPT_POOL_OPTIONAL,
    { "algorithm", VK_OT_STRING, 0, "perform selected wiping algorithm" },
    { NULL },
};

static bool vkCmdVolWipe(vkShell *sh, const vkCmd *cmd)
{
    static const char *const algorithms[] = { "zero",    "nnsa",     "dod",       "bsi",
                                              "gutmann", "schneier", "pfitzner7", "pfitzner33",
                                              "random",  "trim",     NULL };
    g_autoptr(vkVolRef) vol = NULL;
    const char *name = NULL;
    const char *alg = NULL;
    int algorithm = VIR_STORAGE_VOL_WIPE_ALG_ZERO;

    if (!(vol = vkOptVol(sh, cmd, &name)) || vkOptString(sh, cmd, "algorithm", &alg) < 0)
        return false;
    if (alg) {
        algorithm = -1;
        for (int i = 0; algorithms[i]; i++) {
            if (g_str_equal(algorithms[i], alg))
                algorithm = i;
        }
        if (algorithm < 0) {
            vkError(sh, "Unsupported algorithm '%s'", alg);
            return false;
        }
    }
    if (virStorageVolWipePattern(vol, algorithm, 0) < 0) {
        vkError(sh, "Failed to wipe vol %s", name);
        return false;
    }
    vkPrintExtra(sh, "Vol %s wiped\n", name);
    return true;
}

static const vkOptDef vkOptsVolResize[] = {
    OPT_VOL_FULL,
    { "capacity", VK_OT_DATA, VK_OFLAG_REQ,
      "new capacity for the vol, as scaled integer (default bytes)" },
    OPT_POOL_OPTIONAL,
    { "allocate", VK_OT_BOOL, 0, "allocate the new capacity, rather than leaving it sparse" },
    { "delta", VK_OT_BOOL, 0, "use capacity as a delta to current size, rather than the new size" },
    { "shrink", VK_OT_BOOL, 0, "allow the resize to shrink the volume" },
    { NULL },
};

static bool vkCmdVolResize(vkShell *sh, const vkCmd *cmd)
{
    g_autoptr(vkVolRef) vol = NULL;
    const char *capStr = NULL;
    unsigned long long capacity = 0;
    bool delta = vkOptBool(cmd, "delta");
    unsigned int flags =
        vkOptFlags(cmd, (const vkOptFlag[]){ { "allocate", VIR_STORAGE_VOL_RESIZE_ALLOCATE },
                                             { "shrink", VIR_STORAGE_VOL_RESIZE_SHRINK },
                                             { NULL } });

    if (!(vol = vkOptVol(sh, cmd, NULL)) || vkOptString(sh, cmd, "capacity", &capStr) < 0)
        return false;
    while (*capStr == ' ' || *capStr == '\t')
        capStr++;
    if (*capStr == '-') {
        if (!vkOptBool(cmd, "shrink")) {
            vkError(sh, "%s", "negative size requires --shrink");
            return false;
        }
        capStr++;
        delta = true;
    }
    if (delta)
        flags |= VIR_STORAGE_VOL_RESIZE_DELTA;
    if (vkParseSize(*capStr == '+' ? capStr + 1 : capStr, &capacity) < 0) {
        vkError(sh, "Malformed size %s", capStr);
        return false;
    }
    if (virStorageVolResize(vol, capacity, flags) < 0) {
        vkError(sh,
                delta ? "Failed to change size of volume '%s' by %s"
                      : "Failed to change size of volume '%s' to %s",
                virStorageVolGetName(vol), capStr);
        return false;
    }
    vkPrintExtra(sh,
                 delta ? "Size of volume '%s' successfully changed by %s\n"
                       : "Size of volume '%s' successfully changed to %s\n",
                 virStorageVolGetName(vol), capStr);
    return true;
}

/* ---- volumes: data ---- */

static const vkOptDef vkOptsVolTransfer[] = {
    OPT_VOL_FULL,
    { "file", VK_OT_DATA, VK_OFLAG_REQ, "file" },
    OPT_POOL_OPTIONAL,
    { "offset", VK_OT_STRING, 0, "volume offset to start at" },
    { "length", VK_OT_STRING, 0, "amount of data" },
    { "sparse", VK_OT_BOOL, 0, "preserve sparseness of volume" },
    { NULL },
};

static int vkOptULL(vkShell *sh, const vkCmd *cmd, const char *name, unsigned long long *out)
{
    const char *s = NULL;
    char *end = NULL;

    *out = 0;
    if (vkOptString(sh, cmd, name, &s) < 0)
        return -1;
    if (!s)
        return 0;
    errno = 0;
    *out = g_ascii_strtoull(s, &end, 10);
    if (errno || *end || *s == '-') {
        vkError(sh, "Numeric value '%s' for <%s> option is malformed or out of range", s, name);
        return -1;
    }
    return 0;
}

static int vkSourceFd(virStreamPtr st, char *data, size_t nbytes, void *opaque)
{
    int fd = *(int *)opaque;
    ssize_t n;

    while ((n = read(fd, data, nbytes)) < 0 && errno == EINTR)
        ;
    return (int)n;
}

static int vkSinkFd(virStreamPtr st, const char *data, size_t nbytes, void *opaque)
{
    int fd = *(int *)opaque;
    ssize_t n;

    while ((n = write(fd, data, nbytes)) < 0 && errno == EINTR)
        ;
    return (int)n;
}

static bool vkCmdVolUpload(vkShell *sh, const vkCmd *cmd)
{
    g_autoptr(vkVolRef) vol = NULL;
    g_autoptr(vkStreamRef) st = NULL;
    unsigned long long offset, length;
    const char *file = NULL;
    const char *name = NULL;
    int fd;
    bool ok = false;

    if (vkOptULL(sh, cmd, "offset", &offset) < 0 || vkOptULL(sh, cmd, "length", &length) < 0 ||
        !(vol = vkOptVol(sh, cmd, &name)) || vkOptString(sh, cmd, "file", &file) < 0)
        return false;
    if ((fd = open(file, O_RDONLY | O_CLOEXEC)) < 0) {
        vkError(sh, "cannot read %s", file);
        return false;
    }
    if (!(st = virStreamNew(vkShellConn(sh), 0))) {
        vkError(sh, "%s", "cannot create a new stream");
    } else if (virStorageVolUpload(vol, st, offset, length, 0) < 0) {
        vkError(sh, "cannot upload to volume %s", name);
    } else if (virStreamSendAll(st, vkSourceFd, &fd) < 0) {
        vkError(sh, "cannot send data to volume %s", name);
    } else if (virStreamFinish(st) < 0) {
        vkError(sh, "cannot close volume %s", name);
    } else {
        ok = true;
    }
    close(fd);
    return ok;
}

static bool vkCmdVolDownload(vkShell *sh, const vkCmd *cmd)
{
    g_autoptr(vkVolRef) vol = NULL;
    g_autoptr(vkStreamRef) st = NULL;
    unsigned long long offset, length;
    const char *file = NULL;
    const char *name = NULL;
    bool created = false;
    int fd;
    bool ok = false;

    if (vkOptULL(sh, cmd, "offset", &offset) < 0 || vkOptULL(sh, cmd, "length", &length) < 0 ||
        !(vol = vkOptVol(sh, cmd, &name)) || vkOptString(sh, cmd, "file", &file) < 0)
        return false;
    if ((fd = open(file, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666)) >= 0) {
        created = true;
    } else if (errno != EEXIST || (fd = open(file, O_WRONLY | O_TRUNC | O_CLOEXEC)) < 0) {
        vkError(sh, "cannot create %s", file);
        return false;
    }
    if (!(st = virStreamNew(vkShellConn(sh), 0))) {
        vkError(sh, "%s", "cannot create a new stream");
    } else if (virStorageVolDownload(vol, st, offset, length, 0) < 0) {
        vkError(sh, "cannot download from volume %s", name);
    } else if (virStreamRecvAll(st, vkSinkFd, &fd) < 0) {
        vkError(sh, "cannot receive data from volume %s", name);
    } else if (close(fd) < 0) {
        fd = -1;
        vkError(sh, "cannot close file %s", file);
    } else {
        fd = -1;
        if (virStreamFinish(st) < 0)
            vkError(sh, "cannot close volume %s", name);
        else
            ok = true;
    }
    if (fd >= 0)
        close(fd);
    if (!ok && created)
        unlink(file);
    return ok;
}

/* ---- volumes: queries ---- */

static const vkOptDef vkOptsVolDumpXML[] = {
    OPT_VOL_FULL,
    OPT_POOL_OPTIONAL,
    { "xpath", VK_OT_STRING, VK_OFLAG_REQ_OPT, "xpath expression to filter the XML document" },
    { "wrap", VK_OT_BOOL, 0, "wrap xpath results in an common root element" },
    { NULL },
};

static bool vkCmdVolDumpXML(vkShell *sh, const vkCmd *cmd)
{
    g_autoptr(vkVolRef) vol = NULL;
    g_autofree char *xml = NULL;
    const char *xpath = NULL;

    if (!(vol = vkOptVol(sh, cmd, NULL)) || vkOptStringQuiet(cmd, "xpath", &xpath) < 0 ||
        !(xml = virStorageVolGetXMLDesc(vol, 0)))
        return false;
    return vkDumpXML(sh, xml, "volume", xpath, vkOptBool(cmd, "wrap"));
}

static const char *vkVolTypeName(int type)
{
    static const char *const names[] = { "file", "block", "dir", "network", "netdir", "ploop" };
    return type >= 0 && type < (int)G_N_ELEMENTS(names) ? names[type] : "unknown";
}

static const vkOptDef vkOptsVolInfo[] = {
    OPT_VOL_FULL,
    OPT_POOL_OPTIONAL,
    { "bytes", VK_OT_BOOL, 0, "sizes are represented in bytes rather than pretty units" },
    { "physical", VK_OT_BOOL, 0, "return the physical size of the volume in allocation field" },
    { NULL },
};

static bool vkCmdVolInfo(vkShell *sh, const vkCmd *cmd)
{
    g_autoptr(vkVolRef) vol = NULL;
    virStorageVolInfo info;
    bool bytes = vkOptBool(cmd, "bytes");
    bool physical = vkOptBool(cmd, "physical");
    const char *unit;
    double v;

    if (!(vol = vkOptVol(sh, cmd, NULL)))
        return false;
    vkPrint(sh, "%-15s %s\n", "Name:", virStorageVolGetName(vol));
    if (virStorageVolGetInfoFlags(vol, &info, physical ? VIR_STORAGE_VOL_GET_PHYSICAL : 0) != 0)
        return false;
    vkPrint(sh, "%-15s %s\n", "Type:", vkVolTypeName(info.type));
    if (bytes) {
        vkPrint(sh, "%-15s %llu %s\n", "Capacity:", info.capacity, "bytes");
        vkPrint(sh, "%-15s %llu %s\n", physical ? "Physical:" : "Allocation:", info.allocation,
                "bytes");
    } else {
        v = vkPrettyCapacity(info.capacity, &unit);
        vkPrint(sh, "%-15s %2.2lf %s\n", "Capacity:", v, unit);
        v = vkPrettyCapacity(info.allocation, &unit);
        vkPrint(sh, "%-15s %2.2lf %s\n", physical ? "Physical:" : "Allocation:", v, unit);
    }
    return true;
}

static const vkOptDef vkOptsVolList[] = {
    OPT_POOL_FULL,
    { "details", VK_OT_BOOL, 0, "display extended details for volumes" },
    { NULL },
};

static int vkVolSort(const void *a, const void *b)
{
    return g_ascii_strcasecmp(virStorageVolGetName(*(virStorageVolPtr const *)a),
                              virStorageVolGetName(*(virStorageVolPtr const *)b));
}

static bool vkCmdVolList(vkShell *sh, const vkCmd *cmd)
{
    g_autoptr(vkPoolRef) pool = NULL;
    g_autoptr(vkTable) table = NULL;
    virStorageVolPtr *vols = NULL;
    bool details = vkOptBool(cmd, "details");
    int n;

    if (!(pool = vkLookupPool(sh, cmd, "pool", NULL)))
        return false;
    if ((n = virStoragePoolListAllVolumes(pool, &vols, 0)) < 0) {
        vkError(sh, "%s", "Failed to list volumes");
        return false;
    }
    qsort(vols, n, sizeof(*vols), vkVolSort);
    table = details ? vkTableNew("Name", "Path", "Type", "Capacity", "Allocation", NULL)
                    : vkTableNew("Name", "Path", NULL);
    for (int i = 0; i < n; i++) {
        g_autofree char *path = virStorageVolGetPath(vols[i]);
        virStorageVolInfo info;

        if (!path)
            path = g_strdup("unknown");
        if (!details) {
            vkTableAdd(table, virStorageVolGetName(vols[i]), path, NULL);
        } else if (virStorageVolGetInfo(vols[i], &info) != 0) {
            vkTableAdd(table, virStorageVolGetName(vols[i]), path, "unknown", "unknown", "unknown",
                       NULL);
        } else {
            g_autofree char *cap = vkPretty(info.capacity);
            g_autofree char *alloc = vkPretty(info.allocation);

            vkTableAdd(table, virStorageVolGetName(vols[i]), path, vkVolTypeName(info.type), cap,
                       alloc, NULL);
        }
        virStorageVolFree(vols[i]);
    }
    free(vols);
    vkTablePrint(sh, table);
    return true;
}

static const vkOptDef vkOptsVolByKey[] = {
    { "vol", VK_OT_DATA, VK_OFLAG_REQ, "volume key or path" },
    { NULL },
};

static bool vkCmdVolName(vkShell *sh, const vkCmd *cmd)
{
    g_autoptr(vkVolRef) vol = vkLookupVol(sh, cmd, "vol", NULL, NULL, VK_BYUUID);

    if (!vol)
        return false;
    vkPrint(sh, "%s\n", virStorageVolGetName(vol));
    return true;
}

static const vkOptDef vkOptsVolPool[] = {
    { "vol", VK_OT_DATA, VK_OFLAG_REQ, "volume key or path" },
    { "uuid", VK_OT_BOOL, 0, "return the pool uuid rather than pool name" },
    { NULL },
};

static bool vkCmdVolPool(vkShell *sh, const vkCmd *cmd)
{
    g_autoptr(vkVolRef) vol = vkLookupVol(sh, cmd, "vol", NULL, NULL, VK_BYUUID);
    g_autoptr(vkPoolRef) pool = NULL;
    char uuid[VIR_UUID_STRING_BUFLEN];

    if (!vol)
        return false;
    if (!(pool = virStoragePoolLookupByVolume(vol))) {
        vkError(sh, "%s", "failed to get parent pool");
        return false;
    }
    if (vkOptBool(cmd, "uuid")) {
        if (virStoragePoolGetUUIDString(pool, uuid) == 0)
            vkPrint(sh, "%s\n", uuid);
    } else {
        vkPrint(sh, "%s\n", virStoragePoolGetName(pool));
    }
    return true;
}

static const vkOptDef vkOptsVolKey[] = {
    { "vol", VK_OT_DATA, VK_OFLAG_REQ, "volume name or path" },
    OPT_POOL_OPTIONAL,
    { NULL },
};

static bool vkCmdVolKey(vkShell *sh, const vkCmd *cmd)
{
    g_autoptr(vkVolRef) vol = vkOptVol(sh, cmd, NULL);

    if (!vol)
        return false;
    vkPrint(sh, "%s\n", virStorageVolGetKey(vol));
    return true;
}

static const vkOptDef vkOptsVolPath[] = {
    { "vol", VK_OT_DATA, VK_OFLAG_REQ, "volume name or key" },
    OPT_POOL_OPTIONAL,
    { NULL },
};

static bool vkCmdVolPath(vkShell *sh, const vkCmd *cmd)
{
    g_autoptr(vkVolRef) vol = vkOptVol(sh, cmd, NULL);
    g_autofree char *path = NULL;

    if (!vol || !(path = virStorageVolGetPath(vol)))
        return false;
    vkPrint(sh, "%s\n", path);
    return true;
}

const vkCmdDef vkStorageVolCmds[] = {
    { "vol-clone", vkCmdVolClone, vkOptsVolClone, "clone a volume.",
      "Clone an existing volume within the parent pool.", 0 },
    { "vol-create-as", vkCmdVolCreateAs, vkOptsVolCreateAs, "create a volume from a set of args",
      "Create a vol.", 0 },
    { "vol-create", vkCmdVolCreate, vkOptsVolCreate, "create a vol from an XML file",
      "Create a vol.", 0 },
    { "vol-create-from", vkCmdVolCreateFrom, vkOptsVolCreateFrom,
      "create a vol, using another volume as input", "Create a vol from an existing volume.", 0 },
    { "vol-delete", vkCmdVolDelete, vkOptsVolDelete, "delete a vol", "Delete a given vol.", 0 },
    { "vol-download", vkCmdVolDownload, vkOptsVolTransfer, "download volume contents to a file",
      "Download the contents of a volume to a file.", 0 },
    { "vol-dumpxml", vkCmdVolDumpXML, vkOptsVolDumpXML, "vol information in XML",
      "Output the vol information as an XML dump to stdout.", 0 },
    { "vol-info", vkCmdVolInfo, vkOptsVolInfo, "storage vol information",
      "Returns basic information about the storage vol.", 0 },
    { "vol-key", vkCmdVolKey, vkOptsVolKey,
      "returns the volume key for a given volume name or path", "", 0 },
    { "vol-list", vkCmdVolList, vkOptsVolList, "list vols", "Returns list of vols by pool.", 0 },
    { "vol-name", vkCmdVolName, vkOptsVolByKey,
      "returns the volume name for a given volume key or path", "", 0 },
    { "vol-path", vkCmdVolPath, vkOptsVolPath,
      "returns the volume path for a given volume name or key", "", 0 },
    { "vol-pool", vkCmdVolPool, vkOptsVolPool,
      "returns the storage pool for a given volume key or path", "", 0 },
    { "vol-resize", vkCmdVolResize, vkOptsVolResize, "resize a vol",
      "Resizes a storage volume. This is safe only for storage volumes not in use by an active "
      "guest.\nSee blockresize for live resizing.",
      0 },
    { "vol-upload", vkCmdVolUpload, vkOptsVolTransfer, "upload file contents to a volume",
      "Upload file contents to a volume", 0 },
    { "vol-wipe", vkCmdVolWipe, vkOptsVolWipe, "wipe a vol",
      "Ensure data previously on a volume is not accessible to future reads", 0 },
    { NULL },
};

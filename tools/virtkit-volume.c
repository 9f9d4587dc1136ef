/* virtkit shell: storage volume commands (vol-*), with virsh's options, messages and output
 * layout. */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "virtkit-storage.h"

/* ---- volumes: create ---- */

static const vshOptDef vshOptsVolCreate[] = {
    OPT_POOL_FULL,
    { "file", VSH_OT_DATA, VSH_OFLAG_REQ, "file containing an XML vol description" },
    { "prealloc-metadata", VSH_OT_BOOL, 0,
      "preallocate metadata (for qcow2 instead of full allocation)" },
    { "validate", VSH_OT_BOOL, 0, "validate the XML against the schema" },
    { NULL },
};

static bool vshCmdVolCreate(vshShell *sh, const vshCmd *cmd)
{
    g_autoptr(vshPoolRef) pool = NULL;
    g_autoptr(vshVolRef) vol = NULL;
    g_autofree char *xml = NULL;
    const char *file = NULL;
    unsigned int flags = 0;

    if (vshOptBool(cmd, "prealloc-metadata"))
        flags |= VIR_STORAGE_VOL_CREATE_PREALLOC_METADATA;
    if (vshOptBool(cmd, "validate"))
        flags |= VIR_STORAGE_VOL_CREATE_VALIDATE;
    if (!(pool = vshLookupPool(sh, cmd, "pool", NULL)) ||
        vshOptString(sh, cmd, "file", &file) < 0 || !(xml = vshReadFile(sh, file)))
        return false;
    if (!(vol = virStorageVolCreateXML(pool, xml, flags))) {
        vshError(sh, "Failed to create vol from %s", file);
        return false;
    }
    vshPrintExtra(sh, "Vol %s created from %s\n", virStorageVolGetName(vol), file);
    return true;
}

static const vshOptDef vshOptsVolCreateAs[] = {
    OPT_POOL_FULL,
    { "name", VSH_OT_DATA, VSH_OFLAG_REQ, "name of the volume" },
    { "capacity", VSH_OT_DATA, VSH_OFLAG_REQ,
      "size of the vol, as scaled integer (default bytes)" },
    { "allocation", VSH_OT_STRING, 0,
      "initial allocation size, as scaled integer (default bytes)" },
    { "format", VSH_OT_STRING, 0, "file format type raw,bochs,qcow,qcow2,qed,vmdk" },
    { "backing-vol", VSH_OT_STRING, 0, "the backing volume if taking a snapshot" },
    { "backing-vol-format", VSH_OT_STRING, 0, "format of backing volume if taking a snapshot" },
    { "prealloc-metadata", VSH_OT_BOOL, 0,
      "preallocate metadata (for qcow2 instead of full allocation)" },
    { "print-xml", VSH_OT_BOOL, 0, "print XML document, but don't define/create" },
    { NULL },
};

static bool vshCmdVolCreateAs(vshShell *sh, const vshCmd *cmd)
{
    g_autoptr(vshPoolRef) pool = NULL;
    g_autoptr(vshVolRef) vol = NULL;
    const char *name = NULL, *capStr = NULL, *allocStr = NULL, *format = NULL;
    const char *backing = NULL, *backingFormat = NULL;
    unsigned long long capacity = 0, allocation = 0;
    unsigned int flags = 0;
    g_autoptr(GString) buf = NULL;

    if (vshOptBool(cmd, "prealloc-metadata"))
        flags |= VIR_STORAGE_VOL_CREATE_PREALLOC_METADATA;
    if (!(pool = vshLookupPool(sh, cmd, "pool", NULL)) ||
        vshOptString(sh, cmd, "name", &name) < 0 || vshOptString(sh, cmd, "capacity", &capStr) < 0)
        return false;
    if (vshParseSize(capStr, &capacity) < 0) {
        vshError(sh, "Malformed size %s", capStr);
        return false;
    }
    if (vshOptStringQuiet(cmd, "allocation", &allocStr) > 0 &&
        vshParseSize(allocStr, &allocation) < 0) {
        vshError(sh, "Malformed size %s", allocStr);
        return false;
    }
    if (vshOptString(sh, cmd, "format", &format) < 0 ||
        vshOptString(sh, cmd, "backing-vol", &backing) < 0 ||
        vshOptString(sh, cmd, "backing-vol-format", &backingFormat) < 0)
        return false;
    buf = g_string_new("<volume>\n");
    g_string_append_printf(buf, "  <name>%s</name>\n  <capacity>%llu</capacity>\n", name, capacity);
    if (allocStr)
        g_string_append_printf(buf, "  <allocation>%llu</allocation>\n", allocation);
    if (format)
        g_string_append_printf(buf, "  <target>\n    <format type='%s'/>\n  </target>\n", format);
    if (backing) {
        g_autoptr(vshVolRef) bvol = virStorageVolLookupByName(pool, backing);
        g_autofree char *bpath = NULL;

        if (!bvol)
            bvol = virStorageVolLookupByKey(vshShellConn(sh), backing);
        if (!bvol)
            bvol = virStorageVolLookupByPath(vshShellConn(sh), backing);
        if (!bvol) {
            vshError(sh, "failed to get vol '%s'", backing);
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
    if (vshOptBool(cmd, "print-xml")) {
        vshPrint(sh, "%s", buf->str);
        return true;
    }
    if (!(vol = virStorageVolCreateXML(pool, buf->str, flags))) {
        vshError(sh, "Failed to create vol %s", name);
        return false;
    }
    vshPrintExtra(sh, "Vol %s created\n", name);
    return true;
}

static const vshOptDef vshOptsVolCreateFrom[] = {
    OPT_POOL_FULL,
    { "file", VSH_OT_DATA, VSH_OFLAG_REQ, "file containing an XML vol description" },
    OPT_VOL_FULL,
    { "inputpool", VSH_OT_STRING, 0, "pool name or uuid of the input volume's pool" },
    { "prealloc-metadata", VSH_OT_BOOL, 0,
      "preallocate metadata (for qcow2 instead of full allocation)" },
    { "reflink", VSH_OT_BOOL, 0, "use btrfs COW lightweight copy" },
    { "validate", VSH_OT_BOOL, 0, "validate the XML against the schema" },
    { NULL },
};

static unsigned int vshVolCloneFlags(const vshCmd *cmd)
{
    return vshOptFlags(cmd, (const vshOptFlag[]){
                                { "prealloc-metadata", VIR_STORAGE_VOL_CREATE_PREALLOC_METADATA },
                                { "reflink", VIR_STORAGE_VOL_CREATE_REFLINK },
                                { "validate", VIR_STORAGE_VOL_CREATE_VALIDATE },
                                { NULL } });
}

static bool vshCmdVolCreateFrom(vshShell *sh, const vshCmd *cmd)
{
    g_autoptr(vshPoolRef) pool = NULL;
    g_autoptr(vshVolRef) input = NULL;
    g_autoptr(vshVolRef) vol = NULL;
    g_autofree char *xml = NULL;
    const char *file = NULL;

    if (!(pool = vshLookupPool(sh, cmd, "pool", NULL)) ||
        vshOptString(sh, cmd, "file", &file) < 0 ||
        !(input = vshLookupVol(sh, cmd, "vol", "inputpool", NULL, VSH_BYUUID | VSH_BYNAME)) ||
        !(xml = vshReadFile(sh, file)))
        return false;
    if (!(vol = virStorageVolCreateXMLFrom(pool, xml, input, vshVolCloneFlags(cmd)))) {
        vshError(sh, "Failed to create vol from %s", file);
        return false;
    }
    vshPrintExtra(sh, "Vol %s created from input vol %s\n", virStorageVolGetName(vol),
                  virStorageVolGetName(input));
    return true;
}

static const vshOptDef vshOptsVolClone[] = {
    OPT_VOL_FULL,
    { "newname", VSH_OT_DATA, VSH_OFLAG_REQ, "clone name" },
    OPT_POOL_OPTIONAL,
    { "prealloc-metadata", VSH_OT_BOOL, 0,
      "preallocate metadata (for qcow2 instead of full allocation)" },
    { "reflink", VSH_OT_BOOL, 0, "use btrfs COW lightweight copy" },
    { "print-xml", VSH_OT_BOOL, 0, "print XML document rather than clone the volume" },
    { NULL },
};

/* The volume's XML with /volume/name replaced, as virsh builds a clone. */
static char *vshCloneXML(const char *xml, const char *newname)
{
    g_autoptr(xmlXPathContext) ctxt = NULL;
    g_autoptr(xmlDoc) doc = vshParseXML(xml, &ctxt);
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

static bool vshCmdVolClone(vshShell *sh, const vshCmd *cmd)
{
    g_autoptr(vshVolRef) orig = NULL;
    g_autoptr(vshPoolRef) pool = NULL;
    g_autoptr(vshVolRef) vol = NULL;
    g_autofree char *origxml = NULL;
    g_autofree char *newxml = NULL;
    const char *newname = NULL;

    if (!(orig = vshOptVol(sh, cmd, NULL)))
        return false;
    if (!(pool = virStoragePoolLookupByVolume(orig))) {
        vshError(sh, "%s", "failed to get parent pool");
        return false;
    }
    if (vshOptString(sh, cmd, "newname", &newname) < 0 ||
        !(origxml = virStorageVolGetXMLDesc(orig, 0)))
        return false;
    if (!(newxml = vshCloneXML(origxml, newname))) {
        vshError(sh, "%s", "Failed to allocate XML buffer");
        return false;
    }
    if (vshOptBool(cmd, "print-xml")) {
        vshPrint(sh, "%s", newxml);
        return true;
    }
    if (!(vol = virStorageVolCreateXMLFrom(pool, newxml, orig, vshVolCloneFlags(cmd)))) {
        vshError(sh, "Failed to clone vol from %s", virStorageVolGetName(orig));
        return false;
    }
    vshPrintExtra(sh, "Vol %s cloned from %s\n", virStorageVolGetName(vol),
                  virStorageVolGetName(orig));
    return true;
}

/* ---- volumes: change ---- */

static const vshOptDef vshOptsVolDelete[] = {
    OPT_VOL_FULL,
    OPT_POOL_OPTIONAL,
    { "delete-snapshots", VSH_OT_BOOL, 0,
      "delete snapshots associated with volume (must be supported by storage driver)" },
    { NULL },
};

static bool vshCmdVolDelete(vshShell *sh, const vshCmd *cmd)
{
    g_autoptr(vshVolRef) vol = NULL;
    const char *name = NULL;
    unsigned int flags =
        vshOptBool(cmd, "delete-snapshots") ? VIR_STORAGE_VOL_DELETE_WITH_SNAPSHOTS : 0;

    if (!(vol = vshOptVol(sh, cmd, &name)))
        return false;
    if (virStorageVolDelete(vol, flags) != 0) {
        vshError(sh, "Failed to delete vol %s", name);
        return false;
    }
    vshPrintExtra(sh, "Vol %s deleted\n", name);
    return true;
}

static const vshOptDef vshOptsVolWipe[] = {
    OPT_VOL_FULL,
    OPT_POOL_OPTIONAL,
    { "algorithm", VSH_OT_STRING, 0, "perform selected wiping algorithm" },
    { NULL },
};

static bool vshCmdVolWipe(vshShell *sh, const vshCmd *cmd)
{
    static const char *const algorithms[] = { "zero",    "nnsa",     "dod",       "bsi",
                                              "gutmann", "schneier", "pfitzner7", "pfitzner33",
                                              "random",  "trim",     NULL };
    g_autoptr(vshVolRef) vol = NULL;
    const char *name = NULL;
    const char *alg = NULL;
    int algorithm = VIR_STORAGE_VOL_WIPE_ALG_ZERO;

    if (!(vol = vshOptVol(sh, cmd, &name)) || vshOptString(sh, cmd, "algorithm", &alg) < 0)
        return false;
    if (alg) {
        algorithm = -1;
        for (int i = 0; algorithms[i]; i++) {
            if (g_str_equal(algorithms[i], alg))
                algorithm = i;
        }
        if (algorithm < 0) {
            vshError(sh, "Unsupported algorithm '%s'", alg);
            return false;
        }
    }
    if (virStorageVolWipePattern(vol, algorithm, 0) < 0) {
        vshError(sh, "Failed to wipe vol %s", name);
        return false;
    }
    vshPrintExtra(sh, "Vol %s wiped\n", name);
    return true;
}

static const vshOptDef vshOptsVolResize[] = {
    OPT_VOL_FULL,
    { "capacity", VSH_OT_DATA, VSH_OFLAG_REQ,
      "new capacity for the vol, as scaled integer (default bytes)" },
    OPT_POOL_OPTIONAL,
    { "allocate", VSH_OT_BOOL, 0, "allocate the new capacity, rather than leaving it sparse" },
    { "delta", VSH_OT_BOOL, 0,
      "use capacity as a delta to current size, rather than the new size" },
    { "shrink", VSH_OT_BOOL, 0, "allow the resize to shrink the volume" },
    { NULL },
};

static bool vshCmdVolResize(vshShell *sh, const vshCmd *cmd)
{
    g_autoptr(vshVolRef) vol = NULL;
    const char *capStr = NULL;
    unsigned long long capacity = 0;
    bool delta = vshOptBool(cmd, "delta");
    unsigned int flags =
        vshOptFlags(cmd, (const vshOptFlag[]){ { "allocate", VIR_STORAGE_VOL_RESIZE_ALLOCATE },
                                               { "shrink", VIR_STORAGE_VOL_RESIZE_SHRINK },
                                               { NULL } });

    if (!(vol = vshOptVol(sh, cmd, NULL)) || vshOptString(sh, cmd, "capacity", &capStr) < 0)
        return false;
    while (*capStr == ' ' || *capStr == '\t')
        capStr++;
    if (*capStr == '-') {
        if (!vshOptBool(cmd, "shrink")) {
            vshError(sh, "%s", "negative size requires --shrink");
            return false;
        }
        capStr++;
        delta = true;
    }
    if (delta)
        flags |= VIR_STORAGE_VOL_RESIZE_DELTA;
    if (vshParseSize(*capStr == '+' ? capStr + 1 : capStr, &capacity) < 0) {
        vshError(sh, "Malformed size %s", capStr);
        return false;
    }
    if (virStorageVolResize(vol, capacity, flags) < 0) {
        vshError(sh,
                 delta ? "Failed to change size of volume '%s' by %s"
                       : "Failed to change size of volume '%s' to %s",
                 virStorageVolGetName(vol), capStr);
        return false;
    }
    vshPrintExtra(sh,
                  delta ? "Size of volume '%s' successfully changed by %s\n"
                        : "Size of volume '%s' successfully changed to %s\n",
                  virStorageVolGetName(vol), capStr);
    return true;
}

/* ---- volumes: data ---- */

static const vshOptDef vshOptsVolTransfer[] = {
    OPT_VOL_FULL,
    { "file", VSH_OT_DATA, VSH_OFLAG_REQ, "file" },
    OPT_POOL_OPTIONAL,
    { "offset", VSH_OT_STRING, 0, "volume offset to start at" },
    { "length", VSH_OT_STRING, 0, "amount of data" },
    { "sparse", VSH_OT_BOOL, 0, "preserve sparseness of volume" },
    { NULL },
};

static int vshOptULL(vshShell *sh, const vshCmd *cmd, const char *name, unsigned long long *out)
{
    const char *s = NULL;
    char *end = NULL;

    *out = 0;
    if (vshOptString(sh, cmd, name, &s) < 0)
        return -1;
    if (!s)
        return 0;
    errno = 0;
    *out = g_ascii_strtoull(s, &end, 10);
    if (errno || *end || *s == '-') {
        vshError(sh, "Numeric value '%s' for <%s> option is malformed or out of range", s, name);
        return -1;
    }
    return 0;
}

static int vshSourceFd(virStreamPtr st, char *data, size_t nbytes, void *opaque)
{
    int fd = *(int *)opaque;
    ssize_t n;

    while ((n = read(fd, data, nbytes)) < 0 && errno == EINTR)
        ;
    return (int)n;
}

static int vshSinkFd(virStreamPtr st, const char *data, size_t nbytes, void *opaque)
{
    int fd = *(int *)opaque;
    ssize_t n;

    while ((n = write(fd, data, nbytes)) < 0 && errno == EINTR)
        ;
    return (int)n;
}

static bool vshCmdVolUpload(vshShell *sh, const vshCmd *cmd)
{
    g_autoptr(vshVolRef) vol = NULL;
    g_autoptr(vshStreamRef) st = NULL;
    unsigned long long offset, length;
    const char *file = NULL;
    const char *name = NULL;
    int fd;
    bool ok = false;

    if (vshOptULL(sh, cmd, "offset", &offset) < 0 || vshOptULL(sh, cmd, "length", &length) < 0 ||
        !(vol = vshOptVol(sh, cmd, &name)) || vshOptString(sh, cmd, "file", &file) < 0)
        return false;
    if ((fd = open(file, O_RDONLY | O_CLOEXEC)) < 0) {
        vshError(sh, "cannot read %s", file);
        return false;
    }
    if (!(st = virStreamNew(vshShellConn(sh), 0))) {
        vshError(sh, "%s", "cannot create a new stream");
    } else if (virStorageVolUpload(vol, st, offset, length, 0) < 0) {
        vshError(sh, "cannot upload to volume %s", name);
    } else if (virStreamSendAll(st, vshSourceFd, &fd) < 0) {
        vshError(sh, "cannot send data to volume %s", name);
    } else if (virStreamFinish(st) < 0) {
        vshError(sh, "cannot close volume %s", name);
    } else {
        ok = true;
    }
    close(fd);
    return ok;
}

static bool vshCmdVolDownload(vshShell *sh, const vshCmd *cmd)
{
    g_autoptr(vshVolRef) vol = NULL;
    g_autoptr(vshStreamRef) st = NULL;
    unsigned long long offset, length;
    const char *file = NULL;
    const char *name = NULL;
    bool created = false;
    int fd;
    bool ok = false;

    if (vshOptULL(sh, cmd, "offset", &offset) < 0 || vshOptULL(sh, cmd, "length", &length) < 0 ||
        !(vol = vshOptVol(sh, cmd, &name)) || vshOptString(sh, cmd, "file", &file) < 0)
        return false;
    if ((fd = open(file, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666)) >= 0) {
        created = true;
    } else if (errno != EEXIST || (fd = open(file, O_WRONLY | O_TRUNC | O_CLOEXEC)) < 0) {
        vshError(sh, "cannot create %s", file);
        return false;
    }
    if (!(st = virStreamNew(vshShellConn(sh), 0))) {
        vshError(sh, "%s", "cannot create a new stream");
    } else if (virStorageVolDownload(vol, st, offset, length, 0) < 0) {
        vshError(sh, "cannot download from volume %s", name);
    } else if (virStreamRecvAll(st, vshSinkFd, &fd) < 0) {
        vshError(sh, "cannot receive data from volume %s", name);
    } else if (close(fd) < 0) {
        fd = -1;
        vshError(sh, "cannot close file %s", file);
    } else {
        fd = -1;
        if (virStreamFinish(st) < 0)
            vshError(sh, "cannot close volume %s", name);
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

static const vshOptDef vshOptsVolDumpXML[] = {
    OPT_VOL_FULL,
    OPT_POOL_OPTIONAL,
    { "xpath", VSH_OT_STRING, VSH_OFLAG_REQ_OPT, "xpath expression to filter the XML document" },
    { "wrap", VSH_OT_BOOL, 0, "wrap xpath results in an common root element" },
    { NULL },
};

static bool vshCmdVolDumpXML(vshShell *sh, const vshCmd *cmd)
{
    g_autoptr(vshVolRef) vol = NULL;
    g_autofree char *xml = NULL;
    const char *xpath = NULL;

    if (!(vol = vshOptVol(sh, cmd, NULL)) || vshOptStringQuiet(cmd, "xpath", &xpath) < 0 ||
        !(xml = virStorageVolGetXMLDesc(vol, 0)))
        return false;
    return vshDumpXML(sh, xml, "volume", xpath, vshOptBool(cmd, "wrap"));
}

static const char *vshVolTypeName(int type)
{
    static const char *const names[] = { "file", "block", "dir", "network", "netdir", "ploop" };
    return type >= 0 && type < (int)G_N_ELEMENTS(names) ? names[type] : "unknown";
}

static const vshOptDef vshOptsVolInfo[] = {
    OPT_VOL_FULL,
    OPT_POOL_OPTIONAL,
    { "bytes", VSH_OT_BOOL, 0, "sizes are represented in bytes rather than pretty units" },
    { "physical", VSH_OT_BOOL, 0, "return the physical size of the volume in allocation field" },
    { NULL },
};

static bool vshCmdVolInfo(vshShell *sh, const vshCmd *cmd)
{
    g_autoptr(vshVolRef) vol = NULL;
    virStorageVolInfo info;
    bool bytes = vshOptBool(cmd, "bytes");
    bool physical = vshOptBool(cmd, "physical");
    const char *unit;
    double v;

    if (!(vol = vshOptVol(sh, cmd, NULL)))
        return false;
    vshPrint(sh, "%-15s %s\n", "Name:", virStorageVolGetName(vol));
    if (virStorageVolGetInfoFlags(vol, &info, physical ? VIR_STORAGE_VOL_GET_PHYSICAL : 0) != 0)
        return false;
    vshPrint(sh, "%-15s %s\n", "Type:", vshVolTypeName(info.type));
    if (bytes) {
        vshPrint(sh, "%-15s %llu %s\n", "Capacity:", info.capacity, "bytes");
        vshPrint(sh, "%-15s %llu %s\n", physical ? "Physical:" : "Allocation:", info.allocation,
                 "bytes");
    } else {
        v = vshPrettyCapacity(info.capacity, &unit);
        vshPrint(sh, "%-15s %2.2lf %s\n", "Capacity:", v, unit);
        v = vshPrettyCapacity(info.allocation, &unit);
        vshPrint(sh, "%-15s %2.2lf %s\n", physical ? "Physical:" : "Allocation:", v, unit);
    }
    return true;
}

static const vshOptDef vshOptsVolList[] = {
    OPT_POOL_FULL,
    { "details", VSH_OT_BOOL, 0, "display extended details for volumes" },
    { NULL },
};

static int vshVolSort(const void *a, const void *b)
{
    return g_ascii_strcasecmp(virStorageVolGetName(*(virStorageVolPtr const *)a),
                              virStorageVolGetName(*(virStorageVolPtr const *)b));
}

static bool vshCmdVolList(vshShell *sh, const vshCmd *cmd)
{
    g_autoptr(vshPoolRef) pool = NULL;
    g_autoptr(vshTable) table = NULL;
    virStorageVolPtr *vols = NULL;
    bool details = vshOptBool(cmd, "details");
    int n;

    if (!(pool = vshLookupPool(sh, cmd, "pool", NULL)))
        return false;
    if ((n = virStoragePoolListAllVolumes(pool, &vols, 0)) < 0) {
        vshError(sh, "%s", "Failed to list volumes");
        return false;
    }
    qsort(vols, n, sizeof(*vols), vshVolSort);
    table = details ? vshTableNew("Name", "Path", "Type", "Capacity", "Allocation", NULL)
                    : vshTableNew("Name", "Path", NULL);
    for (int i = 0; i < n; i++) {
        g_autofree char *path = virStorageVolGetPath(vols[i]);
        virStorageVolInfo info;

        if (!path)
            path = g_strdup("unknown");
        if (!details) {
            vshTableAdd(table, virStorageVolGetName(vols[i]), path, NULL);
        } else if (virStorageVolGetInfo(vols[i], &info) != 0) {
            vshTableAdd(table, virStorageVolGetName(vols[i]), path, "unknown", "unknown", "unknown",
                        NULL);
        } else {
            g_autofree char *cap = vshPretty(info.capacity);
            g_autofree char *alloc = vshPretty(info.allocation);

            vshTableAdd(table, virStorageVolGetName(vols[i]), path, vshVolTypeName(info.type), cap,
                        alloc, NULL);
        }
        virStorageVolFree(vols[i]);
    }
    free(vols);
    vshTablePrint(sh, table);
    return true;
}

static const vshOptDef vshOptsVolByKey[] = {
    { "vol", VSH_OT_DATA, VSH_OFLAG_REQ, "volume key or path" },
    { NULL },
};

static bool vshCmdVolName(vshShell *sh, const vshCmd *cmd)
{
    g_autoptr(vshVolRef) vol = vshLookupVol(sh, cmd, "vol", NULL, NULL, VSH_BYUUID);

    if (!vol)
        return false;
    vshPrint(sh, "%s\n", virStorageVolGetName(vol));
    return true;
}

static const vshOptDef vshOptsVolPool[] = {
    { "vol", VSH_OT_DATA, VSH_OFLAG_REQ, "volume key or path" },
    { "uuid", VSH_OT_BOOL, 0, "return the pool uuid rather than pool name" },
    { NULL },
};

static bool vshCmdVolPool(vshShell *sh, const vshCmd *cmd)
{
    g_autoptr(vshVolRef) vol = vshLookupVol(sh, cmd, "vol", NULL, NULL, VSH_BYUUID);
    g_autoptr(vshPoolRef) pool = NULL;
    char uuid[VIR_UUID_STRING_BUFLEN];

    if (!vol)
        return false;
    if (!(pool = virStoragePoolLookupByVolume(vol))) {
        vshError(sh, "%s", "failed to get parent pool");
        return false;
    }
    if (vshOptBool(cmd, "uuid")) {
        if (virStoragePoolGetUUIDString(pool, uuid) == 0)
            vshPrint(sh, "%s\n", uuid);
    } else {
        vshPrint(sh, "%s\n", virStoragePoolGetName(pool));
    }
    return true;
}

static const vshOptDef vshOptsVolKey[] = {
    { "vol", VSH_OT_DATA, VSH_OFLAG_REQ, "volume name or path" },
    OPT_POOL_OPTIONAL,
    { NULL },
};

static bool vshCmdVolKey(vshShell *sh, const vshCmd *cmd)
{
    g_autoptr(vshVolRef) vol = vshOptVol(sh, cmd, NULL);

    if (!vol)
        return false;
    vshPrint(sh, "%s\n", virStorageVolGetKey(vol));
    return true;
}

static const vshOptDef vshOptsVolPath[] = {
    { "vol", VSH_OT_DATA, VSH_OFLAG_REQ, "volume name or key" },
    OPT_POOL_OPTIONAL,
    { NULL },
};

static bool vshCmdVolPath(vshShell *sh, const vshCmd *cmd)
{
    g_autoptr(vshVolRef) vol = vshOptVol(sh, cmd, NULL);
    g_autofree char *path = NULL;

    if (!vol || !(path = virStorageVolGetPath(vol)))
        return false;
    vshPrint(sh, "%s\n", path);
    return true;
}

const vshCmdDef vshStorageVolCmds[] = {
    { "vol-clone", vshCmdVolClone, vshOptsVolClone, "clone a volume.",
      "Clone an existing volume within the parent pool.", 0 },
    { "vol-create-as", vshCmdVolCreateAs, vshOptsVolCreateAs, "create a volume from a set of args",
      "Create a vol.", 0 },
    { "vol-create", vshCmdVolCreate, vshOptsVolCreate, "create a vol from an XML file",
      "Create a vol.", 0 },
    { "vol-create-from", vshCmdVolCreateFrom, vshOptsVolCreateFrom,
      "create a vol, using another volume as input", "Create a vol from an existing volume.", 0 },
    { "vol-delete", vshCmdVolDelete, vshOptsVolDelete, "delete a vol", "Delete a given vol.", 0 },
    { "vol-download", vshCmdVolDownload, vshOptsVolTransfer, "download volume contents to a file",
      "Download the contents of a volume to a file.", 0 },
    { "vol-dumpxml", vshCmdVolDumpXML, vshOptsVolDumpXML, "vol information in XML",
      "Output the vol information as an XML dump to stdout.", 0 },
    { "vol-info", vshCmdVolInfo, vshOptsVolInfo, "storage vol information",
      "Returns basic information about the storage vol.", 0 },
    { "vol-key", vshCmdVolKey, vshOptsVolKey,
      "returns the volume key for a given volume name or path", "", 0 },
    { "vol-list", vshCmdVolList, vshOptsVolList, "list vols", "Returns list of vols by pool.", 0 },
    { "vol-name", vshCmdVolName, vshOptsVolByKey,
      "returns the volume name for a given volume key or path", "", 0 },
    { "vol-path", vshCmdVolPath, vshOptsVolPath,
      "returns the volume path for a given volume name or key", "", 0 },
    { "vol-pool", vshCmdVolPool, vshOptsVolPool,
      "returns the storage pool for a given volume key or path", "", 0 },
    { "vol-resize", vshCmdVolResize, vshOptsVolResize, "resize a vol",
      "Resizes a storage volume. This is safe only for storage volumes not in use by an active "
      "guest.\nSee blockresize for live resizing.",
      0 },
    { "vol-upload", vshCmdVolUpload, vshOptsVolTransfer, "upload file contents to a volume",
      "Upload file contents to a volume", 0 },
    { "vol-wipe", vshCmdVolWipe, vshOptsVolWipe, "wipe a vol",
      "Ensure data previously on a volume is not accessible to future reads", 0 },
    { NULL },
};

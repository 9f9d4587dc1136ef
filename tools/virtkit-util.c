/* virtkit shell helpers shared by the command files: reading XML files, resolving the names
 * users give, XPath over the XML the API returns, and virsh's table layout. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "virtkit.h"

/* virsh refuses larger files; so do we, with the same message. */
#define VSH_MAX_XML_FILE (10 * 1024 * 1024)

/* Splits "a,b,,c" into "a", "b,c": a doubled comma stands for a literal one. */
char **vshSplitList(const char *str)
{
    g_auto(GStrv) parts = g_strsplit(str, ",", 0);
    GPtrArray *out = g_ptr_array_new();
    bool join = false;
    char **p;

    g_ptr_array_add(out, g_strdup(parts[0] ? parts[0] : ""));
    for (p = parts[0] ? parts + 1 : parts; *p; p++) {
        if (join) {
            char *prev = out->pdata[out->len - 1];

            out->pdata[out->len - 1] = g_strconcat(prev, ",", *p, NULL);
            g_free(prev);
            join = false;
        } else if (!**p) {
            join = true;
        } else {
            g_ptr_array_add(out, g_strdup(*p));
        }
    }
    if (join)
        g_ptr_array_add(out, g_strdup(""));
    g_ptr_array_add(out, NULL);
    return (char **)g_ptr_array_free(out, FALSE);
}

static int vshReadFD(int fd, char **buf)
{
    GString *data = g_string_new(NULL);
    char chunk[8192];

    for (;;) {
        ssize_t n = read(fd, chunk, sizeof(chunk));

        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            int err = errno;

            g_string_free(data, TRUE);
            errno = err;
            return -1;
        }
        if (n == 0)
            break;
        g_string_append_len(data, chunk, n);
        if (data->len > VSH_MAX_XML_FILE) {
            g_string_free(data, TRUE);
            errno = EOVERFLOW;
            return -1;
        }
    }
    *buf = g_string_free(data, FALSE);
    return 0;
}

char *vshReadFile(vshShell *sh, const char *path)
{
    char *buf = NULL;
    int fd = open(path, O_RDONLY);

    if (fd < 0) {
        vshError(sh, "Failed to open file '%s': %s", path, g_strerror(errno));
        return NULL;
    }
    if (vshReadFD(fd, &buf) < 0) {
        int err = errno;

        close(fd);
        vshError(sh, "Failed to read file '%s': %s", path, g_strerror(err));
        return NULL;
    }
    close(fd);
    return buf;
}

/* Tries the kinds of names the command accepts in virsh's order: id, UUID, name. */
virDomainPtr vshLookupDomain(vshShell *sh, const vshCmd *cmd, const char **name, unsigned int by)
{
    virConnectPtr conn = vshShellConn(sh);
    virDomainPtr dom = NULL;
    const char *n = NULL;
    int id;

    if (vshOptString(sh, cmd, "domain", &n) < 0)
        return NULL;
    if (!n) {
        vshError(sh, "Failed to get option '%s': %s", "domain", "Mandatory option not present");
        return NULL;
    }
    if (name)
        *name = n;

    if ((by & VSH_BYID) && vshParseInt(n, 10, &id) == 0 && id >= 0)
        dom = virDomainLookupByID(conn, id);
    if (!dom && (by & VSH_BYUUID) && strlen(n) == VIR_UUID_STRING_BUFLEN - 1)
        dom = virDomainLookupByUUIDString(conn, n);
    if (!dom && (by & VSH_BYNAME))
        dom = virDomainLookupByName(conn, n);

    /* The library's "not found" would only repeat ours. */
    vshResetLibError(sh);
    if (!dom)
        vshError(sh, "failed to get domain '%s'", n);
    return dom;
}

virNetworkPtr vshLookupNetwork(vshShell *sh, const vshCmd *cmd, const char **name, unsigned int by)
{
    virConnectPtr conn = vshShellConn(sh);
    virNetworkPtr net = NULL;
    const char *n = NULL;

    if (vshOptString(sh, cmd, "network", &n) < 0)
        return NULL;
    if (!n) {
        vshError(sh, "Failed to get option '%s': %s", "network", "Mandatory option not present");
        return NULL;
    }
    if (name)
        *name = n;

    if ((by & VSH_BYUUID) && strlen(n) == VIR_UUID_STRING_BUFLEN - 1)
        net = virNetworkLookupByUUIDString(conn, n);
    if (!net && (by & VSH_BYNAME))
        net = virNetworkLookupByName(conn, n);

    /* Unlike domains, virsh keeps the library's reason here; so do we. */
    if (!net)
        vshError(sh, "failed to get network '%s'", n);
    return net;
}

int vshDomainState(vshShell *sh, virDomainPtr dom, int *reason)
{
    virDomainInfo info;
    int state;

    if (reason)
        *reason = -1;
    if (virDomainGetState(dom, &state, reason, 0) == 0)
        return state;
    if (vshLastErrorCode(sh) != VIR_ERR_NO_SUPPORT)
        return -1;
    if (virDomainGetInfo(dom, &info) < 0)
        return -1;
    return info.state;
}

const char *vshDomainStateName(int state)
{
    static const char *const names[] = {
        "no state",    "running",  "idle",    "paused",
        "in shutdown", "shut off", "crashed", "pmsuspended",
    };

    if (state < 0 || state >= (int)G_N_ELEMENTS(names))
        return "no state";
    return names[state];
}

int vshManagedSaveExists(virDomainPtr dom)
{
    return virDomainHasManagedSaveImage(dom, 0);
}

/* The library has no virDomainManagedSaveRemove: fail as virsh does on a driver without it. */
int vshManagedSaveRemove(vshShell *sh, virDomainPtr dom)
{
    vshError(sh, "%s",
             "this function is not supported by the connection driver: virDomainManagedSaveRemove");
    return -1;
}

/* ---- XML ---- */

xmlDocPtr vshDomainGetXML(vshShell *sh, virDomainPtr dom, unsigned int flags,
                          xmlXPathContextPtr *ctxt)
{
    g_autofree char *xml = virDomainGetXMLDesc(dom, flags);
    xmlDocPtr doc;

    if (!xml) {
        vshError(sh, "%s", "Failed to get domain description xml");
        return NULL;
    }
    if (!(doc = vshParseXML(xml, ctxt)))
        vshError(sh, "%s", "Failed to parse domain description xml");
    return doc;
}

xmlDocPtr vshParseXML(const char *xml, xmlXPathContextPtr *ctxt)
{
    xmlDocPtr doc = xmlReadMemory(xml, strlen(xml), "domain.xml", NULL,
                                  XML_PARSE_NONET | XML_PARSE_NOBLANKS | XML_PARSE_NOERROR |
                                      XML_PARSE_NOWARNING);

    if (!doc)
        return NULL;
    if (ctxt) {
        *ctxt = xmlXPathNewContext(doc);
        (*ctxt)->node = xmlDocGetRootElement(doc);
    }
    return doc;
}

/* The string value of an XPath expression, or NULL when it is empty or not a string. */
char *vshXPathString(xmlXPathContextPtr ctxt, const char *fmt, ...)
{
    g_autoptr(xmlXPathObject) obj = NULL;
    g_autofree char *expr = NULL;
    va_list ap;

    va_start(ap, fmt);
    expr = g_strdup_vprintf(fmt, ap);
    va_end(ap);

    obj = xmlXPathEval(BAD_CAST expr, ctxt);
    if (!obj || obj->type != XPATH_STRING || !obj->stringval || !*obj->stringval)
        return NULL;
    return g_strdup((const char *)obj->stringval);
}

static char *vshNodeToString(xmlDocPtr doc, xmlNodePtr node)
{
    xmlBufferPtr buf = xmlBufferCreate();
    char *str = NULL;

    if (xmlNodeDump(buf, doc, node, 0, 1) >= 0)
        str = g_strdup((const char *)xmlBufferContent(buf));
    xmlBufferFree(buf);
    return str;
}

/* Prints the XML, or with an XPath only the nodes it selects (optionally under <nodes>). */
bool vshDumpXML(vshShell *sh, const char *xml, const char *url, const char *xpath, bool wrap)
{
    g_autoptr(xmlDoc) doc = NULL;
    g_autoptr(xmlXPathContext) ctxt = NULL;
    g_autoptr(xmlXPathObject) obj = NULL;
    xmlNodeSetPtr set;
    int i;

    if (!xpath) {
        vshPrint(sh, "%s", xml);
        return true;
    }
    if (!(doc = vshParseXML(xml, &ctxt))) {
        vshError(sh, "XML error: failed to parse the %s description", url);
        return false;
    }
    if (!(obj = xmlXPathEval(BAD_CAST xpath, ctxt)))
        return true;
    if (obj->type != XPATH_NODESET) {
        vshError(sh, "internal error: Incorrect xpath '%s'", xpath);
        return false;
    }
    set = obj->nodesetval;
    if (!set || set->nodeNr <= 0)
        return true;

    if (wrap) {
        g_autoptr(xmlDoc) out = xmlNewDoc(BAD_CAST "1.0");
        xmlNodePtr root = xmlNewNode(NULL, BAD_CAST "nodes");
        g_autofree char *text = NULL;

        xmlDocSetRootElement(out, root);
        for (i = 0; i < set->nodeNr; i++)
            xmlAddChild(root, xmlDocCopyNode(set->nodeTab[i], out, 1));
        text = vshNodeToString(doc, root);
        vshPrint(sh, "%s\n", text);
        return true;
    }
    for (i = 0; i < set->nodeNr; i++) {
        g_autofree char *text = vshNodeToString(doc, set->nodeTab[i]);

        vshPrint(sh, "%s\n", text);
    }
    return true;
}

/* ---- tables ---- */

struct _vshTable {
    GPtrArray *rows; /* of GStrv; row 0 is the header */
    size_t ncols;
};

static GStrv vshTableRow(const char *first, va_list ap)
{
    GPtrArray *row = g_ptr_array_new();
    const char *cell;

    for (cell = first; cell; cell = va_arg(ap, const char *))
        g_ptr_array_add(row, g_strdup(cell));
    g_ptr_array_add(row, NULL);
    return (GStrv)g_ptr_array_free(row, FALSE);
}

vshTable *vshTableNew(const char *first, ...)
{
    vshTable *table = g_new0(vshTable, 1);
    va_list ap;

    table->rows = g_ptr_array_new_with_free_func((GDestroyNotify)g_strfreev);
    va_start(ap, first);
    g_ptr_array_add(table->rows, vshTableRow(first, ap));
    va_end(ap);
    table->ncols = g_strv_length(table->rows->pdata[0]);
    return table;
}

void vshTableAdd(vshTable *table, const char *first, ...)
{
    va_list ap;

    va_start(ap, first);
    g_ptr_array_add(table->rows, vshTableRow(first, ap));
    va_end(ap);
}

void vshTableFree(vshTable *table)
{
    if (!table)
        return;
    g_ptr_array_free(table->rows, TRUE);
    g_free(table);
}

static void vshTableHex(GString *out, const char *bytes, size_t len, size_t *width)
{
    size_t i;

    for (i = 0; i < len; i++)
        g_string_append_printf(out, "\\x%02x", (unsigned char)bytes[i]);
    *width += 4 * len;
}

/* Control and unprintable characters would break the alignment; show them as \xNN. */
static char *vshTableCell(const char *s, size_t *width)
{
    GString *out = g_string_new(NULL);
    const char *p = s;

    *width = 0;
    while (*p) {
        gunichar c = g_utf8_get_char_validated(p, -1);
        const char *next;

        if ((p[0] == '\\' && p[1] == 'x') || g_ascii_iscntrl(*p)) {
            vshTableHex(out, p++, 1, width);
            continue;
        }
        if (c == (gunichar)-1 || c == (gunichar)-2) {
            if (g_ascii_isprint(*p)) {
                g_string_append_c(out, *p);
                (*width)++;
            } else {
                vshTableHex(out, p, 1, width);
            }
            p++;
            continue;
        }
        next = g_utf8_next_char(p);
        if (!g_unichar_isprint(c)) {
            vshTableHex(out, p, next - p, width);
        } else {
            g_string_append_len(out, p, next - p);
            if (!g_unichar_iszerowidth(c))
                *width += g_unichar_iswide(c) ? 2 : 1;
        }
        p = next;
    }
    return g_string_free(out, FALSE);
}

/* virsh's layout: " cell" per column, padded to the widest cell plus two spaces, and a
 * dashed line under the header. -q drops the header, which then does not count for widths. */
void vshTablePrint(vshShell *sh, vshTable *table)
{
    bool header = !sh->quiet;
    size_t nrows = table->rows->len;
    g_autofree size_t *maxw = g_new0(size_t, table->ncols);
    g_autofree size_t *widths = g_new0(size_t, nrows * table->ncols);
    g_autoptr(GPtrArray) cells = g_ptr_array_new_with_free_func(g_free);
    g_autoptr(GString) out = g_string_new(NULL);
    size_t r, c;

    for (r = 0; r < nrows; r++) {
        GStrv row = table->rows->pdata[r];

        for (c = 0; c < table->ncols; c++) {
            size_t w = 0;

            g_ptr_array_add(cells, vshTableCell(row[c] ? row[c] : "", &w));
            widths[r * table->ncols + c] = w;
            if ((r > 0 || header) && w > maxw[c])
                maxw[c] = w;
        }
    }

    for (r = header ? 0 : 1; r < nrows; r++) {
        for (c = 0; c < table->ncols; c++) {
            g_string_append_printf(out, " %s", (char *)cells->pdata[r * table->ncols + c]);
            if (c + 1 < table->ncols) {
                size_t pad = maxw[c] - widths[r * table->ncols + c] + 2;

                while (pad--)
                    g_string_append_c(out, ' ');
            }
        }
        g_string_append_c(out, '\n');
        if (r == 0) {
            for (c = 0; c < table->ncols; c++) {
                size_t n;

                for (n = 0; n < maxw[c] + 3; n++)
                    g_string_append_c(out, '-');
            }
            g_string_append_c(out, '\n');
        }
    }
    vshPrint(sh, "%s", out->str);
}

char *vshDomainDescription(vshShell *sh, virDomainPtr dom, bool title, unsigned int flags)
{
    int type = title ? VIR_DOMAIN_METADATA_TITLE : VIR_DOMAIN_METADATA_DESCRIPTION;
    g_autoptr(xmlDoc) doc = NULL;
    g_autoptr(xmlXPathContext) ctxt = NULL;
    char *desc = virDomainGetMetadata(dom, type, NULL, flags);
    int code;

    if (desc)
        return desc;
    code = vshLastErrorCode(sh);
    if (code == VIR_ERR_NO_DOMAIN_METADATA) {
        vshResetLibError(sh);
        return g_strdup("");
    }
    if (code != VIR_ERR_NO_SUPPORT)
        return NULL;
    /* A server without the call: the XML has it too. */
    vshResetLibError(sh);
    if (!(doc = vshDomainGetXML(
              sh, dom, (flags & VIR_DOMAIN_AFFECT_CONFIG) ? VIR_DOMAIN_XML_INACTIVE : 0, &ctxt)))
        return NULL;
    desc = vshXPathString(ctxt, title ? "string(./title[1])" : "string(./description[1])");
    return desc ? desc : g_strdup("");
}

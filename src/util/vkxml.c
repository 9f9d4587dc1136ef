/* Hardened libxml2 parsing, strict structure checks and the indented output buffer. */
#include "vkxml.h"

#include <errno.h>
#include <stdarg.h>
#include <string.h>
#include <libxml/parser.h>
#include <libxml/parserInternals.h>

#include "vkerror.h"

typedef struct {
    gboolean sawDoctype;
    int line;
    xmlError first; /* libvirt reports the first error; libxml2 remembers only the last */
    gboolean haveFirst;
} vkXMLParseState;

static void keepFirstError(void *opaque, xmlErrorPtr err)
{
    xmlParserCtxtPtr ctxt = opaque;
    vkXMLParseState *state = ctxt->_private;
    if (state->haveFirst || !err || err->level < XML_ERR_ERROR)
        return;
    if (xmlCopyError(err, &state->first) == 0)
        state->haveFirst = TRUE;
}

/* A DOCTYPE is where entity definitions live; refusing it stops entity expansion attacks
 * before libxml2 builds anything. */
static void refuseInternalSubset(void *opaque, const xmlChar *name G_GNUC_UNUSED,
                                 const xmlChar *externalID G_GNUC_UNUSED,
                                 const xmlChar *systemID G_GNUC_UNUSED)
{
    xmlParserCtxtPtr ctxt = opaque;
    vkXMLParseState *state = ctxt->_private;
    state->sawDoctype = TRUE;
    state->line = ctxt->input ? ctxt->input->line : 0;
    xmlStopParser(ctxt);
}

/* The offending source line and a caret under the column, as libvirt prints them. */
static void appendContext(GString *msg, const char *xml, size_t len, int line, int col)
{
    const char *p = xml, *end = xml + len;
    for (int l = 1; l < line && p < end; l++) {
        const char *nl = memchr(p, '\n', end - p);
        if (!nl)
            return;
        p = nl + 1;
    }
    const char *eol = memchr(p, '\n', end - p);
    size_t n = eol ? (size_t)(eol - p) : (size_t)(end - p);
    if (n == 0 || n > 200)
        return;
    g_string_append_c(msg, '\n');
    g_string_append_len(msg, p, n);
    g_string_append_c(msg, '\n');
    if (col > 0 && (size_t)col <= n + 1) {
        for (int i = 1; i < col; i++)
            g_string_append_c(msg, '-');
        g_string_append_c(msg, '^');
    }
}

/* libxml2 sets up its globals on first use, racily: two threads parsing first both make them,
 * and one set is lost. Once, before any parse, is what its documentation asks. */
static gpointer initParser(gpointer data)
{
    xmlInitParser();
    return NULL;
}

xmlDocPtr vkXMLParseString(const char *xml, const char *docName, int errDomain)
{
    static GOnce once = G_ONCE_INIT;
    size_t len = xml ? strlen(xml) : 0;
    vkXMLParseState state = { 0 };
    xmlParserCtxtPtr ctxt;
    xmlDocPtr doc = NULL;

    if (!xml) {
        vkReportError(errDomain, VIR_ERR_INVALID_ARG, "%s", "no XML document given");
        return NULL;
    }
    if (len > VK_XML_MAX_SIZE) {
        vkReportError(errDomain, VIR_ERR_XML_ERROR,
                      "document %s is %zu bytes, larger than the limit of %d bytes", docName, len,
                      VK_XML_MAX_SIZE);
        return NULL;
    }
    /* libxml2 makes no parser for zero bytes; its verdict on them would be this one. */
    if (len == 0) {
        g_autofree char *msg = g_strdup_printf("(%s):1: Document is empty", docName);
        vkReportErrorRaw(errDomain, VIR_ERR_XML_DETAIL, msg);
        return NULL;
    }
    g_once(&once, initParser, NULL);
    ctxt = xmlCreateMemoryParserCtxt(xml, (int)len);
    if (!ctxt) {
        vkReportOOM();
        return NULL;
    }
    ctxt->_private = &state;
    ctxt->sax->internalSubset = refuseInternalSubset;
    ctxt->sax->serror = keepFirstError;
    xmlCtxtUseOptions(ctxt, XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING |
                                XML_PARSE_NOCDATA);
    xmlParseDocument(ctxt);

    if (state.sawDoctype) {
        vkReportError(errDomain, VIR_ERR_XML_ERROR,
                      "(%s):%d: DOCTYPE and entity declarations are not allowed", docName,
                      state.line);
    } else if (!ctxt->wellFormed || !ctxt->myDoc) {
        const xmlError *err = state.haveFirst ? &state.first : xmlCtxtGetLastError(ctxt);
        g_autoptr(GString) msg = g_string_new(NULL);
        if (err && err->message) {
            g_autofree char *text = g_strchomp(g_strdup(err->message));
            g_string_printf(msg, "(%s):%d: %s", docName, err->line, text);
            appendContext(msg, xml, len, err->line, err->int2);
        } else {
            g_string_printf(msg, "(%s): malformed XML document", docName);
        }
        vkReportErrorRaw(errDomain, VIR_ERR_XML_DETAIL, msg->str);
    } else {
        doc = g_steal_pointer(&ctxt->myDoc);
    }
    if (ctxt->myDoc)
        xmlFreeDoc(ctxt->myDoc);
    xmlResetError(&state.first);
    xmlFreeParserCtxt(ctxt);
    return doc;
}

xmlDocPtr vkXMLParseFile(const char *path, const char *docName, int errDomain)
{
    g_autofree char *contents = NULL;
    g_autoptr(GError) gerr = NULL;
    gsize len = 0;

    if (!g_file_get_contents(path, &contents, &len, &gerr)) {
        vkReportError(errDomain, VIR_ERR_SYSTEM_ERROR, "failed to read %s: %s", path,
                      vkGErrorMessage(gerr));
        return NULL;
    }
    if (strlen(contents) != len) {
        vkReportError(errDomain, VIR_ERR_XML_ERROR, "%s contains a NUL byte", path);
        return NULL;
    }
    return vkXMLParseString(contents, docName ? docName : path, errDomain);
}

void vkXMLReportAt(xmlNodePtr node, int errDomain, int code, const char *fmt, ...)
{
    va_list ap;
    g_autofree char *detail = NULL;

    va_start(ap, fmt);
    detail = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    vkReportError(errDomain, code, "%s at line %ld", detail, node ? xmlGetLineNo(node) : 0L);
}

xmlNodePtr vkXMLRoot(xmlDocPtr doc, const char *rootName, int errDomain)
{
    xmlNodePtr root = xmlDocGetRootElement(doc);
    if (!root || !xmlStrEqual(root->name, BAD_CAST rootName)) {
        vkReportError(errDomain, VIR_ERR_XML_ERROR, "expecting root element of '%s', not '%s'",
                      rootName, root ? (const char *)root->name : "");
        return NULL;
    }
    if (root->ns) {
        vkXMLReportAt(root, errDomain, VIR_ERR_XML_ERROR, "unsupported namespace on element <%s>",
                      rootName);
        return NULL;
    }
    return root;
}

static gboolean inList(const xmlChar *name, const char *const *list)
{
    for (; list && *list; list++) {
        if (xmlStrEqual(name, BAD_CAST * list))
            return TRUE;
    }
    return FALSE;
}

int vkXMLCheckAttrs(xmlNodePtr node, const char *const *allowed, int errDomain)
{
    for (xmlAttrPtr a = node->properties; a; a = a->next) {
        if (a->ns || !inList(a->name, allowed)) {
            vkXMLReportAt(node, errDomain, VIR_ERR_XML_ERROR,
                          "unsupported attribute '%s' on element <%s>", (const char *)a->name,
                          (const char *)node->name);
            return -1;
        }
    }
    return 0;
}

static gboolean isBlank(const xmlChar *s)
{
    for (; s && *s; s++) {
        if (!g_ascii_isspace(*s))
            return FALSE;
    }
    return TRUE;
}

int vkXMLCheckChildren(xmlNodePtr node, const char *const *allowed, int errDomain)
{
    for (xmlNodePtr c = node->children; c; c = c->next) {
        switch (c->type) {
        case XML_ELEMENT_NODE:
            if (c->ns || !inList(c->name, allowed)) {
                vkXMLReportAt(c, errDomain, VIR_ERR_XML_ERROR, "unsupported element <%s> in <%s>",
                              (const char *)c->name, (const char *)node->name);
                return -1;
            }
            break;
        case XML_TEXT_NODE:
            if (!isBlank(c->content)) {
                vkXMLReportAt(c, errDomain, VIR_ERR_XML_ERROR, "unexpected text in <%s>",
                              (const char *)node->name);
                return -1;
            }
            break;
        case XML_COMMENT_NODE:
            break;
        default:
            vkXMLReportAt(c, errDomain, VIR_ERR_XML_ERROR, "unexpected content in <%s>",
                          (const char *)node->name);
            return -1;
        }
    }
    return 0;
}

int vkXMLCheckLeaf(xmlNodePtr node, const char *const *allowedAttrs, int errDomain)
{
    if (vkXMLCheckAttrs(node, allowedAttrs, errDomain) < 0)
        return -1;
    for (xmlNodePtr c = node->children; c; c = c->next) {
        if (c->type == XML_TEXT_NODE || c->type == XML_COMMENT_NODE)
            continue;
        if (c->type == XML_ELEMENT_NODE)
            vkXMLReportAt(c, errDomain, VIR_ERR_XML_ERROR, "unsupported element <%s> in <%s>",
                          (const char *)c->name, (const char *)node->name);
        else
            vkXMLReportAt(c, errDomain, VIR_ERR_XML_ERROR, "unexpected content in <%s>",
                          (const char *)node->name);
        return -1;
    }
    return 0;
}

xmlNodePtr vkXMLChild(xmlNodePtr node, const char *name)
{
    for (xmlNodePtr c = node ? node->children : NULL; c; c = c->next) {
        if (c->type == XML_ELEMENT_NODE && xmlStrEqual(c->name, BAD_CAST name))
            return c;
    }
    return NULL;
}

guint vkXMLCountChildren(xmlNodePtr node, const char *name)
{
    guint n = 0;
    for (xmlNodePtr c = node ? node->children : NULL; c; c = c->next) {
        if (c->type == XML_ELEMENT_NODE && xmlStrEqual(c->name, BAD_CAST name))
            n++;
    }
    return n;
}

int vkXMLCheckUnique(xmlNodePtr node, const char *name, int errDomain)
{
    xmlNodePtr first = vkXMLChild(node, name);
    for (xmlNodePtr c = first ? first->next : NULL; c; c = c->next) {
        if (c->type == XML_ELEMENT_NODE && xmlStrEqual(c->name, BAD_CAST name)) {
            vkXMLReportAt(c, errDomain, VIR_ERR_XML_ERROR, "element <%s> appears more than once",
                          name);
            return -1;
        }
    }
    return 0;
}

char *vkXMLProp(xmlNodePtr node, const char *name)
{
    xmlChar *v = xmlGetNoNsProp(node, BAD_CAST name);
    char *ret;
    if (!v)
        return NULL;
    ret = g_strdup((const char *)v);
    xmlFree(v);
    return ret;
}

char *vkXMLText(xmlNodePtr node)
{
    xmlChar *v = xmlNodeGetContent(node);
    char *ret = g_strdup(v ? (const char *)v : "");
    xmlFree(v);
    return ret;
}

static void reportBadValue(xmlNodePtr node, const char *name, const char *value, int errDomain,
                           const char *why)
{
    vkXMLReportAt(node, errDomain, VIR_ERR_XML_ERROR,
                  "invalid value '%s' for attribute '%s' of <%s>%s%s", value, name,
                  (const char *)node->name, why ? ": " : "", why ? why : "");
}

int vkXMLPropULL(xmlNodePtr node, const char *name, unsigned long long min, unsigned long long max,
                 unsigned long long *out, int errDomain)
{
    g_autofree char *v = vkXMLProp(node, name);
    guint64 n = 0;

    if (!v)
        return 0;
    if (!g_ascii_string_to_unsigned(v, 10, 0, G_MAXUINT64, &n, NULL)) {
        reportBadValue(node, name, v, errDomain, "expected a non-negative integer");
        return -1;
    }
    if (n < min || n > max) {
        g_autofree char *why = g_strdup_printf("must be between %llu and %llu", min, max);
        reportBadValue(node, name, v, errDomain, why);
        return -1;
    }
    *out = n;
    return 1;
}

int vkXMLPropInt(xmlNodePtr node, const char *name, long long min, long long max, int *out,
                 int errDomain)
{
    g_autofree char *v = vkXMLProp(node, name);
    gint64 n = 0;

    if (!v)
        return 0;
    if (!g_ascii_string_to_signed(v, 10, G_MININT64, G_MAXINT64, &n, NULL)) {
        reportBadValue(node, name, v, errDomain, "expected an integer");
        return -1;
    }
    if (n < min || n > max) {
        g_autofree char *why = g_strdup_printf("must be between %lld and %lld", min, max);
        reportBadValue(node, name, v, errDomain, why);
        return -1;
    }
    *out = (int)n;
    return 1;
}

int vkXMLPropEnum(xmlNodePtr node, const char *name, int (*fromString)(const char *), int *out,
                  int errDomain)
{
    g_autofree char *v = vkXMLProp(node, name);
    int n;

    if (!v)
        return 0;
    if ((n = fromString(v)) < 0) {
        vkXMLReportAt(node, errDomain, VIR_ERR_CONFIG_UNSUPPORTED, "unknown %s '%s' for <%s>", name,
                      v, (const char *)node->name);
        return -1;
    }
    *out = n;
    return 1;
}

int vkXMLPropBool(xmlNodePtr node, const char *name, gboolean onOff, gboolean *out, int errDomain)
{
    g_autofree char *v = vkXMLProp(node, name);
    const char *yes = onOff ? "on" : "yes";
    const char *no = onOff ? "off" : "no";

    if (!v)
        return 0;
    if (g_str_equal(v, yes)) {
        *out = TRUE;
    } else if (g_str_equal(v, no)) {
        *out = FALSE;
    } else {
        g_autofree char *why = g_strdup_printf("expected '%s' or '%s'", yes, no);
        reportBadValue(node, name, v, errDomain, why);
        return -1;
    }
    return 1;
}

void vkBufInit(vkBuf *buf)
{
    buf->str = g_string_sized_new(1024);
    buf->indent = 0;
}

void vkBufAdjustIndent(vkBuf *buf, int delta)
{
    buf->indent += delta;
    if (buf->indent < 0)
        buf->indent = 0;
}

/* Like libvirt's buffer: indentation is added when a call starts at the beginning of a line,
 * never inside the text of one call (multi-line text content stays as given). The text is
 * formatted straight into the buffer and the indentation inserted before it afterwards, which
 * saves an allocation per call. */
static void indentFrom(vkBuf *buf, gsize start)
{
    gboolean lineStart = start == 0 || buf->str->str[start - 1] == '\n';

    gsize tail = buf->str->len - start;

    if (lineStart && buf->indent > 0 && tail > 0 && buf->str->str[start] != '\n') {
        g_string_set_size(buf->str, buf->str->len + buf->indent);
        memmove(buf->str->str + start + buf->indent, buf->str->str + start, tail);
        memset(buf->str->str + start, ' ', buf->indent);
    }
}

void vkBufAddf(vkBuf *buf, const char *fmt, ...)
{
    gsize start = buf->str->len;
    va_list ap;

    va_start(ap, fmt);
    g_string_append_vprintf(buf->str, fmt, ap);
    va_end(ap);
    indentFrom(buf, start);
}

/* TRUE when FMT's %s is an attribute value ('%s' or "%s"). */
static gboolean escapesAttribute(const char *fmt)
{
    const char *conv = strstr(fmt, "%s");

    return conv && conv > fmt && (conv[-1] == '\'' || conv[-1] == '"');
}

void vkBufEscapef(vkBuf *buf, const char *fmt, const char *str)
{
    /* A parser turns a raw CR into LF everywhere, and a raw tab or LF inside an attribute into
     * a space: those go out as character references, so that what was parsed comes back. */
    gboolean attribute = escapesAttribute(fmt);
    const char *special = attribute ? "<>&\"'\r\n\t" : "<>&\"'\r";
    g_autoptr(GString) esc = NULL;
    gsize start = buf->str->len;

    /* Most values need no escaping. */
    if (!strpbrk(str, special)) {
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
        g_string_append_printf(buf->str, fmt, str);
#pragma GCC diagnostic pop
        indentFrom(buf, start);
        return;
    }
    esc = g_string_sized_new(strlen(str) + 16);
    for (const char *p = str; *p; p++) {
        switch (*p) {
        case '<':
            g_string_append(esc, "&lt;");
            break;
        case '>':
            g_string_append(esc, "&gt;");
            break;
        case '&':
            g_string_append(esc, "&amp;");
            break;
        case '"':
            g_string_append(esc, "&quot;");
            break;
        case '\'':
            g_string_append(esc, "&apos;");
            break;
        case '\r':
            g_string_append(esc, "&#13;");
            break;
        case '\n':
            g_string_append(esc, attribute ? "&#10;" : "\n");
            break;
        case '\t':
            g_string_append(esc, attribute ? "&#9;" : "\t");
            break;
        default:
            g_string_append_c(esc, *p);
            break;
        }
    }
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
    g_string_append_printf(buf->str, fmt, esc->str);
#pragma GCC diagnostic pop
    indentFrom(buf, start);
}

char *vkBufFinish(vkBuf *buf)
{
    return g_string_free(g_steal_pointer(&buf->str), FALSE);
}

void vkBufInitChild(vkBuf *child, const vkBuf *parent)
{
    vkBufInit(child);
    child->indent = parent->indent + 2;
}

void vkBufClear(vkBuf *buf)
{
    if (buf->str)
        g_string_free(buf->str, TRUE);
    buf->str = NULL;
}

gboolean vkBufEmpty(const vkBuf *buf)
{
    return !buf || !buf->str || buf->str->len == 0;
}

void vkBufAddElement(vkBuf *buf, const char *name, vkBuf *attrs, vkBuf *children)
{
    gboolean noAttrs = vkBufEmpty(attrs), noChildren = vkBufEmpty(children);

    if (!(noAttrs && noChildren)) {
        vkBufAddf(buf, "<%s%s", name, noAttrs ? "" : attrs->str->str);
        if (noChildren) {
            vkBufAddf(buf, "/>\n");
        } else {
            /* The children are indented already: append them as they are. */
            g_string_append(buf->str, ">\n");
            g_string_append(buf->str, children->str->str);
            vkBufAddf(buf, "</%s>\n", name);
        }
    }
    if (attrs)
        vkBufClear(attrs);
    if (children)
        vkBufClear(children);
}

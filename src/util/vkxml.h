/* libxml2 helpers: hardened parsing, strict attribute/element checks, indented output. */
#pragma once

#include <glib.h>
#include <libxml/tree.h>

#define VK_XML_MAX_SIZE (10 * 1024 * 1024)

G_DEFINE_AUTOPTR_CLEANUP_FUNC(xmlDoc, xmlFreeDoc)

/* Parse a document from memory with network access off, no entity substitution, no DTD
 * loading, and at most VK_XML_MAX_SIZE bytes. Documents carrying a DOCTYPE are refused.
 * docName labels errors, as libvirt does: "(domain_definition):3: message".
 * Reports VIR_ERR_XML_DETAIL (malformed) or VIR_ERR_XML_ERROR (refused) and returns NULL. */
xmlDocPtr vkXMLParseString(const char *xml, const char *docName, int errDomain);

/* Like vkXMLParseString, reading the file first. Reports the path on failure. */
xmlDocPtr vkXMLParseFile(const char *path, const char *docName, int errDomain);

/* The root element if it is named rootName; otherwise reports and returns NULL. */
xmlNodePtr vkXMLRoot(xmlDocPtr doc, const char *rootName, int errDomain);

/* Reject any attribute of node not in the NULL-terminated allowed list (VIR_ERR_XML_ERROR,
 * naming attribute, element and line). Returns 0 or -1. */
int vkXMLCheckAttrs(xmlNodePtr node, const char *const *allowed, int errDomain);

/* Reject child elements not in the allowed list, and any non-blank text or other node kind
 * (comments are allowed). Returns 0 or -1. */
int vkXMLCheckChildren(xmlNodePtr node, const char *const *allowed, int errDomain);

/* Reject any child element and any attribute: for leaf text elements like <name>. */
int vkXMLCheckLeaf(xmlNodePtr node, const char *const *allowedAttrs, int errDomain);

/* The first child element called name, or NULL. */
xmlNodePtr vkXMLChild(xmlNodePtr node, const char *name);
/* The number of child elements called name. */
guint vkXMLCountChildren(xmlNodePtr node, const char *name);
/* Report if name appears more than once among node's children. */
int vkXMLCheckUnique(xmlNodePtr node, const char *name, int errDomain);

/* Attribute value (g_free it), or NULL if absent. */
char *vkXMLProp(xmlNodePtr node, const char *name);
/* Text content of node (g_free it); never NULL for a non-NULL node. */
char *vkXMLText(xmlNodePtr node);

/* Numeric attributes. Return 1 when present and valid, 0 when absent, -1 (reported) when
 * malformed or out of [min, max]. */
int vkXMLPropULL(xmlNodePtr node, const char *name, unsigned long long min, unsigned long long max,
                 unsigned long long *out, int errDomain);
int vkXMLPropInt(xmlNodePtr node, const char *name, long long min, long long max, int *out,
                 int errDomain);

/* Enum attribute via a FromString function. Same return convention; the error names the
 * attribute, the element, the bad value and the line. */
int vkXMLPropEnum(xmlNodePtr node, const char *name, int (*fromString)(const char *), int *out,
                  int errDomain);

/* 'yes'/'no' (or 'on'/'off' when onOff) attribute: 1 present, 0 absent, -1 bad. */
int vkXMLPropBool(xmlNodePtr node, const char *name, gboolean onOff, gboolean *out, int errDomain);

/* Report VIR_ERR_XML_ERROR "... at line N" for node with a printf-style detail. */
void vkXMLReportAt(xmlNodePtr node, int errDomain, int code, const char *fmt, ...)
    G_GNUC_PRINTF(4, 5);

/* Output buffer with automatic two-space indentation at line starts. */
typedef struct {
    GString *str;
    int indent;
} vkBuf;

void vkBufInit(vkBuf *buf);
void vkBufAdjustIndent(vkBuf *buf, int delta);
void vkBufAddf(vkBuf *buf, const char *fmt, ...) G_GNUC_PRINTF(2, 3);
/* Append fmt with its %s argument escaped for XML: markup characters and CR always, tab and
 * LF too in an attribute value ('%s' or "%s"), so that parsing the output gives STR back. */
void vkBufEscapef(vkBuf *buf, const char *fmt, const char *str);
char *vkBufFinish(vkBuf *buf);

/* A buffer for the children of an element written into PARENT: indented one level deeper. */
void vkBufInitChild(vkBuf *child, const vkBuf *parent);
/* Discards what BUF holds (for buffers not finished with vkBufFinish). */
void vkBufClear(vkBuf *buf);
/* TRUE when BUF holds nothing. */
gboolean vkBufEmpty(const vkBuf *buf);
/* Writes <NAME ATTRS/> or <NAME ATTRS>\n CHILDREN </NAME>\n into BUF, or nothing when ATTRS and
 * CHILDREN (either may be NULL) are both empty; ATTRS holds attributes with their leading
 * spaces, CHILDREN comes from vkBufInitChild. Both are released (init them again to reuse). */
void vkBufAddElement(vkBuf *buf, const char *name, vkBuf *attrs, vkBuf *children);

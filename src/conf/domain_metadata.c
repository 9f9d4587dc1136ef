/* <metadata>: applications' own XML kept verbatim in the definition (libosinfo's OS id, for
 * one), and virDomainGetMetadata/virDomainSetMetadata over it and the title and description. */
#include "conf/domain_priv.h"

#include <libxml/parser.h>
#include <libxml/xmlsave.h>

static void dropElementsWithoutNamespace(xmlNodePtr metadata)
{
    xmlNodePtr child = metadata->children;

    /* As libvirt: only namespaced children are kept, the first per namespace. */
    while (child) {
        xmlNodePtr next = child->next;

        if (child->type == XML_ELEMENT_NODE && (!child->ns || !child->ns->href)) {
            xmlUnlinkNode(child);
            xmlFreeNode(child);
        } else if (child->type == XML_ELEMENT_NODE) {
            for (xmlNodePtr n = child->next; n;) {
                xmlNodePtr after = n->next;

                if (n->type == XML_ELEMENT_NODE && n->ns &&
                    xmlStrEqual(n->ns->href, child->ns->href)) {
                    if (next == n)
                        next = after;
                    xmlUnlinkNode(n);
                    xmlFreeNode(n);
                }
                n = after;
            }
        }
        child = next;
    }
}

static char *nodeToString(xmlDocPtr doc, xmlNodePtr node, int level, gboolean format)
{
    xmlBufferPtr buf = xmlBufferCreate();
    int oldIndent = xmlIndentTreeOutput;
    char *ret;

    /* libxml2 indents nested elements only with this (thread-local) setting on. */
    xmlIndentTreeOutput = 1;
    xmlNodeDump(buf, doc, node, level, format);
    xmlIndentTreeOutput = oldIndent;
    ret = g_strdup((const char *)xmlBufferContent(buf));
    xmlBufferFree(buf);
    return ret;
}

/* A document whose root is a copy of NODE, namespaces declared on ancestors carried along.
 * With NOBLANKS, blank text between elements is dropped as libxml2 drops it when parsing with
 * blanks ignored (libvirt's way of reading a domain), so the output can be indented. */
static xmlDocPtr copyToDoc(xmlNodePtr node, gboolean noBlanks)
{
    g_autoptr(xmlDoc) copy = xmlNewDoc(BAD_CAST "1.0");
    xmlNodePtr root = xmlDocCopyNode(node, copy, 1);
    g_autofree char *text = NULL;

    if (!root)
        return NULL;
    xmlDocSetRootElement(copy, root);
    if (!noBlanks)
        return g_steal_pointer(&copy);
    /* Reading the copy again is how libxml2's own rule for ignorable blanks gets applied. */
    text = nodeToString(copy, root, 0, FALSE);
    return xmlReadMemory(text, strlen(text), NULL, NULL,
                         XML_PARSE_NONET | XML_PARSE_NOBLANKS | XML_PARSE_NOERROR |
                             XML_PARSE_NOWARNING);
}

int vkDomainMetadataParse(vkDomainDef *def, xmlNodePtr node, unsigned int flags)
{
    if (vkXMLCheckAttrs(node, NULL, VK_DOMAIN_ERR) < 0)
        return -1;
    if (!(def->metadata = copyToDoc(node, TRUE))) {
        vkXMLReportAt(node, VK_DOMAIN_ERR, VIR_ERR_INTERNAL_ERROR, "%s",
                      "failed to copy the <metadata> element");
        return -1;
    }
    dropElementsWithoutNamespace(xmlDocGetRootElement(def->metadata));
    return 0;
}

void vkDomainMetadataFormat(vkBuf *buf, const vkDomainDef *def)
{
    g_autofree char *text = NULL;
    const char *p;

    if (!def->metadata)
        return;
    text = nodeToString(def->metadata, xmlDocGetRootElement(def->metadata), buf->indent / 2, TRUE);
    /* Newer libxml2 indents the first line as well: the buffer does that already. */
    for (p = text; *p == ' '; p++)
        ;
    vkBufAddf(buf, "%s\n", p);
}

xmlDocPtr vkDomainMetadataCopy(xmlDocPtr metadata)
{
    return metadata ? xmlCopyDoc(metadata, 1) : NULL;
}

static xmlNodePtr findByNamespace(xmlNodePtr metadata, const char *uri)
{
    for (xmlNodePtr c = metadata ? metadata->children : NULL; c; c = c->next) {
        if (c->type == XML_ELEMENT_NODE && c->ns && g_strcmp0((const char *)c->ns->href, uri) == 0)
            return c;
    }
    return NULL;
}

static void setNamespace(xmlNodePtr node, const char *uri, xmlNsPtr ns)
{
    for (; node; node = node->next) {
        if (node->type != XML_ELEMENT_NODE)
            continue;
        if (uri && node->ns && g_strcmp0((const char *)node->ns->href, uri) == 0)
            xmlSetNs(node, NULL);
        else if (ns && !node->ns)
            xmlSetNs(node, ns);
        setNamespace(node->children, uri, ns);
    }
}

/* The element in namespace URI, written without that namespace. */
static char *extractElement(xmlDocPtr metadata, const char *uri)
{
    xmlNodePtr found = findByNamespace(metadata ? xmlDocGetRootElement(metadata) : NULL, uri);
    g_autoptr(xmlDoc) copy = NULL;
    xmlNodePtr root;
    xmlNsPtr prev = NULL;

    if (!found || !(copy = copyToDoc(found, FALSE)))
        return NULL;
    root = xmlDocGetRootElement(copy);
    setNamespace(root, uri, NULL);
    for (xmlNsPtr ns = root->nsDef; ns; prev = ns, ns = ns->next) {
        if (g_strcmp0((const char *)ns->href, uri) == 0) {
            if (prev)
                prev->next = ns->next;
            else
                root->nsDef = ns->next;
            xmlFreeNs(ns);
            break;
        }
    }
    return nodeToString(copy, root, 0, TRUE);
}

char *vkDomainDefGetMetadata(const vkDomainDef *def, int type, const char *uri)
{
    char *ret = NULL;

    switch (type) {
    case VIR_DOMAIN_METADATA_DESCRIPTION:
        ret = g_strdup(def->description);
        break;
    case VIR_DOMAIN_METADATA_TITLE:
        ret = g_strdup(def->title);
        break;
    case VIR_DOMAIN_METADATA_ELEMENT:
        ret = extractElement(def->metadata, uri);
        break;
    default:
        vkReportError(VK_DOMAIN_ERR, VIR_ERR_INVALID_ARG, "unknown metadata type '%d'", type);
        return NULL;
    }
    if (!ret)
        vkReportError(VK_DOMAIN_ERR, VIR_ERR_NO_DOMAIN_METADATA, "%s",
                      "Requested metadata element is not present");
    return ret;
}

/* METADATA parsed, put into namespace URI with prefix KEY: a new node for DEF's document. */
static xmlNodePtr newElement(xmlDocPtr target, const char *metadata, const char *key,
                             const char *uri)
{
    g_autoptr(xmlDoc) doc = vkXMLParseString(metadata, "metadata_xml", VK_DOMAIN_ERR);
    xmlNodePtr root;
    xmlNsPtr ns;

    if (!doc)
        return NULL;
    root = xmlDocGetRootElement(doc);
    if (!key || xmlValidateNCName(BAD_CAST key, 1) != 0) {
        vkReportError(VK_DOMAIN_ERR, VIR_ERR_INTERNAL_ERROR, "%s",
                      "failed to validate prefix for a new XML namespace");
        return NULL;
    }
    if (!(ns = xmlNewNs(root, BAD_CAST uri, BAD_CAST key))) {
        vkReportError(VK_DOMAIN_ERR, VIR_ERR_INTERNAL_ERROR, "%s",
                      "failed to create a new XML namespace");
        return NULL;
    }
    setNamespace(root, NULL, ns);
    return xmlDocCopyNode(root, target, 1);
}

int vkDomainDefSetMetadata(vkDomainDef *def, int type, const char *metadata, const char *key,
                           const char *uri)
{
    xmlNodePtr root, old, added = NULL;

    switch (type) {
    case VIR_DOMAIN_METADATA_DESCRIPTION:
        g_clear_pointer(&def->description, g_free);
        if (metadata && *metadata)
            def->description = g_strdup(metadata);
        return 0;
    case VIR_DOMAIN_METADATA_TITLE:
        g_clear_pointer(&def->title, g_free);
        if (metadata && *metadata)
            def->title = g_strdup(metadata);
        return 0;
    case VIR_DOMAIN_METADATA_ELEMENT:
        break;
    default:
        vkReportError(VK_DOMAIN_ERR, VIR_ERR_INVALID_ARG, "unknown metadata type '%d'", type);
        return -1;
    }
    if (metadata) {
        g_autoptr(xmlDoc) fresh = def->metadata ? NULL : xmlNewDoc(BAD_CAST "1.0");

        if (fresh)
            xmlDocSetRootElement(fresh, xmlNewDocNode(fresh, NULL, BAD_CAST "metadata", NULL));
        if (!(added = newElement(fresh ? fresh : def->metadata, metadata, key, uri)))
            return -1;
        if (fresh)
            def->metadata = g_steal_pointer(&fresh);
    }
    if (!def->metadata)
        return 0;
    root = xmlDocGetRootElement(def->metadata);
    while ((old = findByNamespace(root, uri))) {
        xmlUnlinkNode(old);
        xmlFreeNode(old);
    }
    if (added)
        xmlAddChild(root, added);
    return 0;
}

/* Tests for the table-driven attributes of the domain model (domain_attrs.c): each type parsed,
 * range and enum checks naming the attribute, unknown attributes refused, absent values not
 * written, and the element writer that chooses between "/>" and children. */
#include <string.h>

#include "conf/domain_priv.h"

typedef enum { COLOR_DEFAULT = 0, COLOR_RED, COLOR_BLUE, COLOR_LAST } color;
VK_ENUM_DECL(color);
VK_ENUM_IMPL(color, COLOR_LAST, "default", "red", "blue");

typedef struct {
    char *name;
    int color;
    int anyColor;
    unsigned int count;
    unsigned long long size;
    int index;
    int enabled;
    int power;
    unsigned int addr;
    unsigned int ports;
} thing;

static const vkAttrSpec thingAttrs[] = {
    VK_ATTR_STR("name", thing, name),
    VK_ATTR_E("color", thing, color, color),
    VK_ATTR_EANY("any", thing, anyColor, color),
    { "count", VK_ATTR_UINT, offsetof(thing, count), NULL, NULL, 1, 16, 0 },
    VK_ATTR_ULLONG("size", thing, size),
    VK_ATTR_I("index", thing, index),
    VK_ATTR_YN("enabled", thing, enabled),
    VK_ATTR_OO("power", thing, power),
    { "addr", VK_ATTR_UINT, offsetof(thing, addr), NULL, NULL, 0, 0, VK_ATTR_HEX },
    { "ports", VK_ATTR_UINT, offsetof(thing, ports), NULL, NULL, 0, 30, VK_ATTR_ZERO },
    VK_ATTR_END,
};

static xmlDocPtr doc;

static xmlNodePtr parseNode(const char *xml)
{
    xmlFreeDoc(doc);
    doc = vkXMLParseString(xml, "test", VK_DOMAIN_ERR);
    g_assert_nonnull(doc);
    return xmlDocGetRootElement(doc);
}

static void checkError(const char *xml, int code, const char *needle)
{
    thing t;
    virErrorPtr err;

    vkAttrsInit(thingAttrs, &t);
    if (vkAttrsParse(parseNode(xml), thingAttrs, NULL, &t) != -1)
        g_error("%s was accepted", xml);
    err = virGetLastError();
    g_assert_nonnull(err);
    g_assert_cmpint(err->code, ==, code);
    if (!strstr(err->message, needle))
        g_error("error \"%s\" lacks \"%s\"", err->message, needle);
    vkAttrsFreeStrings(thingAttrs, &t);
    vkResetLastError();
}

static char *format(const thing *t)
{
    vkBuf buf;

    vkBufInit(&buf);
    vkAttrsFormat(&buf, thingAttrs, t);
    return vkBufFinish(&buf);
}

static void testRoundTrip(void)
{
    const char *xml = "<thing name='a&amp;b' color='blue' any='default' count='16' "
                      "size='18446744073709551615' index='0' enabled='no' power='on' "
                      "addr='0x1f' ports='0'/>";
    thing t, copy;
    g_autofree char *out = NULL;
    g_autofree char *out2 = NULL;

    vkAttrsInit(thingAttrs, &t);
    g_assert_cmpint(vkAttrsParseLeaf(parseNode(xml), thingAttrs, &t), ==, 0);
    g_assert_cmpstr(t.name, ==, "a&b");
    g_assert_cmpint(t.color, ==, COLOR_BLUE);
    g_assert_cmpint(t.anyColor, ==, COLOR_DEFAULT);
    g_assert_cmpuint(t.addr, ==, 0x1f);
    g_assert_cmpuint(t.ports, ==, 0);
    out = format(&t);
    g_assert_cmpstr(out, ==,
                    " name='a&amp;b' color='blue' any='default' count='16' "
                    "size='18446744073709551615' index='0' enabled='no' power='on' addr='0x1f' "
                    "ports='0'");
    memcpy(&copy, &t, sizeof(t));
    vkAttrsCopyStrings(thingAttrs, &copy, &t);
    vkAttrsFreeStrings(thingAttrs, &t);
    g_assert_null(t.name);
    out2 = format(&copy);
    g_assert_cmpstr(out, ==, out2);
    vkAttrsFreeStrings(thingAttrs, &copy);
}

static void testAbsent(void)
{
    thing t;
    g_autofree char *out = NULL;

    vkAttrsInit(thingAttrs, &t);
    g_assert_false(vkAttrsAnySet(thingAttrs, &t));
    g_assert_cmpint(vkAttrsParse(parseNode("<thing/>"), thingAttrs, NULL, &t), ==, 0);
    g_assert_false(vkAttrsAnySet(thingAttrs, &t));
    out = format(&t);
    g_assert_cmpstr(out, ==, "");
    g_assert_cmpint(vkAttrsParse(parseNode("<thing index='3'/>"), thingAttrs, NULL, &t), ==, 0);
    g_assert_true(vkAttrsAnySet(thingAttrs, &t));
}

static void testRefused(void)
{
    checkError("<thing colour='red'/>", VIR_ERR_XML_ERROR, "colour");
    checkError("<thing color='default'/>", VIR_ERR_CONFIG_UNSUPPORTED, "unknown color 'default'");
    checkError("<thing color='green'/>", VIR_ERR_CONFIG_UNSUPPORTED, "unknown color 'green'");
    checkError("<thing count='0'/>", VIR_ERR_XML_ERROR,
               "invalid value '0' for attribute 'count' of <thing>: expected an integer from 1 "
               "to 16");
    checkError("<thing count='17'/>", VIR_ERR_XML_ERROR, "'count'");
    checkError("<thing count='-1'/>", VIR_ERR_XML_ERROR, "'count'");
    checkError("<thing count='1x'/>", VIR_ERR_XML_ERROR, "'count'");
    checkError("<thing ports='31'/>", VIR_ERR_XML_ERROR, "from 0 to 30");
    checkError("<thing size='18446744073709551616'/>", VIR_ERR_XML_ERROR, "'size'");
    checkError("<thing enabled='on'/>", VIR_ERR_XML_ERROR, "enabled");
    checkError("<thing power='yes'/>", VIR_ERR_XML_ERROR, "power");
    checkError("<thing count='0x2'/>", VIR_ERR_XML_ERROR, "'count'");
}

static void testRequiredAndExtra(void)
{
    static const vkAttrSpec req[] = {
        { "type", VK_ATTR_STRING, offsetof(thing, name), NULL, NULL, 0, 0, VK_ATTR_REQUIRED },
        VK_ATTR_END,
    };
    static const char *const extra[] = { "other", NULL };
    thing t;

    vkAttrsInit(req, &t);
    g_assert_cmpint(vkAttrsParse(parseNode("<x/>"), req, NULL, &t), ==, -1);
    g_assert_nonnull(strstr(virGetLastError()->message, "missing required attribute 'type'"));
    vkResetLastError();
    g_assert_cmpint(vkAttrsParse(parseNode("<x type='a' other='b'/>"), req, extra, &t), ==, 0);
    g_assert_cmpstr(t.name, ==, "a");
    vkAttrsFreeStrings(req, &t);
    g_assert_cmpint(vkAttrsParseLeaf(parseNode("<x type='a'><y/></x>"), req, &t), ==, -1);
    vkResetLastError();
    vkAttrsFreeStrings(req, &t);
}

static void testElement(void)
{
    vkBuf buf, attrs, children;
    g_autofree char *out = NULL;

    vkBufInit(&buf);
    vkBufAdjustIndent(&buf, 2);
    vkBufInit(&attrs);
    vkBufInitChild(&children, &buf);
    vkBufAddElement(&buf, "empty", &attrs, &children);
    vkBufInit(&attrs);
    vkBufInitChild(&children, &buf);
    vkBufAddf(&attrs, " a='1'");
    vkBufAddElement(&buf, "leaf", &attrs, &children);
    g_assert_true(vkBufEmpty(&attrs));
    vkBufInit(&attrs);
    vkBufInitChild(&children, &buf);
    vkBufAddf(&children, "<child/>\n");
    vkBufAddElement(&buf, "parent", &attrs, &children);
    vkBufAddElement(&buf, "none", NULL, NULL);
    out = vkBufFinish(&buf);
    g_assert_cmpstr(out, ==, "  <leaf a='1'/>\n  <parent>\n    <child/>\n  </parent>\n");
}

int main(int argc, char **argv)
{
    int rc;

    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/attrs/round-trip", testRoundTrip);
    g_test_add_func("/attrs/absent", testAbsent);
    g_test_add_func("/attrs/refused", testRefused);
    g_test_add_func("/attrs/required-extra", testRequiredAndExtra);
    g_test_add_func("/attrs/element", testElement);
    rc = g_test_run();
    xmlFreeDoc(doc);
    return rc;
}

/* The name rule shared by every object kind: which names pass, and the error (libvirt's code
 * and words where libvirt has them) for each kind of bad name. */
#include <string.h>

#include "conf/object_name.h"
#include "util/vkerror.h"

typedef struct {
    vkObjectKind kind;
    const char *name;
    int code; /* VIR_ERR_OK: a good name */
    const char *message;
} vkNameCase;

static void checkCase(const vkNameCase *c)
{
    int rc = vkObjectNameCheck(c->kind, c->name);

    g_assert_cmpint(vkObjectNameIsValid(c->kind, c->name), ==, c->code == VIR_ERR_OK);
    if (c->code == VIR_ERR_OK) {
        g_assert_cmpint(rc, ==, 0);
        g_assert_null(virGetLastError());
        return;
    }
    g_assert_cmpint(rc, ==, -1);
    g_assert_cmpint(virGetLastErrorCode(), ==, c->code);
    g_assert_cmpstr(virGetLastErrorMessage(), ==, c->message);
    vkResetLastError();
}

static void testNames(void)
{
    g_autofree char *max = g_strnfill(VK_OBJECT_NAME_MAX, 'x');
    g_autofree char *over = g_strnfill(VK_OBJECT_NAME_MAX + 1, 'x');
    const vkNameCase cases[] = {
        { VK_OBJECT_DOMAIN, "web-01.example_a b", VIR_ERR_OK, NULL },
        { VK_OBJECT_NETWORK, "caf\u00e9", VIR_ERR_OK, NULL },
        { VK_OBJECT_DOMAIN, "a.", VIR_ERR_OK, NULL },
        { VK_OBJECT_VOLUME, max, VIR_ERR_OK, NULL },
        { VK_OBJECT_DOMAIN, "", VIR_ERR_NO_NAME, "missing name information" },
        { VK_OBJECT_DOMAIN, NULL, VIR_ERR_NO_NAME, "missing name information" },
        { VK_OBJECT_DOMAIN, "../x", VIR_ERR_XML_ERROR, "XML error: name ../x cannot contain '/'" },
        { VK_OBJECT_POOL, "a/b", VIR_ERR_XML_ERROR, "XML error: name a/b cannot contain '/'" },
        { VK_OBJECT_NETWORK, "a/b", VIR_ERR_XML_DETAIL, "invalid char in name: /" },
        { VK_OBJECT_VOLUME, "a/b", VIR_ERR_OPERATION_INVALID,
          "Requested operation is not valid: volume name 'a/b' cannot contain '/'" },
        { VK_OBJECT_NETWORK, "x\ty", VIR_ERR_XML_DETAIL, "invalid char in name: \\t" },
        { VK_OBJECT_DOMAIN, "a\nb", VIR_ERR_XML_DETAIL, "invalid char in name: \\n" },
        { VK_OBJECT_DOMAIN, "a\rb", VIR_ERR_XML_DETAIL, "invalid char in name: \\r" },
        { VK_OBJECT_POOL, "a\x01", VIR_ERR_XML_DETAIL, "invalid char in name: \\001" },
        { VK_OBJECT_VOLUME, "a\x7f", VIR_ERR_XML_DETAIL, "invalid char in name: \\177" },
        { VK_OBJECT_DOMAIN, ".hidden", VIR_ERR_XML_ERROR,
          "XML error: name .hidden cannot start with '.'" },
        { VK_OBJECT_NETWORK, "..", VIR_ERR_XML_ERROR, "XML error: name .. cannot start with '.'" },
        { VK_OBJECT_DOMAIN, over, VIR_ERR_XML_ERROR,
          "XML error: domain name is 240 bytes long, more than the limit of 239" },
        { VK_OBJECT_POOL, over, VIR_ERR_XML_ERROR,
          "XML error: storage pool name is 240 bytes long, more than the limit of 239" },
    };

    for (size_t i = 0; i < G_N_ELEMENTS(cases); i++)
        checkCase(&cases[i]);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/object-name/check", testNames);
    return g_test_run();
}

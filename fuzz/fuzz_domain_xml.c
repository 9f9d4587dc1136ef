/* libFuzzer target for the domain XML parser: any input that parses must format, re-parse
 * and format again to the very same text, because formatting is the inverse of parsing. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conf/domain_conf.h"
#include "util/vkerror.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void G_GNUC_NORETURN fail(const char *what, unsigned int flags, const char *first,
                                 const char *second)
{
    fprintf(stderr, "fuzz_domain_xml: %s (format flags 0x%x)\n", what, flags);
    fprintf(stderr, "last error: %s\n", virGetLastErrorMessage());
    if (first)
        fprintf(stderr, "--- first format:\n%s\n", first);
    if (second)
        fprintf(stderr, "--- second format:\n%s\n", second);
    abort();
}

/* format(parse(format(def))) must equal format(def) for every set of format flags; the
 * persistent form is read back the way a define reads it. */
static void checkRoundTrip(const vkDomainDef *def, unsigned int flags)
{
    unsigned int parseFlags = 0;
    g_autoptr(vkDomainDef) again = NULL;
    g_autofree char *first = NULL;
    g_autofree char *second = NULL;

    if (flags & VK_DOMAIN_DEF_FORMAT_INACTIVE)
        parseFlags |= VK_DOMAIN_DEF_PARSE_INACTIVE;
    if (!(first = vkDomainDefFormat(def, flags)))
        fail("a parsed definition failed to format", flags, NULL, NULL);
    if (!(again = vkDomainDefParseString(first, parseFlags)))
        fail("the formatted definition does not parse", flags, first, NULL);
    if (!(second = vkDomainDefFormat(again, flags)))
        fail("the re-parsed definition failed to format", flags, first, NULL);
    if (strcmp(first, second) != 0)
        fail("format(parse(format(def))) differs from format(def)", flags, first, second);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    /* The parser takes a C string: an embedded NUL simply ends the document. */
    g_autofree char *xml = g_strndup((const char *)data, size);
    g_autoptr(vkDomainDef) def = vkDomainDefParseString(xml, 0);

    if (def) {
        checkRoundTrip(def, 0);
        checkRoundTrip(def, VK_DOMAIN_DEF_FORMAT_SECURE);
        checkRoundTrip(def, VK_DOMAIN_DEF_FORMAT_SECURE | VK_DOMAIN_DEF_FORMAT_INACTIVE);
    }
    vkResetLastError();
    return 0;
}

/* libFuzzer target for the network XML parser: any input that parses must format, re-parse
 * and format again to the very same text, because formatting is the inverse of parsing. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conf/network_conf.h"
#include "util/vkerror.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void G_GNUC_NORETURN fail(const char *what, const char *first, const char *second)
{
    fprintf(stderr, "fuzz_network_xml: %s\n", what);
    fprintf(stderr, "last error: %s\n", virGetLastErrorMessage());
    if (first)
        fprintf(stderr, "--- first format:\n%s\n", first);
    if (second)
        fprintf(stderr, "--- second format:\n%s\n", second);
    abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    /* The parser takes a C string: an embedded NUL simply ends the document. */
    g_autofree char *xml = g_strndup((const char *)data, size);
    g_autoptr(vkNetworkDef) def = vkNetworkDefParseString(xml, 0);
    g_autoptr(vkNetworkDef) again = NULL;
    g_autofree char *first = NULL;
    g_autofree char *second = NULL;

    if (!def) {
        vkResetLastError();
        return 0;
    }
    if (!(first = vkNetworkDefFormat(def, 0)))
        fail("a parsed definition failed to format", NULL, NULL);
    if (!(again = vkNetworkDefParseString(first, 0)))
        fail("the formatted definition does not parse", first, NULL);
    if (!(second = vkNetworkDefFormat(again, 0)))
        fail("the re-parsed definition failed to format", first, NULL);
    if (strcmp(first, second) != 0)
        fail("format(parse(format(def))) differs from format(def)", first, second);
    vkResetLastError();
    return 0;
}

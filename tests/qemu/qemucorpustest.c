/* libvirt 9.0's own qemu test inputs as a yardstick for the domain model (run by
 * libvirt-corpus.sh, which finds the corpus and asks libvirt which inputs it accepts).
 *
 * usage: qemucorpustest CORPUS ACCEPTED SCHEMA MIN-ACCEPT-PERCENT MIN-MATCH-PERCENT
 *   CORPUS    libvirt's source tree (tests/qemuxml2argvdata, tests/qemuxml2xmloutdata)
 *   ACCEPTED  the inputs libvirt's parser accepts, one path per line
 *   SCHEMA    libvirt's domain.rng
 *
 * For each input we accept (parse, then what the qemu driver adds at define), the output must
 * validate against the schema and load again to the same output. Where libvirt has an expected
 * output (qemuxml2xmloutdata), ours is compared byte for byte. Prints the tallies (and why
 * inputs were refused, most frequent first) as TAP, and fails below the given percentages. */
#include <stdlib.h>
#include <string.h>

#include <libxml/parser.h>
#include <libxml/relaxng.h>

#include "qemutestutil.h"
#include "qemu/qemu_command.h"
#include "util/vkxml.h"

#define FORMAT_FLAGS (VK_DOMAIN_DEF_FORMAT_SECURE | VK_DOMAIN_DEF_FORMAT_INACTIVE)

static xmlRelaxNGValidCtxtPtr validator;

static void quietErrors(void *ctx, const char *msg, ...)
{
}

static gboolean schemaValid(const char *xml)
{
    g_autoptr(xmlDoc) doc = xmlReadMemory(xml, strlen(xml), "out.xml", NULL, XML_PARSE_NONET);

    return doc && xmlRelaxNGValidateDoc(validator, doc) == 0;
}

/* What the driver does with a definition it reads (as libvirt's qemuxml2xml tests parse: no
 * USB ports assigned), with the machine type as written (libvirt's test harness
 * keeps it so; the driver would make it canonical) and qemu's defaults for what is not. */
static int postParse(vkDomainDef *def)
{
    if (!def->emulator)
        def->emulator = g_strdup(g_str_equal(def->os.arch, "i686") ? "/usr/bin/qemu-system-i386"
                                                                   : VK_QEMU_DEFAULT_EMULATOR);
    if (!def->os.machine)
        def->os.machine = g_strdup("pc");
    return vkQEMUDomainDefPostParseExisting(def, NULL);
}

/* Our definition after the define: parsed, completed as the qemu driver completes it,
 * formatted. NULL with *why set when we refuse it. */
static char *defineAndFormat(const char *xml, char **why)
{
    g_autoptr(vkDomainDef) def = vkDomainDefParseString(xml, VK_DOMAIN_DEF_PARSE_INACTIVE);

    if (!def || postParse(def) < 0) {
        virErrorPtr err = virGetLastError();

        *why = g_strdup(err && err->message ? err->message : "no error recorded");
        vkResetLastError();
        return NULL;
    }
    return vkDomainDefFormat(def, FORMAT_FLAGS);
}

/* Loads again and formats the same: what a define stores must be readable. */
static gboolean reloads(const char *out)
{
    g_autoptr(vkDomainDef) def = vkDomainDefParseString(out, VK_DOMAIN_DEF_PARSE_INACTIVE);
    g_autofree char *again = NULL;

    if (!def || postParse(def) < 0) {
        vkResetLastError();
        return FALSE;
    }
    again = vkDomainDefFormat(def, FORMAT_FLAGS);
    return g_str_equal(again, out);
}

/* libvirt's expected output for INPUT: NAME-inactive.SUFFIX.xml or NAME.SUFFIX.xml, with the
 * latest capabilities (SUFFIX x86_64-latest) or without a suffix. NULL when there is none. */
static char *expectedOutput(const char *corpus, const char *input)
{
    static const char *const suffixes[] = { "-inactive.xml", ".xml", "-inactive.x86_64-latest.xml",
                                            ".x86_64-latest.xml" };
    g_autofree char *base = g_path_get_basename(input);

    base[strlen(base) - 4] = '\0';
    for (size_t i = 0; i < G_N_ELEMENTS(suffixes); i++) {
        g_autofree char *path =
            g_strconcat(corpus, "/tests/qemuxml2xmloutdata/", base, suffixes[i], NULL);
        char *text = NULL;

        if (g_file_get_contents(path, &text, NULL, NULL))
            return text;
    }
    return NULL;
}

/* The reason, less what varies from input to input: quoted values and line numbers. */
static char *reasonKey(const char *why)
{
    g_autoptr(GRegex) quoted = g_regex_new("'[^']*'", 0, 0, NULL);
    g_autoptr(GRegex) line = g_regex_new("line [0-9]+", 0, 0, NULL);
    g_autofree char *a = g_regex_replace_literal(quoted, why, -1, 0, "'…'", 0, NULL);

    return g_regex_replace_literal(line, a, -1, 0, "line N", 0, NULL);
}

static gint byCount(gconstpointer a, gconstpointer b, gpointer counts)
{
    guint ca = GPOINTER_TO_UINT(g_hash_table_lookup(counts, *(char **)a));
    guint cb = GPOINTER_TO_UINT(g_hash_table_lookup(counts, *(char **)b));

    return ca != cb ? (ca < cb ? 1 : -1) : strcmp(*(char **)a, *(char **)b);
}

int main(int argc, char **argv)
{
    g_autoptr(GHashTable) reasons = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    g_autoptr(GPtrArray) keys = g_ptr_array_new();
    g_autofree char *list = NULL;
    g_auto(GStrv) inputs = NULL;
    xmlRelaxNGParserCtxtPtr parser;
    xmlRelaxNGPtr schema;
    guint libvirt = 0, accepted = 0, valid = 0, reloaded = 0, expected = 0, matched = 0;
    double minAccept, minMatch;
    int test = 0, status = 0;

    if (argc != 6) {
        fprintf(stderr, "usage: %s CORPUS ACCEPTED SCHEMA MIN-ACCEPT%% MIN-MATCH%%\n", argv[0]);
        return 2;
    }
    minAccept = g_ascii_strtod(argv[4], NULL);
    minMatch = g_ascii_strtod(argv[5], NULL);
    if (!g_file_get_contents(argv[2], &list, NULL, NULL)) {
        printf("Bail out! cannot read %s\n", argv[2]);
        return 1;
    }
    xmlSetGenericErrorFunc(NULL, quietErrors);
    parser = xmlRelaxNGNewParserCtxt(argv[3]);
    if (!(schema = xmlRelaxNGParse(parser))) {
        printf("Bail out! cannot load %s\n", argv[3]);
        return 1;
    }
    xmlRelaxNGFreeParserCtxt(parser);
    validator = xmlRelaxNGNewValidCtxt(schema);
    xmlRelaxNGSetValidErrors(validator, quietErrors, quietErrors, NULL);

    inputs = g_strsplit(g_strstrip(list), "\n", -1);
    for (char **p = inputs; *p && **p; p++) {
        g_autofree char *xml = NULL;
        g_autofree char *why = NULL;
        g_autofree char *out = NULL;
        g_autofree char *want = NULL;

        libvirt++;
        if (!g_file_get_contents(*p, &xml, NULL, NULL)) {
            printf("Bail out! cannot read %s\n", *p);
            return 1;
        }
        want = expectedOutput(argv[1], *p);
        expected += want != NULL;
        if (!(out = defineAndFormat(xml, &why))) {
            g_autofree char *key = reasonKey(why);
            guint n = GPOINTER_TO_UINT(g_hash_table_lookup(reasons, key));

            printf("# refused %s: %s\n", *p, why);
            g_hash_table_insert(reasons, g_steal_pointer(&key), GUINT_TO_POINTER(n + 1));
            continue;
        }
        accepted++;
        if (schemaValid(out))
            valid++;
        else
            printf("# %s: output does not validate against the schema\n", *p);
        if (reloads(out))
            reloaded++;
        else
            printf("# %s: output does not load again to itself\n", *p);
        if (want && g_str_equal(want, out))
            matched++;
    }

    {
        GHashTableIter it;
        gpointer key;

        g_hash_table_iter_init(&it, reasons);
        while (g_hash_table_iter_next(&it, &key, NULL))
            g_ptr_array_add(keys, key);
    }
    g_ptr_array_sort_with_data(keys, byCount, reasons);
    printf("# why inputs libvirt accepts are refused (count, reason):\n");
    for (guint i = 0; i < keys->len; i++)
        printf("# %5u %s\n", GPOINTER_TO_UINT(g_hash_table_lookup(reasons, keys->pdata[i])),
               (char *)keys->pdata[i]);

    printf("1..4\n");
    printf("# inputs libvirt 9.0's parser accepts: %u; virtkit accepts %u (%.1f%%, at least "
           "%.1f%% wanted)\n",
           libvirt, accepted, libvirt ? 100.0 * accepted / libvirt : 0, minAccept);
    printf("%s %d - acceptance\n", accepted >= minAccept * libvirt / 100 ? "ok" : "not ok", ++test);
    printf("# outputs valid against domain.rng: %u of %u\n", valid, accepted);
    printf("%s %d - schema\n", valid == accepted ? "ok" : "not ok", ++test);
    printf("# outputs that load again to themselves: %u of %u\n", reloaded, accepted);
    printf("%s %d - reload\n", reloaded == accepted ? "ok" : "not ok", ++test);
    printf("# libvirt's expected outputs (qemuxml2xmloutdata): %u; virtkit's is byte-identical "
           "for %u (%.1f%%, at least %.1f%% wanted)\n",
           expected, matched, expected ? 100.0 * matched / expected : 0, minMatch);
    printf("%s %d - byte-identical outputs\n",
           matched >= minMatch * expected / 100 ? "ok" : "not ok", ++test);
    status = accepted >= minAccept * libvirt / 100 && valid == accepted && reloaded == accepted &&
             matched >= minMatch * expected / 100;
    xmlRelaxNGFreeValidCtxt(validator);
    xmlRelaxNGFree(schema);
    return status ? 0 : 1;
}

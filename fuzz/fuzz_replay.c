/* Replays saved inputs through a fuzz target without libFuzzer, so that every crash ever
 * found stays a regression test. Usage: fuzz_replay FILE|DIR|PATTERN...; prints TAP. */
#include <glob.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <glib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int comparePaths(gconstpointer a, gconstpointer b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* A directory contributes its regular files, sorted and not recursively. */
static int collectDir(const char *dir, GPtrArray *out)
{
    g_autoptr(GError) err = NULL;
    g_autoptr(GDir) d = g_dir_open(dir, 0, &err);
    g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func(g_free);
    const char *name;

    if (!d) {
        fprintf(stderr, "fuzz_replay: %s\n", err->message);
        return -1;
    }
    while ((name = g_dir_read_name(d))) {
        g_autofree char *path = g_build_filename(dir, name, NULL);

        if (g_file_test(path, G_FILE_TEST_IS_REGULAR))
            g_ptr_array_add(names, g_steal_pointer(&path));
    }
    g_ptr_array_sort(names, comparePaths);
    g_ptr_array_extend_and_steal(out, g_steal_pointer(&names));
    return 0;
}

/* A shell-style pattern (meson cannot glob, so the tests pass patterns for the corpora)
 * contributes its sorted regular-file matches; matching nothing is not an error by itself. */
static void collectPattern(const char *pattern, GPtrArray *out)
{
    glob_t g = { 0 };

    if (glob(pattern, 0, NULL, &g) == 0) {
        for (size_t i = 0; i < g.gl_pathc; i++) {
            if (g_file_test(g.gl_pathv[i], G_FILE_TEST_IS_REGULAR))
                g_ptr_array_add(out, g_strdup(g.gl_pathv[i]));
        }
    }
    globfree(&g);
}

static int replay(guint num, const char *path)
{
    g_autoptr(GError) err = NULL;
    g_autofree char *data = NULL;
    gsize len = 0;

    if (!g_file_get_contents(path, &data, &len, &err)) {
        printf("not ok %u - %s\n", num, err->message);
        return -1;
    }
    /* Flush first: if the target aborts, the log shows which input did it. */
    printf("# replaying %s\n", path);
    fflush(stdout);
    LLVMFuzzerTestOneInput((const uint8_t *)data, len);
    printf("ok %u - %s\n", num, path);
    return 0;
}

int main(int argc, char **argv)
{
    g_autoptr(GPtrArray) inputs = g_ptr_array_new_with_free_func(g_free);
    int status = 0;

    for (int i = 1; i < argc; i++) {
        if (strpbrk(argv[i], "*?[")) {
            collectPattern(argv[i], inputs);
        } else if (g_file_test(argv[i], G_FILE_TEST_IS_DIR)) {
            if (collectDir(argv[i], inputs) < 0)
                status = 1;
        } else {
            g_ptr_array_add(inputs, g_strdup(argv[i]));
        }
    }
    if (inputs->len == 0) {
        printf("1..1\nnot ok 1 - no inputs to replay\n");
        return 1;
    }

    printf("1..%u\n", inputs->len);
    for (guint i = 0; i < inputs->len; i++) {
        if (replay(i + 1, g_ptr_array_index(inputs, i)) < 0)
            status = 1;
    }
    return status;
}

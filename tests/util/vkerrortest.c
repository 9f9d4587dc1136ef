/* Tests for vkerror's helpers for messages a user reads: GLib's typographic quotes made plain
 * ASCII, and warnings printed once however often a process meets the same trouble. */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "testutil.h"

static void testGErrorQuotes(void)
{
    g_autoptr(GError) err =
        g_error_new(G_FILE_ERROR, G_FILE_ERROR_NOENT,
                    "Failed to open file \u201c/x\u201d: \u2018gone\u2019 for \u00e9t\u00e9");
    g_autoptr(GError) plain = g_error_new_literal(G_FILE_ERROR, G_FILE_ERROR_NOENT, "plain");

    g_assert_cmpstr(vkGErrorMessage(err), ==, "Failed to open file '/x': 'gone' for \u00e9t\u00e9");
    g_assert_cmpstr(vkGErrorMessage(plain), ==, "plain");
    g_assert_cmpstr(vkGErrorMessage(NULL), ==, "unknown error");
}

/* What vkErrorWarn prints for the calls FN makes, captured from stderr. */
static char *captureStderr(void (*fn)(void))
{
    char path[] = "/tmp/vkerrortest-XXXXXX";
    int fd = g_mkstemp(path);
    int saved = dup(STDERR_FILENO);
    char *out = NULL;

    g_assert_cmpint(fd, >=, 0);
    fflush(stderr);
    g_assert_cmpint(dup2(fd, STDERR_FILENO), ==, STDERR_FILENO);
    fn();
    fflush(stderr);
    g_assert_cmpint(dup2(saved, STDERR_FILENO), ==, STDERR_FILENO);
    close(saved);
    close(fd);
    g_assert_true(g_file_get_contents(path, &out, NULL, NULL));
    unlink(path);
    return out;
}

static void warnTwiceEach(void)
{
    for (int i = 0; i < 2; i++) {
        vkReportError(VIR_FROM_QEMU, VIR_ERR_INTERNAL_ERROR, "cannot load '%s'", "a.xml");
        vkErrorWarn("corrupt domain status ignored");
        vkReportError(VIR_FROM_QEMU, VIR_ERR_INTERNAL_ERROR, "cannot load '%s'", "b.xml");
        vkErrorWarn("corrupt domain status ignored");
    }
}

static void testWarnOnce(void)
{
    g_autofree char *out = captureStderr(warnTwiceEach);

    g_assert_cmpstr(out, ==,
                    "virtkit: warning: corrupt domain status ignored: internal error: cannot load "
                    "'a.xml'\n"
                    "virtkit: warning: corrupt domain status ignored: internal error: cannot load "
                    "'b.xml'\n");
    g_assert_null(virGetLastError());
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/error/gerror-quotes", testGErrorQuotes);
    g_test_add_func("/error/warn-once", testWarnOnce);
    return g_test_run();
}

/* Tests for vkpaths: what a qemu:/// URI may name as a root. A control character in the root
 * is refused (it would reach helpers' line-based configuration), and, as root, so are
 * directories another user owns. */
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "testutil.h"
#include "util/vkpaths.h"

static void testControlCharacters(void)
{
    const char *bad[] = { "qemu:///embed?root=/tmp/a%0ab", "qemu:///embed?root=/tmp/a%0db",
                          "qemu:///embed?root=/tmp/a%09b", "qemu:///embed?root=/tmp/a%7fb" };

    for (size_t i = 0; i < G_N_ELEMENTS(bad); i++) {
        g_assert_null(vkDriverPathsNewFromString(bad[i], "network", VIR_FROM_NETWORK));
        assertLastError(VIR_ERR_INVALID_ARG, "contains a control character");
    }
    g_assert_null(
        vkDriverPathsNewFromString("qemu:///embed?root=/tmp/a%0ab", "qemu", VIR_FROM_QEMU));
    assertLastError(VIR_ERR_INVALID_ARG, "root directory '/tmp/a\\nb' contains");
}

static void testSessionControlCharacters(void)
{
    g_autofree char *saved = g_strdup(g_getenv("XDG_DATA_HOME"));

    g_setenv("XDG_DATA_HOME", "/tmp/x\ny", TRUE);
    g_assert_null(vkDriverPathsNewFromString("qemu:///session", "qemu", VIR_FROM_QEMU));
    assertLastError(VIR_ERR_INVALID_ARG, "contains a control character");
    if (saved)
        g_setenv("XDG_DATA_HOME", saved, TRUE);
    else
        g_unsetenv("XDG_DATA_HOME");
}

static void testForeignOwner(void)
{
    g_autofree char *root = g_dir_make_tmp("vkpathstest-XXXXXX", NULL);
    g_autofree char *uri = g_strdup_printf("qemu:///embed?root=%s", root);
    g_autofree char *etc = g_build_filename(root, "etc", NULL);
    g_autofree char *etcQemu = g_build_filename(root, "etc", "qemu", NULL);
    g_autofree char *run = g_build_filename(root, "run", NULL);
    g_autofree char *elsewhere = g_dir_make_tmp("vkpathstest-XXXXXX", NULL);
    vkDriverPaths *paths;

    if (geteuid() != 0) {
        g_test_skip("needs root");
        return;
    }
    g_assert_cmpint(g_mkdir_with_parents(etcQemu, 0700), ==, 0);
    paths = vkDriverPathsNewFromString(uri, "qemu", VIR_FROM_QEMU);
    g_assert_nonnull(paths);
    vkDriverPathsFree(paths);

    g_assert_cmpint(chown(etcQemu, 65534, 65534), ==, 0);
    g_assert_null(vkDriverPathsNewFromString(uri, "qemu", VIR_FROM_QEMU));
    assertLastError(VIR_ERR_OPERATION_DENIED, "is owned by uid 65534");
    /* The network driver's directories are not the qemu driver's. */
    paths = vkDriverPathsNewFromString(uri, "network", VIR_FROM_NETWORK);
    g_assert_nonnull(paths);
    vkDriverPathsFree(paths);
    g_assert_cmpint(chown(etcQemu, 0, 0), ==, 0);

    g_assert_cmpint(chown(root, 65534, 65534), ==, 0);
    g_assert_null(vkDriverPathsNewFromString(uri, "network", VIR_FROM_NETWORK));
    assertLastError(VIR_ERR_OPERATION_DENIED, root);
    g_assert_cmpint(chown(root, 0, 0), ==, 0);

    /* A link of root's to a directory of another user's is refused as well. */
    g_assert_cmpint(chown(elsewhere, 65534, 65534), ==, 0);
    g_assert_cmpint(symlink(elsewhere, run), ==, 0);
    g_assert_null(vkDriverPathsNewFromString(uri, "qemu", VIR_FROM_QEMU));
    assertLastError(VIR_ERR_OPERATION_DENIED, "is owned by uid 65534");

    g_assert_cmpint(unlink(run), ==, 0);
    g_assert_cmpint(rmdir(elsewhere), ==, 0);
    g_assert_cmpint(rmdir(etcQemu), ==, 0);
    g_assert_cmpint(rmdir(etc), ==, 0);
    g_assert_cmpint(rmdir(root), ==, 0);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/paths/control-characters", testControlCharacters);
    g_test_add_func("/paths/session-control-characters", testSessionControlCharacters);
    g_test_add_func("/paths/foreign-owner", testForeignOwner);
    return g_test_run();
}

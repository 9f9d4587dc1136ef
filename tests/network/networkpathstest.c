/* Unit tests of vkpaths: which directories a qemu:/// URI gives each driver, and the errors for
 * URIs that name none. */
#include <string.h>
#include <unistd.h>

#include "util/vkerror.h"
#include "util/vkpaths.h"

static vkDriverPaths *paths(const char *uri, const char *driver)
{
    return vkDriverPathsNewFromString(uri, driver, VIR_FROM_QEMU);
}

static void assertFails(const char *uri, int code, const char *needle)
{
    g_autoptr(vkDriverPaths) p = paths(uri, "network");
    virErrorPtr err = virGetLastError();

    g_assert_null(p);
    g_assert_nonnull(err);
    g_assert_cmpint(err->code, ==, code);
    g_assert_cmpint(err->domain, ==, VIR_FROM_QEMU);
    if (!strstr(err->message, needle))
        g_error("\"%s\" lacks \"%s\"", err->message, needle);
    vkResetLastError();
}

static void testEmbed(void)
{
    g_autoptr(vkDriverPaths) net = paths("qemu:///embed?root=/srv/vk", "network");
    g_autoptr(vkDriverPaths) qemu = paths("qemu:///embed?root=/srv/vk", "qemu");
    g_autoptr(vkDriverPaths) messy = paths("qemu:///embed?root=/srv//x/../vk/", "network");
    g_autoptr(vkDriverPaths) copy = NULL;

    g_assert_nonnull(net);
    g_assert_cmpint(net->mode, ==, VK_PATHS_EMBED);
    g_assert_cmpstr(net->root, ==, "/srv/vk");
    g_assert_cmpstr(net->etc, ==, "/srv/vk/etc/network");
    g_assert_cmpstr(net->run, ==, "/srv/vk/run/network");
    g_assert_cmpstr(net->lib, ==, "/srv/vk/lib/network");
    g_assert_cmpstr(net->log, ==, "/srv/vk/log/network");
    g_assert_cmpstr(net->cache, ==, "/srv/vk/cache/network");
    g_assert_cmpstr(qemu->etc, ==, "/srv/vk/etc/qemu");
    g_assert_cmpstr(qemu->run, ==, "/srv/vk/run/qemu");
    g_assert_cmpstr(messy->etc, ==, "/srv/vk/etc/network");

    copy = vkDriverPathsCopy(net);
    g_assert_cmpstr(copy->root, ==, net->root);
    g_assert_cmpstr(copy->cache, ==, net->cache);
    g_assert_true(copy->etc != net->etc);
}

static void testEmbedErrors(void)
{
    assertFails("qemu:///embed", VIR_ERR_INVALID_ARG, "Missing URI parameter 'root'");
    assertFails("qemu:///embed?other=1", VIR_ERR_INVALID_ARG, "Missing URI parameter 'root'");
    assertFails("qemu:///embed?root=relative/dir", VIR_ERR_CONFIG_UNSUPPORTED,
                "root path must be absolute");
    assertFails("qemu:///embed?root=", VIR_ERR_CONFIG_UNSUPPORTED, "root path must be absolute");
}

static void testSession(void)
{
    g_autofree char *oldXdg = g_strdup(g_getenv("XDG_DATA_HOME"));
    g_autofree char *oldHome = g_strdup(g_getenv("HOME"));
    g_autoptr(vkDriverPaths) xdg = NULL;
    g_autoptr(vkDriverPaths) home = NULL;
    g_autoptr(vkDriverPaths) relative = NULL;

    g_setenv("XDG_DATA_HOME", "/data/home", TRUE);
    xdg = paths("qemu:///session", "network");
    g_assert_cmpint(xdg->mode, ==, VK_PATHS_SESSION);
    g_assert_cmpstr(xdg->root, ==, "/data/home/virtkit");
    g_assert_cmpstr(xdg->etc, ==, "/data/home/virtkit/etc/network");

    /* Read at every open, not cached: a changed environment is seen. */
    g_unsetenv("XDG_DATA_HOME");
    g_setenv("HOME", "/home/someone", TRUE);
    home = paths("qemu:///session", "qemu");
    g_assert_cmpstr(home->root, ==, "/home/someone/.local/share/virtkit");
    g_assert_cmpstr(home->run, ==, "/home/someone/.local/share/virtkit/run/qemu");

    /* A relative XDG_DATA_HOME is invalid by the spec and ignored. */
    g_setenv("XDG_DATA_HOME", "data", TRUE);
    relative = paths("qemu:///session", "network");
    g_assert_cmpstr(relative->root, ==, "/home/someone/.local/share/virtkit");

    if (oldXdg)
        g_setenv("XDG_DATA_HOME", oldXdg, TRUE);
    else
        g_unsetenv("XDG_DATA_HOME");
    if (oldHome)
        g_setenv("HOME", oldHome, TRUE);
}

static void testSystem(void)
{
    g_autoptr(vkDriverPaths) sys = NULL;

    if (geteuid() != 0) {
        assertFails("qemu:///system", VIR_ERR_OPERATION_DENIED,
                    "qemu:///system needs root privileges; use qemu:///session");
        return;
    }
    sys = paths("qemu:///system", "network");
    g_assert_cmpint(sys->mode, ==, VK_PATHS_SYSTEM);
    g_assert_null(sys->root);
    g_assert_cmpstr(sys->etc, ==, "/etc/virtkit/network");
    g_assert_cmpstr(sys->run, ==, "/run/virtkit/network");
    g_assert_cmpstr(sys->lib, ==, "/var/lib/virtkit/network");
    g_assert_cmpstr(sys->log, ==, "/var/log/virtkit/network");
    g_assert_cmpstr(sys->cache, ==, "/var/cache/virtkit/network");
}

/* Dropping privileges for good needs a process of its own. */
static void testSystemUnprivileged(void)
{
    if (geteuid() != 0) {
        g_test_skip("covered by /paths/system when not root");
        return;
    }
    if (g_test_subprocess()) {
        g_assert_cmpint(setgid(65534), ==, 0);
        g_assert_cmpint(setuid(65534), ==, 0);
        assertFails("qemu:///system", VIR_ERR_OPERATION_DENIED,
                    "qemu:///system needs root privileges; use qemu:///session or "
                    "qemu:///embed?root=DIR");
        assertFails("qemu:///bogus", VIR_ERR_INTERNAL_ERROR,
                    "unexpected qemu URI path '/bogus', try qemu:///session");
        return;
    }
    g_test_trap_subprocess(NULL, 0, G_TEST_SUBPROCESS_INHERIT_STDERR);
    g_test_trap_assert_passed();
}

static void testUnknownPath(void)
{
    const char *expect = geteuid() == 0 ? "unexpected qemu URI path '/bogus', try qemu:///system"
                                        : "unexpected qemu URI path '/bogus', try qemu:///session";

    assertFails("qemu:///bogus", VIR_ERR_INTERNAL_ERROR, expect);
    assertFails("qemu://", VIR_ERR_INTERNAL_ERROR, "unexpected qemu URI path ''");
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/paths/embed", testEmbed);
    g_test_add_func("/paths/embed-errors", testEmbedErrors);
    g_test_add_func("/paths/session", testSession);
    g_test_add_func("/paths/system", testSystem);
    g_test_add_func("/paths/system-unprivileged", testSystemUnprivileged);
    g_test_add_func("/paths/unknown-path", testUnknownPath);
    return g_test_run();
}

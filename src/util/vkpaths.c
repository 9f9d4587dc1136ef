/* The root directory layout of the embedded drivers: from a qemu:/// URI to the etc, run, lib,
 * log and cache directories of one driver. */
#include "vkpaths.h"

#include <unistd.h>

#include "vkerror.h"

#define SYSTEM_NAME "virtkit"

static vkDriverPaths *pathsUnderRoot(vkPathsMode mode, const char *root, const char *driver)
{
    vkDriverPaths *paths = g_new0(vkDriverPaths, 1);

    paths->mode = mode;
    paths->root = g_strdup(root);
    paths->etc = g_build_filename(root, "etc", driver, NULL);
    paths->run = g_build_filename(root, "run", driver, NULL);
    paths->lib = g_build_filename(root, "lib", driver, NULL);
    paths->log = g_build_filename(root, "log", driver, NULL);
    paths->cache = g_build_filename(root, "cache", driver, NULL);
    return paths;
}

static vkDriverPaths *pathsSystem(const char *driver)
{
    vkDriverPaths *paths = g_new0(vkDriverPaths, 1);

    paths->mode = VK_PATHS_SYSTEM;
    paths->etc = g_build_filename("/etc", SYSTEM_NAME, driver, NULL);
    paths->run = g_build_filename("/run", SYSTEM_NAME, driver, NULL);
    paths->lib = g_build_filename("/var/lib", SYSTEM_NAME, driver, NULL);
    paths->log = g_build_filename("/var/log", SYSTEM_NAME, driver, NULL);
    paths->cache = g_build_filename("/var/cache", SYSTEM_NAME, driver, NULL);
    return paths;
}

static vkDriverPaths *openEmbed(GUri *uri, const char *driver, int errDomain)
{
    const char *query = g_uri_get_query(uri);
    g_autoptr(GHashTable) params = NULL;
    g_autoptr(GError) gerr = NULL;
    const char *root = NULL;
    g_autofree char *canonical = NULL;

    if (query && *query) {
        params = g_uri_parse_params(query, -1, "&", G_URI_PARAMS_NONE, &gerr);
        if (!params) {
            vkReportError(errDomain, VIR_ERR_INVALID_ARG,
                          "cannot parse the URI parameters '%s': %s", query, gerr->message);
            return NULL;
        }
        root = g_hash_table_lookup(params, "root");
    }
    if (!root) {
        vkReportError(errDomain, VIR_ERR_INVALID_ARG, "Missing URI parameter '%s'", "root");
        return NULL;
    }
    if (!g_path_is_absolute(root)) {
        vkReportError(errDomain, VIR_ERR_CONFIG_UNSUPPORTED, "%s", "root path must be absolute");
        return NULL;
    }
    /* "..", "." and doubled slashes would otherwise leak into every path we print. */
    canonical = g_canonicalize_filename(root, "/");
    return pathsUnderRoot(VK_PATHS_EMBED, canonical, driver);
}

/* $XDG_DATA_HOME/virtkit, or ~/.local/share/virtkit. Read from the environment on every call
 * (GLib's g_get_user_data_dir caches the first answer, which would pin a process to it). */
static char *sessionRoot(int errDomain)
{
    const char *xdg = g_getenv("XDG_DATA_HOME");
    const char *home = g_getenv("HOME");

    /* The XDG spec says a relative value is invalid and must be ignored. */
    if (xdg && g_path_is_absolute(xdg))
        return g_build_filename(xdg, SYSTEM_NAME, NULL);
    if (!home || !g_path_is_absolute(home))
        home = g_get_home_dir();
    if (!home || !g_path_is_absolute(home)) {
        vkReportError(errDomain, VIR_ERR_INTERNAL_ERROR, "%s",
                      "cannot find the session directory: neither XDG_DATA_HOME nor HOME is set");
        return NULL;
    }
    return g_build_filename(home, ".local", "share", SYSTEM_NAME, NULL);
}

vkDriverPaths *vkDriverPathsNew(GUri *uri, const char *driver, int errDomain)
{
    const char *scheme = g_uri_get_scheme(uri);
    const char *path = g_uri_get_path(uri);

    if (g_str_equal(path, "/embed"))
        return openEmbed(uri, driver, errDomain);

    if (g_str_equal(path, "/session")) {
        g_autofree char *root = sessionRoot(errDomain);
        return root ? pathsUnderRoot(VK_PATHS_SESSION, root, driver) : NULL;
    }

    if (g_str_equal(path, "/system")) {
        if (geteuid() != 0) {
            vkReportError(errDomain, VIR_ERR_OPERATION_DENIED,
                          "%s:///system needs root privileges; use %s:///session or "
                          "%s:///embed?root=DIR",
                          scheme, scheme, scheme);
            return NULL;
        }
        return pathsSystem(driver);
    }

    vkReportError(errDomain, VIR_ERR_INTERNAL_ERROR, "unexpected %s URI path '%s', try %s:///%s",
                  scheme, path, scheme, geteuid() == 0 ? "system" : "session");
    return NULL;
}

vkDriverPaths *vkDriverPathsNewFromString(const char *uri, const char *driver, int errDomain)
{
    g_autoptr(GError) gerr = NULL;
    g_autoptr(GUri) parsed = g_uri_parse(uri, G_URI_FLAGS_NONE, &gerr);

    if (!parsed) {
        vkReportError(errDomain, VIR_ERR_INVALID_ARG, "cannot parse URI '%s': %s", uri,
                      gerr->message);
        return NULL;
    }
    return vkDriverPathsNew(parsed, driver, errDomain);
}

vkDriverPaths *vkDriverPathsCopy(const vkDriverPaths *paths)
{
    vkDriverPaths *copy = g_new0(vkDriverPaths, 1);

    copy->mode = paths->mode;
    copy->root = g_strdup(paths->root);
    copy->etc = g_strdup(paths->etc);
    copy->run = g_strdup(paths->run);
    copy->lib = g_strdup(paths->lib);
    copy->log = g_strdup(paths->log);
    copy->cache = g_strdup(paths->cache);
    return copy;
}

void vkDriverPathsFree(vkDriverPaths *paths)
{
    if (!paths)
        return;
    g_free(paths->root);
    g_free(paths->etc);
    g_free(paths->run);
    g_free(paths->lib);
    g_free(paths->log);
    g_free(paths->cache);
    g_free(paths);
}

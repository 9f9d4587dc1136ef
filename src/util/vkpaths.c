/* The root directory layout of the embedded drivers: from a qemu:/// URI to the etc, run, lib,
 * log and cache directories of one driver. */
#include "vkpaths.h"

#include <sys/stat.h>
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

/* Paths end up in helpers' line-based configuration files (dnsmasq's pid-file=...): a newline
 * in the root, "%0a" in a URI, would add lines of the URI author's choosing. */
static int checkRootChars(const char *root, int errDomain)
{
    g_autofree char *shown = NULL;

    for (const char *p = root; *p; p++) {
        if ((unsigned char)*p < 0x20 || *p == 0x7f) {
            shown = g_strescape(root, NULL);
            vkReportError(errDomain, VIR_ERR_INVALID_ARG,
                          "root directory '%s' contains a control character", shown);
            return -1;
        }
    }
    return 0;
}

/* Running as root on directories another user owns would let that user redirect every write
 * with a symbolic link. A missing directory is fine: it is created, owned by root. */
static int checkOwner(const char *dir, int errDomain)
{
    struct stat st;

    if (lstat(dir, &st) < 0)
        return 0;
    /* A link must be root's, and so must be what it leads to. */
    if (st.st_uid == 0 && S_ISLNK(st.st_mode) && stat(dir, &st) < 0)
        return 0;
    if (st.st_uid == 0)
        return 0;
    vkReportError(errDomain, VIR_ERR_OPERATION_DENIED,
                  "directory '%s' is owned by uid %u: running as root, virtkit keeps its state "
                  "only in directories owned by root",
                  dir, (unsigned int)st.st_uid);
    return -1;
}

static int checkOwners(const vkDriverPaths *paths, int errDomain)
{
    const char *dirs[] = { paths->etc, paths->run, paths->lib, paths->log, paths->cache };

    if (geteuid() != 0)
        return 0;
    if (paths->root && checkOwner(paths->root, errDomain) < 0)
        return -1;
    /* ROOT/etc and ROOT/etc/qemu, /etc/virtkit and /etc/virtkit/qemu, ... */
    for (size_t i = 0; i < G_N_ELEMENTS(dirs); i++) {
        g_autofree char *parent = g_path_get_dirname(dirs[i]);

        if (checkOwner(parent, errDomain) < 0 || checkOwner(dirs[i], errDomain) < 0)
            return -1;
    }
    return 0;
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
                          "cannot parse the URI parameters '%s': %s", query, vkGErrorMessage(gerr));
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
    if (checkRootChars(root, errDomain) < 0)
        return NULL;
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

static vkDriverPaths *pathsFor(GUri *uri, const char *driver, int errDomain)
{
    const char *scheme = g_uri_get_scheme(uri);
    const char *path = g_uri_get_path(uri);

    if (g_str_equal(path, "/embed"))
        return openEmbed(uri, driver, errDomain);

    if (g_str_equal(path, "/session")) {
        g_autofree char *root = sessionRoot(errDomain);

        if (!root || checkRootChars(root, errDomain) < 0)
            return NULL;
        return pathsUnderRoot(VK_PATHS_SESSION, root, driver);
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

vkDriverPaths *vkDriverPathsNew(GUri *uri, const char *driver, int errDomain)
{
    g_autoptr(vkDriverPaths) paths = pathsFor(uri, driver, errDomain);

    if (!paths || checkOwners(paths, errDomain) < 0)
        return NULL;
    return g_steal_pointer(&paths);
}

vkDriverPaths *vkDriverPathsNewFromString(const char *uri, const char *driver, int errDomain)
{
    g_autoptr(GError) gerr = NULL;
    g_autoptr(GUri) parsed = g_uri_parse(uri, G_URI_FLAGS_NONE, &gerr);

    if (!parsed) {
        vkReportError(errDomain, VIR_ERR_INVALID_ARG, "cannot parse URI '%s': %s", uri,
                      vkGErrorMessage(gerr));
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

/* inotify on a driver's config and run directories, read into per-name changes. */
#include "vkdirwatch.h"

#include <errno.h>
#include <string.h>
#include <sys/inotify.h>
#include <unistd.h>

#include "vkerror.h"
#include "vkfile.h"

#define WATCH_MASK (IN_CREATE | IN_CLOSE_WRITE | IN_MOVED_TO | IN_MOVED_FROM | IN_DELETE)

struct _vkDirWatch {
    int fd;
    int etcWd;
    int runWd;
    GStrv runSuffixes;
};

static int addWatch(vkDirWatch *dw, const char *dir, int mode, int errDomain, int *wd)
{
    if (vkFileMakePath(dir, mode) < 0)
        return -1;
    if ((*wd = inotify_add_watch(dw->fd, dir, WATCH_MASK)) < 0) {
        vkReportSystemError(errDomain, errno, "cannot watch directory '%s'", dir);
        return -1;
    }
    return 0;
}

vkDirWatch *vkDirWatchNew(const char *etcDir, const char *runDir, const char *const *runSuffixes,
                          int mode, int errDomain)
{
    g_autoptr(vkDirWatch) dw = g_new0(vkDirWatch, 1);

    dw->runSuffixes = g_strdupv((char **)runSuffixes);
    if ((dw->fd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC)) < 0) {
        vkReportSystemError(errDomain, errno, "%s", "cannot initialize inotify");
        return NULL;
    }
    if (addWatch(dw, etcDir, mode, errDomain, &dw->etcWd) < 0 ||
        addWatch(dw, runDir, mode, errDomain, &dw->runWd) < 0)
        return NULL;
    return g_steal_pointer(&dw);
}

void vkDirWatchFree(vkDirWatch *dw)
{
    if (!dw)
        return;
    if (dw->fd >= 0)
        close(dw->fd);
    g_strfreev(dw->runSuffixes);
    g_free(dw);
}

int vkDirWatchFd(const vkDirWatch *dw)
{
    return dw->fd;
}

static void changeFree(gpointer data)
{
    vkDirChange *c = data;

    g_free(c->name);
    g_free(c);
}

/* The object a file of the run directory belongs to, or NULL for files that do not matter. */
static char *runObject(const vkDirWatch *dw, const char *file)
{
    for (char **s = dw->runSuffixes; *s; s++) {
        if (g_str_has_suffix(file, *s) && strlen(file) > strlen(*s))
            return g_strndup(file, strlen(file) - strlen(*s));
    }
    return NULL;
}

static char *configObject(const char *file)
{
    if (!g_str_has_suffix(file, ".xml") || strlen(file) <= 4)
        return NULL;
    return g_strndup(file, strlen(file) - 4);
}

static void note(GPtrArray *changes, GHashTable *index, char *name, unsigned int set, gboolean gone)
{
    vkDirChange *c = g_hash_table_lookup(index, name);

    if (!c) {
        c = g_new0(vkDirChange, 1);
        c->name = name;
        g_ptr_array_add(changes, c);
        g_hash_table_insert(index, c->name, c);
    } else {
        g_free(name);
    }
    if (set & VK_DIRWATCH_CONFIG_WRITTEN)
        c->flags &= ~VK_DIRWATCH_CONFIG_GONE;
    if (gone && (c->flags & VK_DIRWATCH_CONFIG_WRITTEN))
        set |= VK_DIRWATCH_CONFIG_GONE;
    c->flags |= set;
}

GPtrArray *vkDirWatchRead(vkDirWatch *dw, gboolean *overflow)
{
    GPtrArray *changes = g_ptr_array_new_with_free_func(changeFree);
    g_autoptr(GHashTable) index = g_hash_table_new(g_str_hash, g_str_equal);
    char buf[8192] __attribute__((aligned(__alignof__(struct inotify_event))));
    ssize_t n;

    *overflow = FALSE;
    while ((n = read(dw->fd, buf, sizeof(buf))) > 0) {
        for (char *p = buf; p < buf + n;) {
            const struct inotify_event *ev = (const struct inotify_event *)p;
            char *name;

            p += sizeof(*ev) + ev->len;
            if (ev->mask & IN_Q_OVERFLOW)
                *overflow = TRUE;
            if (!ev->len)
                continue;
            if (ev->wd == dw->etcWd && (name = configObject(ev->name))) {
                gboolean written = (ev->mask & (IN_MOVED_TO | IN_CLOSE_WRITE)) != 0;
                gboolean gone = (ev->mask & (IN_DELETE | IN_MOVED_FROM)) != 0;

                note(changes, index, name,
                     written ? VK_DIRWATCH_CONFIG_WRITTEN : VK_DIRWATCH_CHANGED, gone);
            } else if (ev->wd == dw->runWd && (name = runObject(dw, ev->name))) {
                note(changes, index, name, VK_DIRWATCH_CHANGED, FALSE);
            }
        }
    }
    return changes;
}

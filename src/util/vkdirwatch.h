/* What changed in a driver's two directories, for watchers that turn changes into events:
 * inotify on a config directory (NAME.xml) and a run directory (NAME.SUFFIX for the suffixes
 * asked for), read into one change per object name, in the order the names first changed. */
#pragma once

#include <glib.h>

enum {
    VK_DIRWATCH_CHANGED = 1 << 0,        /* a run file changed (or a config went) */
    VK_DIRWATCH_CONFIG_WRITTEN = 1 << 1, /* the config was (re)written */
    VK_DIRWATCH_CONFIG_GONE = 1 << 2,    /* ... and removed after that */
};

typedef struct {
    char *name;
    unsigned int flags;
} vkDirChange;

typedef struct _vkDirWatch vkDirWatch;

/* Watches ETCDIR and RUNDIR (created with MODE if missing); RUNSUFFIXES (".xml", ...) name the
 * run files that matter. Reports with ERRDOMAIN and returns NULL on failure. */
vkDirWatch *vkDirWatchNew(const char *etcDir, const char *runDir, const char *const *runSuffixes,
                          int mode, int errDomain);
void vkDirWatchFree(vkDirWatch *dw);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(vkDirWatch, vkDirWatchFree)

/* The descriptor to wait on (readable when changes are queued); owned by DW. */
int vkDirWatchFd(const vkDirWatch *dw);

/* Everything queued now, as vkDirChange items; *OVERFLOW is set when the kernel dropped some,
 * and every object must be looked at again. */
GPtrArray *vkDirWatchRead(vkDirWatch *dw, gboolean *overflow);

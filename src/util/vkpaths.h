/* Where an embedded driver keeps its state: the directories a qemu:/// URI (embed, session or
 * system) assigns to each driver ('qemu', 'network'), following ARCHITECTURE.md's layout. */
#pragma once

#include <glib.h>

typedef enum {
    VK_PATHS_EMBED,   /* qemu:///embed?root=DIR */
    VK_PATHS_SESSION, /* qemu:///session: the user's data directory as the root */
    VK_PATHS_SYSTEM,  /* qemu:///system: the host's /etc, /run and /var, root only */
} vkPathsMode;

typedef struct {
    vkPathsMode mode;
    char *root;  /* the root directory; NULL for the system instance */
    char *etc;   /* persistent configs: ROOT/etc/DRIVER */
    char *run;   /* live status, sockets, pid files and locks: ROOT/run/DRIVER */
    char *lib;   /* state kept across reboots: ROOT/lib/DRIVER */
    char *log;   /* ROOT/log/DRIVER */
    char *cache; /* ROOT/cache/DRIVER */
} vkDriverPaths;

/* The directories of DRIVER for a qemu:/// URI. Nothing is created: this computes names and,
 * when running as root, makes sure that none of the existing ones (the root, each directory
 * and its parent) belongs to another user. Errors (reported with ERRDOMAIN): an unknown path,
 * embed without an absolute root, a root with a control character in it, system without root
 * privileges, session without a home directory, a directory owned by another user. */
vkDriverPaths *vkDriverPathsNew(GUri *uri, const char *driver, int errDomain);
/* The same for a URI in text form. */
vkDriverPaths *vkDriverPathsNewFromString(const char *uri, const char *driver, int errDomain);

vkDriverPaths *vkDriverPathsCopy(const vkDriverPaths *paths);
void vkDriverPathsFree(vkDriverPaths *paths);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(vkDriverPaths, vkDriverPathsFree)

/* Host file helpers for driver state on disk: atomic whole-file writes, reads, directories,
 * per-object lock files and the symlinks that mark objects for autostart. */
#pragma once

#include <sys/types.h>
#include <glib.h>

/* Replaces PATH with LEN bytes of DATA (LEN -1: DATA is NUL-terminated) so that a reader
 * sees either the old or the new content, never a mix, even after a crash: the bytes go to a
 * temporary file in the same directory, which is synced and renamed over PATH, and then the
 * directory is synced. MODE is the new file's permission, subject to the umask. If anything
 * fails before the rename, PATH keeps its old content and the temporary file is gone. */
int vkFileWriteAtomic(const char *path, const char *data, gssize len, mode_t mode);

/* The same for state that lives no longer than the host is up (status, pid and reason files,
 * reservations under ROOT/run): replaced atomically, so a reader or a killed writer never sees
 * a mix, but not synced to disk. After a power loss the processes it describes are gone
 * anyway, and the syncs would cost every guest start several milliseconds. */
int vkFileWriteRunState(const char *path, const char *data, gssize len, mode_t mode);

/* Reads the whole file; *DATA is NUL-terminated and LEN, if not NULL, excludes the NUL. PATH
 * must be a regular file and not a symbolic link: this reads the drivers' own state, and a
 * link planted in a state directory would make us read (and quote in errors) any file. */
int vkFileReadAll(const char *path, char **data, gsize *len);

/* Like vkFileReadAll, but a missing file is not an error: returns 0 with *DATA NULL. */
int vkFileReadIfExists(const char *path, char **data, gsize *len);

/* Like vkFileReadIfExists, but follows a symbolic link: for configuration an administrator
 * writes (qemu.conf), which may well be a link into a configuration management tree. */
int vkFileReadConfigIfExists(const char *path, char **data, gsize *len);

/* The names NAME of the regular files and symlinks DIR/NAME.SUFFIX in any of the
 * NULL-terminated DIRS, each once, sorted: what a lookup by NAME would try to read (and a
 * reader refuses a symlink, so list and lookup agree). A missing directory has none; one that
 * cannot be read has none either, and is warned about on stderr with its path. On the way, it
 * removes what writers killed in the middle of an atomic write left in DIRS: temporary files
 * (FILE.XXXXXXXX) older than a minute. */
GStrv vkFileListNames(const char *const *dirs, const char *suffix);
/* The same, warning about DIRS as holding KIND objects ("domain"); *READABLE says whether every
 * directory that exists could be read, so that a listing that missed one is not taken whole. */
GStrv vkFileListNamesOf(const char *const *dirs, const char *suffix, const char *kind,
                        gboolean *readable);

/* Every object named by vkFileListNames(DIRS, SUFFIX), read by READ (1: *OBJ set; 0: there is
 * none after all; -1: reported), in name order. An object that cannot be read is warned about
 * on stderr as a KIND ("domain", "network") and skipped, so one bad file never hides the
 * others. The array frees its objects with FREEOBJ. */
typedef int (*vkFileObjectReader)(void *opaque, const char *name, void **obj);
GPtrArray *vkFileReadObjects(const char *const *dirs, const char *suffix, vkFileObjectReader read,
                             void *opaque, GDestroyNotify freeObj, const char *kind);

/* Opens PATH (open(2)'s FLAGS and MODE; close-on-exec) for state a driver keeps: it must be a
 * regular file, and a symbolic link is refused rather than followed, since whoever planted it
 * would have us create, append to or lock a file of their choosing. WHAT starts the error
 * ("cannot open log file"). Returns the descriptor, or -1 reported. */
int vkFileOpenState(const char *path, int flags, mode_t mode, const char *what);

/* Writes all LEN bytes of DATA to FD, retrying short writes; -1 with errno set. */
int vkFileWriteFd(int fd, const char *data, size_t len);

/* mkdir -p: creates PATH and missing parents with MODE; an existing directory is fine. */
int vkFileMakePath(const char *path, mode_t mode);

/* Unlinks PATH; a PATH that does not exist counts as removed. */
int vkFileRemoveIfExists(const char *path);

/* Makes LINKPATH a symlink to TARGET, replacing whatever LINKPATH was; a link already
 * pointing at TARGET is left alone. */
int vkFileSymlinkCreate(const char *target, const char *linkpath);

/* Reports and returns -1 when PATH is a symbolic link (a missing PATH is fine): for files a
 * helper such as dnsmasq opens itself, with our privileges, following links. */
int vkFileRefuseSymlink(const char *path);

/* Removes the symlink LINKPATH if there is one; refuses to remove anything else. */
int vkFileSymlinkRemove(const char *linkpath);

/* The autostart mark of object NAME, whose config is ../NAME.xml seen from AUTOSTARTDIR: the
 * symlink AUTOSTARTDIR/NAME.xml, relative so that it survives moving the whole root. */
int vkFileAutostartSet(const char *autostartDir, const char *name, gboolean on);
gboolean vkFileAutostartGet(const char *autostartDir, const char *name);
/* The names of all autostart marks in AUTOSTARTDIR, sorted; none when it does not exist. */
GStrv vkFileAutostartList(const char *autostartDir);

/* An exclusive lock on DIR/NAME.lock (never through a symbolic link), held until
 * vkFileLockRelease. It is an open file
 * description lock (fcntl F_OFD_SETLK), so it conflicts between processes and also between
 * two acquisitions in one process, and the kernel drops it when the holder exits or is
 * killed: nothing stale survives a crash.
 *
 * A caller that may not write the lock file (a read-only filesystem, no permission) gets a
 * shared lock on it instead, if it exists: that still waits for and excludes every exclusive
 * holder, and the caller cannot change the state the lock guards anyway.
 *
 * The lock file is created on first use and never deleted. Deleting it would let a waiter
 * lock the old, unlinked inode while a newcomer locks a fresh file of the same name, and both
 * would believe they hold the lock.
 *
 * The descriptor is close-on-exec; a child forked without exec shares the lock until it
 * exits or closes the descriptor. */
typedef struct _vkFileLock vkFileLock;

/* Blocks until the lock is ours. DIR must exist. */
vkFileLock *vkFileLockAcquire(const char *dir, const char *name);

/* Does not block: returns 0 with *LOCK set when acquired, 1 with *LOCK NULL when someone
 * else holds it (nothing is reported), -1 on error. */
int vkFileLockTryAcquire(const char *dir, const char *name, vkFileLock **lock);

void vkFileLockRelease(vkFileLock *lock);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(vkFileLock, vkFileLockRelease)

/* Host file helpers: atomic writes, reads, mkdir -p, lock files and autostart symlinks. */
#include "vkfile.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "vkerror.h"

struct _vkFileLock {
    int fd;
};

/* The rename is only durable once the directory entry itself reaches the disk. */
static int syncDirectory(const char *dir)
{
    int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

    if (fd < 0) {
        vkReportSystemError(VIR_FROM_NONE, errno, "cannot open directory '%s'", dir);
        return -1;
    }
    if (fsync(fd) < 0) {
        int err = errno;
        close(fd);
        vkReportSystemError(VIR_FROM_NONE, err, "cannot sync directory '%s'", dir);
        return -1;
    }
    close(fd);
    return 0;
}

int vkFileWriteFd(int fd, const char *data, size_t len)
{
    while (len > 0) {
        ssize_t n = write(fd, data, len);

        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            return -1;
        data += n;
        len -= n;
    }
    return 0;
}

/* Gives the unnamed file FD the name PATH: linked under a fresh temporary name, then renamed
 * over PATH. Returns 0, or an errno value. */
static int nameUnnamed(int fd, const char *path)
{
    g_autofree char *procPath = g_strdup_printf("/proc/self/fd/%d", fd);

    for (int attempt = 0; attempt < 100; attempt++) {
        g_autofree char *tmp = g_strdup_printf("%s.%08x", path, g_random_int());
        int err;

        if (linkat(AT_FDCWD, procPath, AT_FDCWD, tmp, AT_SYMLINK_FOLLOW) < 0) {
            if (errno == EEXIST)
                continue;
            return errno;
        }
        if (rename(tmp, path) == 0)
            return 0;
        err = errno;
        unlink(tmp);
        return err;
    }
    return EEXIST;
}

/* The content is written to an unnamed file (O_TMPFILE) that gets a name only for the instant
 * before the rename: a process killed while writing leaves no half-written file behind. 1:
 * done; 0: the filesystem has no O_TMPFILE (nothing reported); -1: reported. */
static int writeUnnamed(const char *path, const char *dir, const char *data, size_t len,
                        mode_t mode, gboolean durable)
{
    int fd = open(dir, O_TMPFILE | O_WRONLY | O_CLOEXEC, mode);
    int err = 0;

    if (fd < 0 && (errno == EOPNOTSUPP || errno == EISDIR || errno == EINVAL))
        return 0;
    if (fd < 0)
        err = errno;
    else if (vkFileWriteFd(fd, data, len) < 0 || (durable && fsync(fd) < 0))
        err = errno;
    else
        err = nameUnnamed(fd, path);
    if (fd >= 0)
        close(fd);
    if (err) {
        vkReportSystemError(VIR_FROM_NONE, err, "cannot write file '%s'", path);
        return -1;
    }
    return 1;
}

static int writeAtomic(const char *path, const char *data, gssize len, mode_t mode,
                       gboolean durable)
{
    g_autoptr(GError) gerr = NULL;
    g_autofree char *dir = g_path_get_dirname(path);
    size_t size = len < 0 ? strlen(data) : (size_t)len;
    int rc = writeUnnamed(path, dir, data, size, mode, durable);

    if (rc < 0)
        return -1;
    /* Without O_TMPFILE, GLib writes a named temporary file beside PATH, (fsyncs) and renames
     * it, and unlinks it on failure. Either way the directory is ours to sync. */
    if (rc == 0 && !g_file_set_contents_full(path, data, len,
                                             G_FILE_SET_CONTENTS_CONSISTENT |
                                                 (durable ? G_FILE_SET_CONTENTS_DURABLE : 0),
                                             (int)mode, &gerr)) {
        vkReportError(VIR_FROM_NONE, VIR_ERR_SYSTEM_ERROR, "cannot write file '%s': %s", path,
                      vkGErrorMessage(gerr));
        return -1;
    }
    return durable ? syncDirectory(dir) : 0;
}

int vkFileWriteAtomic(const char *path, const char *data, gssize len, mode_t mode)
{
    return writeAtomic(path, data, len, mode, TRUE);
}

int vkFileWriteRunState(const char *path, const char *data, gssize len, mode_t mode)
{
    return writeAtomic(path, data, len, mode, FALSE);
}

/* What failed for PATH, in a way an administrator can act on: O_NOFOLLOW fails with ELOOP
 * exactly when PATH itself is a symbolic link. */
static void reportOpen(int err, const char *what, const char *path)
{
    if (err == ELOOP)
        vkReportError(VIR_FROM_NONE, VIR_ERR_SYSTEM_ERROR,
                      "%s '%s': it is a symbolic link, which is refused here", what, path);
    else
        vkReportSystemError(VIR_FROM_NONE, err, "%s '%s'", what, path);
}

/* Opens a regular file; -2 (nothing reported) when it is missing and MISSINGOK. */
static int openRegular(const char *path, int flags, mode_t mode, gboolean follow,
                       gboolean missingOk, const char *what)
{
    struct stat st;
    int fd;

    /* O_NONBLOCK: opening a fifo someone put there must not hang us; it is refused below. */
    fd = open(path, flags | O_CLOEXEC | O_NONBLOCK | (follow ? 0 : O_NOFOLLOW), mode);
    if (fd < 0) {
        if (missingOk && errno == ENOENT)
            return -2;
        reportOpen(errno, what, path);
        return -1;
    }
    if (fstat(fd, &st) < 0) {
        int err = errno;

        close(fd);
        vkReportSystemError(VIR_FROM_NONE, err, "%s '%s'", what, path);
        return -1;
    }
    if (!S_ISREG(st.st_mode)) {
        close(fd);
        vkReportError(VIR_FROM_NONE, VIR_ERR_SYSTEM_ERROR, "%s '%s': not a regular file", what,
                      path);
        return -1;
    }
    /* The descriptor may become a child's output: blocking again, as a child expects. */
    if (fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK) < 0) {
        int err = errno;

        close(fd);
        vkReportSystemError(VIR_FROM_NONE, err, "%s '%s'", what, path);
        return -1;
    }
    return fd;
}

int vkFileOpenState(const char *path, int flags, mode_t mode, const char *what)
{
    return openRegular(path, flags, mode, FALSE, FALSE, what);
}

static int readFile(const char *path, gboolean missingOk, gboolean follow, char **data, gsize *len)
{
    g_autoptr(GString) buf = NULL;
    char chunk[8192];
    struct stat st;
    ssize_t n;
    int fd;

    *data = NULL;
    if (len)
        *len = 0;
    if ((fd = openRegular(path, O_RDONLY, 0, follow, missingOk, "cannot read file")) == -2)
        return 0;
    if (fd < 0)
        return -1;
    if (fstat(fd, &st) < 0)
        st.st_size = 0;
    buf = g_string_sized_new(st.st_size > 0 ? (gsize)st.st_size + 1 : sizeof(chunk));
    while ((n = read(fd, chunk, sizeof(chunk))) != 0) {
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            int err = errno;

            close(fd);
            vkReportSystemError(VIR_FROM_NONE, err, "cannot read file '%s'", path);
            return -1;
        }
        g_string_append_len(buf, chunk, n);
    }
    close(fd);
    if (len)
        *len = buf->len;
    *data = g_string_free(g_steal_pointer(&buf), FALSE);
    return 0;
}

int vkFileReadAll(const char *path, char **data, gsize *len)
{
    return readFile(path, FALSE, FALSE, data, len);
}

int vkFileReadIfExists(const char *path, char **data, gsize *len)
{
    return readFile(path, TRUE, FALSE, data, len);
}

int vkFileReadConfigIfExists(const char *path, char **data, gsize *len)
{
    return readFile(path, TRUE, TRUE, data, len);
}

int vkFileMakePath(const char *path, mode_t mode)
{
    if (g_mkdir_with_parents(path, (int)mode) < 0) {
        vkReportSystemError(VIR_FROM_NONE, errno, "cannot create directory '%s'", path);
        return -1;
    }
    return 0;
}

int vkFileRemoveIfExists(const char *path)
{
    if (unlink(path) < 0 && errno != ENOENT) {
        vkReportSystemError(VIR_FROM_NONE, errno, "cannot remove '%s'", path);
        return -1;
    }
    return 0;
}

int vkFileSymlinkCreate(const char *target, const char *linkpath)
{
    g_autofree char *current = NULL;

    if (symlink(target, linkpath) == 0)
        return 0;
    if (errno != EEXIST) {
        vkReportSystemError(VIR_FROM_NONE, errno, "cannot create symlink '%s' to '%s'", linkpath,
                            target);
        return -1;
    }

    current = g_file_read_link(linkpath, NULL);
    if (current && strcmp(current, target) == 0)
        return 0;
    if (vkFileRemoveIfExists(linkpath) < 0)
        return -1;
    if (symlink(target, linkpath) < 0) {
        vkReportSystemError(VIR_FROM_NONE, errno, "cannot create symlink '%s' to '%s'", linkpath,
                            target);
        return -1;
    }
    return 0;
}

int vkFileRefuseSymlink(const char *path)
{
    struct stat st;

    if (lstat(path, &st) < 0 || !S_ISLNK(st.st_mode))
        return 0;
    reportOpen(ELOOP, "cannot use", path);
    return -1;
}

int vkFileSymlinkRemove(const char *linkpath)
{
    struct stat st;

    if (lstat(linkpath, &st) < 0) {
        if (errno == ENOENT)
            return 0;
        vkReportSystemError(VIR_FROM_NONE, errno, "cannot inspect '%s'", linkpath);
        return -1;
    }
    if (!S_ISLNK(st.st_mode)) {
        vkReportError(VIR_FROM_NONE, VIR_ERR_OPERATION_FAILED,
                      "'%s' is not a symbolic link, refusing to remove it", linkpath);
        return -1;
    }
    return vkFileRemoveIfExists(linkpath);
}

/* Returns 0 when locked, 1 when busy (only without WAIT), -1 with an error reported. */
static int lockAcquire(const char *dir, const char *name, gboolean wait, vkFileLock **lock)
{
    g_autofree char *base = g_strdup_printf("%s.lock", name);
    g_autofree char *path = g_build_filename(dir, base, NULL);
    struct flock fl = { .l_type = F_WRLCK, .l_whence = SEEK_SET, .l_start = 0, .l_len = 0 };
    int fd;
    int rc;

    *lock = NULL;
    /* A symlink put in place of the lock would make us create or lock a file elsewhere. */
    fd = vkFileOpenState(path, O_RDWR | O_CREAT, 0600, "cannot open lock file");
    if (fd < 0 && access(path, W_OK) < 0 && (errno == EROFS || errno == EACCES)) {
        /* State we may not write (a read-only root, another user's files): a shared lock on
         * the existing file still waits for and keeps out everyone who can change the state,
         * and we cannot change it ourselves, so a call that only needs to act on a process
         * (destroy) still can. */
        if ((fd = vkFileOpenState(path, O_RDONLY, 0, "cannot open lock file")) >= 0) {
            vkResetLastError();
            fl.l_type = F_RDLCK;
        }
    }
    if (fd < 0)
        return -1;

    while ((rc = fcntl(fd, wait ? F_OFD_SETLKW : F_OFD_SETLK, &fl)) < 0 && errno == EINTR)
        ;
    if (rc < 0) {
        int err = errno;
        close(fd);
        if (!wait && (err == EAGAIN || err == EACCES))
            return 1;
        vkReportSystemError(VIR_FROM_NONE, err, "cannot lock '%s'", path);
        return -1;
    }

    *lock = g_new0(vkFileLock, 1);
    (*lock)->fd = fd;
    return 0;
}

vkFileLock *vkFileLockAcquire(const char *dir, const char *name)
{
    vkFileLock *lock = NULL;

    if (lockAcquire(dir, name, TRUE, &lock) < 0)
        return NULL;
    return lock;
}

int vkFileLockTryAcquire(const char *dir, const char *name, vkFileLock **lock)
{
    return lockAcquire(dir, name, FALSE, lock);
}

void vkFileLockRelease(vkFileLock *lock)
{
    if (!lock)
        return;
    /* Closing the only descriptor of the open file description drops the lock. */
    close(lock->fd);
    g_free(lock);
}

static int compareNames(gconstpointer a, gconstpointer b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* How old a temporary file must be before it counts as left behind: a writer names it and
 * renames it over its target within microseconds. */
#define TEMP_STALE_SECONDS 60

/* The temporaries nameUnnamed makes: "FILE.XXXXXXXX", eight lower-case hex digits after a name
 * that has a suffix of its own. No object's file ends that way: all end in a fixed suffix. */
static gboolean isTempName(const char *entry)
{
    size_t len = strlen(entry);
    const char *dot;

    if (len < 12)
        return FALSE;
    dot = entry + len - 9;
    if (*dot != '.' || !memchr(entry, '.', dot - entry))
        return FALSE;
    for (const char *p = dot + 1; *p; p++) {
        if (!g_ascii_isdigit(*p) && !(*p >= 'a' && *p <= 'f'))
            return FALSE;
    }
    return TRUE;
}

/* A writer killed between naming its temporary file and renaming it leaves the file behind;
 * nothing else would ever remove it. */
static void removeStaleTemp(const char *path, const struct stat *st)
{
    if (time(NULL) - st->st_mtime >= TEMP_STALE_SECONDS)
        unlink(path);
}

/* Opens DIR for listing KIND objects; NULL when it does not exist, and also (with a warning
 * naming it) when it cannot be read, so that a listing is never silently empty. */
static GDir *openListDir(const char *dir, const char *kind, gboolean *readable)
{
    /* GDir keeps no errno, so the directory is tried first for the reason it fails. */
    int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    GDir *gdir = NULL;
    int err = errno;

    if (fd >= 0) {
        close(fd);
        if ((gdir = g_dir_open(dir, 0, NULL)))
            return gdir;
        err = errno;
    }
    if (err != ENOENT) {
        g_autofree char *what = g_strdup_printf("%ss in '%s' are not listed", kind, dir);

        if (readable)
            *readable = FALSE;

        vkReportSystemError(VIR_FROM_NONE, err, "cannot open directory '%s'", dir);
        vkErrorWarn(what);
    }
    return NULL;
}

static GStrv listNames(const char *const *dirs, const char *suffix, const char *kind,
                       gboolean *readable)
{
    g_autoptr(GHashTable) seen = g_hash_table_new(g_str_hash, g_str_equal);
    GPtrArray *names = g_ptr_array_new();
    g_autofree char *dotSuffix = g_strconcat(".", suffix, NULL);
    size_t slen = strlen(dotSuffix);

    for (const char *const *dir = dirs; *dir; dir++) {
        g_autoptr(GDir) gdir = openListDir(*dir, kind, readable);
        const char *entry;

        while (gdir && (entry = g_dir_read_name(gdir))) {
            g_autofree char *path = NULL;
            char *name;
            struct stat st;

            if (isTempName(entry)) {
                path = g_build_filename(*dir, entry, NULL);
                if (lstat(path, &st) == 0 && S_ISREG(st.st_mode))
                    removeStaleTemp(path, &st);
                continue;
            }
            if (!g_str_has_suffix(entry, dotSuffix) || strlen(entry) == slen)
                continue;
            path = g_build_filename(*dir, entry, NULL);
            /* A symlink is listed and left to the reader, so that a listing and a lookup by
             * name apply the same rule to it. */
            if (lstat(path, &st) < 0 || !(S_ISREG(st.st_mode) || S_ISLNK(st.st_mode)))
                continue;
            name = g_strndup(entry, strlen(entry) - slen);
            if (g_hash_table_add(seen, name))
                g_ptr_array_add(names, name);
            else
                g_free(name);
        }
    }
    g_ptr_array_sort(names, compareNames);
    g_ptr_array_add(names, NULL);
    return (GStrv)g_ptr_array_free(names, FALSE);
}

GStrv vkFileListNames(const char *const *dirs, const char *suffix)
{
    return listNames(dirs, suffix, "object", NULL);
}

GStrv vkFileListNamesOf(const char *const *dirs, const char *suffix, const char *kind,
                        gboolean *readable)
{
    *readable = TRUE;
    return listNames(dirs, suffix, kind, readable);
}

int vkFileAutostartSet(const char *autostartDir, const char *name, gboolean on)
{
    g_autofree char *base = g_strdup_printf("%s.xml", name);
    g_autofree char *link = g_build_filename(autostartDir, base, NULL);
    g_autofree char *target = NULL;

    if (!on)
        return vkFileSymlinkRemove(link);
    if (vkFileMakePath(autostartDir, 0700) < 0)
        return -1;
    target = g_build_filename("..", base, NULL);
    return vkFileSymlinkCreate(target, link);
}

gboolean vkFileAutostartGet(const char *autostartDir, const char *name)
{
    g_autofree char *base = g_strdup_printf("%s.xml", name);
    g_autofree char *link = g_build_filename(autostartDir, base, NULL);
    struct stat st;

    return lstat(link, &st) == 0 && S_ISLNK(st.st_mode);
}

GStrv vkFileAutostartList(const char *autostartDir)
{
    g_autoptr(GDir) dir = g_dir_open(autostartDir, 0, NULL);
    GPtrArray *names = g_ptr_array_new();
    const char *entry;

    while (dir && (entry = g_dir_read_name(dir))) {
        g_autofree char *name = NULL;

        if (!g_str_has_suffix(entry, ".xml") || strlen(entry) == strlen(".xml"))
            continue;
        name = g_strndup(entry, strlen(entry) - strlen(".xml"));
        if (vkFileAutostartGet(autostartDir, name))
            g_ptr_array_add(names, g_steal_pointer(&name));
    }
    g_ptr_array_sort(names, compareNames);
    g_ptr_array_add(names, NULL);
    return (GStrv)g_ptr_array_free(names, FALSE);
}

GPtrArray *vkFileReadObjects(const char *const *dirs, const char *suffix, vkFileObjectReader read,
                             void *opaque, GDestroyNotify freeObj, const char *kind)
{
    g_auto(GStrv) names = listNames(dirs, suffix, kind, NULL);
    GPtrArray *objs = g_ptr_array_new_with_free_func(freeObj);

    for (char **name = names; *name; name++) {
        void *obj = NULL;
        int rc = read(opaque, *name, &obj);

        if (rc < 0) {
            g_autofree char *what = g_strdup_printf("%s '%s' skipped", kind, *name);
            vkErrorWarn(what);
        } else if (rc > 0) {
            g_ptr_array_add(objs, obj);
        }
    }
    return objs;
}

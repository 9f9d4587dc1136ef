/* Host file helpers: atomic writes, reads, mkdir -p, lock files and autostart symlinks. */
#include "vkfile.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
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

int vkFileWriteAtomic(const char *path, const char *data, gssize len, mode_t mode)
{
    g_autoptr(GError) gerr = NULL;
    g_autofree char *dir = g_path_get_dirname(path);

    /* GLib writes a temporary file beside PATH, fsyncs and renames it, and unlinks it on
     * failure; it leaves the directory unsynced, which is ours to do. */
    if (!g_file_set_contents_full(path, data, len,
                                  G_FILE_SET_CONTENTS_CONSISTENT | G_FILE_SET_CONTENTS_DURABLE,
                                  (int)mode, &gerr)) {
        vkReportError(VIR_FROM_NONE, VIR_ERR_SYSTEM_ERROR, "cannot write file '%s': %s", path,
                      gerr->message);
        return -1;
    }
    return syncDirectory(dir);
}

static int readFile(const char *path, gboolean missingOk, char **data, gsize *len)
{
    g_autoptr(GError) gerr = NULL;
    gsize length = 0;

    *data = NULL;
    if (len)
        *len = 0;
    if (!g_file_get_contents(path, data, &length, &gerr)) {
        if (missingOk && g_error_matches(gerr, G_FILE_ERROR, G_FILE_ERROR_NOENT))
            return 0;
        vkReportError(VIR_FROM_NONE, VIR_ERR_SYSTEM_ERROR, "cannot read file '%s': %s", path,
                      gerr->message);
        return -1;
    }
    if (len)
        *len = length;
    return 0;
}

int vkFileReadAll(const char *path, char **data, gsize *len)
{
    return readFile(path, FALSE, data, len);
}

int vkFileReadIfExists(const char *path, char **data, gsize *len)
{
    return readFile(path, TRUE, data, len);
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
    fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    if (fd < 0) {
        vkReportSystemError(VIR_FROM_NONE, errno, "cannot open lock file '%s'", path);
        return -1;
    }

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

GStrv vkFileListNames(const char *const *dirs, const char *suffix)
{
    g_autoptr(GHashTable) seen = g_hash_table_new(g_str_hash, g_str_equal);
    GPtrArray *names = g_ptr_array_new();
    g_autofree char *dotSuffix = g_strconcat(".", suffix, NULL);
    size_t slen = strlen(dotSuffix);

    for (const char *const *dir = dirs; *dir; dir++) {
        g_autoptr(GDir) gdir = g_dir_open(*dir, 0, NULL);
        const char *entry;

        while (gdir && (entry = g_dir_read_name(gdir))) {
            g_autofree char *path = NULL;
            char *name;
            struct stat st;

            if (!g_str_has_suffix(entry, dotSuffix) || strlen(entry) == slen)
                continue;
            path = g_build_filename(*dir, entry, NULL);
            if (lstat(path, &st) < 0 || !S_ISREG(st.st_mode))
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

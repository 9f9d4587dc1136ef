/* Volumes on the host: what a pool holds (files of a directory, logical volumes of a group),
 * their sizes as qemu-img reports them, and creating, resizing, wiping and deleting them so
 * that a process killed half way leaves the finished volume or nothing. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "conf/object_name.h"
#include "storage_priv.h"

/* A volume being created lives under this prefix until it is complete; listings skip it. */
#define PART_PREFIX    ".vkpart-"
#define LV_PART_PREFIX "vkpart-"
/* The byte its creator locks (far beyond qemu's own image locks, which are near offset 100),
 * so that a cleanup can tell a live creation from a dead one. */
#define PART_LOCK_OFFSET (1LL << 40)
#define VOL_FILE_MODE    0600
#define WIPE_CHUNK       (1024 * 1024)
/* Of a volume's name in its part file's name: the prefix and ".XXXXXXXX" must fit in 255. */
#define PART_NAME_MAX 200

static gboolean isLogical(const vkStoragePoolDef *pool)
{
    return pool->type == VK_STORAGE_POOL_LOGICAL;
}

/* ---- image headers ---- */

static guint64 be64(const unsigned char *p)
{
    return ((guint64)p[0] << 56) | ((guint64)p[1] << 48) | ((guint64)p[2] << 40) |
           ((guint64)p[3] << 32) | ((guint64)p[4] << 24) | ((guint64)p[5] << 16) |
           ((guint64)p[6] << 8) | p[7];
}

static guint32 be32(const unsigned char *p)
{
    return ((guint32)p[0] << 24) | ((guint32)p[1] << 16) | ((guint32)p[2] << 8) | p[3];
}

/* The qcow2 header extension that names the backing file's format. */
#define QCOW2_EXT_BACKING_FORMAT 0xE2792ACAu

/* What a qcow2 header says: virtual size, backing file and its format. */
static void probeQcow2(int fd, const unsigned char *hdr, size_t len, vkStorageVolDef *def,
                       const char *dir)
{
    guint64 backingOffset = be64(hdr + 8);
    guint32 backingSize = be32(hdr + 16);
    guint32 version = be32(hdr + 4);
    guint32 headerLen = version >= 3 && len >= 104 ? be32(hdr + 100) : 72;
    unsigned char ext[4096];
    ssize_t got;
    size_t pos;

    def->capacity = be64(hdr + 24);
    if (!backingOffset || !backingSize || backingSize > 1023)
        return;
    {
        g_autofree char *name = g_malloc0(backingSize + 1);

        if (pread(fd, name, backingSize, (off_t)backingOffset) != (ssize_t)backingSize)
            return;
        def->hasBacking = TRUE;
        def->backing.path =
            g_path_is_absolute(name) ? g_strdup(name) : g_build_filename(dir, name, NULL);
        def->backing.format = VK_STORAGE_FILE_RAW;
    }
    /* Extensions follow the header, each 8-byte aligned, up to an end marker of type 0. */
    got = pread(fd, ext, sizeof(ext), headerLen);
    for (pos = 0; got > 0 && pos + 8 <= (size_t)got;) {
        guint32 type = be32(ext + pos);
        guint32 elen = be32(ext + pos + 4);

        if (type == 0 || pos + 8 + elen > (size_t)got)
            break;
        if (type == QCOW2_EXT_BACKING_FORMAT) {
            g_autofree char *fmt = g_strndup((const char *)ext + pos + 8, elen);
            int f = vkStorageFileFormatTypeFromString(fmt);
            if (f >= 0)
                def->backing.format = f;
        }
        pos += 8 + ((elen + 7) & ~7u);
    }
}

/* The format of a file from its first bytes, as libvirt probes files in a directory pool, and
 * its virtual size where the format keeps one. */
static void probeFormat(int fd, const struct stat *st, vkStorageVolDef *def, const char *dir)
{
    unsigned char hdr[512];
    ssize_t len = pread(fd, hdr, sizeof(hdr), 0);

    def->target.format = VK_STORAGE_FILE_RAW;
    def->capacity = st->st_size;
    if (len < 32)
        return;
    if (!memcmp(hdr, "QFI\xfb", 4)) {
        guint32 version = be32(hdr + 4);
        def->target.format = version == 1 ? VK_STORAGE_FILE_QCOW : VK_STORAGE_FILE_QCOW2;
        if (version >= 2 && len >= 72)
            probeQcow2(fd, hdr, len, def, dir);
        else
            def->capacity = be64(hdr + 24);
    } else if (!memcmp(hdr, "QED\0", 4)) {
        def->target.format = VK_STORAGE_FILE_QED;
        def->capacity = GUINT64_FROM_LE(*(guint64 *)(hdr + 40));
    } else if (!memcmp(hdr, "KDMV", 4)) {
        def->target.format = VK_STORAGE_FILE_VMDK;
        def->capacity = GUINT64_FROM_LE(*(guint64 *)(hdr + 12)) * 512;
    } else if (!memcmp(hdr, "conectix", 8)) {
        def->target.format = VK_STORAGE_FILE_VPC;
    } else if (len >= 68 && GUINT32_FROM_LE(*(guint32 *)(hdr + 64)) == 0xbeda107fu) {
        def->target.format = VK_STORAGE_FILE_VDI;
    }
}

static void fillStat(vkStorageVolTarget *target, const struct stat *st)
{
    target->perms.mode = st->st_mode & 07777;
    target->perms.uid = st->st_uid;
    target->perms.gid = st->st_gid;
    target->hasTimes = TRUE;
    target->atime = st->st_atim;
    target->mtime = st->st_mtim;
    target->ctime = st->st_ctim;
}

/* ---- reading file volumes ---- */

/* NAME in DIR: 1 with *VOL; 0 when it is no volume (missing, a symlink, a special file). */
static int fileVolRead(const char *dir, const char *name, vkStorageVolDef **vol)
{
    g_autofree char *path = g_build_filename(dir, name, NULL);
    g_autoptr(vkStorageVolDef) def = NULL;
    struct stat st;
    int fd;

    *vol = NULL;
    /* Symlinks are never volumes: a name must not lead out of its pool. */
    if (lstat(path, &st) < 0) {
        if (errno == ENOENT)
            return 0;
        vkReportSystemError(ERR, errno, "cannot stat file '%s'", path);
        return -1;
    }
    if (!S_ISREG(st.st_mode) && !S_ISDIR(st.st_mode))
        return 0;
    def = g_new0(vkStorageVolDef, 1);
    def->name = g_strdup(name);
    def->key = g_strdup(path);
    def->target.path = g_strdup(path);
    def->target.format = -1;
    def->backing.format = -1;
    fillStat(&def->target, &st);
    def->allocation = (unsigned long long)st.st_blocks * 512;
    def->physical = st.st_size;
    if (S_ISDIR(st.st_mode)) {
        def->type = VIR_STORAGE_VOL_DIR;
        def->target.format = VK_STORAGE_FILE_DIR;
        def->capacity = st.st_size;
    } else {
        def->type = VIR_STORAGE_VOL_FILE;
        if ((fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK)) < 0) {
            vkReportSystemError(ERR, errno, "cannot open volume '%s'", path);
            return -1;
        }
        probeFormat(fd, &st, def, dir);
        close(fd);
    }
    if (def->hasBacking) {
        struct stat bst;
        if (stat(def->backing.path, &bst) == 0)
            fillStat(&def->backing, &bst);
        else
            def->backing.perms.mode = def->backing.perms.uid = def->backing.perms.gid = -1;
    }
    *vol = g_steal_pointer(&def);
    return 1;
}

/* ---- logical volumes ---- */

/* lvs lines "name:uuid:size" of the pool's volume group. */
static GPtrArray *logicalList(const vkStoragePoolDef *pool)
{
    const char *argv[] = { "lvs",
                           "--noheadings",
                           "--units",
                           "b",
                           "--nosuffix",
                           "--separator",
                           ":",
                           "-o",
                           "lv_name,lv_uuid,lv_size",
                           pool->source.name,
                           NULL };
    g_autofree char *out = NULL;
    g_auto(GStrv) lines = NULL;
    GPtrArray *vols = g_ptr_array_new_with_free_func((GDestroyNotify)vkStorageVolDefFree);

    if (vkStorageRunCommand(argv, &out) < 0) {
        g_ptr_array_free(vols, TRUE);
        return NULL;
    }
    lines = g_strsplit(out, "\n", -1);
    for (char **line = lines; *line; line++) {
        g_auto(GStrv) f = g_strsplit(g_strstrip(*line), ":", -1);
        vkStorageVolDef *def;

        /* A name no volume may have would be listed but never found by name. */
        if (g_strv_length(f) < 3 || g_str_has_prefix(f[0], LV_PART_PREFIX) ||
            !vkObjectNameIsValid(VK_OBJECT_VOLUME, f[0]))
            continue;
        def = g_new0(vkStorageVolDef, 1);
        def->type = VIR_STORAGE_VOL_BLOCK;
        def->name = g_strdup(f[0]);
        def->key = g_strdup(f[1]);
        def->target.path = g_strdup_printf("/dev/%s/%s", pool->source.name, f[0]);
        def->target.format = -1;
        def->backing.format = -1;
        def->target.perms.mode = def->target.perms.uid = def->target.perms.gid = -1;
        def->capacity = def->allocation = g_ascii_strtoull(f[2], NULL, 10);
        g_ptr_array_add(vols, def);
    }
    return vols;
}

/* ---- listing and reading ---- */

static int compareVols(gconstpointer a, gconstpointer b)
{
    const vkStorageVolDef *va = *(vkStorageVolDef *const *)a;
    const vkStorageVolDef *vb = *(vkStorageVolDef *const *)b;
    return strcmp(va->name, vb->name);
}

GPtrArray *vkStorageVolList(const vkStoragePoolDef *pool)
{
    GPtrArray *vols;
    g_autoptr(GDir) dir = NULL;
    g_autoptr(GError) gerr = NULL;
    const char *entry;

    if (isLogical(pool))
        vols = logicalList(pool);
    else if (!(dir = g_dir_open(pool->target.path, 0, &gerr))) {
        vkReportError(ERR, VIR_ERR_SYSTEM_ERROR, "cannot open directory '%s': %s",
                      pool->target.path, gerr->message);
        return NULL;
    } else {
        vols = g_ptr_array_new_with_free_func((GDestroyNotify)vkStorageVolDefFree);
        while ((entry = g_dir_read_name(dir))) {
            vkStorageVolDef *def = NULL;

            /* Part files (hidden) and files whose names no volume may have (hidden ones,
             * control characters) are not volumes: a lookup by name would refuse them. */
            if (!vkObjectNameIsValid(VK_OBJECT_VOLUME, entry))
                continue;
            /* A file that vanishes or cannot be read between readdir and stat is left out. */
            if (fileVolRead(pool->target.path, entry, &def) > 0)
                g_ptr_array_add(vols, def);
            else
                vkResetLastError();
        }
    }
    if (vols)
        g_ptr_array_sort(vols, compareVols);
    return vols;
}

GPtrArray *vkStorageVolListNames(const vkStoragePoolDef *pool)
{
    g_autoptr(GPtrArray) vols = NULL;
    DIR *dir;
    struct dirent *entry;

    if (isLogical(pool))
        return vkStorageVolList(pool);
    if (!(dir = opendir(pool->target.path))) {
        vkReportSystemError(ERR, errno, "cannot open directory '%s'", pool->target.path);
        return NULL;
    }
    vols = g_ptr_array_new_with_free_func((GDestroyNotify)vkStorageVolDefFree);
    while ((entry = readdir(dir))) {
        vkStorageVolDef *def;
        unsigned char type = entry->d_type;

        if (!vkObjectNameIsValid(VK_OBJECT_VOLUME, entry->d_name))
            continue;
        /* The entry's type is all a name and a key need; lstat only where readdir cannot
         * tell (some file systems), and symlinks and special files are no volumes. */
        if (type == DT_UNKNOWN) {
            struct stat st;

            if (fstatat(dirfd(dir), entry->d_name, &st, AT_SYMLINK_NOFOLLOW) < 0)
                continue;
            type = S_ISREG(st.st_mode) ? DT_REG : S_ISDIR(st.st_mode) ? DT_DIR : DT_UNKNOWN;
        }
        if (type != DT_REG && type != DT_DIR)
            continue;
        def = g_new0(vkStorageVolDef, 1);
        def->name = g_strdup(entry->d_name);
        def->key = g_build_filename(pool->target.path, entry->d_name, NULL);
        def->target.path = g_strdup(def->key);
        def->type = type == DT_DIR ? VIR_STORAGE_VOL_DIR : VIR_STORAGE_VOL_FILE;
        def->target.format = -1;
        def->backing.format = -1;
        g_ptr_array_add(vols, def);
    }
    closedir(dir);
    g_ptr_array_sort(vols, compareVols);
    return g_steal_pointer(&vols);
}

int vkStorageVolRead(const vkStoragePoolDef *pool, const char *name, vkStorageVolDef **vol)
{
    *vol = NULL;
    /* Never a path, nor a part file (whose name starts with a '.'). */
    if (!vkObjectNameIsValid(VK_OBJECT_VOLUME, name))
        return 0;
    if (isLogical(pool)) {
        g_autoptr(GPtrArray) vols = logicalList(pool);

        if (!vols)
            return -1;
        for (guint i = 0; i < vols->len; i++) {
            vkStorageVolDef *def = g_ptr_array_index(vols, i);
            if (g_str_equal(def->name, name)) {
                *vol = g_ptr_array_steal_index(vols, i);
                return 1;
            }
        }
        return 0;
    }
    return fileVolRead(pool->target.path, name, vol);
}

/* ---- the part file of a creation ---- */

typedef struct {
    char *path; /* the hidden name it is built under */
    int lockFd; /* holds the creator's lock */
} vkVolPart;

static void partFree(vkVolPart *part)
{
    if (!part)
        return;
    if (part->lockFd >= 0)
        close(part->lockFd);
    g_free(part->path);
    g_free(part);
}
G_DEFINE_AUTOPTR_CLEANUP_FUNC(vkVolPart, partFree)

static int lockByte(int fd, gboolean wait)
{
    struct flock fl = {
        .l_type = F_WRLCK, .l_whence = SEEK_SET, .l_start = PART_LOCK_OFFSET, .l_len = 1
    };
    return fcntl(fd, wait ? F_OFD_SETLKW : F_OFD_SETLK, &fl);
}

/* An empty, locked part file for NAME, created 0600. */
static vkVolPart *partCreate(const vkStoragePoolDef *pool, const char *name)
{
    g_autoptr(vkVolPart) part = g_new0(vkVolPart, 1);
    /* The name is cut short so that the longest volume name (VK_OBJECT_NAME_MAX) still
     * makes a file name the kernel accepts; the random part keeps part files apart. */
    g_autofree char *base =
        g_strdup_printf(PART_PREFIX "%.*s.%08x", PART_NAME_MAX, name, g_random_int());

    part->path = g_build_filename(pool->target.path, base, NULL);
    part->lockFd =
        open(part->path, O_RDWR | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, VOL_FILE_MODE);
    if (part->lockFd < 0) {
        vkReportSystemError(ERR, errno, "cannot create file '%s'", part->path);
        return NULL;
    }
    if (lockByte(part->lockFd, FALSE) < 0) {
        vkReportSystemError(ERR, errno, "cannot lock '%s'", part->path);
        unlink(part->path);
        return NULL;
    }
    return g_steal_pointer(&part);
}

static void partDiscard(vkVolPart *part)
{
    unlink(part->path);
}

/* Gives the finished part its name; a volume that appeared meanwhile is never replaced. */
static int partCommit(vkVolPart *part, const char *path, const char *name)
{
    if (renameat2(AT_FDCWD, part->path, AT_FDCWD, path, RENAME_NOREPLACE) < 0) {
        int err = errno;

        partDiscard(part);
        if (err == EEXIST)
            vkReportError(ERR, VIR_ERR_STORAGE_VOL_EXIST, "'%s'", name);
        else
            vkReportSystemError(ERR, err, "cannot rename '%s' to '%s'", part->path, path);
        return -1;
    }
    return 0;
}

void vkStorageVolCleanStale(const vkStoragePoolDef *pool)
{
    g_autoptr(GDir) dir = NULL;
    const char *entry;

    if (isLogical(pool) || !(dir = g_dir_open(pool->target.path, 0, NULL)))
        return;
    while ((entry = g_dir_read_name(dir))) {
        g_autofree char *path = NULL;
        int fd;

        if (!g_str_has_prefix(entry, PART_PREFIX))
            continue;
        path = g_build_filename(pool->target.path, entry, NULL);
        if ((fd = open(path, O_RDWR | O_NOFOLLOW | O_CLOEXEC)) < 0)
            continue;
        /* Free lock: its creator died; the half-made volume goes. */
        if (lockByte(fd, FALSE) == 0)
            unlink(path);
        close(fd);
    }
}

/* ---- creating ---- */

static int applyPerms(int fd, const char *path, const vkStoragePerms *perms)
{
    mode_t mode = perms->mode >= 0 ? (mode_t)perms->mode : VOL_FILE_MODE;

    if (fchmod(fd, mode) < 0 || ((perms->uid >= 0 || perms->gid >= 0) &&
                                 fchown(fd, (uid_t)perms->uid, (gid_t)perms->gid) < 0)) {
        vkReportSystemError(ERR, errno, "cannot set permissions of '%s'", path);
        return -1;
    }
    return 0;
}

static int createRaw(int fd, const char *path, const vkStorageVolDef *def)
{
    if (def->allocation && def->allocation <= def->capacity &&
        fallocate(fd, 0, 0, (off_t)def->allocation) < 0 && errno != EOPNOTSUPP) {
        vkReportSystemError(ERR, errno, "cannot allocate %llu bytes in file '%s'", def->allocation,
                            path);
        return -1;
    }
    if (ftruncate(fd, (off_t)def->capacity) < 0) {
        vkReportSystemError(ERR, errno, "cannot extend file '%s'", path);
        return -1;
    }
    return 0;
}

/* ---- qcow2 images written directly ---- */

#define QCOW2_CLUSTER_BITS 16
#define QCOW2_CLUSTER      (1u << QCOW2_CLUSTER_BITS)
#define QCOW2_HEADER_V2    72

static void put64(unsigned char *p, guint64 v)
{
    for (int i = 7; i >= 0; i--, v >>= 8)
        p[i] = v & 0xff;
}

static void put32(unsigned char *p, guint32 v)
{
    for (int i = 3; i >= 0; i--, v >>= 8)
        p[i] = v & 0xff;
}

/* The L1 entries a qcow2 image of SIZE bytes needs: each covers a cluster of L2 entries. */
static guint64 qcow2L1Size(guint64 size)
{
    guint64 perL1 = (guint64)QCOW2_CLUSTER * (QCOW2_CLUSTER / 8);
    return (size + perL1 - 1) / perL1;
}

/* Whether createQcow2 can make this image: a plain one (no preallocation) whose L1 table fits
 * in one cluster, that is up to 4 TiB; qemu-img makes the rest. */
static gboolean qcow2Direct(const vkStorageVolDef *def, const vkStorageVolDef *input,
                            unsigned int flags)
{
    guint64 size = (def->capacity + 1023) / 1024 * 1024;

    return def->target.format == VK_STORAGE_FILE_QCOW2 && !input &&
           !(flags & VIR_STORAGE_VOL_CREATE_PREALLOC_METADATA) && size > 0 &&
           qcow2L1Size(size) * 8 <= QCOW2_CLUSTER &&
           (!def->hasBacking || strlen(def->backing.path) < 1024);
}

/* Writes the empty qcow2 image (version 2, compat 0.10, 64 KiB clusters) that
 * "qemu-img create -f qcow2 -o compat=0.10" writes, byte for byte: the header and its
 * extensions in cluster 0, the refcount table in cluster 1, its one refcount block in cluster
 * 2 (clusters 0-3 in use), the L1 table at cluster 3. Spawning qemu-img for these few hundred
 * bytes costs more than the whole rest of vol-create-as. */
static int createQcow2(int fd, const char *path, const vkStorageVolDef *def)
{
    guint64 size = (def->capacity + 1023) / 1024 * 1024;
    guint64 l1Size = qcow2L1Size(size);
    gsize len = 3 * (gsize)QCOW2_CLUSTER + l1Size * 8;
    g_autofree unsigned char *img = g_malloc0(len);
    unsigned char *refblock = img + 2 * QCOW2_CLUSTER;

    memcpy(img, "QFI\xfb", 4);
    put32(img + 4, 2);
    put32(img + 20, QCOW2_CLUSTER_BITS);
    put64(img + 24, size);
    put32(img + 36, (guint32)l1Size);
    put64(img + 40, 3 * (guint64)QCOW2_CLUSTER);
    put64(img + 48, QCOW2_CLUSTER);
    put32(img + 56, 1);
    if (def->hasBacking) {
        const char *fmt = vkStorageFileFormatTypeToString(def->backing.format);
        size_t flen = strlen(fmt);
        size_t off = QCOW2_HEADER_V2;

        put32(img + off, QCOW2_EXT_BACKING_FORMAT);
        put32(img + off + 4, (guint32)flen);
        memcpy(img + off + 8, fmt, flen);
        off += 8 + ((flen + 7) & ~(size_t)7);
        off += 8; /* the end of the extensions: type 0, length 0 */
        put64(img + 8, off);
        put32(img + 16, (guint32)strlen(def->backing.path));
        memcpy(img + off, def->backing.path, strlen(def->backing.path));
    }
    put64(img + QCOW2_CLUSTER, 2 * (guint64)QCOW2_CLUSTER);
    for (int i = 0; i < 4; i++)
        refblock[2 * i + 1] = 1;
    if (pwrite(fd, img, len, 0) != (ssize_t)len) {
        vkReportSystemError(ERR, errno, "cannot write image '%s'", path);
        return -1;
    }
    return 0;
}

/* qemu-img's -o for a new image as libvirt writes it. */
static char *qemuImgOpts(const vkStorageVolDef *def, unsigned int flags, gboolean convert)
{
    GString *o = g_string_new(NULL);

    if (def->hasBacking && !convert)
        g_string_append_printf(o, "backing_fmt=%s,",
                               vkStorageFileFormatTypeToString(def->backing.format));
    if (flags & VIR_STORAGE_VOL_CREATE_PREALLOC_METADATA)
        g_string_append(o, (def->capacity + 1023) / 1024 > (def->allocation + 1023) / 1024
                               ? "preallocation=metadata,"
                               : "preallocation=falloc,");
    if (def->target.format == VK_STORAGE_FILE_QCOW2)
        g_string_append(o, "compat=0.10,");
    if (o->len)
        g_string_truncate(o, o->len - 1);
    return g_string_free(o, FALSE);
}

static int runQemuImg(const vkStorageVolDef *def, const vkStorageVolDef *input, const char *dest,
                      unsigned int flags)
{
    g_autoptr(GPtrArray) argv = g_ptr_array_new_with_free_func(g_free);
    g_autofree char *opts = qemuImgOpts(def, flags, input != NULL);
    const char *fmt = vkStorageFileFormatTypeToString(def->target.format);

    g_ptr_array_add(argv, g_strdup("qemu-img"));
    if (input) {
        g_ptr_array_add(argv, g_strdup("convert"));
        g_ptr_array_add(argv, g_strdup("-f"));
        g_ptr_array_add(argv, g_strdup(vkStorageFileFormatTypeToString(input->target.format >= 0
                                                                           ? input->target.format
                                                                           : VK_STORAGE_FILE_RAW)));
        g_ptr_array_add(argv, g_strdup("-O"));
        g_ptr_array_add(argv, g_strdup(fmt));
    } else {
        g_ptr_array_add(argv, g_strdup("create"));
        g_ptr_array_add(argv, g_strdup("-f"));
        g_ptr_array_add(argv, g_strdup(fmt));
        if (def->hasBacking) {
            g_ptr_array_add(argv, g_strdup("-b"));
            g_ptr_array_add(argv, g_strdup(def->backing.path));
        }
    }
    if (*opts) {
        g_ptr_array_add(argv, g_strdup("-o"));
        g_ptr_array_add(argv, g_strdup(opts));
    }
    if (input)
        g_ptr_array_add(argv, g_strdup(input->target.path));
    g_ptr_array_add(argv, g_strdup(dest));
    if (!input)
        g_ptr_array_add(argv, g_strdup_printf("%lluK", (def->capacity + 1023) / 1024));
    g_ptr_array_add(argv, NULL);
    return vkStorageRunCommand((const char *const *)argv->pdata, NULL);
}

static int checkCreate(const vkStoragePoolDef *pool, const vkStorageVolDef *def,
                       const vkStorageVolDef *input, unsigned int flags)
{
    if ((flags & VIR_STORAGE_VOL_CREATE_PREALLOC_METADATA) &&
        def->target.format != VK_STORAGE_FILE_QCOW2) {
        vkReportError(ERR, VIR_ERR_OPERATION_INVALID, "%s",
                      "metadata preallocation only available with qcow2");
        return -1;
    }
    if (def->hasBacking && def->target.format != VK_STORAGE_FILE_QCOW2 &&
        def->target.format != VK_STORAGE_FILE_QCOW && def->target.format != VK_STORAGE_FILE_QED &&
        def->target.format != VK_STORAGE_FILE_VMDK) {
        vkReportError(ERR, VIR_ERR_CONFIG_UNSUPPORTED, "format '%s' does not support backing store",
                      vkStorageFileFormatTypeToString(def->target.format));
        return -1;
    }
    if (def->hasBacking && !g_file_test(def->backing.path, G_FILE_TEST_EXISTS)) {
        vkReportSystemError(ERR, ENOENT, "Cannot access backing file '%s'", def->backing.path);
        return -1;
    }
    return 0;
}

static int createFileVol(const vkStoragePoolDef *pool, vkStorageVolDef *def,
                         const vkStorageVolDef *input, unsigned int flags)
{
    g_autofree char *path = g_build_filename(pool->target.path, def->name, NULL);
    g_autoptr(vkVolPart) part = NULL;
    struct stat st;
    gboolean raw =
        def->target.format == VK_STORAGE_FILE_RAW || def->target.format == VK_STORAGE_FILE_NONE;

    if (lstat(path, &st) == 0) {
        vkReportError(ERR, VIR_ERR_OPERATION_INVALID, "volume target path '%s' already exists",
                      path);
        return -1;
    }
    if (checkCreate(pool, def, input, flags) < 0 || !(part = partCreate(pool, def->name)))
        return -1;
    if (raw && !input) {
        if (createRaw(part->lockFd, part->path, def) < 0)
            goto fail;
    } else if (qcow2Direct(def, input, flags)) {
        if (createQcow2(part->lockFd, part->path, def) < 0)
            goto fail;
    } else if (runQemuImg(def, input, part->path, flags) < 0) {
        goto fail;
    } else if (input && raw) {
        /* As libvirt: a clone is allocated as the XML asks when that covers the input, and
         * gets the requested size. */
        if (def->allocation >= input->capacity &&
            fallocate(part->lockFd, 0, 0, (off_t)def->allocation) < 0 && errno != EOPNOTSUPP) {
            vkReportSystemError(ERR, errno, "cannot allocate %llu bytes in file '%s'",
                                def->allocation, part->path);
            goto fail;
        }
        if (fstat(part->lockFd, &st) == 0 && (unsigned long long)st.st_size < def->capacity &&
            ftruncate(part->lockFd, (off_t)def->capacity) < 0) {
            vkReportSystemError(ERR, errno, "cannot extend file '%s'", part->path);
            goto fail;
        }
    }
    /* qemu-img may have replaced the file: permissions go on whatever holds the name. */
    {
        int fd = open(part->path, O_RDWR | O_NOFOLLOW | O_CLOEXEC);
        int rc;

        if (fd < 0) {
            vkReportSystemError(ERR, errno, "cannot open file '%s'", part->path);
            goto fail;
        }
        /* No fsync: a killed process loses nothing the kernel holds, and libvirt does not
         * sync new volumes either. */
        rc = applyPerms(fd, part->path, &def->target.perms);
        close(fd);
        if (rc < 0)
            goto fail;
    }
    if (partCommit(part, path, def->name) < 0)
        return -1;
    g_free(def->target.path);
    def->target.path = g_strdup(path);
    g_free(def->key);
    def->key = g_strdup(path);
    return 0;

fail:
    partDiscard(part);
    return -1;
}

static int createLogicalVol(const vkStoragePoolDef *pool, vkStorageVolDef *def,
                            const vkStorageVolDef *input)
{
    g_autofree char *part = g_strdup_printf(LV_PART_PREFIX "%s", def->name);
    g_autofree char *size = g_strdup_printf("%lluK", (def->capacity + 1023) / 1024);
    g_autofree char *partPath = g_strdup_printf("/dev/%s/%s", pool->source.name, part);
    const char *create[] = { "lvcreate", "--name",          part, "-L", size,
                             "--yes",    pool->source.name, NULL };
    const char *rename[] = { "lvrename", pool->source.name, part, def->name, NULL };

    if (vkStorageRunCommand(create, NULL) < 0)
        return -1;
    if (input) {
        const char *convert[] = { "qemu-img",
                                  "convert",
                                  "-n",
                                  "-f",
                                  vkStorageFileFormatTypeToString(input->target.format >= 0
                                                                      ? input->target.format
                                                                      : VK_STORAGE_FILE_RAW),
                                  "-O",
                                  "raw",
                                  input->target.path,
                                  partPath,
                                  NULL };
        if (vkStorageRunCommand(convert, NULL) < 0)
            goto fail;
    }
    if (vkStorageRunCommand(rename, NULL) < 0)
        goto fail;
    g_free(def->target.path);
    def->target.path = g_strdup_printf("/dev/%s/%s", pool->source.name, def->name);
    return 0;

fail : {
    virErrorPtr saved = vkSaveError();
    const char *remove[] = { "lvremove", "-f", partPath, NULL };
    vkStorageRunCommand(remove, NULL);
    vkRestoreError(saved);
    return -1;
}
}

int vkStorageVolCreate(const vkStoragePoolDef *pool, vkStorageVolDef *def,
                       const vkStorageVolDef *input, unsigned int flags)
{
    if (isLogical(pool))
        return createLogicalVol(pool, def, input);
    return createFileVol(pool, def, input, flags);
}

/* ---- deleting, resizing, wiping ---- */

int vkStorageVolDeleteFile(const vkStoragePoolDef *pool, const vkStorageVolDef *vol,
                           unsigned int flags)
{
    if (isLogical(pool)) {
        g_autofree char *lv = g_strdup_printf("%s/%s", pool->source.name, vol->name);
        const char *argv[] = { "lvremove", "-f", lv, NULL };
        return vkStorageRunCommand(argv, NULL);
    }
    if ((vol->type == VIR_STORAGE_VOL_DIR ? rmdir(vol->target.path) : unlink(vol->target.path)) <
            0 &&
        errno != ENOENT) {
        vkReportSystemError(ERR, errno, "cannot unlink file '%s'", vol->target.path);
        return -1;
    }
    return 0;
}

int vkStorageVolResizeFile(const vkStoragePoolDef *pool, const vkStorageVolDef *vol,
                           unsigned long long capacity, unsigned int flags)
{
    g_autofree char *size = g_strdup_printf("%lluK", (capacity + 1023) / 1024);

    if (isLogical(pool)) {
        g_autofree char *lv = g_strdup_printf("%s/%s", pool->source.name, vol->name);
        const char *argv[] = { "lvresize", "-f", "-L", size, lv, NULL };
        return vkStorageRunCommand(argv, NULL);
    }
    if (vol->target.format == VK_STORAGE_FILE_RAW) {
        int fd = open(vol->target.path, O_WRONLY | O_NOFOLLOW | O_CLOEXEC);
        int rc = 0;

        if (fd < 0) {
            vkReportSystemError(ERR, errno, "cannot open volume '%s'", vol->target.path);
            return -1;
        }
        if ((flags & VIR_STORAGE_VOL_RESIZE_ALLOCATE) && capacity > vol->capacity &&
            fallocate(fd, 0, (off_t)vol->capacity, (off_t)(capacity - vol->capacity)) < 0) {
            vkReportSystemError(ERR, errno, "cannot allocate in file '%s'", vol->target.path);
            rc = -1;
        } else if (ftruncate(fd, (off_t)capacity) < 0) {
            vkReportSystemError(ERR, errno, "cannot resize file '%s'", vol->target.path);
            rc = -1;
        }
        close(fd);
        return rc;
    }
    {
        g_autofree char *bytes = g_strdup_printf("%llu", capacity);
        const char *grow[] = { "qemu-img", "resize", vol->target.path, bytes, NULL };
        const char *shrink[] = { "qemu-img", "resize", "--shrink", vol->target.path, bytes, NULL };
        return vkStorageRunCommand(capacity < vol->capacity ? shrink : grow, NULL);
    }
}

static int wipeRange(int fd, const char *path, unsigned long long length, gboolean random)
{
    g_autofree char *buf = g_malloc0(WIPE_CHUNK);
    unsigned long long off = 0;

    while (off < length) {
        size_t n = MIN((unsigned long long)WIPE_CHUNK, length - off);

        if (random) {
            for (size_t i = 0; i + 4 <= n; i += 4) {
                guint32 r = g_random_int();
                memcpy(buf + i, &r, 4);
            }
        }
        if (pwrite(fd, buf, n, (off_t)off) != (ssize_t)n) {
            vkReportSystemError(ERR, errno, "failed to write %zu bytes to '%s'", n, path);
            return -1;
        }
        off += n;
    }
    if (fdatasync(fd) < 0) {
        vkReportSystemError(ERR, errno, "cannot sync data to file '%s'", path);
        return -1;
    }
    return 0;
}

int vkStorageVolWipeFile(const vkStoragePoolDef *pool, const vkStorageVolDef *vol,
                         unsigned int algorithm)
{
    struct stat st;
    int fd;
    int rc;

    if (algorithm != VIR_STORAGE_VOL_WIPE_ALG_ZERO &&
        algorithm != VIR_STORAGE_VOL_WIPE_ALG_RANDOM) {
        vkReportError(ERR, VIR_ERR_ARGUMENT_UNSUPPORTED,
                      "wiping algorithm %u is not supported (zero and random are)", algorithm);
        return -1;
    }
    if (vol->type == VIR_STORAGE_VOL_DIR) {
        vkReportError(ERR, VIR_ERR_OPERATION_INVALID, "%s", "cannot wipe a directory");
        return -1;
    }
    /* An image format's contents are its metadata: wiping makes it a fresh image of the same
     * format and size, as libvirt does. */
    if (!isLogical(pool) && vol->target.format != VK_STORAGE_FILE_RAW) {
        g_autofree char *size = g_strdup_printf("%lluK", (vol->capacity + 1023) / 1024);
        const char *fmt = vkStorageFileFormatTypeToString(vol->target.format);
        const char *argv[] = { "qemu-img", "create", "-f", fmt, vol->target.path, size, NULL };
        return vkStorageRunCommand(argv, NULL);
    }
    if ((fd = open(vol->target.path, O_WRONLY | O_NOFOLLOW | O_CLOEXEC)) < 0) {
        vkReportSystemError(ERR, errno, "cannot open volume '%s'", vol->target.path);
        return -1;
    }
    if (fstat(fd, &st) < 0) {
        close(fd);
        vkReportSystemError(ERR, errno, "cannot stat '%s'", vol->target.path);
        return -1;
    }
    rc = wipeRange(fd, vol->target.path,
                   S_ISREG(st.st_mode) ? (unsigned long long)st.st_size : vol->capacity,
                   algorithm == VIR_STORAGE_VOL_WIPE_ALG_RANDOM);
    close(fd);
    return rc;
}

int vkStorageVolOpenStream(const vkStorageVolDef *vol, gboolean write, unsigned long long offset)
{
    int fd = open(vol->target.path, (write ? O_WRONLY : O_RDONLY) | O_NOFOLLOW | O_CLOEXEC);

    if (fd < 0) {
        vkReportSystemError(ERR, errno, "cannot open volume '%s'", vol->target.path);
        return -1;
    }
    if (lseek(fd, (off_t)offset, SEEK_SET) < 0) {
        vkReportSystemError(ERR, errno, "cannot seek to %llu in '%s'", offset, vol->target.path);
        close(fd);
        return -1;
    }
    return fd;
}

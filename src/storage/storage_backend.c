/* The pool backends: what building, starting, stopping, refreshing and deleting a pool does on
 * the host for dir pools (a directory), fs pools (a block device formatted and mounted on the
 * target) and logical pools (an LVM volume group over the source devices). */
#include <errno.h>
#include <fcntl.h>
#include <sys/prctl.h>
#include <mntent.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/mman.h>
#include <sys/statvfs.h>
#include <sys/wait.h>
#include <unistd.h>

#include "storage_priv.h"

/* libvirt's default for pool directories it creates. */
#define POOL_DIR_MODE 0711

int vkStorageBackendCheck(int type)
{
    if (type == VK_STORAGE_POOL_DIR || type == VK_STORAGE_POOL_FS ||
        type == VK_STORAGE_POOL_LOGICAL)
        return 0;
    vkReportError(ERR, VIR_ERR_INTERNAL_ERROR, "missing backend for pool type %d (%s)", type,
                  vkStoragePoolTypeToString(type));
    return -1;
}

/* ---- commands ---- */

static char *findProgram(const char *name)
{
    g_autofree char *found = g_find_program_in_path(name);
    const char *dirs[] = { "/usr/sbin", "/sbin", "/usr/bin", NULL };

    if (found)
        return g_steal_pointer(&found);
    for (const char **d = dirs; *d; d++) {
        g_autofree char *path = g_build_filename(*d, name, NULL);
        if (g_file_test(path, G_FILE_TEST_IS_EXECUTABLE))
            return g_steal_pointer(&path);
    }
    return NULL;
}

/* The whole content of the memory file FD, from its start. */
static char *readMemfd(int fd)
{
    GString *out = g_string_new(NULL);
    char buf[4096];
    ssize_t n;

    lseek(fd, 0, SEEK_SET);
    while ((n = read(fd, buf, sizeof(buf))) > 0)
        g_string_append_len(out, buf, n);
    return g_string_free(out, FALSE);
}

/* vfork and exec PROG with stdin, stdout and stderr from the descriptors; the child asks to be
 * killed when its parent dies. Kept apart from its caller, whose locals vfork could clobber. */
static G_GNUC_NO_INLINE pid_t spawnChild(const char *prog, char *const *args, int nullFd, int outFd,
                                         int errFd, pid_t parent)
{
    pid_t pid = vfork();

    if (pid != 0)
        return pid;
    /* Only async-signal-safe calls between vfork and exec. */
    if (prctl(PR_SET_PDEATHSIG, SIGKILL) < 0 || getppid() != parent || dup2(nullFd, 0) < 0 ||
        dup2(outFd, 1) < 0 || dup2(errFd, 2) < 0)
        _exit(126);
    execv(prog, args);
    _exit(127);
}

int vkStorageRunCommand(const char *const *argv, char **output)
{
    g_autofree char *prog = findProgram(argv[0]);
    g_autofree char *out = NULL;
    g_autofree char *err = NULL;
    g_autofree char *cmdline = NULL;
    g_auto(GStrv) args = g_strdupv((char **)argv);
    pid_t parent = getpid();
    int outFd = -1;
    int errFd = -1;
    int nullFd = -1;
    pid_t pid = -1;
    int status = 0;
    int rc = 0;

    if (output)
        *output = NULL;
    if (!prog) {
        vkReportError(ERR, VIR_ERR_INTERNAL_ERROR, "Cannot find '%s' in path", argv[0]);
        return -1;
    }
    g_free(args[0]);
    args[0] = g_strdup(prog);
    cmdline = g_strjoinv(" ", args);
    /* vfork (cheap in a big process) with the output in memory files, so no pipes need
     * draining while the program runs; the program dies with its caller (a helper that
     * outlived a killed virtkit would finish a mount or a copy after the next process had
     * cleaned up after the killed one). */
    if ((outFd = memfd_create("vk-stdout", MFD_CLOEXEC)) < 0 ||
        (errFd = memfd_create("vk-stderr", MFD_CLOEXEC)) < 0 ||
        (nullFd = open("/dev/null", O_RDONLY | O_CLOEXEC)) < 0) {
        rc = errno;
    } else if ((pid = spawnChild(prog, args, nullFd, outFd, errFd, parent)) < 0) {
        rc = errno;
    } else {
        while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
            ;
        out = readMemfd(outFd);
        err = readMemfd(errFd);
    }
    if (outFd >= 0)
        close(outFd);
    if (errFd >= 0)
        close(errFd);
    if (nullFd >= 0)
        close(nullFd);
    if (rc != 0) {
        vkReportSystemError(ERR, rc, "Cannot run %s", cmdline);
        return -1;
    }
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        vkReportError(ERR, VIR_ERR_INTERNAL_ERROR,
                      "Child process (%s) unexpected exit status %d: %s", cmdline,
                      WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status), err);
        return -1;
    }
    if (output)
        *output = g_steal_pointer(&out);
    return 0;
}

/* ---- sizes and permissions ---- */

static int refreshStatvfs(vkStoragePoolDef *def)
{
    struct statvfs sb;
    struct stat st;

    if (statvfs(def->target.path, &sb) < 0) {
        vkReportSystemError(ERR, errno, "cannot statvfs path '%s'", def->target.path);
        return -1;
    }
    def->capacity = (unsigned long long)sb.f_frsize * sb.f_blocks;
    def->available = (unsigned long long)sb.f_bavail * sb.f_frsize;
    def->allocation = ((unsigned long long)sb.f_blocks - sb.f_bfree) * sb.f_frsize;
    if (stat(def->target.path, &st) == 0) {
        def->target.perms.mode = st.st_mode & 07777;
        def->target.perms.uid = st.st_uid;
        def->target.perms.gid = st.st_gid;
    }
    return 0;
}

/* Sizes of a volume group from vgs, in bytes. */
static int refreshLogical(vkStoragePoolDef *def)
{
    const char *argv[] = {
        "vgs", "--noheadings",    "--units",        "b", "--nosuffix", "--separator", ":",
        "-o",  "vg_size,vg_free", def->source.name, NULL
    };
    g_autofree char *out = NULL;
    g_auto(GStrv) fields = NULL;

    if (vkStorageRunCommand(argv, &out) < 0)
        return -1;
    fields = g_strsplit(g_strstrip(out), ":", -1);
    if (g_strv_length(fields) < 2) {
        vkReportError(ERR, VIR_ERR_INTERNAL_ERROR, "cannot parse vgs output '%s'", out);
        return -1;
    }
    def->capacity = g_ascii_strtoull(fields[0], NULL, 10);
    def->available = g_ascii_strtoull(fields[1], NULL, 10);
    def->allocation = def->capacity - def->available;
    return 0;
}

int vkStorageBackendRefresh(vkStorageDriverState *state, vkStoragePoolDef *def)
{
    if (def->type == VK_STORAGE_POOL_LOGICAL)
        return refreshLogical(def);
    return refreshStatvfs(def);
}

/* ---- mounts ---- */

gboolean vkStorageBackendIsMounted(const char *target)
{
    FILE *mtab = setmntent("/proc/self/mounts", "r");
    struct mntent *ent;
    gboolean found = FALSE;

    if (!mtab)
        return FALSE;
    while (!found && (ent = getmntent(mtab)))
        found = g_str_equal(ent->mnt_dir, target);
    endmntent(mtab);
    return found;
}

/* ---- build ---- */

/* Removes the temporary directories of builds whose process died (TARGET.vkbuild-PID). */
static void removeStaleBuilds(const char *target)
{
    g_autofree char *parent = g_path_get_dirname(target);
    g_autofree char *prefix = g_strdup_printf("%s.vkbuild-", target);
    g_autoptr(GDir) dir = g_dir_open(parent, 0, NULL);
    const char *entry;

    while (dir && (entry = g_dir_read_name(dir))) {
        g_autofree char *path = g_build_filename(parent, entry, NULL);
        long pid;

        if (!g_str_has_prefix(path, prefix))
            continue;
        pid = strtol(path + strlen(prefix), NULL, 10);
        if (pid > 0 && (kill((pid_t)pid, 0) == 0 || errno != ESRCH))
            continue;
        rmdir(path);
    }
}

static int buildDir(const vkStoragePoolDef *def)
{
    mode_t mode = def->target.perms.mode >= 0 ? (mode_t)def->target.perms.mode : POOL_DIR_MODE;
    g_autofree char *parent = g_path_get_dirname(def->target.path);
    g_autofree char *tmp = NULL;

    removeStaleBuilds(def->target.path);
    if (g_file_test(def->target.path, G_FILE_TEST_IS_DIR))
        return 0;
    if (vkFileMakePath(parent, 0755) < 0)
        return -1;
    /* Made under a temporary name and renamed: a build killed half way leaves no directory
     * with the pool's name and the wrong mode or owner. */
    tmp = g_strdup_printf("%s.vkbuild-%d", def->target.path, (int)getpid());
    if (mkdir(tmp, mode) < 0 && errno != EEXIST) {
        vkReportSystemError(ERR, errno, "cannot create path '%s'", def->target.path);
        return -1;
    }
    if (chmod(tmp, mode) < 0 ||
        ((def->target.perms.uid >= 0 || def->target.perms.gid >= 0) &&
         chown(tmp, (uid_t)def->target.perms.uid, (gid_t)def->target.perms.gid) < 0) ||
        rename(tmp, def->target.path) < 0) {
        int err = errno;
        rmdir(tmp);
        vkReportSystemError(ERR, err, "cannot create path '%s'", def->target.path);
        return -1;
    }
    return 0;
}

static int buildFS(const vkStoragePoolDef *def, unsigned int flags)
{
    const char *format = vkStoragePoolFormatFSTypeToString(def->source.format);
    const char *device = def->source.devices[0];

    if (def->source.format == VK_STORAGE_POOL_FS_AUTO) {
        vkReportError(ERR, VIR_ERR_OPERATION_INVALID, "%s",
                      "No source format specified for the file system pool; give one in "
                      "<source><format type='...'/></source> to build it");
        return -1;
    }
    if (!(flags & VIR_STORAGE_POOL_BUILD_OVERWRITE)) {
        const char *probe[] = { "blkid", "-p", "-o", "value", "-s", "TYPE", device, NULL };
        g_autofree char *out = NULL;

        /* blkid exits 2 when it finds nothing, which is what a build may overwrite. */
        if (vkStorageRunCommand(probe, &out) == 0 && out && *g_strstrip(out)) {
            vkReportError(ERR, VIR_ERR_OPERATION_INVALID,
                          "Device '%s' is not empty (it holds %s); use --overwrite to build over "
                          "it",
                          device, out);
            return -1;
        }
        vkResetLastError();
    }
    {
        const char *mkfs[] = { "mkfs", "-t", format, device, NULL };
        const char *mkfsForce[] = { "mkfs", "-t", format, "-F", device, NULL };
        gboolean ext = g_str_has_prefix(format, "ext");

        if (vkStorageRunCommand(ext ? mkfsForce : mkfs, NULL) < 0)
            return -1;
    }
    return buildDir(def);
}

static int buildLogical(const vkStoragePoolDef *def, unsigned int flags)
{
    g_autoptr(GPtrArray) vgcreate = g_ptr_array_new();

    for (char **dev = def->source.devices; dev && *dev; dev++) {
        const char *pvcreate[] = { "pvcreate", "-ff", "-y", *dev, NULL };
        if (vkStorageRunCommand(pvcreate, NULL) < 0)
            return -1;
    }
    g_ptr_array_add(vgcreate, "vgcreate");
    g_ptr_array_add(vgcreate, def->source.name);
    for (char **dev = def->source.devices; dev && *dev; dev++)
        g_ptr_array_add(vgcreate, *dev);
    g_ptr_array_add(vgcreate, NULL);
    return vkStorageRunCommand((const char *const *)vgcreate->pdata, NULL);
}

int vkStorageBackendBuild(vkStorageDriverState *state, const vkStoragePoolDef *def,
                          unsigned int flags)
{
    switch (def->type) {
    case VK_STORAGE_POOL_FS:
        return buildFS(def, flags);
    case VK_STORAGE_POOL_LOGICAL:
        if (!def->source.devices) {
            vkReportError(ERR, VIR_ERR_OPERATION_INVALID, "%s",
                          "cannot build a logical pool without source devices");
            return -1;
        }
        return buildLogical(def, flags);
    default:
        return buildDir(def);
    }
}

/* ---- start and stop ---- */

static int checkTargetDir(const vkStoragePoolDef *def)
{
    g_autoptr(GDir) dir = NULL;
    g_autoptr(GError) gerr = NULL;

    if (!(dir = g_dir_open(def->target.path, 0, &gerr))) {
        vkReportError(ERR, VIR_ERR_SYSTEM_ERROR, "cannot open directory '%s': %s", def->target.path,
                      g_error_matches(gerr, G_FILE_ERROR, G_FILE_ERROR_NOENT)
                          ? "No such file or directory"
                          : gerr->message);
        return -1;
    }
    return 0;
}

static int startFS(const vkStoragePoolDef *def)
{
    const char *device = def->source.devices[0];
    const char *format = vkStoragePoolFormatFSTypeToString(def->source.format);

    if (checkTargetDir(def) < 0)
        return -1;
    if (vkStorageBackendIsMounted(def->target.path))
        return 0;
    if (def->source.format == VK_STORAGE_POOL_FS_AUTO) {
        const char *argv[] = { "mount", device, def->target.path, NULL };
        return vkStorageRunCommand(argv, NULL);
    } else {
        const char *argv[] = { "mount", "-t", format, device, def->target.path, NULL };
        return vkStorageRunCommand(argv, NULL);
    }
}

int vkStorageBackendStart(vkStorageDriverState *state, vkStoragePoolDef *def)
{
    int rc;

    switch (def->type) {
    case VK_STORAGE_POOL_FS:
        rc = startFS(def);
        break;
    case VK_STORAGE_POOL_LOGICAL: {
        const char *argv[] = { "vgchange", "-aay", def->source.name, NULL };
        rc = vkStorageRunCommand(argv, NULL);
        break;
    }
    default:
        rc = checkTargetDir(def);
        break;
    }
    if (rc < 0)
        return -1;
    return vkStorageBackendRefresh(state, def);
}

int vkStorageBackendStop(vkStorageDriverState *state, const vkStoragePoolDef *def)
{
    switch (def->type) {
    case VK_STORAGE_POOL_FS: {
        const char *argv[] = { "umount", def->target.path, NULL };

        if (!vkStorageBackendIsMounted(def->target.path))
            return 0;
        return vkStorageRunCommand(argv, NULL);
    }
    case VK_STORAGE_POOL_LOGICAL: {
        const char *argv[] = { "vgchange", "-aln", def->source.name, NULL };
        return vkStorageRunCommand(argv, NULL);
    }
    default:
        return 0;
    }
}

/* ---- delete ---- */

int vkStorageBackendDelete(vkStorageDriverState *state, const vkStoragePoolDef *def,
                           unsigned int flags)
{
    if (def->type == VK_STORAGE_POOL_LOGICAL) {
        const char *vgremove[] = { "vgremove", "-f", def->source.name, NULL };

        if (vkStorageRunCommand(vgremove, NULL) < 0)
            return -1;
        for (char **dev = def->source.devices; dev && *dev; dev++) {
            const char *pvremove[] = { "pvremove", *dev, NULL };
            if (vkStorageRunCommand(pvremove, NULL) < 0)
                return -1;
        }
        return 0;
    }
    if (rmdir(def->target.path) < 0 && errno != ENOENT) {
        vkReportSystemError(ERR, errno, "failed to remove pool '%s'", def->target.path);
        return -1;
    }
    return 0;
}

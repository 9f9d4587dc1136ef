/* Tests for vkfile: atomic writes that keep the old content on failure, reads, mkdir -p,
 * symlinks, and lock files contended by forked processes. */
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "testutil.h"
#include "util/vkfile.h"

typedef struct {
    char *dir;
} Fixture;

static void fixtureSetup(Fixture *f, gconstpointer data)
{
    g_autoptr(GError) gerr = NULL;

    f->dir = g_dir_make_tmp("vkfiletest-XXXXXX", &gerr);
    g_assert_no_error(gerr);
}

static void fixtureTeardown(Fixture *f, gconstpointer data)
{
    const char *argv[] = { "rm", "-rf", f->dir, NULL };
    int status = -1;

    /* A test may have left the directory read-only. */
    chmod(f->dir, 0700);
    g_assert_true(g_spawn_sync(NULL, (char **)argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, NULL,
                               NULL, &status, NULL));
    g_assert_cmpint(status, ==, 0);
    g_free(f->dir);
}

static char *readBack(const char *path)
{
    char *data = NULL;

    g_assert_cmpint(vkFileReadAll(path, &data, NULL), ==, 0);
    return data;
}

static int compareNames(gconstpointer a, gconstpointer b)
{
    return g_strcmp0(*(const char *const *)a, *(const char *const *)b);
}

/* Every name in DIR, sorted, joined by spaces: shows leftover temporary files. */
static char *listDir(const char *dir)
{
    g_autoptr(GDir) d = g_dir_open(dir, 0, NULL);
    g_autoptr(GPtrArray) names = g_ptr_array_new();
    const char *name;

    g_assert_nonnull(d);
    while ((name = g_dir_read_name(d)))
        g_ptr_array_add(names, (gpointer)name);
    g_ptr_array_sort(names, compareNames);
    g_ptr_array_add(names, NULL);
    return g_strjoinv(" ", (char **)names->pdata);
}

static void testWriteReplaces(Fixture *f, gconstpointer data)
{
    g_autofree char *path = g_build_filename(f->dir, "net.xml", NULL);
    g_autofree char *first = NULL;
    g_autofree char *second = NULL;
    g_autofree char *names = NULL;
    struct stat st;

    g_assert_cmpint(vkFileWriteAtomic(path, "first\n", -1, 0600), ==, 0);
    first = readBack(path);
    g_assert_cmpstr(first, ==, "first\n");

    g_assert_cmpint(vkFileWriteAtomic(path, "second, longer\nxyz", 15, 0600), ==, 0);
    second = readBack(path);
    g_assert_cmpstr(second, ==, "second, longer\n");

    g_assert_cmpint(stat(path, &st), ==, 0);
    g_assert_cmpint(st.st_mode & 0777, ==, 0600);
    names = listDir(f->dir);
    g_assert_cmpstr(names, ==, "net.xml");
}

static void testWriteMissingDir(Fixture *f, gconstpointer data)
{
    g_autofree char *path = g_build_filename(f->dir, "nodir", "net.xml", NULL);

    g_assert_cmpint(vkFileWriteAtomic(path, "x", -1, 0600), ==, -1);
    assertLastError(VIR_ERR_SYSTEM_ERROR, path);
    g_assert_false(g_file_test(path, G_FILE_TEST_EXISTS));
}

static void testWriteReadOnlyDir(Fixture *f, gconstpointer data)
{
    g_autofree char *path = g_build_filename(f->dir, "net.xml", NULL);
    g_autofree char *content = NULL;
    g_autofree char *names = NULL;

    if (geteuid() == 0) {
        g_test_skip("root ignores directory permissions; see write-fails for a failure as root");
        return;
    }
    g_assert_cmpint(vkFileWriteAtomic(path, "old", -1, 0600), ==, 0);
    g_assert_cmpint(chmod(f->dir, 0500), ==, 0);

    g_assert_cmpint(vkFileWriteAtomic(path, "new", -1, 0600), ==, -1);
    assertLastError(VIR_ERR_SYSTEM_ERROR, path);
    content = readBack(path);
    g_assert_cmpstr(content, ==, "old");
    names = listDir(f->dir);
    g_assert_cmpstr(names, ==, "net.xml");
}

/* A file size limit makes the write itself fail half way, for root too. */
static void testWriteFails(Fixture *f, gconstpointer data)
{
    g_autofree char *path = g_build_filename(f->dir, "net.xml", NULL);
    g_autofree char *big = g_strnfill(256 * 1024, 'n');
    g_autofree char *content = NULL;
    g_autofree char *names = NULL;
    struct rlimit saved;
    struct rlimit small;
    void (*oldHandler)(int);
    int rc;

    g_assert_cmpint(vkFileWriteAtomic(path, "old", -1, 0600), ==, 0);

    g_assert_cmpint(getrlimit(RLIMIT_FSIZE, &saved), ==, 0);
    small = saved;
    small.rlim_cur = 4096;
    oldHandler = signal(SIGXFSZ, SIG_IGN);
    g_assert_cmpint(setrlimit(RLIMIT_FSIZE, &small), ==, 0);
    rc = vkFileWriteAtomic(path, big, -1, 0600);
    g_assert_cmpint(setrlimit(RLIMIT_FSIZE, &saved), ==, 0);
    signal(SIGXFSZ, oldHandler);

    g_assert_cmpint(rc, ==, -1);
    assertLastError(VIR_ERR_SYSTEM_ERROR, path);
    content = readBack(path);
    g_assert_cmpstr(content, ==, "old");
    names = listDir(f->dir);
    g_assert_cmpstr(names, ==, "net.xml");
}

static void testRead(Fixture *f, gconstpointer data)
{
    g_autofree char *path = g_build_filename(f->dir, "status.xml", NULL);
    g_autofree char *content = NULL;
    gsize len = 99;

    g_assert_cmpint(vkFileReadAll(path, &content, &len), ==, -1);
    assertLastError(VIR_ERR_SYSTEM_ERROR, path);
    g_assert_null(content);
    g_assert_cmpuint(len, ==, 0);

    g_assert_cmpint(vkFileReadIfExists(path, &content, &len), ==, 0);
    g_assert_null(content);

    g_assert_cmpint(vkFileWriteAtomic(path, "a\0b", 3, 0644), ==, 0);
    g_assert_cmpint(vkFileReadIfExists(path, &content, &len), ==, 0);
    g_assert_cmpuint(len, ==, 3);
    g_assert_cmpmem(content, 3, "a\0b", 3);
}

static void testMakePath(Fixture *f, gconstpointer data)
{
    g_autofree char *deep = g_build_filename(f->dir, "etc", "network", "autostart", NULL);
    g_autofree char *file = g_build_filename(f->dir, "plain", NULL);
    g_autofree char *underFile = g_build_filename(file, "sub", NULL);
    mode_t mask = umask(0);
    struct stat st;

    umask(mask);
    g_assert_cmpint(vkFileMakePath(deep, 0750), ==, 0);
    g_assert_cmpint(stat(deep, &st), ==, 0);
    g_assert_true(S_ISDIR(st.st_mode));
    g_assert_cmpint(st.st_mode & 0777, ==, 0750 & ~mask);
    g_assert_cmpint(vkFileMakePath(deep, 0750), ==, 0);

    g_assert_cmpint(vkFileWriteAtomic(file, "", -1, 0600), ==, 0);
    g_assert_cmpint(vkFileMakePath(underFile, 0700), ==, -1);
    assertLastError(VIR_ERR_SYSTEM_ERROR, underFile);
}

static void testRemoveIfExists(Fixture *f, gconstpointer data)
{
    g_autofree char *path = g_build_filename(f->dir, "pid", NULL);

    g_assert_cmpint(vkFileRemoveIfExists(path), ==, 0);
    g_assert_cmpint(vkFileWriteAtomic(path, "42", -1, 0600), ==, 0);
    g_assert_cmpint(vkFileRemoveIfExists(path), ==, 0);
    g_assert_false(g_file_test(path, G_FILE_TEST_EXISTS));

    /* Anything but a missing file is still an error: here, a directory. */
    g_assert_cmpint(vkFileRemoveIfExists(f->dir), ==, -1);
    assertLastError(VIR_ERR_SYSTEM_ERROR, f->dir);
}

static void testSymlink(Fixture *f, gconstpointer data)
{
    g_autofree char *link = g_build_filename(f->dir, "web.xml", NULL);
    g_autofree char *plain = g_build_filename(f->dir, "plain.xml", NULL);
    g_autofree char *target = NULL;

    g_assert_cmpint(vkFileSymlinkCreate("/etc/network/web.xml", link), ==, 0);
    g_assert_cmpint(vkFileSymlinkCreate("/etc/network/web.xml", link), ==, 0);
    target = g_file_read_link(link, NULL);
    g_assert_cmpstr(target, ==, "/etc/network/web.xml");
    g_clear_pointer(&target, g_free);

    g_assert_cmpint(vkFileSymlinkCreate("/other/web.xml", link), ==, 0);
    target = g_file_read_link(link, NULL);
    g_assert_cmpstr(target, ==, "/other/web.xml");

    g_assert_cmpint(vkFileSymlinkRemove(link), ==, 0);
    g_assert_false(g_file_test(link, G_FILE_TEST_IS_SYMLINK));
    g_assert_cmpint(vkFileSymlinkRemove(link), ==, 0);

    g_assert_cmpint(vkFileWriteAtomic(plain, "<network/>", -1, 0600), ==, 0);
    g_assert_cmpint(vkFileSymlinkRemove(plain), ==, -1);
    assertLastError(VIR_ERR_OPERATION_FAILED, plain);
    g_assert_true(g_file_test(plain, G_FILE_TEST_IS_REGULAR));
}

static void testListNames(Fixture *f, gconstpointer data)
{
    g_autofree char *a = g_build_filename(f->dir, "a", NULL);
    g_autofree char *b = g_build_filename(f->dir, "b", NULL);
    g_autofree char *missing = g_build_filename(f->dir, "missing", NULL);
    const char *dirs[] = { a, b, missing, NULL };
    g_auto(GStrv) names = NULL;
    g_autofree char *joined = NULL;

    g_assert_cmpint(vkFileMakePath(a, 0700), ==, 0);
    g_assert_cmpint(vkFileMakePath(b, 0700), ==, 0);
    g_assert_cmpint(vkFileMakePath(f->dir, 0700), ==, 0);
    for (const char *const *p =
             (const char *const[]){ "a/zeta.xml", "a/alpha.xml", "b/alpha.xml", "b/mid dle.xml",
                                    "b/x.conf", "b/.xml", NULL };
         *p; p++) {
        g_autofree char *path = g_build_filename(f->dir, *p, NULL);
        g_assert_true(g_file_set_contents(path, "", 0, NULL));
    }

    g_autofree char *link = g_build_filename(a, "link.xml", NULL);
    g_autofree char *sub = g_build_filename(a, "sub.xml", NULL);
    g_assert_cmpint(symlink("zeta.xml", link), ==, 0);
    g_assert_cmpint(mkdir(sub, 0700), ==, 0);

    /* A symlink is listed, for the reader to judge as a lookup would; a directory is not. */
    names = vkFileListNames(dirs, "xml");
    joined = g_strjoinv(",", names);
    g_assert_cmpstr(joined, ==, "alpha,link,mid dle,zeta");
}

/* A directory that exists but cannot be read lists nothing, and says so on stderr. */
static void testListNamesUnreadable(Fixture *f, gconstpointer data)
{
    g_autofree char *notDir = g_build_filename(f->dir, "file", NULL);
    const char *dirs[] = { notDir, NULL };

    if (g_test_subprocess()) {
        g_auto(GStrv) names = NULL;

        g_assert_true(g_file_set_contents(notDir, "", 0, NULL));
        names = vkFileListNames(dirs, "xml");
        g_assert_cmpuint(g_strv_length(names), ==, 0);
        g_assert_null(virGetLastError());
        return;
    }
    g_test_trap_subprocess(NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
    g_test_trap_assert_passed();
    g_test_trap_assert_stderr("*warning: objects in '*/file' are not listed: cannot open "
                              "directory '*/file': Not a directory*");
}

static void testAutostart(Fixture *f, gconstpointer data)
{
    g_autofree char *dir = g_build_filename(f->dir, "autostart", NULL);
    g_autofree char *link = g_build_filename(dir, "n1.xml", NULL);
    g_autofree char *target = NULL;

    g_assert_false(vkFileAutostartGet(dir, "n1"));
    g_assert_cmpint(vkFileAutostartSet(dir, "n1", TRUE), ==, 0);
    g_assert_true(vkFileAutostartGet(dir, "n1"));
    target = g_file_read_link(link, NULL);
    g_assert_cmpstr(target, ==, "../n1.xml");
    g_assert_cmpint(vkFileAutostartSet(dir, "n1", TRUE), ==, 0);
    g_assert_cmpint(vkFileAutostartSet(dir, "n1", FALSE), ==, 0);
    g_assert_false(vkFileAutostartGet(dir, "n1"));
    g_assert_false(g_file_test(link, G_FILE_TEST_EXISTS | G_FILE_TEST_IS_SYMLINK));
    g_assert_cmpint(vkFileAutostartSet(dir, "n1", FALSE), ==, 0);
}

static void testLockSameProcess(Fixture *f, gconstpointer data)
{
    g_autoptr(vkFileLock) held = vkFileLockAcquire(f->dir, "web");
    g_autofree char *lockPath = g_build_filename(f->dir, "web.lock", NULL);
    vkFileLock *other = NULL;

    g_assert_nonnull(held);
    g_assert_true(g_file_test(lockPath, G_FILE_TEST_IS_REGULAR));

    /* A second acquisition conflicts even within one process, so threads are serialised. */
    g_assert_cmpint(vkFileLockTryAcquire(f->dir, "web", &other), ==, 1);
    g_assert_null(other);
    g_assert_false(vkHasError());

    g_clear_pointer(&held, vkFileLockRelease);
    g_assert_cmpint(vkFileLockTryAcquire(f->dir, "web", &other), ==, 0);
    g_assert_nonnull(other);
    vkFileLockRelease(other);

    /* The lock file stays, by design. */
    g_assert_true(g_file_test(lockPath, G_FILE_TEST_IS_REGULAR));
}

static void testLockMissingDir(Fixture *f, gconstpointer data)
{
    g_autofree char *dir = g_build_filename(f->dir, "nodir", NULL);
    vkFileLock *lock = NULL;

    g_assert_null(vkFileLockAcquire(dir, "web"));
    assertLastError(VIR_ERR_SYSTEM_ERROR, dir);
    g_assert_cmpint(vkFileLockTryAcquire(dir, "web", &lock), ==, -1);
    assertLastError(VIR_ERR_SYSTEM_ERROR, "web.lock");
}

/* TRUE if a byte arrives on FD within MS milliseconds. */
static gboolean readableWithin(int fd, int ms)
{
    struct pollfd pfd = { .fd = fd, .events = POLLIN };

    return poll(&pfd, 1, ms) == 1;
}

enum { CHILD_OK = 0, CHILD_NOT_BUSY = 10, CHILD_LOCK_FAILED = 11 };

static void testLockBlocksOtherProcess(Fixture *f, gconstpointer data)
{
    g_autoptr(vkFileLock) held = vkFileLockAcquire(f->dir, "web");
    int fds[2];
    pid_t child;
    int status;
    char byte = 0;

    g_assert_nonnull(held);
    g_assert_cmpint(pipe(fds), ==, 0);
    fflush(stdout);
    child = fork();
    g_assert_cmpint(child, >=, 0);
    if (child == 0) {
        vkFileLock *lock = NULL;
        /* Our copy of the parent's descriptor shares its lock; only the parent's counts. */
        vkFileLockRelease(g_steal_pointer(&held));
        close(fds[0]);
        if (vkFileLockTryAcquire(f->dir, "web", &lock) != 1)
            _exit(CHILD_NOT_BUSY);
        if (!(lock = vkFileLockAcquire(f->dir, "web")))
            _exit(CHILD_LOCK_FAILED);
        if (write(fds[1], "A", 1) != 1)
            _exit(CHILD_LOCK_FAILED);
        vkFileLockRelease(lock);
        _exit(CHILD_OK);
    }
    close(fds[1]);

    /* While we hold the lock the child stays blocked in vkFileLockAcquire. */
    g_assert_false(readableWithin(fds[0], 300));
    g_clear_pointer(&held, vkFileLockRelease);
    g_assert_true(readableWithin(fds[0], 10000));
    g_assert_cmpint(read(fds[0], &byte, 1), ==, 1);
    g_assert_cmpint(byte, ==, 'A');
    close(fds[0]);

    g_assert_cmpint(waitpid(child, &status, 0), ==, child);
    g_assert_true(WIFEXITED(status));
    g_assert_cmpint(WEXITSTATUS(status), ==, CHILD_OK);
}

static void testLockKilledHolder(Fixture *f, gconstpointer data)
{
    vkFileLock *lock = NULL;
    int fds[2];
    pid_t child;
    int status;
    char byte = 0;

    g_assert_cmpint(pipe(fds), ==, 0);
    fflush(stdout);
    child = fork();
    g_assert_cmpint(child, >=, 0);
    if (child == 0) {
        close(fds[0]);
        if (!(lock = vkFileLockAcquire(f->dir, "web")) || write(fds[1], "L", 1) != 1)
            _exit(CHILD_LOCK_FAILED);
        for (;;)
            pause();
    }
    close(fds[1]);
    g_assert_true(readableWithin(fds[0], 10000));
    g_assert_cmpint(read(fds[0], &byte, 1), ==, 1);
    close(fds[0]);

    g_assert_cmpint(vkFileLockTryAcquire(f->dir, "web", &lock), ==, 1);
    g_assert_cmpint(kill(child, SIGKILL), ==, 0);
    g_assert_cmpint(waitpid(child, &status, 0), ==, child);
    g_assert_true(WIFSIGNALED(status));

    g_assert_cmpint(vkFileLockTryAcquire(f->dir, "web", &lock), ==, 0);
    vkFileLockRelease(lock);
}

/* State files are never read, created, appended to or locked through a symbolic link, nor
 * opened when they are fifos (which would hang). */
static void testNoFollow(Fixture *f, gconstpointer data)
{
    g_autofree char *target = g_build_filename(f->dir, "target", NULL);
    g_autofree char *missing = g_build_filename(f->dir, "missing", NULL);
    g_autofree char *link = g_build_filename(f->dir, "state.xml", NULL);
    g_autofree char *lockLink = g_build_filename(f->dir, "web.lock", NULL);
    g_autofree char *fifo = g_build_filename(f->dir, "fifo.xml", NULL);
    g_autofree char *content = NULL;
    vkFileLock *lock = NULL;

    g_assert_true(g_file_set_contents(target, "secret\n", -1, NULL));
    g_assert_cmpint(symlink(target, link), ==, 0);
    g_assert_cmpint(vkFileReadAll(link, &content, NULL), ==, -1);
    assertLastError(VIR_ERR_SYSTEM_ERROR, "it is a symbolic link, which is refused here");
    g_assert_cmpint(vkFileReadIfExists(link, &content, NULL), ==, -1);
    assertLastError(VIR_ERR_SYSTEM_ERROR, "it is a symbolic link");
    g_assert_null(content);
    /* Configuration an administrator links elsewhere is followed. */
    g_assert_cmpint(vkFileReadConfigIfExists(link, &content, NULL), ==, 0);
    g_assert_cmpstr(content, ==, "secret\n");

    g_assert_cmpint(vkFileOpenState(link, O_WRONLY | O_APPEND | O_CREAT, 0600, "cannot open log"),
                    ==, -1);
    assertLastError(VIR_ERR_SYSTEM_ERROR, "cannot open log '");
    g_assert_cmpint(vkFileRefuseSymlink(link), ==, -1);
    assertLastError(VIR_ERR_SYSTEM_ERROR, "it is a symbolic link");
    g_assert_cmpint(vkFileRefuseSymlink(target), ==, 0);
    g_assert_cmpint(vkFileRefuseSymlink(missing), ==, 0);

    /* A dangling link as the lock: nothing may be created where it points. */
    g_assert_cmpint(symlink(missing, lockLink), ==, 0);
    g_assert_null(vkFileLockAcquire(f->dir, "web"));
    assertLastError(VIR_ERR_SYSTEM_ERROR, "cannot open lock file");
    g_assert_cmpint(vkFileLockTryAcquire(f->dir, "web", &lock), ==, -1);
    assertLastError(VIR_ERR_SYSTEM_ERROR, "symbolic link");
    g_assert_false(g_file_test(missing, G_FILE_TEST_EXISTS));

    g_assert_cmpint(mkfifo(fifo, 0600), ==, 0);
    g_clear_pointer(&content, g_free);
    g_assert_cmpint(vkFileReadIfExists(fifo, &content, NULL), ==, -1);
    assertLastError(VIR_ERR_SYSTEM_ERROR, "not a regular file");
}

/* Listing removes what a writer killed between naming and renaming its temporary file left,
 * once it is old enough that no live writer can still be renaming it. */
static void testListRemovesStaleTemporaries(Fixture *f, gconstpointer data)
{
    const char *dirs[] = { f->dir, NULL };
    const char *stale[] = { "web.xml.0badcafe", "web.reason.12345678" };
    const char *kept[] = { "web.xml", "web.xml.89abcdef", "web.xml.notahexx", "plain.0badcafe",
                           "web.xml.0BADCAFE" };
    g_auto(GStrv) names = NULL;
    g_autofree char *joined = NULL;
    g_autofree char *left = NULL;

    for (size_t i = 0; i < G_N_ELEMENTS(stale); i++) {
        g_autofree char *path = g_build_filename(f->dir, stale[i], NULL);
        struct timeval old[2] = { { .tv_sec = time(NULL) - 3600 },
                                  { .tv_sec = time(NULL) - 3600 } };

        g_assert_true(g_file_set_contents(path, "<domain", -1, NULL));
        g_assert_cmpint(utimes(path, old), ==, 0);
    }
    for (size_t i = 0; i < G_N_ELEMENTS(kept); i++) {
        g_autofree char *path = g_build_filename(f->dir, kept[i], NULL);
        g_assert_true(g_file_set_contents(path, "<domain", -1, NULL));
    }
    names = vkFileListNames(dirs, "xml");
    joined = g_strjoinv(" ", names);
    g_assert_cmpstr(joined, ==, "web");
    left = listDir(f->dir);
    g_assert_cmpstr(left, ==,
                    "plain.0badcafe web.xml web.xml.0BADCAFE web.xml.89abcdef web.xml.notahexx");
}

/* In a forked child: become nobody when we are root, so that file permissions apply. */
static void childDropPrivileges(void)
{
    if (geteuid() == 0 && (setgroups(0, NULL) < 0 || setgid(65534) < 0 || setuid(65534) < 0))
        _exit(CHILD_LOCK_FAILED);
}

/* Runs FN in an unprivileged child and returns its exit status. */
static int asUnprivileged(Fixture *f, int (*fn)(Fixture *f, int fd))
{
    pid_t child;
    int status;

    fflush(stdout);
    child = fork();
    g_assert_cmpint(child, >=, 0);
    if (child == 0) {
        childDropPrivileges();
        _exit(fn(f, -1));
    }
    g_assert_cmpint(waitpid(child, &status, 0), ==, child);
    g_assert_true(WIFEXITED(status));
    return WEXITSTATUS(status);
}

static int tryBusy(Fixture *f, int fd)
{
    vkFileLock *lock = NULL;

    return vkFileLockTryAcquire(f->dir, "web", &lock) == 1 ? CHILD_OK : CHILD_NOT_BUSY;
}

/* Holds a (shared) lock until the parent has seen it held. */
static int holdShared(Fixture *f, int fd)
{
    vkFileLock *lock = NULL;
    char byte;

    if (vkFileLockTryAcquire(f->dir, "web", &lock) != 0 || write(fd, "L", 1) != 1 ||
        read(fd, &byte, 1) != 1)
        return CHILD_LOCK_FAILED;
    vkFileLockRelease(lock);
    return CHILD_OK;
}

static int missingFails(Fixture *f, int fd)
{
    vkFileLock *lock = NULL;

    return vkFileLockTryAcquire(f->dir, "absent", &lock) == -1 ? CHILD_OK : CHILD_LOCK_FAILED;
}

/* A caller that may not write the lock file (read-only state) still takes part in the locking:
 * it gets a shared lock, which waits for and keeps out every exclusive holder. */
static void testLockReadOnly(Fixture *f, gconstpointer data)
{
    g_autofree char *path = g_build_filename(f->dir, "web.lock", NULL);
    g_autoptr(vkFileLock) held = vkFileLockAcquire(f->dir, "web");
    vkFileLock *lock = NULL;
    int fds[2];
    char byte = 0;
    pid_t child;
    int status;

    g_assert_nonnull(held);
    g_assert_cmpint(chmod(path, 0444), ==, 0);
    g_assert_cmpint(chmod(f->dir, 0555), ==, 0);

    /* Held exclusively by us: busy for the read-only caller. */
    g_assert_cmpint(asUnprivileged(f, tryBusy), ==, CHILD_OK);
    g_clear_pointer(&held, vkFileLockRelease);

    /* Held (shared) by the read-only caller: busy for a writer. */
    g_assert_cmpint(socketpair(AF_UNIX, SOCK_STREAM, 0, fds), ==, 0);
    fflush(stdout);
    child = fork();
    g_assert_cmpint(child, >=, 0);
    if (child == 0) {
        close(fds[0]);
        childDropPrivileges();
        _exit(holdShared(f, fds[1]));
    }
    close(fds[1]);
    g_assert_true(readableWithin(fds[0], 10000));
    g_assert_cmpint(read(fds[0], &byte, 1), ==, 1);
    g_assert_cmpint(vkFileLockTryAcquire(f->dir, "web", &lock), ==, 1);
    g_assert_cmpint(write(fds[0], "x", 1), ==, 1);
    close(fds[0]);
    g_assert_cmpint(waitpid(child, &status, 0), ==, child);
    g_assert_true(WIFEXITED(status));
    g_assert_cmpint(WEXITSTATUS(status), ==, CHILD_OK);

    /* Without a lock file to share, there is nothing to fall back on. */
    g_assert_cmpint(asUnprivileged(f, missingFails), ==, CHILD_OK);
}

#define ADD(name, fn) g_test_add("/file/" name, Fixture, NULL, fixtureSetup, fn, fixtureTeardown)

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);

    ADD("write-atomic/replaces", testWriteReplaces);
    ADD("write-atomic/missing-dir", testWriteMissingDir);
    ADD("write-atomic/read-only-dir", testWriteReadOnlyDir);
    ADD("write-atomic/write-fails", testWriteFails);
    ADD("read", testRead);
    ADD("make-path", testMakePath);
    ADD("remove-if-exists", testRemoveIfExists);
    ADD("symlink", testSymlink);
    ADD("list-names", testListNames);
    ADD("list-names/unreadable", testListNamesUnreadable);
    ADD("autostart", testAutostart);
    ADD("lock/same-process", testLockSameProcess);
    ADD("lock/missing-dir", testLockMissingDir);
    ADD("lock/blocks-other-process", testLockBlocksOtherProcess);
    ADD("lock/killed-holder", testLockKilledHolder);
    ADD("no-follow", testNoFollow);
    ADD("list-names/stale-temporaries", testListRemovesStaleTemporaries);
    ADD("lock/read-only", testLockReadOnly);
    return g_test_run();
}

/* Tests for the object store that the qemu, network and storage drivers share, with a toy
 * object kind: a name that is no valid name never becomes a path, a config that would not load
 * again is not stored, state is never read through a symbolic link, listings warn about what
 * they skip and clean up after killed writers, and a caller that cannot write still locks. */
#include <errno.h>
#include <glib/gstdio.h>
#include <grp.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <unistd.h>

#include "testutil.h"
#include "util/vkobjstore.h"

/* ---- the toy kind: "name=NAME\nvalue=VALUE\n", and '#' lines that parsing skips ---- */

typedef struct {
    char *name;
    char *value;
} Thing;

static void thingFree(void *data)
{
    Thing *t = data;

    if (!t)
        return;
    g_free(t->name);
    g_free(t->value);
    g_free(t);
}

static void *thingParse(const char *text)
{
    g_auto(GStrv) lines = g_strsplit(text, "\n", -1);
    Thing *t = g_new0(Thing, 1);

    for (char **line = lines; *line; line++) {
        if (!**line || **line == '#')
            continue;
        if (g_str_has_prefix(*line, "name=") && !t->name) {
            t->name = g_strdup(*line + 5);
        } else if (g_str_has_prefix(*line, "value=") && !t->value) {
            t->value = g_strdup(*line + 6);
        } else {
            vkReportError(VIR_FROM_NONE, VIR_ERR_XML_ERROR, "unexpected line '%s'", *line);
            thingFree(t);
            return NULL;
        }
    }
    if (!t->name || !t->value) {
        vkReportError(VIR_FROM_NONE, VIR_ERR_XML_ERROR, "%s", "a thing needs a name and a value");
        thingFree(t);
        return NULL;
    }
    return t;
}

static char *thingFormat(const void *data)
{
    const Thing *t = data;
    return g_strdup_printf("name=%s\nvalue=%s\n", t->name, t->value);
}

static const char *thingName(const void *data)
{
    return ((const Thing *)data)->name;
}

static void *thingCopy(const void *data)
{
    const Thing *t = data;
    Thing *copy = g_new0(Thing, 1);

    copy->name = g_strdup(t->name);
    copy->value = g_strdup(t->value);
    return copy;
}

static gboolean thingNameValid(const char *name)
{
    if (!*name || name[0] == '.')
        return FALSE;
    for (const char *p = name; *p; p++) {
        if (*p == '/' || (unsigned char)*p < 0x20)
            return FALSE;
    }
    return TRUE;
}

static int thingNameCheck(const char *name)
{
    if (thingNameValid(name))
        return 0;
    vkReportError(VIR_FROM_NONE, VIR_ERR_XML_ERROR, "bad thing name '%s'", name);
    return -1;
}

static const vkObjStoreClass thingClass = {
    .kind = "thing",
    .errDomain = VIR_FROM_NONE,
    .parseConfig = thingParse,
    .parseStatus = thingParse,
    .configName = thingName,
    .statusName = thingName,
    .freeConfig = thingFree,
    .freeStatus = thingFree,
    .copyConfig = thingCopy,
    .copyStatus = thingCopy,
    .formatConfig = thingFormat,
    .nameValid = thingNameValid,
    .nameCheck = thingNameCheck,
    .noObjectCode = VIR_ERR_NO_DOMAIN,
    .noObjectNoun = "thing",
};

/* ---- fixture: DIR/etc and DIR/run, and a bait beside them ---- */

typedef struct {
    char *dir;
    char *etc;
    char *run;
    vkObjStore *store;
} Fixture;

static char *inDir(const char *dir, const char *name)
{
    return g_build_filename(dir, name, NULL);
}

static void writeFile(const char *dir, const char *name, const char *text)
{
    g_autofree char *path = inDir(dir, name);

    g_assert_true(g_file_set_contents(path, text, -1, NULL));
}

static void fixtureSetup(Fixture *f, gconstpointer data)
{
    g_autoptr(GError) gerr = NULL;

    f->dir = g_dir_make_tmp("vkobjstoretest-XXXXXX", &gerr);
    g_assert_no_error(gerr);
    f->etc = inDir(f->dir, "etc");
    f->run = inDir(f->dir, "run");
    g_assert_cmpint(g_mkdir(f->etc, 0700), ==, 0);
    g_assert_cmpint(g_mkdir(f->run, 0700), ==, 0);
    /* What "../bait" would name from either directory, with a name that matches it. */
    writeFile(f->dir, "bait.xml", "name=../bait\nvalue=SECRET\n");
    f->store = vkObjStoreNew(&thingClass, f->etc, f->run);
}

static void fixtureTeardown(Fixture *f, gconstpointer data)
{
    const char *argv[] = { "rm", "-rf", f->dir, NULL };
    int status = -1;

    vkObjStoreFree(f->store);
    chmod(f->dir, 0700);
    chmod(f->run, 0700);
    g_assert_true(g_spawn_sync(NULL, (char **)argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, NULL,
                               NULL, &status, NULL));
    g_assert_cmpint(status, ==, 0);
    g_free(f->dir);
    g_free(f->etc);
    g_free(f->run);
}

static gboolean exists(const char *dir, const char *name)
{
    g_autofree char *path = inDir(dir, name);
    struct stat st;

    return lstat(path, &st) == 0;
}

/* ---- names ---- */

/* A bad name (from a lookup, a handle, a guest's XML) names nothing: it is read as no object,
 * written, removed and locked never, whatever file it would lead to. */
static void testBadNames(Fixture *f, gconstpointer data)
{
    const char *bad[] = { "../bait", "a/b", ".hidden", "x\ty", "" };
    vkObjStoreObj *obj = (vkObjStoreObj *)0x1;
    vkFileLock *lock = (vkFileLock *)0x1;

    for (size_t i = 0; i < G_N_ELEMENTS(bad); i++) {
        g_test_message("name '%s'", bad[i]);
        g_assert_cmpint(vkObjStoreRead(f->store, bad[i], &obj), ==, 0);
        g_assert_null(obj);
        g_assert_null(virGetLastError());
        g_assert_cmpint(vkObjStoreReadDefs(f->store, bad[i], &obj), ==, 0);
        g_assert_null(obj);
        g_assert_null(vkObjStoreStatusRead(f->store, bad[i]));
        g_assert_null(virGetLastError());

        g_assert_cmpint(vkObjStoreConfigWrite(f->store, bad[i], "name=x\nvalue=1\n"), ==, -1);
        assertLastError(VIR_ERR_XML_ERROR, "bad thing name");
        g_assert_cmpint(vkObjStoreStatusWrite(f->store, bad[i], NULL, "name=x\nvalue=1\n"), ==, -1);
        assertLastError(VIR_ERR_XML_ERROR, "bad thing name");
        g_assert_cmpint(vkObjStoreConfigDelete(f->store, bad[i]), ==, -1);
        assertLastError(VIR_ERR_XML_ERROR, "bad thing name");
        g_assert_cmpint(vkObjStoreStatusDelete(f->store, bad[i]), ==, -1);
        assertLastError(VIR_ERR_XML_ERROR, "bad thing name");
        g_assert_cmpint(vkObjStoreAutostartSet(f->store, bad[i], TRUE), ==, -1);
        assertLastError(VIR_ERR_XML_ERROR, "bad thing name");

        g_assert_null(vkObjStoreLock(f->store, bad[i]));
        assertLastError(VIR_ERR_NO_DOMAIN, "no thing with matching name");
        g_assert_cmpint(vkObjStoreTryLock(f->store, bad[i], &lock), ==, -1);
        g_assert_null(lock);
        assertLastError(VIR_ERR_NO_DOMAIN, "no thing with matching name");
    }
    /* The bait is where it was, and nothing was made beside it. */
    g_assert_true(exists(f->dir, "bait.xml"));
    g_assert_false(exists(f->dir, "bait.lock"));
    g_assert_false(exists(f->dir, "autostart"));
    g_assert_false(exists(f->etc, "autostart"));
}

/* ---- a config that would not load again ---- */

static void testLoadsAgain(Fixture *f, gconstpointer data)
{
    g_autofree char *path = inDir(f->etc, "a.xml");
    g_autofree char *text = NULL;

    g_assert_cmpint(vkObjStoreConfigWrite(f->store, "a", "name=a\nvalue=1\n"), ==, 0);
    /* Parses, but formats as other text: what was stored is not what a reader gets. */
    g_assert_cmpint(vkObjStoreConfigWrite(f->store, "a", "name=a\n# note\nvalue=2\n"), ==, -1);
    assertLastError(VIR_ERR_INTERNAL_ERROR, "refusing to store thing 'a', which would not load "
                                            "again: it reads back as a different definition");
    /* Names another object. */
    g_assert_cmpint(vkObjStoreConfigWrite(f->store, "a", "name=b\nvalue=2\n"), ==, -1);
    assertLastError(VIR_ERR_INTERNAL_ERROR, "it reads back as a different definition");
    /* Does not parse at all. */
    g_assert_cmpint(vkObjStoreConfigWrite(f->store, "a", "value=2\n"), ==, -1);
    assertLastError(VIR_ERR_INTERNAL_ERROR, "a thing needs a name and a value");
    /* Each refusal left the stored config as it was. */
    g_assert_true(g_file_get_contents(path, &text, NULL, NULL));
    g_assert_cmpstr(text, ==, "name=a\nvalue=1\n");
}

/* ---- symbolic links ---- */

/* A config that is a symbolic link is refused by a lookup, and a listing skips it with a warning
 * that says why: both apply the same rule. */
static void testSymlink(Fixture *f, gconstpointer data)
{
    g_autofree char *outside = inDir(f->dir, "outside.xml");
    g_autofree char *link = inDir(f->etc, "l.xml");

    writeFile(f->dir, "outside.xml", "name=l\nvalue=1\n");
    g_assert_cmpint(symlink(outside, link), ==, 0);
    if (g_test_subprocess()) {
        g_autoptr(vkObjStoreObj) obj = NULL;
        g_autoptr(GPtrArray) all = NULL;

        g_assert_cmpint(vkObjStoreRead(f->store, "l", &obj), ==, -1);
        assertLastError(VIR_ERR_SYSTEM_ERROR, "it is a symbolic link, which is refused here");
        all = vkObjStoreReadAll(f->store);
        g_assert_cmpuint(all->len, ==, 0);
        return;
    }
    g_test_trap_subprocess(NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
    g_test_trap_assert_passed();
    g_test_trap_assert_stderr("*warning: thing 'l' skipped: cannot read file '*/etc/l.xml': it is "
                              "a symbolic link, which is refused here*");
}

/* The parse cache does not let a link pass for the file it once parsed. */
static void testSymlinkAfterCache(Fixture *f, gconstpointer data)
{
    g_autofree char *path = inDir(f->etc, "c.xml");
    g_autofree char *moved = inDir(f->dir, "c-moved.xml");
    g_autoptr(vkObjStoreObj) obj = NULL;

    g_assert_cmpint(vkObjStoreConfigWrite(f->store, "c", "name=c\nvalue=1\n"), ==, 0);
    g_assert_cmpint(vkObjStoreRead(f->store, "c", &obj), ==, 1);
    g_clear_pointer(&obj, vkObjStoreObjFree);
    g_assert_cmpint(rename(path, moved), ==, 0);
    g_assert_cmpint(symlink(moved, path), ==, 0);
    g_assert_cmpint(vkObjStoreRead(f->store, "c", &obj), ==, -1);
    assertLastError(VIR_ERR_SYSTEM_ERROR, "symbolic link");
}

/* ---- listing ---- */

static void makeOld(const char *dir, const char *name)
{
    g_autofree char *path = inDir(dir, name);
    struct timeval old[2] = { { .tv_sec = 1000000000 }, { .tv_sec = 1000000000 } };

    g_assert_cmpint(utimes(path, old), ==, 0);
}

/* A listing warns about a file whose name is no valid name, and removes what writers killed
 * between naming and renaming their temporaries left in either directory. */
static void testListing(Fixture *f, gconstpointer data)
{
    writeFile(f->etc, "good.xml", "name=good\nvalue=1\n");
    writeFile(f->etc, ".hidden.xml", "name=.hidden\nvalue=1\n");
    writeFile(f->etc, "good.xml.0123abcd", "name=good\nval");
    writeFile(f->run, "good.xml.89abcdef", "name=good\nval");
    makeOld(f->etc, "good.xml.0123abcd");
    makeOld(f->run, "good.xml.89abcdef");
    if (g_test_subprocess()) {
        g_autoptr(GPtrArray) all = vkObjStoreReadAll(f->store);
        vkObjStoreObj *obj;

        g_assert_cmpuint(all->len, ==, 1);
        obj = g_ptr_array_index(all, 0);
        g_assert_cmpstr(obj->name, ==, "good");
        g_assert_false(exists(f->etc, "good.xml.0123abcd"));
        g_assert_false(exists(f->run, "good.xml.89abcdef"));
        return;
    }
    g_test_trap_subprocess(NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
    g_test_trap_assert_passed();
    g_test_trap_assert_stderr(
        "*warning: thing '.hidden' skipped: XML error: bad thing name '.hidden'*");
}

/* A config directory that cannot be listed is said to be so, naming it: a listing is never
 * silently empty. */
static void testListingUnreadable(Fixture *f, gconstpointer data)
{
    g_assert_cmpint(g_rmdir(f->etc), ==, 0);
    writeFile(f->dir, "etc", "");
    if (g_test_subprocess()) {
        g_autoptr(GPtrArray) all = vkObjStoreReadAll(f->store);

        g_assert_cmpuint(all->len, ==, 0);
        return;
    }
    g_test_trap_subprocess(NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
    g_test_trap_assert_passed();
    g_test_trap_assert_stderr("*warning: things in '*/etc' are not listed: cannot open directory "
                              "'*/etc': Not a directory*");
}

/* A status file that does not parse is warned about, naming the file, and counts as none. */
static void testCorruptStatus(Fixture *f, gconstpointer data)
{
    writeFile(f->run, "s.xml", "junk\n");
    if (g_test_subprocess()) {
        g_assert_null(vkObjStoreStatusRead(f->store, "s"));
        return;
    }
    g_test_trap_subprocess(NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
    g_test_trap_assert_passed();
    g_test_trap_assert_stderr("*warning: corrupt thing status ignored: internal error: cannot "
                              "load status file '*/run/s.xml': XML error: unexpected line 'junk'*");
}

/* ---- locks ---- */

/* A caller that may not write the state (here: not root, on another user's directory) still
 * gets an object's lock, a shared one, so that what it may do (stop a process) it can. */
static void testLockReadOnly(Fixture *f, gconstpointer data)
{
    g_autoptr(vkFileLock) held = vkObjStoreLock(f->store, "ro");
    g_autofree char *path = inDir(f->run, "ro.lock");
    pid_t child;
    int status;

    g_assert_nonnull(held);
    g_clear_pointer(&held, vkFileLockRelease);
    g_assert_cmpint(chmod(path, 0444), ==, 0);
    g_assert_cmpint(chmod(f->run, 0555), ==, 0);
    g_assert_cmpint(chmod(f->dir, 0755), ==, 0);
    fflush(stdout);
    child = fork();
    g_assert_cmpint(child, >=, 0);
    if (child == 0) {
        vkFileLock *lock;

        if (geteuid() == 0 && (setgroups(0, NULL) < 0 || setgid(65534) < 0 || setuid(65534) < 0))
            _exit(2);
        lock = vkObjStoreLock(f->store, "ro");
        _exit(lock ? 0 : 1);
    }
    g_assert_cmpint(waitpid(child, &status, 0), ==, child);
    g_assert_true(WIFEXITED(status));
    g_assert_cmpint(WEXITSTATUS(status), ==, 0);
}

#define ADD(name, fn) \
    g_test_add("/objstore/" name, Fixture, NULL, fixtureSetup, fn, fixtureTeardown)

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    ADD("bad-names", testBadNames);
    ADD("loads-again", testLoadsAgain);
    ADD("symlink", testSymlink);
    ADD("symlink-after-cache", testSymlinkAfterCache);
    ADD("listing", testListing);
    ADD("listing-unreadable", testListingUnreadable);
    ADD("corrupt-status", testCorruptStatus);
    ADD("lock-read-only", testLockReadOnly);
    return g_test_run();
}

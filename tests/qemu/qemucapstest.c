/* Tests for qemu capability probing and its cache: a real probe, a cached load that starts no
 * qemu, re-probing when the binary changes, and failures that carry qemu's own words. */
#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "qemu/qemu_capabilities.h"
#include "qemu/qemu_monitor.h"
#include "qemutestutil.h"

typedef struct {
    char *dir;
    char *cacheDir;
} Fixture;

static void fixtureSetup(Fixture *f, gconstpointer data)
{
    f->dir = testMakeTmpDir("qemucapstest-XXXXXX");
    f->cacheDir = g_build_filename(f->dir, "cache", "qemu", NULL);
}

static void fixtureTeardown(Fixture *f, gconstpointer data)
{
    testRemoveTree(f->dir);
    g_free(f->dir);
    g_free(f->cacheDir);
}

/* The one file in CACHEDIR/capabilities. */
static char *cacheFile(const char *cacheDir)
{
    g_autofree char *dir = g_build_filename(cacheDir, "capabilities", NULL);
    g_autoptr(GDir) d = g_dir_open(dir, 0, NULL);
    const char *name;

    g_assert_nonnull(d);
    name = g_dir_read_name(d);
    g_assert_nonnull(name);
    g_assert_null(g_dir_read_name(d));
    return g_build_filename(dir, name, NULL);
}

static vkQEMUCaps *timedGet(const char *cacheDir, const char *binary, const char *what)
{
    gint64 start = g_get_monotonic_time();
    vkQEMUCaps *caps = vkQEMUCapsGet(cacheDir, binary);

    assertOK(caps != NULL);
    g_test_message("%s: %.1f ms", what, testElapsedMs(start));
    return caps;
}

/* The version "qemu-system-x86_64 --version" prints, numbered like vkQEMUCapsGetVersion. */
static unsigned long versionFromHelp(const char *binary)
{
    const char *argv[] = { binary, "--version", NULL };
    g_autofree char *out = NULL;
    unsigned int major, minor, micro;
    int status;

    g_assert_true(g_spawn_sync(NULL, (char **)argv, NULL, G_SPAWN_STDERR_TO_DEV_NULL, NULL, NULL,
                               &out, NULL, &status, NULL));
    g_assert_cmpint(sscanf(out, "QEMU emulator version %u.%u.%u", &major, &minor, &micro), ==, 3);
    return major * 1000000UL + minor * 1000 + micro;
}

static void testProbeAndCache(Fixture *f, gconstpointer data)
{
    g_autofree char *binary = testFindQEMU();
    g_autoptr(vkQEMUCaps) caps = NULL;
    g_autoptr(vkQEMUCaps) cached = NULL;
    g_autofree char *file = NULL;
    g_autofree char *text = NULL;
    g_autoptr(json_object) json = NULL;
    const char *const *names;
    const char *pc;

    if (!binary)
        return;
    caps = timedGet(f->cacheDir, QEMU_BINARY, "probe");
    g_assert_cmpstr(vkQEMUCapsGetBinary(caps), ==, binary);
    g_assert_cmpuint(vkQEMUCapsGetVersion(caps), ==, versionFromHelp(binary));
    g_assert_nonnull(vkQEMUCapsGetPackage(caps));

    names = vkQEMUCapsGetMachineNames(caps);
    g_assert_nonnull(names);
    g_assert_true(g_strv_contains(names, "none"));
    pc = vkQEMUCapsGetCanonicalMachine(caps, "pc");
    g_assert_nonnull(pc);
    g_assert_true(g_str_has_prefix(pc, "pc-i440fx-"));
    g_assert_true(g_strv_contains(names, pc));
    g_assert_cmpstr(vkQEMUCapsGetMachineAlias(caps, pc), ==, "pc");
    g_assert_cmpstr(vkQEMUCapsGetCanonicalMachine(caps, pc), ==, pc);
    g_assert_true(g_str_has_prefix(vkQEMUCapsGetCanonicalMachine(caps, "q35"), "pc-q35-"));
    g_assert_true(vkQEMUCapsHasMachine(caps, "q35"));
    g_assert_false(vkQEMUCapsHasMachine(caps, "no-such-machine"));
    g_assert_null(vkQEMUCapsGetCanonicalMachine(caps, "no-such-machine"));
    /* Debian's x86 qemu defaults to i440fx. */
    g_assert_cmpstr(vkQEMUCapsGetDefaultMachine(caps), ==, pc);
    g_assert_cmpuint(vkQEMUCapsGetMachineMaxCpus(caps, "q35"), >=, 255);

    g_assert_cmpint(vkQEMUCapsHasKVM(caps), ==, vkQEMUHostHasKVM());
    g_assert_true(vkQEMUCapsHasAccel(caps, "tcg"));
    g_assert_true(vkQEMUCapsHasAccel(caps, "kvm"));
    g_assert_true(vkQEMUCapsHasDevice(caps, "virtio-net-pci"));
    g_assert_true(vkQEMUCapsHasDevice(caps, "e1000"));
    g_assert_false(vkQEMUCapsHasDevice(caps, "device"));
    g_assert_false(vkQEMUCapsHasDevice(caps, "no-such-device"));
    g_assert_true(vkQEMUCapsHasCommand(caps, "query-status"));
    g_assert_false(vkQEMUCapsHasCommand(caps, "no-such-command"));
    g_test_message("qemu %lu, %u machine types, default %s, KVM %s", vkQEMUCapsGetVersion(caps),
                   g_strv_length((char **)names), vkQEMUCapsGetDefaultMachine(caps),
                   vkQEMUCapsHasKVM(caps) ? "yes" : "no");

    file = cacheFile(f->cacheDir);
    g_assert_true(g_str_has_prefix(strrchr(file, '/'), "/qemu-system-x86_64-"));
    g_assert_true(g_file_get_contents(file, &text, NULL, NULL));
    json = json_tokener_parse(text);
    g_assert_nonnull(json);
    g_assert_cmpstr(vkQEMUJSONGetString(json, "binary"), ==, binary);

    /* The second call is answered from the file: same probe, same answers. */
    cached = timedGet(f->cacheDir, binary, "cached load");
    g_assert_cmpint(vkQEMUCapsGetProbeTime(cached), ==, vkQEMUCapsGetProbeTime(caps));
    g_assert_cmpuint(vkQEMUCapsGetVersion(cached), ==, vkQEMUCapsGetVersion(caps));
    g_assert_cmpstr(vkQEMUCapsGetPackage(cached), ==, vkQEMUCapsGetPackage(caps));
    g_assert_cmpstr(vkQEMUCapsGetDefaultMachine(cached), ==, vkQEMUCapsGetDefaultMachine(caps));
    g_assert_cmpstr(vkQEMUCapsGetCanonicalMachine(cached, "q35"), ==,
                    vkQEMUCapsGetCanonicalMachine(caps, "q35"));
    g_assert_cmpuint(vkQEMUCapsGetMachineMaxCpus(cached, "pc"), ==,
                     vkQEMUCapsGetMachineMaxCpus(caps, "pc"));
    g_assert_true(g_strv_equal((const char *const *)vkQEMUCapsGetMachineNames(cached), names));
    g_assert_cmpint(vkQEMUCapsHasKVM(cached), ==, vkQEMUCapsHasKVM(caps));
    g_assert_true(vkQEMUCapsHasDevice(cached, "virtio-net-pci"));
    g_assert_true(vkQEMUCapsHasAccel(cached, "tcg"));
    g_assert_true(vkQEMUCapsHasCommand(cached, "query-status"));
}

/* Copies qemu into the test directory, so that its mtime is ours to change. */
static char *copyQEMU(Fixture *f, const char *binary)
{
    char *copy = g_build_filename(f->dir, QEMU_BINARY, NULL);
    g_autofree char *data = NULL;
    gsize len;

    g_assert_true(g_file_get_contents(binary, &data, &len, NULL));
    g_assert_true(g_file_set_contents(copy, data, len, NULL));
    g_assert_cmpint(chmod(copy, 0755), ==, 0);
    return copy;
}

static void setMtime(const char *path, time_t seconds)
{
    struct timespec times[2] = { { .tv_nsec = UTIME_OMIT }, { .tv_sec = seconds } };

    g_assert_cmpint(utimensat(AT_FDCWD, path, times, 0), ==, 0);
}

static void testReprobeOnChange(Fixture *f, gconstpointer data)
{
    g_autofree char *binary = testFindQEMU();
    g_autofree char *copy = NULL;
    g_autoptr(vkQEMUCaps) first = NULL;
    g_autoptr(vkQEMUCaps) second = NULL;
    g_autoptr(vkQEMUCaps) third = NULL;
    g_autoptr(vkQEMUCaps) fourth = NULL;

    if (!binary)
        return;
    copy = copyQEMU(f, binary);
    setMtime(copy, 1000000000);
    first = timedGet(f->cacheDir, copy, "probe of a copy");
    second = timedGet(f->cacheDir, copy, "cached load");
    g_assert_cmpint(vkQEMUCapsGetProbeTime(second), ==, vkQEMUCapsGetProbeTime(first));

    setMtime(copy, 1000000001);
    third = timedGet(f->cacheDir, copy, "re-probe after touching");
    g_assert_cmpint(vkQEMUCapsGetProbeTime(third), >, vkQEMUCapsGetProbeTime(first));
    g_assert_cmpuint(vkQEMUCapsGetVersion(third), ==, vkQEMUCapsGetVersion(first));

    /* The entry was replaced, not added to. */
    fourth = timedGet(f->cacheDir, copy, "cached load");
    g_assert_cmpint(vkQEMUCapsGetProbeTime(fourth), ==, vkQEMUCapsGetProbeTime(third));
    g_free(cacheFile(f->cacheDir));
}

static void testCorruptCache(Fixture *f, gconstpointer data)
{
    g_autofree char *binary = testFindQEMU();
    g_autoptr(vkQEMUCaps) first = NULL;
    g_autoptr(vkQEMUCaps) second = NULL;
    g_autoptr(vkQEMUCaps) third = NULL;
    g_autofree char *file = NULL;

    if (!binary)
        return;
    first = timedGet(f->cacheDir, binary, "probe");
    file = cacheFile(f->cacheDir);
    g_assert_true(g_file_set_contents(file, "{\"format\": 1, \"binary\": ", -1, NULL));

    /* A broken entry costs a probe, not an error, and is rewritten. */
    second = timedGet(f->cacheDir, binary, "probe after corruption");
    g_assert_cmpint(vkQEMUCapsGetProbeTime(second), >, vkQEMUCapsGetProbeTime(first));
    third = timedGet(f->cacheDir, binary, "cached load");
    g_assert_cmpint(vkQEMUCapsGetProbeTime(third), ==, vkQEMUCapsGetProbeTime(second));
}

static void testUnwritableCache(Fixture *f, gconstpointer data)
{
    g_autofree char *binary = testFindQEMU();
    g_autofree char *blocker = g_build_filename(f->dir, "file", NULL);
    g_autoptr(vkQEMUCaps) caps = NULL;

    if (!binary)
        return;
    /* The cache directory cannot be created under a regular file. */
    g_assert_true(g_file_set_contents(blocker, "", -1, NULL));
    caps = vkQEMUCapsGet(blocker, binary);
    assertOK(caps != NULL);
    g_assert_false(vkHasError());
}

static void testMissingBinary(Fixture *f, gconstpointer data)
{
    g_assert_null(vkQEMUCapsGet(f->cacheDir, "/nonexistent/qemu-system-x86_64"));
    assertLastError(VIR_ERR_SYSTEM_ERROR,
                    "cannot access QEMU binary '/nonexistent/qemu-system-x86_64'");
    g_assert_null(vkQEMUCapsGet(f->cacheDir, "virtkit-no-such-qemu"));
    assertLastError(VIR_ERR_SYSTEM_ERROR, "cannot find QEMU binary 'virtkit-no-such-qemu'");
}

static void testNotQEMU(Fixture *f, gconstpointer data)
{
    g_autofree char *fake = g_build_filename(f->dir, "fake-qemu", NULL);

    g_assert_true(g_file_set_contents(fake,
                                      "#!/bin/sh\necho 'fake-qemu: unsupported machine' >&2\n"
                                      "exit 1\n",
                                      -1, NULL));
    g_assert_cmpint(chmod(fake, 0755), ==, 0);
    g_assert_null(vkQEMUCapsGet(f->cacheDir, fake));
    assertLastError(VIR_ERR_INTERNAL_ERROR, "fake-qemu: unsupported machine");
    g_assert_false(g_file_test(f->cacheDir, G_FILE_TEST_EXISTS));
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);

#define ADD(name, func) \
    g_test_add("/qemu/caps/" name, Fixture, NULL, fixtureSetup, func, fixtureTeardown)
    ADD("probe-and-cache", testProbeAndCache);
    ADD("reprobe-on-change", testReprobeOnChange);
    ADD("corrupt-cache", testCorruptCache);
    ADD("unwritable-cache", testUnwritableCache);
    ADD("missing-binary", testMissingBinary);
    ADD("not-qemu", testNotQEMU);
#undef ADD

    return g_test_run();
}

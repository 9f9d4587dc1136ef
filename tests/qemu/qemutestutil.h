/* Shared helpers for the tests/qemu programs: error checks, scratch directories and a way to
 * find qemu or skip when it is not installed. */
#pragma once

#include <string.h>
#include <glib.h>
#include <glib/gstdio.h>

#include "qemu/qemu_postparse.h"
#include "util/vkerror.h"

#define QEMU_BINARY "qemu-system-x86_64"

/* The calling thread's last error has EXPECTCODE and its message contains NEEDLE. */
#define assertLastError(expectCode, needle)                                        \
    do {                                                                           \
        virErrorPtr err_ = virGetLastError();                                      \
        g_assert_nonnull(err_);                                                    \
        g_assert_cmpint(err_->code, ==, (expectCode));                             \
        if (!strstr(err_->message, (needle)))                                      \
            g_error("error message \"%s\" lacks \"%s\"", err_->message, (needle)); \
        vkResetLastError();                                                        \
    } while (0)

/* Fails the test with the thread's last error when COND is false. */
#define assertOK(cond)                                                                     \
    do {                                                                                   \
        if (!(cond))                                                                       \
            g_error("%s failed: %s", #cond,                                                \
                    virGetLastError() ? virGetLastError()->message : "no error recorded"); \
    } while (0)

/* The path of qemu, or NULL after marking the test skipped: only a host without qemu may
 * skip these tests. */
static inline char *testFindQEMU(void)
{
    char *path = g_find_program_in_path(QEMU_BINARY);

    if (!path)
        g_test_skip(QEMU_BINARY " is not installed");
    return path;
}

static inline char *testMakeTmpDir(const char *tmpl)
{
    g_autoptr(GError) gerr = NULL;
    char *dir = g_dir_make_tmp(tmpl, &gerr);

    g_assert_no_error(gerr);
    return dir;
}

/* rm -rf DIR, for the scratch directories above. */
static inline void testRemoveTree(const char *dir)
{
    g_autoptr(GDir) d = NULL;
    const char *name;

    if (!dir || !(d = g_dir_open(dir, 0, NULL)))
        return;
    while ((name = g_dir_read_name(d))) {
        g_autofree char *path = g_build_filename(dir, name, NULL);
        if (g_file_test(path, G_FILE_TEST_IS_DIR) && !g_file_test(path, G_FILE_TEST_IS_SYMLINK))
            testRemoveTree(path);
        else
            g_assert_cmpint(g_unlink(path), ==, 0);
    }
    g_assert_cmpint(g_rmdir(dir), ==, 0);
}

/* Milliseconds since an earlier g_get_monotonic_time(). */
static inline double testElapsedMs(gint64 start)
{
    return (g_get_monotonic_time() - start) / 1000.0;
}

/* What the qemu driver does to a new definition, with qemu 7.2's machine names standing in
 * for probed capabilities: the default emulator, the versioned machine type, then the
 * defaults of qemu_postparse.c. Returns what vkQEMUDomainDefPostParse returns. */
static inline int testQEMUPostParse(vkDomainDef *def)
{
    static const char *const machines[][2] = {
        { "pc", "pc-i440fx-7.2" },
        { "q35", "pc-q35-7.2" },
    };
    const char *machine = def->os.machine ? def->os.machine : "pc";
    char *canonical;

    if (!def->emulator)
        def->emulator = g_strdup("/usr/bin/qemu-system-x86_64");
    for (size_t i = 0; i < G_N_ELEMENTS(machines); i++) {
        if (g_str_equal(machine, machines[i][0]))
            machine = machines[i][1];
    }
    canonical = g_strdup(machine);
    g_free(def->os.machine);
    def->os.machine = canonical;
    return vkQEMUDomainDefPostParse(def, NULL);
}

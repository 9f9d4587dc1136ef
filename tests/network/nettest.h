/* Harness for the network integration tests: a namespace and state root per case, entered by a
 * subprocess, and removed with every process and file whether the case passes or fails. */
#pragma once

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <glib.h>
#include <glib/gstdio.h>

#include "virtkit/virtkit.h"

#define NETTEST_NETNS_ENV "VKTEST_NETNS"
#define NETTEST_ROOT_ENV  "VKTEST_ROOT"
#define NETTEST_TIMEOUT   (120 * G_USEC_PER_SEC)

typedef struct {
    char *netns; /* the namespace; NAME-peer is a second one some cases use */
    char *root;  /* the driver's state root */
    char *uri;   /* qemu:///embed?root=ROOT */
    const char *skipReason;
} NetFixture;

typedef void (*NetCaseFunc)(NetFixture *f);

static unsigned int nettestCounter;

/* Runs CMDLINE and returns its stdout; *OK says whether it exited 0. */
static char *nettestRunStatus(const char *cmdline, gboolean *ok)
{
    g_autoptr(GError) gerr = NULL;
    g_autofree char *err = NULL;
    char *out = NULL;
    int status = -1;

    if (!g_spawn_command_line_sync(cmdline, &out, &err, &status, &gerr))
        g_error("cannot run '%s': %s", cmdline, gerr->message);
    *ok = g_spawn_check_wait_status(status, NULL);
    if (!*ok)
        g_test_message("'%s' failed: %s", cmdline, err);
    return out;
}

/* Runs CMDLINE, which must succeed, and returns its stdout. */
static G_GNUC_UNUSED char *nettestRun(const char *cmdline)
{
    gboolean ok;
    char *out = nettestRunStatus(cmdline, &ok);

    if (!ok)
        g_error("command failed: %s", cmdline);
    return out;
}

static G_GNUC_UNUSED char *nettestRunf(const char *fmt, ...) G_GNUC_PRINTF(1, 2);
static G_GNUC_UNUSED char *nettestRunf(const char *fmt, ...)
{
    g_autofree char *cmd = NULL;
    va_list ap;

    va_start(ap, fmt);
    cmd = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    return nettestRun(cmd);
}

/* TRUE if the command line exits 0. */
static G_GNUC_UNUSED gboolean nettestSucceedsf(const char *fmt, ...) G_GNUC_PRINTF(1, 2);
static G_GNUC_UNUSED gboolean nettestSucceedsf(const char *fmt, ...)
{
    g_autofree char *cmd = NULL;
    g_autofree char *out = NULL;
    gboolean ok;
    va_list ap;

    va_start(ap, fmt);
    cmd = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    out = nettestRunStatus(cmd, &ok);
    return ok;
}

static void nettestEnterNetns(const char *name)
{
    g_autofree char *path = g_build_filename("/run/netns", name, NULL);
    int fd = open(path, O_RDONLY | O_CLOEXEC);

    if (fd < 0 || setns(fd, CLONE_NEWNET) < 0)
        g_error("cannot enter network namespace %s: %s", name, g_strerror(errno));
    close(fd);
}

static void nettestSetup(NetFixture *f, gconstpointer data)
{
    gboolean ok;

    if (g_test_subprocess()) {
        f->netns = g_strdup(g_getenv(NETTEST_NETNS_ENV));
        f->root = g_strdup(g_getenv(NETTEST_ROOT_ENV));
        f->uri = g_strdup_printf("qemu:///embed?root=%s", f->root);
        nettestEnterNetns(f->netns);
        return;
    }
    if (geteuid() != 0) {
        f->skipReason = "needs root to create network namespaces";
        return;
    }
    f->netns = g_strdup_printf("vknet-%d-%u", (int)getpid(), ++nettestCounter);
    g_autofree char *cmd = g_strdup_printf("ip netns add %s", f->netns);
    g_free(nettestRunStatus(cmd, &ok));
    if (!ok) {
        f->skipReason = "cannot create a network namespace here (see the message above)";
        g_clear_pointer(&f->netns, g_free);
        return;
    }
    g_free(nettestRunf("ip -n %s link set lo up", f->netns));
    f->root = g_dir_make_tmp("vknet-XXXXXX", NULL);
    g_assert_nonnull(f->root);
    f->uri = g_strdup_printf("qemu:///embed?root=%s", f->root);
}

/* Kills every process left in namespace NAME: the driver's dnsmasq when a case failed before
 * stopping it. */
static void nettestKillNetnsProcesses(const char *name)
{
    g_autofree char *cmd = g_strdup_printf("ip netns pids %s", name);
    g_autofree char *out = NULL;
    g_auto(GStrv) pids = NULL;
    gboolean ok;

    out = nettestRunStatus(cmd, &ok);
    if (!ok || !out)
        return;
    pids = g_strsplit(g_strstrip(out), "\n", -1);
    for (char **p = pids; *p; p++) {
        pid_t pid = atoi(*p);
        if (pid > 1)
            kill(pid, SIGKILL);
    }
    for (int i = 0; i < 100; i++) {
        g_autofree char *left = nettestRunStatus(cmd, &ok);
        if (!ok || !left || !*g_strstrip(left))
            return;
        g_usleep(20000);
    }
}

static void nettestDeleteNetns(const char *name)
{
    g_autofree char *path = g_build_filename("/run/netns", name, NULL);

    if (!g_file_test(path, G_FILE_TEST_EXISTS))
        return;
    nettestKillNetnsProcesses(name);
    g_free(nettestRunf("ip netns delete %s", name));
}

static void nettestTeardown(NetFixture *f, gconstpointer data)
{
    if (!g_test_subprocess() && f->netns) {
        g_autofree char *peer = g_strdup_printf("%s-peer", f->netns);
        nettestDeleteNetns(peer);
        nettestDeleteNetns(f->netns);
    }
    if (!g_test_subprocess() && f->root) {
        g_autofree char *cmd = g_strdup_printf("rm -rf %s", f->root);
        g_free(nettestRun(cmd));
    }
    g_free(f->netns);
    g_free(f->root);
    g_free(f->uri);
}

static void nettestRunCase(NetFixture *f, gconstpointer data)
{
    NetCaseFunc body = (NetCaseFunc)data;

    if (g_test_subprocess()) {
        body(f);
        return;
    }
    if (f->skipReason) {
        g_test_skip(f->skipReason);
        return;
    }
    g_setenv(NETTEST_NETNS_ENV, f->netns, TRUE);
    g_setenv(NETTEST_ROOT_ENV, f->root, TRUE);
    g_test_trap_subprocess(NULL, NETTEST_TIMEOUT, G_TEST_SUBPROCESS_INHERIT_STDERR);
    /* Not g_test_trap_assert_passed: it aborts, and the teardown must still clean up. */
    if (!g_test_trap_has_passed())
        g_test_fail();
}

#define NETTEST_ADD(path, func)                                                       \
    g_test_add(path, NetFixture, (gconstpointer)(func), nettestSetup, nettestRunCase, \
               nettestTeardown)

/* ---- checks used inside a case (the subprocess, in the namespace) ---- */

/* The last error has CODE and its message contains NEEDLE. */
#define nettestAssertError(expectCode, needle)                                                 \
    do {                                                                                       \
        virErrorPtr err_ = virGetLastError();                                                  \
        g_assert_nonnull(err_);                                                                \
        if (err_->code != (expectCode) || !strstr(err_->message, (needle)))                    \
            g_error("expected error %d containing \"%s\", got %d: %s", (expectCode), (needle), \
                    err_->code, err_->message);                                                \
        virResetLastError();                                                                   \
    } while (0)

static G_GNUC_UNUSED void nettestFailed(const char *what)
{
    virErrorPtr err = virGetLastError();
    g_error("%s failed: %s", what, err ? err->message : "(no error)");
}

static G_GNUC_UNUSED virConnectPtr nettestOpen(NetFixture *f)
{
    virConnectPtr conn = virConnectOpen(f->uri);

    if (!conn)
        nettestFailed("virConnectOpen");
    return conn;
}

static G_GNUC_UNUSED gboolean nettestLinkExists(const char *ifname)
{
    return nettestSucceedsf("ip link show dev %s", ifname);
}

static G_GNUC_UNUSED gboolean nettestNftTableExists(const char *bridge)
{
    return nettestSucceedsf("nft list table inet virtkit_%s", bridge);
}

static G_GNUC_UNUSED char *nettestReadFile(const char *path)
{
    char *text = NULL;

    if (!g_file_get_contents(path, &text, NULL, NULL))
        return NULL;
    return text;
}

static G_GNUC_UNUSED char *nettestRootFile(NetFixture *f, const char *rel)
{
    return g_build_filename(f->root, rel, NULL);
}

/* ---- processes ---- */

static G_GNUC_UNUSED gboolean nettestProcessAlive(pid_t pid)
{
    g_autofree char *path = g_strdup_printf("/proc/%d/stat", (int)pid);
    g_autofree char *stat = nettestReadFile(path);
    const char *state = stat ? strrchr(stat, ')') : NULL;

    return state && state[1] == ' ' && state[2] != 'Z' && state[2] != 'X';
}

/* The live processes whose command line holds NEEDLE: the process table, not a pid file. */
static G_GNUC_UNUSED guint nettestCountProcesses(const char *needle)
{
    g_autoptr(GDir) dir = g_dir_open("/proc", 0, NULL);
    const char *entry;
    guint count = 0;

    while ((entry = g_dir_read_name(dir))) {
        g_autofree char *path = NULL;
        g_autofree char *cmdline = NULL;
        gsize len = 0;

        if (!g_ascii_isdigit(entry[0]) || !nettestProcessAlive(atoi(entry)))
            continue;
        path = g_strdup_printf("/proc/%s/cmdline", entry);
        if (!g_file_get_contents(path, &cmdline, &len, NULL))
            continue;
        for (gsize i = 0; i + 1 < len; i++) {
            if (!cmdline[i])
                cmdline[i] = ' ';
        }
        if (strstr(cmdline, needle))
            count++;
    }
    return count;
}

/* The dnsmasq processes running with network NAME's configuration file. */
static G_GNUC_UNUSED guint nettestCountDnsmasq(NetFixture *f, const char *name)
{
    g_autofree char *needle = g_strdup_printf("--conf-file=%s/run/network/%s.conf", f->root, name);
    return nettestCountProcesses(needle);
}

/* ---- a second process: nethelper.c, one API call on a connection of its own ---- */

typedef struct {
    GPid pid;
    int outFd; /* -1 when stdout is inherited */
    int errFd;
} NetHelper;

/* Starts "nethelper URI CMD NAME" in F's namespace. WRAPPER, unless NULL, is a command line
 * prefix for the helper (setpriv, to run it unprivileged); ENV holds name/value pairs to set for
 * it; with CAPTUREOUT its stdout is read by nettestHelperWait. */
static G_GNUC_UNUSED void nettestHelperSpawn(NetFixture *f, const char *const *wrapper,
                                             const char *const *env, const char *cmd,
                                             const char *name, gboolean captureOut, NetHelper *h)
{
    const char *helper = g_getenv("VKTEST_NETHELPER");
    g_autoptr(GPtrArray) argv = g_ptr_array_new();
    g_auto(GStrv) envp = g_get_environ();
    g_autoptr(GError) gerr = NULL;

    g_assert_nonnull(helper);
    /* ip netns exec also gives the helper the namespace's view of /sys, as a user would. */
    g_ptr_array_add(argv, (gpointer) "ip");
    g_ptr_array_add(argv, (gpointer) "netns");
    g_ptr_array_add(argv, (gpointer) "exec");
    g_ptr_array_add(argv, f->netns);
    for (const char *const *w = wrapper; w && *w; w++)
        g_ptr_array_add(argv, (gpointer)*w);
    g_ptr_array_add(argv, (gpointer)helper);
    g_ptr_array_add(argv, f->uri);
    g_ptr_array_add(argv, (gpointer)cmd);
    g_ptr_array_add(argv, (gpointer)name);
    g_ptr_array_add(argv, NULL);
    for (const char *const *e = env; e && *e; e += 2)
        envp = g_environ_setenv(envp, e[0], e[1], TRUE);
    h->outFd = -1;
    if (!g_spawn_async_with_pipes(NULL, (char **)argv->pdata, envp,
                                  G_SPAWN_SEARCH_PATH | G_SPAWN_DO_NOT_REAP_CHILD, NULL, NULL,
                                  &h->pid, NULL, captureOut ? &h->outFd : NULL, &h->errFd, &gerr))
        g_error("cannot run the helper: %s", gerr->message);
}

static G_GNUC_UNUSED char *nettestReadAll(int fd)
{
    GString *text = g_string_new(NULL);
    char buf[512];
    ssize_t n;

    while ((n = read(fd, buf, sizeof(buf))) > 0)
        g_string_append_len(text, buf, n);
    close(fd);
    return g_string_free(text, FALSE);
}

/* Waits for the helper; returns its exit status (-1 if killed) with *OUT (when captured, else
 * NULL; OUT may be NULL) and *ERR. The helpers print little, so reading one pipe after the other
 * cannot block on a full pipe. */
static G_GNUC_UNUSED int nettestHelperWait(NetHelper *h, char **out, char **err)
{
    g_autofree char *stdoutText = h->outFd >= 0 ? nettestReadAll(h->outFd) : NULL;
    int status = 0;

    *err = nettestReadAll(h->errFd);
    g_assert_cmpint(waitpid(h->pid, &status, 0), ==, h->pid);
    if (out)
        *out = g_steal_pointer(&stdoutText);
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

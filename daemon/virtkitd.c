/* virtkitd: libvirt's wire protocol in front of virtkit's embedded drivers, so that unmodified
 * virsh, python3-libvirt and the rest manage a virtkit host. Options as libvirtd's; see
 * virtkitd.8. */
#include <errno.h>
#include <fcntl.h>
#include <glib-unix.h>
#include <grp.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "daemon_config.h"
#include "daemon_server.h"
#include "util/vkerror.h"
#include "util/vkfile.h"
#include "util/vkhostuuid.h"
#include "util/vkpaths.h"

#define SOCK_RW          "virtkit-sock"
#define SOCK_RO          "virtkit-sock-ro"
#define LIBVIRT_SOCK_DIR "/run/libvirt"
#define LIBVIRT_SOCK_RW  "libvirt-sock"
#define LIBVIRT_SOCK_RO  "libvirt-sock-ro"

typedef struct {
    char *configFile;
    char *pidFile;
    char *root;
    gboolean daemonize;
    gboolean listen;
    gboolean verbose;
    gboolean version;
    gboolean libvirtSockets;
    int timeout;
} Options;

/* Where this instance lives: derived from --root, or from who runs it. */
typedef struct {
    vkDaemonMode mode;
    char *driverURI;
    char *sockDir;
    char *lockDir; /* the root's run directory: one daemon per root */
    char *configFile;
    char *pidFile;
} Layout;

static void layoutClear(Layout *l)
{
    g_free(l->driverURI);
    g_free(l->sockDir);
    g_free(l->lockDir);
    g_free(l->configFile);
    g_free(l->pidFile);
}

static void fail(const char *what)
{
    const char *msg = vkHasError() ? virGetLastErrorMessage() : "";

    g_printerr("virtkitd: %s%s%s\n", what ? what : "", what && *msg ? ": " : "", msg);
}

static int layoutInit(Layout *l, const Options *opts)
{
    g_autoptr(vkDriverPaths) paths = NULL;

    if (opts->root) {
        g_autofree char *root = g_canonicalize_filename(opts->root, NULL);
        g_autofree char *escaped = g_uri_escape_string(root, "/", FALSE);

        l->mode = VK_DAEMON_MODE_ROOT;
        l->driverURI = g_strdup_printf("qemu:///embed?root=%s", escaped);
        l->sockDir = g_build_filename(root, "run", NULL);
        l->configFile = g_build_filename(root, "etc", "virtkitd.conf", NULL);
    } else if (geteuid() == 0) {
        l->mode = VK_DAEMON_MODE_SYSTEM;
        l->driverURI = g_strdup("qemu:///system");
        l->sockDir = g_strdup("/run/virtkit");
        l->configFile = g_strdup("/etc/virtkit/virtkitd.conf");
    } else {
        l->mode = VK_DAEMON_MODE_SESSION;
        l->driverURI = g_strdup("qemu:///session");
        l->sockDir = g_build_filename(g_get_user_runtime_dir(), "virtkit", NULL);
        l->configFile = g_build_filename(g_get_user_config_dir(), "virtkit", "virtkitd.conf", NULL);
    }
    if (!(paths = vkDriverPathsNewFromString(l->driverURI, "qemu", VIR_FROM_NONE)))
        return -1;
    l->lockDir = g_path_get_dirname(paths->run);
    l->pidFile = g_build_filename(l->mode == VK_DAEMON_MODE_SESSION ? l->sockDir : l->lockDir,
                                  "virtkitd.pid", NULL);
    return 0;
}

/* ---- daemonizing: the parent returns once the child is serving, or failed ---- */

static int statusFd = -1;

static void reportStatus(char status)
{
    if (statusFd < 0)
        return;
    if (write(statusFd, &status, 1) < 0) {
        /* the parent is gone: nobody to tell */
    }
    close(statusFd);
    statusFd = -1;
}

static int daemonize(void)
{
    int fds[2];
    pid_t pid;

    if (pipe2(fds, O_CLOEXEC) < 0) {
        vkReportSystemError(VIR_FROM_NONE, errno, "%s", "cannot create a pipe");
        return -1;
    }
    if ((pid = fork()) < 0) {
        vkReportSystemError(VIR_FROM_NONE, errno, "%s", "cannot fork");
        return -1;
    }
    if (pid > 0) {
        char status = 1;
        close(fds[1]);
        if (read(fds[0], &status, 1) != 1)
            status = 1;
        _exit(status == 0 ? 0 : 1);
    }
    close(fds[0]);
    statusFd = fds[1];
    setsid();
    if ((pid = fork()) < 0)
        return -1;
    if (pid > 0)
        _exit(0);
    return 0;
}

static void detachStdio(void)
{
    int null = open("/dev/null", O_RDWR | O_CLOEXEC);

    if (null < 0)
        return;
    dup2(null, STDIN_FILENO);
    dup2(null, STDOUT_FILENO);
    dup2(null, STDERR_FILENO);
    close(null);
}

/* ---- listeners ---- */

static int makeSockDir(const char *dir, vkDaemonMode mode)
{
    if (vkFileMakePath(dir, mode == VK_DAEMON_MODE_SESSION ? 0700 : 0755) < 0)
        return -1;
    /* a session's sockets are the user's alone, whatever the umask made of an older dir */
    if (mode == VK_DAEMON_MODE_SESSION && chmod(dir, 0700) < 0) {
        vkReportSystemError(VIR_FROM_NONE, errno, "cannot restrict '%s'", dir);
        return -1;
    }
    return 0;
}

static int socketGroup(const vkDaemonConfig *cfg, gid_t *gid)
{
    struct group *gr;

    *gid = (gid_t)-1;
    if (!cfg->unixSockGroup)
        return 0;
    if (!(gr = getgrnam(cfg->unixSockGroup))) {
        vkReportError(VIR_FROM_CONF, VIR_ERR_CONF_SYNTAX,
                      "unix_sock_group: Failed to look up group '%s'", cfg->unixSockGroup);
        return -1;
    }
    *gid = gr->gr_gid;
    return 0;
}

static int listenUnixPair(vkDaemonServer *srv, const vkDaemonConfig *cfg, const char *dir,
                          const char *rw, const char *ro)
{
    g_autofree char *rwPath = g_build_filename(dir, rw, NULL);
    g_autofree char *roPath = g_build_filename(dir, ro, NULL);
    gid_t gid;

    if (socketGroup(cfg, &gid) < 0 ||
        vkDaemonServerListenUnix(srv, rwPath, cfg->unixSockRwPerms, gid, FALSE) < 0 ||
        vkDaemonServerListenUnix(srv, roPath, cfg->unixSockRoPerms, gid, TRUE) < 0)
        return -1;
    return 0;
}

static vkRpcTLSContext *tlsContextNew(const vkDaemonConfig *cfg)
{
    g_autoptr(vkRpcTLSContext) tls = vkRpcTLSContextNewServer(
        cfg->caFile, cfg->certFile, cfg->keyFile, !cfg->tlsNoVerifyCertificate,
        (const char *const *)cfg->tlsAllowedDNList);

    if (!tls || (cfg->crlFile && vkRpcTLSContextSetCRL(tls, cfg->crlFile) < 0))
        return NULL;
    return g_steal_pointer(&tls);
}

/* systemd socket activation: the sockets handed over as fds 3.., named by LISTEN_FDNAMES
 * (virtkitd.socket, virtkitd-ro.socket, virtkitd-tcp.socket, virtkitd-tls.socket) or told
 * apart by their address. Returns how many were taken, or -1. */
static int listenActivated(vkDaemonServer *srv, const vkDaemonConfig *cfg)
{
    const char *pidText = g_getenv("LISTEN_PID");
    const char *fdsText = g_getenv("LISTEN_FDS");
    g_auto(GStrv) names = NULL;
    g_autoptr(vkRpcTLSContext) tls = NULL;
    guint64 pid = 0, nfds = 0;

    if (!pidText || !fdsText || !g_ascii_string_to_unsigned(pidText, 10, 1, G_MAXINT, &pid, NULL) ||
        (pid_t)pid != getpid() || !g_ascii_string_to_unsigned(fdsText, 10, 0, 1024, &nfds, NULL))
        return 0;
    if (g_getenv("LISTEN_FDNAMES"))
        names = g_strsplit(g_getenv("LISTEN_FDNAMES"), ":", -1);
    for (guint i = 0; i < nfds; i++) {
        int fd = 3 + (int)i;
        const char *name = names && i < g_strv_length(names) ? names[i] : "";
        struct sockaddr_storage ss;
        socklen_t len = sizeof(ss);
        gboolean isTLS = strstr(name, "tls") != NULL;

        if (getsockname(fd, (struct sockaddr *)&ss, &len) < 0) {
            vkReportSystemError(VIR_FROM_NONE, errno, "activation socket %d", fd);
            return -1;
        }
        fcntl(fd, F_SETFD, FD_CLOEXEC);
        if (ss.ss_family == AF_UNIX) {
            const char *path = ((struct sockaddr_un *)&ss)->sun_path;
            gboolean ro = strstr(name, "-ro") || g_str_has_suffix(path, "-ro");
            vkDaemonServerListenFd(srv, fd, ro, NULL);
        } else if (isTLS) {
            if (!tls && !(tls = tlsContextNew(cfg)))
                return -1;
            vkDaemonServerListenFd(srv, fd, FALSE, tls);
        } else {
            if (!cfg->authTCPNone) {
                vkReportError(VIR_FROM_CONF, VIR_ERR_CONF_SYNTAX, "%s",
                              "a plain TCP socket was handed over, but auth_tcp is not \"none\"");
                return -1;
            }
            vkDaemonServerListenFd(srv, fd, FALSE, NULL);
        }
    }
    g_unsetenv("LISTEN_PID");
    g_unsetenv("LISTEN_FDS");
    g_unsetenv("LISTEN_FDNAMES");
    return (int)nfds;
}

static int setupListeners(vkDaemonServer *srv, const vkDaemonConfig *cfg, const Layout *layout,
                          const Options *opts)
{
    int activated = listenActivated(srv, cfg);

    if (activated < 0)
        return -1;
    if (activated == 0) {
        if (makeSockDir(layout->sockDir, layout->mode) < 0 ||
            listenUnixPair(srv, cfg, layout->sockDir, SOCK_RW, SOCK_RO) < 0)
            return -1;
    }
    if (opts->libvirtSockets || cfg->libvirtSockets) {
        if (vkFileMakePath(LIBVIRT_SOCK_DIR, 0755) < 0)
            return -1;
        if (listenUnixPair(srv, cfg, LIBVIRT_SOCK_DIR, LIBVIRT_SOCK_RW, LIBVIRT_SOCK_RO) < 0) {
            vkErrorPrefix(VIR_FROM_NONE,
                          "cannot take libvirt's sockets in %s (is a libvirtd running? stop it, "
                          "or run without --libvirt-sockets)",
                          LIBVIRT_SOCK_DIR);
            return -1;
        }
    }
    if (opts->listen && activated == 0) {
        if (cfg->listenTLS) {
            g_autoptr(vkRpcTLSContext) tls = tlsContextNew(cfg);
            if (!tls || vkDaemonServerListenTCP(srv, cfg->listenAddr, cfg->tlsPort, tls) < 0)
                return -1;
        }
        if (cfg->listenTCP && vkDaemonServerListenTCP(srv, cfg->listenAddr, cfg->tcpPort, NULL) < 0)
            return -1;
    }
    return 0;
}

/* ---- running ---- */

static gboolean onQuitSignal(gpointer loop)
{
    g_main_loop_quit(loop);
    return G_SOURCE_CONTINUE;
}

static gboolean onIdleTimeout(gpointer loop)
{
    g_main_loop_quit(loop);
    return G_SOURCE_REMOVE;
}

static void quietErrors(void *data, virErrorPtr err)
{
    /* clients receive their errors; the daemon's terminal is not the place for them */
}

/* 1,000 clients need more descriptors than the usual soft limit of 1,024 leaves. */
static void raiseFileLimit(void)
{
    struct rlimit rl;

    if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < rl.rlim_max) {
        rl.rlim_cur = rl.rlim_max;
        setrlimit(RLIMIT_NOFILE, &rl);
    }
}

static int run(const Options *opts)
{
    Layout layout = { 0 };
    g_autoptr(vkDaemonConfig) cfg = NULL;
    g_autoptr(vkFileLock) lock = NULL;
    g_autoptr(GMainLoop) loop = NULL;
    vkDaemonServer *srv = NULL;
    virConnectPtr own = NULL;
    g_autofree char *pidText = NULL;
    const char *pidFile;
    int rc = 1, locked;

    if (layoutInit(&layout, opts) < 0) {
        fail(NULL);
        goto out;
    }
    if (!(cfg = vkDaemonConfigLoad(opts->configFile ? opts->configFile : layout.configFile,
                                   opts->configFile == NULL))) {
        fail("configuration");
        goto out;
    }
    /* The qemu driver puts it into migration cookies; the config check validated it. */
    if (cfg->hostUUID && vkHostUUIDSet(cfg->hostUUID) < 0) {
        fail("configuration");
        goto out;
    }
    if (cfg->unixSockDir) {
        g_free(layout.sockDir);
        layout.sockDir = g_strdup(cfg->unixSockDir);
    }
    if (opts->daemonize && daemonize() < 0) {
        fail(NULL);
        goto out;
    }
    if (vkFileMakePath(layout.lockDir, 0755) < 0 ||
        (locked = vkFileLockTryAcquire(layout.lockDir, "virtkitd", &lock)) < 0) {
        fail(NULL);
        goto out;
    }
    if (locked == 1) {
        g_printerr("virtkitd: another virtkitd already serves this root (%s/virtkitd.lock is "
                   "held)\n",
                   layout.lockDir);
        goto out;
    }
    /* The daemon's own connection: proves the root usable before anyone connects, and runs
     * the once-per-boot autostart of guests and networks, as libvirtd does at start. */
    if (!(own = virConnectOpen(layout.driverURI))) {
        fail(layout.driverURI);
        goto out;
    }
    srv = vkDaemonServerNew(cfg, layout.mode, layout.driverURI, NULL);
    if (setupListeners(srv, cfg, &layout, opts) < 0) {
        fail(NULL);
        goto out;
    }
    loop = g_main_loop_new(NULL, FALSE);
    g_unix_signal_add(SIGTERM, onQuitSignal, loop);
    g_unix_signal_add(SIGINT, onQuitSignal, loop);
    if (opts->timeout > 0)
        vkDaemonServerSetIdleTimeout(srv, (guint)opts->timeout, onIdleTimeout, loop);
    /* last: whoever waits for the pid file finds a daemon that serves */
    pidFile = opts->pidFile ? opts->pidFile : layout.pidFile;
    pidText = g_strdup_printf("%d\n", (int)getpid());
    if (vkFileWriteRunState(pidFile, pidText, -1, 0644) < 0) {
        fail(NULL);
        goto out;
    }
    reportStatus(0);
    if (opts->daemonize)
        detachStdio();
    g_main_loop_run(loop);
    /* guests keep running: nothing here touches them */
    unlink(pidFile);
    rc = 0;

out:
    reportStatus(1);
    vkDaemonServerFree(srv);
    if (own)
        virConnectClose(own);
    layoutClear(&layout);
    return rc;
}

int main(int argc, char **argv)
{
    Options opts = { 0 };
    GOptionEntry entries[] = {
        { "verbose", 'v', 0, G_OPTION_ARG_NONE, &opts.verbose, "Verbose messages", NULL },
        { "daemon", 'd', 0, G_OPTION_ARG_NONE, &opts.daemonize, "Run as a daemon & write PID file",
          NULL },
        { "listen", 'l', 0, G_OPTION_ARG_NONE, &opts.listen,
          "Listen for TCP/IP connections (listen_tls, listen_tcp)", NULL },
        { "timeout", 't', 0, G_OPTION_ARG_INT, &opts.timeout,
          "Exit after SECS seconds without clients", "SECS" },
        { "config", 'f', 0, G_OPTION_ARG_FILENAME, &opts.configFile, "Configuration file", "FILE" },
        { "pid-file", 'p', 0, G_OPTION_ARG_FILENAME, &opts.pidFile, "Change name of PID file",
          "FILE" },
        { "root", 0, 0, G_OPTION_ARG_FILENAME, &opts.root,
          "Serve the root of qemu:///embed?root=DIR (sockets in DIR/run)", "DIR" },
        { "libvirt-sockets", 0, 0, G_OPTION_ARG_NONE, &opts.libvirtSockets,
          "Also listen on libvirt's own sockets in /run/libvirt", NULL },
        { "version", 'V', 0, G_OPTION_ARG_NONE, &opts.version, "Display version information",
          NULL },
        { NULL },
    };
    g_autoptr(GOptionContext) ctx = g_option_context_new(NULL);
    g_autoptr(GError) gerr = NULL;
    int rc;

    g_option_context_set_summary(ctx, "libvirt's wire protocol for virtkit's drivers.");
    g_option_context_add_main_entries(ctx, entries, NULL);
    if (!g_option_context_parse(ctx, &argc, &argv, &gerr)) {
        g_printerr("virtkitd: %s\n", gerr->message);
        return 1;
    }
    if (argc > 1) {
        g_printerr("virtkitd: unexpected argument '%s'\n", argv[1]);
        return 1;
    }
    if (opts.version) {
        printf("virtkitd (virtkit) %s\n", VK_VERSION);
        return 0;
    }
    if (opts.timeout < 0) {
        g_printerr("virtkitd: --timeout must be a number of seconds\n");
        return 1;
    }
    if (opts.verbose)
        g_log_set_debug_enabled(TRUE);
    signal(SIGPIPE, SIG_IGN);
    signal(SIGHUP, SIG_IGN);
    raiseFileLimit();
    virSetErrorFunc(NULL, quietErrors);
    /* the library's events arrive in GLib's default main context, where the daemon's loop runs */
    virEventRegisterDefaultImpl();

    rc = run(&opts);
    g_free(opts.configFile);
    g_free(opts.pidFile);
    g_free(opts.root);
    return rc;
}

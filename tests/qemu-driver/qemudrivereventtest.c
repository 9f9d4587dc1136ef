/* Lifecycle events of qemu:///embed with real guests, as an application sees them: a callback
 * registered here hears what ANOTHER process (the virtkit shell) does, a qemu killed with
 * SIGKILL, a qemu told to quit over QMP, a guest that powers itself off, and network changes;
 * a second watcher (another process) hears the same; the command monitor stays usable while a
 * watcher holds the events socket; and nothing keeps watching once the callbacks are gone.
 * Run by api.sh (VKQ_ROOT, VKQ_PREFIX, VKQ_VIRT_TYPE) with VKQ_VIRTKIT naming the shell. */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <glib.h>
#include <glib/gstdio.h>
#include <signal.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>
#include <virtkit/virtkit.h>

#define WAIT_MS 60000

static const char *root;
static const char *prefix;
static const char *virtType;
static const char *virtkit;
static char *uri;

G_DEFINE_AUTOPTR_CLEANUP_FUNC(virDomain, virDomainFree)

static void quietHandler(void *data, virErrorPtr err)
{
}

/* ---- what the callbacks heard ---- */

typedef struct {
    GPtrArray *lines; /* "NAME: EVENT DETAIL" */
    int frees;
} Heard;

static const char *const eventNames[] = { "defined",   "undefined",   "started",
                                          "suspended", "resumed",     "stopped",
                                          "shutdown",  "pmsuspended", "crashed" };

static const char *const netEventNames[] = { "defined", "undefined", "started", "stopped" };

static void heard(Heard *h, const char *name, const char *event, int detail)
{
    g_ptr_array_add(h->lines, g_strdup_printf("%s: %s %d", name, event, detail));
}

static int onDomain(virConnectPtr conn, virDomainPtr dom, int event, int detail, void *opaque)
{
    const char *name = virDomainGetName(dom);

    /* The test's domains only: the prefix is ours, and left out of what is compared. */
    if (g_str_has_prefix(name, prefix))
        heard(opaque, name + strlen(prefix), eventNames[event], detail);
    return 0;
}

static void onNetwork(virConnectPtr conn, virNetworkPtr net, int event, int detail, void *opaque)
{
    heard(opaque, virNetworkGetName(net), netEventNames[event], detail);
}

static void countFree(void *opaque)
{
    ((Heard *)opaque)->frees++;
}

static void timedOut(int timer, void *opaque)
{
    *(gboolean *)opaque = TRUE;
}

/* Runs the loop until H has heard COUNT more lines than it had, then asserts they are WANT. */
static void expectHeard(Heard *h, const char *const *want)
{
    gboolean late = FALSE;
    guint count = g_strv_length((char **)want);
    int timer = virEventAddTimeout(WAIT_MS, timedOut, &late, NULL);
    g_autoptr(GString) got = g_string_new(NULL);
    g_autoptr(GString) wanted = g_string_new(NULL);

    while (h->lines->len < count && !late)
        virEventRunDefaultImpl();
    virEventRemoveTimeout(timer);
    for (guint i = 0; i < h->lines->len; i++)
        g_string_append_printf(got, "%s\n", (char *)g_ptr_array_index(h->lines, i));
    for (guint i = 0; i < count; i++)
        g_string_append_printf(wanted, "%s\n", want[i]);
    g_assert_cmpstr(got->str, ==, wanted->str);
    g_ptr_array_set_size(h->lines, 0);
}

#define EXPECT(h, ...) expectHeard(h, (const char *const[]){ __VA_ARGS__, NULL })

/* ---- the outside world: other processes and qemu itself ---- */

static void childExited(GPid pid, gint status, gpointer data)
{
    *(gint *)data = status;
    g_spawn_close_pid(pid);
}

/* Runs the shell with ARGS on the test's root; it must succeed. The event loop keeps running
 * meanwhile, as an application's does, so each change is seen as it happens. */
static void shell(const char *first, ...)
{
    g_autoptr(GPtrArray) argv = g_ptr_array_new();
    g_autoptr(GError) gerr = NULL;
    gint status = -1;
    GPid pid;
    va_list ap;

    g_ptr_array_add(argv, (char *)virtkit);
    g_ptr_array_add(argv, (char *)"-c");
    g_ptr_array_add(argv, uri);
    va_start(ap, first);
    for (const char *a = first; a; a = va_arg(ap, const char *))
        g_ptr_array_add(argv, (char *)a);
    va_end(ap);
    g_ptr_array_add(argv, NULL);
    /* Its messages would disturb the TAP output; its errors go to stderr. */
    if (!g_spawn_async(NULL, (char **)argv->pdata, NULL,
                       G_SPAWN_DO_NOT_REAP_CHILD | G_SPAWN_STDOUT_TO_DEV_NULL, NULL, NULL, &pid,
                       &gerr))
        g_error("cannot run %s: %s", virtkit, gerr->message);
    g_child_watch_add(pid, childExited, &status);
    while (status == -1)
        virEventRunDefaultImpl();
    if (!g_spawn_check_wait_status(status, NULL))
        g_error("virtkit %s failed", first);
}

static char *fullName(const char *name)
{
    return g_strconcat(prefix, name, NULL);
}

static char *runFile(const char *name, const char *suffix)
{
    g_autofree char *full = fullName(name);
    g_autofree char *base = g_strconcat(full, suffix, NULL);

    return g_build_filename(root, "run", "qemu", base, NULL);
}

/* A guest with a boot sector that powers the machine off through ACPI at once, or (POWEROFF
 * FALSE) none: SeaBIOS then waits for a bootable disk forever. */
static char *writeDomain(const char *name, gboolean poweroff, unsigned int memMiB)
{
    g_autofree char *full = fullName(name);
    /* The same name always gets the same uuid, so that a definition can be replaced. */
    g_autofree char *md5 = g_compute_checksum_for_string(G_CHECKSUM_MD5, full, -1);
    g_autofree char *image = g_build_filename(root, "poweroff.img", NULL);
    g_autofree char *path = g_strdup_printf("%s/%s.xml", root, name);
    g_autofree char *disk =
        poweroff ? g_strdup_printf("<disk type='file' device='disk'><driver name='qemu' "
                                   "type='raw'/><source file='%s'/><target dev='hda' "
                                   "bus='ide'/></disk>",
                                   image)
                 : g_strdup("");
    g_autofree char *xml =
        g_strdup_printf("<domain type='%s'><name>%s</name><uuid>%.8s-%.4s-%.4s-%.4s-%.12s</uuid>"
                        "<memory unit='MiB'>%u</memory><vcpu>1</vcpu>"
                        "<os><type arch='x86_64'>hvm</type></os><features><acpi/></features>"
                        "<devices>%s</devices></domain>",
                        virtType, full, md5, md5 + 8, md5 + 12, md5 + 16, md5 + 20, memMiB, disk);
    /* mov dx,0x604; mov ax,0x2000; out dx,ax: S5 through PIIX4's PM1a control register. */
    static const unsigned char code[] = {
        0xBA, 0x04, 0x06, 0xB8, 0x00, 0x20, 0xEF, 0xF4, 0xEB, 0xFE
    };
    unsigned char sector[512] = { 0 };
    g_autoptr(GError) gerr = NULL;

    memcpy(sector, code, sizeof(code));
    sector[510] = 0x55;
    sector[511] = 0xAA;
    if (!g_file_set_contents(image, (const char *)sector, sizeof(sector), &gerr) ||
        !g_file_set_contents(path, xml, -1, &gerr))
        g_error("%s", gerr->message);
    return g_steal_pointer(&path);
}

/* One QMP command on the guest's COMMAND monitor, as any QMP client would send it. Returns
 * qemu's reply line, or "" when qemu closed the connection first (quit may). */
static char *qmpReplyAt(const char *path, const char *command)
{
    struct sockaddr_un addr = { .sun_family = AF_UNIX };
    g_autofree char *caps = g_strdup("{\"execute\":\"qmp_capabilities\"}\n");
    g_autofree char *cmd = g_strdup_printf("{\"execute\":\"%s\"}\n", command);
    g_autoptr(GString) in = g_string_new(NULL);
    int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    int replies = 0;
    char buf[4096];

    g_strlcpy(addr.sun_path, path, sizeof(addr.sun_path));
    g_assert_cmpint(connect(fd, (struct sockaddr *)&addr, sizeof(addr)), ==, 0);
    /* Greeting, then the capabilities' reply, then the command's (events may come between). */
    for (;;) {
        char *nl;
        ssize_t n;

        while ((nl = strchr(in->str, '\n'))) {
            g_autofree char *line = g_strndup(in->str, nl - in->str);

            g_string_erase(in, 0, nl - in->str + 1);
            if (strstr(line, "\"QMP\"")) {
                g_assert_cmpint(write(fd, caps, strlen(caps)), ==, strlen(caps));
            } else if (strstr(line, "\"return\"") || strstr(line, "\"error\"")) {
                if (++replies == 2) {
                    close(fd);
                    return g_strdup(g_strstrip(line));
                }
                g_assert_cmpint(write(fd, cmd, strlen(cmd)), ==, strlen(cmd));
            }
        }
        n = read(fd, buf, sizeof(buf) - 1);
        if (n <= 0)
            break;
        g_string_append_len(in, buf, n);
    }
    close(fd);
    return g_strdup("");
}

/* The reply, kept until the next call. */
static const char *qmpAt(const char *path, const char *command)
{
    static char *last;

    g_free(last);
    last = qmpReplyAt(path, command);
    return last;
}

static const char *qmp(const char *name, const char *command)
{
    g_autofree char *path = runFile(name, ".monitor");

    return qmpAt(path, command);
}

static pid_t qemuPid(const char *name)
{
    g_autofree char *path = runFile(name, ".pid");
    g_autofree char *text = NULL;

    g_assert_true(g_file_get_contents(path, &text, NULL, NULL));
    return (pid_t)g_ascii_strtoll(text, NULL, 10);
}

static void assertState(virConnectPtr conn, const char *name, int state, int reason)
{
    g_autofree char *full = fullName(name);
    g_autoptr(virDomain) dom = virDomainLookupByName(conn, full);
    int s = -1, r = -1;

    g_assert_nonnull(dom);
    g_assert_cmpint(virDomainGetState(dom, &s, &r, 0), ==, 0);
    g_assert_cmpint(s, ==, state);
    g_assert_cmpint(r, ==, reason);
}

/* Descriptors of inotify instances and sockets the process holds: what a watcher costs. */
static int countWatchFds(void)
{
    g_autoptr(GDir) dir = g_dir_open("/proc/self/fd", 0, NULL);
    const char *entry;
    int count = 0;

    while ((entry = g_dir_read_name(dir))) {
        g_autofree char *link = g_strdup_printf("/proc/self/fd/%s", entry);
        g_autofree char *target = g_file_read_link(link, NULL);

        if (target && (strstr(target, "inotify") || g_str_has_prefix(target, "socket:")))
            count++;
    }
    return count;
}

static void pumpBriefly(void)
{
    gboolean done = FALSE;
    int timer = virEventAddTimeout(50, timedOut, &done, NULL);

    while (!done)
        virEventRunDefaultImpl();
    virEventRemoveTimeout(timer);
}

/* ---- the tests ---- */

static Heard *heardNew(void)
{
    Heard *h = g_new0(Heard, 1);

    h->lines = g_ptr_array_new_with_free_func(g_free);
    return h;
}

static void heardFree(Heard *h)
{
    g_ptr_array_unref(h->lines);
    g_free(h);
}

/* Define, start, pause, resume and stop, each by another process. */
static void testOtherProcess(void)
{
    virConnectPtr conn = virConnectOpen(uri);
    g_autofree char *xml = writeDomain("other", FALSE, 64);
    g_autofree char *bigger = writeDomain("other", FALSE, 96);
    g_autofree char *full = fullName("other");
    Heard *h = heardNew();
    int baseline = countWatchFds();
    int id;

    id = virConnectDomainEventRegisterAny(conn, NULL, VIR_DOMAIN_EVENT_ID_LIFECYCLE,
                                          VIR_DOMAIN_EVENT_CALLBACK(onDomain), h, countFree);
    g_assert_cmpint(id, >=, 0);
    shell("define", xml, NULL);
    EXPECT(h, "other: defined 0");
    shell("start", full, NULL);
    EXPECT(h, "other: started 0");
    shell("suspend", full, NULL);
    EXPECT(h, "other: suspended 0");
    shell("resume", full, NULL);
    EXPECT(h, "other: resumed 0");
    /* The command monitor answers while the watcher holds the events socket. */
    g_assert_nonnull(strstr(qmp("other", "query-status"), "\"running\": true"));
    /* Paused and resumed behind the driver's back (as a guest's own watchdog or I/O error
     * would): the watcher holding the events socket records it, and every watcher tells. */
    g_assert_cmpstr(qmp("other", "stop"), ==, "{\"return\": {}}");
    EXPECT(h, "other: suspended 0");
    assertState(conn, "other", VIR_DOMAIN_PAUSED, VIR_DOMAIN_PAUSED_UNKNOWN);
    g_assert_cmpstr(qmp("other", "cont"), ==, "{\"return\": {}}");
    EXPECT(h, "other: resumed 0");
    assertState(conn, "other", VIR_DOMAIN_RUNNING, VIR_DOMAIN_RUNNING_UNPAUSED);
    shell("define", bigger, NULL);
    EXPECT(h, "other: defined 1");
    shell("destroy", full, NULL);
    EXPECT(h, "other: stopped 1");
    assertState(conn, "other", VIR_DOMAIN_SHUTOFF, VIR_DOMAIN_SHUTOFF_DESTROYED);
    shell("start", "--paused", full, NULL);
    EXPECT(h, "other: started 0", "other: suspended 0");
    shell("destroy", full, NULL);
    shell("undefine", full, NULL);
    EXPECT(h, "other: stopped 1", "other: undefined 0");

    /* The last callback gone, nothing watches any more. */
    g_assert_cmpint(virConnectDomainEventDeregisterAny(conn, id), ==, 0);
    g_assert_cmpint(h->frees, ==, 1);
    pumpBriefly();
    g_assert_cmpint(countWatchFds(), ==, baseline);
    heardFree(h);
    g_assert_cmpint(virConnectClose(conn), ==, 0);
}

/* qemu killed: stopped, failed (reason crashed), as libvirt reports a qemu that went without
 * saying goodbye. */
static void testKilled(void)
{
    virConnectPtr conn = virConnectOpen(uri);
    virConnectPtr second = virConnectOpen(uri);
    g_autofree char *xml = writeDomain("killed", FALSE, 64);
    g_autofree char *full = fullName("killed");
    Heard *h = heardNew();
    Heard *h2 = heardNew();
    int id = virConnectDomainEventRegisterAny(conn, NULL, VIR_DOMAIN_EVENT_ID_LIFECYCLE,
                                              VIR_DOMAIN_EVENT_CALLBACK(onDomain), h, NULL);
    /* A second connection of the process shares the watcher, and hears the same. */
    int id2 = virConnectDomainEventRegisterAny(second, NULL, VIR_DOMAIN_EVENT_ID_LIFECYCLE,
                                               VIR_DOMAIN_EVENT_CALLBACK(onDomain), h2, NULL);

    g_assert_cmpint(id, >=, 0);
    g_assert_cmpint(id2, >=, 0);
    shell("define", xml, NULL);
    shell("start", full, NULL);
    EXPECT(h, "killed: defined 0", "killed: started 0");
    g_assert_cmpint(kill(qemuPid("killed"), SIGKILL), ==, 0);
    EXPECT(h, "killed: stopped 5");
    EXPECT(h2, "killed: defined 0", "killed: started 0", "killed: stopped 5");
    g_assert_cmpint(virConnectDomainEventDeregisterAny(second, id2), ==, 0);
    heardFree(h2);
    g_assert_cmpint(virConnectClose(second), ==, 0);
    assertState(conn, "killed", VIR_DOMAIN_SHUTOFF, VIR_DOMAIN_SHUTOFF_CRASHED);
    shell("undefine", full, NULL);
    EXPECT(h, "killed: undefined 0");
    g_assert_cmpint(virConnectDomainEventDeregisterAny(conn, id), ==, 0);
    heardFree(h);
    g_assert_cmpint(virConnectClose(conn), ==, 0);
}

/* A name too long for NAME.events in the run directory: the sockets go to a directory of
 * their own, and the watcher finds its events socket there (a guest's quit is a shutdown,
 * which only the holder of that socket can tell). */
static void testLongName(void)
{
    virConnectPtr conn = virConnectOpen(uri);
    g_autofree char *shortName = g_strnfill(100, 'l');
    g_autofree char *xml = writeDomain(shortName, FALSE, 64);
    g_autofree char *full = fullName(shortName);
    g_autofree char *want1 = g_strdup_printf("%s: defined 0", shortName);
    g_autofree char *want2 = g_strdup_printf("%s: started 0", shortName);
    g_autofree char *want3 = g_strdup_printf("%s: shutdown 2", shortName);
    g_autofree char *want4 = g_strdup_printf("%s: stopped 0", shortName);
    g_autofree char *want5 = g_strdup_printf("%s: undefined 0", shortName);
    g_autofree char *path = NULL;
    Heard *h = heardNew();
    int id = virConnectDomainEventRegisterAny(conn, NULL, VIR_DOMAIN_EVENT_ID_LIFECYCLE,
                                              VIR_DOMAIN_EVENT_CALLBACK(onDomain), h, NULL);

    g_assert_cmpint(id, >=, 0);
    shell("define", xml, NULL);
    shell("start", full, NULL);
    EXPECT(h, want1, want2);
    /* Told to quit over its command monitor, in the long name's socket directory. */
    path = g_build_filename(root, "run", "qemu", NULL);
    {
        g_autoptr(GDir) dir = g_dir_open(path, 0, NULL);
        const char *entry;
        gboolean found = FALSE;

        while ((entry = g_dir_read_name(dir))) {
            g_autofree char *sock = g_build_filename(path, entry, "monitor.sock", NULL);
            g_autofree char *events = g_build_filename(path, entry, "events.sock", NULL);

            if (!g_str_has_prefix(entry, "domain-") || !g_file_test(events, G_FILE_TEST_EXISTS))
                continue;
            found = TRUE;
            g_assert_cmpstr(qmpAt(sock, "quit"), ==, "{\"return\": {}}");
        }
        g_assert_true(found);
    }
    EXPECT(h, want3, want4);
    shell("undefine", full, NULL);
    EXPECT(h, want5);
    g_assert_cmpint(virConnectDomainEventDeregisterAny(conn, id), ==, 0);
    heardFree(h);
    g_assert_cmpint(virConnectClose(conn), ==, 0);
}

/* A guest that stops by itself: told to quit over QMP (the host's request), and one that powers
 * itself off (the guest's). Both end in a shutdown, not a crash. A second watcher, another
 * process, hears the same. */
static void testShutdowns(void)
{
    virConnectPtr conn = virConnectOpen(uri);
    g_autofree char *quitXML = writeDomain("quit", FALSE, 64);
    g_autofree char *offXML = writeDomain("off", TRUE, 64);
    g_autofree char *quitName = fullName("quit");
    g_autofree char *offName = fullName("off");
    g_autofree char *outPath = g_build_filename(root, "watcher.out", NULL);
    g_autofree char *outText = NULL;
    g_autofree char *expected = NULL;
    g_autoptr(GError) gerr = NULL;
    Heard *h = heardNew();
    g_autofree char *syncPath = g_build_filename(root, "sync.xml", NULL);
    const char *argv[] = { virtkit, "-c", uri, "event", "--all", "--loop", NULL };
    const char *story;
    g_autofree char *head = NULL;
    int outFd;
    GPid watcher;
    int status;
    int id;

    /* The other watcher first, and proof that it watches: it hears the define of a domain
     * outside the test's names (our own callback ignores those). */
    g_assert_true(g_file_set_contents(syncPath,
                                      "<domain type='qemu'><name>sync</name>"
                                      "<uuid>0f0e0d0c-0b0a-4908-8706-050403020100</uuid>"
                                      "<memory>65536</memory>"
                                      "<os><type arch='x86_64'>hvm</type></os></domain>",
                                      -1, NULL));
    outFd = g_open(outPath, O_WRONLY | O_CREAT | O_TRUNC | O_APPEND, 0600);
    g_assert_cmpint(outFd, >=, 0);
    g_assert_true(g_spawn_async_with_fds(NULL, (char **)argv, NULL, G_SPAWN_DO_NOT_REAP_CHILD, NULL,
                                         NULL, &watcher, -1, outFd, outFd, &gerr));
    close(outFd);
    id = virConnectDomainEventRegisterAny(conn, NULL, VIR_DOMAIN_EVENT_ID_LIFECYCLE,
                                          VIR_DOMAIN_EVENT_CALLBACK(onDomain), h, NULL);
    g_assert_cmpint(id, >=, 0);
    for (int i = 0; i < 200; i++) {
        g_clear_pointer(&outText, g_free);
        shell("define", syncPath, NULL);
        g_file_get_contents(outPath, &outText, NULL, NULL);
        if (outText && strstr(outText, "'sync'"))
            break;
        g_usleep(50000);
    }
    g_assert_nonnull(strstr(outText, "'sync'"));

    shell("define", quitXML, NULL);
    shell("start", quitName, NULL);
    EXPECT(h, "quit: defined 0", "quit: started 0");
    g_assert_cmpstr(qmp("quit", "quit"), ==, "{\"return\": {}}");
    EXPECT(h, "quit: shutdown 2", "quit: stopped 0");
    assertState(conn, "quit", VIR_DOMAIN_SHUTOFF, VIR_DOMAIN_SHUTOFF_SHUTDOWN);

    shell("define", offXML, NULL);
    shell("start", offName, NULL);
    EXPECT(h, "off: defined 0", "off: started 0", "off: shutdown 1", "off: stopped 0");
    assertState(conn, "off", VIR_DOMAIN_SHUTOFF, VIR_DOMAIN_SHUTOFF_SHUTDOWN);
    shell("undefine", quitName, NULL);
    shell("undefine", offName, NULL);
    EXPECT(h, "quit: undefined 0", "off: undefined 0");

    /* The other watcher, interrupted, printed the same story as virsh would. */
    kill(watcher, SIGINT);
    g_assert_cmpint(waitpid(watcher, &status, 0), ==, watcher);
    g_spawn_close_pid(watcher);
    g_clear_pointer(&outText, g_free);
    g_assert_true(g_file_get_contents(outPath, &outText, NULL, NULL));
    expected = g_strdup_printf("event 'lifecycle' for domain '%1$squit': Defined Added\n"
                               "event 'lifecycle' for domain '%1$squit': Started Booted\n"
                               "event 'lifecycle' for domain '%1$squit': Shutdown Finished "
                               "after host request\n"
                               "event 'lifecycle' for domain '%1$squit': Stopped Shutdown\n"
                               "event 'lifecycle' for domain '%1$soff': Defined Added\n"
                               "event 'lifecycle' for domain '%1$soff': Started Booted\n"
                               "event 'lifecycle' for domain '%1$soff': Shutdown Finished "
                               "after guest request\n"
                               "event 'lifecycle' for domain '%1$soff': Stopped Shutdown\n"
                               "event 'lifecycle' for domain '%1$squit': Undefined Removed\n"
                               "event 'lifecycle' for domain '%1$soff': Undefined Removed\n"
                               "event loop interrupted\n"
                               "events received: ",
                               prefix);
    /* What it printed for the sync domain came first. */
    story = strstr(outText, "event 'lifecycle' for domain '");
    while (story && strstr(story, "'sync'") == story + strlen("event 'lifecycle' for domain "))
        story = strstr(story + 1, "event 'lifecycle' for domain '");
    g_assert_nonnull(story);
    head = g_strndup(story, strlen(expected));
    g_assert_cmpstr(head, ==, expected);
    g_assert_cmpint(atoi(story + strlen(expected)), >=, 9);

    g_assert_cmpint(virConnectDomainEventDeregisterAny(conn, id), ==, 0);
    heardFree(h);
    g_assert_cmpint(virConnectClose(conn), ==, 0);
}

/* A callback for one domain hears that domain only. */
static void testFilter(void)
{
    virConnectPtr conn = virConnectOpen(uri);
    g_autofree char *aXML = writeDomain("fa", FALSE, 64);
    g_autofree char *bXML = writeDomain("fb", FALSE, 64);
    g_autofree char *aName = fullName("fa");
    g_autofree char *bName = fullName("fb");
    g_autoptr(virDomain) a = NULL;
    g_autofree char *xml = NULL;
    Heard *h = heardNew();
    int id;

    g_assert_true(g_file_get_contents(aXML, &xml, NULL, NULL));
    a = virDomainDefineXML(conn, xml);
    g_assert_nonnull(a);
    id = virConnectDomainEventRegisterAny(conn, a, VIR_DOMAIN_EVENT_ID_LIFECYCLE,
                                          VIR_DOMAIN_EVENT_CALLBACK(onDomain), h, NULL);
    g_assert_cmpint(id, >=, 0);
    shell("define", bXML, NULL);
    shell("undefine", bName, NULL);
    shell("undefine", aName, NULL);
    EXPECT(h, "fa: undefined 0");
    g_assert_cmpint(virConnectDomainEventDeregisterAny(conn, id), ==, 0);
    g_clear_pointer(&a, virDomainFree);
    heardFree(h);
    g_assert_cmpint(virConnectClose(conn), ==, 0);
}

/* Networks, changed by another process; needs root for the bridges (in the test's own
 * network namespace). */
static void testNetwork(void)
{
    virConnectPtr conn;
    g_autofree char *netName = g_strdup_printf("vkqev%d", (int)getpid());
    g_autofree char *tmpName = g_strdup_printf("vkqet%d", (int)getpid());
    g_autofree char *netPath = g_build_filename(root, "net.xml", NULL);
    g_autofree char *tmpPath = g_build_filename(root, "tmpnet.xml", NULL);
    g_autofree char *netXML = g_strdup_printf(
        "<network><name>%s</name><uuid>2b9c8d0e-6a55-4d39-9c5e-2f3d8a7b1c01</uuid>"
        "<bridge name='vkqe%d'/><ip address='10.211.7.1' netmask='255.255.255.0'/></network>",
        netName, (int)getpid() % 100000);
    g_autofree char *tmpXML =
        g_strdup_printf("<network><name>%s</name><bridge name='vkqf%d'/></network>", tmpName,
                        (int)getpid() % 100000);
    Heard *h;
    int id;

    if (geteuid() != 0) {
        g_test_skip("needs root for bridges");
        return;
    }
    g_assert_true(g_file_set_contents(netPath, netXML, -1, NULL));
    g_assert_true(g_file_set_contents(tmpPath, tmpXML, -1, NULL));
    conn = virConnectOpen(uri);
    h = heardNew();
    id = virConnectNetworkEventRegisterAny(conn, NULL, VIR_NETWORK_EVENT_ID_LIFECYCLE,
                                           VIR_NETWORK_EVENT_CALLBACK(onNetwork), h, countFree);
    g_assert_cmpint(id, >=, 0);
    shell("net-define", netPath, NULL);
    g_autofree char *l1 = g_strdup_printf("%s: defined 0", netName);
    EXPECT(h, l1);
    shell("net-start", netName, NULL);
    g_autofree char *l2 = g_strdup_printf("%s: started 0", netName);
    EXPECT(h, l2);
    shell("net-destroy", netName, NULL);
    g_autofree char *l3 = g_strdup_printf("%s: stopped 0", netName);
    EXPECT(h, l3);
    shell("net-define", netPath, NULL);
    shell("net-undefine", netName, NULL);
    g_autofree char *l4 = g_strdup_printf("%s: undefined 0", netName);
    EXPECT(h, l1, l4);
    shell("net-create", tmpPath, NULL);
    shell("net-destroy", tmpName, NULL);
    g_autofree char *l5 = g_strdup_printf("%s: started 0", tmpName);
    g_autofree char *l6 = g_strdup_printf("%s: stopped 0", tmpName);
    EXPECT(h, l5, l6);
    g_assert_cmpint(virConnectNetworkEventDeregisterAny(conn, id), ==, 0);
    g_assert_cmpint(h->frees, ==, 1);
    heardFree(h);
    g_assert_cmpint(virConnectClose(conn), ==, 0);
}

/* Many threads registering and deregistering at once: the watcher starts and stops under
 * them, while a guest runs (so its sockets and pidfd come and go too) and the loop runs in a
 * thread of its own. Nothing is left watching at the end. */
/* Each start of a watcher takes an inotify instance until the loop lets the stopped one go,
 * and root has 128 of them on the whole host: a churn of hundreds a second is no use case. */
#define CHURN_ROUNDS 20

typedef struct {
    virConnectPtr conn;
    int first;
    int frees;
} Churn;

static void churnFree(void *opaque)
{
    g_atomic_int_inc(&((Churn *)opaque)->frees);
}

static int churnCallback(virConnectPtr conn, virDomainPtr dom, int event, int detail, void *opaque)
{
    return 0;
}

static gpointer churn(gpointer data)
{
    Churn *c = data;

    for (int i = 0; i < CHURN_ROUNDS; i++) {
        int id = virConnectDomainEventRegisterAny(c->conn, NULL, c->first + 8 * (i % 3),
                                                  VIR_DOMAIN_EVENT_CALLBACK(churnCallback), c,
                                                  churnFree);
        if (id < 0)
            g_error("registration failed: %s (%d fds)", virGetLastError()->message,
                    countWatchFds());
        g_assert_cmpint(virConnectDomainEventDeregisterAny(c->conn, id), ==, 0);
    }
    return NULL;
}

static gpointer runLoop(gpointer data)
{
    while (!g_atomic_int_get((int *)data))
        virEventRunDefaultImpl();
    return NULL;
}

static void tick(int timer, void *opaque)
{
}

static void testThreads(void)
{
    virConnectPtr shared = virConnectOpen(uri);
    virConnectPtr own[8] = { NULL };
    Churn churns[8];
    GThread *threads[8];
    g_autofree char *xml = writeDomain("threads", FALSE, 64);
    g_autofree char *full = fullName("threads");
    int baseline = countWatchFds();
    int stop = 0;
    int wake = virEventAddTimeout(1, tick, NULL, NULL);
    GThread *loop;

    shell("define", xml, NULL);
    shell("start", full, NULL);
    loop = g_thread_new("loop", runLoop, &stop);
    for (int i = 0; i < 8; i++) {
        own[i] = i % 2 ? virConnectOpen(uri) : NULL;
        churns[i] = (Churn){ .conn = own[i] ? own[i] : shared, .first = i };
        threads[i] = g_thread_new("churn", churn, &churns[i]);
    }
    for (int i = 0; i < 8; i++)
        g_thread_join(threads[i]);
    g_atomic_int_set(&stop, 1);
    g_thread_join(loop);
    virEventRemoveTimeout(wake);
    pumpBriefly();
    for (int i = 0; i < 8; i++) {
        g_assert_cmpint(churns[i].frees, ==, CHURN_ROUNDS);
        if (own[i])
            g_assert_cmpint(virConnectClose(own[i]), ==, 0);
    }
    g_assert_cmpint(countWatchFds(), ==, baseline);
    shell("destroy", full, NULL);
    shell("undefine", full, NULL);
    g_assert_cmpint(virConnectClose(shared), ==, 0);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    root = g_getenv("VKQ_ROOT");
    prefix = g_getenv("VKQ_PREFIX");
    virtType = g_getenv("VKQ_VIRT_TYPE");
    virtkit = g_getenv("VKQ_VIRTKIT");
    if (!root || !prefix || !virtType || !virtkit)
        g_error("run me through api.sh with VKQ_VIRTKIT set");
    uri = g_strdup_printf("qemu:///embed?root=%s", root);
    virSetErrorFunc(NULL, quietHandler);
    g_assert_cmpint(virEventRegisterDefaultImpl(), ==, 0);
    g_test_add_func("/qemu-events/other-process", testOtherProcess);
    g_test_add_func("/qemu-events/killed", testKilled);
    g_test_add_func("/qemu-events/shutdowns", testShutdowns);
    g_test_add_func("/qemu-events/long-name", testLongName);
    g_test_add_func("/qemu-events/filter", testFilter);
    g_test_add_func("/qemu-events/network", testNetwork);
    g_test_add_func("/qemu-events/threads", testThreads);
    return g_test_run();
}

/* Tests for the QMP monitor: against a real qemu (-machine none) for the command set and its
 * events, and against a scripted fake server for what qemu will not do on demand (panics,
 * late replies, garbage, dying mid-command). */
#include <errno.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include <unistd.h>

#include "qemu/qemu_monitor.h"
#include "qemutestutil.h"
#include "util/vkprocess.h"

typedef struct {
    char *dir;
    char *socket;
    char *log;
    pid_t pid;
    unsigned long long startTime;
    vkQEMUMonitor *mon;
} Fixture;

static void fixtureSetup(Fixture *f, gconstpointer data)
{
    f->dir = testMakeTmpDir("qemumonitortest-XXXXXX");
    f->socket = g_build_filename(f->dir, "qmp.sock", NULL);
    f->log = g_build_filename(f->dir, "qemu.log", NULL);
}

static void fixtureTeardown(Fixture *f, gconstpointer data)
{
    g_clear_pointer(&f->mon, vkQEMUMonitorClose);
    if (f->pid > 0)
        assertOK(vkProcessKill(f->pid, f->startTime, 2000) == 0);
    testRemoveTree(f->dir);
    g_free(f->dir);
    g_free(f->socket);
    g_free(f->log);
}

/* Starts qemu the way the driver will (detached, QMP on a unix socket) with EXTRA arguments
 * and connects. FALSE (test skipped) when qemu is not installed. */
static gboolean startQEMU(Fixture *f, const char *const *extra)
{
    g_autofree char *binary = testFindQEMU();
    g_autofree char *qmp = g_strdup_printf("unix:%s,server=on,wait=off", f->socket);
    g_autoptr(GPtrArray) argv = g_ptr_array_new();
    const char *base[] = { "-S", "-nodefaults", "-nographic", "-machine", "none", "-qmp", qmp };

    if (!binary)
        return FALSE;
    g_ptr_array_add(argv, binary);
    for (size_t i = 0; i < G_N_ELEMENTS(base); i++)
        g_ptr_array_add(argv, (gpointer)base[i]);
    for (size_t i = 0; extra && extra[i]; i++)
        g_ptr_array_add(argv, (gpointer)extra[i]);
    g_ptr_array_add(argv, NULL);

    vkProcessSpawnOptions opts = { .argv = (const char *const *)argv->pdata,
                                   .logFile = f->log,
                                   .detach = TRUE };
    assertOK(vkProcessSpawn(&opts, &f->pid) == 0);
    assertOK(vkProcessGetStartTime(f->pid, &f->startTime) == 0);
    f->mon = vkQEMUMonitorOpen(f->socket, f->pid, 10000);
    assertOK(f->mon != NULL);
    return TRUE;
}

static void assertStatus(vkQEMUMonitor *mon, gboolean expectRunning, const char *expectStatus)
{
    g_autofree char *status = NULL;
    gboolean running = !expectRunning;

    assertOK(vkQEMUMonitorQueryStatus(mon, &running, &status) == 0);
    g_assert_cmpint(running, ==, expectRunning);
    g_assert_cmpstr(status, ==, expectStatus);
}

/* Takes event NAME, which must come within a second. */
static vkQEMUMonitorEvent *expectEvent(vkQEMUMonitor *mon, const char *name)
{
    vkQEMUMonitorEvent *event = NULL;

    assertOK(vkQEMUMonitorNextEvent(mon, name, 1000, &event) == 1);
    g_assert_cmpstr(event->name, ==, name);
    g_assert_cmpint(event->timestampUs, >, 0);
    return event;
}

static void assertEventReason(vkQEMUMonitorEvent *event, const char *reason)
{
    g_assert_nonnull(event->data);
    g_assert_cmpstr(vkQEMUJSONGetString(event->data, "reason"), ==, reason);
}

static void testRunStates(Fixture *f, gconstpointer data)
{
    vkQEMUMonitorEvent *event = NULL;

    if (!startQEMU(f, NULL))
        return;
    g_assert_cmpuint(vkQEMUMonitorGetVersion(f->mon), >=, 2000000);
    assertStatus(f->mon, FALSE, "prelaunch");

    assertOK(vkQEMUMonitorCont(f->mon) == 0);
    assertStatus(f->mon, TRUE, "running");
    vkQEMUMonitorEventFree(expectEvent(f->mon, "RESUME"));

    assertOK(vkQEMUMonitorStop(f->mon) == 0);
    assertStatus(f->mon, FALSE, "paused");
    vkQEMUMonitorEventFree(expectEvent(f->mon, "STOP"));

    /* Everything that arrived has been taken. */
    g_assert_cmpint(vkQEMUMonitorNextEvent(f->mon, NULL, 0, &event), ==, 0);
    g_assert_null(event);
}

static void testReset(Fixture *f, gconstpointer data)
{
    g_autoptr(vkQEMUMonitorEvent) event = NULL;

    if (!startQEMU(f, NULL))
        return;
    assertOK(vkQEMUMonitorSystemReset(f->mon) == 0);
    event = expectEvent(f->mon, "RESET");
    assertEventReason(event, "host-qmp-system-reset");
    g_assert_false(
        json_object_get_boolean(vkQEMUJSONGetMember(event->data, "guest", json_type_boolean)));
}

static void testQuit(Fixture *f, gconstpointer data)
{
    g_autoptr(vkQEMUMonitorEvent) event = NULL;
    gboolean running;

    if (!startQEMU(f, NULL))
        return;
    assertOK(vkQEMUMonitorCont(f->mon) == 0);
    assertOK(vkQEMUMonitorQuit(f->mon) == 0);
    event = expectEvent(f->mon, "SHUTDOWN");
    assertEventReason(event, "host-qmp-quit");

    assertOK(vkQEMUMonitorWaitClosed(f->mon, 5000) == 0);
    g_assert_true(vkQEMUMonitorIsClosed(f->mon));
    g_assert_cmpint(vkProcessWaitExit(f->pid, f->startTime, 5000), ==, 0);
    f->pid = 0;

    /* The queued RESUME survives end of file; after it there is nothing more to read. */
    g_clear_pointer(&event, vkQEMUMonitorEventFree);
    event = expectEvent(f->mon, "RESUME");
    g_clear_pointer(&event, vkQEMUMonitorEventFree);
    g_assert_cmpint(vkQEMUMonitorNextEvent(f->mon, NULL, 100, &event), ==, -1);
    assertLastError(VIR_ERR_OPERATION_FAILED, "End of file from qemu monitor");
    g_assert_cmpint(vkQEMUMonitorQueryStatus(f->mon, &running, NULL), ==, -1);
    assertLastError(VIR_ERR_OPERATION_FAILED, "End of file from qemu monitor");
    /* Quitting what has already quit is done. */
    assertOK(vkQEMUMonitorQuit(f->mon) == 0);
}

static void testErrorReply(Fixture *f, gconstpointer data)
{
    g_autoptr(json_object) ret = NULL;
    g_autofree char *errorClass = NULL;

    if (!startQEMU(f, NULL))
        return;
    g_assert_cmpint(vkQEMUMonitorCommand(f->mon, "bogus", NULL, 5000, &ret, &errorClass), ==, -1);
    g_assert_null(ret);
    g_assert_cmpstr(errorClass, ==, "CommandNotFound");
    assertLastError(VIR_ERR_INTERNAL_ERROR,
                    "unable to execute QEMU command 'bogus': The command bogus has not been found");

    /* Without a VNC display there is no password to set. */
    g_assert_cmpint(vkQEMUMonitorSetPassword(f->mon, "vnc", "secret"), ==, -1);
    assertLastError(VIR_ERR_INTERNAL_ERROR,
                    "unable to execute QEMU command 'set_password': Could not set password");

    /* Errors do not spoil the conversation. */
    assertOK(vkQEMUMonitorCommand(f->mon, "query-status", NULL, 5000, &ret, NULL) == 0);
    g_assert_true(json_object_is_type(ret, json_type_object));
}

static int freeTcpPort(void)
{
    struct sockaddr_in addr = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
    socklen_t len = sizeof(addr);
    int fd = socket(AF_INET, SOCK_STREAM, 0);

    g_assert_cmpint(bind(fd, (struct sockaddr *)&addr, sizeof(addr)), ==, 0);
    g_assert_cmpint(getsockname(fd, (struct sockaddr *)&addr, &len), ==, 0);
    close(fd);
    return ntohs(addr.sin_port);
}

static void testGraphics(Fixture *f, gconstpointer data)
{
    int spicePort = freeTcpPort();
    g_autofree char *spice = g_strdup_printf("addr=127.0.0.1,port=%d", spicePort);
    /* to=100: qemu takes the first free port from 5900 on, so only it knows which. */
    const char *extra[] = { "-vnc", "127.0.0.1:0,to=100,password=on", "-spice", spice, NULL };
    vkQEMUMonitorGraphics vnc;
    vkQEMUMonitorGraphics info;

    if (!startQEMU(f, extra))
        return;
    assertOK(vkQEMUMonitorQueryVNC(f->mon, &vnc) == 0);
    g_assert_true(vnc.enabled);
    g_assert_cmpstr(vnc.host, ==, "127.0.0.1");
    g_assert_cmpint(vnc.port, >=, 5900);
    g_assert_cmpint(vnc.port, <=, 6000);
    g_assert_cmpint(vnc.tlsPort, ==, -1);
    g_test_message("qemu picked VNC port %d", vnc.port);
    vkQEMUMonitorGraphicsClear(&vnc);

    assertOK(vkQEMUMonitorQuerySpice(f->mon, &info) == 0);
    g_assert_true(info.enabled);
    g_assert_cmpstr(info.host, ==, "127.0.0.1");
    g_assert_cmpint(info.port, ==, spicePort);
    g_assert_cmpint(info.tlsPort, ==, -1);
    vkQEMUMonitorGraphicsClear(&info);

    assertOK(vkQEMUMonitorSetPassword(f->mon, "vnc", "secret") == 0);
    assertOK(vkQEMUMonitorSetPassword(f->mon, "spice", "secret") == 0);
    g_assert_cmpint(vkQEMUMonitorSetPassword(f->mon, "rdp", "secret"), ==, -1);
    assertLastError(VIR_ERR_INTERNAL_ERROR, "'set_password'");
}

static void testGraphicsDisabled(Fixture *f, gconstpointer data)
{
    vkQEMUMonitorGraphics info;

    if (!startQEMU(f, NULL))
        return;
    assertOK(vkQEMUMonitorQueryVNC(f->mon, &info) == 0);
    g_assert_false(info.enabled);
    g_assert_null(info.host);
    g_assert_cmpint(info.port, ==, -1);
    assertOK(vkQEMUMonitorQuerySpice(f->mon, &info) == 0);
    g_assert_false(info.enabled);
}

static gpointer queryManyTimes(gpointer data)
{
    vkQEMUMonitor *mon = data;

    for (int i = 0; i < 50; i++) {
        gboolean running;
        if (vkQEMUMonitorQueryStatus(mon, &running, NULL) < 0 || running)
            return GINT_TO_POINTER(FALSE);
    }
    return GINT_TO_POINTER(TRUE);
}

static void testThreads(Fixture *f, gconstpointer data)
{
    GThread *threads[4];

    if (!startQEMU(f, NULL))
        return;
    for (size_t i = 0; i < G_N_ELEMENTS(threads); i++)
        threads[i] = g_thread_new("query", queryManyTimes, f->mon);
    for (size_t i = 0; i < G_N_ELEMENTS(threads); i++)
        g_assert_true(GPOINTER_TO_INT(g_thread_join(threads[i])));
}

static void testConnectTimeout(Fixture *f, gconstpointer data)
{
    gint64 start = g_get_monotonic_time();

    g_assert_null(vkQEMUMonitorOpen(f->socket, 0, 200));
    g_assert_cmpfloat(testElapsedMs(start), >=, 200);
    assertLastError(VIR_ERR_OPERATION_TIMEOUT, "did not accept a connection within 200 ms");
}

static void testQEMUDiesEarly(Fixture *f, gconstpointer data)
{
    g_autofree char *binary = testFindQEMU();
    g_autofree char *qmp = g_strdup_printf("unix:%s,server=on,wait=off", f->socket);
    const char *argv[] = { binary, "-machine", "no-such-machine", "-qmp", qmp, NULL };
    vkProcessSpawnOptions opts = { .argv = argv, .logFile = f->log, .detach = TRUE };
    g_autofree char *log = NULL;
    gint64 start;
    pid_t pid;

    if (!binary)
        return;
    assertOK(vkProcessSpawn(&opts, &pid) == 0);
    start = g_get_monotonic_time();
    g_assert_null(vkQEMUMonitorOpen(f->socket, pid, 30000));
    /* Noticed as soon as qemu is gone, not after the 30 s timeout. */
    g_assert_cmpfloat(testElapsedMs(start), <, 10000);
    assertLastError(VIR_ERR_OPERATION_FAILED, "exited before its monitor socket");
    g_assert_true(g_file_get_contents(f->log, &log, NULL, NULL));
    g_assert_nonnull(strstr(log, "unsupported machine type"));
}

/* ---- a scripted QMP server ---- */

typedef struct {
    const char *expect; /* the command to read first; NULL: read nothing */
    const char *reply;  /* sent next, "@ID@" replaced by the request's id; NULL: nothing */
    gboolean trickle;   /* one byte per write, to split messages anywhere */
} FakeStep;

typedef struct {
    int listenFd;
    const FakeStep *steps;
    size_t nsteps;
    GThread *thread;
} FakeServer;

static char *fakeReadLine(int fd)
{
    g_autoptr(GString) line = g_string_new(NULL);
    char c;

    while (read(fd, &c, 1) == 1 && c != '\n')
        g_string_append_c(line, c);
    return g_string_free(g_steal_pointer(&line), FALSE);
}

static void fakeSend(int fd, const char *text, gboolean trickle)
{
    size_t len = strlen(text);

    for (size_t off = 0; off < len; off += trickle ? 1 : len) {
        g_assert_cmpint(send(fd, text + off, trickle ? 1 : len, MSG_NOSIGNAL), >, 0);
        if (trickle)
            g_usleep(200);
    }
}

/* Reads one request, checks it runs EXPECT, and returns its id. */
static char *fakeExpect(int fd, const char *expect)
{
    g_autofree char *line = fakeReadLine(fd);
    g_autoptr(json_object) req = json_tokener_parse(line);

    g_assert_nonnull(req);
    g_assert_cmpstr(vkQEMUJSONGetString(req, "execute"), ==, expect);
    return g_strdup(vkQEMUJSONGetString(req, "id"));
}

static gpointer fakeServe(gpointer data)
{
    FakeServer *srv = data;
    int fd = accept(srv->listenFd, NULL, NULL);
    g_autofree char *id = NULL;

    g_assert_cmpint(fd, >=, 0);
    fakeSend(fd,
             "{\"QMP\": {\"version\": {\"qemu\": {\"micro\": 3, \"minor\": 2, \"major\": 9}, "
             "\"package\": \"\"}, \"capabilities\": []}}\r\n",
             FALSE);
    id = fakeExpect(fd, "qmp_capabilities");
    g_autofree char *hello = g_strdup_printf("{\"return\": {}, \"id\": \"%s\"}\r\n", id);
    fakeSend(fd, hello, FALSE);

    for (size_t i = 0; i < srv->nsteps; i++) {
        const FakeStep *step = &srv->steps[i];
        g_autofree char *stepId = step->expect ? fakeExpect(fd, step->expect) : NULL;
        if (step->reply) {
            g_autoptr(GString) reply = g_string_new(step->reply);
            g_string_replace(reply, "@ID@", stepId ? stepId : "", 0);
            fakeSend(fd, reply->str, step->trickle);
        }
    }
    close(fd);
    return NULL;
}

static void fakeStart(Fixture *f, FakeServer *srv, const FakeStep *steps, size_t nsteps)
{
    struct sockaddr_un addr = { .sun_family = AF_UNIX };

    srv->steps = steps;
    srv->nsteps = nsteps;
    srv->listenFd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    g_strlcpy(addr.sun_path, f->socket, sizeof(addr.sun_path));
    g_assert_cmpint(bind(srv->listenFd, (struct sockaddr *)&addr, sizeof(addr)), ==, 0);
    g_assert_cmpint(listen(srv->listenFd, 1), ==, 0);
    srv->thread = g_thread_new("fake-qmp", fakeServe, srv);
    f->mon = vkQEMUMonitorOpen(f->socket, 0, 5000);
    assertOK(f->mon != NULL);
}

static void fakeFinish(FakeServer *srv)
{
    g_thread_join(srv->thread);
    close(srv->listenFd);
}

static void testFakePanic(Fixture *f, gconstpointer data)
{
    /* The event arrives in the middle of a reply's conversation, split into single bytes. */
    const FakeStep steps[] = {
        { "query-status",
          "{\"timestamp\": {\"seconds\": 1700000000, \"microseconds\": 250}, "
          "\"event\": \"GUEST_PANICKED\", \"data\": {\"action\": \"pause\", "
          "\"info\": {\"type\": \"hyper-v\"}}}\r\n"
          "{\"return\": {\"status\": \"guest-panicked\", \"running\": false}, "
          "\"id\": \"@ID@\"}\r\n",
          TRUE },
    };
    g_autoptr(vkQEMUMonitorEvent) event = NULL;
    FakeServer srv;

    fakeStart(f, &srv, steps, G_N_ELEMENTS(steps));
    g_assert_cmpuint(vkQEMUMonitorGetVersion(f->mon), ==, 9002003);
    assertStatus(f->mon, FALSE, "guest-panicked");
    fakeFinish(&srv);

    assertOK(vkQEMUMonitorNextEvent(f->mon, NULL, 0, &event) == 1);
    g_assert_cmpstr(event->name, ==, "GUEST_PANICKED");
    g_assert_cmpint(event->timestampUs, ==, G_GINT64_CONSTANT(1700000000000250));
    g_assert_cmpstr(vkQEMUJSONGetString(event->data, "action"), ==, "pause");

    /* The server has hung up. */
    g_clear_pointer(&event, vkQEMUMonitorEventFree);
    g_assert_cmpint(vkQEMUMonitorNextEvent(f->mon, NULL, 1000, &event), ==, -1);
    assertLastError(VIR_ERR_OPERATION_FAILED, "End of file from qemu monitor");
    g_assert_true(vkQEMUMonitorIsClosed(f->mon));
}

static void testFakeLateReply(Fixture *f, gconstpointer data)
{
    /* "stop" is vk-2: its answer comes only after the caller has given up, just before the
     * answer to "cont", and must not be taken for it. */
    const FakeStep steps[] = {
        { "stop", NULL, FALSE },
        { "cont",
          "{\"error\": {\"class\": \"GenericError\", \"desc\": \"stale\"}, \"id\": \"vk-2\"}\r\n"
          "{\"return\": {}, \"id\": \"@ID@\"}\r\n",
          FALSE },
    };
    FakeServer srv;
    gint64 start;

    fakeStart(f, &srv, steps, G_N_ELEMENTS(steps));
    start = g_get_monotonic_time();
    g_assert_cmpint(vkQEMUMonitorCommand(f->mon, "stop", NULL, 150, NULL, NULL), ==, -1);
    g_assert_cmpfloat(testElapsedMs(start), >=, 150);
    assertLastError(VIR_ERR_OPERATION_TIMEOUT, "QEMU did not answer 'stop' within 150 ms");
    assertOK(vkQEMUMonitorCommand(f->mon, "cont", NULL, 5000, NULL, NULL) == 0);
    fakeFinish(&srv);
}

static void testFakeGarbage(Fixture *f, gconstpointer data)
{
    const FakeStep steps[] = {
        { "query-status", "{\"return\": ]\r\n", FALSE },
    };
    FakeServer srv;
    gboolean running;

    fakeStart(f, &srv, steps, G_N_ELEMENTS(steps));
    g_assert_cmpint(vkQEMUMonitorQueryStatus(f->mon, &running, NULL), ==, -1);
    assertLastError(VIR_ERR_INTERNAL_ERROR, "cannot parse a message from the QEMU monitor");
    fakeFinish(&srv);
    g_assert_cmpint(vkQEMUMonitorQueryStatus(f->mon, &running, NULL), ==, -1);
    assertLastError(VIR_ERR_OPERATION_FAILED, "unusable after a protocol error");
}

static void testFakeDiesMidCommand(Fixture *f, gconstpointer data)
{
    const FakeStep steps[] = {
        { "query-status", NULL, FALSE },
    };
    FakeServer srv;
    gboolean running;

    fakeStart(f, &srv, steps, G_N_ELEMENTS(steps));
    g_assert_cmpint(vkQEMUMonitorQueryStatus(f->mon, &running, NULL), ==, -1);
    assertLastError(VIR_ERR_OPERATION_FAILED, "End of file from qemu monitor");
    g_assert_true(vkQEMUMonitorIsClosed(f->mon));
    fakeFinish(&srv);
}

static void testFakeBadGreeting(Fixture *f, gconstpointer data)
{
    struct sockaddr_un addr = { .sun_family = AF_UNIX };
    int listenFd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);

    /* A server that is not qemu: the socket accepts, but the greeting is wrong. Connecting
     * completes against the listen backlog, so no thread is needed. */
    g_strlcpy(addr.sun_path, f->socket, sizeof(addr.sun_path));
    g_assert_cmpint(bind(listenFd, (struct sockaddr *)&addr, sizeof(addr)), ==, 0);
    g_assert_cmpint(listen(listenFd, 1), ==, 0);
    g_assert_null(vkQEMUMonitorOpen(f->socket, 0, 200));
    assertLastError(VIR_ERR_OPERATION_TIMEOUT, "QEMU monitor sent no greeting");
    close(listenFd);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);

#define ADD(name, func) \
    g_test_add("/qemu/monitor/" name, Fixture, NULL, fixtureSetup, func, fixtureTeardown)
    ADD("run-states", testRunStates);
    ADD("reset", testReset);
    ADD("quit", testQuit);
    ADD("error-reply", testErrorReply);
    ADD("graphics", testGraphics);
    ADD("graphics-disabled", testGraphicsDisabled);
    ADD("threads", testThreads);
    ADD("connect-timeout", testConnectTimeout);
    ADD("qemu-dies-early", testQEMUDiesEarly);
    ADD("fake/panic-event", testFakePanic);
    ADD("fake/late-reply", testFakeLateReply);
    ADD("fake/garbage", testFakeGarbage);
    ADD("fake/dies-mid-command", testFakeDiesMidCommand);
    ADD("fake/bad-greeting", testFakeBadGreeting);
#undef ADD

    return g_test_run();
}

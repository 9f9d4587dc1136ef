/* Tests for vkportalloc: lowest free port, ports in use on the host, reservations shared through
 * one directory by several allocators and forked processes, release, and a damaged store. */
#include <arpa/inet.h>
#include <errno.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "testutil.h"
#include "util/vkfile.h"
#include "util/vknetdev.h"
#include "util/vkportalloc.h"
#include "util/vksocketaddr.h"

/* The first port of the test range; set in main. In a private network namespace nothing else
 * binds there, so the expected ports are exact. */
static unsigned int base = 45900;
#define RANGE_LEN 21
/* Ports base..base+50 serve the other tests. */
#define TIME_WAIT_OFFSET 55

typedef struct {
    char *tmp;
    char *dir;   /* the allocators' directory, not created in advance */
    char *store; /* its reservation file */
    GArray *fds; /* listening sockets to close at teardown */
} Fixture;

static void fixtureSetup(Fixture *f, gconstpointer data)
{
    g_autoptr(GError) gerr = NULL;

    f->tmp = g_dir_make_tmp("vkportalloctest-XXXXXX", &gerr);
    g_assert_no_error(gerr);
    f->dir = g_build_filename(f->tmp, "run", "qemu", "ports", NULL);
    f->store = g_build_filename(f->dir, "reservations", NULL);
    f->fds = g_array_new(FALSE, FALSE, sizeof(int));
}

static void fixtureTeardown(Fixture *f, gconstpointer data)
{
    const char *argv[] = { "rm", "-rf", f->tmp, NULL };
    int status = -1;

    for (guint i = 0; i < f->fds->len; i++)
        close(g_array_index(f->fds, int, i));
    g_array_unref(f->fds);
    g_assert_true(g_spawn_sync(NULL, (char **)argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, NULL,
                               NULL, &status, NULL));
    g_assert_cmpint(status, ==, 0);
    g_free(f->store);
    g_free(f->dir);
    g_free(f->tmp);
}

static vkPortAllocator *newAllocator(Fixture *f, const char *name, unsigned int len)
{
    vkPortAllocator *pa = vkPortAllocatorNew(name, f->dir, base, base + len - 1, VIR_FROM_QEMU);

    g_assert_nonnull(pa);
    return pa;
}

/* A socket bound to ADDRESS:PORT, listening if LISTEN, as another server would hold it. */
static int holdPort(Fixture *f, const char *address, unsigned int port, gboolean listening)
{
    vkSocketAddr addr;
    struct sockaddr_storage ss;
    socklen_t len = 0;
    int one = 1;
    int fd;

    g_assert_cmpint(vkSocketAddrParse(address, &addr), ==, 0);
    g_assert_cmpint(vkSocketAddrToSockaddr(&addr, (guint16)port, &ss, &len), ==, 0);
    fd = socket(addr.family, SOCK_STREAM | SOCK_CLOEXEC, 0);
    g_assert_cmpint(fd, >=, 0);
    if (addr.family == AF_INET6)
        g_assert_cmpint(setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof(one)), ==, 0);
    if (bind(fd, (struct sockaddr *)&ss, len) < 0)
        g_error("cannot bind %s port %u: %s", address, port, g_strerror(errno));
    if (listening)
        g_assert_cmpint(listen(fd, 1), ==, 0);
    g_array_append_val(f->fds, fd);
    return fd;
}

static unsigned int acquire(vkPortAllocator *pa, const char *address, const char *owner)
{
    unsigned int port = 0;

    if (vkPortAllocatorAcquire(pa, address, owner, &port) < 0)
        g_error("acquire for %s failed: %s", owner, virGetLastError()->message);
    return port;
}

static char *readStore(Fixture *f)
{
    char *data = NULL;

    g_assert_cmpint(vkFileReadAll(f->store, &data, NULL), ==, 0);
    return data;
}

/* The store's reservation lines, without its comment header. */
static char *storeEntries(Fixture *f)
{
    g_autofree char *data = readStore(f);
    g_auto(GStrv) lines = g_strsplit(data, "\n", -1);
    GString *out = g_string_new(NULL);

    for (guint i = 0; lines[i]; i++) {
        if (*lines[i] && lines[i][0] != '#')
            g_string_append_printf(out, "%s\n", lines[i]);
    }
    return g_string_free(out, FALSE);
}

static void testLowestFree(Fixture *f, gconstpointer data)
{
    g_autoptr(vkPortAllocator) pa = newAllocator(f, "display", RANGE_LEN);
    g_autofree char *entries = NULL;
    g_autofree char *expect = NULL;

    g_assert_true(g_file_test(f->dir, G_FILE_TEST_IS_DIR));
    g_assert_cmpuint(acquire(pa, "127.0.0.1", "web"), ==, base);
    g_assert_cmpuint(acquire(pa, "127.0.0.1", "db"), ==, base + 1);
    /* One guest may hold several ports (VNC, SPICE, SPICE TLS). */
    g_assert_cmpuint(acquire(pa, NULL, "web"), ==, base + 2);

    entries = storeEntries(f);
    expect = g_strdup_printf("%u display web\n%u display db\n%u display web\n", base, base + 1,
                             base + 2);
    g_assert_cmpstr(entries, ==, expect);
}

static void testSkipsPortInUse(Fixture *f, gconstpointer data)
{
    g_autoptr(vkPortAllocator) pa = newAllocator(f, "display", RANGE_LEN);
    int fd;

    /* A listener on the very address, and one on the wildcard, which covers every address. */
    fd = holdPort(f, "127.0.0.1", base, TRUE);
    holdPort(f, "0.0.0.0", base + 1, TRUE);
    g_assert_cmpuint(acquire(pa, "127.0.0.1", "web"), ==, base + 2);

    /* The wildcard probe conflicts with a listener on a single address too. */
    holdPort(f, "127.0.0.1", base + 3, TRUE);
    g_assert_cmpuint(acquire(pa, NULL, "db"), ==, base + 4);
    g_assert_cmpuint(acquire(pa, "0.0.0.0", "db"), ==, base + 5);
    /* A host name gets the wildcard probe as well. */
    holdPort(f, "127.0.0.1", base + 6, TRUE);
    g_assert_cmpuint(acquire(pa, "localhost", "db"), ==, base + 7);

    /* Bound without listening and without SO_REUSEADDR still blocks the port. */
    holdPort(f, "127.0.0.1", base + 8, FALSE);
    g_assert_cmpuint(acquire(pa, "127.0.0.1", "db"), ==, base + 9);

    /* Once the other server is gone, its port is handed out. */
    close(fd);
    g_array_remove_index(f->fds, 0);
    g_assert_cmpuint(acquire(pa, "127.0.0.1", "web"), ==, base);
}

/* TRUE if a plain bind() of 127.0.0.1:PORT, without SO_REUSEADDR, succeeds. */
static gboolean plainBindWorks(unsigned int port)
{
    struct sockaddr_in sin = { .sin_family = AF_INET,
                               .sin_port = htons((guint16)port),
                               .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    int rc;

    g_assert_cmpint(fd, >=, 0);
    rc = bind(fd, (struct sockaddr *)&sin, sizeof(sin));
    close(fd);
    return rc == 0;
}

/* A connection closed first by the server leaves its port in TIME_WAIT for a minute, as when a
 * guest stopped with a VNC client connected. qemu listens with SO_REUSEADDR, as this listener
 * does, so a new qemu can listen there at once: the port is free. */
static void testTimeWaitIsFree(Fixture *f, gconstpointer data)
{
    /* Apart from the other tests' ports: the TIME_WAIT outlives this test by a minute. */
    unsigned int port = base + TIME_WAIT_OFFSET;
    g_autoptr(vkPortAllocator) pa =
        vkPortAllocatorNew("display", f->dir, port, port + 1, VIR_FROM_QEMU);
    struct sockaddr_in sin = { .sin_family = AF_INET,
                               .sin_port = htons((guint16)port),
                               .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
    int one = 1;
    int lfd, cfd, afd;

    g_assert_nonnull(pa);
    lfd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    cfd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    g_assert_cmpint(setsockopt(lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)), ==, 0);
    g_assert_cmpint(bind(lfd, (struct sockaddr *)&sin, sizeof(sin)), ==, 0);
    g_assert_cmpint(listen(lfd, 1), ==, 0);
    g_assert_cmpint(connect(cfd, (struct sockaddr *)&sin, sizeof(sin)), ==, 0);
    afd = accept(lfd, NULL, NULL);
    g_assert_cmpint(afd, >=, 0);
    close(afd);
    close(cfd);
    close(lfd);
    g_usleep(50 * 1000);

    /* Without SO_REUSEADDR the port would look busy. */
    g_assert_false(plainBindWorks(port));
    g_assert_cmpuint(acquire(pa, "127.0.0.1", "web"), ==, port);
}

/* A port in use only on another address is free on this one. */
static void testProbesOnlyTheAddress(Fixture *f, gconstpointer data)
{
    g_autoptr(vkPortAllocator) pa = newAllocator(f, "display", RANGE_LEN);

    holdPort(f, "127.0.0.2", base, TRUE);
    g_assert_cmpuint(acquire(pa, "127.0.0.1", "web"), ==, base);
    /* The wildcard probe does see it. */
    holdPort(f, "127.0.0.2", base + 1, TRUE);
    g_assert_cmpuint(acquire(pa, NULL, "db"), ==, base + 2);
}

static void testSharedAcrossAllocators(Fixture *f, gconstpointer data)
{
    g_autoptr(vkPortAllocator) first = newAllocator(f, "display", RANGE_LEN);
    g_autoptr(vkPortAllocator) second = newAllocator(f, "display", RANGE_LEN);
    g_autoptr(vkPortAllocator) websocket = newAllocator(f, "websocket", RANGE_LEN);
    g_autofree char *entries = NULL;
    g_autofree char *expect = NULL;

    g_assert_cmpuint(acquire(first, NULL, "web"), ==, base);
    g_assert_cmpuint(acquire(second, NULL, "db"), ==, base + 1);
    /* Overlapping ranges share the reservations: a websocket never gets a display port. */
    g_assert_cmpuint(acquire(websocket, NULL, "web"), ==, base + 2);
    g_assert_cmpuint(acquire(first, NULL, "mail"), ==, base + 3);

    entries = storeEntries(f);
    expect = g_strdup_printf("%u display web\n%u display db\n%u websocket web\n%u display mail\n",
                             base, base + 1, base + 2, base + 3);
    g_assert_cmpstr(entries, ==, expect);
}

#define NCHILDREN        8
#define PORTS_PER_CHILD  2
#define CHILD_FAILED     10
#define CHILD_PIPE_ERROR 11

/* Waits at the barrier (GO closes when every child is ready), then acquires its ports through
 * an allocator of its own and sends them to the parent. */
static void childAcquire(Fixture *f, int index, int ready, int go, int results)
{
    g_autofree char *owner = g_strdup_printf("guest%d", index);
    vkPortAllocator *pa;
    unsigned int ports[PORTS_PER_CHILD];
    char byte;

    if (!(pa = vkPortAllocatorNew("display", f->dir, base, base + RANGE_LEN - 1, VIR_FROM_QEMU)))
        _exit(CHILD_FAILED);
    if (write(ready, "R", 1) != 1 || read(go, &byte, 1) != 0)
        _exit(CHILD_PIPE_ERROR);
    for (int i = 0; i < PORTS_PER_CHILD; i++) {
        if (vkPortAllocatorAcquire(pa, NULL, owner, &ports[i]) < 0) {
            fprintf(stderr, "# child %d: %s\n", index, virGetLastError()->message);
            _exit(CHILD_FAILED);
        }
    }
    if (write(results, ports, sizeof(ports)) != sizeof(ports))
        _exit(CHILD_PIPE_ERROR);
    vkPortAllocatorFree(pa);
    _exit(0);
}

static void testConcurrentProcesses(Fixture *f, gconstpointer data)
{
    int ready[2], go[2], results[2];
    pid_t pids[NCHILDREN];
    gboolean seen[RANGE_LEN] = { FALSE };
    unsigned int ports[NCHILDREN * PORTS_PER_CHILD];
    g_autofree char *entries = NULL;
    g_auto(GStrv) lines = NULL;
    gsize got = 0;
    char byte;

    /* The directory exists before the race: creating it is not what is under test. */
    g_assert_cmpint(vkFileMakePath(f->dir, 0700), ==, 0);
    g_assert_cmpint(pipe(ready), ==, 0);
    g_assert_cmpint(pipe(go), ==, 0);
    g_assert_cmpint(pipe(results), ==, 0);
    fflush(stdout);
    fflush(stderr);
    for (int i = 0; i < NCHILDREN; i++) {
        pids[i] = fork();
        g_assert_cmpint(pids[i], >=, 0);
        if (pids[i] == 0) {
            close(ready[0]);
            close(go[1]);
            close(results[0]);
            childAcquire(f, i, ready[1], go[0], results[1]);
        }
    }
    close(ready[1]);
    close(go[0]);
    close(results[1]);
    for (int i = 0; i < NCHILDREN; i++)
        g_assert_cmpint(read(ready[0], &byte, 1), ==, 1);
    /* Every child wakes from its read at once. */
    close(go[1]);

    while (got < sizeof(ports)) {
        ssize_t n = read(results[0], (char *)ports + got, sizeof(ports) - got);
        g_assert_cmpint(n, >, 0);
        got += (gsize)n;
    }
    close(results[0]);
    close(ready[0]);
    for (int i = 0; i < NCHILDREN; i++) {
        int status;

        g_assert_cmpint(waitpid(pids[i], &status, 0), ==, pids[i]);
        g_assert_true(WIFEXITED(status));
        g_assert_cmpint(WEXITSTATUS(status), ==, 0);
    }

    /* Distinct, and with nothing else on the ports, exactly the lowest ones. */
    for (guint i = 0; i < G_N_ELEMENTS(ports); i++) {
        g_assert_cmpuint(ports[i], >=, base);
        g_assert_cmpuint(ports[i], <, base + G_N_ELEMENTS(ports));
        g_assert_false(seen[ports[i] - base]);
        seen[ports[i] - base] = TRUE;
    }
    entries = storeEntries(f);
    lines = g_strsplit(entries, "\n", -1);
    g_assert_cmpuint(g_strv_length(lines), ==, G_N_ELEMENTS(ports) + 1);
}

static void testReserveFixedPort(Fixture *f, gconstpointer data)
{
    g_autoptr(vkPortAllocator) pa = newAllocator(f, "display", RANGE_LEN);
    g_autoptr(vkPortAllocator) websocket = newAllocator(f, "websocket", RANGE_LEN);
    g_autofree char *needle = NULL;
    g_autofree char *entries = NULL;
    g_autofree char *expect = NULL;

    g_assert_cmpint(vkPortAllocatorReserve(pa, "127.0.0.1", "web", base), ==, 0);
    /* Again for the same owner: fine, even with its server now listening on the port. */
    holdPort(f, "127.0.0.1", base, TRUE);
    g_assert_cmpint(vkPortAllocatorReserve(pa, "127.0.0.1", "web", base), ==, 0);

    g_assert_cmpint(vkPortAllocatorReserve(pa, "127.0.0.1", "db", base), ==, -1);
    needle = g_strdup_printf("Failed to reserve port %u: it is already reserved for 'web'", base);
    assertLastError(VIR_ERR_INTERNAL_ERROR, needle);
    /* The same guest's websocket may not take its display port either. */
    g_assert_cmpint(vkPortAllocatorReserve(websocket, NULL, "web", base), ==, -1);
    assertLastError(VIR_ERR_INTERNAL_ERROR, "(display)");

    /* Not reserved, but another server listens there. */
    holdPort(f, "127.0.0.1", base + 1, TRUE);
    g_assert_cmpint(vkPortAllocatorReserve(pa, "127.0.0.1", "db", base + 1), ==, -1);
    g_clear_pointer(&needle, g_free);
    needle =
        g_strdup_printf("Failed to reserve port %u: it is already in use on 127.0.0.1", base + 1);
    assertLastError(VIR_ERR_INTERNAL_ERROR, needle);
    g_assert_cmpint(vkPortAllocatorReserve(pa, NULL, "db", base + 1), ==, -1);
    assertLastError(VIR_ERR_INTERNAL_ERROR, "in use on the host");

    /* A fixed port need not lie in the range, and the range skips fixed ports. */
    g_assert_cmpint(vkPortAllocatorReserve(pa, NULL, "db", base + 50), ==, 0);
    g_assert_cmpint(vkPortAllocatorReserve(pa, NULL, "db", base + 2), ==, 0);
    g_assert_cmpuint(acquire(pa, NULL, "mail"), ==, base + 3);

    entries = storeEntries(f);
    expect = g_strdup_printf("%u display web\n%u display db\n%u display mail\n%u display db\n",
                             base, base + 2, base + 3, base + 50);
    g_assert_cmpstr(entries, ==, expect);

    g_assert_cmpint(vkPortAllocatorReserve(pa, NULL, "db", 0), ==, -1);
    assertLastError(VIR_ERR_INVALID_ARG, "port 0");
    g_assert_cmpint(vkPortAllocatorReserve(pa, NULL, "db", 65536), ==, -1);
    assertLastError(VIR_ERR_INVALID_ARG, "port 65536");
}

static void testRelease(Fixture *f, gconstpointer data)
{
    g_autoptr(vkPortAllocator) pa = newAllocator(f, "display", RANGE_LEN);
    g_autoptr(vkPortAllocator) websocket = newAllocator(f, "websocket", RANGE_LEN);
    g_autofree char *entries = NULL;
    g_autofree char *expect = NULL;

    g_assert_cmpuint(acquire(pa, NULL, "web"), ==, base);
    g_assert_cmpuint(acquire(pa, NULL, "db"), ==, base + 1);

    /* Someone else's port, one of another range, a free one and none: all left alone. */
    g_assert_cmpint(vkPortAllocatorRelease(pa, "db", base), ==, 0);
    g_assert_cmpint(vkPortAllocatorRelease(websocket, "web", base), ==, 0);
    g_assert_cmpint(vkPortAllocatorRelease(pa, "web", base + 10), ==, 0);
    g_assert_cmpint(vkPortAllocatorRelease(pa, "web", 0), ==, 0);
    g_assert_cmpuint(acquire(pa, NULL, "mail"), ==, base + 2);

    g_assert_cmpint(vkPortAllocatorRelease(pa, "web", base), ==, 0);
    entries = storeEntries(f);
    expect = g_strdup_printf("%u display db\n%u display mail\n", base + 1, base + 2);
    g_assert_cmpstr(entries, ==, expect);
    /* Freed ports are reused, lowest first. */
    g_assert_cmpuint(acquire(pa, NULL, "ftp"), ==, base);
    g_assert_cmpuint(acquire(pa, NULL, "ftp"), ==, base + 3);
}

static void testReleaseOwner(Fixture *f, gconstpointer data)
{
    g_autoptr(vkPortAllocator) pa = newAllocator(f, "display", RANGE_LEN);
    g_autoptr(vkPortAllocator) websocket = newAllocator(f, "websocket", RANGE_LEN);
    g_autofree char *entries = NULL;
    g_autofree char *expect = NULL;

    g_assert_cmpuint(acquire(pa, NULL, "web"), ==, base);
    g_assert_cmpuint(acquire(pa, NULL, "db"), ==, base + 1);
    g_assert_cmpuint(acquire(pa, NULL, "web"), ==, base + 2);
    g_assert_cmpuint(acquire(websocket, NULL, "web"), ==, base + 3);
    g_assert_cmpint(vkPortAllocatorReserve(pa, NULL, "web", base + 40), ==, 0);

    g_assert_cmpint(vkPortAllocatorReleaseOwner(pa, "web"), ==, 0);
    entries = storeEntries(f);
    expect = g_strdup_printf("%u display db\n%u websocket web\n", base + 1, base + 3);
    g_assert_cmpstr(entries, ==, expect);
    g_assert_cmpuint(acquire(pa, NULL, "mail"), ==, base);
    g_assert_cmpuint(acquire(pa, NULL, "mail"), ==, base + 2);

    g_assert_cmpint(vkPortAllocatorReleaseOwner(websocket, "web"), ==, 0);
    g_assert_cmpint(vkPortAllocatorReleaseOwner(pa, "nobody"), ==, 0);
    g_clear_pointer(&entries, g_free);
    g_clear_pointer(&expect, g_free);
    entries = storeEntries(f);
    expect = g_strdup_printf("%u display mail\n%u display db\n%u display mail\n", base, base + 1,
                             base + 2);
    g_assert_cmpstr(entries, ==, expect);
}

/* Records each reservation it is asked about; only "db" still runs. */
static gboolean onlyDbRuns(const char *owner, unsigned int port, void *opaque)
{
    GPtrArray *asked = opaque;

    g_ptr_array_add(asked, g_strdup_printf("%u:%s", port, owner));
    return g_str_equal(owner, "db");
}

static int compareStrings(gconstpointer a, gconstpointer b)
{
    return g_strcmp0(*(const char *const *)a, *(const char *const *)b);
}

/* What onlyDbRuns was asked, sorted (the order is unspecified), and forgets it. */
static char *takeAsked(GPtrArray *asked)
{
    char *joined;

    g_ptr_array_sort(asked, compareStrings);
    g_ptr_array_add(asked, NULL);
    joined = g_strjoinv(" ", (char **)asked->pdata);
    g_ptr_array_set_size(asked, 0);
    return joined;
}

static void testReleaseIf(Fixture *f, gconstpointer data)
{
    g_autoptr(vkPortAllocator) pa = newAllocator(f, "display", RANGE_LEN);
    g_autoptr(vkPortAllocator) websocket = newAllocator(f, "websocket", RANGE_LEN);
    g_autoptr(GPtrArray) asked = g_ptr_array_new_with_free_func(g_free);
    g_autofree char *askedText = NULL;
    g_autofree char *expectAsked = NULL;
    g_autofree char *entries = NULL;
    g_autofree char *expect = NULL;
    g_autofree char *before = NULL;
    g_autofree char *after = NULL;
    unsigned int dropped = 99;

    g_assert_cmpuint(acquire(pa, NULL, "web"), ==, base);
    g_assert_cmpuint(acquire(pa, NULL, "db"), ==, base + 1);
    g_assert_cmpuint(acquire(websocket, NULL, "web"), ==, base + 2);
    g_assert_cmpuint(acquire(pa, NULL, "mail"), ==, base + 3);

    g_assert_cmpint(vkPortAllocatorReleaseIf(pa, onlyDbRuns, asked, &dropped), ==, 0);
    g_assert_cmpuint(dropped, ==, 2);
    /* Only this range's reservations are asked about. */
    askedText = takeAsked(asked);
    expectAsked = g_strdup_printf("%u:web %u:db %u:mail", base, base + 1, base + 3);
    g_assert_cmpstr(askedText, ==, expectAsked);

    entries = storeEntries(f);
    expect = g_strdup_printf("%u display db\n%u websocket web\n", base + 1, base + 2);
    g_assert_cmpstr(entries, ==, expect);

    /* Nothing left to drop. */
    before = readStore(f);
    g_assert_cmpint(vkPortAllocatorReleaseIf(pa, onlyDbRuns, asked, &dropped), ==, 0);
    g_assert_cmpuint(dropped, ==, 0);
    g_assert_cmpint(vkPortAllocatorReleaseIf(pa, onlyDbRuns, asked, NULL), ==, 0);
    after = readStore(f);
    g_assert_cmpstr(after, ==, before);
}

static gboolean nobodyRuns(const char *owner, unsigned int port, void *opaque)
{
    return FALSE;
}

/* Several calls under one lock: they see each other, the file is written once at the commit,
 * and a transaction given up reserves nothing. */
static void testTransaction(Fixture *f, gconstpointer data)
{
    g_autoptr(vkPortAllocator) pa = newAllocator(f, "display", RANGE_LEN);
    g_autoptr(vkPortAllocator) websocket = newAllocator(f, "websocket", RANGE_LEN);
    g_autofree char *otherDir = g_build_filename(f->tmp, "other", NULL);
    g_autoptr(vkPortAllocator) elsewhere =
        vkPortAllocatorNew("display", otherDir, base, base + 1, VIR_FROM_QEMU);
    g_autofree char *before = NULL;
    g_autofree char *after = NULL;
    g_autofree char *entries = NULL;
    g_autofree char *expect = NULL;
    unsigned int port = 0;

    g_assert_cmpuint(acquire(pa, NULL, "gone"), ==, base);
    before = readStore(f);
    {
        g_autoptr(vkPortTransaction) txn = vkPortTransactionBegin(pa);

        g_assert_nonnull(txn);
        g_assert_cmpint(vkPortTransactionReleaseIf(txn, pa, nobodyRuns, NULL), ==, 0);
        g_assert_cmpint(vkPortTransactionAcquire(txn, pa, NULL, "web", &port), ==, 0);
        g_assert_cmpuint(port, ==, base);
        g_assert_cmpint(vkPortTransactionAcquire(txn, websocket, NULL, "web", &port), ==, 0);
        g_assert_cmpuint(port, ==, base + 1);
        /* Uncommitted changes are the transaction's own. */
        after = readStore(f);
        g_assert_cmpstr(after, ==, before);
        g_clear_pointer(&after, g_free);
        g_assert_cmpint(vkPortTransactionReserve(txn, pa, NULL, "db", base + 1), ==, -1);
        assertLastError(VIR_ERR_INTERNAL_ERROR, "already reserved for 'web' (websocket)");
        g_assert_cmpint(vkPortTransactionAcquire(txn, elsewhere, NULL, "web", &port), ==, -1);
        assertLastError(VIR_ERR_INTERNAL_ERROR, "keeps its reservations in");
    }
    /* Given up: nothing changed, not even the release. */
    after = readStore(f);
    g_assert_cmpstr(after, ==, before);
    {
        g_autoptr(vkPortTransaction) txn = vkPortTransactionBegin(pa);

        g_assert_cmpint(vkPortTransactionReleaseIf(txn, pa, nobodyRuns, NULL), ==, 0);
        g_assert_cmpint(vkPortTransactionAcquire(txn, pa, NULL, "web", &port), ==, 0);
        g_assert_cmpint(vkPortTransactionReserve(txn, websocket, NULL, "web", base + 4), ==, 0);
        g_assert_cmpint(vkPortTransactionCommit(txn), ==, 0);
    }
    entries = storeEntries(f);
    expect = g_strdup_printf("%u display web\n%u websocket web\n", base, base + 4);
    g_assert_cmpstr(entries, ==, expect);
}

static void testRangeExhausted(Fixture *f, gconstpointer data)
{
    g_autoptr(vkPortAllocator) pa = newAllocator(f, "display", 3);
    g_autofree char *needle = NULL;
    unsigned int port = 99;

    g_assert_cmpuint(acquire(pa, NULL, "a"), ==, base);
    holdPort(f, "0.0.0.0", base + 1, TRUE);
    g_assert_cmpuint(acquire(pa, NULL, "b"), ==, base + 2);

    g_assert_cmpint(vkPortAllocatorAcquire(pa, NULL, "c", &port), ==, -1);
    g_assert_cmpuint(port, ==, 0);
    needle =
        g_strdup_printf("Unable to find an unused port in range 'display' (%u-%u)", base, base + 2);
    assertLastError(VIR_ERR_INTERNAL_ERROR, needle);

    g_assert_cmpint(vkPortAllocatorRelease(pa, "a", base), ==, 0);
    g_assert_cmpuint(acquire(pa, NULL, "c"), ==, base);
}

/* TRUE if this host can bind [::1], where the IPv6 cases run. */
static gboolean haveIPv6Loopback(void)
{
    struct sockaddr_in6 sin6 = { .sin6_family = AF_INET6, .sin6_addr = IN6ADDR_LOOPBACK_INIT };
    int fd = socket(AF_INET6, SOCK_STREAM | SOCK_CLOEXEC, 0);
    int rc;

    if (fd < 0)
        return FALSE;
    rc = bind(fd, (struct sockaddr *)&sin6, sizeof(sin6));
    close(fd);
    return rc == 0;
}

static void testIPv6(Fixture *f, gconstpointer data)
{
    g_autoptr(vkPortAllocator) pa = newAllocator(f, "display", RANGE_LEN);
    g_autofree char *needle = NULL;

    if (!haveIPv6Loopback()) {
        g_test_skip("no IPv6 loopback address on this host");
        return;
    }
    holdPort(f, "::1", base, TRUE);
    g_assert_cmpuint(acquire(pa, "::1", "web"), ==, base + 1);
    /* IPv4 on the same port number is another socket. */
    g_assert_cmpuint(acquire(pa, "127.0.0.1", "db"), ==, base);

    g_assert_cmpint(vkPortAllocatorReserve(pa, "::1", "db", base + 2), ==, 0);
    holdPort(f, "::1", base + 3, TRUE);
    g_assert_cmpint(vkPortAllocatorReserve(pa, "::1", "db", base + 3), ==, -1);
    needle = g_strdup_printf("Failed to reserve port %u: it is already in use on ::1", base + 3);
    assertLastError(VIR_ERR_INTERNAL_ERROR, needle);

    /* "::" probes both wildcards: an IPv4-only listener blocks it too. */
    holdPort(f, "0.0.0.0", base + 4, TRUE);
    g_assert_cmpuint(acquire(pa, "::", "mail"), ==, base + 5);
    holdPort(f, "::", base + 6, TRUE);
    g_assert_cmpuint(acquire(pa, NULL, "mail"), ==, base + 7);
}

static void testAddressNotLocal(Fixture *f, gconstpointer data)
{
    g_autoptr(vkPortAllocator) pa = newAllocator(f, "display", RANGE_LEN);
    g_autofree char *needle = NULL;
    unsigned int port = 99;

    /* 192.0.2.0/24 is reserved for documentation: no host has it. */
    g_assert_cmpint(vkPortAllocatorAcquire(pa, "192.0.2.1", "web", &port), ==, -1);
    g_assert_cmpuint(port, ==, 0);
    needle = g_strdup_printf("Unable to bind to port %u on 192.0.2.1", base);
    assertLastError(VIR_ERR_SYSTEM_ERROR, needle);
    g_assert_false(g_file_test(f->store, G_FILE_TEST_EXISTS));
}

static void testCorruptStore(Fixture *f, gconstpointer data)
{
    g_autoptr(vkPortAllocator) pa = newAllocator(f, "display", RANGE_LEN);
    /* The ports need not be the test range's: the store is refused before any is probed. */
    const char *const bad[][2] = {
        { "45900 display web\ngarbage\n", "line 2: expected 'PORT RANGE OWNER'" },
        { "45900 display web\n70000 display db\n", "line 2: the port is not a number" },
        { "\n45900 display web\n0x10 display db\n", "line 3: the port is not a number" },
        { "45900 display web\n45900 display db\n", "line 2: the port is reserved twice" },
        { "45900 disp/lay web\n", "line 1: expected 'PORT RANGE OWNER'" },
        { "45900 display\n", "line 1: expected 'PORT RANGE OWNER'" },
        { "45900 display \n", "line 1: expected 'PORT RANGE OWNER'" },
    };
    unsigned int port = 99;

    for (gsize i = 0; i < G_N_ELEMENTS(bad); i++) {
        const char *content = bad[i][0];
        g_autofree char *after = NULL;
        g_autofree char *needle =
            g_strdup_printf("port reservation file '%s' is corrupt at %s", f->store, bad[i][1]);

        g_assert_cmpint(vkFileWriteAtomic(f->store, content, -1, 0600), ==, 0);
        g_assert_cmpint(vkPortAllocatorAcquire(pa, NULL, "mail", &port), ==, -1);
        assertLastError(VIR_ERR_INTERNAL_ERROR, needle);
        g_assert_cmpint(vkPortAllocatorReleaseOwner(pa, "web"), ==, -1);
        assertLastError(VIR_ERR_INTERNAL_ERROR, needle);
        /* Kept for the administrator: the reservations in it may be real. */
        after = readStore(f);
        g_assert_cmpstr(after, ==, content);
    }

    /* A NUL byte is damage too, not the end of the file. */
    g_assert_cmpint(vkFileWriteAtomic(f->store, "45900 display web\nx\0y", 21, 0600), ==, 0);
    g_assert_cmpint(vkPortAllocatorAcquire(pa, NULL, "mail", &port), ==, -1);
    assertLastError(VIR_ERR_INTERNAL_ERROR, "corrupt at line 2: it contains a NUL byte");
}

static void testHandWrittenStore(Fixture *f, gconstpointer data)
{
    g_autoptr(vkPortAllocator) pa = newAllocator(f, "display", RANGE_LEN);
    g_autofree char *content = NULL;
    g_autofree char *entries = NULL;
    g_autofree char *expect = NULL;

    /* Comments, blank lines, owners with blanks, no final newline. */
    content = g_strdup_printf("# mine\n\n%u display my guest\n%u websocket  lead", base, base + 1);
    g_assert_cmpint(vkFileWriteAtomic(f->store, content, -1, 0600), ==, 0);
    g_assert_cmpuint(acquire(pa, NULL, "db"), ==, base + 2);
    g_assert_cmpint(vkPortAllocatorRelease(pa, "my guest", base), ==, 0);
    entries = storeEntries(f);
    expect = g_strdup_printf("%u websocket  lead\n%u display db\n", base + 1, base + 2);
    g_assert_cmpstr(entries, ==, expect);
}

static void testMissingStoreAndDir(Fixture *f, gconstpointer data)
{
    g_autoptr(vkPortAllocator) pa = newAllocator(f, "display", RANGE_LEN);
    const char *argv[] = { "rm", "-rf", f->dir, NULL };
    int status = -1;

    /* Nothing reserved yet: releasing creates no file. */
    g_assert_cmpint(vkPortAllocatorReleaseOwner(pa, "web"), ==, 0);
    g_assert_false(g_file_test(f->store, G_FILE_TEST_EXISTS));
    g_assert_cmpuint(acquire(pa, NULL, "web"), ==, base);

    /* A run directory cleaned under a live allocator comes back, empty. */
    g_assert_true(g_spawn_sync(NULL, (char **)argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, NULL,
                               NULL, &status, NULL));
    g_assert_cmpint(status, ==, 0);
    g_assert_cmpuint(acquire(pa, NULL, "db"), ==, base);
}

static void testBadArguments(Fixture *f, gconstpointer data)
{
    g_autoptr(vkPortAllocator) pa = newAllocator(f, "display", RANGE_LEN);
    unsigned int port = 99;

    g_assert_null(vkPortAllocatorNew("dis play", f->dir, 5900, 65535, VIR_FROM_QEMU));
    assertLastError(VIR_ERR_INVALID_ARG, "port range name 'dis play'");
    g_assert_null(vkPortAllocatorNew("", f->dir, 5900, 65535, VIR_FROM_QEMU));
    assertLastError(VIR_ERR_INVALID_ARG, "port range name ''");
    g_assert_null(vkPortAllocatorNew("display", f->dir, 5901, 5900, VIR_FROM_QEMU));
    assertLastError(VIR_ERR_INVALID_ARG, "'display' (5901-5900)");
    g_assert_null(vkPortAllocatorNew("display", f->dir, 5900, 65536, VIR_FROM_QEMU));
    assertLastError(VIR_ERR_INVALID_ARG, "(5900-65536)");
    g_assert_null(vkPortAllocatorNew("display", f->dir, 0, 10, VIR_FROM_QEMU));
    assertLastError(VIR_ERR_INVALID_ARG, "(0-10)");

    g_assert_cmpint(vkPortAllocatorAcquire(pa, NULL, "two\nlines", &port), ==, -1);
    assertLastError(VIR_ERR_INVALID_ARG, "port owner 'two");
    g_assert_cmpint(vkPortAllocatorAcquire(pa, NULL, "", &port), ==, -1);
    assertLastError(VIR_ERR_INVALID_ARG, "port owner ''");
    g_assert_false(g_file_test(f->store, G_FILE_TEST_EXISTS));

    /* The error domain is the caller's. */
    g_assert_cmpint(vkPortAllocatorReleaseOwner(pa, NULL), ==, -1);
    g_assert_cmpint(virGetLastError()->domain, ==, VIR_FROM_QEMU);
    assertLastError(VIR_ERR_INVALID_ARG, "port owner ''");
}

static void testDirNotCreatable(Fixture *f, gconstpointer data)
{
    g_autofree char *file = g_build_filename(f->tmp, "plain", NULL);
    g_autofree char *under = g_build_filename(file, "ports", NULL);

    g_assert_cmpint(vkFileWriteAtomic(file, "", -1, 0600), ==, 0);
    g_assert_null(vkPortAllocatorNew("display", under, 5900, 65535, VIR_FROM_QEMU));
    assertLastError(VIR_ERR_SYSTEM_ERROR, under);
}

/* A network namespace of our own keeps other programs off the test ports. */
static void isolateNetwork(void)
{
    if (unshare(CLONE_NEWNET) == 0) {
        if (vkNetDevSetOnline("lo", TRUE) < 0)
            g_error("cannot bring up lo: %s", virGetLastError()->message);
        return;
    }
    /* Without the privilege, stay above Linux's ephemeral ports (32768-60999 by default),
     * which outgoing connections take at random, and keep concurrent runs apart. */
    base = 61000 + (unsigned int)(getpid() % 70) * 60;
    g_test_message("no private network namespace (%s): testing ports %u-%u of the host",
                   g_strerror(errno), base, base + 59);
}

#define ADD(name, fn) \
    g_test_add("/portalloc/" name, Fixture, NULL, fixtureSetup, fn, fixtureTeardown)

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    isolateNetwork();

    ADD("acquire/lowest-free", testLowestFree);
    ADD("acquire/skips-port-in-use", testSkipsPortInUse);
    ADD("acquire/probes-only-the-address", testProbesOnlyTheAddress);
    ADD("acquire/time-wait-is-free", testTimeWaitIsFree);
    ADD("acquire/shared-across-allocators", testSharedAcrossAllocators);
    ADD("acquire/concurrent-processes", testConcurrentProcesses);
    ADD("acquire/range-exhausted", testRangeExhausted);
    ADD("acquire/ipv6", testIPv6);
    ADD("acquire/address-not-local", testAddressNotLocal);
    ADD("reserve/fixed-port", testReserveFixedPort);
    ADD("release/port", testRelease);
    ADD("release/owner", testReleaseOwner);
    ADD("release/if", testReleaseIf);
    ADD("transaction", testTransaction);
    ADD("store/corrupt", testCorruptStore);
    ADD("store/hand-written", testHandWrittenStore);
    ADD("store/missing", testMissingStoreAndDir);
    ADD("bad-arguments", testBadArguments);
    ADD("dir-not-creatable", testDirNotCreatable);
    return g_test_run();
}

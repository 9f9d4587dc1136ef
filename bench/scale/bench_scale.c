/* bench/scale: the cost of define, lookup+dumpxml, start+destroy, undefine, list --all and
 * connection open with N guests defined, through libvirt's C API as loaded from a library
 * (libvirtkit.so or Debian's libvirt.so.0: the same calls, the same code, for both). */
#include <dlfcn.h>
#include <glib.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "virtkit/virtkit.h"

/* The API as loaded from the library under test. */
static struct {
    int (*eventRegister)(void);
    int (*eventRun)(void);
    virConnectPtr (*open)(const char *);
    int (*close)(virConnectPtr);
    virDomainPtr (*define)(virConnectPtr, const char *);
    virDomainPtr (*lookup)(virConnectPtr, const char *);
    char *(*xml)(virDomainPtr, unsigned int);
    int (*create)(virDomainPtr);
    int (*destroy)(virDomainPtr);
    int (*undefine)(virDomainPtr);
    int (*free)(virDomainPtr);
    int (*listAll)(virConnectPtr, virDomainPtr **, unsigned int);
    int (*getState)(virDomainPtr, int *, int *, unsigned int);
    const char *(*getName)(virDomainPtr);
    unsigned int (*getID)(virDomainPtr);
    const char *(*lastError)(void);
} api;

static void *need(void *lib, const char *sym)
{
    void *p = dlsym(lib, sym);

    if (!p) {
        fprintf(stderr, "bench_scale: %s has no %s\n", "the library", sym);
        exit(1);
    }
    return p;
}

static void load(const char *path)
{
    void *lib = dlopen(path, RTLD_NOW | RTLD_LOCAL);

    if (!lib) {
        fprintf(stderr, "bench_scale: %s\n", dlerror());
        exit(1);
    }
    api.eventRegister = need(lib, "virEventRegisterDefaultImpl");
    api.eventRun = need(lib, "virEventRunDefaultImpl");
    api.open = need(lib, "virConnectOpen");
    api.close = need(lib, "virConnectClose");
    api.define = need(lib, "virDomainDefineXML");
    api.lookup = need(lib, "virDomainLookupByName");
    api.xml = need(lib, "virDomainGetXMLDesc");
    api.create = need(lib, "virDomainCreate");
    api.destroy = need(lib, "virDomainDestroy");
    api.undefine = need(lib, "virDomainUndefine");
    api.free = need(lib, "virDomainFree");
    api.listAll = need(lib, "virConnectListAllDomains");
    api.getState = need(lib, "virDomainGetState");
    api.getName = need(lib, "virDomainGetName");
    api.getID = need(lib, "virDomainGetID");
    api.lastError = need(lib, "virGetLastErrorMessage");
}

static void die(const char *what)
{
    fprintf(stderr, "bench_scale: %s: %s\n", what, api.lastError());
    exit(1);
}

static char *guestXML(const char *name, const char *type)
{
    return g_strdup_printf("<domain type='%s'><name>%s</name><memory unit='MiB'>64</memory>"
                           "<vcpu>1</vcpu><os><type arch='x86_64'>hvm</type></os>"
                           "<devices/></domain>",
                           type, name);
}

static gpointer eventLoop(gpointer unused)
{
    for (;;)
        api.eventRun();
    return NULL;
}

static double nowMs(void)
{
    return g_get_monotonic_time() / 1000.0;
}

static int compareDoubles(gconstpointer a, gconstpointer b)
{
    double x = *(const double *)a, y = *(const double *)b;

    return x < y ? -1 : x > y;
}

static double median(GArray *t)
{
    g_array_sort(t, compareDoubles);
    return t->len ? g_array_index(t, double, t->len / 2) : -1;
}

/* What `virsh list --all` asks: every domain, then its id, name and state. */
static int listAll(virConnectPtr conn)
{
    virDomainPtr *doms = NULL;
    int n = api.listAll(conn, &doms, 0);

    if (n < 0)
        die("list --all");
    for (int i = 0; i < n; i++) {
        int state, reason;

        api.getID(doms[i]);
        api.getName(doms[i]);
        if (api.getState(doms[i], &state, &reason, 0) < 0)
            die("domain state");
        api.free(doms[i]);
    }
    free(doms);
    return n;
}

/* Defines scale-FROM .. scale-(COUNT-1); prints how long it took. */
static void populate(virConnectPtr conn, int from, int count, const char *type)
{
    double t0 = nowMs();

    for (int i = from; i < count; i++) {
        g_autofree char *name = g_strdup_printf("scale-%05d", i);
        g_autofree char *xml = guestXML(name, type);
        virDomainPtr dom = api.define(conn, xml);

        if (!dom)
            die("define");
        api.free(dom);
    }
    printf("populate=%.1f\n", nowMs() - t0);
}

static void record(GArray *times, double since)
{
    double t = nowMs() - since;

    g_array_append_val(times, t);
}

/* Medians of each operation with COUNT guests defined, the first open included. */
static void measure(const char *uri, int count, int rounds, int runs, const char *type)
{
    g_autoptr(GArray) tDefine = g_array_new(FALSE, FALSE, sizeof(double));
    g_autoptr(GArray) tUndefine = g_array_new(FALSE, FALSE, sizeof(double));
    g_autoptr(GArray) tLookup = g_array_new(FALSE, FALSE, sizeof(double));
    g_autoptr(GArray) tStart = g_array_new(FALSE, FALSE, sizeof(double));
    g_autoptr(GArray) tList = g_array_new(FALSE, FALSE, sizeof(double));
    virConnectPtr conn;
    double t, open;
    int listed = 0;

    t = nowMs();
    if (!(conn = api.open(uri)))
        die("open");
    open = nowMs() - t;

    for (int r = 0; r < rounds; r++) {
        g_autofree char *name = g_strdup_printf("probe-%d", r);
        g_autofree char *xml = guestXML(name, type);
        g_autofree char *existing = g_strdup_printf("scale-%05d", count ? (r * 7919) % count : 0);
        virDomainPtr dom, found;
        char *text;

        t = nowMs();
        if (!(dom = api.define(conn, xml)))
            die("define");
        record(tDefine, t);
        api.free(dom);

        t = nowMs();
        found = api.lookup(conn, count ? existing : name);
        if (!found || !(text = api.xml(found, 0)))
            die("lookup+dumpxml");
        free(text);
        api.free(found);
        record(tLookup, t);

        t = nowMs();
        if (!(dom = api.lookup(conn, name)) || api.undefine(dom) < 0)
            die("undefine");
        record(tUndefine, t);
        api.free(dom);
    }

    for (int r = 0; r < runs; r++) {
        g_autofree char *xml = guestXML("probe-run", type);
        virDomainPtr dom = api.define(conn, xml);

        if (!dom)
            die("define");
        t = nowMs();
        if (api.create(dom) < 0 || api.destroy(dom) < 0)
            die("start+destroy");
        record(tStart, t);
        api.undefine(dom);
        api.free(dom);
    }

    for (int r = 0; r < rounds; r++) {
        t = nowMs();
        listed = listAll(conn);
        record(tList, t);
    }
    if (listed != count) {
        fprintf(stderr, "bench_scale: list --all gave %d guests, not %d\n", listed, count);
        exit(1);
    }
    api.close(conn);

    /* One line of milliseconds (medians; the first open of the process), for the run script. */
    printf("open=%.3f define=%.3f lookup=%.3f start=%.3f undefine=%.3f list=%.3f\n", open,
           median(tDefine), median(tLookup), median(tStart), median(tUndefine), median(tList));
}

int main(int argc, char **argv)
{
    if (argc != 8 || (strcmp(argv[3], "populate") != 0 && strcmp(argv[3], "measure") != 0)) {
        fprintf(stderr, "usage: bench_scale LIBRARY URI populate FROM COUNT - TYPE\n"
                        "       bench_scale LIBRARY URI measure COUNT ROUNDS STARTS TYPE\n");
        return 2;
    }
    load(argv[1]);
    if (api.eventRegister() < 0)
        die("event loop");
    g_thread_unref(g_thread_new("events", eventLoop, NULL));
    if (strcmp(argv[3], "populate") == 0) {
        virConnectPtr conn = api.open(argv[2]);

        if (!conn)
            die("open");
        populate(conn, atoi(argv[4]), atoi(argv[5]), argv[7]);
        api.close(conn);
        return 0;
    }
    measure(argv[2], atoi(argv[4]), atoi(argv[5]), atoi(argv[6]), argv[7]);
    return 0;
}

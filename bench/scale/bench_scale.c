/* bench/scale: the cost of define, lookup+dumpxml, start+destroy, undefine, list --all and
 * connection open with N guests defined, through libvirt's C API as loaded from a library
 * (libvirtkit.so or Debian's libvirt.so.0: the same calls, the same code, for both); and the
 * same for N networks and for N volumes in one pool, where the library has those drivers. */
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
    void (*setErrorFunc)(void *, virErrorFunc);
    /* networks and volumes: looked up only when asked for */
    virNetworkPtr (*netDefine)(virConnectPtr, const char *);
    virNetworkPtr (*netLookup)(virConnectPtr, const char *);
    char *(*netXML)(virNetworkPtr, unsigned int);
    int (*netUndefine)(virNetworkPtr);
    int (*netFree)(virNetworkPtr);
    int (*netListAll)(virConnectPtr, virNetworkPtr **, unsigned int);
    int (*netIsActive)(virNetworkPtr);
    int (*netAutostart)(virNetworkPtr, int *);
    const char *(*netName)(virNetworkPtr);
    virStoragePoolPtr (*poolLookup)(virConnectPtr, const char *);
    virStoragePoolPtr (*poolDefine)(virConnectPtr, const char *, unsigned int);
    int (*poolCreate)(virStoragePoolPtr, unsigned int);
    int (*poolFree)(virStoragePoolPtr);
    int (*poolListVols)(virStoragePoolPtr, virStorageVolPtr **, unsigned int);
    virStorageVolPtr (*volCreate)(virStoragePoolPtr, const char *, unsigned int);
    virStorageVolPtr (*volLookup)(virStoragePoolPtr, const char *);
    char *(*volXML)(virStorageVolPtr, unsigned int);
    int (*volDelete)(virStorageVolPtr, unsigned int);
    int (*volFree)(virStorageVolPtr);
    int (*volInfo)(virStorageVolPtr, virStorageVolInfoPtr);
    const char *(*volName)(virStorageVolPtr);
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
    api.setErrorFunc = need(lib, "virSetErrorFunc");
    api.netDefine = need(lib, "virNetworkDefineXML");
    api.netLookup = need(lib, "virNetworkLookupByName");
    api.netXML = need(lib, "virNetworkGetXMLDesc");
    api.netUndefine = need(lib, "virNetworkUndefine");
    api.netFree = need(lib, "virNetworkFree");
    api.netListAll = need(lib, "virConnectListAllNetworks");
    api.netIsActive = need(lib, "virNetworkIsActive");
    api.netAutostart = need(lib, "virNetworkGetAutostart");
    api.netName = need(lib, "virNetworkGetName");
    api.poolLookup = need(lib, "virStoragePoolLookupByName");
    api.poolDefine = need(lib, "virStoragePoolDefineXML");
    api.poolCreate = need(lib, "virStoragePoolCreate");
    api.poolFree = need(lib, "virStoragePoolFree");
    api.poolListVols = need(lib, "virStoragePoolListAllVolumes");
    api.volCreate = need(lib, "virStorageVolCreateXML");
    api.volLookup = need(lib, "virStorageVolLookupByName");
    api.volXML = need(lib, "virStorageVolGetXMLDesc");
    api.volDelete = need(lib, "virStorageVolDelete");
    api.volFree = need(lib, "virStorageVolFree");
    api.volInfo = need(lib, "virStorageVolGetInfo");
    api.volName = need(lib, "virStorageVolGetName");
}

/* Errors are told by die(), not printed by the library as they happen (a lookup that is
 * expected to fail among them). */
static void quiet(void *unused, virErrorPtr err)
{
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

/* ---- networks ---- */

static char *networkXML(const char *name, int i)
{
    /* A bridge of its own, as every defined network needs one that no other has. */
    return g_strdup_printf("<network><name>%s</name><bridge name='vks%d'/></network>", name, i);
}

/* What `virsh net-list --all` asks: every network, then its name, state and autostart. */
static int netListAll(virConnectPtr conn)
{
    virNetworkPtr *nets = NULL;
    int n = api.netListAll(conn, &nets, 0);

    if (n < 0)
        die("net-list --all");
    for (int i = 0; i < n; i++) {
        int autostart;

        api.netName(nets[i]);
        if (api.netIsActive(nets[i]) < 0 || api.netAutostart(nets[i], &autostart) < 0)
            die("network state");
        api.netFree(nets[i]);
    }
    free(nets);
    return n;
}

static void netPopulate(virConnectPtr conn, int from, int count)
{
    double t0 = nowMs();

    for (int i = from; i < count; i++) {
        g_autofree char *name = g_strdup_printf("scale-%05d", i);
        g_autofree char *xml = networkXML(name, i);
        virNetworkPtr net = api.netDefine(conn, xml);

        if (!net)
            die("net-define");
        api.netFree(net);
    }
    printf("populate=%.1f\n", nowMs() - t0);
}

static void netMeasure(const char *uri, int count, int rounds)
{
    g_autoptr(GArray) tDefine = g_array_new(FALSE, FALSE, sizeof(double));
    g_autoptr(GArray) tUndefine = g_array_new(FALSE, FALSE, sizeof(double));
    g_autoptr(GArray) tLookup = g_array_new(FALSE, FALSE, sizeof(double));
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
        g_autofree char *xml = networkXML(name, 90000 + r);
        g_autofree char *existing = g_strdup_printf("scale-%05d", count ? (r * 7919) % count : 0);
        virNetworkPtr net, found;
        char *text;

        t = nowMs();
        if (!(net = api.netDefine(conn, xml)))
            die("net-define");
        record(tDefine, t);
        api.netFree(net);

        t = nowMs();
        found = api.netLookup(conn, count ? existing : name);
        if (!found || !(text = api.netXML(found, 0)))
            die("net lookup+dumpxml");
        free(text);
        api.netFree(found);
        record(tLookup, t);

        t = nowMs();
        if (!(net = api.netLookup(conn, name)) || api.netUndefine(net) < 0)
            die("net-undefine");
        record(tUndefine, t);
        api.netFree(net);
    }
    for (int r = 0; r < rounds; r++) {
        t = nowMs();
        listed = netListAll(conn);
        record(tList, t);
    }
    if (listed < count) {
        fprintf(stderr, "bench_scale: net-list --all gave %d networks, not %d\n", listed, count);
        exit(1);
    }
    api.close(conn);
    printf("open=%.3f define=%.3f lookup=%.3f start=-1 undefine=%.3f list=%.3f\n", open,
           median(tDefine), median(tLookup), median(tUndefine), median(tList));
}

/* ---- volumes, in the pool "scale" on directory DIR ---- */

static char *volumeXML(const char *name)
{
    return g_strdup_printf("<volume><name>%s</name><capacity unit='MiB'>1</capacity>"
                           "<allocation>0</allocation><target><format type='raw'/></target>"
                           "</volume>",
                           name);
}

static virStoragePoolPtr scalePool(virConnectPtr conn, const char *dir)
{
    virStoragePoolPtr pool = api.poolLookup(conn, "scale");
    g_autofree char *xml = NULL;

    if (pool)
        return pool;
    xml = g_strdup_printf("<pool type='dir'><name>scale</name><target><path>%s</path></target>"
                          "</pool>",
                          dir);
    if (!(pool = api.poolDefine(conn, xml, 0)) || api.poolCreate(pool, 0) < 0)
        die("the pool");
    return pool;
}

/* What `virsh vol-list --details` asks: every volume, then its name and info. */
static int volListAll(virStoragePoolPtr pool)
{
    virStorageVolPtr *vols = NULL;
    int n = api.poolListVols(pool, &vols, 0);

    if (n < 0)
        die("vol-list");
    for (int i = 0; i < n; i++) {
        virStorageVolInfo info;

        api.volName(vols[i]);
        if (api.volInfo(vols[i], &info) < 0)
            die("volume info");
        api.volFree(vols[i]);
    }
    free(vols);
    return n;
}

static void volPopulate(virConnectPtr conn, int from, int count, const char *dir)
{
    virStoragePoolPtr pool = scalePool(conn, dir);
    double t0 = nowMs();

    for (int i = from; i < count; i++) {
        g_autofree char *name = g_strdup_printf("scale-%05d.img", i);
        g_autofree char *xml = volumeXML(name);
        virStorageVolPtr vol = api.volCreate(pool, xml, 0);

        if (!vol)
            die("vol-create");
        api.volFree(vol);
    }
    api.poolFree(pool);
    printf("populate=%.1f\n", nowMs() - t0);
}

static void volMeasure(const char *uri, int count, int rounds, const char *dir)
{
    g_autoptr(GArray) tDefine = g_array_new(FALSE, FALSE, sizeof(double));
    g_autoptr(GArray) tUndefine = g_array_new(FALSE, FALSE, sizeof(double));
    g_autoptr(GArray) tLookup = g_array_new(FALSE, FALSE, sizeof(double));
    g_autoptr(GArray) tList = g_array_new(FALSE, FALSE, sizeof(double));
    virStoragePoolPtr pool;
    virConnectPtr conn;
    double t, open;
    int listed = 0;

    t = nowMs();
    if (!(conn = api.open(uri)))
        die("open");
    open = nowMs() - t;
    pool = scalePool(conn, dir);
    for (int r = 0; r < rounds; r++) {
        g_autofree char *name = g_strdup_printf("probe-%d.img", r);
        g_autofree char *xml = volumeXML(name);
        g_autofree char *existing =
            g_strdup_printf("scale-%05d.img", count ? (r * 7919) % count : 0);
        virStorageVolPtr vol, found;
        char *text;

        t = nowMs();
        if (!(vol = api.volCreate(pool, xml, 0)))
            die("vol-create");
        record(tDefine, t);
        api.volFree(vol);

        t = nowMs();
        found = api.volLookup(pool, count ? existing : name);
        if (!found || !(text = api.volXML(found, 0)))
            die("vol lookup+dumpxml");
        free(text);
        api.volFree(found);
        record(tLookup, t);

        t = nowMs();
        if (!(vol = api.volLookup(pool, name)) || api.volDelete(vol, 0) < 0)
            die("vol-delete");
        record(tUndefine, t);
        api.volFree(vol);
    }
    for (int r = 0; r < rounds; r++) {
        t = nowMs();
        listed = volListAll(pool);
        record(tList, t);
    }
    if (listed != count) {
        fprintf(stderr, "bench_scale: vol-list gave %d volumes, not %d\n", listed, count);
        exit(1);
    }
    api.poolFree(pool);
    api.close(conn);
    printf("open=%.3f define=%.3f lookup=%.3f start=-1 undefine=%.3f list=%.3f\n", open,
           median(tDefine), median(tLookup), median(tUndefine), median(tList));
}

static gboolean isMode(const char *mode)
{
    const char *modes[] = { "populate",    "measure",      "populate-net",
                            "measure-net", "populate-vol", "measure-vol" };

    for (gsize i = 0; i < G_N_ELEMENTS(modes); i++) {
        if (strcmp(mode, modes[i]) == 0)
            return TRUE;
    }
    return FALSE;
}

int main(int argc, char **argv)
{
    if (argc != 8 || !isMode(argv[3])) {
        fprintf(stderr, "usage: bench_scale LIBRARY URI populate FROM COUNT - TYPE\n"
                        "       bench_scale LIBRARY URI measure COUNT ROUNDS STARTS TYPE\n"
                        "       bench_scale LIBRARY URI populate-net FROM COUNT - -\n"
                        "       bench_scale LIBRARY URI measure-net COUNT ROUNDS - -\n"
                        "       bench_scale LIBRARY URI populate-vol FROM COUNT - DIR\n"
                        "       bench_scale LIBRARY URI measure-vol COUNT ROUNDS - DIR\n");
        return 2;
    }
    load(argv[1]);
    api.setErrorFunc(NULL, quiet);
    if (api.eventRegister() < 0)
        die("event loop");
    g_thread_unref(g_thread_new("events", eventLoop, NULL));
    if (g_str_has_prefix(argv[3], "populate")) {
        virConnectPtr conn = api.open(argv[2]);

        if (!conn)
            die("open");
        if (strcmp(argv[3], "populate-net") == 0)
            netPopulate(conn, atoi(argv[4]), atoi(argv[5]));
        else if (strcmp(argv[3], "populate-vol") == 0)
            volPopulate(conn, atoi(argv[4]), atoi(argv[5]), argv[7]);
        else
            populate(conn, atoi(argv[4]), atoi(argv[5]), argv[7]);
        api.close(conn);
        return 0;
    }
    if (strcmp(argv[3], "measure-net") == 0)
        netMeasure(argv[2], atoi(argv[4]), atoi(argv[5]));
    else if (strcmp(argv[3], "measure-vol") == 0)
        volMeasure(argv[2], atoi(argv[4]), atoi(argv[5]), argv[7]);
    else
        measure(argv[2], atoi(argv[4]), atoi(argv[5]), atoi(argv[6]), argv[7]);
    return 0;
}

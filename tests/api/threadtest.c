/* Many threads on one connection at once: each defines, starts, inspects, stops and undefines
 * domains and networks of its own while all of them fight over shared ones. Every call must
 * succeed or fail with one of the errors its race allows, and the world must end consistent.
 * Meant to run under the sanitizers. */
#include "apitest.h"

#define THREADS    8
#define ITERATIONS 200

typedef struct {
    virConnectPtr conn;
    unsigned int index;
    gint *waiting; /* threads not yet at the start line */
    GArray *ids;   /* ids this thread saw its own domains start with */
} Worker;

/* Holds each thread until all are up, so that their calls really overlap. */
static void startLine(gint *waiting)
{
    g_atomic_int_dec_and_test(waiting);
    while (g_atomic_int_get(waiting) > 0)
        g_thread_yield();
}

static char *domainXML(const char *name)
{
    return g_strdup_printf("<domain type='test'><name>%s</name><memory>65536</memory>"
                           "<vcpu>1</vcpu><os><type>hvm</type></os></domain>",
                           name);
}

/* Own domain: define, start, look up every way, dump, suspend/resume, stop, undefine. */
static void ownDomain(Worker *w, unsigned int i)
{
    g_autofree char *name = g_strdup_printf("w%u-%u", w->index, i);
    g_autofree char *xml = domainXML(name);
    char uuid[VIR_UUID_STRING_BUFLEN];
    virDomainInfo info;

    virDomainPtr dom = virDomainDefineXML(w->conn, xml);
    g_assert_nonnull(dom);
    g_assert_cmpint(virDomainCreate(dom), ==, 0);
    int id = virDomainGetID(dom);
    g_assert_cmpint(id, >, 1);
    g_array_append_val(w->ids, id);

    virDomainPtr byID = virDomainLookupByID(w->conn, id);
    g_assert_nonnull(byID);
    g_assert_cmpstr(virDomainGetName(byID), ==, name);
    g_assert_cmpint(virDomainGetUUIDString(dom, uuid), ==, 0);
    virDomainPtr byUUID = virDomainLookupByUUIDString(w->conn, uuid);
    g_assert_nonnull(byUUID);

    g_autofree char *desc = virDomainGetXMLDesc(byUUID, 0);
    g_assert_nonnull(strstr(desc, name));
    g_assert_cmpint(virDomainSuspend(dom), ==, 0);
    g_assert_cmpint(virDomainGetInfo(byID, &info), ==, 0);
    g_assert_cmpint(info.state, ==, VIR_DOMAIN_PAUSED);
    g_assert_cmpint(virDomainResume(byID), ==, 0);
    if (i % 2)
        g_assert_cmpint(virDomainDestroy(byUUID), ==, 0);
    else
        g_assert_cmpint(virDomainShutdown(byUUID), ==, 0);
    g_assert_cmpint(virDomainIsActive(dom), ==, 0);
    g_assert_cmpint(virDomainUndefine(dom), ==, 0);
    g_assert_cmpint(virDomainIsActive(byID), ==, -1);
    g_assert_cmpint(virGetLastErrorCode(), ==, VIR_ERR_NO_DOMAIN);

    virDomainFree(byID);
    virDomainFree(byUUID);
    virDomainFree(dom);
}

/* The shared domain: everyone starts and stops it; losing a race is an expected error. */
static void sharedDomain(Worker *w)
{
    virDomainPtr dom = virDomainLookupByName(w->conn, "shared");
    g_assert_nonnull(dom);

    if (virDomainCreate(dom) < 0)
        apiAssertError(VIR_ERR_INTERNAL_ERROR, "is already running");
    if (virDomainSuspend(dom) < 0)
        apiAssertError(VIR_ERR_INTERNAL_ERROR, "not running");
    if (virDomainResume(dom) < 0)
        apiAssertError(VIR_ERR_INTERNAL_ERROR, "not paused");
    g_autofree char *xml = virDomainGetXMLDesc(dom, VIR_DOMAIN_XML_INACTIVE);
    g_assert_nonnull(xml);
    if (virDomainDestroy(dom) < 0)
        apiAssertError(VIR_ERR_OPERATION_INVALID, "domain is not running");
    virDomainFree(dom);
}

static void ownNetwork(Worker *w, unsigned int i)
{
    g_autofree char *xml = g_strdup_printf(
        "<network><name>n%u-%u</name><bridge name='vk%u-%u'/></network>", w->index, i, w->index, i);
    virNetworkPtr net =
        (i % 2) ? virNetworkCreateXML(w->conn, xml) : virNetworkDefineXML(w->conn, xml);

    g_assert_nonnull(net);
    if (!(i % 2))
        g_assert_cmpint(virNetworkCreate(net), ==, 0);
    g_autofree char *bridge = virNetworkGetBridgeName(net);
    g_assert_nonnull(bridge);
    g_autofree char *desc = virNetworkGetXMLDesc(net, 0);
    g_assert_nonnull(desc);
    g_assert_cmpint(virNetworkDestroy(net), ==, 0);
    if (!(i % 2))
        g_assert_cmpint(virNetworkUndefine(net), ==, 0);
    g_assert_cmpint(virNetworkIsActive(net), ==, -1);
    virNetworkFree(net);
}

/* Readers walk the lists while writers change them. */
static void readers(Worker *w)
{
    virDomainPtr *doms = NULL;
    int n = virConnectListAllDomains(w->conn, &doms, 0);

    g_assert_cmpint(n, >=, 2);
    for (int i = 0; i < n; i++) {
        g_autofree char *xml = virDomainGetXMLDesc(doms[i], 0);
        /* It may have been undefined since the listing. */
        if (!xml)
            apiAssertError(VIR_ERR_NO_DOMAIN, NULL);
        virDomainFree(doms[i]);
    }
    free(doms);

    virNetworkPtr *nets = NULL;
    n = virConnectListAllNetworks(w->conn, &nets, VIR_CONNECT_LIST_NETWORKS_ACTIVE);
    g_assert_cmpint(n, >=, 1);
    for (int i = 0; i < n; i++)
        virNetworkFree(nets[i]);
    free(nets);

    virDomainPtr test = virDomainLookupByName(w->conn, "test");
    g_assert_nonnull(test);
    g_assert_cmpint(virDomainIsActive(test), ==, 1);
    virDomainFree(test);
    g_assert_cmpint(virConnectNumOfDomains(w->conn), >=, 1);
}

static gpointer work(gpointer data)
{
    Worker *w = data;

    startLine(w->waiting);
    for (unsigned int i = 0; i < ITERATIONS; i++) {
        ownDomain(w, i);
        sharedDomain(w);
        ownNetwork(w, i);
        readers(w);
    }
    return NULL;
}

static void testHammer(void)
{
    virConnectPtr conn = apiOpenDefault();
    Worker workers[THREADS];
    GThread *threads[THREADS];
    gint waiting = THREADS;

    g_autofree char *shared = domainXML("shared");
    virDomainFree(virDomainDefineXML(conn, shared));

    for (unsigned int t = 0; t < THREADS; t++) {
        workers[t] = (Worker){ conn, t, &waiting, g_array_new(FALSE, FALSE, sizeof(int)) };
        threads[t] = g_thread_new("worker", work, &workers[t]);
    }
    for (unsigned int t = 0; t < THREADS; t++)
        g_thread_join(threads[t]);

    /* Every start got an id no other start got. */
    g_autoptr(GHashTable) seen = g_hash_table_new(g_direct_hash, g_direct_equal);
    for (unsigned int t = 0; t < THREADS; t++) {
        for (guint i = 0; i < workers[t].ids->len; i++) {
            int id = g_array_index(workers[t].ids, int, i);
            g_assert_false(g_hash_table_contains(seen, GINT_TO_POINTER(id)));
            g_hash_table_add(seen, GINT_TO_POINTER(id));
        }
        g_array_unref(workers[t].ids);
    }
    g_assert_cmpuint(g_hash_table_size(seen), ==, THREADS * ITERATIONS);

    /* What is left: the default domain and network, and the shared domain, now stopped. */
    virDomainPtr dom = virDomainLookupByName(conn, "shared");
    if (virDomainIsActive(dom) == 1)
        g_assert_cmpint(virDomainDestroy(dom), ==, 0);
    g_assert_cmpint(virDomainUndefine(dom), ==, 0);
    virDomainFree(dom);
    g_assert_cmpint(virConnectNumOfDomains(conn), ==, 1);
    g_assert_cmpint(virConnectNumOfDefinedDomains(conn), ==, 0);
    g_assert_cmpint(virConnectNumOfNetworks(conn), ==, 1);
    g_assert_cmpint(virConnectNumOfDefinedNetworks(conn), ==, 0);
    apiClose(conn);
}

/* Opening and closing test:///default from many threads builds and frees the shared world
 * without losing or doubling it. */
static gpointer openClose(gpointer data)
{
    startLine(data);
    for (unsigned int i = 0; i < 200; i++) {
        virConnectPtr conn = virConnectOpen("test:///default");
        g_assert_nonnull(conn);
        g_assert_cmpint(virConnectNumOfNetworks(conn), ==, 1);
        virConnectClose(conn);
    }
    return NULL;
}

static void testOpenCloseRace(void)
{
    GThread *threads[THREADS];
    gint waiting = THREADS;

    for (unsigned int t = 0; t < THREADS; t++)
        threads[t] = g_thread_new("open", openClose, &waiting);
    for (unsigned int t = 0; t < THREADS; t++)
        g_thread_join(threads[t]);

    virConnectPtr conn = apiOpenDefault();
    g_assert_cmpint(virConnectNumOfDomains(conn), ==, 1);
    apiClose(conn);
}

int main(int argc, char **argv)
{
    apiTestInit(&argc, &argv);
    g_test_add_func("/threads/hammer", testHammer);
    g_test_add_func("/threads/open-close", testOpenCloseRace);
    return g_test_run();
}

/* Our client machinery against a real peer: Debian's libvirtd 9.0, started privately by
 * rpc-libvirtd.sh, serving the test driver. Unix socket (read-write and read-only) and, when
 * VKTEST_TLS_DIR is set, TLS with a throw-away CA. */
#include <stdlib.h>

#include "rpc/rpc_client.h"
#include "rpctestutil.h"

#define REMOTE (&vkRpcRemoteProgram)

static const char *sockDir;

/* ---- an event sink ---- */

typedef struct {
    GMutex lock;
    GPtrArray *
        domainEvents; /* vkr_domain_event_callback_lifecycle_msg copies: "name event detail cbid" */
    GPtrArray *networkEvents; /* "name event detail cbid" */
} Events;

static void onEvent(vkRpcClient *client, const vkRpcProgram *program, const vkRpcProc *proc,
                    void *body, gpointer opaque)
{
    Events *ev = opaque;

    g_mutex_lock(&ev->lock);
    if (proc->proc == VKR_PROC_DOMAIN_EVENT_CALLBACK_LIFECYCLE) {
        vkr_domain_event_callback_lifecycle_msg *m = body;
        g_ptr_array_add(ev->domainEvents,
                        g_strdup_printf("%s %d %d %d", m->msg.dom.name, m->msg.event, m->msg.detail,
                                        m->callback_id));
    } else if (proc->proc == VKR_PROC_NETWORK_EVENT_LIFECYCLE) {
        vkr_network_event_lifecycle_msg *m = body;
        g_ptr_array_add(ev->networkEvents, g_strdup_printf("%s %d %d %d", m->net.name, m->event,
                                                           m->detail, m->callback_id));
    }
    g_mutex_unlock(&ev->lock);
}

static gboolean hasEvent(Events *ev, GPtrArray *list, const char *text)
{
    gboolean found = FALSE;

    g_mutex_lock(&ev->lock);
    for (guint i = 0; i < list->len && !found; i++)
        found = g_str_equal(list->pdata[i], text);
    g_mutex_unlock(&ev->lock);
    return found;
}

/* ---- helpers ---- */

static int supportsFeature(vkRpcClient *client, int feature)
{
    vkr_connect_supports_feature_args args = { feature };
    vkr_connect_supports_feature_ret ret = { 0 };

    assertCall(client, REMOTE, VKR_PROC_CONNECT_SUPPORTS_FEATURE, &args, &ret);
    return ret.supported;
}

/* AUTH_LIST, then CONNECT_OPEN of the test driver, as virsh begins. */
static void openTestDriver(vkRpcClient *client, gboolean keepalive)
{
    vkr_auth_list_ret auth = { 0 };
    vkr_nonnull_string uri = (char *)"test:///default";
    vkr_connect_open_args open = { &uri, 0 };

    assertCall(client, REMOTE, VKR_PROC_AUTH_LIST, NULL, &auth);
    g_assert_cmpuint(auth.types.types_len, ==, 1);
    g_assert_cmpint(auth.types.types_val[0], ==, VKR_AUTH_NONE);
    vkRpcXdrFree((xdrproc_t)xdr_vkr_auth_list_ret, &auth, sizeof(auth));
    if (keepalive)
        g_assert_cmpint(supportsFeature(client, 10), ==, 1);
    assertCall(client, REMOTE, VKR_PROC_CONNECT_OPEN, &open, NULL);
}

static vkRpcClient *connectRW(void)
{
    g_autofree char *path = g_build_filename(sockDir, "libvirt-sock", NULL);
    vkRpcClient *client = vkRpcClientNewUnix(path);

    if (!client)
        g_error("cannot connect to %s: %s", path, virGetLastErrorMessage());
    return client;
}

static void lookupDomain(vkRpcClient *client, const char *name, vkr_nonnull_domain *dom)
{
    vkr_domain_lookup_by_name_args args = { (char *)name };
    vkr_domain_lookup_by_name_ret ret = { 0 };

    assertCall(client, REMOTE, VKR_PROC_DOMAIN_LOOKUP_BY_NAME, &args, &ret);
    *dom = ret.dom;
}

static void freeDomain(vkr_nonnull_domain *dom)
{
    vkRpcXdrFree((xdrproc_t)xdr_vkr_nonnull_domain, dom, sizeof(*dom));
}

/* ---- tests ---- */

static void testSession(void)
{
    g_autoptr(vkRpcClient) client = connectRW();
    vkr_connect_get_type_ret type = { 0 };
    vkr_connect_list_all_domains_args listArgs = { 1, 0 };
    vkr_connect_list_all_domains_ret list = { 0 };
    vkr_domain_flags_args xmlArgs = { 0 };
    vkr_domain_get_xml_desc_ret xml = { 0 };
    vkr_nonnull_domain dom = { 0 };
    vkr_domain_lookup_by_name_args missing = { (char *)"no-such-guest" };
    vkr_domain_lookup_by_name_ret none = { 0 };
    gboolean found = FALSE;

    g_assert_true(vkRpcClientIsSecure(client));
    g_assert_false(vkRpcClientIsEncrypted(client));
    openTestDriver(client, TRUE);
    g_assert_cmpint(supportsFeature(client, 14), ==, 1);

    assertCall(client, REMOTE, VKR_PROC_CONNECT_GET_TYPE, NULL, &type);
    g_assert_cmpstr(type.type, ==, "TEST");
    vkRpcXdrFree((xdrproc_t)xdr_vkr_connect_get_type_ret, &type, sizeof(type));

    assertCall(client, REMOTE, VKR_PROC_CONNECT_LIST_ALL_DOMAINS, &listArgs, &list);
    for (u_int i = 0; i < list.domains.domains_len; i++)
        found |= g_str_equal(list.domains.domains_val[i].name, "test");
    g_assert_true(found);
    g_assert_cmpuint(list.ret, ==, list.domains.domains_len);
    vkRpcXdrFree((xdrproc_t)xdr_vkr_connect_list_all_domains_ret, &list, sizeof(list));

    lookupDomain(client, "test", &dom);
    g_assert_cmpstr(dom.name, ==, "test");
    g_assert_cmpint(dom.id, ==, 1);
    xmlArgs.dom = dom;
    assertCall(client, REMOTE, VKR_PROC_DOMAIN_GET_XML_DESC, &xmlArgs, &xml);
    g_assert_nonnull(strstr(xml.xml, "<name>test</name>"));
    vkRpcXdrFree((xdrproc_t)xdr_vkr_domain_get_xml_desc_ret, &xml, sizeof(xml));
    freeDomain(&dom);

    /* a failing call: libvirt's code and message, decoded from the error body */
    g_assert_cmpint(
        vkRpcClientCall(client, REMOTE, VKR_PROC_DOMAIN_LOOKUP_BY_NAME, &missing, &none), ==, -1);
    /* libvirt's test driver gives no detail */
    g_assert_cmpint(virGetLastError()->domain, ==, VIR_FROM_TEST);
    g_assert_cmpint(virGetLastError()->level, ==, VIR_ERR_ERROR);
    g_assert_cmpstr(virGetLastErrorMessage(), ==, "Domain not found");
    assertLastError(VIR_ERR_NO_DOMAIN, "Domain not found");

    /* the close callback registration virsh makes, then the end of the session */
    assertCall(client, REMOTE, VKR_PROC_CONNECT_REGISTER_CLOSE_CALLBACK, NULL, NULL);
    assertCall(client, REMOTE, VKR_PROC_CONNECT_UNREGISTER_CLOSE_CALLBACK, NULL, NULL);
    assertCall(client, REMOTE, VKR_PROC_CONNECT_CLOSE, NULL, NULL);
    /* libvirtd hangs up after answering CONNECT_CLOSE; later calls fail cleanly */
    waitFor(!vkRpcClientIsOpen(client));
    g_assert_cmpint(vkRpcClientCall(client, REMOTE, VKR_PROC_CONNECT_GET_TYPE, NULL, &type), ==,
                    -1);
    assertLastError(VIR_ERR_SYSTEM_ERROR, "End of file while reading data");
}

/* A procedure libvirtd does not know is refused as libvirt clients expect. */
static void testUnknownProcedure(void)
{
    static const vkRpcProc bogus[] = { { 9999, "BOGUS", NULL, 0, NULL, 0, 0 } };
    static const vkRpcProgram fake = { VKR_PROGRAM, VKR_VERSION, "REMOTE", bogus, 1 };
    g_autoptr(vkRpcClient) client = connectRW();

    openTestDriver(client, FALSE);
    g_assert_cmpint(vkRpcClientCall(client, &fake, 9999, NULL, NULL), ==, -1);
    assertLastError(VIR_ERR_NO_SUPPORT, "unknown procedure: 9999");
    /* the connection survives it */
    g_assert_cmpint(supportsFeature(client, 14), ==, 1);
}

typedef struct {
    vkRpcClient *client;
    vkr_nonnull_domain *dom;
    int failures;
} Worker;

static gpointer pipelineWorker(gpointer data)
{
    Worker *w = data;

    for (int i = 0; i < 25; i++) {
        vkr_domain_flags_args args = { *w->dom, 0 };
        vkr_domain_get_xml_desc_ret xml = { 0 };
        vkr_domain_get_state_ret state = { 0 };

        if (vkRpcClientCall(w->client, REMOTE, VKR_PROC_DOMAIN_GET_XML_DESC, &args, &xml) < 0 ||
            !strstr(xml.xml, "<name>test</name>"))
            w->failures++;
        vkRpcXdrFree((xdrproc_t)xdr_vkr_domain_get_xml_desc_ret, &xml, sizeof(xml));
        if (vkRpcClientCall(w->client, REMOTE, VKR_PROC_DOMAIN_GET_STATE, &args, &state) < 0 ||
            state.state != 1)
            w->failures++;
    }
    return NULL;
}

/* Calls from several threads on one connection are in flight together; each gets its reply. */
static void testPipelined(void)
{
    g_autoptr(vkRpcClient) client = connectRW();
    vkr_nonnull_domain dom = { 0 };
    Worker workers[8];
    GThread *threads[8];

    openTestDriver(client, FALSE);
    lookupDomain(client, "test", &dom);
    for (int i = 0; i < 8; i++) {
        workers[i] = (Worker){ client, &dom, 0 };
        threads[i] = g_thread_new("worker", pipelineWorker, &workers[i]);
    }
    for (int i = 0; i < 8; i++) {
        g_thread_join(threads[i]);
        g_assert_cmpint(workers[i].failures, ==, 0);
    }
    freeDomain(&dom);
}

/* Both directions of keepalive: libvirtd (keepalive_interval 1 in its private config) pings a
 * client that asked for feature 10 and keeps it while it answers; our PINGs get PONGs. */
static void testKeepalive(void)
{
    g_autoptr(vkRpcClient) pinged = connectRW();
    g_autoptr(vkRpcClient) pinging = connectRW();
    guint pings = 0, pongs = 0;

    openTestDriver(pinged, TRUE);
    openTestDriver(pinging, FALSE);
    g_assert_cmpint(vkRpcClientStartKeepalive(pinging, 1, 2), ==, 0);
    g_assert_cmpint(vkRpcClientStartKeepalive(pinging, 1, 2), ==, -1);
    assertLastError(VIR_ERR_INTERNAL_ERROR, "keepalive interval already set");

    /* more PINGs than libvirtd's keepalive_count: had we not answered, it would have hung up */
    waitFor((vkRpcClientKeepaliveCounts(pinged, &pings, &pongs), pings >= 5));
    g_assert_true(vkRpcClientIsOpen(pinged));
    g_assert_cmpint(supportsFeature(pinged, 14), ==, 1);

    waitFor((vkRpcClientKeepaliveCounts(pinging, &pings, &pongs), pongs >= 3));
    g_assert_true(vkRpcClientIsOpen(pinging));
    g_assert_cmpint(supportsFeature(pinging, 14), ==, 1);
}

static int registerDomainEvents(vkRpcClient *client)
{
    vkr_connect_domain_event_callback_register_any_args args = { 0, NULL };
    vkr_connect_domain_event_callback_register_any_ret ret = { 0 };

    assertCall(client, REMOTE, VKR_PROC_CONNECT_DOMAIN_EVENT_CALLBACK_REGISTER_ANY, &args, &ret);
    return ret.callback_id;
}

static void testEvents(void)
{
    g_autoptr(vkRpcClient) client = connectRW();
    Events ev = { .domainEvents = g_ptr_array_new_with_free_func(g_free),
                  .networkEvents = g_ptr_array_new_with_free_func(g_free) };
    vkr_connect_network_event_register_any_args netArgs = { 0, NULL };
    vkr_connect_network_event_register_any_ret netRet = { 0 };
    vkr_network_lookup_by_name_args netName = { (char *)"default" };
    vkr_network_lookup_by_name_ret net = { 0 };
    vkr_nonnull_domain dom = { 0 };
    vkr_domain_args domArgs;
    vkr_network_args netObj;
    g_autofree char *expect = NULL;
    int domCb;

    g_mutex_init(&ev.lock);
    vkRpcClientSetEventCallback(client, onEvent, &ev);
    openTestDriver(client, TRUE);
    g_assert_cmpint(supportsFeature(client, 14), ==, 1);
    domCb = registerDomainEvents(client);
    assertCall(client, REMOTE, VKR_PROC_CONNECT_NETWORK_EVENT_REGISTER_ANY, &netArgs, &netRet);

    lookupDomain(client, "test", &dom);
    domArgs.dom = dom;
    assertCall(client, REMOTE, VKR_PROC_DOMAIN_SUSPEND, &domArgs, NULL);
    expect = g_strdup_printf("test 3 0 %d", domCb); /* SUSPENDED, PAUSED */
    waitFor(hasEvent(&ev, ev.domainEvents, expect));
    assertCall(client, REMOTE, VKR_PROC_DOMAIN_RESUME, &domArgs, NULL);
    g_free(expect);
    expect = g_strdup_printf("test 4 0 %d", domCb); /* RESUMED, UNPAUSED */
    waitFor(hasEvent(&ev, ev.domainEvents, expect));
    freeDomain(&dom);

    assertCall(client, REMOTE, VKR_PROC_NETWORK_LOOKUP_BY_NAME, &netName, &net);
    netObj.net = net.net;
    assertCall(client, REMOTE, VKR_PROC_NETWORK_DESTROY, &netObj, NULL);
    g_free(expect);
    expect = g_strdup_printf("default 3 0 %d", netRet.callback_id); /* STOPPED */
    waitFor(hasEvent(&ev, ev.networkEvents, expect));
    assertCall(client, REMOTE, VKR_PROC_NETWORK_CREATE, &netObj, NULL);
    g_free(expect);
    expect = g_strdup_printf("default 2 0 %d", netRet.callback_id); /* STARTED */
    waitFor(hasEvent(&ev, ev.networkEvents, expect));
    vkRpcXdrFree((xdrproc_t)xdr_vkr_network_lookup_by_name_ret, &net, sizeof(net));

    vkr_connect_domain_event_callback_deregister_any_args domDereg = { domCb };
    vkr_connect_network_event_deregister_any_args netDereg = { netRet.callback_id };
    assertCall(client, REMOTE, VKR_PROC_CONNECT_DOMAIN_EVENT_CALLBACK_DEREGISTER_ANY, &domDereg,
               NULL);
    assertCall(client, REMOTE, VKR_PROC_CONNECT_NETWORK_EVENT_DEREGISTER_ANY, &netDereg, NULL);
    g_assert_cmpint(vkRpcClientCall(client, REMOTE,
                                    VKR_PROC_CONNECT_DOMAIN_EVENT_CALLBACK_DEREGISTER_ANY,
                                    &domDereg, NULL),
                    ==, -1);
    g_assert_true(vkHasError());
    vkResetLastError();

    vkRpcClientFree(g_steal_pointer(&client));
    g_ptr_array_free(ev.domainEvents, TRUE);
    g_ptr_array_free(ev.networkEvents, TRUE);
    g_mutex_clear(&ev.lock);
}

/* The read-only socket refuses mutating calls with code 29, as the daemon must. */
static void testReadOnly(void)
{
    g_autofree char *path = g_build_filename(sockDir, "libvirt-sock-ro", NULL);
    g_autoptr(vkRpcClient) client = vkRpcClientNewUnix(path);
    vkr_nonnull_domain dom = { 0 };
    vkr_domain_args args;

    g_assert_nonnull(client);
    openTestDriver(client, FALSE);
    lookupDomain(client, "test", &dom);
    args.dom = dom;
    g_assert_cmpint(vkRpcClientCall(client, REMOTE, VKR_PROC_DOMAIN_SUSPEND, &args, NULL), ==, -1);
    assertLastError(VIR_ERR_OPERATION_DENIED, "read only access prevents virDomainSuspend");
    freeDomain(&dom);
}

/* ---- TLS ---- */

static const char *tlsDir;
static const char *tlsPort;

static vkRpcTLSContext *clientTLS(const char *ca, const char *who)
{
    g_autofree char *caFile = g_build_filename(tlsDir, ca, NULL);
    g_autofree char *cert = who ? g_strdup_printf("%s/%scert.pem", tlsDir, who) : NULL;
    g_autofree char *key = who ? g_strdup_printf("%s/%skey.pem", tlsDir, who) : NULL;
    vkRpcTLSContext *ctx = vkRpcTLSContextNewClient(caFile, cert, key, TRUE);

    if (!ctx)
        g_error("TLS context: %s", virGetLastErrorMessage());
    return ctx;
}

static void testTLS(void)
{
    g_autoptr(vkRpcTLSContext) ctx = clientTLS("cacert.pem", "client");
    g_autoptr(vkRpcClient) client = vkRpcClientNewTCP("127.0.0.1", tlsPort, ctx, "localhost");
    vkr_connect_get_type_ret type = { 0 };

    if (!client)
        g_error("TLS connection: %s", virGetLastErrorMessage());
    g_assert_true(vkRpcClientIsEncrypted(client));
    g_assert_true(vkRpcClientIsSecure(client));
    openTestDriver(client, TRUE);
    assertCall(client, REMOTE, VKR_PROC_CONNECT_GET_TYPE, NULL, &type);
    g_assert_cmpstr(type.type, ==, "TEST");
    vkRpcXdrFree((xdrproc_t)xdr_vkr_connect_get_type_ret, &type, sizeof(type));
    assertCall(client, REMOTE, VKR_PROC_CONNECT_CLOSE, NULL, NULL);
}

static void testTLSRefusals(void)
{
    g_autoptr(vkRpcTLSContext) good = clientTLS("cacert.pem", "client");
    g_autoptr(vkRpcTLSContext) intruder = clientTLS("cacert.pem", "intruder");
    g_autoptr(vkRpcTLSContext) anonymous = clientTLS("cacert.pem", NULL);
    g_autoptr(vkRpcTLSContext) otherCA = clientTLS("othercacert.pem", "client");

    /* the server's certificate names localhost and 127.0.0.1, not this */
    g_assert_null(vkRpcClientNewTCP("127.0.0.1", tlsPort, good, "elsewhere.example"));
    assertLastError(VIR_ERR_AUTH_FAILED, "Failed to verify peer's certificate");
    /* a server signed by a CA we do not trust */
    g_assert_null(vkRpcClientNewTCP("127.0.0.1", tlsPort, otherCA, "localhost"));
    assertLastError(VIR_ERR_AUTH_FAILED, "Failed to verify peer's certificate");
    /* libvirtd refuses a DN not on tls_allowed_dn_list, and a client without certificate: it
     * closes without the confirmation byte */
    g_assert_null(vkRpcClientNewTCP("127.0.0.1", tlsPort, intruder, "localhost"));
    g_assert_true(vkHasError());
    vkResetLastError();
    g_assert_null(vkRpcClientNewTCP("127.0.0.1", tlsPort, anonymous, "localhost"));
    g_assert_true(vkHasError());
    vkResetLastError();
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    sockDir = g_getenv("VKTEST_LIBVIRTD_SOCKDIR");
    tlsDir = g_getenv("VKTEST_TLS_DIR");
    tlsPort = g_getenv("VKTEST_TLS_PORT");
    if (!sockDir) {
        g_test_skip("run through rpc-libvirtd.sh");
        return g_test_run();
    }
    g_test_add_func("/libvirtd/session", testSession);
    g_test_add_func("/libvirtd/unknown-procedure", testUnknownProcedure);
    g_test_add_func("/libvirtd/pipelined", testPipelined);
    g_test_add_func("/libvirtd/keepalive", testKeepalive);
    g_test_add_func("/libvirtd/events", testEvents);
    g_test_add_func("/libvirtd/read-only", testReadOnly);
    if (tlsDir && tlsPort) {
        g_test_add_func("/libvirtd/tls/session", testTLS);
        g_test_add_func("/libvirtd/tls/refusals", testTLSRefusals);
    }
    return g_test_run();
}

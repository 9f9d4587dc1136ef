/* virtkitd on the wire, as a raw client sees it: the preamble stock clients send, calls before
 * and after CONNECT_OPEN, the URIs it maps, unknown programs and procedures, the read-only
 * allowlist for every procedure (checked before anything is decoded), pipelined calls answered
 * by serial, and CONNECT_CLOSE. */
#include "daemon_dispatch.h"
#include "daemontestutil.h"
#include "util/vkfile.h"

#define ERR_INTERNAL VIR_ERR_INTERNAL_ERROR

static TestDaemon *daemon_;

static void testPreamble(void)
{
    int fd = rawConnect(daemon_->rw);
    vkr_auth_list_ret auth = { 0 };
    vkr_connect_supports_feature_args feat = { 10 };
    vkr_connect_supports_feature_ret sup = { 0 };
    const struct {
        int feature;
        int supported;
    } features[] = { { 9, 1 }, { 14, 1 }, { 15, 1 }, { 4, 0 }, { 6, 1 },
                     { 7, 1 }, { 12, 1 }, { 13, 1 }, { 99, 0 } };

    assertReplyOk(rawCall(fd, VKR_PROC_AUTH_LIST, 1, NULL, NULL), (xdrproc_t)xdr_vkr_auth_list_ret,
                  &auth, sizeof(auth));
    g_assert_cmpint(auth.types.types_len, ==, 1);
    g_assert_cmpint(auth.types.types_val[0], ==, VKR_AUTH_NONE);
    vkRpcXdrFree((xdrproc_t)xdr_vkr_auth_list_ret, &auth, sizeof(auth));

    /* keepalive is asked before the connection exists; anything else needs it */
    assertReplyOk(rawCall(fd, VKR_PROC_CONNECT_SUPPORTS_FEATURE, 2,
                          (xdrproc_t)xdr_vkr_connect_supports_feature_args, &feat),
                  (xdrproc_t)xdr_vkr_connect_supports_feature_ret, &sup, sizeof(sup));
    g_assert_cmpint(sup.supported, ==, 1);
    feat.feature = 14;
    assertReplyError(rawCall(fd, VKR_PROC_CONNECT_SUPPORTS_FEATURE, 3,
                             (xdrproc_t)xdr_vkr_connect_supports_feature_args, &feat),
                     ERR_INTERNAL, VIR_FROM_RPC, "internal error: hypervisor connection not open");

    rawOpen(fd, 0);
    for (guint i = 0; i < G_N_ELEMENTS(features); i++) {
        feat.feature = features[i].feature;
        assertReplyOk(rawCall(fd, VKR_PROC_CONNECT_SUPPORTS_FEATURE, 10 + i,
                              (xdrproc_t)xdr_vkr_connect_supports_feature_args, &feat),
                      (xdrproc_t)xdr_vkr_connect_supports_feature_ret, &sup, sizeof(sup));
        g_assert_cmpint(sup.supported, ==, features[i].supported);
    }
    assertReplyOk(rawCall(fd, VKR_PROC_CONNECT_REGISTER_CLOSE_CALLBACK, 30, NULL, NULL), NULL, NULL,
                  0);
    assertReplyOk(rawCall(fd, VKR_PROC_CONNECT_UNREGISTER_CLOSE_CALLBACK, 31, NULL, NULL), NULL,
                  NULL, 0);
    close(fd);
}

static void testNotOpen(void)
{
    int fd = rawConnect(daemon_->rw);
    vkr_domain_lookup_by_name_args dargs = { (char *)"x" };
    vkr_network_lookup_by_name_args nargs = { (char *)"x" };

    assertReplyError(rawCall(fd, VKR_PROC_DOMAIN_LOOKUP_BY_NAME, 1,
                             (xdrproc_t)xdr_vkr_domain_lookup_by_name_args, &dargs),
                     ERR_INTERNAL, VIR_FROM_RPC, "internal error: hypervisor connection not open");
    assertReplyError(rawCall(fd, VKR_PROC_NETWORK_LOOKUP_BY_NAME, 2,
                             (xdrproc_t)xdr_vkr_network_lookup_by_name_args, &nargs),
                     ERR_INTERNAL, VIR_FROM_RPC, "internal error: connection not open");
    {
        /* the flags are the client's remote driver's own (per-user socket 2, autostart 4):
         * ignored, as libvirtd ignores them; the connection is read-write */
        char *name = (char *)"qemu:///system";
        vkr_connect_open_args args = { &name, 6 };
        vkr_domain_define_xml_args def = { (char *)"<bad" };

        assertReplyOk(
            rawCall(fd, VKR_PROC_CONNECT_OPEN, 5, (xdrproc_t)xdr_vkr_connect_open_args, &args),
            NULL, NULL, 0);
        /* not refused as read-only: the XML is what fails */
        assertReplyCode(rawCall(fd, VKR_PROC_DOMAIN_DEFINE_XML, 6,
                                (xdrproc_t)xdr_vkr_domain_define_xml_args, &def),
                        VIR_ERR_XML_DETAIL);
        close(fd);
        fd = rawConnect(daemon_->rw);
    }
    rawOpen(fd, 0);
    {
        char *name = (char *)"qemu:///system";
        vkr_connect_open_args args = { &name, 0 };
        assertReplyError(
            rawCall(fd, VKR_PROC_CONNECT_OPEN, 3, (xdrproc_t)xdr_vkr_connect_open_args, &args),
            ERR_INTERNAL, VIR_FROM_RPC, "internal error: connection already open");
    }
    close(fd);
}

/* What CONNECT_OPEN of NAME answers, and CONNECT_GET_URI / CONNECT_GET_TYPE after it. */
static void openAs(const char *name, const char *error, int code, int domain, const char *type)
{
    int fd = rawConnect(daemon_->rw);
    char *n = (char *)name;
    vkr_connect_open_args args = { name ? &n : NULL, 0 };
    vkRpcMessage *reply =
        rawCall(fd, VKR_PROC_CONNECT_OPEN, 1, (xdrproc_t)xdr_vkr_connect_open_args, &args);

    if (error) {
        assertReplyError(reply, code, domain, error);
    } else {
        vkr_connect_get_type_ret t = { 0 };
        vkr_connect_get_uri_ret u = { 0 };
        assertReplyOk(reply, NULL, NULL, 0);
        assertReplyOk(rawCall(fd, VKR_PROC_CONNECT_GET_TYPE, 2, NULL, NULL),
                      (xdrproc_t)xdr_vkr_connect_get_type_ret, &t, sizeof(t));
        g_assert_cmpstr(t.type, ==, type);
        assertReplyOk(rawCall(fd, VKR_PROC_CONNECT_GET_URI, 3, NULL, NULL),
                      (xdrproc_t)xdr_vkr_connect_get_uri_ret, &u, sizeof(u));
        /* the client sees the URI it asked for, never the root behind it */
        g_assert_cmpstr(u.uri, ==, name && *name ? name : "qemu:///system");
        vkRpcXdrFree((xdrproc_t)xdr_vkr_connect_get_type_ret, &t, sizeof(t));
        vkRpcXdrFree((xdrproc_t)xdr_vkr_connect_get_uri_ret, &u, sizeof(u));
    }
    close(fd);
}

static void testOpenURIs(void)
{
    openAs("qemu:///system", NULL, 0, 0, "QEMU");
    openAs("qemu:///session", NULL, 0, 0, "QEMU");
    openAs(NULL, NULL, 0, 0, "QEMU");
    openAs("test:///default", NULL, 0, 0, "TEST");
    /* no client reaches another root through the daemon */
    openAs("qemu:///embed?root=/tmp",
           "internal error: unexpected qemu URI path '/embed', try "
           "qemu:///system",
           ERR_INTERNAL, VIR_FROM_QEMU, NULL);
    openAs("qemu:///system?root=/tmp",
           "internal error: unexpected qemu URI path '/system', try "
           "qemu:///system",
           ERR_INTERNAL, VIR_FROM_QEMU, NULL);
    openAs("xen:///system", "no connection driver available for xen:///system", VIR_ERR_NO_CONNECT,
           VIR_FROM_NONE, NULL);
}

static void expectUnknown(int fd, guint32 prog, int proc, guint32 serial, const char *message)
{
    rawSend(fd, vkRpcMessageNewCall(prog, 1, proc, serial, NULL, NULL));
    assertReplyError(rawReply(fd, serial), VIR_ERR_RPC, VIR_FROM_RPC, message);
}

static void testUnknown(void)
{
    int fd = rawConnect(daemon_->rw);
    const int procs[] = { 0, -1, 8, 443, 444, 5000 };

    rawOpen(fd, 0);
    for (guint i = 0; i < G_N_ELEMENTS(procs); i++) {
        g_autofree char *msg = g_strdup_printf("unknown procedure: %d", procs[i]);
        expectUnknown(fd, VKR_PROGRAM, procs[i], 10 + i, msg);
    }
    /* events are sent by the daemon, never called */
    expectUnknown(fd, VKR_PROGRAM, VKR_PROC_DOMAIN_EVENT_CALLBACK_LIFECYCLE, 20,
                  "unknown procedure: 318");
    expectUnknown(fd, 0x12345, 1, 21, "Cannot find program 74565 version 1");
    rawSend(fd, vkRpcMessageNewCall(VKR_PROGRAM, 2, VKR_PROC_AUTH_LIST, 22, NULL, NULL));
    assertReplyError(rawReply(fd, 22), VIR_ERR_RPC, VIR_FROM_RPC,
                     "Cannot find program 536903814 version 2");
    /* still served after all that */
    assertReplyOk(rawCall(fd, VKR_PROC_CONNECT_GET_LIB_VERSION, 23, NULL, NULL), NULL, NULL, 0);
    close(fd);
}

/* Every procedure virtkit speaks that changes something is refused on a read-only connection,
 * before its body is looked at: the calls below carry bytes no codec accepts. */
static guint checkReadonlyProgram(int fd, const vkRpcProgram *prog, const char *how,
                                  guint32 *serial)
{
    static const guint8 junk[] = { 0xff, 0xff, 0xff };
    guint checked = 0;

    for (size_t i = 0; i < prog->nprocs; i++) {
        const vkRpcProc *rpc = &prog->procs[i];
        const vkDaemonProc *row = vkDaemonProcLookup(prog, rpc->proc);
        vkrpc_header h = { prog->prog, prog->vers, rpc->proc, VKRPC_CALL, (*serial)++, VKRPC_OK };
        g_autofree char *expect = NULL;

        if (rpc->flags & (VK_RPC_PROC_READONLY | VK_RPC_PROC_EVENT))
            continue;
        rawSend(fd, vkRpcMessageEncodeRaw(&h, junk, sizeof(junk)));
        if (!row) {
            expect = g_strdup_printf("unknown procedure: %d", rpc->proc);
            assertReplyError(rawReply(fd, h.serial), VIR_ERR_RPC, VIR_FROM_RPC, expect);
            continue;
        }
        g_assert_nonnull(row->api);
        expect = g_strdup_printf("operation forbidden: read only access prevents %s", row->api);
        g_test_message("%s: %s", how, rpc->name);
        assertReplyError(rawReply(fd, h.serial), VIR_ERR_OPERATION_DENIED, row->errDomain, expect);
        checked++;
    }
    return checked;
}

static void checkReadonly(int fd, const char *how)
{
    guint32 serial = 100;

    g_assert_cmpuint(checkReadonlyProgram(fd, &vkRpcRemoteProgram, how, &serial), >, 20);
    /* QEMU's program: the monitor command */
    g_assert_cmpuint(checkReadonlyProgram(fd, &vkRpcQemuProgram, how, &serial), ==, 1);
}

static void testReadonlySocket(void)
{
    int fd = rawConnect(daemon_->ro);

    rawOpen(fd, 0);
    checkReadonly(fd, "read-only socket");
    close(fd);
}

static void testReadonlyAsked(void)
{
    int fd = rawConnect(daemon_->rw);

    rawOpen(fd, VIR_CONNECT_RO);
    checkReadonly(fd, "read-only open on the read-write socket");
    close(fd);
}

/* The daemon's refusal reads exactly as the public API's own on a read-only connection. */
static void testReadonlySameAsLibrary(void)
{
    g_autofree char *uri = g_strdup_printf("qemu:///embed?root=%s", daemon_->root);
    virConnectPtr conn = virConnectOpenReadOnly(uri);
    int fd = rawConnect(daemon_->ro);
    const char *xml = "<network><name>n</name></network>";
    vkr_network_define_xml_args args = { (char *)xml };
    virNetworkPtr net;

    g_assert_nonnull(conn);
    rawOpen(fd, 0);
    net = virNetworkDefineXML(conn, xml);
    g_assert_null(net);
    assertReplyError(rawCall(fd, VKR_PROC_NETWORK_DEFINE_XML, 2,
                             (xdrproc_t)xdr_vkr_network_define_xml_args, &args),
                     virGetLastErrorCode(), virGetLastErrorDomain(), virGetLastErrorMessage());
    virConnectClose(conn);
    close(fd);
}

static void testListLimits(void)
{
    int fd = rawConnect(daemon_->rw);
    vkr_connect_list_domains_args ids = { -1 };
    vkr_connect_list_defined_networks_args names = { 16385 };

    rawOpen(fd, 0);
    assertReplyError(rawCall(fd, VKR_PROC_CONNECT_LIST_DOMAINS, 2,
                             (xdrproc_t)xdr_vkr_connect_list_domains_args, &ids),
                     VIR_ERR_RPC, VIR_FROM_RPC, "maxids must be non-negative");
    assertReplyError(rawCall(fd, VKR_PROC_CONNECT_LIST_DEFINED_NETWORKS, 3,
                             (xdrproc_t)xdr_vkr_connect_list_defined_networks_args, &names),
                     VIR_ERR_RPC, VIR_FROM_RPC, "maxnames > REMOTE_NETWORK_LIST_MAX");
    close(fd);
}

/* Many calls in flight at once, quick and slow: each answered once, by its serial. */
static void testPipelined(void)
{
    int fd = rawConnect(daemon_->rw);
    const guint n = 40;
    g_autofree gboolean *seen = g_new0(gboolean, n);
    vkr_domain_lookup_by_name_args missing = { (char *)"missing" };

    rawOpen(fd, 0);
    for (guint i = 0; i < n; i++) {
        guint32 serial = 1000 + i;
        switch (i % 4) {
        case 0:
            rawSend(fd, vkRpcMessageNewCall(
                            VKR_PROGRAM, VKR_VERSION, VKR_PROC_DOMAIN_LOOKUP_BY_NAME, serial,
                            (xdrproc_t)xdr_vkr_domain_lookup_by_name_args, &missing));
            break;
        case 1:
            rawSend(fd, vkRpcMessageNewCall(VKR_PROGRAM, VKR_VERSION,
                                            VKR_PROC_CONNECT_GET_CAPABILITIES, serial, NULL, NULL));
            break;
        case 2:
            rawSend(fd, vkRpcMessageNewCall(VKR_PROGRAM, VKR_VERSION,
                                            VKR_PROC_CONNECT_GET_LIB_VERSION, serial, NULL, NULL));
            break;
        default:
            rawSend(fd,
                    vkRpcMessageNewCall(VKR_PROGRAM, VKR_VERSION, VKR_PROC_CONNECT_LIST_ALL_DOMAINS,
                                        serial, (xdrproc_t)xdr_vkr_connect_list_all_domains_args,
                                        &(vkr_connect_list_all_domains_args){ 1, 0 }));
            break;
        }
    }
    for (guint i = 0; i < n; i++) {
        g_autoptr(vkRpcMessage) reply = rawRecv(fd, 60000);
        guint idx;

        g_assert_nonnull(reply);
        g_assert_cmpint(reply->header.type, ==, VKRPC_REPLY);
        idx = reply->header.serial - 1000;
        g_assert_cmpuint(idx, <, n);
        g_assert_false(seen[idx]);
        seen[idx] = TRUE;
        g_assert_cmpint(reply->header.proc, ==,
                        idx % 4 == 0   ? VKR_PROC_DOMAIN_LOOKUP_BY_NAME
                        : idx % 4 == 1 ? VKR_PROC_CONNECT_GET_CAPABILITIES
                        : idx % 4 == 2 ? VKR_PROC_CONNECT_GET_LIB_VERSION
                                       : VKR_PROC_CONNECT_LIST_ALL_DOMAINS);
        g_assert_cmpint(reply->header.status, ==, idx % 4 == 0 ? VKRPC_ERROR : VKRPC_OK);
    }
    close(fd);
}

/* A lifecycle callback: its events come as MESSAGE frames with the callback's id; other kinds
 * and unknown ids are refused as libvirtd refuses them; a client that leaves with callbacks
 * registered leaves nothing behind (the daemon's clean exit checks). */
static void testEvents(void)
{
    int fd = rawConnect(daemon_->rw);
    vkr_connect_domain_event_callback_register_any_args reg = { 0, NULL };
    vkr_connect_domain_event_callback_register_any_ret id = { -1 };
    vkr_connect_domain_event_callback_deregister_any_args dereg = { 99 };
    vkr_connect_network_event_register_any_args nreg = { 0, NULL };
    vkr_connect_network_event_register_any_ret nid = { -1 };
    vkr_domain_define_xml_args def = { (
        char *)"<domain type='qemu'><name>evtest</name><memory>65536</memory>"
               "<os><type arch='x86_64'>hvm</type></os></domain>" };
    vkr_domain_event_callback_lifecycle_msg ev = { 0 };
    vkRpcMessage *msg;

    rawOpen(fd, 0);
    assertReplyOk(rawCall(fd, VKR_PROC_CONNECT_DOMAIN_EVENT_CALLBACK_REGISTER_ANY, 2,
                          (xdrproc_t)xdr_vkr_connect_domain_event_callback_register_any_args, &reg),
                  (xdrproc_t)xdr_vkr_connect_domain_event_callback_register_any_ret, &id,
                  sizeof(id));
    g_assert_cmpint(id.callback_id, >=, 0);
    reg.event_id = 1;
    assertReplyError(
        rawCall(fd, VKR_PROC_CONNECT_DOMAIN_EVENT_CALLBACK_REGISTER_ANY, 3,
                (xdrproc_t)xdr_vkr_connect_domain_event_callback_register_any_args, &reg),
        VIR_ERR_INTERNAL_ERROR, VIR_FROM_RPC, "internal error: unsupported event ID 1");
    assertReplyError(rawCall(fd, VKR_PROC_CONNECT_DOMAIN_EVENT_CALLBACK_DEREGISTER_ANY, 4,
                             (xdrproc_t)xdr_vkr_connect_domain_event_callback_deregister_any_args,
                             &dereg),
                     VIR_ERR_INTERNAL_ERROR, VIR_FROM_RPC,
                     "internal error: domain event callback 99 not registered");
    assertReplyOk(rawCall(fd, VKR_PROC_CONNECT_NETWORK_EVENT_REGISTER_ANY, 5,
                          (xdrproc_t)xdr_vkr_connect_network_event_register_any_args, &nreg),
                  (xdrproc_t)xdr_vkr_connect_network_event_register_any_ret, &nid, sizeof(nid));

    rawSend(fd, vkRpcMessageNewCall(VKR_PROGRAM, VKR_VERSION, VKR_PROC_DOMAIN_DEFINE_XML, 6,
                                    (xdrproc_t)xdr_vkr_domain_define_xml_args, &def));
    while ((msg = rawRecv(fd, 60000)) && msg->header.type != VKRPC_MESSAGE)
        vkRpcMessageFree(msg);
    g_assert_nonnull(msg);
    g_assert_cmpint(msg->header.proc, ==, VKR_PROC_DOMAIN_EVENT_CALLBACK_LIFECYCLE);
    g_assert_cmpint(msg->header.serial, ==, 1);
    g_assert_cmpint(msg->header.status, ==, VKRPC_OK);
    g_assert_cmpint(vkRpcMessageDecodeBody(msg,
                                           (xdrproc_t)xdr_vkr_domain_event_callback_lifecycle_msg,
                                           &ev, sizeof(ev)),
                    ==, 0);
    g_assert_cmpint(ev.callback_id, ==, id.callback_id);
    g_assert_cmpstr(ev.msg.dom.name, ==, "evtest");
    g_assert_cmpint(ev.msg.event, ==, VIR_DOMAIN_EVENT_DEFINED);
    g_assert_cmpint(ev.msg.detail, ==, VIR_DOMAIN_EVENT_DEFINED_ADDED);
    vkRpcXdrFree((xdrproc_t)xdr_vkr_domain_event_callback_lifecycle_msg, &ev, sizeof(ev));
    vkRpcMessageFree(msg);

    dereg.callback_id = id.callback_id;
    assertReplyOk(rawCall(fd, VKR_PROC_CONNECT_DOMAIN_EVENT_CALLBACK_DEREGISTER_ANY, 7,
                          (xdrproc_t)xdr_vkr_connect_domain_event_callback_deregister_any_args,
                          &dereg),
                  NULL, NULL, 0);
    {
        vkr_domain_lookup_by_name_args look = { (char *)"evtest" };
        vkr_domain_lookup_by_name_ret dom = { 0 };
        assertReplyOk(rawCall(fd, VKR_PROC_DOMAIN_LOOKUP_BY_NAME, 8,
                              (xdrproc_t)xdr_vkr_domain_lookup_by_name_args, &look),
                      (xdrproc_t)xdr_vkr_domain_lookup_by_name_ret, &dom, sizeof(dom));
        assertReplyOk(
            rawCall(fd, VKR_PROC_DOMAIN_UNDEFINE, 9, (xdrproc_t)xdr_vkr_domain_args, &dom.dom),
            NULL, NULL, 0);
        vkRpcXdrFree((xdrproc_t)xdr_vkr_domain_lookup_by_name_ret, &dom, sizeof(dom));
    }
    /* leaves with the network callback still registered */
    close(fd);
}

/* A call that blocks (here on the domain's lock, held by another process as a long start
 * would) holds up neither the same client's later calls, answered first, nor other clients. */
static void testSlowCall(void)
{
    int a = rawConnect(daemon_->rw), b;
    g_autofree char *lockDir = g_build_filename(daemon_->root, "run", "qemu", NULL);
    vkr_domain_define_xml_args def = { (
        char *)"<domain type='qemu'><name>slow</name><memory>65536</memory>"
               "<os><type arch='x86_64'>hvm</type></os></domain>" };
    vkr_domain_define_xml_ret dom = { 0 };
    vkr_domain_set_autostart_args autostart = { { 0 }, 1 };
    vkr_domain_lookup_by_name_args look = { (char *)"slow" };
    vkFileLock *lock;
    vkRpcMessage *msg;

    rawOpen(a, 0);
    assertReplyOk(
        rawCall(a, VKR_PROC_DOMAIN_DEFINE_XML, 2, (xdrproc_t)xdr_vkr_domain_define_xml_args, &def),
        (xdrproc_t)xdr_vkr_domain_define_xml_ret, &dom, sizeof(dom));
    lock = vkFileLockAcquire(lockDir, "slow");
    g_assert_nonnull(lock);

    autostart.dom = dom.dom;
    rawSend(a, vkRpcMessageNewCall(VKR_PROGRAM, VKR_VERSION, VKR_PROC_DOMAIN_SET_AUTOSTART, 10,
                                   (xdrproc_t)xdr_vkr_domain_set_autostart_args, &autostart));
    rawSend(a, vkRpcMessageNewCall(VKR_PROGRAM, VKR_VERSION, VKR_PROC_DOMAIN_LOOKUP_BY_NAME, 11,
                                   (xdrproc_t)xdr_vkr_domain_lookup_by_name_args, &look));
    rawSend(a, vkRpcMessageNewCall(VKR_PROGRAM, VKR_VERSION, VKR_PROC_CONNECT_GET_LIB_VERSION, 12,
                                   NULL, NULL));
    /* the later calls are answered, in whichever order, while the first still waits */
    {
        gboolean seen[2] = { FALSE, FALSE };
        for (int i = 0; i < 2; i++) {
            msg = rawRecv(a, 60000);
            g_assert_nonnull(msg);
            g_assert_true(msg->header.serial == 11 || msg->header.serial == 12);
            g_assert_false(seen[msg->header.serial - 11]);
            seen[msg->header.serial - 11] = TRUE;
            g_assert_cmpint(msg->header.status, ==, VKRPC_OK);
            vkRpcMessageFree(msg);
        }
    }
    /* and another client is served from start to end */
    b = rawConnect(daemon_->rw);
    rawOpen(b, 0);
    assertReplyOk(rawCall(b, VKR_PROC_CONNECT_LIST_ALL_DOMAINS, 2,
                          (xdrproc_t)xdr_vkr_connect_list_all_domains_args,
                          &(vkr_connect_list_all_domains_args){ 1, 0 }),
                  NULL, NULL, 0);
    close(b);

    vkFileLockRelease(lock);
    assertReplyOk(rawReply(a, 10), NULL, NULL, 0);
    assertReplyOk(
        rawCall(a, VKR_PROC_DOMAIN_UNDEFINE, 13, (xdrproc_t)xdr_vkr_domain_args, &dom.dom), NULL,
        NULL, 0);
    vkRpcXdrFree((xdrproc_t)xdr_vkr_domain_define_xml_ret, &dom, sizeof(dom));
    close(a);
}

static void testClose(void)
{
    int fd = rawConnect(daemon_->rw);

    rawOpen(fd, 0);
    assertReplyOk(rawCall(fd, VKR_PROC_CONNECT_CLOSE, 2, NULL, NULL), NULL, NULL, 0);
    /* libvirtd hangs up after answering */
    g_assert_true(rawClosed(fd, 20000));
    close(fd);
}

int main(int argc, char **argv)
{
    int rc;

    g_test_init(&argc, &argv, NULL);
    if (!g_getenv("VIRTKITD")) {
        g_test_skip("VIRTKITD is not set");
        return g_test_run();
    }
    daemon_ = testDaemonStart(NULL);
    g_test_add_func("/daemon/wire/preamble", testPreamble);
    g_test_add_func("/daemon/wire/not-open", testNotOpen);
    g_test_add_func("/daemon/wire/open-uris", testOpenURIs);
    g_test_add_func("/daemon/wire/unknown", testUnknown);
    g_test_add_func("/daemon/wire/readonly-socket", testReadonlySocket);
    g_test_add_func("/daemon/wire/readonly-asked", testReadonlyAsked);
    g_test_add_func("/daemon/wire/readonly-as-library", testReadonlySameAsLibrary);
    g_test_add_func("/daemon/wire/list-limits", testListLimits);
    g_test_add_func("/daemon/wire/pipelined", testPipelined);
    g_test_add_func("/daemon/wire/events", testEvents);
    g_test_add_func("/daemon/wire/slow-call", testSlowCall);
    g_test_add_func("/daemon/wire/close", testClose);
    rc = g_test_run();
    testDaemonStop(daemon_);
    return rc;
}

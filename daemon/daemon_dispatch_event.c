/* Event registrations: a client's callback is one library callback on its connection, whose
 * events go out as MESSAGE frames (DOMAIN_EVENT_CALLBACK_LIFECYCLE, NETWORK_EVENT_LIFECYCLE,
 * STORAGE_POOL_EVENT_LIFECYCLE and _REFRESH) with the id the library gave. Registering runs in the
 * main loop, where the library delivers events, so a callback is complete before its first event; a
 * client that goes away has its callbacks removed there too. */
#include "daemon_dispatch_priv.h"

#define EVENTS_KEY "vk-daemon-events"

typedef enum { REG_DOMAIN, REG_NETWORK, REG_POOL, REG_COUNT } RegKind;

/* One registration; the library owns it (freed by its free callback) once registered. */
typedef struct {
    vkDaemonClient *client; /* a reference: the library may call until it frees us */
    RegKind kind;
    int callbackID; /* -1 until registered */
    gboolean dead;  /* deregistered; an event already queued may still come */
} Reg;

static void regFree(void *opaque)
{
    Reg *reg = opaque;

    vkDaemonClientUnref(reg->client);
    g_free(reg);
}

/* A client's registrations by callback id, one table per kind (the library numbers each kind
 * on its own); main loop only. */
typedef struct {
    virConnectPtr conn;          /* a reference, for deregistering when the client goes */
    GHashTable *regs[REG_COUNT]; /* RegKind -> (id -> Reg, the library's) */
} Events;

static int libraryDeregister(virConnectPtr conn, RegKind kind, int callbackID)
{
    if (kind == REG_DOMAIN)
        return virConnectDomainEventDeregisterAny(conn, callbackID);
    if (kind == REG_NETWORK)
        return virConnectNetworkEventDeregisterAny(conn, callbackID);
    return virConnectStoragePoolEventDeregisterAny(conn, callbackID);
}

static void eventsFree(gpointer data)
{
    Events *ev = data;

    for (int kind = 0; kind < REG_COUNT; kind++) {
        GHashTableIter iter;
        gpointer value;

        g_hash_table_iter_init(&iter, ev->regs[kind]);
        while (g_hash_table_iter_next(&iter, NULL, &value)) {
            Reg *reg = value;
            reg->dead = TRUE;
            libraryDeregister(ev->conn, kind, reg->callbackID);
        }
        g_hash_table_unref(ev->regs[kind]);
    }
    vkResetLastError();
    vkConnectUnref(ev->conn);
    g_free(ev);
}

static Events *eventsOf(vkDaemonClient *client, virConnectPtr conn)
{
    Events *ev = vkDaemonClientGetPrivate(client, EVENTS_KEY);

    if (!ev) {
        ev = g_new0(Events, 1);
        vkConnectRef(conn);
        ev->conn = conn;
        for (int kind = 0; kind < REG_COUNT; kind++)
            ev->regs[kind] = g_hash_table_new(NULL, NULL);
        if (!vkDaemonClientSetPrivate(client, EVENTS_KEY, ev, eventsFree))
            return NULL;
    }
    return ev;
}

static void relay(Reg *reg, int proc, xdrproc_t codec, const void *msg)
{
    if (reg->callbackID < 0 || reg->dead)
        return;
    if (vkDaemonClientSend(reg->client,
                           vkRpcMessageNewEvent(VKR_PROGRAM, VKR_VERSION, proc, codec, msg)) < 0)
        vkResetLastError(); /* the client is going: its close removes the callback */
}

static int relayDomainLifecycle(virConnectPtr conn, virDomainPtr dom, int event, int detail,
                                void *opaque)
{
    Reg *reg = opaque;
    vkr_domain_event_callback_lifecycle_msg msg = { reg->callbackID, { { 0 }, event, detail } };

    vkDaemonDomainToWire(dom, &msg.msg.dom);
    relay(reg, VKR_PROC_DOMAIN_EVENT_CALLBACK_LIFECYCLE,
          (xdrproc_t)xdr_vkr_domain_event_callback_lifecycle_msg, &msg);
    g_free(msg.msg.dom.name);
    return 0;
}

static void relayNetworkLifecycle(virConnectPtr conn, virNetworkPtr net, int event, int detail,
                                  void *opaque)
{
    Reg *reg = opaque;
    vkr_network_event_lifecycle_msg msg = { reg->callbackID, { 0 }, event, detail };

    vkDaemonNetworkToWire(net, &msg.net);
    relay(reg, VKR_PROC_NETWORK_EVENT_LIFECYCLE, (xdrproc_t)xdr_vkr_network_event_lifecycle_msg,
          &msg);
    g_free(msg.net.name);
}

static void relayPoolLifecycle(virConnectPtr conn, virStoragePoolPtr pool, int event, int detail,
                               void *opaque)
{
    Reg *reg = opaque;
    vkr_storage_pool_event_lifecycle_msg msg = { reg->callbackID, { 0 }, event, detail };

    vkDaemonPoolToWire(pool, &msg.pool);
    relay(reg, VKR_PROC_STORAGE_POOL_EVENT_LIFECYCLE,
          (xdrproc_t)xdr_vkr_storage_pool_event_lifecycle_msg, &msg);
    g_free(msg.pool.name);
}

static void relayPoolRefresh(virConnectPtr conn, virStoragePoolPtr pool, void *opaque)
{
    Reg *reg = opaque;
    vkr_storage_pool_event_refresh_msg msg = { reg->callbackID, { 0 } };

    vkDaemonPoolToWire(pool, &msg.pool);
    relay(reg, VKR_PROC_STORAGE_POOL_EVENT_REFRESH,
          (xdrproc_t)xdr_vkr_storage_pool_event_refresh_msg, &msg);
    g_free(msg.pool.name);
}

/* Registers REG (taken) for EVENTID on CONN through the library; returns the id or -1. */
static int registerReg(vkDaemonCall *call, virConnectPtr conn, Reg *reg, int eventID,
                       virDomainPtr dom, virNetworkPtr net, virStoragePoolPtr pool)
{
    Events *ev = eventsOf(call->client, conn);
    int id;

    if (!ev) {
        regFree(reg);
        vkReportError(VIR_FROM_RPC, VIR_ERR_INTERNAL_ERROR, "%s", "client socket is closed");
        return -1;
    }
    if (reg->kind == REG_DOMAIN)
        id = virConnectDomainEventRegisterAny(
            conn, dom, eventID, VIR_DOMAIN_EVENT_CALLBACK(relayDomainLifecycle), reg, regFree);
    else if (reg->kind == REG_NETWORK)
        id = virConnectNetworkEventRegisterAny(
            conn, net, eventID, VIR_NETWORK_EVENT_CALLBACK(relayNetworkLifecycle), reg, regFree);
    else
        id = virConnectStoragePoolEventRegisterAny(
            conn, pool, eventID,
            eventID == VIR_STORAGE_POOL_EVENT_ID_LIFECYCLE
                ? VIR_STORAGE_POOL_EVENT_CALLBACK(relayPoolLifecycle)
                : relayPoolRefresh,
            reg, regFree);
    if (id < 0) {
        regFree(reg);
        return -1;
    }
    reg->callbackID = id;
    g_hash_table_insert(ev->regs[reg->kind], GINT_TO_POINTER(id), reg);
    return id;
}

static Reg *regNew(vkDaemonCall *call, RegKind kind)
{
    Reg *reg = g_new0(Reg, 1);

    reg->client = vkDaemonClientRef(call->client);
    reg->kind = kind;
    reg->callbackID = -1;
    return reg;
}

/* virtkitd forwards the lifecycle events, the ones the library emits; asking for another kind
 * fails as libvirtd does for one it does not know (virsh event --all ignores that). */
static int unsupportedID(int eventID)
{
    vkReportError(VIR_FROM_RPC, VIR_ERR_INTERNAL_ERROR, "unsupported event ID %d", eventID);
    return -1;
}

static int domainRegister(vkDaemonCall *call,
                          vkr_connect_domain_event_callback_register_any_args *args,
                          vkr_connect_domain_event_callback_register_any_ret *ret)
{
    g_autoptr(virDomain) dom = NULL;

    CALL_CONN(call);
    if (args->dom)
        dom = vkDaemonDomainFromWire(conn, args->dom);
    if (args->event_id != VIR_DOMAIN_EVENT_ID_LIFECYCLE)
        return unsupportedID(args->event_id);
    ret->callback_id =
        registerReg(call, conn, regNew(call, REG_DOMAIN), args->event_id, dom, NULL, NULL);
    return ret->callback_id < 0 ? -1 : 0;
}

static int networkRegister(vkDaemonCall *call, vkr_connect_network_event_register_any_args *args,
                           vkr_connect_network_event_register_any_ret *ret)
{
    g_autoptr(virNetwork) net = NULL;

    CALL_SECONDARY_CONN(call);
    if (args->net)
        net = vkDaemonNetworkFromWire(conn, args->net);
    if (args->event_id != VIR_NETWORK_EVENT_ID_LIFECYCLE)
        return unsupportedID(args->event_id);
    ret->callback_id =
        registerReg(call, conn, regNew(call, REG_NETWORK), args->event_id, NULL, net, NULL);
    return ret->callback_id < 0 ? -1 : 0;
}

static int poolRegister(vkDaemonCall *call, vkr_connect_storage_pool_event_register_any_args *args,
                        vkr_connect_storage_pool_event_register_any_ret *ret)
{
    g_autoptr(virStoragePool) pool = NULL;

    CALL_SECONDARY_CONN(call);
    if (args->pool)
        pool = vkDaemonPoolFromWire(conn, args->pool);
    if (args->event_id != VIR_STORAGE_POOL_EVENT_ID_LIFECYCLE &&
        args->event_id != VIR_STORAGE_POOL_EVENT_ID_REFRESH)
        return unsupportedID(args->event_id);
    ret->callback_id =
        registerReg(call, conn, regNew(call, REG_POOL), args->event_id, NULL, NULL, pool);
    return ret->callback_id < 0 ? -1 : 0;
}

static int deregister(vkDaemonCall *call, RegKind kind, int callbackID, const char *what)
{
    Events *ev = vkDaemonClientGetPrivate(call->client, EVENTS_KEY);
    Reg *reg = ev ? g_hash_table_lookup(ev->regs[kind], GINT_TO_POINTER(callbackID)) : NULL;
    int rc;

    if (!reg) {
        vkReportError(VIR_FROM_RPC, VIR_ERR_INTERNAL_ERROR, "%s event callback %d not registered",
                      what, callbackID);
        return -1;
    }
    g_hash_table_remove(ev->regs[kind], GINT_TO_POINTER(callbackID));
    reg->dead = TRUE;
    /* the library frees REG now or once an event in delivery is done with it */
    rc = libraryDeregister(ev->conn, kind, callbackID);
    return rc < 0 ? -1 : 0;
}

static int domainDeregister(vkDaemonCall *call,
                            vkr_connect_domain_event_callback_deregister_any_args *args, void *ret)
{
    CALL_CONN(call);
    return deregister(call, REG_DOMAIN, args->callback_id, "domain");
}

static int networkDeregister(vkDaemonCall *call,
                             vkr_connect_network_event_deregister_any_args *args, void *ret)
{
    CALL_SECONDARY_CONN(call);
    return deregister(call, REG_NETWORK, args->callback_id, "network");
}

static int poolDeregister(vkDaemonCall *call,
                          vkr_connect_storage_pool_event_deregister_any_args *args, void *ret)
{
    CALL_SECONDARY_CONN(call);
    return deregister(call, REG_POOL, args->callback_id, "storage pool");
}

const vkDaemonProc vkDaemonEventProcs[] = {
    { VKR_PROC_CONNECT_DOMAIN_EVENT_CALLBACK_REGISTER_ANY, HANDLER(domainRegister),
      VK_DAEMON_RUN_INLINE },
    { VKR_PROC_CONNECT_DOMAIN_EVENT_CALLBACK_DEREGISTER_ANY, HANDLER(domainDeregister),
      VK_DAEMON_RUN_INLINE },
    { VKR_PROC_CONNECT_NETWORK_EVENT_REGISTER_ANY, HANDLER(networkRegister), VK_DAEMON_RUN_INLINE },
    { VKR_PROC_CONNECT_NETWORK_EVENT_DEREGISTER_ANY, HANDLER(networkDeregister),
      VK_DAEMON_RUN_INLINE },
    { VKR_PROC_CONNECT_STORAGE_POOL_EVENT_REGISTER_ANY, HANDLER(poolRegister),
      VK_DAEMON_RUN_INLINE },
    { VKR_PROC_CONNECT_STORAGE_POOL_EVENT_DEREGISTER_ANY, HANDLER(poolDeregister),
      VK_DAEMON_RUN_INLINE },
    { 0 },
};

/* Events over the wire: the application's callbacks live in a local event state (libvirt's ids,
 * filters and delivery from the event loop); the server is asked for each kind of event once,
 * with the first callback for it, and told to stop with the last one. The MESSAGE frames it sends
 * arrive in the RPC client's I/O thread, which only queues them: delivery runs in the
 * application's event loop (GLib's default main context), never in the I/O thread, and a
 * callback may call the server. */
#include <string.h>

#include "remote_priv.h"

#define VIR_FROM_THIS VK_REMOTE_ERR

/* One registration with the server: every local callback of one kind and event id shares it
 * (the server sends each event once; the local state filters by object). Any event id is
 * registered, as libvirt's client does; only lifecycle messages (and storage pools' refresh)
 * are decoded and delivered so far (the embedded drivers emit no others either), the rest are
 * dropped on arrival. */
typedef struct {
    vkObjectEventKind kind;
    int eventID;
    guint count;    /* local callbacks using it */
    int remoteID;   /* the server's callback id */
    gboolean armed; /* remoteID is valid: events for it are queued */
} RemoteRegistration;

struct _vkRemoteEvents {
    vkObjectEventState *state;
    /* Serialises registrations and removals, across their calls to the server. The I/O thread
     * never takes it. */
    GMutex regLock;
    /* Guards the fields below, briefly; the I/O thread takes it for each event. */
    GMutex lock;
    GPtrArray *registrations; /* RemoteRegistration */
    GHashTable *byLocalID;    /* local callback id -> RemoteRegistration */
};

vkRemoteEvents *vkRemoteEventsNew(void)
{
    vkRemoteEvents *ev = g_new0(vkRemoteEvents, 1);

    ev->state = vkObjectEventStateNew();
    g_mutex_init(&ev->regLock);
    g_mutex_init(&ev->lock);
    ev->registrations = g_ptr_array_new_with_free_func(g_free);
    ev->byLocalID = g_hash_table_new(NULL, NULL);
    return ev;
}

void vkRemoteEventsFree(vkRemoteEvents *ev)
{
    if (!ev)
        return;
    vkObjectEventStateUnref(ev->state);
    g_hash_table_destroy(ev->byLocalID);
    g_ptr_array_free(ev->registrations, TRUE);
    g_mutex_clear(&ev->lock);
    g_mutex_clear(&ev->regLock);
    g_free(ev);
}

/* regLock held. */
static RemoteRegistration *registrationFor(vkRemoteEvents *ev, vkObjectEventKind kind, int eventID)
{
    RemoteRegistration *reg;

    for (guint i = 0; i < ev->registrations->len; i++) {
        reg = ev->registrations->pdata[i];
        if (reg->kind == kind && reg->eventID == eventID)
            return reg;
    }
    reg = g_new0(RemoteRegistration, 1);
    reg->kind = kind;
    reg->eventID = eventID;
    g_mutex_lock(&ev->lock);
    g_ptr_array_add(ev->registrations, reg);
    g_mutex_unlock(&ev->lock);
    return reg;
}

/* Asks the server for REG's events. regLock held, lock not. */
static int serverRegister(virConnectPtr conn, RemoteRegistration *reg)
{
    int remoteID;

    if (!vkRemotePriv(conn)->eventFilter) {
        /* libvirt's clients fall back to procedures from before callback ids; not we */
        vkReportError(VIR_FROM_THIS, VIR_ERR_NO_SUPPORT, "%s",
                      "the server has no event callbacks (feature 14)");
        return -1;
    }
    if (reg->kind == VK_OBJECT_EVENT_DOMAIN) {
        vkr_connect_domain_event_callback_register_any_args args = { reg->eventID, NULL };
        vkr_connect_domain_event_callback_register_any_ret ret = { 0 };

        if (vkRemoteCall(conn, VKR_PROC_CONNECT_DOMAIN_EVENT_CALLBACK_REGISTER_ANY, &args, &ret) <
            0)
            return -1;
        remoteID = ret.callback_id;
    } else if (reg->kind == VK_OBJECT_EVENT_NETWORK) {
        vkr_connect_network_event_register_any_args args = { reg->eventID, NULL };
        vkr_connect_network_event_register_any_ret ret = { 0 };

        if (vkRemoteCall(conn, VKR_PROC_CONNECT_NETWORK_EVENT_REGISTER_ANY, &args, &ret) < 0)
            return -1;
        remoteID = ret.callback_id;
    } else {
        vkr_connect_storage_pool_event_register_any_args args = { reg->eventID, NULL };
        vkr_connect_storage_pool_event_register_any_ret ret = { 0 };

        if (vkRemoteCall(conn, VKR_PROC_CONNECT_STORAGE_POOL_EVENT_REGISTER_ANY, &args, &ret) < 0)
            return -1;
        remoteID = ret.callback_id;
    }
    g_mutex_lock(&vkRemotePriv(conn)->events->lock);
    reg->remoteID = remoteID;
    reg->armed = TRUE;
    g_mutex_unlock(&vkRemotePriv(conn)->events->lock);
    return 0;
}

/* Tells the server to stop sending REG's events. regLock held, lock not. */
static int serverDeregister(virConnectPtr conn, RemoteRegistration *reg)
{
    int remoteID;

    g_mutex_lock(&vkRemotePriv(conn)->events->lock);
    remoteID = reg->remoteID;
    reg->armed = FALSE;
    g_mutex_unlock(&vkRemotePriv(conn)->events->lock);
    if (reg->kind == VK_OBJECT_EVENT_DOMAIN) {
        vkr_connect_domain_event_callback_deregister_any_args args = { remoteID };
        return vkRemoteCall(conn, VKR_PROC_CONNECT_DOMAIN_EVENT_CALLBACK_DEREGISTER_ANY, &args,
                            NULL);
    }
    if (reg->kind == VK_OBJECT_EVENT_NETWORK) {
        vkr_connect_network_event_deregister_any_args args = { remoteID };
        return vkRemoteCall(conn, VKR_PROC_CONNECT_NETWORK_EVENT_DEREGISTER_ANY, &args, NULL);
    }
    vkr_connect_storage_pool_event_deregister_any_args args = { remoteID };
    return vkRemoteCall(conn, VKR_PROC_CONNECT_STORAGE_POOL_EVENT_DEREGISTER_ANY, &args, NULL);
}

static int eventRegister(virConnectPtr conn, vkObjectEventKind kind, int eventID,
                         const unsigned char *uuid, void (*cb)(void), void *opaque,
                         virFreeCallback freecb, gboolean legacy)
{
    vkRemoteEvents *ev = vkRemotePriv(conn)->events;
    RemoteRegistration *reg;
    int id;

    g_mutex_lock(&ev->regLock);
    id = vkObjectEventStateRegister(ev->state, conn, kind, eventID, uuid, cb, opaque, freecb,
                                    legacy);
    if (id < 0)
        goto out;
    reg = registrationFor(ev, kind, eventID);
    if (reg->count == 0 && serverRegister(conn, reg) < 0) {
        virErrorPtr saved = vkSaveError();

        vkObjectEventStateDeregister(ev->state, conn, id, FALSE);
        vkRestoreError(saved);
        id = -1;
        goto out;
    }
    reg->count++;
    g_mutex_lock(&ev->lock);
    g_hash_table_insert(ev->byLocalID, GINT_TO_POINTER(id), reg);
    g_mutex_unlock(&ev->lock);
out:
    g_mutex_unlock(&ev->regLock);
    return id;
}

/* As libvirt's client: the callback is gone locally even when telling the server fails (the
 * connection is dead, say); the failure is reported all the same. */
static int eventDeregister(virConnectPtr conn, int callbackID)
{
    vkRemoteEvents *ev = vkRemotePriv(conn)->events;
    RemoteRegistration *reg;
    int rc = -1;

    g_mutex_lock(&ev->regLock);
    if (vkObjectEventStateDeregister(ev->state, conn, callbackID, TRUE) < 0)
        goto out;
    g_mutex_lock(&ev->lock);
    reg = g_hash_table_lookup(ev->byLocalID, GINT_TO_POINTER(callbackID));
    g_hash_table_remove(ev->byLocalID, GINT_TO_POINTER(callbackID));
    g_mutex_unlock(&ev->lock);
    rc = 0;
    if (reg && --reg->count == 0)
        rc = serverDeregister(conn, reg);
out:
    g_mutex_unlock(&ev->regLock);
    return rc;
}

/* ---- the driver entries ---- */

int vkRemoteDomainEventRegister(virConnectPtr conn, virConnectDomainEventCallback cb, void *opaque,
                                virFreeCallback freecb)
{
    int id = eventRegister(conn, VK_OBJECT_EVENT_DOMAIN, 0, NULL, (void (*)(void))cb, opaque,
                           freecb, TRUE);

    return id < 0 ? -1 : 0;
}

int vkRemoteDomainEventDeregister(virConnectPtr conn, virConnectDomainEventCallback cb)
{
    int id =
        vkObjectEventStateLegacyID(vkRemotePriv(conn)->events->state, conn, (void (*)(void))cb);

    return id < 0 ? -1 : eventDeregister(conn, id);
}

int vkRemoteDomainEventRegisterAny(virConnectPtr conn, virDomainPtr dom, int eventID,
                                   virConnectDomainEventGenericCallback cb, void *opaque,
                                   virFreeCallback freecb)
{
    return eventRegister(conn, VK_OBJECT_EVENT_DOMAIN, eventID, dom ? dom->uuid : NULL,
                         (void (*)(void))cb, opaque, freecb, FALSE);
}

int vkRemoteNetworkEventRegisterAny(virConnectPtr conn, virNetworkPtr net, int eventID,
                                    virConnectNetworkEventGenericCallback cb, void *opaque,
                                    virFreeCallback freecb)
{
    return eventRegister(conn, VK_OBJECT_EVENT_NETWORK, eventID, net ? net->uuid : NULL,
                         (void (*)(void))cb, opaque, freecb, FALSE);
}

int vkRemoteStoragePoolEventRegisterAny(virConnectPtr conn, virStoragePoolPtr pool, int eventID,
                                        virConnectStoragePoolEventGenericCallback cb, void *opaque,
                                        virFreeCallback freecb)
{
    return eventRegister(conn, VK_OBJECT_EVENT_STORAGE_POOL, eventID, pool ? pool->uuid : NULL,
                         (void (*)(void))cb, opaque, freecb, FALSE);
}

int vkRemoteEventDeregisterAny(virConnectPtr conn, int callbackID)
{
    return eventDeregister(conn, callbackID);
}

/* ---- what the server sends (the I/O thread) ---- */

/* Whether the registration with the server's id REMOTEID for KIND and EVENTID is still ours. */
static gboolean isOurs(vkRemoteEvents *ev, vkObjectEventKind kind, int eventID, int remoteID)
{
    gboolean ours = FALSE;

    g_mutex_lock(&ev->lock);
    for (guint i = 0; i < ev->registrations->len && !ours; i++) {
        RemoteRegistration *reg = ev->registrations->pdata[i];
        ours =
            reg->armed && reg->kind == kind && reg->eventID == eventID && reg->remoteID == remoteID;
    }
    g_mutex_unlock(&ev->lock);
    return ours;
}

/* Queues a lifecycle event of the registration REMOTEID, if it is still ours. */
static void queueEvent(vkRemoteEvents *ev, vkObjectEventKind kind, int remoteID, const char *name,
                       const char *uuid, int id, int event, int detail)
{
    if (isOurs(ev, kind, 0, remoteID))
        vkObjectEventStateQueueLifecycle(ev->state, kind, name, (const unsigned char *)uuid, id,
                                         event, detail);
}

void vkRemoteEventReceived(vkRpcClient *client, const vkRpcProgram *program, const vkRpcProc *proc,
                           void *body, gpointer opaque)
{
    vkRemoteEvents *ev = opaque;

    if (program != &vkRpcRemoteProgram)
        return;
    switch (proc->proc) {
    case VKR_PROC_DOMAIN_EVENT_CALLBACK_LIFECYCLE: {
        vkr_domain_event_callback_lifecycle_msg *m = body;
        queueEvent(ev, VK_OBJECT_EVENT_DOMAIN, m->callback_id, m->msg.dom.name, m->msg.dom.uuid,
                   m->msg.dom.id, m->msg.event, m->msg.detail);
        break;
    }
    case VKR_PROC_NETWORK_EVENT_LIFECYCLE: {
        vkr_network_event_lifecycle_msg *m = body;
        queueEvent(ev, VK_OBJECT_EVENT_NETWORK, m->callback_id, m->net.name, m->net.uuid, -1,
                   m->event, m->detail);
        break;
    }
    case VKR_PROC_STORAGE_POOL_EVENT_LIFECYCLE: {
        vkr_storage_pool_event_lifecycle_msg *m = body;
        queueEvent(ev, VK_OBJECT_EVENT_STORAGE_POOL, m->callback_id, m->pool.name, m->pool.uuid, -1,
                   m->event, m->detail);
        break;
    }
    case VKR_PROC_STORAGE_POOL_EVENT_REFRESH: {
        vkr_storage_pool_event_refresh_msg *m = body;
        if (isOurs(ev, VK_OBJECT_EVENT_STORAGE_POOL, VIR_STORAGE_POOL_EVENT_ID_REFRESH,
                   m->callback_id))
            vkObjectEventStateQueueRefresh(ev->state, m->pool.name,
                                           (const unsigned char *)m->pool.uuid);
        break;
    }
    default:
        break;
    }
}

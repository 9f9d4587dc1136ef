/* Event callbacks of one event source (a driver world, a connection's watcher): who registered
 * for what, the queue of events not yet delivered, and their delivery from the event loop with
 * libvirt's rules (ids, filters, removal from within a callback, free functions run once). */
#pragma once

#include <glib.h>

#include "datatypes.h"

typedef enum {
    VK_OBJECT_EVENT_DOMAIN,
    VK_OBJECT_EVENT_NETWORK,
    VK_OBJECT_EVENT_STORAGE_POOL,
} vkObjectEventKind;

typedef struct _vkObjectEventState vkObjectEventState;

vkObjectEventState *vkObjectEventStateNew(void);

/* What watches the objects behind a state, when watching costs something (inotify, sockets):
 * START runs with the first callback (OPAQUE as given below; a NULL return, reported, fails
 * that registration), STOP with the last one, or when the state goes. Both run outside the
 * state's lock, so the watcher may queue events from its own threads meanwhile. */
typedef struct {
    void *(*start)(void *opaque, vkObjectEventState *state);
    void (*stop)(void *watcher);
} vkObjectEventWatch;

/* A state whose callbacks need WATCH (static) started; OPAQUE is handed to its start. */
vkObjectEventState *vkObjectEventStateNewWatched(const vkObjectEventWatch *watch, void *opaque);
vkObjectEventState *vkObjectEventStateRef(vkObjectEventState *state);
void vkObjectEventStateUnref(vkObjectEventState *state);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(vkObjectEventState, vkObjectEventStateUnref)

/* Adds CB for CONN (which it references until the callback goes): events of KIND and EVENTID,
 * of the object with UUID only unless UUID is NULL. LEGACY marks a callback registered by
 * function (virConnectDomainEventRegister). Needs an event loop. Returns the callback id (0 or
 * more), or -1 reported. */
int vkObjectEventStateRegister(vkObjectEventState *state, virConnectPtr conn,
                               vkObjectEventKind kind, int eventID, const unsigned char *uuid,
                               void (*cb)(void), void *opaque, virFreeCallback freecb,
                               gboolean legacy);

/* Removes callback CALLBACKID of CONN; its free function runs unless RUNFREE is FALSE (a
 * registration being undone). Removal from within a callback takes effect at once, the free
 * function running once the delivery in progress is over. Returns 0, or -1 reported. */
int vkObjectEventStateDeregister(vkObjectEventState *state, virConnectPtr conn, int callbackID,
                                 gboolean runFree);

/* The id of CONN's legacy lifecycle callback CB, or -1 reported. */
int vkObjectEventStateLegacyID(vkObjectEventState *state, virConnectPtr conn, void (*cb)(void));

/* How many callbacks are registered and not being removed. */
int vkObjectEventStateCount(vkObjectEventState *state);

/* Queues a lifecycle event (virDomainEventType, virNetworkEventLifecycleType or
 * virStoragePoolEventLifecycleType, with its
 * detail) of the object NAME/UUID, whose id is ID (domains; -1 when inactive). It is delivered
 * from the event loop; without callbacks it is dropped. */
void vkObjectEventStateQueueLifecycle(vkObjectEventState *state, vkObjectEventKind kind,
                                      const char *name, const unsigned char *uuid, int id,
                                      int event, int detail);

/* Queues a storage pool's refresh event (VIR_STORAGE_POOL_EVENT_ID_REFRESH). */
void vkObjectEventStateQueueRefresh(vkObjectEventState *state, const char *name,
                                    const unsigned char *uuid);

/* The event states one watcher feeds: the connections of a process that watch one root share
 * its watcher, and every one of them gets each event. Thread safe. */
typedef struct _vkObjectEventFanout vkObjectEventFanout;

vkObjectEventFanout *vkObjectEventFanoutNew(void);
void vkObjectEventFanoutFree(vkObjectEventFanout *fanout);
/* Adds STATE (referenced until it is removed). */
void vkObjectEventFanoutAdd(vkObjectEventFanout *fanout, vkObjectEventState *state);
/* Removes STATE; returns how many states are left. */
guint vkObjectEventFanoutRemove(vkObjectEventFanout *fanout, vkObjectEventState *state);
/* vkObjectEventStateQueueLifecycle on every state. */
void vkObjectEventFanoutQueueLifecycle(vkObjectEventFanout *fanout, vkObjectEventKind kind,
                                       const char *name, const unsigned char *uuid, int id,
                                       int event, int detail);
/* vkObjectEventStateQueueRefresh on every state. */
void vkObjectEventFanoutQueueRefresh(vkObjectEventFanout *fanout, const char *name,
                                     const unsigned char *uuid);

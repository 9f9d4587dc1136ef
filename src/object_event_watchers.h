/* Watchers shared per root: the embedded drivers turn changes of their files into events with
 * one watcher per root and kind, which every connection of the process on that root feeds
 * from. This is the registry they share, so that each driver writes only its watcher. */
#pragma once

#include <glib.h>

#include "object_event.h"

/* What a kind of watcher is. ROOT names the root of a driver state (the key: connections with
 * the same one share a watcher); START makes a watcher over that state's directories (NULL
 * reported on failure); STOP ends it; FANOUT is where it queues its events. */
typedef struct {
    const char *(*root)(void *driverState);
    void *(*start)(void *driverState);
    void (*stop)(void *watcher);
    vkObjectEventFanout *(*fanout)(void *watcher);
} vkObjectEventWatcherClass;

/* One per kind, static and zero-initialised but for its class. */
typedef struct {
    const vkObjectEventWatcherClass *cls;
    GMutex lock;
    GHashTable *byRoot; /* root -> watcher */
} vkObjectEventWatchers;

/* For a vkObjectEventWatch whose opaque is the driver state: adds EVENTS to the watcher of the
 * state's root, starting it if it is the first. Returns the subscription, or NULL reported. */
void *vkObjectEventWatchersSubscribe(vkObjectEventWatchers *ws, void *driverState,
                                     vkObjectEventState *events);
/* Undoes a subscription; the watcher stops with its last one. */
void vkObjectEventWatchersUnsubscribe(void *subscription);

/* The names a watcher looks at when it must look at everything: those of the NAME.xml files in
 * ETCDIR and RUNDIR, and the keys of KNOWN (names it knows that may be gone). */
GPtrArray *vkObjectEventWatchNames(const char *etcDir, const char *runDir, GHashTable *known);

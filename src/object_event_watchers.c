/* The registry of per-root event watchers (see object_event_watchers.h). */
#include "object_event_watchers.h"

#include "util/vkfile.h"

typedef struct {
    vkObjectEventWatchers *ws;
    void *watcher;
    vkObjectEventState *events;
} vkSubscription;

void *vkObjectEventWatchersSubscribe(vkObjectEventWatchers *ws, void *driverState,
                                     vkObjectEventState *events)
{
    g_autoptr(GMutexLocker) locker = g_mutex_locker_new(&ws->lock);
    const char *root = ws->cls->root(driverState);
    vkSubscription *sub;
    void *w;

    if (!ws->byRoot)
        ws->byRoot = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    if (!(w = g_hash_table_lookup(ws->byRoot, root))) {
        if (!(w = ws->cls->start(driverState)))
            return NULL;
        g_hash_table_insert(ws->byRoot, g_strdup(root), w);
    }
    vkObjectEventFanoutAdd(ws->cls->fanout(w), events);
    sub = g_new0(vkSubscription, 1);
    sub->ws = ws;
    sub->watcher = w;
    sub->events = events;
    return sub;
}

static gboolean isWatcher(gpointer key, gpointer value, gpointer watcher)
{
    return value == watcher;
}

void vkObjectEventWatchersUnsubscribe(void *subscription)
{
    vkSubscription *sub = subscription;
    vkObjectEventWatchers *ws = sub->ws;
    g_autoptr(GMutexLocker) locker = g_mutex_locker_new(&ws->lock);

    if (vkObjectEventFanoutRemove(ws->cls->fanout(sub->watcher), sub->events) == 0) {
        g_hash_table_foreach_remove(ws->byRoot, isWatcher, sub->watcher);
        ws->cls->stop(sub->watcher);
    }
    g_free(sub);
}

GPtrArray *vkObjectEventWatchNames(const char *etcDir, const char *runDir, GHashTable *known)
{
    const char *dirs[] = { etcDir, runDir, NULL };
    g_auto(GStrv) names = vkFileListNames(dirs, "xml");
    g_autofree char **keys = (char **)g_hash_table_get_keys_as_array(known, NULL);
    GPtrArray *all = g_ptr_array_new_with_free_func(g_free);

    for (char **n = names; n && *n; n++)
        g_ptr_array_add(all, g_strdup(*n));
    for (char **n = keys; n && *n; n++)
        g_ptr_array_add(all, g_strdup(*n));
    return all;
}

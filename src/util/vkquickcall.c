/* Quick calls: the per-thread mark a daemon sets and drivers read (see vkquickcall.h). */
#include "vkquickcall.h"

#include "vkerror.h"

typedef enum {
    QUICK_OFF = 0,
    QUICK_ON,
    QUICK_DEFERRED,
} vkQuickCallState;

static GPrivate quickState; /* vkQuickCallState, stored as a pointer-sized integer */

static vkQuickCallState stateGet(void)
{
    return (vkQuickCallState)GPOINTER_TO_INT(g_private_get(&quickState));
}

static void stateSet(vkQuickCallState state)
{
    g_private_set(&quickState, GINT_TO_POINTER(state));
}

void vkQuickCallBegin(void)
{
    stateSet(QUICK_ON);
}

gboolean vkQuickCallEnd(void)
{
    gboolean deferred = stateGet() == QUICK_DEFERRED;

    stateSet(QUICK_OFF);
    return deferred;
}

gboolean vkQuickCallActive(void)
{
    return stateGet() != QUICK_OFF;
}

void vkQuickCallDefer(void)
{
    stateSet(QUICK_DEFERRED);
    /* Never seen by a client: the daemon drops it and runs the call again on a worker. */
    vkReportError(VIR_FROM_NONE, VIR_ERR_INTERNAL_ERROR, "%s", "call deferred to a worker thread");
}

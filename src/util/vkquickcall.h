/* Calls answered in a daemon's main loop when they can be answered without waiting: the daemon
 * marks the thread, a driver that finds it would have to wait (ask a qemu, clean up after one
 * that died) says so instead of waiting, and the daemon hands the call to a worker. */
#pragma once

#include <glib.h>

/* Marks the calling thread for one quick call; vkQuickCallEnd ends it and returns TRUE when
 * the driver deferred the call (its result, an error, is to be dropped and the call run
 * again where it may wait). */
void vkQuickCallBegin(void);
gboolean vkQuickCallEnd(void);

/* For drivers: whether the thread runs a quick call, so must not wait. */
gboolean vkQuickCallActive(void);

/* For drivers, instead of waiting in a quick call: reports why and marks the call deferred.
 * The caller then fails as on any error. */
void vkQuickCallDefer(void);

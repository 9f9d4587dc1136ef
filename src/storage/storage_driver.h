/* The storage driver of qemu:/// connections: pools (dir, fs, logical) and their volumes, with
 * state in files under the driver's root, and the volume lookups the qemu driver makes. */
#pragma once

#include <glib.h>

#include "driver.h"

typedef struct _vkStorageDriverState vkStorageDriverState;

/* The storage calls of qemu:/// connections; its connectOpen sets conn->storagePrivateData. */
extern const vkStorageDriver vkHostStorageDriver;

/* For callers without a connection (the daemon, tools). Reports and returns NULL for a URI the
 * driver cannot serve. */
vkStorageDriverState *vkStorageDriverStateNew(GUri *uri);
void vkStorageDriverStateFree(vkStorageDriverState *state);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(vkStorageDriverState, vkStorageDriverStateFree)

/* The state behind a qemu:/// connection, or NULL for a connection of another driver. */
vkStorageDriverState *vkStorageDriverStateOf(virConnectPtr conn);

/* Autostarts marked pools once per boot; connectOpen calls it for writable connections. */
void vkStorageAutostartOnBoot(vkStorageDriverState *state);

/* Who uses the file at PATH: the name of a running domain (g_free it), or NULL. */
typedef char *(*vkStorageInUseFunc)(const char *path, void *opaque);
/* The qemu driver tells the storage driver of its connection how to ask, so that a volume a
 * running guest uses is never deleted or wiped. */
void vkStorageDriverSetInUseCheck(vkStorageDriverState *state, vkStorageInUseFunc fn, void *opaque);

/* What <disk type='volume'><source pool=POOL volume=VOL/> means now: the path of the volume
 * and its format ("raw", "qcow2", ...). The pool must be active. Reported naming both. */
int vkStorageVolumeResolve(vkStorageDriverState *state, const char *pool, const char *vol,
                           char **path, char **format);

/* What a qemu binary can do, probed once over QMP and cached on disk until the binary
 * changes. */
#pragma once

#include <glib.h>

typedef struct _vkQEMUCaps vkQEMUCaps;

/* The capabilities of BINARY (a path, or a name looked up in PATH), shared and immutable:
 * free with vkQEMUCapsFree.
 *
 * CACHEDIR is the driver's cache directory (ROOT/cache/qemu). The cache is the directory
 * CACHEDIR/capabilities, holding one JSON file per binary, named after the binary's base
 * name and a hash of its full path (qemu-system-x86_64-<16 hex digits>.json). An entry is
 * used only while the binary's path, size, mtime and ctime and the host's KVM availability
 * match those recorded in it; otherwise the binary is probed again (qemu is started with
 * -machine none, about 0.1 s) and the entry rewritten atomically. A cache that cannot be
 * read or written is only a lost optimisation, never an error. */
vkQEMUCaps *vkQEMUCapsGet(const char *cacheDir, const char *binary);

void vkQEMUCapsFree(vkQEMUCaps *caps);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(vkQEMUCaps, vkQEMUCapsFree)

/* The binary's absolute path. */
const char *vkQEMUCapsGetBinary(const vkQEMUCaps *caps);

/* major * 1000000 + minor * 1000 + micro, as libvirt numbers versions. */
unsigned long vkQEMUCapsGetVersion(const vkQEMUCaps *caps);

/* The distribution's package string, e.g. "Debian 1:7.2+dfsg-7"; may be empty. */
const char *vkQEMUCapsGetPackage(const vkQEMUCaps *caps);

/* When the binary was probed, in microseconds since the epoch: tells a cached answer from a
 * fresh one. */
gint64 vkQEMUCapsGetProbeTime(const vkQEMUCaps *caps);

/* Canonical machine type names (NULL-terminated, in qemu's order). */
const char *const *vkQEMUCapsGetMachineNames(const vkQEMUCaps *caps);

/* The canonical name of the machine qemu uses when none is given (e.g. "pc-i440fx-7.2"),
 * or NULL if the binary has no default. */
const char *vkQEMUCapsGetDefaultMachine(const vkQEMUCaps *caps);

/* The canonical name for NAME, which may be an alias such as "pc" or "q35" or already
 * canonical; NULL if the binary knows no such machine. */
const char *vkQEMUCapsGetCanonicalMachine(const vkQEMUCaps *caps, const char *name);

/* The alias of the canonical machine NAME (e.g. "q35" for "pc-q35-7.2"), or NULL. */
const char *vkQEMUCapsGetMachineAlias(const vkQEMUCaps *caps, const char *name);

/* The vCPU limit of machine NAME (canonical or alias); 0 if unknown. */
unsigned int vkQEMUCapsGetMachineMaxCpus(const vkQEMUCaps *caps, const char *name);

gboolean vkQEMUCapsHasMachine(const vkQEMUCaps *caps, const char *name);

/* TRUE if the binary supports KVM and KVM worked when it was probed on this host. */
gboolean vkQEMUCapsHasKVM(const vkQEMUCaps *caps);

/* Accelerators compiled into the binary: "kvm", "tcg", ... */
gboolean vkQEMUCapsHasAccel(const vkQEMUCaps *caps, const char *name);

/* Device types (qom-list-types implementing "device", not abstract): "virtio-net-pci", ... */
gboolean vkQEMUCapsHasDevice(const vkQEMUCaps *caps, const char *name);

/* QMP commands the binary offers: "query-spice", ... */
gboolean vkQEMUCapsHasCommand(const vkQEMUCaps *caps, const char *name);

/* TRUE if this process can use KVM: /dev/kvm opens read-write. */
gboolean vkQEMUHostHasKVM(void);

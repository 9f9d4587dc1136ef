/* virtkit shell: what the storage pool and volume commands share (handles released by scope,
 * option definitions, virsh's lookups of pools and volumes, sizes in virsh's units). */
#pragma once

#include "virtkit.h"

typedef virStoragePool vkPoolRef;
typedef virStorageVol vkVolRef;
typedef virStream vkStreamRef;

static inline void vkPoolRelease(virStoragePoolPtr pool)
{
    if (pool)
        virStoragePoolFree(pool);
}

static inline void vkVolRelease(virStorageVolPtr vol)
{
    if (vol)
        virStorageVolFree(vol);
}

static inline void vkStreamRelease(virStreamPtr st)
{
    if (st)
        virStreamFree(st);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC(vkPoolRef, vkPoolRelease)
G_DEFINE_AUTOPTR_CLEANUP_FUNC(vkVolRef, vkVolRelease)
G_DEFINE_AUTOPTR_CLEANUP_FUNC(vkStreamRef, vkStreamRelease)

#define OPT_POOL_FULL                                         \
    {                                                         \
        "pool", VK_OT_DATA, VK_OFLAG_REQ, "pool name or uuid" \
    }
#define OPT_POOL_OPTIONAL                            \
    {                                                \
        "pool", VK_OT_STRING, 0, "pool name or uuid" \
    }
#define OPT_VOL_FULL                                             \
    {                                                            \
        "vol", VK_OT_DATA, VK_OFLAG_REQ, "vol name, key or path" \
    }

/* The pool named by option OPT (a uuid or a name); reports virsh's error when none is. */
virStoragePoolPtr vkLookupPool(vkShell *sh, const vkCmd *cmd, const char *opt, const char **name);
/* The volume of option OPT: by name in POOLOPT's pool when given (and BY has VK_BYNAME), then
 * by key, then by path, as virsh looks; reports virsh's error when none is. */
virStorageVolPtr vkLookupVol(vkShell *sh, const vkCmd *cmd, const char *opt, const char *poolOpt,
                             const char **name, unsigned int by);
/* The usual vol, pool options. */
virStorageVolPtr vkOptVol(vkShell *sh, const vkCmd *cmd, const char **name);
/* virsh's sizes: the value in the largest binary unit below 1024, and "%.2lf UNIT". */
double vkPrettyCapacity(unsigned long long val, const char **unit);
char *vkPretty(unsigned long long val);
/* virsh's scaled sizes: a number with an optional unit suffix, bytes by default. */
int vkParseSize(const char *str, unsigned long long *out);

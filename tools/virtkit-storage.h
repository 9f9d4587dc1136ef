/* virtkit shell: what the storage pool and volume commands share (handles released by scope,
 * option definitions, virsh's lookups of pools and volumes, sizes in virsh's units). */
#pragma once

#include "virtkit.h"

typedef virStoragePool vshPoolRef;
typedef virStorageVol vshVolRef;
typedef virStream vshStreamRef;

static inline void vshPoolRelease(virStoragePoolPtr pool)
{
    if (pool)
        virStoragePoolFree(pool);
}

static inline void vshVolRelease(virStorageVolPtr vol)
{
    if (vol)
        virStorageVolFree(vol);
}

static inline void vshStreamRelease(virStreamPtr st)
{
    if (st)
        virStreamFree(st);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC(vshPoolRef, vshPoolRelease)
G_DEFINE_AUTOPTR_CLEANUP_FUNC(vshVolRef, vshVolRelease)
G_DEFINE_AUTOPTR_CLEANUP_FUNC(vshStreamRef, vshStreamRelease)

#define OPT_POOL_FULL                                           \
    {                                                           \
        "pool", VSH_OT_DATA, VSH_OFLAG_REQ, "pool name or uuid" \
    }
#define OPT_POOL_OPTIONAL                             \
    {                                                 \
        "pool", VSH_OT_STRING, 0, "pool name or uuid" \
    }
#define OPT_VOL_FULL                                               \
    {                                                              \
        "vol", VSH_OT_DATA, VSH_OFLAG_REQ, "vol name, key or path" \
    }

/* The pool named by option OPT (a uuid or a name); reports virsh's error when none is. */
virStoragePoolPtr vshLookupPool(vshShell *sh, const vshCmd *cmd, const char *opt,
                                const char **name);
/* The volume of option OPT: by name in POOLOPT's pool when given (and BY has VSH_BYNAME), then
 * by key, then by path, as virsh looks; reports virsh's error when none is. */
virStorageVolPtr vshLookupVol(vshShell *sh, const vshCmd *cmd, const char *opt, const char *poolOpt,
                              const char **name, unsigned int by);
/* The usual vol, pool options. */
virStorageVolPtr vshOptVol(vshShell *sh, const vshCmd *cmd, const char **name);
/* virsh's sizes: the value in the largest binary unit below 1024, and "%.2lf UNIT". */
double vshPrettyCapacity(unsigned long long val, const char **unit);
char *vshPretty(unsigned long long val);
/* virsh's scaled sizes: a number with an optional unit suffix, bytes by default. */
int vshParseSize(const char *str, unsigned long long *out);

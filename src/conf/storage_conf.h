/* Storage pool and volume XML <-> structs, as libvirt writes them (storagepool.rng and
 * storagevol.rng accept every document formatted here). No host access. */
#pragma once

#include <glib.h>
#include <libxml/tree.h>

#include "util/vkenum.h"
#include "virtkit/virtkit.h"

#define VK_STORAGE_ERR VIR_FROM_STORAGE

/* libvirt's pool type numbers: they appear in messages ("pool type 9 (rbd)"). */
typedef enum {
    VK_STORAGE_POOL_DIR,
    VK_STORAGE_POOL_FS,
    VK_STORAGE_POOL_NETFS,
    VK_STORAGE_POOL_LOGICAL,
    VK_STORAGE_POOL_DISK,
    VK_STORAGE_POOL_ISCSI,
    VK_STORAGE_POOL_ISCSI_DIRECT,
    VK_STORAGE_POOL_SCSI,
    VK_STORAGE_POOL_MPATH,
    VK_STORAGE_POOL_RBD,
    VK_STORAGE_POOL_SHEEPDOG,
    VK_STORAGE_POOL_GLUSTER,
    VK_STORAGE_POOL_ZFS,
    VK_STORAGE_POOL_VSTORAGE,
    VK_STORAGE_POOL_LAST
} vkStoragePoolType;
VK_ENUM_DECL(vkStoragePool);

/* <source><format type=...> of fs pools. */
typedef enum {
    VK_STORAGE_POOL_FS_AUTO,
    VK_STORAGE_POOL_FS_EXT2,
    VK_STORAGE_POOL_FS_EXT3,
    VK_STORAGE_POOL_FS_EXT4,
    VK_STORAGE_POOL_FS_UFS,
    VK_STORAGE_POOL_FS_ISO,
    VK_STORAGE_POOL_FS_UDF,
    VK_STORAGE_POOL_FS_GFS,
    VK_STORAGE_POOL_FS_GFS2,
    VK_STORAGE_POOL_FS_VFAT,
    VK_STORAGE_POOL_FS_HFSPLUS,
    VK_STORAGE_POOL_FS_XFS,
    VK_STORAGE_POOL_FS_OCFS2,
    VK_STORAGE_POOL_FS_VMFS,
    VK_STORAGE_POOL_FS_LAST
} vkStoragePoolFormatFS;
VK_ENUM_DECL(vkStoragePoolFormatFS);

typedef enum {
    VK_STORAGE_POOL_LOGICAL_UNKNOWN,
    VK_STORAGE_POOL_LOGICAL_LVM2,
    VK_STORAGE_POOL_LOGICAL_LAST
} vkStoragePoolFormatLogical;
VK_ENUM_DECL(vkStoragePoolFormatLogical);

/* Volume formats of file-based pools, in libvirt's order. */
typedef enum {
    VK_STORAGE_FILE_NONE,
    VK_STORAGE_FILE_RAW,
    VK_STORAGE_FILE_DIR,
    VK_STORAGE_FILE_BOCHS,
    VK_STORAGE_FILE_CLOOP,
    VK_STORAGE_FILE_DMG,
    VK_STORAGE_FILE_ISO,
    VK_STORAGE_FILE_VPC,
    VK_STORAGE_FILE_VDI,
    VK_STORAGE_FILE_FAT,
    VK_STORAGE_FILE_VHD,
    VK_STORAGE_FILE_PLOOP,
    VK_STORAGE_FILE_COW,
    VK_STORAGE_FILE_QCOW,
    VK_STORAGE_FILE_QCOW2,
    VK_STORAGE_FILE_QED,
    VK_STORAGE_FILE_VMDK,
    VK_STORAGE_FILE_LAST
} vkStorageFileFormat;
VK_ENUM_DECL(vkStorageFileFormat);

/* virStorageVolType, as the volume's type attribute spells it. */
VK_ENUM_DECL(vkStorageVolType);

/* <permissions>: -1 in a field means "not given". */
typedef struct {
    long long mode;
    long long uid;
    long long gid;
    char *label;
} vkStoragePerms;

typedef struct {
    int type; /* vkStoragePoolType */
    char *name;
    unsigned char uuid[VIR_UUID_BUFLEN];

    /* What the host says while the pool runs; 0 otherwise. */
    unsigned long long capacity;
    unsigned long long allocation;
    unsigned long long available;

    struct {
        char **devices; /* NULL-terminated <device path>, may be NULL */
        char *dir;      /* <dir path> */
        char *name;     /* <name>: the volume group of a logical pool */
        int format;     /* per pool type; -1 when absent */
    } source;

    struct {
        char *path;
        vkStoragePerms perms;
    } target;
} vkStoragePoolDef;

void vkStoragePoolDefFree(vkStoragePoolDef *def);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(vkStoragePoolDef, vkStoragePoolDefFree)
vkStoragePoolDef *vkStoragePoolDefCopy(const vkStoragePoolDef *def);

/* Parses a <pool> document; a missing uuid is generated. Reports VIR_FROM_STORAGE errors with
 * libvirt's texts. */
vkStoragePoolDef *vkStoragePoolDefParseString(const char *xml);
vkStoragePoolDef *vkStoragePoolDefParseNode(xmlDocPtr doc, xmlNodePtr root);
char *vkStoragePoolDefFormat(const vkStoragePoolDef *def);
/* The body of vkStoragePoolDefFormat at one more level of indentation, for status files. */
char *vkStoragePoolDefFormatIndented(const vkStoragePoolDef *def, int indent);

typedef struct {
    char *path;
    int format; /* vkStorageFileFormat, -1 when absent */
    vkStoragePerms perms;
    gboolean hasTimes;
    struct timespec atime, mtime, ctime;
} vkStorageVolTarget;

typedef struct {
    char *name;
    char *key;
    int type; /* virStorageVolType */

    unsigned long long capacity;
    gboolean hasAllocation; /* <allocation> given (create) */
    unsigned long long allocation;
    unsigned long long physical;

    vkStorageVolTarget target;
    gboolean hasBacking;
    vkStorageVolTarget backing; /* <backingStore> */
} vkStorageVolDef;

void vkStorageVolDefFree(vkStorageVolDef *def);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(vkStorageVolDef, vkStorageVolDefFree)

/* Parses a <volume> document to be created in a pool of POOLTYPE. */
vkStorageVolDef *vkStorageVolDefParseString(const char *xml, int poolType);
char *vkStorageVolDefFormat(const vkStorageVolDef *def);

/* Scales VALUE in UNIT (libvirt's units: b, bytes, KB, K, KiB, ... E, EiB; NULL or "" for
 * bytes) to bytes. Reports and returns -1 on an unknown unit or overflow. */
int vkStorageScaleBytes(unsigned long long value, const char *unit, unsigned long long *bytes);

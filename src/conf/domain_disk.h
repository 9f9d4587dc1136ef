/* <disk>: file and block images, CD-ROMs and floppies on their buses. */
#pragma once

#include "conf/domain_common.h"

typedef enum {
    VK_DOMAIN_DISK_TYPE_NONE = 0,
    VK_DOMAIN_DISK_TYPE_FILE,
    VK_DOMAIN_DISK_TYPE_BLOCK,
    VK_DOMAIN_DISK_TYPE_VOLUME, /* <source pool volume>, a path only once resolved at start */
    VK_DOMAIN_DISK_TYPE_LAST
} vkDomainDiskType;
VK_ENUM_DECL(vkDomainDisk);

typedef enum {
    VK_DOMAIN_DISK_DEVICE_DISK,
    VK_DOMAIN_DISK_DEVICE_CDROM,
    VK_DOMAIN_DISK_DEVICE_FLOPPY,
    VK_DOMAIN_DISK_DEVICE_LAST
} vkDomainDiskDevice;
VK_ENUM_DECL(vkDomainDiskDevice);

typedef enum {
    VK_DOMAIN_DISK_BUS_NONE = 0, /* not written; derived from the target name */
    VK_DOMAIN_DISK_BUS_IDE,
    VK_DOMAIN_DISK_BUS_FDC,
    VK_DOMAIN_DISK_BUS_SCSI,
    VK_DOMAIN_DISK_BUS_VIRTIO,
    VK_DOMAIN_DISK_BUS_USB,
    VK_DOMAIN_DISK_BUS_SATA,
    VK_DOMAIN_DISK_BUS_LAST
} vkDomainDiskBus;
VK_ENUM_DECL(vkDomainDiskBus);

typedef enum {
    VK_DOMAIN_DISK_CACHE_DEFAULT = 0,
    VK_DOMAIN_DISK_CACHE_NONE,
    VK_DOMAIN_DISK_CACHE_WRITETHROUGH,
    VK_DOMAIN_DISK_CACHE_WRITEBACK,
    VK_DOMAIN_DISK_CACHE_DIRECTSYNC,
    VK_DOMAIN_DISK_CACHE_UNSAFE,
    VK_DOMAIN_DISK_CACHE_LAST
} vkDomainDiskCache;
VK_ENUM_DECL(vkDomainDiskCache);

typedef enum {
    VK_DOMAIN_DISK_IO_DEFAULT = 0,
    VK_DOMAIN_DISK_IO_NATIVE,
    VK_DOMAIN_DISK_IO_THREADS,
    VK_DOMAIN_DISK_IO_URING,
    VK_DOMAIN_DISK_IO_LAST
} vkDomainDiskIo;
VK_ENUM_DECL(vkDomainDiskIo);

typedef enum {
    VK_DOMAIN_DISK_DISCARD_DEFAULT = 0,
    VK_DOMAIN_DISK_DISCARD_UNMAP,
    VK_DOMAIN_DISK_DISCARD_IGNORE,
    VK_DOMAIN_DISK_DISCARD_LAST
} vkDomainDiskDiscard;
VK_ENUM_DECL(vkDomainDiskDiscard);

/* Image formats in libvirt's order (virStorageFileFormat). */
typedef enum {
    VK_DOMAIN_DISK_FORMAT_NONE = 0,
    VK_DOMAIN_DISK_FORMAT_RAW,
    VK_DOMAIN_DISK_FORMAT_DIR,
    VK_DOMAIN_DISK_FORMAT_BOCHS,
    VK_DOMAIN_DISK_FORMAT_CLOOP,
    VK_DOMAIN_DISK_FORMAT_DMG,
    VK_DOMAIN_DISK_FORMAT_ISO,
    VK_DOMAIN_DISK_FORMAT_VPC,
    VK_DOMAIN_DISK_FORMAT_VDI,
    VK_DOMAIN_DISK_FORMAT_FAT,
    VK_DOMAIN_DISK_FORMAT_VHD,
    VK_DOMAIN_DISK_FORMAT_PLOOP,
    VK_DOMAIN_DISK_FORMAT_COW,
    VK_DOMAIN_DISK_FORMAT_QCOW,
    VK_DOMAIN_DISK_FORMAT_QCOW2,
    VK_DOMAIN_DISK_FORMAT_QED,
    VK_DOMAIN_DISK_FORMAT_VMDK,
    VK_DOMAIN_DISK_FORMAT_LAST
} vkDomainDiskFormat;
VK_ENUM_DECL(vkDomainDiskFormat);

typedef struct {
    int type;      /* vkDomainDiskType */
    int device;    /* vkDomainDiskDevice */
    char *src;     /* file or block device path; NULL: no medium */
    char *srcPool; /* type volume: the storage pool and the volume in it */
    char *srcVolume;
    char *driverName;
    int format;  /* vkDomainDiskFormat */
    int cache;   /* vkDomainDiskCache */
    int io;      /* vkDomainDiskIo */
    int discard; /* vkDomainDiskDiscard */
    char *dst;   /* <target dev=...> */
    int bus;     /* vkDomainDiskBus */
    gboolean readonly;
    gboolean shareable;
    vkDomainDeviceInfo info;
} vkDomainDiskDef;

/* A disk's position among the disks of its name prefix, from its target name: hda 0, hdz 25,
 * hdaa 26 (vda, sda alike); -1 when the name is too long to count. */
int vkDomainDiskNameIndex(const char *dst);

void vkDomainDiskDefFree(vkDomainDiskDef *def);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(vkDomainDiskDef, vkDomainDiskDefFree)

/* The libvirt-compatible <domain> XML model: parse and validate into structs, fill in the
 * defaults libvirt stores, and format back out in libvirt's layout. No host access. */
#pragma once

#include <glib.h>
#include <libxml/tree.h>

#include "util/vkenum.h"
#include "virtkit/virtkit.h"

/* Parsing a persistent config: runtime-only data (the id, the resolved address of a network
 * listen, auto-allocated graphics ports, pty paths, generated tap names, device aliases) is
 * dropped. */
#define VK_DOMAIN_DEF_PARSE_INACTIVE (1u << 0)
/* Parsing a driver's own status file: also the bookkeeping that VK_DOMAIN_DEF_FORMAT_STATUS
 * writes (where runtime data came from). Never for user input. */
#define VK_DOMAIN_DEF_PARSE_STATUS (1u << 1)

/* Numerically equal to VIR_DOMAIN_XML_SECURE, _INACTIVE and _MIGRATABLE so that the public
 * API can pass its flags through. */
#define VK_DOMAIN_DEF_FORMAT_SECURE     (1u << 0) /* include graphics passwords */
#define VK_DOMAIN_DEF_FORMAT_INACTIVE   (1u << 1) /* persistent form, without runtime data */
#define VK_DOMAIN_DEF_FORMAT_MIGRATABLE (1u << 3) /* treated like INACTIVE for runtime data */
/* For a driver's status file: the live form plus where runtime data came from. */
#define VK_DOMAIN_DEF_FORMAT_STATUS (1u << 16)

/* Optional yes/no (or on/off) attributes: absent, or the value written. */
typedef enum {
    VK_DOMAIN_TRISTATE_ABSENT = 0,
    VK_DOMAIN_TRISTATE_YES, /* 'yes' or 'on' */
    VK_DOMAIN_TRISTATE_NO,  /* 'no' or 'off' */
} vkDomainTristate;

/* Where a table starts with a "default"/"none" entry, that value means "not written" and is
 * refused on input. */

typedef enum {
    VK_DOMAIN_VIRT_QEMU,
    VK_DOMAIN_VIRT_KVM,
    VK_DOMAIN_VIRT_TEST,
    VK_DOMAIN_VIRT_LAST
} vkDomainVirtType;
VK_ENUM_DECL(vkDomainVirt);

typedef enum {
    VK_DOMAIN_BOOT_FLOPPY,
    VK_DOMAIN_BOOT_CDROM,
    VK_DOMAIN_BOOT_DISK,
    VK_DOMAIN_BOOT_NET,
    VK_DOMAIN_BOOT_LAST
} vkDomainBootType;
VK_ENUM_DECL(vkDomainBoot);

typedef enum {
    VK_DOMAIN_LOADER_TYPE_NONE = 0,
    VK_DOMAIN_LOADER_TYPE_ROM,
    VK_DOMAIN_LOADER_TYPE_PFLASH,
    VK_DOMAIN_LOADER_TYPE_LAST
} vkDomainLoaderType;
VK_ENUM_DECL(vkDomainLoader);

typedef enum {
    VK_DOMAIN_FEATURE_ACPI,
    VK_DOMAIN_FEATURE_APIC,
    VK_DOMAIN_FEATURE_PAE,
    VK_DOMAIN_FEATURE_LAST
} vkDomainFeature;
VK_ENUM_DECL(vkDomainFeature);

typedef enum {
    VK_DOMAIN_LIFECYCLE_DESTROY,
    VK_DOMAIN_LIFECYCLE_RESTART,
    VK_DOMAIN_LIFECYCLE_RENAME_RESTART,
    VK_DOMAIN_LIFECYCLE_PRESERVE,
    VK_DOMAIN_LIFECYCLE_COREDUMP_DESTROY,
    VK_DOMAIN_LIFECYCLE_COREDUMP_RESTART,
    VK_DOMAIN_LIFECYCLE_LAST
} vkDomainLifecycleAction;
VK_ENUM_DECL(vkDomainLifecycle);

typedef enum {
    VK_DOMAIN_PLACEMENT_STATIC,
    VK_DOMAIN_PLACEMENT_AUTO,
    VK_DOMAIN_PLACEMENT_LAST
} vkDomainPlacement;
VK_ENUM_DECL(vkDomainPlacement);

typedef enum {
    VK_DOMAIN_NUMATUNE_STRICT,
    VK_DOMAIN_NUMATUNE_PREFERRED,
    VK_DOMAIN_NUMATUNE_INTERLEAVE,
    VK_DOMAIN_NUMATUNE_RESTRICTIVE,
    VK_DOMAIN_NUMATUNE_LAST
} vkDomainNumatuneMode;
VK_ENUM_DECL(vkDomainNumatuneMode);

typedef enum {
    VK_DOMAIN_CPU_MODE_CUSTOM,
    VK_DOMAIN_CPU_MODE_HOST_MODEL,
    VK_DOMAIN_CPU_MODE_HOST_PASSTHROUGH,
    VK_DOMAIN_CPU_MODE_MAXIMUM,
    VK_DOMAIN_CPU_MODE_LAST
} vkDomainCPUMode;
VK_ENUM_DECL(vkDomainCPUMode);

typedef enum {
    VK_DOMAIN_CPU_MATCH_MINIMUM,
    VK_DOMAIN_CPU_MATCH_EXACT,
    VK_DOMAIN_CPU_MATCH_STRICT,
    VK_DOMAIN_CPU_MATCH_LAST
} vkDomainCPUMatch;
VK_ENUM_DECL(vkDomainCPUMatch);

typedef enum {
    VK_DOMAIN_CPU_CHECK_DEFAULT = 0,
    VK_DOMAIN_CPU_CHECK_NONE,
    VK_DOMAIN_CPU_CHECK_PARTIAL,
    VK_DOMAIN_CPU_CHECK_FULL,
    VK_DOMAIN_CPU_CHECK_LAST
} vkDomainCPUCheck;
VK_ENUM_DECL(vkDomainCPUCheck);

typedef enum {
    VK_DOMAIN_CPU_FALLBACK_ALLOW,
    VK_DOMAIN_CPU_FALLBACK_FORBID,
    VK_DOMAIN_CPU_FALLBACK_LAST
} vkDomainCPUFallback;
VK_ENUM_DECL(vkDomainCPUFallback);

typedef enum {
    VK_DOMAIN_CLOCK_OFFSET_UTC,
    VK_DOMAIN_CLOCK_OFFSET_LOCALTIME,
    VK_DOMAIN_CLOCK_OFFSET_VARIABLE,
    VK_DOMAIN_CLOCK_OFFSET_TIMEZONE,
    VK_DOMAIN_CLOCK_OFFSET_LAST
} vkDomainClockOffset;
VK_ENUM_DECL(vkDomainClockOffset);

typedef enum {
    VK_DOMAIN_CLOCK_BASIS_UTC,
    VK_DOMAIN_CLOCK_BASIS_LOCALTIME,
    VK_DOMAIN_CLOCK_BASIS_LAST
} vkDomainClockBasis;
VK_ENUM_DECL(vkDomainClockBasis);

typedef enum {
    VK_DOMAIN_TIMER_PLATFORM,
    VK_DOMAIN_TIMER_PIT,
    VK_DOMAIN_TIMER_RTC,
    VK_DOMAIN_TIMER_HPET,
    VK_DOMAIN_TIMER_TSC,
    VK_DOMAIN_TIMER_KVMCLOCK,
    VK_DOMAIN_TIMER_HYPERVCLOCK,
    VK_DOMAIN_TIMER_ARMVTIMER,
    VK_DOMAIN_TIMER_LAST
} vkDomainTimerName;
VK_ENUM_DECL(vkDomainTimer);

typedef enum {
    VK_DOMAIN_TICKPOLICY_NONE = 0,
    VK_DOMAIN_TICKPOLICY_DELAY,
    VK_DOMAIN_TICKPOLICY_CATCHUP,
    VK_DOMAIN_TICKPOLICY_MERGE,
    VK_DOMAIN_TICKPOLICY_DISCARD,
    VK_DOMAIN_TICKPOLICY_LAST
} vkDomainTickpolicy;
VK_ENUM_DECL(vkDomainTickpolicy);

typedef enum {
    VK_DOMAIN_ADDRESS_TYPE_NONE = 0,
    VK_DOMAIN_ADDRESS_TYPE_PCI,
    VK_DOMAIN_ADDRESS_TYPE_DRIVE,
    VK_DOMAIN_ADDRESS_TYPE_LAST
} vkDomainAddressType;
VK_ENUM_DECL(vkDomainAddress);

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

typedef enum {
    VK_DOMAIN_CONTROLLER_TYPE_IDE,
    VK_DOMAIN_CONTROLLER_TYPE_FDC,
    VK_DOMAIN_CONTROLLER_TYPE_SCSI,
    VK_DOMAIN_CONTROLLER_TYPE_SATA,
    VK_DOMAIN_CONTROLLER_TYPE_VIRTIO_SERIAL,
    VK_DOMAIN_CONTROLLER_TYPE_USB,
    VK_DOMAIN_CONTROLLER_TYPE_PCI,
    VK_DOMAIN_CONTROLLER_TYPE_LAST
} vkDomainControllerType;
VK_ENUM_DECL(vkDomainController);

/* The model names valid for a controller type (NULL if the type has none), and the model's
 * index in that list; -1 when unknown. Models are stored as that index, -1 for "none". */
const char *vkDomainControllerModelToString(int type, int model);
int vkDomainControllerModelFromString(int type, const char *model);

/* The qemu device behind a pci controller, <model name='...'/> (libvirt's names). */
typedef enum {
    VK_DOMAIN_CONTROLLER_PCI_MODEL_NAME_PCI_BRIDGE,
    VK_DOMAIN_CONTROLLER_PCI_MODEL_NAME_I82801B11_BRIDGE,
    VK_DOMAIN_CONTROLLER_PCI_MODEL_NAME_IOH3420,
    VK_DOMAIN_CONTROLLER_PCI_MODEL_NAME_X3130_UPSTREAM,
    VK_DOMAIN_CONTROLLER_PCI_MODEL_NAME_XIO3130_DOWNSTREAM,
    VK_DOMAIN_CONTROLLER_PCI_MODEL_NAME_PXB,
    VK_DOMAIN_CONTROLLER_PCI_MODEL_NAME_PXB_PCIE,
    VK_DOMAIN_CONTROLLER_PCI_MODEL_NAME_PCIE_ROOT_PORT,
    VK_DOMAIN_CONTROLLER_PCI_MODEL_NAME_SPAPR_PCI_HOST_BRIDGE,
    VK_DOMAIN_CONTROLLER_PCI_MODEL_NAME_PCIE_PCI_BRIDGE,
    VK_DOMAIN_CONTROLLER_PCI_MODEL_NAME_LAST
} vkDomainControllerPCIModelName;
VK_ENUM_DECL(vkDomainControllerPCIModelName);

typedef enum {
    VK_DOMAIN_NET_TYPE_USER,
    VK_DOMAIN_NET_TYPE_ETHERNET,
    VK_DOMAIN_NET_TYPE_NETWORK,
    VK_DOMAIN_NET_TYPE_BRIDGE,
    VK_DOMAIN_NET_TYPE_LAST
} vkDomainNetType;
VK_ENUM_DECL(vkDomainNet);

typedef enum {
    VK_DOMAIN_CHR_DEVICE_SERIAL,
    VK_DOMAIN_CHR_DEVICE_CONSOLE,
    VK_DOMAIN_CHR_DEVICE_LAST
} vkDomainChrDeviceType;
VK_ENUM_DECL(vkDomainChrDevice);

typedef enum {
    VK_DOMAIN_CHR_TYPE_NULL,
    VK_DOMAIN_CHR_TYPE_VC,
    VK_DOMAIN_CHR_TYPE_PTY,
    VK_DOMAIN_CHR_TYPE_DEV,
    VK_DOMAIN_CHR_TYPE_FILE,
    VK_DOMAIN_CHR_TYPE_PIPE,
    VK_DOMAIN_CHR_TYPE_STDIO,
    VK_DOMAIN_CHR_TYPE_LAST
} vkDomainChrType;
VK_ENUM_DECL(vkDomainChr);

/* <console><target type=...>; NONE means not written, and becomes SERIAL. */
typedef enum {
    VK_DOMAIN_CHR_CONSOLE_TARGET_NONE = 0,
    VK_DOMAIN_CHR_CONSOLE_TARGET_SERIAL,
    VK_DOMAIN_CHR_CONSOLE_TARGET_VIRTIO,
    VK_DOMAIN_CHR_CONSOLE_TARGET_LAST
} vkDomainChrConsoleTarget;
VK_ENUM_DECL(vkDomainChrConsoleTarget);

/* <serial><target type=...> and <model name=...>; NONE means not written. Only the ISA
 * serial port is supported. */
typedef enum {
    VK_DOMAIN_CHR_SERIAL_TARGET_NONE = 0,
    VK_DOMAIN_CHR_SERIAL_TARGET_ISA,
    VK_DOMAIN_CHR_SERIAL_TARGET_LAST
} vkDomainChrSerialTarget;
VK_ENUM_DECL(vkDomainChrSerialTarget);

typedef enum {
    VK_DOMAIN_CHR_SERIAL_MODEL_NONE = 0,
    VK_DOMAIN_CHR_SERIAL_MODEL_ISA_SERIAL,
    VK_DOMAIN_CHR_SERIAL_MODEL_LAST
} vkDomainChrSerialModel;
VK_ENUM_DECL(vkDomainChrSerialModel);

typedef enum {
    VK_DOMAIN_INPUT_TYPE_MOUSE,
    VK_DOMAIN_INPUT_TYPE_TABLET,
    VK_DOMAIN_INPUT_TYPE_KBD,
    VK_DOMAIN_INPUT_TYPE_LAST
} vkDomainInputType;
VK_ENUM_DECL(vkDomainInput);

typedef enum {
    VK_DOMAIN_INPUT_BUS_PS2,
    VK_DOMAIN_INPUT_BUS_USB,
    VK_DOMAIN_INPUT_BUS_VIRTIO,
    VK_DOMAIN_INPUT_BUS_LAST
} vkDomainInputBus;
VK_ENUM_DECL(vkDomainInputBus);

typedef enum {
    VK_DOMAIN_INPUT_MODEL_DEFAULT = 0,
    VK_DOMAIN_INPUT_MODEL_VIRTIO,
    VK_DOMAIN_INPUT_MODEL_VIRTIO_TRANSITIONAL,
    VK_DOMAIN_INPUT_MODEL_VIRTIO_NON_TRANSITIONAL,
    VK_DOMAIN_INPUT_MODEL_LAST
} vkDomainInputModel;
VK_ENUM_DECL(vkDomainInputModel);

typedef enum {
    VK_DOMAIN_VIDEO_TYPE_DEFAULT = 0, /* not written; resolved when parsing */
    VK_DOMAIN_VIDEO_TYPE_VGA,
    VK_DOMAIN_VIDEO_TYPE_CIRRUS,
    VK_DOMAIN_VIDEO_TYPE_VMVGA,
    VK_DOMAIN_VIDEO_TYPE_QXL,
    VK_DOMAIN_VIDEO_TYPE_VIRTIO,
    VK_DOMAIN_VIDEO_TYPE_NONE,
    VK_DOMAIN_VIDEO_TYPE_BOCHS,
    VK_DOMAIN_VIDEO_TYPE_RAMFB,
    VK_DOMAIN_VIDEO_TYPE_LAST
} vkDomainVideoType;
VK_ENUM_DECL(vkDomainVideo);

typedef enum {
    VK_DOMAIN_MEMBALLOON_MODEL_VIRTIO,
    VK_DOMAIN_MEMBALLOON_MODEL_NONE,
    VK_DOMAIN_MEMBALLOON_MODEL_VIRTIO_TRANSITIONAL,
    VK_DOMAIN_MEMBALLOON_MODEL_VIRTIO_NON_TRANSITIONAL,
    VK_DOMAIN_MEMBALLOON_MODEL_LAST
} vkDomainMemballoonModel;
VK_ENUM_DECL(vkDomainMemballoonModel);

/* <audio type=...>: the backends that need no host setup. */
typedef enum {
    VK_DOMAIN_AUDIO_TYPE_NONE,
    VK_DOMAIN_AUDIO_TYPE_SPICE,
    VK_DOMAIN_AUDIO_TYPE_LAST
} vkDomainAudioType;
VK_ENUM_DECL(vkDomainAudio);

typedef enum {
    VK_DOMAIN_GRAPHICS_TYPE_VNC,
    VK_DOMAIN_GRAPHICS_TYPE_SPICE,
    VK_DOMAIN_GRAPHICS_TYPE_LAST
} vkDomainGraphicsType;
VK_ENUM_DECL(vkDomainGraphics);

typedef enum {
    VK_DOMAIN_GRAPHICS_LISTEN_TYPE_NONE = 0, /* a real type: listen nowhere */
    VK_DOMAIN_GRAPHICS_LISTEN_TYPE_ADDRESS,
    VK_DOMAIN_GRAPHICS_LISTEN_TYPE_NETWORK,
    VK_DOMAIN_GRAPHICS_LISTEN_TYPE_SOCKET,
    VK_DOMAIN_GRAPHICS_LISTEN_TYPE_LAST
} vkDomainGraphicsListenType;
VK_ENUM_DECL(vkDomainGraphicsListen);

/* Device bookkeeping shared by most devices. */
typedef struct {
    int type; /* vkDomainAddressType */
    struct {
        unsigned int domain, bus, slot, function;
        int multi; /* vkDomainTristate: multifunction on/off */
    } pci;
    struct {
        unsigned int controller, bus, target, unit;
    } drive;
} vkDomainDeviceAddress;

typedef struct {
    char *alias;            /* runtime name (<alias name=.../>); user aliases start "ua-" */
    unsigned int bootIndex; /* <boot order=.../>; 0 when absent */
    vkDomainDeviceAddress addr;
} vkDomainDeviceInfo;

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

typedef struct {
    int type;  /* vkDomainControllerType */
    int index; /* -1 only while parsing */
    int model; /* see vkDomainControllerModelToString; -1 for none */
    /* pci controllers only; -1 when not given */
    int modelName; /* vkDomainControllerPCIModelName */
    int chassisNr; /* <target chassisNr=...> of a pci-bridge */
    int chassis;   /* <target chassis=... port=...> of a PCIe port */
    int port;
    vkDomainDeviceInfo info;
} vkDomainControllerDef;

typedef struct {
    int type; /* vkDomainNetType */
    unsigned char mac[6];
    gboolean macGenerated; /* no <mac> was given; mac was made up in 52:54:00:xx:xx:xx */
    char *network;         /* type network: <source network=...> */
    char *bridge;          /* type bridge: <source bridge=...> */
    char *ifname;          /* <target dev=...>; names starting vnet are runtime data */
    char *model;           /* <model type=...>, canonical spelling for known models */
    vkDomainDeviceInfo info;
} vkDomainNetDef;

typedef struct {
    int deviceType;  /* vkDomainChrDeviceType */
    int type;        /* vkDomainChrType */
    char *path;      /* dev/file/pipe: required; pty: the allocated pty (runtime data) */
    int targetType;  /* consoles: vkDomainChrConsoleTarget; serials: vkDomainChrSerialTarget */
    int targetModel; /* serials: vkDomainChrSerialModel; consoles: always 0 */
    int port;        /* <target port=...>; -1 only while parsing */
    vkDomainDeviceInfo info;
} vkDomainChrDef;

typedef struct {
    int type;  /* vkDomainInputType */
    int bus;   /* vkDomainInputBus */
    int model; /* vkDomainInputModel */
    vkDomainDeviceInfo info;
} vkDomainInputDef;

typedef struct {
    int type;                              /* vkDomainVideoType */
    unsigned int ram, vram, vgamem, heads; /* KiB; 0 when not set */
    gboolean primary;
    vkDomainDeviceInfo info;
} vkDomainVideoDef;

typedef struct {
    unsigned int id; /* >= 1, unique; graphics and sound devices refer to it */
    int type;        /* vkDomainAudioType */
} vkDomainAudioDef;

typedef struct {
    int model;           /* vkDomainMemballoonModel */
    int autodeflate;     /* vkDomainTristate (on/off) */
    unsigned int period; /* <stats period=...> seconds; 0 when absent */
    vkDomainDeviceInfo info;
} vkDomainMemballoonDef;

typedef struct {
    int type;      /* vkDomainGraphicsListenType */
    char *address; /* address: the address, optional; network: the resolved address, which is
                    * runtime data set by the driver at start */
    char *network; /* network: the network's name, required */
    char *socket;  /* socket (vnc only): the path; may be left for the driver to fill in */
    gboolean autoGenerated; /* socket was made up by the driver: not part of the config */
    gboolean fromConfig;    /* address: the driver's default filled in at start (runtime data,
                             * left out of the migratable form) */
} vkDomainGraphicsListenDef;

typedef struct {
    int type;                    /* vkDomainGraphicsType */
    int port;                    /* 0: none yet; -1: legacy spelling of autoport */
    gboolean autoport;           /* the driver picks port (and tlsPort) at start */
    int websocket;               /* vnc: 0 none, -1 the driver picks one */
    gboolean websocketGenerated; /* websocket was picked by the driver */
    int tlsPort;                 /* spice: 0 none, -1 legacy autoport */
    char *passwd;                /* printed only with VK_DOMAIN_DEF_FORMAT_SECURE */
    char *keymap;
    vkDomainGraphicsListenDef *listens; /* at least one after parsing */
    size_t nlistens;
} vkDomainGraphicsDef;

typedef struct {
    int mode;       /* vkDomainCPUMode */
    int match;      /* vkDomainCPUMatch; custom mode only */
    int check;      /* vkDomainCPUCheck */
    int migratable; /* vkDomainTristate (on/off); host-passthrough and maximum only */
    char *model;    /* custom and host-model modes */
    int fallback;   /* vkDomainCPUFallback */
    unsigned int sockets, dies, cores, threads; /* topology; all 0 when absent */
} vkDomainCPUDef;

typedef struct {
    int name;       /* vkDomainTimerName */
    int present;    /* vkDomainTristate */
    int tickpolicy; /* vkDomainTickpolicy */
} vkDomainTimerDef;

typedef struct {
    int offset;               /* vkDomainClockOffset */
    gboolean adjustmentReset; /* utc/localtime: adjustment='reset' */
    long long adjustment;     /* variable: seconds */
    int basis;                /* variable: vkDomainClockBasis */
    char *timezone;           /* timezone */
    vkDomainTimerDef *timers;
    size_t ntimers;
} vkDomainClockDef;

typedef struct _vkDomainDef vkDomainDef;
struct _vkDomainDef {
    int virtType; /* vkDomainVirtType */
    int id;       /* -1 when not running */
    char *name;
    unsigned char uuid[VIR_UUID_BUFLEN];
    char *title;
    char *description;

    unsigned long long memory;        /* KiB */
    unsigned long long currentMemory; /* KiB; equals memory unless ballooned */
    unsigned long long maxMemory;     /* KiB; 0 without memory hotplug */
    unsigned int maxMemorySlots;

    unsigned int vcpus;        /* maximum */
    unsigned int vcpusCurrent; /* online at boot; <= vcpus */
    int placement;             /* vkDomainPlacement */
    struct {
        gboolean specified; /* <numatune><memory mode=... placement='auto'/></numatune> */
        int mode;           /* vkDomainNumatuneMode */
    } numatune;

    struct {
        char *type; /* "hvm" */
        char *arch; /* x86_64 when not written */
        char *machine;
        struct {
            char *path;
            int readonly; /* vkDomainTristate */
            int secure;   /* vkDomainTristate */
            int type;     /* vkDomainLoaderType */
        } loader;
        char *nvram;
        char *nvramTemplate;
        char *kernel;
        char *initrd;
        char *cmdline;
        int bootDevs[VK_DOMAIN_BOOT_LAST]; /* vkDomainBootType, in boot order */
        size_t nBootDevs;
        int bootmenu; /* vkDomainTristate */
        unsigned int bootmenuTimeout;
        gboolean bootmenuTimeoutSet;
    } os;

    gboolean features[VK_DOMAIN_FEATURE_LAST];
    vkDomainCPUDef *cpu; /* NULL when absent */
    vkDomainClockDef clock;
    int onPoweroff; /* vkDomainLifecycleAction */
    int onReboot;
    int onCrash;

    char *emulator;
    vkDomainDiskDef **disks;
    size_t ndisks;
    vkDomainControllerDef **controllers;
    size_t ncontrollers;
    vkDomainNetDef **nets;
    size_t nnets;
    vkDomainChrDef **serials;
    size_t nserials;
    /* For hvm guests consoles[0] may be an alias of serials[0] (target type serial): it is
     * formatted with the serial's source, as libvirt does. */
    vkDomainChrDef **consoles;
    size_t nconsoles;
    vkDomainInputDef **inputs;
    size_t ninputs;
    vkDomainGraphicsDef **graphics;
    size_t ngraphics;
    vkDomainAudioDef **audios;
    size_t naudios;
    vkDomainVideoDef **videos; /* the primary one first */
    size_t nvideos;
    vkDomainMemballoonDef *memballoon; /* NULL when absent; libvirt allows one */
};

/* Parse a complete <domain> document. NULL with an error reported on failure. */
vkDomainDef *vkDomainDefParseString(const char *xml, unsigned int flags);
vkDomainDef *vkDomainDefParseFile(const char *path, unsigned int flags);
/* Parse a <domain> element inside an already parsed document (root need not be the
 * document's root element). */
vkDomainDef *vkDomainDefParseNode(xmlDocPtr doc, xmlNodePtr root, unsigned int flags);

/* Format in libvirt's layout; g_free the result. A domain with id -1 (not running) is always
 * formatted in its persistent form, as libvirt does. */
char *vkDomainDefFormat(const vkDomainDef *def, unsigned int flags);

/* Deep copy; never fails. */
vkDomainDef *vkDomainDefCopy(const vkDomainDef *def);
void vkDomainDefFree(vkDomainDef *def);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(vkDomainDef, vkDomainDefFree)

/* def->os.type ("hvm"). */
const char *vkDomainDefGetOSType(const vkDomainDef *def);

/* TRUE if ARCH is one of libvirt's architecture names (virArch). */
gboolean vkDomainArchIsKnown(const char *arch);

/* Listen i of a graphics device (0 is the one the legacy attributes mirror), or NULL. */
vkDomainGraphicsListenDef *vkDomainGraphicsGetListen(vkDomainGraphicsDef *def, size_t i);

/* Add a controller of TYPE with INDEX and MODEL (-1 for none) where libvirt puts it: after
 * the last one of its type, ordered by index. Returns the new controller, or NULL when one of
 * that type and index already exists (nothing is added). */
vkDomainControllerDef *vkDomainDefAddController(vkDomainDef *def, int type, int index, int model);

/* A disk's position among the disks of its name prefix, from its target name: hda 0, hdz 25,
 * hdaa 26 (vda, sda alike); -1 when the name is too long to count. */
int vkDomainDiskNameIndex(const char *dst);

/* The most controllers of one type that drive addresses may imply. */
#define VK_DOMAIN_MAX_IMPLIED_CONTROLLERS 256

/* Fails, as libvirt does, when two disks on one bus have the same drive address; run again
 * once a driver has given the disks without one theirs. */
int vkDomainDefCheckDriveAddresses(const vkDomainDef *def);

/* Adds, as libvirt does, every controller that a disk's drive address implies (all of its type
 * up to the index it names) and the virtio-serial controller of virtio consoles. Fails for a
 * drive address naming controller VK_DOMAIN_MAX_IMPLIED_CONTROLLERS or beyond. */
int vkDomainDefAddImplicitControllers(vkDomainDef *def);

/* Generate a MAC address in QEMU's 52:54:00 range. */
void vkDomainNetGenerateMAC(unsigned char mac[6]);
/* Format as "aa:bb:cc:dd:ee:ff" into buf (at least VK_DOMAIN_MAC_STRLEN bytes). */
#define VK_DOMAIN_MAC_STRLEN 18
void vkDomainNetFormatMAC(const unsigned char mac[6], char *buf);

/* Convert a number with a libvirt unit suffix (b, bytes, k, KiB, KB, M, MiB, MB, ... E) to
 * KiB, rounding up like libvirt. unit may be NULL (KiB). Returns 0, or -1 without reporting
 * (overflow: *overflow is set TRUE; unknown unit: FALSE). */
int vkDomainScaleToKiB(unsigned long long value, const char *unit, unsigned long long *kib,
                       gboolean *overflow);

void vkDomainDiskDefFree(vkDomainDiskDef *def);
void vkDomainControllerDefFree(vkDomainControllerDef *def);
void vkDomainNetDefFree(vkDomainNetDef *def);
void vkDomainChrDefFree(vkDomainChrDef *def);
void vkDomainInputDefFree(vkDomainInputDef *def);
void vkDomainVideoDefFree(vkDomainVideoDef *def);
void vkDomainMemballoonDefFree(vkDomainMemballoonDef *def);
void vkDomainAudioDefFree(vkDomainAudioDef *def);
void vkDomainGraphicsDefFree(vkDomainGraphicsDef *def);

G_DEFINE_AUTOPTR_CLEANUP_FUNC(vkDomainDiskDef, vkDomainDiskDefFree)
G_DEFINE_AUTOPTR_CLEANUP_FUNC(vkDomainControllerDef, vkDomainControllerDefFree)
G_DEFINE_AUTOPTR_CLEANUP_FUNC(vkDomainNetDef, vkDomainNetDefFree)
G_DEFINE_AUTOPTR_CLEANUP_FUNC(vkDomainChrDef, vkDomainChrDefFree)
G_DEFINE_AUTOPTR_CLEANUP_FUNC(vkDomainInputDef, vkDomainInputDefFree)
G_DEFINE_AUTOPTR_CLEANUP_FUNC(vkDomainVideoDef, vkDomainVideoDefFree)
G_DEFINE_AUTOPTR_CLEANUP_FUNC(vkDomainMemballoonDef, vkDomainMemballoonDefFree)
G_DEFINE_AUTOPTR_CLEANUP_FUNC(vkDomainAudioDef, vkDomainAudioDefFree)
G_DEFINE_AUTOPTR_CLEANUP_FUNC(vkDomainGraphicsDef, vkDomainGraphicsDefFree)

/* The libvirt-compatible <domain> XML model: parse and validate into structs, fill in the
 * defaults libvirt stores, and format back out in libvirt's layout. No host access. */
#pragma once

#include "conf/domain_audio.h"
#include "conf/domain_chr.h"
#include "conf/domain_common.h"
#include "conf/domain_controller.h"
#include "conf/domain_disk.h"
#include "conf/domain_graphics.h"
#include "conf/domain_input.h"
#include "conf/domain_memballoon.h"
#include "conf/domain_net.h"
#include "conf/domain_redirdev.h"
#include "conf/domain_rng.h"
#include "conf/domain_sound.h"
#include "conf/domain_tpm.h"
#include "conf/domain_video.h"
#include "util/vkbitmap.h"

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

/* <os firmware=...>: the firmware the driver picks from the host's descriptors. */
typedef enum {
    VK_DOMAIN_OS_FIRMWARE_NONE = 0,
    VK_DOMAIN_OS_FIRMWARE_BIOS,
    VK_DOMAIN_OS_FIRMWARE_EFI,
    VK_DOMAIN_OS_FIRMWARE_LAST
} vkDomainOSFirmware;
VK_ENUM_DECL(vkDomainOSFirmware);

/* <os><firmware><feature name=...>: what the picked firmware must (not) have. */
typedef enum {
    VK_DOMAIN_OS_FIRMWARE_FEATURE_ENROLLED_KEYS,
    VK_DOMAIN_OS_FIRMWARE_FEATURE_SECURE_BOOT,
    VK_DOMAIN_OS_FIRMWARE_FEATURE_LAST
} vkDomainOSFirmwareFeature;
VK_ENUM_DECL(vkDomainOSFirmwareFeature);

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

/* <features><hyperv>: the Hyper-V enlightenments offered to Windows guests. */
typedef enum {
    VK_DOMAIN_HYPERV_MODE_NONE = 0,
    VK_DOMAIN_HYPERV_MODE_CUSTOM,
    VK_DOMAIN_HYPERV_MODE_PASSTHROUGH,
    VK_DOMAIN_HYPERV_MODE_LAST
} vkDomainHypervMode;
VK_ENUM_DECL(vkDomainHypervMode);

typedef enum {
    VK_DOMAIN_HYPERV_RELAXED,
    VK_DOMAIN_HYPERV_VAPIC,
    VK_DOMAIN_HYPERV_SPINLOCKS,
    VK_DOMAIN_HYPERV_VPINDEX,
    VK_DOMAIN_HYPERV_RUNTIME,
    VK_DOMAIN_HYPERV_SYNIC,
    VK_DOMAIN_HYPERV_STIMER,
    VK_DOMAIN_HYPERV_RESET,
    VK_DOMAIN_HYPERV_VENDOR_ID,
    VK_DOMAIN_HYPERV_FREQUENCIES,
    VK_DOMAIN_HYPERV_REENLIGHTENMENT,
    VK_DOMAIN_HYPERV_TLBFLUSH,
    VK_DOMAIN_HYPERV_IPI,
    VK_DOMAIN_HYPERV_EVMCS,
    VK_DOMAIN_HYPERV_AVIC,
    VK_DOMAIN_HYPERV_LAST
} vkDomainHypervFeature;
VK_ENUM_DECL(vkDomainHyperv);

typedef struct {
    int mode;                            /* vkDomainHypervMode; NONE without <hyperv> */
    int features[VK_DOMAIN_HYPERV_LAST]; /* vkDomainTristate (on/off) */
    unsigned int spinlocks;              /* retries, with spinlocks on */
    int stimerDirect;                    /* vkDomainTristate (on/off) */
    char *vendorId;                      /* with vendor_id on */
} vkDomainHypervDef;

typedef enum {
    VK_DOMAIN_CPU_FEATURE_FORCE,
    VK_DOMAIN_CPU_FEATURE_REQUIRE,
    VK_DOMAIN_CPU_FEATURE_OPTIONAL,
    VK_DOMAIN_CPU_FEATURE_DISABLE,
    VK_DOMAIN_CPU_FEATURE_FORBID,
    VK_DOMAIN_CPU_FEATURE_LAST
} vkDomainCPUFeaturePolicy;
VK_ENUM_DECL(vkDomainCPUFeaturePolicy);

typedef enum {
    VK_DOMAIN_CPU_CACHE_EMULATE,
    VK_DOMAIN_CPU_CACHE_PASSTHROUGH,
    VK_DOMAIN_CPU_CACHE_DISABLE,
    VK_DOMAIN_CPU_CACHE_LAST
} vkDomainCPUCacheMode;
VK_ENUM_DECL(vkDomainCPUCacheMode);

typedef struct {
    char *name;
    int policy; /* vkDomainCPUFeaturePolicy */
} vkDomainCPUFeatureDef;

typedef struct {
    int mode;       /* vkDomainCPUMode */
    int match;      /* vkDomainCPUMatch; custom mode only */
    int check;      /* vkDomainCPUCheck */
    int migratable; /* vkDomainTristate (on/off); host-passthrough and maximum only */
    char *model;    /* custom and host-model modes */
    int fallback;   /* vkDomainCPUFallback */
    unsigned int sockets, dies, cores, threads; /* topology; all 0 when absent */
    char *vendorId;                             /* <model vendor_id>: 12 characters */
    char *vendor;                               /* <vendor>, with a model */
    vkDomainCPUFeatureDef *features;
    size_t nfeatures;
    gboolean hasCache;
    int cacheLevel; /* 1 to 3; -1 when not given */
    int cacheMode;  /* vkDomainCPUCacheMode */
} vkDomainCPUDef;

vkDomainCPUDef *vkDomainCPUDefCopy(const vkDomainCPUDef *src);
void vkDomainCPUDefFree(vkDomainCPUDef *cpu);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(vkDomainCPUDef, vkDomainCPUDefFree)

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

struct _vkDomainDef {
    int virtType; /* vkDomainVirtType */
    int id;       /* -1 when not running */
    char *name;
    unsigned char uuid[VIR_UUID_BUFLEN];
    char *title;
    char *description;
    /* <metadata>: a document of its own whose root is a copy of the element, blank text
     * dropped and children without a namespace removed, as libvirt keeps it. NULL when
     * absent. */
    xmlDocPtr metadata;

    unsigned long long memory;        /* KiB */
    unsigned long long currentMemory; /* KiB; equals memory unless ballooned */
    unsigned long long maxMemory;     /* KiB; 0 without memory hotplug */
    unsigned int maxMemorySlots;

    unsigned int vcpus;        /* maximum */
    unsigned int vcpusCurrent; /* online at boot; <= vcpus */
    int placement;             /* vkDomainPlacement */
    vkBitmap *cpumask;         /* <vcpu cpuset=...>: the host CPUs; NULL for all */
    struct {
        gboolean specified; /* <numatune><memory mode=... placement='auto'/></numatune> */
        int mode;           /* vkDomainNumatuneMode */
    } numatune;

    struct {
        char *type; /* "hvm" */
        char *arch; /* x86_64 when not written */
        char *machine;
        int firmware; /* vkDomainOSFirmware */
        /* vkDomainTristate each; all absent without <firmware> features */
        int firmwareFeatures[VK_DOMAIN_OS_FIRMWARE_FEATURE_LAST];
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
    vkDomainHypervDef hyperv;
    int vmport;          /* vkDomainTristate (on/off): <features><vmport state=.../> */
    int smm;             /* vkDomainTristate (on/off): <features><smm state=.../> */
    vkDomainCPUDef *cpu; /* NULL when absent */
    vkDomainClockDef clock;
    int onPoweroff; /* vkDomainLifecycleAction */
    int onReboot;
    int onCrash;
    int pmS3; /* vkDomainTristate: <pm><suspend-to-mem enabled=.../> */
    int pmS4; /* vkDomainTristate: <pm><suspend-to-disk enabled=.../> */

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
    vkDomainChrDef **channels;
    size_t nchannels;
    vkDomainInputDef **inputs;
    size_t ninputs;
    vkDomainTPMDef **tpms;
    size_t ntpms;
    vkDomainGraphicsDef **graphics;
    size_t ngraphics;
    vkDomainAudioDef **audios;
    size_t naudios;
    vkDomainVideoDef **videos; /* the primary one first */
    size_t nvideos;
    vkDomainSoundDef **sounds;
    size_t nsounds;
    vkDomainRedirdevDef **redirdevs;
    size_t nredirdevs;
    vkDomainMemballoonDef *memballoon; /* NULL when absent; libvirt allows one */
    vkDomainRNGDef **rngs;
    size_t nrngs;
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

/* libvirt's VIR_DOMAIN_CPUMASK_LEN: host CPU numbers in a cpuset are below it. */
#define VK_DOMAIN_CPUMASK_LEN 16384

/* virDomainGetMetadata for DEF: the description, title, or (VIR_DOMAIN_METADATA_ELEMENT) the
 * child of <metadata> in namespace URI without its prefix. NULL with VIR_ERR_NO_DOMAIN_METADATA
 * reported when there is none. */
char *vkDomainDefGetMetadata(const vkDomainDef *def, int type, const char *uri);
/* virDomainSetMetadata for DEF: METADATA NULL or "" removes the description or title; for an
 * element, METADATA is XML put into namespace URI with prefix KEY in place of any child in
 * that namespace (NULL removes it). */
int vkDomainDefSetMetadata(vkDomainDef *def, int type, const char *metadata, const char *key,
                           const char *uri);

/* Deep copy; never fails. */
vkDomainDef *vkDomainDefCopy(const vkDomainDef *def);
void vkDomainDefFree(vkDomainDef *def);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(vkDomainDef, vkDomainDefFree)

/* def->os.type ("hvm"). */
const char *vkDomainDefGetOSType(const vkDomainDef *def);

/* TRUE if ARCH is one of libvirt's architecture names (virArch). */
gboolean vkDomainArchIsKnown(const char *arch);

/* The most controllers of one type that drive addresses may imply. */
#define VK_DOMAIN_MAX_IMPLIED_CONTROLLERS 256

/* Fails, as libvirt does, when two disks on one bus have the same drive address; run again
 * once a driver has given the disks without one theirs. */
int vkDomainDefCheckDriveAddresses(const vkDomainDef *def);

/* Adds, as libvirt does, every controller that a disk's drive address implies (all of its type
 * up to the index it names) and the virtio-serial controller of virtio consoles. Fails for a
 * drive address naming controller VK_DOMAIN_MAX_IMPLIED_CONTROLLERS or beyond. */
int vkDomainDefAddImplicitControllers(vkDomainDef *def);

/* Convert a number with a libvirt unit suffix (b, bytes, k, KiB, KB, M, MiB, MB, ... E) to
 * KiB, rounding up like libvirt. unit may be NULL (KiB). Returns 0, or -1 without reporting
 * (overflow: *overflow is set TRUE; unknown unit: FALSE). */
int vkDomainScaleToKiB(unsigned long long value, const char *unit, unsigned long long *kib,
                       gboolean *overflow);

/* virtkit public API: libvirt's names, signatures and numeric values, so that a program written
 * against libvirt builds against virtkit by changing its include line and link flag. */
#ifndef VIRTKIT_VIRTKIT_H
#define VIRTKIT_VIRTKIT_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ---- versions ---- */

/* The libvirt release whose API and behaviour virtkit follows; programs compare against it
 * with LIBVIR_CHECK_VERSION exactly as they would with libvirt. */
#define LIBVIR_VERSION_NUMBER 9000000
#define LIBVIR_CHECK_VERSION(major, minor, micro) \
    ((major)*1000000 + (minor)*1000 + (micro) <= LIBVIR_VERSION_NUMBER)

/* virtkit's own release, encoded the same way. */
#define VIRTKIT_VERSION_NUMBER 1000
#define VIRTKIT_CHECK_VERSION(major, minor, micro) \
    ((major)*1000000 + (minor)*1000 + (micro) <= VIRTKIT_VERSION_NUMBER)

/* ---- object handles ---- */

typedef struct _virConnect virConnect;
typedef virConnect *virConnectPtr;
typedef struct _virDomain virDomain;
typedef virDomain *virDomainPtr;
typedef struct _virNetwork virNetwork;
typedef virNetwork *virNetworkPtr;
typedef struct _virStoragePool virStoragePool;
typedef virStoragePool *virStoragePoolPtr;
typedef struct _virStorageVol virStorageVol;
typedef virStorageVol *virStorageVolPtr;
typedef struct _virStream virStream;
typedef virStream *virStreamPtr;

#define VIR_UUID_BUFLEN        (16)
#define VIR_UUID_STRING_BUFLEN (36 + 1)

/* ---- connections and the host ---- */

typedef enum {
    VIR_CONNECT_RO = (1 << 0),
    VIR_CONNECT_NO_ALIASES = (1 << 1),
} virConnectFlags;

typedef enum {
    VIR_CRED_USERNAME = 1,
    VIR_CRED_AUTHNAME = 2,
    VIR_CRED_LANGUAGE = 3,
    VIR_CRED_CNONCE = 4,
    VIR_CRED_PASSPHRASE = 5,
    VIR_CRED_ECHOPROMPT = 6,
    VIR_CRED_NOECHOPROMPT = 7,
    VIR_CRED_REALM = 8,
    VIR_CRED_EXTERNAL = 9,
#ifdef VIR_ENUM_SENTINELS
    VIR_CRED_LAST,
#endif
} virConnectCredentialType;

struct _virConnectCredential {
    int type;
    const char *prompt;
    const char *challenge;
    const char *defresult;
    char *result;
    unsigned int resultlen;
};
typedef struct _virConnectCredential virConnectCredential;
typedef virConnectCredential *virConnectCredentialPtr;

typedef int (*virConnectAuthCallbackPtr)(virConnectCredentialPtr cred, unsigned int ncred,
                                         void *cbdata);

struct _virConnectAuth {
    int *credtype;
    unsigned int ncredtype;
    virConnectAuthCallbackPtr cb;
    void *cbdata;
};
typedef struct _virConnectAuth virConnectAuth;
typedef virConnectAuth *virConnectAuthPtr;

/* No driver built today asks for credentials, so this offers none. */
extern virConnectAuthPtr virConnectAuthPtrDefault;

struct _virNodeInfo {
    char model[32];
    unsigned long memory; /* KiB */
    unsigned int cpus;
    unsigned int mhz;
    unsigned int nodes;
    unsigned int sockets;
    unsigned int cores;
    unsigned int threads;
};
typedef struct _virNodeInfo virNodeInfo;
typedef virNodeInfo *virNodeInfoPtr;

#define VIR_SECURITY_LABEL_BUFLEN (4096 + 1)
#define VIR_SECURITY_MODEL_BUFLEN (256 + 1)
#define VIR_SECURITY_DOI_BUFLEN   (256 + 1)

struct _virSecurityLabel {
    char label[VIR_SECURITY_LABEL_BUFLEN];
    int enforcing; /* 1 if the policy is enforced for the domain */
};
typedef struct _virSecurityLabel virSecurityLabel;
typedef virSecurityLabel *virSecurityLabelPtr;

struct _virSecurityModel {
    char model[VIR_SECURITY_MODEL_BUFLEN];
    char doi[VIR_SECURITY_DOI_BUFLEN]; /* domain of interpretation */
};
typedef struct _virSecurityModel virSecurityModel;
typedef virSecurityModel *virSecurityModelPtr;

#define VIR_NODEINFO_MAXCPUS(nodeinfo) \
    ((nodeinfo).nodes * (nodeinfo).sockets * (nodeinfo).cores * (nodeinfo).threads)

int virInitialize(void);
int virGetVersion(unsigned long *libVer, const char *type, unsigned long *typeVer);

virConnectPtr virConnectOpen(const char *name);
virConnectPtr virConnectOpenReadOnly(const char *name);
virConnectPtr virConnectOpenAuth(const char *name, virConnectAuthPtr auth, unsigned int flags);
int virConnectRef(virConnectPtr conn);
int virConnectClose(virConnectPtr conn);

const char *virConnectGetType(virConnectPtr conn);
int virConnectGetVersion(virConnectPtr conn, unsigned long *hvVer);
int virConnectGetLibVersion(virConnectPtr conn, unsigned long *libVer);
char *virConnectGetHostname(virConnectPtr conn);
char *virConnectGetURI(virConnectPtr conn);
char *virConnectGetCapabilities(virConnectPtr conn);
char *virConnectGetSysinfo(virConnectPtr conn, unsigned int flags);
int virConnectGetMaxVcpus(virConnectPtr conn, const char *type);
int virConnectIsAlive(virConnectPtr conn);
int virConnectIsEncrypted(virConnectPtr conn);
int virConnectIsSecure(virConnectPtr conn);
int virNodeGetInfo(virConnectPtr conn, virNodeInfoPtr info);
int virNodeGetSecurityModel(virConnectPtr conn, virSecurityModelPtr secmodel);

/* What a guest may use on this host with a given emulator, architecture, machine and
 * accelerator (NULL: the defaults), as libvirt's <domainCapabilities> document. */
char *virConnectGetDomainCapabilities(virConnectPtr conn, const char *emulatorbin, const char *arch,
                                      const char *machine, const char *virttype,
                                      unsigned int flags);

typedef enum {
    VIR_CONNECT_BASELINE_CPU_EXPAND_FEATURES = (1 << 0),
    VIR_CONNECT_BASELINE_CPU_MIGRATABLE = (1 << 1),
} virConnectBaselineCPUFlags;

/* A CPU definition every one of the NCPUS given CPUs can run. */
char *virConnectBaselineHypervisorCPU(virConnectPtr conn, const char *emulator, const char *arch,
                                      const char *machine, const char *virttype,
                                      const char **xmlCPUs, unsigned int ncpus, unsigned int flags);

/* ---- the event loop ---- */

/* Releases the opaque data a caller handed over with a callback, once nothing will call the
 * callback again. */
typedef void (*virFreeCallback)(void *opaque);

typedef enum {
    VIR_EVENT_HANDLE_READABLE = (1 << 0),
    VIR_EVENT_HANDLE_WRITABLE = (1 << 1),
    VIR_EVENT_HANDLE_ERROR = (1 << 2),
    VIR_EVENT_HANDLE_HANGUP = (1 << 3),
} virEventHandleType;

typedef void (*virEventHandleCallback)(int watch, int fd, int events, void *opaque);
typedef void (*virEventTimeoutCallback)(int timer, void *opaque);

/* An application with a loop of its own supplies these six; otherwise
 * virEventRegisterDefaultImpl installs the library's, which runs in GLib's default main
 * context (so a GMainLoop on that context serves events as well as virEventRunDefaultImpl). */
typedef int (*virEventAddHandleFunc)(int fd, int event, virEventHandleCallback cb, void *opaque,
                                     virFreeCallback ff);
typedef void (*virEventUpdateHandleFunc)(int watch, int event);
typedef int (*virEventRemoveHandleFunc)(int watch);
typedef int (*virEventAddTimeoutFunc)(int timeout, virEventTimeoutCallback cb, void *opaque,
                                      virFreeCallback ff);
typedef void (*virEventUpdateTimeoutFunc)(int timer, int timeout);
typedef int (*virEventRemoveTimeoutFunc)(int timer);

void virEventRegisterImpl(virEventAddHandleFunc addHandle, virEventUpdateHandleFunc updateHandle,
                          virEventRemoveHandleFunc removeHandle, virEventAddTimeoutFunc addTimeout,
                          virEventUpdateTimeoutFunc updateTimeout,
                          virEventRemoveTimeoutFunc removeTimeout);
int virEventRegisterDefaultImpl(void);
/* Runs one iteration of the default loop, waiting for something to happen. */
int virEventRunDefaultImpl(void);

int virEventAddHandle(int fd, int events, virEventHandleCallback cb, void *opaque,
                      virFreeCallback ff);
void virEventUpdateHandle(int watch, int events);
int virEventRemoveHandle(int watch);
/* FREQUENCY in milliseconds: 0 fires on every iteration, -1 disables the timer. */
int virEventAddTimeout(int frequency, virEventTimeoutCallback cb, void *opaque, virFreeCallback ff);
void virEventUpdateTimeout(int timer, int frequency);
int virEventRemoveTimeout(int timer);

/* ---- domains ---- */

typedef enum {
    VIR_DOMAIN_NOSTATE = 0,
    VIR_DOMAIN_RUNNING = 1,
    VIR_DOMAIN_BLOCKED = 2,
    VIR_DOMAIN_PAUSED = 3,
    VIR_DOMAIN_SHUTDOWN = 4,
    VIR_DOMAIN_SHUTOFF = 5,
    VIR_DOMAIN_CRASHED = 6,
    VIR_DOMAIN_PMSUSPENDED = 7,
#ifdef VIR_ENUM_SENTINELS
    VIR_DOMAIN_LAST,
#endif
} virDomainState;

/* Why a domain is in its state: one enum per state, as virDomainGetState reports them. */
typedef enum {
    VIR_DOMAIN_NOSTATE_UNKNOWN = 0,
#ifdef VIR_ENUM_SENTINELS
    VIR_DOMAIN_NOSTATE_LAST,
#endif
} virDomainNostateReason;

typedef enum {
    VIR_DOMAIN_RUNNING_UNKNOWN = 0,
    VIR_DOMAIN_RUNNING_BOOTED = 1,
    VIR_DOMAIN_RUNNING_MIGRATED = 2,
    VIR_DOMAIN_RUNNING_RESTORED = 3,
    VIR_DOMAIN_RUNNING_FROM_SNAPSHOT = 4,
    VIR_DOMAIN_RUNNING_UNPAUSED = 5,
    VIR_DOMAIN_RUNNING_MIGRATION_CANCELED = 6,
    VIR_DOMAIN_RUNNING_SAVE_CANCELED = 7,
    VIR_DOMAIN_RUNNING_WAKEUP = 8,
    VIR_DOMAIN_RUNNING_CRASHED = 9,
    VIR_DOMAIN_RUNNING_POSTCOPY = 10,
    VIR_DOMAIN_RUNNING_POSTCOPY_FAILED = 11,
#ifdef VIR_ENUM_SENTINELS
    VIR_DOMAIN_RUNNING_LAST,
#endif
} virDomainRunningReason;

typedef enum {
    VIR_DOMAIN_BLOCKED_UNKNOWN = 0,
#ifdef VIR_ENUM_SENTINELS
    VIR_DOMAIN_BLOCKED_LAST,
#endif
} virDomainBlockedReason;

typedef enum {
    VIR_DOMAIN_PAUSED_UNKNOWN = 0,
    VIR_DOMAIN_PAUSED_USER = 1,
    VIR_DOMAIN_PAUSED_MIGRATION = 2,
    VIR_DOMAIN_PAUSED_SAVE = 3,
    VIR_DOMAIN_PAUSED_DUMP = 4,
    VIR_DOMAIN_PAUSED_IOERROR = 5,
    VIR_DOMAIN_PAUSED_WATCHDOG = 6,
    VIR_DOMAIN_PAUSED_FROM_SNAPSHOT = 7,
    VIR_DOMAIN_PAUSED_SHUTTING_DOWN = 8,
    VIR_DOMAIN_PAUSED_SNAPSHOT = 9,
    VIR_DOMAIN_PAUSED_CRASHED = 10,
    VIR_DOMAIN_PAUSED_STARTING_UP = 11,
    VIR_DOMAIN_PAUSED_POSTCOPY = 12,
    VIR_DOMAIN_PAUSED_POSTCOPY_FAILED = 13,
#ifdef VIR_ENUM_SENTINELS
    VIR_DOMAIN_PAUSED_LAST,
#endif
} virDomainPausedReason;

typedef enum {
    VIR_DOMAIN_SHUTDOWN_UNKNOWN = 0,
    VIR_DOMAIN_SHUTDOWN_USER = 1,
#ifdef VIR_ENUM_SENTINELS
    VIR_DOMAIN_SHUTDOWN_LAST,
#endif
} virDomainShutdownReason;

typedef enum {
    VIR_DOMAIN_SHUTOFF_UNKNOWN = 0,
    VIR_DOMAIN_SHUTOFF_SHUTDOWN = 1,
    VIR_DOMAIN_SHUTOFF_DESTROYED = 2,
    VIR_DOMAIN_SHUTOFF_CRASHED = 3,
    VIR_DOMAIN_SHUTOFF_MIGRATED = 4,
    VIR_DOMAIN_SHUTOFF_SAVED = 5,
    VIR_DOMAIN_SHUTOFF_FAILED = 6,
    VIR_DOMAIN_SHUTOFF_FROM_SNAPSHOT = 7,
    VIR_DOMAIN_SHUTOFF_DAEMON = 8,
#ifdef VIR_ENUM_SENTINELS
    VIR_DOMAIN_SHUTOFF_LAST,
#endif
} virDomainShutoffReason;

typedef enum {
    VIR_DOMAIN_CRASHED_UNKNOWN = 0,
    VIR_DOMAIN_CRASHED_PANICKED = 1,
#ifdef VIR_ENUM_SENTINELS
    VIR_DOMAIN_CRASHED_LAST,
#endif
} virDomainCrashedReason;

typedef enum {
    VIR_DOMAIN_PMSUSPENDED_UNKNOWN = 0,
#ifdef VIR_ENUM_SENTINELS
    VIR_DOMAIN_PMSUSPENDED_LAST,
#endif
} virDomainPMSuspendedReason;

typedef enum {
    VIR_DOMAIN_PMSUSPENDED_DISK_UNKNOWN = 0,
#ifdef VIR_ENUM_SENTINELS
    VIR_DOMAIN_PMSUSPENDED_DISK_LAST,
#endif
} virDomainPMSuspendedDiskReason;

struct _virDomainInfo {
    unsigned char state;  /* a virDomainState */
    unsigned long maxMem; /* KiB */
    unsigned long memory; /* KiB */
    unsigned short nrVirtCpu;
    unsigned long long cpuTime; /* nanoseconds */
};
typedef struct _virDomainInfo virDomainInfo;
typedef virDomainInfo *virDomainInfoPtr;

typedef enum {
    VIR_DOMAIN_AFFECT_CURRENT = 0,
    VIR_DOMAIN_AFFECT_LIVE = 1 << 0,
    VIR_DOMAIN_AFFECT_CONFIG = 1 << 1,
} virDomainModificationImpact;

typedef enum {
    VIR_DOMAIN_NONE = 0,
    VIR_DOMAIN_START_PAUSED = 1 << 0,
    VIR_DOMAIN_START_AUTODESTROY = 1 << 1,
    VIR_DOMAIN_START_BYPASS_CACHE = 1 << 2,
    VIR_DOMAIN_START_FORCE_BOOT = 1 << 3,
    VIR_DOMAIN_START_VALIDATE = 1 << 4,
    VIR_DOMAIN_START_RESET_NVRAM = 1 << 5,
} virDomainCreateFlags;

typedef enum {
    VIR_DOMAIN_DEFINE_VALIDATE = (1 << 0),
} virDomainDefineFlags;

typedef enum {
    VIR_DOMAIN_UNDEFINE_MANAGED_SAVE = (1 << 0),
    VIR_DOMAIN_UNDEFINE_SNAPSHOTS_METADATA = (1 << 1),
    VIR_DOMAIN_UNDEFINE_NVRAM = (1 << 2),
    VIR_DOMAIN_UNDEFINE_KEEP_NVRAM = (1 << 3),
    VIR_DOMAIN_UNDEFINE_CHECKPOINTS_METADATA = (1 << 4),
    VIR_DOMAIN_UNDEFINE_TPM = (1 << 5),
    VIR_DOMAIN_UNDEFINE_KEEP_TPM = (1 << 6),
} virDomainUndefineFlagsValues;

typedef enum {
    VIR_DOMAIN_SHUTDOWN_DEFAULT = 0,
    VIR_DOMAIN_SHUTDOWN_ACPI_POWER_BTN = (1 << 0),
    VIR_DOMAIN_SHUTDOWN_GUEST_AGENT = (1 << 1),
    VIR_DOMAIN_SHUTDOWN_INITCTL = (1 << 2),
    VIR_DOMAIN_SHUTDOWN_SIGNAL = (1 << 3),
    VIR_DOMAIN_SHUTDOWN_PARAVIRT = (1 << 4),
} virDomainShutdownFlagValues;

typedef enum {
    VIR_DOMAIN_REBOOT_DEFAULT = 0,
    VIR_DOMAIN_REBOOT_ACPI_POWER_BTN = (1 << 0),
    VIR_DOMAIN_REBOOT_GUEST_AGENT = (1 << 1),
    VIR_DOMAIN_REBOOT_INITCTL = (1 << 2),
    VIR_DOMAIN_REBOOT_SIGNAL = (1 << 3),
    VIR_DOMAIN_REBOOT_PARAVIRT = (1 << 4),
} virDomainRebootFlagValues;

typedef enum {
    VIR_DOMAIN_DESTROY_DEFAULT = 0,
    VIR_DOMAIN_DESTROY_GRACEFUL = 1 << 0,
    VIR_DOMAIN_DESTROY_REMOVE_LOGS = 1 << 1,
} virDomainDestroyFlagsValues;

typedef enum {
    VIR_DOMAIN_XML_SECURE = (1 << 0),
    VIR_DOMAIN_XML_INACTIVE = (1 << 1),
    VIR_DOMAIN_XML_UPDATE_CPU = (1 << 2),
    VIR_DOMAIN_XML_MIGRATABLE = (1 << 3),
} virDomainXMLFlags;

/* Flags of the migration calls (virDomainMigrate3 and its steps). */
typedef enum {
    VIR_MIGRATE_LIVE = (1 << 0),
    VIR_MIGRATE_PEER2PEER = (1 << 1),
    VIR_MIGRATE_TUNNELLED = (1 << 2),
    VIR_MIGRATE_PERSIST_DEST = (1 << 3),
    VIR_MIGRATE_UNDEFINE_SOURCE = (1 << 4),
    VIR_MIGRATE_PAUSED = (1 << 5),
    VIR_MIGRATE_NON_SHARED_DISK = (1 << 6),
    VIR_MIGRATE_NON_SHARED_INC = (1 << 7),
    VIR_MIGRATE_CHANGE_PROTECTION = (1 << 8),
    VIR_MIGRATE_UNSAFE = (1 << 9),
    VIR_MIGRATE_OFFLINE = (1 << 10),
    VIR_MIGRATE_COMPRESSED = (1 << 11),
    VIR_MIGRATE_ABORT_ON_ERROR = (1 << 12),
    VIR_MIGRATE_AUTO_CONVERGE = (1 << 13),
    VIR_MIGRATE_RDMA_PIN_ALL = (1 << 14),
    VIR_MIGRATE_POSTCOPY = (1 << 15),
    VIR_MIGRATE_TLS = (1 << 16),
    VIR_MIGRATE_PARALLEL = (1 << 17),
    VIR_MIGRATE_NON_SHARED_SYNCHRONOUS_WRITES = (1 << 18),
    VIR_MIGRATE_POSTCOPY_RESUME = (1 << 19),
    VIR_MIGRATE_ZEROCOPY = (1 << 20),
} virDomainMigrateFlags;

/* Names of the typed parameters of the migration calls. */
#define VIR_MIGRATE_PARAM_URI            "migrate_uri"
#define VIR_MIGRATE_PARAM_DEST_NAME      "destination_name"
#define VIR_MIGRATE_PARAM_DEST_XML       "destination_xml"
#define VIR_MIGRATE_PARAM_PERSIST_XML    "persistent_xml"
#define VIR_MIGRATE_PARAM_BANDWIDTH      "bandwidth"
#define VIR_MIGRATE_PARAM_GRAPHICS_URI   "graphics_uri"
#define VIR_MIGRATE_PARAM_LISTEN_ADDRESS "listen_address"

typedef enum {
    VIR_DOMAIN_METADATA_DESCRIPTION = 0,
    VIR_DOMAIN_METADATA_TITLE = 1,
    VIR_DOMAIN_METADATA_ELEMENT = 2,
} virDomainMetadataType;

/* Filters for virConnectListAllDomains. Within a group (active/inactive, persistent/transient,
 * running/paused/shutoff/other, ...) the bits are or-ed; the groups are and-ed. */
typedef enum {
    VIR_CONNECT_LIST_DOMAINS_ACTIVE = 1 << 0,
    VIR_CONNECT_LIST_DOMAINS_INACTIVE = 1 << 1,
    VIR_CONNECT_LIST_DOMAINS_PERSISTENT = 1 << 2,
    VIR_CONNECT_LIST_DOMAINS_TRANSIENT = 1 << 3,
    VIR_CONNECT_LIST_DOMAINS_RUNNING = 1 << 4,
    VIR_CONNECT_LIST_DOMAINS_PAUSED = 1 << 5,
    VIR_CONNECT_LIST_DOMAINS_SHUTOFF = 1 << 6,
    VIR_CONNECT_LIST_DOMAINS_OTHER = 1 << 7,
    VIR_CONNECT_LIST_DOMAINS_MANAGEDSAVE = 1 << 8,
    VIR_CONNECT_LIST_DOMAINS_NO_MANAGEDSAVE = 1 << 9,
    VIR_CONNECT_LIST_DOMAINS_AUTOSTART = 1 << 10,
    VIR_CONNECT_LIST_DOMAINS_NO_AUTOSTART = 1 << 11,
    VIR_CONNECT_LIST_DOMAINS_HAS_SNAPSHOT = 1 << 12,
    VIR_CONNECT_LIST_DOMAINS_NO_SNAPSHOT = 1 << 13,
    VIR_CONNECT_LIST_DOMAINS_HAS_CHECKPOINT = 1 << 14,
    VIR_CONNECT_LIST_DOMAINS_NO_CHECKPOINT = 1 << 15,
} virConnectListAllDomainsFlags;

int virConnectListAllDomains(virConnectPtr conn, virDomainPtr **domains, unsigned int flags);
int virConnectNumOfDomains(virConnectPtr conn);
int virConnectListDomains(virConnectPtr conn, int *ids, int maxids);
int virConnectNumOfDefinedDomains(virConnectPtr conn);
int virConnectListDefinedDomains(virConnectPtr conn, char **const names, int maxnames);

virDomainPtr virDomainLookupByName(virConnectPtr conn, const char *name);
virDomainPtr virDomainLookupByID(virConnectPtr conn, int id);
virDomainPtr virDomainLookupByUUID(virConnectPtr conn, const unsigned char *uuid);
virDomainPtr virDomainLookupByUUIDString(virConnectPtr conn, const char *uuid);

virDomainPtr virDomainDefineXML(virConnectPtr conn, const char *xml);
virDomainPtr virDomainDefineXMLFlags(virConnectPtr conn, const char *xml, unsigned int flags);
int virDomainUndefine(virDomainPtr domain);
int virDomainUndefineFlags(virDomainPtr domain, unsigned int flags);
virDomainPtr virDomainCreateXML(virConnectPtr conn, const char *xmlDesc, unsigned int flags);
int virDomainCreate(virDomainPtr domain);
int virDomainCreateWithFlags(virDomainPtr domain, unsigned int flags);
int virDomainShutdown(virDomainPtr domain);
int virDomainShutdownFlags(virDomainPtr domain, unsigned int flags);
int virDomainDestroy(virDomainPtr domain);
int virDomainDestroyFlags(virDomainPtr domain, unsigned int flags);
int virDomainSuspend(virDomainPtr domain);
int virDomainResume(virDomainPtr domain);
int virDomainReboot(virDomainPtr domain, unsigned int flags);

char *virDomainGetXMLDesc(virDomainPtr domain, unsigned int flags);
int virDomainGetInfo(virDomainPtr domain, virDomainInfoPtr info);
int virDomainGetState(virDomainPtr domain, int *state, int *reason, unsigned int flags);
unsigned long virDomainGetMaxMemory(virDomainPtr domain);
const char *virDomainGetName(virDomainPtr domain);
unsigned int virDomainGetID(virDomainPtr domain);
int virDomainGetUUID(virDomainPtr domain, unsigned char *uuid);
int virDomainGetUUIDString(virDomainPtr domain, char *buf);
char *virDomainGetOSType(virDomainPtr domain);
virConnectPtr virDomainGetConnect(virDomainPtr domain);
int virDomainGetSecurityLabel(virDomainPtr domain, virSecurityLabelPtr seclabel);
int virDomainHasManagedSaveImage(virDomainPtr domain, unsigned int flags);

/* What virDomainGetMessages reports (flags select kinds; 0 for all). */
typedef enum {
    VIR_DOMAIN_MESSAGE_DEPRECATION = (1 << 0),
    VIR_DOMAIN_MESSAGE_TAINTING = (1 << 1),
} virDomainMessageType;

int virDomainGetMessages(virDomainPtr domain, char ***msgs, unsigned int flags);
int virDomainIsActive(virDomainPtr domain);
int virDomainIsPersistent(virDomainPtr domain);
int virDomainGetAutostart(virDomainPtr domain, int *autostart);
int virDomainSetAutostart(virDomainPtr domain, int autostart);
/* TYPE is a virDomainMetadataType; FLAGS a virDomainModificationImpact. */
int virDomainSetMetadata(virDomainPtr domain, int type, const char *metadata, const char *key,
                         const char *uri, unsigned int flags);
char *virDomainGetMetadata(virDomainPtr domain, int type, const char *uri, unsigned int flags);
int virDomainRef(virDomainPtr domain);
int virDomainFree(virDomainPtr domain);

/* ---- snapshots: none is kept yet; the count tells tools so ---- */

typedef enum {
    VIR_DOMAIN_SNAPSHOT_LIST_ROOTS = (1 << 0),
    VIR_DOMAIN_SNAPSHOT_LIST_DESCENDANTS = (1 << 0),
    VIR_DOMAIN_SNAPSHOT_LIST_LEAVES = (1 << 2),
    VIR_DOMAIN_SNAPSHOT_LIST_NO_LEAVES = (1 << 3),
    VIR_DOMAIN_SNAPSHOT_LIST_METADATA = (1 << 1),
    VIR_DOMAIN_SNAPSHOT_LIST_NO_METADATA = (1 << 4),
    VIR_DOMAIN_SNAPSHOT_LIST_INACTIVE = (1 << 5),
    VIR_DOMAIN_SNAPSHOT_LIST_ACTIVE = (1 << 6),
    VIR_DOMAIN_SNAPSHOT_LIST_DISK_ONLY = (1 << 7),
    VIR_DOMAIN_SNAPSHOT_LIST_INTERNAL = (1 << 8),
    VIR_DOMAIN_SNAPSHOT_LIST_EXTERNAL = (1 << 9),
    VIR_DOMAIN_SNAPSHOT_LIST_TOPOLOGICAL = (1 << 10),
} virDomainSnapshotListFlags;

int virDomainSnapshotNum(virDomainPtr domain, unsigned int flags);

/* ---- domain events ---- */

typedef enum {
    VIR_DOMAIN_EVENT_DEFINED = 0,
    VIR_DOMAIN_EVENT_UNDEFINED = 1,
    VIR_DOMAIN_EVENT_STARTED = 2,
    VIR_DOMAIN_EVENT_SUSPENDED = 3,
    VIR_DOMAIN_EVENT_RESUMED = 4,
    VIR_DOMAIN_EVENT_STOPPED = 5,
    VIR_DOMAIN_EVENT_SHUTDOWN = 6,
    VIR_DOMAIN_EVENT_PMSUSPENDED = 7,
    VIR_DOMAIN_EVENT_CRASHED = 8,
#ifdef VIR_ENUM_SENTINELS
    VIR_DOMAIN_EVENT_LAST
#endif
} virDomainEventType;

/* The detail of each lifecycle event, one enum per virDomainEventType. */
typedef enum {
    VIR_DOMAIN_EVENT_DEFINED_ADDED = 0,
    VIR_DOMAIN_EVENT_DEFINED_UPDATED = 1,
    VIR_DOMAIN_EVENT_DEFINED_RENAMED = 2,
    VIR_DOMAIN_EVENT_DEFINED_FROM_SNAPSHOT = 3,
#ifdef VIR_ENUM_SENTINELS
    VIR_DOMAIN_EVENT_DEFINED_LAST
#endif
} virDomainEventDefinedDetailType;

typedef enum {
    VIR_DOMAIN_EVENT_UNDEFINED_REMOVED = 0,
    VIR_DOMAIN_EVENT_UNDEFINED_RENAMED = 1,
#ifdef VIR_ENUM_SENTINELS
    VIR_DOMAIN_EVENT_UNDEFINED_LAST
#endif
} virDomainEventUndefinedDetailType;

typedef enum {
    VIR_DOMAIN_EVENT_STARTED_BOOTED = 0,
    VIR_DOMAIN_EVENT_STARTED_MIGRATED = 1,
    VIR_DOMAIN_EVENT_STARTED_RESTORED = 2,
    VIR_DOMAIN_EVENT_STARTED_FROM_SNAPSHOT = 3,
    VIR_DOMAIN_EVENT_STARTED_WAKEUP = 4,
#ifdef VIR_ENUM_SENTINELS
    VIR_DOMAIN_EVENT_STARTED_LAST
#endif
} virDomainEventStartedDetailType;

typedef enum {
    VIR_DOMAIN_EVENT_SUSPENDED_PAUSED = 0,
    VIR_DOMAIN_EVENT_SUSPENDED_MIGRATED = 1,
    VIR_DOMAIN_EVENT_SUSPENDED_IOERROR = 2,
    VIR_DOMAIN_EVENT_SUSPENDED_WATCHDOG = 3,
    VIR_DOMAIN_EVENT_SUSPENDED_RESTORED = 4,
    VIR_DOMAIN_EVENT_SUSPENDED_FROM_SNAPSHOT = 5,
    VIR_DOMAIN_EVENT_SUSPENDED_API_ERROR = 6,
    VIR_DOMAIN_EVENT_SUSPENDED_POSTCOPY = 7,
    VIR_DOMAIN_EVENT_SUSPENDED_POSTCOPY_FAILED = 8,
#ifdef VIR_ENUM_SENTINELS
    VIR_DOMAIN_EVENT_SUSPENDED_LAST
#endif
} virDomainEventSuspendedDetailType;

typedef enum {
    VIR_DOMAIN_EVENT_RESUMED_UNPAUSED = 0,
    VIR_DOMAIN_EVENT_RESUMED_MIGRATED = 1,
    VIR_DOMAIN_EVENT_RESUMED_FROM_SNAPSHOT = 2,
    VIR_DOMAIN_EVENT_RESUMED_POSTCOPY = 3,
    VIR_DOMAIN_EVENT_RESUMED_POSTCOPY_FAILED = 4,
#ifdef VIR_ENUM_SENTINELS
    VIR_DOMAIN_EVENT_RESUMED_LAST
#endif
} virDomainEventResumedDetailType;

typedef enum {
    VIR_DOMAIN_EVENT_STOPPED_SHUTDOWN = 0,
    VIR_DOMAIN_EVENT_STOPPED_DESTROYED = 1,
    VIR_DOMAIN_EVENT_STOPPED_CRASHED = 2,
    VIR_DOMAIN_EVENT_STOPPED_MIGRATED = 3,
    VIR_DOMAIN_EVENT_STOPPED_SAVED = 4,
    VIR_DOMAIN_EVENT_STOPPED_FAILED = 5,
    VIR_DOMAIN_EVENT_STOPPED_FROM_SNAPSHOT = 6,
#ifdef VIR_ENUM_SENTINELS
    VIR_DOMAIN_EVENT_STOPPED_LAST
#endif
} virDomainEventStoppedDetailType;

typedef enum {
    VIR_DOMAIN_EVENT_SHUTDOWN_FINISHED = 0,
    VIR_DOMAIN_EVENT_SHUTDOWN_GUEST = 1, /* the guest itself asked to power off */
    VIR_DOMAIN_EVENT_SHUTDOWN_HOST = 2,  /* the host asked (a signal, QMP quit) */
#ifdef VIR_ENUM_SENTINELS
    VIR_DOMAIN_EVENT_SHUTDOWN_LAST
#endif
} virDomainEventShutdownDetailType;

typedef enum {
    VIR_DOMAIN_EVENT_PMSUSPENDED_MEMORY = 0,
    VIR_DOMAIN_EVENT_PMSUSPENDED_DISK = 1,
#ifdef VIR_ENUM_SENTINELS
    VIR_DOMAIN_EVENT_PMSUSPENDED_LAST
#endif
} virDomainEventPMSuspendedDetailType;

typedef enum {
    VIR_DOMAIN_EVENT_CRASHED_PANICKED = 0,
    VIR_DOMAIN_EVENT_CRASHED_CRASHLOADED = 1,
#ifdef VIR_ENUM_SENTINELS
    VIR_DOMAIN_EVENT_CRASHED_LAST
#endif
} virDomainEventCrashedDetailType;

/* The callback of VIR_DOMAIN_EVENT_ID_LIFECYCLE and of the legacy registration; the return
 * value is ignored. */
typedef int (*virConnectDomainEventCallback)(virConnectPtr conn, virDomainPtr dom, int event,
                                             int detail, void *opaque);

int virConnectDomainEventRegister(virConnectPtr conn, virConnectDomainEventCallback cb,
                                  void *opaque, virFreeCallback freecb);
int virConnectDomainEventDeregister(virConnectPtr conn, virConnectDomainEventCallback cb);

/* Every event kind has a callback of its own signature; registration takes them all as this
 * type, cast with VIR_DOMAIN_EVENT_CALLBACK. */
typedef void (*virConnectDomainEventGenericCallback)(virConnectPtr conn, virDomainPtr dom,
                                                     void *opaque);
/* Through void (*)(void), which compilers accept as a cast between any function types. */
#define VIR_DOMAIN_EVENT_CALLBACK(cb) ((virConnectDomainEventGenericCallback)(void (*)(void))(cb))

typedef void (*virConnectDomainEventRTCChangeCallback)(virConnectPtr conn, virDomainPtr dom,
                                                       long long utcoffset, void *opaque);

typedef enum {
    VIR_DOMAIN_EVENT_WATCHDOG_NONE = 0,
    VIR_DOMAIN_EVENT_WATCHDOG_PAUSE = 1,
    VIR_DOMAIN_EVENT_WATCHDOG_RESET = 2,
    VIR_DOMAIN_EVENT_WATCHDOG_POWEROFF = 3,
    VIR_DOMAIN_EVENT_WATCHDOG_SHUTDOWN = 4,
    VIR_DOMAIN_EVENT_WATCHDOG_DEBUG = 5,
    VIR_DOMAIN_EVENT_WATCHDOG_INJECTNMI = 6,
#ifdef VIR_ENUM_SENTINELS
    VIR_DOMAIN_EVENT_WATCHDOG_LAST
#endif
} virDomainEventWatchdogAction;

typedef void (*virConnectDomainEventWatchdogCallback)(virConnectPtr conn, virDomainPtr dom,
                                                      int action, void *opaque);

typedef enum {
    VIR_DOMAIN_EVENT_IO_ERROR_NONE = 0,
    VIR_DOMAIN_EVENT_IO_ERROR_PAUSE = 1,
    VIR_DOMAIN_EVENT_IO_ERROR_REPORT = 2,
#ifdef VIR_ENUM_SENTINELS
    VIR_DOMAIN_EVENT_IO_ERROR_LAST
#endif
} virDomainEventIOErrorAction;

typedef void (*virConnectDomainEventIOErrorCallback)(virConnectPtr conn, virDomainPtr dom,
                                                     const char *srcPath, const char *devAlias,
                                                     int action, void *opaque);
typedef void (*virConnectDomainEventIOErrorReasonCallback)(virConnectPtr conn, virDomainPtr dom,
                                                           const char *srcPath,
                                                           const char *devAlias, int action,
                                                           const char *reason, void *opaque);

typedef enum {
    VIR_DOMAIN_BLOCK_JOB_COMPLETED = 0,
    VIR_DOMAIN_BLOCK_JOB_FAILED = 1,
    VIR_DOMAIN_BLOCK_JOB_CANCELED = 2,
    VIR_DOMAIN_BLOCK_JOB_READY = 3,
#ifdef VIR_ENUM_SENTINELS
    VIR_DOMAIN_BLOCK_JOB_LAST
#endif
} virConnectDomainEventBlockJobStatus;

typedef void (*virConnectDomainEventBlockJobCallback)(virConnectPtr conn, virDomainPtr dom,
                                                      const char *disk, int type, int status,
                                                      void *opaque);

typedef enum {
    VIR_DOMAIN_EVENT_DISK_CHANGE_MISSING_ON_START = 0,
    VIR_DOMAIN_EVENT_DISK_DROP_MISSING_ON_START = 1,
#ifdef VIR_ENUM_SENTINELS
    VIR_DOMAIN_EVENT_DISK_CHANGE_LAST
#endif
} virConnectDomainEventDiskChangeReason;

typedef void (*virConnectDomainEventDiskChangeCallback)(virConnectPtr conn, virDomainPtr dom,
                                                        const char *oldSrcPath,
                                                        const char *newSrcPath,
                                                        const char *devAlias, int reason,
                                                        void *opaque);

typedef enum {
    VIR_DOMAIN_EVENT_TRAY_CHANGE_OPEN = 0,
    VIR_DOMAIN_EVENT_TRAY_CHANGE_CLOSE = 1,
#ifdef VIR_ENUM_SENTINELS
    VIR_DOMAIN_EVENT_TRAY_CHANGE_LAST
#endif
} virDomainEventTrayChangeReason;

typedef void (*virConnectDomainEventTrayChangeCallback)(virConnectPtr conn, virDomainPtr dom,
                                                        const char *devAlias, int reason,
                                                        void *opaque);
typedef void (*virConnectDomainEventPMWakeupCallback)(virConnectPtr conn, virDomainPtr dom,
                                                      int reason, void *opaque);
typedef void (*virConnectDomainEventPMSuspendCallback)(virConnectPtr conn, virDomainPtr dom,
                                                       int reason, void *opaque);
typedef void (*virConnectDomainEventBalloonChangeCallback)(virConnectPtr conn, virDomainPtr dom,
                                                           unsigned long long actual, void *opaque);
typedef void (*virConnectDomainEventPMSuspendDiskCallback)(virConnectPtr conn, virDomainPtr dom,
                                                           int reason, void *opaque);
typedef void (*virConnectDomainEventDeviceRemovedCallback)(virConnectPtr conn, virDomainPtr dom,
                                                           const char *devAlias, void *opaque);

typedef enum {
    VIR_CONNECT_DOMAIN_EVENT_AGENT_LIFECYCLE_STATE_CONNECTED = 1,
    VIR_CONNECT_DOMAIN_EVENT_AGENT_LIFECYCLE_STATE_DISCONNECTED = 2,
#ifdef VIR_ENUM_SENTINELS
    VIR_CONNECT_DOMAIN_EVENT_AGENT_LIFECYCLE_STATE_LAST
#endif
} virConnectDomainEventAgentLifecycleState;

typedef enum {
    VIR_CONNECT_DOMAIN_EVENT_AGENT_LIFECYCLE_REASON_UNKNOWN = 0,
    VIR_CONNECT_DOMAIN_EVENT_AGENT_LIFECYCLE_REASON_DOMAIN_STARTED = 1,
    VIR_CONNECT_DOMAIN_EVENT_AGENT_LIFECYCLE_REASON_CHANNEL = 2,
#ifdef VIR_ENUM_SENTINELS
    VIR_CONNECT_DOMAIN_EVENT_AGENT_LIFECYCLE_REASON_LAST
#endif
} virConnectDomainEventAgentLifecycleReason;

typedef void (*virConnectDomainEventAgentLifecycleCallback)(virConnectPtr conn, virDomainPtr dom,
                                                            int state, int reason, void *opaque);
typedef void (*virConnectDomainEventDeviceAddedCallback)(virConnectPtr conn, virDomainPtr dom,
                                                         const char *devAlias, void *opaque);
typedef void (*virConnectDomainEventMigrationIterationCallback)(virConnectPtr conn,
                                                                virDomainPtr dom, int iteration,
                                                                void *opaque);
typedef void (*virConnectDomainEventDeviceRemovalFailedCallback)(virConnectPtr conn,
                                                                 virDomainPtr dom,
                                                                 const char *devAlias,
                                                                 void *opaque);
typedef void (*virConnectDomainEventMetadataChangeCallback)(virConnectPtr conn, virDomainPtr dom,
                                                            int type, const char *nsuri,
                                                            void *opaque);
typedef void (*virConnectDomainEventBlockThresholdCallback)(virConnectPtr conn, virDomainPtr dom,
                                                            const char *dev, const char *path,
                                                            unsigned long long threshold,
                                                            unsigned long long excess,
                                                            void *opaque);
typedef void (*virConnectDomainEventMemoryFailureCallback)(virConnectPtr conn, virDomainPtr dom,
                                                           int recipient, int action,
                                                           unsigned int flags, void *opaque);
typedef void (*virConnectDomainEventMemoryDeviceSizeChangeCallback)(
    virConnectPtr conn, virDomainPtr dom, const char *alias, unsigned long long size, void *opaque);

/* What to register for; each id names the callback signature its events are delivered to. */
typedef enum {
    VIR_DOMAIN_EVENT_ID_LIFECYCLE = 0,        /* virConnectDomainEventCallback */
    VIR_DOMAIN_EVENT_ID_REBOOT = 1,           /* virConnectDomainEventGenericCallback */
    VIR_DOMAIN_EVENT_ID_RTC_CHANGE = 2,       /* virConnectDomainEventRTCChangeCallback */
    VIR_DOMAIN_EVENT_ID_WATCHDOG = 3,         /* virConnectDomainEventWatchdogCallback */
    VIR_DOMAIN_EVENT_ID_IO_ERROR = 4,         /* virConnectDomainEventIOErrorCallback */
    VIR_DOMAIN_EVENT_ID_GRAPHICS = 5,         /* (graphics connections) */
    VIR_DOMAIN_EVENT_ID_IO_ERROR_REASON = 6,  /* virConnectDomainEventIOErrorReasonCallback */
    VIR_DOMAIN_EVENT_ID_CONTROL_ERROR = 7,    /* virConnectDomainEventGenericCallback */
    VIR_DOMAIN_EVENT_ID_BLOCK_JOB = 8,        /* virConnectDomainEventBlockJobCallback */
    VIR_DOMAIN_EVENT_ID_DISK_CHANGE = 9,      /* virConnectDomainEventDiskChangeCallback */
    VIR_DOMAIN_EVENT_ID_TRAY_CHANGE = 10,     /* virConnectDomainEventTrayChangeCallback */
    VIR_DOMAIN_EVENT_ID_PMWAKEUP = 11,        /* virConnectDomainEventPMWakeupCallback */
    VIR_DOMAIN_EVENT_ID_PMSUSPEND = 12,       /* virConnectDomainEventPMSuspendCallback */
    VIR_DOMAIN_EVENT_ID_BALLOON_CHANGE = 13,  /* virConnectDomainEventBalloonChangeCallback */
    VIR_DOMAIN_EVENT_ID_PMSUSPEND_DISK = 14,  /* virConnectDomainEventPMSuspendDiskCallback */
    VIR_DOMAIN_EVENT_ID_DEVICE_REMOVED = 15,  /* virConnectDomainEventDeviceRemovedCallback */
    VIR_DOMAIN_EVENT_ID_BLOCK_JOB_2 = 16,     /* virConnectDomainEventBlockJobCallback */
    VIR_DOMAIN_EVENT_ID_TUNABLE = 17,         /* (typed parameters) */
    VIR_DOMAIN_EVENT_ID_AGENT_LIFECYCLE = 18, /* virConnectDomainEventAgentLifecycleCallback */
    VIR_DOMAIN_EVENT_ID_DEVICE_ADDED = 19,    /* virConnectDomainEventDeviceAddedCallback */
    VIR_DOMAIN_EVENT_ID_MIGRATION_ITERATION = 20,
    VIR_DOMAIN_EVENT_ID_JOB_COMPLETED = 21, /* (typed parameters) */
    VIR_DOMAIN_EVENT_ID_DEVICE_REMOVAL_FAILED = 22,
    VIR_DOMAIN_EVENT_ID_METADATA_CHANGE = 23,
    VIR_DOMAIN_EVENT_ID_BLOCK_THRESHOLD = 24,
    VIR_DOMAIN_EVENT_ID_MEMORY_FAILURE = 25,
    VIR_DOMAIN_EVENT_ID_MEMORY_DEVICE_SIZE_CHANGE = 26,
#ifdef VIR_ENUM_SENTINELS
    VIR_DOMAIN_EVENT_ID_LAST
#endif
} virDomainEventID;

/* DOM (optional) limits the callback to one domain. Returns the callback id (0 or more). */
int virConnectDomainEventRegisterAny(virConnectPtr conn, virDomainPtr dom, int eventID,
                                     virConnectDomainEventGenericCallback cb, void *opaque,
                                     virFreeCallback freecb);
int virConnectDomainEventDeregisterAny(virConnectPtr conn, int callbackID);

/* ---- networks ---- */

typedef enum {
    VIR_NETWORK_XML_INACTIVE = (1 << 0),
} virNetworkXMLFlags;

typedef enum {
    VIR_NETWORK_CREATE_VALIDATE = 1 << 0,
} virNetworkCreateFlags;

typedef enum {
    VIR_NETWORK_DEFINE_VALIDATE = 1 << 0,
} virNetworkDefineFlags;

/* Filters for virConnectListAllNetworks, grouped like the domain filters. */
typedef enum {
    VIR_CONNECT_LIST_NETWORKS_INACTIVE = 1 << 0,
    VIR_CONNECT_LIST_NETWORKS_ACTIVE = 1 << 1,
    VIR_CONNECT_LIST_NETWORKS_PERSISTENT = 1 << 2,
    VIR_CONNECT_LIST_NETWORKS_TRANSIENT = 1 << 3,
    VIR_CONNECT_LIST_NETWORKS_AUTOSTART = 1 << 4,
    VIR_CONNECT_LIST_NETWORKS_NO_AUTOSTART = 1 << 5,
} virConnectListAllNetworksFlags;

int virConnectListAllNetworks(virConnectPtr conn, virNetworkPtr **nets, unsigned int flags);
int virConnectNumOfNetworks(virConnectPtr conn);
int virConnectListNetworks(virConnectPtr conn, char **const names, int maxnames);
int virConnectNumOfDefinedNetworks(virConnectPtr conn);
int virConnectListDefinedNetworks(virConnectPtr conn, char **const names, int maxnames);

virNetworkPtr virNetworkLookupByName(virConnectPtr conn, const char *name);
virNetworkPtr virNetworkLookupByUUID(virConnectPtr conn, const unsigned char *uuid);
virNetworkPtr virNetworkLookupByUUIDString(virConnectPtr conn, const char *uuid);

virNetworkPtr virNetworkDefineXML(virConnectPtr conn, const char *xmlDesc);
virNetworkPtr virNetworkDefineXMLFlags(virConnectPtr conn, const char *xmlDesc, unsigned int flags);
virNetworkPtr virNetworkCreateXML(virConnectPtr conn, const char *xmlDesc);
virNetworkPtr virNetworkCreateXMLFlags(virConnectPtr conn, const char *xmlDesc, unsigned int flags);
int virNetworkUndefine(virNetworkPtr network);
int virNetworkCreate(virNetworkPtr network);
int virNetworkDestroy(virNetworkPtr network);

char *virNetworkGetXMLDesc(virNetworkPtr network, unsigned int flags);
const char *virNetworkGetName(virNetworkPtr network);
int virNetworkGetUUID(virNetworkPtr network, unsigned char *uuid);
int virNetworkGetUUIDString(virNetworkPtr network, char *buf);
char *virNetworkGetBridgeName(virNetworkPtr network);
virConnectPtr virNetworkGetConnect(virNetworkPtr network);
int virNetworkIsActive(virNetworkPtr network);
int virNetworkIsPersistent(virNetworkPtr network);
int virNetworkGetAutostart(virNetworkPtr network, int *autostart);
int virNetworkSetAutostart(virNetworkPtr network, int autostart);
int virNetworkRef(virNetworkPtr network);
int virNetworkFree(virNetworkPtr network);

/* ---- network events ---- */

typedef enum {
    VIR_NETWORK_EVENT_DEFINED = 0,
    VIR_NETWORK_EVENT_UNDEFINED = 1,
    VIR_NETWORK_EVENT_STARTED = 2,
    VIR_NETWORK_EVENT_STOPPED = 3,
#ifdef VIR_ENUM_SENTINELS
    VIR_NETWORK_EVENT_LAST
#endif
} virNetworkEventLifecycleType;

/* DETAIL is always 0 today. */
typedef void (*virConnectNetworkEventLifecycleCallback)(virConnectPtr conn, virNetworkPtr net,
                                                        int event, int detail, void *opaque);

typedef void (*virConnectNetworkEventGenericCallback)(virConnectPtr conn, virNetworkPtr net,
                                                      void *opaque);
#define VIR_NETWORK_EVENT_CALLBACK(cb) ((virConnectNetworkEventGenericCallback)(void (*)(void))(cb))

typedef enum {
    VIR_NETWORK_EVENT_ID_LIFECYCLE = 0, /* virConnectNetworkEventLifecycleCallback */
#ifdef VIR_ENUM_SENTINELS
    VIR_NETWORK_EVENT_ID_LAST
#endif
} virNetworkEventID;

int virConnectNetworkEventRegisterAny(virConnectPtr conn, virNetworkPtr net, int eventID,
                                      virConnectNetworkEventGenericCallback cb, void *opaque,
                                      virFreeCallback freecb);
int virConnectNetworkEventDeregisterAny(virConnectPtr conn, int callbackID);

/* ---- storage pools and volumes ---- */

typedef enum {
    VIR_STORAGE_POOL_INACTIVE = 0,
    VIR_STORAGE_POOL_BUILDING = 1,
    VIR_STORAGE_POOL_RUNNING = 2,
    VIR_STORAGE_POOL_DEGRADED = 3,
    VIR_STORAGE_POOL_INACCESSIBLE = 4,
#ifdef VIR_ENUM_SENTINELS
    VIR_STORAGE_POOL_STATE_LAST
#endif
} virStoragePoolState;

typedef enum {
    VIR_STORAGE_POOL_BUILD_NEW = 0,
    VIR_STORAGE_POOL_BUILD_REPAIR = (1 << 0),
    VIR_STORAGE_POOL_BUILD_RESIZE = (1 << 1),
    VIR_STORAGE_POOL_BUILD_NO_OVERWRITE = (1 << 2),
    VIR_STORAGE_POOL_BUILD_OVERWRITE = (1 << 3),
} virStoragePoolBuildFlags;

typedef enum {
    VIR_STORAGE_POOL_DELETE_NORMAL = 0,
    VIR_STORAGE_POOL_DELETE_ZEROED = 1 << 0,
} virStoragePoolDeleteFlags;

typedef enum {
    VIR_STORAGE_POOL_CREATE_NORMAL = 0,
    VIR_STORAGE_POOL_CREATE_WITH_BUILD = 1 << 0,
    VIR_STORAGE_POOL_CREATE_WITH_BUILD_OVERWRITE = 1 << 1,
    VIR_STORAGE_POOL_CREATE_WITH_BUILD_NO_OVERWRITE = 1 << 2,
} virStoragePoolCreateFlags;

typedef struct _virStoragePoolInfo virStoragePoolInfo;
struct _virStoragePoolInfo {
    int state; /* virStoragePoolState */
    unsigned long long capacity;
    unsigned long long allocation;
    unsigned long long available;
};
typedef virStoragePoolInfo *virStoragePoolInfoPtr;

typedef enum {
    VIR_STORAGE_VOL_FILE = 0,
    VIR_STORAGE_VOL_BLOCK = 1,
    VIR_STORAGE_VOL_DIR = 2,
    VIR_STORAGE_VOL_NETWORK = 3,
    VIR_STORAGE_VOL_NETDIR = 4,
    VIR_STORAGE_VOL_PLOOP = 5,
#ifdef VIR_ENUM_SENTINELS
    VIR_STORAGE_VOL_LAST
#endif
} virStorageVolType;

typedef enum {
    VIR_STORAGE_VOL_DELETE_NORMAL = 0,
    VIR_STORAGE_VOL_DELETE_ZEROED = 1 << 0,
    VIR_STORAGE_VOL_DELETE_WITH_SNAPSHOTS = 1 << 1,
} virStorageVolDeleteFlags;

typedef enum {
    VIR_STORAGE_VOL_WIPE_ALG_ZERO = 0,
    VIR_STORAGE_VOL_WIPE_ALG_NNSA = 1,
    VIR_STORAGE_VOL_WIPE_ALG_DOD = 2,
    VIR_STORAGE_VOL_WIPE_ALG_BSI = 3,
    VIR_STORAGE_VOL_WIPE_ALG_GUTMANN = 4,
    VIR_STORAGE_VOL_WIPE_ALG_SCHNEIER = 5,
    VIR_STORAGE_VOL_WIPE_ALG_PFITZNER7 = 6,
    VIR_STORAGE_VOL_WIPE_ALG_PFITZNER33 = 7,
    VIR_STORAGE_VOL_WIPE_ALG_RANDOM = 8,
    VIR_STORAGE_VOL_WIPE_ALG_TRIM = 9,
#ifdef VIR_ENUM_SENTINELS
    VIR_STORAGE_VOL_WIPE_ALG_LAST
#endif
} virStorageVolWipeAlgorithm;

typedef enum {
    VIR_STORAGE_VOL_USE_ALLOCATION = 0,
    VIR_STORAGE_VOL_GET_PHYSICAL = 1 << 0,
} virStorageVolInfoFlags;

typedef struct _virStorageVolInfo virStorageVolInfo;
struct _virStorageVolInfo {
    int type; /* virStorageVolType */
    unsigned long long capacity;
    unsigned long long allocation;
};
typedef virStorageVolInfo *virStorageVolInfoPtr;

typedef enum {
    VIR_STORAGE_XML_INACTIVE = (1 << 0),
} virStorageXMLFlags;

typedef enum {
    VIR_CONNECT_LIST_STORAGE_POOLS_INACTIVE = 1 << 0,
    VIR_CONNECT_LIST_STORAGE_POOLS_ACTIVE = 1 << 1,
    VIR_CONNECT_LIST_STORAGE_POOLS_PERSISTENT = 1 << 2,
    VIR_CONNECT_LIST_STORAGE_POOLS_TRANSIENT = 1 << 3,
    VIR_CONNECT_LIST_STORAGE_POOLS_AUTOSTART = 1 << 4,
    VIR_CONNECT_LIST_STORAGE_POOLS_NO_AUTOSTART = 1 << 5,
    VIR_CONNECT_LIST_STORAGE_POOLS_DIR = 1 << 6,
    VIR_CONNECT_LIST_STORAGE_POOLS_FS = 1 << 7,
    VIR_CONNECT_LIST_STORAGE_POOLS_NETFS = 1 << 8,
    VIR_CONNECT_LIST_STORAGE_POOLS_LOGICAL = 1 << 9,
    VIR_CONNECT_LIST_STORAGE_POOLS_DISK = 1 << 10,
    VIR_CONNECT_LIST_STORAGE_POOLS_ISCSI = 1 << 11,
    VIR_CONNECT_LIST_STORAGE_POOLS_SCSI = 1 << 12,
    VIR_CONNECT_LIST_STORAGE_POOLS_MPATH = 1 << 13,
    VIR_CONNECT_LIST_STORAGE_POOLS_RBD = 1 << 14,
    VIR_CONNECT_LIST_STORAGE_POOLS_SHEEPDOG = 1 << 15,
    VIR_CONNECT_LIST_STORAGE_POOLS_GLUSTER = 1 << 16,
    VIR_CONNECT_LIST_STORAGE_POOLS_ZFS = 1 << 17,
    VIR_CONNECT_LIST_STORAGE_POOLS_VSTORAGE = 1 << 18,
    VIR_CONNECT_LIST_STORAGE_POOLS_ISCSI_DIRECT = 1 << 19,
} virConnectListAllStoragePoolsFlags;

typedef enum {
    VIR_STORAGE_POOL_DEFINE_VALIDATE = 1 << 0,
} virStoragePoolDefineFlags;

typedef enum {
    VIR_STORAGE_VOL_CREATE_PREALLOC_METADATA = 1 << 0,
    VIR_STORAGE_VOL_CREATE_REFLINK = 1 << 1,
    VIR_STORAGE_VOL_CREATE_VALIDATE = 1 << 2,
} virStorageVolCreateFlags;

typedef enum {
    VIR_STORAGE_VOL_DOWNLOAD_SPARSE_STREAM = 1 << 0,
} virStorageVolDownloadFlags;

typedef enum {
    VIR_STORAGE_VOL_UPLOAD_SPARSE_STREAM = 1 << 0,
} virStorageVolUploadFlags;

typedef enum {
    VIR_STORAGE_VOL_RESIZE_ALLOCATE = 1 << 0,
    VIR_STORAGE_VOL_RESIZE_DELTA = 1 << 1,
    VIR_STORAGE_VOL_RESIZE_SHRINK = 1 << 2,
} virStorageVolResizeFlags;

/* The storage event ids and lifecycle codes; registering for them needs the event loop. */
typedef enum {
    VIR_STORAGE_POOL_EVENT_ID_LIFECYCLE = 0,
    VIR_STORAGE_POOL_EVENT_ID_REFRESH = 1,
#ifdef VIR_ENUM_SENTINELS
    VIR_STORAGE_POOL_EVENT_ID_LAST
#endif
} virStoragePoolEventID;

typedef enum {
    VIR_STORAGE_POOL_EVENT_DEFINED = 0,
    VIR_STORAGE_POOL_EVENT_UNDEFINED = 1,
    VIR_STORAGE_POOL_EVENT_STARTED = 2,
    VIR_STORAGE_POOL_EVENT_STOPPED = 3,
    VIR_STORAGE_POOL_EVENT_CREATED = 4,
    VIR_STORAGE_POOL_EVENT_DELETED = 5,
#ifdef VIR_ENUM_SENTINELS
    VIR_STORAGE_POOL_EVENT_LAST
#endif
} virStoragePoolEventLifecycleType;

/* DETAIL is always 0 today. */
typedef void (*virConnectStoragePoolEventLifecycleCallback)(virConnectPtr conn,
                                                            virStoragePoolPtr pool, int event,
                                                            int detail, void *opaque);

/* Also the callback type of VIR_STORAGE_POOL_EVENT_ID_REFRESH. */
typedef void (*virConnectStoragePoolEventGenericCallback)(virConnectPtr conn,
                                                          virStoragePoolPtr pool, void *opaque);
#define VIR_STORAGE_POOL_EVENT_CALLBACK(cb) \
    ((virConnectStoragePoolEventGenericCallback)(void (*)(void))(cb))

int virConnectStoragePoolEventRegisterAny(virConnectPtr conn, virStoragePoolPtr pool, int eventID,
                                          virConnectStoragePoolEventGenericCallback cb,
                                          void *opaque, virFreeCallback freecb);
int virConnectStoragePoolEventDeregisterAny(virConnectPtr conn, int callbackID);

char *virConnectGetStoragePoolCapabilities(virConnectPtr conn, unsigned int flags);
int virConnectNumOfStoragePools(virConnectPtr conn);
int virConnectListStoragePools(virConnectPtr conn, char **const names, int maxnames);
int virConnectNumOfDefinedStoragePools(virConnectPtr conn);
int virConnectListDefinedStoragePools(virConnectPtr conn, char **const names, int maxnames);
int virConnectListAllStoragePools(virConnectPtr conn, virStoragePoolPtr **pools,
                                  unsigned int flags);

virStoragePoolPtr virStoragePoolLookupByName(virConnectPtr conn, const char *name);
virStoragePoolPtr virStoragePoolLookupByUUID(virConnectPtr conn, const unsigned char *uuid);
virStoragePoolPtr virStoragePoolLookupByUUIDString(virConnectPtr conn, const char *uuid);
virStoragePoolPtr virStoragePoolLookupByVolume(virStorageVolPtr vol);
virStoragePoolPtr virStoragePoolLookupByTargetPath(virConnectPtr conn, const char *path);

virStoragePoolPtr virStoragePoolCreateXML(virConnectPtr conn, const char *xmlDesc,
                                          unsigned int flags);
virStoragePoolPtr virStoragePoolDefineXML(virConnectPtr conn, const char *xmlDesc,
                                          unsigned int flags);
int virStoragePoolBuild(virStoragePoolPtr pool, unsigned int flags);
int virStoragePoolUndefine(virStoragePoolPtr pool);
int virStoragePoolCreate(virStoragePoolPtr pool, unsigned int flags);
int virStoragePoolDestroy(virStoragePoolPtr pool);
int virStoragePoolDelete(virStoragePoolPtr pool, unsigned int flags);
int virStoragePoolRef(virStoragePoolPtr pool);
int virStoragePoolFree(virStoragePoolPtr pool);
int virStoragePoolRefresh(virStoragePoolPtr pool, unsigned int flags);

const char *virStoragePoolGetName(virStoragePoolPtr pool);
int virStoragePoolGetUUID(virStoragePoolPtr pool, unsigned char *uuid);
int virStoragePoolGetUUIDString(virStoragePoolPtr pool, char *buf);
int virStoragePoolGetInfo(virStoragePoolPtr vol, virStoragePoolInfoPtr info);
char *virStoragePoolGetXMLDesc(virStoragePoolPtr pool, unsigned int flags);
int virStoragePoolGetAutostart(virStoragePoolPtr pool, int *autostart);
int virStoragePoolSetAutostart(virStoragePoolPtr pool, int autostart);
virConnectPtr virStoragePoolGetConnect(virStoragePoolPtr pool);
int virStoragePoolIsActive(virStoragePoolPtr pool);
int virStoragePoolIsPersistent(virStoragePoolPtr pool);

int virStoragePoolNumOfVolumes(virStoragePoolPtr pool);
int virStoragePoolListVolumes(virStoragePoolPtr pool, char **const names, int maxnames);
int virStoragePoolListAllVolumes(virStoragePoolPtr pool, virStorageVolPtr **vols,
                                 unsigned int flags);

virConnectPtr virStorageVolGetConnect(virStorageVolPtr vol);
virStorageVolPtr virStorageVolLookupByName(virStoragePoolPtr pool, const char *name);
virStorageVolPtr virStorageVolLookupByKey(virConnectPtr conn, const char *key);
virStorageVolPtr virStorageVolLookupByPath(virConnectPtr conn, const char *path);
const char *virStorageVolGetName(virStorageVolPtr vol);
const char *virStorageVolGetKey(virStorageVolPtr vol);

virStorageVolPtr virStorageVolCreateXML(virStoragePoolPtr pool, const char *xmldesc,
                                        unsigned int flags);
virStorageVolPtr virStorageVolCreateXMLFrom(virStoragePoolPtr pool, const char *xmldesc,
                                            virStorageVolPtr clonevol, unsigned int flags);
int virStorageVolDownload(virStorageVolPtr vol, virStreamPtr stream, unsigned long long offset,
                          unsigned long long length, unsigned int flags);
int virStorageVolUpload(virStorageVolPtr vol, virStreamPtr stream, unsigned long long offset,
                        unsigned long long length, unsigned int flags);
int virStorageVolDelete(virStorageVolPtr vol, unsigned int flags);
int virStorageVolWipe(virStorageVolPtr vol, unsigned int flags);
int virStorageVolWipePattern(virStorageVolPtr vol, unsigned int algorithm, unsigned int flags);
int virStorageVolRef(virStorageVolPtr vol);
int virStorageVolFree(virStorageVolPtr vol);
int virStorageVolGetInfo(virStorageVolPtr vol, virStorageVolInfoPtr info);
int virStorageVolGetInfoFlags(virStorageVolPtr vol, virStorageVolInfoPtr info, unsigned int flags);
char *virStorageVolGetXMLDesc(virStorageVolPtr pool, unsigned int flags);
char *virStorageVolGetPath(virStorageVolPtr vol);
int virStorageVolResize(virStorageVolPtr vol, unsigned long long capacity, unsigned int flags);

/* ---- streams (data to and from volumes, consoles) ---- */

typedef enum {
    VIR_STREAM_NONBLOCK = (1 << 0),
} virStreamFlags;

typedef int (*virStreamSourceFunc)(virStreamPtr st, char *data, size_t nbytes, void *opaque);
typedef int (*virStreamSinkFunc)(virStreamPtr st, const char *data, size_t nbytes, void *opaque);

virStreamPtr virStreamNew(virConnectPtr conn, unsigned int flags);
int virStreamRef(virStreamPtr st);
int virStreamSend(virStreamPtr st, const char *data, size_t nbytes);
int virStreamRecv(virStreamPtr st, char *data, size_t nbytes);
int virStreamSendAll(virStreamPtr st, virStreamSourceFunc handler, void *opaque);
int virStreamRecvAll(virStreamPtr st, virStreamSinkFunc handler, void *opaque);
int virStreamFinish(virStreamPtr st);
int virStreamAbort(virStreamPtr st);
int virStreamFree(virStreamPtr st);

/* Readiness of a non-blocking stream, delivered by the registered event loop. */
typedef enum {
    VIR_STREAM_EVENT_READABLE = (1 << 0),
    VIR_STREAM_EVENT_WRITABLE = (1 << 1),
    VIR_STREAM_EVENT_ERROR = (1 << 2),
    VIR_STREAM_EVENT_HANGUP = (1 << 3),
} virStreamEventType;

typedef void (*virStreamEventCallback)(virStreamPtr stream, int events, void *opaque);

int virStreamEventAddCallback(virStreamPtr stream, int events, virStreamEventCallback cb,
                              void *opaque, virFreeCallback ff);
int virStreamEventUpdateCallback(virStreamPtr stream, int events);
int virStreamEventRemoveCallback(virStreamPtr stream);

/* ---- consoles: a guest's serial port or console as a stream ---- */

typedef enum {
    VIR_DOMAIN_CONSOLE_FORCE = (1 << 0), /* take the console over from another session */
    VIR_DOMAIN_CONSOLE_SAFE = (1 << 1),  /* only where sessions exclude each other */
} virDomainConsoleFlags;

int virDomainOpenConsole(virDomainPtr dom, const char *dev_name, virStreamPtr st,
                         unsigned int flags);

#ifdef __cplusplus
}
#endif

#define VIRTKIT_VIRTKIT_H_INSIDE
#include <virtkit/virterror.h>
#undef VIRTKIT_VIRTKIT_H_INSIDE

#endif /* VIRTKIT_VIRTKIT_H */

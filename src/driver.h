/* The driver table: one struct of function pointers per driver kind, and the registry that maps
 * a URI scheme to the connection driver that serves it. */
#pragma once

#include <glib.h>
#include "virtkit/virtkit.h"
#include "datatypes.h"

typedef enum {
    VK_DRV_OPEN_SUCCESS = 0,
    VK_DRV_OPEN_ERROR = -1,    /* the driver owns the URI but failed; error reported */
    VK_DRV_OPEN_DECLINED = -2, /* not this driver's URI; try the next */
} vkDrvOpenStatus;

/* The typed parameters of libvirt's version 3 migration calls that we understand
 * (VIR_MIGRATE_PARAM_*); NULL or 0 when absent. */
typedef struct {
    const char *uri;              /* migrate_uri: where the destination's qemu listens */
    const char *destName;         /* destination_name */
    const char *destXML;          /* destination_xml: the definition the guest runs with there */
    const char *persistXML;       /* persistent_xml */
    const char *listenAddress;    /* listen_address: where the destination's qemu listens */
    unsigned long long bandwidth; /* bandwidth, MiB/s */
} vkMigrateParams;

/* Calls on a connection and its domains. A NULL entry makes the public call fail with
 * VIR_ERR_NO_SUPPORT. Public entry points have already checked handles, non-NULL
 * out-parameters and read-only access; drivers check flags and everything state dependent,
 * and report their own errors. */
typedef struct {
    const char *name;

    /* uri is parsed; conn->uri holds the string form. Sets conn->privateData. */
    vkDrvOpenStatus (*connectOpen)(virConnectPtr conn, GUri *uri, unsigned int flags);
    int (*connectClose)(virConnectPtr conn);
    /* Optional: runs once every driver of the connection is open, for work that needs them
     * all (autostarting guests whose interfaces need networks). Cannot fail the open. */
    void (*connectOpened)(virConnectPtr conn);
    const char *(*connectGetType)(virConnectPtr conn);
    int (*connectGetVersion)(virConnectPtr conn, unsigned long *hvVer);
    /* Optional: the library version at the far end (the remote driver's daemon); without it,
     * this library's own. */
    int (*connectGetLibVersion)(virConnectPtr conn, unsigned long *libVer);
    char *(*connectGetHostname)(virConnectPtr conn);
    char *(*connectGetCapabilities)(virConnectPtr conn);
    char *(*connectGetSysinfo)(virConnectPtr conn, unsigned int flags);
    int (*connectGetMaxVcpus)(virConnectPtr conn, const char *type);
    int (*connectIsAlive)(virConnectPtr conn);
    int (*connectIsEncrypted)(virConnectPtr conn);
    int (*connectIsSecure)(virConnectPtr conn);
    int (*nodeGetInfo)(virConnectPtr conn, virNodeInfoPtr info);
    int (*nodeGetSecurityModel)(virConnectPtr conn, virSecurityModelPtr secmodel);
    char *(*connectGetDomainCapabilities)(virConnectPtr conn, const char *emulatorbin,
                                          const char *arch, const char *machine,
                                          const char *virttype, unsigned int flags);
    char *(*connectBaselineHypervisorCPU)(virConnectPtr conn, const char *emulator,
                                          const char *arch, const char *machine,
                                          const char *virttype, const char **xmlCPUs,
                                          unsigned int ncpus, unsigned int flags);

    int (*connectListAllDomains)(virConnectPtr conn, virDomainPtr **domains, unsigned int flags);
    int (*connectNumOfDomains)(virConnectPtr conn);
    int (*connectListDomains)(virConnectPtr conn, int *ids, int maxids);
    int (*connectNumOfDefinedDomains)(virConnectPtr conn);
    int (*connectListDefinedDomains)(virConnectPtr conn, char **const names, int maxnames);

    virDomainPtr (*domainLookupByName)(virConnectPtr conn, const char *name);
    virDomainPtr (*domainLookupByID)(virConnectPtr conn, int id);
    virDomainPtr (*domainLookupByUUID)(virConnectPtr conn, const unsigned char *uuid);

    virDomainPtr (*domainDefineXMLFlags)(virConnectPtr conn, const char *xml, unsigned int flags);
    int (*domainUndefineFlags)(virDomainPtr dom, unsigned int flags);
    virDomainPtr (*domainCreateXML)(virConnectPtr conn, const char *xml, unsigned int flags);
    int (*domainCreateWithFlags)(virDomainPtr dom, unsigned int flags);
    int (*domainShutdownFlags)(virDomainPtr dom, unsigned int flags);
    int (*domainDestroyFlags)(virDomainPtr dom, unsigned int flags);
    int (*domainSuspend)(virDomainPtr dom);
    int (*domainResume)(virDomainPtr dom);
    int (*domainReboot)(virDomainPtr dom, unsigned int flags);
    /* Optional: the flag-less calls, for a driver whose far end tells them apart from the
     * *Flags ones called with 0 (the remote driver sends libvirt's procedure for each). */
    virDomainPtr (*domainDefineXML)(virConnectPtr conn, const char *xml);
    int (*domainUndefine)(virDomainPtr dom);
    int (*domainCreate)(virDomainPtr dom);
    int (*domainShutdown)(virDomainPtr dom);
    int (*domainDestroy)(virDomainPtr dom);

    char *(*domainGetXMLDesc)(virDomainPtr dom, unsigned int flags);
    int (*domainGetInfo)(virDomainPtr dom, virDomainInfoPtr info);
    int (*domainGetState)(virDomainPtr dom, int *state, int *reason, unsigned int flags);
    unsigned long long (*domainGetMaxMemory)(virDomainPtr dom); /* 0 on error */
    char *(*domainGetOSType)(virDomainPtr dom);
    int (*domainGetSecurityLabel)(virDomainPtr dom, virSecurityLabelPtr seclabel);
    int (*domainHasManagedSaveImage)(virDomainPtr dom, unsigned int flags);
    /* Sets *msgs to a NULL-terminated array (freed by the caller with free()); returns its
     * length. */
    int (*domainGetMessages)(virDomainPtr dom, char ***msgs, unsigned int flags);
    int (*domainIsActive)(virDomainPtr dom);
    int (*domainIsPersistent)(virDomainPtr dom);
    int (*domainGetAutostart)(virDomainPtr dom, int *autostart);
    int (*domainSetAutostart)(virDomainPtr dom, int autostart);
    int (*domainSetMetadata)(virDomainPtr dom, int type, const char *metadata, const char *key,
                             const char *uri, unsigned int flags);
    char *(*domainGetMetadata)(virDomainPtr dom, int type, const char *uri, unsigned int flags);
    int (*domainSnapshotNum)(virDomainPtr dom, unsigned int flags);
    /* Optional: virDomainQemuMonitorCommand (virtkit-qemu.h). */
    int (*domainQemuMonitorCommand)(virDomainPtr dom, const char *cmd, char **result,
                                    unsigned int flags);
    /* Optional: libvirt's version 3 migration with parameters (virDomainMigrate3's steps).
     * Cookies are NUL-terminated XML text; *cookieoutlen counts the NUL. Begin runs on the
     * source and returns the XML that travels; Prepare starts the incoming guest on the
     * destination and sets *uriOut; Perform sends the guest; Finish resumes it on the
     * destination (or, CANCELLED, kills it and returns NULL); Confirm ends it on the source
     * (or, CANCELLED, resumes it there). */
    char *(*domainMigrateBegin3Params)(virDomainPtr dom, const vkMigrateParams *params,
                                       char **cookieout, int *cookieoutlen, unsigned int flags);
    int (*domainMigratePrepare3Params)(virConnectPtr dconn, const vkMigrateParams *params,
                                       const char *cookiein, int cookieinlen, char **cookieout,
                                       int *cookieoutlen, char **uriOut, unsigned int flags);
    int (*domainMigratePerform3Params)(virDomainPtr dom, const char *dconnuri,
                                       const vkMigrateParams *params, const char *cookiein,
                                       int cookieinlen, char **cookieout, int *cookieoutlen,
                                       unsigned int flags);
    virDomainPtr (*domainMigrateFinish3Params)(virConnectPtr dconn, const vkMigrateParams *params,
                                               const char *cookiein, int cookieinlen,
                                               char **cookieout, int *cookieoutlen,
                                               unsigned int flags, int cancelled);
    int (*domainMigrateConfirm3Params)(virDomainPtr dom, const vkMigrateParams *params,
                                       const char *cookiein, int cookieinlen, unsigned int flags,
                                       int cancelled);
    /* Attaches a backend carrying the character device's bytes to ST (stream.h). */
    int (*domainOpenConsole)(virDomainPtr dom, const char *devName, virStreamPtr st,
                             unsigned int flags);

    /* Events (see object_event.h). The public entry points have checked the arguments; the
     * register calls return the callback id, or 0 for the legacy one. */
    int (*connectDomainEventRegister)(virConnectPtr conn, virConnectDomainEventCallback cb,
                                      void *opaque, virFreeCallback freecb);
    int (*connectDomainEventDeregister)(virConnectPtr conn, virConnectDomainEventCallback cb);
    int (*connectDomainEventRegisterAny)(virConnectPtr conn, virDomainPtr dom, int eventID,
                                         virConnectDomainEventGenericCallback cb, void *opaque,
                                         virFreeCallback freecb);
    int (*connectDomainEventDeregisterAny)(virConnectPtr conn, int callbackID);
} vkHypervisorDriver;

/* Calls on networks. Same conventions as vkHypervisorDriver. */
typedef struct {
    const char *name;

    /* Optional: a network driver with state of its own sets conn->networkPrivateData here;
     * one that shares the hypervisor driver's state (the test driver) leaves these NULL. */
    vkDrvOpenStatus (*connectOpen)(virConnectPtr conn, GUri *uri, unsigned int flags);
    int (*connectClose)(virConnectPtr conn);

    int (*connectListAllNetworks)(virConnectPtr conn, virNetworkPtr **nets, unsigned int flags);
    int (*connectNumOfNetworks)(virConnectPtr conn);
    int (*connectListNetworks)(virConnectPtr conn, char **const names, int maxnames);
    int (*connectNumOfDefinedNetworks)(virConnectPtr conn);
    int (*connectListDefinedNetworks)(virConnectPtr conn, char **const names, int maxnames);

    virNetworkPtr (*networkLookupByName)(virConnectPtr conn, const char *name);
    virNetworkPtr (*networkLookupByUUID)(virConnectPtr conn, const unsigned char *uuid);

    virNetworkPtr (*networkDefineXMLFlags)(virConnectPtr conn, const char *xml, unsigned int flags);
    virNetworkPtr (*networkCreateXMLFlags)(virConnectPtr conn, const char *xml, unsigned int flags);
    int (*networkUndefine)(virNetworkPtr net);
    int (*networkCreate)(virNetworkPtr net);
    int (*networkDestroy)(virNetworkPtr net);
    /* Optional: the flag-less calls (see vkHypervisorDriver's). */
    virNetworkPtr (*networkDefineXML)(virConnectPtr conn, const char *xml);
    virNetworkPtr (*networkCreateXML)(virConnectPtr conn, const char *xml);

    char *(*networkGetXMLDesc)(virNetworkPtr net, unsigned int flags);
    char *(*networkGetBridgeName)(virNetworkPtr net);
    int (*networkIsActive)(virNetworkPtr net);
    int (*networkIsPersistent)(virNetworkPtr net);
    int (*networkGetAutostart)(virNetworkPtr net, int *autostart);
    int (*networkSetAutostart)(virNetworkPtr net, int autostart);

    int (*connectNetworkEventRegisterAny)(virConnectPtr conn, virNetworkPtr net, int eventID,
                                          virConnectNetworkEventGenericCallback cb, void *opaque,
                                          virFreeCallback freecb);
    int (*connectNetworkEventDeregisterAny)(virConnectPtr conn, int callbackID);
} vkNetworkDriver;

/* Calls on storage pools and volumes. Same conventions as vkHypervisorDriver; connectOpen
 * sets conn->storagePrivateData. */
typedef struct {
    const char *name;

    vkDrvOpenStatus (*connectOpen)(virConnectPtr conn, GUri *uri, unsigned int flags);
    int (*connectClose)(virConnectPtr conn);

    int (*connectListAllStoragePools)(virConnectPtr conn, virStoragePoolPtr **pools,
                                      unsigned int flags);
    int (*connectNumOfStoragePools)(virConnectPtr conn);
    int (*connectListStoragePools)(virConnectPtr conn, char **const names, int maxnames);
    int (*connectNumOfDefinedStoragePools)(virConnectPtr conn);
    int (*connectListDefinedStoragePools)(virConnectPtr conn, char **const names, int maxnames);
    char *(*connectGetStoragePoolCapabilities)(virConnectPtr conn, unsigned int flags);

    virStoragePoolPtr (*storagePoolLookupByName)(virConnectPtr conn, const char *name);
    virStoragePoolPtr (*storagePoolLookupByUUID)(virConnectPtr conn, const unsigned char *uuid);
    virStoragePoolPtr (*storagePoolLookupByVolume)(virStorageVolPtr vol);
    virStoragePoolPtr (*storagePoolLookupByTargetPath)(virConnectPtr conn, const char *path);
    virStoragePoolPtr (*storagePoolCreateXML)(virConnectPtr conn, const char *xml,
                                              unsigned int flags);
    virStoragePoolPtr (*storagePoolDefineXML)(virConnectPtr conn, const char *xml,
                                              unsigned int flags);
    int (*storagePoolBuild)(virStoragePoolPtr pool, unsigned int flags);
    int (*storagePoolUndefine)(virStoragePoolPtr pool);
    int (*storagePoolCreate)(virStoragePoolPtr pool, unsigned int flags);
    int (*storagePoolDestroy)(virStoragePoolPtr pool);
    int (*storagePoolDelete)(virStoragePoolPtr pool, unsigned int flags);
    int (*storagePoolRefresh)(virStoragePoolPtr pool, unsigned int flags);
    int (*storagePoolGetInfo)(virStoragePoolPtr pool, virStoragePoolInfoPtr info);
    char *(*storagePoolGetXMLDesc)(virStoragePoolPtr pool, unsigned int flags);
    int (*storagePoolGetAutostart)(virStoragePoolPtr pool, int *autostart);
    int (*storagePoolSetAutostart)(virStoragePoolPtr pool, int autostart);
    int (*storagePoolIsActive)(virStoragePoolPtr pool);
    int (*storagePoolIsPersistent)(virStoragePoolPtr pool);
    int (*storagePoolNumOfVolumes)(virStoragePoolPtr pool);
    int (*storagePoolListVolumes)(virStoragePoolPtr pool, char **const names, int maxnames);
    int (*storagePoolListAllVolumes)(virStoragePoolPtr pool, virStorageVolPtr **vols,
                                     unsigned int flags);

    virStorageVolPtr (*storageVolLookupByName)(virStoragePoolPtr pool, const char *name);
    virStorageVolPtr (*storageVolLookupByKey)(virConnectPtr conn, const char *key);
    virStorageVolPtr (*storageVolLookupByPath)(virConnectPtr conn, const char *path);
    virStorageVolPtr (*storageVolCreateXML)(virStoragePoolPtr pool, const char *xml,
                                            unsigned int flags);
    virStorageVolPtr (*storageVolCreateXMLFrom)(virStoragePoolPtr pool, const char *xml,
                                                virStorageVolPtr clone, unsigned int flags);
    int (*storageVolDownload)(virStorageVolPtr vol, virStreamPtr st, unsigned long long offset,
                              unsigned long long length, unsigned int flags);
    int (*storageVolUpload)(virStorageVolPtr vol, virStreamPtr st, unsigned long long offset,
                            unsigned long long length, unsigned int flags);
    int (*storageVolDelete)(virStorageVolPtr vol, unsigned int flags);
    int (*storageVolWipePattern)(virStorageVolPtr vol, unsigned int algorithm, unsigned int flags);
    int (*storageVolGetInfoFlags)(virStorageVolPtr vol, virStorageVolInfoPtr info,
                                  unsigned int flags);
    char *(*storageVolGetXMLDesc)(virStorageVolPtr vol, unsigned int flags);
    char *(*storageVolGetPath)(virStorageVolPtr vol);
    int (*storageVolResize)(virStorageVolPtr vol, unsigned long long capacity, unsigned int flags);
    /* Optional: the flag-less calls (see vkHypervisorDriver's): virStorageVolWipe and
     * virStorageVolGetInfo, which libvirt's client sends as procedures of their own. */
    int (*storageVolWipe)(virStorageVolPtr vol, unsigned int flags);
    int (*storageVolGetInfo)(virStorageVolPtr vol, virStorageVolInfoPtr info);
    int (*connectStoragePoolEventRegisterAny)(virConnectPtr conn, virStoragePoolPtr pool,
                                              int eventID,
                                              virConnectStoragePoolEventGenericCallback cb,
                                              void *opaque, virFreeCallback freecb);
    int (*connectStoragePoolEventDeregisterAny)(virConnectPtr conn, int callbackID);
} vkStorageDriver;

/* What a URI scheme maps to: the drivers that serve a connection of that kind. */
struct _vkConnectDriver {
    const char *const *uriSchemes; /* NULL-terminated */
    gboolean localOnly;            /* refuses URIs naming a server (test://host/...) */
    const vkHypervisorDriver *hypervisorDriver;
    const vkNetworkDriver *networkDriver; /* NULL: network calls are unsupported */
    const vkStorageDriver *storageDriver; /* NULL: storage calls are unsupported */
};

/* The connection driver serving scheme, or NULL when none built in does. */
const vkConnectDriver *vkDriverForScheme(const char *scheme);

/* Checks that flags has no bits outside supported; reports VIR_ERR_INVALID_ARG naming func
 * and returns -1 otherwise, as libvirt's drivers do. */
int vkCheckFlags(const char *func, int errDomain, unsigned int flags, unsigned int supported);

/* What a domain listing filters on (virConnectListAllDomains flags). */
typedef struct {
    gboolean active;
    gboolean persistent;
    gboolean managedSave;
    gboolean autostart;
    int state; /* virDomainState */
} vkDomainListFacts;

/* Whether a domain with FACTS passes the VIR_CONNECT_LIST_DOMAINS_* filters in FLAGS: within
 * each group (active/inactive, ...) a set flag must match; an empty group matches all. */
gboolean vkDomainListMatch(unsigned int flags, const vkDomainListFacts *facts);

/* The same for storage pools (VIR_CONNECT_LIST_STORAGE_POOLS_*); TYPE is the pool type. */
gboolean vkStoragePoolListMatch(unsigned int flags, gboolean active, gboolean persistent,
                                gboolean autostart, int type);

/* The same for networks (VIR_CONNECT_LIST_NETWORKS_*). */
gboolean vkNetworkListMatch(unsigned int flags, gboolean active, gboolean persistent,
                            gboolean autostart);

/* The end of every list-all call: HANDLES (virDomainPtr or virNetworkPtr, the array unreferencing
 * them when freed) go to the caller as libvirt's NULL-terminated array, freed with free(), or
 * are dropped when the caller wants only the count (OUT NULL). Takes HANDLES; returns the count. */
int vkListHandlesReturn(GPtrArray *handles, void ***out);

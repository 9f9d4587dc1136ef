/* The test driver's state, shared by its files: the objects of one test:/// world and the
 * helpers that keep their states consistent with libvirt's test driver. */
#pragma once

#include <glib.h>

#include "conf/domain_conf.h"
#include "conf/network_conf.h"
#include "conf/storage_conf.h"
#include "driver.h"
#include "object_event.h"
#include "util/vkerror.h"

#define VK_TEST_ERR VIR_FROM_TEST

typedef struct {
    /* While active, def is the live definition and newDef the persistent one to go back to
     * at shutdown (NULL for a transient domain). While inactive, def is the persistent one. */
    vkDomainDef *def;
    vkDomainDef *newDef;
    int state;  /* virDomainState */
    int reason; /* the state's reason enum */
    gboolean persistent;
    gboolean autostart;
    gboolean hasManagedSave; /* only ever set from a node file */
} vkTestDomainObj;

typedef struct {
    /* As for domains: def is what runs (or would run), newDef the persistent configuration
     * defined while the network was active, applied when it stops. */
    vkNetworkDef *def;
    vkNetworkDef *newDef;
    gboolean active;
    gboolean persistent;
    gboolean autostart;
} vkTestNetworkObj;

typedef struct {
    /* def is what the pool is (and what dumpxml shows); newDef a definition given while it
     * ran, kept as libvirt keeps it. Volumes live in memory only. */
    vkStoragePoolDef *def;
    vkStoragePoolDef *newDef;
    gboolean active;
    gboolean persistent;
    gboolean autostart;
    GPtrArray *vols; /* vkStorageVolDef *, owned */
} vkTestPoolObj;

typedef struct {
    unsigned int numCpus;
    unsigned long long memKiB;
} vkTestCell;

typedef struct {
    int refs; /* test:///default only: its connections, under the shared slot's lock */
    gboolean isDefault;

    GMutex lock; /* guards everything below */
    virNodeInfo nodeInfo;
    vkTestCell *cells;
    size_t ncells;
    int nextDomID;
    GPtrArray *domains;  /* vkTestDomainObj *, owned */
    GPtrArray *networks; /* vkTestNetworkObj *, owned */
    GPtrArray *pools;    /* vkTestPoolObj *, owned */

    vkObjectEventState *events; /* domain and network callbacks share it, as in libvirt */
} vkTestDriver;

/* test_driver.c: vkCheckFlags naming func the way libvirt's test driver does, because users
 * compare the messages ("unsupported flags (0x1) in function testDomainShutdownFlags"). */
int vkTestCheckFlags(const char *func, unsigned int flags, unsigned int supported);

/* test_node.c: building a world */
vkTestDriver *vkTestDriverNew(void);
void vkTestDriverFree(vkTestDriver *driver);
/* Fills a new driver with libvirt's default objects, or with a node file's. Report on error. */
int vkTestLoadDefault(vkTestDriver *driver);
int vkTestLoadFile(vkTestDriver *driver, const char *path);
char *vkTestCapabilities(const vkTestDriver *driver);

/* test_domain.c: domain objects (driver->lock held) */
/* Parses a <domain> element the way libvirt's test driver does (i686 as the default
 * architecture, testnetN interface names). May add attributes to root. */
vkDomainDef *vkTestDomainDefParseNode(xmlDocPtr doc, xmlNodePtr root);
void vkTestDomainObjFree(vkTestDomainObj *obj);
/* libvirt's add-or-update rule: a new name and uuid adds an object, a known pair replaces the
 * definition (the persistent one, or the live one when live), a clash reports. Takes *def
 * on success. With checkLive an active or transient match is refused. */
vkTestDomainObj *vkTestDomainAdd(vkTestDriver *driver, vkDomainDef **def, gboolean live,
                                 gboolean checkLive);
void vkTestDomainRemove(vkTestDriver *driver, vkTestDomainObj *obj);
/* Marks obj running with the next id; reason is a virDomainRunningReason. */
void vkTestDomainStartState(vkTestDriver *driver, vkTestDomainObj *obj, int reason);
/* Marks obj shut off, going back to its persistent definition. */
void vkTestDomainShutdownState(vkTestDomainObj *obj, int reason);

/* The domain calls of the hypervisor driver table (test_driver.c holds the table). */
int vkTestConnectListAllDomains(virConnectPtr conn, virDomainPtr **domains, unsigned int flags);
int vkTestConnectNumOfDomains(virConnectPtr conn);
int vkTestConnectListDomains(virConnectPtr conn, int *ids, int maxids);
int vkTestConnectNumOfDefinedDomains(virConnectPtr conn);
int vkTestConnectListDefinedDomains(virConnectPtr conn, char **const names, int maxnames);
virDomainPtr vkTestDomainLookupByName(virConnectPtr conn, const char *name);
virDomainPtr vkTestDomainLookupByID(virConnectPtr conn, int id);
virDomainPtr vkTestDomainLookupByUUID(virConnectPtr conn, const unsigned char *uuid);
virDomainPtr vkTestDomainDefineXMLFlags(virConnectPtr conn, const char *xml, unsigned int flags);
int vkTestDomainUndefineFlags(virDomainPtr dom, unsigned int flags);
virDomainPtr vkTestDomainCreateXML(virConnectPtr conn, const char *xml, unsigned int flags);
int vkTestDomainCreateWithFlags(virDomainPtr dom, unsigned int flags);
int vkTestDomainShutdownFlags(virDomainPtr dom, unsigned int flags);
int vkTestDomainDestroyFlags(virDomainPtr dom, unsigned int flags);
int vkTestDomainSuspend(virDomainPtr dom);
int vkTestDomainResume(virDomainPtr dom);
int vkTestDomainReboot(virDomainPtr dom, unsigned int flags);
char *vkTestDomainGetXMLDesc(virDomainPtr dom, unsigned int flags);
int vkTestDomainGetInfo(virDomainPtr dom, virDomainInfoPtr info);
int vkTestDomainGetState(virDomainPtr dom, int *state, int *reason, unsigned int flags);
unsigned long long vkTestDomainGetMaxMemory(virDomainPtr dom);
char *vkTestDomainGetOSType(virDomainPtr dom);
int vkTestDomainGetSecurityLabel(virDomainPtr dom, virSecurityLabelPtr seclabel);
int vkTestDomainHasManagedSaveImage(virDomainPtr dom, unsigned int flags);
int vkTestDomainIsActive(virDomainPtr dom);
int vkTestDomainIsPersistent(virDomainPtr dom);
int vkTestDomainGetAutostart(virDomainPtr dom, int *autostart);
int vkTestDomainSetAutostart(virDomainPtr dom, int autostart);
char *vkTestDomainGetMetadata(virDomainPtr dom, int type, const char *uri, unsigned int flags);
int vkTestDomainSetMetadata(virDomainPtr dom, int type, const char *metadata, const char *key,
                            const char *uri, unsigned int flags);

/* test_network.c: network objects (driver->lock held) */
void vkTestNetworkObjFree(vkTestNetworkObj *obj);
vkTestNetworkObj *vkTestNetworkAdd(vkTestDriver *driver, vkNetworkDef **def, gboolean live);
extern const vkNetworkDriver vkTestNetworkDriver;

/* test_storage.c: storage pools and volumes (driver->lock held) */
void vkTestPoolObjFree(vkTestPoolObj *obj);
vkTestPoolObj *vkTestPoolAdd(vkTestDriver *driver, vkStoragePoolDef **def, gboolean checkLive);
/* Gives a pool of a node file libvirt's test sizes and makes it persistent. */
void vkTestPoolSetDefaults(vkTestPoolObj *obj);
/* Adds VOL (taken) to the pool, with its path and key under the pool's target if unset. */
int vkTestPoolAddVol(vkTestPoolObj *obj, vkStorageVolDef *vol);
extern const vkStorageDriver vkTestStorageDriver;

/* test_driver.c: network event callbacks, kept with the domain ones in the world's list. */
int vkTestNetworkEventRegisterAny(virConnectPtr conn, virNetworkPtr net, int eventID,
                                  virConnectNetworkEventGenericCallback cb, void *opaque,
                                  virFreeCallback freecb);
int vkTestNetworkEventDeregisterAny(virConnectPtr conn, int callbackID);
/* ... and the storage pool ones. */
int vkTestStoragePoolEventRegisterAny(virConnectPtr conn, virStoragePoolPtr pool, int eventID,
                                      virConnectStoragePoolEventGenericCallback cb, void *opaque,
                                      virFreeCallback freecb);
int vkTestStoragePoolEventDeregisterAny(virConnectPtr conn, int callbackID);

/* The driver state behind a handle's connection. */
static inline vkTestDriver *vkTestDriverOf(virConnectPtr conn)
{
    return conn->privateData;
}

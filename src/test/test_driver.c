/* The test:/// connection driver: opening a world (shared test:///default or a private node
 * file), the host queries, and the driver tables. */
#include <string.h>

#include "test_driver.h"
#include "test_private.h"

/* All test:///default connections of a process share one world, as in libvirt (a change made
 * through one connection is seen through the others); it is built on first open and freed
 * with its last connection. This slot is the only state the driver keeps outside a world. */
static struct {
    GMutex lock;
    vkTestDriver *driver;
} sharedDefault;

int vkTestCheckFlags(const char *func, unsigned int flags, unsigned int supported)
{
    /* "vkTestDomainDestroyFlags" is reported as libvirt's "testDomainDestroyFlags". */
    g_autofree char *name =
        g_str_has_prefix(func, "vkT") ? g_strdup_printf("t%s", func + 3) : g_strdup(func);
    return vkCheckFlags(name, VK_TEST_ERR, flags, supported);
}

static vkTestDriver *openDefault(void)
{
    g_autoptr(GMutexLocker) locker = g_mutex_locker_new(&sharedDefault.lock);

    if (sharedDefault.driver) {
        sharedDefault.driver->refs++;
        return sharedDefault.driver;
    }
    vkTestDriver *driver = vkTestDriverNew();
    driver->isDefault = TRUE;
    if (vkTestLoadDefault(driver) < 0) {
        vkTestDriverFree(driver);
        return NULL;
    }
    sharedDefault.driver = driver;
    return driver;
}

static vkTestDriver *openFile(const char *path)
{
    vkTestDriver *driver = vkTestDriverNew();

    if (vkTestLoadFile(driver, path) < 0) {
        vkTestDriverFree(driver);
        return NULL;
    }
    return driver;
}

static vkDrvOpenStatus connectOpen(virConnectPtr conn, GUri *uri, unsigned int flags)
{
    const char *path = g_uri_get_path(uri);
    vkTestDriver *driver;

    if (!path || !*path || g_str_equal(path, "/")) {
        vkReportError(VK_TEST_ERR, VIR_ERR_INVALID_ARG, "%s",
                      "testOpen: supply a path or use test:///default");
        return VK_DRV_OPEN_ERROR;
    }
    driver = g_str_equal(path, "/default") ? openDefault() : openFile(path);
    if (!driver)
        return VK_DRV_OPEN_ERROR;
    conn->privateData = driver;
    return VK_DRV_OPEN_SUCCESS;
}

static int connectClose(virConnectPtr conn)
{
    vkTestDriver *driver = g_steal_pointer(&conn->privateData);

    if (!driver)
        return 0;
    if (driver->isDefault) {
        g_autoptr(GMutexLocker) locker = g_mutex_locker_new(&sharedDefault.lock);
        if (--driver->refs > 0)
            return 0;
        sharedDefault.driver = NULL;
    }
    vkTestDriverFree(driver);
    return 0;
}

static const char *connectGetType(virConnectPtr conn)
{
    return "TEST";
}

static int connectGetVersion(virConnectPtr conn, unsigned long *hvVer)
{
    /* libvirt's test driver reports hypervisor version 0.0.2. */
    *hvVer = 2;
    return 0;
}

static char *connectGetHostname(virConnectPtr conn)
{
    return g_strdup(g_get_host_name());
}

static char *connectGetCapabilities(virConnectPtr conn)
{
    vkTestDriver *driver = vkTestDriverOf(conn);
    g_autoptr(GMutexLocker) locker = g_mutex_locker_new(&driver->lock);

    return vkTestCapabilities(driver);
}

static char *connectGetSysinfo(virConnectPtr conn, unsigned int flags)
{
    if (vkTestCheckFlags("vkTestConnectGetSysinfo", flags, 0) < 0)
        return NULL;
    /* The fixed SMBIOS table libvirt's test driver reports. */
    return g_strdup("<sysinfo type='smbios'>\n"
                    "  <bios>\n"
                    "    <entry name='vendor'>LENOVO</entry>\n"
                    "    <entry name='version'>G4ETA1WW (2.61 )</entry>\n"
                    "    <entry name='date'>05/07/2014</entry>\n"
                    "    <entry name='release'>2.61</entry>\n"
                    "  </bios>\n"
                    "</sysinfo>\n");
}

static int connectGetMaxVcpus(virConnectPtr conn, const char *type)
{
    return 32;
}

static int connectIsAlive(virConnectPtr conn)
{
    return 1;
}

static int connectIsEncrypted(virConnectPtr conn)
{
    return 0;
}

static int connectIsSecure(virConnectPtr conn)
{
    return 1;
}

static int nodeGetInfo(virConnectPtr conn, virNodeInfoPtr info)
{
    vkTestDriver *driver = vkTestDriverOf(conn);
    g_autoptr(GMutexLocker) locker = g_mutex_locker_new(&driver->lock);

    *info = driver->nodeInfo;
    return 0;
}

static int nodeGetSecurityModel(virConnectPtr conn, virSecurityModelPtr secmodel)
{
    memset(secmodel, 0, sizeof(*secmodel));
    g_strlcpy(secmodel->model, "testSecurity", sizeof(secmodel->model));
    return 0;
}

/* ---- events: one list per world, so every connection to it sees every change ---- */

static int domainEventRegister(virConnectPtr conn, virConnectDomainEventCallback cb, void *opaque,
                               virFreeCallback freecb)
{
    int id = vkObjectEventStateRegister(vkTestDriverOf(conn)->events, conn, VK_OBJECT_EVENT_DOMAIN,
                                        VIR_DOMAIN_EVENT_ID_LIFECYCLE, NULL, (void (*)(void))cb,
                                        opaque, freecb, TRUE);
    return id < 0 ? -1 : 0;
}

static int domainEventDeregister(virConnectPtr conn, virConnectDomainEventCallback cb)
{
    vkObjectEventState *events = vkTestDriverOf(conn)->events;
    int id = vkObjectEventStateLegacyID(events, conn, (void (*)(void))cb);

    if (id < 0)
        return -1;
    return vkObjectEventStateDeregister(events, conn, id, TRUE);
}

static int domainEventRegisterAny(virConnectPtr conn, virDomainPtr dom, int eventID,
                                  virConnectDomainEventGenericCallback cb, void *opaque,
                                  virFreeCallback freecb)
{
    return vkObjectEventStateRegister(vkTestDriverOf(conn)->events, conn, VK_OBJECT_EVENT_DOMAIN,
                                      eventID, dom ? dom->uuid : NULL, (void (*)(void))cb, opaque,
                                      freecb, FALSE);
}

/* Any callback of the world's list: libvirt's test driver does not tell domain callbacks
 * from network ones here either. */
static int eventDeregisterAny(virConnectPtr conn, int callbackID)
{
    return vkObjectEventStateDeregister(vkTestDriverOf(conn)->events, conn, callbackID, TRUE);
}

int vkTestNetworkEventRegisterAny(virConnectPtr conn, virNetworkPtr net, int eventID,
                                  virConnectNetworkEventGenericCallback cb, void *opaque,
                                  virFreeCallback freecb)
{
    return vkObjectEventStateRegister(vkTestDriverOf(conn)->events, conn, VK_OBJECT_EVENT_NETWORK,
                                      eventID, net ? net->uuid : NULL, (void (*)(void))cb, opaque,
                                      freecb, FALSE);
}

int vkTestNetworkEventDeregisterAny(virConnectPtr conn, int callbackID)
{
    return eventDeregisterAny(conn, callbackID);
}

int vkTestStoragePoolEventRegisterAny(virConnectPtr conn, virStoragePoolPtr pool, int eventID,
                                      virConnectStoragePoolEventGenericCallback cb, void *opaque,
                                      virFreeCallback freecb)
{
    return vkObjectEventStateRegister(
        vkTestDriverOf(conn)->events, conn, VK_OBJECT_EVENT_STORAGE_POOL, eventID,
        pool ? pool->uuid : NULL, (void (*)(void))cb, opaque, freecb, FALSE);
}

int vkTestStoragePoolEventDeregisterAny(virConnectPtr conn, int callbackID)
{
    return eventDeregisterAny(conn, callbackID);
}

static const vkHypervisorDriver testHypervisorDriver = {
    .name = "Test",
    .connectOpen = connectOpen,
    .connectClose = connectClose,
    .connectGetType = connectGetType,
    .connectGetVersion = connectGetVersion,
    .connectGetHostname = connectGetHostname,
    .connectGetCapabilities = connectGetCapabilities,
    .connectGetSysinfo = connectGetSysinfo,
    .connectGetMaxVcpus = connectGetMaxVcpus,
    .connectIsAlive = connectIsAlive,
    .connectIsEncrypted = connectIsEncrypted,
    .connectIsSecure = connectIsSecure,
    .nodeGetInfo = nodeGetInfo,
    .nodeGetSecurityModel = nodeGetSecurityModel,

    .connectListAllDomains = vkTestConnectListAllDomains,
    .connectNumOfDomains = vkTestConnectNumOfDomains,
    .connectListDomains = vkTestConnectListDomains,
    .connectNumOfDefinedDomains = vkTestConnectNumOfDefinedDomains,
    .connectListDefinedDomains = vkTestConnectListDefinedDomains,
    .domainLookupByName = vkTestDomainLookupByName,
    .domainLookupByID = vkTestDomainLookupByID,
    .domainLookupByUUID = vkTestDomainLookupByUUID,
    .domainDefineXMLFlags = vkTestDomainDefineXMLFlags,
    .domainUndefineFlags = vkTestDomainUndefineFlags,
    .domainCreateXML = vkTestDomainCreateXML,
    .domainCreateWithFlags = vkTestDomainCreateWithFlags,
    .domainShutdownFlags = vkTestDomainShutdownFlags,
    .domainDestroyFlags = vkTestDomainDestroyFlags,
    .domainSuspend = vkTestDomainSuspend,
    .domainResume = vkTestDomainResume,
    .domainReboot = vkTestDomainReboot,
    .domainGetXMLDesc = vkTestDomainGetXMLDesc,
    .domainGetInfo = vkTestDomainGetInfo,
    .domainGetState = vkTestDomainGetState,
    .domainGetMaxMemory = vkTestDomainGetMaxMemory,
    .domainGetOSType = vkTestDomainGetOSType,
    .domainGetSecurityLabel = vkTestDomainGetSecurityLabel,
    .domainHasManagedSaveImage = vkTestDomainHasManagedSaveImage,
    .domainIsActive = vkTestDomainIsActive,
    .domainIsPersistent = vkTestDomainIsPersistent,
    .domainGetAutostart = vkTestDomainGetAutostart,
    .domainSetAutostart = vkTestDomainSetAutostart,
    .domainGetMetadata = vkTestDomainGetMetadata,
    .domainSetMetadata = vkTestDomainSetMetadata,
    .connectDomainEventRegister = domainEventRegister,
    .connectDomainEventDeregister = domainEventDeregister,
    .connectDomainEventRegisterAny = domainEventRegisterAny,
    .connectDomainEventDeregisterAny = eventDeregisterAny,
};

static const char *const testSchemes[] = { "test", NULL };

const vkConnectDriver vkTestConnectDriver = {
    .uriSchemes = testSchemes,
    .localOnly = TRUE,
    .hypervisorDriver = &testHypervisorDriver,
    .networkDriver = &vkTestNetworkDriver,
    .storageDriver = &vkTestStorageDriver,
};

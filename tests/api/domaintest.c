/* Domain calls against the test driver: the default world, lookups, every lifecycle
 * transition with its ids and reasons, definitions, listings and the errors libvirt gives. */
#include "apitest.h"

#define TEST_UUID "6695eb01-f6a4-8304-79aa-97f2502e193f"

static const char newDomainXML[] = "<domain type='test'>\n"
                                   "  <name>fresh</name>\n"
                                   "  <uuid>8f3c1e4a-2b7d-4e5f-9a6b-0c1d2e3f4a5b</uuid>\n"
                                   "  <memory>1048576</memory>\n"
                                   "  <vcpu>1</vcpu>\n"
                                   "  <os>\n"
                                   "    <type>hvm</type>\n"
                                   "  </os>\n"
                                   "</domain>\n";

/* A domain XML with the given name, memory and optional uuid. */
static char *domainXML(const char *name, unsigned int memKiB, const char *uuid)
{
    return g_strdup_printf("<domain type='test'><name>%s</name>%s%s%s<memory>%u</memory>"
                           "<os><type>hvm</type></os></domain>",
                           name, uuid ? "<uuid>" : "", uuid ? uuid : "", uuid ? "</uuid>" : "",
                           memKiB);
}

static virDomainPtr lookup(virConnectPtr conn, const char *name)
{
    virDomainPtr dom = virDomainLookupByName(conn, name);
    g_assert_nonnull(dom);
    return dom;
}

static void testDefaultWorld(void)
{
    virConnectPtr conn = apiOpenDefault();
    virDomainPtr *doms = NULL;
    char uuid[VIR_UUID_STRING_BUFLEN];
    virDomainInfo info;
    int reason = -1, autostart = -1;

    g_assert_cmpint(virConnectListAllDomains(conn, &doms, 0), ==, 1);
    virDomainPtr dom = doms[0];
    g_assert_null(doms[1]);
    g_free(doms);

    g_assert_cmpstr(virDomainGetName(dom), ==, "test");
    g_assert_cmpuint(virDomainGetID(dom), ==, 1);
    g_assert_cmpint(virDomainGetUUIDString(dom, uuid), ==, 0);
    g_assert_cmpstr(uuid, ==, TEST_UUID);
    /* Loaded running, not booted: libvirt's test driver gives the "unknown" reason. */
    g_assert_cmpint(apiState(dom, &reason), ==, VIR_DOMAIN_RUNNING);
    g_assert_cmpint(reason, ==, VIR_DOMAIN_RUNNING_UNKNOWN);
    g_assert_cmpint(virDomainIsActive(dom), ==, 1);
    g_assert_cmpint(virDomainIsPersistent(dom), ==, 1);
    g_assert_cmpint(virDomainGetAutostart(dom, &autostart), ==, 0);
    g_assert_cmpint(autostart, ==, 0);

    gint64 before = g_get_real_time();
    g_assert_cmpint(virDomainGetInfo(dom, &info), ==, 0);
    gint64 after = g_get_real_time();
    g_assert_cmpint(info.state, ==, VIR_DOMAIN_RUNNING);
    g_assert_cmpuint(info.maxMem, ==, 8388608);
    g_assert_cmpuint(info.memory, ==, 2097152);
    g_assert_cmpuint(info.nrVirtCpu, ==, 2);
    /* CPU time is the wall clock in nanoseconds, as in libvirt's test driver. */
    g_assert_cmpuint(info.cpuTime, >=, (guint64)before * 1000);
    g_assert_cmpuint(info.cpuTime, <=, (guint64)after * 1000);
    g_assert_cmpuint(virDomainGetMaxMemory(dom), ==, 8388608);

    g_autofree char *os = virDomainGetOSType(dom);
    g_assert_cmpstr(os, ==, "linux");
    g_assert_true(virDomainGetConnect(dom) == conn);

    g_assert_cmpint(virConnectNumOfDomains(conn), ==, 1);
    g_assert_cmpint(virConnectNumOfDefinedDomains(conn), ==, 0);
    g_assert_cmpint(virDomainHasManagedSaveImage(dom, 0), ==, 0);
    g_assert_cmpint(virDomainHasManagedSaveImage(dom, 1), ==, -1);
    apiAssertError(VIR_ERR_INVALID_ARG, "testDomainHasManagedSaveImage");
    virDomainFree(dom);
    apiClose(conn);
}

/* The test host's security model labels running domains only, as libvirt's does. */
static void testSecurity(void)
{
    virConnectPtr conn = apiOpenDefault();
    virDomainPtr dom = lookup(conn, "test");
    virSecurityModel model;
    virSecurityLabel label;

    g_assert_cmpint(virNodeGetSecurityModel(conn, &model), ==, 0);
    g_assert_cmpstr(model.model, ==, "testSecurity");
    g_assert_cmpstr(model.doi, ==, "");
    g_assert_cmpint(virDomainGetSecurityLabel(dom, &label), ==, 0);
    g_assert_cmpstr(label.label, ==, "libvirt-test");
    g_assert_cmpint(label.enforcing, ==, 1);

    g_assert_cmpint(virDomainDestroy(dom), ==, 0);
    g_assert_cmpint(virDomainGetSecurityLabel(dom, &label), ==, 0);
    g_assert_cmpstr(label.label, ==, "");
    g_assert_cmpint(label.enforcing, ==, 0);
    g_assert_cmpint(virDomainGetSecurityLabel(dom, NULL), ==, -1);
    apiAssertError(VIR_ERR_INVALID_ARG, "seclabel");
    g_assert_cmpint(virNodeGetSecurityModel(conn, NULL), ==, -1);
    apiAssertError(VIR_ERR_INVALID_ARG, "secmodel");
    virDomainFree(dom);
    apiClose(conn);
}

static void testDefaultXML(void)
{
    virConnectPtr conn = apiOpenDefault();
    virDomainPtr dom = lookup(conn, "test");
    g_autofree char *live = virDomainGetXMLDesc(dom, 0);
    g_autofree char *inactive = virDomainGetXMLDesc(dom, VIR_DOMAIN_XML_INACTIVE);
    g_autofree char *expectLive = apiReadData("default-domain.xml");
    g_autofree char *expectInactive = apiReadData("default-domain-inactive.xml");

    /* Byte for byte what libvirt 9.0's test driver prints. */
    g_assert_cmpstr(live, ==, expectLive);
    g_assert_cmpstr(inactive, ==, expectInactive);

    g_assert_null(virDomainGetXMLDesc(dom, VIR_DOMAIN_XML_UPDATE_CPU));
    apiAssertError(VIR_ERR_INVALID_ARG, "unsupported flags (0x4)");
    virDomainFree(dom);
    apiClose(conn);
}

static void testLookup(void)
{
    virConnectPtr conn = apiOpenDefault();
    unsigned char raw[VIR_UUID_BUFLEN];
    virDomainPtr dom;

    dom = virDomainLookupByID(conn, 1);
    g_assert_cmpstr(virDomainGetName(dom), ==, "test");
    g_assert_cmpint(virDomainGetUUID(dom, raw), ==, 0);
    virDomainFree(dom);

    dom = virDomainLookupByUUID(conn, raw);
    g_assert_cmpstr(virDomainGetName(dom), ==, "test");
    virDomainFree(dom);

    dom = virDomainLookupByUUIDString(conn, TEST_UUID);
    g_assert_cmpuint(virDomainGetID(dom), ==, 1);
    virDomainFree(dom);
    /* Both spellings of a UUID are accepted. */
    dom = virDomainLookupByUUIDString(conn, "6695eb01f6a4830479aa97f2502e193f");
    g_assert_nonnull(dom);
    virDomainFree(dom);

    g_assert_null(virDomainLookupByName(conn, "nosuch"));
    apiAssertErrorMessage(VIR_ERR_NO_DOMAIN,
                          "Domain not found: no domain with matching name 'nosuch'");
    g_assert_cmpint(virGetLastError()->domain, ==, VIR_FROM_TEST);
    g_assert_null(virDomainLookupByID(conn, 7));
    apiAssertErrorMessage(VIR_ERR_NO_DOMAIN, "Domain not found: no domain with matching id 7");
    g_assert_null(virDomainLookupByUUIDString(conn, "6695eb01-f6a4-8304-79aa-97f2502e1930"));
    apiAssertError(VIR_ERR_NO_DOMAIN, "Domain not found: no domain with matching uuid");

    g_assert_null(virDomainLookupByID(conn, -1));
    apiAssertErrorMessage(VIR_ERR_INVALID_ARG, "id in virDomainLookupByID must be zero or greater");
    g_assert_null(virDomainLookupByUUIDString(conn, "zz"));
    apiAssertErrorMessage(VIR_ERR_INVALID_ARG, "Invalid UUID");
    g_assert_null(virDomainLookupByName(conn, NULL));
    apiAssertErrorMessage(VIR_ERR_INVALID_ARG, "name in virDomainLookupByName must not be NULL");
    g_assert_cmpint(virGetLastError()->domain, ==, VIR_FROM_DOMAIN);
    apiClose(conn);
}

static void testSuspendResume(void)
{
    virConnectPtr conn = apiOpenDefault();
    virDomainPtr dom = lookup(conn, "test");
    int reason;

    g_assert_cmpint(virDomainResume(dom), ==, -1);
    apiAssertErrorMessage(VIR_ERR_INTERNAL_ERROR, "internal error: domain 'test' not paused");

    g_assert_cmpint(virDomainSuspend(dom), ==, 0);
    apiAssertNoError();
    g_assert_cmpint(apiState(dom, &reason), ==, VIR_DOMAIN_PAUSED);
    g_assert_cmpint(reason, ==, VIR_DOMAIN_PAUSED_USER);
    g_assert_cmpint(virDomainIsActive(dom), ==, 1);

    g_assert_cmpint(virDomainSuspend(dom), ==, -1);
    apiAssertErrorMessage(VIR_ERR_INTERNAL_ERROR, "internal error: domain 'test' not running");

    g_assert_cmpint(virDomainResume(dom), ==, 0);
    g_assert_cmpint(apiState(dom, &reason), ==, VIR_DOMAIN_RUNNING);
    g_assert_cmpint(reason, ==, VIR_DOMAIN_RUNNING_UNPAUSED);
    g_assert_cmpuint(virDomainGetID(dom), ==, 1);

    /* A paused domain can still be shut down. */
    g_assert_cmpint(virDomainSuspend(dom), ==, 0);
    g_assert_cmpint(virDomainShutdown(dom), ==, 0);
    g_assert_cmpint(apiState(dom, &reason), ==, VIR_DOMAIN_SHUTOFF);
    g_assert_cmpint(reason, ==, VIR_DOMAIN_SHUTOFF_SHUTDOWN);

    g_assert_cmpint(virDomainSuspend(dom), ==, -1);
    apiAssertErrorMessage(VIR_ERR_INTERNAL_ERROR, "internal error: domain 'test' not running");
    g_assert_cmpint(virDomainResume(dom), ==, -1);
    apiAssertError(VIR_ERR_INTERNAL_ERROR, "not paused");
    virDomainFree(dom);
    apiClose(conn);
}

static void testStartStop(void)
{
    virConnectPtr conn = apiOpenDefault();
    virDomainPtr dom = lookup(conn, "test");
    virDomainInfo info;
    int reason;

    g_assert_cmpint(virDomainCreate(dom), ==, -1);
    apiAssertErrorMessage(VIR_ERR_INTERNAL_ERROR,
                          "internal error: Domain 'test' is already running");

    g_assert_cmpint(virDomainShutdown(dom), ==, 0);
    g_assert_cmpint(apiState(dom, &reason), ==, VIR_DOMAIN_SHUTOFF);
    g_assert_cmpint(reason, ==, VIR_DOMAIN_SHUTOFF_SHUTDOWN);
    g_assert_cmpint((int)virDomainGetID(dom), ==, -1);
    g_assert_cmpint(virDomainIsActive(dom), ==, 0);
    g_assert_cmpint(virDomainGetInfo(dom, &info), ==, 0);
    g_assert_cmpint(info.state, ==, VIR_DOMAIN_SHUTOFF);
    g_assert_cmpint(virConnectNumOfDomains(conn), ==, 0);
    g_assert_cmpint(virConnectNumOfDefinedDomains(conn), ==, 1);

    g_assert_cmpint(virDomainShutdown(dom), ==, -1);
    apiAssertErrorMessage(VIR_ERR_INTERNAL_ERROR, "internal error: domain 'test' not running");
    g_assert_cmpint(virDomainDestroy(dom), ==, -1);
    apiAssertErrorMessage(VIR_ERR_OPERATION_INVALID,
                          "Requested operation is not valid: domain is not running");
    g_assert_cmpint(virGetLastError()->domain, ==, VIR_FROM_DOMAIN);
    g_assert_cmpint(virDomainReboot(dom, 0), ==, -1);
    apiAssertError(VIR_ERR_OPERATION_INVALID, "domain is not running");

    /* Ids are never reused: the next start after id 1 gets 2, then 3. */
    g_assert_cmpint(virDomainCreate(dom), ==, 0);
    g_assert_cmpuint(virDomainGetID(dom), ==, 2);
    g_assert_cmpint(apiState(dom, &reason), ==, VIR_DOMAIN_RUNNING);
    g_assert_cmpint(reason, ==, VIR_DOMAIN_RUNNING_BOOTED);

    g_assert_cmpint(virDomainDestroy(dom), ==, 0);
    g_assert_cmpint(apiState(dom, &reason), ==, VIR_DOMAIN_SHUTOFF);
    g_assert_cmpint(reason, ==, VIR_DOMAIN_SHUTOFF_DESTROYED);
    g_assert_cmpint((int)virDomainGetID(dom), ==, -1);

    g_assert_cmpint(virDomainCreateWithFlags(dom, 0), ==, 0);
    g_assert_cmpuint(virDomainGetID(dom), ==, 3);
    g_assert_cmpint(virDomainCreateWithFlags(dom, VIR_DOMAIN_START_PAUSED), ==, -1);
    /* Flag errors name libvirt's test driver function, as scripts expect. */
    apiAssertErrorMessage(VIR_ERR_INVALID_ARG,
                          "unsupported flags (0x1) in function testDomainCreateWithFlags");

    /* Reboot with <on_reboot>restart</on_reboot>: running, booted, same id. */
    g_assert_cmpint(virDomainReboot(dom, 0), ==, 0);
    g_assert_cmpint(apiState(dom, &reason), ==, VIR_DOMAIN_RUNNING);
    g_assert_cmpint(reason, ==, VIR_DOMAIN_RUNNING_BOOTED);
    g_assert_cmpuint(virDomainGetID(dom), ==, 3);

    g_assert_cmpint(virDomainDestroyFlags(dom, VIR_DOMAIN_DESTROY_GRACEFUL), ==, 0);
    g_assert_cmpint(virDomainShutdownFlags(dom, 0), ==, -1);
    g_assert_cmpint(virDomainDestroyFlags(dom, VIR_DOMAIN_DESTROY_REMOVE_LOGS), ==, -1);
    apiAssertError(VIR_ERR_INVALID_ARG, "unsupported flags (0x2)");
    virDomainFree(dom);
    apiClose(conn);
}

/* The running domain keeps its id in every handle that saw it, like libvirt's handles. */
static void testHandleID(void)
{
    virConnectPtr conn = apiOpenDefault();
    virDomainPtr a = lookup(conn, "test");
    virDomainPtr b = lookup(conn, "test");

    g_assert_cmpint(virDomainDestroy(a), ==, 0);
    g_assert_cmpint((int)virDomainGetID(a), ==, -1);
    g_assert_cmpuint(virDomainGetID(b), ==, 1);
    g_assert_cmpint(virDomainIsActive(b), ==, 0);

    virDomainPtr c = virDomainLookupByName(conn, "test");
    g_assert_cmpint((int)virDomainGetID(c), ==, -1);
    virDomainFree(a);
    virDomainFree(b);
    virDomainFree(c);
    apiClose(conn);
}

static void testDefineUndefine(void)
{
    virConnectPtr conn = apiOpenDefault();
    char **names = g_new0(char *, 4);
    int reason;

    virDomainPtr dom = virDomainDefineXML(conn, newDomainXML);
    g_assert_nonnull(dom);
    g_assert_cmpint((int)virDomainGetID(dom), ==, -1);
    g_assert_cmpint(apiState(dom, &reason), ==, VIR_DOMAIN_SHUTOFF);
    g_assert_cmpint(reason, ==, VIR_DOMAIN_SHUTOFF_UNKNOWN);
    g_assert_cmpint(virDomainIsPersistent(dom), ==, 1);
    g_assert_cmpint(virDomainIsActive(dom), ==, 0);
    g_assert_cmpint(virConnectNumOfDefinedDomains(conn), ==, 1);
    g_assert_cmpint(virConnectListDefinedDomains(conn, names, 4), ==, 1);
    g_assert_cmpstr(names[0], ==, "fresh");
    g_free(names[0]);

    g_autofree char *xml = virDomainGetXMLDesc(dom, 0);
    g_assert_nonnull(strstr(xml, "<domain type='test'>"));
    g_assert_nonnull(strstr(xml, "<name>fresh</name>"));
    g_assert_nonnull(strstr(xml, "arch='i686'"));

    /* Redefining the same name and uuid replaces the stopped domain's definition. */
    g_autofree char *bigger = domainXML("fresh", 2097152, "8f3c1e4a-2b7d-4e5f-9a6b-0c1d2e3f4a5b");
    virDomainPtr again = virDomainDefineXMLFlags(conn, bigger, 0);
    g_assert_nonnull(again);
    g_assert_cmpuint(virDomainGetMaxMemory(dom), ==, 2097152);
    virDomainFree(again);

    g_autofree char *clashName = domainXML("fresh", 1024, "11111111-2222-3333-4444-555555555555");
    g_assert_null(virDomainDefineXML(conn, clashName));
    apiAssertErrorMessage(VIR_ERR_OPERATION_FAILED,
                          "operation failed: domain 'fresh' already exists with uuid "
                          "8f3c1e4a-2b7d-4e5f-9a6b-0c1d2e3f4a5b");
    g_autofree char *clashUUID = domainXML("other", 1024, TEST_UUID);
    g_assert_null(virDomainDefineXML(conn, clashUUID));
    apiAssertErrorMessage(
        VIR_ERR_OPERATION_FAILED,
        "operation failed: domain 'test' is already defined with uuid " TEST_UUID);
    g_assert_null(virDomainDefineXMLFlags(conn, newDomainXML, 0x100));
    apiAssertError(VIR_ERR_INVALID_ARG, "unsupported flags (0x100)");
    g_assert_null(virDomainDefineXML(conn, "<domain"));
    g_assert_nonnull(virGetLastError());
    g_assert_null(virDomainDefineXML(conn, NULL));
    apiAssertErrorMessage(VIR_ERR_INVALID_ARG, "xml in virDomainDefineXML must not be NULL");

    g_assert_cmpint(virDomainUndefine(dom), ==, 0);
    g_assert_cmpint(virConnectNumOfDefinedDomains(conn), ==, 0);
    g_assert_null(virDomainLookupByName(conn, "fresh"));
    apiAssertError(VIR_ERR_NO_DOMAIN, NULL);
    /* The handle outlives its domain and says so. */
    g_assert_cmpint(virDomainIsActive(dom), ==, -1);
    apiAssertErrorMessage(VIR_ERR_NO_DOMAIN, "Domain not found: no domain with matching uuid "
                                             "'8f3c1e4a-2b7d-4e5f-9a6b-0c1d2e3f4a5b' (fresh)");
    g_assert_cmpint(virDomainUndefineFlags(dom, 0), ==, -1);
    apiAssertError(VIR_ERR_NO_DOMAIN, NULL);
    g_assert_cmpint(virDomainUndefineFlags(dom, VIR_DOMAIN_UNDEFINE_NVRAM), ==, -1);
    apiAssertError(VIR_ERR_INVALID_ARG, "unsupported flags (0x4)");
    virDomainFree(dom);
    g_free(names);
    apiClose(conn);
}

static void testUndefineRunning(void)
{
    virConnectPtr conn = apiOpenDefault();
    virDomainPtr dom = lookup(conn, "test");

    g_assert_cmpint(virDomainUndefine(dom), ==, 0);
    g_assert_cmpint(virDomainIsActive(dom), ==, 1);
    g_assert_cmpint(virDomainIsPersistent(dom), ==, 0);
    g_assert_cmpint(virConnectNumOfDomains(conn), ==, 1);

    virDomainPtr *doms = NULL;
    g_assert_cmpint(virConnectListAllDomains(conn, &doms, VIR_CONNECT_LIST_DOMAINS_TRANSIENT), ==,
                    1);
    virDomainFree(doms[0]);
    g_free(doms);

    /* Stopping a transient domain makes it vanish. */
    g_assert_cmpint(virDomainDestroy(dom), ==, 0);
    g_assert_cmpint(virConnectNumOfDomains(conn), ==, 0);
    g_assert_cmpint(virConnectNumOfDefinedDomains(conn), ==, 0);
    g_assert_null(virDomainLookupByName(conn, "test"));
    apiAssertError(VIR_ERR_NO_DOMAIN, NULL);
    virDomainFree(dom);
    apiClose(conn);
}

static void testCreateXML(void)
{
    virConnectPtr conn = apiOpenDefault();
    int reason;

    virDomainPtr dom = virDomainCreateXML(conn, newDomainXML, 0);
    g_assert_nonnull(dom);
    g_assert_cmpuint(virDomainGetID(dom), ==, 2);
    g_assert_cmpint(apiState(dom, &reason), ==, VIR_DOMAIN_RUNNING);
    g_assert_cmpint(reason, ==, VIR_DOMAIN_RUNNING_BOOTED);
    g_assert_cmpint(virDomainIsPersistent(dom), ==, 0);
    g_assert_cmpint(virConnectNumOfDomains(conn), ==, 2);

    g_assert_null(virDomainCreateXML(conn, newDomainXML, 0));
    apiAssertErrorMessage(VIR_ERR_OPERATION_INVALID,
                          "Requested operation is not valid: domain 'fresh' is already active");

    int ids[8];
    g_assert_cmpint(virConnectListDomains(conn, ids, 8), ==, 2);
    g_assert_cmpint(ids[0], ==, 1);
    g_assert_cmpint(ids[1], ==, 2);
    g_assert_cmpint(virConnectListDomains(conn, ids, 1), ==, 1);
    g_assert_cmpint(virConnectListDomains(conn, NULL, 0), ==, 0);
    g_assert_cmpint(virConnectListDomains(conn, NULL, 2), ==, -1);
    apiAssertErrorMessage(VIR_ERR_INVALID_ARG, "ids in virConnectListDomains must not be NULL");
    g_assert_cmpint(virConnectListDomains(conn, ids, -1), ==, -1);
    apiAssertError(VIR_ERR_INVALID_ARG, "maxids in virConnectListDomains must be zero or greater");

    /* A transient domain's shutdown removes it. */
    g_assert_cmpint(virDomainShutdown(dom), ==, 0);
    g_assert_cmpint((int)virDomainGetID(dom), ==, -1);
    g_assert_null(virDomainLookupByName(conn, "fresh"));
    virDomainFree(dom);

    /* Creating from XML a defined, stopped domain starts it with that config and goes back
     * to the persistent one when it stops. */
    virDomainPtr def = virDomainDefineXML(conn, newDomainXML);
    g_autofree char *live = domainXML("fresh", 4096, "8f3c1e4a-2b7d-4e5f-9a6b-0c1d2e3f4a5b");
    dom = virDomainCreateXML(conn, live, 0);
    g_assert_nonnull(dom);
    g_assert_cmpuint(virDomainGetID(dom), ==, 3);
    g_assert_cmpint(virDomainIsPersistent(dom), ==, 1);
    g_assert_cmpuint(virDomainGetMaxMemory(dom), ==, 4096);
    g_assert_cmpint(virDomainDestroy(dom), ==, 0);
    g_assert_cmpuint(virDomainGetMaxMemory(dom), ==, 1048576);
    g_assert_cmpint(virDomainUndefine(def), ==, 0);
    virDomainFree(def);
    virDomainFree(dom);

    g_autofree char *clash = domainXML("test", 1024, NULL);
    g_assert_null(virDomainCreateXML(conn, clash, 0));
    apiAssertError(VIR_ERR_OPERATION_FAILED, "domain 'test' already exists with uuid " TEST_UUID);
    g_assert_null(virDomainCreateXML(conn, NULL, 0));
    apiAssertErrorMessage(VIR_ERR_INVALID_ARG, "xmlDesc in virDomainCreateXML must not be NULL");
    apiClose(conn);
}

/* Defining a running domain stores the config for its next start; the live one runs on. */
static void testDefineWhileRunning(void)
{
    virConnectPtr conn = apiOpenDefault();
    virDomainPtr dom = lookup(conn, "test");
    g_autofree char *xml = domainXML("test", 524288, TEST_UUID);

    virDomainPtr redefined = virDomainDefineXML(conn, xml);
    g_assert_nonnull(redefined);
    g_assert_cmpuint(virDomainGetID(redefined), ==, 1);
    virDomainFree(redefined);

    g_assert_cmpuint(virDomainGetMaxMemory(dom), ==, 8388608);
    g_autofree char *live = virDomainGetXMLDesc(dom, 0);
    g_autofree char *next = virDomainGetXMLDesc(dom, VIR_DOMAIN_XML_INACTIVE);
    g_assert_nonnull(strstr(live, "<memory unit='KiB'>8388608</memory>"));
    g_assert_nonnull(strstr(next, "<memory unit='KiB'>524288</memory>"));
    g_assert_null(strstr(next, "id='1'"));

    g_assert_cmpint(virDomainDestroy(dom), ==, 0);
    g_assert_cmpuint(virDomainGetMaxMemory(dom), ==, 524288);
    g_assert_cmpint(virDomainCreate(dom), ==, 0);
    g_assert_cmpuint(virDomainGetMaxMemory(dom), ==, 524288);
    virDomainFree(dom);

    /* A transient domain made persistent by a definition keeps running. */
    g_autofree char *transient = domainXML("tr", 1024, "22222222-3333-4444-5555-666666666666");
    dom = virDomainCreateXML(conn, transient, 0);
    g_assert_cmpint(virDomainIsPersistent(dom), ==, 0);
    virDomainFree(virDomainDefineXML(conn, transient));
    g_assert_cmpint(virDomainIsPersistent(dom), ==, 1);
    g_assert_cmpint(virDomainIsActive(dom), ==, 1);
    g_assert_cmpint(virDomainDestroy(dom), ==, 0);
    g_assert_cmpint(virDomainIsActive(dom), ==, 0);
    g_assert_cmpint(virDomainUndefine(dom), ==, 0);
    virDomainFree(dom);
    apiClose(conn);
}

static void testAutostart(void)
{
    virConnectPtr conn = apiOpenDefault();
    virDomainPtr dom = lookup(conn, "test");
    int autostart = -1;

    g_assert_cmpint(virDomainSetAutostart(dom, 1), ==, 0);
    g_assert_cmpint(virDomainGetAutostart(dom, &autostart), ==, 0);
    g_assert_cmpint(autostart, ==, 1);
    g_assert_cmpint(virConnectListAllDomains(conn, NULL, VIR_CONNECT_LIST_DOMAINS_AUTOSTART), ==,
                    1);
    g_assert_cmpint(virDomainSetAutostart(dom, 0), ==, 0);
    g_assert_cmpint(virDomainGetAutostart(dom, &autostart), ==, 0);
    g_assert_cmpint(autostart, ==, 0);
    g_assert_cmpint(virDomainGetAutostart(dom, NULL), ==, -1);
    apiAssertError(VIR_ERR_INVALID_ARG, "autostart in virDomainGetAutostart must not be NULL");
    virDomainFree(dom);
    apiClose(conn);
}

/* The names of the domains a ListAllDomains call returns, comma-separated, in order. */
static char *listNames(virConnectPtr conn, unsigned int flags)
{
    virDomainPtr *doms = NULL;
    int n = virConnectListAllDomains(conn, &doms, flags);
    g_autoptr(GString) out = g_string_new(NULL);

    g_assert_cmpint(n, >=, 0);
    for (int i = 0; i < n; i++) {
        g_string_append_printf(out, "%s%s", i ? "," : "", virDomainGetName(doms[i]));
        virDomainFree(doms[i]);
    }
    g_assert_null(doms[n]);
    g_free(doms);
    g_assert_cmpint(virConnectListAllDomains(conn, NULL, flags), ==, n);
    return g_string_free(g_steal_pointer(&out), FALSE);
}

static void assertList(virConnectPtr conn, unsigned int flags, const char *expect)
{
    g_autofree char *got = listNames(conn, flags);
    g_assert_cmpstr(got, ==, expect);
}

static void testListAll(void)
{
    virConnectPtr conn = apiOpenDefault();

    /* off: persistent, shut off; paused: persistent, paused; tr: transient, running;
     * test: persistent, running, autostart. */
    g_autofree char *off = domainXML("off", 1024, NULL);
    g_autofree char *paused = domainXML("paused", 1024, NULL);
    g_autofree char *tr = domainXML("tr", 1024, NULL);
    virDomainFree(virDomainDefineXML(conn, off));
    virDomainPtr p = virDomainDefineXML(conn, paused);
    g_assert_cmpint(virDomainCreate(p), ==, 0);
    g_assert_cmpint(virDomainSuspend(p), ==, 0);
    virDomainFree(p);
    virDomainFree(virDomainCreateXML(conn, tr, 0));
    virDomainPtr t = lookup(conn, "test");
    g_assert_cmpint(virDomainSetAutostart(t, 1), ==, 0);
    virDomainFree(t);

    assertList(conn, 0, "off,paused,test,tr");
    assertList(conn, VIR_CONNECT_LIST_DOMAINS_ACTIVE, "paused,test,tr");
    assertList(conn, VIR_CONNECT_LIST_DOMAINS_INACTIVE, "off");
    assertList(conn, VIR_CONNECT_LIST_DOMAINS_ACTIVE | VIR_CONNECT_LIST_DOMAINS_INACTIVE,
               "off,paused,test,tr");
    assertList(conn, VIR_CONNECT_LIST_DOMAINS_PERSISTENT, "off,paused,test");
    assertList(conn, VIR_CONNECT_LIST_DOMAINS_TRANSIENT, "tr");
    assertList(conn, VIR_CONNECT_LIST_DOMAINS_RUNNING, "test,tr");
    assertList(conn, VIR_CONNECT_LIST_DOMAINS_PAUSED, "paused");
    assertList(conn, VIR_CONNECT_LIST_DOMAINS_SHUTOFF, "off");
    assertList(conn, VIR_CONNECT_LIST_DOMAINS_OTHER, "");
    assertList(conn, VIR_CONNECT_LIST_DOMAINS_PAUSED | VIR_CONNECT_LIST_DOMAINS_SHUTOFF,
               "off,paused");
    assertList(conn, VIR_CONNECT_LIST_DOMAINS_AUTOSTART, "test");
    assertList(conn, VIR_CONNECT_LIST_DOMAINS_NO_AUTOSTART, "off,paused,tr");
    assertList(conn, VIR_CONNECT_LIST_DOMAINS_PERSISTENT | VIR_CONNECT_LIST_DOMAINS_RUNNING,
               "test");
    assertList(conn, VIR_CONNECT_LIST_DOMAINS_NO_MANAGEDSAVE, "off,paused,test,tr");
    assertList(conn, VIR_CONNECT_LIST_DOMAINS_MANAGEDSAVE, "");
    assertList(conn, VIR_CONNECT_LIST_DOMAINS_HAS_SNAPSHOT, "");
    assertList(conn, VIR_CONNECT_LIST_DOMAINS_NO_SNAPSHOT, "off,paused,test,tr");

    g_assert_cmpint(virConnectListAllDomains(conn, NULL, 1u << 20), ==, -1);
    apiAssertErrorMessage(VIR_ERR_INVALID_ARG,
                          "unsupported flags (0x100000) in function testConnectListAllDomains");

    char *names[2] = { NULL, NULL };
    g_assert_cmpint(virConnectListDefinedDomains(conn, names, 2), ==, 1);
    g_assert_cmpstr(names[0], ==, "off");
    free(names[0]);
    g_assert_cmpint(virConnectNumOfDomains(conn), ==, 3);

    const char *cleanup[] = { "off", "paused", "tr" };
    for (size_t i = 0; i < G_N_ELEMENTS(cleanup); i++) {
        virDomainPtr d = lookup(conn, cleanup[i]);
        if (virDomainIsActive(d) == 1)
            g_assert_cmpint(virDomainDestroy(d), ==, 0);
        if (virDomainIsPersistent(d) == 1)
            g_assert_cmpint(virDomainUndefine(d), ==, 0);
        virDomainFree(d);
    }
    apiClose(conn);
}

/* Shutdown follows <on_poweroff>: restart keeps the domain running. */
static void testLifecycleActions(void)
{
    virConnectPtr conn = apiOpenDefault();
    const char *xml = "<domain type='test'><name>phoenix</name><memory>1024</memory>"
                      "<os><type>hvm</type></os><on_poweroff>restart</on_poweroff>"
                      "<on_reboot>destroy</on_reboot></domain>";
    int reason;

    virDomainPtr dom = virDomainCreateXML(conn, xml, 0);
    g_assert_nonnull(dom);
    g_assert_cmpint(virDomainShutdown(dom), ==, 0);
    g_assert_cmpint(apiState(dom, &reason), ==, VIR_DOMAIN_RUNNING);
    g_assert_cmpint(reason, ==, VIR_DOMAIN_RUNNING_BOOTED);
    g_assert_cmpuint(virDomainGetID(dom), ==, 2);
    /* Reboot with <on_reboot>destroy</on_reboot> stops it; it was transient, so it is gone. */
    g_assert_cmpint(virDomainReboot(dom, 0), ==, 0);
    g_assert_cmpint(virDomainIsActive(dom), ==, -1);
    apiAssertError(VIR_ERR_NO_DOMAIN, NULL);
    virDomainFree(dom);
    apiClose(conn);
}

static void testReadOnly(void)
{
    virConnectPtr conn = virConnectOpenReadOnly("test:///default");
    virDomainPtr dom = lookup(conn, "test");
    int state = -1;

    g_assert_nonnull(conn);
#define DENIED(call, name)                                                             \
    do {                                                                               \
        g_assert_true((call) == 0);                                                    \
        apiAssertErrorMessage(VIR_ERR_OPERATION_DENIED,                                \
                              "operation forbidden: read only access prevents " name); \
    } while (0)
    DENIED(virDomainDestroy(dom) + 1, "virDomainDestroy");
    DENIED(virDomainDestroyFlags(dom, 0) + 1, "virDomainDestroyFlags");
    DENIED(virDomainShutdown(dom) + 1, "virDomainShutdown");
    DENIED(virDomainShutdownFlags(dom, 0) + 1, "virDomainShutdownFlags");
    DENIED(virDomainSuspend(dom) + 1, "virDomainSuspend");
    DENIED(virDomainResume(dom) + 1, "virDomainResume");
    DENIED(virDomainReboot(dom, 0) + 1, "virDomainReboot");
    DENIED(virDomainCreate(dom) + 1, "virDomainCreate");
    DENIED(virDomainCreateWithFlags(dom, 0) + 1, "virDomainCreateWithFlags");
    DENIED(virDomainUndefine(dom) + 1, "virDomainUndefine");
    DENIED(virDomainUndefineFlags(dom, 0) + 1, "virDomainUndefineFlags");
    DENIED(virDomainSetAutostart(dom, 1) + 1, "virDomainSetAutostart");
    DENIED(virDomainDefineXML(conn, newDomainXML) != NULL, "virDomainDefineXML");
    DENIED(virDomainDefineXMLFlags(conn, newDomainXML, 0) != NULL, "virDomainDefineXMLFlags");
    DENIED(virDomainCreateXML(conn, newDomainXML, 0) != NULL, "virDomainCreateXML");
#undef DENIED

    g_assert_null(virDomainGetXMLDesc(dom, VIR_DOMAIN_XML_SECURE));
    apiAssertErrorMessage(VIR_ERR_OPERATION_DENIED,
                          "operation forbidden: virDomainGetXMLDesc with secure flag");
    g_assert_null(virDomainGetXMLDesc(dom, VIR_DOMAIN_XML_MIGRATABLE));
    apiAssertError(VIR_ERR_OPERATION_DENIED, NULL);

    /* Reading is allowed, and nothing changed. */
    g_autofree char *xml = virDomainGetXMLDesc(dom, VIR_DOMAIN_XML_INACTIVE);
    g_assert_nonnull(xml);
    g_assert_cmpint(virDomainGetState(dom, &state, NULL, 0), ==, 0);
    g_assert_cmpint(state, ==, VIR_DOMAIN_RUNNING);
    g_assert_cmpint(virConnectNumOfDomains(conn), ==, 1);
    virDomainFree(dom);
    apiClose(conn);
}

/* virDomainGetMetadata/virDomainSetMetadata: libvirt's argument checks in the public calls,
 * and the live and persistent definitions of a running guest kept apart. */
static void testMetadata(void)
{
    virConnectPtr conn = apiOpenDefault();
    virConnectPtr ro = virConnectOpenReadOnly("test:///default");
    virDomainPtr dom = lookup(conn, "test");
    virDomainPtr rodom = lookup(ro, "test");
    char *text;

    g_assert_cmpint(virDomainSetMetadata(dom, VIR_DOMAIN_METADATA_TITLE, "a\nb", NULL, NULL, 0), ==,
                    -1);
    apiAssertErrorMessage(VIR_ERR_INVALID_ARG, "metadata title can't contain newlines");
    g_assert_cmpint(virDomainSetMetadata(dom, VIR_DOMAIN_METADATA_TITLE, "a", NULL, "u", 0), ==,
                    -1);
    apiAssertErrorMessage(VIR_ERR_INVALID_ARG, "uri in virDomainSetMetadata must be NULL");
    g_assert_cmpint(virDomainSetMetadata(dom, VIR_DOMAIN_METADATA_DESCRIPTION, "a", "k", NULL, 0),
                    ==, -1);
    apiAssertErrorMessage(VIR_ERR_INVALID_ARG, "key in virDomainSetMetadata must be NULL");
    g_assert_cmpint(virDomainSetMetadata(dom, VIR_DOMAIN_METADATA_ELEMENT, "<a/>", "k", NULL, 0),
                    ==, -1);
    apiAssertErrorMessage(VIR_ERR_INVALID_ARG, "uri in virDomainSetMetadata must not be NULL");
    g_assert_cmpint(virDomainSetMetadata(dom, VIR_DOMAIN_METADATA_ELEMENT, "<a/>", NULL, "u", 0),
                    ==, -1);
    apiAssertErrorMessage(VIR_ERR_INVALID_ARG, "key in virDomainSetMetadata must not be NULL");
    g_assert_cmpint(virDomainSetMetadata(dom, 7, "x", NULL, NULL, 0), ==, -1);
    apiAssertErrorMessage(VIR_ERR_INVALID_ARG, "invalid argument: unknown metadata type '7'");
    g_assert_cmpint(virDomainSetMetadata(dom, VIR_DOMAIN_METADATA_TITLE, "x", NULL, NULL, 4), ==,
                    -1);
    apiAssertError(VIR_ERR_INVALID_ARG, NULL);
    g_assert_null(virDomainGetMetadata(dom, VIR_DOMAIN_METADATA_TITLE, NULL, 3));
    apiAssertErrorMessage(VIR_ERR_INVALID_ARG, "Flags 'VIR_DOMAIN_AFFECT_LIVE' and "
                                               "'VIR_DOMAIN_AFFECT_CONFIG' are mutually exclusive");
    g_assert_null(virDomainGetMetadata(dom, VIR_DOMAIN_METADATA_TITLE, "u", 0));
    apiAssertErrorMessage(VIR_ERR_INVALID_ARG, "uri in virDomainGetMetadata must be NULL");
    g_assert_null(virDomainGetMetadata(dom, VIR_DOMAIN_METADATA_ELEMENT, NULL, 0));
    apiAssertErrorMessage(VIR_ERR_INVALID_ARG, "uri in virDomainGetMetadata must not be NULL");
    g_assert_null(virDomainGetMetadata(dom, VIR_DOMAIN_METADATA_TITLE, NULL, 0));
    apiAssertErrorMessage(VIR_ERR_NO_DOMAIN_METADATA,
                          "metadata not found: Requested metadata element is not present");
    g_assert_cmpint(virDomainSetMetadata(rodom, VIR_DOMAIN_METADATA_TITLE, "x", NULL, NULL, 0), ==,
                    -1);
    apiAssertErrorMessage(VIR_ERR_OPERATION_DENIED,
                          "operation forbidden: read only access prevents virDomainSetMetadata");
    g_assert_null(virDomainGetMetadata(rodom, VIR_DOMAIN_METADATA_TITLE, NULL, 0));
    apiAssertError(VIR_ERR_NO_DOMAIN_METADATA, NULL);

    /* Live only: the persistent definition comes back at shutdown without it. */
    g_assert_cmpint(virDomainSetMetadata(dom, VIR_DOMAIN_METADATA_ELEMENT, "<a><b/></a>", "k",
                                         "http://x/", VIR_DOMAIN_AFFECT_LIVE),
                    ==, 0);
    text = virDomainGetMetadata(dom, VIR_DOMAIN_METADATA_ELEMENT, "http://x/", 0);
    g_assert_cmpstr(text, ==, "<a>\n  <b/>\n</a>");
    g_free(text);
    g_assert_null(virDomainGetMetadata(dom, VIR_DOMAIN_METADATA_ELEMENT, "http://x/",
                                       VIR_DOMAIN_AFFECT_CONFIG));
    apiAssertError(VIR_ERR_NO_DOMAIN_METADATA, NULL);
    g_assert_cmpint(virDomainSetMetadata(dom, VIR_DOMAIN_METADATA_TITLE, "T", NULL, NULL,
                                         VIR_DOMAIN_AFFECT_CONFIG),
                    ==, 0);
    g_assert_cmpint(virDomainDestroy(dom), ==, 0);
    g_assert_null(virDomainGetMetadata(dom, VIR_DOMAIN_METADATA_ELEMENT, "http://x/", 0));
    apiAssertError(VIR_ERR_NO_DOMAIN_METADATA, NULL);
    text = virDomainGetMetadata(dom, VIR_DOMAIN_METADATA_TITLE, NULL, 0);
    g_assert_cmpstr(text, ==, "T");
    g_free(text);
    g_assert_null(
        virDomainGetMetadata(dom, VIR_DOMAIN_METADATA_TITLE, NULL, VIR_DOMAIN_AFFECT_LIVE));
    apiAssertErrorMessage(VIR_ERR_OPERATION_INVALID,
                          "Requested operation is not valid: domain is not running");
    /* An empty title removes it. */
    g_assert_cmpint(virDomainSetMetadata(dom, VIR_DOMAIN_METADATA_TITLE, "", NULL, NULL, 0), ==, 0);
    g_assert_null(virDomainGetMetadata(dom, VIR_DOMAIN_METADATA_TITLE, NULL, 0));
    apiAssertError(VIR_ERR_NO_DOMAIN_METADATA, NULL);

    virDomainFree(rodom);
    virDomainFree(dom);
    apiClose(ro);
    apiClose(conn);
}

static void testInvalidHandles(void)
{
    virDomainInfo info;
    char uuid[VIR_UUID_STRING_BUFLEN];
    int state;

    g_assert_cmpint(virConnectNumOfDomains(NULL), ==, -1);
    apiAssertErrorMessage(VIR_ERR_INVALID_CONN,
                          "invalid connection pointer in virConnectNumOfDomains");
    g_assert_null(virDomainLookupByName(NULL, "test"));
    apiAssertError(VIR_ERR_INVALID_CONN, "virDomainLookupByName");
    g_assert_cmpint(virDomainDestroy(NULL), ==, -1);
    apiAssertErrorMessage(VIR_ERR_INVALID_DOMAIN, "invalid domain pointer in virDomainDestroy");
    g_assert_cmpint(virGetLastError()->domain, ==, VIR_FROM_DOM);
    g_assert_null(virDomainGetName(NULL));
    apiAssertError(VIR_ERR_INVALID_DOMAIN, "virDomainGetName");
    g_assert_cmpuint(virDomainGetID(NULL), ==, (unsigned int)-1);
    g_assert_cmpint(virDomainGetInfo(NULL, &info), ==, -1);
    g_assert_cmpint(virDomainGetUUIDString(NULL, uuid), ==, -1);
    g_assert_cmpint(virDomainFree(NULL), ==, -1);
    g_assert_cmpint(virDomainRef(NULL), ==, -1);
    g_assert_cmpint(virDomainGetState(NULL, &state, NULL, 0), ==, -1);
    apiAssertError(VIR_ERR_INVALID_DOMAIN, "virDomainGetState");

    virConnectPtr conn = apiOpenDefault();
    virDomainPtr dom = lookup(conn, "test");
    g_assert_cmpint(virDomainGetInfo(dom, NULL), ==, -1);
    apiAssertErrorMessage(VIR_ERR_INVALID_ARG, "info in virDomainGetInfo must not be NULL");
    g_assert_cmpint(virDomainGetState(dom, NULL, NULL, 0), ==, -1);
    apiAssertError(VIR_ERR_INVALID_ARG, "state in virDomainGetState must not be NULL");
    g_assert_cmpint(virDomainGetState(dom, &state, NULL, 1), ==, -1);
    apiAssertError(VIR_ERR_INVALID_ARG, "unsupported flags (0x1)");
    g_assert_cmpint(virDomainGetUUID(dom, NULL), ==, -1);
    g_assert_cmpint(virDomainGetUUIDString(dom, NULL), ==, -1);
    apiAssertError(VIR_ERR_INVALID_ARG, "buf in virDomainGetUUIDString must not be NULL");

    /* References: the handle keeps the connection alive after virConnectClose. */
    g_assert_cmpint(virDomainRef(dom), ==, 0);
    g_assert_cmpint(virDomainFree(dom), ==, 0);
    g_assert_cmpint(virConnectClose(conn), ==, 1);
    g_assert_cmpstr(virDomainGetName(dom), ==, "test");
    g_assert_cmpint(virDomainIsActive(dom), ==, 1);
    g_assert_cmpint(virDomainFree(dom), ==, 0);
}

/* virDomainOpenConsole's checks, in libvirt's order, before any driver is asked. */
static void testOpenConsole(void)
{
    virConnectPtr conn = apiOpenDefault();
    virConnectPtr ro = virConnectOpenReadOnly("test:///default");
    virDomainPtr dom = lookup(conn, "test");
    virDomainPtr roDom = lookup(ro, "test");
    virStreamPtr st = virStreamNew(conn, VIR_STREAM_NONBLOCK);
    virStreamPtr roSt = virStreamNew(ro, VIR_STREAM_NONBLOCK);

    g_assert_cmpint(virDomainOpenConsole(dom, NULL, NULL, 0), ==, -1);
    apiAssertErrorMessage(VIR_ERR_INVALID_STREAM, "invalid stream pointer in virDomainOpenConsole");
    g_assert_cmpint(virDomainOpenConsole(roDom, NULL, roSt, 0), ==, -1);
    apiAssertErrorMessage(VIR_ERR_OPERATION_DENIED,
                          "operation forbidden: read only access prevents virDomainOpenConsole");
    g_assert_cmpint(virDomainOpenConsole(dom, NULL, roSt, 0), ==, -1);
    apiAssertErrorMessage(VIR_ERR_INVALID_ARG, "stream must match connection of domain 'test'");
    g_assert_cmpint(virGetLastError()->domain, ==, VIR_FROM_DOMAIN);
    /* libvirt's test driver has no consoles either */
    g_assert_cmpint(virDomainOpenConsole(dom, NULL, st, 0), ==, -1);
    apiAssertErrorMessage(VIR_ERR_NO_SUPPORT,
                          "this function is not supported by the connection driver: "
                          "virDomainOpenConsole");
    /* the stream took no backend: it is no use, but frees */
    g_assert_cmpint(virStreamEventAddCallback(st, VIR_STREAM_EVENT_READABLE, NULL, NULL, NULL), ==,
                    -1);
    g_assert_cmpint(virStreamFree(st), ==, 0);
    g_assert_cmpint(virStreamFree(roSt), ==, 0);
    virDomainFree(dom);
    virDomainFree(roDom);
    apiClose(ro);
    apiClose(conn);
}

int main(int argc, char **argv)
{
    apiTestInit(&argc, &argv);
    g_test_add_func("/domain/default-world", testDefaultWorld);
    g_test_add_func("/domain/default-xml", testDefaultXML);
    g_test_add_func("/domain/security", testSecurity);
    g_test_add_func("/domain/lookup", testLookup);
    g_test_add_func("/domain/suspend-resume", testSuspendResume);
    g_test_add_func("/domain/start-stop", testStartStop);
    g_test_add_func("/domain/handle-id", testHandleID);
    g_test_add_func("/domain/define-undefine", testDefineUndefine);
    g_test_add_func("/domain/undefine-running", testUndefineRunning);
    g_test_add_func("/domain/create-xml", testCreateXML);
    g_test_add_func("/domain/define-while-running", testDefineWhileRunning);
    g_test_add_func("/domain/autostart", testAutostart);
    g_test_add_func("/domain/list-all", testListAll);
    g_test_add_func("/domain/lifecycle-actions", testLifecycleActions);
    g_test_add_func("/domain/read-only", testReadOnly);
    g_test_add_func("/domain/metadata", testMetadata);
    g_test_add_func("/domain/invalid-handles", testInvalidHandles);
    g_test_add_func("/domain/open-console", testOpenConsole);
    return g_test_run();
}

/* The error API: thread-local last error, its fields, copying and saving, per-connection
 * errors, and when the global, per-connection and default handlers run. */
#include "apitest.h"

typedef struct {
    int calls;
    int lastCode;
    void *lastData;
} HandlerLog;

static void recordingHandler(void *data, virErrorPtr err)
{
    HandlerLog *log = data;
    log->calls++;
    log->lastCode = err->code;
    log->lastData = data;
}

static void failLookup(virConnectPtr conn)
{
    g_assert_null(virDomainLookupByName(conn, "nosuch"));
}

static void testLastError(void)
{
    virConnectPtr conn = apiOpenDefault();

    virResetLastError();
    g_assert_null(virGetLastError());
    g_assert_cmpstr(virGetLastErrorMessage(), ==, "no error");
    g_assert_cmpint(virGetLastErrorCode(), ==, VIR_ERR_OK);
    g_assert_cmpint(virGetLastErrorDomain(), ==, VIR_FROM_NONE);

    failLookup(conn);
    virErrorPtr err = virGetLastError();
    g_assert_nonnull(err);
    g_assert_cmpint(err->code, ==, VIR_ERR_NO_DOMAIN);
    g_assert_cmpint(err->domain, ==, VIR_FROM_TEST);
    g_assert_cmpint(err->level, ==, VIR_ERR_ERROR);
    g_assert_cmpstr(err->message, ==, "Domain not found: no domain with matching name 'nosuch'");
    /* libvirt keeps the format and the detail in str1 and str2. */
    g_assert_cmpstr(err->str1, ==, "Domain not found: %s");
    g_assert_cmpstr(err->str2, ==, "no domain with matching name 'nosuch'");
    g_assert_null(err->conn);
    g_assert_cmpstr(virGetLastErrorMessage(), ==, err->message);
    g_assert_cmpint(virGetLastErrorCode(), ==, VIR_ERR_NO_DOMAIN);
    g_assert_cmpint(virGetLastErrorDomain(), ==, VIR_FROM_TEST);

    /* A successful call clears it. */
    g_assert_cmpint(virConnectNumOfDomains(conn), ==, 1);
    g_assert_null(virGetLastError());

    failLookup(conn);
    virError copy;
    memset(&copy, 0xAA, sizeof(copy));
    g_assert_cmpint(virCopyLastError(&copy), ==, VIR_ERR_NO_DOMAIN);
    g_assert_cmpstr(copy.message, ==, virGetLastError()->message);
    g_assert_true(copy.message != virGetLastError()->message);
    virResetError(&copy);
    g_assert_null(copy.message);
    g_assert_cmpint(copy.code, ==, VIR_ERR_OK);
    g_assert_cmpint(virCopyLastError(NULL), ==, -1);

    virErrorPtr saved = virSaveLastError();
    virResetLastError();
    g_assert_null(virGetLastError());
    g_assert_cmpint(saved->code, ==, VIR_ERR_NO_DOMAIN);
    g_assert_cmpstr(saved->message, ==, "Domain not found: no domain with matching name 'nosuch'");
    virFreeError(saved);
    virFreeError(NULL);

    g_assert_cmpint(virCopyLastError(&copy), ==, VIR_ERR_OK);
    virResetError(&copy);
    apiClose(conn);
}

static gpointer failInThread(gpointer data)
{
    virConnectPtr conn = data;
    g_assert_null(virDomainLookupByName(conn, "elsewhere"));
    return g_strdup(virGetLastErrorMessage());
}

/* Each thread has its own last error. */
static void testThreadLocal(void)
{
    virConnectPtr conn = apiOpenDefault();

    failLookup(conn);
    GThread *thread = g_thread_new("fail", failInThread, conn);
    g_autofree char *theirs = g_thread_join(thread);
    g_assert_cmpstr(theirs, ==, "Domain not found: no domain with matching name 'elsewhere'");
    g_assert_cmpstr(virGetLastErrorMessage(), ==,
                    "Domain not found: no domain with matching name 'nosuch'");
    apiClose(conn);
}

static void testHandlers(void)
{
    virConnectPtr conn = apiOpenDefault();
    HandlerLog global = { 0 }, perConn = { 0 };

    virSetErrorFunc(&global, recordingHandler);
    failLookup(conn);
    g_assert_cmpint(global.calls, ==, 1);
    g_assert_cmpint(global.lastCode, ==, VIR_ERR_NO_DOMAIN);
    g_assert_true(global.lastData == &global);
    /* Successful calls and mere queries of the error do not run it. */
    g_assert_cmpint(virConnectNumOfDomains(conn), ==, 1);
    g_assert_null(virGetLastError());
    g_assert_cmpint(global.calls, ==, 1);
    /* Errors without a connection (bad handles, failed opens) reach it too. */
    g_assert_null(virConnectOpen("nosuch:///"));
    g_assert_cmpint(global.calls, ==, 2);
    g_assert_cmpint(global.lastCode, ==, VIR_ERR_NO_CONNECT);

    /* A connection's own handler takes precedence for errors on that connection. */
    virConnSetErrorFunc(conn, &perConn, recordingHandler);
    failLookup(conn);
    g_assert_cmpint(perConn.calls, ==, 1);
    g_assert_cmpint(global.calls, ==, 2);
    virDomainPtr dom = virDomainLookupByName(conn, "test");
    g_assert_cmpint(virDomainResume(dom), ==, -1);
    g_assert_cmpint(perConn.calls, ==, 2);
    g_assert_cmpint(perConn.lastCode, ==, VIR_ERR_INTERNAL_ERROR);
    virDomainFree(dom);
    virConnSetErrorFunc(conn, NULL, NULL);
    failLookup(conn);
    g_assert_cmpint(global.calls, ==, 3);

    /* The connection keeps a copy of its last error. */
    virErrorPtr connErr = virConnGetLastError(conn);
    g_assert_cmpint(connErr->code, ==, VIR_ERR_NO_DOMAIN);
    virError copy;
    g_assert_cmpint(virConnCopyLastError(conn, &copy), ==, VIR_ERR_NO_DOMAIN);
    g_assert_cmpstr(copy.message, ==, connErr->message);
    virResetError(&copy);
    virConnResetLastError(conn);
    g_assert_cmpint(virConnGetLastError(conn)->code, ==, VIR_ERR_OK);
    g_assert_cmpint(virConnCopyLastError(conn, &copy), ==, VIR_ERR_OK);
    g_assert_null(virConnGetLastError(NULL));
    g_assert_cmpint(virConnCopyLastError(NULL, &copy), ==, -1);

    virSetErrorFunc(NULL, apiQuietHandler);
    apiClose(conn);
}

/* With no handler set, libvirt prints every failing call's error on stderr. */
static void testDefaultPrinting(void)
{
    if (g_test_subprocess()) {
        virSetErrorFunc(NULL, NULL);
        virConnectPtr conn = apiOpenDefault();
        failLookup(conn);
        virDomainPtr dom = virDomainLookupByName(conn, "test");
        g_assert_cmpint(virDomainDestroy(dom), ==, 0);
        g_assert_cmpint(virDomainDestroy(dom), ==, -1);
        virDomainFree(dom);
        apiClose(conn);
        g_assert_null(virConnectOpen("nosuch:///"));
        return;
    }
    g_test_trap_subprocess(NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
    g_test_trap_assert_passed();
    g_test_trap_assert_stderr("libvirt: Test Driver error : Domain not found: no domain with "
                              "matching name 'nosuch'\n"
                              "libvirt: Domain Config error : Requested operation is not valid: "
                              "domain is not running\n"
                              "libvirt:  error : no connection driver available for "
                              "nosuch:///\n");
}

static void testDefaultErrorFunc(void)
{
    if (g_test_subprocess()) {
        virError err = { 0 };
        virDefaultErrorFunc(NULL);
        virDefaultErrorFunc(&err);
        err.code = VIR_ERR_NO_NETWORK;
        err.domain = VIR_FROM_NETWORK;
        err.level = VIR_ERR_WARNING;
        err.message = (char *)"Network not found: x";
        virDefaultErrorFunc(&err);
        return;
    }
    g_test_trap_subprocess(NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
    g_test_trap_assert_passed();
    g_test_trap_assert_stderr("libvirt: Network Driver warning : Network not found: x\n");
}

int main(int argc, char **argv)
{
    apiTestInit(&argc, &argv);
    g_test_add_func("/error/last-error", testLastError);
    g_test_add_func("/error/thread-local", testThreadLocal);
    g_test_add_func("/error/handlers", testHandlers);
    g_test_add_func("/error/default-printing", testDefaultPrinting);
    g_test_add_func("/error/default-error-func", testDefaultErrorFunc);
    return g_test_run();
}

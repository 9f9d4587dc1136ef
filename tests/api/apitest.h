/* Helpers for the public API tests: a quiet error handler, error assertions, golden files.
 * The tests use <virtkit/virtkit.h> and libvirtkit.so only, as an application would. */
#pragma once

#include <glib.h>
#include <string.h>
#include <virtkit/virtkit.h>

#ifndef API_TEST_DATA_DIR
#error "API_TEST_DATA_DIR must be defined by the build"
#endif

/* Errors are asserted explicitly; the default handler would print each one on stderr. */
static inline void apiQuietHandler(void *data, virErrorPtr err)
{
    (void)data;
    (void)err;
}

static inline void apiTestInit(int *argc, char ***argv)
{
    g_test_init(argc, argv, NULL);
    virSetErrorFunc(NULL, apiQuietHandler);
}

/* The last error has this code and a message containing text (NULL: any message). */
static inline void apiAssertErrorAt(const char *file, int line, int code, const char *text)
{
    virErrorPtr err = virGetLastError();

    if (!err)
        g_error("%s:%d: expected error code %d, got no error", file, line, code);
    if (err->code != code)
        g_error("%s:%d: expected error code %d, got %d: %s", file, line, code, err->code,
                err->message);
    if (err->level != VIR_ERR_ERROR)
        g_error("%s:%d: error level %d", file, line, err->level);
    if (text && !strstr(err->message, text))
        g_error("%s:%d: message '%s' lacks '%s'", file, line, err->message, text);
}

/* The last error's message is exactly text. */
static inline void apiAssertErrorMessageAt(const char *file, int line, int code, const char *text)
{
    apiAssertErrorAt(file, line, code, NULL);
    if (strcmp(virGetLastError()->message, text) != 0)
        g_error("%s:%d: message '%s', expected '%s'", file, line, virGetLastError()->message, text);
}

#define apiAssertError(code, text)        apiAssertErrorAt(__FILE__, __LINE__, code, text)
#define apiAssertErrorMessage(code, text) apiAssertErrorMessageAt(__FILE__, __LINE__, code, text)

#define apiAssertNoError() g_assert_null(virGetLastError())

static inline char *apiDataPath(const char *name)
{
    return g_build_filename(API_TEST_DATA_DIR, name, NULL);
}

static inline char *apiReadData(const char *name)
{
    g_autofree char *path = apiDataPath(name);
    g_autoptr(GError) err = NULL;
    char *contents = NULL;

    if (!g_file_get_contents(path, &contents, NULL, &err))
        g_error("%s", err->message);
    return contents;
}

/* A connection to test:///default; asserts it opens. */
static inline virConnectPtr apiOpenDefault(void)
{
    virConnectPtr conn = virConnectOpen("test:///default");
    g_assert_nonnull(conn);
    return conn;
}

static inline void apiClose(virConnectPtr conn)
{
    /* Every test releases what it took, so the shared default world is rebuilt fresh. */
    g_assert_cmpint(virConnectClose(conn), ==, 0);
}

static inline int apiState(virDomainPtr dom, int *reason)
{
    int state = -1;
    g_assert_cmpint(virDomainGetState(dom, &state, reason, 0), ==, 0);
    return state;
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC(virDomain, virDomainFree)
G_DEFINE_AUTOPTR_CLEANUP_FUNC(virNetwork, virNetworkFree)

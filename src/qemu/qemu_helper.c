/* Helper daemons of a guest, owned through a state file as qemu is owned through its status:
 * any process of the driver can find, check and stop them. */
#include "qemu/qemu_helper.h"

#include <errno.h>
#include <stdio.h>
#include <unistd.h>

#include "util/vkerror.h"
#include "util/vkfile.h"
#include "util/vkprocess.h"

#define HELPER_ERR VIR_FROM_QEMU
#define POLL_US    20000

typedef struct {
    const char *stateFile;
} startCtx;

/* Runs in the caller before the helper executes: the record exists before the helper does. */
static int recordHelper(pid_t pid, void *opaque)
{
    startCtx *ctx = opaque;
    unsigned long long startTime = 0;
    g_autofree char *text = NULL;

    if (vkProcessGetStartTime(pid, &startTime) < 0)
        return -1;
    text = g_strdup_printf("%d %llu\n", (int)pid, startTime);
    return vkFileWriteRunState(ctx->stateFile, text, -1, 0600);
}

static int readState(const char *stateFile, pid_t *pid, unsigned long long *startTime)
{
    g_autofree char *text = NULL;
    int p = 0;

    if (vkFileReadIfExists(stateFile, &text, NULL) < 0)
        return -1;
    if (!text)
        return 0;
    if (sscanf(text, "%d %llu", &p, startTime) != 2 || p <= 0) {
        vkReportError(HELPER_ERR, VIR_ERR_INTERNAL_ERROR, "corrupt helper state file '%s'",
                      stateFile);
        return -1;
    }
    *pid = p;
    return 1;
}

static char *logTail(const char *logFile)
{
    g_autofree char *text = NULL;
    size_t len;

    if (!g_file_get_contents(logFile, &text, NULL, NULL))
        return g_strdup("");
    len = strlen(text);
    return g_strdup(len > 1024 ? text + len - 1024 : text);
}

int vkQemuHelperStart(const char *const *argv, const char *stateFile, const char *logFile,
                      const char *socketPath, int timeoutMs)
{
    startCtx ctx = { stateFile };
    vkProcessSpawnOptions opts = {
        .argv = argv,
        .logFile = logFile,
        .beforeExec = recordHelper,
        .opaque = &ctx,
        .detach = TRUE,
    };
    pid_t pid = 0;
    unsigned long long startTime = 0;
    gint64 deadline = g_get_monotonic_time() + (gint64)timeoutMs * 1000;

    if (vkProcessSpawn(&opts, &pid) < 0)
        return -1;
    if (readState(stateFile, &pid, &startTime) <= 0)
        return -1;
    while (!g_file_test(socketPath, G_FILE_TEST_EXISTS)) {
        if (!vkProcessIsAlive(pid, startTime) || g_get_monotonic_time() > deadline) {
            g_autofree char *tail = logTail(logFile);

            vkQemuHelperStop(stateFile, 0);
            vkReportError(HELPER_ERR, VIR_ERR_OPERATION_FAILED, "%s did not start: %s", argv[0],
                          tail);
            return -1;
        }
        g_usleep(POLL_US);
    }
    return 0;
}

int vkQemuHelperStop(const char *stateFile, int graceMs)
{
    pid_t pid = 0;
    unsigned long long startTime = 0;
    int rc = readState(stateFile, &pid, &startTime);

    if (rc < 0)
        return -1;
    if (rc > 0 && vkProcessKill(pid, startTime, graceMs) < 0)
        return -1;
    return vkFileRemoveIfExists(stateFile);
}

gboolean vkQemuHelperIsAlive(const char *stateFile)
{
    pid_t pid = 0;
    unsigned long long startTime = 0;

    if (readState(stateFile, &pid, &startTime) <= 0) {
        vkResetLastError();
        return FALSE;
    }
    return vkProcessIsAlive(pid, startTime);
}

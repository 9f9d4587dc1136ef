/* swtpm for <tpm><backend type='emulator'/>: one per guest, started before qemu and run with
 * --terminate, so that it exits as soon as qemu goes, however qemu goes (destroy, crash). */
#include "qemu/qemu_tpm.h"

#include <errno.h>
#include <unistd.h>

#include "qemu/qemu_helper.h"
#include "util/vkerror.h"
#include "util/vkfile.h"
#include "util/vkuuid.h"
#include "virtkit/virtkit.h"

#define TPM_ERR             VIR_FROM_QEMU
#define SWTPM_START_TIMEOUT 10000
#define SWTPM_STOP_GRACE_MS 3000

static const vkDomainTPMDef *emulatedTPM(const vkDomainDef *def)
{
    for (size_t i = 0; i < def->ntpms; i++) {
        if (def->tpms[i]->type == VK_DOMAIN_TPM_TYPE_EMULATOR)
            return def->tpms[i];
    }
    return NULL;
}

char *vkQemuTPMStateDir(const vkQemuTPMPaths *paths, const vkDomainDef *def)
{
    char uuid[VIR_UUID_STRING_BUFLEN];

    vkUUIDFormat(def->uuid, uuid);
    return g_build_filename(paths->libDir, "swtpm", uuid, NULL);
}

static char *runFile(const vkQemuTPMPaths *paths, const char *name, const char *suffix)
{
    g_autofree char *file = g_strconcat(name, suffix, NULL);

    return g_build_filename(paths->runDir, file, NULL);
}

int vkQemuTPMStart(const vkQemuTPMPaths *paths, const vkDomainDef *def, vkQEMURuntime *rt)
{
    const vkDomainTPMDef *tpm = emulatedTPM(def);
    gboolean tpm2;
    g_autofree char *top = NULL;
    g_autofree char *stateDir = NULL;
    g_autofree char *sock = NULL;
    g_autofree char *record = NULL;
    g_autofree char *logFile = NULL;
    g_autofree char *logName = NULL;
    g_autofree char *ctrl = NULL;
    g_autofree char *state = NULL;
    g_autofree char *log = NULL;

    if (!tpm)
        return 0;
    tpm2 = tpm->version != VK_DOMAIN_TPM_VERSION_1_2;
    top = vkQemuTPMStateDir(paths, def);
    stateDir = g_build_filename(top, tpm2 ? "tpm2" : "tpm1.2", NULL);
    sock = runFile(paths, def->name, ".swtpm.sock");
    record = runFile(paths, def->name, ".swtpm");
    logName = g_strconcat(def->name, "-swtpm.log", NULL);
    logFile = g_build_filename(paths->logDir, logName, NULL);
    if (vkFileMakePath(stateDir, 0700) < 0 || vkFileMakePath(paths->runDir, 0755) < 0 ||
        vkFileMakePath(paths->logDir, 0755) < 0)
        return -1;
    /* A helper of an earlier run that outlived its qemu has no business any more. */
    if (vkQemuHelperStop(record, 0) < 0 || vkFileRemoveIfExists(sock) < 0)
        return -1;
    ctrl = g_strdup_printf("type=unixio,path=%s,mode=0600", sock);
    state = g_strdup_printf("dir=%s,mode=0600", stateDir);
    log = g_strdup_printf("file=%s", logFile);
    {
        const char *argv[] = { "swtpm", "socket", "--ctrl", ctrl,          "--tpmstate",
                               state,   "--log",  log,      "--terminate", tpm2 ? "--tpm2" : NULL,
                               NULL };

        if (vkQemuHelperStart(argv, record, logFile, sock, SWTPM_START_TIMEOUT) < 0)
            return -1;
    }
    g_free(rt->tpmSocket);
    rt->tpmSocket = g_steal_pointer(&sock);
    return 0;
}

int vkQemuTPMStop(const vkQemuTPMPaths *paths, const char *name)
{
    g_autofree char *record = runFile(paths, name, ".swtpm");
    g_autofree char *sock = runFile(paths, name, ".swtpm.sock");

    if (vkQemuHelperStop(record, SWTPM_STOP_GRACE_MS) < 0)
        return -1;
    return vkFileRemoveIfExists(sock);
}

static int removeTree(const char *path)
{
    g_autoptr(GDir) dir = g_dir_open(path, 0, NULL);
    const char *name;

    if (dir) {
        while ((name = g_dir_read_name(dir))) {
            g_autofree char *child = g_build_filename(path, name, NULL);

            if (g_file_test(child, G_FILE_TEST_IS_DIR) &&
                !g_file_test(child, G_FILE_TEST_IS_SYMLINK)) {
                if (removeTree(child) < 0)
                    return -1;
            } else if (vkFileRemoveIfExists(child) < 0) {
                return -1;
            }
        }
    }
    if (g_file_test(path, G_FILE_TEST_EXISTS) && rmdir(path) < 0) {
        vkReportSystemError(TPM_ERR, errno, "cannot remove TPM state '%s'", path);
        return -1;
    }
    return 0;
}

int vkQemuTPMUndefine(const vkQemuTPMPaths *paths, const vkDomainDef *def, unsigned int flags)
{
    const vkDomainTPMDef *tpm = emulatedTPM(def);
    g_autofree char *dir = NULL;

    if (!tpm || (flags & VIR_DOMAIN_UNDEFINE_KEEP_TPM))
        return 0;
    if (tpm->persistentState && !(flags & VIR_DOMAIN_UNDEFINE_TPM))
        return 0;
    dir = vkQemuTPMStateDir(paths, def);
    return removeTree(dir);
}

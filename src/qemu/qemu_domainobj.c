/* qemu domains on disk: configs in ROOT/etc/qemu, live status in ROOT/run/qemu, autostart
 * marks and per-domain locks (kept by the shared object store, whose class for domains is
 * here), the reason a domain last stopped, the id counter and the driver-wide locks. */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "conf/object_name.h"
#include "qemu_driver_priv.h"
#include "util/vkprocess.h"

#define DIR_MODE  0700
#define FILE_MODE 0600

void vkQemuDomainObjFree(vkQemuDomainObj *obj)
{
    if (!obj)
        return;
    g_free(obj->name);
    vkDomainDefFree(obj->config);
    vkQEMUDomainStatusFree(obj->status);
    g_free(obj);
}

const vkDomainDef *vkQemuDomainObjDef(const vkQemuDomainObj *obj)
{
    return obj->status ? obj->status->def : obj->config;
}

gboolean vkQemuDomainObjIsActive(const vkQemuDomainObj *obj)
{
    return obj->status != NULL;
}

int vkQemuDomainObjGetState(const vkQemuDomainObj *obj, int *reason)
{
    if (obj->status) {
        *reason = obj->status->reason;
        return obj->status->state;
    }
    *reason = obj->shutoffReason;
    return VIR_DOMAIN_SHUTOFF;
}

/* ---- file names ---- */

static char *reasonPath(vkQemuDriverState *state, const char *name)
{
    return vkQEMUDomainReasonPath(&state->procPaths, name);
}

/* ---- reading ---- */

#define CONFIG_FORMAT (VK_DOMAIN_DEF_FORMAT_INACTIVE | VK_DOMAIN_DEF_FORMAT_SECURE)

static void *configParse(const char *text)
{
    return vkDomainDefParseString(text, VK_DOMAIN_DEF_PARSE_INACTIVE);
}

static char *configFormat(const void *config)
{
    return vkDomainDefFormat(config, CONFIG_FORMAT);
}

/* Copies for the object store's parse cache: a definition read again unchanged costs a stat
 * and a copy instead of a read and a parse. */
static void *configCopy(const void *config)
{
    return vkDomainDefCopy(config);
}

static void *statusCopy(const void *status)
{
    return vkQEMUDomainStatusCopy(status);
}

static void *statusParse(const char *text)
{
    return vkQEMUDomainStatusParse(text);
}

static const char *configName(const void *config)
{
    return ((const vkDomainDef *)config)->name;
}

static const char *statusName(const void *status)
{
    return ((const vkQEMUDomainStatus *)status)->def->name;
}

static gboolean nameValid(const char *name)
{
    return vkObjectNameIsValid(VK_OBJECT_DOMAIN, name);
}

static const unsigned char *configUUID(const void *config)
{
    return ((const vkDomainDef *)config)->uuid;
}

static const unsigned char *statusUUID(const void *status)
{
    return ((const vkQEMUDomainStatus *)status)->def->uuid;
}

char *vkQemuDomainIDKey(int id)
{
    return g_strdup_printf("id=%d", id);
}

/* A running guest is found by its id. */
static void statusKeys(const void *status, GPtrArray *keys)
{
    const vkQEMUDomainStatus *st = status;

    if (st->def->id > 0)
        g_ptr_array_add(keys, vkQemuDomainIDKey(st->def->id));
}

static int nameCheck(const char *name)
{
    return vkObjectNameCheck(VK_OBJECT_DOMAIN, name);
}

const vkObjStoreClass vkQemuDomainStoreClass = {
    .kind = "domain",
    .errDomain = VK_QEMU_ERR,
    .parseConfig = configParse,
    .parseStatus = statusParse,
    .configName = configName,
    .statusName = statusName,
    .freeConfig = (GDestroyNotify)vkDomainDefFree,
    .freeStatus = (GDestroyNotify)vkQEMUDomainStatusFree,
    .formatConfig = configFormat,
    .copyConfig = configCopy,
    .copyStatus = statusCopy,
    .nameValid = nameValid,
    .nameCheck = nameCheck,
    .noObjectCode = VIR_ERR_NO_DOMAIN,
    .noObjectNoun = "domain",
    .configUUID = configUUID,
    .statusUUID = statusUUID,
    .statusKeys = statusKeys,
};

/* A status that cannot be read says nothing reliable about qemu: the domain then counts as
 * shut off, which keeps its config usable, and the file stays for an administrator. */
static vkQEMUDomainStatus *statusRead(vkQemuDriverState *state, const char *name)
{
    return vkObjStoreStatusRead(state->store, name);
}

static int reasonRead(vkQemuDriverState *state, const char *name)
{
    g_autofree char *path = reasonPath(state, name);
    g_autofree char *text = NULL;
    int reason;

    if (vkFileReadIfExists(path, &text, NULL) < 0 || !text) {
        vkResetLastError();
        return VIR_DOMAIN_SHUTOFF_UNKNOWN;
    }
    reason = vkQEMUDomainStateReasonFromString(VIR_DOMAIN_SHUTOFF, g_strstrip(text));
    return reason < 0 ? VIR_DOMAIN_SHUTOFF_UNKNOWN : reason;
}

#define REASON_SUFFIX ".reason"

/* The names of the domains with a reason file in run, each mapped to 0 (not read yet); NULL
 * when the directory cannot be listed. */
static GHashTable *reasonsScan(vkQemuDriverState *state)
{
    g_autoptr(GDir) dir = g_dir_open(state->procPaths.runDir, 0, NULL);
    GHashTable *names;
    const char *file;

    if (!dir)
        return NULL;
    names = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    while ((file = g_dir_read_name(dir))) {
        if (g_str_has_suffix(file, REASON_SUFFIX) && file[0] != '.')
            g_hash_table_insert(names, g_strndup(file, strlen(file) - strlen(REASON_SUFFIX)), NULL);
    }
    return names;
}

/* NAME's reason, shut off, with the index at MARK: from the known reason files while the index
 * has not moved since they were listed, else from a new listing; NAME's file is read only when
 * it is there. */
static int reasonReadMarked(vkQemuDriverState *state, const char *name, const vkObjIndexMark *mark)
{
    g_autoptr(GMutexLocker) locker = g_mutex_locker_new(&state->lock);
    gpointer value;

    if (!state->reasons || !vkObjIndexMarkSame(&state->reasonsMark, mark)) {
        g_autoptr(GHashTable) names = reasonsScan(state);
        g_autoptr(vkObjIndexEntry) again = NULL;
        vkObjIndexMark after;

        if (!names)
            return reasonRead(state, name);
        /* Kept only if nothing was recorded while the directory was read. */
        again = vkObjStoreEntryMarked(state->store, name, &after);
        g_clear_pointer(&state->reasons, g_hash_table_unref);
        if (!vkObjIndexMarkSame(mark, &after))
            return g_hash_table_contains(names, name) ? reasonRead(state, name)
                                                      : VIR_DOMAIN_SHUTOFF_UNKNOWN;
        state->reasons = g_steal_pointer(&names);
        state->reasonsMark = *mark;
    }
    if (!g_hash_table_lookup_extended(state->reasons, name, NULL, &value))
        return VIR_DOMAIN_SHUTOFF_UNKNOWN;
    if (!value) {
        value = GINT_TO_POINTER(reasonRead(state, name) + 1);
        g_hash_table_insert(state->reasons, g_strdup(name), value);
    }
    return GPOINTER_TO_INT(value) - 1;
}

gboolean vkQemuDomainObjQuickShutoff(vkQemuDriverState *state, const char *name,
                                     const unsigned char *uuid, int *reason)
{
    vkObjIndexMark mark;
    g_autoptr(vkObjIndexEntry) e = vkObjStoreEntryMarked(state->store, name, &mark);

    /* No status in the index means no status file (the index hears of one before it is
     * written): the domain is shut off, whatever its qemu may have left behind. */
    if (!e || !e->config || e->status || memcmp(e->uuid, uuid, VIR_UUID_BUFLEN) != 0)
        return FALSE;
    *reason = mark.valid ? reasonReadMarked(state, name, &mark) : reasonRead(state, name);
    return TRUE;
}

/* The driver's object from what the store read, whose parts it takes. */
static vkQemuDomainObj *objFromStored(vkQemuDriverState *state, vkObjStoreObj *stored)
{
    vkQemuDomainObj *obj = g_new0(vkQemuDomainObj, 1);

    obj->name = g_strdup(stored->name);
    obj->config = g_steal_pointer(&stored->config);
    obj->status = g_steal_pointer(&stored->status);
    obj->autostart = stored->autostart;
    obj->shutoffReason = obj->status ? VIR_DOMAIN_SHUTOFF_UNKNOWN : reasonRead(state, obj->name);
    return obj;
}

int vkQemuDomainObjRead(vkQemuDriverState *state, const char *name, vkQemuDomainObj **obj)
{
    g_autoptr(vkObjStoreObj) stored = NULL;
    int rc = vkObjStoreRead(state->store, name, &stored);

    *obj = rc > 0 ? objFromStored(state, stored) : NULL;
    return rc;
}

GPtrArray *vkQemuDomainObjReadNames(vkQemuDriverState *state, const char *const *names)
{
    GPtrArray *objs = g_ptr_array_new_with_free_func((GDestroyNotify)vkQemuDomainObjFree);

    for (const char *const *name = names; name && *name; name++) {
        vkQemuDomainObj *obj = NULL;
        int rc = vkQemuDomainObjRead(state, *name, &obj);

        if (rc < 0) {
            g_autofree char *what = g_strdup_printf("domain '%s' skipped", *name);
            vkErrorWarn(what);
        } else if (rc > 0) {
            g_ptr_array_add(objs, obj);
        }
    }
    return objs;
}

/* ---- refreshing from qemu ---- */

/* How long a look waits for qemu's word on its state. A qemu that answers does so within
 * milliseconds; one that does not is hung, or another client holds its monitor (qemu serves
 * one at a time), and the look reports what the status file records instead. */
#define PROBE_TIMEOUT_MS 500
/* After qemu left a look unanswered within the bound, the looks of this connection trust the
 * status file for a while rather than wait again, so that listing many guests waits once per
 * hung qemu. A stopped qemu costs no wait: it is seen stopped anew at every look. */
#define SILENCE_MS 5000

typedef struct {
    pid_t pid;
    unsigned long long startTime;
    gint64 until; /* monotonic */
} vkQemuSilence;

static gboolean silentLately(vkQemuDriverState *state, const vkQEMUDomainStatus *st,
                             const char *name)
{
    g_autoptr(GMutexLocker) locker = g_mutex_locker_new(&state->lock);
    const vkQemuSilence *silence = state->silent ? g_hash_table_lookup(state->silent, name) : NULL;

    return silence && silence->pid == st->pid && silence->startTime == st->startTime &&
           g_get_monotonic_time() < silence->until;
}

static void noteSilence(vkQemuDriverState *state, const vkQEMUProcess *proc, const char *name,
                        gboolean silent)
{
    g_autoptr(GMutexLocker) locker = NULL;
    vkQemuSilence *silence;

    silent =
        silent && !vkProcessIsStopped(vkQEMUProcessGetPid(proc), vkQEMUProcessGetStartTime(proc));
    locker = g_mutex_locker_new(&state->lock);
    if (!silent) {
        if (state->silent)
            g_hash_table_remove(state->silent, name);
        return;
    }
    if (!state->silent)
        state->silent = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
    silence = g_new0(vkQemuSilence, 1);
    silence->pid = vkQEMUProcessGetPid(proc);
    silence->startTime = vkQEMUProcessGetStartTime(proc);
    silence->until = g_get_monotonic_time() + (gint64)SILENCE_MS * 1000;
    g_hash_table_replace(state->silent, g_strdup(name), silence);
}

/* State changes that qemu makes on its own (a guest that powered off or paused on an I/O
 * error) are only known to qemu, so a live qemu is asked, within a bound; its death is seen
 * from the process alone. */
static int refreshLocked(vkQemuDriverState *state, vkQemuDomainObj *obj)
{
    g_autoptr(vkQEMUProcess) proc = NULL;
    gboolean ask = !obj->status || !silentLately(state, obj->status, obj->name);
    int reason;
    int rc =
        ask ? vkQEMUProcessProbe(&state->procPaths, obj->name, PROBE_TIMEOUT_MS, &proc, &reason)
            : vkQEMUProcessAttach(&state->procPaths, obj->name, &proc, &reason);

    if (rc < 0)
        return -1;
    if (ask && proc)
        noteSilence(state, proc, obj->name, rc == VK_QEMU_RECONNECT_NO_ANSWER);
    if (rc == VK_QEMU_RECONNECT_DIED)
        return vkQemuDomainStopped(state, obj, reason);
    g_clear_pointer(&obj->status, vkQEMUDomainStatusFree);
    if (rc == VK_QEMU_RECONNECT_RUNNING || rc == VK_QEMU_RECONNECT_NO_ANSWER) {
        /* The process keeps the file current; reading it back is the simplest copy. */
        obj->status = statusRead(state, obj->name);
    }
    return 0;
}

int vkQemuDomainStopped(vkQemuDriverState *state, vkQemuDomainObj *obj, int reason)
{
    vkQemuTPMPaths tpmPaths;

    /* swtpm ends with its qemu by itself; this covers one that has not yet. */
    vkQemuDriverTPMPaths(state, &tpmPaths);
    if (vkQemuTPMStop(&tpmPaths, obj->name) < 0)
        vkErrorWarn("cannot stop the guest's swtpm");
    if (!obj->portsReleased)
        vkQemuRuntimeRelease(state, obj->name, obj->status ? obj->status->def : NULL);
    g_clear_pointer(&obj->status, vkQEMUDomainStatusFree);
    obj->shutoffReason = reason;
    vkObjStoreStatusGone(state->store, obj->name);
    if (!obj->config) {
        /* A transient guest is gone now: nothing of it stays, or only a file that says it
         * stopped when the root cannot be written. */
        g_autofree char *path = reasonPath(state, obj->name);
        if (vkFileRemoveIfExists(path) < 0)
            vkErrorWarn("cannot forget a stopped transient domain");
    }
    return 0;
}

/* A start killed before qemu ran leaves a pid file or monitor socket without a status. */
static int removeStale(vkQemuDriverState *state, vkQemuDomainObj *obj, gboolean locked)
{
    g_autofree char *monitor = vkQEMUDomainMonitorPath(&state->procPaths, obj->name);
    g_autofree char *pid = vkQEMUDomainPidPath(&state->procPaths, obj->name);
    g_autoptr(vkFileLock) lock = NULL;
    int rc;

    if (!g_file_test(monitor, G_FILE_TEST_EXISTS) && !g_file_test(pid, G_FILE_TEST_EXISTS))
        return 0;
    if (!locked && (rc = vkObjStoreTryLock(state->store, obj->name, &lock)) != 0)
        return rc < 0 ? -1 : 0;
    return vkQEMUProcessRemoveStale(&state->procPaths, obj->name);
}

int vkQemuDomainObjRefresh(vkQemuDriverState *state, vkQemuDomainObj *obj, gboolean locked)
{
    g_autoptr(vkFileLock) lock = NULL;
    int rc;

    if (!obj->status)
        return removeStale(state, obj, locked);
    if (locked)
        return refreshLocked(state, obj);
    /* A busy lock means another process is working on the domain right now and will leave
     * its status true; looking at qemu meanwhile would only wait for it. */
    if ((rc = vkObjStoreTryLock(state->store, obj->name, &lock)) < 0)
        return -1;
    if (rc > 0)
        return 0;
    return refreshLocked(state, obj);
}

/* ---- writing ---- */

int vkQemuDomainConfigSave(vkQemuDriverState *state, const vkDomainDef *def)
{
    g_autofree char *text = vkDomainDefFormat(def, CONFIG_FORMAT);

    /* The store refuses text that would not load again. */
    if (!text)
        return -1;
    return vkObjStoreConfigWrite(state->store, def->name, text);
}

int vkQemuDomainConfigDelete(vkQemuDriverState *state, const char *name)
{
    g_autofree char *reason = reasonPath(state, name);

    /* The mark first (the store's order): a config that survives a crash here keeps its
     * domain defined, which is the safe side. */
    if (vkObjStoreConfigDelete(state->store, name) < 0)
        return -1;
    return vkFileRemoveIfExists(reason);
}

int vkQemuDomainAutostartSet(vkQemuDriverState *state, const char *name, gboolean on)
{
    return vkObjStoreAutostartSet(state->store, name, on);
}

/* ---- locks and ids ---- */

vkFileLock *vkQemuDomainLock(vkQemuDriverState *state, const char *name)
{
    return vkObjStoreLock(state->store, name);
}

vkFileLock *vkQemuDriverLock(vkQemuDriverState *state)
{
    if (vkFileMakePath(state->lockDir, DIR_MODE) < 0)
        return NULL;
    return vkFileLockAcquire(state->lockDir, "domains");
}

/* The counter is rewritten in place, under its lock, always as the same number of bytes: one
 * write that replaces the whole number, where an atomic replacement of the file would cost a
 * rename (and on ext4 a flush of the new file) at every start. */
#define ID_WIDTH 10

int vkQemuNextDomainID(vkQemuDriverState *state, int *id)
{
    g_autoptr(vkFileLock) lock = NULL;
    g_autofree char *path = g_build_filename(state->lockDir, "lastid", NULL);
    char text[ID_WIDTH + 2] = "";
    int fd;
    ssize_t n;
    gint64 last;

    /* Its own lock, taken last of all: starts of different domains only meet here. */
    if (vkFileMakePath(state->lockDir, DIR_MODE) < 0 ||
        !(lock = vkFileLockAcquire(state->lockDir, "ids")))
        return -1;
    if ((fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, FILE_MODE)) < 0) {
        vkReportSystemError(VK_QEMU_ERR, errno, "cannot open '%s'", path);
        return -1;
    }
    while ((n = pread(fd, text, sizeof(text) - 1, 0)) < 0 && errno == EINTR) {
    }
    if (n < 0) {
        vkReportSystemError(VK_QEMU_ERR, errno, "cannot read '%s'", path);
        close(fd);
        return -1;
    }
    text[n] = '\0';
    last = g_ascii_strtoll(text, NULL, 10);
    if (last < 0 || last >= G_MAXINT)
        last = 0;
    *id = (int)last + 1;
    g_snprintf(text, sizeof(text), "%0*d\n", ID_WIDTH, *id);
    while ((n = pwrite(fd, text, ID_WIDTH + 1, 0)) < 0 && errno == EINTR) {
    }
    if (n != ID_WIDTH + 1) {
        vkReportSystemError(VK_QEMU_ERR, n < 0 ? errno : EIO, "cannot write '%s'", path);
        close(fd);
        return -1;
    }
    close(fd);
    return 0;
}

/* qemu capabilities: one probe of the binary over QMP, serialised with json-c into a per-binary
 * cache file that stays valid until the binary or the host's KVM availability changes. */
#include "qemu_capabilities.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/kvm.h>
#include <sys/ioctl.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "qemu_monitor.h"
#include "util/vkerror.h"
#include "util/vkprocess.h"

/* Bump when the cached JSON changes shape; older entries are then probed again. */
#define CACHE_FORMAT     1
#define PROBE_TIMEOUT_MS 30000
/* Where the probe's qemu finds its end of the monitor socket pair. */
#define PROBE_MONITOR_FD 3

typedef struct {
    char *name;
    char *alias;
    unsigned int maxCpus;
    gboolean deprecated;
} vkQEMUCapsMachine;

/* What decides whether a cache entry still describes the binary. */
typedef struct {
    char *binary;
    gint64 size;
    gint64 mtimeNs;
    gint64 ctimeNs;
    gboolean hostKVM;
} vkQEMUCapsKey;

struct _vkQEMUCaps {
    gint refs; /* immutable once made: shared by whoever asked, see vkQEMUCapsGet */
    vkQEMUCapsKey key;
    gint64 probeTime;
    unsigned long version;
    char *package;
    gboolean kvmPresent;
    gboolean kvmEnabled;
    GPtrArray *machines; /* vkQEMUCapsMachine * */
    char *defaultMachine;
    GHashTable *accels; /* sets of names */
    GHashTable *devices;
    GHashTable *commands;
    /* derived from machines after probing or loading */
    const char **machineNames;
    GHashTable *machineIndex; /* name and alias -> vkQEMUCapsMachine * */
};

static void machineFree(gpointer data)
{
    vkQEMUCapsMachine *machine = data;

    g_free(machine->name);
    g_free(machine->alias);
    g_free(machine);
}

static GHashTable *newSet(void)
{
    return g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
}

static vkQEMUCaps *capsNew(void)
{
    vkQEMUCaps *caps = g_new0(vkQEMUCaps, 1);

    caps->refs = 1;
    caps->machines = g_ptr_array_new_with_free_func(machineFree);
    caps->accels = newSet();
    caps->devices = newSet();
    caps->commands = newSet();
    caps->machineIndex = g_hash_table_new(g_str_hash, g_str_equal);
    return caps;
}

void vkQEMUCapsFree(vkQEMUCaps *caps)
{
    if (!caps || !g_atomic_int_dec_and_test(&caps->refs))
        return;
    g_free(caps->key.binary);
    g_free(caps->package);
    g_free(caps->defaultMachine);
    g_ptr_array_unref(caps->machines);
    g_hash_table_unref(caps->accels);
    g_hash_table_unref(caps->devices);
    g_hash_table_unref(caps->commands);
    g_free(caps->machineNames);
    g_hash_table_unref(caps->machineIndex);
    g_free(caps);
}

static void indexMachines(vkQEMUCaps *caps)
{
    caps->machineNames = g_new0(const char *, caps->machines->len + 1);
    for (guint i = 0; i < caps->machines->len; i++) {
        vkQEMUCapsMachine *machine = g_ptr_array_index(caps->machines, i);
        caps->machineNames[i] = machine->name;
        g_hash_table_insert(caps->machineIndex, machine->name, machine);
    }
    /* Aliases second, so that a canonical name always wins over an alias spelled the same. */
    for (guint i = 0; i < caps->machines->len; i++) {
        vkQEMUCapsMachine *machine = g_ptr_array_index(caps->machines, i);
        if (machine->alias && !g_hash_table_contains(caps->machineIndex, machine->alias))
            g_hash_table_insert(caps->machineIndex, machine->alias, machine);
    }
}

/* ---- the key ---- */

static void keyClear(vkQEMUCapsKey *key)
{
    g_clear_pointer(&key->binary, g_free);
}
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC(vkQEMUCapsKey, keyClear)

static int keyFromBinary(const char *binary, vkQEMUCapsKey *key)
{
    struct stat sb;

    if (strchr(binary, '/'))
        key->binary = g_canonicalize_filename(binary, NULL);
    else if (!(key->binary = g_find_program_in_path(binary))) {
        vkReportSystemError(VIR_FROM_QEMU, ENOENT, "cannot find QEMU binary '%s'", binary);
        return -1;
    }
    if (stat(key->binary, &sb) < 0) {
        vkReportSystemError(VIR_FROM_QEMU, errno, "cannot access QEMU binary '%s'", key->binary);
        return -1;
    }
    key->size = sb.st_size;
    key->mtimeNs = (gint64)sb.st_mtim.tv_sec * 1000000000 + sb.st_mtim.tv_nsec;
    key->ctimeNs = (gint64)sb.st_ctim.tv_sec * 1000000000 + sb.st_ctim.tv_nsec;
    key->hostKVM = vkQEMUHostHasKVM();
    return 0;
}

static gboolean keyEqual(const vkQEMUCapsKey *a, const vkQEMUCapsKey *b)
{
    return g_strcmp0(a->binary, b->binary) == 0 && a->size == b->size && a->mtimeNs == b->mtimeNs &&
           a->ctimeNs == b->ctimeNs && a->hostKVM == b->hostKVM;
}

/* ---- probing ---- */

/* The probe's qemu, its monitor connection and its output, undone on every exit. Nothing of
 * it has a name on disk, and the qemu dies with the thread that started it, so a probe whose
 * caller is killed leaves nothing behind. */
typedef struct {
    int monitorFd; /* our end of the monitor socket pair, until the monitor takes it */
    int logFd;     /* an unnamed file holding qemu's stdout and stderr */
    pid_t pid;
} vkQEMUCapsProbe;

static void probeClear(vkQEMUCapsProbe *probe)
{
    if (probe->pid > 0) {
        virErrorPtr saved = vkSaveError();
        vkProcessKill(probe->pid, 0, 0);
        vkRestoreError(saved);
    }
    if (probe->monitorFd >= 0)
        close(probe->monitorFd);
    if (probe->logFd >= 0)
        close(probe->logFd);
}
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC(vkQEMUCapsProbe, probeClear)

/* Runs a query whose return value must have type TYPE. */
static json_object *query(vkQEMUMonitor *mon, const char *cmd, json_object *args, json_type type)
{
    g_autoptr(json_object) ret = NULL;

    if (vkQEMUMonitorCommand(mon, cmd, args, PROBE_TIMEOUT_MS, &ret, NULL) < 0)
        return NULL;
    if (!json_object_is_type(ret, type)) {
        vkReportError(VIR_FROM_QEMU, VIR_ERR_INTERNAL_ERROR, "unexpected type of the reply to '%s'",
                      cmd);
        return NULL;
    }
    return g_steal_pointer(&ret);
}

static int probeVersion(vkQEMUMonitor *mon, vkQEMUCaps *caps)
{
    g_autoptr(json_object) ret = query(mon, "query-version", NULL, json_type_object);
    json_object *qemu;

    if (!ret)
        return -1;
    qemu = vkQEMUJSONGetMember(ret, "qemu", json_type_object);
    caps->version = vkQEMUJSONGetInt(qemu, "major", 0) * 1000000 +
                    vkQEMUJSONGetInt(qemu, "minor", 0) * 1000 + vkQEMUJSONGetInt(qemu, "micro", 0);
    caps->package = g_strdup(vkQEMUJSONGetString(ret, "package"));
    if (!caps->package)
        caps->package = g_strdup("");
    return 0;
}

static int probeMachines(vkQEMUMonitor *mon, vkQEMUCaps *caps)
{
    g_autoptr(json_object) ret = query(mon, "query-machines", NULL, json_type_array);

    if (!ret)
        return -1;
    for (size_t i = 0; i < json_object_array_length(ret); i++) {
        json_object *item = json_object_array_get_idx(ret, i);
        json_object *flag;
        const char *name = vkQEMUJSONGetString(item, "name");
        vkQEMUCapsMachine *machine;

        if (!name)
            continue;
        machine = g_new0(vkQEMUCapsMachine, 1);
        machine->name = g_strdup(name);
        machine->alias = g_strdup(vkQEMUJSONGetString(item, "alias"));
        machine->maxCpus = (unsigned int)vkQEMUJSONGetInt(item, "cpu-max", 0);
        flag = vkQEMUJSONGetMember(item, "deprecated", json_type_boolean);
        machine->deprecated = flag && json_object_get_boolean(flag);
        flag = vkQEMUJSONGetMember(item, "is-default", json_type_boolean);
        if (flag && json_object_get_boolean(flag) && !caps->defaultMachine)
            caps->defaultMachine = g_strdup(name);
        g_ptr_array_add(caps->machines, machine);
    }
    return 0;
}

static int probeKVM(vkQEMUMonitor *mon, vkQEMUCaps *caps)
{
    g_autoptr(json_object) ret = query(mon, "query-kvm", NULL, json_type_object);
    json_object *flag;

    if (!ret)
        return -1;
    flag = vkQEMUJSONGetMember(ret, "present", json_type_boolean);
    caps->kvmPresent = flag && json_object_get_boolean(flag);
    flag = vkQEMUJSONGetMember(ret, "enabled", json_type_boolean);
    caps->kvmEnabled = flag && json_object_get_boolean(flag);
    return 0;
}

/* Adds the concrete QOM types implementing INTERFACE to SET, with SUFFIX cut off; types not
 * ending in SUFFIX (such as the abstract base) are skipped. */
static int probeTypes(vkQEMUMonitor *mon, const char *interface, const char *suffix,
                      GHashTable *set)
{
    g_autoptr(json_object) args = json_object_new_object();
    g_autoptr(json_object) ret = NULL;

    json_object_object_add(args, "implements", json_object_new_string(interface));
    json_object_object_add(args, "abstract", json_object_new_boolean(FALSE));
    if (!(ret = query(mon, "qom-list-types", args, json_type_array)))
        return -1;
    for (size_t i = 0; i < json_object_array_length(ret); i++) {
        const char *name = vkQEMUJSONGetString(json_object_array_get_idx(ret, i), "name");
        if (name && g_str_has_suffix(name, suffix))
            g_hash_table_add(set, g_strndup(name, strlen(name) - strlen(suffix)));
    }
    return 0;
}

static int probeCommands(vkQEMUMonitor *mon, vkQEMUCaps *caps)
{
    g_autoptr(json_object) ret = query(mon, "query-commands", NULL, json_type_array);

    if (!ret)
        return -1;
    for (size_t i = 0; i < json_object_array_length(ret); i++) {
        const char *name = vkQEMUJSONGetString(json_object_array_get_idx(ret, i), "name");
        if (name)
            g_hash_table_add(caps->commands, g_strdup(name));
    }
    return 0;
}

/* qemu's own words on why it failed to start are better than "end of file". */
static void reportStartFailure(const char *binary, int logFd)
{
    g_autofree char *path = g_strdup_printf("/proc/self/fd/%d", logFd);
    g_autofree char *text = NULL;

    if (!g_file_get_contents(path, &text, NULL, NULL) || !*g_strstrip(text))
        return;
    vkReportError(VIR_FROM_QEMU, VIR_ERR_INTERNAL_ERROR, "cannot probe QEMU binary '%s': %s",
                  binary, text);
}

static int probeStart(const char *binary, vkQEMUCapsProbe *probe)
{
    int pair[2];
    int rc;

    if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, pair) < 0) {
        vkReportSystemError(VIR_FROM_QEMU, errno, "%s", "cannot create a socket pair");
        return -1;
    }
    probe->monitorFd = pair[0];
    if ((probe->logFd = memfd_create("virtkit-qemu-probe", MFD_CLOEXEC)) < 0) {
        vkReportSystemError(VIR_FROM_QEMU, errno, "%s", "cannot create the probe's log");
        close(pair[1]);
        return -1;
    }

    /* -machine none starts no guest; accel=kvm:tcg makes query-kvm tell whether KVM really
     * works for this binary on this host, falling back to TCG when it does not. The monitor
     * is qemu's end of the pair: a connected socket, which qemu takes as a client. */
    const char *argv[] = {
        binary,
        "-S",
        "-no-user-config",
        "-nodefaults",
        "-nographic",
        "-machine",
        "none,accel=kvm:tcg",
        "-chardev",
        "socket,id=probe,fd=" G_STRINGIFY(PROBE_MONITOR_FD),
        "-mon",
        "chardev=probe,mode=control",
        NULL,
    };
    vkProcessFd fds[] = { { .fd = pair[1], .target = PROBE_MONITOR_FD } };
    vkProcessSpawnOptions opts = {
        .argv = argv,
        .logFd = probe->logFd,
        .fds = fds,
        .nfds = G_N_ELEMENTS(fds),
        .dieWithCaller = TRUE,
    };

    rc = vkProcessSpawn(&opts, &probe->pid);
    /* qemu holds the only other copy now: its exit is our end of file. */
    close(pair[1]);
    return rc;
}

static vkQEMUCaps *probeBinary(vkQEMUCapsKey *key)
{
    g_auto(vkQEMUCapsProbe) probe = { .monitorFd = -1, .logFd = -1 };
    g_autoptr(vkQEMUMonitor) mon = NULL;
    g_autoptr(vkQEMUCaps) caps = capsNew();

    if (probeStart(key->binary, &probe) < 0)
        return NULL;
    mon = vkQEMUMonitorOpenFd(g_steal_fd(&probe.monitorFd), PROBE_TIMEOUT_MS);
    if (!mon) {
        reportStartFailure(key->binary, probe.logFd);
        return NULL;
    }
    if (probeVersion(mon, caps) < 0 || probeMachines(mon, caps) < 0 || probeKVM(mon, caps) < 0 ||
        probeTypes(mon, "accel", "-accel", caps->accels) < 0 ||
        probeTypes(mon, "device", "", caps->devices) < 0 || probeCommands(mon, caps) < 0)
        return NULL;

    /* A clean quit spares qemu a signal; if it hangs, probeClear kills it. */
    if (vkQEMUMonitorQuit(mon) == 0 && vkProcessWaitExit(probe.pid, 0, 5000) == 0)
        probe.pid = 0;

    caps->key = *key;
    caps->key.binary = g_strdup(key->binary);
    caps->probeTime = g_get_real_time();
    indexMachines(caps);
    return g_steal_pointer(&caps);
}

/* ---- the cache ---- */

static char *cachePath(const char *cacheDir, const char *binary)
{
    g_autofree char *hash = g_compute_checksum_for_string(G_CHECKSUM_SHA256, binary, -1);
    g_autofree char *base = g_path_get_basename(binary);
    g_autofree char *file = g_strdup_printf("%s-%.16s.json", base, hash);

    return g_build_filename(cacheDir, "capabilities", file, NULL);
}

static gint compareNames(gconstpointer a, gconstpointer b, gpointer unused)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static json_object *setToJSON(GHashTable *set)
{
    g_autofree const char **names = (const char **)g_hash_table_get_keys_as_array(set, NULL);
    json_object *array = json_object_new_array();

    /* Sorted, so that two probes of one binary give identical files. */
    g_qsort_with_data(names, g_hash_table_size(set), sizeof(char *), compareNames, NULL);
    for (guint i = 0; i < g_hash_table_size(set); i++)
        json_object_array_add(array, json_object_new_string(names[i]));
    return array;
}

static json_object *machinesToJSON(const vkQEMUCaps *caps)
{
    json_object *array = json_object_new_array();

    for (guint i = 0; i < caps->machines->len; i++) {
        vkQEMUCapsMachine *machine = g_ptr_array_index(caps->machines, i);
        json_object *obj = json_object_new_object();

        json_object_object_add(obj, "name", json_object_new_string(machine->name));
        if (machine->alias)
            json_object_object_add(obj, "alias", json_object_new_string(machine->alias));
        json_object_object_add(obj, "maxCpus", json_object_new_int64(machine->maxCpus));
        json_object_object_add(obj, "deprecated", json_object_new_boolean(machine->deprecated));
        json_object_array_add(array, obj);
    }
    return array;
}

static json_object *capsToJSON(const vkQEMUCaps *caps)
{
    json_object *obj = json_object_new_object();
    json_object *kvm = json_object_new_object();

    json_object_object_add(obj, "format", json_object_new_int(CACHE_FORMAT));
    json_object_object_add(obj, "binary", json_object_new_string(caps->key.binary));
    json_object_object_add(obj, "size", json_object_new_int64(caps->key.size));
    json_object_object_add(obj, "mtimeNs", json_object_new_int64(caps->key.mtimeNs));
    json_object_object_add(obj, "ctimeNs", json_object_new_int64(caps->key.ctimeNs));
    json_object_object_add(obj, "hostKVM", json_object_new_boolean(caps->key.hostKVM));
    json_object_object_add(obj, "probeTime", json_object_new_int64(caps->probeTime));
    json_object_object_add(obj, "version", json_object_new_int64(caps->version));
    json_object_object_add(obj, "package", json_object_new_string(caps->package));
    json_object_object_add(kvm, "present", json_object_new_boolean(caps->kvmPresent));
    json_object_object_add(kvm, "enabled", json_object_new_boolean(caps->kvmEnabled));
    json_object_object_add(obj, "kvm", kvm);
    if (caps->defaultMachine)
        json_object_object_add(obj, "defaultMachine", json_object_new_string(caps->defaultMachine));
    json_object_object_add(obj, "machines", machinesToJSON(caps));
    json_object_object_add(obj, "accels", setToJSON(caps->accels));
    json_object_object_add(obj, "devices", setToJSON(caps->devices));
    json_object_object_add(obj, "commands", setToJSON(caps->commands));
    return obj;
}

static gboolean getBool(json_object *obj, const char *key)
{
    json_object *val = vkQEMUJSONGetMember(obj, key, json_type_boolean);

    return val && json_object_get_boolean(val);
}

static gboolean setFromJSON(json_object *obj, const char *key, GHashTable *set)
{
    json_object *array = vkQEMUJSONGetMember(obj, key, json_type_array);

    if (!array)
        return FALSE;
    for (size_t i = 0; i < json_object_array_length(array); i++) {
        json_object *item = json_object_array_get_idx(array, i);
        if (!json_object_is_type(item, json_type_string))
            return FALSE;
        g_hash_table_add(set, g_strdup(json_object_get_string(item)));
    }
    return TRUE;
}

static gboolean machinesFromJSON(json_object *obj, vkQEMUCaps *caps)
{
    json_object *array = vkQEMUJSONGetMember(obj, "machines", json_type_array);

    if (!array)
        return FALSE;
    for (size_t i = 0; i < json_object_array_length(array); i++) {
        json_object *item = json_object_array_get_idx(array, i);
        const char *name = vkQEMUJSONGetString(item, "name");
        vkQEMUCapsMachine *machine;

        if (!name)
            return FALSE;
        machine = g_new0(vkQEMUCapsMachine, 1);
        machine->name = g_strdup(name);
        machine->alias = g_strdup(vkQEMUJSONGetString(item, "alias"));
        machine->maxCpus = (unsigned int)vkQEMUJSONGetInt(item, "maxCpus", 0);
        machine->deprecated = getBool(item, "deprecated");
        g_ptr_array_add(caps->machines, machine);
    }
    return TRUE;
}

/* The cached capabilities if the entry exists, parses and matches KEY; NULL otherwise. */
static vkQEMUCaps *cacheLoad(const char *path, const vkQEMUCapsKey *key)
{
    g_autofree char *text = NULL;
    g_autoptr(json_object) obj = NULL;
    g_autoptr(vkQEMUCaps) caps = NULL;
    json_object *kvm;

    if (!g_file_get_contents(path, &text, NULL, NULL) || !(obj = json_tokener_parse(text)) ||
        vkQEMUJSONGetInt(obj, "format", 0) != CACHE_FORMAT)
        return NULL;

    caps = capsNew();
    caps->key.binary = g_strdup(vkQEMUJSONGetString(obj, "binary"));
    caps->key.size = vkQEMUJSONGetInt(obj, "size", -1);
    caps->key.mtimeNs = vkQEMUJSONGetInt(obj, "mtimeNs", -1);
    caps->key.ctimeNs = vkQEMUJSONGetInt(obj, "ctimeNs", -1);
    caps->key.hostKVM = getBool(obj, "hostKVM");
    if (!keyEqual(&caps->key, key))
        return NULL;

    caps->probeTime = vkQEMUJSONGetInt(obj, "probeTime", 0);
    caps->version = (unsigned long)vkQEMUJSONGetInt(obj, "version", 0);
    caps->package = g_strdup(vkQEMUJSONGetString(obj, "package"));
    caps->defaultMachine = g_strdup(vkQEMUJSONGetString(obj, "defaultMachine"));
    kvm = vkQEMUJSONGetMember(obj, "kvm", json_type_object);
    caps->kvmPresent = getBool(kvm, "present");
    caps->kvmEnabled = getBool(kvm, "enabled");
    if (!caps->package || caps->version == 0 || !machinesFromJSON(obj, caps) ||
        !setFromJSON(obj, "accels", caps->accels) || !setFromJSON(obj, "devices", caps->devices) ||
        !setFromJSON(obj, "commands", caps->commands))
        return NULL;
    indexMachines(caps);
    return g_steal_pointer(&caps);
}

/* Best effort: a failure costs the next caller a probe, nothing else. */
static void cacheSave(const char *path, const vkQEMUCaps *caps)
{
    g_autoptr(json_object) obj = capsToJSON(caps);
    g_autofree char *dir = g_path_get_dirname(path);
    const char *text;

    if (g_mkdir_with_parents(dir, 0755) < 0)
        return;
    text = json_object_to_json_string_ext(obj,
                                          JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_NOSLASHESCAPE);
    g_file_set_contents_full(path, text, -1, G_FILE_SET_CONTENTS_CONSISTENT, 0644, NULL);
}

/* What this process last loaded from each cache file, while that file is the same one (device,
 * inode, size, change time) and the binary still matches: a define or a start then costs two
 * stats instead of reading and parsing the JSON (about 2 million instructions). A file that
 * anyone rewrote (a new probe, a corruption) is loaded anew. */
typedef struct {
    struct stat st;
    vkQEMUCaps *caps;
} vkQEMUCapsLoaded;

static GMutex loadedLock;
static GHashTable *loaded; /* cache file path -> vkQEMUCapsLoaded */

static gboolean sameFile(const struct stat *a, const struct stat *b)
{
    return a->st_dev == b->st_dev && a->st_ino == b->st_ino && a->st_size == b->st_size &&
           a->st_ctim.tv_sec == b->st_ctim.tv_sec && a->st_ctim.tv_nsec == b->st_ctim.tv_nsec &&
           a->st_mtim.tv_sec == b->st_mtim.tv_sec && a->st_mtim.tv_nsec == b->st_mtim.tv_nsec;
}

static void loadedFree(gpointer data)
{
    vkQEMUCapsLoaded *l = data;

    vkQEMUCapsFree(l->caps);
    g_free(l);
}

static vkQEMUCaps *loadedGet(const char *path, const struct stat *st, const vkQEMUCapsKey *key)
{
    G_GNUC_UNUSED g_autoptr(GMutexLocker) locker = g_mutex_locker_new(&loadedLock);
    vkQEMUCapsLoaded *l = loaded ? g_hash_table_lookup(loaded, path) : NULL;

    if (!l || !sameFile(&l->st, st) || !keyEqual(&l->caps->key, key))
        return NULL;
    g_atomic_int_inc(&l->caps->refs);
    return l->caps;
}

static void loadedPut(const char *path, const struct stat *st, vkQEMUCaps *caps)
{
    vkQEMUCapsLoaded *l = g_new0(vkQEMUCapsLoaded, 1);
    G_GNUC_UNUSED g_autoptr(GMutexLocker) locker = g_mutex_locker_new(&loadedLock);

    l->st = *st;
    l->caps = caps;
    g_atomic_int_inc(&caps->refs);
    if (!loaded)
        loaded = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, loadedFree);
    g_hash_table_replace(loaded, g_strdup(path), l);
}

vkQEMUCaps *vkQEMUCapsGet(const char *cacheDir, const char *binary)
{
    g_auto(vkQEMUCapsKey) key = { 0 };
    g_autofree char *path = NULL;
    struct stat before, after;
    gboolean haveBefore;
    vkQEMUCaps *caps;

    if (keyFromBinary(binary, &key) < 0)
        return NULL;
    path = cachePath(cacheDir, key.binary);
    haveBefore = stat(path, &before) == 0;
    if (haveBefore && (caps = loadedGet(path, &before, &key)))
        return caps;
    if ((caps = cacheLoad(path, &key))) {
        /* Kept only if the file did not change while it was read. */
        if (haveBefore && stat(path, &after) == 0 && sameFile(&before, &after))
            loadedPut(path, &after, caps);
        return caps;
    }
    if (!(caps = probeBinary(&key)))
        return NULL;
    cacheSave(path, caps);
    return caps;
}

/* ---- accessors ---- */

const char *vkQEMUCapsGetBinary(const vkQEMUCaps *caps)
{
    return caps->key.binary;
}

unsigned long vkQEMUCapsGetVersion(const vkQEMUCaps *caps)
{
    return caps->version;
}

const char *vkQEMUCapsGetPackage(const vkQEMUCaps *caps)
{
    return caps->package;
}

gint64 vkQEMUCapsGetProbeTime(const vkQEMUCaps *caps)
{
    return caps->probeTime;
}

const char *const *vkQEMUCapsGetMachineNames(const vkQEMUCaps *caps)
{
    return caps->machineNames;
}

const char *vkQEMUCapsGetDefaultMachine(const vkQEMUCaps *caps)
{
    return caps->defaultMachine;
}

static const vkQEMUCapsMachine *findMachine(const vkQEMUCaps *caps, const char *name)
{
    return name ? g_hash_table_lookup(caps->machineIndex, name) : NULL;
}

const char *vkQEMUCapsGetCanonicalMachine(const vkQEMUCaps *caps, const char *name)
{
    const vkQEMUCapsMachine *machine = findMachine(caps, name);

    return machine ? machine->name : NULL;
}

const char *vkQEMUCapsGetMachineAlias(const vkQEMUCaps *caps, const char *name)
{
    const vkQEMUCapsMachine *machine = findMachine(caps, name);

    return machine ? machine->alias : NULL;
}

unsigned int vkQEMUCapsGetMachineMaxCpus(const vkQEMUCaps *caps, const char *name)
{
    const vkQEMUCapsMachine *machine = findMachine(caps, name);

    return machine ? machine->maxCpus : 0;
}

gboolean vkQEMUCapsHasMachine(const vkQEMUCaps *caps, const char *name)
{
    return findMachine(caps, name) != NULL;
}

gboolean vkQEMUCapsHasKVM(const vkQEMUCaps *caps)
{
    return caps->kvmPresent && caps->kvmEnabled;
}

gboolean vkQEMUCapsHasAccel(const vkQEMUCaps *caps, const char *name)
{
    return g_hash_table_contains(caps->accels, name);
}

gboolean vkQEMUCapsHasDevice(const vkQEMUCaps *caps, const char *name)
{
    return g_hash_table_contains(caps->devices, name);
}

gboolean vkQEMUCapsHasCommand(const vkQEMUCaps *caps, const char *name)
{
    return g_hash_table_contains(caps->commands, name);
}

gboolean vkQEMUHostHasKVM(void)
{
    int fd = open("/dev/kvm", O_RDWR | O_CLOEXEC);
    int version;

    if (fd < 0)
        return FALSE;
    /* Opening is not enough: something else may sit at /dev/kvm (a bind mount of /dev/null
     * in a container); only KVM answers this. */
    version = ioctl(fd, KVM_GET_API_VERSION, 0);
    close(fd);
    return version == KVM_API_VERSION;
}

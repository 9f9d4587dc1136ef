/* Autostart of persistent networks, once per host boot: the first open of the driver on a boot
 * starts the inactive networks marked for autostart, as libvirt's daemon does when it starts. */
#include <string.h>

#include "network_priv.h"

#define BOOT_ID_FILE "/proc/sys/kernel/random/boot_id"
/* ROOT/run/network/autostarted: no ".xml", so no network's files can clash with it. */
#define MARKER_NAME       "autostarted"
#define UNPRIVILEGED_WORD "unprivileged"

/* How far autostart got on this boot. An unprivileged pass cannot start the networks that
 * create bridges, so a privileged opener after it still owes those, and only those: the others
 * had their one start of the boot. */
typedef enum {
    PASS_NONE,
    PASS_UNPRIVILEGED,
    PASS_FULL,
} vkAutostartPass;

/* Without /proc the boot cannot be told apart, and the marker's existence alone decides, as
 * libvirt's does on a /run that each boot empties. */
static char *bootIdRead(void)
{
    g_autofree char *text = NULL;

    if (vkFileReadAll(BOOT_ID_FILE, &text, NULL) < 0) {
        vkResetLastError();
        return g_strdup("unknown");
    }
    return g_strdup(g_strstrip(text));
}

/* The marker holds the boot id, followed by a word when only an unprivileged pass ran. A marker
 * that cannot be read counts as missing: the pass it causes takes the driver lock and reports
 * whatever is wrong with the directory. */
static vkAutostartPass markerRead(const char *path, const char *bootId)
{
    g_autofree char *text = NULL;
    g_auto(GStrv) words = NULL;

    if (vkFileReadIfExists(path, &text, NULL) < 0) {
        vkResetLastError();
        return PASS_NONE;
    }
    if (!text)
        return PASS_NONE;
    words = g_strsplit(g_strstrip(text), " ", 2);
    if (!words[0] || !g_str_equal(words[0], bootId))
        return PASS_NONE;
    return words[1] && g_str_equal(words[1], UNPRIVILEGED_WORD) ? PASS_UNPRIVILEGED : PASS_FULL;
}

static int markerWrite(const char *path, const char *bootId, gboolean privileged)
{
    g_autofree char *text =
        g_strdup_printf("%s%s\n", bootId, privileged ? "" : " " UNPRIVILEGED_WORD);

    return vkFileWriteAtomic(path, text, -1, 0600);
}

static gboolean passDone(vkAutostartPass done, gboolean privileged)
{
    return done == PASS_FULL || (done == PASS_UNPRIVILEGED && !privileged);
}

static int compareNames(gconstpointer a, gconstpointer b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* The names of the autostart marks, sorted so that networks start in a predictable order. */
static GPtrArray *markedNames(const vkNetworkDriverState *state)
{
    g_autoptr(GDir) dir = g_dir_open(state->autostartDir, 0, NULL);
    GPtrArray *names = g_ptr_array_new_with_free_func(g_free);
    const char *entry;

    if (!dir)
        return names;
    while ((entry = g_dir_read_name(dir))) {
        if (g_str_has_suffix(entry, ".xml") && strlen(entry) > strlen(".xml"))
            g_ptr_array_add(names, g_strndup(entry, strlen(entry) - strlen(".xml")));
    }
    g_ptr_array_sort(names, compareNames);
    return names;
}

/* Starts NAME unless it is running, unmarked or gone by the time its lock is ours; with
 * ONLYBRIDGES, only if it creates its bridge (what an unprivileged pass left over). */
static int autostartOne(const vkNetworkDriverState *state, const char *name, gboolean onlyBridges)
{
    g_autoptr(vkFileLock) lock = vkNetworkLock(state, name);
    g_autoptr(vkNetworkObj) obj = NULL;
    g_autoptr(vkNetworkStatus) status = NULL;

    /* Reconciled first: a status left by the previous boot names a bridge that is gone. */
    if (!lock || vkNetworkObjRead(state, name, &obj) < 0 ||
        (obj && vkNetworkReconcile(state, obj, TRUE) < 0))
        return -1;
    if (!obj || !obj->config || !obj->autostart || obj->status)
        return 0;
    if (onlyBridges && !vkNetworkMakesBridge(obj->config))
        return 0;
    status = g_new0(vkNetworkStatus, 1);
    status->def = vkNetworkDefCopy(obj->config);
    return vkNetworkStart(state, status);
}

void vkNetworkAutostartOnBoot(const vkNetworkDriverState *state)
{
    g_autofree char *marker = g_build_filename(state->paths->run, MARKER_NAME, NULL);
    g_autofree char *bootId = bootIdRead();
    g_autoptr(vkFileLock) driverLock = NULL;
    g_autoptr(GPtrArray) names = NULL;
    vkAutostartPass done;

    /* The common case, every open after the first of a boot: two small reads, no lock. */
    if (passDone(markerRead(marker, bootId), state->privileged))
        return;
    if (!(driverLock = vkNetworkDriverLock(state))) {
        vkNetworkWarn("cannot autostart networks");
        return;
    }
    /* Whoever held the lock before us may have done this boot's pass. */
    done = markerRead(marker, bootId);
    if (passDone(done, state->privileged))
        return;

    names = markedNames(state);
    for (guint i = 0; i < names->len; i++) {
        const char *name = g_ptr_array_index(names, i);

        if (autostartOne(state, name, done == PASS_UNPRIVILEGED) < 0) {
            g_autofree char *what = g_strdup_printf("cannot autostart network '%s'", name);
            vkNetworkWarn(what);
        }
    }
    /* Written whatever failed: like libvirt, each network gets one try per boot, and a failed
     * one waits for its owner rather than being retried at every open. */
    if (markerWrite(marker, bootId, state->privileged) < 0)
        vkNetworkWarn("cannot record that networks were autostarted");
}

/* Firmware autoselection from QEMU's firmware descriptors, and the per-guest NVRAM copy: the
 * descriptors are read where libvirt reads them, in libvirt's order, each time they are
 * needed (a start or a domain capabilities query), so that a firmware package installed or
 * removed is seen at once. */
#include "qemu/qemu_firmware.h"

#include <errno.h>
#include <json-c/json.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util/vkerror.h"
#include "qemu/qemu_monitor.h"
#include "util/vkfile.h"

#define FW_ERR VIR_FROM_QEMU

enum {
    FW_IF_BIOS = 1u << 0,
    FW_IF_UEFI = 1u << 1,
};

typedef enum {
    FW_DEVICE_NONE,
    FW_DEVICE_FLASH,
    FW_DEVICE_MEMORY,
    FW_DEVICE_KERNEL,
} fwDevice;

typedef enum {
    FW_MODE_SPLIT,
    FW_MODE_COMBINED,
    FW_MODE_STATELESS,
} fwFlashMode;

/* The features libvirt's matching looks at; others are read and ignored. */
enum {
    FW_FEAT_ACPI_S3 = 1u << 0,
    FW_FEAT_ACPI_S4 = 1u << 1,
    FW_FEAT_ENROLLED_KEYS = 1u << 2,
    FW_FEAT_REQUIRES_SMM = 1u << 3,
    FW_FEAT_SECURE_BOOT = 1u << 4,
};

static const struct {
    const char *name;
    unsigned int bit;
} featureNames[] = {
    { "acpi-s3", FW_FEAT_ACPI_S3 },
    { "acpi-s4", FW_FEAT_ACPI_S4 },
    { "enrolled-keys", FW_FEAT_ENROLLED_KEYS },
    { "requires-smm", FW_FEAT_REQUIRES_SMM },
    { "secure-boot", FW_FEAT_SECURE_BOOT },
};

typedef struct {
    char *arch;     /* libvirt's name (i686 for the descriptors' i386) */
    GStrv machines; /* glob patterns */
} fwTarget;

typedef struct {
    char *path;
    unsigned int interfaces;
    fwDevice device;
    fwFlashMode mode;
    char *executable; /* flash: the code image; memory and kernel: the file */
    char *executableFormat;
    char *nvramTemplate; /* split flash only */
    char *nvramTemplateFormat;
    unsigned int features;
    fwTarget *targets;
    size_t ntargets;
} fwDesc;

static void fwDescFree(fwDesc *fw)
{
    if (!fw)
        return;
    g_free(fw->path);
    g_free(fw->executable);
    g_free(fw->executableFormat);
    g_free(fw->nvramTemplate);
    g_free(fw->nvramTemplateFormat);
    for (size_t i = 0; i < fw->ntargets; i++) {
        g_free(fw->targets[i].arch);
        g_strfreev(fw->targets[i].machines);
    }
    g_free(fw->targets);
    g_free(fw);
}
G_DEFINE_AUTOPTR_CLEANUP_FUNC(fwDesc, fwDescFree)

static const char *getString(json_object *obj, const char *key)
{
    json_object *val;

    if (!obj || !json_object_object_get_ex(obj, key, &val) ||
        !json_object_is_type(val, json_type_string))
        return NULL;
    return json_object_get_string(val);
}

static json_object *getArray(json_object *obj, const char *key)
{
    json_object *val;

    if (!json_object_object_get_ex(obj, key, &val) || !json_object_is_type(val, json_type_array))
        return NULL;
    return val;
}

static int parseMapping(fwDesc *fw, json_object *mapping)
{
    const char *device = getString(mapping, "device");
    const char *mode = getString(mapping, "mode");
    json_object *exec = NULL, *tmpl = NULL;

    if (!device)
        return -1;
    if (g_str_equal(device, "flash")) {
        fw->device = FW_DEVICE_FLASH;
        if (!mode || g_str_equal(mode, "split"))
            fw->mode = FW_MODE_SPLIT;
        else if (g_str_equal(mode, "combined"))
            fw->mode = FW_MODE_COMBINED;
        else if (g_str_equal(mode, "stateless"))
            fw->mode = FW_MODE_STATELESS;
        else
            return -1;
        if (!json_object_object_get_ex(mapping, "executable", &exec) ||
            !(fw->executable = g_strdup(getString(exec, "filename"))))
            return -1;
        fw->executableFormat = g_strdup(getString(exec, "format"));
        if (fw->mode == FW_MODE_SPLIT) {
            if (!json_object_object_get_ex(mapping, "nvram-template", &tmpl) ||
                !(fw->nvramTemplate = g_strdup(getString(tmpl, "filename"))))
                return -1;
            fw->nvramTemplateFormat = g_strdup(getString(tmpl, "format"));
        }
    } else if (g_str_equal(device, "memory") || g_str_equal(device, "kernel")) {
        fw->device = g_str_equal(device, "memory") ? FW_DEVICE_MEMORY : FW_DEVICE_KERNEL;
        if (!(fw->executable = g_strdup(getString(mapping, "filename"))))
            return -1;
    }
    return 0;
}

static int parseTargets(fwDesc *fw, json_object *targets)
{
    size_t n = json_object_array_length(targets);

    fw->targets = g_new0(fwTarget, n);
    for (size_t i = 0; i < n; i++) {
        json_object *t = json_object_array_get_idx(targets, i);
        const char *arch = getString(t, "architecture");
        json_object *machines = t ? getArray(t, "machines") : NULL;
        size_t m;

        if (!arch || !machines)
            return -1;
        m = json_object_array_length(machines);
        fw->targets[i].arch = g_strdup(g_str_equal(arch, "i386") ? "i686" : arch);
        fw->targets[i].machines = g_new0(char *, m + 1);
        fw->ntargets++;
        for (size_t j = 0; j < m; j++) {
            json_object *p = json_object_array_get_idx(machines, j);

            if (!json_object_is_type(p, json_type_string))
                return -1;
            fw->targets[i].machines[j] = g_strdup(json_object_get_string(p));
        }
    }
    return 0;
}

static fwDesc *parseDescriptor(const char *path)
{
    g_autofree char *text = NULL;
    g_autoptr(json_object) root = NULL;
    g_autoptr(fwDesc) fw = g_new0(fwDesc, 1);
    json_object *ifaces, *mapping, *targets, *features;

    fw->path = g_strdup(path);
    if (!g_file_get_contents(path, &text, NULL, NULL)) {
        vkReportSystemError(FW_ERR, errno, "cannot read firmware descriptor '%s'", path);
        return NULL;
    }
    if (!(root = json_tokener_parse(text)) || !json_object_is_type(root, json_type_object) ||
        !(ifaces = getArray(root, "interface-types")) ||
        !json_object_object_get_ex(root, "mapping", &mapping) ||
        !(targets = getArray(root, "targets")) || parseMapping(fw, mapping) < 0 ||
        parseTargets(fw, targets) < 0) {
        vkReportError(FW_ERR, VIR_ERR_INTERNAL_ERROR, "invalid firmware descriptor '%s'", path);
        return NULL;
    }
    for (size_t i = 0; i < json_object_array_length(ifaces); i++) {
        const char *s = json_object_get_string(json_object_array_get_idx(ifaces, i));

        if (g_strcmp0(s, "bios") == 0)
            fw->interfaces |= FW_IF_BIOS;
        else if (g_strcmp0(s, "uefi") == 0)
            fw->interfaces |= FW_IF_UEFI;
    }
    if ((features = getArray(root, "features"))) {
        for (size_t i = 0; i < json_object_array_length(features); i++) {
            const char *s = json_object_get_string(json_object_array_get_idx(features, i));

            for (size_t j = 0; j < G_N_ELEMENTS(featureNames); j++) {
                if (g_strcmp0(s, featureNames[j].name) == 0)
                    fw->features |= featureNames[j].bit;
            }
        }
    }
    return g_steal_pointer(&fw);
}

/* name -> path of every descriptor in DIR, overriding what an earlier directory gave. */
static void collectDir(GHashTable *files, const char *dir)
{
    g_autoptr(GDir) d = g_dir_open(dir, 0, NULL);
    const char *name;

    if (!d)
        return;
    while ((name = g_dir_read_name(d))) {
        g_autofree char *path = NULL;

        if (name[0] == '.')
            continue;
        path = g_build_filename(dir, name, NULL);
        if (!g_file_test(path, G_FILE_TEST_IS_REGULAR))
            continue;
        g_hash_table_replace(files, g_strdup(name), g_steal_pointer(&path));
    }
}

static int compareNames(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* The descriptors as libvirt finds them: /usr/share/qemu/firmware, overridden file by file by
 * /etc/qemu/firmware and, for an unprivileged user, $XDG_CONFIG_HOME/qemu/firmware; sorted by
 * file name; an empty file hides those of its name. NULL with an error reported when one of
 * them is unreadable or malformed, as libvirt refuses then too. */
static GPtrArray *loadDescriptors(void)
{
    g_autoptr(GHashTable) files = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
    g_autoptr(GPtrArray) fws = g_ptr_array_new_with_free_func((GDestroyNotify)fwDescFree);
    g_autofree const char **names = NULL;
    guint n;

    collectDir(files, "/usr/share/qemu/firmware");
    collectDir(files, "/etc/qemu/firmware");
    if (geteuid() != 0) {
        g_autofree char *user = g_build_filename(g_get_user_config_dir(), "qemu", "firmware", NULL);

        collectDir(files, user);
    }
    names = (const char **)g_hash_table_get_keys_as_array(files, &n);
    qsort(names, n, sizeof(*names), compareNames);
    for (guint i = 0; i < n; i++) {
        const char *path = g_hash_table_lookup(files, names[i]);
        struct stat sb;
        fwDesc *fw;

        if (stat(path, &sb) == 0 && sb.st_size == 0)
            continue;
        if (!(fw = parseDescriptor(path)))
            return NULL;
        g_ptr_array_add(fws, fw);
    }
    return g_steal_pointer(&fws);
}

static gboolean matchesMachine(const fwDesc *fw, const char *machine, const char *arch)
{
    for (size_t i = 0; i < fw->ntargets; i++) {
        if (g_strcmp0(fw->targets[i].arch, arch) != 0)
            continue;
        for (char **p = fw->targets[i].machines; *p; p++) {
            if (machine && g_pattern_match_simple(*p, machine))
                return TRUE;
        }
    }
    return FALSE;
}

/* Whether FW meets what DEF asks for, in libvirt's order of questions. */
static gboolean matchesDomain(const vkDomainDef *def, const fwDesc *fw)
{
    const int *want = def->os.firmwareFeatures;
    unsigned int iface = def->os.firmware == VK_DOMAIN_OS_FIRMWARE_BIOS ? FW_IF_BIOS : FW_IF_UEFI;
    gboolean secureBoot = (fw->features & FW_FEAT_SECURE_BOOT) != 0;
    gboolean enrolled = (fw->features & FW_FEAT_ENROLLED_KEYS) != 0;

    if (!def->os.firmware &&
        (fw->device != FW_DEVICE_FLASH || g_strcmp0(def->os.loader.path, fw->executable) != 0))
        return FALSE;
    if (!(fw->interfaces & iface) || !matchesMachine(fw, def->os.machine, def->os.arch))
        return FALSE;
    if (def->pmS3 == VK_DOMAIN_TRISTATE_YES && !(fw->features & FW_FEAT_ACPI_S3))
        return FALSE;
    if (def->pmS4 == VK_DOMAIN_TRISTATE_YES && !(fw->features & FW_FEAT_ACPI_S4))
        return FALSE;
    if (want[VK_DOMAIN_OS_FIRMWARE_FEATURE_SECURE_BOOT] &&
        (want[VK_DOMAIN_OS_FIRMWARE_FEATURE_SECURE_BOOT] == VK_DOMAIN_TRISTATE_YES) != secureBoot)
        return FALSE;
    if (want[VK_DOMAIN_OS_FIRMWARE_FEATURE_ENROLLED_KEYS] &&
        (want[VK_DOMAIN_OS_FIRMWARE_FEATURE_ENROLLED_KEYS] == VK_DOMAIN_TRISTATE_YES) != enrolled)
        return FALSE;
    if (def->os.loader.secure == VK_DOMAIN_TRISTATE_YES && !(fw->features & FW_FEAT_REQUIRES_SMM))
        return FALSE;
    /* No stateless loaders here: a flash firmware must keep its variables apart. */
    if (fw->device == FW_DEVICE_FLASH && fw->mode != FW_MODE_SPLIT)
        return FALSE;
    return TRUE;
}

char *vkQemuFirmwareNVRAMPath(const char *libDir, const vkDomainDef *def)
{
    g_autofree char *file = g_strdup_printf("%s_VARS.fd", def->name);

    return g_build_filename(libDir, "nvram", file, NULL);
}

static gboolean hasOldStyleUEFI(const vkDomainDef *def)
{
    return def->os.loader.path && def->os.loader.readonly == VK_DOMAIN_TRISTATE_YES &&
           def->os.loader.type == VK_DOMAIN_LOADER_TYPE_PFLASH;
}

void vkQemuFirmwareFillNVRAMPath(const char *libDir, vkDomainDef *def)
{
    if (hasOldStyleUEFI(def) && !def->os.nvram)
        def->os.nvram = vkQemuFirmwareNVRAMPath(libDir, def);
}

/* Makes DEF use FW, as libvirt's live XML then shows it. */
static int applyDescriptor(const char *libDir, vkDomainDef *def, const fwDesc *fw)
{
    switch (fw->device) {
    case FW_DEVICE_FLASH:
        if (g_strcmp0(fw->executableFormat, "raw") != 0) {
            vkReportError(FW_ERR, VIR_ERR_OPERATION_UNSUPPORTED, "unsupported flash format '%s'",
                          fw->executableFormat ? fw->executableFormat : "");
            return -1;
        }
        def->os.loader.type = VK_DOMAIN_LOADER_TYPE_PFLASH;
        def->os.loader.readonly = VK_DOMAIN_TRISTATE_YES;
        g_free(def->os.loader.path);
        def->os.loader.path = g_strdup(fw->executable);
        if (g_strcmp0(fw->nvramTemplateFormat, "raw") != 0) {
            vkReportError(FW_ERR, VIR_ERR_OPERATION_UNSUPPORTED,
                          "unsupported nvram template format '%s'",
                          fw->nvramTemplateFormat ? fw->nvramTemplateFormat : "");
            return -1;
        }
        g_free(def->os.nvramTemplate);
        def->os.nvramTemplate = g_strdup(fw->nvramTemplate);
        if (!def->os.nvram)
            def->os.nvram = vkQemuFirmwareNVRAMPath(libDir, def);
        break;
    case FW_DEVICE_MEMORY:
        def->os.loader.type = VK_DOMAIN_LOADER_TYPE_ROM;
        g_free(def->os.loader.path);
        def->os.loader.path = g_strdup(fw->executable);
        break;
    case FW_DEVICE_KERNEL:
        g_free(def->os.kernel);
        def->os.kernel = g_strdup(fw->executable);
        break;
    case FW_DEVICE_NONE:
        break;
    }
    if (fw->features & FW_FEAT_REQUIRES_SMM) {
        if (def->smm == VK_DOMAIN_TRISTATE_NO) {
            vkReportError(FW_ERR, VIR_ERR_OPERATION_INVALID, "%s",
                          "domain has SMM turned off but chosen firmware requires it");
            return -1;
        }
        def->smm = VK_DOMAIN_TRISTATE_YES;
        def->os.loader.secure = VK_DOMAIN_TRISTATE_YES;
    }
    return 0;
}

/* The guest's variable store, from its template when it has none yet. */
static int prepareNVRAM(const vkDomainDef *def, gboolean reset)
{
    g_autofree char *dir = NULL;
    g_autofree char *data = NULL;
    g_autoptr(GError) err = NULL;
    gsize len;

    if (!def->os.nvram || (!reset && g_file_test(def->os.nvram, G_FILE_TEST_EXISTS)))
        return 0;
    if (!def->os.nvramTemplate) {
        vkReportError(FW_ERR, VIR_ERR_OPERATION_FAILED,
                      "unable to find any master var store for loader: %s",
                      def->os.loader.path ? def->os.loader.path : "");
        return -1;
    }
    if (!g_file_get_contents(def->os.nvramTemplate, &data, &len, &err)) {
        vkReportError(FW_ERR, VIR_ERR_SYSTEM_ERROR, "Failed to open file '%s': %s",
                      def->os.nvramTemplate, err->message);
        return -1;
    }
    dir = g_path_get_dirname(def->os.nvram);
    if (vkFileMakePath(dir, 0755) < 0)
        return -1;
    return vkFileWriteAtomic(def->os.nvram, data, len, 0600);
}

int vkQemuFirmwarePrepare(const char *libDir, vkDomainDef *def, gboolean resetNvram)
{
    g_autoptr(GPtrArray) fws = NULL;
    const fwDesc *theOne = NULL;

    if (!def->os.firmware &&
        (!hasOldStyleUEFI(def) || def->os.nvramTemplate ||
         (!resetNvram && def->os.nvram && g_file_test(def->os.nvram, G_FILE_TEST_EXISTS))))
        return prepareNVRAM(def, resetNvram);
    if (!(fws = loadDescriptors()))
        return -1;
    for (guint i = 0; i < fws->len && !theOne; i++) {
        if (matchesDomain(def, g_ptr_array_index(fws, i)))
            theOne = g_ptr_array_index(fws, i);
    }
    if (!theOne && def->os.firmware) {
        vkReportError(FW_ERR, VIR_ERR_OPERATION_FAILED,
                      "Unable to find any firmware to satisfy '%s'",
                      vkDomainOSFirmwareTypeToString(def->os.firmware));
        return -1;
    }
    if (theOne) {
        if (applyDescriptor(libDir, def, theOne) < 0)
            return -1;
        def->os.firmware = VK_DOMAIN_OS_FIRMWARE_NONE;
    }
    return prepareNVRAM(def, resetNvram);
}

gboolean vkQemuFirmwareGetSupported(const char *machine, const char *arch, unsigned int *firmwares,
                                    gboolean *secure, char ***loaders)
{
    g_autoptr(GPtrArray) fws = loadDescriptors();
    g_autoptr(GPtrArray) paths = g_ptr_array_new_with_free_func(g_free);

    *firmwares = 0;
    *secure = FALSE;
    *loaders = NULL;
    if (!fws) {
        /* A broken descriptor leaves autoselection unusable: nothing to offer. */
        vkResetLastError();
        return FALSE;
    }
    if (fws->len == 0)
        return FALSE;
    for (guint i = 0; i < fws->len; i++) {
        const fwDesc *fw = g_ptr_array_index(fws, i);
        gboolean seen = FALSE;

        if (!matchesMachine(fw, machine, arch))
            continue;
        if (fw->interfaces & FW_IF_BIOS)
            *firmwares |= 1u << VK_DOMAIN_OS_FIRMWARE_BIOS;
        if (fw->interfaces & FW_IF_UEFI)
            *firmwares |= 1u << VK_DOMAIN_OS_FIRMWARE_EFI;
        if (fw->features & FW_FEAT_REQUIRES_SMM)
            *secure = TRUE;
        if (fw->device == FW_DEVICE_KERNEL || !fw->executable ||
            !g_file_test(fw->executable, G_FILE_TEST_EXISTS))
            continue;
        for (guint j = 0; j < paths->len && !seen; j++)
            seen = g_str_equal(g_ptr_array_index(paths, j), fw->executable);
        if (!seen)
            g_ptr_array_add(paths, g_strdup(fw->executable));
    }
    g_ptr_array_add(paths, NULL);
    *loaders = (char **)g_ptr_array_free(g_steal_pointer(&paths), FALSE);
    return TRUE;
}

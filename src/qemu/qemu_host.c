/* Host facts for the qemu driver: the capabilities document (built from the probed binary),
 * node information from the kernel, and per-process CPU time. */
#include <errno.h>
#include <string.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "qemu_host.h"
#include "util/vkerror.h"
#include "util/vkfile.h"
#include "util/vkxml.h"

static void formatGuest(vkBuf *buf, const vkQEMUCaps *caps, const char *arch)
{
    const char *const *machines = vkQEMUCapsGetMachineNames(caps);
    const char *defaultMachine = vkQEMUCapsGetDefaultMachine(caps);

    vkBufAddf(buf, "<guest>\n");
    vkBufAdjustIndent(buf, 2);
    vkBufAddf(buf, "<os_type>hvm</os_type>\n");
    vkBufAddf(buf, "<arch name='%s'>\n", arch);
    vkBufAdjustIndent(buf, 2);
    vkBufAddf(buf, "<wordsize>64</wordsize>\n");
    vkBufEscapef(buf, "<emulator>%s</emulator>\n", vkQEMUCapsGetBinary(caps));
    /* The default machine first, as libvirt lists it; aliases point at their machine. */
    for (int pass = 0; pass < 2; pass++) {
        for (const char *const *m = machines; m && *m; m++) {
            gboolean isDefault = g_strcmp0(*m, defaultMachine) == 0;
            const char *alias = vkQEMUCapsGetMachineAlias(caps, *m);
            unsigned int maxCpus = vkQEMUCapsGetMachineMaxCpus(caps, *m);

            if (isDefault != (pass == 0))
                continue;
            vkBufAddf(buf, "<machine maxCpus='%u'>%s</machine>\n", maxCpus, *m);
            if (alias)
                vkBufAddf(buf, "<machine canonical='%s' maxCpus='%u'>%s</machine>\n", *m, maxCpus,
                          alias);
        }
    }
    vkBufAddf(buf, "<domain type='qemu'/>\n");
    if (vkQEMUCapsHasKVM(caps))
        vkBufAddf(buf, "<domain type='kvm'/>\n");
    vkBufAdjustIndent(buf, -2);
    vkBufAddf(buf, "</arch>\n");
    vkBufAdjustIndent(buf, -2);
    vkBufAddf(buf, "</guest>\n");
}

char *vkQemuHostCapabilitiesFormat(const vkQEMUCaps *caps)
{
    vkBuf buf;
    struct utsname uts;
    const char *arch = uname(&uts) == 0 ? uts.machine : "x86_64";

    vkBufInit(&buf);
    vkBufAddf(&buf, "<capabilities>\n\n");
    vkBufAdjustIndent(&buf, 2);
    vkBufAddf(&buf, "<host>\n");
    vkBufAdjustIndent(&buf, 2);
    vkBufAddf(&buf, "<cpu>\n");
    vkBufEscapef(&buf, "  <arch>%s</arch>\n", arch);
    vkBufAddf(&buf, "</cpu>\n");
    vkBufAddf(&buf, "<secmodel>\n");
    vkBufAddf(&buf, "  <model>none</model>\n");
    vkBufAddf(&buf, "  <doi>0</doi>\n");
    vkBufAddf(&buf, "</secmodel>\n");
    vkBufAdjustIndent(&buf, -2);
    vkBufAddf(&buf, "</host>\n\n");
    formatGuest(&buf, caps, "x86_64");
    vkBufAdjustIndent(&buf, -2);
    vkBufAddf(&buf, "\n</capabilities>\n");
    return vkBufFinish(&buf);
}

/* "cpu MHz : 2894.560" from /proc/cpuinfo; 0 when the kernel does not say. */
static unsigned int cpuMHz(void)
{
    g_autofree char *text = NULL;
    g_auto(GStrv) lines = NULL;

    if (vkFileReadIfExists("/proc/cpuinfo", &text, NULL) < 0 || !text) {
        vkResetLastError();
        return 0;
    }
    lines = g_strsplit(text, "\n", -1);
    for (char **l = lines; *l; l++) {
        const char *colon = strchr(*l, ':');
        if (g_str_has_prefix(*l, "cpu MHz") && colon)
            return (unsigned int)g_ascii_strtod(colon + 1, NULL);
    }
    return 0;
}

int vkQemuHostNodeInfo(virNodeInfoPtr info)
{
    struct utsname uts;
    long cpus = sysconf(_SC_NPROCESSORS_ONLN);
    long pages = sysconf(_SC_PHYS_PAGES);
    long pageSize = sysconf(_SC_PAGESIZE);

    memset(info, 0, sizeof(*info));
    if (cpus <= 0 || pages <= 0 || pageSize <= 0) {
        vkReportSystemError(VIR_FROM_QEMU, errno, "%s", "cannot read the host's CPUs and memory");
        return -1;
    }
    g_strlcpy(info->model, uname(&uts) == 0 ? uts.machine : "x86_64", sizeof(info->model));
    info->memory = (unsigned long)((unsigned long long)pages * pageSize / 1024);
    info->cpus = (unsigned int)cpus;
    info->mhz = cpuMHz();
    info->nodes = 1;
    info->sockets = 1;
    info->cores = (unsigned int)cpus;
    info->threads = 1;
    return 0;
}

int vkQemuHostProcessCPUTime(pid_t pid, unsigned long long *ns)
{
    g_autofree char *path = g_strdup_printf("/proc/%d/stat", (int)pid);
    g_autofree char *text = NULL;
    g_auto(GStrv) fields = NULL;
    const char *rest;
    long ticks = sysconf(_SC_CLK_TCK);

    *ns = 0;
    /* Gone meanwhile: no time to report, and no error either. */
    if (vkFileReadIfExists(path, &text, NULL) < 0 || !text) {
        vkResetLastError();
        return 0;
    }
    /* The command name may hold spaces and parentheses; the fields start after the last ')'. */
    if (!(rest = strrchr(text, ')')) || ticks <= 0)
        return 0;
    fields = g_strsplit(rest + 2, " ", -1);
    /* After the name: state is field 0, utime 11 and stime 12. */
    if (g_strv_length(fields) < 13)
        return 0;
    *ns = (g_ascii_strtoull(fields[11], NULL, 10) + g_ascii_strtoull(fields[12], NULL, 10)) *
          (1000000000ull / (unsigned long long)ticks);
    return 0;
}

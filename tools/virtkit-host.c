/* virtkit shell: host and hypervisor commands (uri, version, hostname, capabilities,
 * domcapabilities). */
#include "virtkit.h"

static bool vshCmdCapabilities(vshShell *sh, const vshCmd *cmd)
{
    g_autofree char *caps = virConnectGetCapabilities(vshShellConn(sh));

    if (!caps) {
        vshError(sh, "%s", "failed to get capabilities");
        return false;
    }
    vshPrint(sh, "%s\n", caps);
    return true;
}

static const vshOptDef vshOptsDomCapabilities[] = {
    { "virttype", VSH_OT_STRING, 0, "virtualization type (/domain/@type)" },
    { "emulatorbin", VSH_OT_STRING, 0, "path to emulator binary (/domain/devices/emulator)" },
    { "arch", VSH_OT_STRING, 0, "domain architecture (/domain/os/type/@arch)" },
    { "machine", VSH_OT_STRING, 0, "machine type (/domain/os/type/@machine)" },
    { NULL },
};

static bool vshCmdDomCapabilities(vshShell *sh, const vshCmd *cmd)
{
    g_autofree char *caps = NULL;
    const char *virttype = NULL, *emulatorbin = NULL, *arch = NULL, *machine = NULL;

    if (vshOptString(sh, cmd, "virttype", &virttype) < 0 ||
        vshOptString(sh, cmd, "emulatorbin", &emulatorbin) < 0 ||
        vshOptString(sh, cmd, "arch", &arch) < 0 || vshOptString(sh, cmd, "machine", &machine) < 0)
        return false;
    caps =
        virConnectGetDomainCapabilities(vshShellConn(sh), emulatorbin, arch, machine, virttype, 0);
    if (!caps) {
        vshError(sh, "%s", "failed to get emulator capabilities");
        return false;
    }
    vshPrint(sh, "%s\n", caps);
    return true;
}

static bool vshCmdHostname(vshShell *sh, const vshCmd *cmd)
{
    g_autofree char *hostname = virConnectGetHostname(vshShellConn(sh));

    if (!hostname) {
        vshError(sh, "%s", "failed to get hostname");
        return false;
    }
    vshPrint(sh, "%s\n", hostname);
    return true;
}

static bool vshCmdURI(vshShell *sh, const vshCmd *cmd)
{
    g_autofree char *uri = virConnectGetURI(vshShellConn(sh));

    if (!uri) {
        vshError(sh, "%s", "failed to get URI");
        return false;
    }
    vshPrint(sh, "%s\n", uri);
    return true;
}

/* Versions travel as major * 1000000 + minor * 1000 + micro. */
static char *vshVersionString(unsigned long version)
{
    return g_strdup_printf("%lu.%lu.%lu", version / 1000000, version / 1000 % 1000, version % 1000);
}

static const vshOptDef vshOptsVersion[] = {
    { "daemon", VSH_OT_BOOL, 0, "report daemon version too" },
    { NULL },
};

static bool vshCmdVersion(vshShell *sh, const vshCmd *cmd)
{
    const char *type = virConnectGetType(vshShellConn(sh));
    g_autofree char *compiled = NULL;
    g_autofree char *libstr = NULL;
    g_autofree char *apistr = NULL;
    g_autofree char *hvstr = NULL;
    unsigned long lib = 0;
    unsigned long api = 0;
    unsigned long hv = 0;
    unsigned long daemon = 0;

    if (!type) {
        vshError(sh, "%s", "failed to get hypervisor type");
        return false;
    }
#ifdef LIBVIR_VERSION_NUMBER
    compiled = vshVersionString(LIBVIR_VERSION_NUMBER);
#else
    if (virGetVersion(&lib, NULL, NULL) == 0)
        compiled = vshVersionString(lib);
#endif
    if (compiled)
        vshPrint(sh, "Compiled against library: libvirt %s\n", compiled);

    if (virGetVersion(&lib, type, &api) < 0) {
        vshError(sh, "%s", "failed to get the library version");
        return false;
    }
    libstr = vshVersionString(lib);
    apistr = vshVersionString(api);
    vshPrint(sh, "Using library: libvirt %s\n", libstr);
    vshPrint(sh, "Using API: %s %s\n", type, apistr);

    if (virConnectGetVersion(vshShellConn(sh), &hv) < 0) {
        vshError(sh, "%s", "failed to get the hypervisor version");
        return false;
    }
    hvstr = vshVersionString(hv);
    if (hv == 0)
        vshPrint(sh, "Cannot extract running %s hypervisor version\n", type);
    else
        vshPrint(sh, "Running hypervisor: %s %s\n", type, hvstr);

    if (vshOptBool(cmd, "daemon")) {
        if (virConnectGetLibVersion(vshShellConn(sh), &daemon) < 0) {
            vshError(sh, "%s", "failed to get the daemon version");
        } else {
            g_autofree char *dstr = vshVersionString(daemon);

            vshPrint(sh, "Running against daemon: %s\n", dstr);
        }
    }
    return true;
}

const vshCmdDef vshHostCmds[] = {
    { "capabilities", vshCmdCapabilities, NULL, "capabilities",
      "Returns capabilities of hypervisor/driver.", 0 },
    { "domcapabilities", vshCmdDomCapabilities, vshOptsDomCapabilities, "domain capabilities",
      "Returns capabilities of emulator with respect to host and libvirt.", 0 },
    { "hostname", vshCmdHostname, NULL, "print the hypervisor hostname", "", 0 },
    { "uri", vshCmdURI, NULL, "print the hypervisor canonical URI", "", 0 },
    { "version", vshCmdVersion, vshOptsVersion, "show version",
      "Display the system version information.", 0 },
    { NULL },
};

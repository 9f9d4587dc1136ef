/* virtkit shell: host and hypervisor commands (uri, version, hostname, capabilities). */
#include "virtkit.h"

static bool vkCmdCapabilities(vkShell *sh, const vkCmd *cmd)
{
    g_autofree char *caps = virConnectGetCapabilities(vkShellConn(sh));

    if (!caps) {
        vkError(sh, "%s", "failed to get capabilities");
        return false;
    }
    vkPrint(sh, "%s\n", caps);
    return true;
}

static bool vkCmdHostname(vkShell *sh, const vkCmd *cmd)
{
    g_autofree char *hostname = virConnectGetHostname(vkShellConn(sh));

    if (!hostname) {
        vkError(sh, "%s", "failed to get hostname");
        return false;
    }
    vkPrint(sh, "%s\n", hostname);
    return true;
}

static bool vkCmdURI(vkShell *sh, const vkCmd *cmd)
{
    g_autofree char *uri = virConnectGetURI(vkShellConn(sh));

    if (!uri) {
        vkError(sh, "%s", "failed to get URI");
        return false;
    }
    vkPrint(sh, "%s\n", uri);
    return true;
}

/* Versions travel as major * 1000000 + minor * 1000 + micro. */
static char *vkVersionString(unsigned long version)
{
    return g_strdup_printf("%lu.%lu.%lu", version / 1000000, version / 1000 % 1000, version % 1000);
}

static const vkOptDef vkOptsVersion[] = {
    { "daemon", VK_OT_BOOL, 0, "report daemon version too" },
    { NULL },
};

static bool vkCmdVersion(vkShell *sh, const vkCmd *cmd)
{
    const char *type = virConnectGetType(vkShellConn(sh));
    g_autofree char *compiled = NULL;
    g_autofree char *libstr = NULL;
    g_autofree char *apistr = NULL;
    g_autofree char *hvstr = NULL;
    unsigned long lib = 0;
    unsigned long api = 0;
    unsigned long hv = 0;
    unsigned long daemon = 0;

    if (!type) {
        vkError(sh, "%s", "failed to get hypervisor type");
        return false;
    }
#ifdef LIBVIR_VERSION_NUMBER
    compiled = vkVersionString(LIBVIR_VERSION_NUMBER);
#else
    if (virGetVersion(&lib, NULL, NULL) == 0)
        compiled = vkVersionString(lib);
#endif
    if (compiled)
        vkPrint(sh, "Compiled against library: libvirt %s\n", compiled);

    if (virGetVersion(&lib, type, &api) < 0) {
        vkError(sh, "%s", "failed to get the library version");
        return false;
    }
    libstr = vkVersionString(lib);
    apistr = vkVersionString(api);
    vkPrint(sh, "Using library: libvirt %s\n", libstr);
    vkPrint(sh, "Using API: %s %s\n", type, apistr);

    if (virConnectGetVersion(vkShellConn(sh), &hv) < 0) {
        vkError(sh, "%s", "failed to get the hypervisor version");
        return false;
    }
    hvstr = vkVersionString(hv);
    if (hv == 0)
        vkPrint(sh, "Cannot extract running %s hypervisor version\n", type);
    else
        vkPrint(sh, "Running hypervisor: %s %s\n", type, hvstr);

    if (vkOptBool(cmd, "daemon")) {
        if (virConnectGetLibVersion(vkShellConn(sh), &daemon) < 0) {
            vkError(sh, "%s", "failed to get the daemon version");
        } else {
            g_autofree char *dstr = vkVersionString(daemon);

            vkPrint(sh, "Running against daemon: %s\n", dstr);
        }
    }
    return true;
}

const vkCmdDef vkHostCmds[] = {
    { "capabilities", vkCmdCapabilities, NULL, "capabilities",
      "Returns capabilities of hypervisor/driver.", 0 },
    { "hostname", vkCmdHostname, NULL, "print the hypervisor hostname", "", 0 },
    { "uri", vkCmdURI, NULL, "print the hypervisor canonical URI", "", 0 },
    { "version", vkCmdVersion, vkOptsVersion, "show version",
      "Display the system version information.", 0 },
    { NULL },
};

/* Thread-local last error, the libvirt-compatible message texts and the handler dispatch. */
#include "vkerror.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

typedef struct {
    const char *bare;       /* shown when there is no detail */
    const char *withDetail; /* printf format with one %s for the detail */
} vkErrorText;

/* libvirt's wording for every code, so that users grepping for a message find ours too. */
static const vkErrorText errorTexts[] = {
    [VIR_ERR_INTERNAL_ERROR] = { "internal error", "internal error: %s" },
    [VIR_ERR_NO_MEMORY] = { "out of memory", "out of memory: %s" },
    [VIR_ERR_NO_SUPPORT] = { "this function is not supported by the connection driver",
                             "this function is not supported by the connection driver: %s" },
    [VIR_ERR_UNKNOWN_HOST] = { "unknown host", "unknown host %s" },
    [VIR_ERR_NO_CONNECT] = { "no connection driver available",
                             "no connection driver available for %s" },
    [VIR_ERR_INVALID_CONN] = { "invalid connection pointer in",
                               "invalid connection pointer in %s" },
    [VIR_ERR_INVALID_DOMAIN] = { "invalid domain pointer in", "invalid domain pointer in %s" },
    [VIR_ERR_INVALID_ARG] = { "invalid argument", "invalid argument: %s" },
    [VIR_ERR_OPERATION_FAILED] = { "operation failed", "operation failed: %s" },
    [VIR_ERR_GET_FAILED] = { "GET operation failed", "GET operation failed: %s" },
    [VIR_ERR_POST_FAILED] = { "POST operation failed", "POST operation failed: %s" },
    [VIR_ERR_HTTP_ERROR] = { "got unknown HTTP error code", "got unknown HTTP error code %s" },
    [VIR_ERR_SEXPR_SERIAL] = { "failed to serialize S-Expr", "failed to serialize S-Expr: %s" },
    [VIR_ERR_NO_XEN] = { "could not use Xen hypervisor entry",
                         "could not use Xen hypervisor entry %s" },
    [VIR_ERR_XEN_CALL] = { "failed Xen syscall", "failed Xen syscall %s" },
    [VIR_ERR_OS_TYPE] = { "unknown OS type", "unknown OS type %s" },
    [VIR_ERR_NO_KERNEL] = { "missing kernel information", "missing kernel information: %s" },
    [VIR_ERR_NO_ROOT] = { "missing root device information",
                          "missing root device information in %s" },
    [VIR_ERR_NO_SOURCE] = { "missing source information for device",
                            "missing source information for device %s" },
    [VIR_ERR_NO_TARGET] = { "missing target information for device",
                            "missing target information for device %s" },
    [VIR_ERR_NO_NAME] = { "missing name information", "missing name information in %s" },
    [VIR_ERR_NO_OS] = { "missing operating system information",
                        "missing operating system information for %s" },
    [VIR_ERR_NO_DEVICE] = { "missing devices information", "missing devices information for %s" },
    [VIR_ERR_NO_XENSTORE] = { "could not connect to Xen Store",
                              "could not connect to Xen Store %s" },
    [VIR_ERR_DRIVER_FULL] = { "too many drivers registered", "too many drivers registered in %s" },
    [VIR_ERR_CALL_FAILED] = { "library call failed", "library call failed: %s" },
    [VIR_ERR_XML_ERROR] = { "XML description is invalid or not well formed", "XML error: %s" },
    [VIR_ERR_DOM_EXIST] = { "this domain exists already", "domain %s exists already" },
    [VIR_ERR_OPERATION_DENIED] = { "operation forbidden for read only access",
                                   "operation forbidden: %s" },
    [VIR_ERR_OPEN_FAILED] = { "failed to open configuration file",
                              "failed to open configuration file %s" },
    [VIR_ERR_READ_FAILED] = { "failed to read configuration file",
                              "failed to read configuration file %s" },
    [VIR_ERR_PARSE_FAILED] = { "failed to parse configuration file",
                               "failed to parse configuration file %s" },
    [VIR_ERR_CONF_SYNTAX] = { "configuration file syntax error",
                              "configuration file syntax error: %s" },
    [VIR_ERR_WRITE_FAILED] = { "failed to write configuration file",
                               "failed to write configuration file: %s" },
    [VIR_ERR_XML_DETAIL] = { "parser error", "%s" },
    [VIR_ERR_INVALID_NETWORK] = { "invalid network pointer in", "invalid network pointer in %s" },
    [VIR_ERR_NETWORK_EXIST] = { "this network exists already", "network %s exists already" },
    [VIR_ERR_SYSTEM_ERROR] = { "system call error", "%s" },
    [VIR_ERR_RPC] = { "RPC error", "%s" },
    [VIR_ERR_GNUTLS_ERROR] = { "GNUTLS call error", "%s" },
    [VIR_WAR_NO_NETWORK] = { "Failed to find the network", "Failed to find the network: %s" },
    [VIR_ERR_NO_DOMAIN] = { "Domain not found", "Domain not found: %s" },
    [VIR_ERR_NO_NETWORK] = { "Network not found", "Network not found: %s" },
    [VIR_ERR_INVALID_MAC] = { "invalid MAC address", "invalid MAC address: %s" },
    [VIR_ERR_AUTH_FAILED] = { "authentication failed", "authentication failed: %s" },
    [VIR_ERR_INVALID_STORAGE_POOL] = { "invalid storage pool pointer in",
                                       "invalid storage pool pointer in %s" },
    [VIR_ERR_INVALID_STORAGE_VOL] = { "invalid storage volume pointer in",
                                      "invalid storage volume pointer in %s" },
    [VIR_WAR_NO_STORAGE] = { "Failed to find a storage driver",
                             "Failed to find a storage driver: %s" },
    [VIR_ERR_NO_STORAGE_POOL] = { "Storage pool not found", "Storage pool not found: %s" },
    [VIR_ERR_NO_STORAGE_VOL] = { "Storage volume not found", "Storage volume not found: %s" },
    [VIR_WAR_NO_NODE] = { "Failed to find a node driver", "Failed to find a node driver: %s" },
    [VIR_ERR_INVALID_NODE_DEVICE] = { "invalid node device pointer",
                                      "invalid node device pointer in %s" },
    [VIR_ERR_NO_NODE_DEVICE] = { "Node device not found", "Node device not found: %s" },
    [VIR_ERR_NO_SECURITY_MODEL] = { "Security model not found", "Security model not found: %s" },
    [VIR_ERR_OPERATION_INVALID] = { "Requested operation is not valid",
                                    "Requested operation is not valid: %s" },
    [VIR_WAR_NO_INTERFACE] = { "Failed to find the interface", "Failed to find the interface: %s" },
    [VIR_ERR_NO_INTERFACE] = { "Interface not found", "Interface not found: %s" },
    [VIR_ERR_INVALID_INTERFACE] = { "invalid interface pointer in",
                                    "invalid interface pointer in %s" },
    [VIR_ERR_MULTIPLE_INTERFACES] = { "multiple matching interfaces found",
                                      "multiple matching interfaces found: %s" },
    [VIR_WAR_NO_NWFILTER] = { "Failed to start the nwfilter driver",
                              "Failed to start the nwfilter driver: %s" },
    [VIR_ERR_INVALID_NWFILTER] = { "Invalid network filter", "Invalid network filter: %s" },
    [VIR_ERR_NO_NWFILTER] = { "Network filter not found", "Network filter not found: %s" },
    [VIR_ERR_BUILD_FIREWALL] = { "Error while building firewall",
                                 "Error while building firewall: %s" },
    [VIR_WAR_NO_SECRET] = { "Failed to find a secret storage driver",
                            "Failed to find a secret storage driver: %s" },
    [VIR_ERR_INVALID_SECRET] = { "Invalid secret", "Invalid secret: %s" },
    [VIR_ERR_NO_SECRET] = { "Secret not found", "Secret not found: %s" },
    [VIR_ERR_CONFIG_UNSUPPORTED] = { "unsupported configuration", "unsupported configuration: %s" },
    [VIR_ERR_OPERATION_TIMEOUT] = { "Timed out during operation",
                                    "Timed out during operation: %s" },
    [VIR_ERR_MIGRATE_PERSIST_FAILED] = { "Failed to make domain persistent after migration",
                                         "Failed to make domain persistent after migration: %s" },
    [VIR_ERR_HOOK_SCRIPT_FAILED] = { "Hook script execution failed",
                                     "Hook script execution failed: %s" },
    [VIR_ERR_INVALID_DOMAIN_SNAPSHOT] = { "Invalid domain snapshot",
                                          "Invalid domain snapshot: %s" },
    [VIR_ERR_NO_DOMAIN_SNAPSHOT] = { "Domain snapshot not found", "Domain snapshot not found: %s" },
    [VIR_ERR_INVALID_STREAM] = { "invalid stream pointer", "invalid stream pointer in %s" },
    [VIR_ERR_ARGUMENT_UNSUPPORTED] = { "argument unsupported", "argument unsupported: %s" },
    [VIR_ERR_STORAGE_PROBE_FAILED] = { "Storage pool probe failed",
                                       "Storage pool probe failed: %s" },
    [VIR_ERR_STORAGE_POOL_BUILT] = { "Storage pool already built",
                                     "Storage pool already built: %s" },
    [VIR_ERR_SNAPSHOT_REVERT_RISKY] = { "revert requires force", "revert requires force: %s" },
    [VIR_ERR_OPERATION_ABORTED] = { "operation aborted", "operation aborted: %s" },
    [VIR_ERR_AUTH_CANCELLED] = { "authentication cancelled", "authentication cancelled: %s" },
    [VIR_ERR_NO_DOMAIN_METADATA] = { "metadata not found", "metadata not found: %s" },
    [VIR_ERR_MIGRATE_UNSAFE] = { "Unsafe migration", "Unsafe migration: %s" },
    [VIR_ERR_OVERFLOW] = { "numerical overflow", "numerical overflow: %s" },
    [VIR_ERR_BLOCK_COPY_ACTIVE] = { "block copy still active", "block copy still active: %s" },
    [VIR_ERR_OPERATION_UNSUPPORTED] = { "Operation not supported", "Operation not supported: %s" },
    [VIR_ERR_SSH] = { "SSH transport error", "SSH transport error: %s" },
    [VIR_ERR_AGENT_UNRESPONSIVE] = { "Guest agent is not responding",
                                     "Guest agent is not responding: %s" },
    [VIR_ERR_RESOURCE_BUSY] = { "resource busy", "resource busy: %s" },
    [VIR_ERR_ACCESS_DENIED] = { "access denied", "access denied: %s" },
    [VIR_ERR_DBUS_SERVICE] = { "error from service", "error from service: %s" },
    [VIR_ERR_STORAGE_VOL_EXIST] = { "this storage volume exists already",
                                    "storage volume %s exists already" },
    [VIR_ERR_CPU_INCOMPATIBLE] = { "the CPU is incompatible with host CPU",
                                   "the CPU is incompatible with host CPU: %s" },
    [VIR_ERR_XML_INVALID_SCHEMA] = { "XML document failed to validate against schema",
                                     "XML document failed to validate against schema: %s" },
    [VIR_ERR_MIGRATE_FINISH_OK] = { "migration successfully aborted",
                                    "migration successfully aborted: %s" },
    [VIR_ERR_AUTH_UNAVAILABLE] = { "authentication unavailable", "authentication unavailable: %s" },
    [VIR_ERR_NO_SERVER] = { "Server not found", "Server not found: %s" },
    [VIR_ERR_NO_CLIENT] = { "Client not found", "Client not found: %s" },
    [VIR_ERR_AGENT_UNSYNCED] = { "guest agent replied with wrong id to guest-sync command",
                                 "guest agent replied with wrong id to guest-sync command: %s" },
    [VIR_ERR_LIBSSH] = { "libssh transport error", "libssh transport error: %s" },
    [VIR_ERR_DEVICE_MISSING] = { "device not found", "device not found: %s" },
    [VIR_ERR_INVALID_NWFILTER_BINDING] = { "Invalid network filter binding",
                                           "Invalid network filter binding: %s" },
    [VIR_ERR_NO_NWFILTER_BINDING] = { "Network filter binding not found",
                                      "Network filter binding not found: %s" },
    [VIR_ERR_INVALID_DOMAIN_CHECKPOINT] = { "Invalid domain checkpoint",
                                            "Invalid domain checkpoint: %s" },
    [VIR_ERR_NO_DOMAIN_CHECKPOINT] = { "Domain checkpoint not found",
                                       "Domain checkpoint not found: %s" },
    [VIR_ERR_NO_DOMAIN_BACKUP] = { "Domain backup job id not found",
                                   "Domain backup job id not found: %s" },
    [VIR_ERR_INVALID_NETWORK_PORT] = { "Invalid network port pointer",
                                       "Invalid network port pointer: %s" },
    [VIR_ERR_NETWORK_PORT_EXIST] = { "this network port exists already",
                                     "network port %s exists already" },
    [VIR_ERR_NO_NETWORK_PORT] = { "network port not found", "network port not found: %s" },
    [VIR_ERR_NO_HOSTNAME] = { "no hostname found", "no hostname found: %s" },
    [VIR_ERR_CHECKPOINT_INCONSISTENT] = { "checkpoint inconsistent",
                                          "checkpoint inconsistent: %s" },
    [VIR_ERR_MULTIPLE_DOMAINS] = { "multiple matching domains found",
                                   "multiple matching domains found: %s" },
};

/* libvirt's labels for the error domains, used by the default stderr printer. */
static const char *const errorDomainNames[] = {
    [VIR_FROM_NONE] = "",
    [VIR_FROM_XEN] = "Xen Driver",
    [VIR_FROM_XEND] = "Xen Daemon",
    [VIR_FROM_XENSTORE] = "Xen Store",
    [VIR_FROM_SEXPR] = "S-Expression",
    [VIR_FROM_XML] = "XML Util",
    [VIR_FROM_DOM] = "Domain",
    [VIR_FROM_RPC] = "XML-RPC",
    [VIR_FROM_PROXY] = "Proxy Daemon",
    [VIR_FROM_CONF] = "Config File",
    [VIR_FROM_QEMU] = "QEMU Driver",
    [VIR_FROM_NET] = "Network",
    [VIR_FROM_TEST] = "Test Driver",
    [VIR_FROM_REMOTE] = "Remote Driver",
    [VIR_FROM_OPENVZ] = "OpenVZ Driver",
    [VIR_FROM_XENXM] = "Xen XM Driver",
    [VIR_FROM_STATS_LINUX] = "Linux Statistics",
    [VIR_FROM_LXC] = "LXC Driver",
    [VIR_FROM_STORAGE] = "Storage Driver",
    [VIR_FROM_NETWORK] = "Network Driver",
    [VIR_FROM_DOMAIN] = "Domain Config",
    [VIR_FROM_UML] = "User Mode Linux Driver",
    [VIR_FROM_NODEDEV] = "Node Device Driver",
    [VIR_FROM_XEN_INOTIFY] = "Xen Inotify Driver",
    [VIR_FROM_SECURITY] = "Security Driver",
    [VIR_FROM_VBOX] = "VirtualBox Driver",
    [VIR_FROM_INTERFACE] = "Network Interface Driver",
    [VIR_FROM_ONE] = "Open Nebula Driver",
    [VIR_FROM_ESX] = "ESX Driver",
    [VIR_FROM_PHYP] = "Power Hypervisor Driver",
    [VIR_FROM_SECRET] = "Secrets Driver",
    [VIR_FROM_CPU] = "CPU Driver",
    [VIR_FROM_XENAPI] = "XenAPI Driver",
    [VIR_FROM_NWFILTER] = "Network Filter Driver",
    [VIR_FROM_HOOK] = "Lifecycle Hook",
    [VIR_FROM_DOMAIN_SNAPSHOT] = "Domain Snapshot",
    [VIR_FROM_AUDIT] = "Audit Utils",
    [VIR_FROM_SYSINFO] = "Sysinfo Utils",
    [VIR_FROM_STREAMS] = "I/O Stream Utils",
    [VIR_FROM_VMWARE] = "VMware Driver",
    [VIR_FROM_EVENT] = "Event Loop",
    [VIR_FROM_LIBXL] = "Xen Light Driver",
    [VIR_FROM_LOCKING] = "Lock Driver",
    [VIR_FROM_HYPERV] = "Hyper-V Driver",
    [VIR_FROM_CAPABILITIES] = "Capabilities Utils",
    [VIR_FROM_URI] = "URI Utils",
    [VIR_FROM_AUTH] = "Authentication Utils",
    [VIR_FROM_DBUS] = "DBus Utils",
    [VIR_FROM_PARALLELS] = "Parallels Cloud Server",
    [VIR_FROM_DEVICE] = "Device Config",
    [VIR_FROM_SSH] = "SSH transport layer",
    [VIR_FROM_LOCKSPACE] = "Lock Space",
    [VIR_FROM_INITCTL] = "Init control",
    [VIR_FROM_IDENTITY] = "Identity",
    [VIR_FROM_CGROUP] = "Cgroup",
    [VIR_FROM_ACCESS] = "Access Manager",
    [VIR_FROM_SYSTEMD] = "Systemd",
    [VIR_FROM_BHYVE] = "Bhyve",
    [VIR_FROM_CRYPTO] = "Crypto",
    [VIR_FROM_FIREWALL] = "Firewall",
    [VIR_FROM_POLKIT] = "Polkit",
    [VIR_FROM_THREAD] = "Thread jobs",
    [VIR_FROM_ADMIN] = "Admin Interface",
    [VIR_FROM_LOGGING] = "Log Manager",
    [VIR_FROM_XENXL] = "Xen XL Config",
    [VIR_FROM_PERF] = "Perf",
    [VIR_FROM_LIBSSH] = "Libssh transport layer",
    [VIR_FROM_RESCTRL] = "Resource control",
    [VIR_FROM_FIREWALLD] = "FirewallD",
    [VIR_FROM_DOMAIN_CHECKPOINT] = "Domain Checkpoint",
    [VIR_FROM_TPM] = "TPM",
    [VIR_FROM_BPF] = "BPF",
    [VIR_FROM_CH] = "Cloud-Hypervisor Driver",
};

const char *vkErrorCodeFormat(int code, gboolean withDetail)
{
    if (code > 0 && (size_t)code < G_N_ELEMENTS(errorTexts) && errorTexts[code].bare)
        return withDetail ? errorTexts[code].withDetail : errorTexts[code].bare;
    return withDetail ? "%s" : "unknown error";
}

const char *vkErrorDomainName(int domain)
{
    if (domain >= 0 && (size_t)domain < G_N_ELEMENTS(errorDomainNames) && errorDomainNames[domain])
        return errorDomainNames[domain];
    return "Unknown";
}

static void clearError(virErrorPtr err)
{
    g_clear_pointer(&err->message, g_free);
    g_clear_pointer(&err->str1, g_free);
    g_clear_pointer(&err->str2, g_free);
    g_clear_pointer(&err->str3, g_free);
    memset(err, 0, sizeof(*err));
}

static void errorFree(gpointer data)
{
    virErrorPtr err = data;
    if (!err)
        return;
    clearError(err);
    g_free(err);
}

static GPrivate lastError = G_PRIVATE_INIT(errorFree);

static virErrorPtr threadError(void)
{
    virErrorPtr err = g_private_get(&lastError);
    if (!err) {
        err = g_new0(virError, 1);
        g_private_set(&lastError, err);
    }
    return err;
}

/* Takes ownership of message, str1 and str2. */
static void setError(int domain, int code, char *message, char *str1, char *str2, int int1)
{
    virErrorPtr err = threadError();
    clearError(err);
    err->domain = domain;
    err->code = code;
    err->level = VIR_ERR_ERROR;
    err->message = message;
    err->str1 = str1;
    err->str2 = str2;
    err->int1 = int1;
    err->int2 = -1;
}

void vkReportErrorRaw(int domain, int code, const char *message)
{
    setError(domain, code, g_strdup(message), g_strdup("%s"), g_strdup(message), -1);
}

static void reportV(int domain, int code, const char *fmt, va_list ap) G_GNUC_PRINTF(3, 0);

static void reportV(int domain, int code, const char *fmt, va_list ap)
{
    g_autofree char *detail = g_strdup_vprintf(fmt, ap);
    const char *format = vkErrorCodeFormat(code, *detail != '\0');
    char *message;

    if (*detail) {
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
        message = g_strdup_printf(format, detail);
#pragma GCC diagnostic pop
    } else {
        message = g_strdup(format);
        g_clear_pointer(&detail, g_free);
    }
    setError(domain, code, message, g_strdup(format), g_steal_pointer(&detail), -1);
}

void vkReportError(int domain, int code, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    reportV(domain, code, fmt, ap);
    va_end(ap);
}

void vkReportSystemError(int domain, int errnum, const char *fmt, ...)
{
    va_list ap;
    g_autofree char *what = NULL;

    va_start(ap, fmt);
    what = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    vkReportError(domain, VIR_ERR_SYSTEM_ERROR, "%s: %s", what, g_strerror(errnum));
    threadError()->int1 = errnum;
}

void vkReportInvalidArg(int domain, const char *func, const char *argname, const char *fmt, ...)
{
    va_list ap;
    char *message;

    va_start(ap, fmt);
    message = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    setError(domain, VIR_ERR_INVALID_ARG, message, g_strdup(func), g_strdup(argname), 0);
    threadError()->int2 = 0;
}

void vkResetLastError(void)
{
    virErrorPtr err = g_private_get(&lastError);
    if (err)
        clearError(err);
}

gboolean vkHasError(void)
{
    virErrorPtr err = g_private_get(&lastError);
    return err && err->code != VIR_ERR_OK;
}

void vkErrorCopy(const virError *from, virErrorPtr to)
{
    clearError(to);
    to->code = from->code;
    to->domain = from->domain;
    to->level = from->level;
    to->int1 = from->int1;
    to->int2 = from->int2;
    to->message = g_strdup(from->message);
    to->str1 = g_strdup(from->str1);
    to->str2 = g_strdup(from->str2);
    to->str3 = g_strdup(from->str3);
}

virErrorPtr vkSaveError(void)
{
    virErrorPtr copy = g_new0(virError, 1);
    vkErrorCopy(threadError(), copy);
    return copy;
}

void vkRestoreError(virErrorPtr saved)
{
    if (!saved)
        return;
    vkErrorCopy(saved, threadError());
    errorFree(saved);
}

/* ---- public calls ---- */

/* The process-wide handler of virSetErrorFunc: libvirt's API makes this one global. */
static struct {
    GMutex lock;
    virErrorFunc func;
    void *data;
} globalHandler;

virErrorPtr virGetLastError(void)
{
    virErrorPtr err = g_private_get(&lastError);
    if (!err || err->code == VIR_ERR_OK)
        return NULL;
    return err;
}

virErrorPtr virSaveLastError(void)
{
    return vkSaveError();
}

void virResetLastError(void)
{
    vkResetLastError();
}

void virResetError(virErrorPtr err)
{
    if (err)
        clearError(err);
}

void virFreeError(virErrorPtr err)
{
    errorFree(err);
}

const char *virGetLastErrorMessage(void)
{
    virErrorPtr err = g_private_get(&lastError);
    if (!err || err->code == VIR_ERR_OK)
        return "no error";
    return err->message ? err->message : "unknown error";
}

int virGetLastErrorCode(void)
{
    virErrorPtr err = g_private_get(&lastError);
    return err ? err->code : VIR_ERR_OK;
}

int virGetLastErrorDomain(void)
{
    virErrorPtr err = g_private_get(&lastError);
    return err ? err->domain : VIR_FROM_NONE;
}

int virCopyLastError(virErrorPtr to)
{
    if (!to)
        return -1;
    /* The caller's struct may hold garbage: never free what it points to. */
    memset(to, 0, sizeof(*to));
    vkErrorCopy(threadError(), to);
    return to->code;
}

void virDefaultErrorFunc(virErrorPtr err)
{
    const char *level = "";
    size_t len;

    if (!err || err->code == VIR_ERR_OK)
        return;
    if (err->level == VIR_ERR_WARNING)
        level = "warning";
    else if (err->level == VIR_ERR_ERROR)
        level = "error";

    const char *message = err->message ? err->message : "";
    len = strlen(message);
    if (err->domain == VIR_FROM_XML && err->code == VIR_ERR_XML_DETAIL && err->int1 > 0)
        fprintf(stderr, "libvirt: %s %s : line %d: %s", vkErrorDomainName(err->domain), level,
                err->int1, message);
    else if (len == 0 || message[len - 1] != '\n')
        fprintf(stderr, "libvirt: %s %s : %s\n", vkErrorDomainName(err->domain), level, message);
    else
        fprintf(stderr, "libvirt: %s %s : %s", vkErrorDomainName(err->domain), level, message);
}

void virSetErrorFunc(void *userData, virErrorFunc handler)
{
    g_mutex_lock(&globalHandler.lock);
    globalHandler.func = handler;
    globalHandler.data = userData;
    g_mutex_unlock(&globalHandler.lock);
}

void vkDispatchErrorHandler(virErrorFunc connHandler, void *connData)
{
    virErrorPtr err = threadError();
    virErrorFunc handler = connHandler;
    void *data = connData;

    /* A failing call that forgot to say why still owes its caller an error. */
    if (err->code == VIR_ERR_OK)
        setError(VIR_FROM_NONE, VIR_ERR_INTERNAL_ERROR,
                 g_strdup("An error occurred, but the cause is unknown"), NULL, NULL, -1);

    if (!handler) {
        g_mutex_lock(&globalHandler.lock);
        handler = globalHandler.func;
        data = globalHandler.data;
        g_mutex_unlock(&globalHandler.lock);
    }
    if (handler)
        handler(data, err);
    else
        virDefaultErrorFunc(err);
}

void vkErrorPrefix(int domain, const char *fmt, ...)
{
    virErrorPtr err = virGetLastError();
    g_autofree char *context = NULL;
    g_autofree char *detail = NULL;
    va_list ap;

    if (!err)
        return;
    va_start(ap, fmt);
    context = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    /* str2 is the detail without the code's prefix ("internal error: "), which the new report
     * adds back. */
    detail = g_strdup(err->str2 ? err->str2 : err->message);
    vkReportError(domain, err->code, "%s: %s", context, detail);
}

/* The warnings printed so far: one command makes several calls, and each call reads the same
 * damaged file again, but the user needs to hear about it once. A long-lived process forgets
 * them now and then rather than growing without bound. */
#define WARNED_MAX 1024
static struct {
    GMutex lock;
    GHashTable *seen;
} warned;

void vkErrorWarn(const char *what)
{
    virErrorPtr err = virGetLastError();
    g_autofree char *message = g_strdup(err ? err->message : "unknown error");

    vkResetLastError();
    vkErrorWarnMessage(what, message);
}

void vkErrorWarnMessage(const char *what, const char *message)
{
    g_autofree char *text = g_strdup_printf("virtkit: warning: %s: %s\n", what, message);
    gboolean fresh;

    g_mutex_lock(&warned.lock);
    if (!warned.seen)
        warned.seen = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    if (g_hash_table_size(warned.seen) >= WARNED_MAX)
        g_hash_table_remove_all(warned.seen);
    fresh = g_hash_table_add(warned.seen, g_strdup(text));
    g_mutex_unlock(&warned.lock);
    /* Not g_printerr: it turns every non-ASCII byte into '?' in the C locale, where virsh
     * prints names as they are. */
    if (fresh)
        fputs(text, stderr);
}

const char *vkGErrorMessage(GError *err)
{
    char *in, *out;

    if (!err || !err->message)
        return "unknown error";
    /* Each quote is three bytes (E2 80 98/99/9C/9D) and becomes one, so the text only
     * shrinks. */
    for (in = out = err->message; *in;) {
        unsigned char b1 = in[0], b2 = in[1], b3 = b2 ? in[2] : 0;

        if (b1 == 0xe2 && b2 == 0x80 && (b3 == 0x98 || b3 == 0x99 || b3 == 0x9c || b3 == 0x9d)) {
            *out++ = '\'';
            in += 3;
        } else {
            *out++ = *in++;
        }
    }
    *out = '\0';
    return err->message;
}

/* qemu.conf: the few settings of it that the qemu driver uses (the syntax is util/vkconf's). */
#include "qemu_conf.h"

#include <string.h>

#include "qemu/qemu_command.h"
#include "util/vkconf.h"
#include "util/vkerror.h"
#include "util/vksocketaddr.h"

/* Values the driver cannot use are its errors, as libvirt's port range checks are. */
#define VK_CONF_VALUE_ERR VIR_FROM_QEMU

/* ---- the settings ----
 *
 * Type errors read as libvirt's (virConfGetValue*), with the line added. */

/* Every string setting ends up in a guest's live XML, on qemu's command line or in a QMP
 * message, so it must be text that each of them carries unchanged: valid UTF-8 without control
 * characters (which XML cannot hold or would normalise). */
static int checkText(const vkConf *conf, const char *key, const char *text)
{
    int line = vkConfLookup(conf, key)->line;

    if (!g_utf8_validate(text, -1, NULL)) {
        vkReportError(VK_CONF_VALUE_ERR, VIR_ERR_CONFIG_UNSUPPORTED,
                      "%s:%d: the value of '%s' is not valid UTF-8", vkConfPath(conf), line, key);
        return -1;
    }
    for (const char *c = text; *c; c++) {
        if (g_ascii_iscntrl(*c)) {
            vkReportError(VK_CONF_VALUE_ERR, VIR_ERR_CONFIG_UNSUPPORTED,
                          "%s:%d: the value of '%s' contains a control character (0x%02x)",
                          vkConfPath(conf), line, key, (unsigned char)*c);
            return -1;
        }
    }
    return 0;
}

static int getString(const vkConf *conf, const char *key, char **dst)
{
    g_autofree char *text = NULL;

    if (vkConfGetString(conf, key, &text) < 0)
        return -1;
    if (!text)
        return 0;
    if (checkText(conf, key, text) < 0)
        return -1;
    g_free(*dst);
    *dst = g_steal_pointer(&text);
    return 0;
}

/* A default listen address becomes the address of a guest's <listen>, so it obeys the same rule
 * as one written in the XML: a numeric IPv4 or IPv6 address. That also keeps anything qemu would
 * read as an option of its own (a comma) off its command line. */
static int getListenAddress(const vkConf *conf, const char *key, char **dst)
{
    const vkConfValue *v = vkConfLookup(conf, key);
    vkSocketAddr addr;

    if (getString(conf, key, dst) < 0)
        return -1;
    if (v && vkSocketAddrParse(v->str, &addr) < 0) {
        vkReportError(VK_CONF_VALUE_ERR, VIR_ERR_CONFIG_UNSUPPORTED,
                      "%s:%d: invalid listen address '%s' for '%s': expected an IPv4 or IPv6 "
                      "address",
                      vkConfPath(conf), v->line, v->str, key);
        return -1;
    }
    return 0;
}

/* One port range, refused as libvirt refuses it: the minimum below the lowest port that has a
 * display number, the maximum beyond 65535 or below the minimum. */
static int checkPortRange(const char *path, const char *prefix, unsigned int min, unsigned int max,
                          unsigned int lowest, unsigned int highest)
{
    if (min < lowest) {
        vkReportError(VIR_FROM_QEMU, VIR_ERR_INTERNAL_ERROR,
                      "%s: %s_min: port must be greater than or equal to %u", path, prefix, lowest);
        return -1;
    }
    if (max > highest || max < min) {
        vkReportError(VIR_FROM_QEMU, VIR_ERR_INTERNAL_ERROR,
                      "%s: %s_max: port must be between the minimal port and %u", path, prefix,
                      highest);
        return -1;
    }
    return 0;
}

static int applySettings(vkQEMUConfig *cfg, const vkConf *conf)
{
    const char *path = vkConfPath(conf);

    if (getListenAddress(conf, "vnc_listen", &cfg->vncListen) < 0 ||
        vkConfGetBool(conf, "vnc_auto_unix_socket", &cfg->vncAutoUnixSocket) < 0 ||
        getString(conf, "vnc_password", &cfg->vncPassword) < 0 ||
        getListenAddress(conf, "spice_listen", &cfg->spiceListen) < 0 ||
        getString(conf, "spice_password", &cfg->spicePassword) < 0 ||
        vkConfGetBool(conf, "spice_tls", &cfg->spiceTLS) < 0 ||
        getString(conf, "default_tls_x509_cert_dir", &cfg->spiceTLSx509certdir) < 0 ||
        getString(conf, "spice_tls_x509_cert_dir", &cfg->spiceTLSx509certdir) < 0 ||
        vkConfGetUInt(conf, "remote_websocket_port_min", &cfg->websocketPortMin) < 0 ||
        vkConfGetUInt(conf, "remote_websocket_port_max", &cfg->websocketPortMax) < 0 ||
        vkConfGetUInt(conf, "remote_display_port_min", &cfg->displayPortMin) < 0 ||
        vkConfGetUInt(conf, "remote_display_port_max", &cfg->displayPortMax) < 0 ||
        getListenAddress(conf, "migration_address", &cfg->migrationAddress) < 0 ||
        getString(conf, "migration_host", &cfg->migrationHost) < 0 ||
        vkConfGetUInt(conf, "migration_port_min", &cfg->migrationPortMin) < 0 ||
        vkConfGetUInt(conf, "migration_port_max", &cfg->migrationPortMax) < 0)
        return -1;

    if (checkPortRange(path, "remote_websocket_port", cfg->websocketPortMin, cfg->websocketPortMax,
                       VK_QEMU_WEBSOCKET_PORT_MIN, VK_QEMU_WEBSOCKET_PORT_MAX) < 0 ||
        checkPortRange(path, "remote_display_port", cfg->displayPortMin, cfg->displayPortMax,
                       VK_QEMU_DISPLAY_PORT_MIN, VK_QEMU_DISPLAY_PORT_MAX) < 0 ||
        checkPortRange(path, "migration_port", cfg->migrationPortMin, cfg->migrationPortMax, 1,
                       65535) < 0)
        return -1;

    if (cfg->vncPassword && strlen(cfg->vncPassword) > VK_QEMU_VNC_PASSWORD_MAX)
        cfg->vncPassword[VK_QEMU_VNC_PASSWORD_MAX] = '\0';
    return 0;
}

vkQEMUConfig *vkQEMUConfigNew(void)
{
    vkQEMUConfig *cfg = g_new0(vkQEMUConfig, 1);

    cfg->vncListen = g_strdup(VK_QEMU_DEFAULT_LISTEN);
    cfg->spiceListen = g_strdup(VK_QEMU_DEFAULT_LISTEN);
    cfg->vncAutoUnixSocket = FALSE;
    cfg->spiceTLSx509certdir = g_strdup("/etc/pki/qemu");
    cfg->displayPortMin = VK_QEMU_DISPLAY_PORT_MIN;
    cfg->displayPortMax = VK_QEMU_DISPLAY_PORT_MAX;
    cfg->websocketPortMin = VK_QEMU_WEBSOCKET_PORT_MIN;
    cfg->websocketPortMax = VK_QEMU_WEBSOCKET_PORT_MAX;
    cfg->migrationPortMin = VK_QEMU_MIGRATION_PORT_MIN;
    cfg->migrationPortMax = VK_QEMU_MIGRATION_PORT_MAX;
    return cfg;
}

char *vkQEMUConfigPath(const vkDriverPaths *paths)
{
    return g_build_filename(paths->etc, "qemu.conf", NULL);
}

vkQEMUConfig *vkQEMUConfigLoad(const char *path)
{
    g_autoptr(vkQEMUConfig) cfg = vkQEMUConfigNew();
    g_autoptr(vkConf) conf = vkConfReadFile(path, TRUE);

    if (!conf || applySettings(cfg, conf) < 0)
        return NULL;
    return g_steal_pointer(&cfg);
}

void vkQEMUConfigFree(vkQEMUConfig *cfg)
{
    if (!cfg)
        return;
    g_free(cfg->vncListen);
    g_free(cfg->spiceListen);
    g_free(cfg->vncPassword);
    g_free(cfg->spicePassword);
    g_free(cfg->spiceTLSx509certdir);
    g_free(cfg->migrationAddress);
    g_free(cfg->migrationHost);
    g_free(cfg);
}

/* The qemu driver's settings file, qemu.conf, in libvirt's syntax: where VNC and SPICE listen,
 * the ranges their ports come from, and default passwords. Documented in qemu.conf.5. */
#pragma once

#include <glib.h>

#include "util/vkpaths.h"

/* The bounds libvirt enforces on the port ranges. Below 5900 (5700) a VNC display (websocket)
 * port has no display number, which qemu counts from there. */
#define VK_QEMU_DISPLAY_PORT_MIN   5900
#define VK_QEMU_DISPLAY_PORT_MAX   65535
#define VK_QEMU_WEBSOCKET_PORT_MIN 5700
#define VK_QEMU_WEBSOCKET_PORT_MAX 65535

/* libvirt's default range of the ports incoming migrations listen on. */
#define VK_QEMU_MIGRATION_PORT_MIN 49152
#define VK_QEMU_MIGRATION_PORT_MAX 49215

/* qemu's VNC authentication uses this many characters of a password; libvirt truncates. */
#define VK_QEMU_VNC_PASSWORD_MAX 8

typedef struct {
    char *vncListen;               /* vnc_listen: "127.0.0.1" */
    char *spiceListen;             /* spice_listen: "127.0.0.1" */
    gboolean vncAutoUnixSocket;    /* vnc_auto_unix_socket: FALSE */
    unsigned int displayPortMin;   /* remote_display_port_min: 5900, VNC and SPICE (and TLS) */
    unsigned int displayPortMax;   /* remote_display_port_max: 65535 */
    unsigned int websocketPortMin; /* remote_websocket_port_min: 5700 */
    unsigned int websocketPortMax; /* remote_websocket_port_max: 65535 */
    char *vncPassword;   /* vnc_password: NULL (unset); at most VK_QEMU_VNC_PASSWORD_MAX chars */
    char *spicePassword; /* spice_password: NULL (unset) */
    gboolean spiceTLS;   /* spice_tls: FALSE; TRUE lets SPICE guests have a TLS port */
    char *spiceTLSx509certdir;     /* spice_tls_x509_cert_dir, else default_tls_x509_cert_dir,
                                    * else "/etc/pki/qemu" */
    char *migrationAddress;        /* migration_address: NULL (any address) */
    char *migrationHost;           /* migration_host: NULL (the host name) */
    unsigned int migrationPortMin; /* migration_port_min: 49152 */
    unsigned int migrationPortMax; /* migration_port_max: 49215 */
} vkQEMUConfig;

/* libvirt's defaults, as listed above. */
vkQEMUConfig *vkQEMUConfigNew(void);

/* The driver's qemu.conf: PATHS->etc/qemu.conf, i.e. ROOT/etc/qemu/qemu.conf when embedded and
 * /etc/virtkit/qemu/qemu.conf for the system instance. */
char *vkQEMUConfigPath(const vkDriverPaths *paths);

/* Reads PATH over the defaults; a missing file leaves them all. Keys it does not know are
 * ignored, as libvirt ignores them; if a key appears twice the first one counts, as in libvirt.
 * Errors, all naming PATH: VIR_ERR_CONF_SYNTAX ("PATH:LINE: expecting a value") for the syntax,
 * VIR_ERR_INTERNAL_ERROR for a value of the wrong type (naming the key and its line) or a port
 * range libvirt would refuse, VIR_ERR_CONFIG_UNSUPPORTED (naming the key and its line) for a
 * string that is not valid UTF-8 or holds a control character and for a listen address that
 * is not a numeric IPv4 or IPv6 address, and a system error if PATH exists but cannot be read.
 * A VNC password longer than qemu uses is truncated, as libvirt does. */
vkQEMUConfig *vkQEMUConfigLoad(const char *path);

void vkQEMUConfigFree(vkQEMUConfig *cfg);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(vkQEMUConfig, vkQEMUConfigFree)

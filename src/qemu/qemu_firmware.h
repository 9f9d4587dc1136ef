/* Firmware autoselection: QEMU's firmware descriptors (the interop JSON files Debian's ovmf
 * installs in /usr/share/qemu/firmware) matched against a guest as libvirt 9.0 matches them,
 * and the guest's own copy of the NVRAM template. */
#pragma once

#include "conf/domain_conf.h"

/* ROOT/lib/qemu/nvram/NAME_VARS.fd: where a guest's NVRAM lives unless its XML names a file
 * (libvirt's /var/lib/libvirt/qemu/nvram under the driver's root). LIBDIR is the driver's
 * ROOT/lib/qemu. */
char *vkQemuFirmwareNVRAMPath(const char *libDir, const vkDomainDef *def);

/* At definition time, as libvirt: a read-only pflash loader given by path (the old way of
 * asking for UEFI) gets its NVRAM path when the XML names none. */
void vkQemuFirmwareFillNVRAMPath(const char *libDir, vkDomainDef *def);

/* At start, DEF being the definition the guest will run with: <os firmware=...> is resolved to
 * the first matching descriptor (loader, NVRAM template and path, SMM for a firmware that
 * needs it) and the attribute dropped, as libvirt's live XML shows it; an old-style pflash
 * loader without a template gets the template of the descriptor of its image, when there is
 * one. Then the NVRAM file is created from its template when missing (or always, with
 * RESETNVRAM). Errors: no descriptor matches, SMM turned off for a firmware that needs it, a
 * template that cannot be copied. */
int vkQemuFirmwarePrepare(const char *libDir, vkDomainDef *def, gboolean resetNvram);

/* What domain capabilities report for MACHINE on ARCH: the <os firmware> values (bit 1 << bios,
 * 1 << efi of vkDomainOSFirmware), whether a firmware needing SMM (Secure Boot) exists, and the
 * executables that exist on the host, unique, in descriptor order (g_strfreev). Returns FALSE
 * when there is no descriptor at all. */
gboolean vkQemuFirmwareGetSupported(const char *machine, const char *arch, unsigned int *firmwares,
                                    gboolean *secure, char ***loaders);

/* The migration cookie: the XML the two hosts' drivers pass each other through the client at
 * every step of a migration (libvirt's <qemu-migration>): who the guest is, which host it comes
 * from, and, for --persistent, the definition to keep on the destination. */
#pragma once

#include <glib.h>

#include "conf/domain_conf.h"

typedef struct {
    char *name;
    unsigned char uuid[VIR_UUID_BUFLEN];
    char *hostname;                          /* of the host that wrote the cookie */
    unsigned char hostuuid[VIR_UUID_BUFLEN]; /* of the host that wrote the cookie */
    char *persistent; /* <domain> of the definition to keep at the destination; NULL: none */
} vkQemuMigrationCookie;

void vkQemuMigrationCookieFree(vkQemuMigrationCookie *cookie);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(vkQemuMigrationCookie, vkQemuMigrationCookieFree)

/* A cookie about DEF written by this host (its name and host UUID). NULL (reported) when the
 * host UUID cannot be found. */
vkQemuMigrationCookie *vkQemuMigrationCookieNew(const vkDomainDef *def);

/* The cookie as text, in *OUT with its length (counting the NUL) in *OUTLEN, as the wire
 * carries it. */
void vkQemuMigrationCookieBake(const vkQemuMigrationCookie *cookie, char **out, int *outlen);

/* Reads the cookie TEXT (LEN bytes, a trailing NUL allowed) sent by the other host about the
 * guest NAME with UUID, and refuses, as libvirt does, a cookie about another guest or from this
 * very host. An empty cookie is NULL with no error (*OUT NULL, returns 0). */
int vkQemuMigrationCookieEat(const char *text, int len, const char *name, const unsigned char *uuid,
                             vkQemuMigrationCookie **out);

/* The one rule for the names of domains, networks, storage pools and volumes: every driver
 * turns a name into file names (NAME.xml, NAME.monitor, NAME.lock, ...), so a name must be a
 * single, visible, short enough path component. */
#pragma once

#include <glib.h>

typedef enum {
    VK_OBJECT_DOMAIN,
    VK_OBJECT_NETWORK,
    VK_OBJECT_POOL,
    VK_OBJECT_VOLUME,
    VK_OBJECT_LAST
} vkObjectKind;

/* Longest name, in bytes. A file name holds 255 bytes, and the longest one a driver derives
 * from a name is the temporary of an atomic write of NAME.reason: "NAME.reason.XXXXXXXX". */
#define VK_OBJECT_NAME_MAX (255 - 16)

/* Reports (with libvirt's code and wording where libvirt has one) why NAME cannot name an
 * object of KIND: empty, a '/', a control character (tab, CR, LF, any byte below 0x20, DEL),
 * a leading '.', or longer than VK_OBJECT_NAME_MAX. Returns 0 for a good name, -1 reported. */
int vkObjectNameCheck(vkObjectKind kind, const char *name);

/* The same verdict without a report: for lookups, where a bad name simply names nothing. */
gboolean vkObjectNameIsValid(vkObjectKind kind, const char *name);

/* The host's UUID: set by the daemon from its configuration, or read from the machine. */
#include "util/vkhostuuid.h"

#include <string.h>

#include "util/vkerror.h"
#include "util/vkuuid.h"

#define VIR_FROM_THIS VIR_FROM_NONE

/* Written once at the daemon's start, before any worker thread exists; read-only after. */
static gboolean hostUUIDSet;
static unsigned char hostUUID[VIR_UUID_BUFLEN];

int vkHostUUIDSet(const char *str)
{
    if (vkUUIDParse(str, hostUUID) < 0 || vkUUIDIsNull(hostUUID)) {
        vkReportError(VIR_FROM_THIS, VIR_ERR_INTERNAL_ERROR, "invalid host UUID '%s'", str);
        return -1;
    }
    hostUUIDSet = TRUE;
    return 0;
}

static gboolean readUUIDFile(const char *path, unsigned char *uuid)
{
    g_autofree char *text = NULL;

    if (!g_file_get_contents(path, &text, NULL, NULL))
        return FALSE;
    return vkUUIDParse(g_strstrip(text), uuid) == 0 && !vkUUIDIsNull(uuid);
}

int vkHostUUIDGet(unsigned char *uuid)
{
    if (hostUUIDSet) {
        memcpy(uuid, hostUUID, VIR_UUID_BUFLEN);
        return 0;
    }
    if (readUUIDFile("/etc/machine-id", uuid) ||
        readUUIDFile("/sys/class/dmi/id/product_uuid", uuid))
        return 0;
    vkReportError(VIR_FROM_THIS, VIR_ERR_INTERNAL_ERROR, "%s",
                  "cannot find the host UUID (set host_uuid)");
    return -1;
}

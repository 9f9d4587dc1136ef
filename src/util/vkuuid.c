/* UUID parsing, formatting and generation. */
#include "vkuuid.h"

#include <stdio.h>
#include <string.h>

int vkUUIDParse(const char *str, unsigned char *uuid)
{
    int digits = 0;
    const char *p = str;

    if (!str)
        return -1;
    while (g_ascii_isspace(*p))
        p++;
    for (; *p && digits < 2 * VIR_UUID_BUFLEN; p++) {
        if (*p == '-')
            continue;
        if (!g_ascii_isxdigit(*p))
            return -1;
        int v = g_ascii_xdigit_value(*p);
        if (digits % 2 == 0)
            uuid[digits / 2] = v << 4;
        else
            uuid[digits / 2] |= v;
        digits++;
    }
    while (g_ascii_isspace(*p))
        p++;
    if (digits != 2 * VIR_UUID_BUFLEN || *p)
        return -1;
    return 0;
}

void vkUUIDFormat(const unsigned char *uuid, char *buf)
{
    snprintf(buf, VIR_UUID_STRING_BUFLEN,
             "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x", uuid[0],
             uuid[1], uuid[2], uuid[3], uuid[4], uuid[5], uuid[6], uuid[7], uuid[8], uuid[9],
             uuid[10], uuid[11], uuid[12], uuid[13], uuid[14], uuid[15]);
}

void vkUUIDGenerate(unsigned char *uuid)
{
    for (int i = 0; i < VIR_UUID_BUFLEN; i += 4) {
        guint32 r = g_random_int();
        memcpy(uuid + i, &r, 4);
    }
    uuid[6] = (uuid[6] & 0x0f) | 0x40;
    uuid[8] = (uuid[8] & 0x3f) | 0x80;
}

gboolean vkUUIDIsNull(const unsigned char *uuid)
{
    for (int i = 0; i < VIR_UUID_BUFLEN; i++) {
        if (uuid[i])
            return FALSE;
    }
    return TRUE;
}

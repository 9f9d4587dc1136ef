/* Sets of small numbers with libvirt's textual form; see vkbitmap.h. */
#include "vkbitmap.h"

#include <string.h>

struct _vkBitmap {
    unsigned int size;
    guint8 *bits;
};

vkBitmap *vkBitmapNew(unsigned int size)
{
    vkBitmap *map = g_new0(vkBitmap, 1);

    map->size = size;
    map->bits = g_new0(guint8, size / 8 + 1);
    return map;
}

void vkBitmapFree(vkBitmap *map)
{
    if (!map)
        return;
    g_free(map->bits);
    g_free(map);
}

vkBitmap *vkBitmapCopy(const vkBitmap *map)
{
    vkBitmap *copy;

    if (!map)
        return NULL;
    copy = vkBitmapNew(map->size);
    memcpy(copy->bits, map->bits, map->size / 8 + 1);
    return copy;
}

unsigned int vkBitmapSize(const vkBitmap *map)
{
    return map->size;
}

gboolean vkBitmapIsSet(const vkBitmap *map, unsigned int bit)
{
    return bit < map->size && (map->bits[bit / 8] & (1u << (bit % 8)));
}

gboolean vkBitmapSet(vkBitmap *map, unsigned int bit)
{
    if (bit >= map->size)
        return FALSE;
    map->bits[bit / 8] |= 1u << (bit % 8);
    return TRUE;
}

static void bitClear(vkBitmap *map, unsigned int bit)
{
    map->bits[bit / 8] &= ~(1u << (bit % 8));
}

int vkBitmapNextSet(const vkBitmap *map, int pos)
{
    for (unsigned int i = pos + 1; i < map->size; i++) {
        if (vkBitmapIsSet(map, i))
            return (int)i;
    }
    return -1;
}

unsigned int vkBitmapCount(const vkBitmap *map)
{
    unsigned int n = 0;

    for (int i = vkBitmapNextSet(map, -1); i >= 0; i = vkBitmapNextSet(map, i))
        n++;
    return n;
}

gboolean vkBitmapIsAllSet(const vkBitmap *map)
{
    return vkBitmapCount(map) == map->size;
}

gboolean vkBitmapEqual(const vkBitmap *a, const vkBitmap *b)
{
    if (!a || !b)
        return a == b;
    for (unsigned int i = 0; i < MAX(a->size, b->size); i++) {
        if (vkBitmapIsSet(a, i) != vkBitmapIsSet(b, i))
            return FALSE;
    }
    return TRUE;
}

static void skipSpaces(const char **p)
{
    while (g_ascii_isspace(**p))
        (*p)++;
}

/* A decimal number below LIMIT at *P. */
static gboolean parseNumber(const char **p, unsigned int limit, unsigned int *out)
{
    guint64 n = 0;

    if (!g_ascii_isdigit(**p))
        return FALSE;
    while (g_ascii_isdigit(**p)) {
        n = n * 10 + (guint64)(*(*p)++ - '0');
        if (n >= limit)
            return FALSE;
    }
    *out = n;
    return TRUE;
}

vkBitmap *vkBitmapParse(const char *str, unsigned int size)
{
    g_autoptr(vkBitmap) map = vkBitmapNew(size);
    const char *p = str;

    if (!str)
        return NULL;
    skipSpaces(&p);
    if (!*p)
        return NULL;
    while (*p) {
        gboolean neg = FALSE;
        unsigned int start, last;

        if (*p == '^') {
            neg = TRUE;
            p++;
        }
        if (!parseNumber(&p, size, &start))
            return NULL;
        skipSpaces(&p);
        last = start;
        if (*p == '-') {
            if (neg)
                return NULL;
            p++;
            skipSpaces(&p);
            if (!parseNumber(&p, size, &last) || last < start)
                return NULL;
            skipSpaces(&p);
        }
        for (unsigned int i = start; i <= last; i++) {
            if (neg)
                bitClear(map, i);
            else
                vkBitmapSet(map, i);
        }
        if (*p == ',') {
            p++;
            skipSpaces(&p);
        } else if (*p) {
            return NULL;
        }
    }
    return g_steal_pointer(&map);
}

char *vkBitmapFormat(const vkBitmap *map)
{
    GString *out = g_string_new(NULL);
    int i = vkBitmapNextSet(map, -1);

    while (i >= 0) {
        int last = i;

        while (vkBitmapIsSet(map, last + 1))
            last++;
        if (out->len)
            g_string_append_c(out, ',');
        if (last > i)
            g_string_append_printf(out, "%d-%d", i, last);
        else
            g_string_append_printf(out, "%d", i);
        i = vkBitmapNextSet(map, last);
    }
    return g_string_free(out, FALSE);
}

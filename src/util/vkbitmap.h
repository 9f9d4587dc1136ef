/* Sets of small numbers (CPUs, NUMA nodes) as libvirt writes them: "0-3,8,10-11". */
#pragma once

#include <glib.h>

typedef struct _vkBitmap vkBitmap;

/* An empty set of numbers below SIZE. */
vkBitmap *vkBitmapNew(unsigned int size);
void vkBitmapFree(vkBitmap *map);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(vkBitmap, vkBitmapFree)
vkBitmap *vkBitmapCopy(const vkBitmap *map);

/* Parses STR ("N", "N-M", "^N" to remove one, separated by commas, spaces allowed around
 * them) into a set of numbers below SIZE. NULL (nothing reported) when STR is malformed, empty,
 * or names a number of SIZE or more. */
vkBitmap *vkBitmapParse(const char *str, unsigned int size);
/* The canonical form: ascending, consecutive numbers as ranges; "" for the empty set. */
char *vkBitmapFormat(const vkBitmap *map);

unsigned int vkBitmapSize(const vkBitmap *map);
gboolean vkBitmapIsSet(const vkBitmap *map, unsigned int bit);
/* FALSE when BIT is not below the size. */
gboolean vkBitmapSet(vkBitmap *map, unsigned int bit);
/* The first number in the set after POS (-1 for the first of all), or -1. */
int vkBitmapNextSet(const vkBitmap *map, int pos);
unsigned int vkBitmapCount(const vkBitmap *map);
gboolean vkBitmapIsAllSet(const vkBitmap *map);
gboolean vkBitmapEqual(const vkBitmap *a, const vkBitmap *b);

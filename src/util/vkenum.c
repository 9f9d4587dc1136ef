/* Enum <-> string conversion over the tables declared with VK_ENUM_IMPL. */
#include "vkenum.h"

#include <string.h>

int vkEnumFromString(const char *const *table, int count, const char *str)
{
    if (!str)
        return -1;
    for (int i = 0; i < count; i++) {
        if (table[i] && strcmp(table[i], str) == 0)
            return i;
    }
    return -1;
}

const char *vkEnumToString(const char *const *table, int count, int value)
{
    if (value < 0 || value >= count)
        return NULL;
    return table[value];
}

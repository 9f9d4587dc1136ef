/* One string table per enum, from which both directions of conversion derive. */
#pragma once

#include <glib.h>

int vkEnumFromString(const char *const *table, int count, const char *str);
const char *vkEnumToString(const char *const *table, int count, int value);

/* In a header: declares NAMETypeToString / NAMETypeFromString. */
#define VK_ENUM_DECL(name)                     \
    const char *name##TypeToString(int value); \
    int name##TypeFromString(const char *str)

/* In a .c file: the table, in enum order; the count must match the enum's LAST value. */
#define VK_ENUM_IMPL(name, last, ...)                             \
    static const char *const name##TypeTable[] = { __VA_ARGS__ }; \
    G_STATIC_ASSERT(G_N_ELEMENTS(name##TypeTable) == (last));     \
    const char *name##TypeToString(int value)                     \
    {                                                             \
        return vkEnumToString(name##TypeTable, (last), value);    \
    }                                                             \
    int name##TypeFromString(const char *str)                     \
    {                                                             \
        return vkEnumFromString(name##TypeTable, (last), str);    \
    }

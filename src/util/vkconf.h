/* A reader for libvirt's configuration file syntax (virConf: qemu.conf, libvirtd.conf), shared
 * by the qemu driver and virtkitd: statements "name = value", values with the line they are on,
 * and typed getters whose errors name the file, the line and the key. */
#pragma once

#include <glib.h>

typedef enum {
    VK_CONF_STRING,
    VK_CONF_INTEGER,
    VK_CONF_LIST,
} vkConfValueType;

typedef struct _vkConfValue vkConfValue;
struct _vkConfValue {
    vkConfValueType type;
    int line;
    char *str;         /* VK_CONF_STRING */
    gboolean negative; /* VK_CONF_INTEGER: written with '-' */
    guint64 magnitude; /* VK_CONF_INTEGER */
    GPtrArray *list;   /* VK_CONF_LIST: vkConfValue */
};

typedef struct _vkConf vkConf;

/* Parses CONTENT (LEN bytes) read from PATH (used in messages). Syntax errors are
 * VIR_ERR_CONF_SYNTAX "PATH:LINE: what". When a name appears twice the first counts, as in
 * libvirt. */
vkConf *vkConfParse(const char *path, const char *content, gsize len);
/* Reads and parses PATH; a missing file is an empty configuration when MISSINGOK, else an
 * error. */
vkConf *vkConfReadFile(const char *path, gboolean missingOk);
void vkConfFree(vkConf *conf);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(vkConf, vkConfFree)

const char *vkConfPath(const vkConf *conf);
/* The value of KEY, or NULL when the file does not set it. */
const vkConfValue *vkConfLookup(const vkConf *conf, const char *key);
/* The names set, in the order of the file (each once). */
const char *const *vkConfKeys(const vkConf *conf);

/* Typed getters: 0 and *DST unchanged when KEY is not set; -1 with VIR_ERR_INTERNAL_ERROR
 * ("PATH:LINE: expected a string for 'KEY' parameter", as libvirt words them) on a value of
 * the wrong type or out of range. */
int vkConfGetString(const vkConf *conf, const char *key, char **dst);
int vkConfGetBool(const vkConf *conf, const char *key, gboolean *dst);
int vkConfGetUInt(const vkConf *conf, const char *key, unsigned int *dst);
int vkConfGetInt(const vkConf *conf, const char *key, int *dst);
/* A list of strings, or a single string taken as a one-element list. */
int vkConfGetStringList(const vkConf *conf, const char *key, GStrv *dst);

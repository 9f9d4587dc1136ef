/* Shared between the two halves of the command-line builder: qemu_command.c (machine, CPU,
 * clock, boot, graphics, the whole vector) and qemu_command_device.c (guest devices). */
#pragma once

#include <json-c/json.h>

#include "qemu/qemu_command.h"
#include "util/vkerror.h"

#define VK_CMD_ERR VIR_FROM_QEMU

/* One command line being built. */
typedef struct {
    GPtrArray *args;
    const vkDomainDef *def;
    const vkQEMURuntime *rt;
    const char *machine;
    gboolean q35;
    gboolean kvm;
    unsigned int *diskBoot; /* bootindex per disk, 0 for none */
    unsigned int *netBoot;  /* bootindex per interface */
} vkCmd;

static inline void vkCmdAdd(vkCmd *cmd, const char *arg)
{
    g_ptr_array_add(cmd->args, g_strdup(arg));
}

static inline void vkCmdAddPair(vkCmd *cmd, const char *opt, const char *value)
{
    vkCmdAdd(cmd, opt);
    vkCmdAdd(cmd, value);
}

/* Adds OPT and the text of VALUE, which it takes over. */
static inline void vkCmdAddString(vkCmd *cmd, const char *opt, GString *value)
{
    vkCmdAdd(cmd, opt);
    g_ptr_array_add(cmd->args, g_string_free(value, FALSE));
}

/* keyval values end at a single comma; qemu reads a doubled one as part of the value. */
static inline void vkCmdAppendEscaped(GString *buf, const char *value)
{
    for (const char *p = value; *p; p++) {
        if (*p == ',')
            g_string_append_c(buf, ',');
        g_string_append_c(buf, *p);
    }
}

static inline void vkJSONAddStr(json_object *obj, const char *key, const char *value)
{
    json_object_object_add(obj, key, json_object_new_string(value));
}

static inline void vkJSONAddInt(json_object *obj, const char *key, gint64 value)
{
    json_object_object_add(obj, key, json_object_new_int64(value));
}

static inline void vkJSONAddBool(json_object *obj, const char *key, gboolean value)
{
    json_object_object_add(obj, key, json_object_new_boolean(value));
}

static inline json_object *vkJSONDevice(const char *driver)
{
    json_object *obj = json_object_new_object();

    vkJSONAddStr(obj, "driver", driver);
    return obj;
}

/* Adds OPT with OBJ in qemu's JSON syntax, and releases OBJ. */
static inline void vkCmdAddJSON(vkCmd *cmd, const char *opt, json_object *obj)
{
    vkCmdAdd(cmd, opt);
    vkCmdAdd(cmd, json_object_to_json_string_ext(obj, JSON_C_TO_STRING_PLAIN |
                                                          JSON_C_TO_STRING_NOSLASHESCAPE));
    json_object_put(obj);
}

/* qemu_command_device.c: each adds its devices in the order qemu should create them. */
int vkCmdBuildControllers(vkCmd *cmd);
int vkCmdBuildDisks(vkCmd *cmd);
int vkCmdBuildNets(vkCmd *cmd);
int vkCmdBuildChrs(vkCmd *cmd);
int vkCmdBuildInputs(vkCmd *cmd);
int vkCmdBuildVideos(vkCmd *cmd);
int vkCmdBuildBalloon(vkCmd *cmd);
/* Adds DEV (taken over) as a -device with the PCI address INFO names. */
int vkCmdAddPCIDevice(vkCmd *cmd, json_object *dev, const vkDomainDeviceInfo *info);
/* Adds the bus (and port) of INFO's USB address to DEV, or the first USB bus without one. */
void vkCmdAddUSBAddress(vkCmd *cmd, json_object *dev, const vkDomainDeviceInfo *info);

/* qemu_command_periph.c */
int vkCmdBuildSounds(vkCmd *cmd);
int vkCmdBuildTPMs(vkCmd *cmd);
int vkCmdBuildRedirdevs(vkCmd *cmd);
int vkCmdBuildRNGs(vkCmd *cmd);

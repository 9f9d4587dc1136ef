/* Character devices: <serial>, <console> and <channel>. */
#pragma once

#include "conf/domain_common.h"

typedef enum {
    VK_DOMAIN_CHR_DEVICE_SERIAL,
    VK_DOMAIN_CHR_DEVICE_CONSOLE,
    VK_DOMAIN_CHR_DEVICE_CHANNEL,
    VK_DOMAIN_CHR_DEVICE_LAST
} vkDomainChrDeviceType;
VK_ENUM_DECL(vkDomainChrDevice);

typedef enum {
    VK_DOMAIN_CHR_TYPE_NULL,
    VK_DOMAIN_CHR_TYPE_VC,
    VK_DOMAIN_CHR_TYPE_PTY,
    VK_DOMAIN_CHR_TYPE_DEV,
    VK_DOMAIN_CHR_TYPE_FILE,
    VK_DOMAIN_CHR_TYPE_PIPE,
    VK_DOMAIN_CHR_TYPE_STDIO,
    VK_DOMAIN_CHR_TYPE_UNIX,
    VK_DOMAIN_CHR_TYPE_SPICEVMC,
    VK_DOMAIN_CHR_TYPE_LAST
} vkDomainChrType;
VK_ENUM_DECL(vkDomainChr);

/* <console><target type=...>; NONE means not written, and becomes SERIAL. */
typedef enum {
    VK_DOMAIN_CHR_CONSOLE_TARGET_NONE = 0,
    VK_DOMAIN_CHR_CONSOLE_TARGET_SERIAL,
    VK_DOMAIN_CHR_CONSOLE_TARGET_VIRTIO,
    VK_DOMAIN_CHR_CONSOLE_TARGET_LAST
} vkDomainChrConsoleTarget;
VK_ENUM_DECL(vkDomainChrConsoleTarget);

/* <serial><target type=...> and <model name=...>; NONE means not written. Only the ISA
 * serial port is supported. */
typedef enum {
    VK_DOMAIN_CHR_SERIAL_TARGET_NONE = 0,
    VK_DOMAIN_CHR_SERIAL_TARGET_ISA,
    VK_DOMAIN_CHR_SERIAL_TARGET_LAST
} vkDomainChrSerialTarget;
VK_ENUM_DECL(vkDomainChrSerialTarget);

typedef enum {
    VK_DOMAIN_CHR_SERIAL_MODEL_NONE = 0,
    VK_DOMAIN_CHR_SERIAL_MODEL_ISA_SERIAL,
    VK_DOMAIN_CHR_SERIAL_MODEL_LAST
} vkDomainChrSerialModel;
VK_ENUM_DECL(vkDomainChrSerialModel);

/* <channel><target type=...>: required. */
typedef enum {
    VK_DOMAIN_CHR_CHANNEL_TARGET_NONE = 0,
    VK_DOMAIN_CHR_CHANNEL_TARGET_GUESTFWD,
    VK_DOMAIN_CHR_CHANNEL_TARGET_VIRTIO,
    VK_DOMAIN_CHR_CHANNEL_TARGET_LAST
} vkDomainChrChannelTarget;
VK_ENUM_DECL(vkDomainChrChannelTarget);

/* The name of the guest agent's channel, whose socket the driver places when none is given. */
#define VK_DOMAIN_CHR_GUEST_AGENT_NAME "org.qemu.guest_agent.0"

typedef struct {
    int deviceType; /* vkDomainChrDeviceType */
    int type;       /* vkDomainChrType */
    /* dev/file/pipe: required; pty: the allocated pty (runtime data); unix: NULL when the
     * driver chooses it (then listening, and runtime data too) */
    char *path;
    gboolean listen;   /* unix: <source mode='bind'> */
    gboolean autoPath; /* unix: PATH was chosen by the driver (not written inactive) */
    char *targetName;  /* channels, virtio: <target name=...> */
    char *fwdAddress;  /* channels, guestfwd: IPv4 address and port */
    unsigned int fwdPort;
    /* consoles: vkDomainChrConsoleTarget; serials: vkDomainChrSerialTarget; channels:
     * vkDomainChrChannelTarget */
    int targetType;
    int targetModel; /* serials: vkDomainChrSerialModel; consoles: always 0 */
    int port;        /* <target port=...>; -1 only while parsing */
    vkDomainDeviceInfo info;
} vkDomainChrDef;

void vkDomainChrDefFree(vkDomainChrDef *def);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(vkDomainChrDef, vkDomainChrDefFree)

/* Internal interface between the files of the domain model: per-element parse, format, copy
 * and free functions, and small XML helpers they share. Not for use outside src/conf. */
#pragma once

#include "conf/domain_conf.h"
#include "util/vkerror.h"
#include "util/vkxml.h"

#define VK_DOMAIN_ERR VIR_FROM_DOMAIN

/* Append item to a (pointer) array of n elements. */
#define VK_DOMAIN_APPEND(arr, n, item)                       \
    do {                                                     \
        (arr) = g_renew(__typeof__(*(arr)), (arr), (n) + 1); \
        (arr)[(n)++] = (item);                               \
    } while (0)

/* Like vkXMLPropEnum; with nonzero set, the table's first entry ("default"/"none") is refused
 * too since it only stands for "not written". */
int vkDomainPropEnum(xmlNodePtr node, const char *name, int (*fromString)(const char *),
                     gboolean nonzero, int *out);
/* yes/no (on/off with onOff) into a vkDomainTristate. Same return convention. */
int vkDomainPropTristate(xmlNodePtr node, const char *name, gboolean onOff, int *out);
const char *vkDomainTristateString(int value, gboolean onOff);
/* The attribute's value, or NULL with "missing required attribute" reported. */
char *vkDomainPropRequired(xmlNodePtr node, const char *name);
/* The text of an element that may have only the listed attributes and no child elements. */
char *vkDomainLeafText(xmlNodePtr node, const char *const *allowedAttrs);
/* Report an element that may appear once but was found again. */
int vkDomainReportDuplicate(xmlNodePtr node);

/* <address>, <boot>, <alias> children of a device. Returns 1 if child is one of them (and
 * was parsed), 0 if it is not, -1 on error. */
int vkDomainDeviceInfoParseChild(xmlNodePtr child, vkDomainDeviceInfo *info, unsigned int flags,
                                 gboolean allowBoot);
void vkDomainDeviceInfoFormat(vkBuf *buf, const vkDomainDeviceInfo *info, unsigned int flags,
                              gboolean allowBoot);
/* Whether vkDomainDeviceInfoFormat would print anything, to choose "/>" or children. */
gboolean vkDomainDeviceInfoHasOutput(const vkDomainDeviceInfo *info, unsigned int flags,
                                     gboolean allowBoot);
/* Walk a device's child elements: info elements are handled here, the rest by parseChild.
 * allowed lists every child name the device accepts, info elements included. */
int vkDomainDeviceChildrenParse(xmlNodePtr node, const char *const *allowed, void *dev,
                                vkDomainDeviceInfo *info, unsigned int flags, gboolean allowBoot,
                                int (*parseChild)(void *dev, xmlNodePtr child, unsigned int flags));
void vkDomainDeviceInfoCopy(vkDomainDeviceInfo *dst, const vkDomainDeviceInfo *src);
void vkDomainDeviceInfoClear(vkDomainDeviceInfo *info);

/* domain_device.c: everything under <devices> except graphics. */
int vkDomainDevicesParse(vkDomainDef *def, xmlNodePtr devices, unsigned int flags);
void vkDomainDevicesFormat(vkBuf *buf, const vkDomainDef *def, unsigned int flags);
void vkDomainDevicesCopy(vkDomainDef *dst, const vkDomainDef *src);
void vkDomainDevicesFree(vkDomainDef *def);
/* Insert a controller keeping libvirt's order: grouped by type, sorted by index. */
void vkDomainControllerInsert(vkDomainDef *def, vkDomainControllerDef *cont);
vkDomainVideoDef *vkDomainVideoDefNew(void);
vkDomainChrDef *vkDomainChrDefNew(int deviceType);

/* domain_graphics.c */
vkDomainGraphicsDef *vkDomainGraphicsDefParse(xmlNodePtr node, unsigned int flags);
void vkDomainGraphicsDefFormat(vkBuf *buf, const vkDomainGraphicsDef *def, unsigned int flags);
vkDomainGraphicsDef *vkDomainGraphicsDefCopy(const vkDomainGraphicsDef *src);

/* domain_postparse.c: libvirt's defaults and the checks spanning several elements. */
int vkDomainDefPostParse(vkDomainDef *def, unsigned int flags);

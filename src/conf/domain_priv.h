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

/* One kind of element under <devices>: how it is read, written, copied, freed and checked.
 * Each kind lives in a file of its own; domain_device.c lists them in the order libvirt writes
 * them. */
typedef struct {
    const char *name; /* the element */
    /* Parses NODE and adds what it describes to DEF. */
    int (*parse)(vkDomainDef *def, xmlNodePtr node, unsigned int flags);
    /* Writes every device of the kind. */
    void (*format)(vkBuf *buf, const vkDomainDef *def, unsigned int flags);
    /* Replaces the kind's pointers in DST, a shallow copy of SRC, with deep copies. */
    void (*copy)(vkDomainDef *dst, const vkDomainDef *src);
    void (*free)(vkDomainDef *def);
    /* The kind's rules over the whole definition, once it is parsed; NULL for none. */
    int (*validate)(const vkDomainDef *def);
    /* vkDomainDefForEachDeviceInfo for the kind; NULL for elements without device info. */
    int (*forEachInfo)(vkDomainDef *def, vkDomainDeviceInfoFunc fn, void *opaque);
} vkDomainDeviceFamily;

extern const vkDomainDeviceFamily vkDomainEmulatorFamily;
extern const vkDomainDeviceFamily vkDomainDiskFamily;
extern const vkDomainDeviceFamily vkDomainControllerFamily;
extern const vkDomainDeviceFamily vkDomainNetFamily;
extern const vkDomainDeviceFamily vkDomainSerialFamily;
extern const vkDomainDeviceFamily vkDomainConsoleFamily;
extern const vkDomainDeviceFamily vkDomainChannelFamily;
extern const vkDomainDeviceFamily vkDomainInputFamily;
extern const vkDomainDeviceFamily vkDomainGraphicsFamily;
extern const vkDomainDeviceFamily vkDomainAudioFamily;
extern const vkDomainDeviceFamily vkDomainVideoFamily;
extern const vkDomainDeviceFamily vkDomainMemballoonFamily;
extern const vkDomainDeviceFamily vkDomainSoundFamily;
extern const vkDomainDeviceFamily vkDomainRedirdevFamily;
extern const vkDomainDeviceFamily vkDomainRNGFamily;
extern const vkDomainDeviceFamily vkDomainTPMFamily;

/* Copies a pointer array element by element with copyOne. */
#define VK_DOMAIN_COPY_ARRAY(dst, src, field, count, copyOne)                                 \
    do {                                                                                      \
        (dst)->field = (src)->count ? g_new0(__typeof__(*(src)->field), (src)->count) : NULL; \
        for (size_t i_ = 0; i_ < (src)->count; i_++)                                          \
            (dst)->field[i_] = copyOne((src)->field[i_]);                                     \
    } while (0)

#define VK_DOMAIN_FREE_ARRAY(def, field, count, freeOne) \
    do {                                                 \
        for (size_t i_ = 0; i_ < (def)->count; i_++)     \
            freeOne((def)->field[i_]);                   \
        g_free((def)->field);                            \
    } while (0)

/* Calls fn on the info of every element of a pointer array of devices of kind type. */
#define VK_DOMAIN_FOREACH_INFO(def, field, count, type, fn, opaque)                     \
    do {                                                                                \
        for (size_t i_ = 0; i_ < (def)->count; i_++) {                                  \
            int rc_ = fn(def, type, (def)->field[i_], &(def)->field[i_]->info, opaque); \
            if (rc_ < 0)                                                                \
                return rc_;                                                             \
        }                                                                               \
    } while (0)

/* domain_device.c: the <devices> element. */
int vkDomainDevicesParse(vkDomainDef *def, xmlNodePtr devices, unsigned int flags);
void vkDomainDevicesFormat(vkBuf *buf, const vkDomainDef *def, unsigned int flags);
void vkDomainDevicesCopy(vkDomainDef *dst, const vkDomainDef *src);
void vkDomainDevicesFree(vkDomainDef *def);
int vkDomainDevicesValidate(const vkDomainDef *def);

/* domain_controller.c: insert a controller keeping libvirt's order: grouped by type, sorted
 * by index. */
void vkDomainControllerInsert(vkDomainDef *def, vkDomainControllerDef *cont);
/* domain_video.c, domain_chr.c */
vkDomainVideoDef *vkDomainVideoDefNew(void);
vkDomainChrDef *vkDomainChrDefNew(int deviceType);

/* domain_cpu.c: <cpu>. */
int vkDomainCPUParse(vkDomainDef *def, xmlNodePtr node, unsigned int flags);
void vkDomainCPUFormat(vkBuf *buf, const vkDomainCPUDef *cpu);

/* domain_hyperv.c: <features><hyperv>. */
int vkDomainHypervParse(vkDomainHypervDef *hv, xmlNodePtr node);
void vkDomainHypervFormat(vkBuf *buf, const vkDomainHypervDef *hv);

/* domain_metadata.c: <metadata>. */
int vkDomainMetadataParse(vkDomainDef *def, xmlNodePtr node, unsigned int flags);
void vkDomainMetadataFormat(vkBuf *buf, const vkDomainDef *def);
xmlDocPtr vkDomainMetadataCopy(xmlDocPtr metadata);

/* domain_postparse.c: libvirt's defaults and the checks spanning several elements. */
int vkDomainDefPostParse(vkDomainDef *def, unsigned int flags);

/* domain_attrs.c: attributes described by a table, for the many elements that are mostly a
 * list of attributes. Parsing refuses attributes the table lacks and values out of range;
 * formatting writes the ones that are set, in table order (libvirt's). */
typedef enum {
    VK_ATTR_STRING,   /* char *; NULL when absent */
    VK_ATTR_ENUM,     /* int; absent: 0, whose name is refused ("default"/"none" entries) */
    VK_ATTR_ENUM_ANY, /* int; absent: -1; every name of the table is accepted */
    VK_ATTR_UINT,     /* unsigned int; absent: 0, and 0 is not written */
    VK_ATTR_ULL,      /* unsigned long long; absent: 0, and 0 is not written */
    VK_ATTR_INT,      /* int; absent: -1 (so the range starts at 0 or above) */
    VK_ATTR_YESNO,    /* int vkDomainTristate, yes/no */
    VK_ATTR_ONOFF,    /* int vkDomainTristate, on/off */
} vkAttrType;

#define VK_ATTR_REQUIRED (1u << 0)
#define VK_ATTR_HEX      (1u << 1) /* numbers written as 0x.. (read in any base) */
#define VK_ATTR_ZERO     (1u << 2) /* VK_ATTR_UINT/ULL: 0 is a value (written), absent is ~0 */

typedef struct {
    const char *name;
    vkAttrType type;
    size_t offset;
    int (*fromString)(const char *); /* enums */
    const char *(*toString)(int);
    unsigned long long min, max; /* numbers; max 0 means the type's maximum */
    unsigned int flags;
} vkAttrSpec;

#define VK_ATTR_STR(n, st, f)                                   \
    {                                                           \
        n, VK_ATTR_STRING, offsetof(st, f), NULL, NULL, 0, 0, 0 \
    }
#define VK_ATTR_E(n, st, f, e)                                                        \
    {                                                                                 \
        n, VK_ATTR_ENUM, offsetof(st, f), e##TypeFromString, e##TypeToString, 0, 0, 0 \
    }
#define VK_ATTR_EANY(n, st, f, e)                                                         \
    {                                                                                     \
        n, VK_ATTR_ENUM_ANY, offsetof(st, f), e##TypeFromString, e##TypeToString, 0, 0, 0 \
    }
#define VK_ATTR_U(n, st, f)                                   \
    {                                                         \
        n, VK_ATTR_UINT, offsetof(st, f), NULL, NULL, 0, 0, 0 \
    }
#define VK_ATTR_ULLONG(n, st, f)                             \
    {                                                        \
        n, VK_ATTR_ULL, offsetof(st, f), NULL, NULL, 0, 0, 0 \
    }
#define VK_ATTR_I(n, st, f)                                         \
    {                                                               \
        n, VK_ATTR_INT, offsetof(st, f), NULL, NULL, 0, G_MAXINT, 0 \
    }
#define VK_ATTR_YN(n, st, f)                                   \
    {                                                          \
        n, VK_ATTR_YESNO, offsetof(st, f), NULL, NULL, 0, 0, 0 \
    }
#define VK_ATTR_OO(n, st, f)                                   \
    {                                                          \
        n, VK_ATTR_ONOFF, offsetof(st, f), NULL, NULL, 0, 0, 0 \
    }
#define VK_ATTR_END                     \
    {                                   \
        NULL, 0, 0, NULL, NULL, 0, 0, 0 \
    }

/* Sets every field of SPECS in OBJ to "absent". */
void vkAttrsInit(const vkAttrSpec *specs, void *obj);
/* Parses NODE's attributes into OBJ (fields not given keep their value); EXTRA lists more
 * attributes the caller handles itself. Returns 0 or -1 (reported). */
int vkAttrsParse(xmlNodePtr node, const vkAttrSpec *specs, const char *const *extra, void *obj);
/* Appends the attributes of OBJ that are set to BUF (each with its leading space). */
void vkAttrsFormat(vkBuf *buf, const vkAttrSpec *specs, const void *obj);
/* TRUE when any attribute of OBJ is set. */
gboolean vkAttrsAnySet(const vkAttrSpec *specs, const void *obj);
/* Deep copies the strings of OBJ (after a memcpy of the struct) and frees them. */
void vkAttrsCopyStrings(const vkAttrSpec *specs, void *dst, const void *src);
void vkAttrsFreeStrings(const vkAttrSpec *specs, void *obj);

/* A leaf element made only of attributes: checked (no children) and parsed. */
int vkAttrsParseLeaf(xmlNodePtr node, const vkAttrSpec *specs, void *obj);

/* virtkit shell internals: command tables, parsed options and helpers shared by the
 * command files. Every command reaches the hypervisor through the public API only. */
#ifndef VIRTKIT_TOOLS_VIRTKIT_H
#define VIRTKIT_TOOLS_VIRTKIT_H

#include <stdbool.h>
#include <stddef.h>

#include <glib.h>
#include <libxml/tree.h>
#include <libxml/xpath.h>

#include <virtkit/virtkit.h>

typedef enum {
    VK_OT_BOOL,   /* --name, no value */
    VK_OT_STRING, /* --name VALUE, or positional unless VK_OFLAG_REQ_OPT */
    VK_OT_INT,    /* like STRING; help shows it as a number */
    VK_OT_DATA,   /* like STRING, documented as the command's main argument */
    VK_OT_ARGV,   /* every remaining positional argument */
    VK_OT_ALIAS,  /* another spelling; help holds "target" or "target=value" */
} vkOptType;

enum {
    VK_OFLAG_REQ = 1 << 0,      /* must be given */
    VK_OFLAG_REQ_OPT = 1 << 1,  /* only as --name VALUE, never positionally */
    VK_OFLAG_EMPTY_OK = 1 << 2, /* an empty value is accepted */
};

typedef struct {
    const char *name;
    vkOptType type;
    unsigned int flags;
    const char *help;
} vkOptDef;

/* For option definitions shared by several tables of one file. */
#define VK_OPT(name, type, flags, help) \
    {                                   \
        name, type, flags, help         \
    }

typedef struct _vkShell vkShell;
typedef struct _vkCmd vkCmd;

typedef bool (*vkCmdHandler)(vkShell *sh, const vkCmd *cmd);

enum {
    VK_CMD_NOCONNECT = 1 << 0, /* runs without a hypervisor connection */
};

typedef struct {
    const char *name;
    vkCmdHandler handler;
    const vkOptDef *opts; /* terminated by a NULL name; may be NULL */
    const char *help;     /* one line for the command list */
    const char *desc;     /* longer text for "help COMMAND"; "" for none */
    unsigned int flags;
} vkCmdDef;

typedef struct {
    const char *name;
    const char *keyword;
    const vkCmdDef *cmds; /* terminated by a NULL name */
} vkCmdGroup;

typedef struct _vkCmdOpt vkCmdOpt;
struct _vkCmdOpt {
    const vkOptDef *def;
    char *data; /* NULL for booleans */
    vkCmdOpt *next;
};

struct _vkCmd {
    const vkCmdDef *def;
    vkCmdOpt *opts;
    vkCmd *next;
};

struct _vkShell {
    const char *progname;
    char *uri;          /* from -c, VIRTKIT_DEFAULT_URI or connect; NULL: library default */
    virConnectPtr conn; /* opened on first use unless -c was given */
    bool readonly;
    bool quiet;
    bool timing;
    bool interactive;
    bool disconnected; /* the last failure looked like a lost connection: reopen it */
    char *last_error;  /* saved by the library's error callback; NULL if none */
    int last_error_code;
    bool have_error;
};

/* Lookup modes for names given on the command line, as virsh tries them. */
enum {
    VK_BYID = 1 << 0,
    VK_BYUUID = 1 << 1,
    VK_BYNAME = 1 << 2,
};

extern const vkCmdDef vkDomainCmds[];
extern const vkCmdDef vkMonitorCmds[];
extern const vkCmdDef vkHostCmds[];
extern const vkCmdDef vkNetworkCmds[];
extern const vkCmdDef vkStoragePoolCmds[];
extern const vkCmdDef vkStorageVolCmds[];
extern const vkCmdDef vkEventCmds[];

/* net-event lives with the other event command; its table row is with the net-* ones. */
extern const vkOptDef vkOptsNetEvent[];
bool vkCmdNetEvent(vkShell *sh, const vkCmd *cmd);

/* output */
void vkPrint(vkShell *sh, const char *fmt, ...) G_GNUC_PRINTF(2, 3);
void vkPrintExtra(vkShell *sh, const char *fmt, ...) G_GNUC_PRINTF(2, 3);
void vkError(vkShell *sh, const char *fmt, ...) G_GNUC_PRINTF(2, 3);
void vkResetLibError(vkShell *sh);
int vkLastErrorCode(vkShell *sh);

/* options of a parsed command */
bool vkOptBool(const vkCmd *cmd, const char *name);
int vkOptStringQuiet(const vkCmd *cmd, const char *name, const char **value);
int vkOptString(vkShell *sh, const vkCmd *cmd, const char *name, const char **value);
const vkCmdOpt *vkOptArgv(const vkCmd *cmd, const vkCmdOpt *prev);
bool vkOptExclusive(vkShell *sh, const vkCmd *cmd, const char *a, const char *b);

/* Boolean options that each add an API flag; tables end with a NULL name. */
typedef struct {
    const char *opt;
    unsigned int flag;
} vkOptFlag;
unsigned int vkOptFlags(const vkCmd *cmd, const vkOptFlag *map);

/* shared helpers */
virConnectPtr vkShellConn(vkShell *sh);
bool vkShellReconnect(vkShell *sh, const char *uri, bool readonly, bool force);
char *vkReadFile(vkShell *sh, const char *path);
virDomainPtr vkLookupDomain(vkShell *sh, const vkCmd *cmd, const char **name, unsigned int by);
virNetworkPtr vkLookupNetwork(vkShell *sh, const vkCmd *cmd, const char **name, unsigned int by);
bool vkDumpXML(vkShell *sh, const char *xml, const char *url, const char *xpath, bool wrap);
xmlDocPtr vkParseXML(const char *xml, xmlXPathContextPtr *ctxt);
xmlDocPtr vkDomainGetXML(vkShell *sh, virDomainPtr dom, unsigned int flags,
                         xmlXPathContextPtr *ctxt);
char *vkXPathString(xmlXPathContextPtr ctxt, const char *fmt, ...) G_GNUC_PRINTF(2, 3);
int vkParseInt(const char *str, int base, int *value);
int vkDomainState(vkShell *sh, virDomainPtr dom, int *reason);
const char *vkDomainStateName(int state);
int vkManagedSaveExists(virDomainPtr dom);
int vkManagedSaveRemove(vkShell *sh, virDomainPtr dom);
char **vkSplitList(const char *str);

/* tables as virsh prints them: padded columns under a dashed header line */
typedef struct _vkTable vkTable;
vkTable *vkTableNew(const char *first, ...) G_GNUC_NULL_TERMINATED;
void vkTableAdd(vkTable *table, const char *first, ...) G_GNUC_NULL_TERMINATED;
void vkTablePrint(vkShell *sh, vkTable *table);
void vkTableFree(vkTable *table);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(vkTable, vkTableFree)

/* help, shared with the interactive mode's completion */
const vkCmdGroup *vkCmdGroups(void);
const vkCmdDef *vkCmdLookup(const char *name);
bool vkCmdHelp(const vkCmdDef *def);

static inline void vkDomainRelease(virDomainPtr dom)
{
    if (dom)
        virDomainFree(dom);
}

static inline void vkNetworkRelease(virNetworkPtr net)
{
    if (net)
        virNetworkFree(net);
}

typedef virDomain vkDomainRef;
typedef virNetwork vkNetworkRef;
G_DEFINE_AUTOPTR_CLEANUP_FUNC(vkDomainRef, vkDomainRelease)
G_DEFINE_AUTOPTR_CLEANUP_FUNC(vkNetworkRef, vkNetworkRelease)
G_DEFINE_AUTOPTR_CLEANUP_FUNC(xmlDoc, xmlFreeDoc)
G_DEFINE_AUTOPTR_CLEANUP_FUNC(xmlXPathContext, xmlXPathFreeContext)
G_DEFINE_AUTOPTR_CLEANUP_FUNC(xmlXPathObject, xmlXPathFreeObject)

#endif /* VIRTKIT_TOOLS_VIRTKIT_H */

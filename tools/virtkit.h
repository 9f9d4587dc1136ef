/* The virtkit shell's front end: the connection, the command tables and the helpers shared by
 * the command files. Every command reaches the hypervisor through the public API only. */
#ifndef VIRTKIT_TOOLS_VIRTKIT_H
#define VIRTKIT_TOOLS_VIRTKIT_H

#include <stdbool.h>
#include <stddef.h>

#include <glib.h>
#include <libxml/tree.h>
#include <libxml/xpath.h>

#include <virtkit/virtkit.h>

#include "vsh.h"

/* The front end's state behind vshShell.priv: the connection and the library's last error. */
typedef struct {
    char *uri;          /* from -c, VIRTKIT_DEFAULT_URI or connect; NULL: library default */
    virConnectPtr conn; /* opened on first use unless -c was given */
    bool readonly;
    bool disconnected; /* the last failure looked like a lost connection: reopen it */
    char *last_error;  /* saved by the library's error callback; NULL if none */
    int last_error_code;
    bool have_error;
} vshSession;

/* Lookup modes for names given on the command line, as virsh tries them. */
enum {
    VSH_BYID = 1 << 0,
    VSH_BYUUID = 1 << 1,
    VSH_BYNAME = 1 << 2,
};

extern const vshCmdDef vshDomainCmds[];
extern const vshCmdDef vshMonitorCmds[];
extern const vshCmdDef vshHostCmds[];
extern const vshCmdDef vshNetworkCmds[];
extern const vshCmdDef vshStoragePoolCmds[];
extern const vshCmdDef vshStorageVolCmds[];
extern const vshCmdDef vshEventCmds[];

/* net-event lives with the other event command; its table row is with the net-* ones. */
extern const vshOptDef vshOptsNetEvent[];
bool vshCmdNetEvent(vshShell *sh, const vshCmd *cmd);
extern const vshOptDef vshOptsPoolEvent[];
bool vshCmdPoolEvent(vshShell *sh, const vshCmd *cmd);

/* the library's last error, as the front end keeps it */
void vshResetLibError(vshShell *sh);
/* keeps ERR as the command's error (what the front end prints at its end) */
void vshKeepLibError(vshShell *sh, const virError *err);
int vshLastErrorCode(vshShell *sh);

/* console (virtkit-console.c); its table row is with the domain commands. -e sets its escape
 * character. */
extern const vshOptDef vshOptsConsole[];
bool vshCmdConsole(vshShell *sh, const vshCmd *cmd);
void vshConsoleSetEscape(const char *spec);

/* shared helpers */
virConnectPtr vshShellConn(vshShell *sh);
bool vshShellReconnect(vshShell *sh, const char *uri, bool readonly, bool force);
char *vshReadFile(vshShell *sh, const char *path);
virDomainPtr vshLookupDomain(vshShell *sh, const vshCmd *cmd, const char **name, unsigned int by);
virNetworkPtr vshLookupNetwork(vshShell *sh, const vshCmd *cmd, const char **name, unsigned int by);
bool vshDumpXML(vshShell *sh, const char *xml, const char *url, const char *xpath, bool wrap);
xmlDocPtr vshParseXML(const char *xml, xmlXPathContextPtr *ctxt);
xmlDocPtr vshDomainGetXML(vshShell *sh, virDomainPtr dom, unsigned int flags,
                          xmlXPathContextPtr *ctxt);
char *vshXPathString(xmlXPathContextPtr ctxt, const char *fmt, ...) G_GNUC_PRINTF(2, 3);
int vshDomainState(vshShell *sh, virDomainPtr dom, int *reason);
/* The title (TITLE) or description of DOM, "" when it has none, as virsh reads it: through
 * virDomainGetMetadata, or from the XML of a server without that call. */
char *vshDomainDescription(vshShell *sh, virDomainPtr dom, bool title, unsigned int flags);
const char *vshDomainStateName(int state);
int vshManagedSaveExists(virDomainPtr dom);
int vshManagedSaveRemove(vshShell *sh, virDomainPtr dom);
char **vshSplitList(const char *str);

/* tables as virsh prints them: padded columns under a dashed header line */
typedef struct _vshTable vshTable;
vshTable *vshTableNew(const char *first, ...) G_GNUC_NULL_TERMINATED;
void vshTableAdd(vshTable *table, const char *first, ...) G_GNUC_NULL_TERMINATED;
void vshTablePrint(vshShell *sh, vshTable *table);
void vshTableFree(vshTable *table);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(vshTable, vshTableFree)

static inline void vshDomainRelease(virDomainPtr dom)
{
    if (dom)
        virDomainFree(dom);
}

static inline void vshNetworkRelease(virNetworkPtr net)
{
    if (net)
        virNetworkFree(net);
}

typedef virDomain vshDomainRef;
typedef virNetwork vshNetworkRef;
G_DEFINE_AUTOPTR_CLEANUP_FUNC(vshDomainRef, vshDomainRelease)
G_DEFINE_AUTOPTR_CLEANUP_FUNC(vshNetworkRef, vshNetworkRelease)
G_DEFINE_AUTOPTR_CLEANUP_FUNC(xmlDoc, xmlFreeDoc)
G_DEFINE_AUTOPTR_CLEANUP_FUNC(xmlXPathContext, xmlXPathFreeContext)
G_DEFINE_AUTOPTR_CLEANUP_FUNC(xmlXPathObject, xmlXPathFreeObject)

#endif /* VIRTKIT_TOOLS_VIRTKIT_H */

/* The shell engine's interface: how commands and their options are defined, the parsed
 * command the handlers get, output, parsing, help and interactive input. The engine knows
 * nothing of hypervisors; the front end (virtkit.h) adds the connection. */
#ifndef VIRTKIT_TOOLS_VSH_H
#define VIRTKIT_TOOLS_VSH_H

#include <stdbool.h>
#include <stddef.h>

#include <glib.h>

typedef enum {
    VSH_OT_BOOL,   /* --name, no value */
    VSH_OT_STRING, /* --name VALUE, or positional unless VSH_OFLAG_REQ_OPT */
    VSH_OT_INT,    /* like STRING; help shows it as a number */
    VSH_OT_DATA,   /* like STRING, documented as the command's main argument */
    VSH_OT_ARGV,   /* every remaining positional argument */
    VSH_OT_ALIAS,  /* another spelling; help holds "target" or "target=value" */
} vshOptType;

enum {
    VSH_OFLAG_REQ = 1 << 0,      /* must be given */
    VSH_OFLAG_REQ_OPT = 1 << 1,  /* only as --name VALUE, never positionally */
    VSH_OFLAG_EMPTY_OK = 1 << 2, /* an empty value is accepted */
};

typedef struct {
    const char *name;
    vshOptType type;
    unsigned int flags;
    const char *help;
} vshOptDef;

/* For option definitions shared by several tables of one file. */
#define VSH_OPT(name, type, flags, help) \
    {                                    \
        name, type, flags, help          \
    }

typedef struct _vshShell vshShell;
typedef struct _vshCmd vshCmd;

typedef bool (*vshCmdHandler)(vshShell *sh, const vshCmd *cmd);

enum {
    VSH_CMD_NOCONNECT = 1 << 0, /* runs without a hypervisor connection */
};

typedef struct {
    const char *name;
    vshCmdHandler handler;
    const vshOptDef *opts; /* terminated by a NULL name; may be NULL */
    const char *help;      /* one line for the command list */
    const char *desc;      /* longer text for "help COMMAND"; "" for none */
    unsigned int flags;
} vshCmdDef;

typedef struct {
    const char *name;
    const char *keyword;
    const vshCmdDef *cmds; /* terminated by a NULL name */
} vshCmdGroup;

typedef struct _vshCmdOpt vshCmdOpt;
struct _vshCmdOpt {
    const vshOptDef *def;
    char *data; /* NULL for booleans */
    vshCmdOpt *next;
};

struct _vshCmd {
    const vshCmdDef *def;
    vshCmdOpt *opts;
    vshCmd *next;
};

struct _vshShell {
    const char *progname;
    /* The front end's commands, terminated by a NULL name. It must have a "help" command whose
     * first option takes a command name: "CMD --help" becomes "help CMD". */
    const vshCmdGroup *groups;
    bool quiet;
    bool timing;
    bool interactive;
    void *priv; /* the front end's own state */
};

/* output */
void vshPrint(vshShell *sh, const char *fmt, ...) G_GNUC_PRINTF(2, 3);
void vshPrintExtra(vshShell *sh, const char *fmt, ...) G_GNUC_PRINTF(2, 3);
void vshError(vshShell *sh, const char *fmt, ...) G_GNUC_PRINTF(2, 3);

/* options of a parsed command */
bool vshOptBool(const vshCmd *cmd, const char *name);
int vshOptStringQuiet(const vshCmd *cmd, const char *name, const char **value);
int vshOptString(vshShell *sh, const vshCmd *cmd, const char *name, const char **value);
const vshCmdOpt *vshOptArgv(const vshCmd *cmd, const vshCmdOpt *prev);
bool vshOptExclusive(vshShell *sh, const vshCmd *cmd, const char *a, const char *b);

/* Boolean options that each add an API flag; tables end with a NULL name. */
typedef struct {
    const char *opt;
    unsigned int flag;
} vshOptFlag;
unsigned int vshOptFlags(const vshCmd *cmd, const vshOptFlag *map);

int vshParseInt(const char *str, int base, int *value);

/* Parsing a whole line before anything runs: one syntax error runs nothing. */
bool vshParseString(vshShell *sh, const char *line, vshCmd **cmds);
bool vshParseArgv(vshShell *sh, int argc, char **argv, vshCmd **cmds);
void vshCmdFree(vshCmd *cmd);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(vshCmd, vshCmdFree)

/* help */
const vshCmdDef *vshCmdLookup(const vshShell *sh, const char *name);
bool vshCmdHelp(const vshCmdDef *def);
void vshGroupHelp(vshShell *sh, const vshCmdGroup *grp);

/* interactive input, with completion of command and option names and a history file */
bool vshReadlineInit(vshShell *sh);
char *vshReadline(const char *prompt);
void vshReadlineDone(vshShell *sh);

#endif /* VIRTKIT_TOOLS_VSH_H */

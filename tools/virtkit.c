/* virtkit: the virsh-compatible shell. Global options, the command-line parser (argv and
 * ';'-separated strings), the command loop, the interactive mode and the built-in commands. */
#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <readline/history.h>
#include <readline/readline.h>

#include "virtkit.h"

#define VK_SHELL_NAME   "virtkit"
#define VK_PROMPT_RW    VK_SHELL_NAME " # "
#define VK_PROMPT_RO    VK_SHELL_NAME " > "
#define VK_HISTSIZE     500
#define VK_HISTSIZE_MAX 500000

/* ---- output and errors ---- */

static void vkPrintV(const char *fmt, va_list ap)
{
    g_autofree char *str = g_strdup_vprintf(fmt, ap);

    fputs(str, stdout);
    fflush(stdout);
}

void vkPrint(vkShell *sh, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    vkPrintV(fmt, ap);
    va_end(ap);
}

/* Informational text that -q suppresses. */
void vkPrintExtra(vkShell *sh, const char *fmt, ...)
{
    va_list ap;

    if (sh->quiet)
        return;
    va_start(ap, fmt);
    vkPrintV(fmt, ap);
    va_end(ap);
}

void vkError(vkShell *sh, const char *fmt, ...)
{
    va_list ap;
    g_autofree char *str = NULL;

    va_start(ap, fmt);
    str = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    /* Flush first so that "2>&1" interleaves in the order things happened. */
    fflush(stdout);
    fprintf(stderr, "error: %s\n", str);
    fflush(stderr);
}

/* The library reports each failure once; keep it until the command's end, as later calls
 * (frees, lookups of names) reset the library's own last error. */
static void vkErrorCallback(void *opaque, virErrorPtr err)
{
    vkShell *sh = opaque;

    if (!err)
        return;
    g_free(sh->last_error);
    sh->last_error = g_strdup(err->message);
    sh->last_error_code = err->code;
    sh->have_error = true;
}

void vkResetLibError(vkShell *sh)
{
    g_clear_pointer(&sh->last_error, g_free);
    sh->last_error_code = VIR_ERR_OK;
    sh->have_error = false;
    virResetLastError();
}

int vkLastErrorCode(vkShell *sh)
{
    virErrorPtr err;

    if (sh->have_error)
        return sh->last_error_code;
    err = virGetLastError();
    return err ? err->code : VIR_ERR_OK;
}

static void vkReportError(vkShell *sh)
{
    if (!sh->have_error) {
        virErrorPtr err = virGetLastError();

        if (!err || err->code == VIR_ERR_OK) {
            vkResetLibError(sh);
            return;
        }
        vkErrorCallback(sh, err);
    }
    if (sh->last_error_code == VIR_ERR_OK)
        vkError(sh, "%s", "unknown error");
    else
        vkError(sh, "%s", sh->last_error ? sh->last_error : "(null)");
    vkResetLibError(sh);
}

/* ---- connection ---- */

static bool vkShellClose(vkShell *sh)
{
    int rc;

    if (!sh->conn)
        return true;
    rc = virConnectClose(sh->conn);
    sh->conn = NULL;
    if (rc < 0)
        vkError(sh, "%s", "Failed to disconnect from the hypervisor");
    else if (rc > 0)
        vkError(sh, "%s",
                "One or more references were leaked after disconnect from the hypervisor");
    return rc == 0;
}

/* (Re)opens the connection. A NULL uri keeps the current one; readonly is kept too when
 * neither is given, as "connect" without arguments must not drop a read-only mode. */
bool vkShellReconnect(vkShell *sh, const char *uri, bool readonly, bool force)
{
    bool had_conn = sh->conn != NULL;

    if (!readonly && !uri)
        readonly = sh->readonly;
    vkShellClose(sh);

    sh->conn = readonly ? virConnectOpenReadOnly(uri ? uri : sh->uri)
                        : virConnectOpen(uri ? uri : sh->uri);
    if (!sh->conn) {
        if (sh->disconnected)
            vkError(sh, "%s", "Failed to reconnect to the hypervisor");
        else
            vkError(sh, "%s", "failed to connect to the hypervisor");
        return false;
    }
    if (uri) {
        g_free(sh->uri);
        sh->uri = g_strdup(uri);
    }
    sh->readonly = readonly;
    if (had_conn && !force)
        vkError(sh, "%s", "Reconnected to the hypervisor");
    sh->disconnected = false;
    return true;
}

virConnectPtr vkShellConn(vkShell *sh)
{
    return sh->conn;
}

static bool vkShellEnsureConn(vkShell *sh)
{
    if ((!sh->conn || sh->disconnected) && !vkShellReconnect(sh, NULL, false, false))
        return false;
    if (!sh->conn) {
        vkError(sh, "%s", "no valid connection");
        return false;
    }
    return true;
}

/* ---- options of a parsed command ---- */

static const vkOptDef vkHelpOpt = { "help", VK_OT_BOOL, 0, "print help for this function" };

static const vkCmdOpt *vkOptFind(const vkCmd *cmd, const char *name)
{
    const vkCmdOpt *opt;

    for (opt = cmd->opts; opt; opt = opt->next) {
        if (strcmp(opt->def->name, name) == 0)
            return opt;
    }
    return NULL;
}

bool vkOptBool(const vkCmd *cmd, const char *name)
{
    return vkOptFind(cmd, name) != NULL;
}

/* 1 and *value set when given (and not empty, unless that is allowed), 0 when absent,
 * -1 when given empty. */
int vkOptStringQuiet(const vkCmd *cmd, const char *name, const char **value)
{
    const vkCmdOpt *opt = vkOptFind(cmd, name);

    if (!opt)
        return 0;
    if (!*opt->data && !(opt->def->flags & VK_OFLAG_EMPTY_OK))
        return -1;
    *value = opt->data;
    return 1;
}

/* 0 with *value set (NULL when absent), or -1 after reporting an empty value. */
int vkOptString(vkShell *sh, const vkCmd *cmd, const char *name, const char **value)
{
    const vkCmdOpt *opt = vkOptFind(cmd, name);

    *value = NULL;
    if (!opt)
        return 0;
    if (!*opt->data && !(opt->def->flags & VK_OFLAG_EMPTY_OK)) {
        vkError(sh, "Failed to get option '%s': %s", name, "Option argument is empty");
        return -1;
    }
    *value = opt->data;
    return 0;
}

const vkCmdOpt *vkOptArgv(const vkCmd *cmd, const vkCmdOpt *prev)
{
    const vkCmdOpt *opt = prev ? prev->next : cmd->opts;

    for (; opt; opt = opt->next) {
        if (opt->def->type == VK_OT_ARGV)
            return opt;
    }
    return NULL;
}

bool vkOptExclusive(vkShell *sh, const vkCmd *cmd, const char *a, const char *b)
{
    if (vkOptBool(cmd, a) && vkOptBool(cmd, b)) {
        vkError(sh, "Options --%s and --%s are mutually exclusive", a, b);
        return false;
    }
    return true;
}

unsigned int vkOptFlags(const vkCmd *cmd, const vkOptFlag *map)
{
    unsigned int flags = 0;

    for (; map->opt; map++) {
        if (vkOptBool(cmd, map->opt))
            flags |= map->flag;
    }
    return flags;
}

static void vkCmdOptFree(vkCmdOpt *opt)
{
    while (opt) {
        vkCmdOpt *next = opt->next;

        g_free(opt->data);
        g_free(opt);
        opt = next;
    }
}

static void vkCmdFree(vkCmd *cmd)
{
    while (cmd) {
        vkCmd *next = cmd->next;

        vkCmdOptFree(cmd->opts);
        g_free(cmd);
        cmd = next;
    }
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC(vkCmd, vkCmdFree)

/* ---- lexer: argv words, or a command string with quotes, ';' and comments ---- */

typedef enum {
    VK_TK_ERROR,
    VK_TK_ARG,
    VK_TK_CMD_END, /* ';' or a newline: the next word starts a new command */
    VK_TK_END,
} vkToken;

typedef struct {
    char **argv; /* argv mode when non-NULL */
    int argc;
    int idx;
    const char *pos; /* string mode */
} vkLexer;

static vkToken vkLexString(vkShell *sh, vkLexer *lx, char **word, bool report)
{
    const char *p = lx->pos;
    GString *buf;
    bool squote = false;
    bool dquote = false;

    while (*p == ' ' || *p == '\t' || (*p == '\\' && p[1] == '\n'))
        p += (*p == '\\') ? 2 : 1;

    if (*p == '\0') {
        lx->pos = p;
        return VK_TK_END;
    }
    if (*p == ';' || *p == '\n') {
        lx->pos = p + 1;
        return VK_TK_CMD_END;
    }
    if (*p == '#') {
        while (*p && *p != '\n')
            p++;
        lx->pos = *p ? p + 1 : p;
        return VK_TK_CMD_END;
    }

    buf = g_string_new(NULL);
    while (*p) {
        if (!squote && !dquote && (*p == ' ' || *p == '\t' || *p == ';' || *p == '\n'))
            break;
        if (!dquote && *p == '\'') {
            squote = !squote;
            p++;
            continue;
        }
        if (!squote && *p == '\\') {
            /* Like a POSIX shell: backslash escapes inside "", not inside ''. */
            p++;
            if (*p == '\0') {
                if (report)
                    vkError(sh, "%s", "dangling \\");
                g_string_free(buf, TRUE);
                return VK_TK_ERROR;
            }
            if (*p == '\n') {
                p++;
                continue;
            }
        } else if (!squote && *p == '"') {
            dquote = !dquote;
            p++;
            continue;
        }
        g_string_append_c(buf, *p++);
    }
    if (dquote && report) {
        vkError(sh, "%s", "missing \"");
        g_string_free(buf, TRUE);
        return VK_TK_ERROR;
    }
    lx->pos = p;
    *word = g_string_free(buf, FALSE);
    return VK_TK_ARG;
}

static vkToken vkLexNext(vkShell *sh, vkLexer *lx, char **word, bool report)
{
    *word = NULL;
    if (!lx->argv)
        return vkLexString(sh, lx, word, report);
    if (lx->idx >= lx->argc)
        return VK_TK_END;
    *word = g_strdup(lx->argv[lx->idx++]);
    return VK_TK_ARG;
}

/* ---- parser ---- */

typedef struct {
    const vkCmdDef *def;
    uint64_t positional; /* options still waiting for a positional value */
    uint64_t required;
    uint64_t seen;
    vkCmdOpt *first;
    vkCmdOpt **tail;
} vkParseState;

static void vkParseStart(vkParseState *st, const vkCmdDef *def)
{
    size_t i;

    st->def = def;
    for (i = 0; def->opts && def->opts[i].name; i++) {
        const vkOptDef *opt = &def->opts[i];

        if (opt->type == VK_OT_BOOL || opt->type == VK_OT_ALIAS)
            continue;
        if (!(opt->flags & VK_OFLAG_REQ_OPT))
            st->positional |= 1ULL << i;
        if (opt->flags & VK_OFLAG_REQ)
            st->required |= 1ULL << i;
    }
}

static void vkParseAppend(vkParseState *st, const vkOptDef *def, char *data)
{
    vkCmdOpt *opt = g_new0(vkCmdOpt, 1);

    opt->def = def;
    opt->data = data;
    *st->tail = opt;
    st->tail = &opt->next;
}

static bool vkIsHelpCmd(const vkParseState *st)
{
    return strcmp(st->def->name, "help") == 0;
}

/* Resolves --NAME (aliases included) to its definition; *value may be set by an alias. */
static const vkOptDef *vkParseFindOpt(vkShell *sh, vkParseState *st, const char *name,
                                      size_t *index, char **value)
{
    const vkOptDef *opts = st->def->opts;
    g_autofree char *target = NULL;
    size_t i;

    if (strcmp(name, "help") == 0)
        return &vkHelpOpt;

    for (i = 0; opts && opts[i].name; i++) {
        if (strcmp(opts[i].name, name) != 0)
            continue;
        if (opts[i].type == VK_OT_ALIAS) {
            char *eq;

            g_free(target);
            target = g_strdup(opts[i].help);
            if ((eq = strchr(target, '='))) {
                *eq = '\0';
                if (*value) {
                    if (!vkIsHelpCmd(st))
                        vkError(sh, "invalid '=' after option --%s", opts[i].name);
                    return NULL;
                }
                *value = g_strdup(eq + 1);
            }
            name = target;
            i = (size_t)-1;
            continue;
        }
        if ((st->seen & (1ULL << i)) && opts[i].type != VK_OT_ARGV) {
            vkError(sh, "option --%s already seen", name);
            return NULL;
        }
        st->seen |= 1ULL << i;
        *index = i;
        return &opts[i];
    }
    if (!vkIsHelpCmd(st))
        vkError(sh, "command '%s' doesn't support option --%s", st->def->name, name);
    return NULL;
}

/* Handles one "--name[=value]" word; returns false on a syntax error. */
static bool vkParseOption(vkShell *sh, vkLexer *lx, vkParseState *st, char *word)
{
    g_autofree char *value = NULL;
    char *eq = strchr(word + 2, '=');
    const vkOptDef *opt;
    size_t index = 0;

    if (eq) {
        *eq = '\0';
        value = g_strdup(eq + 1);
    }
    if (!(opt = vkParseFindOpt(sh, st, word + 2, &index, &value)))
        return vkIsHelpCmd(st);

    if (opt->type == VK_OT_BOOL) {
        if (value) {
            vkError(sh, "invalid '=' after option --%s", opt->name);
            return false;
        }
        vkParseAppend(st, opt, NULL);
        return true;
    }
    if (!value) {
        vkToken tk = vkLexNext(sh, lx, &value, true);

        if (tk == VK_TK_ERROR)
            return false;
        if (tk != VK_TK_ARG) {
            vkError(sh, "expected syntax: --%s <%s>", opt->name, "string");
            return false;
        }
    }
    if (opt->type != VK_OT_ARGV)
        st->positional &= ~(1ULL << index);
    vkParseAppend(st, opt, g_steal_pointer(&value));
    return true;
}

/* Gives a bare word to the first option still waiting for a positional value. */
static bool vkParseData(vkShell *sh, vkParseState *st, char *word)
{
    const vkOptDef *opt;
    int i;

    if (!st->positional) {
        if (vkIsHelpCmd(st)) {
            g_free(word);
            return true;
        }
        vkError(sh, "unexpected data '%s'", word);
        g_free(word);
        return false;
    }
    i = __builtin_ffsll((long long)st->positional) - 1;
    opt = &st->def->opts[i];
    if (opt->type != VK_OT_ARGV)
        st->positional &= ~(1ULL << i);
    st->seen |= 1ULL << i;
    vkParseAppend(st, opt, word);
    return true;
}

/* Builds the command; "--help" anywhere turns it into "help COMMAND". */
static vkCmd *vkParseFinish(vkShell *sh, vkParseState *st)
{
    g_autoptr(vkCmd) cmd = g_new0(vkCmd, 1);
    const vkCmdOpt *opt;
    uint64_t missing;
    size_t i;

    cmd->def = st->def;
    cmd->opts = g_steal_pointer(&st->first);
    for (opt = cmd->opts; opt; opt = opt->next) {
        if (opt->def == &vkHelpOpt) {
            const vkCmdDef *help = vkCmdLookup("help");

            vkCmdOptFree(cmd->opts);
            cmd->opts = g_new0(vkCmdOpt, 1);
            cmd->opts->def = &help->opts[0];
            cmd->opts->data = g_strdup(st->def->name);
            cmd->def = help;
            return g_steal_pointer(&cmd);
        }
    }

    missing = st->required & ~st->seen;
    if (!missing)
        return g_steal_pointer(&cmd);
    for (i = 0; st->def->opts[i].name; i++) {
        const vkOptDef *def = &st->def->opts[i];

        if (!(missing & (1ULL << i)))
            continue;
        if (def->type == VK_OT_DATA || def->type == VK_OT_ARGV)
            vkError(sh, "command '%s' requires <%s> option", st->def->name, def->name);
        else
            vkError(sh, "command '%s' requires --%s option", st->def->name, def->name);
    }
    return NULL;
}

/* Parses one command up to ';', a newline or the end. *out stays NULL for empty commands
 * and comments. Returns the token that ended it, or VK_TK_ERROR after reporting. */
static vkToken vkParseOne(vkShell *sh, vkLexer *lx, vkCmd **out)
{
    vkParseState st = { 0 };
    bool data_only = false;
    vkToken tk;

    st.tail = &st.first;
    *out = NULL;
    for (;;) {
        char *word = NULL;

        tk = vkLexNext(sh, lx, &word, true);
        if (tk != VK_TK_ARG)
            break;

        if (!st.def) {
            if (word[0] == '#') {
                /* A comment word in argv mode swallows the rest of the command. */
                do {
                    g_free(word);
                    tk = vkLexNext(sh, lx, &word, false);
                } while (tk == VK_TK_ARG);
                g_free(word);
                return tk == VK_TK_ERROR ? VK_TK_END : tk;
            }
            if (!(st.def = vkCmdLookup(word))) {
                vkError(sh, "unknown command: '%s'", word);
                g_free(word);
                goto error;
            }
            vkParseStart(&st, st.def);
            g_free(word);
        } else if (!data_only && word[0] == '-' && word[1] == '-' && g_ascii_isalnum(word[2])) {
            bool ok = vkParseOption(sh, lx, &st, word);

            g_free(word);
            if (!ok)
                goto error;
        } else if (!data_only && strcmp(word, "--") == 0) {
            g_free(word);
            data_only = true;
        } else if (!vkParseData(sh, &st, word)) {
            goto error;
        }
    }
    if (tk == VK_TK_ERROR)
        goto error;
    if (st.def && !(*out = vkParseFinish(sh, &st)))
        goto error;
    return tk;

error:
    vkCmdOptFree(st.first);
    return VK_TK_ERROR;
}

/* Parses every command of the line before any runs: one syntax error runs nothing. */
static bool vkParse(vkShell *sh, vkLexer *lx, vkCmd **cmds)
{
    g_autoptr(vkCmd) head = NULL;
    vkCmd **tail = &head;
    vkToken tk;

    do {
        vkCmd *cmd = NULL;

        if ((tk = vkParseOne(sh, lx, &cmd)) == VK_TK_ERROR)
            return false;
        if (cmd) {
            *tail = cmd;
            tail = &cmd->next;
        }
    } while (tk != VK_TK_END);
    *cmds = g_steal_pointer(&head);
    return true;
}

static bool vkParseString(vkShell *sh, const char *line, vkCmd **cmds)
{
    vkLexer lx = { .pos = line };

    *cmds = NULL;
    if (!line || !*line)
        return false;
    return vkParse(sh, &lx, cmds);
}

static bool vkParseArgv(vkShell *sh, int argc, char **argv, vkCmd **cmds)
{
    vkLexer lx = { .argv = argv, .argc = argc };

    *cmds = NULL;
    if (argc <= 0)
        return false;
    return vkParse(sh, &lx, cmds);
}

/* ---- command loop ---- */

static bool vkIsQuit(const vkCmd *cmd)
{
    return strcmp(cmd->def->name, "quit") == 0 || strcmp(cmd->def->name, "exit") == 0;
}

/* Runs commands in order; the result is that of the last one, as in virsh. */
static bool vkRun(vkShell *sh, const vkCmd *cmd)
{
    bool ret = true;

    for (; cmd; cmd = cmd->next) {
        gint64 before = g_get_real_time();

        if ((cmd->def->flags & VK_CMD_NOCONNECT) || vkShellEnsureConn(sh))
            ret = cmd->def->handler(sh, cmd);
        else
            ret = false;

        if (!ret) {
            int code = vkLastErrorCode(sh);

            if (code == VIR_ERR_NO_CONNECT || code == VIR_ERR_INVALID_CONN || code == VIR_ERR_RPC)
                sh->disconnected = true;
            vkReportError(sh);
        }
        if (vkIsQuit(cmd))
            return ret;
        if (sh->timing)
            vkPrint(sh, "\n(Time: %.3f ms)\n\n", (g_get_real_time() - before) / 1000.0);
        else
            vkPrintExtra(sh, "\n");
    }
    return ret;
}

/* ---- built-in commands ---- */

static const vkOptDef vkOptsHelp[] = {
    { "command", VK_OT_STRING, 0,
      "Prints global help, command specific help, or help for a group of related commands" },
    { NULL },
};

static void vkGroupHelp(vkShell *sh, const vkCmdGroup *grp)
{
    const vkCmdDef *def;

    vkPrint(sh, " %s (help keyword '%s'):\n", grp->name, grp->keyword);
    for (def = grp->cmds; def->name; def++)
        vkPrint(sh, "    %-30s %s\n", def->name, def->help);
}

static bool vkCmdHelpHandler(vkShell *sh, const vkCmd *cmd)
{
    const vkCmdGroup *grp;
    const vkCmdDef *def;
    const char *name = NULL;

    if (vkOptStringQuiet(cmd, "command", &name) <= 0) {
        vkPrint(sh, "%s", "Grouped commands:\n\n");
        for (grp = vkCmdGroups(); grp->name; grp++) {
            vkGroupHelp(sh, grp);
            vkPrint(sh, "\n");
        }
        return true;
    }
    if ((def = vkCmdLookup(name)))
        return vkCmdHelp(def);
    for (grp = vkCmdGroups(); grp->name; grp++) {
        if (strcmp(grp->name, name) == 0 || strcmp(grp->keyword, name) == 0) {
            vkGroupHelp(sh, grp);
            return true;
        }
    }
    vkError(sh, "command or command group '%s' doesn't exist", name);
    return false;
}

/* The usage text of one command, in virsh's layout. */
bool vkCmdHelp(const vkCmdDef *def)
{
    const vkOptDef *opt;
    bool shortopt = false; /* some option may be given without its --name */

    printf("  NAME\n    %s - %s\n", def->name, def->help);
    printf("\n  SYNOPSIS\n    %s", def->name);
    for (opt = def->opts; opt && opt->name; opt++) {
        bool req = opt->flags & VK_OFLAG_REQ;
        const char *pre = "";
        const char *post = "";

        switch (opt->type) {
        case VK_OT_BOOL:
            pre = "[--";
            post = "]";
            break;
        case VK_OT_STRING:
        case VK_OT_INT:
            pre = "[--";
            post = opt->type == VK_OT_INT ? " <number>]" : " <string>]";
            shortopt |= !(opt->flags & VK_OFLAG_REQ_OPT);
            break;
        case VK_OT_DATA:
            pre = req ? "<" : "[<";
            post = req ? ">" : ">]";
            shortopt |= !(opt->flags & VK_OFLAG_REQ_OPT);
            break;
        case VK_OT_ARGV:
            if (shortopt) {
                pre = req ? "{[--" : "[[--";
                post = req ? "] <string>}..." : "] <string>]...";
            } else {
                pre = req ? "<" : "[<";
                post = req ? ">..." : ">]...";
            }
            break;
        case VK_OT_ALIAS:
            continue;
        }
        printf(" %s%s%s", pre, opt->name, post);
    }
    putchar('\n');

    if (def->desc && *def->desc)
        printf("\n  DESCRIPTION\n    %s\n", def->desc);

    if (def->opts && def->opts->name) {
        printf("\n  OPTIONS\n");
        for (opt = def->opts; opt->name; opt++) {
            g_autofree char *label = NULL;

            switch (opt->type) {
            case VK_OT_BOOL:
                label = g_strdup_printf("--%s", opt->name);
                break;
            case VK_OT_STRING:
                label = g_strdup_printf("--%s <string>", opt->name);
                break;
            case VK_OT_INT:
                label = g_strdup_printf("--%s <number>", opt->name);
                break;
            case VK_OT_DATA:
                label = g_strdup_printf("[--%s] <string>", opt->name);
                break;
            case VK_OT_ARGV:
                label = g_strdup_printf(shortopt ? "[--%s] <string>" : "<%s>", opt->name);
                break;
            case VK_OT_ALIAS:
                continue;
            }
            printf("    %-15s  %s\n", label, opt->help);
        }
    }
    putchar('\n');
    fflush(stdout);
    return true;
}

static bool vkCmdQuit(vkShell *sh, const vkCmd *cmd)
{
    sh->interactive = false;
    return true;
}

static const vkOptDef vkOptsCd[] = {
    { "dir", VK_OT_STRING, 0, "directory to switch to (default: home or else root)" },
    { NULL },
};

static bool vkCmdCd(vkShell *sh, const vkCmd *cmd)
{
    const char *dir = NULL;

    if (!sh->interactive) {
        vkError(sh, "%s", "cd: command valid only in interactive mode");
        return false;
    }
    if (vkOptStringQuiet(cmd, "dir", &dir) <= 0)
        dir = g_get_home_dir();
    if (!dir)
        dir = "/";
    if (chdir(dir) < 0) {
        vkError(sh, "cd: %s: %s", g_strerror(errno), dir);
        return false;
    }
    return true;
}

static bool vkCmdPwd(vkShell *sh, const vkCmd *cmd)
{
    g_autofree char *cwd = g_get_current_dir();

    vkPrint(sh, "%s\n", cwd);
    return true;
}

static const vkOptDef vkOptsEcho[] = {
    { "shell", VK_OT_BOOL, 0, "escape for shell use" },
    { "xml", VK_OT_BOOL, 0, "escape for XML use" },
    { "split", VK_OT_BOOL, 0, "split each argument on ','; ',,' is an escape sequence" },
    { "err", VK_OT_BOOL, 0, "output to stderr" },
    { "str", VK_OT_ALIAS, 0, "string" },
    { "hi", VK_OT_ALIAS, 0, "string=hello" },
    { "string", VK_OT_ARGV, 0, "arguments to echo" },
    { NULL },
};

static void vkEscapeShell(GString *buf, const char *str)
{
    const char *p;

    if (!*str) {
        g_string_append(buf, "''");
        return;
    }
    if (!strpbrk(str, "\r\t\n !\"#$&'()*;<>?[\\]^`{|}~")) {
        g_string_append(buf, str);
        return;
    }
    g_string_append_c(buf, '\'');
    for (p = str; *p; p++) {
        if (*p == '\'')
            g_string_append(buf, "'\\'");
        g_string_append_c(buf, *p);
    }
    g_string_append_c(buf, '\'');
}

static void vkEscapeXML(GString *buf, const char *str)
{
    const char *p;

    for (p = str; *p; p++) {
        switch (*p) {
        case '<':
            g_string_append(buf, "&lt;");
            break;
        case '>':
            g_string_append(buf, "&gt;");
            break;
        case '&':
            g_string_append(buf, "&amp;");
            break;
        case '"':
            g_string_append(buf, "&quot;");
            break;
        case '\'':
            g_string_append(buf, "&apos;");
            break;
        default:
            /* XML 1.0 cannot carry these control characters at all. */
            if ((unsigned char)*p >= 0x20 || *p == '\t' || *p == '\n' || *p == '\r')
                g_string_append_c(buf, *p);
        }
    }
}

static bool vkCmdEcho(vkShell *sh, const vkCmd *cmd)
{
    bool shell = vkOptBool(cmd, "shell");
    bool xml = vkOptBool(cmd, "xml");
    bool split = vkOptBool(cmd, "split");
    g_autoptr(GString) buf = g_string_new(NULL);
    const vkCmdOpt *opt = NULL;

    if (!vkOptExclusive(sh, cmd, "shell", "xml") || !vkOptExclusive(sh, cmd, "shell", "split") ||
        !vkOptExclusive(sh, cmd, "xml", "split"))
        return false;

    while ((opt = vkOptArgv(cmd, opt))) {
        if (xml) {
            vkEscapeXML(buf, opt->data);
        } else if (shell) {
            vkEscapeShell(buf, opt->data);
        } else if (split) {
            g_auto(GStrv) parts = vkSplitList(opt->data);
            char **part;

            for (part = parts; *part; part++)
                g_string_append_printf(buf, "%s\n", *part);
        } else {
            g_string_append(buf, opt->data);
        }
        g_string_append_c(buf, ' ');
    }
    while (buf->len && buf->str[buf->len - 1] == ' ')
        g_string_truncate(buf, buf->len - 1);
    if (!buf->len)
        return true;
    if (vkOptBool(cmd, "err"))
        vkError(sh, "%s", buf->str);
    else
        vkPrint(sh, "%s", buf->str);
    return true;
}

static const vkOptDef vkOptsConnect[] = {
    { "name", VK_OT_STRING, VK_OFLAG_EMPTY_OK, "hypervisor connection URI" },
    { "readonly", VK_OT_BOOL, 0, "read-only connection" },
    { NULL },
};

static bool vkCmdConnect(vkShell *sh, const vkCmd *cmd)
{
    const char *uri = NULL;

    if (vkOptString(sh, cmd, "name", &uri) < 0)
        return false;
    return vkShellReconnect(sh, uri, vkOptBool(cmd, "readonly"), true);
}

static const vkCmdDef vkShellCmds[] = {
    { "cd", vkCmdCd, vkOptsCd, "change the current directory", "Change the current directory.",
      VK_CMD_NOCONNECT },
    { "echo", vkCmdEcho, vkOptsEcho, "echo arguments. Used for internal testing.",
      "Echo back arguments, possibly with quoting. Used for internal testing.", VK_CMD_NOCONNECT },
    { "exit", vkCmdQuit, NULL, "quit this interactive terminal", "", VK_CMD_NOCONNECT },
    { "help", vkCmdHelpHandler, vkOptsHelp, "print help",
      "Prints global help, command specific help, or help for a\n"
      "    group of related commands",
      VK_CMD_NOCONNECT },
    { "pwd", vkCmdPwd, NULL, "print the current directory", "Print the current directory.",
      VK_CMD_NOCONNECT },
    { "quit", vkCmdQuit, NULL, "quit this interactive terminal", "", VK_CMD_NOCONNECT },
    { "connect", vkCmdConnect, vkOptsConnect, "(re)connect to hypervisor",
      "Connect to local hypervisor. This is built-in command after shell start up.",
      VK_CMD_NOCONNECT },
    { NULL },
};

static const vkCmdGroup vkGroups[] = {
    { "Domain Management", "domain", vkDomainCmds },
    { "Domain Monitoring", "monitor", vkMonitorCmds },
    { "Domain Events", "events", vkEventCmds },
    { "Host and Hypervisor", "host", vkHostCmds },
    { "Networking", "network", vkNetworkCmds },
    { "Storage Pool", "pool", vkStoragePoolCmds },
    { "Storage Volume", "volume", vkStorageVolCmds },
    { "Virtkit itself", "virtkit", vkShellCmds },
    { NULL },
};

const vkCmdGroup *vkCmdGroups(void)
{
    return vkGroups;
}

const vkCmdDef *vkCmdLookup(const char *name)
{
    const vkCmdGroup *grp;
    const vkCmdDef *def;

    for (grp = vkGroups; grp->name; grp++) {
        for (def = grp->cmds; def->name; def++) {
            if (strcmp(def->name, name) == 0)
                return def;
        }
    }
    return NULL;
}

/* ---- interactive mode ---- */

/* Completes command names in the first word of a command, and the current command's
 * options after it; anything else falls back to readline's file names. Readline calls this
 * generator repeatedly and gives it no context pointer, hence the function-local statics. */
static char *vkComplete(const char *text, int state)
{
    static const vkCmdGroup *grp;
    static const vkCmdDef *def;
    static const vkOptDef *opt;
    static const vkCmdDef *owner;
    size_t len = strlen(text);

    if (!state) {
        g_autofree char *line = g_strndup(rl_line_buffer, rl_point - len);
        char *start = strrchr(line, ';');
        g_auto(GStrv) words = g_strsplit_set(start ? start + 1 : line, " \t", -1);
        char **w;

        grp = vkGroups;
        def = grp->cmds;
        owner = NULL;
        for (w = words; *w; w++) {
            if (**w) {
                owner = vkCmdLookup(*w);
                opt = owner ? owner->opts : NULL;
                break;
            }
        }
        if (*w == NULL)
            owner = NULL;
        else if (!owner)
            return NULL;
    }

    if (!owner) {
        while (grp->name) {
            for (; def->name; def++) {
                if (strncmp(def->name, text, len) == 0)
                    return g_strdup((def++)->name);
            }
            grp++;
            def = grp->name ? grp->cmds : NULL;
        }
        return NULL;
    }
    if (strncmp(text, "--", MIN(len, 2)) != 0)
        return NULL;
    for (; opt && opt->name; opt++) {
        if (opt->type == VK_OT_ALIAS)
            continue;
        if (strncmp(opt->name, text + MIN(len, 2), len - MIN(len, 2)) == 0)
            return g_strdup_printf("--%s", (opt++)->name);
    }
    return NULL;
}

static char **vkCompletion(const char *text, int start, int end)
{
    char **matches = rl_completion_matches(text, vkComplete);

    if (matches || (text[0] == '-'))
        rl_attempted_completion_over = 1;
    return matches;
}

static char *vkHistoryPath(void)
{
    return g_build_filename(g_get_user_cache_dir(), VK_SHELL_NAME, "history", NULL);
}

static bool vkReadlineInit(vkShell *sh)
{
    const char *env = getenv("VIRTKIT_HISTSIZE");
    g_autofree char *path = vkHistoryPath();
    int size = VK_HISTSIZE;

    rl_readline_name = VK_SHELL_NAME;
    rl_attempted_completion_function = vkCompletion;
    rl_basic_word_break_characters = " \t\n`@$><=;|&{(";
    rl_completer_quote_characters = "\"'";
    if (env) {
        if (vkParseInt(env, 10, &size) < 0) {
            vkError(sh, "Bad $%s value.", "VIRTKIT_HISTSIZE");
            return false;
        }
        if (size < 0 || size > VK_HISTSIZE_MAX) {
            vkError(sh, "$%s value should be between 0 and %d", "VIRTKIT_HISTSIZE",
                    VK_HISTSIZE_MAX);
            return false;
        }
    }
    stifle_history(size);
    read_history(path);
    return true;
}

static void vkReadlineDone(vkShell *sh)
{
    g_autofree char *path = vkHistoryPath();
    g_autofree char *dir = g_path_get_dirname(path);

    if (g_mkdir_with_parents(dir, 0755) < 0 && errno != EEXIST) {
        vkError(sh, "Failed to create '%s': %s", dir, g_strerror(errno));
        return;
    }
    write_history(path);
}

static bool vkInteractive(vkShell *sh)
{
    char *line = NULL;

    if (!vkReadlineInit(sh))
        return false;
    if (!sh->quiet) {
        vkPrint(sh, "Welcome to %s, the virtualization interactive terminal.\n\n", sh->progname);
        vkPrint(sh, "%s",
                "Type:  'help' for help with commands\n"
                "       'quit' to quit\n\n");
    }
    do {
        g_autoptr(vkCmd) cmds = NULL;

        line = readline(sh->readonly ? VK_PROMPT_RO : VK_PROMPT_RW);
        if (!line)
            break;
        if (*line) {
            add_history(line);
            if (vkParseString(sh, line, &cmds))
                vkRun(sh, cmds);
        }
        free(line);
    } while (sh->interactive);

    putchar('\n'); /* end the line that holds the last prompt */
    vkReadlineDone(sh);
    return true;
}

/* ---- global options ---- */

static void vkUsage(const char *progname)
{
    const vkCmdGroup *grp;
    const vkCmdDef *def;

    printf("\n%s [options]... [<command_string>]"
           "\n%s [options]... <command> [args...]\n\n"
           "  options:\n"
           "    -c | --connect=URI      hypervisor connection URI\n"
           "    -d | --debug=NUM        debug level [0-4] (accepted, no debug output)\n"
           "    -e | --escape <char>    set escape sequence for console (no console yet)\n"
           "    -h | --help             this help\n"
           "    -k | --keepalive-interval=NUM\n"
           "                            keepalive interval in seconds (accepted, unused)\n"
           "    -K | --keepalive-count=NUM\n"
           "                            missed keepalive messages (accepted, unused)\n"
           "    -l | --log=FILE         output logging to file (accepted, no log written)\n"
           "    -q | --quiet            quiet mode\n"
           "    -r | --readonly         connect readonly\n"
           "    -t | --timing           print timing information\n"
           "    -v                      short version\n"
           "    -V                      long version\n"
           "         --version[=TYPE]   version, TYPE is short or long (default short)\n"
           "  commands (non interactive mode):\n\n",
           progname, progname);
    for (grp = vkGroups; grp->name; grp++) {
        printf(" %s (help keyword '%s')\n", grp->name, grp->keyword);
        for (def = grp->cmds; def->name; def++)
            printf("    %-30s %s\n", def->name, def->help);
        printf("\n");
    }
    printf("\n  (specify help <group> for details about the commands in the group)\n");
    printf("\n  (specify help <command> for details about the command)\n\n");
}

static void vkShowVersion(bool full)
{
    unsigned long version = 0;

    if (virGetVersion(&version, NULL, NULL) < 0)
        version = 0;
    if (!full) {
        printf("%lu.%lu.%lu\n", version / 1000000, version / 1000 % 1000, version % 1000);
        return;
    }
    printf("Virtkit command line tool, API version %lu.%lu.%lu\n", version / 1000000,
           version / 1000 % 1000, version % 1000);
    printf("Compiled with support for:\n");
    printf(" Hypervisors: QEMU/KVM Test\n");
    printf(" Networking: Network Bridging\n");
    printf(" Miscellaneous: Readline\n");
}

static bool vkEscapeCharOK(const char *s)
{
    size_t len = strlen(s);

    if (len == 1)
        return *s != '^';
    return len == 2 && s[0] == '^' &&
           ((s[1] >= 'a' && s[1] <= 'z') || (s[1] >= '@' && s[1] <= '_'));
}

static const struct option vkLongOpts[] = {
    { "connect", required_argument, NULL, 'c' },
    { "debug", required_argument, NULL, 'd' },
    { "escape", required_argument, NULL, 'e' },
    { "help", no_argument, NULL, 'h' },
    { "keepalive-interval", required_argument, NULL, 'k' },
    { "keepalive-count", required_argument, NULL, 'K' },
    { "log", required_argument, NULL, 'l' },
    { "quiet", no_argument, NULL, 'q' },
    { "readonly", no_argument, NULL, 'r' },
    { "timing", no_argument, NULL, 't' },
    { "version", optional_argument, NULL, 'v' },
    { NULL, 0, NULL, 0 },
};

/* Checks a numeric global option; exits as virsh does when it is malformed. */
static void vkCheckNumber(vkShell *sh, int opt, int longindex, const char *arg)
{
    g_autofree char *optname = NULL;
    int value;

    if (longindex >= 0)
        optname = g_strdup_printf("--%s", vkLongOpts[longindex].name);
    else
        optname = g_strdup_printf("-%c", opt);

    if (opt == 'd') {
        if (vkParseInt(arg, 10, &value) < 0) {
            vkError(sh, "option %s takes a numeric argument", optname);
            exit(EXIT_FAILURE);
        }
        if (value < 0 || value > 4)
            vkError(sh, "ignoring debug level %d out of range [%d-%d]", value, 0, 4);
        return;
    }
    if (vkParseInt(arg, 0, &value) < 0) {
        vkError(sh, "Invalid value for option %s", optname);
        exit(EXIT_FAILURE);
    }
    if (value < 0) {
        vkError(sh, "option %s requires a positive integer argument", optname);
        exit(EXIT_FAILURE);
    }
}

/* Parses the global options and the command(s); exits on -h, -v and malformed options. */
static bool vkParseGlobal(vkShell *sh, int argc, char **argv, vkCmd **cmds)
{
    int longindex = -1;
    int opt;
    size_t i;

    /* "+": stop at the first command word, so commands keep their own options. */
    while ((opt = getopt_long(argc, argv, "+:c:d:e:hk:K:l:qrtvV", vkLongOpts, &longindex)) != -1) {
        switch (opt) {
        case 'c':
            g_free(sh->uri);
            sh->uri = g_strdup(optarg);
            break;
        case 'd':
        case 'k':
        case 'K':
            vkCheckNumber(sh, opt, longindex, optarg);
            break;
        case 'e':
            if (!vkEscapeCharOK(optarg)) {
                vkError(sh, "Invalid string '%s' for escape sequence", optarg);
                exit(EXIT_FAILURE);
            }
            break;
        case 'h':
            vkUsage(sh->progname);
            exit(EXIT_SUCCESS);
        case 'l':
            /* Accepted for compatibility; the shell keeps no log file. */
            break;
        case 'q':
            sh->quiet = true;
            break;
        case 'r':
            sh->readonly = true;
            break;
        case 't':
            sh->timing = true;
            break;
        case 'v':
            vkShowVersion(optarg && strcmp(optarg, "long") == 0);
            exit(EXIT_SUCCESS);
        case 'V':
            vkShowVersion(true);
            exit(EXIT_SUCCESS);
        case ':':
            for (i = 0; vkLongOpts[i].name; i++) {
                if (vkLongOpts[i].val == optopt)
                    break;
            }
            if (vkLongOpts[i].name)
                vkError(sh, "option '-%c'/'--%s' requires an argument", optopt, vkLongOpts[i].name);
            else
                vkError(sh, "option '-%c' requires an argument", optopt);
            exit(EXIT_FAILURE);
        default:
            if (optopt)
                vkError(sh, "unsupported option '-%c'. See --help.", optopt);
            else
                vkError(sh, "unsupported option '%s'. See --help.", argv[optind - 1]);
            exit(EXIT_FAILURE);
        }
        longindex = -1;
    }

    if (optind == argc) {
        sh->interactive = true;
        return true;
    }
    if (argc - optind == 1)
        return vkParseString(sh, argv[optind], cmds);
    return vkParseArgv(sh, argc - optind, argv + optind, cmds);
}

/* An explicit URI must work from the start; the default one is opened on first use, so
 * that "help" or "connect" never need it. */
static bool vkShellStart(vkShell *sh)
{
    const char *env = getenv("VIRTKIT_DEFAULT_URI");

    if (sh->uri) {
        if (vkShellReconnect(sh, NULL, false, false))
            return true;
        vkReportError(sh);
        return false;
    }
    if (env && *env)
        sh->uri = g_strdup(env);
    return true;
}

int main(int argc, char **argv)
{
    vkShell shell = { 0 };
    vkShell *sh = &shell;
    g_autoptr(vkCmd) cmds = NULL;
    bool ret = false;
    const char *slash = strrchr(argv[0], '/');

    sh->progname = slash ? slash + 1 : argv[0];
    if (virInitialize() < 0) {
        vkError(sh, "%s", "Failed to initialize libvirt");
        return EXIT_FAILURE;
    }
    virSetErrorFunc(sh, vkErrorCallback);

    if (vkParseGlobal(sh, argc, argv, &cmds) && vkShellStart(sh))
        ret = sh->interactive ? vkInteractive(sh) : vkRun(sh, cmds);

    vkShellClose(sh);
    vkResetLibError(sh);
    g_free(sh->uri);
    return ret ? EXIT_SUCCESS : EXIT_FAILURE;
}

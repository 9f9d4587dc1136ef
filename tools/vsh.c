/* The shell engine, which knows nothing of hypervisors: output, the options of a parsed
 * command, the lexer and parser (argv words or ';'-separated strings), help texts and the
 * interactive input with readline. The front end (virtkit.c) supplies the commands. */
#include <dlfcn.h>
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vsh-readline.h"
#include "vsh.h"

#define VSH_HISTORY_NAME "virtkit"
#define VSH_HISTSIZE     500
#define VSH_HISTSIZE_MAX 500000

/* ---- output and errors ---- */

static void vshPrintV(const char *fmt, va_list ap)
{
    g_autofree char *str = g_strdup_vprintf(fmt, ap);

    fputs(str, stdout);
    fflush(stdout);
}

void vshPrint(vshShell *sh, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    vshPrintV(fmt, ap);
    va_end(ap);
}

/* Informational text that -q suppresses. */
void vshPrintExtra(vshShell *sh, const char *fmt, ...)
{
    va_list ap;

    if (sh->quiet)
        return;
    va_start(ap, fmt);
    vshPrintV(fmt, ap);
    va_end(ap);
}

void vshError(vshShell *sh, const char *fmt, ...)
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

int vshParseInt(const char *str, int base, int *value)
{
    char *end = NULL;
    long val;

    errno = 0;
    val = strtol(str, &end, base);
    if (errno || end == str || *end || val < INT_MIN || val > INT_MAX)
        return -1;
    *value = (int)val;
    return 0;
}

/* ---- options of a parsed command ---- */

static const vshOptDef vshHelpOpt = { "help", VSH_OT_BOOL, 0, "print help for this function" };

static const vshCmdOpt *vshOptFind(const vshCmd *cmd, const char *name)
{
    const vshCmdOpt *opt;

    for (opt = cmd->opts; opt; opt = opt->next) {
        if (strcmp(opt->def->name, name) == 0)
            return opt;
    }
    return NULL;
}

bool vshOptBool(const vshCmd *cmd, const char *name)
{
    return vshOptFind(cmd, name) != NULL;
}

/* 1 and *value set when given (and not empty, unless that is allowed), 0 when absent,
 * -1 when given empty. */
int vshOptStringQuiet(const vshCmd *cmd, const char *name, const char **value)
{
    const vshCmdOpt *opt = vshOptFind(cmd, name);

    if (!opt)
        return 0;
    if (!*opt->data && !(opt->def->flags & VSH_OFLAG_EMPTY_OK))
        return -1;
    *value = opt->data;
    return 1;
}

/* 0 with *value set (NULL when absent), or -1 after reporting an empty value. */
int vshOptString(vshShell *sh, const vshCmd *cmd, const char *name, const char **value)
{
    const vshCmdOpt *opt = vshOptFind(cmd, name);

    *value = NULL;
    if (!opt)
        return 0;
    if (!*opt->data && !(opt->def->flags & VSH_OFLAG_EMPTY_OK)) {
        vshError(sh, "Failed to get option '%s': %s", name, "Option argument is empty");
        return -1;
    }
    *value = opt->data;
    return 0;
}

const vshCmdOpt *vshOptArgv(const vshCmd *cmd, const vshCmdOpt *prev)
{
    const vshCmdOpt *opt = prev ? prev->next : cmd->opts;

    for (; opt; opt = opt->next) {
        if (opt->def->type == VSH_OT_ARGV)
            return opt;
    }
    return NULL;
}

bool vshOptExclusive(vshShell *sh, const vshCmd *cmd, const char *a, const char *b)
{
    if (vshOptBool(cmd, a) && vshOptBool(cmd, b)) {
        vshError(sh, "Options --%s and --%s are mutually exclusive", a, b);
        return false;
    }
    return true;
}

unsigned int vshOptFlags(const vshCmd *cmd, const vshOptFlag *map)
{
    unsigned int flags = 0;

    for (; map->opt; map++) {
        if (vshOptBool(cmd, map->opt))
            flags |= map->flag;
    }
    return flags;
}

static void vshCmdOptFree(vshCmdOpt *opt)
{
    while (opt) {
        vshCmdOpt *next = opt->next;

        g_free(opt->data);
        g_free(opt);
        opt = next;
    }
}

void vshCmdFree(vshCmd *cmd)
{
    while (cmd) {
        vshCmd *next = cmd->next;

        vshCmdOptFree(cmd->opts);
        g_free(cmd);
        cmd = next;
    }
}

/* ---- lexer: argv words, or a command string with quotes, ';' and comments ---- */

typedef enum {
    VSH_TK_ERROR,
    VSH_TK_ARG,
    VSH_TK_CMD_END, /* ';' or a newline: the next word starts a new command */
    VSH_TK_END,
} vshToken;

typedef struct {
    char **argv; /* argv mode when non-NULL */
    int argc;
    int idx;
    const char *pos; /* string mode */
} vshLexer;

static vshToken vshLexString(vshShell *sh, vshLexer *lx, char **word, bool report)
{
    const char *p = lx->pos;
    GString *buf;
    bool squote = false;
    bool dquote = false;

    while (*p == ' ' || *p == '\t' || (*p == '\\' && p[1] == '\n'))
        p += (*p == '\\') ? 2 : 1;

    if (*p == '\0') {
        lx->pos = p;
        return VSH_TK_END;
    }
    if (*p == ';' || *p == '\n') {
        lx->pos = p + 1;
        return VSH_TK_CMD_END;
    }
    if (*p == '#') {
        while (*p && *p != '\n')
            p++;
        lx->pos = *p ? p + 1 : p;
        return VSH_TK_CMD_END;
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
                    vshError(sh, "%s", "dangling \\");
                g_string_free(buf, TRUE);
                return VSH_TK_ERROR;
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
        vshError(sh, "%s", "missing \"");
        g_string_free(buf, TRUE);
        return VSH_TK_ERROR;
    }
    lx->pos = p;
    *word = g_string_free(buf, FALSE);
    return VSH_TK_ARG;
}

static vshToken vshLexNext(vshShell *sh, vshLexer *lx, char **word, bool report)
{
    *word = NULL;
    if (!lx->argv)
        return vshLexString(sh, lx, word, report);
    if (lx->idx >= lx->argc)
        return VSH_TK_END;
    *word = g_strdup(lx->argv[lx->idx++]);
    return VSH_TK_ARG;
}

/* ---- parser ---- */

typedef struct {
    const vshCmdDef *def;
    uint64_t positional; /* options still waiting for a positional value */
    uint64_t required;
    uint64_t seen;
    vshCmdOpt *first;
    vshCmdOpt **tail;
} vshParseState;

static void vshParseStart(vshParseState *st, const vshCmdDef *def)
{
    size_t i;

    st->def = def;
    for (i = 0; def->opts && def->opts[i].name; i++) {
        const vshOptDef *opt = &def->opts[i];

        if (opt->type == VSH_OT_BOOL || opt->type == VSH_OT_ALIAS)
            continue;
        if (!(opt->flags & VSH_OFLAG_REQ_OPT))
            st->positional |= 1ULL << i;
        if (opt->flags & VSH_OFLAG_REQ)
            st->required |= 1ULL << i;
    }
}

static void vshParseAppend(vshParseState *st, const vshOptDef *def, char *data)
{
    vshCmdOpt *opt = g_new0(vshCmdOpt, 1);

    opt->def = def;
    opt->data = data;
    *st->tail = opt;
    st->tail = &opt->next;
}

static bool vshIsHelpCmd(const vshParseState *st)
{
    return strcmp(st->def->name, "help") == 0;
}

/* Resolves --NAME (aliases included) to its definition; *value may be set by an alias. */
static const vshOptDef *vshParseFindOpt(vshShell *sh, vshParseState *st, const char *name,
                                        size_t *index, char **value)
{
    const vshOptDef *opts = st->def->opts;
    g_autofree char *target = NULL;
    size_t i;

    if (strcmp(name, "help") == 0)
        return &vshHelpOpt;

    for (i = 0; opts && opts[i].name; i++) {
        if (strcmp(opts[i].name, name) != 0)
            continue;
        if (opts[i].type == VSH_OT_ALIAS) {
            char *eq;

            g_free(target);
            target = g_strdup(opts[i].help);
            if ((eq = strchr(target, '='))) {
                *eq = '\0';
                if (*value) {
                    if (!vshIsHelpCmd(st))
                        vshError(sh, "invalid '=' after option --%s", opts[i].name);
                    return NULL;
                }
                *value = g_strdup(eq + 1);
            }
            name = target;
            i = (size_t)-1;
            continue;
        }
        if ((st->seen & (1ULL << i)) && opts[i].type != VSH_OT_ARGV) {
            vshError(sh, "option --%s already seen", name);
            return NULL;
        }
        st->seen |= 1ULL << i;
        *index = i;
        return &opts[i];
    }
    if (!vshIsHelpCmd(st))
        vshError(sh, "command '%s' doesn't support option --%s", st->def->name, name);
    return NULL;
}

/* Handles one "--name[=value]" word; returns false on a syntax error. */
static bool vshParseOption(vshShell *sh, vshLexer *lx, vshParseState *st, char *word)
{
    g_autofree char *value = NULL;
    char *eq = strchr(word + 2, '=');
    const vshOptDef *opt;
    size_t index = 0;

    if (eq) {
        *eq = '\0';
        value = g_strdup(eq + 1);
    }
    if (!(opt = vshParseFindOpt(sh, st, word + 2, &index, &value)))
        return vshIsHelpCmd(st);

    if (opt->type == VSH_OT_BOOL) {
        if (value) {
            vshError(sh, "invalid '=' after option --%s", opt->name);
            return false;
        }
        vshParseAppend(st, opt, NULL);
        return true;
    }
    if (!value) {
        vshToken tk = vshLexNext(sh, lx, &value, true);

        if (tk == VSH_TK_ERROR)
            return false;
        if (tk != VSH_TK_ARG) {
            vshError(sh, "expected syntax: --%s <%s>", opt->name, "string");
            return false;
        }
    }
    if (opt->type != VSH_OT_ARGV)
        st->positional &= ~(1ULL << index);
    vshParseAppend(st, opt, g_steal_pointer(&value));
    return true;
}

/* Gives a bare word to the first option still waiting for a positional value. */
static bool vshParseData(vshShell *sh, vshParseState *st, char *word)
{
    const vshOptDef *opt;
    int i;

    if (!st->positional) {
        if (vshIsHelpCmd(st)) {
            g_free(word);
            return true;
        }
        vshError(sh, "unexpected data '%s'", word);
        g_free(word);
        return false;
    }
    i = __builtin_ffsll((long long)st->positional) - 1;
    opt = &st->def->opts[i];
    if (opt->type != VSH_OT_ARGV)
        st->positional &= ~(1ULL << i);
    st->seen |= 1ULL << i;
    vshParseAppend(st, opt, word);
    return true;
}

/* Builds the command; "--help" anywhere turns it into "help COMMAND". */
static vshCmd *vshParseFinish(vshShell *sh, vshParseState *st)
{
    g_autoptr(vshCmd) cmd = g_new0(vshCmd, 1);
    const vshCmdOpt *opt;
    uint64_t missing;
    size_t i;

    cmd->def = st->def;
    cmd->opts = g_steal_pointer(&st->first);
    for (opt = cmd->opts; opt; opt = opt->next) {
        if (opt->def == &vshHelpOpt) {
            const vshCmdDef *help = vshCmdLookup(sh, "help");

            vshCmdOptFree(cmd->opts);
            cmd->opts = g_new0(vshCmdOpt, 1);
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
        const vshOptDef *def = &st->def->opts[i];

        if (!(missing & (1ULL << i)))
            continue;
        if (def->type == VSH_OT_DATA || def->type == VSH_OT_ARGV)
            vshError(sh, "command '%s' requires <%s> option", st->def->name, def->name);
        else
            vshError(sh, "command '%s' requires --%s option", st->def->name, def->name);
    }
    return NULL;
}

/* Parses one command up to ';', a newline or the end. *out stays NULL for empty commands
 * and comments. Returns the token that ended it, or VSH_TK_ERROR after reporting. */
static vshToken vshParseOne(vshShell *sh, vshLexer *lx, vshCmd **out)
{
    vshParseState st = { 0 };
    bool data_only = false;
    vshToken tk;

    st.tail = &st.first;
    *out = NULL;
    for (;;) {
        char *word = NULL;

        tk = vshLexNext(sh, lx, &word, true);
        if (tk != VSH_TK_ARG)
            break;

        if (!st.def) {
            if (word[0] == '#') {
                /* A comment word in argv mode swallows the rest of the command. */
                do {
                    g_free(word);
                    tk = vshLexNext(sh, lx, &word, false);
                } while (tk == VSH_TK_ARG);
                g_free(word);
                return tk == VSH_TK_ERROR ? VSH_TK_END : tk;
            }
            if (!(st.def = vshCmdLookup(sh, word))) {
                vshError(sh, "unknown command: '%s'", word);
                g_free(word);
                goto error;
            }
            vshParseStart(&st, st.def);
            g_free(word);
        } else if (!data_only && word[0] == '-' && word[1] == '-' && g_ascii_isalnum(word[2])) {
            bool ok = vshParseOption(sh, lx, &st, word);

            g_free(word);
            if (!ok)
                goto error;
        } else if (!data_only && strcmp(word, "--") == 0) {
            g_free(word);
            data_only = true;
        } else if (!vshParseData(sh, &st, word)) {
            goto error;
        }
    }
    if (tk == VSH_TK_ERROR)
        goto error;
    if (st.def && !(*out = vshParseFinish(sh, &st)))
        goto error;
    return tk;

error:
    vshCmdOptFree(st.first);
    return VSH_TK_ERROR;
}

/* Parses every command of the line before any runs: one syntax error runs nothing. */
static bool vshParse(vshShell *sh, vshLexer *lx, vshCmd **cmds)
{
    g_autoptr(vshCmd) head = NULL;
    vshCmd **tail = &head;
    vshToken tk;

    do {
        vshCmd *cmd = NULL;

        if ((tk = vshParseOne(sh, lx, &cmd)) == VSH_TK_ERROR)
            return false;
        if (cmd) {
            *tail = cmd;
            tail = &cmd->next;
        }
    } while (tk != VSH_TK_END);
    *cmds = g_steal_pointer(&head);
    return true;
}

bool vshParseString(vshShell *sh, const char *line, vshCmd **cmds)
{
    vshLexer lx = { .pos = line };

    *cmds = NULL;
    if (!line || !*line)
        return false;
    return vshParse(sh, &lx, cmds);
}

bool vshParseArgv(vshShell *sh, int argc, char **argv, vshCmd **cmds)
{
    vshLexer lx = { .argv = argv, .argc = argc };

    *cmds = NULL;
    if (argc <= 0)
        return false;
    return vshParse(sh, &lx, cmds);
}

/* ---- help ---- */

const vshCmdDef *vshCmdLookup(const vshShell *sh, const char *name)
{
    const vshCmdGroup *grp;
    const vshCmdDef *def;

    for (grp = sh->groups; grp->name; grp++) {
        for (def = grp->cmds; def->name; def++) {
            if (strcmp(def->name, name) == 0)
                return def;
        }
    }
    return NULL;
}

void vshGroupHelp(vshShell *sh, const vshCmdGroup *grp)
{
    const vshCmdDef *def;

    vshPrint(sh, " %s (help keyword '%s'):\n", grp->name, grp->keyword);
    for (def = grp->cmds; def->name; def++)
        vshPrint(sh, "    %-30s %s\n", def->name, def->help);
}

bool vshCmdHelp(const vshCmdDef *def)
{
    const vshOptDef *opt;
    bool shortopt = false; /* some option may be given without its --name */

    printf("  NAME\n    %s - %s\n", def->name, def->help);
    printf("\n  SYNOPSIS\n    %s", def->name);
    for (opt = def->opts; opt && opt->name; opt++) {
        bool req = opt->flags & VSH_OFLAG_REQ;
        const char *pre = "";
        const char *post = "";

        switch (opt->type) {
        case VSH_OT_BOOL:
            pre = "[--";
            post = "]";
            break;
        case VSH_OT_STRING:
        case VSH_OT_INT:
            pre = "[--";
            post = opt->type == VSH_OT_INT ? " <number>]" : " <string>]";
            shortopt |= !(opt->flags & VSH_OFLAG_REQ_OPT);
            break;
        case VSH_OT_DATA:
            pre = req ? "<" : "[<";
            post = req ? ">" : ">]";
            shortopt |= !(opt->flags & VSH_OFLAG_REQ_OPT);
            break;
        case VSH_OT_ARGV:
            if (shortopt) {
                pre = req ? "{[--" : "[[--";
                post = req ? "] <string>}..." : "] <string>]...";
            } else {
                pre = req ? "<" : "[<";
                post = req ? ">..." : ">]...";
            }
            break;
        case VSH_OT_ALIAS:
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
            case VSH_OT_BOOL:
                label = g_strdup_printf("--%s", opt->name);
                break;
            case VSH_OT_STRING:
                label = g_strdup_printf("--%s <string>", opt->name);
                break;
            case VSH_OT_INT:
                label = g_strdup_printf("--%s <number>", opt->name);
                break;
            case VSH_OT_DATA:
                label = g_strdup_printf("[--%s] <string>", opt->name);
                break;
            case VSH_OT_ARGV:
                label = g_strdup_printf(shortopt ? "[--%s] <string>" : "<%s>", opt->name);
                break;
            case VSH_OT_ALIAS:
                continue;
            }
            printf("    %-15s  %s\n", label, opt->help);
        }
    }
    putchar('\n');
    fflush(stdout);
    return true;
}

/* ---- interactive input ---- */

/* The shell whose commands the completion offers: readline gives its callbacks no context. */
static const vshShell *vshCompletionShell;

/* Completes command names in the first word of a command, and the current command's
 * options after it (BEFORE is the line up to TEXT). Readline calls this generator repeatedly
 * and gives it no context pointer, hence the function-local statics. */
static char *vshComplete(const char *text, const char *before, int state)
{
    static const vshCmdGroup *grp;
    static const vshCmdDef *def;
    static const vshOptDef *opt;
    static const vshCmdDef *owner;
    size_t len = strlen(text);

    if (!state) {
        const char *start = strrchr(before, ';');
        g_auto(GStrv) words = g_strsplit_set(start ? start + 1 : before, " \t", -1);
        char **w;

        grp = vshCompletionShell->groups;
        def = grp->cmds;
        owner = NULL;
        for (w = words; *w; w++) {
            if (**w) {
                owner = vshCmdLookup(vshCompletionShell, *w);
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
        if (opt->type == VSH_OT_ALIAS)
            continue;
        if (strncmp(opt->name, text + MIN(len, 2), len - MIN(len, 2)) == 0)
            return g_strdup_printf("--%s", (opt++)->name);
    }
    return NULL;
}

static char *vshHistoryPath(void)
{
    return g_build_filename(g_get_user_cache_dir(), VSH_HISTORY_NAME, "history", NULL);
}

#define VSH_READLINE_MODULE "virtkit-readline.so"

/* In the build tree the module sits next to the shell; installed, it lives in
 * VK_TOOLS_MODULE_DIR (the shell is in a bin directory, so the two never mix). */
static char *vshReadlineModulePath(void)
{
    const char *env = g_getenv("VIRTKIT_READLINE_MODULE");
    g_autofree char *exe = g_file_read_link("/proc/self/exe", NULL);

    if (env && *env)
        return g_strdup(env);
    if (exe) {
        g_autofree char *dir = g_path_get_dirname(exe);
        g_autofree char *beside = g_build_filename(dir, VSH_READLINE_MODULE, NULL);

        if (g_file_test(beside, G_FILE_TEST_EXISTS))
            return g_steal_pointer(&beside);
    }
    return g_build_filename(VK_TOOLS_MODULE_DIR, VSH_READLINE_MODULE, NULL);
}

/* The line editor, loaded by the first interactive session and never unloaded. */
static const vshReadlineOps *vshReadlineOpsLoaded;

static bool vshReadlineLoad(vshShell *sh)
{
    g_autofree char *path = vshReadlineModulePath();
    void *handle;

    if (vshReadlineOpsLoaded)
        return true;
    if (!(handle = dlopen(path, RTLD_NOW | RTLD_LOCAL))) {
        vshError(sh, "Failed to load module '%s': %s", path, dlerror());
        return false;
    }
    if (!(vshReadlineOpsLoaded = dlsym(handle, VSH_READLINE_OPS_SYMBOL))) {
        vshError(sh, "Failed to find symbol '%s' in module '%s'", VSH_READLINE_OPS_SYMBOL, path);
        dlclose(handle);
        return false;
    }
    return true;
}

bool vshReadlineInit(vshShell *sh)
{
    const char *env = getenv("VIRTKIT_HISTSIZE");
    g_autofree char *path = vshHistoryPath();
    int size = VSH_HISTSIZE;

    if (env) {
        if (vshParseInt(env, 10, &size) < 0) {
            vshError(sh, "Bad $%s value.", "VIRTKIT_HISTSIZE");
            return false;
        }
        if (size < 0 || size > VSH_HISTSIZE_MAX) {
            vshError(sh, "$%s value should be between 0 and %d", "VIRTKIT_HISTSIZE",
                     VSH_HISTSIZE_MAX);
            return false;
        }
    }
    if (!vshReadlineLoad(sh))
        return false;
    vshCompletionShell = sh;
    vshReadlineOpsLoaded->init(VSH_HISTORY_NAME, size, path, vshComplete);
    return true;
}

void vshReadlineDone(vshShell *sh)
{
    g_autofree char *path = vshHistoryPath();
    g_autofree char *dir = g_path_get_dirname(path);

    if (g_mkdir_with_parents(dir, 0755) < 0 && errno != EEXIST) {
        vshError(sh, "Failed to create '%s': %s", dir, g_strerror(errno));
        return;
    }
    vshReadlineOpsLoaded->saveHistory(path);
}

/* One line from the terminal, entered into the history unless empty; NULL at end of input. */
char *vshReadline(const char *prompt)
{
    return vshReadlineOpsLoaded->readLine(prompt);
}

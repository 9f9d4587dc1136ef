/* virtkit: the virsh-compatible shell's front end. The connection and the library's errors,
 * the command loop, the built-in commands, the table of command groups, the interactive loop,
 * the global options and main. Parsing, help and readline are the engine's (vsh.c). */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "virtkit.h"

#define VSH_PROMPT_RW "virtkit # "
#define VSH_PROMPT_RO "virtkit > "

/* ---- the library's errors ---- */

/* The library reports each failure once; keep it until the command's end, as later calls
 * (frees, lookups of names) reset the library's own last error. */
static void vshErrorCallback(void *opaque, virErrorPtr err)
{
    vshShell *sh = opaque;
    vshSession *ss = sh->priv;

    if (!err)
        return;
    g_free(ss->last_error);
    ss->last_error = g_strdup(err->message);
    ss->last_error_code = err->code;
    ss->have_error = true;
}

void vshResetLibError(vshShell *sh)
{
    vshSession *ss = sh->priv;

    g_clear_pointer(&ss->last_error, g_free);
    ss->last_error_code = VIR_ERR_OK;
    ss->have_error = false;
    virResetLastError();
}

int vshLastErrorCode(vshShell *sh)
{
    vshSession *ss = sh->priv;
    virErrorPtr err;

    if (ss->have_error)
        return ss->last_error_code;
    err = virGetLastError();
    return err ? err->code : VIR_ERR_OK;
}

static void vshReportError(vshShell *sh)
{
    vshSession *ss = sh->priv;

    if (!ss->have_error) {
        virErrorPtr err = virGetLastError();

        if (!err || err->code == VIR_ERR_OK) {
            vshResetLibError(sh);
            return;
        }
        vshErrorCallback(sh, err);
    }
    if (ss->last_error_code == VIR_ERR_OK)
        vshError(sh, "%s", "unknown error");
    else
        vshError(sh, "%s", ss->last_error ? ss->last_error : "(null)");
    vshResetLibError(sh);
}

/* ---- connection ---- */

static bool vshShellClose(vshShell *sh)
{
    vshSession *ss = sh->priv;
    int rc;

    if (!ss->conn)
        return true;
    rc = virConnectClose(ss->conn);
    ss->conn = NULL;
    if (rc < 0)
        vshError(sh, "%s", "Failed to disconnect from the hypervisor");
    else if (rc > 0)
        vshError(sh, "%s",
                 "One or more references were leaked after disconnect from the hypervisor");
    return rc == 0;
}

/* (Re)opens the connection. A NULL uri keeps the current one; readonly is kept too when
 * neither is given, as "connect" without arguments must not drop a read-only mode. */
bool vshShellReconnect(vshShell *sh, const char *uri, bool readonly, bool force)
{
    vshSession *ss = sh->priv;
    bool had_conn = ss->conn != NULL;

    if (!readonly && !uri)
        readonly = ss->readonly;
    vshShellClose(sh);

    ss->conn = readonly ? virConnectOpenReadOnly(uri ? uri : ss->uri)
                        : virConnectOpen(uri ? uri : ss->uri);
    if (!ss->conn) {
        if (ss->disconnected)
            vshError(sh, "%s", "Failed to reconnect to the hypervisor");
        else
            vshError(sh, "%s", "failed to connect to the hypervisor");
        return false;
    }
    if (uri) {
        g_free(ss->uri);
        ss->uri = g_strdup(uri);
    }
    ss->readonly = readonly;
    if (had_conn && !force)
        vshError(sh, "%s", "Reconnected to the hypervisor");
    ss->disconnected = false;
    return true;
}

virConnectPtr vshShellConn(vshShell *sh)
{
    vshSession *ss = sh->priv;

    return ss->conn;
}

static bool vshShellEnsureConn(vshShell *sh)
{
    vshSession *ss = sh->priv;

    if ((!ss->conn || ss->disconnected) && !vshShellReconnect(sh, NULL, false, false))
        return false;
    if (!ss->conn) {
        vshError(sh, "%s", "no valid connection");
        return false;
    }
    return true;
}

/* ---- command loop ---- */

static bool vshIsQuit(const vshCmd *cmd)
{
    return strcmp(cmd->def->name, "quit") == 0 || strcmp(cmd->def->name, "exit") == 0;
}

/* Runs commands in order; the result is that of the last one, as in virsh. */
static bool vshRun(vshShell *sh, const vshCmd *cmd)
{
    vshSession *ss = sh->priv;
    bool ret = true;

    for (; cmd; cmd = cmd->next) {
        gint64 before = g_get_real_time();

        if ((cmd->def->flags & VSH_CMD_NOCONNECT) || vshShellEnsureConn(sh))
            ret = cmd->def->handler(sh, cmd);
        else
            ret = false;

        if (!ret) {
            int code = vshLastErrorCode(sh);

            if (code == VIR_ERR_NO_CONNECT || code == VIR_ERR_INVALID_CONN || code == VIR_ERR_RPC)
                ss->disconnected = true;
            vshReportError(sh);
        }
        if (vshIsQuit(cmd))
            return ret;
        if (sh->timing)
            vshPrint(sh, "\n(Time: %.3f ms)\n\n", (g_get_real_time() - before) / 1000.0);
        else
            vshPrintExtra(sh, "\n");
    }
    return ret;
}

/* ---- built-in commands ---- */

static const vshOptDef vshOptsHelp[] = {
    { "command", VSH_OT_STRING, 0,
      "Prints global help, command specific help, or help for a group of related commands" },
    { NULL },
};

static bool vshCmdHelpHandler(vshShell *sh, const vshCmd *cmd)
{
    const vshCmdGroup *grp;
    const vshCmdDef *def;
    const char *name = NULL;

    if (vshOptStringQuiet(cmd, "command", &name) <= 0) {
        vshPrint(sh, "%s", "Grouped commands:\n\n");
        for (grp = sh->groups; grp->name; grp++) {
            vshGroupHelp(sh, grp);
            vshPrint(sh, "\n");
        }
        return true;
    }
    if ((def = vshCmdLookup(sh, name)))
        return vshCmdHelp(def);
    for (grp = sh->groups; grp->name; grp++) {
        if (strcmp(grp->name, name) == 0 || strcmp(grp->keyword, name) == 0) {
            vshGroupHelp(sh, grp);
            return true;
        }
    }
    vshError(sh, "command or command group '%s' doesn't exist", name);
    return false;
}

/* The usage text of one command, in virsh's layout. */
static bool vshCmdQuit(vshShell *sh, const vshCmd *cmd)
{
    sh->interactive = false;
    return true;
}

static const vshOptDef vshOptsCd[] = {
    { "dir", VSH_OT_STRING, 0, "directory to switch to (default: home or else root)" },
    { NULL },
};

static bool vshCmdCd(vshShell *sh, const vshCmd *cmd)
{
    const char *dir = NULL;

    if (!sh->interactive) {
        vshError(sh, "%s", "cd: command valid only in interactive mode");
        return false;
    }
    if (vshOptStringQuiet(cmd, "dir", &dir) <= 0)
        dir = g_get_home_dir();
    if (!dir)
        dir = "/";
    if (chdir(dir) < 0) {
        vshError(sh, "cd: %s: %s", g_strerror(errno), dir);
        return false;
    }
    return true;
}

static bool vshCmdPwd(vshShell *sh, const vshCmd *cmd)
{
    g_autofree char *cwd = g_get_current_dir();

    vshPrint(sh, "%s\n", cwd);
    return true;
}

static const vshOptDef vshOptsEcho[] = {
    { "shell", VSH_OT_BOOL, 0, "escape for shell use" },
    { "xml", VSH_OT_BOOL, 0, "escape for XML use" },
    { "split", VSH_OT_BOOL, 0, "split each argument on ','; ',,' is an escape sequence" },
    { "err", VSH_OT_BOOL, 0, "output to stderr" },
    { "str", VSH_OT_ALIAS, 0, "string" },
    { "hi", VSH_OT_ALIAS, 0, "string=hello" },
    { "string", VSH_OT_ARGV, 0, "arguments to echo" },
    { NULL },
};

static void vshEscapeShell(GString *buf, const char *str)
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

static void vshEscapeXML(GString *buf, const char *str)
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

static bool vshCmdEcho(vshShell *sh, const vshCmd *cmd)
{
    bool shell = vshOptBool(cmd, "shell");
    bool xml = vshOptBool(cmd, "xml");
    bool split = vshOptBool(cmd, "split");
    g_autoptr(GString) buf = g_string_new(NULL);
    const vshCmdOpt *opt = NULL;

    if (!vshOptExclusive(sh, cmd, "shell", "xml") || !vshOptExclusive(sh, cmd, "shell", "split") ||
        !vshOptExclusive(sh, cmd, "xml", "split"))
        return false;

    while ((opt = vshOptArgv(cmd, opt))) {
        if (xml) {
            vshEscapeXML(buf, opt->data);
        } else if (shell) {
            vshEscapeShell(buf, opt->data);
        } else if (split) {
            g_auto(GStrv) parts = vshSplitList(opt->data);
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
    if (vshOptBool(cmd, "err"))
        vshError(sh, "%s", buf->str);
    else
        vshPrint(sh, "%s", buf->str);
    return true;
}

static const vshOptDef vshOptsConnect[] = {
    { "name", VSH_OT_STRING, VSH_OFLAG_EMPTY_OK, "hypervisor connection URI" },
    { "readonly", VSH_OT_BOOL, 0, "read-only connection" },
    { NULL },
};

static bool vshCmdConnect(vshShell *sh, const vshCmd *cmd)
{
    const char *uri = NULL;

    if (vshOptString(sh, cmd, "name", &uri) < 0)
        return false;
    return vshShellReconnect(sh, uri, vshOptBool(cmd, "readonly"), true);
}

static const vshCmdDef vshShellCmds[] = {
    { "cd", vshCmdCd, vshOptsCd, "change the current directory", "Change the current directory.",
      VSH_CMD_NOCONNECT },
    { "echo", vshCmdEcho, vshOptsEcho, "echo arguments. Used for internal testing.",
      "Echo back arguments, possibly with quoting. Used for internal testing.", VSH_CMD_NOCONNECT },
    { "exit", vshCmdQuit, NULL, "quit this interactive terminal", "", VSH_CMD_NOCONNECT },
    { "help", vshCmdHelpHandler, vshOptsHelp, "print help",
      "Prints global help, command specific help, or help for a\n"
      "    group of related commands",
      VSH_CMD_NOCONNECT },
    { "pwd", vshCmdPwd, NULL, "print the current directory", "Print the current directory.",
      VSH_CMD_NOCONNECT },
    { "quit", vshCmdQuit, NULL, "quit this interactive terminal", "", VSH_CMD_NOCONNECT },
    { "connect", vshCmdConnect, vshOptsConnect, "(re)connect to hypervisor",
      "Connect to local hypervisor. This is built-in command after shell start up.",
      VSH_CMD_NOCONNECT },
    { NULL },
};

static const vshCmdGroup vshGroups[] = {
    { "Domain Management", "domain", vshDomainCmds },
    { "Domain Monitoring", "monitor", vshMonitorCmds },
    { "Domain Events", "events", vshEventCmds },
    { "Host and Hypervisor", "host", vshHostCmds },
    { "Networking", "network", vshNetworkCmds },
    { "Storage Pool", "pool", vshStoragePoolCmds },
    { "Storage Volume", "volume", vshStorageVolCmds },
    { "Virtkit itself", "virtkit", vshShellCmds },
    { NULL },
};

static bool vshInteractive(vshShell *sh)
{
    vshSession *ss = sh->priv;

    if (!vshReadlineInit(sh))
        return false;
    if (!sh->quiet) {
        vshPrint(sh, "Welcome to %s, the virtualization interactive terminal.\n\n", sh->progname);
        vshPrint(sh, "%s",
                 "Type:  'help' for help with commands\n"
                 "       'quit' to quit\n\n");
    }
    do {
        g_autoptr(vshCmd) cmds = NULL;
        g_autofree char *line = vshReadline(ss->readonly ? VSH_PROMPT_RO : VSH_PROMPT_RW);

        if (!line)
            break;
        if (*line && vshParseString(sh, line, &cmds))
            vshRun(sh, cmds);
    } while (sh->interactive);

    putchar('\n'); /* end the line that holds the last prompt */
    vshReadlineDone(sh);
    return true;
}

/* ---- global options ---- */

static void vshUsage(const char *progname)
{
    const vshCmdGroup *grp;
    const vshCmdDef *def;

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
    for (grp = vshGroups; grp->name; grp++) {
        printf(" %s (help keyword '%s')\n", grp->name, grp->keyword);
        for (def = grp->cmds; def->name; def++)
            printf("    %-30s %s\n", def->name, def->help);
        printf("\n");
    }
    printf("\n  (specify help <group> for details about the commands in the group)\n");
    printf("\n  (specify help <command> for details about the command)\n\n");
}

static void vshShowVersion(bool full)
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

static bool vshEscapeCharOK(const char *s)
{
    size_t len = strlen(s);

    if (len == 1)
        return *s != '^';
    return len == 2 && s[0] == '^' &&
           ((s[1] >= 'a' && s[1] <= 'z') || (s[1] >= '@' && s[1] <= '_'));
}

static const struct option vshLongOpts[] = {
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
static void vshCheckNumber(vshShell *sh, int opt, int longindex, const char *arg)
{
    g_autofree char *optname = NULL;
    int value;

    if (longindex >= 0)
        optname = g_strdup_printf("--%s", vshLongOpts[longindex].name);
    else
        optname = g_strdup_printf("-%c", opt);

    if (opt == 'd') {
        if (vshParseInt(arg, 10, &value) < 0) {
            vshError(sh, "option %s takes a numeric argument", optname);
            exit(EXIT_FAILURE);
        }
        if (value < 0 || value > 4)
            vshError(sh, "ignoring debug level %d out of range [%d-%d]", value, 0, 4);
        return;
    }
    if (vshParseInt(arg, 0, &value) < 0) {
        vshError(sh, "Invalid value for option %s", optname);
        exit(EXIT_FAILURE);
    }
    if (value < 0) {
        vshError(sh, "option %s requires a positive integer argument", optname);
        exit(EXIT_FAILURE);
    }
}

/* Parses the global options and the command(s); exits on -h, -v and malformed options. */
static bool vshParseGlobal(vshShell *sh, int argc, char **argv, vshCmd **cmds)
{
    vshSession *ss = sh->priv;
    int longindex = -1;
    int opt;
    size_t i;

    /* "+": stop at the first command word, so commands keep their own options. */
    while ((opt = getopt_long(argc, argv, "+:c:d:e:hk:K:l:qrtvV", vshLongOpts, &longindex)) != -1) {
        switch (opt) {
        case 'c':
            g_free(ss->uri);
            ss->uri = g_strdup(optarg);
            break;
        case 'd':
        case 'k':
        case 'K':
            vshCheckNumber(sh, opt, longindex, optarg);
            break;
        case 'e':
            if (!vshEscapeCharOK(optarg)) {
                vshError(sh, "Invalid string '%s' for escape sequence", optarg);
                exit(EXIT_FAILURE);
            }
            break;
        case 'h':
            vshUsage(sh->progname);
            exit(EXIT_SUCCESS);
        case 'l':
            /* Accepted for compatibility; the shell keeps no log file. */
            break;
        case 'q':
            sh->quiet = true;
            break;
        case 'r':
            ss->readonly = true;
            break;
        case 't':
            sh->timing = true;
            break;
        case 'v':
            vshShowVersion(optarg && strcmp(optarg, "long") == 0);
            exit(EXIT_SUCCESS);
        case 'V':
            vshShowVersion(true);
            exit(EXIT_SUCCESS);
        case ':':
            for (i = 0; vshLongOpts[i].name; i++) {
                if (vshLongOpts[i].val == optopt)
                    break;
            }
            if (vshLongOpts[i].name)
                vshError(sh, "option '-%c'/'--%s' requires an argument", optopt,
                         vshLongOpts[i].name);
            else
                vshError(sh, "option '-%c' requires an argument", optopt);
            exit(EXIT_FAILURE);
        default:
            if (optopt)
                vshError(sh, "unsupported option '-%c'. See --help.", optopt);
            else
                vshError(sh, "unsupported option '%s'. See --help.", argv[optind - 1]);
            exit(EXIT_FAILURE);
        }
        longindex = -1;
    }

    if (optind == argc) {
        sh->interactive = true;
        return true;
    }
    if (argc - optind == 1)
        return vshParseString(sh, argv[optind], cmds);
    return vshParseArgv(sh, argc - optind, argv + optind, cmds);
}

/* An explicit URI must work from the start; the default one is opened on first use, so
 * that "help" or "connect" never need it. */
static bool vshShellStart(vshShell *sh)
{
    vshSession *ss = sh->priv;
    const char *env = getenv("VIRTKIT_DEFAULT_URI");

    if (ss->uri) {
        if (vshShellReconnect(sh, NULL, false, false))
            return true;
        vshReportError(sh);
        return false;
    }
    if (env && *env)
        ss->uri = g_strdup(env);
    return true;
}

int main(int argc, char **argv)
{
    vshSession session = { 0 };
    vshShell shell = { .groups = vshGroups, .priv = &session };
    vshShell *sh = &shell;
    g_autoptr(vshCmd) cmds = NULL;
    bool ret = false;
    const char *slash = strrchr(argv[0], '/');

    sh->progname = slash ? slash + 1 : argv[0];
    if (virInitialize() < 0) {
        vshError(sh, "%s", "Failed to initialize libvirt");
        return EXIT_FAILURE;
    }
    virSetErrorFunc(sh, vshErrorCallback);

    if (vshParseGlobal(sh, argc, argv, &cmds) && vshShellStart(sh))
        ret = sh->interactive ? vshInteractive(sh) : vshRun(sh, cmds);

    vshShellClose(sh);
    vshResetLibError(sh);
    g_free(session.uri);
    return ret ? EXIT_SUCCESS : EXIT_FAILURE;
}

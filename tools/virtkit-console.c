/* The console command: a guest's character device on this terminal, as virsh's console. The
 * terminal goes raw, bytes move both ways through a non-blocking stream on the library's event
 * loop, and the escape character (^] unless -e names another) ends the session. */
#include <errno.h>
#include <signal.h>
#include <termios.h>
#include <unistd.h>

#include <glib-unix.h>

#include "virtkit.h"

/* What -e gave, as virsh prints it ("^]" or one character). */
static char escapeSpec[3] = "^]";

void vshConsoleSetEscape(const char *spec)
{
    g_strlcpy(escapeSpec, spec, sizeof(escapeSpec));
}

static char escapeChar(void)
{
    if (escapeSpec[0] == '^')
        return g_ascii_toupper(escapeSpec[1]) & 0x1f; /* ^X is X's control character */
    return escapeSpec[0];
}

/* Bytes read from one end that the other has not taken yet. */
#define READ_CHUNK 1024

typedef struct {
    virStreamPtr st;
    int stdinWatch;
    int stdoutWatch;
    GByteArray *toTerminal;
    GByteArray *toStream;
    char escape;
    bool quit;
    bool graceful;     /* ended by the escape character or the end of the guest's data */
    virErrorPtr error; /* the first failure, reported when the session is over */
} vshConsole;

/* Ends the session; the first error (the library's last one, or MSG) is what it failed with. */
static void consoleEnd(vshConsole *con, bool graceful, const char *msg)
{
    if (con->quit)
        return;
    con->quit = true;
    con->graceful = graceful;
    if (msg) {
        con->error = g_new0(virError, 1);
        con->error->code = VIR_ERR_INTERNAL_ERROR;
        con->error->message = g_strdup_printf("internal error: %s", msg);
    } else if (!graceful) {
        con->error = virSaveLastError();
    }
}

static void onStream(virStreamPtr st, int events, void *opaque)
{
    vshConsole *con = opaque;

    if (con->quit)
        return;
    if (events & VIR_STREAM_EVENT_READABLE) {
        guint len = con->toTerminal->len;
        int got;

        g_byte_array_set_size(con->toTerminal, len + READ_CHUNK);
        got = virStreamRecv(st, (char *)con->toTerminal->data + len, READ_CHUNK);
        g_byte_array_set_size(con->toTerminal, len + MAX(got, 0));
        if (got == 0 || got == -1) {
            consoleEnd(con, got == 0, NULL);
            return;
        }
        if (got > 0)
            virEventUpdateHandle(con->stdoutWatch, VIR_EVENT_HANDLE_WRITABLE);
    }
    if ((events & VIR_STREAM_EVENT_WRITABLE) && con->toStream->len) {
        int done = virStreamSend(st, (const char *)con->toStream->data, con->toStream->len);

        if (done == -1) {
            consoleEnd(con, false, NULL);
            return;
        }
        if (done > 0)
            g_byte_array_remove_range(con->toStream, 0, done);
    }
    if (!con->toStream->len)
        virStreamEventUpdateCallback(st, VIR_STREAM_EVENT_READABLE);
    if (events & (VIR_STREAM_EVENT_ERROR | VIR_STREAM_EVENT_HANGUP))
        consoleEnd(con, false, NULL);
}

static void onStdin(int watch, int fd, int events, void *opaque)
{
    vshConsole *con = opaque;

    if (con->quit)
        return;
    if (events & VIR_EVENT_HANDLE_READABLE) {
        guint len = con->toStream->len;
        ssize_t got;

        g_byte_array_set_size(con->toStream, len + READ_CHUNK);
        got = read(fd, con->toStream->data + len, READ_CHUNK);
        g_byte_array_set_size(con->toStream, len + MAX(got, 0));
        if (got < 0 && errno != EAGAIN && errno != EINTR) {
            g_autofree char *msg = g_strdup_printf("cannot read from stdin: %s", g_strerror(errno));
            consoleEnd(con, false, msg);
            return;
        }
        if (got == 0) {
            consoleEnd(con, false, "EOF on stdin");
            return;
        }
        /* As virsh: the escape character at the start of what was typed. */
        if (got > 0 && con->toStream->data[len] == (guint8)con->escape) {
            consoleEnd(con, true, NULL);
            return;
        }
        if (got > 0)
            virStreamEventUpdateCallback(con->st,
                                         VIR_STREAM_EVENT_READABLE | VIR_STREAM_EVENT_WRITABLE);
    }
    if (events & VIR_EVENT_HANDLE_ERROR)
        consoleEnd(con, false, "IO error on stdin");
    else if (events & VIR_EVENT_HANDLE_HANGUP)
        consoleEnd(con, false, "EOF on stdin");
}

static void onStdout(int watch, int fd, int events, void *opaque)
{
    vshConsole *con = opaque;

    if (con->quit)
        return;
    if ((events & VIR_EVENT_HANDLE_WRITABLE) && con->toTerminal->len) {
        ssize_t done = write(fd, con->toTerminal->data, con->toTerminal->len);

        if (done < 0 && errno != EAGAIN && errno != EINTR) {
            g_autofree char *msg = g_strdup_printf("cannot write to stdout: %s", g_strerror(errno));
            consoleEnd(con, false, msg);
            return;
        }
        if (done > 0)
            g_byte_array_remove_range(con->toTerminal, 0, done);
    }
    if (!con->toTerminal->len)
        virEventUpdateHandle(con->stdoutWatch, 0);
    if (events & VIR_EVENT_HANDLE_ERROR)
        consoleEnd(con, false, "IO error stdout");
    else if (events & VIR_EVENT_HANDLE_HANGUP)
        consoleEnd(con, false, "EOF on stdout");
}

/* A signal that would kill us ends the session instead, so that the terminal is restored. */
static gboolean onSignal(gpointer opaque)
{
    consoleEnd(opaque, false, "terminated by a signal");
    return G_SOURCE_CONTINUE;
}

/* Runs the session on ST (opened already) until it ends; true when it ended well. */
static bool consoleRun(vshShell *sh, virStreamPtr st)
{
    static const int signals[] = { SIGTERM, SIGINT, SIGHUP };
    guint signalSources[G_N_ELEMENTS(signals)];
    vshConsole con = {
        .st = st,
        .stdinWatch = -1,
        .stdoutWatch = -1,
        .toTerminal = g_byte_array_new(),
        .toStream = g_byte_array_new(),
        .escape = escapeChar(),
    };
    bool ok;

    for (size_t i = 0; i < G_N_ELEMENTS(signals); i++)
        signalSources[i] = g_unix_signal_add(signals[i], onSignal, &con);
    if ((con.stdinWatch =
             virEventAddHandle(STDIN_FILENO, VIR_EVENT_HANDLE_READABLE, onStdin, &con, NULL)) < 0 ||
        (con.stdoutWatch = virEventAddHandle(STDOUT_FILENO, 0, onStdout, &con, NULL)) < 0 ||
        virStreamEventAddCallback(st, VIR_STREAM_EVENT_READABLE, onStream, &con, NULL) < 0)
        consoleEnd(&con, false, NULL);
    while (!con.quit)
        virEventRunDefaultImpl();

    virStreamEventRemoveCallback(st);
    /* As virsh: a stream that fails to close after a good end is no failure of the session. */
    if (con.graceful)
        virStreamFinish(st);
    else
        virStreamAbort(st);
    if (con.stdinWatch >= 0)
        virEventRemoveHandle(con.stdinWatch);
    if (con.stdoutWatch >= 0)
        virEventRemoveHandle(con.stdoutWatch);
    for (size_t i = 0; i < G_N_ELEMENTS(signals); i++)
        g_source_remove(signalSources[i]);
    /* The loop releases what it held (the stream's registration) when it runs next. */
    while (g_main_context_pending(NULL))
        virEventRunDefaultImpl();

    g_byte_array_unref(con.toTerminal);
    g_byte_array_unref(con.toStream);
    ok = con.error == NULL;
    if (!ok) {
        /* The failure that ended the session, not what closing the stream said after it. */
        vshKeepLibError(sh, con.error);
        virFreeError(con.error);
    }
    return ok;
}

const vshOptDef vshOptsConsole[] = {
    { "domain", VSH_OT_DATA, VSH_OFLAG_REQ, "domain name, id or uuid" },
    { "devname", VSH_OT_STRING, 0, "character device name" },
    { "force", VSH_OT_BOOL, 0, "force console connection (disconnect already connected sessions)" },
    { "safe", VSH_OT_BOOL, 0, "only connect if safe console handling is supported" },
    { NULL },
};

bool vshCmdConsole(vshShell *sh, const vshCmd *cmd)
{
    g_autoptr(vshDomainRef) dom = NULL;
    const char *devname = NULL;
    unsigned int flags = 0;
    struct termios saved, raw;
    virStreamPtr st;
    int state;
    bool ok;

    if (!(dom = vshLookupDomain(sh, cmd, NULL, VSH_BYID | VSH_BYUUID | VSH_BYNAME)) ||
        vshOptString(sh, cmd, "devname", &devname) < 0)
        return false;
    if (vshOptBool(cmd, "force"))
        flags |= VIR_DOMAIN_CONSOLE_FORCE;
    if (vshOptBool(cmd, "safe"))
        flags |= VIR_DOMAIN_CONSOLE_SAFE;

    if ((state = vshDomainState(sh, dom, NULL)) < 0) {
        vshError(sh, "%s", "Unable to get domain status");
        return false;
    }
    if (state == VIR_DOMAIN_SHUTOFF) {
        vshError(sh, "%s", "The domain is not running");
        return false;
    }
    if (!isatty(STDIN_FILENO)) {
        vshError(sh, "%s", "Cannot run interactive console without a controlling TTY");
        return false;
    }
    vshPrintExtra(sh, "Connected to domain '%s'\n", virDomainGetName(dom));
    vshPrintExtra(sh, "Escape character is %s", escapeSpec);
    if (escapeSpec[0] == '^')
        vshPrintExtra(sh, " (Ctrl + %c)", escapeSpec[1]);
    vshPrintExtra(sh, "\n");
    fflush(stdout);

    /* Raw: what is typed goes to the guest as it is (no echo, no signals from ^C). */
    if (tcgetattr(STDIN_FILENO, &saved) < 0) {
        vshError(sh, "unable to get tty attributes: %s", g_strerror(errno));
        return false;
    }
    raw = saved;
    cfmakeraw(&raw);
    if (tcsetattr(STDIN_FILENO, TCSAFLUSH, &raw) < 0) {
        vshError(sh, "unable to set tty attributes: %s", g_strerror(errno));
        return false;
    }
    virEventRegisterDefaultImpl();
    if (!(st = virStreamNew(virDomainGetConnect(dom), VIR_STREAM_NONBLOCK))) {
        ok = false;
    } else if (virDomainOpenConsole(dom, devname, st, flags) < 0) {
        ok = false;
    } else {
        ok = consoleRun(sh, st);
    }
    if (st)
        virStreamFree(st);
    tcsetattr(STDIN_FILENO, TCSAFLUSH, &saved);
    return ok;
}

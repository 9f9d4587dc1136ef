/* The shell's line editor: readline in a module of its own, loaded once the shell goes
 * interactive, so that one-shot commands never map libreadline and libtinfo (issue 16). */
#include <glib.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <readline/history.h>
#include <readline/readline.h>

#include "vsh-readline.h"

/* Readline gives its callbacks no context pointer. */
static vshReadlineCompleteFunc completeFunc;

static char *generate(const char *text, int state)
{
    g_autofree char *before = NULL;

    if (!state)
        before = g_strndup(rl_line_buffer, rl_point - strlen(text));
    return completeFunc(text, before, state);
}

/* Our matches, or none at all for an option; anything else falls back to file names. */
static char **complete(const char *text, int start, int end)
{
    char **matches = rl_completion_matches(text, generate);

    if (matches || text[0] == '-')
        rl_attempted_completion_over = 1;
    return matches;
}

static void init(const char *name, int histSize, const char *history, vshReadlineCompleteFunc func)
{
    completeFunc = func;
    rl_readline_name = name;
    rl_attempted_completion_function = complete;
    rl_basic_word_break_characters = " \t\n`@$><=;|&{(";
    rl_completer_quote_characters = "\"'";
    stifle_history(histSize);
    read_history(history);
}

static char *readLine(const char *prompt)
{
    char *line = readline(prompt);
    char *copy;

    if (!line)
        return NULL;
    if (*line)
        add_history(line);
    copy = g_strdup(line);
    free(line);
    return copy;
}

static void saveHistory(const char *history)
{
    write_history(history);
}

/* Exported (the module's only dynamic symbol, see vsh-readline.syms). */
const vshReadlineOps vshReadlineModuleOps = { init, readLine, saveHistory };

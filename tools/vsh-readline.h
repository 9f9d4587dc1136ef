/* The interface between the shell and its line editor, a module (vsh-readline.c) that the
 * shell loads only when it goes interactive. */
#ifndef VIRTKIT_TOOLS_VSH_READLINE_H
#define VIRTKIT_TOOLS_VSH_READLINE_H

/* Completion candidates for TEXT, one per call, NULL when there are no more (readline's
 * generator protocol); STATE 0 starts anew, and only then is BEFORE (the line up to TEXT)
 * given. Returns g_malloc'd strings. */
typedef char *(*vshReadlineCompleteFunc)(const char *text, const char *before, int state);

typedef struct {
    /* NAME selects readline's per-program settings; the history keeps at most HISTSIZE
     * lines and starts from the file HISTORY (a missing file is an empty history). */
    void (*init)(const char *name, int histSize, const char *history,
                 vshReadlineCompleteFunc complete);
    /* One line (g_malloc'd), entered into the history unless empty; NULL at end of input. */
    char *(*readLine)(const char *prompt);
    void (*saveHistory)(const char *history);
} vshReadlineOps;

/* The one symbol of the module. */
#define VSH_READLINE_OPS_SYMBOL "vshReadlineModuleOps"
extern const vshReadlineOps vshReadlineModuleOps;

#endif /* VIRTKIT_TOOLS_VSH_READLINE_H */

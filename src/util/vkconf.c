/* libvirt's configuration syntax (virConf), read into values that remember their line, and the
 * typed getters every reader of such a file needs. */
#include "vkconf.h"

#include <errno.h>
#include <limits.h>
#include <string.h>

#include "vkerror.h"
#include "vkfile.h"

struct _vkConf {
    char *path;
    GHashTable *values; /* name -> vkConfValue */
    GPtrArray *keys;    /* names in file order, NULL-terminated */
};

/* ---- the syntax ----
 *
 * As virConf reads it: statements "name = value" separated by newlines or ';'. A name starts
 * with a letter, then letters, digits and '_'. A value is a string ('...', "..." or """..."""
 * spanning lines, without escapes), an integer with an optional sign, or a list of values in
 * brackets, separated by commas, which may span lines. '#' starts a comment, on a line of its own
 * or after a value. */

typedef struct {
    const char *path;
    const char *cur;
    const char *end;
    int line;
    GHashTable *values; /* name -> vkConfValue */
    GPtrArray *keys;    /* names in file order */
} Parser;

static void valueFree(vkConfValue *v)
{
    if (!v)
        return;
    g_free(v->str);
    if (v->list)
        g_ptr_array_unref(v->list);
    g_free(v);
}
G_DEFINE_AUTOPTR_CLEANUP_FUNC(vkConfValue, valueFree)

static void valueDestroy(gpointer data)
{
    valueFree(data);
}

static int syntaxError(const Parser *p, const char *what)
{
    vkReportError(VIR_FROM_CONF, VIR_ERR_CONF_SYNTAX, "%s:%d: %s", p->path, p->line, what);
    return -1;
}

static gboolean atEnd(const Parser *p)
{
    return p->cur >= p->end;
}

/* The current character, or NUL past the end, which no rule of the grammar accepts. */
static char peek(const Parser *p)
{
    return atEnd(p) ? '\0' : *p->cur;
}

static gboolean isEol(char c)
{
    return c == '\n' || c == '\r';
}

static void skipBlanks(Parser *p)
{
    while (peek(p) == ' ' || peek(p) == '\t')
        p->cur++;
}

static void skipBlanksAndEols(Parser *p)
{
    while (peek(p) == ' ' || peek(p) == '\t' || isEol(peek(p))) {
        if (*p->cur == '\n')
            p->line++;
        p->cur++;
    }
}

static void skipComment(Parser *p)
{
    while (!atEnd(p) && !isEol(*p->cur))
        p->cur++;
}

static gboolean startsWith(const Parser *p, const char *prefix)
{
    size_t len = strlen(prefix);

    return (size_t)(p->end - p->cur) >= len && memcmp(p->cur, prefix, len) == 0;
}

/* """...""": the one string that may span lines. */
static int parseLongString(Parser *p, char **out)
{
    const char *start;

    p->cur += 3;
    start = p->cur;
    while (!atEnd(p) && !startsWith(p, "\"\"\"")) {
        if (*p->cur == '\n')
            p->line++;
        p->cur++;
    }
    if (atEnd(p))
        return syntaxError(p, "unterminated string");
    *out = g_strndup(start, (gsize)(p->cur - start));
    p->cur += 3;
    return 0;
}

static int parseString(Parser *p, char **out)
{
    const char *start;
    char quote;

    if (startsWith(p, "\"\"\""))
        return parseLongString(p, out);
    quote = *p->cur++;
    start = p->cur;
    while (!atEnd(p) && *p->cur != quote && !isEol(*p->cur))
        p->cur++;
    if (peek(p) != quote)
        return syntaxError(p, "unterminated string");
    *out = g_strndup(start, (gsize)(p->cur - start));
    p->cur++;
    return 0;
}

static int parseInteger(Parser *p, vkConfValue *v)
{
    guint64 n = 0;

    if (peek(p) == '-' || peek(p) == '+')
        v->negative = *p->cur++ == '-';
    if (!g_ascii_isdigit(peek(p)))
        return syntaxError(p, "unterminated number");
    while (g_ascii_isdigit(peek(p))) {
        guint digit = (guint)(*p->cur++ - '0');

        if (n > (G_MAXUINT64 - digit) / 10)
            return syntaxError(p, "number too large");
        n = n * 10 + digit;
    }
    v->magnitude = n;
    return 0;
}

static vkConfValue *parseValue(Parser *p);

/* After the '['; the elements go to LIST. */
static int parseList(Parser *p, GPtrArray *list)
{
    skipBlanksAndEols(p);
    if (!atEnd(p) && *p->cur != ']') {
        vkConfValue *elem = parseValue(p);

        if (!elem)
            return -1;
        g_ptr_array_add(list, elem);
        skipBlanksAndEols(p);
    }
    while (!atEnd(p) && *p->cur != ']') {
        vkConfValue *elem = NULL;

        if (*p->cur != ',')
            return syntaxError(p, "expecting a separator in list");
        p->cur++;
        skipBlanksAndEols(p);
        if (peek(p) == ']')
            break;
        if (!(elem = parseValue(p)))
            return -1;
        g_ptr_array_add(list, elem);
        skipBlanksAndEols(p);
    }
    if (peek(p) != ']')
        return syntaxError(p, "list is not closed with ]");
    p->cur++;
    return 0;
}

static vkConfValue *parseValue(Parser *p)
{
    g_autoptr(vkConfValue) v = g_new0(vkConfValue, 1);
    char c;
    int rc;

    skipBlanks(p);
    v->line = p->line;
    c = peek(p);
    if (c == '"' || c == '\'') {
        v->type = VK_CONF_STRING;
        rc = parseString(p, &v->str);
    } else if (c == '[') {
        v->type = VK_CONF_LIST;
        v->list = g_ptr_array_new_with_free_func(valueDestroy);
        p->cur++;
        rc = parseList(p, v->list);
    } else if (g_ascii_isdigit(c) || c == '-' || c == '+') {
        v->type = VK_CONF_INTEGER;
        rc = parseInteger(p, v);
    } else {
        rc = syntaxError(p, "expecting a value");
    }
    if (rc < 0)
        return NULL;
    return g_steal_pointer(&v);
}

static int parseStatement(Parser *p)
{
    const char *start;
    g_autofree char *name = NULL;
    g_autoptr(vkConfValue) value = NULL;

    skipBlanksAndEols(p);
    if (atEnd(p))
        return 0;
    if (*p->cur == '#') {
        skipComment(p);
        return 0;
    }
    if (!g_ascii_isalpha(*p->cur))
        return syntaxError(p, "expecting a name");
    start = p->cur;
    while (g_ascii_isalnum(peek(p)) || peek(p) == '_')
        p->cur++;
    name = g_strndup(start, (gsize)(p->cur - start));

    skipBlanks(p);
    if (peek(p) != '=')
        return syntaxError(p, "expecting an assignment");
    p->cur++;
    if (!(value = parseValue(p)))
        return -1;
    /* libvirt looks settings up from the top of the file, so the first one counts. */
    if (!g_hash_table_contains(p->values, name)) {
        g_ptr_array_add(p->keys, g_strdup(name));
        g_hash_table_insert(p->values, g_steal_pointer(&name), g_steal_pointer(&value));
    }

    skipBlanks(p);
    if (peek(p) == '#')
        skipComment(p);
    return 0;
}

static int parseSeparator(Parser *p)
{
    skipBlanks(p);
    if (atEnd(p))
        return 0;
    if (isEol(*p->cur)) {
        skipBlanksAndEols(p);
        return 0;
    }
    if (*p->cur == ';') {
        p->cur++;
        skipBlanksAndEols(p);
        return 0;
    }
    return syntaxError(p, "expecting a separator");
}

vkConf *vkConfParse(const char *path, const char *content, gsize len)
{
    g_autoptr(vkConf) conf = g_new0(vkConf, 1);
    Parser p = { .path = path, .cur = content, .end = content + len, .line = 1 };

    conf->path = g_strdup(path);
    conf->values = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, valueDestroy);
    conf->keys = g_ptr_array_new_with_free_func(g_free);
    p.values = conf->values;
    p.keys = conf->keys;
    while (!atEnd(&p)) {
        if (parseStatement(&p) < 0 || parseSeparator(&p) < 0)
            return NULL;
    }
    g_ptr_array_add(conf->keys, NULL);
    return g_steal_pointer(&conf);
}

vkConf *vkConfReadFile(const char *path, gboolean missingOk)
{
    g_autofree char *content = NULL;
    gsize len = 0;

    /* an administrator's file may be a link into a configuration management tree */
    if (vkFileReadConfigIfExists(path, &content, &len) < 0)
        return NULL;
    if (!content && !missingOk) {
        vkReportSystemError(VIR_FROM_CONF, ENOENT, "cannot read file '%s'", path);
        return NULL;
    }
    return vkConfParse(path, content ? content : "", content ? len : 0);
}

void vkConfFree(vkConf *conf)
{
    if (!conf)
        return;
    g_free(conf->path);
    if (conf->values)
        g_hash_table_unref(conf->values);
    if (conf->keys)
        g_ptr_array_unref(conf->keys);
    g_free(conf);
}

const char *vkConfPath(const vkConf *conf)
{
    return conf->path;
}

const vkConfValue *vkConfLookup(const vkConf *conf, const char *key)
{
    return g_hash_table_lookup(conf->values, key);
}

const char *const *vkConfKeys(const vkConf *conf)
{
    return (const char *const *)conf->keys->pdata;
}

/* ---- typed getters: libvirt's wording (virConfGetValue*), with the line added ---- */

static int typeError(const vkConf *conf, const vkConfValue *v, const char *what, const char *key)
{
    vkReportError(VIR_FROM_CONF, VIR_ERR_INTERNAL_ERROR, "%s:%d: expected %s for '%s' parameter",
                  conf->path, v->line, what, key);
    return -1;
}

int vkConfGetString(const vkConf *conf, const char *key, char **dst)
{
    const vkConfValue *v = vkConfLookup(conf, key);

    if (!v)
        return 0;
    if (v->type != VK_CONF_STRING)
        return typeError(conf, v, "a string", key);
    g_free(*dst);
    *dst = g_strdup(v->str);
    return 0;
}

int vkConfGetBool(const vkConf *conf, const char *key, gboolean *dst)
{
    const vkConfValue *v = vkConfLookup(conf, key);

    if (!v)
        return 0;
    if (v->type != VK_CONF_INTEGER || v->negative)
        return typeError(conf, v, "a bool", key);
    if (v->magnitude > 1) {
        vkReportError(VIR_FROM_CONF, VIR_ERR_INTERNAL_ERROR,
                      "%s:%d: value for '%s' parameter must be 0 or 1", conf->path, v->line, key);
        return -1;
    }
    *dst = v->magnitude == 1;
    return 0;
}

int vkConfGetUInt(const vkConf *conf, const char *key, unsigned int *dst)
{
    const vkConfValue *v = vkConfLookup(conf, key);

    if (!v)
        return 0;
    if (v->type != VK_CONF_INTEGER || v->negative)
        return typeError(conf, v, "an unsigned integer", key);
    if (v->magnitude > UINT_MAX) {
        vkReportError(VIR_FROM_CONF, VIR_ERR_INTERNAL_ERROR,
                      "%s:%d: value for '%s' parameter must be in range 0:%u", conf->path, v->line,
                      key, UINT_MAX);
        return -1;
    }
    *dst = (unsigned int)v->magnitude;
    return 0;
}

int vkConfGetInt(const vkConf *conf, const char *key, int *dst)
{
    const vkConfValue *v = vkConfLookup(conf, key);

    if (!v)
        return 0;
    if (v->type != VK_CONF_INTEGER)
        return typeError(conf, v, "a signed integer", key);
    if (v->magnitude > (v->negative ? (guint64)INT_MAX + 1 : (guint64)INT_MAX)) {
        vkReportError(VIR_FROM_CONF, VIR_ERR_INTERNAL_ERROR,
                      "%s:%d: value for '%s' parameter must be in range %d:%d", conf->path, v->line,
                      key, INT_MIN, INT_MAX);
        return -1;
    }
    *dst = v->negative ? (int)(-(gint64)v->magnitude) : (int)v->magnitude;
    return 0;
}

int vkConfGetStringList(const vkConf *conf, const char *key, GStrv *dst)
{
    const vkConfValue *v = vkConfLookup(conf, key);
    g_autoptr(GStrvBuilder) builder = NULL;

    if (!v)
        return 0;
    if (v->type == VK_CONF_INTEGER)
        return typeError(conf, v, "a string or string list", key);
    builder = g_strv_builder_new();
    if (v->type == VK_CONF_STRING) {
        g_strv_builder_add(builder, v->str);
    } else {
        for (guint i = 0; i < v->list->len; i++) {
            const vkConfValue *elem = g_ptr_array_index(v->list, i);
            if (elem->type != VK_CONF_STRING)
                return typeError(conf, v, "a string list", key);
            g_strv_builder_add(builder, elem->str);
        }
    }
    g_strfreev(*dst);
    *dst = g_strv_builder_end(builder);
    return 0;
}

/* qemu.conf: the few settings of it that the qemu driver uses (the syntax is util/vkconf's). */
#include "qemu_conf.h"

#include <string.h>

#include "qemu/qemu_command.h"
#include "util/vkconf.h"
#include "util/vkerror.h"
<<<<<<< HEAD
=======
#include "util/vkfile.h"
#include "util/vksocketaddr.h"

/* Values the driver cannot use are its errors, as libvirt's port range checks are. */
#define VK_CONF_VALUE_ERR VIR_FROM_QEMU

/* ---- the syntax ----
 *
 * As virConf reads it: statements "name = value" separated by newlines or ';'. A name starts
 * with a letter, then letters, digits and '_'. A value is a string ('...', "..." or """..."""
 * spanning lines, without escapes), an integer with an optional sign, or a list of values in
 * brackets, separated by commas, which may span lines. '#' starts a comment, on a line of its own
 * or after a value. Lists are read only to be skipped: no setting we know takes one. */

typedef enum {
    VALUE_STRING,
    VALUE_INTEGER,
    VALUE_LIST,
} ValueType;

typedef struct {
    ValueType type;
    int line;
    char *str;         /* VALUE_STRING */
    gboolean negative; /* VALUE_INTEGER: written with '-', a signed number to libvirt */
    guint64 magnitude; /* VALUE_INTEGER */
} Value;

typedef struct {
    const char *path;
    const char *cur;
    const char *end;
    int line;
    GHashTable *values; /* name -> Value */
} Parser;

static void valueFree(Value *v)
{
    if (!v)
        return;
    g_free(v->str);
    g_free(v);
}
G_DEFINE_AUTOPTR_CLEANUP_FUNC(Value, valueFree)

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

static int parseInteger(Parser *p, Value *v)
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

static Value *parseValue(Parser *p);

/* After the '['; the elements are checked and dropped. */
static int parseList(Parser *p)
{
    skipBlanksAndEols(p);
    if (!atEnd(p) && *p->cur != ']') {
        g_autoptr(Value) elem = parseValue(p);

        if (!elem)
            return -1;
        skipBlanksAndEols(p);
    }
    while (!atEnd(p) && *p->cur != ']') {
        g_autoptr(Value) elem = NULL;

        if (*p->cur != ',')
            return syntaxError(p, "expecting a separator in list");
        p->cur++;
        skipBlanksAndEols(p);
        if (peek(p) == ']')
            break;
        if (!(elem = parseValue(p)))
            return -1;
        skipBlanksAndEols(p);
    }
    if (peek(p) != ']')
        return syntaxError(p, "list is not closed with ]");
    p->cur++;
    return 0;
}

static Value *parseValue(Parser *p)
{
    g_autoptr(Value) v = g_new0(Value, 1);
    char c;
    int rc;

    skipBlanks(p);
    v->line = p->line;
    c = peek(p);
    if (c == '"' || c == '\'') {
        v->type = VALUE_STRING;
        rc = parseString(p, &v->str);
    } else if (c == '[') {
        v->type = VALUE_LIST;
        p->cur++;
        rc = parseList(p);
    } else if (g_ascii_isdigit(c) || c == '-' || c == '+') {
        v->type = VALUE_INTEGER;
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
    g_autoptr(Value) value = NULL;

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
    if (!g_hash_table_contains(p->values, name))
        g_hash_table_insert(p->values, g_steal_pointer(&name), g_steal_pointer(&value));

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

/* The settings of the file at PATH with CONTENT, by name. */
static GHashTable *parseConf(const char *path, const char *content, gsize len)
{
    g_autoptr(GHashTable) values =
        g_hash_table_new_full(g_str_hash, g_str_equal, g_free, valueDestroy);
    Parser p = { .path = path, .cur = content, .end = content + len, .line = 1, .values = values };

    while (!atEnd(&p)) {
        if (parseStatement(&p) < 0 || parseSeparator(&p) < 0)
            return NULL;
    }
    return g_steal_pointer(&values);
}

/* ---- the settings ----
 *
 * Type errors read as libvirt's (virConfGetValue*), with the line added. */

/* Every string setting ends up in a guest's live XML, on qemu's command line or in a QMP
 * message, so it must be text that each of them carries unchanged: valid UTF-8 without control
 * characters (which XML cannot hold or would normalise). */
static int checkText(const char *path, const Value *v, const char *key)
{
    if (!g_utf8_validate(v->str, -1, NULL)) {
        vkReportError(VK_CONF_VALUE_ERR, VIR_ERR_CONFIG_UNSUPPORTED,
                      "%s:%d: the value of '%s' is not valid UTF-8", path, v->line, key);
        return -1;
    }
    for (const char *c = v->str; *c; c++) {
        if (g_ascii_iscntrl(*c)) {
            vkReportError(VK_CONF_VALUE_ERR, VIR_ERR_CONFIG_UNSUPPORTED,
                          "%s:%d: the value of '%s' contains a control character (0x%02x)", path,
                          v->line, key, (unsigned char)*c);
            return -1;
        }
    }
    return 0;
}

static int getString(GHashTable *values, const char *path, const char *key, char **dst)
{
    const Value *v = g_hash_table_lookup(values, key);

    if (!v)
        return 0;
    if (v->type != VALUE_STRING) {
        vkReportError(VIR_FROM_CONF, VIR_ERR_INTERNAL_ERROR,
                      "%s:%d: expected a string for '%s' parameter", path, v->line, key);
        return -1;
    }
    if (checkText(path, v, key) < 0)
        return -1;
    g_free(*dst);
    *dst = g_strdup(v->str);
    return 0;
}

/* A default listen address becomes the address of a guest's <listen>, so it obeys the same rule
 * as one written in the XML: a numeric IPv4 or IPv6 address. That also keeps anything qemu would
 * read as an option of its own (a comma) off its command line. */
static int getListenAddress(GHashTable *values, const char *path, const char *key, char **dst)
{
    const Value *v = g_hash_table_lookup(values, key);
    vkSocketAddr addr;

    if (getString(values, path, key, dst) < 0)
        return -1;
    if (v && vkSocketAddrParse(v->str, &addr) < 0) {
        vkReportError(VK_CONF_VALUE_ERR, VIR_ERR_CONFIG_UNSUPPORTED,
                      "%s:%d: invalid listen address '%s' for '%s': expected an IPv4 or IPv6 "
                      "address",
                      path, v->line, v->str, key);
        return -1;
    }
    return 0;
}

static int getBool(GHashTable *values, const char *path, const char *key, gboolean *dst)
{
    const Value *v = g_hash_table_lookup(values, key);

    if (!v)
        return 0;
    if (v->type != VALUE_INTEGER || v->negative) {
        vkReportError(VIR_FROM_CONF, VIR_ERR_INTERNAL_ERROR,
                      "%s:%d: expected a bool for '%s' parameter", path, v->line, key);
        return -1;
    }
    if (v->magnitude > 1) {
        vkReportError(VIR_FROM_CONF, VIR_ERR_INTERNAL_ERROR,
                      "%s:%d: value for '%s' parameter must be 0 or 1", path, v->line, key);
        return -1;
    }
    *dst = v->magnitude == 1;
    return 0;
}

static int getUInt(GHashTable *values, const char *path, const char *key, unsigned int *dst)
{
    const Value *v = g_hash_table_lookup(values, key);

    if (!v)
        return 0;
    if (v->type != VALUE_INTEGER || v->negative) {
        vkReportError(VIR_FROM_CONF, VIR_ERR_INTERNAL_ERROR,
                      "%s:%d: expected an unsigned integer for '%s' parameter", path, v->line, key);
        return -1;
    }
    if (v->magnitude > UINT_MAX) {
        vkReportError(VIR_FROM_CONF, VIR_ERR_INTERNAL_ERROR,
                      "%s:%d: value for '%s' parameter must be in range 0:%u", path, v->line, key,
                      UINT_MAX);
        return -1;
    }
    *dst = (unsigned int)v->magnitude;
    return 0;
}
>>>>>>> main

/* One port range, refused as libvirt refuses it: the minimum below the lowest port that has a
 * display number, the maximum beyond 65535 or below the minimum. */
static int checkPortRange(const char *path, const char *prefix, unsigned int min, unsigned int max,
                          unsigned int lowest, unsigned int highest)
{
    if (min < lowest) {
        vkReportError(VIR_FROM_QEMU, VIR_ERR_INTERNAL_ERROR,
                      "%s: %s_min: port must be greater than or equal to %u", path, prefix, lowest);
        return -1;
    }
    if (max > highest || max < min) {
        vkReportError(VIR_FROM_QEMU, VIR_ERR_INTERNAL_ERROR,
                      "%s: %s_max: port must be between the minimal port and %u", path, prefix,
                      highest);
        return -1;
    }
    return 0;
}

static int applySettings(vkQEMUConfig *cfg, const vkConf *conf)
{
<<<<<<< HEAD
    const char *path = vkConfPath(conf);

    if (vkConfGetString(conf, "vnc_listen", &cfg->vncListen) < 0 ||
        vkConfGetBool(conf, "vnc_auto_unix_socket", &cfg->vncAutoUnixSocket) < 0 ||
        vkConfGetString(conf, "vnc_password", &cfg->vncPassword) < 0 ||
        vkConfGetString(conf, "spice_listen", &cfg->spiceListen) < 0 ||
        vkConfGetString(conf, "spice_password", &cfg->spicePassword) < 0 ||
        vkConfGetBool(conf, "spice_tls", &cfg->spiceTLS) < 0 ||
        vkConfGetString(conf, "default_tls_x509_cert_dir", &cfg->spiceTLSx509certdir) < 0 ||
        vkConfGetString(conf, "spice_tls_x509_cert_dir", &cfg->spiceTLSx509certdir) < 0 ||
        vkConfGetUInt(conf, "remote_websocket_port_min", &cfg->websocketPortMin) < 0 ||
        vkConfGetUInt(conf, "remote_websocket_port_max", &cfg->websocketPortMax) < 0 ||
        vkConfGetUInt(conf, "remote_display_port_min", &cfg->displayPortMin) < 0 ||
        vkConfGetUInt(conf, "remote_display_port_max", &cfg->displayPortMax) < 0)
=======
    if (getListenAddress(values, path, "vnc_listen", &cfg->vncListen) < 0 ||
        getBool(values, path, "vnc_auto_unix_socket", &cfg->vncAutoUnixSocket) < 0 ||
        getString(values, path, "vnc_password", &cfg->vncPassword) < 0 ||
        getListenAddress(values, path, "spice_listen", &cfg->spiceListen) < 0 ||
        getString(values, path, "spice_password", &cfg->spicePassword) < 0 ||
        getBool(values, path, "spice_tls", &cfg->spiceTLS) < 0 ||
        getString(values, path, "default_tls_x509_cert_dir", &cfg->spiceTLSx509certdir) < 0 ||
        getString(values, path, "spice_tls_x509_cert_dir", &cfg->spiceTLSx509certdir) < 0 ||
        getUInt(values, path, "remote_websocket_port_min", &cfg->websocketPortMin) < 0 ||
        getUInt(values, path, "remote_websocket_port_max", &cfg->websocketPortMax) < 0 ||
        getUInt(values, path, "remote_display_port_min", &cfg->displayPortMin) < 0 ||
        getUInt(values, path, "remote_display_port_max", &cfg->displayPortMax) < 0)
>>>>>>> main
        return -1;

    if (checkPortRange(path, "remote_websocket_port", cfg->websocketPortMin, cfg->websocketPortMax,
                       VK_QEMU_WEBSOCKET_PORT_MIN, VK_QEMU_WEBSOCKET_PORT_MAX) < 0 ||
        checkPortRange(path, "remote_display_port", cfg->displayPortMin, cfg->displayPortMax,
                       VK_QEMU_DISPLAY_PORT_MIN, VK_QEMU_DISPLAY_PORT_MAX) < 0)
        return -1;

    if (cfg->vncPassword && strlen(cfg->vncPassword) > VK_QEMU_VNC_PASSWORD_MAX)
        cfg->vncPassword[VK_QEMU_VNC_PASSWORD_MAX] = '\0';
    return 0;
}

vkQEMUConfig *vkQEMUConfigNew(void)
{
    vkQEMUConfig *cfg = g_new0(vkQEMUConfig, 1);

    cfg->vncListen = g_strdup(VK_QEMU_DEFAULT_LISTEN);
    cfg->spiceListen = g_strdup(VK_QEMU_DEFAULT_LISTEN);
    cfg->vncAutoUnixSocket = FALSE;
    cfg->spiceTLSx509certdir = g_strdup("/etc/pki/qemu");
    cfg->displayPortMin = VK_QEMU_DISPLAY_PORT_MIN;
    cfg->displayPortMax = VK_QEMU_DISPLAY_PORT_MAX;
    cfg->websocketPortMin = VK_QEMU_WEBSOCKET_PORT_MIN;
    cfg->websocketPortMax = VK_QEMU_WEBSOCKET_PORT_MAX;
    return cfg;
}

char *vkQEMUConfigPath(const vkDriverPaths *paths)
{
    return g_build_filename(paths->etc, "qemu.conf", NULL);
}

vkQEMUConfig *vkQEMUConfigLoad(const char *path)
{
    g_autoptr(vkQEMUConfig) cfg = vkQEMUConfigNew();
    g_autoptr(vkConf) conf = vkConfReadFile(path, TRUE);

<<<<<<< HEAD
    if (!conf || applySettings(cfg, conf) < 0)
=======
    if (vkFileReadConfigIfExists(path, &content, &len) < 0)
        return NULL;
    if (!content)
        return g_steal_pointer(&cfg);
    if (!(values = parseConf(path, content, len)) || applySettings(cfg, values, path) < 0)
>>>>>>> main
        return NULL;
    return g_steal_pointer(&cfg);
}

void vkQEMUConfigFree(vkQEMUConfig *cfg)
{
    if (!cfg)
        return;
    g_free(cfg->vncListen);
    g_free(cfg->spiceListen);
    g_free(cfg->vncPassword);
    g_free(cfg->spicePassword);
    g_free(cfg->spiceTLSx509certdir);
    g_free(cfg);
}

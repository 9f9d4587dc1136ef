/* The index of an object store: names, uuids and unique keys of every object, on disk in a log
 * that embedded processes share and in memory in every process that asked it something.
 *
 * RUN/.index is a snapshot followed by records appended to it, lines of tab-separated fields;
 * later records override earlier ones:
 *
 *   virtkit-index 2 SIZE OBJS KEYS the format; the sizes of the snapshot and of its first two
 *                                  sections, objects and keys, which follow the header
 *   C NAME UUID DEV INO SIZE MTIME CTIME KEY...
 *                                  NAME's config, as read from the file of that identity
 *   S NAME UUID|- KEY...           NAME may have a status file ("-": it could not be read)
 *   K KEY NAME c|s                 NAME's config or status carries KEY (or uuid=UUID)
 *   c NAME                         NAME has no config
 *   s NAME                         NAME has no status file
 *   W NAME WHAT MESSAGE            what the last rebuild found wrong with NAME's config file
 *   T INO MTIME                    the config directory as the records above leave it
 *
 * A snapshot holds the C and S records sorted by name, then the K records sorted by key, then W
 * records and a T record. A process that asks about one object (a lookup, a uniqueness check)
 * reads only the snapshot's last section and what was appended after it, and probes the two
 * sorted sections with a halving search (a partial memory): a few small reads, whatever the
 * number of objects. A listing reads the log whole.
 *
 * Records are appended under RUN/.index.lock; once more than TAIL_MAX bytes were appended, the
 * log is rewritten as a snapshot (compaction), so that every process reads few records whole.
 *
 * Why the index can be trusted:
 * - Configs. Every change virtkit makes to the config directory holds the index's lock from
 *   before the file is touched until the record is appended (vkObjIndexChangeBegin/End), and
 *   then sets the directory's modification time to a stamp of its own (the current second with
 *   random nanoseconds) that the T record names. Anything else that adds, removes or renames a
 *   config (an administrator, a restored backup, a writer killed before its record) leaves the
 *   kernel's clock there instead, which is not the stamp: the index is stale and is rebuilt
 *   from the directory (a readdir and an lstat per file, parsing only files whose identity
 *   changed). Only a change by another program in the microseconds between virtkit's rename
 *   and its stamp goes unseen. A config rewritten in place keeps its directory entry but not its
 *   identity (size, times), which every caller that acts on one object confirms.
 * - Status files are virtkit's own. An S record is appended before a status file is first
 *   written and an s record after it is removed, so the S records are a superset: no S record
 *   means no status file, and an S record is confirmed by reading the file. A rebuild lists the
 *   run directory, and keeps S records of objects whose lock is held (a start in progress).
 * - A log that is missing, unreadable, corrupt (a line that does not parse, a sorted section
 *   found out of order where it is probed) or of another format is rebuilt; where it cannot be
 * written, the rebuilt index lives in memory.
 * - Every question first reads what the log gained since the last one (its inode and size
 *   tell) and compares the last T record with the directory: two stat calls, however many
 *   objects there are. Lookups return candidates, which the caller confirms by reading that one
 *   object.
 */
#include "vkobjindex.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "vkerror.h"
#include "vkuuid.h"

#define LOG_NAME  ".index"
#define LOCK_NAME ".index" /* RUN/.index.lock: no object's name starts with a dot */
#define FORMAT    "virtkit-index"
#define VERSION   2
#define DIR_MODE  0700
#define FILE_MODE 0600
/* The records a log may gather after its snapshot before it is compacted: every process reads
 * them whole, so they are kept few whatever the number of objects. */
#define TAIL_MAX (32 * 1024)
/* A stretch of a sorted section short enough to be read line by line. */
#define PROBE_LINEAR  1024
#define REBUILD_TRIES 3
/* Unreferenced indexes kept for the next connection to the same root. */
#define IDLE_MAX 8

struct _vkObjIndex {
    gint refs;
    char *etc;
    char *run;
    char *log;
    char *key;           /* in the registry */
    GMutex lock;         /* guards everything below */
    gboolean loaded;     /* the memory holds the log up to OFFSET, or MEMORYONLY */
    gboolean memoryOnly; /* rebuilt where the log could not be written */
    dev_t logDev;
    ino_t logIno;
    off_t offset;
    off_t snapEnd; /* where the snapshot ends and the records appended to it begin */
    /* Partial: the memory holds only what the records after the snapshot say (entries with
     * configSet/statusSet); the snapshot itself is probed on disk through SNAPFD, its sections
     * of sorted objects [RECSTART, RECEND) and of sorted keys [RECEND, KEYEND). */
    gboolean partial;
    int snapFd;
    off_t recStart;
    off_t recEnd;
    off_t keyEnd;
    GTree *entries;       /* name -> vkObjIndexEntry */
    GHashTable *keys;     /* key -> GHashTable (set of names) */
    GHashTable *warnings; /* name -> "WHAT\tMESSAGE" */
    gboolean haveStamp;
    ino_t stampIno; /* 0: there was no config directory */
    struct timespec stamp;
};

/* ---- entries ---- */

vkObjIndexEntry *vkObjIndexEntryRef(vkObjIndexEntry *e)
{
    g_atomic_int_inc(&e->refs);
    return e;
}

void vkObjIndexEntryUnref(vkObjIndexEntry *e)
{
    if (!e || !g_atomic_int_dec_and_test(&e->refs))
        return;
    g_free(e->name);
    g_strfreev(e->configKeys);
    g_strfreev(e->statusKeys);
    g_free(e);
}

static gboolean sameTime(const struct timespec *a, const struct timespec *b)
{
    return a->tv_sec == b->tv_sec && a->tv_nsec == b->tv_nsec;
}

static gboolean sameFile(const struct stat *a, const struct stat *b)
{
    return a->st_dev == b->st_dev && a->st_ino == b->st_ino && a->st_size == b->st_size &&
           sameTime(&a->st_mtim, &b->st_mtim) && sameTime(&a->st_ctim, &b->st_ctim);
}

/* Whether the config file ST describes (lstat) is the one E was made from. */
static gboolean entryMatchesFile(const vkObjIndexEntry *e, const struct stat *st)
{
    return e->config && e->ident.st_ino != 0 && S_ISREG(st->st_mode) && sameFile(&e->ident, st);
}

static vkObjIndexEntry *entryNew(const char *name)
{
    vkObjIndexEntry *e = g_new0(vkObjIndexEntry, 1);

    e->refs = 1;
    e->name = g_strdup(name);
    return e;
}

static vkObjIndexEntry *entryCopy(const vkObjIndexEntry *from)
{
    vkObjIndexEntry *e = g_memdup2(from, sizeof(*from));

    e->refs = 1;
    e->name = g_strdup(from->name);
    e->configKeys = g_strdupv(from->configKeys);
    e->statusKeys = g_strdupv(from->statusKeys);
    return e;
}

void vkObjIndexFactsInit(vkObjIndexFacts *facts)
{
    memset(facts, 0, sizeof(*facts));
    facts->keys = g_ptr_array_new_with_free_func(g_free);
}

void vkObjIndexFactsClear(vkObjIndexFacts *facts)
{
    g_clear_pointer(&facts->keys, g_ptr_array_unref);
}

/* A key as a record may carry it: no field separator, no line break, not empty. */
static gboolean keyUsable(const char *key)
{
    return *key && !strpbrk(key, "\t\n\r");
}

static GStrv keysFrom(const vkObjIndexFacts *facts)
{
    GPtrArray *keys = g_ptr_array_new();

    for (guint i = 0; facts->keys && i < facts->keys->len; i++) {
        const char *key = g_ptr_array_index(facts->keys, i);
        if (keyUsable(key))
            g_ptr_array_add(keys, g_strdup(key));
    }
    g_ptr_array_add(keys, NULL);
    return (GStrv)g_ptr_array_free(keys, FALSE);
}

static char *uuidKey(const unsigned char *uuid)
{
    char str[VIR_UUID_STRING_BUFLEN];

    vkUUIDFormat(uuid, str);
    return g_strconcat("uuid=", str, NULL);
}

/* ---- the memory ---- */

static void keyAdd(gpointer data, const char *key, const char *name)
{
    vkObjIndex *idx = data;
    GHashTable *names = g_hash_table_lookup(idx->keys, key);

    if (!names) {
        names = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
        g_hash_table_insert(idx->keys, g_strdup(key), names);
    }
    g_hash_table_add(names, g_strdup(name));
}

static void keyRemove(gpointer data, const char *key, const char *name)
{
    vkObjIndex *idx = data;
    GHashTable *names = g_hash_table_lookup(idx->keys, key);

    if (names && g_hash_table_remove(names, name) && g_hash_table_size(names) == 0)
        g_hash_table_remove(idx->keys, key);
}

typedef void (*KeyFn)(gpointer data, const char *key, const char *name);

/* Every key the config part (CONFIG) or the status part of E answers to, the uuid included. */
static void entryKeysOf(const vkObjIndexEntry *e, gboolean config, KeyFn fn, gpointer data)
{
    /* A kind without uuids has null ones, which no lookup asks for. */
    if (config && e->config) {
        g_autofree char *key = vkUUIDIsNull(e->uuid) ? NULL : uuidKey(e->uuid);
        if (key)
            fn(data, key, e->name);
        for (char **k = e->configKeys; k && *k; k++)
            fn(data, *k, e->name);
    }
    if (!config && e->status) {
        if (e->statusHasUUID && !vkUUIDIsNull(e->statusUUID)) {
            g_autofree char *key = uuidKey(e->statusUUID);
            fn(data, key, e->name);
        }
        for (char **k = e->statusKeys; k && *k; k++)
            fn(data, *k, e->name);
    }
}

/* Every key E answers to, the uuids included. */
static void entryKeys(const vkObjIndexEntry *e, KeyFn fn, vkObjIndex *idx)
{
    entryKeysOf(e, TRUE, fn, idx);
    entryKeysOf(e, FALSE, fn, idx);
}

/* The public uuid: the config's, else the status's. */
static void entryPublicUUID(vkObjIndexEntry *e)
{
    if (!e->config) {
        e->hasUUID = e->statusHasUUID;
        memcpy(e->uuid, e->statusUUID, sizeof(e->uuid));
    } else {
        e->hasUUID = TRUE;
    }
}

/* Puts E (taken) in place of NAME's entry; an entry with neither part goes. */
static void entrySet(vkObjIndex *idx, vkObjIndexEntry *e)
{
    vkObjIndexEntry *old = g_tree_lookup(idx->entries, e->name);

    if (old)
        entryKeys(old, keyRemove, idx);
    /* The partial memory keeps what the records say is gone: the snapshot still has it. */
    if (!e->config && !e->status && !(idx->partial && (e->configSet || e->statusSet))) {
        g_tree_remove(idx->entries, e->name);
        vkObjIndexEntryUnref(e);
        return;
    }
    entryPublicUUID(e);
    entryKeys(e, keyAdd, idx);
    g_tree_replace(idx->entries, e->name, e);
}

static vkObjIndexEntry *entryEdit(vkObjIndex *idx, const char *name)
{
    vkObjIndexEntry *old = g_tree_lookup(idx->entries, name);

    return old ? entryCopy(old) : entryNew(name);
}

static gint compareNames(gconstpointer a, gconstpointer b, gpointer unused)
{
    return strcmp(a, b);
}

static void memoryReset(vkObjIndex *idx)
{
    g_clear_pointer(&idx->entries, g_tree_destroy);
    g_clear_pointer(&idx->keys, g_hash_table_destroy);
    g_clear_pointer(&idx->warnings, g_hash_table_destroy);
    idx->entries = g_tree_new_full(compareNames, NULL, NULL, (GDestroyNotify)vkObjIndexEntryUnref);
    idx->keys = g_hash_table_new_full(g_str_hash, g_str_equal, g_free,
                                      (GDestroyNotify)g_hash_table_destroy);
    idx->warnings = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
    idx->loaded = FALSE;
    idx->memoryOnly = FALSE;
    idx->haveStamp = FALSE;
    idx->offset = 0;
    idx->logIno = 0;
    idx->logDev = 0;
    idx->snapEnd = 0;
    idx->partial = FALSE;
    if (idx->snapFd >= 0)
        close(idx->snapFd);
    idx->snapFd = -1;
    idx->recStart = idx->recEnd = idx->keyEnd = 0;
}

/* ---- records ---- */

static gboolean parseU64(const char *field, guint64 *value)
{
    return g_ascii_string_to_unsigned(field, 10, 0, G_MAXUINT64, value, NULL);
}

static gboolean parseTime(const char *field, struct timespec *t)
{
    const char *dot = strchr(field, '.');
    g_autofree char *sec = NULL;
    guint64 s, ns;

    if (!dot)
        return FALSE;
    sec = g_strndup(field, dot - field);
    if (!parseU64(sec, &s) || !parseU64(dot + 1, &ns) || ns >= G_USEC_PER_SEC * 1000)
        return FALSE;
    t->tv_sec = (time_t)s;
    t->tv_nsec = (long)ns;
    return TRUE;
}

static void formatTime(GString *out, const struct timespec *t)
{
    g_string_append_printf(out, "\t%lld.%09ld", (long long)t->tv_sec, t->tv_nsec);
}

static gboolean parseUUID(const char *field, unsigned char *uuid)
{
    return strlen(field) == VIR_UUID_STRING_BUFLEN - 1 && vkUUIDParse(field, uuid) == 0;
}

static void formatUUID(GString *out, const unsigned char *uuid)
{
    char str[VIR_UUID_STRING_BUFLEN];

    vkUUIDFormat(uuid, str);
    g_string_append_c(out, '\t');
    g_string_append(out, str);
}

static void formatKeys(GString *out, char *const *keys)
{
    for (char *const *k = keys; k && *k; k++) {
        g_string_append_c(out, '\t');
        g_string_append(out, *k);
    }
}

static void formatConfig(GString *out, const char *name, const unsigned char *uuid,
                         const struct stat *st, char *const *keys)
{
    g_string_append_printf(out, "C\t%s", name);
    formatUUID(out, uuid);
    g_string_append_printf(out, "\t%llu\t%llu\t%lld", (unsigned long long)st->st_dev,
                           (unsigned long long)st->st_ino, (long long)st->st_size);
    formatTime(out, &st->st_mtim);
    formatTime(out, &st->st_ctim);
    formatKeys(out, keys);
    g_string_append_c(out, '\n');
}

static void formatStatus(GString *out, const char *name, gboolean hasUUID,
                         const unsigned char *uuid, char *const *keys)
{
    g_string_append_printf(out, "S\t%s", name);
    if (hasUUID)
        formatUUID(out, uuid);
    else
        g_string_append(out, "\t-");
    formatKeys(out, keys);
    g_string_append_c(out, '\n');
}

static void formatStamp(GString *out, ino_t ino, const struct timespec *t)
{
    g_string_append_printf(out, "T\t%llu", (unsigned long long)ino);
    formatTime(out, t);
    g_string_append_c(out, '\n');
}

/* The config part of E from the fields of a C record. */
static int parseConfig(vkObjIndexEntry *e, char **f, guint n)
{
    guint64 dev, ino, size;

    if (n < 8 || !parseUUID(f[2], e->uuid) || !parseU64(f[3], &dev) || !parseU64(f[4], &ino) ||
        !parseU64(f[5], &size) || !parseTime(f[6], &e->ident.st_mtim) ||
        !parseTime(f[7], &e->ident.st_ctim))
        return -1;
    e->config = TRUE;
    e->ident.st_dev = (dev_t)dev;
    e->ident.st_ino = (ino_t)ino;
    e->ident.st_size = (off_t)size;
    e->ident.st_mode = S_IFREG;
    g_strfreev(e->configKeys);
    e->configKeys = g_strdupv(f + 8);
    return 0;
}

/* The status part of E from the fields of an S record. */
static int parseStatus(vkObjIndexEntry *e, char **f, guint n)
{
    if (n < 3)
        return -1;
    e->statusHasUUID = !g_str_equal(f[2], "-");
    if (e->statusHasUUID && !parseUUID(f[2], e->statusUUID))
        return -1;
    e->status = TRUE;
    g_strfreev(e->statusKeys);
    e->statusKeys = g_strdupv(f + 3);
    return 0;
}

static void clearConfig(vkObjIndexEntry *e)
{
    e->config = FALSE;
    g_clear_pointer(&e->configKeys, g_strfreev);
    memset(&e->ident, 0, sizeof(e->ident));
}

static void clearStatus(vkObjIndexEntry *e)
{
    e->status = FALSE;
    e->statusHasUUID = FALSE;
    memset(e->statusUUID, 0, sizeof(e->statusUUID));
    g_clear_pointer(&e->statusKeys, g_strfreev);
}

static int applyConfig(vkObjIndex *idx, char **f, guint n)
{
    g_autoptr(vkObjIndexEntry) e = NULL;

    if (n < 8)
        return -1;
    e = entryEdit(idx, f[1]);
    if (parseConfig(e, f, n) < 0)
        return -1;
    e->configSet = TRUE;
    g_hash_table_remove(idx->warnings, f[1]);
    entrySet(idx, g_steal_pointer(&e));
    return 0;
}

static int applyStatus(vkObjIndex *idx, char **f, guint n)
{
    g_autoptr(vkObjIndexEntry) e = NULL;

    if (n < 3)
        return -1;
    e = entryEdit(idx, f[1]);
    if (parseStatus(e, f, n) < 0)
        return -1;
    e->statusSet = TRUE;
    entrySet(idx, g_steal_pointer(&e));
    return 0;
}

static int applyGone(vkObjIndex *idx, char **f, guint n, gboolean config)
{
    vkObjIndexEntry *e;

    if (n != 2)
        return -1;
    if (config)
        g_hash_table_remove(idx->warnings, f[1]);
    /* A partial memory remembers the part gone: the snapshot on disk may still have it. */
    if (!idx->partial && !g_tree_lookup(idx->entries, f[1]))
        return 0;
    e = entryEdit(idx, f[1]);
    if (config) {
        clearConfig(e);
        e->configSet = TRUE;
    } else {
        clearStatus(e);
        e->statusSet = TRUE;
    }
    entrySet(idx, e);
    return 0;
}

static int applyStamp(vkObjIndex *idx, char **f, guint n)
{
    guint64 ino;

    if (n != 3 || !parseU64(f[1], &ino) || !parseTime(f[2], &idx->stamp))
        return -1;
    idx->stampIno = (ino_t)ino;
    idx->haveStamp = TRUE;
    return 0;
}

/* The fields of LINE (split in place: they point into it), NULL-terminated; *N counts them. */
static char **splitFields(char *line, guint *n)
{
    char **f;
    guint tabs = 0;
    char *p = line;

    for (const char *t = line; (t = strchr(t, '\t')); t++)
        tabs++;
    f = g_new0(char *, tabs + 2);
    *n = 0;
    for (;;) {
        char *tab = strchr(p, '\t');

        f[(*n)++] = p;
        if (!tab)
            break;
        *tab = '\0';
        p = tab + 1;
    }
    return f;
}

/* One record (LINE, without its newline, split in place). */
static int applyRecord(vkObjIndex *idx, char *line)
{
    guint n = 0;
    g_autofree char **f = splitFields(line, &n);

    if (n < 2 || strlen(f[0]) != 1 || (f[0][0] != 'T' && !*f[1]))
        return -1;
    switch (f[0][0]) {
    case 'C':
        return applyConfig(idx, f, n);
    case 'c':
        return applyGone(idx, f, n, TRUE);
    case 'S':
        return applyStatus(idx, f, n);
    case 's':
        return applyGone(idx, f, n, FALSE);
    case 'W':
        if (n != 4)
            return -1;
        g_hash_table_replace(idx->warnings, g_strdup(f[1]), g_strdup_printf("%s\t%s", f[2], f[3]));
        return 0;
    case 'T':
        return applyStamp(idx, f, n);
    case 'K':
        /* The snapshot's key section, which the memory makes from the records itself. */
        return n == 4 ? 0 : -1;
    default:
        return -1;
    }
}

/* The complete lines of DATA (LEN bytes), applied in order; *USED says how many bytes they
 * took: a line still being appended waits for the next read. */
static int applyLines(vkObjIndex *idx, char *data, gsize len, gsize *used)
{
    char *p = data;
    char *end = data + len;
    char *nl;

    while (p < end && (nl = memchr(p, '\n', end - p))) {
        *nl = '\0';
        if (applyRecord(idx, p) < 0)
            return -1;
        p = nl + 1;
    }
    *used = p - data;
    return 0;
}

/* The layout of a snapshot: where its header ends, its sections end (objects, then keys) and
 * the snapshot itself ends. */
typedef struct {
    off_t recStart;
    off_t recEnd;
    off_t keyEnd;
    off_t end;
} Layout;

/* The header of the log open on FD (SIZE bytes long); -1 when it is not one of this format or
 * names sections beyond the end. */
static int readHeader(int fd, off_t size, Layout *l)
{
    char buf[128] = "";
    ssize_t n = pread(fd, buf, sizeof(buf) - 1, 0);
    g_auto(GStrv) f = NULL;
    guint64 version, body, rec, keys;
    char *nl;

    if (n <= 0 || !(nl = memchr(buf, '\n', n)))
        return -1;
    *nl = '\0';
    f = g_strsplit(buf, "\t", -1);
    if (g_strv_length(f) != 5 || !g_str_equal(f[0], FORMAT) || !parseU64(f[1], &version) ||
        version != VERSION || !parseU64(f[2], &body) || !parseU64(f[3], &rec) ||
        !parseU64(f[4], &keys) || rec > body || keys > body - rec)
        return -1;
    l->recStart = nl + 1 - buf;
    l->recEnd = l->recStart + (off_t)rec;
    l->keyEnd = l->recEnd + (off_t)keys;
    l->end = l->recStart + (off_t)body;
    return l->end <= size ? 0 : -1;
}

/* ---- the log ---- */

/* LEN bytes of FD from OFFSET. */
static char *readRange(int fd, off_t offset, gsize len)
{
    g_autofree char *buf = g_malloc(len + 1);
    gsize got = 0;

    while (got < len) {
        ssize_t n = pread(fd, buf + got, len - got, offset + got);

        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return NULL;
        got += n;
    }
    buf[len] = '\0';
    return g_steal_pointer(&buf);
}

/* Applies the records of [FROM, TO) of FD; *END says where the last complete one ended. */
static int applyRange(vkObjIndex *idx, int fd, off_t from, off_t to, off_t *end)
{
    g_autofree char *data = NULL;
    gsize used = 0;

    *end = from;
    if (to <= from)
        return 0;
    if (!(data = readRange(fd, from, to - from)) || applyLines(idx, data, to - from, &used) < 0)
        return -1;
    *end = from + (off_t)used;
    return 0;
}

/* Reads the log from its start: with FULL the whole of it, else the records after the
 * snapshot's objects and keys only (a partial memory, which probes the snapshot on disk and
 * keeps FD for it). */
static int loadLog(vkObjIndex *idx, int fd, off_t size, gboolean full)
{
    Layout l;
    off_t end;

    if (readHeader(fd, size, &l) < 0)
        return -1;
    idx->snapEnd = l.end;
    if (full) {
        if (applyRange(idx, fd, l.recStart, l.recEnd, &end) < 0 || end != l.recEnd)
            return -1;
    } else {
        idx->partial = TRUE;
        idx->recStart = l.recStart;
        idx->recEnd = l.recEnd;
        idx->keyEnd = l.keyEnd;
    }
    if (applyRange(idx, fd, l.keyEnd, size, &end) < 0 || end < l.end)
        return -1;
    idx->offset = end;
    return 0;
}

/* Applies what the log holds beyond what the memory has; with FULL, a partial memory is made
 * whole. 0: the memory is the log's; 1: the log is missing, unreadable, corrupt or of another
 * format, and must be rebuilt. */
static int catchUp(vkObjIndex *idx, gboolean full)
{
    struct stat st;
    off_t end;
    int fd;

    if (lstat(idx->log, &st) < 0 || !S_ISREG(st.st_mode)) {
        /* Kept in memory where no log could be written: good until one appears. */
        return idx->memoryOnly && idx->logIno == 0 ? 0 : 1;
    }
    if ((idx->loaded || idx->memoryOnly) && st.st_dev == idx->logDev && st.st_ino == idx->logIno &&
        st.st_size == idx->offset && !(full && idx->partial))
        return 0;
    if ((fd = open(idx->log, O_RDONLY | O_NOFOLLOW | O_CLOEXEC)) < 0)
        return 1;
    if (fstat(fd, &st) < 0) {
        close(fd);
        return 1;
    }
    /* Another file (compacted, rebuilt), one that shrank, or a partial memory to be made
     * whole: read from the start. */
    if (!idx->loaded || idx->memoryOnly || st.st_dev != idx->logDev || st.st_ino != idx->logIno ||
        st.st_size < idx->offset || (full && idx->partial)) {
        memoryReset(idx);
        idx->logDev = st.st_dev;
        idx->logIno = st.st_ino;
        if (loadLog(idx, fd, st.st_size, full) < 0) {
            close(fd);
            memoryReset(idx);
            return 1;
        }
        if (idx->partial) {
            idx->snapFd = fd;
            fd = -1;
        }
    } else if (applyRange(idx, fd, idx->offset, st.st_size, &end) < 0) {
        close(fd);
        memoryReset(idx);
        return 1;
    } else {
        idx->offset = end;
    }
    if (fd >= 0)
        close(fd);
    idx->loaded = TRUE;
    return 0;
}

static void stampNow(struct timespec *t)
{
    clock_gettime(CLOCK_REALTIME, t);
    t->tv_nsec = g_random_int_range(0, 1000000000);
}

/* Whether the config directory is as the last T record left it. */
static gboolean dirFresh(vkObjIndex *idx)
{
    struct stat st;

    if (!idx->haveStamp)
        return FALSE;
    if (stat(idx->etc, &st) < 0)
        return errno == ENOENT && idx->stampIno == 0;
    return S_ISDIR(st.st_mode) && st.st_ino == idx->stampIno && sameTime(&st.st_mtim, &idx->stamp);
}

/* Sets the directory's time to STAMP, and says what it became (a filesystem that keeps coarser
 * times rounds it). FALSE when it cannot be set. */
static gboolean stampDir(const char *dir, const struct timespec *stamp, struct stat *st)
{
    struct timespec times[2] = { { .tv_nsec = UTIME_OMIT }, *stamp };

    return utimensat(AT_FDCWD, dir, times, 0) == 0 && stat(dir, st) == 0;
}

static vkFileLock *lockTake(vkObjIndex *idx)
{
    vkFileLock *lock;

    if (vkFileMakePath(idx->run, DIR_MODE) < 0 ||
        !(lock = vkFileLockAcquire(idx->run, LOCK_NAME))) {
        vkResetLastError();
        return NULL;
    }
    return lock;
}

/* Appends TEXT to the log, which must exist already (a missing one is rebuilt anyway). A
 * failed append leaves no half record: the log goes, and the next question rebuilds it. */
static void logAppend(vkObjIndex *idx, const char *text, off_t *size)
{
    size_t len = strlen(text);
    struct stat st;
    int fd = open(idx->log, O_WRONLY | O_APPEND | O_NOFOLLOW | O_CLOEXEC);

    *size = 0;
    if (fd < 0)
        return;
    if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode) || vkFileWriteFd(fd, text, len) < 0) {
        close(fd);
        unlink(idx->log);
        return;
    }
    *size = st.st_size + (off_t)len;
    close(fd);
}

/* Puts STAMP, which the log's last T record names, on the config directory (AFTER as it was
 * before). A directory that cannot take it (not ours) or keeps coarser times gets a T record
 * with the time it really has: good, if open to a change made within the same clock tick. */
static void stampSet(vkObjIndex *idx, const struct timespec *stamp, const struct stat *after)
{
    g_autoptr(GString) t = g_string_new(NULL);
    struct stat now;
    off_t size;

    idx->haveStamp = TRUE;
    idx->stampIno = after->st_ino;
    idx->stamp = *stamp;
    if (stampDir(idx->etc, stamp, &now) && sameTime(&now.st_mtim, stamp))
        return;
    if (stat(idx->etc, &now) < 0)
        return;
    formatStamp(t, now.st_ino, &now.st_mtim);
    logAppend(idx, t->str, &size);
    /* Read back with the record at the next question. */
}

/* Compares the second field of LINE (after its tag, up to a tab, a line break or the end) with
 * the LEN bytes of KEY, as strcmp would compare them. */
static int fieldCompare(const char *line, const char *key, gsize len)
{
    const char *f = strchr(line, '\t');
    gsize flen;
    int c;

    if (!f)
        return -1;
    f++;
    flen = strcspn(f, "\t\n");
    c = memcmp(f, key, MIN(flen, len));
    if (c)
        return c;
    return flen < len ? -1 : flen > len ? 1 : 0;
}

static void keyCollect(gpointer data, const char *key, const char *name)
{
    g_ptr_array_add(data, g_strdup(key));
}

/* Sorted by key, then by name: what a probe of the key section expects. */
static int compareKeyLines(gconstpointer a, gconstpointer b)
{
    const char *x = *(const char *const *)a;
    const char *y = *(const char *const *)b;
    int c = fieldCompare(x, y + 2, strcspn(y + 2, "\t"));

    return c ? c : strcmp(x, y);
}

/* The snapshot of the memory, with the stamp INO/STAMP: the objects sorted by name, the keys
 * sorted, the warnings and the stamp. */
static char *snapshotFormat(vkObjIndex *idx, ino_t ino, const struct timespec *stamp)
{
    GString *body = g_string_new(NULL);
    GString *out = g_string_new(NULL);
    g_autoptr(GPtrArray) keys = g_ptr_array_new_with_free_func(g_free);
    GHashTableIter it;
    gpointer name, text;
    GTreeNode *node;
    gsize recLen, keyLen;

    for (node = g_tree_node_first(idx->entries); node; node = g_tree_node_next(node)) {
        const vkObjIndexEntry *e = g_tree_node_value(node);
        g_autoptr(GPtrArray) ck = g_ptr_array_new_with_free_func(g_free);
        g_autoptr(GPtrArray) sk = g_ptr_array_new_with_free_func(g_free);

        if (e->config)
            formatConfig(body, e->name, e->uuid, &e->ident, e->configKeys);
        if (e->status)
            formatStatus(body, e->name, e->statusHasUUID, e->statusUUID, e->statusKeys);
        entryKeysOf(e, TRUE, keyCollect, ck);
        entryKeysOf(e, FALSE, keyCollect, sk);
        for (guint i = 0; i < ck->len; i++)
            g_ptr_array_add(
                keys, g_strdup_printf("K\t%s\t%s\tc\n", (char *)g_ptr_array_index(ck, i), e->name));
        for (guint i = 0; i < sk->len; i++)
            g_ptr_array_add(
                keys, g_strdup_printf("K\t%s\t%s\ts\n", (char *)g_ptr_array_index(sk, i), e->name));
    }
    recLen = body->len;
    g_ptr_array_sort(keys, compareKeyLines);
    for (guint i = 0; i < keys->len; i++)
        g_string_append(body, g_ptr_array_index(keys, i));
    keyLen = body->len - recLen;
    g_hash_table_iter_init(&it, idx->warnings);
    while (g_hash_table_iter_next(&it, &name, &text))
        g_string_append_printf(body, "W\t%s\t%s\n", (char *)name, (char *)text);
    formatStamp(body, ino, stamp);
    g_string_append_printf(out, "%s\t%d\t%zu\t%zu\t%zu\n", FORMAT, VERSION, body->len, recLen,
                           keyLen);
    g_string_append_len(out, body->str, body->len);
    g_string_free(body, TRUE);
    return g_string_free(out, FALSE);
}

/* Writes the memory as the new log; FALSE when it cannot be written. */
static gboolean snapshotWrite(vkObjIndex *idx, ino_t ino, const struct timespec *stamp)
{
    g_autofree char *text = snapshotFormat(idx, ino, stamp);
    struct stat st;

    if (vkFileMakePath(idx->run, DIR_MODE) < 0 ||
        vkFileWriteRunState(idx->log, text, -1, FILE_MODE) < 0 || lstat(idx->log, &st) < 0) {
        vkResetLastError();
        return FALSE;
    }
    idx->logDev = st.st_dev;
    idx->logIno = st.st_ino;
    idx->offset = st.st_size;
    idx->snapEnd = st.st_size;
    return TRUE;
}

/* ---- rebuilding ---- */

static void warnRecord(vkObjIndex *idx, const char *name, const char *what)
{
    virErrorPtr err = virGetLastError();
    g_autofree char *message = g_strdup(err && err->message ? err->message : "unknown error");

    g_autofree char *key = g_strdelimit(g_strdup(name), "\t\n\r", ' ');

    vkResetLastError();
    /* Kept on one line of the log. */
    g_strdelimit(message, "\t\n\r", ' ');
    g_hash_table_replace(idx->warnings, g_steal_pointer(&key),
                         g_strdelimit(g_strdup_printf("%s\t%s", what, message), "\n\r", ' '));
}

/* NAME's config entry from the directory: the old one if the file is the same, else read. */
static void rebuildConfig(vkObjIndex *idx, GTree *old, const vkObjIndexSource *src,
                          const char *name)
{
    g_autofree char *base = g_strconcat(name, ".xml", NULL);
    g_autofree char *path = g_build_filename(idx->etc, base, NULL);
    g_autofree char *what = g_strdup_printf("%s '%s' skipped", src->kind, name);
    vkObjIndexEntry *was = g_tree_lookup(old, name);
    vkObjIndexFacts facts;
    struct stat before, after;
    vkObjIndexEntry *e;
    int rc;

    if (!src->nameValid(name)) {
        src->nameCheck(name);
        warnRecord(idx, name, what);
        return;
    }
    if (lstat(path, &before) < 0)
        return;
    e = entryEdit(idx, name);
    if (was && entryMatchesFile(was, &before)) {
        e->config = TRUE;
        memcpy(e->uuid, was->uuid, sizeof(e->uuid));
        e->ident = was->ident;
        e->configKeys = g_strdupv(was->configKeys);
        entrySet(idx, e);
        return;
    }
    vkObjIndexFactsInit(&facts);
    rc = src->readConfig(src->opaque, name, &facts);
    if (rc <= 0) {
        if (rc < 0)
            warnRecord(idx, name, what);
        vkObjIndexEntryUnref(e);
        vkObjIndexFactsClear(&facts);
        return;
    }
    e->config = TRUE;
    memcpy(e->uuid, facts.uuid, sizeof(e->uuid));
    /* A file that changed while it was read keeps no identity: it is read again when asked. */
    if (lstat(path, &after) == 0 && sameFile(&before, &after))
        e->ident = after;
    e->configKeys = keysFrom(&facts);
    vkObjIndexFactsClear(&facts);
    entrySet(idx, e);
}

static void rebuildStatus(vkObjIndex *idx, const vkObjIndexSource *src, const char *name)
{
    vkObjIndexFacts facts;
    vkObjIndexEntry *e;
    int rc;

    if (!src->nameValid(name))
        return;
    vkObjIndexFactsInit(&facts);
    rc = src->readStatus(src->opaque, name, &facts);
    vkResetLastError();
    if (rc == 0) {
        vkObjIndexFactsClear(&facts);
        return;
    }
    e = entryEdit(idx, name);
    e->status = TRUE;
    /* A status that cannot be read is there all the same: the caller who reads it says so. */
    e->statusHasUUID = rc > 0 && facts.hasUUID;
    memcpy(e->statusUUID, facts.uuid, sizeof(e->statusUUID));
    g_strfreev(e->statusKeys);
    e->statusKeys = rc > 0 ? keysFrom(&facts) : NULL;
    vkObjIndexFactsClear(&facts);
    entrySet(idx, e);
}

/* An object whose lock is held may be starting: its status file may come any moment. */
static gboolean objectBusy(vkObjIndex *idx, const char *name)
{
    g_autoptr(vkFileLock) lock = NULL;
    int rc = vkFileLockTryAcquire(idx->run, name, &lock);

    vkResetLastError();
    return rc != 0;
}

static gboolean statusExists(vkObjIndex *idx, const char *name)
{
    g_autofree char *base = g_strconcat(name, ".xml", NULL);
    g_autofree char *path = g_build_filename(idx->run, base, NULL);

    return g_file_test(path, G_FILE_TEST_EXISTS);
}

/* S records of OLD whose status file is missing but whose object is busy. */
static void keepStarting(vkObjIndex *idx, GTree *old)
{
    GTreeNode *node;

    for (node = g_tree_node_first(old); node; node = g_tree_node_next(node)) {
        const vkObjIndexEntry *was = g_tree_node_value(node);
        vkObjIndexEntry *e;

        if (!was->status || g_tree_lookup(idx->entries, was->name) || !objectBusy(idx, was->name))
            continue;
        e = entryNew(was->name);
        e->status = TRUE;
        e->statusHasUUID = was->statusHasUUID;
        memcpy(e->statusUUID, was->statusUUID, sizeof(e->statusUUID));
        e->statusKeys = g_strdupv(was->statusKeys);
        entrySet(idx, e);
    }
}

static gboolean dirStat(const char *dir, struct stat *st)
{
    if (stat(dir, st) == 0)
        return TRUE;
    memset(st, 0, sizeof(*st));
    return FALSE;
}

/* A change made within the clock tick the directory's time came from would leave the same
 * time behind: a rebuild begins once the clock has moved on. */
static void waitTick(const struct stat *dir)
{
    for (int i = 0; i < 50; i++) {
        struct timespec now;

        clock_gettime(CLOCK_REALTIME_COARSE, &now);
        if (now.tv_sec > dir->st_mtim.tv_sec ||
            (now.tv_sec == dir->st_mtim.tv_sec && now.tv_nsec > dir->st_mtim.tv_nsec))
            return;
        g_usleep(2000);
    }
}

/* The rebuilt memory stays this process's alone where no log could be written: good while the
 * directory and the (stale or missing) log stay as they are. */
static void keepInMemory(vkObjIndex *idx)
{
    struct stat st;

    idx->memoryOnly = TRUE;
    idx->logDev = 0;
    idx->logIno = 0;
    idx->offset = 0;
    if (lstat(idx->log, &st) == 0) {
        idx->logDev = st.st_dev;
        idx->logIno = st.st_ino;
        idx->offset = st.st_size;
    }
}

/* Reads the directories into the memory, the caller holding the index's lock (if it could be
 * had) and the mutex; writes the snapshot and stamps the directory when it may. */
static void rebuild(vkObjIndex *idx, const vkObjIndexSource *src, gboolean locked)
{
    const char *etcDirs[] = { idx->etc, NULL };
    const char *runDirs[] = { idx->run, NULL };
    g_autoptr(GTree) old = NULL;
    struct stat before, after;
    gboolean isDir = FALSE;
    gboolean etcRead = TRUE, runRead = TRUE;

    /* What was known serves to skip parsing files that did not change. */
    old = g_tree_ref(idx->entries);
    for (int tries = 0; tries < REBUILD_TRIES; tries++) {
        g_auto(GStrv) configs = NULL;
        g_auto(GStrv) statuses = NULL;

        isDir = dirStat(idx->etc, &before) && S_ISDIR(before.st_mode);
        if (isDir)
            waitTick(&before);
        g_tree_unref(idx->entries);
        idx->entries = NULL;
        g_clear_pointer(&idx->keys, g_hash_table_destroy);
        g_clear_pointer(&idx->warnings, g_hash_table_destroy);
        memoryReset(idx);
        configs = vkFileListNamesOf(etcDirs, "xml", src->kind, &etcRead);
        for (char **n = configs; *n; n++)
            rebuildConfig(idx, old, src, *n);
        statuses = vkFileListNamesOf(runDirs, "xml", src->kind, &runRead);
        for (char **n = statuses; *n; n++)
            rebuildStatus(idx, src, *n);
        keepStarting(idx, old);
        dirStat(idx->etc, &after);
        /* A directory that could not be read was not seen whole: this memory answers this
         * question only, and the next one looks again. */
        if (!etcRead || !runRead) {
            isDir = FALSE;
            break;
        }
        if (before.st_ino == after.st_ino && sameTime(&before.st_mtim, &after.st_mtim))
            break;
        isDir = FALSE; /* changing under our feet: not stamped, rebuilt again next time */
    }
    idx->loaded = TRUE;
    idx->haveStamp = TRUE;
    idx->stampIno = after.st_ino;
    idx->stamp = after.st_mtim;
    if (isDir) {
        struct timespec stamp;

        stampNow(&stamp);
        if (locked && snapshotWrite(idx, after.st_ino, &stamp)) {
            /* The memory is the log now; the stamp it names goes on the directory. */
            stampSet(idx, &stamp, &after);
            return;
        }
    } else if (locked && etcRead && runRead && after.st_ino == 0 &&
               snapshotWrite(idx, 0, &after.st_mtim)) {
        /* No config directory: the empty index stands until one appears. */
        return;
    }
    keepInMemory(idx);
    /* A directory that is no directory, could not be read or kept changing is looked at again
     * next time. */
    if (!isDir && (after.st_ino != 0 || !etcRead || !runRead))
        idx->haveStamp = FALSE;
}

/* Brings the memory up to date and returns with the mutex held; with FULL the memory holds every
 * object, else it may be partial (see catchUp). */
static void update(vkObjIndex *idx, const vkObjIndexSource *src, gboolean full)
{
    g_autoptr(vkFileLock) lock = NULL;

    g_mutex_lock(&idx->lock);
    if (catchUp(idx, full) == 0 && dirFresh(idx))
        return;
    /* The index's lock comes before the mutex (see vkObjIndexChangeBegin). */
    g_mutex_unlock(&idx->lock);
    lock = lockTake(idx);
    g_mutex_lock(&idx->lock);
    if (catchUp(idx, full) == 0 && dirFresh(idx))
        return;
    /* What the log knew spares parsing unchanged files: a partial memory is made whole first. */
    if (idx->partial)
        catchUp(idx, TRUE);
    rebuild(idx, src, lock != NULL);
}

/* ---- compaction ---- */

/* Rewrites a log whose records after the snapshot grew past TAIL_MAX; the caller holds the
 * index's lock. */
static void compactIfDue(vkObjIndex *idx)
{
    G_GNUC_UNUSED g_autoptr(GMutexLocker) locker = g_mutex_locker_new(&idx->lock);
    g_autoptr(GPtrArray) gone = NULL;
    GTreeNode *node;

    if (catchUp(idx, TRUE) != 0 || idx->memoryOnly || idx->offset - idx->snapEnd <= TAIL_MAX)
        return;
    /* S records whose status file is gone and whose object is idle are dropped. */
    gone = g_ptr_array_new_with_free_func(g_free);
    for (node = g_tree_node_first(idx->entries); node; node = g_tree_node_next(node)) {
        const vkObjIndexEntry *e = g_tree_node_value(node);
        if (e->status && !statusExists(idx, e->name) && !objectBusy(idx, e->name))
            g_ptr_array_add(gone, g_strdup(e->name));
    }
    for (guint i = 0; i < gone->len; i++) {
        char *f[] = { (char *)"s", g_ptr_array_index(gone, i) };
        applyGone(idx, f, 2, FALSE);
    }
    if (!snapshotWrite(idx, idx->stampIno, &idx->stamp))
        idx->loaded = FALSE;
}

/* After an append that left the log SIZE bytes long (0: none happened), under the lock. */
static void compactCheck(vkObjIndex *idx, off_t size)
{
    Layout l;
    int fd;

    if (size <= TAIL_MAX || (fd = open(idx->log, O_RDONLY | O_NOFOLLOW | O_CLOEXEC)) < 0)
        return;
    if (readHeader(fd, size, &l) == 0 && size - l.end > TAIL_MAX) {
        close(fd);
        compactIfDue(idx);
        return;
    }
    close(fd);
}

/* ---- changes ---- */

struct _vkObjIndexChange {
    vkObjIndex *idx;
    vkFileLock *lock;
    gboolean fresh; /* the log's last stamp was the directory's before the change */
    struct stat before;
    gboolean hadDir;
    GString *records;
};

/* The last T record of the log open on FD, read backwards; FALSE when there is none near the
 * end (a long run of status records means the stamp is old, and the index is taken as stale). */
static gboolean lastStamp(int fd, ino_t *ino, struct timespec *stamp)
{
    struct stat st;
    gsize len;
    g_autofree char *tail = NULL;
    char *line;

    if (fstat(fd, &st) < 0 || st.st_size == 0)
        return FALSE;
    len = MIN((gsize)st.st_size, 8192);
    if (!(tail = readRange(fd, st.st_size - len, len)) || tail[len - 1] != '\n')
        return FALSE;
    tail[len - 1] = '\0';
    while ((line = strrchr(tail, '\n')) || *tail) {
        char *rec = line ? line + 1 : tail;

        if (g_str_has_prefix(rec, "T\t")) {
            g_auto(GStrv) f = g_strsplit(rec, "\t", -1);
            guint64 i;

            if (g_strv_length(f) != 3 || !parseU64(f[1], &i) || !parseTime(f[2], stamp))
                return FALSE;
            *ino = (ino_t)i;
            return TRUE;
        }
        if (!line)
            break;
        *line = '\0';
    }
    return FALSE;
}

vkObjIndexChange *vkObjIndexChangeBegin(vkObjIndex *idx)
{
    vkObjIndexChange *ch = g_new0(vkObjIndexChange, 1);
    struct timespec stamp;
    ino_t ino;
    int fd;

    ch->idx = idx;
    ch->records = g_string_new(NULL);
    if (!(ch->lock = lockTake(idx)))
        return ch;
    ch->hadDir = dirStat(idx->etc, &ch->before);
    if ((fd = open(idx->log, O_RDONLY | O_NOFOLLOW | O_CLOEXEC)) < 0)
        return ch;
    if (lastStamp(fd, &ino, &stamp))
        ch->fresh = ch->hadDir ? S_ISDIR(ch->before.st_mode) && ino == ch->before.st_ino &&
                                     sameTime(&stamp, &ch->before.st_mtim)
                               : ino == 0;
    close(fd);
    return ch;
}

void vkObjIndexChangeConfig(vkObjIndexChange *ch, const char *name, const vkObjIndexFacts *facts)
{
    g_autofree char *base = g_strconcat(name, ".xml", NULL);
    g_autofree char *path = g_build_filename(ch->idx->etc, base, NULL);
    g_auto(GStrv) keys = NULL;
    struct stat st;

    if (!ch->lock)
        return;
    if (!facts) {
        g_string_append_printf(ch->records, "c\t%s\n", name);
        return;
    }
    /* The identity of the file as written now; one that is not there any more is left to the
     * next rebuild, which the directory's changed time asks for. */
    if (lstat(path, &st) < 0 || !S_ISREG(st.st_mode)) {
        ch->fresh = FALSE;
        return;
    }
    keys = keysFrom(facts);
    formatConfig(ch->records, name, facts->uuid, &st, keys);
}

void vkObjIndexChangeEnd(vkObjIndexChange *ch)
{
    vkObjIndex *idx;
    struct stat now;
    gboolean hasDir;
    off_t size = 0;

    if (!ch)
        return;
    idx = ch->idx;
    hasDir = dirStat(idx->etc, &now) && S_ISDIR(now.st_mode);
    if (ch->lock && hasDir &&
        (ch->records->len > 0 || !ch->hadDir || now.st_ino != ch->before.st_ino ||
         !sameTime(&now.st_mtim, &ch->before.st_mtim))) {
        struct timespec stamp;
        struct stat st;

        /* Stamped only when the index was whole before: a change someone else made earlier
         * must still show. */
        if (ch->fresh) {
            stampNow(&stamp);
            formatStamp(ch->records, now.st_ino, &stamp);
        }
        logAppend(idx, ch->records->str, &size);
        if (ch->fresh && size > 0 &&
            !(stampDir(idx->etc, &stamp, &st) && sameTime(&st.st_mtim, &stamp)) &&
            stat(idx->etc, &st) == 0) {
            g_autoptr(GString) t = g_string_new(NULL);

            formatStamp(t, st.st_ino, &st.st_mtim);
            logAppend(idx, t->str, &size);
        }
    }
    if (ch->lock)
        compactCheck(idx, size);
    vkFileLockRelease(ch->lock);
    g_string_free(ch->records, TRUE);
    g_free(ch);
}

void vkObjIndexNoteStatus(vkObjIndex *idx, const char *name, const vkObjIndexFacts *facts)
{
    g_autoptr(vkFileLock) lock = lockTake(idx);
    g_autoptr(GString) rec = g_string_new(NULL);
    off_t size;
    struct timespec stamp;
    ino_t ino;
    int fd;

    if (!lock)
        return;
    if (facts) {
        g_auto(GStrv) keys = keysFrom(facts);
        formatStatus(rec, name, facts->hasUUID, facts->uuid, keys);
    } else {
        g_string_append_printf(rec, "s\t%s\n", name);
    }
    /* The config directory's stamp is carried to the end, where a change looks for it. */
    if ((fd = open(idx->log, O_RDONLY | O_NOFOLLOW | O_CLOEXEC)) >= 0) {
        if (lastStamp(fd, &ino, &stamp))
            formatStamp(rec, ino, &stamp);
        close(fd);
    }
    logAppend(idx, rec->str, &size);
    compactCheck(idx, size);
}

/* ---- probing the snapshot of a partial memory ---- */

/* The line of FD that begins at POS (and ends before END), without its line break; *NEXT is
 * where the following one begins. -1 when no line break comes before END or FD cannot be read. */
static int readLine(int fd, off_t pos, off_t end, char **line, off_t *next)
{
    gsize want = 256;

    for (;;) {
        gsize len = MIN(want, (gsize)(end - pos));
        g_autofree char *buf = NULL;
        char *nl;

        if (len == 0 || !(buf = readRange(fd, pos, len)))
            return -1;
        if ((nl = memchr(buf, '\n', len))) {
            *nl = '\0';
            *next = pos + (nl - buf) + 1;
            *line = g_steal_pointer(&buf);
            return 0;
        }
        if (len == (gsize)(end - pos))
            return -1;
        want *= 4;
    }
}

/* Adds to LINES those of the sorted section [START, END) of the snapshot whose second field is
 * KEY, in order (every line the section holds is one of TAGS): a halving search, so that a few
 * reads of the log do whatever its size. -1 when the section cannot be read or is out of order (a
 * corrupt log). */
static int probe(vkObjIndex *idx, off_t start, off_t end, const char *tags, const char *key,
                 GPtrArray *lines)
{
    gsize klen = strlen(key);
    off_t lo = start, hi = end, pos;
    g_autofree char *prev = NULL;

    /* Every line before LO sorts before KEY, none from HI on does; both begin lines. */
    while (hi - lo > PROBE_LINEAR) {
        off_t mid = lo + (hi - lo) / 2, s, e;
        g_autofree char *rest = NULL;
        g_autofree char *line = NULL;

        if (readLine(idx->snapFd, mid, hi, &rest, &s) < 0)
            return -1;
        if (s >= hi)
            break;
        if (readLine(idx->snapFd, s, hi, &line, &e) < 0)
            return -1;
        if (fieldCompare(line, key, klen) < 0)
            lo = e;
        else
            hi = s;
    }
    /* The lines of [LO, HI) are read whole, and must be in order: a log spoilt in place shows
     * there, if not everywhere. */
    for (pos = lo; pos < end;) {
        g_autofree char *line = NULL;
        const char *field;
        int c;

        if (readLine(idx->snapFd, pos, end, &line, &pos) < 0 || !strchr(tags, line[0]) ||
            !(field = strchr(line, '\t')) || field != line + 1)
            return -1;
        field++;
        if (prev && fieldCompare(prev, field, strcspn(field, "\t")) > 0)
            return -1;
        c = fieldCompare(line, key, klen);
        if (c > 0 && pos > hi)
            break;
        if (c == 0)
            g_ptr_array_add(lines, g_strdup(line));
        g_free(prev);
        prev = g_steal_pointer(&line);
    }
    return 0;
}

/* NAME's parts in the snapshot, put in E; -1 on a corrupt log. */
static int snapshotEntry(vkObjIndex *idx, const char *name, vkObjIndexEntry *e)
{
    g_autoptr(GPtrArray) lines = g_ptr_array_new_with_free_func(g_free);

    if (probe(idx, idx->recStart, idx->recEnd, "CS", name, lines) < 0)
        return -1;
    for (guint i = 0; i < lines->len; i++) {
        guint n = 0;
        g_autofree char **f = splitFields(g_ptr_array_index(lines, i), &n);

        if (g_str_equal(f[0], "C") ? parseConfig(e, f, n) < 0
                                   : !g_str_equal(f[0], "S") || parseStatus(e, f, n) < 0)
            return -1;
    }
    return 0;
}

/* NAME's entry in a partial memory (NULL: none): the snapshot's, with the parts that later
 * records set in its place. -1 on a corrupt log. */
static int partialLookup(vkObjIndex *idx, const char *name, vkObjIndexEntry **out)
{
    const vkObjIndexEntry *d = g_tree_lookup(idx->entries, name);
    g_autoptr(vkObjIndexEntry) e = entryNew(name);

    *out = NULL;
    if ((!d || !d->configSet || !d->statusSet) && snapshotEntry(idx, name, e) < 0)
        return -1;
    if (d && d->configSet) {
        clearConfig(e);
        if (d->config) {
            e->config = TRUE;
            memcpy(e->uuid, d->uuid, sizeof(e->uuid));
            e->ident = d->ident;
            e->configKeys = g_strdupv(d->configKeys);
        }
    }
    if (d && d->statusSet) {
        clearStatus(e);
        if (d->status) {
            e->status = TRUE;
            e->statusHasUUID = d->statusHasUUID;
            memcpy(e->statusUUID, d->statusUUID, sizeof(e->statusUUID));
            e->statusKeys = g_strdupv(d->statusKeys);
        }
    }
    if (!e->config && !e->status)
        return 0;
    entryPublicUUID(e);
    *out = g_steal_pointer(&e);
    return 0;
}

/* Adds to NAMES those of the objects that carry KEY in a partial memory: the snapshot's whose
 * part with the key no later record replaced, and those the later records gave it. */
static int partialFind(vkObjIndex *idx, const char *key, GHashTable *names)
{
    g_autoptr(GPtrArray) lines = g_ptr_array_new_with_free_func(g_free);
    GHashTable *set;

    if (probe(idx, idx->recEnd, idx->keyEnd, "K", key, lines) < 0)
        return -1;
    for (guint i = 0; i < lines->len; i++) {
        guint n = 0;
        g_autofree char **f = splitFields(g_ptr_array_index(lines, i), &n);
        const vkObjIndexEntry *d;
        gboolean config;

        if (n != 4 || !g_str_equal(f[0], "K") ||
            (!g_str_equal(f[3], "c") && !g_str_equal(f[3], "s")))
            return -1;
        config = g_str_equal(f[3], "c");
        d = g_tree_lookup(idx->entries, f[2]);
        if (!d || !(config ? d->configSet : d->statusSet))
            g_hash_table_add(names, g_strdup(f[2]));
    }
    if ((set = g_hash_table_lookup(idx->keys, key))) {
        GHashTableIter it;
        gpointer name;

        g_hash_table_iter_init(&it, set);
        while (g_hash_table_iter_next(&it, &name, NULL))
            g_hash_table_add(names, g_strdup(name));
    }
    return 0;
}

/* ---- questions ---- */

GPtrArray *vkObjIndexList(vkObjIndex *idx, const vkObjIndexSource *src, gboolean warn)
{
    GPtrArray *all = g_ptr_array_new_with_free_func((GDestroyNotify)vkObjIndexEntryUnref);
    g_autoptr(GPtrArray) warnings = NULL;
    GTreeNode *node;

    update(idx, src, TRUE);
    for (node = g_tree_node_first(idx->entries); node; node = g_tree_node_next(node))
        g_ptr_array_add(all, vkObjIndexEntryRef(g_tree_node_value(node)));
    if (warn) {
        GHashTableIter it;
        gpointer text;

        warnings = g_ptr_array_new_with_free_func(g_free);
        g_hash_table_iter_init(&it, idx->warnings);
        while (g_hash_table_iter_next(&it, NULL, &text))
            g_ptr_array_add(warnings, g_strdup(text));
    }
    g_mutex_unlock(&idx->lock);
    for (guint i = 0; warnings && i < warnings->len; i++) {
        char *text = g_ptr_array_index(warnings, i);
        char *tab = strchr(text, '\t');

        if (tab) {
            *tab = '\0';
            vkErrorWarnMessage(text, tab + 1);
        }
    }
    return all;
}

static int compareStrings(gconstpointer a, gconstpointer b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

GStrv vkObjIndexFind(vkObjIndex *idx, const vkObjIndexSource *src, const char *key)
{
    g_autoptr(GHashTable) set = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    GPtrArray *names = g_ptr_array_new();
    GHashTable *known;
    GHashTableIter it;
    gpointer name;

    update(idx, src, FALSE);
    if (idx->partial && partialFind(idx, key, set) < 0) {
        /* A corrupt snapshot: the whole log is read, and rebuilt if it does not parse. */
        g_hash_table_remove_all(set);
        g_mutex_unlock(&idx->lock);
        update(idx, src, TRUE);
    }
    if (!idx->partial && (known = g_hash_table_lookup(idx->keys, key))) {
        g_hash_table_iter_init(&it, known);
        while (g_hash_table_iter_next(&it, &name, NULL))
            g_hash_table_add(set, g_strdup(name));
    }
    g_mutex_unlock(&idx->lock);
    g_hash_table_iter_init(&it, set);
    while (g_hash_table_iter_next(&it, &name, NULL))
        g_ptr_array_add(names, g_strdup(name));
    g_ptr_array_sort(names, compareStrings);
    g_ptr_array_add(names, NULL);
    return (GStrv)g_ptr_array_free(names, FALSE);
}

GStrv vkObjIndexFindUUID(vkObjIndex *idx, const vkObjIndexSource *src, const unsigned char *uuid)
{
    g_autofree char *key = uuidKey(uuid);

    return vkObjIndexFind(idx, src, key);
}

vkObjIndexEntry *vkObjIndexLookup(vkObjIndex *idx, const vkObjIndexSource *src, const char *name)
{
    return vkObjIndexLookupMarked(idx, src, name, NULL);
}

vkObjIndexEntry *vkObjIndexLookupMarked(vkObjIndex *idx, const vkObjIndexSource *src,
                                        const char *name, vkObjIndexMark *mark)
{
    vkObjIndexEntry *e = NULL;

    update(idx, src, FALSE);
    if (idx->partial && partialLookup(idx, name, &e) < 0) {
        /* A corrupt snapshot: the whole log is read, and rebuilt if it does not parse. */
        g_mutex_unlock(&idx->lock);
        update(idx, src, TRUE);
    }
    if (!idx->partial && (e = g_tree_lookup(idx->entries, name)))
        vkObjIndexEntryRef(e);
    if (mark) {
        /* A memory of its own hears nothing of other processes: nothing to compare. */
        mark->valid = !idx->memoryOnly;
        mark->dev = idx->logDev;
        mark->ino = idx->logIno;
        mark->offset = idx->offset;
    }
    g_mutex_unlock(&idx->lock);
    return e;
}

gboolean vkObjIndexMarkSame(const vkObjIndexMark *a, const vkObjIndexMark *b)
{
    return a->valid && b->valid && a->dev == b->dev && a->ino == b->ino && a->offset == b->offset;
}

/* ---- one index per store in the process ---- */

static struct {
    GMutex lock;
    GHashTable *byKey; /* "ETC\nRUN" -> vkObjIndex */
    GQueue idle;       /* unreferenced ones, oldest first */
} registry;

static void indexFree(vkObjIndex *idx)
{
    if (idx->snapFd >= 0)
        close(idx->snapFd);
    g_clear_pointer(&idx->entries, g_tree_destroy);
    g_clear_pointer(&idx->keys, g_hash_table_destroy);
    g_clear_pointer(&idx->warnings, g_hash_table_destroy);
    g_mutex_clear(&idx->lock);
    g_free(idx->etc);
    g_free(idx->run);
    g_free(idx->log);
    g_free(idx->key);
    g_free(idx);
}

vkObjIndex *vkObjIndexGet(const char *etc, const char *run)
{
    G_GNUC_UNUSED g_autoptr(GMutexLocker) locker = g_mutex_locker_new(&registry.lock);
    g_autofree char *key = g_strconcat(etc, "\n", run, NULL);
    vkObjIndex *idx;

    if (!registry.byKey)
        registry.byKey = g_hash_table_new(g_str_hash, g_str_equal);
    if ((idx = g_hash_table_lookup(registry.byKey, key))) {
        if (idx->refs++ == 0)
            g_queue_remove(&registry.idle, idx);
        return idx;
    }
    idx = g_new0(vkObjIndex, 1);
    idx->refs = 1;
    idx->etc = g_strdup(etc);
    idx->run = g_strdup(run);
    idx->log = g_build_filename(run, LOG_NAME, NULL);
    idx->key = g_steal_pointer(&key);
    idx->snapFd = -1;
    g_mutex_init(&idx->lock);
    memoryReset(idx);
    g_hash_table_insert(registry.byKey, idx->key, idx);
    return idx;
}

void vkObjIndexUnref(vkObjIndex *idx)
{
    G_GNUC_UNUSED g_autoptr(GMutexLocker) locker = NULL;

    if (!idx)
        return;
    locker = g_mutex_locker_new(&registry.lock);
    if (--idx->refs > 0)
        return;
    /* Kept a while: the next connection to the root (a daemon's next client) finds it loaded. */
    g_queue_push_tail(&registry.idle, idx);
    while (g_queue_get_length(&registry.idle) > IDLE_MAX) {
        vkObjIndex *old = g_queue_pop_head(&registry.idle);

        g_hash_table_remove(registry.byKey, old->key);
        indexFree(old);
    }
}

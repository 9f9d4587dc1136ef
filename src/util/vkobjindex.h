/* The index of an object store (vkobjstore.c): each object's name, uuid and the keys no two
 * objects may share, kept on disk beside the state so that lookups, uniqueness checks and
 * listings need not read every definition, and kept in memory by every process that uses it.
 * How it stays true (a log of changes, the config directory's stamp, rebuilding) is told at the
 * top of vkobjindex.c. */
#pragma once

#include <sys/stat.h>
#include <glib.h>

#include "vkfile.h"

#define VK_OBJ_INDEX_UUID_LEN 16

/* What the index says of one object. Shared and immutable: take a reference to keep it. */
typedef struct {
    char *name;
    gboolean config;                           /* ETC/NAME.xml exists */
    gboolean status;                           /* RUN/NAME.xml may exist: only reading it tells */
    gboolean hasUUID;                          /* FALSE for a status that could not be read */
    unsigned char uuid[VK_OBJ_INDEX_UUID_LEN]; /* the config's, else the status's */
    /* private */
    gint refs;
    unsigned char statusUUID[VK_OBJ_INDEX_UUID_LEN];
    gboolean statusHasUUID;
    struct stat ident; /* the config file the facts were read from (dev, ino, size, times) */
    GStrv configKeys;
    GStrv statusKeys;
    gboolean configSet; /* in a partial memory: the config part is the log tail's */
    gboolean statusSet;
} vkObjIndexEntry;

vkObjIndexEntry *vkObjIndexEntryRef(vkObjIndexEntry *e);
void vkObjIndexEntryUnref(vkObjIndexEntry *e);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(vkObjIndexEntry, vkObjIndexEntryUnref)

/* What an index keeps of a config or a status: its uuid and keys ("bridge=virbr0"), each
 * without a tab or line break. */
typedef struct {
    gboolean hasUUID;
    unsigned char uuid[VK_OBJ_INDEX_UUID_LEN];
    GPtrArray *keys; /* char * */
} vkObjIndexFacts;

void vkObjIndexFactsInit(vkObjIndexFacts *facts);
void vkObjIndexFactsClear(vkObjIndexFacts *facts);

/* How an index reads the directories when it has to be rebuilt: the store's own rules for
 * names and files. READCONFIG and READSTATUS return 1 with FACTS filled, 0 when the file is
 * gone, -1 reported (an unreadable or corrupt file, a symbolic link). */
typedef struct {
    const char *kind; /* "domain", "network", ...: in warnings */
    gboolean (*nameValid)(const char *name);
    int (*nameCheck)(const char *name);
    int (*readConfig)(const void *opaque, const char *name, vkObjIndexFacts *facts);
    int (*readStatus)(const void *opaque, const char *name, vkObjIndexFacts *facts);
    const void *opaque;
} vkObjIndexSource;

typedef struct _vkObjIndex vkObjIndex;

/* The index of the store whose configs are in ETC and whose status files and locks are in
 * RUN, shared by every user in the process; nothing is read before the first question. */
vkObjIndex *vkObjIndexGet(const char *etc, const char *run);
void vkObjIndexUnref(vkObjIndex *idx);

/* ---- questions: the index is brought up to date first (see vkobjindex.c) ---- */

/* Every object, sorted by name. With WARN, what the last rebuild found wrong in the config
 * directory (a corrupt config, a link, a bad name) is warned about again, as a listing of the
 * files would. */
GPtrArray *vkObjIndexList(vkObjIndex *idx, const vkObjIndexSource *src, gboolean warn);
/* The names of the objects whose config or status carries KEY (or the uuid, for
 * vkObjIndexFindUUID), sorted. Candidates only: whoever acts on one reads it first. */
GStrv vkObjIndexFind(vkObjIndex *idx, const vkObjIndexSource *src, const char *key);
GStrv vkObjIndexFindUUID(vkObjIndex *idx, const vkObjIndexSource *src, const unsigned char *uuid);

/* NAME's entry, or NULL when the index knows no such object. */
vkObjIndexEntry *vkObjIndexLookup(vkObjIndex *idx, const vkObjIndexSource *src, const char *name);

/* Where the log stood when a question was answered. Every change to an object (its config,
 * its status coming or going) appends to the log or rewrites it, so two equal marks mean that
 * no virtkit process recorded a change in between: what was learnt of the objects' other files
 * at the first mark still holds, for the files only such changes touch. */
typedef struct {
    gboolean valid; /* FALSE: the index lives in memory only; no two marks are equal */
    dev_t dev;
    ino_t ino;
    off_t offset;
} vkObjIndexMark;

/* vkObjIndexLookup, and where the log stood when it answered. */
vkObjIndexEntry *vkObjIndexLookupMarked(vkObjIndex *idx, const vkObjIndexSource *src,
                                        const char *name, vkObjIndexMark *mark);
gboolean vkObjIndexMarkSame(const vkObjIndexMark *a, const vkObjIndexMark *b);

/* ---- changes ---- */

/* A change to the config directory, begun before the first file is touched and ended after
 * the last: the index's lock is held in between, so that the change is in the index exactly
 * when it is on disk. */
typedef struct _vkObjIndexChange vkObjIndexChange;

vkObjIndexChange *vkObjIndexChangeBegin(vkObjIndex *idx);
/* NAME's config as written now (FACTS), or gone (NULL). */
void vkObjIndexChangeConfig(vkObjIndexChange *ch, const char *name, const vkObjIndexFacts *facts);
/* Records the changes, stamps the config directory and lets the lock go. */
void vkObjIndexChangeEnd(vkObjIndexChange *ch);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(vkObjIndexChange, vkObjIndexChangeEnd)

/* NAME may have a status file from now on (FACTS; call it before the file is written), or
 * has none any more (NULL; after it is gone). */
void vkObjIndexNoteStatus(vkObjIndex *idx, const char *name, const vkObjIndexFacts *facts);

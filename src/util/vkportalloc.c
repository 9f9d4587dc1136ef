/* The cross-process port allocator: a locked reservation file plus a bind() probe of each
 * candidate port. */
#include "vkportalloc.h"

#include <errno.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "vkerror.h"
#include "vkfile.h"
#include "vksocketaddr.h"

#define STORE_NAME "reservations"
#define DIR_MODE   0700
#define FILE_MODE  0600
#define MAX_PORT   65535
#define STORE_HEADER                                                               \
    "# TCP port reservations of virtkit guests: PORT RANGE OWNER, one per line.\n" \
    "# Kept by virtkit under reservations.lock: do not edit while guests start or stop.\n"

struct _vkPortAllocator {
    char *name;
    char *dir;
    char *storePath;
    unsigned int start;
    unsigned int end;
    int errDomain;
};

typedef struct {
    unsigned int port;
    char *range;
    char *owner;
} Reservation;

/* The store while it is locked: reservations keyed by port. */
typedef struct {
    vkFileLock *lock;
    GHashTable *byPort;
    gboolean dirty;
} Store;

static void reservationFree(gpointer data)
{
    Reservation *r = data;

    g_free(r->range);
    g_free(r->owner);
    g_free(r);
}

static void storeClose(Store *st)
{
    g_clear_pointer(&st->byPort, g_hash_table_unref);
    g_clear_pointer(&st->lock, vkFileLockRelease);
}
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC(Store, storeClose)

static gboolean validName(const char *name)
{
    if (!name || !*name)
        return FALSE;
    for (const char *p = name; *p; p++) {
        if (!g_ascii_isalnum(*p) && *p != '_' && *p != '-')
            return FALSE;
    }
    return TRUE;
}

/* The store is line based, so an owner must fit on one line. */
static int checkOwner(const vkPortAllocator *pa, const char *owner)
{
    if (!owner || !*owner || strchr(owner, '\n')) {
        vkReportError(pa->errDomain, VIR_ERR_INVALID_ARG,
                      "port owner '%s' must be non-empty and fit on one line", owner ? owner : "");
        return -1;
    }
    return 0;
}

vkPortAllocator *vkPortAllocatorNew(const char *name, const char *dir, unsigned int start,
                                    unsigned int end, int errDomain)
{
    vkPortAllocator *pa;

    if (!validName(name)) {
        vkReportError(errDomain, VIR_ERR_INVALID_ARG,
                      "port range name '%s' must be letters, digits, '_' or '-'", name ? name : "");
        return NULL;
    }
    if (start == 0 || start > end || end > MAX_PORT) {
        vkReportError(errDomain, VIR_ERR_INVALID_ARG,
                      "port range '%s' (%u-%u) must satisfy 1 <= start <= end <= %d", name, start,
                      end, MAX_PORT);
        return NULL;
    }
    if (vkFileMakePath(dir, DIR_MODE) < 0)
        return NULL;

    pa = g_new0(vkPortAllocator, 1);
    pa->name = g_strdup(name);
    pa->dir = g_strdup(dir);
    pa->storePath = g_build_filename(dir, STORE_NAME, NULL);
    pa->start = start;
    pa->end = end;
    pa->errDomain = errDomain;
    return pa;
}

void vkPortAllocatorFree(vkPortAllocator *pa)
{
    if (!pa)
        return;
    g_free(pa->name);
    g_free(pa->dir);
    g_free(pa->storePath);
    g_free(pa);
}

/* ---- the reservation store ---- */

static int storeCorrupt(const vkPortAllocator *pa, unsigned int line, const char *why)
{
    /* Rewriting the file would forget ports that running guests hold, so it stays for the
     * administrator to repair or remove. */
    vkReportError(pa->errDomain, VIR_ERR_INTERNAL_ERROR,
                  "port reservation file '%s' is corrupt at line %u: %s", pa->storePath, line, why);
    return -1;
}

/* One "PORT RANGE OWNER" line; OWNER is the rest of the line and may hold blanks. */
static int parseLine(const vkPortAllocator *pa, GHashTable *byPort, const char *text,
                     unsigned int lineno)
{
    g_auto(GStrv) fields = g_strsplit(text, " ", 3);
    guint64 port = 0;
    Reservation *r;

    if (g_strv_length(fields) != 3 || !validName(fields[1]) || !*fields[2])
        return storeCorrupt(pa, lineno, "expected 'PORT RANGE OWNER'");
    if (!g_ascii_string_to_unsigned(fields[0], 10, 1, MAX_PORT, &port, NULL))
        return storeCorrupt(pa, lineno, "the port is not a number in 1-65535");
    if (g_hash_table_contains(byPort, GUINT_TO_POINTER(port)))
        return storeCorrupt(pa, lineno, "the port is reserved twice");

    r = g_new0(Reservation, 1);
    r->port = (unsigned int)port;
    r->range = g_strdup(fields[1]);
    r->owner = g_strdup(fields[2]);
    g_hash_table_insert(byPort, GUINT_TO_POINTER(r->port), r);
    return 0;
}

static int storeParse(const vkPortAllocator *pa, const char *data, gsize len, GHashTable *byPort)
{
    g_auto(GStrv) lines = NULL;
    const char *nul = memchr(data, '\0', len);

    /* Splitting would stop at a NUL and miss whatever follows it. */
    if (nul) {
        unsigned int lineno = 1;

        for (const char *c = data; c < nul; c++)
            lineno += *c == '\n';
        return storeCorrupt(pa, lineno, "it contains a NUL byte");
    }
    lines = g_strsplit(data, "\n", -1);
    for (guint i = 0; lines[i]; i++) {
        if (!*lines[i] || lines[i][0] == '#')
            continue;
        if (parseLine(pa, byPort, lines[i], i + 1) < 0)
            return -1;
    }
    return 0;
}

/* Locks the store and reads it; a missing file holds no reservations. */
static int storeOpen(const vkPortAllocator *pa, Store *st)
{
    g_autofree char *data = NULL;
    gsize len = 0;

    *st = (Store){ 0 };
    /* The directory may have been removed since vkPortAllocatorNew (a cleaned run dir). */
    if (vkFileMakePath(pa->dir, DIR_MODE) < 0 ||
        !(st->lock = vkFileLockAcquire(pa->dir, STORE_NAME)))
        return -1;
    st->byPort = g_hash_table_new_full(NULL, NULL, NULL, reservationFree);
    if (vkFileReadIfExists(pa->storePath, &data, &len) < 0)
        return -1;
    if (data && storeParse(pa, data, len, st->byPort) < 0)
        return -1;
    return 0;
}

static gint comparePorts(gconstpointer a, gconstpointer b)
{
    unsigned int pa = ((const Reservation *)a)->port;
    unsigned int pb = ((const Reservation *)b)->port;

    return (pa > pb) - (pa < pb);
}

/* Writes the store back if it changed; the lock is still held. */
static int storeSave(const vkPortAllocator *pa, Store *st)
{
    g_autoptr(GString) out = NULL;
    g_autoptr(GList) sorted = NULL;

    if (!st->dirty)
        return 0;
    sorted = g_list_sort(g_hash_table_get_values(st->byPort), comparePorts);
    out = g_string_new(STORE_HEADER);
    for (const GList *l = sorted; l; l = l->next) {
        const Reservation *r = l->data;

        g_string_append_printf(out, "%u %s %s\n", r->port, r->range, r->owner);
    }
    if (vkFileWriteRunState(pa->storePath, out->str, (gssize)out->len, FILE_MODE) < 0)
        return -1;
    st->dirty = FALSE;
    return 0;
}

static void storeAdd(const vkPortAllocator *pa, Store *st, unsigned int port, const char *owner)
{
    Reservation *r = g_new0(Reservation, 1);

    r->port = port;
    r->range = g_strdup(pa->name);
    r->owner = g_strdup(owner);
    g_hash_table_insert(st->byPort, GUINT_TO_POINTER(port), r);
    st->dirty = TRUE;
}

/* ---- the bind() probe ---- */

/* The addresses a port must be free on for a server listening on ADDRESS. */
typedef struct {
    vkSocketAddr addrs[2];
    size_t naddrs;
    gboolean wildcard; /* a family the host lacks is then skipped, not an error */
} Probe;

static void probeInit(const char *address, Probe *probe)
{
    vkSocketAddr addr;

    *probe = (Probe){ 0 };
    if (address && *address && vkSocketAddrParse(address, &addr) == 0 &&
        !vkSocketAddrIsWildcard(&addr)) {
        probe->addrs[probe->naddrs++] = addr;
        return;
    }
    /* A host name may resolve to any local address, and a wildcard listener conflicts with a
     * listener on any address: checking the wildcards is the safe superset. */
    probe->wildcard = TRUE;
    vkSocketAddrParse("::", &probe->addrs[probe->naddrs++]);
    vkSocketAddrParse("0.0.0.0", &probe->addrs[probe->naddrs++]);
}

/* Sets *INUSE if binding PORT on ADDR fails with EADDRINUSE. qemu listens with SO_REUSEADDR, so
 * the connections of a stopped guest lingering in TIME_WAIT do not keep the next qemu from
 * listening on its port; probing with it too counts such a port as free. */
static int probeAddr(const vkPortAllocator *pa, const vkSocketAddr *addr, gboolean wildcard,
                     unsigned int port, gboolean *inUse)
{
    struct sockaddr_storage ss;
    socklen_t sslen = 0;
    g_autofree char *text = NULL;
    int one = 1;
    int fd;
    int rc;
    int err;

    *inUse = FALSE;
    fd = socket(addr->family, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) {
        if (wildcard && errno == EAFNOSUPPORT)
            return 0;
        vkReportSystemError(pa->errDomain, errno, "%s", "Unable to open test socket");
        return -1;
    }
    /* With IPV6_V6ONLY unset, [::] would also cover IPv4, whose wildcard is probed apart. */
    if (setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) < 0 ||
        (addr->family == AF_INET6 &&
         setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof(one)) < 0)) {
        err = errno;
        close(fd);
        vkReportSystemError(pa->errDomain, err, "%s", "Unable to set options of test socket");
        return -1;
    }
    vkSocketAddrToSockaddr(addr, (guint16)port, &ss, &sslen);
    rc = bind(fd, (struct sockaddr *)&ss, sslen);
    err = errno;
    close(fd);
    if (rc == 0)
        return 0;
    if (err == EADDRINUSE) {
        *inUse = TRUE;
        return 0;
    }
    text = vkSocketAddrFormat(addr);
    vkReportSystemError(pa->errDomain, err, "Unable to bind to port %u on %s", port, text);
    return -1;
}

static int probePort(const vkPortAllocator *pa, const Probe *probe, unsigned int port,
                     gboolean *inUse)
{
    for (size_t i = 0; i < probe->naddrs; i++) {
        if (probeAddr(pa, &probe->addrs[i], probe->wildcard, port, inUse) < 0)
            return -1;
        if (*inUse)
            return 0;
    }
    return 0;
}

/* ---- the operations, on a locked store ---- */

static int acquireIn(const vkPortAllocator *pa, Store *st, const char *address, const char *owner,
                     unsigned int *port)
{
    Probe probe;

    *port = 0;
    if (checkOwner(pa, owner) < 0)
        return -1;
    probeInit(address, &probe);
    for (unsigned int p = pa->start; p <= pa->end; p++) {
        gboolean inUse = FALSE;

        if (g_hash_table_contains(st->byPort, GUINT_TO_POINTER(p)))
            continue;
        if (probePort(pa, &probe, p, &inUse) < 0)
            return -1;
        if (inUse)
            continue;
        storeAdd(pa, st, p, owner);
        *port = p;
        return 0;
    }
    vkReportError(pa->errDomain, VIR_ERR_INTERNAL_ERROR,
                  "Unable to find an unused port in range '%s' (%u-%u)", pa->name, pa->start,
                  pa->end);
    return -1;
}

static int reserveIn(const vkPortAllocator *pa, Store *st, const char *address, const char *owner,
                     unsigned int port)
{
    const Reservation *r;
    Probe probe;
    gboolean inUse = FALSE;

    if (port == 0 || port > MAX_PORT) {
        vkReportError(pa->errDomain, VIR_ERR_INVALID_ARG, "port %u is not in 1-%d", port, MAX_PORT);
        return -1;
    }
    if (checkOwner(pa, owner) < 0)
        return -1;
    if ((r = g_hash_table_lookup(st->byPort, GUINT_TO_POINTER(port)))) {
        if (g_str_equal(r->owner, owner) && g_str_equal(r->range, pa->name))
            return 0;
        vkReportError(pa->errDomain, VIR_ERR_INTERNAL_ERROR,
                      "Failed to reserve port %u: it is already reserved for '%s' (%s)", port,
                      r->owner, r->range);
        return -1;
    }
    probeInit(address, &probe);
    if (probePort(pa, &probe, port, &inUse) < 0)
        return -1;
    if (inUse) {
        vkReportError(pa->errDomain, VIR_ERR_INTERNAL_ERROR,
                      "Failed to reserve port %u: it is already in use on %s", port,
                      probe.wildcard ? "the host" : address);
        return -1;
    }
    storeAdd(pa, st, port, owner);
    return 0;
}

/* ---- public calls ---- */

int vkPortAllocatorAcquire(vkPortAllocator *pa, const char *address, const char *owner,
                           unsigned int *port)
{
    g_auto(Store) st = { 0 };

    *port = 0;
    if (checkOwner(pa, owner) < 0 || storeOpen(pa, &st) < 0 ||
        acquireIn(pa, &st, address, owner, port) < 0 || storeSave(pa, &st) < 0) {
        *port = 0;
        return -1;
    }
    return 0;
}

int vkPortAllocatorReserve(vkPortAllocator *pa, const char *address, const char *owner,
                           unsigned int port)
{
    g_auto(Store) st = { 0 };

    if (checkOwner(pa, owner) < 0 || storeOpen(pa, &st) < 0 ||
        reserveIn(pa, &st, address, owner, port) < 0)
        return -1;
    return storeSave(pa, &st);
}

int vkPortAllocatorRelease(vkPortAllocator *pa, const char *owner, unsigned int port)
{
    g_auto(Store) st = { 0 };
    const Reservation *r;

    if (port == 0)
        return 0;
    if (checkOwner(pa, owner) < 0 || storeOpen(pa, &st) < 0)
        return -1;
    r = g_hash_table_lookup(st.byPort, GUINT_TO_POINTER(port));
    if (!r || !g_str_equal(r->owner, owner) || !g_str_equal(r->range, pa->name))
        return 0;
    g_hash_table_remove(st.byPort, GUINT_TO_POINTER(port));
    st.dirty = TRUE;
    return storeSave(pa, &st);
}

typedef struct {
    const vkPortAllocator *pa;
    vkPortAllocatorStillOwnsFunc stillOwns;
    void *opaque;
    const char *owner;
} DropFilter;

static gboolean shouldDrop(gpointer key, gpointer value, gpointer data)
{
    const Reservation *r = value;
    const DropFilter *filter = data;

    if (!g_str_equal(r->range, filter->pa->name))
        return FALSE;
    if (filter->owner)
        return g_str_equal(r->owner, filter->owner);
    return !filter->stillOwns(r->owner, r->port, filter->opaque);
}

static guint dropIn(Store *st, const DropFilter *filter)
{
    guint n = g_hash_table_foreach_remove(st->byPort, shouldDrop, (gpointer)filter);

    st->dirty |= n > 0;
    return n;
}

static int dropMatching(vkPortAllocator *pa, const DropFilter *filter, unsigned int *dropped)
{
    g_auto(Store) st = { 0 };
    guint n;

    if (dropped)
        *dropped = 0;
    if (storeOpen(pa, &st) < 0)
        return -1;
    n = dropIn(&st, filter);
    if (storeSave(pa, &st) < 0)
        return -1;
    if (dropped)
        *dropped = n;
    return 0;
}

int vkPortAllocatorReleaseOwner(vkPortAllocator *pa, const char *owner)
{
    DropFilter filter = { .pa = pa, .owner = owner };

    if (checkOwner(pa, owner) < 0)
        return -1;
    return dropMatching(pa, &filter, NULL);
}

int vkPortAllocatorReleaseIf(vkPortAllocator *pa, vkPortAllocatorStillOwnsFunc stillOwns,
                             void *opaque, unsigned int *dropped)
{
    DropFilter filter = { .pa = pa, .stillOwns = stillOwns, .opaque = opaque };

    return dropMatching(pa, &filter, dropped);
}

/* ---- several calls under one lock ---- */

struct _vkPortTransaction {
    vkPortAllocator *pa; /* a copy of the first allocator: the store's path and error domain */
    Store st;
};

vkPortTransaction *vkPortTransactionBegin(vkPortAllocator *pa)
{
    g_autoptr(vkPortTransaction) txn = g_new0(vkPortTransaction, 1);

    txn->pa = g_new0(vkPortAllocator, 1);
    txn->pa->name = g_strdup(pa->name);
    txn->pa->dir = g_strdup(pa->dir);
    txn->pa->storePath = g_strdup(pa->storePath);
    txn->pa->start = pa->start;
    txn->pa->end = pa->end;
    txn->pa->errDomain = pa->errDomain;
    if (storeOpen(txn->pa, &txn->st) < 0)
        return NULL;
    return g_steal_pointer(&txn);
}

void vkPortTransactionFree(vkPortTransaction *txn)
{
    if (!txn)
        return;
    storeClose(&txn->st);
    vkPortAllocatorFree(txn->pa);
    g_free(txn);
}

/* Every range of a transaction must keep its reservations in the transaction's store. */
static int checkSameStore(vkPortTransaction *txn, const vkPortAllocator *pa)
{
    if (g_str_equal(pa->storePath, txn->pa->storePath))
        return 0;
    vkReportError(pa->errDomain, VIR_ERR_INTERNAL_ERROR,
                  "port range '%s' keeps its reservations in '%s', not in '%s'", pa->name,
                  pa->storePath, txn->pa->storePath);
    return -1;
}

int vkPortTransactionAcquire(vkPortTransaction *txn, vkPortAllocator *pa, const char *address,
                             const char *owner, unsigned int *port)
{
    *port = 0;
    if (checkSameStore(txn, pa) < 0)
        return -1;
    return acquireIn(pa, &txn->st, address, owner, port);
}

int vkPortTransactionReserve(vkPortTransaction *txn, vkPortAllocator *pa, const char *address,
                             const char *owner, unsigned int port)
{
    if (checkSameStore(txn, pa) < 0)
        return -1;
    return reserveIn(pa, &txn->st, address, owner, port);
}

int vkPortTransactionReleaseIf(vkPortTransaction *txn, vkPortAllocator *pa,
                               vkPortAllocatorStillOwnsFunc stillOwns, void *opaque)
{
    DropFilter filter = { .pa = pa, .stillOwns = stillOwns, .opaque = opaque };

    if (checkSameStore(txn, pa) < 0)
        return -1;
    dropIn(&txn->st, &filter);
    return 0;
}

int vkPortTransactionReleaseOwner(vkPortTransaction *txn, vkPortAllocator *pa, const char *owner)
{
    DropFilter filter = { .pa = pa, .owner = owner };

    if (checkSameStore(txn, pa) < 0 || checkOwner(pa, owner) < 0)
        return -1;
    dropIn(&txn->st, &filter);
    return 0;
}

int vkPortTransactionCommit(vkPortTransaction *txn)
{
    return storeSave(txn->pa, &txn->st);
}

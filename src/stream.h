/* virStream: a byte channel between the caller and something a driver opened (a volume's data,
 * a guest's console, the STREAM frames of a remote call). The public calls dispatch to the
 * backend the opening call attached; a backend is a small table of functions. */
#pragma once

#include <glib.h>

#include "virtkit/virtkit.h"

typedef struct _vkStreamEvents vkStreamEvents;

typedef struct {
    /* Like virStreamSend/Recv: bytes moved, 0 at end of data (recv), -1 reported;
     * -2 when a non-blocking stream would block. */
    int (*send)(virStreamPtr st, const char *data, size_t nbytes);
    int (*recv)(virStreamPtr st, char *data, size_t nbytes);
    /* The transfer completed: flush and commit. */
    int (*finish)(virStreamPtr st);
    /* The transfer is abandoned. */
    int (*abort)(virStreamPtr st);
    /* Frees the backend's data; called once, when the stream is finished, aborted or freed. */
    void (*release)(virStreamPtr st);

    /* Optional, for virStreamEventAddCallback; a backend offers one of the two. A descriptor
     * the event loop watches for the caller (backends over a local file): */
    int (*eventFd)(virStreamPtr st);
    /* Or the virStreamEventType bits true now, for a backend that calls vkStreamEventWake
     * whenever they may have changed (data arrived, the far end went away). */
    int (*eventPending)(virStreamPtr st);
} vkStreamBackend;

struct _virStream {
    guint magic;
    gint refs;
    virConnectPtr conn;             /* holds a reference */
    unsigned int flags;             /* virStreamFlags */
    GMutex lock;                    /* guards the backend fields */
    const vkStreamBackend *backend; /* NULL until an opening call attaches one, and after end */
    void *backendData;
    GMutex evLock;          /* guards events; never held while calling out */
    vkStreamEvents *events; /* the callback of virStreamEventAddCallback, if any */
};

gboolean vkIsStream(virStreamPtr st);

/* Attaches BACKEND with DATA to ST; fails (reported) when ST has one already. */
int vkStreamAttach(virStreamPtr st, const vkStreamBackend *backend, void *data);
/* Detaches ST's backend, releasing it, after an opening call failed past vkStreamAttach. */
void vkStreamDetach(virStreamPtr st);

/* Something an eventPending backend reports may have changed: the event loop looks again.
 * Any thread; ST's lock need not be held. */
void vkStreamEventWake(virStreamPtr st);

/* ---- backends over local descriptors (stream_fd.c) ---- */

/* A backend over a local file descriptor, which the stream then owns: reads return what the
 * file holds up to LENGTH bytes (0: to its end), writes go to the file and may not pass
 * LENGTH (0: no limit). */
int vkStreamAttachFd(virStreamPtr st, int fd, unsigned long long length, const char *what);

/* Called once when a stream's file is closed: the transfer finished, was aborted or the stream
 * freed. Errors it reports do not reach the stream's caller. */
typedef void (*vkStreamClosedFunc)(virStreamPtr st, void *opaque);

/* vkStreamAttachFd, and CLOSED(ST, OPAQUE) once the file is closed; FREEOPAQUE(OPAQUE) after
 * it, or at once when attaching fails. */
int vkStreamAttachFdFull(virStreamPtr st, int fd, unsigned long long length, const char *what,
                         vkStreamClosedFunc closed, void *opaque, GDestroyNotify freeOpaque);

/* A guest's console: the pseudo-terminal PATH (a pty qemu allocated) opened non-blocking and
 * raw. One session at a time per terminal, across processes (a lock on the terminal):
 * another one fails with VIR_ERR_OPERATION_FAILED, unless FORCE takes over a session of this
 * process (which then reads end of data). The guest going away reads as end of data. */
int vkStreamOpenTerminal(virStreamPtr st, const char *path, gboolean force);

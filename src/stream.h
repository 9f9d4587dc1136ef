/* virStream: a byte channel between the caller and something a driver opened (a volume's data
 * today; a console, or the daemon's STREAM frames, later). The public calls dispatch to the
 * backend the opening call attached; a backend is a small table of functions. */
#pragma once

#include <glib.h>

#include "virtkit/virtkit.h"

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
} vkStreamBackend;

struct _virStream {
    guint magic;
    gint refs;
    virConnectPtr conn;             /* holds a reference */
    unsigned int flags;             /* virStreamFlags */
    GMutex lock;                    /* guards the backend fields */
    const vkStreamBackend *backend; /* NULL until an opening call attaches one, and after end */
    void *backendData;
};

gboolean vkIsStream(virStreamPtr st);

/* Attaches BACKEND with DATA to ST; fails (reported) when ST has one already. */
int vkStreamAttach(virStreamPtr st, const vkStreamBackend *backend, void *data);

/* A backend over a local file descriptor, which the stream then owns: reads return what the
 * file holds up to LENGTH bytes (0: to its end), writes go to the file and may not pass
 * LENGTH (0: no limit). */
int vkStreamAttachFd(virStreamPtr st, int fd, unsigned long long length, const char *what);

/* Streams of virtkitd (consoles, volume transfers): STREAM frames from clients go to the stream
 * open on their serial; data from the far end goes back as STREAM frames. */
#pragma once

#include "daemon_client.h"

typedef struct _vkDaemonStream vkDaemonStream;

/* What a kind of stream does with the frames and life of its client (main loop). */
typedef struct {
    /* A STREAM frame from the client on the stream's serial; MSG stays the caller's. */
    void (*message)(vkDaemonStream *st, vkRpcMessage *msg);
    /* The client is gone: stop, whatever was pending is dropped. */
    void (*close)(vkDaemonStream *st);
    vkDaemonStream *(*ref)(vkDaemonStream *st);
    void (*unref)(vkDaemonStream *st);
} vkDaemonStreamOps;

/* The first member of every kind of stream. */
struct _vkDaemonStream {
    const vkDaemonStreamOps *ops;
    vkrpc_header header; /* of the opening call: program, procedure, serial */
};

/* Main loop: ST (a new reference) receives the client's frames on SERIAL; FALSE when the
 * client is gone already. */
gboolean vkDaemonStreamAdd(vkDaemonClient *client, guint32 serial, vkDaemonStream *st);
/* Main loop: ST no longer receives frames (its reference is dropped). */
void vkDaemonStreamForget(vkDaemonClient *client, guint32 serial, vkDaemonStream *st);

/* A STREAM frame from CLIENT (main loop); MSG stays the caller's. */
void vkDaemonStreamHandleMessage(vkDaemonClient *client, vkRpcMessage *msg);

/* Where a qemu guest's run files live, and its live status file ROOT/run/qemu/NAME.xml: the
 * state, the qemu process, its monitor, its taps and the live definition, as one document. */
#pragma once

#include <sys/types.h>
#include <glib.h>

#include "conf/domain_conf.h"

/* The driver's directories for running guests. */
typedef struct {
    const char *runDir; /* ROOT/run/qemu: NAME.xml, NAME.monitor, NAME.events, NAME.pid,
                         * NAME.reason, NAME.vnc */
    const char *logDir; /* ROOT/log/qemu: NAME.log */
} vkQEMUProcessPaths;

char *vkQEMUDomainStatusPath(const vkQEMUProcessPaths *paths, const char *name);
/* The guest's unix sockets: its QMP monitor and, unless the XML names one, its VNC socket.
 * They are ROOT/run/qemu/NAME.monitor and NAME.vnc; when those would not fit in a socket
 * address (a long name), ROOT/run/qemu/domain-DIGEST/monitor.sock and vnc.sock, in the
 * directory vkQEMUDomainSocketDir names (NULL when the short form is used). */
char *vkQEMUDomainMonitorPath(const vkQEMUProcessPaths *paths, const char *name);
char *vkQEMUDomainVNCSocketPath(const vkQEMUProcessPaths *paths, const char *name);
char *vkQEMUDomainSocketDir(const vkQEMUProcessPaths *paths, const char *name);
/* The directory of the channel sockets the driver places (the guest agent's), named like the
 * sockets above. */
char *vkQEMUDomainChannelDir(const vkQEMUProcessPaths *paths, const char *name);
/* The QMP socket of event watchers (qemu_events.c): NAME.events, or events.sock beside a
 * long name's other sockets. */
char *vkQEMUDomainEventsPath(const vkQEMUProcessPaths *paths, const char *name);
char *vkQEMUDomainPidPath(const vkQEMUProcessPaths *paths, const char *name);
char *vkQEMUDomainLogPath(const vkQEMUProcessPaths *paths, const char *name);
/* ROOT/run/qemu/NAME.reason: why the guest last stopped (a shut off reason's name), written
 * before its status file goes so that nobody ever sees it stopped for no reason. */
char *vkQEMUDomainReasonPath(const vkQEMUProcessPaths *paths, const char *name);

/* libvirt's names of domain states (virDomainState) and of the reasons of each state. */
const char *vkQEMUDomainStateToString(int state);
int vkQEMUDomainStateFromString(const char *str);
const char *vkQEMUDomainStateReasonToString(int state, int reason);
int vkQEMUDomainStateReasonFromString(int state, const char *str);

/* A tap device the driver created for the guest. */
typedef struct {
    char *name;
    char *bridge; /* the bridge it was attached to; NULL for none */
} vkQEMUDomainTap;

typedef struct {
    int state;  /* virDomainState */
    int reason; /* the state's reason enum */
    pid_t pid;
    unsigned long long startTime; /* of PID, see vkProcessGetStartTime */
    char *monitorPath;
    vkQEMUDomainTap *taps;
    size_t ntaps;
    char *emulator;
    char *accel;      /* "kvm" or "tcg" */
    gint64 logOffset; /* where this run's output starts in the log file */
    vkDomainDef *def; /* the live definition */
} vkQEMUDomainStatus;

void vkQEMUDomainStatusFree(vkQEMUDomainStatus *st);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(vkQEMUDomainStatus, vkQEMUDomainStatusFree)

/* A deep copy, as the object store's parse cache hands out. */
vkQEMUDomainStatus *vkQEMUDomainStatusCopy(const vkQEMUDomainStatus *st);
void vkQEMUDomainStatusAddTap(vkQEMUDomainStatus *st, const char *name, const char *bridge);

/* The document: a <domstatus> element, as libvirt's status files have, around the live
 * <domain> (with graphics passwords: the file is readable by its owner only). */
char *vkQEMUDomainStatusFormat(const vkQEMUDomainStatus *st);
vkQEMUDomainStatus *vkQEMUDomainStatusParse(const char *xml);

/* Written atomically with mode 0600: a reader sees the old or the new status, never a mix. */
int vkQEMUDomainStatusWrite(const char *path, const vkQEMUDomainStatus *st);
/* Returns 0 with *ST NULL when there is no status file. */
int vkQEMUDomainStatusRead(const char *path, vkQEMUDomainStatus **st);

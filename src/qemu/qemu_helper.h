/* A guest's helper daemons (swtpm now; virtiofsd and others later): started detached so that
 * they outlive the process that started them, recorded in a state file under the guest's run
 * directory (pid and start time, so that a reused pid is never signalled), stopped with the
 * guest. */
#pragma once

#include <glib.h>

/* Starts ARGV detached, its output appended to LOGFILE, and waits up to TIMEOUTMS for it to
 * create SOCKETPATH. STATEFILE records the process before it runs. A helper that exits or does
 * not create its socket in time is stopped and reported with the end of its log. */
int vkQemuHelperStart(const char *const *argv, const char *stateFile, const char *logFile,
                      const char *socketPath, int timeoutMs);

/* Stops the helper STATEFILE records (SIGTERM, SIGKILL after GRACEMS) and removes the file;
 * no file, or a helper already gone, is no error. */
int vkQemuHelperStop(const char *stateFile, int graceMs);

/* Whether the helper STATEFILE records still runs. */
gboolean vkQemuHelperIsAlive(const char *stateFile);

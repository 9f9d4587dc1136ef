/* The host's UUID, which tells two hosts apart (a migration refuses a destination that is its
 * own source): the daemon's host_uuid setting when given, else the machine id. */
#pragma once

#include <glib.h>

/* Sets the UUID every later vkHostUUIDGet returns (host_uuid of virtkitd.conf). Called once at
 * start, before any thread asks. Fails (reported) on a malformed UUID. */
int vkHostUUIDSet(const char *str);

/* The host UUID into UUID (VIR_UUID_BUFLEN bytes): the one set, else /etc/machine-id's, else
 * the SMBIOS product UUID. Fails (reported) when none can be found. */
int vkHostUUIDGet(unsigned char *uuid);

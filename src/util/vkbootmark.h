/* "Done once per host boot" marks: a small file holding the boot id, so that work such as
 * autostarting networks and guests happens at the first open after each boot and never again
 * until the next, even when the state directory survives reboots. */
#pragma once

#include <glib.h>

typedef enum {
    VK_BOOT_MARK_NONE,         /* not done on this boot */
    VK_BOOT_MARK_UNPRIVILEGED, /* done by an unprivileged caller, who could not do it all */
    VK_BOOT_MARK_FULL,         /* done */
} vkBootMarkPass;

/* This boot's id (/proc/sys/kernel/random/boot_id), or "unknown" without /proc, in which case
 * the mark's existence alone decides, as on a /run that each boot empties. */
char *vkBootIdRead(void);

/* What the mark at PATH says about boot BOOTID. A missing or unreadable mark counts as NONE:
 * the pass it causes reports whatever is wrong with the directory. */
vkBootMarkPass vkBootMarkRead(const char *path, const char *bootId);

/* Records that a pass ran on BOOTID, by a PRIVILEGED caller or not; written atomically. */
int vkBootMarkWrite(const char *path, const char *bootId, gboolean privileged);

/* Whether a caller (PRIVILEGED or not) finds its pass already done: an unprivileged pass
 * leaves work for a privileged caller, but none for another unprivileged one. */
gboolean vkBootMarkDone(vkBootMarkPass done, gboolean privileged);

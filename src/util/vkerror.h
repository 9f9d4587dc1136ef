/* Error reporting shared by every layer: one thread-local last error, libvirt's codes. */
#pragma once

#include <glib.h>
#include "virtkit/virtkit.h"

/* Record an error for the calling thread. The message is the code's libvirt-style
 * prefix followed by the formatted detail, e.g. "XML error: name x/y cannot contain '/'". */
void vkReportError(int domain, int code, const char *fmt, ...) G_GNUC_PRINTF(3, 4);

/* Same, appending ": strerror(errnum)" to the detail; the code is VIR_ERR_SYSTEM_ERROR. */
void vkReportSystemError(int domain, int errnum, const char *fmt, ...) G_GNUC_PRINTF(3, 4);

/* Record an error whose message is used verbatim (no prefix), e.g. libxml2 parse errors. */
void vkReportErrorRaw(int domain, int code, const char *message);

/* VIR_ERR_INVALID_ARG about argument argname of public function func; the message is the
 * formatted text alone, and str1/str2 name the function and argument, as libvirt does. */
void vkReportInvalidArg(int domain, const char *func, const char *argname, const char *fmt, ...)
    G_GNUC_PRINTF(4, 5);

/* The generic text libvirt shows for a code, with or without detail ("%s" in it). */
const char *vkErrorCodeFormat(int code, gboolean withDetail);

/* The label libvirt prints for an error domain ("Domain Config", "Test Driver", ...). */
const char *vkErrorDomainName(int domain);

/* Reset the calling thread's error; every public entry point calls this first. */
void vkResetLastError(void);

/* TRUE if the calling thread has an error recorded. */
gboolean vkHasError(void);

/* Save and restore the thread's error around cleanup code that may overwrite it. */
virErrorPtr vkSaveError(void);
void vkRestoreError(virErrorPtr saved);

/* Deep copy of an error's fields (object pointers are never copied). */
void vkErrorCopy(const virError *from, virErrorPtr to);

/* The last stage of a failing public call: make sure an error is recorded, then hand it to
 * connHandler if set, else to the handler from virSetErrorFunc, else print it on stderr
 * with virDefaultErrorFunc. */
void vkDispatchErrorHandler(virErrorFunc connHandler, void *connData);

/* Prefixes the calling thread's last error with CONTEXT ("cannot load 'x': ..."), keeping its
 * code and reporting it anew under DOMAIN, so that a low-level failure names what it was about. */
void vkErrorPrefix(int domain, const char *fmt, ...) G_GNUC_PRINTF(2, 3);

/* Prints the calling thread's last error on stderr as a warning about WHAT, and clears it: for
 * trouble that must not fail the call at hand (one corrupt file among many). A process prints
 * each distinct warning once, however many of its calls meet the same trouble. */
void vkErrorWarn(const char *what);
/* The same for a MESSAGE kept from an error met earlier (an index replaying what its last
 * look at a directory found wrong). */
void vkErrorWarnMessage(const char *what, const char *message);

/* ERR's message with GLib's typographic quotes (U+2018, U+2019, U+201C, U+201D) made plain
 * ASCII quotes, as libvirt's messages have them: in the C locale the others print as '?'.
 * Rewrites the message in place and returns it. */
const char *vkGErrorMessage(GError *err);

#define vkReportOOM() vkReportError(VIR_FROM_NONE, VIR_ERR_NO_MEMORY, "%s", "")

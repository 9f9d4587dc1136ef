/* Shared checks for the src/util tests: the error a failed call left for the thread. */
#pragma once

#include <glib.h>

#include "util/vkerror.h"

/* The calling thread's last error has EXPECTCODE and its message contains NEEDLE. */
#define assertLastError(expectCode, needle)                                        \
    do {                                                                           \
        virErrorPtr err_ = virGetLastError();                                      \
        g_assert_nonnull(err_);                                                    \
        g_assert_cmpint(err_->code, ==, (expectCode));                             \
        if (!strstr(err_->message, (needle)))                                      \
            g_error("error message \"%s\" lacks \"%s\"", err_->message, (needle)); \
        vkResetLastError();                                                        \
    } while (0)

/* Helpers shared by the rpc tests: error checks and waiting for what another thread does. */
#pragma once

#include <glib.h>
#include <string.h>

#include "rpc/rpc_client.h"
#include "util/vkerror.h"

/* The calling thread's last error has EXPECTCODE and its message contains NEEDLE. */
#define assertLastError(expectCode, needle)                                                        \
    do {                                                                                           \
        virErrorPtr err_ = virGetLastError();                                                      \
        g_assert_nonnull(err_);                                                                    \
        if (err_->code != (expectCode))                                                            \
            g_error("error %d \"%s\", expected code %d", err_->code, err_->message, (expectCode)); \
        if (!strstr(err_->message, (needle)))                                                      \
            g_error("error message \"%s\" lacks \"%s\"", err_->message, (needle));                 \
        vkResetLastError();                                                                        \
    } while (0)

/* A call that must succeed. */
#define assertCall(client, program, proc, args, ret)                              \
    do {                                                                          \
        if (vkRpcClientCall((client), (program), (proc), (args), (ret)) < 0)      \
            g_error("call %d failed: %s", (int)(proc), virGetLastErrorMessage()); \
    } while (0)

/* Polls COND every 20 ms for up to 20 s: the bound only keeps a broken peer from hanging the
 * test; nothing is asserted about how long it took. */
#define waitFor(cond)                                \
    do {                                             \
        for (int w_ = 0; w_ < 1000 && !(cond); w_++) \
            g_usleep(20000);                         \
        g_assert_true(cond);                         \
    } while (0)

/* Typed parameters (libvirt's virTypedParameter) to and from their wire form. vkTypedParam has
 * virTypedParameter's exact layout and type numbers, so that once the public header offers
 * virTypedParameter the two convert by a cast. */
#pragma once

#include <glib.h>

#include "rpc/rpc_xdr.h"

typedef enum {
    VK_TYPED_PARAM_INT = 1,
    VK_TYPED_PARAM_UINT = 2,
    VK_TYPED_PARAM_LLONG = 3,
    VK_TYPED_PARAM_ULLONG = 4,
    VK_TYPED_PARAM_DOUBLE = 5,
    VK_TYPED_PARAM_BOOLEAN = 6,
    VK_TYPED_PARAM_STRING = 7,
} vkTypedParamType;

typedef struct {
    char field[VKR_TYPED_PARAM_FIELD_LENGTH];
    int type; /* vkTypedParamType */
    union {
        int i;
        unsigned int ui;
        long long int l;
        unsigned long long int ul;
        double d;
        char b;
        char *s; /* owned */
    } value;
} vkTypedParam;

/* Frees the strings of N params and the array. */
void vkTypedParamsFree(vkTypedParam *params, int n);

/* PARAMS -> wire list (*out allocated, release with vkRpcTypedParamsWireFree). Fails with
 * VIR_ERR_RPC beyond LIMIT (VKR_TYPED_PARAMS_MAX for libvirt's usual 64) or on an unknown
 * type. */
int vkRpcTypedParamsSerialize(const vkTypedParam *params, int n, int limit, vkr_typed_param **out,
                              u_int *outLen);
void vkRpcTypedParamsWireFree(vkr_typed_param *wire, u_int n);

/* Wire list -> *params (allocated) and *n. Fails beyond LIMIT, for a field name that does not
 * fit, or on an unknown type; nothing is left allocated then. */
int vkRpcTypedParamsDeserialize(const vkr_typed_param *wire, u_int wireLen, int limit,
                                vkTypedParam **params, int *n);

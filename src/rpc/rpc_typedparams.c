/* Typed parameters between virTypedParameter's layout and the wire, with libvirt's checks. */
#include "rpc/rpc_typedparams.h"

#include <string.h>

#include "util/vkerror.h"

#define VIR_FROM_THIS VIR_FROM_RPC

void vkTypedParamsFree(vkTypedParam *params, int n)
{
    if (!params)
        return;
    for (int i = 0; i < n; i++) {
        if (params[i].type == VK_TYPED_PARAM_STRING)
            g_free(params[i].value.s);
    }
    g_free(params);
}

void vkRpcTypedParamsWireFree(vkr_typed_param *wire, u_int n)
{
    if (!wire)
        return;
    for (u_int i = 0; i < n; i++)
        xdr_free((xdrproc_t)xdr_vkr_typed_param, &wire[i]);
    g_free(wire);
}

static int checkLimit(u_int n, int limit)
{
    if (limit > 0 && n > (u_int)limit) {
        vkReportError(VIR_FROM_THIS, VIR_ERR_RPC, "too many parameters '%u' for limit '%d'", n,
                      limit);
        return -1;
    }
    return 0;
}

int vkRpcTypedParamsSerialize(const vkTypedParam *params, int n, int limit, vkr_typed_param **out,
                              u_int *outLen)
{
    vkr_typed_param *wire;
    int i;

    if (n < 0 || checkLimit(n, limit) < 0)
        return -1;
    wire = g_new0(vkr_typed_param, n);
    for (i = 0; i < n; i++) {
        const vkTypedParam *p = &params[i];
        vkr_typed_param_value *v = &wire[i].value;

        wire[i].field = g_strndup(p->field, sizeof(p->field));
        v->type = p->type;
        switch (p->type) {
        case VK_TYPED_PARAM_INT:
            v->vkr_typed_param_value_u.i = p->value.i;
            break;
        case VK_TYPED_PARAM_UINT:
            v->vkr_typed_param_value_u.ui = p->value.ui;
            break;
        case VK_TYPED_PARAM_LLONG:
            v->vkr_typed_param_value_u.l = p->value.l;
            break;
        case VK_TYPED_PARAM_ULLONG:
            v->vkr_typed_param_value_u.ul = p->value.ul;
            break;
        case VK_TYPED_PARAM_DOUBLE:
            v->vkr_typed_param_value_u.d = p->value.d;
            break;
        case VK_TYPED_PARAM_BOOLEAN:
            v->vkr_typed_param_value_u.b = p->value.b;
            break;
        case VK_TYPED_PARAM_STRING:
            v->vkr_typed_param_value_u.s = g_strdup(p->value.s ? p->value.s : "");
            break;
        default:
            vkReportError(VIR_FROM_THIS, VIR_ERR_RPC, "unknown parameter type: %d", p->type);
            /* the failing element holds only its field name */
            v->type = VK_TYPED_PARAM_INT;
            vkRpcTypedParamsWireFree(wire, i + 1);
            return -1;
        }
    }
    *out = wire;
    *outLen = n;
    return 0;
}

int vkRpcTypedParamsDeserialize(const vkr_typed_param *wire, u_int wireLen, int limit,
                                vkTypedParam **params, int *n)
{
    vkTypedParam *out;
    u_int i;

    if (checkLimit(wireLen, limit) < 0)
        return -1;
    out = g_new0(vkTypedParam, wireLen);
    for (i = 0; i < wireLen; i++) {
        const vkr_typed_param_value *v = &wire[i].value;
        vkTypedParam *p = &out[i];

        if (!wire[i].field ||
            g_strlcpy(p->field, wire[i].field, sizeof(p->field)) >= sizeof(p->field)) {
            vkReportError(VIR_FROM_THIS, VIR_ERR_INTERNAL_ERROR,
                          "parameter %s too big for destination",
                          wire[i].field ? wire[i].field : "(null)");
            goto error;
        }
        switch (v->type) {
        case VK_TYPED_PARAM_INT:
            p->value.i = v->vkr_typed_param_value_u.i;
            break;
        case VK_TYPED_PARAM_UINT:
            p->value.ui = v->vkr_typed_param_value_u.ui;
            break;
        case VK_TYPED_PARAM_LLONG:
            p->value.l = v->vkr_typed_param_value_u.l;
            break;
        case VK_TYPED_PARAM_ULLONG:
            p->value.ul = v->vkr_typed_param_value_u.ul;
            break;
        case VK_TYPED_PARAM_DOUBLE:
            p->value.d = v->vkr_typed_param_value_u.d;
            break;
        case VK_TYPED_PARAM_BOOLEAN:
            p->value.b = v->vkr_typed_param_value_u.b != 0;
            break;
        case VK_TYPED_PARAM_STRING:
            p->value.s = g_strdup(v->vkr_typed_param_value_u.s ? v->vkr_typed_param_value_u.s : "");
            break;
        default:
            vkReportError(VIR_FROM_THIS, VIR_ERR_RPC, "unknown parameter type: %d", v->type);
            goto error;
        }
        p->type = v->type;
    }
    *params = out;
    *n = wireLen;
    return 0;

error:
    vkTypedParamsFree(out, i);
    return -1;
}

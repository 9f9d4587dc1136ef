/* The migration procedures (libvirt's version 3 with typed parameters): each step one internal
 * entry point of the library on the client's connection. The typed parameters become the
 * driver's vkMigrateParams here; one the drivers do not know is refused by name. */
#include "daemon_dispatch_priv.h"

#include "libvirtkit-migrate.h"
#include "rpc/rpc_typedparams.h"

/* The decoded parameters and the view of them the drivers take (pointing into them). */
typedef struct {
    vkTypedParam *list;
    int n;
    vkMigrateParams p;
} vkMigrateArgs;

static void migrateArgsClear(vkMigrateArgs *args)
{
    vkTypedParamsFree(args->list, args->n);
}
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC(vkMigrateArgs, migrateArgsClear)

typedef struct {
    const char *name;
    int type;
    size_t offset; /* in vkMigrateParams */
} vkMigrateParamField;

static const vkMigrateParamField fields[] = {
    { VIR_MIGRATE_PARAM_URI, VK_TYPED_PARAM_STRING, G_STRUCT_OFFSET(vkMigrateParams, uri) },
    { VIR_MIGRATE_PARAM_DEST_NAME, VK_TYPED_PARAM_STRING,
      G_STRUCT_OFFSET(vkMigrateParams, destName) },
    { VIR_MIGRATE_PARAM_DEST_XML, VK_TYPED_PARAM_STRING,
      G_STRUCT_OFFSET(vkMigrateParams, destXML) },
    { VIR_MIGRATE_PARAM_PERSIST_XML, VK_TYPED_PARAM_STRING,
      G_STRUCT_OFFSET(vkMigrateParams, persistXML) },
    { VIR_MIGRATE_PARAM_LISTEN_ADDRESS, VK_TYPED_PARAM_STRING,
      G_STRUCT_OFFSET(vkMigrateParams, listenAddress) },
    { VIR_MIGRATE_PARAM_BANDWIDTH, VK_TYPED_PARAM_ULLONG,
      G_STRUCT_OFFSET(vkMigrateParams, bandwidth) },
};

static const char *const typeNames[] = {
    [VK_TYPED_PARAM_INT] = "int",       [VK_TYPED_PARAM_UINT] = "uint",
    [VK_TYPED_PARAM_LLONG] = "llong",   [VK_TYPED_PARAM_ULLONG] = "ullong",
    [VK_TYPED_PARAM_DOUBLE] = "double", [VK_TYPED_PARAM_BOOLEAN] = "boolean",
    [VK_TYPED_PARAM_STRING] = "string",
};

static int applyParam(vkMigrateParams *p, const vkTypedParam *param)
{
    for (size_t i = 0; i < G_N_ELEMENTS(fields); i++) {
        char *slot = (char *)p + fields[i].offset;

        if (!g_str_equal(fields[i].name, param->field))
            continue;
        if (param->type != fields[i].type) {
            vkReportError(VIR_FROM_NONE, VIR_ERR_INVALID_ARG,
                          "invalid type '%s' for parameter '%s', expected '%s'",
                          typeNames[param->type], param->field, typeNames[fields[i].type]);
            return -1;
        }
        if (param->type == VK_TYPED_PARAM_STRING)
            *(const char **)slot = param->value.s;
        else
            *(unsigned long long *)slot = param->value.ul;
        return 0;
    }
    /* graphics_uri only matters for SPICE clients; virsh may pass it for any guest */
    if (g_str_equal(param->field, VIR_MIGRATE_PARAM_GRAPHICS_URI))
        return 0;
    vkReportError(VIR_FROM_NONE, VIR_ERR_INVALID_ARG, "parameter '%s' not supported", param->field);
    return -1;
}

static int paramsFromWire(const vkr_typed_param *wire, u_int len, vkMigrateArgs *out)
{
    if (vkRpcTypedParamsDeserialize(wire, len, VKR_TYPED_PARAMS_MAX, &out->list, &out->n) < 0)
        return -1;
    for (int i = 0; i < out->n; i++) {
        if (applyParam(&out->p, &out->list[i]) < 0)
            return -1;
    }
    return 0;
}

static int begin(vkDaemonCall *call, vkr_domain_migrate_begin3_params_args *args,
                 vkr_domain_migrate_begin3_params_ret *ret)
{
    g_auto(vkMigrateArgs) mp = { 0 };
    char *cookie = NULL;
    int len = 0;

    CALL_DOMAIN(call, &args->dom);
    if (paramsFromWire(args->params.params_val, args->params.params_len, &mp) < 0 ||
        !(ret->xml = vkDomainMigrateBegin3Params(dom, &mp.p, &cookie, &len, args->flags))) {
        g_free(cookie);
        return -1;
    }
    ret->cookie_out.cookie_out_val = cookie;
    ret->cookie_out.cookie_out_len = (u_int)len;
    return 0;
}

static int prepare(vkDaemonCall *call, vkr_domain_migrate_prepare3_params_args *args,
                   vkr_domain_migrate_prepare3_params_ret *ret)
{
    g_auto(vkMigrateArgs) mp = { 0 };
    char *cookie = NULL;
    char *uri = NULL;
    int len = 0;

    CALL_CONN(call);
    if (paramsFromWire(args->params.params_val, args->params.params_len, &mp) < 0 ||
        vkDomainMigratePrepare3Params(conn, &mp.p, args->cookie_in.cookie_in_val,
                                      (int)args->cookie_in.cookie_in_len, &cookie, &len, &uri,
                                      args->flags) < 0)
        return -1;
    ret->cookie_out.cookie_out_val = cookie;
    ret->cookie_out.cookie_out_len = (u_int)len;
    if (uri) {
        ret->uri_out = g_new0(char *, 1);
        *ret->uri_out = uri;
    }
    return 0;
}

static int perform(vkDaemonCall *call, vkr_domain_migrate_perform3_params_args *args,
                   vkr_domain_migrate_perform3_params_ret *ret)
{
    g_auto(vkMigrateArgs) mp = { 0 };
    char *cookie = NULL;
    int len = 0;

    CALL_DOMAIN(call, &args->dom);
    if (paramsFromWire(args->params.params_val, args->params.params_len, &mp) < 0 ||
        vkDomainMigratePerform3Params(
            dom, args->dconnuri ? *args->dconnuri : NULL, &mp.p, args->cookie_in.cookie_in_val,
            (int)args->cookie_in.cookie_in_len, &cookie, &len, args->flags) < 0)
        return -1;
    ret->cookie_out.cookie_out_val = cookie;
    ret->cookie_out.cookie_out_len = (u_int)len;
    return 0;
}

static int finish(vkDaemonCall *call, vkr_domain_migrate_finish3_params_args *args,
                  vkr_domain_migrate_finish3_params_ret *ret)
{
    g_auto(vkMigrateArgs) mp = { 0 };
    g_autoptr(virDomain) ddom = NULL;
    char *cookie = NULL;
    int len = 0;

    CALL_CONN(call);
    if (paramsFromWire(args->params.params_val, args->params.params_len, &mp) < 0 ||
        !(ddom = vkDomainMigrateFinish3Params(conn, &mp.p, args->cookie_in.cookie_in_val,
                                              (int)args->cookie_in.cookie_in_len, &cookie, &len,
                                              args->flags, args->cancelled))) {
        g_free(cookie);
        return -1;
    }
    vkDaemonDomainToWire(ddom, &ret->dom);
    ret->cookie_out.cookie_out_val = cookie;
    ret->cookie_out.cookie_out_len = (u_int)len;
    return 0;
}

static int confirm(vkDaemonCall *call, vkr_domain_migrate_confirm3_params_args *args, void *ret)
{
    g_auto(vkMigrateArgs) mp = { 0 };

    CALL_DOMAIN(call, &args->dom);
    if (paramsFromWire(args->params.params_val, args->params.params_len, &mp) < 0)
        return -1;
    return vkDomainMigrateConfirm3Params(dom, &mp.p, args->cookie_in.cookie_in_val,
                                         (int)args->cookie_in.cookie_in_len, args->flags,
                                         args->cancelled);
}

#define RW(proc, fn, api)                                                         \
    {                                                                             \
        VKR_PROC_##proc, HANDLER(fn), VK_DAEMON_RUN_LONG, 0, api, VIR_FROM_DOMAIN \
    }

const vkDaemonProc vkDaemonMigrateProcs[] = {
    RW(DOMAIN_MIGRATE_BEGIN3_PARAMS, begin, "virDomainMigrateBegin3Params"),
    RW(DOMAIN_MIGRATE_PREPARE3_PARAMS, prepare, "virDomainMigratePrepare3Params"),
    RW(DOMAIN_MIGRATE_PERFORM3_PARAMS, perform, "virDomainMigratePerform3Params"),
    RW(DOMAIN_MIGRATE_FINISH3_PARAMS, finish, "virDomainMigrateFinish3Params"),
    RW(DOMAIN_MIGRATE_CONFIRM3_PARAMS, confirm, "virDomainMigrateConfirm3Params"),
    { 0 },
};

/* The rows of the procedure table: one per procedure we speak, with libvirt 9.0's numbers
 * (from rpc_protocol.x) and libvirt's read-only policy (the calls its public API refuses on a
 * read-only connection carry no VK_RPC_PROC_READONLY here). */
#include "rpc/rpc_procs.h"

#include <string.h>

#define PROC(n)    VKR_PROC_##n, #n
#define QPROC(n)   VKQ_PROC_##n, #n
#define NONE       NULL, 0
#define BODY(type) (xdrproc_t) xdr_vk##type, sizeof(vk##type)

/* Shorter names for the flags, so that a row fits on a line. */
#define RO     VK_RPC_PROC_READONLY
#define NOAUTH VK_RPC_PROC_NOAUTH
#define LONG   VK_RPC_PROC_LONG
#define EVENT  VK_RPC_PROC_EVENT
#define STREAM VK_RPC_PROC_STREAM

static const vkRpcProc remoteProcs[] = {
    { PROC(CONNECT_OPEN), BODY(r_connect_open_args), NONE, RO },
    { PROC(CONNECT_CLOSE), NONE, NONE, RO },
    { PROC(CONNECT_GET_TYPE), NONE, BODY(r_connect_get_type_ret), RO },
    { PROC(CONNECT_GET_VERSION), NONE, BODY(r_connect_get_version_ret), RO | LONG },
    { PROC(CONNECT_GET_MAX_VCPUS), BODY(r_connect_get_max_vcpus_args),
      BODY(r_connect_get_max_vcpus_ret), RO },
    { PROC(NODE_GET_INFO), NONE, BODY(r_node_get_info_ret), RO },
    { PROC(CONNECT_GET_CAPABILITIES), NONE, BODY(r_connect_get_capabilities_ret), RO | LONG },
    { PROC(DOMAIN_CREATE), BODY(r_domain_args), NONE, LONG },
    { PROC(DOMAIN_CREATE_XML), BODY(r_domain_create_xml_args), BODY(r_domain_create_xml_ret),
      LONG },
    { PROC(DOMAIN_DEFINE_XML), BODY(r_domain_define_xml_args), BODY(r_domain_define_xml_ret), 0 },
    { PROC(DOMAIN_DESTROY), BODY(r_domain_args), NONE, LONG },
    { PROC(DOMAIN_GET_XML_DESC), BODY(r_domain_flags_args), BODY(r_domain_get_xml_desc_ret), RO },
    { PROC(DOMAIN_GET_AUTOSTART), BODY(r_domain_args), BODY(r_domain_get_autostart_ret), RO },
    { PROC(DOMAIN_GET_INFO), BODY(r_domain_args), BODY(r_domain_get_info_ret), RO },
    { PROC(DOMAIN_GET_MAX_MEMORY), BODY(r_domain_args), BODY(r_domain_get_max_memory_ret), RO },
    { PROC(DOMAIN_GET_OS_TYPE), BODY(r_domain_args), BODY(r_domain_get_os_type_ret), RO },
    { PROC(CONNECT_LIST_DEFINED_DOMAINS), BODY(r_connect_list_defined_domains_args),
      BODY(r_connect_list_defined_domains_ret), RO },
    { PROC(DOMAIN_LOOKUP_BY_ID), BODY(r_domain_lookup_by_id_args), BODY(r_domain_lookup_by_id_ret),
      RO },
    { PROC(DOMAIN_LOOKUP_BY_NAME), BODY(r_domain_lookup_by_name_args),
      BODY(r_domain_lookup_by_name_ret), RO },
    { PROC(DOMAIN_LOOKUP_BY_UUID), BODY(r_domain_lookup_by_uuid_args),
      BODY(r_domain_lookup_by_uuid_ret), RO },
    { PROC(CONNECT_NUM_OF_DEFINED_DOMAINS), NONE, BODY(r_connect_num_of_defined_domains_ret), RO },
    { PROC(DOMAIN_REBOOT), BODY(r_domain_flags_args), NONE, LONG },
    { PROC(DOMAIN_RESUME), BODY(r_domain_args), NONE, LONG },
    { PROC(DOMAIN_SET_AUTOSTART), BODY(r_domain_set_autostart_args), NONE, 0 },
    { PROC(DOMAIN_SHUTDOWN), BODY(r_domain_args), NONE, LONG },
    { PROC(DOMAIN_SUSPEND), BODY(r_domain_args), NONE, LONG },
    { PROC(DOMAIN_UNDEFINE), BODY(r_domain_args), NONE, 0 },
    { PROC(CONNECT_LIST_DEFINED_NETWORKS), BODY(r_connect_list_defined_networks_args),
      BODY(r_connect_list_defined_networks_ret), RO },
    { PROC(CONNECT_LIST_DOMAINS), BODY(r_connect_list_domains_args),
      BODY(r_connect_list_domains_ret), RO },
    { PROC(CONNECT_LIST_NETWORKS), BODY(r_connect_list_networks_args),
      BODY(r_connect_list_networks_ret), RO },
    { PROC(NETWORK_CREATE), BODY(r_network_args), NONE, LONG },
    { PROC(NETWORK_CREATE_XML), BODY(r_network_create_xml_args), BODY(r_network_create_xml_ret),
      LONG },
    { PROC(NETWORK_DEFINE_XML), BODY(r_network_define_xml_args), BODY(r_network_define_xml_ret),
      0 },
    { PROC(NETWORK_DESTROY), BODY(r_network_args), NONE, LONG },
    { PROC(NETWORK_GET_XML_DESC), BODY(r_network_get_xml_desc_args),
      BODY(r_network_get_xml_desc_ret), RO },
    { PROC(NETWORK_GET_AUTOSTART), BODY(r_network_args), BODY(r_network_get_autostart_ret), RO },
    { PROC(NETWORK_GET_BRIDGE_NAME), BODY(r_network_args), BODY(r_network_get_bridge_name_ret),
      RO },
    { PROC(NETWORK_LOOKUP_BY_NAME), BODY(r_network_lookup_by_name_args),
      BODY(r_network_lookup_by_name_ret), RO },
    { PROC(NETWORK_LOOKUP_BY_UUID), BODY(r_network_lookup_by_uuid_args),
      BODY(r_network_lookup_by_uuid_ret), RO },
    { PROC(NETWORK_SET_AUTOSTART), BODY(r_network_set_autostart_args), NONE, 0 },
    { PROC(NETWORK_UNDEFINE), BODY(r_network_args), NONE, 0 },
    { PROC(CONNECT_NUM_OF_DEFINED_NETWORKS), NONE, BODY(r_connect_num_of_defined_networks_ret),
      RO },
    { PROC(CONNECT_NUM_OF_DOMAINS), NONE, BODY(r_connect_num_of_domains_ret), RO },
    { PROC(CONNECT_NUM_OF_NETWORKS), NONE, BODY(r_connect_num_of_networks_ret), RO },
    { PROC(CONNECT_GET_HOSTNAME), NONE, BODY(r_connect_get_hostname_ret), RO },
    { PROC(CONNECT_SUPPORTS_FEATURE), BODY(r_connect_supports_feature_args),
      BODY(r_connect_supports_feature_ret), RO },
    { PROC(AUTH_LIST), NONE, BODY(r_auth_list_ret), RO | NOAUTH },
    { PROC(CONNECT_NUM_OF_STORAGE_POOLS), NONE, BODY(r_connect_num_of_storage_pools_ret), RO },
    { PROC(CONNECT_LIST_STORAGE_POOLS), BODY(r_connect_list_storage_pools_args),
      BODY(r_connect_list_storage_pools_ret), RO },
    { PROC(CONNECT_NUM_OF_DEFINED_STORAGE_POOLS), NONE,
      BODY(r_connect_num_of_defined_storage_pools_ret), RO },
    { PROC(CONNECT_LIST_DEFINED_STORAGE_POOLS), BODY(r_connect_list_defined_storage_pools_args),
      BODY(r_connect_list_defined_storage_pools_ret), RO },
    { PROC(STORAGE_POOL_CREATE_XML), BODY(r_storage_pool_create_xml_args),
      BODY(r_storage_pool_create_xml_ret), LONG },
    { PROC(STORAGE_POOL_DEFINE_XML), BODY(r_storage_pool_define_xml_args),
      BODY(r_storage_pool_define_xml_ret), 0 },
    { PROC(STORAGE_POOL_CREATE), BODY(r_storage_pool_flags_args), NONE, LONG },
    { PROC(STORAGE_POOL_BUILD), BODY(r_storage_pool_flags_args), NONE, LONG },
    { PROC(STORAGE_POOL_DESTROY), BODY(r_storage_pool_args), NONE, LONG },
    { PROC(STORAGE_POOL_DELETE), BODY(r_storage_pool_flags_args), NONE, LONG },
    { PROC(STORAGE_POOL_UNDEFINE), BODY(r_storage_pool_args), NONE, 0 },
    { PROC(STORAGE_POOL_REFRESH), BODY(r_storage_pool_flags_args), NONE, LONG },
    { PROC(STORAGE_POOL_LOOKUP_BY_NAME), BODY(r_storage_pool_lookup_by_name_args),
      BODY(r_storage_pool_lookup_by_name_ret), RO },
    { PROC(STORAGE_POOL_LOOKUP_BY_UUID), BODY(r_storage_pool_lookup_by_uuid_args),
      BODY(r_storage_pool_lookup_by_uuid_ret), RO },
    { PROC(STORAGE_POOL_LOOKUP_BY_VOLUME), BODY(r_storage_pool_lookup_by_volume_args),
      BODY(r_storage_pool_lookup_by_volume_ret), RO },
    { PROC(STORAGE_POOL_GET_INFO), BODY(r_storage_pool_args), BODY(r_storage_pool_get_info_ret),
      RO },
    { PROC(STORAGE_POOL_GET_XML_DESC), BODY(r_storage_pool_flags_args),
      BODY(r_storage_pool_get_xml_desc_ret), RO },
    { PROC(STORAGE_POOL_GET_AUTOSTART), BODY(r_storage_pool_args),
      BODY(r_storage_pool_get_autostart_ret), RO },
    { PROC(STORAGE_POOL_SET_AUTOSTART), BODY(r_storage_pool_set_autostart_args), NONE, 0 },
    { PROC(STORAGE_POOL_NUM_OF_VOLUMES), BODY(r_storage_pool_args),
      BODY(r_storage_pool_num_of_volumes_ret), RO },
    { PROC(STORAGE_POOL_LIST_VOLUMES), BODY(r_storage_pool_list_volumes_args),
      BODY(r_storage_pool_list_volumes_ret), RO },
    { PROC(STORAGE_VOL_CREATE_XML), BODY(r_storage_vol_create_xml_args),
      BODY(r_storage_vol_create_xml_ret), LONG },
    { PROC(STORAGE_VOL_DELETE), BODY(r_storage_vol_flags_args), NONE, LONG },
    { PROC(STORAGE_VOL_LOOKUP_BY_NAME), BODY(r_storage_vol_lookup_by_name_args),
      BODY(r_storage_vol_lookup_by_name_ret), RO },
    { PROC(STORAGE_VOL_LOOKUP_BY_KEY), BODY(r_storage_vol_lookup_by_key_args),
      BODY(r_storage_vol_lookup_by_key_ret), RO },
    { PROC(STORAGE_VOL_LOOKUP_BY_PATH), BODY(r_storage_vol_lookup_by_path_args),
      BODY(r_storage_vol_lookup_by_path_ret), RO },
    { PROC(STORAGE_VOL_GET_INFO), BODY(r_storage_vol_get_info_args),
      BODY(r_storage_vol_get_info_ret), RO },
    { PROC(STORAGE_VOL_GET_XML_DESC), BODY(r_storage_vol_flags_args),
      BODY(r_storage_vol_get_xml_desc_ret), RO },
    { PROC(STORAGE_VOL_GET_PATH), BODY(r_storage_vol_args), BODY(r_storage_vol_get_path_ret), RO },
    { PROC(CONNECT_GET_URI), NONE, BODY(r_connect_get_uri_ret), RO },
    { PROC(DOMAIN_GET_SECURITY_LABEL), BODY(r_domain_args), BODY(r_domain_get_security_label_ret),
      RO },
    { PROC(NODE_GET_SECURITY_MODEL), NONE, BODY(r_node_get_security_model_ret), RO },
    { PROC(STORAGE_VOL_CREATE_XML_FROM), BODY(r_storage_vol_create_xml_from_args),
      BODY(r_storage_vol_create_xml_from_ret), LONG },
    { PROC(CONNECT_IS_SECURE), NONE, BODY(r_connect_is_secure_ret), RO },
    { PROC(DOMAIN_IS_ACTIVE), BODY(r_domain_args), BODY(r_domain_is_active_ret), RO },
    { PROC(DOMAIN_IS_PERSISTENT), BODY(r_domain_args), BODY(r_domain_is_persistent_ret), RO },
    { PROC(NETWORK_IS_ACTIVE), BODY(r_network_args), BODY(r_network_is_active_ret), RO },
    { PROC(NETWORK_IS_PERSISTENT), BODY(r_network_args), BODY(r_network_is_persistent_ret), RO },
    { PROC(STORAGE_POOL_IS_ACTIVE), BODY(r_storage_pool_args), BODY(r_storage_pool_is_active_ret),
      RO },
    { PROC(STORAGE_POOL_IS_PERSISTENT), BODY(r_storage_pool_args),
      BODY(r_storage_pool_is_persistent_ret), RO },
    { PROC(CONNECT_GET_LIB_VERSION), NONE, BODY(r_connect_get_lib_version_ret), RO },
    { PROC(STORAGE_VOL_WIPE), BODY(r_storage_vol_flags_args), NONE, LONG },
    { PROC(DOMAIN_HAS_MANAGED_SAVE_IMAGE), BODY(r_domain_flags_args),
      BODY(r_domain_has_managed_save_image_ret), RO },
    { PROC(DOMAIN_SNAPSHOT_NUM), BODY(r_domain_flags_args), BODY(r_domain_snapshot_num_ret), RO },
    { PROC(DOMAIN_CREATE_WITH_FLAGS), BODY(r_domain_flags_args),
      BODY(r_domain_create_with_flags_ret), LONG },
    { PROC(DOMAIN_OPEN_CONSOLE), BODY(r_domain_open_console_args), NONE, STREAM },
    { PROC(CONNECT_GET_SYSINFO), BODY(r_connect_get_sysinfo_args), BODY(r_connect_get_sysinfo_ret),
      RO },
    { PROC(STORAGE_VOL_UPLOAD), BODY(r_storage_vol_transfer_args), NONE, LONG | STREAM },
    { PROC(STORAGE_VOL_DOWNLOAD), BODY(r_storage_vol_transfer_args), NONE, LONG | STREAM },
    { PROC(DOMAIN_GET_STATE), BODY(r_domain_flags_args), BODY(r_domain_get_state_ret), RO },
    { PROC(DOMAIN_UNDEFINE_FLAGS), BODY(r_domain_flags_args), NONE, 0 },
    { PROC(DOMAIN_DESTROY_FLAGS), BODY(r_domain_flags_args), NONE, LONG },
    { PROC(DOMAIN_SHUTDOWN_FLAGS), BODY(r_domain_flags_args), NONE, LONG },
    { PROC(STORAGE_VOL_WIPE_PATTERN), BODY(r_storage_vol_wipe_pattern_args), NONE, LONG },
    { PROC(STORAGE_VOL_RESIZE), BODY(r_storage_vol_resize_args), NONE, LONG },
    { PROC(DOMAIN_SET_METADATA), BODY(r_domain_set_metadata_args), NONE, 0 },
    { PROC(DOMAIN_GET_METADATA), BODY(r_domain_get_metadata_args), BODY(r_domain_get_metadata_ret),
      RO },
    { PROC(CONNECT_LIST_ALL_DOMAINS), BODY(r_connect_list_all_domains_args),
      BODY(r_connect_list_all_domains_ret), RO },
    { PROC(CONNECT_LIST_ALL_STORAGE_POOLS), BODY(r_connect_list_all_storage_pools_args),
      BODY(r_connect_list_all_storage_pools_ret), RO },
    { PROC(STORAGE_POOL_LIST_ALL_VOLUMES), BODY(r_storage_pool_list_all_volumes_args),
      BODY(r_storage_pool_list_all_volumes_ret), RO },
    { PROC(CONNECT_LIST_ALL_NETWORKS), BODY(r_connect_list_all_networks_args),
      BODY(r_connect_list_all_networks_ret), RO },
    { PROC(DOMAIN_MIGRATE_BEGIN3_PARAMS), BODY(r_domain_migrate_begin3_params_args),
      BODY(r_domain_migrate_begin3_params_ret), LONG },
    { PROC(DOMAIN_MIGRATE_PREPARE3_PARAMS), BODY(r_domain_migrate_prepare3_params_args),
      BODY(r_domain_migrate_prepare3_params_ret), LONG },
    { PROC(DOMAIN_MIGRATE_PERFORM3_PARAMS), BODY(r_domain_migrate_perform3_params_args),
      BODY(r_domain_migrate_perform3_params_ret), LONG },
    { PROC(DOMAIN_MIGRATE_FINISH3_PARAMS), BODY(r_domain_migrate_finish3_params_args),
      BODY(r_domain_migrate_finish3_params_ret), LONG },
    { PROC(DOMAIN_MIGRATE_CONFIRM3_PARAMS), BODY(r_domain_migrate_confirm3_params_args), NONE,
      LONG },
    { PROC(CONNECT_NETWORK_EVENT_REGISTER_ANY), BODY(r_connect_network_event_register_any_args),
      BODY(r_connect_network_event_register_any_ret), RO },
    { PROC(CONNECT_NETWORK_EVENT_DEREGISTER_ANY), BODY(r_connect_network_event_deregister_any_args),
      NONE, RO },
    { PROC(NETWORK_EVENT_LIFECYCLE), BODY(r_network_event_lifecycle_msg), NONE, EVENT },
    { PROC(CONNECT_DOMAIN_EVENT_CALLBACK_REGISTER_ANY),
      BODY(r_connect_domain_event_callback_register_any_args),
      BODY(r_connect_domain_event_callback_register_any_ret), RO },
    { PROC(CONNECT_DOMAIN_EVENT_CALLBACK_DEREGISTER_ANY),
      BODY(r_connect_domain_event_callback_deregister_any_args), NONE, RO },
    { PROC(DOMAIN_EVENT_CALLBACK_LIFECYCLE), BODY(r_domain_event_callback_lifecycle_msg), NONE,
      EVENT },
    { PROC(CONNECT_GET_DOMAIN_CAPABILITIES), BODY(r_connect_get_domain_capabilities_args),
      BODY(r_connect_get_domain_capabilities_ret), LONG },
    { PROC(DOMAIN_DEFINE_XML_FLAGS), BODY(r_domain_define_xml_flags_args),
      BODY(r_domain_define_xml_flags_ret), 0 },
    { PROC(CONNECT_REGISTER_CLOSE_CALLBACK), NONE, NONE, RO },
    { PROC(CONNECT_UNREGISTER_CLOSE_CALLBACK), NONE, NONE, RO },
    { PROC(CONNECT_STORAGE_POOL_EVENT_REGISTER_ANY),
      BODY(r_connect_storage_pool_event_register_any_args),
      BODY(r_connect_storage_pool_event_register_any_ret), RO },
    { PROC(CONNECT_STORAGE_POOL_EVENT_DEREGISTER_ANY),
      BODY(r_connect_storage_pool_event_deregister_any_args), NONE, RO },
    { PROC(STORAGE_POOL_EVENT_LIFECYCLE), BODY(r_storage_pool_event_lifecycle_msg), NONE, EVENT },
    { PROC(STORAGE_POOL_EVENT_REFRESH), BODY(r_storage_pool_event_refresh_msg), NONE, EVENT },
    { PROC(STORAGE_VOL_GET_INFO_FLAGS), BODY(r_storage_vol_flags_args),
      BODY(r_storage_vol_get_info_flags_ret), RO },
    { PROC(STORAGE_POOL_LOOKUP_BY_TARGET_PATH), BODY(r_storage_pool_lookup_by_target_path_args),
      BODY(r_storage_pool_lookup_by_target_path_ret), RO },
    { PROC(CONNECT_BASELINE_HYPERVISOR_CPU), BODY(r_connect_baseline_hypervisor_cpu_args),
      BODY(r_connect_baseline_hypervisor_cpu_ret), LONG },
    { PROC(CONNECT_GET_STORAGE_POOL_CAPABILITIES),
      BODY(r_connect_get_storage_pool_capabilities_args),
      BODY(r_connect_get_storage_pool_capabilities_ret), RO },
    { PROC(DOMAIN_GET_MESSAGES), BODY(r_domain_flags_args), BODY(r_domain_get_messages_ret), RO },
    { PROC(NETWORK_DEFINE_XML_FLAGS), BODY(r_network_define_xml_flags_args),
      BODY(r_network_define_xml_flags_ret), 0 },
    { PROC(NETWORK_CREATE_XML_FLAGS), BODY(r_network_create_xml_flags_args),
      BODY(r_network_create_xml_flags_ret), LONG },
};

static const vkRpcProc qemuProcs[] = {
    { QPROC(DOMAIN_MONITOR_COMMAND), BODY(q_domain_monitor_command_args),
      BODY(q_domain_monitor_command_ret), LONG },
};

const vkRpcProgram vkRpcRemoteProgram = {
    VKR_PROGRAM, VKR_VERSION, "REMOTE", remoteProcs, G_N_ELEMENTS(remoteProcs),
};

const vkRpcProgram vkRpcQemuProgram = {
    VKQ_PROGRAM, VKQ_VERSION, "QEMU", qemuProcs, G_N_ELEMENTS(qemuProcs),
};

const vkRpcProc *vkRpcProgramLookup(const vkRpcProgram *program, int proc)
{
    size_t lo = 0, hi = program->nprocs;

    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int here = program->procs[mid].proc;
        if (here == proc)
            return &program->procs[mid];
        if (here < proc)
            lo = mid + 1;
        else
            hi = mid;
    }
    return NULL;
}

const vkRpcProgram *vkRpcProgramFind(guint32 prog, guint32 vers)
{
    static const vkRpcProgram *const programs[] = { &vkRpcRemoteProgram, &vkRpcQemuProgram };

    for (size_t i = 0; i < G_N_ELEMENTS(programs); i++) {
        if (programs[i]->prog == prog && programs[i]->vers == vers)
            return programs[i];
    }
    return NULL;
}

void vkRpcXdrFree(xdrproc_t codec, void *obj, size_t size)
{
    if (!codec || !obj || size == 0)
        return;
    xdr_free(codec, obj);
    memset(obj, 0, size);
}

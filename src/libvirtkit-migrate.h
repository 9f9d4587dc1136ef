/* The steps of libvirt's version 3 migration with parameters, as internal entry points: the
 * daemon serves them to clients that drive a migration (virsh migrate), and the client-side
 * flow calls them on the two connections. Not public API, as in libvirt (libvirt_internal.h). */
#pragma once

#include "driver.h"

/* The driver features libvirt's clients ask about before migrating (VIR_DRV_FEATURE_*). */
typedef enum {
    VK_DRV_FEATURE_MIGRATION_P2P = 4,
    VK_DRV_FEATURE_MIGRATION_V3 = 6,
    VK_DRV_FEATURE_MIGRATE_CHANGE_PROTECTION = 7,
    VK_DRV_FEATURE_XML_MIGRATABLE = 11,
    VK_DRV_FEATURE_MIGRATION_OFFLINE = 12,
    VK_DRV_FEATURE_MIGRATION_PARAMS = 13,
} vkDrvMigrationFeature;

/* Whether CONN's hypervisor driver does the version 3 flow with parameters. */
gboolean vkConnectSupportsMigration(virConnectPtr conn);

char *vkDomainMigrateBegin3Params(virDomainPtr dom, const vkMigrateParams *params, char **cookieout,
                                  int *cookieoutlen, unsigned int flags);
int vkDomainMigratePrepare3Params(virConnectPtr dconn, const vkMigrateParams *params,
                                  const char *cookiein, int cookieinlen, char **cookieout,
                                  int *cookieoutlen, char **uriOut, unsigned int flags);
int vkDomainMigratePerform3Params(virDomainPtr dom, const char *dconnuri,
                                  const vkMigrateParams *params, const char *cookiein,
                                  int cookieinlen, char **cookieout, int *cookieoutlen,
                                  unsigned int flags);
virDomainPtr vkDomainMigrateFinish3Params(virConnectPtr dconn, const vkMigrateParams *params,
                                          const char *cookiein, int cookieinlen, char **cookieout,
                                          int *cookieoutlen, unsigned int flags, int cancelled);
int vkDomainMigrateConfirm3Params(virDomainPtr dom, const vkMigrateParams *params,
                                  const char *cookiein, int cookieinlen, unsigned int flags,
                                  int cancelled);

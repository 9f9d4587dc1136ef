/* Entry points of the migration steps (libvirtkit-migrate.h): the checks every public call
 * makes, then the connection's driver. */
#include "libvirtkit-migrate.h"

#include "libvirtkit-priv.h"

#define ERR_DOMAIN VIR_FROM_DOMAIN

gboolean vkConnectSupportsMigration(virConnectPtr conn)
{
    const vkHypervisorDriver *drv = vkApiHypervisor(conn);

    return drv->domainMigrateBegin3Params && drv->domainMigratePrepare3Params &&
           drv->domainMigratePerform3Params && drv->domainMigrateFinish3Params &&
           drv->domainMigrateConfirm3Params;
}

/* The checks of a step on the source: a valid, writable handle. */
static gboolean enterSource(virDomainPtr dom, const char *func)
{
    return vkApiEnterDomain(dom, func) && !vkApiDenyReadOnly(dom->conn, ERR_DOMAIN, func);
}

static gboolean enterDest(virConnectPtr dconn, const char *func)
{
    return vkApiEnterConnect(dconn, ERR_DOMAIN, func) &&
           !vkApiDenyReadOnly(dconn, ERR_DOMAIN, func);
}

char *vkDomainMigrateBegin3Params(virDomainPtr dom, const vkMigrateParams *params, char **cookieout,
                                  int *cookieoutlen, unsigned int flags)
{
    if (!enterSource(dom, "virDomainMigrateBegin3Params"))
        return NULL;
    const vkHypervisorDriver *drv = vkApiHypervisor(dom->conn);
    if (!drv->domainMigrateBegin3Params)
        return vkApiUnsupportedPtr(dom->conn, ERR_DOMAIN, "virDomainMigrateBegin3Params");
    return vkApiResultPtr(
        dom->conn, drv->domainMigrateBegin3Params(dom, params, cookieout, cookieoutlen, flags));
}

int vkDomainMigratePrepare3Params(virConnectPtr dconn, const vkMigrateParams *params,
                                  const char *cookiein, int cookieinlen, char **cookieout,
                                  int *cookieoutlen, char **uriOut, unsigned int flags)
{
    if (!enterDest(dconn, "virDomainMigratePrepare3Params"))
        return -1;
    const vkHypervisorDriver *drv = vkApiHypervisor(dconn);
    if (!drv->domainMigratePrepare3Params)
        return vkApiUnsupported(dconn, ERR_DOMAIN, "virDomainMigratePrepare3Params");
    return vkApiResultInt(dconn,
                          drv->domainMigratePrepare3Params(dconn, params, cookiein, cookieinlen,
                                                           cookieout, cookieoutlen, uriOut, flags));
}

int vkDomainMigratePerform3Params(virDomainPtr dom, const char *dconnuri,
                                  const vkMigrateParams *params, const char *cookiein,
                                  int cookieinlen, char **cookieout, int *cookieoutlen,
                                  unsigned int flags)
{
    if (!enterSource(dom, "virDomainMigratePerform3Params"))
        return -1;
    const vkHypervisorDriver *drv = vkApiHypervisor(dom->conn);
    if (!drv->domainMigratePerform3Params)
        return vkApiUnsupported(dom->conn, ERR_DOMAIN, "virDomainMigratePerform3Params");
    return vkApiResultInt(
        dom->conn, drv->domainMigratePerform3Params(dom, dconnuri, params, cookiein, cookieinlen,
                                                    cookieout, cookieoutlen, flags));
}

virDomainPtr vkDomainMigrateFinish3Params(virConnectPtr dconn, const vkMigrateParams *params,
                                          const char *cookiein, int cookieinlen, char **cookieout,
                                          int *cookieoutlen, unsigned int flags, int cancelled)
{
    if (!enterDest(dconn, "virDomainMigrateFinish3Params"))
        return NULL;
    const vkHypervisorDriver *drv = vkApiHypervisor(dconn);
    if (!drv->domainMigrateFinish3Params)
        return vkApiUnsupportedPtr(dconn, ERR_DOMAIN, "virDomainMigrateFinish3Params");
    return vkApiResultPtr(dconn, drv->domainMigrateFinish3Params(dconn, params, cookiein,
                                                                 cookieinlen, cookieout,
                                                                 cookieoutlen, flags, cancelled));
}

int vkDomainMigrateConfirm3Params(virDomainPtr dom, const vkMigrateParams *params,
                                  const char *cookiein, int cookieinlen, unsigned int flags,
                                  int cancelled)
{
    if (!enterSource(dom, "virDomainMigrateConfirm3Params"))
        return -1;
    const vkHypervisorDriver *drv = vkApiHypervisor(dom->conn);
    if (!drv->domainMigrateConfirm3Params)
        return vkApiUnsupported(dom->conn, ERR_DOMAIN, "virDomainMigrateConfirm3Params");
    return vkApiResultInt(dom->conn, drv->domainMigrateConfirm3Params(
                                         dom, params, cookiein, cookieinlen, flags, cancelled));
}

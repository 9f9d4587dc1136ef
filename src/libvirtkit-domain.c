/* Public entry points for domains: argument checks, read-only refusal, dispatch to the
 * connection's hypervisor driver. */
#include <string.h>

#include "libvirtkit-priv.h"
#include "stream.h"
#include "util/vkuuid.h"

#define ERR_DOMAIN VIR_FROM_DOMAIN

/* Every call that changes a domain starts the same way. */
static gboolean enterMutating(virDomainPtr dom, const char *func)
{
    return vkApiEnterDomain(dom, func) && !vkApiDenyReadOnly(dom->conn, ERR_DOMAIN, func);
}

/* ---- listing ---- */

int virConnectListAllDomains(virConnectPtr conn, virDomainPtr **domains, unsigned int flags)
{
    if (domains)
        *domains = NULL;
    if (!vkApiEnterConnect(conn, ERR_DOMAIN, __func__))
        return -1;
    const vkHypervisorDriver *drv = vkApiHypervisor(conn);
    if (!drv->connectListAllDomains)
        return vkApiUnsupported(conn, ERR_DOMAIN, __func__);
    return vkApiResultInt(conn, drv->connectListAllDomains(conn, domains, flags));
}

int virConnectNumOfDomains(virConnectPtr conn)
{
    if (!vkApiEnterConnect(conn, ERR_DOMAIN, __func__))
        return -1;
    const vkHypervisorDriver *drv = vkApiHypervisor(conn);
    if (!drv->connectNumOfDomains)
        return vkApiUnsupported(conn, ERR_DOMAIN, __func__);
    return vkApiResultInt(conn, drv->connectNumOfDomains(conn));
}

int virConnectListDomains(virConnectPtr conn, int *ids, int maxids)
{
    if (!vkApiEnterConnect(conn, ERR_DOMAIN, __func__) ||
        vkApiDenyBadArray(conn, ids, maxids, ERR_DOMAIN, __func__, "ids", "maxids"))
        return -1;
    const vkHypervisorDriver *drv = vkApiHypervisor(conn);
    if (!drv->connectListDomains)
        return vkApiUnsupported(conn, ERR_DOMAIN, __func__);
    return vkApiResultInt(conn, drv->connectListDomains(conn, ids, maxids));
}

int virConnectNumOfDefinedDomains(virConnectPtr conn)
{
    if (!vkApiEnterConnect(conn, ERR_DOMAIN, __func__))
        return -1;
    const vkHypervisorDriver *drv = vkApiHypervisor(conn);
    if (!drv->connectNumOfDefinedDomains)
        return vkApiUnsupported(conn, ERR_DOMAIN, __func__);
    return vkApiResultInt(conn, drv->connectNumOfDefinedDomains(conn));
}

int virConnectListDefinedDomains(virConnectPtr conn, char **const names, int maxnames)
{
    if (!vkApiEnterConnect(conn, ERR_DOMAIN, __func__) ||
        vkApiDenyBadArray(conn, names, maxnames, ERR_DOMAIN, __func__, "names", "maxnames"))
        return -1;
    const vkHypervisorDriver *drv = vkApiHypervisor(conn);
    if (!drv->connectListDefinedDomains)
        return vkApiUnsupported(conn, ERR_DOMAIN, __func__);
    return vkApiResultInt(conn, drv->connectListDefinedDomains(conn, names, maxnames));
}

/* ---- lookup ---- */

virDomainPtr virDomainLookupByName(virConnectPtr conn, const char *name)
{
    if (!vkApiEnterConnect(conn, ERR_DOMAIN, __func__) ||
        vkApiDenyNull(conn, name, ERR_DOMAIN, __func__, "name"))
        return NULL;
    const vkHypervisorDriver *drv = vkApiHypervisor(conn);
    if (!drv->domainLookupByName)
        return vkApiUnsupportedPtr(conn, ERR_DOMAIN, __func__);
    return vkApiResultPtr(conn, drv->domainLookupByName(conn, name));
}

virDomainPtr virDomainLookupByID(virConnectPtr conn, int id)
{
    if (!vkApiEnterConnect(conn, ERR_DOMAIN, __func__))
        return NULL;
    if (id < 0) {
        vkReportInvalidArg(ERR_DOMAIN, __func__, "id", "id in %s must be zero or greater",
                           __func__);
        vkApiDispatch(conn);
        return NULL;
    }
    const vkHypervisorDriver *drv = vkApiHypervisor(conn);
    if (!drv->domainLookupByID)
        return vkApiUnsupportedPtr(conn, ERR_DOMAIN, __func__);
    return vkApiResultPtr(conn, drv->domainLookupByID(conn, id));
}

virDomainPtr virDomainLookupByUUID(virConnectPtr conn, const unsigned char *uuid)
{
    if (!vkApiEnterConnect(conn, ERR_DOMAIN, __func__) ||
        vkApiDenyNull(conn, uuid, ERR_DOMAIN, __func__, "uuid"))
        return NULL;
    const vkHypervisorDriver *drv = vkApiHypervisor(conn);
    if (!drv->domainLookupByUUID)
        return vkApiUnsupportedPtr(conn, ERR_DOMAIN, __func__);
    return vkApiResultPtr(conn, drv->domainLookupByUUID(conn, uuid));
}

virDomainPtr virDomainLookupByUUIDString(virConnectPtr conn, const char *uuidstr)
{
    unsigned char uuid[VIR_UUID_BUFLEN];

    if (!vkApiEnterConnect(conn, ERR_DOMAIN, __func__) ||
        vkApiDenyNull(conn, uuidstr, ERR_DOMAIN, __func__, "uuidstr"))
        return NULL;
    if (vkUUIDParse(uuidstr, uuid) < 0) {
        vkReportInvalidArg(ERR_DOMAIN, __func__, "uuidstr", "%s", "Invalid UUID");
        vkApiDispatch(conn);
        return NULL;
    }
    return virDomainLookupByUUID(conn, uuid);
}

/* ---- lifecycle ---- */

virDomainPtr virDomainDefineXMLFlags(virConnectPtr conn, const char *xml, unsigned int flags)
{
    if (!vkApiEnterConnect(conn, ERR_DOMAIN, __func__) ||
        vkApiDenyReadOnly(conn, ERR_DOMAIN, __func__) ||
        vkApiDenyNull(conn, xml, ERR_DOMAIN, __func__, "xml"))
        return NULL;
    const vkHypervisorDriver *drv = vkApiHypervisor(conn);
    if (!drv->domainDefineXMLFlags)
        return vkApiUnsupportedPtr(conn, ERR_DOMAIN, __func__);
    return vkApiResultPtr(conn, drv->domainDefineXMLFlags(conn, xml, flags));
}

virDomainPtr virDomainDefineXML(virConnectPtr conn, const char *xml)
{
    if (!vkApiEnterConnect(conn, ERR_DOMAIN, __func__) ||
        vkApiDenyReadOnly(conn, ERR_DOMAIN, __func__) ||
        vkApiDenyNull(conn, xml, ERR_DOMAIN, __func__, "xml"))
        return NULL;
    const vkHypervisorDriver *drv = vkApiHypervisor(conn);
    if (drv->domainDefineXML)
        return vkApiResultPtr(conn, drv->domainDefineXML(conn, xml));
    if (!drv->domainDefineXMLFlags)
        return vkApiUnsupportedPtr(conn, ERR_DOMAIN, __func__);
    return vkApiResultPtr(conn, drv->domainDefineXMLFlags(conn, xml, 0));
}

/* PLAIN: called as the flag-less function. */
static int domainUndefine(virDomainPtr dom, unsigned int flags, const char *func, gboolean plain)
{
    if (!enterMutating(dom, func))
        return -1;
    const vkHypervisorDriver *drv = vkApiHypervisor(dom->conn);
    if (plain && drv->domainUndefine)
        return vkApiResultInt(dom->conn, drv->domainUndefine(dom));
    if (!drv->domainUndefineFlags)
        return vkApiUnsupported(dom->conn, ERR_DOMAIN, func);
    return vkApiResultInt(dom->conn, drv->domainUndefineFlags(dom, flags));
}

int virDomainUndefine(virDomainPtr domain)
{
    return domainUndefine(domain, 0, __func__, TRUE);
}

int virDomainUndefineFlags(virDomainPtr domain, unsigned int flags)
{
    return domainUndefine(domain, flags, __func__, FALSE);
}

virDomainPtr virDomainCreateXML(virConnectPtr conn, const char *xmlDesc, unsigned int flags)
{
    if (!vkApiEnterConnect(conn, ERR_DOMAIN, __func__) ||
        vkApiDenyNull(conn, xmlDesc, ERR_DOMAIN, __func__, "xmlDesc") ||
        vkApiDenyReadOnly(conn, ERR_DOMAIN, __func__))
        return NULL;
    const vkHypervisorDriver *drv = vkApiHypervisor(conn);
    if (!drv->domainCreateXML)
        return vkApiUnsupportedPtr(conn, ERR_DOMAIN, __func__);
    return vkApiResultPtr(conn, drv->domainCreateXML(conn, xmlDesc, flags));
}

/* PLAIN: called as the flag-less function. */
static int domainCreate(virDomainPtr dom, unsigned int flags, const char *func, gboolean plain)
{
    if (!enterMutating(dom, func))
        return -1;
    const vkHypervisorDriver *drv = vkApiHypervisor(dom->conn);
    if (plain && drv->domainCreate)
        return vkApiResultInt(dom->conn, drv->domainCreate(dom));
    if (!drv->domainCreateWithFlags)
        return vkApiUnsupported(dom->conn, ERR_DOMAIN, func);
    return vkApiResultInt(dom->conn, drv->domainCreateWithFlags(dom, flags));
}

int virDomainCreate(virDomainPtr domain)
{
    return domainCreate(domain, 0, __func__, TRUE);
}

int virDomainCreateWithFlags(virDomainPtr domain, unsigned int flags)
{
    return domainCreate(domain, flags, __func__, FALSE);
}

/* PLAIN: called as the flag-less function. */
static int domainShutdown(virDomainPtr dom, unsigned int flags, const char *func, gboolean plain)
{
    if (!enterMutating(dom, func))
        return -1;
    const vkHypervisorDriver *drv = vkApiHypervisor(dom->conn);
    if (plain && drv->domainShutdown)
        return vkApiResultInt(dom->conn, drv->domainShutdown(dom));
    if (!drv->domainShutdownFlags)
        return vkApiUnsupported(dom->conn, ERR_DOMAIN, func);
    return vkApiResultInt(dom->conn, drv->domainShutdownFlags(dom, flags));
}

int virDomainShutdown(virDomainPtr domain)
{
    return domainShutdown(domain, 0, __func__, TRUE);
}

int virDomainShutdownFlags(virDomainPtr domain, unsigned int flags)
{
    return domainShutdown(domain, flags, __func__, FALSE);
}

/* PLAIN: called as the flag-less function. */
static int domainDestroy(virDomainPtr dom, unsigned int flags, const char *func, gboolean plain)
{
    if (!enterMutating(dom, func))
        return -1;
    const vkHypervisorDriver *drv = vkApiHypervisor(dom->conn);
    if (plain && drv->domainDestroy)
        return vkApiResultInt(dom->conn, drv->domainDestroy(dom));
    if (!drv->domainDestroyFlags)
        return vkApiUnsupported(dom->conn, ERR_DOMAIN, func);
    return vkApiResultInt(dom->conn, drv->domainDestroyFlags(dom, flags));
}

int virDomainDestroy(virDomainPtr domain)
{
    return domainDestroy(domain, 0, __func__, TRUE);
}

int virDomainDestroyFlags(virDomainPtr domain, unsigned int flags)
{
    return domainDestroy(domain, flags, __func__, FALSE);
}

int virDomainSuspend(virDomainPtr domain)
{
    if (!enterMutating(domain, __func__))
        return -1;
    const vkHypervisorDriver *drv = vkApiHypervisor(domain->conn);
    if (!drv->domainSuspend)
        return vkApiUnsupported(domain->conn, ERR_DOMAIN, __func__);
    return vkApiResultInt(domain->conn, drv->domainSuspend(domain));
}

int virDomainResume(virDomainPtr domain)
{
    if (!enterMutating(domain, __func__))
        return -1;
    const vkHypervisorDriver *drv = vkApiHypervisor(domain->conn);
    if (!drv->domainResume)
        return vkApiUnsupported(domain->conn, ERR_DOMAIN, __func__);
    return vkApiResultInt(domain->conn, drv->domainResume(domain));
}

int virDomainReboot(virDomainPtr domain, unsigned int flags)
{
    if (!enterMutating(domain, __func__))
        return -1;
    const vkHypervisorDriver *drv = vkApiHypervisor(domain->conn);
    if (!drv->domainReboot)
        return vkApiUnsupported(domain->conn, ERR_DOMAIN, __func__);
    return vkApiResultInt(domain->conn, drv->domainReboot(domain, flags));
}

/* ---- queries ---- */

char *virDomainGetXMLDesc(virDomainPtr domain, unsigned int flags)
{
    if (!vkApiEnterDomain(domain, __func__))
        return NULL;
    virConnectPtr conn = domain->conn;
    /* Secure and migratable output may carry passwords. */
    if ((conn->flags & VIR_CONNECT_RO) &&
        (flags & (VIR_DOMAIN_XML_SECURE | VIR_DOMAIN_XML_MIGRATABLE))) {
        vkReportError(ERR_DOMAIN, VIR_ERR_OPERATION_DENIED, "%s",
                      "virDomainGetXMLDesc with secure flag");
        vkApiDispatch(conn);
        return NULL;
    }
    const vkHypervisorDriver *drv = vkApiHypervisor(conn);
    if (!drv->domainGetXMLDesc)
        return vkApiUnsupportedPtr(conn, ERR_DOMAIN, __func__);
    return vkApiResultPtr(conn, drv->domainGetXMLDesc(domain, flags));
}

int virDomainGetInfo(virDomainPtr domain, virDomainInfoPtr info)
{
    if (info)
        memset(info, 0, sizeof(*info));
    if (!vkApiEnterDomain(domain, __func__) ||
        vkApiDenyNull(domain->conn, info, ERR_DOMAIN, __func__, "info"))
        return -1;
    const vkHypervisorDriver *drv = vkApiHypervisor(domain->conn);
    if (!drv->domainGetInfo)
        return vkApiUnsupported(domain->conn, ERR_DOMAIN, __func__);
    return vkApiResultInt(domain->conn, drv->domainGetInfo(domain, info));
}

int virDomainGetState(virDomainPtr domain, int *state, int *reason, unsigned int flags)
{
    if (!vkApiEnterDomain(domain, __func__) ||
        vkApiDenyNull(domain->conn, state, ERR_DOMAIN, __func__, "state"))
        return -1;
    const vkHypervisorDriver *drv = vkApiHypervisor(domain->conn);
    if (!drv->domainGetState)
        return vkApiUnsupported(domain->conn, ERR_DOMAIN, __func__);
    return vkApiResultInt(domain->conn, drv->domainGetState(domain, state, reason, flags));
}

unsigned long virDomainGetMaxMemory(virDomainPtr domain)
{
    if (!vkApiEnterDomain(domain, __func__))
        return 0;
    const vkHypervisorDriver *drv = vkApiHypervisor(domain->conn);
    if (!drv->domainGetMaxMemory) {
        vkApiUnsupported(domain->conn, ERR_DOMAIN, __func__);
        return 0;
    }
    unsigned long long mem = drv->domainGetMaxMemory(domain);
    if (mem == 0) {
        vkApiDispatch(domain->conn);
        return 0;
    }
    if ((unsigned long)mem != mem) {
        vkReportError(ERR_DOMAIN, VIR_ERR_OVERFLOW, "result too large: %llu", mem);
        vkApiDispatch(domain->conn);
        return 0;
    }
    return mem;
}

const char *virDomainGetName(virDomainPtr domain)
{
    if (!vkApiEnterDomain(domain, __func__))
        return NULL;
    return domain->name;
}

unsigned int virDomainGetID(virDomainPtr domain)
{
    if (!vkApiEnterDomain(domain, __func__))
        return (unsigned int)-1;
    return vkDomainGetCachedID(domain);
}

int virDomainGetUUID(virDomainPtr domain, unsigned char *uuid)
{
    if (!vkApiEnterDomain(domain, __func__) ||
        vkApiDenyNull(domain->conn, uuid, ERR_DOMAIN, __func__, "uuid"))
        return -1;
    memcpy(uuid, domain->uuid, VIR_UUID_BUFLEN);
    return 0;
}

int virDomainGetUUIDString(virDomainPtr domain, char *buf)
{
    if (!vkApiEnterDomain(domain, __func__) ||
        vkApiDenyNull(domain->conn, buf, ERR_DOMAIN, __func__, "buf"))
        return -1;
    vkUUIDFormat(domain->uuid, buf);
    return 0;
}

char *virDomainGetOSType(virDomainPtr domain)
{
    if (!vkApiEnterDomain(domain, __func__))
        return NULL;
    const vkHypervisorDriver *drv = vkApiHypervisor(domain->conn);
    if (!drv->domainGetOSType)
        return vkApiUnsupportedPtr(domain->conn, ERR_DOMAIN, __func__);
    return vkApiResultPtr(domain->conn, drv->domainGetOSType(domain));
}

virConnectPtr virDomainGetConnect(virDomainPtr domain)
{
    if (!vkApiEnterDomain(domain, __func__))
        return NULL;
    return domain->conn;
}

int virDomainGetSecurityLabel(virDomainPtr domain, virSecurityLabelPtr seclabel)
{
    if (!vkApiEnterDomain(domain, __func__) ||
        vkApiDenyNull(domain->conn, seclabel, ERR_DOMAIN, __func__, "seclabel"))
        return -1;
    const vkHypervisorDriver *drv = vkApiHypervisor(domain->conn);
    if (!drv->domainGetSecurityLabel)
        return vkApiUnsupported(domain->conn, ERR_DOMAIN, __func__);
    return vkApiResultInt(domain->conn, drv->domainGetSecurityLabel(domain, seclabel));
}

int virDomainHasManagedSaveImage(virDomainPtr domain, unsigned int flags)
{
    if (!vkApiEnterDomain(domain, __func__))
        return -1;
    const vkHypervisorDriver *drv = vkApiHypervisor(domain->conn);
    if (!drv->domainHasManagedSaveImage)
        return vkApiUnsupported(domain->conn, ERR_DOMAIN, __func__);
    return vkApiResultInt(domain->conn, drv->domainHasManagedSaveImage(domain, flags));
}

int virDomainSnapshotNum(virDomainPtr domain, unsigned int flags)
{
    if (!vkApiEnterDomain(domain, __func__))
        return -1;
    const vkHypervisorDriver *drv = vkApiHypervisor(domain->conn);
    if (!drv->domainSnapshotNum)
        return vkApiUnsupported(domain->conn, ERR_DOMAIN, __func__);
    return vkApiResultInt(domain->conn, drv->domainSnapshotNum(domain, flags));
}

int virDomainGetMessages(virDomainPtr domain, char ***msgs, unsigned int flags)
{
    if (msgs)
        *msgs = NULL;
    if (!vkApiEnterDomain(domain, __func__) ||
        vkApiDenyNull(domain->conn, msgs, ERR_DOMAIN, __func__, "msgs"))
        return -1;
    const vkHypervisorDriver *drv = vkApiHypervisor(domain->conn);
    if (!drv->domainGetMessages)
        return vkApiUnsupported(domain->conn, ERR_DOMAIN, __func__);
    return vkApiResultInt(domain->conn, drv->domainGetMessages(domain, msgs, flags));
}

int virDomainOpenConsole(virDomainPtr dom, const char *dev_name, virStreamPtr st,
                         unsigned int flags)
{
    if (!vkApiEnterDomain(dom, __func__))
        return -1;
    if (!vkIsStream(st)) {
        vkReportError(VIR_FROM_STREAMS, VIR_ERR_INVALID_STREAM, "%s", __func__);
        return vkApiResultInt(dom->conn, -1);
    }
    if (vkApiDenyReadOnly(dom->conn, ERR_DOMAIN, __func__))
        return -1;
    if (st->conn != dom->conn) {
        vkReportInvalidArg(ERR_DOMAIN, __func__, "st",
                           "stream must match connection of domain '%s'", dom->name);
        return vkApiResultInt(dom->conn, -1);
    }
    const vkHypervisorDriver *drv = vkApiHypervisor(dom->conn);
    if (!drv->domainOpenConsole)
        return vkApiUnsupported(dom->conn, ERR_DOMAIN, __func__);
    return vkApiResultInt(dom->conn, drv->domainOpenConsole(dom, dev_name, st, flags));
}

int virDomainIsActive(virDomainPtr domain)
{
    if (!vkApiEnterDomain(domain, __func__))
        return -1;
    const vkHypervisorDriver *drv = vkApiHypervisor(domain->conn);
    if (!drv->domainIsActive)
        return vkApiUnsupported(domain->conn, ERR_DOMAIN, __func__);
    return vkApiResultInt(domain->conn, drv->domainIsActive(domain));
}

int virDomainIsPersistent(virDomainPtr domain)
{
    if (!vkApiEnterDomain(domain, __func__))
        return -1;
    const vkHypervisorDriver *drv = vkApiHypervisor(domain->conn);
    if (!drv->domainIsPersistent)
        return vkApiUnsupported(domain->conn, ERR_DOMAIN, __func__);
    return vkApiResultInt(domain->conn, drv->domainIsPersistent(domain));
}

int virDomainGetAutostart(virDomainPtr domain, int *autostart)
{
    if (!vkApiEnterDomain(domain, __func__) ||
        vkApiDenyNull(domain->conn, autostart, ERR_DOMAIN, __func__, "autostart"))
        return -1;
    const vkHypervisorDriver *drv = vkApiHypervisor(domain->conn);
    if (!drv->domainGetAutostart)
        return vkApiUnsupported(domain->conn, ERR_DOMAIN, __func__);
    return vkApiResultInt(domain->conn, drv->domainGetAutostart(domain, autostart));
}

int virDomainSetAutostart(virDomainPtr domain, int autostart)
{
    if (!enterMutating(domain, __func__))
        return -1;
    const vkHypervisorDriver *drv = vkApiHypervisor(domain->conn);
    if (!drv->domainSetAutostart)
        return vkApiUnsupported(domain->conn, ERR_DOMAIN, __func__);
    return vkApiResultInt(domain->conn, drv->domainSetAutostart(domain, autostart));
}

/* ---- metadata ---- */

/* Reports that ARG of FUNC must be NULL (WANTNULL) or must not be; TRUE when reported. */
static gboolean denyArg(virDomainPtr domain, const char *func, const char *name, const void *arg,
                        gboolean wantNull)
{
    if (wantNull == (arg == NULL))
        return FALSE;
    vkReportInvalidArg(ERR_DOMAIN, func, name, "%s in %s must %sbe NULL", name, func,
                       wantNull ? "" : "not ");
    vkApiDispatch(domain->conn);
    return TRUE;
}

int virDomainSetMetadata(virDomainPtr domain, int type, const char *metadata, const char *key,
                         const char *uri, unsigned int flags)
{
    if (!enterMutating(domain, __func__))
        return -1;
    switch (type) {
    case VIR_DOMAIN_METADATA_TITLE:
        if (metadata && strchr(metadata, '\n')) {
            vkReportInvalidArg(ERR_DOMAIN, __func__, "metadata", "%s",
                               "metadata title can't contain newlines");
            vkApiDispatch(domain->conn);
            return -1;
        }
        G_GNUC_FALLTHROUGH;
    case VIR_DOMAIN_METADATA_DESCRIPTION:
        if (denyArg(domain, __func__, "uri", uri, TRUE) ||
            denyArg(domain, __func__, "key", key, TRUE))
            return -1;
        break;
    case VIR_DOMAIN_METADATA_ELEMENT:
        if (denyArg(domain, __func__, "uri", uri, FALSE) ||
            (metadata && denyArg(domain, __func__, "key", key, FALSE)))
            return -1;
        break;
    default:
        /* the driver names the unknown type */
        break;
    }
    const vkHypervisorDriver *drv = vkApiHypervisor(domain->conn);
    if (!drv->domainSetMetadata)
        return vkApiUnsupported(domain->conn, ERR_DOMAIN, __func__);
    return vkApiResultInt(domain->conn,
                          drv->domainSetMetadata(domain, type, metadata, key, uri, flags));
}

char *virDomainGetMetadata(virDomainPtr domain, int type, const char *uri, unsigned int flags)
{
    if (!vkApiEnterDomain(domain, __func__))
        return NULL;
    if ((flags & VIR_DOMAIN_AFFECT_LIVE) && (flags & VIR_DOMAIN_AFFECT_CONFIG)) {
        vkReportInvalidArg(ERR_DOMAIN, __func__, "flags", "%s",
                           "Flags 'VIR_DOMAIN_AFFECT_LIVE' and 'VIR_DOMAIN_AFFECT_CONFIG' are "
                           "mutually exclusive");
        vkApiDispatch(domain->conn);
        return NULL;
    }
    if ((type == VIR_DOMAIN_METADATA_TITLE || type == VIR_DOMAIN_METADATA_DESCRIPTION) &&
        denyArg(domain, __func__, "uri", uri, TRUE))
        return NULL;
    if (type == VIR_DOMAIN_METADATA_ELEMENT && denyArg(domain, __func__, "uri", uri, FALSE))
        return NULL;
    const vkHypervisorDriver *drv = vkApiHypervisor(domain->conn);
    if (!drv->domainGetMetadata)
        return vkApiUnsupportedPtr(domain->conn, ERR_DOMAIN, __func__);
    return vkApiResultPtr(domain->conn, drv->domainGetMetadata(domain, type, uri, flags));
}

/* ---- references ---- */

int virDomainRef(virDomainPtr domain)
{
    if (!vkApiEnterDomain(domain, __func__))
        return -1;
    vkDomainRef(domain);
    return 0;
}

int virDomainFree(virDomainPtr domain)
{
    if (!vkApiEnterDomain(domain, __func__))
        return -1;
    vkDomainUnref(domain);
    return 0;
}

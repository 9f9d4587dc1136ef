/* Building a test:/// world: libvirt's default objects for test:///default, or a node
 * description file in libvirt's test driver format, and the host capabilities it reports. */
#include <string.h>

#include "test_private.h"
#include "util/vkxml.h"

/* The namespace of libvirt's test driver extensions inside <domain> elements of a node file
 * (<test:runstate>, <test:transient/>, <test:hasmanagedsave/>). */
#define TEST_NS_URI "http://libvirt.org/schemas/domain/test/1.0"

/* The default world, object for object and value for value the one libvirt's test driver
 * builds, so that scripts written against it see the same thing. */
static const char defaultNodeXML[] =
    "<node>\n"
    "  <domain type='test'>\n"
    "    <name>test</name>\n"
    "    <uuid>6695eb01-f6a4-8304-79aa-97f2502e193f</uuid>\n"
    "    <memory>8388608</memory>\n"
    "    <currentMemory>2097152</currentMemory>\n"
    "    <vcpu>2</vcpu>\n"
    "    <os><type>hvm</type></os>\n"
    "    <devices>\n"
    "      <disk type='file' device='disk'>\n"
    "        <source file='/guest/diskimage1'/>\n"
    "        <target dev='vda' bus='virtio'/>\n"
    "        <address type='pci' domain='0x0000' bus='0x01' slot='0x00' function='0x0'/>\n"
    "      </disk>\n"
    "      <interface type='network'>\n"
    "        <mac address='aa:bb:cc:dd:ee:ff'/>\n"
    "        <source network='default'/>\n"
    "        <address type='pci' domain='0x0000' bus='0x00' slot='0x01' function='0x0'/>\n"
    "      </interface>\n"
    "      <memballoon model='virtio'>\n"
    "        <address type='pci' domain='0x0000' bus='0x00' slot='0x02' function='0x0'/>\n"
    "      </memballoon>\n"
    "    </devices>\n"
    "  </domain>\n"
    "  <network>\n"
    "    <name>default</name>\n"
    "    <uuid>dd8fe884-6c02-601e-7551-cca97df1c5df</uuid>\n"
    "    <bridge name='virbr0'/>\n"
    "    <forward/>\n"
    "    <ip address='192.168.122.1' netmask='255.255.255.0'>\n"
    "      <dhcp>\n"
    "        <range start='192.168.122.2' end='192.168.122.254'/>\n"
    "      </dhcp>\n"
    "    </ip>\n"
    "  </network>\n"
    "  <pool type='dir'>\n"
    "    <name>default-pool</name>\n"
    "    <uuid>dfe224cb-28fb-8dd0-c4b2-64eb3f0f4566</uuid>\n"
    "    <target>\n"
    "      <path>/default-pool</path>\n"
    "    </target>\n"
    "  </pool>\n"
    "</node>\n";

/* The host libvirt's test driver pretends to be: 16 i686 CPUs at 1400 MHz, 3 GiB. */
static const virNodeInfo defaultNodeInfo = {
    .model = "i686",
    .memory = 3 * 1024 * 1024,
    .cpus = 16,
    .mhz = 1400,
    .nodes = 2,
    .sockets = 2,
    .cores = 2,
    .threads = 2,
};

#define DEFAULT_CELLS         2
#define DEFAULT_CPUS_PER_CELL 8

vkTestDriver *vkTestDriverNew(void)
{
    vkTestDriver *driver = g_new0(vkTestDriver, 1);

    driver->refs = 1;
    g_mutex_init(&driver->lock);
    driver->nodeInfo = defaultNodeInfo;
    driver->nextDomID = 1;
    driver->domains = g_ptr_array_new_with_free_func((GDestroyNotify)vkTestDomainObjFree);
    driver->networks = g_ptr_array_new_with_free_func((GDestroyNotify)vkTestNetworkObjFree);
    driver->pools = g_ptr_array_new_with_free_func((GDestroyNotify)vkTestPoolObjFree);
    driver->events = vkObjectEventStateNew();
    return driver;
}

void vkTestDriverFree(vkTestDriver *driver)
{
    if (!driver)
        return;
    g_ptr_array_unref(driver->domains);
    g_ptr_array_unref(driver->networks);
    g_ptr_array_unref(driver->pools);
    vkObjectEventStateUnref(driver->events);
    g_free(driver->cells);
    g_mutex_clear(&driver->lock);
    g_free(driver);
}

/* ---- <cpu> and <memory> ---- */

/* An unsigned number in the text of child name of parent. 0 absent, 1 set, -1 reported. */
static int childUInt(xmlNodePtr parent, const char *name, const char *what, unsigned long long *out)
{
    xmlNodePtr node = parent ? vkXMLChild(parent, name) : NULL;
    if (!node)
        return 0;

    g_autofree char *text = g_strstrip(vkXMLText(node));
    guint64 value;
    if (!g_ascii_string_to_unsigned(text, 10, 0, G_MAXUINT, &value, NULL)) {
        vkReportError(VK_TEST_ERR, VIR_ERR_XML_ERROR, "invalid node %s value", what);
        return -1;
    }
    *out = value;
    return 1;
}

static int parseNodeInfo(vkTestDriver *driver, xmlNodePtr root)
{
    virNodeInfo *info = &driver->nodeInfo;
    xmlNodePtr cpu = vkXMLChild(root, "cpu");
    unsigned long long v;
    int rc;

    static const struct {
        const char *element, *what;
        size_t offset;
    } fields[] = {
        { "nodes", "cpu nodes", G_STRUCT_OFFSET(virNodeInfo, nodes) },
        { "sockets", "cpu sockets", G_STRUCT_OFFSET(virNodeInfo, sockets) },
        { "cores", "cpu cores", G_STRUCT_OFFSET(virNodeInfo, cores) },
        { "threads", "cpu threads", G_STRUCT_OFFSET(virNodeInfo, threads) },
        { "mhz", "cpu mhz", G_STRUCT_OFFSET(virNodeInfo, mhz) },
    };
    for (size_t i = 0; i < G_N_ELEMENTS(fields); i++) {
        if ((rc = childUInt(cpu, fields[i].element, fields[i].what, &v)) < 0)
            return -1;
        if (rc)
            G_STRUCT_MEMBER(unsigned int, info, fields[i].offset) = v;
    }
    info->cpus = info->cores * info->threads * info->sockets * info->nodes;
    if ((rc = childUInt(cpu, "active", "cpu active", &v)) < 0)
        return -1;
    if (rc && v < info->cpus)
        info->cpus = v;

    xmlNodePtr model = cpu ? vkXMLChild(cpu, "model") : NULL;
    if (model) {
        g_autofree char *text = vkXMLText(model);
        if (strlen(text) >= sizeof(info->model)) {
            vkReportError(VK_TEST_ERR, VIR_ERR_INTERNAL_ERROR, "Model %s too big for destination",
                          text);
            return -1;
        }
        g_strlcpy(info->model, text, sizeof(info->model));
    }

    xmlNodePtr memory = vkXMLChild(root, "memory");
    if (memory) {
        g_autofree char *text = g_strstrip(vkXMLText(memory));
        guint64 kib;
        if (!g_ascii_string_to_unsigned(text, 10, 0, G_MAXUINT64, &kib, NULL)) {
            vkReportError(VK_TEST_ERR, VIR_ERR_XML_ERROR, "%s", "invalid node memory value");
            return -1;
        }
        info->memory = kib;
    }
    return 0;
}

/* ---- <domain> and <network> entries ---- */

/* Like vkXMLParseFile, but an unreadable file gets libvirt's test driver wording. */
static xmlDocPtr parseFile(const char *path)
{
    g_autofree char *contents = NULL;

    if (!g_file_get_contents(path, &contents, NULL, NULL)) {
        vkReportError(VK_TEST_ERR, VIR_ERR_XML_ERROR, "failed to parse xml document '%s'", path);
        return NULL;
    }
    return vkXMLParseString(contents, path, VK_TEST_ERR);
}

/* An entry may be inline or name a file (relative to the node file) holding the element. */
static xmlDocPtr entryFromFile(xmlNodePtr entry, const char *nodeFile, xmlNodePtr *element)
{
    g_autofree char *file = vkXMLProp(entry, "file");
    if (!file) {
        *element = entry;
        return NULL;
    }

    g_autofree char *dir = nodeFile ? g_path_get_dirname(nodeFile) : g_get_current_dir();
    g_autofree char *path =
        g_path_is_absolute(file) ? g_strdup(file) : g_build_filename(dir, file, NULL);
    g_autoptr(xmlDoc) doc = parseFile(path);
    if (!doc || !(*element = vkXMLRoot(doc, (const char *)entry->name, VK_TEST_ERR)))
        return NULL;
    return g_steal_pointer(&doc);
}

typedef struct {
    int runstate;
    gboolean transient;
    gboolean hasManagedSave;
} vkTestDomainExtras;

static gboolean isTestElement(xmlNodePtr node, const char *name)
{
    return node->type == XML_ELEMENT_NODE && node->ns && node->ns->href &&
           g_str_equal((const char *)node->ns->href, TEST_NS_URI) &&
           (!name || g_str_equal((const char *)node->name, name));
}

/* Reads the test namespace elements of a <domain> and takes them out, so that the domain
 * parser sees plain libvirt domain XML. */
static int takeExtras(xmlNodePtr domain, vkTestDomainExtras *extras)
{
    extras->runstate = VIR_DOMAIN_RUNNING;
    for (xmlNodePtr child = domain->children, next; child; child = next) {
        next = child->next;
        if (!isTestElement(child, NULL))
            continue;
        if (isTestElement(child, "transient")) {
            extras->transient = TRUE;
        } else if (isTestElement(child, "hasmanagedsave")) {
            extras->hasManagedSave = TRUE;
        } else if (isTestElement(child, "runstate")) {
            g_autofree char *text = g_strstrip(vkXMLText(child));
            guint64 value;
            if (!g_ascii_string_to_unsigned(text, 10, 0, G_MAXUINT, &value, NULL)) {
                vkReportError(VK_TEST_ERR, VIR_ERR_XML_ERROR, "%s", "invalid runstate");
                return -1;
            }
            if (value > VIR_DOMAIN_PMSUSPENDED) {
                vkReportError(VK_TEST_ERR, VIR_ERR_XML_ERROR, "runstate '%u' out of range'",
                              (unsigned int)value);
                return -1;
            }
            extras->runstate = value;
        }
        /* Snapshots (<test:domainsnapshot>) are not modelled; they are dropped too. */
        xmlUnlinkNode(child);
        xmlFreeNode(child);
    }
    if (extras->transient && extras->runstate == VIR_DOMAIN_SHUTOFF) {
        vkReportError(VK_TEST_ERR, VIR_ERR_XML_ERROR, "%s",
                      "transient domain cannot have runstate 'shutoff'");
        return -1;
    }
    if (extras->hasManagedSave && extras->runstate != VIR_DOMAIN_SHUTOFF) {
        vkReportError(VK_TEST_ERR, VIR_ERR_XML_ERROR, "%s",
                      "domain with managedsave data can only have runstate 'shutoff'");
        return -1;
    }
    return 0;
}

static int loadDomain(vkTestDriver *driver, xmlNodePtr entry, const char *nodeFile)
{
    xmlNodePtr element = NULL;
    g_autoptr(xmlDoc) fileDoc = entryFromFile(entry, nodeFile, &element);
    vkTestDomainExtras extras = { 0 };

    if (!element || takeExtras(element, &extras) < 0)
        return -1;

    g_autoptr(vkDomainDef) def = vkTestDomainDefParseNode(element->doc, element);
    if (!def)
        return -1;
    vkTestDomainObj *obj = vkTestDomainAdd(driver, &def, FALSE, FALSE);
    if (!obj)
        return -1;
    obj->persistent = !extras.transient;
    obj->hasManagedSave = extras.hasManagedSave;
    if (extras.runstate != VIR_DOMAIN_SHUTOFF)
        vkTestDomainStartState(driver, obj, VIR_DOMAIN_RUNNING_BOOTED);
    else
        vkTestDomainShutdownState(obj, VIR_DOMAIN_SHUTOFF_UNKNOWN);
    /* A node file states where a domain is, not how it got there. */
    obj->state = extras.runstate;
    obj->reason = 0;
    return 0;
}

static int loadNetwork(vkTestDriver *driver, xmlNodePtr entry, const char *nodeFile)
{
    xmlNodePtr element = NULL;
    g_autoptr(xmlDoc) fileDoc = entryFromFile(entry, nodeFile, &element);

    if (!element)
        return -1;
    g_autoptr(vkNetworkDef) def = vkNetworkDefParseNode(element->doc, element, 0);
    if (!def)
        return -1;
    vkTestNetworkObj *obj = vkTestNetworkAdd(driver, &def, FALSE);
    if (!obj)
        return -1;
    obj->active = TRUE;
    return 0;
}

/* The text of ELEMENT, for the parsers that take a document. */
static char *elementText(xmlNodePtr element)
{
    xmlBufferPtr buf = xmlBufferCreate();
    char *text;

    xmlNodeDump(buf, element->doc, element, 0, 0);
    text = g_strdup((const char *)xmlBufferContent(buf));
    xmlBufferFree(buf);
    return text;
}

/* A <pool> of a node file (inline or file=), active, with its <volume> children. */
static int loadPool(vkTestDriver *driver, xmlNodePtr entry, const char *nodeFile)
{
    xmlNodePtr element = NULL;
    g_autoptr(xmlDoc) fileDoc = entryFromFile(entry, nodeFile, &element);
    g_autofree char *text = NULL;
    g_autoptr(vkStoragePoolDef) def = NULL;
    vkTestPoolObj *obj;

    if (!element)
        return -1;
    text = elementText(element);
    if (!(def = vkStoragePoolDefParseString(text)) || !(obj = vkTestPoolAdd(driver, &def, FALSE)))
        return -1;
    vkTestPoolSetDefaults(obj);
    obj->active = TRUE;
    for (xmlNodePtr child = element->children; child; child = child->next) {
        xmlNodePtr volElement = NULL;
        g_autoptr(xmlDoc) volDoc = NULL;
        g_autofree char *volText = NULL;
        vkStorageVolDef *vol;

        if (child->type != XML_ELEMENT_NODE || !g_str_equal((const char *)child->name, "volume"))
            continue;
        volDoc = entryFromFile(child, nodeFile, &volElement);
        if (!volElement)
            return -1;
        volText = elementText(volElement);
        if (!(vol = vkStorageVolDefParseString(volText, obj->def->type)))
            return -1;
        vkTestPoolAddVol(obj, vol);
    }
    return 0;
}

/* Interfaces, node devices and auth users of a node file have no API in virtkit yet and are
 * skipped. */
static int loadNode(vkTestDriver *driver, xmlDocPtr doc, const char *nodeFile)
{
    xmlNodePtr root = vkXMLRoot(doc, "node", VK_TEST_ERR);

    if (!root || parseNodeInfo(driver, root) < 0)
        return -1;
    for (xmlNodePtr child = root->children; child; child = child->next) {
        if (child->type == XML_ELEMENT_NODE && g_str_equal((const char *)child->name, "domain") &&
            loadDomain(driver, child, nodeFile) < 0)
            return -1;
    }
    for (xmlNodePtr child = root->children; child; child = child->next) {
        if (child->type == XML_ELEMENT_NODE && g_str_equal((const char *)child->name, "network") &&
            loadNetwork(driver, child, nodeFile) < 0)
            return -1;
    }
    for (xmlNodePtr child = root->children; child; child = child->next) {
        if (child->type == XML_ELEMENT_NODE && g_str_equal((const char *)child->name, "pool") &&
            loadPool(driver, child, nodeFile) < 0)
            return -1;
    }
    return 0;
}

int vkTestLoadDefault(vkTestDriver *driver)
{
    driver->ncells = DEFAULT_CELLS;
    driver->cells = g_new0(vkTestCell, DEFAULT_CELLS);
    for (size_t i = 0; i < DEFAULT_CELLS; i++) {
        driver->cells[i].numCpus = DEFAULT_CPUS_PER_CELL;
        driver->cells[i].memKiB = (i + 1) * 2048 * 1024;
    }

    g_autoptr(xmlDoc) doc = vkXMLParseString(defaultNodeXML, "test driver", VK_TEST_ERR);
    return doc ? loadNode(driver, doc, NULL) : -1;
}

int vkTestLoadFile(vkTestDriver *driver, const char *path)
{
    g_autoptr(xmlDoc) doc = parseFile(path);

    return doc ? loadNode(driver, doc, path) : -1;
}

/* ---- capabilities ---- */

/* Page sizes (KiB) the test host offers; cell i's base pages are pageSizes[i == 1]. */
static const unsigned int pageSizes[] = { 4, 8, 2048, 1024 * 1024 };

static void formatCell(vkBuf *buf, const vkTestDriver *driver, size_t i)
{
    const vkTestCell *cell = &driver->cells[i];
    unsigned int basePage = pageSizes[i == 1 ? 1 : 0];
    unsigned int firstCpu = 0;

    for (size_t j = 0; j < i; j++)
        firstCpu += driver->cells[j].numCpus;

    vkBufAddf(buf, "<cell id='%zu'>\n", i);
    vkBufAdjustIndent(buf, 2);
    vkBufAddf(buf, "<memory unit='KiB'>%llu</memory>\n", cell->memKiB);
    vkBufAddf(buf, "<pages unit='KiB' size='%u'>%llu</pages>\n", basePage, cell->memKiB / basePage);
    for (size_t p = 2; p < G_N_ELEMENTS(pageSizes); p++)
        vkBufAddf(buf, "<pages unit='KiB' size='%u'>0</pages>\n", pageSizes[p]);
    vkBufAddf(buf, "<cpus num='%u'>\n", cell->numCpus);
    vkBufAdjustIndent(buf, 2);
    for (unsigned int c = 0; c < cell->numCpus; c++) {
        unsigned int id = firstCpu + c;
        vkBufAddf(buf, "<cpu id='%u' socket_id='%zu' die_id='0' core_id='%u' siblings='%u'/>\n", id,
                  i, c, id);
    }
    vkBufAdjustIndent(buf, -2);
    vkBufAddf(buf, "</cpus>\n");
    vkBufAdjustIndent(buf, -2);
    vkBufAddf(buf, "</cell>\n");
}

static void formatFeatures(vkBuf *buf)
{
    vkBufAddf(buf, "<features>\n");
    vkBufAdjustIndent(buf, 2);
    vkBufAddf(buf, "<pae/>\n");
    vkBufAddf(buf, "<nonpae/>\n");
    vkBufAdjustIndent(buf, -2);
    vkBufAddf(buf, "</features>\n");
}

static void formatHost(vkBuf *buf, const vkTestDriver *driver)
{
    vkBufAddf(buf, "<host>\n");
    vkBufAdjustIndent(buf, 2);
    vkBufAddf(buf, "<cpu>\n");
    vkBufAdjustIndent(buf, 2);
    vkBufAddf(buf, "<arch>i686</arch>\n");
    formatFeatures(buf);
    for (size_t p = 0; p < G_N_ELEMENTS(pageSizes); p++)
        vkBufAddf(buf, "<pages unit='KiB' size='%u'/>\n", pageSizes[p]);
    vkBufAdjustIndent(buf, -2);
    vkBufAddf(buf, "</cpu>\n");
    vkBufAddf(buf, "<power_management/>\n");
    vkBufAddf(buf, "<iommu support='no'/>\n");
    vkBufAddf(buf, "<topology>\n");
    vkBufAdjustIndent(buf, 2);
    vkBufAddf(buf, "<cells num='%zu'>\n", driver->ncells);
    vkBufAdjustIndent(buf, 2);
    for (size_t i = 0; i < driver->ncells; i++)
        formatCell(buf, driver, i);
    vkBufAdjustIndent(buf, -2);
    vkBufAddf(buf, "</cells>\n");
    vkBufAdjustIndent(buf, -2);
    vkBufAddf(buf, "</topology>\n");
    vkBufAddf(buf, "<secmodel>\n");
    vkBufAdjustIndent(buf, 2);
    vkBufAddf(buf, "<model>testSecurity</model>\n");
    vkBufAddf(buf, "<doi></doi>\n");
    vkBufAdjustIndent(buf, -2);
    vkBufAddf(buf, "</secmodel>\n");
    vkBufAdjustIndent(buf, -2);
    vkBufAddf(buf, "</host>\n\n");
}

static void formatGuest(vkBuf *buf, const char *osType)
{
    vkBufAddf(buf, "<guest>\n");
    vkBufAdjustIndent(buf, 2);
    vkBufAddf(buf, "<os_type>%s</os_type>\n", osType);
    vkBufAddf(buf, "<arch name='i686'>\n");
    vkBufAdjustIndent(buf, 2);
    vkBufAddf(buf, "<wordsize>32</wordsize>\n");
    vkBufAddf(buf, "<emulator>/usr/bin/test-hv</emulator>\n");
    vkBufAddf(buf, "<domain type='test'/>\n");
    vkBufAdjustIndent(buf, -2);
    vkBufAddf(buf, "</arch>\n");
    formatFeatures(buf);
    vkBufAdjustIndent(buf, -2);
    vkBufAddf(buf, "</guest>\n\n");
}

char *vkTestCapabilities(const vkTestDriver *driver)
{
    vkBuf buf;

    vkBufInit(&buf);
    vkBufAddf(&buf, "<capabilities>\n\n");
    vkBufAdjustIndent(&buf, 2);
    formatHost(&buf, driver);
    formatGuest(&buf, "hvm");
    formatGuest(&buf, "xen");
    vkBufAdjustIndent(&buf, -2);
    vkBufAddf(&buf, "</capabilities>\n");
    return vkBufFinish(&buf);
}

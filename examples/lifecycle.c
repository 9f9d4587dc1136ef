/* Example: define and start a network and a domain on the test driver, list them, dump their
 * XML, then tear everything down. Uses the public API only, exactly as a libvirt program would:
 * replace the include with <libvirt/libvirt.h> and link with -lvirt and it builds unchanged.
 *
 *   cc lifecycle.c $(pkg-config --cflags --libs virtkit) -o lifecycle
 *   ./lifecycle [URI]        (default: test:///default)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <virtkit/virtkit.h>

static const char networkXML[] = "<network>\n"
                                 "  <name>example-net</name>\n"
                                 "  <uuid>3e7c2d1a-9b8f-4a6e-8d5c-1f2e3d4c5b6a</uuid>\n"
                                 "  <forward mode='nat'/>\n"
                                 "  <bridge name='vkexample0'/>\n"
                                 "  <ip address='192.168.150.1' netmask='255.255.255.0'>\n"
                                 "    <dhcp>\n"
                                 "      <range start='192.168.150.2' end='192.168.150.254'/>\n"
                                 "    </dhcp>\n"
                                 "  </ip>\n"
                                 "</network>\n";

static const char domainXML[] = "<domain type='test'>\n"
                                "  <name>example</name>\n"
                                "  <uuid>c7a5fdbd-edaf-9455-926a-d65c16db1809</uuid>\n"
                                "  <memory unit='MiB'>512</memory>\n"
                                "  <vcpu>2</vcpu>\n"
                                "  <os>\n"
                                "    <type>hvm</type>\n"
                                "  </os>\n"
                                "  <devices>\n"
                                "    <interface type='network'>\n"
                                "      <mac address='52:54:00:aa:bb:01'/>\n"
                                "      <source network='example-net'/>\n"
                                "    </interface>\n"
                                "  </devices>\n"
                                "</domain>\n";

static const char *stateName(int state)
{
    switch (state) {
    case VIR_DOMAIN_RUNNING:
        return "running";
    case VIR_DOMAIN_PAUSED:
        return "paused";
    case VIR_DOMAIN_SHUTOFF:
        return "shut off";
    default:
        return "other";
    }
}

/* Failures are reported by die(); without a handler each would also be printed on stderr. */
static void quiet(void *data, virErrorPtr err)
{
    (void)data;
    (void)err;
}

/* Print the failing call and the library's message, and give up. */
static void die(const char *what)
{
    fprintf(stderr, "%s failed: %s\n", what, virGetLastErrorMessage());
    exit(1);
}

/* Listings come in no particular order; like virsh, show them by name. */
static int byDomainName(const void *a, const void *b)
{
    return strcmp(virDomainGetName(*(virDomainPtr const *)a),
                  virDomainGetName(*(virDomainPtr const *)b));
}

static int byNetworkName(const void *a, const void *b)
{
    return strcmp(virNetworkGetName(*(virNetworkPtr const *)a),
                  virNetworkGetName(*(virNetworkPtr const *)b));
}

static void listDomains(virConnectPtr conn)
{
    virDomainPtr *domains = NULL;
    int n = virConnectListAllDomains(conn, &domains, 0);

    if (n < 0)
        die("virConnectListAllDomains");
    qsort(domains, n, sizeof(*domains), byDomainName);
    printf("%-4s %-10s %s\n", "Id", "Name", "State");
    for (int i = 0; i < n; i++) {
        virDomainInfo info;
        int id = (int)virDomainGetID(domains[i]);

        if (virDomainGetInfo(domains[i], &info) < 0)
            die("virDomainGetInfo");
        if (id >= 0)
            printf("%-4d %-10s %s\n", id, virDomainGetName(domains[i]), stateName(info.state));
        else
            printf("%-4s %-10s %s\n", "-", virDomainGetName(domains[i]), stateName(info.state));
        virDomainFree(domains[i]);
    }
    free(domains);
}

static void listNetworks(virConnectPtr conn)
{
    virNetworkPtr *networks = NULL;
    int n = virConnectListAllNetworks(conn, &networks, 0);

    if (n < 0)
        die("virConnectListAllNetworks");
    qsort(networks, n, sizeof(*networks), byNetworkName);
    printf("%-12s %-8s %s\n", "Name", "State", "Bridge");
    for (int i = 0; i < n; i++) {
        char *bridge = virNetworkGetBridgeName(networks[i]);
        printf("%-12s %-8s %s\n", virNetworkGetName(networks[i]),
               virNetworkIsActive(networks[i]) == 1 ? "active" : "inactive", bridge ? bridge : "-");
        free(bridge);
        virNetworkFree(networks[i]);
    }
    free(networks);
}

int main(int argc, char **argv)
{
    const char *uri = argc > 1 ? argv[1] : "test:///default";
    unsigned long libVersion = 0;

    virSetErrorFunc(NULL, quiet);

    virConnectPtr conn = virConnectOpen(uri);
    if (!conn)
        die("virConnectOpen");
    if (virConnectGetLibVersion(conn, &libVersion) < 0)
        die("virConnectGetLibVersion");
    printf("Connected to %s (%s), API version %lu.%lu.%lu\n", uri, virConnectGetType(conn),
           libVersion / 1000000, libVersion / 1000 % 1000, libVersion % 1000);

    virNetworkPtr net = virNetworkDefineXML(conn, networkXML);
    if (!net || virNetworkCreate(net) < 0)
        die("defining and starting the network");
    printf("\nNetwork %s started\n", virNetworkGetName(net));

    virDomainPtr dom = virDomainDefineXML(conn, domainXML);
    if (!dom || virDomainCreate(dom) < 0)
        die("defining and starting the domain");
    printf("Domain %s started with id %u\n\n", virDomainGetName(dom), virDomainGetID(dom));

    listDomains(conn);
    printf("\n");
    listNetworks(conn);

    char *xml = virDomainGetXMLDesc(dom, 0);
    if (!xml)
        die("virDomainGetXMLDesc");
    printf("\n%s", xml);
    free(xml);
    xml = virNetworkGetXMLDesc(net, 0);
    if (!xml)
        die("virNetworkGetXMLDesc");
    printf("\n%s", xml);
    free(xml);

    if (virDomainDestroy(dom) < 0 || virDomainUndefine(dom) < 0)
        die("removing the domain");
    if (virNetworkDestroy(net) < 0 || virNetworkUndefine(net) < 0)
        die("removing the network");
    printf("\nCleaned up: %d domain(s), %d network(s) left\n", virConnectNumOfDomains(conn),
           virConnectNumOfNetworks(conn));

    virDomainFree(dom);
    virNetworkFree(net);
    virConnectClose(conn);
    return 0;
}

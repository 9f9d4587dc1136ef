/* A second process for the network driver's tests: runs one public API call on a connection
 * of its own, so that tests can race processes, kill one halfway, and read its stderr. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "virtkit/virtkit.h"

static int fail(const char *what)
{
    virErrorPtr err = virGetLastError();
    fprintf(stderr, "error: %s: %s\n", what, err ? err->message : "(no error)");
    return 1;
}

static int list(virConnectPtr conn)
{
    virNetworkPtr *nets = NULL;
    int n = virConnectListAllNetworks(conn, &nets, 0);

    if (n < 0)
        return fail("list");
    for (int i = 0; i < n; i++) {
        printf("%s %s %s\n", virNetworkGetName(nets[i]),
               virNetworkIsActive(nets[i]) == 1 ? "active" : "inactive",
               virNetworkIsPersistent(nets[i]) == 1 ? "persistent" : "transient");
        virNetworkFree(nets[i]);
    }
    free(nets);
    return 0;
}

static int onNetwork(virConnectPtr conn, const char *cmd, const char *name)
{
    virNetworkPtr net = virNetworkLookupByName(conn, name);
    int rc;

    if (!net)
        return fail("lookup");
    if (strcmp(cmd, "start") == 0)
        rc = virNetworkCreate(net);
    else if (strcmp(cmd, "destroy") == 0)
        rc = virNetworkDestroy(net);
    else
        rc = -2;
    /* Before virNetworkFree, which resets the thread's error. */
    if (rc == -1)
        rc = fail(cmd);
    else if (rc == -2)
        fprintf(stderr, "unknown command %s\n", cmd);
    virNetworkFree(net);
    return rc == -2 ? 2 : rc;
}

static void quiet(void *data, virErrorPtr err)
{
}

int main(int argc, char **argv)
{
    virConnectPtr conn;
    int rc;

    if (argc < 3) {
        fprintf(stderr, "usage: nethelper URI list | start NAME | destroy NAME\n");
        return 2;
    }
    /* Errors are printed by fail(), with the call that failed. */
    virSetErrorFunc(NULL, quiet);
    if (!(conn = virConnectOpen(argv[1])))
        return fail("open");
    if (strcmp(argv[2], "list") == 0)
        rc = list(conn);
    else if (argc == 4)
        rc = onNetwork(conn, argv[2], argv[3]);
    else
        rc = 2;
    virConnectClose(conn);
    return rc;
}

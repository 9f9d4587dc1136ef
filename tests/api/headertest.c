/* The error header on its own, as programs written for libvirt include <libvirt/virterror.h>:
 * it must compile by itself and bring the API it refers to. Nothing else is included here. */
#include <virtkit/virterror.h>

#include <stdio.h>

int main(void)
{
    virConnectPtr conn;
    virErrorPtr err;
    int failed = 0;

    printf("1..3\n");
    conn = virConnectOpen("test:///default");
    printf("%s 1 - a connection opens\n", conn ? "ok" : "not ok");
    failed |= !conn;
    if (conn && !virDomainLookupByName(conn, "no-such-domain")) {
        err = virGetLastError();
        printf("%s 2 - the lookup fails with VIR_ERR_NO_DOMAIN (42)\n",
               err && err->code == VIR_ERR_NO_DOMAIN && VIR_ERR_NO_DOMAIN == 42 ? "ok" : "not ok");
        failed |= !(err && err->code == VIR_ERR_NO_DOMAIN);
    } else {
        printf("not ok 2 - the lookup fails\n");
        failed = 1;
    }
    virResetLastError();
    printf("%s 3 - the error resets\n", virGetLastError() == NULL ? "ok" : "not ok");
    failed |= virGetLastError() != NULL;
    if (conn)
        virConnectClose(conn);
    return failed;
}

/* Benchmark: the network driver's listen address lookup (what a start does for each
 * <listen type='network'>), called N times in one process. Usage: bench_lookup URI NETWORK [N] */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "network/network_driver.h"
#include "util/vkerror.h"

static double nowMicroseconds(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e6 + (double)ts.tv_nsec / 1e3;
}

static int compareDoubles(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;

    return (x > y) - (x < y);
}

/* One lookup, its duration in microseconds in *US; on failure prints the error. */
static char *lookup(vkNetworkDriverState *state, const char *network, double *us)
{
    char *address = NULL;
    double start = nowMicroseconds();

    if (vkNetworkGetListenAddress(state, network, &address) < 0) {
        fprintf(stderr, "bench_lookup: %s\n", virGetLastErrorMessage());
        return NULL;
    }
    *us = nowMicroseconds() - start;
    return address;
}

int main(int argc, char **argv)
{
    long n = argc > 3 ? strtol(argv[3], NULL, 10) : 1000;
    g_autoptr(GError) err = NULL;
    g_autoptr(GUri) uri = NULL;
    g_autoptr(vkNetworkDriverState) state = NULL;
    g_autofree char *address = NULL;
    g_autofree double *times = NULL;
    double mean = 0;

    if (argc < 3 || n <= 0) {
        fprintf(stderr, "usage: %s URI NETWORK [ITERATIONS]\n", argv[0]);
        return 2;
    }
    if (!(uri = g_uri_parse(argv[1], G_URI_FLAGS_NONE, &err))) {
        fprintf(stderr, "bench_lookup: %s\n", err->message);
        return 1;
    }
    if (!(state = vkNetworkDriverStateNew(uri))) {
        fprintf(stderr, "bench_lookup: %s\n", virGetLastErrorMessage());
        return 1;
    }

    /* Warm the page cache and the allocator; fail early if the network cannot be resolved. */
    times = g_new0(double, n);
    for (int i = 0; i < 10; i++) {
        g_free(address);
        if (!(address = lookup(state, argv[2], &times[0])))
            return 1;
    }
    for (long i = 0; i < n; i++) {
        g_autofree char *again = lookup(state, argv[2], &times[i]);

        if (!again)
            return 1;
        mean += times[i];
    }
    qsort(times, n, sizeof(*times), compareDoubles);

    printf("address: %s\n", address);
    printf("lookups: %ld\n", n);
    printf("median: %.1f us\n", times[n / 2]);
    printf("p90: %.1f us\n", times[n * 9 / 10]);
    printf("mean: %.1f us\n", mean / n);
    return 0;
}

/* Benchmark: parse and format one domain XML N times (default 100,000) and print the cost of
 * a round trip in microseconds. Usage: bench_xml [N [FILE]] (FILE: bench/xml/domain-20dev.xml) */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "conf/domain_conf.h"
#include "util/vkerror.h"

static double nowSeconds(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* One parse + format; on failure prints the error and returns NULL. The two phases are
 * timed separately so that the report can say where the time goes. */
static char *roundTrip(const char *xml, double *parseTime, double *formatTime)
{
    double t0 = nowSeconds();
    g_autoptr(vkDomainDef) def = vkDomainDefParseString(xml, 0);
    double t1 = nowSeconds();
    char *out = NULL;

    if (!def) {
        fprintf(stderr, "bench_xml: parse failed: %s\n", virGetLastErrorMessage());
        return NULL;
    }
    out = vkDomainDefFormat(def, 0);
    *parseTime += t1 - t0;
    *formatTime += nowSeconds() - t1;
    if (!out)
        fprintf(stderr, "bench_xml: format failed: %s\n", virGetLastErrorMessage());
    return out;
}

int main(int argc, char **argv)
{
    const char *path = argc > 2 ? argv[2] : BENCH_XML_DEFAULT_FILE;
    long n = argc > 1 ? strtol(argv[1], NULL, 10) : 100000;
    g_autoptr(GError) err = NULL;
    g_autofree char *xml = NULL;
    double parseTime = 0, formatTime = 0, total;

    if (n <= 0) {
        fprintf(stderr, "usage: %s [ITERATIONS [FILE]]\n", argv[0]);
        return 2;
    }
    if (!g_file_get_contents(path, &xml, NULL, &err)) {
        fprintf(stderr, "bench_xml: %s\n", err->message);
        return 1;
    }

    /* Warm caches and the allocator, and fail early if the file does not round-trip. */
    for (int i = 0; i < 100; i++) {
        g_autofree char *out = roundTrip(xml, &parseTime, &formatTime);

        if (!out)
            return 1;
    }

    parseTime = formatTime = 0;
    total = nowSeconds();
    for (long i = 0; i < n; i++) {
        g_autofree char *out = roundTrip(xml, &parseTime, &formatTime);

        if (!out)
            return 1;
    }
    total = nowSeconds() - total;

    printf("file: %s (%zu bytes), %ld round trips in %.3f s\n", path, strlen(xml), n, total);
    printf("parse: %.3f us\n", parseTime * 1e6 / n);
    printf("format: %.3f us\n", formatTime * 1e6 / n);
    printf("round trip: %.3f us\n", total * 1e6 / n);
    return 0;
}

/* Formatting and parsing of the request line and of numeric addresses. */
#include "netproto.h"

#include <arpa/inet.h>
#include <errno.h>
#include <inttypes.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

size_t netproto_format_request(const struct netproto_request *r, char *buf, size_t len)
{
    int n = snprintf(buf, len, "GET %" PRIu64 " %ld %ld\n", r->index, r->kib, r->ms);
    return n < 0 ? 0 : (size_t)n;
}

/* One unsigned decimal field followed by sep; advances *p past both. */
static bool field(const char **p, char sep, uint64_t max, uint64_t *out)
{
    const char *s = *p;
    if (*s < '0' || *s > '9')
        return false;
    errno = 0;
    char *end;
    unsigned long long v = strtoull(s, &end, 10);
    if (errno != 0 || v > max || *end != sep)
        return false;
    *out = v;
    *p = end + (sep != '\0');
    return true;
}

bool netproto_parse_request(const char *line, struct netproto_request *r)
{
    if (strncmp(line, "GET ", 4) != 0)
        return false;
    const char *p = line + 4;
    uint64_t i, kib, ms;
    if (!field(&p, ' ', UINT64_MAX, &i) || !field(&p, ' ', NETPROTO_KIB_MAX, &kib) ||
        !field(&p, '\0', NETPROTO_MS_MAX, &ms))
        return false;
    r->index = i;
    r->kib = (long)kib;
    r->ms = (long)ms;
    return true;
}

bool netproto_address(const char *host, int port, struct sockaddr_storage *sa, socklen_t *len)
{
    memset(sa, 0, sizeof *sa);
    if (port < 0 || port > 65535)
        return false;
    struct sockaddr_in *v4 = (struct sockaddr_in *)sa;
    struct sockaddr_in6 *v6 = (struct sockaddr_in6 *)sa;
    if (inet_pton(AF_INET, host, &v4->sin_addr) == 1) {
        v4->sin_family = AF_INET;
        v4->sin_port = htons((uint16_t)port);
        *len = sizeof *v4;
        return true;
    }
    if (inet_pton(AF_INET6, host, &v6->sin6_addr) == 1) {
        v6->sin6_family = AF_INET6;
        v6->sin6_port = htons((uint16_t)port);
        *len = sizeof *v6;
        return true;
    }
    return false;
}

void netproto_format_address(const char *host, int port, char *buf, size_t len)
{
    if (strchr(host, ':') != NULL)
        snprintf(buf, len, "[%s]:%d", host, port);
    else
        snprintf(buf, len, "%s:%d", host, port);
}

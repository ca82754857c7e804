/* Parsing and formatting of loop schedules (OpenMP's OMP_SCHEDULE syntax). */
#include "schedule.h"

#include "parse.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

static const char *const kind_names[] = {
    [SCHED_STATIC] = "static",
    [SCHED_DYNAMIC] = "dynamic",
    [SCHED_GUIDED] = "guided",
};

const char *schedule_kind_name(enum sched_kind kind)
{
    return kind_names[kind];
}

/* Copies text[from, to) into buf without the spaces around it. */
static bool trimmed(const char *from, const char *to, char *buf, size_t len)
{
    while (from < to && (*from == ' ' || *from == '\t'))
        from++;
    while (to > from && (to[-1] == ' ' || to[-1] == '\t'))
        to--;
    size_t n = (size_t)(to - from);
    if (n == 0 || n >= len)
        return false;
    memcpy(buf, from, n);
    buf[n] = '\0';
    return true;
}

bool schedule_parse(const char *text, struct schedule *out)
{
    if (text == NULL)
        return false;
    const char *end = text + strlen(text);
    const char *comma = strchr(text, ',');
    const char *kind_end = comma != NULL ? comma : end;

    char kind[32];
    if (!trimmed(text, kind_end, kind, sizeof kind))
        return false;
    struct schedule s = { .chunk = 0 };
    size_t k;
    for (k = 0; k < sizeof kind_names / sizeof kind_names[0]; k++)
        if (strcasecmp(kind, kind_names[k]) == 0)
            break;
    if (k == sizeof kind_names / sizeof kind_names[0])
        return false;
    s.kind = (enum sched_kind)k;

    if (comma != NULL) {
        char chunk[32];
        if (!trimmed(comma + 1, end, chunk, sizeof chunk) ||
            !parse_long(chunk, 1, SCHEDULE_CHUNK_MAX, &s.chunk))
            return false;
    }
    *out = s;
    return true;
}

void schedule_format(const struct schedule *s, char *buf, size_t len)
{
    if (s->chunk > 0)
        snprintf(buf, len, "%s:%ld", kind_names[s->kind], s->chunk);
    else
        snprintf(buf, len, "%s", kind_names[s->kind]);
}

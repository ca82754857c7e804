/* OMP_PROC_BIND and OMP_PLACES read as libgomp's parser reads them (libomp takes the same
 * values): names in any case, spaces allowed between the parts. */
#include "ompplace.h"

#include <ctype.h>
#include <stddef.h>
#include <string.h>
#include <strings.h>

static const char *skip_space(const char *p)
{
    while (isspace((unsigned char)*p))
        p++;
    return p;
}

/* Matches one of names at p, not followed by a letter; returns the text after it. */
static const char *match_word(const char *p, const char *const *names)
{
    for (; *names != NULL; names++) {
        size_t len = strlen(*names);
        if (strncasecmp(p, *names, len) == 0 && !isalpha((unsigned char)p[len]))
            return p + len;
    }
    return NULL;
}

typedef const char *item_fn(const char *p);

/* "item, item, ..." up to the character end ('\0': the end of the text); returns the
 * text at end, or NULL. */
static const char *comma_list(const char *p, item_fn *item, char end)
{
    for (;;) {
        p = item(p);
        if (p == NULL)
            return NULL;
        p = skip_space(p);
        if (*p == end)
            return p;
        if (*p != ',')
            return NULL;
        p++;
    }
}

static const char *bind_policy(const char *p)
{
    static const char *const policies[] = { "primary", "master", "close", "spread", NULL };
    return match_word(skip_space(p), policies);
}

bool ompplace_parse_proc_bind(const char *text, bool *is_false)
{
    static const char *const alone_true[] = { "true", NULL };
    static const char *const alone_false[] = { "false", NULL };
    const char *p = skip_space(text);
    const char *end;
    *is_false = false;
    if ((end = match_word(p, alone_true)) != NULL || (end = match_word(p, alone_false)) != NULL) {
        *is_false = tolower((unsigned char)*p) == 'f';
        return *skip_space(end) == '\0';
    }
    return comma_list(p, bind_policy, '\0') != NULL;
}

/* An unsigned number (a PU index or a count); NULL when there is none, or a count is 0. */
static const char *number(const char *p, bool positive)
{
    p = skip_space(p);
    if (!isdigit((unsigned char)*p))
        return NULL;
    bool zero = true;
    for (; isdigit((unsigned char)*p); p++)
        zero = zero && *p == '0';
    return positive && zero ? NULL : p;
}

/* An optional ":count" or ":count:stride" after a PU or a place; stride may be negative. */
static const char *interval(const char *p)
{
    p = skip_space(p);
    if (*p != ':')
        return p;
    p = number(p + 1, true);
    if (p == NULL)
        return NULL;
    p = skip_space(p);
    if (*p != ':')
        return p;
    p = skip_space(p + 1);
    if (*p == '-')
        p++;
    return number(p, false);
}

/* "!N", or "N" with an optional interval, inside a place. */
static const char *resource(const char *p)
{
    p = skip_space(p);
    if (*p == '!')
        return number(p + 1, false);
    p = number(p, false);
    return p != NULL ? interval(p) : NULL;
}

/* "{res,res,...}" with an optional interval, or "!{...}" without one. */
static const char *place(const char *p)
{
    p = skip_space(p);
    bool excluded = *p == '!';
    if (excluded)
        p = skip_space(p + 1);
    if (*p != '{' || (p = comma_list(p + 1, resource, '}')) == NULL)
        return NULL;
    p++;
    return excluded ? p : interval(p);
}

bool ompplace_parse_places(const char *text)
{
    static const char *const names[] = { "threads", "cores", "sockets", "ll_caches",
                                         "numa_domains", NULL };
    const char *p = skip_space(text);
    const char *end = match_word(p, names);
    if (end != NULL) {
        p = skip_space(end);
        if (*p == '(') {
            p = number(p + 1, true);
            if (p == NULL || *(p = skip_space(p)) != ')')
                return false;
            p++;
        }
        return *skip_space(p) == '\0';
    }
    return comma_list(p, place, '\0') != NULL;
}

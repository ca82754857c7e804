/* Recursive descent over RFC 8259's grammar; depth is bounded so that a hostile file
 * cannot exhaust the stack. */
#include "json.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define JSON_DEPTH_MAX 64

struct reader {
    const char *text, *p;
    int depth;
};

static void skip_ws(struct reader *r)
{
    r->p += strspn(r->p, " \t\r\n");
}

static bool literal(struct reader *r, const char *word)
{
    size_t len = strlen(word);
    if (strncmp(r->p, word, len) != 0)
        return false;
    r->p += len;
    return true;
}

static int hex4(const char *p)
{
    int v = 0;
    for (int k = 0; k < 4; k++) {
        int c = p[k], d = c >= '0' && c <= '9' ? c - '0'
                        : c >= 'a' && c <= 'f' ? c - 'a' + 10
                        : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
        if (d < 0)
            return -1;
        v = v * 16 + d;
    }
    return v;
}

/* Appends code point cp as UTF-8. */
static char *put_utf8(char *o, unsigned cp)
{
    if (cp < 0x80) {
        *o++ = (char)cp;
    } else if (cp < 0x800) {
        *o++ = (char)(0xc0 | cp >> 6);
        *o++ = (char)(0x80 | (cp & 0x3f));
    } else if (cp < 0x10000) {
        *o++ = (char)(0xe0 | cp >> 12);
        *o++ = (char)(0x80 | (cp >> 6 & 0x3f));
        *o++ = (char)(0x80 | (cp & 0x3f));
    } else {
        *o++ = (char)(0xf0 | cp >> 18);
        *o++ = (char)(0x80 | (cp >> 12 & 0x3f));
        *o++ = (char)(0x80 | (cp >> 6 & 0x3f));
        *o++ = (char)(0x80 | (cp & 0x3f));
    }
    return o;
}

/* A string at r->p (on its opening quote); NULL on a syntax error or no memory. */
static char *string(struct reader *r)
{
    const char *p = r->p + 1;
    char *out = malloc(strlen(p) + 1), *o = out; /* unescaping only shrinks */
    if (out == NULL)
        return NULL;
    for (;;) {
        unsigned char c = (unsigned char)*p++;
        if (c == '"')
            break;
        if (c < 0x20) {
            free(out);
            return NULL;
        }
        if (c != '\\') {
            *o++ = (char)c;
            continue;
        }
        const char *esc = strchr("\"\\/bfnrtu", *p);
        if (*p == '\0' || esc == NULL) {
            free(out);
            return NULL;
        }
        if (*p != 'u') {
            *o++ = "\"\\/\b\f\n\r\t"[esc - "\"\\/bfnrtu"];
            p++;
            continue;
        }
        int cp = hex4(p + 1);
        p += 5;
        if (cp >= 0xd800 && cp < 0xdc00 && p[0] == '\\' && p[1] == 'u') {
            int low = hex4(p + 2);
            if (low >= 0xdc00 && low < 0xe000) {
                cp = 0x10000 + ((cp - 0xd800) << 10) + (low - 0xdc00);
                p += 6;
            }
        }
        if (cp < 0) {
            free(out);
            return NULL;
        }
        o = put_utf8(o, (unsigned)cp);
    }
    *o = '\0';
    r->p = p;
    return out;
}

static bool value(struct reader *r, struct json *j);

static bool push(struct json *j, size_t *cap)
{
    if (j->n < *cap)
        return true;
    size_t ncap = *cap ? 2 * *cap : 4;
    struct json *items = realloc(j->items, ncap * sizeof *items);
    if (items == NULL)
        return false;
    j->items = items;
    if (j->type == JSON_OBJECT) {
        char **keys = realloc(j->keys, ncap * sizeof *keys);
        if (keys == NULL)
            return false;
        j->keys = keys;
    }
    *cap = ncap;
    return true;
}

/* An array or object at r->p (on its opening bracket); close is ']' or '}'. */
static bool members(struct reader *r, struct json *j, char close)
{
    size_t cap = 0;
    r->p++;
    skip_ws(r);
    if (*r->p == close) {
        r->p++;
        return true;
    }
    for (;;) {
        if (!push(j, &cap))
            return false;
        char *key = NULL;
        if (close == '}') {
            skip_ws(r);
            if (*r->p != '"' || (key = string(r)) == NULL)
                return false;
            skip_ws(r);
            if (*r->p++ != ':') {
                free(key);
                return false;
            }
            j->keys[j->n] = key;
        }
        j->items[j->n] = (struct json){ .type = JSON_NULL };
        j->n++;
        if (!value(r, &j->items[j->n - 1]))
            return false;
        skip_ws(r);
        if (*r->p == close) {
            r->p++;
            return true;
        }
        if (*r->p++ != ',')
            return false;
    }
}

static const char *digits(const char *p)
{
    const char *start = p;
    p += strspn(p, "0123456789");
    return p > start ? p : NULL;
}

/* JSON's grammar, stricter than strtod's (no hex, inf, nan, '+' or bare '.'), then strtod
 * for the value. */
static bool number(struct reader *r, struct json *j)
{
    const char *p = r->p;
    if (*p == '-')
        p++;
    p = digits(p);
    if (p != NULL && *p == '.')
        p = digits(p + 1);
    if (p != NULL && (*p == 'e' || *p == 'E')) {
        p++;
        if (*p == '+' || *p == '-')
            p++;
        p = digits(p);
    }
    if (p == NULL)
        return false;
    j->number = strtod(r->p, NULL);
    j->type = JSON_NUMBER;
    r->p = p;
    return isfinite(j->number);
}

static bool value(struct reader *r, struct json *j)
{
    skip_ws(r);
    if (++r->depth > JSON_DEPTH_MAX)
        return false;
    bool ok;
    switch (*r->p) {
    case '{': j->type = JSON_OBJECT; ok = members(r, j, '}'); break;
    case '[': j->type = JSON_ARRAY; ok = members(r, j, ']'); break;
    case '"':
        j->string = string(r);
        j->type = JSON_STRING;
        ok = j->string != NULL;
        break;
    case 't': ok = literal(r, "true"); j->type = JSON_BOOL; j->boolean = true; break;
    case 'f': ok = literal(r, "false"); j->type = JSON_BOOL; break;
    case 'n': ok = literal(r, "null"); break;
    default: ok = number(r, j);
    }
    r->depth--;
    return ok;
}

static void free_members(struct json *j)
{
    for (size_t i = 0; i < j->n; i++) {
        free_members(&j->items[i]);
        if (j->type == JSON_OBJECT)
            free(j->keys[i]);
    }
    free(j->items);
    free(j->keys);
    free(j->string);
}

void json_free(struct json *j)
{
    if (j == NULL)
        return;
    free_members(j);
    free(j);
}

int json_parse(const char *text, const char *name, struct json **out, struct error *e)
{
    struct json *j = calloc(1, sizeof *j);
    if (j == NULL)
        return error_set(e, ERR_RUN, "out of memory");
    struct reader r = { .text = text, .p = text };
    bool ok = value(&r, j);
    if (ok) {
        skip_ws(&r);
        ok = *r.p == '\0';
    }
    if (!ok) {
        json_free(j);
        return error_set(e, ERR_USAGE, "%s: not valid JSON (at byte %td)", name, r.p - text);
    }
    *out = j;
    return ERR_OK;
}

const struct json *json_get(const struct json *j, const char *key)
{
    if (j == NULL || j->type != JSON_OBJECT)
        return NULL;
    for (size_t i = 0; i < j->n; i++)
        if (strcmp(j->keys[i], key) == 0)
            return &j->items[i];
    return NULL;
}

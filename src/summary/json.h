/* A small, strict JSON reader for the files bench-summary reads (the runner's meta.json
 * and the binaries' --list --format json): the whole document becomes a tree. */
#ifndef BENCH_JSON_H
#define BENCH_JSON_H

#include "error.h"

#include <stdbool.h>
#include <stddef.h>

enum json_type { JSON_NULL, JSON_BOOL, JSON_NUMBER, JSON_STRING, JSON_ARRAY, JSON_OBJECT };

struct json {
    enum json_type type;
    bool boolean;
    double number;
    char *string;        /* JSON_STRING, unescaped (\u escapes as UTF-8) */
    size_t n;            /* JSON_ARRAY, JSON_OBJECT: items */
    struct json *items;
    char **keys;         /* JSON_OBJECT: items[i]'s key */
};

/* Parses text; ERR_USAGE naming name and the byte offset of the first error. */
int json_parse(const char *text, const char *name, struct json **out, struct error *e);
void json_free(struct json *j);

/* The member key of an object, or NULL (also when j is not an object). */
const struct json *json_get(const struct json *j, const char *key);

#endif

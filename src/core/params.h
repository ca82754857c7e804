/* Workload parameters (-p NAME=VALUE): each workload declares a table of specs, and the
 * values are checked against it once, before anything runs. */
#ifndef BENCH_PARAMS_H
#define BENCH_PARAMS_H

#include "error.h"

#include <stdbool.h>
#include <stddef.h>

enum param_type {
    PARAM_INT,    /* a decimal integer in [min, max] */
    PARAM_CHOICE, /* one of choices (a NULL-terminated list) */
    PARAM_TEXT,   /* free text without , ; " = or spaces, so it fits a CSV field */
};

struct param_spec {
    const char *name;
    enum param_type type;
    const char *def;
    long min, max;
    bool automatic; /* PARAM_INT: "auto" is accepted too, and read as 0 (min > 0) */
    const char *const *choices;
    const char *help;
};

#define PARAMS_MAX 8

struct param_values {
    const struct param_spec *spec;
    size_t n;
    char text[PARAMS_MAX][256];
    long num[PARAMS_MAX]; /* PARAM_INT: the value (0 for auto); PARAM_CHOICE: its index */
};

/* Fills v with the defaults of spec. */
void params_init(struct param_values *v, const struct param_spec *spec, size_t n);

/* Applies one "name=value" assignment; ERR_USAGE naming -p and what is accepted. */
int params_set(struct param_values *v, const char *workload, const char *assignment,
               struct error *e);

long params_int(const struct param_values *v, const char *name);
const char *params_text(const struct param_values *v, const char *name);

/* Writes every parameter as name=value;name=value, in the spec's order. */
void params_format(const struct param_values *v, char *buf, size_t len);

/* Writes what the parameter accepts ("an integer from 0 to 60000", "uniform|linear"). */
void params_describe(const struct param_spec *s, char *buf, size_t len);

#endif

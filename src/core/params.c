/* Checking and formatting of workload parameters against their specs. */
#include "params.h"

#include "parse.h"

#include <stdio.h>
#include <string.h>

static int find(const struct param_values *v, const char *name, size_t len)
{
    for (size_t k = 0; k < v->n; k++)
        if (strlen(v->spec[k].name) == len && strncmp(v->spec[k].name, name, len) == 0)
            return (int)k;
    return -1;
}

void params_describe(const struct param_spec *s, char *buf, size_t len)
{
    switch (s->type) {
    case PARAM_INT:
        if (s->automatic) {
            size_t used = (size_t)snprintf(buf, len, "auto or ");
            if (used < len)
                parse_describe_long(s->min, s->max, buf + used, len - used);
        } else {
            parse_describe_long(s->min, s->max, buf, len);
        }
        break;
    case PARAM_CHOICE: {
        size_t used = 0;
        buf[0] = '\0';
        for (const char *const *c = s->choices; *c != NULL && used < len; c++)
            used += (size_t)snprintf(buf + used, len - used, "%s%s",
                                     c == s->choices ? "" : "|", *c);
        break;
    }
    case PARAM_TEXT:
        snprintf(buf, len, "text without spaces, commas, semicolons, quotes, backslashes or '='");
        break;
    }
}

/* Checks value against spec k and stores it; false when it does not fit. */
static bool store(struct param_values *v, size_t k, const char *value)
{
    const struct param_spec *s = &v->spec[k];
    if (strlen(value) >= sizeof v->text[k] || value[0] == '\0')
        return false;
    switch (s->type) {
    case PARAM_INT:
        if (s->automatic && strcmp(value, "auto") == 0)
            v->num[k] = 0;
        else if (!parse_long(value, s->min, s->max, &v->num[k]))
            return false;
        break;
    case PARAM_CHOICE: {
        long idx = 0;
        const char *const *c = s->choices;
        for (; *c != NULL; c++, idx++)
            if (strcmp(*c, value) == 0)
                break;
        if (*c == NULL)
            return false;
        v->num[k] = idx;
        break;
    }
    case PARAM_TEXT:
        if (strpbrk(value, ",;\"\\= \t\n") != NULL)
            return false;
        break;
    }
    strcpy(v->text[k], value); /* length checked above */
    return true;
}

void params_init(struct param_values *v, const struct param_spec *spec, size_t n)
{
    memset(v, 0, sizeof *v);
    v->spec = spec;
    v->n = n < PARAMS_MAX ? n : PARAMS_MAX;
    for (size_t k = 0; k < v->n; k++)
        store(v, k, spec[k].def);
}

int params_set(struct param_values *v, const char *workload, const char *assignment,
               struct error *e)
{
    const char *eq = strchr(assignment, '=');
    if (eq == NULL || eq == assignment) {
        return error_set(e, ERR_USAGE, "-p: expected NAME=VALUE, got '%s'", assignment);
    }
    int k = find(v, assignment, (size_t)(eq - assignment));
    if (k < 0) {
        char names[256] = "";
        size_t used = 0;
        for (size_t j = 0; j < v->n && used < sizeof names; j++)
            used += (size_t)snprintf(names + used, sizeof names - used, "%s%s",
                                     j ? ", " : "", v->spec[j].name);
        return error_set(e, ERR_USAGE, "-p: %s has no parameter '%.*s' (it has: %s)",
                         workload, (int)(eq - assignment), assignment,
                         v->n ? names : "none");
    }
    if (!store(v, (size_t)k, eq + 1)) {
        char accepts[256];
        params_describe(&v->spec[k], accepts, sizeof accepts);
        return error_set(e, ERR_USAGE, "-p %s: expected %s, got '%s'", v->spec[k].name,
                         accepts, eq + 1);
    }
    return ERR_OK;
}

long params_int(const struct param_values *v, const char *name)
{
    int k = find(v, name, strlen(name));
    return k < 0 ? 0 : v->num[k];
}

const char *params_text(const struct param_values *v, const char *name)
{
    int k = find(v, name, strlen(name));
    return k < 0 ? "" : v->text[k];
}

void params_format(const struct param_values *v, char *buf, size_t len)
{
    size_t used = 0;
    buf[0] = '\0';
    for (size_t k = 0; k < v->n && used < len; k++)
        used += (size_t)snprintf(buf + used, len - used, "%s%s=%s", k ? ";" : "",
                                 v->spec[k].name, v->text[k]);
    if (v->n == 0)
        snprintf(buf, len, "-");
}

/* One table of the variables the binaries read: what each accepts, what it means, and
 * how its value is stored. env_read, env_guard and --help all walk it. */
#include "env.h"

#include "helptext.h"
#include "interference.h"
#include "ompplace.h"
#include "parse.h"
#include "policy.h"

#include <stdlib.h>
#include <string.h>

#define ENV_STR2(x) #x
#define ENV_STR(x) ENV_STR2(x)

struct env_var {
    const char *name;
    bool runtime_reads; /* an OpenMP runtime reads it too: env_guard checks it */
    const char *accepts; /* NULL: the runtime's own syntax, recorded but not checked */
    const char *meaning;
    /* Stores a non-empty value into out; ERR_USAGE through refuse() for a bad one. */
    int (*store)(const struct env_var *v, const char *value, struct env *out,
                 struct error *e);
};

static int refuse(const struct env_var *v, const char *value, struct error *e)
{
    return error_set(e, ERR_USAGE, "%s: expected %s, got '%s'", v->name, v->accepts, value);
}

/* As libgomp: items separated by commas, spaces allowed around each number; every item
 * must be valid, and the first is the team size of the outermost level. */
static int store_threads(const struct env_var *v, const char *value, struct env *out,
                         struct error *e)
{
    const char *p = value;
    bool first = true;
    for (;;) {
        p += strspn(p, " \t");
        size_t len = strspn(p, "0123456789");
        char num[24];
        long n;
        if (len == 0 || len >= sizeof num)
            return refuse(v, value, e);
        memcpy(num, p, len);
        num[len] = '\0';
        if (!parse_long(num, 1, THREADS_MAX, &n))
            return refuse(v, value, e);
        if (first)
            out->threads = n;
        first = false;
        p += len;
        p += strspn(p, " \t");
        if (*p == '\0')
            return ERR_OK;
        if (*p != ',')
            return refuse(v, value, e);
        p++;
    }
}

static int store_schedule(const struct env_var *v, const char *value, struct env *out,
                          struct error *e)
{
    return schedule_parse(value, &out->schedule) ? ERR_OK : refuse(v, value, e);
}

static int store_proc_bind(const struct env_var *v, const char *value, struct env *out,
                           struct error *e)
{
    bool is_false;
    (void)out;
    return ompplace_parse_proc_bind(value, &is_false) ? ERR_OK : refuse(v, value, e);
}

static int store_places(const struct env_var *v, const char *value, struct env *out,
                        struct error *e)
{
    (void)out;
    return ompplace_parse_places(value) ? ERR_OK : refuse(v, value, e);
}

static int store_wait_policy(const struct env_var *v, const char *value, struct env *out,
                             struct error *e)
{
    return waitpolicy_parse(value, &out->wait_policy) ? ERR_OK : refuse(v, value, e);
}

/* -b's words for a bad value, its PUs checked against the machine's. */
static int store_bind(const struct env_var *v, const char *value, struct env *out,
                      struct error *e)
{
    return policy_accept(v->name, value, &out->bind, e);
}

static int store_spincount(const struct env_var *v, const char *value, struct env *out,
                           struct error *e)
{
    return waitpolicy_parse_spincount(value, &out->spincount) ? ERR_OK
                                                              : refuse(v, value, e);
}

#define FOREIGN_LIMIT_MIN 0.001
#define FOREIGN_LIMIT_MAX 10

static int store_foreign_limit(const struct env_var *v, const char *value, struct env *out,
                               struct error *e)
{
    return parse_double(value, FOREIGN_LIMIT_MIN, FOREIGN_LIMIT_MAX, &out->foreign_limit)
               ? ERR_OK
               : refuse(v, value, e);
}

static int store_counters(const struct env_var *v, const char *value, struct env *out,
                          struct error *e)
{
    return counters_parse_level(value, &out->counters) ? ERR_OK : refuse(v, value, e);
}

static const struct env_var vars[ENV_COUNT] = {
    [ENV_OMP_NUM_THREADS] = { "OMP_NUM_THREADS", true,
      "an integer from 1 to " ENV_STR(THREADS_MAX) ", or a comma-separated list of them",
      "threads when -t is not given (of a list, the first)", store_threads },
    [ENV_OMP_SCHEDULE] = { "OMP_SCHEDULE", true, SCHEDULE_ACCEPTS, "schedule when -s is not given",
      store_schedule },
    [ENV_OMP_PROC_BIND] = { "OMP_PROC_BIND", true, OMPPLACE_PROC_BIND_ACCEPTS,
      "bench-omp: unless false, the OpenMP runtime places the threads, and -b must be none",
      store_proc_bind },
    [ENV_OMP_PLACES] = { "OMP_PLACES", true, OMPPLACE_PLACES_ACCEPTS,
      "bench-omp: the OpenMP runtime places the threads, and -b must be none",
      store_places },
    [ENV_GOMP_CPU_AFFINITY] = { "GOMP_CPU_AFFINITY", false, NULL, "bench-omp: as OMP_PLACES (libgomp's syntax)", NULL },
    [ENV_KMP_AFFINITY] = { "KMP_AFFINITY", false, NULL, "bench-omp: as OMP_PLACES (libomp's syntax)", NULL },
    [ENV_OMP_WAIT_POLICY] = { "OMP_WAIT_POLICY", true, WAITPOLICY_ACCEPTS,
      "idle threads of the pool and of the OpenMP runtimes: passive ones sleep at once, "
      "active ones never",
      store_wait_policy },
    [ENV_BENCH_BIND] = { "BENCH_BIND", false, AFFINITY_ACCEPTS, "pinning when -b is not given", store_bind },
    [ENV_BENCH_SPINCOUNT] = { "BENCH_SPINCOUNT", false, SPINCOUNT_ACCEPTS,
      "bench-pthread: polls before an idle pool thread sleeps (GOMP_SPINCOUNT's meaning; "
      "default 300k); wins over OMP_WAIT_POLICY",
      store_spincount },
    [ENV_BENCH_FOREIGN_LIMIT] = { "BENCH_FOREIGN_LIMIT", false,
      "a fraction of the spare CPUs, a number from " ENV_STR(FOREIGN_LIMIT_MIN) " to "
      ENV_STR(FOREIGN_LIMIT_MAX),
      "a repetition is marked disturbed when foreign CPU and steal exceed this share of the "
      "CPUs the run left spare (default " ENV_STR(INTERFERENCE_LIMIT_DEFAULT) ")",
      store_foreign_limit },
    [ENV_BENCH_COUNTERS] = { "BENCH_COUNTERS", false, COUNTERS_ACCEPTS,
      "kernel counters per repetition when --counters is not given (default software, "
      "except none for noop)",
      store_counters },
};
#define NVARS ENV_COUNT

/* The value of name in envp, as getenv would find it; NULL when unset. */
static const char *lookup(char *const *envp, const char *name)
{
    size_t len = strlen(name);
    for (; envp != NULL && *envp != NULL; envp++)
        if (strncmp(*envp, name, len) == 0 && (*envp)[len] == '=')
            return *envp + len + 1;
    return NULL;
}

/* The variables that hand placement to the OpenMP runtime, CSV-safe, or "" when none
 * does: OMP_PROC_BIND=false alone leaves the threads where -b puts them. libomp still
 * binds under OMP_PROC_BIND=false when OMP_PLACES or an affinity variable is set, so
 * with any of them the runtime is taken to place the threads. */
static void note_runtime_places(char *const *envp, struct env *out)
{
    static const char *const placing[] = { "OMP_PROC_BIND", "OMP_PLACES", "GOMP_CPU_AFFINITY",
                                           "KMP_AFFINITY" };
    char *buf = out->runtime_places;
    size_t len = sizeof out->runtime_places, used = 0;
    bool places = false;
    buf[0] = '\0';
    for (size_t k = 0; k < sizeof placing / sizeof placing[0]; k++) {
        const char *value = lookup(envp, placing[k]);
        if (value == NULL || value[0] == '\0')
            continue;
        bool is_false = false;
        if (k > 0 || !ompplace_parse_proc_bind(value, &is_false) || !is_false)
            places = true;
        int n = snprintf(buf + used, len - used, "%s%s=%s", used ? "+" : "", placing[k], value);
        if (n > 0)
            used = used + (size_t)n < len ? used + (size_t)n : len - 1;
    }
    if (!places) {
        buf[0] = '\0';
        return;
    }
    /* Values such as OMP_PLACES="{0,1},{2,3}" must not break a CSV field. */
    for (char *c = buf; *c != '\0'; c++) {
        if (*c == ',')
            *c = ';';
        else if (strchr("\"'\\ \t\n\r", *c) != NULL)
            *c = '_';
    }
}

int env_read(char *const *envp, struct env *out, struct error *e)
{
    *out = (struct env){ .spincount = -1, .foreign_limit = INTERFERENCE_LIMIT_DEFAULT };
    for (size_t k = 0; k < NVARS; k++) {
        const char *value = lookup(envp, vars[k].name);
        if (value == NULL || value[0] == '\0' || vars[k].store == NULL)
            continue;
        int rc = vars[k].store(&vars[k], value, out, e);
        if (rc != ERR_OK)
            return rc;
        out->set[k] = true;
    }
    note_runtime_places(envp, out);
    return ERR_OK;
}

int env_guard(char **envp, struct error *e)
{
    struct env scratch = { .spincount = -1 };
    for (size_t k = 0; k < NVARS; k++) {
        const char *value = lookup(envp, vars[k].name);
        if (value == NULL || value[0] == '\0' || !vars[k].runtime_reads)
            continue;
        int rc = vars[k].store(&vars[k], value, &scratch, e);
        if (rc != ERR_OK)
            return rc;
    }
    char **to = envp;
    for (char **from = envp; envp != NULL && *from != NULL; from++) {
        bool empty = false;
        for (size_t k = 0; k < NVARS && !empty; k++) {
            size_t len = strlen(vars[k].name);
            empty = strncmp(*from, vars[k].name, len) == 0 && strcmp(*from + len, "=") == 0;
        }
        if (!empty)
            *to++ = *from;
    }
    if (envp != NULL)
        *to = NULL;
    return ERR_OK;
}

void env_print_help(FILE *f)
{
    fprintf(f, "Environment (a flag wins over its variable, but a bad value is refused even\n"
               "then; an empty value counts as unset):\n");
    for (size_t k = 0; k < NVARS; k++) {
        char text[512];
        if (vars[k].accepts != NULL)
            snprintf(text, sizeof text, "%s; accepts %s", vars[k].meaning, vars[k].accepts);
        else
            snprintf(text, sizeof text, "%s", vars[k].meaning);
        helptext_item(f, vars[k].name, text);
    }
}

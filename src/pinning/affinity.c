/* Pinning policies turned into cpusets, and binding through hwloc. Every policy works on
 * the PUs of the loaded topology, which hwloc has already cut down to the allowed cpuset
 * (a taskset, a container), so a restricted machine is simply a smaller machine. */
#include "affinity.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Higher PU indexes cannot exist on any machine hwloc runs on today; the cap keeps a
 * typo such as 0-4000000000 from building a gigantic bitmap. */
#define PU_INDEX_MAX 1048575UL

struct affinity_plan {
    hwloc_topology_t topo;
    enum affinity_kind kind;
    unsigned nthreads;
    hwloc_cpuset_t sets[];
};

static const struct {
    const char *name;
    enum affinity_kind kind;
} policy_names[] = {
    { "none", AFFINITY_NONE },       { "core", AFFINITY_CORE },
    { "pu", AFFINITY_PU },           { "compact", AFFINITY_COMPACT },
    { "spread", AFFINITY_SPREAD },
};

/* One item of a PU list: "N" or "N-M". Returns the text after it, or NULL. */
static const char *parse_item(const char *p, unsigned long *lo, unsigned long *hi)
{
    unsigned long v[2] = { 0, 0 };
    for (int k = 0; k < 2; k++) {
        if (*p < '0' || *p > '9')
            return NULL;
        while (*p >= '0' && *p <= '9') {
            v[k] = v[k] * 10 + (unsigned long)(*p - '0');
            if (v[k] > PU_INDEX_MAX)
                v[k] = PU_INDEX_MAX + 1; /* saturate: reported as a PU that does not exist */
            p++;
        }
        if (k == 0 && *p != '-') {
            v[1] = v[0];
            break;
        }
        if (k == 0)
            p++;
    }
    *lo = v[0];
    *hi = v[1];
    return p;
}

int affinity_parse(const char *text, struct affinity_policy *out, struct error *e)
{
    for (size_t k = 0; k < sizeof policy_names / sizeof policy_names[0]; k++) {
        if (strcmp(text, policy_names[k].name) == 0) {
            *out = (struct affinity_policy){ .kind = policy_names[k].kind };
            return ERR_OK;
        }
    }
    if (*text == '\0')
        return error_set(e, ERR_USAGE, "empty policy");
    if (*text < '0' || *text > '9')
        return error_set(e, ERR_USAGE, "unknown policy '%s'", text);
    const char *p = text;
    for (;;) {
        unsigned long lo, hi;
        const char *next = parse_item(p, &lo, &hi);
        if (next == NULL || (*next != ',' && *next != '\0'))
            return error_set(e, ERR_USAGE, "malformed PU list '%s'", text);
        if (lo > hi)
            return error_set(e, ERR_USAGE, "PU range %lu-%lu in '%s' runs backwards", lo, hi,
                             text);
        if (*next == '\0')
            break;
        p = next + 1;
    }
    *out = (struct affinity_policy){ .kind = AFFINITY_LIST, .list = text };
    return ERR_OK;
}

void affinity_allowed_text(hwloc_topology_t t, char *buf, size_t len)
{
    if (hwloc_bitmap_list_snprintf(buf, len, hwloc_topology_get_allowed_cpuset(t)) < 0 && len)
        snprintf(buf, len, "unknown");
}

/* A PU a list may name: hwloc knows it and the process may run on it. */
static hwloc_obj_t allowed_pu(hwloc_topology_t t, unsigned long index)
{
    if (index > PU_INDEX_MAX)
        return NULL;
    hwloc_obj_t pu = hwloc_get_pu_obj_by_os_index(t, (unsigned)index);
    if (pu == NULL || !hwloc_bitmap_isset(hwloc_topology_get_allowed_cpuset(t), (unsigned)index))
        return NULL;
    return pu;
}

int affinity_check(hwloc_topology_t t, const struct affinity_policy *p, struct error *e)
{
    if (p->kind != AFFINITY_LIST)
        return ERR_OK;
    const char *s = p->list;
    for (;;) {
        unsigned long lo, hi;
        s = parse_item(s, &lo, &hi);
        for (unsigned long i = lo; i <= hi; i++) {
            if (allowed_pu(t, i) == NULL) {
                char allowed[256];
                affinity_allowed_text(t, allowed, sizeof allowed);
                if (i > PU_INDEX_MAX)
                    return error_set(e, ERR_USAGE, "PU index above %lu in '%s' (allowed PUs: %s)",
                                     PU_INDEX_MAX, p->list, allowed);
                return error_set(e, ERR_USAGE, "PU %lu of '%s' is not one this process may "
                                 "use (allowed PUs: %s)", i, p->list, allowed);
            }
        }
        if (*s == '\0')
            return ERR_OK;
        s++;
    }
}

void affinity_format(const struct affinity_policy *p, char *buf, size_t len)
{
    if (len == 0)
        return;
    const char *text = "none";
    for (size_t k = 0; k < sizeof policy_names / sizeof policy_names[0]; k++)
        if (policy_names[k].kind == p->kind)
            text = policy_names[k].name;
    if (p->kind == AFFINITY_LIST)
        text = p->list;
    snprintf(buf, len, "%s", text);
    for (char *c = buf; *c != '\0'; c++)
        if (*c == ',')
            *c = ';';
}

/* ---- plans -------------------------------------------------------------------------- */

static unsigned pu_count(hwloc_obj_t obj)
{
    int w = obj->cpuset != NULL ? hwloc_bitmap_weight(obj->cpuset) : 0;
    return w > 0 ? (unsigned)w : 0;
}

/* Spreads n threads over the PUs under obj: each child gets a share proportional to its
 * PUs (the running total rounded to nearest, so shares add up to n exactly and a child
 * never gets more threads than PUs while n does not exceed them), down to one thread per
 * subtree, which takes the subtree's first PU. out receives n PU objects. */
static void spread_over(hwloc_obj_t obj, unsigned n, hwloc_obj_t *out)
{
    if (n == 0)
        return;
    unsigned total = 0;
    for (unsigned c = 0; c < obj->arity; c++)
        total += pu_count(obj->children[c]);
    if (n == 1 || total == 0) {
        hwloc_obj_t first = obj;
        while (first->arity > 0)
            first = first->children[0];
        for (unsigned k = 0; k < n; k++)
            out[k] = first;
        return;
    }
    unsigned before = 0, given = 0;
    for (unsigned c = 0; c < obj->arity; c++) {
        hwloc_obj_t child = obj->children[c];
        unsigned w = pu_count(child);
        if (w == 0)
            continue;
        unsigned long cum = before + w;
        unsigned upto = (unsigned)((2 * cum * n + total) / (2 * (unsigned long)total));
        spread_over(child, upto - given, out + given);
        given = upto;
        before += w;
    }
}

static int by_os_index(const void *a, const void *b)
{
    unsigned x = (*(const hwloc_obj_t *)a)->os_index, y = (*(const hwloc_obj_t *)b)->os_index;
    return (x > y) - (x < y);
}

/* The places threads cycle through, in the policy's order: PU or core objects. */
static int places(hwloc_topology_t t, const struct affinity_policy *p, unsigned nthreads,
                  hwloc_obj_t **out, unsigned *count, struct error *e)
{
    int npus = hwloc_get_nbobjs_by_type(t, HWLOC_OBJ_PU);
    int ncores = hwloc_get_nbobjs_by_type(t, HWLOC_OBJ_CORE);
    if (npus <= 0)
        return error_set(e, ERR_RUN, "hwloc found no PU");
    /* Some machines (and synthetic topologies) have no core objects: a PU is a core. */
    hwloc_obj_type_t type = p->kind == AFFINITY_CORE && ncores > 0 ? HWLOC_OBJ_CORE : HWLOC_OBJ_PU;
    unsigned n = (unsigned)(type == HWLOC_OBJ_CORE ? ncores : npus);
    if (p->kind == AFFINITY_LIST) {
        /* Checked first, so that the count below stays within real PU numbers. */
        int rc = affinity_check(t, p, e);
        if (rc != ERR_OK)
            return rc;
        n = 0;
        for (const char *s = p->list;; s++) {
            unsigned long lo, hi;
            s = parse_item(s, &lo, &hi);
            n += (unsigned)(hi - lo + 1);
            if (*s == '\0')
                break;
        }
    }
    if (p->kind == AFFINITY_SPREAD && nthreads < n)
        n = nthreads;
    hwloc_obj_t *v = calloc(n, sizeof *v);
    if (v == NULL)
        return error_set(e, ERR_RUN, "out of memory for %u places", n);

    switch (p->kind) {
    case AFFINITY_LIST: {
        unsigned k = 0;
        for (const char *s = p->list;; s++) {
            unsigned long lo, hi;
            s = parse_item(s, &lo, &hi);
            for (unsigned long i = lo; i <= hi; i++)
                v[k++] = allowed_pu(t, i);
            if (*s == '\0')
                break;
        }
        break;
    }
    case AFFINITY_SPREAD:
        spread_over(hwloc_get_root_obj(t), n, v);
        break;
    default:
        for (unsigned k = 0; k < n; k++)
            v[k] = hwloc_get_obj_by_type(t, type, k);
        if (p->kind == AFFINITY_PU)
            qsort(v, n, sizeof *v, by_os_index);
        break;
    }
    *out = v;
    *count = n;
    return ERR_OK;
}

int affinity_plan_create(struct affinity_plan **out, hwloc_topology_t t,
                         const struct affinity_policy *p, unsigned nthreads, struct error *e)
{
    if (nthreads == 0)
        return error_set(e, ERR_USAGE, "a plan needs at least one thread");
    struct affinity_plan *plan = calloc(1, sizeof *plan + nthreads * sizeof plan->sets[0]);
    if (plan == NULL)
        return error_set(e, ERR_RUN, "out of memory for %u cpusets", nthreads);
    plan->topo = t;
    plan->kind = p->kind;
    plan->nthreads = nthreads;

    hwloc_obj_t *v = NULL;
    unsigned n = 0;
    int rc = ERR_OK;
    if (p->kind != AFFINITY_NONE)
        rc = places(t, p, nthreads, &v, &n, e);
    for (unsigned k = 0; k < nthreads && rc == ERR_OK; k++) {
        hwloc_const_cpuset_t from = p->kind == AFFINITY_NONE
                                        ? hwloc_topology_get_allowed_cpuset(t)
                                        : v[k % n]->cpuset;
        plan->sets[k] = hwloc_bitmap_alloc();
        if (plan->sets[k] == NULL ||
            hwloc_bitmap_and(plan->sets[k], from, hwloc_topology_get_allowed_cpuset(t)) != 0)
            rc = error_set(e, ERR_RUN, "out of memory for cpusets");
    }
    free(v);
    if (rc != ERR_OK) {
        affinity_plan_destroy(plan);
        return rc;
    }
    *out = plan;
    return ERR_OK;
}

void affinity_plan_destroy(struct affinity_plan *plan)
{
    if (plan == NULL)
        return;
    for (unsigned k = 0; k < plan->nthreads; k++)
        hwloc_bitmap_free(plan->sets[k]);
    free(plan);
}

unsigned affinity_plan_threads(const struct affinity_plan *plan)
{
    return plan->nthreads;
}

int affinity_plan_binds(const struct affinity_plan *plan)
{
    return plan->kind != AFFINITY_NONE;
}

hwloc_const_cpuset_t affinity_plan_set(const struct affinity_plan *plan, unsigned tid)
{
    return plan->sets[tid];
}

/* ---- binding ------------------------------------------------------------------------ */

int affinity_bind_set(hwloc_topology_t t, hwloc_const_cpuset_t set, struct error *e)
{
    char text[256];
    if (hwloc_bitmap_list_snprintf(text, sizeof text, set) < 0)
        snprintf(text, sizeof text, "?");
    if (hwloc_set_cpubind(t, set, HWLOC_CPUBIND_THREAD) != 0)
        return error_set(e, ERR_RUN, "hwloc_set_cpubind(PUs %s, HWLOC_CPUBIND_THREAD): %s", text,
                         strerror(errno));
    hwloc_cpuset_t got = hwloc_bitmap_alloc();
    if (got == NULL)
        return error_set(e, ERR_RUN, "out of memory for a cpuset");
    int rc = ERR_OK;
    if (hwloc_get_cpubind(t, got, HWLOC_CPUBIND_THREAD) != 0) {
        rc = error_set(e, ERR_RUN, "hwloc_get_cpubind(HWLOC_CPUBIND_THREAD) after binding to "
                       "PUs %s: %s", text, strerror(errno));
    } else if (!hwloc_bitmap_isequal(got, set)) {
        char was[256];
        if (hwloc_bitmap_list_snprintf(was, sizeof was, got) < 0)
            snprintf(was, sizeof was, "?");
        rc = error_set(e, ERR_RUN, "hwloc_set_cpubind(PUs %s, HWLOC_CPUBIND_THREAD) "
                       "succeeded but the thread is bound to PUs %s", text, was);
    }
    hwloc_bitmap_free(got);
    return rc;
}

int affinity_bind(const struct affinity_plan *plan, unsigned tid, struct error *e)
{
    if (plan == NULL || plan->kind == AFFINITY_NONE)
        return ERR_OK;
    if (tid >= plan->nthreads)
        return error_set(e, ERR_RUN, "thread %u has no cpuset in a plan of %u", tid,
                         plan->nthreads);
    int rc = affinity_bind_set(plan->topo, plan->sets[tid], e);
    if (rc != ERR_OK && e != NULL) {
        char msg[sizeof e->msg];
        snprintf(msg, sizeof msg, "%s", e->msg);
        error_set(e, rc, "binding thread %u: %s", tid, msg);
    }
    return rc;
}

/* The machine's description. Counts are of what this process may use (the topology is
 * restricted to the allowed cpuset), since that is the machine the results ran on. The
 * build's flags come from a header the Makefile generates from its flags stamp. */
#include "describe.h"

#include "counters.h"
#include "jsonout.h"
#include "topology.h"

#include "build_flags.h"

#include <hwloc.h>
#include <stdbool.h>
#include <string.h>
#include <sys/utsname.h>
#include <unistd.h>

#define DESCRIBE_STR2(x) #x
#define DESCRIBE_STR(x) DESCRIBE_STR2(x)
#if defined(__clang__)
#define COMPILER_TEXT                                                                        \
    "clang " DESCRIBE_STR(__clang_major__) "." DESCRIBE_STR(__clang_minor__) "."             \
        DESCRIBE_STR(__clang_patchlevel__)
#elif defined(__GNUC__)
#define COMPILER_TEXT "gcc " __VERSION__
#else
#define COMPILER_TEXT "unknown"
#endif

static const char *cache_type_name(hwloc_obj_cache_type_t type)
{
    switch (type) {
    case HWLOC_OBJ_CACHE_DATA: return "data";
    case HWLOC_OBJ_CACHE_INSTRUCTION: return "instruction";
    default: return "unified";
    }
}

struct cache_kind {
    hwloc_uint64_t size;
    hwloc_obj_cache_type_t type;
    unsigned depth;
    unsigned count;
};

/* One line per kind of cache: caches of the same level, type and size are counted
 * together (a hybrid CPU has two sizes of L2 and gets two lines). */
static void print_caches(FILE *f, hwloc_topology_t t)
{
    static const hwloc_obj_type_t types[] = {
        HWLOC_OBJ_L1CACHE, HWLOC_OBJ_L1ICACHE, HWLOC_OBJ_L2CACHE, HWLOC_OBJ_L2ICACHE,
        HWLOC_OBJ_L3CACHE, HWLOC_OBJ_L3ICACHE, HWLOC_OBJ_L4CACHE, HWLOC_OBJ_L5CACHE,
    };
    bool first = true;
    fputc('[', f);
    for (size_t k = 0; k < sizeof types / sizeof types[0]; k++) {
        struct cache_kind kinds[16];
        size_t nkinds = 0;
        for (hwloc_obj_t o = hwloc_get_next_obj_by_type(t, types[k], NULL); o != NULL;
             o = hwloc_get_next_obj_by_type(t, types[k], o)) {
            size_t j = 0;
            while (j < nkinds && (kinds[j].size != o->attr->cache.size ||
                                  kinds[j].type != o->attr->cache.type))
                j++;
            if (j == nkinds) {
                if (nkinds == sizeof kinds / sizeof kinds[0])
                    continue;
                kinds[nkinds++] = (struct cache_kind){ o->attr->cache.size, o->attr->cache.type,
                                                       o->attr->cache.depth, 0 };
            }
            kinds[j].count++;
        }
        for (size_t j = 0; j < nkinds; j++) {
            fprintf(f, "%s{\"level\":%u,\"type\":\"%s\",\"size_kib\":%llu,\"count\":%u}",
                    first ? "" : ",", kinds[j].depth, cache_type_name(kinds[j].type),
                    (unsigned long long)(kinds[j].size / 1024), kinds[j].count);
            first = false;
        }
    }
    fputc(']', f);
}

static const char *cpu_model(hwloc_topology_t t)
{
    hwloc_obj_t pkg = hwloc_get_next_obj_by_type(t, HWLOC_OBJ_PACKAGE, NULL);
    const char *model = pkg != NULL ? hwloc_obj_get_info_by_name(pkg, "CPUModel") : NULL;
    if (model == NULL)
        model = hwloc_obj_get_info_by_name(hwloc_get_root_obj(t), "CPUModel");
    return model;
}

/* Which kernel counters this machine lets the process open, and why not the others, so
 * that a run's meta.json says once why a counter reads '-'. */
static void print_counters(FILE *f)
{
    struct counters *c;
    counters_open(&c, COUNTERS_ALL, NULL);
    struct counters_sample s;
    counters_read(c, &s);
    fputs(",\"counters\":{\"available\":[", f);
    for (int k = 0, n = 0; k < CTR_COUNT; k++)
        if (s.have[k])
            fprintf(f, "%s\"%s\"", n++ ? "," : "", counters_events[k].name);
    fputs("],\"unavailable\":", f);
    const char *why = counters_why(c);
    jsonout_string(f, why[0] ? why : NULL);
    fputs("}", f);
    counters_close(c);
}

int describe_print(FILE *f, const struct describe_build *b, struct error *e)
{
    hwloc_topology_t t;
    int rc = topology_get(&t, e);
    if (rc != ERR_OK)
        return rc;
    char host[256] = "";
    if (gethostname(host, sizeof host) != 0)
        host[0] = '\0';
    host[sizeof host - 1] = '\0';
    struct utsname u;
    char kernel[sizeof u.sysname + sizeof u.release + 2] = "";
    if (uname(&u) == 0)
        snprintf(kernel, sizeof kernel, "%s %s", u.sysname, u.release);
    char allowed[256];
    if (hwloc_bitmap_list_snprintf(allowed, sizeof allowed,
                                   hwloc_topology_get_allowed_cpuset(t)) < 0)
        allowed[0] = '\0';
    char cflags[sizeof BENCH_BUILD_FLAGS + 64];
    snprintf(cflags, sizeof cflags, "%s%s%s", BENCH_BUILD_FLAGS, b->openmp_flags[0] ? " " : "",
             b->openmp_flags);
    char compiler[128];
    bool other = b->backend_compiler[0] && strcmp(b->backend_compiler, COMPILER_TEXT) != 0;
    snprintf(compiler, sizeof compiler, "%s%s%s", COMPILER_TEXT,
             other ? "; OpenMP backend: " : "", other ? b->backend_compiler : "");

    fputs("{\"host\":", f);
    jsonout_string(f, host[0] ? host : NULL);
    fputs(",\"cpu_model\":", f);
    jsonout_string(f, cpu_model(t));
    fprintf(f, ",\"packages\":%d,\"cores\":%d,\"pus\":%d,\"allowed_pus\":",
            hwloc_get_nbobjs_by_type(t, HWLOC_OBJ_PACKAGE),
            hwloc_get_nbobjs_by_type(t, HWLOC_OBJ_CORE), hwloc_get_nbobjs_by_type(t, HWLOC_OBJ_PU));
    jsonout_string(f, allowed);
    fputs(",\"caches\":", f);
    print_caches(f, t);
    fputs(",\"openmp\":{\"version\":", f);
    if (b->openmp)
        fprintf(f, "%ld", b->openmp);
    else
        fputs("null", f);
    fputs(",\"runtime\":", f);
    jsonout_string(f, b->runtime);
    fputs("},\"backend\":", f);
    jsonout_string(f, b->backend);
    fputs(",\"compiler\":", f);
    jsonout_string(f, compiler);
    fputs(",\"cflags\":", f);
    jsonout_string(f, cflags);
    fputs(",\"kernel\":", f);
    jsonout_string(f, kernel[0] ? kernel : NULL);
    print_counters(f);
    fputs("}\n", f);
    if (fflush(f) != 0 || ferror(f))
        return error_set(e, ERR_RUN, "writing the description failed");
    return ERR_OK;
}

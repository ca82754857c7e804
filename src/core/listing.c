/* Both forms come from the workload descriptors alone, so that what a workload is and
 * what it accepts is written once, in its own file. */
#include "listing.h"

#include "jsonout.h"
#include "params.h"
#include "workload.h"

static void print_text(FILE *f)
{
    for (size_t k = 0; k < workloads_count; k++) {
        const struct workload *w = workloads[k];
        fprintf(f, "%s (bound by %s, %ld task%s by default): %s\n", w->name, w->bound,
                w->default_tasks, w->default_tasks == 1 ? "" : "s", w->summary);
        for (size_t j = 0; j < w->nparams; j++) {
            char accepts[256];
            params_describe(&w->params[j], accepts, sizeof accepts);
            fprintf(f, "    -p %s=%s  %s; %s\n", w->params[j].name, w->params[j].def,
                    w->params[j].help, accepts);
        }
    }
}

/* A parameter's type and range or choices, beside the "accepts" text made of them. */
static void print_param_json(FILE *f, const struct param_spec *s)
{
    char accepts[256];
    params_describe(s, accepts, sizeof accepts);
    fputs("{\"name\":", f);
    jsonout_string(f, s->name);
    fputs(",\"default\":", f);
    jsonout_string(f, s->def);
    switch (s->type) {
    case PARAM_INT:
        fprintf(f, ",\"type\":\"integer\",\"min\":%ld,\"max\":%ld", s->min, s->max);
        break;
    case PARAM_CHOICE:
        fputs(",\"type\":\"choice\",\"choices\":[", f);
        for (const char *const *c = s->choices; *c != NULL; c++) {
            fputs(c == s->choices ? "" : ",", f);
            jsonout_string(f, *c);
        }
        fputc(']', f);
        break;
    case PARAM_TEXT:
        fputs(",\"type\":\"text\"", f);
        break;
    }
    fputs(",\"accepts\":", f);
    jsonout_string(f, accepts);
    fputs(",\"meaning\":", f);
    jsonout_string(f, s->help);
    fputc('}', f);
}

static void print_json(FILE *f)
{
    fputs("[\n", f);
    for (size_t k = 0; k < workloads_count; k++) {
        const struct workload *w = workloads[k];
        fputs("{\"name\":", f);
        jsonout_string(f, w->name);
        fputs(",\"bound\":", f);
        jsonout_string(f, w->bound);
        fprintf(f, ",\"waits\":%s,\"summary\":", w->waits ? "true" : "false");
        jsonout_string(f, w->summary);
        fprintf(f, ",\"default_tasks\":%ld,\"params\":[", w->default_tasks);
        for (size_t j = 0; j < w->nparams; j++) {
            fputs(j ? "," : "", f);
            print_param_json(f, &w->params[j]);
        }
        fprintf(f, "]}%s\n", k + 1 < workloads_count ? "," : "");
    }
    fputs("]\n", f);
}

void listing_print(FILE *f, bool json)
{
    if (json)
        print_json(f);
    else
        print_text(f);
}

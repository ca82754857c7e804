/* bench-summary: reads a run's results.csv (and its record of failed configurations) and
 * writes summary.csv to stdout. The core count comes from --cores or the run's meta.json. */
#include "error.h"
#include "parse.h"
#include "summary.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char usage[] =
    "Usage: bench-summary [--cores N | --meta META.json] [--failed FAILED.csv] RESULTS.csv\n"
    "Writes one summary row per configuration of RESULTS.csv to stdout.\n";

/* Reads the top-level "cores" number of the run's meta.json. The file is the runner's
 * own output (written by jq), so a key search is enough; anything else is refused. */
static int cores_from_meta(const char *path, unsigned *cores, struct error *e)
{
    FILE *f = fopen(path, "r");
    if (f == NULL)
        return error_set(e, ERR_USAGE, "--meta: cannot open %s", path);
    char text[1 << 16];
    size_t n = fread(text, 1, sizeof text - 1, f);
    fclose(f);
    text[n] = '\0';
    const char *p = strstr(text, "\"cores\"");
    long v;
    char digits[24] = "";
    if (p != NULL) {
        p += strlen("\"cores\"");
        p += strspn(p, " \t\r\n");
        if (*p == ':') {
            p++;
            p += strspn(p, " \t\r\n");
            size_t len = strspn(p, "0123456789");
            if (len > 0 && len < sizeof digits)
                memcpy(digits, p, len);
        }
    }
    if (!parse_long(digits, 1, 1 << 20, &v))
        return error_set(e, ERR_USAGE, "--meta: %s has no \"cores\": N entry", path);
    *cores = (unsigned)v;
    return ERR_OK;
}

static int read_file(struct summary *s, const char *path, bool failed, struct error *e)
{
    FILE *f = fopen(path, "r");
    if (f == NULL)
        return error_set(e, ERR_USAGE, "cannot open %s", path);
    int rc = failed ? summary_read_failed(s, f, path, e) : summary_read_results(s, f, path, e);
    fclose(f);
    return rc;
}

int main(int argc, char **argv)
{
    static const struct option longopts[] = {
        { "cores", required_argument, NULL, 'c' },
        { "meta", required_argument, NULL, 'm' },
        { "failed", required_argument, NULL, 'f' },
        { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 },
    };
    struct error e = { "" };
    const char *meta = NULL, *failed = NULL;
    unsigned cores = 0;
    long v;
    int c, rc = ERR_OK;
    opterr = 0;
    while (rc == ERR_OK && (c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
        switch (c) {
        case 'c':
            if (!parse_long(optarg, 1, 1 << 20, &v))
                rc = error_set(&e, ERR_USAGE, "--cores: expected a count from 1, got '%s'",
                               optarg);
            cores = (unsigned)v;
            break;
        case 'm': meta = optarg; break;
        case 'f': failed = optarg; break;
        case 'h': fputs(usage, stdout); return 0;
        default:
            rc = error_set(&e, ERR_USAGE, "unknown option '%s'; see --help", argv[optind - 1]);
        }
    }
    if (rc == ERR_OK && optind != argc - 1)
        rc = error_set(&e, ERR_USAGE, "expected one RESULTS.csv; see --help");
    if (rc == ERR_OK && cores == 0 && meta == NULL)
        rc = error_set(&e, ERR_USAGE, "give --cores N or --meta META.json");
    if (rc == ERR_OK && cores == 0)
        rc = cores_from_meta(meta, &cores, &e);

    struct summary *s = NULL;
    if (rc == ERR_OK)
        rc = summary_create(&s, cores, &e);
    if (rc == ERR_OK)
        rc = read_file(s, argv[optind], false, &e);
    if (rc == ERR_OK && failed != NULL)
        rc = read_file(s, failed, true, &e);
    if (rc == ERR_OK)
        rc = summary_write(s, stdout, &e);
    summary_free(s);
    if (rc != ERR_OK)
        fprintf(stderr, "bench-summary: %s\n", e.msg);
    return rc;
}

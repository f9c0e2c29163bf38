/* The common options, report fields and table printing of the pattern programs (see pattern.h). */
#include "parkit/pattern.h"
#include "parkit/provenance.h"

#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "parkit/error.h"
#include "parkit/size.h"
#include "parkit/stats.h"
#include "parkit/version.h"

int pk_pat_parse(int argc, char **argv, const char *summary, const pk_opt *opts, size_t nopts,
                 pk_pat_common *c, int timed, int (*check_env)(char *, size_t), int rank)
{
    const char *prog = pk_program_name(argv[0]);
    pk_opt all[PK_PAT_MAX_OPTS + 3];
    size_t n = 0;
    if (nopts > PK_PAT_MAX_OPTS) nopts = PK_PAT_MAX_OPTS;
    for (size_t i = 0; i < nopts; i++) all[n++] = opts[i];
    if (timed) {
        all[n++] = (pk_opt){.name = "repeat", .metavar = "K", .help = "timed runs; the report gives min/median/max",
                            .kind = PK_OPT_SIZE, .target = &c->repeat, .min = 1, .max = PK_PAT_MAX_REPEAT};
        all[n++] = (pk_opt){.name = "warmup", .metavar = "W", .help = "untimed runs before timing",
                            .kind = PK_OPT_SIZE, .target = &c->warmup, .max = PK_PAT_MAX_REPEAT};
    }
    all[n++] = (pk_opt){.name = "json", .help = "print the report as one JSON object", .kind = PK_OPT_FLAG,
                        .target = &c->json};
    char err[512] = "";
    switch (pk_cli_parse(argc, argv, all, n, err, sizeof err)) {
    case PK_CLI_HELP:
        if (rank == 0) {
            char text[768];
            if (timed)
                snprintf(text, sizeof text, "%s\n(defaults: --repeat %llu --warmup %llu)", summary,
                         (unsigned long long)c->repeat, (unsigned long long)c->warmup);
            else
                snprintf(text, sizeof text, "%s", summary);
            pk_cli_help(prog, text, all, n);
        }
        return PK_EXIT_OK;
    case PK_CLI_VERSION:
        if (rank == 0) printf("%s (parkit) %s\n", prog, PARKIT_VERSION);
        return PK_EXIT_OK;
    case PK_CLI_ERROR:
        if (rank == 0) pk_error(prog, "%s", err);
        return PK_EXIT_USAGE;
    case PK_CLI_OK:
        break;
    }
    if (check_env && check_env(err, sizeof err) != 0) {
        if (rank == 0) pk_error(prog, "%s", err);
        return PK_EXIT_USAGE;
    }
    return -1;
}

int pk_pat_vusage(int rank, const char *program, const char *fmt, va_list ap)
{
    if (rank == 0) {
        char line[512];
        vsnprintf(line, sizeof line, fmt, ap);
        pk_error(program, "%s", line);
    }
    return PK_EXIT_USAGE;
}

int pk_pat_usage(int rank, const char *program, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int code = pk_pat_vusage(rank, program, fmt, ap);
    va_end(ap);
    return code;
}

int pk_pat_parse_counts(const char *text, uint64_t max, uint64_t *out, int cap, char *err, size_t errlen)
{
    char buf[256];
    if (strlen(text) >= sizeof buf) {
        snprintf(err, errlen, "list too long");
        return -1;
    }
    snprintf(buf, sizeof buf, "%s", text);
    size_t len = strlen(buf);
    if (len == 0 || buf[0] == ',' || buf[len - 1] == ',' || strstr(buf, ",,")) {
        snprintf(err, errlen, "expected a comma list of counts, e.g. 1,2,4,8");
        return -1;
    }
    int count = 0;
    char *save = NULL;
    for (char *tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
        uint64_t v;
        char why[128];
        if (pk_parse_size(tok, &v, why, sizeof why) != 0) {
            snprintf(err, errlen, "'%s': %s", tok, why);
            return -1;
        }
        if (v < 1 || v > max) {
            snprintf(err, errlen, "'%s': out of range, expected 1..%llu", tok, (unsigned long long)max);
            return -1;
        }
        if (count > 0 && v <= out[count - 1]) {
            snprintf(err, errlen, "'%s': counts must be strictly increasing", tok);
            return -1;
        }
        if (count == cap) {
            snprintf(err, errlen, "more than %d counts", cap);
            return -1;
        }
        out[count++] = v;
    }
    return count;
}

int pk_pat_set_seconds(void *ctx, const char *value, char *err, size_t errlen)
{
    char *end = NULL;
    errno = 0;
    double v = strtod(value, &end);
    /* digits and one dot only: no sign, exponent, hex, inf or nan, which strtod would accept */
    int plain = *value != '\0' && strspn(value, "0123456789.") == strlen(value);
    if (!plain || end == value || *end != '\0' || errno == ERANGE) {
        snprintf(err, errlen, "expected a time in seconds, e.g. 2 or 0.5");
        return -1;
    }
    if (!(v > 0.0 && v <= 3600.0)) {
        snprintf(err, errlen, "out of range, expected more than 0 and at most 3600 seconds");
        return -1;
    }
    *(double *)ctx = v;
    return 0;
}

void pk_pat_report_init(pk_report *r, const char *program, const char *summary, const char *model)
{
    char title[160];
    snprintf(title, sizeof title, "parkit %s %s: %s", program, PARKIT_VERSION, summary);
    pk_report_init(r, title);
    pk_report_str(r, "program", "%s", program);
    pk_report_str(r, "version", "%s", PARKIT_VERSION);
    pk_report_str(r, "model", "%s", model);
    /* provenance first in pattern reports: their tables follow the fields */
    pk_provenance_report(r, NULL, NULL);
}

void pk_pat_report_runs(pk_report *r, const pk_pat_common *c)
{
    pk_report_num(r, "repeat", "%llu", (unsigned long long)c->repeat);
    pk_report_num(r, "warmup", "%llu", (unsigned long long)c->warmup);
}

void pk_pat_report_times(pk_report *r, const pk_pat_common *c, const double *t, size_t n)
{
    pk_stats st = pk_stats_of(t, n);
    pk_pat_report_runs(r, c);
    pk_report_num(r, "time_min_s", "%.9f", st.min);
    pk_report_num(r, "time_median_s", "%.9f", st.median);
    pk_report_num(r, "time_max_s", "%.9f", st.max);
}

void pk_pat_report_verdict(pk_report *r, int pass, const char *detail)
{
    pk_report_str(r, "verification", "%s", pass ? "PASS" : "FAIL");
    pk_report_str(r, "verification_detail", "%s", detail ? detail : "");
}

/* ---- tables ---- */

void pk_table_init(pk_table *t, const pk_col *cols, size_t ncols)
{
    memset(t, 0, sizeof *t);
    t->cols = cols;
    t->ncols = ncols > PK_TABLE_MAX_COLS ? PK_TABLE_MAX_COLS : ncols;
}

size_t pk_table_row(pk_table *t)
{
    if (t->nrows == t->cap) {
        size_t cap = t->cap ? 2 * t->cap : 16;
        void *cells = realloc(t->cells, cap * t->ncols * sizeof *t->cells);
        if (!cells) {
            pk_error("parkit", "out of memory for a table of %zu rows", cap);
            abort();
        }
        t->cells = cells;
        t->cap = cap;
    }
    memset(t->cells[t->nrows * t->ncols], 0, t->ncols * sizeof *t->cells);
    return t->nrows++;
}

void pk_table_set(pk_table *t, size_t row, size_t col, const char *fmt, ...)
{
    if (row >= t->nrows || col >= t->ncols) return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(t->cells[row * t->ncols + col], PK_TABLE_CELL, fmt, ap);
    va_end(ap);
}

const char *pk_table_get(const pk_table *t, size_t row, size_t col)
{
    if (row >= t->nrows || col >= t->ncols) return "";
    return t->cells[row * t->ncols + col];
}

void pk_table_free(pk_table *t)
{
    free(t->cells);
    t->cells = NULL;
    t->nrows = t->cap = 0;
}

static void print_json_string(FILE *out, const char *s)
{
    fputc('"', out);
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (*p == '"' || *p == '\\') fprintf(out, "\\%c", *p);
        else if (*p < 0x20) fprintf(out, "\\u%04x", *p);
        else fputc(*p, out);
    }
    fputc('"', out);
}

static void print_table_json(const pk_report *r, const pk_table *t, FILE *out)
{
    size_t need = pk_report_json(r, NULL, 0) + 1;
    char *obj = malloc(need);
    if (!obj) {
        pk_report_print_json(r, out);
        return;
    }
    pk_report_json(r, obj, need);
    size_t len = strlen(obj);
    obj[len - 1] = '\0'; /* drop the closing brace: the rows go inside the same object */
    fputs(obj, out);
    fputs(r->count ? ", \"rows\": [" : "\"rows\": [", out);
    for (size_t i = 0; i < t->nrows; i++) {
        fputs(i ? ", {" : "{", out);
        for (size_t j = 0; j < t->ncols; j++) {
            if (j) fputs(", ", out);
            print_json_string(out, t->cols[j].key);
            fputs(": ", out);
            const char *cell = pk_table_get(t, i, j);
            if (t->cols[j].numeric && *cell) fputs(cell, out);
            else if (t->cols[j].numeric) fputs("null", out);
            else print_json_string(out, cell);
        }
        fputc('}', out);
    }
    fputs("]}\n", out);
    free(obj);
}

static void print_table_text(const pk_report *r, const pk_table *t, FILE *out)
{
    if (r->title[0]) fprintf(out, "# %s\n", r->title);
    for (size_t i = 0; i < r->count; i++) fprintf(out, "# %s: %s\n", r->fields[i].key, r->fields[i].text);
    /* the header's first column starts after "# ", so the data rows are indented the same */
    fputs("# ", out);
    for (size_t j = 0; j < t->ncols; j++) {
        int w = t->cols[j].width - (j == 0 ? 2 : 0);
        fprintf(out, j ? " %*s" : "%*s", w > 0 ? w : 1, t->cols[j].header);
    }
    fputc('\n', out);
    for (size_t i = 0; i < t->nrows; i++) {
        for (size_t j = 0; j < t->ncols; j++)
            fprintf(out, j ? " %*s" : "%*s", t->cols[j].width, pk_table_get(t, i, j));
        fputc('\n', out);
    }
}

void pk_pat_print(const pk_report *r, const pk_table *t, int json, FILE *out)
{
    if (!t) {
        if (json) pk_report_print_json(r, out);
        else pk_report_print_text(r, out);
        return;
    }
    if (json) print_table_json(r, t, out);
    else print_table_text(r, t, out);
    fflush(out);
}

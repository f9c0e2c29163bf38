/* Shared by the pattern programs (counter, queue, pingpong, pool, waitbound, where) in patterns/:
 * the common options (--repeat, --warmup, --json) on top of pk_cli_parse, the report header and
 * timing fields, and a fixed-width table that prints OSU-style or as JSON rows.
 * Nothing here uses OpenMP or MPI: the programs bring the parallel part. */
#ifndef PARKIT_PATTERN_H
#define PARKIT_PATTERN_H
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include "parkit/cli.h"
#include "parkit/report.h"
#ifdef __cplusplus
extern "C" {
#endif

/* ---- command line -------------------------------------------------------------------------- */

typedef struct pk_pat_common {
    uint64_t repeat, warmup; /* timed runs, untimed runs before them */
    int json;
} pk_pat_common;

/* pk_pat_parse's `timed`: whether the program takes --repeat and --warmup. */
enum { PK_PAT_UNTIMED = 0, PK_PAT_TIMED = 1 };

#define PK_PAT_MAX_OPTS 24
#define PK_PAT_MAX_REPEAT 100000

/* Parses argv with the program's own options plus --json and, when `timed`, --repeat and --warmup
 * (c holds their defaults on entry). `check_env` (may be NULL) validates the environment, e.g.
 * pk_omp_check_env. Returns -1 to go on, or the exit code to return now: 0 after --help/--version,
 * PK_EXIT_USAGE after a bad argument. Only rank 0 prints; every rank returns the same code. */
int pk_pat_parse(int argc, char **argv, const char *summary, const pk_opt *opts, size_t nopts,
                 pk_pat_common *c, int timed, int (*check_env)(char *, size_t), int rank);

/* A usage error found after parsing (options that do not fit together, wrong rank count):
 * one line on rank 0's stderr; returns PK_EXIT_USAGE for every rank to return. */
int pk_pat_usage(int rank, const char *program, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
int pk_pat_vusage(int rank, const char *program, const char *fmt, va_list ap);

/* Parses a comma list of worker counts "1,2,4,16" (each in [1, max], strictly increasing, at most
 * `cap` items) into out; returns the count, or -1 with a reason in err. */
int pk_pat_parse_counts(const char *text, uint64_t max, uint64_t *out, int cap, char *err, size_t errlen);

/* A PK_OPT_CALLBACK for a time in seconds (ctx: a double): a plain decimal number, more than 0 and at
 * most 3600 ("2", "0.5"); anything else is an error naming what was expected. */
int pk_pat_set_seconds(void *ctx, const char *value, char *err, size_t errlen);

/* ---- report ----------------------------------------------------------------------------------- */

/* Title "parkit <program> <version>: <summary>" and the fields program, version, model. */
void pk_pat_report_init(pk_report *r, const char *program, const char *summary, const char *model);
/* repeat and warmup (for programs whose times are in their table). */
void pk_pat_report_runs(pk_report *r, const pk_pat_common *c);
/* repeat, warmup, time_min_s, time_median_s, time_max_s of t[0..n). */
void pk_pat_report_times(pk_report *r, const pk_pat_common *c, const double *t, size_t n);
/* verification (PASS or FAIL) and verification_detail. */
void pk_pat_report_verdict(pk_report *r, int pass, const char *detail);

/* ---- tables ----------------------------------------------------------------------------------- */

#define PK_TABLE_MAX_COLS 12
#define PK_TABLE_CELL 96

typedef struct pk_col {
    const char *key;    /* JSON key of the column */
    const char *header; /* text header, e.g. "Latency(us)" */
    int width;          /* text width, right-aligned */
    int numeric;        /* 1: the cell is a JSON number, 0: a string */
} pk_col;

typedef struct pk_table {
    const pk_col *cols;
    size_t ncols, nrows, cap;
    char (*cells)[PK_TABLE_CELL]; /* nrows x ncols */
} pk_table;

void pk_table_init(pk_table *t, const pk_col *cols, size_t ncols);
/* Appends an empty row and returns its index (rows are never lost: on out-of-memory, aborts). */
size_t pk_table_row(pk_table *t);
void pk_table_set(pk_table *t, size_t row, size_t col, const char *fmt, ...) __attribute__((format(printf, 4, 5)));
const char *pk_table_get(const pk_table *t, size_t row, size_t col);
void pk_table_free(pk_table *t);

/* Prints the report, with the table when t is not NULL.
 * Text without a table: the kit's "key: value" report. Text with a table: the report as '#' comment
 * lines ("# key: value"), a '#' column header, then fixed-width rows -- a gnuplot data file as is.
 * JSON: one object, the report's fields plus "rows": [{column: value, ...}, ...] when t is given. */
void pk_pat_print(const pk_report *r, const pk_table *t, int json, FILE *out);

#ifdef __cplusplus
}
#endif
#endif

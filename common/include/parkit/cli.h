/* The one command-line parser of the kit: a table of options, `--name value` or `--name=value`.
 * Every program (kernels and patterns) describes its options with pk_opt and calls pk_cli_parse. */
#ifndef PARKIT_CLI_H
#define PARKIT_CLI_H
#include <stddef.h>
#include <stdio.h>
#include <stdint.h>
#ifdef __cplusplus
extern "C" {
#endif

typedef enum pk_opt_kind {
    PK_OPT_FLAG,     /* no value; *(int *)target = 1 */
    PK_OPT_SIZE,     /* pk_parse_size into *(uint64_t *)target, checked against [min, max] */
    PK_OPT_STRING,   /* *(const char **)target = value (points into argv) */
    PK_OPT_CHOICE,   /* value must be one of the '|'-separated words of `choices`; stored as STRING */
    PK_OPT_CALLBACK  /* set(ctx, value, err, errlen) returns 0 or -1 with a reason */
} pk_opt_kind;

typedef struct pk_opt {
    const char *name;    /* without the leading "--" */
    const char *metavar; /* shown in --help, e.g. "N" */
    const char *help;    /* one line */
    pk_opt_kind kind;
    void *target;
    uint64_t min, max;   /* PK_OPT_SIZE bounds, inclusive; max 0 means UINT64_MAX */
    const char *choices; /* PK_OPT_CHOICE */
    int (*set)(void *ctx, const char *value, char *err, size_t errlen);
    void *ctx;
    int *given;          /* optional: set to 1 when the option appears */
} pk_opt;

typedef enum pk_cli_status {
    PK_CLI_OK = 0,
    PK_CLI_HELP,    /* --help seen: print pk_cli_help, exit 0 */
    PK_CLI_VERSION, /* --version seen: print the version, exit 0 */
    PK_CLI_ERROR    /* err holds one line naming the bad argument */
} pk_cli_status;

/* Parses argv[1..argc). --help and --version are built in. Positional arguments are errors. */
pk_cli_status pk_cli_parse(int argc, char **argv, const pk_opt *opts, size_t nopts, char *err, size_t errlen);

/* Usage text: "usage: program [options]", the summary, then one line per option. */
void pk_cli_help(const char *program, const char *summary, const pk_opt *opts, size_t nopts);
/* The options as a JSON array (name, metavar, help, kind, and min/max for sizes), for --describe:
 * tools learn a program's options from it instead of parsing --help. */
void pk_cli_describe_options(FILE *out, const pk_opt *opts, size_t nopts);

/* The program name shown in messages: basename of argv[0]. */
const char *pk_program_name(const char *argv0);
/* The directory of the running program (from /proc/self/exe; else argv0's directory when argv0 is
 * given and has one; else "."): where its companion programs and files live. */
void pk_program_dir(const char *argv0, char *dir, size_t len);

#ifdef __cplusplus
}
#endif
#endif

#include "parkit/cli.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <stdint.h>
#include <stdlib.h>

#include "parkit/report.h"
#include "parkit/size.h"

const char *pk_program_name(const char *argv0)
{
    if (!argv0) return "parkit";
    const char *slash = strrchr(argv0, '/');
    return slash ? slash + 1 : argv0;
}

void pk_program_dir(const char *argv0, char *dir, size_t len)
{
    char path[4096];
    ssize_t n = readlink("/proc/self/exe", path, sizeof path - 1);
    if (n > 0) path[n] = '\0';
    else snprintf(path, sizeof path, "%s", argv0 ? argv0 : "");
    char *slash = strrchr(path, '/');
    if (slash) *slash = '\0';
    snprintf(dir, len, "%s", slash ? path : ".");
}

static int choice_ok(const char *choices, const char *value)
{
    size_t vlen = strlen(value);
    const char *p = choices;
    while (p && *p) {
        const char *bar = strchr(p, '|');
        size_t len = bar ? (size_t)(bar - p) : strlen(p);
        if (len == vlen && strncmp(p, value, len) == 0) return 1;
        p = bar ? bar + 1 : NULL;
    }
    return 0;
}

static pk_cli_status apply(const pk_opt *o, const char *value, char *err, size_t errlen)
{
    char why[160] = "";
    switch (o->kind) {
    case PK_OPT_FLAG:
        *(int *)o->target = 1;
        break;
    case PK_OPT_SIZE: {
        uint64_t v, max = o->max ? o->max : UINT64_MAX;
        if (pk_parse_size(value, &v, why, sizeof why) != 0) {
            snprintf(err, errlen, "--%s '%s': %s", o->name, value, why);
            return PK_CLI_ERROR;
        }
        if (v < o->min || v > max) {
            snprintf(err, errlen, "--%s '%s': out of range, expected %llu..%llu", o->name, value,
                     (unsigned long long)o->min, (unsigned long long)max);
            return PK_CLI_ERROR;
        }
        *(uint64_t *)o->target = v;
        break;
    }
    case PK_OPT_CHOICE:
        if (!choice_ok(o->choices, value)) {
            snprintf(err, errlen, "--%s '%s': expected one of %s", o->name, value, o->choices);
            return PK_CLI_ERROR;
        }
        *(const char **)o->target = value;
        break;
    case PK_OPT_STRING:
        if (!*value) {
            snprintf(err, errlen, "--%s: empty value", o->name);
            return PK_CLI_ERROR;
        }
        *(const char **)o->target = value;
        break;
    case PK_OPT_CALLBACK:
        if (o->set(o->ctx, value, why, sizeof why) != 0) {
            snprintf(err, errlen, "--%s '%s': %s", o->name, value, why);
            return PK_CLI_ERROR;
        }
        break;
    }
    if (o->given) *o->given = 1;
    return PK_CLI_OK;
}

pk_cli_status pk_cli_parse(int argc, char **argv, const pk_opt *opts, size_t nopts, char *err, size_t errlen)
{
    for (int i = 1; i < argc; i++) {
        const char *arg = argv[i];
        if (strcmp(arg, "--help") == 0 || strcmp(arg, "-h") == 0) return PK_CLI_HELP;
        if (strcmp(arg, "--version") == 0) return PK_CLI_VERSION;
        if (strncmp(arg, "--", 2) != 0 || arg[2] == '\0') {
            snprintf(err, errlen, "unexpected argument '%s' (options start with --; see --help)", arg);
            return PK_CLI_ERROR;
        }
        const char *name = arg + 2;
        const char *eq = strchr(name, '=');
        size_t name_len = eq ? (size_t)(eq - name) : strlen(name);
        const pk_opt *o = NULL;
        for (size_t j = 0; j < nopts; j++)
            if (strlen(opts[j].name) == name_len && strncmp(opts[j].name, name, name_len) == 0) o = &opts[j];
        if (!o) {
            snprintf(err, errlen, "unknown option '--%.*s' (see --help)", (int)name_len, name);
            return PK_CLI_ERROR;
        }
        const char *value = NULL;
        if (o->kind == PK_OPT_FLAG) {
            if (eq) {
                snprintf(err, errlen, "--%s takes no value", o->name);
                return PK_CLI_ERROR;
            }
        } else if (eq) {
            value = eq + 1;
        } else if (i + 1 < argc) {
            value = argv[++i];
        } else {
            snprintf(err, errlen, "--%s needs a value (%s)", o->name, o->metavar ? o->metavar : "VALUE");
            return PK_CLI_ERROR;
        }
        pk_cli_status st = apply(o, value, err, errlen);
        if (st != PK_CLI_OK) return st;
    }
    return PK_CLI_OK;
}

void pk_cli_help(const char *program, const char *summary, const pk_opt *opts, size_t nopts)
{
    printf("usage: %s [options]\n%s\n\noptions:\n", program, summary ? summary : "");
    for (size_t i = 0; i < nopts; i++) {
        char left[64];
        if (opts[i].kind == PK_OPT_FLAG) snprintf(left, sizeof left, "--%s", opts[i].name);
        else snprintf(left, sizeof left, "--%s %s", opts[i].name, opts[i].metavar ? opts[i].metavar : "VALUE");
        printf("  %-24s %s\n", left, opts[i].help ? opts[i].help : "");
    }
    printf("  %-24s %s\n  %-24s %s\n", "--help", "show this help and exit", "--version", "show the version and exit");
    printf("\nsizes accept 1000000, 1e6, 10M, 4Gi, 2^20 (exact integers, at most 38 significant digits).\n"
           "Exit: 0 verified, 1 failed, 2 usage error, 3 interrupted with a checkpoint written.\n");
}

/* One JSON string value (escaped as the report escapes it). */
static void json_str(FILE *out, const char *text)
{
    char buf[1024];
    size_t need = pk_json_string(text, buf, sizeof buf);
    if (need < sizeof buf) {
        fputs(buf, out);
        return;
    }
    char *big = malloc(need + 1);
    if (!big) {
        fputs("\"\"", out);
        return;
    }
    pk_json_string(text, big, need + 1);
    fputs(big, out);
    free(big);
}

void pk_cli_describe_options(FILE *out, const pk_opt *opts, size_t nopts)
{
    static const char *const kinds[] = {"flag", "size", "string", "choice", "value"};
    fputs("[", out);
    for (size_t i = 0; i < nopts; i++) {
        const pk_opt *o = &opts[i];
        fputs(i ? ", {\"name\": " : "{\"name\": ", out);
        json_str(out, o->name);
        fputs(", \"metavar\": ", out);
        json_str(out, o->metavar ? o->metavar : "");
        fputs(", \"help\": ", out);
        json_str(out, o->help ? o->help : "");
        fprintf(out, ", \"kind\": \"%s\"", kinds[o->kind]);
        if (o->kind == PK_OPT_SIZE)
            fprintf(out, ", \"min\": %llu, \"max\": %llu", (unsigned long long)o->min,
                    (unsigned long long)(o->max ? o->max : UINT64_MAX));
        if (o->kind == PK_OPT_CHOICE && o->choices) {
            fputs(", \"choices\": ", out);
            json_str(out, o->choices);
        }
        fputs("}", out);
    }
    fputs("]", out);
}

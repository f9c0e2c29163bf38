#include "parkit/report.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

void pk_report_init(pk_report *r, const char *title)
{
    memset(r, 0, sizeof *r);
    snprintf(r->title, sizeof r->title, "%s", title ? title : "");
}

static pk_field *slot(pk_report *r, const char *key)
{
    for (size_t i = 0; i < r->count; i++)
        if (strcmp(r->fields[i].key, key) == 0) return &r->fields[i];
    if (r->count == PK_REPORT_MAX_FIELDS) {
        r->dropped++;
        fprintf(stderr, "parkit: internal error: report field '%s' dropped: more than %d fields\n", key,
                PK_REPORT_MAX_FIELDS);
        return NULL;
    }
    pk_field *f = &r->fields[r->count++];
    snprintf(f->key, sizeof f->key, "%s", key);
    return f;
}

static void vset(pk_report *r, const char *key, pk_field_kind kind, const char *fmt, va_list ap)
{
    pk_field *f = slot(r, key);
    if (!f) return;
    f->kind = kind;
    vsnprintf(f->text, sizeof f->text, fmt, ap);
}

void pk_report_str(pk_report *r, const char *key, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vset(r, key, PK_FIELD_STRING, fmt, ap);
    va_end(ap);
}

void pk_report_num(pk_report *r, const char *key, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vset(r, key, PK_FIELD_NUMBER, fmt, ap);
    va_end(ap);
}

void pk_report_bool(pk_report *r, const char *key, int value)
{
    pk_field *f = slot(r, key);
    if (!f) return;
    f->kind = PK_FIELD_BOOL;
    snprintf(f->text, sizeof f->text, "%s", value ? "true" : "false");
}

const pk_field *pk_report_get(const pk_report *r, const char *key)
{
    for (size_t i = 0; i < r->count; i++)
        if (strcmp(r->fields[i].key, key) == 0) return &r->fields[i];
    return NULL;
}

/* text with every control character (and DEL) written as \n, \r or \xHH, and a backslash doubled so
 * the escapes stay unambiguous: report values quote file names, argv[0] and the environment, and a
 * newline in one of them would otherwise add a line of the caller's choosing (a forged
 * "verification: PASS"). */
static void put_text_escaped(FILE *out, const char *text)
{
    for (const unsigned char *p = (const unsigned char *)text; *p; p++) {
        if (*p == '\n') fputs("\\n", out);
        else if (*p == '\r') fputs("\\r", out);
        else if (*p == '\\') fputs("\\\\", out);
        else if (*p < 0x20 || *p == 0x7f) fprintf(out, "\\x%02x", *p);
        else fputc(*p, out);
    }
}

void pk_report_print_text(const pk_report *r, FILE *out)
{
    if (r->title[0]) {
        fputs("# ", out);
        put_text_escaped(out, r->title);
        fputc('\n', out);
    }
    for (size_t i = 0; i < r->count; i++) {
        put_text_escaped(out, r->fields[i].key);
        fputs(": ", out);
        put_text_escaped(out, r->fields[i].text);
        fputc('\n', out);
    }
    if (r->dropped) fprintf(out, "report_fields_dropped: %zu\n", r->dropped);
    fflush(out);
}

/* A tiny appender that counts what it would need, like snprintf. */
typedef struct sink {
    char *buf;
    size_t len, used;
} sink;

static void put(sink *s, const char *text, size_t n)
{
    for (size_t i = 0; i < n; i++, s->used++)
        if (s->used + 1 < s->len) s->buf[s->used] = text[i];
}

static void put_json_string(sink *s, const char *text)
{
    put(s, "\"", 1);
    for (const unsigned char *p = (const unsigned char *)text; *p; p++) {
        char esc[8];
        if (*p == '"' || *p == '\\') {
            esc[0] = '\\';
            esc[1] = (char)*p;
            put(s, esc, 2);
        } else if (*p < 0x20) {
            snprintf(esc, sizeof esc, "\\u%04x", *p);
            put(s, esc, 6);
        } else {
            put(s, (const char *)p, 1);
        }
    }
    put(s, "\"", 1);
}

size_t pk_json_string(const char *text, char *buf, size_t len)
{
    sink s = {buf, len, 0};
    put_json_string(&s, text ? text : "");
    if (len) buf[s.used < len ? s.used : len - 1] = '\0';
    return s.used;
}

/* JSON's number grammar: -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)? */
static int json_number(const char *t)
{
    if (*t == '-') t++;
    if (*t == '0') t++;
    else if (isdigit((unsigned char)*t)) while (isdigit((unsigned char)*t)) t++;
    else return 0;
    if (*t == '.') {
        t++;
        if (!isdigit((unsigned char)*t)) return 0;
        while (isdigit((unsigned char)*t)) t++;
    }
    if (*t == 'e' || *t == 'E') {
        t++;
        if (*t == '+' || *t == '-') t++;
        if (!isdigit((unsigned char)*t)) return 0;
        while (isdigit((unsigned char)*t)) t++;
    }
    return *t == '\0';
}

size_t pk_report_json(const pk_report *r, char *buf, size_t len)
{
    sink s = {buf, len, 0};
    if (len) buf[0] = '\0';
    put(&s, "{", 1);
    for (size_t i = 0; i < r->count; i++) {
        const pk_field *f = &r->fields[i];
        if (i) put(&s, ", ", 2);
        put_json_string(&s, f->key);
        put(&s, ": ", 2);
        if (f->kind == PK_FIELD_STRING) put_json_string(&s, f->text);
        else if (f->kind == PK_FIELD_NUMBER && !json_number(f->text)) put(&s, "null", 4);
        else put(&s, f->text, strlen(f->text));
    }
    if (r->dropped) {
        char tail[64];
        int n = snprintf(tail, sizeof tail, "%s\"report_fields_dropped\": %zu", r->count ? ", " : "", r->dropped);
        put(&s, tail, (size_t)n);
    }
    put(&s, "}", 1);
    if (len) buf[s.used < len ? s.used : len - 1] = '\0';
    return s.used;
}

void pk_report_print_json(const pk_report *r, FILE *out)
{
    /* sized by a first pass: escaping can make a string six times longer */
    size_t need = pk_report_json(r, NULL, 0) + 1;
    char *buf = malloc(need);
    if (!buf) {
        fprintf(stderr, "parkit: out of memory for a %zu-byte JSON report\n", need);
        return;
    }
    pk_report_json(r, buf, need);
    fprintf(out, "%s\n", buf);
    fflush(out);
    free(buf);
}

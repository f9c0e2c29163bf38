/* The one report of the kit: an ordered list of key/value fields printed either as
 * "key: value" lines (text) or as one JSON object (--json). Both forms carry the same fields. */
#ifndef PARKIT_REPORT_H
#define PARKIT_REPORT_H
#include <stdio.h>
#include <stddef.h>
#ifdef __cplusplus
extern "C" {
#endif

#define PK_REPORT_MAX_FIELDS 128
#define PK_REPORT_MAX_TEXT 256

typedef enum pk_field_kind { PK_FIELD_STRING, PK_FIELD_NUMBER, PK_FIELD_BOOL } pk_field_kind;

typedef struct pk_field {
    char key[48];
    char text[PK_REPORT_MAX_TEXT];
    pk_field_kind kind;
} pk_field;

typedef struct pk_report {
    char title[160];
    pk_field fields[PK_REPORT_MAX_FIELDS];
    size_t count;
    size_t dropped; /* fields that did not fit: each one said so on stderr; printed as a field */
} pk_report;

void pk_report_init(pk_report *r, const char *title);
/* Adds (or replaces) a field. A field past PK_REPORT_MAX_FIELDS is dropped loudly: one line on
 * stderr, and the report ends with report_fields_dropped. NUMBER text that is not a JSON number
 * (nan, inf) prints as null in JSON, so the object always parses. */
void pk_report_str(pk_report *r, const char *key, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
void pk_report_num(pk_report *r, const char *key, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
void pk_report_bool(pk_report *r, const char *key, int value);
const pk_field *pk_report_get(const pk_report *r, const char *key);

void pk_report_print_text(const pk_report *r, FILE *out);
void pk_report_print_json(const pk_report *r, FILE *out);
/* JSON object into buf (for tests); returns the length it needs, like snprintf. */
size_t pk_report_json(const pk_report *r, char *buf, size_t len);
/* `text` as a quoted JSON string (the report's escaping) into buf; returns the length it needs. */
size_t pk_json_string(const char *text, char *buf, size_t len);

#ifdef __cplusplus
}
#endif
#endif

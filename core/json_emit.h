/*
 * json_emit.h - helpers shared by the JSON-ish writers (jsonl, and any later
 * JSON array or trace-viewer format).
 *
 * Every function writes into a caller-supplied buffer without bounds checks
 * and returns the pointer just past what it wrote.  The caller reserves the
 * worst case first (sr_sink_reserve), using the *_MAX macros or
 * sr_json_value_max(), then commits the difference of the pointers.  This is
 * the yyjson pattern: one capacity check per event, none per token.
 *
 * Output is always valid JSON (RFC 8259) and valid UTF-8, whatever bytes the
 * input holds.
 */
#ifndef SR_JSON_EMIT_H
#define SR_JSON_EMIT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "sysrep.h"

/* Worst case of sr_json_esc() for n input bytes: a control byte becomes
 * \u00XX and an invalid UTF-8 byte becomes \ufffd, 6 bytes each. */
#define SR_JSON_ESC_MAX(n) (6 * (size_t)(n))
/* Worst case of sr_json_str() (adds the quotes). */
#define SR_JSON_STR_MAX(n) (SR_JSON_ESC_MAX(n) + 2)
/* Worst cases of the number writers. */
#define SR_JSON_INT_MAX 20    /* "-9223372036854775808", "18446744073709551615" */
#define SR_JSON_TIME_MAX 32   /* "-9223372036854775808.999999999" */
#define SR_JSON_DOUBLE_MAX 32 /* "%.17g" of any double, or "null" */

/* Copies a string literal: d = SR_JSON_LIT(d, "\"pid\":"). */
#define SR_JSON_LIT(d, lit) (memcpy((d), (lit), sizeof(lit) - 1), (d) + sizeof(lit) - 1)

/* True when s[0..n) is well-formed UTF-8 (no overlongs, no surrogates, nothing
 * above U+10FFFF).  NUL bytes are valid. */
bool sr_json_utf8_valid(const char *s, size_t n);

/* Copies s[0..n) with each byte of an invalid UTF-8 sequence replaced by
 * U+FFFD (the text sr_json_esc() stands for, unescaped): for formats whose
 * strings must be UTF-8 (protobuf's string).  At most 3 * n bytes. */
char *sr_json_utf8_fix(char *d, const char *s, size_t n);

/* Writes s[0..n) as the contents of a JSON string (no quotes): " and \ and
 * control bytes escaped (\n \t \r \b \f short forms, others \u00XX), valid
 * UTF-8 sequences copied, each byte of an invalid sequence replaced by
 * \ufffd.  When bad is not NULL, sets *bad to true if such a replacement
 * happened (it is never set to false).  At most SR_JSON_ESC_MAX(n) bytes. */
char *sr_json_esc(char *d, const char *s, size_t n, bool *bad);

/* sr_json_esc() between double quotes; at most SR_JSON_STR_MAX(n) bytes. */
static inline char *sr_json_str(char *d, const char *s, size_t n)
{
	*d++ = '"';
	d = sr_json_esc(d, s, n, NULL);
	*d++ = '"';
	return d;
}

/* An interned name as a JSON string; copied as is when json_plain.
 * At most SR_JSON_STR_MAX(a->len) bytes. */
static inline char *sr_json_atom(char *d, const struct sr_atom *a)
{
	if (!a->json_plain)
		return sr_json_str(d, a->str, a->len);
	*d++ = '"';
	memcpy(d, a->str, a->len);
	d += a->len;
	*d++ = '"';
	return d;
}

/* Lowercase hex of n bytes, 2n characters, no quotes. */
char *sr_json_hex(char *d, const void *p, size_t n);

/* Decimal integers; at most SR_JSON_INT_MAX bytes. */
char *sr_json_u64(char *d, uint64_t v);
char *sr_json_i64(char *d, int64_t v);
/* The number of decimal digits of v (1 for 0). */
unsigned int sr_json_digits10(uint64_t v);
/* "0x" followed by lowercase hex digits, no padding; at most 18 bytes. */
char *sr_json_hex64(char *d, uint64_t v);
/* "0" followed by the octal digits ("00" for 0, "0644"); at most 24 bytes. */
char *sr_json_oct64(char *d, uint64_t v);

/* A time as a JSON number of seconds with exactly t->digits fraction digits
 * ("1795747987.942454", "10268.395234", "5" for digits 0); the clock is not
 * written.  At most SR_JSON_TIME_MAX bytes. */
char *sr_json_time(char *d, const struct sr_time *t);

/* The shortest decimal that reads back as x ("12.34", "0.000204", "1e-09");
 * "null" for NaN and infinities, which JSON cannot hold.  Uses snprintf: meant
 * for rare values (summary tables), not for the per-event path. */
char *sr_json_double(char *d, double x);

/* Decodes the C-style escapes strace writes in quoted strings and fd
 * annotations (\n \t \r \v \f \a \b \\ \" \' \? \ooo \xNN) from s[0..n) into
 * d; other bytes, and a backslash that starts no escape, are copied.  Returns
 * the decoded length, at most n.  d may equal s (decoding never grows). */
size_t sr_json_cunescape(char *d, const char *s, size_t n);

/*
 * The typed-value encoding of struct sr_value trees (documented in
 * docs/jsonl-schema.md).  sr_json_value_max() is an upper bound of what
 * sr_json_value() writes for v, and sr_json_value() may also use the
 * reserved bytes past its output up to that bound as scratch space (fd
 * annotations are decoded there), so reserve the whole bound.
 */
size_t sr_json_value_max(const struct sr_value *v);
char *sr_json_value(char *d, const struct sr_value *v);

/* The annotation of an FD value (its text) as a JSON string, C escapes
 * decoded; like sr_json_value() it uses up to 7 * text.len + 16 bytes past
 * d (decoding scratch), so reserve sr_json_value_max(fd). */
char *sr_json_fd_path(char *d, const struct sr_value *fd);
/* The text of a COMMENT value without the spaces around it, as a JSON
 * string; at most SR_JSON_STR_MAX(c->text.len) bytes. */
char *sr_json_comment(char *d, const struct sr_value *c);

/* The lossless extras (docs/jsonl-schema.md, "Back to strace text"). */
/* True when a COMMENT's text is " body " (one space each side), the form
 * sr_json_comment() trims and the reader gives back. */
bool sr_json_comment_plain(const struct sr_value *c);
/* True when strace prints the operator op[0..n) of an EXPR with a space
 * on each side by default ("&&", "==", ...). */
bool sr_json_expr_spaced(const char *op, size_t n);
/* The typed-value tags: sr_json_tag() gives the index of the tag key[0..n)
 * ("hex", "str", "flags", ...) or -1; sr_json_tag_allows() says whether an
 * object whose first key is that tag may also hold key.  An object read
 * back is a typed value only when both agree; otherwise it is a struct. */
int sr_json_tag(const char *key, size_t n);
bool sr_json_tag_allows(int tag, const char *key, size_t n);

struct sr_buf;
/* Appends to b the strace text of an attached line rebuilt from its fields
 * (a -k frame, a dump row, an iovec header; TEXT: its text).  The jsonl
 * writer keeps an attachment's text only when it differs from this, and
 * the JSON reader rebuilds it the same way. */
void sr_json_attach_text(struct sr_buf *b, const struct sr_attach *a);

/* Semantic values (sysrep.h, docs/semantic-record.md) as plain JSON: an
 * object's members in order, strings as sr_json_str() writes them.
 * sr_json_sval_max() bounds what sr_json_sval() writes (reserve it). */
size_t sr_json_sval_max(const struct sr_sval *s);
char *sr_json_sval(char *d, const struct sr_sval *s);
/* sr_json_sval(), and sets *trunc to true when it wrote a truncated string
 * (SR_SF_TRUNC; never sets it to false): the writer then knows whether
 * sr_json_sval_truncs() has anything to write without a second walk. */
char *sr_json_sval_tr(char *d, const struct sr_sval *s, bool *trunc);
/* The JSON Pointers of the truncated strings (SR_SF_TRUNC) under s, each
 * prefixed by prefix ("/args"), as JSON strings separated by commas (one
 * before each but the first: *first tracks it).  scratch must hold the
 * longest pointer: sr_json_sval_max(s) bytes plus the prefix do. */
char *sr_json_sval_truncs(char *d, const struct sr_sval *s, const char *prefix, char *scratch,
			  bool *first);

/* Trees deeper than this are cut: the deeper value is written as null.
 * Readers are expected to bound nesting well below it. */
#define SR_JSON_MAX_DEPTH 256

/* The value of hex digit c (either case), or -1. */
static inline int sr_hexval(unsigned char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c |= 0x20;
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

#endif /* SR_JSON_EMIT_H */

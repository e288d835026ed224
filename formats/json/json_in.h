/*
 * json_in.h - what the parts of the JSON reader share: the reader's state,
 * the decoding context of one object, small helpers over jansson values
 * (json_in_util.c), and the decoders of the three shapes (json_in_sysrep.c
 * for sysrep's own JSON, json_in_foreign.c for strace -B json,
 * json_in_omni.c for posix-omni-parser, json_in_text.c for values left in
 * strace's text spelling).  in_json.c reads the input and picks a decoder per
 * object.
 */
#ifndef JSON_IN_H
#define JSON_IN_H

#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "json_emit.h"
#include "strace_text.h"

#define CHUNK (1u << 20)
#define BATCH_EVENTS 4096
#define MAX_DEPTH 200
#define JFLAGS (JSON_DISABLE_EOF_CHECK | JSON_ALLOW_NUL)

enum shape { SHAPE_SYSREP = 1, SHAPE_BJSON, SHAPE_OMNI };

struct sr_reader {
	struct sr_source *in;	 /* borrowed */
	char *buf;		 /* owned: input not yet decoded is buf[pos..len) */
	size_t len, cap, pos;
	bool eof;
	uint64_t line;		 /* 1-based line of buf[pos] */
	uint32_t col;		 /* 0-based column of buf[pos] */
	size_t obj_pos;		 /* the last object's first byte in buf */
	uint64_t obj_line;	 /* ... its line and column, as line, col */
	uint32_t obj_col;
	bool keep_going;	 /* JSON Lines: a bad line becomes "unparsed" */
	bool started, array, done;
	uint64_t nobj;		 /* top-level objects decoded */
	uint8_t last_pf;	 /* pid form of the last event with a pid */
	char nonce[48];		 /* marks integers too big for jansson (see rescue) */
	size_t nonce_len;
	struct sr_buf scratch;	 /* owned: printing, rebuilt texts */
	struct sr_buf fix;	 /* owned: an object with big integers rewritten */
	enum sr_arch arch;	 /* the signatures semantic records were written with */
	/* strace -B json: the first half ("return":"unfinished") of a call
	 * per pid, kept as its object (a batch's arena does not outlive the
	 * batch) until its {"resumed":...} comes; owned references */
	struct { int64_t pid; json_t *o; } pend[16];
	unsigned npend;
};

/* The decoding context of one object. */
struct dctx {
	struct sr_reader *r;
	struct sr_batch *b;
	bool oom;
	/* strace -B json: the argument being decoded is a string by its
	 * signature (path, string, buffer, argv), so a JSON string there is
	 * text even when it reads like a number or a constant */
	bool want_str;
	bool failed;         /* ... and the call failed (a buffer may be an address) */
	const struct sr_atom *call; /* strace -B json: the call being decoded */
	/* why a value could not be decoded (valid JSON of the wrong shape:
	 * a typed object without its value, an index pair of one item), or
	 * NULL: nested too deeply */
	const char *why;
	char why_buf[200];   /* why, when it is built (a key of the wrong type) */
	const char *bad_key; /* the top-level key why is about, or NULL */
};

/* A decoder's answer to a missing value: false, with the reason kept for
 * the error message.  Every value decoder starts with it, so a shape that
 * lacks a member is an error, never a NULL handed to jansson. */
static inline bool sr_jin_missing(struct dctx *c, const json_t *j, const char *what)
{
	if (j)
		return false;
	if (!c->why)
		c->why = what;
	return true;
}

struct sr_str sr_jin_dup_str(struct dctx *c, const char *s, size_t n);
struct sr_str sr_jin_jstr(struct dctx *c, const json_t *v);
const struct sr_atom *sr_jin_jatom(struct dctx *c, const json_t *v);
struct sr_value *sr_jin_new_values(struct dctx *c, size_t n);
int sr_jin_hexval(unsigned char ch);
struct sr_str sr_jin_unhex(struct dctx *c, const char *s, size_t n);
int64_t sr_jin_jint(const json_t *v, int64_t def);
bool sr_jin_jtrue(const json_t *v);
bool sr_jin_big_int(struct sr_reader *r, const json_t *v, uint64_t *u);
bool sr_jin_spelled_int(const char *s, size_t n, struct sr_value *v);
bool sr_jin_is_word(const char *s, size_t n);
uint32_t sr_jin_default_pad(struct sr_reader *r, const struct sr_event *ev);
bool sr_jin_check_types(struct dctx *c, const json_t *o);
bool sr_jin_sysrep_event(struct dctx *c, const json_t *o, struct sr_event *ev);
bool sr_jin_bjson_value(struct dctx *c, const json_t *j, struct sr_value *v, int depth,
			bool member);
void sr_jin_foreign_errno(struct dctx *c, const json_t *o, struct sr_event *ev);
void sr_jin_foreign_pid(const json_t *o, struct sr_event *ev);
void sr_jin_text_return(struct dctx *c, const char *s, size_t n, struct sr_event *ev);
bool sr_jin_foreign_return(struct dctx *c, const json_t *ret, struct sr_event *ev);
bool sr_jin_bjson_event(struct dctx *c, const json_t *o, struct sr_event *ev);
void sr_jin_bjson_drop_pending(struct sr_reader *r);
/* The arguments in strace's text s[0..n) (one or more, ", " between them)
 * of call `name`, as the strace reader reads them: the line
 * "name(s) = 0" goes through the registered strace reader (the public
 * reader API, over a memory file) and its arguments are deep-copied into
 * out[0..cap), *got of them.  False when the text is not one call's
 * arguments.  A reader opened per call: for the rare values foreign
 * producers leave as text, not a hot path (json_in_text.c). */
bool sr_jin_strace_args(struct dctx *c, const struct sr_atom *name, const char *s, size_t n,
			struct sr_value *out, uint32_t cap, uint32_t *got);
bool sr_jin_omni_event(struct dctx *c, const json_t *o, struct sr_event *ev);

#endif /* JSON_IN_H */

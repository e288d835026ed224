/*
 * mp_json.h - JSON text <-> MessagePack, one value at a time (core/mp_json.c).
 *
 * The msgpack writer's semantic form is the JSON Lines writer's record
 * transcoded, and its reader turns each map back into JSON text for the
 * JSON reader: one encoder and one decoder of the record serve both
 * formats, so a msgpack map equals the JSON object by construction
 * (docs/pb-msgpack.md).  The mapping is the one JSON decoders use
 * (Python's json, jansson):
 *
 *   object <-> map (keys str, order kept)    array <-> array
 *   string <-> str (escapes decoded, \uXXXX surrogate pairs joined)
 *   integer <-> int (negative), uint (above INT64_MAX too, up to UINT64_MAX)
 *   number with '.', 'e' or 'E' <-> float64 (strtod, as jansson reads it)
 *   true, false, null <-> true, false, nil
 *
 * Both directions write the smallest msgpack/JSON form and never recurse:
 * nesting is bounded by SR_MPJ_MAX_DEPTH before anything else happens.
 */
#ifndef SR_MP_JSON_H
#define SR_MP_JSON_H

#include "buf.h"

#define SR_MPJ_MAX_DEPTH 1024

/* Why a transcoding stopped: what was expected at byte `at` of the input. */
struct sr_mpj_err {
	const char *why;
	size_t at;
};

/*
 * JSON -> msgpack: transcodes the one JSON value at s[0..n) (white space
 * before it is skipped) and appends its msgpack to out.  Returns the bytes
 * of s used, up to the value's last byte; 0 on an error (e set, out cut
 * back to its length before the call).  Rejected: malformed JSON, strings
 * that are not UTF-8 or hold a lone surrogate, integers beyond 64 bits,
 * nesting deeper than SR_MPJ_MAX_DEPTH, out of memory.
 */
size_t sr_json_to_mp(const char *s, size_t n, struct sr_buf *out, struct sr_mpj_err *e);

/*
 * msgpack -> JSON: transcodes the one msgpack object at p[0..n) into JSON
 * text appended to out (no white space; floats in the shortest form that
 * reads back as the same double, always with a '.' or an exponent so that
 * a float stays a float).  Returns 1 with *used, 0 when the object is cut
 * short by the end of p (more input may complete it), -1 when it cannot be
 * JSON (e set): a map key that is no str, a str that is not UTF-8, bin or
 * ext, NaN or an infinity, a reserved byte, too deep.  On 0 and -1 out is
 * cut back to its length before the call.
 */
int sr_mp_to_json(const unsigned char *p, size_t n, struct sr_buf *out, size_t *used,
		  struct sr_mpj_err *e);

#endif /* SR_MP_JSON_H */

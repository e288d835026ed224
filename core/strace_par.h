/*
 * strace_par.h - one strace text input parsed on several threads
 * (strace_par.c), for "sysrep convert -j N" on a single file.
 */
#ifndef SR_STRACE_PAR_H
#define SR_STRACE_PAR_H

#include "sysrep.h"

/* The default chunk: big enough that the per-chunk stitching is noise
 * (about a thousand lines; callgrind: the same instructions at 64, 128 and
 * 256 KiB), small enough that the 2N+1 chunks in flight, each with its
 * batch, stay in a few MB: 1 MiB chunks made -j 2 use 45 MB and spend a
 * fifth more CPU than -j 1; 256 KiB use 22 MB, 128 KiB 15 MB, and their
 * CPU over -j 1 (1-8%, 0-5%) is within a loaded machine's noise. */
#define SR_PAR_CHUNK ((size_t)1 << 17)

/* Receives the batches in input order; an error stops the run. */
typedef enum sr_status (*sr_par_emit)(void *ctx, struct sr_batch *b, struct sr_error *err);

/* Reads src to its end with the strace reader on jobs worker threads (plus
 * the calling thread, which reads, stitches and calls emit), in chunks of
 * about chunk bytes (0: SR_PAR_CHUNK).  The events are exactly those the
 * strace reader's next() gives on the same input, in the same order, with
 * atoms from the run's table atoms; only the batch boundaries differ. */
enum sr_status sr_strace_par_run(struct sr_source *src, struct sr_intern *atoms, int jobs,
				 size_t chunk, sr_par_emit emit, void *ctx, struct sr_error *err);

#endif /* SR_STRACE_PAR_H */

/*
 * cleanup.c - the outputs a run has not finished yet, for sr_discard_outputs().
 *
 * A sink writing a file writes a hidden temporary next to it and renames it
 * into place when it closes; the seq writer's adfa layout makes a directory.
 * A signal that ends the process between the two would leave them behind
 * (issue 22: 211 MB seen).  The library installs no signal handler: it keeps
 * the paths in a fixed table that a handler the program installs may walk,
 * with sr_discard_outputs(), which calls only unlink() and rmdir(), both
 * async-signal-safe.
 *
 * A slot goes FREE -> CLAIMED (its path being written) -> READY (visible to
 * the handler) -> FREE, each step one atomic store, so the handler never reads
 * a path being written.  Sinks open in several threads at once (corpus mode)
 * claim slots with a compare-and-swap.  With every slot taken, an output is
 * still written, only not discarded on a signal.
 */
#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>

#include "sysrep.h"
#include "cleanup.h"

#define SLOTS 64

enum { FREE, CLAIMED, READY };

static struct {
	int state; /* FREE, CLAIMED, READY: accessed atomically */
	bool dir;
	char path[PATH_MAX];
} slots[SLOTS];

int sr_cleanup_add(const char *path, bool dir)
{
	size_t n = strlen(path);

	if (n >= PATH_MAX)
		return -1;
	for (int i = 0; i < SLOTS; i++) {
		int want = FREE;

		if (!__atomic_compare_exchange_n(&slots[i].state, &want, CLAIMED, false,
						 __ATOMIC_ACQ_REL, __ATOMIC_RELAXED))
			continue;
		memcpy(slots[i].path, path, n + 1);
		slots[i].dir = dir;
		__atomic_store_n(&slots[i].state, READY, __ATOMIC_RELEASE);
		return i;
	}
	return -1;
}

void sr_cleanup_drop(int slot)
{
	if (slot >= 0 && slot < SLOTS)
		__atomic_store_n(&slots[slot].state, FREE, __ATOMIC_RELEASE);
}

void sr_discard_outputs(void)
{
	int e = errno;

	/* files first, so that a directory is empty when its turn comes */
	for (int pass = 0; pass < 2; pass++)
		for (int i = 0; i < SLOTS; i++) {
			if (__atomic_load_n(&slots[i].state, __ATOMIC_ACQUIRE) != READY ||
			    slots[i].dir != (pass == 1))
				continue;
			if (pass == 0)
				unlink(slots[i].path);
			else
				rmdir(slots[i].path);
		}
	errno = e;
}

/*
 * cleanup.h - registering unfinished outputs for sr_discard_outputs()
 * (core/cleanup.c): the sink's temporary files, the seq writer's adfa
 * directory.
 */
#ifndef SR_CLEANUP_H
#define SR_CLEANUP_H

#include <stdbool.h>

/* Registers path (a file, or a directory to rmdir when empty); returns the
 * slot to drop once the output is settled, or -1 (no room, path too long:
 * the output is then only not discarded on a signal). */
int sr_cleanup_add(const char *path, bool dir);
/* Forgets a slot (accepts -1). */
void sr_cleanup_drop(int slot);

#endif /* SR_CLEANUP_H */

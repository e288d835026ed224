/*
 * views.h - the writers behind "sysrep tree" and "sysrep report".
 *
 * They read batches like any writer, so the conversion pipeline
 * (convert.h) feeds them from any reader, but they write only at finish():
 * a tree or a report is known only once the trace has been read.  They are
 * not in formats/formats.def: their output is a view of a trace, not a
 * trace format that could be read back.
 *
 *   sr_view_tree     the process tree as text; option json: as JSON
 *   sr_view_report   a self-contained HTML page (core/report.c)
 */
#ifndef SR_VIEWS_H
#define SR_VIEWS_H

#include "sysrep.h"

extern const struct sr_writer_class sr_view_tree;
extern const struct sr_writer_class sr_view_report;

#endif /* SR_VIEWS_H */

/* journal.h: what an apply has done since the state was last written
   whole, one JSON record a line, appended and fdatasync'ed as each step
   starts and ends, beside the state (STATE.journal). An apply of N steps
   writes N records instead of rewriting the state N times; the state is
   written whole at the end, and the journal of a run that was killed is
   folded into the state by the next one (and by plan --against).

   Records set values, never add to them, so that folding a journal twice
   (a crash between writing the state and removing the journal) gives the
   same state as folding it once:
     {"start": LOGICAL, "resource": NAME, "n": K, "op": OP, "token": T}
        the resource's step K (OP) is about to be called, with the client
        token T when the operation takes one: an in-flight mark (inflight)
     {"step": LOGICAL, "resource": NAME, "n": K, "captures": {...}}
        step K is done: K + 1 steps done, its captures so far (a value
        they replace is kept in the entry's "was", the first one only,
        until it settles: the old revision a resumed apply deregisters)
     {"settle": LOGICAL, "resource": NAME, "captures": {...}, "template": DEF}
        the resource's last step is done: the state's template holds DEF
     {"delete": LOGICAL}
        the resource is gone */
#ifndef JOURNAL_H
#define JOURNAL_H

#include <stdbool.h>

#include <cjson/cJSON.h>

typedef struct {
  int fd; /* -1: no journal (no state file) */
  char *path;
} Journal;

/* Opens the journal of the state at state_path, emptied: the state there
   must already hold everything the journal held (journal_fold, then the
   state written). False after a message. */
bool journal_open(Journal *j, const char *state_path);
/* Appends the record and syncs it to disk; false after a message. */
bool journal_append(Journal *j, const cJSON *rec);
/* Closes it; remove: the state now holds it all, so it goes. */
void journal_close(Journal *j, bool remove);
/* Applies one record to the state (what folding does, and what an apply
   does in memory as it appends the record). */
void journal_apply(cJSON *state, const cJSON *rec);
/* Folds the journal beside state_path (if any) into state: *records says
   how many. A last line cut short (a kill in the middle of a write) is
   left out; any other malformed record is an error. False after a
   message. */
bool journal_fold(cJSON *state, const char *state_path, int *records);

#endif

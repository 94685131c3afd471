/* runlock: one covid-ingest at a time per database, with flock() on
 * "<db>.lock". The kernel drops the lock when the process dies, even by
 * SIGKILL, so a crashed run never blocks the next one. The file also holds the
 * holder's pid, for the message a refused run prints. */
#ifndef COVID_RUNLOCK_H
#define COVID_RUNLOCK_H

#include <sys/types.h>

/* Takes the lock for db_path without waiting. Returns the lock's file
 * descriptor (keep it open for the whole run; closing it or exiting releases
 * the lock), -1 when another process holds it (its pid in *holder, 0 when
 * unknown), or -2 on an error (logged). */
int runlock_acquire(const char *db_path, pid_t *holder);

void runlock_release(int fd);

#endif

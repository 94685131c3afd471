/* file_write: writing files that a reader (nginx, another process) must
 * never find half-written: a write that survives signals, a file written
 * beside its name and renamed onto it, and a flush to disk by name for a
 * file someone else wrote. A name lands only on whole, durable content:
 * after a crash a reader finds the old file or the new one, never a
 * short one. Knows nothing of pages or exports. */
#ifndef COVID_FILE_WRITE_H
#define COVID_FILE_WRITE_H

#include <stddef.h>
#include <time.h>

/* All of buf[0..len) written to fd, again after a signal (EINTR) or a
 * short write. 0, or -1 with errno set (EIO when write wrote nothing). */
int file_write_all(int fd, const void *buf, size_t len);

/* data[0..len) as dir/name, replacing it when it exists: written to
 * dir/.name.PID, made 0644 whatever the umask (nginx reads it), given
 * mtime as its modification time when mtime >= 0 (else the time of
 * writing), flushed (fdatasync), then renamed onto dir/name. The
 * temporary name is the process's: two threads of one process must not
 * write the same name at once. 0, or -1 with errno set (the first error)
 * and dir/name untouched, the temporary file removed. */
int file_write_atomic(const char *dir, const char *name, const void *data,
    size_t len, time_t mtime);

/* The file at path, written by code that had only its name (a library
 * that opens it itself), flushed to disk (fsync) before a caller renames
 * it into place. 0, or -1 with errno set. */
int file_write_sync(const char *path);

#endif

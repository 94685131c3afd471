/* fcgi_records: a large response written straight to the FastCGI
 * connection, as records of up to 64 kB in as few writev(2) calls as the
 * kernel takes. libfcgi's own stream (FCGX_PutStr) frames everything in
 * records of 8 kB, each its own write(2): 100 system calls and wake-ups of
 * nginx for the county map's 820 kB, most of what a worker spent on it
 * (bench/README.md, "Maps"). The records are the protocol's own
 * (FastCGI 1.0, section 3.3: an 8-byte header, then up to 65,535 bytes),
 * so nginx reads them like any others. */
#ifndef COVID_FCGI_RECORDS_H
#define COVID_FCGI_RECORDS_H

#include <sys/uio.h>

/* The FastCGI record types this writes. */
enum { FCGI_RECORD_STDOUT = 6 };

/* Writes the bytes of the n pieces, in order, to fd as records of the
 * given type for the request id, then returns 0; -1 (errno set) when a
 * write failed (the client, or nginx, went away). The caller must have
 * flushed whatever libfcgi still holds for the stream first. */
int fcgi_records_write(int fd, int request_id, int type,
    const struct iovec *pieces, int n);

#endif

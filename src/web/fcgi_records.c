/* fcgi_records: FastCGI records written with writev (see fcgi_records.h). */
#include <errno.h>
#include <stddef.h>

#include "web/fcgi_records.h"

/* A record's content: the most the protocol allows, rounded down to a
 * multiple of 8 so that no record needs padding. */
enum { RECORD_MAX = 65528 };

/* iovecs gathered before a writev: a header and its content's slices. */
enum { BATCH = 64 };

struct batch {
	struct iovec  iov[BATCH];
	unsigned char header[BATCH / 2][8];
	int           niov, nheader;
};

/* Writes every byte the iovecs hold; a writev that stops short (the
 * socket's buffer filled, a signal) goes on from where it stopped. */
static int
write_all(int fd, struct iovec *iov, int n)
{
	while (n > 0) {
		ssize_t w = writev(fd, iov, n);

		if (w < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		while (n > 0 && (size_t)w >= iov->iov_len) {
			w -= (ssize_t)iov->iov_len;
			iov++;
			n--;
		}
		if (n > 0) {
			iov->iov_base = (char *)iov->iov_base + w;
			iov->iov_len -= (size_t)w;
		}
	}
	return 0;
}

static int
batch_flush(int fd, struct batch *b)
{
	int rc = write_all(fd, b->iov, b->niov);

	b->niov = b->nheader = 0;
	return rc;
}

static void
batch_header(struct batch *b, int type, int id, size_t len)
{
	unsigned char *h = b->header[b->nheader++];

	h[0] = 1;                       /* FCGI_VERSION_1 */
	h[1] = (unsigned char)type;
	h[2] = (unsigned char)(id >> 8);
	h[3] = (unsigned char)id;
	h[4] = (unsigned char)(len >> 8);
	h[5] = (unsigned char)len;
	h[6] = 0;                       /* no padding */
	h[7] = 0;
	b->iov[b->niov++] = (struct iovec){ h, 8 };
}

int
fcgi_records_write(int fd, int request_id, int type,
    const struct iovec *pieces, int n)
{
	struct batch b = { .niov = 0 };
	size_t total = 0, off = 0;
	int piece = 0;

	for (int i = 0; i < n; i++)
		total += pieces[i].iov_len;
	while (total > 0) {
		size_t left = total < RECORD_MAX ? total : RECORD_MAX;

		/* Room for the header and a slice of every piece at worst. */
		if (b.niov + 1 + n > BATCH && batch_flush(fd, &b) != 0)
			return -1;
		batch_header(&b, type, request_id, left);
		total -= left;
		while (left > 0) {
			size_t take = pieces[piece].iov_len - off;

			if (take > left)
				take = left;
			if (take > 0)
				b.iov[b.niov++] = (struct iovec){
					(char *)pieces[piece].iov_base + off, take };
			off += take;
			left -= take;
			if (off == pieces[piece].iov_len) {
				piece++;
				off = 0;
			}
		}
	}
	return batch_flush(fd, &b);
}

/* arena: a bump allocator for results that live exactly as long as something
 * else (one request, one data version). Nothing is freed one by one; the
 * owner resets or frees the whole arena, so query results need no free
 * functions and a finished request leaves no pointers to chase. */
#ifndef COVID_ARENA_H
#define COVID_ARENA_H

#include <stddef.h>

struct arena_block;

struct arena {
	struct arena_block *head;   /* newest block first */
	size_t              used;   /* bytes handed out, for tests and logs */
};

/* size bytes aligned for any type, or NULL when out of memory. */
void *arena_alloc(struct arena *a, size_t size);
/* n elements of size bytes each, zeroed; NULL on overflow or no memory. */
void *arena_calloc(struct arena *a, size_t n, size_t size);
/* A copy of s (NULL stays NULL; "" when s is NULL is the caller's choice). */
char *arena_strdup(struct arena *a, const char *s);
char *arena_strndup(struct arena *a, const char *s, size_t len);

/* Forgets every allocation but keeps the first block for reuse, so a request
 * loop allocates nothing in the steady state. */
void arena_reset(struct arena *a);
void arena_free(struct arena *a);

#endif

/* slug: readable, stable URL path segments from JHU place names.
 * "Korea, South" -> "korea-south", "Doña Ana" -> "dona-ana": lower-case
 * ASCII letters and digits, every other run of characters becomes one '-',
 * none at either end. Accented Latin letters (UTF-8, U+00C0..U+017F) fold to
 * their base letters; anything else non-ASCII is a separator. The store joins
 * segments with '/' ("us/new-york/kings") and makes them unique. */
#ifndef COVID_SLUG_H
#define COVID_SLUG_H

#include <stddef.h>

/* Writes the segment for name into out (NUL-terminated, at most outsz - 1
 * bytes, cut at a character boundary with no trailing '-'). Returns its
 * length; 0 when name holds no letter or digit at all. */
size_t slug_segment(const char *name, char *out, size_t outsz);

#endif

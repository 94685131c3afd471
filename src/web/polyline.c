/* polyline: Douglas-Peucker simplification of a chart's line (see
 * polyline.h). */
#include <math.h>
#include <string.h>

#include "web/polyline.h"

/* The distance of (px, py) from the segment a-b. */
static double
distance(double px, double py, double ax, double ay, double bx, double by)
{
	double dx = bx - ax, dy = by - ay, len2 = dx * dx + dy * dy, t;

	if (len2 == 0)
		return hypot(px - ax, py - ay);
	t = ((px - ax) * dx + (py - ay) * dy) / len2;
	t = t < 0 ? 0 : t > 1 ? 1 : t;
	return hypot(px - (ax + t * dx), py - (ay + t * dy));
}

void
polyline_simplify(const double *x, const double *y, size_t n, double tol,
    unsigned char *keep)
{
	/* Spans still to look at, as pairs of end points. Each split pushes
	 * two spans and pops one, and no span is shorter than one point
	 * apart, so n pairs always suffice. */
	size_t span[2 * POLYLINE_MAX], top = 0;

	if (n == 0)
		return;
	if (n > POLYLINE_MAX)
		n = POLYLINE_MAX;
	memset(keep, 0, n);
	keep[0] = keep[n - 1] = 1;
	if (n < 3)
		return;
	span[top++] = 0;
	span[top++] = n - 1;
	while (top > 0) {
		size_t hi = span[--top], lo = span[--top], i, far = lo;
		double worst = 0;

		for (i = lo + 1; i < hi; i++) {
			double d = distance(x[i], y[i], x[lo], y[lo], x[hi], y[hi]);
			if (d > worst) {
				worst = d;
				far = i;
			}
		}
		if (worst <= tol)
			continue;
		keep[far] = 1;
		if (far - lo >= 2) {
			span[top++] = lo;
			span[top++] = far;
		}
		if (hi - far >= 2) {
			span[top++] = far;
			span[top++] = hi;
		}
	}
}

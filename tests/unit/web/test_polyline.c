/* test_polyline: Douglas-Peucker simplification. What it promises is
 * checked directly: the ends kept, no dropped point further than tol from
 * the line through the kept points around it, and straight runs reduced
 * to their ends. */
#include <math.h>
#include <stdlib.h>

#include "check.h"
#include "web/polyline.h"

static double xs[POLYLINE_MAX], ys[POLYLINE_MAX];
static unsigned char keep[POLYLINE_MAX];

/* The distance of (px, py) from the segment a-b, computed here apart from
 * the code under test. */
static double
seg_distance(double px, double py, double ax, double ay, double bx, double by)
{
	double dx = bx - ax, dy = by - ay, t = 0;

	if (dx != 0 || dy != 0)
		t = fmax(0, fmin(1, ((px - ax) * dx + (py - ay) * dy) /
		    (dx * dx + dy * dy)));
	return hypot(px - ax - t * dx, py - ay - t * dy);
}

/* The largest distance of a dropped point from the kept line around it;
 * -1 when an end was dropped. */
static double
worst_dropped(size_t n)
{
	size_t i, a = 0, b;
	double worst = 0;

	if (!keep[0] || !keep[n - 1])
		return -1;
	for (b = 1; b < n; b++) {
		if (!keep[b])
			continue;
		for (i = a + 1; i < b; i++)
			worst = fmax(worst, seg_distance(xs[i], ys[i], xs[a],
			    ys[a], xs[b], ys[b]));
		a = b;
	}
	return worst;
}

static size_t
kept(size_t n)
{
	size_t i, k = 0;

	for (i = 0; i < n; i++)
		k += keep[i];
	return k;
}

static void
test_small(void)
{
	xs[0] = 1;
	ys[0] = 2;
	keep[0] = 0;
	polyline_simplify(xs, ys, 1, 0.25, keep);
	CHECK_INT(keep[0], 1);
	xs[1] = 2;
	ys[1] = 2;
	polyline_simplify(xs, ys, 2, 0.25, keep);
	CHECK(keep[0] == 1 && keep[1] == 1);
	/* n = 0 touches nothing. */
	keep[0] = 7;
	polyline_simplify(xs, ys, 0, 0.25, keep);
	CHECK_INT(keep[0], 7);
}

static void
test_straight(void)
{
	size_t i, n = POLYLINE_MAX;

	for (i = 0; i < n; i++) {
		xs[i] = 40 + 0.6 * (double)i;
		ys[i] = 276 - 0.2 * (double)i;
	}
	polyline_simplify(xs, ys, n, 0.25, keep);
	CHECK_INT(kept(n), 2);
	CHECK(keep[0] && keep[n - 1]);
	/* A corner is kept. */
	for (i = n / 2; i < n; i++)
		ys[i] = ys[n / 2];
	polyline_simplify(xs, ys, n, 0.25, keep);
	CHECK_INT(kept(n), 3);
	CHECK(keep[n / 2]);
}

/* Zigzags wider than tol: nothing can go. */
static void
test_zigzag(void)
{
	size_t i, n = POLYLINE_MAX;

	for (i = 0; i < n; i++) {
		xs[i] = (double)i;
		ys[i] = i % 2 ? 1 : 0;
	}
	polyline_simplify(xs, ys, n, 0.25, keep);
	CHECK_INT(kept(n), n);
}

/* Random walks at several tolerances and lengths. */
static void
test_random(void)
{
	static const double tols[] = { 0.05, 0.25, 1, 5 };
	int iter, bad = 0;

	srand(11);
	for (iter = 0; iter < 400; iter++) {
		size_t i, n = 1 + (size_t)rand() % POLYLINE_MAX;
		double tol = tols[iter % 4], w;

		xs[0] = ys[0] = 0;
		for (i = 1; i < n; i++) {
			xs[i] = xs[i - 1] + (rand() % 8 == 0 ? 0 : 0.6);
			ys[i] = ys[i - 1] + ((double)rand() / RAND_MAX - 0.5) *
			    (iter % 3 == 0 ? 0.2 : 6);
		}
		polyline_simplify(xs, ys, n, tol, keep);
		w = worst_dropped(n);
		if (!(w >= 0 && w <= tol) && bad++ < 5)
			printf("# n %zu tol %g: worst %g\n", n, tol, w);
	}
	CHECK_INT(bad, 0);
}

int
main(void)
{
	test_small();
	test_straight();
	test_zigzag();
	test_random();
	return check_exit();
}

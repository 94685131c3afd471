/* polyline: dropping the points of a line that a reader cannot see.
 *
 * A chart 700 pixels wide that draws 1,143 days puts nearly two points in
 * every pixel column, and most of a cumulative curve is straight at that
 * scale. polyline_simplify marks the points to keep so that no dropped
 * point lies further than tol from the line drawn through the kept ones
 * (Douglas and Peucker, 1973). With tol a fraction of a pixel the drawing
 * is the same to the eye, and much shorter. */
#ifndef COVID_POLYLINE_H
#define COVID_POLYLINE_H

#include <stddef.h>

/* The most points one call takes; a longer line is simplified in pieces
 * (each piece keeps its ends). */
#define POLYLINE_MAX 1024

/* Sets keep[i] to 1 for the points of (x[i], y[i]), i < n <= POLYLINE_MAX,
 * that the simplified line goes through and 0 for the others. The first
 * and last points are always kept. Runs in O(n log n) time for the usual
 * line and O(n^2) at worst, with no allocation. */
void polyline_simplify(const double *x, const double *y, size_t n, double tol,
    unsigned char *keep);

#endif

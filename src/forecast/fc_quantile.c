/* fc_quantile: quantile levels, empirical quantiles and the error histogram. */
#include <math.h>
#include <stdlib.h>

#include "forecast/fc_quantile.h"

static int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

void
fc_sort(double *v, size_t n)
{
	qsort(v, n, sizeof *v, cmp_double);
}

double
fc_quantile_sorted(const double *sorted, size_t n, double p)
{
	double h, lo;
	size_t i;

	if (n == 0)
		return NAN;
	h = (double)(n - 1) * p;
	lo = floor(h);
	i = (size_t)lo;
	if (i + 1 >= n)
		return sorted[n - 1];
	return sorted[i] + (h - lo) * (sorted[i + 1] - sorted[i]);
}

int
fc_hist_bin(double x)
{
	long b = lround(x / FC_HIST_WIDTH) + FC_HIST_BINS / 2;

	if (b < 0)
		return 0;
	if (b >= FC_HIST_BINS)
		return FC_HIST_BINS - 1;
	return (int)b;
}

double
fc_hist_centre(int bin)
{
	return (double)(bin - FC_HIST_BINS / 2) * FC_HIST_WIDTH;
}

void
fc_hist_quantiles(const unsigned *counts, unsigned long n, double out[QF_NQ])
{
	unsigned long cum = 0;
	int bin = 0, k;

	for (k = 0; k < QF_NQ; k++) {
		/* the smallest bin whose cumulative count reaches level * n */
		double want = qf_levels[k] * (double)n;

		while (bin < FC_HIST_BINS - 1 && (double)(cum + counts[bin]) < want)
			cum += counts[bin++];
		out[k] = fc_hist_centre(bin);
	}
}

/* fc_baseline: the Hub's baseline from the symmetrised past differences. */
#include <math.h>

#include "forecast/fc_baseline.h"

int
fc_baseline(const double *w, size_t t, double *scratch, double q[QF_NQ])
{
	size_t i, n = 0;
	int k;

	if (isnan(w[t]))
		return -1;
	for (i = 1; i <= t; i++) {
		if (isnan(w[i]) || isnan(w[i - 1]))
			continue;
		scratch[n++] = w[i] - w[i - 1];
		scratch[n++] = w[i - 1] - w[i];
	}
	if (n == 0)
		return -1;
	fc_sort(scratch, n);
	for (k = 0; k < QF_NQ; k++) {
		double v = w[t] + fc_quantile_sorted(scratch, n, qf_levels[k]);

		q[k] = v > 0 ? v : 0;
	}
	return 0;
}

/* fc_score: WIS, coverage and relative WIS. */
#include <math.h>

#include "forecast/fc_score.h"

double
fc_interval_score(double alpha, double l, double u, double y)
{
	double s = u - l;

	if (y < l)
		s += 2.0 / alpha * (l - y);
	if (y > u)
		s += 2.0 / alpha * (y - u);
	return s;
}

struct fc_score
fc_score_forecast(const double q[QF_NQ], double y)
{
	struct fc_score r;
	const int K = FC_MEDIAN;   /* 11 intervals below the median */
	double sum;
	int k;

	r.abs_error = fabs(y - q[FC_MEDIAN]);
	sum = 0.5 * r.abs_error;
	for (k = 0; k < K; k++) {
		/* level k and its mirror QF_NQ-1-k bound the (1 - 2 level) interval */
		double alpha = 2.0 * qf_levels[k];

		sum += alpha / 2.0 *
		    fc_interval_score(alpha, q[k], q[QF_NQ - 1 - k], y);
	}
	r.wis = sum / (K + 0.5);
	r.cover50 = q[6] <= y && y <= q[16];
	r.cover95 = q[1] <= y && y <= q[21];
	return r;
}

void
fc_relative_wis(size_t n, const double *sum, size_t base, double *out)
{
	double theta[16];
	size_t i, j;

	if (n == 0 || n > 16 || base >= n)
		return;
	for (i = 0; i < n; i++) {
		double logsum = 0;

		for (j = 0; j < n; j++) {
			double a = sum[i * n + j], b = sum[j * n + i];

			if (i == j)
				continue;
			if (!(a > 0) || !(b > 0)) {
				logsum = NAN;
				break;
			}
			logsum += log(a / b);
		}
		theta[i] = exp(logsum / (double)n);
	}
	for (i = 0; i < n; i++)
		out[i] = theta[i] / theta[base];
}

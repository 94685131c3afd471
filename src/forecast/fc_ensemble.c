/* fc_ensemble: the baseline's spread widened with the horizon, averaged
 * with the smoothing's quantiles. */
#include "forecast/fc_ensemble.h"

const double fc_ensemble_weights[FC_STACK_N] = { 0.4, 0.55, 0.7, 0.85, 1.0 };

void
fc_ensemble(const double b[QF_NQ], const double m[QF_NQ], int h,
    double out[QF_NQ])
{
	fc_ensemble_weighted(b, m, h, FC_ENS_BASE_WEIGHT, out);
}

void
fc_ensemble_weighted(const double b[QF_NQ], const double m[QF_NQ], int h,
    double weight, double out[QF_NQ])
{
	double f = FC_ENS_BASE_SPREAD * h;

	for (int k = 0; k < QF_NQ; k++) {
		double bk = b[FC_MEDIAN] + f * (b[k] - b[FC_MEDIAN]);

		out[k] = weight * (bk > 0 ? bk : 0) + (1 - weight) * m[k];
	}
}

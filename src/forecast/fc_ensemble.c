/* fc_ensemble: the baseline's spread widened with the horizon, averaged
 * with the smoothing's quantiles. */
#include "forecast/fc_ensemble.h"

void
fc_ensemble(const double b[QF_NQ], const double m[QF_NQ], int h,
    double out[QF_NQ])
{
	double f = FC_ENS_BASE_SPREAD * h;

	for (int k = 0; k < QF_NQ; k++) {
		double bk = b[FC_MEDIAN] + f * (b[k] - b[FC_MEDIAN]);

		out[k] = FC_ENS_BASE_WEIGHT * (bk > 0 ? bk : 0) +
		    (1 - FC_ENS_BASE_WEIGHT) * m[k];
	}
}

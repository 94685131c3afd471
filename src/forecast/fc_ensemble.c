/* fc_ensemble: the baseline's spread widened with the horizon, averaged
 * with the smoothing's quantiles; the candidates each place chooses from. */
#include "forecast/fc_ensemble.h"

const double fc_ensemble_weights[FC_ENS_NW] = { 0.2, 0.6, 1.0 };
const double fc_ensemble_spreads[FC_ENS_NS] = { 0.85, 1.15, 1.5 };

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

void
fc_ensemble_narrow_center(double q[QF_NQ], double f)
{
	double mid = q[FC_MEDIAN];

	for (int k = FC_Q25; k <= FC_Q75; k++)
		q[k] = mid + f * (q[k] - mid);
}

void
fc_ensemble_candidate(const double b[QF_NQ], const double m[QF_NQ], int h,
    int j, double out[QF_NQ])
{
	double f = fc_ensemble_spreads[j / FC_ENS_NW], mid;

	fc_ensemble_weighted(b, m, h, fc_ensemble_weights[j % FC_ENS_NW], out);
	mid = out[FC_MEDIAN];
	for (int k = 0; k < QF_NQ; k++) {
		double v = mid + f * (out[k] - mid);

		out[k] = v > 0 ? v : 0;
	}
}

/* fc_ar: weighted ridge autoregression of weekly log growth. */
#include <math.h>

#include "forecast/fc_ar.h"

int
fc_solve_spd(int n, double *a, const double *b, double *x)
{
	int i, j, k;

	/* a = L L', L into a's lower triangle */
	for (j = 0; j < n; j++) {
		double d = a[j * n + j];

		for (k = 0; k < j; k++)
			d -= a[j * n + k] * a[j * n + k];
		if (!(d > 0))
			return -1;
		a[j * n + j] = sqrt(d);
		for (i = j + 1; i < n; i++) {
			double s = a[i * n + j];

			for (k = 0; k < j; k++)
				s -= a[i * n + k] * a[j * n + k];
			a[i * n + j] = s / a[j * n + j];
		}
	}
	for (i = 0; i < n; i++) {          /* L z = b */
		double s = b[i];

		for (k = 0; k < i; k++)
			s -= a[i * n + k] * x[k];
		x[i] = s / a[i * n + i];
	}
	for (i = n - 1; i >= 0; i--) {     /* L' x = z */
		double s = x[i];

		for (k = i + 1; k < n; k++)
			s -= a[k * n + i] * x[k];
		x[i] = s / a[i * n + i];
	}
	return 0;
}

/* Growth into week i of w; NAN when either week is unknown. */
static double
growth(const double *w, size_t i)
{
	if (i < 1 || isnan(w[i]) || isnan(w[i - 1]))
		return NAN;
	return fc_log1(w[i]) - fc_log1(w[i - 1]);
}

/* The regressors of the growth into week i, into f; their number. */
static int
regressors(const double *w, const double *lead, size_t i, double *f)
{
	f[0] = i >= 1 ? growth(w, i - 1) : NAN;
	if (lead == NULL) {
		f[1] = i >= 2 ? growth(w, i - 2) : NAN;
		return 2;
	}
	f[1] = i >= 1 ? growth(lead, i - 1) : NAN;
	f[2] = i >= 2 ? growth(lead, i - 2) : NAN;
	return 3;
}

int
fc_ar_fit(const double *w, const double *lead, size_t t,
    double coef[FC_AR_MAXP])
{
	double a[FC_AR_MAXP * FC_AR_MAXP] = { 0 }, b[FC_AR_MAXP] = { 0 };
	double f[FC_AR_MAXP], wt = 1, wsum = 0;
	int n = 0, rows = 0, j, k;
	size_t i;

	for (j = 0; j < FC_AR_MAXP; j++)
		coef[j] = 0;
	for (i = t + 1; i-- > 3 && i + FC_AR_WEEKS > t; wt *= FC_AR_DECAY) {
		double y = growth(w, i);
		int ok = !isnan(y);

		n = regressors(w, lead, i, f);
		for (j = 0; j < n; j++)
			ok = ok && !isnan(f[j]);
		if (!ok)
			continue;
		for (j = 0; j < n; j++) {
			b[j] += wt * f[j] * y;
			for (k = 0; k < n; k++)
				a[j * n + k] += wt * f[j] * f[k];
		}
		wsum += wt;
		rows++;
	}
	if (rows < FC_AR_MINROWS)
		return 0;
	for (j = 0; j < n; j++)
		a[j * n + j] += FC_AR_RIDGE * wsum;
	if (fc_solve_spd(n, a, b, coef) != 0) {
		for (j = 0; j < FC_AR_MAXP; j++)
			coef[j] = 0;
		return 0;
	}
	return rows;
}

/* A known growth, or 0 (no change) for an unknown one. */
static double
known(double g)
{
	return isnan(g) ? 0 : g;
}

/* A forecast growth within +-FC_AR_MAXG: iterated, a fitted
 * autoregression can explode. */
static double
clip(double g)
{
	return g > FC_AR_MAXG ? FC_AR_MAXG : g < -FC_AR_MAXG ? -FC_AR_MAXG : g;
}

void
fc_ar_forecast(const double *w, const double *lead, size_t t,
    double x[FC_HORIZONS])
{
	/* growth of weeks t-1 .. t+FC_HORIZONS, index k: week t-1+k */
	double g[FC_HORIZONS + 2], c[FC_HORIZONS + 2], cc[FC_AR_MAXP];
	double coef[FC_AR_MAXP], level = fc_log1(w[t]);
	int h;

	fc_ar_fit(w, lead, t, coef);
	g[0] = t >= 1 ? known(growth(w, t - 1)) : 0;
	g[1] = known(growth(w, t));
	if (lead != NULL) {
		fc_ar_fit(lead, NULL, t, cc);
		c[0] = t >= 1 ? known(growth(lead, t - 1)) : 0;
		c[1] = known(growth(lead, t));
	}
	for (h = 1; h <= FC_HORIZONS; h++) {
		if (lead == NULL)
			g[h + 1] = coef[0] * g[h] + coef[1] * g[h - 1];
		else {
			c[h + 1] = cc[0] * c[h] + cc[1] * c[h - 1];
			g[h + 1] = coef[0] * g[h] + coef[1] * c[h] +
			    coef[2] * c[h - 1];
		}
		g[h + 1] = clip(g[h + 1]);
		if (lead != NULL)
			c[h + 1] = clip(c[h + 1]);
		level += g[h + 1];
		x[h - 1] = level;
	}
}

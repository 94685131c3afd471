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

/* The number of the target's own lags (the cases': FC_AR_CASE_LAGS, the
 * deaths': FC_AR_DEATH_LAGS), and of the cases' in the deaths'. */
static int
own_lags(int with_lead)
{
	return with_lead ? FC_AR_DEATH_LAGS : FC_AR_CASE_LAGS;
}

static int
lead_lags(int with_lead)
{
	return with_lead ? FC_AR_LEAD_LAGS : 0;
}

int
fc_ar_nparams(int with_lead)
{
	return own_lags(with_lead) + lead_lags(with_lead);
}

/* The regressors of the growth into week i, into f; their number: the
 * target's own growth of the own_lags weeks before, then the cases' of
 * the lead_lags weeks before. */
static int
regressors(const double *w, const double *lead, size_t i, double *f)
{
	int no = own_lags(lead != NULL), nl = lead_lags(lead != NULL), k;

	for (k = 0; k < no; k++)
		f[k] = i >= (size_t)k + 1 ? growth(w, i - 1 - (size_t)k) : NAN;
	for (k = 0; k < nl; k++)
		f[no + k] = i >= (size_t)k + 1 ?
		    growth(lead, i - 1 - (size_t)k) : NAN;
	return no + nl;
}

int
fc_ar_row(const double *w, const double *lead, size_t i,
    double f[FC_AR_MAXP], double *y)
{
	int n, j, ok;

	*y = growth(w, i);
	n = regressors(w, lead, i, f);
	ok = i >= 3 && !isnan(*y);
	for (j = 0; j < n; j++)
		ok = ok && !isnan(f[j]);
	return ok ? n : 0;
}

int
fc_ar_fit(const double *w, const double *lead, size_t t,
    double coef[FC_AR_MAXP])
{
	return fc_ar_fit_prior(w, lead, t, NULL, coef);
}

int
fc_ar_fit_prior(const double *w, const double *lead, size_t t,
    const double *prior, double coef[FC_AR_MAXP])
{
	double a[FC_AR_MAXP * FC_AR_MAXP] = { 0 }, b[FC_AR_MAXP] = { 0 };
	double f[FC_AR_MAXP], y, wt = 1, wsum = 0;
	int n = fc_ar_nparams(lead != NULL), rows = 0, j, k;
	size_t i;

	for (j = 0; j < FC_AR_MAXP; j++)
		coef[j] = 0;
	for (i = t + 1; i-- > 3 && i + FC_AR_WEEKS > t; wt *= FC_AR_DECAY) {
		if (fc_ar_row(w, lead, i, f, &y) == 0)
			continue;
		for (j = 0; j < n; j++) {
			b[j] += wt * f[j] * y;
			for (k = 0; k < n; k++)
				a[j * n + k] += wt * f[j] * f[k];
		}
		wsum += wt;
		rows++;
	}
	if (rows < FC_AR_MINROWS) {
		if (prior != NULL)
			for (j = 0; j < n; j++)
				coef[j] = prior[j];
		return 0;
	}
	for (j = 0; j < n; j++) {
		a[j * n + j] += FC_AR_RIDGE * wsum;
		if (prior != NULL)
			b[j] += FC_AR_RIDGE * wsum * prior[j];
	}
	if (fc_solve_spd(n, a, b, coef) != 0) {
		for (j = 0; j < FC_AR_MAXP; j++)
			coef[j] = 0;
		return 0;
	}
	return rows;
}

/* The growth into week t - back, 0 (no change) when unknown. */
static double
past_growth(const double *w, size_t t, int back)
{
	double g = (size_t)back > t ? NAN : growth(w, t - (size_t)back);

	return isnan(g) ? 0 : g;
}

/* A forecast growth within +-FC_AR_MAXG: iterated, a fitted
 * autoregression can explode. */
static double
clip(double g)
{
	return g > FC_AR_MAXG ? FC_AR_MAXG : g < -FC_AR_MAXG ? -FC_AR_MAXG : g;
}

#define PAST FC_AR_MAXP   /* weeks of growth the recursion starts from */

void
fc_ar_forecast(const double *w, const double *lead, size_t t,
    double x[FC_HORIZONS])
{
	fc_ar_forecast_prior(w, lead, t, NULL, NULL, x);
}

void
fc_ar_forecast_prior(const double *w, const double *lead, size_t t,
    const double *prior, const double *lead_prior, double x[FC_HORIZONS])
{
	/* growth of the target (g) and of the cases (c), index k: week
	 * t - (PAST - 1) + k */
	double g[PAST + FC_HORIZONS], c[PAST + FC_HORIZONS];
	double a[FC_AR_MAXP], b[FC_AR_MAXP], level = fc_log1(w[t]);
	int h, k;

	fc_ar_fit_prior(w, lead, t, prior, a);
	if (lead != NULL)
		fc_ar_fit_prior(lead, NULL, t, lead_prior, b);
	for (k = 0; k < PAST; k++) {
		g[k] = past_growth(w, t, PAST - 1 - k);
		c[k] = lead != NULL ? past_growth(lead, t, PAST - 1 - k) : 0;
	}
	for (h = 1; h <= FC_HORIZONS; h++) {
		int i = PAST - 1 + h;   /* week t + h */

		int no = own_lags(lead != NULL), nl = lead_lags(lead != NULL), j;

		if (lead != NULL) {
			c[i] = 0;
			for (j = 0; j < own_lags(0); j++)
				c[i] += b[j] * c[i - 1 - j];
			c[i] = clip(c[i]);
		}
		g[i] = 0;
		for (j = 0; j < no; j++)
			g[i] += a[j] * g[i - 1 - j];
		for (j = 0; j < nl; j++)
			g[i] += a[no + j] * c[i - 1 - j];
		g[i] = clip(g[i]);
		level += g[i];
		x[h - 1] = level;
	}
}

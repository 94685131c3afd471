/* fc_scale: a place's recent error spread, and the bounded scale factor. */
#include <math.h>
#include <stdlib.h>

#include "forecast/fc_scale.h"

int
fc_scale_init(struct fc_scale *s, size_t n_weeks)
{
	s->n_weeks = n_weeks;
	s->x = malloc(n_weeks * FC_HORIZONS * sizeof *s->x);
	s->w = malloc(n_weeks * sizeof *s->w);
	if (s->x == NULL || s->w == NULL)
		return -1;
	fc_scale_reset(s);
	return 0;
}

void
fc_scale_free(struct fc_scale *s)
{
	free(s->x);
	free((void *)s->w);
}

void
fc_scale_reset(struct fc_scale *s)
{
	for (size_t i = 0; i < s->n_weeks; i++) {
		s->w[i] = NULL;
		for (int h = 0; h < FC_HORIZONS; h++)
			s->x[i * FC_HORIZONS + (size_t)h] = NAN;
	}
}

void
fc_scale_note(struct fc_scale *s, size_t t, const double *w,
    const double x[FC_HORIZONS])
{
	s->w[t] = w;
	for (int h = 0; h < FC_HORIZONS; h++)
		s->x[t * FC_HORIZONS + (size_t)h] = x[h];
}

double
fc_scale_spread(const struct fc_scale *s, size_t t, int h, double *scratch)
{
	size_t n = 0, o;

	/* origins o with o + h <= t, newest first */
	for (o = t + 1; o-- > (size_t)h && n < FC_SCALE_N;) {
		size_t from = o - (size_t)h;
		double x = s->x[from * FC_HORIZONS + (size_t)(h - 1)];

		if (s->w[from] == NULL || isnan(x) || isnan(s->w[from][o]))
			continue;
		scratch[n++] = fc_log1(s->w[from][o]) - x;
	}
	if (n < FC_SCALE_MIN)
		return NAN;
	fc_sort(scratch, n);
	return (fc_quantile_sorted(scratch, n, 0.75) -
	    fc_quantile_sorted(scratch, n, 0.25)) / 2;
}

double
fc_scale_factor(double place_spread, const double e[QF_NQ], double lo,
    double hi)
{
	double pool = (e[FC_Q75] - e[FC_Q25]) / 2, f;

	if (isnan(place_spread) || !(pool > 0))
		return 1;
	f = place_spread / pool;
	return f < lo ? lo : f > hi ? hi : f;
}

void
fc_scale_apply(double e[QF_NQ], double f)
{
	double m = e[FC_MEDIAN];

	for (int k = 0; k < QF_NQ; k++)
		e[k] = m + f * (e[k] - m);
}

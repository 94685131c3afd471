/* fc_stack: per-place choice of the ensemble's weight from past WIS. */
#include <math.h>
#include <stdlib.h>

#include "forecast/fc_stack.h"

static size_t
at(size_t t, int h, int j)
{
	return (t * FC_HORIZONS + (size_t)(h - 1)) * FC_STACK_N + (size_t)j;
}

int
fc_stack_init(struct fc_stack *s, size_t n_weeks)
{
	s->n_weeks = n_weeks;
	s->wis = malloc(n_weeks * FC_HORIZONS * FC_STACK_N * sizeof *s->wis);
	if (s->wis == NULL)
		return -1;
	fc_stack_reset(s);
	return 0;
}

void
fc_stack_free(struct fc_stack *s)
{
	free(s->wis);
}

void
fc_stack_reset(struct fc_stack *s)
{
	for (size_t i = 0; i < s->n_weeks * FC_HORIZONS * FC_STACK_N; i++)
		s->wis[i] = NAN;
}

void
fc_stack_note(struct fc_stack *s, size_t t, int h,
    const double wis[FC_STACK_N])
{
	for (int j = 0; j < FC_STACK_N; j++)
		s->wis[at(t, h, j)] = wis[j];
}

int
fc_stack_choose(const struct fc_stack *s, size_t t, int h, int n_cand,
    int dflt)
{
	double sum[FC_STACK_N] = { 0 }, f = 1;
	size_t o, n = 0;
	int j, best = dflt;

	/* origins o with o + h <= t, newest first, their weight falling */
	for (o = t + 1; o-- > (size_t)h; f *= FC_STACK_DISCOUNT) {
		size_t from = o - (size_t)h;

		if (isnan(s->wis[at(from, h, 0)]))
			continue;
		for (j = 0; j < n_cand; j++)
			sum[j] += f * s->wis[at(from, h, j)];
		n++;
	}
	if (n < FC_STACK_MIN)
		return dflt;
	for (j = 0; j < n_cand; j++)
		if (sum[j] < sum[best])
			best = j;
	return best;
}

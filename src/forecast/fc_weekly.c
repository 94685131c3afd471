/* fc_weekly: epidemiological weeks from cumulative daily reports. */
#include <math.h>

#include "forecast/fc_weekly.h"

long
fc_saturday_on_or_before(long day)
{
	/* 1970-01-03 (day 2) was a Saturday */
	long r = (day - 2) % 7;

	if (r < 0)
		r += 7;
	return day - r;
}

void
fc_weekly(const long *day, const double *cum, size_t n, long first_sat,
    size_t n_weeks, double *out)
{
	double prev = NAN;
	size_t i, j = 0;

	/* the grid's week before week 0 gives week 0 its start */
	for (i = 0; i <= n_weeks; i++) {
		long sat = first_sat + 7 * ((long)i - 1);
		double at = NAN;

		while (j < n && day[j] <= sat) {
			if (day[j] > sat - 7 && !isnan(cum[j]))
				at = cum[j];
			j++;
		}
		if (i > 0)
			out[i - 1] = at - prev;   /* NAN when either is unknown */
		prev = at;
	}
}

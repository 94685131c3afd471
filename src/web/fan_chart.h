/* fan_chart: a forecast drawn after its observations as inline SVG: the
 * observed weekly totals as a solid line, then the forecast's 95 % and
 * 50 % intervals as two shaded bands and its median as a dashed line, from
 * the last observation on. Like chart.h: no script, presentation
 * attributes only (CSP style-src 'self'), role="img" with a <title> and a
 * <desc>, every text escaped. Knows nothing of what is counted. */
#ifndef COVID_FAN_CHART_H
#define COVID_FAN_CHART_H

#include <stddef.h>

#include "base/sink.h"

struct fan_chart {
	const char *title, *description, *id;   /* id: unique on the page */
	/* n_obs observed points, then n_fc forecast points, each with a
	 * date label "YYYY-MM-DD", at equal steps; NAN = none */
	const char *const *obs_dates;
	const double      *obs;
	size_t             n_obs;
	const char *const *fc_dates;
	const double      *lo95, *lo50, *median, *hi50, *hi95;
	size_t             n_fc;
};

void fan_chart_svg(struct sink *out, const struct fan_chart *c);

#endif

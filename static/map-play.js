/* map-play.js: a play button on the map pages that steps through the dates
 * by fetching each next day's map page (the link marked rel="next") and
 * putting its map, legend, date links and table in place of the current
 * ones. The pages work the same without it: every date is a link. No
 * inline script; the Content-Security-Policy allows this file. */
(function () {
	"use strict";
	if (!window.fetch || !window.DOMParser || !window.history) return;

	var DELAY_MS = 1200;
	/* The parts of the page one date changes, by selector. */
	var PARTS = ["figure.map-box", "p.lede", "nav.map-dates", "section.map-section",
		"#map-date"];

	function start() {
		var nav = document.querySelector("nav.map-dates");
		var button, timer = null, busy = false;
		if (!nav || !document.querySelector("figure.map-box")) return;
		button = document.createElement("button");
		button.type = "button";
		button.className = "map-play";
		button.textContent = "Play";
		button.setAttribute("aria-pressed", "false");
		nav.parentNode.insertBefore(button, nav);

		function stop() {
			if (timer !== null) clearTimeout(timer);
			timer = null;
			button.textContent = "Play";
			button.setAttribute("aria-pressed", "false");
		}

		function step() {
			var next = document.querySelector("nav.map-dates a[rel=next]");
			if (!next || busy) { stop(); return; }
			busy = true;
			fetch(next.href, { credentials: "same-origin" })
				.then(function (r) { return r.ok ? r.text() : Promise.reject(r.status); })
				.then(function (html) {
					/* Our own page, parsed inertly: no script runs. */
					var doc = new DOMParser().parseFromString(html, "text/html");
					PARTS.forEach(function (sel) {
						var mine = document.querySelector(sel), theirs = doc.querySelector(sel);
						if (mine && theirs)
							mine.parentNode.replaceChild(document.importNode(theirs, true), mine);
					});
					history.replaceState(null, "", next.href);
					busy = false;
					if (timer !== null) timer = setTimeout(step, DELAY_MS);
				})
				.catch(function () { busy = false; stop(); });
		}

		button.addEventListener("click", function () {
			if (timer !== null) { stop(); return; }
			button.textContent = "Pause";
			button.setAttribute("aria-pressed", "true");
			timer = setTimeout(step, 0);
		});
	}

	if (document.readyState === "loading")
		document.addEventListener("DOMContentLoaded", start);
	else
		start();
})();

// live.js: keeps /live current. It follows /live/events (Server-Sent
// Events, held by nginx's nchan: one event per commit with the figures)
// and, when an event names a newer case than the page shows, fetches /live
// again and swaps its figures in, at most once a second; the charts stay
// the server's SVG. Without script the page reloads itself every 5 s
// (<noscript> in the layout).
(function () {
	"use strict";
	var box = document.getElementById("live");
	if (!box || !window.EventSource || !window.DOMParser) return;
	var shown = Number(box.getAttribute("data-last-id")) || 0;
	var wanted = shown, busy = false, timer = null;
	var fetched = -1000;   // when the last fetch began (performance.now())

	function refresh() {
		timer = null;
		if (busy || wanted <= shown) return;
		busy = true;
		fetched = performance.now();
		fetch("/live", { headers: { "Accept": "text/html" } })
			.then(function (r) { return r.ok ? r.text() : Promise.reject(r.status); })
			.then(function (html) {
				var doc = new DOMParser().parseFromString(html, "text/html");
				var fresh = doc.getElementById("live");
				if (fresh) {
					box.replaceChildren.apply(box, Array.prototype.slice.call(fresh.childNodes));
					shown = Number(fresh.getAttribute("data-last-id")) || shown;
					box.setAttribute("data-last-id", String(shown));
				}
			})
			.catch(function () { /* the next event tries again */ })
			.then(function () {
				busy = false;
				if (wanted > shown && !timer) timer = setTimeout(refresh, 1000);
			});
	}

	// One of the channels nginx splits the subscribers over (data-shards
	// of them: src/intake/intake_live.h), kept for the page's life: the
	// browser reconnects to the same URL, so Last-Event-ID resumes on its
	// channel.
	var shards = Number(box.getAttribute("data-shards")) || 1;
	var shard = Math.floor(Math.random() * shards);
	var es = new EventSource("/live/events?shard=" + shard);
	es.onmessage = function (e) {
		var f;
		try { f = JSON.parse(e.data); } catch (err) { return; }
		// An event no newer than the figures shown is dropped too: the
		// intake reads a channel's figures when its turn comes, so an event
		// can arrive after a fetch got newer ones, and its total would put
		// the page back.
		if (typeof f.last_id !== "number" || f.last_id <= Math.max(wanted, shown)) return;
		wanted = f.last_id;
		var total = document.getElementById("live-total");
		if (total && typeof f.total === "number")
			total.textContent = f.total.toLocaleString("en");
		// A second after the last fetch began, not at once: while commits
		// stream in, a channel gets an event every 100 ms (the intake's
		// interval), and every open page fetching /live on each one would
		// flood the readers' pool.
		if (!timer)
			timer = setTimeout(refresh, Math.max(0, fetched + 1000 - performance.now()));
	};
})();

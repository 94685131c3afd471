/* search.js: results as you type, on top of a search form that works
 * without it. It fetches the ordinary results page (/regions?q=...), reads
 * its result list and shows the first entries under the box. No inline
 * script, no framework; the Content-Security-Policy allows only this file. */
(function () {
	"use strict";
	if (!window.fetch || !window.DOMParser) return;

	function attach(input) {
		var list = document.getElementById(input.getAttribute("data-suggest"));
		var timer = null, seq = 0;
		if (!list) return;

		function hide() { list.hidden = true; list.textContent = ""; }

		function show(items) {
			list.textContent = "";
			items.forEach(function (li) {
				/* Nodes from our own page, parsed inertly: no script runs
				 * and names stay text. */
				list.appendChild(document.importNode(li, true));
			});
			list.hidden = items.length === 0;
		}

		function lookup() {
			var q = input.value.trim(), mine = ++seq;
			if (q.length < 2) { hide(); return; }
			fetch("/regions?q=" + encodeURIComponent(q), { credentials: "same-origin" })
				.then(function (r) { return r.ok ? r.text() : ""; })
				.then(function (html) {
					if (mine !== seq) return;   /* a newer keystroke won */
					var doc = new DOMParser().parseFromString(html, "text/html");
					var items = Array.prototype.slice.call(
						doc.querySelectorAll("ol.results > li"), 0, 8);
					show(items);
				})
				.catch(hide);
		}

		input.setAttribute("role", "combobox");
		input.setAttribute("aria-autocomplete", "list");
		input.setAttribute("aria-controls", list.id);
		input.addEventListener("input", function () {
			clearTimeout(timer);
			timer = setTimeout(lookup, 150);
		});
		input.addEventListener("keydown", function (e) {
			if (e.key === "Escape") hide();
			if (e.key === "ArrowDown" && !list.hidden) {
				var first = list.querySelector("a");
				if (first) { e.preventDefault(); first.focus(); }
			}
		});
		document.addEventListener("click", function (e) {
			if (e.target !== input && !list.contains(e.target)) hide();
		});
	}

	document.addEventListener("DOMContentLoaded", function () {
		var inputs = document.querySelectorAll("input[data-suggest]");
		for (var i = 0; i < inputs.length; i++) attach(inputs[i]);
	});
})();

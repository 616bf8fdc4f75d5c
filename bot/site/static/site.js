// The archive's search, without a server: the search box, the focus-area and studio
// filters, and ?q=WORD&focus=KEY&studio=NAME in the address. Talks that do not match get
// the `hidden` attribute. Each talk's text is read once, at load; a keystroke compares
// strings and toggles attributes that change, nothing else.
(function () {
  "use strict";
  var form = document.getElementById("search");
  if (!form) { return; }
  var box = document.getElementById("q");
  var focus = document.getElementById("focus");
  var studio = document.getElementById("studio");
  var status = document.getElementById("search-status");
  var noMatch = document.getElementById("no-match");

  function fold(text) {
    var lower = String(text).toLowerCase();
    return lower.normalize ? lower.normalize("NFKD").replace(/[\u0300-\u036f]/g, "") : lower;
  }

  var talks = Array.prototype.map.call(document.querySelectorAll(".talk"), function (el) {
    var parts = el.querySelectorAll("[data-s]");
    var text = [];
    for (var i = 0; i < parts.length; i++) { text.push(parts[i].textContent); }
    return { el: el, text: fold(text.join(" ")), focus: el.getAttribute("data-focus") || "",
             studio: el.getAttribute("data-studio") || "", shown: true };
  });
  var sessions = Array.prototype.map.call(document.querySelectorAll(".session"), function (el) {
    return { el: el, talks: [], shown: true };
  });
  var sessionOf = new Map(sessions.map(function (s) { return [s.el, s]; }));
  talks.forEach(function (t) {
    var session = sessionOf.get(t.el.closest(".session"));
    if (session) { session.talks.push(t); }
  });

  function show(item, on) {
    if (item.shown === on) { return; }
    item.shown = on;
    if (on) { item.el.removeAttribute("hidden"); } else { item.el.setAttribute("hidden", ""); }
  }

  function choose(select, value) {
    value = fold(value || "");
    for (var i = 0; i < select.options.length; i++) {
      if (fold(select.options[i].value) === value) { select.selectedIndex = i; return; }
    }
    select.selectedIndex = 0;
  }

  function apply() {
    var words = fold(box.value).split(/\s+/).filter(function (w) { return w.length > 0; });
    var f = focus.value;
    var s = studio.value;
    var filtering = words.length > 0 || f !== "" || s !== "";
    var shown = 0;
    talks.forEach(function (t) {
      var ok = (f === "" || t.focus === f) && (s === "" || t.studio === s) &&
        words.every(function (w) { return t.text.indexOf(w) !== -1; });
      show(t, ok);
      if (ok) { shown++; }
    });
    sessions.forEach(function (session) {
      show(session, !filtering || session.talks.some(function (t) { return t.shown; }));
    });
    status.textContent = filtering
      ? shown + " of " + talks.length + " talks match."
      : talks.length + " talks.";
    if (filtering && shown === 0) { noMatch.removeAttribute("hidden"); }
    else { noMatch.setAttribute("hidden", ""); }
  }

  function remember() {
    // The address holds the search, so it can be linked to; file:// pages may refuse.
    try {
      var params = new URLSearchParams();
      if (box.value.trim()) { params.set("q", box.value.trim()); }
      if (focus.value) { params.set("focus", focus.value); }
      if (studio.value) { params.set("studio", studio.value); }
      var query = params.toString();
      history.replaceState(null, "", query ? "?" + query + location.hash
                                           : location.pathname + location.hash);
    } catch (e) { /* the search still works; only the address stays as it was */ }
  }

  var params = new URLSearchParams(location.search);
  box.value = params.get("q") || "";
  if (box.value) { box.setAttribute("value", box.value); }  // shown in a saved page too
  choose(focus, params.get("focus"));
  choose(studio, params.get("studio"));
  form.removeAttribute("hidden");
  form.addEventListener("submit", function (event) { event.preventDefault(); });
  box.addEventListener("input", function () { apply(); remember(); });
  focus.addEventListener("change", function () { apply(); remember(); });
  studio.addEventListener("change", function () { apply(); remember(); });
  apply();
}());

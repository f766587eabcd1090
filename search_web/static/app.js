// Amtsblick: progressive enhancement only. Every page works without this file.
// - suggestions for the query box (ARIA 1.2 combobox with a listbox, from /api/suggest)
// - a filter box for long facet lists; it also asks /api/facet-values for values not listed
// - the filters become a panel on narrow screens; a filter change is announced with its count
// - arrow keys fold and unfold the place tree
// - "dauerhafter Link" copies the URL
(function () {
  "use strict";

  function fold(text) {
    return text.toLowerCase().normalize("NFKD").replace(/[\u0300-\u036f]/g, "");
  }

  function germanDate(iso) {
    var parts = iso.split("-");
    return parts.length === 3 ? parts[2] + "." + parts[1] + "." + parts[0] : iso;
  }

  // ---- Suggestions -------------------------------------------------------
  function setUpSuggestions(input) {
    var form = input.form;
    var endpoint = input.getAttribute("data-suggest");
    var list = document.createElement("ul");
    var status = document.createElement("div");
    var items = [];
    var active = -1;
    var timer = null;
    var lastQuery = "";
    var request = 0;

    list.id = input.id + "-listbox";
    list.className = "suggestions";
    list.setAttribute("role", "listbox");
    list.setAttribute("aria-label", "Vorschläge");
    list.hidden = true;
    status.className = "visually-hidden";
    status.setAttribute("role", "status");
    status.setAttribute("aria-live", "polite");
    input.parentNode.appendChild(list);
    input.parentNode.appendChild(status);
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", list.id);

    function close() {
      list.hidden = true;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
      active = -1;
    }

    function highlight(label, query) {
      var fragment = document.createDocumentFragment();
      var at = fold(label).indexOf(fold(query));
      if (at < 0 || !query) {
        fragment.appendChild(document.createTextNode(label));
        return fragment;
      }
      var mark = document.createElement("mark");
      mark.textContent = label.slice(at, at + query.length);
      fragment.appendChild(document.createTextNode(label.slice(0, at)));
      fragment.appendChild(mark);
      fragment.appendChild(document.createTextNode(label.slice(at + query.length)));
      return fragment;
    }

    function targetUrl(item) {
      if (item.kind === "title") return item.url;
      // an entity becomes a filter on top of the filters already chosen
      var params = new URLSearchParams();
      Array.prototype.forEach.call(form.querySelectorAll("input[type=hidden]"), function (hidden) {
        params.append(hidden.name, hidden.value);
      });
      params.append(item.kind, item.label);
      return "/?" + params.toString();
    }

    function choose(index) {
      var item = items[index];
      if (item) window.location.assign(targetUrl(item));
    }

    function move(index) {
      var options = list.children;
      if (!options.length) return;
      active = (index + options.length) % options.length;
      Array.prototype.forEach.call(options, function (option, i) {
        option.setAttribute("aria-selected", i === active ? "true" : "false");
      });
      input.setAttribute("aria-activedescendant", options[active].id);
      options[active].scrollIntoView({ block: "nearest" });
    }

    function render(query, suggestions) {
      items = suggestions;
      list.textContent = "";
      active = -1;
      input.removeAttribute("aria-activedescendant");
      suggestions.forEach(function (item, i) {
        var option = document.createElement("li");
        var label = document.createElement("span");
        var kind = document.createElement("span");
        option.id = list.id + "-" + i;
        option.setAttribute("role", "option");
        option.setAttribute("aria-selected", "false");
        label.className = "s-label";
        label.appendChild(highlight(item.label, query));
        kind.className = "s-kind";
        kind.textContent = item.kind_label + (item.count ? " · " + item.count + " Meldungen" : item.date ? " · " + germanDate(item.date) : "");
        option.appendChild(label);
        option.appendChild(kind);
        option.addEventListener("mousedown", function (event) {
          event.preventDefault(); // keep focus in the input until we navigate
          choose(i);
        });
        list.appendChild(option);
      });
      var open = suggestions.length > 0;
      list.hidden = !open;
      input.setAttribute("aria-expanded", open ? "true" : "false");
      status.textContent = open
        ? suggestions.length + " Vorschläge, mit Pfeiltasten auswählen"
        : "Keine Vorschläge";
    }

    function fetchSuggestions() {
      var query = input.value.trim();
      if (query === lastQuery) return;
      lastQuery = query;
      if (!query) {
        render("", []);
        return;
      }
      var mine = ++request;
      fetch(endpoint + "?q=" + encodeURIComponent(query), { headers: { Accept: "application/json" } })
        .then(function (response) { return response.ok ? response.json() : { suggestions: [] }; })
        .then(function (data) {
          if (mine === request && document.activeElement === input) render(query, data.suggestions || []);
        })
        .catch(function () { /* suggestions are optional */ });
    }

    input.addEventListener("input", function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(fetchSuggestions, 120);
    });
    input.addEventListener("keydown", function (event) {
      var open = !list.hidden;
      if (event.key === "ArrowDown") {
        if (!open && items.length) { list.hidden = false; input.setAttribute("aria-expanded", "true"); }
        move(active + 1);
        event.preventDefault();
      } else if (event.key === "ArrowUp" && open) {
        move(active - 1);
        event.preventDefault();
      } else if (event.key === "Enter" && open && active >= 0) {
        event.preventDefault();
        choose(active);
      } else if (event.key === "Escape" && open) {
        event.preventDefault();
        close();
      }
    });
    input.addEventListener("blur", function () { window.setTimeout(close, 100); });
  }

  // ---- Filter box for long facet lists --------------------------------------
  function ownLabel(li) {
    var link = li.querySelector(":scope > .facet-value, :scope > .node > .facet-value");
    return link ? link.querySelector(".name") : null;
  }

  function setUpFacetFilter(section) {
    var heading = section.querySelector("h3");
    var input = document.createElement("input");
    var status = document.createElement("p");
    var items = Array.prototype.slice.call(section.querySelectorAll("li")).reverse(); // inner before outer
    var details = Array.prototype.slice.call(section.querySelectorAll("details"));

    input.type = "search";
    input.className = "facet-filter";
    input.placeholder = "Werte filtern …";
    input.setAttribute("aria-label", (heading ? heading.textContent.trim() : "Werte") + ": Werte filtern");
    status.className = "visually-hidden";
    status.setAttribute("role", "status");
    var hint = section.querySelector(".facet-hint");
    (hint || heading).insertAdjacentElement("afterend", input);
    input.insertAdjacentElement("afterend", status);
    details.forEach(function (d) { d.dataset.wasOpen = d.open ? "1" : ""; });

    // The page lists a facet's largest values; the server searches all of them.
    var facet = section.getAttribute("data-facet");
    var remote = document.createElement("ul");
    var request = 0;
    var timer = null;
    remote.className = "values remote-values";
    remote.hidden = true;
    section.appendChild(remote);

    function listed() {
      var names = {};
      items.forEach(function (li) {
        var label = ownLabel(li);
        if (label) names[label.textContent.trim()] = true;
      });
      return names;
    }

    function showRemote(term, values, localCount) {
      var names = listed();
      remote.textContent = "";
      values.forEach(function (entry) {
        if (names[entry.value]) return;
        var li = document.createElement("li");
        var link = document.createElement("a");
        var check = document.createElement("span");
        var value = document.createElement("span");
        var name = document.createElement("span");
        var count = document.createElement("span");
        link.className = "facet-value";
        link.href = entry.url;
        check.className = "check";
        check.setAttribute("aria-hidden", "true");
        value.className = "value";
        name.className = "name";
        name.textContent = entry.value;
        count.className = "count";
        count.textContent = entry.count.toLocaleString("de-DE");
        value.appendChild(name);
        link.appendChild(check);
        link.appendChild(value);
        link.appendChild(count);
        li.appendChild(link);
        remote.appendChild(li);
      });
      remote.hidden = !remote.children.length;
      status.textContent = (localCount + remote.children.length) + " passende Werte";
    }

    function searchAll(term, localCount) {
      if (!facet || !window.fetch || term.length < 2) { remote.hidden = true; return; }
      var params = new URLSearchParams(window.location.search);
      params.delete("page");
      params.set("facet", facet);
      params.set("prefix", input.value.trim());
      params.set("limit", "30");
      var mine = ++request;
      fetch("/api/facet-values?" + params.toString(), { headers: { Accept: "application/json" } })
        .then(function (response) { return response.ok ? response.json() : { values: [] }; })
        .then(function (data) { if (mine === request) showRemote(term, data.values || [], localCount); })
        .catch(function () { /* the listed values still filter */ });
    }

    input.addEventListener("input", function () {
      var term = fold(input.value.trim());
      var shown = 0;
      items.forEach(function (li) {
        if (!term) { li.hidden = false; return; }
        var label = ownLabel(li);
        var matches = label ? fold(label.textContent).indexOf(term) >= 0 : false;
        var inner = li.querySelector("li:not([hidden])") !== null;
        li.hidden = !(matches || inner);
        if (matches) shown += 1;
      });
      details.forEach(function (d) { d.open = term ? true : d.dataset.wasOpen === "1"; });
      status.textContent = term ? shown + " passende Werte" : "";
      window.clearTimeout(timer);
      if (!term) { request += 1; remote.hidden = true; return; }
      timer = window.setTimeout(function () { searchAll(term, shown); }, 150);
    });
  }

  // ---- Filter panel on narrow screens (as on GOV.UK finders) -------------------
  // Without JavaScript the filters are a plain section after the results, reached by a link.
  // Here the link becomes a button that opens them as a panel; "N Treffer anzeigen" closes it.
  var PANEL_KEY = "amtsblick-filter-panel";

  function setUpFilterPanel(aside) {
    var narrow = window.matchMedia("(max-width: 56rem)");
    var link = document.querySelector(".filter-jump");
    var count = document.querySelector("#result-count strong");
    if (!link) return;
    var toggle = document.createElement("button");
    toggle.type = "button";
    toggle.className = "filter-toggle";
    toggle.textContent = link.textContent;
    toggle.setAttribute("aria-controls", aside.id);
    toggle.setAttribute("aria-expanded", "false");
    link.parentNode.replaceChild(toggle, link);

    var close = document.createElement("button");
    close.type = "button";
    close.className = "close-panel";
    close.textContent = "Schließen";
    close.setAttribute("aria-label", "Filter schließen");
    aside.querySelector(".panel-head").appendChild(close);
    var foot = document.createElement("div");
    var show = document.createElement("button");
    foot.className = "panel-foot";
    show.type = "button";
    show.textContent = (count ? count.textContent : "Alle") + " anzeigen";
    foot.appendChild(show);
    aside.appendChild(foot);

    function setOpen(open, focus) {
      aside.classList.toggle("open", open);
      document.body.classList.toggle("panel-open", open);
      toggle.setAttribute("aria-expanded", open ? "true" : "false");
      if (open) aside.setAttribute("role", "dialog"); else aside.removeAttribute("role");
      if (open) aside.setAttribute("aria-modal", "true"); else aside.removeAttribute("aria-modal");
      try { window.sessionStorage.setItem(PANEL_KEY, open ? "open" : ""); } catch (e) { /* private mode */ }
      if (focus) (open ? aside : document.getElementById("ergebnisse")).focus();
    }
    function apply() {
      aside.classList.toggle("panel", narrow.matches);
      if (!narrow.matches) setOpen(false, false);
    }
    apply();
    narrow.addEventListener("change", apply);
    toggle.addEventListener("click", function () { setOpen(true, true); });
    close.addEventListener("click", function () { setOpen(false, true); toggle.focus(); });
    show.addEventListener("click", function () { setOpen(false, true); });
    aside.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && aside.classList.contains("open")) { setOpen(false, true); toggle.focus(); }
    });
    var wasOpen = "";
    try { wasOpen = window.sessionStorage.getItem(PANEL_KEY); } catch (e) { /* private mode */ }
    if (narrow.matches && wasOpen === "open" && document.referrer.indexOf(window.location.origin) === 0) {
      setOpen(true, false); // a filter chosen in the panel reloads the page: the panel stays open
    }
  }

  // ---- After a filter change: announce the new count, keep the focus where it was ---------
  var FILTER_KEY = "amtsblick-filter-change";

  function setUpFilterAnnouncement() {
    var status = document.createElement("p");
    status.className = "visually-hidden";
    status.id = "filter-status";
    status.setAttribute("role", "status");
    status.setAttribute("aria-live", "polite");
    (document.getElementById("inhalt") || document.body).appendChild(status);
    document.addEventListener("click", function (event) {
      var link = event.target.closest && event.target.closest(".facets a, .chips a");
      if (!link) return;
      var section = link.closest("[aria-labelledby]");
      var name = link.querySelector(".name");
      try {
        window.sessionStorage.setItem(FILTER_KEY, JSON.stringify({
          section: section ? section.getAttribute("aria-labelledby") : "",
          name: name ? name.textContent : ""
        }));
      } catch (e) { /* private mode: nothing to announce */ }
    });
    var stored = null;
    try {
      stored = JSON.parse(window.sessionStorage.getItem(FILTER_KEY) || "null");
      window.sessionStorage.removeItem(FILTER_KEY);
    } catch (e) { stored = null; }
    if (!stored) return;
    var target = null;
    if (stored.name) {
      var scope = document.querySelector("[aria-labelledby='" + stored.section + "']") || document;
      Array.prototype.some.call(scope.querySelectorAll("a.facet-value"), function (a) {
        var name = a.querySelector(".name");
        if (name && name.textContent === stored.name) { target = a; return true; }
        return false;
      });
    }
    if (target) {
      var details = target.closest("details");
      for (; details; details = details.parentElement.closest("details")) details.open = true;
      target.focus();
    }
    var count = document.getElementById("result-count");
    window.setTimeout(function () {
      status.textContent = count ? count.textContent.replace(/\s+/g, " ").trim() : "";
    }, 150); // after the page is read as loaded, so that the change is announced
  }

  // ---- Place tree: one tab stop per node; arrow keys fold and unfold -----------------
  function setUpTreeKeys(tree) {
    tree.addEventListener("keydown", function (event) {
      if (event.key !== "ArrowRight" && event.key !== "ArrowLeft") return;
      var link = event.target.closest("a.facet-value");
      var branch = link && link.nextElementSibling;
      if (!branch || !branch.classList.contains("branch")) return;
      branch.open = event.key === "ArrowRight";
      event.preventDefault();
    });
  }

  // ---- Copy the permanent link ---------------------------------------------
  function setUpPermalink(link) {
    if (!navigator.clipboard) return;
    link.addEventListener("click", function (event) {
      event.preventDefault();
      navigator.clipboard.writeText(link.href).then(function () {
        link.textContent = "Link kopiert";
      }, function () {
        window.location.assign(link.href);
      });
    });
  }

  function init() {
    var query = document.querySelector("input[data-suggest]");
    if (query && window.fetch) setUpSuggestions(query);
    Array.prototype.forEach.call(document.querySelectorAll(".facet.filterable"), setUpFacetFilter);
    document.documentElement.classList.add("js");
    var panel = document.querySelector(".facets");
    if (panel && window.matchMedia) setUpFilterPanel(panel);
    if (panel && window.sessionStorage) setUpFilterAnnouncement();
    Array.prototype.forEach.call(document.querySelectorAll("ul.tree"), function (tree) {
      if (!tree.parentNode.closest("ul.tree")) setUpTreeKeys(tree);
    });
    var permalink = document.querySelector(".permalink");
    if (permalink) setUpPermalink(permalink);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();

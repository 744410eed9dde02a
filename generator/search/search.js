// vitrine's site search (see package generator/search for the index): loaded by the search page only.
// It reads ?q= from the address, searches as the reader types, and lists the results. No dependency.
(function () {
  "use strict";
  var me = document.currentScript;
  var lang = me.getAttribute("data-lang");
  var dir = new URL(lang + "/", me.src);      // BASE/search-index/LANG/
  var base = new URL("../", new URL("./", me.src)).pathname; // the site's root: BASE/
  var form = document.getElementById("search-form");
  var input = document.getElementById("search-q");
  var status = document.getElementById("search-status");
  var list = document.getElementById("search-results");
  var words = { found: me.getAttribute("data-found"), none: me.getAttribute("data-none"), error: me.getAttribute("data-error") };
  var meta = null, shards = {}, chunks = {};

  function get(path) {
    return fetch(new URL(path + (meta ? "?v=" + meta.v : ""), dir)).then(function (r) {
      if (!r.ok) throw new Error(r.status + " " + path);
      return r.json();
    });
  }
  function once(cache, key, path) {
    if (!cache[key]) cache[key] = get(path).catch(function (e) { delete cache[key]; throw e; });
    return cache[key];
  }

  var ligatures = { "œ": "oe", "æ": "ae", "ß": "ss", "ø": "o", "ł": "l", "đ": "d", "ı": "i" };
  // fold does what search.Fold does: lower case, no accents.
  function fold(s) {
    return s.toLowerCase().normalize("NFD").replace(/\p{Mn}/gu, "").normalize("NFC")
      .replace(/[œæßøłđı]/g, function (c) { return ligatures[c]; });
  }
  function key(t) {
    var out = "", n = 0;
    for (var c of t) {
      if (n++ === 2) break;
      out += /[a-z0-9]/.test(c) ? c : "_" + c.codePointAt(0).toString(16);
    }
    return out;
  }
  // near reports whether a and b are one edit apart at most (Damerau: a swap of neighbours is one).
  function near(a, b) {
    if (Math.abs(a.length - b.length) > 1) return false;
    var i = 0;
    while (i < a.length && i < b.length && a[i] === b[i]) i++;
    if (i === a.length || i === b.length) return true;
    var sa = a.slice(i + 1), sb = b.slice(i + 1);
    return sa === sb || a.slice(i) === sb || sa === b.slice(i) ||
      (a[i] === b[i + 1] && a[i + 1] === b[i] && a.slice(i + 2) === b.slice(i + 2));
  }
  // matches returns, for a folded query word, the terms of its shard it matches and how well.
  function matches(w, shard) {
    var terms = shard.t || {}, out = [], best = "";
    if (shard.w && shard.w[w]) return [[shard.w[w], 1]];
    if (terms[w]) return [[w, 1]];
    // A word of the pages that this one begins or ends by two letters at most: a plural, a feminine.
    var close = {};
    function near2(f) { return Math.abs(f.length - w.length) <= 2 && (f.startsWith(w) || w.startsWith(f)); }
    for (var f in shard.w) if (near2(f)) close[shard.w[f]] = 1;
    for (var t in terms) if (t.length >= 3 && near2(t)) close[t] = 1;
    for (var c in close) out.push([c, 0.9]);
    if (out.length) return out;
    for (var t in terms) if (w.startsWith(t) && t.length > best.length) best = t;
    // A stem drops a few letters at most ("-ations"): a shorter beginning is another word ("mar" of "marriage").
    if (best && (best === w || best.length >= 3 && best.length >= w.length - 4)) out.push([best, 1]);
    for (var t in terms) if (t !== best && w.length >= 3 && t.startsWith(w)) out.push([t, 0.7]);
    if (out.length || w.length < 5) return out;
    // A typo: the beginning of the word, one edit away from a term of four letters or more.
    for (var t in terms) {
      if (t.length < 4) continue;
      for (var n = t.length - 1; n <= t.length + 1; n++) {
        if (near(w.slice(0, n), t)) { out.push([t, 0.5]); break; }
      }
    }
    return out;
  }

  function search(q) {
    var ws = [], seen = {};
    fold(q).split(/[^\p{L}\p{N}]+/u).forEach(function (w) {
      if (w.length >= 2 && !seen[w]) { seen[w] = 1; ws.push(w); }
    });
    if (!ws.length) return Promise.resolve(null);
    return once(chunks, "meta", "meta.json").then(function (m) {
      meta = m;
      return Promise.all(ws.map(function (w) {
        var k = key(w);
        return m.shards.indexOf(k) < 0 ? {} : once(shards, k, "t/" + k + ".json");
      }));
    }).then(function (loaded) {
      var score = {}, hits = {}, used = 0;
      ws.forEach(function (w, i) {
        var ms = matches(w, loaded[i]), terms = loaded[i].t;
        if (!ms.length) return;
        used++;
        var mine = {};
        ms.forEach(function (m) {
          var p = terms[m[0]], idf = Math.log(1 + meta.pages / p[0]);
          for (var j = 1; j < p.length; j += 2) {
            var s = p[j + 1] * idf * m[1];
            if (!(p[j] in mine) || s > mine[p[j]]) mine[p[j]] = s;
          }
        });
        for (var d in mine) {
          score[d] = (score[d] || 0) + mine[d];
          hits[d] = (hits[d] || 0) + 1;
        }
      });
      var ids = Object.keys(score).map(Number);
      ids.sort(function (a, b) { return hits[b] - hits[a] || score[b] - score[a] || a - b; });
      ids = ids.slice(0, 10);
      return Promise.all(ids.map(function (d) {
        var c = Math.floor(d / meta.chunk);
        return once(chunks, c, "p/" + c + ".json").then(function (pages) { return pages[d % meta.chunk]; });
      }));
    });
  }

  function show(q, pages) {
    list.textContent = "";
    if (pages === null) { status.textContent = ""; return; }
    status.textContent = (pages.length ? words.found : words.none).replace("%d", pages.length).replace("%s", q);
    pages.forEach(function (p) {
      var li = document.createElement("li"), a = document.createElement("a"), h = document.createElement("h2");
      a.href = base + p[0].replace(/^\//, "");
      a.textContent = p[1];
      h.appendChild(a);
      li.appendChild(h);
      if (p[3]) {
        var t = document.createElement("time");
        t.dateTime = p[3];
        t.textContent = new Date(p[3] + "T12:00:00").toLocaleDateString(document.documentElement.lang || lang, { dateStyle: "long" });
        li.appendChild(t);
      }
      if (p[2]) {
        var d = document.createElement("p");
        d.textContent = p[2];
        li.appendChild(d);
      }
      list.appendChild(li);
    });
  }

  var last = null, timer = 0;
  function run() {
    var q = input.value.trim();
    if (q === last) return;
    last = q;
    var u = new URL(location.href);
    if (q) u.searchParams.set("q", q); else u.searchParams.delete("q");
    history.replaceState(null, "", u);
    search(q).then(function (pages) { if (q === last) show(q, pages); })
      .catch(function () { if (q === last) { list.textContent = ""; status.textContent = words.error; } });
  }
  input.value = new URLSearchParams(location.search).get("q") || "";
  input.addEventListener("input", function () { clearTimeout(timer); timer = setTimeout(run, 120); });
  form.addEventListener("submit", function (e) { e.preventDefault(); run(); });
  run();
})();

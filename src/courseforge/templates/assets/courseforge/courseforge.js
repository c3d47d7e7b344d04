/* courseforge: progressive enhancement for lessons, course pages and the home page.
   Every page is complete without this script. State lives in one localStorage key;
   unreadable or foreign values fall back to an empty state, never to an exception. */
(function () {
  "use strict";

  var KEY = "courseforge:v1";
  var $ = function (s, r) { return (r || document).querySelector(s); };
  var $$ = function (s, r) { return Array.prototype.slice.call((r || document).querySelectorAll(s)); };
  var isObj = function (x) { return !!x && typeof x === "object" && !Array.isArray(x); };
  // Site-relative page URLs; nothing that could become a javascript: or foreign link.
  var okKey = function (k) {
    return typeof k === "string" && k.length < 400 && !/[:?#\\\s]|^\/|(^|\/)\.\.(\/|$)/.test(k) &&
      k !== "__proto__" && k !== "constructor" && k !== "prototype";
  };
  var okId = function (k) { return typeof k === "string" && k.length < 200 && okKey(k); };

  /* ---------- state ---------- */

  function clean(raw) {
    var out = { lessons: {}, last: {} };
    if (!isObj(raw)) return out;
    var lessons = isObj(raw.lessons) ? raw.lessons : {};
    Object.keys(lessons).forEach(function (k) {
      var l = lessons[k], e = {};
      if (!okKey(k) || !isObj(l)) return;
      if (l.done === true) e.done = true;
      if (okId(l.course)) e.course = l.course;
      if (isObj(l.notes)) Object.keys(l.notes).forEach(function (x) {
        var t = l.notes[x];
        if (okId(x) && typeof t === "string" && t) (e.notes = e.notes || {})[x] = t.slice(0, 50000);
      });
      if (isObj(l.criteria)) Object.keys(l.criteria).forEach(function (x) {
        var a = l.criteria[x];
        if (!okId(x) || !Array.isArray(a)) return;
        a = a.filter(function (n, i) { return Number.isInteger(n) && n >= 0 && n < 500 && a.indexOf(n) === i; });
        if (a.length) (e.criteria = e.criteria || {})[x] = a;
      });
      if (Object.keys(e).length) out.lessons[k] = e;
    });
    var last = isObj(raw.last) ? raw.last : {};
    Object.keys(last).forEach(function (c) {
      var v = last[c];
      if (okId(c) && isObj(v) && okKey(v.lesson)) out.last[c] = { lesson: v.lesson, at: Number.isFinite(v.at) ? v.at : 0 };
    });
    return out;
  }

  var memory = null, memoryOnly = false;
  function read() {
    if (!memoryOnly) {
      try { return clean(JSON.parse(localStorage.getItem(KEY))); } catch (e) {
        if (!(e instanceof SyntaxError)) memoryOnly = true;
      }
    }
    return clean(memory);
  }
  function write(s) {
    memory = s;
    if (!memoryOnly) try { localStorage.setItem(KEY, JSON.stringify(s)); } catch (e) { memoryOnly = true; }
  }
  function update(fn) { var s = read(); fn(s); write(s); return s; }
  function lessonOf(s, k) { return s.lessons[k] || (s.lessons[k] = {}); }

  /* ---------- URLs ---------- */

  // Material's #__config "base" is relative to the page that was first loaded; instant
  // navigation keeps this script alive, so the absolute root is computed once, here.
  var ROOT = (function () {
    try { return new URL(JSON.parse($("#__config").textContent).base.replace(/\/?$/, "/"), location.href).href; } catch (e) { /* no config */ }
    try { if (window.__md_scope) return new URL(".", window.__md_scope).href; } catch (e) { /* ignore */ }
    return new URL("/", location.href).href;
  })();
  var norm = function (p) { return p.replace(/index\.html$/, ""); };
  function urlFor(key) { return new URL(key, ROOT); }
  function sameSite(u) { return u.origin === location.origin && u.pathname.indexOf(new URL(ROOT).pathname) === 0; }

  /* ---------- binding ---------- */

  var ctl = null, flushers = [], observer = null;
  var on = function (el, type, fn) { el.addEventListener(type, fn, { signal: ctl.signal }); };
  var make = function (tag, cls, text) {
    var el = document.createElement(tag);
    if (cls) el.className = cls;
    if (text) el.textContent = text;
    return el;
  };
  function lessonKey() {
    var a = $("article.cf-lesson[data-cf-lesson]");
    if (a && okKey(a.dataset.cfLesson)) return a.dataset.cfLesson;
    var p = location.pathname, r = new URL(ROOT).pathname;
    return p.indexOf(r) === 0 ? decodeURI(norm(p.slice(r.length))) : "";
  }

  function bind() {
    if (ctl) ctl.abort();
    flushers.forEach(function (f) { f(); });
    flushers = [];
    if (observer) observer.disconnect();
    observer = null;
    ctl = new AbortController();
    var steps = [visit, hints, exercises, quiz, complete, tools, diagrams, paint];
    steps.forEach(function (step) {
      try { step(); } catch (e) { /* one broken feature must not stop the others */ }
    });
  }

  function visit() {
    var a = $("article.cf-lesson[data-cf-lesson][data-cf-course]");
    if (!a || !okKey(a.dataset.cfLesson) || !okId(a.dataset.cfCourse)) return;
    update(function (s) {
      lessonOf(s, a.dataset.cfLesson).course = a.dataset.cfCourse;
      s.last[a.dataset.cfCourse] = { lesson: a.dataset.cfLesson, at: Date.now() };
    });
  }

  // a. Hints: one at a time. Opening hint N reveals hint N+1.
  function hints() {
    $$("[data-cf-hints]").forEach(function (box) {
      var list = $$("details.cf-hint", box);
      list.forEach(function (d, i) {
        var next = list[i + 1];
        if (i > 0 && !list[i - 1].open && !d.open && !d.hasAttribute("data-cf-shown")) d.hidden = true;
        if (next) on(d, "toggle", function () {
          if (d.open) { next.hidden = false; next.setAttribute("data-cf-shown", ""); }
        });
      });
    });
  }

  // b, c. Notes and success criteria, per lesson and exercise.
  function exercises() {
    var key = lessonKey();
    $$("[data-cf-exercise]").forEach(function (card) {
      var ex = card.dataset.cfExercise;
      if (!okId(ex)) return;
      var ta = $("textarea[data-cf-notes]", card), timer = 0;
      if (ta) {
        var save = function () {
          if (!timer) return;
          clearTimeout(timer);
          timer = 0;
          update(function (s) {
            var l = lessonOf(s, key);
            l.notes = l.notes || {};
            if (ta.value) l.notes[ex] = ta.value; else delete l.notes[ex];
          });
        };
        on(ta, "input", function () { clearTimeout(timer); timer = setTimeout(save, 400); });
        on(ta, "blur", save);
        flushers.push(save);
      }
      $$("input[data-cf-criterion]", card).forEach(function (cb) {
        on(cb, "change", function () {
          update(function (s) {
            var l = lessonOf(s, key), c = l.criteria = l.criteria || {};
            c[ex] = $$("input[data-cf-criterion]", card).filter(function (x) { return x.checked; })
              .map(function (x) { return +x.dataset.cfCriterion; }).filter(Number.isInteger);
          });
        });
      });
    });
  }

  // d. Quiz: radio groups with instant, announced feedback.
  function quiz() {
    $$("[data-cf-quiz]").forEach(function (box) {
      box.classList.add("cf-quiz--live");
      $$("details.cf-question__answers", box).forEach(function (d) { d.hidden = true; });
      $$("[data-cf-question]", box).forEach(function (q) {
        var answers = $$("[data-cf-answer]", q);
        var status = $(".cf-question__status", q);
        if (!status) {
          status = q.appendChild(make("p", "cf-question__status cf-sr-only"));
          status.setAttribute("role", "status");
        }
        answers.forEach(function (a) {
          var input = $("input[type=radio]", a), fb = $(".cf-answer__feedback", a);
          if (input) input.disabled = false;
          if (fb && !$(".cf-answer__verdict", fb)) {
            fb.prepend(make("strong", "cf-answer__verdict", a.hasAttribute("data-correct") ? "Correct" : "Not quite"), " ");
          }
        });
        on(q, "change", function (ev) {
          var chosen = ev.target.closest("[data-cf-answer]");
          if (!chosen) return;
          var right = chosen.hasAttribute("data-correct");
          answers.forEach(function (a) {
            var fb = $(".cf-answer__feedback", a), me = a === chosen;
            if (fb) fb.hidden = !me;
            a.classList.toggle("cf-answer--correct", me && right);
            a.classList.toggle("cf-answer--wrong", me && !right);
          });
          q.classList.toggle("cf-question--correct", right);
          q.classList.toggle("cf-question--wrong", !right);
          var fb = $(".cf-answer__feedback", chosen);
          status.textContent = fb ? fb.textContent.trim() : right ? "Correct" : "Not quite";
        });
      });
    });
  }

  // e. Completion toggle.
  function complete() {
    var box = $("[data-cf-complete]"), key = lessonKey(), btn = box && $("button", box);
    if (!btn) return;
    box.hidden = false;
    on(btn, "click", function () {
      update(function (s) {
        var l = lessonOf(s, key);
        if (l.done) delete l.done; else l.done = true;
      });
      paint();
    });
  }

  // Everything that shows stored progress; called on bind, after changes and imports.
  function paint() {
    var s = read(), key = lessonKey(), done = function (k) { return !!(s.lessons[k] && s.lessons[k].done); };

    var btn = $("[data-cf-complete] button");
    if (btn) {
      btn.setAttribute("aria-pressed", String(done(key)));
      btn.textContent = done(key) ? "Completed ✓ — undo" : "Mark lesson complete";
      btn.classList.toggle("cf-complete__button--done", done(key));
    }

    $$("[data-cf-exercise]").forEach(function (card) {
      var l = s.lessons[key] || {}, ex = card.dataset.cfExercise;
      var ta = $("textarea[data-cf-notes]", card), ticks = (l.criteria && l.criteria[ex]) || [];
      if (ta && l.notes && l.notes[ex] != null && document.activeElement !== ta) ta.value = l.notes[ex];
      $$("input[data-cf-criterion]", card).forEach(function (cb) {
        cb.checked = ticks.indexOf(+cb.dataset.cfCriterion) >= 0;
      });
    });

    // f. Course page.
    var course = $("article.cf-course[data-cf-course]");
    if (course) {
      var slug = course.dataset.cfCourse, items = $$(".cf-syllabus__item[data-cf-lesson-link]", course);
      var keys = items.map(function (i) { return i.dataset.cfLessonLink; });
      var count = keys.filter(done).length, box = $("[data-cf-progress]", course);
      items.forEach(function (i) {
        var d = done(i.dataset.cfLessonLink), mark = $("[data-cf-done]", i);
        if (mark) mark.hidden = !d;
        i.classList.toggle("cf-syllabus__item--done", d);
      });
      if (box) {
        box.hidden = false;
        var text = $("[data-cf-progress-text]", box), bar = $("[data-cf-progress-bar]", box), resume = $("[data-cf-resume]", box);
        if (text) text.textContent = count + " of " + keys.length + " lesson" + (keys.length === 1 ? "" : "s") + " completed";
        if (bar) {
          bar.max = Math.max(keys.length, 1);
          bar.value = count;
          if (!bar.hasAttribute("aria-label")) bar.setAttribute("aria-label", "Course progress");
        }
        var last = s.last[slug], target = last && keys.indexOf(last.lesson) >= 0 ? last.lesson : null;
        if (!target && count) target = keys.filter(function (k) { return !done(k); })[0];
        if (resume) {
          resume.hidden = !(target && okKey(target));
          if (!resume.hidden) resume.href = urlFor(target).href;
        }
      }
    }

    // Home page: a short progress line on each course card.
    $$(".cf-course-card[data-cf-course]").forEach(function (card) {
      var slug = card.dataset.cfCourse, n = 0, line = $(".cf-course-card__progress", card);
      Object.keys(s.lessons).forEach(function (k) { if (s.lessons[k].course === slug && s.lessons[k].done) n++; });
      var last = s.last[slug];
      if (!n && !last) { if (line) line.remove(); return; }
      if (!line) line = card.appendChild(make("p", "cf-course-card__progress"));
      line.textContent = n + " lesson" + (n === 1 ? "" : "s") + " completed";
      if (last && okKey(last.lesson)) {
        var a = make("a", "", "Resume");
        a.href = urlFor(last.lesson).href;
        line.append(" · ", a);
      }
    });

    // g. Sidebar: completed lessons get a check mark.
    var donePaths = Object.keys(s.lessons).filter(done).map(function (k) { return norm(urlFor(k).pathname); });
    $$(".md-nav__link[href]").forEach(function (a) {
      if (a.closest(".md-nav--secondary") || a.getAttribute("href").charAt(0) === "#") return;
      var u = new URL(a.href, location.href);
      a.classList.toggle("cf-nav--done", !u.hash && sameSite(u) && donePaths.indexOf(norm(u.pathname)) >= 0);
    });
  }

  /* ---------- h. export / import ---------- */

  function toCode(text) {
    var bin = "";
    new TextEncoder().encode(text).forEach(function (b) { bin += String.fromCharCode(b); });
    return btoa(bin);
  }
  function fromText(text) {
    text = String(text || "").trim();
    if (text.charAt(0) !== "{") {
      var bin = atob(text.replace(/\s+/g, ""));
      text = new TextDecoder().decode(Uint8Array.from(bin, function (c) { return c.charCodeAt(0); }));
    }
    var raw = JSON.parse(text);
    if (!isObj(raw) || raw.courseforge !== 1 || !isObj(raw.lessons)) throw new Error("foreign");
    return clean(raw);
  }
  function merge(into, from) {
    Object.keys(from.lessons).forEach(function (k) {
      var a = lessonOf(into, k), b = from.lessons[k];
      if (b.done) a.done = true;
      if (b.course && !a.course) a.course = b.course;
      Object.keys(b.notes || {}).forEach(function (x) {
        var mine = (a.notes = a.notes || {})[x] || "", theirs = b.notes[x];
        a.notes[x] = !mine || theirs.indexOf(mine) >= 0 ? theirs : mine.indexOf(theirs) >= 0 ? mine : mine + "\n\n" + theirs;
      });
      Object.keys(b.criteria || {}).forEach(function (x) {
        var c = a.criteria = a.criteria || {};
        c[x] = (c[x] || []).concat(b.criteria[x].filter(function (n) { return (c[x] || []).indexOf(n) < 0; }));
      });
    });
    Object.keys(from.last).forEach(function (c) {
      if (!into.last[c] || into.last[c].at < from.last[c].at) into.last[c] = from.last[c];
    });
    return into;
  }

  function tools() {
    var box = $("[data-cf-progress-tools]");
    if (!box) return;
    box.hidden = false;
    var msg = $("[data-cf-progress-message]", box), out = $("[data-cf-export-output]", box);
    var code = $("[data-cf-export-code]", box), file = $("[data-cf-import-file]", box), paste = $("[data-cf-import-code]", box);
    var say = function (text, bad) {
      if (!msg) return;
      msg.textContent = text;
      msg.classList.toggle("cf-progress-tools__message--error", !!bad);
    };
    var exp = $("[data-cf-export]", box), imp = $("[data-cf-import]", box), copy = $("[data-cf-copy]", box);
    if (exp) on(exp, "click", function () {
      var s = read(), json = JSON.stringify({ courseforge: 1, exported: new Date().toISOString(), lessons: s.lessons, last: s.last });
      if (code) code.value = toCode(json);
      if (out) out.hidden = false;
      try {
        var a = make("a"), url = URL.createObjectURL(new Blob([json], { type: "application/json" }));
        a.href = url;
        a.download = "courseforge-progress.json";
        a.click();
        setTimeout(function () { URL.revokeObjectURL(url); }, 5000);
      } catch (e) { /* the code alone still works */ }
      var n = Object.keys(s.lessons).filter(function (k) { return s.lessons[k].done; }).length;
      say("Progress exported (" + n + " completed lesson" + (n === 1 ? "" : "s") + "). Keep the file, or copy the code below.");
    });
    if (copy && code) on(copy, "click", function () {
      code.select();
      var ok = function () { say("Code copied to the clipboard."); };
      try {
        navigator.clipboard.writeText(code.value).then(ok, function () { say("Press Ctrl+C (or ⌘C) to copy the selected code."); });
      } catch (e) { say("Press Ctrl+C (or ⌘C) to copy the selected code."); }
    });
    if (imp) on(imp, "click", function () {
      var f = file && file.files && file.files[0];
      var text = f ? f.text() : Promise.resolve(paste ? paste.value : "");
      text.then(function (t) {
        if (!String(t).trim()) return say("Choose a progress file or paste a progress code first.", true);
        var incoming;
        try { incoming = fromText(t); } catch (e) {
          return say("That is not a courseforge progress " + (f ? "file" : "code") + ". Nothing was changed.", true);
        }
        write(merge(read(), incoming));
        if (file) file.value = "";
        if (paste) paste.value = "";
        paint();
        var n = Object.keys(incoming.lessons).length;
        say("Progress imported: " + n + " lesson" + (n === 1 ? "" : "s") + " merged into this browser.");
      }).catch(function () { say("That file could not be read. Nothing was changed.", true); });
    });
  }

  /* ---------- i. diagrams ---------- */

  var THEME_CSS = [
    ".node rect,.node circle,.node ellipse,.node polygon,.node path{fill:var(--md-mermaid-node-bg-color);stroke:var(--md-mermaid-node-fg-color)}",
    ".label,.nodeLabel,.nodeLabel p,.label text,.cluster span{color:var(--md-mermaid-label-fg-color);fill:var(--md-mermaid-label-fg-color);font-family:var(--md-mermaid-font-family)}",
    ".edgeLabel,.edgeLabel p,.edgeLabel rect{background-color:var(--md-mermaid-label-bg-color);fill:var(--md-mermaid-label-bg-color);color:var(--md-mermaid-edge-color)}",
    ".flowchart-link,.edgePath .path,.transition,.relation,.relationshipLine{stroke:var(--md-mermaid-edge-color)}",
    "marker,.arrowheadPath,.arrowMarkerPath{fill:var(--md-mermaid-edge-color)!important;stroke:var(--md-mermaid-edge-color)!important}",
    ".cluster rect{fill:var(--md-default-fg-color--lightest);stroke:var(--md-default-fg-color--lighter)}",
    "text,.titleText,.flowchartTitleText,.statediagramTitleText,.classDiagramTitleText{fill:var(--md-mermaid-label-fg-color)}",
    ".actor{fill:var(--md-mermaid-sequence-actor-bg-color);stroke:var(--md-mermaid-sequence-actor-border-color)}",
    "text.actor>tspan{fill:var(--md-mermaid-sequence-actor-fg-color)}",
    ".actor-line,line{stroke:var(--md-mermaid-sequence-actor-line-color)}",
    ".messageLine0,.messageLine1{stroke:var(--md-mermaid-sequence-message-line-color)}",
    ".messageText{fill:var(--md-mermaid-sequence-message-fg-color)}",
    "#arrowhead path{fill:var(--md-mermaid-sequence-message-line-color);stroke:none}",
    ".note{fill:var(--md-mermaid-sequence-note-bg-color);stroke:var(--md-mermaid-sequence-note-border-color)}",
    ".noteText>tspan{fill:var(--md-mermaid-sequence-note-fg-color)}",
    ".loopLine{stroke:var(--md-mermaid-sequence-loop-border-color)}",
    ".loopText,.loopText>tspan{fill:var(--md-mermaid-sequence-loop-fg-color)}",
    ".labelBox{fill:var(--md-mermaid-sequence-label-bg-color);stroke:none}",
    ".labelText,.labelText>tspan{fill:var(--md-mermaid-sequence-label-fg-color)}",
    "g.stateGroup rect,.statediagram-state rect,g.classGroup rect,[id^=entity] rect{fill:var(--md-mermaid-node-bg-color);stroke:var(--md-mermaid-node-fg-color)}",
    ".start-state,.state-start,.end-state-inner,.state-end{fill:var(--md-mermaid-edge-color)}",
    ".pieTitleText,.legend text,.slice{fill:var(--md-default-fg-color)}"
  ].join("");

  var library = null, configured = null, serial = 0, queue = Promise.resolve();
  function loadLibrary(src) {
    var m = window.mermaid;
    if (m && typeof m.render === "function") return Promise.resolve(m);
    if (!library) {
      library = new Promise(function (resolve, reject) {
        var s = make("script");
        s.src = src;
        s.async = true;
        s.onload = function () {
          var m = window.mermaid;
          if (m && typeof m.render === "function") resolve(m); else reject(new Error("no mermaid"));
        };
        s.onerror = function () { reject(new Error("mermaid did not load")); };
        document.head.appendChild(s);
      });
      library.catch(function () { library = null; });
    }
    return library;
  }

  function draw(pre, article) {
    if (pre.dataset.cfState) return;
    pre.dataset.cfState = "loading";
    var code = $("code", pre), source = (code || pre).textContent, id = "cf-diagram-" + (++serial);
    queue = queue.then(function () {
      if (!pre.isConnected) return;
      return loadLibrary(new URL(article.dataset.cfDiagramLibrary, location.href).href).then(function (m) {
        var options = {};
        try { options = JSON.parse(article.dataset.cfDiagramOptions || "{}"); } catch (e) { /* ignore */ }
        var config = Object.assign({ startOnLoad: false, securityLevel: "strict", theme: "base", themeCSS: THEME_CSS, suppressErrorRendering: true },
          isObj(options) ? options : {});
        var sig = JSON.stringify(config);
        if (configured !== sig) { m.initialize(config); configured = sig; }
        return m.render(id, source);
      }).then(function (result) {
        if (!pre.isConnected) return;
        var div = make("div", "cf-diagram");
        div.innerHTML = result.svg;
        var svg = $("svg", div);
        if (!svg) throw new Error("no svg");
        if (!svg.getAttribute("aria-labelledby") && !svg.getAttribute("aria-label")) {
          var fig = pre.closest("figure"), cap = fig && $("figcaption", fig);
          svg.setAttribute("role", "img");
          svg.setAttribute("aria-label", cap && cap.textContent.trim() ? cap.textContent.trim() : "Diagram");
        }
        pre.replaceWith(div);
        if (result.bindFunctions) result.bindFunctions(div);
      }).catch(function () {
        ["d" + id, id].forEach(function (x) { var el = document.getElementById(x); if (el && !el.closest(".cf-diagram")) el.remove(); });
        if (!pre.isConnected) return;
        pre.dataset.cfState = "failed";
        var note = make("p", "cf-diagram__error", "This diagram could not be drawn here; its source is shown instead.");
        note.setAttribute("role", "note");
        pre.before(note);
      });
    });
  }

  function diagrams() {
    var article = $("article.cf-lesson[data-cf-diagram-library]");
    var pres = $$("pre.cf-mermaid[data-cf-diagram]").filter(function (p) { return !p.dataset.cfState; });
    if (!article || !pres.length) return;
    if (!("IntersectionObserver" in window)) return pres.forEach(function (p) { draw(p, article); });
    observer = new IntersectionObserver(function (entries, obs) {
      entries.forEach(function (e) {
        if (!e.isIntersecting) return;
        obs.unobserve(e.target);
        draw(e.target, article);
      });
    }, { rootMargin: "300px 0px" });
    pres.forEach(function (p) { observer.observe(p); });
  }

  /* ---------- start ---------- */

  // Material's search dialog has no accessible name (axe: aria-dialog-name).
  var search = $(".md-search[role=dialog]");
  if (search && !search.hasAttribute("aria-label")) search.setAttribute("aria-label", "Search");
  addEventListener("pagehide", function () { flushers.forEach(function (f) { f(); }); });
  addEventListener("storage", function (e) { if (e.key === KEY || e.key === null) try { paint(); } catch (x) { /* ignore */ } });
  if (window.document$ && typeof window.document$.subscribe === "function") window.document$.subscribe(bind);
  else if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", bind);
  else bind();
})();

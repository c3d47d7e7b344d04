/* courseforge: progressive enhancement; pages are complete without it. State: one
   localStorage key, validated on read; bad values or no storage give an empty state. */
(() => {
  "use strict";

  const KEY = "courseforge:v1";
  const $ = (s, r = document) => r.querySelector(s);
  const $$ = (s, r = document) => [...r.querySelectorAll(s)];
  const isObj = (x) => !!x && typeof x === "object" && !Array.isArray(x);
  // site-relative URLs and ids only: never a javascript: or foreign link
  const okKey = (k) => typeof k === "string" && k.length < 400 &&
    !/[:?#\\\s]|^\/|(^|\/)\.\.(\/|$)|^(__proto__|constructor|prototype)$/.test(k);
  const keys = (o) => (isObj(o) ? Object.keys(o).filter(okKey) : []);

  /* state */

  function clean(raw) {
    const out = { lessons: {}, last: {} };
    if (!isObj(raw)) return out;
    for (const k of keys(raw.lessons)) {
      const l = raw.lessons[k], e = {};
      if (!isObj(l)) continue;
      if (l.done === true) e.done = true;
      if (okKey(l.course)) e.course = l.course;
      for (const x of keys(l.notes)) {
        const t = l.notes[x];
        if (typeof t === "string" && t) (e.notes ||= {})[x] = t.slice(0, 50000);
      }
      for (const x of keys(l.criteria)) {
        const a = l.criteria[x];
        const v = Array.isArray(a) ? a.filter((n, i) => Number.isInteger(n) && n >= 0 && n < 500 && a.indexOf(n) === i) : [];
        if (v.length) (e.criteria ||= {})[x] = v;
      }
      for (const x of keys(l.hints)) {
        const a = l.hints[x];
        const v = Array.isArray(a) ? a.filter((n, i) => Number.isInteger(n) && n >= 0 && n < 500 && a.indexOf(n) === i) : [];
        if (v.length) (e.hints ||= {})[x] = v;
      }
      for (const x of keys(l.quiz)) {
        // one entry a question: {pick: source position of the chosen answer, checked: true} or null
        const a = l.quiz[x];
        const v = Array.isArray(a) ? a.slice(0, 500).map((q) => (isObj(q) && Number.isInteger(q.pick) && q.pick >= 0 && q.pick < 500
          ? (q.checked === true ? { pick: q.pick, checked: true } : { pick: q.pick }) : null)) : [];
        while (v.length && !v[v.length - 1]) v.pop();
        if (v.length) (e.quiz ||= {})[x] = v;
      }
      if (Object.keys(e).length) out.lessons[k] = e;
    }
    for (const c of keys(raw.last)) {
      const v = raw.last[c];
      if (isObj(v) && okKey(v.lesson)) out.last[c] = { lesson: v.lesson, at: Number.isFinite(v.at) ? v.at : 0 };
    }
    if (typeof raw.seed === "string" && /^[0-9a-z]{1,40}$/.test(raw.seed)) out.seed = raw.seed;
    return out;
  }

  let memory = null, memoryOnly = false;
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
  const update = (fn) => { const s = read(); fn(s); write(s); };
  const entry = (s, k) => (s.lessons[k] ||= {});
  const isDone = (s, k) => !!(s.lessons[k] && s.lessons[k].done);

  // #__config base is relative to the page first loaded; this script outlives instant navigation
  const ROOT = (() => {
    try { return new URL(JSON.parse($("#__config").textContent).base.replace(/\/?$/, "/"), location.href); } catch (e) { /* no config */ }
    return new URL("/", location.href);
  })();
  const norm = (p) => p.replace(/index\.html$/, "");
  const urlFor = (key) => new URL(key, ROOT);

  function lessonKey() {
    const a = $("article.cf-lesson[data-cf-lesson]");
    if (a && okKey(a.dataset.cfLesson)) return a.dataset.cfLesson;
    const p = location.pathname;
    try { return p.startsWith(ROOT.pathname) ? decodeURI(norm(p.slice(ROOT.pathname.length))) : ""; } catch (e) { return ""; }
  }

  /* strings: learners' text in the page's language, from the JSON its template renders
     (translations/<language>.yml); a page of another language brings its own */

  let strings = { plural_one: [1], strings: {} };
  function readStrings() {
    try {
      const table = JSON.parse($("#cf-strings").dataset.cfStrings);
      if (isObj(table) && isObj(table.strings) && Array.isArray(table.plural_one)) strings = table;
    } catch (e) { /* a page without courseforge parts: keep the last ones */ }
  }
  // t("quiz_score", { count, total }): in the form `count` takes, its {fields} filled ({{ }} is a brace)
  function t(key, values = {}) {
    let text = strings.strings[key];
    if (isObj(text)) text = text[strings.plural_one.includes(values.count) ? "one" : "other"] || text.other;
    if (typeof text !== "string") return key;
    return text.replace(/\{\{|\}\}|\{(\w+)\}/g, (m, name) => (!name ? m[0] : name in values ? String(values[name]) : m));
  }

  /* bind: every page, also after instant navigation */

  let ctl = null, flushers = [];
  const on = (el, type, fn) => el.addEventListener(type, fn, { signal: ctl.signal });
  const make = (tag, cls, text) => {
    const el = document.createElement(tag);
    if (cls) el.className = cls;
    if (text) el.textContent = text;
    return el;
  };
  const flush = () => flushers.forEach((f) => f());

  function bind() {
    if (ctl) ctl.abort();
    flush();
    flushers = [];
    ctl = new AbortController();
    readStrings();
    for (const step of [skipToLesson, lockedSection, visit, complete, tables, diagrams, paint, features]) {
      try { step(); } catch (e) { /* keep the other features */ }
    }
  }

  /* features only some pages have: in files of their own (courseforge-<name>.js, next to this
     one), fetched when a page has one. Until one arrives, and without JavaScript, the page is
     complete as built (hints open, answers in a <details>, diagrams as their source). Script
     elements, not import(): the first page's load event waits for them, and file:// works. */

  const HERE = document.currentScript && document.currentScript.src;
  const FEATURES = {
    exercise: "[data-cf-hints], [data-cf-exercise]",
    quiz: "[data-cf-quiz]",
    "progress-tools": "[data-cf-progress-tools]",
    diagrams: "pre.cf-mermaid[data-cf-diagram]",
  };
  const fetched = new Set(), arrived = {};
  let serial = 0;
  // what the features' steps get
  const cf = {
    $, $$, isObj, okKey, clean, read, write, update, entry, isDone, lessonKey, t, on, make, paint, framed,
    onLeave: (fn) => flushers.push(fn),  // e.g. save typed notes: before the next page binds, or the tab goes
    signal: () => ctl.signal,  // aborted when the next page binds
    diagramId: () => `cf-diagram-${++serial}`,
  };
  const run = (steps) => steps.forEach((step) => {
    try { step(cf); } catch (e) { /* keep the other features */ }
  });
  function fetchFeatures() {
    for (const [name, selector] of Object.entries(FEATURES)) {
      if (!HERE || fetched.has(name) || !$(selector)) continue;
      fetched.add(name);
      const script = make("script");
      script.src = new URL(`courseforge-${name}.js`, HERE).href;
      script.onerror = () => { fetched.delete(name); script.remove(); };  // offline for a moment: the next page retries
      document.head.append(script);
    }
  }
  // a feature's file announces its steps when it runs: for this page if it is bound, else at bind
  document.addEventListener("courseforge:feature", (e) => {
    const { name, steps } = e.detail || {};
    if (!(name in FEATURES) || !Array.isArray(steps)) return;
    arrived[name] = steps;
    if (ctl && $(FEATURES[name])) run(steps);
  });
  function features() {
    fetchFeatures();
    for (const [name, selector] of Object.entries(FEATURES)) if (arrived[name] && $(selector)) run(arrived[name]);
  }

  // Material's "Skip to content" goes to the first heading of the Markdown: on a lesson that is
  // past its title, summary and opening paragraphs, and a preview without a heading has none. It
  // goes to the lesson itself instead, on every lesson.
  function skipToLesson() {
    const lesson = $("article.cf-lesson"), start = $(".cf-lesson__start[id]"), holder = $('[data-md-component="skip"]');
    if (!lesson || !start || !holder) return;
    let link = $(".md-skip", holder);
    if (!link) holder.append(link = make("a", "md-skip", lesson.dataset.cfSkip));
    link.setAttribute("href", `#${start.id}`);
  }

  // A link to a locked section targets its line in the paywall's outline, near the card's end:
  // show the card from its top, whose title says why the section is not on the page.
  function lockedSection() {
    const show = () => {
      const id = decodeURIComponent(location.hash.slice(1)), line = id && document.getElementById(id);
      if (line && line.closest(".cf-paywall__outline")) line.closest(".cf-paywall").scrollIntoView();
    };
    on(window, "hashchange", show);
    show();
  }

  function visit() {
    const a = $("article.cf-lesson[data-cf-lesson][data-cf-course]");
    const { cfLesson: lesson, cfCourse: course } = a ? a.dataset : {};
    if (!okKey(lesson) || !okKey(course)) return;
    update((s) => {
      entry(s, lesson).course = course;
      s.last[course] = { lesson, at: Date.now() };
    });
  }

  function complete() {
    const box = $("[data-cf-complete]"), btn = box && $("button", box), key = lessonKey();
    if (!btn) return;
    box.hidden = false;
    on(btn, "click", () => {
      update((s) => { const l = entry(s, key); if (l.done) delete l.done; else l.done = true; });
      paint();
    });
  }

  // shows stored progress: on bind, after changes and imports
  function paint() {
    const s = read(), key = lessonKey(), done = (k) => isDone(s, k);

    const btn = $("[data-cf-complete] button");
    if (btn) {
      // Its name says the state ("Completed ✓ — undo"): no aria-pressed on top, which screen
      // readers would announce as "pressed" after a name that already says so.
      btn.textContent = t(done(key) ? "complete_undo" : "complete_mark");
      btn.classList.toggle("cf-complete__button--done", done(key));
    }

    const mine = s.lessons[key] || {};
    for (const card of $$("[data-cf-exercise]")) {
      const ex = card.dataset.cfExercise, ta = $("textarea[data-cf-notes]", card);
      const ticks = (mine.criteria && mine.criteria[ex]) || [];
      if (ta && mine.notes && mine.notes[ex] && document.activeElement !== ta) ta.value = mine.notes[ex];
      for (const cb of $$("input[data-cf-criterion]", card)) cb.checked = ticks.includes(+cb.dataset.cfCriterion);
    }

    // where a course continues: the last lesson visited, else the first one not completed
    const resumeAt = (slug, links) => {
      const last = s.last[slug];
      if (last && (!links || links.includes(last.lesson))) return last.lesson;
      return links && links.some(done) ? links.find((k) => !done(k)) : null;
    };
    const startOrResume = (box, target) => {
      const start = $("[data-cf-start]", box), resume = $("[data-cf-resume]", box);
      if (resume) {
        resume.hidden = !okKey(target);
        if (!resume.hidden) resume.href = urlFor(target).href;
      }
      if (start) start.hidden = !!resume && !resume.hidden;
    };

    const course = $("article.cf-course[data-cf-course]");
    const box = course && $("[data-cf-progress]", course);
    if (box) {
      const items = $$(".cf-syllabus__item[data-cf-lesson-link]", course);
      const links = items.map((i) => i.dataset.cfLessonLink), count = links.filter(done).length;
      for (const i of items) {
        const d = done(i.dataset.cfLessonLink), mark = $("[data-cf-done]", i);
        if (mark) mark.hidden = !d;
        i.classList.toggle("cf-syllabus__item--done", d);
      }
      const text = $("[data-cf-progress-text]", box), bar = $("[data-cf-progress-bar]", box);
      if (text) {
        text.textContent = t("progress_course", { count, total: links.length });
        text.hidden = false;
      }
      if (bar) {
        bar.hidden = false;
        bar.max = Math.max(links.length, 1);
        bar.value = count;
        if (!bar.hasAttribute("aria-label")) bar.setAttribute("aria-label", t("progress_label"));
      }
      startOrResume(box, resumeAt(course.dataset.cfCourse, links));
    }

    // a course's progress on the home page and in a lesson's header; shown once there is some
    for (const bar of $$("[data-cf-course-progress]")) {
      const slug = bar.dataset.cfCourseProgress;
      const n = Object.keys(s.lessons).filter((k) => s.lessons[k].course === slug && done(k)).length;
      const meter = $("progress", bar), text = $("[data-cf-total]", bar);
      // a lesson's own visit is no progress to show yet; on the home page it is (Resume)
      bar.hidden = !n && (!s.last[slug] || !!bar.closest("article.cf-lesson"));
      if (meter) meter.value = n;
      if (text) text.textContent = t("progress_course", { count: n, total: +text.dataset.cfTotal });
    }
    for (const card of $$(".cf-course-card[data-cf-course]")) startOrResume(card, resumeAt(card.dataset.cfCourse));

    const donePaths = Object.keys(s.lessons).filter(done).map((k) => norm(urlFor(k).pathname));
    for (const a of $$(".md-nav__link[href]")) {
      if (a.closest(".md-nav--secondary") || a.getAttribute("href").startsWith("#")) continue;
      const u = new URL(a.href, location.href);
      a.classList.toggle("cf-nav--done", !u.hash && u.origin === ROOT.origin && donePaths.includes(norm(u.pathname)));
    }
  }

  // Material's wrapper around a wide table scrolls sideways: make it reachable by keyboard
  // (axe scrollable-region-focusable), named after the table's caption or its section
  function tables() {
    for (const wrap of $$(".md-typeset__scrollwrap")) {
      const table = $("table", wrap);
      if (!table || wrap.scrollWidth <= wrap.clientWidth + 1 || wrap.hasAttribute("tabindex")) continue;
      let h = wrap;
      while (h && !/^H[1-4]$/.test(h.tagName)) h = h.previousElementSibling || (h.parentElement !== document.body ? h.parentElement : null);
      const cap = $("caption", table), name = (cap || h || $("th", table) || table).textContent.replace(/\u00b6/g, "").trim();
      wrap.tabIndex = 0;
      wrap.setAttribute("role", "region");
      wrap.setAttribute("aria-label", name.slice(0, 120));
    }
  }

  /* diagrams */

  // Readable text: a diagram is never drawn with text below READABLE px. When fitting it to its
  // frame would shrink its smallest text below that, it keeps a readable scale and its frame
  // scrolls sideways, with a fade at the edge that has more, a hint, and keyboard focus.
  const READABLE = 12;
  function diagramName(svg, pre) {
    const ids = (svg.getAttribute("aria-labelledby") || "").split(/\s+/).filter(Boolean);
    const fig = pre.closest("figure");
    const named = [svg.getAttribute("aria-label"), ids.map((x) => { const t = document.getElementById(x); return t ? t.textContent : ""; }).join(" "),
      fig && $("h2,h3,h4,figcaption", fig) && $("h2,h3,h4,figcaption", fig).textContent.replace(/\u00b6/g, "")];
    const found = named.find((n) => n && n.trim());
    if (found) return found.trim();
    // an inline diagram: named after the section it illustrates
    let h = pre.closest("figure") || pre;
    while (h && !/^H[2-4]$/.test(h.tagName)) h = h.previousElementSibling || (h.parentElement !== document.body ? h.parentElement : null);
    return h ? t("diagram_of", { title: h.textContent.replace(/\u00b6/g, "").trim() }) : t("diagram");
  }
  function naturalSize(svg) {
    const box = svg.viewBox && svg.viewBox.baseVal;
    const width = (box && box.width) || parseFloat(svg.style.maxWidth) || parseFloat(svg.getAttribute("width")) || 0;
    // the smallest text at the diagram's own scale (1 user unit = 1 px)
    const base = svg.getScreenCTM(), unit = base ? Math.hypot(base.a, base.b) : 0;
    let font = Infinity;
    for (const t of svg.querySelectorAll("text, foreignObject *")) {
      if (t.children.length && t.tagName !== "text" || !t.textContent.trim()) continue;
      const g = t.closest("text, foreignObject"), m = g && g.getScreenCTM ? g.getScreenCTM() : null;
      const ratio = m && unit ? Math.hypot(m.a, m.b) / unit : 1;
      const size = parseFloat(getComputedStyle(t).fontSize) * ratio;
      if (size > 0) font = Math.min(font, size);
    }
    return { width, font: font === Infinity ? 16 : font };
  }
  function edges(frame) {
    const box = frame.closest(".cf-diagram-box"), max = frame.scrollWidth - frame.clientWidth;
    if (!box) return;
    box.classList.toggle("cf-diagram-box--more-left", frame.scrollLeft > 1);
    box.classList.toggle("cf-diagram-box--more-right", frame.scrollLeft < max - 1);
  }
  function fit(frame) {
    const svg = $("svg", frame), box = frame.closest(".cf-diagram-box");
    if (!svg || !box || !frame.clientWidth) return;
    const n = naturalSize(svg);
    if (!n.width) return;
    const room = frame.clientWidth, fitted = Math.min(n.width, room);
    const readable = Math.ceil(n.width * READABLE / n.font);
    const scrolls = fitted < readable;
    svg.style.maxWidth = scrolls ? "none" : `${n.width}px`;
    svg.style.width = `${scrolls ? readable : fitted}px`;
    box.classList.toggle("cf-diagram-box--scrolls", scrolls);
    $(".cf-diagram__hint", box).hidden = !scrolls;
    if (scrolls) {
      frame.tabIndex = 0;
      frame.setAttribute("role", "region");
      frame.setAttribute("aria-label", t("diagram_scrolls", { name: frame.dataset.cfName }));
      frame.setAttribute("aria-describedby", $(".cf-diagram__hint", box).id);
    } else {
      frame.removeAttribute("tabindex");
      for (const a of ["role", "aria-label", "aria-describedby"]) frame.removeAttribute(a);
    }
    edges(frame);
  }
  let refitting = 0;
  // one listener for the whole visit (instant navigation keeps the window): refit on rotation or resize
  addEventListener("resize", () => {
    cancelAnimationFrame(refitting);
    refitting = requestAnimationFrame(() => $$(".cf-diagram-box .cf-diagram").forEach(fit));
  });
  // a diagram drawn inside a closed <details> had no width to fit to: fit it when opened
  document.addEventListener("toggle", (e) => { if (e.target.open) $$(".cf-diagram-box .cf-diagram", e.target).forEach(fit); }, true);

  // A drawn diagram takes the place of `anchor` in a frame that fits it (see fit()).
  function framed(div, anchor, id) {
    const box = make("div", "cf-diagram-box"), view = make("div", "cf-diagram-view");
    const hint = make("p", "cf-diagram__hint", t("diagram_hint"));
    hint.id = `${id}-hint`;
    anchor.replaceWith(box);
    view.append(div);
    box.append(view, hint);
    div.dataset.cfName = diagramName($("svg", div), box);
    div.addEventListener("scroll", () => edges(div), { passive: true });
    fit(div);
  }

  // drawn at build time (`diagrams: static`): only framed here, no Mermaid is loaded
  function diagrams() {
    $$(".cf-diagram").filter((d) => !d.closest(".cf-diagram-box")).forEach((d) => framed(d, d, cf.diagramId()));
  }

  /* start */

  // Material's search dialog lacks a name (axe aria-dialog-name): its field's placeholder, in Material's language
  const search = $(".md-search[role=dialog]"), field = $(".md-search__input");
  if (search && field && field.placeholder && !search.hasAttribute("aria-label")) search.setAttribute("aria-label", field.placeholder);
  addEventListener("pagehide", flush);
  addEventListener("storage", (e) => { if (e.key === KEY || e.key === null) try { paint(); } catch (x) { /* ignore */ } });
  fetchFeatures();  // now, while the first page loads: its load event waits for them
  // A task of its own: Material's DOMContentLoaded work is long enough without ours.
  const later = () => setTimeout(bind);
  if (window.document$ && typeof document$.subscribe === "function") document$.subscribe(later);
  else if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", later);
  else later();
})();

/* printing: a lesson or a workbook prints whole (styles: courseforge-print.css). CSS cannot
   open <details>, so before printing every closed or hidden one is opened (hints, quiz
   answers, call-outs), notes boxes grow to their text, links to other sites are marked for
   their address to print, and an undrawn diagram shows its text alternative; afterwards each
   is restored as it was. The workbook's button prints. */
(() => {
  "use strict";

  let undo = [];
  const DIAGRAM = /^\s*acc(Title|Descr)\s*:\s*(.+)$/gm;

  // the page's strings, as the script above reads them (these two have no plural forms)
  function phrase(key) {
    try { return JSON.parse(document.getElementById("cf-strings").dataset.cfStrings).strings[key] || ""; } catch (e) { return ""; }
  }

  function diagramText(pre) {
    const lines = [...(pre.textContent || "").matchAll(DIAGRAM)].map((m) => m[2].trim());
    const note = document.createElement("p");
    note.className = "cf-print-diagram";
    note.textContent = phrase("diagram_of").replace("{title}", lines.join(". ") || phrase("diagram_online"));
    return note;
  }

  function expand() {
    if (undo.length) return;
    const content = document.querySelector(".md-content") || document.body;
    for (const d of content.querySelectorAll("details")) {
      const { open, hidden } = d;
      if (open && !hidden) continue;
      d.open = true;
      d.hidden = false;
      undo.push(() => { d.open = open; d.hidden = hidden; });
    }
    for (const ta of content.querySelectorAll("textarea[data-cf-notes]")) {
      const height = ta.style.height;
      ta.style.height = `${Math.max(ta.scrollHeight, ta.clientHeight)}px`;
      undo.push(() => { ta.style.height = height; });
    }
    for (const a of content.querySelectorAll("a[href]")) {
      if (a.origin === location.origin || !/^https?:$/.test(a.protocol) || a.classList.contains("md-button")) continue;
      a.setAttribute("data-cf-print-href", a.href);
      undo.push(() => a.removeAttribute("data-cf-print-href"));
    }
    for (const pre of content.querySelectorAll("pre.cf-mermaid[data-cf-diagram]:not([data-cf-state=failed])")) {
      const note = diagramText(pre);
      pre.after(note);
      undo.push(() => note.remove());
    }
  }

  function restore() {
    const steps = undo;
    undo = [];
    steps.reverse().forEach((step) => step());
  }

  addEventListener("beforeprint", expand);
  addEventListener("afterprint", restore);
  // The workbook's "Print or save as PDF" button; instant navigation swaps the page, so the
  // click is delegated from the document, and the button shows only where it can work.
  document.addEventListener("click", (e) => {
    if (e.target instanceof Element && e.target.closest("[data-cf-print]")) window.print();
  });
  const show = () => document.querySelectorAll("[data-cf-print-actions]").forEach((p) => { p.hidden = !window.print; });
  if (window.document$ && typeof document$.subscribe === "function") document$.subscribe(show);
  else if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", show);
  else show();
})();

/* courseforge: progressive enhancement; pages are complete without it. State: one
   localStorage key, validated on read; bad values or no storage give an empty state. */
(() => {
  "use strict";

  const KEY = "courseforge:v1";
  const $ = (s, r = document) => r.querySelector(s);
  const $$ = (s, r = document) => [...r.querySelectorAll(s)];
  const isObj = (x) => !!x && typeof x === "object" && !Array.isArray(x);
  const plural = (n, word) => `${n} ${word}${n === 1 ? "" : "s"}`;
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
      if (Object.keys(e).length) out.lessons[k] = e;
    }
    for (const c of keys(raw.last)) {
      const v = raw.last[c];
      if (isObj(v) && okKey(v.lesson)) out.last[c] = { lesson: v.lesson, at: Number.isFinite(v.at) ? v.at : 0 };
    }
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

  /* bind: every page, also after instant navigation */

  let ctl = null, observer = null, flushers = [];
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
    if (observer) observer.disconnect();
    observer = null;
    ctl = new AbortController();
    for (const step of [visit, hints, exercises, quiz, complete, tools, diagrams, paint]) {
      try { step(); } catch (e) { /* keep the other features */ }
    }
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

  // hints: opening hint N reveals hint N+1
  function hints() {
    for (const box of $$("[data-cf-hints]")) {
      const list = $$("details.cf-hint", box);
      list.forEach((d, i) => {
        const next = list[i + 1];
        if (i && !list[i - 1].open && !d.open && !d.hasAttribute("data-cf-shown")) d.hidden = true;
        if (next) on(d, "toggle", () => {
          if (d.open) { next.hidden = false; next.setAttribute("data-cf-shown", ""); }
        });
      });
    }
  }

  function exercises() {
    const key = lessonKey();
    for (const card of $$("[data-cf-exercise]")) {
      const ex = card.dataset.cfExercise, ta = $("textarea[data-cf-notes]", card);
      if (!okKey(ex)) continue;
      if (ta) {
        let timer = 0;
        const save = () => {
          if (!timer) return;
          clearTimeout(timer);
          timer = 0;
          update((s) => {
            const notes = (entry(s, key).notes ||= {});
            if (ta.value) notes[ex] = ta.value; else delete notes[ex];
          });
        };
        on(ta, "input", () => { clearTimeout(timer); timer = setTimeout(save, 400); });
        on(ta, "blur", save);
        flushers.push(save);
      }
      const boxes = $$("input[data-cf-criterion]", card);
      for (const cb of boxes) on(cb, "change", () => update((s) => {
        (entry(s, key).criteria ||= {})[ex] = boxes.filter((b) => b.checked).map((b) => +b.dataset.cfCriterion);
      }));
    }
  }

  function quiz() {
    for (const box of $$("[data-cf-quiz]")) {
      box.classList.add("cf-quiz--live");
      for (const d of $$("details.cf-question__answers", box)) d.hidden = true;
      for (const q of $$("[data-cf-question]", box)) {
        const answers = $$("[data-cf-answer]", q);
        let status = $(".cf-question__status", q);
        if (!status) {
          status = q.appendChild(make("p", "cf-question__status cf-sr-only"));
          status.setAttribute("role", "status");
        }
        for (const a of answers) {
          const input = $("input[type=radio]", a), fb = $(".cf-answer__feedback", a);
          if (input) input.disabled = false;
          if (fb && !$(".cf-answer__verdict", fb)) {
            fb.prepend(make("strong", "cf-answer__verdict", a.hasAttribute("data-correct") ? "Correct" : "Not quite"), " ");
          }
        }
        on(q, "change", (ev) => {
          const chosen = ev.target.closest("[data-cf-answer]");
          if (!chosen) return;
          const right = chosen.hasAttribute("data-correct");
          for (const a of answers) {
            const fb = $(".cf-answer__feedback", a), me = a === chosen;
            if (fb) fb.hidden = !me;
            a.classList.toggle("cf-answer--correct", me && right);
            a.classList.toggle("cf-answer--wrong", me && !right);
          }
          const fb = $(".cf-answer__feedback", chosen);
          status.textContent = fb ? fb.textContent.trim() : right ? "Correct" : "Not quite";
        });
      }
    }
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
      btn.setAttribute("aria-pressed", done(key));
      btn.textContent = done(key) ? "Completed ✓ — undo" : "Mark lesson complete";
      btn.classList.toggle("cf-complete__button--done", done(key));
    }

    const mine = s.lessons[key] || {};
    for (const card of $$("[data-cf-exercise]")) {
      const ex = card.dataset.cfExercise, ta = $("textarea[data-cf-notes]", card);
      const ticks = (mine.criteria && mine.criteria[ex]) || [];
      if (ta && mine.notes && mine.notes[ex] && document.activeElement !== ta) ta.value = mine.notes[ex];
      for (const cb of $$("input[data-cf-criterion]", card)) cb.checked = ticks.includes(+cb.dataset.cfCriterion);
    }

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
      box.hidden = false;
      const text = $("[data-cf-progress-text]", box), bar = $("[data-cf-progress-bar]", box), resume = $("[data-cf-resume]", box);
      if (text) text.textContent = `${count} of ${plural(links.length, "lesson")} completed`;
      if (bar) {
        bar.max = Math.max(links.length, 1);
        bar.value = count;
        if (!bar.hasAttribute("aria-label")) bar.setAttribute("aria-label", "Course progress");
      }
      const last = s.last[course.dataset.cfCourse];
      let target = last && links.includes(last.lesson) ? last.lesson : null;
      if (!target && count) target = links.find((k) => !done(k));
      if (resume) {
        resume.hidden = !okKey(target);
        if (!resume.hidden) resume.href = urlFor(target).href;
      }
    }

    for (const card of $$(".cf-course-card[data-cf-course]")) {
      const slug = card.dataset.cfCourse, last = s.last[slug];
      const n = Object.keys(s.lessons).filter((k) => s.lessons[k].course === slug && done(k)).length;
      let line = $(".cf-course-card__progress", card);
      if (!n && !last) { if (line) line.remove(); continue; }
      if (!line) line = card.appendChild(make("p", "cf-course-card__progress"));
      line.textContent = `${plural(n, "lesson")} completed`;
      if (last) {
        const a = make("a", "", "Resume");
        a.href = urlFor(last.lesson).href;
        line.append(" · ", a);
      }
    }

    const donePaths = Object.keys(s.lessons).filter(done).map((k) => norm(urlFor(k).pathname));
    for (const a of $$(".md-nav__link[href]")) {
      if (a.closest(".md-nav--secondary") || a.getAttribute("href").startsWith("#")) continue;
      const u = new URL(a.href, location.href);
      a.classList.toggle("cf-nav--done", !u.hash && u.origin === ROOT.origin && donePaths.includes(norm(u.pathname)));
    }
  }

  /* export / import */

  function toCode(text) {
    let bytes = "";
    for (const b of new TextEncoder().encode(text)) bytes += String.fromCharCode(b);
    return btoa(bytes);
  }
  function fromText(text) {
    text = String(text).trim();
    if (!text.startsWith("{")) {
      text = new TextDecoder().decode(Uint8Array.from(atob(text.replace(/\s+/g, "")), (c) => c.charCodeAt(0)));
    }
    const raw = JSON.parse(text);
    if (!isObj(raw) || raw.courseforge !== 1 || !isObj(raw.lessons)) throw new Error("not ours");
    return clean(raw);
  }
  function merge(into, from) {
    for (const [k, b] of Object.entries(from.lessons)) {
      const a = entry(into, k);
      if (b.done) a.done = true;
      a.course ||= b.course;
      for (const [x, theirs] of Object.entries(b.notes || {})) {
        const notes = (a.notes ||= {}), mine = notes[x] || "";
        // never lose text
        notes[x] = !mine || theirs.includes(mine) ? theirs : mine.includes(theirs) ? mine : `${mine}\n\n${theirs}`;
      }
      for (const [x, ticks] of Object.entries(b.criteria || {})) {
        const c = (a.criteria ||= {});
        c[x] = [...new Set([...(c[x] || []), ...ticks])];
      }
    }
    for (const [c, v] of Object.entries(from.last)) if (!into.last[c] || into.last[c].at < v.at) into.last[c] = v;
    return into;
  }

  function tools() {
    const box = $("[data-cf-progress-tools]");
    if (!box) return;
    box.hidden = false;
    const get = (name) => $(`[data-cf-${name}]`, box);
    const msg = get("progress-message"), code = get("export-code"), file = get("import-file"), paste = get("import-code");
    const say = (text, bad) => {
      if (!msg) return;
      msg.textContent = text;
      msg.classList.toggle("cf-progress-tools__message--error", !!bad);
    };
    const exp = get("export"), imp = get("import"), copy = get("copy"), out = get("export-output");
    if (exp) on(exp, "click", () => {
      const s = read(), json = JSON.stringify({ courseforge: 1, exported: new Date().toISOString(), ...s });
      if (code) code.value = toCode(json);
      if (out) out.hidden = false;
      try {
        const a = make("a"), url = URL.createObjectURL(new Blob([json], { type: "application/json" }));
        a.href = url;
        a.download = "courseforge-progress.json";
        a.click(); // detached: Material never sees it
        setTimeout(() => URL.revokeObjectURL(url), 5000);
      } catch (e) { /* the code is enough */ }
      const n = Object.keys(s.lessons).filter((k) => isDone(s, k)).length;
      say(`Progress exported (${plural(n, "completed lesson")}). Keep the file, or copy the code below.`);
    });
    const manual = () => say("Press Ctrl+C (or ⌘C) to copy the selected code.");
    if (copy && code) on(copy, "click", () => {
      code.select();
      try { navigator.clipboard.writeText(code.value).then(() => say("Code copied to the clipboard."), manual); } catch (e) { manual(); }
    });
    if (imp) on(imp, "click", () => {
      const f = file && file.files && file.files[0];
      (f ? f.text() : Promise.resolve(paste ? paste.value : "")).then((t) => {
        if (!t.trim()) return say("Choose a progress file or paste a progress code first.", true);
        let incoming;
        try { incoming = fromText(t); } catch (e) {
          return say(`That is not a courseforge progress ${f ? "file" : "code"}. Nothing was changed.`, true);
        }
        write(merge(read(), incoming));
        if (file) file.value = "";
        if (paste) paste.value = "";
        paint();
        say(`Progress imported: ${plural(Object.keys(incoming.lessons).length, "lesson")} merged into this browser.`);
      }).catch(() => say("That file could not be read. Nothing was changed.", true));
    });
  }

  /* diagrams */

  // Material's palette variables: diagrams follow light and dark mode
  const V = (n) => `var(--md-mermaid-${n})`;
  const THEME_CSS = [
    `.node rect,.node circle,.node ellipse,.node polygon,.node path,g.stateGroup rect,.statediagram-state rect,g.classGroup rect,[id^=entity] rect{fill:${V("node-bg-color")};stroke:${V("node-fg-color")}}`,
    `.label,.nodeLabel,.nodeLabel p,.cluster span,text,.titleText,.flowchartTitleText{color:${V("label-fg-color")};fill:${V("label-fg-color")};font-family:${V("font-family")}}`,
    `.edgeLabel,.edgeLabel p,.edgeLabel rect{background-color:${V("label-bg-color")};fill:${V("label-bg-color")};color:${V("edge-color")}}`,
    `.flowchart-link,.edgePath .path,.transition,.relation,.relationshipLine,.messageLine0,.messageLine1{stroke:${V("edge-color")}}`,
    `marker,marker path,.arrowheadPath,#arrowhead path,.start-state,.end-state-inner,.state-start,.state-end{fill:${V("edge-color")}!important;stroke:${V("edge-color")}!important}`,
    ".cluster rect{fill:var(--md-default-fg-color--lightest);stroke:var(--md-default-fg-color--lighter)}",
    `.actor{fill:${V("sequence-actor-bg-color")};stroke:${V("sequence-actor-border-color")}}text.actor>tspan{fill:${V("sequence-actor-fg-color")}}`,
    `.actor-line,line{stroke:${V("sequence-actor-line-color")}}.messageText{fill:${V("sequence-message-fg-color")}}`,
    `.note{fill:${V("sequence-note-bg-color")};stroke:${V("sequence-note-border-color")}}.noteText>tspan{fill:${V("sequence-note-fg-color")}}`,
    `.labelBox{fill:${V("sequence-label-bg-color")};stroke:none}.labelText,.labelText>tspan,.loopText,.loopText>tspan{fill:${V("sequence-label-fg-color")}}`,
    `.loopLine{stroke:${V("sequence-loop-border-color")}}`,
  ].join("");

  let library = null, configured = "", serial = 0, queue = Promise.resolve();
  function loadLibrary(src) {
    const ready = () => window.mermaid && typeof window.mermaid.render === "function";
    if (ready()) return Promise.resolve(window.mermaid);
    if (!library) {
      library = new Promise((resolve, reject) => {
        const s = make("script");
        s.src = src;
        s.onload = () => (ready() ? resolve(window.mermaid) : reject(new Error("no mermaid")));
        s.onerror = () => reject(new Error("mermaid did not load"));
        document.head.appendChild(s);
      });
      library.catch(() => { library = null; });
    }
    return library;
  }

  function draw(pre, article) {
    if (pre.dataset.cfState) return;
    pre.dataset.cfState = "loading";
    const source = ($("code", pre) || pre).textContent, id = `cf-diagram-${++serial}`;
    queue = queue.then(async () => {
      if (!pre.isConnected) return;
      try {
        const m = await loadLibrary(new URL(article.dataset.cfDiagramLibrary, location.href).href);
        let options = {};
        try { options = JSON.parse(article.dataset.cfDiagramOptions || "{}"); } catch (e) { /* defaults */ }
        const config = { startOnLoad: false, securityLevel: "strict", theme: "base", themeCSS: THEME_CSS,
          suppressErrorRendering: true, ...(isObj(options) ? options : {}) };
        const sig = JSON.stringify(config);
        if (configured !== sig) { m.initialize(config); configured = sig; }
        const { svg, bindFunctions } = await m.render(id, source);
        if (!pre.isConnected) return;
        const div = make("div", "cf-diagram");
        div.innerHTML = svg;
        const el = $("svg", div);
        if (!el) throw new Error("no svg");
        if (!el.getAttribute("aria-labelledby") && !el.getAttribute("aria-label")) {
          const cap = pre.closest("figure") && $("figcaption", pre.closest("figure"));
          el.setAttribute("role", "img");
          el.setAttribute("aria-label", (cap && cap.textContent.trim()) || "Diagram");
        }
        // on phones, wide diagrams scroll sideways rather than shrink to unreadable text
        el.style.minWidth = `${Math.min(parseFloat(el.style.maxWidth) || 0, 420)}px`;
        pre.replaceWith(div);
        if (div.scrollWidth > div.clientWidth) div.tabIndex = 0;
        if (bindFunctions) bindFunctions(div);
      } catch (e) {
        for (const x of [`d${id}`, id]) { const el = document.getElementById(x); if (el && !el.closest(".cf-diagram")) el.remove(); }
        if (!pre.isConnected) return;
        pre.dataset.cfState = "failed";
        const note = make("p", "cf-diagram__error", "This diagram could not be drawn here; its source is shown instead.");
        note.setAttribute("role", "note");
        pre.before(note);
      }
    });
  }

  function diagrams() {
    const article = $("article.cf-lesson[data-cf-diagram-library]");
    const pres = $$("pre.cf-mermaid[data-cf-diagram]:not([data-cf-state])");
    if (!article || !pres.length) return;
    if (!window.IntersectionObserver) return pres.forEach((p) => draw(p, article));
    observer = new IntersectionObserver((entries, obs) => {
      for (const e of entries) if (e.isIntersecting) { obs.unobserve(e.target); draw(e.target, article); }
    }, { rootMargin: "300px 0px" });
    pres.forEach((p) => observer.observe(p));
  }

  /* start */

  // Material's search dialog lacks a name (axe aria-dialog-name)
  const search = $(".md-search[role=dialog]");
  if (search && !search.hasAttribute("aria-label")) search.setAttribute("aria-label", "Search");
  addEventListener("pagehide", flush);
  addEventListener("storage", (e) => { if (e.key === KEY || e.key === null) try { paint(); } catch (x) { /* ignore */ } });
  // A task of its own: Material's DOMContentLoaded work is long enough without ours.
  const later = () => setTimeout(bind);
  if (window.document$ && typeof document$.subscribe === "function") document$.subscribe(later);
  else if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", later);
  else later();
})();

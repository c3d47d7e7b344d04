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
    readStrings();
    for (const step of [visit, hints, exercises, quiz, complete, tools, tables, diagrams, paint]) {
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

  // hints: opening hint N reveals hint N+1; opened hints are kept (lessons[key].hints[exercise])
  function hints() {
    const key = lessonKey(), mine = read().lessons[key] || {};
    for (const box of $$("[data-cf-hints]")) {
      const card = box.closest("[data-cf-exercise]"), ex = card && card.dataset.cfExercise;
      const list = $$("details.cf-hint", box), kept = (okKey(ex) && mine.hints && mine.hints[ex]) || [];
      list.forEach((d, i) => { if (kept.includes(i)) d.open = true; });
      list.forEach((d, i) => {
        const next = list[i + 1];
        if (i && !list[i - 1].open && !d.open && !d.hasAttribute("data-cf-shown")) d.hidden = true;
        on(d, "toggle", () => {
          if (d.open && next) { next.hidden = false; next.setAttribute("data-cf-shown", ""); }
          if (okKey(ex)) update((s) => {
            const h = (entry(s, key).hints ||= {});
            const open = list.map((x, n) => (x.open ? n : -1)).filter((n) => n >= 0);
            if (open.length) h[ex] = open; else delete h[ex];
            if (!Object.keys(h).length) delete s.lessons[key].hints;
          });
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

  /* knowledge checks: nothing is revealed until "Check answer"; answers, checks and a
     per-browser shuffle seed are kept in the state (lessons[key].quiz[ref], seed) */

  // a small seeded generator (cyrb53-like hash into mulberry32): the same order on every visit
  function seeded(text) {
    let h = 0x811c9dc5;
    for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
    return () => {
      h = (h + 0x6d2b79f5) | 0;
      let t = Math.imul(h ^ (h >>> 15), 1 | h);
      t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
  }
  function quizSeed() {
    let seed = read().seed;
    if (!seed) {
      const bytes = new Uint32Array(2);
      try { crypto.getRandomValues(bytes); } catch (e) { bytes[0] = Math.random() * 2 ** 32; bytes[1] = Date.now(); }
      seed = [...bytes].map((b) => b.toString(36)).join("");
      update((s) => { s.seed ||= seed; });
      seed = read().seed || seed;
    }
    return seed;
  }
  // answers in this learner's order; the radio value is the answer's source position
  function shuffleAnswers(q, answers, salt) {
    const pos = (a) => +$("input[type=radio]", a).value;
    const order = answers.slice().sort((a, b) => pos(a) - pos(b));
    if (!q.hasAttribute("data-cf-pinned")) {
      const rnd = seeded(salt);
      for (let i = order.length - 1; i > 0; i--) {
        const j = Math.floor(rnd() * (i + 1));
        [order[i], order[j]] = [order[j], order[i]];
      }
    }
    const anchor = order.length ? order[0].parentNode.insertBefore(make("span"), answers[0]) : null;
    for (const a of order) anchor.before(a);
    if (anchor) anchor.remove();
    return order;
  }

  function quiz() {
    const key = lessonKey(), boxes = $$("[data-cf-quiz]");
    if (!boxes.length) return;
    const seed = quizSeed();
    boxes.forEach((box, boxIndex) => {
      const ref = okKey(box.dataset.cfQuiz) && box.dataset.cfQuiz ? box.dataset.cfQuiz : `quiz-${boxIndex + 1}`;
      box.classList.add("cf-quiz--live");
      for (const d of $$("details.cf-question__answers", box)) d.hidden = true;
      const saved = () => { const l = read().lessons[key]; return (l && l.quiz && l.quiz[ref]) || []; };
      const store = (fn) => update((s) => {
        const all = (entry(s, key).quiz ||= {}), list = (all[ref] ||= []);
        fn(list);
        while (list.length && !list[list.length - 1]) list.pop();
        if (!list.length) delete all[ref];
        if (!Object.keys(all).length) delete s.lessons[key].quiz;
      });

      let footer = $(".cf-quiz__footer", box);
      if (!footer) {
        footer = box.appendChild(make("div", "cf-quiz__footer"));
        const score = footer.appendChild(make("p", "cf-quiz__score"));
        score.setAttribute("aria-live", "polite");
        const retry = footer.appendChild(make("button", "md-button cf-quiz__retry", t("quiz_retry")));
        retry.type = "button";
      }
      const score = $(".cf-quiz__score", footer), retry = $(".cf-quiz__retry", footer);

      const questions = $$("[data-cf-question]", box).map((q, qi) => {
        const answers = shuffleAnswers(q, $$("[data-cf-answer]", q), `${seed}|${key}|${ref}|${qi}`);
        const radios = answers.map((a) => $("input[type=radio]", a));
        const feedbacks = answers.map((a) => $(".cf-answer__feedback", a));
        const verdicts = answers.map((a, i) => {
          let v = feedbacks[i] && $(".cf-answer__verdict", feedbacks[i]);
          if (feedbacks[i] && !v) feedbacks[i].prepend(v = make("strong", "cf-answer__verdict"), " ");
          return v;
        });
        let status = $(".cf-question__status", q);
        if (!status) {
          status = make("p", "cf-question__status cf-sr-only");
          status.setAttribute("role", "status");
        }
        let check = $(".cf-question__check", q);
        if (!check) {
          check = make("button", "md-button cf-question__check", t("quiz_check"));
          check.type = "button";
        }
        // the button, then the live region, right after the answers (before the no-script fallback)
        const fallback = $("details.cf-question__answers", q);
        q.insertBefore(check, fallback);
        q.insertBefore(status, fallback);
        radios.forEach((r) => { if (r) r.disabled = false; });

        const picked = () => radios.findIndex((r) => r && r.checked);
        const self = { q, answers, radios, check, status, checked: false, right: false };

        // shows the question as stored: a pick, checked or not
        self.show = (pick, checked, announce) => {
          radios.forEach((r, i) => { if (r) { r.checked = i === pick; r.disabled = checked; } });
          self.checked = checked && pick >= 0;
          self.right = self.checked && answers[pick].hasAttribute("data-correct");
          answers.forEach((a, i) => {
            const correct = a.hasAttribute("data-correct"), mine = i === pick;
            const shown = self.checked && (mine || (!self.right && correct));
            if (feedbacks[i]) feedbacks[i].hidden = !shown;
            if (verdicts[i]) verdicts[i].textContent = !shown ? "" : t(mine ? (correct ? "quiz_correct" : "quiz_not_quite") : "quiz_correct_answer");
            a.classList.toggle("cf-answer--correct", shown && correct);
            a.classList.toggle("cf-answer--wrong", shown && !correct);
            a.classList.toggle("cf-answer--chosen", self.checked && mine);
          });
          check.hidden = self.checked;
          q.classList.toggle("cf-question--checked", self.checked);
          if (!self.checked) status.textContent = announce || "";
          else {
            const text = (i) => (feedbacks[i] ? feedbacks[i].textContent.trim() : "");
            const fix = answers.findIndex((a) => a.hasAttribute("data-correct"));
            const answer = $("label", answers[fix]) ? $("label", answers[fix]).textContent.trim() : "";
            status.textContent = self.right ? text(pick) : `${text(pick)} ${t("quiz_the_correct_answer", { answer })}`;
          }
        };
        self.submit = () => {
          const pick = picked();
          if (pick < 0) return self.show(-1, false, t("quiz_choose_first"));
          const value = +radios[pick].value;
          store((list) => { list[qi] = { pick: value, checked: true }; });
          self.show(pick, true);
          renderScore();
          // the checked radios are disabled: keep the focus on what was revealed
          const fb = feedbacks[pick];
          if (fb) { fb.tabIndex = -1; fb.focus({ preventScroll: true }); }
        };
        on(check, "click", self.submit);
        on(q, "keydown", (ev) => {
          if (ev.key === "Enter" && ev.target.matches && ev.target.matches("input[type=radio]")) {
            ev.preventDefault();
            self.submit();
          }
        });
        on(q, "change", (ev) => {
          if (!ev.target.matches || !ev.target.matches("input[type=radio]") || self.checked) return;
          const value = +ev.target.value;
          store((list) => { list[qi] = { pick: value }; });
          status.textContent = "";
        });
        return self;
      });

      function renderScore() {
        const done = questions.filter((x) => x.checked);
        const all = questions.length && done.length === questions.length;
        score.textContent = all ? t("quiz_score", { count: done.filter((x) => x.right).length, total: questions.length }) : "";
        retry.hidden = !done.length;
      }

      // restore what this browser kept
      const list = saved();
      questions.forEach((x, qi) => {
        const e = list[qi], pick = e ? x.radios.findIndex((r) => r && +r.value === e.pick) : -1;
        x.show(pick, !!(e && e.checked) && pick >= 0);
      });
      renderScore();

      on(retry, "click", () => {
        store((l) => { l.length = 0; });
        questions.forEach((x) => x.show(-1, false));
        renderScore();
        const first = questions[0] && questions[0].radios[0];
        if (first) first.focus();
      });
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
      btn.setAttribute("aria-pressed", done(key));
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
      box.hidden = false;
      const text = $("[data-cf-progress-text]", box), bar = $("[data-cf-progress-bar]", box);
      if (text) text.textContent = t("progress_course", { count, total: links.length });
      if (bar) {
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
      for (const [x, open] of Object.entries(b.hints || {})) {
        const h = (a.hints ||= {});
        h[x] = [...new Set([...(h[x] || []), ...open])];
      }
      for (const [x, theirs] of Object.entries(b.quiz || {})) {
        const mine = ((a.quiz ||= {})[x] ||= []);
        theirs.forEach((q, i) => { if (q && !mine[i]) mine[i] = q; });
        for (let i = 0; i < mine.length; i++) mine[i] ||= null;
      }
    }
    into.seed ||= from.seed;
    if (!into.seed) delete into.seed;
    for (const [c, v] of Object.entries(from.last)) if (!into.last[c] || into.last[c].at < v.at) into.last[c] = v;
    return into;
  }

  function tools() {
    const box = $("[data-cf-progress-tools]");
    if (!box) return;
    box.hidden = false;
    // a first-time visitor is offered the import only
    const offerWhatApplies = () => {
      const empty = !Object.keys(read().lessons).length;
      $$("[data-cf-when-progress]", box).forEach((el) => { el.hidden = empty; });
      $$("[data-cf-when-empty]", box).forEach((el) => { el.hidden = !empty; });
    };
    offerWhatApplies();
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
      say(t("export_done", { count: n }));
    });
    const manual = () => say(t("copy_manual"));
    if (copy && code) on(copy, "click", () => {
      code.select();
      try { navigator.clipboard.writeText(code.value).then(() => say(t("copy_done")), manual); } catch (e) { manual(); }
    });
    if (imp) on(imp, "click", () => {
      const f = file && file.files && file.files[0];
      (f ? f.text() : Promise.resolve(paste ? paste.value : "")).then((text) => {
        if (!text.trim()) return say(t("import_nothing"), true);
        let incoming;
        try { incoming = fromText(text); } catch (e) {
          return say(t(f ? "import_bad_file" : "import_bad_code"), true);
        }
        write(merge(read(), incoming));
        if (file) file.value = "";
        if (paste) paste.value = "";
        paint();
        offerWhatApplies();
        say(t("import_done", { count: Object.keys(incoming.lessons).length }));
      }).catch(() => say(t("import_unreadable"), true));
    });
  }

  /* diagrams */

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
        // the options carry the theme: colours from Material's palette variables (mermaid.py)
        const config = { startOnLoad: false, securityLevel: "strict", suppressErrorRendering: true,
          ...(isObj(options) ? options : {}) };
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
          el.setAttribute("aria-label", (cap && cap.textContent.trim()) || t("diagram"));
        }
        framed(div, pre, id);
        if (bindFunctions) bindFunctions(div);
      } catch (e) {
        for (const x of [`d${id}`, id]) { const el = document.getElementById(x); if (el && !el.closest(".cf-diagram")) el.remove(); }
        if (!pre.isConnected) return;
        pre.dataset.cfState = "failed";
        const note = make("p", "cf-diagram__error", t("diagram_failed"));
        note.setAttribute("role", "note");
        pre.before(note);
      }
    });
  }

  function diagrams() {
    // drawn at build time (`diagrams: static`): only framed here, no Mermaid is loaded
    $$(".cf-diagram").filter((d) => !d.closest(".cf-diagram-box")).forEach((d) => framed(d, d, `cf-diagram-${++serial}`));
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

  // Material's search dialog lacks a name (axe aria-dialog-name): its field's placeholder, in Material's language
  const search = $(".md-search[role=dialog]"), field = $(".md-search__input");
  if (search && field && field.placeholder && !search.hasAttribute("aria-label")) search.setAttribute("aria-label", field.placeholder);
  addEventListener("pagehide", flush);
  addEventListener("storage", (e) => { if (e.key === KEY || e.key === null) try { paint(); } catch (x) { /* ignore */ } });
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

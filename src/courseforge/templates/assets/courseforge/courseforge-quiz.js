/* courseforge: knowledge checks; fetched by courseforge.js for pages with one (without it a
   question shows its answers in a closed <details>). Nothing is revealed until "Check answer";
   answers, checks and a per-browser shuffle seed are kept in the state (lessons[key].quiz[ref],
   seed). It hands courseforge.js its steps, which get courseforge.js's helpers (`cf` there). */
(() => {
  "use strict";

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
  function quizSeed({ read, update }) {
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
  function shuffleAnswers(q, answers, salt, { $, make }) {
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

  function quiz(cf) {
    const { $, $$, read, update, entry, on, make, t, okKey, lessonKey } = cf;
    const key = lessonKey(), boxes = $$("[data-cf-quiz]");
    if (!boxes.length) return;
    const seed = quizSeed(cf);
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
        const answers = shuffleAnswers(q, $$("[data-cf-answer]", q), `${seed}|${key}|${ref}|${qi}`, cf);
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
          if (!self.checked || self.right) status.textContent = announce || "";
          else {
            // what the focused feedback (submit) does not read out: which answer was right
            const fix = answers.findIndex((a) => a.hasAttribute("data-correct"));
            const answer = $("label", answers[fix]) ? $("label", answers[fix]).textContent.trim() : "";
            status.textContent = t("quiz_the_correct_answer", { answer });
          }
        };
        self.submit = () => {
          const pick = picked();
          if (pick < 0) return self.show(-1, false, t("quiz_choose_first"));
          const value = +radios[pick].value;
          store((list) => { list[qi] = { pick: value, checked: true }; });
          self.show(pick, true);
          renderScore();
          // the checked radios are disabled: keep the focus on what was revealed, which reads it out
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

  document.dispatchEvent(new CustomEvent("courseforge:feature", { detail: { name: "quiz", steps: [quiz] } }));
})();

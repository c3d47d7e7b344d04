/* courseforge: exercises' hints and notes; fetched by courseforge.js for pages with an exercise
   (the page works without it: every hint can be opened, notes can be typed, nothing is kept).
   It hands courseforge.js its steps, which get courseforge.js's helpers (`cf` there). */
(() => {
  "use strict";

  // hints: opening hint N reveals hint N+1; opened hints are kept (lessons[key].hints[exercise])
  function hints({ $$, read, update, entry, on, okKey, lessonKey }) {
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

  function exercises({ $, $$, update, entry, on, okKey, lessonKey, onLeave }) {
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
        onLeave(save);
      }
      const boxes = $$("input[data-cf-criterion]", card);
      for (const cb of boxes) on(cb, "change", () => update((s) => {
        (entry(s, key).criteria ||= {})[ex] = boxes.filter((b) => b.checked).map((b) => +b.dataset.cfCriterion);
      }));
    }
  }

  document.dispatchEvent(new CustomEvent("courseforge:feature", { detail: { name: "exercise", steps: [hints, exercises] } }));
})();

/* courseforge: exporting and importing progress (a file or a code to paste); fetched by
   courseforge.js for pages with the progress tools, which stay hidden without it.
   It hands courseforge.js its steps, which get courseforge.js's helpers (`cf` there). */
(() => {
  "use strict";

  function toCode(text) {
    let bytes = "";
    for (const b of new TextEncoder().encode(text)) bytes += String.fromCharCode(b);
    return btoa(bytes);
  }
  function fromText(text, { isObj, clean }) {
    text = String(text).trim();
    if (!text.startsWith("{")) {
      text = new TextDecoder().decode(Uint8Array.from(atob(text.replace(/\s+/g, "")), (c) => c.charCodeAt(0)));
    }
    const raw = JSON.parse(text);
    if (!isObj(raw) || raw.courseforge !== 1 || !isObj(raw.lessons)) throw new Error("not ours");
    return clean(raw);
  }
  function merge(into, from, entry) {
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

  function tools(cf) {
    const { $, $$, read, write, isDone, make, on, t, paint } = cf;
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
        try { incoming = fromText(text, cf); } catch (e) {
          return say(t(f ? "import_bad_file" : "import_bad_code"), true);
        }
        write(merge(read(), incoming, cf.entry));
        if (file) file.value = "";
        if (paste) paste.value = "";
        paint();
        offerWhatApplies();
        say(t("import_done", { count: Object.keys(incoming.lessons).length }));
      }).catch(() => say(t("import_unreadable"), true));
    });
  }

  document.dispatchEvent(new CustomEvent("courseforge:feature", { detail: { name: "progress-tools", steps: [tools] } }));
})();

/* courseforge: Mermaid diagrams drawn in the browser (`diagrams: client`); fetched by
   courseforge.js for pages with such a diagram, and it fetches Mermaid itself (the page's
   data-cf-diagram-library) only when a diagram comes near the viewport. Until then the page
   shows each diagram's source. It hands courseforge.js its steps, which get courseforge.js's
   helpers (`cf` there). */
(() => {
  "use strict";

  let library = null, configured = "", queue = Promise.resolve();
  function loadLibrary(src, make) {
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

  function draw(pre, article, { $, isObj, make, t, framed, diagramId }) {
    if (pre.dataset.cfState) return;
    pre.dataset.cfState = "loading";
    const source = ($("code", pre) || pre).textContent, id = diagramId();
    queue = queue.then(async () => {
      if (!pre.isConnected) return;
      try {
        const m = await loadLibrary(new URL(article.dataset.cfDiagramLibrary, location.href).href, make);
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
        // one image named by its title, as a diagram drawn at build time is (Mermaid: graphics-document)
        el.setAttribute("role", "img");
        if (!el.getAttribute("aria-labelledby") && !el.getAttribute("aria-label")) {
          const cap = pre.closest("figure") && $("figcaption", pre.closest("figure"));
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

  // drawn when near the viewport, one after the other
  function diagrams(cf) {
    const article = cf.$("article.cf-lesson[data-cf-diagram-library]");
    const pres = cf.$$("pre.cf-mermaid[data-cf-diagram]:not([data-cf-state])");
    if (!article || !pres.length) return;
    if (!window.IntersectionObserver) return pres.forEach((p) => draw(p, article, cf));
    const observer = new IntersectionObserver((entries, obs) => {
      for (const e of entries) if (e.isIntersecting) { obs.unobserve(e.target); draw(e.target, article, cf); }
    }, { rootMargin: "300px 0px" });
    cf.signal().addEventListener("abort", () => observer.disconnect());  // the next page binds anew
    pres.forEach((p) => observer.observe(p));
  }

  document.dispatchEvent(new CustomEvent("courseforge:feature", { detail: { name: "diagrams", steps: [diagrams] } }));
})();

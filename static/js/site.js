// Coursedeck's own JavaScript: progressive enhancement only; every page works without it.
// After htmx swaps in a graded question (or a fresh form), move focus to it so keyboard and
// screen-reader users land on the result instead of the top of the page.
document.addEventListener("htmx:afterSwap", (event) => {
  const target = event.detail.target;
  const question = target && target.id ? document.getElementById(target.id) : null;
  if (question && question.classList.contains("question")) {
    const first = question.classList.contains("answered") ? question : question.querySelector("input");
    (first || question).focus();
  }
});

// Spectrum diagrams: arrow keys move between tiers, and Space selects like Enter does.
document.addEventListener("keydown", (event) => {
  const link = event.target.closest && event.target.closest(".spectrum-tier-link");
  if (!link) return;
  const links = [...link.closest(".spectrum-tiers").querySelectorAll(".spectrum-tier-link")];
  const i = links.indexOf(link);
  const to = { ArrowDown: i + 1, ArrowRight: i + 1, ArrowUp: i - 1, ArrowLeft: i - 1, Home: 0, End: -1 }[event.key];
  if (event.key === " ") link.click();
  else if (to !== undefined) links.at(to % links.length).focus();
  else return;
  event.preventDefault();
});

// Search box in the header: "/" focuses it (unless the reader is typing in a field), htmx
// fills the results under it as they type; arrow keys move through the results, Enter opens
// one (it is a link), Escape closes them. Without JavaScript it is a plain GET form.
(() => {
  const box = () => document.getElementById("site-search-q");
  const panel = () => document.getElementById("site-search-results");
  const links = () => [...panel().querySelectorAll("a")];
  const typing = (el) => el && (el.isContentEditable || ["INPUT", "TEXTAREA", "SELECT"].includes(el.tagName));
  const close = () => { const p = panel(); if (p) p.hidden = true; };

  document.addEventListener("keydown", (event) => {
    const input = box();
    if (!input) return;
    if (event.key === "/" && !event.ctrlKey && !event.metaKey && !event.altKey && !typing(event.target)) {
      event.preventDefault();
      input.focus();
      input.select();
      return;
    }
    const inSearch = event.target === input || panel().contains(event.target);
    if (!inSearch) return;
    if (event.key === "Escape" && !panel().hidden) {
      event.preventDefault();
      close();
      input.focus();
      return;
    }
    if (!["ArrowDown", "ArrowUp"].includes(event.key)) return;
    const all = links();
    if (!all.length) return;
    event.preventDefault();
    if (panel().hidden) {
      panel().hidden = false; // closed with Escape: the arrow opens it again
      return;
    }
    const i = all.indexOf(event.target);
    if (event.key === "ArrowDown") all[Math.min(i + 1, all.length - 1)].focus();
    else if (i <= 0) input.focus();
    else all[i - 1].focus();
  });

  document.addEventListener("htmx:afterSwap", (event) => {
    if (event.detail.target !== panel()) return;
    // Shown when there is something to show and the box still holds a query (it may have
    // been cleared while the answer was on its way).
    panel().hidden = !panel().textContent.trim() || !box().value.trim();
  });

  // Leaving the search (focus or a click elsewhere) closes the results.
  for (const type of ["focusin", "click"]) {
    document.addEventListener(type, (event) => {
      const input = box();
      if (input && !input.form.contains(event.target)) close();
    });
  }
})();

// Spectrum diagrams: after htmx swaps in a new state, move focus to its result (a labelled
// region, so screen readers announce it) and scroll only as far as needed to show it.
document.addEventListener("htmx:afterSwap", (event) => {
  const body = event.detail.target;
  if (!body || !body.classList || !body.classList.contains("spectrum-body")) return;
  const result = body.querySelector(".spectrum-result");
  if (!result) return;
  result.focus({ preventScroll: true });
  const box = result.getBoundingClientRect();
  const margin = parseFloat(getComputedStyle(result).scrollMarginTop) || 0;
  if (box.top >= margin && box.bottom <= window.innerHeight - margin) return;
  // A result taller than the window shows from its top; a shorter one is shown whole.
  const fits = box.height + 2 * margin <= window.innerHeight;
  result.scrollIntoView({ block: fits ? "nearest" : "start" });
});

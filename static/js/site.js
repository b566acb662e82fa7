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

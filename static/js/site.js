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

// Coursedeck's own JavaScript: progressive enhancement only; every page works without it.

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

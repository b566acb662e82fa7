// Topic pages: table of contents and code blocks. Progressive enhancement only: without
// JavaScript the contents are a plain <details> (open on wide screens by CSS), code blocks
// show their language and scroll with a shadow, and nothing here is needed to learn.
(() => {
  document.documentElement.classList.add("js");

  // --- Table of contents: open on wide screens, closed on phones; the section being read ---
  const WIDE = window.matchMedia("(min-width: 62rem)");

  function setUpContents() {
    const details = document.querySelector(".toc-details");
    if (!details) return;
    const follow = () => { details.open = WIDE.matches; };
    follow();
    WIDE.addEventListener("change", follow);

    // Each contents link and the heading it points to, in page order.
    const entries = [...details.querySelectorAll('a[href^="#"]')]
      .map((link) => ({ link, heading: document.getElementById(decodeURIComponent(link.hash.slice(1))) }))
      .filter((entry) => entry.heading);
    if (!entries.length || !("IntersectionObserver" in window)) return;
    let current = null;
    const mark = () => {
      // The section being read: the last heading above a line a quarter down the window.
      const line = window.innerHeight / 4;
      let found = null;
      for (const entry of entries) {
        if (entry.heading.getBoundingClientRect().top > line) break;
        found = entry;
      }
      if (found === current) return;
      if (current) current.link.removeAttribute("aria-current");
      if (found) found.link.setAttribute("aria-current", "location");
      current = found;
    };
    // Headings crossing the top quarter of the window are what can change the answer.
    const observer = new IntersectionObserver(mark, { rootMargin: "0px 0px -75% 0px" });
    entries.forEach((entry) => observer.observe(entry.heading));
    window.addEventListener("resize", mark);
    mark();
  }

  // --- Code blocks: a copy button, and a hint when the block scrolls sideways ---
  const copyStatus = () => document.getElementById("copy-status");

  function copyText(text) {
    if (navigator.clipboard && window.isSecureContext) return navigator.clipboard.writeText(text);
    // Plain HTTP on another host has no clipboard API: copy through a hidden text area.
    return new Promise((resolve, reject) => {
      const area = document.createElement("textarea");
      area.value = text;
      area.setAttribute("readonly", "");
      area.className = "visually-hidden";
      document.body.append(area);
      area.select();
      const copied = document.execCommand("copy");
      area.remove();
      if (copied) resolve();
      else reject(new Error("copy refused"));
    });
  }

  function announce(message) {
    const region = copyStatus();
    if (!region) return;
    // Emptied first, so the same words are announced again on a second copy.
    region.textContent = "";
    window.setTimeout(() => { region.textContent = message; }, 50);
  }

  function addCopyButton(block, words) {
    const code = block.querySelector("pre > code") || block.querySelector("pre");
    const tools = document.createElement("span");
    tools.className = "code-tools";
    const hint = document.createElement("span");
    hint.className = "code-scroll-hint";
    hint.textContent = words.scroll + " ";
    const arrow = document.createElement("span");
    arrow.setAttribute("aria-hidden", "true");
    arrow.textContent = "→";
    hint.append(arrow);
    const button = document.createElement("button");
    button.type = "button";
    button.className = "copy-button";
    button.textContent = words.copy;
    button.setAttribute("aria-label", words.copyLabel);
    let reset = 0;
    button.addEventListener("click", () => {
      // The exact text (tabs included) without the final newline the highlighter adds, so a
      // pasted command does not run by itself.
      const text = code.textContent.replace(/\n$/, "");
      copyText(text).then(
        () => {
          button.textContent = words.copied;
          button.classList.add("is-copied");
          announce(words.copied);
          window.clearTimeout(reset);
          reset = window.setTimeout(() => {
            button.textContent = words.copy;
            button.classList.remove("is-copied");
          }, 2000);
        },
        () => announce(words.failed),
      );
    });
    tools.append(hint, button);
    block.insertBefore(tools, block.querySelector("pre"));
  }

  const scrollers = "ResizeObserver" in window ? new ResizeObserver((entries) => {
    entries.forEach((entry) => markScrollable(entry.target));
  }) : null;

  function markScrollable(pre) {
    const scrolls = pre.scrollWidth > pre.clientWidth + 1;
    pre.parentElement.classList.toggle("is-scrollable", scrolls);
    // A block that scrolls is reachable by keyboard, so arrow keys can scroll it.
    if (scrolls) pre.setAttribute("tabindex", "0");
    else pre.removeAttribute("tabindex");
  }

  function enhanceCode(root) {
    const region = copyStatus();
    if (!region || !root.querySelectorAll) return;
    const words = {
      copy: region.dataset.copy,
      copyLabel: region.dataset.copyLabel,
      copied: region.dataset.copied,
      failed: region.dataset.failed,
      scroll: region.dataset.scroll,
    };
    root.querySelectorAll("div.highlight").forEach((block) => {
      const pre = block.querySelector(":scope > pre");
      if (!pre || block.dataset.enhanced) return;
      block.dataset.enhanced = "true";
      addCopyButton(block, words);
      markScrollable(pre);
      if (scrollers) scrollers.observe(pre);
    });
  }

  function start() {
    setUpContents();
    enhanceCode(document);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();

  // Questions swapped in by htmx can hold code (a prompt's body, feedback); blocks already
  // enhanced are skipped.
  document.addEventListener("htmx:afterSwap", () => enhanceCode(document));
})();

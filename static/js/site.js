// Progressive enhancement only: every page works without this file.
// Filter forms: drop empty fields from the query string so shared links stay short.
document.addEventListener("submit", (event) => {
  const form = event.target;
  if (!(form instanceof HTMLFormElement) || form.method.toLowerCase() !== "get") return;
  for (const field of form.elements) {
    if (field.name && field.value === "" && !field.disabled) {
      field.disabled = true;
      setTimeout(() => { field.disabled = false; }, 0);
    }
  }
});

// "Copy the citation": shown only when the browser can copy; the text is selectable anyway.
document.querySelectorAll("button[data-copy]").forEach((button) => {
  if (!navigator.clipboard) return;
  button.hidden = false;
  button.addEventListener("click", async () => {
    const text = document.getElementById(button.dataset.copy).textContent.trim();
    try {
      await navigator.clipboard.writeText(text);
      button.textContent = "Copied";
    } catch {
      button.textContent = "Select the text above to copy it";
    }
  });
});

// "Copy the address" beside a read-only box (a feed's address): the box itself stays selectable.
document.querySelectorAll("button[data-copy-value]").forEach((button) => {
  if (!navigator.clipboard) return;
  button.hidden = false;
  button.addEventListener("click", async () => {
    const box = document.getElementById(button.dataset.copyValue);
    try {
      await navigator.clipboard.writeText(box.value);
      button.textContent = "Copied";
    } catch {
      box.select();
      button.textContent = "Press Ctrl+C (or ⌘C) to copy";
    }
  });
});

// Arriving at a region that shows the result of what the reader just did (the comment form
// after Preview, an error or Post: the address ends in #comment-form), move focus there, so
// keyboard and screen-reader users start where the result is. Without this file the browser
// still scrolls to the fragment.
const arrival = location.hash.length > 1 && document.getElementById(location.hash.slice(1));
if (arrival && arrival.hasAttribute("data-focus-on-arrival")) {
  arrival.focus();
}

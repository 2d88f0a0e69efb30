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

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

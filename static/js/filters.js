// Progressive enhancement only: without this file a name box offers its own short
// <datalist> (the most quoted names), and any name can be typed anyway.
// With it, the list follows what is typed: names like it, from /names/ (members.lookup).
document.querySelectorAll("input[data-suggest][list]").forEach((box) => {
  const list = document.getElementById(box.getAttribute("list"));
  if (!list || !window.fetch) return;
  let timer = null;
  let asked = "";
  box.addEventListener("input", () => {
    clearTimeout(timer);
    const text = box.value.trim();
    if (text.length < 2 || text === asked) return;
    timer = setTimeout(async () => {
      asked = text;
      const url = `${box.dataset.suggest}?${new URLSearchParams({ kind: box.dataset.kind, q: text })}`;
      try {
        const response = await fetch(url, { headers: { Accept: "application/json" } });
        if (!response.ok || box.value.trim() !== text) return;
        const { names } = await response.json();
        if (!names.length) return;  // keep the list it had rather than offer nothing
        list.replaceChildren(...names.map((name) => Object.assign(document.createElement("option"), { value: name })));
      } catch {
        // Offline or refused: the list it had stays.
      }
    }, 200);
  });
});

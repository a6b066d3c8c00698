// Small behaviours of the pages, here rather than inline: the Content-Security-Policy
// allows scripts from this site's files only.
"use strict";

// A checkbox with data-select-all ticks or clears every checkbox named by its value in
// the same form (the approver's "select all").
document.addEventListener("change", (event) => {
  const toggle = event.target;
  if (!(toggle instanceof HTMLInputElement) || !toggle.dataset.selectAll || !toggle.form) {
    return;
  }
  for (const box of toggle.form.querySelectorAll(`input[name="${toggle.dataset.selectAll}"]`)) {
    box.checked = toggle.checked;
  }
});

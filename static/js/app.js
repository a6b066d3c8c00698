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

// A field with data-invalid-message shows that sentence, in the site's language, when
// the browser refuses its value (a date not written as dd/mm/yyyy, a missing file),
// instead of the browser's own words in the browser's language.
document.addEventListener(
  "invalid",
  (event) => {
    const field = event.target;
    if (field instanceof HTMLInputElement && field.dataset.invalidMessage && !field.validity.customError) {
      field.setCustomValidity(field.dataset.invalidMessage);
    }
  },
  true,
);
for (const type of ["input", "change"]) {
  document.addEventListener(type, (event) => {
    const field = event.target;
    if (field instanceof HTMLInputElement && field.dataset.invalidMessage) {
      field.setCustomValidity("");
    }
  });
}

// A file chooser (santunan/fields.py FileChooser) names the chosen file beside its
// button; the browser's own "No file chosen" is hidden with the native input.
document.addEventListener("change", (event) => {
  const input = event.target;
  if (!(input instanceof HTMLInputElement) || !input.classList.contains("file-chooser-input")) {
    return;
  }
  const shown = document.getElementById(`${input.id}-chosen`);
  if (shown) {
    const names = Array.from(input.files || [], (file) => file.name);
    shown.textContent = names.length ? names.join(", ") : shown.dataset.empty;
  }
});

// A rupiah box (santunan/fields.py MoneyInput) groups its digits with dots when left:
// 2600000000 becomes 2.600.000.000, as the server reads either.
document.addEventListener("focusout", (event) => {
  const input = event.target;
  if (!(input instanceof HTMLInputElement) || !("money" in input.dataset)) {
    return;
  }
  // The shapes santunan/fields.py parse_money reads; anything else is left for its message.
  const typed = input.value.replace(/\s/g, "").replace(/^rp\.?/i, "").replace(/(,00|,-|\.-)$/, "");
  if (/^(\d+|\d{1,3}(\.\d{3})+|\d{1,3}(,\d{3})+)$/.test(typed)) {
    const digits = typed.replace(/\D/g, "").replace(/^0+(?=\d)/, "");
    input.value = digits.replace(/\B(?=(\d{3})+(?!\d))/g, ".");
  }
});

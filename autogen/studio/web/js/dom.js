// Small DOM helpers. Text always goes in through textContent: model output is untrusted.

/**
 * Create an element. attrs: plain attributes, plus `class`, `dataset`-free `testid`, `on<event>` handlers,
 * `value`/`checked`/`disabled`/`hidden`/`selected` as properties. Children: nodes, strings, arrays, null.
 */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value === undefined || value === null || value === false) continue;
    if (key === "testid") el.setAttribute("data-testid", value);
    else if (key.startsWith("on") && typeof value === "function") el.addEventListener(key.slice(2), value);
    else if (["value", "checked", "disabled", "hidden", "selected", "multiple"].includes(key)) el[key] = value;
    else el.setAttribute(key, value === true ? "" : String(value));
  }
  append(el, children);
  return el;
}

/** Append children (nodes, strings, nested arrays; null/false skipped). */
export function append(el, children) {
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return el;
}

/** Replace all children of el. */
export function mount(el, ...children) {
  el.replaceChildren();
  return append(el, children);
}

/** A labelled form field: <label for=id>text</label> + control. */
export function field(labelText, control, hint) {
  return h(
    "div",
    { class: "field" },
    h("label", { for: control.id }, labelText),
    control,
    hint ? h("small", { class: "hint" }, hint) : null,
  );
}

/** <select> with options [{value, label}], the current value selected. */
export function select(id, options, current, attrs = {}) {
  return h(
    "select",
    { id, name: id, testid: id, ...attrs },
    options.map((o) => h("option", { value: String(o.value), selected: String(o.value) === String(current ?? "") }, o.label)),
  );
}

/** A group of labelled checkboxes, one per option; returns the fieldset. */
export function checkboxes(id, legend, options, checkedValues) {
  const chosen = new Set((checkedValues || []).map(String));
  return h(
    "fieldset",
    { class: "checks", id, testid: id },
    h("legend", {}, legend),
    options.length === 0 ? h("small", { class: "hint" }, "None defined yet.") : null,
    options.map((o) => {
      const boxId = `${id}-${o.value}`;
      return h(
        "label",
        { class: "check", for: boxId },
        h("input", { type: "checkbox", id: boxId, value: String(o.value), checked: chosen.has(String(o.value)), testid: boxId }),
        " ",
        o.label,
      );
    }),
  );
}

/** Values of the checked boxes in a checkboxes() fieldset, as numbers when numeric. */
export function checkedValues(fieldset) {
  return [...fieldset.querySelectorAll("input[type=checkbox]:checked")].map((b) => (/^\d+$/.test(b.value) ? Number(b.value) : b.value));
}

/** Format an ISO timestamp for display (local time). */
export function when(iso) {
  if (!iso) return "";
  const d = new Date(iso.endsWith("Z") || /[+-]\d\d:?\d\d$/.test(iso) ? iso : `${iso}Z`);
  return Number.isNaN(d.getTime()) ? iso : d.toLocaleString();
}

/** Format a USD cost. */
export function usd(cost) {
  const value = Number(cost || 0);
  return `$${value.toFixed(value > 0 && value < 0.01 ? 6 : 4)}`;
}

/** Trigger a browser download of text. */
export function download(filename, text, type = "application/x-yaml") {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = h("a", { href: url, download: filename, hidden: true });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

// A code editor with no dependencies: a transparent <textarea> over a <pre> that the server's Pygments
// highlights (POST /api/highlight), with line numbers that flag lines that have errors.
import { api } from "./api.js";
import { h } from "./dom.js";

let styleInstalled = false;

function installStyle(css) {
  if (styleInstalled || !css) return;
  document.head.append(h("style", { id: "pygments-style", "data-testid": "pygments-style" }, css));
  styleInstalled = true;
}

const cache = new Map();

/** Highlighted HTML for a code block (cached); null when the server cannot highlight it. */
export async function highlightCode(code, language) {
  const key = `${language}\u0000${code}`;
  if (!cache.has(key)) {
    cache.set(
      key,
      api
        .post("highlight", { code, language })
        .then((r) => {
          installStyle(r.css);
          return r.html;
        })
        .catch(() => null),
    );
  }
  return cache.get(key);
}

/**
 * Create an editor. Returns {el, textarea, value (get/set), markErrors(errors), highlighted(): Promise}.
 * errors: [{line, message}] as the validate endpoint returns them.
 */
export function codeEditor(id, initial = "", { language = "python", label = "Code" } = {}) {
  const textarea = h("textarea", {
    id,
    testid: id,
    class: "code-input",
    spellcheck: "false",
    autocapitalize: "off",
    autocomplete: "off",
    wrap: "off",
    "aria-label": label,
  });
  textarea.value = initial;
  const overlay = h("div", { class: "code-highlight", "aria-hidden": "true", testid: `${id}-highlight` });
  const gutter = h("div", { class: "code-gutter", "aria-hidden": "true", testid: `${id}-gutter` });
  const el = h("div", { class: "code-editor" }, gutter, h("div", { class: "code-area" }, overlay, textarea));
  let errorLines = new Map();
  let seq = 0;
  let timer = null;
  let pending = Promise.resolve();

  function renderGutter() {
    const count = textarea.value.split("\n").length;
    gutter.replaceChildren(
      ...Array.from({ length: count }, (_, i) => {
        const message = errorLines.get(i + 1);
        return h("div", { class: message ? "ln error" : "ln", title: message || null, "data-line": i + 1 }, String(i + 1));
      }),
    );
  }

  function plain() {
    overlay.replaceChildren(h("pre", {}, `${textarea.value}\n`));
  }

  function highlight() {
    const mine = ++seq;
    const code = textarea.value;
    pending = api
      .post("highlight", { code, language })
      .then((r) => {
        if (mine !== seq) return;
        installStyle(r.css);
        // Pygments escapes the code it formats, so its HTML is safe to insert.
        overlay.innerHTML = r.html;
        overlay.dataset.highlighted = "true";
        syncScroll();
      })
      .catch(() => {
        if (mine === seq) plain(); // highlighting is cosmetic: keep editing with plain text
      });
    return pending;
  }

  function syncScroll() {
    overlay.scrollTop = textarea.scrollTop;
    overlay.scrollLeft = textarea.scrollLeft;
    gutter.scrollTop = textarea.scrollTop;
  }

  textarea.addEventListener("input", () => {
    overlay.dataset.highlighted = "false";
    plain();
    renderGutter();
    syncScroll();
    clearTimeout(timer);
    timer = setTimeout(highlight, 200);
  });
  textarea.addEventListener("scroll", syncScroll);
  textarea.addEventListener("keydown", (event) => {
    if (event.key === "Tab" && !event.shiftKey && !event.ctrlKey && !event.metaKey) {
      event.preventDefault();
      textarea.setRangeText("    ", textarea.selectionStart, textarea.selectionEnd, "end");
      textarea.dispatchEvent(new Event("input"));
    }
  });

  plain();
  renderGutter();
  highlight();

  return {
    el,
    textarea,
    get value() {
      return textarea.value;
    },
    set value(text) {
      textarea.value = text;
      textarea.dispatchEvent(new Event("input"));
    },
    markErrors(errors) {
      errorLines = new Map((errors || []).filter((e) => e.line).map((e) => [e.line, e.message]));
      renderGutter();
    },
    highlighted: () => pending,
  };
}

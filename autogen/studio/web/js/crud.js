// A list + editor page shared by models, skills, agents and workflows.
import { api } from "./api.js";
import { h, mount, when } from "./dom.js";
import { flash, showError } from "./notice.js";

/**
 * Render a list/editor page.
 * spec: {
 *   path: "models", singular: "model", title, intro,
 *   summary(item) -> [title, subtitle],
 *   context() -> Promise<any> (data the editor needs, e.g. the models for an agent),
 *   editor(item|null, ctx) -> {fields: Node, value(): object, actions?(item, setResult): Node[], ready?(): void},
 *   sidebar?(reload) -> Node (extra panel under the list, e.g. workflow import),
 * }
 */
export async function crudPage(root, spec, selectedId) {
  const list = h("ul", { class: "item-list", testid: `${spec.path}-list`, "aria-label": spec.title });
  const editorBox = h("section", { class: "editor", testid: `${spec.singular}-editor` });
  const newButton = h("button", { type: "button", class: "primary", testid: `${spec.path}-new` }, `New ${spec.singular}`);
  let items = [];
  let ctx = null;

  async function reload(selectId) {
    [items, ctx] = await Promise.all([api.get(spec.path), spec.context ? spec.context() : null]);
    mount(
      list,
      items.length === 0 ? h("li", { class: "empty", testid: `${spec.path}-empty` }, `No ${spec.path} yet.`) : null,
      items.map((item) => {
        const [title, subtitle] = spec.summary(item, ctx);
        return h(
          "li",
          {},
          h(
            "button",
            {
              type: "button",
              class: `item${String(item.id) === String(selectId) ? " selected" : ""}`,
              testid: `${spec.path}-item-${item.id}`,
              "data-name": item.name,
              onclick: () => {
                window.location.hash = `#/${spec.path}/${item.id}`;
              },
            },
            h("strong", {}, title),
            subtitle ? h("small", {}, subtitle) : null,
          ),
        );
      }),
    );
    const chosen = items.find((i) => String(i.id) === String(selectId));
    openEditor(chosen || null, selectId === "new" || !!chosen);
  }

  function openEditor(item, visible) {
    if (!visible) {
      mount(editorBox, h("p", { class: "placeholder" }, `Pick a ${spec.singular} on the left, or create a new one.`));
      return;
    }
    const editor = spec.editor(item, ctx);
    const errorBox = h("div", { class: "form-error", role: "alert", testid: `${spec.singular}-form-error`, hidden: true });
    const resultBox = h("div", { class: "form-result", role: "status", testid: `${spec.singular}-result`, hidden: true });
    const setError = (err) => {
      errorBox.textContent = err ? (err instanceof Error ? err.message : String(err)) : "";
      errorBox.hidden = !err;
    };
    const setResult = (text, ok = true) => {
      resultBox.textContent = text || "";
      resultBox.hidden = !text;
      resultBox.classList.toggle("bad", !ok);
    };
    const save = h("button", { type: "submit", class: "primary", testid: `${spec.singular}-save` }, "Save");
    const form = h(
      "form",
      {
        class: "form",
        testid: `${spec.singular}-form`,
        "aria-label": item ? `Edit ${spec.singular} ${item.name}` : `New ${spec.singular}`,
        onsubmit: async (event) => {
          event.preventDefault();
          setError(null);
          setResult(null);
          save.disabled = true;
          try {
            const body = await editor.value();
            if (body === null) return; // the editor showed its own error (e.g. skill validation)
            const saved = item ? await api.put(`${spec.path}/${item.id}`, body) : await api.post(spec.path, body);
            if (String(saved.id) !== String(item?.id)) window.location.hash = `#/${spec.path}/${saved.id}`;
            else await reload(saved.id);
            flash(`${spec.singular[0].toUpperCase()}${spec.singular.slice(1)} "${saved.name}" saved.`);
          } catch (err) {
            setError(err);
          } finally {
            save.disabled = false;
          }
        },
      },
      h("h2", {}, item ? `${spec.singular[0].toUpperCase()}${spec.singular.slice(1)}: ${item.name}` : `New ${spec.singular}`),
      item ? h("p", { class: "meta" }, `#${item.id} · updated ${when(item.updated_at)}`) : null,
      editor.fields,
      errorBox,
      h(
        "div",
        { class: "actions" },
        save,
        editor.actions ? editor.actions(item, setResult, setError) : null,
        item
          ? h(
              "button",
              {
                type: "button",
                class: "danger",
                testid: `${spec.singular}-delete`,
                onclick: async () => {
                  if (!window.confirm(`Delete ${spec.singular} "${item.name}"?`)) return;
                  setError(null);
                  try {
                    await api.del(`${spec.path}/${item.id}`);
                    window.location.hash = `#/${spec.path}`;
                    flash(`Deleted ${spec.singular} "${item.name}".`);
                  } catch (err) {
                    setError(err);
                  }
                },
              },
              "Delete",
            )
          : null,
      ),
      resultBox,
    );
    mount(editorBox, form);
    editor.ready?.();
  }

  newButton.addEventListener("click", () => {
    window.location.hash = `#/${spec.path}/new`;
  });
  mount(
    root,
    h(
      "div",
      { class: "crud" },
      h(
        "aside",
        { class: "sidebar" },
        h("div", { class: "sidebar-head" }, h("h1", {}, spec.title), newButton),
        spec.intro ? h("p", { class: "hint" }, spec.intro) : null,
        list,
        spec.sidebar ? spec.sidebar(reload) : null,
      ),
      editorBox,
    ),
  );
  try {
    await reload(selectedId);
  } catch (err) {
    showError(err);
  }
}

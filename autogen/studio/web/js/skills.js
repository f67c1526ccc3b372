// Skills: Python functions the agents get as tools. Edited with highlighting, validated before saving.
import { api } from "./api.js";
import { codeEditor } from "./code_editor.js";
import { crudPage } from "./crud.js";
import { field, h, mount } from "./dom.js";

const TEMPLATE = `def add_numbers(a: int, b: int) -> int:
    """Add two integers and return the sum."""
    return a + b
`;

function skillEditor(item) {
  const name = h("input", { id: "skill-name", testid: "skill-name", type: "text", value: item?.name ?? "add_numbers", required: true, autocomplete: "off" });
  const description = h("input", { id: "skill-description", testid: "skill-description", type: "text", value: item?.description ?? "" });
  const editor = codeEditor("skill-content", item?.content ?? TEMPLATE, { label: "Skill source (Python)" });
  const errors = h("ul", { class: "errors", testid: "skill-errors", hidden: true, "aria-label": "Problems in the skill" });

  function showErrors(list) {
    editor.markErrors(list);
    mount(
      errors,
      list.map((e) => h("li", { "data-line": e.line ?? "" }, e.line ? h("strong", {}, `Line ${e.line}: `) : null, e.message)),
    );
    errors.hidden = list.length === 0;
  }

  async function validate() {
    const r = await api.post("skills/validate", { content: editor.value, name: name.value.trim() });
    showErrors(r.ok ? [] : r.errors);
    return r;
  }

  return {
    fields: h(
      "div",
      {},
      h("div", { class: "grid2" }, field("Name (the function's name)", name), field("Description", description)),
      h("div", { class: "field" }, h("label", { for: "skill-content" }, "Source"), editor.el),
      errors,
    ),
    async value() {
      const r = await validate();
      if (!r.ok) return null; // errors are shown next to the code; nothing is saved
      return { name: name.value.trim(), description: description.value, content: editor.value };
    },
    actions(_saved, setResult, setError) {
      return h(
        "button",
        {
          type: "button",
          testid: "skill-validate",
          onclick: async () => {
            setError(null);
            try {
              const r = await validate();
              setResult(r.ok ? "✔ Valid: the function can be used as a tool." : `✘ ${r.errors.length} problem(s), see above.`, r.ok);
            } catch (err) {
              setError(err);
            }
          },
        },
        "Validate",
      );
    },
  };
}

export function skillsPage(root, selected) {
  return crudPage(
    root,
    {
      path: "skills",
      singular: "skill",
      title: "Skills",
      intro: "Python functions registered as tools. Type hints become the tool's schema.",
      summary: (s) => [s.name, s.description],
      editor: skillEditor,
    },
    selected,
  );
}

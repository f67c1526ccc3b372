// Gallery: example workflows that run on the embedded local model; import one with a click.
import { api } from "./api.js";
import { h, mount } from "./dom.js";
import { flash } from "./notice.js";

export async function galleryPage(root) {
  const items = await api.get("gallery");
  mount(
    root,
    h(
      "section",
      { class: "gallery" },
      h("div", { class: "page-head" }, h("h1", {}, "Gallery"), h("span", { class: "muted" }, "Example workflows on the embedded local model: no keys, no configuration.")),
      h(
        "div",
        { class: "cards", testid: "gallery" },
        items.map((item) => {
          const error = h("div", { class: "form-error", role: "alert", testid: `gallery-error-${item.id}`, hidden: true });
          const button = h("button", { type: "button", class: "primary", testid: `gallery-import-${item.id}` }, "Import");
          const openRun = h("button", { type: "button", testid: `gallery-run-${item.id}`, title: item.task ? `Runs: ${item.task}` : null }, "Import and run");
          async function importIt(thenRun) {
            error.hidden = true;
            button.disabled = openRun.disabled = true;
            try {
              const workflow = await api.post(`gallery/${encodeURIComponent(item.id)}/import`);
              flash(`Imported "${workflow.name}".`);
              if (thenRun) {
                const session = await api.post("sessions", { workflow_id: workflow.id, name: item.name });
                if (item.task) await api.post(`sessions/${session.id}/run`, { task: item.task });
                window.location.hash = `#/playground/${session.id}`;
              } else {
                window.location.hash = `#/workflows/${workflow.id}`;
              }
            } catch (err) {
              error.textContent = err.message;
              error.hidden = false;
            } finally {
              button.disabled = openRun.disabled = false;
            }
          }
          button.addEventListener("click", () => importIt(false));
          openRun.addEventListener("click", () => importIt(true));
          return h(
            "article",
            { class: "card", testid: `gallery-item-${item.id}` },
            h("h2", {}, item.name),
            h("p", {}, item.description),
            item.task ? h("p", { class: "try", testid: `gallery-task-${item.id}` }, h("strong", {}, "Try: "), item.task) : null,
            error,
            h("div", { class: "actions" }, button, openRun),
          );
        }),
      ),
    ),
  );
  return null;
}

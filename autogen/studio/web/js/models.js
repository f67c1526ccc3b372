// Models: OAI_CONFIG_LIST entries. API keys stay on the server; the page only ever sees the masked form.
import { api } from "./api.js";
import { crudPage } from "./crud.js";
import { field, h, select } from "./dom.js";

const API_TYPES = ["openai", "azure", "local", "anthropic", "google", "bedrock", "ollama", "mistral", "groq", "together", "cohere"];

function text(id, value, attrs = {}) {
  return h("input", { id, name: id, testid: id, type: "text", value: value ?? "", autocomplete: "off", ...attrs });
}

function modelEditor(item) {
  const name = text("model-name", item?.name, { required: true, placeholder: "my-gpt" });
  const model = text("model-model", item?.model, { required: true, placeholder: "gpt-4o-mini" });
  const types = API_TYPES.includes(item?.api_type || "openai") ? API_TYPES : [...API_TYPES, item.api_type];
  const apiType = select("model-api-type", types.map((t) => ({ value: t, label: t })), item?.api_type || "openai");
  const baseUrl = text("model-base-url", item?.base_url, { placeholder: "https://api.openai.com/v1 (empty: the provider's default)" });
  // The key field starts empty whatever is stored: the browser never holds a stored key.
  const apiKey = h("input", {
    id: "model-api-key",
    name: "model-api-key",
    testid: "model-api-key",
    type: "password",
    value: "",
    autocomplete: "new-password",
    placeholder: item?.has_api_key ? `stored: ${item.api_key} (leave empty to keep)` : "sk-...",
  });
  const clearKey = h("input", { type: "checkbox", id: "model-clear-key", testid: "model-clear-key" });
  const apiVersion = text("model-api-version", item?.api_version, { placeholder: "Azure only, e.g. 2024-06-01" });
  const description = h("textarea", { id: "model-description", testid: "model-description", rows: 2 }, item?.description ?? "");
  const keyState = item?.has_api_key
    ? h("span", { class: "badge", testid: "model-key-state" }, `key stored: ${item.api_key}`)
    : h("span", { class: "badge muted", testid: "model-key-state" }, "no key stored");

  return {
    fields: h(
      "div",
      { class: "grid2" },
      field("Name", name),
      field("Model", model, "The model name the provider expects."),
      field("API type", apiType),
      field("Base URL", baseUrl),
      h(
        "div",
        { class: "field" },
        h("label", { for: "model-api-key" }, "API key "),
        apiKey,
        h("small", { class: "hint" }, keyState, " Stored on the server only; shown masked."),
        item?.has_api_key ? h("label", { class: "check", for: "model-clear-key" }, clearKey, " Remove the stored key") : null,
      ),
      field("API version", apiVersion),
      h("div", { class: "field span2" }, h("label", { for: "model-description" }, "Description"), description),
    ),
    value() {
      let key = apiKey.value.trim() || null; // null keeps the stored key
      if (clearKey.checked) key = "";
      return {
        name: name.value.trim(),
        model: model.value.trim(),
        api_type: apiType.value,
        base_url: baseUrl.value.trim() || null,
        api_key: key,
        api_version: apiVersion.value.trim() || null,
        description: description.value,
      };
    },
    actions(saved, setResult, setError) {
      if (!saved) return null;
      const button = h("button", { type: "button", testid: "model-test", title: "Makes one real call with the saved settings" }, "Test");
      button.addEventListener("click", async () => {
        setError(null);
        setResult("Testing…");
        button.disabled = true;
        try {
          const r = await api.post(`models/${saved.id}/test`);
          setResult(r.ok ? `✔ ${r.message}${r.reply ? ` — reply: “${r.reply}”` : ""}` : `✘ ${r.message}`, r.ok);
        } catch (err) {
          setResult(null);
          setError(err);
        } finally {
          button.disabled = false;
        }
      });
      return button;
    },
  };
}

export function modelsPage(root, selected) {
  return crudPage(
    root,
    {
      path: "models",
      singular: "model",
      title: "Models",
      intro: "Entries of an OAI_CONFIG_LIST. Agents pick one of these.",
      summary: (m) => [m.name, `${m.model} · ${m.api_type}${m.has_api_key ? ` · ${m.api_key}` : ""}`],
      editor: modelEditor,
    },
    selected,
  );
}

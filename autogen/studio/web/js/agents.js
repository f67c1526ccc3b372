// Agents: assistants, user proxies and group chat managers.
import { api } from "./api.js";
import { crudPage } from "./crud.js";
import { checkboxes, checkedValues, field, h, select } from "./dom.js";

const TYPES = [
  { value: "assistant", label: "Assistant" },
  { value: "userproxy", label: "User proxy" },
  { value: "groupchat", label: "Group chat manager" },
];
const INPUT_MODES = ["NEVER", "TERMINATE", "ALWAYS"].map((m) => ({ value: m, label: m }));
const EXECUTION = [
  { value: "none", label: "None" },
  { value: "local", label: "Local (work dir, timeout)" },
  { value: "docker", label: "Docker" },
  { value: "sandbox", label: "Sandbox (bubblewrap)" },
];

function agentEditor(item, ctx) {
  const type = select("agent-type", TYPES, item?.type ?? "assistant");
  const name = h("input", { id: "agent-name", testid: "agent-name", type: "text", value: item?.name ?? "", required: true, placeholder: "assistant", autocomplete: "off" });
  const description = h("input", { id: "agent-description", testid: "agent-description", type: "text", value: item?.description ?? "" });
  const system = h("textarea", { id: "agent-system-message", testid: "agent-system-message", rows: 5 }, item?.system_message ?? "");
  const model = select(
    "agent-model",
    [{ value: "", label: "— no model (replies without an LLM) —" }, ...ctx.models.map((m) => ({ value: m.id, label: `${m.name} (${m.model})` }))],
    item?.model_id ?? "",
  );
  const skills = checkboxes("agent-skills", "Skills (tools)", ctx.skills.map((s) => ({ value: s.id, label: s.name })), item?.skill_ids);
  const inputMode = select("agent-human-input-mode", INPUT_MODES, item?.human_input_mode ?? "NEVER");
  const maxAuto = h("input", { id: "agent-max-auto-reply", testid: "agent-max-auto-reply", type: "number", min: 0, value: item?.max_consecutive_auto_reply ?? "", placeholder: "unlimited" });
  const execution = select("agent-code-execution", EXECUTION, item?.code_execution ?? "none");
  const timeout = h("input", { id: "agent-timeout", testid: "agent-timeout", type: "number", min: 1, value: item?.timeout ?? 60 });

  return {
    fields: h(
      "div",
      { class: "grid2" },
      field("Type", type),
      field("Name", name),
      h("div", { class: "field span2" }, h("label", { for: "agent-description" }, "Description"), description),
      h("div", { class: "field span2" }, h("label", { for: "agent-system-message" }, "System message"), system),
      field("Model", model),
      field("Human input mode", inputMode, "ALWAYS/TERMINATE ask you in the Playground."),
      field("Max consecutive auto replies", maxAuto),
      field("Code execution", execution, "Code the LLM writes runs through the project's executors."),
      field("Code timeout (s)", timeout),
      h("div", { class: "field span2" }, skills),
    ),
    value() {
      return {
        name: name.value.trim(),
        type: type.value,
        description: description.value,
        system_message: system.value,
        model_id: model.value ? Number(model.value) : null,
        skill_ids: checkedValues(skills),
        human_input_mode: inputMode.value,
        max_consecutive_auto_reply: maxAuto.value === "" ? null : Number(maxAuto.value),
        code_execution: execution.value,
        timeout: Number(timeout.value || 60),
      };
    },
  };
}

export function agentsPage(root, selected) {
  return crudPage(
    root,
    {
      path: "agents",
      singular: "agent",
      title: "Agents",
      intro: "Each agent has a role, a model, its tools and how it asks for human input.",
      summary: (a, ctx) => {
        const model = ctx.models.find((m) => m.id === a.model_id);
        return [a.name, `${TYPES.find((t) => t.value === a.type)?.label ?? a.type}${model ? ` · ${model.name}` : ""} · input ${a.human_input_mode}`];
      },
      context: async () => {
        const [models, skills] = await Promise.all([api.get("models"), api.get("skills")]);
        return { models, skills };
      },
      editor: agentEditor,
    },
    selected,
  );
}

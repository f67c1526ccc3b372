// Workflows: a two-agent chat or a group chat, exported and imported as `autogen run` team files.
import { api } from "./api.js";
import { crudPage } from "./crud.js";
import { checkboxes, checkedValues, download, field, h, select } from "./dom.js";
import { flash, showError } from "./notice.js";

const KINDS = [
  { value: "twoagent", label: "Two agents" },
  { value: "groupchat", label: "Group chat" },
];
const SPEAKERS = ["auto", "round_robin", "random", "manual"].map((s) => ({ value: s, label: s }));
const SUMMARIES = [
  { value: "last_msg", label: "Last message" },
  { value: "reflection_with_llm", label: "Reflection with the LLM" },
];

function workflowEditor(item, ctx) {
  const agentOptions = ctx.agents.map((a) => ({ value: a.id, label: `${a.name} (${a.type})` }));
  const pick = [{ value: "", label: "— choose —" }];
  const name = h("input", { id: "workflow-name", testid: "workflow-name", type: "text", value: item?.name ?? "", required: true, autocomplete: "off" });
  const description = h("input", { id: "workflow-description", testid: "workflow-description", type: "text", value: item?.description ?? "" });
  const kind = select("workflow-kind", KINDS, item?.kind ?? "twoagent");
  const initiator = select("workflow-initiator", [...pick, ...agentOptions], item?.initiator_id ?? "");
  const receiver = select("workflow-receiver", [...pick, ...agentOptions], item?.receiver_id ?? "");
  const manager = select(
    "workflow-manager",
    [...pick, ...ctx.agents.filter((a) => a.type === "groupchat").map((a) => ({ value: a.id, label: a.name }))],
    item?.manager_id ?? "",
  );
  const members = checkboxes("workflow-members", "Group members", agentOptions.filter((o) => ctx.agents.find((a) => a.id === o.value).type !== "groupchat"), item?.member_ids);
  const speaker = select("workflow-speaker-selection", SPEAKERS, item?.speaker_selection ?? "auto");
  const maxRounds = h("input", { id: "workflow-max-rounds", testid: "workflow-max-rounds", type: "number", min: 1, value: item?.max_rounds ?? 10 });
  const summary = select("workflow-summary-method", SUMMARIES, item?.summary_method ?? "last_msg");

  const receiverField = field("Receiver (the other agent)", receiver);
  const groupFields = h(
    "div",
    { class: "grid2 span2", testid: "workflow-group-fields" },
    field("Group chat manager", manager, "An agent of type “Group chat manager”."),
    field("Speaker selection", speaker),
    h("div", { class: "field span2" }, members),
  );
  const showKind = () => {
    const group = kind.value === "groupchat";
    receiverField.hidden = group;
    groupFields.hidden = !group;
  };
  kind.addEventListener("change", showKind);
  showKind();
  const id = (sel) => (sel.value ? Number(sel.value) : null);

  return {
    fields: h(
      "div",
      { class: "grid2" },
      field("Name", name),
      field("Kind", kind),
      h("div", { class: "field span2" }, h("label", { for: "workflow-description" }, "Description"), description),
      field("Initiator (sends the task)", initiator),
      receiverField,
      groupFields,
      field("Max rounds", maxRounds),
      field("Summary method", summary),
    ),
    value() {
      const group = kind.value === "groupchat";
      return {
        name: name.value.trim(),
        description: description.value,
        kind: kind.value,
        initiator_id: id(initiator),
        receiver_id: group ? null : id(receiver),
        manager_id: group ? id(manager) : null,
        member_ids: group ? checkedValues(members) : [],
        speaker_selection: speaker.value,
        max_rounds: Number(maxRounds.value || 10),
        summary_method: summary.value,
      };
    },
    actions(saved, _setResult, setError) {
      if (!saved) return null;
      return [
        h(
          "button",
          {
            type: "button",
            testid: "workflow-export",
            title: "Download the team file `autogen run` accepts",
            onclick: async () => {
              setError(null);
              try {
                download(`${saved.name.replace(/[^\w.-]+/g, "_") || "workflow"}.yaml`, await api.text(`workflows/${saved.id}/export`));
              } catch (err) {
                setError(err);
              }
            },
          },
          "Export",
        ),
        h(
          "button",
          {
            type: "button",
            testid: "workflow-run",
            onclick: async () => {
              setError(null);
              try {
                const session = await api.post("sessions", { workflow_id: saved.id, name: null });
                window.location.hash = `#/playground/${session.id}`;
              } catch (err) {
                setError(err);
              }
            },
          },
          "Open in Playground",
        ),
      ];
    },
  };
}

function importPanel(reload) {
  const file = h("input", { type: "file", id: "workflow-import-file", testid: "workflow-import-file", accept: ".yaml,.yml,.json,text/yaml,application/json" });
  const name = h("input", { type: "text", id: "workflow-import-name", testid: "workflow-import-name", placeholder: "keep the file's name" });
  const error = h("div", { class: "form-error", role: "alert", testid: "workflow-import-error", hidden: true });
  const button = h("button", { type: "submit", testid: "workflow-import" }, "Import");
  return h(
    "form",
    {
      class: "panel",
      testid: "workflow-import-form",
      "aria-label": "Import a team file",
      onsubmit: async (event) => {
        event.preventDefault();
        error.hidden = true;
        const chosen = file.files?.[0];
        if (!chosen) {
          error.textContent = "Choose a team file (.yaml or .json) to import first.";
          error.hidden = false;
          return;
        }
        button.disabled = true;
        try {
          const created = await api.post("workflows/import", { content: await chosen.text(), name: name.value.trim() || null });
          file.value = "";
          name.value = "";
          flash(`Imported workflow "${created.name}".`);
          window.location.hash = `#/workflows/${created.id}`;
          await reload(created.id);
        } catch (err) {
          error.textContent = err.message;
          error.hidden = false;
        } finally {
          button.disabled = false;
        }
      },
    },
    h("h3", {}, "Import a team file"),
    field("Team file", file, "The YAML or JSON file `autogen run` accepts (its agents are created too)."),
    field("Name (optional)", name),
    error,
    button,
  );
}

export function workflowsPage(root, selected) {
  return crudPage(
    root,
    {
      path: "workflows",
      singular: "workflow",
      title: "Workflows",
      intro: "Who talks to whom, and for how long.",
      summary: (w) => [w.name, `${w.kind === "groupchat" ? "group chat" : "two agents"} · max ${w.max_rounds} rounds`],
      context: async () => ({ agents: await api.get("agents") }),
      editor: workflowEditor,
      sidebar: importPanel,
    },
    selected,
  ).catch(showError);
}

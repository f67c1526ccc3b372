// Playground: start sessions of a workflow, give them a task, and watch them live; several at once.
import { api } from "./api.js";
import { h, mount, select, usd, when } from "./dom.js";
import { follow, followed, TERMINAL } from "./live.js";
import { renderMessage, sessionSummary, statusBadge } from "./messages.js";
import { showError } from "./notice.js";

const ACTIVE_KEY = "autogen-studio-active-session";

export async function playgroundPage(root, selectedId) {
  const [workflows, sessions] = await Promise.all([api.get("workflows"), api.get("sessions")]);
  const workflowName = (id) => workflows.find((w) => w.id === id)?.name ?? `workflow #${id}`;
  // Follow the sessions that can still change, plus the one asked for.
  sessions.sort((a, b) => a.id - b.id); // followed oldest first; the tabs show the newest on top
  for (const s of sessions) if (!TERMINAL.has(s.status) || String(s.id) === String(selectedId)) follow(s);
  let activeId = selectedId ?? sessionStorage.getItem(ACTIVE_KEY);
  if (!followed().some((l) => String(l.id) === String(activeId))) activeId = followed().at(-1)?.id ?? null;

  const tabs = h("ul", { class: "session-tabs", testid: "session-tabs", "aria-label": "Open sessions" });
  const main = h("section", { class: "session-view", testid: "session-view" });
  const unwatch = [];
  let detachView = null;

  // ---- new session ----
  const workflowSelect = select(
    "playground-workflow",
    workflows.map((w) => ({ value: w.id, label: w.name })),
    workflows[0]?.id ?? "",
    { "aria-label": "Workflow" },
  );
  const sessionName = h("input", { id: "playground-session-name", testid: "playground-session-name", type: "text", placeholder: "session name (optional)" });
  const newForm = h(
    "form",
    {
      class: "panel",
      testid: "playground-new-form",
      "aria-label": "New session",
      onsubmit: async (event) => {
        event.preventDefault();
        try {
          if (!workflowSelect.value) throw new Error("Create a workflow first (Workflows page, or import one from the Gallery).");
          const s = await api.post("sessions", { workflow_id: Number(workflowSelect.value), name: sessionName.value.trim() || null });
          sessionName.value = "";
          follow(s);
          window.location.hash = `#/playground/${s.id}`;
          if (String(selectedId) === String(s.id)) activate(s.id);
        } catch (err) {
          showError(err);
        }
      },
    },
    h("label", { for: "playground-workflow" }, "Workflow"),
    workflowSelect,
    h("label", { for: "playground-session-name" }, "Name"),
    sessionName,
    h("button", { type: "submit", class: "primary", testid: "playground-new-session" }, "New session"),
    workflows.length === 0 ? h("p", { class: "hint" }, "No workflows yet: import one from the ", h("a", { href: "#/gallery" }, "Gallery"), ".") : null,
  );

  function renderTabs() {
    mount(
      tabs,
      followed()
        .slice()
        .reverse()
        .map((l) =>
          h(
            "li",
            {},
            h(
              "button",
              {
                type: "button",
                class: `item${String(l.id) === String(activeId) ? " selected" : ""}`,
                testid: `session-tab-${l.id}`,
                "data-status": l.session.status,
                onclick: () => {
                  window.location.hash = `#/playground/${l.id}`;
                },
              },
              h("strong", {}, l.session.name || `Session ${l.id}`),
              h("small", {}, `${workflowName(l.session.workflow_id)} · `, statusBadge(l.session.status, `session-tab-status-${l.id}`), ` · ${usd(l.session.cost)}`),
            ),
          ),
        ),
    );
  }

  function activate(id) {
    activeId = id;
    if (id != null) sessionStorage.setItem(ACTIVE_KEY, String(id));
    detachView?.();
    detachView = null;
    renderTabs();
    const l = followed().find((x) => String(x.id) === String(id));
    if (!l) {
      mount(main, h("div", { class: "placeholder", testid: "playground-empty" }, h("h2", {}, "Playground"), h("p", {}, "Start a new session on the left: pick a workflow, then give it a task.")));
      return;
    }
    if (workflows.some((w) => w.id === l.session.workflow_id)) workflowSelect.value = String(l.session.workflow_id);
    detachView = sessionView(main, l, workflowName(l.session.workflow_id));
  }

  for (const l of followed()) unwatch.push(l.watch((kind) => ["snapshot", "status", "done"].includes(kind) && renderTabs()));
  mount(
    root,
    h("div", { class: "crud" }, h("aside", { class: "sidebar" }, h("div", { class: "sidebar-head" }, h("h1", {}, "Playground")), newForm, h("h3", {}, "Sessions"), tabs), main),
  );
  activate(activeId);
  return () => {
    detachView?.();
    for (const fn of unwatch) fn();
  };
}

/** The view of one live session: header with totals and Stop, the messages, the input box, the task box. */
function sessionView(main, l, workflowName) {
  const status = h("span", {});
  const totals = h("span", { class: "totals", testid: "session-totals" });
  const conn = h("span", { class: "conn", testid: "session-connection" });
  const reason = h("div", { class: "stop-reason", testid: "session-outcome" });
  const stop = h("button", { type: "button", class: "danger", testid: "session-stop" }, "Stop");
  const list = h("div", { class: "messages", testid: "messages", "aria-live": "polite", "aria-label": "Messages" });
  const inputBox = h("form", { class: "input-request", testid: "input-request", hidden: true, "aria-label": "Human input" });
  const taskBox = h("form", { class: "task", testid: "task-form", "aria-label": "Task" });
  let countdown = null;

  stop.addEventListener("click", async () => {
    stop.disabled = true;
    try {
      await api.post(`sessions/${l.id}/stop`);
    } catch (err) {
      showError(err);
      stop.disabled = false;
    }
  });

  // ---- task ----
  const task = h("textarea", { id: "task-input", testid: "task-input", rows: 2, placeholder: "What should the agents do?", "aria-label": "Task" });
  const run = h("button", { type: "submit", class: "primary", testid: "task-run" }, "Run");
  task.value = l.session.task ?? "";
  task.addEventListener("keydown", (event) => {
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) taskBox.requestSubmit();
  });
  taskBox.addEventListener("submit", async (event) => {
    event.preventDefault();
    if (!task.value.trim()) {
      showError("Type a task for the agents first.");
      return;
    }
    run.disabled = true;
    try {
      l.expectRunning();
      await api.post(`sessions/${l.id}/run`, { task: task.value });
    } catch (err) {
      showError(err);
    } finally {
      run.disabled = false;
    }
  });
  mount(taskBox, h("label", { for: "task-input" }, "Task"), task, h("div", { class: "actions" }, run, h("small", { class: "hint" }, "Ctrl+Enter runs it.")));

  // ---- human input ----
  const prompt = h("p", { class: "prompt", testid: "input-prompt" });
  const timeLeft = h("span", { class: "timeout", testid: "input-timeout" });
  const reply = h("textarea", { id: "input-text", testid: "input-text", rows: 2, "aria-label": "Your reply" });
  const send = h("button", { type: "submit", class: "primary", testid: "input-send" }, "Send");
  mount(
    inputBox,
    h("div", { class: "input-head" }, h("strong", {}, "An agent asks for your input"), timeLeft),
    prompt,
    reply,
    h("div", { class: "actions" }, send, h("small", { class: "hint" }, "Empty reply: let the agent auto-reply. “exit”: end the chat.")),
  );
  reply.addEventListener("keydown", (event) => {
    if (event.key === "Enter" && !event.shiftKey) {
      event.preventDefault();
      inputBox.requestSubmit();
    }
  });
  inputBox.addEventListener("submit", async (event) => {
    event.preventDefault();
    send.disabled = true;
    try {
      await api.post(`sessions/${l.id}/input`, { text: reply.value });
      reply.value = "";
      l.input = null;
      renderInput();
    } catch (err) {
      showError(err);
    } finally {
      send.disabled = false;
    }
  });

  function renderInput() {
    clearInterval(countdown);
    const pending = l.input;
    inputBox.hidden = !pending;
    if (!pending) return;
    prompt.textContent = pending.prompt || "Your reply:";
    const tick = () => {
      if (!pending.deadline) {
        timeLeft.textContent = "";
        return;
      }
      const left = Math.max(0, Math.round((pending.deadline - Date.now()) / 1000));
      timeLeft.textContent = `times out in ${left} s`;
      timeLeft.classList.toggle("urgent", left <= 30);
    };
    tick();
    countdown = setInterval(tick, 1000);
    reply.focus();
  }

  function renderHeader() {
    const s = l.session;
    mount(status, statusBadge(s.status));
    totals.textContent = `Session: ${sessionSummary(s)}`;
    conn.textContent = l.connected ? "● live" : "○ reconnecting";
    conn.classList.toggle("off", !l.connected);
    const active = s.status === "running" || s.status === "waiting_input";
    stop.hidden = !active;
    stop.disabled = false;
    taskBox.hidden = active;
    const outcome = [s.stop_reason, s.error].filter(Boolean).join(" — ");
    reason.textContent = outcome ? `Outcome: ${outcome}` : "";
    reason.hidden = !outcome;
    reason.classList.toggle("bad", s.status === "error");
  }

  function renderAll() {
    mount(list, l.messages.size === 0 ? h("p", { class: "muted", testid: "messages-empty" }, "No messages yet.") : l.ordered().map(renderMessage));
    renderHeader();
    renderInput();
    list.scrollTop = list.scrollHeight;
  }

  function append(message) {
    list.querySelector("[data-testid=messages-empty]")?.remove();
    const nearBottom = list.scrollHeight - list.scrollTop - list.clientHeight < 80;
    list.append(renderMessage(message));
    if (nearBottom) list.scrollTop = list.scrollHeight;
  }

  const unwatch = l.watch((kind, payload) => {
    if (kind === "message") append(payload);
    else if (kind === "snapshot") renderAll();
    else if (kind === "input") renderInput();
    else {
      renderHeader();
      if (kind !== "connection") renderInput();
    }
  });

  mount(
    main,
    h(
      "div",
      { class: "session-head", testid: "session-head", "data-session-id": l.id },
      h("div", {}, h("h2", { testid: "session-name" }, l.session.name || `Session ${l.id}`), h("small", { class: "muted" }, `${workflowName} · started ${when(l.session.created_at)}`)),
      h("div", { class: "session-stats" }, status, totals, conn, stop),
    ),
    reason,
    list,
    inputBox,
    taskBox,
  );
  renderAll();
  return () => {
    unwatch();
    clearInterval(countdown);
  };
}

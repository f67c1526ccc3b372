// History: every session with its status, cost and outcome; open one to read its messages.
import { api } from "./api.js";
import { h, mount, usd, when } from "./dom.js";
import { unfollow } from "./live.js";
import { renderMessage, sessionSummary, statusBadge } from "./messages.js";
import { flash } from "./notice.js";

export async function historyPage(root, selectedId) {
  if (selectedId) return sessionDetail(root, selectedId);
  const [sessions, workflows] = await Promise.all([api.get("sessions"), api.get("workflows")]);
  const workflowName = (id) => workflows.find((w) => w.id === id)?.name ?? `#${id}`;
  sessions.sort((a, b) => b.id - a.id);
  const total = sessions.reduce((sum, s) => sum + (s.cost || 0), 0);
  mount(
    root,
    h(
      "section",
      { class: "history" },
      h("div", { class: "page-head" }, h("h1", {}, "History"), h("span", { class: "muted", testid: "history-total" }, `${sessions.length} session${sessions.length === 1 ? "" : "s"} · ${usd(total)} in all`)),
      sessions.length === 0
        ? h("p", { class: "placeholder", testid: "history-empty" }, "No sessions yet. Run one in the ", h("a", { href: "#/playground" }, "Playground"), ".")
        : h(
            "table",
            { class: "table", testid: "history-table" },
            h("thead", {}, h("tr", {}, ["Session", "Workflow", "Task", "Status", "Cost", "Tokens", "Outcome", "Started"].map((c) => h("th", { scope: "col" }, c)))),
            h(
              "tbody",
              {},
              sessions.map((s) =>
                h(
                  "tr",
                  { testid: `history-row-${s.id}`, "data-status": s.status },
                  h("td", {}, h("a", { href: `#/history/${s.id}`, testid: `history-open-${s.id}` }, s.name || `Session ${s.id}`)),
                  h("td", {}, workflowName(s.workflow_id)),
                  h("td", { class: "clip", title: s.task || "" }, s.task || ""),
                  h("td", {}, statusBadge(s.status, `history-status-${s.id}`)),
                  h("td", { class: "num" }, usd(s.cost)),
                  h("td", { class: "num" }, `${(s.prompt_tokens || 0) + (s.completion_tokens || 0)}`),
                  h("td", { class: "clip", title: s.error || s.stop_reason || "" }, s.error || s.stop_reason || ""),
                  h("td", {}, when(s.created_at)),
                ),
              ),
            ),
          ),
    ),
  );
  return null;
}

async function sessionDetail(root, id) {
  const [session, messages] = await Promise.all([api.get(`sessions/${id}`), api.get(`sessions/${id}/messages`)]);
  const workflow = await api.get(`workflows/${session.workflow_id}`).catch(() => null);
  const remove = h("button", { type: "button", class: "danger", testid: "session-delete" }, "Delete session");
  remove.addEventListener("click", async () => {
    if (!window.confirm(`Delete session "${session.name || session.id}" and its messages?`)) return;
    try {
      await api.del(`sessions/${id}`);
      unfollow(session.id);
      flash("Session deleted.");
      window.location.hash = "#/history";
    } catch (err) {
      const box = root.querySelector("[data-testid=session-detail-error]");
      box.textContent = err.message;
      box.hidden = false;
    }
  });
  const outcome = [session.stop_reason, session.error].filter(Boolean).join(" — ");
  mount(
    root,
    h(
      "section",
      { class: "history-detail", testid: "session-detail", "data-session-id": session.id },
      h("p", {}, h("a", { href: "#/history", testid: "history-back" }, "← All sessions")),
      h(
        "div",
        { class: "session-head" },
        h("div", {}, h("h1", { testid: "session-name" }, session.name || `Session ${session.id}`), h("small", { class: "muted" }, `${workflow?.name ?? `workflow #${session.workflow_id}`} · ${when(session.created_at)}${session.finished_at ? ` → ${when(session.finished_at)}` : ""}`)),
        h("div", { class: "session-stats" }, statusBadge(session.status), h("span", { class: "totals", testid: "session-totals" }, `Session: ${sessionSummary(session)}`), h("a", { class: "button", href: `#/playground/${session.id}`, testid: "session-open-playground" }, "Open in Playground"), remove),
      ),
      session.task ? h("div", { class: "task-shown" }, h("strong", {}, "Task: "), h("span", { testid: "session-task" }, session.task)) : null,
      outcome ? h("div", { class: `stop-reason${session.status === "error" ? " bad" : ""}`, testid: "session-outcome" }, `Outcome: ${outcome}`) : null,
      h("div", { class: "form-error", role: "alert", testid: "session-detail-error", hidden: true }),
      h("div", { class: "messages static", testid: "messages" }, messages.length ? messages.map(renderMessage) : h("p", { class: "muted" }, "No messages.")),
    ),
  );
  return null;
}

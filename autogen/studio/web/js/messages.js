// Rendering of chat messages, shared by the Playground and History. Message text is untrusted model
// output: it only ever reaches the page through textContent (code through Pygments' escaped HTML).
import { highlightCode } from "./code_editor.js";
import { h, usd } from "./dom.js";

const FENCE = /```([\w+#.-]*)[^\n]*\n([\s\S]*?)```/g;

/** Split message text into text and fenced code parts. */
export function splitFences(text) {
  const parts = [];
  let last = 0;
  for (const match of text.matchAll(FENCE)) {
    if (match.index > last) parts.push({ kind: "text", text: text.slice(last, match.index) });
    parts.push({ kind: "code", language: match[1] || "text", text: match[2] });
    last = match.index + match[0].length;
  }
  if (last < text.length) parts.push({ kind: "text", text: text.slice(last) });
  return parts;
}

/** A <pre> code block, highlighted by the server when it can be. */
export function codeBlock(code, language) {
  code = code.replace(/\n+$/, "");
  const pre = h("pre", { class: "code-block", testid: "code-block", "data-language": language }, h("code", {}, code));
  const lang = (language || "").toLowerCase();
  if (lang && lang !== "text") {
    highlightCode(code, lang === "sh" || lang === "shell" ? "bash" : lang).then((html) => {
      if (!html) return;
      const box = h("div", { class: "code-block highlighted", testid: "code-block", "data-language": language });
      box.innerHTML = html.trim(); // escaped by Pygments
      pre.replaceWith(box);
    });
  }
  return pre;
}

function toolCall(call) {
  const fn = call.function || call;
  let args = fn.arguments ?? "";
  try {
    args = JSON.stringify(typeof args === "string" ? JSON.parse(args) : args);
  } catch {
    // keep the raw text when the model sent invalid JSON
  }
  return h(
    "div",
    { class: "tool-call", testid: "tool-call", "data-tool": fn.name },
    h("span", { class: "tag" }, "tool call"),
    " ",
    h("code", {}, `${fn.name}(${args})`),
    call.id ? h("small", { class: "muted" }, ` ${call.id}`) : null,
  );
}

function toolResult(resp) {
  return h(
    "div",
    { class: "tool-result", testid: "tool-result" },
    h("span", { class: "tag" }, "tool result"),
    resp.tool_call_id ? h("small", { class: "muted" }, ` ${resp.tool_call_id}`) : null,
    h("pre", {}, typeof resp.content === "string" ? resp.content : JSON.stringify(resp.content)),
  );
}

/** Tokens and cost of one message, as a short label. */
export function messageStats(m) {
  const tokens = (m.prompt_tokens || 0) + (m.completion_tokens || 0);
  if (!tokens && !m.cost) return "";
  return `${usd(m.cost)} · ${m.prompt_tokens || 0} + ${m.completion_tokens || 0} tokens`;
}

/** One message as an <article>. */
export function renderMessage(m) {
  const body = h("div", { class: "msg-body", testid: "message-content" });
  // An executor's result message carries its text twice (content and code_output): show it once, as output.
  // A tool message's text is its results joined: show them once, as results.
  const text = String(m.content ?? "").trim();
  const sameAsOutput = m.code_output != null && text === String(m.code_output).trim();
  const results = (m.tool_responses || []).map((r) => String(r.content ?? "").trim());
  const sameAsResults = results.length > 0 && (text === results.join("\n\n") || results.includes(text));
  if (m.content && !sameAsOutput && !sameAsResults) {
    for (const part of splitFences(String(m.content))) {
      if (part.kind === "code") body.append(codeBlock(part.text, part.language));
      else if (part.text.trim()) body.append(h("p", { class: "text" }, part.text.replace(/^\n+|\n+$/g, "")));
    }
  } else if (!m.content && !m.tool_calls?.length && !m.tool_responses?.length) {
    body.append(h("p", { class: "muted" }, "(empty message)"));
  }
  const stats = messageStats(m);
  return h(
    "article",
    {
      class: `msg role-${m.role || "assistant"}`,
      testid: "message",
      "data-seq": m.seq,
      "data-sender": m.sender,
      "aria-label": `Message ${m.seq} from ${m.sender}`,
    },
    h(
      "header",
      {},
      h("span", { class: "sender", testid: "message-sender" }, m.sender || "?"),
      m.recipient ? h("span", { class: "recipient" }, ` → ${m.recipient}`) : null,
      h("span", { class: "seq" }, `#${m.seq}`),
      stats ? h("span", { class: "stats", testid: "message-stats" }, stats) : null,
    ),
    body,
    (m.tool_calls || []).map(toolCall),
    (m.tool_responses || []).map(toolResult),
    m.code_output != null
      ? h(
          "div",
          { class: `code-output${/exitcode:\s*0\b/.test(m.code_output) ? "" : " failed"}`, testid: "code-output" },
          h("span", { class: "tag" }, "output"),
          h("pre", {}, m.code_output),
        )
      : null,
  );
}

/** Session totals: status, cost, tokens. */
export function sessionSummary(s) {
  return `${usd(s.cost)} · ${s.prompt_tokens || 0} + ${s.completion_tokens || 0} tokens`;
}

/** A status badge. */
export function statusBadge(status, testid = "session-status") {
  return h("span", { class: `badge status-${status}`, testid, "data-status": status }, status.replace("_", " "));
}

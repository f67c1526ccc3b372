// Live state of running sessions: one websocket per session, kept open while the user moves between pages.
import { sessionSocket } from "./api.js";

export const TERMINAL = new Set(["stopped", "finished", "error"]);

/** One session followed over its websocket. Call watch(fn) to hear about changes. */
export class LiveSession {
  constructor(session) {
    this.id = session.id;
    this.session = session;
    this.messages = new Map(); // seq -> message
    this.input = null; // {prompt, timeout, deadline} while an agent waits for the human
    this.connected = false;
    this.closed = false;
    this.watchers = new Set();
    this.retry = 500;
    this.connect();
  }

  connect() {
    if (this.closed) return;
    const ws = sessionSocket(this.id);
    this.ws = ws;
    ws.addEventListener("open", () => {
      this.connected = true;
      this.retry = 500;
      this.emit("connection");
    });
    ws.addEventListener("message", (event) => {
      let data;
      try {
        data = JSON.parse(event.data);
      } catch {
        return;
      }
      this.handle(data);
    });
    ws.addEventListener("close", () => {
      this.connected = false;
      this.emit("connection");
      if (this.closed || this.ws !== ws) return;
      // Reconnect while the session may still change; the snapshot on connect resynchronises us.
      if (!TERMINAL.has(this.session.status) || this.expectRun) {
        setTimeout(() => this.connect(), this.retry);
        this.retry = Math.min(this.retry * 2, 5000);
      }
    });
  }

  handle(event) {
    switch (event.type) {
      case "snapshot":
        this.session = event.session;
        this.messages = new Map((event.messages || []).map((m) => [m.seq, m]));
        if (this.session.status !== "waiting_input") this.input = null;
        else if (!this.input) this.input = { prompt: "An agent is waiting for your reply.", timeout: null, deadline: null };
        this.emit("snapshot");
        break;
      case "message":
        if (!this.messages.has(event.message.seq)) {
          this.messages.set(event.message.seq, event.message);
          this.emit("message", event.message);
        }
        break;
      case "status":
      case "done":
        this.session = event.session;
        if (event.session.status !== "waiting_input") this.input = null;
        if (!TERMINAL.has(event.session.status)) this.expectRun = false;
        this.emit(event.type);
        break;
      case "input_request":
        this.input = {
          prompt: event.prompt,
          timeout: event.timeout,
          deadline: event.timeout ? Date.now() + event.timeout * 1000 : null,
        };
        this.emit("input");
        break;
      default:
        break;
    }
  }

  /** The messages in order. */
  ordered() {
    return [...this.messages.values()].sort((a, b) => a.seq - b.seq);
  }

  watch(fn) {
    this.watchers.add(fn);
    return () => this.watchers.delete(fn);
  }

  emit(kind, payload) {
    for (const fn of [...this.watchers]) fn(kind, payload, this);
  }

  /** A run is about to start: keep (or get back) the socket even if the session had ended. */
  expectRunning() {
    this.expectRun = true;
    if (!this.connected && (!this.ws || this.ws.readyState > 1)) this.connect();
  }

  close() {
    this.closed = true;
    this.ws?.close();
  }
}

const live = new Map();

/** The live session for a session object (created and connected on first use). */
export function follow(session) {
  let entry = live.get(session.id);
  if (!entry) {
    entry = new LiveSession(session);
    live.set(session.id, entry);
  }
  return entry;
}

/** The sessions this page follows. */
export function followed() {
  return [...live.values()];
}

/** Stop following a session (closes its socket). */
export function unfollow(id) {
  live.get(id)?.close();
  live.delete(id);
}

// The JSON API client: every request of the UI goes through here.

/**
 * The access token of a Studio bound beyond loopback arrives as `?token=` in the URL `autogen studio` printed; the
 * server answers that page with an httpOnly cookie that every later request and websocket carries. The token is
 * kept in memory for this page load only (never in storage) and taken out of the address bar.
 */
function takeTokenFromUrl() {
  const url = new URL(window.location.href);
  const value = url.searchParams.get("token");
  if (value) {
    url.searchParams.delete("token");
    window.history.replaceState(null, "", url.toString());
  }
  return value;
}

const token = takeTokenFromUrl();

/** An error from the API, with the server's `detail` turned into readable text. */
export class ApiError extends Error {
  constructor(status, detail) {
    super(formatDetail(status, detail));
    this.status = status;
    this.detail = detail;
  }
}

/** FastAPI details are a string, or a list of {loc, msg} for request validation errors. */
export function formatDetail(status, detail) {
  if (typeof detail === "string" && detail) return detail;
  if (Array.isArray(detail)) {
    return detail
      .map((d) => {
        const loc = Array.isArray(d.loc) ? d.loc.filter((p) => p !== "body").join(".") : "";
        return loc ? `${loc}: ${d.msg}` : d.msg || JSON.stringify(d);
      })
      .join("; ");
  }
  if (detail && typeof detail === "object") return JSON.stringify(detail);
  return `HTTP ${status}`;
}

async function request(method, path, body) {
  const headers = { Accept: "application/json" };
  if (token) headers.Authorization = `Bearer ${token}`;
  const init = { method, headers, credentials: "same-origin" };
  if (body !== undefined) {
    headers["Content-Type"] = "application/json";
    init.body = JSON.stringify(body);
  }
  let response;
  try {
    response = await fetch(`api/${path}`, init);
  } catch (err) {
    throw new ApiError(0, `Cannot reach the Studio server (${err.message}). Is \`autogen studio\` still running?`);
  }
  if (response.status === 204) return null;
  const type = response.headers.get("content-type") || "";
  const payload = type.includes("json") ? await response.json().catch(() => null) : await response.text();
  if (!response.ok) {
    let detail = payload && typeof payload === "object" ? payload.detail : payload;
    if (typeof detail === "string" && /^\s*</.test(detail)) detail = `${response.status} ${response.statusText}`.trim();
    throw new ApiError(response.status, detail || `${method} /api/${path} failed with HTTP ${response.status}`);
  }
  return payload;
}

export const api = {
  get: (path) => request("GET", path),
  post: (path, body = {}) => request("POST", path, body),
  put: (path, body) => request("PUT", path, body),
  del: (path) => request("DELETE", path),
  /** GET returning the raw text (the workflow export). */
  text: (path) => request("GET", path).then((v) => (typeof v === "string" ? v : JSON.stringify(v, null, 2))),
};

/** Open the websocket of a session (the token, when any, rides in the query). */
export function sessionSocket(sessionId) {
  const url = new URL(`api/sessions/${sessionId}/ws`, window.location.href);
  url.protocol = url.protocol === "https:" ? "wss:" : "ws:";
  url.hash = "";
  url.search = token ? `?token=${encodeURIComponent(token)}` : "";
  return new WebSocket(url.toString());
}

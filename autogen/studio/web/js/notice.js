// The page-wide error banner: shows the API's `detail` text.

function banner() {
  return document.querySelector("[data-testid=error]");
}

/** Show an error (an ApiError, an Error or a string) in the banner. */
export function showError(err) {
  const el = banner();
  const text = err instanceof Error ? err.message : String(err);
  el.querySelector("[data-testid=error-text]").textContent = text;
  el.hidden = false;
}

/** Hide the banner. */
export function clearError() {
  banner().hidden = true;
}

let flashTimer = null;

/** Show a short confirmation ("Model saved.") that fades after a few seconds. */
export function flash(text) {
  const el = document.querySelector("[data-testid=flash]");
  el.textContent = text;
  el.hidden = false;
  clearTimeout(flashTimer);
  flashTimer = setTimeout(() => {
    el.hidden = true;
  }, 4000);
}

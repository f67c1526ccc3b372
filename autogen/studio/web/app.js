// AutoGen Studio front end: a hash router over small page modules. No build step, no dependencies.
import { api } from "./js/api.js";
import { showError, clearError } from "./js/notice.js";
import { modelsPage } from "./js/models.js";
import { skillsPage } from "./js/skills.js";
import { agentsPage } from "./js/agents.js";
import { workflowsPage } from "./js/workflows.js";
import { playgroundPage } from "./js/playground.js";
import { historyPage } from "./js/history.js";
import { galleryPage } from "./js/gallery.js";

const pages = {
  models: modelsPage,
  skills: skillsPage,
  agents: agentsPage,
  workflows: workflowsPage,
  playground: playgroundPage,
  history: historyPage,
  gallery: galleryPage,
};

let leaveCurrent = null;
let generation = 0;

/**
 * Route "#/name/arg" to pages[name](view, arg). A page may return a cleanup function. Each route renders into
 * its own view element, so a slow page that finishes after the user moved on renders into a detached node.
 */
async function route() {
  const mine = ++generation;
  const hash = window.location.hash.replace(/^#\/?/, "");
  const [name, arg] = hash.split("/");
  const pageName = pages[name] ? name : "playground";
  for (const link of document.querySelectorAll(".nav a")) {
    const current = link.dataset.testid === `nav-${pageName}`;
    link.classList.toggle("active", current);
    if (current) link.setAttribute("aria-current", "page");
    else link.removeAttribute("aria-current");
  }
  if (typeof leaveCurrent === "function") leaveCurrent();
  leaveCurrent = null;
  clearError();
  const root = document.getElementById("page");
  const view = document.createElement("div");
  view.className = "view";
  root.replaceChildren(view);
  root.dataset.page = pageName;
  root.dataset.route = hash;
  root.dataset.ready = "false";
  document.title = `${pageName[0].toUpperCase()}${pageName.slice(1)} · AutoGen Studio`;
  let leave = null;
  try {
    leave = await pages[pageName](view, arg ? decodeURIComponent(arg) : null);
  } catch (err) {
    if (mine === generation) showError(err);
  }
  if (mine !== generation) {
    if (typeof leave === "function") leave(); // the user moved on while this page loaded
    return;
  }
  leaveCurrent = leave;
  root.dataset.ready = "true";
}

document.querySelector("[data-testid=error-close]").addEventListener("click", clearError);
window.addEventListener("hashchange", route);
window.addEventListener("unhandledrejection", (event) => showError(event.reason));
api
  .get("version")
  .then((v) => {
    document.querySelector("[data-testid=version]").textContent = `v${v.version}`;
  })
  .catch(showError);
route();

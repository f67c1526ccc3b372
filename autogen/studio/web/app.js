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

/** Route "#/name/arg" to pages[name](root, arg). A page may return a cleanup function. */
async function route() {
  const [name, arg] = window.location.hash.replace(/^#\/?/, "").split("/");
  const pageName = pages[name] ? name : "playground";
  for (const link of document.querySelectorAll(".nav a")) {
    link.classList.toggle("active", link.dataset.testid === `nav-${pageName}`);
    if (link.dataset.testid === `nav-${pageName}`) link.setAttribute("aria-current", "page");
    else link.removeAttribute("aria-current");
  }
  if (typeof leaveCurrent === "function") leaveCurrent();
  leaveCurrent = null;
  clearError();
  const root = document.getElementById("page");
  root.replaceChildren();
  root.dataset.page = pageName;
  document.title = `${pageName[0].toUpperCase()}${pageName.slice(1)} · AutoGen Studio`;
  try {
    leaveCurrent = await pages[pageName](root, arg ? decodeURIComponent(arg) : null);
  } catch (err) {
    showError(err);
  }
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

// CephaloForge studio: the new-design form, live job progress, the slice scrubber.
"use strict";

function $(id) { return document.getElementById(id); }

async function postJSON(url, body) {
  const response = await fetch(url, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify(body),
  });
  const text = await response.text();
  let data = {};
  try { data = JSON.parse(text); } catch (e) { data = { error: text }; }
  if (!response.ok) throw new Error(data.error || ("the studio answered " + response.status));
  return data;
}

// The request the form describes: a recipe (text or template) if given, else the prompt.
function formRequest() {
  const body = {};
  const recipe = $("recipe").value.trim();
  const template = $("template").value;
  if (recipe) body.recipe = recipe;
  else if (template) body.template = template;
  else body.prompt = $("prompt").value.trim() || $("prompt").placeholder;
  body.size = Number($("size").value);
  const seed = $("seed").value.trim();
  if (seed) body.seed = Number(seed);
  body.properties = $("properties").value;
  if ($("material").value) body.material = $("material").value;
  const formats = Array.from(document.querySelectorAll("input[name=format]:checked")).map(function (box) { return box.value; });
  body.formats = formats.length ? formats : ["stl"];
  return body;
}

function showError(message) {
  const box = $("form-error");
  box.textContent = message;
  box.hidden = !message;
}

// Uploads the chosen picture, once per file; adds it to the request.
let uploaded = { file: null, id: null };
async function withPicture(body) {
  const input = $("picture");
  const file = input && input.files[0];
  if (!file) return body;
  if (uploaded.file !== file) {
    const response = await fetch("/api/pictures", { method: "POST", headers: { "Content-Type": "image/png" }, body: file });
    const data = await response.json().catch(function () { return {}; });
    if (!response.ok) throw new Error(data.error || ("the picture was refused (" + response.status + ")"));
    uploaded = { file: file, id: data.picture };
  }
  body.picture = uploaded.id;
  if ($("invert").checked) body.invert = true;
  const pixel = Number($("pixel-mm").value);
  if (pixel > 0) body.picture_pixel_mm = pixel;
  return body;
}

// Checks the recipe as it is typed: the studio's answer (the CLI's words) shows under it.
function setUpRecipeCheck() {
  const box = $("recipe");
  if (!box) return;
  let timer = null;
  box.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(async function () {
      const text = box.value.trim();
      const line = $("recipe-check");
      if (!text) { line.textContent = ""; line.className = "hint"; return; }
      try {
        const described = await postJSON("/api/describe", { recipe: text });
        line.textContent = "valid: " + described.recipe.family + ", " + described.recipe.solid_fraction + " solid";
        line.className = "hint";
      } catch (error) {
        line.textContent = error.message;
        line.className = "error";
      }
    }, 400);
  });
}

function setUpForm() {
  const form = $("design-form");
  if (!form) return;
  setUpRecipeCheck();
  form.addEventListener("submit", async function (event) {
    event.preventDefault();
    showError("");
    $("generate-button").disabled = true;
    try {
      const created = await postJSON("/api/designs", await withPicture(formRequest()));
      window.location.href = created.url;
    } catch (error) {
      showError(error.message);
      $("generate-button").disabled = false;
    }
  });
  $("describe-button").addEventListener("click", async function () {
    showError("");
    const body = formRequest();
    delete body.formats;
    try {
      const described = await postJSON("/api/describe", await withPicture(body));
      const rows = $("sources").querySelector("tbody");
      rows.replaceChildren();
      described.sources.forEach(function (item) {
        const row = document.createElement("tr");
        const key = document.createElement("td");
        const from = document.createElement("td");
        key.textContent = item.key;
        from.textContent = item.source;
        row.append(key, from);
        rows.append(row);
      });
      $("recipe-json").textContent = JSON.stringify(described.recipe, null, 2);
      const notes = $("notes");
      notes.replaceChildren();
      described.notes.forEach(function (note) {
        const item = document.createElement("li");
        item.textContent = note;
        notes.append(item);
      });
      $("described").hidden = false;
    } catch (error) {
      showError(error.message);
    }
  });
}

// Streams the job's state while it runs; reloads the page when it has ended.
function followJob() {
  const section = $("design");
  if (!section || !$("job") || $("job").hidden) return;
  const id = section.dataset.id;
  const events = new EventSource("/api/designs/" + encodeURIComponent(id) + "/events");
  events.addEventListener("status", function (event) {
    const status = JSON.parse(event.data);
    $("job-state").textContent = status.state;
    $("job-stage").textContent = status.stage || "";
    $("job-progress").value = Math.round((status.progress || 0) * 100);
    if (status.state === "done" || status.state === "failed" || status.state === "cancelled") {
      events.close();
      window.location.reload();
    }
  });
  $("cancel-button").addEventListener("click", async function () {
    await fetch("/api/designs/" + encodeURIComponent(id) + "/job", { method: "DELETE" });
  });
}

// The decision on the next round: the ticked rows, each a value or a relative change.
function setUpNextRound() {
  const panel = $("next-round");
  if (!panel) return;
  const id = $("design").dataset.id;
  const send = async function (adjustments) {
    const box = $("round-error");
    box.hidden = true;
    try {
      await postJSON("/api/designs/" + encodeURIComponent(id) + "/rounds", { adjustments: adjustments });
      window.location.reload();
    } catch (error) {
      box.textContent = error.message;
      box.hidden = false;
    }
  };
  $("apply-button").addEventListener("click", function () {
    const adjustments = [];
    panel.querySelectorAll("tr.proposal").forEach(function (row) {
      if (!row.querySelector(".apply").checked) return;
      const cell = row.querySelector(".parameter");
      const parameter = cell ? cell.textContent.trim() : row.querySelector(".parameter-choice").value;
      const text = row.querySelector(".value").value.trim();
      if (!text) return;
      const relative = /^[+-]/.test(text) || /%$/.test(text);
      const adjustment = { parameter: parameter, reason: row.querySelector(".reason").textContent.trim() };
      if (relative) adjustment.change = text;
      else adjustment.value = isNaN(Number(text)) ? text : Number(text);
      adjustments.push(adjustment);
    });
    if (!adjustments.length) {
      $("round-error").textContent = "Tick at least one change, or stop here.";
      $("round-error").hidden = false;
      return;
    }
    send(adjustments);
  });
  $("stop-button").addEventListener("click", function () { send([]); });
}

function setUpIterateButton() {
  const button = $("iterate-button");
  if (!button) return;
  button.addEventListener("click", async function () {
    showError("");
    const body = formRequest();
    const target = $("target").value.trim();
    if (target) body.target = target;
    button.disabled = true;
    try {
      const created = await postJSON("/api/iterations", await withPicture(body));
      window.location.href = created.url;
    } catch (error) {
      showError(error.message);
      button.disabled = false;
    }
  });
}

function setUpBatchForm() {
  const form = $("batch-form");
  if (!form) return;
  form.addEventListener("submit", async function (event) {
    event.preventDefault();
    const box = $("batch-error");
    box.hidden = true;
    const body = { jobs: Number($("batch-jobs").value) || 1, properties: $("batch-properties").value };
    const text = $("sweep").value.trim();
    if (text) body.sweep = text;
    else if ($("sweep-template").value) body.template = $("sweep-template").value;
    $("batch-button").disabled = true;
    try {
      const created = await postJSON("/api/batches", body);
      window.location.href = created.url;
    } catch (error) {
      box.textContent = error.message;
      box.hidden = false;
      $("batch-button").disabled = false;
    }
  });
}

// The manifest table: click a heading to sort by it (numbers as numbers), type to filter rows.
function setUpManifest() {
  const table = $("manifest");
  if (!table) return;
  const body = table.tBodies[0];
  let sorted = { column: -1, ascending: true };
  table.querySelectorAll("th[data-column]").forEach(function (heading) {
    const sort = function () {
      const column = Number(heading.dataset.column);
      sorted = { column: column, ascending: sorted.column === column ? !sorted.ascending : true };
      const rows = Array.from(body.rows);
      rows.sort(function (a, b) {
        const x = a.cells[column + 1].dataset.key, y = b.cells[column + 1].dataset.key;
        const nx = Number(x), ny = Number(y);
        const order = (x !== "" && y !== "" && !isNaN(nx) && !isNaN(ny)) ? nx - ny : x.localeCompare(y);
        return sorted.ascending ? order : -order;
      });
      rows.forEach(function (row) { body.append(row); });
      table.querySelectorAll("th").forEach(function (th) { th.removeAttribute("aria-sort"); });
      heading.setAttribute("aria-sort", sorted.ascending ? "ascending" : "descending");
    };
    heading.addEventListener("click", sort);
    heading.addEventListener("keydown", function (event) { if (event.key === "Enter") sort(); });
  });
  $("variant-filter").addEventListener("input", function (event) {
    const words = event.target.value.toLowerCase().split(/\s+/).filter(Boolean);
    Array.from(body.rows).forEach(function (row) {
      const text = row.textContent.toLowerCase();
      row.hidden = !words.every(function (word) { return text.includes(word); });
    });
  });
}

function setUpSlices() {
  const image = $("slice");
  const scrubber = $("slice-scrubber");
  if (!image || !scrubber) return;
  const slices = image.dataset.slices.split("\n");
  const show = function () {
    const name = slices[Number(scrubber.value)] || slices[0];
    image.src = image.dataset.base + name;
    $("slice-name").textContent = name;
  };
  scrubber.addEventListener("input", show);
  show();
}

document.addEventListener("DOMContentLoaded", function () {
  setUpForm();
  followJob();
  setUpSlices();
  setUpNextRound();
  setUpIterateButton();
  setUpBatchForm();
  setUpManifest();
  const canvas = $("viewer");
  if (canvas && window.MeshViewer) window.MeshViewer.start(canvas, $("section"), $("viewer-status"));
});

// The coder's screen: signs in with a token, lists the documents the API lets the token see, shows one text exactly
// as stored, and codes a selected passage through the API of `gloss serve` (docs: /api/v1/openapi.yaml).
// Offsets: the browser counts UTF-16 units; they are sent with `unit: "utf16"` and the server converts them to code
// points and checks the quote. The API answers code points, converted back here for display.

const $ = (id) => document.getElementById(id);
const palette = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#17becf", "#8c564b", "#e377c2"];
const state = {
  me: null, document: null, annotations: [], layers: [], documentLayers: [], selection: null, editing: null, recent: [],
};

/** Calls the API; a refusal throws an Error with the server's message, status and location. */
async function api(path, { method = "GET", body, headers = {} } = {}) {
  const request = { method, headers: { Authorization: `Bearer ${sessionStorage.getItem("gloss-token")}`, ...headers } };
  if (body !== undefined) {
    request.headers["Content-Type"] = "application/json";
    request.body = JSON.stringify(body);
  }
  const response = await fetch(`/api/v1${path}`, request);
  const text = await response.text();
  const json = text && response.headers.get("Content-Type")?.includes("json") ? JSON.parse(text) : null;
  if (!response.ok) {
    const error = new Error(json?.error?.message ?? `${response.status} ${response.statusText}`);
    error.status = response.status;
    error.location = json?.error?.location ?? null;
    throw error;
  }
  return json;
}

/** What the page says when a change was refused because someone changed the annotation since (412). */
const staleMessage = "This annotation was changed since you loaded it; the current version is shown now.";

/** `text` cut to `length` UTF-16 units, with an ellipsis when cut. */
function shorten(text, length) {
  return text.length > length ? `${text.slice(0, length)}…` : text;
}

/** Stores a new annotation on the open document: a coder writes as themselves, an adjudicator as "Write as". */
function addAnnotation(body) {
  const coder = state.me.role === "coder" ? {} : { coder: $("write-as").value.trim() };
  return api(`/documents/${encodeURIComponent(state.document.id)}/annotations`,
    { method: "POST", body: { ...body, ...coder } });
}

/** Changes an annotation's codes to `features`, with the revision it was loaded at; a feature it had and
 * `features` lacks is removed (sent as null). */
function changeCodes(annotation, features) {
  const changes = { ...features };
  for (const key of Object.keys(annotation.features)) if (!(key in changes)) changes[key] = null;
  return api(`/annotations/${annotation.id}`, { method: "PATCH", body: { features: changes },
    headers: { "If-Match": `"${annotation.revision}"` } });
}

function show(section) {
  for (const id of ["sign-in", "documents", "document"]) $(id).hidden = id !== section;
}

// MARK: Signing in

async function signIn(token) {
  sessionStorage.setItem("gloss-token", token);
  try {
    state.me = await api("/me");
  } catch (error) {
    sessionStorage.removeItem("gloss-token");
    throw error;
  }
  $("who").textContent = `${state.me.coder} (${state.me.role})`;
  $("sign-out").hidden = false;
  await loadLayers();
  await listDocuments();
}

/** The layers of the latest version of every registered codebook. */
async function loadLayers() {
  const { codebooks } = await api("/codebooks");
  const latest = new Map();
  for (const codebook of codebooks) {
    if ((latest.get(codebook.id)?.version ?? 0) < codebook.version) latest.set(codebook.id, codebook);
  }
  state.layers = [];
  state.documentLayers = [];
  for (const id of latest.keys()) {
    const codebook = await api(`/codebooks/${encodeURIComponent(id)}`);
    state.layers.push(...(codebook.layers ?? []).filter((layer) => layer.scope === "span"));
    state.documentLayers.push(...(codebook.layers ?? []).filter((layer) => layer.scope === "document"));
  }
  state.layers.forEach((layer, index) => { layer.color = palette[index % palette.length]; });
  const select = $("layer");
  select.replaceChildren(...state.layers.map((layer) => new Option(layer.label ?? layer.id, layer.id)));
  renderFeatures();
}

// MARK: The documents

async function listDocuments() {
  const { documents } = await api("/documents");
  const rows = documents.map((document) => {
    const tr = window.document.createElement("tr");
    const open = window.document.createElement("button");
    open.type = "button";
    open.textContent = document.title;
    open.dataset.document = document.id;
    open.addEventListener("click", () => openDocument(document.id));
    const cells = [open, document.outlet ?? "", document.state ?? "", String(document.annotations)];
    for (const content of cells) {
      const td = window.document.createElement("td");
      td.append(content);
      tr.append(td);
    }
    return tr;
  });
  $("document-list").replaceChildren(...rows);
  show("documents");
}

async function openDocument(id) {
  if (state.editing) stopEditing();
  state.document = await api(`/documents/${encodeURIComponent(id)}`);
  $("document-title").textContent = state.document.title;
  $("document-message").textContent = "";
  $("done").hidden = state.me.role !== "coder";
  $("write-as-field").hidden = state.me.role === "coder";
  await loadAnnotations();
  show("document");
  $("text").focus();
}

async function loadAnnotations() {
  const { annotations } = await api(`/documents/${encodeURIComponent(state.document.id)}/annotations`);
  state.annotations = annotations;
  renderText();
  renderAnnotationList();
  renderDocumentLayers();
  if (state.me.role !== "coder") await loadConflicts();
}

// MARK: Adjudicating

/** The open conflicts of this document, each candidate with Accept, and Reject for the conflict. */
async function loadConflicts() {
  const conflicts = (await api("/adjudication/conflicts"))
    .filter((conflict) => conflict.document_id === state.document.id);
  $("conflicts").hidden = conflicts.length === 0;
  $("conflict-list").replaceChildren(...conflicts.map((conflict) => {
    const item = window.document.createElement("li");
    item.dataset.conflict = conflict.id;
    const heading = window.document.createElement("div");
    heading.textContent = `${conflict.layer} → ${conflict.gold}${conflict.reason ? ` (${conflict.reason})` : ""}`;
    item.append(heading);
    for (const candidate of conflict.candidates) {
      const line = window.document.createElement("div");
      const features = Object.entries(candidate.features ?? {}).map(([key, value]) => `${key}=${JSON.stringify(value)}`);
      const quote = window.document.createElement("span");
      quote.className = "quote";
      quote.textContent = candidate.quote === undefined ? "(deleted)" : `“${candidate.quote}”`;
      line.append(`${candidate.coder ?? ""}: `, quote, ` ${features.join(" ")} `);
      if (candidate.quote !== undefined) {
        const accept = window.document.createElement("button");
        accept.type = "button";
        accept.textContent = "Accept";
        accept.dataset.accept = candidate.annotation_id;
        accept.setAttribute("aria-label", `Accept ${candidate.coder}'s annotation into ${conflict.gold}`);
        accept.addEventListener("click", () => decide("/adjudication/accept",
          { annotation: candidate.annotation_id, gold: conflict.gold }));
        line.append(accept);
      }
      item.append(line);
    }
    const reject = window.document.createElement("button");
    reject.type = "button";
    reject.textContent = "Reject";
    reject.setAttribute("aria-label", `Reject conflict ${conflict.id}: no gold annotation`);
    reject.addEventListener("click", () => decide("/adjudication/reject", { conflict: conflict.id }));
    item.append(reject);
    return item;
  }));
}

async function decide(path, body) {
  try {
    await api(path, { method: "POST", body });
    $("document-message").textContent = "";
  } catch (error) {
    $("document-message").textContent = error.message;
  }
  await loadAnnotations();
}

/** UTF-16 offset of each code point boundary of `text`: index i holds where code point i starts. */
function utf16Offsets(text) {
  const offsets = [0];
  let offset = 0;
  for (const character of text) {
    offset += character.length;
    offsets.push(offset);
  }
  return offsets;
}

/** The text in segments between annotation boundaries; a coded segment is underlined once per annotation (the
 * document-level layers, which cover the whole text, are shown in their forms above it instead). An adjudicator
 * sees one lane per coder: a band of the coder's colour at the same depth wherever that coder coded. */
function renderText() {
  const text = state.document.text;
  const offsets = utf16Offsets(text);
  const wholeDocument = new Set(state.documentLayers.map((layer) => layer.id));
  const spans = state.annotations
    .filter((annotation) => annotation.end > annotation.start && !wholeDocument.has(annotation.layer))
    .map((annotation) => ({ annotation, start: offsets[annotation.start], end: offsets[annotation.end] }));
  const boundaries = [...new Set([0, text.length, ...spans.flatMap((span) => [span.start, span.end])])]
    .sort((a, b) => a - b);
  const lanes = state.me.role === "coder" ? null
    : [...new Set(spans.map((span) => span.annotation.coder))].sort();
  renderLaneLegend(lanes ?? []);
  const segments = [];
  for (let index = 0; index + 1 < boundaries.length; index += 1) {
    const [start, end] = [boundaries[index], boundaries[index + 1]];
    const node = window.document.createElement("span");
    node.textContent = text.slice(start, end);
    const covering = spans.filter((span) => span.start <= start && span.end >= end);
    if (covering.length > 0) {
      node.className = "coded";
      node.dataset.annotations = covering.map((span) => span.annotation.id).join(" ");
      node.style.setProperty("--depth", String(lanes?.length ?? covering.length));
      node.style.boxShadow = lanes
        ? lanes.map((coder, lane) => {
          const coded = covering.some((span) => span.annotation.coder === coder);
          return `inset 0 -${3 * (lane + 1)}px 0 ${coded ? palette[lane % palette.length] : "#fff"}`;
        }).join(", ")
        : covering.map((span, depth) => `inset 0 -${3 * (depth + 1)}px 0 ${colorOf(span.annotation.layer)}`)
          .join(", ");
      node.title = covering.map((span) => describe(span.annotation)).join("\n");
    }
    segments.push(node);
  }
  $("text").replaceChildren(...segments);
}

/** Which colour is which coder's lane, for an adjudicator. */
function renderLaneLegend(lanes) {
  $("lanes").hidden = lanes.length === 0;
  $("lanes").replaceChildren(...lanes.map((coder, lane) => {
    const entry = window.document.createElement("span");
    const swatch = window.document.createElement("span");
    swatch.className = "swatch";
    swatch.style.background = palette[lane % palette.length];
    entry.append(swatch, coder, " ");
    return entry;
  }));
}

function colorOf(layer) {
  return state.layers.find((known) => known.id === layer)?.color ?? "#888888";
}

function describe(annotation) {
  const features = Object.entries(annotation.features).map(([key, value]) => `${key}=${JSON.stringify(value)}`);
  const coder = state.me.role === "coder" ? "" : `${annotation.coder} · `;
  return `${coder}${annotation.layer} ${features.join(" ")}`.trim();
}

function renderAnnotationList() {
  const items = state.annotations.map((annotation) => {
    const item = window.document.createElement("li");
    item.dataset.annotation = annotation.id;
    const swatch = window.document.createElement("span");
    swatch.className = "swatch";
    swatch.style.background = colorOf(annotation.layer);
    const quote = window.document.createElement("span");
    quote.className = "quote";
    quote.textContent = `“${shorten(annotation.text, 80)}”`;
    const remove = window.document.createElement("button");
    remove.type = "button";
    remove.textContent = "Delete";
    remove.setAttribute("aria-label", `Delete annotation ${annotation.id}`);
    remove.addEventListener("click", () => deleteAnnotation(annotation));
    const edit = window.document.createElement("button");
    edit.type = "button";
    edit.textContent = "Edit";
    edit.setAttribute("aria-label", `Edit the codes of annotation ${annotation.id}`);
    edit.addEventListener("click", () => startEditing(annotation));
    const details = window.document.createElement("div");
    details.textContent = describe(annotation);
    item.append(swatch, quote, details, edit, remove);
    return item;
  });
  $("annotation-list").replaceChildren(...items);
}

async function deleteAnnotation(annotation) {
  try {
    await api(`/annotations/${annotation.id}`, { method: "DELETE", headers: { "If-Match": `"${annotation.revision}"` } });
    $("document-message").textContent = "";
  } catch (error) {
    $("document-message").textContent = error.status === 412 ? staleMessage : error.message;
  }
  await loadAnnotations();
}

// MARK: Coding a selection

/** The selection as UTF-16 offsets into the text, or null when nothing in the text is selected. */
function selectedOffsets() {
  const selection = window.getSelection();
  if (!selection || selection.rangeCount === 0 || selection.isCollapsed) return null;
  const range = selection.getRangeAt(0);
  const textElement = $("text");
  if (!textElement.contains(range.startContainer) || !textElement.contains(range.endContainer)) return null;
  const before = window.document.createRange();
  before.selectNodeContents(textElement);
  before.setEnd(range.startContainer, range.startOffset);
  const start = before.toString().length;
  const quote = range.toString();
  return quote.length > 0 ? { start, end: start + quote.length, quote } : null;
}

function updateSelection() {
  if ($("document").hidden || state.editing) return;
  const selected = selectedOffsets();
  if (selected) state.selection = selected;
  const current = state.selection;
  $("selection").textContent = current
    ? `“${shorten(current.quote, 60)}”`
    : "Select a passage";
  $("save").disabled = !current || state.layers.length === 0;
}

function currentLayer() {
  return state.layers.find((layer) => layer.id === $("layer").value);
}

/** Every assignable code of a tree, depth first, with its depth for indentation. */
function flatten(codes, depth = 0) {
  return codes.flatMap((code) => [{ code, depth }, ...flatten(code.children ?? [], depth + 1)]);
}

function codeHelp(code) {
  if (!code) return "";
  const parts = [code.definition, code.include && `Include: ${code.include}`, code.exclude && `Exclude: ${code.exclude}`,
    ...(code.examples ?? []).map((example) => `Example: ${example}`)];
  return parts.filter(Boolean).join("\n");
}

/** The fields of a layer's features (a list of codes, a number, a text, yes/no), with ids `${prefix}-FEATURE`. */
function featureFields(layer, prefix) {
  return (layer?.features ?? []).map((feature) => {
    const wrapper = window.document.createElement("div");
    const label = window.document.createElement("label");
    const id = `${prefix}-${feature.id}`;
    label.htmlFor = id;
    label.textContent = `${feature.label ?? feature.id}${feature.required ? " *" : ""}`;
    let input;
    if (feature.codes) {
      input = window.document.createElement("select");
      input.multiple = feature.type === "categories";
      if (!input.multiple) input.append(new Option("—", ""));
      for (const { code, depth } of flatten(feature.codes)) {
        const option = new Option(`${"\u00a0\u00a0".repeat(depth)}${code.label}`, code.id);
        option.disabled = !code.codable;
        input.append(option);
      }
      const help = () => {
        const chosen = flatten(feature.codes).find(({ code }) => code.id === input.value)?.code;
        $("code-help").textContent = codeHelp(chosen) || (feature.description ?? "");
      };
      input.addEventListener("change", help);
      input.addEventListener("focus", help);
    } else if (feature.type === "boolean") {
      input = window.document.createElement("select");
      input.append(new Option("—", ""), new Option("yes", "true"), new Option("no", "false"));
    } else {
      input = window.document.createElement("input");
      input.type = ["integer", "number", "span_ref"].includes(feature.type) ? "number" : "text";
      if (feature.type === "number") input.step = "any";
    }
    input.id = id;
    input.dataset.feature = feature.id;
    input.dataset.type = feature.type;
    input.required = feature.required;
    wrapper.append(label, input);
    return wrapper;
  });
}

/** The form of the chosen span layer's features. */
function renderFeatures() {
  const layer = currentLayer();
  $("features").replaceChildren(...featureFields(layer, "feature"));
  $("code-help").textContent = layer?.description ?? "";
}

/** The features a container's fields hold, as the API takes them; empty fields are left out. */
function formFeatures(container = $("features")) {
  const features = {};
  for (const input of container.querySelectorAll("[data-feature]")) {
    const type = input.dataset.type;
    if (input.multiple) {
      const chosen = [...input.selectedOptions].map((option) => option.value);
      if (chosen.length > 0) features[input.dataset.feature] = chosen;
    } else if (input.value !== "") {
      const value = input.value;
      features[input.dataset.feature] = type === "boolean" ? value === "true"
        : ["integer", "number", "span_ref"].includes(type) ? Number(value) : value;
    }
  }
  return features;
}

/** Sets a container's fields to `features`. */
function fillFeatures(container, features) {
  for (const input of container.querySelectorAll("[data-feature]")) {
    const value = features[input.dataset.feature];
    if (value === undefined) continue;
    if (input.multiple) {
      for (const option of input.options) option.selected = value.includes(option.value);
    } else {
      input.value = String(value);
    }
  }
}

// MARK: Document-level layers

/** A form per document-level layer above the text, filled with the viewer's annotation of it when there is one. */
function renderDocumentLayers() {
  const own = (layer) => state.annotations.find((annotation) => annotation.layer === layer.id
    && (state.me.role === "coder" || annotation.coder === $("write-as").value.trim()));
  const forms = state.documentLayers.map((layer) => {
    const form = window.document.createElement("form");
    form.noValidate = true;
    form.className = "document-layer";
    form.dataset.layer = layer.id;
    const legend = window.document.createElement("h3");
    legend.textContent = layer.label ?? layer.id;
    const fields = window.document.createElement("div");
    fields.className = "fields";
    fields.append(...featureFields(layer, `document-${layer.id}`));
    const existing = own(layer);
    if (existing) fillFeatures(fields, existing.features);
    const message = window.document.createElement("p");
    message.className = "error";
    message.setAttribute("role", "alert");
    const button = window.document.createElement("button");
    button.type = "submit";
    button.textContent = existing ? `Update ${layer.label ?? layer.id}` : `Save ${layer.label ?? layer.id}`;
    form.append(legend, fields, button, message);
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      message.textContent = "";
      const features = formFeatures(fields);
      try {
        if (existing) {
          await changeCodes(existing, features);
        } else {
          await addAnnotation({ layer: layer.id, start: 0, end: state.document.text.length, unit: "utf16", features });
        }
        $("document-message").textContent = "";
        await loadAnnotations();
      } catch (error) {
        if (error.status !== 412) {
          message.textContent = error.message;
          return;
        }
        $("document-message").textContent = staleMessage;
        await loadAnnotations();
      }
    });
    return form;
  });
  $("document-layers").replaceChildren(...forms);
  $("document-layers").hidden = forms.length === 0;
}

/** Puts an annotation's layer and codes in the form, to change its codes. */
function startEditing(annotation) {
  state.editing = annotation;
  $("layer").value = annotation.layer;
  $("layer").disabled = true;
  renderFeatures();
  fillFeatures($("features"), annotation.features);
  $("selection").textContent = `Editing “${shorten(annotation.text, 60)}”`;
  $("save").textContent = "Update";
  $("save").disabled = false;
  $("cancel-edit").hidden = false;
}

function stopEditing() {
  state.editing = null;
  $("layer").disabled = false;
  $("save").textContent = "Save";
  $("cancel-edit").hidden = true;
  $("form-error").textContent = "";
  updateSelection();
}

/** Changes the codes of the annotation being edited: a feature emptied in the form is removed (null). */
async function update() {
  try {
    await changeCodes(state.editing, formFeatures());
    stopEditing();
  } catch (error) {
    if (error.status !== 412) throw error;
    stopEditing();
    $("document-message").textContent = staleMessage;
  }
  await loadAnnotations();
}

/** The codes saved last, offered again with Alt+1 to Alt+5. */
function remember(layer, features) {
  const key = JSON.stringify([layer, features]);
  state.recent = [{ layer, features, key }, ...state.recent.filter((recent) => recent.key !== key)].slice(0, 5);
  $("recent-list").replaceChildren(...state.recent.map((recent, index) => {
    const item = window.document.createElement("li");
    const values = Object.values(recent.features).map((value) => JSON.stringify(value)).join(", ");
    item.textContent = `Alt+${index + 1}: ${recent.layer} ${values}`;
    return item;
  }));
  $("recent").hidden = state.recent.length === 0;
}

/** Alt+1 … Alt+5 codes the selection with one of the codes saved last. */
async function applyRecent(event) {
  if (!event.altKey || $("document").hidden || state.editing) return;
  const recent = state.recent[Number(event.key) - 1];
  if (!recent || !state.selection) return;
  event.preventDefault();
  $("layer").value = recent.layer;
  renderFeatures();
  fillFeatures($("features"), recent.features);
  $("code-form").requestSubmit();
}

async function save(event) {
  event.preventDefault();
  $("form-error").textContent = "";
  for (const input of $("features").querySelectorAll("[aria-invalid]")) input.removeAttribute("aria-invalid");
  if (state.editing) {
    try {
      await update();
    } catch (error) {
      showFormError(error);
    }
    return;
  }
  const selection = state.selection;
  if (!selection) return;
  try {
    await addAnnotation({ layer: $("layer").value, start: selection.start, end: selection.end, unit: "utf16",
      text: selection.quote, features: formFeatures() });
    remember($("layer").value, formFeatures());
    $("document-message").textContent = "";
    state.selection = null;
    window.getSelection()?.removeAllRanges();
    await loadAnnotations();
    updateSelection();
  } catch (error) {
    showFormError(error);
  }
}

/** The server's message next to the form, and the fields it names marked invalid. */
function showFormError(error) {
  $("form-error").textContent = error.message;
  for (const input of $("features").querySelectorAll("[data-feature]")) {
    if (error.message.includes(`${input.dataset.feature} `)) input.setAttribute("aria-invalid", "true");
  }
}

async function markDone() {
  try {
    await api(`/documents/${encodeURIComponent(state.document.id)}/done`, { method: "POST" });
    $("document-message").textContent = "Marked done.";
  } catch (error) {
    $("document-message").textContent = error.message;
  }
}

/** Clicking a coded passage shows its annotations in the list. */
function pointAt(event) {
  const coded = event.target.closest?.(".coded");
  const ids = new Set(coded?.dataset.annotations?.split(" ") ?? []);
  for (const item of $("annotation-list").children) {
    item.classList.toggle("current", ids.has(item.dataset.annotation));
  }
  $("annotation-list").querySelector(".current")?.scrollIntoView({ block: "nearest" });
}

// MARK: Wiring

$("sign-in-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  $("sign-in-error").textContent = "";
  try {
    await signIn($("token").value.trim());
    $("token").value = "";
  } catch (error) {
    $("sign-in-error").textContent = error.status === 401 ? "This token is not valid (or was revoked)." : error.message;
  }
});
$("sign-out").addEventListener("click", () => {
  sessionStorage.removeItem("gloss-token");
  window.location.reload();
});
$("back").addEventListener("click", () => listDocuments());
$("done").addEventListener("click", markDone);
$("layer").addEventListener("change", renderFeatures);
$("code-form").addEventListener("submit", save);
$("cancel-edit").addEventListener("click", stopEditing);
window.document.addEventListener("keydown", applyRecent);
$("text").addEventListener("click", pointAt);
// The text is editable only so that a caret can move and select with the keyboard: every edit is refused, and
// anything that still got through (an input method's composition) is undone by drawing the text again.
$("text").addEventListener("beforeinput", (event) => event.preventDefault());
$("text").addEventListener("input", () => renderText());
for (const refused of ["paste", "drop", "cut"]) $("text").addEventListener(refused, (event) => event.preventDefault());
window.document.addEventListener("selectionchange", updateSelection);

if (sessionStorage.getItem("gloss-token")) {
  signIn(sessionStorage.getItem("gloss-token")).catch(() => show("sign-in"));
} else {
  show("sign-in");
}

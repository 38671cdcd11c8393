"use strict";
/* The view's side of the MCP Apps protocol (io.modelcontextprotocol/ui, 2026-01-26), without an SDK:
   JSON-RPC over postMessage with the host. The host answers ui/initialize with its context (theme, CSS
   variables, display modes), then sends the tool's input and result; tools/call goes through the host
   to this server. Nothing here reaches the network. */
const Host = (() => {
  const pending = new Map();
  const handlers = new Map();
  let nextId = 1;
  let context = {};

  window.addEventListener("message", (event) => {
    if (event.source !== window.parent) return;
    const message = event.data;
    if (!message || message.jsonrpc !== "2.0") return;
    if (message.method === undefined) {
      const waiting = pending.get(message.id);
      if (!waiting) return;
      pending.delete(message.id);
      if (message.error) waiting.reject(new Error(message.error.message || "the host refused"));
      else waiting.resolve(message.result || {});
      return;
    }
    const handler = handlers.get(message.method);
    if (handler) handler(message.params || {});
    if (message.id !== undefined) post({ jsonrpc: "2.0", id: message.id, result: {} });
  });

  function post(message) {
    window.parent.postMessage(message, "*");
  }

  function request(method, params) {
    const id = nextId++;
    return new Promise((resolve, reject) => {
      pending.set(id, { resolve, reject });
      post({ jsonrpc: "2.0", id, method, params });
    });
  }

  function notify(method, params) {
    post({ jsonrpc: "2.0", method, params });
  }

  function on(method, handler) {
    handlers.set(method, handler);
  }

  /* A tool's structured result; an error result (isError) becomes a thrown Error with its text. */
  async function callTool(name, args) {
    const result = await request("tools/call", { name, arguments: args });
    if (result.isError) throw new Error(textOf(result) || `${name} failed`);
    return structuredOf(result);
  }

  /* The whole result (the approval card needs isError and the text as they came). */
  function callToolResult(name, args) {
    return request("tools/call", { name, arguments: args });
  }

  /* What the person did in the view, for the model's next turn (ui/update-model-context); a host that does
     not keep it loses only this note, never the action, which the server has already recorded. */
  function tellModel(text) {
    return request("ui/update-model-context", { content: [{ type: "text", text }] }).catch(() => {});
  }

  function textOf(result) {
    return (result.content || []).filter((part) => part.type === "text").map((part) => part.text).join("\n");
  }

  /* structuredContent, or the same JSON read from the text (a result that missed its schema has only text). */
  function structuredOf(result) {
    if (result.structuredContent && typeof result.structuredContent === "object") return result.structuredContent;
    try {
      const parsed = JSON.parse(textOf(result));
      return parsed && typeof parsed === "object" ? parsed : null;
    } catch (_) {
      return null;
    }
  }

  function applyContext(update) {
    context = { ...context, ...update };
    const root = document.documentElement;
    const variables = (update.styles && update.styles.variables) || {};
    for (const [name, value] of Object.entries(variables)) {
      if (name.startsWith("--") && typeof value === "string") root.style.setProperty(name, value);
    }
    if (update.theme === "light" || update.theme === "dark") root.dataset.theme = update.theme;
    if (update.displayMode) root.dataset.displayMode = update.displayMode;
    for (const listener of contextListeners) listener(context);
  }
  const contextListeners = [];

  function canGoFullscreen() {
    return (context.availableDisplayModes || []).includes("fullscreen");
  }

  async function toggleFullscreen() {
    const wanted = context.displayMode === "fullscreen" ? "inline" : "fullscreen";
    const answer = await request("ui/request-display-mode", { mode: wanted });
    applyContext({ displayMode: (answer && answer.mode) || context.displayMode });
  }

  /* Handlers first, then the handshake: the host sends nothing before `initialized`. */
  async function connect(appName, { onInput, onResult, onContext }) {
    on("ui/notifications/tool-input", (params) => onInput && onInput(params.arguments || {}));
    on("ui/notifications/tool-result", (params) => onResult(params));
    on("ui/notifications/host-context-changed", (params) => applyContext(params));
    on("ui/notifications/tool-cancelled", () => onResult({ isError: true, content: [] }));
    if (onContext) contextListeners.push(onContext);
    const answer = await request("ui/initialize", {
      protocolVersion: "2026-01-26",
      appInfo: { name: appName, version: "1" },
      appCapabilities: { availableDisplayModes: ["inline", "fullscreen"] },
    });
    applyContext(answer.hostContext || {});
    notify("ui/notifications/initialized", {});
    let last = "";
    new ResizeObserver(() => {
      const size = `${document.documentElement.scrollWidth}x${document.documentElement.scrollHeight}`;
      if (size === last) return;
      last = size;
      notify("ui/notifications/size-changed", {
        width: document.documentElement.scrollWidth,
        height: document.documentElement.scrollHeight,
      });
    }).observe(document.body);
  }

  return {
    connect, callTool, callToolResult, tellModel, structuredOf, textOf, canGoFullscreen, toggleFullscreen,
    context: () => context,
  };
})();

/* Elements from data, text always as text: candidate words never reach innerHTML. */
function el(tag, attributes, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes || {})) {
    if (value === undefined || value === null || value === false) continue;
    if (name === "text") node.textContent = String(value);
    else if (name.startsWith("on")) node.addEventListener(name.slice(2), value);
    else node.setAttribute(name, value === true ? "" : String(value));
  }
  for (const child of children.flat()) {
    if (child === undefined || child === null || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

function band(score, out_of) {
  if (typeof score !== "number") return "";
  const share = score / out_of;
  return share >= 0.75 ? "high" : share >= 0.5 ? "mid" : "low";
}

/* A score bar with its number: `label` names it for a screen reader. */
function meter(score, out_of, label) {
  const known = typeof score === "number";
  const width = known ? Math.max(0, Math.min(100, (score / out_of) * 100)) : 0;
  return el(
    "div",
    { class: "meter", role: "img", "aria-label": known ? `${label}: ${score} of ${out_of}` : `${label}: no score` },
    el("div", { class: "track" }, el("div", { class: `fill ${band(score, out_of)}`, style: `width:${width}%` })),
    el("span", { class: "value", "aria-hidden": "true", text: known ? String(score) : "–" }),
  );
}

function outcomeLabel(value) {
  return { call_success: "success", call_inconclusive: "inconclusive", call_failed: "failed" }[value] || value || "unknown";
}

function outcomeBadge(value) {
  return el("span", { class: `badge ${value || ""}`, text: outcomeLabel(value) });
}

function fullscreenButton() {
  const button = el("button", { type: "button", class: "fullscreen", hidden: true, text: "Fullscreen" });
  button.addEventListener("click", () => Host.toggleFullscreen().catch(() => {}));
  const update = (context) => {
    button.hidden = !Host.canGoFullscreen();
    button.textContent = context.displayMode === "fullscreen" ? "Exit fullscreen" : "Fullscreen";
  };
  return { button, update };
}

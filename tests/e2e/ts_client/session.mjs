// One MCP session as a TypeScript host would have it, with the TypeScript SDK client from npm, printed as
// one JSON line for tests/e2e/test_interop_ts.py to check.
//
//   node session.mjs <client> <stdio|http> <server command | /mcp URL>
//
// <client>: "sdk-1" (@modelcontextprotocol/sdk 1.x, the 2025 handshake), "client-2" (@modelcontextprotocol/client
// 2.x, its default: the same handshake) or "client-2-modern" (2.x pinned to the 2026-07-28 revision, no fallback,
// so a server that stops speaking it fails here rather than passing on the old handshake).
//
// The SDK validates every result with its own schemas (zod) and compiles each tool's outputSchema (AJV) to
// check structured content: an answer either SDK rejects throws here, naming the step, which is the point.

import { readFileSync } from "node:fs";

const [clientName, transportName, target] = process.argv.slice(2);

const CLIENTS = {
  "sdk-1": { package: "@modelcontextprotocol/sdk", load: loadSdk1, negotiation: undefined },
  "client-2": { package: "@modelcontextprotocol/client", load: loadClient2, negotiation: undefined },
  "client-2-modern": {
    package: "@modelcontextprotocol/client",
    load: loadClient2,
    negotiation: { mode: { pin: "2026-07-28" } },
  },
};

async function loadSdk1() {
  const { Client } = await import("@modelcontextprotocol/sdk/client/index.js");
  const stdio = await import("@modelcontextprotocol/sdk/client/stdio.js");
  const http = await import("@modelcontextprotocol/sdk/client/streamableHttp.js");
  const { LATEST_PROTOCOL_VERSION } = await import("@modelcontextprotocol/sdk/types.js");
  return { Client, LATEST_PROTOCOL_VERSION, ...stdio, ...http };
}

async function loadClient2() {
  const { Client, LATEST_PROTOCOL_VERSION, StreamableHTTPClientTransport } = await import(
    "@modelcontextprotocol/client"
  );
  const stdio = await import("@modelcontextprotocol/client/stdio");
  return { Client, LATEST_PROTOCOL_VERSION, StreamableHTTPClientTransport, ...stdio };
}

function installedVersion(name) {
  const manifest = new URL(`./node_modules/${name}/package.json`, import.meta.url);
  return JSON.parse(readFileSync(manifest, "utf-8")).version;
}

// Which step threw is the first thing a failing test should say.
async function step(name, action) {
  try {
    return await action();
  } catch (error) {
    throw new Error(`${name}: ${error?.stack ?? error}`);
  }
}

// A tool's failure comes back as a result (isError); a protocol one as a rejected promise with a JSON-RPC code.
async function outcome(action) {
  try {
    const result = await action();
    return { isError: result.isError === true, text: result.content?.[0]?.text ?? null };
  } catch (error) {
    return { code: error?.code ?? null, message: String(error?.message ?? error) };
  }
}

function textJson(result) {
  return JSON.parse(result.content[0].text);
}

async function main() {
  const chosen = CLIENTS[clientName];
  if (!chosen || !["stdio", "http"].includes(transportName) || !target) {
    throw new Error("usage: node session.mjs <sdk-1|client-2|client-2-modern> <stdio|http> <command|url>");
  }
  const sdk = await chosen.load();
  const client = new sdk.Client(
    { name: "ninjahire-interop-ts", version: "1.0.0" },
    chosen.negotiation ? { versionNegotiation: chosen.negotiation } : undefined,
  );
  const transport =
    transportName === "stdio"
      ? new sdk.StdioClientTransport({
          command: target,
          args: ["--sandbox"],
          // The SDK passes on only a few variables of its own (HOME, PATH, ...): the test's data folder too,
          // so that nothing is written to the real home. Its stderr is ours: a failing test shows the
          // server's traceback.
          env: { ...sdk.getDefaultEnvironment(), XDG_DATA_HOME: process.env.XDG_DATA_HOME ?? "" },
          stderr: "inherit",
        })
      : new sdk.StreamableHTTPClientTransport(new URL(target));

  // 1.x keeps the negotiated version to itself: it hands it to the transport (the HTTP one sends it as a
  // header), so listen there. 2.x says it (getNegotiatedProtocolVersion).
  let negotiated;
  const setProtocolVersion = transport.setProtocolVersion?.bind(transport);
  transport.setProtocolVersion = (version) => {
    negotiated = version;
    setProtocolVersion?.(version);
  };

  await step("connect", () => client.connect(transport));
  try {
    const tools = (await step("tools/list", () => client.listTools())).tools;
    const prompts = (await step("prompts/list", () => client.listPrompts())).prompts;
    const resources = (await step("resources/list", () => client.listResources())).resources;
    const guide = await step("resources/read", () => client.readResource({ uri: resources[0]?.uri ?? "" }));
    const missing = await step("resources/read missing", () =>
      outcome(() => client.readResource({ uri: "ninjahire://no-such-resource" })),
    );
    const jobs = await step("get_jobs", () => client.callTool({ name: "get_jobs", arguments: { size: 3 } }));
    const found = await step("search_screening", () =>
      client.callTool({ name: "search_screening", arguments: { query: "nights", limit: 3 } }),
    );
    const wrong = await step("get_job", () =>
      outcome(() => client.callTool({ name: "get_job", arguments: { job_id: "JOB-1001" } })),
    );
    const unknown = await step("unknown tool", () =>
      outcome(() => client.callTool({ name: "no_such_tool", arguments: {} })),
    );
    const invalid = await step("invalid arguments", () =>
      outcome(() => client.callTool({ name: "get_jobs", arguments: { size: "three" } })),
    );
    const report = {
      client: { package: chosen.package, version: installedVersion(chosen.package), node: process.versions.node },
      server: client.getServerVersion()?.name ?? null,
      // The newest version this client asks for: the handshake should settle on it, nothing downgraded.
      offered: chosen.negotiation?.mode.pin ?? sdk.LATEST_PROTOCOL_VERSION,
      version: client.getNegotiatedProtocolVersion?.() ?? negotiated ?? null,
      era: client.getProtocolEra?.() ?? "legacy",
      instructions: client.getInstructions() ?? null,
      tools: tools.map((tool) => tool.name).sort(),
      annotated: tools.filter((tool) => tool.annotations).length,
      read_only: tools.filter((tool) => tool.annotations?.readOnlyHint === true).length,
      with_icons: tools.filter((tool) => tool.icons?.length).length,
      with_output_schema: tools.filter((tool) => tool.outputSchema).length,
      prompts: prompts.map((prompt) => prompt.name).sort(),
      resources: resources.map((resource) => resource.uri).sort(),
      guide_chars: guide.contents.reduce((total, part) => total + (part.text?.length ?? 0), 0),
      missing,
      jobs: textJson(jobs),
      jobs_structured: jobs.structuredContent ?? null,
      found: textJson(found),
      wrong,
      unknown,
      invalid,
    };
    process.stdout.write(`${JSON.stringify(report)}\n`);
  } finally {
    await client.close();
  }
}

main().catch((error) => {
  process.stderr.write(`${error?.stack ?? error}\n`);
  process.exit(1);
});

// A JS automerge-repo peer: finds a document through the relay and prints it as JSON.
// Usage: node read_doc.mjs "ws://127.0.0.1:PORT/sync?token=<credential>" automerge:<id>
// The npm packages live in $LINLI_TOOLS (scripts/tools.sh installs them).
import { createRequire } from "node:module";
import { pathToFileURL } from "node:url";
import os from "node:os";
import path from "node:path";

const tools = process.env.LINLI_TOOLS || path.join(os.homedir(), ".cache", "linli-tools");
const require = createRequire(path.join(tools, "package.json"));
const load = async (name) => import(pathToFileURL(require.resolve(name)).href);

const [wsUrl, docUrl] = process.argv.slice(2);
if (!wsUrl || !docUrl) {
  console.error("usage: node read_doc.mjs <ws url> <automerge url>");
  process.exit(2);
}
const { Repo } = await load("@automerge/automerge-repo");
const { BrowserWebSocketClientAdapter } = await load("@automerge/automerge-repo-network-websocket");

const repo = new Repo({ network: [new BrowserWebSocketClientAdapter(wsUrl)] });
const timer = setTimeout(() => {
  console.error("timed out finding " + docUrl);
  process.exit(3);
}, 20000);
try {
  const handle = await repo.find(docUrl);
  const doc = handle.doc();
  process.stdout.write(JSON.stringify(doc) + "\n");
  clearTimeout(timer);
  await repo.shutdown().catch(() => undefined);
  process.exit(0);
} catch (err) {
  console.error("could not find " + docUrl + ": " + err);
  process.exit(4);
}

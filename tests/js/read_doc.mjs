// A JS automerge-repo peer: finds a document through the relay and prints it as JSON.
// Usage: LINLI_CREDENTIAL=<member credential> node read_doc.mjs http://127.0.0.1:PORT automerge:<id>
// It connects with one-use tickets (ticket_adapter.mjs), never with the credential in a URL.
// The npm packages live in $LINLI_TOOLS (scripts/tools.sh installs them).
import { createRequire } from "node:module";
import { pathToFileURL } from "node:url";
import os from "node:os";
import path from "node:path";

const tools = process.env.LINLI_TOOLS || path.join(os.homedir(), ".cache", "linli-tools");
const require = createRequire(path.join(tools, "package.json"));
const load = async (name) => import(pathToFileURL(require.resolve(name)).href);

const [relayUrl, docUrl] = process.argv.slice(2);
const credential = process.env.LINLI_CREDENTIAL;
if (!relayUrl || !docUrl || !credential) {
  console.error("usage: LINLI_CREDENTIAL=<credential> node read_doc.mjs <relay url> <automerge url>");
  process.exit(2);
}
const { Repo } = await load("@automerge/automerge-repo");
const { WebSocketClientAdapter } = await load("@automerge/automerge-repo-network-websocket");
const { ticketAdapter } = await import(new URL("./ticket_adapter.mjs", import.meta.url).href);

const repo = new Repo({ network: [ticketAdapter(WebSocketClientAdapter, relayUrl, credential)] });
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

// A JS automerge-repo 2.5.6 peer for the relay interop test (server/tests/js_interop.rs).
//
//   node interop.mjs read <relayUrl> <automergeUrl>   prints the document as JSON
//   node interop.mjs create <relayUrl> <json>         creates a document, prints its URL, and
//                                                     stays connected until stdin closes
//   node interop.mjs reply <relayUrl> <automergeUrl>  finds the document, sets `fromJs`, waits
//                                                     for a `reply` key from another peer, then
//                                                     prints the document as JSON
//
// <relayUrl> is the relay's http://host:port; the member credential comes from the environment
// (LINLI_CREDENTIAL, so it shows neither in `ps` nor in any URL): every socket opens with a
// one-use ticket (ticket_adapter.mjs).
//
// The packages come from the tools folder (scripts/tools.sh), not from a local node_modules:
// LINLI_TOOLS, else ~/.cache/linli-tools.
import { createRequire } from "node:module"
import { existsSync } from "node:fs"
import { homedir } from "node:os"
import { join } from "node:path"
import { pathToFileURL } from "node:url"

const tools = process.env.LINLI_TOOLS || join(homedir(), ".cache", "linli-tools")
const toolsRequire = createRequire(join(tools, "package.json"))

async function load(name) {
  let path
  try {
    path = toolsRequire.resolve(name)
  } catch (e) {
    fail(`${name} is not installed in ${tools}/node_modules (run scripts/tools.sh)`)
  }
  return import(pathToFileURL(path).href)
}

function fail(message) {
  console.error(`interop.mjs: ${message}`)
  process.exit(2)
}

const { Repo } = await load("@automerge/automerge-repo")
const { WebSocketClientAdapter } = await load("@automerge/automerge-repo-network-websocket")

const { ticketAdapter } = await import(new URL("./ticket_adapter.mjs", import.meta.url).href)

const [mode, relayUrl, arg] = process.argv.slice(2)
const credential = process.env.LINLI_CREDENTIAL
if (!relayUrl || !arg || !credential) fail("usage: LINLI_CREDENTIAL=… interop.mjs read|create|reply <relayUrl> <url|json>")

const repo = new Repo({ network: [ticketAdapter(WebSocketClientAdapter, relayUrl, credential, 500)] })
const timeout = setTimeout(() => fail(`${mode} timed out`), 30_000)

if (mode === "read") {
  const handle = await repo.find(arg)
  console.log(JSON.stringify(handle.doc()))
  clearTimeout(timeout)
  process.exit(0)
} else if (mode === "reply") {
  const handle = await repo.find(arg)
  handle.change(d => {
    d.fromJs = "你好，来自JS"
  })
  await new Promise(resolve => {
    const check = () => {
      if (handle.doc().reply !== undefined) resolve()
    }
    handle.on("change", check)
    check()
  })
  console.log(JSON.stringify(handle.doc()))
  clearTimeout(timeout)
  process.exit(0)
} else if (mode === "create") {
  const handle = repo.create(JSON.parse(arg))
  console.log(handle.url)
  clearTimeout(timeout)
  // Stay connected (the repo announces the document to the relay) until told to stop.
  process.stdin.resume()
  process.stdin.on("end", () => process.exit(0))
} else {
  fail(`unknown mode ${mode}`)
}

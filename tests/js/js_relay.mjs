// The reference relay for load comparisons: an `@automerge/automerge-repo` 2.5.6 Repo with
// `NodeWSServerAdapter` on a `ws` WebSocketServer, no storage, announcing nothing
// (sharePolicy false, as the automerge-repo sync server does).
//
//   node js_relay.mjs [port]      prints `js-relay listening on ws://127.0.0.1:<port>`,
//                                 serves until stdin closes or SIGTERM
//
// Packages come from the tools folder (scripts/tools.sh): LINLI_TOOLS, else
// ~/.cache/linli-tools. Loopback only.
import { createRequire } from "node:module"
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
    console.error(`js_relay.mjs: ${name} is not installed in ${tools}/node_modules (run scripts/tools.sh)`)
    process.exit(2)
  }
  return import(pathToFileURL(path).href)
}

const { Repo } = await load("@automerge/automerge-repo")
const { NodeWSServerAdapter } = await load("@automerge/automerge-repo-network-websocket")
const ws = await load("ws")
const WebSocketServer = ws.WebSocketServer ?? ws.default.WebSocketServer ?? ws.default.Server

const port = Number(process.argv[2] || 0)
const wss = new WebSocketServer({ host: "127.0.0.1", port, maxPayload: 8 * 1024 * 1024 })
await new Promise((resolve) => wss.on("listening", resolve))
const repo = new Repo({
  network: [new NodeWSServerAdapter(wss)],
  peerId: `js-relay-${process.pid}`,
  sharePolicy: async () => false,
})
console.log(`js-relay listening on ws://127.0.0.1:${wss.address().port}`)

function stop() {
  wss.close()
  process.exit(0)
}
process.stdin.on("end", stop)
process.stdin.on("close", stop)
process.stdin.resume()
process.on("SIGTERM", stop)
void repo

// How a JS @automerge/automerge-repo client connects to the relay without putting its member
// credential in a URL (where proxies' access logs would keep it): before every socket — the
// first, and each reconnect — it posts the credential in a header for a one-use ticket,
// `POST /api/sync-ticket`, and opens `/sync?ticket=<ticket>`.
//
//   const adapter = ticketAdapter(WebSocketClientAdapter, "https://relay.example", credential)
//   const repo = new Repo({ network: [adapter] })
//
// `WebSocketClientAdapter` is the class from @automerge/automerge-repo-network-websocket 2.x
// (passed in, so this file needs no install of its own). Needs a global `fetch` (Node ≥ 18,
// browsers).

export function ticketAdapter(WebSocketClientAdapter, httpUrl, credential, retryInterval = 5000) {
  const base = httpUrl.replace(/\/$/, "")
  const wsBase = base.replace(/^http/, "ws")

  class TicketClientAdapter extends WebSocketClientAdapter {
    // The adapter calls connect() for the first socket and for every retry and reconnect,
    // and opens `this.url`: give it a fresh ticket each time.
    connect(peerId, peerMetadata) {
      fetch(`${base}/api/sync-ticket`, {
        method: "POST",
        headers: { authorization: `Bearer ${credential}` },
      })
        .then(answer => (answer.ok ? answer.json() : Promise.reject(new Error(`sync ticket: ${answer.status}`))))
        .then(({ ticket }) => {
          this.url = `${wsBase}/sync?ticket=${encodeURIComponent(ticket)}`
          super.connect(peerId, peerMetadata)
        })
        .catch(() => setTimeout(() => this.connect(peerId, peerMetadata), this.retryInterval))
    }
  }
  return new TicketClientAdapter(`${wsBase}/sync`, retryInterval)
}

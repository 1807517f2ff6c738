// 邻里 service worker: keeps the app shell so the app starts with no network.
// Trunk hashes asset names, so nothing is listed up front: every same-origin GET
// that succeeds is cached at runtime. Navigations go to the network first (with a
// short timeout, for patchy signal) and fall back to the cached shell; hashed assets
// are served from the cache first. The sync socket (/sync) and the API are never cached.
const CACHE = "linli-shell-v1";
const SHELL = "/";
const NAV_TIMEOUT_MS = 3000;

// Same-origin paths the shell references (names differ on every build): the
// stylesheets and modulepreload (`href="/…"`), scripts (`src="/…"`), and the wasm and
// js in Trunk's loader (`module_or_path: '/…'`, `from '/…'`). Whatever is not listed
// here is neither precached nor kept by pruneTo, so the app would start offline
// without it (as the CSS did once: an `href` pattern without the `=`).
const ASSET_REF = /(?:\b(?:href|src)\s*=\s*|\bmodule_or_path:\s*|\bfrom\s+)["'](\/[^"'#?]+)["']/g;
function referencedAssets(html) {
  const assets = new Set();
  for (const m of html.matchAll(ASSET_REF)) assets.add(m[1]);
  return assets;
}

// The page that registered us was loaded before we could see its requests, so
// read the shell and cache what it references.
async function precacheShell() {
  const cache = await caches.open(CACHE);
  const response = await fetch(SHELL, { cache: "no-cache" });
  if (!response.ok) return;
  const html = await response.clone().text();
  await cache.put(SHELL, response);
  await Promise.all([...referencedAssets(html)].map((url) => cache.add(url).catch(() => undefined)));
}

// After a new shell arrived: drop cached files of earlier builds.
async function pruneTo(html) {
  const keep = referencedAssets(html);
  keep.add(SHELL);
  const cache = await caches.open(CACHE);
  for (const request of await cache.keys()) {
    const path = new URL(request.url).pathname;
    if (!keep.has(path) && !path.startsWith("/icons/")) await cache.delete(request);
  }
}

self.addEventListener("install", (event) => {
  event.waitUntil(precacheShell().catch(() => undefined).then(() => self.skipWaiting()));
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches.keys()
      .then((keys) => Promise.all(keys.filter((k) => k !== CACHE).map((k) => caches.delete(k))))
      .then(() => self.clients.claim())
  );
});

function timeout(ms) {
  return new Promise((_, reject) => setTimeout(() => reject(new Error("timeout")), ms));
}

async function fromNetworkThenCache(request, cacheKey) {
  const cache = await caches.open(CACHE);
  try {
    const response = await Promise.race([fetch(request), timeout(NAV_TIMEOUT_MS)]);
    if (response.ok) {
      await cache.put(cacheKey, response.clone());
      response.clone().text().then(pruneTo).catch(() => undefined);
    }
    return response;
  } catch (err) {
    const cached = await cache.match(cacheKey);
    if (cached) return cached;
    throw err;
  }
}

async function fromCacheThenNetwork(request) {
  const cache = await caches.open(CACHE);
  const cached = await cache.match(request);
  if (cached) return cached;
  const response = await fetch(request);
  if (response.ok) await cache.put(request, response.clone());
  return response;
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (request.method !== "GET" || url.origin !== self.location.origin) return;
  if (url.pathname.startsWith("/sync") || url.pathname.startsWith("/api/")
      || url.pathname === "/healthz" || url.pathname === "/metrics") return;
  if (request.mode === "navigate") {
    // Every in-app route is the same single page: cache it under "/".
    event.respondWith(fromNetworkThenCache(request, SHELL));
  } else if (url.pathname === "/sw.js") {
    return;
  } else {
    event.respondWith(fromCacheThenNetwork(request));
  }
});

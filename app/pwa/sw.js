// 邻里 service worker: keeps the app shell so the app starts with no network.
// Trunk hashes asset names, so nothing is listed up front: the shell (index.html)
// names its assets — including the wasm parts of rarely used screens, which the page
// loads only on first use (`<link rel="linli-lazy">`, scripts/split_wasm.mjs, issue 14)
// — and a shell is adopted — cached with every asset it names — only when all of them
// arrived; until then the previous build stays whole in the cache. Navigations go to
// the network first (with a short timeout, for patchy signal); a new version's page is
// answered only once all its parts are cached (else the cached shell, while the new one
// is cached in the background), so every screen works offline. Hashed assets are
// served from the cache first. The build a shell replaces stays whole in the cache
// until the next one is adopted: a page still running it (the one that navigated while
// the new version was being cached) opens its lazy screens from it, offline or not. The sync socket (/sync), the API and the relay's
// resident pages (/r/, /t/) are never cached.
//
// A village lane's network lies: a captive portal answers every request with its
// own 200 page, a broken gateway with 502. Neither is ever stored: a shell must name
// the app's wasm, and an asset must come from this origin, unredirected, and not be
// an HTML page standing in for a script, style or binary.
const CACHE = "linli-shell-v1";
const SHELL = "/";
// The shell of the build before the adopted one: kept so that pruneTo spares its files.
const PREVIOUS_SHELL = "/__linli/previous-shell";
const NAV_TIMEOUT_MS = 3000;
// The relay's resident pages (shared::api REPORT_PREFIX and TRACKING_PREFIX).
const RELAY_PAGES = ["/r/", "/t/"];

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

// The app's own shell names its wasm; a portal's or a proxy's page does not.
function isAppShell(html) {
  return [...referencedAssets(html)].some((path) => path.endsWith(".wasm"));
}

// An answer from this relay itself, not a redirect to a login page or an error.
function isGenuine(response) {
  return response.ok && !response.redirected && response.type === "basic";
}

// A script, style, image or binary answered with an HTML page is a portal's page.
function isGenuineAsset(response, path) {
  if (!isGenuine(response)) return false;
  const type = response.headers.get("content-type") || "";
  return !(/\.(wasm|js|css|png|webmanifest)$/.test(path) && type.includes("text/html"));
}

async function cacheAsset(cache, path) {
  if (await cache.match(path)) return true;
  try {
    const response = await fetch(path, { cache: "no-cache" });
    if (!isGenuineAsset(response, path)) return false;
    await cache.put(path, response);
    return true;
  } catch {
    return false;
  }
}

// Caches `html` as the shell once every asset it names is cached, then drops the
// files of the builds before the one it replaces. If any asset cannot be fetched, the
// cache keeps the current shell and its assets: a new version is switched to only when
// whole.
async function adoptShell(html) {
  const cache = await caches.open(CACHE);
  const assets = [...referencedAssets(html)];
  const cached = await Promise.all(assets.map((path) => cacheAsset(cache, path)));
  if (!cached.every(Boolean)) return false;
  const current = await cache.match(SHELL);
  const currentHtml = current ? await current.text() : null;
  if (currentHtml !== html) {
    // Pages loaded from the current build may still be running: keep its files.
    if (currentHtml !== null) await cache.put(PREVIOUS_SHELL, htmlResponse(currentHtml));
    await cache.put(SHELL, htmlResponse(html));
  }
  const previous = await cache.match(PREVIOUS_SHELL);
  await pruneTo([html, previous ? await previous.text() : ""]);
  return true;
}

function htmlResponse(html) {
  return new Response(html, { headers: { "content-type": "text/html; charset=utf-8" } });
}

// After a new shell was adopted: drop cached files no shell in `shells` names.
async function pruneTo(shells) {
  const keep = new Set([SHELL, PREVIOUS_SHELL]);
  for (const html of shells) for (const path of referencedAssets(html)) keep.add(path);
  const cache = await caches.open(CACHE);
  for (const request of await cache.keys()) {
    const path = new URL(request.url).pathname;
    if (!keep.has(path) && !path.startsWith("/icons/")) await cache.delete(request);
  }
}

// The page that registered us was loaded before we could see its requests, so
// read the shell and cache what it references.
async function precacheShell() {
  const response = await fetch(SHELL, { cache: "no-cache" });
  if (!isGenuine(response)) return;
  const html = await response.text();
  if (isAppShell(html)) await adoptShell(html);
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

// The network's page if it is the app's shell (adopted in the background), else
// the cached shell; the network's answer only when nothing is cached yet.
async function navigate(event) {
  const cache = await caches.open(CACHE);
  let answer;
  try {
    answer = await Promise.race([
      fetch(event.request).then(async (response) => ({ response, html: await response.clone().text() })),
      timeout(NAV_TIMEOUT_MS),
    ]);
  } catch (err) {
    const cached = await cache.match(SHELL);
    if (cached) return cached;
    throw err;
  }
  const { response, html } = answer;
  const cached = await cache.match(SHELL);
  if (isGenuine(response) && isAppShell(html)) {
    // A new version not yet whole in the cache: the cached one runs meanwhile.
    const whole = !cached || (await allCached(cache, html));
    event.waitUntil(adoptShell(html).catch(() => undefined));
    return whole ? response : cached;
  }
  return cached || response;
}

async function allCached(cache, html) {
  const found = await Promise.all([...referencedAssets(html)].map((path) => cache.match(path)));
  return found.every(Boolean);
}

async function fromCacheThenNetwork(request) {
  const cache = await caches.open(CACHE);
  const cached = await cache.match(request);
  if (cached) return cached;
  const response = await fetch(request);
  if (isGenuineAsset(response, new URL(request.url).pathname)) await cache.put(request, response.clone());
  return response;
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (request.method !== "GET" || url.origin !== self.location.origin) return;
  if (url.pathname.startsWith("/sync") || url.pathname.startsWith("/api/")
      || url.pathname === "/healthz" || url.pathname === "/metrics") return;
  // Residents' report and tracking pages (吹哨) are the relay's own pages, not the app:
  // never answered with the shell, never cached.
  if (RELAY_PAGES.some((prefix) => url.pathname.startsWith(prefix))) return;
  if (request.mode === "navigate") {
    // Every in-app route is the same single page: served as "/".
    event.respondWith(navigate(event));
  } else if (url.pathname === "/sw.js") {
    return;
  } else {
    event.respondWith(fromCacheThenNetwork(request));
  }
});

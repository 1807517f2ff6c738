// Brotli sizes of a built dist (quality 11, window 22, as the relay writes its copies): what
// the first visit fetches (everything but the lazy parts index.html lists as
// <link rel="linli-lazy">) and what loads on first use. Usage: node scripts/dist_sizes.mjs dist
import fs from "node:fs"; import zlib from "node:zlib"; import path from "node:path";
const dist = process.argv[2];
const br = (f) => zlib.brotliCompressSync(fs.readFileSync(path.join(dist, f)), { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 11, [zlib.constants.BROTLI_PARAM_LGWIN]: 22 } }).length;
const html = fs.readFileSync(path.join(dist, "index.html"), "utf8");
const lazy = new Set([...html.matchAll(/rel="linli-lazy" href="\/([^"]+)"/g)].map((m) => m[1]));
let first = 0, rest = 0;
for (const f of fs.readdirSync(dist).filter((f) => /\.(wasm|js|css|html)$/.test(f) && f !== "sw.js")) {
  const b = br(f); const l = lazy.has(f);
  if (l) rest += b; else first += b;
  console.log(`${l ? "lazy " : "first"} ${String(b).padStart(8)} ${String(fs.statSync(path.join(dist, f)).size).padStart(8)} ${f}`);
}
console.log(`first visit (brotli, wasm+js+css+html): ${(first / 1024).toFixed(1)} KB; lazy parts: ${(rest / 1024).toFixed(1)} KB`);

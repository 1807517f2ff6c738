// Trunk post_build hook (Trunk.toml): splits the app's wasm at its `#[wasm_split]` points
// (app/src/views/lazy.rs) into the main part, which the page loads, and the lazy parts,
// which load on first use. Trunk 0.21 has no split step, so this redoes Trunk's last steps
// on the same cargo output:
//   wasm-split-cli (pinned, scripts/tools.sh) → main wasm + lazy parts + their JS loader
//   wasm-bindgen --keep-lld-exports --no-demangle (the main part only)
//   wasm-opt -Oz on every part (release)
// then puts the results in Trunk's staging dir under content-hashed names, replacing the
// unsplit wasm and JS Trunk wrote, and rewrites index.html: the new names and integrity
// hashes, a modulepreload for the loader, and one `<link rel="linli-lazy">` per lazy part
// (browsers fetch nothing for it; the service worker reads it and caches every part
// before it adopts a new version).
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import fs from "node:fs";
import path from "node:path";

const NAME = "linli-app"; // the app's cargo bin (index.html data-bin)
const staging = need("TRUNK_STAGING_DIR");
const source = need("TRUNK_SOURCE_DIR");
const release = need("TRUNK_PROFILE") === "release";

function need(name) {
  const value = process.env[name];
  if (!value) throw new Error(`split_wasm: ${name} is not set (run by trunk's post_build hook)`);
  return value;
}

function run(cmd, args) {
  execFileSync(cmd, args, { stdio: ["ignore", "inherit", "inherit"], cwd: source });
}

const hash = (bytes) => createHash("sha256").update(bytes).digest("hex").slice(0, 16);
const integrity = (bytes) => "sha384-" + createHash("sha384").update(bytes).digest("base64");

// The wasm cargo just built for trunk (the profile index.html names for release builds).
const html = fs.readFileSync(path.join(staging, "index.html"), "utf8");
const page = fs.readFileSync(need("TRUNK_HTML_FILE"), "utf8");
const profile = release ? (page.match(/data-cargo-profile-release="([^"]+)"/) || [])[1] || "release" : "debug";
const metadata = JSON.parse(
  execFileSync("cargo", ["metadata", "--format-version=1", "--no-deps", "--offline"], { cwd: source, encoding: "utf8" }),
);
const target = metadata.target_directory;
const input = path.join(target, "wasm32-unknown-unknown", profile, `${NAME}.wasm`);
const work = path.join(target, "linli-split", profile);
fs.rmSync(work, { recursive: true, force: true });
const [splitDir, bindgenDir] = [path.join(work, "split"), path.join(work, "bindgen")];
fs.mkdirSync(splitDir, { recursive: true });

run("wasm-split-cli", [input, splitDir, "--out-name", NAME]);
run("wasm-bindgen", [
  "--target=web", `--out-dir=${bindgenDir}`, `--out-name=${NAME}`, "--no-typescript",
  "--keep-lld-exports", "--no-demangle", path.join(splitDir, `${NAME}.wasm`),
]);
const mainWasm = path.join(bindgenDir, `${NAME}_bg.wasm`);
const parts = fs.readdirSync(splitDir).filter((f) => f.endsWith(".wasm") && f !== `${NAME}.wasm`);
if (release) {
  for (const file of [mainWasm, ...parts.map((p) => path.join(splitDir, p))]) {
    run("wasm-opt", ["-Oz", file, "-o", file]);
  }
}

// Lazy parts: named by their own content.
let loader = fs.readFileSync(path.join(splitDir, "__wasm_split.js"), "utf8");
const lazy = [];
for (const part of parts) {
  const bytes = fs.readFileSync(path.join(splitDir, part));
  const named = `${NAME}-lazy-${path.basename(part, ".wasm").replace(/[^A-Za-z0-9_]/g, "_")}-${hash(bytes)}.wasm`;
  fs.writeFileSync(path.join(staging, named), bytes);
  loader = loader.replaceAll(`"./${part}"`, `"./${named}"`);
  lazy.push(named);
}

// The main wasm, its JS and the loader import each other: one hash of all of them.
const wasmBytes = fs.readFileSync(mainWasm);
let js = fs.readFileSync(path.join(bindgenDir, `${NAME}.js`), "utf8");
const build = hash(Buffer.concat([wasmBytes, Buffer.from(js), Buffer.from(loader)]));
const names = { js: `${NAME}-${build}.js`, wasm: `${NAME}-${build}_bg.wasm`, loader: `${NAME}-split-${build}.js` };
// Only the JS imports: the wasm's own import module keeps its name (the import object's keys).
const importLoader = / from "\.\/__wasm_split\.js"/g;
if (!importLoader.test(js)) throw new Error("split_wasm: the bindgen JS does not import ./__wasm_split.js");
js = js.replace(importLoader, ` from "./${names.loader}"`);
if (!loader.includes(`"./${NAME}.js"`)) throw new Error("split_wasm: the loader does not import the main JS");
loader = loader.replaceAll(`"./${NAME}.js"`, `"./${names.js}"`);
fs.writeFileSync(path.join(staging, names.wasm), wasmBytes);
fs.writeFileSync(path.join(staging, names.js), js);
fs.writeFileSync(path.join(staging, names.loader), loader);

// Trunk's unsplit files out, the split ones in.
const old = {
  js: (html.match(new RegExp(`/(${NAME}-[0-9a-f]+\\.js)`)) || [])[1],
  wasm: (html.match(new RegExp(`/(${NAME}-[0-9a-f]+_bg\\.wasm)`)) || [])[1],
};
if (!old.js || !old.wasm) throw new Error("split_wasm: index.html names no trunk wasm/js");
let out = html;
for (const key of ["js", "wasm"]) {
  if (old[key] !== names[key]) fs.rmSync(path.join(staging, old[key]), { force: true });
  out = out.replaceAll(old[key], names[key]);
}
// Integrity of the links that carry one (modulepreload of the JS, preload of the wasm).
out = out.replace(/<link\b[^>]*>/g, (tag) => {
  const href = (tag.match(/href="\/([^"]+)"/) || [])[1];
  if (!href || !/integrity="/.test(tag)) return tag;
  const file = path.join(staging, href);
  if (!fs.existsSync(file)) return tag;
  return tag.replace(/integrity="[^"]*"/, `integrity="${integrity(fs.readFileSync(file))}"`);
});
const preload = `<link rel="modulepreload" href="/${names.loader}" crossorigin="anonymous" integrity="${integrity(Buffer.from(loader))}">`;
const lazyLinks = lazy.map((f) => `<link rel="linli-lazy" href="/${f}">`).join("\n");
out = out.replace("</head>", `${preload}\n${lazyLinks}\n</head>`);
fs.writeFileSync(path.join(staging, "index.html"), out);

const kb = (f) => (fs.statSync(path.join(staging, f)).size / 1024).toFixed(0);
console.log(`split_wasm: main ${kb(names.wasm)} KB raw; ${lazy.length} lazy parts: ${lazy.map((f) => `${f} ${kb(f)} KB`).join(", ")}`);

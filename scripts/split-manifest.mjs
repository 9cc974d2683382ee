// Reads the loader wasm-split-cli wrote (__wasm_split.js, before minification) and prints which
// files each screen needs, as JSON: { "patient_home_…": ["chunk_6.wasm", …, "split_patient_home_….wasm"] }.
// The same shape as cargo-leptos's __wasm_split_manifest.json; bench/bundle-size.sh reads it to
// tell what each role downloads. (scripts/split-wasm.sh)
import fs from 'node:fs';

const source = fs.readFileSync(process.argv[2], 'utf8');
// One declaration per loader: `const __chunk_6 = makeLoad(…"./chunk_6.wasm"…, [deps]);` for a
// shared chunk, `export const __wasm_split_load_<screen> = wrapAsyncCb(makeLoad(…, [deps]));`
// for a screen.
const declarations = source.split(/\n(?=(?:export )?const __)/);
const files = {};
const screens = {};
for (const declaration of declarations) {
  const head = declaration.match(/^(?:export )?const (__\w+) = /);
  if (!head) continue;
  const file = declaration.match(/"\.\/([\w.-]+\.wasm)"/);
  const deps = declaration.match(/,\s*\[([^\]]*)\]\s*\)+;?\s*$/);
  const name = head[1];
  files[name] = file ? file[1] : null;
  const dependsOn = deps ? deps[1].split(',').map((d) => d.trim()).filter(Boolean) : [];
  if (name.startsWith('__wasm_split_load_')) screens[name.slice('__wasm_split_load_'.length)] = dependsOn;
}
if (Object.keys(screens).length === 0) {
  console.error('split-manifest: no screen loader found in ' + process.argv[2]);
  process.exit(1);
}
const manifest = {};
for (const [screen, deps] of Object.entries(screens)) {
  manifest[screen] = [...deps, `__wasm_split_load_${screen}`]
    .map((name) => files[name])
    .filter((file) => file !== null && file !== undefined);
}
console.log(JSON.stringify(manifest, null, 1));

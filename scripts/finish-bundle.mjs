// Last step of the release bundle (scripts/build-web.sh): minifies the JS in dist/ and writes,
// in dist/index.html, the integrity hash of every file it links.
//
// Trunk's own JS minifier (minify-js) gives up on wasm-bindgen's glue ("Failed to minify JS")
// and copies it as is; esbuild (end2end/node_modules) reads it: 43.7 → 19.7 kB raw, −1.4 kB
// brotli. It minifies __wasm_split.js (the loader of the screens' modules) too. Trunk writes a
// sha384 `integrity` for each file it links, and those files changed after it (minified here,
// split and bound again by scripts/split-wasm.sh), so each hash is computed again from the file
// itself; a linked file that is missing fails the build.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';

const dist = path.resolve(process.argv[2] ?? 'dist');
const require = createRequire(path.resolve('end2end/package.json'));
const esbuild = require('esbuild');

const integrity = (bytes) => 'sha384-' + createHash('sha384').update(bytes).digest('base64');

const scripts = fs.readdirSync(dist).filter((name) => name.endsWith('.js'));
if (scripts.length === 0) {
  console.error(`finish-bundle: no .js file in ${dist}`);
  process.exit(1);
}
for (const name of scripts) {
  const file = path.join(dist, name);
  const before = fs.readFileSync(file);
  const { code } = esbuild.transformSync(before.toString('utf8'), {
    minify: true,
    format: 'esm',
    target: 'es2020',
  });
  fs.writeFileSync(file, code);
  console.error(`finish-bundle: ${name} ${before.length} → ${Buffer.byteLength(code)} bytes`);
}

const indexPath = path.join(dist, 'index.html');
// Trunk minifies index.html: attribute values may be quoted or not.
const attr = (name) => new RegExp(`\\b${name}=("[^"]*"|[^\\s>]+)`);
let linked = 0;
const index = fs
  .readFileSync(indexPath, 'utf8')
  .replace(/<link\b[^>]*>/g, (tag) => {
    const href = tag.match(attr('href'));
    if (!href || !attr('integrity').test(tag)) return tag;
    const name = href[1].replace(/^"|"$/g, '').replace(/^\//, '');
    const file = path.join(dist, name);
    if (!fs.existsSync(file)) {
      console.error(`finish-bundle: index.html links ${name}, which is not in ${dist}`);
      process.exit(1);
    }
    linked += 1;
    return tag.replace(attr('integrity'), `integrity="${integrity(fs.readFileSync(file))}"`);
  });
if (linked === 0) {
  console.error('finish-bundle: index.html links no file with an integrity hash');
  process.exit(1);
}
fs.writeFileSync(indexPath, index);
console.error(`finish-bundle: ${linked} integrity hashes written`);

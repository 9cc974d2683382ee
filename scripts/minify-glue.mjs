// Minifies the JS glue that wasm-bindgen wrote into dist/ and updates its integrity hash in
// dist/index.html (run by scripts/build-web.sh after `trunk build --release`).
//
// Trunk's own JS minifier (minify-js) gives up on wasm-bindgen's output ("Failed to minify JS")
// and copies it as is; esbuild (end2end/node_modules) reads it: 43.7 → 19.7 kB raw, −1.4 kB
// brotli. Trunk writes a sha384 `integrity` for every file it links, so the new file's hash must
// replace the old one or the browser refuses the module.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';

const dist = path.resolve(process.argv[2] ?? 'dist');
const require = createRequire(path.resolve('end2end/package.json'));
const esbuild = require('esbuild');

const integrity = (bytes) => 'sha384-' + createHash('sha384').update(bytes).digest('base64');

const indexPath = path.join(dist, 'index.html');
let index = fs.readFileSync(indexPath, 'utf8');
const glue = fs.readdirSync(dist).filter((name) => name.endsWith('.js'));
if (glue.length === 0) {
  console.error(`minify-glue: no .js file in ${dist}`);
  process.exit(1);
}
for (const name of glue) {
  const file = path.join(dist, name);
  const before = fs.readFileSync(file);
  const { code } = esbuild.transformSync(before.toString('utf8'), {
    minify: true,
    format: 'esm',
    target: 'es2020',
  });
  const oldHash = integrity(before);
  const newHash = integrity(code);
  if (index.includes(oldHash)) {
    index = index.replaceAll(oldHash, newHash);
  } else if (index.includes(`${name}" integrity=`) || index.includes(`${name} integrity=`)) {
    console.error(`minify-glue: ${name} is linked with an integrity hash that is not its own`);
    process.exit(1);
  }
  fs.writeFileSync(file, code);
  console.error(`minify-glue: ${name} ${before.length} → ${Buffer.byteLength(code)} bytes`);
}
fs.writeFileSync(indexPath, index);

// The size of the built app (dist/), raw and gzipped; exits 1 when the gzipped total reaches the budget (500 kB).
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";

const BUDGET = 500 * 1024;
const root = new URL("../dist/", import.meta.url).pathname;
const files = [];
(function walk(dir) {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) walk(path); else files.push(path);
  }
})(root);
let raw = 0;
let gzipped = 0;
for (const path of files.sort()) {
  const data = readFileSync(path);
  const gz = gzipSync(data, { level: 9 }).length;
  raw += data.length;
  gzipped += gz;
  console.log(`${path.slice(root.length).padEnd(40)} ${(data.length / 1024).toFixed(1).padStart(8)} kB ${(gz / 1024).toFixed(1).padStart(8)} kB gzip`);
}
console.log(`total${" ".repeat(35)} ${(raw / 1024).toFixed(1).padStart(8)} kB ${(gzipped / 1024).toFixed(1).padStart(8)} kB gzip (budget ${BUDGET / 1024} kB)`);
if (gzipped >= BUDGET) {
  console.error(`The Mini App bundle is ${(gzipped / 1024).toFixed(1)} kB gzipped: over the ${BUDGET / 1024} kB budget.`);
  process.exit(1);
}

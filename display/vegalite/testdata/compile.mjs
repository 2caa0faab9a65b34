// Compiles each Vega-Lite spec named on the command line with Vega-Lite 4
// and Vega-Lite 5, parses the Vega each gives and runs it headless, as
// JupyterLab 3.6 (Vega-Lite 4) and JupyterLab 4 (Vega-Lite 5) would.
// Prints one line per spec and version; exits 1 on the first failure.
// Run by display/vegalite's TestSpecsCompile; `npm ci` in this folder
// installs what it imports.
import { readFileSync } from "node:fs";
import * as vega from "vega";
import * as vl4 from "vega-lite-4";
import * as vl5 from "vega-lite-5";

const versions = [["vega-lite 4", vl4], ["vega-lite 5", vl5]];
let failed = false;
for (const file of process.argv.slice(2)) {
  const spec = JSON.parse(readFileSync(file, "utf8"));
  for (const [name, vl] of versions) {
    const warnings = [];
    const logger = {
      level() { return this; },
      warn(...m) { warnings.push(m.join(" ")); return this; },
      info() { return this; },
      debug() { return this; },
      error(...m) { throw new Error(m.join(" ")); },
    };
    try {
      const vg = vl.compile(structuredClone(spec), { logger }).spec;
      const view = new vega.View(vega.parse(vg), { renderer: "none" });
      await view.runAsync();
      const rows = view.data("data_0")?.length ?? view.data("source_0")?.length ?? 0;
      const slid = await slide(view, vg);
      console.log(`ok ${file} ${name} (${vl.version}, vega ${vega.version}): ${rows} rows${slid}${warnings.length ? "; warnings: " + warnings.join("; ") : ""}`);
      view.finalize();
    } catch (e) {
      console.log(`FAIL ${file} ${name}: ${e.message}`);
      failed = true;
    }
  }
}
process.exit(failed ? 1 : 0);

// slide moves an explore chart's slider (the signal pick_k) through its
// positions and checks that the points' clusters change with it, as they
// do in a browser (the spec's clusterings must differ, as the test's do);
// it returns what it saw, "" for a chart without one.
async function slide(view, vg) {
  const bound = (vg.signals ?? []).find((s) => s.name === "pick_k" && s.bind);
  if (!bound) return "";
  const name = vg.data.map((d) => d.name).find((d) => view.data(d)?.[0]?.cluster !== undefined);
  if (!name) throw new Error("no data set carries the cluster the slider picks");
  const seen = [];
  for (let k = bound.bind.min; k <= bound.bind.max; k++) {
    await view.signal("pick_k", k).runAsync();
    const counts = {};
    for (const d of view.data(name)) counts[d.cluster] = (counts[d.cluster] ?? 0) + 1;
    seen.push(JSON.stringify(counts));
  }
  if (new Set(seen).size < 2) throw new Error("moving the slider did not change the clusters: " + seen[0]);
  return `; slider positions give ${seen.length} clusterings: ${seen.join(" | ")}`;
}

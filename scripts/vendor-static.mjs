// Copies the pinned front-end files from node_modules into the committed static tree,
// so running Karnameh needs neither Node nor a CDN (it may run on a closed network).
// Source maps are copied too: minified files reference them, and manifest collectstatic
// fails on a reference to a missing file.
import { cpSync, mkdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";

const out = "karnameh/static/vendor";
const files = [
  ["bootstrap/dist/css/bootstrap.rtl.min.css", "bootstrap/bootstrap.rtl.min.css"],
  ["bootstrap/dist/css/bootstrap.rtl.min.css.map", "bootstrap/bootstrap.rtl.min.css.map"],
  ["bootstrap/dist/js/bootstrap.bundle.min.js", "bootstrap/bootstrap.bundle.min.js"],
  ["bootstrap/dist/js/bootstrap.bundle.min.js.map", "bootstrap/bootstrap.bundle.min.js.map"],
  ["bootstrap/LICENSE", "bootstrap/LICENSE"],
  ["chart.js/dist/chart.umd.min.js", "chartjs/chart.umd.min.js"],
  ["chart.js/dist/chart.umd.min.js.map", "chartjs/chart.umd.min.js.map"],
  ["chart.js/LICENSE.md", "chartjs/LICENSE.md"],
  ["vazirmatn/fonts/webfonts/Vazirmatn[wght].woff2", "vazirmatn/Vazirmatn-wght.woff2"],
  ["vazirmatn/OFL.txt", "vazirmatn/OFL.txt"],
  // Static TTFs for PDFs: WeasyPrint embeds them and matplotlib draws chart labels with them.
  ["vazirmatn/fonts/ttf/Vazirmatn-Regular.ttf", "vazirmatn/Vazirmatn-Regular.ttf"],
  ["vazirmatn/fonts/ttf/Vazirmatn-Bold.ttf", "vazirmatn/Vazirmatn-Bold.ttf"],
  // axe-core is for the accessibility checks in the browser tests only.
  ["axe-core/axe.min.js", "../../../tests/vendor/axe.min.js"],
  ["axe-core/LICENSE", "../../../tests/vendor/axe-LICENSE"],
];
for (const [from, to] of files) {
  const target = join(out, to);
  mkdirSync(dirname(target), { recursive: true });
  cpSync(join("node_modules", from), target);
}
const lock = JSON.parse(readFileSync("package-lock.json", "utf8"));
for (const name of ["bootstrap", "chart.js", "vazirmatn", "axe-core"]) {
  console.log(`${name} ${lock.packages[`node_modules/${name}`].version}`);
}

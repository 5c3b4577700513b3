// Opens out/index.html from disk in Debian's chromium (through playwright-core,
// no downloaded browser), then checks what a reader would see:
//   - no console error, no uncaught exception, no request outside file://
//   - every figure has a non-empty inline SVG with model boxes
//   - in the evolution tree no two boxes overlap (bounding boxes at 100%)
//   - typing a model into the search box lists exactly its ancestors
//   - screenshots of the page, the evolution tree and one family
// usage: node check.mjs PAGE.html SHOT_DIR MODEL EXPECTED_ANCESTOR_IDS(comma) FIGURES
import { chromium } from 'playwright-core';
import { pathToFileURL } from 'node:url';

const [page_path, shots, model, expected, figures] = process.argv.slice(2);
const want = expected.split(',').filter(Boolean).sort();
let failed = 0, passed = 0;
const ok = (cond, what) => {
  if (cond) { passed++; } else { failed++; console.log(`browser: FAIL: ${what}`); }
};

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking',
         '--disable-component-update', '--disable-sync'],
});
try {
  const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
  const problems = [];
  page.on('console', (m) => { if (m.type() === 'error' || m.type() === 'warning') problems.push(`console ${m.type()}: ${m.text()}`); });
  page.on('pageerror', (e) => problems.push(`uncaught: ${e.message}`));
  page.on('request', (r) => { if (!r.url().startsWith('file:')) problems.push(`request: ${r.url()}`); });
  await page.goto(pathToFileURL(page_path).href, { waitUntil: 'load' });

  // figures: present, inline, non-empty
  const figs = await page.$$eval('section.fig', (els) => els.map((s) => {
    const svg = s.querySelector('svg');
    const box = svg ? svg.getBBox() : { width: 0, height: 0 };
    return { id: s.id, svg: !!svg, w: box.width, h: box.height,
             nodes: svg ? svg.querySelectorAll('g.node.model').length : 0 };
  }));
  ok(figs.length === Number(figures), `${figs.length} figures, expected ${figures}`);
  for (const f of figs)
    ok(f.svg && f.w > 50 && f.h > 50 && f.nodes > 0, `figure ${f.id}: svg ${f.svg}, ${f.w}x${f.h}, ${f.nodes} model boxes`);
  const cards = await page.$$eval('article.card', (els) => els.length);
  ok(cards > 0, 'model cards present');

  // the evolution tree: no two boxes (models, axis, summaries) overlap
  const overlaps = await page.$eval('#evolution svg', (svg) => {
    const boxes = [...svg.querySelectorAll('g.node')].map((g) => {
      const r = g.getBoundingClientRect();
      return { id: g.id, x0: r.left, y0: r.top, x1: r.right, y1: r.bottom };
    });
    const bad = [];
    for (let i = 0; i < boxes.length; i++)
      for (let j = i + 1; j < boxes.length; j++) {
        const a = boxes[i], b = boxes[j];
        if (a.x0 < b.x1 - 1 && b.x0 < a.x1 - 1 && a.y0 < b.y1 - 1 && b.y0 < a.y1 - 1)
          bad.push(`${a.id} / ${b.id}`);
      }
    return { n: boxes.length, bad };
  });
  ok(overlaps.n > 10 && overlaps.bad.length === 0,
     `evolution tree: ${overlaps.n} boxes, overlapping: ${overlaps.bad.slice(0, 5).join(', ')}`);
  // at 100% zoom the SVG is drawn at its natural size: text is readable
  const scale = await page.$eval('#evolution svg', (svg) => svg.getBoundingClientRect().width / svg.width.baseVal.value);
  ok(Math.abs(scale - 1) < 0.01, `evolution tree drawn at ${scale}x`);

  await page.screenshot({ path: `${shots}/page.png` });
  await page.locator('#evolution .scroll').screenshot({ path: `${shots}/evolution.png` });
  await page.locator('section.fig').nth(1).locator('.scroll').screenshot({ path: `${shots}/family.png` });

  // search: type the model, the ancestors listed are exactly its ancestors
  await page.locator('#q').pressSequentially(model, { delay: 20 });
  await page.waitForSelector('#ancestors li', { timeout: 10000 })
    .catch(() => ok(false, `no ancestor list after typing ${model}: ${problems.join(' | ')}`));
  const got = (await page.$$eval('#ancestors li[data-id]', (els) => els.map((e) => e.dataset.id))).sort();
  ok(JSON.stringify(got) === JSON.stringify(want), `ancestors of ${model}: got ${got.join(',')}; want ${want.join(',')}`);
  const hits = await page.$$eval('g.node.hit', (els) => els.length);
  ok(hits >= want.length, `${hits} boxes highlighted for ${want.length} ancestors`);
  await page.screenshot({ path: `${shots}/search.png` });

  // a card link from the results works (same page, no navigation away)
  await page.locator('#ancestors li a').first().click();
  ok((await page.evaluate(() => location.hash)).startsWith('#card-'), 'result links to a card');

  ok(problems.length === 0, `page problems: ${problems.join(' | ')}`);
} finally {
  await browser.close();
}
console.log(`browser: ${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);

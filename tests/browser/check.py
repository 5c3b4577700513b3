#!/usr/bin/python3
"""Opens out/index.html from disk in Debian's chromium, driven by Debian's
python3-selenium through chromium-driver (no npm, no downloaded browser), and
checks what a reader would see:
  - no console error or warning, no uncaught exception, no request outside file://
  - every figure has a non-empty inline SVG with model boxes
  - in the evolution tree no two boxes overlap (bounding boxes at 100%)
  - the evolution tree opens fitted: its whole box within the window, the
    page no wider than the window
  - typing a model into the search box lists exactly its ancestors, and
    scrolls the window (tree fitted), or the tree's box and the window (at
    100%), to the model's own box, the first hit, in view below the header
  - screenshots of the page, the evolution tree and one family
usage: check.py PAGE.html SHOT_DIR MODEL EXPECTED_ANCESTOR_IDS(comma) FIGURES
Exit 0 when every check passed, 1 otherwise."""
import os
import pathlib
import sys
import time

from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By

page_path, shots, model, expected, figures = sys.argv[1:6]
want = sorted(x for x in expected.split(",") if x)
passed = failed = 0


def ok(cond, what):
    global passed, failed
    if cond:
        passed += 1
    else:
        failed += 1
        print(f"browser: FAIL: {what}")


# r within the window, below the sticky header when below > 0
VIEW_JS = """
    function inView(r, below) {
      return r.left >= -1 && r.top >= below - 1 && r.bottom <= innerHeight + 1
          && r.right <= document.documentElement.clientWidth + 1;
    }"""

# The evolution tree's box of the model the search shows (the result's
# heading links to its card, '#card-<index>'), and where it is once the
# page's pause after typing has passed: {id, inView (below the header), inBox}.
FIRST_JS = VIEW_JS + """
    const data = JSON.parse(document.getElementById('lineage-data').textContent);
    const a = document.querySelector('#result h2 a');
    if (!a) return {id: null};
    const m = data.models[+a.getAttribute('href').slice(6)];
    const n = document.getElementById(data.figures[0] + m.dom);
    if (!n) return {id: null};
    const r = n.getBoundingClientRect(), b = n.closest('.scroll').getBoundingClientRect();
    const head = document.querySelector('header').getBoundingClientRect().bottom;
    return {id: n.id, r: [r.left, r.top, r.right, r.bottom], scrollY: scrollY,
            vh: innerHeight, head: head,
            inView: n.classList.contains('hit') && inView(r, head),
            inBox: r.left >= b.left && r.right <= b.right && r.top >= b.top && r.bottom <= b.bottom};"""


def search_first(text):
    """Types text (None: it is typed already), waits past the page's pause
    after typing, and says where the first hit is."""
    if text is not None:
        driver.find_element(By.ID, "q").send_keys(text)
    time.sleep(0.8)
    return driver.execute_script(FIRST_JS)


opts = webdriver.ChromeOptions()
opts.binary_location = os.environ.get("CHROMIUM", "/usr/bin/chromium")
for a in ("--headless=new", "--no-sandbox", "--disable-gpu", "--no-first-run",
          "--disable-background-networking", "--disable-component-update", "--disable-sync",
          "--window-size=1400,1000"):
    opts.add_argument(a)
opts.set_capability("goog:loggingPrefs", {"browser": "ALL"})
service = Service(os.environ.get("CHROMEDRIVER", "/usr/bin/chromedriver"))
driver = webdriver.Chrome(service=service, options=opts)
try:
    driver.get(pathlib.Path(page_path).resolve().as_uri())

    # figures: present, inline, non-empty
    figs = driver.execute_script("""
        return [...document.querySelectorAll('section.fig')].map((s) => {
          const svg = s.querySelector('svg');
          const box = svg ? svg.getBBox() : {width: 0, height: 0};
          return {id: s.id, svg: !!svg, w: box.width, h: box.height,
                  nodes: svg ? svg.querySelectorAll('g.node.model').length : 0};
        });""")
    ok(len(figs) == int(figures), f"{len(figs)} figures, expected {figures}")
    for f in figs:
        ok(f["svg"] and f["w"] > 50 and f["h"] > 50 and f["nodes"] > 0,
           f"figure {f['id']}: svg {f['svg']}, {f['w']}x{f['h']}, {f['nodes']} model boxes")
    cards = driver.execute_script("return document.querySelectorAll('article.card').length")
    ok(cards > 0, "model cards present")

    # the evolution tree opens whole, fitted into its box
    fit = driver.execute_script("""
        const box = document.querySelector('#evolution .scroll'), svg = box.querySelector('svg');
        const r = svg.getBoundingClientRect();
        return {fit: box.classList.contains('fit'), w: r.width, h: r.height,
                bw: box.clientWidth, bh: box.clientHeight, sw: box.scrollWidth, sh: box.scrollHeight};""")
    ok(fit["fit"] and fit["sw"] <= fit["bw"] + 1 and fit["sh"] <= fit["bh"] + 1,
       f"evolution tree not fitted at first: {fit}")
    # ... and the whole tree is on the first screen: its bounding box within
    # the window (the page itself no wider than the window)
    win = driver.execute_script(VIEW_JS + """
        const r = document.querySelector('#evolution svg').getBoundingClientRect();
        return {r: [r.left, r.top, r.right, r.bottom], inside: inView(r, 0),
                vw: document.documentElement.clientWidth, vh: innerHeight,
                pw: document.documentElement.scrollWidth};""")
    ok(win["inside"], f"evolution tree not within the window at load: {win}")
    ok(win["pw"] <= win["vw"], f"page wider than the window: {win}")
    driver.save_screenshot(f"{shots}/fitted.png")

    # search with the tree fitted: the window scrolls to the model's box
    first = search_first(model)
    ok(first["id"] and first["inView"],
       f"fitted: search did not scroll the window to the first hit: {first}")
    driver.save_screenshot(f"{shots}/search-fitted.png")
    driver.execute_script("""const q = document.getElementById('q');
        q.value = ''; q.dispatchEvent(new Event('input')); scrollTo(0, 0);""")

    # then at 100%, as the zoom button gives it
    driver.find_element(By.CSS_SELECTOR, "#evolution button.zoom").click()

    # the evolution tree: no two boxes (models, axis, summaries) overlap
    ov = driver.execute_script("""
        const svg = document.querySelector('#evolution svg');
        const boxes = [...svg.querySelectorAll('g.node')].map((g) => {
          const r = g.getBoundingClientRect();
          return {id: g.id, x0: r.left, y0: r.top, x1: r.right, y1: r.bottom};
        });
        const bad = [];
        for (let i = 0; i < boxes.length; i++)
          for (let j = i + 1; j < boxes.length; j++) {
            const a = boxes[i], b = boxes[j];
            if (a.x0 < b.x1 - 1 && b.x0 < a.x1 - 1 && a.y0 < b.y1 - 1 && b.y0 < a.y1 - 1)
              bad.push(`${a.id} / ${b.id}`);
          }
        return {n: boxes.length, bad: bad};""")
    ok(ov["n"] > 10 and not ov["bad"],
       f"evolution tree: {ov['n']} boxes, overlapping: {', '.join(ov['bad'][:5])}")
    # at 100% zoom the SVG is drawn at its natural size: text is readable
    scale = driver.execute_script("""
        const svg = document.querySelector('#evolution svg');
        return svg.getBoundingClientRect().width / svg.width.baseVal.value;""")
    ok(abs(scale - 1) < 0.01, f"evolution tree drawn at {scale}x")

    driver.save_screenshot(f"{shots}/page.png")
    driver.find_element(By.CSS_SELECTOR, "#evolution .scroll").screenshot(f"{shots}/evolution.png")
    figs_el = driver.find_elements(By.CSS_SELECTOR, "section.fig")
    if len(figs_el) > 1:
        figs_el[1].find_element(By.CSS_SELECTOR, ".scroll").screenshot(f"{shots}/family.png")

    # search: type the model, the ancestors listed are exactly its ancestors
    driver.find_element(By.ID, "q").send_keys(model)
    got = []
    for _ in range(100):
        got = sorted(driver.execute_script(
            "return [...document.querySelectorAll('#ancestors li[data-id]')].map((e) => e.dataset.id)"))
        if got:
            break
        time.sleep(0.1)
    ok(got == want, f"ancestors of {model}: got {','.join(got)}; want {','.join(want)}")
    hits = driver.execute_script("return document.querySelectorAll('g.node.hit').length")
    ok(hits >= len(want), f"{hits} boxes highlighted for {len(want)} ancestors")
    # the evolution tree at 100% scrolled to show a highlighted box
    seen = driver.execute_script("""
        const box = document.querySelector('#evolution .scroll'), b = box.getBoundingClientRect();
        return [...box.querySelectorAll('g.node.hit')].some((n) => {
          const r = n.getBoundingClientRect();
          return r.left >= b.left && r.right <= b.right && r.top >= b.top && r.bottom <= b.bottom;
        });""")
    ok(seen, "search did not scroll the evolution tree to a highlighted box")
    first = search_first(None)
    ok(first["id"] and first["inBox"] and first["inView"],
       f"100%: search did not scroll the tree's box and the window to the first hit: {first}")
    driver.save_screenshot(f"{shots}/search.png")

    # a card link from the results works (same page, no navigation away)
    links = driver.find_elements(By.CSS_SELECTOR, "#ancestors li a")
    if links:
        driver.execute_script("arguments[0].click()", links[0])
    ok(bool(links) and driver.execute_script("return location.hash").startswith("#card-"),
       "result links to a card")
    # ... shown below the sticky header, not under it
    card = driver.execute_script("""
        const c = document.querySelector(location.hash), r = c.getBoundingClientRect();
        return {top: r.top, head: document.querySelector('header').getBoundingClientRect().bottom,
                vh: innerHeight};""") if links else {"top": -1, "head": 0, "vh": 0}
    ok(card["head"] - 1 <= card["top"] < card["vh"], f"the card is not in view below the header: {card}")

    # no request left the disk; no console error or warning
    remote = driver.execute_script("""
        return performance.getEntriesByType('resource').map((e) => e.name)
          .filter((u) => !u.startsWith('file:') && !u.startsWith('data:'));""")
    ok(not remote, f"requests outside file://: {', '.join(remote[:3])}")
    logs = [e for e in driver.get_log("browser") if e.get("level") in ("SEVERE", "WARNING")]
    ok(not logs, "console: " + " | ".join(e.get("message", "") for e in logs[:3]))
finally:
    driver.quit()
print(f"browser: {passed} passed, {failed} failed")
sys.exit(1 if failed else 0)

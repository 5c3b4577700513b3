#!/usr/bin/python3
"""Renders Mermaid diagrams written by lineage in a real Mermaid, offline.

Debian's chromium, headless through python3-selenium and chromedriver,
opens a page from disk that loads mermaid.min.js (from npm, never fetched
by this script) and renders each .mmd given, with securityLevel 'strict'.
For each diagram it checks that

  - it renders (a stray "%%{init:{}}%%" breaks the whole diagram) with one
    box per node line;
  - no directive was applied: the diagram's CSS is exactly the CSS of the
    same diagram with every label replaced by "x" (a "%%{init: ...}%%" in a
    label switched the theme and injected themeCSS with url(https://...));
  - the page asked for nothing but file: and data: URLs.

A control diagram with the directive written raw must fail the CSS check
(else the harness could not see the attack) and is reported as such.

usage: mermaid.py MERMAID_JS FILE.mmd...   (exit 0 ok, 1 a failure)
"""
import json
import os
import re
import sys
import tempfile

from selenium import webdriver
from selenium.webdriver.chrome.options import Options
from selenium.webdriver.chrome.service import Service

PAGE = """<!DOCTYPE html><html><head><meta charset="utf-8"></head><body>
<div id="out"></div>
<script src="%s"></script>
<script>
window.results = null;
(async function () {
  const diagrams = %s, out = [];
  mermaid.initialize({startOnLoad: false, securityLevel: 'strict'});
  for (let i = 0; i < diagrams.length; i++) {
    try {
      const r = await mermaid.render('d' + i, diagrams[i]);
      const box = document.createElement('div');
      box.innerHTML = r.svg;
      document.getElementById('out').appendChild(box);
      const svg = box.querySelector('svg'), style = svg.querySelector('style');
      out.push({ok: true, nodes: svg.querySelectorAll('g.node').length,
                css: style ? style.textContent.split('#d' + i).join('#ID') : ''});
    } catch (e) {
      out.push({ok: false, error: String(e && e.message || e)});
    }
  }
  window.results = out;
})();
</script></body></html>"""

LABEL = re.compile(r'(\["|\[\["|\("|\{")(.*?)("\]|"\]\]|"\)|"\})')
TITLE = re.compile(r'^title: .*$', re.M)


def plain(text):
    """The same diagram with every label and the title replaced by 'x'."""
    text = TITLE.sub('title: "x"', text, count=1)
    return LABEL.sub(lambda m: m.group(1) + 'x' + m.group(3), text)


def node_lines(text):
    return len(re.findall(r'^\s+\w+(\["|\[\[")', text, re.M))


def render(driver, tmp, js, diagrams, name):
    """Renders diagrams on a page of their own: (results, outside URLs asked for)."""
    page = os.path.join(tmp, name + '.html')
    with open(page, 'w', encoding='utf-8') as f:
        f.write(PAGE % ('file://' + js, json.dumps(diagrams).replace('</', '<\\/')))
    driver.get_log('performance')  # drop what came before
    driver.get('file://' + page)
    results = driver.execute_async_script(
        'const done = arguments[0];'
        '(function wait() { if (window.results) done(window.results); else setTimeout(wait, 50); })();')
    requests = []
    for entry in driver.get_log('performance'):
        msg = json.loads(entry['message'])['message']
        if msg.get('method') == 'Network.requestWillBeSent':
            url = msg['params']['request']['url']
            if not url.startswith(('file:', 'data:', 'chrome:', 'chrome-')):
                requests.append(url)
    return results, requests


def main():
    if len(sys.argv) < 3:
        print(__doc__)
        return 2
    js = os.path.abspath(sys.argv[1])
    files = sys.argv[2:]
    texts = [open(f, encoding='utf-8').read() for f in files]
    control = ('---\ntitle: "control"\n---\nflowchart LR\n'
               '  a["%%{init: {\'theme\':\'dark\',\'themeCSS\':\'.label{background-image:'
               'url(https://example.org/x.png)}\'}}%% A"]\n  b["B"]\n  a --> b\n')
    diagrams = []
    for t in texts + [control]:
        diagrams += [t, plain(t)]
    tmp = tempfile.mkdtemp()
    opts = Options()
    opts.binary_location = os.environ.get('CHROMIUM', '/usr/bin/chromium')
    for a in ('--headless', '--no-sandbox', '--disable-gpu', '--no-first-run',
              '--disable-background-networking', '--disable-component-update',
              '--allow-file-access-from-files', '--user-data-dir=' + os.path.join(tmp, 'profile'),
              # nothing leaves the machine; requests are still seen in the log
              '--host-resolver-rules=MAP * ~NOTFOUND'):
        opts.add_argument(a)
    opts.set_capability('goog:loggingPrefs', {'performance': 'ALL'})
    driver = webdriver.Chrome(service=Service(os.environ.get('CHROMEDRIVER', '/usr/bin/chromedriver')),
                              options=opts)
    try:
        driver.set_script_timeout(120)
        results, requests = render(driver, tmp, js, diagrams[:-2], 'page')
        control, control_requests = render(driver, tmp, js, diagrams[-2:], 'control')
    finally:
        driver.quit()
    results += control
    failed = passed = 0
    names = files + ['(control)']
    for i, name in enumerate(names):
        got, ref = results[2 * i], results[2 * i + 1]
        problems = []
        if not got['ok']:
            problems.append('does not render: ' + got['error'])
        elif not ref['ok']:
            problems.append('the plain version does not render: ' + ref['error'])
        else:
            if i < len(files) and got['nodes'] < node_lines(texts[i]):
                problems.append('%d boxes for %d nodes' % (got['nodes'], node_lines(texts[i])))
            if got['css'] != ref['css']:
                problems.append('a directive changed the diagram\'s CSS')
        if name == '(control)':
            if problems:
                print('mermaid: the control (a raw directive) is caught: ' + '; '.join(problems))
                passed += 1
            else:
                print('mermaid: FAIL: the control diagram with a raw directive passed: the checks see nothing')
                failed += 1
        elif problems:
            print('mermaid: FAIL: %s: %s' % (name, '; '.join(problems)))
            failed += 1
        else:
            passed += 1
    if requests:
        print('mermaid: FAIL: lineage\'s diagrams asked for %s' % ', '.join(sorted(set(requests))))
        failed += 1
    else:
        passed += 1
    print('mermaid: the control asked for %s' % (', '.join(sorted(set(control_requests))) or 'nothing'))
    print('%d passed, %d failed' % (passed, failed))
    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main())

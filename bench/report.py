#!/usr/bin/env python3
"""Helpers for bench/run.sh.

    report.py compare RUNDIR           lineage's answers against the peer's
    report.py record RUNDIR OUT.json   one size's measurements as JSON
    report.py table OUT.md REC.json... the Markdown results table

RUNDIR holds, for each lineage call NAME, NAME.out (standard output),
NAME.time ('SECONDS KB': wall time, peak RSS) and NAME.rc (exit status);
the warm calls through the resident server as NAME, without it (each
opening the image itself) as NAME_local;
the same for the SQLite peer's calls (sqlite_load, sqlite_QUERY) and the
libyaml floor (floor), plus peer.json, peer.time, peer.rc and the NetworkX
peer's answers in peer/ (absent when it was skipped).
"""
import json
import os
import re
import sys

CALLS = ["check", "cache_build", "cache_open", "ancestors", "descendants", "roots",
         "mid_descendants", "mid_ancestors"]
QUERY_CALLS = CALLS[3:]
QUERIES = ["ancestors", "descendants", "roots", "neighbourhood"]
POINT_CALLS = ["show", "is_ancestor"]
NOTES_MARKER = "<!-- findings: kept by report.py when the tables above are rewritten -->"
SQLITE_QUERIES = ["ancestors", "descendants", "mid_descendants", "mid_ancestors"]


def read(path, default=None):
    try:
        with open(path, encoding="utf-8") as f:
            return f.read()
    except OSError:
        return default


def hits(text):
    """A JSON answer as a sorted list of (distance, id, relation, name, stage)
    and a map id -> via."""
    items = json.loads(text)
    return (sorted((h["distance"], h["id"], h["relation"], h["name"], h["stage"])
                   for h in items), {h["id"]: h["via"] for h in items})


ROOT_LINE = re.compile(r"^\s*(\d+)\.\s.*\[([^\]]+)\]\s+(\d+)\s+(.*?)\s*$")


def roots(text):
    out = []
    for line in text.splitlines():
        m = ROOT_LINE.match(line)
        if m:
            out.append((int(m[1]), m[2], int(m[3]), re.sub(r"\s+", " ", m[4])))
    return out


def compare(rundir):
    """Prints one line per answer; returns the number that differ."""
    bad = 0
    for name in QUERY_CALLS + POINT_CALLS:
        served = read(os.path.join(rundir, name + ".out"))
        local = read(os.path.join(rundir, name + "_local.out"))
        if served is None or local is None:
            continue
        same = served == local and read(os.path.join(rundir, name + ".rc")) == \
            read(os.path.join(rundir, name + "_local.rc"))
        print(f"  server {name}: {'byte-identical' if same else 'DIFFERENT'} to lineage without it")
        if not same:
            bad += 1
    for name in SQLITE_QUERIES:
        mine = read(os.path.join(rundir, name + ".out"))
        theirs = read(os.path.join(rundir, "sqlite_" + name + ".out"))
        if mine is None or theirs is None or \
                read(os.path.join(rundir, "sqlite_" + name + ".rc"), "1").strip() != "0":
            print(f"  sqlite {name}: not compared (a side has no answer)")
            continue
        a = sorted((h["distance"], h["id"], h["name"], h["stage"]) for h in json.loads(mine))
        b = sorted((h["distance"], h["id"], h["name"], h["stage"]) for h in json.loads(theirs))
        same = a == b
        print(f"  sqlite {name}: {'same' if same else 'DIFFERENT'} {len(a)} models "
              f"(ids, distances, names, stages)")
        if not same:
            bad += 1
    if read(os.path.join(rundir, "peer.json")) is None:
        print("  networkx: skipped")
        return bad
    for name in CALLS[3:]:
        mine = read(os.path.join(rundir, name + ".out"))
        ext = ".txt" if name == "roots" else ".json"
        theirs = read(os.path.join(rundir, "peer", name + ext))
        if mine is None or theirs is None or read(os.path.join(rundir, name + ".rc"), "1").strip() != "0":
            print(f"  {name}: not compared (a side has no answer)")
            continue
        if name == "roots":
            a, b = roots(mine), roots(theirs)
            same = a == b and len(a) > 0
            print(f"  {name}: {'same' if same else 'DIFFERENT'} top {len(a)} "
                  f"(ids, counts and counts by relation)")
        else:
            (a, va), (b, vb) = hits(mine), hits(theirs)
            same = a == b
            ties = sum(va[i] != vb.get(i) for i in va) if same else 0
            print(f"  {name}: {'same' if same else 'DIFFERENT'} {len(a)} models "
                  f"(ids, distances, relations)" +
                  (f"; 'via' differs for {ties} (ties between equally short chains)"
                   if ties else ""))
        if not same:
            bad += 1
    return bad


def timed(rundir, name):
    """(seconds, peak KB, status) of one /usr/bin/time'd call."""
    rc = int((read(os.path.join(rundir, name + ".rc"), "-1").strip() or -1))
    t = (read(os.path.join(rundir, name + ".time"), "") or "").strip().splitlines()
    sec = kb = None
    if t:
        parts = t[-1].split()
        if len(parts) == 2:
            sec, kb = float(parts[0]), int(parts[1])
    status = "ok" if rc == 0 else "timeout" if rc == 124 else f"exit {rc}"
    return sec, kb, status


def one_process(rundir, name, report):
    """A tool run once in one process (the NetworkX peer, bench/inproc.c): its
    time, peak RSS and status, and the JSON report it wrote (empty if none)."""
    sec, kb, status = timed(rundir, name)
    try:
        rep = json.loads(read(os.path.join(rundir, report), "{}") or "{}")
    except ValueError:
        rep = {}
    return {"process_s": sec, "peak_kb": kb, "status": status, "report": rep}


def record(rundir, out):
    meta = json.loads(read(os.path.join(rundir, "meta.json")))

    def count(*names):
        try:
            return sum(len(json.loads(read(os.path.join(rundir, n + ".out")))) for n in names)
        except (TypeError, ValueError):
            return None
    meta["ancestors"] = count("ancestors")
    meta["descendants"] = count("descendants")
    meta["neighbourhood"] = count("mid_descendants", "mid_ancestors")
    kb = read(os.path.join(rundir, "cache.kb"))
    meta["cache_kb"] = int(kb) if kb and kb.strip().isdigit() else None
    top = read(os.path.join(rundir, "is_ancestor.top"))
    meta["is_ancestor_top"] = top.strip() if top else None
    kb = read(os.path.join(rundir, "sqlite.kb"))
    meta["sqlite_kb"] = int(kb) if kb and kb.strip().isdigit() else None
    lin = {name: dict(zip(("s", "kb", "status"), timed(rundir, name))) for name in CALLS}
    point = {name: dict(zip(("s", "kb", "status"), timed(rundir, name)))
             for name in POINT_CALLS}
    local = {name: dict(zip(("s", "kb", "status"), timed(rundir, name + "_local")))
             for name in QUERY_CALLS + POINT_CALLS
             if read(os.path.join(rundir, name + "_local.rc")) is not None}
    sq = {name: dict(zip(("s", "kb", "status"), timed(rundir, "sqlite_" + name)))
          for name in ["load"] + SQLITE_QUERIES}
    floor = dict(zip(("s", "kb", "status"), timed(rundir, "floor")))
    rec = {"meta": meta, "lineage": lin, "point": point, "local": local, "sqlite": sq,
           "floor": floor}
    if read(os.path.join(rundir, "peer.json")) is not None:
        rec["peer"] = one_process(rundir, "peer", "peer.json")
    else:
        # the NetworkX peer was skipped (NETWORKX_MAX): keep an earlier run's
        try:
            old = json.loads(read(out, "") or "{}")
        except ValueError:
            old = {}
        if "peer" in old:
            rec["peer"] = old["peer"]
            rec["peer"]["from"] = (old["peer"].get("from") or
                                   f"{old['meta'].get('date')}, lineage {old['meta'].get('commit')}")
    if read(os.path.join(rundir, "inproc.rc")) is not None:
        rec["inproc"] = one_process(rundir, "inproc", "inproc.out")
    with open(out, "w") as f:
        json.dump(rec, f, indent=1)
        f.write("\n")


def fmt(x, digits=3):
    if x is None:
        return "–"
    if digits == 3 and x <= 0:
        return "≈0"
    if digits == 3 and x < 0.0005:
        return f"{x:.4f}"
    return f"{x:.{digits}f}"


def size_name(n):
    return f"{n // 1000000}M" if n % 1000000 == 0 else f"{n // 1000}k" if n % 1000 == 0 else str(n)


def lineage_row(lin):
    """Per-phase seconds of the CLI with a warm cache: the load is opening
    the image (`lineage cache` on a fresh one), each query (its call - that
    load); the one-load total, the sum of the calls on the warm cache, the
    peak RSS in MB, and a note on calls that did not finish."""
    load = lin.get("cache_open") or lin["check"]
    notes = [f"`{k}` {v['status']}" + (f" after {v['s']:.0f} s" if v["s"] else "")
             for k, v in lin.items() if v["status"] != "ok"]

    def q(*names):
        if load["status"] != "ok" or any(lin[n]["status"] != "ok" for n in names):
            return None
        # below zero is process-start noise: the query took no measurable time
        return sum(max(0.0, lin[n]["s"] - load["s"]) for n in names)

    phases = {"load": load["s"] if load["status"] == "ok" else None,
              "ancestors": q("ancestors"), "descendants": q("descendants"),
              "roots": q("roots"), "neighbourhood": q("mid_descendants", "mid_ancestors")}
    total = None if any(v is None for v in phases.values()) else sum(phases.values())
    calls = sum(lin[k]["s"] or 0 for k in QUERY_CALLS if k in lin)
    if notes:
        calls = None
    rss = max((lin[k]["kb"] or 0) for k in QUERY_CALLS + ["cache_open"] if k in lin) / 1024
    return phases, total, calls, rss, notes


def ratio(a, b):
    if not a or not b or a <= 0 or b <= 0:
        return "–"
    x = a / b
    return f"**{x:.0f}×**" if x >= 10 else f"**{x:.1f}×**" if x >= 1 else f"**{x:.2g}×**"


def one_process_row(label, n, p):
    """A row for a tool run in one process (the peer, or bench/inproc.c):
    (the Markdown row, its seconds by phase, its peak RSS MB)."""
    s = p["report"].get("seconds", {})
    rss = (p["peak_kb"] or 0) / 1024
    if p["status"] != "ok" or "total" not in s:
        return (f"| {n} | {label} | {p['status']} | | | | | | {fmt(p['process_s'], 0)} | |",
                None, rss)
    return (f"| {n} | {label} | {fmt(s['load_validate'])} | " +
            " | ".join(fmt(s[k]) for k in QUERIES) +
            f" | {fmt(s['total'])} | {fmt(p['process_s'], 2)} | {rss:.0f} |", s, rss)


def ratio_row(label, n, s, load, phases, total, proc, proc_lin, rss, rss_lin):
    return (f"| {n} | {label} | {ratio(s['load_validate'], load)} | " +
            " | ".join(ratio(s[k], phases[k]) for k in QUERIES) +
            f" | {ratio(s['total'], total)} | {ratio(proc, proc_lin)} | {ratio(rss, rss_lin)} |")


def table(out, recs):
    recs = sorted(recs, key=lambda r: r["meta"]["models"])
    lines = [
        "| models | tool | load + validate s | ancestors s | descendants s | roots s "
        "| neighbourhood s | total s | all processes s | peak RSS MB |",
        "|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    foot = []
    for r in recs:
        m = r["meta"]
        n = size_name(m["models"])
        phases, total, calls, rss, notes = lineage_row(r["lineage"])
        lines.append(f"| {n} | lineage CLI, warm cache | {fmt(phases['load'])} | " +
                     " | ".join(fmt(phases[k]) for k in QUERIES) +
                     f" | {fmt(total)} | {fmt(calls, 2)} | {rss:.0f} |")
        ip = r.get("inproc")
        ips = iprss = None
        if ip:
            row, ips, iprss = one_process_row("lineage, 1 process", n, ip)
            lines.append(row)
        s = None
        if "peer" in r:
            label = "NetworkX" + (f" (earlier run: {r['peer']['from']})" if r["peer"].get("from")
                                  else "")
            row, s, prss = one_process_row(label, n, r["peer"])
            lines.append(row)
        if s:
            lines.append(ratio_row("NetworkX ÷ lineage CLI, warm", n, s, phases["load"], phases,
                                   total, r["peer"]["process_s"], calls, prss, rss))
            if ips:
                lines.append(ratio_row("NetworkX ÷ lineage, 1 process", n, s,
                                       ips["load_validate"], ips, ips["total"],
                                       r["peer"]["process_s"], ip["process_s"], prss, iprss))
        if "sqlite" in r:
            sq = r["sqlite"]
            sqt = {"ancestors": sq["ancestors"]["s"], "descendants": sq["descendants"]["s"],
                   "neighbourhood": (sq["mid_descendants"]["s"] or 0) + (sq["mid_ancestors"]["s"] or 0)}
            lines.append(f"| {n} | SQLite, sqlite3 CLI per query | {fmt(sq['load']['s'])} (once) | "
                         f"{fmt(sqt['ancestors'])} | {fmt(sqt['descendants'])} | – | "
                         f"{fmt(sqt['neighbourhood'])} | – | {fmt(sum(sqt.values()), 2)} | "
                         f"{max((sq[k]['kb'] or 0) for k in SQLITE_QUERIES) / 1024:.0f} |")
        if r.get("floor", {}).get("s") is not None:
            lines.append(f"| {n} | libyaml bare parse (floor) | {fmt(r['floor']['s'])} | – | – | – "
                         f"| – | – | {fmt(r['floor']['s'], 2)} | {(r['floor']['kb'] or 0) / 1024:.0f} |")
        foot.append(f"- {n}: {m['models']:,} models, {m['edges']:,} edges, "
                    f"{m['bytes'] / 1e6:.1f} MB; leaf `{m['leaf']}` ({m['ancestors']} ancestors), "
                    f"base `{m['base']}` ({m['descendants']} descendants), mid `{m['mid']}` "
                    f"({m['neighbourhood']} within 2 steps); measured {m['date']} with lineage "
                    f"{m['commit']}; answers: {m['answers']}"
                    + ("; " + ", ".join(notes) if notes else ""))
        lin = r["lineage"]
        if lin.get("cache_build", {}).get("s") is not None:
            worst = max((lin[k]["s"] or 0, k) for k in QUERY_CALLS if k in lin)
            foot.append(
                f"- {n}, CLI: `check` (parse + validate, never cached) {fmt(lin['check']['s'], 2)} s, "
                f"{(lin['check']['kb'] or 0) / 1024:.0f} MB; the first query parses and writes the "
                f"binary image ({(m.get('cache_kb') or 0) / 1024:.0f} MB) in "
                f"{fmt(lin['cache_build']['s'], 2)} s; later calls read it: opening alone "
                f"{fmt(lin['cache_open']['s'])} s, the slowest query call `{worst[1]}` "
                f"{fmt(worst[0])} s end to end")
        if m["models"] >= 1000000:
            # per-query times from the one-process run when there is one: the
            # CLI's (query call - load call) is within the noise of a reload
            qs = ips if ips else phases
            src = "one process" if ips else "CLI differences"
            lt = ips["load_validate"] if ips else phases["load"]
            tt = ips["total"] if ips else total
            peak = max(rss, iprss or 0)
            foot.append(
                f"- warm CLI query ≤ 150 ms end to end at {n}: " +
                ("met" if all((lin[k]["s"] or 9) <= 0.15 for k in QUERY_CALLS if k in lin)
                 else "NOT met (" + ", ".join(f"`{k}` {fmt(lin[k]['s'])} s" for k in QUERY_CALLS
                                             if k in lin and (lin[k]["s"] or 9) > 0.15) + ")"))
            foot.append(
                f"- targets at {n}: load + validate + index ≤ 2 s: "
                f"{'met' if lt is not None and lt <= 2.0 else 'NOT met'} ({fmt(lt, 2)} s); "
                f"peak RSS ≤ 1 GB: {'met' if peak <= 1024 else 'NOT met'} ({peak:.0f} MB); "
                f"each query ≤ 50 ms ({src}): " +
                ("met" if all(qs[k] is not None and qs[k] <= 0.05 for k in QUERIES)
                 else "NOT met (" + ", ".join(f"{k} {fmt(qs[k])} s" for k in QUERIES
                                             if qs[k] is None or qs[k] > 0.05) + ")") +
                "; ≥ 10× faster end to end than NetworkX: " +
                (("met" if tt and s and s["total"] / tt >= 10 else "NOT met")
                 + (f" ({s['total'] / tt:.0f}×)" if tt and s else "")))
    lines2 = [
        "| models | warm call, end to end | lineage CLI s (server) | lineage CLI s (no server) "
        "| sqlite3 CLI s | sqlite3 ÷ lineage |",
        "|---:|---|---:|---:|---:|---:|",
    ]
    lines3 = [
        "| models | catalog MB | `lineage check` s (cold) | libyaml floor s | check ÷ floor "
        "| check peak RSS MB | image MB | image ÷ catalog | SQLite load s | SQLite file MB |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    what = {"ancestors": "ancestors of the deep leaf (JSON)",
            "descendants": "descendants of the biggest base (JSON)",
            "mid_descendants": "descendants of the mid model, depth 2 (JSON)",
            "mid_ancestors": "ancestors of the mid model, depth 2 (JSON)",
            "roots": "roots --top 20", "show": "show the deep leaf",
            "is_ancestor": "is-ancestor base leaf"}
    for r in recs:
        m = r["meta"]
        n = size_name(m["models"])
        lin, sq, pt = r["lineage"], r.get("sqlite", {}), r.get("point", {})
        ia = (pt.get("is_ancestor") or {}).get("status")
        what["is_ancestor"] = (f"is-ancestor {'`' + m['is_ancestor_top'] + '`' if m.get('is_ancestor_top') else 'base'} "
                               f"leaf ({'yes' if ia == 'ok' else 'no' if ia == 'exit 1' else ia})")
        for k in SQLITE_QUERIES + ["roots"] + POINT_CALLS:
            a = (lin.get(k) or pt.get(k) or {}).get("s")
            lo = (r.get("local", {}).get(k) or {}).get("s")
            b = (sq.get(k) or {}).get("s")
            lines2.append(f"| {n} | {what[k]} | {fmt(a)} | {fmt(lo)} | {fmt(b)} | "
                          f"{ratio(b, a) if b else '–'} |")
        fl = r.get("floor", {})
        mb = m["bytes"] / 1e6
        img = (m.get("cache_kb") or 0) * 1024 / 1e6
        lines3.append(
            f"| {n} | {mb:.1f} | {fmt(lin['check']['s'])} | {fmt(fl.get('s'))} | "
            f"{ratio(lin['check']['s'], fl.get('s')) if fl.get('s') else '–'} | "
            f"{(lin['check']['kb'] or 0) / 1024:.0f} | {img:.1f} | {img / mb:.2f}× | "
            f"{fmt((sq.get('load') or {}).get('s'), 2)} | "
            f"{(m.get('sqlite_kb') or 0) * 1024 / 1e6:.1f} |")
        if m["models"] >= 1000000:
            def met(ok):
                return "met" if ok else "NOT met"
            slow = [k for k in SQLITE_QUERIES
                    if (lin[k]["s"] or 9e9) > ((sq.get(k) or {}).get("s") or 0)]
            foot.append(
                f"- issue 14's targets at {n} (medians, one run; the load average is in the findings below): "
                f"every warm CLI query at least as fast as SQLite's: {met(not slow)}"
                + (" (slower: " + ", ".join(
                    f"`{k}` {fmt(lin[k]['s'])} s against {fmt(sq[k]['s'])} s, "
                    f"{lin[k]['s'] / sq[k]['s']:.1f}×" for k in slow) + ")" if slow else ""))
            pts = [("ancestors", lin["ancestors"]["s"])] + \
                [(k, (pt.get(k) or {}).get("s")) for k in POINT_CALLS]
            foot.append(
                f"- a point query under 10 ms end to end: "
                f"{met(all(v is not None and v < 0.01 for _, v in pts))} (" +
                ", ".join(f"`{k}` {fmt(v)} s" for k, v in pts) + ")")
            c, f_ = lin["check"]["s"], fl.get("s")
            ck = (lin["check"]["kb"] or 0) / 1024
            foot.append(
                f"- cold load + validate within 1.2× of libyaml's bare parse: "
                f"{met(c and f_ and c <= 1.2 * f_)} ({fmt(c, 2)} s against {fmt(f_, 2)} s, "
                f"{c / f_:.2f}×); peak RSS under 500 MB: {met(ck < 500)} ({ck:.0f} MB)"
                if c and f_ else "- cold load: not measured")
            foot.append(f"- the cache image at most 1.5× the catalog: {met(img <= 1.5 * mb)} "
                        f"({img:.0f} MB for {mb:.0f} MB, {img / mb:.2f}×)")
    text = ("\n".join(lines) + "\n\n" + "\n".join(lines2) + "\n\n" + "\n".join(lines3)
            + "\n\n" + "\n".join(foot) + "\n")
    # the findings written by hand below the marker outlive a rerun
    kept = read(out, "") or ""
    if NOTES_MARKER in kept:
        text += "\n" + kept[kept.index(NOTES_MARKER):]
    with open(out, "w", encoding="utf-8") as f:
        f.write(text)
    sys.stdout.write(text)


def main():
    if len(sys.argv) >= 3 and sys.argv[1] == "compare":
        return 1 if compare(sys.argv[2]) else 0
    if len(sys.argv) == 4 and sys.argv[1] == "record":
        record(sys.argv[2], sys.argv[3])
        return 0
    if len(sys.argv) >= 3 and sys.argv[1] == "table":
        table(sys.argv[2], [json.loads(read(p)) for p in sys.argv[3:]])
        return 0
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main())

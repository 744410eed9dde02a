#!/usr/bin/env python3
"""hugo-compare.py builds one Hugo site with Hugo and with vitrine (after `vitrine import hugo` alone)
and compares what comes out: the URLs Hugo wrote that vitrine lacks, the text of the pages both have,
images and embeds, raw shortcodes or front matter left in pages, build time and peak memory.

    bench/hugo-compare.py SITE                # SITE: a Hugo site's folder, never changed
    bench/hugo-compare.py SITE --name club --work /tmp/cmp --hugo PATH --vitrine PATH
    bench/hugo-compare.py SITE --hugo-env HUGO_ENABLEGITINFO=false
    bench/hugo-compare.py SITE --hugo-prep "sed -i s/_build:/build:/ content/_index.md"

It copies SITE twice into --work (default: a temporary folder), builds one copy with Hugo
(bench/install-hugo.sh gives the binary), imports and builds the other with vitrine, and prints one
Markdown table row (the columns of bench/hugo-sites.md), then the URLs lost. --json FILE writes every
figure. Needs Python 3.9+, GNU time (/usr/bin/time) for peak memory. Nothing is sent anywhere.

How figures are made:
- URLs: every file Hugo wrote ending in .html or .xml (pages, redirects, feeds, sitemaps) is a URL; it is
  kept when vitrine wrote the same file (a redirect counts: it answers). Assets (CSS, images) are left out.
- Text similarity: for each regular page both wrote (not a redirect nor a list), the words of Hugo's main content
  (<main>, else <article>, else <body>), and the share of them vitrine's page has in the same order
  (difflib's matching blocks). The median over pages; pages under 0.95 are counted.
- Images and embeds: <img> and <iframe> (or vitrine's click-to-load players) in the main content of
  those pages. Raw shortcode pages: pages of vitrine whose text outside code has {{< or {{% or front matter.
"""

import argparse
import difflib
import html.parser
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time


class Text(html.parser.HTMLParser):
    """Collects the words of a page, of its main content, and counts images and embeds there."""

    SKIP = {"script", "style", "noscript", "template", "svg"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.depth = {"main": 0, "article": 0, "body": 0}
        self.words = {"main": [], "article": [], "body": []}
        self.media = {"main": 0, "article": 0, "body": 0}
        self.skip = 0
        self.code = 0
        self.plain = []  # text outside code, where a raw shortcode or front matter must not be
        self.entries = 0  # vitrine's regular pages have one e-content
        self.redirect = False

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "meta" and (a.get("http-equiv") or "").lower() == "refresh":
            self.redirect = True
        if tag in self.SKIP:
            self.skip += 1
        if tag in ("pre", "code"):
            self.code += 1
        if "e-content" in (a.get("class") or "").split():
            self.entries += 1
        if tag in self.depth:
            self.depth[tag] += 1
        if tag in ("img", "iframe") or "video" in (a.get("class") or "") and tag in ("div", "figure", "button"):
            for k, d in self.depth.items():
                if d:
                    self.media[k] += 1

    def handle_endtag(self, tag):
        if tag in self.SKIP and self.skip:
            self.skip -= 1
        if tag in ("pre", "code") and self.code:
            self.code -= 1
        if tag in self.depth and self.depth[tag]:
            self.depth[tag] -= 1

    def handle_data(self, data):
        if self.skip:
            return
        if not self.code:
            self.plain.append(data)
        # Numbers alone are left out: code blocks' line numbers, which themes show or not.
        ws = [w for w in re.findall(r"\w+", data.lower()) if not w.isdigit()]
        for k, d in self.depth.items():
            if d:
                self.words[k].extend(ws)

    def main(self):
        for k in ("main", "article", "body"):
            if self.words[k]:
                return self.words[k], self.media[k]
        return [], 0


def parse(path):
    t = Text()
    with open(path, encoding="utf-8", errors="replace") as f:
        t.feed(f.read())
    return t


def outputs(root):
    out = set()
    for dirpath, _, files in os.walk(root):
        for n in files:
            if n.endswith((".html", ".xml")):
                out.add(os.path.relpath(os.path.join(dirpath, n), root))
    return out


def timed(cmd, cwd, env=None):
    """Runs cmd under GNU time: (seconds, peak RSS in MB, returncode, output)."""
    start = time.time()
    p = subprocess.run(["/usr/bin/time", "-f", "%M"] + cmd, cwd=cwd, env=env, capture_output=True, text=True)
    secs = time.time() - start
    lines = p.stderr.strip().splitlines()
    try:
        mem = int(lines[-1]) / 1024
    except (ValueError, IndexError):
        mem = 0
    return secs, mem, p.returncode, p.stdout + "\n".join(lines[:-1])


def similarity(a, b):
    if not a:
        return 1.0
    m = difflib.SequenceMatcher(None, a, b, autojunk=False)
    return sum(x.size for x in m.get_matching_blocks()) / len(a)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("site")
    ap.add_argument("--name")
    ap.add_argument("--work")
    ap.add_argument("--hugo", default=os.environ.get("HUGO"))
    ap.add_argument("--vitrine", default=os.environ.get("VITRINE", "vitrine"))
    ap.add_argument("--hugo-env", action="append", default=[])
    ap.add_argument("--hugo-prep", help="a shell command run in Hugo's copy first: what Hugo needs to build (vitrine's copy is untouched)")
    ap.add_argument("--json")
    ap.add_argument("--max-pages", type=int, default=3000, help="pages compared for text (sampled evenly)")
    args = ap.parse_args()
    name = args.name or os.path.basename(os.path.abspath(args.site))
    work = args.work or tempfile.mkdtemp(prefix="hugo-compare-")
    hugo = args.hugo
    if not hugo:
        here = os.path.dirname(os.path.abspath(__file__))
        hugo = subprocess.run([os.path.join(here, "install-hugo.sh")], capture_output=True, text=True, check=True).stdout.strip()
    hsrc, vsrc = os.path.join(work, name + "-hugo"), os.path.join(work, name + "-vitrine")
    hout, vout = os.path.join(work, name + "-hugo-public"), os.path.join(work, name + "-vitrine-public")
    for d in (hsrc, vsrc, hout, vout):
        shutil.rmtree(d, ignore_errors=True)
    shutil.copytree(args.site, hsrc, symlinks=True)
    shutil.copytree(args.site, vsrc, symlinks=True)
    for d in (hsrc, vsrc):
        shutil.rmtree(os.path.join(d, "public"), ignore_errors=True)

    if args.hugo_prep:
        subprocess.run(args.hugo_prep, shell=True, cwd=hsrc, check=True)
    env = dict(os.environ)
    for kv in args.hugo_env:
        k, _, v = kv.partition("=")
        env[k] = v
    h_secs, h_mem, h_rc, h_log = timed([hugo, "--quiet", "-d", hout], hsrc, env)
    if h_rc != 0:
        print(f"hugo failed:\n{h_log}", file=sys.stderr)
        sys.exit(1)

    p = subprocess.run([args.vitrine, "import", "hugo", "."], cwd=vsrc, capture_output=True, text=True)
    import_log = p.stdout + p.stderr
    if p.returncode != 0 and not os.path.exists(os.path.join(vsrc, "vitrine.toml")):
        print(f"vitrine import hugo failed:\n{import_log}", file=sys.stderr)
        sys.exit(1)
    v_secs, v_mem, v_rc, v_log = timed([args.vitrine, "build", "-d", vout], vsrc)
    if v_rc != 0:
        print(f"vitrine build failed (a hand edit would be needed):\n{v_log[-3000:]}", file=sys.stderr)

    hfiles = outputs(hout)
    vfiles = outputs(vout) if v_rc == 0 else set()
    lost = sorted(hfiles - vfiles)
    redirects = feeds = pages = 0
    kept = {"pages": 0, "redirects": 0, "feeds": 0}
    sims, low, raw = [], [], []
    h_media = v_media = 0
    both = sorted(hfiles & vfiles)
    step = max(1, len([f for f in both if f.endswith(".html")]) // args.max_pages)
    i = 0
    for f in sorted(hfiles):
        if f.endswith(".xml"):
            feeds += 1
            kept["feeds"] += f in vfiles
            continue
        ht = parse(os.path.join(hout, f))
        if ht.redirect:
            redirects += 1
            kept["redirects"] += f in vfiles
            continue
        pages += 1
        if f not in vfiles:
            continue
        kept["pages"] += 1
        i += 1
        if (i - 1) % step:
            continue
        vt = parse(os.path.join(vout, f))
        if vt.redirect or vt.entries != 1:
            continue  # lists: each theme shows them its own way
        hw, hm = ht.main()
        vw, vm = vt.main()
        h_media, v_media = h_media + hm, v_media + vm
        s = similarity(hw, vt.words["body"])
        sims.append(s)
        if s < 0.95:
            low.append((round(s, 2), f))
    for f in sorted(vfiles):
        if f.endswith(".html"):
            data = "".join(parse(os.path.join(vout, f)).plain)
            if re.search(r"\{\{[<%]|^(---|\+\+\+)\s*$\s*^\w+\s*[:=]", data, re.M):
                raw.append(f)
    total = len(hfiles)
    kept_n = total - len(lost)
    res = {
        "site": name, "hugo_urls": total, "kept": kept_n, "kept_pct": round(100 * kept_n / total, 1) if total else 100,
        "pages": [kept["pages"], pages], "redirects": [kept["redirects"], redirects], "feeds": [kept["feeds"], feeds],
        "median_similarity": round(statistics.median(sims), 3) if sims else None, "under_095": len(low),
        "media": [v_media, h_media], "raw_pages": raw, "hugo_secs": round(h_secs, 2), "hugo_mb": round(h_mem),
        "vitrine_secs": round(v_secs, 2), "vitrine_mb": round(v_mem), "vitrine_ok": v_rc == 0,
        "lost": lost, "low": sorted(low)[:50], "import": import_log, "work": work,
    }
    print("| site | URLs kept | pages | redirects | feeds | median text similarity (pages < 0.95) | images+embeds vitrine/Hugo | raw shortcode pages | Hugo time, memory | vitrine time, memory |")
    print("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |")
    print(f"| {name} | {kept_n}/{total} ({res['kept_pct']} %) | {kept['pages']}/{pages} | {kept['redirects']}/{redirects} | "
          f"{kept['feeds']}/{feeds} | {res['median_similarity']} ({len(low)}) | {v_media}/{h_media} | {len(raw)} | "
          f"{res['hugo_secs']} s, {res['hugo_mb']} MB | {res['vitrine_secs']} s, {res['vitrine_mb']} MB |")
    if lost:
        print(f"\n{len(lost)} URLs lost:")
        for f in lost[:200]:
            print("  /" + f)
    if args.json:
        with open(args.json, "w") as fh:
            json.dump(res, fh, indent=1, ensure_ascii=False)


if __name__ == "__main__":
    main()

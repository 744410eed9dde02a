package main

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/vitrine-ssg/vitrine/generator"
	"github.com/vitrine-ssg/vitrine/generator/config"
	"github.com/vitrine-ssg/vitrine/generator/model"
	"github.com/vitrine-ssg/vitrine/generator/output"
	"github.com/vitrine-ssg/vitrine/syndicate"
)

// writeFiles writes files (path → content) under dir.
func writeFiles(t *testing.T, dir string, files map[string]string) {
	t.Helper()
	for name, content := range files {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

func TestSyndicateCommand(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{
		"vitrine.toml": `baseURL = "https://camille-roussel.fr/"
title = "Camille Roussel"
[syndicate]
hashtags = ["Lyon"]
networks = ["mastodon", "bluesky", "x", "instagram"]
max_age = "0" # the articles' dates are fixed, the clock is not
`,
		"content/posts/ancien.md": "---\ntitle: Un ancien article\ndate: 2025-01-10\n---\nTexte.\n",
		"content/posts/autre.md":  "---\ntitle: Un autre\ndate: 2025-02-10\n---\nTexte.\n",
		"content/about.md":        "---\ntitle: À propos\n---\nMoi.\n",
	})
	outbox := filepath.Join(dir, syndicate.OutboxDir)

	// First run: the existing articles are the baseline, nothing is composed.
	code, out, errOut := runCmd(t, "syndicate", "-s", dir)
	if code != 0 {
		t.Fatalf("first run: %d %s", code, errOut)
	}
	if !strings.Contains(out, "First run on this site: 2 existing articles recorded as skipped") || !strings.Contains(out, "Nothing new to post.") {
		t.Errorf("first run output:\n%s", out)
	}
	baseline := readLedger(t, dir)
	if strings.Count(baseline, `"state": "skipped"`) != 8 {
		t.Errorf("baseline ledger:\n%s", baseline)
	}

	// A new article, and one restricted to Mastodon.
	writeFiles(t, dir, map[string]string{
		"content/posts/nouveau.md": `---
title: "L’été à Lyon 📸 : mes réglages préférés"
date: 2026-06-01T09:00:00+02:00
description: "Chaleur, lumière dure, foule ? Comment je photographie l’été sans y laisser ma santé."
tags: ["réseaux sociaux", "Lyon", "lumière naturelle"]
---
Texte.
`,
		"content/posts/mastodon-seulement.md": "---\ntitle: Pour Mastodon\ndate: 2026-06-02\nsyndicate: [mastodon]\n---\nTexte.\n",
	})
	code, out, errOut = runCmd(t, "syndicate", "-s", dir)
	if code != 0 {
		t.Fatalf("second run: %d %s", code, errOut)
	}
	for _, want := range []string{"ARTICLE", "nouveau  ", "mastodon-seulement", "Nothing was sent"} {
		if !strings.Contains(out, want) {
			t.Errorf("table lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "ancien") || strings.Contains(out, "First run") {
		t.Errorf("baseline articles or first-run message again:\n%s", out)
	}
	rows := 0
	for _, line := range strings.Split(out, "\n") {
		if f := strings.Fields(line); len(f) == 4 && f[3] == "new" {
			rows++
			if !strings.Contains(f[2], "/") {
				t.Errorf("row without length/limit: %q", line)
			}
		}
	}
	if rows != 5 {
		t.Errorf("%d new rows, want 4 networks for nouveau and 1 for mastodon-seulement:\n%s", rows, out)
	}
	for _, n := range []string{"mastodon", "bluesky", "x", "instagram"} {
		text, err := os.ReadFile(filepath.Join(outbox, "nouveau", n+".txt"))
		if err != nil || !strings.Contains(string(text), "L’été à Lyon 📸") {
			t.Errorf("outbox %s.txt: %v %q", n, err, text)
		}
		data, err := os.ReadFile(filepath.Join(outbox, "nouveau", n+".json"))
		if err != nil {
			t.Fatal(err)
		}
		var p syndicate.Post
		if err := json.Unmarshal(data, &p); err != nil || p.Network != n || p.Length > p.Limit || p.Article != "https://camille-roussel.fr/posts/nouveau/" {
			t.Errorf("outbox %s.json: %v %+v", n, err, p)
		}
		if n != "instagram" && !strings.Contains(p.Link, "utm_source="+n) {
			t.Errorf("%s link without tracking: %q", n, p.Link)
		}
	}
	if _, err := os.Stat(filepath.Join(outbox, "mastodon-seulement", "bluesky.txt")); !os.IsNotExist(err) {
		t.Errorf("a Mastodon-only article composed for Bluesky: %v", err)
	}
	// Nothing was sent, so the ledger did not change.
	if again := readLedger(t, dir); again != baseline {
		t.Errorf("the review run wrote the ledger:\n%s", again)
	}

	// No network has a client here: --publish records the posts as left to post by hand.
	code, out, errOut = runCmd(t, "syndicate", "-s", dir, "--publish")
	if code != 0 || !strings.Contains(out, "no API, left in the outbox to post by hand") {
		t.Errorf("--publish: %d %s %s", code, out, errOut)
	}

	writeFiles(t, dir, map[string]string{"vitrine.toml": "baseURL = \"https://e.org/\"\n[syndicate.mastodon]\ntoken = \"s3cr3t\"\n"})
	code, out, errOut = runCmd(t, "syndicate", "-s", dir)
	if code == 0 || !strings.Contains(errOut, "VITRINE_MASTODON_TOKEN") || strings.Contains(out+errOut, "s3cr3t") {
		t.Errorf("token in vitrine.toml: %d %s %s", code, out, errOut)
	}
}

// TestSyndicateDemoSite composes, on the repository's demo site, the post of every article for every
// network and checks that each fits its network's rules; then runs the command on a copy of it.
func TestSyndicateDemoSite(t *testing.T) {
	src := os.DirFS("../..")
	cfg, err := config.Load(src)
	if err != nil {
		t.Fatal(err)
	}
	mem := &output.Memory{}
	// The image cache of vitrine build at the repository's root: the demo's photos are encoded once.
	cache := filepath.Join("..", "..", ".vitrine", "cache")
	res, err := generator.Build(context.Background(), generator.Options{Source: src, Writer: mem, CacheDir: cache})
	if err != nil {
		t.Fatal(err)
	}
	opts := syndicate.ComposeOptions{Templates: templateDirs(src, cfg.Theme), Hashtags: cfg.Syndicate.Hashtags, UTM: true}
	articles := 0
	for _, page := range res.Site.Pages {
		if page.Kind != model.KindArticle {
			continue
		}
		articles++
		for _, n := range syndicate.Networks {
			p, err := syndicate.Compose(res.Site, page, n, opts)
			if err != nil {
				t.Errorf("%s on %s: %v", page.Source, n, err)
				continue
			}
			if p.Length > p.Limit || p.Length == 0 || !utf8.ValidString(p.Text) {
				t.Errorf("%s on %s: %d/%d", page.Source, n, p.Length, p.Limit)
			}
			for _, f := range p.Facets {
				if s := p.Text[f.ByteStart:f.ByteEnd]; s != f.Link && s != "#"+f.Tag {
					t.Errorf("%s on Bluesky: facet %+v covers %q", page.Source, f, s)
				}
			}
			if _, ok := mem.Get(p.Image); !ok {
				t.Errorf("%s on %s: image %q is not in the output", page.Source, n, p.Image)
			}
		}
	}
	if articles < 10 {
		t.Fatalf("only %d articles in the demo site", articles)
	}

	dir := t.TempDir()
	if err := os.CopyFS(filepath.Join(dir, "content"), os.DirFS("../../content")); err != nil {
		t.Fatal(err)
	}
	if err := os.CopyFS(filepath.Join(dir, "static"), os.DirFS("../../static")); err != nil {
		t.Fatal(err)
	}
	// The copy starts from the repository's encoded images and cards (a link to that cache would be
	// refused: a build keeps its cache inside the site).
	for _, d := range []string{"images", "cards"} {
		if _, err := os.Stat(filepath.Join(cache, d)); err != nil {
			continue
		}
		if err := os.CopyFS(filepath.Join(dir, ".vitrine", "cache", d), os.DirFS(filepath.Join(cache, d))); err != nil {
			t.Fatal(err)
		}
	}
	toml, err := os.ReadFile("../../vitrine.toml")
	if err != nil {
		t.Fatal(err)
	}
	writeFiles(t, dir, map[string]string{"vitrine.toml": string(toml)})
	code, out, errOut := runCmd(t, "syndicate", "-s", dir, "--backfill")
	if code != 0 {
		t.Fatalf("syndicate --backfill on the demo site: %d %s", code, errOut)
	}
	if strings.Contains(out, "too long!") || strings.Count(out, " new\n") != 3*len(cfg.Syndicate.Networks) {
		t.Errorf("demo site table:\n%s", out)
	}
}

package generator_test

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/vitrine-ssg/vitrine/generator"
	"github.com/vitrine-ssg/vitrine/generator/output"
)

var (
	rebuildSeed  = flag.Uint64("rebuild.seed", 0, "seed of TestSessionEqualsBuild (0: from the clock)")
	rebuildSteps = flag.Int("rebuild.steps", 120, "edits of TestSessionEqualsBuild")
)

// siteTree is a site in a temporary folder that a test edits as a writer would.
type siteTree struct {
	t   *testing.T
	dir string
	r   *rand.Rand
	n   int // posts created so far, to name new ones
}

func (s *siteTree) write(name, text string) string {
	s.t.Helper()
	full := filepath.Join(s.dir, filepath.FromSlash(name))
	if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
		s.t.Fatal(err)
	}
	if err := os.WriteFile(full, []byte(text), 0o644); err != nil {
		s.t.Fatal(err)
	}
	return name
}

func (s *siteTree) read(name string) string {
	s.t.Helper()
	data, err := os.ReadFile(filepath.Join(s.dir, filepath.FromSlash(name)))
	if err != nil {
		s.t.Fatal(err)
	}
	return string(data)
}

func (s *siteTree) remove(name string) string {
	s.t.Helper()
	if err := os.RemoveAll(filepath.Join(s.dir, filepath.FromSlash(name))); err != nil {
		s.t.Fatal(err)
	}
	return name
}

func (s *siteTree) rename(from, to string) []string {
	s.t.Helper()
	if err := os.MkdirAll(filepath.Dir(filepath.Join(s.dir, to)), 0o755); err != nil {
		s.t.Fatal(err)
	}
	if err := os.Rename(filepath.Join(s.dir, from), filepath.Join(s.dir, to)); err != nil {
		s.t.Fatal(err)
	}
	return []string{from, to}
}

// files lists the files under dir (slash paths relative to the site) whose name ends with suffix.
func (s *siteTree) files(dir, suffix string) []string {
	var out []string
	root := filepath.Join(s.dir, dir)
	_ = filepath.WalkDir(root, func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() && strings.HasSuffix(p, suffix) {
			rel, _ := filepath.Rel(s.dir, p)
			out = append(out, filepath.ToSlash(rel))
		}
		return nil
	})
	slices.Sort(out)
	return out
}

var words = strings.Fields(`lumière matin quartier atelier réseau projet portrait marché rivière ville été
automne hiver printemps histoire image regard couleur ombre fenêtre rue place café vélo festival musique`)

var tagPool = []string{"Lyon", "lyon", "Photographie", "Vélo", "Économie", "Portrait", "Été", "Marché"}

func (s *siteTree) sentence(n int) string {
	w := make([]string, n)
	for i := range w {
		w[i] = words[s.r.IntN(len(words))]
	}
	r := []rune(strings.Join(w, " "))
	return strings.ToUpper(string(r[0])) + string(r[1:]) + "."
}

func (s *siteTree) post(title string, withLink bool) string {
	var tags []string
	for range s.r.IntN(4) {
		t := tagPool[s.r.IntN(len(tagPool))]
		if !slices.Contains(tags, t) {
			tags = append(tags, t)
		}
	}
	date := time.Date(2025, time.Month(1+s.r.IntN(12)), 1+s.r.IntN(28), 9, 0, 0, 0, time.UTC)
	body := s.sentence(8) + "\n\n<!--more-->\n\n## " + s.sentence(3) + "\n\n" + s.sentence(20) + "\n"
	if withLink {
		body += "\nVoir [la page stable](stable.md) et [à propos](../about.md#contact).\n"
	}
	draft := ""
	if s.r.IntN(8) == 0 {
		draft = "draft: true\n"
	}
	return fmt.Sprintf("---\ntitle: %q\ndate: %s\ntags: [%s]\ncategories: [%s]\n%s---\n%s",
		title, date.Format(time.RFC3339), quoteAll(tags), quoteAll(tags[:min(1, len(tags))]), draft, body)
}

func quoteAll(ss []string) string {
	q := make([]string, len(ss))
	for i, s := range ss {
		q[i] = fmt.Sprintf("%q", s)
	}
	return strings.Join(q, ", ")
}

// pngOf is a small valid PNG of the given size.
func pngOf(t *testing.T, w, h int) string {
	t.Helper()
	var buf bytes.Buffer
	if err := pngEncode(&buf, w, h); err != nil {
		t.Fatal(err)
	}
	return buf.String()
}

func newSiteTree(t *testing.T, seed uint64, posts int) *siteTree {
	s := &siteTree{t: t, dir: t.TempDir(), r: rand.New(rand.NewPCG(seed, 7))}
	s.write("vitrine.toml", `baseURL = "https://example.org/"
title = "Atelier"
description = "Un site de test."
paginate = 3
[author]
name = "Camille"
image = "/images/camille.png"
[feeds]
limit = 4
[cards]
generate = true
`)
	s.write("content/_index.md", "---\ntitle: Accueil\n---\nBienvenue à l'atelier.\n")
	s.write("content/about.md", "---\ntitle: À propos\naliases: [/qui/]\n---\n## Contact {#contact}\n\nÉcrivez-moi.\n")
	s.write("content/posts/_index.md", "---\ntitle: Le carnet\n---\nLes articles.\n")
	s.write("content/posts/stable.md", "---\ntitle: Page stable\ndate: 2024-05-01\ntags: [Lyon]\n---\nToujours là.\n")
	for i := range posts {
		s.n++
		s.write(fmt.Sprintf("content/posts/post-%03d.md", i), s.post(fmt.Sprintf("Article %d", i), i%3 == 0))
	}
	s.write("content/posts/bundle/index.md", "---\ntitle: Un album\ndate: 2025-06-01\nimages: [cover.png]\n---\n![Une photo](photo.png)\n")
	s.write("content/posts/bundle/photo.png", pngOf(t, 4, 3))
	s.write("content/posts/bundle/cover.png", pngOf(t, 8, 5))
	s.write("content/projects/alpha.md", "---\ntitle: Alpha\nweight: 2\nfeatured: true\n---\nUn projet.\n")
	s.write("content/projects/beta.md", "---\ntitle: Beta\nweight: 1\n---\nUn autre.\n")
	s.write("content/events/fete.md", "---\ntitle: La fête\nstart: 2026-12-05T19:30:00+01:00\nlocation: Lyon\n---\nVenez.\n")
	s.write("content/events/passee.md", "---\ntitle: Passée\nstart: 2025-03-05T19:30:00+01:00\n---\nC'était bien.\n")
	s.write("content/files/guide.txt", "un guide\n")
	s.write("static/images/camille.png", pngOf(t, 6, 6))
	s.write("static/robots-extra.txt", "extra\n")
	return s
}

// step makes one random change and returns the paths it touched.
func (s *siteTree) step() (string, []string) {
	posts := s.files("content/posts", ".md")
	regular := slices.DeleteFunc(slices.Clone(posts), func(p string) bool {
		return strings.HasSuffix(p, "_index.md") || strings.HasSuffix(p, "stable.md") || strings.HasSuffix(p, "broken.md") || strings.Contains(p, "bundle/")
	})
	pick := func() string {
		if len(regular) == 0 {
			s.n++
			return s.write(fmt.Sprintf("content/posts/post-%03d.md", s.n), s.post("Nouveau", false))
		}
		return regular[s.r.IntN(len(regular))]
	}
	switch op := s.r.IntN(24); op {
	case 0, 1, 2, 3: // body, in place or as editors that save through a temporary file
		p := pick()
		text := strings.Replace(s.read(p), "<!--more-->", s.sentence(5)+"\n\n<!--more-->", 1)
		if op == 3 {
			s.write(p+".swp~", text)
			return "save body of " + p, s.rename(p+".swp~", p)
		}
		return "edit body of " + p, []string{s.write(p, text)}
	case 4, 5: // title, as an editor saves: write to a temporary file, rename over
		p := pick()
		text := s.read(p)
		i := strings.Index(text, "title: ")
		j := i + strings.Index(text[i:], "\n")
		tmp := p + ".tmp~"
		s.write(tmp, text[:i]+fmt.Sprintf("title: %q", s.sentence(3))+text[j:])
		return "retitle " + p, s.rename(tmp, p)
	case 6: // date
		p := pick()
		text := s.read(p)
		i := strings.Index(text, "date: ")
		j := i + strings.Index(text[i:], "\n")
		d := time.Date(2024+s.r.IntN(2), time.Month(1+s.r.IntN(12)), 1+s.r.IntN(28), 9, 0, 0, 0, time.UTC)
		return "redate " + p, []string{s.write(p, text[:i]+"date: "+d.Format(time.RFC3339)+text[j:])}
	case 7, 8: // new post
		s.n++
		return "add post", []string{s.write(fmt.Sprintf("content/posts/post-%03d.md", s.n), s.post(s.sentence(2), s.r.IntN(2) == 0))}
	case 9: // delete
		p := pick()
		return "delete " + p, []string{s.remove(p)}
	case 10: // rename
		p := pick()
		s.n++
		return "rename " + p, s.rename(p, fmt.Sprintf("content/posts/renamed-%03d.md", s.n))
	case 11: // rewrite with new tags and draft status
		p := pick()
		return "rewrite " + p, []string{s.write(p, s.post(s.sentence(2), s.r.IntN(2) == 0))}
	case 12: // the target of links moves
		return "reslug stable", []string{s.write("content/posts/stable.md", fmt.Sprintf("---\ntitle: Page stable\ndate: 2024-05-01\nslug: stable-%d\ntags: [Lyon]\n---\nToujours là.\n", s.r.IntN(3)))}
	case 13: // broken front matter, fixed at the next step of this kind
		p := "content/posts/broken.md"
		if _, err := os.Stat(filepath.Join(s.dir, p)); err == nil {
			return "fix broken", []string{s.remove(p)}
		}
		return "break", []string{s.write(p, "---\ntitle: [oops\n---\nCassé.\n")}
	case 14: // bundle resource
		if s.r.IntN(2) == 0 {
			return "bundle photo", []string{s.write("content/posts/bundle/photo.png", pngOf(s.t, 2+s.r.IntN(9), 3))}
		}
		return "bundle extra", []string{s.write(fmt.Sprintf("content/posts/bundle/extra-%d.txt", s.r.IntN(3)), s.sentence(2))}
	case 15: // a new folder with a page
		dir := fmt.Sprintf("content/notes-%d", s.r.IntN(3))
		if _, err := os.Stat(filepath.Join(s.dir, dir)); err == nil {
			return "remove folder", []string{s.remove(dir)}
		}
		s.write(dir+"/a.md", "---\ntitle: Note A\n---\n"+s.sentence(4)+"\n")
		s.write(dir+"/b.md", "---\ntitle: Note B\n---\n"+s.sentence(4)+"\n")
		return "add folder", []string{dir}
	case 16: // static file and the author's photo
		if s.r.IntN(2) == 0 {
			return "static text", []string{s.write("static/robots-extra.txt", s.sentence(3))}
		}
		return "author photo", []string{s.write("static/images/camille.png", pngOf(s.t, 5+s.r.IntN(5), 6))}
	case 17: // stylesheet
		return "css", []string{s.write("static/css/style.css", fmt.Sprintf("body{color:#%06x}\n", s.r.IntN(1<<24)))}
	case 18: // a layout of the site's own, sometimes broken
		switch s.r.IntN(4) {
		case 0:
			return "remove layout", []string{s.remove("layouts/partials/adjacent.html")}
		case 1:
			return "break layout", []string{s.write("layouts/partials/adjacent.html", `<p>{{if .Page.PrevView}}</p>`)}
		}
		return "layout", []string{s.write("layouts/partials/adjacent.html", fmt.Sprintf(`<p class="adj-%d">{{with .Page.PrevView}}<a href="{{.URL}}">{{.Title}}</a>{{end}}{{with .Page.NextView}}<a href="{{.URL}}">{{.Title}}</a>{{end}}</p>`, s.r.IntN(100)))}
	case 19: // words
		return "i18n", []string{s.write("i18n/fr.toml", fmt.Sprintf("allArticles = %q\n", s.sentence(2)))}
	case 20: // configuration
		return "config", []string{s.write("vitrine.toml", strings.Replace(s.read("vitrine.toml"), "paginate = ", fmt.Sprintf("paginate = %d\n#", 2+s.r.IntN(3)), 1))}
	case 21: // home and section pages
		if s.r.IntN(2) == 0 {
			return "home", []string{s.write("content/_index.md", "---\ntitle: Accueil\n---\n"+s.sentence(6)+"\n")}
		}
		return "section", []string{s.write("content/posts/_index.md", fmt.Sprintf("---\ntitle: %q\n---\n%s\n", s.sentence(2), s.sentence(4)))}
	case 22: // events
		return "event", []string{s.write("content/events/fete.md", fmt.Sprintf("---\ntitle: La fête\nstart: %s\nlocation: Lyon\n---\nVenez.\n", time.Date(2025+s.r.IntN(3), 6, 1+s.r.IntN(20), 19, 0, 0, 0, time.UTC).Format(time.RFC3339)))}
	default: // syndication ledger
		return "ledger", []string{s.write("data/syndication.json", fmt.Sprintf(`{"articles":{"https://example.org/posts/stable/":{"mastodon":{"state":"published","url":"https://piaille.fr/@c/%d"}}}}`, s.r.IntN(1000)))}
	}
}

// compare fails the test when the session's output differs from a fresh build's.
func compare(t *testing.T, what string, got, want *output.Memory) {
	t.Helper()
	gn, wn := got.Names(), want.Names()
	if !slices.Equal(gn, wn) {
		var extra, missing []string
		for _, n := range gn {
			if _, ok := want.Get(n); !ok {
				extra = append(extra, n)
			}
		}
		for _, n := range wn {
			if _, ok := got.Get(n); !ok {
				missing = append(missing, n)
			}
		}
		t.Fatalf("after %s: files differ from a full build: extra %v, missing %v", what, extra, missing)
	}
	for _, n := range wn {
		g, _ := got.Get(n)
		w, _ := want.Get(n)
		if !bytes.Equal(g, w) {
			t.Fatalf("after %s: %s differs from a full build:\n%s", what, n, firstDiff(string(w), string(g)))
		}
	}
}

// randomEditsSeed returns the seed of a test's random edits: -rebuild.seed, else one from the clock,
// logged with the command that replays it.
func randomEditsSeed(t *testing.T) uint64 {
	t.Helper()
	seed := *rebuildSeed
	if seed == 0 {
		seed = uint64(time.Now().UnixNano())
	}
	t.Logf("seed %d (go test ./generator -run '^%s$' -rebuild.seed %d to replay)", seed, t.Name(), seed)
	return seed
}

// fullBuild builds opts from scratch into a Memory, as a session's rebuild must build.
func fullBuild(t *testing.T, opts generator.Options) *output.Memory {
	t.Helper()
	mem := &output.Memory{}
	o := opts
	o.Writer = mem
	if _, err := generator.Build(context.Background(), o); err != nil {
		t.Fatal(err)
	}
	return mem
}

// TestSessionEqualsBuild makes random edits to a site, rebuilds incrementally after each, and compares
// the output with a full build of the same files, byte for byte.
func TestSessionEqualsBuild(t *testing.T) {
	seed := randomEditsSeed(t)
	steps := *rebuildSteps
	if testing.Short() {
		steps = 30
	}
	for _, serve := range []bool{true, false} {
		t.Run(fmt.Sprintf("serve=%v", serve), func(t *testing.T) {
			tree := newSiteTree(t, seed, 12)
			cache := t.TempDir()
			opts := generator.Options{Source: os.DirFS(tree.dir), Now: now, Drafts: true, CacheDir: cache, Serve: serve}
			sess := generator.NewSession(opts, &output.Memory{})
			early := 0
			sess.OnPages = func(changed []string) {
				for _, name := range changed {
					if _, ok := sess.Memory().Get(name); !ok {
						t.Errorf("OnPages: %s is not in the Memory", name)
					}
				}
				early += len(changed)
			}
			defer func() { t.Logf("%d pages given early to OnPages", early) }()
			full := func() (*output.Memory, error) {
				mem := &output.Memory{}
				o := opts
				o.Writer = mem
				_, err := generator.Build(context.Background(), o)
				return mem, err
			}
			n := steps
			if !serve {
				n = steps / 3
			}
			what, changed := "the first build", []string(nil)
			var lastGood *output.Memory
			for i := 0; i <= n; i++ {
				res, err := sess.Rebuild(context.Background(), changed)
				want, wantErr := full()
				switch {
				case (err == nil) != (wantErr == nil):
					t.Fatalf("step %d, after %s: session error %v, full build error %v", i, what, err, wantErr)
				case err != nil:
					compare(t, what+" (failed: the last good output stays)", sess.Memory(), lastGood)
				default:
					compare(t, what, sess.Memory(), want)
					lastGood = want
					if i > 0 {
						t.Logf("step %d: %s: rendered %d of %d pages, %d files changed", i, what, res.Rendered, res.Pages, len(res.Changed))
					}
				}
				what, changed = tree.step()
			}
		})
	}
}

// TestSessionRendersLittle checks that an edit of one article renders that article and the few pages
// that show it, not the whole site.
func TestSessionRendersLittle(t *testing.T) {
	tree := newSiteTree(t, 1, 40)
	sess := generator.NewSession(generator.Options{Source: os.DirFS(tree.dir), Now: now, CacheDir: t.TempDir(), Serve: true}, &output.Memory{})
	res, err := sess.Rebuild(context.Background(), nil)
	if err != nil {
		t.Fatal(err)
	}
	total := res.Pages
	p := "content/posts/post-007.md"
	tree.write(p, strings.Replace(tree.read(p), "<!--more-->", "Une phrase de plus.\n\n<!--more-->", 1))
	res, err = sess.Rebuild(context.Background(), []string{p})
	if err != nil {
		t.Fatal(err)
	}
	if res.Rendered == 0 || res.Rendered > 12 {
		t.Errorf("an edited summary rendered %d of %d pages; want the article, its neighbours and its lists", res.Rendered, total)
	}
	if !slices.Contains(res.Changed, "posts/post-007/index.html") {
		t.Errorf("changed files %v lack the article", res.Changed)
	}

	tree.write("static/css/style.css", "body{color:red}\n")
	res, err = sess.Rebuild(context.Background(), []string{"static/css/style.css"})
	if err != nil {
		t.Fatal(err)
	}
	if res.Rendered != 0 || !slices.Equal(res.Changed, []string{"css/style.css"}) {
		t.Errorf("a CSS edit rendered %d pages and changed %v; want the stylesheet alone", res.Rendered, res.Changed)
	}

	res, err = sess.Rebuild(context.Background(), []string{p})
	if err != nil {
		t.Fatal(err)
	}
	if res.Rendered != 0 || len(res.Changed) != 0 {
		t.Errorf("an unchanged file rendered %d pages and changed %v", res.Rendered, res.Changed)
	}
}

// TestSessionSoak edits one article 500 times in a row, its body mostly (patched in place), its title
// every tenth time (the site loaded again): the heap must stay flat.
func TestSessionSoak(t *testing.T) {
	if testing.Short() {
		t.Skip("soak test: 500 rebuilds")
	}
	tree := newSiteTree(t, 2, 150)
	sess := generator.NewSession(generator.Options{Source: os.DirFS(tree.dir), Now: now, CacheDir: t.TempDir(), Serve: true}, &output.Memory{})
	if _, err := sess.Rebuild(context.Background(), nil); err != nil {
		t.Fatal(err)
	}
	heap := func() uint64 {
		runtime.GC()
		runtime.GC()
		var m runtime.MemStats
		runtime.ReadMemStats(&m)
		return m.HeapAlloc
	}
	p := "content/posts/post-042.md"
	base := tree.read(p)
	var start uint64
	for i := range 500 {
		text := strings.Replace(base, "<!--more-->", fmt.Sprintf("Version %d.\n\n<!--more-->", i), 1)
		if i%10 == 0 {
			text = strings.Replace(text, `title: "`, fmt.Sprintf(`title: "%d `, i), 1)
		}
		tree.write(p, text)
		if _, err := sess.Rebuild(context.Background(), []string{p}); err != nil {
			t.Fatal(err)
		}
		if i == 49 {
			start = heap()
		}
	}
	end := heap()
	runtime.KeepAlive(sess)
	t.Logf("heap after 50 edits %d KiB, after 500 %d KiB", start/1024, end/1024)
	if end > start+start/10+1<<20 {
		t.Errorf("heap grew from %d KiB to %d KiB over 450 edits", start/1024, end/1024)
	}
}

func TestKindOf(t *testing.T) {
	for p, want := range map[string]generator.ChangeKind{
		"vitrine.toml":                 generator.ChangeConfig,
		"content/posts/a.md":           generator.ChangeContent,
		"content":                      generator.ChangeContent,
		"content/posts/.a.md.swp":      generator.ChangeIgnored,
		"content/posts/a.md~":          generator.ChangeIgnored,
		"static/css/style.css":         generator.ChangeStatic,
		"layouts/_default/single.html": generator.ChangeLayouts,
		"i18n/fr.toml":                 generator.ChangeLayouts,
		"themes/mine/theme.toml":       generator.ChangeLayouts,
		"data/syndication.json":        generator.ChangeData,
		"public/index.html":            generator.ChangeIgnored,
		".git/index":                   generator.ChangeIgnored,
		".vitrine/cache/cards/x.png":   generator.ChangeIgnored,
		"notes.txt":                    generator.ChangeIgnored,
	} {
		if got := generator.KindOf(p); got != want {
			t.Errorf("KindOf(%q) = %v, want %v", p, got, want)
		}
	}
}

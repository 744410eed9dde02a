package render_test

import (
	"context"
	"fmt"
	"io/fs"
	"os"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"testing/fstest"
	"time"

	"github.com/vitrine-ssg/vitrine/generator/config"
	"github.com/vitrine-ssg/vitrine/generator/load"
	"github.com/vitrine-ssg/vitrine/generator/markdown"
	"github.com/vitrine-ssg/vitrine/generator/model"
	"github.com/vitrine-ssg/vitrine/generator/render"
	"github.com/vitrine-ssg/vitrine/themes"
)

// BenchmarkRender renders every page of a site with the default theme, as the render step of a build
// does, to a writer that only counts bytes: articles and list pages (home, section, tags and
// categories, paginated by 10) apart. The site is $VITRINE_BENCH_SITE (a corpus of bench/corpus) when
// set, else 300 articles made here with 80 tags and 8 categories, as the corpus has them.
func BenchmarkRender(b *testing.B) {
	fsys, cfgText := benchSite(b)
	cfg, err := config.Parse("vitrine.toml", cfgText)
	if err != nil {
		b.Fatal(err)
	}
	md := markdown.New(markdown.Options{Typography: cfg.TypographyLang()})
	site, err := load.Site(context.Background(), fsys, load.Options{Config: cfg, Markdown: md, Visibility: model.Visibility{Future: true}})
	if err != nil {
		b.Fatal(err)
	}
	r, err := render.New(render.Options{Site: site, Theme: themes.Default(), SiteFS: fsys, Paginate: cfg.Paginate,
		Now: time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC), StyleURL: "/css/style.css"})
	if err != nil {
		b.Fatal(err)
	}
	jobs, err := r.Jobs()
	if err != nil {
		b.Fatal(err)
	}
	var articles, lists []*render.Job
	for _, j := range jobs {
		if j.Data.Pager != nil {
			lists = append(lists, j)
		} else {
			articles = append(articles, j)
		}
	}
	for _, c := range []struct {
		name string
		jobs []*render.Job
	}{{"articles", articles}, {"lists", lists}} {
		b.Run(c.name, func(b *testing.B) {
			var w countWriter
			b.ReportAllocs()
			cpu := cpuTime()
			for b.Loop() {
				if err := r.RenderJobs(context.Background(), &w, c.jobs); err != nil {
					b.Fatal(err)
				}
			}
			// The CPU time of the process, collections included, tells more than the wall time on a
			// shared machine.
			b.ReportMetric(float64(cpuTime()-cpu)/float64(b.N*len(c.jobs)), "cpu-ns/page")
			b.ReportMetric(float64(w.n.Load())/float64(b.N*len(c.jobs)), "B/page")
		})
	}
}

// cpuTime is the processor time the process used so far, user and system, in nanoseconds.
func cpuTime() int64 {
	var u syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &u); err != nil {
		return 0
	}
	return u.Utime.Nano() + u.Stime.Nano()
}

// countWriter counts the bytes written to it.
type countWriter struct{ n atomic.Int64 }

func (w *countWriter) WriteFile(_ string, data []byte) error {
	w.n.Add(int64(len(data)))
	return nil
}

func (w *countWriter) CopyFile(string, fs.FS, string) error { return nil }

// benchSite returns the benchmark's site and its vitrine.toml.
func benchSite(b *testing.B) (fs.FS, []byte) {
	if dir := os.Getenv("VITRINE_BENCH_SITE"); dir != "" {
		fsys := os.DirFS(dir)
		data, err := fs.ReadFile(fsys, "vitrine.toml")
		if err != nil {
			b.Fatal(err)
		}
		return fsys, data
	}
	const n = 300
	words := strings.Fields("photographe lumière séance portrait client atelier été marché écran réunion " +
		"projet carnet ombre composition cadrage tirage exposition réseau bénévoles couleur")
	fsys := fstest.MapFS{}
	for i := range n {
		var s strings.Builder
		date := time.Date(2020, 1, 1, 9, 0, 0, 0, time.UTC).AddDate(0, 0, i*5)
		fmt.Fprintf(&s, "---\ntitle: \"Article %d : %s\"\ndate: %s\ndescription: \"Un %s et une %s.\"\n", i, words[i%len(words)], date.Format(time.RFC3339), words[(i+3)%len(words)], words[(i+5)%len(words)])
		fmt.Fprintf(&s, "tags: [\"tag %d\", \"tag %d\", \"tag %d\"]\ncategories: [\"Catégorie %d\"]\n", i%80, (i*7+3)%80, (i*13+5)%80, i%8)
		if i%3 == 0 {
			fmt.Fprintf(&s, "lastmod: %s\n", date.AddDate(0, 1, 0).Format(time.RFC3339))
		}
		s.WriteString("---\n\n")
		for h := range 4 {
			fmt.Fprintf(&s, "## %s %s\n\n", words[(i+h)%len(words)], words[(i+2*h)%len(words)])
			for w := range 120 {
				s.WriteString(words[(i*7+w*w+h)%len(words)])
				s.WriteByte(' ')
			}
			s.WriteString("\n\n")
		}
		fsys[fmt.Sprintf("content/posts/article-%03d.md", i)] = &fstest.MapFile{Data: []byte(s.String())}
	}
	return fsys, []byte("baseURL = \"https://example.org/\"\ntitle = \"Banc\"\nlanguage = \"fr\"\npaginate = 10\n[author]\nname = \"Camille Roussel\"\n")
}

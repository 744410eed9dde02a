package generator_test

import (
	"context"
	"io/fs"
	"mime"
	"net/http"
	"net/http/httptest"
	"os"
	"path"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/vitrine-ssg/vitrine/generator"
	"github.com/vitrine-ssg/vitrine/generator/output"
	"github.com/vitrine-ssg/vitrine/generator/serve/browsertest"
)

// withConfig is a site folder whose vitrine.toml is replaced.
type withConfig struct {
	fs.FS
	config []byte
}

func (w withConfig) Open(name string) (fs.File, error) {
	if name != "vitrine.toml" {
		return w.FS.Open(name)
	}
	return fstest.MapFS{name: {Data: w.config}}.Open(name)
}

// serveMemory serves a built site from memory, as a static host does.
func serveMemory(t *testing.T, mem *output.Memory) *httptest.Server {
	s := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		name := strings.TrimPrefix(r.URL.Path, "/")
		if name == "" || strings.HasSuffix(name, "/") {
			name += "index.html"
		}
		data, ok := mem.Get(name)
		if !ok {
			http.NotFound(w, r)
			return
		}
		if ct := mime.TypeByExtension(path.Ext(name)); ct != "" {
			w.Header().Set("Content-Type", ct)
		}
		w.Write(data)
	}))
	t.Cleanup(s.Close)
	return s
}

// shownJS measures, for every image drawn in main, the part of the photo it shows: its box's aspect
// ratio against the photo's under the computed object-fit (fill and cover cut or squeeze the photo by
// the ratio of the two ratios; contain and scale-down show it whole). It returns the images showing less
// than 97 %, and whether the page overflows sideways.
const shownJS = `(() => {
  const bad = [];
  for (const img of document.querySelectorAll("main img")) {
    const r = img.getBoundingClientRect();
    if (r.width === 0 || r.height === 0 || !img.naturalWidth) continue;
    const fit = getComputedStyle(img).objectFit;
    const box = r.width / r.height, nat = img.naturalWidth / img.naturalHeight;
    let shown = Math.min(box, nat) / Math.max(box, nat);
    if (fit === "contain" || fit === "scale-down") shown = 1;
    if (fit === "none") shown = Math.min(1, r.width / img.naturalWidth) * Math.min(1, r.height / img.naturalHeight);
    if (shown < 0.97) bad.push((img.currentSrc || img.src).replace(location.origin, "") + " " + Math.round(shown * 100) + "% (" + fit + ", box " + Math.round(r.width) + "x" + Math.round(r.height) + ")");
  }
  const over = document.documentElement.scrollWidth - document.documentElement.clientWidth;
  return JSON.stringify({bad, over});
})()`

// TestPhotosWholeInBrowser loads the demo's projects list and every project page in Chromium, at a
// phone's width (390 px) and a laptop's (1366 px), in both built-in themes, and checks that every photo
// of main shows at least 97 % of itself and that nothing overflows sideways.
func TestPhotosWholeInBrowser(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the demo twice and drives a browser")
	}
	ctx := browsertest.Start(t)
	config, err := os.ReadFile(filepath.Join("..", "vitrine.toml"))
	if err != nil {
		t.Fatal(err)
	}
	for _, theme := range []string{"default", "galerie"} {
		cfg := config
		if theme != "default" {
			cfg = append([]byte("theme = \""+theme+"\"\n"), config...)
		}
		mem := &output.Memory{}
		res, err := generator.Build(context.Background(), generator.Options{Source: withConfig{os.DirFS(".."), cfg}, Writer: mem, Now: now,
			CacheDir: filepath.Join("..", ".vitrine", "cache")})
		if err != nil {
			t.Fatal(err)
		}
		s := serveMemory(t, mem)
		pages := []string{"/projects/"}
		for _, p := range res.Site.RegularPages("projects") {
			pages = append(pages, p.URL)
		}
		photos := 0
		for _, width := range []int64{390, 1366} {
			for _, page := range pages {
				run := func(a chromedp.Action[chromedp.Void]) {
					t.Helper()
					if _, err := chromedp.Run(ctx, a); err != nil {
						t.Fatalf("%s %s at %d px: %v", theme, page, width, err)
					}
				}
				run(chromedp.EmulateViewport(width, 900))
				run(chromedp.Navigate(s.URL + page))
				// Lazy photos are loaded at once, then measured once they all are.
				run(chromedp.Evaluate[chromedp.Void](`document.querySelectorAll("main img").forEach(i => i.loading = "eager")`))
				if _, err := chromedp.Run(ctx, chromedp.Poll[bool](`[...document.querySelectorAll("main img")].every(i => i.complete)`, chromedp.WithPollingTimeout(30*time.Second))); err != nil {
					t.Fatalf("%s %s at %d px: photos not loaded: %v", theme, page, width, err)
				}
				n, err := chromedp.Run(ctx, chromedp.Evaluate[int](`[...document.querySelectorAll("main img")].filter(i => i.getBoundingClientRect().width > 0).length`))
				if err != nil {
					t.Fatal(err)
				}
				out, err := chromedp.Run(ctx, chromedp.Evaluate[string](shownJS))
				if err != nil {
					t.Fatal(err)
				}
				photos += n
				if !strings.Contains(out, `"bad":[]`) || !strings.Contains(out, `"over":0`) {
					t.Errorf("%s theme, %s at %d px: photos shown in part or a page wider than the screen: %s", theme, page, width, out)
				}
			}
		}
		if photos < 40 {
			t.Errorf("%s theme: only %d photos measured over the projects' pages: the test looks at too little", theme, photos)
		}
		t.Logf("%s theme: %d photos measured whole on %d pages at 390 and 1366 px", theme, photos, len(pages))
	}
}

package serve

import (
	"bufio"
	"context"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// testSite writes a small site into a temporary folder.
func testSite(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	files := map[string]string{
		"vitrine.toml":               "baseURL = \"https://example.org/\"\ntitle = \"Atelier\"\n[cards]\ngenerate = false\n",
		"content/_index.md":          "---\ntitle: Accueil\n---\nBienvenue.\n",
		"content/posts/premier.md":   "---\ntitle: Premier article\ndate: 2025-01-10\n---\nLe texte du premier article.\n",
		"content/posts/deuxieme.md":  "---\ntitle: Deuxième article\ndate: 2025-02-10\n---\nLe texte du deuxième.\n",
		"content/posts/brouillon.md": "---\ntitle: Un brouillon\ndate: 2025-03-10\ndraft: true\n---\nPas fini.\n",
		"static/notes.txt":           "des notes\n",
	}
	for name, text := range files {
		write(t, dir, name, text)
	}
	return dir
}

func write(t *testing.T, dir, name, text string) {
	t.Helper()
	full := filepath.Join(dir, filepath.FromSlash(name))
	if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(full, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
}

// start runs a server on a free port until the test ends.
func start(t *testing.T, opts Options) (*Server, *syncBuffer) {
	t.Helper()
	log := &syncBuffer{}
	opts.Log, opts.Port = log, 0
	s, err := New(opts)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- s.Run(ctx) }()
	t.Cleanup(func() {
		cancel()
		select {
		case err := <-done:
			if err != nil {
				t.Errorf("Run: %v", err)
			}
		case <-time.After(10 * time.Second):
			t.Error("the server did not stop within 10 s of its context's end")
		}
	})
	waitFor(t, func() bool { return strings.Contains(log.String(), "Serving") }, "the server to start:\n"+log.String())
	return s, log
}

type syncBuffer struct {
	mu sync.Mutex
	b  strings.Builder
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.String()
}

func waitFor(t *testing.T, ok func() bool, what string) {
	t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for !ok() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func get(t *testing.T, url string) (*http.Response, string) {
	t.Helper()
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := client.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp, string(body)
}

func TestServeFiles(t *testing.T) {
	s, _ := start(t, Options{Dir: testSite(t), Drafts: true})
	for _, c := range []struct {
		path, status, ctype, want string
	}{
		{"/", "200", "text/html; charset=utf-8", `<script src="/_vitrine/live.js" data-gen="`},
		{"/posts/premier/", "200", "text/html; charset=utf-8", "Le texte du premier article."},
		{"/posts/brouillon/", "200", "text/html; charset=utf-8", `class="wrap draft-badge"`},
		{"/posts/premier", "301", "", ""},
		{"/nulle-part/", "404", "text/html; charset=utf-8", "live.js"},
		{"/notes.txt", "200", "text/plain; charset=utf-8", "des notes"},
		{"/index.xml", "200", "application/rss+xml; charset=utf-8", "<rss"},
		{"/sitemap.xml", "200", "application/xml; charset=utf-8", "http://127.0.0.1:"},
		{"/css/style.css", "200", "text/css; charset=utf-8", ""},
		{"/_vitrine/live.js", "200", "text/javascript; charset=utf-8", "EventSource"},
	} {
		resp, body := get(t, s.URL()+strings.TrimPrefix(c.path, "/"))
		if got := resp.Status[:3]; got != c.status {
			t.Errorf("%s: status %s, want %s", c.path, got, c.status)
		}
		if c.ctype != "" && resp.Header.Get("Content-Type") != c.ctype {
			t.Errorf("%s: Content-Type %q, want %q", c.path, resp.Header.Get("Content-Type"), c.ctype)
		}
		if !strings.Contains(body, c.want) {
			t.Errorf("%s: body lacks %q", c.path, c.want)
		}
	}
	if resp, _ := get(t, s.URL()+"posts/premier"); resp.Header.Get("Location") != "/posts/premier/" {
		t.Errorf("redirect to %q", resp.Header.Get("Location"))
	}
}

// TestServeSubPath serves a bilingual site deployed under a sub-path as it will be once deployed: under
// that path, every link carrying it.
func TestServeSubPath(t *testing.T) {
	dir := testSite(t)
	write(t, dir, "vitrine.toml", "baseURL = \"https://camille.github.io/atelier/\"\ntitle = \"Atelier\"\n[cards]\ngenerate = false\n[languages.en]\nlanguageName = \"English\"\n")
	write(t, dir, "content/posts/premier.en.md", "---\ntitle: First post\ndate: 2025-01-10\n---\nThe text.\n")
	s, _ := start(t, Options{Dir: dir})
	if !strings.HasSuffix(s.URL(), "/atelier/") {
		t.Fatalf("URL %s: the site's path is missing", s.URL())
	}
	root := strings.TrimSuffix(s.URL(), "atelier/")
	for _, c := range []struct {
		path, status, want string
	}{
		{"atelier/", "200", `<a class="brand" href="/atelier/"`},
		{"atelier/posts/premier/", "200", `<a href="/atelier/en/posts/premier/" lang="en" hreflang="en" rel="alternate">English</a>`},
		{"atelier/en/posts/premier/", "200", `<link rel="stylesheet" href="/atelier/css/style.css">`},
		{"atelier/en/nowhere/", "404", `<html lang="en">`},
		{"atelier/nulle-part/", "404", `<html lang="fr">`},
		{"posts/premier/", "404", `<html lang="fr">`},
		{"", "302", ""},
		{"atelier", "301", ""},
	} {
		resp, body := get(t, root+c.path)
		if got := resp.Status[:3]; got != c.status {
			t.Errorf("/%s: status %s, want %s", c.path, got, c.status)
		}
		if !strings.Contains(body, c.want) {
			t.Errorf("/%s: body lacks %q", c.path, c.want)
		}
	}
	if resp, _ := get(t, root); resp.Header.Get("Location") != "/atelier/" {
		t.Errorf("the root redirects to %q", resp.Header.Get("Location"))
	}
}

func TestFileName(t *testing.T) {
	for in, want := range map[string]string{
		"/":                 "index.html",
		"/posts/a/":         "posts/a/index.html",
		"/css/style.css":    "css/style.css",
		"/a//b/./c.txt":     "a/b/c.txt",
		"/tags/été/":        "tags/été/index.html",
		"/../etc/passwd":    "",
		"/a/../../b":        "",
		"relative":          "",
		"/a\\..\\b":         "",
		"/nul\x00/":         "",
		"/posts/a/../b.txt": "",
	} {
		got, ok := fileName(in)
		if got != want || ok != (want != "") {
			t.Errorf("fileName(%q) = %q, %v; want %q", in, got, ok, want)
		}
	}
}

// events reads the event names of an event stream, each with its data.
func events(t *testing.T, url string) (<-chan [2]string, func()) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, url+"_vitrine/events", nil)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	if ct := resp.Header.Get("Content-Type"); ct != "text/event-stream" {
		t.Fatalf("events: Content-Type %q", ct)
	}
	ch := make(chan [2]string, 16)
	go func() {
		defer resp.Body.Close()
		sc := bufio.NewScanner(resp.Body)
		var name string
		for sc.Scan() {
			line := sc.Text()
			switch {
			case strings.HasPrefix(line, "event: "):
				name = strings.TrimPrefix(line, "event: ")
			case strings.HasPrefix(line, "data: "):
				ch <- [2]string{name, strings.TrimPrefix(line, "data: ")}
			}
		}
		close(ch)
	}()
	return ch, cancel
}

func next(t *testing.T, ch <-chan [2]string, name string) string {
	t.Helper()
	timeout := time.After(15 * time.Second)
	for {
		select {
		case ev, ok := <-ch:
			if !ok {
				t.Fatalf("the event stream ended before a %s event", name)
			}
			if ev[0] == name {
				return ev[1]
			}
		case <-timeout:
			t.Fatalf("no %s event within 15 s", name)
		}
	}
}

func TestLiveEvents(t *testing.T) {
	dir := testSite(t)
	s, log := start(t, Options{Dir: dir})
	ch, stop := events(t, s.URL())
	defer stop()
	next(t, ch, "hello")

	write(t, dir, "content/posts/premier.md", "---\ntitle: Premier article\ndate: 2025-01-10\n---\nUn texte tout neuf.\n")
	if data := next(t, ch, "reload"); !strings.Contains(data, `"posts/premier/index.html"`) {
		t.Errorf("reload event %s lacks the article", data)
	}
	if _, body := get(t, s.URL()+"posts/premier/"); !strings.Contains(body, "Un texte tout neuf.") {
		t.Error("the article was not rebuilt")
	}

	write(t, dir, "content/posts/premier.md", "---\ntitle: [Premier\ndate: 2025-01-10\n---\nCassé.\n")
	if data := next(t, ch, "builderror"); !strings.Contains(data, "content/posts/premier.md:2:") {
		t.Errorf("error event %s does not name the file and line", data)
	}
	if _, body := get(t, s.URL()+"posts/premier/"); !strings.Contains(body, "Un texte tout neuf.") {
		t.Error("the last good page is not served while the build fails")
	}
	// A page opened now learns of the error at once.
	ch2, stop2 := events(t, s.URL())
	defer stop2()
	next(t, ch2, "builderror")

	write(t, dir, "content/posts/premier.md", "---\ntitle: Premier article\ndate: 2025-01-10\n---\nRéparé.\n")
	next(t, ch, "reload")

	write(t, dir, "static/css/style.css", "body { color: #123456 }\n")
	next(t, ch, "css")
	if _, body := get(t, s.URL()+"css/style.css"); !strings.Contains(body, "#123456") {
		t.Errorf("stylesheet not updated: %s", body)
	}

	// A new folder of content, with a page, written at once.
	if err := os.MkdirAll(filepath.Join(dir, "content", "notes"), 0o755); err != nil {
		t.Fatal(err)
	}
	write(t, dir, "content/notes/idee.md", "---\ntitle: Une idée\n---\nÀ creuser.\n")
	waitFor(t, func() bool {
		resp, _ := get(t, s.URL()+"notes/idee/")
		return resp.StatusCode == http.StatusOK
	}, "the page of a new folder")
	for _, want := range []string{"rebuilt", "pages in", "content/posts/premier.md:2:"} {
		if !strings.Contains(log.String(), want) {
			t.Errorf("log lacks %q:\n%s", want, log.String())
		}
	}
}

func TestListenRefused(t *testing.T) {
	s, _ := start(t, Options{Dir: testSite(t)})
	port := s.ln.Addr().String()
	_, p, _ := strings.Cut(port, ":")
	_, err := New(Options{Dir: testSite(t), Port: atoi(p)})
	if err == nil || !strings.Contains(err.Error(), "--port") {
		t.Errorf("a port in use gave %v", err)
	}
}

func atoi(s string) int {
	n := 0
	for _, r := range s {
		n = n*10 + int(r-'0')
	}
	return n
}

// TestShutdown stops the server while a page listens to its events: Run returns promptly all the same.
func TestShutdown(t *testing.T) {
	s, err := New(Options{Dir: testSite(t), Log: io.Discard})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- s.Run(ctx) }()
	waitFor(t, func() bool {
		resp, err := http.Get(s.URL())
		if err == nil {
			resp.Body.Close()
		}
		return err == nil
	}, "the server")
	ch, stop := events(t, s.URL())
	defer stop()
	next(t, ch, "hello")
	start := time.Now()
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(4 * time.Second):
		t.Fatal("Run did not return within 4 s of Ctrl-C with an event stream open")
	}
	if d := time.Since(start); d > 2*time.Second {
		t.Errorf("shutdown took %s", d)
	}
	if _, err := http.Get(s.URL()); err == nil {
		t.Error("the server still answers after shutdown")
	}
}

// TestDashboardMounted checks that Options.Dashboard serves /_vitrine/ and what lies under it, but the
// live reload's own paths, and that without one those paths are not found.
func TestDashboardMounted(t *testing.T) {
	dash := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, "dashboard "+r.URL.Path) })
	s, _ := start(t, Options{Dir: testSite(t), Dashboard: dash})
	for _, p := range []string{"_vitrine/", "_vitrine/syndication"} {
		if resp, body := get(t, s.URL()+p); resp.StatusCode != 200 || body != "dashboard /"+p {
			t.Errorf("%s: %d %q", p, resp.StatusCode, body)
		}
	}
	if resp, body := get(t, s.URL()+"_vitrine/live.js"); resp.StatusCode != 200 || strings.HasPrefix(body, "dashboard") {
		t.Errorf("live.js: %d %q", resp.StatusCode, body)
	}
	bare, _ := start(t, Options{Dir: testSite(t)})
	if resp, _ := get(t, bare.URL()+"_vitrine/"); resp.StatusCode != 404 {
		t.Errorf("/_vitrine/ without a dashboard: %d", resp.StatusCode)
	}
}

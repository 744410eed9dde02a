// Package serve is vitrine's dev server: it builds a site into memory, serves it over HTTP, watches its
// files and rebuilds what their changes touch, and tells the browser.
//
// # Watching
//
// content/, static/, layouts/, i18n/, themes/, data/ and vitrine.toml are watched with fsnotify, every
// folder of them (folders created later too). Events come in bursts: an editor that saves through a
// temporary file and a rename, a git checkout. They are gathered until the files have been quiet for a
// short while (Options.Debounce), then the batch goes to generator.Session.Rebuild, which sorts the paths
// into change kinds (content, static, data, layouts, config) and rebuilds accordingly.
//
// # Serving
//
// Files are served from the Session's memory with the content type of their extension, paths cleaned
// (no escape with ..), a folder's index.html for its URL, /404.html with status 404 for a path that has
// no file, and no caching. Into every HTML page served, and only there (the built files stay as a build
// makes them), a script is added before </body>: it listens to /_vitrine/events (Server-Sent Events) and
// reloads the page when it changed, keeping its scroll position; swaps the stylesheets in place when
// only CSS changed; shows build errors over the page, with file, line and message, while the last good
// site stays served; and takes the error away once a build succeeds again.
//
// # Dashboard
//
// /_vitrine/ and the paths under it, but the live reload's own, are served by Options.Dashboard, the
// community manager's dashboard (package syndicate/dashboard) that cmd/vitrine mounts there.
package serve

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"html"
	"io"
	"io/fs"
	"mime"
	"net"
	"net/http"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/vitrine-ssg/vitrine/generator"
	"github.com/vitrine-ssg/vitrine/generator/config"
	"github.com/vitrine-ssg/vitrine/generator/model"
	"github.com/vitrine-ssg/vitrine/generator/output"
)

// Options are the settings of a Server.
type Options struct {
	// Dir is the site's folder.
	Dir string
	// Bind and Port are where to listen: Bind is 127.0.0.1 when empty; Port 0 picks a free port (the
	// command's default is 1313).
	Bind string
	Port int
	// Drafts and Future show drafts and pages dated in the future.
	Drafts, Future bool
	// Log receives the server's messages: the URL to open, each rebuild and its errors.
	Log io.Writer
	// Debounce is how long files must be quiet before a rebuild; 10 ms by default.
	Debounce time.Duration
	// CacheDir keeps social cards between runs; "" for DIR/.vitrine/cache.
	CacheDir string
	// Dashboard, when set, serves /_vitrine/ and the paths under it but the live reload's own
	// (/_vitrine/events, /_vitrine/live.js): cmd/vitrine mounts syndicate/dashboard there.
	Dashboard http.Handler
}

// Server serves one site. Create it with New, then Run it.
type Server struct {
	opts    Options
	ln      net.Listener
	url     string
	base    string // the site's path: "/" or "/repo/"
	session *generator.Session
	src     fs.FS // the site's folder, read through generator.OpenSource
	mem     *output.Memory
	events  *broker
	early   []string // pages already announced during the rebuild under way
	good    bool     // a build succeeded: there is a site to serve
}

// New listens on the address of opts; the site is built by Run.
func New(opts Options) (*Server, error) {
	if opts.Bind == "" {
		opts.Bind = "127.0.0.1"
	}
	if opts.Log == nil {
		opts.Log = io.Discard
	}
	if opts.Debounce <= 0 {
		opts.Debounce = 10 * time.Millisecond
	}
	if opts.CacheDir == "" {
		cache, err := generator.CacheDir(opts.Dir)
		if err != nil {
			return nil, err
		}
		opts.CacheDir = cache
	}
	if st, err := os.Stat(opts.Dir); err != nil || !st.IsDir() {
		return nil, fmt.Errorf("%s is not a site folder: %v", opts.Dir, err)
	}
	// A folder without vitrine.toml is no site at all: nothing will ever be served. A vitrine.toml that
	// does not parse is a mistake to show over the page while it is fixed.
	// Read through the site's file system, which opens no named pipe: one named vitrine.toml would
	// hold the server before it starts.
	src, err := generator.OpenSource(opts.Dir)
	if err != nil {
		return nil, err
	}
	if _, err := config.Load(src); err != nil {
		if _, statErr := os.Stat(filepath.Join(opts.Dir, config.FileName)); errors.Is(statErr, fs.ErrNotExist) {
			return nil, err
		}
	}
	ln, err := net.Listen("tcp", net.JoinHostPort(opts.Bind, strconv.Itoa(opts.Port)))
	if err != nil {
		return nil, fmt.Errorf("listen on %s:%d: %w (is another server running? try --port)", opts.Bind, opts.Port, err)
	}
	host := opts.Bind
	if ip := net.ParseIP(host); ip != nil && ip.IsUnspecified() {
		host = "localhost" // listening everywhere: links work from this machine
	}
	port := ln.Addr().(*net.TCPAddr).Port
	// A site deployed under a sub-path (https://user.github.io/repo/) is served under the same path, so
	// that its links work as they will once deployed.
	base := "/"
	if cfg, err := config.Load(src); err == nil {
		base = (&model.Site{BaseURL: cfg.BaseURL}).BasePath()
	}
	s := &Server{
		opts:   opts,
		ln:     ln,
		base:   base,
		url:    "http://" + net.JoinHostPort(host, strconv.Itoa(port)) + base,
		mem:    &output.Memory{},
		events: newBroker(),
	}
	s.src = src
	s.session = generator.NewSession(generator.Options{
		Source:   src,
		BaseURL:  s.url,
		Drafts:   opts.Drafts,
		Future:   opts.Future,
		CacheDir: opts.CacheDir,
		Serve:    true,
	}, s.mem)
	s.session.OnPages = s.pagesReady
	return s, nil
}

// pagesReady reloads the pages that changed as soon as they are in memory, before the feeds are made.
func (s *Server) pagesReady(changed []string) {
	s.early = changed
	s.events.succeeded(changed)
}

// URL is the address the site is served at, ending with a slash.
func (s *Server) URL() string { return s.url }

// Run builds the site, serves it and rebuilds it as its files change, until ctx is done; then it
// stops serving, letting requests under way finish.
func (s *Server) Run(ctx context.Context) error {
	w, err := newWatcher(s.opts.Dir, s.opts.Debounce)
	if err != nil {
		s.ln.Close()
		return err
	}
	defer w.close()

	start := time.Now()
	res, err := s.session.Rebuild(ctx, nil)
	if err != nil {
		s.failed(err)
	} else {
		s.good = true
		fmt.Fprintf(s.opts.Log, "Built %d pages in %s\n", res.Pages, time.Since(start).Round(time.Millisecond))
		s.events.succeeded(nil)
	}
	shown := ""
	switch {
	case s.opts.Drafts && s.opts.Future:
		shown = " (drafts and future pages shown)"
	case s.opts.Drafts:
		shown = " (drafts shown)"
	case s.opts.Future:
		shown = " (future pages shown)"
	}
	fmt.Fprintf(s.opts.Log, "Serving %s at %s%s; press Ctrl-C to stop\n", s.opts.Dir, s.url, shown)

	srv := &http.Server{Handler: s.Handler(), ReadHeaderTimeout: 10 * time.Second}
	srv.RegisterOnShutdown(s.events.close)
	served := make(chan error, 1)
	go func() { served <- srv.Serve(s.ln) }()

	go w.run(ctx)
	for {
		select {
		case <-ctx.Done():
			// Requests under way get a moment to finish; then connections still open (a slow
			// client, a browser tab that never sent its request) are cut: stopping must not wait on
			// them.
			shut, cancel := context.WithTimeout(context.Background(), 2*time.Second)
			defer cancel()
			if err := srv.Shutdown(shut); err != nil {
				srv.Close()
				fmt.Fprintln(s.opts.Log, "Stopped (connections still open were cut)")
				return nil
			}
			fmt.Fprintln(s.opts.Log, "Stopped")
			return nil
		case err := <-served:
			return err
		case err := <-w.errs:
			fmt.Fprintln(s.opts.Log, "Watch:", err)
		case batch := <-w.batches:
			s.rebuild(ctx, batch)
		}
	}
}

// rebuild brings the site up to date after a batch of changes and tells the browsers.
func (s *Server) rebuild(ctx context.Context, batch []string) {
	start := time.Now()
	s.early = nil
	res, err := s.session.Rebuild(ctx, batch)
	if ctx.Err() != nil {
		return
	}
	// Files that are still there name the change; editors' temporary files come and go.
	var shown []string
	for _, p := range batch {
		if _, err := os.Stat(filepath.Join(s.opts.Dir, filepath.FromSlash(p))); err == nil {
			shown = append(shown, p)
		}
	}
	if len(shown) == 0 {
		shown = batch
	}
	what := strings.Join(shown, ", ")
	if len(shown) > 3 {
		what = fmt.Sprintf("%s and %d more", strings.Join(shown[:2], ", "), len(shown)-2)
	}
	if err != nil {
		fmt.Fprintf(s.opts.Log, "%s: ", what)
		s.failed(err)
		return
	}
	s.good = true
	fmt.Fprintf(s.opts.Log, "%s: rebuilt %d %s in %d ms\n", what, res.Rendered, plural(res.Rendered, "page", "pages"), time.Since(start).Milliseconds())
	rest := slices.DeleteFunc(slices.Clone(res.Changed), func(name string) bool { return slices.Contains(s.early, name) })
	if len(rest) > 0 || s.early == nil {
		s.events.succeeded(rest)
	}
}

func (s *Server) failed(err error) {
	msg := err.Error()
	served := "the last good site is still served"
	if !s.good {
		served = "nothing is served until the site builds: fix the error and save"
	}
	fmt.Fprintf(s.opts.Log, "Error (%s):\n  %s\n", served, strings.ReplaceAll(msg, "\n", "\n  "))
	s.events.failed(msg)
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// Handler serves the site, the live-reload script and its events.
func (s *Server) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("/_vitrine/events", s.events.serve)
	mux.HandleFunc("/_vitrine/live.js", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/javascript; charset=utf-8")
		w.Header().Set("Cache-Control", "no-store")
		io.WriteString(w, liveScript)
	})
	if s.opts.Dashboard != nil {
		mux.Handle("/_vitrine/", s.opts.Dashboard)
	} else {
		mux.Handle("/_vitrine/", http.NotFoundHandler())
	}
	mux.HandleFunc("/", s.file)
	return s.guard(mux)
}

// guard lets through the requests addressed to this server by its own name, refusing the others with
// 421 Misdirected Request: a page of another site whose host name is made to resolve to 127.0.0.1 (DNS
// rebinding) would otherwise read the dashboard, with the posts scheduled and not yet published, and
// every draft served. The names are the loopback ones (localhost, *.localhost, 127.0.0.0/8, [::1]) and
// the --bind address; when the server listens on every address (--bind 0.0.0.0, for a phone on the same
// network), any IP address too, which no DNS answer can stand for. A request that could change
// something (any method but GET, HEAD and OPTIONS) from another origin is refused with 403, through
// net/http's CrossOriginProtection (Sec-Fetch-Site, else Origin against Host).
func (s *Server) guard(next http.Handler) http.Handler {
	cop := http.NewCrossOriginProtection()
	cop.SetDenyHandler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, "vitrine serve: cross-origin request refused", http.StatusForbidden)
	}))
	protected := cop.Handler(next)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !s.allowedHost(r.Host) {
			http.Error(w, fmt.Sprintf("vitrine serve answers to localhost and %s only, not to the host %q (open %s)", s.opts.Bind, r.Host, s.url), http.StatusMisdirectedRequest)
			return
		}
		protected.ServeHTTP(w, r)
	})
}

// allowedHost reports whether the Host header of a request names this server (see guard).
func (s *Server) allowedHost(hostport string) bool {
	host := hostport
	if h, port, err := net.SplitHostPort(hostport); err == nil {
		if _, err := strconv.ParseUint(port, 10, 16); err != nil {
			return false
		}
		host = h
	} else if strings.HasPrefix(host, "[") && strings.HasSuffix(host, "]") {
		host = host[1 : len(host)-1]
	}
	host = strings.TrimSuffix(strings.ToLower(host), ".")
	if host == "" {
		return false
	}
	if host == "localhost" || strings.HasSuffix(host, ".localhost") || strings.EqualFold(host, strings.Trim(s.opts.Bind, "[]")) {
		return true
	}
	ip := net.ParseIP(host)
	if ip == nil {
		return false
	}
	if ip.IsLoopback() {
		return true
	}
	if bind := net.ParseIP(strings.Trim(s.opts.Bind, "[]")); bind != nil && bind.IsUnspecified() {
		return true
	}
	return false
}

// snippet is what goes before </body> of every HTML page served, with the build it comes from.
func (b *broker) snippet() []byte {
	b.mu.Lock()
	defer b.mu.Unlock()
	return []byte(`<script src="/_vitrine/live.js" data-gen="` + b.generation() + `"></script>`)
}

// file serves a file of the site.
func (s *Server) file(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, HEAD")
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	p := r.URL.Path
	outside := false // a path outside the site's: its 404 page
	if s.base != "/" {
		rest, under := strings.CutPrefix(p, strings.TrimSuffix(s.base, "/"))
		switch {
		case under && rest == "":
			http.Redirect(w, r, s.base, http.StatusMovedPermanently)
			return
		case under && strings.HasPrefix(rest, "/"):
			p = rest
		case p == "/":
			http.Redirect(w, r, s.base, http.StatusFound)
			return
		default:
			outside = true
		}
	}
	name, ok := fileName(p)
	if !ok {
		http.Error(w, "bad path", http.StatusBadRequest)
		return
	}
	var data []byte
	found := false
	if !outside {
		data, found = s.mem.Get(name)
	}
	if !found && !outside && !strings.HasSuffix(r.URL.Path, "/") {
		if _, dir := s.mem.Get(path.Join(name, "index.html")); dir {
			target := r.URL.Path + "/"
			if r.URL.RawQuery != "" {
				target += "?" + r.URL.RawQuery
			}
			http.Redirect(w, r, target, http.StatusMovedPermanently)
			return
		}
	}
	status := http.StatusOK
	if !found {
		status = http.StatusNotFound
		// A language's own 404 page (en/404.html) for its paths, else the site's.
		if seg, _, ok := strings.Cut(name, "/"); ok {
			data, found = s.mem.Get(seg + "/404.html")
		}
		if !found {
			data, found = s.mem.Get("404.html")
		}
		if !found {
			data = []byte("<!DOCTYPE html><title>404</title><p>Not found: " + html.EscapeString(r.URL.Path) + "</p>")
		}
		name = "404.html"
	}
	h := w.Header()
	ctype := contentType(name, data)
	h.Set("Content-Type", ctype)
	h.Set("Cache-Control", "no-store")
	h.Set("X-Content-Type-Options", "nosniff")
	if strings.HasPrefix(ctype, "text/html") {
		data = output.InjectBeforeBody(data, s.events.snippet())
	}
	if status != http.StatusOK {
		h.Set("Content-Length", strconv.Itoa(len(data)))
		w.WriteHeader(status)
		if r.Method != http.MethodHead {
			w.Write(data)
		}
		return
	}
	http.ServeContent(w, r, name, time.Time{}, bytes.NewReader(data))
}

// fileName maps a URL path to the name of the file serving it: "/posts/a/" → "posts/a/index.html". It
// refuses paths that are not rooted or that hold a NUL, a backslash or a ".." segment; path.Clean
// would keep those inside the site anyway, but a request for them is no mistake a browser makes.
func fileName(p string) (string, bool) {
	if !strings.HasPrefix(p, "/") || strings.ContainsAny(p, "\x00\\") {
		return "", false
	}
	for seg := range strings.SplitSeq(p, "/") {
		if seg == ".." {
			return "", false
		}
	}
	name := strings.TrimPrefix(path.Clean(p), "/")
	if name == "" || strings.HasSuffix(p, "/") {
		return path.Join(name, "index.html"), true
	}
	return name, true
}

// contentType is the type of a file by its name: feeds by their names, the rest by extension.
func contentType(name string, data []byte) string {
	if t, ok := output.ContentType(name); ok {
		return t
	}
	if t := mime.TypeByExtension(path.Ext(name)); t != "" {
		return t
	}
	return http.DetectContentType(data)
}

// broker sends build events to the pages open in browsers.
type broker struct {
	mu      sync.Mutex
	clients map[chan event]bool
	gen     string // build generation: a page seeing another one after reconnecting reloads
	n       int
	err     string // the current build error, "" when the last build succeeded
	closed  bool
}

type event struct {
	name string
	data string
}

func newBroker() *broker {
	return &broker{clients: map[chan event]bool{}, gen: strconv.FormatInt(time.Now().UnixNano(), 36)}
}

// succeeded tells the pages what changed: CSS alone is swapped in place; anything else reloads the
// pages whose file changed (or all of them, when the changes are many or not pages).
func (b *broker) succeeded(changed []string) {
	b.mu.Lock()
	defer b.mu.Unlock()
	hadErr := b.err != ""
	b.err = ""
	if len(changed) == 0 {
		if hadErr {
			b.send(event{"ok", "{}"})
		}
		return
	}
	b.n++
	cssOnly := true
	for _, c := range changed {
		if !strings.HasSuffix(c, ".css") {
			cssOnly = false
		}
	}
	if cssOnly {
		data, _ := json.Marshal(map[string]string{"gen": b.generation()})
		b.send(event{"css", string(data)})
		return
	}
	msg := struct {
		Gen   string   `json:"gen"`
		Paths []string `json:"paths"` // nil: reload whatever the page
	}{Gen: b.generation()}
	if len(changed) <= 200 {
		msg.Paths = changed
	}
	data, _ := json.Marshal(msg)
	b.send(event{"reload", string(data)})
}

func (b *broker) failed(msg string) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.err = msg
	data, _ := json.Marshal(map[string]string{"message": msg})
	b.send(event{"builderror", string(data)})
}

func (b *broker) generation() string { return b.gen + "-" + strconv.Itoa(b.n) }

// send queues ev for every client; b.mu is held. A client that lags keeps only the newest event.
func (b *broker) send(ev event) {
	for c := range b.clients {
		select {
		case c <- ev:
		default:
			select {
			case <-c:
			default:
			}
			select {
			case c <- ev:
			default:
			}
		}
	}
}

// close ends every event stream, so that the server can shut down.
func (b *broker) close() {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.closed = true
	for c := range b.clients {
		close(c)
		delete(b.clients, c)
	}
}

// serve streams events to one page.
func (b *broker) serve(w http.ResponseWriter, r *http.Request) {
	flusher, ok := w.(http.Flusher)
	if !ok {
		http.Error(w, "streaming unsupported", http.StatusInternalServerError)
		return
	}
	c := make(chan event, 1)
	b.mu.Lock()
	if b.closed {
		b.mu.Unlock()
		http.Error(w, "shutting down", http.StatusServiceUnavailable)
		return
	}
	b.clients[c] = true
	hello, _ := json.Marshal(map[string]string{"gen": b.generation()})
	first := []event{{"hello", string(hello)}}
	if b.err != "" {
		data, _ := json.Marshal(map[string]string{"message": b.err})
		first = append(first, event{"builderror", string(data)})
	}
	b.mu.Unlock()
	defer func() {
		b.mu.Lock()
		if b.clients[c] {
			delete(b.clients, c)
		}
		b.mu.Unlock()
	}()

	h := w.Header()
	h.Set("Content-Type", "text/event-stream")
	h.Set("Cache-Control", "no-store")
	w.WriteHeader(http.StatusOK)
	// A page whose server restarted reconnects within half a second.
	io.WriteString(w, "retry: 500\n\n")
	for _, ev := range first {
		writeEvent(w, ev)
	}
	flusher.Flush()
	keepAlive := time.NewTicker(30 * time.Second)
	defer keepAlive.Stop()
	for {
		select {
		case <-r.Context().Done():
			return
		case ev, ok := <-c:
			if !ok {
				return
			}
			writeEvent(w, ev)
			flusher.Flush()
		case <-keepAlive.C:
			io.WriteString(w, ": keep-alive\n\n")
			flusher.Flush()
		}
	}
}

func writeEvent(w io.Writer, ev event) {
	fmt.Fprintf(w, "event: %s\n", ev.name)
	for line := range strings.SplitSeq(ev.data, "\n") {
		fmt.Fprintf(w, "data: %s\n", line)
	}
	io.WriteString(w, "\n")
}

package serve

import (
	"bufio"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// secret marks files the server must never send: the site's own sources and a file beside the site.
const secret = "SECRET-7f3a"

// rawGet sends a request line as written, without the cleaning an HTTP client would do, and returns the
// status code and the body.
func rawGet(t *testing.T, addr, target string) (int, string) {
	t.Helper()
	conn, err := net.DialTimeout("tcp", addr, 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	conn.SetDeadline(time.Now().Add(10 * time.Second))
	fmt.Fprintf(conn, "GET %s HTTP/1.1\r\nHost: %s\r\nConnection: close\r\n\r\n", target, addr)
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		return 0, err.Error()
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(body)
}

// TestServeTraversal asks for files outside the built site in every spelling of "..": the server
// answers from the site in memory only, never with a source file or a file beside the site.
func TestServeTraversal(t *testing.T) {
	dir := testSite(t)
	write(t, dir, "vitrine.toml", "# "+secret+"\nbaseURL = \"https://example.org/\"\ntitle = \"Atelier\"\n[cards]\ngenerate = false\n")
	write(t, dir, "content/posts/premier.md", "---\ntitle: Premier article\ndate: 2025-01-10\n---\n<!-- "+secret+" -->\n")
	write(t, filepath.Dir(dir), "outside.txt", secret)
	s, _ := start(t, Options{Dir: dir})
	addr := strings.TrimSuffix(strings.TrimPrefix(s.URL(), "http://"), "/")
	for _, target := range []string{
		"/../outside.txt", "/../../../../etc/passwd", "/%2e%2e/outside.txt", "/%2e%2e%2foutside.txt",
		"/..%2f..%2foutside.txt", "/..\\outside.txt", "/%5c..%5coutside.txt", "//outside.txt",
		"/vitrine.toml", "/content/posts/premier.md", "/posts/premier/../../../outside.txt",
		"/.vitrine/cache/", "/static/notes.txt/..%00/vitrine.toml", "/%00", "/posts/%2e%2e/%2e%2e/vitrine.toml",
		"http://evil.example/../outside.txt", "/_vitrine/../../outside.txt", "/_vitrine/events/../../outside.txt",
	} {
		code, body := rawGet(t, addr, target)
		if strings.Contains(body, secret) || strings.Contains(body, "root:") {
			t.Errorf("GET %s: %d sent a file outside the site", target, code)
		}
		if code == 200 && !strings.Contains(body, "<html") {
			t.Errorf("GET %s: 200 with %q", target, body)
		}
	}
	if code, _ := rawGet(t, addr, "/notes.txt"); code != 200 {
		t.Errorf("the server stopped serving: %d", code)
	}
}

// TestServeAbuse sends a very long URL, many clients at once and slow clients that never finish their
// headers: each gets an answer or is cut off, and the server keeps serving the others.
func TestServeAbuse(t *testing.T) {
	s, _ := start(t, Options{Dir: testSite(t)})
	addr := strings.TrimSuffix(strings.TrimPrefix(s.URL(), "http://"), "/")

	for _, n := range []int{8 << 10, 2 << 20} {
		code, _ := rawGet(t, addr, "/"+strings.Repeat("a", n))
		if code != 404 && code != 414 && code != 431 && code != 400 && code != 0 {
			t.Errorf("a URL of %d bytes: status %d", n, code)
		}
	}

	// Slow clients hold connections open, sending a header byte now and then.
	var slow []net.Conn
	for range 100 {
		c, err := net.Dial("tcp", addr)
		if err != nil {
			t.Fatal(err)
		}
		slow = append(slow, c)
		fmt.Fprintf(c, "GET / HTTP/1.1\r\nHost: %s\r\nX-Slow: ", addr)
	}
	defer func() {
		for _, c := range slow {
			c.Close()
		}
	}()

	// Many clients at once, some of them listening to the live-reload events.
	client := &http.Client{Timeout: 30 * time.Second}
	var wg sync.WaitGroup
	errs := make(chan error, 400)
	for i := range 300 {
		wg.Go(func() {
			path := []string{"", "posts/premier/", "index.xml", "notes.txt", "nulle-part/"}[i%5]
			resp, err := client.Get(s.URL() + path)
			if err != nil {
				errs <- err
				return
			}
			io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			if resp.StatusCode != 200 && resp.StatusCode != 404 {
				errs <- fmt.Errorf("%s: %s", path, resp.Status)
			}
		})
	}
	for range 50 {
		wg.Go(func() {
			req, _ := http.NewRequest("GET", s.URL()+"_vitrine/events", nil)
			c := &http.Client{Timeout: 500 * time.Millisecond}
			resp, err := c.Do(req)
			if err == nil {
				io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	if resp, body := get(t, s.URL()+"posts/premier/"); resp.StatusCode != 200 || !strings.Contains(body, "premier article") {
		t.Errorf("after the crowd: %s", resp.Status)
	}
}

// TestServeBurst writes a thousand files at once, as a git checkout does: the server gathers the events
// into a few rebuilds and ends up serving every page.
func TestServeBurst(t *testing.T) {
	dir := testSite(t)
	s, log := start(t, Options{Dir: dir, Debounce: 50 * time.Millisecond})
	const n = 1000
	for i := range n {
		name := filepath.Join(dir, "content", "notes", fmt.Sprintf("note-%04d.md", i))
		if err := os.MkdirAll(filepath.Dir(name), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(name, fmt.Appendf(nil, "---\ntitle: Note %d\ndate: 2025-01-01\n---\nNote %d.\n", i, i), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	last := s.URL() + fmt.Sprintf("notes/note-%04d/", n-1)
	waitFor(t, func() bool {
		resp, err := http.Get(last)
		if err != nil {
			return false
		}
		resp.Body.Close()
		return resp.StatusCode == 200
	}, "the last of the burst to be served:\n"+log.String())
	// Every page is there once the log is quiet.
	waitFor(t, func() bool {
		before := log.String()
		time.Sleep(300 * time.Millisecond)
		return log.String() == before
	}, "the rebuilds to end")
	for _, i := range []int{0, 1, n / 2, n - 2} {
		if resp, _ := get(t, s.URL()+fmt.Sprintf("notes/note-%04d/", i)); resp.StatusCode != 200 {
			t.Errorf("note %d: %s", i, resp.Status)
		}
	}
	if rebuilds := strings.Count(log.String(), "rebuilt"); rebuilds > n/10 {
		t.Errorf("%d rebuilds for one burst of %d files: events are not gathered", rebuilds, n)
	}
	if strings.Contains(log.String(), "Error") {
		t.Errorf("errors during the burst:\n%s", log.String())
	}
}

// TestServeLoopback checks that the server listens on loopback unless told otherwise.
func TestServeLoopback(t *testing.T) {
	s, _ := start(t, Options{Dir: testSite(t)})
	u, _ := url.Parse(s.URL())
	if ip := net.ParseIP(u.Hostname()); ip == nil || !ip.IsLoopback() {
		t.Errorf("the server listens on %s", u.Host)
	}
	if a := s.ln.Addr().(*net.TCPAddr); !a.IP.IsLoopback() {
		t.Errorf("the listener is on %s", a)
	}
}

// TestServeRefusesForeignHosts sends requests whose Host header names another site, as a page of that
// site does once its name resolves to 127.0.0.1 (DNS rebinding): every route refuses them, the
// dashboard first, while the server's own names are served.
func TestServeRefusesForeignHosts(t *testing.T) {
	dashboard := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, "the scheduled posts")
	})
	s, _ := start(t, Options{Dir: testSite(t), Dashboard: dashboard})
	h := s.Handler()
	_, port, _ := net.SplitHostPort(strings.TrimSuffix(strings.TrimPrefix(s.URL(), "http://"), "/"))
	do := func(method, host, target string, header map[string]string) int {
		req := httptest.NewRequest(method, target, nil)
		req.Host = host
		for k, v := range header {
			req.Header.Set(k, v)
		}
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		return rec.Code
	}
	routes := []string{"/_vitrine/", "/_vitrine/syndication", "/_vitrine/live.js", "/", "/posts/premier/", "/nothing/"}
	for _, host := range []string{"evil.example", "evil.example:" + port, "127.0.0.1.evil.example:" + port, "localhost.evil.example",
		"[::1].evil.example", "0x7f.0.0.1.nip.io", "", "localhost:" + port + "@evil.example"} {
		for _, target := range routes {
			if code := do("GET", host, target, nil); code != http.StatusMisdirectedRequest {
				t.Errorf("GET %s with Host %q: %d, want 421", target, host, code)
			}
		}
	}
	for _, host := range []string{"localhost:" + port, "127.0.0.1:" + port, "[::1]:" + port, "localhost", "LOCALHOST.:" + port, "site.localhost:" + port, "127.0.0.2:" + port} {
		for _, target := range []string{"/_vitrine/", "/posts/premier/"} {
			if code := do("GET", host, target, nil); code != http.StatusOK {
				t.Errorf("GET %s with Host %q: %d, want 200", target, host, code)
			}
		}
	}
	// A request that could change something, from another origin, is refused even with a good Host.
	for _, header := range []map[string]string{
		{"Sec-Fetch-Site": "cross-site"},
		{"Sec-Fetch-Site": "same-site"},
		{"Origin": "http://evil.example"},
	} {
		for _, method := range []string{"POST", "PUT", "DELETE", "PATCH"} {
			if code := do(method, "127.0.0.1:"+port, "/_vitrine/", header); code != http.StatusForbidden {
				t.Errorf("%s /_vitrine/ with %v: %d, want 403", method, header, code)
			}
		}
	}
	if code := do("POST", "127.0.0.1:"+port, "/_vitrine/", map[string]string{"Sec-Fetch-Site": "same-origin"}); code == http.StatusForbidden || code == http.StatusMisdirectedRequest {
		t.Errorf("a same-origin POST was refused: %d", code)
	}
	// Through the network too: a real client naming another host gets no dashboard.
	addr := strings.TrimSuffix(strings.TrimPrefix(s.URL(), "http://"), "/")
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	fmt.Fprintf(conn, "GET /_vitrine/ HTTP/1.1\r\nHost: rebind.evil.example:%s\r\nConnection: close\r\n\r\n", port)
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusMisdirectedRequest {
		t.Errorf("GET /_vitrine/ over TCP with a foreign Host: %d", resp.StatusCode)
	}
}

// TestAllowedHostsWhenBoundEverywhere: listening on every address, the server answers to IP addresses
// (a phone on the same network) but still not to DNS names other than localhost; bound to one address,
// to that one and to the loopback names.
func TestAllowedHostsWhenBoundEverywhere(t *testing.T) {
	for _, c := range []struct {
		bind, host string
		ok         bool
	}{
		{"0.0.0.0", "192.168.1.20:1313", true},
		{"0.0.0.0", "[fe80::1]:1313", true},
		{"0.0.0.0", "localhost:1313", true},
		{"0.0.0.0", "evil.example:1313", false},
		{"::", "10.0.0.2", true},
		{"192.168.1.20", "192.168.1.20:1313", true},
		{"192.168.1.20", "192.168.1.21:1313", false},
		{"192.168.1.20", "127.0.0.1:1313", true},
		{"mybox.lan", "mybox.lan:1313", true},
		{"mybox.lan", "evil.example:1313", false},
		{"127.0.0.1", "10.0.0.2:1313", false},
	} {
		s := &Server{opts: Options{Bind: c.bind}}
		if got := s.allowedHost(c.host); got != c.ok {
			t.Errorf("bind %s, Host %q: %v, want %v", c.bind, c.host, got, c.ok)
		}
	}
}

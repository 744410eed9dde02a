// Command serve measures the dev server's edit-to-reload latency: the time from writing an article's
// Markdown file to the reload event reaching a browser's connection (vitrine's Server-Sent Event, Hugo's
// LiveReload message), on generated corpora, for vitrine serve and, when a Hugo binary is found, hugo
// server on the same content.
//
//	go run ./bench/serve                      # 1,000 and 10,000 articles, 20 edits each
//	go run ./bench/serve -n 1000 -edits 30
//	go run ./bench/serve -hugo /path/to/hugo  # Hugo from elsewhere; -hugo none to skip it
//
// Each edit adds a sentence to the body of an article (a writer at work), then waits for the reload and
// half a second more. Two series: a different article each time, spread over the corpus; and the newest
// article again and again, the one a writer is most likely at, which the home page and more feeds show. The corpus comes from
// bench/corpus with [cards] generate = false (Hugo draws no cards either). It prints the median, the
// 90th percentile and the extremes, and exits non-zero only when a server fails, never on a figure.
package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"golang.org/x/net/websocket"
)

func main() {
	sizes := flag.String("n", "1000,10000", "corpus sizes, comma-separated")
	edits := flag.Int("edits", 20, "edits per server and size")
	hugo := flag.String("hugo", "", `hugo binary ("" looks in $HOME/.cache/vitrine-bench/hugo, "none" skips Hugo)`)
	work := flag.String("work", "", "work folder (default: a temporary one, removed at the end)")
	flag.Parse()
	if err := run(*sizes, *edits, *hugo, *work); err != nil {
		fmt.Fprintln(os.Stderr, "serve bench:", err)
		os.Exit(1)
	}
}

func run(sizes string, edits int, hugo, work string) error {
	if work == "" {
		dir, err := os.MkdirTemp("", "vitrine-serve-bench-")
		if err != nil {
			return err
		}
		defer os.RemoveAll(dir)
		work = dir
	}
	hugo = findHugo(hugo)
	bin := filepath.Join(work, "vitrine")
	if out, err := exec.Command("go", "build", "-o", bin, "./cmd/vitrine").CombinedOutput(); err != nil {
		return fmt.Errorf("go build ./cmd/vitrine: %v\n%s", err, out)
	}
	fmt.Printf("edit-to-reload latency, %d edits per run (file written → reload event received)\n", edits)
	for s := range strings.SplitSeq(sizes, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(s))
		if err != nil {
			return fmt.Errorf("-n: %v", err)
		}
		site := filepath.Join(work, "corpus-"+strconv.Itoa(n))
		if _, err := os.Stat(site); err != nil {
			if out, err := exec.Command("go", "run", "./bench/corpus", "-n", strconv.Itoa(n), "-o", site).CombinedOutput(); err != nil {
				return fmt.Errorf("corpus: %v\n%s", err, out)
			}
			f, err := os.OpenFile(filepath.Join(site, "vitrine.toml"), os.O_APPEND|os.O_WRONLY, 0)
			if err != nil {
				return err
			}
			fmt.Fprint(f, "\n[cards]\ngenerate = false\n")
			f.Close()
		}
		servers := []struct {
			name  string
			start server
		}{{"vitrine serve", vitrineServer(bin, site)}}
		if hugo != "" {
			servers = append(servers, struct {
				name  string
				start server
			}{"hugo server", hugoServer(hugo, site)})
		}
		for _, sv := range servers {
			spread, newest, start, err := measure(site, edits, sv.start)
			if err != nil {
				return fmt.Errorf("%s, %d articles: %w", sv.name, n, err)
			}
			report(sv.name, n, "spread", start, spread)
			report(sv.name, n, "newest", start, newest)
		}
		if hugo == "" {
			fmt.Printf("%-14s %6d articles: skipped, no Hugo binary (bench/install-hugo.sh installs one)\n", "hugo server", n)
		}
	}
	return nil
}

// findHugo returns the Hugo binary to use, or "".
func findHugo(flagged string) string {
	switch flagged {
	case "none":
		return ""
	case "":
	default:
		return flagged
	}
	cache := filepath.Join(os.Getenv("HOME"), ".cache", "vitrine-bench", "hugo")
	if _, err := os.Stat(filepath.Join(cache, "hugo")); err == nil {
		return filepath.Join(cache, "hugo")
	}
	found, _ := filepath.Glob(filepath.Join(cache, "*", "hugo"))
	slices.Sort(found)
	if len(found) > 0 {
		return found[len(found)-1]
	}
	return ""
}

func report(name string, n int, series string, start time.Duration, lat []time.Duration) {
	slices.Sort(lat)
	ms := func(d time.Duration) string { return strconv.FormatFloat(float64(d.Microseconds())/1000, 'f', 1, 64) }
	fmt.Printf("%-14s %6d articles, %s: median %s ms, p90 %s ms, min %s ms, max %s ms (first build and start %s s)\n",
		name, n, series, ms(lat[len(lat)/2]), ms(lat[len(lat)*9/10]), ms(lat[0]), ms(lat[len(lat)-1]),
		strconv.FormatFloat(start.Seconds(), 'f', 1, 64))
}

// server starts a dev server on a port and returns a function that waits for the reload of a page (its
// output file, "posts/a/index.html", when the server tells which) and a function that stops the server.
// wait(page, 0) forgets the reload messages received so far, so that the next wait is for an edit's own.
type server func(port int) (wait func(page string, d time.Duration) error, stop func(), err error)

// forget empties a channel of the messages received so far.
func forget[T any](c chan T) {
	for len(c) > 0 {
		<-c
	}
}

func freePort() (int, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port, nil
}

// measure starts a server on the site, makes the edits of both series and returns their latencies and
// how long the server took to start.
func measure(site string, edits int, start server) (spread, newest []time.Duration, started time.Duration, err error) {
	port, err := freePort()
	if err != nil {
		return nil, nil, 0, err
	}
	t0 := time.Now()
	wait, stop, err := start(port)
	if err != nil {
		return nil, nil, 0, err
	}
	defer stop()
	started = time.Since(t0)
	posts, err := filepath.Glob(filepath.Join(site, "content", "posts", "*.md"))
	if err != nil || len(posts) == 0 {
		return nil, nil, 0, fmt.Errorf("no article in %s", site)
	}
	slices.Sort(posts)
	latest, err := newestOf(posts)
	if err != nil {
		return nil, nil, 0, err
	}
	time.Sleep(time.Second) // let the server settle after its first build
	edit := func(file string, i int) (time.Duration, error) {
		data, err := os.ReadFile(file)
		if err != nil {
			return 0, err
		}
		edited := addSentence(data, i)
		page := "posts/" + strings.TrimSuffix(filepath.Base(file), ".md") + "/index.html"
		wait(page, 0) // forget the messages of the edits before
		begin := time.Now()
		if err := os.WriteFile(file, edited, 0o644); err != nil {
			return 0, err
		}
		if err := wait(page, 30*time.Second); err != nil {
			return 0, fmt.Errorf("edit %d of %s: %w", i+1, file, err)
		}
		d := time.Since(begin)
		time.Sleep(500 * time.Millisecond)
		return d, nil
	}
	for i := range edits {
		d, err := edit(posts[(i*7919+len(posts)/3)%len(posts)], i)
		if err != nil {
			return nil, nil, 0, err
		}
		spread = append(spread, d)
	}
	for i := range edits {
		d, err := edit(latest, edits+i)
		if err != nil {
			return nil, nil, 0, err
		}
		newest = append(newest, d)
	}
	return spread, newest, started, nil
}

// newestOf returns the article with the latest date: front matter dates of the corpus sort as text.
func newestOf(posts []string) (string, error) {
	best, bestDate := "", ""
	for _, p := range posts {
		data, err := os.ReadFile(p)
		if err != nil {
			return "", err
		}
		for line := range strings.SplitSeq(string(data), "\n") {
			if d, ok := strings.CutPrefix(line, "date: "); ok {
				if d > bestDate {
					best, bestDate = p, d
				}
				break
			}
		}
	}
	return best, nil
}

// addSentence adds a sentence to the second paragraph of the body after the front matter.
func addSentence(md []byte, i int) []byte {
	s := string(md)
	end := strings.Index(s[3:], "\n---") + 3
	body := s[end+4:]
	cut := strings.Index(body, "\n\n")
	if cut < 0 {
		cut = len(body)
	}
	cut = strings.Index(body[cut+2:], "\n\n") + cut + 2
	if cut < 0 || cut > len(body) {
		cut = len(body)
	}
	return []byte(s[:end+4] + body[:cut] + fmt.Sprintf(" Une phrase ajoutée, version %d.", i) + body[cut:])
}

func vitrineServer(bin, site string) server {
	return func(port int) (func(string, time.Duration) error, func(), error) {
		cmd := exec.Command(bin, "serve", "-s", site, "--port", strconv.Itoa(port))
		out, err := cmd.StdoutPipe()
		if err != nil {
			return nil, nil, err
		}
		cmd.Stderr = os.Stderr
		if err := cmd.Start(); err != nil {
			return nil, nil, err
		}
		stop := func() { cmd.Process.Signal(os.Interrupt); cmd.Wait() }
		lines := bufio.NewScanner(out)
		ready := false
		for lines.Scan() {
			if strings.HasPrefix(lines.Text(), "Serving ") {
				ready = true
				break
			}
		}
		if !ready {
			stop()
			return nil, nil, errors.New("vitrine serve exited before serving")
		}
		go io.Copy(io.Discard, out)
		ctx, cancel := context.WithCancel(context.Background())
		req, _ := http.NewRequestWithContext(ctx, http.MethodGet, fmt.Sprintf("http://127.0.0.1:%d/_vitrine/events", port), nil)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			cancel()
			stop()
			return nil, nil, err
		}
		// The data of each reload event: the files that changed.
		reloads := make(chan string, 64)
		go func() {
			sc := bufio.NewScanner(resp.Body)
			sc.Buffer(nil, 1<<20)
			event := ""
			for sc.Scan() {
				line := sc.Text()
				if name, ok := strings.CutPrefix(line, "event: "); ok {
					event = name
				} else if data, ok := strings.CutPrefix(line, "data: "); ok && event == "reload" {
					reloads <- data
				}
			}
		}()
		wait := func(page string, d time.Duration) error {
			if d == 0 {
				forget(reloads)
				return nil
			}
			timeout := time.After(d)
			for {
				select {
				case data := <-reloads:
					if strings.Contains(data, `"`+page+`"`) || strings.Contains(data, `"paths":null`) {
						return nil
					}
				case <-timeout:
					return errors.New("no reload event for " + page)
				}
			}
		}
		return wait, func() { cancel(); resp.Body.Close(); stop() }, nil
	}
}

// hugoServer runs hugo server as a user would, and listens to its LiveReload socket as its injected
// script does.
func hugoServer(bin, site string) server {
	return func(port int) (func(string, time.Duration) error, func(), error) {
		cacheDir, err := os.MkdirTemp("", "hugo-cache-")
		if err != nil {
			return nil, nil, err
		}
		cmd := exec.Command(bin, "server", "--source", site, "--bind", "127.0.0.1", "--port", strconv.Itoa(port),
			"--cacheDir", cacheDir, "--noBuildLock")
		out, err := cmd.StdoutPipe()
		if err != nil {
			return nil, nil, err
		}
		cmd.Stderr = cmd.Stdout
		if err := cmd.Start(); err != nil {
			return nil, nil, err
		}
		stop := func() { cmd.Process.Signal(os.Interrupt); cmd.Wait(); os.RemoveAll(cacheDir) }
		lines := bufio.NewScanner(out)
		ready := false
		for lines.Scan() {
			if strings.Contains(lines.Text(), "Web Server is available") {
				ready = true
				break
			}
		}
		if !ready {
			stop()
			return nil, nil, errors.New("hugo server exited before serving")
		}
		go io.Copy(io.Discard, out)
		origin := fmt.Sprintf("http://127.0.0.1:%d/", port)
		ws, err := websocket.Dial(fmt.Sprintf("ws://127.0.0.1:%d/livereload", port), "", origin)
		if err != nil {
			stop()
			return nil, nil, err
		}
		hello := `{"command":"hello","protocols":["http://livereload.com/protocols/official-7"]}`
		if err := websocket.Message.Send(ws, hello); err != nil {
			stop()
			return nil, nil, err
		}
		reloads := make(chan struct{}, 64)
		go func() {
			for {
				var msg string
				if err := websocket.Message.Receive(ws, &msg); err != nil {
					return
				}
				if strings.Contains(msg, `"command":"reload"`) {
					reloads <- struct{}{}
				}
			}
		}()
		wait := func(_ string, d time.Duration) error {
			if d == 0 {
				forget(reloads)
				return nil
			}
			select {
			case <-reloads:
				return nil
			case <-time.After(d):
				return errors.New("no reload message")
			}
		}
		return wait, func() { ws.Close(); stop() }, nil
	}
}

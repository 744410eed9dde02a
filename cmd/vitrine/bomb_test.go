//go:build linux

package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// Memory and time bombs: inputs of a few bytes (or sparse files) that make a careless build take
// gigabytes or hours. Each runs `vitrine build` in a child process (this test binary, run again as
// TestBombChild) under a memory limit, so that a regression fails the test instead of the machine:
// GOMEMLIMIT, an address-space limit (RLIMIT_AS) the child sets itself, and a watchdog here that kills
// it when its resident memory passes bombRSS or it runs past bombTime. Inputs are made in t.TempDir at
// test time, never committed. The peak memory and time of each case are logged (go test -v).

const (
	bombRSS  = 400 << 20 // resident memory a case may reach; a build of a small site takes about 60 MB
	bombTime = 90 * time.Second
	bombAS   = 6 << 30 // address space of the child: what Go reserves, and far less than a bomb takes
)

// bomb is one case: the files it adds to a small site (written by make), and what the build must say.
type bomb struct {
	name  string
	make  func(t *testing.T, site string)
	wants []string // substrings of the error; none: the build must succeed
}

func bombs() []bomb {
	post := func(rel, front, body string) func(t *testing.T, site string) {
		return func(t *testing.T, site string) {
			writeFile(t, filepath.Join(site, rel), []byte("---\n"+front+"---\n"+body))
		}
	}
	laughs := "title: Rires\na: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n"
	prev := "a"
	for _, c := range "bcdefghi" {
		laughs += fmt.Sprintf("%c: &%c [%s]\n", c, c, strings.TrimSuffix(strings.Repeat("*"+prev+",", 9), ","))
		prev = string(c)
	}
	var tags strings.Builder
	tags.WriteString("title: Étiquettes\ntags:\n")
	for i := range 1_000_000 {
		fmt.Fprintf(&tags, "- t%d\n", i)
	}
	return []bomb{
		{"yaml-billion-laughs", post("content/posts/bomb.md", laughs, "Corps.\n"), []string{"content/posts/bomb.md:", "aliases"}},
		{"million-tags", post("content/posts/bomb.md", tags.String(), "Corps.\n"), []string{"content/posts/bomb.md:2", "front matter of 9."}},
		{"sparse-markdown-2GB", func(t *testing.T, site string) {
			sparse(t, filepath.Join(site, "content/posts/huge.md"), "---\ntitle: Énorme\n---\n", 2<<30)
		}, []string{"content/posts/huge.md", "2048.0 MB"}},
		{"identical-headings-40000", post("content/posts/bomb.md", "title: Titres\n", strings.Repeat("## Même titre\n\n", 40_000)), nil},
		{"unclosed-shortcodes-60000", post("content/posts/bomb.md", "title: Codes\n", strings.Repeat("{{< \n", 60_000)), []string{"content/posts/bomb.md:4:", "and 59981 more shortcode tags"}},
		{"link-openers-150000", post("content/posts/bomb.md", "title: Liens\n", strings.Repeat("[a](", 150_000)), []string{"content/posts/bomb.md:4", "link openers"}},
		{"link-openers-900-before-3MB", post("content/posts/bomb.md", "title: Liens\n", strings.Repeat("[a](", 900)+strings.Repeat("x", 3<<20)+"\n"), []string{"content/posts/bomb.md:4", "link openers"}},
		{"sideways-jpeg-20000", func(t *testing.T, site string) {
			writeFile(t, filepath.Join(site, "static/big.jpg"), sidewaysJPEG(t, 20000))
		}, []string{"static/big.jpg", "megapixels"}},
		{"sparse-static-600MB", func(t *testing.T, site string) {
			sparse(t, filepath.Join(site, "static/video.bin"), "", 600<<20) // past bombRSS: read whole, it would be killed
		}, nil},
	}
}

// sparse writes a file of size bytes that starts with head and takes no room on disk.
func sparse(t *testing.T, name, head string, size int64) {
	t.Helper()
	writeFile(t, name, []byte(head))
	if err := os.Truncate(name, size); err != nil {
		t.Fatal(err)
	}
}

func TestBombs(t *testing.T) {
	if testing.Short() {
		t.Skip("bombs take a minute")
	}
	if _, err := os.Stat("/proc/self/status"); err != nil {
		t.Skip("the watchdog reads /proc")
	}
	for _, b := range bombs() {
		t.Run(b.name, func(t *testing.T) {
			root := t.TempDir()
			site := filepath.Join(root, "site")
			writeFile(t, filepath.Join(site, "vitrine.toml"), []byte("baseURL = \"https://example.org/\"\ntitle = \"Bombes\"\n"))
			writeFile(t, filepath.Join(site, "content/posts/a.md"), []byte("---\ntitle: A\ndate: 2026-01-01\n---\nA.\n"))
			b.make(t, site)
			previous := []byte("<!doctype html><title>previous build</title>")
			writeFile(t, filepath.Join(site, "public", "index.html"), previous)

			code, out, peak, took := runBomb(t, "build", "-s", site)
			t.Logf("%s: exit %d, peak RSS %.0f MB, %s", b.name, code, float64(peak)/(1<<20), took.Round(time.Millisecond))
			if peak > bombRSS {
				t.Errorf("peak RSS %d MB, more than %d MB", peak>>20, bombRSS>>20)
			}
			if len(out) > 4000 {
				t.Errorf("output of %d bytes: it should say what is wrong, not dump the input", len(out))
			}
			if b.wants == nil {
				if code != 0 {
					t.Fatalf("build failed: %s", out)
				}
				return
			}
			if code == 0 {
				t.Fatalf("build succeeded, want an error naming %q", b.wants)
			}
			for _, w := range b.wants {
				if !strings.Contains(out, w) {
					t.Errorf("error does not mention %q:\n%s", w, out)
				}
			}
			if got, _ := os.ReadFile(filepath.Join(site, "public", "index.html")); !bytes.Equal(got, previous) {
				t.Errorf("public/index.html changed")
			}
			entries, _ := os.ReadDir(site)
			for _, e := range entries {
				if strings.Contains(e.Name(), ".tmp") {
					t.Errorf("temporary folder left behind: %s", e.Name())
				}
			}
		})
	}
}

// runBomb runs vitrine with args in a child process under the limits above, and returns its exit
// code, its output, its peak resident memory in bytes and how long it ran.
func runBomb(t *testing.T, args ...string) (code int, out string, peak int64, took time.Duration) {
	t.Helper()
	argv, _ := json.Marshal(args)
	cmd := exec.Command(os.Args[0], "-test.run=^TestBombChild$")
	cmd.Env = append(os.Environ(), "VITRINE_BOMB_ARGS="+string(argv), "GOMEMLIMIT="+strconv.Itoa(bombRSS/2))
	var buf bytes.Buffer
	cmd.Stdout, cmd.Stderr = &buf, &buf
	start := time.Now()
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	done := make(chan struct{})
	killed := make(chan string, 1)
	go func() {
		tick := time.NewTicker(5 * time.Millisecond)
		defer tick.Stop()
		for {
			select {
			case <-done:
				return
			case <-tick.C:
			}
			if rss := procStatus(cmd.Process.Pid, "VmRSS:"); rss > bombRSS {
				killed <- fmt.Sprintf("resident memory %d MB", rss>>20)
			} else if time.Since(start) > bombTime {
				killed <- "running for " + bombTime.String()
			} else {
				continue
			}
			cmd.Process.Kill()
			return
		}
	}()
	err := cmd.Wait()
	took = time.Since(start)
	close(done)
	select {
	case why := <-killed:
		t.Errorf("killed: %s", why)
	default:
	}
	if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
		peak = ru.Maxrss << 10 // kilobytes on Linux; counts the parent's memory at the start
	}
	out = buf.String()
	if i := strings.LastIndex(out, peakLine); i >= 0 {
		line, _, _ := strings.Cut(out[i+len(peakLine):], "\n")
		if n, err := strconv.ParseInt(line, 10, 64); err == nil {
			peak = n
		}
		out = out[:i]
	} else {
		t.Errorf("the child did not tell its peak memory (killed?):\n%s", out)
	}
	code = cmd.ProcessState.ExitCode()
	if err != nil && code < 0 {
		code = 255
	}
	return code, out, peak, took
}

// procStatus reads a memory figure of a process (VmRSS:, VmHWM:) from /proc, in bytes; 0 when it is
// gone.
func procStatus(pid int, key string) int64 {
	f, err := os.Open(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0
	}
	defer f.Close()
	s := bufio.NewScanner(f)
	for s.Scan() {
		if v, ok := strings.CutPrefix(s.Text(), key); ok {
			kb, _ := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(v), " kB"), 10, 64)
			return kb << 10
		}
	}
	return 0
}

// TestBombChild is the child process of TestBombs: it runs vitrine with the arguments it is given, under
// an address-space limit, and exits with its code.
func TestBombChild(t *testing.T) {
	argv := os.Getenv("VITRINE_BOMB_ARGS")
	if argv == "" {
		t.Skip("run by TestBombs")
	}
	var args []string
	if err := json.Unmarshal([]byte(argv), &args); err != nil {
		t.Fatal(err)
	}
	lim := syscall.Rlimit{Cur: bombAS, Max: bombAS}
	if err := syscall.Setrlimit(syscall.RLIMIT_AS, &lim); err != nil {
		t.Fatal(err)
	}
	code := run(context.Background(), args, os.Stdout, os.Stderr)
	// The peak of this process's own memory: the parent's rusage counts the memory it had when it
	// started the child.
	fmt.Fprintf(os.Stderr, "%s%d\n", peakLine, procStatus(os.Getpid(), "VmHWM:"))
	os.Exit(code)
}

// peakLine starts the line on which the child tells its peak resident memory, in bytes.
const peakLine = "bomb-peak-rss: "

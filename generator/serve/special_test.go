//go:build unix

package serve

import (
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// TestServeNamedPipe: a named pipe put in static/, data/ or content/ while the server runs is an error
// shown as any other, not a rebuild that waits for ever on it; once it is removed, the next edit is
// served.
func TestServeNamedPipe(t *testing.T) {
	for _, name := range []string{"static/pipe.txt", "data/reactions/pipe.json", "content/posts/pipe.md"} {
		t.Run(name, func(t *testing.T) {
			dir := testSite(t)
			s, log := start(t, Options{Dir: dir})
			pipe := filepath.Join(dir, filepath.FromSlash(name))
			if err := os.MkdirAll(filepath.Dir(pipe), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := syscall.Mkfifo(pipe, 0o644); err != nil {
				t.Fatal(err)
			}
			waitFor(t, func() bool { return strings.Contains(log.String(), name) }, "the error naming "+name+":\n"+log.String())
			if err := os.Remove(pipe); err != nil {
				t.Fatal(err)
			}
			write(t, dir, "content/posts/premier.md", "---\ntitle: Premier article\ndate: 2025-01-10\n---\nTexte corrigé.\n")
			waitFor(t, func() bool {
				_, body := get(t, s.URL()+"posts/premier/")
				return strings.Contains(body, "Texte corrigé.")
			}, "the edit after the pipe was removed to be served:\n"+log.String())
		})
	}
}

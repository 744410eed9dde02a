package generator_test

import (
	"bytes"
	"context"
	"flag"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"golang.org/x/tools/txtar"

	"github.com/vitrine-ssg/vitrine/generator"
	"github.com/vitrine-ssg/vitrine/generator/output"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/golden")

// now is the clock of every test build.
var now = time.Date(2026, 11, 22, 12, 0, 0, 0, time.UTC)

// site parses an inline txtar archive into a source file system.
func site(t *testing.T, archive string) *txtar.Archive {
	t.Helper()
	return txtar.Parse([]byte(archive))
}

// build builds the archive in memory.
func build(t *testing.T, archive string, opts generator.Options) (*output.Memory, *generator.Result, error) {
	t.Helper()
	fsys, err := txtar.FS(site(t, archive))
	if err != nil {
		t.Fatal(err)
	}
	mem := &output.Memory{}
	opts.Source, opts.Writer = fsys, mem
	if opts.Now.IsZero() {
		opts.Now = now
	}
	res, err := generator.Build(context.Background(), opts)
	return mem, res, err
}

// mustBuild builds the archive and fails the test on error.
func mustBuild(t *testing.T, archive string, opts generator.Options) (*output.Memory, *generator.Result) {
	t.Helper()
	mem, res, err := build(t, archive, opts)
	if err != nil {
		t.Fatalf("build: %v", err)
	}
	return mem, res
}

// assertFile checks that a file exists and contains each of the substrings.
func assertFile(t *testing.T, mem *output.Memory, name string, want ...string) {
	t.Helper()
	data, ok := mem.Get(name)
	if !ok {
		t.Errorf("%s is missing; files: %s", name, strings.Join(mem.Names(), " "))
		return
	}
	for _, w := range want {
		if !strings.Contains(string(data), w) {
			t.Errorf("%s does not contain %q:\n%s", name, w, data)
		}
	}
}

func assertNoFile(t *testing.T, mem *output.Memory, name string) {
	t.Helper()
	if _, ok := mem.Get(name); ok {
		t.Errorf("%s should not exist", name)
	}
}

// golden compares the whole output of a build, as a txtar archive, with testdata/golden/NAME.txtar.
func golden(t *testing.T, name string, mem *output.Memory) {
	t.Helper()
	var a txtar.Archive
	for _, n := range mem.Names() {
		data, _ := mem.Get(n)
		if bytes.IndexByte(data, 0) >= 0 || strings.HasSuffix(n, ".css") {
			data = []byte("(omitted)\n")
		}
		a.Files = append(a.Files, txtar.File{Name: n, Data: data})
	}
	got := txtar.Format(&a)
	path := filepath.Join("testdata", "golden", name+".txtar")
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./generator -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("output differs from %s (run go test ./generator -update and review the diff):\n%s", path, firstDiff(string(want), string(got)))
	}
}

func firstDiff(want, got string) string {
	wl, gl := strings.Split(want, "\n"), strings.Split(got, "\n")
	for i := 0; i < max(len(wl), len(gl)); i++ {
		var w, g string
		if i < len(wl) {
			w = wl[i]
		}
		if i < len(gl) {
			g = gl[i]
		}
		if w != g {
			return "line " + strconv.Itoa(i+1) + ":\n- " + w + "\n+ " + g
		}
	}
	return ""
}

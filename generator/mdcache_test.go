package generator

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/vitrine-ssg/vitrine/generator/markdown"
)

// TestMDCache stores conversions, reads them back in the same build (written out or still buffered) and
// in the next one, which keeps only the entries it used.
func TestMDCache(t *testing.T) {
	dir := t.TempDir()
	key := func(i int) markdown.Key { return markdown.Key{byte(i), 1} }
	data := func(i int) []byte { return bytes.Repeat(fmt.Appendf(nil, "entry %d;", i), 1+i*100) }

	c := openMDCache(dir, 1)
	for i := range 50 {
		buf := data(i)
		c.Store(key(i), buf)
		clear(buf) // Store copies what it keeps
		if got, ok := c.Load(key(i / 2)); !ok || !bytes.Equal(got, data(i/2)) {
			t.Fatalf("entry %d, stored in this build: %v, %.20q", i/2, ok, got)
		}
	}
	c.finish(true)

	c = openMDCache(dir, 1)
	for i := range 50 {
		if i%2 == 0 {
			continue
		}
		if got, ok := c.Load(key(i)); !ok || !bytes.Equal(got, data(i)) {
			t.Fatalf("entry %d, from the last build: %v", i, ok)
		}
	}
	c.Store(key(100), data(100))
	c.finish(true)

	c = openMDCache(dir, 1)
	if _, ok := c.Load(key(0)); ok {
		t.Error("an entry the last build did not use is still there")
	}
	for _, i := range []int{1, 49, 100} {
		if got, ok := c.Load(key(i)); !ok || !bytes.Equal(got, data(i)) {
			t.Errorf("entry %d after two builds: %v", i, ok)
		}
	}
	c.finish(true)
	packs, _ := filepath.Glob(filepath.Join(dir, "pack-*"))
	if len(packs) != 2 {
		t.Errorf("%d packs, want 2 (the first build's and the second's)", len(packs))
	}

	if c := openMDCache(dir, 2); len(c.index) != 0 {
		t.Error("another namespace reads the entries")
	}
	for _, p := range packs {
		if err := os.WriteFile(p, bytes.Repeat([]byte{'x'}, 1<<16), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if _, ok := openMDCache(dir, 1).Load(key(1)); ok {
		t.Error("a corrupt entry was read")
	}
}

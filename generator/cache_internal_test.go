package generator

import (
	"fmt"
	"math"
	"path/filepath"
	"testing"

	"github.com/vitrine-ssg/vitrine/generator/load"
	"github.com/vitrine-ssg/vitrine/generator/render"
)

func TestFrontCacheRoundTrip(t *testing.T) {
	meta := map[string]any{
		"title": "Été à Lyon", "draft": false, "featured": true, "weight": 3, "big": int64(-1 << 40),
		"huge": uint64(math.MaxUint64), "ratio": 0.5, "nan": math.NaN(), "none": nil,
		"tags":   []any{"a", 1, []any{}, map[string]any{"k": "v"}},
		"params": map[string]any{"nested": map[string]any{"x": []any{true, nil}}},
		"empty":  map[string]any{},
	}
	dir := t.TempDir()
	path := filepath.Join(dir, "front", "index")
	c := openFrontCache(path, 7)
	key := load.FrontKey{1, 2, 3}
	c.Store(key, meta)
	c.Store(load.FrontKey{9}, map[string]any{"list": []any(nil)}) // not kept: it would come back empty
	c.finish(true)

	c = openFrontCache(path, 7)
	got, ok := c.Load(key)
	if !ok {
		t.Fatal("entry not found after finish")
	}
	if fmt.Sprintf("%#v", got) != fmt.Sprintf("%#v", meta) {
		t.Errorf("Load = %#v, want %#v", got, meta)
	}
	if _, ok := c.Load(load.FrontKey{9}); ok {
		t.Error("a typed nil list was kept")
	}
	got["title"] = "changed"
	if again, _ := c.Load(key); again["title"] != "Été à Lyon" {
		t.Error("Load returned a map shared with the cache")
	}
	if _, ok := openFrontCache(path, 8).Load(key); ok {
		t.Error("an index of another namespace was used")
	}
}

func TestCachedStateRoundTrip(t *testing.T) {
	st := cachedState{Key: 42, Fps: map[string]uint64{"index.html": 1, "posts/a/index.html": math.MaxUint64, sitemapKey: 3},
		Calls:   map[string][]render.Call{"index.html": {{Method: "RecentArticles", N: 5}, {Method: "Section", Arg: "posts", N: -1}}, "b/index.html": nil},
		Sitemap: []string{"sitemap.xml"}}
	data := st.encode()
	var got cachedState
	if !got.decode(data) {
		t.Fatal("decode failed")
	}
	if fmt.Sprintf("%v", got) != fmt.Sprintf("%v", st) {
		t.Errorf("decode = %v, want %v", got, st)
	}
	for _, bad := range [][]byte{nil, data[:len(data)-1], append([]byte("x"), data[1:]...)} {
		if (&cachedState{}).decode(bad) {
			t.Errorf("decode accepted %d damaged bytes", len(bad))
		}
	}
}

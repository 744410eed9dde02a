package markdown

import (
	"bytes"
	"reflect"
	"strings"
	"sync"
	"testing"
)

type mapCache struct {
	mu    sync.Mutex
	m     map[Key][]byte
	loads int
}

func (c *mapCache) Load(k Key) ([]byte, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	d, ok := c.m[k]
	if ok {
		c.loads++
	}
	return d, ok
}

func (c *mapCache) Store(k Key, d []byte) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.m[k] = bytes.Clone(d)
}

// TestCacheSameResult checks that a conversion read from the cache is the conversion itself, and that it
// is not used when a link now resolves elsewhere.
func TestCacheSameResult(t *testing.T) {
	src := []byte("# Titre\n\nUn [lien](b.md#x) et une note[^1]. Mais « oui » !\n\n## Deux\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n[^1]: La note.\n\nVers [rien](c.md).\n")
	urls := map[string]string{"b.md#x": "/b/#x"}
	resolve := func(dest string) (string, bool) { u, ok := urls[dest]; return u, ok }
	plain := New(Options{Typography: "fr"})
	want, err := plain.Convert(src, resolve)
	if err != nil {
		t.Fatal(err)
	}
	cache := &mapCache{m: map[Key][]byte{}}
	cached := New(Options{Typography: "fr", Cache: cache})
	for i := range 2 {
		got, err := cached.Convert(src, resolve)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("conversion %d differs:\n%+v\nwant\n%+v", i, got, want)
		}
	}
	if cache.loads != 1 {
		t.Fatalf("the second conversion did not come from the cache (%d loads)", cache.loads)
	}
	urls["b.md#x"] = "/autre/#x"
	got, _ := cached.Convert(src, resolve)
	if want, _ := plain.Convert(src, resolve); !reflect.DeepEqual(got, want) {
		t.Fatal("a cached conversion was used after a link moved")
	}
	if _, _, err := decodeCached(cache.m[Key{}]); err == nil {
		t.Error("an empty entry decodes")
	}
	for k, v := range cache.m {
		if _, _, err := decodeCached(v[:len(v)-1]); err == nil {
			t.Errorf("a truncated entry %x decodes", k)
		}
	}
}

// TestCacheMedia checks that a conversion whose images or embeds went through the page's Media is never
// served from the cache (the Media planned them from files the cache knows nothing of), that one which
// asked nothing of it is, and that a conversion without Media is not served to a page with one.
func TestCacheMedia(t *testing.T) {
	cache := &mapCache{m: map[Key][]byte{}}
	cached := New(Options{Typography: "fr", Cache: cache})
	withMedia := []byte("Texte.\n\n![Une miche](miche.jpg \"La miche\")\n\nhttps://youtu.be/dQw4w9WgXcQ\n")
	for i := range 2 {
		r := &recorder{}
		got, err := cached.ConvertWith(withMedia, nil, r)
		if err != nil {
			t.Fatal(err)
		}
		if len(r.images) != 1 || len(r.embeds) != 1 {
			t.Fatalf("conversion %d: the Media was asked %d images and %d embeds, want 1 and 1", i, len(r.images), len(r.embeds))
		}
		if !bytes.Contains(got.HTML, []byte("[image miche.jpg]")) {
			t.Fatalf("conversion %d: %s", i, got.HTML)
		}
	}
	if len(cache.m) != 0 {
		t.Fatalf("a conversion that asked the Media was cached (%d entries)", len(cache.m))
	}

	// Without Media, the image is written as is, and that conversion is cached under its own key.
	plain, err := cached.Convert(withMedia, nil)
	if err != nil || bytes.Contains(plain.HTML, []byte("[image")) {
		t.Fatalf("%s, %v", plain.HTML, err)
	}
	r := &recorder{}
	if got, _ := cached.ConvertWith(withMedia, nil, r); len(r.images) != 1 || !bytes.Contains(got.HTML, []byte("[image miche.jpg]")) {
		t.Fatalf("a conversion without Media was served to a page with one: %s", got.HTML)
	}

	text := []byte("Rien que du texte, « cité ».\n\n<div>brut</div>\n")
	want, _ := New(Options{Typography: "fr"}).Convert(text, nil)
	if len(want.RawHTML) == 0 {
		t.Fatal("no raw HTML reported")
	}
	cache.loads = 0
	for range 2 {
		got, err := cached.ConvertWith(text, nil, &recorder{})
		if err != nil || !reflect.DeepEqual(got, want) {
			t.Fatalf("%+v, %v; want %+v", got, err, want)
		}
	}
	if cache.loads != 1 {
		t.Fatalf("a conversion that asked nothing of the Media was not cached (%d loads)", cache.loads)
	}

	// Converters whose typography differs share a cache without serving each other's conversions.
	en := New(Options{Typography: "en", Cache: cache})
	got, _ := en.Convert(text, nil)
	if want, _ := New(Options{Typography: "en"}).Convert(text, nil); !reflect.DeepEqual(got, want) {
		t.Fatalf("the English converter got %s, want %s", got.HTML, want.HTML)
	}
}

// discardCache is a Cache that keeps nothing, as the first build of a site finds nothing.
type discardCache struct{}

func (discardCache) Load(Key) ([]byte, bool) { return nil, false }
func (discardCache) Store(Key, []byte)       {}

// BenchmarkConvertCached converts the article of BenchmarkConvert with a Cache: "store" converts and
// encodes the entry (a cold build), "load" decodes it (a warm build).
func BenchmarkConvertCached(b *testing.B) {
	resolve := func(dest string) (string, bool) { return "/posts/" + strings.TrimSuffix(dest, ".md") + "/", true }
	src := []byte(benchDoc)
	b.Run("store", func(b *testing.B) {
		c := New(Options{Typography: "fr", Cache: discardCache{}})
		b.SetBytes(int64(len(src)))
		b.ReportAllocs()
		for b.Loop() {
			if _, err := c.Convert(src, resolve); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("load", func(b *testing.B) {
		c := New(Options{Typography: "fr", Cache: &mapCache{m: map[Key][]byte{}}})
		if _, err := c.Convert(src, resolve); err != nil {
			b.Fatal(err)
		}
		b.SetBytes(int64(len(src)))
		b.ReportAllocs()
		for b.Loop() {
			if _, err := c.Convert(src, resolve); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// TestConvertFunc checks that ConvertFunc hands over the conversion ConvertWith returns, with a cache
// and without, the first time and from the cache.
func TestConvertFunc(t *testing.T) {
	src := []byte("# Titre\n\nUn [lien](b.md#x) et une note[^1].\n\n## Deux\n\nSuite.\n\n[^1]: La note.\n")
	resolve := func(dest string) (string, bool) { return "/b/#x", true }
	for _, cache := range []Cache{nil, &mapCache{m: map[Key][]byte{}}} {
		c := New(Options{Typography: "fr", Cache: cache})
		want, err := c.ConvertWith(src, resolve, nil)
		if err != nil {
			t.Fatal(err)
		}
		for range 2 {
			var got Result
			err := c.ConvertFunc(src, resolve, nil, func(r Result) {
				got = r
				got.HTML, got.Summary = bytes.Clone(r.HTML), bytes.Clone(r.Summary)
			})
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, want) {
				t.Fatalf("cache %v: ConvertFunc gave\n%+v\nConvertWith\n%+v", cache != nil, got, want)
			}
		}
	}
	if err := New(Options{}).ConvertFunc([]byte(strings.Repeat(">", 10000)), nil, nil, func(Result) { t.Error("use called on a failed conversion") }); err == nil {
		t.Error("no error for a too deep nesting")
	}
}

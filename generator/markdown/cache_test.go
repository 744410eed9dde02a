package markdown

import (
	"reflect"
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
	c.m[k] = d
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

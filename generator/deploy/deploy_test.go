package deploy

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"maps"
	"slices"
	"strings"
	"sync"
	"testing"
	"testing/fstest"
)

// memStore is a bucket in memory that records the requests it gets.
type memStore struct {
	mu       sync.Mutex
	objects  map[string]memObject
	listMeta bool // whether List returns headers, as MinIO does
	ops      []string
	failPut  string // a key whose upload fails
}

type memObject struct {
	data []byte
	h    Headers
}

var _ Store = (*memStore)(nil)

func newMemStore() *memStore { return &memStore{objects: map[string]memObject{}, listMeta: true} }

func (m *memStore) List(_ context.Context, prefix string) ([]Object, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.ops = append(m.ops, "list "+prefix)
	var out []Object
	for _, k := range slices.Sorted(maps.Keys(m.objects)) {
		if strings.HasPrefix(k, prefix) {
			o := Object{Key: k, Size: int64(len(m.objects[k].data))}
			if m.listMeta {
				o.Meta, o.Headers = true, m.objects[k].h
			}
			out = append(out, o)
		}
	}
	return out, nil
}

func (m *memStore) Stat(_ context.Context, key string) (Object, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.ops = append(m.ops, "stat "+key)
	o, ok := m.objects[key]
	if !ok {
		return Object{}, errors.New("no such key")
	}
	return Object{Key: key, Size: int64(len(o.data)), Meta: true, Headers: o.h}, nil
}

func (m *memStore) Put(_ context.Context, key string, r io.Reader, size int64, h Headers) error {
	data, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	if int64(len(data)) != size {
		return fmt.Errorf("size %d, read %d", size, len(data))
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if key == m.failPut {
		return errors.New("503 Slow Down")
	}
	m.ops = append(m.ops, "put "+key)
	m.objects[key] = memObject{data, h}
	return nil
}

func (m *memStore) Delete(_ context.Context, keys []string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	for _, k := range keys {
		m.ops = append(m.ops, "delete "+k)
		delete(m.objects, k)
	}
	return nil
}

func (m *memStore) takeOps() []string {
	m.mu.Lock()
	defer m.mu.Unlock()
	ops := m.ops
	m.ops = nil
	return ops
}

func site(files map[string]string) fstest.MapFS {
	fsys := fstest.MapFS{}
	for name, data := range files {
		fsys[name] = &fstest.MapFile{Data: []byte(data)}
	}
	return fsys
}

var demo = map[string]string{
	"index.html":                 "<h1>Accueil</h1>",
	"posts/index.html":           "<li>Un</li>",
	"posts/un/index.html":        "<p>Un</p>",
	"posts/un/photo.jpg":         "JPEG",
	"css/style.90a8353109.css":   "body{}",
	"index.xml":                  "<rss/>",
	"feed.json":                  "{}",
	"events/calendar.ics":        "BEGIN:VCALENDAR",
	"favicon.svg":                "<svg/>",
	"sitemap.xml":                "<urlset/>",
	"projects/atelier/cover.jpg": "JPEG2",
}

func sync1(t *testing.T, fsys fstest.MapFS, store Store, target Target, dry bool) Plan {
	t.Helper()
	plan, err := Sync(context.Background(), Options{Site: fsys, Store: store, Target: target, DryRun: dry, Workers: 3})
	if err != nil {
		t.Fatal(err)
	}
	return plan
}

func keys(ups []Upload) []string {
	var out []string
	for _, u := range ups {
		out = append(out, u.Key+" "+u.Reason)
	}
	return out
}

func TestSync(t *testing.T) {
	store := newMemStore()
	target := Target{Bucket: "b", Prefix: "www"}
	// Objects beside the prefix belong to someone else.
	store.objects["other/keep.txt"] = memObject{data: []byte("x")}
	store.objects["www2/keep.txt"] = memObject{data: []byte("x")}

	fsys := site(demo)
	if plan := sync1(t, fsys, store, target, true); len(plan.Uploads) != len(demo) || plan.Unchanged != 0 {
		t.Fatalf("dry run plan: %v", keys(plan.Uploads))
	}
	if ops := store.takeOps(); !slices.Equal(ops, []string{"list www/"}) {
		t.Fatalf("a dry run did more than list: %v", ops)
	}

	plan := sync1(t, fsys, store, target, false)
	if len(plan.Uploads) != len(demo) || len(plan.Deletes) != 0 {
		t.Fatalf("first deploy: %v, deletes %v", keys(plan.Uploads), plan.Deletes)
	}
	ops := store.takeOps()
	lastAsset := slices.IndexFunc(ops, func(op string) bool { return strings.HasSuffix(op, ".html") })
	for _, op := range ops[lastAsset:] {
		if !strings.HasSuffix(op, ".html") && !strings.HasSuffix(op, ".xml") && !strings.HasSuffix(op, ".json") && !strings.HasSuffix(op, ".ics") {
			t.Errorf("asset %s uploaded after a page: %v", op, ops)
		}
	}
	if o := store.objects["www/css/style.90a8353109.css"]; o.h.CacheControl != CacheImmutable || o.h.ContentType != "text/css; charset=utf-8" || o.h.SHA256 == "" {
		t.Errorf("stylesheet headers %+v", o.h)
	}
	if o := store.objects["www/index.html"]; o.h.CacheControl != CachePage || o.h.ContentType != "text/html; charset=utf-8" {
		t.Errorf("page headers %+v", o.h)
	}

	if plan := sync1(t, fsys, store, target, false); len(plan.Uploads) != 0 || len(plan.Deletes) != 0 || plan.Unchanged != len(demo) {
		t.Errorf("second deploy: %v %v %d", keys(plan.Uploads), plan.Deletes, plan.Unchanged)
	}
	if ops := store.takeOps(); len(ops) != 1 {
		t.Errorf("second deploy requests: %v", ops)
	}

	// An edited article and the list that shows it; a deleted one; a new stylesheet name.
	edited := maps.Clone(demo)
	edited["posts/un/index.html"] = "<p>Un, revu</p>"
	edited["posts/index.html"] = "<li>Un, revu</li>"
	delete(edited, "projects/atelier/cover.jpg")
	delete(edited, "css/style.90a8353109.css")
	edited["css/style.1b2c3d4e5f.css"] = "body{color:red}"
	plan = sync1(t, site(edited), store, target, false)
	if got := keys(plan.Uploads); !slices.Equal(got, []string{"www/css/style.1b2c3d4e5f.css new", "www/posts/index.html changed", "www/posts/un/index.html changed"}) {
		t.Errorf("edit uploads %v", got)
	}
	if !slices.Equal(plan.Deletes, []string{"www/css/style.90a8353109.css", "www/projects/atelier/cover.jpg"}) {
		t.Errorf("edit deletes %v", plan.Deletes)
	}
	ops = store.takeOps()
	firstDelete := slices.IndexFunc(ops, func(op string) bool { return strings.HasPrefix(op, "delete") })
	if firstDelete < 0 || slices.ContainsFunc(ops[firstDelete:], func(op string) bool { return strings.HasPrefix(op, "put") }) {
		t.Errorf("deletions not after every upload: %v", ops)
	}
	for _, k := range []string{"other/keep.txt", "www2/keep.txt"} {
		if _, ok := store.objects[k]; !ok {
			t.Errorf("%s, outside the prefix, was deleted", k)
		}
	}
}

// TestSyncWithoutListedMetadata is AWS: listings have no metadata, so each object is asked once.
func TestSyncWithoutListedMetadata(t *testing.T) {
	store := newMemStore()
	store.listMeta = false
	fsys := site(demo)
	sync1(t, fsys, store, Target{Bucket: "b"}, false)
	store.takeOps()
	if plan := sync1(t, fsys, store, Target{Bucket: "b"}, false); len(plan.Uploads) != 0 {
		t.Errorf("second deploy uploads %v", keys(plan.Uploads))
	}
	stats := 0
	for _, op := range store.takeOps() {
		if strings.HasPrefix(op, "stat ") {
			stats++
		}
	}
	if stats != len(demo) {
		t.Errorf("%d stats for %d objects", stats, len(demo))
	}

	// An object put there by another tool, without the hash, is uploaded again; so is one whose
	// headers are not the ones it should have.
	store.objects["index.html"] = memObject{data: []byte(demo["index.html"]), h: Headers{ContentType: "text/html; charset=utf-8", CacheControl: CachePage}}
	o := store.objects["favicon.svg"]
	o.h.ContentType = "application/octet-stream"
	store.objects["favicon.svg"] = o
	if got := keys(sync1(t, fsys, store, Target{Bucket: "b"}, false).Uploads); !slices.Equal(got, []string{"favicon.svg headers", "index.html changed"}) {
		t.Errorf("uploads %v", got)
	}
}

func TestSyncFailureDeletesNothing(t *testing.T) {
	store := newMemStore()
	store.objects["old.html"] = memObject{data: []byte("old")}
	store.failPut = "posts/index.html"
	_, err := Sync(context.Background(), Options{Site: site(demo), Store: store, Target: Target{Bucket: "b"}})
	if err == nil || !strings.Contains(err.Error(), "upload posts/index.html: 503 Slow Down") || !strings.Contains(err.Error(), "nothing was deleted") {
		t.Fatalf("error %v", err)
	}
	if _, ok := store.objects["old.html"]; !ok {
		t.Error("deleted after a failed upload")
	}

	if _, err := Sync(context.Background(), Options{Site: fstest.MapFS{}, Store: store, Target: Target{Bucket: "b"}}); err == nil || !strings.Contains(err.Error(), "empty") {
		t.Errorf("empty site: %v", err)
	}
	if _, ok := store.objects["old.html"]; !ok {
		t.Error("an empty site emptied the bucket")
	}
}

func TestSyncLog(t *testing.T) {
	var log bytes.Buffer
	store := newMemStore()
	store.objects["gone.html"] = memObject{data: []byte("x")}
	if _, err := Sync(context.Background(), Options{Site: site(map[string]string{"index.html": "x"}), Store: store, Target: Target{Bucket: "b"}, Log: &log}); err != nil {
		t.Fatal(err)
	}
	if log.String() != "upload index.html (new)\ndelete gone.html\n" {
		t.Errorf("log %q", log.String())
	}
}

func TestParseURL(t *testing.T) {
	for in, want := range map[string]Target{
		"s3://site":              {Bucket: "site"},
		"s3://site/":             {Bucket: "site"},
		"s3://site/www":          {Bucket: "site", Prefix: "www"},
		"s3://site/a/b/":         {Bucket: "site", Prefix: "a/b"},
		"s3://my.bucket.example": {Bucket: "my.bucket.example"},
	} {
		got, err := ParseURL(in)
		if err != nil || got != want {
			t.Errorf("%q: %+v %v", in, got, err)
		}
	}
	for _, bad := range []string{"site", "https://site/x", "s3://", "s3:///x", "s3://site/a/../b", "s3://site/a//b", "s3://site?x=1"} {
		if _, err := ParseURL(bad); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
	if s := (Target{Bucket: "b", Prefix: "p"}).String(); s != "s3://b/p" {
		t.Errorf("String %q", s)
	}
}

func TestHeaders(t *testing.T) {
	for name, want := range map[string][2]string{
		"index.html":                     {"text/html; charset=utf-8", CachePage},
		"posts/un/index.html":            {"text/html; charset=utf-8", CachePage},
		"index.xml":                      {"application/rss+xml; charset=utf-8", CachePage},
		"feed.json":                      {"application/feed+json; charset=utf-8", CachePage},
		"events/calendar.ics":            {"text/calendar; charset=utf-8", CachePage},
		"robots.txt":                     {"text/plain; charset=utf-8", CachePage},
		"manifest.webmanifest":           {"application/manifest+json", CachePage},
		"css/style.90a8353109.css":       {"text/css; charset=utf-8", CacheImmutable},
		"images/photo-3f9a0c12d4.webp":   {"image/webp", CacheImmutable},
		"img/0123456789abcdef/photo.jpg": {"image/jpeg", CacheImmutable},
		"posts/un/photo.jpg":             {"image/jpeg", CacheFile},
		"images/2024-03-14-20240314.jpg": {"image/jpeg", CacheFile}, // a date, not a hash
		"projects/deadbeef/cover.JPG":    {"image/jpeg", CacheFile},
		"favicon.svg":                    {"image/svg+xml", CacheFile},
		"files/tarifs.pdf":               {"application/pdf", CacheFile},
		"LICENSE":                        {"application/octet-stream", CacheFile},
		"posts/un/card-square.png":       {"image/png", CacheFile},
		"css/style.css":                  {"text/css; charset=utf-8", CacheFile},
		"fonts/inter.abcdef12.woff2":     {"font/woff2", CacheImmutable},
	} {
		if ct, cc := ContentType(name), CacheControl(name); ct != want[0] || cc != want[1] {
			t.Errorf("%s: %q %q, want %q %q", name, ct, cc, want[0], want[1])
		}
	}
}

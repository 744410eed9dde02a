// Package deploy uploads a built site to S3-compatible object storage (AWS S3, Scaleway, OVH, MinIO,
// …), sending only what changed.
//
// # What a deploy does
//
// Sync compares the built folder with the objects under the target's prefix. Each uploaded object
// carries the SHA-256 of its content in its metadata (x-amz-meta-sha256), so the next deploy knows
// whether a file changed without downloading it; an object without that hash (uploaded by another
// tool) is uploaded again once. A file is uploaded when it is new, when its content changed, or when
// the Content-Type or Cache-Control it should have changed. Uploads go in two waves, assets (styles,
// images, files) before pages, feeds and the sitemap, so that a page online never points to an asset
// not yet there; objects whose file is gone are deleted last, once every upload succeeded.
//
// # Headers
//
// Content-Type comes from the file's extension (a fixed table, the same on every machine).
// Cache-Control is long and immutable for fingerprinted files, whose name carries a hash of their
// content (css/style.90a8353109.css): a change gives a new name. Pages, feeds, the sitemap and other
// files whose content changes under the same name get a short max-age, so a CDN in front of the bucket
// shows a deploy within minutes.
//
// The target owns its prefix: an object under it that the site does not have is deleted.
package deploy

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/url"
	"path"
	"slices"
	"strings"
	"sync"
)

// Target is where a site goes: a bucket and a prefix inside it ("" for the bucket's root).
type Target struct {
	Bucket string
	Prefix string // without leading or trailing slash
}

// ParseURL reads s3://bucket or s3://bucket/prefix.
func ParseURL(s string) (Target, error) {
	u, err := url.Parse(s)
	if err != nil || u.Scheme != "s3" || u.Host == "" || u.RawQuery != "" || u.Fragment != "" || u.User != nil {
		return Target{}, fmt.Errorf("%q is not a bucket address: write s3://BUCKET or s3://BUCKET/PREFIX", s)
	}
	prefix := strings.Trim(u.Path, "/")
	if prefix != "" && path.Clean(prefix) != prefix {
		return Target{}, fmt.Errorf("%q: the prefix %q is not a clean path", s, prefix)
	}
	return Target{Bucket: u.Host, Prefix: prefix}, nil
}

func (t Target) String() string {
	if t.Prefix == "" {
		return "s3://" + t.Bucket
	}
	return "s3://" + t.Bucket + "/" + t.Prefix
}

// key returns the object key of a file of the site.
func (t Target) key(rel string) string {
	if t.Prefix == "" {
		return rel
	}
	return t.Prefix + "/" + rel
}

// listPrefix is the prefix that holds the site's objects.
func (t Target) listPrefix() string {
	if t.Prefix == "" {
		return ""
	}
	return t.Prefix + "/"
}

// Headers are what an object is stored with.
type Headers struct {
	ContentType  string
	CacheControl string
	SHA256       string // hex SHA-256 of the content, stored as x-amz-meta-sha256
}

// Object is a stored object. Its Headers are known when Meta is true: a listing gives them on MinIO;
// elsewhere Store.Stat is asked.
type Object struct {
	Key     string
	Size    int64
	Meta    bool
	Headers Headers
}

// Store is a bucket. Implementations must be safe for concurrent use.
type Store interface {
	// List returns every object whose key starts with prefix, with its headers when the listing
	// carries them.
	List(ctx context.Context, prefix string) ([]Object, error)
	// Stat returns one object with its headers.
	Stat(ctx context.Context, key string) (Object, error)
	// Put stores size bytes read from r at key, with the headers h.
	Put(ctx context.Context, key string, r io.Reader, size int64, h Headers) error
	// Delete removes the objects; keys that do not exist are not an error.
	Delete(ctx context.Context, keys []string) error
}

// Options are the inputs of Sync.
type Options struct {
	Site   fs.FS // the built site, e.g. os.DirFS("public")
	Store  Store
	Target Target
	DryRun bool      // plan only: nothing is uploaded or deleted
	Log    io.Writer // one line per upload and deletion; nil for none
	// Workers is the number of concurrent requests; default 8.
	Workers int
}

// Upload is a file to send.
type Upload struct {
	Path    string // in the site, slash-separated
	Key     string
	Size    int64
	Reason  string // "new", "changed" or "headers"
	Headers Headers
}

// Plan is what a deploy does, or did.
type Plan struct {
	Uploads   []Upload // assets first, then pages; by path within each wave
	Deletes   []string // keys
	Unchanged int
}

// Bytes returns the total size of the uploads.
func (p Plan) Bytes() int64 {
	var n int64
	for _, u := range p.Uploads {
		n += u.Size
	}
	return n
}

// local is one file of the built site.
type local struct {
	path    string
	size    int64
	headers Headers
}

// Sync makes the target hold exactly the site: it uploads what is new or changed, then deletes what is
// gone. With DryRun it only returns the plan. On error, the returned plan is what was planned; objects
// already uploaded stay, nothing is deleted.
func Sync(ctx context.Context, opts Options) (Plan, error) {
	if opts.Workers <= 0 {
		opts.Workers = 8
	}
	files, err := scan(opts.Site)
	if err != nil {
		return Plan{}, err
	}
	if len(files) == 0 {
		return Plan{}, errors.New("the site is empty: build it first (refusing to delete every object of the target)")
	}
	remote, err := opts.Store.List(ctx, opts.Target.listPrefix())
	if err != nil {
		return Plan{}, fmt.Errorf("list %s: %w", opts.Target, err)
	}
	plan, err := compare(ctx, opts, files, remote)
	if err != nil {
		return plan, err
	}
	if opts.DryRun {
		return plan, nil
	}
	logf := func(format string, args ...any) {
		if opts.Log != nil {
			fmt.Fprintf(opts.Log, format, args...)
		}
	}
	assets, pages := waves(plan.Uploads)
	var logMu sync.Mutex
	for _, wave := range [][]Upload{assets, pages} {
		err := each(ctx, opts.Workers, len(wave), func(i int) error {
			u := wave[i]
			f, err := opts.Site.Open(u.Path)
			if err != nil {
				return err
			}
			defer f.Close()
			if err := opts.Store.Put(ctx, u.Key, f, u.Size, u.Headers); err != nil {
				return fmt.Errorf("upload %s: %w", u.Key, err)
			}
			logMu.Lock()
			logf("upload %s (%s)\n", u.Key, u.Reason)
			logMu.Unlock()
			return nil
		})
		if err != nil {
			return plan, fmt.Errorf("%w\nnothing was deleted; run the deploy again to finish it", err)
		}
	}
	for batch := range slices.Chunk(plan.Deletes, 1000) {
		if err := opts.Store.Delete(ctx, batch); err != nil {
			return plan, fmt.Errorf("delete: %w", err)
		}
		for _, k := range batch {
			logf("delete %s\n", k)
		}
	}
	return plan, nil
}

// scan lists the files of the site with their hash and headers.
func scan(site fs.FS) ([]local, error) {
	var files []local
	err := fs.WalkDir(site, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() || !d.Type().IsRegular() && d.Type()&fs.ModeSymlink == 0 {
			return nil
		}
		sum, size, err := hashFile(site, p)
		if err != nil {
			return err
		}
		files = append(files, local{path: p, size: size, headers: Headers{
			ContentType:  ContentType(p),
			CacheControl: CacheControl(p),
			SHA256:       sum,
		}})
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("read the site: %w", err)
	}
	return files, nil
}

func hashFile(site fs.FS, name string) (string, int64, error) {
	f, err := site.Open(name)
	if err != nil {
		return "", 0, err
	}
	defer f.Close()
	h := sha256.New()
	n, err := io.Copy(h, f)
	if err != nil {
		return "", 0, fmt.Errorf("%s: %w", name, err)
	}
	return hex.EncodeToString(h.Sum(nil)), n, nil
}

// compare decides, file by file, what to upload and what to delete. Objects whose listing lacks their
// headers are asked for them, concurrently.
func compare(ctx context.Context, opts Options, files []local, remote []Object) (Plan, error) {
	byKey := make(map[string]Object, len(remote))
	for _, o := range remote {
		if strings.HasSuffix(o.Key, "/") {
			continue // a folder marker, made by some consoles
		}
		byKey[o.Key] = o
	}
	var need []string
	for _, f := range files {
		if o, ok := byKey[opts.Target.key(f.path)]; ok && !o.Meta {
			need = append(need, o.Key)
		}
	}
	var mu sync.Mutex
	err := each(ctx, opts.Workers, len(need), func(i int) error {
		o, err := opts.Store.Stat(ctx, need[i])
		if err != nil {
			return fmt.Errorf("stat %s: %w", need[i], err)
		}
		o.Meta = true
		mu.Lock()
		byKey[need[i]] = o
		mu.Unlock()
		return nil
	})
	if err != nil {
		return Plan{}, err
	}
	var plan Plan
	seen := make(map[string]bool, len(files))
	for _, f := range files {
		key := opts.Target.key(f.path)
		seen[key] = true
		o, ok := byKey[key]
		reason := ""
		switch {
		case !ok:
			reason = "new"
		case o.Headers.SHA256 != f.headers.SHA256 || o.Size != f.size:
			reason = "changed"
		case !sameType(o.Headers.ContentType, f.headers.ContentType) || o.Headers.CacheControl != f.headers.CacheControl:
			reason = "headers"
		}
		if reason == "" {
			plan.Unchanged++
			continue
		}
		plan.Uploads = append(plan.Uploads, Upload{Path: f.path, Key: key, Size: f.size, Reason: reason, Headers: f.headers})
	}
	for key := range byKey {
		if !seen[key] {
			plan.Deletes = append(plan.Deletes, key)
		}
	}
	slices.Sort(plan.Deletes)
	assets, pages := waves(plan.Uploads)
	plan.Uploads = append(assets, pages...)
	return plan, nil
}

// sameType compares content types as servers give them back: case and spaces may differ.
func sameType(a, b string) bool {
	norm := func(s string) string { return strings.ReplaceAll(strings.ToLower(s), " ", "") }
	return norm(a) == norm(b)
}

// waves splits uploads into assets and pages (HTML, feeds, sitemap), each sorted by path.
func waves(ups []Upload) (assets, pages []Upload) {
	for _, u := range ups {
		if isPage(u.Path) {
			pages = append(pages, u)
		} else {
			assets = append(assets, u)
		}
	}
	byPath := func(a, b Upload) int { return strings.Compare(a.Path, b.Path) }
	slices.SortFunc(assets, byPath)
	slices.SortFunc(pages, byPath)
	return assets, pages
}

// each runs fn(0) … fn(n-1) on up to workers goroutines and returns the errors, in index order. It stops
// starting new calls once one failed or the context is done.
func each(ctx context.Context, workers, n int, fn func(i int) error) error {
	errs := make([]error, n)
	var (
		wg     sync.WaitGroup
		mu     sync.Mutex
		next   int
		failed bool
	)
	for range min(workers, n) {
		wg.Go(func() {
			for {
				mu.Lock()
				if next >= n || failed || ctx.Err() != nil {
					mu.Unlock()
					return
				}
				i := next
				next++
				mu.Unlock()
				if err := fn(i); err != nil {
					mu.Lock()
					errs[i], failed = err, true
					mu.Unlock()
				}
			}
		})
	}
	wg.Wait()
	return errors.Join(append(errs, ctx.Err())...)
}

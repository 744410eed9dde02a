package generator

import (
	"bufio"
	"html/template"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"
	"unsafe"

	"github.com/cespare/xxhash/v2"

	"github.com/vitrine-ssg/vitrine/generator/model"
)

// bodyStore keeps the converted bodies of a build to disk in a temporary file rather than in memory:
// ten thousand articles are 150 MB of HTML, and each is needed once, when its page is rendered (and
// again for the newest ones, in feeds). The loader hands each body over as soon as it is converted
// (put), and leaves the page's Content empty; layouts get it back through the renderer's Body option
// (get), feeds through their Builder's.
//
// A nil *bodyStore keeps bodies in the pages: every method does nothing.
type bodyStore struct {
	f *os.File

	mu   sync.RWMutex
	w    *bufio.Writer
	off  int64
	refs map[string]bodyRef // by page source
	err  error              // the first write error: get then fails the build
}

// writeBuffer is the buffer of the files a build appends to (bodies, converted Markdown): bodies are
// written whole past it, and a larger one only holds memory for the whole build.
const writeBuffer = 64 << 10

// bodyRef is where a body lies in the file, and its hash, for fingerprints.
type bodyRef struct {
	off, n int64
	sum    uint64
}

// staleTemp is the age past which a temporary file in the store's folder is taken for the leftover of
// a build that was killed (a build removes its own when it ends, in error or not): a build of ten
// thousand articles takes seconds. One still running keeps reading a file removed under it where
// the system allows it, and where it does not (Windows), the file is not removed.
const staleTemp = time.Hour

// newBodyStore creates the store's file in dir, after removing the stale temporary files there.
func newBodyStore(dir string) (*bodyStore, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	removeStale(dir, time.Now().Add(-staleTemp))
	f, err := os.CreateTemp(dir, "bodies-*.tmp")
	if err != nil {
		return nil, err
	}
	return &bodyStore{f: f, w: bufio.NewWriterSize(f, writeBuffer), refs: map[string]bodyRef{}}, nil
}

// removeStale removes the temporary files of dir last written before the given time.
func removeStale(dir string, before time.Time) {
	ents, _ := os.ReadDir(dir)
	for _, e := range ents {
		if info, err := e.Info(); err == nil && info.Mode().IsRegular() && strings.HasSuffix(e.Name(), ".tmp") &&
			info.ModTime().Before(before) {
			os.Remove(filepath.Join(dir, e.Name()))
		}
	}
}

// put keeps a page's body in the file, and reports whether it did: when it did not, the body stays in
// the page. It is given to the loader as load.Options.Body, and called from many goroutines.
func (b *bodyStore) put(p *model.Page, html []byte) bool {
	if b == nil || len(html) == 0 || p.Source == "" {
		return false
	}
	sum := xxhash.Sum64(html) // before taking the lock the other workers wait for
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.err != nil || b.w == nil {
		return false
	}
	n, err := b.w.Write(html)
	if err != nil {
		b.err = err
		return false
	}
	b.refs[p.Source] = bodyRef{off: b.off, n: int64(n), sum: sum}
	b.off += int64(n)
	return true
}

// sealed makes what was put readable; called once the content is loaded.
func (b *bodyStore) sealed() error {
	if b == nil {
		return nil
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.err == nil {
		b.err = b.w.Flush()
	}
	b.w = nil // nothing is put after: its buffer goes back to the heap
	return b.err
}

// get returns a page's body, from the page or from the file.
func (b *bodyStore) get(p *model.Page) (template.HTML, error) {
	if b == nil || p.Content != "" {
		return p.Content, nil
	}
	b.mu.RLock()
	ref, ok := b.refs[p.Source]
	b.mu.RUnlock()
	if !ok {
		return p.Content, nil
	}
	data := make([]byte, ref.n)
	if _, err := b.f.ReadAt(data, ref.off); err != nil {
		return "", err
	}
	// data is never written again: it becomes the string without a second copy of the body.
	return template.HTML(unsafe.String(unsafe.SliceData(data), len(data))), nil
}

// sum returns the hash of a page's body when the store has it.
func (b *bodyStore) sum(p *model.Page) (uint64, bool) {
	if b == nil || p.Content != "" {
		return 0, false
	}
	b.mu.RLock()
	defer b.mu.RUnlock()
	ref, ok := b.refs[p.Source]
	return ref.sum, ok
}

// temp creates a temporary file beside the store's, for a later step to keep data out of memory too.
// The caller removes it with removeTemp.
func (b *bodyStore) temp(pattern string) (*os.File, error) {
	return os.CreateTemp(filepath.Dir(b.f.Name()), pattern)
}

// removeTemp closes and removes a file made by temp.
func removeTemp(f *os.File) {
	f.Close()
	os.Remove(f.Name())
}

// close removes the file.
func (b *bodyStore) close() {
	if b != nil {
		b.f.Close()
		os.Remove(b.f.Name())
	}
}

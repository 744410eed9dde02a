package generator

import (
	"bufio"
	"bytes"
	"crypto/rand"
	"encoding/gob"
	"encoding/hex"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"

	"github.com/cespare/xxhash/v2"

	"github.com/vitrine-ssg/vitrine/generator/markdown"
	"github.com/vitrine-ssg/vitrine/generator/output"
)

// mdCache keeps the Markdown conversions of a build for the next one, in CacheDir/markdown/: entries
// appended to pack files (one per build that converted something), found through an index written once
// the content is loaded. The index holds the entries the last build used, so packs only the older
// builds used are removed then; a build that edits one page adds a pack of one entry.
//
// Entries carry a checksum and the index a namespace (vitrine's version and the Markdown options): a
// corrupt entry, a missing pack or another namespace is a conversion to do again, never an error.
// Two builds of the same site at once may leave each other's pack unused; nothing worse.
type mdCache struct {
	dir string
	ns  uint64

	mu    sync.Mutex
	index map[markdown.Key]mdEntry // from the last build
	used  map[markdown.Key]mdEntry // by this build
	packs map[string]*os.File      // opened for reading
	out   *os.File                 // this build's pack, created on the first Store
	w     *bufio.Writer            // writes to out: a build stores thousands of entries
	name  string
	off   int64 // the size of the pack, buffered entries included
	dirty bool  // used differs from index
}

// mdEntry is where an entry lies.
type mdEntry struct {
	Pack     string
	Off, Len int64
	Sum      uint64
}

type mdIndex struct {
	NS      uint64
	Entries map[markdown.Key]mdEntry
}

const mdIndexName = "index"

// openMDCache opens the cache of conversions made with ns in dir; a missing or unreadable index is an
// empty cache.
func openMDCache(dir string, ns uint64) *mdCache {
	c := &mdCache{dir: dir, ns: ns, index: map[markdown.Key]mdEntry{}, used: map[markdown.Key]mdEntry{}, packs: map[string]*os.File{}}
	if data, err := os.ReadFile(filepath.Join(dir, mdIndexName)); err == nil {
		var idx mdIndex
		if gob.NewDecoder(bytes.NewReader(data)).Decode(&idx) == nil && idx.NS == ns && idx.Entries != nil && packsValid(idx.Entries) {
			c.index = idx.Entries
		}
	}
	return c
}

// packsValid reports whether every entry names a pack file of the cache's folder: an index changed by
// hand (or by a committed cache) must not have a build read a file elsewhere.
func packsValid(entries map[markdown.Key]mdEntry) bool {
	for _, e := range entries {
		if !strings.HasPrefix(e.Pack, "pack-") || strings.ContainsAny(e.Pack, `/\:`+"\x00") || e.Pack != filepath.Base(e.Pack) {
			return false
		}
	}
	return true
}

var _ markdown.Cache = (*mdCache)(nil)

// Load implements markdown.Cache.
func (c *mdCache) Load(key markdown.Key) ([]byte, bool) {
	c.mu.Lock()
	e, ok := c.index[key]
	if !ok {
		e, ok = c.used[key]
	}
	var f *os.File
	if ok && c.w != nil && e.Pack == c.name && c.w.Buffered() > 0 {
		// An entry of this build (a body converted twice) may not be written out yet.
		if c.w.Flush() != nil {
			c.mu.Unlock()
			return nil, false
		}
	}
	if ok {
		f = c.packs[e.Pack]
		if f == nil {
			var err error
			if f, err = os.Open(filepath.Join(c.dir, e.Pack)); err != nil {
				c.mu.Unlock()
				return nil, false
			}
			c.packs[e.Pack] = f
		}
	}
	c.mu.Unlock()
	if !ok {
		return nil, false
	}
	data := make([]byte, e.Len)
	if _, err := f.ReadAt(data, e.Off); err != nil || xxhash.Sum64(data) != e.Sum {
		return nil, false
	}
	c.mu.Lock()
	c.used[key] = e
	c.mu.Unlock()
	return data, true
}

// Store implements markdown.Cache. A failure to write leaves the entry out: the cache is only a cache.
func (c *mdCache) Store(key markdown.Key, data []byte) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.out == nil {
		if err := os.MkdirAll(c.dir, 0o755); err != nil {
			return
		}
		var id [8]byte
		_, _ = rand.Read(id[:])
		c.name = "pack-" + hex.EncodeToString(id[:])
		f, err := os.OpenFile(filepath.Join(c.dir, c.name), os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o644)
		if err != nil {
			return
		}
		c.out, c.w = f, bufio.NewWriterSize(f, writeBuffer)
		c.packs[c.name] = f
	}
	if _, err := c.w.Write(data); err != nil {
		return // the writer keeps failing: no entry is stored after this one
	}
	c.used[key] = mdEntry{Pack: c.name, Off: c.off, Len: int64(len(data)), Sum: xxhash.Sum64(data)}
	c.off += int64(len(data))
	c.dirty = true
}

// finish writes the index of the entries this build used and removes the packs it no longer needs. It is
// called once the content is loaded, every conversion made; loaded is false when loading failed, and
// then the index stays as it was.
func (c *mdCache) finish(loaded bool) {
	if c == nil {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.w != nil && c.w.Flush() != nil {
		loaded = false // the entries of this build are not all written: keep the index as it was
	}
	for _, f := range c.packs {
		f.Close()
	}
	c.packs, c.out, c.w = map[string]*os.File{}, nil, nil
	if !loaded || !c.dirty && len(c.used) == len(c.index) {
		return // the same entries as the last build
	}
	var buf bytes.Buffer
	if gob.NewEncoder(&buf).Encode(mdIndex{NS: c.ns, Entries: c.used}) != nil {
		return
	}
	if output.WriteAtomic(filepath.Join(c.dir, mdIndexName), buf.Bytes()) != nil {
		return
	}
	live := map[string]bool{}
	for _, e := range c.used {
		live[e.Pack] = true
	}
	ents, _ := os.ReadDir(c.dir)
	for _, d := range ents {
		if strings.HasPrefix(d.Name(), "pack-") && !live[d.Name()] {
			os.Remove(filepath.Join(c.dir, d.Name()))
		}
	}
}

// markdownCache returns the cache of conversions of a build, or nil. A Session's builds use none: its
// loader keeps its conversions, and converts only what changed.
func markdownCache(opts Options, unsafe bool, typography string) *mdCache {
	if opts.CacheDir == "" || opts.session != nil && opts.session.key == 0 {
		return nil
	}
	// "unsafe-urls" marks the format of entries since conversions report the URLs the policy refused.
	ns := xxhash.Sum64String(vitrineVersion() + "\x00" + strconv.FormatBool(unsafe) + "\x00" + typography + "\x00unsafe-urls")
	return openMDCache(filepath.Join(opts.CacheDir, "markdown"), ns)
}

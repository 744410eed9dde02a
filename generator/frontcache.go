package generator

import (
	"bytes"
	"encoding/binary"
	"math"
	"os"
	"path/filepath"
	"sync"

	"github.com/cespare/xxhash/v2"

	"github.com/vitrine-ssg/vitrine/generator/load"
	"github.com/vitrine-ssg/vitrine/generator/output"
)

// frontCache keeps the decoded front matter of the content files of a build for the next one, in
// CacheDir/front/index: one file read whole when the build starts and written again, with the entries
// this build used, once the content is loaded (see load.FrontCache). Ten thousand files are a few
// megabytes; decoding them from there costs a tenth of parsing their YAML again.
//
// The index carries a namespace (vitrine's version) and a checksum: another namespace or a corrupt file
// is an empty cache, never an error.
type frontCache struct {
	path string
	ns   uint64

	mu    sync.Mutex
	index map[load.FrontKey][]byte // from the last build
	used  map[load.FrontKey][]byte // by this build
	dirty bool                     // used has entries index has not
}

const frontMagic = "vitrine-front-1\n"

var _ load.FrontCache = (*frontCache)(nil)

// frontCacheOf returns the front-matter cache of a build, or nil: like the Markdown cache, only for
// builds with a cache that are not a Session's (whose loader keeps what it read).
func frontCacheOf(opts Options) *frontCache {
	if opts.CacheDir == "" || opts.session != nil && opts.session.key == 0 {
		return nil
	}
	return openFrontCache(filepath.Join(opts.CacheDir, "front", "index"), xxhash.Sum64String(vitrineVersion()))
}

// openFrontCache reads the index at path; a missing or unreadable one is an empty cache.
func openFrontCache(path string, ns uint64) *frontCache {
	c := &frontCache{path: path, ns: ns, index: map[load.FrontKey][]byte{}, used: map[load.FrontKey][]byte{}}
	data, err := os.ReadFile(path)
	if err != nil || len(data) < len(frontMagic)+16 || string(data[:len(frontMagic)]) != frontMagic {
		return c
	}
	body, tail := data[:len(data)-8], data[len(data)-8:]
	if xxhash.Sum64(body) != binary.LittleEndian.Uint64(tail) {
		return c
	}
	b := body[len(frontMagic):]
	if binary.LittleEndian.Uint64(b) != ns {
		return c
	}
	b = b[8:]
	index := map[load.FrontKey][]byte{}
	for len(b) > 0 {
		var key load.FrontKey
		if len(b) < len(key) {
			return c
		}
		copy(key[:], b)
		n, k := binary.Uvarint(b[len(key):])
		if k <= 0 || n > uint64(len(b)-len(key)-k) {
			return c
		}
		start := len(key) + k
		index[key] = b[start : start+int(n) : start+int(n)]
		b = b[start+int(n):]
	}
	c.index = index
	return c
}

// Load implements load.FrontCache.
func (c *frontCache) Load(key load.FrontKey) (map[string]any, bool) {
	c.mu.Lock()
	data, ok := c.index[key]
	if ok {
		c.used[key] = data
	}
	c.mu.Unlock()
	if !ok {
		return nil, false
	}
	d := frontDecoder{b: data}
	m, ok := d.value().(map[string]any)
	if d.bad || len(d.b) != 0 || !ok {
		c.mu.Lock()
		delete(c.used, key)
		c.dirty = true
		c.mu.Unlock()
		return nil, false
	}
	return m, true
}

// Store implements load.FrontCache. Front matter holding a value of a type encodeFront does not know
// (TOML's dates) is not kept.
func (c *frontCache) Store(key load.FrontKey, meta map[string]any) {
	data, ok := encodeFront(nil, meta)
	if !ok {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.used[key] = data
	c.dirty = true
}

// finish writes the index of the entries this build used, when they are not those of the last build.
// loaded is false when loading failed: the index then stays as it was.
func (c *frontCache) finish(loaded bool) {
	if c == nil {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if !loaded || !c.dirty && len(c.used) == len(c.index) {
		return
	}
	buf := bytes.NewBufferString(frontMagic)
	buf.Write(binary.LittleEndian.AppendUint64(nil, c.ns))
	var n [binary.MaxVarintLen64]byte
	for key, data := range c.used {
		buf.Write(key[:])
		buf.Write(n[:binary.PutUvarint(n[:], uint64(len(data)))])
		buf.Write(data)
	}
	buf.Write(binary.LittleEndian.AppendUint64(nil, xxhash.Sum64(buf.Bytes())))
	_ = output.WriteAtomic(c.path, buf.Bytes()) // the cache is only a cache
}

// The kinds of value of an encoded front matter: what decoding YAML gives.
const (
	frontNil byte = iota
	frontString
	frontTrue
	frontFalse
	frontInt
	frontInt64
	frontUint64
	frontFloat
	frontList
	frontMap
)

// encodeFront appends v to b, or reports false when v holds a value of another type than those above.
func encodeFront(b []byte, v any) ([]byte, bool) {
	switch v := v.(type) {
	case nil:
		return append(b, frontNil), true
	case string:
		b = binary.AppendUvarint(append(b, frontString), uint64(len(v)))
		return append(b, v...), true
	case bool:
		if v {
			return append(b, frontTrue), true
		}
		return append(b, frontFalse), true
	case int:
		return binary.AppendVarint(append(b, frontInt), int64(v)), true
	case int64:
		return binary.AppendVarint(append(b, frontInt64), v), true
	case uint64:
		return binary.AppendUvarint(append(b, frontUint64), v), true
	case float64:
		return binary.LittleEndian.AppendUint64(append(b, frontFloat), math.Float64bits(v)), true
	case []any:
		if v == nil {
			return b, false // decoded as an empty list: another value
		}
		b = binary.AppendUvarint(append(b, frontList), uint64(len(v)))
		for _, x := range v {
			var ok bool
			if b, ok = encodeFront(b, x); !ok {
				return b, false
			}
		}
		return b, true
	case map[string]any:
		if v == nil {
			return b, false
		}
		b = binary.AppendUvarint(append(b, frontMap), uint64(len(v)))
		for k, x := range v {
			b = binary.AppendUvarint(b, uint64(len(k)))
			b = append(b, k...)
			var ok bool
			if b, ok = encodeFront(b, x); !ok {
				return b, false
			}
		}
		return b, true
	}
	return b, false
}

// frontDecoder reads what encodeFront wrote; bad is set on anything else.
type frontDecoder struct {
	b   []byte
	bad bool
}

func (d *frontDecoder) uvarint() uint64 {
	v, n := binary.Uvarint(d.b)
	if n <= 0 {
		d.bad = true
		return 0
	}
	d.b = d.b[n:]
	return v
}

// count reads a length, at most what is left to read.
func (d *frontDecoder) count() int {
	n := d.uvarint()
	if n > uint64(len(d.b)) {
		d.bad = true
		return 0
	}
	return int(n)
}

func (d *frontDecoder) str() string {
	n := d.count()
	s := string(d.b[:n])
	d.b = d.b[n:]
	return s
}

func (d *frontDecoder) value() any {
	if d.bad || len(d.b) == 0 {
		d.bad = true
		return nil
	}
	kind := d.b[0]
	d.b = d.b[1:]
	switch kind {
	case frontNil:
		return nil
	case frontString:
		return d.str()
	case frontTrue:
		return true
	case frontFalse:
		return false
	case frontInt, frontInt64:
		v, n := binary.Varint(d.b)
		if n <= 0 {
			d.bad = true
			return nil
		}
		d.b = d.b[n:]
		if kind == frontInt {
			return int(v)
		}
		return v
	case frontUint64:
		return d.uvarint()
	case frontFloat:
		if len(d.b) < 8 {
			d.bad = true
			return nil
		}
		v := math.Float64frombits(binary.LittleEndian.Uint64(d.b))
		d.b = d.b[8:]
		return v
	case frontList:
		n := d.count()
		l := make([]any, 0, n)
		for range n {
			l = append(l, d.value())
		}
		return l
	case frontMap:
		n := d.count()
		m := make(map[string]any, n)
		for range n {
			k := d.str()
			m[k] = d.value()
		}
		return m
	}
	d.bad = true
	return nil
}

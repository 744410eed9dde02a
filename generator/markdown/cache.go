package markdown

import (
	"bytes"
	"encoding/binary"
	"errors"
	"sync"

	"github.com/zeebo/xxh3"
)

// Cache keeps conversions from one build to the next, by the hash of the Markdown source: a rebuild
// converts only the bodies that changed. A Cache is used by many goroutines at once.
//
// A conversion depends on the source, the Converter's options and the URLs its links to Markdown files
// resolved to, which are stored with it and asked again of the LinkResolver before a cached conversion
// is used; one whose images or embeds went through a Media is not cached (see ConvertWith). Converters
// with other options key their conversions apart, so they may share a Cache (of the same code only);
// anything else a conversion comes to depend on must be stored and checked the same way.
type Cache interface {
	// Load returns what Store stored under key, or false.
	Load(key Key) ([]byte, bool)
	// Store keeps data under key. data is only valid during the call: Store copies what it keeps.
	Store(key Key, data []byte)
}

// Key identifies a Markdown source: a 128-bit hash of it.
type Key [16]byte

// Convert converts one Markdown body. resolve may be nil: links to Markdown
// files are then left as written and not reported.
func (c *Converter) Convert(src []byte, resolve LinkResolver) (Result, error) {
	return c.ConvertWith(src, resolve, nil)
}

// ConvertWith is Convert with the page's Media, which renders its images and embeds.
//
// A conversion in which media was asked for an image or an embed depends on its answers (image files,
// their sizes): it is never cached. One in which it was not is the same whatever the Media, and cached
// under a key of its own (a conversion without Media renders images as written).
func (c *Converter) ConvertWith(src []byte, resolve LinkResolver, media Media) (Result, error) {
	return c.run(src, resolve, media, nil)
}

// ConvertFunc is ConvertWith for a caller that copies the HTML it keeps, or writes it out: use is called
// with the conversion, unless it failed, and its HTML and Summary are valid until use returns only. It
// saves the copy of the HTML that ConvertWith makes.
func (c *Converter) ConvertFunc(src []byte, resolve LinkResolver, media Media, use func(Result)) error {
	_, err := c.run(src, resolve, media, use)
	return err
}

// run converts src, or finds its conversion in the cache, and calls use with it; without use, it returns
// the conversion, with HTML of its own rather than the buffer it was rendered in.
func (c *Converter) run(src []byte, resolve LinkResolver, media Media, use func(Result)) (Result, error) {
	var key Key
	if c.cache != nil {
		seed := c.seed
		if media != nil {
			seed++
		}
		key = Key(xxh3.Hash128Seed(src, seed).Bytes())
		if data, ok := c.cache.Load(key); ok {
			// data was read for this call: the result may keep it.
			if res, links, err := decodeCached(data); err == nil && sameLinks(links, resolve) {
				if use == nil {
					return res, nil
				}
				use(res)
				return Result{}, nil
			}
		}
	}
	var links []resolved // declared here, so that a conversion found in the cache does not allocate it
	record := resolve
	if c.cache != nil && resolve != nil {
		record = func(dest string) (string, bool) {
			url, ok := resolve(dest)
			links = append(links, resolved{dest, url, ok})
			return url, ok
		}
	}
	res, out, asked, err := c.convert(src, record, media)
	if err != nil {
		return Result{}, err
	}
	defer out.release()
	html := out.Bytes()
	if use == nil {
		html = bytes.Clone(html)
	}
	res = out.result(res, html)
	if c.cache != nil && !asked {
		buf := entryPool.Get().(*[]byte)
		*buf = encodeCached((*buf)[:0], res, links)
		c.cache.Store(key, *buf)
		if cap(*buf) <= maxPooledBuffer {
			entryPool.Put(buf)
		}
	}
	if use == nil {
		return res, nil
	}
	use(res)
	return Result{}, nil
}

// entryPool keeps the buffers cache entries are encoded in: Store copies the entry, or writes it out.
var entryPool = sync.Pool{New: func() any { return new([]byte) }}

// resolved is one answer of a LinkResolver during a conversion.
type resolved struct {
	dest, url string
	ok        bool
}

// sameLinks reports whether resolve gives the answers a cached conversion got.
func sameLinks(links []resolved, resolve LinkResolver) bool {
	for _, l := range links {
		if resolve == nil {
			return false
		}
		if url, ok := resolve(l.dest); url != l.url || ok != l.ok {
			return false
		}
	}
	return true
}

// encodeCached appends a conversion to b as bytes: lengths and numbers as varints, text as is.
func encodeCached(b []byte, r Result, links []resolved) []byte {
	b = appendText(b, r.HTML)
	if r.Summary == nil {
		b = binary.AppendVarint(b, -1)
	} else {
		b = binary.AppendVarint(b, int64(len(r.Summary)))
		b = append(b, r.Summary...)
	}
	b = appendBool(b, r.HasMore)
	b = binary.AppendVarint(b, int64(r.WordCount))
	b = binary.AppendVarint(b, int64(len(r.TOC)))
	for _, h := range r.TOC {
		b = binary.AppendVarint(b, int64(h.Level))
		b = appendText(b, h.ID)
		b = appendText(b, h.Text)
	}
	b = binary.AppendVarint(b, int64(len(r.Anchors)))
	for _, a := range r.Anchors {
		b = appendText(b, a)
	}
	b = binary.AppendVarint(b, int64(len(r.LinkErrors)))
	for _, e := range r.LinkErrors {
		b = binary.AppendVarint(b, int64(e.Line))
		b = appendText(b, e.Dest)
	}
	b = binary.AppendVarint(b, int64(len(r.RawHTML)))
	for _, line := range r.RawHTML {
		b = binary.AppendVarint(b, int64(line))
	}
	b = binary.AppendVarint(b, int64(len(r.UnsafeURLs)))
	for _, e := range r.UnsafeURLs {
		b = binary.AppendVarint(b, int64(e.Line))
		b = appendText(b, e.Dest)
	}
	b = binary.AppendVarint(b, int64(len(links)))
	for _, l := range links {
		b = appendText(b, l.dest)
		b = appendText(b, l.url)
		b = appendBool(b, l.ok)
	}
	return b
}

// appendText appends the length of s, then s.
func appendText[S ~string | ~[]byte](b []byte, s S) []byte {
	b = binary.AppendUvarint(b, uint64(len(s)))
	return append(b, s...)
}

func appendBool(b []byte, v bool) []byte {
	if v {
		return binary.AppendVarint(b, 1)
	}
	return binary.AppendVarint(b, 0)
}

var errCorrupt = errors.New("markdown: corrupt cache entry")

// decodeCached reads what encodeCached wrote.
func decodeCached(b []byte) (r Result, links []resolved, err error) {
	bad := false
	num := func() int {
		v, n := binary.Varint(b)
		if n <= 0 {
			bad = true
			return 0
		}
		b = b[n:]
		return int(v)
	}
	bytesOf := func(n int) []byte {
		if n < 0 || n > len(b) {
			bad = true
			return nil
		}
		s := b[:n:n]
		b = b[n:]
		return s
	}
	str := func() []byte {
		v, n := binary.Uvarint(b)
		if n <= 0 {
			bad = true
			return nil
		}
		b = b[n:]
		return bytesOf(int(v))
	}
	count := func() int {
		v := num()
		if v < 0 || v > len(b) {
			bad = true
			return 0
		}
		return v
	}
	r.HTML = str()
	if n := num(); n >= 0 {
		r.Summary = bytesOf(n)
	}
	r.HasMore = num() == 1
	r.WordCount = num()
	for range count() {
		r.TOC = append(r.TOC, Heading{Level: num(), ID: string(str()), Text: string(str())})
	}
	for range count() {
		r.Anchors = append(r.Anchors, string(str()))
	}
	for range count() {
		r.LinkErrors = append(r.LinkErrors, LinkError{Line: num(), Dest: string(str())})
	}
	for range count() {
		r.RawHTML = append(r.RawHTML, num())
	}
	for range count() {
		r.UnsafeURLs = append(r.UnsafeURLs, LinkError{Line: num(), Dest: string(str())})
	}
	for range count() {
		links = append(links, resolved{dest: string(str()), url: string(str()), ok: num() == 1})
	}
	if bad || len(b) != 0 {
		return Result{}, nil, errCorrupt
	}
	return r, links, nil
}

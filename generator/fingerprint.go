package generator

import (
	"cmp"
	"encoding/binary"
	"fmt"
	"math"
	"reflect"
	"slices"
	"time"

	"github.com/cespare/xxhash/v2"

	"github.com/vitrine-ssg/vitrine/generator/model"
)

// hasher computes the fingerprints that decide what a Session builds again: 64-bit digests of the
// inputs of each output file. They are stored in the build cache between runs of vitrine build, so the
// hash is one whose value does not change from one process to the next (xxHash, not hash/maphash). It is
// not safe for concurrent use.
type hasher struct{ h *xxhash.Digest }

func newHasher() *hasher { return &hasher{h: xxhash.New()} }

func (h *hasher) reset() *hasher { h.h.Reset(); return h }
func (h *hasher) sum() uint64    { return h.h.Sum64() }

func (h *hasher) u64(v uint64) *hasher {
	var b [8]byte
	binary.LittleEndian.PutUint64(b[:], v)
	h.h.Write(b[:])
	return h
}

// time hashes an instant and the offset it is written with.
func (h *hasher) time(t time.Time) *hasher {
	_, off := t.Zone()
	return h.u64(uint64(t.UnixNano())).u64(uint64(off))
}

func (h *hasher) str(s string) *hasher {
	h.u64(uint64(len(s)))
	h.h.WriteString(s)
	return h
}

var (
	pageType     = reflect.TypeFor[*model.Page]()
	termType     = reflect.TypeFor[*model.Term]()
	taxonomyType = reflect.TypeFor[*model.Taxonomy]()
	timeType     = reflect.TypeFor[time.Time]()
	locationType = reflect.TypeFor[*time.Location]()
)

// value hashes any value of the model by reflection, so that a field added to model.Page is part of
// fingerprints without anyone remembering to add it here. Links to other pages, terms and taxonomies
// are left out: a page's fingerprint takes them in explicitly, each at the depth layouts see it.
func (h *hasher) value(v reflect.Value) {
	switch v.Kind() {
	case reflect.Pointer:
		switch {
		case v.IsNil():
			h.u64(0)
		case v.Type() == pageType, v.Type() == termType, v.Type() == taxonomyType:
			h.u64(2)
		case v.Type() == locationType:
			h.u64(3).str(v.Interface().(*time.Location).String())
		default:
			h.u64(1)
			h.value(v.Elem())
		}
	case reflect.Struct:
		if v.Type() == timeType {
			t := v.Interface().(time.Time)
			h.str(t.Format(time.RFC3339Nano)).str(t.Location().String())
			return
		}
		for i := range v.NumField() {
			h.value(v.Field(i))
		}
	case reflect.String:
		h.str(v.String())
	case reflect.Bool:
		if v.Bool() {
			h.u64(1)
		} else {
			h.u64(0)
		}
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		h.u64(uint64(v.Int()))
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		h.u64(v.Uint())
	case reflect.Float32, reflect.Float64:
		h.u64(math.Float64bits(v.Float()))
	case reflect.Slice, reflect.Array:
		if v.Kind() == reflect.Slice && v.Type().Elem() == pageType {
			return // links: the callers take them in, each as layouts see them
		}
		h.u64(uint64(v.Len()))
		for i := range v.Len() {
			h.value(v.Index(i))
		}
	case reflect.Map:
		keys := v.MapKeys()
		slices.SortFunc(keys, func(a, b reflect.Value) int { return cmp.Compare(fmt.Sprint(a), fmt.Sprint(b)) })
		h.u64(uint64(len(keys)))
		for _, k := range keys {
			h.value(k)
			h.value(v.MapIndex(k))
		}
	case reflect.Interface:
		if v.IsNil() {
			h.u64(0)
			return
		}
		h.str(v.Elem().Type().String())
		h.value(v.Elem())
	case reflect.Invalid:
		h.u64(0)
	default:
		// Functions and channels carry no content.
		h.str(v.Kind().String())
	}
}

// heavy are the fields of a page made from its body: large, and changed only by reading the file again.
var heavy = map[string]bool{"Content": true, "TOC": true}

// metaFields and bodyFields are the indexes of the fields of model.Page outside and inside heavy, and
// contentField that of Content.
var metaFields, bodyFields, contentField = func() (meta, body []int, content int) {
	t := reflect.TypeFor[model.Page]()
	for i := range t.NumField() {
		if heavy[t.Field(i).Name] {
			body = append(body, i)
		} else {
			meta = append(meta, i)
		}
	}
	f, _ := t.FieldByName("Content")
	return meta, body, f.Index[0]
}()

// pageMeta hashes a page's own fields but its body: what the lists showing the page may use.
func (h *hasher) pageMeta(p *model.Page) uint64 {
	h.reset()
	v := reflect.ValueOf(p).Elem()
	for _, i := range metaFields {
		h.value(v.Field(i))
	}
	return h.sum()
}

// pageBody hashes the fields of a page made from its body, the body itself by its hash when it is in the
// store.
func (h *hasher) pageBody(p *model.Page, bodies *bodyStore) uint64 {
	h.reset()
	v := reflect.ValueOf(p).Elem()
	sum, stored := bodies.sum(p)
	for _, i := range bodyFields {
		if i == contentField && stored {
			h.u64(sum) // the body is in the store (see bodyStore), with its hash
		} else {
			h.value(v.Field(i))
		}
	}
	return h.sum()
}

package generator

import (
	"context"
	"encoding/binary"
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime/debug"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/cespare/xxhash/v2"

	"github.com/vitrine-ssg/vitrine/generator/model"
	"github.com/vitrine-ssg/vitrine/generator/output"
	"github.com/vitrine-ssg/vitrine/generator/render"
	"github.com/vitrine-ssg/vitrine/themes"
)

// keeper is a writer into a folder that holds the last build (output.Incremental): Build leaves the
// files it would make again with the same bytes as they are, and stores beside them what it needs to
// know which those are.
type keeper interface {
	output.Writer
	// Has reports whether the destination holds name as the last build wrote it.
	Has(name string) bool
	// Keep tells that this build makes name as the last one did: the file stays.
	Keep(name string)
	// Attached returns what the last build attached, when the destination is as it left it.
	Attached() []byte
	// Attach stores data with this build's output, for the next build.
	Attach(data []byte)
}

var _ keeper = (*output.Incremental)(nil)

// cachedState is what a build with a build cache keeps for the next one, attached to the output's
// manifest: the fingerprint of the inputs of each output file, the site-wide lists each page's layouts
// asked for, and the files of the sitemap. It is what a Session keeps between two rebuilds, so the same
// code decides what to make again.
type cachedState struct {
	Key     uint64 // the build cache's key (see cacheKey); a state of another key is not used
	Fps     map[string]uint64
	Calls   map[string][]render.Call
	Sitemap []string
}

// buildCached is Build into a keeper with a build cache: a Session whose last build is the last run of
// vitrine build, read back from the cache. Only the pages whose fingerprint changed are rendered, and
// only the files whose bytes changed are written; the output equals a Build's.
func buildCached(ctx context.Context, opts Options, w keeper) (*Result, error) {
	key, err := cacheKey(opts)
	if err != nil {
		return nil, err
	}
	var last cachedState
	if data := w.Attached(); data != nil {
		if !last.decode(data) || last.Key != key {
			last = cachedState{}
		}
	}
	s := &Session{opts: opts, pending: map[string]bool{}, metas: map[uint64]pageHash{}, key: key,
		fps: map[string]uint64{}, calls: last.Calls}
	// A file the destination no longer holds as the last build left it is made again, whatever its
	// fingerprint says.
	for name, fp := range last.Fps {
		if w.Has(name) {
			s.fps[name] = fp
		}
	}
	if fp, ok := last.Fps[sitemapKey]; ok && !slices.ContainsFunc(last.Sitemap, func(n string) bool { return !w.Has(n) }) {
		s.fps[sitemapKey], s.sitemap = fp, last.Sitemap
	}
	s.cur = newSessionBuild(s, map[*model.Page]uint64{})
	s.cur.disk = w
	opts.session = s
	res, err := Build(ctx, opts)
	if err != nil {
		return nil, err
	}
	next := cachedState{Key: key, Fps: s.cur.fps, Calls: s.cur.calls, Sitemap: s.cur.sitemap}
	w.Attach(next.encode())
	return res, nil
}

// stateMagic starts an encoded cachedState; another version of the encoding gets another one.
const stateMagic = "vitrine-state-1\n"

// encode writes the state as bytes: lengths and numbers as varints, text as is. It is made by hand
// rather than with encoding/gob, which took 0.08 s of the main goroutine to write and read the state of
// ten thousand pages, a twentieth of a build after one edit.
func (st *cachedState) encode() []byte {
	b := append([]byte(stateMagic), make([]byte, 8)...)
	binary.LittleEndian.PutUint64(b[len(stateMagic):], st.Key)
	b = binary.AppendUvarint(b, uint64(len(st.Fps)))
	for name, fp := range st.Fps {
		b = appendString(b, name)
		b = binary.LittleEndian.AppendUint64(b, fp)
	}
	b = binary.AppendUvarint(b, uint64(len(st.Calls)))
	for name, calls := range st.Calls {
		b = appendString(b, name)
		b = binary.AppendUvarint(b, uint64(len(calls)))
		for _, c := range calls {
			b = appendString(appendString(b, c.Method), c.Arg)
			b = binary.AppendVarint(b, int64(c.N))
		}
	}
	b = binary.AppendUvarint(b, uint64(len(st.Sitemap)))
	for _, name := range st.Sitemap {
		b = appendString(b, name)
	}
	return binary.LittleEndian.AppendUint64(b, xxhash.Sum64(b))
}

func appendString(b []byte, s string) []byte {
	return append(binary.AppendUvarint(b, uint64(len(s))), s...)
}

// decode reads what encode wrote, and reports false for anything else.
func (st *cachedState) decode(data []byte) bool {
	if len(data) < len(stateMagic)+16 || string(data[:len(stateMagic)]) != stateMagic {
		return false
	}
	data, sum := data[:len(data)-8], binary.LittleEndian.Uint64(data[len(data)-8:])
	if xxhash.Sum64(data) != sum {
		return false
	}
	d := frontDecoder{b: data[len(stateMagic)+8:]}
	st.Key = binary.LittleEndian.Uint64(data[len(stateMagic):])
	n := d.count()
	st.Fps = make(map[string]uint64, n)
	for range n {
		name := d.str()
		if len(d.b) < 8 {
			return false
		}
		st.Fps[name] = binary.LittleEndian.Uint64(d.b)
		d.b = d.b[8:]
	}
	n = d.count()
	st.Calls = make(map[string][]render.Call, n)
	for range n {
		name := d.str()
		var calls []render.Call // nil when empty, as encoding/gob gave it
		if k := d.count(); k > 0 {
			calls = make([]render.Call, k)
		}
		for i := range calls {
			calls[i].Method, calls[i].Arg = d.str(), d.str()
			v, k := binary.Varint(d.b)
			if k <= 0 {
				return false
			}
			calls[i].N, d.b = int(v), d.b[k:]
		}
		st.Calls[name] = calls
	}
	if k := d.count(); k > 0 {
		st.Sitemap = make([]string, k)
	}
	for i := range st.Sitemap {
		st.Sitemap[i] = d.str()
	}
	return !d.bad && len(d.b) == 0
}

// cacheKey hashes what every output file depends on and no fingerprint takes in: vitrine itself (its
// executable), vitrine.toml, the options of the build, and the layouts, words and files of the theme and
// of the site's layouts/, i18n/ and themes/ folders.
func cacheKey(opts Options) (uint64, error) {
	h := xxhash.New()
	h.WriteString(vitrineVersion())
	h.WriteString("\x00" + opts.BaseURL + "\x00" + strconv.FormatBool(opts.Drafts) + strconv.FormatBool(opts.Future) + strconv.FormatBool(opts.Serve))
	for _, dir := range []string{"vitrine.toml", "layouts", "i18n", "themes"} {
		if err := hashTree(h, opts.Source, dir); err != nil {
			return 0, err
		}
	}
	if err := hashTree(h, embeddedTheme(), "."); err != nil {
		return 0, err
	}
	return h.Sum64(), nil
}

// hashTree hashes the names and contents of the files under root (a file or folder) of fsys.
func hashTree(h io.Writer, fsys fs.FS, root string) error {
	err := fs.WalkDir(fsys, root, func(p string, d fs.DirEntry, err error) error {
		if errors.Is(err, fs.ErrNotExist) && p == root {
			return nil
		}
		if err != nil || d.IsDir() {
			return err
		}
		data, err := fs.ReadFile(fsys, p)
		if err != nil {
			return err
		}
		io.WriteString(h, "\x00"+p+"\x00"+strconv.Itoa(len(data))+"\x00")
		_, err = h.Write(data)
		return err
	})
	return err
}

// vitrineVersion identifies the running vitrine: its executable's path, size and modification time, so
// that any change of the code makes another cache key, even between two builds of the same commit with
// local edits (go build and go install write a new file). Reading and hashing the executable itself,
// 37 MB, cost 15 ms at the start of every build, a tenth of a small site's.
var vitrineVersion = sync.OnceValue(func() string {
	if exe, err := os.Executable(); err == nil {
		if st, err := os.Stat(exe); err == nil && st.Mode().IsRegular() {
			return "exe:" + exe + "\x00" + strconv.FormatInt(st.Size(), 10) + "\x00" + strconv.FormatInt(st.ModTime().UnixNano(), 10)
		}
	}
	var b strings.Builder
	if info, ok := debug.ReadBuildInfo(); ok {
		b.WriteString(info.Main.Version)
		for _, s := range info.Settings {
			b.WriteString(" " + s.Key + "=" + s.Value)
		}
	}
	return "build:" + b.String()
})

// embeddedTheme is the built-in themes, part of every key whether the site uses them or not: cheap, and
// a site's theme is covered by its themes/ folder.
func embeddedTheme() fs.FS { return themes.All() }

// bodyStore returns where this build keeps page bodies: a file in the build cache for a build with the
// cache (vitrine build), nil (the pages) for other builds.
func (s *Session) bodyStore() (*bodyStore, error) {
	if s == nil || s.key == 0 || s.opts.CacheDir == "" {
		return nil, nil
	}
	b, err := newBodyStore(filepath.Join(s.opts.CacheDir, "tmp"))
	if err != nil {
		return nil, err
	}
	s.cur.store = b
	return b, nil
}

package output

import (
	"bytes"
	"encoding/gob"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"sync"

	"github.com/cespare/xxhash/v2"
)

// Incremental writes a build into a destination folder that holds the previous one, touching only the
// files whose bytes changed: a rebuild after one edit writes a handful of files, not the whole site, and
// files left alone keep their modification times (deploys that compare them upload less).
//
// Nothing in the destination changes before Commit, so a failed build leaves it
// as it was. Changed files are written into a temporary folder beside the destination and moved into
// place by Commit, which then removes the files the build no longer makes.
//
// What the destination holds is known from a manifest that the last Commit wrote (in the build cache,
// not in the destination): each file's hash, size and modification time. A file of the manifest whose
// size or time on disk differ (someone edited or removed it) is treated as absent, and written again.
// Without a usable manifest (first build, cache deleted, another destination) the whole build goes into
// the temporary folder, swapped in by Commit. Commit removes the manifest
// before it starts moving files and writes the new one once done, so that a commit cut short leaves no
// manifest and the next build writes everything again.
type Incremental struct {
	dest     string
	tmp      string
	manifest string // path of the manifest file
	swap     bool   // no usable manifest: the whole build goes to tmp, swapped in by Commit

	old      map[string]Entry // what the destination holds, checked against the disk
	attached []byte           // what the last build attached to its manifest
	attach   []byte           // what this build attaches

	dirs folders  // in tmp
	lock *dirLock // on dest's parent, shared while this build runs (see removeStaleStaging)

	mu   sync.Mutex
	cur  map[string]Entry // the files of this build
	kept int              // files left as they were
}

// Entry describes one output file in a manifest.
type Entry struct {
	Hash    uint64 // xxHash of the content
	Size    int64
	ModTime int64  // nanoseconds, as the file system reports them
	Source  string // for copies: where from, with size and time, so that unchanged sources are not read
	staged  bool   // written to tmp by this build
}

// manifestFile is the manifest as stored.
type manifestFile struct {
	Dest     string
	Files    map[string]Entry
	Attached []byte
}

var _ Writer = (*Incremental)(nil)

// NewIncremental prepares a build into dest, with the manifest of the last build at manifest. Call
// Commit when the build succeeded, Abort otherwise.
func NewIncremental(dest, manifest string) (*Incremental, error) {
	dest, err := filepath.Abs(dest)
	if err != nil {
		return nil, err
	}
	lock, err := removeStaleStaging(dest)
	if err != nil {
		return nil, err
	}
	tmp, err := stagingDir(dest)
	if err != nil {
		lock.release()
		return nil, err
	}
	w := &Incremental{dest: dest, tmp: tmp, manifest: manifest, cur: map[string]Entry{}, lock: lock}
	w.old, w.attached = w.readManifest()
	w.swap = w.old == nil
	return w, nil
}

// readManifest returns the files of the destination that are as the manifest says, and what the last
// build attached; nil when there is no manifest for this destination or the destination is gone.
func (w *Incremental) readManifest() (map[string]Entry, []byte) {
	data, err := os.ReadFile(w.manifest)
	if err != nil {
		return nil, nil
	}
	var m manifestFile
	if gob.NewDecoder(bytes.NewReader(data)).Decode(&m) != nil || m.Dest != w.dest || m.Files == nil {
		return nil, nil
	}
	// The manifest says which files of the destination a build may remove: one that names a path out
	// of it (edited by hand, or a committed cache) is not used at all.
	for name := range m.Files {
		if clean, err := CleanPath(name); err != nil || clean != name {
			return nil, nil
		}
	}
	if st, err := os.Stat(w.dest); err != nil || !st.IsDir() {
		return nil, nil
	}
	names := make([]string, 0, len(m.Files))
	for name := range m.Files {
		names = append(names, name)
	}
	// Checked on all cores: tens of thousands of lstat calls.
	bad := make([]bool, len(names))
	var wg sync.WaitGroup
	const workers = 4
	for k := range workers {
		wg.Go(func() {
			for i := k; i < len(names); i += workers {
				e := m.Files[names[i]]
				st, err := os.Lstat(filepath.Join(w.dest, filepath.FromSlash(names[i])))
				bad[i] = err != nil || !st.Mode().IsRegular() || st.Size() != e.Size || st.ModTime().UnixNano() != e.ModTime
			}
		})
	}
	wg.Wait()
	for i, name := range names {
		if bad[i] {
			delete(m.Files, name)
		}
	}
	return m.Files, m.Attached
}

// Attached returns what the last build attached to its manifest (see Attach), or nil.
func (w *Incremental) Attached() []byte { return w.attached }

// Attach stores data in the manifest that Commit writes, for the next build to read with Attached: what
// the build knows of its output files. It is part of the manifest so that it holds exactly when the
// manifest does.
func (w *Incremental) Attach(data []byte) { w.attach = data }

// Has reports whether the destination holds name as the last build wrote it: a file the build may leave
// alone (see Keep).
func (w *Incremental) Has(name string) bool {
	_, ok := w.old[name]
	return ok
}

// Keep tells that this build makes name exactly as the last one did, without writing it: the file stays.
// It must be one that Has reports.
func (w *Incremental) Keep(name string) {
	e, ok := w.old[name]
	if !ok {
		return
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	if _, done := w.cur[name]; !done {
		w.cur[name] = e
		w.kept++
	}
}

// WriteFile implements Writer.
func (w *Incremental) WriteFile(name string, data []byte) error {
	return w.write(name, data, "")
}

func (w *Incremental) write(name string, data []byte, source string) error {
	clean, err := CleanPath(name)
	if err != nil {
		return err
	}
	e := Entry{Hash: xxhash.Sum64(data), Size: int64(len(data)), Source: source}
	if old, ok := w.old[clean]; ok && !w.swap && old.Hash == e.Hash && old.Size == e.Size {
		old.Source = source
		w.mu.Lock()
		w.cur[clean] = old
		w.kept++
		w.mu.Unlock()
		return nil
	}
	full := filepath.Join(w.tmp, filepath.FromSlash(clean))
	if err := w.dirs.make(filepath.Dir(full)); err != nil {
		return err
	}
	f, err := os.OpenFile(full, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o644)
	if err != nil {
		return err
	}
	_, err = f.Write(data)
	var st fs.FileInfo
	if err == nil {
		st, err = f.Stat()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return err
	}
	e.staged, e.ModTime = true, st.ModTime().UnixNano() // a rename keeps the time
	w.mu.Lock()
	defer w.mu.Unlock()
	w.cur[clean] = e
	return nil
}

// CopyFile implements Writer. A source whose path, size and time are those the last build copied to
// name is not read again.
func (w *Incremental) CopyFile(name string, fsys fs.FS, src string) error {
	source := ""
	if st, err := fs.Stat(fsys, src); err == nil && !st.ModTime().IsZero() {
		source = fmt.Sprintf("%s\x00%d\x00%d", src, st.Size(), st.ModTime().UnixNano())
	}
	if clean, err := CleanPath(name); err == nil && source != "" && !w.swap {
		if old, ok := w.old[clean]; ok && old.Source == source {
			w.Keep(clean)
			return nil
		}
	}
	f, err := fsys.Open(src)
	if err != nil {
		return err
	}
	defer f.Close()
	if st, err := f.Stat(); err == nil && st.Size() <= streamSize {
		data, err := io.ReadAll(f)
		if err != nil {
			return err
		}
		return w.write(name, data, source)
	}
	return w.stream(name, f, source)
}

// streamSize is the size past which a copied file is streamed into place rather than read whole: a
// video of a gigabyte in static/ is not held in memory.
const streamSize = 4 << 20

// stream is write for a file read from r as it is copied: it is staged, then dropped if the destination
// already holds the same bytes.
func (w *Incremental) stream(name string, r io.Reader, source string) error {
	clean, err := CleanPath(name)
	if err != nil {
		return err
	}
	full := filepath.Join(w.tmp, filepath.FromSlash(clean))
	if err := w.dirs.make(filepath.Dir(full)); err != nil {
		return err
	}
	f, err := os.OpenFile(full, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o644)
	if err != nil {
		return err
	}
	h := xxhash.New()
	n, err := io.Copy(io.MultiWriter(f, h), r)
	var st fs.FileInfo
	if err == nil {
		st, err = f.Stat()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(full)
		return err
	}
	e := Entry{Hash: h.Sum64(), Size: n, Source: source, ModTime: st.ModTime().UnixNano(), staged: true}
	w.mu.Lock()
	defer w.mu.Unlock()
	if old, ok := w.old[clean]; ok && !w.swap && old.Hash == e.Hash && old.Size == e.Size {
		os.Remove(full)
		old.Source = source
		w.cur[clean] = old
		w.kept++
		return nil
	}
	w.cur[clean] = e
	return nil
}

// Written returns how many files this build wrote and how many it left as they were.
func (w *Incremental) Written() (written, kept int) {
	w.mu.Lock()
	defer w.mu.Unlock()
	return len(w.cur) - w.kept, w.kept
}

// Commit puts the build in place: moves the changed files into the destination and removes those the
// build no longer makes (in-place), or swaps the whole folder in (without a usable manifest). Then it
// writes the manifest.
func (w *Incremental) Commit() error {
	defer w.lock.release()
	if err := os.Remove(w.manifest); err != nil && !errors.Is(err, fs.ErrNotExist) {
		w.Abort()
		return fmt.Errorf("build cache: %w", err)
	}
	if w.swap {
		if err := swapIn(w.dest, w.tmp); err != nil {
			return err
		}
	} else if err := w.moveIn(); err != nil {
		w.Abort()
		return err
	}
	return w.writeManifest()
}

// moveIn removes the files of the last build that this one did not make, with the folders they leave
// empty, then moves the staged files into the destination (in this order, so that a file may take the
// place of a folder and the other way round).
func (w *Incremental) moveIn() error {
	var gone []string
	for name := range w.old {
		if _, ok := w.cur[name]; !ok {
			gone = append(gone, name)
		}
	}
	slices.Sort(gone)
	dirs := map[string]bool{}
	for _, name := range gone {
		if err := os.Remove(filepath.Join(w.dest, filepath.FromSlash(name))); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return err
		}
		for d := path.Dir(name); d != "." && !dirs[d]; d = path.Dir(d) {
			dirs[d] = true
		}
	}
	empty := make([]string, 0, len(dirs))
	for d := range dirs {
		empty = append(empty, d)
	}
	// Deepest first; a folder that is not empty stays.
	slices.SortFunc(empty, func(a, b string) int { return strings.Count(b, "/") - strings.Count(a, "/") })
	for _, d := range empty {
		_ = os.Remove(filepath.Join(w.dest, filepath.FromSlash(d)))
	}

	var staged []string
	for name, e := range w.cur {
		if e.staged {
			staged = append(staged, name)
		}
	}
	slices.Sort(staged)
	made := map[string]bool{}
	for _, name := range staged {
		to := filepath.Join(w.dest, filepath.FromSlash(name))
		if dir := path.Dir(name); !made[dir] {
			if err := os.MkdirAll(filepath.Dir(to), 0o755); err != nil {
				return err
			}
			made[dir] = true
		}
		if err := os.Rename(filepath.Join(w.tmp, filepath.FromSlash(name)), to); err != nil {
			return fmt.Errorf("put %s in place: %w", name, err)
		}
	}
	return os.RemoveAll(w.tmp)
}

// writeManifest stores what the destination now holds, through a temporary file and a rename.
func (w *Incremental) writeManifest() error {
	files := make(map[string]Entry, len(w.cur))
	for name, e := range w.cur {
		e.staged = false
		files[name] = e
	}
	var buf bytes.Buffer
	if err := gob.NewEncoder(&buf).Encode(manifestFile{Dest: w.dest, Files: files, Attached: w.attach}); err != nil {
		return err
	}
	if err := WriteAtomic(w.manifest, buf.Bytes()); err != nil {
		return fmt.Errorf("build cache: %w", err)
	}
	return nil
}

// Abort removes the temporary folder; the destination and the manifest stay as they were.
func (w *Incremental) Abort() {
	_ = os.RemoveAll(w.tmp)
	w.lock.release()
}

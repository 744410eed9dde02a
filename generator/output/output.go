// Package output writes the files of a build: to disk atomically, or to memory for tests, checks and the
// dev server.
//
// A Writer receives files from many goroutines at once. Paths are slash-separated and relative to the
// output root; a path that would leave the root is refused, whatever writer is used.
package output

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"maps"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"sync"
)

// Writer receives the files of a build. Implementations must be safe for concurrent use.
type Writer interface {
	// WriteFile stores data at name, a clean slash-separated path relative to the output root. It must
	// not keep data once it returns: callers reuse their buffers.
	WriteFile(name string, data []byte) error
	// CopyFile stores the content of src (opened from fsys) at name.
	CopyFile(name string, fsys fs.FS, src string) error
}

// CleanPath checks that name stays inside the output root and returns it cleaned.
func CleanPath(name string) (string, error) {
	if name == "" || strings.ContainsRune(name, 0) || strings.Contains(name, "\\") {
		return "", fmt.Errorf("invalid output path %q", name)
	}
	clean := path.Clean("/" + name)
	for seg := range strings.SplitSeq(name, "/") {
		if seg == ".." {
			return "", fmt.Errorf("output path %q leaves the output folder", name)
		}
	}
	clean = strings.TrimPrefix(clean, "/")
	if clean == "" || clean == "." {
		return "", fmt.Errorf("invalid output path %q", name)
	}
	return clean, nil
}

// Memory keeps every file in memory. The zero value is ready to use.
type Memory struct {
	mu    sync.Mutex
	files map[string][]byte
}

var _ Writer = (*Memory)(nil)

// WriteFile implements Writer.
func (m *Memory) WriteFile(name string, data []byte) error {
	clean, err := CleanPath(name)
	if err != nil {
		return err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.files == nil {
		m.files = make(map[string][]byte)
	}
	m.files[clean] = slices.Clone(data)
	return nil
}

// CopyFile implements Writer.
func (m *Memory) CopyFile(name string, fsys fs.FS, src string) error {
	data, err := fs.ReadFile(fsys, src)
	if err != nil {
		return err
	}
	return m.WriteFile(name, data)
}

// Get returns a file's content and whether it exists.
func (m *Memory) Get(name string) ([]byte, bool) {
	m.mu.Lock()
	defer m.mu.Unlock()
	data, ok := m.files[name]
	return data, ok
}

// Names returns the paths of all files, sorted.
func (m *Memory) Names() []string {
	m.mu.Lock()
	defer m.mu.Unlock()
	return slices.Sorted(maps.Keys(m.files))
}

// Disk writes a build into a temporary folder beside the destination and swaps it in on Commit, so that
// a failed build never leaves a half-written destination.
type Disk struct {
	dest string
	tmp  string
	dirs folders
}

var _ Writer = (*Disk)(nil)

// NewDisk prepares a build into dest. Call Commit when the build succeeded, Abort otherwise.
func NewDisk(dest string) (*Disk, error) {
	dest = filepath.Clean(dest)
	tmp, err := stagingDir(dest)
	if err != nil {
		return nil, err
	}
	return &Disk{dest: dest, tmp: tmp}, nil
}

// stagingDir makes the folder a build into dest is written to before it is moved in: beside dest, on the
// same file system, so that the move is a rename.
func stagingDir(dest string) (string, error) {
	parent := filepath.Dir(dest)
	if err := os.MkdirAll(parent, 0o755); err != nil {
		return "", err
	}
	return os.MkdirTemp(parent, "."+filepath.Base(dest)+".tmp-")
}

// WriteFile implements Writer.
func (d *Disk) WriteFile(name string, data []byte) error {
	full, err := d.prepare(name)
	if err != nil {
		return err
	}
	return os.WriteFile(full, data, 0o644)
}

// CopyFile implements Writer.
func (d *Disk) CopyFile(name string, fsys fs.FS, src string) error {
	full, err := d.prepare(name)
	if err != nil {
		return err
	}
	in, err := fsys.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.OpenFile(full, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o644)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}

func (d *Disk) prepare(name string) (string, error) {
	clean, err := CleanPath(name)
	if err != nil {
		return "", err
	}
	full := filepath.Join(d.tmp, filepath.FromSlash(clean))
	if err := d.dirs.make(filepath.Dir(full)); err != nil {
		return "", err
	}
	return full, nil
}

// Commit replaces the destination with the new build. The old destination is moved aside first and
// removed only once the new one is in place.
func (d *Disk) Commit() error {
	old := ""
	if _, err := os.Lstat(d.dest); err == nil {
		old = d.tmp + ".old"
		if err := os.Rename(d.dest, old); err != nil {
			d.Abort()
			return fmt.Errorf("move the previous %s aside: %w", d.dest, err)
		}
	} else if !errors.Is(err, fs.ErrNotExist) {
		d.Abort()
		return err
	}
	if err := os.Rename(d.tmp, d.dest); err != nil {
		if old != "" {
			_ = os.Rename(old, d.dest)
		}
		d.Abort()
		return fmt.Errorf("put the new build in place: %w", err)
	}
	if old != "" {
		return os.RemoveAll(old)
	}
	return nil
}

// Abort removes the temporary folder; the destination stays as it was.
func (d *Disk) Abort() {
	_ = os.RemoveAll(d.tmp)
}

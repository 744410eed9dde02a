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
	f, err := fsys.Open(src)
	if err != nil {
		return err
	}
	defer f.Close()
	data, err := io.ReadAll(f)
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

// stagingDir makes the folder a build into dest is written to before it is moved in: beside dest, on the
// same file system, so that the move is a rename.
func stagingDir(dest string) (string, error) {
	parent := filepath.Dir(dest)
	if err := os.MkdirAll(parent, 0o755); err != nil {
		return "", err
	}
	tmp, err := os.MkdirTemp(parent, "."+filepath.Base(dest)+".tmp-")
	if err != nil {
		return "", err
	}
	// MkdirTemp makes the folder 0700, and a swap makes it the destination: a web server running as
	// another user (nginx serving a self-hosted deploy) could not read the site.
	if err := os.Chmod(tmp, 0o755); err != nil {
		_ = os.Remove(tmp)
		return "", err
	}
	return tmp, nil
}

// swapIn puts the build staged in tmp in place of dest, whole: the old destination is moved aside
// first and removed only once the new one is in place. tmp is removed when that fails.
func swapIn(dest, tmp string) error {
	old := ""
	if _, err := os.Lstat(dest); err == nil {
		old = tmp + ".old"
		if err := os.Rename(dest, old); err != nil {
			_ = os.RemoveAll(tmp)
			return fmt.Errorf("move the previous %s aside: %w", dest, err)
		}
	} else if !errors.Is(err, fs.ErrNotExist) {
		_ = os.RemoveAll(tmp)
		return err
	}
	if err := os.Rename(tmp, dest); err != nil {
		if old != "" {
			_ = os.Rename(old, dest)
		}
		_ = os.RemoveAll(tmp)
		return fmt.Errorf("put the new build in place: %w", err)
	}
	if old != "" {
		return os.RemoveAll(old)
	}
	return nil
}

package output

import (
	"bytes"
	"io/fs"
	"path"
	"slices"
	"time"
)

// Apply writes the files of write and removes those of remove in one step: a reader of m sees the files
// as they were before or as they are after, never a mix. m takes ownership of the slices in write. It
// returns the names whose content changed (written with other bytes, new, or removed), sorted; a file
// written with the bytes it already had is not among them.
func (m *Memory) Apply(write map[string][]byte, remove []string) []string {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.files == nil {
		m.files = make(map[string][]byte, len(write))
	}
	var changed []string
	for _, name := range remove {
		if _, ok := m.files[name]; ok {
			delete(m.files, name)
			changed = append(changed, name)
		}
	}
	for name, data := range write {
		if old, ok := m.files[name]; ok && bytes.Equal(old, data) {
			continue
		}
		m.files[name] = data
		changed = append(changed, name)
	}
	slices.Sort(changed)
	return changed
}

// InjectBeforeBody returns page with snippet inserted before its last </body> tag (matched without
// regard to case), or appended when it has none. The dev server uses it to add its live-reload script
// to the pages it serves, leaving the built files as they are.
func InjectBeforeBody(page, snippet []byte) []byte {
	i := lastIndexFold(page, []byte("</body>"))
	if i < 0 {
		i = len(page)
	}
	out := make([]byte, 0, len(page)+len(snippet))
	out = append(out, page[:i]...)
	out = append(out, snippet...)
	return append(out, page[i:]...)
}

// lastIndexFold is bytes.LastIndex for an ASCII needle, ignoring ASCII case.
func lastIndexFold(s, needle []byte) int {
	for i := len(s) - len(needle); i >= 0; i-- {
		if bytes.EqualFold(s[i:i+len(needle)], needle) {
			return i
		}
	}
	return -1
}

var _ fs.FS = (*Memory)(nil)

// Open opens a file of the build for reading, so that a build in memory can be read like a folder (a
// client uploading a post's image, say). It serves files only: directories are not listed.
func (m *Memory) Open(name string) (fs.File, error) {
	data, ok := m.Get(name)
	if !ok || !fs.ValidPath(name) {
		return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrNotExist}
	}
	return &memFile{Reader: bytes.NewReader(data), name: path.Base(name), size: int64(len(data))}, nil
}

// memFile is an open file of a Memory, and its own FileInfo.
type memFile struct {
	*bytes.Reader
	name string
	size int64
}

func (f *memFile) Stat() (fs.FileInfo, error) { return f, nil }
func (f *memFile) Close() error               { return nil }
func (f *memFile) Name() string               { return f.name }
func (f *memFile) Size() int64                { return f.size }
func (f *memFile) Mode() fs.FileMode          { return 0o444 }
func (f *memFile) ModTime() time.Time         { return time.Time{} }
func (f *memFile) IsDir() bool                { return false }
func (f *memFile) Sys() any                   { return nil }

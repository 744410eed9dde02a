package output

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"sync"
)

// folders makes the folders of a staging folder, each once: a build writes thousands of files, one
// folder each for pretty URLs, and os.MkdirAll asks the file system about every one of them (a stat of
// the folder, another of its parent) before it creates it. Only folders under the staging folder, which
// the build alone writes to, are remembered.
type folders struct {
	made sync.Map // full path → struct{}
}

// make creates dir and its missing parents.
func (f *folders) make(dir string) error {
	if _, ok := f.made.Load(dir); ok {
		return nil
	}
	err := os.Mkdir(dir, 0o755)
	if errors.Is(err, fs.ErrNotExist) {
		if parent := filepath.Dir(dir); parent != dir {
			if err = f.make(parent); err == nil {
				err = os.Mkdir(dir, 0o755)
			}
		}
	}
	if err != nil && errors.Is(err, fs.ErrExist) {
		var st os.FileInfo
		if st, err = os.Stat(dir); err == nil && !st.IsDir() {
			err = &fs.PathError{Op: "mkdir", Path: dir, Err: errors.New("a file is in the way")}
		}
	}
	if err != nil {
		return err
	}
	f.made.Store(dir, struct{}{})
	return nil
}

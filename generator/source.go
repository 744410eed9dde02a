package generator

import (
	"fmt"
	"io"
	"io/fs"
	"os"
	"syscall"
)

// OpenSource opens a site's folder for reading. The file system it returns follows symbolic links that
// stay inside the folder and refuses those that lead out of it (os.Root): a site is written by anyone
// with commit access, and its build must not read the files of the machine that runs it. The folder
// stays open for the life of the process.
//
// It opens only files and folders: a named pipe, a device or a socket in the site (or a link to one) is
// refused without being read, since reading one may never end (a pipe without writer) or never stop
// giving bytes (/dev/zero). And it reads no file past MaxReadSize.
func OpenSource(dir string) (fs.FS, error) {
	root, err := os.OpenRoot(dir)
	if err != nil {
		return nil, fmt.Errorf("site folder: %w", err)
	}
	return sourceFS{root: root, fsys: root.FS()}, nil
}

// MaxReadSize is the largest file of the site read whole (a data file, a layout, a photo): past it, a
// file is refused from its size. Markdown files have their own, lower limit (load.MaxFileSize); the
// files copied as they are (static/) are streamed and have none.
const MaxReadSize = 256 << 20

// sourceFS is the file system of OpenSource.
type sourceFS struct {
	root *os.Root
	fsys fs.FS // root.FS()
}

var (
	_ fs.ReadFileFS = sourceFS{}
	_ fs.ReadDirFS  = sourceFS{}
	_ fs.StatFS     = sourceFS{}
)

// Open implements fs.FS. The file's type is checked before it is opened and again once it is: it is
// opened without blocking, so that a pipe put in place of a file in between is refused, not waited on.
func (s sourceFS) Open(name string) (fs.File, error) {
	if !fs.ValidPath(name) {
		return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrInvalid}
	}
	info, err := s.root.Stat(name)
	if err != nil {
		return nil, err
	}
	if err := SpecialFile(name, info.Mode()); err != nil {
		return nil, err
	}
	f, err := s.root.OpenFile(name, os.O_RDONLY|syscall.O_NONBLOCK, 0)
	if err != nil {
		return nil, err
	}
	if info, err = f.Stat(); err == nil {
		err = SpecialFile(name, info.Mode())
	}
	if err != nil {
		f.Close()
		return nil, err
	}
	return f, nil
}

// ReadFile implements fs.ReadFileFS: at most MaxReadSize bytes, whatever the file's size says.
func (s sourceFS) ReadFile(name string) ([]byte, error) {
	f, err := s.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	info, err := f.Stat()
	if err != nil {
		return nil, err
	}
	if info.IsDir() {
		return nil, &fs.PathError{Op: "read", Path: name, Err: fmt.Errorf("is a folder")}
	}
	if info.Size() > MaxReadSize {
		return nil, tooBig(name, info.Size())
	}
	data := make([]byte, 0, info.Size()+1)
	for {
		n, err := f.Read(data[len(data):cap(data)])
		data = data[:len(data)+n]
		if err == io.EOF {
			return data, nil
		}
		if err != nil {
			return nil, err
		}
		if len(data) > MaxReadSize {
			return nil, tooBig(name, int64(len(data)))
		}
		if len(data) == cap(data) {
			data = append(data, 0)[:len(data)]
		}
	}
}

func tooBig(name string, size int64) error {
	return fmt.Errorf("%s: %.1f MB, more than the %d MB vitrine reads of a file: is it in the right folder?", name, float64(size)/(1<<20), MaxReadSize>>20)
}

// ReadDir implements fs.ReadDirFS.
func (s sourceFS) ReadDir(name string) ([]fs.DirEntry, error) { return fs.ReadDir(s.fsys, name) }

// Stat implements fs.StatFS.
func (s sourceFS) Stat(name string) (fs.FileInfo, error) { return fs.Stat(s.fsys, name) }

// SpecialFile returns an error naming p when mode is not that of a file or a folder (or a link, which
// is checked where it leads): vitrine never opens a named pipe, a device or a socket.
func SpecialFile(p string, mode fs.FileMode) error {
	var what string
	switch t := mode.Type(); {
	case t == 0, t&fs.ModeDir != 0, t&fs.ModeSymlink != 0:
		return nil
	case t&fs.ModeNamedPipe != 0:
		what = "a named pipe (FIFO)"
	case t&fs.ModeCharDevice != 0:
		what = "a character device"
	case t&fs.ModeDevice != 0:
		what = "a device"
	case t&fs.ModeSocket != 0:
		what = "a socket"
	default:
		what = "not a regular file"
	}
	return fmt.Errorf("%s: %s, not a file: vitrine reads only files and folders; remove it from the site", p, what)
}

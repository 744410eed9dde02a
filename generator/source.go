package generator

import (
	"fmt"
	"io/fs"
	"os"
)

// OpenSource opens a site's folder for reading. The file system it returns follows symbolic links that
// stay inside the folder and refuses those that lead out of it (os.Root): a site is written by anyone
// with commit access, and its build must not read the files of the machine that runs it. The folder
// stays open for the life of the process.
func OpenSource(dir string) (fs.FS, error) {
	root, err := os.OpenRoot(dir)
	if err != nil {
		return nil, fmt.Errorf("site folder: %w", err)
	}
	return root.FS(), nil
}

package output

import (
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"
)

// A build into dest stages its files in a folder beside it, .DEST.tmp-*, and moves the previous build
// aside as .DEST.tmp-*.old while it swaps the new one in (see stagingDir, swapIn). A build that is
// killed leaves them there, a whole copy of the site each. removeStaleStaging removes them when the next
// build starts, and only those: the folders of that pattern beside dest, never a link, and never while
// another build into the same folder may be using one.
//
// That last condition is a lock on dest's parent folder (flock, where the system has it): every build
// holds it shared until it commits or aborts; the one that finds it free takes it exclusively, removes
// what is left, then shares it. A killed build's lock goes with its process. Where there is no such
// lock, only the folders untouched for staleStaging are removed.

// staleStaging is how old a staging folder must be for a build to take it for a killed build's, where
// no lock tells.
const staleStaging = time.Hour

// dirLock is a lock held on a folder; a nil *dirLock holds nothing.
type dirLock struct {
	f    *os.File
	once sync.Once
}

func (l *dirLock) release() {
	if l == nil {
		return
	}
	l.once.Do(func() { l.f.Close() })
}

// removeStaleStaging removes what killed builds into dest left beside it, and returns the lock this
// build holds on dest's parent until it ends.
func removeStaleStaging(dest string) (*dirLock, error) {
	parent := filepath.Dir(dest)
	if err := os.MkdirAll(parent, 0o755); err != nil {
		return nil, err
	}
	lock, alone := lockDir(parent)
	if !alone {
		return lock, nil
	}
	ents, err := os.ReadDir(parent)
	if err != nil {
		lock.share()
		return lock, nil
	}
	prefix := "." + filepath.Base(dest) + ".tmp-"
	before := time.Now().Add(-staleStaging)
	for _, e := range ents {
		if !e.IsDir() || !strings.HasPrefix(e.Name(), prefix) { // IsDir is false for a link
			continue
		}
		if lock == nil {
			if info, err := e.Info(); err != nil || !info.ModTime().Before(before) {
				continue
			}
		}
		_ = os.RemoveAll(filepath.Join(parent, e.Name()))
	}
	lock.share()
	return lock, nil
}

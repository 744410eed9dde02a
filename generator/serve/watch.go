package serve

import (
	"context"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/fsnotify/fsnotify"

	"github.com/vitrine-ssg/vitrine/generator"
)

// watched are the folders of a site whose files the build reads; the site's root is watched too, for
// vitrine.toml and for these folders when they are created.
var watched = []string{"content", "static", "layouts", "i18n", "themes", "data"}

// maxWait bounds how long a burst of events may delay a rebuild.
const maxWait = 200 * time.Millisecond

// watcher turns fsnotify's events into batches of changed paths (slash-separated, relative to the
// site's root), sent once the files have been quiet for the debounce delay.
type watcher struct {
	fs       *fsnotify.Watcher
	root     string
	debounce time.Duration
	batches  chan []string
	errs     chan error
}

func newWatcher(root string, debounce time.Duration) (*watcher, error) {
	fw, err := fsnotify.NewWatcher()
	if err != nil {
		return nil, err
	}
	w := &watcher{fs: fw, root: root, debounce: debounce, batches: make(chan []string), errs: make(chan error, 1)}
	if err := fw.Add(root); err != nil {
		fw.Close()
		return nil, err
	}
	for _, dir := range watched {
		if err := w.addTree(filepath.Join(root, dir)); err != nil {
			fw.Close()
			return nil, err
		}
	}
	return w, nil
}

func (w *watcher) close() { w.fs.Close() }

// addTree watches dir and every folder under it but hidden ones; a missing dir is no error.
func (w *watcher) addTree(dir string) error {
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			if os.IsNotExist(err) {
				return nil
			}
			return err
		}
		if !d.IsDir() {
			return nil
		}
		if p != dir && strings.HasPrefix(d.Name(), ".") {
			return filepath.SkipDir
		}
		return w.fs.Add(p)
	})
	if os.IsNotExist(err) {
		return nil
	}
	return err
}

// run gathers events until ctx is done.
func (w *watcher) run(ctx context.Context) {
	var (
		batch []string
		first time.Time
		timer = time.NewTimer(time.Hour)
	)
	timer.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case err, ok := <-w.fs.Errors:
			if !ok {
				return
			}
			select {
			case w.errs <- err:
			default:
			}
		case ev, ok := <-w.fs.Events:
			if !ok {
				return
			}
			rel, err := filepath.Rel(w.root, ev.Name)
			if err != nil || strings.HasPrefix(rel, "..") {
				continue
			}
			rel = filepath.ToSlash(rel)
			if generator.KindOf(rel) == generator.ChangeIgnored {
				continue
			}
			if ev.Has(fsnotify.Create) {
				if st, err := os.Stat(ev.Name); err == nil && st.IsDir() {
					// A new folder, maybe with files already: watch it all; the build reads it all.
					if err := w.addTree(ev.Name); err != nil {
						select {
						case w.errs <- err:
						default:
						}
					}
				}
			}
			if len(batch) == 0 {
				first = time.Now()
			}
			if !slices.Contains(batch, rel) {
				batch = append(batch, rel)
			}
			wait := min(w.debounce, maxWait-time.Since(first))
			timer.Reset(max(wait, 0))
		case <-timer.C:
			if len(batch) == 0 {
				continue
			}
			select {
			case w.batches <- batch:
				batch = nil
			case <-ctx.Done():
				return
			}
		}
	}
}

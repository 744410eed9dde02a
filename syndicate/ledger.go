package syndicate

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"syscall"
)

// LedgerPath is where the ledger lives in a site, committed with it.
const LedgerPath = "data/syndication.json"

// Ledger records, per article and network, what syndication did. It is a JSON file with sorted keys, so
// that its diffs in git read well. Every Set is written to disk before it returns.
type Ledger struct {
	path string
	mu   sync.Mutex
	// entries maps an article's URL to its entries by network.
	entries map[string]map[string]Entry
}

type ledgerFile struct {
	Articles map[string]map[string]Entry `json:"articles"`
}

// OpenLedger reads the ledger at path; a missing file is an empty ledger (Exists tells them apart).
func OpenLedger(path string) (*Ledger, error) {
	l := &Ledger{path: path, entries: map[string]map[string]Entry{}}
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return l, nil
	}
	if err != nil {
		return nil, err
	}
	var f ledgerFile
	if err := json.Unmarshal(data, &f); err != nil {
		return nil, fmt.Errorf("%s: %w (fix the file by hand or restore it from git; it records what was already posted)", path, err)
	}
	if f.Articles != nil {
		l.entries = f.Articles
	}
	return l, nil
}

// Exists reports whether the ledger file was there when opened or has been written since.
func (l *Ledger) Exists() bool {
	_, err := os.Stat(l.path)
	return err == nil
}

// Get returns the entry of an article on a network.
func (l *Ledger) Get(article, network string) (Entry, bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	e, ok := l.entries[article][network]
	return e, ok
}

// Articles returns the articles the ledger knows, sorted.
func (l *Ledger) Articles() []string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return slices.Sorted(maps.Keys(l.entries))
}

// Entries returns a copy of an article's entries by network.
func (l *Ledger) Entries(article string) map[string]Entry {
	l.mu.Lock()
	defer l.mu.Unlock()
	return maps.Clone(l.entries[article])
}

// Set records an entry and writes the whole ledger durably: a temporary file beside it, synced, renamed
// over the old one, and the folder synced, so that a crash leaves either the old or the new ledger.
func (l *Ledger) Set(article, network string, e Entry) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.entries[article] == nil {
		l.entries[article] = map[string]Entry{}
	}
	l.entries[article][network] = e
	return l.save()
}

func (l *Ledger) save() error {
	data, err := json.MarshalIndent(ledgerFile{Articles: l.entries}, "", "  ")
	if err != nil {
		return err
	}
	data = append(data, '\n')
	dir := filepath.Dir(l.path)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	tmp, err := os.CreateTemp(dir, "."+filepath.Base(l.path)+".tmp-")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	if err := os.Rename(tmp.Name(), l.path); err != nil {
		return err
	}
	if d, err := os.Open(dir); err == nil {
		_ = d.Sync()
		d.Close()
	}
	return nil
}

// Lock takes an exclusive lock beside the ledger so that two runs at once (overlapping CI jobs) cannot
// both publish. It fails at once when another run holds it. The lock goes with the process, even when
// it crashes.
func (l *Ledger) Lock() (unlock func(), err error) {
	if err := os.MkdirAll(filepath.Dir(l.path), 0o755); err != nil {
		return nil, err
	}
	name := l.path + ".lock"
	f, err := os.OpenFile(name, os.O_CREATE|os.O_RDWR, 0o644)
	if err != nil {
		return nil, err
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		f.Close()
		return nil, fmt.Errorf("another vitrine syndicate is running on this site (%s is locked): wait for it to finish", name)
	}
	return func() {
		_ = syscall.Flock(int(f.Fd()), syscall.LOCK_UN)
		f.Close()
	}, nil
}

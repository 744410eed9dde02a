package syndicate

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"syscall"
	"time"
)

// LedgerPath is where the ledger lives in a site, committed with it: a folder holding one small JSON
// file per page (its Record), and networks.json (when each network's baseline was recorded). One file
// per page means that two CI jobs that posted different articles commit different files, which git
// merges without a conflict; two jobs that touched the same page are merged by MergeRecords (see
// MergeFiles and `vitrine syndicate merge`, the git merge driver data/syndication/.gitattributes
// names).
const LedgerPath = "data/syndication"

// LegacyLedgerPath is the ledger of vitrine before format version 2: one file keyed by article URL.
// It is still read; the first run that writes the ledger moves its entries into LedgerPath and
// removes it.
const LegacyLedgerPath = "data/syndication.json"

// LedgerVersion is the format version of the files under LedgerPath.
const LedgerVersion = 2

// networksFile is the name, under LedgerPath, of the file of network baselines.
const networksFile = "networks.json"

// allNetworks, in networks.json, stands for every network: a ledger of before version 2 that had no
// entry started them all.
const allNetworks = "*"

// MergeDriver is the name of the git merge driver .gitattributes gives the ledger's files.
const MergeDriver = "vitrine-ledger"

// Record is what the ledger knows of one page's posts: the file LedgerPath/NAME.json.
type Record struct {
	Version int `json:"version"`
	// Page is the page's identity (PageID); Source its Markdown file and URL its absolute URL when
	// last seen: both are updated when they change, the posts stay.
	Page   string `json:"page"`
	Source string `json:"source,omitempty"`
	URL    string `json:"url"`
	// Announce holds the page's posts by network; Reminder an event's reminders by network.
	Announce map[string]Entry `json:"announce,omitempty"`
	Reminder map[string]Entry `json:"reminder,omitempty"`
}

func (r *Record) entries(reminder bool) map[string]Entry {
	if reminder {
		return r.Reminder
	}
	return r.Announce
}

func (r *Record) set(reminder bool, network string, e Entry) {
	m := &r.Announce
	if reminder {
		m = &r.Reminder
	}
	if *m == nil {
		*m = map[string]Entry{}
	}
	(*m)[network] = e
}

func (r *Record) clone() *Record {
	c := *r
	c.Announce = maps.Clone(r.Announce)
	c.Reminder = maps.Clone(r.Reminder)
	return &c
}

// Ledger records, per page and network, what syndication did. Every change is written to disk
// (temporary file, fsync, rename) before it returns, and only under the lock (Lock): a change made
// without it takes the lock, re-reads the ledger, changes it and lets the lock go, so that no run ever
// writes from a stale read.
type Ledger struct {
	dir, legacy, lockName string
	mu                    sync.Mutex
	records               map[string]*Record // by Page
	// started is when each network's baseline was recorded (its first run).
	started map[string]time.Time
	// legacy is set while the entries come from LegacyLedgerPath, not yet moved.
	fromLegacy bool
	exists     bool
	lockFile   *os.File
}

// OpenLedger reads the ledger of a site: path is its folder (LedgerPath) or, as before version 2, its
// single file (LegacyLedgerPath, whose folder is then path without ".json"). A missing ledger is an
// empty one (Exists tells them apart). A file of the wrong shape is an error naming it and what is
// wrong: nothing must be sent from a ledger that was not understood.
func OpenLedger(path string) (*Ledger, error) {
	dir := strings.TrimSuffix(path, ".json")
	l := &Ledger{dir: dir, legacy: dir + ".json", lockName: filepath.Join(dir, ".lock")}
	if err := l.load(); err != nil {
		return nil, err
	}
	return l, nil
}

// load reads the folder and the legacy file into l.
func (l *Ledger) load() error {
	records := map[string]*Record{}
	started := map[string]time.Time{}
	exists, fromLegacy := false, false
	err := filepath.WalkDir(l.dir, func(name string, d fs.DirEntry, err error) error {
		if err != nil {
			if errors.Is(err, fs.ErrNotExist) && name == l.dir {
				return filepath.SkipDir
			}
			return err
		}
		if d.IsDir() || !strings.HasSuffix(name, ".json") || strings.HasPrefix(d.Name(), ".") {
			return nil
		}
		exists = true
		data, err := os.ReadFile(name)
		if err != nil {
			return err
		}
		if filepath.Dir(name) == l.dir && d.Name() == networksFile {
			n, err := ParseNetworks(data)
			if err != nil {
				return fmt.Errorf("%s: %w", name, err)
			}
			for k, v := range n {
				started[k] = v
			}
			return nil
		}
		r, err := ParseRecord(data)
		if err != nil {
			return fmt.Errorf("%s: %w (fix the file by hand or restore it from git; it records what was already posted)", name, err)
		}
		if want := filepath.Join(l.dir, RecordFile(r.Page)); want != name {
			return fmt.Errorf("%s: holds the page %q, whose file is %s: move it back", name, r.Page, want)
		}
		records[r.Page] = r
		return nil
	})
	if err != nil {
		return err
	}
	data, err := os.ReadFile(l.legacy)
	switch {
	case errors.Is(err, fs.ErrNotExist):
	case err != nil:
		return err
	default:
		exists, fromLegacy = true, true
		old, err := ParseLegacy(data)
		if err != nil {
			return fmt.Errorf("%s: %w (fix the file by hand or restore it from git; it records what was already posted)", l.legacy, err)
		}
		for _, r := range old {
			if _, ok := records[r.Page]; !ok {
				records[r.Page] = r
			}
		}
		if len(old) > 0 {
			for _, r := range old {
				for n, e := range r.Announce {
					if t, ok := started[n]; !ok || e.Time.Before(t) {
						started[n] = e.Time
					}
				}
			}
		} else {
			// An empty ledger of before version 2: a site whose first run found no article. Every
			// network counts as started.
			started[allNetworks] = time.Time{}
		}
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	l.records, l.started, l.exists, l.fromLegacy = records, started, exists, fromLegacy
	return nil
}

// ParseRecord reads one record file, strictly: a JSON object of this format version with a page, a
// URL and entries in known states. Its errors say what is wrong.
func ParseRecord(data []byte) (*Record, error) {
	var r Record
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&r); err != nil {
		return nil, fmt.Errorf("not a ledger record: %v", err)
	}
	if dec.More() {
		return nil, errors.New("not a ledger record: more than one JSON value")
	}
	switch {
	case r.Version == 0:
		return nil, errors.New(`no "version": not a ledger record`)
	case r.Version > LedgerVersion:
		return nil, fmt.Errorf("format version %d, written by a newer vitrine (this one reads %d): update vitrine", r.Version, LedgerVersion)
	case r.Page == "":
		return nil, errors.New(`no "page": the record does not say which page it is`)
	case r.URL == "":
		return nil, errors.New(`no "url"`)
	}
	for _, m := range []map[string]Entry{r.Announce, r.Reminder} {
		for n, e := range m {
			if err := checkEntry(n, e); err != nil {
				return nil, err
			}
		}
	}
	return &r, nil
}

func checkEntry(network string, e Entry) error {
	if network == "" {
		return errors.New("an entry has no network")
	}
	if !slices.Contains(states, e.State) {
		return fmt.Errorf("%s: state %q is not one of %s", network, e.State, strings.Join(states, ", "))
	}
	return nil
}

// ParseLegacy reads a ledger of before version 2, {"articles": {URL: {NETWORK: Entry}}}, strictly:
// "articles" must be there and be an object. Its records are not bound to a page yet: their Page is
// "url:" and the URL, until the next run finds their page (Ledger.Bind).
func ParseLegacy(data []byte) ([]*Record, error) {
	var raw map[string]json.RawMessage
	if err := json.Unmarshal(data, &raw); err != nil {
		return nil, err
	}
	if raw == nil {
		return nil, errors.New(`the ledger is null, not an object with "articles"`)
	}
	articles, ok := raw["articles"]
	if !ok {
		return nil, errors.New(`no "articles": not a syndication ledger (an empty one is {"articles": {}})`)
	}
	for k := range raw {
		if k != "articles" {
			return nil, fmt.Errorf("unexpected field %q: not a syndication ledger", k)
		}
	}
	var byURL map[string]map[string]Entry
	if err := json.Unmarshal(articles, &byURL); err != nil {
		return nil, fmt.Errorf(`"articles": %v`, err)
	}
	if byURL == nil {
		return nil, errors.New(`"articles" is null: it must be an object (an empty one is {})`)
	}
	records := map[string]*Record{}
	for _, article := range slices.Sorted(maps.Keys(byURL)) {
		if article == "" {
			return nil, errors.New(`"articles" has an empty URL`)
		}
		url, reminder := strings.CutSuffix(article, ReminderSuffix)
		page := "url:" + url
		r := records[page]
		if r == nil {
			r = &Record{Version: LedgerVersion, Page: page, URL: url}
			records[page] = r
		}
		for n, e := range byURL[article] {
			if err := checkEntry(n, e); err != nil {
				return nil, fmt.Errorf("%s: %w", article, err)
			}
			r.set(reminder, n, e)
		}
	}
	out := slices.Collect(maps.Values(records))
	slices.SortFunc(out, func(a, b *Record) int { return strings.Compare(a.Page, b.Page) })
	return out, nil
}

// ParseNetworks reads networks.json: {"version": 2, "networks": {NETWORK: TIME}}.
func ParseNetworks(data []byte) (map[string]time.Time, error) {
	var f struct {
		Version  int                  `json:"version"`
		Networks map[string]time.Time `json:"networks"`
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&f); err != nil {
		return nil, fmt.Errorf("not the ledger's networks file: %v", err)
	}
	if f.Version == 0 || f.Networks == nil {
		return nil, errors.New(`the ledger's networks file needs "version" and "networks"`)
	}
	if f.Version > LedgerVersion {
		return nil, fmt.Errorf("format version %d, written by a newer vitrine: update vitrine", f.Version)
	}
	return f.Networks, nil
}

// RecordFile is the file, relative to LedgerPath, of the page with identity page: the identity
// itself where it is a clean relative path ("content/posts/a.md.json"), with a hash of it otherwise.
// It depends on the identity alone, so that every clone picks the same file.
func RecordFile(page string) string {
	var parts []string
	lossy := false
	for _, part := range strings.Split(page, "/") {
		clean := strings.Map(func(r rune) rune {
			switch {
			case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', strings.ContainsRune("._@+-", r):
				return r
			}
			lossy = true
			return '_'
		}, part)
		if clean == "" || clean == "." || clean == ".." || strings.HasPrefix(clean, ".") {
			lossy = true
			if clean == "" {
				continue
			}
			clean = "_" + strings.TrimLeft(clean, ".")
		}
		parts = append(parts, clean)
	}
	name := strings.Join(parts, "/")
	if lossy || name == "" || name == networksFile || len(name) > 200 {
		sum := sha256.Sum256([]byte(page))
		if len(name) > 150 {
			name = name[:150]
		}
		name = strings.TrimRight(name, "/") + "~" + hex.EncodeToString(sum[:6])
	}
	return filepath.FromSlash(name + ".json")
}

// Exists reports whether the ledger was there when read, or has been written since.
func (l *Ledger) Exists() bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.exists
}

// Post returns the ledger's entry of a post and the page's record's URL.
func (l *Ledger) Post(k PostKey) (Entry, bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	r := l.records[k.Page]
	if r == nil {
		return Entry{}, false
	}
	e, ok := r.entries(k.Reminder)[k.Network]
	return e, ok
}

// Started returns when a network's baseline was recorded (or, without one, the time of its earliest
// entry); ok is false for a network this site never ran for (its first run records its baseline).
func (l *Ledger) Started(network string) (time.Time, bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if t, ok := l.started[network]; ok {
		return t, true
	}
	var first time.Time
	found := false
	for _, r := range l.records {
		for _, m := range []map[string]Entry{r.Announce, r.Reminder} {
			if e, ok := m[network]; ok && (!found || e.Time.Before(first)) {
				first, found = e.Time, true
			}
		}
	}
	if found {
		return first, true
	}
	t, ok := l.started[allNetworks]
	return t, ok
}

// Find returns the record of a page: by its identity, else (a record of an older ledger, a file that
// moved, a page whose translationKey is new) by its URL's path, whatever the scheme and domain, else by
// its source file, else, for a record of an older ledger, by the end of its URL's path (a site moved
// from https://user.github.io/site/ to its own domain). nil when the ledger has none.
func (l *Ledger) Find(page, source, url string) *Record {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.find(page, source, url)
}

func (l *Ledger) find(page, source, url string) *Record {
	if r := l.records[page]; r != nil {
		return r
	}
	want := urlPath(url)
	var bySource, bySuffix *Record
	suffixes := 0
	for _, id := range slices.Sorted(maps.Keys(l.records)) {
		r := l.records[id]
		have := urlPath(r.URL)
		if want != "" && have == want {
			return r
		}
		if bySource == nil && source != "" && r.Source == source {
			bySource = r
		}
		if strings.HasPrefix(r.Page, "url:") && want != "/" && want != "" && (strings.HasSuffix(have, want) || strings.HasSuffix(want, have) && have != "/") {
			bySuffix = r
			suffixes++
		}
	}
	if bySource != nil {
		return bySource
	}
	if suffixes == 1 {
		return bySuffix
	}
	return nil
}

// urlPath is a URL without scheme and host: what stays when a site changes domain or scheme.
func urlPath(u string) string {
	if i := strings.Index(u, "://"); i >= 0 {
		u = u[i+3:]
		if j := strings.IndexByte(u, '/'); j >= 0 {
			return u[j:]
		}
		return "/"
	}
	return u
}

// Articles returns the URLs the ledger knows (with ReminderSuffix for events' reminders), sorted.
func (l *Ledger) Articles() []string {
	l.mu.Lock()
	defer l.mu.Unlock()
	var out []string
	for _, r := range l.records {
		if len(r.Announce) > 0 {
			out = append(out, r.URL)
		}
		if len(r.Reminder) > 0 {
			out = append(out, r.URL+ReminderSuffix)
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// Entries returns a copy of the entries by network of the article at a URL (with ReminderSuffix for
// an event's reminder).
func (l *Ledger) Entries(article string) map[string]Entry {
	l.mu.Lock()
	defer l.mu.Unlock()
	url, reminder := strings.CutSuffix(article, ReminderSuffix)
	out := map[string]Entry{}
	for _, r := range l.records {
		if r.URL == url {
			maps.Copy(out, r.entries(reminder))
		}
	}
	return out
}

// Get returns the entry of the article at a URL (with ReminderSuffix for a reminder) on a network.
func (l *Ledger) Get(article, network string) (Entry, bool) {
	e, ok := l.Entries(article)[network]
	return e, ok
}

// Set records an entry for the article at a URL: the post of Post{Article: article, Network: network}.
func (l *Ledger) Set(article, network string, e Entry) error {
	url, _ := strings.CutSuffix(article, ReminderSuffix)
	return l.SetPost(Post{Article: article, Network: network}.Key(), url, e)
}

// SetPost records the entry of a post, whose page is at url, durably, under the lock.
func (l *Ledger) SetPost(k PostKey, url string, e Entry) error {
	return l.update(func() ([]string, error) {
		r := l.records[k.Page]
		if r == nil {
			r = &Record{Version: LedgerVersion, Page: k.Page, URL: url}
			if !strings.HasPrefix(k.Page, "key/") && !strings.HasPrefix(k.Page, "url:") {
				r.Source = k.Page // the identity of a page without translationKey is its file
			}
			l.records[k.Page] = r
		}
		if url != "" {
			r.URL = url
		}
		r.set(k.Reminder, k.Network, e)
		return []string{k.Page}, nil
	})
}

// Bind gives a page's record its current identity, source and URL: a record found by Find under
// another identity or URL (a domain move, a slug change, a file moved, a record of the old ledger) is
// rewritten as the page's, its posts kept. It reports whether anything changed.
func (l *Ledger) Bind(page, source, url string) (changed bool, err error) {
	err = l.update(func() ([]string, error) {
		r := l.find(page, source, url)
		if r == nil || (r.Page == page && r.Source == source && r.URL == url) {
			return nil, nil
		}
		changed = true
		old := r.Page
		if old != page {
			if other := l.records[page]; other != nil && other != r {
				return nil, fmt.Errorf("ledger: %s and %s both hold posts of %s: merge them by hand", RecordFile(old), RecordFile(page), url)
			}
			delete(l.records, old)
		}
		r.Page, r.Source, r.URL = page, source, url
		l.records[page] = r
		if old != page {
			return []string{page, "-" + old}, nil
		}
		return []string{page}, nil
	})
	return changed, err
}

// Start records the networks' baselines at now, for those that have none.
func (l *Ledger) Start(networks []string, now time.Time) error {
	return l.update(func() ([]string, error) {
		changed := false
		for _, n := range networks {
			if _, ok := l.started[n]; !ok {
				if _, legacy := l.started[allNetworks]; !legacy {
					l.started[n] = now.UTC()
					changed = true
				}
			}
		}
		if !changed && l.exists {
			return nil, nil
		}
		return []string{networksFile}, nil
	})
}

// update runs change under the lock, after re-reading the ledger, and writes the records it names
// ("-PAGE" for a record to remove, networksFile for the baselines). A ledger still in the legacy file
// is moved into the folder on its first write.
func (l *Ledger) update(change func() ([]string, error)) error {
	l.mu.Lock()
	held := l.lockFile != nil
	l.mu.Unlock()
	if !held {
		unlock, err := l.Lock()
		if err != nil {
			return err
		}
		defer unlock()
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	names, err := change()
	if err != nil || len(names) == 0 {
		return err
	}
	if l.fromLegacy {
		names = append(names, networksFile)
		for id := range l.records {
			names = append(names, id)
		}
	}
	slices.Sort(names)
	for _, name := range slices.Compact(names) {
		if err := l.write(name); err != nil {
			return fmt.Errorf("ledger %s: %w", l.dir, err)
		}
	}
	if l.fromLegacy {
		if err := os.Remove(l.legacy); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return fmt.Errorf("ledger: %w", err)
		}
		l.fromLegacy = false
	}
	l.exists = true
	return nil
}

// write writes (or, for "-PAGE", removes) one file of the folder durably. l.mu is held.
func (l *Ledger) write(name string) error {
	if err := os.MkdirAll(l.dir, 0o755); err != nil {
		return err
	}
	if err := l.writeAttributes(); err != nil {
		return err
	}
	if old, ok := strings.CutPrefix(name, "-"); ok {
		file := filepath.Join(l.dir, RecordFile(old))
		if err := os.Remove(file); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return err
		}
		return syncDir(filepath.Dir(file))
	}
	var v any
	file := filepath.Join(l.dir, networksFile)
	if name == networksFile {
		v = struct {
			Version  int                  `json:"version"`
			Networks map[string]time.Time `json:"networks"`
		}{LedgerVersion, l.started}
	} else {
		r := l.records[name]
		if r == nil {
			return nil
		}
		r.Version = LedgerVersion
		v = r
		file = filepath.Join(l.dir, RecordFile(name))
	}
	data, err := marshal(v)
	if err != nil {
		return err
	}
	return WriteFileAtomic(file, data)
}

func marshal(v any) ([]byte, error) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// writeAttributes writes the folder's .gitattributes, which names the ledger's merge driver.
func (l *Ledger) writeAttributes() error {
	name := filepath.Join(l.dir, ".gitattributes")
	if _, err := os.Stat(name); err == nil {
		return nil
	}
	return WriteFileAtomic(name, []byte("# Two CI jobs' ledger commits merge with `vitrine syndicate merge` (see the README).\n*.json merge="+MergeDriver+"\n"))
}

// WriteFileAtomic writes data to name so that a crash leaves either the old file or the new one: a
// temporary file beside it, synced, renamed over it, and the folder synced.
func WriteFileAtomic(name string, data []byte) error {
	dir := filepath.Dir(name)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	tmp, err := os.CreateTemp(dir, "."+filepath.Base(name)+".tmp-")
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
	if err := os.Rename(tmp.Name(), name); err != nil {
		return err
	}
	return syncDir(dir)
}

func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return nil
	}
	defer d.Close()
	_ = d.Sync()
	return nil
}

// Lock takes an exclusive lock beside the ledger so that two runs at once (overlapping CI jobs) cannot
// both publish, and re-reads the ledger, which another run may have changed since it was opened. It
// fails at once when another run holds it. The lock goes with the process, even when it crashes.
func (l *Ledger) Lock() (unlock func(), err error) {
	if err := os.MkdirAll(filepath.Dir(l.lockName), 0o755); err != nil {
		return nil, err
	}
	// The lock file lives in the ledger's folder, kept out of git by the folder's .gitignore.
	ignore := filepath.Join(l.dir, ".gitignore")
	if _, err := os.Stat(ignore); errors.Is(err, fs.ErrNotExist) {
		if err := WriteFileAtomic(ignore, []byte("# The lock of vitrine syndicate, never committed.\n.lock\n")); err != nil {
			return nil, err
		}
	}
	f, err := os.OpenFile(l.lockName, os.O_CREATE|os.O_RDWR, 0o644)
	if err != nil {
		return nil, err
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		f.Close()
		return nil, fmt.Errorf("another vitrine syndicate is running on this site (%s is locked): wait for it to finish", l.lockName)
	}
	l.mu.Lock()
	if l.lockFile != nil {
		l.mu.Unlock()
		f.Close()
		return nil, fmt.Errorf("ledger %s: locked twice by one run", l.dir)
	}
	l.lockFile = f
	l.mu.Unlock()
	release := func() {
		l.mu.Lock()
		l.lockFile = nil
		l.mu.Unlock()
		_ = syscall.Flock(int(f.Fd()), syscall.LOCK_UN)
		f.Close()
	}
	if err := l.load(); err != nil {
		release()
		return nil, err
	}
	return release, nil
}

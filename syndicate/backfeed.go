package syndicate

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"maps"
	"net/url"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/vitrine-ssg/vitrine/generator/model"
)

// ReactionsDir is where backfeed keeps the reactions of each article, relative to the site.
const ReactionsDir = model.ReactionsDir

// Source reads what a network holds about one of our posts: its counts and the replies in its thread.
// The mastodon and bluesky packages provide one each.
type Source interface {
	// Network returns the network's name.
	Network() string
	// Reactions returns the counts of the post recorded in e (a published ledger entry) and every reply
	// of its thread, replies to replies included. Errors worth retrying are *RetryableError.
	Reactions(ctx context.Context, e Entry) (model.NetworkReactions, []model.Reply, error)
}

// BackfeedOutcome is what Backfeed did for one article.
type BackfeedOutcome struct {
	Article string
	File    string // data/reactions/SLUG.json, relative to the site
	// Added and Removed count the replies new in the file and gone from it (deleted upstream).
	Added, Removed int
	Changed        bool
	// Errors name the networks that could not be read; the file keeps what it had from them.
	Errors []string
}

// Backfeed brings back, for every post the ledger records as published on a network with a source, its
// counts and replies into dir/SLUG.json (model.ReactionsFile), merged with what the file held: a reply
// that its network no longer has disappears (deleted upstream, or its author's account gone); a
// decision taken by hand (model.Reply.Moderation) stays with its reply; a network that could not be
// read keeps what it had. Only what model.Reply.Kept keeps of a reply is stored: a long reply is cut, and
// bidirectional controls are stripped from its author's name. Files are written only when their content changes, so that a commit after a
// run holds only real news. Requests are retried as Run retries posts (opts: MaxAttempts, BaseDelay,
// MaxDelay, Sleep); the error is for what stops the whole run (ctx, a file that cannot be written or
// read).
func Backfeed(ctx context.Context, ledger *Ledger, sources map[string]Source, dir string, opts RunOptions) ([]BackfeedOutcome, error) {
	opts = opts.withDefaults()
	files, err := ReadReactions(dir)
	if err != nil {
		return nil, err
	}
	byArticle := map[string]string{} // article → file name
	used := map[string]bool{}
	for name, f := range files {
		byArticle[f.Article] = name
		used[name] = true
	}
	var outcomes []BackfeedOutcome
	for _, article := range ledger.Articles() {
		if strings.Contains(article, "#") {
			continue // a reminder of an event: its replies belong to its own post only
		}
		entries := ledger.Entries(article)
		var networks []string
		for _, n := range slices.Sorted(maps.Keys(entries)) {
			if e := entries[n]; e.State == StatePublished && e.ID != "" && sources[n] != nil {
				networks = append(networks, n)
			}
		}
		if len(networks) == 0 {
			continue
		}
		name, ok := byArticle[article]
		if !ok {
			name = fileFor(article, used)
			used[name] = true
		}
		old := files[name]
		o := BackfeedOutcome{Article: article, File: path.Join(ReactionsDir, name)}
		next := model.ReactionsFile{Article: article, Networks: map[string]model.NetworkReactions{}}
		decisions := map[string]string{}
		for _, r := range old.Replies {
			if r.Moderation != "" {
				decisions[r.ID] = r.Moderation
			}
		}
		fetched := map[string]bool{}
		for _, n := range networks {
			if err := ctx.Err(); err != nil {
				return outcomes, err
			}
			var counts model.NetworkReactions
			var replies []model.Reply
			err := withRetry(ctx, opts, n+" "+article, func() error {
				var err error
				counts, replies, err = sources[n].Reactions(ctx, entries[n])
				return err
			})
			if ctx.Err() != nil {
				return outcomes, ctx.Err()
			}
			if err != nil {
				o.Errors = append(o.Errors, err.Error())
				if c, ok := old.Networks[n]; ok {
					next.Networks[n] = c
				}
				continue
			}
			fetched[n] = true
			if counts.Post == "" {
				counts.Post = entries[n].URL
			}
			next.Networks[n] = counts
			for _, r := range replies {
				r = r.Kept() // what strangers wrote is bounded before it is stored
				r.Network = n
				r.Moderation = decisions[r.ID]
				next.Replies = append(next.Replies, r)
			}
		}
		oldIDs := map[string]bool{}
		for _, r := range old.Replies {
			oldIDs[r.ID] = true
			if !fetched[r.Network] {
				next.Replies = append(next.Replies, r) // its network could not be read: kept as it was
			}
		}
		newIDs := map[string]bool{}
		for _, r := range next.Replies {
			newIDs[r.ID] = true
			if !oldIDs[r.ID] {
				o.Added++
			}
		}
		for id := range oldIDs {
			if !newIDs[id] {
				o.Removed++
			}
		}
		SortReplies(next.Replies)
		next.Replies = slices.CompactFunc(next.Replies, func(a, b model.Reply) bool { return a.ID == b.ID })
		changed, err := WriteReactions(filepath.Join(dir, name), next)
		if err != nil {
			return outcomes, err
		}
		o.Changed = changed
		files[name] = next
		outcomes = append(outcomes, o)
	}
	return outcomes, nil
}

// withRetry calls fn until it succeeds, fails for good or the attempts run out, waiting between
// attempts as Run does.
func withRetry(ctx context.Context, opts RunOptions, what string, fn func() error) error {
	for try := 1; ; try++ {
		err := fn()
		if err == nil || ctx.Err() != nil {
			return err
		}
		var re *RetryableError
		if !errors.As(err, &re) {
			return err
		}
		wait := opts.BaseDelay << (try - 1)
		if wait > opts.MaxDelay || wait <= 0 {
			wait = opts.MaxDelay
		}
		if re.After > 0 {
			wait = re.After
		}
		switch {
		case re.After > opts.MaxDelay:
			return fmt.Errorf("%w (the server asks to wait %s: run again later)", err, re.After.Round(time.Second))
		case try >= opts.MaxAttempts:
			return fmt.Errorf("%w (gave up after %d attempts: run again later)", err, try)
		}
		fmt.Fprintf(opts.Log, "%s: attempt %d: %v; retrying in %s\n", what, try, err, wait)
		if err := opts.Sleep(ctx, wait); err != nil {
			return err
		}
	}
}

// fileFor names the reactions file of an article after the last segment of its URL, with "-2", "-3"…
// when another article took the name.
func fileFor(article string, used map[string]bool) string {
	slug := "index"
	if u, err := url.Parse(article); err == nil {
		if s := path.Base(strings.Trim(u.Path, "/")); s != "." && s != "" && s != "/" {
			slug = strings.TrimSuffix(strings.TrimSuffix(s, ".html"), ".htm")
		}
	}
	name := slug + ".json"
	for n := 2; used[name]; n++ {
		name = fmt.Sprintf("%s-%d.json", slug, n)
	}
	return name
}

// SortReplies orders replies oldest first, then by ID: the order of the files and of the pages.
func SortReplies(rs []model.Reply) {
	slices.SortStableFunc(rs, func(a, b model.Reply) int {
		if c := a.Published.Compare(b.Published); c != 0 {
			return c
		}
		return strings.Compare(a.ID, b.ID)
	})
}

// ReadReactions reads every reactions file of dir, by file name. A missing folder holds none.
func ReadReactions(dir string) (map[string]model.ReactionsFile, error) {
	out := map[string]model.ReactionsFile{}
	entries, err := os.ReadDir(dir)
	if errors.Is(err, fs.ErrNotExist) {
		return out, nil
	}
	if err != nil {
		return nil, err
	}
	for _, e := range entries {
		if e.IsDir() || filepath.Ext(e.Name()) != ".json" {
			continue
		}
		p := filepath.Join(dir, e.Name())
		data, err := os.ReadFile(p)
		if err != nil {
			return nil, err
		}
		f, err := model.ParseReactionsFile(data)
		if err != nil {
			return nil, fmt.Errorf("%s: %w (fix it by hand or restore it from git)", p, err)
		}
		out[e.Name()] = f
	}
	return out, nil
}

// EncodeReactions is a reactions file as backfeed writes it: indented JSON, keys sorted, HTML left
// readable, a final newline.
func EncodeReactions(f model.ReactionsFile) ([]byte, error) {
	if f.Networks == nil {
		f.Networks = map[string]model.NetworkReactions{}
	}
	if f.Replies == nil {
		f.Replies = []model.Reply{}
	}
	for i := range f.Replies {
		f.Replies[i].Published = f.Replies[i].Published.UTC()
	}
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(f); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// WriteReactions writes f to name when its content differs, through a temporary file renamed over it;
// it reports whether it wrote.
func WriteReactions(name string, f model.ReactionsFile) (bool, error) {
	data, err := EncodeReactions(f)
	if err != nil {
		return false, err
	}
	if old, err := os.ReadFile(name); err == nil && bytes.Equal(old, data) {
		return false, nil
	}
	if err := os.MkdirAll(filepath.Dir(name), 0o755); err != nil {
		return false, err
	}
	tmp, err := os.CreateTemp(filepath.Dir(name), "."+filepath.Base(name)+".tmp-")
	if err != nil {
		return false, err
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return false, err
	}
	if err := tmp.Close(); err != nil {
		return false, err
	}
	return true, os.Rename(tmp.Name(), name)
}

// PendingReply is a reply that moderation keeps back, with its file.
type PendingReply struct {
	File   string
	Reply  model.Reply
	Status string // model.ReplyPending or model.ReplyHidden
	Reason string
}

// Moderated lists the replies of dir's files that mod does not show, file by file, oldest first.
func Moderated(dir string, mod model.Moderation) ([]PendingReply, error) {
	files, err := ReadReactions(dir)
	if err != nil {
		return nil, err
	}
	var out []PendingReply
	for _, name := range slices.Sorted(maps.Keys(files)) {
		for _, r := range files[name].Replies {
			if status, reason := mod.Status(r); status != model.ReplyShown {
				out = append(out, PendingReply{File: path.Join(ReactionsDir, name), Reply: r, Status: status, Reason: reason})
			}
		}
	}
	return out, nil
}

// Decide records a decision taken by hand (model.ModerationApproved or model.ModerationHidden, "" to
// take it back) on the reply whose URL or ID is ref, in whichever file of dir holds it.
func Decide(dir, ref, decision string) (file string, err error) {
	files, err := ReadReactions(dir)
	if err != nil {
		return "", err
	}
	for _, name := range slices.Sorted(maps.Keys(files)) {
		f := files[name]
		for i, r := range f.Replies {
			if r.URL == ref || r.ID == ref {
				f.Replies[i].Moderation = decision
				_, err := WriteReactions(filepath.Join(dir, name), f)
				return path.Join(ReactionsDir, name), err
			}
		}
	}
	return "", fmt.Errorf("no reply %s in %s: give the URL of a reply as vitrine backfeed --pending lists it", ref, ReactionsDir)
}

// WritePending prints the replies moderation keeps back as a list: file, status, author, date, URL,
// the text's start.
func WritePending(w io.Writer, list []PendingReply) {
	if len(list) == 0 {
		fmt.Fprintln(w, "No reply waits: every reply is shown.")
		return
	}
	for _, p := range list {
		// A terminal cannot isolate what strangers wrote: their bidi controls go.
		text := strings.Join(strings.Fields(model.StripBidi(p.Reply.Text)), " ")
		if r := []rune(text); len(r) > 100 {
			text = string(r[:99]) + "…"
		}
		fmt.Fprintf(w, "%s  %s (%s)\n  %s %s, %s\n  %s\n  %s\n", p.File, p.Status, p.Reason,
			p.Reply.Network, model.StripBidi(p.Reply.Author.Handle), p.Reply.Published.UTC().Format("2006-01-02 15:04"), p.Reply.URL, text)
	}
}

package syndicate

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"text/tabwriter"

	"github.com/vitrine-ssg/vitrine/generator/model"
)

// OutboxDir is where vitrine syndicate puts the composed posts for review, relative to the site.
const OutboxDir = ".vitrine/outbox"

// ComposeJobs composes the post of each job of the schedule (Schedule.Jobs) and of each scheduled item,
// in order. A post that
// cannot fit its network is kept for review and its item marked StatusTooLong; any other error stops.
func (s *Schedule) ComposeJobs(site *model.Site, opts ComposeOptions) ([]Post, error) {
	var posts []Post
	for i := range s.Items {
		it := &s.Items[i]
		if !slices.Contains([]string{StatusNew, StatusPending, StatusRetry, StatusUnknown, StatusScheduled}, it.Status) {
			continue
		}
		o := opts
		o.Reminder = it.Reminder
		p, err := Compose(site, it.Page, it.Network, o)
		if errors.Is(err, ErrTooLong) {
			it.Status = StatusTooLong
		} else if err != nil {
			return nil, err
		}
		posts = append(posts, p)
	}
	return posts, nil
}

// Ready returns the posts of jobs that fit their network: the ones to publish.
func (s Schedule) Ready(posts []Post) []Post {
	type key struct{ article, network string }
	ready := map[key]bool{}
	for _, it := range s.Items {
		if slices.Contains([]string{StatusNew, StatusPending, StatusRetry, StatusUnknown}, it.Status) {
			ready[key{it.Article, it.Network}] = true
		}
	}
	var out []Post
	for _, p := range posts {
		if ready[key{p.Article, p.Network}] {
			out = append(out, p)
		}
	}
	return out
}

// WriteOutbox replaces the folder dir with the posts: one folder per article, named after its slug,
// holding NETWORK.txt (the text, as it will be published) and NETWORK.json (the whole Post: text,
// link, facets, image). The new outbox is written beside dir and swapped in, so that a reader never
// sees half of one, and a failure leaves the old one.
func WriteOutbox(dir string, posts []Post) error {
	parent := filepath.Dir(dir)
	if err := os.MkdirAll(parent, 0o755); err != nil {
		return err
	}
	tmp, err := os.MkdirTemp(parent, "."+filepath.Base(dir)+".new-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	folders := outboxFolders(posts)
	for _, p := range posts {
		folder := filepath.Join(tmp, folders[p.Article])
		if err := os.MkdirAll(folder, 0o755); err != nil {
			return err
		}
		var data bytes.Buffer
		enc := json.NewEncoder(&data)
		enc.SetEscapeHTML(false) // links keep their "&"
		enc.SetIndent("", "  ")
		if err := enc.Encode(p); err != nil {
			return err
		}
		if err := os.WriteFile(filepath.Join(folder, p.Network+".txt"), []byte(p.Text+"\n"), 0o644); err != nil {
			return err
		}
		if err := os.WriteFile(filepath.Join(folder, p.Network+".json"), data.Bytes(), 0o644); err != nil {
			return err
		}
	}
	old := ""
	if _, err := os.Stat(dir); err == nil {
		old = tmp + ".old"
		if err := os.Rename(dir, old); err != nil {
			return fmt.Errorf("replace %s: %w", dir, err)
		}
	}
	if err := os.Rename(tmp, dir); err != nil {
		if old != "" {
			_ = os.Rename(old, dir)
		}
		return fmt.Errorf("replace %s: %w", dir, err)
	}
	if old != "" {
		return os.RemoveAll(old)
	}
	return nil
}

// outboxFolders names each article's folder after its slug, with "-2", "-3"… for a slug that two
// articles share (posts/a/ and blog/a/).
func outboxFolders(posts []Post) map[string]string {
	folders := map[string]string{}
	used := map[string]bool{}
	for _, p := range posts {
		if _, ok := folders[p.Article]; ok {
			continue
		}
		name := p.Slug
		for n := 2; used[name]; n++ {
			name = p.Slug + "-" + strconv.Itoa(n)
		}
		used[name] = true
		folders[p.Article] = name
	}
	return folders
}

// WriteTable prints the schedule as a table: article, network, length/limit, status. It lists the
// articles this run has something to do with (a post composed, pending, too long, or left for the next
// run), each with all its networks; the others are done and left out. The networks of an article that
// share a status and have no post are shown on one line ("all" when that is every one).
func (s Schedule) WriteTable(w io.Writer, posts []Post) error {
	type key struct{ article, network string }
	byKey := map[key]Post{}
	for _, p := range posts {
		byKey[key{p.Article, p.Network}] = p
	}
	active := map[string]bool{}
	count := map[string]int{}
	for _, it := range s.Items {
		count[it.Article]++
		if slices.Contains([]string{StatusNew, StatusPending, StatusLater, StatusTooLong, StatusScheduled, StatusRetry, StatusUnknown, StatusFailed, StatusGaveUp}, it.Status) {
			active[it.Article] = true
		}
	}
	type row struct{ url, article, networks, length, status string }
	var rows []row
	grouped := map[key]int{} // (article, status) → index in rows of its group
	members := map[int][]string{}
	for _, it := range s.Items {
		if !active[it.Article] {
			continue
		}
		if p, ok := byKey[key{it.Article, it.Network}]; ok {
			rows = append(rows, row{it.Article, itemLabel(it), it.Network, fmt.Sprintf("%d/%d", p.Length, p.Limit), itemStatus(it)})
			continue
		}
		g, ok := grouped[key{it.Article, itemStatus(it)}]
		if !ok {
			g = len(rows)
			grouped[key{it.Article, itemStatus(it)}] = g
			rows = append(rows, row{it.Article, itemLabel(it), "", "-", itemStatus(it)})
		}
		members[g] = append(members[g], it.Network)
	}
	for g, networks := range members {
		rows[g].networks = strings.Join(networks, ", ")
		if len(networks) > 1 && len(networks) == count[rows[g].url] {
			rows[g].networks = "all"
		}
	}
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "ARTICLE\tNETWORK\tLENGTH\tSTATUS")
	for _, r := range rows {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", r.article, r.networks, r.length, r.status)
	}
	return tw.Flush()
}

// itemLabel names an item in tables: its article's slug, "(reminder)" after an event's reminder.
func itemLabel(it Item) string {
	if it.Reminder {
		return articleSlug(it.Page) + " (reminder)"
	}
	return articleSlug(it.Page)
}

// itemStatus is an item's status in tables, with its time when it is scheduled.
func itemStatus(it Item) string {
	if it.Status == StatusScheduled && !it.Due.IsZero() {
		return it.Status + " " + it.Due.Format("Mon 2006-01-02 15:04")
	}
	return it.Status
}

package generator

import (
	"cmp"
	"errors"
	"fmt"
	"html/template"
	"io/fs"
	"maps"
	"net/url"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/microcosm-cc/bluemonday"

	"github.com/vitrine-ssg/vitrine/generator/config"
	"github.com/vitrine-ssg/vitrine/generator/model"
)

// readReactions gives each article the reactions `vitrine backfeed` recorded in data/reactions/: the
// counts per network and the replies that moderation ([reactions] in vitrine.toml, and decisions taken by
// hand in the files) lets through, their HTML sanitized. A file is matched to its page by the path of
// its article's URL, so that a dev server on another address still finds it.
func readReactions(src fs.FS, site *model.Site, cfg config.Reactions) error {
	byPath := map[string]*model.Page{}
	for _, p := range site.Pages {
		p.Reactions = nil // a dev server's Session may give the same pages again
		if p.IsRegular() {
			byPath[p.URL] = p
		}
	}
	names, err := fs.Glob(src, model.ReactionsDir+"/*.json")
	if err != nil {
		return err
	}
	mod := Moderation(cfg)
	var errs []error
	for _, name := range names {
		data, err := fs.ReadFile(src, name)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		f, err := model.ParseReactionsFile(data)
		if err != nil {
			errs = append(errs, fmt.Errorf("%s: %w (vitrine backfeed writes it; fix it by hand or restore it from git)", name, err))
			continue
		}
		u, err := url.Parse(f.Article)
		if err != nil || f.Article == "" {
			errs = append(errs, fmt.Errorf("%s: article %q is not a URL", name, f.Article))
			continue
		}
		p := byPath[cmp.Or(u.Path, "/")]
		if p == nil {
			continue // the article is a draft, or was removed: its reactions wait
		}
		p.Reactions = showReactions(f, mod, site.Location)
	}
	return errors.Join(errs...)
}

// Moderation turns [reactions] into the model's moderation rules.
func Moderation(cfg config.Reactions) model.Moderation {
	return model.Moderation{Approve: cfg.Moderation == "approve", Hide: cfg.Hide, BlockedWords: cfg.BlockedWords}
}

// showReactions keeps what a page shows of a reactions file: every network's counts, and the replies
// moderation lets through, oldest first, bounded (model.Reply.Kept) and sanitized.
func showReactions(f model.ReactionsFile, mod model.Moderation, loc *time.Location) *model.Reactions {
	r := &model.Reactions{}
	for _, n := range slices.Sorted(maps.Keys(f.Networks)) {
		r.Networks = append(r.Networks, model.NetworkCount{Network: n, NetworkReactions: f.Networks[n]})
	}
	for _, reply := range f.Replies {
		if status, _ := mod.Status(reply); status != model.ReplyShown {
			continue
		}
		reply = reply.Kept() // a file written by hand, or by an older vitrine, is bounded too
		if loc != nil {
			reply.Published = reply.Published.In(loc)
		}
		if !safeURL(reply.URL) {
			reply.URL = ""
		}
		if !safeURL(reply.Author.URL) {
			reply.Author.URL = ""
		}
		r.Replies = append(r.Replies, model.ShownReply{Reply: reply, HTML: SanitizeReply(reply.Content)})
	}
	slices.SortStableFunc(r.Replies, func(a, b model.ShownReply) int {
		if c := a.Published.Compare(b.Published); c != 0 {
			return c
		}
		return strings.Compare(a.ID, b.ID)
	})
	if len(r.Networks) == 0 && len(r.Replies) == 0 {
		return nil
	}
	return r
}

// safeURL reports whether u is an absolute http(s) URL, the only links a reply may carry.
func safeURL(u string) bool {
	p, err := url.Parse(u)
	return err == nil && (p.Scheme == "https" || p.Scheme == "http") && p.Host != ""
}

// replyPolicy is what reply HTML may keep: paragraphs, line breaks, emphasis, lists, quotes, code and
// links to http(s) addresses, marked nofollow and noreferrer. Everything else goes: scripts and styles
// with their content, event handlers, style attributes, images (tracking pixels, and requests to other
// sites from the reader's browser), iframes, forms; elements it does not know keep their text only.
var replyPolicy = sync.OnceValue(func() *bluemonday.Policy {
	p := bluemonday.NewPolicy()
	p.AllowElements("p", "br", "strong", "em", "b", "i", "u", "s", "del", "code", "pre", "blockquote", "ul", "ol", "li")
	p.AllowAttrs("href").OnElements("a")
	p.AllowURLSchemes("http", "https")
	p.RequireParseableURLs(true)
	p.AllowRelativeURLs(false)
	p.RequireNoFollowOnLinks(true)
	p.RequireNoReferrerOnLinks(true)
	return p
})

// SanitizeReply returns reply HTML from a network cleaned by replyPolicy, safe to put in a page.
func SanitizeReply(html string) template.HTML {
	return template.HTML(strings.TrimSpace(replyPolicy().Sanitize(html)))
}

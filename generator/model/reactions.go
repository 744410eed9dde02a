package model

import (
	"encoding/json"
	"errors"
	"fmt"
	"html"
	"html/template"
	"strings"
	"time"
	"unicode"
)

// ReactionsDir is where `vitrine backfeed` keeps the reactions of each syndicated article, one JSON file
// per article (ReactionsFile), committed with the site. The build reads them; it never fetches.
const ReactionsDir = "data/reactions"

// ReactionsFile is the content of data/reactions/SLUG.json: what the networks said about one article.
// It is written by `vitrine backfeed` (package syndicate) and read by the build (package generator),
// which share this shape through the model. Replies are sorted oldest first, then by ID, and maps are
// written with sorted keys, so that the file's diffs read well.
type ReactionsFile struct {
	// Article is the article's absolute URL, as the syndication ledger keys it.
	Article string `json:"article"`
	// Networks holds the counts of each network's post, by network name.
	Networks map[string]NetworkReactions `json:"networks"`
	Replies  []Reply                     `json:"replies"`
}

// NetworkReactions are the counts of one post of the article on one network.
type NetworkReactions struct {
	Post    string `json:"post"` // the post's URL
	Likes   int    `json:"likes"`
	Reposts int    `json:"reposts"` // boosts on Mastodon
	Replies int    `json:"replies"`
}

// Reply is one reply to a post of the article, or to another reply in its thread.
type Reply struct {
	// ID is "NETWORK:ID", the network's own identifier (a Mastodon status id, a Bluesky at:// URI).
	ID      string      `json:"id"`
	Network string      `json:"network"`
	URL     string      `json:"url"` // the reply on its network, for readers to answer there
	Author  ReplyAuthor `json:"author"`
	// Published is when the reply was written, as the network says.
	Published time.Time `json:"published"`
	// Content is the reply as HTML: Mastodon's, or made from a Bluesky post's text and links. It comes
	// from strangers: the build sanitizes it before it reaches a page.
	Content string `json:"content"`
	// Text is the reply as plain text, which blocked words are looked for in.
	Text string `json:"text"`
	// Moderation is a decision taken by hand, kept across backfeeds: ModerationHidden or
	// ModerationApproved; "" when none was taken.
	Moderation string `json:"moderation,omitempty"`
	// Truncated says that Text and Content are the beginning of a longer reply (see Kept): the page
	// links to the original for the rest.
	Truncated bool `json:"truncated,omitempty"`
}

// ReplyAuthor is who wrote a reply.
type ReplyAuthor struct {
	Name   string `json:"name"`   // display name, may be empty
	Handle string `json:"handle"` // "@camille@piaille.fr", "camille.bsky.social"
	URL    string `json:"url"`    // profile
}

// Moderation decisions taken by hand in a reactions file.
const (
	ModerationHidden   = "hidden"
	ModerationApproved = "approved"
)

// Statuses of a reply under a Moderation.
const (
	ReplyShown   = "shown"
	ReplyPending = "pending" // waits for approval
	ReplyHidden  = "hidden"
)

// Moderation is how replies are filtered before they are shown: [reactions] in vitrine.toml.
type Moderation struct {
	// Approve shows a reply only once it is approved by hand.
	Approve bool
	// Hide lists reply URLs and authors (handle, with or without "@", or profile URL) never shown.
	Hide []string
	// BlockedWords hide a reply whose text holds one of them, as a word. Both are compared folded
	// (foldText): in any case, in any Unicode compatibility form, whatever invisible characters (soft
	// hyphens, zero-width spaces) are slipped inside the word.
	BlockedWords []string
}

// Status says whether a reply is shown, pending approval or hidden, and why when it is not shown.
// Hiding wins over approval: a reply approved by hand whose author is later hidden is hidden.
func (m Moderation) Status(r Reply) (status, reason string) {
	if r.Moderation == ModerationHidden {
		return ReplyHidden, "hidden by hand"
	}
	for _, h := range m.Hide {
		if h = strings.TrimSpace(h); h == "" {
			continue
		}
		if h == r.URL || sameAuthor(h, r.Author) {
			return ReplyHidden, "hidden: " + h
		}
	}
	if w := blockedWord(r.Text+" "+html.UnescapeString(stripTags(r.Content)), m.BlockedWords); w != "" {
		return ReplyHidden, "blocked word: " + w
	}
	if r.Moderation == ModerationApproved || !m.Approve {
		return ReplyShown, ""
	}
	return ReplyPending, "waits for approval"
}

func sameAuthor(h string, a ReplyAuthor) bool {
	norm := func(s string) string { return strings.ToLower(strings.TrimPrefix(strings.TrimSpace(s), "@")) }
	h = norm(h)
	return h != "" && (h == norm(a.Handle) || h == norm(a.URL))
}

// blockedWord returns the first of words found in text as a whole word, both folded (foldText); "" for
// none.
func blockedWord(text string, words []string) string {
	if len(words) == 0 {
		return ""
	}
	fields := strings.FieldsFunc(foldText(text), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsNumber(r) && r != '\'' && r != '’' && r != '-'
	})
	for _, w := range words {
		lw := strings.Join(strings.Fields(foldText(w)), " ")
		if lw == "" {
			continue
		}
		if strings.ContainsAny(lw, " \t") {
			if strings.Contains(strings.Join(fields, " "), lw) {
				return w
			}
			continue
		}
		for _, f := range fields {
			if f == lw {
				return w
			}
		}
	}
	return ""
}

// stripTags drops what sits between < and >: enough to look for words in HTML.
func stripTags(s string) string {
	var b strings.Builder
	in := false
	for _, r := range s {
		switch {
		case r == '<':
			in = true
			b.WriteByte(' ')
		case r == '>':
			in = false
		case !in:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// Reactions is what an article page shows of its reactions: the counts per network and the replies
// moderation lets through, oldest first.
type Reactions struct {
	Networks []NetworkCount
	Replies  []ShownReply
}

// NetworkCount is one network's counts, with its name.
type NetworkCount struct {
	Network string
	NetworkReactions
}

// ShownReply is a reply as a page shows it: its HTML sanitized.
type ShownReply struct {
	Reply
	HTML template.HTML
}

// Initials are what stands for the author's picture: one or two letters of the name or handle. Avatars
// are never loaded from the networks, so that readers' browsers make no request elsewhere.
func (a ReplyAuthor) Initials() string {
	name := strings.TrimSpace(a.Name)
	if name == "" {
		name = strings.TrimLeft(a.Handle, "@")
	}
	var out []rune
	for _, w := range strings.Fields(name) {
		for _, r := range w {
			if unicode.IsLetter(r) || unicode.IsDigit(r) {
				out = append(out, unicode.ToUpper(r))
				break
			}
		}
		if len(out) == 2 {
			break
		}
	}
	if len(out) == 0 {
		return "?"
	}
	return string(out)
}

// DisplayName is the author's name, else the handle.
func (a ReplyAuthor) DisplayName() string {
	if n := strings.TrimSpace(a.Name); n != "" {
		return n
	}
	return a.Handle
}

// Total is the sum of the counts of every network.
func (r *Reactions) Total() (likes, reposts, replies int) {
	for _, n := range r.Networks {
		likes += n.Likes
		reposts += n.Reposts
		replies += n.Replies
	}
	return
}

// ParseReactionsFile decodes a reactions file; an error names the line where the JSON goes wrong.
func ParseReactionsFile(data []byte) (ReactionsFile, error) {
	var f ReactionsFile
	err := json.Unmarshal(data, &f)
	var se *json.SyntaxError
	var te *json.UnmarshalTypeError
	switch {
	case errors.As(err, &se):
		return f, fmt.Errorf("line %d: %w", lineAt(data, se.Offset), err)
	case errors.As(err, &te):
		return f, fmt.Errorf("line %d: %w", lineAt(data, te.Offset), err)
	}
	return f, err
}

func lineAt(data []byte, offset int64) int {
	line := 1
	for i := int64(0); i < offset && i < int64(len(data)); i++ {
		if data[i] == '\n' {
			line++
		}
	}
	return line
}

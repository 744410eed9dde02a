package model

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/rivo/uniseg"
)

func TestReplyKeptBoundsLength(t *testing.T) {
	word := "réponse "
	long := strings.Repeat(word, (1<<20)/len(word)) // a 1 MB reply
	r := Reply{ID: "mastodon:1", URL: "https://piaille.fr/@x/1", Text: long, Content: "<p>" + long + "</p>"}
	k := r.Kept()
	if !k.Truncated {
		t.Fatal("a 1 MB reply is not marked truncated")
	}
	if n := uniseg.GraphemeClusterCount(k.Text); n > MaxReplyChars || n < MaxReplyChars*3/4 {
		t.Errorf("kept %d characters, want at most %d and not much less", n, MaxReplyChars)
	}
	if !strings.HasSuffix(k.Text, "réponse…") {
		t.Errorf("not cut at a word boundary: …%q", k.Text[len(k.Text)-40:])
	}
	if len(k.Content) > MaxReplyHTML || !strings.HasPrefix(k.Content, "<p>réponse") {
		t.Errorf("content: %d bytes, %q…", len(k.Content), k.Content[:40])
	}
	if again := k.Kept(); again != k {
		t.Error("Kept is not idempotent")
	}

	// One grapheme cluster of a million combining marks, then emoji: bounded in bytes, clusters whole.
	zalgo := "e" + strings.Repeat("\u0301", 1<<19)
	k = Reply{Text: "👩‍👩‍👧 " + zalgo}.Kept()
	if len(k.Text) > MaxReplyBytes || !utf8.ValidString(k.Text) || !strings.HasPrefix(k.Text, "👩‍👩‍👧") {
		t.Errorf("combining marks: %d bytes, %q…", len(k.Text), k.Text[:min(len(k.Text), 20)])
	}
	emoji := strings.Repeat("👩‍👩‍👧", MaxReplyChars+10)
	k = Reply{Text: emoji}.Kept()
	if strings.TrimSuffix(strings.ReplaceAll(k.Text, "👩‍👩‍👧", ""), "…") != "" {
		t.Errorf("an emoji was cut in two: %q", k.Text[len(k.Text)-30:])
	}

	// Markup alone can be the bulk: 1 MB of empty tags around a short text.
	k = Reply{Text: "court", Content: strings.Repeat("<b></b>", 1<<17) + "<p>court</p>"}.Kept()
	if !k.Truncated || k.Content != "<p>court</p>" {
		t.Errorf("markup bomb: %q", k.Content[:min(len(k.Content), 60)])
	}

	short := Reply{Text: "Très juste !", Content: "<p>Très <em>juste</em> !</p>", Author: ReplyAuthor{Name: "Alice"}}
	if short.Kept() != short {
		t.Error("a short reply was changed")
	}
}

func TestReplyKeptStripsBidiFromNames(t *testing.T) {
	r := Reply{Author: ReplyAuthor{Name: "Eve\u202Egnp.exe\u202C \u2067x\u2069 \u200F", Handle: "@eve\u202E@evil.example"}}
	k := r.Kept()
	for _, s := range []string{k.Author.Name, k.Author.Handle} {
		if strings.ContainsAny(s, "\u202A\u202B\u202C\u202D\u202E\u2066\u2067\u2068\u2069\u200E\u200F\u061C") {
			t.Errorf("bidi control left in %q", s)
		}
	}
	if k.Author.Name != "Evegnp.exe x " || k.Author.Handle != "@eve@evil.example" {
		t.Errorf("name %q, handle %q", k.Author.Name, k.Author.Handle)
	}
	long := Reply{Author: ReplyAuthor{Name: strings.Repeat("Nom ", 1000)}}.Kept()
	if n := uniseg.GraphemeClusterCount(long.Author.Name); n > MaxNameChars {
		t.Errorf("a name of %d characters kept", n)
	}
}

func TestBlockedWordsNormalized(t *testing.T) {
	m := Moderation{BlockedWords: []string{"bad", "Straße", "casino en ligne"}}
	for _, text := range []string{
		"this is b\u00adad",          // soft hyphen
		"this is b\u200bad",          // zero-width space
		"this is b\u200dA\u2060d",    // zero-width joiner, word joiner
		"this is ＢＡＤ",                // fullwidth
		"this is 𝐛𝐚𝐝",                // mathematical bold
		"this is b\ufe0fad",          // variation selector
		"STRASSE",                    // case folding: ß is ss
		"au CASINO\u00a0EN LIGNE !",  // no-break space between words
		"au casi\u00adno en ligne !", // soft hyphen in a phrase
	} {
		if status, reason := m.Status(Reply{Text: text}); status != ReplyHidden {
			t.Errorf("%q: %s %s, want hidden", text, status, reason)
		}
	}
	if status, _ := m.Status(Reply{Content: "<p>b&shy;ad</p>"}); status != ReplyHidden {
		t.Error("an HTML entity soft hyphen in the content hides the word")
	}
	for _, text := range []string{"badge", "a b ad", "abad"} {
		if status, reason := m.Status(Reply{Text: text}); status != ReplyShown {
			t.Errorf("%q: %s %s, want shown", text, status, reason)
		}
	}
}

// FuzzReplyKept: whatever a stranger sends, what is kept is within the bounds, names hold no bidi
// control, valid UTF-8 stays valid, and keeping again changes nothing.
func FuzzReplyKept(f *testing.F) {
	f.Add("Très juste !", "<p>Très juste !</p>", "Eve \u202Egnp.exe", 3)
	f.Add("b\u00adad "+strings.Repeat("mot ", 900), "", "", 2)
	f.Add("e"+strings.Repeat("\u0301", 700), "<b></b>", "\u2067x", 1)
	f.Fuzz(func(t *testing.T, text, content, name string, repeat int) {
		repeat = 1 + (repeat&0xff)%8
		r := Reply{Text: strings.Repeat(text, repeat), Content: strings.Repeat(content, repeat), Author: ReplyAuthor{Name: name, Handle: name}}
		k := r.Kept()
		if len(k.Text) > MaxReplyBytes || uniseg.GraphemeClusterCount(k.Text) > MaxReplyChars || len(k.Content) > MaxReplyHTML {
			t.Fatalf("over the bounds: %d bytes, %d characters of text; %d bytes of HTML", len(k.Text), uniseg.GraphemeClusterCount(k.Text), len(k.Content))
		}
		if strings.ContainsFunc(k.Author.Name+k.Author.Handle, isBidiControl) || uniseg.GraphemeClusterCount(k.Author.Name) > MaxNameChars {
			t.Fatalf("name kept: %q", k.Author.Name)
		}
		if utf8.ValidString(r.Text) && utf8.ValidString(r.Content) && !utf8.ValidString(k.Text) {
			t.Fatalf("valid UTF-8 became invalid: %q", k.Text)
		}
		if again := k.Kept(); again != k {
			t.Fatalf("Kept is not idempotent:\n%q\n%q", k.Text, again.Text)
		}
	})
}

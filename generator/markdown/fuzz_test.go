package markdown

import (
	"bytes"
	"io"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"

	"golang.org/x/net/html"
)

// FuzzTypography checks that the typographic rules are idempotent, keep valid UTF-8 and never touch
// letters and digits (only spaces, quotes, apostrophes and dots may change).
func FuzzTypography(f *testing.F) {
	for _, s := range []string{
		`Il dit "bonjour"; puis: "ça va?" 12 % et 3 km... l'été`,
		"« déjà » : ok ! 10 € ? … ’",
		`"a 'b' c" -- ... .... !!`,
		"\u00a0;\u202f!  :  ?",
	} {
		f.Add("fr", s)
		f.Add("en", s)
	}
	f.Fuzz(func(t *testing.T, lang, s string) {
		if !utf8.ValidString(s) {
			return
		}
		once := Typography(lang, s)
		if twice := Typography(lang, once); twice != once {
			t.Errorf("not idempotent on %q:\n once %q\ntwice %q", s, once, twice)
		}
		if !utf8.ValidString(once) {
			t.Errorf("invalid UTF-8 from %q", s)
		}
		if a, b := letters(s), letters(once); a != b {
			t.Errorf("letters changed: %q → %q", a, b)
		}
	})
}

func letters(s string) string {
	var b strings.Builder
	for _, r := range s {
		if r > ' ' && !strings.ContainsRune("\"'’‘“”«».…\u00a0\u202f", r) {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// FuzzConvertSafe checks, with raw HTML off and French typography on, that no input makes the HTML
// run anything: no script or style element, no event handler, no javascript: or data: URL; and that
// code spans keep their text.
func FuzzConvertSafe(f *testing.F) {
	for _, s := range []string{
		"<script>alert(1)</script>\n\n<img src=x onerror=alert(1)>",
		"[a](javascript:alert(1)) [b](JAVASCRIPT:x) ![c](data:text/html,x) <javascript:alert(1)>",
		"`<b>` et `\"q\" : !` \n\n```html\n<script>\n```",
		"[x]: javascript:alert(1)\n\n[y][x]",
		"<a href=\"javascript:alert(1)\">x</a> <svg onload=alert(1)>",
		"*a* _b_ **c** [d](<java\nscript:x>)",
	} {
		f.Add(s)
	}
	c := New(Options{Typography: "fr"})
	f.Fuzz(func(t *testing.T, src string) {
		res, err := c.Convert([]byte(src), func(string) (string, bool) { return "/p/", true })
		if err != nil {
			if _, deep := err.(*NestingError); deep {
				return
			}
			t.Fatal(err)
		}
		z := html.NewTokenizer(bytes.NewReader(res.HTML))
		for {
			tt := z.Next()
			if tt == html.ErrorToken {
				if z.Err() != io.EOF {
					t.Fatalf("%v in %s", z.Err(), res.HTML)
				}
				break
			}
			if tt != html.StartTagToken && tt != html.SelfClosingTagToken {
				continue
			}
			tok := z.Token()
			switch tok.Data {
			case "script", "style", "iframe", "object", "embed":
				t.Errorf("<%s> from %q: %s", tok.Data, src, res.HTML)
			}
			for _, a := range tok.Attr {
				v := strings.ToLower(strings.Join(strings.Fields(a.Val), ""))
				if strings.HasPrefix(strings.ToLower(a.Key), "on") ||
					(a.Key == "href" || a.Key == "src") && (strings.HasPrefix(v, "javascript:") || strings.HasPrefix(v, "vbscript:") || strings.HasPrefix(v, "data:text")) {
					t.Errorf("%s=%q from %q: %s", a.Key, a.Val, src, res.HTML)
				}
			}
		}
	})
}

// FuzzCheckLinks checks the guard against link openers, with small bounds so that fuzzed inputs reach
// them: a refusal names a line of the input that starts its paragraph, with openers × size past the
// bound, and the same input passes a bound that high.
func FuzzCheckLinks(f *testing.F) {
	for _, s := range []string{"[a](", "[a](\n[a](\n", "- [a](b)\n- [c](\n\n[d](", "| [a]( |\n| [b]( |", "1. [a](\n2) [b](", "](](](", ""} {
		f.Add(s, uint16(8))
	}
	f.Fuzz(func(t *testing.T, src string, work uint16) {
		err := checkLinkWork([]byte(src), int(work))
		if err == nil {
			return
		}
		e, ok := err.(*OpenersError)
		if !ok {
			t.Fatalf("error of type %T: %v", err, err)
		}
		if lines := strings.Count(src, "\n") + 1; e.Line < 1 || e.Line > lines {
			t.Fatalf("line %d of %d", e.Line, lines)
		}
		if e.Openers*e.Bytes <= int(work) || e.Openers > strings.Count(src, "](") || e.Bytes > len(src) {
			t.Fatalf("%d openers in %d bytes refused under %d", e.Openers, e.Bytes, work)
		}
		if checkLinkWork([]byte(src), e.Openers*e.Bytes*len(src)+1) != nil {
			t.Fatalf("refused with a bound past its whole work")
		}
	})
}

// FuzzUnique checks that heading ids given with the remembered suffixes of unique are those the plain
// search (every suffix from -1) gives: the first free one, in order.
func FuzzUnique(f *testing.F) {
	for _, s := range []string{"a,a,a-1,a", "a-1,a,a,a-2-1,a-2,a", "section,section-1,section", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		used, next, plain := map[string]struct{}{}, map[string]int{}, map[string]struct{}{}
		for _, base := range strings.Split(s, ",") {
			got := unique(used, next, base)
			want := base
			for i := 1; ; i++ {
				if _, taken := plain[want]; !taken {
					break
				}
				want = base + "-" + strconv.Itoa(i)
			}
			plain[want] = struct{}{}
			if got != want {
				t.Fatalf("unique(%q) = %q, want %q", base, got, want)
			}
		}
	})
}

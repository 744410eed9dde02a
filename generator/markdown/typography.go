package markdown

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/text"
)

// No Go library applies French typographic spacing (the ones that do are PHP, Rust or JavaScript), so
// vitrine has its own, small and conservative: it only changes spaces and punctuation it is sure of, and
// text that is already correct comes out unchanged.

// Spaces of French typography.
const (
	nbsp  = '\u00a0' // no-break space: before « : », between a number and its unit
	nnbsp = '\u202f' // narrow no-break space: before ; ! ?, inside « », between thousands
)

// Typography returns s with the typographic rules of lang applied: "fr" (French spacing, « » quotes,
// apostrophes, ellipsis) or "en" (curly quotes, apostrophes, ellipsis); other languages get the
// apostrophes and ellipsis only. It is idempotent.
func Typography(lang, s string) string {
	t := typographer{french: isFrench(lang)}
	return t.apply(s)
}

func isFrench(lang string) bool {
	return lang == "fr" || strings.HasPrefix(lang, "fr-") || strings.HasPrefix(lang, "fr_")
}

// consumed marks, in the runes of a text, a space the quote before it replaced: no rune of a string
// decodes to -1 (a NUL could be in the text).
const consumed rune = -1

// typographer carries the state that spans the text nodes of one block: whether a double quote is open.
type typographer struct {
	french    bool
	quoteOpen bool
	prev      rune // last rune of the previous text node of the block, 0 at its start
}

// apply transforms one run of text. It reads the previous text's last rune to decide spacing and
// quotes across inline markup ("*Bonjour*!" ends one node with "r" and starts the next with "!").
func (t *typographer) apply(s string) string {
	if s == "" {
		return s
	}
	if !needsTypography(s, t.french) {
		if r, _ := utf8.DecodeLastRuneInString(s); r != utf8.RuneError {
			t.prev = r
		}
		return s
	}
	s = strings.ReplaceAll(s, "...", "…")
	// No double spaces, before the rules that look at the neighbours of a space.
	for strings.Contains(s, "  ") {
		s = strings.ReplaceAll(s, "  ", " ")
	}
	var b strings.Builder
	b.Grow(len(s) + 8)
	runes := []rune(s)
	prevOut := t.prev // last rune written, across nodes
	lastOut := func() rune {
		if b.Len() == 0 {
			return prevOut
		}
		r, _ := utf8.DecodeLastRuneInString(b.String())
		return r
	}
	// dropSpace removes a plain or no-break space just written, so that the right one can follow.
	dropSpace := func() bool {
		str := b.String()
		r, size := utf8.DecodeLastRuneInString(str)
		if r == ' ' || r == nbsp || r == nnbsp || r == '\u2009' {
			b.Reset()
			b.WriteString(str[:len(str)-size])
			return true
		}
		return false
	}
	for i, r := range runes {
		var next rune
		if i+1 < len(runes) {
			next = runes[i+1]
		}
		switch {
		case r == ' ' && (lastOut() == ' ' || lastOut() == nbsp || lastOut() == nnbsp):
			// No double spaces.
			continue
		case r == '\'':
			b.WriteRune('’')
		case r == '"':
			opening := !t.quoteOpen
			t.quoteOpen = !t.quoteOpen
			switch {
			case t.french && opening:
				b.WriteString("«\u202f")
				if next == ' ' {
					runes[i+1] = consumed // the space after « is replaced
				}
			case t.french:
				dropSpace()
				b.WriteString("\u202f»")
			case opening:
				b.WriteRune('“')
			default:
				b.WriteRune('”')
			}
		case r == consumed:
			// A space consumed by the quote before it.
		case !t.french:
			b.WriteRune(r)
		case r == '«':
			b.WriteRune('«')
			if next == ' ' || next == nbsp {
				runes[i+1] = consumed
			}
			if next != nnbsp {
				b.WriteRune(nnbsp)
			}
		case r == '»':
			prev := lastOut()
			if prev != nnbsp {
				dropSpace()
				b.WriteRune(nnbsp)
			}
			b.WriteRune('»')
		case r == ';' || r == '!' || r == '?':
			prev := lastOut()
			switch {
			case prev == nnbsp || prev == '!' || prev == '?' || prev == 0 || prev == '(' || prev == '\n':
			case prev == ' ' || prev == nbsp:
				dropSpace()
				b.WriteRune(nnbsp)
			case unicode.IsLetter(prev) || unicode.IsDigit(prev) || prev == '»' || prev == ')' || prev == '…' || prev == '’':
				// "Bonjour!" → "Bonjour !": but not in "Yahoo!" brand-like words followed by a letter.
				if next == 0 || next == ' ' || next == '\n' || next == '!' || next == '?' || unicode.IsPunct(next) {
					b.WriteRune(nnbsp)
				}
			}
			b.WriteRune(r)
		case r == ':':
			prev := lastOut()
			switch {
			case unicode.IsDigit(prev) && unicode.IsDigit(next):
				// A time (10:30) or a ratio: untouched.
			case prev == nbsp || prev == 0 || prev == '\n':
			case prev == ' ' || prev == nnbsp:
				dropSpace()
				b.WriteRune(nbsp)
			case (unicode.IsLetter(prev) || unicode.IsDigit(prev) || prev == '»' || prev == ')') && (next == ' ' || next == 0 || next == '\n'):
				b.WriteRune(nbsp)
			}
			b.WriteRune(':')
		case r == '%' || r == '€':
			prev := lastOut()
			if prev == ' ' || prev == nnbsp {
				dropSpace()
				b.WriteRune(nbsp)
			} else if unicode.IsDigit(prev) {
				b.WriteRune(nbsp)
			}
			b.WriteRune(r)
		case r == ' ' && unicode.IsDigit(lastOut()) && thousandsFollow(runes[i+1:]):
			// 1 400 € → thousands separated by a narrow no-break space.
			b.WriteRune(nnbsp)
		case r == ' ' && unicode.IsDigit(lastOut()) && unitFollows(runes[i+1:]):
			// 14 h, 40 km: a number stays with its unit.
			b.WriteRune(nbsp)
		default:
			b.WriteRune(r)
		}
	}
	out := b.String()
	if r, _ := utf8.DecodeLastRuneInString(out); r != utf8.RuneError {
		t.prev = r
	}
	return out
}

// mergeTexts joins the text children of n that follow each other in the source: the parser cuts text
// at characters that might open markup ("!" might open an image), and "ensemble !" would reach the
// typographer as "ensemble " then "!", the space out of its reach.
func mergeTexts(n ast.Node) {
	for c := n.FirstChild(); c != nil; {
		a, ok := c.(*ast.Text)
		b, ok2 := c.NextSibling().(*ast.Text)
		if !ok || !ok2 || a.IsRaw() || b.IsRaw() || a.SoftLineBreak() || a.HardLineBreak() || a.Segment.Stop != b.Segment.Start {
			c = c.NextSibling()
			continue
		}
		a.Segment = a.Segment.WithStop(b.Segment.Stop)
		a.SetSoftLineBreak(b.SoftLineBreak())
		a.SetHardLineBreak(b.HardLineBreak())
		n.RemoveChild(n, b)
	}
}

// units are the symbols a number is kept with, on one line, when they follow it as a word.
var units = []string{"h", "min", "s", "ms", "km", "m", "cm", "mm", "kg", "g", "mg", "l", "L", "cl", "ml", "mL", "ha",
	"°C", "°", "Go", "Mo", "Ko", "ko", "To", "px", "k€", "$", "£", "bar", "W", "kW", "kWh", "V"}

// unitFollows reports whether rs starts with a unit symbol standing as a word: "h 30", "km." but not
// "heures" or "maisons".
func unitFollows(rs []rune) bool {
	end := 0
	for end < len(rs) && (unicode.IsLetter(rs[end]) || rs[end] == '°' || rs[end] == '€' || rs[end] == '$' || rs[end] == '£') {
		end++
	}
	if end == 0 || end < len(rs) && unicode.IsDigit(rs[end]) {
		return false
	}
	word := string(rs[:end])
	for _, u := range units {
		if word == u {
			return true
		}
	}
	return false
}

// needsTypography reports whether s holds anything a rule applies to; most runs of text do not, and
// they are returned as they are without being rebuilt rune by rune.
func needsTypography(s string, french bool) bool {
	if strings.Contains(s, "...") || strings.Contains(s, "  ") {
		return true
	}
	for i := 0; i < len(s); i++ {
		switch c := s[i]; c {
		case '\'', '"':
			return true
		case ':', ';', '!', '?', '%':
			if french {
				return true
			}
		case ' ':
			// A space after a digit may separate thousands, or a number from its unit.
			if french && i > 0 && i+1 < len(s) && isDigit(s[i-1]) {
				return true
			}
		case 0xc2, 0xe2: // first bytes of « » (U+00AB, U+00BB) and € (U+20AC)
			if french && (strings.HasPrefix(s[i:], "«") || strings.HasPrefix(s[i:], "»") || strings.HasPrefix(s[i:], "€")) {
				return true
			}
		}
	}
	return false
}

func isDigit(c byte) bool { return '0' <= c && c <= '9' }

// thousandsFollow reports whether rs starts with exactly three digits followed by a non-digit: the rest
// of a number written with a space between thousands.
func thousandsFollow(rs []rune) bool {
	if len(rs) < 3 {
		return false
	}
	for _, r := range rs[:3] {
		if !unicode.IsDigit(r) {
			return false
		}
	}
	return len(rs) == 3 || !unicode.IsDigit(rs[3])
}

// typographyTransformer applies Typography to the text of every block, never to code, URLs, raw HTML or
// attributes: only ast.Text nodes outside code spans and links' destinations are touched.
type typographyTransformer struct {
	lang string
}

func (tt typographyTransformer) Transform(doc *ast.Document, reader text.Reader, pc parser.Context) {
	src := reader.Source()
	var current ast.Node // the block whose text is being walked
	var t *typographer
	// Nodes are replaced once the walk is over: replacing a node during the walk would end the walk
	// of its siblings.
	type swap struct{ old, new ast.Node }
	var swaps []swap
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch n.Kind() {
		case ast.KindCodeSpan, ast.KindCodeBlock, ast.KindFencedCodeBlock, ast.KindHTMLBlock,
			ast.KindRawHTML, ast.KindAutoLink:
			if t != nil {
				t.prev = 'x' // something was written: a space after it is no double space
			}
			return ast.WalkSkipChildren, nil
		}
		if n.Kind() != ast.KindText {
			mergeTexts(n) // before its children are walked
		}
		if n.Type() == ast.TypeBlock {
			current, t = n, &typographer{french: isFrench(tt.lang)}
			return ast.WalkContinue, nil
		}
		txt, ok := n.(*ast.Text)
		if !ok || current == nil || txt.IsRaw() {
			return ast.WalkContinue, nil
		}
		seg := txt.Segment
		before := string(seg.Value(src))
		after := t.apply(before)
		if txt.SoftLineBreak() {
			t.prev = '\n'
		}
		if after == before || txt.HardLineBreak() {
			// A hard break is kept by leaving its node as it is: rare next to punctuation.
			return ast.WalkContinue, nil
		}
		s := ast.NewString([]byte(after))
		if txt.SoftLineBreak() {
			s.Value = append(s.Value, '\n')
		}
		swaps = append(swaps, swap{n, s})
		return ast.WalkContinue, nil
	})
	for _, sw := range swaps {
		sw.old.Parent().ReplaceChild(sw.old.Parent(), sw.old, sw.new)
	}
}

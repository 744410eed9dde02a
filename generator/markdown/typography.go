package markdown

import (
	"bytes"
	"slices"
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

// typographer carries the state that spans the text nodes of one block: whether a double quote is open.
type typographer struct {
	french    bool
	quoteOpen bool
	prev      rune // last rune of the previous text node of the block, 0 at its start
}

// apply transforms one run of text. It reads the previous text's last rune to decide spacing and
// quotes across inline markup ("*Bonjour*!" ends one node with "r" and starts the next with "!").
func (t *typographer) apply(s string) string {
	if !needsTypography(s, t.french) {
		if r, _ := utf8.DecodeLastRuneInString(s); r != utf8.RuneError {
			t.prev = r
		}
		return s
	}
	return string(t.rewrite(s))
}

// rewrite applies the rules to a text that needsTypography, and returns the new text.
func (t *typographer) rewrite(s string) []byte {
	s = strings.ReplaceAll(s, "...", "…")
	// No double spaces, before the rules that look at the neighbours of a space.
	for strings.Contains(s, "  ") {
		s = strings.ReplaceAll(s, "  ", " ")
	}
	b := make([]byte, 0, len(s)+8)
	prevOut := t.prev // last rune written, across nodes
	lastOut := func() rune {
		if len(b) == 0 {
			return prevOut
		}
		r, _ := utf8.DecodeLastRune(b)
		return r
	}
	// dropSpace removes a plain or no-break space just written, so that the right one can follow.
	dropSpace := func() {
		r, size := utf8.DecodeLastRune(b)
		if r == ' ' || r == nbsp || r == nnbsp || r == '\u2009' {
			b = b[:len(b)-size]
		}
	}
	consumed := -1 // where a space lies that the quote before it replaced
	for i := 0; i < len(s); {
		at := i
		r, size := utf8.DecodeRuneInString(s[i:])
		i += size
		var next rune
		if i < len(s) {
			next, _ = utf8.DecodeRuneInString(s[i:])
		}
		if at == consumed {
			continue
		}
		switch {
		case r == ' ' && (lastOut() == ' ' || lastOut() == nbsp || lastOut() == nnbsp):
			// No double spaces.
			continue
		case r == '\'':
			b = append(b, "’"...)
		case r == '"':
			opening := !t.quoteOpen
			t.quoteOpen = !t.quoteOpen
			switch {
			case t.french && opening:
				b = append(b, "«\u202f"...)
				if next == ' ' {
					consumed = i // the space after « is replaced
				}
			case t.french:
				dropSpace()
				b = append(b, "\u202f»"...)
			case opening:
				b = append(b, "“"...)
			default:
				b = append(b, "”"...)
			}
		case !t.french:
			b = utf8.AppendRune(b, r)
		case r == '«':
			b = append(b, "«"...)
			if next == ' ' || next == nbsp {
				consumed = i
			}
			if next != nnbsp {
				b = utf8.AppendRune(b, nnbsp)
			}
		case r == '»':
			prev := lastOut()
			if prev != nnbsp {
				dropSpace()
				b = utf8.AppendRune(b, nnbsp)
			}
			b = append(b, "»"...)
		case r == ';' || r == '!' || r == '?':
			prev := lastOut()
			switch {
			case prev == nnbsp || prev == '!' || prev == '?' || prev == 0 || prev == '(' || prev == '\n':
			case prev == ' ' || prev == nbsp:
				dropSpace()
				b = utf8.AppendRune(b, nnbsp)
			case unicode.IsLetter(prev) || unicode.IsDigit(prev) || prev == '»' || prev == ')' || prev == '…' || prev == '’':
				// "Bonjour!" → "Bonjour !": but not in "Yahoo!" brand-like words followed by a letter.
				if next == 0 || next == ' ' || next == '\n' || next == '!' || next == '?' || unicode.IsPunct(next) {
					b = utf8.AppendRune(b, nnbsp)
				}
			}
			b = append(b, byte(r))
		case r == ':':
			prev := lastOut()
			switch {
			case unicode.IsDigit(prev) && unicode.IsDigit(next):
				// A time (10:30) or a ratio: untouched.
			case prev == nbsp || prev == 0 || prev == '\n':
			case prev == ' ' || prev == nnbsp:
				dropSpace()
				b = utf8.AppendRune(b, nbsp)
			case (unicode.IsLetter(prev) || unicode.IsDigit(prev) || prev == '»' || prev == ')') && (next == ' ' || next == 0 || next == '\n'):
				b = utf8.AppendRune(b, nbsp)
			}
			b = append(b, ':')
		case r == '%' || r == '€':
			prev := lastOut()
			if prev == ' ' || prev == nnbsp {
				dropSpace()
				b = utf8.AppendRune(b, nbsp)
			} else if unicode.IsDigit(prev) {
				b = utf8.AppendRune(b, nbsp)
			}
			b = utf8.AppendRune(b, r)
		case r == ' ' && unicode.IsDigit(lastOut()) && thousandsFollow(s[i:]):
			// 1 400 € → thousands separated by a narrow no-break space.
			b = utf8.AppendRune(b, nnbsp)
		case r == ' ' && unicode.IsDigit(lastOut()) && unitFollows(s[i:]):
			// 14 h, 40 km: a number stays with its unit.
			b = utf8.AppendRune(b, nbsp)
		default:
			b = utf8.AppendRune(b, r)
		}
	}
	if r, _ := utf8.DecodeLastRune(b); r != utf8.RuneError {
		t.prev = r
	}
	return b
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

// unitFollows reports whether s starts with a unit symbol standing as a word: "h 30", "km." but not
// "heures" or "maisons".
func unitFollows(s string) bool {
	end := len(s)
	for i, r := range s {
		if !unicode.IsLetter(r) && r != '°' && r != '€' && r != '$' && r != '£' {
			end = i
			break
		}
	}
	if end == 0 {
		return false
	}
	if r, _ := utf8.DecodeRuneInString(s[end:]); end < len(s) && unicode.IsDigit(r) {
		return false
	}
	return slices.Contains(units, s[:end])
}

// typoBytes marks the bytes where something a rule applies to may start, in any language (typoAny) or
// in French only (typoFrench). Spaces are not marked: they are a sixth of the text, and needsTypography
// finds double spaces otherwise.
var typoBytes = func() (t [256]uint8) {
	for _, c := range "'\"." {
		t[c] = typoAny
	}
	for _, c := range ":;!?%0123456789" {
		t[c] = typoFrench
	}
	t[0xc2], t[0xe2] = typoFrench, typoFrench // first bytes of « » (U+00AB, U+00BB) and € (U+20AC)
	return t
}()

const (
	typoAny = 1 << iota
	typoFrench
)

// needsTypography reports whether s holds anything a rule applies to; most runs of text do not, and
// they are returned as they are without being rebuilt rune by rune. It runs on the whole text of every
// page: it reads s eight bytes at a time, and looks at each byte of a word only when the word holds a
// byte that typoBytes may mark (ASCII punctuation and digits, the first bytes of « » €), or two spaces.
func needsTypography[S ~string | ~[]byte](s S, french bool) bool {
	mask := uint8(typoAny)
	if french {
		mask |= typoFrench
	}
	const (
		ones  = 0x0101010101010101
		highs = 0x8080808080808080
		lows  = 0x7f7f7f7f7f7f7f7f
	)
	var lastSpace uint64 // the last byte of the previous word is a space
	i := 0
	for ; i+8 <= len(s); i += 8 {
		x := uint64(s[i]) | uint64(s[i+1])<<8 | uint64(s[i+2])<<16 | uint64(s[i+3])<<24 |
			uint64(s[i+4])<<32 | uint64(s[i+5])<<40 | uint64(s[i+6])<<48 | uint64(s[i+7])<<56
		// The high bit of each byte of x that is a space, then of each that follows a space.
		y := x ^ (' ' * ones)
		spaces := ^(((y & lows) + lows) | y | lows)
		if spaces&(spaces<<8|lastSpace) != 0 {
			return true // no double spaces
		}
		lastSpace = spaces >> 56
		// The ASCII bytes from 0x21 to 0x40 (punctuation and digits), and the bytes C2 and E2.
		punct := ((127+0x41)*ones - x&lows) &^ x & (x&lows + (127-0x20)*ones) & highs
		c2, e2 := x^(0xc2*ones), x^(0xe2*ones)
		lead := ((c2-ones)&^c2 | (e2-ones)&^e2) & highs
		if punct|lead == 0 {
			continue
		}
		for j := i; j < i+8; j++ {
			if typoBytes[s[j]]&mask != 0 && typoAt(s, j) {
				return true
			}
		}
	}
	prevSpace := lastSpace != 0
	for ; i < len(s); i++ {
		if s[i] == ' ' && prevSpace {
			return true
		}
		prevSpace = s[i] == ' '
		if typoBytes[s[i]]&mask != 0 && typoAt(s, i) {
			return true
		}
	}
	return false
}

// typoAt reports whether a rule may apply at s[i], a byte that typoBytes marks.
func typoAt[S ~string | ~[]byte](s S, i int) bool {
	switch s[i] {
	case '\'', '"':
		return true
	case '.':
		return i+2 < len(s) && s[i+1] == '.' && s[i+2] == '.'
	case '0', '1', '2', '3', '4', '5', '6', '7', '8', '9': // in French
		// A space after a digit, not ending s, may separate thousands, or a number from its unit.
		return i+2 < len(s) && s[i+1] == ' '
	case 0xc2: // « is C2 AB, » C2 BB
		return i+1 < len(s) && (s[i+1] == 0xab || s[i+1] == 0xbb)
	case 0xe2: // € is E2 82 AC
		return i+2 < len(s) && s[i+1] == 0x82 && s[i+2] == 0xac
	}
	return true // : ; ! ? %, in French
}

// thousandsFollow reports whether s starts with exactly three digits followed by a non-digit: the rest
// of a number written with a space between thousands.
func thousandsFollow(s string) bool {
	n := 0
	for _, r := range s {
		if !unicode.IsDigit(r) {
			break
		}
		if n++; n > 3 {
			return false
		}
	}
	return n == 3
}

// typographyTransformer applies Typography to the text of every block, never to code, URLs, raw HTML or
// attributes: only ast.Text nodes outside code spans and links' destinations are touched.
type typographyTransformer struct {
	lang string
}

func (tt typographyTransformer) Transform(doc *ast.Document, reader text.Reader, pc parser.Context) {
	src := reader.Source()
	french := isFrench(tt.lang)
	var current ast.Node // the block whose text is being walked
	var t typographer
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
			t.prev = 'x' // something was written: a space after it is no double space
			return ast.WalkSkipChildren, nil
		case ast.KindText:
		default:
			mergeTexts(n) // before its children are walked
		}
		if n.Type() == ast.TypeBlock {
			current, t = n, typographer{french: french}
			return ast.WalkContinue, nil
		}
		txt, ok := n.(*ast.Text)
		if !ok || current == nil || txt.IsRaw() {
			return ast.WalkContinue, nil
		}
		v := txt.Segment.Value(src)
		if !needsTypography(v, french) {
			// Most text: only its last rune matters to the text that follows.
			if r, _ := utf8.DecodeLastRune(v); r != utf8.RuneError {
				t.prev = r
			}
			if txt.SoftLineBreak() {
				t.prev = '\n'
			}
			return ast.WalkContinue, nil
		}
		after := t.rewrite(string(v))
		if txt.SoftLineBreak() {
			t.prev = '\n'
		}
		if bytes.Equal(after, v) || txt.HardLineBreak() {
			// A hard break is kept by leaving its node as it is: rare next to punctuation.
			return ast.WalkContinue, nil
		}
		s := ast.NewString(after)
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

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
// in French only (typoFrench). Spaces are not marked: they are a sixth of the text, and a branch taken
// at each of them costs more than needsTypography's arithmetic for double spaces.
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
// they are returned as they are without being rebuilt rune by rune. It reads s once, byte by byte: it
// runs on the whole text of every page.
func needsTypography[S ~string | ~[]byte](s S, french bool) bool {
	mask := uint8(typoAny)
	if french {
		mask |= typoFrench
	}
	var space, double uint8 // the previous byte is a space; two spaces follow each other
	for i := 0; i < len(s); i++ {
		c := s[i]
		var sp uint8
		if c == ' ' {
			sp = 1
		}
		double |= space & sp
		space = sp
		if typoBytes[c]&mask == 0 {
			continue
		}
		switch c {
		case '\'', '"':
			return true
		case '.':
			if i+2 < len(s) && s[i+1] == '.' && s[i+2] == '.' {
				return true
			}
		case '0', '1', '2', '3', '4', '5', '6', '7', '8', '9': // in French
			// A space after a digit, not ending s, may separate thousands, or a number from its unit.
			if i+2 < len(s) && s[i+1] == ' ' {
				return true
			}
		case 0xc2: // « is C2 AB, » C2 BB
			if i+1 < len(s) && (s[i+1] == 0xab || s[i+1] == 0xbb) {
				return true
			}
		case 0xe2: // € is E2 82 AC
			if i+2 < len(s) && s[i+1] == 0x82 && s[i+2] == 0xac {
				return true
			}
		default: // : ; ! ? %, in French
			return true
		}
	}
	return double != 0 // no double spaces
}

func isDigit(c byte) bool { return '0' <= c && c <= '9' }

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

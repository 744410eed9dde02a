package load

import (
	"bytes"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"time"

	"github.com/pelletier/go-toml/v2"
	"go.yaml.in/yaml/v3"
)

// SourceError is a problem in one source file, at a line when known.
type SourceError struct {
	File string
	Line int // 1-based; 0 when the whole file is concerned
	Msg  string
}

func (e *SourceError) Error() string {
	if e.Line > 0 {
		return fmt.Sprintf("%s:%d: %s", e.File, e.Line, e.Msg)
	}
	return fmt.Sprintf("%s: %s", e.File, e.Msg)
}

// document is a content file split into its front matter and its body.
type document struct {
	format    string // "yaml", "toml" or "" without front matter
	front     []byte
	body      []byte
	frontLine int // line of the first front-matter line
	bodyLine  int // line of the first body line
}

// split separates the front matter, fenced by "---" (YAML) or "+++" (TOML) lines, from the body.
func split(src []byte) (document, error) {
	src = bytes.TrimPrefix(src, []byte("\ufeff"))
	var delim, format string
	switch {
	case hasDelimLine(src, "---"):
		delim, format = "---", "yaml"
	case hasDelimLine(src, "+++"):
		delim, format = "+++", "toml"
	default:
		return document{body: src, bodyLine: 1}, nil
	}
	rest := src[bytes.IndexByte(src, '\n')+1:]
	line := 2
	for off := 0; off <= len(rest); {
		end := bytes.IndexByte(rest[off:], '\n')
		var l []byte
		next := len(rest) + 1
		if end >= 0 {
			l = rest[off : off+end]
			next = off + end + 1
		} else {
			l = rest[off:]
		}
		if string(bytes.TrimRight(l, " \t\r")) == delim {
			body := []byte{}
			if next <= len(rest) {
				body = rest[next:]
			}
			return document{format: format, front: rest[:off], body: body, frontLine: 2, bodyLine: line + 1}, nil
		}
		if end < 0 {
			break
		}
		off = next
		line++
	}
	return document{}, &SourceError{Line: 1, Msg: fmt.Sprintf("front matter opened with %q is never closed: add a %q line after it", delim, delim)}
}

func hasDelimLine(src []byte, delim string) bool {
	if !bytes.HasPrefix(src, []byte(delim)) {
		return false
	}
	rest := bytes.TrimLeft(src[len(delim):], " \t\r")
	return len(rest) > 0 && rest[0] == '\n'
}

var yamlLine = regexp.MustCompile(`(?:yaml: )?line (\d+): `)

// MaxFrontSize is the largest front matter read: metadata of a page is a few kilobytes, even with a
// gallery's captions; past this size (a million tags), its parsers alone would take seconds and
// hundreds of megabytes.
const MaxFrontSize = 1 << 20

// MaxYAMLValues bounds the values a YAML front matter gives once its aliases are expanded (*name
// repeats what &name holds): a few hundred bytes of aliases of aliases would otherwise give billions
// ("billion laughs").
const MaxYAMLValues = 100_000

// decode parses the front matter into a map. Its errors are said for people (see frontMessages), in
// French when the site's language lang is French, in English otherwise.
func (d document) decode(lang string) (map[string]any, error) {
	m := map[string]any{}
	if len(bytes.TrimSpace(d.front)) == 0 {
		return m, nil
	}
	if len(d.front) > MaxFrontSize {
		return nil, &SourceError{Line: d.frontLine, Msg: fmt.Sprintf("front matter of %.1f MB, more than the %d MB it may have: move long data to the page's body or to data/", float64(len(d.front))/(1<<20), MaxFrontSize>>20)}
	}
	switch d.format {
	case "yaml":
		var node yaml.Node
		err := yaml.Unmarshal(d.front, &node)
		if err == nil {
			var v any
			budget := MaxYAMLValues
			if v, err = fromYAML(&node, &budget); err == nil {
				var ok bool
				if m, ok = v.(map[string]any); !ok && v != nil {
					return nil, &SourceError{Line: d.frontLine, Msg: "front matter (YAML) must be a set of key: value lines"}
				}
				if m == nil {
					m = map[string]any{}
				}
			}
		}
		if err != nil {
			msg := err.Error()
			n := 0
			if sm := yamlLine.FindStringSubmatchIndex(msg); sm != nil {
				fmt.Sscanf(msg[sm[2]:sm[3]], "%d", &n)
				// About an unclosed [ or {, the YAML library names the line where the enclosing
				// mapping starts: point at the bracket instead.
				if _, closer, ok := strings.Cut(msg, "did not find expected ',' or '"); ok && closer != "" {
					n = unclosed(d.front, n-1, closer[0])
				}
				msg = msg[:sm[0]] + msg[sm[1]:]
			}
			msg = strings.TrimPrefix(msg, "yaml: ")
			n, msg = explainYAML(d.front, n, msg, lang)
			return nil, &SourceError{Line: d.frontLine + n - 1, Msg: fmt.Sprintf(frontMessages[messageLang(lang)]["prefix"], "YAML") + msg}
		}
	case "toml":
		if err := toml.Unmarshal(d.front, &m); err != nil {
			var de *toml.DecodeError
			if errors.As(err, &de) {
				row, _ := de.Position()
				row, msg := explainTOML(d.front, row, strings.TrimPrefix(de.Error(), "toml: "), lang)
				return nil, &SourceError{Line: d.frontLine + row - 1, Msg: fmt.Sprintf(frontMessages[messageLang(lang)]["prefix"], "TOML") + msg}
			}
			return nil, &SourceError{Line: d.frontLine, Msg: "front matter (TOML): " + err.Error()}
		}
	}
	return m, nil
}

// unclosed returns the 1-based line, from line from (0-based) on, where more brackets open than close
// (closer is ']' or '}'); from+1 when there is none.
func unclosed(front []byte, from int, closer byte) int {
	opener := byte('[')
	if closer == '}' {
		opener = '{'
	}
	for i, l := range bytes.Split(front, []byte("\n")) {
		if i >= from && bytes.Count(l, []byte{opener}) > bytes.Count(l, []byte{closer}) {
			return i + 1
		}
	}
	return from + 1
}

// fromYAML converts a YAML node to Go values. Timestamps stay text, so that toTime reads a date without
// an offset in the site's time zone (the YAML library would put it in UTC). Each value made takes one
// from budget; when none is left, the error names the line of the alias being expanded, or of the value.
func fromYAML(n *yaml.Node, budget *int) (any, error) {
	if *budget--; *budget < 0 {
		return nil, fmt.Errorf("line %d: more than %d values, once aliases are expanded: is an alias (*name) repeated in itself?", n.Line, MaxYAMLValues)
	}
	switch n.Kind {
	case yaml.DocumentNode:
		if len(n.Content) == 0 {
			return nil, nil
		}
		return fromYAML(n.Content[0], budget)
	case yaml.MappingNode:
		m := make(map[string]any, len(n.Content)/2)
		for i := 0; i+1 < len(n.Content); i += 2 {
			key, err := yamlKey(n.Content[i])
			if err != nil {
				return nil, err
			}
			v, err := fromYAML(n.Content[i+1], budget)
			if err != nil {
				return nil, err
			}
			m[key] = v
		}
		return m, nil
	case yaml.SequenceNode:
		s := make([]any, 0, len(n.Content))
		for _, c := range n.Content {
			v, err := fromYAML(c, budget)
			if err != nil {
				return nil, err
			}
			s = append(s, v)
		}
		return s, nil
	case yaml.AliasNode:
		v, err := fromYAML(n.Alias, budget)
		if err != nil && !strings.HasPrefix(err.Error(), "line ") {
			return nil, err
		}
		if err != nil {
			// Named at the outermost alias: the one written where the value is used.
			return nil, fmt.Errorf("line %d: %s", n.Line, strings.SplitN(err.Error(), ": ", 2)[1])
		}
		return v, nil
	case yaml.ScalarNode:
		// Text is its Value, as Decode would give it; decoding it would cost a decoder per value.
		if tag := n.ShortTag(); tag == "!!timestamp" || tag == "!!str" {
			return n.Value, nil
		}
	}
	var v any
	err := n.Decode(&v)
	return v, err
}

// yamlKey returns the key of a mapping entry as text.
func yamlKey(n *yaml.Node) (string, error) {
	if n.Kind == yaml.ScalarNode && n.ShortTag() == "!!str" {
		return n.Value, nil // what Decode gives, without a decoder
	}
	var key string
	err := n.Decode(&key)
	return key, err
}

// keyLine finds the line where a top-level front-matter key is set, for error messages.
func (d document) keyLine(key string) int {
	re := regexp.MustCompile(`(?i)^["']?` + regexp.QuoteMeta(key) + `["']?\s*[:=]`)
	for i, l := range strings.Split(string(d.front), "\n") {
		if re.MatchString(l) {
			return d.frontLine + i
		}
	}
	return d.frontLine
}

// dateLayouts are the date forms accepted in front matter: every form Hugo accepts (those of the cast
// library it uses, in its order), and a few more. Without an offset, a date is in the site's time zone.
var dateLayouts = []string{
	time.RFC3339Nano,
	"2006-01-02T15:04:05",
	time.RFC1123Z,
	time.RFC1123,
	time.RFC822Z,
	time.RFC822,
	time.RFC850,
	"2006-01-02 15:04:05.999999999 -0700 MST",
	"2006-01-02T15:04:05-0700",
	"2006-01-02 15:04:05Z0700",
	"2006-01-02 15:04:05",
	time.ANSIC,
	time.UnixDate,
	time.RubyDate,
	"2006-01-02 15:04:05Z07:00",
	"2006-01-02",
	"02 Jan 2006",
	"2006-01-02 15:04:05 -07:00",
	"2006-01-02 15:04:05 -0700",
	"2006-01-02T15:04",
	"2006-01-02 15:04",
	"2006-01-02T15:04:05.999999999",
	"2006-01-02 15:04:05.999999999",
}

// toTime converts a front-matter value to a time in loc when it has no offset of its own.
func toTime(v any, loc *time.Location) (time.Time, error) {
	switch t := v.(type) {
	case time.Time:
		return t, nil
	case toml.LocalDate:
		return time.Date(t.Year, time.Month(t.Month), t.Day, 0, 0, 0, 0, loc), nil
	case toml.LocalDateTime:
		return t.AsTime(loc), nil
	case string:
		s := strings.TrimSpace(t)
		if s == "" {
			return time.Time{}, nil // Hugo reads an empty date as no date
		}
		for _, layout := range dateLayouts {
			if tt, err := time.ParseInLocation(layout, s, loc); err == nil {
				return tt, nil
			}
		}
		return time.Time{}, fmt.Errorf("%q is not a date: write it as 2026-03-14 or 2026-03-14T09:30:00+01:00", s)
	}
	return time.Time{}, fmt.Errorf("%v is not a date: write it as 2026-03-14 or 2026-03-14T09:30:00+01:00", v)
}

// isDateOnly reports whether a front-matter date has no time of day: an all-day event.
func isDateOnly(v any) bool {
	switch t := v.(type) {
	case toml.LocalDate:
		return true
	case string:
		_, err := time.Parse("2006-01-02", strings.TrimSpace(t))
		return err == nil
	}
	return false
}

func toString(v any) (string, error) {
	switch s := v.(type) {
	case string:
		return s, nil
	case int, int64, uint64, float64, bool:
		return fmt.Sprint(s), nil
	}
	return "", fmt.Errorf("expected text, got %T", v)
}

func toStrings(v any) ([]string, error) {
	switch s := v.(type) {
	case string:
		if s == "" {
			return nil, nil
		}
		return []string{s}, nil
	case []any:
		out := make([]string, 0, len(s))
		for _, e := range s {
			str, err := toString(e)
			if err != nil {
				return nil, fmt.Errorf("expected a list of text: %w", err)
			}
			if str = strings.TrimSpace(str); str != "" {
				out = append(out, str)
			}
		}
		return out, nil
	}
	return nil, fmt.Errorf("expected a list of text, got %T", v)
}

func toBool(v any) (bool, error) {
	switch b := v.(type) {
	case bool:
		return b, nil
	case string:
		switch strings.ToLower(b) {
		case "true", "yes", "oui", "1", "t":
			return true, nil
		case "false", "no", "non", "", "0", "f":
			return false, nil
		}
	}
	return false, fmt.Errorf("expected true or false, got %v", v)
}

func toInt(v any) (int, error) {
	switch n := v.(type) {
	case int:
		return n, nil
	case int64:
		return int(n), nil
	case uint64:
		return int(n), nil
	case float64:
		if n == float64(int(n)) {
			return int(n), nil
		}
	}
	return 0, fmt.Errorf("expected a whole number, got %v", v)
}

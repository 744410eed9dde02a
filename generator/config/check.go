package config

import (
	"bufio"
	"bytes"
	"fmt"
	"net/mail"
	"net/url"
	"slices"
	"strings"
)

// CheckBaseURL reports whether s can be the address of the site: an absolute http or https URL with a
// host, no user, query nor fragment, and a path of plain URL characters. The base URL is written into
// every page, feed, sitemap, robots.txt, calendar and JSON-LD block, in attributes and in text: a quote,
// a space, an angle bracket or a line break there would end an attribute or a line and write markup or
// properties of its own. Such a URL is refused rather than repaired, so that what is published is what
// was written (spaces and accents in a path are written percent-encoded: "/mon%20site/").
func CheckBaseURL(s string) error {
	if i := strings.IndexFunc(s, func(r rune) bool { return r < 0x21 || r >= 0x7f }); i >= 0 {
		return fmt.Errorf("baseURL %q holds a space, a line break or a character outside ASCII at byte %d: write it percent-encoded (%%20 for a space)", s, i)
	}
	if i := strings.IndexAny(s, "\"'<>\\`{}|^"); i >= 0 {
		return fmt.Errorf("baseURL %q holds %q, which a URL cannot carry as is: remove it or write it percent-encoded", s, s[i])
	}
	u, err := url.Parse(s)
	if err != nil {
		return fmt.Errorf("baseURL %q is not a URL: give the address of the deployed site, e.g. \"https://example.org/\"", s)
	}
	switch {
	case u.Scheme != "http" && u.Scheme != "https":
		return fmt.Errorf("baseURL %q is not an absolute http(s) URL: give the address of the deployed site, e.g. \"https://example.org/\"", s)
	case u.Host == "" || u.Opaque != "":
		return fmt.Errorf("baseURL %q is not an absolute http(s) URL (it has no host): write it as \"https://example.org/\"", s)
	case u.User != nil:
		return fmt.Errorf("baseURL %q holds a user name or password: remove it", s)
	case u.RawQuery != "" || u.ForceQuery || u.Fragment != "" || strings.ContainsAny(s, "?#"):
		return fmt.Errorf("baseURL %q has a query or a fragment (after ? or #): the site's address is a host and a path", s)
	}
	if !validHost(u.Host) {
		return fmt.Errorf("baseURL %q: %q is not a host name (letters, digits, dots and hyphens, then an optional :port)", s, u.Host)
	}
	raw := strings.TrimPrefix(s, u.Scheme+"://"+u.Host)
	for i := 0; i < len(raw); i++ {
		if c := raw[i]; !pathByte(c) {
			return fmt.Errorf("baseURL %q: the path holds %q, which a URL path cannot carry as is", s, c)
		} else if c == '%' && (i+2 >= len(raw) || !isHex(raw[i+1]) || !isHex(raw[i+2])) {
			return fmt.Errorf("baseURL %q: a %% that does not start a percent-encoded byte", s)
		}
	}
	return nil
}

// validHost reports whether host is a DNS name, an IPv4 address or a bracketed IPv6 address, with an
// optional port.
func validHost(host string) bool {
	name, port := host, ""
	if strings.HasPrefix(host, "[") {
		end := strings.IndexByte(host, ']')
		if end < 0 {
			return false
		}
		for _, c := range host[1:end] {
			if !isHex(byte(c)) && c != ':' && c != '.' {
				return false
			}
		}
		name, port = "x", strings.TrimPrefix(host[end+1:], ":")
		if host[end+1:] != "" && !strings.HasPrefix(host[end+1:], ":") {
			return false
		}
	} else if i := strings.LastIndexByte(host, ':'); i >= 0 {
		name, port = host[:i], host[i+1:]
		if port == "" {
			return false
		}
	}
	for i := 0; i < len(port); i++ {
		if port[i] < '0' || port[i] > '9' {
			return false
		}
	}
	if name == "" || len(name) > 253 || strings.HasPrefix(name, ".") || strings.HasPrefix(name, "-") {
		return false
	}
	for i := 0; i < len(name); i++ {
		c := name[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '.' || c == '-' || c == '_') {
			return false
		}
	}
	return true
}

// pathByte reports whether c may stand as is in the decoded path of a base URL: RFC 3986's unreserved
// characters, "/" and the sub-delimiters that no output context (HTML attribute, XML, JSON, iCalendar,
// robots.txt) gives a meaning to.
func pathByte(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' ||
		strings.IndexByte("-._~/!$()*+,;=:@%", c) >= 0
}

func isHex(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F'
}

// checkEmail reports whether s, when set, is a plain e-mail address ("nom@example.org"): the calendars
// write it in ORGANIZER and the pages in a mailto: link, where a line break would add lines of its own.
func checkEmail(s string) error {
	if s == "" {
		return nil
	}
	if strings.ContainsFunc(s, func(r rune) bool { return r < 0x21 || r == 0x7f }) {
		return fmt.Errorf("%q holds a space or a line break: write the address alone, e.g. \"nom@example.org\"", s)
	}
	a, err := mail.ParseAddress(s)
	if err != nil || a.Address != s || a.Name != "" || strings.ContainsAny(s, "\"<>()[]\\,;:") {
		return fmt.Errorf("%q is not an e-mail address: write the address alone, e.g. \"nom@example.org\"", s)
	}
	return nil
}

// authors lists [author] and each [languages.LANG.author], with the table each is read from.
func (c *Config) authors() []struct {
	table  string
	author Author
} {
	out := []struct {
		table  string
		author Author
	}{{"author", c.Author}}
	codes := make([]string, 0, len(c.Languages))
	for code := range c.Languages {
		codes = append(codes, code)
	}
	slices.Sort(codes)
	for _, code := range codes {
		out = append(out, struct {
			table  string
			author Author
		}{"languages." + code + ".author", c.Languages[code].Author})
	}
	return out
}

// at names the file and, when it can be found, the line where key is set in table ("" for the top
// level): "vitrine.toml:3". go-toml reports no position for values it decoded without error, so the
// line is found by reading the file as TOML lays it out: [table] headers, then key = value lines, or
// dotted keys (table.key = value) at the top.
func at(name string, data []byte, table, key string) string {
	if line := keyLine(data, table, key); line > 0 {
		return fmt.Sprintf("%s:%d", name, line)
	}
	return name
}

func keyLine(data []byte, table, key string) int {
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(nil, len(data)+1)
	current := ""
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if strings.HasPrefix(line, "[") {
			h := strings.Trim(line, "[] \t")
			if i := strings.IndexByte(h, '#'); i >= 0 {
				h = strings.TrimRight(strings.Trim(h[:i], "[] \t"), "]")
			}
			current = unquoteKey(h)
			continue
		}
		k, _, ok := strings.Cut(line, "=")
		if !ok {
			continue
		}
		full := unquoteKey(k)
		if current != "" {
			full = current + "." + full
		}
		want := key
		if table != "" {
			want = table + "." + key
		}
		if full == want {
			return n
		}
	}
	return 0
}

// unquoteKey turns a TOML key as written (` "author" . email `) into a dotted path ("author.email").
func unquoteKey(k string) string {
	parts := strings.Split(k, ".")
	for i, p := range parts {
		parts[i] = strings.Trim(strings.TrimSpace(p), `"'`)
	}
	return strings.Join(parts, ".")
}

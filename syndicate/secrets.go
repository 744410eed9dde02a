package syndicate

import (
	"encoding/base64"
	"encoding/json"
	"errors"
	"html"
	"io"
	"net/url"
	"os"
	"slices"
	"strings"
	"sync"
)

// Secrets is the set of credentials a run holds: the tokens and passwords read from the environment and
// the session tokens a network hands out while it runs. It is the one place secrets are scrubbed from:
// every network client passes the errors it forms through Error, registers each credential with Add as
// soon as it has it, and the command writes its output through Writer. A server may echo anything it was
// sent (the request line, its headers, its body) in an error: whatever the text, a registered secret comes
// out as "***", in its raw form and in the encodings a server would echo it in (JSON, URL, HTML, base64).
//
// The zero value is an empty set, ready to use; a nil *Secrets scrubs nothing. It is safe for concurrent
// use.
type Secrets struct {
	mu      sync.RWMutex
	secrets []string // the secrets, longest first, so that one holding another is replaced whole
	forms   []string // every form each secret is scrubbed in, longest first
}

// minSecret is the length under which a value is not taken as a secret: replacing every "a" or "ab" in a
// message would make it unreadable and hide nothing worth hiding.
const minSecret = 6

// Redacted replaces a secret in scrubbed text.
const Redacted = "***"

// Add registers secrets; empty and very short values (under 6 bytes) are ignored.
func (s *Secrets) Add(secrets ...string) {
	if s == nil {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, v := range secrets {
		v = strings.TrimSpace(v)
		if len(v) < minSecret || slices.Contains(s.secrets, v) {
			continue
		}
		s.secrets = append(s.secrets, v)
		for _, f := range forms(v) {
			if len(f) >= minSecret && !slices.Contains(s.forms, f) {
				s.forms = append(s.forms, f)
			}
		}
	}
	slices.SortStableFunc(s.forms, func(a, b string) int { return len(b) - len(a) })
}

// forms are the ways v may come back in a server's answer: as is, escaped in a JSON string, URL-encoded
// in a query or a form body, HTML-escaped, and base64-encoded (a Basic Authorization header).
func forms(v string) []string {
	out := []string{v, url.QueryEscape(v), url.PathEscape(v), html.EscapeString(v),
		base64.StdEncoding.EncodeToString([]byte(v)), base64.RawURLEncoding.EncodeToString([]byte(v))}
	// In a JSON string: Go escapes <, > and & too, most encoders do not, some (PHP's) escape "/".
	for _, escapeHTML := range []bool{true, false} {
		var b strings.Builder
		enc := json.NewEncoder(&b)
		enc.SetEscapeHTML(escapeHTML)
		if enc.Encode(v) == nil {
			quoted := strings.TrimSpace(b.String())
			inner := quoted[1 : len(quoted)-1]
			out = append(out, inner, strings.ReplaceAll(inner, "/", `\/`))
		}
	}
	return out
}

// AddEnv registers the value of each named environment variable, and of every variable whose name says
// it holds a credential (TOKEN, SECRET, PASSWORD, PASSWD, JWT, CREDENTIAL, API_KEY, ACCESS_KEY,
// PRIVATE_KEY, in any case): a CI job's own tokens are scrubbed as well as vitrine's.
func (s *Secrets) AddEnv(names ...string) {
	for _, n := range names {
		s.Add(os.Getenv(n))
	}
	for _, kv := range os.Environ() {
		name, value, _ := strings.Cut(kv, "=")
		if credentialName(name) {
			s.Add(value)
		}
	}
}

func credentialName(name string) bool {
	n := strings.ToUpper(name)
	for _, w := range []string{"TOKEN", "SECRET", "PASSWORD", "PASSWD", "JWT", "CREDENTIAL", "APIKEY", "API_KEY", "ACCESS_KEY", "PRIVATE_KEY"} {
		if strings.Contains(n, w) {
			return true
		}
	}
	return false
}

// Scrub returns text with every registered secret replaced by "***".
func (s *Secrets) Scrub(text string) string {
	if s == nil {
		return text
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	for _, f := range s.forms {
		if strings.Contains(text, f) {
			text = strings.ReplaceAll(text, f, Redacted)
		}
	}
	return text
}

// Error returns err with every secret scrubbed from its text. An error whose text holds none is returned
// as is, wrapped errors and all. One that held a secret becomes a new error with the clean text, still a
// *RetryableError with the same wait when it was one, and still matching context.Canceled and
// context.DeadlineExceeded: what callers test errors for. Other wrapped errors are dropped, since their
// own text holds the secret.
func (s *Secrets) Error(err error) error {
	if err == nil || s == nil {
		return err
	}
	text := err.Error()
	clean := s.Scrub(text)
	if clean == text {
		return err
	}
	out := error(&scrubbed{text: clean, err: err})
	var re *RetryableError
	if errors.As(err, &re) {
		out = &RetryableError{Err: out, After: re.After}
	}
	return out
}

// scrubbed is an error whose text was cleaned; it matches the sentinel errors the original matched.
type scrubbed struct {
	text string
	err  error
}

func (e *scrubbed) Error() string { return e.text }

// Is reports whether the original error is target, for sentinel errors (context.Canceled, io.EOF,
// fs.ErrNotExist): they hold no secret. errors.As does not reach the original, whose fields might.
func (e *scrubbed) Is(target error) bool { return errors.Is(e.err, target) }

// Writer returns a writer that scrubs what it writes to w. Each Write is scrubbed whole: vitrine writes
// its output a line or more at a time, so a secret is never split across two writes.
func (s *Secrets) Writer(w io.Writer) io.Writer { return &scrubWriter{s: s, w: w} }

type scrubWriter struct {
	s *Secrets
	w io.Writer
}

func (sw *scrubWriter) Write(p []byte) (int, error) {
	clean := sw.s.Scrub(string(p))
	if _, err := io.WriteString(sw.w, clean); err != nil {
		return 0, err
	}
	return len(p), nil
}

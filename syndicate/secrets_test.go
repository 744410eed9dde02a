package syndicate

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"
)

func TestSecretsScrub(t *testing.T) {
	var s Secrets
	pw := `pass<word>&"quote"/x`
	s.Add(pw, "abc", "", "  ") // the short and empty ones are not secrets
	for _, echo := range []string{
		"raw " + pw,
		`json "pass\u003cword\u003e\u0026\"quote\"/x"`,   // Go's encoding/json
		`php "pass<word>&\"quote\"\/x"`,                  // an encoder that escapes "/"
		"form password=pass%3Cword%3E%26%22quote%22%2Fx", // a form body
		"html pass&lt;word&gt;&amp;&#34;quote&#34;/x",
		"basic " + "cGFzczx3b3JkPiYicXVvdGUiL3g=",
	} {
		if got := s.Scrub(echo); strings.Contains(got, "quote") || !strings.Contains(got, Redacted) {
			t.Errorf("Scrub(%q) = %q", echo, got)
		}
	}
	if got := s.Scrub("abc stays"); got != "abc stays" {
		t.Errorf("a 3-byte value was taken as a secret: %q", got)
	}

	// A secret that holds another is replaced whole.
	s.Add("tok-12345", "tok-12345-refresh")
	if got := s.Scrub("a tok-12345-refresh b"); got != "a *** b" {
		t.Errorf("nested secrets: %q", got)
	}

	var nilSet *Secrets
	if nilSet.Scrub("x tok-12345") != "x tok-12345" || nilSet.Error(context.Canceled) != context.Canceled {
		t.Error("a nil set must scrub nothing")
	}
}

func TestSecretsError(t *testing.T) {
	var s Secrets
	s.Add("s3cr3t-value")
	err := s.Error(&RetryableError{Err: errors.New("token s3cr3t-value refused"), After: time.Second})
	var re *RetryableError
	if !errors.As(err, &re) || re.After != time.Second || strings.Contains(err.Error(), "s3cr3t") {
		t.Errorf("retryable: %v", err)
	}
	err = s.Error(fmt.Errorf("POST with s3cr3t-value: %w", context.Canceled))
	if !errors.Is(err, context.Canceled) || strings.Contains(err.Error(), "s3cr3t") {
		t.Errorf("cancelled: %v", err)
	}
	plain := errors.New("nothing to hide")
	if s.Error(plain) != plain {
		t.Error("an error without a secret must be returned as is")
	}
}

func TestSecretsWriterAndEnv(t *testing.T) {
	t.Setenv("CI_JOB_TOKEN", "glcbt-64-job-token")
	t.Setenv("MY_API_KEY", "key-0123456789")
	t.Setenv("VITRINE_MASTODON_TOKEN", "mastodon-token-xyz")
	t.Setenv("HOME_DIR_PLAIN", "/home/camille")
	var s Secrets
	s.AddEnv("VITRINE_MASTODON_TOKEN")
	var b strings.Builder
	w := s.Writer(&b)
	fmt.Fprintf(w, "a glcbt-64-job-token b key-0123456789 c mastodon-token-xyz d /home/camille\n")
	if got := b.String(); got != "a *** b *** c *** d /home/camille\n" {
		t.Errorf("writer: %q", got)
	}
	// A token received later is scrubbed from what is written after.
	s.Add("eyJhbGciOi.session")
	fmt.Fprintln(w, "Bearer eyJhbGciOi.session")
	if !strings.HasSuffix(b.String(), "Bearer ***\n") {
		t.Errorf("writer after Add: %q", b.String())
	}
}

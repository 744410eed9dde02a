package syndicate

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"
)

// RunOptions tune Run. The zero value is usable: real clock and sleep, 5 attempts.
type RunOptions struct {
	// Now is the clock for ledger times; time.Now when nil.
	Now func() time.Time
	// Sleep waits between attempts; it returns early with ctx's error. A timer when nil.
	Sleep func(ctx context.Context, d time.Duration) error
	// MaxAttempts is how many times a run sends a post before it records it as failed; 5 when 0.
	MaxAttempts int
	// BaseDelay is the wait after the first failed attempt, doubled after each next one; 2s when 0.
	BaseDelay time.Duration
	// MaxDelay caps the waits within a run. A server asking for a longer wait (Retry-After,
	// rate-limit reset) ends the run's attempts at once and the post waits for a later run; 5 minutes
	// when 0.
	MaxDelay time.Duration
	// MaxRuns is how many runs in a row a post may fail before it is recorded as given up; 8 when 0.
	MaxRuns int
	// RunDelay is how long a failed post waits before a later run tries it again, doubled after each
	// failed run up to a day (or what the server asked, up to a day); 15 minutes when 0.
	RunDelay time.Duration
	// WaitLive, when set, is called with an article's URL before its first post is sent (the deploy may
	// lag behind). On error, nothing is sent for the article and the ledger is left as it was, so that
	// the next run tries again. See WaitLive for an implementation.
	WaitLive func(ctx context.Context, url string) error
	// Log, when set, receives a line per retry, per lookup that found a post, and per post sent.
	Log io.Writer
}

// Outcome is what Run did with one post.
type Outcome struct {
	Network string `json:"network"`
	Article string `json:"article"`
	// State is the post's ledger state after the run: published, skipped, failed, unknown, gave up,
	// or pending when the run stopped before it knew (the next run looks it up before sending
	// anything). It is "" when the ledger was left untouched: no client for the network, or the
	// article not live.
	State string `json:"state"`
	URL   string `json:"url,omitempty"`
	// Error says why the post failed, or what to do about an unknown one; it never holds a secret.
	Error string `json:"error,omitempty"`
	// Sent is true when this run published the post, false when an earlier run (or another clone) had.
	Sent bool `json:"sent"`
	// Attempts counts the sends of this run.
	Attempts int `json:"attempts"`
}

// maxRunDelay caps the wait between two runs' attempts at a failed post.
const maxRunDelay = 24 * time.Hour

// Run publishes posts through targets (by network name) exactly once, recording every step in ledger.
//
// It holds ledger's lock for the whole run (unless the caller holds it) and re-reads the ledger once
// it has it, so that a run that opened the ledger before another one finished sees what that one did.
// For each post, in order:
//
//   - published, skipped or gave up in the ledger → nothing; failed with its next try not due yet →
//     nothing.
//   - unknown → looked up; recorded published if the network has it, otherwise left unknown: it is
//     never sent again until `vitrine syndicate mark` or `retry` resolves it.
//   - otherwise the post's key (Target.Key, derived from the post's identity: the same in every run
//     and every clone) is written to the ledger as pending, durably, and then, before every send, the
//     network is asked whether it holds the post (Target.Lookup): another run, another clone, or a send
//     whose answer was lost may have made it. Only a post the network does not have is sent.
//
// Errors worth retrying are retried with a growing wait, each retry logged and preceded by a lookup.
// A post whose send may have reached the network (no answer, a 5xx) on a network that cannot be asked
// (a webhook) is recorded unknown. A post that still fails is recorded failed, with when a later run
// may try again (RunDelay, doubled each run); after MaxRuns failed runs it is recorded as given up.
//
// The error is for what stops the whole run: the lock is held elsewhere, the ledger cannot be written,
// ctx is done. The outcomes of the posts handled until then are returned with it.
func Run(ctx context.Context, ledger *Ledger, targets map[string]Target, posts []Post, opts RunOptions) ([]Outcome, error) {
	opts = opts.withDefaults()
	if !ledger.held() {
		unlock, err := ledger.Lock()
		if err != nil {
			return nil, err
		}
		defer unlock()
	}
	live := map[string]error{}
	var outcomes []Outcome
	for _, p := range posts {
		if err := ctx.Err(); err != nil {
			return outcomes, err
		}
		o, err := runPost(ctx, ledger, targets[p.Network], p, opts, live)
		outcomes = append(outcomes, o)
		if err != nil {
			return outcomes, err
		}
	}
	return outcomes, nil
}

func (o RunOptions) withDefaults() RunOptions {
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Sleep == nil {
		o.Sleep = sleep
	}
	if o.MaxAttempts <= 0 {
		o.MaxAttempts = 5
	}
	if o.BaseDelay <= 0 {
		o.BaseDelay = 2 * time.Second
	}
	if o.MaxDelay <= 0 {
		o.MaxDelay = 5 * time.Minute
	}
	if o.MaxRuns <= 0 {
		o.MaxRuns = 8
	}
	if o.RunDelay <= 0 {
		o.RunDelay = 15 * time.Minute
	}
	if o.Log == nil {
		o.Log = io.Discard
	}
	return o
}

func sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// UnknownAdvice is what the user does about a post whose outcome is unknown.
func UnknownAdvice(network, slug string) string {
	return fmt.Sprintf("the answer was lost and %s cannot be asked whether the post arrived: look at the account; if the post is there, run vitrine syndicate mark %s %s URL, otherwise vitrine syndicate retry %s %s",
		network, slug, network, slug, network)
}

// commandSlug names a post's page in vitrine syndicate mark and retry: its slug, with ReminderSuffix
// for a reminder.
func commandSlug(p Post) string {
	if p.Key().Reminder {
		return strings.TrimSuffix(p.Slug, "-reminder") + ReminderSuffix
	}
	return p.Slug
}

// mayHaveReached reports whether a failed send may have been carried out by the network: no answer
// came (a timeout, a dropped connection) or the server failed (5xx) after it may have stored the post.
// An answered refusal (4xx, 429 included) was not.
func mayHaveReached(err error) bool {
	var re *RetryableError
	if !errors.As(err, &re) {
		return false
	}
	return re.Status == 0 || re.Status >= 500
}

// runPost handles one post. Its error stops the run; the post's own failure is in the Outcome.
func runPost(ctx context.Context, ledger *Ledger, t Target, p Post, opts RunOptions, live map[string]error) (Outcome, error) {
	o := Outcome{Network: p.Network, Article: p.Article}
	if t == nil {
		o.Error = fmt.Sprintf("no client for %s: configure [syndicate.%s] in vitrine.toml", p.Network, p.Network)
		return o, nil
	}
	k := p.Key()
	url := strings.TrimSuffix(p.Article, ReminderSuffix)
	e, _ := ledger.Post(k)
	now := opts.Now()
	set := func(e Entry) error {
		if err := ledger.SetPost(k, url, e); err != nil {
			return fmt.Errorf("ledger %s: %w", ledger.dir, err)
		}
		return nil
	}
	switch e.State {
	case StatePublished, StateSkipped:
		o.State, o.URL = e.State, e.URL
		return o, nil
	case StateGaveUp:
		o.State, o.Error = e.State, e.Error
		return o, nil
	case StateFailed:
		if e.Retry.After(now) {
			o.State = e.State
			o.Error = fmt.Sprintf("%s (next try after %s)", e.Error, e.Retry.UTC().Format("2006-01-02 15:04 MST"))
			return o, nil
		}
	}
	key := e.Key
	if key == "" {
		key = t.Key(p)
	}
	if p.Date.IsZero() && !e.Time.IsZero() {
		p.Date = e.Time // how far back a lookup must go
	}
	lookup := func() (Published, bool, error) {
		pub, found, err := t.Lookup(ctx, p, key)
		if found {
			fmt.Fprintf(opts.Log, "%s %s: found on %s: %s\n", p.Network, p.Article, p.Network, pub.URL)
		}
		return pub, found, err
	}
	published := func(pub Published) (Outcome, error) {
		if err := set(Entry{State: StatePublished, Key: key, ID: pub.ID, URL: pub.URL, Time: opts.Now().UTC()}); err != nil {
			return o, fmt.Errorf("%w (%s %s was published as %s: the next run finds it)", err, p.Network, p.Article, pub.URL)
		}
		o.State, o.URL, o.Error = StatePublished, pub.URL, ""
		return o, nil
	}
	if e.State == StateUnknown {
		pub, found, err := lookup()
		if err == nil && found {
			return published(pub)
		}
		o.State, o.Error = StateUnknown, e.Error
		return o, nil
	}

	// mayHold is true while the network may hold the post from a send whose outcome is not known: an
	// earlier run's, or one of this run whose answer did not come back.
	mayHold := e.State == StatePending || e.State == StateFailed && e.Unsure
	if opts.WaitLive != nil && !mayHold {
		err, seen := live[url]
		if !seen {
			err = opts.WaitLive(ctx, url)
			live[url] = err
		}
		if err != nil {
			if ctx.Err() != nil {
				return o, ctx.Err()
			}
			o.Error = err.Error()
			return o, nil
		}
	}
	pending := Entry{State: StatePending, Key: key, Time: now.UTC(), Runs: e.Runs}
	if e.State == StatePending && !e.Time.IsZero() {
		pending.Time = e.Time
	}
	if err := set(pending); err != nil {
		return o, fmt.Errorf("%w (nothing was sent)", err)
	}
	o.State = StatePending

	var lastErr error
	var after time.Duration
	for try := 1; ; try++ {
		pub, found, err := lookup()
		if errors.Is(err, ErrNoLookup) {
			if mayHold {
				o.State, o.Error = StateUnknown, UnknownAdvice(p.Network, commandSlug(p))
				if lastErr != nil {
					o.Error = lastErr.Error() + "; " + o.Error
				}
				if err := set(Entry{State: StateUnknown, Key: key, Error: o.Error, Time: opts.Now().UTC()}); err != nil {
					return o, err
				}
				fmt.Fprintf(opts.Log, "%s %s: unknown: %s\n", p.Network, p.Article, o.Error)
				return o, nil
			}
			err = nil
		}
		if err == nil && found {
			o.Sent = o.Attempts > 0
			return published(pub)
		}
		if err == nil {
			o.Attempts++
			pub, err = t.Publish(ctx, p, key)
			if err == nil {
				o.Sent = true
				fmt.Fprintf(opts.Log, "%s %s: published %s\n", p.Network, p.Article, pub.URL)
				return published(pub)
			}
			if mayHaveReached(err) {
				mayHold = true
			}
		}
		if ctx.Err() != nil {
			// Stopped mid-flight: the entry stays pending and the next run looks it up.
			o.Error = ctx.Err().Error()
			return o, ctx.Err()
		}
		lastErr = err
		var re *RetryableError
		retryable := errors.As(err, &re)
		wait := opts.BaseDelay << (try - 1)
		if wait > opts.MaxDelay || wait <= 0 {
			wait = opts.MaxDelay
		}
		if retryable && re.After > 0 {
			wait = re.After
			after = re.After
			if wait > opts.MaxDelay {
				lastErr = fmt.Errorf("%w (the server asks to wait %s)", err, wait.Round(time.Second))
			}
		}
		if !retryable || try >= opts.MaxAttempts || wait > opts.MaxDelay {
			break
		}
		fmt.Fprintf(opts.Log, "%s %s: attempt %d: %v; looking it up and retrying in %s\n", p.Network, p.Article, try, err, wait)
		if err := opts.Sleep(ctx, wait); err != nil {
			o.Error = err.Error()
			return o, err
		}
	}
	runs := e.Runs + 1
	if runs >= opts.MaxRuns {
		o.State = StateGaveUp
		o.Error = fmt.Sprintf("%v (gave up after %d failed runs: fix the cause, then run vitrine syndicate retry %s %s)", lastErr, runs, commandSlug(p), p.Network)
		if err := set(Entry{State: StateGaveUp, Key: key, Error: o.Error, Runs: runs, Unsure: mayHold, Time: opts.Now().UTC()}); err != nil {
			return o, err
		}
		fmt.Fprintf(opts.Log, "%s %s: gave up: %s\n", p.Network, p.Article, o.Error)
		return o, nil
	}
	delay := opts.RunDelay << (runs - 1)
	if delay <= 0 || delay > maxRunDelay {
		delay = maxRunDelay
	}
	delay = max(delay, min(after, maxRunDelay))
	next := opts.Now().Add(delay).UTC()
	o.State = StateFailed
	o.Error = fmt.Sprintf("%v (run %d of %d; a run after %s tries again, after a lookup)", lastErr, runs, opts.MaxRuns, next.Format("2006-01-02 15:04 MST"))
	if err := set(Entry{State: StateFailed, Key: key, Error: lastErr.Error(), Runs: runs, Retry: next, Unsure: mayHold, Time: opts.Now().UTC()}); err != nil {
		return o, err
	}
	fmt.Fprintf(opts.Log, "%s %s: failed: %s\n", p.Network, p.Article, o.Error)
	return o, nil
}

// held reports whether this process holds the ledger's lock.
func (l *Ledger) held() bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.lockFile != nil
}

// WaitLive polls url with GET until it answers 200, for at most timeout: a freshly deployed article
// may take a while to appear behind a CDN. It returns an error naming the last answer when time runs
// out.
func WaitLive(ctx context.Context, hc *http.Client, url string, timeout time.Duration) error {
	if hc == nil {
		hc = http.DefaultClient
	}
	parent := ctx
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	wait := 500 * time.Millisecond
	last := "no answer"
	for {
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
		if err != nil {
			return fmt.Errorf("wait for %s: %w", url, err)
		}
		req.Header.Set("Cache-Control", "no-cache")
		resp, err := hc.Do(req)
		if err == nil {
			_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 1<<20))
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return nil
			}
			last = resp.Status
		} else if ctx.Err() == nil {
			last = err.Error()
		}
		if err := sleep(ctx, wait); err != nil {
			if parent.Err() != nil {
				return parent.Err()
			}
			return fmt.Errorf("%s did not answer 200 within %s (last: %s): the deploy may still be running; run again later", url, timeout, last)
		}
		wait = min(2*wait, 10*time.Second)
	}
}

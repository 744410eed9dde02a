package syndicate

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"time"
)

// RunOptions tune Run. The zero value is usable: real clock and sleep, 5 attempts.
type RunOptions struct {
	// Now is the clock for keys and ledger times; time.Now when nil.
	Now func() time.Time
	// Sleep waits between attempts; it returns early with ctx's error. A timer when nil.
	Sleep func(ctx context.Context, d time.Duration) error
	// MaxAttempts is how many times a post is sent before it is recorded as failed; 5 when 0.
	MaxAttempts int
	// BaseDelay is the wait after the first failed attempt, doubled after each next one; 2s when 0.
	BaseDelay time.Duration
	// MaxDelay caps the waits. A server asking for a longer wait (Retry-After, rate-limit reset) fails
	// the post at once, with that wait in the error; 5 minutes when 0.
	MaxDelay time.Duration
	// WaitLive, when set, is called with an article's URL before its first post is sent (the deploy may
	// lag behind). On error, nothing is sent for the article and the ledger is left as it was, so that
	// the next run tries again. See WaitLive for an implementation.
	WaitLive func(ctx context.Context, url string) error
	// Log, when set, receives a line per retry and per post sent.
	Log io.Writer
}

// Outcome is what Run did with one post.
type Outcome struct {
	Network string `json:"network"`
	Article string `json:"article"`
	// State is the post's ledger state after the run: published, skipped, failed, or pending when the
	// run stopped before it knew (the next run looks it up before sending anything). It is "" when the
	// ledger was left untouched: no client for the network, or the article not live.
	State string `json:"state"`
	URL   string `json:"url,omitempty"`
	// Error says why the post failed; it never holds a secret.
	Error string `json:"error,omitempty"`
	// Sent is true when this run published the post, false when an earlier run had.
	Sent bool `json:"sent"`
	// Attempts counts the sends of this run.
	Attempts int `json:"attempts"`
}

// Run publishes posts through targets (by network name) exactly once, recording every step in ledger.
//
// It holds ledger's lock for the whole run and re-reads the ledger once it has it, so that a run that
// opened the ledger before another one finished sees what that one did. For each post, in order:
// published or skipped in the ledger → nothing; pending or failed with a key → Lookup first, and
// recorded published if the network has the post, else sent again with the same key; otherwise a new
// key is written to the ledger as pending, durably, before the post is sent. Errors worth retrying are
// retried with a growing wait, and before each retry the post is looked up again, since the failed
// attempt may have reached the network with only its answer lost. A post that still fails is recorded
// as failed with the error and the run goes on with the next.
//
// The error is for what stops the whole run: the lock is held elsewhere, the ledger cannot be written,
// ctx is done. The outcomes of the posts handled until then are returned with it.
func Run(ctx context.Context, ledger *Ledger, targets map[string]Target, posts []Post, opts RunOptions) ([]Outcome, error) {
	opts = opts.withDefaults()
	unlock, err := ledger.Lock()
	if err != nil {
		return nil, err
	}
	defer unlock()
	if err := ledger.refresh(); err != nil {
		return nil, err
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

// runPost handles one post. Its error stops the run; the post's own failure is in the Outcome.
func runPost(ctx context.Context, ledger *Ledger, t Target, p Post, opts RunOptions, live map[string]error) (Outcome, error) {
	o := Outcome{Network: p.Network, Article: p.Article}
	if t == nil {
		o.Error = fmt.Sprintf("no client for %s: configure [syndicate.%s] in vitrine.toml", p.Network, p.Network)
		return o, nil
	}
	e, _ := ledger.Get(p.Article, p.Network)
	switch e.State {
	case StatePublished, StateSkipped:
		o.State, o.URL = e.State, e.URL
		return o, nil
	}
	// A pending or failed entry keeps the key it was sent with: the network may hold the post.
	key := ""
	if e.State == StatePending || e.State == StateFailed {
		key = e.Key
	}

	if opts.WaitLive != nil && key == "" {
		err, seen := live[p.Article]
		if !seen {
			err = opts.WaitLive(ctx, p.Article)
			live[p.Article] = err
		}
		if err != nil {
			if ctx.Err() != nil {
				return o, ctx.Err()
			}
			o.Error = err.Error()
			return o, nil
		}
	}

	// lookup is true while the network may hold the post: a key from an earlier run, or a send of this
	// run whose answer did not come back.
	lookup := key != ""
	if key == "" {
		key = t.NewKey(p, opts.Now())
		if err := ledger.Set(p.Article, p.Network, Entry{State: StatePending, Key: key, Time: opts.Now().UTC()}); err != nil {
			return o, fmt.Errorf("ledger %s: %w (nothing was sent)", ledger.path, err)
		}
	}
	o.State = StatePending

	var lastErr error
	for try := 1; ; try++ {
		var pub Published
		found := false
		var err error
		if lookup {
			pub, found, err = t.Lookup(ctx, p, key)
		}
		if err == nil && !found {
			o.Attempts++
			pub, err = t.Publish(ctx, p, key)
			found = err == nil
			if found {
				o.Sent = true
			}
		} else if found && o.Attempts > 0 {
			// An earlier send of this run reached the network; only its answer was lost.
			o.Sent = true
		}
		if found {
			if err := ledger.Set(p.Article, p.Network, Entry{State: StatePublished, Key: key, ID: pub.ID, URL: pub.URL, Time: opts.Now().UTC()}); err != nil {
				return o, fmt.Errorf("ledger %s: %w (%s %s was published as %s: the next run finds it)", ledger.path, err, p.Network, p.Article, pub.URL)
			}
			o.State, o.URL = StatePublished, pub.URL
			fmt.Fprintf(opts.Log, "%s %s: published %s\n", p.Network, p.Article, pub.URL)
			return o, nil
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
		}
		switch {
		case !retryable:
		case re.After > opts.MaxDelay:
			lastErr = fmt.Errorf("%w (the server asks to wait %s: run again later)", err, re.After.Round(time.Second))
		case try >= opts.MaxAttempts:
			lastErr = fmt.Errorf("%w (gave up after %d attempts: run again later)", err, try)
		default:
			fmt.Fprintf(opts.Log, "%s %s: attempt %d: %v; retrying in %s\n", p.Network, p.Article, try, err, wait)
			if err := opts.Sleep(ctx, wait); err != nil {
				o.Error = err.Error()
				return o, err
			}
			// The failed attempt may have reached the network: look before sending again.
			lookup = true
			continue
		}
		break
	}
	o.State, o.Error = StateFailed, lastErr.Error()
	if err := ledger.Set(p.Article, p.Network, Entry{State: StateFailed, Key: key, Error: o.Error, Time: opts.Now().UTC()}); err != nil {
		return o, fmt.Errorf("ledger %s: %w", ledger.path, err)
	}
	fmt.Fprintf(opts.Log, "%s %s: failed: %s\n", p.Network, p.Article, o.Error)
	return o, nil
}

// refresh re-reads the ledger from disk, where another run may have written since it was opened. The
// caller holds the lock. A missing file leaves the entries as they are.
func (l *Ledger) refresh() error {
	fresh, err := OpenLedger(l.path)
	if err != nil {
		return err
	}
	if !fresh.Exists() {
		return nil
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	l.entries = fresh.entries
	return nil
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

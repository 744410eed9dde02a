// Package parallel runs independent pieces of a build on all cores.
package parallel

import (
	"context"
	"errors"
	"runtime"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
)

// Do runs fn(0) … fn(n-1) on GOMAXPROCS goroutines and returns every error, sorted by message so that
// the report does not depend on scheduling, joined with the context's error if it was cancelled.
func Do(ctx context.Context, n int, fn func(i int) error) error {
	var (
		mu   sync.Mutex
		errs []error
		next atomic.Int64
		wg   sync.WaitGroup
	)
	for range min(runtime.GOMAXPROCS(0), n) {
		wg.Go(func() {
			for ctx.Err() == nil {
				i := int(next.Add(1) - 1)
				if i >= n {
					return
				}
				if err := fn(i); err != nil {
					mu.Lock()
					errs = append(errs, err)
					mu.Unlock()
				}
			}
		})
	}
	wg.Wait()
	slices.SortFunc(errs, func(a, b error) int { return strings.Compare(a.Error(), b.Error()) })
	return errors.Join(append(errs, ctx.Err())...)
}

package parallel

import (
	"context"
	"errors"
	"strings"
	"sync/atomic"
	"testing"
)

func TestDo(t *testing.T) {
	var sum atomic.Int64
	if err := Do(context.Background(), 1000, func(i int) error { sum.Add(int64(i)); return nil }); err != nil {
		t.Fatal(err)
	}
	if sum.Load() != 999*1000/2 {
		t.Errorf("not every index ran once: sum %d", sum.Load())
	}
	err := Do(context.Background(), 10, func(i int) error {
		if i%3 == 0 {
			return errors.New("e" + string(rune('0'+i)))
		}
		return nil
	})
	if err == nil || err.Error() != "e0\ne3\ne6\ne9" {
		t.Errorf("errors not all reported in order: %q", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := Do(ctx, 10, func(int) error { return nil }); err == nil || !strings.Contains(err.Error(), "canceled") {
		t.Errorf("cancelled context: %v", err)
	}
	if err := Do(context.Background(), 0, func(int) error { panic("no work") }); err != nil {
		t.Error(err)
	}
}

package live

import (
	"net/http"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"testing"
)

func TestAdmitBoundsConcurrency(t *testing.T) {
	const limit = 3
	var now, most atomic.Int32
	release := make(chan struct{})
	h := Admit(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n := now.Add(1)
		for {
			m := most.Load()
			if n <= m || most.CompareAndSwap(m, n) {
				break
			}
		}
		<-release
		now.Add(-1)
	}), limit)
	var wg sync.WaitGroup
	for range 10 {
		wg.Go(func() { h.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest("GET", "/", nil)) })
	}
	// Let them through one at a time: never more than limit inside.
	for range 10 {
		release <- struct{}{}
	}
	wg.Wait()
	if m := most.Load(); m > limit || m == 0 {
		t.Errorf("%d requests ran at once, want at most %d", m, limit)
	}
}

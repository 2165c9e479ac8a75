package live

import (
	"net/http"
	"runtime"
)

// Admit lets at most n requests run h at once (n <= 0: twice the CPUs);
// the others wait their turn, or give up when their client does.
//
// Go shares the CPUs among runnable goroutines. Fifty readers at once
// would leave the one writer a fiftieth of them: measured on the 100k
// store (BenchmarkServeUnderIngest), ingest fell to 2 articles a second
// while readers took their pages no faster. Waiting readers are not
// runnable, so with a few admitted the writer keeps its share and the
// pages are answered in turn.
func Admit(h http.Handler, n int) http.Handler {
	if n <= 0 {
		n = 2 * runtime.GOMAXPROCS(0)
	}
	slots := make(chan struct{}, n)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case slots <- struct{}{}:
		case <-r.Context().Done():
			http.Error(w, "the client went away", http.StatusServiceUnavailable)
			return
		}
		defer func() { <-slots }()
		h.ServeHTTP(w, r)
	})
}

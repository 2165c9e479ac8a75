package cputime

import (
	"runtime"
	"testing"
)

func TestUsedGrowsWithWork(t *testing.T) {
	if runtime.GOOS == "windows" || runtime.GOOS == "plan9" || runtime.GOOS == "js" || runtime.GOOS == "wasip1" {
		t.Skip("no getrusage")
	}
	before := Used()
	x := 0
	for i := 0; i < 200_000_000; i++ {
		x ^= i * 31
	}
	if after := Used(); after <= before {
		t.Errorf("CPU time %v after busy work, %v before (x=%d)", after, before, x)
	}
}

package entitytest

import "testing"

func TestMemConforms(t *testing.T) {
	Run(t, func(*testing.T) Harness { return NewMem() })
}

package story

import "time"

// Maintain runs the periodic pass. (stub while assignment is tuned)
func (a *Assigner) Maintain(now time.Time) []Event { return nil }

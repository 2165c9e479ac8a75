package store

import "context"

// Separate records in tx that a person split entities a and b apart, as
// SplitVariant does, for the conformance suite (storetest.Backend).
func Separate(ctx context.Context, tx Tx, a, b int64) error {
	_, err := tx.(*sqliteTx).tx.ExecContext(ctx, "INSERT OR IGNORE INTO entity_split (a, b) VALUES (?, ?)", min(a, b), max(a, b))
	return err
}

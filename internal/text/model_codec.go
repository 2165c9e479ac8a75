package text

import (
	"encoding/binary"
	"errors"
	"fmt"
	"slices"
)

// modelCodecVersion starts every encoded Model; a decoder refuses others.
const modelCodecVersion = 1

// MarshalBinary encodes the model: its counts and every term's document
// frequency, terms in sorted order so that equal models encode equally.
func (m *Model) MarshalBinary() ([]byte, error) {
	keys := make([]string, 0, len(m.df))
	size := 0
	for k := range m.df {
		keys = append(keys, k)
		size += len(k) + 4
	}
	slices.Sort(keys)
	b := make([]byte, 0, size+32)
	b = binary.AppendUvarint(b, modelCodecVersion)
	b = binary.AppendUvarint(b, uint64(m.n))
	b = binary.AppendUvarint(b, uint64(m.seen))
	b = binary.AppendUvarint(b, uint64(m.halfLife))
	b = binary.AppendUvarint(b, uint64(len(keys)))
	for _, k := range keys {
		b = binary.AppendUvarint(b, uint64(len(k)))
		b = append(b, k...)
		b = binary.AppendUvarint(b, uint64(m.df[k]))
	}
	return b, nil
}

var errModelCodec = errors.New("text: bad model encoding")

// UnmarshalBinary replaces m with an encoded model.
func (m *Model) UnmarshalBinary(b []byte) error {
	next := func() (uint64, error) {
		v, n := binary.Uvarint(b)
		if n <= 0 {
			return 0, errModelCodec
		}
		b = b[n:]
		return v, nil
	}
	var hdr [5]uint64
	for i := range hdr {
		v, err := next()
		if err != nil {
			return err
		}
		hdr[i] = v
	}
	if hdr[0] != modelCodecVersion {
		return fmt.Errorf("%w: version %d", errModelCodec, hdr[0])
	}
	// Each term takes at least two bytes: a count larger than that is
	// corrupt, and must not size an allocation.
	if hdr[4] > uint64(len(b))/2 || hdr[1] > hdr[2] || hdr[2] > 1<<62 || hdr[3] > 1<<40 {
		return errModelCodec
	}
	df := make(map[string]int32, hdr[4])
	for range hdr[4] {
		l, err := next()
		if err != nil || l > uint64(len(b)) {
			return errModelCodec
		}
		k := string(b[:l])
		b = b[l:]
		v, err := next()
		if err != nil || v > 1<<31-1 {
			return errModelCodec
		}
		df[k] = int32(v)
	}
	if len(b) != 0 {
		return errModelCodec
	}
	m.n, m.seen, m.halfLife, m.df = int(hdr[1]), int(hdr[2]), int(hdr[3]), df
	return nil
}

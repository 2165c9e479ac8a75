package text

import (
	"encoding/binary"
	"errors"
	"fmt"
	"slices"
)

// modelCodecVersion starts every encoded Model. Version 1 held each term's
// key, version 2 its TermID; version 3 holds FoldID of the TermID, as the
// Model counts terms now. A decoder reads all three (folding what it reads),
// so that a store written before keeps its checkpoints.
const (
	modelCodecKeys    = 1
	modelCodecIDs     = 2
	modelCodecVersion = 3
)

// MarshalBinary encodes the model: its counts and every term's document
// frequency, terms in ID order so that equal models encode equally.
func (m *Model) MarshalBinary() ([]byte, error) {
	ids := make([]uint32, 0, len(m.df))
	for k := range m.df {
		ids = append(ids, k)
	}
	slices.Sort(ids)
	b := make([]byte, 0, 8*len(ids)+32)
	b = binary.AppendUvarint(b, modelCodecVersion)
	b = binary.AppendUvarint(b, uint64(m.n))
	b = binary.AppendUvarint(b, uint64(m.seen))
	b = binary.AppendUvarint(b, uint64(m.halfLife))
	b = binary.AppendUvarint(b, uint64(len(ids)))
	for _, id := range ids {
		b = binary.LittleEndian.AppendUint32(b, id)
		b = binary.AppendUvarint(b, uint64(m.df[id]))
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
	version := hdr[0]
	// Each term takes at least two bytes (nine in version 2, five in 3): a
	// count larger than that is corrupt, and must not size an allocation.
	var least uint64
	switch version {
	case modelCodecKeys:
		least = 2
	case modelCodecIDs:
		least = 9
	case modelCodecVersion:
		least = 5
	default:
		return fmt.Errorf("%w: version %d", errModelCodec, version)
	}
	if hdr[4] > uint64(len(b))/least || hdr[1] > hdr[2] || hdr[2] > 1<<62 || hdr[3] > 1<<40 {
		return errModelCodec
	}
	df := make(map[uint32]int32, hdr[4])
	for range hdr[4] {
		var id uint32
		switch version {
		case modelCodecKeys:
			l, err := next()
			if err != nil || l > uint64(len(b)) {
				return errModelCodec
			}
			id = FoldID(TermID(string(b[:l])))
			b = b[l:]
		case modelCodecIDs:
			if len(b) < 8 {
				return errModelCodec
			}
			id = FoldID(binary.LittleEndian.Uint64(b))
			b = b[8:]
		default:
			if len(b) < 4 {
				return errModelCodec
			}
			id = binary.LittleEndian.Uint32(b)
			b = b[4:]
		}
		v, err := next()
		if err != nil || v > 1<<31-1 || uint64(df[id])+v > 1<<31-1 {
			return errModelCodec
		}
		if _, dup := df[id]; dup && version == modelCodecVersion {
			return errModelCodec // folds are written once, in order
		}
		df[id] += int32(v)
	}
	if len(b) != 0 {
		return errModelCodec
	}
	m.n, m.seen, m.halfLife, m.df = int(hdr[1]), int(hdr[2]), int(hdr[3]), df
	return nil
}

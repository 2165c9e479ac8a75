package text

import (
	"encoding/binary"
	"maps"
	"reflect"
	"slices"
	"testing"
)

func TestModelRoundTrip(t *testing.T) {
	m := NewDecayingModel(3)
	var an Analyzer
	for _, s := range []string{"The quake hit Valdoria", "Rescuers in Valdoria", "A bridge fell", "Quake toll rises", "Bridge repairs", "Markets fall"} {
		m.Add(an.Analyze("en", "", s))
	}
	b, err := m.MarshalBinary()
	if err != nil {
		t.Fatal(err)
	}
	var got Model
	if err := got.UnmarshalBinary(b); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(&got, m) {
		t.Fatalf("round trip: got %+v, want %+v", got, *m)
	}
	again, _ := got.MarshalBinary()
	if !reflect.DeepEqual(again, b) {
		t.Error("encoding is not canonical")
	}
	// Adding to the decoded model goes on as the original would.
	d := an.Analyze("en", "", "Quake in Valdoria")
	m.Add(d)
	got.Add(d)
	if !reflect.DeepEqual(&got, m) {
		t.Error("decoded model diverges after Add")
	}
}

func FuzzModelUnmarshal(f *testing.F) {
	m := NewModel()
	var an Analyzer
	m.Add(an.Analyze("en", "", "one two three"))
	b, _ := m.MarshalBinary()
	f.Add(b)
	f.Add([]byte{1, 0, 0, 0, 255, 255, 255, 255, 15})
	f.Fuzz(func(t *testing.T, b []byte) {
		var m Model
		if err := m.UnmarshalBinary(b); err != nil {
			return
		}
		again, err := m.MarshalBinary()
		if err != nil {
			t.Fatal(err)
		}
		var m2 Model
		if err := m2.UnmarshalBinary(again); err != nil || !reflect.DeepEqual(m, m2) {
			t.Fatalf("re-encoding does not round trip: %v", err)
		}
	})
}

// TestModelDecodesKeyedVersion: a model encoded with its terms' keys
// (version 1, what stores written before hold) decodes to the model the
// same documents give now.
func TestModelDecodesKeyedVersion(t *testing.T) {
	m := NewDecayingModel(5)
	var an Analyzer
	for _, s := range []string{"Floods in Marvale", "Marvale floods recede", "Budget talks"} {
		m.Add(an.Analyze("en", "", s))
	}
	var keys []string
	seen := map[string]bool{}
	for _, s := range []string{"Floods in Marvale", "Marvale floods recede", "Budget talks"} {
		for _, tm := range an.Analyze("en", "", s).Terms {
			if !seen[tm.Key] {
				seen[tm.Key] = true
				keys = append(keys, tm.Key)
			}
		}
	}
	slices.Sort(keys)
	b := binary.AppendUvarint(nil, modelCodecKeys)
	for _, v := range []int{m.n, m.seen, m.halfLife, len(keys)} {
		b = binary.AppendUvarint(b, uint64(v))
	}
	for _, k := range keys {
		b = binary.AppendUvarint(b, uint64(len(k)))
		b = append(b, k...)
		b = binary.AppendUvarint(b, uint64(m.DF(k)))
	}
	var got Model
	if err := got.UnmarshalBinary(b); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(&got, m) {
		t.Fatalf("version 1 decodes to %+v, want %+v", got, *m)
	}
}

// TestModelDecodesIDVersion: a model encoded with its terms' 64-bit IDs
// (version 2, what stores written before 32-bit folds hold) decodes to
// the model the same documents give now.
func TestModelDecodesIDVersion(t *testing.T) {
	docs := []string{"Floods in Marvale", "Marvale floods recede", "Budget talks"}
	m := NewDecayingModel(5)
	var an Analyzer
	df := map[uint64]int{}
	for _, s := range docs {
		d := an.Analyze("en", "", s)
		m.Add(d)
		for _, tm := range d.Terms {
			df[TermID(tm.Key)]++
		}
	}
	ids := slices.Sorted(maps.Keys(df))
	b := binary.AppendUvarint(nil, modelCodecIDs)
	for _, v := range []int{m.n, m.seen, m.halfLife, len(ids)} {
		b = binary.AppendUvarint(b, uint64(v))
	}
	for _, id := range ids {
		b = binary.LittleEndian.AppendUint64(b, id)
		b = binary.AppendUvarint(b, uint64(df[id]))
	}
	var got Model
	if err := got.UnmarshalBinary(b); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(&got, m) {
		t.Fatalf("version 2 decodes to %+v, want %+v", got, *m)
	}
}

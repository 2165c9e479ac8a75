package text

import (
	"reflect"
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

package langid

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/storyline/storyline/internal/shared"
)

func TestDetect(t *testing.T) {
	d := Default()
	tests := []struct {
		name, text, want string
	}{
		{"english", "The prime minister met the secretary general in Tokyo on Wednesday to discuss defence cooperation.", "en"},
		{"arabic", "أعلن وزير الدفاع الياباني عن اهتمام بلاده خلال محادثات مع الأمين العام لحلف الناتو في طوكيو.", "ar"},
		{"portuguese", "O secretário-geral da NATO defendeu em Tóquio que a cooperação entre a aliança e o Japão reforça o aumento do orçamento militar.", "pt"},
		{"indonesian", "Perdana Menteri Jepang dan kepala NATO sepakat untuk meningkatkan kerja sama industri pertahanan pada hari Rabu.", "id"},
		{"german", "Der Bundeskanzler empfing die dänische Ministerpräsidentin am Donnerstag im Kanzleramt in Berlin.", "de"},
		{"russian", "Генеральный секретарь НАТО прибыл в Токио для переговоров с премьер-министром Японии.", "ru"},
		{"empty", "", ""},
		{"blank", " \n\t ", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := d.Detect(tt.text); got != tt.want {
				t.Errorf("Detect(%.40q) = %q, want %q", tt.text, got, tt.want)
			}
		})
	}
}

func TestNewRejectsUnknownCode(t *testing.T) {
	for _, codes := range [][]string{{"en", "xx"}, {"en"}} {
		if _, err := New(codes); err == nil {
			t.Errorf("New(%v): want error", codes)
		}
	}
}

func TestSampleKeepsValidUTF8(t *testing.T) {
	long := strings.Repeat("روت ", 2000)
	s := sample(long)
	if len(s) > maxSample || !strings.HasPrefix(long, s) {
		t.Fatalf("sample: len %d, prefix %v", len(s), strings.HasPrefix(long, s))
	}
	for _, r := range s {
		if r == '\uFFFD' {
			t.Fatal("sample cut inside a rune")
		}
	}
}

// The seeds' raw text carries chrome in other languages; the article bodies
// are English except the Arabic one.
func TestSeedsRawLanguage(t *testing.T) {
	dir := shared.Path(t, "seeds")
	files, _ := filepath.Glob(filepath.Join(dir, "*.txt"))
	var arabic int
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if Default().Detect(string(b)) == "ar" {
			arabic++
		}
	}
	if arabic != 1 {
		t.Errorf("seeds detected as Arabic: %d, want 1", arabic)
	}
}

func BenchmarkDetect(b *testing.B) {
	d := Default()
	text := strings.Repeat("Japanese Prime Minister Shigeru Ishiba and NATO chief Mark Rutte agreed to step up defense industry cooperation. ", 30)
	d.Detect(text) // load models outside the timer
	b.SetBytes(int64(len(sample(text))))
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		d.Detect(text)
	}
}

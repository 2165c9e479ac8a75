package langid

import (
	"runtime"
	"strings"
	"testing"

	"github.com/pemistahl/lingua-go"

	"github.com/storyline/storyline/internal/eval"
)

// benchTexts are article-length texts in varied languages and scripts,
// built from the fixtures (each repeated to about 1,500 bytes).
func benchTexts() map[string]string {
	out := map[string]string{}
	for lang, s := range map[string]string{
		"en": textEN, "fi": textFI, "cs": textCS, "hu": textHU, "hr": textHR, "ru": textRU,
		"ar": textAR, "el": textEL, "ja": textJA, "zh": textZH,
	} {
		var b strings.Builder
		for b.Len() < 1500 {
			b.WriteString(s)
			b.WriteString("\n")
		}
		out[lang] = b.String()
	}
	return out
}

// BenchmarkDetect times one detection of an article-length text per
// language, with the models loaded.
//
//	go test ./internal/langid -run '^$' -bench 'Detect|Lingua' -benchmem
func BenchmarkDetect(b *testing.B) {
	d := Default()
	texts := benchTexts()
	d.Detect("warm the models up before timing")
	for _, lang := range []string{"en", "fi", "cs", "hu", "hr", "ru", "ar", "el", "ja", "zh"} {
		text := texts[lang]
		b.Run(lang, func(b *testing.B) {
			b.SetBytes(int64(len(sample(text, DefaultOptions.SampleBytes))))
			b.ReportAllocs()
			for b.Loop() {
				if d.Detect(text) != lang {
					b.Fatalf("not %s", lang)
				}
			}
		})
	}
}

// BenchmarkDetectDev times detection over the dev sets' real articles
// (tuning half), one detection per op, round-robin.
func BenchmarkDetectDev(b *testing.B) {
	texts := devTexts(b, eval.Tuning)
	d := Default()
	d.Detect("warm the models up before timing")
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		d.Detect(texts[i%len(texts)].text)
		i++
	}
}

// BenchmarkLingua is what detection cost before: lingua-go in low-accuracy
// mode over the 20 languages it was given, and over all 75, on the same
// texts (1,200-byte samples, as then).
func BenchmarkLingua(b *testing.B) {
	twenty := []lingua.IsoCode639_1{lingua.EN, lingua.AR, lingua.PT, lingua.ID, lingua.ES, lingua.DE, lingua.FR, lingua.IT,
		lingua.RU, lingua.TR, lingua.PL, lingua.ZH, lingua.JA, lingua.NL, lingua.UK, lingua.FA, lingua.KO, lingua.HE, lingua.EL, lingua.SV}
	dets := map[string]lingua.LanguageDetector{
		"20": lingua.NewLanguageDetectorBuilder().FromIsoCodes639_1(twenty...).WithLowAccuracyMode().Build(),
		"75": lingua.NewLanguageDetectorBuilder().FromAllLanguages().WithLowAccuracyMode().Build(),
	}
	texts := benchTexts()
	for _, set := range []string{"20", "75"} {
		det := dets[set]
		for _, lang := range []string{"en", "fi", "ru", "ja"} {
			text := sample(texts[lang], 1200)
			det.DetectLanguageOf(text)
			b.Run(set+"/"+lang, func(b *testing.B) {
				b.SetBytes(int64(len(text)))
				b.ReportAllocs()
				for b.Loop() {
					det.DetectLanguageOf(text)
				}
			})
		}
	}
}

// BenchmarkModelLoad reports what loading the model costs: time and
// allocations per load, and the heap the loaded model keeps (live-MB).
func BenchmarkModelLoad(b *testing.B) {
	var m *model
	for b.Loop() {
		var err error
		if m, err = decodeModel(modelData); err != nil {
			b.Fatal(err)
		}
	}
	b.StopTimer()
	var before, after runtime.MemStats
	m = nil
	runtime.GC()
	runtime.ReadMemStats(&before)
	m, _ = decodeModel(modelData)
	runtime.GC()
	runtime.ReadMemStats(&after)
	b.ReportMetric(float64(after.HeapAlloc-before.HeapAlloc)/(1<<20), "live-MB")
	runtime.KeepAlive(m)
}

package text

import (
	"strings"
	"testing"
)

// benchTexts are articles written for the benchmark (about 1,000
// characters each, the size of a pair-set text).
var benchTexts = map[string]string{
	"ar": strings.Repeat("أعلنت وزارة الصحة في القاهرة يوم الثلاثاء عن تسجيل ١٥٠ إصابة جديدة بالفيروس، "+
		"وقال المتحدث باسم الوزارة إن الحكومة ستواصل إجراءاتها الوقائية في المدارس والمستشفيات. "+
		"وأضاف أن الأطبّاء في المحافظات الجنوبية يعملون على مدار الساعة لمواجهة الأزمة. ", 4),
	"en": strings.Repeat("The health ministry in Cairo reported 150 new infections on Tuesday, "+
		"and a spokesman said the government would keep its preventive measures in schools and hospitals. "+
		"He added that doctors in the southern provinces were working around the clock. ", 4),
}

// BenchmarkAnalyze measures the per-article cost of Analyze (no lexicon)
// for each language of benchTexts.
func BenchmarkAnalyze(b *testing.B) {
	for _, lang := range []string{"ar", "en"} {
		body := benchTexts[lang]
		b.Run(lang, func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(len(body)))
			for b.Loop() {
				Analyze(lang, "", body)
			}
		})
	}
}

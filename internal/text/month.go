package text

import "strings"

// monthNames maps month names and common abbreviations in the supported
// languages to "01".."12". A month is a language-independent anchor: an
// article dated "18. Dezember" and one dated "December 18" agree on it.
var monthNames = func() map[string]string {
	lists := [12]string{
		"january jan januar janvier enero gennaio janeiro styczeń stycznia января январь ocak januari يناير كانون",
		"february feb februar février febrero febbraio fevereiro luty lutego февраля февраль şubat februari فبراير شباط",
		"march mar märz mars marzo março marca marzec марта март mart maret مارس آذار",
		"april apr avril abril aprile kwiecień kwietnia апреля апрель nisan أبريل ابريل نيسان",
		"may mai mayo maggio maio maj maja мая май mayıs mei مايو أيار",
		"june jun juni juin junio giugno junho czerwiec czerwca июня июнь haziran يونيو حزيران",
		"july jul juli juillet julio luglio julho lipiec lipca июля июль temmuz يوليو تموز",
		"august aug août agosto sierpień sierpnia августа август ağustos agustus أغسطس اغسطس آب",
		"september sep sept septembre septiembre settembre setembro wrzesień września сентября сентябрь eylül سبتمبر أيلول",
		"october oct oktober octobre octubre ottobre outubro październik października октября октябрь ekim أكتوبر اكتوبر تشرين",
		"november nov novembre noviembre novembro listopad listopada ноября ноябрь kasım نوفمبر",
		"december dec dezember décembre diciembre dicembre dezembro grudzień grudnia декабря декабрь aralık desember ديسمبر",
	}
	m := make(map[string]string)
	for i, l := range lists {
		for _, w := range strings.Fields(l) {
			m[w] = string(rune('0'+(i+1)/10)) + string(rune('0'+(i+1)%10))
		}
	}
	// Too ambiguous as plain words: "may" (modal), "mar" (sea), "mai"
	// (Italian "never"), "mei"/"maj" stay since they are rarely anything else.
	delete(m, "may")
	delete(m, "mar")
	delete(m, "mai")
	delete(m, "jun")
	delete(m, "jul")
	delete(m, "sep")
	delete(m, "mart")
	delete(m, "كانون")
	delete(m, "تشرين")
	return m
}()

// Month returns the month number ("01".."12") that the lowercase word w
// names in any supported language, or "".
func Month(w string) string { return monthNames[w] }

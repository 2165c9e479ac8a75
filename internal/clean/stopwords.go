package clean

import "strings"

// Small function-word lists per language. Body prose is dense in them and
// chrome (menus, buttons, headlines) is not; jusText rests on the same
// observation. The lists are merged: a line's ratio is taken against the
// union, which needs no language guess and costs little precision.
var stopLists = map[string]string{
	"en": `a about after all also an and any are as at be because been but by can could did do does for from had has have he her his how i if in into is it its just may more most my no not of on one or our out over said says she so some than that the their them then there these they this to up was we were what when which who will with would you your`,
	"id": `ada adalah akan atau bagi bahwa banyak belum bisa dalam dan dari dengan di ia ini itu jika juga kami karena ke kepada lebih mereka oleh pada para saat sebagai sejak sudah tak tahun telah tersebut tidak untuk yaitu yang`,
	"ar": `أن إلى التي الذي على عن في كان لا لم ما مع من هذا هذه هو هي و وقال وفي ولا أو بعد بين حتى قد كما لكن ذلك عند`,
	"pt": `ao aos as com como da das de do dos e ela ele em entre era foi mais mas na nas no nos o os para pela pelo por que se sem ser sua seu são também um uma à já`,
	"es": `al como con de del el en entre es esta este fue ha la las lo los más no para pero por que se sin su sus también un una y ya sobre hay muy`,
	"de": `als am an auch auf aus bei das dass dem den der des die ein eine einem einen einer es für hat im in ist mit nach nicht noch nur oder sich sie sind so und von vor war wie wird zu zum zur über`,
	"fr": `au aux avec ce ces cette dans de des du elle en est et il ils la le les leur mais ne pas par plus pour qu que qui sa se son sont sur un une été était ont`,
	"it": `al alla anche che come con da del della dei delle di e gli ha il in la le lo ma nel nella non per più si sono su sul tra una un è`,
	"ru": `в во для до его ее её же за и из к как мы на не но о от по при с так что это он она они был была были бы уже`,
	"tr": `ama bir bu da de daha den gibi göre için ile ise kadar ki mi ne olan olarak ve veya çok şu sonra`,
	"pl": `a ale aby do i jak jest już na nie o od po przez się są to w we z za że oraz który która które tak tym`,
}

var stopWords = func() map[string]bool {
	m := make(map[string]bool, 600)
	for _, l := range stopLists {
		for _, w := range strings.Fields(l) {
			m[w] = true
		}
	}
	return m
}()

// cjkStop holds frequent Chinese and Japanese function characters.
var cjkStop = func() map[rune]bool {
	m := map[rune]bool{}
	for _, r := range "的了是在和有我这也就都而及与着或被对从但其之中为の に は を た が で て と し れ さ も な か る" {
		if r != ' ' {
			m[r] = true
		}
	}
	return m
}()

// langStops counts the words of s found in one language's list; tests and
// the title finder use it to tell languages apart.
func langStops(lang, s string) int {
	list := stopSets[lang]
	n := 0
	for _, w := range strings.FieldsFunc(strings.ToLower(s), func(r rune) bool {
		return !(r == '\'' || r >= 'a' && r <= 'z' || r > 127 && !strings.ContainsRune("“”‘’«»—–…", r))
	}) {
		if list[w] {
			n++
		}
	}
	return n
}

var stopSets = func() map[string]map[string]bool {
	out := map[string]map[string]bool{}
	for lang, l := range stopLists {
		m := map[string]bool{}
		for _, w := range strings.Fields(l) {
			m[w] = true
		}
		out[lang] = m
	}
	return out
}()

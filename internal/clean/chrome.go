package clean

import (
	"regexp"
	"strings"
	"unicode/utf8"
)

// Chrome phrases, matched against a line's lower-cased letters-only key
// (digits and punctuation dropped, words single-spaced). They are short,
// generic UI strings in the languages the engine reads — never one site's.

// chromeExact are whole lines that are chrome.
var chromeExact = phraseSet(`
submit|share|share this|share this article|share on facebook|share on twitter|shares|tweet|pin|email|e mail|print|comment|comments|no comments|no comments yet|leave a comment|add comment|post comment|reply|like|likes|follow|follow us|subscribe|subscribe now|sign in|sign up|log in|login|logout|register|menu|search|home|close|cancel|skip to content|skip to main content|back to top|advertisement|advertising|sponsored|sponsored content|ad|ads|logo|loading|more|next|previous|prev|next article|previous article|video|photos|gallery|newsletter|contact us|about us|privacy policy|terms of use|terms of service|cookie policy|all rights reserved|top|read more|see more|show more|load more|view comments|trending|most read|most popular|popular|latest|latest news|breaking news|editor s picks|whatsapp|facebook|twitter|instagram|linkedin|youtube|telegram|reddit|copy link|link copied|listen|listen to this article|min read|recommended|sections|topics|tags|related|related topics|
komentar|bagikan|iklan|suka|cari|cari berita|beranda|masuk|daftar|berita terkait|baca juga|lihat juga|berita lainnya|terpopuler|terbaru|tutup|
تعليق|تعليقات|شارك|شاركها|مشاركة|إعلان|اعلان|الرئيسية|بحث|اقرأ أيضا|اقرأ ايضا|
compartilhe|compartilhar|comentários|comentar|publicidade|anúncio|pesquisar|buscar|início|leia também|leia mais|veja também|
compartir|comentarios|comenta|publicidad|anuncio|búsqueda|inicio|lee también|leer más|ver más|
teilen|kommentare|kommentar|anzeige|werbung|suche|startseite|mehr zum thema|weiterlesen|lesen sie auch|
partager|commentaires|commenter|publicité|rechercher|accueil|lire aussi|à lire aussi|lire la suite|voir aussi|
condividi|commenti|commenta|pubblicità|cerca|leggi anche|leggi di più|
поделиться|комментарии|комментарий|реклама|поиск|главная|читайте также|читать далее|
paylaş|yorumlar|yorum|reklam|ara|ana sayfa|ilgili haberler|devamını oku|
udostępnij|komentarze|komentarz|reklama|szukaj|strona główna|czytaj także|czytaj więcej|zobacz też|
分享|评论|广告|搜索|首页|相关文章|相关新闻|阅读更多|责任编辑|
シェア|コメント|広告|検索|ホーム|関連記事|続きを読む`)

// chromePrefix are line openings that mark chrome on short lines.
var chromePrefix = phraseList(`
share on|share this|share your|share with|get short url|addthis|back to|zurück|volver|voltar|retour|torna|kembali|follow me|listen|additional reporting|sharing|copy link|submit to|you are here|you are at|advertise|subscribe|sign in|log in|register now|to read the full|to continue reading|continue reading|most popular|most read|most viewed|most shared|trending|newsletter|get our newsletter|our newsletter|follow us|follow on|sign up|subscribe to|download the app|download our app|get the app|get started now|click here|tap here|read more|read next|see also|more from|more on|more in|also read|related|you may also like|you might also like|recommended for you|copyright|all rights reserved|photo|photos|image|images|picture|credit|credits|file photo|editor|editing by|edited by|reporting by|editor in charge|special statement|disclaimer|notice|advertisement|sponsored|tags|topics|filed under|posted in|categories|category|tips|search|cookie|we use cookies|this site uses cookies|by continuing|accept|jadi yang pertama|jadi yg pertama|be the first|baca juga|baca selengkapnya|lihat juga|berita terkait|artikel terkait|simak juga|foto|leia também|leia mais|veja também|saiba mais|lee también|lea también|ver también|mehr zum thema|lesen sie auch|lesen sie mehr|à lire aussi|lire aussi|voir aussi|leggi anche|potrebbe interessarti|читайте также|смотрите также|фото|ilgili haberler|bunlar da ilginizi|czytaj także|czytaj też|zobacz także|相关|延伸阅读|责任编辑|编辑|来源|声明|免责声明|関連|写真|スポンサー|タグ|广告|推广|اقرأ أيضا|اقرأ ايضا|إقرأ أيضا|المصدر|صورة`)

// chromeContains are phrases that mark a short line as chrome wherever
// they occur in it.
var chromeContains = phraseList(`
all rights reserved|newsletter|cookies|subject to copyright|without written permission|without the written permission|privacy policy|terms of use|terms of service|cookie policy|use cookies|uses cookies|download the app|download our app|app store|google play|play store|no comments yet|kata kunci|hak cipta|yang pertama|keyword|palavra chave|palabra clave|suchbegriff|mot clé|parola chiave|ключевое слово|anahtar kelime|słowo kluczowe|版权所有|無断転載|著作権|جميع الحقوق محفوظة|todos os direitos reservados|todos los derechos reservados|alle rechte vorbehalten|tous droits réservés|tutti i diritti riservati|все права защищены|tüm hakları saklıdır|wszelkie prawa zastrzeżone`)

// chromeContainsShort are chrome phrases that also occur in prose, so they
// only mark lines of a few words.
var chromeContainsShort = phraseList(`contributed to this report|contributed reporting|no spam|unsubscribe at any time|click to tweet|be the first to|sign up for|subscribe to our|follow us on|click here|enable javascript|your browser|ad blocker|adblock`)

// disclaimerContains mark platform disclaimers, which run long: "the views
// expressed are the author's own", "this platform only provides
// information storage space".
var disclaimerContains = phraseList(`
information storage space|does not represent the views|do not necessarily reflect|not necessarily reflect|views expressed|only provides information|responsibility for the content|for reference only|本平台|仅代表|不代表|信息存储空间|仅供参考`)

// relatedHeads open the tail of other stories.
var relatedHeads = phraseList(`
related articles|related stories|related news|you may like|you may also be interested in|you might like|also on|você pode gostar|você também pode gostar|te puede interesar|también te puede interesar|puede que te guste|das könnte sie interessieren|vous aimerez aussi|vous pourriez aussi aimer|ti potrebbe interessare|potrebbe piacerti anche|вам может понравиться|может быть интересно|ilginizi çekebilir|może cię zainteresować|anda mungkin suka|mungkin anda suka|你可能喜欢|猜你喜欢|قد يعجبك أيضا|related posts|related content|related coverage|related reading|related links|related|read more|read next|more stories|more news|more from|more on this|more in|you may also like|you might also like|you may be interested|recommended|recommended for you|recommended stories|most popular|most read|popular stories|top stories|latest news|latest stories|trending now|trending|what to read next|also read|further reading|see also|other news|baca juga|berita terkait|artikel terkait|berita lainnya|terpopuler|lihat juga|leia também|veja também|notícias relacionadas|mais lidas|lee también|noticias relacionadas|más leídas|mehr zum thema|lesen sie auch|das könnte sie auch interessieren|meistgelesen|à lire aussi|lire aussi|sur le même sujet|les plus lus|articles similaires|leggi anche|potrebbe interessarti|articoli correlati|i più letti|читайте также|по теме|самое читаемое|ilgili haberler|benzer haberler|çok okunanlar|czytaj także|zobacz także|powiązane artykuły|najczęściej czytane|相关文章|相关新闻|相关阅读|热门文章|推荐阅读|関連記事|関連ニュース|おすすめ記事|اقرأ أيضا|اقرأ ايضا|مقالات ذات صلة|أخبار ذات صلة|الأكثر قراءة`)

// commentHeads open a comment section.
var commentHeads = phraseSet(`добавить комментарий|оставить комментарий|оставьте комментарий|écrire un commentaire|scrivi un commento|escribe un comentario|escreva um comentário|yorum yaz|dodaj komentarz|tulis komentar|发表评论|コメントを書く|comments|comment|top rated comments|reader comments|readers comments|user comments|all comments|discussion|join the discussion|join the conversation|leave a reply|leave a comment|post a comment|add a comment|responses|replies|show comments|view comments|view all comments|read all comments|add your comment|comments are closed|conversation|komentar|tulis komentar|komentar anda|comentários|comentarios|deja un comentario|deixe seu comentário|deixe um comentário|kommentare|kommentar schreiben|commentaires|laisser un commentaire|commenti|lascia un commento|комментарии|yorumlar|yorum yap|komentarze|评论|网友评论|コメント|تعليقات|التعليقات`)

var socialWords = phraseSet(`facebook|twitter|x|email|e mail|mail|linkedin|reddit|pinterest|whatsapp|telegram|print|share|tweet|google|flipboard|tumblr|vk|instagram|youtube|messenger|copy|link|sms|pocket|line|weibo|wechat|qq|kakao|naver`)

// labelled reports whether t opens with p followed by a colon, as in
// "责任编辑：王明": CJK prose may start with the same characters.
func labelled(t, p string) bool {
	rest, ok := strings.CutPrefix(t, p)
	return ok && (strings.HasPrefix(rest, ":") || strings.HasPrefix(rest, "："))
}

// creditWords are the words every photo-credit pattern contains; lines
// without any skip the credit regexps.
var creditWords = phraseList(`photo|photos|foto|fotos|image|images|imagem|imagen|picture|credit|bild|фото|ảnh|getty|shutterstock|pool|via`)

func mayBeCredit(key, text string) bool {
	if strings.Contains(text, "©") {
		return true
	}
	for _, w := range creditWords {
		if containsWord(key, w) {
			return true
		}
	}
	return false
}

// allSocial reports whether a line is nothing but share-button labels.
func allSocial(key string) bool {
	n := 0
	for key != "" {
		w := key
		if i := strings.IndexByte(key, ' '); i >= 0 {
			w, key = key[:i], key[i+1:]
		} else {
			key = ""
		}
		if !socialWords[w] {
			return false
		}
		n++
	}
	return n >= 2
}

// isCommentHead reports whether key is a comment-section header, alone or
// followed by a button label ("Add comment Cancel reply").
func isCommentHead(key string) bool {
	if commentHeads[key] {
		return true
	}
	for _, p := range commentHeadsMulti {
		if hasWordPrefix(key, p) {
			return true
		}
	}
	return false
}

// commentHeadsMulti are the multi-word comment headers, which may carry a
// button label after them.
var commentHeadsMulti = func() []string {
	var out []string
	for p := range commentHeads {
		if strings.Contains(p, " ") {
			out = append(out, p)
		}
	}
	return out
}()

// Comment-thread furniture: author lines ("Jane says:"), buttons, vote
// counts, timestamps and "12 comments" counters. Split into cheap checks so
// that most lines never reach a regexp.
var (
	saidRe        = regexp.MustCompile(`(?i)\b(?:said|says|wrote|writes|replied|dice|disse|schrieb|a écrit|написал|napisał)\s*:\s*$`)
	commentBtns   = phraseSet(`reply|report|flag|like|avatar|responder|antworten|répondre|rispondi|balas|ответить|yanıtla|odpowiedz|回复|返信|رد`)
	agoRe         = regexp.MustCompile(`(?i)\b(?:\d+|an?)\s+(?:minutes?|hours?|days?|weeks?|months?|years?)\s+ago\b`)
	stampRe       = regexp.MustCompile(`(?i)\b(?:at|um|à|alle|в)\s+\d{1,2}[:.]\d\d\s*(?:am|pm|h)?$`)
	countRe       = regexp.MustCompile(`(?i)^\d+\s+(?:responses|comments|replies|komentar|comentários|comentarios|kommentare|commentaires|commenti|комментари\w*|yorum|komentarz\w*)\b`)
	votesSuffixRe = regexp.MustCompile(`(?i)\bvotes?$`)
)

// isCommentMark reports whether l looks like comment-thread furniture.
func isCommentMark(l *line) bool {
	if l.runes > 80 {
		return false
	}
	t := l.text
	switch {
	case commentBtns[l.keyLower]:
		return true
	case strings.HasSuffix(t, ":") && saidRe.MatchString(t):
		return true
	case strings.HasPrefix(l.keyLower, "rating"):
		return true
	case votesSuffixRe.MatchString(t):
		return true
	case strings.Contains(t, "ago") && agoRe.MatchString(t):
		return true
	case l.digits > 0 && strings.ContainsAny(t, ":.") && stampRe.MatchString(t):
		return true
	case l.digits > 0 && countRe.MatchString(t):
		return true
	}
	return false
}

// inlineHeads are the related headers that sites also put inside an
// article, as a link label before one headline.
var inlineHeads = phraseSet(`read more|read next|see also|also read|related|more|baca juga|lihat juga|simak juga|leia também|leia mais|veja também|lee también|lea también|ver también|lesen sie auch|mehr zum thema|lire aussi|à lire aussi|voir aussi|leggi anche|читайте также|czytaj także|zobacz także|ilgili haber|اقرأ أيضا|اقرأ ايضا|延伸阅读|相关阅读`)

// aboutHeads open an "About the company/author" boilerplate section.
var aboutHeads = phraseList(`about|sobre|über|à propos de|a propos de|acerca de|a proposito di|tentang|hakkında|об авторе|o autorze|关于|について`)

// aboutThis reports an "About this rating"-style label, which is part of
// the article, not company or author boilerplate.
func aboutThis(rest string) bool {
	f := strings.Fields(rest)
	return len(f) == 0 || f[0] == "this" || f[0] == "these" || f[0] == "that" || f[0] == "us"
}

// timeAgo marks "3 hours ago"-style lines; on short lines they are feed
// chrome, not body.
var timeAgo = phraseList(`ago|just now|yang lalu|lalu|atrás|hace|il y a|vor|fa|назад|önce|temu|分前|時間前|日前|分钟前|小时前|天前|منذ`)

func phraseSet(s string) map[string]bool {
	m := map[string]bool{}
	for _, p := range phraseList(s) {
		m[p] = true
	}
	return m
}

func phraseList(s string) []string {
	var out []string
	for _, p := range strings.Split(s, "|") {
		p = strings.TrimSpace(normKey(p))
		if p != "" {
			out = append(out, p)
		}
	}
	return out
}

// normKey lower-cases p and reduces it to the key form analyse builds.
func normKey(p string) string {
	l := line{text: p}
	analyse(&l)
	return l.keyLower
}

// hasWordPrefix reports whether key starts with p at a word boundary.
func hasWordPrefix(key, p string) bool {
	return strings.HasPrefix(key, p) && (len(key) == len(p) || key[len(p)] == ' ' || !isASCIIWordByte(p[len(p)-1]))
}

func isASCIIWordByte(b byte) bool { return b >= 'a' && b <= 'z' || b >= 0x80 }

// containsWord reports whether p occurs in key as whole words.
func containsWord(key, p string) bool {
	for i := 0; ; {
		j := strings.Index(key[i:], p)
		if j < 0 {
			return false
		}
		j += i
		before := j == 0 || key[j-1] == ' ' || p[0] >= 0x80
		end := j + len(p)
		after := end == len(key) || key[end] == ' ' || p[len(p)-1] >= 0x80
		if before && after {
			return true
		}
		i = j + 1
	}
}

var (
	urlRe = regexp.MustCompile(`(?i)^(?:\[?https?://\S+\]?|www\.\S+|\S+\.(?:com|org|net|jpg|png|gif)\S*)$`)
	imgRe = regexp.MustCompile(`^\[[^\]]*\]$`)
	// A caption ending in its credit: "… in Tokyo. Credit: ESA".
	creditTail = regexp.MustCompile(`(?i)(?:credit|credits|photo|photograph|image|picture|foto|crédit|crédito|bild)\s*:\s*[^.!?:]{1,60}$`)
	// "Submitted photo", "… via AP".
	creditEndRe = regexp.MustCompile(`(?i)(?:\b(?:submitted|file|staff|courtesy|handout|contributed) (?:photo|image)|\bvia (?:ap|reuters|afp|getty images|epa))$`)
	// "Jane Doe/Reuters", "Jane Doe | Bloomberg | Getty Images".
	nameCreditRe = regexp.MustCompile(`^\p{Lu}[\pL.'’ -]+(?:\s*[/|]\s*\p{Lu}[\pL.'’ -]+)+$`)
	creditParen  = regexp.MustCompile(`(?i)\((?:[\pL.' -]{2,40}/[\pL.' -]{2,40}|[^()]*\b(?:photo|photos|foto|fotos|image|images|via ap|getty|reuters|afp|epa|shutterstock|file|credit|courtesy|illustration|pool)\b[^()]*)\)\s*$`)
	creditLineRe = regexp.MustCompile(`(?i)^(?:(?:ap|afp|reuters|epa|getty|xinhua|kyodo|anadolu|dpa|ansa|efe|bloomberg|file|pool|press)\b[\w /.&-]{0,30}\b(?:photo|photos|images|image|foto|pool)|(?:photo|foto|image|picture|credit|bild|imagem|imagen|фото|ảnh)\s*(?:by|:|/|credit|©)?[^.]{0,60}|getty images|shutterstock|©.{0,60})$`)
)

// markChrome sets the chrome, related, linky and caption flags of l.
func markChrome(l *line) {
	k := l.keyLower
	t := strings.TrimSpace(l.text)
	if (!strings.ContainsAny(t, " \t") && (urlRe.MatchString(t) || strings.Count(t, "-")+strings.Count(t, "_") >= 3) || strings.HasPrefix(t, "[") && imgRe.MatchString(t)) && !commentHeads[k] {
		l.linky = true
		return
	}
	if l.words <= 6 && isCommentHead(k) {
		l.comments = true
		l.chrome = true
		return
	}
	if k == "" {
		// Only digits and punctuation: counters and separators, or table
		// cells; context decides.
		l.numeric = true
		return
	}
	if l.words <= 8 && !l.sentEnd || l.words <= 4 {
		for _, p := range relatedHeads {
			if k == p || l.words <= 6 && hasWordPrefix(k, p) && strings.HasSuffix(t, ":") {
				l.related = true
				return
			}
		}
	}
	if l.words <= 5 && !l.sentEnd && l.words >= 2 {
		for _, p := range aboutHeads {
			if hasWordPrefix(k, p) && !aboutThis(k[len(p):]) {
				l.related = true
				l.about = true
				return
			}
		}
	}
	if l.words <= 12 && allSocial(k) {
		l.chrome = true
		return
	}
	if l.words <= 4 && !l.sentEnd && strings.HasPrefix(k, "more ") {
		// "More Washington Examiner", "More from Sport": a tail of teasers.
		l.related = true
		return
	}
	if chromeExact[k] {
		l.chrome = true
		return
	}
	if l.runes < 100 && (mayBeCredit(k, t) && (creditLineRe.MatchString(t) || creditEndRe.MatchString(t)) || l.words <= 8 && !l.sentEnd && strings.ContainsAny(t, "/|") && nameCreditRe.MatchString(t)) {
		l.caption = true
		return
	}
	if l.words <= 15 || l.runes < 120 {
		for _, p := range chromePrefix {
			if hasWordPrefix(k, p) && (!l.cjk || l.runes <= 30 || labelled(t, p)) {
				l.chrome = true
				return
			}
		}
		for _, p := range timeAgo {
			if containsWord(k, p) && l.words <= 6 {
				l.chrome = true
				l.ago = true
				return
			}
		}
	}
	if l.words <= 40 && (strings.Contains(t, "©") || containsWord(k, "copyright")) {
		l.chrome = true
		return
	}
	if l.words <= 60 {
		for _, p := range chromeContains {
			if containsWord(k, p) {
				l.chrome = true
				return
			}
		}
	}
	if l.words <= 35 {
		for _, p := range chromeContainsShort {
			if containsWord(k, p) {
				l.chrome = true
				return
			}
		}
	}
	if l.words <= 80 {
		for _, p := range disclaimerContains {
			if containsWord(k, p) {
				l.chrome = true
				return
			}
		}
	}
	tail := t
	if len(tail) > 160 {
		tail = tail[len(tail)-160:]
		for len(tail) > 0 && !utf8.RuneStart(tail[0]) {
			tail = tail[1:]
		}
	}
	if l.words <= 80 && strings.Contains(tail, ":") && creditTail.MatchString(tail) {
		l.caption = true
		return
	}
	if strings.HasSuffix(t, ")") && creditParen.MatchString(tail) {
		l.caption = true
	}
}

package langid

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/storyline/storyline/internal/shared"
)

// News-like sentences written for these tests, in languages the dev sets
// lack.
const (
	textEN = "The prime minister met the secretary general in Tokyo on Wednesday to discuss defence cooperation, and both sides agreed to expand joint exercises next year."
	textFI = "Suomen hallitus esitti torstaina uuden talousarvion, jossa leikataan sosiaaliturvasta ja korotetaan arvonlisäveroa. Valtiovarainministerin mukaan säästöt ovat välttämättömiä, jotta valtion velkaantuminen saadaan kuriin."
	textCS = "Vláda v úterý schválila návrh rozpočtu na příští rok, který počítá se schodkem přes dvě stě miliard korun. Ministr financí uvedl, že úspory se dotknou především provozních výdajů ministerstev."
	textHU = "A kormány szerdán bejelentette, hogy jövő évtől emelik a minimálbért és a nyugdíjakat. A pénzügyminiszter szerint a gazdaság növekedése lehetővé teszi az intézkedéseket."
	textIS = "Ríkisstjórnin kynnti í gær nýtt fjárlagafrumvarp þar sem gert er ráð fyrir auknum útgjöldum til heilbrigðismála. Fjármálaráðherra sagði að staða ríkissjóðs væri sterk þrátt fyrir verðbólgu."
	textSK = "Vláda v stredu schválila návrh štátneho rozpočtu na budúci rok, ktorý počíta so schodkom vyše päť miliárd eur. Minister financií povedal, že úspory sa dotknú najmä výdavkov ministerstiev."
	textRO = "Guvernul a aprobat miercuri proiectul de buget pentru anul viitor, care prevede un deficit de aproape șase la sută din produsul intern brut. Ministrul finanțelor a declarat că economiile vor afecta cheltuielile ministerelor."
	textHR = "Vlada je u četvrtak predstavila prijedlog proračuna za iduću godinu, kojim se predviđa povećanje plaća u javnom sektoru. Ministar financija rekao je da će se rashodi financirati iz europskih fondova."
	textID = "Pemerintah Indonesia mengumumkan kenaikan harga bahan bakar minyak bersubsidi mulai pekan depan. Menteri Keuangan mengatakan kebijakan ini diperlukan untuk menjaga anggaran negara."
	textRU = "Генеральный секретарь НАТО прибыл в Токио для переговоров с премьер-министром Японии о расширении сотрудничества в области обороны."
	textUK = "Уряд України у четвер ухвалив рішення про підвищення мінімальної заробітної плати з наступного року, повідомив міністр фінансів."
	textEL = "Η κυβέρνηση ανακοίνωσε την Πέμπτη νέα μέτρα στήριξης για τα νοικοκυριά που πλήττονται από την ακρίβεια."
	textJA = "石破茂首相は水曜日、東京でNATOのルッテ事務総長と会談し、防衛産業での協力を強化することで合意した。"
	textZH = "日本首相石破茂周三在东京与北约秘书长吕特会谈，双方同意加强国防工业合作。"
	textKO = "정부는 목요일 내년도 예산안을 발표하고 복지 지출을 늘리겠다고 밝혔다."
	textAR = "أعلن وزير الدفاع الياباني عن اهتمام بلاده بتعزيز التعاون مع حلف الناتو خلال محادثات في طوكيو."
	textNB = "Regjeringen la torsdag fram et nytt statsbudsjett som innebærer kutt i sosiale ytelser og økt merverdiavgift. Finansministeren sa at innsparingene er nødvendige for å holde statens gjeld under kontroll."
	textDA = "Regeringen fremlagde torsdag et nyt finanslovsforslag, der indebærer besparelser på de sociale ydelser og en højere moms. Finansministeren sagde, at besparelserne er nødvendige for at holde statens gæld i ave."
	textSL = "Vlada je v četrtek predstavila nov predlog proračuna, ki predvideva znižanje socialnih transferjev in višji davek na dodano vrednost."
	textMK = "Владата во четвртокот претстави нов предлог-буџет, кој предвидува кратења на социјалните давања и повисок данок на додадена вредност."
	textSR = "Влада је у четвртак представила нови предлог буџета, који предвиђа смањење социјалних давања и већи порез на додату вредност."
	textHI = "सरकार ने गुरुवार को नया बजट पेश किया, जिसमें सामाजिक योजनाओं में कटौती और कर में बढ़ोतरी का प्रस्ताव है। वित्त मंत्री ने कहा कि यह कदम अर्थव्यवस्था को मजबूत करने के लिए जरूरी है।"
	textMR = "सरकारने गुरुवारी नवीन अर्थसंकल्प सादर केला, ज्यामध्ये सामाजिक योजनांमध्ये कपात आणि करवाढीचा प्रस्ताव आहे. अर्थमंत्र्यांनी सांगितले की अर्थव्यवस्था मजबूत करण्यासाठी हे पाऊल आवश्यक आहे."
	textFA = "وزیر امور خارجه ایران روز چهارشنبه در سفر به مسکو با همتای روسی خود درباره توافق هسته‌ای گفت‌وگو کرد."
)

func TestDetect(t *testing.T) {
	d := Default()
	tests := []struct {
		name, text, want string
	}{
		{"english", textEN, "en"},
		{"finnish", textFI, "fi"},
		{"czech", textCS, "cs"},
		{"hungarian", textHU, "hu"},
		{"icelandic", textIS, "is"},
		{"slovak", textSK, "sk"},
		{"romanian", textRO, "ro"},
		{"croatian", textHR, "hr"},
		{"indonesian", textID, "id"},
		{"bokmål, not nynorsk or danish", textNB, "nb"},
		{"danish, not bokmål", textDA, "da"},
		{"slovene, not croatian", textSL, "sl"},
		{"macedonian, not serbian", textMK, "mk"},
		{"serbian", textSR, "sr"},
		{"hindi: Devanagari, short words between vowel signs", textHI, "hi"},
		{"marathi, not hindi", textMR, "mr"},
		{"portuguese", "O secretário-geral da NATO defendeu em Tóquio que a cooperação entre a aliança e o Japão reforça o aumento do orçamento militar.", "pt"},
		{"german", "Der Bundeskanzler empfing die dänische Ministerpräsidentin am Donnerstag im Kanzleramt in Berlin zu Gesprächen über die Energiepolitik.", "de"},
		{"russian", textRU, "ru"},
		{"ukrainian", textUK, "uk"},
		{"greek by script", textEL, "el"},
		{"japanese: Han with kana", textJA, "ja"},
		{"chinese: Han without kana", textZH, "zh"},
		{"korean by script", textKO, "ko"},
		{"arabic", textAR, "ar"},
		{"persian", textFA, "fa"},
		{"chinese naming people in Latin letters", "Mohanlal 主演的历史剧 Marakkar Arabikadalinte Simham 无疑是今年最受期待的电影之一，导演 Priyadarshan 表示影片将于三月上映。", "zh"},

		// Undetermined rather than guessed.
		{"empty", "", ""},
		{"blank", " \n\t ", ""},
		{"digits and punctuation", "2025-04-01 12:30 — 3:1 (1:0)", ""},
		{"too short: a headline of three words", "Vlada je pala", ""},
		{"too short: one word", "Breaking", ""},
		{"too few letters of a one-language script", "Αθήνα", ""},
		{"too mixed: half English, half French", "The government presented a bill on Wednesday to strengthen coastal protection against storms after last winter's floods. Le gouvernement a présenté mercredi un projet de loi destiné à renforcer la protection des côtes contre les tempêtes.", ""},
		{"too mixed: three scripts alike", "Москва заявила протест. Athens replied at once. Η Αθήνα απάντησε.", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := d.Detect(tt.text); got != tt.want {
				t.Errorf("Detect(%.40q) = %q, want %q", tt.text, got, tt.want)
			}
		})
	}
}

// With neighbours that trigrams cannot part both in the set, detection
// says nothing rather than toss a coin; without one of them it names the
// other.
func TestCloseNeighboursUndetermined(t *testing.T) {
	both, err := New([]string{"id", "ms", "en"})
	if err != nil {
		t.Fatal(err)
	}
	text := "Perdana Menteri Jepang dan kepala NATO sepakat untuk meningkatkan kerja sama industri pertahanan pada hari Rabu."
	if got := both.Detect(text); got != "" {
		t.Errorf("with id and ms: Detect = %q, want undetermined", got)
	}
	if got := Default().Detect(text); got != "id" {
		t.Errorf("default set: Detect = %q, want id", got)
	}
}

func TestResolve(t *testing.T) {
	d := Default()
	tests := []struct {
		name, supplied, text, want string
	}{
		{"nothing supplied: detected", "", textFI, "fi"},
		{"nothing supplied, too short: undetermined", "", "Breaking", ""},
		{"und supplied counts as nothing", "und", textCS, "cs"},
		{"supplied and agreeing, region subtag", "en-US", textEN, "en"},
		{"supplied upper case", "EN", textEN, "en"},
		{"supplied ISO 639-2", "ces", textCS, "cs"},
		{"supplied with underscore", "pt_BR", "O presidente anunciou nesta quarta-feira um novo pacote de medidas para conter a alta dos preços dos alimentos.", "pt"},
		{"supplied with script subtag", "zh-Hans", textZH, "zh"},
		{"supplied, text too short to contradict", "hr", "Vlada je pala", "hr"},
		{"supplied close neighbour kept", "bs", textHR, "bs"},
		{"supplied neighbour, clear margin: Czech text labelled sk", "sk", textCS, "cs"},
		{"supplied wrong, clear margin: an English story a German template labels de", "de", textEN, "en"},
		{"supplied wrong, clear margin", "sv", textFI, "fi"},
		{"script contradicts: Cyrillic text labelled en", "en", textRU, "ru"},
		{"script contradicts: Greek text labelled de", "de-DE", textEL, "el"},
		{"script contradicts: kana in text labelled zh", "zh", textJA, "ja"},
		{"Japanese labelled ja with Han only", "ja", "東京都知事選挙の投票率は前回を上回った見通し", "ja"},
		{"language the models lack is kept", "gl", "O goberno galego anunciou onte novas axudas para o sector pesqueiro.", "gl"},
		{"Serbian in Latin letters is not contradicted", "sr-Latn", textHR, "sr"},
		{"no script holds a majority: the label is not contradicted", "el", "Москва заявила протест. Athens replied at once. Η Αθήνα απάντησε.", "el"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := d.Resolve(tt.supplied, tt.text); got != tt.want {
				t.Errorf("Resolve(%q, %.40q) = %q, want %q", tt.supplied, tt.text, got, tt.want)
			}
		})
	}
}

func TestNormalize(t *testing.T) {
	for _, tt := range []struct{ in, want string }{
		{"en", "en"}, {"EN", "en"}, {" en-US ", "en"}, {"en_GB", "en"}, {"eng", "en"},
		{"pt_BR", "pt"}, {"zh-Hans", "zh"}, {"zh-Hant-TW", "zh"}, {"zho", "zh"}, {"chi", "zh"},
		{"fre", "fr"}, {"ger", "de"}, {"iw", "he"}, {"in", "id"}, {"no", "nb"}, {"nb-NO", "nb"},
		{"fil", "tl"}, {"sr-Latn-RS", "sr"}, {"gl-ES", "gl"}, {"cy", "cy"},
		{"", ""}, {"und", ""}, {"mul", ""}, {"zxx", ""}, {"x-pig-latin", ""}, {"gsw", ""}, {"e1", ""}, {"english", ""},
	} {
		if got := Normalize(tt.in); got != tt.want {
			t.Errorf("Normalize(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestHTMLLang(t *testing.T) {
	for _, tt := range []struct{ name, body, want string }{
		{"html lang", `<!doctype html><html lang="pt-BR"><head><title>x</title></head><body>oi</body></html>`, "pt-BR"},
		{"xml:lang", `<?xml version="1.0"?><html xmlns="http://www.w3.org/1999/xhtml" xml:lang="fi"><body></body></html>`, "fi"},
		{"unquoted, upper case", `<HTML LANG=EN><BODY>x`, "EN"},
		{"meta content-language", `<html><head><meta http-equiv="Content-Language" content="de, en"></head><body>x</body></html>`, "de"},
		{"html lang wins over meta", `<html lang="cs"><head><meta http-equiv="content-language" content="sk"></head>`, "cs"},
		{"empty lang", `<html lang=""><body>x</body></html>`, ""},
		{"none", `<html><head><title>x</title></head><body lang="fr">x</body></html>`, ""},
		{"plain text", "Just words, no markup at all.", ""},
		{"a lang in the body is not the page's", `<html><body><p lang="ru">привет</p></body></html>`, ""},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if got := HTMLLang([]byte(tt.body)); got != tt.want {
				t.Errorf("HTMLLang = %q, want %q", got, tt.want)
			}
		})
	}
}

func FuzzNormalize(f *testing.F) {
	for _, s := range []string{"en-US", "pt_BR", "zh-Hans", "eng", "", "und", "sr-Latn", "-", "__", "x"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, tag string) {
		got := Normalize(tag)
		if got != "" && (len(got) != 2 || !isASCIILetters(got) || strings.ToLower(got) != got) {
			t.Errorf("Normalize(%q) = %q, want two lower-case letters or empty", tag, got)
		}
	})
}

func FuzzHTMLLang(f *testing.F) {
	for _, s := range []string{`<html lang="en">`, `<html><meta http-equiv=content-language content=fr>`, `<html lang`, "<", ""} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		got := HTMLLang(body)
		if len(got) > len(body) {
			t.Errorf("HTMLLang returned %q, longer than its input", got)
		}
	})
}

func FuzzDetect(f *testing.F) {
	for _, s := range []string{textEN, textJA, textRU, "", "a", "ёё", "\xff\xfe"} {
		f.Add(s)
	}
	d := Default()
	f.Fuzz(func(t *testing.T, text string) {
		got := d.Detect(text)
		if got != "" && !slices.Contains(d.Languages(), got) {
			t.Errorf("Detect(%q) = %q, not in the detector's set", text, got)
		}
		d.Resolve("en", text)
	})
}

// The embedded model must load, and agree with iso639.tsv: every language
// it knows has an entry there, and a script.
func TestModelLoads(t *testing.T) {
	m, err := decodeModel(modelData)
	if err != nil {
		t.Fatal(err)
	}
	if len(m.langs) != 75 {
		t.Errorf("model has %d languages, want lingua's 75", len(m.langs))
	}
	for i, l := range m.langs {
		if tags().code[l] != l {
			t.Errorf("%s: not a primary code of iso639.tsv", l)
		}
		if m.script[i] == scriptNone || m.script[i] == scriptOther {
			t.Errorf("%s: no script", l)
		}
	}
	for code, primary := range tags().code {
		if _, ok := m.pos[primary]; !ok {
			t.Errorf("iso639.tsv maps %s to %s, which the model lacks", code, primary)
		}
	}
	for _, c := range []struct {
		lang string
		s    script
	}{{"en", scriptLatin}, {"ru", scriptCyrillic}, {"ja", scriptKana}, {"zh", scriptHan}, {"ko", scriptHangul}, {"hi", scriptDevanagari}, {"fa", scriptArabic}} {
		if got := m.script[m.pos[c.lang]]; got != c.s {
			t.Errorf("%s: script %d, want %d", c.lang, got, c.s)
		}
	}
	if _, err := decodeModel(modelData[:len(modelData)/2]); err == nil {
		t.Error("a truncated model loaded without error")
	}
}

func TestNewLanguages(t *testing.T) {
	for _, codes := range [][]string{{"en", "xx"}, {"en"}, {"en", "EN"}} {
		if _, err := New(codes); err == nil {
			t.Errorf("New(%v): want error", codes)
		}
	}
	d, err := New([]string{"en", " DE "})
	if err != nil {
		t.Fatal(err)
	}
	if got := d.Languages(); !slices.Equal(got, []string{"de", "en"}) {
		t.Errorf("Languages() = %v", got)
	}
	// Only the set's languages come out; a text in another is its
	// nearest, or undetermined.
	if got := d.Detect(textFI); got != "" && got != "en" && got != "de" {
		t.Errorf("Detect(Finnish) over en,de = %q", got)
	}
	if got := d.Detect(textEL); got != "" {
		t.Errorf("Detect(Greek) over en,de = %q, want undetermined", got)
	}
	all := Default().Languages()
	if len(all) != 75-len(DefaultLeftOut) {
		t.Errorf("default set has %d languages, want %d", len(all), 75-len(DefaultLeftOut))
	}
	for _, l := range DefaultLeftOut {
		if slices.Contains(all, l) {
			t.Errorf("default set holds %s", l)
		}
	}
}

func TestSampleKeepsValidUTF8(t *testing.T) {
	long := strings.Repeat("روت ", 2000)
	max := DefaultOptions.SampleBytes
	s := sample(long, max)
	if len(s) > max || !strings.HasPrefix(long, s) || !utf8.ValidString(s) {
		t.Fatalf("sample: len %d, prefix %v, valid %v", len(s), strings.HasPrefix(long, s), utf8.ValidString(s))
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

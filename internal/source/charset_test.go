package source

import (
	"bytes"
	"errors"
	"strings"
	"testing"
	"unicode/utf8"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/japanese"
	"golang.org/x/text/encoding/korean"
	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/encoding/traditionalchinese"

	"golang.org/x/text/encoding/unicode"
)

func TestToUTF8(t *testing.T) {
	utf16le, _ := unicode.UTF16(unicode.LittleEndian, unicode.UseBOM).NewEncoder().Bytes([]byte("UTF-16 text, ça va"))
	tests := []struct {
		name, ct string
		html     bool
		in       []byte
		want     string
		err      error
	}{
		{"utf8", "", false, []byte("héllo"), "héllo", nil},
		{"bom", "", false, []byte("\xEF\xBB\xBFhéllo"), "héllo", nil},
		{"utf16 bom", "", false, utf16le, "UTF-16 text, ça va", nil},
		{"header wins over meta", "text/html; charset=windows-1252", true, []byte(`<meta charset="koi8-r">caf` + "\xe9"), `<meta charset="koi8-r">café`, nil},
		{"meta", "", true, []byte(`<meta charset="iso-8859-1">caf` + "\xe9"), `<meta charset="iso-8859-1">café`, nil},
		{"meta ignored in text", "", false, []byte(`<meta charset="koi8-r"> ` + "caf\xc3\xa9 caf\xc3\xa9 caf\xc3\xa9"), `<meta charset="koi8-r"> café café café`, nil},
		{"sloppy header", `text/html; charset="utf-8";`, true, []byte("ok é"), "ok é", nil},
		// An invalid byte before the parameter once panicked the run.
		{"sloppy header, invalid byte", "text/html;\xe6CHARSET=", true, []byte("caf\xe9"), "café", nil},
		{"stray byte in utf8", "", false, append(bytes.Repeat([]byte("é"), 100), 0xff), string(bytes.Repeat([]byte("é"), 100)) + "\uFFFD", nil},
		{"stray NUL kept out", "", false, append(bytes.Repeat([]byte("text "), 400), 0), string(bytes.Repeat([]byte("text "), 400)), nil},
		{"replacement label ignored", "text/html; charset=iso-2022-kr", true, []byte("plain ascii page"), "plain ascii page", nil},
		{"binary", "", false, []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00"), "", ErrBinary},
		{"latin1 guess", "", false, []byte("Le caf\xe9 \xe9tait ferm\xe9 et l'\xe9t\xe9 fini."), "Le café était fermé et l'été fini.", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := toUTF8(tt.in, tt.ct, tt.html)
			if !errors.Is(err, tt.err) {
				t.Fatalf("err %v, want %v", err, tt.err)
			}
			if err == nil && string(got) != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}

func FuzzCharset(f *testing.F) {
	f.Add([]byte("<meta charset=shift_jis>\x82\xa0"), "", true)
	f.Add([]byte("\xFE\xFF\x00a"), "text/plain; charset=utf-16", false)
	f.Add([]byte("caf\xe9"), "text/html; charset=x-user-defined", true)
	f.Add(bytes.Repeat([]byte{0xe9, 0x81}, 50), "", false)
	f.Fuzz(func(t *testing.T, in []byte, ct string, html bool) {
		out, err := toUTF8(in, ct, html)
		if err == nil && (!utf8.Valid(out) || bytes.IndexByte(out, 0) >= 0) {
			t.Fatalf("invalid output %q", out)
		}
	})
}

// TestGuessCharset decodes undeclared legacy-encoded text, one sentence
// and a paragraph of it, through the statistical guess.
func TestGuessCharset(t *testing.T) {
	ru := "Генеральный секретарь НАТО Марк Рютте встретился в Токио с премьер-министром Японии Сигэру Исибой."
	de := "Der NATO-Generalsekretär äußerte sich über die Sicherheitslage; Größe, Übung, Straße."
	el := "Ο γενικός γραμματέας του ΝΑΤΟ συναντήθηκε με τον πρωθυπουργό της Ιαπωνίας στο Τόκιο."
	tw := "北約秘書長呂特在東京與石破茂首相舉行會談，雙方討論了安全合作。"
	cases := []struct {
		name string
		enc  encoding.Encoding
		s    string
	}{
		{"1251", charmap.Windows1251, ru}, {"koi8r", charmap.KOI8R, ru}, {"1256", charmap.Windows1256, arabic},
		{"1252de", charmap.Windows1252, de}, {"1253", charmap.Windows1253, el}, {"sjis", japanese.ShiftJIS, japanese_},
		{"eucjp", japanese.EUCJP, japanese_}, {"gbk", simplifiedchinese.GBK, chinese_}, {"euckr", korean.EUCKR, korean_},
		{"big5", traditionalchinese.Big5, tw},
	}
	for _, c := range cases {
		for _, n := range []int{1, 5} {
			text := strings.Repeat(c.s+" ", n)
			got, err := toUTF8(encode(t, c.enc, text), "", false)
			if err != nil || string(got) != text {
				t.Errorf("%s x%d: got %q, %v", c.name, n, got, err)
			}
		}
	}
}

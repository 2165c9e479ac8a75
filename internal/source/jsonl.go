package source

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/storyline/storyline/internal/article"
)

// jsonlRecord is one JSONL line. Every field is optional but one of Text
// and HTML; fields of the wrong JSON type read as empty rather than
// failing the line.
type jsonlRecord struct {
	ID        looseString `json:"id"`
	URL       looseString `json:"url"`
	Title     looseString `json:"title"`
	Text      looseString `json:"text"`
	HTML      looseString `json:"html"`
	Lang      looseString `json:"lang"`
	Published looseString `json:"published"`
	Source    looseString `json:"source"`
}

// strictRecord is jsonlRecord with plain strings: decoding into it parses
// each field once, where looseString's UnmarshalJSON parses twice.
type strictRecord struct {
	ID        string `json:"id"`
	URL       string `json:"url"`
	Title     string `json:"title"`
	Text      string `json:"text"`
	HTML      string `json:"html"`
	Lang      string `json:"lang"`
	Published string `json:"published"`
	Source    string `json:"source"`
}

// decodeJSONLine decodes a line fast when every known field is a string
// or absent, and leniently otherwise.
func decodeJSONLine(line []byte) (jsonlRecord, error) {
	var s strictRecord
	err := json.Unmarshal(line, &s)
	if err == nil {
		return jsonlRecord{looseString(s.ID), looseString(s.URL), looseString(s.Title), looseString(s.Text),
			looseString(s.HTML), looseString(s.Lang), looseString(s.Published), looseString(s.Source)}, nil
	}
	var te *json.UnmarshalTypeError
	if !errors.As(err, &te) {
		return jsonlRecord{}, err
	}
	var rec jsonlRecord
	err = json.Unmarshal(line, &rec)
	return rec, err
}

// looseString accepts a JSON string, or the literal text of a number or
// boolean; objects, arrays and null read as "".
type looseString string

func (s *looseString) UnmarshalJSON(b []byte) error {
	if len(b) == 0 {
		return nil
	}
	switch b[0] {
	case '"':
		var v string
		if err := json.Unmarshal(b, &v); err != nil {
			return err
		}
		*s = looseString(v)
	case '{', '[', 'n':
		*s = ""
	default:
		*s = looseString(b)
	}
	return nil
}

// readJSONL yields one page per line of r, which is named p. Blank lines
// are skipped; a line over MaxBodyBytes, not JSON, or without text or
// html yields an Item with Err and Input p#L<line>.
func (e *emitter) readJSONL(r io.Reader, p string) {
	br := bufio.NewReaderSize(r, 64<<10)
	var buf []byte
	for n := 1; ; n++ {
		if !e.ok() {
			return
		}
		line, tooLong, err := readLine(br, buf[:0], e.opt.MaxBodyBytes)
		buf = line
		input := p + "#L" + strconv.Itoa(n)
		if err != nil && !errors.Is(err, io.EOF) {
			e.fail(input, fmt.Errorf("jsonl %s: %w", input, err))
			return
		}
		switch {
		case tooLong:
			e.fail(input, fmt.Errorf("jsonl %s: line %w (limit %d bytes)", input, ErrTooLarge, e.opt.MaxBodyBytes))
		case len(bytes.TrimSpace(line)) == 0:
			if err == nil {
				e.skip()
			}
		default:
			if n == 1 {
				line = bytes.TrimPrefix(line, bomUTF8)
			}
			page, perr := ParseJSONLine(line, input)
			if perr != nil {
				e.fail(input, perr)
			} else {
				e.page(page)
			}
		}
		if err != nil {
			return
		}
	}
}

// ParseJSONLine turns one JSON object with the JSONL input's fields (id,
// url, title, text or html, lang, published, source) into a page; the
// JSON API takes the same objects. Fields of the wrong JSON type read as
// empty or as their literal text; every field is made valid UTF-8 without
// NULs. An object with neither text nor html gives the page read so far
// and an error wrapping ErrNoContent.
func ParseJSONLine(line []byte, input string) (article.Page, error) {
	page := article.Page{Input: input}
	rec, err := decodeJSONLine(line)
	if err != nil {
		return page, fmt.Errorf("jsonl %s: not a JSON object: %w", input, err)
	}
	field := func(s looseString) string { return strings.TrimSpace(string(validUTF8([]byte(s)))) }
	page.ExternalID = field(rec.ID)
	page.URL = field(rec.URL)
	page.Title = field(rec.Title)
	page.Lang = normLang(field(rec.Lang))
	page.Source = field(rec.Source)
	page.Published, _ = ParseTime(string(rec.Published))
	// Emptiness is judged on the body as handed on: validUTF8 drops NULs,
	// so "\u0000" is no text.
	if text := validUTF8([]byte(rec.Text)); len(bytes.TrimSpace(text)) > 0 {
		page.Kind, page.Body = article.KindClean, text
		return page, nil
	}
	if h := validUTF8([]byte(rec.HTML)); len(bytes.TrimSpace(h)) > 0 {
		page.Kind, page.Body = article.KindHTML, h
		return page, nil
	}
	return page, fmt.Errorf("jsonl %s: %w", input, ErrNoContent)
}

// readLine reads one line (without its end) into buf. A line longer than
// limit is consumed but not kept: tooLong reports it. err is io.EOF after
// the last line, which may be returned with it.
func readLine(br *bufio.Reader, buf []byte, limit int64) (line []byte, tooLong bool, err error) {
	for {
		chunk, err := br.ReadSlice('\n')
		if !tooLong {
			if int64(len(buf)+len(chunk)) > limit+2 {
				tooLong = true
				buf = buf[:0]
			} else {
				buf = append(buf, chunk...)
			}
		}
		if errors.Is(err, bufio.ErrBufferFull) {
			continue
		}
		buf = bytes.TrimSuffix(buf, []byte("\n"))
		buf = bytes.TrimSuffix(buf, []byte("\r"))
		return buf, tooLong, err
	}
}

// normLang reduces a language tag to its lower-case primary subtag:
// "en-US" → "en".
func normLang(s string) string {
	s = strings.ToLower(strings.TrimSpace(s))
	if i := strings.IndexAny(s, "-_"); i >= 0 {
		s = s[:i]
	}
	return s
}

// timeLayouts are tried in order by ParseTime.
var timeLayouts = []string{
	time.RFC3339Nano,
	"2006-01-02T15:04:05Z0700",
	"2006-01-02T15:04:05",
	"2006-01-02T15:04Z07:00",
	"2006-01-02T15:04",
	"2006-01-02 15:04:05Z07:00",
	"2006-01-02 15:04:05 Z07:00",
	"2006-01-02 15:04:05 -0700",
	"2006-01-02 15:04:05 -0700 MST",
	"2006-01-02 15:04:05 MST",
	"2006-01-02 15:04:05",
	"2006-01-02 15:04",
	"2006-01-02",
	"2006/01/02 15:04:05",
	"2006/01/02",
	"20060102",
	time.RFC1123Z,
	time.RFC1123,
	"Mon, 2 Jan 2006 15:04:05 -0700",
	"Mon, 2 Jan 2006 15:04:05 MST",
	"Mon, 2 Jan 2006 15:04 -0700",
	"Mon, 2 Jan 2006 15:04 MST",
	"Mon, 2 Jan 06 15:04:05 -0700",
	"Mon, 2 Jan 06 15:04:05 MST",
	"2 Jan 2006 15:04:05 -0700",
	"2 Jan 2006 15:04:05 MST",
	"2 Jan 2006 15:04:05",
	"Monday, 2 January 2006 15:04:05 -0700",
	"Mon Jan 2 15:04:05 MST 2006",
	"Mon Jan 2 15:04:05 -0700 2006",
	time.RFC850,
	time.RFC822Z,
	time.RFC822,
	"January 2, 2006 15:04",
	"January 2, 2006",
	"Jan 2, 2006",
	"2 January 2006",
	"2 Jan 2006",
	"02.01.2006",
}

// zoneOffsets are the zone names feeds use; time.Parse reads an unknown
// name as UTC, which is hours off for "EST".
var zoneOffsets = map[string]int{
	"UT": 0, "UTC": 0, "GMT": 0, "Z": 0,
	"EST": -5, "EDT": -4, "CST": -6, "CDT": -5, "MST": -7, "MDT": -6, "PST": -8, "PDT": -7,
	"BST": 1, "CET": 1, "CEST": 2, "MET": 1, "MEST": 2, "EET": 2, "EEST": 3, "MSK": 3,
	"JST": 9, "KST": 9, "HKT": 8, "SGT": 8, "AEST": 10, "AEDT": 11,
}

// ParseTime reads a timestamp leniently: RFC 3339 and its common
// variants, date only, RFC 1123/822 as feeds write them (named or numeric
// zones, one-digit days, a missing or non-English weekday), a few long
// forms ("January 2, 2006") and Unix seconds or milliseconds. Times
// without a zone are UTC. It reports false for anything else.
func ParseTime(s string) (time.Time, bool) {
	s = strings.Join(strings.Fields(s), " ")
	if s == "" || len(s) > 64 {
		return time.Time{}, false
	}
	if n, err := strconv.ParseInt(s, 10, 64); err == nil {
		switch {
		case n >= 1e11 && n < 1e14:
			return time.UnixMilli(n).UTC(), true
		case n >= 1e8 && n < 1e11:
			return time.Unix(n, 0).UTC(), true
		}
	}
	candidates := []string{s}
	if i := strings.Index(s, ", "); i > 0 && i <= 12 && !strings.ContainsAny(s[:i], "0123456789") {
		// Drop a weekday name, which is often wrong or not English.
		candidates = append(candidates, s[i+2:])
	}
	for _, c := range candidates {
		for _, l := range timeLayouts {
			t, err := time.Parse(l, c)
			if err != nil || t.Year() < 1900 || t.Year() > 2200 {
				continue
			}
			// Named zones get their real offset whatever the local zone knows.
			if name, _ := t.Zone(); zoneOffsets[name] != 0 {
				y, mo, d := t.Date()
				t = time.Date(y, mo, d, t.Hour(), t.Minute(), t.Second(), t.Nanosecond(), time.FixedZone(name, zoneOffsets[name]*3600))
			}
			return t, true
		}
	}
	return time.Time{}, false
}

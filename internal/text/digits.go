package text

import "strings"

// ASCIIDigits rewrites decimal digits of other scripts (Arabic-Indic
// "١٣٥٩", Persian "۱۳۵۹", Devanagari, full-width "１３５９") and the Arabic
// decimal and group separators as ASCII, so that numbers written either
// way become the same # term. Other text is returned unchanged.
func ASCIIDigits(s string) string {
	if !hasForeignDigit(s) {
		return s
	}
	var sb strings.Builder
	sb.Grow(len(s))
	for _, r := range s {
		if d, ok := digitValue(r); ok {
			sb.WriteByte(byte('0' + d))
			continue
		}
		switch r {
		case '٫': // Arabic decimal separator
			r = '.'
		case '٬': // Arabic thousands separator
			r = ','
		}
		sb.WriteRune(r)
	}
	return sb.String()
}

// digitBlocks start runs of ten consecutive decimal digits.
var digitBlocks = [...]rune{0x0660, 0x06F0, 0x0966, 0x09E6, 0x0E50, 0xFF10}

func digitValue(r rune) (int, bool) {
	if r < 0x0660 {
		return 0, false
	}
	for _, z := range digitBlocks {
		if r >= z && r < z+10 {
			return int(r - z), true
		}
	}
	return 0, false
}

func hasForeignDigit(s string) bool {
	for _, r := range s {
		if _, ok := digitValue(r); ok {
			return true
		}
	}
	return false
}

package export

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// Cell values as text, the form CSV files and XLSX cells hold. Empty text
// is the empty value of every type: "", 0 for numbers that are never 0
// when known (years, positions), nil values, zero times, empty lists.

// timeLayout writes times in UTC with as many fraction digits as they
// carry, so that a database's times come back exactly.
const timeLayout = time.RFC3339Nano

// formatCell writes the value that field points to as text.
func formatCell(field any) string {
	switch v := field.(type) {
	case *string:
		return *v
	case *int:
		if *v == 0 {
			return ""
		}
		return strconv.Itoa(*v)
	case **int:
		if *v == nil {
			return ""
		}
		return strconv.Itoa(**v)
	case *bool:
		return strconv.FormatBool(*v)
	case *time.Time:
		if v.IsZero() {
			return ""
		}
		return v.UTC().Format(timeLayout)
	case *[]string:
		if len(*v) == 0 {
			return ""
		}
		return string(appendStrings(nil, *v))
	}
	panic(fmt.Sprintf("export: no cell format for %T", field))
}

// parseCell reads text into the value that field points to.
func parseCell(field any, s string) error {
	switch v := field.(type) {
	case *string:
		*v = s
	case *int:
		if s == "" {
			*v = 0
			return nil
		}
		n, err := strconv.Atoi(strings.TrimSpace(s))
		if err != nil {
			return fmt.Errorf("%s is not a whole number", quote(s))
		}
		*v = n
	case **int:
		if s == "" {
			*v = nil
			return nil
		}
		n, err := strconv.Atoi(strings.TrimSpace(s))
		if err != nil {
			return fmt.Errorf("%s is not a whole number", quote(s))
		}
		*v = &n
	case *bool:
		switch strings.ToLower(strings.TrimSpace(s)) {
		case "true":
			*v = true
		case "false":
			*v = false
		default:
			return fmt.Errorf("%s is not true or false", quote(s))
		}
	case *time.Time:
		if s == "" {
			*v = time.Time{}
			return nil
		}
		t, err := time.Parse(timeLayout, strings.TrimSpace(s))
		if err != nil {
			return fmt.Errorf("%s is not a date and time such as 2025-02-01T09:30:00Z", quote(s))
		}
		*v = t.UTC()
	case *[]string:
		if strings.TrimSpace(s) == "" {
			*v = nil
			return nil
		}
		var l []string
		if err := json.Unmarshal([]byte(s), &l); err != nil {
			return fmt.Errorf("%s is not a list written as a JSON array of texts, such as [\"Segou\",\"Sikasso\"]", quote(s))
		}
		*v = emptyAsNil(l)
	default:
		panic(fmt.Sprintf("export: no cell parser for %T", field))
	}
	return nil
}

func emptyAsNil(l []string) []string {
	if len(l) == 0 {
		return nil
	}
	return l
}

// appendJSON writes the value that field points to as JSON: empty values
// of numbers and times are null, empty lists [].
func appendJSON(buf []byte, field any) []byte {
	switch v := field.(type) {
	case *string:
		return appendString(buf, *v)
	case *int:
		if *v == 0 {
			return append(buf, "null"...)
		}
		return strconv.AppendInt(buf, int64(*v), 10)
	case **int:
		if *v == nil {
			return append(buf, "null"...)
		}
		return strconv.AppendInt(buf, int64(**v), 10)
	case *bool:
		return strconv.AppendBool(buf, *v)
	case *time.Time:
		if v.IsZero() {
			return append(buf, "null"...)
		}
		return appendString(buf, v.UTC().Format(timeLayout))
	case *[]string:
		return appendStrings(buf, *v)
	}
	panic(fmt.Sprintf("export: no JSON format for %T", field))
}

func appendStrings(buf []byte, l []string) []byte {
	buf = append(buf, '[')
	for i, s := range l {
		if i > 0 {
			buf = append(buf, ',')
		}
		buf = appendString(buf, s)
	}
	return append(buf, ']')
}

// appendString writes s as a JSON string, escaping only what JSON
// requires (and invalid UTF-8 as U+FFFD, as encoding/json does), so that
// text stays readable.
func appendString(buf []byte, s string) []byte {
	buf = append(buf, '"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c >= 0x20 && c != '"' && c != '\\' && c < utf8.RuneSelf {
			i++
			continue
		}
		if c < utf8.RuneSelf {
			buf = append(buf, s[start:i]...)
			switch c {
			case '"', '\\':
				buf = append(buf, '\\', c)
			case '\n':
				buf = append(buf, '\\', 'n')
			case '\r':
				buf = append(buf, '\\', 'r')
			case '\t':
				buf = append(buf, '\\', 't')
			default:
				buf = append(buf, `\u00`...)
				buf = append(buf, "0123456789abcdef"[c>>4], "0123456789abcdef"[c&0xf])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			buf = append(buf, s[start:i]...)
			buf = append(buf, `\ufffd`...)
			i++
			start = i
			continue
		}
		i += size
	}
	buf = append(buf, s[start:]...)
	return append(buf, '"')
}

// parseJSONValue reads a JSON value into the value that field points to.
// null is the empty value of every type.
func parseJSONValue(field any, raw []byte) error {
	raw = bytes.TrimSpace(raw)
	if string(raw) == "null" {
		return parseCell(field, "")
	}
	switch v := field.(type) {
	case *string:
		if raw[0] != '"' {
			return fmt.Errorf("must be a text, not %s", short(raw))
		}
		s, err := unquote(raw) // checked by jsonScanner
		if err != nil {
			return err
		}
		*v = s
	case *int, **int:
		if len(raw) == 0 || (raw[0] != '-' && (raw[0] < '0' || raw[0] > '9')) {
			return fmt.Errorf("must be a whole number, not %s", short(raw))
		}
		if err := parseCell(field, string(raw)); err != nil {
			return fmt.Errorf("must be a whole number, not %s", short(raw))
		}
	case *bool:
		switch string(raw) {
		case "true":
			*v = true
		case "false":
			*v = false
		default:
			return fmt.Errorf("must be true or false, not %s", short(raw))
		}
	case *time.Time:
		var s string
		if err := json.Unmarshal(raw, &s); err != nil {
			return fmt.Errorf("must be a date and time as a text such as \"2025-02-01T09:30:00Z\", not %s", short(raw))
		}
		if err := parseCell(field, s); err != nil {
			return err
		}
	case *[]string:
		var l []string
		if err := json.Unmarshal(raw, &l); err != nil {
			return fmt.Errorf("must be a list of texts, not %s", short(raw))
		}
		*v = emptyAsNil(l)
	default:
		panic(fmt.Sprintf("export: no JSON parser for %T", field))
	}
	return nil
}

// quote shows a value in a message, shortened.
func quote(s string) string {
	const max = 60
	if utf8.RuneCountInString(s) > max {
		s = string([]rune(s)[:max]) + "…"
	}
	return strconv.Quote(s)
}

func short(raw []byte) string {
	const max = 60
	if len(raw) > max {
		return string(raw[:max]) + "…"
	}
	return string(raw)
}

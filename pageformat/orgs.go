package pageformat

import (
	"net/mail"
	"regexp"
	"strconv"
	"strings"
	"unicode"

	vigie "github.com/vigie-network/vigie"
)

var (
	fieldRe   = regexp.MustCompile(`(?i)^(contact|phone|telephone|tel|e-?mail|address|website|web)\s*:\s*(.*)$`)
	yearRe    = regexp.MustCompile(`(?i)^year\s*:\s*(.*)$`)
	nameRe    = regexp.MustCompile(`^(.*\S)\s*\(([^()]+)\)$`)
	acronymRe = regexp.MustCompile(`^[\p{L}\p{N}&.'’-]{2,15}$`)
	pubSepRe  = regexp.MustCompile(`\s*,\s*|\s+&\s+|\s+and\s+`)
)

const orgLayout = `an organisation is its description, a "Name (ACRONYM)" line and its Contact:/Phone:/Email:/Address: lines; a publication is a publisher line, a title line and "Year: NNNN"`

// orgSection reads the organisations and publications. Lines are held as
// pending until what follows tells what they were: contact lines close an
// organisation (the last pending line is its name), a "Year:" line closes
// a publication (the last two are publisher and title).
func (p *parser) orgSection(ls []line, pg *Page, atEOF bool) {
	var pending []int
	for k := 0; k < len(ls); {
		l := ls[k]
		switch {
		case l.blank():
			k++
		case fieldRe.MatchString(l.text):
			if len(pending) == 0 {
				p.errorf(l.n, `%s comes before any organisation: expected the organisation's description and its "Name (ACRONYM)" line first`, quote(l.text))
				o := Organisation{}
				k = p.contacts(ls, k, &o)
				continue
			}
			name := pending[len(pending)-1]
			rest := p.takeOrgs(ls, pending[:len(pending)-1], pg)
			o := p.org(ls, rest, name)
			k = p.contacts(ls, k, &o)
			pg.Organisations = append(pg.Organisations, o)
			pending = nil
		case yearRe.MatchString(l.text):
			if len(pending) < 2 {
				p.errorf(l.n, "expected a publisher line and a title line before %s", quote(l.text))
			} else {
				if rest := p.takeOrgs(ls, pending[:len(pending)-2], pg); len(rest) > 0 {
					p.errorf(ls[rest[0]].n, "unexpected text %s: %s", quote(ls[rest[0]].text), orgLayout)
				}
				pg.Publications = append(pg.Publications, p.publication(ls[pending[len(pending)-2]], ls[pending[len(pending)-1]], l))
			}
			pending = nil
			k++
		default:
			pending = append(pending, k)
			k++
		}
	}
	rest := p.takeOrgs(ls, pending, pg)
	switch {
	case atEOF && len(rest) > 0:
		p.errorf(p.lastLine, `file ends before the "News from <country>" heading, in the middle of the organisations and publications (the text from line %d is unfinished: %s)`, ls[rest[0]].n, orgLayout)
	case atEOF:
		p.errorf(p.lastLine, `file ends before the "News from <country>" heading and the indicator blocks`)
	case len(rest) > 0:
		p.errorf(ls[rest[0]].n, "unexpected text %s before the news heading: %s", quote(ls[rest[0]].text), orgLayout)
	}
}

// takeOrgs turns pending lines into organisations that list no contacts:
// each ends at a paragraph that is only "Name (ACRONYM)". It returns the
// lines after the last such name.
func (p *parser) takeOrgs(ls []line, idx []int, pg *Page) []int {
	from := 0
	for j, k := range idx {
		if m := nameRe.FindStringSubmatch(ls[k].text); m != nil && alone(ls, k) && isAcronym(m[2]) {
			pg.Organisations = append(pg.Organisations, p.org(ls, idx[from:j], k))
			from = j + 1
		}
	}
	return idx[from:]
}

// isAcronym tells "(ACESEM)" from a parenthesis that ends a sentence.
func isAcronym(s string) bool {
	if !acronymRe.MatchString(s) {
		return false
	}
	upper := 0
	for _, r := range s {
		if unicode.IsUpper(r) {
			upper++
		}
	}
	return upper >= 2
}

// org builds an organisation from its description lines and name line.
func (p *parser) org(ls []line, desc []int, name int) Organisation {
	o := Organisation{Line: ls[name].n, Name: ls[name].text}
	if m := nameRe.FindStringSubmatch(ls[name].text); m != nil {
		o.Name, o.Acronym = strings.TrimSpace(m[1]), strings.TrimSpace(m[2])
	}
	if len(desc) > 0 {
		o.Description = joinRaw(ls, desc[0], desc[len(desc)-1])
		readProse(&o)
	}
	return o
}

// contacts reads the field lines from ls[k] on and returns the index of
// the first line that is not one.
func (p *parser) contacts(ls []line, k int, o *Organisation) int {
	cur := -1
	var seen map[string]bool
	for ; k < len(ls); k++ {
		l := ls[k]
		if l.blank() {
			continue
		}
		m := fieldRe.FindStringSubmatch(l.text)
		if m == nil {
			break
		}
		label, val := strings.ToLower(m[1]), emptyDash(m[2])
		switch label {
		case "telephone", "tel":
			label = "phone"
		case "e-mail":
			label = "email"
		case "web":
			label = "website"
		}
		if label == "website" {
			o.Website = p.website(l, val)
			continue
		}
		// A new contact starts at "Contact:", or when a field repeats.
		if label == "contact" || cur < 0 || seen[label] {
			o.Contacts = append(o.Contacts, vigie.Contact{})
			cur, seen = len(o.Contacts)-1, map[string]bool{}
		}
		seen[label] = true
		c := &o.Contacts[cur]
		switch label {
		case "contact":
			name, title, _ := strings.Cut(val, ",")
			c.Name, c.Title = emptyDash(name), emptyDash(title)
		case "phone":
			if val != "" {
				n, err := vigie.NormalisePhone(val)
				if err != nil {
					p.errorf(l.n, `cannot read the phone number %s: write it with its country code, e.g. "(+223) 77 08 40 23"`, quote(val))
				}
				c.Phone = n
			}
		case "email":
			val = strings.TrimPrefix(val, "mailto:")
			if val != "" {
				if a, err := mail.ParseAddress(val); err != nil || a.Address != val {
					p.errorf(l.n, "%s is not an email address (expected e.g. name@example.org)", quote(val))
				}
			}
			c.Email = val
		case "address":
			c.Address = val
		}
	}
	// "Contact: —" with nothing else is no contact at all.
	kept := o.Contacts[:0]
	for _, c := range o.Contacts {
		if c != (vigie.Contact{}) {
			kept = append(kept, c)
		}
	}
	o.Contacts = kept
	return k
}

func (p *parser) website(l line, val string) string {
	switch {
	case val == "", strings.HasPrefix(val, "https://"), strings.HasPrefix(val, "http://"):
		return val
	case !strings.ContainsAny(val, " \t") && strings.Contains(val, "."):
		return "https://" + val
	}
	p.errorf(l.n, "%s is not a web address (expected e.g. https://example.org)", quote(val))
	return ""
}

// emptyDash reads the page's marks for "nothing here" as empty.
func emptyDash(s string) string {
	s = strings.TrimSpace(s)
	switch s {
	case "—", "–", "-", "--":
		return ""
	}
	return s
}

// publication reads a publisher line, a title line and a "Year:" line.
func (p *parser) publication(pub, title, year line) Publication {
	out := Publication{Line: pub.n, Title: title.text, Type: publicationType(title.text)}
	for _, s := range pubSepRe.Split(pub.text, -1) {
		if s = strings.TrimSpace(s); s != "" {
			out.Publishers = append(out.Publishers, s)
		}
	}
	v := strings.TrimSpace(yearRe.FindStringSubmatch(year.text)[1])
	y, err := strconv.Atoi(v)
	if err != nil || len(v) != 4 || y < 1900 || y > 2200 {
		p.errorf(year.n, `expected a four-digit year after "Year:", found %s`, quote(v))
	}
	out.Year = y
	return out
}

// publicationType infers the library's type from the words of the title.
func publicationType(title string) string {
	t := wordKey(title)
	switch {
	case strings.Contains(t, " country monitoring report "):
		return vigie.PubCountryReport
	case strings.Contains(t, " legal checklist "):
		return vigie.PubLegalChecklist
	case strings.Contains(t, " regional overview "):
		return vigie.PubRegionalReview
	case researchRe.MatchString(t):
		return vigie.PubResearch
	}
	return vigie.PubOther
}

var researchRe = regexp.MustCompile(`\b(research|study|studies)\b`)

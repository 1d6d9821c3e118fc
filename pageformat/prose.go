package pageformat

import (
	"regexp"
	"strconv"
	"strings"

	vigie "github.com/vigie-network/vigie"
)

// The patterns below pick facts out of an organisation's description with
// ordinary English phrasing, not with any one page's sentences. They are
// best effort: when none matches, the field stays empty for an editor to
// fill in, which is better than a wrong guess.
const (
	monthNames = `january|february|march|april|may|june|july|august|september|october|november|december`
	// capWords is a proper name: capitalised words, as "Bamako" or "Upper River".
	capWords = `\p{Lu}[\p{L}'’-]*(?:[ -]\p{Lu}[\p{L}'’-]*)*`
)

var (
	foundedRe = regexp.MustCompile(`(?i)\b(?:created|founded|established|set up|registered|formed|launched)\s+(?:in|on)\s+(?:(\d{1,2})(?:st|nd|rd|th)?\s+)?(?:(` + monthNames + `)\s+)?(\d{4})\b`)
	officeRes = []*regexp.Regexp{
		regexp.MustCompile(`(?i:\b(?:office|offices|headquarters|head office|secretariat)\s+(?:is|are)\s+(?:located|based|situated)\s+in\s+(?:the\s+city\s+of\s+)?)(` + capWords + `)`),
		regexp.MustCompile(`(?i:\b(?:headquartered|based)\s+in\s+(?:the\s+city\s+of\s+)?)(` + capWords + `)`),
	}
	regionsRe = regexp.MustCompile(`(?i:\b(?:regions?|provinces?|districts?|departments?|counties)\s+of\s+(?:the\s+)?)(` +
		capWords + `(?:(?:\s*,\s*(?:and\s+)?|\s+and\s+|\s*&\s*)` + capWords + `)*)`)
	areaRes = []*regexp.Regexp{
		// "Prevention, protection and rehabilitation constitute the three main areas of work"
		regexp.MustCompile(`([^.;:!?]+?)\s+(?i:constitutes?|forms?|makes? up|are|is)\s+(?i:(?:the|its|their)\s+)?(?:[^.;:!?]*?\s)?(?i:areas?|fields?)\s+of\s+(?i:work|intervention|action|focus|activity)\b`),
		// "Its areas of work are prevention, protection and rehabilitation."
		regexp.MustCompile(`(?i:\b(?:areas?|fields?)\s+of\s+(?:work|intervention|action|focus|activity)\s+(?:are|include|includes|is|cover|covers)\s*:?\s+)([^.;!?]+)`),
		// "It works in the areas of prevention and protection."
		regexp.MustCompile(`(?i:\bworks?\s+in\s+the\s+(?:areas?|fields?)\s+of\s+)([^.;!?]+)`),
	}
	sentenceEndRe = regexp.MustCompile(`[.!?]\s+`)
	listSepRe     = regexp.MustCompile(`(?i)\s*,\s*(?:and\s+|&\s+)?|\s+and\s+|\s*&\s*`)
	qualifierRe   = regexp.MustCompile(`(?i)\s+(?:of|for|to|among|against|with|in)\s+.*$`)
)

// readProse fills the facts of o that its description states. Each
// pattern runs only on the sentences that hold its key word: the regular
// expressions are slow on long unanchored text, and a fact never spans
// two sentences.
func readProse(o *Organisation) {
	text := strings.Join(strings.Fields(clean(o.Description)), " ")
	sentences := sentenceEndRe.Split(text, -1)
	find := func(re *regexp.Regexp, words ...string) []string {
		for _, s := range sentences {
			lower := strings.ToLower(s)
			for _, w := range words {
				if strings.Contains(lower, w) {
					if m := re.FindStringSubmatch(s); m != nil {
						return m
					}
					break
				}
			}
		}
		return nil
	}
	if m := find(foundedRe, "created", "founded", "established", "set up", "registered", "formed", "launched"); m != nil {
		a := vigie.AsOf{}
		a.Year, _ = strconv.Atoi(m[3])
		if m[2] != "" {
			a.Month = monthNumber(m[2])
			a.Day, _ = strconv.Atoi(m[1])
		}
		if a.Validate() == nil {
			o.Founded = a
		}
	}
	for _, re := range officeRes {
		if m := find(re, "office", "headquarters", "secretariat", "based in", "headquartered"); m != nil {
			o.OfficeCity = m[1]
			break
		}
	}
	if m := find(regionsRe, "region", "province", "district", "department", "counties"); m != nil {
		o.Regions = splitList(m[1])
	}
	for _, re := range areaRes {
		if m := find(re, "area of", "areas of", "field of", "fields of"); m != nil {
			if areas := areaList(m[1]); areas != nil {
				o.AreasOfWork = areas
				break
			}
		}
	}
}

func monthNumber(name string) int {
	for i, m := range strings.Split(monthNames, "|") {
		if strings.EqualFold(m, name) {
			return i + 1
		}
	}
	return 0
}

func splitList(s string) []string {
	var out []string
	for _, item := range listSepRe.Split(s, -1) {
		if item = strings.TrimSpace(item); item != "" {
			out = append(out, item)
		}
	}
	return out
}

// areaList reads "Prevention, protection, and rehabilitation of child
// victims" as prevention, protection, rehabilitation: a qualifier such as
// "of child victims" scopes the list, it is not part of an area's name.
// A list with a long item is a sentence the pattern caught by mistake.
func areaList(s string) []string {
	var out []string
	for _, item := range splitList(s) {
		item = qualifierRe.ReplaceAllString(item, "")
		item = strings.TrimPrefix(strings.ToLower(item), "the ")
		if len(strings.Fields(item)) > 4 {
			return nil
		}
		if item != "" {
			out = append(out, item)
		}
	}
	return out
}

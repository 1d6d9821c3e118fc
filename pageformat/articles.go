package pageformat

import (
	"regexp"
	"strings"

	vigie "github.com/vigie-network/vigie"
)

// Explanations cite laws down to the article ("Articles 16 and 17 of the
// Law on Trafficking in Persons") while the source line lists only the
// laws. Reading the references back onto the citations keeps the articles
// with the law they belong to.
const (
	artNum = `\d+(?:[-./]\d+)*[a-z]?`
	// artName is a law's name as prose writes it: capitalised words (or
	// numbers) joined by small words, ending at the first other word.
	artWord = `[\p{Lu}\p{N}][\p{L}\p{N}'’-]*`
	artName = artWord + `(?:\s+(?:(?:of|on|in|the|and|for|to|against|relating|relative|concerning|de|du|des|la|le|les|sur|del|y|n[º°o]\.?)\s+)*` + artWord + `)*`
)

var (
	articleRe = regexp.MustCompile(`(?i:\b(?:articles?|arts?\.))\s+(` + artNum + `(?:(?:\s*,\s*(?:and\s+)?|\s+and\s+|\s*&\s*)` + artNum + `)*)\s+(?i:of)\s+(?:(?i:the)\s+)?(` + artName + `)`)
	// innerArticleRe finds the next reference that artName ran into, as in
	// "the Penal Code and Article 5 of the Law …".
	innerArticleRe = regexp.MustCompile(`\s+(?:and\s+)?(?:Articles?|Arts?\.)(?:\s|$)`)
	artSepRe       = regexp.MustCompile(`\s*,\s*(?:and\s+)?|\s+and\s+|\s*&\s*`)
)

// stopWords carry no meaning for telling one law's name from another's.
var stopWords = map[string]bool{
	"of": true, "on": true, "in": true, "the": true, "and": true, "for": true, "to": true, "a": true, "an": true,
	"against": true, "relating": true, "relative": true, "concerning": true, "de": true, "du": true, "des": true,
	"la": true, "le": true, "les": true, "sur": true, "del": true, "y": true, "el": true, "en": true, "et": true,
	"n": true, "nº": true, "no": true,
}

// sameWord lets English prose cite a law whose title is in French or
// Spanish, as pages of francophone countries do ("the Law on …" for "Loi
// nº …").
var sameWord = map[string]string{
	"loi": "law", "ley": "law", "codigo": "code", "decret": "decree", "decreto": "decree",
	"ordonnance": "ordinance", "constitucion": "constitution",
}

// lawTokens are the words of a law's name as matching compares them.
func lawTokens(s string) []string {
	words := tokens(s)
	for i, w := range words {
		if c, ok := sameWord[w]; ok {
			words[i] = c
		}
	}
	return words
}

type articleRef struct {
	nums []string
	name string
	// tail is the words after the name up to the next punctuation. A
	// French or Spanish title goes on in lower case ("the Code de
	// procédure pénale"), where the name, made of capitalised words,
	// stops; the tail lets such a reference tell two codes apart.
	tail string
}

// tailEnd ends a name's tail: punctuation, or the next reference.
var tailEnd = regexp.MustCompile(`[.,;:()\[\]!?\n]|\s(?:and\s+)?(?i:articles?|arts?\.)(?:\s|$)`)

func articleRefs(text string) []articleRef {
	var refs []articleRef
	for off := 0; off < len(text); {
		m := articleRe.FindStringSubmatchIndex(text[off:])
		if m == nil {
			break
		}
		name := text[off+m[4] : off+m[5]]
		next := off + m[1]
		if loc := innerArticleRe.FindStringIndex(name); loc != nil {
			next = off + m[4] + loc[0]
			name = name[:loc[0]]
		}
		after := text[off+m[4]+len(name):]
		if len(after) > 120 {
			after = after[:120]
		}
		if loc := tailEnd.FindStringIndex(after); loc != nil {
			after = after[:loc[0]]
		}
		tail := strings.Fields(after)
		if len(tail) > 8 {
			tail = tail[:8]
		}
		refs = append(refs, articleRef{nums: artSepRe.Split(text[off+m[2]:off+m[3]], -1), name: name, tail: strings.Join(tail, " ")})
		off = next
	}
	return refs
}

// attachArticles sets Citation.Articles from the explanation's references,
// numbers in order of first appearance. A reference that matches no
// citation, or several, is left out rather than guessed.
func attachArticles(explanation string, cites []vigie.Citation) {
	if len(cites) == 0 || !strings.Contains(strings.ToLower(explanation), "art") {
		return
	}
	titles := make([]map[string]bool, len(cites))
	for i, c := range cites {
		titles[i] = map[string]bool{}
		for _, w := range lawTokens(c.Source.Title) {
			titles[i][w] = true
		}
	}
	arts := make([][]string, len(cites))
	for _, r := range articleRefs(explanation) {
		i := matchCitation(lawTokens(r.name), titles)
		if i < 0 && r.tail != "" {
			i = matchCitation(lawTokens(r.name+" "+r.tail), titles)
		}
		if i < 0 {
			continue
		}
		for _, n := range r.nums {
			if n != "" && !contains(arts[i], n) {
				arts[i] = append(arts[i], n)
			}
		}
	}
	for i := range cites {
		if len(arts[i]) > 0 {
			cites[i].Articles = "Art. " + strings.Join(arts[i], ", ")
		}
	}
}

// matchCitation finds the one citation whose title holds every significant
// word of the name. Prose may run the name on ("the Code of Criminal
// Procedure and Regulations"), so shorter and shorter leading parts are
// tried; the first part that matches decides, and an ambiguous match
// attaches nothing.
func matchCitation(words []string, titles []map[string]bool) int {
	for n := len(words); n > 0; n-- {
		if stopWords[words[n-1]] {
			continue
		}
		var need []string
		for _, w := range words[:n] {
			if !stopWords[w] {
				need = append(need, w)
			}
		}
		found := -1
		for i, t := range titles {
			if hasAll(t, need) {
				if found >= 0 {
					return -1
				}
				found = i
			}
		}
		if found >= 0 {
			return found
		}
	}
	return -1
}

func hasAll(set map[string]bool, words []string) bool {
	for _, w := range words {
		if !set[w] {
			return false
		}
	}
	return true
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

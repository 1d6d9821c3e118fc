// Package pageformat reads the network's country page, as plain text or as
// a saved HTML page, into structured data. It reads the page by its layout,
// never by the words of one country, and knows nothing of storage or of the
// country list: the caller resolves the country name and writes the records.
//
// The layout, top to bottom (blank lines separate paragraphs; any number of
// them is accepted between the parts):
//
//	<featured story title> Read the story
//
//	<organisation description, one or more paragraphs>
//	<Organisation Name> (<ACRONYM>)
//	Contact: <name>, <title>        any subset of these lines, in any order;
//	Phone: <number with country code>  each "Contact:" starts a new contact;
//	Email: <address>                "—", "–", "-" or nothing means empty
//	Address: <address>
//	Website: <address>              (one for the organisation)
//	… further organisations the same way …
//
//	<publisher>[, <publisher> | & <publisher> | and <publisher>]
//	<publication title>
//	Year: <YYYY>
//	… further publications the same way …
//
//	News from <Country>
//
//	<news title>                    news items: a title line, then a date
//	<date>                          line ("12 March 2024", "March 12, 2024",
//	<summary paragraphs>            "2024-03-12"), then the summary; the next
//	                                item starts at a line followed by a date
//
//	<indicator name>                one block per indicator, in page order:
//	<rating label>                  optional
//	<N years>                       optional, for indicators that take a value
//	<explanation paragraphs>        optional, kept exactly as written
//	<source line>                   optional, the last line(s) of the block
//
// The current site's layout shows each indicator's rating above its
// heading (<rating>, <indicator name>, <N years>, explanation, sources);
// saved as HTML, its headings may also live only in the markup, as an
// attribute of each indicator's box (data-indicator, aria-label …). The
// parser reads a page in the layout it shows and names it in Page.Layout.
//
// A source line lists titles and years in any of the forms that the
// network's pages use, alone or mixed (see sources.go): the flattened
// list of the reference page ("A, B, 2001 (status as of 2021), 2012"),
// title-year pairs, one publication with its year, commas inside
// parentheses, sources joined by ";" or " and ", "n.d." and year-less
// titles, and "état au" and "vigente a" for "status as of". A line that
// reads two ways keeps its other readings in IndicatorBlock.Unsure.
//
// Every error is an *Error naming the file and line; when several problems
// can be found in one pass they come back together as an ErrorList.
package pageformat

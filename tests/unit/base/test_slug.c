/* test_slug: URL segments from real JHU names: case, punctuation, runs of
 * separators, accents folded, other scripts dropped, truncation. */
#include "base/slug.h"
#include "check.h"

static const char *
seg(const char *name, size_t outsz)
{
	static char out[128];

	slug_segment(name, out, outsz);
	return out;
}

int
main(void)
{
	char small[8];

	CHECK_STR(seg("US", 128), "us");
	CHECK_STR(seg("New York", 128), "new-york");
	CHECK_STR(seg("Korea, South", 128), "korea-south");
	CHECK_STR(seg("Hong Kong", 128), "hong-kong");
	CHECK_STR(seg("Taiwan*", 128), "taiwan");
	CHECK_STR(seg("Congo (Kinshasa)", 128), "congo-kinshasa");
	CHECK_STR(seg("Cote d'Ivoire", 128), "cote-d-ivoire");
	CHECK_STR(seg("Bonaire, Sint Eustatius and Saba", 128),
	    "bonaire-sint-eustatius-and-saba");
	CHECK_STR(seg("  Azerbaijan", 128), "azerbaijan");
	CHECK_STR(seg("Out of AL", 128), "out-of-al");
	CHECK_STR(seg("St. Louis City", 128), "st-louis-city");
	CHECK_STR(seg("Guinea-Bissau", 128), "guinea-bissau");
	CHECK_STR(seg("Summer Olympics 2020", 128), "summer-olympics-2020");
	/* Accents: Latin-1 and Latin Extended-A, upper and lower case. */
	CHECK_STR(seg("Do\xc3\xb1" "a Ana", 128), "dona-ana");
	CHECK_STR(seg("Cura\xc3\xa7" "ao", 128), "curacao");
	CHECK_STR(seg("R\xc3\xa9" "union", 128), "reunion");
	CHECK_STR(seg("\xc3\x85land", 128), "aland");
	CHECK_STR(seg("Stra\xc3\x9f" "e", 128), "strasse");
	CHECK_STR(seg("\xc5\x81\xc3\xb3" "d\xc5\xba", 128), "lodz");
	CHECK_STR(seg("\xc5\x92uvre", 128), "oeuvre");
	CHECK_STR(seg("\xc5\xbd" "ilina", 128), "zilina");
	CHECK_STR(seg("\xc4\xb0zmir", 128), "izmir");
	/* Other scripts and invalid bytes separate words, never leak through. */
	CHECK_STR(seg("Hong Kong \xe9\xa6\x99\xe6\xb8\xaf SAR", 128), "hong-kong-sar");
	CHECK_STR(seg("bad\xff" "byte", 128), "bad-byte");
	CHECK_STR(seg("cut\xc3", 128), "cut");
	CHECK_STR(seg("\xc3\x97", 128), "");
	/* Overlong forms are not UTF-8 (utf8_decode's rule): not 'A', not
	 * U+00C0, but separators. */
	CHECK_STR(seg("x\xc1\x81y", 128), "x-y");
	CHECK_STR(seg("\xe0\x83\x80ge", 128), "ge");
	CHECK_STR(seg("\xed\xa0\x80z", 128), "z");
	CHECK_INT(slug_segment("***", small, sizeof small), 0);
	CHECK_STR(small, "");
	/* Truncation: at most outsz - 1 bytes, never ending in '-'. */
	CHECK_INT(slug_segment("abcdef ghij", small, sizeof small), 6);
	CHECK_STR(small, "abcdef");
	CHECK_INT(slug_segment("abcd \xc3\x9f", small, sizeof small), 7);
	CHECK_STR(small, "abcd-ss");
	CHECK_INT(slug_segment("abcde \xc3\x9f", small, sizeof small), 5);
	CHECK_STR(small, "abcde");
	CHECK_INT(slug_segment("abcdef \xc3\x9f", small, sizeof small), 6);
	CHECK_STR(small, "abcdef");
	return check_exit();
}

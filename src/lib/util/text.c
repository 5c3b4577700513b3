/*
 * text.c - UTF-8 decoding shared by every writer that must treat untrusted
 * text byte-exactly: the JSON, Graphviz, Mermaid, HTML and YAML writers all
 * replace invalid sequences rather than pass them into their output.
 */
#include "util.h"

#include <string.h>

size_t lin_i_utf8_next(const unsigned char *s, unsigned long *cp)
{
	unsigned long c = s[0], min = 0;
	size_t n = 0;
	if (c < 0x80) {
		*cp = c;
		return 1;
	}
	if (c >= 0xc2 && c <= 0xdf)
		n = 2, c &= 0x1f, min = 0x80;
	else if (c >= 0xe0 && c <= 0xef)
		n = 3, c &= 0x0f, min = 0x800;
	else if (c >= 0xf0 && c <= 0xf4)
		n = 4, c &= 0x07, min = 0x10000;
	else
		return 0;
	for (size_t i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		c = (c << 6) | (s[i] & 0x3f);
	}
	/* overlong forms, surrogates and code points past U+10FFFF */
	if (c < min || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
		return 0;
	*cp = c;
	return n;
}

/* Noncharacters: U+FDD0..U+FDEF and the last two code points of every
 * plane. XML 1.0 forbids U+FFFE and U+FFFF outright (one in a label made
 * every SVG showing it ill-formed) and discourages the rest. */
static int cp_nonchar(unsigned long c)
{
	return (c >= 0xfdd0 && c <= 0xfdef) || (c & 0xfffe) == 0xfffe;
}

int lin_i_cp_hidden(unsigned long c)
{
	return c < 0x20 || (c >= 0x7f && c <= 0x9f) || c == 0x061c || c == 0x200e ||
	       c == 0x200f || (c >= 0x202a && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069) ||
	       c == 0x2028 || c == 0x2029 || cp_nonchar(c);
}

/* ---- look-alikes ------------------------------------------------------------
 * What a name reads as: its skeleton. Unicode's confusables table is 6,000
 * lines; this is the part that matters for names written in Latin letters:
 * invisible characters dropped, compatibility forms (full-width, the
 * mathematical alphabets, ligatures, odd spaces) folded to ASCII, and the
 * Cyrillic, Greek and Latin-extension letters drawn like ASCII ones. CJK
 * and every other script are left alone: they read as themselves. */

/* Default-ignorable code points (Unicode's Default_Ignorable_Code_Point,
 * which a font draws as nothing) and the hidden ones. */
static int cp_invisible(unsigned long c)
{
	return lin_i_cp_hidden(c) || c == 0x00ad || c == 0x034f || c == 0x115f || c == 0x1160 ||
	       c == 0x17b4 || c == 0x17b5 || (c >= 0x180b && c <= 0x180f) ||
	       (c >= 0x200b && c <= 0x200f) || (c >= 0x2060 && c <= 0x206f) || c == 0x3164 ||
	       (c >= 0xfe00 && c <= 0xfe0f) || c == 0xfeff || c == 0xffa0 ||
	       (c >= 0xfff0 && c <= 0xfff8) || (c >= 0x1bca0 && c <= 0x1bca3) ||
	       (c >= 0x1d173 && c <= 0x1d17a) || (c >= 0xe0000 && c <= 0xe0fff);
}

/* Letters of other scripts drawn like ASCII ones, sorted by code point. */
static const struct {
	unsigned short cp;
	char ascii;
} lookalike[] = {
	{0x0131, 'i'}, {0x0237, 'j'}, {0x0251, 'a'}, {0x0261, 'g'}, {0x026a, 'i'},
	{0x0391, 'A'}, {0x0392, 'B'}, {0x0395, 'E'}, {0x0396, 'Z'}, {0x0397, 'H'},
	{0x0399, 'I'}, {0x039a, 'K'}, {0x039c, 'M'}, {0x039d, 'N'}, {0x039f, 'O'},
	{0x03a1, 'P'}, {0x03a4, 'T'}, {0x03a5, 'Y'}, {0x03a7, 'X'}, {0x03b1, 'a'},
	{0x03b9, 'i'}, {0x03bd, 'v'}, {0x03bf, 'o'}, {0x03c1, 'p'}, {0x03f2, 'c'},
	{0x03f3, 'j'}, {0x03f9, 'C'}, {0x0405, 'S'}, {0x0406, 'I'}, {0x0408, 'J'},
	{0x0410, 'A'}, {0x0412, 'B'}, {0x0415, 'E'}, {0x041a, 'K'}, {0x041c, 'M'},
	{0x041d, 'H'}, {0x041e, 'O'}, {0x0420, 'P'}, {0x0421, 'C'}, {0x0422, 'T'},
	{0x0423, 'Y'}, {0x0425, 'X'}, {0x0430, 'a'}, {0x0435, 'e'}, {0x043e, 'o'},
	{0x0440, 'p'}, {0x0441, 'c'}, {0x0443, 'y'}, {0x0445, 'x'}, {0x0455, 's'},
	{0x0456, 'i'}, {0x0458, 'j'}, {0x04ae, 'Y'}, {0x04bb, 'h'}, {0x04c0, 'I'},
	{0x04cf, 'l'}, {0x0501, 'd'}, {0x051b, 'q'}, {0x051d, 'w'}, {0x0555, 'O'},
	{0x0570, 'h'}, {0x0578, 'n'}, {0x057d, 'u'}, {0x0585, 'o'}, {0x13a0, 'D'},
	{0x13a1, 'R'}, {0x13a2, 'T'}, {0x13a9, 'Y'}, {0x13aa, 'A'}, {0x13ab, 'J'},
	{0x13ac, 'E'}, {0x13b3, 'W'}, {0x13b7, 'M'}, {0x13bb, 'H'}, {0x13c0, 'G'},
	{0x13c3, 'Z'}, {0x13cf, 'b'}, {0x13d2, 'R'}, {0x13da, 'S'}, {0x13de, 'L'},
	{0x13df, 'C'}, {0x13e2, 'P'}, {0x13e6, 'K'},
};

/* Compatibility letters folded to one ASCII letter, outside the ranges
 * fold() computes: letterlike symbols and Roman numerals. */
static const struct {
	unsigned short cp;
	char ascii;
} compat_letter[] = {
	{0x2102, 'C'}, {0x210a, 'g'}, {0x210b, 'H'}, {0x210c, 'H'}, {0x210d, 'H'},
	{0x210e, 'h'}, {0x2110, 'I'}, {0x2111, 'I'}, {0x2112, 'L'}, {0x2113, 'l'},
	{0x2115, 'N'}, {0x2119, 'P'}, {0x211a, 'Q'}, {0x211b, 'R'}, {0x211c, 'R'},
	{0x211d, 'R'}, {0x2124, 'Z'}, {0x212a, 'K'}, {0x212c, 'B'}, {0x212d, 'C'},
	{0x212f, 'e'}, {0x2130, 'E'}, {0x2131, 'F'}, {0x2133, 'M'}, {0x2134, 'o'},
	{0x2139, 'i'}, {0x2145, 'D'}, {0x2146, 'd'}, {0x2147, 'e'}, {0x2148, 'i'},
	{0x2149, 'j'}, {0x2160, 'I'}, {0x2164, 'V'}, {0x2169, 'X'}, {0x216c, 'L'},
	{0x216d, 'C'}, {0x216e, 'D'}, {0x216f, 'M'}, {0x2170, 'i'}, {0x2174, 'v'},
	{0x2179, 'x'}, {0x217c, 'l'}, {0x217d, 'c'}, {0x217e, 'd'}, {0x217f, 'm'},
};

static char table_find(const void *table, size_t n, unsigned long c)
{
	const struct {
		unsigned short cp;
		char ascii;
	} *t = table;
	size_t lo = 0, hi = n;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (t[mid].cp == c)
			return t[mid].ascii;
		if (t[mid].cp < c)
			lo = mid + 1;
		else
			hi = mid;
	}
	return 0;
}

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

/* Latin letters of the mathematical alphabets U+1D400..U+1D6A3: thirteen
 * styles of A-Z a-z (the holes are letters encoded elsewhere). */
static char math_letter(unsigned long c)
{
	unsigned long k = (c - 0x1d400) % 52;
	return (char)(k < 26 ? 'A' + k : 'a' + (k - 26));
}

lin_fold lin_i_cp_fold(unsigned long c, char out[4])
{
	static const char *const lig[] = {"ff", "fi", "fl", "ffi", "ffl", "st", "st"};
	char a = 0;
	lin_fold kind = LIN_FOLD_COMPAT;
	out[0] = '\0';
	if (c < 0x80)
		return LIN_FOLD_KEEP;
	if (cp_invisible(c))
		return LIN_FOLD_INVISIBLE;
	if (c >= 0xfb00 && c <= 0xfb06) {
		memcpy(out, lig[c - 0xfb00], strlen(lig[c - 0xfb00]) + 1);
		return LIN_FOLD_COMPAT;
	}
	if (c == 0xa0 || (c >= 0x2000 && c <= 0x200a) || c == 0x202f || c == 0x205f) {
		a = ' ';
	} else if (c == 0x3000) { /* CJK text's own space: no warning */
		a = ' ';
		kind = LIN_FOLD_SCRIPT;
	} else if (c >= 0xff01 && c <= 0xff5e) {
		a = (char)(c - 0xfee0);
		/* full-width punctuation is ordinary in CJK names (the brackets,
		 * the colon): folded, but only letters and digits earn a warning */
		if (!((a >= '0' && a <= '9') || (a >= 'A' && a <= 'Z') || (a >= 'a' && a <= 'z')))
			kind = LIN_FOLD_SCRIPT;
	} else if (c >= 0x1d400 && c <= 0x1d6a3) {
		a = math_letter(c);
	} else if (c >= 0x1d7ce && c <= 0x1d7ff) {
		a = (char)('0' + (c - 0x1d7ce) % 10);
	} else if (c <= 0xffff && (a = table_find(compat_letter, COUNT(compat_letter), c)) == 0) {
		a = table_find(lookalike, COUNT(lookalike), c);
		kind = LIN_FOLD_SCRIPT;
	}
	if (!a)
		return LIN_FOLD_KEEP;
	out[0] = a;
	out[1] = '\0';
	return kind;
}

int lin_i_skeleton(lin_buf *out, const char *s, unsigned long *first, lin_fold *kind)
{
	const unsigned char *p = (const unsigned char *)(s ? s : "");
	lin_fold worst = LIN_FOLD_KEEP;
	unsigned long at = 0;
	while (*p) {
		unsigned long cp = 0;
		char a[4] = "";
		size_t n = lin_i_utf8_next(p, &cp);
		lin_fold f = n ? lin_i_cp_fold(cp, a) : LIN_FOLD_KEEP;
		if (f == LIN_FOLD_KEEP)
			lin_buf_append(out, (const char *)p, n ? n : 1);
		else
			lin_buf_puts(out, a);
		/* the character a warning names: an invisible one first, then a
		 * compatibility form, then a letter of another script */
		if (f > worst) {
			worst = f;
			at = cp;
		}
		p += n ? n : 1;
	}
	if (first)
		*first = at;
	if (kind)
		*kind = worst;
	return out->oom ? LIN_ENOMEM : 0;
}

const char *lin_i_clip(char *buf, size_t n, const char *s)
{
	size_t len = strlen(s ? s : "");
	if (n < 4)
		return "";
	if (len < n) {
		memcpy(buf, s ? s : "", len + 1);
		return buf;
	}
	/* room for the ellipsis and the NUL, then back to a character's start */
	size_t k = n - 4;
	while (k > 0 && ((unsigned char)s[k] & 0xc0) == 0x80)
		k--;
	memcpy(buf, s, k);
	memcpy(buf + k, "\xe2\x80\xa6", 4);
	return buf;
}

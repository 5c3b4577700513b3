/*
 * sha1.c - SHA-1 (FIPS 180-4), for name-based (version 5) UUIDs: the AI-BOM
 * writers derive a document's serial number from its own bytes, so the
 * same catalog always gives the same document. Not for security.
 */
#include "util.h"

#include <string.h>

#define ROL(x, k) (((x) << (k)) | ((x) >> (32 - (k))))

static void block(uint32_t h[5], const unsigned char *p)
{
	uint32_t w[80], a = h[0], b = h[1], c = h[2], d = h[3], e = h[4];
	for (int i = 0; i < 16; i++)
		w[i] = (uint32_t)p[4 * i] << 24 | (uint32_t)p[4 * i + 1] << 16 |
		       (uint32_t)p[4 * i + 2] << 8 | (uint32_t)p[4 * i + 3];
	for (int i = 16; i < 80; i++)
		w[i] = ROL(w[i - 3] ^ w[i - 8] ^ w[i - 14] ^ w[i - 16], 1);
	for (int i = 0; i < 80; i++) {
		uint32_t f, k;
		if (i < 20)
			f = (b & c) | (~b & d), k = 0x5a827999u;
		else if (i < 40)
			f = b ^ c ^ d, k = 0x6ed9eba1u;
		else if (i < 60)
			f = (b & c) | (b & d) | (c & d), k = 0x8f1bbcdcu;
		else
			f = b ^ c ^ d, k = 0xca62c1d6u;
		uint32_t t = ROL(a, 5) + f + e + k + w[i];
		e = d, d = c, c = ROL(b, 30), b = a, a = t;
	}
	h[0] += a, h[1] += b, h[2] += c, h[3] += d, h[4] += e;
}

void lin_i_sha1(unsigned char out[20], const void *prefix, size_t plen, const void *data,
                size_t len)
{
	uint32_t h[5] = {0x67452301u, 0xefcdab89u, 0x98badcfeu, 0x10325476u, 0xc3d2e1f0u};
	unsigned char buf[64];
	size_t fill = 0;
	uint64_t bits = ((uint64_t)plen + (uint64_t)len) * 8;
	const unsigned char *parts[2] = {prefix, data};
	size_t lens[2] = {plen, len};
	for (int k = 0; k < 2; k++) {
		const unsigned char *p = parts[k];
		size_t n = lens[k];
		while (n) {
			size_t take = 64 - fill < n ? 64 - fill : n;
			memcpy(buf + fill, p, take);
			fill += take, p += take, n -= take;
			if (fill == 64)
				block(h, buf), fill = 0;
		}
	}
	buf[fill++] = 0x80;
	if (fill > 56) {
		memset(buf + fill, 0, 64 - fill);
		block(h, buf);
		fill = 0;
	}
	memset(buf + fill, 0, 56 - fill);
	for (int i = 0; i < 8; i++)
		buf[56 + i] = (unsigned char)(bits >> (56 - 8 * i));
	block(h, buf);
	for (int i = 0; i < 5; i++)
		for (int j = 0; j < 4; j++)
			out[4 * i + j] = (unsigned char)(h[i] >> (24 - 8 * j));
}

void lin_i_uuid_v5(char out[37], const unsigned char ns[16], const void *data, size_t len)
{
	static const char hex[] = "0123456789abcdef";
	unsigned char d[20];
	lin_i_sha1(d, ns, 16, data, len);
	d[6] = (unsigned char)((d[6] & 0x0f) | 0x50); /* version 5: name-based, SHA-1 */
	d[8] = (unsigned char)((d[8] & 0x3f) | 0x80); /* the RFC 4122 variant */
	char *q = out;
	for (int i = 0; i < 16; i++) {
		if (i == 4 || i == 6 || i == 8 || i == 10)
			*q++ = '-';
		*q++ = hex[d[i] >> 4];
		*q++ = hex[d[i] & 15];
	}
	*q = '\0';
}

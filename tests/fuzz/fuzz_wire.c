/*
 * fuzz_wire.c - libFuzzer harness for the resident server's wire
 * (src/serve/wire.c): any bytes as a request's hello (its magic and
 * version set, so that the rest is reached) and body, and as a frame.
 * Whatever is accepted must hold: argc and envc strings, each ending
 * inside the body, arrays NULL-terminated. Built with -DLINEAGE_FUZZ=ON.
 */
#include "serve.h"

#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	srv_hello h;
	srv_frame f;
	srv_request r;
	const char *why;
	if (size >= sizeof(f)) {
		memcpy(&f, data, sizeof(f));
		(void)srv_frame_check(&f);
	}
	if (size < sizeof(h))
		return 0;
	memcpy(&h, data, sizeof(h));
	h.magic = SRV_MAGIC;
	h.version = SRV_VERSION;
	size_t len = size - sizeof(h);
	/* the body as the worker holds it: a buffer of exactly its length */
	char *body = malloc(len ? len : 1);
	if (!body)
		return 0;
	memcpy(body, data + sizeof(h), len);
	h.body_len = (uint32_t)len; /* else nearly every input stops at the length */
	if (srv_request_parse(&r, &h, body, len, &why) == 0) {
		if (r.argc != (int)h.argc || r.envc != (int)h.envc || r.argv[r.argc] || r.envp[r.envc])
			abort();
		for (int i = 0; i < r.argc + r.envc; i++) {
			const char *s = i < r.argc ? r.argv[i] : r.envp[i - r.argc];
			if (s < body || s >= body + len || !memchr(s, '\0', (size_t)(body + len - s)))
				abort();
		}
		srv_request_dispose(&r);
	} else if (!why) {
		abort();
	}
	free(body);
	return 0;
}

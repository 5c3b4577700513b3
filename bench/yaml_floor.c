/*
 * yaml_floor.c - the floor of a cold load: libyaml's bare event parse of a
 * file on one core, keeping nothing (every event is deleted as it comes).
 *
 *   yaml_floor FILE
 *
 * Prints the number of events on standard output; exit 1 on a parse error.
 * bench/run.sh builds and times it beside `lineage check` on the same file.
 */
#include <stdio.h>
#include <yaml.h>

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: yaml_floor FILE\n");
		return 2;
	}
	FILE *f = fopen(argv[1], "rb");
	if (!f) {
		perror(argv[1]);
		return 1;
	}
	static char iobuf[1 << 16];
	setvbuf(f, iobuf, _IOFBF, sizeof(iobuf));
	yaml_parser_t p;
	if (!yaml_parser_initialize(&p)) {
		fclose(f);
		return 1;
	}
	yaml_parser_set_input_file(&p, f);
	unsigned long long events = 0;
	int rc = 0;
	for (;;) {
		yaml_event_t ev;
		if (!yaml_parser_parse(&p, &ev)) {
			fprintf(stderr, "%s:%zu:%zu: %s\n", argv[1], p.problem_mark.line + 1,
			        p.problem_mark.column + 1, p.problem ? p.problem : "parse error");
			rc = 1;
			break;
		}
		int done = ev.type == YAML_STREAM_END_EVENT;
		yaml_event_delete(&ev);
		events++;
		if (done)
			break;
	}
	yaml_parser_delete(&p);
	fclose(f);
	printf("%llu\n", events);
	return rc;
}

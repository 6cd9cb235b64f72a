# Parcours — build, tests, demo, bench. See README.md and docs/development.md.
#
#   make            build ./parcours (development flags: warnings are errors)
#   make demo       install what is missing, build, load the demo, serve it
#   make check      install what is missing, build, run every test suite
#   make bench      the performance figures (docs/bench.md)
#   make fuzz       the libFuzzer targets, longer runs
#   SANITIZE=address,undefined make …   an ASan/UBSan build in build-san/

CC      ?= gcc
SANITIZE ?=
BUILD   := build$(if $(SANITIZE),-san)
WARN    := -Wall -Wextra -Wshadow -Wstrict-prototypes -Wmissing-prototypes -Werror
CFLAGS  ?= -O2 -g
CFLAGS  += -std=c17 -D_GNU_SOURCE $(WARN) -Isrc -include src/base/banned.h \
           $(shell pkg-config --cflags libxml-2.0 pangocairo 2>/dev/null)
ifneq ($(SANITIZE),)
CFLAGS  += -fsanitize=$(SANITIZE) -fno-omit-frame-pointer -fno-sanitize-recover=all
LDFLAGS += -fsanitize=$(SANITIZE)
endif
LIBS    := -lmicrohttpd -lsqlite3 -ljansson -lsodium -lxlsxwriter -lxml2 -lzip -lz -lm -lpthread \
           $(shell pkg-config --libs pangocairo 2>/dev/null)

SRC     := $(filter-out src/main.c,$(shell find src -name '*.c' | sort))
OBJ     := $(SRC:%.c=$(BUILD)/%.o)
GEN_OBJ := $(BUILD)/gen/migrations.o $(BUILD)/gen/templates.o
MIGRATIONS := $(sort $(wildcard src/db/migrations/*.sql))
TEMPLATES  := $(sort $(wildcard templates/*.mustache))
UNIT_SRC   := $(sort $(wildcard tests/unit/test_*.c))
UNIT_BIN   := $(UNIT_SRC:tests/unit/%.c=$(BUILD)/tests/%)

.PHONY: all demo check deps test-unit test-scenarios test-browser fuzz fuzz-build bench clean static
# A sanitizer build stays in build-san/: ./parcours is always the development build.
all: $(if $(SANITIZE),$(BUILD)/parcours,parcours) static

# Copied then renamed, so a running server's binary is replaced, not overwritten.
parcours: $(BUILD)/parcours
	@cp $< $@.tmp && mv -f $@.tmp $@

$(BUILD)/parcours: $(BUILD)/src/main.o $(BUILD)/libparcours.a
	$(CC) $(LDFLAGS) -o $@ $^ $(LIBS)

$(BUILD)/libparcours.a: $(OBJ) $(GEN_OBJ)
	rm -f $@ && ar rcs $@ $^

$(BUILD)/%.o: %.c
	@mkdir -p $(dir $@)
	@echo "  CC $<"
	@$(CC) $(CFLAGS) -MMD -MP -c -o $@ $<

$(BUILD)/tools/embed: tools/embed.c
	@mkdir -p $(dir $@)
	$(CC) -O2 -o $@ $<

$(BUILD)/gen/migrations.c: $(BUILD)/tools/embed $(MIGRATIONS)
	@mkdir -p $(dir $@)
	$(BUILD)/tools/embed embedded_migrations $(MIGRATIONS) > $@

$(BUILD)/gen/templates.c: $(BUILD)/tools/embed $(TEMPLATES)
	@mkdir -p $(dir $@)
	$(BUILD)/tools/embed embedded_templates $(TEMPLATES) > $@

$(BUILD)/gen/%.o: $(BUILD)/gen/%.c
	$(CC) $(CFLAGS) -c -o $@ $<

# Every unit test is linked with the shared fixture (tests/unit/fixture.h).
UNIT_FIXTURE := $(BUILD)/tests/unit/fixture.o
$(UNIT_FIXTURE): tests/unit/fixture.h
$(UNIT_BIN): $(BUILD)/tests/%: tests/unit/%.c tests/unit/fixture.h $(UNIT_FIXTURE) $(BUILD)/libparcours.a
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $< $(UNIT_FIXTURE) $(BUILD)/libparcours.a $(LIBS) -lcmocka

# The DSFR's built files, from the npm package (docs/dependencies.md).
static: node_modules/.package-lock.json
	@mkdir -p static/dsfr
	cp -r node_modules/@gouvfr/dsfr/dist/dsfr.min.css node_modules/@gouvfr/dsfr/dist/dsfr.module.min.js \
	      node_modules/@gouvfr/dsfr/dist/fonts node_modules/@gouvfr/dsfr/dist/icons \
	      node_modules/@gouvfr/dsfr/dist/utility node_modules/@gouvfr/dsfr/dist/favicon static/dsfr/

node_modules/.package-lock.json: package.json package-lock.json
	npm ci --ignore-scripts --no-audit --no-fund
	@touch $@

deps:
	@tools/install-deps.sh

demo: deps all
	@mkdir -p var
	rm -f var/parcours.db var/parcours.db-wal var/parcours.db-shm
	./parcours --db var/parcours.db demo
	PARCOURS_TODAY=2017-12-31 ./parcours --db var/parcours.db serve --port 8080

check:
	@tests/run-all.sh

test-unit: $(UNIT_BIN)
	@LSAN_OPTIONS="suppressions=$(CURDIR)/tests/lsan.supp $$LSAN_OPTIONS" tests/run-unit.sh $(UNIT_BIN)

test-scenarios: parcours
	@tests/run-scenarios.sh ./parcours

test-browser: all
	@node tests/browser/run.mjs

FUZZ_TARGETS := $(patsubst tests/fuzz/%.c,build-fuzz/%,$(wildcard tests/fuzz/fuzz_*.c))
build-fuzz/%: tests/fuzz/%.c $(SRC) $(BUILD)/gen/migrations.c $(BUILD)/gen/templates.c
	@mkdir -p build-fuzz
	clang -std=c17 -D_GNU_SOURCE -g -O1 -Isrc -include src/base/banned.h \
	  $(shell pkg-config --cflags libxml-2.0 pangocairo) -fsanitize=fuzzer,address,undefined -o $@ $< $(SRC) $(BUILD)/gen/migrations.c \
	  $(BUILD)/gen/templates.c $(LIBS)

fuzz-build: $(FUZZ_TARGETS)

fuzz: $(FUZZ_TARGETS)
	@for t in $(FUZZ_TARGETS); do mkdir -p build-fuzz/corpus-$$(basename $$t); \
	  $$t -max_total_time=$${FUZZ_SECONDS:-120} build-fuzz/corpus-$$(basename $$t) || exit 1; done

bench: all
	@bench/run.sh

clean:
	rm -rf build build-san build-fuzz parcours

-include $(OBJ:.o=.d)

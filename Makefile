# infrac: `make` builds build/infrac; `make test` runs every test.
# SAN=1 builds with AddressSanitizer and UndefinedBehaviorSanitizer into build/san;
# BUILD=DIR puts objects elsewhere (make CC=clang BUILD=build/clang).

CC ?= cc
SAN ?=
BUILD ?= $(if $(SAN),build/san,build)
GEN := build/gen

WARN := -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wmissing-prototypes
CFLAGS ?= -O2 -g
CFLAGS += -std=c11 -pthread -D_POSIX_C_SOURCE=200809L $(WARN) -Icompiler -Ibackends -I$(GEN)
ifneq ($(SAN),)
CFLAGS += -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all
LDFLAGS += -fsanitize=address,undefined
endif
# Not position-independent: the AWS type table (compiler/awstypes_data.c) is
# some 100,000 pointers in static data, which a PIE would relocate, page by
# page, at every start; fixed addresses leave it untouched until it is read.
LDFLAGS += -no-pie -pthread
# Recursive on purpose: read after build/.deps has installed pkg-config.
PKG_CFLAGS = $(shell pkg-config --cflags libcjson yaml-0.1 libcurl libxml-2.0 libcrypto)
# libcurl, libxml2 and libcrypto are not linked: backends/netlibs.c opens
# them by soname when a command first talks to AWS, so that check, build,
# plan and import do not pay for loading them (docs/performance.md).
PKG_LIBS = $(shell pkg-config --libs libcjson yaml-0.1) -ldl -lm
# The soname of lib$(1).so as found by pkg-config, or nothing (netlibs.c
# then uses Debian's).
soname = $(shell readelf -d "$$(pkg-config --variable=libdir $(2))/lib$(1).so" 2>/dev/null | \
  sed -n 's/.*(SONAME).*\[\(.*\)\]/\1/p')
sonamedef = $(if $(call soname,$(1),$(2)),-DSONAME_$(3)='"$(call soname,$(1),$(2))"')
NETLIBS_SONAMES = $(call sonamedef,curl,libcurl,CURL) $(call sonamedef,xml2,libxml-2.0,XML2) \
  $(call sonamedef,crypto,libcrypto,CRYPTO)

LIB_SRC := $(filter-out compiler/main.c,$(wildcard compiler/*.c backends/*.c))
OBJ := $(LIB_SRC:%.c=$(BUILD)/%.o) $(BUILD)/gen/lexer.o $(BUILD)/gen/parser.o \
       $(BUILD)/gen/diagnostics_doc.o
UNIT := $(patsubst tests/unit/%.c,$(BUILD)/tests/%,$(wildcard tests/unit/test_*.c))

all: $(BUILD)/infrac

build/.deps: scripts/deps.sh
	@sh scripts/deps.sh
	@mkdir -p build && touch $@

$(GEN)/parser.c $(GEN)/parser.h: grammar/parser.y | build/.deps
	@mkdir -p $(GEN)
	bison -Wall -Werror --defines=$(GEN)/parser.h -o $(GEN)/parser.c $<

$(GEN)/lexer.c: grammar/lexer.re | build/.deps
	@mkdir -p $(GEN)
	re2c -W -Werror --no-generation-date -o $@ $<

# docs/diagnostics.md, embedded for `infrac explain`.
$(GEN)/diagnostics_doc.c: docs/diagnostics.md scripts/embed.sh
	@mkdir -p $(GEN)
	sh scripts/embed.sh diagnostics_doc $< > $@

$(BUILD)/gen/%.o: $(GEN)/%.c $(GEN)/parser.h compiler/infrac.h | build/.deps
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $(PKG_CFLAGS) -Wno-unused-function -c -o $@ $<

$(BUILD)/%.o: %.c compiler/*.h backends/*.h $(GEN)/parser.h | build/.deps
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $(PKG_CFLAGS) -c -o $@ $<

$(BUILD)/backends/netlibs.o: backends/netlibs.c backends/netlibs.h | build/.deps
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $(PKG_CFLAGS) $(NETLIBS_SONAMES) -c -o $@ $<

$(BUILD)/infrac: $(BUILD)/compiler/main.o $(OBJ)
	$(CC) $(LDFLAGS) -o $@ $^ $(PKG_LIBS)

$(BUILD)/tests/%: tests/unit/%.c $(OBJ)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $(PKG_CFLAGS) $(LDFLAGS) -o $@ $^ $(PKG_LIBS)

# The fuzz targets as plain programs, to replay tests/fuzz/TARGET/* (the
# findings of the fuzzer) in the tests: tests/suites/fuzz.sh.
REPLAY := $(patsubst fuzz/fuzz_%.c,$(BUILD)/replay/fuzz_%,$(wildcard fuzz/fuzz_*.c))
$(BUILD)/replay/fuzz_%: fuzz/fuzz_%.c fuzz/replay.c $(OBJ)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $(PKG_CFLAGS) $(LDFLAGS) -o $@ $^ $(PKG_LIBS)

# scripts/test-deps.sh installs what the tests call (as root), or names it and stops.
test: $(BUILD)/infrac $(UNIT) $(REPLAY)
	@sh scripts/test-deps.sh
	@INFRAC=$(BUILD)/infrac UNIT_DIR=$(BUILD)/tests REPLAY_DIR=$(BUILD)/replay \
	  TIME_SCALE=$(if $(SAN),4,1) bash tests/run.sh

clean:
	rm -rf build

.PHONY: all test clean
.DELETE_ON_ERROR:

# libFuzzer: make fuzz FUZZ_TARGET=check|fmt|lsp|template|state|plan FUZZ_SECONDS=60 (docs/limits.md,
# "Fuzzing"). Seeds: the .infra files of tests and examples (for lsp, sessions
# made of them by fuzz/lsp_seeds.py); new inputs go to fuzz/corpus/TARGET, kept
# minimised in git: make fuzz-merge FUZZ_TARGET=...
FUZZ_SECONDS ?= 60
FUZZ_TARGET ?= check
FUZZ_OBJ = $(patsubst $(BUILD)/%,build/fuzz/%,$(OBJ))
.SECONDARY: $(FUZZ_OBJ)
FUZZ_SAN = -fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=undefined
FUZZ_FLAGS = -max_len=$(if $(filter state,$(FUZZ_TARGET)),16384,$(if $(filter plan,$(FUZZ_TARGET)),24576,4096)) -timeout=5 -rss_limit_mb=2048 \
  -artifact_prefix=build/fuzz/$(FUZZ_TARGET)- \
  $(if $(filter check fmt,$(FUZZ_TARGET)),-dict=fuzz/infra.dict) \
  $(if $(filter state,$(FUZZ_TARGET)),-close_fd_mask=1)$(if $(filter plan,$(FUZZ_TARGET)),-close_fd_mask=3)
build/fuzz/%.o: %.c compiler/*.h $(GEN)/parser.h | build/.deps
	@mkdir -p $(@D)
	clang $(filter-out -O2,$(CFLAGS)) -O1 $(PKG_CFLAGS) $(FUZZ_SAN) -c -o $@ $<
build/fuzz/gen/%.o: $(GEN)/%.c $(GEN)/parser.h compiler/infrac.h | build/.deps
	@mkdir -p $(@D)
	clang $(filter-out -O2,$(CFLAGS)) -O1 $(PKG_CFLAGS) -Wno-unused-function $(FUZZ_SAN) -c -o $@ $<
build/fuzz/fuzz_%: fuzz/fuzz_%.c $(FUZZ_OBJ)
	clang $(CFLAGS) $(PKG_CFLAGS) -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined -o $@ $^ $(PKG_LIBS)
build/fuzz/seeds/$(FUZZ_TARGET): $(shell find tests examples -name "*.infra") $(wildcard fuzz/seeds/*/*) fuzz/lsp_seeds.py
	@rm -rf $@ && mkdir -p $@
	@if [ $(FUZZ_TARGET) = lsp ]; then python3 fuzz/lsp_seeds.py $@ $(filter %.infra,$^); \
	 elif [ -d fuzz/seeds/$(FUZZ_TARGET) ]; then cp fuzz/seeds/$(FUZZ_TARGET)/* $@/; \
	 else find tests examples -name '*.infra' -exec cp {} $@/ \; ; fi
fuzz: build/fuzz/fuzz_$(FUZZ_TARGET) build/fuzz/seeds/$(FUZZ_TARGET)
	@mkdir -p fuzz/corpus/$(FUZZ_TARGET)
	build/fuzz/fuzz_$(FUZZ_TARGET) -max_total_time=$(FUZZ_SECONDS) $(FUZZ_FLAGS) \
	  fuzz/corpus/$(FUZZ_TARGET) build/fuzz/seeds/$(FUZZ_TARGET)
# Replaces the committed corpus by the fewest of its files that cover (by
# edges) what the seeds do not cover: the seeds are added at every run.
fuzz-merge: build/fuzz/fuzz_$(FUZZ_TARGET) build/fuzz/seeds/$(FUZZ_TARGET)
	rm -rf build/fuzz/merged && mkdir -p build/fuzz/merged fuzz/corpus/$(FUZZ_TARGET)
	cp build/fuzz/seeds/$(FUZZ_TARGET)/* build/fuzz/merged/
	build/fuzz/fuzz_$(FUZZ_TARGET) -set_cover_merge=1 -use_counters=0 $(FUZZ_FLAGS) \
	  build/fuzz/merged fuzz/corpus/$(FUZZ_TARGET)
	cd build/fuzz/merged && ls ../seeds/$(FUZZ_TARGET) | xargs rm -f
	rm -rf fuzz/corpus/$(FUZZ_TARGET) && mv build/fuzz/merged fuzz/corpus/$(FUZZ_TARGET)
.PHONY: fuzz fuzz-merge

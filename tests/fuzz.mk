# tests/fuzz.mk: `make fuzz`, included by the Makefile.
#
# Builds libFuzzer harnesses of the two readers of files that come from
# outside (tests/fuzz/fuzz_image.c: PNG, JPEG, PGM, PPM through
# image_load_stream; tests/fuzz/fuzz_idx.c: plain and gzip IDX through
# idx_read) with clang, AddressSanitizer and UBSan, seeds them with the
# small valid files that tests/fuzz/corpus.c writes into
# build/fuzz/corpus-image and build/fuzz/corpus-idx, and runs each for
# FUZZ_SECONDS (default 60).  New inputs go to build/fuzz/work-*; a crash,
# leak, timeout or out-of-memory is written to build/fuzz/findings/ and
# stops make.  Each run ends with libFuzzer's statistics (executions,
# peak memory), kept in build/fuzz/*.log.
#
#   make fuzz                      both harnesses, 60 s each
#   make fuzz FUZZ_SECONDS=600     longer

FUZZ_SECONDS ?= 60
FUZZ_DIR     := build/fuzz
FUZZ_FLAGS   := -g -O1 -fsanitize=fuzzer,address,undefined \
                -fno-sanitize-recover=undefined -I$(BUILD)/lib -Itests
FUZZ_LIBS    := -lgsl -lgslcblas -lpng -ljpeg -lz -lm
FUZZ_RUN     := -max_total_time=$(FUZZ_SECONDS) -rss_limit_mb=2048 \
                -malloc_limit_mb=1024 -timeout=10 -print_final_stats=1

# clang, installed from Debian's package when it is missing (as root).
$(FUZZ_DIR)/clang.stamp: | deps
	@mkdir -p $(@D)
	@command -v clang >/dev/null || { [ "$$(id -u)" = 0 ] && \
	  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends clang >/dev/null; } || \
	  { echo "make fuzz: clang is missing; run: sudo apt-get install --no-install-recommends clang" >&2; exit 1; }
	@touch $@

$(FUZZ_DIR)/fuzz_image: tests/fuzz/fuzz_image.c $(BUILD)/lib/image.c $(BUILD)/lib/image.h \
                        | $(FUZZ_DIR)/clang.stamp
	clang $(FUZZ_FLAGS) $< $(BUILD)/lib/image.c $(FUZZ_LIBS) -o $@

$(FUZZ_DIR)/fuzz_idx: tests/fuzz/fuzz_idx.c $(BUILD)/lib/idx.c $(BUILD)/lib/idx.h \
                      | $(FUZZ_DIR)/clang.stamp
	clang $(FUZZ_FLAGS) $< $(BUILD)/lib/idx.c $(FUZZ_LIBS) -o $@

$(FUZZ_DIR)/corpus: tests/fuzz/corpus.c tests/fuzz/writers.h | deps
	@mkdir -p $(@D)
	$(CC) $(WARN) $(CFLAGS) $< -lpng -ljpeg -lz -o $@

# The seeds, written afresh whenever the generator changes.
$(FUZZ_DIR)/corpus.stamp: $(FUZZ_DIR)/corpus
	rm -rf $(FUZZ_DIR)/corpus-image $(FUZZ_DIR)/corpus-idx
	mkdir -p $(FUZZ_DIR)/corpus-image $(FUZZ_DIR)/corpus-idx
	$(FUZZ_DIR)/corpus $(FUZZ_DIR)/corpus-image $(FUZZ_DIR)/corpus-idx
	@touch $@

# $(call fuzz_run,name): run build/fuzz/fuzz_NAME on work-NAME (new
# inputs) and corpus-NAME (seeds); print the statistics, or the report.
define fuzz_run
@mkdir -p $(FUZZ_DIR)/work-$1 $(FUZZ_DIR)/findings
@echo "fuzz_$1: $(FUZZ_SECONDS) s (log in $(FUZZ_DIR)/$1.log)"
@$(FUZZ_DIR)/fuzz_$1 $(FUZZ_RUN) -artifact_prefix=$(FUZZ_DIR)/findings/$1- \
   $(FUZZ_DIR)/work-$1 $(FUZZ_DIR)/corpus-$1 >$(FUZZ_DIR)/$1.log 2>&1 \
   || { tail -40 $(FUZZ_DIR)/$1.log >&2; echo "fuzz_$1: a finding, in $(FUZZ_DIR)/findings/" >&2; exit 1; }
@grep -E '^(Done|stat::number_of_executed_units|stat::peak_rss_mb)' $(FUZZ_DIR)/$1.log
endef

fuzz: $(FUZZ_DIR)/fuzz_image $(FUZZ_DIR)/fuzz_idx $(FUZZ_DIR)/corpus.stamp
	$(call fuzz_run,image)
	$(call fuzz_run,idx)

.PHONY: fuzz

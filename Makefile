# The one entry point of the book.
#
#   make                  the whole book, book/book.pdf
#   make chapterN         tangle, compile and run chapter N, draw its figures,
#                         weave book/chapterN.pdf      (ARGS="--knob v" passes knobs)
#   make test             the CUnit suite and every chapter program's smoke test
#   make test SANITIZE=1  the same under AddressSanitizer and UBSan (the
#                         chapters' claim suites left out: TEST_SKIP= runs all)
#   make bench            measurements (ratios, never pass/fail)
#   make tangle           plain C, without #line directives, in build/tangled/
#   make deps             install what is missing from Debian's packages (as root)
#   make clean            remove everything that make wrote
#
# Every chapter is a noweb file chapters/NN-topic.nw; adding one adds its
# target chapterN by itself.  The core library is lib/*.nw (literate) and
# lib/*.c (plumbing).  Generated sources, objects and programs go in build/,
# figures and their data in figures/, the PDFs in book/.

SHELL := /bin/bash
.SHELLFLAGS := -eo pipefail -c
.DELETE_ON_ERROR:
.SUFFIXES:
MAKEFLAGS += --no-builtin-rules
# All cores by default; `make -j1` (or any -j) still wins.
ifeq ($(filter -j% j%,$(MAKEFLAGS)),)
MAKEFLAGS += -j$(shell nproc 2>/dev/null || echo 2)
endif

.DEFAULT_GOAL := all
SEED     ?= 1
ARGS     ?=
SANITIZE ?=

# Same bits on every run: one BLAS thread, fixed dates in the PDFs.
export OPENBLAS_NUM_THREADS ?= 1
# OpenBLAS picks its kernels by the CPU's model name, and on a model it does
# not know (a recent Xeon in a VM) falls back to Prescott's, 4-5x slower at
# dgemm; name the kernels by the instruction sets the CPU reports instead.
BLAS_CORE := $(shell grep -qw avx512bw /proc/cpuinfo 2>/dev/null && echo SkylakeX \
               || { grep -qw avx2 /proc/cpuinfo 2>/dev/null && echo Haswell; })
ifneq ($(BLAS_CORE),)
export OPENBLAS_CORETYPE ?= $(BLAS_CORE)
endif
export SOURCE_DATE_EPOCH := $(shell git log -1 --format=%ct 2>/dev/null || echo 1767225600)
export FORCE_SOURCE_DATE := 1
export TZ := UTC

# The chapters' claim-and-exercise suites re-run the chapter programs with
# other knobs; under the sanitizers (three to five times slower) they are
# left out, and the smoke suites run every program there instead.
ifeq ($(SANITIZE),1)
TEST_SKIP ?= ch1,ch2,ch3,ch4,ch5,ch6
endif
export TEST_SKIP

# BUILD=dir puts the build there; the sanitized build goes to its own
# folder below it, so the two kinds of objects never mix.
BUILD_ROOT := $(if $(filter command line,$(origin BUILD)),$(BUILD),build)
ifeq ($(SANITIZE),1)
override BUILD := $(BUILD_ROOT)/sanitize
SANFLAGS := -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
export ASAN_OPTIONS := detect_leaks=1
else
override BUILD := $(BUILD_ROOT)
SANFLAGS :=
endif

CC      ?= cc
CFLAGS  ?= -O2 -g
WARN    := -std=c17 -Wall -Wextra -Wpedantic -Werror
# HAVE_INLINE: GSL's element access (gsl_matrix_get and the like) is
# compiled inline, range checks kept, instead of a library call for every
# element; chapter 6's measurements spent a fifth of their time in the calls.
CPPFLAGS_ALL := -I$(BUILD)/lib -Ilib -DHAVE_INLINE
CFLAGS_ALL   := $(WARN) $(CFLAGS) $(SANFLAGS)
# OpenBLAS's CBLAS when it is there, GSL's reference CBLAS otherwise.  The
# choice is made when a program is linked, not when make reads this file
# (before `make deps` may have installed OpenBLAS), and it is recorded in
# $(BUILD)/blas: when OpenBLAS appears or goes, every program is relinked.
BLAS_NOW = $(shell for d in /usr/lib/*/ /usr/lib/; do \
             [ -e "$$d"libopenblas.so ] && { echo -lopenblas; exit; }; done; echo -lgslcblas)
LDLIBS   = -lgsl $$(cat $(BUILD)/blas) -lpng -ljpeg -lz -lm

# ---------------------------------------------------------------- set-up
PACKAGES := gcc libc6-dev make libgsl-dev libopenblas-dev noweb gnuplot-nox \
            libcunit1-dev texlive-latex-base texlive-latex-recommended \
            texlive-fonts-recommended lmodern latexmk poppler-utils \
            libpng-dev libjpeg-dev zlib1g-dev dataset-fashion-mnist

# The commands the build runs, each with the package that provides it: a
# package counts as missing when dpkg lacks it or its command is not on PATH.
TOOLS := cc:gcc notangle:noweb noweave:noweb cpif:noweb gnuplot:gnuplot-nox \
         pdflatex:texlive-latex-base latexmk:latexmk pdfinfo:poppler-utils

# What is missing, asked once per run of make.  Without root, any target but
# deps and clean stops at once with the one line to type; as root, `deps` (a
# prerequisite of everything that needs a tool) installs it.
MISSING := $(sort $(shell for p in $(PACKAGES); do \
             dpkg-query -W -f='$${db:Status-Abbrev}' "$$p" 2>/dev/null | grep -q '^ii' || echo "$$p"; \
           done; \
           for t in $(TOOLS); do command -v "$${t%%:*}" >/dev/null || echo "$${t#*:}"; done))
ifneq ($(strip $(MISSING)),)
ifneq ($(shell id -u),0)
ifneq ($(filter-out clean,$(or $(MAKECMDGOALS),all)),)
$(error missing Debian packages; run: sudo apt-get install --no-install-recommends $(strip $(MISSING)))
endif
endif
endif

deps:
ifneq ($(strip $(MISSING)),)
	@echo "make deps: installing $(strip $(MISSING))"
	DEBIAN_FRONTEND=noninteractive apt-get update -qq
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends --reinstall $(MISSING) >/dev/null
endif

# ---------------------------------------------------------------- photographs
# PHOTOS: the eight public-domain and CC0 photographs that Debian's
# python3-skimage ships (licences in the appendix of lib/image.nw), for
# the chapter programs' --images.  The package is downloaded, never
# installed, into build/, unpacked into a temporary folder, and only the
# eight files are copied out; the stamp is written last, so this runs once.
PHOTOS := $(addprefix build/photos/,astronaut.png brick.png grass.png gravel.png \
            camera.png chelsea.png coffee.png rocket.jpg)
SKIMAGE_DATA := usr/lib/python3/dist-packages/skimage/data
SKIMAGE_GET  := cd build && apt-get download python3-skimage >/dev/null 2>&1

build/photos/.stamp:
	@mkdir -p build/photos
	@deb=$$(ls build/python3-skimage_*.deb 2>/dev/null | head -1 || true); \
	if [ -z "$$deb" ]; then \
	  ( $(SKIMAGE_GET) ) || { [ "$$(id -u)" = 0 ] && apt-get update -qq >/dev/null 2>&1 && ( $(SKIMAGE_GET) ); } \
	  || { echo "photos: cannot download python3-skimage; run: sudo apt-get update && (cd build && apt-get download python3-skimage)" >&2; exit 1; }; \
	  deb=$$(ls build/python3-skimage_*.deb | head -1); fi; \
	tmp=$$(mktemp -d build/photos.XXXXXX) && trap 'rm -rf "$$tmp"' EXIT && \
	dpkg-deb -x "$$deb" "$$tmp" && \
	for f in $(notdir $(PHOTOS)); do cp "$$tmp/$(SKIMAGE_DATA)/$$f" build/photos/ || exit 1; done
	@touch $@
	@echo "photos: $(words $(PHOTOS)) photographs in build/photos/"

$(PHOTOS): build/photos/.stamp ;
photos: $(PHOTOS)
.PHONY: photos

# ---------------------------------------------------------------- the core
NW_LIB    := $(sort $(wildcard lib/*.nw))
PLAIN_LIB := $(sort $(wildcard lib/*.c))
LIB_ROOTS := $(sort $(shell sed -n 's/^<<\([A-Za-z0-9_-]*\.[ch]\)>>=$$/\1/p' $(NW_LIB) /dev/null))
LIB_OBJS  := $(patsubst %.c,$(BUILD)/lib/%.o,$(filter %.c,$(LIB_ROOTS))) \
             $(patsubst lib/%.c,$(BUILD)/lib/plain-%.o,$(PLAIN_LIB))
LIBCORE   := $(BUILD)/lib/libcore.a

# Tangle every root of every module; cpif leaves unchanged files alone, so
# only what really changed is compiled again.  A root that is neither a .c
# nor a .h is a misspelled chunk name: stop.
$(BUILD)/lib/tangle.stamp: $(NW_LIB) | deps
	@mkdir -p $(@D)
	for f in $(NW_LIB); do \
	  for r in $$(noroots "$$f" | sed 's/^<<\(.*\)>>$$/\1/'); do \
	    case "$$r" in *.c|*.h) ;; *) echo "$$f: stray root chunk <<$$r>> (misspelled chunk name?)" >&2; exit 1;; esac; \
	    notangle -L -R"$$r" "$$f" | cpif $(BUILD)/lib/"$$r"; \
	  done; \
	done
	@touch $@

$(addprefix $(BUILD)/lib/,$(LIB_ROOTS)): $(BUILD)/lib/tangle.stamp ;

$(BUILD)/lib/%.o: $(BUILD)/lib/%.c $(BUILD)/cflags | $(BUILD)/lib/tangle.stamp
	$(CC) $(CPPFLAGS_ALL) $(CFLAGS_ALL) -MMD -MP -c $< -o $@

$(BUILD)/lib/plain-%.o: lib/%.c $(BUILD)/cflags | $(BUILD)/lib/tangle.stamp
	$(CC) $(CPPFLAGS_ALL) $(CFLAGS_ALL) -MMD -MP -c $< -o $@

$(LIBCORE): $(LIB_OBJS)
	rm -f $@ && ar rcD $@ $^

# The compiler and its flags; rewritten only when they change, so that a
# change of CFLAGS, or of the flags in this file, recompiles every object.
$(BUILD)/cflags: FORCE | deps
	@mkdir -p $(@D) && echo '$(CC) $(CPPFLAGS_ALL) $(CFLAGS_ALL)' | cpif $@

# Which CBLAS the programs link; rewritten only when the answer changes.
$(BUILD)/blas: FORCE | deps
	@mkdir -p $(@D) && echo '$(BLAS_NOW)' | cpif $@

# ---------------------------------------------------------------- chapters
NW_CHAPTERS := $(sort $(wildcard chapters/[0-9][0-9]-*.nw))
chapter_number = $(patsubst 0%,%,$(firstword $(subst -, ,$(notdir $1))))
CHAPTERS := $(foreach f,$(NW_CHAPTERS),$(call chapter_number,$f))
# modules a chapter weaves in with \coremodule{name}
chapter_modules = $(patsubst %,lib/%.nw,$(shell sed -n 's/.*\\coremodule{\([A-Za-z0-9-]*\)}.*/\1/p' $1))

# $(call chapter_rules,N,source.nw)
define chapter_rules
B$1       := $(BUILD)/chapter$1
GP$1      := $$(sort $$(shell sed -n 's/^<<\(ch$1-[A-Za-z0-9-]*\.gp\)>>=$$$$/\1/p' $2))
FIGS$1    := $$(patsubst %.gp,figures/%.tex,$$(GP$1))
DATA$1    := $$(sort $$(shell grep -o 'figures/data/ch$1-[A-Za-z0-9-]*\.dat' $2))
MODS$1    := $$(call chapter_modules,$2)

$$(B$1)/tangle.stamp: $2 | deps
	@mkdir -p $$(@D)
	@bad=$$$$(noroots $2 | sed 's/^<<\(.*\)>>$$$$/\1/' | grep -v -x -E 'chapter$1\.c|ch$1-[A-Za-z0-9-]+\.gp' || true); \
	if [ -n "$$$$bad" ]; then echo "$2: stray root chunk <<$$$$bad>> (misspelled chunk name?)" >&2; exit 1; fi
	notangle -L -R'chapter$1.c' $2 | cpif $$(B$1)/chapter$1.c
	for r in $$(GP$1); do notangle -R"$$$$r" $2 | cpif $$(B$1)/"$$$$r"; done
	@touch $$@

$$(B$1)/chapter$1.c $$(addprefix $$(B$1)/,$$(GP$1)): $$(B$1)/tangle.stamp ;

$$(B$1)/chapter$1.o: $$(B$1)/chapter$1.c $(BUILD)/cflags | $(BUILD)/lib/tangle.stamp
	$$(CC) $$(CPPFLAGS_ALL) $$(CFLAGS_ALL) -MMD -MP -c $$< -o $$@

# Link afresh, but keep the old program when the new one is the same bytes:
# a change to a core module this chapter does not use reruns nothing.
$$(B$1)/link.stamp: $$(B$1)/chapter$1.o $(LIBCORE) $(BUILD)/blas
	$$(CC) $$(CFLAGS_ALL) $$< $(LIBCORE) $$(LDLIBS) -o $$(B$1)/chapter$1.new
	@if cmp -s $$(B$1)/chapter$1.new $$(B$1)/chapter$1; then rm $$(B$1)/chapter$1.new; \
	 else mv $$(B$1)/chapter$1.new $$(B$1)/chapter$1; fi
	@touch $$@
$$(B$1)/chapter$1: $$(B$1)/link.stamp ;

# The knobs of the last run; rewritten only when they change.
$$(B$1)/args: FORCE | deps
	@mkdir -p $$(@D) && echo '--seed $(SEED) $(ARGS)' | cpif $$@

# A chapter whose source names build/photos learns from the photographs.
PHOTOS$1  := $$(if $$(shell grep -l 'build/photos' $2),$(PHOTOS))

$$(B$1)/run.stamp: $$(B$1)/chapter$1 $$(B$1)/args $$(PHOTOS$1)
	@mkdir -p figures/data
	$$(B$1)/chapter$1 --out figures/data $$$$(cat $$(B$1)/args)
	@touch $$@

figures/data/ch$1-numbers.tex $$(DATA$1): $$(B$1)/run.stamp ;

figures/ch$1-%.tex: $$(B$1)/ch$1-%.gp $$(B$1)/run.stamp book/style.gp
	gnuplot -e "load 'book/style.gp'; set output '$$@'" $$<

$$(B$1)/weave.stamp: $2 $$(MODS$1) book/defs.pl book/uses.pl book/nwsplit.pl | deps
	@mkdir -p $$(B$1)/weave
	$$(call check_code,$2 $$(MODS$1))
	$$(call weave,$2 $$(MODS$1),$$(B$1)/weave)
	@touch $$@

# A chapter's own PDF knows the other chapters' numbers, so that
# \ref{ch:...} to them resolves as it does in the book.
$$(B$1)/chapter$1.tex: FORCE | deps
	@mkdir -p $$(@D) && { printf '%s\n' '\def\weavedir{$$(B$1)/weave}' '\input{book/preamble}'; \
	  for f in $(NW_CHAPTERS); do [ "$$$$f" = $2 ] && continue; \
	    n=$$$$(basename $$$$f | sed 's/^0*\([0-9]*\)-.*/\1/'); \
	    sed -n 's/.*\\label{\(ch:[^}]*\)}.*/\1/p' $$$$f | head -1 | \
	      while read -r l; do printf '\\newlabel{%s}{{%s}{}{}{}{}}\n' "$$$$l" "$$$$n"; done; done; \
	  printf '%s\n' '\begin{document}' '\mainmatter' '\setcounter{chapter}{$$(shell expr $1 - 1)}' \
	  '\input{figures/data/ch$1-numbers}' '\input{$$(B$1)/weave/$$(basename $$(notdir $2))}' \
	  '\appendix\input{book/appendix}' \
	  '$$(call appendix_of,$2,$$(B$1)/weave)' \
	  '\backmatter\input{book/backmatter}' '\end{document}'; } | cpif $$@

book/chapter$1.pdf: $$(B$1)/chapter$1.tex $$(B$1)/weave.stamp $$(FIGS$1) figures/data/ch$1-numbers.tex \
                    book/preamble.tex book/appendix.tex book/backmatter.tex book/book.bib
	$$(call latex,$$<,$$(B$1)/latex,$$@)

chapter$1: book/chapter$1.pdf
	@echo "chapter $1: figures in figures/ch$1-*.pdf (data in figures/data/ch$1-*), text in book/chapter$1.pdf"

CHAPTER_PROGRAMS += $$(B$1)/chapter$1
CHAPTER_SMOKE    += $$(B$1)/chapter$1:$$(subst $$(space),$$(comma),$$(notdir $$(DATA$1)))
ALL_FIGS         += $$(FIGS$1)
ALL_NUMBERS      += figures/data/ch$1-numbers.tex
.PHONY: chapter$1
endef
comma := ,
empty :=
space := $(empty) $(empty)
$(foreach f,$(NW_CHAPTERS),$(eval $(call chapter_rules,$(call chapter_number,$f),$f)))

# ---------------------------------------------------------------- the book
# One noweave run over every file in reading order (each chapter, then the
# modules it weaves in) gives one chunk index and one identifier index.
BOOK_NW := $(foreach f,$(NW_CHAPTERS),$f $(call chapter_modules,$f))

# $(call appendix_of,chapter.nw,weavedir): the \input lines of a chapter's
# part of the appendix: its own plumbing, then its modules'.
appendix_of = \section[The programs of chapter $(call chapter_number,$1)]{Chapter~\ref*{$(shell sed -n 's/.*\\label{\(ch:[^}]*\)}.*/\1/p' $1 | head -1)}: \
  \nameref*{$(shell sed -n 's/.*\\label{\(ch:[^}]*\)}.*/\1/p' $1 | head -1)}}$(foreach f,$1 $(call chapter_modules,$1),\input{$2/$(basename $(notdir $f))-appendix})

# The printed page's rules for code, checked before weaving: a line that
# is wider than the text block, or a chunk longer than a reader can hold,
# stops the build naming the chunk and the line.  LAYOUT=warn only warns.
CODE_COLUMNS := 76
CHUNK_LINES  := 25
LAYOUT       ?= strict
check_code = perl book/checkcode.pl $(CODE_COLUMNS) $(CHUNK_LINES) $1 >&2 $(if $(filter warn,$(LAYOUT)),|| true)

# $(call weave,files,outdir): one noweave run, definitions found by
# book/defs.pl (file scope only), uses by noweb's finduses less those in
# comments and strings (book/uses.pl), split per file by book/nwsplit.pl.
# (-indexfrom /dev/null turns the index on and adds no uses of its own.)
NOWEB_LIB ?= /usr/lib/noweb
define weave
command -v noweave >/dev/null || { echo "noweave is not on PATH: apt-get install noweb" >&2; exit 1; }
noweave -n -filter 'perl book/defs.pl' -filter '$(NOWEB_LIB)/finduses -noquote' \
  -filter 'perl book/uses.pl' -indexfrom /dev/null $1 2>$2.err | perl book/nwsplit.pl $2
@if [ -s $2.err ]; then cat $2.err >&2; $(if $(filter warn,$(LAYOUT)),true,exit 1); fi
endef

# $(call latex,master.tex,outdir,pdf): typeset, fail on undefined references
# and on any overfull box over 1 pt (book/checklog.pl names each).
define latex
@mkdir -p $2
latexmk -pdf -silent -interaction=nonstopmode -halt-on-error -outdir=$2 $1 >$2/latexmk.out 2>&1 \
  || { tail -40 $2/latexmk.out >&2; exit 1; }
@log=$2/$(basename $(notdir $1)).log; \
 if grep -E 'undefined|Undefined|multiply defined' $$log | grep -v -E 'Font|font'; then \
   echo "$1: LaTeX reports undefined or multiply defined references (see $$log)" >&2; exit 1; fi
perl book/checklog.pl $2/$(basename $(notdir $1)).log >&2 $(if $(filter warn,$(LAYOUT)),|| true)
cp $2/$(basename $(notdir $1)).pdf $3
endef

# make starts prerequisites in the order they are listed: the longest
# chapter programs first (chapter 4's Fashion-MNIST run takes about a
# minute, chapter 6 about 15 s, chapter 5 about 9 s), then the other
# figures, and the weave (8 s, wanted only by LaTeX) last, so that it
# fills a core while chapter 4 runs instead of delaying its start.
# make -j also starts whatever is ready whenever a core is free, so the
# weave waits (order only) until the first of them is linked.
LONGEST_FIRST := 4 6 5
build/book/weave.stamp: $(BOOK_NW) book/defs.pl book/uses.pl book/nwsplit.pl \
                        | deps $(BUILD)/chapter$(firstword $(LONGEST_FIRST))/link.stamp
	@mkdir -p build/book/weave
	@dup=$$(for f in $(BOOK_NW); do sed -n 's/^<<\(.*\)>>=$$/\1/p' $$f | sort -u; done | sort | uniq -d); \
	if [ -n "$$dup" ]; then echo "chunk names defined in more than one file (name them apart): $$dup" >&2; exit 1; fi
	$(call check_code,$(BOOK_NW))
	$(call weave,$(BOOK_NW),build/book/weave)
	@touch $@

build/book/chapters.tex: FORCE | deps
	@mkdir -p $(@D) && for f in $(NW_CHAPTERS); do n=$$(basename $$f .nw); c=$$(echo $$n | sed 's/^0*\([0-9]*\)-.*/\1/'); \
	  printf '\\input{figures/data/ch%s-numbers}\\input{build/book/weave/%s}\n' $$c $$n; done | cpif $@

build/book/appendix.tex: FORCE | deps
	@mkdir -p $(@D) && printf '%s\n' $(foreach f,$(NW_CHAPTERS),'$(call appendix_of,$f,build/book/weave)') | cpif $@

book/book.pdf: $(foreach c,$(LONGEST_FIRST),$(BUILD)/chapter$c/run.stamp) $(ALL_FIGS) $(ALL_NUMBERS) \
               book/book.tex build/book/chapters.tex build/book/appendix.tex build/book/weave.stamp \
               book/preamble.tex book/preface.tex book/appendix.tex book/backmatter.tex book/book.bib
	$(call latex,book/book.tex,build/book/latex,$@)

book: book/book.pdf
all: book

# ---------------------------------------------------------------- tests
TEST_SRCS := $(sort $(wildcard tests/test_*.c))
TEST_OBJS := $(patsubst tests/%.c,$(BUILD)/tests/%.o,$(TEST_SRCS))
BENCH_SRCS := $(sort $(wildcard tests/bench_*.c))
BENCH_OBJS := $(patsubst tests/%.c,$(BUILD)/tests/%.o,$(BENCH_SRCS))

# The runners call every function `void suite_NAME(void)` (and
# `void bench_NAME(void)`) found in the test files: a new file needs no
# registration.
$(BUILD)/tests/suites.h: $(TEST_SRCS) $(BENCH_SRCS) FORCE | deps
	@mkdir -p $(@D)
	@{ sed -n 's/^void \(suite_[a-z0-9_]*\)(void)$$/SUITE(\1)/p' $(TEST_SRCS) /dev/null; \
	   sed -n 's/^void \(bench_[a-z0-9_]*\)(void)$$/BENCH(\1)/p' $(BENCH_SRCS) /dev/null; } | cpif $@

$(BUILD)/tests/%.o: tests/%.c $(BUILD)/tests/suites.h $(BUILD)/cflags | $(BUILD)/lib/tangle.stamp
	$(CC) $(CPPFLAGS_ALL) -I$(BUILD)/tests -Itests $(CFLAGS_ALL) -MMD -MP -c $< -o $@

$(BUILD)/tests/runtests: $(BUILD)/tests/runtests.o $(BUILD)/tests/smoke.o $(TEST_OBJS) $(LIBCORE) \
                         $(BUILD)/blas
	$(CC) $(CFLAGS_ALL) $(filter-out $(BUILD)/blas,$^) -lcunit $(LDLIBS) -o $@

$(BUILD)/tests/runbench: $(BUILD)/tests/runbench.o $(BENCH_OBJS) $(LIBCORE) $(BUILD)/blas
	$(CC) $(CFLAGS_ALL) $(filter-out $(BUILD)/blas,$^) $(LDLIBS) -o $@

test: $(BUILD)/tests/runtests $(CHAPTER_PROGRAMS) $(PHOTOS) | deps
	$(BUILD)/tests/runtests $(CHAPTER_SMOKE)

bench: $(BUILD)/tests/runbench | deps
	$(BUILD)/tests/runbench

# ---------------------------------------------------------------- reading
tangle: $(NW_LIB) $(NW_CHAPTERS) | deps
	@mkdir -p build/tangled/lib
	for f in $(NW_LIB); do for r in $$(noroots "$$f" | sed 's/^<<\(.*\)>>$$/\1/'); do \
	  notangle -R"$$r" "$$f" > build/tangled/lib/"$$r"; done; done
	cp lib/*.c lib/*.h build/tangled/lib/
	for f in $(NW_CHAPTERS); do for r in $$(noroots "$$f" | sed 's/^<<\(.*\)>>$$/\1/'); do \
	  notangle -R"$$r" "$$f" > build/tangled/"$$r"; done; done
	@echo "plain C in build/tangled/ (core in build/tangled/lib/)"

clean:
	rm -rf build figures book/*.pdf

.PHONY: all book deps test bench tangle clean FORCE
FORCE:

include tests/fuzz.mk
-include $(wildcard $(BUILD)/lib/*.d $(BUILD)/chapter*/*.d $(BUILD)/tests/*.d)

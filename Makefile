# The two commands of the README, and a few helpers around them.
#   make run    install what is missing, build (Release), check and build the flagship example
#   make test   build Release and ASan+UBSan, run every test in both
.PHONY: run test deps build build-asan unit-test golden-update docs bench fuzz format clean

JOBS     ?= $(shell nproc 2>/dev/null || echo 2)
RELEASE  := build/release
ASAN     := build/asan
PLATC    := $(RELEASE)/platc
FLAGSHIP := examples/ohmycoins
# The fuzz targets (tests/fuzz/fuzz_<name>.cpp); make test runs each as a smoke, make fuzz with libFuzzer.
FUZZ_TARGETS := parse check build
FUZZ_SMOKES  := $(FUZZ_TARGETS:%=platc_fuzz_%_smoke)
FUZZ         := build/fuzz
FUZZ_SECONDS ?= 60

deps:
	@scripts/install-deps

$(RELEASE)/CMakeCache.txt: | deps
	cmake -S . -B $(RELEASE) -DCMAKE_BUILD_TYPE=Release

$(ASAN)/CMakeCache.txt: | deps
	cmake -S . -B $(ASAN) -DCMAKE_BUILD_TYPE=Debug -DPLATC_SANITIZE=ON -DCMAKE_CXX_FLAGS_DEBUG="-O1 -g"

build: deps $(RELEASE)/CMakeCache.txt
	cmake --build $(RELEASE) -j $(JOBS)

build-asan: deps $(ASAN)/CMakeCache.txt
	cmake --build $(ASAN) -j $(JOBS) --target platc platc_unit_tests $(FUZZ_SMOKES)  # the benchmark is measured in Release only

run: build
	$(PLATC) check $(FLAGSHIP)
	$(PLATC) build $(FLAGSHIP) --out build/out/ohmycoins
	@echo "The flagship's output is in build/out/ohmycoins/"

test: build build-asan
	scripts/run-tests $(RELEASE) $(ASAN)

# Rewrite every golden expectation from what platc does now; review the diff before committing.
golden-update: build
	python3 tests/golden/run.py --platc $(PLATC) --autoupdate

# Regenerate the reference documents that platc writes itself (tests/scripts/docs_fresh.sh checks them).
docs: build
	$(PLATC) doc kinds > docs/kinds.md
	$(PLATC) doc policies > docs/policies.md

bench: build
	bench/run.sh $(RELEASE)
	bench/pipeline.sh $(RELEASE)
	bench/peers.sh $(RELEASE)

# Each libFuzzer target for FUZZ_SECONDS, one after the other, with the dictionary; new inputs go
# to build/fuzz/corpus/<target>/, the seeds of tests/fuzz/corpus/<target>/ are only read. Crashes
# land in build/fuzz/ as crash-* (an input slower than 60 s as timeout-*): minimise one with
# -minimize_crash=1 and keep it in tests/fuzz/regressions/<target>/ (docs/robustness.md, "Fuzzing").
fuzz: deps
	CXX=clang++ cmake -S . -B $(FUZZ) -DCMAKE_BUILD_TYPE=Debug -DCMAKE_CXX_FLAGS_DEBUG="-O1 -g" -DPLATC_FUZZ=ON
	cmake --build $(FUZZ) -j $(JOBS) --target platc_fuzz_all
	for t in $(FUZZ_TARGETS); do \
	  mkdir -p $(FUZZ)/corpus/$$t && \
	  $(FUZZ)/platc_fuzz_$$t -max_total_time=$(FUZZ_SECONDS) -timeout=60 -dict=tests/fuzz/plat.dict -artifact_prefix=$(FUZZ)/ \
	    -print_final_stats=1 $(FUZZ)/corpus/$$t tests/fuzz/corpus/$$t tests/fuzz/regressions/$$t || exit 1; \
	done

format:
	find compiler cli backends tests bench -name '*.cpp' -o -name '*.h' | xargs clang-format -i

clean:
	rm -rf build

# The two commands of the README, and a few helpers around them.
#   make run    install what is missing, build (Release), check and build the flagship example
#   make test   build Release and ASan+UBSan, run every test in both
.PHONY: run test deps build build-asan unit-test golden-update docs bench fuzz format clean

JOBS     ?= $(shell nproc 2>/dev/null || echo 2)
RELEASE  := build/release
ASAN     := build/asan
PLATC    := $(RELEASE)/platc
FLAGSHIP := examples/ohmycoins

deps:
	@scripts/install-deps

$(RELEASE)/CMakeCache.txt: | deps
	cmake -S . -B $(RELEASE) -DCMAKE_BUILD_TYPE=Release

$(ASAN)/CMakeCache.txt: | deps
	cmake -S . -B $(ASAN) -DCMAKE_BUILD_TYPE=Debug -DPLATC_SANITIZE=ON -DCMAKE_CXX_FLAGS_DEBUG="-O1 -g"

build: deps $(RELEASE)/CMakeCache.txt
	cmake --build $(RELEASE) -j $(JOBS)

build-asan: deps $(ASAN)/CMakeCache.txt
	cmake --build $(ASAN) -j $(JOBS) --target platc platc_unit_tests  # the benchmark is measured in Release only

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

fuzz: deps
	CXX=clang++ cmake -S . -B build/fuzz -DCMAKE_BUILD_TYPE=Debug -DPLATC_FUZZ=ON
	cmake --build build/fuzz -j $(JOBS) --target platc_fuzz_parse
	build/fuzz/platc_fuzz_parse -max_total_time=60 tests/fuzz/corpus

format:
	find compiler cli backends tests bench -name '*.cpp' -o -name '*.h' | xargs clang-format -i

clean:
	rm -rf build

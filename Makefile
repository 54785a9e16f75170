# feverbench — the entry points: `make run` (default scenario) and `make test` (CTest suite).
# Each installs missing Debian packages first, then configures and builds with CMake presets.
PRESET ?= release
BUILD := build/$(PRESET)
JOBS ?= 2

.PHONY: all deps configure build run test test-asan fuzz-short fuzz-long bench bench-faces docs-people docs-studies bench-campaign install package clean

all: build

deps:
	@scripts/install-deps.sh

configure: deps
	@cmake --preset $(PRESET) >/dev/null

build: configure
	@cmake --build --preset $(PRESET) -j$(JOBS)

# The default scenario against the reference firmware; results in out/default/.
run: build
	./$(BUILD)/feverbench run --out out/default

test: build
	@scripts/install-deps.sh slurm
	ctest --preset $(PRESET)

# The CLI, shipped files, SDK, manual pages and completion under PREFIX (docs/install.md);
# DESTDIR=/staging puts them under /staging/PREFIX instead, for packagers.
PREFIX ?= /usr/local
install: build
	DESTDIR="$(DESTDIR)" cmake --install $(BUILD) --prefix "$(PREFIX)"

# The Debian package of the same files (prefix /usr): build/$(PRESET)/feverbench_*.deb.
package: build
	cd $(BUILD) && cpack -G DEB

# The whole suite again under AddressSanitizer + UndefinedBehaviorSanitizer.
test-asan:
	@$(MAKE) --no-print-directory test PRESET=asan

# Each fuzz target for FB_FUZZ_SECONDS (20 s) under clang + libFuzzer + ASan/UBSan; CI runs this.
fuzz-short: deps
	@cmake --preset fuzz >/dev/null
	@cmake --build --preset fuzz -j$(JOBS)
	ctest --preset fuzz

# The long run, on purpose: 10 minutes per target. Crashes land in build/fuzz/tests/fuzz/crash_*.
fuzz-long: deps
	@cmake --preset fuzz -DFB_FUZZ_SECONDS=600 >/dev/null
	@cmake --build --preset fuzz -j$(JOBS)
	ctest --preset fuzz
	@cmake --preset fuzz -DFB_FUZZ_SECONDS=20 >/dev/null

# Frames per second and real-time factor per stage (figures, not pass/fail).
bench: build
	./$(BUILD)/fb_bench
	./$(BUILD)/fb_stage_bench
	./$(BUILD)/rtl_bench --quick
	./$(BUILD)/fb_link_bench
	./$(BUILD)/fb_view_bench
	./$(BUILD)/fb_view_bench ui/bench-core640.json 1280x720 2

# fb_bench of this tree against a base commit (BASE=, default HEAD with changes, else HEAD^),
# built in build/bench-base/ and run alternated in one run: best, median and their ratio.
bench-compare: build
	/usr/bin/python3 scripts/bench_compare.py $(if $(BASE),--base $(BASE)) $(BENCH_COMPARE_ARGS)

# Face detectors trained on real faces (OpenCV's cascades, Debian's opencv-data) on the bench's
# frames, per camera profile and face size: figures in out/bench-faces/, not a test. Add real
# thermal photographs with BENCH_FACES_ARGS="--real DIR" (docs/bench-faces.md).
bench-faces: build
	@scripts/install-deps.sh bench-faces
	/usr/bin/python3 scripts/bench_faces.py --feverbench $(BUILD)/feverbench --out out/bench-faces $(BENCH_FACES_ARGS)

# The example studies in docs/studies/ and their pictures in docs/img/study-*.svg (docs/campaigns.md).
docs-studies: build
	sh scripts/docs_studies.sh $(BUILD)/feverbench

# One campaign through local --jobs 1, --jobs 2 and Slurm clusters of one and two nodes: runs per minute.
bench-campaign: build
	@scripts/install-deps.sh slurm
	sh scripts/bench_campaign.sh $(BUILD)/feverbench

# docs/img/people-distances.png: one person at several distances and head turns, three cameras.
docs-people: build
	@scripts/install-deps.sh bench-faces
	/usr/bin/python3 scripts/docs_people.py --feverbench $(BUILD)/feverbench --people 3d
	/usr/bin/python3 scripts/docs_people.py --feverbench $(BUILD)/feverbench --people template

clean:
	rm -rf build out

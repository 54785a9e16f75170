# feverbench — the entry points: `make run` (default scenario) and `make test` (CTest suite).
# Each installs missing Debian packages first, then configures and builds with CMake presets.
PRESET ?= release
BUILD := build/$(PRESET)
JOBS ?= 2

.PHONY: all deps configure build run test test-asan bench clean

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
	ctest --preset $(PRESET)

# The whole suite again under AddressSanitizer + UndefinedBehaviorSanitizer.
test-asan:
	@$(MAKE) --no-print-directory test PRESET=asan

# Frames per second and real-time factor per stage (figures, not pass/fail).
bench: build
	./$(BUILD)/fb_bench

clean:
	rm -rf build out

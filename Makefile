# userdesk: a thin wrapper around CMake. `make run` and `make test` are all a newcomer needs.
BUILD ?= build
JOBS ?= $(shell nproc)
CMAKE_FLAGS ?=

.PHONY: all build configure test run deps clean format-check asan tsan fuzz bench install deb

all: build

$(BUILD)/CMakeCache.txt:
	cmake -S . -B $(BUILD) $(CMAKE_FLAGS)

configure: $(BUILD)/CMakeCache.txt

build: configure
	cmake --build $(BUILD) -j $(JOBS)

deps:
	@scripts/deps.sh

# The whole suite, then the same unit and concurrency tests under ThreadSanitizer (make tsan).
# TSAN=0 skips the second part (its own build takes a few minutes on 2 cores).
TSAN ?= 1
test: deps
	@$(MAKE) --no-print-directory build
	ctest --test-dir $(BUILD) --output-on-failure -j $(JOBS)
	@if [ "$(TSAN)" != 0 ]; then $(MAKE) --no-print-directory tsan; fi

run: deps configure
	cmake --build $(BUILD) -j $(JOBS) --target runtime
	@USERDESK_BUILD_DIR=$(abspath $(BUILD)) scripts/run.sh

# The unit, fuzz-replay and mini-okta tests under AddressSanitizer + UBSan (build-asan/).
asan: deps
	cmake -S . -B build-asan -DUSERDESK_SANITIZE=ON -DCMAKE_BUILD_TYPE=Debug
	cmake --build build-asan -j $(JOBS)
	ctest --test-dir build-asan --output-on-failure -j $(JOBS) -L 'unit|fuzz|mini_okta'

# The responders' unit tests and the concurrency tests (the HTTP and provider clients against an
# in-process mini-okta from many threads) under ThreadSanitizer (build-tsan/). Only the suites'
# own targets are built: the integration stack adds nothing TSan can see in-process.
TSAN_OPTIONS ?= halt_on_error=1 second_deadlock_stack=1
tsan: deps
	cmake -S . -B build-tsan -DUSERDESK_TSAN=ON -DCMAKE_BUILD_TYPE=RelWithDebInfo $(CMAKE_FLAGS)
	cmake --build build-tsan -j $(JOBS) --target unit_tests provider_tests
	TSAN_OPTIONS="$(TSAN_OPTIONS)" ctest --test-dir build-tsan --output-on-failure -j $(JOBS) -L 'unit|provider'

# Each libFuzzer target for FUZZ_SECONDS (clang; build-fuzz/); new inputs land in build-fuzz/corpus.
FUZZ_SECONDS ?= 60
fuzz: deps
	@command -v clang++ >/dev/null && test -e /usr/lib/llvm-14/lib/clang/14.0.6/lib/linux/libclang_rt.fuzzer-x86_64.a || \
	  { echo "make fuzz needs clang and libFuzzer: apt-get install clang libclang-rt-14-dev"; exit 1; }
	cmake -S . -B build-fuzz -DCMAKE_CXX_COMPILER=clang++ -DUSERDESK_FUZZ=ON -DCMAKE_BUILD_TYPE=Debug
	cmake --build build-fuzz -j $(JOBS)
	@# every target CMake built (its list in CMakeLists.txt is the only one)
	@for f in build-fuzz/fuzz-*; do t=$${f#build-fuzz/fuzz-}; \
	  mkdir -p build-fuzz/corpus/$$t; \
	  build-fuzz/fuzz-$$t -max_total_time=$(FUZZ_SECONDS) -timeout=5 \
	    build-fuzz/corpus/$$t tests/fuzz/corpus/$$t || exit 1; \
	done

# Throughput and memory against a hello-world FastCGI baseline (bench/run.sh).
bench: deps configure
	cmake --build $(BUILD) -j $(JOBS) --target runtime bench-hello-fcgi bench-mint-session
	USERDESK_BUILD_DIR=$(abspath $(BUILD)) bench/run.sh

# Installs into $(DESTDIR)$(PREFIX) (docs/deploy.md). Its own build dir, configured for PREFIX:
# the units and nginx site name absolute paths, and the responders' built-in templates folder is
# $(PREFIX)/share/userdesk/templates there, while build/ keeps the checkout's for make run and tests.
PREFIX ?= /usr/local
DESTDIR ?=
INSTALL_BUILD ?= build-install
install:
	cmake -S . -B $(INSTALL_BUILD) -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_INSTALL_PREFIX=$(PREFIX) \
	  -DUSERDESK_DEFAULT_TEMPLATES=$(PREFIX)/share/userdesk/templates $(CMAKE_FLAGS)
	cmake --build $(INSTALL_BUILD) -j $(JOBS) --target runtime
	DESTDIR=$(DESTDIR) cmake --install $(INSTALL_BUILD) --strip

# build-deb/packages/userdesk_<version>_<arch>.deb, for PREFIX=/usr (apt install ./that.deb).
DEB_BUILD ?= build-deb
deb:
	cmake -S . -B $(DEB_BUILD) -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_INSTALL_PREFIX=/usr \
	  -DUSERDESK_DEFAULT_TEMPLATES=/usr/share/userdesk/templates $(CMAKE_FLAGS)
	cmake --build $(DEB_BUILD) -j $(JOBS) --target runtime
	cpack --config $(DEB_BUILD)/CPackConfig.cmake -B $(abspath $(DEB_BUILD))/packages
	@ls $(DEB_BUILD)/packages/*.deb

format-check:
	clang-format --dry-run --Werror $$(git ls-files '*.cc' '*.h')

clean:
	rm -rf $(BUILD)

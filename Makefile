# Thin wrapper: the real work is in scripts/ and meson.build.
#
#   make demo     install, build, boot a guest on our QEMU + our driver, show dm-crypt on the device
#   make check    install, build, run every test suite, end with "N passed, N failed"
#   make patches  export git-am patch series against the base trees into build/patches/
#   make bench    device-level benchmark vs raw libgcrypt/nettle and stock QEMU (after make check),
#                 then the guest-level one (make bench-guest: TCG guests, ours vs Debian's)
#
# Everything lands in build/.  Tunables: SUITES="unit qtest" to run a subset.

BUILD   ?= build
SUITES  ?= unit qtest guest interop patches style
MESON_BUILD = $(BUILD)/meson

.PHONY: all deps qemu qemu-stock driver linux-source test-kernel build demo check check-asan patches bench bench-guest meson-setup clean distclean

all: build

deps:
	@bash scripts/deps.sh

qemu: deps
	@bash scripts/build-qemu.sh

qemu-stock: deps
	@bash scripts/build-qemu.sh --stock

driver: deps
	@bash scripts/build-driver.sh

linux-source: deps
	@bash scripts/fetch-linux-source.sh

test-kernel: linux-source
	@bash scripts/build-test-kernel.sh

build: qemu driver

demo: build
	@bash tests/guest/demo.sh

meson-setup: deps
	@if [ ! -f $(MESON_BUILD)/build.ninja ]; then meson setup $(MESON_BUILD) . >/dev/null; else meson setup --reconfigure $(MESON_BUILD) . >/dev/null; fi

check: build qemu-stock linux-source test-kernel meson-setup
	@bash scripts/run-checks.sh $(SUITES)

bench: build qemu-stock
	@bash tests/bench/run-bench.sh
	@bash tests/bench/guest-bench.sh

bench-guest: build
	@bash tests/bench/guest-bench.sh

patches: deps linux-source
	@bash scripts/fetch-qemu.sh
	@bash scripts/export-patches.sh

clean:
	rm -rf $(BUILD)/meson $(BUILD)/driver $(BUILD)/guest $(BUILD)/patches $(BUILD)/virtio_crypto.ko

distclean:
	rm -rf $(BUILD)

# k3OS-ts. `make run` boots a node under qemu; `make test` runs every test.
# Both install what they need first (Debian packages, npm ci), as root.

NODE := node_modules/.bin/node
TEST := $(NODE) --test --test-reporter=spec --test-concurrency=1

APT_PACKAGES := qemu-system-x86 busybox-static dnsmasq-base cpio e2fsprogs lz4 iproute2 socat util-linux kmod binutils openssl chrony

.PHONY: setup deps build addon bundle typecheck image run test test-unit test-ns test-kube test-vm bench clean

setup: build/.deps node_modules/.installed

build/.deps:
	@mkdir -p build
	@missing=""; for p in $(APT_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  echo "installing Debian packages:$$missing"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing; \
	fi
	@touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund
	@touch $@

build: setup addon bundle

addon: native/build/Release/k3os.node

native/build/Release/k3os.node: node_modules/.installed native/binding.gyp $(wildcard native/src/*.cc native/src/*.h)
	cd native && ../node_modules/.bin/node-gyp rebuild --nodedir=/usr

bundle: node_modules/.installed
	$(NODE) scripts/gen-crd.ts
	node_modules/.bin/tsup --silent

typecheck: node_modules/.installed
	node_modules/.bin/tsc -p tsconfig.json

test: build typecheck test-unit test-ns test-kube test-vm

test-unit:
	$(TEST) 'test/unit/**/*.test.ts'

test-ns:
	$(TEST) 'test/ns/**/*.test.ts'

test-kube:
	$(TEST) 'test/kube/**/*.test.ts'

test-vm: image
	$(TEST) 'test/vm/**/*.test.ts'

# Image (scripts/): Debian cloud kernel as an ELF vmlinux for PVH, and the whole OS as an uncompressed
# initramfs. K3S_BIN=/path puts the real k3s in; otherwise the stand-in from test/fixtures goes in.
K3S_BIN ?=
K3S_STANDIN ?= dist/k3s-standin.mjs
ACCEL ?= tcg
APPEND ?=
PORT ?= 6443
# tsup builds every entry of tsup.config.ts in one run, the stand-in k3s included
BUNDLES := dist/init.cjs dist/agent.mjs dist/k3os.mjs dist/k3s-standin.mjs
ADDON := native/build/Release/k3os.node
# rebuild the initrd when the image options change, not only when files do
IMAGE_OPTS := k3s=$(K3S_BIN) standin=$(K3S_STANDIN)
$(shell mkdir -p build; [ "$$(cat build/.image-opts 2>/dev/null)" = "$(IMAGE_OPTS)" ] || echo "$(IMAGE_OPTS)" > build/.image-opts)

image: build/vmlinux build/initrd.img

$(BUNDLES) &: node_modules/.installed tsup.config.ts scripts/cluster-certs.ts scripts/kubeconfig.ts $(shell find src test/fixtures/k3s-standin -name "*.ts" 2>/dev/null)
	node_modules/.bin/tsup --silent

build/kernel/version: scripts/fetch-kernel.sh | build/.deps
	scripts/fetch-kernel.sh build/kernel

build/vmlinux: build/kernel/version scripts/extract-vmlinux.sh
	scripts/extract-vmlinux.sh build/kernel/root/boot/vmlinuz-$$(cat build/kernel/version) $@

build/debs/root: scripts/fetch-debs.sh | build/.deps
	scripts/fetch-debs.sh build/debs sudo

build/initrd.img: build/kernel/version build/debs/root build/.image-opts package.json scripts/build-initrd.ts $(wildcard scripts/image/*) src/init/console/accounts.ts \
		$(shell find rootfs -type f 2>/dev/null) $(BUNDLES) $(ADDON) $(wildcard $(K3S_STANDIN)) $(K3S_BIN)
	$(NODE) scripts/build-initrd.ts --out $@ --addon $(ADDON) --k3s-standin $(K3S_STANDIN) $(if $(K3S_BIN),--k3s-bin $(K3S_BIN))

build/floor.img: scripts/build-floor-initrd.sh | build/.deps
	scripts/build-floor-initrd.sh $@

run: image
	ACCEL="$(ACCEL)" APPEND="$(APPEND)" PORT="$(PORT)" scripts/run-vm.sh

bench: image build/floor.img
	for f in bench/*.bench.ts; do $(NODE) $$f || exit 1; done

clean:
	rm -rf build dist native/build

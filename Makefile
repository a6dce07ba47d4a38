# k3OS-ts. `make run` boots a node under qemu; `make test` runs every test.
# Both install what they need first (Debian packages, npm ci), as root.

NODE := node_modules/.bin/node
TEST := $(NODE) --test --test-reporter=spec --test-concurrency=1

APT_PACKAGES := qemu-system-x86 busybox-static dnsmasq-base cpio e2fsprogs lz4 iproute2 socat util-linux kmod

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

clean:
	rm -rf build dist native/build

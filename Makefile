# taskrouter-operator. `make help` lists the targets.

# Image the deploy and docker-build targets use.
IMG ?= taskrouter-operator:dev
# Version stamped into the binaries (User-Agent, --version).
VERSION ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)

# Tools are installed with `go install` at pinned versions into bin/, so a clean
# machine needs nothing but Go and the module proxy.
LOCALBIN ?= $(shell pwd)/bin
CONTROLLER_GEN ?= $(LOCALBIN)/controller-gen-$(CONTROLLER_TOOLS_VERSION)
KUSTOMIZE ?= $(LOCALBIN)/kustomize-$(KUSTOMIZE_VERSION)
HELM ?= $(LOCALBIN)/helm-$(HELM_VERSION)
PROMTOOL ?= $(LOCALBIN)/promtool-$(PROMETHEUS_VERSION)
GOLANGCI_LINT ?= $(LOCALBIN)/golangci-lint-$(GOLANGCI_LINT_VERSION)
CONTROLLER_TOOLS_VERSION ?= v0.23.0
# v5.8.1 is the newest kustomize whose go.mod accepts Go 1.26.
KUSTOMIZE_VERSION ?= v5.8.1
GOLANGCI_LINT_VERSION ?= v2.15.0
HELM_VERSION ?= v3.22.0
# promtool checks and unit-tests the alerts in config/prometheus. It is built
# with remove_all_sd, Prometheus's tag that leaves out the service-discovery
# plugins (cloud SDKs) rule checks do not use, to keep a cold build short.
PROMETHEUS_VERSION ?= v0.316.0

# The Helm chart. Its CRDs and the manager's rules are copies of the generated
# config/crd/bases and config/rbac/role.yaml, refreshed by `make manifests`;
# `make verify` fails when a copy is stale.
CHART := charts/taskrouter-operator

# The control plane for tests and the demo is built from the module proxy at the
# release pinned in hack/controlplane/go.mod (matching client-go v0.37).
KUBERNETES_VERSION := $(shell sed -n 's/^\s*k8s.io\/kubernetes v\(.*\)$$/\1/p' hack/controlplane/go.mod)
GOOS := $(shell go env GOOS)
GOARCH := $(shell go env GOARCH)
ENVTEST_ASSETS := $(LOCALBIN)/k8s/$(KUBERNETES_VERSION)-$(GOOS)-$(GOARCH)

GO_LDFLAGS := -X github.com/taskrouter-operator/taskrouter-operator/internal/taskrouter.Version=$(VERSION)
# Fuzz targets run briefly in `make test`; `make fuzz FUZZTIME=5m` runs them longer.
FUZZTIME ?= 5s

SHELL = /usr/bin/env bash -o pipefail
.SHELLFLAGS = -ec

.PHONY: all
all: build

##@ General

.PHONY: help
help: ## Show this help.
	@awk 'BEGIN {FS = ":.*##"; printf "\nUsage:\n  make \033[36m<target>\033[0m\n"} /^[a-zA-Z_0-9-]+:.*?##/ { printf "  \033[36m%-18s\033[0m %s\n", $$1, $$2 } /^##@/ { printf "\n\033[1m%s\033[0m\n", substr($$0, 5) } ' $(MAKEFILE_LIST)

##@ Development

.PHONY: manifests
manifests: controller-gen ## Generate the CRDs and RBAC from the Go types and markers, and copy them into the chart.
	$(CONTROLLER_GEN) rbac:roleName=manager-role crd paths="./api/...;./controllers/..." \
	  output:crd:artifacts:config=config/crd/bases output:rbac:artifacts:config=config/rbac
	@rm -f $(CHART)/crds/*.yaml
	@cp config/crd/bases/*.yaml $(CHART)/crds/
	@cp config/rbac/role.yaml $(CHART)/files/manager-role.yaml

.PHONY: generate
generate: controller-gen ## Generate DeepCopy methods.
	$(CONTROLLER_GEN) object:headerFile="hack/boilerplate.go.txt" paths="./api/..."

.PHONY: fmt
fmt: ## Run gofmt on the code.
	gofmt -w $$(git ls-files '*.go')

.PHONY: vet
vet: ## Run go vet.
	go vet ./...

.PHONY: verify
verify: manifests generate ## Fail when generated files or formatting are out of date.
	@test -z "$$(gofmt -l $$(git ls-files '*.go'))" || { echo "gofmt needed:"; gofmt -l $$(git ls-files '*.go'); exit 1; }
	@git diff --exit-code -- config/crd config/rbac api $(CHART)/crds $(CHART)/files || { echo "generated files are stale: run 'make manifests generate' and commit"; exit 1; }
	@test -z "$$(git status --porcelain --untracked-files=all -- config/crd config/rbac $(CHART)/crds $(CHART)/files)" || { echo "generated files are not committed:"; git status --short -- config/crd config/rbac $(CHART)/crds $(CHART)/files; exit 1; }

# Long-running recipes run under hack/supervise watching make's pid ($$PPID in
# a recipe): if make is killed (a CI timeout's SIGTERM, a SIGKILL), what they
# started, down to the control planes of the test binaries, is stopped too.
SUPERVISE ?= $(LOCALBIN)/supervise

.PHONY: lint
lint: golangci-lint ## Run golangci-lint with .golangci.yml (licence headers, errors, formatting, ...).
	$(GOLANGCI_LINT) run --allow-parallel-runners ./...

.PHONY: test
test: verify vet lint controlplane supervisor helm promtool ## Run every test: lint, fuzz targets briefly, then unit, envtest and end-to-end tests.
	$(MAKE) --no-print-directory fuzz FUZZTIME=$(FUZZTIME)
	KUBEBUILDER_ASSETS="$(ENVTEST_ASSETS)" $(SUPERVISE) --watch-pid $$PPID -- go test ./... -count=1 -timeout=20m

.PHONY: fuzz
# A failing input is saved under the package's testdata/fuzz and fails every later run (the seed
# corpus includes it). A run that fails without one (the engine's own worker dying under load, as
# once seen in CI) is shown and tried once more; a second failure fails the target.
fuzz: ## Run each fuzz target for FUZZTIME (default 5s).
	@out=$$(mktemp); trap 'rm -f $$out' EXIT; \
	for pkg in $$(go list ./...); do \
	  for target in $$(go test -list '^Fuzz' $$pkg | grep '^Fuzz' || true); do \
	    echo "fuzz $$pkg $$target ($(FUZZTIME))"; \
	    go test $$pkg -run='^$$' -fuzz="^$$target$$" -fuzztime=$(FUZZTIME) >$$out 2>&1 && continue; \
	    tail -20 $$out; \
	    go test $$pkg -run='^$$' -fuzz="^$$target$$" -fuzztime=1x || exit 1; \
	    echo "fuzz $$pkg $$target: the run failed without a failing input; once more"; \
	    go test $$pkg -run='^$$' -fuzz="^$$target$$" -fuzztime=$(FUZZTIME) >$$out 2>&1 || { tail -20 $$out; exit 1; }; \
	  done; \
	done

.PHONY: bench
bench: ## Run the benchmarks.
	go test ./... -run='^$$' -bench=. -benchmem

# Knobs of `make bench-scale`; `bin/bench-scale -h` lists every flag (BENCH_SCALE_FLAGS passes more).
N ?= 1000
WRITE_RATE ?= 20
PHASES ?= all
SHAPE ?=
FAULTS ?= 429=0.2
SYNC_PERIOD ?= 1m
SIMULATE ?= false
MANAGER_FLAGS ?=
MANAGER_MEMORY_LIMIT ?=
BENCH_SCALE_FLAGS ?=

.PHONY: bench-scale
bench-scale: controlplane build ## Scale benchmark: the real manager against the emulator (N, WRITE_RATE, PHASES, SHAPE, FAULTS, SYNC_PERIOD, SIMULATE, MANAGER_FLAGS, MANAGER_MEMORY_LIMIT).
	go build -o $(LOCALBIN)/bench-scale ./hack/benchscale
	$(LOCALBIN)/bench-scale -n $(N) -write-rate $(WRITE_RATE) -phases $(PHASES) -shape "$(SHAPE)" -faults "$(FAULTS)" \
	  -sync-period $(SYNC_PERIOD) -simulate=$(SIMULATE) -manager-flags "$(MANAGER_FLAGS)" \
	  -manager-memory-limit "$(MANAGER_MEMORY_LIMIT)" $(BENCH_SCALE_FLAGS)

.PHONY: controlplane
controlplane: ## Build kube-apiserver and etcd from the module proxy (cached in bin/k8s/<version>).
	@echo "==> control plane: kube-apiserver and etcd $(KUBERNETES_VERSION) (built once from the module proxy, then cached)"
	@hack/build-controlplane.sh kube-apiserver etcd >/dev/null

##@ Demo

EXIT_WHEN_READY ?=
.PHONY: demo
demo: controlplane supervisor ## Run everything locally: control plane, emulator (--simulate), manager, samples. Ctrl-C stops it.
	@echo "==> building the manager, the emulator and the demo runner"
	@$(MAKE) --no-print-directory build
	@go build -o $(LOCALBIN)/taskrouter-demo ./hack/demo
	@EXIT_WHEN_READY=$(EXIT_WHEN_READY) $(SUPERVISE) --watch-pid $$PPID -- $(LOCALBIN)/taskrouter-demo

##@ Build

.PHONY: build
build: ## Build the manager, the emulator and the kubectl plugin into bin/.
	go build -ldflags "$(GO_LDFLAGS)" -o $(LOCALBIN)/manager ./cmd/manager
	go build -ldflags "$(GO_LDFLAGS)" -o $(LOCALBIN)/taskrouter-emulator ./cmd/taskrouter-emulator
	go build -ldflags "$(GO_LDFLAGS)" -o $(LOCALBIN)/kubectl-taskrouter ./cmd/kubectl-taskrouter

.PHONY: supervisor
supervisor: $(SUPERVISE) ## Build hack/supervise, which ties the test and demo processes to make's life.
$(SUPERVISE): $(wildcard hack/supervise/*.go internal/proctree/*.go)
	@mkdir -p $(LOCALBIN)
	go build -o $@ ./hack/supervise

.PHONY: run
run: manifests generate ## Run the manager against the cluster in KUBECONFIG.
	go run -ldflags "$(GO_LDFLAGS)" ./cmd/manager $(ARGS)

.PHONY: docker-build
docker-build: ## Build the manager image (needs a Docker engine).
	docker build --build-arg VERSION=$(VERSION) -t $(IMG) .

##@ Deployment

.PHONY: chart
chart: manifests helm ## Lint the Helm chart and render it with its default values into $(DIST)/chart.yaml.
	$(HELM) lint $(CHART)
	@mkdir -p $(DIST)
	$(HELM) template taskrouter-operator $(CHART) --namespace taskrouter-operator-system --include-crds > $(DIST)/chart.yaml
	@echo "wrote $(DIST)/chart.yaml"

.PHONY: install
install: manifests kustomize ## Install the CRDs into the cluster in KUBECONFIG.
	$(KUSTOMIZE) build config/crd | kubectl apply --server-side -f -

.PHONY: uninstall
uninstall: manifests kustomize ## Remove the CRDs from the cluster in KUBECONFIG.
	$(KUSTOMIZE) build config/crd | kubectl delete --ignore-not-found -f -

.PHONY: deploy
deploy: manifests kustomize ## Deploy the operator (CRDs, RBAC, manager) with image IMG.
	cd config/manager && $(KUSTOMIZE) edit set image controller=$(IMG)
	$(KUSTOMIZE) build config/default | kubectl apply --server-side -f -

# Release artefacts go to DIST (git-ignored): install.yaml is rendered for one
# image, so it belongs to a release, not to the source tree.
DIST ?= $(shell pwd)/dist

.PHONY: build-installer
build-installer: manifests kustomize ## Write $(DIST)/install.yaml (CRDs, RBAC, manager, metrics Service) for image IMG: one `kubectl apply` installs it all.
	@mkdir -p $(DIST)
	@# An overlay in the git-ignored tmp/ sets the image, so config/ is never edited.
	@overlay=tmp/installer-$$$$; mkdir -p $$overlay; trap 'rm -rf "$$overlay"' EXIT; \
	printf 'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n  - ../../config/default\n' > $$overlay/kustomization.yaml; \
	(cd $$overlay && $(KUSTOMIZE) edit set image taskrouter-operator="$(IMG)"); \
	$(KUSTOMIZE) build $$overlay > $(DIST)/install.yaml
	@echo "wrote $(DIST)/install.yaml for image $(IMG)"

.PHONY: undeploy
undeploy: kustomize ## Remove the operator from the cluster.
	$(KUSTOMIZE) build config/default | kubectl delete --ignore-not-found -f -

##@ Tools

# go-install-tool installs one pinned tool into $@, a versioned path under bin/ (so a new version
# is installed beside the old one, never mistaken for it): $(1) the binary go install writes,
# $(2) package@version, $(3) extra go install flags.
define go-install-tool
@mkdir -p $(LOCALBIN)
GOBIN=$(LOCALBIN) go install $(3) $(2)
mv $(LOCALBIN)/$(1) $@
endef

.PHONY: controller-gen
controller-gen: $(CONTROLLER_GEN) ## Install controller-gen into bin/.
$(CONTROLLER_GEN):
	$(call go-install-tool,controller-gen,sigs.k8s.io/controller-tools/cmd/controller-gen@$(CONTROLLER_TOOLS_VERSION),)

.PHONY: golangci-lint
golangci-lint: $(GOLANGCI_LINT) ## Install golangci-lint into bin/.
$(GOLANGCI_LINT):
	$(call go-install-tool,golangci-lint,github.com/golangci/golangci-lint/v2/cmd/golangci-lint@$(GOLANGCI_LINT_VERSION),)

.PHONY: kustomize
kustomize: $(KUSTOMIZE) ## Install kustomize into bin/.

.PHONY: kustomize-path
kustomize-path: $(KUSTOMIZE) ## Print the path of the pinned kustomize (used by the deployment tests).
	@echo $(KUSTOMIZE)

$(KUSTOMIZE):
	$(call go-install-tool,kustomize,sigs.k8s.io/kustomize/kustomize/v5@$(KUSTOMIZE_VERSION),)

.PHONY: helm
helm: $(HELM) ## Install helm into bin/.
.PHONY: helm-path
helm-path: $(HELM) ## Print the path of the pinned helm (used by the chart tests).
	@echo $(HELM)
$(HELM):
	$(call go-install-tool,helm,helm.sh/helm/v3/cmd/helm@$(HELM_VERSION),)

.PHONY: promtool
promtool: $(PROMTOOL) ## Install promtool into bin/.
.PHONY: promtool-path
promtool-path: $(PROMTOOL) ## Print the path of the pinned promtool (used by the alert tests).
	@echo $(PROMTOOL)
$(PROMTOOL):
	$(call go-install-tool,promtool,github.com/prometheus/prometheus/cmd/promtool@$(PROMETHEUS_VERSION),-tags remove_all_sd)

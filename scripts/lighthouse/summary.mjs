// The table of scripts/lighthouse.sh: reads Lighthouse's JSON reports,
// keeps each page's median run (by performance score), prints one row per
// page and the audits that cost points, and exits 1 when a target is missed.
//
// Usage: node summary.mjs MANIFEST, where each line of MANIFEST is
// "name<TAB>indexed<TAB>report.json" (indexed: 1 when the page is meant to
// be indexed, 0 when it says noindex; several lines may share a name, one
// per run).
import fs from 'node:fs';

const targets = {performance: 95, accessibility: 100, 'best-practices': 100, seo: 100, tbt: 150};

const pages = new Map();
for (const line of fs.readFileSync(process.argv[2], 'utf8').split('\n')) {
  if (!line.trim()) continue;
  const [name, indexed, file] = line.split('\t');
  const lhr = JSON.parse(fs.readFileSync(file, 'utf8'));
  if (!pages.has(name)) pages.set(name, {indexed: indexed === '1', runs: []});
  pages.get(name).runs.push(lhr);
}

const score = (lhr, cat) => Math.round((lhr.categories[cat]?.score ?? 0) * 100);
const pad = (s, n) => String(s).padEnd(n);
const lpad = (s, n) => String(s).padStart(n);

let failed = false;
const notes = [];
console.log([pad('page', 22), lpad('perf', 5), lpad('a11y', 5), lpad('bp', 5), lpad('seo', 5), lpad('TBT ms', 7),
  lpad('LCP ms', 7), lpad('CLS', 6), lpad('errors', 7), lpad('BI', 5), lpad('CPU×', 5), '  runs (perf)'].join(' '));
for (const [name, {indexed, runs}] of pages) {
  runs.sort((a, b) => score(a, 'performance') - score(b, 'performance'));
  const lhr = runs[Math.floor((runs.length - 1) / 2)];
  const a = lhr.audits;
  const tbt = Math.round(a['total-blocking-time'].numericValue);
  const lcp = Math.round(a['largest-contentful-paint'].numericValue);
  const cls = a['cumulative-layout-shift'].numericValue.toFixed(3);
  const errors = a['errors-in-console'].details?.items?.length ?? 0;
  const s = {performance: score(lhr, 'performance'), accessibility: score(lhr, 'accessibility'),
    'best-practices': score(lhr, 'best-practices'), seo: score(lhr, 'seo')};
  const missed = [];
  for (const cat of ['performance', 'accessibility', 'best-practices']) {
    if (s[cat] < targets[cat]) missed.push(`${cat} ${s[cat]} < ${targets[cat]}`);
  }
  if (tbt > targets.tbt) missed.push(`TBT ${tbt} ms > ${targets.tbt}`);
  if (errors > 0) missed.push(`${errors} console error(s)`);
  // A page meant to be indexed needs SEO 100; a noindex page must say so
  // (is-crawlable fails) and pass every other SEO audit.
  const seoRefs = lhr.categories.seo.auditRefs.filter(r => r.weight > 0);
  const crawlable = a['is-crawlable'].score === 1;
  if (indexed) {
    if (s.seo < targets.seo) missed.push(`seo ${s.seo} < 100`);
  } else {
    if (crawlable) missed.push('indexable, but meant to be noindex');
    const other = seoRefs.filter(r => r.id !== 'is-crawlable' && a[r.id].score !== null && a[r.id].score < 1);
    if (other.length) missed.push('seo: ' + other.map(r => r.id).join(', '));
  }
  const seoCell = indexed ? s.seo : `${s.seo}*`;
  console.log([pad(name, 22), lpad(s.performance, 5), lpad(s.accessibility, 5), lpad(s['best-practices'], 5),
    lpad(seoCell, 5), lpad(tbt, 7), lpad(lcp, 7), lpad(cls, 6), lpad(errors, 7),
    lpad(Math.round(lhr.environment.benchmarkIndex), 5), lpad(lhr.configSettings.throttling.cpuSlowdownMultiplier, 5),
    '  ' + runs.map(r => score(r, 'performance')).join(',')].join(' '));
  if (missed.length) {
    failed = true;
    notes.push(`${name}: ${missed.join('; ')}`);
  }
  // What cost points, for fixing.
  for (const cat of ['performance', 'accessibility', 'best-practices', 'seo']) {
    for (const ref of lhr.categories[cat].auditRefs) {
      const au = a[ref.id];
      if (ref.weight > 0 && au.score !== null && au.score < (cat === 'performance' ? 0.9 : 1) &&
          !(cat === 'seo' && !indexed && ref.id === 'is-crawlable')) {
        notes.push(`  ${name}: ${cat}/${ref.id} ${au.displayValue || ''} (${au.title})`);
      }
    }
  }
  for (const item of a['errors-in-console'].details?.items ?? []) {
    notes.push(`  ${name}: console: ${item.description} ${item.sourceLocation?.url ?? ''}`);
  }
}
console.log('BI: the machine\'s speed as Lighthouse measured it before the run (BenchmarkIndex); CPU×: the emulated slowdown.');
console.log('* noindex page: its SEO score leaves out is-crawlable, which must fail; every other SEO audit must pass.');
if (notes.length) console.log('\n' + notes.join('\n'));
if (failed) {
  console.log('\nlighthouse: targets missed (performance ≥ 95, accessibility 100, best practices 100, SEO 100 where indexed, TBT ≤ 150 ms, no console error)');
  process.exit(1);
}
console.log('\nlighthouse: every target met');

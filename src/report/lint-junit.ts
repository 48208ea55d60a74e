/**
 * `--format junit`: JUnit XML as CI servers read it. A testsuite per capture file, a testcase per
 * connection that has findings (plus a "capture" testcase for capture-wide findings, always
 * present so every suite has one), a <failure> per finding at or above the failing level;
 * findings below it go to the testcase's <system-out>. A capture that could not be read to its
 * end gets an <error> on its "capture" testcase.
 *
 * Traffic text is escaped as XML, and characters XML 1.0 cannot hold at all (C0 controls but TAB,
 * LF, CR; U+FFFE/U+FFFF; lone surrogates) are written as visible `\xNN` escapes, so the document
 * always parses.
 */
import { SEVERITY_RANK } from '../lint/run.js';
import type { Finding } from '../lint/types.js';
import { countSeverities, type LintReport, type LintReportFile } from './lint-format.js';

export function formatJunit(report: LintReport): string {
  const suites = report.files.map((file) => suite(file, report.failOn));
  const tests = suites.reduce((n, s) => n + s.tests, 0);
  const failures = suites.reduce((n, s) => n + s.failures, 0);
  const errors = suites.reduce((n, s) => n + s.errors, 0);
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="wirelens lint" tests="${tests}" failures="${failures}" errors="${errors}">`,
    ...suites.map((s) => s.xml),
    '</testsuites>',
    '',
  ].join('\n');
}

interface Suite {
  xml: string;
  tests: number;
  failures: number;
  errors: number;
}

function suite(file: LintReportFile, failOn: Finding['severity']): Suite {
  const byConnection = new Map<number | null, Finding[]>([[null, []]]);
  for (const f of file.findings) {
    const list = byConnection.get(f.connection) ?? [];
    list.push(f);
    byConnection.set(f.connection, list);
  }
  const ids = [...byConnection.keys()].filter((id): id is number => id !== null).sort((a, b) => a - b);
  const cases = [...ids.map((id) => ({ name: `connection ${id}`, findings: byConnection.get(id) as Finding[] })), { name: 'capture', findings: byConnection.get(null) as Finding[] }];
  let failures = 0;
  const body = cases.map(({ name, findings }) => {
    const failing = findings.filter((f) => SEVERITY_RANK[f.severity] >= SEVERITY_RANK[failOn]);
    const passing = findings.filter((f) => SEVERITY_RANK[f.severity] < SEVERITY_RANK[failOn]);
    failures += failing.length;
    const inner = [
      ...failing.map((f) => `      <failure type="${attr(f.ruleId)}" message="${attr(`${f.ruleId}: ${f.message}`)}">${text(details(f))}</failure>`),
      ...(name === 'capture' && file.error !== null ? [`      <error type="capture-error" message="${attr(file.error)}"></error>`] : []),
      ...(passing.length > 0 ? [`      <system-out>${text(passing.map(details).join('\n\n'))}</system-out>`] : []),
    ];
    const open = `    <testcase classname="${attr(file.file)}" name="${attr(name)}"`;
    return inner.length === 0 ? `${open}/>` : `${open}>\n${inner.join('\n')}\n    </testcase>`;
  });
  const errors = file.error === null ? 0 : 1;
  const counts = countSeverities(file.findings);
  const xml = [
    `  <testsuite name="${attr(file.file)}" tests="${cases.length}" failures="${failures}" errors="${errors}" skipped="0">`,
    `    <properties><property name="errors" value="${counts.error}"/><property name="warnings" value="${counts.warning}"/><property name="notes" value="${counts.note}"/></properties>`,
    ...body,
    '  </testsuite>',
  ].join('\n');
  return { xml, tests: cases.length, failures, errors };
}

function details(f: Finding): string {
  const where = [f.connection === null ? null : `connection ${f.connection}`, f.exchange === null ? null : `exchange ${f.exchange}`, f.frames.length ? `frames ${f.frames.join(', ')}` : null]
    .filter((p) => p !== null)
    .join(', ');
  return `${f.severity} ${f.ruleId}: ${f.message}${where ? `\n(${where})` : ''}\n${f.title}\n${f.docs}`;
}

// eslint-disable-next-line no-control-regex
const NOT_XML = /[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/** Characters XML 1.0 cannot contain, as visible escapes. */
function xmlSafe(s: string): string {
  return s.replace(NOT_XML, (ch) => {
    const code = ch.charCodeAt(0);
    return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
  });
}

/** Element content: CR as a reference, or a parser turns CRLF into LF. */
function text(s: string): string {
  return xmlSafe(s).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/\r/g, '&#13;');
}

/** Attribute values: also quotes, and TAB/LF/CR as references (attribute normalisation would turn them into spaces). */
function attr(s: string): string {
  return text(s).replace(/"/g, '&quot;').replace(/\t/g, '&#9;').replace(/\n/g, '&#10;');
}

/**
 * `--format sarif`: SARIF 2.1.0, as GitHub code scanning and other SARIF viewers read it. One run;
 * `tool.driver.rules` lists every rule that ran with its title and help; each result names its
 * rule, level and message, and its location is the capture file. SARIF locations are lines in a
 * text file and GitHub requires `region.startLine`, so the finding's first frame number stands in
 * for the line; all its frames, its connection and exchange are in the result's `properties`.
 * A capture that could not be read to its end is a tool execution notification (and makes
 * `executionSuccessful` false).
 */
import { isAbsolute } from 'node:path';
import { pathToFileURL } from 'node:url';
import { packageVersion } from '../lint/package-files.js';
import { docsLabel, type LintReport } from './lint-format.js';

export const SARIF_SCHEMA = 'https://json.schemastore.org/sarif-2.1.0.json';

export function formatSarif(report: LintReport): string {
  const ruleIndex = new Map(report.rules.map((r, i) => [r.rule.id, i]));
  const results = report.files.flatMap((file) =>
    file.findings.map((f) => ({
      ruleId: f.ruleId,
      ...(ruleIndex.has(f.ruleId) ? { ruleIndex: ruleIndex.get(f.ruleId) } : {}),
      level: f.severity,
      message: { text: f.message },
      locations: [
        {
          physicalLocation: {
            artifactLocation: { uri: fileUri(file.file) },
            region: { startLine: f.frames.length > 0 ? f.frames[0] : 1 },
          },
        },
      ],
      properties: { frames: f.frames, connection: f.connection, exchange: f.exchange },
    })),
  );
  const damaged = report.files.filter((f) => f.error !== null);
  const log = {
    $schema: SARIF_SCHEMA,
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'wirelens',
            version: packageVersion(),
            informationUri: 'https://github.com/wirelens/wirelens',
            rules: report.rules.map(({ rule, severity }) => ({
              id: rule.id,
              name: pascalCase(rule.id),
              shortDescription: { text: rule.title },
              fullDescription: { text: rule.help },
              help: { text: `${rule.help}\n\n${rule.docs}`, markdown: `${rule.help}\n\n[${docsLabel(rule.docs)}](${rule.docs})` },
              helpUri: rule.docs,
              defaultConfiguration: { level: severity },
            })),
          },
        },
        invocations: [
          {
            executionSuccessful: damaged.length === 0,
            toolExecutionNotifications: damaged.map((f) => ({
              level: 'error',
              message: { text: f.error as string },
              locations: [{ physicalLocation: { artifactLocation: { uri: fileUri(f.file) } } }],
            })),
          },
        ],
        results,
      },
    ],
  };
  return `${JSON.stringify(log, null, 2)}\n`;
}

/**
 * A URI reference for a path: relative paths stay relative (GitHub resolves them against the
 * repository), with each segment percent-encoded; absolute paths become file: URIs.
 */
export function fileUri(path: string): string {
  if (isAbsolute(path)) return pathToFileURL(path).href;
  return path
    .split(/[\\/]/)
    .map((segment) => encodeURIComponent(segment))
    .join('/');
}

/** SARIF's `name`: a readable identifier ("content-length-overrun" → "ContentLengthOverrun"). */
function pascalCase(id: string): string {
  return id
    .split(/[^A-Za-z0-9]+/)
    .filter((p) => p.length > 0)
    .map((p) => p[0].toUpperCase() + p.slice(1))
    .join('');
}

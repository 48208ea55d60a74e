import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BaselineFilter, buildBaseline, hostOf, readBaseline } from '../../src/lint/baseline.js';
import type { FindingWhere } from '../../src/lint/linter.js';
import type { Finding } from '../../src/lint/types.js';
import { tempDir } from '../helpers/temp.js';

const finding = (ruleId: string, frames: number[]): Finding => ({
  ruleId,
  severity: 'error',
  message: 'm',
  connection: 1,
  exchange: 1,
  frames,
  title: 't',
  help: 'h',
  docs: 'd',
});
const at = (client: string, request: string | null): FindingWhere => ({ client, server: '10.0.0.1:80', request });

describe('baseline', () => {
  it('keys the client by address only: ephemeral ports change between recordings', () => {
    expect(hostOf('10.0.0.2:41234')).toBe('10.0.0.2');
    expect(hostOf('[::1]:5000')).toBe('::1');
    expect(hostOf(null)).toBeNull();
  });

  it('counts identical findings and leaves frame numbers out', () => {
    const b = buildBaseline([
      { finding: finding('r', [4]), where: at('10.0.0.2:40000', 'GET /') },
      { finding: finding('r', [90]), where: at('10.0.0.2:40001', 'GET /') },
      { finding: finding('q', [7]), where: at('10.0.0.2:40000', null) },
    ]);
    expect(b).toEqual({
      wirelens: 'baseline',
      version: 1,
      findings: [
        { ruleId: 'q', server: '10.0.0.1:80', client: '10.0.0.2', request: null, count: 1 },
        { ruleId: 'r', server: '10.0.0.1:80', client: '10.0.0.2', request: 'GET /', count: 2 },
      ],
    });
  });

  it('suppresses as many matches as recorded, and no more', () => {
    const filter = new BaselineFilter({ wirelens: 'baseline', version: 1, findings: [{ ruleId: 'r', server: '10.0.0.1:80', client: '10.0.0.2', request: 'GET /', count: 2 }] });
    const kept = [1, 2, 3].map((i) => filter.keep(finding('r', [i]), at(`10.0.0.2:${50000 + i}`, 'GET /')));
    expect(kept).toEqual([false, false, true]);
    expect(filter.keep(finding('r', [1]), at('10.0.0.2:1', 'GET /other'))).toBe(true);
    expect(filter.suppressed).toBe(2);
  });

  it('rejects a file that is not a baseline, naming it', () => {
    const dir = tempDir('baseline');
    writeFileSync(join(dir, 'b.json'), '{"findings": []}');
    expect(() => readBaseline(join(dir, 'b.json'))).toThrow(/b\.json: not a wirelens baseline/);
    writeFileSync(join(dir, 'c.json'), '{"wirelens":"baseline","version":1,"findings":[{"ruleId":"r","count":0}]}');
    expect(() => readBaseline(join(dir, 'c.json'))).toThrow(/c\.json: findings\[0\]: expected/);
  });
});

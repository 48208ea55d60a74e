import { describe, expect, it } from 'vitest';
import rule from '../../rules/too-many-headers.js';
import { runRules } from '../helpers/rule-harness.js';
import { conversationCapture } from './synthetic.js';

describe('too-many-headers', () => {
  it('reports 1001 header fields against the default limit of 1000 (what Node 20 keeps with maxHeadersCount unset)', async () => {
    const findings = await runRules(
      conversationCapture([
        ['client', `GET / HTTP/1.1\r\nHost: x\r\n${Array.from({ length: 1000 }, (_, i) => `X-${i}: v\r\n`).join('')}\r\n`],
        ['server', 'HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n'],
        ['fin', 'client'],
        ['fin', 'server'],
      ]), [rule]);
    expect(findings).toMatchObject([
      { ruleId: 'too-many-headers', severity: 'warning', connection: 1, exchange: 1, frames: [4],
        message: "the request (GET /) has 1001 header fields, over the limit of 1000: Node keeps the first 1000 and drops 1 (frame 4)" },
    ]);
  });
  it('stays silent at exactly 1000 header fields', async () => {
    const findings = await runRules(
      conversationCapture([
        ['client', `GET / HTTP/1.1\r\nHost: x\r\n${Array.from({ length: 999 }, (_, i) => `X-${i}: v\r\n`).join('')}\r\n`],
        ['server', 'HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n'],
        ['fin', 'client'],
        ['fin', 'server'],
      ]), [rule]);
    expect(findings).toEqual([]);
  });
  it('follows the max option', async () => {
    const findings = await runRules(
      conversationCapture([
        ['client', 'GET / HTTP/1.1\r\nHost: x\r\nA: 1\r\nB: 2\r\n\r\n'],
        ['server', 'HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n'],
        ['fin', 'client'],
        ['fin', 'server'],
      ]), [rule], { 'too-many-headers': { max: 2 } });
    expect(findings).toMatchObject([
      { ruleId: 'too-many-headers', severity: 'warning', connection: 1, exchange: 1, frames: [4],
        message: "the request (GET /) has 3 header fields, over the limit of 2: Node keeps the first 2 and drops 1 (frame 4)" },
    ]);
  });
});

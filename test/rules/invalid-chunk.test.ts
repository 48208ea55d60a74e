import { describe, expect, it } from 'vitest';
import rule from '../../rules/invalid-chunk.js';
import { runRules } from '../helpers/rule-harness.js';
import { conversationCapture } from './synthetic.js';

describe('invalid-chunk', () => {
  it('reports a chunk-size line that is not hexadecimal', async () => {
    const findings = await runRules(
      conversationCapture([
        ['client', 'GET / HTTP/1.1\r\nHost: x\r\n\r\n'],
        ['server', 'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nhello\r\n0\r\n\r\n'],
        ['fin', 'server'],
        ['fin', 'client'],
      ]), [rule]);
    expect(findings).toMatchObject([
      { ruleId: 'invalid-chunk', severity: 'error', connection: 1, exchange: 1, frames: [5],
        message: "the 200 response: chunk-size line \"zz\" is not HEXDIG [chunk-ext] (invalid-chunk-size at offset 47, frame 5)" },
    ]);
  });
});

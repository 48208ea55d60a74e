import { formatEndpoint } from '../model/endpoint.js';
import { FollowTextWriter } from '../report/follow.js';
import type { ConnectionRecord } from '../tcp/connection.js';
import type { Direction, StreamChunk, StreamGap } from '../tcp/stream.js';
import { analyse, type StreamTap } from '../analysis/analysis.js';
import { finishRun, textIo, type Io } from './io.js';
import { ExitCode, UsageError } from './usage-error.js';
import { parseCommandArgs } from './args.js';
import { followSpec } from './specs.js';

type FollowDirection = Direction | 'both';

interface FollowOptions {
  file: string;
  connId: number;
  direction: FollowDirection;
  raw: boolean;
}

export async function runFollow(args: string[], io: Io): Promise<number> {
  const options = parseFollowArgs(args);
  let found = false;
  const sink = options.raw ? new RawSink(io, options.direction as Direction) : null;
  let text: FollowTextWriter | null = null;
  const out = textIo(io).out;
  const wanted = (d: Direction) => options.direction === 'both' || options.direction === d;

  const tap = (conn: ConnectionRecord): StreamTap | undefined => {
    if (conn.id !== options.connId) return undefined;
    found = true;
    if (!sink) {
      text = new FollowTextWriter(out, {
        client: `client ${formatEndpoint(conn.client.ip, conn.client.port)}`,
        server: `server ${formatEndpoint(conn.server.ip, conn.server.port)}`,
      }, conn.startTime);
    }
    return {
      chunk: (chunk: StreamChunk) => {
        if (!wanted(chunk.direction)) return;
        if (sink) sink.chunk(chunk);
        else text!.chunk(chunk);
      },
      gap: (gap: StreamGap) => {
        if (!wanted(gap.direction)) return;
        if (sink) sink.gap(gap);
        else text!.gap(gap);
      },
    };
  };

  const summary = await analyse(options.file, { inspect: 'tcp' }, { stream: tap });
  sink?.flush();
  (text as FollowTextWriter | null)?.finish();
  const damaged = finishRun(summary, io) !== ExitCode.OK;
  // An unreadable input already said what is wrong: "no connection 1" would only mislead.
  if (!found && !(damaged && summary.frames === 0)) {
    const count = summary.connections;
    io.err(`wirelens: ${summary.file}: no connection ${options.connId} (the capture has ${count} TCP connection${count === 1 ? '' : 's'}; see \`wirelens conns ${summary.file}\`)\n`);
    return ExitCode.BAD_INPUT;
  }
  return damaged ? ExitCode.BAD_INPUT : ExitCode.OK;
}

function parseFollowArgs(args: string[]): FollowOptions {
  const { values, positionals } = parseCommandArgs(followSpec, args);
  const connId = Number(values.conn);
  if (values.conn === undefined || !Number.isInteger(connId) || connId < 1) {
    throw new UsageError('follow needs --conn ID, a connection id from `wirelens conns` (1, 2, …)');
  }
  const direction = values.direction as FollowDirection;
  if (!['client', 'server', 'both'].includes(direction)) {
    throw new UsageError(`--direction must be client, server or both, not '${values.direction}'`);
  }
  if (values.raw && direction === 'both') {
    throw new UsageError('--raw writes one direction only: add --direction client or --direction server');
  }
  return { file: positionals[0], connId, direction, raw: values.raw ?? false };
}

/** Writes one direction's bytes unchanged, batching small chunks into ~1 MiB writes. */
class RawSink {
  private pending: Uint8Array[] = [];
  private pendingBytes = 0;

  constructor(
    private readonly io: Io,
    private readonly direction: Direction,
  ) {}

  chunk(chunk: StreamChunk): void {
    // A copy: the chunk is a view of the capture's read buffer, which is let go once parsed.
    this.pending.push(chunk.bytes.slice());
    this.pendingBytes += chunk.bytes.length;
    if (this.pendingBytes >= 1 << 20) this.flush();
  }

  gap(gap: StreamGap): void {
    const size = gap.length === 'unknown' ? 'an unknown number of' : String(gap.length);
    this.io.err(`wirelens: warning: ${size} bytes missing from the ${this.direction} stream at offset ${gap.offset} (capture gap before frame ${gap.frameAfter}); left out of the raw output\n`);
  }

  flush(): void {
    if (this.pendingBytes === 0) return;
    this.io.out(Buffer.concat(this.pending, this.pendingBytes));
    this.pending = [];
    this.pendingBytes = 0;
  }
}

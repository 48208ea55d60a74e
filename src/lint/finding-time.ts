/**
 * When a finding happened (Finding.time): the time of its first frame, as the record the rule was
 * reading states it. Rules report frame numbers only; the model states times next to frame numbers
 * (`{ frame, time }` references, a message's first frame and `times.start`, its `endFrame` and
 * `times.end`, a connection's first and last frame), so the linter looks the frame up there. A
 * frame the record does not name (a finding that rests on an earlier record) falls back to the
 * record's own start.
 */
import type { CaptureSummary, ConnectionModel, ExchangeModel } from '../model/types.js';

/** What the linter was reading when a rule reported. */
export type ReportedFrom = ExchangeModel | ConnectionModel | CaptureSummary;

/** Deep enough for every frame reference of an exchange or connection record. */
const MAX_DEPTH = 6;

/** The time of `frame` as `record` states it, else the record's start; null when neither is known. */
export function findingTime(record: ReportedFrom | null, frame: number | undefined): number | null {
  if (record === null) return null;
  if (frame !== undefined) {
    const time = timeOfFrame(record, frame, 0);
    if (time !== null) return time;
  }
  return startOf(record);
}

function startOf(record: ReportedFrom): number | null {
  if ('index' in record) return record.timing.requestStart ?? record.response?.times.start ?? null;
  if ('startTime' in record) return record.startTime;
  return record.lastTime;
}

/** Searches the record's objects (not header lists or bodies) for a time stated with `frame`. */
function timeOfFrame(value: unknown, frame: number, depth: number): number | null {
  if (value === null || typeof value !== 'object' || depth > MAX_DEPTH) return null;
  if (Array.isArray(value)) {
    for (const item of value) {
      const time = timeOfFrame(item, frame, depth + 1);
      if (time !== null) return time;
    }
    return null;
  }
  const o = value as Record<string, unknown>;
  const stated = statedTime(o, frame);
  if (stated !== null) return stated;
  for (const key in o) {
    if (key === 'headers' || key === 'body' || key === 'node') continue;
    const time = timeOfFrame(o[key], frame, depth + 1);
    if (time !== null) return time;
  }
  return null;
}

/** A time this object states for `frame` itself: a frame reference, a message's first or end frame, a connection's first or last frame. */
function statedTime(o: Record<string, unknown>, frame: number): number | null {
  if (o.frame === frame && typeof o.time === 'number') return o.time;
  const times = o.times as { start?: unknown; end?: unknown } | undefined;
  if (times !== undefined && times !== null && Array.isArray(o.frames)) {
    if (o.frames[0] === frame && typeof times.start === 'number') return times.start;
    if (o.endFrame === frame && typeof times.end === 'number') return times.end;
  }
  if (o.firstFrame === frame && typeof o.startTime === 'number') return o.startTime;
  if (o.lastFrame === frame && typeof o.endTime === 'number') return o.endTime;
  return null;
}

#!/usr/bin/env node
// Writes macOS `lo0`-style variants (link type NULL, pcapng) of a few real Linux recordings, using
// wirelens's own capture reader, link unwrapper and capture writer, so the BSD-loopback decode path
// is tested on real traffic. Deterministic: same inputs → same bytes.
//
//   npm run build && node captures/make-lo0.mjs
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseCaptureBuffer } from '../dist/src/capture/source.js';
import { writePcapng } from '../dist/src/synth/capture-writer.js';
import { unwrapLink, wrapLink } from '../dist/src/synth/packets.js';

const HERE = dirname(fileURLToPath(import.meta.url));
const LINKTYPE_NULL = 0;

// The Linux recordings converted, chosen to cover keep-alive reuse, packing and a framing error.
export const LO0_SOURCES = ['02-keepalive-agent', '06-res-end', '08-content-length-overrun', '19-keepalive-reuse-race'];

function convert(name) {
  const source = join(HERE, `${name}.pcapng`);
  const frames = [];
  const result = parseCaptureBuffer(source, readFileSync(source), (frame) => {
    const ip = unwrapLink(frame.data, frame.linkType);
    if (!ip) throw new Error(`${source}: frame ${frame.index} is not IP`);
    // macOS writes the AF value in host byte order: little-endian on x86 and Apple silicon.
    frames.push({ time: frame.time, data: wrapLink(LINKTYPE_NULL, ip, { nullByteOrder: 'le' }) });
  });
  if (result.error) throw result.error;
  const target = join(HERE, `${name}.lo0.pcapng`);
  writeFileSync(target, writePcapng([{ interfaces: [{ linkType: LINKTYPE_NULL, tsresol: 6 }], frames }]));
  console.log(`${target}: ${frames.length} frames, link type NULL`);
}

const names = process.argv.slice(2);
for (const name of names.length ? names : LO0_SOURCES) convert(name);

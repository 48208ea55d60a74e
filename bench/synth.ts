/**
 * The benchmark generators' only imports from src/: the packet builder, the capture writer and
 * their small helpers. They may move (e.g. to src/synth/); then only these lines change.
 */
export { concatBytes } from '../src/capture/bytes.js';
export { LinkType } from '../src/capture/frame.js';
export { PcapStreamWriter } from '../src/synth/capture-writer.js';
export { buildTcpIpPacket, wrapLink } from '../src/synth/packets.js';
export { TcpFlag } from '../src/decode/segment.js';

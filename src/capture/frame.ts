/**
 * The one shape every capture reader emits. The pcap/pcapng difference (byte order, µs/ns
 * resolution, per-interface link type, if_tsresol/if_tsoffset) is resolved inside the reader.
 */
export interface Frame {
  /** 1-based, exactly as Wireshark numbers frames (`frame.number == N`). */
  index: number;
  /** Seconds since the Unix epoch (float; sub-microsecond digits of ns captures are rounded). */
  time: number;
  /** LINKTYPE_* value of the interface that captured the frame. */
  linkType: number;
  /**
   * The captured bytes: a view into a chunk the reader allocated for this purpose and never
   * reuses, so it stays valid after the callback returns. Copy nothing unless you mutate.
   */
  data: Uint8Array;
  /** Length of the packet on the wire; larger than `data.length` when snaplen cut it. */
  originalLength: number;
  /** Byte offset in the file (or stream) of the block/record that carried the frame. */
  fileOffset: number;
  /** pcapng interface id (0 for pcap). */
  interfaceId: number;
}

export type CaptureErrorCode =
  /** The first bytes are not a pcap or pcapng magic number. */
  | 'not-a-capture'
  /** The input ended in the middle of a header, record or block. */
  | 'truncated'
  /** A length or field is impossible (block length < minimum, misaligned, trailer mismatch…). */
  | 'malformed'
  /** The file could not be opened or read. */
  | 'io';

/**
 * A broken *file* (never broken traffic). Carries the file name and byte offset so the CLI can
 * print one line and exit 2 after reporting every frame read before the damage.
 *
 * The message names the offset only for damage inside a capture ('truncated', 'malformed'), where
 * it is the point; a file that cannot be read or is not a capture at all has no interesting offset.
 */
export class CaptureError extends Error {
  constructor(
    readonly code: CaptureErrorCode,
    readonly file: string,
    readonly offset: number,
    readonly detail: string,
    /**
     * Frames delivered before the error. 0 means nothing of the input was readable (a missing
     * file, a text file, damage before the first frame): a command may then print no results.
     */
    readonly framesRead: number,
  ) {
    super(isDamage(code) ? `${file}: ${detail} at byte offset ${offset}` : `${file}: ${detail}`);
    this.name = 'CaptureError';
  }
}

function isDamage(code: CaptureErrorCode): boolean {
  return code === 'truncated' || code === 'malformed';
}

/** LINKTYPE_* values we decode (https://www.tcpdump.org/linktypes.html). */
export const LinkType = {
  NULL: 0,
  ETHERNET: 1,
  RAW: 101,
  LOOP: 108,
  LINUX_SLL: 113,
  IPV4: 228,
  IPV6: 229,
  LINUX_SLL2: 276,
} as const;

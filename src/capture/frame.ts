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
   * The captured bytes: a view into the chunk the reader read them in, valid during the callback
   * (gopacket's ZeroCopyReadPacketData contract). A file's chunk is released once parsed (its
   * views become empty: see source.ts release()), so whatever keeps bytes past the callback copies
   * them — the tcp stage's out-of-order segments, the HTTP parser's held pieces, follow --raw.
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
  /**
   * DLT_RAW as most platforms number it. libpcap maps it to RAW (101) when writing, but older
   * writers and some libraries (PcapPlusPlus) put the DLT value in the file; Wireshark reads it as raw IP.
   */
  DLT_RAW: 12,
  /** DLT_RAW as OpenBSD numbers it, found in files written there. */
  DLT_RAW_OPENBSD: 14,
  RAW: 101,
  LOOP: 108,
  LINUX_SLL: 113,
  IPV4: 228,
  IPV6: 229,
  LINUX_SLL2: 276,
} as const;

/**
 * Registry names (LINKTYPE_ without the prefix) of link types a capture may plausibly hold, for
 * messages about frames that were not decoded. Not exhaustive: `linkTypeName` returns null for the rest.
 */
const LINK_TYPE_NAMES: Readonly<Record<number, string>> = {
  0: 'NULL',
  1: 'ETHERNET',
  3: 'AX25',
  6: 'IEEE802_5',
  7: 'ARCNET_BSD',
  8: 'SLIP',
  9: 'PPP',
  10: 'FDDI',
  12: 'RAW',
  14: 'RAW',
  50: 'PPP_HDLC',
  51: 'PPP_ETHER',
  100: 'ATM_RFC1483',
  101: 'RAW',
  104: 'C_HDLC',
  105: 'IEEE802_11',
  107: 'FRELAY',
  108: 'LOOP',
  113: 'LINUX_SLL',
  114: 'LTALK',
  117: 'PFLOG',
  119: 'IEEE802_11_PRISM',
  122: 'IP_OVER_FC',
  123: 'SUNATM',
  127: 'IEEE802_11_RADIOTAP',
  129: 'ARCNET_LINUX',
  138: 'APPLE_IP_OVER_IEEE1394',
  139: 'MTP2_WITH_PHDR',
  140: 'MTP2',
  141: 'MTP3',
  142: 'SCCP',
  143: 'DOCSIS',
  144: 'LINUX_IRDA',
  163: 'IEEE802_11_AVS',
  166: 'PPP_PPPD',
  169: 'GPRS_LLC',
  177: 'LINUX_LAPD',
  187: 'BLUETOOTH_HCI_H4',
  189: 'USB_LINUX',
  192: 'PPI',
  195: 'IEEE802_15_4_WITHFCS',
  201: 'BLUETOOTH_HCI_H4_WITH_PHDR',
  204: 'PPP_WITH_DIR',
  220: 'USB_LINUX_MMAPPED',
  227: 'CAN_SOCKETCAN',
  228: 'IPV4',
  229: 'IPV6',
  239: 'NFLOG',
  240: 'NETANALYZER',
  249: 'USBPCAP',
  252: 'WIRESHARK_UPPER_PDU',
  253: 'NETLINK',
  254: 'BLUETOOTH_LINUX_MONITOR',
  258: 'PKTAP',
  276: 'LINUX_SLL2',
};

/** USER0 … USER15 (147–162): reserved for private use, so they have a name but no meaning. */
const LINKTYPE_USER0 = 147;
const LINKTYPE_USER15 = 162;

/** The registry name of `linkType` ("ETHERNET", "USER0"…), or null when this table does not know it. */
export function linkTypeName(linkType: number): string | null {
  if (linkType >= LINKTYPE_USER0 && linkType <= LINKTYPE_USER15) return `USER${linkType - LINKTYPE_USER0}`;
  return LINK_TYPE_NAMES[linkType] ?? null;
}

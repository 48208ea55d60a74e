/**
 * Traffic must not drive the reader's terminal. Everything a text command prints passes through
 * here once, on its way out: C0 controls (but LF and TAB, which the renderers use for layout),
 * DEL and C1 controls (U+0080–U+009F: a latin1-decoded 0x9B is an 8-bit CSI to many terminals)
 * become visible escapes, so `GET /\x1b[2J\x1b]0;pwned\x07 HTTP/1.1` shows as typed instead of
 * clearing the screen and retitling the window. Lone UTF-16 surrogates (which would be written as
 * invalid UTF-8) are escaped too.
 */
// eslint-disable-next-line no-control-regex
const UNSAFE = /[\x00-\x08\x0b-\x1f\x7f-\x9f]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

export function escapeControls(text: string): string {
  UNSAFE.lastIndex = 0;
  if (!UNSAFE.test(text)) return text;
  UNSAFE.lastIndex = 0;
  return text.replace(UNSAFE, escapeOne);
}

function escapeOne(ch: string): string {
  const code = ch.charCodeAt(0);
  return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
}

// eslint-disable-next-line no-control-regex
const JSON_UNSAFE = /[\x7f-\x9f]/g;

/**
 * JSON.stringify escapes C0 controls but leaves DEL and C1 (U+0080–U+009F) raw, and a UTF-8
 * terminal may act on those when `--json` output is read on screen: written as \u escapes, the
 * JSON means the same.
 */
export function escapeJsonControls(json: string): string {
  // Pure ASCII without DEL, nearly every record: two native scans, ~3x quicker than the regex.
  if (json.indexOf('\x7f') === -1 && Buffer.byteLength(json, 'utf8') === json.length) return json;
  JSON_UNSAFE.lastIndex = 0;
  if (!JSON_UNSAFE.test(json)) return json;
  JSON_UNSAFE.lastIndex = 0;
  return json.replace(JSON_UNSAFE, (ch) => `\\u00${ch.charCodeAt(0).toString(16)}`);
}

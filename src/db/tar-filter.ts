/**
 * Drops entries from a tar archive (ustar, as PGlite's `dumpDataDir` writes it): what a saved data directory does
 * not need. Only the plain ustar header is read (name, prefix, size); an archive with any extended header (pax,
 * GNU long names) is not filtered, and null is returned, so that nothing is dropped by a misreading.
 */

const BLOCK = 512;

const field = (header: Uint8Array, start: number, length: number): string => {
  const bytes = header.subarray(start, start + length);
  const end = bytes.indexOf(0);
  return Buffer.from(end < 0 ? bytes : bytes.subarray(0, end)).toString('latin1');
};

/**
 * `tar` without the entries whose path `drop` names; null when the archive is not plain ustar (or is damaged).
 * Paths are as stored, without a leading `/` or `./`.
 */
export const filterTar = (tar: Uint8Array, drop: (path: string) => boolean): Buffer | null => {
  const kept: Uint8Array[] = [];
  let offset = 0;
  for (;;) {
    if (offset + BLOCK > tar.length) return null; // no end-of-archive marker
    const header = tar.subarray(offset, offset + BLOCK);
    if (header.every((b) => b === 0)) break;
    const type = String.fromCharCode(header[156]!);
    if (!['0', '\0', '5', '1', '2'].includes(type)) return null;
    const sizeText = field(header, 124, 12).trim();
    if (!/^[0-7]*$/.test(sizeText)) return null;
    const size = sizeText ? parseInt(sizeText, 8) : 0;
    const prefix = field(header, 345, 155);
    const path = (prefix ? `${prefix}/` : '') + field(header, 0, 100);
    const length = BLOCK + Math.ceil(size / BLOCK) * BLOCK;
    if (offset + length > tar.length) return null;
    if (!drop(path.replace(/^(?:\.?\/)+/, ''))) kept.push(tar.subarray(offset, offset + length));
    offset += length;
  }
  kept.push(new Uint8Array(2 * BLOCK));
  return Buffer.concat(kept);
};

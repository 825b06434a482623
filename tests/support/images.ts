import { deflateSync } from 'node:zlib';
import sharp from 'sharp';
import type { InputFile } from '../../src/core/invocation.ts';

/*
 * Images for tests, made in memory and small: photos in each accepted type, a JPEG carrying a
 * camera's make and a GPS position, and the bad uploads a photo command must refuse.
 */

/** A flat-coloured photo of `width`×`height` in `format`. */
export async function photo(
  format: 'jpeg' | 'png' | 'webp',
  options: { width?: number; height?: number; colour?: string } = {},
): Promise<Buffer> {
  const { width = 48, height = 32, colour = '#8a4b2d' } = options;
  return sharp({ create: { width, height, channels: 3, background: colour } })
    .toFormat(format)
    .toBuffer();
}

/** What {@link jpegWithGps} writes, to look for in what comes out. */
export const CAMERA = { make: 'CamCoTest', datum: 'WGS-84-TEST' } as const;

/** A JPEG as a phone takes it: the camera's make and model, and where it was taken (a GPS position). */
export async function jpegWithGps(options: { width?: number; height?: number } = {}): Promise<Buffer> {
  return sharp(await photo('jpeg', options))
    .withExif({
      IFD0: { Make: CAMERA.make, Model: 'X1' },
      IFD3: {
        GPSMapDatum: CAMERA.datum,
        GPSLatitudeRef: 'N',
        GPSLatitude: '10/1 46/1 30/1',
        GPSLongitudeRef: 'E',
        GPSLongitude: '106/1 41/1 0/1',
      },
    })
    .toBuffer();
}

/** Whether EXIF data (as sharp's `metadata().exif` gives it) holds a GPS section: IFD0's tag 0x8825. */
export function exifHasGps(exif: Buffer): boolean {
  const tiff = exif.subarray(exif.subarray(0, 6).toString('latin1') === 'Exif\0\0' ? 6 : 0);
  const little = tiff.toString('latin1', 0, 2) === 'II';
  const u16 = (at: number) => (little ? tiff.readUInt16LE(at) : tiff.readUInt16BE(at));
  const u32 = (at: number) => (little ? tiff.readUInt32LE(at) : tiff.readUInt32BE(at));
  const ifd = u32(4);
  return Array.from({ length: u16(ifd) }, (_, i) => u16(ifd + 2 + 12 * i)).includes(0x8825);
}

/**
 * A decompression bomb: a valid PNG of `side`×`side` black pixels (one bit each), a few tens of
 * kilobytes that would decode to hundreds of megabytes.
 */
export function pngBomb(side = 20_000): Buffer {
  const row = Buffer.alloc(1 + Math.ceil(side / 8));
  const raw = Buffer.alloc(row.length * side);
  const chunk = (type: string, data: Buffer) => {
    const length = Buffer.alloc(4);
    length.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(body));
    return Buffer.concat([length, body, crc]);
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(side, 0);
  header.writeUInt32BE(side, 4);
  header.set([1, 0, 0, 0, 0], 8); // 1 bit, greyscale, deflate, adaptive filtering, no interlace
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(raw, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

function crc32(data: Buffer): number {
  let crc = 0xffffffff;
  for (const byte of data) {
    crc ^= byte;
    for (let k = 0; k < 8; k++) crc = crc & 1 ? (crc >>> 1) ^ 0xedb88320 : crc >>> 1;
  }
  return (crc ^ 0xffffffff) >>> 0;
}

/** A file as a command opens it, from bytes; `size` is what the platform declares (its real size unless given). */
export function imageFile(name: string, data: Uint8Array | string, size?: number): InputFile {
  const bytes = typeof data === 'string' ? new TextEncoder().encode(data) : data;
  return { name, size: size ?? bytes.length, read: async (max) => (bytes.length > max ? 'too_large' : bytes) };
}

import { createHash } from 'node:crypto';
import type { Sharp, SharpOptions } from 'sharp';

/*
 * A subject's photo as casedesk keeps it: the upload checked by its bytes (not its name), decoded
 * within a pixel budget, turned upright and re-encoded as a bounded JPEG with no metadata (no
 * location, no camera), with a thumbnail beside it.
 */

const MiB = 1024 * 1024;

/** What an upload may be, and what is kept of it. */
export const PHOTO_LIMITS = {
  /** The most an upload may weigh, checked before it is read in full. */
  bytes: 10 * MiB,
  /** The most pixels an upload may declare: more is a decompression bomb, refused before decoding. */
  pixels: 40_000_000,
  /** The longest side of the copy kept. */
  side: 1600,
  /** The longest side of its thumbnail. */
  thumbnail: 256,
} as const;

/** The types an upload may be, by their bytes. */
export type ImageType = 'image/jpeg' | 'image/png' | 'image/webp';

/** Why an upload was refused. */
export type ImageProblem =
  /** Its bytes are no JPEG, PNG or WebP and its name does not claim they are. */
  | 'not_image'
  /** Its name says JPEG, PNG or WebP, its bytes say otherwise. */
  | 'lies_about_type'
  | 'too_large'
  /** It declares more pixels than {@link PHOTO_LIMITS.pixels}. */
  | 'too_many_pixels'
  /** It starts as an image but cannot be decoded (cut short, corrupt). */
  | 'damaged';

/** An upload made fit to keep. */
export interface PreparedImage {
  contentType: 'image/jpeg';
  image: Uint8Array;
  thumbnail: Uint8Array;
  width: number;
  height: number;
  /** What the upload was, by its bytes. */
  sourceType: ImageType;
  originalBytes: number;
  originalSha256: string;
}

const SIGNATURES: Array<{ type: ImageType; matches: (b: Uint8Array) => boolean }> = [
  { type: 'image/jpeg', matches: (b) => b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff },
  { type: 'image/png', matches: (b) => startsWith(b, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]) },
  { type: 'image/webp', matches: (b) => startsWith(b, [0x52, 0x49, 0x46, 0x46]) && startsWith(b.subarray(8), [0x57, 0x45, 0x42, 0x50]) },
];

function startsWith(bytes: Uint8Array, prefix: readonly number[]): boolean {
  return prefix.every((value, i) => bytes[i] === value);
}

/** The type an upload's first bytes say it is, whatever its name says; undefined for anything else. */
export function sniffImageType(bytes: Uint8Array): ImageType | undefined {
  return SIGNATURES.find((s) => s.matches(bytes))?.type;
}

/** Whether a file's name claims one of the accepted types. */
export function namedAsImage(name: string): boolean {
  return /\.(jpe?g|jfif|png|webp)$/i.test(name.trim());
}

let sharpModule: Promise<typeof import('sharp')> | undefined;

/**
 * sharp, loaded on first use (most commands never need it) with its own cache off and one thread
 * per image: an upload's memory is what its decoding takes, and is given back when it is done.
 */
function loadSharp(): Promise<typeof import('sharp')> {
  sharpModule ??= import('sharp').then((module) => {
    module.default.cache(false);
    module.default.concurrency(1);
    return module;
  });
  return sharpModule;
}

/**
 * Checks an upload and makes the copy to keep: refused when over {@link PHOTO_LIMITS.bytes}, when
 * its bytes are no JPEG, PNG or WebP (`lies_about_type` when its name claims one), when it declares
 * more than {@link PHOTO_LIMITS.pixels} pixels (read from its header, before any decoding), or when
 * it cannot be decoded. The copy is turned upright by its orientation tag, fitted within
 * {@link PHOTO_LIMITS.side} pixels and encoded as JPEG without any of the upload's metadata.
 *
 * @example
 *   const prepared = await prepareImage({ name: 'anh.jpg', data });
 *   if (!prepared.ok) return refuse(prepared.problem);
 */
export async function prepareImage(input: {
  name: string;
  data: Uint8Array;
}): Promise<{ ok: true; image: PreparedImage } | { ok: false; problem: ImageProblem }> {
  const { data } = input;
  if (data.byteLength > PHOTO_LIMITS.bytes) return { ok: false, problem: 'too_large' };
  const sourceType = sniffImageType(data);
  if (!sourceType) return { ok: false, problem: namedAsImage(input.name) ? 'lies_about_type' : 'not_image' };
  const { default: sharp } = await loadSharp();
  const options: SharpOptions = { limitInputPixels: PHOTO_LIMITS.pixels, failOn: 'error', sequentialRead: true };
  let header: { width?: number | undefined; height?: number | undefined };
  try {
    header = await sharp(data, options).metadata();
  } catch (error) {
    return { ok: false, problem: problemOf(error) };
  }
  if (!header.width || !header.height) return { ok: false, problem: 'damaged' };
  if (header.width * header.height > PHOTO_LIMITS.pixels) return { ok: false, problem: 'too_many_pixels' };
  try {
    const image = await encode(sharp(data, options).rotate(), PHOTO_LIMITS.side, 82);
    const thumbnail = await encode(sharp(image.data, options), PHOTO_LIMITS.thumbnail, 75);
    return {
      ok: true,
      image: {
        contentType: 'image/jpeg',
        image: image.data,
        thumbnail: thumbnail.data,
        width: image.width,
        height: image.height,
        sourceType,
        originalBytes: data.byteLength,
        originalSha256: createHash('sha256').update(data).digest('hex'),
      },
    };
  } catch (error) {
    return { ok: false, problem: problemOf(error) };
  }
}

/** What sharp's refusal means: it names an image over `limitInputPixels` in words only. */
function problemOf(error: unknown): ImageProblem {
  return error instanceof Error && /pixel limit/i.test(error.message) ? 'too_many_pixels' : 'damaged';
}

/**
 * Fitted within `side` pixels, flattened on white (a PNG's or WebP's transparency) and encoded as
 * JPEG. sharp writes no metadata unless asked (`keepMetadata`, `withExif`…): none is asked here.
 */
async function encode(pipeline: Sharp, side: number, quality: number): Promise<{ data: Uint8Array; width: number; height: number }> {
  const { data, info } = await pipeline
    .resize({ width: side, height: side, fit: 'inside', withoutEnlargement: true })
    .flatten({ background: '#ffffff' })
    .jpeg({ quality, mozjpeg: true })
    .toBuffer({ resolveWithObject: true });
  return { data: new Uint8Array(data.buffer, data.byteOffset, data.byteLength), width: info.width, height: info.height };
}

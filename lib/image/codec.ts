/**
 * The one image codec (sharp/libvips): screenshots and crops decoded into tight RGBA, RGBA
 * encoded as PNG, and RGBA handed to sharp for the resizes the vision engine needs.
 */
import sharp, { type Sharp } from 'sharp';
import { readDataFileAsync } from '../contracts/sealed-files';
import type { RgbaImage } from '../platform/types';

export class ImageLoadError extends Error {
  override name = 'ImageLoadError';
}

/**
 * Decodes a PNG/JPEG path or buffer into tightly packed RGBA; passes an RgbaImage through. A
 * path may name a sealed (encrypted) screenshot: it is opened with the data key in use.
 */
export async function decodeImage(input: RgbaImage | string | Buffer, scaleFactor = 1): Promise<RgbaImage> {
  if (typeof input !== 'string' && !Buffer.isBuffer(input)) return input;
  try {
    const bytes = typeof input === 'string' ? await readDataFileAsync(input) : input;
    const { data, info } = await sharp(bytes).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
    return { width: info.width, height: info.height, data, scaleFactor };
  } catch (err) {
    const what = typeof input === 'string' ? `"${input}"` : `a ${input.length}-byte buffer`;
    throw new ImageLoadError(`could not decode ${what} as an image: ${(err as Error).message}`);
  }
}

/**
 * PNG of an RGBA image. The default zlib effort is low because screenshots are written on the
 * recorder's hot path; files kept for long (anchor crops in a workflow) ask for more.
 */
export async function encodePng(image: RgbaImage, compressionLevel = 1): Promise<Buffer> {
  return rgbaPipeline(image).png({ compressionLevel, adaptiveFiltering: false }).toBuffer();
}

/** A sharp pipeline reading the RGBA pixels of `image`. */
export function rgbaPipeline(image: RgbaImage): Sharp {
  return sharp(image.data, { raw: { width: image.width, height: image.height, channels: 4 } });
}

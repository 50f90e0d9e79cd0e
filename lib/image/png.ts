/** PNG encoding and decoding of RGBA images (sharp/libvips). */
import sharp from 'sharp';
import type { RgbaImage } from '../platform/types';

/** Fast PNG: low zlib effort, because screenshots are written on the recorder's hot path. */
export async function encodePng(image: RgbaImage, compressionLevel = 1): Promise<Buffer> {
  return sharp(image.data, { raw: { width: image.width, height: image.height, channels: 4 } })
    .png({ compressionLevel, adaptiveFiltering: false })
    .toBuffer();
}

/** Reads a PNG/JPEG file or buffer into tight RGBA. */
export async function decodeImage(input: string | Buffer, scaleFactor = 1): Promise<RgbaImage> {
  const { data, info } = await sharp(input).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
  return { width: info.width, height: info.height, data, scaleFactor };
}

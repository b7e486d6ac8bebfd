/**
 * The icons of the Teams app, drawn in code: a footbridge ("passerelle"), an arch over a deck held
 * by three hangers. Teams wants a full-colour 192×192 PNG (`color.png`) and a white-on-transparent
 * 32×32 PNG (`outline.png`). No image library is installed, hence the small PNG encoder below.
 */
import { deflateSync } from 'node:zlib';

/** Red, green, blue, alpha; 0 to 255 each. */
export type Rgba = readonly [number, number, number, number];

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

/** The CRC-32 of `bytes` (ISO 3309, the one PNG and zip use). */
export function crc32(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (const byte of bytes) c = CRC_TABLE[(c ^ byte) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

/** A PNG chunk: length, type, data, and the CRC of type and data. */
function chunk(type: string, data: Buffer): Buffer {
  const out = Buffer.alloc(12 + data.length);
  out.writeUInt32BE(data.length, 0);
  out.write(type, 4, 'latin1');
  data.copy(out, 8);
  out.writeUInt32BE(crc32(out.subarray(4, 8 + data.length)), 8 + data.length);
  return out;
}

/** A PNG of `width`×`height` pixels; `rgba` holds them row by row, 4 bytes a pixel (8-bit RGBA, not premultiplied). */
export function encodePng(width: number, height: number, rgba: Uint8Array): Buffer {
  const stride = width * 4;
  if (rgba.length !== stride * height) throw new Error(`PNG: ${width}×${height} RGBA needs ${stride * height} bytes, got ${rgba.length}`);
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header[8] = 8; // bits per channel
  header[9] = 6; // colour type: RGBA; compression, filter method and interlace stay 0
  // Each row starts with its filter type; 0 (none) keeps it simple, deflate does the rest.
  const rows = Buffer.alloc((stride + 1) * height);
  for (let y = 0; y < height; y++) rows.set(rgba.subarray(y * stride, (y + 1) * stride), y * (stride + 1) + 1);
  return Buffer.concat([PNG_SIGNATURE, chunk('IHDR', header), chunk('IDAT', deflateSync(rows)), chunk('IEND', Buffer.alloc(0))]);
}

/** The arch: a circle arc whose ends stand at ARCH_FOOT, in the unit square of the mark (y downwards). */
const ARCH = { cx: 0.5, cy: 0.74, r: 0.39 } as const;
const ARCH_FOOT = 0.65;
const DECK = { top: 0.49, left: 0.08, right: 0.92 } as const;
const HANGERS = [0.32, 0.5, 0.68] as const;

/**
 * Whether the point (x, y) of the unit square is on the footbridge. `weight` thickens the strokes,
 * for small sizes.
 */
function onBridge(x: number, y: number, weight: number): boolean {
  const fromCentre = Math.hypot(x - ARCH.cx, y - ARCH.cy);
  const arch = Math.abs(fromCentre - ARCH.r) <= 0.04 * weight && y <= ARCH_FOOT;
  const deck = y >= DECK.top && y <= DECK.top + 0.065 * weight && x >= DECK.left && x <= DECK.right;
  const hanger = y <= DECK.top && fromCentre <= ARCH.r && HANGERS.some((h) => Math.abs(x - h) <= 0.016 * weight);
  return arch || deck || hanger;
}

/**
 * A square image of `size` pixels with the footbridge drawn in the middle, `margin` (a fraction of
 * the size) left around it. `paint` turns the share of a pixel the bridge covers (0 to 1, from 4×4
 * samples, which smooths the edges) into its colour.
 */
function drawBridge(size: number, margin: number, weight: number, paint: (coverage: number) => Rgba): Buffer {
  const samples = 4;
  const pixels = new Uint8Array(size * size * 4);
  for (let py = 0; py < size; py++) {
    for (let px = 0; px < size; px++) {
      let hits = 0;
      for (let sy = 0; sy < samples; sy++) {
        for (let sx = 0; sx < samples; sx++) {
          const x = ((px + (sx + 0.5) / samples) / size - margin) / (1 - 2 * margin);
          const y = ((py + (sy + 0.5) / samples) / size - margin) / (1 - 2 * margin);
          if (onBridge(x, y, weight)) hits++;
        }
      }
      pixels.set(paint(hits / samples ** 2), (py * size + px) * 4);
    }
  }
  return encodePng(size, size, pixels);
}

/** `#1b5e8c` → [27, 94, 140, 255]. */
function rgb(hex: string): Rgba {
  const n = Number.parseInt(hex.slice(1), 16);
  return [(n >> 16) & 0xff, (n >> 8) & 0xff, n & 0xff, 255];
}

/** color.png: 192×192, a white footbridge on `background` (the app's accent colour), the bridge about 96 pixels wide (the safe region Teams asks for). */
export function colorIcon(background: string): Buffer {
  const bg = rgb(background);
  const mix = (from: number, to: number, t: number) => Math.round(from + (to - from) * t);
  return drawBridge(192, 0.2, 1, (c) => [mix(bg[0], 255, c), mix(bg[1], 255, c), mix(bg[2], 255, c), 255]);
}

/** outline.png: 32×32, a white footbridge on transparent; every pixel is white, only its alpha varies. */
export function outlineIcon(): Buffer {
  return drawBridge(32, 0.02, 1.15, (c) => [255, 255, 255, Math.round(255 * c)]);
}

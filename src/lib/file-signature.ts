// What a file is, by its bytes (file-type reads the signature), never by its name or the type a client claims.
// Plain text has no signature: it is text when its bytes are UTF-8 without NUL and it was sent as text.
import { fileTypeFromBuffer } from 'file-type';

export const FILE_KINDS = ['image', 'pdf', 'text', 'office'] as const;
export type FileKind = (typeof FILE_KINDS)[number];

export interface DetectedFile {
  /** `other` for anything outside the kinds Parley knows. */
  kind: FileKind | 'other';
  /** The type Parley serves the file with (the detected one, never the claimed one). */
  contentType: string;
}

// Raster images a browser shows; SVG (markup that may run script) is never an image here.
const IMAGES = new Set(['image/png', 'image/jpeg', 'image/gif', 'image/webp', 'image/bmp']);
const OFFICE = new Set([
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  'application/vnd.openxmlformats-officedocument.presentationml.presentation',
  'application/vnd.oasis.opendocument.text',
  'application/vnd.oasis.opendocument.spreadsheet',
  'application/vnd.oasis.opendocument.presentation',
  'application/x-cfb', // .doc, .xls, .ppt
  'application/rtf',
]);

export async function detectFile(bytes: Uint8Array, claimedType: string): Promise<DetectedFile> {
  const found = await fileTypeFromBuffer(bytes);
  if (found) {
    if (IMAGES.has(found.mime)) return { kind: 'image', contentType: found.mime };
    if (found.mime === 'application/pdf') return { kind: 'pdf', contentType: found.mime };
    if (OFFICE.has(found.mime)) return { kind: 'office', contentType: found.mime };
    return { kind: 'other', contentType: found.mime };
  }
  const claimed = claimedType.split(';')[0].trim().toLowerCase();
  if ((claimed === 'text/plain' || claimed === 'text/csv') && isUtf8Text(bytes)) return { kind: 'text', contentType: `${claimed}; charset=utf-8` };
  return { kind: 'other', contentType: 'application/octet-stream' };
}

function isUtf8Text(bytes: Uint8Array): boolean {
  if (bytes.includes(0)) return false;
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    return true;
  } catch {
    return false;
  }
}

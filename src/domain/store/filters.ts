// The filters a stored stream went through, by name. The stored format must be readable with
// stock tools in an emergency, so every compressor is the ordinary command-line program; the
// manifest records the name and restore runs the matching decompressor.
export const COMPRESS_NAMES = ['zstd', 'lz4', 'gzip', 'none'] as const;
export type CompressName = (typeof COMPRESS_NAMES)[number];

export interface StoreCompressor {
  readonly name: Exclude<CompressName, 'none'>;
  readonly ext: string;
  readonly compress: readonly string[];
  readonly decompress: readonly string[];
  readonly pkg: string; // the Debian package that provides it
}

// zstd on all cores at its default level: faster than an S3 upload on two cores and ~3× on
// typical file systems; lz4 is cheaper still; gzip for tools that know nothing else.
const TABLE: Readonly<Record<Exclude<CompressName, 'none'>, StoreCompressor>> = {
  zstd: { name: 'zstd', ext: '.zst', compress: ['zstd', '-q', '-c', '-T0'], decompress: ['zstd', '-q', '-d', '-c'], pkg: 'zstd' },
  lz4: { name: 'lz4', ext: '.lz4', compress: ['lz4', '-q', '-c'], decompress: ['lz4', '-q', '-d', '-c'], pkg: 'lz4' },
  gzip: { name: 'gzip', ext: '.gz', compress: ['gzip', '-c', '-6'], decompress: ['gzip', '-d', '-c'], pkg: 'gzip' },
};

export function isCompressName(s: string): s is CompressName {
  return (COMPRESS_NAMES as readonly string[]).includes(s);
}

export function compressorOf(name: CompressName): StoreCompressor | undefined {
  return name === 'none' ? undefined : TABLE[name];
}

export function extensionOf(name: CompressName): string {
  return compressorOf(name)?.ext ?? '';
}

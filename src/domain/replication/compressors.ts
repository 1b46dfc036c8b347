// The stream compressors `send` knows by name (their commands are in adapters/exec/tools.ts; a
// unit test keeps the two lists equal). "none" sends uncompressed.
export const SEND_COMPRESSOR_NAMES = ['none', 'lzop', 'lz4', 'zstd', 'gzip', 'pigz', 'bzip2', 'xz'] as const;

export const isSendCompressor = (name: string): boolean => (SEND_COMPRESSOR_NAMES as readonly string[]).includes(name);

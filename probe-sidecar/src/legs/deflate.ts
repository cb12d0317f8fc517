/**
 * permessage-deflate as the probe offers it. With context takeover every frame is compressed, as a
 * browser's are; the smallest zlib contexts (512-byte windows, memLevel 1, 1 KiB chunks) keep that to a
 * fraction of the default's ~300 KB per connection (bench deflate). Shared with the scale benchmark's bare
 * ws loop, so both sides of its comparison do the same work.
 */
export const PROBE_DEFLATE = {
  clientMaxWindowBits: 9,
  serverMaxWindowBits: 9,
  zlibDeflateOptions: { memLevel: 1, level: 1, chunkSize: 1024 },
  zlibInflateOptions: { chunkSize: 1024 },
} as const;

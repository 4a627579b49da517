/** Samples per chunk. Fixed, because it is part of what a seed reproduces (truncation, correlation). */
export const CHUNK_SIZE = 65536;

/** Compiles src/wire/minhash.wat to WebAssembly bytes. */
export function compileMinhashWat(): Promise<Buffer>
/** The text of src/wire/minhash-wasm.ts for those bytes. */
export function moduleText(bytes: Buffer): string

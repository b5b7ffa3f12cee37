// Hot path: see bench/store/suite.ts.
// The slab allocator span records are carved from: one small Buffer per trace would waste a quarter of
// Node's 8 KiB pool; traces leave in about the order they came, so a slab is freed soon after its traces.

/** Size of the slabs span records are carved from. */
const SLAB_BYTES = 256 * 1024;
/** Records larger than this get a Buffer of their own (a slab would be left mostly unused). */
const OWN_BUFFER_BYTES = SLAB_BYTES / 8;

/** Hands out Buffers of any size, small ones as views of a shared slab. */
export class SlabAllocator {
  private slab: Buffer = Buffer.alloc(0);
  private pos = 0;

  /** A Buffer of `size` bytes (not zeroed: the caller writes every byte). */
  allocate(size: number): Buffer {
    if (size > OWN_BUFFER_BYTES) return Buffer.allocUnsafeSlow(size);
    if (this.pos + size > this.slab.length) {
      this.slab = Buffer.allocUnsafeSlow(SLAB_BYTES);
      this.pos = 0;
    }
    const out = this.slab.subarray(this.pos, this.pos + size);
    this.pos += size;
    return out;
  }
}

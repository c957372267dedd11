package org.virtiotck.tck.driver;

/**
 * How a block request is cut into descriptors. A device must not depend on any particular cut (split.dev.1),
 * so the suites send the same request in several layouts.
 */
public enum ChainLayout {
    /** Header, data and status each in their own descriptor: the classic Linux layout. */
    SEPARATE,
    /** Header cut into two descriptors and data cut into one descriptor per 512-byte sector. */
    FRAGMENTED,
    /** Header and write data share one descriptor; read data and status share one descriptor. */
    MERGED,
    /** The whole chain in one indirect table (needs VIRTIO_F_INDIRECT_DESC). */
    INDIRECT,
    /** Header direct, the rest in a final indirect table (split.dev.8). */
    DIRECT_THEN_INDIRECT;

    public boolean needsIndirect() {
        return this == INDIRECT || this == DIRECT_THEN_INDIRECT;
    }
}

package org.virtiotck.queue;

/** What a device does with a layout-register write to a live queue (the spec leaves it open; see package doc). */
public enum LivePolicy {
    /** The write is dropped; the queue keeps its layout (the reference device). */
    IGNORE,
    /** The write takes effect; a legacy queue is re-laid out at once (QEMU's legacy transport). */
    APPLY
}

/**
 * The split-ring codec and the queue-register and ring-layout model of a virtio-mmio transport, shared by the
 * reference device (which follows it to serve), the careful driver and the hostile builder (which build rings with
 * it) and the fuzzer's executor (which follows it to know which guest memory a device may write).
 *
 * <h2>The codec</h2>
 * <ul>
 *   <li>{@link org.virtiotck.queue.Descriptor}: one 16-byte descriptor, encoded into or decoded from a byte array
 *       at any offset (a shadow image, a table built before it is written) or guest memory.</li>
 *   <li>{@link org.virtiotck.queue.UsedElem}: one 8-byte used-ring element, the same ways.</li>
 *   <li>{@link org.virtiotck.queue.RingLayout}: the three areas of a queue, modern (placed by the driver) or legacy
 *       (QueuePFN &times; page size, available ring after the table, used ring at the QueueAlign boundary), and the
 *       address of every field: descriptor entries, both idx fields, ring slots from a free-running index,
 *       used_event and avail_event. Static forms take the addresses and size without a layout object.</li>
 * </ul>
 *
 * <h2>The rules</h2>
 * <ul>
 *   <li>Modern (Version 2): QueueNum and the six ring address registers place the queue; QueueReady enables it.
 *       Legacy (Version 1): QueueNum and QueueAlign are in force when QueuePFN is written, and QueuePFN places the
 *       three rings contiguously from QueuePFN &times; GuestPageSize (§2.7.2, §4.2.4); a non-zero PFN enables the
 *       queue. GuestPageSize and QueueAlign that are not powers of two count as 4096 (what Linux and QEMU use when
 *       a driver never set them).</li>
 *   <li>A device reset and a queue reset put every queue register back to 0 (mmio.dev.6, vq.dev.2,
 *       mmio-legacy.dev.5).</li>
 *   <li><b>Writes while a queue is live.</b> A driver must not write QueueNum or the ring addresses of a live
 *       queue (mmio.drv.15); the spec does not say what a device does if it does. A device may ignore the write
 *       (the reference device does: {@link org.virtiotck.queue.LivePolicy#IGNORE}) or apply it (QEMU re-lays a
 *       legacy queue out when QueueNum or QueueAlign change: {@link org.virtiotck.queue.LivePolicy#APPLY}).
 *       Whoever judges a device therefore follows both outcomes: after such a write either layout is allowed for
 *       canary purposes (the used ring and the device-writable buffers of both are writable), and behaviour that
 *       depends on the layout (used idx, completions) is no longer compared.</li>
 *   <li><b>GuestPageSize while a legacy queue is live</b> follows the same rule: the page size places the rings
 *       only at the QueuePFN write, and a device may keep a live queue where it is (the reference device; QEMU
 *       applies the new size at the next QueuePFN write) or place it again at QueuePFN &times; the new page size
 *       ({@link org.virtiotck.queue.QueueRegisters#writeGuestPageSize}); a judge allows both layouts from that
 *       write on. A live re-layout after QueueNum or QueueAlign uses the page size then in force.</li>
 *   <li><b>Invalid sizes.</b> A QueueNum that is not a power of two or exceeds QueueNumMax breaks a driver rule
 *       (split-desc.drv.1, mmio.drv.14); a device may store it (the reference device) or ignore it and keep a size
 *       of its own (QEMU keeps its default, QueueNumMax): both are followed the same way.</li>
 *   <li>After any driver-rule violation only the invariants are judged: no guest memory written outside every
 *       region the device could legitimately consider writable, no crash, no hang, identification registers
 *       unchanged.</li>
 * </ul>
 */
package org.virtiotck.queue;

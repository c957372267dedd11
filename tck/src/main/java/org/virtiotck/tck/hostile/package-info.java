/**
 * The hostile-driver model: cases that break driver rules on purpose, judged by what the device is
 * allowed to do about it.
 *
 * <h2>Model</h2>
 * <ul>
 * <li>{@link org.virtiotck.tck.hostile.Reaction}: what a device did with hostile input, as seen from the driver side
 *     (completed with OK/IOERR/UNSUPP, DEVICE_NEEDS_RESET with or without a configuration interrupt, left the input
 *     alone while still serving, refused a queue, dropped requests at a reset, signalled a configuration change,
 *     stopped silently).</li>
 * <li>{@link org.virtiotck.tck.hostile.Harm}: what a device must never do (memory or disk corruption, crash, hang,
 *     double processing, leaked slot, bogus used element, ring access after reset, a wedge without
 *     DEVICE_NEEDS_RESET, no recovery by reset).</li>
 * <li>{@link org.virtiotck.tck.hostile.AcceptableResponses}: the reactions one case accepts. The suites keep them
 *     as data, one row per case ({@code HostileChainSuite.CASES}, {@code HostileRingSuite.CASES},
 *     {@code ZonedHostileSuite.CASES}), with the bug class, the requirement ids and the transport. On the legacy
 *     interface, which has no DEVICE_NEEDS_RESET bit, stopping silently is accepted wherever DEVICE_NEEDS_RESET
 *     is.</li>
 * </ul>
 *
 * <h2>Oracles ({@link org.virtiotck.tck.hostile.HostileRun})</h2>
 * <ul>
 * <li>Guest memory: free RAM is filled with canaries and the harness's rings and buffers are snapshotted before the
 *     hostile notification; afterwards only the writable buffers and the used rings may differ.</li>
 * <li>Disk: a copy of the disk (host access) or of a sentinel band (written and read back through the careful
 *     driver) must be unchanged outside the ranges the case may touch.</li>
 * <li>Hangs: every wait is bounded by {@link org.virtiotck.tck.driver.Deadline}; in-process devices that may not
 *     return run behind {@link org.virtiotck.tck.spi.GuardedTarget} (HANG / CRASH verdicts).</li>
 * <li>Liveness ({@code Liveness}): after every case, reset, careful initialization and a write/read round trip
 *     must work; after a zoned case, initialization with ZONED and a ZONE_REPORT.</li>
 * <li>Observer: used elements, the status byte, DEVICE_NEEDS_RESET and InterruptStatus are classified into a
 *     reaction; when nothing happens, a well-formed request is sent behind the hostile one to tell a leaked slot
 *     from a stopped queue.</li>
 * </ul>
 *
 * <h2>Choices the spec leaves the device (all accepted)</h2>
 * <ul>
 * <li>DEVICE_NEEDS_RESET raised while DRIVER_OK is clear (e.g. QueueNum validated when QueueReady is written) needs
 *     no configuration interrupt: status.dev.4 applies only if DRIVER_OK is set, and QEMU's
 *     {@code virtio_notify_config} does not notify then either ({@code NEEDS_RESET_BEFORE_DRIVER_OK}, accepted
 *     wherever DEVICE_NEEDS_RESET is).</li>
 * <li>Legacy interface: no DEVICE_NEEDS_RESET bit, so stopping silently (or the bit without interrupt) is accepted
 *     wherever DEVICE_NEEDS_RESET is.</li>
 * <li>An impossible QueueNum (0, not a power of two, above QueueNumMax or 32768): refuse the queue (leave its rings
 *     alone; QueueReady may read 0), DEVICE_NEEDS_RESET (at QueueReady, DRIVER_OK or the first notification), IOERR,
 *     or ignore the write and serve with a size of its own (QEMU ignores sizes above 1024 and 0). A device serving
 *     its own size may meet heads it cannot know when every declared slot is used, and then set
 *     DEVICE_NEEDS_RESET.</li>
 * <li>Queue registers written while the queue is live (mmio.drv.15 broken): ignore them, adopt them (an adopted
 *     QueueDriverHigh of 0xffffffff puts the avail ring where nothing is available: serving nothing is then no
 *     wedge), IOERR or DEVICE_NEEDS_RESET.</li>
 * <li>Control registers read at 8, 16 or 64 bits (mmio.drv.4 broken): any value; the request behind the reads is
 *     served, refused (IOERR) or met with DEVICE_NEEDS_RESET. Hanging in the read is harm.</li>
 * <li>Notifications the driver must not send (before DRIVER_OK, init.drv.8; for a queue that is not ready or does
 *     not exist): leave them alone and serve once allowed, or DEVICE_NEEDS_RESET. Acting on the request is what
 *     status.dev.1 / mmio.dev.8 forbid.</li>
 * <li>Buffers outside guest RAM: refuse, or treat the addresses as the platform does (QEMU bounces them like MMIO)
 *     and complete; the canaries judge.</li>
 * <li>Malformed framing (readable after writable, a data buffer of the wrong direction, zero-length pieces, an
 *     indirect table whose length is not a multiple of 16): refuse (IOERR, UNSUPP, DEVICE_NEEDS_RESET), or make
 *     sense of it and complete, as long as no device-readable byte is written. A chain without a usable status
 *     byte may be given back without one.</li>
 * <li>Requests in flight at a device or queue reset: completed before the reset is visible, or dropped.</li>
 * <li>A READ past the capacity (also right after a shrink): IOERR, or DEVICE_NEEDS_RESET.</li>
 * </ul>
 * Following some bad structures is allowed but dangerous: a device that follows an indirect table nested in another
 * one, or takes a request header from a device-writable buffer, and completes with OK gets a robustness finding
 * (FAIL, severity LOW, {@link org.virtiotck.tck.hostile.HostileFailure#robustness()}) instead of a pass. Neither
 * the reference device nor QEMU 7.2 does either (both set DEVICE_NEEDS_RESET).
 *
 * <h2>Every case to the point of harm</h2>
 * A case that creates a bad state goes on using it, so a device that accepted the state shows the harm, not only its
 * first reaction. Per bug class ({@link org.virtiotck.tck.hostile.BugClass}):
 * <ol>
 * <li>Loops: the hostile chain itself is the harm (following it forever is a HANG); reached at the first use.</li>
 * <li>Indices out of range: the device indexes with the bad head or next at the first use (CRASH, memory).</li>
 * <li>Addresses outside RAM: a wild write happens at the first use (canaries).</li>
 * <li>Zero lengths: a write into an empty buffer happens at the first use (canaries).</li>
 * <li>Short headers: a garbage sector is written at the first use (disk guard).</li>
 * <li>Sector overflow: the wrapped offset is written at the first use (disk guard).</li>
 * <li>Direction: writes into readable buffers are caught at the first use (canaries); a header taken from a
 *     writable buffer and served is a robustness finding.</li>
 * <li>Indirect abuse: an oversized table is walked whole at the first use; a device that follows a nested table is
 *     then given a table nested in itself (unbounded recursion: HANG or CRASH).</li>
 * <li>Queue size: when the device served on the impossible ring, {@link org.virtiotck.tck.hostile.DeclaredRing}
 *     sends requests until every avail slot and every descriptor index of the ring as declared was used (a device
 *     with QueueNumMax-sized state overruns it: CRASH, canaries). QueueNum 0 declares no slot to use.</li>
 * <li>Avail idx jumps: the ring is full of valid chains, so a device that follows the jump processes them (double
 *     processing).</li>
 * <li>Wraparound: 8 requests across 65535 to 0 are each completed and checked.</li>
 * <li>Live registers: after a live QueueNum write the device kept serving, every slot of the ring is used through
 *     {@code DeclaredRing}; a moved used ring is watched for the device's writes. The moved descriptor table, the
 *     adopted avail address and the legacy QueueAlign stop at one request and the probe behind it: once a device
 *     adopted them, the harness no longer knows which ring it reads, so more requests would judge the harness.</li>
 * <li>Double fetch: three more notifications after the rewrite (double processing, canaries).</li>
 * <li>Resets in flight: the memory is reused (queue reset: rings re-enabled and a request served; device reset: the
 *     liveness round trip).</li>
 * <li>Configuration changes: a READ of the sector a shrink removed is served; the other cases create no bad
 *     state.</li>
 * <li>DEVICE_NEEDS_RESET: more notifications while it is set, then recovery.</li>
 * <li>Exhaustion and 18. short GET_ID buffers: the harm (allocation, overflow) happens at the first use.</li>
 * <li value="19">Too early: the early request is later allowed and must then be served exactly once.</li>
 * </ol>
 * After every case the device is reset, initialized again and must complete a write/read round trip.
 *
 * <h2>Verdicts</h2>
 * PASS when the reaction is accepted and no harm was seen; FAIL ({@link org.virtiotck.tck.hostile.HostileFailure}:
 * expected = the accepted reactions, observed = the reaction and harms; corruption flag for memory or disk
 * corruption, hence CRITICAL; a wedge, hence HIGH); CRASH and HANG from {@link org.virtiotck.tck.spi.TargetFault}
 * only (the target stopped answering): a request that does not complete while the device still answers its
 * registers is a FAIL of the case's ids with what was seen (Status and DEVICE_NEEDS_RESET, used and avail idx,
 * InterruptStatus), HIGH when it is a wedge without DEVICE_NEEDS_RESET; BLOCKED when the smoke stage found that
 * requests or reset do not work at all; SKIP when a needed feature is not offered or the case is for the other
 * transport.
 * {@code -Dvirtio.hostile.log=true} prints every case's reaction.
 */
package org.virtiotck.tck.hostile;

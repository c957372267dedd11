/**
 * The reference virtio-blk device behind a virtio-mmio transport, and the SPIs it implements.
 *
 * <h2>Public API</h2>
 * {@link org.virtiotck.device.ReferenceBlockDevice} (the {@link org.virtiotck.device.MmioDevice}),
 * {@link org.virtiotck.device.BlockDeviceConfig} and its builder, and the disks
 * {@link org.virtiotck.device.BlockBackend}, {@link org.virtiotck.device.MemoryBackend},
 * {@link org.virtiotck.device.FileBackend}.
 *
 * <h2>Inside (package-private, one concept per type)</h2>
 * <ul>
 * <li>{@code MmioTransport}: register file, status, feature negotiation, interrupts, queue processing.</li>
 * <li>{@code FeatureNegotiation}: whether the device keeps FEATURES_OK for the driver's selection.</li>
 * <li>{@code VirtQueue}: per-queue state and split-ring accessors.</li>
 * <li>{@code DescriptorChainValidator}: every structural check of guest ring data, in one place.</li>
 * <li>{@code DescriptorChain}: a validated chain as a readable and a writable byte stream.</li>
 * <li>{@code BlockRequestHandler}: request semantics (§5.2.6).</li>
 * <li>{@code BlkConfigSpace}: {@code struct virtio_blk_config} and its field map.</li>
 * <li>{@code DriverRuleChecker}: the driver-side rules of register and config accesses; it only observes, through
 *     the read-only {@code TransportView}. {@code RegisterDirection}: which way each register may be accessed.</li>
 * <li>{@code ZonedState}: the zones of a zoned device (state machine, write pointers, resources);
 *     {@code ZoneRequestHandler}: zoned request semantics; {@code ZonedDriverRules}: the driver rules of zoned
 *     requests. Public: {@link org.virtiotck.device.ZonedModel}.</li>
 * </ul>
 *
 * <h2>Decisions where the spec leaves room</h2>
 * <ul>
 * <li>Vendor id 0x4b435456: the ASCII bytes "VTCK" as a little-endian u32.</li>
 * <li>Requests are processed synchronously inside the QueueNotify write, all entries from the device's
 *     last position up to avail idx. Nothing happens on QueueReady or DRIVER_OK alone.</li>
 * <li>A structural ring error (bad index, loop, buffer outside RAM, writable-before-readable, indirect
 *     misuse, avail idx moving by more than the queue size, missing status byte, header under 16 bytes)
 *     sets DEVICE_NEEDS_RESET. If DRIVER_OK is set it also raises the configuration-change interrupt. The
 *     device then ignores notifications until reset. Chains completed earlier in the same batch stay
 *     published.</li>
 * <li>The device writes the whole writable part of every chain: produced data, zero padding, then the
 *     status byte last. It reports that length as used len (for well-formed requests: data + 1, or 1).</li>
 * <li>GET_ID with a data buffer under 20 bytes: IOERR, and no partial id is written. A larger buffer gets
 *     the 20 id bytes plus zero padding.</li>
 * <li>DISCARD, WRITE_ZEROES and SECURE_ERASE count as writes on a read-only device (IOERR). Every segment is
 *     validated before any is executed. UNSUPP (unknown flags, DISCARD+unmap) beats IOERR (range, limits,
 *     segment count). Sector alignments are hints only.</li>
 * <li>IN/OUT lengths that are not a multiple of 512 get IOERR. So do ranges past capacity, including
 *     {@code sector*512} overflow.</li>
 * <li>QueueReset acts only when VIRTIO_F_RING_RESET was negotiated (§4.2.2). It completes at once, so it
 *     always reads 0.</li>
 * <li>Legacy: ring fields and request headers are taken as little-endian (guest-native for LE guests).
 *     GuestPageSize survives reset, because Linux writes it before its first reset. If GuestPageSize or
 *     QueueAlign is missing or not a power of two, the device uses 4096.</li>
 * <li>Cache mode (modern), fixed at FEATURES_OK: CONFIG_WCE without FLUSH gives writeback 0 (blk.dev.3).
 *     Neither FLUSH nor CONFIG_WCE gives writethrough (blk.dev.31). FLUSH alone gives writeback. With both,
 *     the configured default applies. In writethrough mode every write, write-zeroes and discard is
 *     flushed before it completes.</li>
 * <li>Zoned (VIRTIO_BLK_F_ZONED, modern only): offered exactly when the model is host-managed or host-aware.
 *     The zoned config fields read their values until FEATURES_OK; a host-aware device whose driver did not
 *     take ZONED then zeroes them (ConfigGeneration bumps) and works as a plain disk, zone requests UNSUPP. A
 *     host-managed device refuses FEATURES_OK without ZONED. Zone state is media state and survives reset.
 *     The fill pattern for unwritten sectors is zeros. z_cap is the zone size. z_wp of FULL zones is the zone
 *     end, of CONV/RDONLY/OFFLINE zones all ones. FINISH of EMPTY/CLOSED zones is allowed (as ZBC/ZNS do);
 *     CLOSE of EMPTY is ZONE_INVALID_CMD. At the open limit an IOPEN zone is closed implicitly (blk.dev.53).
 *     IN spanning zones fails only when an SWR zone is involved; OUT spanning into or out of any sequential
 *     zone fails; SWP zones accept writes off the write pointer (the pointer moves to the furthest write, a
 *     skipped gap is zero-filled). Zone addressing errors (not a zone start, beyond capacity) are
 *     ZONE_INVALID_CMD. With ZONED, DISCARD and WRITE_ZEROES are limited to conventional zones and
 *     SECURE_ERASE must cover whole resettable zones (the last zone may be short). On a read-only device,
 *     zone management (except REPORT) and appends are IOERR.</li>
 * </ul>
 */
package org.virtiotck.device;

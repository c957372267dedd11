/**
 * The hostile-driver model (issue #4): cases that break driver rules on purpose, judged by what the device is
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
 *     as data, one row per case ({@code HostileChainSuite.CASES}, {@code HostileRingSuite.CASES}), with the bug
 *     class, the requirement ids and the transport. On the legacy interface, which has no DEVICE_NEEDS_RESET bit,
 *     stopping silently is accepted wherever DEVICE_NEEDS_RESET is.</li>
 * </ul>
 *
 * <h2>Oracles ({@link org.virtiotck.tck.hostile.Arena})</h2>
 * <ul>
 * <li>Guest memory: free RAM is filled with canaries and the harness's rings and buffers are snapshotted before the
 *     hostile notification; afterwards only the writable buffers and the used rings may differ.</li>
 * <li>Disk: a copy of the disk (host access) or of a sentinel band (written and read back through the careful
 *     driver) must be unchanged outside the ranges the case may touch.</li>
 * <li>Hangs: every wait is bounded by {@link org.virtiotck.tck.driver.Deadline}; in-process devices that may not
 *     return run behind {@link org.virtiotck.tck.spi.GuardedTarget} (HANG / CRASH verdicts).</li>
 * <li>Liveness: after every case, reset, careful initialization and a write/read round trip must work.</li>
 * <li>Observer: used elements, the status byte, DEVICE_NEEDS_RESET and InterruptStatus are classified into a
 *     reaction; when nothing happens, a well-formed request is sent behind the hostile one to tell a leaked slot
 *     from a stopped queue.</li>
 * </ul>
 *
 * <h2>Verdicts</h2>
 * PASS when the reaction is accepted and no harm was seen; FAIL ({@link org.virtiotck.tck.hostile.HostileFailure}:
 * expected = the accepted reactions, observed = the reaction and harms; corruption flag for memory or disk
 * corruption, hence CRITICAL); CRASH and HANG from {@link org.virtiotck.tck.spi.TargetFault} (the target stopped
 * answering); a completion timeout while the device still answers is a FAIL; BLOCKED when the smoke stage found
 * that requests or reset do not work at all; SKIP when a needed feature is not offered or the case is for the other
 * transport.
 * {@code -Dvirtio.hostile.log=true} prints every case's reaction.
 */
package org.virtiotck.tck.hostile;

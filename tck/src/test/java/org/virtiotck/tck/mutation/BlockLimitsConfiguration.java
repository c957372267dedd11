package org.virtiotck.tck.mutation;

import org.junit.platform.suite.api.ConfigurationParameter;
import org.junit.platform.suite.api.IncludeClassNamePatterns;
import org.junit.platform.suite.api.SelectPackages;
import org.junit.platform.suite.api.Suite;
import org.virtiotck.tck.junit.RunSettings;

/**
 * The range-request suite against a modern reference device on a raw image file whose three range types have
 * different limits: SECURE_ERASE the smallest (2 segments of at most 16 sectors), WRITE_ZEROES 4 segments of 4000
 * sectors, DISCARD 6 segments of 1000.
 * <ul>
 * <li>With the default limits, all the same, a device that applies one type's limits to another cannot be told
 * apart; here the DISCARD and WRITE_ZEROES tests sent at exactly their own limits fail on it.
 * <li>The file backend zeroes through the backend interface's default {@code writeZeroes} (the memory backend has
 * its own), which only a range longer than its 64 KiB buffer and not a multiple of it tests: the 4000-sector
 * WRITE_ZEROES at the limit is one.
 * </ul>
 * The image lives in {@code build/mutation} (which {@code bench/mutation} creates and clears), one file per test
 * JVM ({@code {pid}}), since a mutation run's parallel workers must not share a disk.
 * One of the configurations a mutation run ({@code bench/mutation}) measures in a single PIT run: see
 * {@code docs/mutation/block.md}.
 */
@Suite
@ConfigurationParameter(key = RunSettings.TARGET, value = "reference:?image=build/mutation/block-{pid}.raw"
        + "&maxDiscardSectors=1000&maxDiscardSeg=6&maxWriteZeroesSectors=4000&maxWriteZeroesSeg=4"
        + "&maxSecureEraseSectors=16&maxSecureEraseSeg=2")
@SelectPackages("org.virtiotck.tck.suites")
@IncludeClassNamePatterns(".*BlockRangeSuite")
final class BlockLimitsConfiguration {
}

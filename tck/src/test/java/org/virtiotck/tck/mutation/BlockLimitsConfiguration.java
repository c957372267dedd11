package org.virtiotck.tck.mutation;

import org.junit.platform.suite.api.ConfigurationParameter;
import org.junit.platform.suite.api.IncludeClassNamePatterns;
import org.junit.platform.suite.api.SelectPackages;
import org.junit.platform.suite.api.Suite;
import org.virtiotck.tck.junit.RunSettings;

/**
 * The range-request suite against a modern reference device whose three range types have different limits:
 * SECURE_ERASE the smallest (2 segments of at most 16 sectors), WRITE_ZEROES 4 segments of 4096 sectors, DISCARD 6
 * segments of the default 32768. With the default limits, all the same, a device that applies one type's limits to
 * another cannot be told apart; here the DISCARD and WRITE_ZEROES tests sent at exactly their own limits fail on it.
 * One of the configurations a mutation run ({@code bench/mutation}) measures in a single PIT run: see
 * {@code docs/mutation/block.md}.
 */
@Suite
@ConfigurationParameter(key = RunSettings.TARGET, value = "reference:?maxDiscardSeg=6&maxWriteZeroesSeg=4"
        + "&maxWriteZeroesSectors=4096&maxSecureEraseSeg=2&maxSecureEraseSectors=16")
@SelectPackages("org.virtiotck.tck.suites")
@IncludeClassNamePatterns(".*BlockRangeSuite")
final class BlockLimitsConfiguration {
}

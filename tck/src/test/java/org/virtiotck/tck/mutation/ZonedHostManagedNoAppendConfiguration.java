package org.virtiotck.tck.mutation;

import org.junit.platform.suite.api.ConfigurationParameter;
import org.junit.platform.suite.api.SelectMethod;
import org.junit.platform.suite.api.Suite;
import org.virtiotck.tck.junit.RunSettings;

/**
 * A host-managed zoned reference device that does not support ZONE_APPEND (max_append_sectors = 0, blk.dev.16):
 * only the test that needs it, ZonedSuite#appendAboveMaxAppendSectorsFails (UNSUPP, blk.dev.49); every other
 * zoned test sees the same device as in {@link ZonedHostManagedConfiguration} or skips.
 * One of the configurations a mutation run ({@code bench/mutation}) measures in a single PIT run: see
 * {@code docs/mutation.md}.
 */
@Suite
@ConfigurationParameter(key = RunSettings.TARGET, value = "reference:?zoned=hm&maxAppend=0")
@SelectMethod("org.virtiotck.tck.suites.ZonedSuite#appendAboveMaxAppendSectorsFails(org.virtiotck.tck.junit.Tck)")
final class ZonedHostManagedNoAppendConfiguration {
}

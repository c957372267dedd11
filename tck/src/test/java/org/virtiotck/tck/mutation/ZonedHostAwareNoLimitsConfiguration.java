package org.virtiotck.tck.mutation;

import org.junit.platform.suite.api.ConfigurationParameter;
import org.junit.platform.suite.api.ExcludeClassNamePatterns;
import org.junit.platform.suite.api.IncludeClassNamePatterns;
import org.junit.platform.suite.api.SelectPackages;
import org.junit.platform.suite.api.Suite;
import org.virtiotck.tck.junit.RunSettings;

/**
 * The zoned suites against a host-aware zoned reference device without open or active zone limits
 * (max_open_zones = max_active_zones = 0, blk.dev.12, blk.dev.13) and with a short last zone (capacity 2000
 * sectors: seven zones of 256 and one of 208, blk.dev.11), an OFFLINE zone 5 and a READ_ONLY zone 6, which a
 * driver that declines ZONED meets as a plain disk (ZonedMediaSuite). The other suites would fail on the OFFLINE
 * zone (their plain reads and writes assume a healthy medium) and otherwise see the same disk as in
 * {@link ZonedHostAwareConfiguration}, so only the zoned ones run here, without the resize and hostile suites
 * (slow; the host-managed configuration makes all their kills).
 * One of the configurations a mutation run ({@code bench/mutation}) measures in a single PIT run: see
 * {@code docs/mutation.md}.
 */
@Suite
@ConfigurationParameter(key = RunSettings.TARGET, value = "reference:?zoned=ha&maxOpen=0&maxActive=0&capacity=2000&offlineZones=5&readOnlyZones=6")
@SelectPackages("org.virtiotck.tck.suites")
@IncludeClassNamePatterns(".*\\.Zoned.*Suite")
@ExcludeClassNamePatterns({".*\\.ZonedResizeSuite", ".*\\.ZonedHostileSuite"})
final class ZonedHostAwareNoLimitsConfiguration {
}

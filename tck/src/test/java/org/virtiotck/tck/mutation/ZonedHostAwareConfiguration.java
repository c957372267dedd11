package org.virtiotck.tck.mutation;

import org.junit.platform.suite.api.ConfigurationParameter;
import org.junit.platform.suite.api.ExcludeClassNamePatterns;
import org.junit.platform.suite.api.IncludeClassNamePatterns;
import org.junit.platform.suite.api.SelectPackages;
import org.junit.platform.suite.api.Suite;
import org.virtiotck.tck.junit.RunSettings;

/**
 * The suites whose subject depends on the disk against the host-aware zoned reference device: every suite but the
 * transport-only ones (queue set-up and rings, interrupts, index wrap-around, hostile rings and chains, the legacy
 * and edge registers, identification), whose device code is the same whatever the disk is and which the modern
 * configuration runs against it already, and the zoned resize and hostile suites, whose every kill the host-managed
 * configuration makes too. Left out because every surviving mutant costs a run of every covering test in every
 * configuration, and these are the slowest tests (with them here a whole run took about 30 minutes).
 * One of the configurations a mutation run ({@code bench/mutation}) measures in a single PIT run: see
 * {@code docs/mutation.md}.
 */
@Suite
@ConfigurationParameter(key = RunSettings.TARGET, value = "reference:?zoned=ha")
@SelectPackages("org.virtiotck.tck.suites")
@IncludeClassNamePatterns(".*Suite")
@ExcludeClassNamePatterns({".*\\.Hostile.*Suite", ".*\\.InterruptSuite", ".*\\.WraparoundSuite", ".*\\.QueueSuite",
        ".*\\.TransportEdgeSuite", ".*\\.LegacyTransportSuite", ".*\\.IdentificationSuite", ".*\\.ZonedResizeSuite",
        ".*\\.ZonedHostileSuite"})
final class ZonedHostAwareConfiguration {
}

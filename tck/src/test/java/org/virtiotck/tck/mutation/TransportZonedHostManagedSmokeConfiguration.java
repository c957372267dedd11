package org.virtiotck.tck.mutation;

import org.junit.platform.suite.api.ConfigurationParameter;
import org.junit.platform.suite.api.SelectClasses;
import org.junit.platform.suite.api.Suite;
import org.virtiotck.tck.junit.RunSettings;

/**
 * The smoke stage's own tests against the host-managed zoned device of {@link ZonedHostManagedConfiguration}. The
 * zoned suites there skip when a prerequisite fails (a device that refuses every FEATURES_OK makes them all skip),
 * so a mutant that breaks initialization would survive them; these tests report such a prerequisite as a failure.
 * One of the configurations a mutation run ({@code bench/mutation}) measures in a single PIT run: see
 * {@code docs/mutation/transport.md}.
 */
@Suite
@ConfigurationParameter(key = RunSettings.TARGET,
        value = "reference:?zoned=hm&capacity=4096&writeGranularity=4096&readOnlyZones=6&offlineZones=7")
@SelectClasses(names = "org.virtiotck.tck.suites.SmokeSuite")
final class TransportZonedHostManagedSmokeConfiguration {
}

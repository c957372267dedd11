package org.virtiotck.tck.mutation;

import org.junit.platform.suite.api.ConfigurationParameter;
import org.junit.platform.suite.api.IncludeClassNamePatterns;
import org.junit.platform.suite.api.SelectPackages;
import org.junit.platform.suite.api.Suite;
import org.virtiotck.tck.junit.RunSettings;

/**
 * The zoned suites (every Zoned*Suite) and SmokeSuite against a host-managed zoned reference device: it refuses
 * drivers that decline ZONED (blk.dev.8), so the other suites SKIP there (tck/pom.xml's
 * certify-reference-zoned-host-managed runs them to show it) and would only cost time here.
 * SmokeSuite is run as tests of their own: its stage is every test's prerequisite, and a test BLOCKED by a
 * broken prerequisite counts as passed for PIT, so without it a mutant that breaks every request survives here.
 * One of the configurations a mutation run ({@code bench/mutation}) measures in a single PIT run: see
 * {@code docs/mutation.md}.
 */
@Suite
@ConfigurationParameter(key = RunSettings.TARGET,
        value = "reference:?zoned=hm&capacity=4096&writeGranularity=4096&readOnlyZones=6&offlineZones=7")
@SelectPackages("org.virtiotck.tck.suites")
@IncludeClassNamePatterns({".*\\.Zoned.*Suite", ".*\\.SmokeSuite"})
final class ZonedHostManagedConfiguration {
}

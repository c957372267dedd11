package org.virtiotck.tck.mutation;

import org.junit.platform.suite.api.ConfigurationParameter;
import org.junit.platform.suite.api.IncludeClassNamePatterns;
import org.junit.platform.suite.api.SelectPackages;
import org.junit.platform.suite.api.Suite;
import org.virtiotck.tck.junit.RunSettings;

/**
 * Every suite against the legacy (Version 1) reference device.
 * One of the configurations a mutation run ({@code bench/mutation}) measures in a single PIT run: see
 * {@code docs/mutation.md}.
 */
@Suite
@ConfigurationParameter(key = RunSettings.TARGET, value = "reference:legacy")
@SelectPackages("org.virtiotck.tck.suites")
@IncludeClassNamePatterns(".*Suite")
final class LegacyConfiguration {
}

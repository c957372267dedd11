package org.virtiotck.tck.mutation;

import org.junit.platform.suite.api.ConfigurationParameter;
import org.junit.platform.suite.api.IncludeClassNamePatterns;
import org.junit.platform.suite.api.IncludeTags;
import org.junit.platform.suite.api.SelectPackages;
import org.junit.platform.suite.api.Suite;
import org.virtiotck.tck.junit.RunSettings;

/**
 * The tests tagged {@code read-only-disk} against a read-only reference device (the others write to the
 * disk), as in {@code tck/pom.xml}'s certify-reference-read-only.
 * One of the configurations a mutation run ({@code bench/mutation}) measures in a single PIT run: see
 * {@code docs/mutation.md}.
 */
@Suite
@ConfigurationParameter(key = RunSettings.TARGET, value = "reference:?ro=true")
@SelectPackages("org.virtiotck.tck.suites")
@IncludeClassNamePatterns(".*Suite")
@IncludeTags("read-only-disk")
final class ReadOnlyConfiguration {
}

package org.virtiotck.tck.mutation;

import org.junit.platform.suite.api.ConfigurationParameter;
import org.junit.platform.suite.api.SelectMethod;
import org.junit.platform.suite.api.Suite;
import org.virtiotck.tck.junit.RunSettings;

/**
 * A read-only host-managed zoned reference device (VIRTIO_BLK_F_RO with VIRTIO_BLK_F_ZONED): only the test that
 * needs it, ZonedMediaSuite#aReadOnlyZonedDiskRefusesWritesAndAppends (blk.dev.21, blk.dev.22); the other zoned
 * tests write and so do not apply to a read-only disk.
 * One of the configurations a mutation run ({@code bench/mutation}) measures in a single PIT run: see
 * {@code docs/mutation.md}.
 */
@Suite
@ConfigurationParameter(key = RunSettings.TARGET, value = "reference:?zoned=hm&ro=true")
@SelectMethod("org.virtiotck.tck.suites.ZonedMediaSuite#aReadOnlyZonedDiskRefusesWritesAndAppends(org.virtiotck.tck.junit.Tck)")
final class ZonedReadOnlyConfiguration {
}

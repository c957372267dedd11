package org.virtiotck.tck.mutation;

import org.junit.platform.suite.api.ConfigurationParameter;
import org.junit.platform.suite.api.SelectMethod;
import org.junit.platform.suite.api.Suite;
import org.virtiotck.tck.junit.RunSettings;

/**
 * A modern reference device that also offers VIRTIO_F_NOTIFICATION_DATA, which no default configuration offers:
 * only the test that negotiates it and notifies with notification data.
 * One of the configurations a mutation run ({@code bench/mutation}) measures in a single PIT run: see
 * {@code docs/mutation/transport.md}.
 */
@Suite
@ConfigurationParameter(key = RunSettings.TARGET, value = "reference:?features=%2BNOTIFICATION_DATA")
@SelectMethod(typeName = "org.virtiotck.tck.suites.TransportEdgeSuite", name = "notificationDataNamesTheQueueInItsLowSixteenBits", parameterTypeNames = "org.virtiotck.tck.junit.Tck")
final class TransportNotificationDataConfiguration {
}

package org.virtiotck.tck.mutation;

import org.junit.platform.suite.api.ConfigurationParameter;
import org.junit.platform.suite.api.SelectMethod;
import org.junit.platform.suite.api.Suite;
import org.virtiotck.tck.junit.RunSettings;

/**
 * A queue of 32768 entries, the largest a split ring may have, on a modern reference device whose QueueNumMax is
 * 32768: the size checks must take the bound itself (only the one test that sets a queue up at QueueNumMax).
 * One of the configurations a mutation run ({@code bench/mutation}) measures in a single PIT run: see
 * {@code docs/mutation/transport.md}.
 */
@Suite
@ConfigurationParameter(key = RunSettings.TARGET, value = "reference:?queueSize=32768&queues=1")
@SelectMethod(typeName = "org.virtiotck.tck.suites.QueueSuite", name = "aQueueOfQueueNumMaxEntriesServes", parameterTypeNames = "org.virtiotck.tck.junit.Tck")
final class TransportLargestQueueConfiguration {
}

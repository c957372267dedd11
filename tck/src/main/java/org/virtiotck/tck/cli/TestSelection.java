package org.virtiotck.tck.cli;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectMethod;

import org.junit.platform.engine.DiscoverySelector;

/** Turns {@code Suite} or {@code Suite#method} into a JUnit selector; short class names mean the suites package. */
final class TestSelection {
    private TestSelection() {}

    static DiscoverySelector parse(String text) {
        String cls = text;
        String method = null;
        int hash = text.indexOf('#');
        if (hash >= 0) {
            cls = text.substring(0, hash);
            method = text.substring(hash + 1);
        }
        if (!cls.contains(".")) {
            cls = "org.virtiotck.tck.suites." + cls;
        }
        return method == null ? selectClass(cls) : selectMethod(cls + "#" + method);
    }
}

package org.virtiotck.tck.cli;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectMethod;

import java.lang.reflect.Method;
import java.util.Arrays;
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
        Class<?> type;
        try {
            type = Class.forName(cls);
        } catch (ClassNotFoundException e) {
            throw new IllegalArgumentException("no suite class " + cls);
        }
        if (method == null) {
            return selectClass(type);
        }
        String name = method.contains("(") ? method.substring(0, method.indexOf('(')) : method;
        Method m = Arrays.stream(type.getDeclaredMethods()).filter(x -> x.getName().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no test method " + name + " in " + type.getName()));
        return selectMethod(type, m);
    }
}

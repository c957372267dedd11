package org.virtiotck.tck.junit;

import java.lang.reflect.Method;
import java.util.List;
import org.junit.jupiter.api.DisplayNameGenerator;

/** Display names that read as sentences and end with the requirement ids, e.g. "magic value reads virt [mmio.dev.1]". */
public final class RequirementDisplayNames extends DisplayNameGenerator.Standard {

    @Override
    public String generateDisplayNameForMethod(List<Class<?>> enclosingInstanceTypes, Class<?> testClass,
                                               Method testMethod) {
        String words = testMethod.getName().replaceAll("([a-z0-9])([A-Z])", "$1 $2").replace('_', ' ')
                .toLowerCase(java.util.Locale.ROOT);
        Verifies v = testMethod.getAnnotation(Verifies.class);
        return v == null ? words : words + " [" + String.join(", ", v.value()) + "]";
    }
}

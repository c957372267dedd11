package org.virtiotck.tck.junit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a test that breaks driver rules on purpose (to see how the device copes). Without it, any driver-rule
 * violation the strict reference device records during a test is a harness error.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.METHOD, ElementType.TYPE})
public @interface BreaksDriverRules {
    /** Why the rules are broken, for the reader. */
    String value();
}

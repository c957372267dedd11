package org.virtiotck.tck.junit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The catalog requirement ids a conformance test verifies (ids from virtio-requirements.tsv, e.g.
 * {@code "mmio.dev.1"}). Every conformance test carries one; the traceability matrix is built from them.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.METHOD, ElementType.TYPE})
public @interface Verifies {
    String[] value();
}

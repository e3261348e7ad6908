package org.lincde.spi;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * How far a public SPI type may change. {@link Level#STABLE} types change only with a new
 * {@link Spi#VERSION major SPI version}; {@link Level#EXPERIMENTAL} ones (scan and fused-kernel
 * hooks) may change in any release.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target({ElementType.TYPE, ElementType.METHOD})
public @interface Stability {
    /** The stability level. */
    Level value();

    /** The lincde version in which the element reached this level. */
    String since();

    /** Stability levels. */
    enum Level {
        /** Changes only with a new major SPI version. */
        STABLE,
        /** May change in any release. */
        EXPERIMENTAL
    }
}

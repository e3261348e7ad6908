package org.lincde.spi;

/**
 * What a {@link HostTensor}'s values mean. Storage is always {@code double[]} (every FLOAT32, BOOL
 * and INT64 value up to 2^53 is exact in a double); the element type decides how the values are
 * written to safetensors and how backends upload them.
 */
@Stability(value = Stability.Level.STABLE, since = "0.1")
public enum ElementType {
    /** binary32 values. */
    FLOAT32,
    /** binary64 values. */
    FLOAT64,
    /** 0 or 1. */
    BOOL,
    /** Integers (token ids, counts). */
    INT64
}

package org.lincde.harness.run;

import java.util.Locale;
import org.lincde.harness.config.ConfigException;
import org.lincde.spi.ModelSpec;
import org.lincde.spi.ParameterSet;
import org.lincde.spi.ParameterShape;
import org.lincde.spi.StructureRegistry;
import org.lincde.spi.model.Models;

/**
 * Refuses, before anything is allocated, a run whose parameters or activations cannot fit in the Java heap: a
 * width of 10^9 would otherwise overflow an array size deep inside the model's initialisation, or exhaust the heap
 * after minutes. The estimate is a lower bound (every backend needs at least this much): the parameters four times
 * in float64 (values, gradients and AdamW's two moments) plus one float64 activation of width {@code h} per token,
 * sequence and block, kept for the backward pass. A run it refuses cannot run; a run it accepts may still need more.
 */
public final class SizeBudget {
    private static final long BYTES = 8;

    private SizeBudget() {}

    /** A lower bound of the heap a training run needs, in bytes (saturating at {@link Long#MAX_VALUE}). */
    public record Estimate(long parameters, long activations, long bytes) {}

    /**
     * Checks {@code spec} with {@code batch} sequences of {@code length} tokens against {@code heapBytes};
     * {@code where} names the source of the sizes (a config file, a flag) in the message.
     */
    public static Estimate check(String where, ModelSpec spec, StructureRegistry structures, int width, int blocks,
                                 long batch, long length, long heapBytes) {
        // widths alone first: the embedding and one activation per token; the graph below may allocate per width
        long floor = sat(sat(4 * BYTES, sat(width, 2)), 1)
                + sat(sat(sat(batch, length), sat(width, Math.max(1, blocks))), BYTES);
        if (floor > heapBytes) {
            throw refuse(where, width, blocks, batch, length, new Estimate(-1, -1, floor), heapBytes);
        }
        long params = 0;
        for (ParameterShape p : Models.graph(spec, structures).parameters()) {
            if (p.role() == ParameterSet.Role.TRAINABLE) {
                long n = 1;
                for (int d : p.shape()) {
                    n = sat(n, d);
                }
                params = add(params, n);
            }
        }
        long acts = sat(sat(batch, length), sat(width, Math.max(1, blocks)));
        Estimate e = new Estimate(params, acts, add(sat(sat(params, 4), BYTES), sat(acts, BYTES)));
        if (e.bytes() > heapBytes) {
            throw refuse(where, width, blocks, batch, length, e, heapBytes);
        }
        return e;
    }

    /** {@link #check} against this JVM's maximum heap. */
    public static Estimate check(String where, ModelSpec spec, StructureRegistry structures, int width, int blocks,
                                 long batch, long length) {
        return check(where, spec, structures, width, blocks, batch, length, Runtime.getRuntime().maxMemory());
    }

    private static ConfigException refuse(String where, int width, int blocks, long batch, long length, Estimate e,
                                          long heap) {
        String what = e.parameters() >= 0
                ? String.format(Locale.ROOT, "%.3g parameters (x4 for gradients and AdamW) and %.3g activations",
                        (double) e.parameters(), (double) e.activations())
                : "its width alone";
        return new ConfigException(String.format(Locale.ROOT, "%s: width %d, %d block(s), batch %d, length %d needs "
                        + "at least %s of heap (%s, float64), more than the %s this JVM may use; use a smaller width or "
                        + "batch, or raise the heap with LINCDE_JAVA_OPTS=-Xmx<size>", where, width, blocks, batch,
                length, size(e.bytes()), what, size(heap)));
    }

    static String size(long bytes) {
        if (bytes == Long.MAX_VALUE) {
            return "more than 8 EiB";
        }
        String[] units = {"B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};
        double v = bytes;
        int u = 0;
        while (v >= 1024 && u < units.length - 1) {
            v /= 1024;
            u++;
        }
        return String.format(Locale.ROOT, "%.1f %s", v, units[u]);
    }

    private static long sat(long a, long b) {
        if (a < 0 || b < 0) {
            return Long.MAX_VALUE;
        }
        try {
            return Math.multiplyExact(a, b);
        } catch (ArithmeticException e) {
            return Long.MAX_VALUE;
        }
    }

    private static long add(long a, long b) {
        long s = a + b;
        return s < 0 ? Long.MAX_VALUE : s;
    }
}

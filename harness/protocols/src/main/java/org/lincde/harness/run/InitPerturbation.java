package org.lincde.harness.run;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.lincde.spi.DType;
import org.lincde.spi.HostTensor;
import org.lincde.spi.ParameterSet;
import org.lincde.spi.Rng;

/**
 * A seeded one-ulp perturbation of a run's initial parameters, for measuring a cell's intrinsic sensitivity
 * (docs/protocols/agreement.md §2.1): every non-zero entry {@code x} of every trainable tensor moves by one ulp
 * of {@link #dtype} — up or down by a coin from the project's {@link Rng}, {@code Rng.seeded(seed).stream(name)},
 * one draw per entry in storage order. In float64 that is {@code Math.nextUp(x)} or {@code Math.nextDown(x)}
 * (relative 2⁻⁵³ to 2⁻⁵²); in float32 it is {@code x ± ulp((float) x)} (relative 2⁻²⁴ to 2⁻²³), the size of the
 * rounding a float32 backend applies to the same initial parameters. Zeros (structural zeros, zero biases) and
 * buffers (masks, fixed matrices) are left as they are: a relative perturbation has nothing to move in a zero,
 * and a buffer is not the optimiser's.
 *
 * @param dtype whose ulp the entries move by
 * @param seed  the seed of the coins
 */
public record InitPerturbation(DType dtype, long seed) {
    /** The seed every conditioning run uses (a fixed, documented choice: the measurement is of one perturbation). */
    public static final long SEED = 1;

    /** The perturbation by one ulp of {@code dtype}, with the documented seed. */
    public static InitPerturbation oneUlp(DType dtype) {
        return new InitPerturbation(dtype, SEED);
    }

    /** A copy of {@code init} with every non-zero trainable entry moved by one ulp of {@link #dtype}. */
    public ParameterSet apply(ParameterSet init) {
        ParameterSet out = init.copy();
        Rng root = Rng.seeded(seed);
        for (ParameterSet.Entry e : init.entries()) {
            if (!e.trainable()) {
                continue;
            }
            double[] v = e.tensor().data().clone();
            Rng coins = root.stream(e.name());
            for (int i = 0; i < v.length; i++) {
                boolean up = (coins.nextInt32() & 1) == 1;
                if (v[i] != 0 && Double.isFinite(v[i])) {
                    v[i] = move(v[i], up);
                }
            }
            out.replace(e.name(), HostTensor.of(e.tensor().type(), v, e.tensor().shape()));
        }
        return out;
    }

    private double move(double x, boolean up) {
        if (dtype == DType.FLOAT64) {
            return up ? Math.nextUp(x) : Math.nextDown(x);
        }
        double ulp = Math.ulp((float) x);
        return up ? x + ulp : x - ulp;
    }

    /** What the run's config records (hashed into its key). */
    public Map<String, Object> describe() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("initial_parameters", "one ulp");
        m.put("ulp_of", dtype.label());
        m.put("seed", seed);
        return m;
    }

    /** "one float32 ulp" — for the report. */
    public String label() {
        return String.format(Locale.ROOT, "one %s ulp", dtype.label());
    }
}

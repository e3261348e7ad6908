package org.lincde.harness.toy;

import java.util.LinkedHashMap;
import java.util.Map;
import org.lincde.harness.data.toy.ToySignatureDataset;
import org.lincde.spi.Rng;

/**
 * Which toy dataset a run uses (SPEC §3.3): {@code samples} integer random walks of {@code length} points in
 * {@code R^dim}, drawn from {@code Rng.seeded(seed)} (R2: 100 000 × 100, key 1234 for both dimensions).
 *
 * @param dim     2 (area, {@code S^{(1,2)}}) or 3 (volume, {@code S^{(1,2,3)}})
 * @param samples n (80 % train, 20 % validation)
 * @param length  L
 * @param seed    data seed
 */
public record ToyData(int dim, int samples, int length, long seed) {
    /** R2's data seed. */
    public static final long R2_SEED = 1234;

    /** Validates sizes. */
    public ToyData {
        if (dim < 2 || dim > 3) {
            throw new IllegalArgumentException("toy dimension must be 2 or 3, got " + dim);
        }
        if (samples < 5 || length < 2) {
            throw new IllegalArgumentException("toy data needs >= 5 samples of >= 2 points, got " + samples + " × "
                    + length);
        }
    }

    /** R2's setting for {@code dim}. */
    public static ToyData paper(int dim) {
        return new ToyData(dim, ToySignatureDataset.PAPER_SAMPLES, ToySignatureDataset.PAPER_LENGTH, R2_SEED);
    }

    /** Generates the dataset. */
    public ToySignatureDataset generate() {
        return ToySignatureDataset.generate(samples, length, dim, Rng.seeded(seed));
    }

    /** Config entries for a run key. */
    public Map<String, Object> asConfig() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("input_dim", dim);
        m.put("samples", samples);
        m.put("length", length);
        m.put("data_seed", seed);
        return m;
    }
}

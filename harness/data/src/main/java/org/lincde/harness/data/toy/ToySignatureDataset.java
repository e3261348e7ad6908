package org.lincde.harness.data.toy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import org.lincde.spi.Batch;
import org.lincde.spi.Rng;

/**
 * R2's toy signature regression data (SPEC §3.3), float64.
 *
 * <p><b>Paths.</b> {@code Z ∈ R^{n×L×d} ~ N(0,1)}, drawn from the given {@link Rng} in row-major
 * order (sample, time, channel); each draw rounded to the nearest integer (ties to even, as
 * {@code jnp.round}); cumulative sum over time (an integer random walk whose first point is the
 * first rounded draw, no zero basepoint); everything divided by the global {@code max |value|}.
 * No time channel. The paper uses {@code n = 100 000}, {@code L = 100}, {@code d ∈ {2, 3}} and
 * JAX key 1234 — JAX's normal stream cannot be reproduced, so the numbers match in distribution
 * only.
 *
 * <p><b>Labels.</b> The signature term of the piecewise-linear path over the word
 * {@code (1, 2, …, d)}: {@code S^{(1,2)} = ∫∫_{u<v} dX¹_u dX²_v} for {@code d = 2},
 * {@code S^{(1,2,3)}} for {@code d = 3}; then divided by the max |label| over all samples. They
 * are computed by a dedicated prefix-word recursion ({@link #wordSignature}: Chen's rule
 * restricted to the prefixes of the word, SPEC §3.3's level-2/3 updates), independent of
 * {@link org.lincde.harness.signature.Signature}, which the tests compare against.
 *
 * <p><b>Split.</b> The first {@code ⌊0.8n⌋} samples train, the rest validate (no shuffle).
 * An all-zero set of paths or labels (only possible for tiny {@code n·L}) is left unscaled.
 *
 * <p>Memory: {@code n·L·d} doubles (paper 3D: 240 MB).
 */
public final class ToySignatureDataset {
    /** The paper's sample count. */
    public static final int PAPER_SAMPLES = 100_000;
    /** The paper's path length. */
    public static final int PAPER_LENGTH = 100;

    private final int samples;
    private final int length;
    private final int dim;
    private final double[] paths;
    private final double[] labels;
    private final double pathScale;
    private final double labelScale;
    private final Split train;
    private final Split validation;

    private ToySignatureDataset(int samples, int length, int dim, double[] paths, double[] labels, double pathScale,
                                double labelScale) {
        this.samples = samples;
        this.length = length;
        this.dim = dim;
        this.paths = paths;
        this.labels = labels;
        this.pathScale = pathScale;
        this.labelScale = labelScale;
        int cut = (int) (0.8 * samples);
        this.train = new Split("train", 0, cut);
        this.validation = new Split("validation", cut, samples);
    }

    /** The paper's setting: {@value #PAPER_SAMPLES} paths of {@value #PAPER_LENGTH} points. */
    public static ToySignatureDataset paper(int dim, Rng rng) {
        return generate(PAPER_SAMPLES, PAPER_LENGTH, dim, rng);
    }

    /** Draws {@code samples} paths of {@code length} points in {@code R^dim} from {@code rng}. */
    public static ToySignatureDataset generate(int samples, int length, int dim, Rng rng) {
        if (samples < 1 || length < 1 || dim < 1) {
            throw new IllegalArgumentException("toy dataset needs samples, length and dim ≥ 1, got " + samples + ", "
                    + length + ", " + dim);
        }
        long size = (long) samples * length * dim;
        if (size > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("toy dataset of " + samples + "×" + length + "×" + dim
                    + " values does not fit one array");
        }
        double[] x = new double[(int) size];
        double max = 0.0;
        int stride = length * dim;
        for (int b = 0; b < samples; b++) {
            int base = b * stride;
            for (int t = 0; t < length; t++) {
                for (int c = 0; c < dim; c++) {
                    double step = Math.rint(rng.nextNormal());
                    double v = t == 0 ? step : x[base + (t - 1) * dim + c] + step;
                    x[base + t * dim + c] = v;
                    max = Math.max(max, Math.abs(v));
                }
            }
        }
        double pathScale = max > 0 ? max : 1.0;
        for (int i = 0; i < x.length; i++) {
            x[i] /= pathScale;
        }
        double[] y = new double[samples];
        double ymax = 0.0;
        double[] workspace = new double[dim + 1];
        for (int b = 0; b < samples; b++) {
            y[b] = wordSignature(x, b * stride, length, dim, workspace);
            ymax = Math.max(ymax, Math.abs(y[b]));
        }
        double labelScale = ymax > 0 ? ymax : 1.0;
        for (int b = 0; b < samples; b++) {
            y[b] /= labelScale;
        }
        return new ToySignatureDataset(samples, length, dim, x, y, pathScale, labelScale);
    }

    /**
     * {@code S^{(1,2,…,d)}} of the piecewise-linear path through {@code length} row-major points
     * of dimension {@code d} at {@code values[offset…]}. For each segment δ, highest prefix first:
     * {@code P_k ← Σ_{j=0..k} P_{k−j} · δ^{k−j+1}⋯δ^{k} / j!} with {@code P_0 = 1}, where
     * {@code P_k = S^{(1..k)}} (1-based channels). values: read; workspace: {@code d+1} doubles,
     * overwritten.
     */
    public static double wordSignature(double[] values, int offset, int length, int d, double[] workspace) {
        if (workspace.length < d + 1) {
            throw new IllegalArgumentException("workspace needs " + (d + 1) + " doubles, got " + workspace.length);
        }
        double[] p = workspace;
        Arrays.fill(p, 0, d + 1, 0.0);
        p[0] = 1.0;
        for (int t = 1; t < length; t++) {
            int cur = offset + t * d;
            int prev = cur - d;
            for (int k = d; k >= 1; k--) {
                double acc = p[k];
                double prod = 1.0; // δ^{k−j+1}⋯δ^{k} / j!
                for (int j = 1; j <= k; j++) {
                    int ch = k - j; // 0-based channel of letter k−j+1
                    prod *= (values[cur + ch] - values[prev + ch]) / j;
                    acc += p[k - j] * prod;
                }
                p[k] = acc;
            }
        }
        return p[d];
    }

    /** {@code √mean(label²)}: the RMSE of always predicting 0 ("Predicting Zero", SPEC §3.3). */
    public static double predictingZeroRmse(double[] labels) {
        if (labels.length == 0) {
            throw new IllegalArgumentException("no labels");
        }
        double s = 0;
        for (double v : labels) {
            s += v * v;
        }
        return Math.sqrt(s / labels.length);
    }

    /** n. */
    public int samples() {
        return samples;
    }

    /** L. */
    public int length() {
        return length;
    }

    /** d. */
    public int dim() {
        return dim;
    }

    /** All {@code n×L×d} normalised paths, row-major (shared: do not modify). */
    public double[] paths() {
        return paths;
    }

    /** All n normalised labels (shared: do not modify). */
    public double[] labels() {
        return labels;
    }

    /** The global {@code max |value|} of the integer walks the paths were divided by. */
    public double pathScale() {
        return pathScale;
    }

    /** The {@code max |label|} (of the normalised paths) the labels were divided by. */
    public double labelScale() {
        return labelScale;
    }

    /** The first 80%. */
    public Split train() {
        return train;
    }

    /** The last 20%. */
    public Split validation() {
        return validation;
    }

    /** A contiguous run of samples {@code [start, end)} of the dataset. */
    public final class Split {
        private final String name;
        private final int start;
        private final int end;

        private Split(String name, int start, int end) {
            this.name = name;
            this.start = start;
            this.end = end;
        }

        /** "train" or "validation". */
        public String name() {
            return name;
        }

        /** First sample index in the dataset. */
        public int start() {
            return start;
        }

        /** Number of samples. */
        public int size() {
            return end - start;
        }

        /** A copy of this split's {@code size×L×d} paths (for least squares on features). */
        public double[] paths() {
            return Arrays.copyOfRange(paths, start * length * dim, end * length * dim);
        }

        /** A copy of this split's labels. */
        public double[] labels() {
            return Arrays.copyOfRange(labels, start, end);
        }

        /** The RMSE of predicting 0 on this split. */
        public double predictingZeroRmse() {
            return ToySignatureDataset.predictingZeroRmse(labels());
        }

        /** Rows {@code [from, to)} of this split as a batch. */
        public Batch batch(int from, int to) {
            if (from < 0 || to > size() || from >= to) {
                throw new IndexOutOfBoundsException("rows [" + from + ", " + to + ") outside the " + size() + " "
                        + name + " samples");
            }
            int[] rows = new int[to - from];
            Arrays.setAll(rows, i -> from + i);
            return batch(rows);
        }

        /**
         * The given rows as {@code ChannelInputs(B, L, d)} and {@code RealTargets(labels, 1)}.
         */
        public Batch batch(int[] rows) {
            int b = rows.length;
            int stride = length * dim;
            double[] v = new double[b * stride];
            double[] y = new double[b];
            for (int i = 0; i < b; i++) {
                int r = rows[i];
                if (r < 0 || r >= size()) {
                    throw new IndexOutOfBoundsException("row " + r + " outside the " + size() + " " + name + " samples");
                }
                System.arraycopy(paths, (start + r) * stride, v, i * stride, stride);
                y[i] = labels[start + r];
            }
            return Batch.of(new Batch.ChannelInputs(b, length, dim, v), new Batch.RealTargets(y, 1));
        }

        /** Consecutive batches covering the split once, the last possibly shorter. */
        public List<Batch> batches(int batchSize) {
            checkBatch(batchSize);
            List<Batch> out = new ArrayList<>();
            for (int from = 0; from < size(); from += batchSize) {
                out.add(batch(from, Math.min(size(), from + batchSize)));
            }
            return out;
        }

        /**
         * Endless training batches: each epoch a permutation from {@code rng.stream("epoch", e)},
         * cut into consecutive batches with the last one possibly shorter (R2's in-memory loader,
         * which visits every sample once per epoch).
         */
        public Iterator<Batch> trainingBatches(int batchSize, Rng rng) {
            checkBatch(batchSize);
            return new Iterator<>() {
                private long epoch = -1;
                private int[] perm;
                private int pos;

                @Override
                public boolean hasNext() {
                    return true;
                }

                @Override
                public Batch next() {
                    if (perm == null || pos >= perm.length) {
                        epoch++;
                        perm = rng.stream("epoch", epoch).permutation(size());
                        pos = 0;
                    }
                    int to = Math.min(perm.length, pos + batchSize);
                    int[] rows = Arrays.copyOfRange(perm, pos, to);
                    pos = to;
                    return batch(rows);
                }
            };
        }

        private void checkBatch(int batchSize) {
            if (batchSize < 1) {
                throw new IllegalArgumentException("batch size must be ≥ 1, got " + batchSize);
            }
            if (size() == 0) {
                throw new IllegalStateException("the " + name + " split is empty");
            }
        }
    }
}

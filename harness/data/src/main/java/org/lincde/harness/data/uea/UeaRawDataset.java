package org.lincde.harness.data.uea;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A UEA dataset after the seed-independent part of SPEC §3.5: labels encoded on the training
 * file, training then test cases concatenated, exact duplicates removed, and every series
 * brought to the longest length. Per-run processing (time channel, scaling, split,
 * log-signatures) is {@link UeaDataset}'s job.
 *
 * <p><b>Duplicates.</b> Two cases are duplicates when their series are identical (same length,
 * bitwise-equal values; labels are not compared, as upstream). The first occurrence is kept and
 * the order is preserved, as SPEC §3.5 states. (The authors' {@code np.unique(axis=0)} returns
 * the kept rows in lexicographic order instead; a random permutation follows either way and
 * JAX's permutation cannot be matched, so only the order of an already random split differs.)
 *
 * <p><b>Variable length.</b> The authors stack equal-length arrays (their six datasets are
 * equal-length; their code cannot stack ragged ones). Shorter series here are padded by
 * repeating their last observation up to the longest length ({@link #length()}), the
 * convention of Kidger et al.'s NCDE UEA pipeline: a repeated observation adds zero increments,
 * so signatures and log-signatures of a padded series equal those of the original. The true
 * lengths are kept in {@link #lengths()}.
 *
 * @param name          dataset name
 * @param encoding      the label encoding (fitted on training labels)
 * @param channels      C (no time channel)
 * @param length        L, the common (padded) length
 * @param values        {@code N×L×C} row-major series
 * @param lengths       per case, its true length before padding
 * @param labels        per case, its class code
 * @param sourceIndex   per case, its index in the concatenation train‖test before deduplication
 * @param sources       per case, {@code file:line} it was read from
 * @param trainCount    number of training-file cases before deduplication
 * @param duplicates    number of cases removed as duplicates
 */
public record UeaRawDataset(String name, LabelEncoding encoding, int channels, int length, double[] values,
                            int[] lengths, int[] labels, int[] sourceIndex, String[] sources, int trainCount,
                            int duplicates) {

    /** Checks the array sizes. */
    public UeaRawDataset {
        int n = labels.length;
        if ((long) n * length * channels != values.length || lengths.length != n || sourceIndex.length != n
                || sources.length != n) {
            throw new IllegalArgumentException("dataset " + name + ": inconsistent sizes for " + n + " cases of "
                    + length + "×" + channels);
        }
    }

    /** Number of cases N after deduplication. */
    public int size() {
        return labels.length;
    }

    /** Number of classes K. */
    public int numClasses() {
        return encoding.size();
    }

    /**
     * Reads {@code <dir>/<name>_TRAIN} and {@code _TEST} ({@code .arff} or {@code .ts}, see
     * {@link UeaFiles#locate}) and combines them.
     */
    public static UeaRawDataset load(Path dir, String name) throws IOException {
        UeaSeriesSet train = UeaFiles.read(UeaFiles.locate(dir, name, "TRAIN"));
        UeaSeriesSet test = UeaFiles.read(UeaFiles.locate(dir, name, "TEST"));
        return combine(name, train, test);
    }

    /**
     * Encodes labels (fitted on {@code train}), concatenates train then test, removes exact
     * duplicates (first kept, order preserved) and pads to the longest length by repeating the
     * last observation. Missing values (NaN) are refused, naming the file and line.
     */
    public static UeaRawDataset combine(String name, UeaSeriesSet train, UeaSeriesSet test) {
        if (train.channels() != test.channels()) {
            throw new IllegalArgumentException("dataset " + name + ": " + train.source() + " has " + train.channels()
                    + " channels but " + test.source() + " has " + test.channels());
        }
        LabelEncoding enc = LabelEncoding.fit(train.labels());
        int c = train.channels();
        List<double[]> kept = new ArrayList<>();
        List<Integer> keptIndex = new ArrayList<>();
        List<Integer> keptLabel = new ArrayList<>();
        List<String> keptSource = new ArrayList<>();
        Map<Key, Integer> seen = new HashMap<>();
        int index = 0;
        int dups = 0;
        for (UeaSeriesSet set : List.of(train, test)) {
            for (int i = 0; i < set.size(); i++, index++) {
                double[][] s = set.series()[i];
                double[] flat = new double[s.length * c];
                for (int t = 0; t < s.length; t++) {
                    for (int k = 0; k < c; k++) {
                        double v = s[t][k];
                        if (!Double.isFinite(v)) {
                            throw new IllegalArgumentException(set.where(i) + ": value " + v + " at time " + t
                                    + ", channel " + k + ": missing or non-finite values are not supported");
                        }
                        flat[t * c + k] = v;
                    }
                }
                int label = enc.encode(set.labels()[i], set.where(i));
                if (seen.putIfAbsent(new Key(flat), index) != null) {
                    dups++;
                    continue;
                }
                kept.add(flat);
                keptIndex.add(index);
                keptLabel.add(label);
                keptSource.add(set.where(i));
            }
        }
        int n = kept.size();
        int length = 0;
        for (double[] f : kept) {
            length = Math.max(length, f.length / c);
        }
        double[] values = new double[n * length * c];
        int[] lengths = new int[n];
        for (int i = 0; i < n; i++) {
            double[] f = kept.get(i);
            int li = f.length / c;
            lengths[i] = li;
            int base = i * length * c;
            System.arraycopy(f, 0, values, base, f.length);
            for (int t = li; t < length; t++) { // repeat the last observation
                System.arraycopy(f, (li - 1) * c, values, base + t * c, c);
            }
        }
        return new UeaRawDataset(name, enc, c, length, values, lengths,
                keptLabel.stream().mapToInt(Integer::intValue).toArray(),
                keptIndex.stream().mapToInt(Integer::intValue).toArray(),
                keptSource.toArray(new String[0]), train.size(), dups);
    }

    /** A series as a hash key with bitwise equality (length is implied by the array size). */
    private record Key(double[] v) {
        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && Arrays.equals(v, k.v);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(v);
        }
    }
}
